//! Warnings about a checked program: things that compile but are most likely mistakes. A rule,
//! a table or a root field of the facts that nothing reads; a labelled criterion that reads
//! nothing (its value is the same for every partner); a threshold `x >= N` above the highest value
//! `x` can reach (the caps of its points added up) or met by the lowest. `x` is followed through
//! rules (with or without parameters), `let`s and the `.total` of scores. They are errors as data
//! whose kind says warning (`ErrorKind::is_warning`); `eligo check` prints them.

use super::check::Threshold;
use crate::diag::{Error, ErrorKind};
use crate::model::constant::constant;
use crate::model::ir::{visit, visit_children_mut, Agg, Arith, CritId, Ir};
use crate::model::ty::SCORE_TOTAL_SLOT;
use crate::model::{Program, Value};
use crate::resolve::Env;
use crate::syntax::ast::{ArithOp, CmpOp, ItemKind};
use rust_decimal::Decimal;

/// The warnings of a program that checked without errors.
pub fn warnings(env: &Env<'_>, program: &Program, thresholds: &[Threshold]) -> Vec<Error> {
    let mut out = Vec::new();
    unused(env, program, &mut out);
    constant_criteria(program, &mut out);
    for t in thresholds {
        threshold(program, t, &mut out);
    }
    out
}

/// Rules and tables nothing refers to, and root facts fields nothing reads.
fn unused(env: &Env<'_>, program: &Program, out: &mut Vec<Error>) {
    let mut rules = vec![false; program.rules.len()];
    let mut tables = vec![false; program.tables.len()];
    let roots = program.facts.as_ref().map_or(0, |f| f.root.fields.len());
    let mut facts = vec![false; roots];
    if let Some(&first) = program.facts.as_ref().and_then(|f| f.id_path.first()) {
        facts[first] = true;
    }
    let bodies = program
        .rules
        .iter()
        .enumerate()
        .map(|(i, r)| (Some(i), &r.body))
        .chain(program.outcomes.iter().map(|o| (None, &*o.body)));
    for (owner, body) in bodies {
        visit(body, &mut |n| match n {
            Ir::Rule(r) | Ir::Call(r, _) if owner != Some(*r as usize) => {
                rules[*r as usize] = true;
            }
            Ir::Table(t) | Ir::Lookup(t, _) => tables[*t as usize] = true,
            Ir::Fact(s) => {
                if let Some(f) = facts.get_mut(*s as usize) {
                    *f = true;
                }
            }
            _ => {}
        });
    }
    for (i, at) in env.rules.iter().enumerate() {
        if let (false, ItemKind::Rule { name, .. }) = (rules[i], &env.item(*at).kind) {
            let kind = ErrorKind::UnusedRule {
                name: name.node.to_string(),
            };
            out.push(Error::at(name.span, kind));
        }
    }
    for (i, at) in env.tables.iter().enumerate() {
        if let (false, ItemKind::Table { name, .. }) = (tables[i], &env.item(*at).kind) {
            let kind = ErrorKind::UnusedTable {
                name: name.node.to_string(),
            };
            out.push(Error::at(name.span, kind));
        }
    }
    if let Some(ItemKind::Facts { fields, .. }) = env.facts.map(|at| &env.item(at).kind) {
        for f in fields {
            let slot = env.fact_fields.get(&f.name.node).map(|(s, _)| *s as usize);
            if slot.is_some_and(|s| facts.get(s) == Some(&false)) {
                let kind = ErrorKind::UnusedFactsField {
                    name: f.name.node.to_string(),
                };
                out.push(Error::at(f.name.span, kind));
            }
        }
    }
}

