//! Batch evaluation: one NDJSON line of facts in, one line of outcomes (or of error) out. The
//! command line adds reading, parallelism and progress around [`evaluate_line`]; this module does
//! no I/O, so the output of a line depends only on the line, whatever the thread or the order.

use crate::eval::output::{json_string, outcomes_object};
use crate::eval::{Compiled, Evaluation, Limits, StaticMemo};
use crate::facts::{load_facts, LoadOptions};
use crate::model::Value;
use chrono::NaiveDate;

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
    let program = compiled.program();
    let name = format!("line {line_no}");
    if text.trim().is_empty() {
        return error_line(
            line_no,
            None,
            "empty line: expected one JSON document of partner facts",
        );
    }
    let facts = match load_facts(program.facts_view(), &name, text, config.options.clone()) {
        Ok(f) => f,
        Err(e) => {
            let partner = partner_hint(text);
            return error_line(line_no, partner.as_deref(), &format!("{}: {e}", e.code()));
        }
    };
    let as_of = config.as_of.or(facts.as_of).unwrap_or(config.today);
    let mut ev = Evaluation::new(compiled, facts.fields(), as_of, config.limits);
    ev.reuse_static(kept);
    let mut values = Vec::with_capacity(config.selected.len());
    for &i in &config.selected {
        match ev.outcome(i) {
            Ok(v) => values.push(v),
            Err(e) => {
                let msg = format!("{}: outcome `{}`: {e}", e.code(), program.outcomes[i].id);
                return error_line(line_no, facts.partner.as_deref(), &msg);
            }
        }
    }
    let trues = values
        .iter()
        .map(|v| matches!(v, Value::Bool(true)))
        .collect();
    LineOutput {
        json: outcomes_object(
            program,
            &config.selected,
            &values,
            as_of,
            facts.partner.as_deref(),
            false,
        ),
        failed: false,
        trues,
    }
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
