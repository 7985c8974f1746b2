//! `eligo explain`: why, why not, and how far.

use crate::report;
use eligo::explain::render::{json, text, Style};
use eligo::explain::{explain, ExplainOptions};
use std::io::IsTerminal;
use std::path::PathBuf;

/// The command's arguments.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// A policy file or folder (default: the built-in standard policies).
    policies: Option<PathBuf>,
    /// The partner's facts (JSON), or `-` for standard input.
    #[arg(long)]
    facts: PathBuf,
    /// The evaluation date (YYYY-MM-DD); default: the facts' `as_of`, else today.
    #[arg(long, value_name = "DATE")]
    as_of: Option<String>,
    /// Only these outcomes: an id, or a prefix of ids. Repeatable.
    #[arg(long = "outcome", value_name = "ID_OR_PREFIX")]
    outcomes: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = crate::Format::Text)]
    format: crate::Format,
    /// Days ahead searched for the dates the outcomes change by themselves.
    #[arg(long, value_name = "DAYS", default_value_t = 731)]
    horizon: u32,
    /// Treat unknown keys in the facts as errors.
    #[arg(long)]
    strict: bool,
}

/// Runs the command; returns the exit status.
pub fn run(args: Args) -> u8 {
    let prepared = match super::prepare(
        args.policies.as_deref(),
        args.as_of.as_deref(),
        &args.outcomes,
    ) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let facts = match super::partner_facts(&prepared, &args.facts, args.strict) {
        Ok(f) => f,
        Err(code) => return code,
    };
    let (program, selected) = (&prepared.program, &prepared.selected);
    let as_of = prepared
        .as_of
        .or(facts.as_of)
        .unwrap_or_else(|| chrono::Local::now().date_naive());
    let options = ExplainOptions {
        horizon_days: args.horizon,
        ..ExplainOptions::default()
    };
    let explanations = match explain(program, &facts, as_of, selected, options) {
        Ok(e) => e,
        Err(e) => {
            report::errors(&[e], &program.program().sources);
            return 1;
        }
    };
    let out = match args.format {
        crate::Format::Json => json(&explanations, as_of, facts.partner.as_deref()),
        crate::Format::Text => {
            let colour = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
            format!(
                "partner {} · as of {as_of}\n\n{}",
                facts.partner.as_deref().unwrap_or("(unnamed)"),
                text(&explanations, Style { colour }, args.horizon)
            )
        }
    };
    report::stdout(&out);
    0
}
