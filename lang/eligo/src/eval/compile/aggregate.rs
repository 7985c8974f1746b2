//! Aggregates over lists, fused with what produces the list (`.field`, `x in list: …`,
//! `where`) so that no intermediate list is built.

use super::{elements, field, internal, node, Code, Compiler, Operand};
use crate::diag::{Error, ErrorKind};
use crate::eval::interp::Evaluation;
use crate::eval::ops;
use crate::model::ir::{Agg, Ir};
use crate::model::Value;

impl Compiler<'_> {
    /// An aggregate over a list, fused with the list's `x in list: body`, `.field` or `where`
    /// so that no intermediate list is built.
    pub(super) fn aggregate(&self, agg: Agg, x: &Ir) -> Code {
        if let Some(items) = self.group_items(x) {
            return self.group_aggregate(agg, items);
        }
        match x {
            Ir::Filter(list, slot, cond)
                if matches!(agg, Agg::Count) && super::grouped::fusable(list, *slot, cond) =>
            {
                self.grouped_filter(list, *slot, cond, true)
            }
            Ir::MapField(inner, f) if matches!(**inner, Ir::Filter(..)) => match &**inner {
                Ir::Filter(list, slot, cond) => {
                    self.filtered_aggregate(agg, list, *slot, cond, Some(*f as usize))
                }
                _ => internal("an aggregate of a field of a filter that is none"),
            },
            Ir::MapField(list, slot) => {
                let (list, slot) = (self.borrowed_list(list), *slot as usize);
                node(move |ev, it| {
                    let mut acc = ops::Accumulator::new(agg);
                    let t = list.prepare(ev, it)?;
                    for v in elements(list.get(ev, it, &t))? {
                        if acc.push(field(v, slot)).map_err(Error::bare)? {
                            break;
                        }
                    }
                    ev.tick(acc.work())?;
                    acc.finish().map_err(Error::bare)
                })
            }
            Ir::Map(list, slot, body) => {
                let (list, slot) = (self.borrowed_list(list), *slot);
                // A condition per element when the aggregate only asks for truth.
                if matches!(agg, Agg::CountTrue | Agg::Any | Agg::All) {
                    let count = self.count_true(list, slot, body);
                    return node(move |ev, it| {
                        let (n, len) = count(ev, it)?;
                        Ok(match agg {
                            Agg::Any => Value::Bool(n > 0),
                            Agg::All => Value::Bool(n == len),
                            _ => Value::Int(n),
                        })
                    });
                }
                let body = self.loop_body(slot, body, Compiler::code);
                node(move |ev, it| {
                    let mut acc = ops::Accumulator::new(agg);
                    let owned: Value;
                    let list = loop_list!(list, ev, it, owned);
                    for v in elements(list)? {
                        body.bind(ev, slot, v);
                        let b = (body.code)(ev, v)?;
                        let _decided = acc.push(&b).map_err(Error::bare)?;
                    }
                    ev.tick(acc.work())?;
                    acc.finish().map_err(Error::bare)
                })
            }
            Ir::Filter(list, slot, cond) if !matches!(agg, Agg::Count) => {
                self.filtered_aggregate(agg, list, *slot, cond, None)
            }
            Ir::Filter(list, slot, cond) if matches!(agg, Agg::Count) => {
                let list = self.borrowed_list(list);
                let (slot, cond) = (*slot, self.loop_body(*slot, cond, Compiler::cond));
                node(move |ev, it| {
                    let owned: Value;
                    let list = loop_list!(list, ev, it, owned);
                    let mut n = 0i64;
                    for v in elements(list)? {
                        cond.bind(ev, slot, v);
                        if (cond.code)(ev, v)? {
                            n += 1;
                        }
                    }
                    Ok(Value::Int(n))
                })
            }
            // A count of a list is its length (the steps are the same: a count pushes nothing
            // that costs work).
            _ if matches!(agg, Agg::Count) => {
                let x = self.list(x);
                node(move |ev, it| {
                    let t = x.prepare(ev, it)?;
                    Ok(Value::Int(elements(x.get(ev, it, &t))?.len() as i64))
                })
            }
            _ => {
                let x = self.list(x);
                node(move |ev, it| {
                    let mut acc = ops::Accumulator::new(agg);
                    let t = x.prepare(ev, it)?;
                    for v in elements(x.get(ev, it, &t))? {
                        if acc.push(v).map_err(Error::bare)? {
                            break;
                        }
                    }
                    ev.tick(acc.work())?;
                    acc.finish().map_err(Error::bare)
                })
            }
        }
    }

    /// How many elements of a list a condition holds for, and how many there are. Every
    /// condition is evaluated, even after `any`/`all` are decided: an error in a later element is
    /// reported, never hidden (as in criteria blocks).
    pub(super) fn count_true(
        &self,
        list: Operand,
        slot: u32,
        body: &Ir,
    ) -> impl Fn(&mut Evaluation<'_>, &Value) -> Result<(i64, i64), Error> + Send + Sync + 'static
    {
        let body = self.loop_body(slot, body, Compiler::cond);
        move |ev, it| {
            let owned: Value;
            let list = loop_list!(list, ev, it, owned);
            let list = elements(list)?;
            let mut n = 0i64;
            for v in list {
                body.bind(ev, slot, v);
                if (body.code)(ev, v)? {
                    n += 1;
                }
            }
            Ok((n, list.len() as i64))
        }
    }

    /// An aggregate of `list where cond` (or of a field of its elements), without the filtered
    /// list. As when the list is built first, every condition is evaluated (an error in a later
    /// element is reported even once the aggregate is decided) and an error of the aggregate
    /// itself is reported only when no condition fails.
    pub(super) fn filtered_aggregate(
        &self,
        agg: Agg,
        list: &Ir,
        slot: u32,
        cond: &Ir,
        read: Option<usize>,
    ) -> Code {
        let list = self.borrowed_list(list);
        let cond = self.loop_body(slot, cond, Compiler::cond);
        node(move |ev, it| {
            // The `where` node.
            ev.tick(1)?;
            let owned: Value;
            let list = loop_list!(list, ev, it, owned);
            let mut acc = ops::Accumulator::new(agg);
            let mut done: Result<bool, ErrorKind> = Ok(false);
            for v in elements(list)? {
                cond.bind(ev, slot, v);
                if (cond.code)(ev, v)? && matches!(done, Ok(false)) {
                    let x = match read {
                        Some(f) => field(v, f),
                        None => v,
                    };
                    done = acc.push(x);
                }
            }
            done.map_err(Error::bare)?;
            ev.tick(acc.work())?;
            acc.finish().map_err(Error::bare)
        })
    }
}
