//! Test cases that policy authors keep next to their policies (`*.test.json`): facts (inline or
//! a file), an evaluation date, and the expected values of outcomes or rules. [`run_case`] runs
//! one case; the command line finds the files, prints failures with explanations, and reports
//! rule coverage.

pub mod update;

use crate::diag::{Error, ErrorKind};
use crate::eval::output::json_value;
use crate::eval::{Compiled, Evaluation, Limits, TraceKind, TraceNode};
use crate::facts::{load_facts, Facts, LoadOptions};
use crate::model::names::closest_first;
use crate::model::{Program, Ty, Value};
use chrono::NaiveDate;
use serde::Deserialize;
use std::collections::BTreeMap;

/// A test file: a list of cases.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TestFile {
    /// What the file tests.
    #[serde(default)]
    pub description: Option<String>,
    /// The cases.
    pub tests: Vec<TestCase>,
}

/// One case.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TestCase {
    /// Its name.
    pub name: String,
    /// Facts inline (a JSON object).
    #[serde(default)]
    pub facts: Option<serde_json::Value>,
    /// Or a facts file, relative to the test file.
    #[serde(default)]
    pub facts_file: Option<String>,
    /// A JSON merge patch (RFC 7386) applied to the facts before they are read: objects merge
    /// key by key, `null` removes a key, anything else replaces the value (lists whole).
    #[serde(default)]
    pub patch: Option<serde_json::Value>,
    /// The evaluation date (default: the facts' `as_of`).
    #[serde(default)]
    pub as_of: Option<String>,
    /// What is expected.
    pub expect: Expect,
}

/// Expected values.
#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Expect {
    /// Outcome id → expected JSON value.
    #[serde(default, deserialize_with = "unique_keys")]
    pub outcomes: BTreeMap<String, serde_json::Value>,
    /// Rule (`name` or `name(variant, …)` for enum and boolean parameters) → expected JSON value.
    #[serde(default, deserialize_with = "unique_keys")]
    pub rules: BTreeMap<String, serde_json::Value>,
}

/// An object of expectations whose keys are all different: a key written twice is an error
/// naming it (serde_json adds the line and column), never one value silently dropped.
fn unique_keys<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<BTreeMap<String, serde_json::Value>, D::Error> {
    struct Unique;
    impl<'de> serde::de::Visitor<'de> for Unique {
        type Value = BTreeMap<String, serde_json::Value>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("an object of expected values")
        }
        fn visit_map<A: serde::de::MapAccess<'de>>(
            self,
            mut map: A,
        ) -> Result<Self::Value, A::Error> {
            let mut out = BTreeMap::new();
            while let Some(key) = map.next_key::<String>()? {
                if out.contains_key(&key) {
                    return Err(serde::de::Error::custom(format!(
                        "`{key}` is expected twice in one case"
                    )));
                }
                let value = map.next_value()?;
                out.insert(key, value);
            }
            Ok(out)
        }
    }
    d.deserialize_map(Unique)
}

/// One expectation that did not hold.
#[derive(Debug, Clone)]
pub struct Mismatch {
    /// The outcome id or rule.
    pub what: String,
    /// Whether it is an outcome (its index) or a rule.
    pub outcome: Option<usize>,
    /// Expected, as JSON.
    pub expected: String,
    /// Actual, as JSON (or the error).
    pub actual: String,
}

/// The result of one case.
#[derive(Debug, Clone)]
pub struct CaseResult {
    /// Expectations that did not hold.
    pub mismatches: Vec<Mismatch>,
    /// Rules evaluated (by id), for coverage.
    pub rules_run: Vec<u32>,
    /// The evaluation date used.
    pub as_of: NaiveDate,
    /// The facts, for explanations of failures.
    pub facts: Facts,
    /// The name the facts were read under.
    pub facts_name: String,
    /// Expectations checked.
    pub checked: usize,
}

/// Parses a test file.
pub fn parse_test_file(name: &str, text: &str) -> Result<TestFile, Error> {
    serde_json::from_str(text).map_err(|e| {
        let msg = e.to_string();
        Error::in_file(name, ErrorKind::BadTestFile { message: msg })
    })
}

