'use strict';
// The tree-sitter grammar against grammar.pest: every eligo source of the repository parsed by
// both (editors/grammar-oracle), the trees compared token by token, and the highlighting queries
// checked on every token. Run by editors/test.sh; needs no npm package.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { allSources } = require('../../vscode/test/support/sources');
const { parseAll } = require('../../vscode/test/support/oracle');
const { helixQuery, source: nvimQueryPath, target: helixQueryPath, HELIX_NAMES } = require('../scripts/helix-queries');
const { KEYWORDS } = require('../../vscode/test/support/expectations');

const treeSitterTokens = process.env.ELIGO_TREE_SITTER_TOKENS
  || path.join(__dirname, '..', '..', 'grammar-oracle', 'target', 'release', 'tree-sitter-tokens');

// Sources pest rejects that tree-sitter reads without an error, each for a reason of its own.
const ACCEPTED_THOUGH_PEST_REJECTS = {
  // A reserved word as a name: the parser is generated for ABI 14 (for Neovim 0.10 and older Helix),
  // which has no reserved words; ABI 15 refuses it.
  'tests/diagnostics/policy/syntax_keyword_as_name.elg': 'rule where: Int = 1',
};

function parseWithTreeSitter(sources) {
  assert.ok(fs.existsSync(treeSitterTokens), `${treeSitterTokens} is missing: editors/test.sh builds it`);
  const input = JSON.stringify({ sources: sources.map(({ name, text }) => ({ name, text })) });
  const run = spawnSync(treeSitterTokens, [nvimQueryPath, helixQueryPath], { input, maxBuffer: 1 << 30, encoding: 'utf8' });
  if (run.error) throw run.error;
  assert.equal(run.status, 0, `tree-sitter-tokens failed: ${run.stderr}`);
  const output = JSON.parse(run.stdout);
  return output.results.map((result) => ({
    name: result.name,
    nodes: result.nodes.map(([kind, flags, start, end, parent]) => ({
      kind: output.kinds[kind], named: (flags & 1) !== 0, error: (flags & 2) !== 0, missing: (flags & 4) !== 0,
      start, end, parent,
    })),
    captures: result.captures.map((list, q) => list.map(([c, start, end]) => ({ name: output.queries[q].captures[c], start, end }))),
  }));
}

const sources = allSources();
const pest = parseAll(sources).trees;
const treeSitter = parseWithTreeSitter(sources);

/** The tree-sitter node kinds a pest token must be, at the same span. */
function expectedKinds(node, text) {
  if (node.rule.startsWith('kw_')) return node.rule === 'kw_none' ? ['none'] : [text.slice(node.start, node.end)];
  return {
    ident: ['identifier'], string: ['string', 'label', 'outcome_id'], number: ['integer', 'decimal'], int_lit: ['integer'],
    date_lit: ['date'], month_lit: ['month'], COMMENT: ['comment'], doc_comment: ['doc_comment'],
    duration_unit: ['unit'], bool_lit: ['boolean'],
  }[node.rule];
}

/** The capture (Neovim names) a pest token's characters must carry. */
function expectedCapture(tree, node) {
  const parent = node.parent >= 0 ? tree.nodes[node.parent].rule : null;
  if (node.rule === 'kw_none') return 'constant.builtin';
  if (node.rule.startsWith('kw_')) return 'keyword';
  if (node.rule === 'string') return parent === 'criterion' || parent === 'outcome_decl' ? 'string.special' : 'string';
  return {
    COMMENT: 'comment', doc_comment: 'comment.documentation', number: 'number', int_lit: 'number', date_lit: 'number',
    month_lit: 'number', duration_unit: 'keyword', bool_lit: 'boolean', ident: parent === 'name' ? null : 'any',
  }[node.rule];
}

const hasPrefix = (name, prefix) => name === prefix || name.startsWith(prefix + '.');

test('the corpus is read by both grammars', () => {
  assert.equal(treeSitter.length, sources.length);
  assert.ok(sources.length > 250);
  treeSitter.forEach((t, i) => assert.equal(t.name, pest[i].name));
});

