'use strict';
// Snapshots of the highlighting of the fixtures: each line, then each of its tokens with its scopes.
// `ELIGO_UPDATE_SNAPSHOTS=1 node --test test/` rewrites them; review the diff like code.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { fixtures } = require('./support/paths');
const { tokenize } = require('./support/textmate');

const update = process.env.ELIGO_UPDATE_SNAPSHOTS === '1';

async function render(text) {
  const { lines } = await tokenize(text);
  const out = [];
  for (const line of lines) {
    if (line.text.trim() === '') continue;
    out.push(`> ${line.text}`);
    for (const token of line.tokens) {
      const word = line.text.slice(token.start, token.end);
      if (word.trim() === '') continue;
      out.push(`  ${JSON.stringify(word).padEnd(24)} ${token.scopes.join(' ')}`);
    }
  }
  return out.join('\n') + '\n';
}

const names = fs.readdirSync(fixtures).filter((n) => n.endsWith('.elg')).sort();

test('there are fixtures', () => assert.ok(names.length >= 3, `only ${names.length} fixtures`));

for (const name of names) {
  test(`the highlighting of ${name} matches its snapshot`, async () => {
    const actual = await render(fs.readFileSync(path.join(fixtures, name), 'utf8'));
    const snapshot = path.join(fixtures, `${name}.scopes`);
    if (update) fs.writeFileSync(snapshot, actual);
    assert.ok(fs.existsSync(snapshot), `${snapshot} is missing: run with ELIGO_UPDATE_SNAPSHOTS=1 and review it`);
    assert.equal(actual, fs.readFileSync(snapshot, 'utf8'));
  });
}
