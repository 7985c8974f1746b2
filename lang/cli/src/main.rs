//! The `eligo` command line: argument parsing and terminal output around the `eligo` library.
#![forbid(unsafe_code)]

mod commands;
mod repl;
mod report;
mod stdlib;

use clap::{Parser, Subcommand, ValueEnum};

/// Evaluation allocates many small values (records, lists); mimalloc serves them faster than the
/// system allocator (docs/performance.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
use std::path::PathBuf;
use std::process::ExitCode;

/// eligo: eligibility rules as policy files, checked and evaluated exactly.
#[derive(Parser, Debug)]
#[command(name = "eligo", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// Output formats.
#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum Format {
    /// For people: a table (`eval`) or a tree (`explain`).
    Text,
    /// For programs: `eligo.outcomes/1` (`eval`) or `eligo.explanation/1` (`explain`).
    Json,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Parse, resolve and type-check policies; report every error.
    Check {
        /// A policy file or folder (default: the built-in standard policies).
        policies: Option<PathBuf>,
    },
    /// Evaluate the outcomes of policies against one partner's facts.
    Eval {
        /// A policy file or folder (default: the built-in standard policies).
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
        #[arg(long, value_name = "N", default_value_t = eligo::eval::Limits::default().max_steps)]
        max_steps: u64,
        /// Print the evaluation steps spent in each rule to stderr (where the time goes).
        #[arg(long)]
        profile: bool,
    },
    /// Evaluate a population: NDJSON facts in, NDJSON outcomes out, in input order.
    Batch {
        /// A policy file or folder (default: the built-in standard policies).
        policies: Option<PathBuf>,
        /// The population: one facts document per line (NDJSON), or `-` for standard input.
        #[arg(long)]
        population: PathBuf,
        /// The evaluation date (YYYY-MM-DD); default: each line's `as_of`, else today.
        #[arg(long, value_name = "DATE")]
        as_of: Option<String>,
        /// Only these outcomes: an id, or a prefix of ids. Repeatable.
        #[arg(long = "outcome", value_name = "ID_OR_PREFIX")]
        outcomes: Vec<String>,
        /// Write the outcomes here instead of standard output.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// Worker threads (default: one per core).
        #[arg(long, value_name = "N")]
        jobs: Option<usize>,
        /// Treat unknown keys in the facts as errors.
        #[arg(long)]
        strict: bool,
        /// Stop a line's evaluation after this many steps.
        #[arg(long, value_name = "N", default_value_t = eligo::eval::Limits::default().max_steps)]
        max_steps: u64,
    },
    /// Write a seeded, realistic population of partner facts as NDJSON.
    Generate {
        /// How many partners.
        #[arg(long, value_name = "N")]
        partners: u64,
        /// The seed: the same seed gives the same bytes.
        #[arg(long, value_name = "S", default_value_t = 1)]
        seed: u64,
        /// Write here instead of standard output.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Explain outcomes: the rules and criteria that decided them, how far each failed
    /// threshold is, and when the outcome will change by itself.
    Explain(commands::explain::Args),
    /// Evaluate expressions interactively against loaded policies and facts.
    Repl(commands::repl::Args),
    /// Run the test cases kept next to policies, with rule coverage.
    Test(commands::test::Args),
    /// Lay out policy files in the canonical format.
    Fmt(commands::fmt::Args),
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    let code = eligo::driver::run_on_big_stack(move || match cli.command {
        Command::Check { policies } => commands::check::run(policies.as_deref()),
        Command::Eval {
            policies,
            facts,
            as_of,
            format,
            outcomes,
            strict,
            max_steps,
            profile,
        } => commands::eval::run(commands::eval::Args {
            policies,
            facts,
            as_of,
            format,
            outcomes,
            strict,
            max_steps,
            profile,
        }),
        Command::Batch {
            policies,
            population,
            as_of,
            outcomes,
            out,
            jobs,
            strict,
            max_steps,
        } => commands::batch::run(commands::batch::Args {
            policies,
            population,
            as_of,
            outcomes,
            out,
            jobs,
            strict,
            max_steps,
        }),
        Command::Generate {
            partners,
            seed,
            out,
        } => commands::generate::run(partners, seed, out.as_deref()),
        Command::Explain(args) => commands::explain::run(args),
        Command::Repl(args) => commands::repl::run(args),
        Command::Test(args) => commands::test::run(args),
        Command::Fmt(args) => commands::fmt::run(args),
    });
    ExitCode::from(code)
}