/// Criteria that read nothing, in every body.
fn constant_criteria(program: &Program, out: &mut Vec<Error>) {
    let mut seen = std::collections::HashSet::new();
    let bodies = program
        .rules
        .iter()
        .map(|r| &r.body)
        .chain(program.outcomes.iter().map(|o| &*o.body));
    for body in bodies {
        visit(body, &mut |n| match n {
            Ir::Criteria(_, items) | Ir::Score(_, items) => {
                for (id, x) in items {
                    if reads_nothing(x) && seen.insert(*id) {
                        let def = &program.criteria[*id as usize];
                        let kind = ErrorKind::ConstantCriterion {
                            label: def.label.clone(),
                        };
                        out.push(Error::at(def.span, kind));
                    }
                }
            }
            _ => {}
        });
    }
}

/// Whether an expression reads neither the facts, the date, a rule, a table nor a local.
fn reads_nothing(x: &Ir) -> bool {
    let mut reads = false;
    visit(x, &mut |n| {
        reads |= matches!(
            n,
            Ir::Fact(_)
                | Ir::AsOf
                | Ir::Rule(_)
                | Ir::Call(..)
                | Ir::Local(_)
                | Ir::Table(_)
                | Ir::Lookup(..)
                | Ir::Trailing(..)
        );
    });
    !reads
}

/// `x >= N` (or `x > N`) with `N` above what `x` can reach, or not above its lowest value.
fn threshold(program: &Program, t: &Threshold, out: &mut Vec<Error>) {
    let (op, a, span) = (t.op, &t.value, t.span);
    let (Some(n), CmpOp::Ge | CmpOp::Gt) = (number(&t.threshold), op) else {
        return;
    };
    let show = |d: Decimal| d.normalize().to_string();
    if let Some(high) = highest(program, a, 0) {
        if n > high || (op == CmpOp::Gt && n == high) {
            let kind = ErrorKind::ThresholdUnreachable {
                threshold: show(n),
                highest: show(high),
            };
            out.push(Error::at(span, kind));
            return;
        }
    }
    if let Some(low) = lowest(program, a, 0) {
        if low > n || (op == CmpOp::Ge && low == n) {
            let kind = ErrorKind::ThresholdAlwaysMet {
                threshold: show(n),
                lowest: show(low),
            };
            out.push(Error::at(span, kind));
        }
    }
}

fn number(x: &Ir) -> Option<Decimal> {
    match x {
        Ir::Const(Value::Int(i)) => Some(Decimal::from(*i)),
        Ir::Const(Value::Dec(d)) => Some(*d),
        Ir::IntToDec(x) => number(x),
        _ => None,
    }
}

/// Rules followed at most this deep when bounding a value.
const MAX_BOUND_DEPTH: usize = 16;

/// The highest value an expression can take, when its caps say so.
fn highest(program: &Program, x: &Ir, depth: usize) -> Option<Decimal> {
    if depth > MAX_BOUND_DEPTH {
        return None;
    }
    let h = |x: &Ir| highest(program, x, depth + 1);
    match x {
        Ir::Const(_) | Ir::IntToDec(_) => number(x),
        Ir::Rule(r) | Ir::Call(r, _) => h(&program.rules[*r as usize].body),
        Ir::Cached(_, x) => h(x),
        Ir::Let(slot, v, body) => h(&inline_lets(body, &[(*slot, (**v).clone())])),
        Ir::Points { max, .. } => h(max).or_else(|| column_max(program, max)),
        Ir::Field(x, SCORE_TOTAL_SLOT) => {
            let (cap, items) = score_of(program, x, depth + 1)?;
            // A metric without a bound leaves only the cap.
            let sum = items
                .iter()
                .map(|(_, x)| h(x))
                .try_fold(Decimal::ZERO, |acc, v| acc.checked_add(v?));
            Some(sum.map_or(cap, |s| s.min(cap)))
        }
        Ir::If(_, a, b) => Some(h(a)?.max(h(b)?)),
        Ir::Arith(Arith::Int(ArithOp::Add) | Arith::Dec(ArithOp::Add), a, b, ..) => {
            h(a)?.checked_add(h(b)?)
        }
        _ => None,
    }
}

