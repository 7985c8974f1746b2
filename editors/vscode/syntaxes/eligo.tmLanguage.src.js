'use strict';
// The source of syntaxes/eligo.tmLanguage.json: the TextMate grammar of eligo, written as code so
// that the word lists and the regular expressions they go into are written once.
// `npm run build:grammar` writes the JSON; a test fails while the JSON is stale.
//
// The syntax it follows is lang/eligo/src/syntax/grammar.pest. Many keywords are keywords only
// where the grammar expects them (`score max 100 {…}` but `rule score: Int`, `any {…}` but
// `any(list)`), so most keyword patterns look at what follows. test/corpus.test.js holds this grammar
// to the pest parse of every eligo source of the repository.

const r = String.raw;
const ID = r`[A-Za-z_][A-Za-z0-9_]*`;
const BEFORE_WORD = r`(?<![A-Za-z0-9_])`;
const AFTER_WORD = r`(?![A-Za-z0-9_])`;
/** `x` as a whole word (pest's `!ident_char` on both sides). */
const word = (x) => BEFORE_WORD + x + AFTER_WORD;

const RESERVED = 'and|or|not|if|then|else|let|true|false|none|is|where|in|within|otherwise';
const ITEM = 'use|facts|type|enum|table|rule|outcome';
const INT = r`[0-9](?:_?[0-9])*`;
const NUM = INT + r`(?:\.` + INT + ')?';
const BUILTIN_TYPES = 'Bool|Int|Count|Decimal|Money|Percent|Date|Month|Days|Months|Text|Score';
// The built-in functions of lang/eligo/src/types/calls.rs.
const BUILTIN_FUNCTIONS = 'count|sum|min|max|mean|distinct|sort|first|last|map|any|all|round|floor|ceil|abs'
  + '|days|months|years|month|year|first_day|last_day|months_in|start|end|anniversary|length|text';
const NOT_RESERVED = r`(?!\s*(?:` + RESERVED + ')' + AFTER_WORD + ')';
/** What follows a window keyword: the start of an expression, on the same line. */
const EXPRESSION_FOLLOWS = r`(?=\s*[A-Za-z0-9_(\[{"-])` + NOT_RESERVED;
/** `trailing` at the end of a line takes the next line's expression as its length. */
const EXPRESSION_FOLLOWS_OR_EOL = r`(?=\s*(?:[A-Za-z0-9_(\[{"-]|$))` + NOT_RESERVED;
/**
 * Recovery, added to the end of every bracket: a line that starts an item closes a bracket left
 * open, so that one missing `}` does not take the rest of the file. In valid code no line inside a
 * bracket starts this way.
 */
const RECOVER = r`|(?=^\s*(?:` + ITEM + r`)\s+[A-Za-z_"])`;

/** A scope name: `scope('keyword.other')` is `keyword.other.eligo`; several names are space-separated. */
const scope = (...names) => names.map((n) => n + '.eligo').join(' ');
/** Captures of groups 1, 2, …: a scope name (`'keyword.other'`), a capture rule, or null for none. */
function captures(...names) {
  const result = {};
  names.forEach((name, i) => {
    if (name !== null) result[i + 1] = typeof name === 'string' ? { name: scope(name) } : name;
  });
  return result;
}
const punctuation = (name) => ({ 0: { name: scope(name) } });

/** A bracket of `open` and `close` holding `patterns`. */
function bracket(open, close, kind, patterns, name) {
  return {
    ...(name ? { name: scope(name) } : {}),
    begin: open,
    beginCaptures: punctuation(`punctuation.section.${kind}.begin`),
    end: close + RECOVER,
    endCaptures: punctuation(`punctuation.section.${kind}.end`),
    patterns,
  };
}
const include = (name) => ({ include: '#' + name });

