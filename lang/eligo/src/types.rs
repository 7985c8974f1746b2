//! Types: checks every table, rule and outcome against the declarations that
//! [`crate::resolve`] collected, lowers their bodies to slot-resolved IR ([`crate::model::ir`]),
//! checks the rule graph for cycles ([`graph`]) and lays out the memo. The result is a checked
//! [`Program`]; evaluation compiles it ([`crate::eval::Compiled`]).
//!
//! The rules it enforces: every expression has one type; money, counts, plain numbers and
//! percentages do not mix (an `Int` widens to a `Decimal`, nothing else converts silently); days and
//! months do not mix; a value that may be absent (`T?`) is used only through `otherwise`,
//! `is none`/`is some`, or field access that stays optional.

mod bodies;
mod calls;
mod check;
mod graph;
mod hints;
mod hoist;
mod lints;
mod memo;

pub use memo::{MAX_DENSE_RULE_SLOTS, MAX_DENSE_SLOTS, MAX_MEMO_COMBINATIONS};

use crate::diag::{Error, ErrorKind};
use crate::model::names::closest;
use crate::model::ty::{field, RecordTy, Ty};
use crate::model::{CriterionDef, FactsSchema, Program, TableDef, Value};
use crate::resolve::Env;
use crate::source::SourceMap;
use crate::syntax::ast::{ItemKind, Meta};
use std::sync::Arc;

/// A rule's signature, known before any body is checked.
#[derive(Debug, Clone)]
pub struct RuleSig {
    /// Its name.
    pub name: Arc<str>,
    /// Parameters.
    pub params: Vec<(Arc<str>, Ty)>,
    /// Result type.
    pub ty: Ty,
}

/// What checking rule and outcome bodies shares: the signatures, and what the bodies add (the
/// labelled criteria, the errors, the cache slots of loop invariants).
struct Shared<'s> {
    rule_sigs: &'s [RuleSig],
    table_sigs: &'s [TableSig],
    criteria: Vec<CriterionDef>,
    errors: Vec<Error>,
    cache_size: u32,
    /// For each rule, in order, the rules its body reads or calls and where.
    references: Vec<Vec<(u32, crate::source::Span)>>,
    /// Comparisons with constant thresholds, for the warnings.
    thresholds: Vec<check::Threshold>,
}

/// A table's shape.
#[derive(Debug, Clone)]
pub struct TableSig {
    /// Its name.
    pub name: Arc<str>,
    /// `[row]`
    pub ty: Ty,
    /// The row type.
    pub row: Arc<RecordTy>,
    /// The key column.
    pub key: Option<usize>,
    /// Whether the key is an enum and every variant has a row (lookups then always succeed).
    pub total: bool,
}

const KNOWN_ATTRIBUTES: &[(&str, usize)] = &[("source", 1), ("signed", 0), ("currency", 1)];

