'use strict';
// What the TextMate grammar must give each token of the pest grammar: the specification the corpus
// test holds the grammar to. A scope here is a prefix: `keyword` is satisfied by `keyword.other.eligo`.

const BUILTIN_TYPES = new Set(['Bool', 'Int', 'Count', 'Decimal', 'Money', 'Percent', 'Date', 'Month', 'Days',
  'Months', 'Text', 'Score']);
// The built-in functions of lang/eligo/src/types/calls.rs.
const BUILTIN_FUNCTIONS = new Set(['count', 'sum', 'min', 'max', 'mean', 'distinct', 'sort', 'first', 'last', 'map',
  'any', 'all', 'round', 'floor', 'ceil', 'abs', 'days', 'months', 'years', 'month', 'year', 'first_day', 'last_day',
  'months_in', 'start', 'end', 'anniversary', 'length', 'text']);


/**
 * The scope of each keyword rule of grammar.pest (`kw_…`), by the rule that holds it where the
 * same word plays two parts. A keyword rule missing here fails the test: a new keyword needs a
 * scope in the TextMate grammar and a line here.
 */
const KEYWORDS = {
  kw_use: 'keyword.declaration.use',
  kw_as: 'keyword.other.as',
  kw_facts: 'keyword.declaration.facts',
  kw_identified: 'keyword.other.identified',
  kw_by: { facts_decl: 'keyword.other.by', group_op: 'keyword.operator.word' },
  kw_type: 'keyword.declaration.type',
  kw_enum: 'keyword.declaration.enum',
  kw_table: 'keyword.declaration.table',
  kw_key: 'keyword.other.key',
  kw_rule: 'keyword.declaration.rule',
  kw_outcome: 'keyword.declaration.outcome',
  kw_for: 'keyword.other.for',
  kw_in: { outcome_decl: 'keyword.other.in', member: 'keyword.operator.word' },
  kw_let: 'keyword.other.let',
  kw_if: 'keyword.control.conditional',
  kw_then: 'keyword.control.conditional',
  kw_else: 'keyword.control.conditional',
  kw_where: 'keyword.operator.word',
  kw_group: 'keyword.operator.word',
  kw_or: 'keyword.operator.logical',
  kw_and: { and_expr: 'keyword.operator.logical', between_window: 'keyword.operator.logical' },
  kw_not: 'keyword.operator.logical',
  kw_within: 'keyword.operator.word',
  kw_is: 'keyword.operator.word',
  kw_none: 'constant.language.none',
  kw_some: 'keyword.operator.word',
  kw_otherwise: 'keyword.operator.word',
  kw_any: 'keyword.other.criteria',
  kw_all: 'keyword.other.criteria',
  kw_at: 'keyword.other.criteria',
  kw_least: 'keyword.other.criteria',
  kw_of: 'keyword.other.criteria',
  kw_score: 'keyword.other.score',
  kw_max: 'keyword.other.max',
  kw_points: 'keyword.other.points',
  kw_whole: 'keyword.other.points',
  kw_each: 'keyword.other.points',
  kw_per: 'keyword.other.points',
  kw_trailing: 'keyword.other.window',
  kw_ending: 'keyword.other.window',
  kw_between: 'keyword.other.window',
};

/** Token rules other than keywords and names, with the scope each must carry. */
const TOKENS = {
  COMMENT: 'comment.line.number-sign',
  doc_comment: 'comment.line.documentation',
  string: 'string.quoted.double',
  number: 'constant.numeric',
  int_lit: 'constant.numeric',
  date_lit: 'constant.numeric.date',
  month_lit: 'constant.numeric.month',
  money_lit: 'constant.numeric.money',
  currency: 'keyword.other.unit.currency',
  duration_lit: 'constant.numeric.duration',
  duration_unit: 'keyword.other.unit.duration',
  percent_lit: 'constant.numeric.percent',
  bool_lit: 'constant.language.boolean',
  cmp_op: 'keyword.operator.comparison',
  add_op: 'keyword.operator.arithmetic',
  mul_op: 'keyword.operator.arithmetic',
  neg_op: 'keyword.operator.arithmetic',
  optional_mark: 'keyword.operator.optional',
};

