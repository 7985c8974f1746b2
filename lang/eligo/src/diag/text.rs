//! The words of every diagnostic: code, message (one lowercase line, user input in backticks),
//! label (what the underline means) and help (how to fix it).

use super::ErrorKind as K;

fn did_you_mean(s: &Option<String>) -> Option<String> {
    s.as_ref().map(|s| format!("did you mean `{s}`?"))
}

impl super::ErrorKind {
    /// The stable error code.
    pub fn code(&self) -> &'static str {
        match self {
            K::CannotRead { .. } => "E0001",
            K::CannotWrite { .. } => "E0006",
            K::NoPolicyFiles { .. } => "E0002",
            K::SourceTooLarge { .. } => "E0003",
            K::NotUtf8 { .. } => "E0004",
            K::NulByte => "E0005",
            K::Syntax { .. } => "E0101",
            K::UnterminatedString => "E0102",
            K::InvalidEscape { .. } => "E0103",
            K::InvalidDate { .. } => "E0104",
            K::InvalidMonth { .. } => "E0105",
            K::DateWithoutZeros { .. } => "E0112",
            K::NumberOutOfRange { .. } => "E0106",
            K::NestingTooDeep { .. } => "E0107",
            K::IdentifierTooLong { .. } => "E0108",
            K::UnknownAttribute { .. } => "E0109",
            K::AttributeArity { .. } => "E0110",
            K::InvalidCurrency { .. } => "E0113",
            K::MisplacedAttribute { .. } => "E0111",
            K::UnknownVariant { .. } => "E0215",
            K::UnknownName { .. } => "E0201",
            K::DuplicateDefinition { .. } => "E0202",
            K::UnknownModule { .. } => "E0203",
            K::SelfImport { .. } => "E0204",
            K::AmbiguousName { .. } => "E0205",
            K::DuplicateFacts => "E0206",
            K::RuleCycle { .. } => "E0207",
            K::DuplicateOutcome { .. } => "E0208",
            K::InvalidOutcomeId { .. } => "E0216",
            K::ModuleClash { .. } => "E0217",
            K::BadOutcomeTemplate { .. } => "E0209",
            K::DuplicateField { .. } => "E0210",
            K::DuplicateVariant { .. } => "E0211",
            K::UnknownType { .. } | K::FamilyNotEnum { .. } => "E0212",
            K::RecursiveType { .. } => "E0213",
            K::BadIdentifiedBy { .. } => "E0214",
            K::TypeMismatch { .. } => "E0301",
            K::BadOperands { .. } => "E0302",
            K::CannotCompare { .. } => "E0303",
            K::UnknownField { .. } => "E0304",
            K::NotARecord { .. } => "E0305",
            K::NotAList { .. } => "E0306",
            K::OptionalValue { .. } => "E0307",
            K::ArgumentCount { .. } => "E0308",
            K::NotCallable { .. } => "E0309",
            K::MissingArguments { .. } => "E0310",
            K::NoComprehension { .. } => "E0311",
            K::BindingOutsideIf => "E0312",
            K::TableRowArity { .. } => "E0313",
            K::DuplicateTableKey { .. } => "E0314",
            K::UnknownTableKey { .. } => "E0315",
            K::NotIndexable { .. } => "E0316",
            K::NotConstant => "E0317",
            K::NotAnOutcomeType { .. } => "E0318",
            K::AtLeastTooMany { .. } => "E0319",
            K::CannotInfer { .. } => "E0320",
            K::BadParameterType { .. } => "E0321",
            K::EnumAsValue { .. } => "E0322",
            K::ModuleAsValue { .. } => "E0323",
            K::ConstantFailed { .. } => "E0324",
            K::TooManyCombinations { .. } => "E0325",
            K::TypeTooLarge { .. } => "E0326",
            K::CurrencyMismatch { .. } => "E0327",
            K::FactsSyntax { .. } | K::FactsEmpty | K::FactsNotUtf8 { .. } => "E0401",
            K::TestCaseFacts { .. } => "E0401",
            K::FactsValue { .. } => "E0402",
            K::UnknownFactsKey { .. } => "E0403",
            K::FactsTooLarge { .. } => "E0404",
            K::NoFactsDeclared => "E0405",
            K::Overflow { .. } => "E0501",
            K::DivisionByZero => "E0502",
            K::BudgetExceeded { .. } => "E0503",
            K::EvalTooDeep { .. } => "E0504",
            K::DateOutOfRange => "E0505",
            K::ValueTooLarge { .. } => "E0506",
            K::RecursionNotDecreasing { .. } => "E0510",
            K::UnknownOutcome { .. } => "E0601",
            K::UnusedRule { .. } => "E0701",
            K::UnusedTable { .. } => "E0702",
            K::UnusedFactsField { .. } => "E0703",
            K::ConstantCriterion { .. } => "E0704",
            K::ThresholdUnreachable { .. } => "E0705",
            K::ThresholdAlwaysMet { .. } => "E0706",
            K::BadCliDate { .. } => "E0602",
            K::NoEvaluationDate => "E0603",
            K::BadTestFile { .. } => "E0604",
            K::WouldOverwrite { .. } => "E0610",
            K::NotARuleCall { .. } => "E0611",
            K::ProjectSyntax { .. } => "E0801",
            K::ProjectUnknownKey { .. } => "E0802",
            K::ProjectBadValue { .. } => "E0803",
            K::Internal { .. } => "E0900",
        }
    }
}

