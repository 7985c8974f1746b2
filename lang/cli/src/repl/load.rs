//! `:load`, `:facts`, `:asof` and `:rules`: what the session evaluates with.

use super::{facts_summary, load_policies, Binding, FactsFile, Message, Output, ReplSession};
use eligo::{read_facts_text, FactsOptions};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

impl ReplSession {
    pub(super) fn load(&mut self, path: Option<&str>) -> Output {
        let new_path = match path {
            Some(p) => Some(PathBuf::from(p)),
            None => self.path.clone(),
        };
        let policies = match load_policies(new_path.as_deref(), &self.builtin) {
            Ok(p) => p,
            Err(m) => return m.into(),
        };
        self.base = policies.sources().clone();
        self.policies = policies;
        self.path = new_path;
        let mut out = self.redefine();
        out.push(Message::Info(format!(
            "loaded {}: {} file(s), {} rule(s), {} table(s), {} outcome(s)",
            self.policies_name(),
            self.policies.sources().len(),
            self.policies.rules().len(),
            self.policies.tables().count(),
            self.policies.outcomes().len()
        )));
        out.extend(self.build_prelude());
        // The facts are read again, against the new declaration.
        if let Some(f) = self.facts.take() {
            let again = self.load_facts(&f.path);
            if again.is_error() {
                out.extend(again);
                out.push(Message::Warning(format!(
                    "the facts of {} no longer load: no facts are in use",
                    f.facts.name()
                )));
            }
        }
        // Bindings that no longer check are dropped, in order.
        let old = std::mem::take(&mut self.bindings);
        for b in old {
            match self.check_after(&self.bindings, &b.text, 0..b.text.len()) {
                Ok(e) => {
                    let ty = e.ty().clone();
                    self.bindings.push(Binding { ty, ..b });
                }
                Err(_) => out.push(Message::Warning(format!(
                    "`{}` no longer checks against these policies: binding dropped",
                    b.name
                ))),
            }
        }
        out
    }

    /// Makes every loaded module visible to typed input; warns of those that cannot be.
    pub(super) fn build_prelude(&mut self) -> Output {
        self.prelude = self.policies.prelude();
        let mut out = Output::default();
        for (name, module) in self.prelude.unusable() {
            out.push(Message::Warning(format!(
                "{name}: the module name `{module}` cannot follow `use`, so its rules are not visible here (rename the file with letters, digits and `_`)"
            )));
        }
        out
    }

    pub(super) fn load_facts(&mut self, path: &Path) -> Output {
        let read = read_facts_text(path).and_then(|(name, text)| {
            let facts = self
                .policies
                .read_facts(&name, &text, &FactsOptions::new())?;
            Ok((text, facts))
        });
        let (text, facts) = match read {
            Ok(r) => r,
            Err(e) => return e.into(),
        };
        let mut out = Output::default();
        for w in facts.warnings() {
            out.push(Message::Warning(format!("{}: {w}", facts.name())));
        }
        if facts.warnings_left_out() > 0 {
            out.push(Message::Warning(format!(
                "{}: and {} more unknown keys ignored",
                facts.name(),
                facts.warnings_left_out()
            )));
        }
        out.push(Message::Info(facts_summary(&facts)));
        // The document as JSON, for `:with` to change (the reading above checked it).
        let json = serde_json::from_str(&text).unwrap_or(serde_json::Value::Null);
        let mut file = FactsFile {
            path: path.to_path_buf(),
            json,
            facts,
        };
        out.extend(self.reapply(&mut file));
        self.facts = Some(file);
        out
    }

    pub(super) fn as_of_summary(&self) -> String {
        let why = if self.as_of.is_some() {
            "set with `--as-of` or `:asof`"
        } else if self.facts().and_then(|f| f.as_of()).is_some() {
            "the facts' `as_of`"
        } else {
            "today"
        };
        format!("as of {} ({why})", self.as_of_date())
    }

    pub(super) fn rules_listing(&self, filter: Option<&str>) -> String {
        let mut out = String::new();
        let mut module: Option<&str> = None;
        let mut shown = 0;
        for rule in self.policies.rules() {
            if filter.is_some_and(|f| !rule.name().contains(f)) {
                continue;
            }
            if module != Some(rule.module()) {
                module = Some(rule.module());
                let _ = writeln!(out, "{}", rule.module());
            }
            let _ = writeln!(out, "  {}", rule.signature());
            for s in rule.sources() {
                let _ = writeln!(out, "      @source({s:?})");
            }
            shown += 1;
        }
        let _ = write!(out, "{shown} rule(s)");
        if let Some(f) = filter {
            let _ = write!(out, " matching `{f}`");
        }
        out
    }
}
