//! The types of the lists an explanation shows the kept elements of, read again from the
//! checked IR (which carries no types): an explanation shows a record by its `id` or `name`, and
//! an enum by its variant's name, so it needs the elements' type. Only the explain path asks.

use crate::model::ir::{visit, Agg, Ir};
use crate::model::ty::{FieldTy, RecordTy};
use crate::model::{Program, Ty};
use std::sync::Arc;

/// The types known for the slots of a frame: later bindings of a slot shadow earlier ones.
#[derive(Debug, Clone, Default)]
pub(super) struct Locals(Vec<(u32, Ty)>);

impl Locals {
    /// A rule's parameters, the first slots of its frame.
    pub(super) fn params(program: &Program, rule: u32) -> Locals {
        let params = program.rules.get(rule as usize).map(|r| &r.params[..]);
        Locals(
            params
                .unwrap_or(&[])
                .iter()
                .enumerate()
                .map(|(i, (_, t))| (i as u32, t.clone()))
                .collect(),
        )
    }

    /// These locals with `slot` bound to a value of type `ty` (unknown: not bound).
    pub(super) fn with(&self, slot: u32, ty: Option<Ty>) -> Locals {
        let mut more = self.0.clone();
        more.retain(|(s, _)| *s != slot);
        if let Some(t) = ty {
            more.push((slot, t));
        }
        Locals(more)
    }

    fn get(&self, slot: u32) -> Option<Ty> {
        self.0
            .iter()
            .rev()
            .find(|(s, _)| *s == slot)
            .map(|(_, t)| t.clone())
    }
}

/// The element type of a list type.
pub(super) fn element(list: Option<Ty>) -> Option<Ty> {
    match list?.strip_opt() {
        Ty::List(e) => Some((**e).clone()),
        _ => None,
    }
}

/// The type of an expression, when a value of it can be read without checking it again: reads
/// of facts, rules, tables, locals and fields, lists filtered, mapped or grouped. None for
/// anything else.
pub(super) fn type_of(program: &Program, ir: &Ir, locals: &Locals) -> Option<Ty> {
    let of = |x: &Ir| type_of(program, x, locals);
    match ir {
        Ir::Local(s) => locals.get(*s),
        Ir::Fact(s) => Some(
            program
                .facts
                .as_ref()?
                .root
                .fields
                .get(*s as usize)?
                .ty
                .clone(),
        ),
        Ir::Rule(r) | Ir::Call(r, _) => Some(program.rules.get(*r as usize)?.ty.clone()),
        Ir::Table(t) => Some(program.tables.get(*t as usize)?.ty.clone()),
        Ir::Lookup(t, _) => element(Some(program.tables.get(*t as usize)?.ty.clone())),
        Ir::Field(x, slot) => field(of(x)?, *slot),
        Ir::MapField(x, slot) => Some(field(element(of(x))?, *slot)?.list()),
        Ir::Filter(x, ..) | Ir::Cached(_, x) => of(x),
        Ir::Agg(Agg::Distinct | Agg::Sort, x) => of(x),
        Ir::Otherwise(x, d) => of(x).map(|t| t.strip_opt().clone()).or_else(|| of(d)),
        Ir::If(_, a, b) => of(a).or_else(|| of(b)),
        Ir::Let(slot, v, body) => type_of(program, body, &locals.with(*slot, of(v))),
        Ir::Map(x, slot, body) => {
            let inner = locals.with(*slot, element(of(x)));
            Some(type_of(program, body, &inner)?.list())
        }
        Ir::Group(x, slot, key) => {
            let list = of(x)?;
            let inner = locals.with(*slot, element(Some(list.clone())));
            let key = type_of(program, key, &inner)?;
            Some(group(key, list).list())
        }
        _ => None,
    }
}

/// A field's type in a record type (through `?`: a field of an optional record is optional).
fn field(record: Ty, slot: u32) -> Option<Ty> {
    match &record {
        Ty::Record(r) => Some(r.fields.get(slot as usize)?.ty.clone()),
        Ty::Opt(inner) => match &**inner {
            Ty::Record(r) => Some(r.fields.get(slot as usize)?.ty.clone().optional()),
            _ => None,
        },
        _ => None,
    }
}

/// The type of a group of `group by`: `{key, items}`, as the checker makes it.
fn group(key: Ty, items: Ty) -> Ty {
    let field = |name: &str, ty: Ty| FieldTy {
        name: name.into(),
        ty,
        default: None,
        signed: false,
    };
    Ty::Record(Arc::new(RecordTy {
        name: None,
        fields: vec![field("key", key), field("items", items)],
    }))
}

/// The element type of a loop over `list` whose body binds the element to `slot`: the list's,
/// else (a list of constants, such as the variants of an enum) the type of the rule parameter
/// the body passes the element to.
pub(super) fn loop_element(
    program: &Program,
    list: &Ir,
    slot: u32,
    body: &Ir,
    locals: &Locals,
) -> Option<Ty> {
    element(type_of(program, list, locals)).or_else(|| passed_as(program, body, slot))
}

/// The type of the parameter a call in `body` passes the local `slot` to.
fn passed_as(program: &Program, body: &Ir, slot: u32) -> Option<Ty> {
    let mut found = None;
    visit(body, &mut |x| {
        if let (Ir::Call(r, args), None) = (x, &found) {
            let at = args
                .iter()
                .position(|a| matches!(a, Ir::Local(s) if *s == slot));
            let params = program.rules.get(*r as usize).map(|d| &d.params);
            found = at.and_then(|i| Some(params?.get(i)?.1.clone()));
        }
    });
    found
}
