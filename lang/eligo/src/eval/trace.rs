//! What an evaluation records for explanations: the tree of outcomes, rules, criteria and
//! metrics it evaluated, with their values and the comparisons inside criteria, and the values of
//! labelled criteria in evaluation order.

use crate::model::ir::{CritId, Unit};
use crate::model::{Ty, Value};
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
    /// The comparisons of a criterion or traced rule body, with their operands.
    pub comparisons: Vec<Comparison>,
    /// For a score metric: the most points it can give, when the policy states it.
    pub cap: Option<Decimal>,
    /// The elements that counting and filtering expressions of its body kept (`count(xs where
    /// …)`, `xs where …`, `sum(… where …)`, `any(x in xs: …)`), when explaining.
    pub kept: Vec<Kept>,
}

/// The most elements of one [`Kept`] an explanation records.
pub const MAX_KEPT: usize = 8;

/// The elements a counting or filtering expression kept: the first [`MAX_KEPT`] of them, and
/// how many in all.
#[derive(Debug, Clone)]
pub struct Kept {
    /// What the expression did with them.
    pub how: KeptHow,
    /// The first elements kept, in list order.
    pub elements: Vec<Value>,
    /// How many it kept.
    pub total: usize,
    /// How many elements the list had.
    pub of: usize,
    /// The elements' type, when the compiler could tell it (for showing records by `id`).
    pub ty: Ty,
}

/// What a counting or filtering expression did with the elements it kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeptHow {
    /// `count(xs where …)`, `count(x in xs: …)`.
    Counted,
    /// `sum(xs where …)`, `sum((xs where …).field)`.
    Summed,
    /// `xs where …` (and other aggregates of it).
    Kept,
    /// The elements for which `any(x in xs: …)` held.
    MetBy,
    /// The elements for which `all(x in xs: …)` did not hold.
    NotMetBy,
}

impl KeptHow {
    /// The words an explanation puts before the elements.
    pub fn words(self) -> &'static str {
        match self {
            KeptHow::Counted => "counted",
            KeptHow::Summed => "summed",
            KeptHow::Kept => "kept",
            KeptHow::MetBy => "met by",
            KeptHow::NotMetBy => "not met by",
        }
    }
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
    /// Their type, when the compiler could tell it (to name enum variants and records);
    /// [`Ty::Unknown`] otherwise.
    pub ty: Ty,
    /// Whether it decided the value: not when an `and` or `or` it is part of was decided by a
    /// later operand (`a and b` false because of `b`: `a` did not decide it), nor when it is an
    /// `if`'s condition and the branch taken is not a constant, nor the comparison of an element
    /// of `any`/`all` that another element decided.
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