/// Reads a facts file named relative to the test file: its display name and text.
pub type ReadFacts<'a> = dyn Fn(&str) -> Result<(String, String), Error> + 'a;

/// Runs one case. `read` reads a facts file named relative to the test file.
pub fn run_case(
    compiled: &Compiled,
    case: &TestCase,
    read: &ReadFacts<'_>,
) -> Result<CaseResult, Error> {
    let program = compiled.program();
    let (name, text) = match (&case.facts, &case.facts_file) {
        (Some(v), None) => (format!("{} (inline facts)", case.name), v.to_string()),
        (None, Some(f)) => read(f)?,
        _ => {
            return Err(Error::bare(ErrorKind::TestCaseFacts {
                case: case.name.clone(),
            }))
        }
    };
    let (name, text) = patched(case, name, text);
    let facts = load_facts(
        program.facts_view(),
        &name,
        &text,
        LoadOptions {
            strict: true,
            ..LoadOptions::default()
        },
    )?;
    let as_of = match &case.as_of {
        Some(d) => crate::facts::parse_date(d)
            .ok_or_else(|| Error::bare(ErrorKind::BadCliDate { text: d.clone() }))?,
        None => facts
            .as_of
            .ok_or_else(|| Error::bare(ErrorKind::NoEvaluationDate))?,
    };
    let mut ev = Evaluation::new(compiled, facts.fields(), as_of, Limits::default()).with_tree();
    let mut mismatches = Vec::new();
    let mut checked = 0;
    for (id, want) in &case.expect.outcomes {
        checked += 1;
        let Some(i) = program.outcomes.iter().position(|o| &o.id == id) else {
            mismatches.push(Mismatch {
                what: id.clone(),
                outcome: None,
                expected: want.to_string(),
                actual: no_such_outcome(program, id),
            });
            continue;
        };
        let actual = match ev.outcome(i) {
            Ok(v) => json_of(program, &v, &program.outcomes[i].ty),
            Err(e) => format!("error {}: {e}", e.code()),
        };
        if !same_json(want, &actual) {
            mismatches.push(Mismatch {
                what: id.clone(),
                outcome: Some(i),
                expected: want.to_string(),
                actual,
            });
        }
    }
    for (rule, want) in &case.expect.rules {
        checked += 1;
        let actual = match rule_value(program, &mut ev, rule) {
            Ok((v, ty)) => json_of(program, &v, &ty),
            Err(msg) => msg,
        };
        if !same_json(want, &actual) {
            mismatches.push(Mismatch {
                what: rule.clone(),
                outcome: None,
                expected: want.to_string(),
                actual,
            });
        }
    }
    let mut rules_run = Vec::new();
    for t in ev.take_trees() {
        collect_rules(&t, &mut rules_run);
    }
    Ok(CaseResult {
        mismatches,
        rules_run,
        as_of,
        facts,
        facts_name: name,
        checked,
    })
}

/// The facts with the case's patch applied, under a name that says so. Facts that are not JSON
/// are left as they are, for the facts reader to report.
fn patched(case: &TestCase, name: String, text: String) -> (String, String) {
    let Some(patch) = &case.patch else {
        return (name, text);
    };
    match serde_json::from_str::<serde_json::Value>(&text) {
        Ok(mut doc) => {
            json_patch::merge(&mut doc, patch);
            (
                format!("{name}, patched by `{}`", case.name),
                doc.to_string(),
            )
        }
        Err(_) => (name, text),
    }
}

/// `no such outcome; the outcomes are `a`, `b`, …` with the closest ids first (ten at most).
fn no_such_outcome(program: &Program, id: &str) -> String {
    const SHOWN: usize = 10;
    let ranked = closest_first(id, program.outcomes.iter().map(|o| o.id.as_str()));
    if ranked.is_empty() {
        return "no such outcome; the policies have no outcomes".into();
    }
    let mut list: Vec<String> = ranked
        .iter()
        .take(SHOWN)
        .map(|i| format!("`{i}`"))
        .collect();
    if ranked.len() > SHOWN {
        list.push(format!("and {} more", ranked.len() - SHOWN));
    }
    format!(
        "no such outcome; the outcomes, closest first: {}",
        list.join(", ")
    )
}

