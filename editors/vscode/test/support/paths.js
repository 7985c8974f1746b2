'use strict';
// Where things are, from editors/vscode/test/support.
const path = require('node:path');

const extensionRoot = path.resolve(__dirname, '..', '..');
const repoRoot = path.resolve(extensionRoot, '..', '..');

module.exports = {
  extensionRoot,
  repoRoot,
  grammarPest: path.join(repoRoot, 'lang', 'eligo', 'src', 'syntax', 'grammar.pest'),
  tmGrammar: path.join(extensionRoot, 'syntaxes', 'eligo.tmLanguage.json'),
  languageConfiguration: path.join(extensionRoot, 'language-configuration.json'),
  fixtures: path.join(extensionRoot, 'test', 'fixtures'),
  pestTokens:
    process.env.ELIGO_PEST_TOKENS ||
    path.join(repoRoot, 'editors', 'grammar-oracle', 'target', 'release', 'pest-tokens'),
};
