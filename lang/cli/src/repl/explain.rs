//! `:explain OUTCOME_OR_RULE`: a quick look at a declaration in the session: the value, the
//! type, where it is declared, its doc comment and `@source` citations, and the values of the
//! rules it reads directly. For the decision tree of an outcome (criteria, thresholds, when it
//! changes by itself), `eligo explain` is the command.

use super::{shown_value, Message, Output, ReplSession};
use eligo::{OutcomeInfo, Policies, Reads, RuleInfo, Ty, Value};
use std::fmt::Write as _;

/// Longest value shown before it is cut.
const MAX_VALUE_CHARS: usize = 160;
/// Most argument combinations of a rule with parameters that are evaluated one by one.
const MAX_COMBINATIONS: usize = 16;

/// Explains an outcome (by id) or a rule (by name, or `module.name`).
pub fn explain(session: &ReplSession, name: &str) -> Output {
    let policies = session.policies();
    let mut out = Output::default();
    let outcome = policies.outcome(name);
    let rules: Vec<RuleInfo<'_>> = policies
        .rules()
        .filter(|r| {
            r.name() == name
                || name
                    .rsplit_once('.')
                    .is_some_and(|(m, n)| r.module() == m && r.name() == n)
        })
        .collect();
    if outcome.is_none() && rules.is_empty() {
        let candidates = policies
            .outcomes()
            .map(|o| o.id())
            .chain(policies.rules().map(|r| r.name()));
        let help = match eligo::closest(name, candidates) {
            Some(s) => format!("did you mean `{s}`?"),
            None => "`:explain ` and Tab lists the outcomes and rules".into(),
        };
        out.push(Message::Error(format!(
            "no outcome or rule `{name}`\n  help: {help}"
        )));
        return out;
    }
    let ex = Explainer { session, policies };
    if let Some(o) = outcome {
        out.push(Message::Info(ex.outcome(o)));
    }
    for r in rules {
        out.push(Message::Info(ex.rule(r)));
    }
    out
}

struct Explainer<'a> {
    session: &'a ReplSession,
    policies: &'a Policies,
}

impl Explainer<'_> {
    fn outcome(&self, o: OutcomeInfo<'_>) -> String {
        let value = self.value(o.reads_facts(), o.ty(), |facts, as_of| {
            self.policies.evaluate_one(o.index(), facts, as_of)
        });
        let mut s = format!("outcome \"{}\" : {} = {value}", o.id(), o.ty());
        declared(&mut s, o.declared_at(), None);
        for src in o.sources() {
            let _ = write!(s, "\n  @source({src:?})");
        }
        self.reads(&mut s, o.reads());
        s
    }

    fn rule(&self, rule: RuleInfo<'_>) -> String {
        let mut s = format!("rule {}", rule.signature());
        if rule.params().len() == 0 {
            let _ = write!(s, " = {}", self.rule_value(rule, Vec::new()));
        }
        declared(&mut s, rule.declared_at(), Some(rule.module()));
        for d in rule.docs() {
            let _ = write!(s, "\n  /// {}", d.trim());
        }
        for src in rule.sources() {
            let _ = write!(s, "\n  @source({src:?})");
        }
        if rule.params().len() > 0 {
            match self.combinations(rule) {
                Some(all) => {
                    for args in all {
                        let v = self.rule_value(rule, args.clone());
                        let _ = write!(s, "\n  {}({}) = {v}", rule.name(), self.args(rule, &args));
                    }
                }
                None => s.push_str("\n  (takes arguments: call it in an expression)"),
            }
        }
        self.reads(&mut s, rule.reads());
        s
    }

    /// Arguments as a label shows them.
    fn args(&self, rule: RuleInfo<'_>, args: &[Value]) -> String {
        let shown: Vec<String> = args
            .iter()
            .zip(rule.params())
            .map(|(v, (_, t))| shown_value(self.policies, v, t, 40))
            .collect();
        shown.join(", ")
    }

    /// Every argument combination of enum and `Bool` parameters, when there are few.
    fn combinations(&self, rule: RuleInfo<'_>) -> Option<Vec<Vec<Value>>> {
        let mut all: Vec<Vec<Value>> = vec![Vec::new()];
        for (_, t) in rule.params() {
            let values = self.policies.values_of(t)?;
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

    /// The rules, tables and fact fields read directly, with the rules' values (and the values
    /// of calls whose arguments are constants, or the variant of an outcome family).
    fn reads(&self, s: &mut String, reads: Reads<'_>) {
        if reads.rules.is_empty()
            && reads.calls.is_empty()
            && reads.tables.is_empty()
            && reads.facts.is_empty()
        {
            return;
        }
        s.push_str("\n  reads:");
        for rule in reads.rules {
            let v = self.rule_value(rule, Vec::new());
            let _ = write!(s, "\n    rule {} : {} = {v}", rule.name(), rule.ty());
        }
        for (rule, known) in reads.calls {
            match known {
                Some(args) => {
                    let shown = self.args(rule, &args);
                    let v = self.rule_value(rule, args);
                    let _ = write!(
                        s,
                        "\n    rule {}({shown}) : {} = {v}",
                        rule.name(),
                        rule.ty()
                    );
                }
                None => {
                    let _ = write!(s, "\n    rule {}", rule.signature());
                }
            }
        }
        for t in reads.tables {
            let _ = write!(s, "\n    table {t}");
        }
        for (name, ty) in reads.facts {
            let _ = write!(s, "\n    fact {name} : {ty}");
        }
    }

    fn rule_value(&self, rule: RuleInfo<'_>, args: Vec<Value>) -> String {
        self.value(rule.reads_facts(), rule.ty(), |facts, as_of| {
            self.policies.evaluate_rule(rule, args, facts, as_of)
        })
    }

    /// A value as text: the value, `(needs facts: …)`, or `(error: …)`.
    fn value(
        &self,
        reads_facts: bool,
        ty: &Ty,
        run: impl FnOnce(Option<&eligo::Facts>, chrono::NaiveDate) -> Result<Value, eligo::Error>,
    ) -> String {
        let facts = self.session.facts();
        if facts.is_none() && reads_facts {
            return "? (it reads the facts: load them with `:facts FILE`)".into();
        }
        match run(facts, self.session.as_of_date()) {
            Ok(v) => shown_value(self.policies, &v, ty, MAX_VALUE_CHARS),
            Err(e) => format!("? (error: {})", one_line(&e)),
        }
    }
}

/// `declared in FILE:LINE (module M)`
fn declared(s: &mut String, (file, line): (&str, usize), module: Option<&str>) {
    let _ = write!(s, "\n  declared in {file}:{line}");
    if let Some(m) = module {
        let _ = write!(s, " (module {m})");
    }
}

/// An error's message as a rendered diagnostic's first line shows it.
fn one_line(e: &eligo::Error) -> String {
    e.diagnostics()
        .iter()
        .next()
        .map_or_else(String::new, |d| d.message)
}
