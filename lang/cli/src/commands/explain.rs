//! `eligo explain`: why, why not, and how far.

use crate::report;
use eligo::{ExplainOptions, TextOptions, View};
use std::io::IsTerminal;
use std::path::PathBuf;

/// The command's arguments.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// A policy file or folder (default: the current folder if it holds `eligo.toml`, else the
    /// built-in standard policies).
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
    /// Explain a rule call instead of outcomes: `certified_people(data_ai_intermediate)`.
    #[arg(long, value_name = "CALL", conflicts_with = "outcomes")]
    rule: Option<String>,
    /// The author's full tree (rules, criteria, metrics, citations, facts read) instead of the
    /// short summary.
    #[arg(long)]
    tree: bool,
    /// Fit lines to this many columns (default: the terminal's width; off a terminal, no limit).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(20..))]
    width: Option<u16>,
    /// Tree levels shown below each outcome (with --tree).
    #[arg(long, value_name = "N")]
    depth: Option<usize>,
    /// Only the outcomes that fail, and in the tree only the way to each failure.
    #[arg(long)]
    failed_only: bool,
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
    let explained = match &args.rule {
        Some(call) => start.policies.explain_rule(&facts, call, as_of, &options),
        None => start
            .policies
            .explain(&facts, &start.selection, as_of, &options),
    };
    let explanations = match explained {
        Ok(e) => e,
        Err(e) => return report::failure(&e),
    };
    let out = match args.format {
        crate::Format::Json => explanations.json(),
        crate::Format::Text => {
            let terminal = std::io::stdout().is_terminal();
            let width = args.width.map(usize::from).or_else(|| {
                terminal
                    .then(|| terminal_size::terminal_size().map(|(w, _)| usize::from(w.0)))
                    .flatten()
            });
            let options = TextOptions {
                colour: terminal && std::env::var_os("NO_COLOR").is_none(),
                width,
                depth: args.depth,
                failed_only: args.failed_only,
                view: if args.tree { View::Tree } else { View::Summary },
            };
            format!(
                "partner {} · as of {as_of}\n\n{}",
                eligo::printable(facts.partner().unwrap_or("(unnamed)")),
                explanations.text_with(&options)
            )
        }
    };
    crate::output::print(&out).err().unwrap_or(0)
}
