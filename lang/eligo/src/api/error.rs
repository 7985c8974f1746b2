//! Errors of the front door: what failed ([`Error`]) and its diagnostics ([`Diagnostics`]), as
//! data or rendered as the command line shows them.

use crate::diag::{self, render_all, Diagnostic, FactsPath, FactsProblem, Location};
use crate::source::SourceMap;
use chrono::NaiveDate;
use std::fmt;
use std::ops::Range;

/// Diagnostics and the source files they point into.
#[derive(Debug, Clone)]
pub struct Diagnostics {
    errors: Vec<diag::Error>,
    sources: SourceMap,
}

impl Diagnostics {
    pub(crate) fn new(errors: Vec<diag::Error>, sources: SourceMap) -> Self {
        Diagnostics { errors, sources }
    }

    /// One diagnostic that points into no policy file (a facts file, a command-line value).
    pub(crate) fn one(error: diag::Error) -> Self {
        Diagnostics::new(vec![error], SourceMap::new())
    }

    /// The diagnostics as data.
    pub fn iter(&self) -> impl Iterator<Item = Diagnostic> + '_ {
        self.errors.iter().map(|e| e.diagnostic(&self.sources))
    }

    /// The codes, in order.
    pub fn codes(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.errors.iter().map(|e| e.code())
    }

    /// How many there are.
    pub fn len(&self) -> usize {
        self.errors.len()
    }

    /// Whether there is none.
    pub fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }

    /// Whether one is an internal error (E0900): a bug of eligo.
    pub fn is_internal(&self) -> bool {
        self.errors.iter().any(|e| e.kind.is_internal())
    }

    /// As a person reads them (miette), with colour when asked; after more than one error, a
    /// line with their number (warnings are not counted: `eligo check` counts them itself).
    pub fn render(&self, colour: bool) -> String {
        let mut out = render_all(&self.errors, &self.sources, colour);
        let errors = self.errors.iter().filter(|e| !e.kind.is_warning()).count();
        if errors > 1 {
            out.push_str(&format!("{errors} errors\n"));
        }
        out
    }
}

/// The messages, one line each: `E0201: unknown name `x``.
impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.errors.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{}: {e}", e.code())?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

/// What went wrong.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum Error {
    /// Policy files that cannot be read or do not check (E00xx–E03xx).
    Policies(Diagnostics),
    /// Facts that cannot be read (E04xx).
    Facts(FactsError),
    /// An evaluation that failed (E05xx, or an internal error, E0900).
    Evaluation(EvaluationError),
    /// A request the policies cannot answer: an outcome they do not have, a date that is none
    /// (E06xx). The command line exits with 2 for these.
    Request(Diagnostics),
    /// A file that cannot be read or written (E0001) other than policies and facts: an output
    /// file, a population, a folder of tests.
    File(Diagnostics),
    /// A broken invariant of eligo itself (E0900), never of the policies or the facts: a value
    /// that does not have its type's shape when written out. Please report it.
    Internal(Diagnostics),
}

impl Error {
    /// The diagnostics of the error.
    pub fn diagnostics(&self) -> &Diagnostics {
        match self {
            Error::Policies(d) | Error::Request(d) | Error::File(d) | Error::Internal(d) => d,
            Error::Facts(f) => &f.diagnostics,
            Error::Evaluation(e) => &e.diagnostics,
        }
    }

    /// One line for where a value would be shown (an editor's hint, a REPL table):
    /// `error E0502: division by zero`, from the first diagnostic.
    pub fn headline(&self) -> String {
        match self.diagnostics().iter().next() {
            Some(d) => format!("error {}: {}", d.code, d.message),
            None => "error".to_string(),
        }
    }

    /// As a person reads it; see [`Diagnostics::render`].
    pub fn render(&self, colour: bool) -> String {
        self.diagnostics().render(colour)
    }

    /// An internal error (E0900) that points into no file.
    pub(crate) fn internal(error: diag::Error) -> Error {
        Error::Internal(Diagnostics::one(error))
    }

    /// `cannot read PATH: REASON` (E0001), about a file a front end reads or writes.
    pub fn file(path: &str, reason: impl Into<String>) -> Error {
        Error::File(Diagnostics::one(diag::Error::in_file(
            path,
            diag::ErrorKind::CannotRead {
                path: path.to_string(),
                reason: reason.into(),
            },
        )))
    }

