//! Rule and outcome bodies: each checked against its declared type (or given one, for an
//! outcome) and lowered to IR with its loop invariants cached; outcome families (`for v in E`)
//! expanded to one outcome per variant.

use super::check::Checker;
use super::{hoist, is_output_type, sources_of, Shared};
use crate::diag::{Error, ErrorKind};
use crate::model::{OutcomeDef, RuleDef, Ty, Value};
use crate::resolve::{Decl, Env, Found};
use crate::source::Span;
use crate::syntax::ast::{Ident, ItemKind, Spanned};
use std::collections::HashMap;
use std::sync::Arc;

/// A checker for a body of module `module` with these locals.
fn checker<'c, 'a>(
    env: &'c Env<'a>,
    shared: &'c mut Shared<'_>,
    module: usize,
    locals: Vec<(Arc<str>, Ty)>,
) -> Checker<'c, 'a>
where
    'a: 'c,
{
    Checker {
        env,
        module,
        frame: locals.len() as u32,
        locals,
        rules: shared.rule_sigs,
        tables: shared.table_sigs,
        criteria: &mut shared.criteria,
        errors: &mut shared.errors,
        depth: 0,
        depth_reported: false,
        narrowed: Vec::new(),
        references: Vec::new(),
        thresholds: &mut shared.thresholds,
        lets: Vec::new(),
    }
}

/// Every rule's body, by rule id.
pub(super) fn check_rules(env: &Env<'_>, shared: &mut Shared<'_>) -> Vec<RuleDef> {
    let mut rules = Vec::new();
    for (id, at) in env.rules.iter().enumerate() {
        let item = env.item(*at);
        let ItemKind::Rule { body, .. } = &item.kind else {
            continue;
        };
        let sig = &shared.rule_sigs[id];
        let (name, params, ty) = (sig.name.clone(), sig.params.clone(), sig.ty.clone());
        let mut c = checker(env, shared, at.module, params.clone());
        let mut ir = c.expect(body, &ty);
        let frame = c.frame;
        let references = std::mem::take(&mut c.references);
        shared.references.push(references);
        hoist::hoist(&mut ir, &mut shared.cache_size);
        rules.push(RuleDef {
            name,
            module: env.modules[at.module].name.clone(),
            params,
            ty,
            body: ir,
            frame,
            memo: None,
            sources: sources_of(&item.meta),
            docs: item.meta.docs.clone(),
            span: item.span,
            decreasing: None,
        });
    }
    rules
}

/// Every outcome, families expanded, sorted by id.
pub(super) fn check_outcomes(env: &Env<'_>, shared: &mut Shared<'_>) -> Vec<OutcomeDef> {
    let mut outcomes: Vec<OutcomeDef> = Vec::new();
    let mut seen_ids: HashMap<String, Span> = HashMap::new();
    for (m, (_, module)) in env.asts.iter().enumerate() {
        for item in &module.items {
            let ItemKind::Outcome { id, each, body } = &item.kind else {
                continue;
            };
            if let Some(why) = outcome_id_problem(&id.node) {
                shared.errors.push(Error::at(
                    id.span,
                    ErrorKind::InvalidOutcomeId {
                        id: id.node.clone(),
                        why,
                    },
                ));
            }
            let mut c = checker(env, shared, m, Vec::new());
            let ids = match each {
                Some((binder, enum_name)) => family(&mut c, id, binder, enum_name),
                None => vec![(id.node.clone(), None)],
            };
            let (mut ir, t) = c.expr(body);
            let frame = c.frame;
            hoist::hoist(&mut ir, &mut shared.cache_size);
            if !is_output_type(&t) {
                shared.errors.push(Error::at(
                    body.span,
                    ErrorKind::NotAnOutcomeType {
                        ty: format!("`{t}`"),
                    },
                ));
            }
            let ir = Arc::new(ir);
            for (oid, binding) in ids {
                if let Some(prev) = seen_ids.insert(oid.clone(), id.span) {
                    shared.errors.push(
                        Error::at(id.span, ErrorKind::DuplicateOutcome { id: oid.clone() })
                            .with_note(prev, "first defined here"),
                    );
                    continue;
                }
                outcomes.push(OutcomeDef {
                    id: oid,
                    ty: t.clone(),
                    body: ir.clone(),
                    frame,
                    binding,
                    sources: sources_of(&item.meta),
                    span: item.span,
                });
            }
        }
    }
    outcomes.sort_by(|a, b| a.id.cmp(&b.id));
    outcomes
}

/// The ids of an outcome family `outcome "x.{v}" for v in E`, one per variant with the variant
/// bound to `v` (slot 0); none when the template or the enum is wrong (one error each).
fn family(
    c: &mut Checker<'_, '_>,
    id: &Spanned<String>,
    binder: &Ident,
    enum_name: &Ident,
) -> Vec<(String, Option<Value>)> {
    let found = c.env.lookup(c.module, enum_name);
    let Ok(Found::Decl(Decl::Enum(e))) = found else {
        if found.is_ok() || crate::model::names::BUILTIN_TYPES.contains(&&*enum_name.node) {
            // A type or a name that exists, but is no enum (`for v in Bool`).
            c.errors.push(Error::at(
                enum_name.span,
                ErrorKind::FamilyNotEnum {
                    name: enum_name.node.to_string(),
                },
            ));
            return vec![(id.node.clone(), None)];
        }
        c.errors.push(Error::at(
            enum_name.span,
            ErrorKind::UnknownType {
                name: enum_name.node.to_string(),
                suggestion: c
                    .env
                    .suggestions
                    .closest(&enum_name.node, c.env.enums.len(), || {
                        c.env.enums.iter().map(|e| &*e.name).collect()
                    }),
            },
        ));
        return vec![(id.node.clone(), None)];
    };
    let def = &c.env.enums[e as usize];
    c.push_local(binder.node.clone(), Ty::Enum(e, def.name.clone()));
    let placeholder = format!("{{{}}}", binder.node);
    if id.node.matches(&placeholder).count() != 1 {
        c.errors.push(Error::at(
            id.span,
            ErrorKind::BadOutcomeTemplate {
                id: id.node.clone(),
                binder: binder.node.to_string(),
            },
        ));
        // One error is enough: expanding would only repeat the same id.
        return Vec::new();
    }
    def.variants
        .iter()
        .enumerate()
        .map(|(i, v)| {
            (
                id.node.replace(&placeholder, v),
                Some(Value::Enum(i as u32)),
            )
        })
        .collect()
}

/// Why an outcome id cannot name an outcome: ids are typed on command lines (`--outcome`), keys of
/// JSON output and lines of text output, so a blank one or one with a control character (a new
/// line, an escape) would be unusable or forge output.
fn outcome_id_problem(id: &str) -> Option<&'static str> {
    if id.trim().is_empty() {
        Some("is blank")
    } else if id.chars().any(char::is_control) {
        Some("holds a control character")
    } else if id.trim() != id {
        Some("starts or ends with a space")
    } else {
        None
    }
}
