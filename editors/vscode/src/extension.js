// @ts-check
'use strict';
// The VS Code client of `eligo lsp`: starts the server over stdio for .elg files, sends it the
// live-values settings, and restarts it when the command that runs it changes.

const vscode = require('vscode');
const { LanguageClient, TransportKind } = require('vscode-languageclient/node');
const settings = require('./settings');

/** @type {LanguageClient | undefined} */
let client;
/** @type {vscode.LogOutputChannel | undefined} */
let output;

const firstFolder = () => vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
const current = () => settings.readSettings(vscode.workspace.getConfiguration('eligo'));

/** @param {vscode.ExtensionContext} context */
async function activate(context) {
  output = vscode.window.createOutputChannel('eligo', { log: true });
  context.subscriptions.push(
    output,
    vscode.commands.registerCommand('eligo.restartServer', restart),
    vscode.commands.registerCommand('eligo.selectFactsFile', selectFactsFile),
    vscode.commands.registerCommand('eligo.setAsOf', setAsOf),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (settings.RESTART_SETTINGS.some((s) => event.affectsConfiguration(s))) restart();
    }),
  );
  await start();
}

async function start() {
  const { command, args } = settings.serverCommand(current(), firstFolder());
  /** @type {import('vscode-languageclient/node').ServerOptions} */
  const serverOptions = { command, args, transport: TransportKind.stdio, options: { cwd: firstFolder() } };
  /** @type {import('vscode-languageclient/node').LanguageClientOptions} */
  const clientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'eligo' },
      { scheme: 'untitled', language: 'eligo' },
    ],
    initializationOptions: settings.initializationOptions(current()),
    synchronize: {
      // Every change of an `eligo.*` setting is sent as workspace/didChangeConfiguration.
      configurationSection: 'eligo',
      fileEvents: vscode.workspace.createFileSystemWatcher('**/{*.elg,eligo.toml}'),
    },
    outputChannel: output,
  };
  client = new LanguageClient('eligo', 'eligo Language Server', serverOptions, clientOptions);
  try {
    await client.start();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const choice = await vscode.window.showErrorMessage(
      `eligo: could not start \`${[command, ...args].join(' ')}\`: ${message}`,
      'Open Settings',
    );
    if (choice === 'Open Settings') vscode.commands.executeCommand('workbench.action.openSettings', 'eligo.server');
  }
}

async function restart() {
  await stop();
  await start();
}

async function stop() {
  const running = client;
  client = undefined;
  if (running?.isRunning()) await running.stop();
}

async function selectFactsFile() {
  const folder = firstFolder();
  const picked = await vscode.window.showOpenDialog({
    canSelectMany: false,
    filters: { 'Partner facts': ['json'] },
    defaultUri: folder ? vscode.Uri.file(folder) : undefined,
    openLabel: 'Use for live values',
  });
  if (!picked?.[0]) return;
  const value = settings.factsFileSetting(picked[0].fsPath, folder);
  await vscode.workspace.getConfiguration('eligo').update('liveValues.factsFile', value, target());
}

async function setAsOf() {
  const value = await vscode.window.showInputBox({
    prompt: 'The evaluation date of live values (empty: the project file\'s, else the facts\' as_of, else today)',
    placeHolder: 'YYYY-MM-DD',
    value: current().asOf,
    validateInput: (text) => (text.trim() === '' || settings.isDate(text.trim()) ? null : 'a date, YYYY-MM-DD'),
  });
  if (value === undefined) return;
  await vscode.workspace.getConfiguration('eligo').update('liveValues.asOf', value.trim(), target());
}

/** Live values belong to the workspace when there is one. */
const target = () =>
  firstFolder() ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;

function deactivate() {
  return stop();
}

module.exports = { activate, deactivate };
