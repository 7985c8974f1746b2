//! Batch evaluation: one NDJSON line of facts in, one line of outcomes (or of error) out, with
//! nothing allocated per line beyond what evaluating it needs. Reading, parallelism and progress
//! belong to the caller: a [`Batch`] is shared by every worker, each with its own [`Worker`]
//! (and, for speed, its own [`Policies::worker_copy`]).

use super::evaluate::{EvalOptions, FactsOptions};
use super::policies::{Policies, Selection};
use crate::batch::{evaluate_line_with, BatchConfig};
use crate::eval::StaticMemo;
use chrono::NaiveDate;

pub use crate::batch::{unreadable_line, LineError, LineOutput, LineValues, Unreadable};

/// What every line of a batch is evaluated with.
#[derive(Debug, Clone)]
pub struct Batch {
    config: BatchConfig,
}

/// A worker's state between lines: the values of rules that read no facts, kept for the next
/// line evaluated on the same date.
#[derive(Debug, Default)]
pub struct Worker {
    kept: StaticMemo,
}

impl Batch {
    /// A batch of the selected outcomes. `as_of` wins over each line's `as_of`; `today` is the
    /// date when neither gives one.
    pub fn new(
        selection: &Selection,
        as_of: Option<NaiveDate>,
        today: NaiveDate,
        facts: &FactsOptions,
        eval: &EvalOptions,
    ) -> Batch {
        let facts = facts.clone().for_selection(selection);
        Batch {
            config: BatchConfig {
                selected: selection.indices.clone(),
                as_of,
                today,
                options: facts.load(),
                limits: eval.limits,
            },
        }
    }

    /// Evaluates one line (`line_no` counts from 1) with policies compiled from the same files
    /// as the selection's.
    pub fn line(
        &self,
        policies: &Policies,
        line_no: u64,
        text: &str,
        worker: &mut Worker,
    ) -> LineOutput {
        evaluate_line_with(
            policies.compiled(),
            &self.config,
            line_no,
            text,
            &mut worker.kept,
        )
    }

    /// Evaluates one line like [`Batch::line`], but gives the typed values (one per selected
    /// outcome, in the selection's order, of the types [`Policies::selected`] gives) rather than
    /// their JSON: for a front end that writes columns (Arrow, Parquet). The error's message is
    /// the `error` field of the line [`Batch::line`] would write.
    pub fn values(
        &self,
        policies: &Policies,
        line_no: u64,
        text: &str,
        worker: &mut Worker,
    ) -> Result<LineValues, LineError> {
        crate::batch::evaluate_values(
            policies.compiled(),
            &self.config,
            line_no,
            text,
            &mut worker.kept,
        )
    }

    /// How many outcomes each line holds.
    pub fn outcome_count(&self) -> usize {
        self.config.selected.len()
    }
}