/** The rules whose characters are literals: only these may carry `constant.numeric`. */
const NUMERIC_RULES = new Set(['number', 'int_lit', 'date_lit', 'month_lit', 'money_lit', 'duration_lit',
  'percent_lit']);

/**
 * The scopes a node must carry (every one of `all`, and at least one of `any`), or null when the
 * node is not a token checked on its own (a wrapper such as `expr`, or punctuation).
 */
function expectedScopes(tree, index, text) {
  const node = tree.nodes[index];
  const parent = node.parent >= 0 ? tree.nodes[node.parent] : null;
  const parentRule = parent?.rule;
  const scoped = (...all) => ({ all, any: [] });
  if (node.rule.startsWith('kw_')) {
    const entry = KEYWORDS[node.rule];
    if (entry === undefined) throw new Error(`no scope is expected for the keyword rule \`${node.rule}\`: add it`);
    const scope = typeof entry === 'string' ? entry : entry[parentRule];
    if (scope === undefined) throw new Error(`no scope is expected for \`${node.rule}\` inside \`${parentRule}\``);
    return scoped(scope);
  }
  if (node.rule === 'string' && parentRule === 'criterion') return scoped(TOKENS.string, 'entity.name.label');
  if (node.rule in TOKENS) return scoped(TOKENS[node.rule]);
  if (node.rule === 'ident') return identScopes(tree, index, text, scoped);
  return null;
}

/** A name's scope depends on what declares or uses it. */
function identScopes(tree, index, text, scoped) {
  const node = tree.nodes[index];
  const parent = tree.nodes[node.parent];
  const word = text.slice(node.start, node.end);
  const identSiblings = parent.children.filter((c) => tree.nodes[c].rule === 'ident');
  const position = identSiblings.indexOf(index);
  const isLast = position === identSiblings.length - 1;
  switch (parent.rule) {
    case 'rule_decl': return scoped('entity.name.function.rule');
    case 'table_decl': return scoped(position === 0 ? 'entity.name.type.table' : 'variable.other.property');
    case 'enum_decl': return scoped('entity.name.type.enum');
    case 'type_decl': return scoped('entity.name.type');
    case 'variant': return scoped('variable.other.enummember');
    case 'column': case 'field_name': case 'field_init': case 'field_access': case 'field_path':
      return scoped('variable.other.property');
    case 'param': return scoped('variable.parameter');
    case 'let_expr': case 'is_some': return scoped('variable.other.definition');
    case 'outcome_decl': return scoped(position === 0 ? 'variable.parameter' : 'entity.name.type');
    case 'module_path': case 'use_decl': return scoped('entity.name.namespace');
    case 'attribute': return scoped('entity.name.function.decorator');
    case 'call_path':
      if (!isLast) return scoped('entity.name.namespace');
      return scoped(identSiblings.length === 1 && BUILTIN_FUNCTIONS.has(word)
        ? 'support.function.builtin' : 'entity.name.function');
    case 'type_name': return scoped(BUILTIN_TYPES.has(word) ? 'support.type.builtin' : 'entity.name.type');
    case 'name':
      return { all: [], any: ['variable', 'entity.name.type', 'support.type.builtin'] };
    default:
      throw new Error(`no scope is expected for a name inside \`${parent.rule}\`: add it`);
  }
}

/** Scopes a name must never carry: it is not a keyword, literal, string or comment. */
const NOT_ON_NAMES = ['keyword', 'constant', 'string', 'comment'];

module.exports = { KEYWORDS, TOKENS, NUMERIC_RULES, NOT_ON_NAMES, expectedScopes, BUILTIN_FUNCTIONS, BUILTIN_TYPES };