/// The one-line message.
pub fn message(kind: &K) -> String {
    match kind {
        K::CannotRead { path, reason } => format!("cannot read `{path}`: {reason}"),
        K::CannotWrite { path, reason } => format!("cannot write `{path}`: {reason}"),
        K::NoPolicyFiles { path } => format!("no policy files (`*.elg`) in `{path}`"),
        K::SourceTooLarge { size, limit } => {
            format!("policy file is {size} bytes, more than the limit of {limit}")
        }
        K::NotUtf8 { offset } => format!("policy file is not valid UTF-8 (at byte {offset})"),
        K::NulByte => "policy file contains a NUL byte".into(),
        K::Syntax {
            expected, found, ..
        } => {
            if expected.is_empty() {
                format!("unexpected {found}")
            } else {
                format!("unexpected {found}, expected {}", one_of(expected))
            }
        }
        K::UnterminatedString => "unterminated string".into(),
        K::InvalidEscape { escape } => format!("unknown escape `{escape}` in string"),
        K::InvalidDate { text } => format!("`{text}` is not a calendar date"),
        K::InvalidMonth { text } => format!("`{text}` is not a calendar month"),
        K::DateWithoutZeros { text, .. } => {
            format!("`{text}` is a subtraction of numbers, not a date")
        }
        K::NumberOutOfRange { text } => format!("number `{text}` is out of range"),
        K::NestingTooDeep { limit } => format!("nesting deeper than {limit} levels"),
        K::IdentifierTooLong { length, limit } => {
            format!("identifier of {length} characters is longer than the limit of {limit}")
        }
        K::UnknownAttribute { name, .. } => format!("unknown attribute `@{name}`"),
        K::AttributeArity {
            name,
            expected,
            found,
        } => {
            format!("`@{name}` takes {expected} argument(s), found {found}")
        }
        K::MisplacedAttribute { name, place } => format!("`@{name}` does not apply to {place}"),
        K::UnknownVariant {
            variant, enum_name, ..
        } => format!("enum `{enum_name}` has no variant `{variant}`"),
        K::UnknownName { name, .. } => format!("unknown name `{name}`"),
        K::DuplicateDefinition { name } => format!("`{name}` is defined more than once"),
        K::UnknownModule { path, .. } => format!("no module `{path}` in this policy set"),
        K::SelfImport { module } => format!("module `{module}` uses itself"),
        K::AmbiguousName { name, modules } => {
            format!(
                "`{name}` is defined in more than one used module: {}",
                modules.join(", ")
            )
        }
        K::DuplicateFacts => "the facts are declared more than once".into(),
        K::RuleCycle { cycle } => format!(
            "rules depend on each other in a cycle: {}",
            cycle.join(" → ")
        ),
        K::DuplicateOutcome { id } => format!("outcome `{id}` is defined more than once"),
        K::InvalidOutcomeId { id, why } => {
            format!("outcome id `{}` {why}", id.escape_debug())
        }
        K::ModuleClash { module, other } => {
            format!("this file is module `{module}`, and so is `{other}`")
        }
        K::BadOutcomeTemplate { id, binder } => {
            format!("outcome id `{id}` must contain `{{{binder}}}` exactly once")
        }
        K::DuplicateField { field } => format!("field `{field}` appears more than once"),
        K::DuplicateVariant { variant } => format!("variant `{variant}` appears more than once"),
        K::UnknownType { name, .. } => format!("unknown type `{name}`"),
        K::FamilyNotEnum { name } => {
            format!("`{name}` is not an enum: an outcome family ranges over an enum's variants")
        }
        K::RecursiveType { name } => format!("type `{name}` is defined in terms of itself"),
        K::BadIdentifiedBy { path } => {
            format!("`identified by {path}` does not name a text field of the facts")
        }
        K::TypeMismatch {
            expected, found, ..
        } => format!("expected {expected}, found {found}"),
        K::BadOperands {
            op, left, right, ..
        } => format!("cannot apply `{op}` to {left} and {right}"),
        K::CannotCompare { left, right, .. } => format!("cannot compare {left} with {right}"),
        K::UnknownField { field, ty, .. } => format!("{ty} has no field `{field}`"),
        K::NotARecord { ty, field } => format!("cannot read field `{field}` of {ty}"),
        K::NotAList { what, found } => format!("{what} needs a list, found {found}"),
        K::OptionalValue { ty } => format!("this value may be absent ({ty})"),
        K::ArgumentCount {
            name,
            expected,
            found,
        } => {
            format!("`{name}` takes {expected} argument(s), found {found}")
        }
        K::NotCallable { name } => format!("`{name}` cannot be called"),
        K::MissingArguments { name } => format!("rule `{name}` needs arguments"),
        K::NoComprehension { name } => format!("`{name}` does not take an `x in list: …` argument"),
        K::BindingOutsideIf => {
            "`is some NAME` binds a name only as the condition of an `if`".into()
        }
        K::TableRowArity { expected, found } => {
            format!("row has {found} cell(s), the table has {expected} column(s)")
        }
        K::DuplicateTableKey { key } => format!("key {key} appears in more than one row"),
        K::UnknownTableKey { key, .. } => format!("the table has no column `{key}`"),
        K::NotIndexable { ty } => format!("cannot look up a key in {ty}"),
        K::NotConstant => "table cells and defaults must be constants".into(),
        K::NotAnOutcomeType { ty } => format!("an outcome cannot have the type {ty}"),
        K::AtLeastTooMany { n, count } => format!("`at least {n} of` has only {count} criteria"),
        K::CannotInfer { what } => format!("cannot tell the type of {what}"),
        K::BadParameterType { ty } => format!("a rule parameter cannot have the type {ty}"),
        K::EnumAsValue { name, .. } => format!("`{name}` is an enum, not a value"),
        K::ModuleAsValue { name } => format!("`{name}` is a module, not a value"),
        K::ConstantFailed { reason } => format!("this constant cannot be computed: {reason}"),
        K::TooManyCombinations { rule, limit } => {
            format!("rule `{rule}` has more than {limit} combinations of arguments")
        }
        K::TypeTooLarge { limit } => {
            format!("this type has more than {limit} parts")
        }
        K::CurrencyMismatch {
            found, expected, ..
        } => {
            format!("an amount in {found}, where this program's money is in {expected}")
        }
        K::InvalidCurrency { text } => {
            format!("`{text}` is not a currency code")
        }
        K::FactsSyntax { message } => format!("facts are not valid JSON: {message}"),
        K::FactsEmpty => "the facts file is empty".into(),
        K::FactsNotUtf8 { offset } => {
            format!("facts are not valid JSON: not UTF-8 (at byte {offset})")
        }
        K::TestCaseFacts { case } => format!(
            "facts are not valid JSON: test `{case}` needs exactly one of `facts` and `facts_file`"
        ),
        K::FactsValue { path, problem } => format!("{path}: {problem}"),
        K::UnknownFactsKey { path, .. } => format!("{path}: unknown key"),
        K::FactsTooLarge {
            size: Some(size),
            limit,
        } => format!("the facts are {size} bytes, larger than the limit of {limit} bytes"),
        K::FactsTooLarge { size: None, limit } => {
            format!("the facts are larger than the limit of {limit} bytes")
        }
        K::NoFactsDeclared => "the policies declare no facts".into(),
        K::Overflow { op } => format!("arithmetic overflow in `{op}`"),
        K::DivisionByZero => "division by zero".into(),
        K::BudgetExceeded { limit } => format!("evaluation took more than {limit} steps"),
        K::ValueTooLarge {
            what,
            size,
            limit,
            unit,
        } => {
            match size {
                Some(size) => {
                    format!("{what} would hold {size} {unit}, more than the limit of {limit}")
                }
                None => format!("{what} would hold more than the limit of {limit} {unit}"),
            }
        }
        K::EvalTooDeep { limit } => format!("evaluation nested deeper than {limit} levels"),
        K::UnusedRule { name } => format!("rule `{name}` is never used"),
        K::UnusedTable { name } => format!("table `{name}` is never read"),
        K::UnusedFactsField { name } => format!("facts field `{name}` is never read"),
        K::ConstantCriterion { label } => {
            format!("criterion `{label}` has the same value for every partner")
        }
        K::ThresholdUnreachable { threshold, highest } => {
            format!("threshold {threshold} is above the highest reachable value, {highest}")
        }
        K::ThresholdAlwaysMet { threshold, lowest } => {
            format!("threshold {threshold} is met by the lowest possible value, {lowest}")
        }
        K::RecursionNotDecreasing {
            rule,
            param,
            caller,
            callee,
        } => format!(
            "`{rule}` with `{param}` = `{caller}` calls itself with `{param}` = `{callee}`, which is not smaller"
        ),
        K::DateOutOfRange => "date out of the supported range".into(),
        K::UnknownOutcome { pattern, .. } => format!("no outcome matches `{pattern}`"),
        K::BadCliDate { text } => format!("`{text}` is not a date"),
        K::NoEvaluationDate => "no evaluation date".into(),
        K::BadTestFile { message } => format!("not a test file: {message}"),
        K::WouldOverwrite { path } => format!("`{path}` exists already"),
        K::NotARuleCall { text } => format!("`{text}` is not a rule call"),
        K::ProjectSyntax { message } => format!("project file is not TOML: {message}"),
        K::ProjectUnknownKey { key, .. } => format!("unknown key `{key}` in the project file"),
        K::ProjectBadValue { key, expected } => format!("`{key}` must be {expected}"),
        K::Internal { what } => format!("internal error: {what}"),
    }
}

