//! Diagnostics: every error of every stage is an [`Error`] holding data; the prose (message,
//! label, help) is written here, in one place, when the error is rendered.

mod data;
mod excerpt;
mod facts;
mod render;
mod text;

pub use data::{diagnostics_json, Diagnostic, Label, Severity};
pub use facts::{Expected, FactsPath, FactsProblem, FactsWarning, Found, PathSeg};
pub use render::{render_all, render_plain, Rendered};

use crate::source::Span;
use std::sync::Arc;

/// Where an error points.
#[derive(Debug, Clone, PartialEq)]
pub enum Location {
    /// Nowhere in particular (a command-line error).
    None,
    /// A span of a policy file.
    Policy(Span),
    /// A byte offset in another file (the facts), shown with its text.
    File {
        /// The file name as given.
        name: String,
        /// Its text, for the excerpt.
        text: Arc<str>,
        /// The byte offset the label points at.
        offset: usize,
        /// How many bytes the label covers.
        len: usize,
    },
    /// A file that could not be read or parsed, shown by name only.
    Path(String),
}

/// An error: what went wrong (data) and where. Boxed, so results stay small on hot paths.
#[derive(Debug, Clone, PartialEq)]
pub struct Error(Box<ErrorData>);

/// The data of an [`Error`].
#[derive(Debug, Clone, PartialEq)]
pub struct ErrorData {
    /// What went wrong.
    pub kind: ErrorKind,
    /// Where.
    pub location: Location,
    /// Secondary labels: a previous definition, the rest of a cycle.
    pub notes: Vec<(Span, String)>,
}

impl std::ops::Deref for Error {
    type Target = ErrorData;
    fn deref(&self) -> &ErrorData {
        &self.0
    }
}

impl std::ops::DerefMut for Error {
    fn deref_mut(&mut self) -> &mut ErrorData {
        &mut self.0
    }
}

impl ErrorKind {
    /// A broken invariant of eligo (E0900): `what` says which, in words for its maintainers.
    pub fn internal(what: &'static str) -> ErrorKind {
        ErrorKind::Internal { what }
    }

    /// Whether this is a warning: the policies compile, but something in them is likely wrong.
    pub fn is_warning(&self) -> bool {
        matches!(
            self,
            ErrorKind::UnusedRule { .. }
                | ErrorKind::UnusedTable { .. }
                | ErrorKind::UnusedFactsField { .. }
                | ErrorKind::ConstantCriterion { .. }
                | ErrorKind::ThresholdUnreachable { .. }
                | ErrorKind::ThresholdAlwaysMet { .. }
        )
    }

    /// Whether this is an internal error: a bug of eligo, not of the input.
    pub fn is_internal(&self) -> bool {
        matches!(self, ErrorKind::Internal { .. })
    }
}

impl Error {
    /// An error of a kind at a location.
    pub fn new(kind: ErrorKind, location: Location) -> Self {
        Error(Box::new(ErrorData {
            kind,
            location,
            notes: Vec::new(),
        }))
    }

    /// An error at a policy span.
    pub fn at(span: Span, kind: ErrorKind) -> Self {
        Error::new(kind, Location::Policy(span))
    }

    /// An error with no location.
    pub fn bare(kind: ErrorKind) -> Self {
        Error::new(kind, Location::None)
    }

    /// An error about a file as a whole.
    pub fn in_file(path: impl Into<String>, kind: ErrorKind) -> Self {
        Error::new(kind, Location::Path(path.into()))
    }

    /// Adds a secondary label.
    pub fn with_note(mut self, span: Span, note: impl Into<String>) -> Self {
        self.notes.push((span, note.into()));
        self
    }

    /// The stable error code, e.g. `E0301`.
    pub fn code(&self) -> &'static str {
        self.kind.code()
    }
}