    /// `` `PATH` exists already `` (E0610), about a file a front end would not overwrite.
    pub fn exists(path: &str) -> Error {
        Error::File(Diagnostics::one(diag::Error::in_file(
            path,
            diag::ErrorKind::WouldOverwrite {
                path: path.to_string(),
            },
        )))
    }

    /// `cannot write PATH: REASON` (E0006): output a front end could not write (a full disk, a
    /// closed device); `path` is the file, or `standard output`.
    pub fn write(path: &str, reason: impl Into<String>) -> Error {
        Error::File(Diagnostics::one(diag::Error::in_file(
            path,
            diag::ErrorKind::CannotWrite {
                path: path.to_string(),
                reason: reason.into(),
            },
        )))
    }

    pub(crate) fn facts(e: diag::Error) -> Error {
        Error::Facts(FactsError {
            diagnostics: Diagnostics::one(e.clone()),
            error: e,
        })
    }

    pub(crate) fn request(e: diag::Error) -> Error {
        Error::Request(Diagnostics::one(e))
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.diagnostics())
    }
}

impl std::error::Error for Error {}

/// Facts that cannot be read: where in the document (a JSON path and a byte range) and what is
/// wrong, as data.
#[derive(Debug, Clone)]
pub struct FactsError {
    /// The error; `diagnostics` holds it and nothing else (made only by `Error::facts`).
    error: diag::Error,
    diagnostics: Diagnostics,
}

impl FactsError {
    /// The code: E0401 (not JSON), E0402 (a value), E0403 (an unknown key), E0404 (too large),
    /// E0405 (no facts declared), E0001 (cannot be read).
    pub fn code(&self) -> &'static str {
        self.error.code()
    }

    /// The JSON path of the value or key, for E0402 and E0403.
    pub fn path(&self) -> Option<&FactsPath> {
        match &self.error.kind {
            diag::ErrorKind::FactsValue { path, .. }
            | diag::ErrorKind::UnknownFactsKey { path, .. } => Some(path),
            _ => None,
        }
    }

    /// What is wrong with the value, for E0402.
    pub fn problem(&self) -> Option<&FactsProblem> {
        match &self.error.kind {
            diag::ErrorKind::FactsValue { problem, .. } => Some(problem),
            _ => None,
        }
    }

    /// The bytes of the document the error points at.
    pub fn span(&self) -> Option<Range<usize>> {
        match &self.error.location {
            Location::File { offset, len, .. } => Some(*offset..offset + len),
            _ => None,
        }
    }

    /// The diagnostic.
    pub fn diagnostics(&self) -> &Diagnostics {
        &self.diagnostics
    }
}

/// An evaluation that failed: which outcome, as of which date, and why.
#[derive(Debug, Clone)]
pub struct EvaluationError {
    /// The outcome being evaluated (none for a rule evaluated on its own).
    pub outcome: Option<String>,
    /// The evaluation date.
    pub as_of: NaiveDate,
    diagnostics: Diagnostics,
}

impl EvaluationError {
    pub(crate) fn new(
        outcome: Option<String>,
        as_of: NaiveDate,
        error: diag::Error,
        sources: &SourceMap,
    ) -> Self {
        EvaluationError {
            outcome,
            as_of,
            diagnostics: Diagnostics::new(vec![error], sources.clone()),
        }
    }

    pub(crate) fn from_diagnostics(
        outcome: Option<String>,
        as_of: NaiveDate,
        diagnostics: Diagnostics,
    ) -> Self {
        EvaluationError {
            outcome,
            as_of,
            diagnostics,
        }
    }

    /// The diagnostic.
    pub fn diagnostics(&self) -> &Diagnostics {
        &self.diagnostics
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_facts_error_has_the_code_of_the_error_it_holds() {
        let too_large = diag::ErrorKind::FactsTooLarge {
            size: None,
            limit: 1,
        };
        let Error::Facts(f) = Error::facts(diag::Error::in_file("f.json", too_large)) else {
            panic!("a facts error");
        };
        assert_eq!(f.code(), "E0404");
        assert_eq!(f.diagnostics().codes().collect::<Vec<_>>(), ["E0404"]);
    }
}
