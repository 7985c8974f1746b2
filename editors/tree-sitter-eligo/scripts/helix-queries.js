'use strict';
// Writes queries/helix/highlights.scm from queries/highlights.scm: the same patterns, with Helix's
// names for the captures (Helix themes know `constant.numeric`, not Neovim's `number`).
// `node scripts/helix-queries.js`; a test fails while the Helix file is stale.
const fs = require('node:fs');
const path = require('node:path');

const HELIX_NAMES = {
  'comment': 'comment',
  'comment.documentation': 'comment.line.documentation',
  'keyword': 'keyword',
  'keyword.import': 'keyword.control.import',
  'keyword.conditional': 'keyword.control.conditional',
  'keyword.operator': 'keyword.operator',
  'string': 'string',
  'string.special': 'string.special',
  'number': 'constant.numeric.integer',
  'number.float': 'constant.numeric.float',
  'boolean': 'constant.builtin.boolean',
  'constant.builtin': 'constant.builtin',
  'constant': 'type.enum.variant',
  'function': 'function',
  'function.call': 'function',
  'function.builtin': 'function.builtin',
  'variable': 'variable',
  'variable.parameter': 'variable.parameter',
  'variable.member': 'variable.other.member',
  'variable.builtin': 'variable.builtin',
  'module': 'namespace',
  'type': 'type',
  'type.builtin': 'type.builtin',
  'type.definition': 'type',
  'attribute': 'attribute',
  'operator': 'operator',
  'punctuation.bracket': 'punctuation.bracket',
  'punctuation.delimiter': 'punctuation.delimiter',
};

const source = path.join(__dirname, '..', 'queries', 'highlights.scm');
const target = path.join(__dirname, '..', 'queries', 'helix', 'highlights.scm');

/** The Helix query of a Neovim query; every capture name must have a Helix name. */
function helixQuery(text) {
  const body = text.replace(/@([A-Za-z_.]+)/g, (_, name) => {
    if (!(name in HELIX_NAMES)) throw new Error(`no Helix name for the capture @${name}: add it to HELIX_NAMES`);
    return '@' + HELIX_NAMES[name];
  });
  return '; Written by scripts/helix-queries.js from ../highlights.scm: edit that file, then run the script.\n' + body;
}

if (require.main === module) {
  fs.writeFileSync(target, helixQuery(fs.readFileSync(source, 'utf8')));
  console.log(`wrote ${path.relative(process.cwd(), target)}`);
}

module.exports = { helixQuery, source, target, HELIX_NAMES };