/// Every kind of error eligo reports, with the data its message is written from.
// The fields are the data the message is written from; each variant is documented.
#[allow(missing_docs)]
#[derive(Debug, Clone, PartialEq)]
pub enum ErrorKind {
    // ---- reading sources (E00xx)
    /// A file or folder could not be read.
    CannotRead { path: String, reason: String },
    /// Output could not be written (standard output or an output file).
    CannotWrite { path: String, reason: String },
    /// A policy folder holds no `.elg` file.
    NoPolicyFiles { path: String },
    /// A source file is larger than the limit.
    SourceTooLarge { size: usize, limit: usize },
    /// A source file is not UTF-8.
    NotUtf8 { offset: usize },
    /// A source file holds a NUL byte.
    NulByte,
    // ---- syntax (E01xx)
    /// The parser met something it did not expect.
    Syntax {
        expected: Vec<String>,
        found: String,
        /// What the author probably meant (`==` for `=`, `and` for `&&`).
        hint: Option<String>,
    },
    /// A string literal runs to the end of the line.
    UnterminatedString,
    /// An unknown escape in a string literal.
    InvalidEscape { escape: String },
    /// A date literal that is no calendar date.
    InvalidDate { text: String },
    /// A month literal that is no calendar month.
    InvalidMonth { text: String },
    /// A date or month written without leading zeros (`2024-2-1`), which reads as a subtraction.
    DateWithoutZeros { text: String, date: String },
    /// A number literal out of range.
    NumberOutOfRange { text: String },
    /// Brackets, `if` or `let` nested beyond the limit.
    NestingTooDeep { limit: usize },
    /// An identifier longer than the limit.
    IdentifierTooLong { length: usize, limit: usize },
    /// An attribute eligo does not know.
    UnknownAttribute {
        name: String,
        suggestion: Option<String>,
    },
    /// `@currency("…")` with no currency code (three capital letters).
    InvalidCurrency { text: String },
    /// A known attribute where it means nothing (`@signed` on a rule).
    MisplacedAttribute { name: String, place: String },
    /// An enum without the variant named.
    UnknownVariant {
        variant: String,
        enum_name: String,
        suggestion: Option<String>,
    },
    /// An attribute with the wrong number of arguments.
    AttributeArity {
        name: String,
        expected: usize,
        found: usize,
    },
    // ---- names and modules (E02xx)
    /// A name that is not defined.
    UnknownName {
        name: String,
        suggestion: Option<String>,
    },
    /// A name defined twice in one module.
    DuplicateDefinition { name: String },
    /// `use` of a module that does not exist.
    UnknownModule {
        path: String,
        suggestion: Option<String>,
    },
    /// A module that uses itself.
    SelfImport { module: String },
    /// A name brought in by two `use`s.
    AmbiguousName { name: String, modules: Vec<String> },
    /// More than one `facts` declaration in a policy set.
    DuplicateFacts,
    /// A cycle in the rule graph.
    RuleCycle { cycle: Vec<String> },
    /// An outcome id defined twice.
    DuplicateOutcome { id: String },
    /// An outcome id that is blank or holds a control character.
    InvalidOutcomeId { id: String, why: &'static str },
    /// Two policy files that are the same module (`a.b.elg` and `a/b.elg`).
    ModuleClash { module: String, other: String },
    /// An outcome id template whose placeholder is not its binder.
    BadOutcomeTemplate { id: String, binder: String },
    /// A record type or literal with a field twice.
    DuplicateField { field: String },
    /// An enum with a variant twice.
    DuplicateVariant { variant: String },
    /// A type name that is not defined.
    UnknownType {
        name: String,
        suggestion: Option<String>,
    },
    /// An outcome family over a name that is no enum (`for v in Bool`).
    FamilyNotEnum { name: String },
    /// A type declaration that refers to itself.
    RecursiveType { name: String },
    /// The `identified by` path does not lead to a text field of the facts.
    BadIdentifiedBy { path: String },
    // ---- types (E03xx)
    /// An expression of the wrong type.
    TypeMismatch {
        expected: String,
        found: String,
        hint: Option<String>,
    },
    /// Two operands that cannot be combined by an operator.
    BadOperands {
        op: String,
        left: String,
        right: String,
        hint: Option<String>,
    },
    /// Two values that cannot be compared.
    CannotCompare {
        left: String,
        right: String,
        hint: Option<String>,
    },
    /// A field that the record type does not have.
    UnknownField {
        field: String,
        ty: String,
        suggestion: Option<String>,
    },
    /// `.field` on something that is no record.
    NotARecord { ty: String, field: String },
    /// A list operation on something that is no list.
    NotAList { what: String, found: String },
    /// An optional value used where a value is required.
    OptionalValue { ty: String },
    /// A call with the wrong number of arguments.
    ArgumentCount {
        name: String,
        expected: String,
        found: usize,
    },
    /// A call of something that is no function or rule with parameters.
    NotCallable { name: String },
    /// A rule with parameters used without arguments.
    MissingArguments { name: String },
    /// An `x in list: body` argument where the function takes none.
    NoComprehension { name: String },
    /// `is some v` outside the condition of an `if`.
    BindingOutsideIf,
    /// A table row with the wrong number of cells.
    TableRowArity { expected: usize, found: usize },
    /// Two table rows with the same key.
    DuplicateTableKey { key: String },
    /// `key` names no column of the table.
    UnknownTableKey {
        key: String,
        suggestion: Option<String>,
    },
    /// `t[k]` on a table without a key, or on no table.
    NotIndexable { ty: String },
    /// A table cell that is not a constant.
    NotConstant,
    /// An outcome whose type has no JSON form.
    NotAnOutcomeType { ty: String },
    /// `at least N of` with more than the number of criteria.
    AtLeastTooMany { n: u32, count: usize },
    /// An empty list literal or `none` whose type cannot be known.
    CannotInfer { what: String },
    /// A rule parameter of a type that cannot be a parameter.
    BadParameterType { ty: String },
    /// An enum type used as a value without a variant.
    EnumAsValue { name: String, example: String },
    /// A module alias used as a value.
    ModuleAsValue { name: String },
    /// A constant that cannot be computed (a bad default, a table cell).
    ConstantFailed { reason: String },
    /// A rule with more combinations of enum and boolean arguments than can be numbered.
    TooManyCombinations { rule: String, limit: u128 },
    /// A type with more nodes than the limit (a chain of `group by it`, nested record types).
    TypeTooLarge { limit: usize },
    /// An amount in another currency than the program's (`EUR 100` where money is in USD).
    /// `declared`: the program names its currency (`@currency`) rather than taking the default.
    CurrencyMismatch {
        found: String,
        expected: String,
        declared: bool,
    },
    // ---- facts (E04xx)
    /// The facts file is not JSON (serde_json's message).
    FactsSyntax { message: String },
    /// The facts file holds nothing but blanks.
    FactsEmpty,
    /// The facts file is not UTF-8.
    FactsNotUtf8 { offset: usize },
    /// A test case gives both inline facts and a facts file, or neither.
    TestCaseFacts { case: String },
    /// A facts value that breaks the declared schema.
    FactsValue {
        path: FactsPath,
        problem: FactsProblem,
    },
    /// A key of the facts that the schema does not declare (strict mode).
    UnknownFactsKey {
        path: FactsPath,
        suggestion: Option<String>,
    },
    /// A facts document larger than the limit; `size` is the file's size when it was known
    /// before reading (a pipe or standard input has none: its reading stops past the limit).
    FactsTooLarge { size: Option<u64>, limit: u64 },
    /// The policies declare no facts but facts were given.
    NoFactsDeclared,
    // ---- evaluation (E05xx)
    /// Integer or decimal arithmetic overflowed.
    Overflow { op: String },
    /// Division by zero.
    DivisionByZero,
    /// Evaluation took more steps than the budget.
    BudgetExceeded { limit: u64 },
    /// A value would hold more elements (or a text more bytes) than the limit (`months_in` over a
    /// huge window, a list that holds another twice at each step, a text doubled by `+`).
    ValueTooLarge {
        what: &'static str,
        /// The size it would have, when it was counted (a built value is counted only up to
        /// the limit).
        size: Option<u64>,
        limit: u64,
        unit: &'static str,
    },
    /// Evaluation nested deeper than the limit.
    EvalTooDeep { limit: usize },
    /// A date computation left the calendar.
    DateOutOfRange,
    /// A rule called itself without a smaller variant for its decreasing parameter.
    RecursionNotDecreasing {
        rule: String,
        param: String,
        caller: String,
        callee: String,
    },
    // ---- warnings about policies (E07xx): the policies compile, something in them is likely wrong
    /// A rule no outcome or rule uses.
    UnusedRule { name: String },
    /// A table no rule or outcome reads.
    UnusedTable { name: String },
    /// A root field of the facts nothing reads.
    UnusedFactsField { name: String },
    /// A labelled criterion whose value does not depend on the facts or the date.
    ConstantCriterion { label: String },
    /// `x >= N` where no input gives `x` as much as `N`.
    ThresholdUnreachable { threshold: String, highest: String },
    /// `x >= N` that every input meets.
    ThresholdAlwaysMet { threshold: String, lowest: String },
    // ---- command line (E06xx)
    /// `--outcome` matches no outcome.
    UnknownOutcome {
        pattern: String,
        suggestion: Option<String>,
    },
    /// A command-line date that is no date.
    BadCliDate { text: String },
    /// No evaluation date could be found.
    NoEvaluationDate,
    /// A `*.test.json` file that is not a test file.
    BadTestFile { message: String },
    /// A file a command would write exists already (`eligo init` never overwrites).
    WouldOverwrite { path: String },
    /// `explain --rule` given something other than a rule call.
    NotARuleCall { text: String },
    // ---- the project file, eligo.toml (E07xx)
    /// The project file is not TOML (the TOML reader's words).
    ProjectSyntax { message: String },
    /// A key the project file does not have.
    ProjectUnknownKey {
        key: String,
        allowed: Vec<&'static str>,
    },
    /// A value of the wrong kind.
    ProjectBadValue { key: String, expected: &'static str },
    // ---- internal (E09xx)
    /// A broken invariant of eligo itself: a bug, reported instead of a wrong value.
    Internal { what: &'static str },
}

/// Escape hatch for tests and tools: the plain one-line message of an error.
impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", text::message(&self.kind))
    }
}

impl std::error::Error for Error {}
