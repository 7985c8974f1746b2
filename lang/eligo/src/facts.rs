//! Facts: one JSON document per partner, read straight into typed [`Value`]s by a
//! [`serde::de::DeserializeSeed`] that follows the policies' `facts` declaration. There is no
//! intermediate JSON tree; every number is read from its decimal text (never through a binary
//! float); every problem names its JSON path.

mod seed;

pub use seed::parse_date;

use crate::diag::{Error, ErrorKind, Location};
use crate::model::{FactsView, Value};
use chrono::NaiveDate;
use std::sync::Arc;

/// Largest facts document accepted by default, in bytes.
pub const DEFAULT_MAX_FACTS_BYTES: u64 = 64 * 1024 * 1024;
/// Longest list accepted in facts by default.
pub const DEFAULT_MAX_LIST_LEN: usize = 1_000_000;

/// How facts are read.
#[derive(Debug, Clone)]
pub struct LoadOptions {
    /// Unknown keys are errors (otherwise warnings).
    pub strict: bool,
    /// Longest list accepted.
    pub max_list_len: usize,
    /// Which root fields of the facts to read, by slot ([`crate::model::Program::roots_read`]); the others are
    /// checked as JSON only. `None` reads everything.
    pub roots: Option<std::sync::Arc<[bool]>>,
}

impl Default for LoadOptions {
    fn default() -> Self {
        LoadOptions {
            strict: false,
            max_list_len: DEFAULT_MAX_LIST_LEN,
            roots: None,
        }
    }
}

/// The facts of one partner, typed.
#[derive(Debug, Clone)]
pub struct Facts {
    /// The root record, fields in the declared order.
    pub root: Value,
    /// The document's `as_of`, if any.
    pub as_of: Option<NaiveDate>,
    /// The partner id (`identified by`).
    pub partner: Option<Arc<str>>,
    /// Unknown keys that were ignored.
    pub warnings: Vec<String>,
}

impl Facts {
    /// The root record's fields.
    pub fn fields(&self) -> &[Value] {
        match &self.root {
            Value::Record(r) => r,
            _ => &[],
        }
    }
}

/// Reads one facts document against the policies' facts declaration. `name` is the file name
/// shown in errors.
pub fn load_facts(
    view: FactsView<'_>,
    name: &str,
    text: &str,
    options: LoadOptions,
) -> Result<Facts, Error> {
    let Some(schema) = view.schema else {
        return Err(Error::in_file(name, ErrorKind::NoFactsDeclared));
    };
    let ctx = seed::Ctx::new(view.enums, schema, options);
    let mut de = serde_json::Deserializer::from_str(text);
    let result = serde::de::DeserializeSeed::deserialize(seed::RootSeed { ctx: &ctx }, &mut de)
        .and_then(|v| {
            de.end()?;
            Ok(v)
        });
    match result {
        Ok((root, as_of)) => {
            let partner = partner_id(&root, &schema.id_path);
            Ok(Facts {
                root,
                as_of,
                partner,
                warnings: ctx.take_warnings(),
            })
        }
        Err(e) => Err(json_error(name, text, &e)),
    }
}

fn partner_id(root: &Value, path: &[usize]) -> Option<Arc<str>> {
    if path.is_empty() {
        return None;
    }
    let mut v = root;
    for &slot in path {
        match v {
            Value::Record(r) => v = r.get(slot)?,
            _ => return None,
        }
    }
    match v {
        Value::Text(t) => Some(t.clone()),
        _ => None,
    }
}

/// Turns a serde_json error into a diagnostic pointing into the facts text.
pub fn json_error(name: &str, text: &str, e: &serde_json::Error) -> Error {
    let after = offset_of(text, e.line(), e.column());
    let full = e.to_string();
    let suffix = format!(" at line {} column {}", e.line(), e.column());
    let msg = full.strip_suffix(&suffix).unwrap_or(&full).to_string();
    let (kind, (offset, len)) = match msg.split_once(seed::PATH_SEP) {
        Some((path, problem)) => {
            let kind = if let Some(rest) = problem.strip_prefix(seed::UNKNOWN_KEY) {
                ErrorKind::UnknownFactsKey {
                    path: path.to_string(),
                    suggestion: (!rest.is_empty()).then(|| rest.to_string()),
                }
            } else {
                ErrorKind::FactsValue {
                    path: path.to_string(),
                    problem: problem.to_string(),
                }
            };
            // serde reports the position just after the value it was reading: underline it.
            (kind, token_before(text, after))
        }
        None if text.trim().is_empty() => (
            ErrorKind::FactsSyntax {
                message: "the facts file is empty".into(),
            },
            (0, 0),
        ),
        None => (
            ErrorKind::FactsSyntax { message: msg },
            (after.saturating_sub(1), usize::from(after > 0)),
        ),
    };
    Error::new(
        kind,
        Location::File {
            name: name.to_string(),
            text: text.into(),
            offset,
            len,
        },
    )
}

/// The JSON token that ends just before `end`: a string, a number or word, or a bracket.
fn token_before(text: &str, end: usize) -> (usize, usize) {
    let b = text.as_bytes();
    let mut i = end.min(b.len());
    while i > 0 && (b[i - 1] as char).is_ascii_whitespace() {
        i -= 1;
    }
    if i == 0 {
        return (0, 0);
    }
    let stop = i;
    match b[i - 1] {
        b'"' => {
            i -= 1;
            while i > 0 {
                i -= 1;
                if b[i] == b'"' && (i == 0 || b[i - 1] != b'\\') {
                    return (i, stop - i);
                }
            }
            (0, stop)
        }
        c if c.is_ascii_alphanumeric() || c == b'.' || c == b'-' || c == b'+' => {
            while i > 0
                && (b[i - 1].is_ascii_alphanumeric() || matches!(b[i - 1], b'.' | b'-' | b'+'))
            {
                i -= 1;
            }
            (i, stop - i)
        }
        _ => (i - 1, 1),
    }
}

fn offset_of(text: &str, line: usize, column: usize) -> usize {
    if line == 0 {
        return 0;
    }
    let mut offset = 0;
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i + 1 == line {
            // serde_json's column is 1-based and counts bytes; it points just past the problem.
            return (offset + column).min(text.len());
        }
        offset += l.len();
    }
    text.len()
}

#[cfg(test)]
mod tests {
    use super::token_before;

    #[test]
    fn the_token_before_a_position_is_underlined() {
        let t = r#"{"a": "x\"y", "b": 12.5 }"#;
        let after_string = t.find(", \"b").unwrap();
        assert_eq!(
            &t[token_before(t, after_string).0..][..token_before(t, after_string).1],
            r#""x\"y""#
        );
        let after_number = t.find(" }").unwrap();
        let (s, l) = token_before(t, after_number);
        assert_eq!(&t[s..s + l], "12.5");
        let (s, l) = token_before(t, t.len());
        assert_eq!(&t[s..s + l], "}");
    }
}
