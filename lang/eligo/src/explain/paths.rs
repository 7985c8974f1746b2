//! The facts each rule and outcome reads, as JSON paths, by a static walk of its IR that follows
//! fact fields through filters, loops and `let`: `marketplace.transactions[].amount_usd`.
//! A rule parameter of record type shows as `<name>` (`<s>.published`).

use crate::model::ir::{visit_children, Ir};
use crate::model::{Program, Ty};
use std::collections::BTreeSet;

/// The facts paths of every rule and outcome of a program.
pub struct FactsPaths {
    /// By rule id.
    pub rules: Vec<Vec<String>>,
    /// By outcome index.
    pub outcomes: Vec<Vec<String>>,
}

impl FactsPaths {
    /// Walks every rule and outcome once.
    pub fn new(program: &Program) -> Self {
        let rules = program
            .rules
            .iter()
            .map(|r| {
                let mut env: Vec<Option<(String, Ty)>> =
                    vec![None; r.frame.max(r.params.len() as u32) as usize];
                for (i, (name, ty)) in r.params.iter().enumerate() {
                    if matches!(ty.strip_opt(), Ty::Record(_) | Ty::List(_)) {
                        env[i] = Some((format!("<{name}>"), ty.clone()));
                    }
                }
                collect(program, &r.body, &mut env)
            })
            .collect();
        let outcomes = program
            .outcomes
            .iter()
            .map(|o| {
                let mut env = vec![None; o.frame as usize];
                collect(program, &o.body, &mut env)
            })
            .collect();
        FactsPaths { rules, outcomes }
    }
}

fn collect(program: &Program, ir: &Ir, env: &mut Vec<Option<(String, Ty)>>) -> Vec<String> {
    let mut out = BTreeSet::new();
    walk(program, ir, env, &mut out);
    // Keep the longest paths: `a.b.c` says more than `a.b`.
    let all: Vec<String> = out.into_iter().collect();
    all.iter()
        .filter(|p| {
            !all.iter().any(|q| {
                q.len() > p.len()
                    && q.starts_with(p.as_str())
                    && matches!(q.as_bytes()[p.len()], b'.' | b'[')
            })
        })
        .cloned()
        .collect()
}

fn path_of(program: &Program, ir: &Ir, env: &[Option<(String, Ty)>]) -> Option<(String, Ty)> {
    match ir {
        Ir::Fact(s) => {
            let f = program.facts.as_ref()?.root.fields.get(*s as usize)?;
            Some((f.name.to_string(), f.ty.clone()))
        }
        Ir::Local(s) => env.get(*s as usize).cloned().flatten(),
        Ir::Field(x, slot) => {
            let (p, t) = path_of(program, x, env)?;
            let optional = matches!(t, Ty::Opt(_));
            let Ty::Record(r) = t.strip_opt() else {
                return None;
            };
            let f = r.fields.get(*slot as usize)?;
            let ty = if optional {
                f.ty.clone().optional()
            } else {
                f.ty.clone()
            };
            Some((format!("{p}.{}", f.name), ty))
        }
        Ir::MapField(x, slot) => {
            let (p, t) = path_of(program, x, env)?;
            let Ty::List(e) = t.strip_opt() else {
                return None;
            };
            let Ty::Record(r) = e.strip_opt() else {
                return None;
            };
            let f = r.fields.get(*slot as usize)?;
            Some((format!("{p}[].{}", f.name), f.ty.clone().list()))
        }
        Ir::Filter(list, _, _) | Ir::Cached(_, list) => path_of(program, list, env),
        _ => None,
    }
}

fn bind_element(
    program: &Program,
    list: &Ir,
    env: &[Option<(String, Ty)>],
) -> Option<(String, Ty)> {
    let (p, t) = path_of(program, list, env)?;
    match t.strip_opt() {
        Ty::List(e) => Some((format!("{p}[]"), (**e).clone())),
        _ => None,
    }
}

fn set(env: &mut Vec<Option<(String, Ty)>>, slot: u32, v: Option<(String, Ty)>) {
    let i = slot as usize;
    if env.len() <= i {
        env.resize(i + 1, None);
    }
    env[i] = v;
}

fn walk(
    program: &Program,
    ir: &Ir,
    env: &mut Vec<Option<(String, Ty)>>,
    out: &mut BTreeSet<String>,
) {
    if matches!(ir, Ir::Fact(_) | Ir::Field(..) | Ir::MapField(..)) {
        if let Some((p, _)) = path_of(program, ir, env) {
            out.insert(p);
        }
    }
    match ir {
        Ir::Filter(list, slot, body) | Ir::Map(list, slot, body) | Ir::Group(list, slot, body) => {
            walk(program, list, env, out);
            let b = bind_element(program, list, env);
            set(env, *slot, b);
            walk(program, body, env, out);
        }
        Ir::Let(slot, v, body) => {
            walk(program, v, env, out);
            let b = path_of(program, v, env);
            set(env, *slot, b);
            walk(program, body, env, out);
        }
        Ir::IfSome(x, slot, a, b) => {
            walk(program, x, env, out);
            let p = path_of(program, x, env).map(|(p, t)| (p, t.strip_opt().clone()));
            set(env, *slot, p);
            walk(program, a, env, out);
            walk(program, b, env, out);
        }
        Ir::Field(x, _) | Ir::MapField(x, _) => walk(program, x, env, out),
        other => {
            let mut kids: Vec<&Ir> = Vec::new();
            visit_children(other, &mut |c| kids.push(c));
            for k in kids {
                walk(program, k, env, out);
            }
        }
    }
}
