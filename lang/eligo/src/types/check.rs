//! The expression checker: proves an expression well typed and lowers it to [`Ir`] with every
//! name resolved to a slot or an index. It keeps going after an error (the erroneous part gets
//! the type [`Ty::Error`], accepted everywhere) so one run reports every mistake.

use super::hints;
use super::{RuleSig, TableSig};
use crate::diag::{Error, ErrorKind};
use crate::model::ir::{Arith, Combine, CritId, Ir, Unit};
use crate::model::names::closest;
use crate::model::ty::{field, score_type, RecordTy, Ty};
use crate::model::{CriterionDef, Value};
use crate::resolve::{Decl, Env, Found};
use crate::source::Span;
use crate::syntax::ast::{ArithOp, CmpOp, CriteriaKind, DurationUnit, Expr, ExprKind, Ident, Rate};
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
}

impl Checker<'_, '_> {
    pub(super) fn error(&mut self, e: Error) -> (Ir, Ty) {
        self.errors.push(e);
        (Ir::Const(Value::None), Ty::Error)
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
                if let Some(i) = variants.iter().position(|v| *v == n.node) {
                    if self.env.lookup(self.module, n).is_err() {
                        return Ir::Const(Value::Enum(i as u32));
                    }
                }
            }
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
            self.errors.push(mismatch(e.span, want, &found));
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
                let suggestion = closest(&n.node, r.fields.iter().map(|f| &*f.name));
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
        let out = self.expr_inner(e);
        self.depth -= 1;
        out
    }

    fn expr_inner(&mut self, e: &Expr) -> (Ir, Ty) {
        let span = e.span;
        match &e.node {
            ExprKind::Bool(b) => (Ir::Const(Value::Bool(*b)), Ty::Bool),
            ExprKind::Int(i) => (Ir::Const(Value::Int(*i)), Ty::Int),
            ExprKind::Decimal(d) => (Ir::Const(Value::Dec(*d)), Ty::Decimal),
            ExprKind::Money(d) => (Ir::Const(Value::Dec(*d)), Ty::Money),
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
            ExprKind::Name(n) => self.name(n),
            ExprKind::Field(base, f) => self.field(base, f),
            ExprKind::Index(base, key) => self.index(base, key, span),
            ExprKind::Call(name, args) => self.call(name, args, span),
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
            ExprKind::And(xs) => (
                Ir::And(xs.iter().map(|x| self.expect(x, &Ty::Bool)).collect()),
                Ty::Bool,
            ),
            ExprKind::Or(xs) => (
                Ir::Or(xs.iter().map(|x| self.expect(x, &Ty::Bool)).collect()),
                Ty::Bool,
            ),
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
                            self.errors.push(mismatch(x.span, &elem, &xt));
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
                        self.errors.push(mismatch(d.span, &inner, &dt));
                        Ty::Error
                    }
                };
                (Ir::Otherwise(Box::new(xir), Box::new(dir)), t)
            }
            ExprKind::If(c, a, b) => self.if_expr(c, a, b),
            ExprKind::Let(n, v, body) => {
                let (vir, vt) = self.expr(v);
                let slot = self.push_local(n.node.clone(), vt);
                let (bir, bt) = self.expr(body);
                self.pop_local();
                (Ir::Let(slot, Box::new(vir), Box::new(bir)), bt)
            }
            ExprKind::Where(list, cond) => {
                let (lir, elem, lt) = self.list_operand(list, "`where`");
                let slot = self.push_local("it".into(), elem);
                let cir = self.expect(cond, &Ty::Bool);
                self.pop_local();
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
                let group = Ty::Record(Arc::new(RecordTy {
                    name: None,
                    fields: vec![field("key", kt), field("items", lt)],
                }));
                (Ir::Group(Box::new(lir), slot, Box::new(kir)), group.list())
            }
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
            ExprKind::List(items) => {
                let mut t = Ty::Unknown;
                let mut irs = Vec::new();
                for i in items {
                    let (ir, it) = self.expr(i);
                    match t.join(&it) {
                        Some(j) => t = j,
                        None => self.errors.push(mismatch(i.span, &t, &it)),
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
                (
                    Ir::Record(irs),
                    Ty::Record(Arc::new(RecordTy {
                        name: None,
                        fields: tys,
                    })),
                )
            }
        }
    }

    fn optional_operand(&mut self, x: &Expr) -> Ir {
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

    fn criterion(&mut self, label: &str, span: Span, block: &str) -> CritId {
        let id = self.criteria.len() as CritId;
        self.criteria.push(CriterionDef {
            label: label.to_string(),
            span,
            block: block.to_string(),
        });
        id
    }

    fn name(&mut self, n: &Ident) -> (Ir, Ty) {
        if let Some(slot) = self.locals.iter().rposition(|(l, _)| *l == n.node) {
            return (Ir::Local(slot as u32), self.locals[slot].1.clone());
        }
        if &*n.node == "as_of" {
            return (Ir::AsOf, Ty::Date);
        }
        match self.env.lookup(self.module, n) {
            Ok(found) => self.found(found, n),
            Err(e) if matches!(e.kind, ErrorKind::AmbiguousName { .. }) => self.error(e),
            Err(_) => {
                let locals: Vec<&str> = self.locals.iter().map(|(l, _)| &**l).collect();
                let err = self.env.unknown_name(self.module, n, &locals);
                self.error(err)
            }
        }
    }

    fn found(&mut self, found: Found, n: &Ident) -> (Ir, Ty) {
        match found {
            Found::Fact(slot, ty) => (Ir::Fact(slot), ty),
            Found::Decl(d) => self.decl(d, n),
            Found::Module(_) => self.error(Error::at(
                n.span,
                ErrorKind::ModuleAsValue {
                    name: n.node.to_string(),
                },
            )),
        }
    }

    fn decl(&mut self, d: Decl, n: &Ident) -> (Ir, Ty) {
        match d {
            Decl::Rule(r) => {
                let sig = &self.rules[r as usize];
                if !sig.params.is_empty() {
                    return self.error(Error::at(
                        n.span,
                        ErrorKind::MissingArguments {
                            name: n.node.to_string(),
                        },
                    ));
                }
                (Ir::Rule(r), sig.ty.clone())
            }
            Decl::Table(t) => (Ir::Table(t), self.tables[t as usize].ty.clone()),
            Decl::Enum(e) => {
                let def = &self.env.enums[e as usize];
                let example = format!(
                    "{}.{}",
                    def.name,
                    def.variants.first().map_or("…", |v| &**v)
                );
                self.error(Error::at(
                    n.span,
                    ErrorKind::EnumAsValue {
                        name: n.node.to_string(),
                        example,
                    },
                ))
            }
            Decl::Type(_) => self.error(Error::at(
                n.span,
                ErrorKind::TypeMismatch {
                    expected: "a value".into(),
                    found: format!("the type `{}`", n.node),
                    hint: None,
                },
            )),
        }
    }

    fn field(&mut self, base: &Expr, f: &Ident) -> (Ir, Ty) {
        // `Enum.variant` and `alias.name` are names, not field reads.
        if let ExprKind::Name(n) = &base.node {
            if !self.locals.iter().any(|(l, _)| *l == n.node) {
                match self.env.lookup(self.module, n) {
                    Ok(Found::Decl(Decl::Enum(id))) => {
                        return match self.env.variant(id, f) {
                            Ok(v) => (
                                Ir::Const(v),
                                Ty::Enum(id, self.env.enums[id as usize].name.clone()),
                            ),
                            Err(e) => self.error(e),
                        };
                    }
                    Ok(Found::Module(m)) => {
                        return match self.env.lookup_in(m, f) {
                            Ok(d) => self.decl(d, f),
                            Err(e) => self.error(e),
                        };
                    }
                    _ => {}
                }
            }
        }
        // `alias.Enum.variant`: an enum of a module used with `as`.
        if let ExprKind::Field(inner, enum_name) = &base.node {
            if let ExprKind::Name(alias) = &inner.node {
                if !self.locals.iter().any(|(l, _)| *l == alias.node) {
                    if let Ok(Found::Module(m)) = self.env.lookup(self.module, alias) {
                        if let Ok(Decl::Enum(id)) = self.env.lookup_in(m, enum_name) {
                            return match self.env.variant(id, f) {
                                Ok(v) => (
                                    Ir::Const(v),
                                    Ty::Enum(id, self.env.enums[id as usize].name.clone()),
                                ),
                                Err(e) => self.error(e),
                            };
                        }
                    }
                }
            }
        }
        let (bir, bt) = self.expr(base);
        self.field_of(bir, bt, f)
    }

    pub(super) fn field_of(&mut self, bir: Ir, bt: Ty, f: &Ident) -> (Ir, Ty) {
        let lookup = |r: &RecordTy| r.slot(&f.node).map(|s| (s as u32, r.fields[s].ty.clone()));
        match &bt {
            Ty::Error => (bir, Ty::Error),
            Ty::Record(r) => match lookup(r) {
                Some((s, t)) => (Ir::Field(Box::new(bir), s), t),
                None => self.unknown_field(f, &bt, r),
            },
            Ty::Opt(inner) => match &**inner {
                Ty::Record(r) => match lookup(r) {
                    Some((s, t)) => (Ir::Field(Box::new(bir), s), t.optional()),
                    None => self.unknown_field(f, &bt, r),
                },
                _ => self.error(Error::at(
                    f.span,
                    ErrorKind::NotARecord {
                        ty: format!("`{bt}`"),
                        field: f.node.to_string(),
                    },
                )),
            },
            Ty::List(inner) => match &**inner {
                Ty::Record(r) => match lookup(r) {
                    Some((s, t)) => (Ir::MapField(Box::new(bir), s), t.list()),
                    None => self.unknown_field(f, &bt, r),
                },
                _ => self.error(Error::at(
                    f.span,
                    ErrorKind::NotARecord {
                        ty: format!("`{bt}`"),
                        field: f.node.to_string(),
                    },
                )),
            },
            _ => self.error(Error::at(
                f.span,
                ErrorKind::NotARecord {
                    ty: format!("`{bt}`"),
                    field: f.node.to_string(),
                },
            )),
        }
    }

    fn unknown_field(&mut self, f: &Ident, t: &Ty, r: &RecordTy) -> (Ir, Ty) {
        let suggestion = closest(&f.node, r.fields.iter().map(|x| &*x.name));
        self.error(Error::at(
            f.span,
            ErrorKind::UnknownField {
                field: f.node.to_string(),
                ty: format!("`{t}`"),
                suggestion,
            },
        ))
    }

    fn index(&mut self, base: &Expr, key: &Expr, span: Span) -> (Ir, Ty) {
        let (bir, bt) = self.expr(base);
        let Ir::Table(t) = bir else {
            if bt.is_error() {
                return (bir, Ty::Error);
            }
            return self.error(Error::at(
                span,
                ErrorKind::NotIndexable {
                    ty: format!("`{bt}`"),
                },
            ));
        };
        let sig = &self.tables[t as usize];
        let Some(k) = sig.key else {
            return self.error(Error::at(
                span,
                ErrorKind::NotIndexable {
                    ty: format!("table `{}` (it has no key)", sig.name),
                },
            ));
        };
        let key_ty = sig.row.fields[k].ty.clone();
        let row = Ty::Record(sig.row.clone());
        let total = sig.total;
        let kir = self.expect(key, &key_ty);
        (
            Ir::Lookup(t, Box::new(kir)),
            if total { row } else { row.optional() },
        )
    }

    fn if_expr(&mut self, c: &Expr, a: &Expr, b: &Expr) -> (Ir, Ty) {
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
                let (air, at) = self.expr(a);
                self.pop_local();
                (air, at, Some(slot))
            }
            None => {
                let (air, at) = self.expr(a);
                (air, at, None)
            }
        };
        let (bir, bt) = self.expr(b);
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

    fn arith(&mut self, op: ArithOp, a: &Expr, b: &Expr, span: Span) -> (Ir, Ty) {
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
                        hint: hints::operands(op, &at, &bt),
                    },
                ));
            }
        };
        (Ir::Arith(kind, Box::new(air), Box::new(bir), span), t)
    }

    fn compare(&mut self, op: CmpOp, a: &Expr, b: &Expr) -> (Ir, Ty) {
        let (air, at) = self.expr(a);
        let ordering = !matches!(op, CmpOp::Eq | CmpOp::Ne);
        let (bir, bt) = if let Ty::Enum(..) = at.strip_opt() {
            let want = if ordering {
                at.strip_opt().clone()
            } else {
                at.clone()
            };
            (self.expect(b, &want), want)
        } else {
            self.expr(b)
        };
        let span = a.span.to(b.span);
        if at.is_error() || bt.is_error() {
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
                    hint: hints::compare(&at, &bt),
                },
            ));
        }
        let unit = Unit::of(&at.join(&bt).unwrap_or(Ty::Error));
        (Ir::Cmp(op, Box::new(air), Box::new(bir), unit), Ty::Bool)
    }

    fn points(
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
                            hint: hints::step(&qt),
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

/// A type mismatch with the hint that fits the two types.
pub fn mismatch(span: Span, want: &Ty, found: &Ty) -> Error {
    Error::at(
        span,
        ErrorKind::TypeMismatch {
            expected: format!("`{want}`"),
            found: format!("`{found}`"),
            hint: hints::mismatch(want, found),
        },
    )
}
