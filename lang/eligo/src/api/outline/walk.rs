//! What each name of a file refers to: a walk of its items with the locals in scope, looking
//! names up as the resolver does. A field (`x.field`) is found through the record its base holds
//! when the base's written type is known (facts, typed parameters, rules, tables, `it`).

use super::declare::{one_line, record_of};
use super::{Criterion, FileOutline, Local, LocalKind, Reference, SymbolKind, Target};
use crate::source::Span;
use crate::syntax::ast::{
    Arg, Criterion as AstCriterion, Expr, ExprKind, Ident, ItemKind, Module, Rate, TypeExpr,
    TypeExprKind,
};
use std::collections::HashMap;
use std::ops::Range;

type Key = (usize, usize);

/// Lookup tables over every file's declarations.
pub(super) struct Names {
    /// Per file: its rules, tables, types and enums by name.
    decls: Vec<HashMap<String, Key>>,
    /// Module path → file.
    modules: HashMap<String, usize>,
    /// The facts' root fields.
    facts: HashMap<String, Key>,
    /// Record (type name, or the field writing it inline) → its fields (variants for an enum).
    fields: HashMap<String, HashMap<String, Key>>,
    /// Every variant by name.
    variants: HashMap<String, Key>,
}

impl Names {
    pub(super) fn new(files: &[FileOutline]) -> Names {
        let mut names = Names {
            decls: Vec::with_capacity(files.len()),
            modules: HashMap::new(),
            facts: HashMap::new(),
            fields: HashMap::new(),
            variants: HashMap::new(),
        };
        for (i, f) in files.iter().enumerate() {
            names.modules.insert(f.module.clone(), i);
            let mut decls = HashMap::new();
            for (j, s) in f.symbols.iter().enumerate() {
                let key = (i, j);
                match s.kind {
                    SymbolKind::Rule | SymbolKind::Table | SymbolKind::Type | SymbolKind::Enum => {
                        decls.entry(s.name.clone()).or_insert(key);
                    }
                    SymbolKind::Fact => {
                        names.facts.entry(s.name.clone()).or_insert(key);
                    }
                    SymbolKind::Variant => {
                        names.variants.entry(s.name.clone()).or_insert(key);
                    }
                    _ => {}
                }
                if let (Some(c), SymbolKind::Field | SymbolKind::Column | SymbolKind::Variant) =
                    (&s.container, s.kind)
                {
                    let record = names.fields.entry(c.clone()).or_default();
                    record.entry(s.name.clone()).or_insert(key);
                }
            }
            names.decls.push(decls);
        }
        names
    }
}

/// What the walk of one file finds.
pub(super) struct Found {
    pub references: Vec<Reference>,
    pub locals: Vec<Local>,
    pub criteria: Vec<Criterion>,
    pub folds: Vec<Range<usize>>,
}

struct Walk<'a> {
    names: &'a Names,
    files: &'a [FileOutline],
    file: usize,
    text: &'a str,
    /// Locals in scope, innermost last: name, index in `found.locals`, the record it holds.
    scope: Vec<(String, usize, Option<String>)>,
    /// The record `it` holds, innermost last.
    it: Vec<Option<String>>,
    owner: (String, bool),
    found: Found,
}

pub(super) fn walk(
    names: &Names,
    files: &[FileOutline],
    file: usize,
    module: &Module,
    text: &str,
) -> Found {
    let mut w = Walk {
        names,
        files,
        file,
        text,
        scope: Vec::new(),
        it: Vec::new(),
        owner: (String::new(), false),
        found: Found {
            references: Vec::new(),
            locals: Vec::new(),
            criteria: Vec::new(),
            folds: Vec::new(),
        },
    };
    for item in &module.items {
        w.item(&item.kind, item.span);
    }
    w.found
}

fn range(span: Span) -> Range<usize> {
    span.start as usize..span.end as usize
}

