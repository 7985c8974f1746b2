'use strict';
// Holds the TextMate tokens of a source to the pest parse tree of the same source.
const { hasScope } = require('./textmate');
const { expectedScopes, NUMERIC_RULES, NOT_ON_NAMES, TOKENS } = require('./expectations');

const isBlank = (c) => /\s/.test(c);

/** `line:column` (1-based) of a UTF-16 offset. */
function position(text, offset) {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return `${line}:${offset - before.lastIndexOf('\n')}`;
}

function describe(source, offset, length, message, scopes) {
  const text = JSON.stringify(source.text.slice(offset, offset + length));
  return `${source.name}:${position(source.text, offset)}: ${text} ${message}; it has [${(scopes ?? []).join(', ')}]`;
}

/** The first character of a node lacking a required scope, as a message, or null. */
function missingScope(source, scopesAt, node, expected) {
  for (let i = node.start; i < node.end; i++) {
    if (isBlank(source.text[i])) continue;
    const scopes = scopesAt[i];
    const lacking = expected.all.find((s) => !hasScope(scopes, s));
    if (lacking) return describe(source, i, node.end - i, `(${node.rule}) lacks \`${lacking}\``, scopes);
    if (expected.any.length && !expected.any.some((s) => hasScope(scopes, s))) {
      return describe(source, i, node.end - i, `(${node.rule}) has none of ${expected.any.join(', ')}`, scopes);
    }
  }
  return null;
}

/**
 * The failures of a source that parses: every token carries its scopes (expectations.js), no name
 * carries a keyword, literal, string or comment scope, every other character carries some scope,
 * and comment, string and numeric scopes lie only on comments, strings and literals.
 */
function checkParsed(source, tree, scopesAt) {
  const failures = [];
  const inside = { comment: new Uint8Array(source.text.length), string: new Uint8Array(source.text.length),
    numeric: new Uint8Array(source.text.length) };
  tree.nodes.forEach((node, index) => {
    const kind = node.rule === 'COMMENT' || node.rule === 'doc_comment' ? 'comment'
      : node.rule === 'string' ? 'string' : NUMERIC_RULES.has(node.rule) ? 'numeric' : null;
    if (kind) inside[kind].fill(1, node.start, node.end);
    const expected = expectedScopes(tree, index, source.text);
    if (expected) {
      const failure = missingScope(source, scopesAt, node, expected);
      if (failure) failures.push(failure);
    }
    if (node.rule === 'ident') {
      for (let i = node.start; i < node.end; i++) {
        const wrong = NOT_ON_NAMES.find((s) => hasScope(scopesAt[i], s));
        if (wrong) {
          failures.push(describe(source, node.start, node.end - node.start, `is a name, not \`${wrong}\``, scopesAt[i]));
          break;
        }
      }
    }
  });
  const claims = [['comment', 'comment'], ['string', 'string'], ['constant.numeric', 'numeric']];
  let reported = 0;
  for (let i = 0; i < source.text.length && reported < 20; i++) {
    if (isBlank(source.text[i])) continue;
    const scopes = scopesAt[i];
    if (!scopes || scopes.length === 0) {
      failures.push(describe(source, i, 1, 'has no scope'));
      reported++;
      continue;
    }
    for (const [scope, kind] of claims) {
      if (hasScope(scopes, scope) && !inside[kind][i]) {
        failures.push(describe(source, i, 1, `carries \`${scope}\` outside any ${kind} token of the grammar`, scopes));
        reported++;
      }
    }
  }
  return failures;
}

/** The lexical scan of a source that does not parse: its comments, strings and literals still show. */
const LEXEME_SCOPES = {
  COMMENT: TOKENS.COMMENT,
  doc_comment: TOKENS.doc_comment,
  string: TOKENS.string,
  date_lit: TOKENS.date_lit,
  month_lit: TOKENS.month_lit,
  number: TOKENS.number,
};

function checkUnparsed(source, tree, scopesAt) {
  const failures = [];
  for (const node of tree.nodes) {
    const scope = LEXEME_SCOPES[node.rule];
    if (!scope) continue;
    const failure = missingScope(source, scopesAt, node, { all: [scope], any: [] });
    if (failure) failures.push(failure);
  }
  return failures;
}

module.exports = { checkParsed, checkUnparsed };
