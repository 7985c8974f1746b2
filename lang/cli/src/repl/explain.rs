//! `:explain OUTCOME_OR_RULE`, for now: the value, the type, where it is declared, its doc
//! comment and `@source` citations, and the values of the rules it reads.
//!
//! This is a stand-in for `eligo explain` (criteria, thresholds, when an outcome changes). When
//! that lands, make [`explain`] call it: the REPL reaches explanations only through this function.

use super::{facts_read, rule_signature, shown_value, Message, Output, ReplSession};
use eligo::eval::Compiled;
use eligo::eval::{Evaluation, Limits};
use eligo::model::ir::Ir;
use eligo::model::ty::Ty;
use eligo::model::value::Value;
use eligo::source::Span;
use std::fmt::Write as _;

/// Longest value shown before it is cut.
const MAX_VALUE_CHARS: usize = 160;
/// Most argument combinations of a rule with parameters that are evaluated one by one.
const MAX_COMBINATIONS: usize = 16;

/// Explains an outcome (by id) or a rule (by name, or `module.name`).
pub fn explain(session: &ReplSession, name: &str) -> Output {
    let program = session.program();
    let mut out = Output::default();
    let outcome = program.program().outcomes.iter().position(|o| o.id == name);
    let rules: Vec<usize> = program
        .program()
        .rules
        .iter()
        .enumerate()
        .filter(|(_, r)| {
            &*r.name == name
                || name
                    .rsplit_once('.')
                    .is_some_and(|(m, n)| r.module == m && &*r.name == n)
        })
        .map(|(i, _)| i)
        .collect();
    if outcome.is_none() && rules.is_empty() {
        let candidates = program
            .program()
            .outcomes
            .iter()
            .map(|o| o.id.as_str())
            .chain(program.program().rules.iter().map(|r| &*r.name));
        let help = match eligo::model::names::closest(name, candidates) {
            Some(s) => format!("did you mean `{s}`?"),
            None => "`:explain ` and Tab lists the outcomes and rules".into(),
        };
        out.push(Message::Error(format!(
            "no outcome or rule `{name}`\n  help: {help}"
        )));
        return out;
    }
    let ex = Explainer { session, program };
    if let Some(i) = outcome {
        out.push(Message::Info(ex.outcome(i)));
    }
    for r in rules {
        out.push(Message::Info(ex.rule(r)));
    }
    out
}

struct Explainer<'a> {
    session: &'a ReplSession,
    program: &'a Compiled,
}

