//! Expressions typed at a REPL (or an editor's evaluate-selection), checked and evaluated with
//! the library's own checker and evaluator against loaded policies.
//!
//! How: the policy files are compiled together with one more file, `<repl>`, that `use`s every
//! loaded module ([`Prelude`]) and declares one outcome whose body is the earlier bindings, as
//! `let`s, followed by the input:
//!
//! ```text
//! use facts
//! use capability.azure
//! use capability.azure as azure
//! outcome "__repl" =
//! let total =
//! sum(sales.amount_usd)
//! ;
//! total / 2            <- the input, on its own line
//! ```
//!
//! Diagnostics that point into the input are moved back onto the line as typed, so they read
//! `<repl>:1:COL` and show that line.

use super::error::{Diagnostics, Error};
use super::evaluate::Facts;
use super::policies::{facts_read, Policies, Sources};
use crate::diag::Location;
use crate::driver::compile_sources;
use crate::eval::{Compiled, Evaluation, Limits};
use crate::model::names::BUILTIN_NAMES;
use crate::model::{Ty, Value};
use crate::source::{SourceId, SourceMap, Span};
use chrono::NaiveDate;
use std::fmt::Write as _;
use std::ops::Range;

/// The name of typed input in diagnostics.
pub const INPUT_NAME: &str = "<repl>";
/// The module typed input is compiled in.
pub(crate) const INPUT_MODULE: &str = "__repl";
/// The outcome that holds typed input.
const INPUT_OUTCOME: &str = "__repl";

/// The `use` lines that let typed input see every loaded module, with an alias per module (its
/// last name) where the alias hides nothing.
#[derive(Debug, Clone, Default)]
pub struct Prelude {
    text: String,
    aliases: Vec<(String, String)>,
    unusable: Vec<(String, String)>,
}

impl Prelude {
    /// The module aliases: (alias, module).
    pub fn aliases(&self) -> &[(String, String)] {
        &self.aliases
    }

    /// Files whose module name cannot follow `use` (their rules are not visible to typed
    /// input): (file, module).
    pub fn unusable(&self) -> &[(String, String)] {
        &self.unusable
    }

    /// The `use` lines themselves: what a policy file typed at a REPL starts with to see every
    /// loaded module.
    pub fn text(&self) -> &str {
        &self.text
    }
}

/// Whether a name can follow `use`: dot-separated words, none of them a keyword.
pub fn is_module_path(name: &str) -> bool {
    const RESERVED: &[&str] = &[
        "and",
        "or",
        "not",
        "if",
        "then",
        "else",
        "let",
        "true",
        "false",
        "none",
        "is",
        "where",
        "in",
        "within",
        "otherwise",
    ];
    !name.is_empty()
        && name.split('.').all(|seg| {
            let mut chars = seg.chars();
            chars
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
                && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
                && !RESERVED.contains(&seg)
        })
}

/// A checked input: its type, what it reads, and its value on demand.
pub struct Expression {
    pub(super) compiled: Compiled,
    pub(super) outcome: usize,
    remap: Remap,
}

impl Policies {
    /// The prelude of typed input for these policies.
    pub fn prelude(&self) -> Prelude {
        let mut prelude = Prelude::default();
        let mut usable = Vec::new();
        for (name, module, _) in self.sources().files() {
            if is_module_path(module) {
                let _ = writeln!(prelude.text, "use {module}");
                usable.push(module.to_string());
            } else {
                prelude
                    .unusable
                    .push((name.to_string(), module.to_string()));
            }
        }
        let fact_fields: Vec<&str> = self.fact_fields().map(|(n, _)| n).collect();
        let variants: Vec<&str> = self.enums().flat_map(|(_, vs)| vs).collect();
        let last = |m: &str| m.rsplit('.').next().unwrap_or(m).to_string();
        for m in &usable {
            let alias = last(m);
            let unique = usable.iter().filter(|o| last(o) == alias).count() == 1;
            // An alias comes before fact fields and built-in functions when a name is looked
            // up, and would stop a bare enum variant (`capability_score(security)`) from working.
            let hides = fact_fields.contains(&alias.as_str())
                || BUILTIN_NAMES.contains(&alias.as_str())
                || variants.contains(&alias.as_str())
                || alias == "as_of"
                || alias == "it";
            if unique && !hides {
                let _ = writeln!(prelude.text, "use {m} as {alias}");
                prelude.aliases.push((alias, m.clone()));
            }
        }
        prelude
    }

