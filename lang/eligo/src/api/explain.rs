//! Explanations of outcomes: the rules and criteria that decided them, how far each failed
//! threshold is, and when they change by themselves; as data, as a text tree, as JSON.

use super::error::Error;
use super::evaluate::{EvalOptions, Facts};
use super::policies::{Policies, Selection};
use crate::explain::render::{self, Style};
use crate::explain::{self as ex, Explanation};
use chrono::NaiveDate;

/// How far ahead changes are looked for.
#[derive(Debug, Clone, Copy)]
pub struct ExplainOptions {
    horizon_days: u32,
    eval: EvalOptions,
}

impl Default for ExplainOptions {
    fn default() -> Self {
        ExplainOptions {
            horizon_days: ex::ExplainOptions::default().horizon_days,
            eval: EvalOptions::default(),
        }
    }
}

impl ExplainOptions {
    /// Changes looked for over the next two years (731 days).
    pub fn new() -> Self {
        ExplainOptions::default()
    }

    /// Days after the evaluation date searched for changes (0: none).
    pub fn horizon_days(mut self, days: u32) -> Self {
        self.horizon_days = days;
        self
    }

    /// Evaluation bounds.
    pub fn eval(mut self, eval: EvalOptions) -> Self {
        self.eval = eval;
        self
    }
}

/// The explanations of the selected outcomes for one partner.
#[derive(Debug, Clone)]
pub struct Explanations {
    items: Vec<Explanation>,
    as_of: NaiveDate,
    partner: Option<String>,
    horizon_days: u32,
}

impl Explanations {
    /// One explanation per outcome, in id order: the tree and the changes, as data.
    pub fn items(&self) -> &[Explanation] {
        &self.items
    }

    /// The trees as text (`✓`/`✗` marks, shortfalls, sources, facts read, changes), coloured
    /// with ANSI codes when asked.
    pub fn text(&self, colour: bool) -> String {
        render::text(&self.items, Style { colour }, self.horizon_days)
    }

    /// The `eligo.explanation/1` JSON object.
    pub fn json(&self) -> String {
        render::json(&self.items, self.as_of, self.partner.as_deref())
    }

    /// The evaluation date.
    pub fn as_of(&self) -> NaiveDate {
        self.as_of
    }

    /// The partner id.
    pub fn partner(&self) -> Option<&str> {
        self.partner.as_deref()
    }
}

impl Policies {
    /// Explains the selected outcomes as of a date.
    pub fn explain(
        &self,
        facts: &Facts,
        selection: &Selection,
        as_of: NaiveDate,
        options: &ExplainOptions,
    ) -> Result<Explanations, Error> {
        let inner = ex::ExplainOptions {
            horizon_days: options.horizon_days,
            limits: options.eval.limits,
            ..ex::ExplainOptions::default()
        };
        let items = ex::explain(
            self.compiled(),
            &facts.inner,
            as_of,
            &selection.indices,
            inner,
        )
        .map_err(|e| self.evaluation_error(None, as_of, e))?;
        Ok(Explanations {
            items,
            as_of,
            partner: facts.partner().map(str::to_string),
            horizon_days: options.horizon_days,
        })
    }
}
