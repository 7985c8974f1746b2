//! Operators: `-x`, `not`, `and`, `or`, arithmetic (the units that combine: money, counts,
//! plain numbers, percentages, dates and durations), comparisons, `in` and `within`.

use super::Checker;
use crate::diag::{Error, ErrorKind};
use crate::model::ir::{Arith, Ir, Unit};
use crate::model::Ty;
use crate::source::Span;
use crate::syntax::ast::{ArithOp, CmpOp, Expr, ExprKind};
use crate::types::hints;

impl Checker<'_, '_> {
    /// `-x`, `not`, `and`, `or`, arithmetic, comparisons, `in` and `within`.
    pub(super) fn operator(&mut self, e: &Expr) -> (Ir, Ty) {
        let span = e.span;
        match &e.node {
            ExprKind::Neg(x) => {
                let (ir, t) = self.expr(x);
                match t {
                    Ty::Int
                    | Ty::Decimal
                    | Ty::Money
                    | Ty::Percent
                    | Ty::Days
                    | Ty::Months
                    | Ty::Error => (Ir::Neg(Box::new(ir), span), t),
                    t => self.error(Error::at(
                        x.span,
                        ErrorKind::BadOperands {
                            op: "-".into(),
                            left: "nothing".into(),
                            right: format!("`{t}`"),
                            hint: None,
                        },
                    )),
                }
            }
            ExprKind::Not(x) => (Ir::Not(Box::new(self.expect(x, &Ty::Bool))), Ty::Bool),
            // Each operand is checked knowing that the ones before it were true (`and`) or
            // false (`or`): `x is some and x > 3`.
            ExprKind::And(xs) | ExprKind::Or(xs) => {
                let and = matches!(e.node, ExprKind::And(_));
                let mark = self.narrowed.len();
                let mut irs = Vec::with_capacity(xs.len());
                for x in xs {
                    irs.push(self.expect(x, &Ty::Bool));
                    self.assume(x, and);
                }
                self.forget(mark);
                let ir = if and { Ir::And(irs) } else { Ir::Or(irs) };
                (ir, Ty::Bool)
            }
            ExprKind::Arith(op, a, b) => self.arith(*op, a, b, span),
            ExprKind::Compare(op, a, b) => self.compare(*op, a, b),
            ExprKind::In(x, list) => {
                // A list literal takes its element type from the value looked for, so bare enum
                // variants work in it: `region in [north, east]`.
                if let ExprKind::List(_) = &list.node {
                    let (xir, xt) = self.expr(x);
                    if let Ty::Enum(..) = xt.strip_opt() {
                        let lir = self.expect(list, &xt.strip_opt().clone().list());
                        return (Ir::In(Box::new(xir), Box::new(lir)), Ty::Bool);
                    }
                    let (lir, elem, _) = self.list_operand(list, "`in`");
                    let xir = match xt.join(&elem) {
                        Some(j) if xt.fits(&j) => {
                            if matches!(xt, Ty::Int) && matches!(j, Ty::Decimal) {
                                Ir::IntToDec(Box::new(xir))
                            } else {
                                xir
                            }
                        }
                        _ => {
                            self.errors.push(self.mismatch(x.span, &elem, &xt));
                            xir
                        }
                    };
                    return (Ir::In(Box::new(xir), Box::new(lir)), Ty::Bool);
                }
                let (lir, elem, _) = self.list_operand(list, "`in`");
                let xir = self.expect(x, &elem);
                (Ir::In(Box::new(xir), Box::new(lir)), Ty::Bool)
            }
            ExprKind::Within(d, w) => {
                let dir = self.expect(d, &Ty::Date);
                let wir = self.expect(w, &Ty::Window);
                (Ir::Within(Box::new(dir), Box::new(wir)), Ty::Bool)
            }
            _ => self.error(Error::at(
                e.span,
                ErrorKind::internal("an operator of another kind"),
            )),
        }
    }

    /// A name that is neither a local nor a declaration: maybe a bare enum variant.
    fn is_unknown_name(&self, e: &Expr) -> bool {
        match &e.node {
            ExprKind::Name(n) => {
                &*n.node != "as_of"
                    && !self.locals.iter().any(|(l, _)| *l == n.node)
                    && self.env.lookup(self.module, n).is_err()
            }
            _ => false,
        }
    }

    /// One side of a comparison, checked against the enum of the other side if it has one (an
    /// optional one for `==` and `!=`), so that it may name a bare variant.
    fn against(&mut self, e: &Expr, other: &Ty, ordering: bool) -> (Ir, Ty) {
        if let Ty::Enum(..) = other.strip_opt() {
            let want = if ordering {
                other.strip_opt().clone()
            } else {
                other.clone()
            };
            (self.expect(e, &want), want)
        } else {
            self.expr(e)
        }
    }