fn collect_rules(t: &TraceNode, out: &mut Vec<u32>) {
    if let TraceKind::Rule { rule, .. } = &t.kind {
        out.push(*rule);
    }
    for c in &t.children {
        collect_rules(c, out);
    }
}

/// A value as JSON, or the internal error that kept it from being written (a mismatch then,
/// never a plausible value).
fn json_of(program: &Program, v: &Value, ty: &Ty) -> String {
    let mut s = String::new();
    match json_value(&mut s, program, v, ty) {
        Ok(()) => s,
        Err(e) => format!("error {}: {e}", e.code()),
    }
}

/// `name` or `name(a, b)` with enum variant or boolean arguments.
fn rule_value(
    program: &Program,
    ev: &mut Evaluation<'_>,
    call: &str,
) -> Result<(Value, Ty), String> {
    let (name, args) = match call.split_once('(') {
        Some((n, rest)) => (
            n.trim(),
            rest.trim_end_matches(')')
                .split(',')
                .map(str::trim)
                .filter(|a| !a.is_empty())
                .collect::<Vec<_>>(),
        ),
        None => (call.trim(), Vec::new()),
    };
    let Some(r) = program.rule(name) else {
        return Err(format!("no rule `{name}`"));
    };
    let def = &program.rules[r];
    if def.params.len() != args.len() {
        return Err(format!("`{name}` takes {} argument(s)", def.params.len()));
    }
    let mut values = Vec::new();
    for (a, (_, ty)) in args.iter().zip(&def.params) {
        let v = match ty {
            Ty::Enum(e, _) => program.enums[*e as usize]
                .variants
                .iter()
                .position(|v| &**v == *a)
                .map(|i| Value::Enum(i as u32))
                .ok_or_else(|| format!("`{a}` is not a value of `{ty}`"))?,
            Ty::Bool => match *a {
                "true" | "yes" => Value::Bool(true),
                "false" | "no" => Value::Bool(false),
                other => return Err(format!("`{other}` is not a boolean (true/yes or false/no)")),
            },
            _ => {
                return Err(format!(
                    "tests give arguments only to enum and boolean parameters (`{name}`)"
                ))
            }
        };
        values.push(v);
    }
    ev.rule(r as u32, values)
        .map(|v| (v, def.ty.clone()))
        .map_err(|e| format!("error {}: {e}", e.code()))
}

/// Whether an expected JSON value equals the actual JSON text (numbers compared as decimals).
pub fn same_json(want: &serde_json::Value, actual: &str) -> bool {
    match serde_json::from_str::<serde_json::Value>(actual) {
        Ok(a) => json_eq(want, &a),
        Err(_) => false,
    }
}

fn json_eq(a: &serde_json::Value, b: &serde_json::Value) -> bool {
    use serde_json::Value as J;
    match (a, b) {
        (J::Number(x), J::Number(y)) => {
            let p = |n: &serde_json::Number| {
                rust_decimal::Decimal::from_str_exact(&n.to_string())
                    .ok()
                    .map(|d| d.normalize())
            };
            p(x).is_some() && p(x) == p(y)
        }
        (J::Array(x), J::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| json_eq(p, q))
        }
        (J::Object(x), J::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| json_eq(v, w)))
        }
        _ => a == b,
    }
}

#[cfg(test)]
mod tests {
    use super::same_json;

    #[test]
    fn numbers_compare_as_decimals() {
        assert!(same_json(&serde_json::json!(72.5), "72.50"));
        assert!(same_json(&serde_json::json!([1, "a"]), "[1.0,\"a\"]"));
        assert!(!same_json(&serde_json::json!(72.5), "72.49"));
        assert!(!same_json(
            &serde_json::json!({"a": 1}),
            "{\"a\":1,\"b\":2}"
        ));
    }
}
