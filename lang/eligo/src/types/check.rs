//! The expression checker: proves an expression well typed and lowers it to [`Ir`] with every
//! name resolved to a slot or an index. It keeps going after an error (the erroneous part gets
//! the type [`Ty::Error`], accepted everywhere) so one run reports every mistake.

mod blocks;
mod control;
mod names;
mod narrow;
mod operators;

use super::hints;
use super::{RuleSig, TableSig};
use crate::diag::{Error, ErrorKind};
use crate::model::ir::Ir;
use crate::model::ty::{RecordTy, Ty};
use crate::model::{CriterionDef, Value};
use crate::resolve::{Decl, Env, Found};
use crate::source::Span;
use crate::syntax::ast::{Expr, ExprKind, Ident};
use std::sync::Arc;

/// Deepest expression the checker descends into.
pub const MAX_CHECK_DEPTH: usize = 512;

/// Checks expressions of one module.
pub struct Checker<'c, 'a> {
    pub(super) env: &'c Env<'a>,
    pub(super) module: usize,
    pub(super) locals: Vec<(Arc<str>, Ty)>,
    pub(super) frame: u32,
    pub(super) rules: &'c [RuleSig],
    pub(super) tables: &'c [TableSig],
    pub(super) criteria: &'c mut Vec<CriterionDef>,
    pub(super) errors: &'c mut Vec<Error>,
    pub(super) depth: usize,
    pub(super) depth_reported: bool,
    /// Optional paths that the conditions around the expression being checked prove present,
    /// each with the number of locals bound when it was proved ([`narrow`]).
    pub(super) narrowed: Vec<(Expr, usize)>,
    /// The rules the checked body reads or calls, with where (for the rule graph's errors).
    pub references: Vec<(u32, Span)>,
    /// Comparisons with a constant threshold, for the warnings ([`super::lints`]).
    pub(super) thresholds: &'c mut Vec<Threshold>,
    /// The values of the `let`s around the expression being checked, by slot, their own
    /// locals already replaced: a threshold on `s.total` is bounded through `let s = …`.
    pub(super) lets: Vec<(u32, Ir)>,
}

/// `x >= N` or `x > N`, kept for the warnings once every rule is checked.
#[derive(Debug, Clone)]
pub struct Threshold {
    /// `>=` or `>`.
    pub op: crate::syntax::ast::CmpOp,
    /// `x`.
    pub value: Ir,
    /// `N`.
    pub threshold: Ir,
    /// The comparison.
    pub span: Span,
}

impl Checker<'_, '_> {
    /// A type mismatch with the hint that fits the two types.
    pub(super) fn mismatch(&self, span: Span, want: &Ty, found: &Ty) -> Error {
        Error::at(
            span,
            ErrorKind::TypeMismatch {
                expected: format!("`{want}`"),
                found: format!("`{found}`"),
                hint: hints::mismatch(want, found, &self.env.currency),
            },
        )
    }

    pub(super) fn error(&mut self, e: Error) -> (Ir, Ty) {
        self.errors.push(e);
        (Ir::Const(Value::None), Ty::Error)
    }

    /// A type built by an expression, or the error type and E0326 when it has more than
    /// `MAX_TYPE_NODES` nodes: `xs group by it` holds the element type twice, so each link of
    /// a chain doubles it, and every later comparison or message would walk all of it.
    pub(super) fn within_limit(&mut self, span: Span, t: Ty) -> Ty {
        crate::model::ty::within_type_limit(t, span, self.errors)
    }

    pub(super) fn push_local(&mut self, name: Arc<str>, ty: Ty) -> u32 {
        let slot = self.locals.len() as u32;
        self.locals.push((name, ty));
        self.frame = self.frame.max(self.locals.len() as u32);
        slot
    }

    pub(super) fn pop_local(&mut self) {
        self.locals.pop();
    }