    pub(super) fn arith(&mut self, op: ArithOp, a: &Expr, b: &Expr, span: Span) -> (Ir, Ty) {
        let (air, at) = self.expr(a);
        let (bir, bt) = self.expr(b);
        use ArithOp::*;
        use Ty::*;
        let num = |t: &Ty| matches!(t, Int | Decimal);
        let (kind, t) = match (op, &at, &bt) {
            (_, Error, _) | (_, _, Error) => (Arith::Dec(op), Error),
            (Div, Int, Int) => (Arith::IntDiv, Decimal),
            (_, Int, Int) => (Arith::Int(op), Int),
            (_, x, y) if num(x) && num(y) => (Arith::Dec(op), Decimal),
            (Add | Sub, Money, Money) => (Arith::Dec(op), Money),
            (Mul, Money, x) | (Mul, x, Money) if num(x) => (Arith::Dec(op), Money),
            (Div, Money, x) if num(x) => (Arith::Dec(op), Money),
            (Div, Money, Money) => (Arith::Dec(op), Decimal),
            (Add | Sub, Percent, Percent) => (Arith::Dec(op), Percent),
            (Mul, Percent, x) | (Mul, x, Percent) if num(x) => (Arith::Dec(op), Percent),
            (Mul, Money, Percent) | (Mul, Percent, Money) => (Arith::PercentOf, Money),
            (Div, Percent, x) if num(x) => (Arith::Dec(op), Percent),
            (Div, Percent, Percent) => (Arith::Dec(op), Decimal),
            (Add, Text, Text) => (Arith::Concat, Text),
            (Add, Date, Days) => (Arith::DateDays(true), Date),
            (Sub, Date, Days) => (Arith::DateDays(false), Date),
            (Add, Date, Months) => (Arith::DateMonths(true), Date),
            (Sub, Date, Months) => (Arith::DateMonths(false), Date),
            (Sub, Date, Date) => (Arith::DateDiff, Days),
            (Add, Month, Months) => (Arith::MonthMonths(true), Month),
            (Sub, Month, Months) => (Arith::MonthMonths(false), Month),
            (Sub, Month, Month) => (Arith::MonthDiff, Months),
            (Add, Days, Days) | (Add, Months, Months) => (Arith::Duration(true), at.clone()),
            (Sub, Days, Days) | (Sub, Months, Months) => (Arith::Duration(false), at.clone()),
            (Mul, Int, Days | Months) => (Arith::ScaleDuration, bt.clone()),
            (Mul, Days | Months, Int) => (Arith::ScaleDuration, at.clone()),
            _ => {
                let sym = match op {
                    Add => "+",
                    Sub => "-",
                    Mul => "*",
                    Div => "/",
                };
                // `Error` here is `Ty::Error` (`use Ty::*` above).
                return self.error(crate::diag::Error::at(
                    span,
                    ErrorKind::BadOperands {
                        op: sym.into(),
                        left: format!("`{at}`"),
                        right: format!("`{bt}`"),
                        hint: hints::operands(op, &at, &bt, &self.env.currency),
                    },
                ));
            }
        };
        (Ir::Arith(kind, Box::new(air), Box::new(bir), span), t)
    }

    pub(super) fn compare(&mut self, op: CmpOp, a: &Expr, b: &Expr) -> (Ir, Ty) {
        let ordering = !matches!(op, CmpOp::Eq | CmpOp::Ne);
        // A bare variant may stand on either side: the other side says which enum it is of
        // (`tier == select`, `select <= tier`), and a misspelt one is then told its variants.
        let ((air, at), (bir, bt)) = if self.is_unknown_name(a) {
            let (bir, bt) = self.expr(b);
            (self.against(a, &bt, ordering), (bir, bt))
        } else {
            let (air, at) = self.expr(a);
            let b = self.against(b, &at, ordering);
            ((air, at), b)
        };
        let span = a.span.to(b.span);
        if at.has_error() || bt.has_error() {
            return (
                Ir::Cmp(op, Box::new(air), Box::new(bir), Unit::Other),
                Ty::Bool,
            );
        }
        if ordering && (matches!(at, Ty::Opt(_)) || matches!(bt, Ty::Opt(_))) {
            let (side, t) = if matches!(at, Ty::Opt(_)) {
                (a.span, &at)
            } else {
                (b.span, &bt)
            };
            let t = t.clone();
            return self.error(Error::at(
                side,
                ErrorKind::OptionalValue {
                    ty: format!("`{t}`"),
                },
            ));
        }
        let ok = match at.join(&bt) {
            Some(j) => {
                if ordering {
                    j.is_ordered()
                } else {
                    j.is_equatable()
                }
            }
            None => false,
        };
        if !ok {
            return self.error(Error::at(
                span,
                ErrorKind::CannotCompare {
                    left: format!("`{at}`"),
                    right: format!("`{bt}`"),
                    hint: hints::compare(&at, &bt, &self.env.currency),
                },
            ));
        }
        let unit = Unit::of(&at.join(&bt).unwrap_or(Ty::Error));
        if matches!(op, CmpOp::Ge | CmpOp::Gt) && matches!(bir, Ir::Const(_) | Ir::IntToDec(_)) {
            self.thresholds.push(super::Threshold {
                op,
                value: crate::types::lints::inline_lets(&air, &self.lets),
                threshold: bir.clone(),
                span,
            });
        }
        (Ir::Cmp(op, Box::new(air), Box::new(bir), unit), Ty::Bool)
    }
}
