//! `:with PATH = EXPR` and `:without [PATH]`: what-if overrides of the facts, like Rego's `with`.
//! The value of EXPR is put into the facts document at PATH and the facts are read again, so
//! every rule that reads that part of the facts is evaluated with it; the outcomes that change
//! are listed.

use super::{FactsFile, Message, Output, ReplSession};
use eligo::{Facts, FactsOptions, Input, RecordTy, Ty};
use serde_json::Value as Json;

/// One override: the path as typed and the JSON value put there.
#[derive(Debug, Clone)]
pub struct Override {
    path: String,
    shown: String,
    value: Json,
}

/// A step of a path: a key or a list index.
enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

/// `people[0].certifications` → keys and indices; `None` when it is not such a path.
fn steps(path: &str) -> Option<Vec<Step<'_>>> {
    let mut out = Vec::new();
    for part in path.split('.') {
        let (key, mut rest) = match part.find('[') {
            Some(i) => (&part[..i], &part[i..]),
            None => (part, ""),
        };
        if key.is_empty() || !key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return None;
        }
        out.push(Step::Key(key));
        while let Some(r) = rest.strip_prefix('[') {
            let end = r.find(']')?;
            out.push(Step::Index(r[..end].parse().ok()?));
            rest = &r[end + 1..];
        }
        if !rest.is_empty() {
            return None;
        }
    }
    Some(out)
}

impl ReplSession {
    pub(super) fn with(&mut self, line: &str, arg: &str) -> Output {
        let Some((path, expr)) = arg.split_once('=') else {
            return Message::Error(format!(
                "`:with {arg}` needs a value\n  help: write `:with PATH = EXPR`, e.g. `:with sales = []`"
            ))
            .into();
        };
        let path = path.trim().to_string();
        if self.facts.is_none() {
            return Message::Error(
                "`:with` changes the facts, and none are loaded\n  help: load a partner's facts with `:facts FILE`".into(),
            )
            .into();
        }
        let ty = match self.declared_path(&path) {
            Ok(t) => t,
            Err(m) => return Message::Error(m).into(),
        };
        let end = line.trim_end().len();
        let start = end - expr.trim_start().trim_end().len();
        // A bare variant of the field's enum (`:with tier = gold`), as the facts file writes it.
        let variant = self.bare_variant(&ty, expr.trim());
        let (value, shown) = match variant {
            Some(v) => (Json::String(v.clone()), v),
            None => match self.value_of(line, start..end) {
                Ok(v) => v,
                Err(out) => return out,
            },
        };
        let mut overrides = self.overrides.clone();
        overrides.retain(|o| o.path != path);
        overrides.push(Override {
            path: path.clone(),
            shown: shown.clone(),
            value,
        });
        let before = self.outcome_texts();
        if let Err(out) = self.apply(overrides) {
            return out;
        }
        let mut out = Output::one(Message::Info(format!("with {path} = {shown}")));
        out.push(Message::Info(self.changes(&before)));
        out
    }

    pub(super) fn without(&mut self, path: Option<&str>) -> Output {
        let mut overrides = self.overrides.clone();
        match path {
            Some(p) => {
                if !overrides.iter().any(|o| o.path == p) {
                    return Message::Error(format!(
                        "no override of `{p}`\n  help: `:with` lists them"
                    ))
                    .into();
                }
                overrides.retain(|o| o.path != p);
            }
            None => overrides.clear(),
        }
        let before = self.outcome_texts();
        if let Err(out) = self.apply(overrides) {
            return out;
        }
        let mut out = Output::one(Message::Info(match path {
            Some(p) => format!("without the override of {p}"),
            None => "no overrides: the facts are the file's".into(),
        }));
        out.push(Message::Info(self.changes(&before)));
        out
    }