/// The label under the span.
pub fn label(kind: &K) -> String {
    match kind {
        K::Syntax { found, .. } => format!("unexpected {found}"),
        K::UnterminatedString => "this string is never closed".into(),
        K::InvalidDate { .. } => "no such day".into(),
        K::NestingTooDeep { .. } => "too deep here".into(),
        K::UnknownName { .. } => "not defined".into(),
        K::DuplicateDefinition { .. } => "defined again here".into(),
        K::TypeMismatch { found, .. } => format!("this is {found}"),
        K::CannotCompare { .. } | K::BadOperands { .. } => "here".into(),
        K::UnknownField { .. } => "no such field".into(),
        K::OptionalValue { .. } => "may be absent".into(),
        K::RuleCycle { .. } => "this reference closes the cycle".into(),
        K::TooManyCombinations { .. } => "this rule's parameters".into(),
        K::TypeTooLarge { .. } => "the type of this".into(),
        K::CurrencyMismatch { found, .. } => format!("in {found}"),
        K::InvalidCurrency { .. } => "not three capital letters".into(),
        K::FactsValue { .. } | K::UnknownFactsKey { .. } | K::FactsSyntax { .. } => "here".into(),
        K::Overflow { .. } | K::DivisionByZero | K::DateOutOfRange => {
            "while evaluating this".into()
        }
        _ => "here".into(),
    }
}

