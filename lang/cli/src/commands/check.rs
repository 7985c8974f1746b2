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
    /// Fail (exit status 1) when the policies have warnings, as CI should.
    #[arg(long)]
    deny_warnings: bool,
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
            let warnings = p.warnings();
            if !warnings.is_empty() {
                eprint!("{}", warnings.render(crate::report::colour()));
            }
            eprintln!("{}", summary(&p));
            warnings_status(warnings.len(), args.deny_warnings)
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

/// The exit status of policies that compile: 1 when warnings are denied, else 0.
fn warnings_status(count: usize, deny: bool) -> u8 {
    match (count, deny) {
        (0, _) => 0,
        (n, true) => {
            eprintln!("{n} warning(s), denied by --deny-warnings");
            1
        }
        (n, false) => {
            eprintln!("{n} warning(s)");
            0
        }
    }
}

/// `--format json`: every diagnostic on stdout, nothing on stderr; the exit status as for text.
fn json(args: Args) -> u8 {
    let path = args.policies.clone().or_else(super::default_policies);
    let loaded = match path {
        Some(p) => Policies::load(p),
        None => Policies::standard(),
    };
    let (diagnostics, code) = match &loaded {
        Ok(p) => {
            let warnings: Vec<_> = p.warnings().iter().collect();
            let code = u8::from(args.deny_warnings && !warnings.is_empty());
            (warnings, code)
        }
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