    pub(super) fn overrides_listing(&self) -> String {
        if self.overrides.is_empty() {
            return "no overrides: `:with PATH = EXPR` makes one".into();
        }
        self.overrides
            .iter()
            .map(|o| format!("with {} = {}", o.path, o.shown))
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// Reads the facts again from their file's document with these overrides; on an error,
    /// nothing changes.
    fn apply(&mut self, overrides: Vec<Override>) -> Result<(), Output> {
        let Some(file) = &self.facts else {
            return Err(Message::Error("no facts are loaded".into()).into());
        };
        let name = file.path.display().to_string();
        let facts = self.read_with(&file.json, &name, &overrides)?;
        if let Some(f) = &mut self.facts {
            f.facts = facts;
        }
        self.overrides = overrides;
        Ok(())
    }

    /// The facts of a document with overrides applied.
    pub(super) fn read_with(
        &self,
        json: &Json,
        name: &str,
        overrides: &[Override],
    ) -> Result<Facts, Output> {
        if overrides.is_empty() {
            return self
                .policies
                .facts_from_json(name, json, &FactsOptions::new())
                .map_err(Output::from);
        }
        let name = format!("{name} with the `:with` overrides");
        let mut doc = json.clone();
        for o in overrides {
            put(&mut doc, &o.path, o.value.clone()).map_err(|m| Output::one(Message::Error(m)))?;
        }
        self.policies
            .facts_from_json(&name, &doc, &FactsOptions::new())
            .map_err(Output::from)
    }

    /// Re-applies the overrides to freshly loaded facts; drops them, with a warning, when they
    /// no longer read.
    pub(super) fn reapply(&mut self, file: &mut FactsFile) -> Output {
        if self.overrides.is_empty() {
            return Output::default();
        }
        let name = file.path.display().to_string();
        match self.read_with(&file.json, &name, &self.overrides) {
            Ok(f) => {
                file.facts = f;
                Message::Info(format!(
                    "{} override(s) kept: `:with` lists them",
                    self.overrides.len()
                ))
                .into()
            }
            Err(mut out) => {
                self.overrides.clear();
                out.push(Message::Warning(
                    "the overrides no longer apply: dropped".into(),
                ));
                out
            }
        }
    }

    /// The value of an expression as the facts would hold it, and as shown.
    fn value_of(
        &self,
        line: &str,
        range: std::ops::Range<usize>,
    ) -> Result<(Json, String), Output> {
        let range = match eligo::parse_input(line, range) {
            Input::Expression(r) => r,
            Input::Binding { .. } => {
                return Err(
                    Message::Error("`:with` takes an expression, not a binding".into()).into(),
                )
            }
            Input::Invalid { diagnostics, .. } => {
                return Err(Message::Diagnostics(diagnostics).into())
            }
        };
        let expr = self
            .check_after(&self.bindings, line, range)
            .map_err(Output::from)?;
        let v = expr
            .evaluate(self.facts.as_ref().map(|f| &f.facts), self.as_of_date())
            .map_err(Output::from)?;
        let json = self.policies.json(&v, expr.ty()).map_err(Output::from)?;
        let json = serde_json::from_str(&json).map_err(|e| {
            Output::one(Message::Error(format!(
                "internal error: a value as JSON: {e}"
            )))
        })?;
        Ok((json, expr.display(&v).map_err(Output::from)?))
    }

    /// `text` when it is one of the variants of the enum `ty` (and no binding of that name hides it).
    fn bare_variant(&self, ty: &Ty, text: &str) -> Option<String> {
        let Ty::Enum(_, name) = ty else {
            return None;
        };
        let named = self.bindings.iter().any(|b| b.name == text)
            || self.policies.rules().any(|r| r.name() == text);
        if named {
            return None;
        }
        let variants = self.policies.enums().find(|(e, _)| e == &&**name)?.1;
        variants.contains(&text).then(|| text.to_string())
    }

    /// Checks that a path names a part of the declared facts; returns the type declared there.
    fn declared_path(&self, path: &str) -> Result<Ty, String> {
        let bad = || {
            format!("`{path}` is not a path into the facts\n  help: write fields with `.` and list elements with `[N]`: `partner.name`, `people[0].id`")
        };
        let steps = steps(path).ok_or_else(bad)?;
        let mut ty: Option<Ty> = None;
        for step in &steps {
            ty = match (step, &ty) {
                (Step::Key(k), None) => self
                    .policies
                    .fact_fields()
                    .find(|(f, _)| f == k)
                    .map(|(_, t)| t.clone()),
                (Step::Key(k), Some(t)) => record(t).and_then(|r| {
                    r.fields
                        .iter()
                        .find(|f| &*f.name == *k)
                        .map(|f| f.ty.clone())
                }),
                (Step::Index(_), Some(Ty::List(t))) => Some((**t).clone()),
                (Step::Index(_), _) => None,
            };
            if ty.is_none() {
                return Err(format!(
                    "the facts declare no `{path}`\n  help: `:type` of a field shows what the facts hold; Tab completes fields"
                ));
            }
        }
        ty.ok_or_else(bad)
    }

    /// Every outcome's value as text (an error as its code), to compare before and after.
    fn outcome_texts(&self) -> Vec<(String, String)> {
        let Some(file) = &self.facts else {
            return Vec::new();
        };
        let selection = self.policies.all_outcomes();
        match self.policies.evaluate(
            &file.facts,
            &selection,
            self.as_of_date(),
            &eligo::EvalOptions::new(),
        ) {
            Ok(o) => o
                .iter()
                .map(|o| (o.id.to_string(), super::or_error(o.text())))
                .collect(),
            Err(e) => vec![(
                "(evaluation)".into(),
                e.diagnostics().codes().collect::<Vec<_>>().join(", "),
            )],
        }
    }

    /// `changed: qualifies: no → yes` or `no outcome changed`.
    fn changes(&self, before: &[(String, String)]) -> String {
        let after = self.outcome_texts();
        let changed: Vec<String> = before
            .iter()
            .zip(&after)
            .filter(|(b, a)| b.1 != a.1)
            .map(|(b, a)| format!("  {}: {} → {}", b.0, b.1, a.1))
            .collect();
        if changed.is_empty() {
            "no outcome changed".into()
        } else {
            format!("outcomes changed:\n{}", changed.join("\n"))
        }
    }
}

fn record(t: &Ty) -> Option<&RecordTy> {
    match t {
        Ty::Record(r) => Some(r),
        Ty::Opt(t) => record(t),
        _ => None,
    }
}

/// Puts a value into a document at a path, making the objects on the way.
fn put(doc: &mut Json, path: &str, value: Json) -> Result<(), String> {
    let steps = steps(path).ok_or_else(|| format!("`{path}` is not a path into the facts"))?;
    let mut at = doc;
    for step in steps {
        at = match step {
            Step::Key(k) => {
                if !at.is_object() {
                    *at = Json::Object(serde_json::Map::new());
                }
                at.as_object_mut()
                    .map(|m| m.entry(k.to_string()).or_insert(Json::Null))
                    .ok_or_else(|| format!("`{path}`: not an object"))?
            }
            Step::Index(i) => at
                .as_array_mut()
                .and_then(|a| a.get_mut(i))
                .ok_or_else(|| format!("`{path}`: the facts have no element {i} there"))?,
        };
    }
    *at = value;
    Ok(())
}
