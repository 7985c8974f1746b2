//! Facts and evaluation: a partner's facts read against the policies ([`Facts`]), the values of
//! selected outcomes as of a date ([`Outcomes`]), and single rules.

use super::error::{Diagnostics, Error, EvaluationError};
use super::policies::{Policies, RuleInfo, Selection};
use crate::diag::{Diagnostic, FactsWarning};
use crate::eval::output::{display, json_value, outcomes_object};
use crate::eval::{Evaluation, Limits};
use crate::facts::{self, LoadOptions};
use crate::model::{Ty, Value};
use chrono::NaiveDate;
use std::path::Path;
use std::sync::Arc;

/// How facts are read.
#[derive(Debug, Clone, Default)]
pub struct FactsOptions {
    strict: bool,
    roots: Option<Arc<[bool]>>,
}

impl FactsOptions {
    /// Lenient reading: unknown keys are warnings.
    pub fn new() -> Self {
        FactsOptions::default()
    }

    /// Unknown keys are errors (E0403) rather than warnings.
    pub fn strict(mut self, strict: bool) -> Self {
        self.strict = strict;
        self
    }

    /// Reads into values only the parts of the facts the selected outcomes read; the others are
    /// checked as JSON (what `--outcome` does: batch runs of a few outcomes read less).
    pub fn for_selection(mut self, selection: &Selection) -> Self {
        self.roots = selection.roots.clone();
        self
    }

    pub(crate) fn load(&self) -> LoadOptions {
        LoadOptions {
            strict: self.strict,
            roots: self.roots.clone(),
            ..LoadOptions::default()
        }
    }
}

/// One partner's facts, read against the policies' facts declaration.
#[derive(Debug, Clone)]
pub struct Facts {
    pub(crate) inner: facts::Facts,
    name: String,
}

impl Facts {
    pub(crate) fn from_inner(inner: facts::Facts, name: String) -> Facts {
        Facts { inner, name }
    }

    /// The name the facts are shown by (a file name, `<stdin>`).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The document's `as_of`, if it has one.
    pub fn as_of(&self) -> Option<NaiveDate> {
        self.inner.as_of
    }

    /// The partner id (the facts declaration's `identified by`).
    pub fn partner(&self) -> Option<&str> {
        self.inner.partner.as_deref()
    }

    /// The unknown keys that were ignored: the first hundred of them
    /// ([`Facts::warnings_left_out`] counts the others).
    pub fn warnings(&self) -> &[FactsWarning] {
        &self.inner.warnings
    }

    /// How many unknown keys were ignored past those [`Facts::warnings`] holds.
    pub fn warnings_left_out(&self) -> u64 {
        self.inner.warnings_left_out
    }

    /// The warnings as data (severity warning, code E0403).
    pub fn warning_diagnostics(&self) -> impl Iterator<Item = Diagnostic> + '_ {
        self.inner.warnings.iter().map(|w| w.diagnostic(&self.name))
    }

    /// The evaluation date: the one asked for, else the document's `as_of`, else today (in the
    /// local time zone).
    pub fn date(&self, requested: Option<NaiveDate>) -> NaiveDate {
        requested
            .or(self.inner.as_of)
            .unwrap_or_else(|| chrono::Local::now().date_naive())
    }

    pub(crate) fn fields(&self) -> &[Value] {
        self.inner.fields()
    }
}

/// Bounds of one evaluation, and what it records.
#[derive(Debug, Clone, Copy, Default)]
pub struct EvalOptions {
    pub(crate) limits: Limits,
    profile: bool,
}

impl EvalOptions {
    /// The default bounds (50,000,000 steps, depth 2,000).
    pub fn new() -> Self {
        EvalOptions::default()
    }

    /// The step budget.
    pub fn max_steps(mut self, n: u64) -> Self {
        self.limits.max_steps = n;
        self
    }

    /// The deepest nesting of rule calls and expressions.
    pub fn max_depth(mut self, n: usize) -> Self {
        self.limits.max_depth = n;
        self
    }

    /// Counts the steps spent in each rule ([`Outcomes::profile`]).
    pub fn profile(mut self, on: bool) -> Self {
        self.profile = on;
        self
    }

