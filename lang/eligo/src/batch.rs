//! Batch evaluation: one NDJSON line of facts in, one line of outcomes (or of error) out. The
//! command line adds reading, parallelism and progress around [`evaluate_line`]; this module does
//! no I/O, so the output of a line depends only on the line, whatever the thread or the order.

use crate::eval::output::{json_string, outcomes_object};
use crate::eval::{Compiled, Evaluation, Limits, StaticMemo};
use crate::facts::{load_facts, Facts, LoadOptions};
use crate::model::Value;
use chrono::NaiveDate;
use std::sync::Arc;

/// What every line is evaluated with.
#[derive(Debug, Clone)]
pub struct BatchConfig {
    /// The outcomes to evaluate (indices into [`crate::model::Program::outcomes`]).
    pub selected: Vec<usize>,
    /// `--as-of`, which wins over each line's `as_of`.
    pub as_of: Option<NaiveDate>,
    /// The date used when neither gives one.
    pub today: NaiveDate,
    /// How facts are read.
    pub options: LoadOptions,
    /// Evaluation bounds, per line.
    pub limits: Limits,
}

/// The result of one line.
#[derive(Debug, Clone, PartialEq)]
pub struct LineOutput {
    /// The output line, without its newline.
    pub json: String,
    /// Whether it is an error record.
    pub failed: bool,
    /// For each selected outcome, whether its value is `true` (for the summary).
    pub trues: Vec<bool>,
}

/// Evaluates one line of NDJSON (`line_no` counts from 1).
pub fn evaluate_line(
    compiled: &Compiled,
    config: &BatchConfig,
    line_no: u64,
    text: &str,
) -> LineOutput {
    evaluate_line_with(compiled, config, line_no, text, &mut StaticMemo::default())
}

/// [`evaluate_line`], reusing the values of rules that read no facts from earlier lines
/// evaluated on the same date (one `kept` per worker thread).
pub fn evaluate_line_with(
    compiled: &Compiled,
    config: &BatchConfig,
    line_no: u64,
    text: &str,
    kept: &mut StaticMemo,
) -> LineOutput {
    let done = match evaluate_values(compiled, config, line_no, text, kept) {
        Ok(done) => done,
        Err(e) => return error_line(line_no, e.partner.as_deref(), &e.message),
    };
    let json = outcomes_object(
        compiled.program(),
        &config.selected,
        &done.values,
        done.as_of,
        done.partner.as_deref(),
        false,
    );
    match json {
        Ok(json) => LineOutput {
            json,
            failed: false,
            trues: done
                .values
                .iter()
                .map(|v| matches!(v, Value::Bool(true)))
                .collect(),
        },
        Err(e) => {
            let message = format!("{}: {e}", e.code());
            error_line(line_no, done.partner.as_deref(), &message)
        }
    }
}

/// The values of one line's selected outcomes, before they are written.
#[derive(Debug, Clone)]
pub struct LineValues {
    /// The partner id.
    pub partner: Option<Arc<str>>,
    /// The evaluation date.
    pub as_of: NaiveDate,
    /// One value per selected outcome, in the selection's order.
    pub values: Vec<Value>,
}

/// Why a line has no values: its facts, or an evaluation, failed.
#[derive(Debug, Clone, PartialEq)]
pub struct LineError {
    /// The partner id, if the line is JSON enough to tell.
    pub partner: Option<String>,
    /// The error with its code (`E0401: …`).
    pub message: String,
}

/// Reads one line's facts and evaluates the selected outcomes (what [`evaluate_line_with`]
/// writes).
pub fn evaluate_values(
    compiled: &Compiled,
    config: &BatchConfig,
    line_no: u64,
    text: &str,
    kept: &mut StaticMemo,
) -> Result<LineValues, LineError> {
    let facts = read_line_facts(compiled, config, line_no, text)?;
    let as_of = config.as_of.or(facts.as_of).unwrap_or(config.today);
    let values = evaluate_facts(compiled, config, &facts, as_of, kept)?;
    Ok(LineValues {
        partner: facts.partner.clone(),
        as_of,
        values,
    })
}

