//! `eligo check`: every stage but evaluation; diagnostics for people or as JSON for CI.

use crate::report;
use eligo::Policies;
use std::path::PathBuf;

/// The command's arguments.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// A policy file or folder (default: the current folder if it holds `eligo.toml`, else the
    /// built-in standard policies).
    policies: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

/// How `check` reports.
#[derive(Clone, Copy, Debug, clap::ValueEnum, PartialEq, Eq)]
pub enum Format {
    /// For people: diagnostics on stderr, a summary line when clean.
    Text,
    /// For programs (CI annotations): the document `eligo.diagnostics/1` on stdout.
    Json,
}

/// Runs the command; returns the exit status.
pub fn run(args: Args) -> u8 {
    if args.format == Format::Json {
        return json(args);
    }
    match super::load(args.policies.as_deref()) {
        Ok(p) => {
            eprintln!("{}", summary(&p));
            0
        }
        Err(code) => code,
    }
}

/// `ok: 1 file(s), 2 rule(s), 0 table(s), 8 outcome(s)`
fn summary(p: &Policies) -> String {
    format!(
        "ok: {} file(s), {} rule(s), {} table(s), {} outcome(s)",
        p.sources().len(),
        p.rules().len(),
        p.tables().count(),
        p.outcomes().len()
    )
}

/// `--format json`: every diagnostic on stdout, nothing on stderr; the exit status as for text.
fn json(args: Args) -> u8 {
    let path = args.policies.clone().or_else(super::default_policies);
    let loaded = match path {
        Some(p) => Policies::load(p),
        None => Policies::standard(),
    };
    let (diagnostics, code) = match &loaded {
        Ok(_) => (Vec::new(), 0),
        Err(e) => (
            e.diagnostics().iter().collect(),
            if matches!(e, eligo::Error::Request(_)) {
                2
            } else {
                1
            },
        ),
    };
    report::stdout(&format!("{:#}\n", eligo::diagnostics_json(&diagnostics)));
    code
}
