//! The project file, `eligo.toml`, at the root of a policy folder: what the editor's live values
//! evaluate (`eligo lsp`), written by `eligo init`.
//!
//! ```toml
//! # an eligo project: the policies are the .elg files of this folder
//! [live]                          # what the editor's live values evaluate (eligo lsp)
//! facts = "facts/example.json"    # relative to this file
//! as_of = "2025-06-30"            # optional: default the facts' as_of, else today
//! ```
//!
//! Every key is optional; a key the format does not have, and a value of the wrong kind, are
//! errors (E0801–E0803) naming the file, line and column.
//!
//! ```
//! let project = eligo::project::Project::parse(
//!     std::path::Path::new("/policies/eligo.toml"),
//!     "[live]\nfacts = \"facts/example.json\"\n",
//! )
//! .expect("a project file");
//! assert_eq!(project.live.facts.unwrap(), std::path::Path::new("/policies/facts/example.json"));
//! ```

use crate::api::{parse_date, Diagnostics, Error};
use crate::diag::{self, ErrorKind, Location};
use crate::source::SourceMap;
use chrono::NaiveDate;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use toml::de::{DeTable, DeValue};
use toml::Spanned;

/// The project file's name.
pub const PROJECT_FILE: &str = "eligo.toml";

/// Largest project file read, in bytes.
pub const MAX_PROJECT_BYTES: u64 = 1024 * 1024;

/// A project file, read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Project {
    /// The file.
    pub path: PathBuf,
    /// Its `[live]` table.
    pub live: Live,
}

/// What live values evaluate.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Live {
    /// The facts file, resolved against the project file's folder.
    pub facts: Option<PathBuf>,
    /// The evaluation date.
    pub as_of: Option<NaiveDate>,
}

const TOP_KEYS: &[&str] = &["live"];
const LIVE_KEYS: &[&str] = &["facts", "as_of"];

impl Project {
    /// The folder holding a project file: `start` (a folder) or the nearest of its ancestors.
    pub fn find(start: &Path) -> Option<PathBuf> {
        start
            .ancestors()
            .find(|dir| dir.join(PROJECT_FILE).is_file())
            .map(Path::to_path_buf)
    }

    /// Reads a project file.
    pub fn read(path: &Path) -> Result<Project, Error> {
        let shown = path.display().to_string();
        let text = crate::driver::read::text_file(path, &shown, MAX_PROJECT_BYTES)
            .map_err(|e| Error::File(Diagnostics::one(e)))?;
        Project::parse(path, &text)
    }

    /// Reads a project file's text; `path` names it in diagnostics and anchors relative paths.
    pub fn parse(path: &Path, text: &str) -> Result<Project, Error> {
        let file = ProjectText {
            name: path.display().to_string(),
            text: Arc::from(text),
        };
        let table = DeTable::parse(text).map_err(|e| {
            let range = e.span().unwrap_or(0..0);
            let kind = ErrorKind::ProjectSyntax {
                message: e.message().trim().to_string(),
            };
            file.fail(vec![file.error(range, kind)])
        })?;
        let mut errors = Vec::new();
        let mut live = Live::default();
        for (key, value) in table.get_ref() {
            if key.get_ref() != "live" {
                errors.push(file.unknown(key, "", TOP_KEYS));
                continue;
            }
            match value.get_ref() {
                DeValue::Table(t) => read_live(&file, path, t, &mut live, &mut errors),
                _ => errors.push(file.bad(value.span(), "live", "a table, `[live]`")),
            }
        }
        // In file order (the reader's tables are sorted by key).
        errors.sort_by_key(|e| match &e.location {
            Location::File { offset, .. } => *offset,
            _ => 0,
        });
        if errors.is_empty() {
            Ok(Project {
                path: path.to_path_buf(),
                live,
            })
        } else {
            Err(file.fail(errors))
        }
    }
}

fn read_live(
    file: &ProjectText,
    path: &Path,
    table: &DeTable<'_>,
    live: &mut Live,
    errors: &mut Vec<diag::Error>,
) {
    let folder = path.parent().unwrap_or(Path::new(""));
    for (key, value) in table {
        let span = value.span();
        match (key.get_ref().as_ref(), value.get_ref()) {
            ("facts", DeValue::String(s)) if !s.trim().is_empty() => {
                live.facts = Some(folder.join(s.as_ref()));
            }
            ("facts", _) => errors.push(file.bad(span, "live.facts", "a path, as a string")),
            ("as_of", DeValue::String(s)) => match parse_date(s) {
                Ok(d) => live.as_of = Some(d),
                Err(_) => errors.push(file.bad(span, "live.as_of", "a date, `YYYY-MM-DD`")),
            },
            ("as_of", DeValue::Datetime(d)) => match (d.date, d.time) {
                (Some(date), None) => {
                    let day = NaiveDate::from_ymd_opt(
                        i32::from(date.year),
                        u32::from(date.month),
                        u32::from(date.day),
                    );
                    match day {
                        Some(day) => live.as_of = Some(day),
                        None => errors.push(file.bad(span, "live.as_of", "a date, `YYYY-MM-DD`")),
                    }
                }
                _ => errors.push(file.bad(span, "live.as_of", "a date, `YYYY-MM-DD`")),
            },
            ("as_of", _) => errors.push(file.bad(span, "live.as_of", "a date, `YYYY-MM-DD`")),
            _ => errors.push(file.unknown(key, "live.", LIVE_KEYS)),
        }
    }
}

/// The file's name and text, for errors that point into it.
struct ProjectText {
    name: String,
    text: Arc<str>,
}

impl ProjectText {
    fn error(&self, range: Range<usize>, kind: ErrorKind) -> diag::Error {
        diag::Error::new(
            kind,
            Location::File {
                name: self.name.clone(),
                text: self.text.clone(),
                offset: range.start,
                len: range.len(),
            },
        )
    }

    fn unknown(
        &self,
        key: &Spanned<std::borrow::Cow<'_, str>>,
        prefix: &str,
        allowed: &'static [&'static str],
    ) -> diag::Error {
        let kind = ErrorKind::ProjectUnknownKey {
            key: format!("{prefix}{}", key.get_ref()),
            allowed: allowed.to_vec(),
        };
        self.error(key.span(), kind)
    }

    fn bad(&self, range: Range<usize>, key: &str, expected: &'static str) -> diag::Error {
        let kind = ErrorKind::ProjectBadValue {
            key: key.to_string(),
            expected,
        };
        self.error(range, kind)
    }

    fn fail(&self, errors: Vec<diag::Error>) -> Error {
        Error::File(Diagnostics::new(errors, SourceMap::new()))
    }
}
