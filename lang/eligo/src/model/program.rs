//! The checked program: every declaration of a policy set, rule and outcome bodies lowered to
//! [`Ir`], and the memo layout evaluation uses. [`crate::types`] builds it; evaluation compiles
//! it ([`crate::eval::Compiled`]).

use super::ir::{visit, Ir};
use super::ty::{RecordTy, Ty};
use super::value::Value;
use crate::source::{SourceMap, Span};
use rustc_hash::FxHashMap;
use std::sync::Arc;

/// A policy set, parsed, resolved, type-checked and lowered to IR.
#[derive(Debug)]
pub struct Program {
    /// The policy files.
    pub sources: SourceMap,
    /// Enums, by id.
    pub enums: Vec<EnumDef>,
    /// The declared shape of the facts.
    pub facts: Option<FactsSchema>,
    /// Rules, by id.
    pub rules: Vec<RuleDef>,
    /// Tables, by id.
    pub tables: Vec<TableDef>,
    /// Outcomes, sorted by id.
    pub outcomes: Vec<OutcomeDef>,
    /// The currency of every amount (`@currency("…")` on the facts declaration; USD without it).
    pub currency: Arc<str>,
    /// Labelled criteria and score metrics, by id.
    pub criteria: Vec<CriterionDef>,
    /// Dense memo slots one evaluation needs (rules with a sparse memo are not counted).
    pub memo_size: usize,
    /// Cache slots of loop-invariant subexpressions one evaluation needs.
    pub cache_size: usize,
    /// Memo slot ranges of rules that read no facts (their values depend only on the date).
    pub static_memo: Vec<(usize, usize)>,
    /// What compiles but is likely a mistake (errors whose kind is a warning).
    pub warnings: Vec<crate::diag::Error>,
}

/// An enum declaration.
#[derive(Debug, Clone)]
pub struct EnumDef {
    /// Its name.
    pub name: Arc<str>,
    /// Its variants, in order.
    pub variants: Vec<Arc<str>>,
    /// Where it is declared.
    pub span: Span,
}

/// The declared facts.
#[derive(Debug, Clone)]
pub struct FactsSchema {
    /// The `format` the facts must declare.
    pub format: String,
    /// The root record.
    pub root: Arc<RecordTy>,
    /// Slots from the root to the partner id (`identified by`).
    pub id_path: Vec<usize>,
    /// Where it is declared.
    pub span: Span,
}

/// The facts declaration and the enums its values may name: all that reading facts needs.
#[derive(Debug, Clone, Copy)]
pub struct FactsView<'p> {
    /// The declared facts, if the policies declare any.
    pub schema: Option<&'p FactsSchema>,
    /// The enums, by id.
    pub enums: &'p [EnumDef],
}

/// Memoization of a rule whose parameters are all enums or booleans: one value per combination
/// of arguments, numbered in mixed radix (the first parameter most significant).
#[derive(Debug, Clone)]
pub struct Memo {
    /// Where the values are kept.
    pub slots: MemoSlots,
    /// Number of values of each parameter.
    pub radix: Vec<u32>,
}

/// Where a rule's memoized values are kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MemoSlots {
    /// In the evaluation's memo vector, from this slot on, one slot per combination.
    Dense {
        /// The first slot.
        base: usize,
        /// The number of slots (of combinations).
        len: usize,
    },
    /// In a map by combination number, filled as calls are evaluated: for rules with more
    /// combinations than a vector should hold (see `types::MAX_DENSE_RULE_SLOTS`).
    Sparse,
}

impl Memo {
    /// The first dense slot, for a rule whose values lie in the memo vector.
    pub fn base(&self) -> Option<usize> {
        match self.slots {
            MemoSlots::Dense { base, .. } => Some(base),
            MemoSlots::Sparse => None,
        }
    }
}

