//! Expressions, `let` bindings and `:type`: checked and evaluated by the library against the
//! loaded policies, after the bindings made so far.

use super::{Binding, Message, Output, ReplSession};
use eligo::{Expression, Input};
use std::ops::Range;

impl ReplSession {
    /// Checks the part `range` of `line` after every binding.
    fn check(&self, line: &str, range: Range<usize>) -> Result<Expression, eligo::Error> {
        self.check_after(&self.bindings, line, range)
    }

    /// Checks the part `range` of `line` after some bindings.
    pub(super) fn check_after(
        &self,
        bindings: &[Binding],
        line: &str,
        range: Range<usize>,
    ) -> Result<Expression, eligo::Error> {
        let bindings: Vec<(&str, &str)> = bindings
            .iter()
            .map(|b| (b.name.as_str(), b.text.as_str()))
            .collect();
        self.policies
            .expression(&self.prelude, &bindings, line, range)
    }

    pub(super) fn eval_expr(&self, line: &str, range: Range<usize>) -> Output {
        let expr = match self.check(line, range) {
            Ok(e) => e,
            Err(e) => return e.into(),
        };
        if self.facts.is_none() {
            let read = expr.facts_read();
            if !read.is_empty() {
                let names: Vec<String> = read.iter().map(|n| format!("`{n}`")).collect();
                return Message::Error(format!(
                    "this reads the facts ({}), and none are loaded\n  help: load a partner's facts with `:facts FILE`",
                    names.join(", ")
                ))
                .into();
            }
        }
        match expr.evaluate(self.facts(), self.as_of_date()) {
            Ok(v) => match expr.display(&v) {
                Ok(text) => Message::Value(format!("{text} : {}", expr.ty())).into(),
                Err(e) => e.into(),
            },
            Err(e) => e.into(),
        }
    }

    pub(super) fn bind(&mut self, name: String, line: &str, rhs: Range<usize>) -> Output {
        let expr = match self.check(line, rhs.clone()) {
            Ok(e) => e,
            Err(e) => return e.into(),
        };
        let ty = expr.ty().clone();
        let out = Message::Info(format!("{name} : {ty}"));
        self.bindings.push(Binding {
            name,
            text: line[rhs].to_string(),
            ty,
        });
        out.into()
    }

    pub(super) fn type_of(&self, line: &str, range: Range<usize>) -> Output {
        if line[range.clone()].trim().is_empty() {
            return Message::Error("`:type` needs an expression: `:type EXPR`".into()).into();
        }
        match eligo::parse_input(line, range) {
            Input::Expression(range) => match self.check(line, range.clone()) {
                Ok(e) => Message::Info(e.ty().to_string()).into(),
                Err(e) => match self.signature(&line[range]) {
                    Some(sig) => Message::Info(sig).into(),
                    None => e.into(),
                },
            },
            Input::Binding { .. } => {
                Message::Error("`:type` takes an expression, not a binding".into()).into()
            }
            Input::Invalid { diagnostics, .. } => Message::Diagnostics(diagnostics).into(),
        }
    }

    /// `billed(area: Area): Money` for the name of a rule with parameters.
    fn signature(&self, name: &str) -> Option<String> {
        let rule = self.policies.rule(name)?;
        (rule.params().len() > 0).then(|| rule.signature())
    }
}
