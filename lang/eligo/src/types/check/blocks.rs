//! Literals, collections and the blocks of eligibility rules: list and record literals, `where`
//! and `group by`, labelled criteria, scores and points, date windows.

use super::Checker;
use crate::diag::{Error, ErrorKind};
use crate::model::ir::{Combine, CritId, Ir};
use crate::model::ty::{field, score_type, RecordTy, Ty};
use crate::model::{CriterionDef, Value};
use crate::source::Span;
use crate::syntax::ast::{CriteriaKind, DurationUnit, Expr, ExprKind, Rate};
use crate::types::hints;
use std::sync::Arc;

impl Checker<'_, '_> {
    /// Literals: booleans, numbers, money, percentages, dates, months, durations, text, `none`.
    pub(super) fn literal(&mut self, e: &Expr) -> (Ir, Ty) {
        let span = e.span;
        match &e.node {
            ExprKind::Bool(b) => (Ir::Const(Value::Bool(*b)), Ty::Bool),
            ExprKind::Int(i) => (Ir::Const(Value::Int(*i)), Ty::Int),
            ExprKind::Decimal(d) => (Ir::Const(Value::Dec(*d)), Ty::Decimal),
            ExprKind::Money(d, code) => match self.env.same_currency(code, span) {
                Ok(()) => (Ir::Const(Value::Dec(*d)), Ty::Money),
                Err(e) => self.error(e),
            },
            ExprKind::Percent(d) => (Ir::Const(Value::Dec(*d)), Ty::Percent),
            ExprKind::Date(d) => (Ir::Const(Value::Date(*d)), Ty::Date),
            ExprKind::Month(y, m) => (Ir::Const(Value::month(*y, *m)), Ty::Month),
            ExprKind::Duration(n, unit) => match unit {
                DurationUnit::Days => (Ir::Const(Value::Days(*n)), Ty::Days),
                DurationUnit::Months => (Ir::Const(Value::Months(*n)), Ty::Months),
                DurationUnit::Years => match n.checked_mul(12) {
                    Some(m) => (Ir::Const(Value::Months(m)), Ty::Months),
                    None => self.error(Error::at(
                        span,
                        ErrorKind::NumberOutOfRange {
                            text: format!("{n} years"),
                        },
                    )),
                },
            },
            ExprKind::Text(s) => (Ir::Const(Value::Text(s.as_str().into())), Ty::Text),
            ExprKind::None => (Ir::Const(Value::None), Ty::Unknown.optional()),
            _ => self.error(Error::at(
                e.span,
                ErrorKind::internal("a literal of another kind"),
            )),
        }
    }

    /// List and record literals, `where` and `group by`.
    pub(super) fn collection(&mut self, e: &Expr) -> (Ir, Ty) {
        match &e.node {
            ExprKind::Where(list, cond) => {
                let (lir, elem, lt) = self.list_operand(list, "`where`");
                let slot = self.push_local("it".into(), elem.clone());
                let cir = self.expect(cond, &Ty::Bool);
                self.pop_local();
                // The elements kept have the fields of `it` the condition proves present.
                let lt = match self.narrow_element(cond, elem.clone()) {
                    t if matches!(lt, Ty::List(_)) && t != elem => t.list(),
                    _ => lt,
                };
                (Ir::Filter(Box::new(lir), slot, Box::new(cir)), lt)
            }
            ExprKind::GroupBy(list, key) => {
                let (lir, elem, lt) = self.list_operand(list, "`group by`");
                let slot = self.push_local("it".into(), elem);
                let (kir, kt) = self.expr(key);
                self.pop_local();
                if !kt.is_equatable() {
                    self.errors.push(Error::at(
                        key.span,
                        ErrorKind::TypeMismatch {
                            expected: "a value that can be compared with `==`".into(),
                            found: format!("`{kt}`"),
                            hint: None,
                        },
                    ));
                }
                // Groups of an erroneous list stay erroneous: one mistake, one error.
                let t = match lt {
                    Ty::Error => Ty::Error,
                    lt => {
                        let group = Ty::Record(Arc::new(RecordTy {
                            name: None,
                            fields: vec![field("key", kt), field("items", lt)],
                        }));
                        self.within_limit(e.span, group.list())
                    }
                };
                (Ir::Group(Box::new(lir), slot, Box::new(kir)), t)
            }
            ExprKind::List(items) => {
                let mut t = Ty::Unknown;
                let mut irs = Vec::new();
                for i in items {
                    let (ir, it) = self.expr(i);
                    match t.join(&it) {
                        Some(j) => t = j,
                        None => self.errors.push(self.mismatch(i.span, &t, &it)),
                    }
                    irs.push(ir);
                }
                (Ir::List(irs), t.list())
            }
            ExprKind::Record(fields) => {
                let mut seen = std::collections::HashSet::new();
                let mut tys = Vec::new();
                let mut irs = Vec::new();
                for (n, x) in fields {
                    if !seen.insert(n.node.clone()) {
                        self.errors.push(Error::at(
                            n.span,
                            ErrorKind::DuplicateField {
                                field: n.node.to_string(),
                            },
                        ));
                        continue;
                    }
                    let (ir, t) = self.expr(x);
                    tys.push(field(&n.node, t));
                    irs.push(ir);
                }
                let t = Ty::Record(Arc::new(RecordTy {
                    name: None,
                    fields: tys,
                }));
                (Ir::Record(irs), self.within_limit(e.span, t))
            }
            _ => self.error(Error::at(
                e.span,
                ErrorKind::internal("a collection of another kind"),
            )),
        }
    }

