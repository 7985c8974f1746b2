//! Calls: rules with parameters and the built-in functions. Aggregates take a list, or an
//! `x in list: body` argument evaluated for each element.

use super::check::Checker;
use crate::diag::{Error, ErrorKind};
use crate::model::ir::{Agg, Builtin, Ir};
use crate::model::names::BUILTIN_NAMES;
use crate::model::{Ty, Value};
use crate::resolve::{Decl, Found};
use crate::source::Span;
use crate::syntax::ast::{Arg, Expr, Ident};

impl Checker<'_, '_> {
    /// Checks `name(args…)`.
    pub(super) fn call(&mut self, name: &Ident, args: &[Arg], span: Span) -> (Ir, Ty) {
        // `alias.rule(args)`: a rule of a module used with `as`.
        if let Some((alias, rule)) = name.node.split_once('.') {
            let alias_id =
                crate::syntax::ast::Spanned::new(std::sync::Arc::<str>::from(alias), name.span);
            let rule_id =
                crate::syntax::ast::Spanned::new(std::sync::Arc::<str>::from(rule), name.span);
            return match self.env.lookup(self.module, &alias_id) {
                Ok(Found::Module(m)) => match self.env.lookup_in(m, &rule_id) {
                    Ok(Decl::Rule(r)) => self.rule_call(r, name, args, span),
                    Ok(_) => self.error(Error::at(
                        name.span,
                        ErrorKind::NotCallable {
                            name: name.node.to_string(),
                        },
                    )),
                    Err(e) => self.error(e),
                },
                Ok(_) => self.error(Error::at(
                    name.span,
                    ErrorKind::NotCallable {
                        name: name.node.to_string(),
                    },
                )),
                Err(e) if matches!(e.kind, ErrorKind::AmbiguousName { .. }) => self.error(e),
                Err(_) => {
                    let err = self.env.unknown_name(self.module, &alias_id, &[]);
                    self.error(err)
                }
            };
        }
        let shadowed = self.locals.iter().any(|(l, _)| *l == name.node);
        if !shadowed {
            match self.env.lookup(self.module, name) {
                Ok(Found::Decl(Decl::Rule(r))) => return self.rule_call(r, name, args, span),
                Ok(_) => {
                    return self.error(Error::at(
                        name.span,
                        ErrorKind::NotCallable {
                            name: name.node.to_string(),
                        },
                    ))
                }
                Err(e) if matches!(e.kind, ErrorKind::AmbiguousName { .. }) => {
                    return self.error(e)
                }
                Err(_) => {}
            }
        }
        if shadowed {
            return self.error(Error::at(
                name.span,
                ErrorKind::NotCallable {
                    name: name.node.to_string(),
                },
            ));
        }
        if !BUILTIN_NAMES.contains(&&*name.node) || &*name.node == "as_of" {
            let locals: Vec<&str> = self.locals.iter().map(|(l, _)| &**l).collect();
            let err = self.env.unknown_name(self.module, name, &locals);
            return self.error(err);
        }
        match &*name.node {
            "count" | "sum" | "min" | "max" | "mean" | "distinct" | "sort" | "first" | "last"
            | "map" | "any" | "all" => self.aggregate(name, args, span),
            "text" => self.enum_text(name, args, span),
            _ => self.builtin(name, args, span),
        }
    }

    /// `text(variant)`: an enum variant's name, e.g. to match ids that facts carry as text.
    fn enum_text(&mut self, name: &Ident, args: &[Arg], span: Span) -> (Ir, Ty) {
        let [Arg::Expr(e)] = args else {
            return self.error(Error::at(
                span,
                ErrorKind::ArgumentCount {
                    name: name.node.to_string(),
                    expected: "1".into(),
                    found: args.len(),
                },
            ));
        };
        let (ir, t) = self.expr(e);
        let Ty::Enum(id, _) = t.strip_opt() else {
            if t.is_error() {
                return (ir, Ty::Error);
            }
            return self.error(Error::at(
                e.span,
                ErrorKind::TypeMismatch {
                    expected: "an enum value".into(),
                    found: format!("`{t}`"),
                    hint: None,
                },
            ));
        };
        let names = self.env.enums[*id as usize]
            .variants
            .iter()
            .map(|v| Value::Text(v.clone()))
            .collect();
        let table = Ir::Const(Value::List(std::sync::Arc::new(names)));
        let out = if matches!(t, Ty::Opt(_)) {
            Ty::Text.optional()
        } else {
            Ty::Text
        };
        (Ir::Builtin(Builtin::EnumText, vec![ir, table], span), out)
    }

