//! Labelled criteria blocks and scores (a criterion's condition has a traced form too, which
//! explanations run: `traced.rs`).

use super::{internal, node, truth, Code, Compiler, Cond};
use crate::diag::{Error, ErrorKind};
use crate::eval::ops;
use crate::eval::trace::TraceKind;
use crate::model::constant::constant;
use crate::model::ir::{Combine, CritId, Ir};
use crate::model::{Program, Value};
use rust_decimal::Decimal;
use std::sync::Arc;

/// The most points a metric can give, read from its `points(…, max CAP)` (through rules, calls,
/// `let`, `round`, `floor`, `max(…)` and `if`), for explanations. A cap is known when it is a
/// constant (`model::constant`): a literal, or a keyed table's cell read by a constant key or by a
/// parameter given a constant (`skilling_in(expert)` reading `skill_points[s].cap`).
fn metric_cap(program: &Program, ir: &Ir) -> Option<Decimal> {
    Caps { program }.cap(ir, &[], 0)
}

/// Rules followed at most this deep when looking for a metric's cap.
const MAX_CAP_DEPTH: usize = 16;

struct Caps<'p> {
    program: &'p Program,
}

impl Caps<'_> {
    /// The cap of `ir`, with `locals` the constants known for the slots of its frame.
    fn cap(&self, ir: &Ir, locals: &[Option<Value>], depth: usize) -> Option<Decimal> {
        if depth > MAX_CAP_DEPTH {
            return None;
        }
        let cap = |x: &Ir| self.cap(x, locals, depth + 1);
        let number = |x: &Ir| constant(self.program, x, locals).and_then(|v| ops::to_dec(&v).ok());
        match ir {
            Ir::Rule(r) => self.cap(&self.program.rules.get(*r as usize)?.body, &[], depth + 1),
            Ir::Call(r, args) => {
                // The callee's parameters are the first slots of its frame.
                let args: Vec<Option<Value>> = args
                    .iter()
                    .map(|a| constant(self.program, a, locals))
                    .collect();
                self.cap(&self.program.rules.get(*r as usize)?.body, &args, depth + 1)
            }
            Ir::Points { max, .. } => number(max),
            Ir::Builtin(_, args, _) => args.first().and_then(cap),
            Ir::Extreme(false, xs) => xs.iter().filter_map(cap).max(),
            Ir::Extreme(true, xs) => xs.iter().filter_map(|x| number(x).or_else(|| cap(x))).min(),
            Ir::If(_, a, b) | Ir::IfSome(_, _, a, b) => match (cap(a), cap(b)) {
                (Some(x), Some(y)) => Some(x.max(y)),
                (x, None) => x,
                (None, y) => y,
            },
            Ir::Let(slot, value, body) => {
                let mut locals = locals.to_vec();
                let slot = *slot as usize;
                if locals.len() <= slot {
                    locals.resize(slot + 1, None);
                }
                locals[slot] = constant(self.program, value, &locals);
                self.cap(body, &locals, depth + 1)
            }
            Ir::Cached(_, x) => cap(x),
            _ => None,
        }
    }
}

impl Compiler<'_> {
    pub(super) fn criteria_block(&self, combine: Combine, items: &[(CritId, Ir)]) -> Code {
        self.criteria_block_with(combine, items, &|x: &Ir| self.traced(x))
    }

    /// A criteria block whose criteria explanations evaluate in the form `traced` compiles.
    pub(super) fn criteria_block_with(
        &self,
        combine: Combine,
        items: &[(CritId, Ir)],
        traced: &dyn Fn(&Ir) -> Code,
    ) -> Code {
        let items: Vec<(CritId, Cond, Code)> = items
            .iter()
            .map(|(id, x)| (*id, self.cond(x), traced(x)))
            .collect();
        node(move |ev, it| {
            // Every criterion is evaluated (no short circuit), traced or not: explanations see
            // them all, and an error in any criterion is reported the same way in every mode.
            let mut passed = 0u32;
            for (id, plain, traced) in &items {
                let v = if ev.tree.is_some() {
                    ev.open(TraceKind::Criterion(*id));
                    let v = traced(ev, it);
                    match &v {
                        Ok(v) => ev.close(v),
                        Err(_) => ev.close_failed(),
                    }
                    truth(&v?)?
                } else {
                    plain(ev, it)?
                };
                if v {
                    passed += 1;
                }
                if ev.trace.is_some() {
                    ev.record(*id, &Value::Bool(v));
                }
            }
            Ok(Value::Bool(match combine {
                Combine::Any => passed >= 1,
                Combine::All => passed as usize == items.len(),
                Combine::AtLeast(n) => passed >= n,
            }))
        })
    }

    pub(super) fn score(&self, max: Decimal, items: &[(CritId, Ir)]) -> Code {
        let mut metrics = Vec::with_capacity(items.len());
        for (id, x) in items {
            let Some(c) = self.program.criteria.get(*id as usize) else {
                return internal("a metric without its criterion");
            };
            let label = Value::Text(c.label.as_str().into());
            metrics.push((*id, self.code(x), metric_cap(self.program, x), label));
        }
        let items = metrics;
        node(move |ev, it| {
            let mut total = Decimal::ZERO;
            let mut all_above = true;
            let mut metrics = Vec::with_capacity(items.len());
            for (id, x, cap, label) in &items {
                ev.open(TraceKind::Metric(*id));
                let v = match x(ev, it).and_then(|v| ops::to_dec(&v).map_err(Error::bare)) {
                    Ok(v) => v,
                    Err(e) => {
                        ev.close_failed();
                        return Err(e);
                    }
                };
                if let Some(node) = ev.tree.as_mut().and_then(|t| t.last_mut()) {
                    node.cap = *cap;
                }
                ev.close(&Value::Dec(v));
                ev.record(*id, &Value::Dec(v));
                if v <= Decimal::ZERO {
                    all_above = false;
                }
                total = total
                    .checked_add(v)
                    .ok_or_else(|| Error::bare(ErrorKind::Overflow { op: "+".into() }))?;
                metrics.push(Value::Record(Arc::new(vec![label.clone(), Value::Dec(v)])));
            }
            let total = total.min(max).normalize();
            Ok(Value::Record(Arc::new(vec![
                Value::Dec(total),
                Value::Bool(all_above),
                Value::List(Arc::new(metrics)),
            ])))
        })
    }

    /// `points(quantity, rate, max cap)`.
    pub(super) fn points(&self, ir: &Ir) -> Code {
        match ir {
            Ir::Points {
                quantity,
                rate,
                per,
                max,
                whole,
                span,
            } => {
                let (q, rate, max) = (self.code(quantity), self.code(rate), self.code(max));
                let per = per.as_ref().map(|p| self.code(p));
                let (whole, span) = (*whole, *span);
                node(move |ev, it| {
                    let q = q(ev, it)?;
                    let r = ops::to_dec(&rate(ev, it)?).map_err(Error::bare)?;
                    let unit = match &per {
                        Some(p) => Some(p(ev, it)?),
                        None => None,
                    };
                    let cap = ops::to_dec(&max(ev, it)?).map_err(Error::bare)?;
                    ops::points(&q, r, unit.as_ref(), cap, whole).map_err(|k| Error::at(span, k))
                })
            }
            _ => internal("points of something else"),
        }
    }
}