/// Checks a resolved policy set and builds the program.
pub fn check_program(sources: SourceMap, mut env: Env<'_>) -> Result<Program, Vec<Error>> {
    env.resolve_declared_types();
    for (_, module) in env.asts {
        for item in &module.items {
            check_item_attributes(item, &mut env.errors);
        }
    }
    let facts = facts_schema(&mut env);
    let (table_sigs, tables) = tables(&mut env);
    let rule_sigs = rule_sigs(&mut env);
    let mut shared = Shared {
        rule_sigs: &rule_sigs,
        table_sigs: &table_sigs,
        criteria: Vec::new(),
        errors: std::mem::take(&mut env.errors),
        cache_size: 0,
        references: Vec::new(),
        thresholds: Vec::new(),
    };
    let mut rules = bodies::check_rules(&env, &mut shared);
    let outcomes = bodies::check_outcomes(&env, &mut shared);
    let Shared {
        criteria,
        mut errors,
        cache_size,
        references,
        thresholds,
        ..
    } = shared;
    errors.extend(graph::check_cycles(&mut rules, &references));
    let memo_size = memo::allocate(&mut rules, &env.enums, &mut errors);
    let static_memo = if errors.is_empty() {
        graph::static_memo(&rules, &env.enums)
    } else {
        Vec::new()
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut program = Program {
        sources,
        enums: env.enums.clone(),
        facts,
        rules,
        tables,
        outcomes,
        criteria,
        memo_size,
        cache_size: cache_size as usize,
        static_memo,
        currency: env.currency.clone(),
        warnings: Vec::new(),
    };
    program.warnings = lints::warnings(&env, &program, &thresholds);
    Ok(program)
}

/// Checks the attributes of an item and of the record fields and enum variants inside it:
/// `@source` belongs on items, `@signed` on fields, `@currency` on the facts declaration.
fn check_item_attributes(item: &crate::syntax::ast::Item, errors: &mut Vec<Error>) {
    use crate::syntax::ast::{TypeExpr, TypeExprKind};
    fn fields_of(t: &TypeExpr, errors: &mut Vec<Error>) {
        match &t.node {
            TypeExprKind::Record(fields) => {
                for f in fields {
                    check_attributes(&f.meta, "a field", &["signed"], errors);
                    fields_of(&f.ty, errors);
                }
            }
            TypeExprKind::List(inner) | TypeExprKind::Optional(inner) => fields_of(inner, errors),
            TypeExprKind::Name(_) => {}
        }
    }
    let place = match &item.kind {
        ItemKind::Use { .. } => "a `use`",
        ItemKind::Facts { .. } => "the facts declaration",
        ItemKind::Type { .. } => "a type",
        ItemKind::Enum { .. } => "an enum",
        ItemKind::Table { .. } => "a table",
        ItemKind::Rule { .. } => "a rule",
        ItemKind::Outcome { .. } => "an outcome",
    };
    // The program's currency is set where its facts (the amounts it reads) are declared.
    let allowed: &[&str] = match &item.kind {
        ItemKind::Facts { .. } => &["source", "currency"],
        _ => &["source"],
    };
    check_attributes(&item.meta, place, allowed, errors);
    match &item.kind {
        ItemKind::Facts { fields, .. } => {
            for f in fields {
                check_attributes(&f.meta, "a field", &["signed"], errors);
                fields_of(&f.ty, errors);
            }
        }
        ItemKind::Type { ty, .. } => fields_of(ty, errors),
        ItemKind::Enum { variants, .. } => {
            for (meta, _) in variants {
                check_attributes(meta, "an enum variant", &[], errors);
            }
        }
        ItemKind::Rule { params, ty, .. } => {
            for (_, t) in params {
                fields_of(t, errors);
            }
            fields_of(ty, errors);
        }
        ItemKind::Table { columns, .. } => {
            for (_, t) in columns {
                fields_of(t, errors);
            }
        }
        ItemKind::Use { .. } | ItemKind::Outcome { .. } => {}
    }
}

fn check_attributes(meta: &Meta, place: &str, allowed: &[&str], errors: &mut Vec<Error>) {
    for a in &meta.attrs {
        if KNOWN_ATTRIBUTES.iter().any(|(n, _)| *n == &*a.name.node)
            && !allowed.contains(&&*a.name.node)
        {
            errors.push(Error::at(
                a.name.span,
                ErrorKind::MisplacedAttribute {
                    name: a.name.node.to_string(),
                    place: place.to_string(),
                },
            ));
            continue;
        }
        match KNOWN_ATTRIBUTES.iter().find(|(n, _)| *n == &*a.name.node) {
            Some((name, arity)) if a.args.len() != *arity => errors.push(Error::at(
                a.name.span,
                ErrorKind::AttributeArity {
                    name: name.to_string(),
                    expected: *arity,
                    found: a.args.len(),
                },
            )),
            Some(_) => {}
            None => errors.push(Error::at(
                a.name.span,
                ErrorKind::UnknownAttribute {
                    name: a.name.node.to_string(),
                    suggestion: closest(&a.name.node, KNOWN_ATTRIBUTES.iter().map(|(n, _)| *n)),
                },
            )),
        }
    }
}

fn sources_of(meta: &Meta) -> Vec<String> {
    meta.attrs
        .iter()
        .filter(|a| &*a.name.node == "source")
        .flat_map(|a| a.args.iter().map(|s| s.node.clone()))
        .collect()
}

fn facts_schema(env: &mut Env<'_>) -> Option<FactsSchema> {
    let at = env.facts?;
    let item = env.item(at);
    let ItemKind::Facts {
        format,
        identified_by,
        ..
    } = &item.kind
    else {
        return None;
    };
    let root = env.facts_root.clone()?;
    let mut id_path = Vec::new();
    if let Some(path) = identified_by {
        let mut rec = root.clone();
        let mut ok = true;
        for (i, seg) in path.iter().enumerate() {
            let last = i + 1 == path.len();
            let Some(s) = rec.slot(&seg.node) else {
                ok = false;
                break;
            };
            id_path.push(s);
            match (&rec.fields[s].ty, last) {
                (Ty::Text, true) => {}
                (Ty::Record(inner), false) => {
                    let inner = inner.clone();
                    rec = inner;
                }
                _ => {
                    ok = false;
                    break;
                }
            }
        }
        if !ok {
            let text = path
                .iter()
                .map(|p| p.node.to_string())
                .collect::<Vec<_>>()
                .join(".");
            let span = path[0].span.to(path[path.len() - 1].span);
            env.errors
                .push(Error::at(span, ErrorKind::BadIdentifiedBy { path: text }));
            id_path.clear();
        }
    }
    Some(FactsSchema {
        format: format.node.clone(),
        root,
        id_path,
        span: item.span,
    })
}

fn tables(env: &mut Env<'_>) -> (Vec<TableSig>, Vec<TableDef>) {
    let mut sigs = Vec::new();
    let mut defs = Vec::new();
    for at in env.tables.clone() {
        let item = env.item(at);
        let ItemKind::Table {
            name,
            columns,
            key,
            rows,
        } = &item.kind
        else {
            continue;
        };
        let mut fields = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for (c, t) in columns {
            if !seen.insert(c.node.clone()) {
                env.errors.push(Error::at(
                    c.span,
                    ErrorKind::DuplicateField {
                        field: c.node.to_string(),
                    },
                ));
            }
            let ty = env.resolve_type(at.module, t);
            fields.push(field(&c.node, ty));
        }
        let row = Arc::new(RecordTy { name: None, fields });
        let key_slot = key.as_ref().and_then(|k| match row.slot(&k.node) {
            Some(s) => Some(s),
            None => {
                env.errors.push(Error::at(
                    k.span,
                    ErrorKind::UnknownTableKey {
                        key: k.node.to_string(),
                        suggestion: env.suggestions.closest(&k.node, row.fields.len(), || {
                            row.fields.iter().map(|f| &*f.name).collect()
                        }),
                    },
                ));
                None
            }
        });
        let mut values = Vec::new();
        let mut index = rustc_hash::FxHashMap::default();
        for r in rows {
            if r.node.len() != row.fields.len() {
                env.errors.push(Error::at(
                    r.span,
                    ErrorKind::TableRowArity {
                        expected: row.fields.len(),
                        found: r.node.len(),
                    },
                ));
                continue;
            }
            let mut cells = Vec::new();
            for (cell, f) in r.node.iter().zip(&row.fields) {
                match env.constant(at.module, cell, &f.ty) {
                    Ok(v) => cells.push(v),
                    Err(e) => {
                        env.errors.push(e);
                        cells.push(Value::None);
                    }
                }
            }
            if let Some(k) = key_slot {
                let kv = cells[k].clone();
                if index.insert(kv.clone(), values.len()).is_some() {
                    env.errors.push(Error::at(
                        r.span,
                        ErrorKind::DuplicateTableKey {
                            key: show_key(env, &kv, &row.fields[k].ty),
                        },
                    ));
                }
            }
            values.push(Value::Record(Arc::new(cells)));
        }
        let total = match key_slot.map(|k| &row.fields[k].ty) {
            Some(Ty::Enum(e, _)) => index.len() == env.enums[*e as usize].variants.len(),
            _ => false,
        };
        let ty = Ty::Record(row.clone()).list();
        sigs.push(TableSig {
            name: name.node.clone(),
            ty: ty.clone(),
            row,
            key: key_slot,
            total,
        });
        defs.push(TableDef {
            name: name.node.clone(),
            module: env.modules[at.module].name.clone(),
            ty,
            rows: Value::List(Arc::new(values)),
            key: key_slot,
            index,
            sources: sources_of(&item.meta),
            span: item.span,
        });
    }
    (sigs, defs)
}

fn show_key(env: &Env<'_>, v: &Value, t: &Ty) -> String {
    match (v, t) {
        (Value::Enum(i), Ty::Enum(e, _)) => {
            format!("`{}`", env.enums[*e as usize].variants[*i as usize])
        }
        (Value::Text(s), _) => format!("\"{s}\""),
        // As written in a policy, never the evaluator's names (`Dec(1.00)`).
        (Value::Dec(d), Ty::Money) => format!("`{} {}`", env.currency, d.normalize()),
        (Value::Dec(d), Ty::Percent) => format!("`{}%`", d.normalize()),
        (Value::Dec(d), _) => format!("`{}`", d.normalize()),
        (Value::Int(i), _) => format!("`{i}`"),
        (Value::Bool(b), _) => format!("`{b}`"),
        (Value::Date(d), _) => format!("`{}`", d.format("%Y-%m-%d")),
        (Value::Month(m), _) => format!("`{}`", crate::model::value::format_month(*m)),
        (Value::Days(n), _) => format!("`days({n})`"),
        (Value::Months(n), _) => format!("`months({n})`"),
        (Value::None, _) => "`none`".to_string(),
        (_, t) => format!("a value of {t}"),
    }
}

fn rule_sigs(env: &mut Env<'_>) -> Vec<RuleSig> {
    let mut sigs = Vec::new();
    for at in env.rules.clone() {
        let item = env.item(at);
        let ItemKind::Rule {
            name, params, ty, ..
        } = &item.kind
        else {
            continue;
        };
        let mut ps = Vec::new();
        for (p, t) in params {
            let pt = env.resolve_type(at.module, t);
            if matches!(pt, Ty::Window) {
                env.errors.push(Error::at(
                    t.span,
                    ErrorKind::BadParameterType {
                        ty: format!("`{pt}`"),
                    },
                ));
            }
            ps.push((p.node.clone(), pt));
        }
        let rt = env.resolve_type(at.module, ty);
        sigs.push(RuleSig {
            name: name.node.clone(),
            params: ps,
            ty: rt,
        });
    }
    sigs
}

fn is_output_type(t: &Ty) -> bool {
    match t {
        Ty::Window | Ty::Unknown => false,
        Ty::List(x) | Ty::Opt(x) => matches!(**x, Ty::Unknown) || is_output_type(x),
        Ty::Record(r) => r.fields.iter().all(|f| is_output_type(&f.ty)),
        _ => true,
    }
}