    /// Checks an expression where a type is expected: `none`, `[]` and bare enum variants take
    /// their type from it, and `Int` widens to `Decimal`.
    pub fn expect(&mut self, e: &Expr, want: &Ty) -> Ir {
        if let (ExprKind::Name(n), Ty::Enum(id, _)) = (&e.node, want.strip_opt()) {
            if !self.locals.iter().any(|(l, _)| *l == n.node) {
                let variants = &self.env.enums[*id as usize].variants;
                let unknown = self.env.lookup(self.module, n).is_err();
                if let Some(i) = variants.iter().position(|v| *v == n.node) {
                    if unknown {
                        return Ir::Const(Value::Enum(i as u32));
                    }
                }
                // A misspelt bare variant: where an enum is expected, its variants are what the
                // author meant, not the rules or built-ins of similar names.
                let suggestion = if unknown {
                    let names = || variants.iter().map(|v| &**v).collect();
                    self.env.suggestions.closest(&n.node, variants.len(), names)
                } else {
                    None
                };
                if suggestion.is_some() {
                    self.errors.push(Error::at(
                        n.span,
                        ErrorKind::UnknownVariant {
                            variant: n.node.to_string(),
                            enum_name: self.env.enums[*id as usize].name.to_string(),
                            suggestion,
                        },
                    ));
                    return Ir::Const(Value::None);
                }
            }
        }
        // The branches of an `if` take the enum expected, so that they may name bare variants.
        if let (ExprKind::If(c, a, b), Ty::Enum(..)) = (&e.node, want.strip_opt()) {
            return self.if_expr(c, a, b, Some(want)).0;
        }
        if let (ExprKind::List(items), Ty::List(elem)) = (&e.node, want.strip_opt()) {
            let irs = items.iter().map(|i| self.expect(i, elem)).collect();
            return Ir::List(irs);
        }
        // A record literal is checked field by field against the record expected, so `none`,
        // `[]` and whole numbers take their field's type; missing optional fields are none.
        if let (ExprKind::Record(fields), Ty::Record(r)) = (&e.node, want.strip_opt()) {
            return self.record_against(fields, r, e.span);
        }
        let (ir, found) = self.expr(e);
        if !found.fits(want) {
            self.errors.push(self.mismatch(e.span, want, &found));
        }
        // Whole numbers where decimals are expected become decimals, so that they equal (and
        // find as keys) the decimals they stand for.
        if matches!(found, Ty::Int) && matches!(want.strip_opt(), Ty::Decimal) {
            return match ir {
                Ir::Const(Value::Int(i)) => Ir::Const(Value::Dec(i.into())),
                ir => Ir::IntToDec(Box::new(ir)),
            };
        }
        ir
    }

    fn record_against(&mut self, fields: &[(Ident, Expr)], r: &RecordTy, span: Span) -> Ir {
        for (n, _) in fields {
            if r.slot(&n.node).is_none() {
                let suggestion = self.env.suggestions.closest(&n.node, r.fields.len(), || {
                    r.fields.iter().map(|f| &*f.name).collect()
                });
                let ty = Ty::Record(Arc::new(r.clone()));
                self.errors.push(Error::at(
                    n.span,
                    ErrorKind::UnknownField {
                        field: n.node.to_string(),
                        ty: format!("`{ty}`"),
                        suggestion,
                    },
                ));
            }
        }
        let mut irs = Vec::with_capacity(r.fields.len());
        for f in &r.fields {
            match fields.iter().find(|(n, _)| n.node == f.name) {
                Some((_, x)) => irs.push(self.expect(x, &f.ty)),
                None => match (&f.default, &f.ty) {
                    (Some(d), _) => irs.push(Ir::Const(d.clone())),
                    (None, Ty::Opt(_)) => irs.push(Ir::Const(Value::None)),
                    _ => {
                        let ty = Ty::Record(Arc::new(r.clone()));
                        self.errors.push(Error::at(
                            span,
                            ErrorKind::TypeMismatch {
                                expected: format!("`{ty}`"),
                                found: format!("a record without field `{}`", f.name),
                                hint: Some(format!("add `{}: …`", f.name)),
                            },
                        ));
                        irs.push(Ir::Const(Value::None));
                    }
                },
            }
        }
        Ir::Record(irs)
    }

