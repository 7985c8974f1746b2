//! Tab completion: command names after `:`, file paths after `:load` and `:facts`, rule and
//! outcome names after `:explain`, and in expressions the names in scope (bindings, rules,
//! tables, enums, fact fields, module aliases, built-in functions) and, after a `.`, the fields
//! of a record (`partner.` → `id`, `name`) or the variants of an enum (`Tier.`).

use super::command::COMMANDS;
use super::ReplSession;
use eligo::{RecordTy, Ty};
use std::path::Path;

impl ReplSession {
    /// Completions of the text before `pos`: the byte offset where the completed word starts,
    /// and the candidates that replace it, sorted.
    pub fn complete(&self, line: &str, pos: usize) -> (usize, Vec<String>) {
        let pos = pos.min(line.len());
        let before = &line[..pos];
        let trimmed = before.trim_start();
        let lead = before.len() - trimmed.len();
        if let Some(cmd) = trimmed.strip_prefix(':') {
            match cmd.find(char::is_whitespace) {
                None => {
                    let names = COMMANDS
                        .iter()
                        .map(|c| format!(":{}", c.name))
                        .filter(|n| n.starts_with(trimmed))
                        .collect();
                    return (lead, names);
                }
                Some(i) => {
                    let name = &cmd[..i];
                    let rest = &cmd[i..];
                    let arg_start = lead + 1 + i + (rest.len() - rest.trim_start().len());
                    let arg = &line[arg_start.min(pos)..pos];
                    match name {
                        "l" | "load" => return (arg_start, complete_path(arg, &["elg"])),
                        "f" | "facts" => return (arg_start, complete_path(arg, &["json"])),
                        "e" | "explain" => return (arg_start, self.explainable(arg)),
                        "t" | "type" => {}
                        _ => return (pos, Vec::new()),
                    }
                }
            }
        }
        self.complete_expr(before)
    }

    /// Outcome ids and rule names starting with a prefix.
    fn explainable(&self, prefix: &str) -> Vec<String> {
        let p = &self.policies;
        let mut out: Vec<String> = p
            .outcomes()
            .map(|o| o.id().to_string())
            .chain(p.rules().map(|r| r.name().to_string()))
            .filter(|n| n.starts_with(prefix))
            .collect();
        out.sort();
        out.dedup();
        out
    }

    fn complete_expr(&self, before: &str) -> (usize, Vec<String>) {
        // Nothing inside a text literal.
        if before.matches('"').count() % 2 == 1 {
            return (before.len(), Vec::new());
        }
        let word_start = before
            .char_indices()
            .rev()
            .find(|(_, c)| !(c.is_ascii_alphanumeric() || *c == '_' || *c == '.'))
            .map_or(0, |(i, c)| i + c.len_utf8());
        let word = &before[word_start..];
        if word.starts_with(|c: char| c.is_ascii_digit()) {
            return (before.len(), Vec::new());
        }
        match word.rfind('.') {
            Some(dot) => {
                let prefix = &word[dot + 1..];
                let mut names = match word.strip_prefix("it") {
                    Some(rest) if rest.starts_with('.') => {
                        self.members_of_it(&before[..word_start], &word[2..dot])
                    }
                    _ => self.members(&word[..dot]),
                };
                names.retain(|n| n.starts_with(prefix));
                names.sort();
                names.dedup();
                (word_start + dot + 1, names)
            }
            None => {
                let mut names = self.names_in_scope();
                names.retain(|n| n.starts_with(word));
                names.sort();
                names.dedup();
                (word_start, names)
            }
        }
    }

    /// Every plain name an expression can use.
    fn names_in_scope(&self) -> Vec<String> {
        let p = &self.policies;
        let mut names: Vec<String> = Vec::new();
        names.extend(self.bindings.iter().map(|b| b.name.clone()));
        names.extend(p.rules().map(|r| r.name().to_string()));
        names.extend(p.tables().map(|(t, _, _)| t.to_string()));
        names.extend(p.enums().map(|(e, _)| e.to_string()));
        names.extend(p.fact_fields().map(|(f, _)| f.to_string()));
        names.extend(self.prelude.aliases().iter().map(|(a, _)| a.clone()));
        names.extend(eligo::BUILTIN_NAMES.iter().map(|s| s.to_string()));
        names.push("as_of".into());
        names
    }

