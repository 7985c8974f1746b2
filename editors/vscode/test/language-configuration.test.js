'use strict';
// language-configuration.json: valid, and in step with grammar.pest and the standard policies' layout.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { languageConfiguration, grammarPest, repoRoot } = require('./support/paths');
const { tokenize, hasScope } = require('./support/textmate');
const { parseAll } = require('./support/oracle');

const config = JSON.parse(fs.readFileSync(languageConfiguration, 'utf8'));
const pest = fs.readFileSync(grammarPest, 'utf8');

/** The body of a rule of grammar.pest, `NAME = … { BODY }`, on one line. */
function pestRule(name) {
  const line = pest.split('\n').find((l) => new RegExp(`^${name}\\s*=`).test(l));
  assert.ok(line, `grammar.pest has no rule \`${name}\``);
  return line;
}
/** The first string literal of a rule of grammar.pest. */
const firstLiteral = (name) => JSON.parse(pestRule(name).match(/"(?:[^"\\]|\\.)*"/)[0]);

const stdlib = (() => {
  const dir = path.join(repoRoot, 'stdlib-policies');
  const files = fs.readdirSync(dir, { recursive: true }).filter((f) => f.endsWith('.elg')).sort();
  return files.map((f) => ({ name: `stdlib-policies/${f}`, text: fs.readFileSync(path.join(dir, f), 'utf8') }));
})();

test('the line comment is the grammar\'s COMMENT, and there is no block comment', () => {
  assert.equal(config.comments.lineComment, firstLiteral('COMMENT'));
  assert.equal(config.comments.blockComment, undefined);
  // A comment runs to the end of the line; the grammar ends a line at "\n" or a lone "\r", as editors do.
  assert.match(pestRule('COMMENT'), /"#" ~ \(!\("\\n" \| "\\r"\) ~ ANY\)\*/, 'COMMENT is no longer "to the end of the line"');
});

test('toggling a comment makes a comment and Enter in a doc comment continues it', async () => {
  const commented = `${config.comments.lineComment} rule x: Int = 1`;
  const { scopesAt } = await tokenize(commented);
  for (let i = 0; i < commented.length; i++) if (commented[i] !== ' ') assert.ok(hasScope(scopesAt[i], 'comment'));
  const doc = firstLiteral('doc_comment');
  assert.equal(doc, '///');
  const [rule] = config.onEnterRules;
  assert.equal(rule.action.appendText, `${doc} `);
  assert.match(`  ${doc} The fee.`, new RegExp(rule.beforeText));
  assert.doesNotMatch('# a comment', new RegExp(rule.beforeText));
  assert.doesNotMatch('rule a: Int = 1', new RegExp(rule.beforeText));
});

test('brackets and auto-closing pairs are the grammar\'s brackets and string quotes', () => {
  for (const [open, close] of config.brackets) {
    assert.ok(pest.includes(`"${open}"`) && pest.includes(`"${close}"`), `${open}${close} is not in grammar.pest`);
  }
  const pairs = config.autoClosingPairs.map((p) => p.open + p.close);
  for (const [open, close] of config.brackets) assert.ok(pairs.includes(open + close), `${open}${close} is not closed`);
  assert.equal(firstLiteral('string'), '"');
  const quote = config.autoClosingPairs.find((p) => p.open === '"');
  assert.deepEqual(quote.notIn, ['string', 'comment']);
  assert.deepEqual(config.surroundingPairs.map(([o, c]) => o + c), ['{}', '[]', '()', '""']);
});

test('the word pattern takes exactly the grammar\'s names and numbers', () => {
  const { trees } = parseAll(stdlib);
  const words = new RegExp(config.wordPattern, 'y');
  let checked = 0;
  trees.forEach((tree, index) => {
    assert.ok(tree.ok, `${tree.name} does not parse`);
    const text = stdlib[index].text;
    for (const node of tree.nodes.filter((n) => n.rule === 'ident' || n.rule === 'number')) {
      words.lastIndex = node.start;
      const match = words.exec(text);
      assert.equal(match?.[0], text.slice(node.start, node.end), `${tree.name} at ${node.start}`);
      checked++;
    }
  });
  assert.ok(checked > 1000, `only ${checked} words checked`);
});

test('the indentation rules agree with the layout of the standard policies', () => {
  const increase = new RegExp(config.indentationRules.increaseIndentPattern);
  const decrease = new RegExp(config.indentationRules.decreaseIndentPattern);
  const indent = (line) => line.match(/^ */)[0].length;
  let increases = 0;
  let decreases = 0;
  for (const { name, text } of stdlib) {
    const lines = text.split('\n');
    lines.forEach((line, i) => {
      const next = lines.slice(i + 1).find((l) => l.trim() !== '');
      if (line.trim() === '' || line.trim().startsWith('#') || next === undefined) return;
      if (increase.test(line)) {
        assert.ok(indent(next) > indent(line) || decrease.test(next), `${name}:${i + 1}: the line after \`${line.trim()}\` is not indented`);
        increases++;
      }
      if (decrease.test(next)) {
        assert.ok(indent(next) < indent(line) || increase.test(line), `${name}:${i + 2}: \`${next.trim()}\` is not outdented`);
        decreases++;
      }
    });
  }
  assert.ok(increases > 80 && decreases > 30, `only ${increases} indents and ${decreases} outdents checked`);
});

test('every regular expression of the configuration compiles', () => {
  const sources = [config.wordPattern, config.indentationRules.increaseIndentPattern,
    config.indentationRules.decreaseIndentPattern, config.folding.markers.start, config.folding.markers.end,
    ...config.onEnterRules.map((r) => r.beforeText)];
  for (const source of sources) assert.doesNotThrow(() => new RegExp(source), source);
  assert.match('# region fees', new RegExp(config.folding.markers.start));
  assert.match('  # endregion', new RegExp(config.folding.markers.end));
});
