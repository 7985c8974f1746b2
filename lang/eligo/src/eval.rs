//! Stage 4, eval: runs the IR of a [`Program`] against one partner's [`Facts`] as of a date.
//!
//! The rules it follows: every rule is evaluated at most once per evaluation (rules with enum or
//! boolean parameters once per argument combination), through memo slots fixed at check time;
//! locals live in frame slots; facts are read by field slot. Aggregations are bounded loops
//! over lists, so evaluation always ends, and a step budget and a depth limit turn pathological
//! policies into diagnostics. Every labelled criterion's value can be recorded ([`Trace`]).

mod compile;
pub mod dates;
mod interp;
pub mod ir;
pub(crate) mod ops;
pub mod output;
pub mod value;

pub use compile::Compiled;
pub use interp::{
    metric_cap, Comparison, Evaluation, Limits, StaticMemo, Trace, TraceEntry, TraceKind, TraceNode,
};

use crate::diag::Error;
use crate::facts::Facts;
use crate::program::Program;
pub use ops::compare as ops_compare;

use chrono::NaiveDate;
use value::Value;

/// The values of the selected outcomes (indices into [`Program::outcomes`]), in order.
pub fn eval_outcomes(
    program: &Program,
    facts: &Facts,
    as_of: NaiveDate,
    selected: &[usize],
    limits: Limits,
) -> Result<Vec<Value>, Error> {
    let mut ev = Evaluation::new(program, facts.fields(), as_of, limits);
    selected.iter().map(|&i| ev.outcome(i)).collect()
}
