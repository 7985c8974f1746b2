//! What a line typed at a REPL is: an expression, a binding (`let NAME = EXPR`), or text that
//! does not parse, and whether such text is only unfinished (the rest may come on the next
//! line). Diagnostics point into the line, named `<repl>`.

use super::error::Diagnostics;
use super::expression::{is_module_path, INPUT_MODULE, INPUT_NAME};
use crate::diag::{Error, ErrorKind, Location};
use crate::source::{SourceId, SourceMap, Span};
use crate::syntax::{parse_expr, parse_module};
use std::ops::Range;

/// What a part of a typed line is.
#[derive(Debug)]
pub enum Input {
    /// An expression: its bytes in the line, without surrounding blanks.
    Expression(Range<usize>),
    /// `let NAME = EXPR`: the name and the expression's bytes.
    Binding {
        /// The name bound.
        name: String,
        /// The expression.
        rhs: Range<usize>,
    },
    /// Text that does not parse.
    Invalid {
        /// The syntax errors, pointing into the line.
        diagnostics: Diagnostics,
        /// Whether the text is only unfinished: an open bracket, a trailing operator.
        incomplete: bool,
    },
}

/// The source id of the typed line in the source map that syntax errors are shown with.
const LINE_SOURCE: SourceId = SourceId(0);

/// A source map holding only the typed text, as `<repl>`.
pub(crate) fn line_sources(line: &str) -> SourceMap {
    let mut m = SourceMap::new();
    m.add(INPUT_NAME, INPUT_MODULE, line);
    m
}

/// Parses the part `range` of a typed line as an expression or a binding.
pub fn parse_input(line: &str, range: Range<usize>) -> Input {
    let range = trimmed(line, range);
    let whole = match parse_part(line, &range) {
        Ok(()) => return Input::Expression(range),
        Err(es) => es,
    };
    let text = &line[range.clone()];
    let incomplete = at_end_of_input(&whole) || continues(text);
    let errors = match binding_head(text) {
        // `let if = 1`: the whole input's error says what is wrong with the name.
        Some((name, at)) if is_module_path(&name) => {
            let rhs = trimmed(line, range.start + at..range.end);
            match parse_part(line, &rhs) {
                Ok(()) => return Input::Binding { name, rhs },
                // The errors that go further explain more: `let x = 1 2` is a binding gone
                // wrong, `let x = 1; 2 3` an expression.
                Err(es) if furthest(&es) >= furthest(&whole) => es,
                Err(_) => whole,
            }
        }
        _ => whole,
    };
    Input::Invalid {
        diagnostics: Diagnostics::new(errors, line_sources(line)),
        incomplete,
    }
}

/// Whether a text holds nothing but white space and comments.
pub fn is_blank(text: &str) -> bool {
    text.lines().all(|l| {
        let l = l.trim_start();
        l.is_empty() || l.starts_with('#')
    })
}

/// Whether an input is unfinished and should go on on the next line: an open bracket, a trailing
/// operator, `let x = 1;` without the expression that follows. An input that ends with an empty
/// line is finished whatever it holds, so the user can always get out of a continuation; a
/// `:command` is always finished.
pub fn is_incomplete(input: &str) -> bool {
    let text = input.trim();
    if is_blank(text) || text.starts_with(':') {
        return false;
    }
    if input.trim_end_matches([' ', '\t', '\r']).ends_with('\n') {
        return false;
    }
    if starts_definition(text) {
        // A definition is a policy item: unfinished when the policy parser runs out of text
        // (`rule big: Bool =`, an open bracket, doc comments and attributes still waiting for
        // their `rule`).
        return parse_module(LINE_SOURCE, text).is_err_and(|es| at_end_of_input(&es));
    }
    matches!(
        parse_input(input, 0..input.len()),
        Input::Invalid {
            incomplete: true,
            ..
        }
    )
}

/// Whether a typed input is a definition, as written in a policy file: its first line that is
/// neither blank nor a `#` comment is a `///` doc comment, an `@attribute` or starts with `rule`.
pub fn starts_definition(text: &str) -> bool {
    text.lines()
        .map(str::trim_start)
        .find(|l| !l.is_empty() && !l.starts_with('#'))
        .is_some_and(|l| {
            l.starts_with("///")
                || l.starts_with('@')
                || l.strip_prefix("rule")
                    .is_some_and(|rest| rest.starts_with(char::is_whitespace))
        })
}

