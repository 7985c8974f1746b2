//! The library's front door, re-exported at the crate root: what the command line, the REPL and
//! other front ends (a language server, a Python binding, `eligo diff`, a report) build on. The
//! stage modules behind it stay public for tests and benchmarks, but are internal: their types
//! change as the pipeline does.
//!
//! - [`Sources`] and [`Policies`]: policy files (a folder, memory, or the standard policies built
//!   in), compiled once and shared between threads; what they declare; [`Selection`]s of
//!   outcomes by id or prefix.
//! - [`Facts`]: one partner's facts, read from JSON text or a `serde_json::Value`.
//! - [`Outcomes`]: the selected outcomes' values as of a date, typed or as `eligo.outcomes/1`.
//! - [`Explanations`]: why, why not, how far, and when outcomes change (data, text, JSON).
//! - [`Batch`]: one NDJSON line in, one line out, for a caller that streams and parallelises.
//! - [`Diff`]: one NDJSON line evaluated by two versions of the policies (or on two dates) and
//!   compared; [`DiffTally`] counts the changes of a population.
//! - [`Expression`], [`parse_input`]: typed input checked and evaluated against the policies.
//! - [`Error`] and [`Diagnostics`]: every failure, as data ([`Diagnostic`]) or rendered.
//!
//! ```
//! use eligo::{EvalOptions, FactsOptions, Policies};
//!
//! let policies = Policies::standard().expect("the standard policies compile");
//! let selection = policies.select(&["anniversary"]).expect("an outcome id");
//! let facts = policies
//!     .read_facts(
//!         "partner.json",
//!         r#"{"format": "eligo.partner-facts/1", "partner": {"id": "p"}}"#,
//!         &FactsOptions::new(),
//!     )
//!     .expect("facts");
//! let as_of = facts.date(Some(eligo::parse_date("2024-08-06").unwrap()));
//! let outcomes = policies
//!     .evaluate(&facts, &selection, as_of, &EvalOptions::new())
//!     .expect("an evaluation");
//! let json = outcomes.to_json(false).expect("written");
//! assert!(json.starts_with("{\"format\":\"eligo.outcomes/1\""));
//! ```

mod batch;
mod diff;
mod error;
mod evaluate;
mod explain;
mod expression;
mod input;
mod outline;
mod policies;
mod schema;
mod testing;

pub use crate::diag::{
    diagnostics_json, Diagnostic, Expected, FactsPath, FactsProblem, FactsWarning, Found, Label,
    PathSeg, Severity,
};
pub use crate::explain::{Change, Compared, Explanation, Node, MAX_ITEMS};
pub use crate::model::names::{closest, BUILTIN_NAMES, BUILTIN_SIGNATURES};
pub use crate::model::value::Window;
pub use crate::model::{RecordTy, Ty, Value};
pub use batch::{unreadable_line, Batch, LineError, LineOutput, LineValues, Unreadable, Worker};
pub use diff::{
    CriterionFlip, Diff, DiffHeader, DiffOptions, DiffStatus, DiffTally, DiffWorker, OutcomeChange,
    PartnerDiff,
};
pub use error::{Diagnostics, Error, EvaluationError, FactsError};
pub use evaluate::{
    parse_date, read_facts_text, read_policy_text, EvalOptions, Facts, FactsOptions, OutcomeValue,
    Outcomes, Profile,
};
pub use explain::{ExplainOptions, Explanations, TextOptions, View};
pub use expression::{is_module_path, Expression, Prelude, INPUT_NAME};
pub use input::{is_blank, is_incomplete, parse_input, starts_definition, Input};
pub use outline::{
    Criterion, FileOutline, Local, LocalKind, Outline, Reference, Symbol, SymbolKind, Target,
};
pub use policies::{OutcomeInfo, Policies, Reads, RuleInfo, Selection, Sources};
pub use testing::{
    expectation_text, parse_test_file, read_test_file, update_test_file, Expect, ExpectationUpdate,
    Mismatch, TestCase, TestFile, TestRun, MAX_TEST_FILE_BYTES,
};

/// The stack evaluation and compilation need for every limit eligo enforces; run them on a
/// thread with it ([`run_on_big_stack`]).
pub use crate::driver::{run_on_big_stack, STACK_BYTES};
/// Writes a JSON string literal, escaped as `eligo.outcomes/1` escapes its strings: for front
/// ends that write JSON of their own around values (`eligo-arrow`, the Python binding).
pub use crate::eval::output::json_string;
/// Facts text made safe for a terminal (control characters escaped): see `docs/library.md`.
pub use crate::eval::output::printable;

/// Largest facts document read, in bytes (a file over it is refused from its size).
pub use crate::facts::DEFAULT_MAX_FACTS_BYTES as MAX_FACTS_BYTES;

/// Lays out one policy file canonically (`eligo fmt`); `name` and `module` name it in the
/// diagnostics of a file that does not parse.
pub fn format(name: &str, module: &str, text: &str) -> Result<String, Error> {
    crate::format::format_source(text).map_err(|errors| {
        let mut sources = crate::source::SourceMap::new();
        let body = text.strip_prefix('\u{feff}').unwrap_or(text);
        sources.add(name, module, body);
        Error::Policies(Diagnostics::new(errors, sources))
    })
}