/// A rule.
#[derive(Debug, Clone)]
pub struct RuleDef {
    /// Its name.
    pub name: Arc<str>,
    /// The module it is declared in.
    pub module: String,
    /// Parameters.
    pub params: Vec<(Arc<str>, Ty)>,
    /// Result type.
    pub ty: Ty,
    /// The body.
    pub body: Ir,
    /// Frame slots the body needs.
    pub frame: u32,
    /// Where its values are memoized.
    pub memo: Option<Memo>,
    /// `@source` citations.
    pub sources: Vec<String>,
    /// Doc comment.
    pub docs: Vec<String>,
    /// Where it is declared.
    pub span: Span,
    /// For a rule that calls itself: the parameter (its first of an enum type) whose argument
    /// must be a smaller variant at each such call, which evaluation checks.
    pub decreasing: Option<u32>,
}

/// A table of program data.
#[derive(Debug, Clone)]
pub struct TableDef {
    /// Its name.
    pub name: Arc<str>,
    /// The module it is declared in.
    pub module: String,
    /// `[{column: T, …}]`
    pub ty: Ty,
    /// The rows, a list of records.
    pub rows: Value,
    /// The key column.
    pub key: Option<usize>,
    /// Row index by key.
    pub index: FxHashMap<Value, usize>,
    /// `@source` citations.
    pub sources: Vec<String>,
    /// Where it is declared.
    pub span: Span,
}

/// An outcome: a named, stable value of the policy set.
#[derive(Debug, Clone)]
pub struct OutcomeDef {
    /// The stable id, e.g. `capability_score.security`.
    pub id: String,
    /// Its type.
    pub ty: Ty,
    /// The value.
    pub body: Arc<Ir>,
    /// Frame slots the body needs.
    pub frame: u32,
    /// The value of slot 0 for an outcome of a `for` family.
    pub binding: Option<Value>,
    /// `@source` citations.
    pub sources: Vec<String>,
    /// Where it is declared.
    pub span: Span,
}

/// A labelled criterion or score metric.
#[derive(Debug, Clone)]
pub struct CriterionDef {
    /// The label as written.
    pub label: String,
    /// The criterion's expression.
    pub span: Span,
    /// The block it belongs to: `any`, `all`, `at least N of`, or `score`.
    pub block: String,
}

impl Program {
    /// For each root field of the facts, whether the selected outcomes (or the rules they use)
    /// read it, or it identifies the partner. Reading only those is the fast path of batch runs.
    pub fn roots_read(&self, selected: &[usize]) -> Vec<bool> {
        let Some(schema) = &self.facts else {
            return Vec::new();
        };
        let mut read = vec![false; schema.root.fields.len()];
        if let Some(&first) = schema.id_path.first() {
            read[first] = true;
        }
        let mut seen = vec![false; self.rules.len()];
        let mut stack: Vec<&Ir> = selected.iter().map(|&i| &*self.outcomes[i].body).collect();
        while let Some(ir) = stack.pop() {
            visit(ir, &mut |n| match n {
                Ir::Fact(s) => {
                    if let Some(r) = read.get_mut(*s as usize) {
                        *r = true;
                    }
                }
                Ir::Rule(r) | Ir::Call(r, _) if !seen[*r as usize] => {
                    seen[*r as usize] = true;
                    stack.push(&self.rules[*r as usize].body);
                }
                _ => {}
            });
        }
        read
    }

    /// The outcome ids matching a pattern: the id itself, or every id under a prefix
    /// (`capability_score` or `capability_score.` matches `capability_score.security`).
    pub fn select_outcomes(&self, pattern: &str) -> Vec<usize> {
        let prefix = pattern.trim_end_matches('.');
        self.outcomes
            .iter()
            .enumerate()
            .filter(|(_, o)| {
                o.id == pattern
                    || (o.id.len() > prefix.len()
                        && o.id.starts_with(prefix)
                        && o.id.as_bytes()[prefix.len()] == b'.')
            })
            .map(|(i, _)| i)
            .collect()
    }

    /// A rule by name (the first with that name, in any module).
    pub fn rule(&self, name: &str) -> Option<usize> {
        self.rules.iter().position(|r| &*r.name == name)
    }

    /// What reading facts for these policies needs.
    pub fn facts_view(&self) -> FactsView<'_> {
        FactsView {
            schema: self.facts.as_ref(),
            enums: &self.enums,
        }
    }
}
