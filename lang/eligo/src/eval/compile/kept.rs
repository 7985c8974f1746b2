//! Counting and filtering expressions in their traced form: `count(xs where …)`,
//! `count(x in xs: …)`, `xs where …` and aggregates of it (`sum((xs where …).amount)`). They give
//! the plain form's value and record on the open node of the evaluation tree which elements they
//! kept (the first [`MAX_KEPT`], and how many), for explanations. Run only when explaining.

use super::traced::Traced;
use super::types::loop_element;
use super::{elements, field, node, Code, Compiler};
use crate::diag::Error;
use crate::eval::interp::Evaluation;
use crate::eval::ops;
use crate::eval::trace::{Kept, KeptHow, MAX_KEPT};
use crate::model::ir::{Agg, Ir};
use crate::model::{Ty, Value};
use std::sync::Arc;

/// Whether an expression is one whose kept elements explanations record.
pub(super) fn counting(ir: &Ir) -> bool {
    match ir {
        Ir::Filter(..) => true,
        Ir::Agg(Agg::CountTrue | Agg::Any | Agg::All, x) => matches!(**x, Ir::Map(..)),
        Ir::Agg(_, x) => filtered(x).is_some(),
        _ => false,
    }
}

/// The `where` an aggregate reads: `xs where c` itself, or a field of its elements.
fn filtered(x: &Ir) -> Option<(&Ir, u32, &Ir, Option<usize>)> {
    match x {
        Ir::Filter(list, slot, cond) => Some((&**list, *slot, &**cond, None)),
        Ir::MapField(inner, f) => match &**inner {
            Ir::Filter(list, slot, cond) => Some((&**list, *slot, &**cond, Some(*f as usize))),
            _ => None,
        },
        _ => None,
    }
}

/// The elements kept so far: the first [`MAX_KEPT`], and how many.
#[derive(Default)]
pub(super) struct Collected {
    first: Vec<Value>,
    pub(super) total: usize,
}

impl Collected {
    pub(super) fn push(&mut self, v: &Value) {
        if self.first.len() < MAX_KEPT {
            self.first.push(v.clone());
        }
        self.total += 1;
    }

    /// Records them on the open node of the evaluation tree, when there are any (that none
    /// were kept, the value says already).
    pub(super) fn record(self, ev: &mut Evaluation<'_>, how: KeptHow, of: usize, ty: &Ty) {
        if self.total == 0 {
            return;
        }
        if let Some(node) = ev.tree.as_mut().and_then(|t| t.last_mut()) {
            node.kept.push(Kept {
                how,
                elements: self.first,
                total: self.total,
                of,
                ty: ty.clone(),
            });
        }
    }
}

/// What a counting expression makes of the elements its condition held for.
#[derive(Clone, Copy)]
enum Make {
    /// Their number.
    Count,
    /// The list of them.
    List,
    /// An aggregate of them, or of one of their fields.
    Aggregate(Agg, Option<usize>),
}

impl Traced<'_, '_> {
    /// The traced form of a counting or filtering expression; none for anything else (and for
    /// `any`/`all`, which [`Traced::code`] traces with their comparisons).
    pub(super) fn counting(&self, ir: &Ir) -> Option<Code> {
        let (list, slot, cond, make, how) = match ir {
            Ir::Filter(list, slot, cond) => (&**list, *slot, &**cond, Make::List, KeptHow::Kept),
            Ir::Agg(Agg::CountTrue, x) => match &**x {
                Ir::Map(list, slot, body) => {
                    (&**list, *slot, &**body, Make::Count, KeptHow::Counted)
                }
                _ => return None,
            },
            Ir::Agg(Agg::Count, x) => {
                let (list, slot, cond, _) = filtered(x)?;
                (list, slot, cond, Make::Count, KeptHow::Counted)
            }
            Ir::Agg(agg @ (Agg::SumInt | Agg::SumDec | Agg::SumDuration(_)), x) => {
                let (list, slot, cond, f) = filtered(x)?;
                (list, slot, cond, Make::Aggregate(*agg, f), KeptHow::Summed)
            }
            Ir::Agg(Agg::Any | Agg::All, _) => return None,
            Ir::Agg(agg, x) => {
                let (list, slot, cond, f) = filtered(x)?;
                (list, slot, cond, Make::Aggregate(*agg, f), KeptHow::Kept)
            }
            _ => return None,
        };
        Some(self.kept_loop(list, slot, cond, make, how))
    }

    /// Evaluates the condition for each element of the list (every one, as the plain form does),
    /// records the elements it held for, and makes the value of them.
    fn kept_loop(&self, list: &Ir, slot: u32, cond: &Ir, make: Make, how: KeptHow) -> Code {
        let ty = loop_element(self.c.program, list, slot, cond, &self.locals);
        let ty = ty.unwrap_or(Ty::Unknown);
        let list = self.c.borrowed_list(list);
        let cond = self.c.loop_body(slot, cond, Compiler::cond);
        node(move |ev, it| {
            let owned: Value;
            let xs = elements(loop_list!(list, ev, it, owned))?;
            let mut all: Vec<&Value> = Vec::new();
            let mut kept = Collected::default();
            for v in xs {
                cond.bind(ev, slot, v);
                if (cond.code)(ev, v)? {
                    kept.push(v);
                    all.push(v);
                }
            }
            let value = made(ev, make, &all)?;
            kept.record(ev, how, xs.len(), &ty);
            Ok(value)
        })
    }
}

/// The value a counting expression makes of the elements kept.
fn made(ev: &mut Evaluation<'_>, make: Make, kept: &[&Value]) -> Result<Value, Error> {
    match make {
        Make::Count => Ok(Value::Int(kept.len() as i64)),
        Make::List => Ok(Value::List(Arc::new(
            kept.iter().map(|v| (*v).clone()).collect(),
        ))),
        Make::Aggregate(agg, f) => {
            let mut acc = ops::Accumulator::new(agg);
            for v in kept {
                let x = f.map_or(*v, |f| field(v, f));
                if acc.push(x).map_err(Error::bare)? {
                    break;
                }
            }
            ev.tick(acc.work())?;
            acc.finish().map_err(Error::bare)
        }
    }
}
