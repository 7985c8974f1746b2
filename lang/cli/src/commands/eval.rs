//! `eligo eval`: the outcomes of one partner.

use crate::report;
use crate::Format;
use eligo::{EvalOptions, Outcomes};
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
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Only these outcomes: an id, or a prefix of ids (`capability_score`). Repeatable.
    #[arg(long = "outcome", value_name = "ID_OR_PREFIX")]
    outcomes: Vec<String>,
    /// Treat unknown keys in the facts as errors instead of warnings.
    #[arg(long)]
    strict: bool,
    /// Stop an evaluation after this many steps.
    #[arg(long, value_name = "N", default_value_t = EvalOptions::default_max_steps())]
    max_steps: u64,
    /// Print the evaluation steps spent in each rule to stderr (where the time goes).
    #[arg(long)]
    profile: bool,
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
    let options = EvalOptions::new()
        .max_steps(args.max_steps)
        .profile(args.profile);
    let outcomes = match start
        .policies
        .evaluate(&facts, &start.selection, as_of, &options)
    {
        Ok(o) => o,
        Err(e) => {
            if let eligo::Error::Evaluation(ev) = &e {
                if let Some(id) = &ev.outcome {
                    eprintln!("error while evaluating outcome `{id}` as of {as_of}:");
                }
            }
            return report::failure(&e);
        }
    };
    if let Some(p) = outcomes.profile() {
        eprintln!("profile: {} steps in all", p.steps);
        for (name, n) in p.per_rule.iter().take(25).filter(|(_, n)| *n > 0) {
            eprintln!("  {n:>9}  {name}");
        }
    }
    let out = match args.format {
        Format::Json => outcomes.to_json(true),
        Format::Text => text_table(&outcomes),
    };
    match out {
        Ok(out) => crate::output::print(&out).err().unwrap_or(0),
        Err(e) => report::failure(&e),
    }
}

fn text_table(outcomes: &Outcomes<'_>) -> Result<String, eligo::Error> {
    let width = outcomes.iter().map(|o| o.id.len()).max().unwrap_or(0);
    let mut out = format!(
        "partner {} · as of {} · {} outcome(s)\n\n",
        eligo::printable(outcomes.partner().unwrap_or("(unnamed)")),
        outcomes.as_of().format("%Y-%m-%d"),
        outcomes.iter().len()
    );
    for o in outcomes.iter() {
        out.push_str(&format!(
            "  {:width$}  {}\n",
            o.id,
            o.text()?,
            width = width
        ));
    }
    Ok(out)
}
