//! Facts: one JSON document per partner, read straight into typed [`Value`]s by a
//! [`serde::de::DeserializeSeed`] that follows the policies' `facts` declaration. There is no
//! intermediate JSON tree; every number is read from its decimal text (never through a binary
//! float); every problem names its JSON path.

pub mod locate;
mod seed;

pub use seed::{parse_date, MAX_FACTS_WARNINGS};

use crate::diag::{Error, ErrorKind, FactsWarning};
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
    /// Unknown keys that were ignored (the first [`MAX_FACTS_WARNINGS`]).
    pub warnings: Vec<FactsWarning>,
    /// How many more unknown keys were ignored, past those.
    pub warnings_left_out: u64,
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
                warnings_left_out: ctx.warnings_left_out(),
            })
        }
        Err(e) => Err(locate::error(name, text, &e, ctx.take_failure())),
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
