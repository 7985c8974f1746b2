'use strict';
// Every eligo source of the repository (the *.elg files and the ```eligo blocks of the docs),
// tokenised with the TextMate grammar and held to the parse tree of lang/eligo's grammar.pest.
const test = require('node:test');
const assert = require('node:assert/strict');
const { allSources } = require('./support/sources');
const { parseAll } = require('./support/oracle');
const { tokenize } = require('./support/textmate');
const { checkParsed, checkUnparsed } = require('./support/check');
const { KEYWORDS, TOKENS } = require('./support/expectations');

const sources = allSources();
const { rules, trees } = parseAll(sources);

test('the corpus is the repository\'s sources, read by the real grammar', () => {
  const files = sources.filter((s) => s.name.endsWith('.elg'));
  const blocks = sources.filter((s) => !s.name.endsWith('.elg'));
  assert.ok(files.length >= 200, `only ${files.length} .elg files found`);
  assert.ok(blocks.length >= 50, `only ${blocks.length} eligo blocks found in the docs`);
  // The standard policies parse: a failure here is the reference failing, not the editor grammar.
  const stdlib = trees.filter((t) => t.name.startsWith('stdlib-policies/'));
  assert.ok(stdlib.length >= 10, `only ${stdlib.length} standard policy files`);
  for (const tree of stdlib) assert.ok(tree.ok, `${tree.name} does not parse: ${tree.error}`);
  const parsed = trees.filter((t) => t.ok).length;
  assert.ok(parsed / trees.length > 0.8, `only ${parsed} of ${trees.length} sources parse`);
});

test('every keyword rule of grammar.pest has its expected scope', () => {
  const keywordRules = rules.filter((r) => r.startsWith('kw_'));
  assert.ok(keywordRules.length >= 40, `only ${keywordRules.length} keyword rules read`);
  assert.deepEqual(keywordRules.filter((r) => !(r in KEYWORDS)), [], 'keyword rules without an expected scope');
  assert.deepEqual(Object.keys(KEYWORDS).filter((r) => !rules.includes(r)), [], 'expected scopes of rules that are gone');
  assert.deepEqual(Object.keys(TOKENS).filter((r) => r !== 'COMMENT' && !rules.includes(r)), [],
    'expected scopes of rules that are gone');
});

test('the corpus exercises every keyword and token rule', () => {
  const seen = new Set(trees.filter((t) => t.ok).flatMap((t) => t.nodes.map((n) => n.rule)));
  const unseen = [...Object.keys(KEYWORDS), ...Object.keys(TOKENS)].filter((r) => !seen.has(r));
  assert.deepEqual(unseen, [], 'rules no parsed source uses: add them to test/fixtures');
});

for (const [index, source] of sources.entries()) {
  const tree = trees[index];
  test(`${source.name}${tree.ok ? '' : ' (does not parse)'}`, async () => {
    assert.equal(tree.name, source.name);
    const { scopesAt } = await tokenize(source.text);
    const failures = tree.ok ? checkParsed(source, tree, scopesAt) : checkUnparsed(source, tree, scopesAt);
    assert.deepEqual(failures.slice(0, 25), [], `${failures.length} tokens scoped wrong`);
  });
}
