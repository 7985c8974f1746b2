//! `eligo repl`: an interactive evaluator. The session is in [`crate::repl`]; this file reads the
//! arguments and picks the front end: a line editor on a terminal, line-by-line reading otherwise.

use crate::repl::rustyline_frontend::{print, run_piped, run_terminal};
use crate::repl::{parse_date, Message, Options, Output, ReplSession};
use crate::report;
use std::io::IsTerminal;
use std::path::PathBuf;

/// The command's arguments.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// A policy file or folder (default: the current folder if it holds `eligo.toml`, else the
    /// built-in standard policies).
    pub policies: Option<PathBuf>,
    /// A partner's facts (JSON) to evaluate against; `:facts FILE` loads others.
    #[arg(long, value_name = "FILE")]
    pub facts: Option<PathBuf>,
    /// The evaluation date (YYYY-MM-DD); default: the facts' `as_of`, else today.
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,
}

/// Runs the command; returns the exit status.
pub fn run(args: Args) -> u8 {
    let as_of = match args.as_of.as_deref().map(parse_date).transpose() {
        Ok(d) => d,
        Err(e) => return report::failure(&e),
    };
    let options = Options {
        policies: args.policies.or_else(super::default_policies),
        builtin: eligo::Sources::standard(),
        facts: args.facts,
        as_of,
    };
    let (mut session, startup) = match ReplSession::start(options) {
        Ok(x) => x,
        Err(errors) => {
            return print(&errors).err().unwrap_or(1).max(1);
        }
    };
    if std::io::stdin().is_terminal() && std::io::stdout().is_terminal() {
        run_terminal(session, &startup)
    } else {
        // Piped, standard output holds only what the inputs produce: no word about the facts.
        let warnings = Output {
            messages: startup
                .messages
                .into_iter()
                .filter(|m| !matches!(m, Message::Info(_)))
                .collect(),
            quit: false,
        };
        if let Err(code) = print(&warnings) {
            return code;
        }
        run_piped(&mut session, std::io::stdin().lock())
    }
}