/// What a line that could not be read starts with (see [`unreadable_line`]): NUL characters,
/// which no JSON document starts with.
const UNREADABLE: &str = "\u{0}\u{0}unreadable\u{0}";

/// Why a reader could not read a line of a population.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unreadable {
    /// The line is longer than the limit, in bytes (it was not held in memory).
    TooLong { limit: u64 },
    /// The line is not UTF-8, from this byte of the line on.
    NotUtf8 { offset: usize },
}

/// The text to evaluate for a line that the reader could not read: its output is an error
/// record with the error of a facts file of the same fault (`E0404` for a line over the size
/// limit, `E0401` for one that is not UTF-8), never a JSON syntax error.
pub fn unreadable_line(why: Unreadable) -> String {
    let kind = match why {
        Unreadable::TooLong { limit } => {
            crate::diag::ErrorKind::FactsTooLarge { size: None, limit }
        }
        Unreadable::NotUtf8 { offset } => crate::diag::ErrorKind::FactsNotUtf8 { offset },
    };
    let e = crate::diag::Error::bare(kind);
    format!("{UNREADABLE}{}: {e}", e.code())
}

/// Reads one line's facts against the program's facts declaration.
pub fn read_line_facts(
    compiled: &Compiled,
    config: &BatchConfig,
    line_no: u64,
    text: &str,
) -> Result<Facts, LineError> {
    if let Some(why) = text.strip_prefix(UNREADABLE) {
        return Err(LineError {
            partner: None,
            message: why.to_string(),
        });
    }
    if text.trim().is_empty() {
        return Err(LineError {
            partner: None,
            message: "empty line: expected one JSON document of partner facts".to_string(),
        });
    }
    let name = format!("line {line_no}");
    load_facts(
        compiled.program().facts_view(),
        &name,
        text,
        config.options.clone(),
    )
    .map_err(|e| LineError {
        partner: partner_hint(text),
        message: format!("{}: {e}", e.code()),
    })
}

/// Evaluates the selected outcomes for facts already read, as of a date.
pub fn evaluate_facts(
    compiled: &Compiled,
    config: &BatchConfig,
    facts: &Facts,
    as_of: NaiveDate,
    kept: &mut StaticMemo,
) -> Result<Vec<Value>, LineError> {
    let program = compiled.program();
    let mut ev = Evaluation::new(compiled, facts.fields(), as_of, config.limits);
    ev.reuse_static(kept);
    let mut values = Vec::with_capacity(config.selected.len());
    for &i in &config.selected {
        match ev.outcome(i) {
            Ok(v) => values.push(v),
            Err(e) => {
                return Err(LineError {
                    partner: facts.partner.as_deref().map(str::to_string),
                    message: format!("{}: outcome `{}`: {e}", e.code(), program.outcomes[i].id),
                })
            }
        }
    }
    ev.keep_static(kept);
    Ok(values)
}

fn error_line(line_no: u64, partner: Option<&str>, message: &str) -> LineOutput {
    let mut json = format!("{{\"line\":{line_no},\"partner\":");
    match partner {
        Some(p) => json_string(&mut json, p),
        None => json.push_str("null"),
    }
    json.push_str(",\"error\":");
    json_string(&mut json, message);
    json.push('}');
    LineOutput {
        json,
        failed: true,
        trues: Vec::new(),
    }
}

/// The partner id of a line whose facts are invalid, if the line is JSON enough to tell.
fn partner_hint(text: &str) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct Probe {
        partner: Option<ProbePartner>,
    }
    #[derive(serde::Deserialize)]
    struct ProbePartner {
        id: Option<String>,
    }
    serde_json::from_str::<Probe>(text).ok()?.partner?.id
}
