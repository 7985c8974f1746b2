//! Loops over lists: `where`, `x in list: …` and `group by`. The element is passed to the body
//! as its parameter (see `Body`), and lists that lie in the facts or in an enclosing element are
//! iterated where they lie.

use super::{elements, field, grouped, internal, node, Code, Compiler};
use crate::eval::ops;
use crate::model::ir::Ir;
use crate::model::Value;
use std::sync::Arc;

/// The room a filter's result starts with: enough for short lists to be kept whole without
/// growing step by step (each step a reallocation), bounded so that a long list of which
/// little is kept does not hold room for all of it.
fn first_room(len: usize) -> usize {
    len.min(64)
}

impl Compiler<'_> {
    /// `(list where cond).f`: the field of each element kept, without building the filtered
    /// list first (one list and one clone of each kept element fewer: `counting_names_by_person`
    /// does it for every person). The same steps as the two nodes: the `where` node's step is
    /// taken here.
    pub(super) fn filter_field(&self, list: &Ir, slot: u32, cond: &Ir, f: usize) -> Code {
        let list = self.borrowed_list(list);
        let (slot, cond) = (slot, self.loop_body(slot, cond, Compiler::cond));
        node(move |ev, it| {
            ev.tick(1)?;
            let owned: Value;
            let list = loop_list!(list, ev, it, owned);
            let list = elements(list)?;
            let mut out = Vec::with_capacity(first_room(list.len()));
            for v in list {
                cond.bind(ev, slot, v);
                if (cond.code)(ev, v)? {
                    out.push(field(v, f).clone());
                }
            }
            Ok(Value::List(Arc::new(out)))
        })
    }

    /// `where`, `x in list: …` and `group by`.
    pub(super) fn loop_code(&self, ir: &Ir) -> Code {
        match ir {
            Ir::Filter(list, slot, cond) if grouped::fusable(list, *slot, cond) => {
                self.grouped_filter(list, *slot, cond, false)
            }
            Ir::Filter(list, slot, cond) => {
                let list = self.borrowed_list(list);
                let (slot, cond) = (*slot, self.loop_body(*slot, cond, Compiler::cond));
                node(move |ev, it| {
                    let owned: Value;
                    let list = loop_list!(list, ev, it, owned);
                    let list = elements(list)?;
                    let mut out = Vec::with_capacity(first_room(list.len()));
                    for v in list {
                        cond.bind(ev, slot, v);
                        if (cond.code)(ev, v)? {
                            out.push(v.clone());
                        }
                    }
                    Ok(Value::List(Arc::new(out)))
                })
            }
            Ir::Map(list, slot, body) => {
                let list = self.list(list);
                let (slot, body) = (*slot, self.loop_body(*slot, body, Compiler::code));
                node(move |ev, it| {
                    let owned: Value;
                    let list = loop_list!(list, ev, it, owned);
                    let list = elements(list)?;
                    let mut out = Vec::with_capacity(list.len());
                    for v in list {
                        body.bind(ev, slot, v);
                        out.push((body.code)(ev, v)?);
                    }
                    ev.built(Value::List(Arc::new(out)), "a list built by `x in list: …`")
                })
            }
            Ir::Group(list, slot, key) => {
                let list = self.list(list);
                let (slot, key) = (*slot, self.loop_body(*slot, key, Compiler::operand));
                node(move |ev, it| {
                    let owned: Value;
                    let list = loop_list!(list, ev, it, owned);
                    let elements = elements(list)?;
                    let mut keys = grouped::Keys::with_capacity(elements.len());
                    let mut items: Vec<Vec<Value>> = Vec::new();
                    for v in elements {
                        key.bind(ev, slot, v);
                        let t = key.code.prepare(ev, v)?;
                        let k = key.code.get(ev, v, &t);
                        // Hashing a key visits its elements.
                        let work = ops::hash_work(k).saturating_sub(1);
                        let g = keys.group(k);
                        ev.tick(work)?;
                        if g == items.len() {
                            items.push(Vec::new());
                        }
                        items[g].push(v.clone());
                    }
                    let v = Value::List(Arc::new(
                        keys.into_keys()
                            .into_iter()
                            .zip(items)
                            .map(|(k, items)| {
                                Value::Record(Arc::new(vec![k, Value::List(Arc::new(items))]))
                            })
                            .collect(),
                    ));
                    ev.built(v, "a list built by `group by`")
                })
            }
            _ => internal("a loop of something else"),
        }
    }
}
