//! Explanations: why an outcome has its value, how far each failed threshold is, and when the
//! outcome will change by itself. Built on the evaluation tree the interpreter records
//! ([`crate::eval::TraceNode`]), the rules' `@source` citations, the facts paths each rule reads
//! (a static walk, [`paths`]), and re-evaluation on the following days ([`changes`]).

pub mod build;
pub mod changes;
pub mod paths;
pub mod render;
pub mod shortfall;

use crate::diag::Error;
use crate::eval::{Compiled, Evaluation, Limits};
use crate::facts::Facts;
use crate::model::Value;
use chrono::NaiveDate;

/// One node of an explanation tree.
#[derive(Debug, Clone)]
pub struct Node {
    /// `outcome`, `rule`, `criterion` or `metric`.
    pub kind: &'static str,
    /// The outcome id, the rule with its arguments, or the criterion's label.
    pub label: String,
    /// The value, for people.
    pub value: String,
    /// The value as JSON.
    pub value_json: String,
    /// Pass or fail, for conditions.
    pub passed: Option<bool>,
    /// `@source` citations.
    pub sources: Vec<String>,
    /// JSON paths of the facts it reads (`marketplace.transactions[].amount_usd`).
    pub facts: Vec<String>,
    /// How far a failed threshold is, in its own unit; what a metric could still gain.
    pub shortfalls: Vec<String>,
    /// How close a failed condition is to passing, from 0 to 1 (for ordering alternatives).
    pub closeness: Option<f64>,
    /// Already explained higher up (a rule evaluated once and used again).
    pub repeated: bool,
    /// The block a criterion or metric belongs to: `any`, `all`, `at least N of`, `score`.
    pub block: Option<String>,
    /// The value as a number, when it is one (points, counts, money, percent, days).
    pub number: Option<rust_decimal::Decimal>,
    /// For a metric: the most points it can give, when the policy states it.
    pub cap: Option<rust_decimal::Decimal>,
    /// The comparisons that decided a criterion, or a boolean rule without criteria.
    pub comparisons: Vec<Compared>,
    /// For a list value: its first elements, for people (at most [`MAX_ITEMS`]).
    pub items: Vec<String>,
    /// For a list value: how many elements it has.
    pub item_count: Option<usize>,
    /// The elements that counting and filtering expressions of its body kept (`counted: p1,
    /// p4 (+3 more)`), in evaluation order.
    pub kept: Vec<KeptShown>,
    /// Where a criterion or metric is written (its expression), telling apart criteria of one
    /// rule that share a label (the editor's inlay hints put each value there).
    pub span: Option<crate::source::Span>,
    /// What decided it.
    pub children: Vec<Node>,
}

impl Node {
    /// The comparisons that decided it as people read them: the first
    /// [`build::MAX_DECIDED`], and how many more (an `any(x in xs: …)` that failed was decided
    /// by every element; the JSON lists them all).
    pub fn shown_comparisons(&self) -> (&[Compared], usize) {
        let n = self.comparisons.len().min(build::MAX_DECIDED);
        (&self.comparisons[..n], self.comparisons.len() - n)
    }
}

/// The most list elements an explanation node keeps for people.
pub const MAX_ITEMS: usize = 8;

/// A comparison evaluated while deciding a node, with its operands in their unit.
#[derive(Debug, Clone)]
pub struct Compared {
    /// The operator as people write it: `≥`, `>`, `≤`, `<`, `=`, `≠`.
    pub op: &'static str,
    /// The left operand, for people (`USD 161,684.04`, `69`, `2024-08-01`).
    pub left: String,
    /// The right operand, for people.
    pub right: String,
    /// The left operand as a number, when it is one.
    pub left_number: Option<rust_decimal::Decimal>,
    /// The right operand as a number, when it is one.
    pub right_number: Option<rust_decimal::Decimal>,
    /// Whether the comparison held.
    pub passed: bool,
}

impl Compared {
    /// `69 ≥ 70: no`.
    pub fn text(&self) -> String {
        format!(
            "{} {} {}: {}",
            self.left,
            self.op,
            self.right,
            if self.passed { "yes" } else { "no" }
        )
    }
}