/// A range without the blanks around its text.
fn trimmed(line: &str, range: Range<usize>) -> Range<usize> {
    let t = &line[range.clone()];
    let start = range.start + (t.len() - t.trim_start().len());
    let end = range.start + t.trim_end().len();
    start..end.max(start)
}

/// `let NAME =` at the start of a text: the name and the offset just after `=`.
fn binding_head(text: &str) -> Option<(String, usize)> {
    let rest = text.strip_prefix("let")?;
    let after_kw = rest.trim_start();
    if after_kw.len() == rest.len() {
        return None; // `letter`, not `let`
    }
    let name_len = after_kw
        .char_indices()
        .find(|(_, c)| !(c.is_ascii_alphanumeric() || *c == '_'))
        .map_or(after_kw.len(), |(i, _)| i);
    if name_len == 0 {
        return None;
    }
    let name = &after_kw[..name_len];
    let after_name = after_kw[name_len..].trim_start();
    let rhs = after_name.strip_prefix('=')?;
    if rhs.starts_with('=') {
        return None;
    }
    Some((name.to_string(), text.len() - rhs.len()))
}

/// Parses an expression that is part of a line; errors point into the line.
fn parse_part(line: &str, range: &Range<usize>) -> Result<(), Vec<Error>> {
    parse_expr(LINE_SOURCE, &line[range.clone()])
        .map(|_| ())
        .map_err(|es| shift_errors(es, LINE_SOURCE, range.start as isize))
}

/// Moves every span of a source by `delta` bytes.
fn shift_errors(mut errors: Vec<Error>, source: SourceId, delta: isize) -> Vec<Error> {
    let shift = |s: &mut Span| {
        if s.source == source {
            s.start = (s.start as isize + delta).max(0) as u32;
            s.end = (s.end as isize + delta).max(0) as u32;
        }
    };
    for e in &mut errors {
        if let Location::Policy(s) = &mut e.location {
            shift(s);
        }
        for (s, _) in &mut e.notes {
            shift(s);
        }
    }
    errors
}

fn at_end_of_input(errors: &[Error]) -> bool {
    errors
        .iter()
        .any(|e| matches!(&e.kind, ErrorKind::Syntax { found, .. } if found == "end of input"))
}

/// Whether a text that does not parse is only missing its end: with its open brackets closed it
/// parses (`count(ttm`, `max(1, 2`), or with a number on the next line and its brackets closed it
/// parses or fails only after the text. That catches unclosed calls and trailing operators
/// (`1 +`, `count(sales where`), whose errors the parser reports at the bracket or the operator
/// rather than at the end.
fn continues(text: &str) -> bool {
    let Some(open) = open_brackets(text) else {
        return false;
    };
    let closers: String = open
        .iter()
        .rev()
        .map(|c| match c {
            '(' => ')',
            '[' => ']',
            _ => '}',
        })
        .collect();
    if !closers.is_empty() && parse_expr(LINE_SOURCE, &format!("{text}{closers}")).is_ok() {
        return true;
    }
    match parse_expr(LINE_SOURCE, &format!("{text}\n0{closers}")) {
        Ok(_) => true,
        Err(es) => furthest(&es) as usize >= text.len(),
    }
}

/// The brackets left open, outside text literals and comments; `None` when one is closed by
/// the wrong bracket or was never opened.
fn open_brackets(text: &str) -> Option<Vec<char>> {
    let mut open = Vec::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                while let Some(c) = chars.next() {
                    match c {
                        '\\' => {
                            chars.next();
                        }
                        '"' | '\n' => break,
                        _ => {}
                    }
                }
            }
            '#' => {
                for c in chars.by_ref() {
                    if c == '\n' {
                        break;
                    }
                }
            }
            '(' | '[' | '{' => open.push(c),
            ')' | ']' | '}' => {
                let want = match c {
                    ')' => '(',
                    ']' => '[',
                    _ => '{',
                };
                if open.pop() != Some(want) {
                    return None;
                }
            }
            _ => {}
        }
    }
    Some(open)
}

fn furthest(errors: &[Error]) -> u32 {
    errors
        .iter()
        .filter_map(|e| match e.location {
            Location::Policy(s) => Some(s.start),
            _ => None,
        })
        .max()
        .unwrap_or(0)
}
