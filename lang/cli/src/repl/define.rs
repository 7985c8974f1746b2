//! Rules typed at the prompt (`rule big: Bool = sales >= USD 1_000_000`): kept in a policy file
//! of their own, `<repl rules>` (module `repl`), that sees every loaded module; the policies are
//! compiled again with it, so the new rule is usable everywhere an expression is. Defining a
//! rule again replaces it.

use super::{Message, Output, ReplSession};
use eligo::{Policies, Sources};

/// The name the typed rules' file has in diagnostics.
const FILE: &str = "<repl rules>";
/// Its module.
const MODULE: &str = "repl";

/// Whether a typed input is a definition: its first line that is not blank or a `#` comment is
/// a `///` doc comment, an `@attribute` or starts with `rule` (as in a policy file).
pub fn is_definition(text: &str) -> bool {
    eligo::starts_definition(text)
}

/// The name a definition defines: the word after `rule`, on the first line that is not a doc
/// comment, an attribute, a `#` comment or blank.
fn defined_name(text: &str) -> Option<String> {
    let line = text.lines().map(str::trim_start).find(|l| {
        !(l.is_empty() || l.starts_with("///") || l.starts_with('@') || l.starts_with('#'))
    })?;
    let name: String = line
        .strip_prefix("rule")?
        .trim_start()
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    (!name.is_empty()).then_some(name)
}

impl ReplSession {
    pub(super) fn define(&mut self, text: &str) -> Output {
        let Some(name) = defined_name(text) else {
            return Message::Error(
                "a definition at the prompt is a rule: `rule NAME: TYPE = EXPR`, after its `///` and `@source(…)` lines if any"
                    .into(),
            )
            .into();
        };
        let mut defined = self.defined.clone();
        let again = defined.iter().any(|(n, _)| *n == name);
        defined.retain(|(n, _)| *n != name);
        defined.push((name.clone(), text.trim().to_string()));
        match self.compile_with(&defined) {
            Ok(policies) => {
                self.policies = policies;
                self.defined = defined;
                let mut out = self.build_prelude();
                let ty = self
                    .policies
                    .rule(&name)
                    .map_or_else(String::new, |r| r.signature());
                out.push(Message::Info(format!(
                    "{} {ty}",
                    if again { "redefined" } else { "defined" }
                )));
                out
            }
            Err(e) => e.into(),
        }
    }

    /// The loaded policies and these typed rules, compiled together.
    fn compile_with(&self, defined: &[(String, String)]) -> Result<Policies, eligo::Error> {
        let mut sources: Sources = self.base.clone();
        if !defined.is_empty() {
            let base = Policies::compile(self.base.clone())?;
            let mut text = base.prelude().text().to_string();
            for (_, rule) in defined {
                text.push('\n');
                text.push_str(rule);
                text.push('\n');
            }
            sources.push(FILE, MODULE, text);
        }
        Policies::compile(sources)
    }

    /// After `:load`: the typed rules compiled with the new policies; those that no longer check
    /// are dropped, with a warning.
    pub(super) fn redefine(&mut self) -> Output {
        let mut out = Output::default();
        let mut kept: Vec<(String, String)> = Vec::new();
        for (name, text) in std::mem::take(&mut self.defined) {
            let mut trial = kept.clone();
            trial.push((name.clone(), text.clone()));
            if self.compile_with(&trial).is_ok() {
                kept = trial;
            } else {
                out.push(Message::Warning(format!(
                    "the rule `{name}` typed earlier no longer checks against these policies: dropped"
                )));
            }
        }
        if !kept.is_empty() {
            match self.compile_with(&kept) {
                Ok(p) => self.policies = p,
                Err(e) => out.extend(e.into()),
            }
        }
        self.defined = kept;
        out
    }
}
