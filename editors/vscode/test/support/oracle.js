'use strict';
// The reference: lang/eligo's grammar.pest run by pest-tokens (editors/grammar-oracle), which prints
// the parse tree of each source. See that crate for the output format.
const fs = require('node:fs');
const { spawnSync } = require('node:child_process');
const { grammarPest, pestTokens } = require('./paths');

/**
 * Parses the sources with the real grammar. Returns, for each source (same order),
 * `{ok, error, nodes}` with nodes `{rule, start, end, parent, children}` (offsets in UTF-16 units),
 * and the list of the grammar's rule names.
 */
function parseAll(sources) {
  if (!fs.existsSync(pestTokens)) {
    throw new Error(
      `${pestTokens} is missing: build it with ` +
        '`cargo build --release --manifest-path editors/grammar-oracle/Cargo.toml` (editors/test.sh does)',
    );
  }
  const input = JSON.stringify({ sources: sources.map(({ name, text }) => ({ name, text })) });
  const run = spawnSync(pestTokens, [grammarPest], { input, maxBuffer: 1 << 30, encoding: 'utf8' });
  if (run.error) throw run.error;
  if (run.status !== 0) throw new Error(`pest-tokens failed (${run.status}): ${run.stderr}`);
  const output = JSON.parse(run.stdout);
  const trees = output.results.map((result) => {
    const nodes = result.nodes.map(([rule, start, end, parent]) => ({
      rule: output.rules[rule],
      start,
      end,
      parent,
      children: [],
    }));
    nodes.forEach((node, index) => node.parent >= 0 && nodes[node.parent].children.push(index));
    return { name: result.name, ok: result.ok, error: result.error, nodes };
  });
  return { rules: output.rules, trees };
}

module.exports = { parseAll };