/// The `score max M { … }` block an expression's value comes from, through rules, rule calls,
/// `let`s and caches: its cap and metrics.
fn score_of<'p>(
    program: &'p Program,
    x: &'p Ir,
    depth: usize,
) -> Option<(Decimal, &'p [(CritId, Ir)])> {
    if depth > MAX_BOUND_DEPTH {
        return None;
    }
    match x {
        Ir::Score(cap, items) => Some((*cap, items)),
        Ir::Rule(r) | Ir::Call(r, _) => {
            score_of(program, &program.rules[*r as usize].body, depth + 1)
        }
        Ir::Cached(_, x) | Ir::Let(_, _, x) => score_of(program, x, depth + 1),
        _ => None,
    }
}

/// An expression with the locals bound by `lets` replaced by their values, so that bounding it
/// can see through them (`let s = area_score; s.total >= 80`). Bounds only: the copy is never
/// evaluated, so the slots used inside the values need not fit where they land.
pub(super) fn inline_lets(x: &Ir, lets: &[(u32, Ir)]) -> Ir {
    let mut out = x.clone();
    if !lets.is_empty() {
        replace_locals(&mut out, lets);
    }
    out
}

fn replace_locals(x: &mut Ir, lets: &[(u32, Ir)]) {
    if let Ir::Local(slot) = x {
        // The innermost `let` of a slot is the one in scope.
        if let Some((_, v)) = lets.iter().rev().find(|(s, _)| s == slot) {
            *x = v.clone();
        }
        return;
    }
    visit_children_mut(x, &mut |c| replace_locals(c, lets));
}

/// The cell a keyed read of a table column gives at most (`caps[level].cap`): its row's for a
/// constant key (`model::constant`), the column's largest otherwise.
fn column_max(program: &Program, x: &Ir) -> Option<Decimal> {
    if let Some(v) = constant(program, x, &[]) {
        return number(&Ir::Const(v));
    }
    let Ir::Field(inner, slot) = x else {
        return None;
    };
    let Ir::Lookup(t, _) = &**inner else {
        return None;
    };
    // A key that is no constant may read any row.
    let mut best: Option<Decimal> = None;
    for row in program.tables[*t as usize].rows.as_list() {
        let Value::Record(cells) = row else {
            return None;
        };
        let cell = number(&Ir::Const(cells.get(*slot as usize)?.clone()))?;
        best = Some(best.map_or(cell, |b| b.max(cell)));
    }
    best
}

/// The lowest value an expression can take, when it is a count (never below zero) or built
/// from counts and constants.
fn lowest(program: &Program, x: &Ir, depth: usize) -> Option<Decimal> {
    if depth > MAX_BOUND_DEPTH {
        return None;
    }
    let l = |x: &Ir| lowest(program, x, depth + 1);
    match x {
        Ir::Const(_) | Ir::IntToDec(_) => number(x),
        // Points are never below 0.
        Ir::Agg(Agg::Count, _) | Ir::Points { .. } => Some(Decimal::ZERO),
        Ir::Rule(r) | Ir::Call(r, _) => l(&program.rules[*r as usize].body),
        Ir::Cached(_, x) => l(x),
        Ir::Let(slot, v, body) => l(&inline_lets(body, &[(*slot, (**v).clone())])),
        Ir::Field(x, SCORE_TOTAL_SLOT) => {
            // The total is capped but not raised to 0: every metric must have a lower bound.
            let (cap, items) = score_of(program, x, depth + 1)?;
            let sum = items
                .iter()
                .map(|(_, x)| l(x))
                .try_fold(Decimal::ZERO, |acc, v| acc.checked_add(v?))?;
            Some(sum.min(cap))
        }
        Ir::If(_, a, b) => Some(l(a)?.min(l(b)?)),
        Ir::Arith(Arith::Int(ArithOp::Add) | Arith::Dec(ArithOp::Add), a, b, ..) => {
            l(a)?.checked_add(l(b)?)
        }
        _ => None,
    }
}
