//! Explanations of outcomes: the rules and criteria that decided them, how far each failed
//! threshold is, and when they change by themselves; as data, as a text tree, as JSON.

use super::error::Error;
use super::evaluate::{EvalOptions, Facts};
use super::policies::{Policies, Selection};
use crate::explain::render::{self, Style};
pub use crate::explain::render::{TextOptions, View};
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

    /// The explanations for people, as [`TextOptions`] ask: the short summary or the author's
    /// tree, fitted to a width, cut at a depth, or only what failed.
    pub fn text_with(&self, options: &TextOptions) -> String {
        render::text_with(&self.items, options, self.horizon_days)
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
    /// Explains one rule call, `certified_people(data_ai_intermediate)`: the call is checked as
    /// typed input (diagnostics point into it, named `<repl>`), then explained as an outcome
    /// would be, with the dates on which its value changes by itself.
    pub fn explain_rule(
        &self,
        facts: &Facts,
        call: &str,
        as_of: NaiveDate,
        options: &ExplainOptions,
    ) -> Result<Explanations, Error> {
        let prelude = self.prelude();
        // A call that does not check is a request the policies cannot answer (exit status 2).
        let expr = self
            .expression(&prelude, &[], call, 0..call.len())
            .map_err(|e| match e {
                Error::Policies(d) => Error::Request(d),
                e => e,
            })?;
        let program = expr.compiled.program();
        let is_call = matches!(
            *program.outcomes[expr.outcome].body,
            crate::model::ir::Ir::Call(..) | crate::model::ir::Ir::Rule(_)
        );
        if !is_call {
            return Err(Error::request(crate::diag::Error::bare(
                crate::diag::ErrorKind::NotARuleCall {
                    text: call.trim().to_string(),
                },
            )));
        }
        let inner = ex::ExplainOptions {
            horizon_days: options.horizon_days,
            limits: options.eval.limits,
            ..ex::ExplainOptions::default()
        };
        let mut items = ex::explain(&expr.compiled, &facts.inner, as_of, &[expr.outcome], inner)
            .map_err(|e| self.evaluation_error(None, as_of, e))?;
        for item in &mut items {
            // The generated outcome around the call is no part of the policies: the call is
            // the root.
            if item.tree.children.len() == 1 {
                item.tree = item.tree.children.remove(0);
            }
            item.id = call.trim().to_string();
        }
        Ok(Explanations {
            items,
            as_of,
            partner: facts.partner().map(str::to_string),
            horizon_days: options.horizon_days,
        })
    }

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
