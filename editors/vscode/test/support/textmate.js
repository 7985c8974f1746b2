'use strict';
// The TextMate engine of VS Code (vscode-textmate over the Oniguruma WebAssembly build) loading
// syntaxes/eligo.tmLanguage.json, and a tokenisation that keeps the scopes of every character.
const fs = require('node:fs');
const vsctm = require('vscode-textmate');
const oniguruma = require('vscode-oniguruma');
const { tmGrammar } = require('./paths');

const SCOPE = 'source.eligo';

let grammarPromise;

/** The grammar, loaded once. */
function loadGrammar() {
  grammarPromise ??= (async () => {
    const wasm = fs.readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
    await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
    const registry = new vsctm.Registry({
      onigLib: Promise.resolve({
        createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
        createOnigString: (text) => new oniguruma.OnigString(text),
      }),
      loadGrammar: async (scopeName) =>
        scopeName === SCOPE ? vsctm.parseRawGrammar(fs.readFileSync(tmGrammar, 'utf8'), tmGrammar) : null,
    });
    const grammar = await registry.loadGrammar(SCOPE);
    if (!grammar) throw new Error(`${tmGrammar} does not define ${SCOPE}`);
    return grammar;
  })();
  return grammarPromise;
}

/**
 * Tokenises `text` line by line as VS Code does (line terminators removed, the rule stack carried
 * from line to line). Returns the lines, each with its offset in `text` and its tokens, and
 * `scopesAt[i]`: the scopes of the character at UTF-16 offset `i`, without the root scope
 * (undefined for line terminators).
 */
async function tokenize(text) {
  const grammar = await loadGrammar();
  const lines = [];
  const scopesAt = new Array(text.length);
  let stack = vsctm.INITIAL;
  let offset = 0;
  for (const raw of text.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    // No time limit: a slow pattern must show as a slow test, never as tokens cut short.
    const result = grammar.tokenizeLine(line, stack, 0);
    if (result.stoppedEarly) throw new Error(`tokenisation stopped early at offset ${offset}`);
    const tokens = result.tokens.map((t) => ({
      start: t.startIndex,
      end: Math.min(t.endIndex, line.length),
      scopes: t.scopes.filter((s) => s !== SCOPE),
    }));
    for (const t of tokens) for (let i = t.start; i < t.end; i++) scopesAt[offset + i] = t.scopes;
    lines.push({ offset, text: line, tokens });
    stack = result.ruleStack;
    offset += raw.length + 1;
  }
  return { lines, scopesAt };
}

/** Whether `scopes` holds `prefix` or a scope under it (`keyword` holds `keyword.other.eligo`). */
function hasScope(scopes, prefix) {
  return (scopes ?? []).some((s) => s === prefix || s.startsWith(prefix + '.'));
}

module.exports = { SCOPE, loadGrammar, tokenize, hasScope };
