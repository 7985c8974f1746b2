/**
 * @file The eligo policy language: a tree-sitter grammar kept in step with
 * lang/eligo/src/syntax/grammar.pest (the single source of the syntax). Each rule below names the
 * pest rule it follows; tests parse every eligo source of the repository with both and compare.
 * @license MIT
 */

/// <reference types="tree-sitter-cli/dsl" />
// @ts-check

// pest's `reserved`: never a name.
const RESERVED = ['and', 'or', 'not', 'if', 'then', 'else', 'let', 'true', 'false', 'none', 'is', 'where', 'in',
  'within', 'otherwise'];
// Words that start an item (pest's `item_keyword`): never the name bound by `is some`.
const ITEM_KEYWORDS = ['use', 'facts', 'type', 'enum', 'table', 'rule', 'outcome'];
// The other keywords of grammar.pest (`kw_…`) and the duration units: keywords only where the grammar
// expects them, names everywhere else (`rule score: Int`, `max(a, b)`, `days(3)`).
const CONTEXTUAL = [...ITEM_KEYWORDS, 'as', 'identified', 'by', 'key', 'for', 'group', 'some', 'any', 'all',
  'at', 'least', 'of', 'score', 'max', 'points', 'whole', 'each', 'per', 'trailing', 'ending', 'between',
  'day', 'days', 'month', 'months', 'year', 'years'];

const INT = /[0-9](_?[0-9])*/;
// Where a window's operand could end early, the operators bind as far as they can (pest's
// repetitions are greedy), tighter ones first: in `trailing 3 months otherwise x` the `otherwise` is
// inside the window.
const PREC = { otherwise: 1, sum: 2, product: 3, postfix: 4 };

/** `rule` separated by commas, at least once, with an optional trailing comma. */
const commaSep1 = (rule) => seq(rule, repeat(seq(',', rule)), optional(','));
const commaSep = (rule) => optional(commaSep1(rule));