impl Explainer<'_> {
    fn outcome(&self, i: usize) -> String {
        let o = &self.program.program().outcomes[i];
        let mut s = format!(
            "outcome \"{}\" : {} = {}",
            o.id,
            o.ty,
            self.value(&o.body, &o.ty, |ev| ev.outcome(i))
        );
        self.declared(&mut s, o.span, None);
        for src in &o.sources {
            let _ = write!(s, "\n  @source({src:?})");
        }
        self.reads(&mut s, &o.body, o.binding.as_ref());
        s
    }

    fn rule(&self, r: usize) -> String {
        let rule = &self.program.program().rules[r];
        let mut s = format!("rule {}", rule_signature(rule));
        if rule.params.is_empty() {
            let _ = write!(
                s,
                " = {}",
                self.value(&rule.body, &rule.ty, |ev| ev.rule(r as u32, Vec::new()))
            );
        }
        self.declared(&mut s, rule.span, Some(&rule.module));
        for d in &rule.docs {
            let _ = write!(s, "\n  /// {}", d.trim());
        }
        for src in &rule.sources {
            let _ = write!(s, "\n  @source({src:?})");
        }
        if !rule.params.is_empty() {
            match self.combinations(&rule.params) {
                Some(all) => {
                    for args in all {
                        let shown: Vec<String> = args
                            .iter()
                            .zip(&rule.params)
                            .map(|(v, (_, t))| shown_value(self.program.program(), v, t, 40))
                            .collect();
                        let v =
                            self.value(&rule.body, &rule.ty, |ev| ev.rule(r as u32, args.clone()));
                        let _ = write!(s, "\n  {}({}) = {v}", rule.name, shown.join(", "));
                    }
                }
                None => s.push_str("\n  (takes arguments: call it in an expression)"),
            }
        }
        self.reads(&mut s, &rule.body, None);
        s
    }

    /// Every argument combination of enum and `Bool` parameters, when there are few.
    fn combinations(&self, params: &[(std::sync::Arc<str>, Ty)]) -> Option<Vec<Vec<Value>>> {
        let mut all: Vec<Vec<Value>> = vec![Vec::new()];
        for (_, t) in params {
            let values: Vec<Value> = match t {
                Ty::Enum(e, _) => (0..self.program.program().enums[*e as usize].variants.len()
                    as u32)
                    .map(Value::Enum)
                    .collect(),
                Ty::Bool => vec![Value::Bool(false), Value::Bool(true)],
                _ => return None,
            };
            all = all
                .into_iter()
                .flat_map(|prefix| {
                    values.iter().map(move |v| {
                        let mut p = prefix.clone();
                        p.push(v.clone());
                        p
                    })
                })
                .collect();
            if all.len() > MAX_COMBINATIONS {
                return None;
            }
        }
        Some(all)
    }

    /// `declared in FILE:LINE (module M)`
    fn declared(&self, s: &mut String, span: Span, module: Option<&str>) {
        let sources = &self.program.program().sources;
        let (line, _) = sources.line_col(span);
        let _ = write!(
            s,
            "\n  declared in {}:{line}",
            sources.get(span.source).name
        );
        if let Some(m) = module {
            let _ = write!(s, " (module {m})");
        }
    }

    /// The rules, tables and fact fields a body reads directly, with the rules' values (and the
    /// values of calls whose arguments are constants, or the variant of an outcome family).
    fn reads(&self, s: &mut String, body: &Ir, binding: Option<&Value>) {
        let mut rules: Vec<u32> = Vec::new();
        let mut calls: Vec<(u32, Option<Vec<Value>>)> = Vec::new();
        let mut tables: Vec<u32> = Vec::new();
        let mut facts: Vec<u32> = Vec::new();
        let add = |v: &mut Vec<u32>, x: u32| {
            if !v.contains(&x) {
                v.push(x);
            }
        };
        eligo::model::ir::visit(body, &mut |n| match n {
            Ir::Rule(r) => add(&mut rules, *r),
            Ir::Call(r, args) => {
                let known: Option<Vec<Value>> = args
                    .iter()
                    .map(|a| match a {
                        Ir::Const(v) => Some(v.clone()),
                        Ir::Local(0) => binding.cloned(),
                        _ => None,
                    })
                    .collect();
                if !calls.iter().any(|(c, k)| c == r && *k == known) {
                    calls.push((*r, known));
                }
            }
            Ir::Table(t) | Ir::Lookup(t, _) => add(&mut tables, *t),
            Ir::Fact(f) => add(&mut facts, *f),
            _ => {}
        });
        if rules.is_empty() && calls.is_empty() && tables.is_empty() && facts.is_empty() {
            return;
        }
        s.push_str("\n  reads:");
        let p = self.program;
        for &r in &rules {
            let rule = &p.program().rules[r as usize];
            let v = self.value(&rule.body, &rule.ty, |ev| ev.rule(r, Vec::new()));
            let _ = write!(s, "\n    rule {} : {} = {v}", rule.name, rule.ty);
        }
        for (r, known) in &calls {
            let rule = &p.program().rules[*r as usize];
            match known {
                Some(args) => {
                    let shown: Vec<String> = args
                        .iter()
                        .zip(&rule.params)
                        .map(|(v, (_, t))| shown_value(p.program(), v, t, 40))
                        .collect();
                    let v = self.value(&rule.body, &rule.ty, |ev| ev.rule(*r, args.clone()));
                    let _ = write!(
                        s,
                        "\n    rule {}({}) : {} = {v}",
                        rule.name,
                        shown.join(", "),
                        rule.ty
                    );
                }
                None => {
                    let _ = write!(s, "\n    rule {}", rule_signature(rule));
                }
            }
        }
        for &t in &tables {
            let _ = write!(s, "\n    table {}", p.program().tables[t as usize].name);
        }
        if let Some(schema) = &p.program().facts {
            for &f in &facts {
                if let Some(field) = schema.root.fields.get(f as usize) {
                    let _ = write!(s, "\n    fact {} : {}", field.name, field.ty);
                }
            }
        }
    }

    /// A value as text: the value, `(needs facts: …)`, or `(error: …)`.
    fn value(
        &self,
        body: &Ir,
        ty: &Ty,
        run: impl FnOnce(&mut Evaluation<'_>) -> Result<Value, eligo::diag::Error>,
    ) -> String {
        let p = self.program;
        let facts: &[Value] = match &self.session.facts {
            Some(f) => f.facts.fields(),
            None if facts_read(p, &[body]).is_empty() => &[],
            None => return "? (it reads the facts: load them with `:facts FILE`)".into(),
        };
        let mut ev = Evaluation::new(p, facts, self.session.as_of_date(), Limits::default());
        match run(&mut ev) {
            Ok(v) => shown_value(p.program(), &v, ty, MAX_VALUE_CHARS),
            Err(e) => format!("? (error: {})", e.render(&p.program().sources)),
        }
    }
}
