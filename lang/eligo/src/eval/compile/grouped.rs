//! `list group by key where cond` without building the groups it drops.
//!
//! Built naively, every group is a record `{key, items}` with its own list of items (four
//! allocations per group, and a reference count per item) before the condition drops most of
//! them. When the condition reads its `it` only as `it.key` and through aggregates of
//! `it.items` (`sum(it.items.amount)`, `any(it.items.flag)`, `count(it.items)`, …), the groups
//! can stay implicit: one pass gives every element its group, a counting sort lines each
//! group's items up in list order, and the condition reads the current group's key and items
//! from a frame on the evaluation. Records are built only for the groups kept, and none under
//! `count(…)`.
//!
//! Semantics are the naive ones exactly: groups in order of their key's first appearance,
//! items in list order, aggregates computed only when the condition evaluates them (an error
//! in an aggregate the condition skips is not raised), the same steps counted.

use super::{elements, field, internal, node, Code, Compiler, Operand};
use crate::diag::{Error, ErrorKind};
use crate::eval::interp::{Evaluation, GroupFrame};
use crate::eval::ops;
use crate::eval::uniques::Uniques;
use crate::model::ir::{visit, Agg, Ir};
use crate::model::Value;
use std::sync::Arc;

/// The keys of a `group by`, each numbered in order of first appearance.
#[derive(Default)]
pub(super) struct Keys(Uniques);

impl Keys {
    pub(super) fn with_capacity(n: usize) -> Self {
        Keys(Uniques::with_capacity(n))
    }

    /// The number of the key's group, a new one if it is new. The key is looked up by reference
    /// (equal values hash alike whatever their scale) and copied, normalised, only when it starts
    /// a group.
    #[inline]
    pub(super) fn group(&mut self, k: &Value) -> usize {
        self.0.insert(k, || ops::normalize(k.clone())).0
    }

    /// The keys, in order of first appearance.
    pub(super) fn into_keys(self) -> Vec<Value> {
        self.0.into_values()
    }
}

fn frame<'e>(ev: &'e Evaluation<'_>, id: u32) -> Option<&'e GroupFrame> {
    ev.groups.iter().rev().find(|f| f.id == id)
}

/// What an aggregate reads of the current group's items: the items, or one field of each.
pub(super) struct Items {
    id: u32,
    field: Option<usize>,
}

/// Whether `list where cond` can filter `list`'s groups without building them: `list` is a
/// `group by`, and every use of the condition's `it` (slot `it`) is `it.key` or an aggregate of
/// `it.items` or of one of its fields.
pub(super) fn fusable(list: &Ir, it: u32, cond: &Ir) -> bool {
    if !matches!(list, Ir::Group(..)) {
        return false;
    }
    let is_it = |x: &Ir| matches!(x, Ir::Local(s) if *s == it);
    let is_items = |x: &Ir| matches!(x, Ir::Field(b, 1) if is_it(b));
    let (mut uses, mut allowed) = (0usize, 0usize);
    visit(cond, &mut |x| match x {
        Ir::Local(s) if *s == it => uses += 1,
        Ir::Field(b, 0) if is_it(b) => allowed += 1,
        Ir::Agg(_, arg) => match &**arg {
            a if is_items(a) => allowed += 1,
            Ir::MapField(a, _) if is_items(a) => allowed += 1,
            _ => {}
        },
        _ => {}
    });
    uses == allowed
}