    /// Checks an expression and returns its IR and type.
    pub fn expr(&mut self, e: &Expr) -> (Ir, Ty) {
        if self.depth >= MAX_CHECK_DEPTH {
            if self.depth_reported {
                return (Ir::Const(Value::None), Ty::Error);
            }
            self.depth_reported = true;
            return self.error(Error::at(
                e.span,
                ErrorKind::NestingTooDeep {
                    limit: MAX_CHECK_DEPTH,
                },
            ));
        }
        self.depth += 1;
        let (ir, t) = self.expr_inner(e);
        self.depth -= 1;
        let t = if self.narrowed.is_empty() {
            t
        } else {
            self.narrow(e, t)
        };
        (ir, t)
    }

    fn expr_inner(&mut self, e: &Expr) -> (Ir, Ty) {
        let span = e.span;
        match &e.node {
            ExprKind::Bool(_)
            | ExprKind::Int(_)
            | ExprKind::Decimal(_)
            | ExprKind::Money(..)
            | ExprKind::Percent(_)
            | ExprKind::Date(_)
            | ExprKind::Month(..)
            | ExprKind::Duration(..)
            | ExprKind::Text(_)
            | ExprKind::None => self.literal(e),
            ExprKind::Name(n) => self.name(n),
            ExprKind::Field(base, f) => self.field(base, f),
            ExprKind::Index(base, key) => self.index(base, key, span),
            ExprKind::Call(name, args) => self.call(name, args, span),
            ExprKind::Neg(_)
            | ExprKind::Not(_)
            | ExprKind::And(_)
            | ExprKind::Or(_)
            | ExprKind::Arith(..)
            | ExprKind::Compare(..)
            | ExprKind::In(..)
            | ExprKind::Within(..) => self.operator(e),
            ExprKind::IsNone(_)
            | ExprKind::IsSome(..)
            | ExprKind::Otherwise(..)
            | ExprKind::If(..)
            | ExprKind::Let(..) => self.control(e),
            ExprKind::Where(..)
            | ExprKind::GroupBy(..)
            | ExprKind::List(_)
            | ExprKind::Record(_) => self.collection(e),
            ExprKind::Criteria(..)
            | ExprKind::Score(..)
            | ExprKind::Points { .. }
            | ExprKind::Trailing(..)
            | ExprKind::Between(..) => self.block(e),
        }
    }

    /// A list operand: its IR, element type and list type.
    pub(super) fn list_operand(&mut self, list: &Expr, what: &str) -> (Ir, Ty, Ty) {
        // An enum's name stands for the list of its variants: `all(area in Area: …)`.
        if let ExprKind::Name(n) = &list.node {
            if !self.locals.iter().any(|(l, _)| *l == n.node) {
                if let Ok(Found::Decl(Decl::Enum(id))) = self.env.lookup(self.module, n) {
                    let def = &self.env.enums[id as usize];
                    let values = (0..def.variants.len() as u32).map(Value::Enum).collect();
                    let t = Ty::Enum(id, def.name.clone());
                    return (
                        Ir::Const(Value::List(Arc::new(values))),
                        t.clone(),
                        t.list(),
                    );
                }
            }
        }
        let (ir, t) = self.expr(list);
        match &t {
            Ty::List(e) => {
                let e = (**e).clone();
                (ir, e, t)
            }
            Ty::Error => (ir, Ty::Error, Ty::Error),
            other => {
                let hint_opt = matches!(other, Ty::Opt(x) if matches!(**x, Ty::List(_)));
                let mut err = Error::at(
                    list.span,
                    ErrorKind::NotAList {
                        what: what.into(),
                        found: format!("`{other}`"),
                    },
                );
                if hint_opt {
                    err.kind = ErrorKind::OptionalValue {
                        ty: format!("`{other}`"),
                    };
                }
                self.errors.push(err);
                (ir, Ty::Error, Ty::Error)
            }
        }
    }
}
