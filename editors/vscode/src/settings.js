// @ts-check
'use strict';
// The extension's settings, read into what starts the server and what it is told. No `vscode`
// import: the tests run this module in plain Node.

const path = require('node:path');

/**
 * @typedef {object} Settings  the `eligo.*` settings, as `workspace.getConfiguration('eligo')` gives them
 * @property {string} serverPath       `eligo.server.path`
 * @property {string[]} extraArgs      `eligo.server.extraArgs`
 * @property {string} factsFile        `eligo.liveValues.factsFile` ("" = not set)
 * @property {string} asOf             `eligo.liveValues.asOf` ("" = not set)
 */

/** @param {{get<T>(key: string, fallback: T): T}} config  @returns {Settings} */
function readSettings(config) {
  return {
    serverPath: config.get('server.path', 'eligo').trim() || 'eligo',
    extraArgs: config.get('server.extraArgs', []),
    factsFile: config.get('liveValues.factsFile', '').trim(),
    asOf: config.get('liveValues.asOf', '').trim(),
  };
}

/**
 * The command that starts the server: `eligo lsp` and the extra arguments. A bare name
 * (`eligo`) is looked up on PATH; a relative path is taken from the workspace folder.
 * @param {Settings} settings  @param {string | undefined} folder  the first workspace folder
 * @returns {{command: string, args: string[]}}
 */
function serverCommand(settings, folder) {
  const bare = !settings.serverPath.includes('/') && !settings.serverPath.includes('\\');
  const command = bare || path.isAbsolute(settings.serverPath) || folder === undefined
    ? settings.serverPath
    : path.join(folder, settings.serverPath);
  return { command, args: ['lsp', ...settings.extraArgs] };
}

/**
 * What the server is told at `initialize` (`initializationOptions`): the same object as
 * `settings.eligo` of `workspace/didChangeConfiguration`, less what only the client uses.
 * An empty string means "not set": the server falls back on the project file.
 * @param {Settings} settings
 */
function initializationOptions(settings) {
  return { liveValues: { factsFile: settings.factsFile, asOf: settings.asOf } };
}

/** Whether `text` is a calendar date written YYYY-MM-DD. @param {string} text */
function isDate(text) {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return false;
  const [year, month, day] = match.slice(1).map(Number);
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/**
 * How a chosen facts file is written in the setting: relative to the workspace folder when inside it.
 * @param {string} file  @param {string | undefined} folder
 */
function factsFileSetting(file, folder) {
  if (folder === undefined) return file;
  const relative = path.relative(folder, file);
  return relative.startsWith('..') || path.isAbsolute(relative) ? file : relative.split(path.sep).join('/');
}

/** The settings whose change needs the server restarted (the others are sent to it). */
const RESTART_SETTINGS = ['eligo.server.path', 'eligo.server.extraArgs'];

module.exports = { readSettings, serverCommand, initializationOptions, isDate, factsFileSetting, RESTART_SETTINGS };
