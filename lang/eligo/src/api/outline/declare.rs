//! The declarations of one parsed file: their names, docs, citations and written signatures.

use super::{FileOutline, Symbol, SymbolKind};
use crate::source::Span;
use crate::syntax::ast::{FieldDecl, Ident, Item, ItemKind, Meta, Module, TypeExpr, TypeExprKind};
use std::ops::Range;

/// Adds every declaration of `module` to `file`, and the declarations' folds.
pub(super) fn declare(file: &mut FileOutline, module: &Module, text: &str) {
    for item in &module.items {
        file.folds.push(range(item.span));
        declare_item(file, item, text);
    }
}

fn range(span: Span) -> Range<usize> {
    span.start as usize..span.end as usize
}

/// The text of a span on one line: runs of white space (line breaks too) become one space.
pub(super) fn one_line(text: &str, span: Span) -> String {
    let s = text.get(range(span)).unwrap_or("");
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn citations(meta: &Meta) -> Vec<String> {
    meta.attrs
        .iter()
        .filter(|a| &*a.name.node == "source")
        .flat_map(|a| a.args.iter().map(|s| s.node.clone()))
        .collect()
}

fn symbol(kind: SymbolKind, name: &Ident, item: Span, meta: &Meta, detail: String) -> Symbol {
    Symbol {
        kind,
        name: name.node.to_string(),
        container: None,
        range: range(item),
        name_range: range(name.span),
        docs: meta.docs.iter().map(|d| d.trim().to_string()).collect(),
        sources: citations(meta),
        detail,
        record: None,
    }
}

/// The record a written type holds, through lists and options: a named type (or enum: its
/// variants are found the same way), or `owner` for a record written inline.
pub(super) fn record_of(ty: &TypeExpr, owner: &str) -> Option<String> {
    match &ty.node {
        TypeExprKind::Name(n) => Some(n.node.to_string()),
        TypeExprKind::Record(_) => Some(owner.to_string()),
        TypeExprKind::List(inner) | TypeExprKind::Optional(inner) => record_of(inner, owner),
    }
}

fn declare_item(file: &mut FileOutline, item: &Item, text: &str) {
    let meta = &item.meta;
    match &item.kind {
        ItemKind::Use { path, alias } => match alias {
            Some(a) => file
                .aliases
                .push((a.node.to_string(), path.node.to_string())),
            None => file.uses.push(path.node.to_string()),
        },
        ItemKind::Facts { format, fields, .. } => {
            file.symbols.push(Symbol {
                kind: SymbolKind::Facts,
                name: format.node.clone(),
                container: None,
                range: range(item.span),
                name_range: range(format.span),
                docs: meta.docs.clone(),
                sources: citations(meta),
                detail: format!("facts \"{}\"", format.node),
                record: None,
            });
            for f in fields {
                let detail = format!("fact {}: {}", f.name.node, one_line(text, f.ty.span));
                let mut s = symbol(SymbolKind::Fact, &f.name, field_span(f), &f.meta, detail);
                s.record = record_of(&f.ty, &f.name.node);
                file.symbols.push(s);
                nested_fields(file, &f.ty, &f.name.node, text);
            }
        }
        ItemKind::Type { name, ty } => {
            let detail = format!("type {}", name.node);
            file.symbols
                .push(symbol(SymbolKind::Type, name, item.span, meta, detail));
            nested_fields(file, ty, &name.node, text);
        }
        ItemKind::Enum { name, variants } => {
            let names: Vec<&str> = variants.iter().map(|(_, v)| &*v.node).collect();
            let detail = format!("enum {} {{ {} }}", name.node, names.join(", "));
            file.symbols
                .push(symbol(SymbolKind::Enum, name, item.span, meta, detail));
            for (vmeta, v) in variants {
                let detail = format!("{}.{}", name.node, v.node);
                let mut s = symbol(SymbolKind::Variant, v, v.span, vmeta, detail);
                s.container = Some(name.node.to_string());
                file.symbols.push(s);
            }
        }
        ItemKind::Table { name, columns, .. } => {
            let cols: Vec<String> = columns
                .iter()
                .map(|(c, t)| format!("{}: {}", c.node, one_line(text, t.span)))
                .collect();
            let detail = format!("table {}({})", name.node, cols.join(", "));
            let mut s = symbol(SymbolKind::Table, name, item.span, meta, detail);
            s.record = Some(name.node.to_string());
            file.symbols.push(s);
            for (c, t) in columns {
                let detail = format!("{}: {}", c.node, one_line(text, t.span));
                let span = c.span.to(t.span);
                let mut s = symbol(SymbolKind::Column, c, span, &Meta::default(), detail);
                s.container = Some(name.node.to_string());
                s.record = record_of(t, &c.node);
                file.symbols.push(s);
            }
        }
        ItemKind::Rule { name, ty, .. } => {
            let detail = format!("rule {}", one_line(text, name.span.to(ty.span)));
            let mut s = symbol(SymbolKind::Rule, name, item.span, meta, detail);
            s.record = record_of(ty, &name.node);
            file.symbols.push(s);
        }
        ItemKind::Outcome { id, .. } => {
            // The id's range without its quotes.
            let inner = Span {
                start: id.span.start + 1,
                end: id.span.end.saturating_sub(1).max(id.span.start + 1),
                ..id.span
            };
            let mut s = symbol(
                SymbolKind::Outcome,
                &Ident::new(id.node.as_str().into(), inner),
                item.span,
                meta,
                format!("outcome \"{}\"", id.node),
            );
            s.name = id.node.clone();
            file.symbols.push(s);
        }
    }
}

fn field_span(f: &FieldDecl) -> Span {
    let end = f.default.as_ref().map_or(f.ty.span, |d| d.span);
    f.name.span.to(end)
}

/// The fields of records written inside a type, named after the record's owner.
fn nested_fields(file: &mut FileOutline, ty: &TypeExpr, owner: &str, text: &str) {
    match &ty.node {
        TypeExprKind::Record(fields) => {
            file.folds.push(range(ty.span));
            for f in fields {
                let detail = format!("{}: {}", f.name.node, one_line(text, f.ty.span));
                let mut s = symbol(SymbolKind::Field, &f.name, field_span(f), &f.meta, detail);
                s.container = Some(owner.to_string());
                s.record = record_of(&f.ty, &f.name.node);
                file.symbols.push(s);
                nested_fields(file, &f.ty, &f.name.node, text);
            }
        }
        TypeExprKind::List(inner) | TypeExprKind::Optional(inner) => {
            nested_fields(file, inner, owner, text)
        }
        TypeExprKind::Name(_) => {}
    }
}
