//! What an evaluation records for explanations: the tree of outcomes, rules, criteria and
//! metrics it evaluated, with their values and the comparisons inside criteria, and the values of
//! labelled criteria in evaluation order.

use crate::model::ir::{CritId, Unit};
use crate::model::Value;
use crate::syntax::ast::CmpOp;
use rust_decimal::Decimal;

/// A node of the evaluation tree recorded for explanations.
#[derive(Debug, Clone)]
pub struct TraceNode {
    /// What was evaluated.
    pub kind: TraceKind,
    /// Its value.
    pub value: Value,
    /// What it evaluated in turn (rules, criteria, metrics), in order.
    pub children: Vec<TraceNode>,
    /// The comparisons of a criterion, with their operands.
    pub comparisons: Vec<Comparison>,
    /// For a score metric: the most points it can give, when the policy states it.
    pub cap: Option<Decimal>,
}

/// What a [`TraceNode`] stands for.
#[derive(Debug, Clone)]
pub enum TraceKind {
    /// An outcome, by index.
    Outcome(usize),
    /// A rule with its arguments; `cached` when its value came from the memo.
    Rule {
        /// The rule.
        rule: u32,
        /// Its arguments.
        args: Vec<Value>,
        /// Whether it was already evaluated.
        cached: bool,
    },
    /// A labelled criterion.
    Criterion(CritId),
    /// A score metric.
    Metric(CritId),
}

/// A comparison evaluated inside a criterion.
#[derive(Debug, Clone)]
pub struct Comparison {
    /// The operator.
    pub op: CmpOp,
    /// The left operand's value.
    pub left: Value,
    /// The right operand's value.
    pub right: Value,
    /// Their unit.
    pub unit: Unit,
    /// Whether it decided the value: not when an `and` or `or` it is part of was decided by a
    /// later operand (`a and b` false because of `b`: `a` did not decide it).
    pub decided: bool,
}

/// One recorded value of a labelled criterion or score metric.
#[derive(Debug, Clone, PartialEq)]
pub struct TraceEntry {
    /// Which criterion.
    pub criterion: CritId,
    /// Its value.
    pub value: Value,
}

/// The values of labelled criteria, in evaluation order.
pub type Trace = Vec<TraceEntry>;