    /// Checks the part `range` of a typed `line` as an expression, after the bindings (name and
    /// expression text each, earlier first). Diagnostics point into the line, named `<repl>`.
    pub fn expression(
        &self,
        prelude: &Prelude,
        bindings: &[(&str, &str)],
        line: &str,
        range: Range<usize>,
    ) -> Result<Expression, Error> {
        let input = &line[range.clone()];
        let mut text = prelude.text.clone();
        let _ = writeln!(text, "outcome \"{INPUT_OUTCOME}\" =");
        for (name, expr) in bindings {
            let _ = write!(text, "let {name} =\n{expr}\n;\n");
        }
        let start = text.len();
        text.push_str(input);
        text.push('\n');
        let mut sources: Sources = self.sources().clone();
        sources.push(INPUT_NAME, INPUT_MODULE, text);
        let remap = Remap {
            source: SourceId(sources.len() as u32 - 1),
            generated_start: start,
            len: range.len(),
            line_start: range.start,
            line: line.to_string(),
        };
        match compile_sources(sources.0) {
            Ok(compiled) => {
                let outcome = compiled
                    .program()
                    .outcomes
                    .iter()
                    .position(|o| o.id == INPUT_OUTCOME)
                    // INVARIANT: the `<repl>` file declares it, and a policy file that declares
                    // it too makes a duplicate (E0208), not a program.
                    .ok_or_else(|| {
                        Error::request(crate::diag::Error::bare(crate::diag::ErrorKind::internal(
                            "the input's outcome is missing",
                        )))
                    })?;
                Ok(Expression {
                    compiled,
                    outcome,
                    remap,
                })
            }
            Err(failed) => Err(Error::Policies(
                remap.diagnostics(failed.errors, &failed.sources),
            )),
        }
    }
}

impl Expression {
    /// Its type.
    pub fn ty(&self) -> &Ty {
        &self.compiled.program().outcomes[self.outcome].ty
    }

    /// The root fields of the facts it reads, directly or through rules.
    pub fn facts_read(&self) -> Vec<&str> {
        let program = self.compiled.program();
        let body = &program.outcomes[self.outcome].body;
        let Some(schema) = &program.facts else {
            return Vec::new();
        };
        facts_read(program, body)
            .into_iter()
            .filter_map(|s| schema.root.fields.get(s as usize).map(|f| &*f.name))
            .collect()
    }

    /// Its value as of a date; facts may be left out when it reads none.
    pub fn evaluate(&self, facts: Option<&Facts>, as_of: NaiveDate) -> Result<Value, Error> {
        let fields = facts.map_or(&[][..], |f| f.fields());
        let mut ev = Evaluation::new(&self.compiled, fields, as_of, Limits::default());
        ev.outcome(self.outcome).map_err(|e| {
            let program = self.compiled.program();
            Error::Evaluation(super::error::EvaluationError::from_diagnostics(
                None,
                as_of,
                self.remap.diagnostics(vec![e], &program.sources),
            ))
        })
    }

    /// A value of its type, for people.
    pub fn display(&self, value: &Value) -> Result<String, Error> {
        crate::eval::output::display(self.compiled.program(), value, self.ty())
            .map_err(Error::internal)
    }
}

/// Where the input lies in the generated `<repl>` file, and where in the typed line.
#[derive(Debug, Clone)]
struct Remap {
    source: SourceId,
    generated_start: usize,
    len: usize,
    line_start: usize,
    line: String,
}

impl Remap {
    /// Diagnostics with the spans in the input moved onto the typed line (a span that covers
    /// more than the input, like the whole outcome, is cut to the input). When some span points
    /// elsewhere in the generated file, the generated file is shown instead.
    fn diagnostics(&self, mut errors: Vec<crate::diag::Error>, sources: &SourceMap) -> Diagnostics {
        let (from, to) = (self.generated_start, self.generated_start + self.len);
        let overlaps = |s: &Span| {
            s.source != self.source || (s.end as usize >= from && s.start as usize <= to)
        };
        let all_overlap = errors.iter().all(|e| {
            (match &e.location {
                Location::Policy(s) => overlaps(s),
                _ => true,
            }) && e.notes.iter().all(|(s, _)| overlaps(s))
        });
        if !all_overlap {
            return Diagnostics::new(errors, sources.clone());
        }
        let move_span = |s: &mut Span| {
            if s.source == self.source {
                let start = (s.start as usize).clamp(from, to) - from + self.line_start;
                let end = (s.end as usize).clamp(from, to) - from + self.line_start;
                *s = Span::new(s.source, start, end.max(start));
            }
        };
        for e in &mut errors {
            if let Location::Policy(s) = &mut e.location {
                move_span(s);
            }
            for (s, _) in &mut e.notes {
                move_span(s);
            }
        }
        let mut shown = SourceMap::new();
        for (id, f) in sources.files() {
            if id == self.source {
                shown.add(f.name.clone(), f.module.clone(), self.line.as_str());
            } else {
                shown.add(f.name.clone(), f.module.clone(), f.text.clone());
            }
        }
        Diagnostics::new(errors, shown)
    }
}
