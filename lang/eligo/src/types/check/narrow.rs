//! Narrowing: where a condition has proved an optional value present, the value is read with
//! its inner type. `x is some and x within w`, `x is none or x > 3`, `if x is some then x + 1
//! else 0` and `list where it.d is some` (whose elements then have `d` present) all check.
//! Values never change once computed, so what a condition proves holds wherever it is known to
//! be true. Only names and field paths (`x`, `it.date`, `partner.tier`) are narrowed.

use super::Checker;
use crate::model::ty::RecordTy;
use crate::model::Ty;
use crate::syntax::ast::{Expr, ExprKind};
use std::sync::Arc;

/// The paths that `cond` proves present when it evaluates to `when`.
pub(super) fn proven(cond: &Expr, when: bool, out: &mut Vec<Expr>) {
    match (&cond.node, when) {
        (ExprKind::IsSome(x, None), true) | (ExprKind::IsNone(x), false) if root(x).is_some() => {
            out.push((**x).clone());
        }
        (ExprKind::Not(x), _) => proven(x, !when, out),
        (ExprKind::And(xs), true) | (ExprKind::Or(xs), false) => {
            for x in xs {
                proven(x, when, out);
            }
        }
        _ => {}
    }
}

/// The name a path starts from: `x` of `x.a.b`; `None` for anything else.
fn root(e: &Expr) -> Option<&str> {
    match &e.node {
        ExprKind::Name(n) => Some(&n.node),
        ExprKind::Field(base, _) => root(base),
        _ => None,
    }
}

impl Checker<'_, '_> {
    /// Records what `cond` proves when it is `when`; [`Checker::forget`] with the mark undoes it.
    pub(super) fn assume(&mut self, cond: &Expr, when: bool) -> usize {
        let mark = self.narrowed.len();
        let mut paths = Vec::new();
        proven(cond, when, &mut paths);
        let scope = self.locals.len();
        self.narrowed.extend(paths.into_iter().map(|p| (p, scope)));
        mark
    }

    pub(super) fn forget(&mut self, mark: usize) {
        self.narrowed.truncate(mark);
    }

    /// The type of `e` once narrowing is applied: the inner type of an optional path proved
    /// present, unless a local of its root's name was bound since (it names another value).
    pub(super) fn narrow(&self, e: &Expr, t: Ty) -> Ty {
        let Ty::Opt(inner) = &t else { return t };
        let Some(name) = root(e) else { return t };
        let proved = self.narrowed.iter().any(|(p, scope)| {
            p == e
                && !self.locals[(*scope).min(self.locals.len())..]
                    .iter()
                    .any(|(l, _)| &**l == name)
        });
        if proved {
            (**inner).clone()
        } else {
            t
        }
    }

    /// The element type of `list where cond`: the fields of `it` that `cond` proves present lose
    /// their `?`.
    pub(super) fn narrow_element(&self, cond: &Expr, elem: Ty) -> Ty {
        let Ty::Record(r) = &elem else { return elem };
        let mut paths = Vec::new();
        proven(cond, true, &mut paths);
        let mut fields = r.fields.clone();
        let mut changed = false;
        for p in &paths {
            let ExprKind::Field(base, f) = &p.node else {
                continue;
            };
            if !matches!(&base.node, ExprKind::Name(n) if &*n.node == "it") {
                continue;
            }
            if let Some(field) = fields.iter_mut().find(|x| x.name == f.node) {
                if let Ty::Opt(inner) = &field.ty {
                    field.ty = (**inner).clone();
                    changed = true;
                }
            }
        }
        if !changed {
            return elem;
        }
        Ty::Record(Arc::new(RecordTy {
            name: r.name.clone(),
            fields,
        }))
    }
}
