//! Random documents valid against the JSON Schema `eligo schema` writes for a program's facts:
//! the population `eligo generate --policies` writes for any program. Each value is drawn from
//! its schema (`$ref`, `anyOf`, `enum`, `const`, and the types with their `minimum` and
//! `pattern`), so every document is one the program's strict facts reader accepts.

use super::{date_text, json_decimal, AS_OF, AS_OF_DAYS};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::{json, Map, Value};

/// Longest list generated.
const MAX_LIST: usize = 8;
/// How far back generated dates go, in days.
const DAYS_BACK: i64 = 730;

/// A generator of documents for one schema.
pub struct SchemaGenerator {
    schema: Value,
    rng: ChaCha8Rng,
    next: u64,
}

impl SchemaGenerator {
    /// A generator for a schema (as `eligo schema` writes it) and a seed.
    pub fn new(schema: Value, seed: u64) -> Self {
        SchemaGenerator {
            schema,
            rng: ChaCha8Rng::seed_from_u64(seed),
            next: 0,
        }
    }

    /// The next document as one line of JSON (no newline); `as_of` is [`AS_OF`].
    pub fn document(&mut self) -> String {
        self.next += 1;
        let schema = self.schema.clone();
        let mut doc = self.value(&schema, "document", 0);
        // Every document carries the evaluation date, whatever the draw left out.
        if let Some(m) = doc.as_object_mut() {
            if m.contains_key("format") {
                let rest: Map<String, Value> = std::mem::take(m)
                    .into_iter()
                    .filter(|(k, _)| k != "as_of")
                    .collect();
                for (k, v) in rest {
                    m.insert(k, v);
                    if m.len() == 1 {
                        m.insert("as_of".into(), json!(AS_OF));
                    }
                }
            }
        }
        doc.to_string()
    }

    fn value(&mut self, schema: &Value, key: &str, depth: usize) -> Value {
        if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
            let name = reference.trim_start_matches("#/$defs/");
            let def = self.schema["$defs"][name].clone();
            return self.value(&def, key, depth + 1);
        }
        if let Some(c) = schema.get("const") {
            return c.clone();
        }
        if let Some(options) = schema.get("anyOf").and_then(Value::as_array) {
            let choices: Vec<&Value> = options.iter().collect();
            // `T?`: mostly a value, sometimes null.
            let pick = if choices.len() == 2 && choices[0]["type"] == "null" {
                usize::from(self.rng.gen_bool(0.8))
            } else {
                self.rng.gen_range(0..choices.len())
            };
            let chosen = choices[pick].clone();
            return self.value(&chosen, key, depth);
        }
        if let Some(variants) = schema.get("enum").and_then(Value::as_array) {
            return match variants.len() {
                0 => Value::Null,
                n => variants[self.rng.gen_range(0..n)].clone(),
            };
        }
        let non_negative = schema.get("minimum").is_some();
        match schema.get("type").and_then(Value::as_str) {
            Some("boolean") => json!(self.rng.gen_bool(0.5)),
            Some("integer") => {
                let lo = if non_negative { 0 } else { -20 };
                json!(self.rng.gen_range(lo..=50))
            }
            Some("number") => {
                let lo = if non_negative { 0 } else { -1_000 };
                json_decimal(self.rng.gen_range(lo..=100_000), 2)
            }
            Some("string") => self.string(schema, key),
            Some("array") => {
                let items = schema.get("items").cloned().unwrap_or(Value::Null);
                let n = if depth > 6 {
                    0
                } else {
                    self.rng.gen_range(0..=MAX_LIST)
                };
                Value::Array((0..n).map(|_| self.value(&items, key, depth + 1)).collect())
            }
            Some("object") => self.object(schema, depth),
            _ => Value::Null,
        }
    }

    fn object(&mut self, schema: &Value, depth: usize) -> Value {
        let required: Vec<&str> = schema
            .get("required")
            .and_then(Value::as_array)
            .map(|r| r.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let mut out = Map::new();
        if let Some(props) = schema.get("properties").and_then(Value::as_object) {
            for (name, prop) in props {
                // A field with a default is left out now and then: absent means its default.
                if !required.contains(&name.as_str()) && self.rng.gen_bool(0.2) {
                    continue;
                }
                let v = self.value(prop, name, depth + 1);
                out.insert(name.clone(), v);
            }
        }
        Value::Object(out)
    }

    fn string(&mut self, schema: &Value, key: &str) -> Value {
        let pattern = schema.get("pattern").and_then(Value::as_str).unwrap_or("");
        if schema.get("format").and_then(Value::as_str) == Some("date") {
            let back = self.rng.gen_range(0..=DAYS_BACK);
            return json!(date_text(AS_OF_DAYS - back));
        }
        if pattern == "^[0-9]{4}-[0-9]{2}$" {
            let back = self.rng.gen_range(0..=DAYS_BACK);
            let date = date_text(AS_OF_DAYS - back);
            return json!(date[..7]);
        }
        if pattern.contains("(\\.[0-9]+)?") {
            // Money as a string: whole dollars and cents.
            return json!(format!(
                "{}.{:02}",
                self.rng.gen_range(0..100_000),
                self.rng.gen_range(0..100)
            ));
        }
        json!(format!(
            "{key}-{}-{}",
            self.next,
            self.rng.gen_range(0..1_000)
        ))
    }
}