/// The help of E0327, in the program's currency: the default or the declared one.
fn currency_help(found: &str, expected: &str, declared: bool) -> String {
    let (why, change) = if !declared {
        (
            ": its facts declaration names no other currency".to_string(),
            "declare",
        )
    } else {
        (
            format!(", as its facts declaration says (`@currency(\"{expected}\")`)"),
            "change it to",
        )
    };
    format!("this program's money is in {expected}{why}; eligo converts nothing: write the amount in {expected}, or {change} `@currency(\"{found}\")` on the facts declaration if the whole program is in {found}")
}

/// How to fix it.
pub fn help(kind: &K) -> Option<String> {
    Some(match kind {
        K::CannotRead { reason, .. } if reason.starts_with("is a folder") => "give the path of a file".into(),
        K::CannotRead { .. } => "check that the path exists and is readable".into(),
        K::CannotWrite { .. } => {
            "the output is incomplete; check that the destination exists, is writable and has room"
                .into()
        }
        K::NoPolicyFiles { .. } => "policy files end in `.elg`; pass a file or a folder holding some".into(),
        K::SourceTooLarge { .. } => "split the policies into several files".into(),
        K::NotUtf8 { .. } => "save the file as UTF-8".into(),
        K::NulByte => "policy files are text; remove the NUL byte".into(),
        K::Syntax { hint, .. } => return hint.clone(),
        K::UnterminatedString => "close the string with `\"` on the same line".into(),
        K::InvalidEscape { .. } => "the escapes are `\\\"`, `\\\\`, `\\n` and `\\t`".into(),
        K::InvalidDate { .. } => "dates are written YYYY-MM-DD and must exist in the calendar".into(),
        K::InvalidMonth { .. } => "months are written YYYY-MM with MM from 01 to 12".into(),
        K::DateWithoutZeros { date, .. } => format!("write `{date}`: dates and months take two digits for the month and the day; put spaces around `-` to subtract"),
        K::NumberOutOfRange { .. } => "integers lie between -9223372036854775808 and 9223372036854775807; decimals have at most 28 digits after the point and 29 in all".into(),
        K::NestingTooDeep { .. } => "name the inner parts with `let` or with separate rules".into(),
        K::IdentifierTooLong { .. } => "use a shorter name".into(),
        K::UnknownAttribute { suggestion, .. } => {
            did_you_mean(suggestion).unwrap_or_else(|| "the known attributes are `@source(\"…\")` on items and `@signed` on facts fields".into())
        }
        K::AttributeArity { name, .. } if name == "signed" => "write it without arguments: `@signed`".into(),
        K::AttributeArity { name, .. } if name == "currency" => "give one currency code: `@currency(\"EUR\")`".into(),
        K::AttributeArity { .. } => "write it as `@source(\"faq: question\")`".into(),
        K::InvalidCurrency { .. } => "a currency code is three capital letters, as in ISO 4217: `@currency(\"EUR\")`".into(),
        K::CurrencyMismatch {
            found,
            expected,
            declared,
        } => currency_help(found, expected, *declared),
        K::MisplacedAttribute { .. } => "`@source(\"…\")` cites the source of an item (a rule, table, outcome…); `@signed` lets a facts field hold negative numbers; `@currency(\"EUR\")` on the facts declaration sets the program's currency".into(),
        K::UnknownVariant { suggestion, enum_name, .. } => {
            did_you_mean(suggestion).unwrap_or_else(|| format!("the variants are listed in `enum {enum_name} {{ … }}`"))
        }
        K::UnknownName { name, suggestion } => match suggestion {
            Some(s) => format!("did you mean `{s}`?"),
            None if name == "it" => "`it` is the element inside `where` and `group by`".into(),
            None => "define it with `rule`, `table` or `let`, or `use` the module that defines it".into(),
        },
        K::DuplicateDefinition { .. } => "rename one of them".into(),
        K::UnknownModule { suggestion, .. } => did_you_mean(suggestion)
            .unwrap_or_else(|| "a module is a file's path in the policy folder, with `.` for `/` and no `.elg`".into()),
        K::SelfImport { .. } => "remove the `use`: a module always sees its own names".into(),
        K::AmbiguousName { name, .. } => format!("use one module with `as` and write `alias.{name}`"),
        K::DuplicateFacts => "declare the facts once, in one file".into(),
        K::RuleCycle { .. } => "a rule cannot depend on its own value; break the cycle (a rule may call itself only with a smaller variant of an enum parameter)".into(),
        K::DuplicateOutcome { .. } => "each outcome id names one value".into(),
        K::InvalidOutcomeId { .. } => "outcome ids are words and dots, like `sales.count`".into(),
        K::ModuleClash { .. } => "a file's module is its path with `/` as `.`: rename one of the two files".into(),
        K::BadOutcomeTemplate { binder, .. } => format!("write the id like `area_score.{{{binder}}}`"),
        K::DuplicateField { .. } => "remove or rename one of them".into(),
        K::DuplicateVariant { .. } => "remove one of them".into(),
        K::UnknownType { suggestion, .. } => did_you_mean(suggestion).unwrap_or_else(|| {
            "the built-in types are Bool, Int, Count, Decimal, Money, Percent, Date, Month, Days, Months, Text and Score".into()
        }),
        K::FamilyNotEnum { .. } => "declare `enum E { a, b }` and write `for v in E`, or write one outcome per value".into(),
        K::RecursiveType { .. } => "types cannot contain themselves".into(),
        K::BadIdentifiedBy { .. } => "name a path of Text fields, like `partner.id`".into(),
        K::TypeMismatch { hint, .. } => return hint.clone(),
        K::BadOperands { hint, .. } => return hint.clone(),
        K::CannotCompare { hint, .. } => return hint.clone(),
        K::UnknownField { suggestion, .. } => return did_you_mean(suggestion),
        K::NotARecord { .. } => "only records have fields".into(),
        K::NotAList { .. } => "`where`, `group by`, `count`, `sum` and the like work on lists".into(),
        K::OptionalValue { .. } => "give a default with `otherwise`, or test it with `is some`".into(),
        K::ArgumentCount { .. } => return None,
        K::NotCallable { .. } => "only functions and rules with parameters take arguments".into(),
        K::MissingArguments { name } => format!("call it as `{name}(…)`"),
        K::NoComprehension { .. } => "pass the list itself".into(),
        K::BindingOutsideIf => "write `if x is some v then … else …`, or drop the name".into(),
        K::TableRowArity { .. } => "give one cell per column, in column order".into(),
        K::DuplicateTableKey { .. } => "a keyed table has one row per key".into(),
        K::UnknownTableKey { suggestion, .. } => return did_you_mean(suggestion),
        K::NotIndexable { .. } => "declare the table with `key COLUMN` to look rows up by that column".into(),
        K::NotConstant => "write literal values; compute with rules".into(),
        K::NotAnOutcomeType { .. } => "outcomes are booleans, numbers, money, text, dates, enums, optional values, lists and records of these".into(),
        K::AtLeastTooMany { .. } => "lower N or add criteria".into(),
        K::CannotInfer { .. } => "use it where its type is known, e.g. as a rule's result".into(),
        K::BadParameterType { .. } => "pass the dates of the window instead, and build the window in the rule".into(),
        K::EnumAsValue { example, .. } => format!("name a variant, like `{example}`"),
        K::ModuleAsValue { name } => format!("name something in it, like `{name}.some_rule`"),
        K::ConstantFailed { .. } => return None,
        K::TooManyCombinations { .. } => "a rule keeps one value per combination of its enum and `Bool` arguments; pass fewer of them, or group them in a record".into(),
        K::TypeTooLarge { .. } => "each `group by` holds its list's element type twice (the key and the items), and a record holds each field's whole type: group by a field (`group by it.name`) or name fewer nested records".into(),
        K::FactsSyntax { .. } | K::FactsEmpty | K::FactsNotUtf8 { .. } => {
            "the facts are one JSON document".into()
        }
        K::TestCaseFacts { .. } => "the facts are one JSON document".into(),
        K::FactsValue { .. } => "fix the value in the facts file".into(),
        K::UnknownFactsKey { suggestion, .. } => did_you_mean(suggestion)
            .unwrap_or_else(|| "remove the key, or leave out `--strict` to ignore unknown keys with a warning".into()),
        K::FactsTooLarge { .. } => "split the population into one document per partner (`eligo batch`)".into(),
        K::NoFactsDeclared => "declare the facts with `facts \"format-id\" { … }`".into(),
        K::Overflow { .. } => "the numbers involved are too large for exact arithmetic".into(),
        K::DivisionByZero => "guard the division with `if … then … else …`".into(),
        K::BudgetExceeded { .. } => "simplify nested aggregations, or raise the budget with `--max-steps`".into(),
        K::ValueTooLarge { .. } => "narrow the window, the list or what repeats itself in it: a value is capped so that an evaluation stays within memory".into(),
        K::EvalTooDeep { .. } => "simplify the rules".into(),
        K::UnusedRule { .. } => "use it in an outcome or a rule, or remove it".into(),
        K::UnusedTable { .. } => "read it in a rule, or remove it".into(),
        K::UnusedFactsField { .. } => "read it in a rule, or remove it from the facts declaration".into(),
        K::ConstantCriterion { .. } => "a criterion should read the facts (or the date); otherwise it always passes or always fails".into(),
        K::ThresholdUnreachable { .. } => "no partner can meet it: lower the threshold, or raise the caps of the points".into(),
        K::ThresholdAlwaysMet { .. } => "every partner meets it: raise the threshold or remove the condition".into(),
        K::RecursionNotDecreasing { .. } => "a rule may call itself only with a variant declared before the one it was called with, so that the calls end; guard the call with an `if` on the smallest variant".into(),
        K::DateOutOfRange => "dates lie between 0000-01-01 and 9999-12-31".into(),
        K::UnknownOutcome { suggestion, .. } => did_you_mean(suggestion)
            .unwrap_or_else(|| "give an outcome id or a prefix of ids; `eligo eval` without `--outcome` lists them all".into()),
        K::BadCliDate { .. } => "write dates as YYYY-MM-DD, e.g. 2024-08-06".into(),
        K::NoEvaluationDate => "pass `--as-of YYYY-MM-DD`, or give the case an `as_of`".into(),
        K::Internal { .. } => "this is a bug of eligo, not of the policies or the facts: please report it with the input that caused it".into(),
        K::BadTestFile { .. } => "a test file is {\"tests\": [{\"name\", \"facts\" or \"facts_file\", \"patch\", \"as_of\", \"expect\": {\"outcomes\", \"rules\"}}]} (docs/test.md)".into(),
        K::WouldOverwrite { .. } => "`eligo init` never overwrites a file: start in an empty folder, or move the file away".into(),
        K::NotARuleCall { .. } => {
            "write a rule and its arguments, like `certified_people(data_ai_intermediate)`; `--outcome` explains outcomes".into()
        }
        K::ProjectSyntax { .. } => "write `eligo.toml` as TOML: `[live]`, then `facts = \"facts/example.json\"` (docs/editors.md)".into(),
        K::ProjectUnknownKey { allowed, .. } if allowed.is_empty() => "this table has no keys".into(),
        K::ProjectUnknownKey { allowed, .. } => format!("the keys here are {}", allowed.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ")),
        K::ProjectBadValue { key, .. } if key.ends_with("as_of") => "write the date as a string, `as_of = \"2025-06-30\"`".into(),
        K::ProjectBadValue { .. } => "see the project file's format in docs/editors.md".into(),
    })
}

fn one_of(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}