test('the generated parser is the one grammar.js gives (generate.sh was run)', () => {
  const root = path.join(__dirname, '..');
  const digest = require('node:crypto').createHash('sha256').update(fs.readFileSync(path.join(root, 'grammar.js'))).digest('hex');
  assert.equal(fs.readFileSync(path.join(root, 'src', 'grammar.js.sha256'), 'utf8').trim(), digest,
    'grammar.js changed: run editors/tree-sitter-eligo/generate.sh and commit src/');
  assert.match(fs.readFileSync(path.join(root, 'src', 'parser.c'), 'utf8'), /#define LANGUAGE_VERSION 14\n/);
});

test('every keyword of grammar.pest is a keyword of the tree-sitter grammar', () => {
  const grammar = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'src', 'grammar.json'), 'utf8'));
  const strings = new Set([...JSON.stringify(grammar.rules).matchAll(/"type":"STRING","value":"([^"]+)"/g)].map((m) => m[1]));
  const words = Object.keys(KEYWORDS).map((rule) => rule.slice(3));
  assert.deepEqual(words.filter((w) => !strings.has(w)), []);
});

test('the Helix queries are the Neovim queries with Helix names', () => {
  assert.equal(fs.readFileSync(helixQueryPath, 'utf8'), helixQuery(fs.readFileSync(nvimQueryPath, 'utf8')),
    'run `node editors/tree-sitter-eligo/scripts/helix-queries.js`');
  const used = new Set([...fs.readFileSync(nvimQueryPath, 'utf8').matchAll(/@([A-Za-z_.]+)/g)].map((m) => m[1]));
  assert.deepEqual(Object.keys(HELIX_NAMES).filter((n) => !used.has(n)), [], 'Helix names of captures no longer used');
});

for (const [index, source] of sources.entries()) {
  const reference = pest[index];
  const tree = treeSitter[index];
  test(`${source.name}${reference.ok ? '' : ' (does not parse)'}`, () => {
    const errors = tree.nodes.filter((n) => n.error || n.missing);
    const where = (n) => `${source.name}:${source.text.slice(0, n.start).split('\n').length}`;
    if (!reference.ok) {
      if (source.name in ACCEPTED_THOUGH_PEST_REJECTS) {
        assert.ok(source.text.includes(ACCEPTED_THOUGH_PEST_REJECTS[source.name]));
        assert.equal(errors.length, 0, 'no longer accepted: remove it from ACCEPTED_THOUGH_PEST_REJECTS');
      } else {
        assert.ok(errors.length > 0, `tree-sitter accepts what pest rejects: ${reference.error}`);
      }
      return;
    }
    assert.deepEqual(errors.slice(0, 3).map((n) => `${where(n)}: ${n.missing ? 'missing' : 'error'} ${JSON.stringify(source.text.slice(n.start, n.end)).slice(0, 80)}`), []);
    const bySpan = new Map();
    for (const n of tree.nodes) bySpan.set(`${n.start}:${n.end}`, [...(bySpan.get(`${n.start}:${n.end}`) ?? []), n.kind]);
    const [nvim, helix] = tree.captures;
    const captureAt = new Array(source.text.length);
    const failures = [];
    for (const c of nvim) {
      for (let i = c.start; i < c.end; i++) {
        if (captureAt[i] !== undefined && captureAt[i] !== c.name && !/\s/.test(source.text[i])) {
          failures.push(`${where(c)}: two captures, @${captureAt[i]} and @${c.name}`);
        }
        captureAt[i] = c.name;
      }
    }
    assert.deepEqual(helix.map((c) => `${c.start}:${c.end}:${c.name}`), nvim.map((c) => `${c.start}:${c.end}:${HELIX_NAMES[c.name]}`));
    for (const node of reference.nodes) {
      const kinds = expectedKinds(node, source.text);
      if (!kinds) continue;
      const text = JSON.stringify(source.text.slice(node.start, node.end));
      const found = bySpan.get(`${node.start}:${node.end}`) ?? [];
      if (!kinds.some((k) => found.includes(k))) failures.push(`${where(node)}: ${text} (${node.rule}) is [${found}], not ${kinds}`);
      const capture = expectedCapture(reference, node);
      for (let i = node.start; i < node.end && capture !== undefined; i++) {
        const got = captureAt[i];
        if (/\s/.test(source.text[i])) continue;
        const ok = capture === null
          ? got !== undefined && !['keyword', 'string', 'comment', 'number', 'boolean'].some((p) => hasPrefix(got, p))
          : capture === 'any' ? got !== undefined && !hasPrefix(got, 'keyword') : got !== undefined && hasPrefix(got, capture);
        if (!ok) {
          failures.push(`${where(node)}: ${text} (${node.rule}) is @${got}, not @${capture ?? 'a name'}`);
          break;
        }
      }
    }
    assert.deepEqual(failures.slice(0, 20), []);
  });
}