    /// Criteria blocks, scores, points and date windows.
    pub(super) fn block(&mut self, e: &Expr) -> (Ir, Ty) {
        let span = e.span;
        match &e.node {
            ExprKind::Criteria(kind, items) => {
                let n = items.len();
                let block = match kind {
                    CriteriaKind::Any => "any".to_string(),
                    CriteriaKind::All => "all".to_string(),
                    CriteriaKind::AtLeast(k) => format!("at least {k} of"),
                };
                let irs = items
                    .iter()
                    .map(|c| {
                        let ir = self.expect(&c.expr, &Ty::Bool);
                        (self.criterion(&c.label.node, c.expr.span, &block), ir)
                    })
                    .collect();
                let combine = match kind {
                    CriteriaKind::Any => Combine::Any,
                    CriteriaKind::All => Combine::All,
                    CriteriaKind::AtLeast(k) => {
                        if *k as usize > n {
                            self.errors.push(Error::at(
                                span,
                                ErrorKind::AtLeastTooMany { n: *k, count: n },
                            ));
                        }
                        Combine::AtLeast(*k)
                    }
                };
                (Ir::Criteria(combine, irs), Ty::Bool)
            }
            ExprKind::Score(max, items) => {
                let irs = items
                    .iter()
                    .map(|c| {
                        let ir = self.expect(&c.expr, &Ty::Decimal);
                        (self.criterion(&c.label.node, c.expr.span, "score"), ir)
                    })
                    .collect();
                (Ir::Score(*max, irs), score_type())
            }
            ExprKind::Points {
                quantity,
                rate,
                max,
                whole,
            } => self.points(quantity, rate, max, *whole, span),
            ExprKind::Trailing(d, end) => {
                let (dir, dt) = self.expr(d);
                if !matches!(dt, Ty::Days | Ty::Months | Ty::Error) {
                    self.errors.push(Error::at(
                        d.span,
                        ErrorKind::TypeMismatch {
                            expected: "a duration (`Days` or `Months`)".into(),
                            found: format!("`{dt}`"),
                            hint: Some("write it like `12 months` or `60 days`".into()),
                        },
                    ));
                }
                let eir = end.as_ref().map(|x| Box::new(self.expect(x, &Ty::Date)));
                (Ir::Trailing(Box::new(dir), eir, span), Ty::Window)
            }
            ExprKind::Between(a, b) => {
                let air = self.expect(a, &Ty::Date);
                let bir = self.expect(b, &Ty::Date);
                (Ir::Between(Box::new(air), Box::new(bir)), Ty::Window)
            }
            _ => self.error(Error::at(
                e.span,
                ErrorKind::internal("a block of another kind"),
            )),
        }
    }

    pub(super) fn criterion(&mut self, label: &str, span: Span, block: &str) -> CritId {
        let id = self.criteria.len() as CritId;
        self.criteria.push(CriterionDef {
            label: label.to_string(),
            span,
            block: block.to_string(),
        });
        id
    }

    pub(super) fn points(
        &mut self,
        quantity: &Expr,
        rate: &Rate,
        max: &Expr,
        whole: bool,
        span: Span,
    ) -> (Ir, Ty) {
        let (qir, qt) = self.expr(quantity);
        let (rir, per) = match rate {
            Rate::Each(r) => {
                if !matches!(qt, Ty::Int | Ty::Decimal | Ty::Error) {
                    self.errors.push(Error::at(quantity.span, ErrorKind::TypeMismatch {
                        expected: "a count (`Int`) for `each`".into(),
                        found: format!("`{qt}`"),
                        hint: Some(format!("for a quantity of `{qt}`, write the step: `points(x, 1 per …, max …)`")),
                    }));
                }
                (self.expect(r, &Ty::Decimal), None)
            }
            Rate::Per(r, unit) => {
                let rir = self.expect(r, &Ty::Decimal);
                let (uir, ut) = self.expr(unit);
                let same =
                    qt.join(&ut).is_some_and(|j| j.is_summable()) && !matches!(qt, Ty::Opt(_));
                if !same && !qt.is_error() && !ut.is_error() {
                    self.errors.push(Error::at(
                        unit.span,
                        ErrorKind::TypeMismatch {
                            expected: format!("a step of `{qt}` (the quantity's type)"),
                            found: format!("`{ut}`"),
                            hint: hints::step(&qt, &self.env.currency),
                        },
                    ));
                }
                (rir, Some(Box::new(uir)))
            }
        };
        let mir = self.expect(max, &Ty::Decimal);
        (
            Ir::Points {
                quantity: Box::new(qir),
                rate: Box::new(rir),
                per,
                max: Box::new(mir),
                whole,
                span,
            },
            Ty::Decimal,
        )
    }
}