impl Compiler<'_> {
    /// Whether `x` is the `it` of the grouped condition being compiled.
    pub(super) fn is_group_it(&self, x: &Ir) -> bool {
        matches!((x, self.group), (Ir::Local(s), Some((it, _))) if *s == it)
    }

    /// `it.key` in a grouped condition.
    pub(super) fn group_key(&self) -> Code {
        let Some((_, id)) = self.group else {
            return internal("`it.key` outside a grouped condition");
        };
        Box::new(move |ev, _| {
            ev.tick(1)?;
            frame(ev, id)
                .and_then(|f| f.keys.get(f.current))
                .cloned()
                .ok_or_else(|| Error::bare(ErrorKind::internal("no group for `it.key`")))
        })
    }

    /// The aggregate's argument, when it is `it.items` or `it.items.field` of the grouped
    /// condition being compiled.
    pub(super) fn group_items(&self, x: &Ir) -> Option<Items> {
        let (_, id) = self.group?;
        let items = |a: &Ir| matches!(a, Ir::Field(b, 1) if self.is_group_it(b));
        match x {
            a if items(a) => Some(Items { id, field: None }),
            Ir::MapField(a, f) if items(a) => Some(Items {
                id,
                field: Some(*f as usize),
            }),
            _ => None,
        }
    }

    /// An aggregate of the current group's items.
    pub(super) fn group_aggregate(&self, agg: Agg, items: Items) -> Code {
        let Items { id, field: f } = items;
        node(move |ev, _| {
            // Reading `it.items` itself is a step, as a place is; `it.items.field` under an
            // aggregate is read in place (see `Compiler::borrowed_list`).
            if f.is_none() {
                ev.tick(1)?;
            }
            let mut acc = ops::Accumulator::new(agg);
            let frame = frame(ev, id)
                .ok_or_else(|| Error::bare(ErrorKind::internal("no group for `it.items`")))?;
            for v in frame.items() {
                let x = match f {
                    Some(slot) => field(v, slot),
                    None => v,
                };
                if acc.push(x).map_err(Error::bare)? {
                    break;
                }
            }
            ev.tick(acc.work())?;
            acc.finish().map_err(Error::bare)
        })
    }

    /// `group where cond`, or `count(group where cond)` when `count_only`.
    pub(super) fn grouped_filter(&self, group: &Ir, it: u32, cond: &Ir, count_only: bool) -> Code {
        let Ir::Group(list, slot, key) = group else {
            return internal("a grouped filter of something that is no `group by`");
        };
        let list: Operand = self.list(list);
        let (slot, key) = (*slot, self.loop_body(*slot, key, Compiler::operand));
        let id = self.groups.get();
        self.groups.set(id + 1);
        let inner = Compiler {
            program: self.program,
            elem: None,
            group: Some((it, id)),
            groups: self.groups,
        };
        let cond = inner.cond(cond);
        node(move |ev, elem| {
            // The `group by` node.
            ev.tick(1)?;
            let list = list.value(ev, elem)?;
            let elements = elements(&list)?;
            let mut keys = Keys::with_capacity(elements.len());
            let mut group_of: Vec<u32> = Vec::with_capacity(elements.len());
            for v in elements {
                key.bind(ev, slot, v);
                let t = key.code.prepare(ev, v)?;
                let k = key.code.get(ev, v, &t);
                // Hashing a key visits its elements.
                let work = crate::eval::ops::hash_work(k).saturating_sub(1);
                let g = keys.group(k) as u32;
                ev.tick(work)?;
                group_of.push(g);
            }
            let keys = keys.into_keys();
            // A counting sort: each group's items together, in list order.
            let mut bounds = vec![0u32; keys.len() + 1];
            for &g in &group_of {
                bounds[g as usize + 1] += 1;
            }
            for g in 0..keys.len() {
                bounds[g + 1] += bounds[g];
            }
            let mut next = bounds.clone();
            let mut order = vec![0u32; elements.len()];
            for (i, &g) in group_of.iter().enumerate() {
                order[next[g as usize] as usize] = i as u32;
                next[g as usize] += 1;
            }
            let groups = keys.len();
            let depth = ev.groups.len();
            ev.groups.push(GroupFrame {
                id,
                list: list.clone(),
                keys,
                order,
                bounds,
                current: 0,
            });
            let mut kept: Vec<Value> = Vec::new();
            let mut passed = 0i64;
            for g in 0..groups {
                if let Some(f) = ev.groups.last_mut() {
                    f.current = g;
                }
                match cond(ev, &Value::None) {
                    Ok(true) => {
                        passed += 1;
                        if !count_only {
                            if let Some(f) = ev.groups.last() {
                                let items: Vec<Value> = f.items().cloned().collect();
                                kept.push(Value::Record(Arc::new(vec![
                                    f.keys.get(g).cloned().unwrap_or(Value::None),
                                    Value::List(Arc::new(items)),
                                ])));
                            }
                        }
                    }
                    Ok(false) => {}
                    Err(e) => {
                        ev.groups.truncate(depth);
                        return Err(e);
                    }
                }
            }
            ev.groups.truncate(depth);
            if count_only {
                Ok(Value::Int(passed))
            } else {
                ev.built(Value::List(Arc::new(kept)), "a list built by `group by`")
            }
        })
    }
}
