'use strict';
// The client: its settings, and what activation hands to vscode-languageclient. VS Code itself
// cannot run here, so `vscode` and the LanguageClient class are stand-ins that record their calls.
const test = require('node:test');
const assert = require('node:assert/strict');
const Module = require('node:module');
const path = require('node:path');
const fs = require('node:fs');
const settings = require('../src/settings');
const manifest = require('../package.json');

/** A configuration object as `workspace.getConfiguration('eligo')` returns it. */
const config = (values) => ({ get: (key, fallback) => (key in values ? values[key] : fallback) });

test('the settings read are the settings the manifest declares, with the same defaults', () => {
  const declared = manifest.contributes.configuration.properties;
  const read = settings.readSettings(config({}));
  assert.deepEqual(read, { serverPath: 'eligo', extraArgs: [], factsFile: '', asOf: '' });
  assert.equal(declared['eligo.server.path'].default, read.serverPath);
  assert.deepEqual(declared['eligo.server.extraArgs'].default, read.extraArgs);
  assert.equal(declared['eligo.liveValues.factsFile'].default, read.factsFile);
  assert.equal(declared['eligo.liveValues.asOf'].default, read.asOf);
  for (const key of settings.RESTART_SETTINGS) assert.ok(key in declared, key);
  const source = fs.readFileSync(path.join(__dirname, '..', 'src', 'settings.js'), 'utf8');
  for (const key of Object.keys(declared).filter((k) => k !== 'eligo.trace.server')) {
    assert.ok(source.includes(`'${key.slice('eligo.'.length)}'`), `${key} is declared but never read`);
  }
});

test('the server is `eligo lsp`, found on PATH or from the workspace folder', () => {
  const at = (serverPath, extraArgs = []) => settings.serverCommand({ ...settings.readSettings(config({})), serverPath, extraArgs }, '/ws');
  assert.deepEqual(at('eligo'), { command: 'eligo', args: ['lsp'] });
  assert.deepEqual(at('/opt/eligo/bin/eligo', ['--log', 'debug']), { command: '/opt/eligo/bin/eligo', args: ['lsp', '--log', 'debug'] });
  assert.deepEqual(at('target/debug/eligo'), { command: path.join('/ws', 'target/debug/eligo'), args: ['lsp'] });
  assert.equal(settings.readSettings(config({ 'server.path': '  ' })).serverPath, 'eligo');
});

test('the initialization options carry the live-values settings, empty when not set', () => {
  const read = settings.readSettings(config({ 'liveValues.factsFile': ' examples/contoso-isv.json ', 'liveValues.asOf': '2024-08-06' }));
  assert.deepEqual(settings.initializationOptions(read), { liveValues: { factsFile: 'examples/contoso-isv.json', asOf: '2024-08-06' } });
  assert.deepEqual(settings.initializationOptions(settings.readSettings(config({}))), { liveValues: { factsFile: '', asOf: '' } });
});

test('dates are calendar dates, and the manifest\'s pattern agrees on their shape', () => {
  const pattern = new RegExp(manifest.contributes.configuration.properties['eligo.liveValues.asOf'].pattern);
  for (const good of ['2024-08-06', '2024-02-29']) assert.ok(settings.isDate(good) && pattern.test(good), good);
  for (const bad of ['2023-02-29', '2024-13-01', '2024-8-6', '06/08/2024', '2024-08-06x']) assert.ok(!settings.isDate(bad), bad);
  assert.ok(pattern.test(''));
});

test('a chosen facts file is written relative to the workspace folder when inside it', () => {
  assert.equal(settings.factsFileSetting('/ws/examples/a.json', '/ws'), 'examples/a.json');
  assert.equal(settings.factsFileSetting('/elsewhere/a.json', '/ws'), '/elsewhere/a.json');
  assert.equal(settings.factsFileSetting('/ws/a.json', undefined), '/ws/a.json');
});

test('activation starts `eligo lsp` over stdio for eligo documents, with the settings', async () => {
  const recorded = { clients: [], commands: [] };
  const vscode = {
    workspace: {
      workspaceFolders: [{ uri: { fsPath: '/ws' } }],
      getConfiguration: () => config({ 'server.path': 'bin/eligo', 'liveValues.factsFile': 'facts.json' }),
      onDidChangeConfiguration: () => ({ dispose() {} }),
      createFileSystemWatcher: (glob) => ({ glob }),
    },
    window: { createOutputChannel: (name, options) => ({ name, options, dispose() {} }) },
    commands: { registerCommand: (name) => { recorded.commands.push(name); return { dispose() {} }; } },
  };
  class LanguageClient {
    constructor(id, name, serverOptions, clientOptions) {
      recorded.clients.push({ id, name, serverOptions, clientOptions });
    }
    async start() { this.running = true; }
    isRunning() { return this.running; }
    async stop() { this.running = false; }
  }
  const stubs = { vscode, 'vscode-languageclient/node': { LanguageClient, TransportKind: { stdio: 0 } } };
  const load = Module._load;
  Module._load = function (request, ...rest) {
    return request in stubs ? stubs[request] : load.call(this, request, ...rest);
  };
  try {
    const extension = require('../src/extension');
    const subscriptions = [];
    await extension.activate({ subscriptions });
    assert.equal(recorded.clients.length, 1);
    const [{ id, serverOptions, clientOptions }] = recorded.clients;
    assert.equal(id, 'eligo', 'the client id names the `eligo.trace.server` setting');
    assert.deepEqual(serverOptions, { command: path.join('/ws', 'bin/eligo'), args: ['lsp'], transport: 0, options: { cwd: '/ws' } });
    assert.deepEqual(clientOptions.documentSelector, [{ scheme: 'file', language: 'eligo' }, { scheme: 'untitled', language: 'eligo' }]);
    assert.deepEqual(clientOptions.initializationOptions, { liveValues: { factsFile: 'facts.json', asOf: '' } });
    assert.equal(clientOptions.synchronize.configurationSection, 'eligo');
    assert.equal(clientOptions.synchronize.fileEvents.glob, '**/{*.elg,eligo.toml}');
    assert.deepEqual(recorded.commands.sort(), manifest.contributes.commands.map((c) => c.command).sort());
    await extension.deactivate();
  } finally {
    Module._load = load;
  }
});

test('the manifest ties the language, its files, its grammar and its configuration together', () => {
  const [language] = manifest.contributes.languages;
  const [grammar] = manifest.contributes.grammars;
  assert.equal(language.id, 'eligo');
  assert.deepEqual(language.extensions, ['.elg']);
  assert.equal(grammar.language, 'eligo');
  const root = path.join(__dirname, '..');
  assert.equal(JSON.parse(fs.readFileSync(path.join(root, grammar.path), 'utf8')).scopeName, grammar.scopeName);
  assert.ok(fs.existsSync(path.join(root, language.configuration)));
  assert.ok(fs.existsSync(path.join(root, manifest.main)));
  assert.ok(manifest.activationEvents.includes('onLanguage:eligo'));
  const typesVersion = require('@types/vscode/package.json').version;
  assert.equal(manifest.engines.vscode, `^${typesVersion}`, '@types/vscode must match the oldest VS Code supported');
});
