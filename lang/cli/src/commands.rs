//! One module per subcommand.

pub mod batch;
pub mod check;
pub mod eval;
pub mod explain;
pub mod fmt;
pub mod generate;
pub mod repl;
pub mod test;

use crate::report;
use eligo::driver::{compile_sources, policy_sources, LoadedSources};
use eligo::eval::Compiled;
use std::path::Path;

/// Loads and compiles policies (the built-in ones when no path is given); reports errors.
pub fn load_program(path: Option<&Path>) -> Result<Compiled, u8> {
    load_sources(path).and_then(compile)
}

/// Reads the policy files at `path` (the embedded standard policies without one).
pub fn load_sources(path: Option<&Path>) -> Result<LoadedSources, u8> {
    match path {
        Some(p) => policy_sources(p).map_err(|e| {
            report::error(&e);
            1
        }),
        None => Ok(crate::stdlib::sources()),
    }
}

/// Compiles policy files, reporting their errors.
pub fn compile(sources: LoadedSources) -> Result<Compiled, u8> {
    compile_sources(sources).map_err(|failed| {
        report::errors(&failed.errors, &failed.sources);
        1
    })
}

/// What `eval`, `explain` and `batch` all start with.
pub struct Prepared {
    /// The policy files the program was compiled from.
    pub sources: LoadedSources,
    /// The compiled policies.
    pub program: Compiled,
    /// `--as-of`, if given.
    pub as_of: Option<chrono::NaiveDate>,
    /// The outcomes selected by `--outcome` (every outcome without it).
    pub selected: Vec<usize>,
    /// Which facts roots to read: `None` reads everything (no `--outcome`).
    pub roots: Option<std::sync::Arc<[bool]>>,
}

/// Parses `--as-of`, compiles the policies and selects the outcomes; reports errors and gives the
/// exit status on failure (2 for usage, 1 for invalid policies).
pub fn prepare(
    policies: Option<&Path>,
    as_of: Option<&str>,
    outcomes: &[String],
) -> Result<Prepared, u8> {
    let as_of = as_of.map(eval::parse_date).transpose().map_err(|e| {
        report::error(&e);
        2
    })?;
    let sources = load_sources(policies)?;
    let program = compile(sources.clone())?;
    let selected = eval::select(&program, outcomes).map_err(|e| {
        report::error(&e);
        2
    })?;
    // With --outcome, parts of the facts no selected outcome reads are checked as JSON only.
    let roots = (!outcomes.is_empty()).then(|| program.program().roots_read(&selected).into());
    Ok(Prepared {
        sources,
        program,
        as_of,
        selected,
        roots,
    })
}

/// Reads and checks one partner's facts; prints warnings; reports errors (exit status 1).
pub fn partner_facts(
    prepared: &Prepared,
    path: &Path,
    strict: bool,
) -> Result<eligo::facts::Facts, u8> {
    let (name, text) = eval::read_facts(path).map_err(|e| {
        report::error(&e);
        1u8
    })?;
    let options = eligo::facts::LoadOptions {
        strict,
        roots: prepared.roots.clone(),
        ..eligo::facts::LoadOptions::default()
    };
    let facts = eligo::facts::load_facts(
        prepared.program.program().facts_view(),
        &name,
        &text,
        options,
    )
    .map_err(|e| {
        report::error(&e);
        1u8
    })?;
    for w in &facts.warnings {
        report::warning(&format!("{name}: {w}"));
    }
    Ok(facts)
}

/// Where `batch` and `generate` write: a file created for it, or standard output. Reports a file
/// that cannot be created (exit status 1).
pub fn output(path: Option<&Path>) -> Result<Box<dyn std::io::Write>, u8> {
    match path {
        Some(p) => std::fs::File::create(p)
            .map(|f| Box::new(f) as Box<dyn std::io::Write>)
            .map_err(|e| {
                let shown = p.display().to_string();
                report::error(&eligo::diag::Error::in_file(
                    &shown,
                    eligo::diag::ErrorKind::CannotRead {
                        path: shown.clone(),
                        reason: e.to_string(),
                    },
                ));
                1
            }),
        None => Ok(Box::new(std::io::stdout().lock())),
    }
}