    /// The default step budget.
    pub fn default_max_steps() -> u64 {
        Limits::default().max_steps
    }
}

/// The text of a facts file (without a byte-order mark) and the name it is shown by, read with
/// the size limit as [`Policies::read_facts_file`] does: for a caller that also wants the JSON.
pub fn read_facts_text(path: &Path) -> Result<(String, String), Error> {
    crate::driver::read::facts_file(Some(path)).map_err(Error::facts)
}

/// The text of a policy file, read with the size limit policies are loaded with
/// (`MAX_SOURCE_BYTES`): for a front end that reads one file itself (an editor's file that is not
/// open). Too large, not UTF-8 or unreadable: `Error::Policies`.
pub fn read_policy_text(path: &Path) -> Result<String, Error> {
    crate::driver::read::policy_file(path).map_err(|e| Error::Policies(Diagnostics::one(e)))
}

impl Policies {
    /// Reads one partner's facts (a JSON document); `name` is shown in diagnostics.
    pub fn read_facts(
        &self,
        name: &str,
        text: &str,
        options: &FactsOptions,
    ) -> Result<Facts, Error> {
        let inner = facts::load_facts(self.program().facts_view(), name, text, options.load())
            .map_err(Error::facts)?;
        Ok(Facts {
            inner,
            name: name.to_string(),
        })
    }

    /// Reads a facts file with the size limit (refused from its size when it is a file, read
    /// at most one byte past it when it is a pipe), then its facts.
    pub fn read_facts_file(&self, path: &Path, options: &FactsOptions) -> Result<Facts, Error> {
        let (name, text) = read_facts_text(path)?;
        self.read_facts(&name, &text, options)
    }

    /// Reads facts from standard input with the size limit; they are shown as `<stdin>`.
    pub fn read_facts_stdin(&self, options: &FactsOptions) -> Result<Facts, Error> {
        let (name, text) = crate::driver::read::facts_file(None).map_err(Error::facts)?;
        self.read_facts(&name, &text, options)
    }

    /// Reads facts given as a JSON value (from a binding, a test file); diagnostics point into
    /// its compact text.
    pub fn facts_from_json(
        &self,
        name: &str,
        value: &serde_json::Value,
        options: &FactsOptions,
    ) -> Result<Facts, Error> {
        self.read_facts(name, &value.to_string(), options)
    }

    /// The values of the selected outcomes as of a date.
    pub fn evaluate<'a>(
        &'a self,
        facts: &Facts,
        selection: &'a Selection,
        as_of: NaiveDate,
        options: &EvalOptions,
    ) -> Result<Outcomes<'a>, Error> {
        let mut ev = Evaluation::new(self.compiled(), facts.fields(), as_of, options.limits);
        if options.profile {
            ev = ev.with_profile();
        }
        let mut values = Vec::with_capacity(selection.indices.len());
        for &i in &selection.indices {
            match ev.outcome(i) {
                Ok(v) => values.push(v),
                Err(e) => {
                    let id = self.program().outcomes[i].id.clone();
                    return Err(self.evaluation_error(Some(id), as_of, e));
                }
            }
        }
        let profile = ev.profile().map(|p| {
            let rules = &self.program().rules;
            let mut per_rule: Vec<(String, u64)> = p
                .iter()
                .enumerate()
                .map(|(i, &n)| {
                    let name = rules
                        .get(i)
                        .map_or("(outcome bodies)".to_string(), |r| r.name.to_string());
                    (name, n)
                })
                .collect();
            per_rule.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            Profile {
                steps: ev.steps(),
                per_rule,
            }
        });
        Ok(Outcomes {
            policies: self,
            selection,
            values,
            as_of,
            partner: facts.inner.partner.clone(),
            profile,
        })
    }

    /// The value of a rule with arguments for its parameters (facts may be left out for a rule
    /// that reads none: it then reads every fact as absent).
    pub fn evaluate_rule(
        &self,
        rule: RuleInfo<'_>,
        args: Vec<Value>,
        facts: Option<&Facts>,
        as_of: NaiveDate,
    ) -> Result<Value, Error> {
        let fields = facts.map_or(&[][..], |f| f.fields());
        let mut ev = Evaluation::new(self.compiled(), fields, as_of, Limits::default());
        ev.rule(rule.id() as u32, args)
            .map_err(|e| self.evaluation_error(None, as_of, e))
    }

    /// The value of one outcome alone, facts optional as for [`Policies::evaluate_rule`].
    pub fn evaluate_one(
        &self,
        outcome: usize,
        facts: Option<&Facts>,
        as_of: NaiveDate,
    ) -> Result<Value, Error> {
        let fields = facts.map_or(&[][..], |f| f.fields());
        let mut ev = Evaluation::new(self.compiled(), fields, as_of, Limits::default());
        ev.outcome(outcome).map_err(|e| {
            let id = self.program().outcomes.get(outcome).map(|o| o.id.clone());
            self.evaluation_error(id, as_of, e)
        })
    }

    pub(crate) fn evaluation_error(
        &self,
        outcome: Option<String>,
        as_of: NaiveDate,
        e: crate::diag::Error,
    ) -> Error {
        Error::Evaluation(EvaluationError::new(
            outcome,
            as_of,
            e,
            &self.program().sources,
        ))
    }
}

