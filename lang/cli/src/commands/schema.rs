//! `eligo schema`: the JSON Schema of the facts a policy set declares.

use crate::report;
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
    let policies = match super::load(args.policies.as_deref()) {
        Ok(p) => p,
        Err(code) => return code,
    };
    match policies.facts_schema() {
        Ok(schema) => {
            // `{:#}`: two-space indented, keys in the schema's order.
            report::stdout(&format!("{schema:#}\n"));
            0
        }
        Err(e) => report::failure(&e),
    }
}
