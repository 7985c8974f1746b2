//! Policy change impact: every partner of a population evaluated by two versions of the
//! policies (or on two dates) and compared. Like [`super::Batch`], reading, parallelism and
//! output belong to the caller: a [`Diff`] is shared by the workers, each with its own
//! [`DiffWorker`]; the caller adds each [`PartnerDiff`] to a [`DiffTally`] in input order.

use super::error::Error;
use super::evaluate::{EvalOptions, FactsOptions};
use super::policies::{Policies, Selection};
use crate::batch::BatchConfig;
use crate::diff::pairing::Pairing;
use crate::diff::{diff_line, render, DiffConfig, Kept};
use chrono::NaiveDate;

pub use crate::diff::criteria::CriterionFlip;
pub use crate::diff::render::Header as DiffHeader;
pub use crate::diff::tally::Tally as DiffTally;
pub use crate::diff::{OutcomeChange, PartnerDiff, Status as DiffStatus};

/// What a diff evaluates with.
#[derive(Debug, Clone, Default)]
pub struct DiffOptions {
    as_of: Option<NaiveDate>,
    base_as_of: Option<NaiveDate>,
    facts: FactsOptions,
    eval: EvalOptions,
    explain: bool,
}

impl DiffOptions {
    /// Each partner on its own `as_of` in both versions; no explanations.
    pub fn new() -> Self {
        DiffOptions::default()
    }

    /// The head version's date (and the base's, without [`DiffOptions::base_as_of`]).
    pub fn as_of(mut self, d: Option<NaiveDate>) -> Self {
        self.as_of = d;
        self
    }

    /// The base version's date.
    pub fn base_as_of(mut self, d: Option<NaiveDate>) -> Self {
        self.base_as_of = d;
        self
    }

    /// How facts are read.
    pub fn facts(mut self, f: FactsOptions) -> Self {
        self.facts = f;
        self
    }

    /// Evaluation bounds.
    pub fn eval(mut self, e: EvalOptions) -> Self {
        self.eval = e;
        self
    }

    /// Explains each changed outcome: the labelled criteria that flipped.
    pub fn explain(mut self, on: bool) -> Self {
        self.explain = on;
        self
    }
}

/// Two versions of the policies compared, line by line.
#[derive(Debug, Clone)]
pub struct Diff {
    config: DiffConfig,
}

/// A worker's state between lines (the values of date-only rules of each version).
#[derive(Debug, Default)]
pub struct DiffWorker {
    kept: Kept,
}

impl Diff {
    /// Compares the outcomes the patterns select (ids or prefixes; none: all) in either
    /// version. A pattern that selects nothing in both is an error (E0601); one that selects
    /// outcomes of one version only compares nothing and lists them as added or removed.
    /// `today` is the date of a line with no `as_of` when no date is given.
    pub fn new<S: AsRef<str>>(
        base: &Policies,
        head: &Policies,
        patterns: &[S],
        today: NaiveDate,
        options: &DiffOptions,
    ) -> Result<Diff, Error> {
        let (bs, hs) = selections(base, head, patterns)?;
        let same = base.same_files(head);
        // With the same files, both selections are one, so one reading of a line's facts
        // serves both versions.
        let config = |s: &Selection, as_of| BatchConfig {
            selected: s.indices.clone(),
            as_of,
            today,
            options: options.facts.clone().for_selection(s).load(),
            limits: options.eval.limits,
        };
        Ok(Diff {
            config: DiffConfig {
                base: config(&bs, options.base_as_of.or(options.as_of)),
                head: config(&hs, options.as_of),
                pairing: Pairing::new(
                    base.program(),
                    &bs.indices,
                    head.program(),
                    &hs.indices,
                    same,
                ),
                same_policies: same,
                explain: options.explain,
            },
        })
    }

    /// Compares one line (`line_no` counts from 1) with policies compiled from the same files
    /// as the ones given to [`Diff::new`] (or their [`Policies::worker_copy`]).
    pub fn line(
        &self,
        base: &Policies,
        head: &Policies,
        line_no: u64,
        text: &str,
        worker: &mut DiffWorker,
    ) -> PartnerDiff {
        let head = if self.config.same_policies {
            base
        } else {
            head
        };
        diff_line(
            base.compiled(),
            head.compiled(),
            &self.config,
            line_no,
            text,
            &mut worker.kept,
        )
    }

    /// Empty counts, keeping up to `max_examples` example partners per outcome.
    pub fn tally(&self, max_examples: usize) -> DiffTally {
        DiffTally::new(self.config.pairing.common.len(), max_examples)
    }

    /// Whether both versions are the same files (then the facts are read once per line).
    pub fn same_policies(&self) -> bool {
        self.config.same_policies
    }

    /// The outcome ids of the head's selection only.
    pub fn added(&self) -> &[String] {
        &self.config.pairing.added
    }

    /// The outcome ids of the base's selection only.
    pub fn removed(&self) -> &[String] {
        &self.config.pairing.removed
    }

    /// The outcome ids compared, in id order (a change's `outcome` indexes it).
    pub fn compared(&self) -> impl ExactSizeIterator<Item = &str> {
        self.config.pairing.common.iter().map(|p| p.id.as_str())
    }

    /// A partner's `--format ndjson` line; none when nothing changed.
    pub fn ndjson(&self, d: &PartnerDiff) -> Option<String> {
        render::ndjson(d, &self.config.pairing)
    }

    /// A changed partner for people, with the criteria that flipped under `explain`.
    pub fn partner_text(&self, d: &PartnerDiff) -> String {
        render::partner_text(d, &self.config.pairing)
    }

    /// The `eligo.diff/1` object (pretty, with a final newline); `explained`: the changed
    /// partners to list under `"explained"`.
    pub fn json(
        &self,
        tally: &DiffTally,
        header: &DiffHeader<'_>,
        explained: Option<&[PartnerDiff]>,
    ) -> String {
        render::json(tally, &self.config.pairing, header, explained)
    }

    /// The `eligo.diff/1` object as a JSON value (what [`Diff::json`] prints): for pages drawn
    /// from it, such as the impact page of `eligo diff --format html`.
    pub fn document(
        &self,
        tally: &DiffTally,
        header: &DiffHeader<'_>,
        explained: Option<&[PartnerDiff]>,
    ) -> serde_json::Value {
        render::document(tally, &self.config.pairing, header, explained)
    }

    /// The summary for people, fitting 80 columns.
    pub fn text(&self, tally: &DiffTally, header: &DiffHeader<'_>) -> String {
        render::text(tally, &self.config.pairing, header)
    }
}

/// Each version's selection: the patterns that select something in at least one version.
fn selections<S: AsRef<str>>(
    base: &Policies,
    head: &Policies,
    patterns: &[S],
) -> Result<(Selection, Selection), Error> {
    if patterns.is_empty() {
        return Ok((base.all_outcomes(), head.all_outcomes()));
    }
    let (mut b, mut h) = (Vec::new(), Vec::new());
    for p in patterns {
        match (base.select(&[p.as_ref()]), head.select(&[p.as_ref()])) {
            (Err(e), Err(_)) => return Err(e),
            (bs, hs) => {
                if let Ok(s) = bs {
                    b.extend(s.indices);
                }
                if let Ok(s) = hs {
                    h.extend(s.indices);
                }
            }
        }
    }
    Ok((base.selection_of(b), head.selection_of(h)))
}
