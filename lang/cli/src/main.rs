//! The `eligo` command line: argument parsing and terminal output around the `eligo` library.
#![forbid(unsafe_code)]

mod commands;
mod counts;
mod git;
mod html;
mod output;
mod parquet;
mod population;
mod repl;
mod report;

use clap::{Parser, Subcommand, ValueEnum};

/// Evaluation allocates many small values (records, lists); mimalloc serves them faster than the
/// system allocator (docs/performance.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
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
    Check(commands::check::Args),
    /// Evaluate the outcomes of policies against one partner's facts.
    Eval(commands::eval::Args),
    /// Evaluate a population: NDJSON facts in, NDJSON outcomes out, in input order.
    Batch(commands::batch::Args),
    /// Compare two versions of the policies (or two dates) over a population: who gains, who
    /// loses, and why.
    Diff(commands::diff::Args),
    /// Write a seeded, realistic population of partner facts as NDJSON.
    Generate(commands::generate::Args),
    /// Explain outcomes: the rules and criteria that decided them, how far each failed
    /// threshold is, and when the outcome will change by itself.
    Explain(commands::explain::Args),
    /// Evaluate expressions interactively against loaded policies and facts.
    Repl(commands::repl::Args),
    /// Run the test cases kept next to policies, with rule coverage.
    Test(commands::test::Args),
    /// Lay out policy files in the canonical format.
    Fmt(commands::fmt::Args),
    /// Start a project: a facts declaration, a rule, an outcome, example facts, a test file and
    /// `eligo.toml`, ready to check, evaluate and test.
    Init(commands::init::Args),
    /// Write the JSON Schema of the facts the policies declare.
    Schema(commands::schema::Args),
    /// Write a report page (one HTML file that stands alone) about one partner or a population.
    Report(commands::report::Args),
    /// Run the language server (for editors) on standard input and output.
    Lsp(commands::lsp::Args),
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            if e.use_stderr() {
                let _ = e.print();
                return ExitCode::from(2);
            }
            // `--help` and `--version`: the result of the command, written like any other.
            return ExitCode::from(output::print(&e.render().to_string()).err().unwrap_or(0));
        }
    };
    let code = eligo::run_on_big_stack(move || match cli.command {
        Command::Check(args) => commands::check::run(args),
        Command::Eval(args) => commands::eval::run(args),
        Command::Batch(args) => commands::batch::run(args),
        Command::Diff(args) => commands::diff::run(args),
        Command::Generate(args) => commands::generate::run(args),
        Command::Explain(args) => commands::explain::run(args),
        Command::Repl(args) => commands::repl::run(args),
        Command::Test(args) => commands::test::run(args),
        Command::Fmt(args) => commands::fmt::run(args),
        Command::Init(args) => commands::init::run(args),
        Command::Schema(args) => commands::schema::run(args),
        Command::Report(args) => commands::report::run(args),
        Command::Lsp(args) => commands::lsp::run(args),
    });
    ExitCode::from(code)
}
