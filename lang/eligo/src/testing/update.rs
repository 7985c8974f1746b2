//! `eligo test --update`: the expected values of failing expectations rewritten in place in the
//! test file's text. Only each replaced value changes: the keys, their order, the comments of
//! the layout, the other values and the indentation stay as they are, so a reviewed change shows
//! in version control as the values it changed and nothing else. A value written on one line is
//! replaced on one line; a list or record written over several lines is written over several,
//! with the file's indentation step.

use super::{Mismatch, TestCase};
use crate::diag::{FactsPath, PathSeg};
use crate::facts::locate::value_span;
use serde_json::Value as Json;

/// One expectation to rewrite: in the case at `case` (from 0), under `"outcomes"` or `"rules"`,
/// the value of `key`.
#[derive(Debug, Clone, PartialEq)]
pub struct Update {
    /// The case's position in the file's `tests`.
    pub case: usize,
    /// Under `expect.rules` rather than `expect.outcomes`.
    pub rule: bool,
    /// The outcome id or rule call, as the file writes it.
    pub key: String,
    /// The new expected value.
    pub value: Json,
    /// The expected value it replaces.
    pub old: Json,
    /// The case's name.
    pub name: String,
}

impl Update {
    /// The update that makes a failed expectation of case `index` hold: none when what was
    /// found is no value (an error, an outcome that does not exist).
    pub fn of(index: usize, case: &TestCase, m: &Mismatch) -> Option<Update> {
        let value: Json = serde_json::from_str(&m.actual).ok()?;
        let rule = m.outcome.is_none() && case.expect.rules.contains_key(&m.what);
        let old = if rule {
            case.expect.rules.get(&m.what)
        } else {
            case.expect.outcomes.get(&m.what)
        }?;
        Some(Update {
            case: index,
            rule,
            key: m.what.clone(),
            value,
            old: old.clone(),
            name: case.name.clone(),
        })
    }

    fn path(&self) -> FactsPath {
        FactsPath(vec![
            PathSeg::Key("tests".into()),
            PathSeg::Index(self.case),
            PathSeg::Key("expect".into()),
            PathSeg::Key(if self.rule { "rules" } else { "outcomes" }.into()),
            PathSeg::Key(self.key.clone()),
        ])
    }
}

/// The text with every update made, or the first update whose value the text does not hold
/// (as `tests[2].expect.outcomes.id`).
pub fn apply(text: &str, updates: &[Update]) -> Result<String, String> {
    let mut spans = Vec::with_capacity(updates.len());
    for u in updates {
        let Some((start, end)) = value_span(text, &u.path()) else {
            let kind = if u.rule { "rules" } else { "outcomes" };
            return Err(format!("tests[{}].expect.{kind}.{}", u.case, u.key));
        };
        spans.push((start, end, u));
    }
    // From the end, so that the earlier offsets stay right.
    spans.sort_by_key(|s| std::cmp::Reverse(s.0));
    let step = indent_step(text);
    let mut out = text.to_string();
    for (start, end, u) in spans {
        let old = &text[start..end];
        let new = if old.contains('\n') {
            let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
            let indent: String = text[line_start..]
                .chars()
                .take_while(|c| *c == ' ' || *c == '\t')
                .collect();
            let mut s = String::new();
            pretty(&u.value, &indent, &step, &mut s);
            s
        } else {
            inline(&u.value)
        };
        out.replace_range(start..end, &new);
    }
    Ok(out)
}

/// The file's indentation step: the smallest indentation of a line (two spaces without one).
fn indent_step(text: &str) -> String {
    text.lines()
        .map(|l| {
            l.chars()
                .take_while(|c| *c == ' ' || *c == '\t')
                .collect::<String>()
        })
        .filter(|i| !i.is_empty())
        .min_by_key(|i| i.len())
        .unwrap_or_else(|| "  ".to_string())
}

/// A value on one line: `[1, 2]`, `{"a": 1}`.
pub fn inline(v: &Json) -> String {
    match v {
        Json::Array(items) => {
            let parts: Vec<String> = items.iter().map(inline).collect();
            format!("[{}]", parts.join(", "))
        }
        Json::Object(m) => {
            let parts: Vec<String> = m
                .iter()
                .map(|(k, v)| format!("{}: {}", Json::String(k.clone()), inline(v)))
                .collect();
            format!("{{{}}}", parts.join(", "))
        }
        other => other.to_string(),
    }
}

/// A value over several lines, its first line continuing the key's line at `indent`.
fn pretty(v: &Json, indent: &str, step: &str, out: &mut String) {
    let inner = format!("{indent}{step}");
    match v {
        Json::Array(items) if !items.is_empty() => {
            out.push_str("[\n");
            for (i, item) in items.iter().enumerate() {
                out.push_str(&inner);
                pretty(item, &inner, step, out);
                out.push_str(if i + 1 < items.len() { ",\n" } else { "\n" });
            }
            out.push_str(indent);
            out.push(']');
        }
        Json::Object(m) if !m.is_empty() => {
            out.push_str("{\n");
            for (i, (k, item)) in m.iter().enumerate() {
                out.push_str(&inner);
                out.push_str(&Json::String(k.clone()).to_string());
                out.push_str(": ");
                pretty(item, &inner, step, out);
                out.push_str(if i + 1 < m.len() { ",\n" } else { "\n" });
            }
            out.push_str(indent);
            out.push('}');
        }
        other => out.push_str(&inline(other)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "{\n  \"tests\": [\n    {\n      \"name\": \"a\",\n      \"expect\": {\n        \"outcomes\": {\"x\": true, \"y\": [1, 2]},\n        \"rules\": {\n          \"r(no)\": [\n            \"a\"\n          ]\n        }\n      }\n    }\n  ]\n}\n";

    #[test]
    fn only_the_values_change_and_keep_their_layout() {
        let updates = [
            Update {
                case: 0,
                rule: false,
                key: "x".into(),
                value: Json::Bool(false),
                old: Json::Bool(true),
                name: "a".into(),
            },
            Update {
                case: 0,
                rule: false,
                key: "y".into(),
                value: serde_json::json!([3]),
                old: serde_json::json!([1, 2]),
                name: "a".into(),
            },
            Update {
                case: 0,
                rule: true,
                key: "r(no)".into(),
                value: serde_json::json!(["b", "c"]),
                old: serde_json::json!(["a"]),
                name: "a".into(),
            },
        ];
        let out = apply(FILE, &updates).unwrap();
        let expected = FILE
            .replace("\"x\": true", "\"x\": false")
            .replace("[1, 2]", "[3]")
            .replace(
                "\"a\"\n          ]",
                "\"b\",\n            \"c\"\n          ]",
            );
        assert_eq!(out, expected);
    }

    #[test]
    fn a_missing_expectation_is_named() {
        let u = Update {
            case: 3,
            rule: false,
            key: "x".into(),
            value: Json::Null,
            old: Json::Null,
            name: "a".into(),
        };
        assert_eq!(apply(FILE, &[u]).unwrap_err(), "tests[3].expect.outcomes.x");
    }
}