    fn rule_call(&mut self, r: u32, name: &Ident, args: &[Arg], span: Span) -> (Ir, Ty) {
        let sig = &self.rules[r as usize];
        let params: Vec<Ty> = sig.params.iter().map(|(_, t)| t.clone()).collect();
        let ty = sig.ty.clone();
        if params.is_empty() {
            return self.error(Error::at(
                name.span,
                ErrorKind::NotCallable {
                    name: name.node.to_string(),
                },
            ));
        }
        if params.len() != args.len() {
            return self.error(Error::at(
                span,
                ErrorKind::ArgumentCount {
                    name: name.node.to_string(),
                    expected: params.len().to_string(),
                    found: args.len(),
                },
            ));
        }
        let mut irs = Vec::new();
        for (a, t) in args.iter().zip(&params) {
            irs.push(match a {
                Arg::Expr(e) => self.expect(e, t),
                Arg::Each { binder, .. } => {
                    self.errors.push(Error::at(
                        binder.span,
                        ErrorKind::NoComprehension {
                            name: name.node.to_string(),
                        },
                    ));
                    Ir::Const(Value::None)
                }
            });
        }
        self.references.push((r, name.span));
        (Ir::Call(r, irs), ty)
    }

    /// The elements an aggregate works on: a list, or the body for each element.
    fn elements(&mut self, arg: &Arg, what: &str) -> (Ir, Ty) {
        match arg {
            Arg::Expr(e) => {
                let (ir, elem, _) = self.list_operand(e, what);
                (ir, elem)
            }
            Arg::Each { binder, list, body } => {
                let (lir, elem, _) = self.list_operand(list, what);
                let slot = self.push_local(binder.node.clone(), elem);
                let (bir, bt) = self.expr(body);
                self.pop_local();
                (Ir::Map(Box::new(lir), slot, Box::new(bir)), bt)
            }
        }
    }

    fn aggregate(&mut self, name: &Ident, args: &[Arg], span: Span) -> (Ir, Ty) {
        let n = &*name.node;
        let what = format!("`{n}`");
        // `min(a, b, …)` and `max(a, b, …)` of plain values.
        if (n == "min" || n == "max") && args.len() >= 2 {
            let mut t = Ty::Unknown;
            let mut irs = Vec::new();
            for a in args {
                let Arg::Expr(e) = a else {
                    return self.error(Error::at(
                        span,
                        ErrorKind::NoComprehension { name: n.into() },
                    ));
                };
                let (ir, et) = self.expr(e);
                match t.join(&et) {
                    Some(j) if j.strip_opt().is_ordered() && !matches!(j, Ty::Opt(_)) => t = j,
                    _ => self.errors.push(self.mismatch(e.span, &t, &et)),
                }
                irs.push(ir);
            }
            return (Ir::Extreme(n == "min", irs), t);
        }
        if args.len() != 1 {
            let expected = if n == "min" || n == "max" {
                "1 (a list) or 2 or more"
            } else {
                "1"
            };
            return self.error(Error::at(
                span,
                ErrorKind::ArgumentCount {
                    name: n.into(),
                    expected: expected.into(),
                    found: args.len(),
                },
            ));
        }
        let counting_condition = n == "count" && matches!(args[0], Arg::Each { .. });
        let (ir, elem) = self.elements(&args[0], &what);
        let arg_span = match &args[0] {
            Arg::Expr(e) => e.span,
            Arg::Each { body, .. } => body.span,
        };
        let bad = |c: &mut Self, expected: &str, elem: &Ty| {
            c.error(Error::at(
                arg_span,
                ErrorKind::TypeMismatch {
                    expected: expected.into(),
                    found: format!("`{elem}`"),
                    hint: None,
                },
            ))
        };
        let (agg, t) = match n {
            "count" if counting_condition => {
                if !elem.fits(&Ty::Bool) {
                    return bad(
                        self,
                        "a condition (`Bool`) in `count(x in list: condition)`",
                        &elem,
                    );
                }
                (Agg::CountTrue, Ty::Int)
            }
            "count" => (Agg::Count, Ty::Int),
            "sum" => match &elem {
                Ty::Int => (Agg::SumInt, Ty::Int),
                Ty::Decimal | Ty::Money | Ty::Percent | Ty::Error => (Agg::SumDec, elem.clone()),
                Ty::Days => (Agg::SumDuration(true), Ty::Days),
                Ty::Months => (Agg::SumDuration(false), Ty::Months),
                Ty::Unknown => (Agg::SumInt, Ty::Int),
                _ => {
                    return bad(
                        self,
                        "a list of numbers, money, percentages or durations",
                        &elem,
                    )
                }
            },
            "min" | "max" => {
                if !elem.is_ordered() {
                    return bad(self, "a list of values that can be ordered", &elem);
                }
                (
                    if n == "min" { Agg::Min } else { Agg::Max },
                    elem.clone().optional(),
                )
            }
            "mean" => match &elem {
                Ty::Int | Ty::Decimal => (Agg::Mean, Ty::Decimal.optional()),
                Ty::Money | Ty::Percent | Ty::Error => (Agg::Mean, elem.clone().optional()),
                _ => return bad(self, "a list of numbers, money or percentages", &elem),
            },
            "distinct" => {
                if !elem.is_equatable() {
                    return bad(
                        self,
                        "a list of values that can be compared with `==`",
                        &elem,
                    );
                }
                return (Ir::Agg(Agg::Distinct, Box::new(ir)), elem.list());
            }
            "map" => {
                if !matches!(args[0], Arg::Each { .. }) {
                    return self.error(Error::at(
                        span,
                        ErrorKind::TypeMismatch {
                            expected: "an `x in list: body` argument".into(),
                            found: "a list".into(),
                            hint: Some("write `map(x in list: expression)`".into()),
                        },
                    ));
                }
                return (ir, elem.list());
            }
            "first" => (Agg::First, elem.clone().optional()),
            "last" => (Agg::Last, elem.clone().optional()),
            "sort" => {
                if !elem.is_ordered() && !matches!(elem, Ty::Enum(..) | Ty::Bool) {
                    return bad(self, "a list of values that can be ordered", &elem);
                }
                return (Ir::Agg(Agg::Sort, Box::new(ir)), elem.list());
            }
            "any" | "all" => {
                if !elem.fits(&Ty::Bool) {
                    return bad(
                        self,
                        "a list of conditions (`[Bool]`), or `x in list: condition`",
                        &elem,
                    );
                }
                (if n == "any" { Agg::Any } else { Agg::All }, Ty::Bool)
            }
            // INVARIANT: `call` sends only the names matched above here.
            _ => {
                return self.error(Error::at(
                    span,
                    ErrorKind::internal("an aggregate of an unknown name"),
                ))
            }
        };
        (Ir::Agg(agg, Box::new(ir)), t)
    }

