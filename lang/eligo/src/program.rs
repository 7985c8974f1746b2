//! The checked program that evaluation runs, and the driver that builds it from policy files.

mod load;

pub use load::{
    compile, compile_sources, module_name, policy_sources, run_on_big_stack, Failed, LoadedSources,
    STACK_BYTES,
};

use crate::eval::ir::Ir;
use crate::eval::value::Value;
use crate::source::{SourceMap, Span};
use crate::types::ty::{RecordTy, Ty};
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
    /// Labelled criteria and score metrics, by id.
    pub criteria: Vec<CriterionDef>,
    /// Memo slots one evaluation needs.
    pub memo_size: usize,
    /// Cache slots of loop-invariant subexpressions one evaluation needs.
    pub cache_size: usize,
    /// Memo slot ranges of rules that read no facts (their values depend only on the date).
    pub static_memo: Vec<(usize, usize)>,
    /// The rules and outcomes compiled for evaluation.
    pub code: crate::eval::Compiled,
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

/// Memoization of a rule with parameters: one slot per combination of enum arguments.
#[derive(Debug, Clone)]
pub struct Memo {
    /// First slot.
    pub base: usize,
    /// Number of values of each parameter.
    pub radix: Vec<u32>,
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
            crate::types::visit_ir(ir, &mut |n| match n {
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
}