const repository = {
  comments: {
    patterns: [
      { name: scope('comment.line.documentation'), match: r`(///).*$`, captures: captures('punctuation.definition.comment') },
      { name: scope('comment.line.number-sign'), match: r`(#).*$`, captures: captures('punctuation.definition.comment') },
    ],
  },
  escape: { name: scope('constant.character.escape'), match: r`\\.` },
  string: {
    name: scope('string.quoted.double'),
    begin: '"',
    beginCaptures: punctuation('punctuation.definition.string.begin'),
    // A string ends at the end of its line: eligo strings hold no line break.
    end: '(")|$',
    endCaptures: captures('punctuation.definition.string.end'),
    patterns: [include('escape')],
  },
  attribute: {
    patterns: [
      {
        name: scope('meta.attribute'),
        begin: r`(@)\s*(` + ID + r`)\s*(\()`,
        beginCaptures: captures('punctuation.definition.decorator', 'entity.name.function.decorator',
          'punctuation.section.parens.begin'),
        end: r`\)` + RECOVER,
        endCaptures: punctuation('punctuation.section.parens.end'),
        patterns: [include('comments'), include('string'), include('punctuation')],
      },
      {
        name: scope('meta.attribute'),
        match: r`(@)\s*(` + ID + ')',
        captures: captures('punctuation.definition.decorator', 'entity.name.function.decorator'),
      },
    ],
  },

  // ---------------------------------------------------------------- items
  item: {
    patterns: [
      include('comments'),
      include('attribute'),
      {
        match: word('(use)') + r`\s+` + NOT_RESERVED + '(' + ID + r`(?:\.` + ID + r`)*)(?:\s+(as)\s+(` + ID + '))?',
        captures: captures('keyword.declaration.use', 'entity.name.namespace', 'keyword.other.as', 'entity.name.namespace'),
      },
      { match: word('(facts)') + r`(?=\s*")`, captures: captures('keyword.declaration.facts') },
      {
        match: word('(identified)') + r`\s+` + word('(by)') + r`\s+(` + ID + r`(?:\.` + ID + ')*)',
        captures: captures('keyword.other.identified', 'keyword.other.by', 'variable.other.property'),
      },
      {
        match: word('(type)') + r`\s+(` + ID + r`)(?=\s*=)`,
        captures: captures('keyword.declaration.type', 'entity.name.type'),
      },
      {
        name: scope('meta.enum'),
        begin: word('(enum)') + r`\s+(` + ID + r`)\s*(\{)`,
        beginCaptures: captures('keyword.declaration.enum', 'entity.name.type.enum', 'punctuation.section.braces.begin'),
        end: r`\}` + RECOVER,
        endCaptures: punctuation('punctuation.section.braces.end'),
        patterns: [include('comments'), include('attribute'), { name: scope('variable.other.enummember'), match: ID },
          include('punctuation')],
      },
      {
        name: scope('meta.table.header'),
        begin: word('(table)') + r`\s+(` + ID + r`)\s*(\()`,
        beginCaptures: captures('keyword.declaration.table', 'entity.name.type.table', 'punctuation.section.parens.begin'),
        end: r`\)` + RECOVER,
        endCaptures: punctuation('punctuation.section.parens.end'),
        patterns: [include('comments'), { match: '(' + ID + r`)\s*(?=:)`, captures: captures('variable.other.property') },
          include('types'), include('punctuation')],
      },
      {
        match: word('(key)') + r`\s+(` + ID + r`)(?=\s*=)`,
        captures: captures('keyword.other.key', 'variable.other.property'),
      },
      {
        name: scope('meta.rule.header'),
        begin: word('(rule)') + r`\s+(` + ID + ')',
        beginCaptures: captures('keyword.declaration.rule', 'entity.name.function.rule'),
        // A header ends at its `=`, or where it cannot go on (a literal: a rule without `=`).
        end: r`(=)|(?=[0-9"@])`,
        endCaptures: captures('keyword.operator.assignment'),
        patterns: [include('comments'), include('parameters'), include('types'), include('punctuation')],
      },
      {
        name: scope('meta.outcome.id'),
        begin: word('(outcome)') + r`\s*(")`,
        beginCaptures: captures('keyword.declaration.outcome',
          { name: scope('string.quoted.double', 'punctuation.definition.string.begin') }),
        contentName: scope('string.quoted.double'),
        end: '(")|$',
        endCaptures: captures({ name: scope('string.quoted.double', 'punctuation.definition.string.end') }),
        patterns: [include('escape'), { name: scope('constant.other.placeholder'), match: r`\{` + ID + r`\}` }],
      },
      { match: word('(outcome)') + r`(?=\s*(?:"|$))`, captures: captures('keyword.declaration.outcome') },
      {
        match: word('(for)') + r`\s+(` + ID + r`)\s+` + word('(in)') + r`\s+(` + ID + r`)(?=\s*=)`,
        captures: captures('keyword.other.for', 'variable.parameter', 'keyword.other.in', 'entity.name.type'),
      },
    ],
  },
  parameters: {
    ...bracket(r`\(`, r`\)`, 'parens', [
      include('comments'),
      { match: '(' + ID + r`)\s*(?=:)`, captures: captures('variable.parameter') },
      include('types'),
      include('punctuation'),
    ], 'meta.parameters'),
  },

  // ---------------------------------------------------------------- types
  types: {
    patterns: [
      include('comments'),
      { name: scope('support.type.builtin'), match: word('(?:' + BUILTIN_TYPES + ')') },
      { name: scope('entity.name.type'), match: BEFORE_WORD + ID },
      { name: scope('keyword.operator.optional'), match: r`\?` },
      bracket(r`\[`, r`\]`, 'brackets', [include('types')]),
      include('braces'),
    ],
  },

  // ---------------------------------------------------------------- expressions
  expression: {
    patterns: ['comments', 'attribute', 'string', 'criteria', 'points', 'keywords', 'literals', 'calls', 'names',
      'parens', 'brackets', 'braces', 'operators', 'punctuation'].map(include),
  },
  criteria: {
    ...bracket(
      '(?:' + word('(any|all)')
        + '|' + word('(at)') + r`\s+` + word('(least)') + r`\s+(` + INT + r`)\s+` + word('(of)')
        + '|' + word('(score)') + r`\s+` + word('(max)') + r`\s+(` + NUM + r`))\s*(\{)`,
      r`\}`, 'braces', [
        {
          // A criterion's label: a string followed by `:`.
          name: scope('string.quoted.double', 'entity.name.label'),
          begin: r`"(?=(?:[^"\\]|\\.)*"\s*:)`,
          beginCaptures: punctuation('punctuation.definition.string.begin'),
          end: '"',
          endCaptures: punctuation('punctuation.definition.string.end'),
          patterns: [include('escape')],
        },
        include('expression'),
      ], 'meta.criteria'),
    beginCaptures: captures('keyword.other.criteria', 'keyword.other.criteria', 'keyword.other.criteria',
      'constant.numeric.integer', 'keyword.other.criteria', 'keyword.other.score', 'keyword.other.max',
      { patterns: [include('literals')] }, 'punctuation.section.braces.begin'),
  },
  points: {
    ...bracket(word('(points)') + r`\s*(\()`, r`\)`, 'parens', [
      { name: scope('keyword.other.points'), match: word('(?:each|per|whole)') },
      { name: scope('keyword.other.max'), match: word('max') + r`(?!\s*\()` },
      include('expression'),
    ], 'meta.points'),
    beginCaptures: captures('keyword.other.points', 'punctuation.section.parens.begin'),
  },
  keywords: {
    patterns: [
      {
        match: word('(let)') + r`\s+` + NOT_RESERVED + '(' + ID + ')',
        captures: captures('keyword.other.let', 'variable.other.definition'),
      },
      {
        // `is some name`: the name is bound, unless it is the word that starts the next item.
        match: word('(is)') + r`\s+` + word('(some)') + r`(?:\s+(?!(?:` + RESERVED + '|' + ITEM + ')' + AFTER_WORD
          + ')(' + ID + '))?',
        captures: captures('keyword.operator.word', 'keyword.operator.word', 'variable.other.definition'),
      },
      { match: word('(group)') + r`\s+` + word('(by)'), captures: captures('keyword.operator.word', 'keyword.operator.word') },
      { name: scope('keyword.control.conditional'), match: word('(?:if|then|else)') },
      { name: scope('keyword.other.let'), match: word('let') },
      { name: scope('keyword.operator.logical'), match: word('(?:and|or|not)') },
      { name: scope('keyword.operator.word'), match: word('(?:in|within|is|where|otherwise)') },
      { name: scope('constant.language.boolean'), match: word('(?:true|false)') },
      { name: scope('constant.language.none'), match: word('none') },
      { name: scope('keyword.other.window'), match: word('trailing') + EXPRESSION_FOLLOWS_OR_EOL },
      { name: scope('keyword.other.window'), match: word('(?:ending|between)') + EXPRESSION_FOLLOWS },
      {
        match: word('(at)') + r`\s+` + word('(least)') + r`\s+(` + INT + r`)\s+` + word('(of)'),
        captures: captures('keyword.other.criteria', 'keyword.other.criteria', 'constant.numeric.integer',
          'keyword.other.criteria'),
      },
      { match: word('(score)') + r`\s+` + word('(max)'), captures: captures('keyword.other.score', 'keyword.other.max') },
    ],
  },
  literals: {
    patterns: [
      { name: scope('constant.numeric.date'), match: BEFORE_WORD + r`[0-9]{4}-[0-9]{2}-[0-9]{2}` + AFTER_WORD },
      { name: scope('constant.numeric.month'), match: BEFORE_WORD + r`[0-9]{4}-[0-9]{2}(?![-A-Za-z0-9_])` },
      {
        name: scope('constant.numeric.money'),
        // A currency code (three capital letters, `USD`, `EUR`) before an amount.
        match: word('([A-Z]{3})') + r`\s*(-)?\s*(` + NUM + ')' + AFTER_WORD,
        captures: captures('keyword.other.unit.currency', 'keyword.operator.arithmetic'),
      },
      {
        name: scope('constant.numeric.duration'),
        match: BEFORE_WORD + '(' + INT + r`)(?![.A-Za-z0-9_])\s*` + word('(days?|months?|years?)'),
        captures: captures(null, 'keyword.other.unit.duration'),
      },
      {
        name: scope('constant.numeric.percent'),
        match: BEFORE_WORD + '(' + NUM + ')' + AFTER_WORD + r`\s*(%)`,
        captures: captures(null, 'keyword.other.unit.percent'),
      },
      { name: scope('constant.numeric.decimal'), match: BEFORE_WORD + INT + r`\.` + INT + AFTER_WORD },
      { name: scope('constant.numeric.integer'), match: BEFORE_WORD + INT + AFTER_WORD },
    ],
  },
  calls: {
    patterns: [
      {
        match: BEFORE_WORD + '(' + ID + r`)(\.)(` + ID + r`)(?=\s*\()`,
        captures: captures('entity.name.namespace', 'punctuation.accessor', 'entity.name.function'),
      },
      { match: word('(' + BUILTIN_FUNCTIONS + ')') + r`(?=\s*\()`, captures: captures('support.function.builtin') },
      { match: BEFORE_WORD + '(' + ID + r`)(?=\s*\()`, captures: captures('entity.name.function') },
    ],
  },
  names: {
    patterns: [
      { match: r`(\.)\s*(` + ID + ')', captures: captures('punctuation.accessor', 'variable.other.property') },
      { name: scope('variable.language.it'), match: word('it') },
      { name: scope('variable.language.as-of'), match: word('as_of') },
      { name: scope('support.type.builtin'), match: word('(?:' + BUILTIN_TYPES + ')') },
      // Enums and types are capitalised by convention: `Area.security`.
      { name: scope('entity.name.type'), match: BEFORE_WORD + r`[A-Z][A-Za-z0-9_]*` },
      { name: scope('variable.other'), match: BEFORE_WORD + ID },
    ],
  },
  parens: bracket(r`\(`, r`\)`, 'parens', [include('expression')]),
  brackets: bracket(r`\[`, r`\]`, 'brackets', [include('expression')]),
  // A record, literal or type: `field: value`, `field: Type = default`.
  braces: bracket(r`\{`, r`\}`, 'braces', [
    include('comments'),
    include('attribute'),
    { match: BEFORE_WORD + '(' + ID + r`)\s*(?=:)`, captures: captures('variable.other.property') },
    include('expression'),
  ]),
  operators: {
    patterns: [
      { name: scope('keyword.operator.comparison'), match: '==|!=|<=|>=|<|>' },
      { name: scope('keyword.operator.assignment'), match: '=' },
      { name: scope('keyword.operator.arithmetic'), match: r`[-+*/]` },
      { name: scope('keyword.operator.optional'), match: r`\?` },
    ],
  },
  punctuation: {
    patterns: [
      { name: scope('punctuation.separator.comma'), match: ',' },
      { name: scope('punctuation.separator.colon'), match: ':' },
      { name: scope('punctuation.terminator.let'), match: ';' },
      { name: scope('punctuation.accessor'), match: r`\.` },
    ],
  },
};

module.exports = {
  $schema: 'https://raw.githubusercontent.com/martinring/tmlanguage/master/tmlanguage.json',
  name: 'eligo',
  scopeName: 'source.eligo',
  fileTypes: ['elg'],
  patterns: [include('item'), include('expression')],
  repository,
};