    fn builtin(&mut self, name: &Ident, args: &[Arg], span: Span) -> (Ir, Ty) {
        let n = &*name.node;
        let sig: (&[Ty], Builtin) = match n {
            "round" => (&[Ty::Error, Ty::Int], Builtin::Round),
            "floor" => (&[Ty::Error], Builtin::Floor),
            "ceil" => (&[Ty::Error], Builtin::Ceil),
            "abs" => (&[Ty::Error], Builtin::Abs),
            "days" => (&[Ty::Int], Builtin::Days),
            "months" => (&[Ty::Int], Builtin::Months),
            "years" => (&[Ty::Int], Builtin::Years),
            "month" => (&[Ty::Date], Builtin::MonthOf),
            "year" => (&[Ty::Date], Builtin::YearOf),
            "first_day" => (&[Ty::Month], Builtin::FirstDay),
            "last_day" => (&[Ty::Month], Builtin::LastDay),
            "months_in" => (&[Ty::Window], Builtin::MonthsIn),
            "start" => (&[Ty::Window], Builtin::WindowStart),
            "end" => (&[Ty::Window], Builtin::WindowEnd),
            "anniversary" => (&[Ty::Date, Ty::Date, Ty::Int], Builtin::Anniversary),
            "length" => (&[Ty::Text], Builtin::Length),
            "months_between" => (&[Ty::Date, Ty::Date], Builtin::MonthsBetween),
            _ => {
                return self.error(Error::at(
                    name.span,
                    ErrorKind::internal("a built-in name without a signature"),
                ))
            }
        };
        let (params, b) = sig;
        if params.len() != args.len() {
            return self.error(Error::at(
                span,
                ErrorKind::ArgumentCount {
                    name: n.into(),
                    expected: params.len().to_string(),
                    found: args.len(),
                },
            ));
        }
        let mut irs = Vec::new();
        let mut first = Ty::Error;
        for (i, (a, p)) in args.iter().zip(params).enumerate() {
            let e: &Expr = match a {
                Arg::Expr(e) => e,
                Arg::Each { binder, .. } => {
                    return self.error(Error::at(
                        binder.span,
                        ErrorKind::NoComprehension { name: n.into() },
                    ));
                }
            };
            if p.is_error() {
                // A numeric argument whose type is the result type.
                let (ir, t) = self.expr(e);
                if !matches!(
                    t,
                    Ty::Int | Ty::Decimal | Ty::Money | Ty::Percent | Ty::Error
                ) {
                    self.errors.push(Error::at(
                        e.span,
                        ErrorKind::TypeMismatch {
                            expected: "a number, money or a percentage".into(),
                            found: format!("`{t}`"),
                            hint: None,
                        },
                    ));
                }
                if i == 0 {
                    first = t;
                }
                irs.push(ir);
            } else {
                irs.push(self.expect(e, p));
            }
        }
        let t = match b {
            Builtin::Round | Builtin::Floor | Builtin::Ceil | Builtin::Abs => first,
            Builtin::Days => Ty::Days,
            Builtin::Months | Builtin::Years => Ty::Months,
            Builtin::MonthOf => Ty::Month,
            Builtin::YearOf | Builtin::Length => Ty::Int,
            Builtin::EnumText => Ty::Text,
            Builtin::FirstDay
            | Builtin::LastDay
            | Builtin::WindowStart
            | Builtin::WindowEnd
            | Builtin::Anniversary => Ty::Date,
            Builtin::MonthsIn => Ty::Month.list(),
            Builtin::MonthsBetween => Ty::Months,
        };
        (Ir::Builtin(b, irs, span), t)
    }
}
