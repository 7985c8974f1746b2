; Written by scripts/helix-queries.js from ../highlights.scm: edit that file, then run the script.
; Highlighting of eligo, with the capture names of Neovim (nvim-treesitter). Helix reads
; queries/helix/highlights.scm, written from this file by scripts/helix-queries.js.
; Every node gets one capture at most (no pattern overlaps another), so the order of the patterns
; does not matter: Neovim lets later patterns win, Helix earlier ones.

(comment) @comment
(doc_comment) @comment.line.documentation

; Keywords
["use" "facts" "type" "enum" "table" "rule" "outcome"] @keyword
["as"] @keyword.control.import
["identified" "by" "key" "for" "let"] @keyword
["if" "then" "else"] @keyword.control.conditional
["and" "or" "not" "in" "within" "is" "some" "where" "group" "otherwise"] @keyword.operator
["any" "all" "at" "least" "of" "score" "max" "points" "whole" "each" "per"] @keyword
["trailing" "ending" "between"] @keyword
(unit) @keyword
(money (currency) @keyword)

; Literals
(string) @string
[(label) (outcome_id)] @string.special
(integer) @constant.numeric.integer
(decimal) @constant.numeric.float
[(date) (month)] @constant.numeric.integer
(boolean) @constant.builtin.boolean
(none) @constant.builtin
(is_test "none" @constant.builtin)

; Declarations
(rule_declaration name: (identifier) @function)
(parameter name: (identifier) @variable.parameter)
(table_declaration name: (identifier) @type)
(table_declaration key: (identifier) @variable.other.member)
(column name: (identifier) @variable.other.member)
(enum_declaration name: (identifier) @type)
(variant name: (identifier) @type.enum.variant)
(type_declaration name: (identifier) @type)
(field_declaration name: (identifier) @variable.other.member)
(field_initializer name: (identifier) @variable.other.member)
(field_access field: (identifier) @variable.other.member)
(field_path (identifier) @variable.other.member)
(module_path (identifier) @namespace)
(use_declaration alias: (identifier) @namespace)
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
((call_path . (identifier) @function .)
  (#not-any-of? @function "count" "sum" "min" "max" "mean" "distinct" "sort" "first" "last" "map" "any" "all"
    "round" "floor" "ceil" "abs" "days" "months" "years" "month" "year" "first_day" "last_day" "months_in" "start"
    "end" "anniversary" "length" "text"))
(call_path (identifier) @namespace . (identifier) @function)
((name (identifier) @variable.builtin) (#any-of? @variable.builtin "it" "as_of"))
((name (identifier) @type) (#match? @type "^[A-Z]"))
((name (identifier) @variable) (#not-any-of? @variable "it" "as_of") (#match? @variable "^[^A-Z]"))

; Operators and punctuation
["==" "!=" "<=" ">=" "<" ">" "+" "-" "*" "/" "=" "?"] @operator
(percent "%" @constant.numeric.integer)
["(" ")" "[" "]" "{" "}"] @punctuation.bracket
["," ":" ";" "."] @punctuation.delimiter
