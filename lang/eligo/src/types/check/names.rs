//! Names, fields and keyed lookups: what a name means where it is used (a local, `as_of`, a rule,
//! a table, a fact, a module alias, an enum variant), and reading a field of a record (or of
//! every record of a list).

use super::Checker;
use crate::diag::{Error, ErrorKind};
use crate::model::ir::Ir;
use crate::model::ty::{RecordTy, Ty};
use crate::resolve::{Decl, Found};
use crate::source::Span;
use crate::syntax::ast::{Expr, ExprKind, Ident};

impl Checker<'_, '_> {
    pub(super) fn name(&mut self, n: &Ident) -> (Ir, Ty) {
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

    pub(super) fn found(&mut self, found: Found, n: &Ident) -> (Ir, Ty) {
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

    pub(super) fn decl(&mut self, d: Decl, n: &Ident) -> (Ir, Ty) {
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
                let ty = sig.ty.clone();
                self.references.push((r, n.span));
                (Ir::Rule(r), ty)
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

    pub(super) fn field(&mut self, base: &Expr, f: &Ident) -> (Ir, Ty) {
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
            _ if bt.has_error() && lookup_any(&bt, &f.node).is_none() => (bir, Ty::Error),
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

    pub(super) fn unknown_field(&mut self, f: &Ident, t: &Ty, r: &RecordTy) -> (Ir, Ty) {
        let suggestion = self.env.suggestions.closest(&f.node, r.fields.len(), || {
            r.fields.iter().map(|x| &*x.name).collect()
        });
        self.error(Error::at(
            f.span,
            ErrorKind::UnknownField {
                field: f.node.to_string(),
                ty: format!("`{t}`"),
                suggestion,
            },
        ))
    }

    pub(super) fn index(&mut self, base: &Expr, key: &Expr, span: Span) -> (Ir, Ty) {
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
}

/// The field of a record, a record list or an optional record type, if it has one.
fn lookup_any<'t>(t: &'t Ty, name: &str) -> Option<&'t Ty> {
    let r = match t.strip_opt() {
        Ty::Record(r) => r,
        Ty::List(inner) => match inner.strip_opt() {
            Ty::Record(r) => r,
            _ => return None,
        },
        _ => return None,
    };
    r.slot(name).map(|s| &r.fields[s].ty)
}
