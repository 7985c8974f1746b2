//! Written types → [`Ty`], and constants (defaults, table cells) → values.

use super::{Decl, Env, ItemRef};
use crate::diag::{Error, ErrorKind};
use crate::model::names::BUILTIN_TYPES;
use crate::model::ty::{score_type, FieldTy, RecordTy, Ty};
use crate::model::Value;
use crate::source::Span;
use crate::syntax::ast::{
    DurationUnit, Expr, ExprKind, FieldDecl, Ident, ItemKind, TypeExpr, TypeExprKind,
};
use std::collections::HashSet;
use std::sync::Arc;

impl Env<'_> {
    /// Resolves every named type (reporting recursion) and the facts declaration.
    pub fn resolve_declared_types(&mut self) {
        for id in 0..self.types.len() {
            self.named_type(id as u32);
        }
        if let Some(f) = self.facts {
            if let ItemKind::Facts { fields, .. } = &self.item(f).kind {
                let rec = self.record(f.module, fields, None);
                for (i, field) in rec.fields.iter().enumerate() {
                    self.fact_fields
                        .insert(field.name.clone(), (i as u32, field.ty.clone()));
                }
                self.facts_root = Some(Arc::new(rec));
            }
        }
    }

    fn named_type(&mut self, id: u32) -> Ty {
        if let Some(t) = &self.types[id as usize].1 {
            return t.clone();
        }
        let at: ItemRef = self.types[id as usize].0;
        let item = self.item(at);
        let ItemKind::Type { name, ty } = &item.kind else {
            return Ty::Error;
        };
        if self.resolving.contains(&id) {
            self.errors.push(Error::at(
                name.span,
                ErrorKind::RecursiveType {
                    name: name.node.to_string(),
                },
            ));
            return Ty::Error;
        }
        self.resolving.push(id);
        let mut t = self.resolve_type(at.module, ty);
        if let (Ty::Record(r), TypeExprKind::Record(_)) = (&t, &ty.node) {
            let mut named = (**r).clone();
            named.name = Some(name.node.clone());
            t = Ty::Record(Arc::new(named));
        }
        self.resolving.pop();
        self.types[id as usize].1 = Some(t.clone());
        t
    }

    /// Resolves a written type in a module.
    pub fn resolve_type(&mut self, m: usize, t: &TypeExpr) -> Ty {
        let built = match &t.node {
            TypeExprKind::Optional(inner) => self.resolve_type(m, inner).optional(),
            TypeExprKind::List(inner) => self.resolve_type(m, inner).list(),
            TypeExprKind::Record(fields) => Ty::Record(Arc::new(self.record(m, fields, None))),
            TypeExprKind::Name(n) => return self.named(m, n),
        };
        self.within_limit(built, t.span)
    }

    /// A type, or the error type and E0326 when it has more than `MAX_TYPE_NODES` nodes: named
    /// records nest each other's whole types, so ten declarations can write a type of a
    /// thousand nodes.
    fn within_limit(&mut self, t: Ty, span: Span) -> Ty {
        crate::model::ty::within_type_limit(t, span, &mut self.errors)
    }

    /// A type written as a name: built in, an enum or a declared type.
    fn named(&mut self, m: usize, n: &Ident) -> Ty {
        match &*n.node {
            "Bool" => Ty::Bool,
            "Int" | "Count" => Ty::Int,
            "Decimal" => Ty::Decimal,
            "Money" => Ty::Money,
            "Percent" => Ty::Percent,
            "Date" => Ty::Date,
            "Month" => Ty::Month,
            "Days" => Ty::Days,
            "Months" => Ty::Months,
            "Text" => Ty::Text,
            "Score" => score_type(),
            _ => match self.lookup(m, n) {
                Ok(super::Found::Decl(Decl::Enum(e))) => {
                    Ty::Enum(e, self.enums[e as usize].name.clone())
                }
                Ok(super::Found::Decl(Decl::Type(id))) => self.named_type(id),
                _ => {
                    let module = &self.modules[m];
                    let modules = || std::iter::once(m).chain(module.uses.iter().copied());
                    let count = BUILTIN_TYPES.len()
                        + modules()
                            .map(|mm| self.modules[mm].decls.len())
                            .sum::<usize>();
                    let names = || {
                        let mut names: Vec<&str> = BUILTIN_TYPES.to_vec();
                        for mm in modules() {
                            for (k, (d, _)) in &self.modules[mm].decls {
                                if matches!(d, Decl::Enum(_) | Decl::Type(_)) {
                                    names.push(k);
                                }
                            }
                        }
                        names
                    };
                    let suggestion = self.suggestions.closest(&n.node, count, names);
                    self.errors.push(Error::at(
                        n.span,
                        ErrorKind::UnknownType {
                            name: n.node.to_string(),
                            suggestion,
                        },
                    ));
                    Ty::Error
                }
            },
        }
    }

    /// A record type from field declarations, with each field's default.
    pub fn record(&mut self, m: usize, fields: &[FieldDecl], name: Option<Arc<str>>) -> RecordTy {
        let mut seen = HashSet::new();
        let mut out = Vec::new();
        for f in fields {
            if !seen.insert(f.name.node.clone()) {
                self.errors.push(Error::at(
                    f.name.span,
                    ErrorKind::DuplicateField {
                        field: f.name.node.to_string(),
                    },
                ));
                continue;
            }
            let ty = self.resolve_type(m, &f.ty);
            let signed = f.meta.attrs.iter().any(|a| &*a.name.node == "signed");
            let default = match &f.default {
                Some(e) => match self.constant(m, e, &ty) {
                    Ok(v) => Some(v),
                    Err(err) => {
                        self.errors.push(err);
                        None
                    }
                },
                None => implicit_default(&ty),
            };
            out.push(FieldTy {
                name: f.name.node.clone(),
                ty,
                default,
                signed,
            });
        }
        RecordTy { name, fields: out }
    }

    /// A constant of an expected type: a literal, a list or record of literals, or an enum variant.
    pub fn constant(&self, m: usize, e: &Expr, expected: &Ty) -> Result<Value, Error> {
        let mismatch = |found: &str| {
            Error::at(
                e.span,
                ErrorKind::TypeMismatch {
                    expected: format!("`{expected}`"),
                    found: found.to_string(),
                    hint: None,
                },
            )
        };
        let want = expected.strip_opt();
        Ok(match (&e.node, want) {
            (_, Ty::Error) => Value::None,
            (ExprKind::None, _) if matches!(expected, Ty::Opt(_)) => Value::None,
            (ExprKind::Bool(b), Ty::Bool) => Value::Bool(*b),
            (ExprKind::Int(i), Ty::Int) => Value::Int(*i),
            (ExprKind::Int(i), Ty::Decimal) => Value::Dec((*i).into()),
            (ExprKind::Decimal(d), Ty::Decimal) => Value::Dec(*d),
            (ExprKind::Money(d, code), Ty::Money) => {
                self.same_currency(code, e.span)?;
                Value::Dec(*d)
            }
            (ExprKind::Percent(d), Ty::Percent) => Value::Dec(*d),
            (ExprKind::Date(d), Ty::Date) => Value::Date(*d),
            (ExprKind::Month(y, mo), Ty::Month) => Value::month(*y, *mo),
            (ExprKind::Duration(n, DurationUnit::Days), Ty::Days) => Value::Days(*n),
            (ExprKind::Duration(n, DurationUnit::Months), Ty::Months) => Value::Months(*n),
            (ExprKind::Duration(n, DurationUnit::Years), Ty::Months) => Value::Months(
                n.checked_mul(12)
                    .ok_or_else(|| mismatch("a duration out of range"))?,
            ),
            (ExprKind::Text(s), Ty::Text) => Value::Text(s.as_str().into()),
            (ExprKind::Neg(inner), Ty::Int | Ty::Decimal | Ty::Money | Ty::Percent) => {
                match self.constant(m, inner, want)? {
                    Value::Int(i) => Value::Int(-i),
                    Value::Dec(d) => Value::Dec(-d),
                    v => v,
                }
            }
            (ExprKind::List(items), Ty::List(t)) => Value::List(Arc::new(
                items
                    .iter()
                    .map(|i| self.constant(m, i, t))
                    .collect::<Result<_, _>>()?,
            )),
            (ExprKind::Record(fields), Ty::Record(r)) => {
                if let Some((n, _)) = fields.iter().find(|(n, _)| r.slot(&n.node).is_none()) {
                    return Err(Error::at(
                        n.span,
                        ErrorKind::UnknownField {
                            field: n.node.to_string(),
                            ty: format!("`{expected}`"),
                            suggestion: self.suggestions.closest(&n.node, r.fields.len(), || {
                                r.fields.iter().map(|f| &*f.name).collect()
                            }),
                        },
                    ));
                }
                let mut vals = Vec::new();
                for f in &r.fields {
                    match fields.iter().find(|(n, _)| n.node == f.name) {
                        Some((_, fe)) => vals.push(self.constant(m, fe, &f.ty)?),
                        None => match &f.default {
                            Some(d) => vals.push(d.clone()),
                            None => {
                                return Err(mismatch(&format!(
                                    "a record without field `{}`",
                                    f.name
                                )))
                            }
                        },
                    }
                }
                Value::Record(Arc::new(vals))
            }
            (ExprKind::Name(n), Ty::Enum(id, _)) => self.variant(*id, n)?,
            (ExprKind::Field(base, v), Ty::Enum(id, _)) => match &base.node {
                ExprKind::Name(en)
                    if self.lookup(m, en) == Ok(super::Found::Decl(Decl::Enum(*id))) =>
                {
                    self.variant(*id, v)?
                }
                _ => return Err(Error::at(e.span, ErrorKind::NotConstant)),
            },
            (
                ExprKind::Bool(_)
                | ExprKind::Int(_)
                | ExprKind::Decimal(_)
                | ExprKind::Money(..)
                | ExprKind::Percent(_)
                | ExprKind::Date(_)
                | ExprKind::Month(..)
                | ExprKind::Duration(..)
                | ExprKind::Text(_)
                | ExprKind::None
                | ExprKind::List(_)
                | ExprKind::Record(_),
                _,
            ) => return Err(mismatch(literal_kind(&e.node))),
            _ => return Err(Error::at(e.span, ErrorKind::NotConstant)),
        })
    }

    /// An amount's currency is the program's (`EUR 100` where money is in USD is an error).
    pub fn same_currency(&self, code: &str, span: Span) -> Result<(), Error> {
        if code == &*self.currency {
            return Ok(());
        }
        Err(Error::at(
            span,
            ErrorKind::CurrencyMismatch {
                found: code.to_string(),
                expected: self.currency.to_string(),
                declared: *self.currency != *crate::syntax::ast::DEFAULT_CURRENCY,
            },
        ))
    }

    /// A variant of an enum by name.
    pub fn variant(&self, id: u32, name: &crate::syntax::ast::Ident) -> Result<Value, Error> {
        let def = &self.enums[id as usize];
        match def.variants.iter().position(|v| *v == name.node) {
            Some(i) => Ok(Value::Enum(i as u32)),
            None => Err(Error::at(
                name.span,
                ErrorKind::UnknownVariant {
                    variant: name.node.to_string(),
                    enum_name: def.name.to_string(),
                    suggestion: self
                        .suggestions
                        .closest(&name.node, def.variants.len(), || {
                            def.variants.iter().map(|v| &**v).collect()
                        }),
                },
            )),
        }
    }
}

/// What a literal is, for messages.
pub fn literal_kind(e: &ExprKind) -> &'static str {
    match e {
        ExprKind::Bool(_) => "a boolean",
        ExprKind::Int(_) => "an integer",
        ExprKind::Decimal(_) => "a decimal",
        ExprKind::Money(..) => "money",
        ExprKind::Percent(_) => "a percentage",
        ExprKind::Date(_) => "a date",
        ExprKind::Month(..) => "a month",
        ExprKind::Duration(..) => "a duration",
        ExprKind::Text(_) => "text",
        ExprKind::None => "`none`",
        ExprKind::List(_) => "a list",
        ExprKind::Record(_) => "a record",
        _ => "an expression",
    }
}

/// The value of an absent field when none is written: lists are empty, optionals none, and a
/// record whose every field has a default is the record of defaults.
pub fn implicit_default(t: &Ty) -> Option<Value> {
    match t {
        Ty::List(_) => Some(Value::empty_list()),
        Ty::Opt(_) | Ty::Error => Some(Value::None),
        Ty::Record(r) => r
            .fields
            .iter()
            .map(|f| f.default.clone())
            .collect::<Option<Vec<_>>>()
            .map(|v| Value::Record(Arc::new(v))),
        _ => None,
    }
}
