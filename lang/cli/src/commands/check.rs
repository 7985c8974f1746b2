//! `eligo check`: every stage but evaluation.

use std::path::PathBuf;

/// The command's arguments.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// A policy file or folder (default: the built-in standard policies).
    policies: Option<PathBuf>,
    /// Fail (exit status 1) when the policies have warnings, as CI should.
    #[arg(long)]
    deny_warnings: bool,
}

/// Runs the command; returns the exit status.
pub fn run(args: Args) -> u8 {
    match super::load(args.policies.as_deref()) {
        Ok(p) => {
            let warnings = p.warnings();
            if !warnings.is_empty() {
                eprint!("{}", warnings.render(crate::report::colour()));
            }
            eprintln!(
                "ok: {} file(s), {} rule(s), {} table(s), {} outcome(s)",
                p.sources().len(),
                p.rules().len(),
                p.tables().count(),
                p.outcomes().len()
            );
            if warnings.is_empty() {
                0
            } else if args.deny_warnings {
                eprintln!("{} warning(s), denied by --deny-warnings", warnings.len());
                1
            } else {
                eprintln!("{} warning(s)", warnings.len());
                0
            }
        }
        Err(code) => code,
    }
}
