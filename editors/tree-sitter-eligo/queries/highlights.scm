; Highlighting of eligo, with the capture names of Neovim (nvim-treesitter). Helix reads
; queries/helix/highlights.scm, written from this file by scripts/helix-queries.js.
; Every node gets one capture at most (no pattern overlaps another), so the order of the patterns
; does not matter: Neovim lets later patterns win, Helix earlier ones.

(comment) @comment
(doc_comment) @comment.documentation

; Keywords
["use" "facts" "type" "enum" "table" "rule" "outcome"] @keyword
["as"] @keyword.import
["identified" "by" "key" "for" "let"] @keyword
["if" "then" "else"] @keyword.conditional
["and" "or" "not" "in" "within" "is" "some" "where" "group" "otherwise"] @keyword.operator
["any" "all" "at" "least" "of" "score" "max" "points" "whole" "each" "per"] @keyword
["trailing" "ending" "between"] @keyword
(unit) @keyword
(money (currency) @keyword)

; Literals
(string) @string
[(label) (outcome_id)] @string.special
(integer) @number
(decimal) @number.float
[(date) (month)] @number
(boolean) @boolean
(none) @constant.builtin
(is_test "none" @constant.builtin)

; Declarations
(rule_declaration name: (identifier) @function)
(parameter name: (identifier) @variable.parameter)
(table_declaration name: (identifier) @type.definition)
(table_declaration key: (identifier) @variable.member)
(column name: (identifier) @variable.member)
(enum_declaration name: (identifier) @type.definition)
(variant name: (identifier) @constant)
(type_declaration name: (identifier) @type.definition)
(field_declaration name: (identifier) @variable.member)
(field_initializer name: (identifier) @variable.member)
(field_access field: (identifier) @variable.member)
(field_path (identifier) @variable.member)
(module_path (identifier) @module)
(use_declaration alias: (identifier) @module)
(outcome_declaration variable: (identifier) @variable.parameter)
(outcome_declaration enum: (identifier) @type)
(let_expression name: (identifier) @variable)
(is_test binding: (identifier) @variable)
(attribute "@" @attribute name: (identifier) @attribute)

; Types
((type_name (identifier) @type.builtin)
  (#any-of? @type.builtin "Bool" "Int" "Count" "Decimal" "Money" "Percent" "Date" "Month" "Days" "Months" "Text" "Score"))
((type_name (identifier) @type)
  (#not-any-of? @type "Bool" "Int" "Count" "Decimal" "Money" "Percent" "Date" "Month" "Days" "Months" "Text" "Score"))

; Calls and names
((call_path . (identifier) @function.builtin .)
  (#any-of? @function.builtin "count" "sum" "min" "max" "mean" "distinct" "sort" "first" "last" "map" "any" "all"
    "round" "floor" "ceil" "abs" "days" "months" "years" "month" "year" "first_day" "last_day" "months_in" "start"
    "end" "anniversary" "length" "text"))
((call_path . (identifier) @function.call .)
  (#not-any-of? @function.call "count" "sum" "min" "max" "mean" "distinct" "sort" "first" "last" "map" "any" "all"
    "round" "floor" "ceil" "abs" "days" "months" "years" "month" "year" "first_day" "last_day" "months_in" "start"
    "end" "anniversary" "length" "text"))
(call_path (identifier) @module . (identifier) @function.call)
((name (identifier) @variable.builtin) (#any-of? @variable.builtin "it" "as_of"))
((name (identifier) @type) (#match? @type "^[A-Z]"))
((name (identifier) @variable) (#not-any-of? @variable "it" "as_of") (#match? @variable "^[^A-Z]"))

; Operators and punctuation
["==" "!=" "<=" ">=" "<" ">" "+" "-" "*" "/" "=" "?"] @operator
(percent "%" @number)
["(" ")" "[" "]" "{" "}"] @punctuation.bracket
["," ":" ";" "."] @punctuation.delimiter