impl Walk<'_> {
    fn item(&mut self, kind: &ItemKind, span: Span) {
        match kind {
            ItemKind::Use { .. } => {}
            ItemKind::Facts { fields, .. } => {
                for f in fields {
                    self.ty(&f.ty);
                    if let Some(d) = &f.default {
                        self.expr(d);
                    }
                }
            }
            ItemKind::Type { ty, .. } => self.ty(ty),
            ItemKind::Enum { .. } => {}
            ItemKind::Table { columns, rows, .. } => {
                for (_, t) in columns {
                    self.ty(t);
                }
                for row in rows {
                    for e in &row.node {
                        self.expr(e);
                    }
                }
            }
            ItemKind::Rule {
                name,
                params,
                ty,
                body,
            } => {
                self.owner = (name.node.to_string(), false);
                for (p, t) in params {
                    self.ty(t);
                    let detail = Some(one_line(self.text, t.span));
                    let record = record_of(t, &p.node);
                    self.bind(p, LocalKind::Parameter, detail, record, span);
                }
                self.ty(ty);
                self.expr(body);
                self.scope.clear();
            }
            ItemKind::Outcome { id, each, body } => {
                self.owner = (id.node.clone(), true);
                if let Some((binder, enum_name)) = each {
                    self.name(enum_name);
                    let detail = Some(enum_name.node.to_string());
                    let record = Some(enum_name.node.to_string());
                    self.bind(binder, LocalKind::Binding, detail, record, span);
                }
                self.expr(body);
                self.scope.clear();
            }
        }
    }

    /// Declares a local visible in `scope`.
    fn bind(
        &mut self,
        name: &Ident,
        kind: LocalKind,
        detail: Option<String>,
        record: Option<String>,
        scope: Span,
    ) {
        let index = self.found.locals.len();
        self.found.locals.push(Local {
            name: name.node.to_string(),
            range: range(name.span),
            kind,
            detail,
            scope: range(scope),
        });
        self.scope.push((name.node.to_string(), index, record));
    }

    fn refer(&mut self, span: Span, target: Target) {
        self.found.references.push(Reference {
            range: range(span),
            target,
        });
    }

    fn symbol_target(&self, (file, index): Key) -> Target {
        Target::Symbol { file, index }
    }

    fn record_of_key(&self, (file, index): Key) -> Option<String> {
        let s = &self.files[file].symbols[index];
        match s.kind {
            SymbolKind::Table => Some(s.name.clone()),
            SymbolKind::Enum | SymbolKind::Type => Some(s.name.clone()),
            _ => s.record.clone(),
        }
    }

    /// A declaration visible by name in this file: its own, then the modules it uses.
    fn lookup_decl(&self, name: &str) -> Option<Key> {
        if let Some(k) = self.names.decls[self.file].get(name) {
            return Some(*k);
        }
        self.files[self.file]
            .uses
            .iter()
            .filter_map(|m| self.names.modules.get(m))
            .find_map(|&m| self.names.decls[m].get(name).copied())
    }

    /// A written type's names.
    fn ty(&mut self, t: &TypeExpr) {
        match &t.node {
            TypeExprKind::Name(n) => {
                if let Some(k) = self.lookup_decl(&n.node) {
                    self.refer(n.span, self.symbol_target(k));
                }
            }
            TypeExprKind::List(inner) | TypeExprKind::Optional(inner) => self.ty(inner),
            TypeExprKind::Record(fields) => {
                for f in fields {
                    self.ty(&f.ty);
                    if let Some(d) = &f.default {
                        self.expr(d);
                    }
                }
            }
        }
    }

    /// A bare name; returns the record it holds.
    fn name(&mut self, n: &Ident) -> Option<String> {
        if let Some((_, index, record)) = self.scope.iter().rev().find(|(s, _, _)| *s == *n.node) {
            let (index, record) = (*index, record.clone());
            let target = Target::Local {
                file: self.file,
                index,
            };
            self.refer(n.span, target);
            return record;
        }
        if &*n.node == "it" {
            return self.it.last().cloned().flatten();
        }
        let key = self
            .lookup_decl(&n.node)
            .or_else(|| self.names.facts.get(&*n.node).copied())
            .or_else(|| self.names.variants.get(&*n.node).copied())?;
        self.refer(n.span, self.symbol_target(key));
        self.record_of_key(key)
    }

    /// `base.field`; returns the record the field holds.
    fn field(&mut self, base: &Expr, field: &Ident) -> Option<String> {
        if let ExprKind::Name(b) = &base.node {
            let is_local = self.scope.iter().any(|(s, _, _)| *s == *b.node);
            // `alias.name`: a name of another module.
            let aliased = self.files[self.file]
                .aliases
                .iter()
                .find(|(a, _)| *a == *b.node)
                .and_then(|(_, m)| self.names.modules.get(m));
            if !is_local && self.lookup_decl(&b.node).is_none() {
                if let Some(&m) = aliased {
                    let key = self.names.decls[m].get(&*field.node).copied()?;
                    self.refer(field.span, self.symbol_target(key));
                    return self.record_of_key(key);
                }
            }
        }
        let record = self.expr(base)?;
        let key = self.names.fields.get(&record)?.get(&*field.node).copied()?;
        self.refer(field.span, self.symbol_target(key));
        self.record_of_key(key)
    }

    fn criteria(&mut self, list: &[AstCriterion], whole: Span) {
        self.found.folds.push(range(whole));
        for c in list {
            self.found.criteria.push(Criterion {
                owner: self.owner.0.clone(),
                in_outcome: self.owner.1,
                label: c.label.node.clone(),
                range: range(c.label.span.to(c.expr.span)),
            });
            self.expr(&c.expr);
        }
    }

    /// An expression; returns the record its value holds, when known.
    fn expr(&mut self, e: &Expr) -> Option<String> {
        use ExprKind as K;
        match &e.node {
            K::Name(n) => self.name(n),
            K::Field(base, f) => self.field(base, f),
            K::Index(t, k) => {
                let r = self.expr(t);
                self.expr(k);
                r
            }
            K::Call(name, args) => self.call(name, args, e.span),
            K::Neg(x) | K::Not(x) | K::IsNone(x) => {
                self.expr(x);
                None
            }
            K::IsSome(x, _) => {
                self.expr(x);
                None
            }
            K::Arith(_, a, b) | K::Compare(_, a, b) | K::In(a, b) | K::Within(a, b) => {
                self.expr(a);
                self.expr(b);
                None
            }
            K::Between(a, b) => {
                self.expr(a);
                self.expr(b);
                None
            }
            K::Otherwise(a, b) => {
                let r = self.expr(a);
                self.expr(b);
                r
            }
            K::And(xs) | K::Or(xs) | K::List(xs) => {
                let mut r = None;
                for x in xs {
                    r = self.expr(x).or(r);
                }
                r.filter(|_| matches!(e.node, K::List(_)))
            }
            K::If(c, a, b) => self.if_expr(c, a, b),
            K::Let(name, value, body) => {
                let record = self.expr(value);
                let depth = self.scope.len();
                self.bind(name, LocalKind::Let, None, record, body.span);
                let r = self.expr(body);
                self.scope.truncate(depth);
                r
            }
            K::Where(list, cond) | K::GroupBy(list, cond) => {
                let record = self.expr(list);
                self.it.push(record.clone());
                self.expr(cond);
                self.it.pop();
                record.filter(|_| matches!(e.node, K::Where(..)))
            }
            K::Criteria(_, list) | K::Score(_, list) => {
                self.criteria(list, e.span);
                None
            }
            K::Points {
                quantity,
                rate,
                max,
                ..
            } => {
                self.expr(quantity);
                match rate {
                    Rate::Each(x) => {
                        self.expr(x);
                    }
                    Rate::Per(a, b) => {
                        self.expr(a);
                        self.expr(b);
                    }
                }
                self.expr(max);
                None
            }
            K::Trailing(a, b) => {
                self.expr(a);
                if let Some(b) = b {
                    self.expr(b);
                }
                None
            }
            K::Record(fields) => {
                self.found.folds.push(range(e.span));
                for (_, x) in fields {
                    self.expr(x);
                }
                None
            }
            _ => None,
        }
    }

    fn if_expr(&mut self, c: &Expr, a: &Expr, b: &Expr) -> Option<String> {
        let depth = self.scope.len();
        if let ExprKind::IsSome(x, Some(binder)) = &c.node {
            let record = self.expr(x);
            self.bind(binder, LocalKind::Binding, None, record, a.span);
        } else {
            self.expr(c);
        }
        let r = self.expr(a);
        self.scope.truncate(depth);
        self.expr(b).or(r)
    }

    fn call(&mut self, name: &Ident, args: &[Arg], whole: Span) -> Option<String> {
        let callee = self.name_call(name);
        let mut first = None;
        for arg in args {
            match arg {
                Arg::Expr(x) => {
                    let r = self.expr(x);
                    first = first.or(Some(r));
                }
                Arg::Each { binder, list, body } => {
                    let record = self.expr(list);
                    let depth = self.scope.len();
                    self.bind(binder, LocalKind::Binding, None, record, body.span);
                    self.expr(body);
                    self.scope.truncate(depth);
                    first = first.or(Some(None));
                }
            }
        }
        if !whole.is_empty()
            && self
                .text
                .get(range(whole))
                .is_some_and(|t| t.contains('\n'))
        {
            self.found.folds.push(range(whole));
        }
        // A rule's record; for an aggregate (`min`, `max`, `sort`, `distinct`) its list's.
        callee.or_else(|| first.flatten())
    }

    /// The name of a call: a rule (or a local shadowing a built-in); built-ins refer to nothing.
    fn name_call(&mut self, name: &Ident) -> Option<String> {
        if self.scope.iter().any(|(s, _, _)| *s == *name.node) {
            return self.name(name);
        }
        let key = self.lookup_decl(&name.node)?;
        self.refer(name.span, self.symbol_target(key));
        self.record_of_key(key)
    }
}
