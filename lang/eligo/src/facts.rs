//! Facts: one JSON document per partner, read straight into typed [`Value`]s by a
//! [`serde::de::DeserializeSeed`] that follows the policies' `facts` declaration. There is no
//! intermediate JSON tree; every number is read from its decimal text (never through a binary
//! float); every problem names its JSON path.

mod seed;

use crate::diag::{Error, ErrorKind, Location};
use crate::eval::value::Value;
use crate::program::Program;
use chrono::NaiveDate;
use std::sync::Arc;

/// Largest facts document accepted by default, in bytes.
pub const DEFAULT_MAX_FACTS_BYTES: u64 = 64 * 1024 * 1024;
/// Longest list accepted in facts by default.
pub const DEFAULT_MAX_LIST_LEN: usize = 1_000_000;

/// How facts are read.
#[derive(Debug, Clone, Copy)]
pub struct LoadOptions {
    /// Unknown keys are errors (otherwise warnings).
    pub strict: bool,
    /// Longest list accepted.
    pub max_list_len: usize,
}

impl Default for LoadOptions {
    fn default() -> Self {
        LoadOptions {
            strict: false,
            max_list_len: DEFAULT_MAX_LIST_LEN,
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

/// Reads one facts document. `name` is the file name shown in errors.
pub fn load_facts(
    program: &Program,
    name: &str,
    text: &str,
    options: LoadOptions,
) -> Result<Facts, Error> {
    let Some(schema) = &program.facts else {
        return Err(Error::in_file(name, ErrorKind::NoFactsDeclared));
    };
    let ctx = seed::Ctx::new(program, schema, options);
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
    let offset = offset_of(text, e.line(), e.column());
    let full = e.to_string();
    let suffix = format!(" at line {} column {}", e.line(), e.column());
    let msg = full.strip_suffix(&suffix).unwrap_or(&full).to_string();
    let kind = match msg.split_once(seed::PATH_SEP) {
        Some((path, problem)) => {
            if let Some(rest) = problem.strip_prefix(seed::UNKNOWN_KEY) {
                ErrorKind::UnknownFactsKey {
                    path: path.to_string(),
                    suggestion: (!rest.is_empty()).then(|| rest.to_string()),
                }
            } else {
                ErrorKind::FactsValue {
                    path: path.to_string(),
                    problem: problem.to_string(),
                }
            }
        }
        None => ErrorKind::FactsSyntax { message: msg },
    };
    Error::new(
        kind,
        Location::File {
            name: name.to_string(),
            text: text.into(),
            offset,
        },
    )
}

fn offset_of(text: &str, line: usize, column: usize) -> usize {
    if line == 0 {
        return 0;
    }
    let mut offset = 0;
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i + 1 == line {
            // serde_json's column is 1-based and counts bytes; it points just past the problem.
            return (offset + column.saturating_sub(1))
                .min(text.len().saturating_sub(1).max(offset));
        }
        offset += l.len();
    }
    text.len()
}
