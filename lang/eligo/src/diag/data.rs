//! Diagnostics as data for tools (a language server, JSON output, a binding): the code, the
//! severity, the words, and labels that name their file, byte range, line and column. The same
//! words as the rendered text ([`super::render_all`]), without the excerpt.

use super::{text, Error, FactsWarning, Location};
use crate::source::{line_col, SourceMap};
use serde_json::{json, Value as Json};
use std::ops::Range;

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Severity {
    /// The input is refused.
    Error,
    /// The input is read, something in it is ignored.
    Warning,
}

/// One diagnostic, as data.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Diagnostic {
    /// The stable code, e.g. `E0301`.
    pub code: &'static str,
    /// Error or warning.
    pub severity: Severity,
    /// The one-line message.
    pub message: String,
    /// How to fix it, when there is something to say.
    pub help: Option<String>,
    /// The file the diagnostic is about as a whole, when it has no label (a file that cannot
    /// be read).
    pub file: Option<String>,
    /// Where it points: the primary label first.
    pub labels: Vec<Label>,
}

/// A place a diagnostic points at.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Label {
    /// The file's name as shown (a policy file's path in its folder, or a facts file's name).
    pub file: String,
    /// The bytes the label covers.
    pub range: Range<usize>,
    /// 1-based line of the range's start.
    pub line: usize,
    /// 1-based column (in characters) of the range's start.
    pub column: usize,
    /// 1-based line of the range's end.
    pub end_line: usize,
    /// 1-based column (in characters) of the range's end (just past its last character).
    pub end_column: usize,
    /// What the label says.
    pub text: String,
    /// Whether this is the place of the problem (the others add context).
    pub primary: bool,
}

impl Error {
    /// The error as data, its labels resolved against the files they point into.
    pub fn diagnostic(&self, sources: &SourceMap) -> Diagnostic {
        let mut labels = Vec::new();
        let mut file = None;
        match &self.location {
            Location::None => {}
            Location::Path(p) => file = Some(p.clone()),
            Location::Policy(span) => {
                let f = sources.get(span.source);
                let (line, column) = line_col(&f.text, span.start as usize);
                let (end_line, end_column) = line_col(&f.text, span.end as usize);
                labels.push(Label {
                    file: f.name.clone(),
                    range: span.start as usize..span.end as usize,
                    line,
                    column,
                    end_line,
                    end_column,
                    text: text::label(&self.kind),
                    primary: true,
                });
            }
            Location::File {
                name,
                text: t,
                offset,
                len,
            } => {
                let (line, column) = line_col(t, *offset);
                let (end_line, end_column) = line_col(t, offset + len);
                labels.push(Label {
                    file: name.clone(),
                    range: *offset..offset + len,
                    line,
                    column,
                    end_line,
                    end_column,
                    text: text::label(&self.kind),
                    primary: true,
                });
            }
        }
        for (span, note) in &self.notes {
            let f = sources.get(span.source);
            let (line, column) = line_col(&f.text, span.start as usize);
            let (end_line, end_column) = line_col(&f.text, span.end as usize);
            labels.push(Label {
                file: f.name.clone(),
                range: span.start as usize..span.end as usize,
                line,
                column,
                end_line,
                end_column,
                text: note.clone(),
                primary: false,
            });
        }
        Diagnostic {
            code: self.code(),
            severity: if self.kind.is_warning() {
                Severity::Warning
            } else {
                Severity::Error
            },
            message: text::message(&self.kind),
            help: text::help(&self.kind),
            file,
            labels,
        }
    }
}

impl FactsWarning {
    /// The warning as data: the code it has under `--strict` (E0403), about the facts file.
    pub fn diagnostic(&self, file: &str) -> Diagnostic {
        Diagnostic {
            code: "E0403",
            severity: Severity::Warning,
            message: self.to_string(),
            help: None,
            file: Some(file.to_string()),
            labels: Vec::new(),
        }
    }
}

impl Severity {
    /// `error` or `warning`, as `eligo.diagnostics/1` writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

impl Diagnostic {
    /// The diagnostic as one element of `eligo.diagnostics/1` (docs/cli.md): the primary
    /// label's place at the top, every label (primary first) under `labels`.
    pub fn to_json(&self) -> Json {
        let primary = self.labels.iter().find(|l| l.primary);
        let file = primary
            .map(|l| l.file.clone())
            .or_else(|| self.file.clone());
        let at = |f: fn(&Label) -> usize| primary.map(f);
        json!({
            "code": self.code,
            "severity": self.severity.as_str(),
            "message": self.message,
            "help": self.help,
            "file": file,
            "line": at(|l| l.line),
            "column": at(|l| l.column),
            "end_line": at(|l| l.end_line),
            "end_column": at(|l| l.end_column),
            "labels": self.labels.iter().map(Label::to_json).collect::<Vec<_>>(),
        })
    }
}

impl Label {
    fn to_json(&self) -> Json {
        json!({
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "byte_start": self.range.start,
            "byte_end": self.range.end,
            "text": self.text,
            "primary": self.primary,
        })
    }
}

/// A list of diagnostics as the document `eligo.diagnostics/1`: their number by severity and
/// each as [`Diagnostic::to_json`], in order.
pub fn diagnostics_json(list: &[Diagnostic]) -> Json {
    let count = |s: Severity| list.iter().filter(|d| d.severity == s).count();
    json!({
        "format": "eligo.diagnostics/1",
        "errors": count(Severity::Error),
        "warnings": count(Severity::Warning),
        "diagnostics": list.iter().map(Diagnostic::to_json).collect::<Vec<_>>(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::ErrorKind;
    use crate::source::Span;

    #[test]
    fn a_policy_error_points_at_its_file_line_and_column() {
        let mut sources = SourceMap::new();
        let id = sources.add("a.elg", "a", "rule x: Int =\n  nope\n");
        let e = Error::at(
            Span::new(id, 16, 20),
            ErrorKind::UnknownName {
                name: "nope".into(),
                suggestion: None,
            },
        );
        let d = e.diagnostic(&sources);
        assert_eq!(d.code, "E0201");
        assert_eq!(d.message, "unknown name `nope`");
        assert_eq!(d.severity, Severity::Error);
        assert_eq!(d.labels.len(), 1);
        let l = &d.labels[0];
        assert_eq!((l.file.as_str(), l.range.clone()), ("a.elg", 16..20));
        assert_eq!((l.line, l.column), (2, 3));
        assert_eq!((l.end_line, l.end_column), (2, 7));
        assert!(l.primary);
    }
}