module.exports = grammar({
  name: 'eligo',

  // WHITESPACE and COMMENT.
  extras: ($) => [/[ \t\r\n]/, $.comment],

  word: ($) => $.identifier,

  reserved: {
    global: (_) => RESERVED,
  },

  conflicts: ($) => [
    // A contextual keyword that starts an atom or is a name: decided by what follows (pest
    // tries the keyword's rule first and falls back on a name).
    [$.trailing_window, $._contextual_name],
    [$.between_window, $._contextual_name],
    [$.points, $._contextual_name],
    // `a.b(…)` is a call of `a.b`; `a.b` alone reads field `b` of `a`.
    [$.call_path, $.name],
  ],

  rules: {
    // file
    source_file: ($) => repeat($._item),

    // item = meta ~ item_body
    _item: ($) => choice($.use_declaration, $.facts_declaration, $.type_declaration, $.enum_declaration,
      $.table_declaration, $.rule_declaration, $.outcome_declaration),
    _meta: ($) => repeat1(choice($.doc_comment, $.attribute)),

    comment: (_) => token(seq('#', /[^\n]*/)),
    doc_comment: (_) => token(seq('///', /[^\n]*/)),
    attribute: ($) => seq('@', field('name', $._ident), optional(seq('(', commaSep($.string), ')'))),

    use_declaration: ($) => seq(optional($._meta), 'use', field('module', $.module_path),
      optional(seq('as', field('alias', $._ident)))),
    module_path: ($) => seq($._ident, repeat(seq(token.immediate('.'), $._immediate_ident))),
    facts_declaration: ($) => seq(optional($._meta), 'facts', field('format', $.string),
      optional(seq('identified', 'by', field('key', $.field_path))), field('type', $.record_type)),
    field_path: ($) => seq($._ident, repeat(seq(token.immediate('.'), $._immediate_ident))),
    type_declaration: ($) => seq(optional($._meta), 'type', field('name', $._ident), '=', field('type', $._type)),
    enum_declaration: ($) => seq(optional($._meta), 'enum', field('name', $._ident), '{', commaSep1($.variant), '}'),
    variant: ($) => seq(optional($._meta), field('name', $._ident)),
    table_declaration: ($) => seq(optional($._meta), 'table', field('name', $._ident),
      '(', commaSep1($.column), ')', optional(seq('key', field('key', $._ident))),
      '=', '[', commaSep($.row), ']'),
    column: ($) => seq(field('name', $._ident), ':', field('type', $._type)),
    row: ($) => seq('(', commaSep1($._expression), ')'),
    rule_declaration: ($) => seq(optional($._meta), 'rule', field('name', $._ident), optional($.parameters),
      ':', field('type', $._type), '=', field('body', $._expression)),
    parameters: ($) => seq('(', commaSep1($.parameter), ')'),
    parameter: ($) => seq(field('name', $._ident), ':', field('type', $._type)),
    outcome_declaration: ($) => seq(optional($._meta), 'outcome', field('id', alias($.string, $.outcome_id)),
      optional(seq('for', field('variable', $._ident), 'in', field('enum', $._ident))),
      '=', field('body', $._expression)),

    // types: type_expr = type_atom ~ optional_mark?
    _type: ($) => choice($._type_atom, $.optional_type),
    optional_type: ($) => seq($._type_atom, '?'),
    _type_atom: ($) => choice($.list_type, $.record_type, $.type_name),
    list_type: ($) => seq('[', $._type, ']'),
    record_type: ($) => seq('{', commaSep($.field_declaration), '}'),
    field_declaration: ($) => seq(optional($._meta), field('name', choice($._ident, $.string)), ':',
      field('type', $._type), optional(seq('=', field('default', $._expression)))),
    type_name: ($) => $._ident,

    // expressions: expr = let_expr | if_expr | pipeline
    _expression: ($) => choice($.let_expression, $.if_expression, $._pipeline),
    let_expression: ($) => seq('let', field('name', $._ident), '=', field('value', $._expression), ';',
      field('body', $._expression)),
    if_expression: ($) => seq('if', field('condition', $._expression), 'then', field('then', $._expression),
      'else', field('else', $._expression)),
    _pipeline: ($) => choice($._or, $.pipeline),
    pipeline: ($) => seq($._or, repeat1(choice($.where_clause, $.group_clause))),
    where_clause: ($) => seq('where', $._or),
    group_clause: ($) => seq('group', 'by', $._or),

    _or: ($) => choice($._and, $.or_expression),
    or_expression: ($) => seq($._and, repeat1(seq('or', $._and))),
    _and: ($) => choice($._not, $.and_expression),
    and_expression: ($) => seq($._not, repeat1(seq('and', $._not))),
    _not: ($) => choice($._comparison, $.not_expression),
    not_expression: ($) => seq('not', $._not),
    // cmp_expr = other_expr ~ cmp_tail?: one comparison, membership, window test or `is` test.
    _comparison: ($) => choice($._otherwise, $.comparison, $.membership, $.within_test, $.is_test),
    comparison: ($) => seq($._otherwise, field('operator', choice('==', '!=', '<=', '>=', '<', '>')), $._otherwise),
    membership: ($) => seq($._otherwise, 'in', $._otherwise),
    within_test: ($) => seq($._otherwise, 'within', $._otherwise),
    // `is some` takes the next word as its name unless it starts an item (pest's optional is greedy).
    is_test: ($) => prec.right(seq($._otherwise, 'is', choice('none', seq('some', optional(field('binding', $._binding)))))),
    _binding: ($) => choice($.identifier,
      alias(choice(...CONTEXTUAL.filter((w) => !ITEM_KEYWORDS.includes(w))), $.identifier)),
    _otherwise: ($) => choice($._additive, $.otherwise_expression),
    otherwise_expression: ($) => prec(PREC.otherwise, seq($._additive, repeat1(seq('otherwise', $._additive)))),
    _additive: ($) => choice($._multiplicative, alias($._sum, $.binary_expression)),
    _sum: ($) => prec(PREC.sum, seq($._additive, field('operator', choice('+', '-')), $._multiplicative)),
    _multiplicative: ($) => choice($._unary, alias($._product, $.binary_expression)),
    _product: ($) => prec(PREC.product, seq($._multiplicative, field('operator', choice('*', '/')), $._unary)),
    _unary: ($) => choice($._postfix, $.negation),
    negation: ($) => seq('-', $._unary),
    _postfix: ($) => choice($._atom, $.field_access, $.index),
    // `a.b` is read as the start of a call `a.b(…)` (call_path, written without spaces) and as
    // field `b` of `a` until the next token tells which.
    field_access: ($) => prec(PREC.postfix, seq($._postfix, choice('.', token.immediate('.')),
      field('field', choice($._ident, $._immediate_ident, $.string)))),
    index: ($) => prec(PREC.postfix, seq($._postfix, '[', $._expression, ']')),

    _atom: ($) => choice($.date, $.month, $.money, $.duration, $.percent, $.number, $.string, $.boolean, $.none,
      $.criteria, $.score, $.points, $.trailing_window, $.between_window, $.list, $.record, $.call, $.name,
      $.parenthesized),

    date: (_) => /[0-9]{4}-[0-9]{2}-[0-9]{2}/,
    month: (_) => /[0-9]{4}-[0-9]{2}/,
    // pest's `money_lit`: a currency code (three capital letters) before the amount. Where an atom
    // may start, three capitals are read as a code: a name of three capitals used as a value
    // (`rule x: Int = ABC`), which pest reads as a name, is an error here (docs/editors.md).
    money: ($) => seq(field('currency', $.currency), optional('-'), $.number),
    currency: (_) => token(prec(1, /[A-Z]{3}/)),
    duration: ($) => seq($.integer, field('unit', $.unit)),
    unit: (_) => choice('days', 'day', 'months', 'month', 'years', 'year'),
    percent: ($) => seq($.number, '%'),
    number: ($) => choice($.integer, $.decimal),
    integer: (_) => INT,
    decimal: (_) => token(seq(INT, '.', INT)),
    string: (_) => token(seq('"', repeat(choice(/[^"\\\n]/, /\\(.|\n)/)), '"')),
    boolean: (_) => choice('true', 'false'),
    none: (_) => 'none',

    criteria: ($) => seq(field('kind', choice('any', 'all', $.at_least)), '{', commaSep($.criterion), '}'),
    at_least: ($) => seq('at', 'least', $.integer, 'of'),
    criterion: ($) => seq(field('label', alias($.string, $.label)), ':', field('condition', $._expression)),
    score: ($) => seq('score', 'max', field('max', $.number), '{', commaSep($.criterion), '}'),
    points: ($) => prec.dynamic(1, seq('points', '(', field('value', $._expression), ',', field('rate', choice($.each_rate, $.per_rate)),
      ',', 'max', field('max', $._otherwise), optional(seq(',', 'whole')), optional(','), ')')),
    each_rate: ($) => seq($._otherwise, 'each'),
    per_rate: ($) => seq($._otherwise, 'per', $._otherwise),
    // An inner window takes the `ending` (pest's optional is greedy): right associative.
    trailing_window: ($) => prec.right(prec.dynamic(1, seq('trailing', field('length', $._otherwise),
      optional(seq('ending', field('end', $._otherwise)))))),
    between_window: ($) => prec.dynamic(1, seq('between', field('start', $._otherwise), 'and',
      field('end', $._otherwise))),

    list: ($) => seq('[', commaSep($._expression), ']'),
    record: ($) => seq('{', commaSep($.field_initializer), '}'),
    field_initializer: ($) => seq(field('name', $._ident), ':', field('value', $._expression)),
    call: ($) => seq(field('function', $.call_path), '(', commaSep($.argument), ')'),
    call_path: ($) => seq($._ident, optional(seq(token.immediate('.'), $._immediate_ident))),
    argument: ($) => seq($._expression, optional(seq(':', $._expression))),
    name: ($) => $._ident,
    parenthesized: ($) => seq('(', $._expression, ')'),

    // ident: any word but a reserved one; a contextual keyword used as a name is an identifier.
    _ident: ($) => choice($.identifier, $._contextual_name),
    _contextual_name: ($) => alias(choice(...CONTEXTUAL), $.identifier),
    _immediate_ident: ($) => alias(token.immediate(/[A-Za-z_][A-Za-z0-9_]*/), $.identifier),
    identifier: (_) => /[A-Za-z_][A-Za-z0-9_]*/,
  },
});