/// The values of the selected outcomes for one partner.
pub struct Outcomes<'a> {
    policies: &'a Policies,
    selection: &'a Selection,
    values: Vec<Value>,
    as_of: NaiveDate,
    partner: Option<Arc<str>>,
    profile: Option<Profile>,
}

/// One outcome's value.
#[derive(Clone, Copy)]
pub struct OutcomeValue<'a> {
    policies: &'a Policies,
    /// The outcome's id.
    pub id: &'a str,
    /// Its type.
    pub ty: &'a Ty,
    /// Its value.
    pub value: &'a Value,
}

impl OutcomeValue<'_> {
    /// The value for people: `USD 4,730`, `yes`.
    pub fn text(&self) -> Result<String, Error> {
        display(self.policies.program(), self.value, self.ty).map_err(Error::internal)
    }

    /// The value as JSON.
    pub fn json(&self) -> Result<String, Error> {
        let mut s = String::new();
        json_value(&mut s, self.policies.program(), self.value, self.ty)
            .map_err(Error::internal)?;
        Ok(s)
    }
}

/// Steps spent per rule: what `--profile` prints.
#[derive(Debug, Clone)]
pub struct Profile {
    /// Steps in all.
    pub steps: u64,
    /// Each rule's own steps (the last entry `(outcome bodies)`), most first.
    pub per_rule: Vec<(String, u64)>,
}

impl<'a> Outcomes<'a> {
    /// The outcomes and their values, in id order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = OutcomeValue<'_>> {
        let outcomes = &self.policies.program().outcomes;
        self.selection
            .indices
            .iter()
            .zip(&self.values)
            .map(move |(&i, value)| OutcomeValue {
                policies: self.policies,
                id: &outcomes[i].id,
                ty: &outcomes[i].ty,
                value,
            })
    }

    /// The evaluation date.
    pub fn as_of(&self) -> NaiveDate {
        self.as_of
    }

    /// The partner id.
    pub fn partner(&self) -> Option<&str> {
        self.partner.as_deref()
    }

    /// The `eligo.outcomes/1` object: compact on one line, or pretty with one outcome per line.
    pub fn to_json(&self, pretty: bool) -> Result<String, Error> {
        outcomes_object(
            self.policies.program(),
            &self.selection.indices,
            &self.values,
            self.as_of,
            self.partner.as_deref(),
            pretty,
        )
        .map_err(Error::internal)
    }

    /// The steps per rule, when the evaluation was asked to count them.
    pub fn profile(&self) -> Option<&Profile> {
        self.profile.as_ref()
    }
}

/// The parsed date of a command line or a test case: `YYYY-MM-DD` exactly (E0602 otherwise).
pub fn parse_date(text: &str) -> Result<NaiveDate, Error> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .ok()
        .filter(|_| text.len() == 10)
        .ok_or_else(|| {
            Error::request(crate::diag::Error::bare(
                crate::diag::ErrorKind::BadCliDate {
                    text: text.to_string(),
                },
            ))
        })
}
