//! One module per subcommand, and what `eval`, `explain` and `batch` start with.

pub mod batch;
pub mod check;
pub mod diff;
pub mod eval;
pub mod explain;
pub mod fmt;
pub mod generate;
pub mod init;
pub mod lsp;
pub mod repl;
pub mod report;
pub mod schema;
pub mod test;
pub mod test_update;

use chrono::NaiveDate;
use eligo::{Error, Facts, FactsOptions, Policies, Selection};
use std::path::{Path, PathBuf};

/// The project file `eligo init` writes at the root of a policy folder.
pub const PROJECT_FILE: &str = "eligo.toml";

/// The policies a command uses when none are given: the current folder when it is a project
/// (it holds `eligo.toml`), else `None`, the standard policies built in.
pub fn default_policies() -> Option<PathBuf> {
    Path::new(PROJECT_FILE)
        .is_file()
        .then(|| PathBuf::from("."))
}

/// Compiles the policies at a path (else those of [`default_policies`]); reports their errors.
pub fn load(policies: Option<&Path>) -> Result<Policies, u8> {
    match policies.map(Path::to_path_buf).or_else(default_policies) {
        Some(p) => Policies::load(p),
        None => Policies::standard(),
    }
    .map_err(|e| crate::report::failure(&e))
}

/// What `eval`, `explain` and `batch` start with: the policies, `--as-of`, the outcomes
/// `--outcome` selects (all without it).
pub struct Start {
    /// The compiled policies.
    pub policies: Policies,
    /// `--as-of`, if given.
    pub as_of: Option<NaiveDate>,
    /// The outcomes to evaluate.
    pub selection: Selection,
}

impl Start {
    /// Parses `--as-of`, compiles the policies and selects the outcomes; reports errors and gives
    /// the exit status on failure (2 for usage, 1 for invalid policies).
    pub fn new(
        policies: Option<&Path>,
        as_of: Option<&str>,
        outcomes: &[String],
    ) -> Result<Start, u8> {
        let fail = |e: Error| crate::report::failure(&e);
        let as_of = as_of.map(eligo::parse_date).transpose().map_err(fail)?;
        let policies = load(policies)?;
        let selection = policies.select(outcomes).map_err(fail)?;
        Ok(Start {
            policies,
            as_of,
            selection,
        })
    }

    /// Reads and checks one partner's facts (`-` for standard input); prints warnings; reports
    /// errors (exit status 1). Gives the facts and the evaluation date.
    pub fn facts(&self, path: &Path, strict: bool) -> Result<(Facts, NaiveDate), u8> {
        let options = FactsOptions::new()
            .strict(strict)
            .for_selection(&self.selection);
        let facts = if path.as_os_str() == "-" {
            self.policies.read_facts_stdin(&options)
        } else {
            self.policies.read_facts_file(path, &options)
        }
        .map_err(|e| crate::report::failure(&e))?;
        for w in facts.warnings() {
            crate::report::warning(&format!("{}: {w}", facts.name()));
        }
        if facts.warnings_left_out() > 0 {
            crate::report::warning(&format!(
                "{}: and {} more unknown keys ignored",
                facts.name(),
                facts.warnings_left_out()
            ));
        }
        let as_of = facts.date(self.as_of);
        Ok((facts, as_of))
    }
}
