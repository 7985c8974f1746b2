//! `eligo explain`: why, why not, and how far.

use crate::report;
use eligo::ExplainOptions;
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
    let start = match super::Start::new(
        args.policies.as_deref(),
        args.as_of.as_deref(),
        &args.outcomes,
    ) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let (facts, as_of) = match start.facts(&args.facts, args.strict) {
        Ok(f) => f,
        Err(code) => return code,
    };
    let options = ExplainOptions::new().horizon_days(args.horizon);
    let explanations = match start
        .policies
        .explain(&facts, &start.selection, as_of, &options)
    {
        Ok(e) => e,
        Err(e) => return report::failure(&e),
    };
    let out = match args.format {
        crate::Format::Json => explanations.json(),
        crate::Format::Text => {
            let colour = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
            format!(
                "partner {} · as of {as_of}\n\n{}",
                eligo::printable(facts.partner().unwrap_or("(unnamed)")),
                explanations.text(colour)
            )
        }
    };
    crate::output::print(&out).err().unwrap_or(0)
}