    /// What can follow `path.`: fields of a record, variants of an enum, a module's names.
    fn members(&self, path: &str) -> Vec<String> {
        let p = &self.policies;
        let mut segments = path.split('.');
        let first = segments.next().unwrap_or("");
        if let Some((_, variants)) = p.enums().find(|(e, _)| *e == first) {
            return match segments.next() {
                None => variants.iter().map(|v| v.to_string()).collect(),
                Some(_) => Vec::new(),
            };
        }
        if let Some((_, module)) = self.prelude.aliases().iter().find(|(a, _)| a == first) {
            if segments.next().is_none() {
                return p
                    .rules()
                    .filter(|r| r.module() == module)
                    .map(|r| r.name().to_string())
                    .chain(
                        p.tables()
                            .filter(|(_, m, _)| m == module)
                            .map(|(t, _, _)| t.to_string()),
                    )
                    .collect();
            }
        }
        let Some(mut ty) = self.type_of_name(first) else {
            return Vec::new();
        };
        for seg in segments {
            match field_type(&ty, seg) {
                Some(t) => ty = t,
                None => return Vec::new(),
            }
        }
        fields_of(&ty)
    }

    /// What can follow `it.` (and `it.field.`): the fields of the elements of the list that the
    /// nearest `where`, `group by`, `any(…` or `all(…` before it works on.
    fn members_of_it(&self, before: &str, fields: &str) -> Vec<String> {
        let Some(list) = list_before_it(before) else {
            return Vec::new();
        };
        let Ok(expr) = self.check_after(&self.bindings, list, 0..list.len()) else {
            return Vec::new();
        };
        let mut ty = match expr.ty() {
            Ty::List(t) => (**t).clone(),
            _ => return Vec::new(),
        };
        for seg in fields.split('.').filter(|s| !s.is_empty()) {
            match field_type(&ty, seg) {
                Some(t) => ty = t,
                None => return Vec::new(),
            }
        }
        fields_of(&ty)
    }

    /// The type of a plain name: a binding, a rule without parameters, a table, a fact field.
    fn type_of_name(&self, name: &str) -> Option<Ty> {
        let p = &self.policies;
        if let Some(b) = self.bindings.iter().rev().find(|b| b.name == name) {
            return Some(b.ty.clone());
        }
        if let Some(r) = p
            .rules()
            .find(|r| r.name() == name && r.params().len() == 0)
        {
            return Some(r.ty().clone());
        }
        if let Some((_, _, t)) = p.tables().find(|(t, _, _)| *t == name) {
            return Some(t.clone());
        }
        p.fact_fields()
            .find(|(f, _)| *f == name)
            .map(|(_, t)| t.clone())
    }
}

/// The list expression `it` stands for: the text before the last ` where ` or ` group by `
/// (back to the bracket, comma or `=` that opens it); `None` when `it` has no list here.
fn list_before_it(before: &str) -> Option<&str> {
    let at = [" where ", " group by "]
        .iter()
        .filter_map(|k| before.rfind(k))
        .max()?;
    let head = &before[..at];
    let mut depth = 0i32;
    let mut start = 0;
    for (i, c) in head.char_indices().rev() {
        match c {
            ')' | ']' | '}' => depth += 1,
            '(' | '[' | '{' if depth == 0 => {
                start = i + 1;
                break;
            }
            '(' | '[' | '{' => depth -= 1,
            ',' | '=' | ';' | ':' if depth == 0 => {
                start = i + 1;
                break;
            }
            _ => {}
        }
    }
    let list = head[start..].trim();
    (!list.is_empty()).then_some(list)
}

/// A record type under optionals and lists (`sales.amount_usd` reads a field of every element).
fn record_of(ty: &Ty) -> Option<&RecordTy> {
    match ty {
        Ty::Opt(t) | Ty::List(t) => record_of(t),
        Ty::Record(r) => Some(r),
        _ => None,
    }
}

fn field_type(ty: &Ty, name: &str) -> Option<Ty> {
    record_of(ty)?
        .fields
        .iter()
        .find(|f| &*f.name == name)
        .map(|f| f.ty.clone())
}

fn fields_of(ty: &Ty) -> Vec<String> {
    record_of(ty)
        .map(|r| r.fields.iter().map(|f| f.name.to_string()).collect())
        .unwrap_or_default()
}

/// File names completing a path: folders (with a trailing `/`) and files with one of the
/// extensions. Hidden entries only when the prefix starts with `.`.
pub fn complete_path(arg: &str, extensions: &[&str]) -> Vec<String> {
    let (dir, prefix) = match arg.rfind('/') {
        Some(i) => (&arg[..=i], &arg[i + 1..]),
        None => ("", arg),
    };
    let read_from = if dir.is_empty() {
        Path::new(".")
    } else {
        Path::new(dir)
    };
    let Ok(entries) = std::fs::read_dir(read_from) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !name.starts_with(prefix) || (name.starts_with('.') && !prefix.starts_with('.')) {
            continue;
        }
        // Follows links, so a link to a folder completes as a folder.
        let path = entry.path();
        if path.is_dir() {
            out.push(format!("{dir}{name}/"));
        } else if extensions
            .iter()
            .any(|e| path.extension().is_some_and(|x| x == *e))
        {
            out.push(format!("{dir}{name}"));
        }
    }
    out.sort();
    out
}
