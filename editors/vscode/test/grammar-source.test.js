'use strict';
// syntaxes/eligo.tmLanguage.json is written from syntaxes/eligo.tmLanguage.src.js: never stale.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const { json, target } = require('../scripts/build-grammar');

test('the committed TextMate grammar is the one its source writes', () => {
  const expected = json(require('../syntaxes/eligo.tmLanguage.src.js'));
  assert.equal(fs.readFileSync(target, 'utf8'), expected, 'run `npm run build:grammar` and commit the JSON');
});

test('every include of the grammar names a rule of its repository', () => {
  const grammar = JSON.parse(fs.readFileSync(target, 'utf8'));
  const includes = [...JSON.stringify(grammar).matchAll(/"include":"#([^"]+)"/g)].map((m) => m[1]);
  assert.ok(includes.length > 20);
  for (const name of includes) assert.ok(name in grammar.repository, `#${name} is not in the repository`);
  const unused = Object.keys(grammar.repository).filter((name) => !includes.includes(name));
  assert.deepEqual(unused, [], 'rules nothing includes');
});