/// The elements a counting or filtering expression kept, for people: `counted: p1, p4, p7 (+3
/// more)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeptShown {
    /// What it did with them: `counted`, `summed`, `kept`, `met by`, `not met by`.
    pub how: &'static str,
    /// The first of them (records by their `id` or `name`), at most
    /// [`crate::eval::trace::MAX_KEPT`]; none when they have no names (lists).
    pub items: Vec<String>,
    /// How many it kept.
    pub total: usize,
    /// How many elements the list had.
    pub of: usize,
}

impl KeptShown {
    /// The line with all the items recorded.
    pub fn text(&self) -> String {
        self.text_with(self.items.len())
    }

    /// The line with the first `shown` items (at least one) and how many more: `counted: p1, p4
    /// (+3 more)`; `counted: 8 of 12` when its elements have no names.
    pub fn text_with(&self, shown: usize) -> String {
        if self.items.is_empty() {
            return format!("{}: {} of {}", self.how, self.total, self.of);
        }
        let shown = shown.clamp(1, self.items.len());
        let mut s = format!("{}: {}", self.how, self.items[..shown].join(", "));
        if self.total > shown {
            s.push_str(&format!(" (+{} more)", self.total - shown));
        }
        s
    }
}

/// A date on which an outcome changes with no new facts.
#[derive(Debug, Clone)]
pub struct Change {
    /// The first day with the new value.
    pub date: NaiveDate,
    /// The value the day before, for people.
    pub from: String,
    /// The new value, for people.
    pub to: String,
    /// The new value as JSON.
    pub to_json: String,
    /// Why: rules whose values change that day, and facts dates that explain it.
    pub because: Vec<String>,
}

/// The explanation of one outcome.
#[derive(Debug, Clone)]
pub struct Explanation {
    /// The outcome id.
    pub id: String,
    /// The tree of rules and criteria that decided it.
    pub tree: Node,
    /// The next dates on which it changes by itself.
    pub changes: Vec<Change>,
}

/// How far ahead to look for changes, and how many to report.
#[derive(Debug, Clone, Copy)]
pub struct ExplainOptions {
    /// Days after the evaluation date searched for changes.
    pub horizon_days: u32,
    /// Changes reported per outcome.
    pub max_changes: usize,
    /// Evaluation bounds.
    pub limits: Limits,
}

impl Default for ExplainOptions {
    fn default() -> Self {
        ExplainOptions {
            horizon_days: 731,
            max_changes: 3,
            limits: Limits::default(),
        }
    }
}

/// Explains the selected outcomes (indices into [`crate::model::Program::outcomes`]).
pub fn explain(
    compiled: &Compiled,
    facts: &Facts,
    as_of: NaiveDate,
    selected: &[usize],
    options: ExplainOptions,
) -> Result<Vec<Explanation>, Error> {
    let program = compiled.program();
    let mut ev = Evaluation::new(compiled, facts.fields(), as_of, options.limits).with_tree();
    let mut values: Vec<Value> = Vec::with_capacity(selected.len());
    for &i in selected {
        values.push(ev.outcome(i)?);
    }
    let trees = ev.take_trees();
    let paths = paths::FactsPaths::new(program);
    let mut trees: Vec<Node> = trees
        .iter()
        .map(|t| build::node(program, &paths, t))
        .collect::<Result<_, _>>()?;
    // Each outcome's tree shows every rule in full at its first appearance, even when the
    // rule was first evaluated for another outcome.
    let mut full = std::collections::HashMap::new();
    for t in &trees {
        build::collect_full(t, &mut full);
    }
    for t in &mut trees {
        build::rank_alternatives(t, &full);
    }
    // Again, with the alternatives ranked.
    full.clear();
    for t in &trees {
        build::collect_full(t, &mut full);
    }
    for t in &mut trees {
        build::mark_repeats(t, &full);
    }
    // Changes are explained only by what each outcome's tree reads.
    let scopes: Vec<changes::Scope> = trees
        .iter()
        .map(|t| changes::Scope::of(program, t))
        .collect();
    let changes =
        changes::next_changes(compiled, facts, as_of, selected, &values, &scopes, options)?;
    Ok(trees
        .into_iter()
        .zip(changes)
        .zip(selected)
        .map(|((tree, c), &i)| Explanation {
            id: program.outcomes[i].id.clone(),
            tree,
            changes: c,
        })
        .collect())
}
