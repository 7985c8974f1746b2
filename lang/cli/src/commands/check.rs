//! `eligo check`: every stage but evaluation.

use std::path::PathBuf;

/// The command's arguments.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// A policy file or folder (default: the current folder if it holds `eligo.toml`, else the
    /// built-in standard policies).
    policies: Option<PathBuf>,
}

/// Runs the command; returns the exit status.
pub fn run(args: Args) -> u8 {
    match super::load(args.policies.as_deref()) {
        Ok(p) => {
            eprintln!(
                "ok: {} file(s), {} rule(s), {} table(s), {} outcome(s)",
                p.sources().len(),
                p.rules().len(),
                p.tables().count(),
                p.outcomes().len()
            );
            0
        }
        Err(code) => code,
    }
}
