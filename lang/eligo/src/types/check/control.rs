//! Control flow and optional values: `if` (with `is some v` binding `v` in its `then`), `let`,
//! `is none`, `is some` and `otherwise`.

use super::Checker;
use crate::diag::{Error, ErrorKind};
use crate::model::ir::Ir;
use crate::model::Ty;
use crate::syntax::ast::{Expr, ExprKind};

impl Checker<'_, '_> {
    /// `is none`, `is some`, `otherwise`, `if` and `let`.
    pub(super) fn control(&mut self, e: &Expr) -> (Ir, Ty) {
        match &e.node {
            ExprKind::IsNone(x) => {
                let ir = self.optional_operand(x);
                (Ir::IsNone(Box::new(ir)), Ty::Bool)
            }
            ExprKind::IsSome(x, binder) => {
                if let Some(b) = binder {
                    self.errors
                        .push(Error::at(b.span, ErrorKind::BindingOutsideIf));
                }
                let ir = self.optional_operand(x);
                (Ir::Not(Box::new(Ir::IsNone(Box::new(ir)))), Ty::Bool)
            }
            ExprKind::Otherwise(x, d) => {
                let (xir, xt) = self.expr(x);
                let inner = match &xt {
                    Ty::Opt(t) => (**t).clone(),
                    Ty::Error => Ty::Error,
                    t => {
                        let t = t.clone();
                        return self.error(Error::at(
                            x.span,
                            ErrorKind::TypeMismatch {
                                expected: "an optional value".into(),
                                found: format!("`{t}`, which is never absent"),
                                hint: Some("remove `otherwise …`".into()),
                            },
                        ));
                    }
                };
                let (dir, dt) = self.expr(d);
                let t = match inner.join(&dt) {
                    Some(t) => t,
                    None => {
                        self.errors.push(self.mismatch(d.span, &inner, &dt));
                        Ty::Error
                    }
                };
                (Ir::Otherwise(Box::new(xir), Box::new(dir)), t)
            }
            ExprKind::If(c, a, b) => self.if_expr(c, a, b, None),
            ExprKind::Let(n, v, body) => {
                let (vir, vt) = self.expr(v);
                // Only numbers and scores can bound a threshold: other values are not kept.
                let bounded = matches!(vt, Ty::Int | Ty::Decimal | Ty::Record(_));
                let slot = self.push_local(n.node.clone(), vt);
                if bounded {
                    let value = crate::types::lints::inline_lets(&vir, &self.lets);
                    self.lets.push((slot, value));
                }
                let (bir, bt) = self.expr(body);
                if bounded {
                    self.lets.pop();
                }
                self.pop_local();
                (Ir::Let(slot, Box::new(vir), Box::new(bir)), bt)
            }
            _ => self.error(Error::at(
                e.span,
                ErrorKind::internal("control flow of another kind"),
            )),
        }
    }

    /// `if`; with `want`, both branches are checked against it (an expected enum).
    pub(super) fn if_expr(&mut self, c: &Expr, a: &Expr, b: &Expr, want: Option<&Ty>) -> (Ir, Ty) {
        let (cond, bound) = match &c.node {
            ExprKind::IsSome(x, Some(v)) => {
                let (xir, xt) = self.expr(x);
                let inner = match &xt {
                    Ty::Opt(t) => (**t).clone(),
                    Ty::Error => Ty::Error,
                    t => {
                        self.errors.push(Error::at(
                            x.span,
                            ErrorKind::TypeMismatch {
                                expected: "an optional value".into(),
                                found: format!("`{t}`, which is never absent"),
                                hint: Some("only values of a type `T?` can be `none`".into()),
                            },
                        ));
                        t.clone()
                    }
                };
                (xir, Some((v.node.clone(), inner)))
            }
            _ => (self.expect(c, &Ty::Bool), None),
        };
        let (air, at, slot) = match bound {
            Some((name, t)) => {
                let slot = self.push_local(name, t);
                let (air, at) = self.branch(a, want);
                self.pop_local();
                (air, at, Some(slot))
            }
            None => {
                let mark = self.assume(c, true);
                let (air, at) = self.branch(a, want);
                self.forget(mark);
                (air, at, None)
            }
        };
        let mark = self.assume(c, false);
        let (bir, bt) = self.branch(b, want);
        self.forget(mark);
        let t = match at.join(&bt) {
            Some(t) => t,
            None => {
                self.errors.push(Error::at(
                    b.span,
                    ErrorKind::TypeMismatch {
                        expected: format!("`{at}` (the type of the `then` branch)"),
                        found: format!("`{bt}`"),
                        hint: Some("both branches of an `if` must have the same type".into()),
                    },
                ));
                Ty::Error
            }
        };
        let ir = match slot {
            Some(s) => Ir::IfSome(Box::new(cond), s, Box::new(air), Box::new(bir)),
            None => Ir::If(Box::new(cond), Box::new(air), Box::new(bir)),
        };
        (ir, t)
    }

    fn branch(&mut self, e: &Expr, want: Option<&Ty>) -> (Ir, Ty) {
        match want {
            Some(t) => (self.expect(e, t), t.clone()),
            None => self.expr(e),
        }
    }

    pub(super) fn optional_operand(&mut self, x: &Expr) -> Ir {
        let (ir, t) = self.expr(x);
        if !matches!(t, Ty::Opt(_) | Ty::Error) {
            self.errors.push(Error::at(
                x.span,
                ErrorKind::TypeMismatch {
                    expected: "an optional value".into(),
                    found: format!("`{t}`, which is never absent"),
                    hint: Some("only values of a type `T?` can be `none`".into()),
                },
            ));
        }
        ir
    }
}
