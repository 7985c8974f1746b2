//! The REPL's backend: a [`ReplSession`] holds the policies, the facts, the evaluation date and
//! the `let` bindings, and turns one input (an expression, a binding or a `:command`) into an
//! [`Output`]. It knows nothing about terminals: [`rustyline_frontend`] reads lines and prints
//! outputs, and the tests drive the session directly.
//!
//! Inputs are classified, checked and evaluated by the library ([`eligo::parse_input`],
//! [`eligo::Policies::expression`]): the checker and the evaluator are the ones the policies
//! run with, and diagnostics that point into an input read `<repl>:1:COL` on the line as typed.
//!
//! Here: the session and its output; [`expr`] expressions, bindings and `:type`; [`load`]
//! `:load`, `:facts`, `:asof` and `:rules`; [`explain`] `:explain`; [`complete`] Tab completion;
//! [`command`] the `:command`s.

pub mod command;
pub mod complete;
mod define;
pub mod explain;
mod expr;
mod load;
pub mod rustyline_frontend;
mod whatif;

use chrono::NaiveDate;
use command::{Command, CommandError};
use eligo::{Diagnostics, Facts, Input, Policies, Prelude, Sources, Ty};
use std::path::PathBuf;

pub use eligo::is_incomplete;

/// How a session starts.
pub struct Options {
    /// A policy file or folder; `None` for the built-in policies.
    pub policies: Option<PathBuf>,
    /// The built-in standard policies.
    pub builtin: Sources,
    /// A facts file to load at the start.
    pub facts: Option<PathBuf>,
    /// The evaluation date given on the command line.
    pub as_of: Option<NaiveDate>,
}

/// A `let` binding: its name, the expression as typed, and its type.
#[derive(Debug, Clone)]
pub struct Binding {
    /// The name.
    pub name: String,
    /// The expression, as typed.
    pub text: String,
    /// Its type, found when it was defined.
    pub ty: Ty,
}

/// The facts in use: the file they came from, its JSON, and the values read from it with the
/// `:with` overrides applied.
struct FactsFile {
    path: PathBuf,
    /// The document as the file holds it.
    json: serde_json::Value,
    facts: Facts,
}

/// The state of one REPL: policies, facts, date and bindings.
pub struct ReplSession {
    builtin: Sources,
    /// The policies' path; `None` for the built-in ones.
    path: Option<PathBuf>,
    policies: Policies,
    /// What makes every loaded module visible to typed input.
    prelude: Prelude,
    facts: Option<FactsFile>,
    /// The date set with `--as-of` or `:asof`.
    as_of: Option<NaiveDate>,
    bindings: Vec<Binding>,
    /// The policy files as loaded, before any rule typed at the prompt.
    base: Sources,
    /// Rules typed at the prompt: name and text, in the order defined.
    defined: Vec<(String, String)>,
    /// `:with` overrides of the facts: path as typed, and the JSON value put there.
    overrides: Vec<whatif::Override>,
}

/// Which stream a piece of output goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    /// Results and information.
    Out,
    /// Warnings and errors.
    Err,
}

/// One piece of what an input produced.
#[derive(Debug, Clone)]
pub enum Message {
    /// A result: `72.5 : Decimal`. Standard output.
    Value(String),
    /// Information (help, listings, what a command did). Standard output.
    Info(String),
    /// A warning, printed as `warning: …` on standard error.
    Warning(String),
    /// An error of the REPL itself (an unknown command…), printed as `error: …` on standard error.
    Error(String),
    /// Diagnostics, rendered as the rest of the command line renders them, on standard error.
    Diagnostics(Diagnostics),
}

impl From<eligo::Error> for Message {
    fn from(e: eligo::Error) -> Message {
        Message::Diagnostics(e.diagnostics().clone())
    }
}

/// What one input produced.
#[derive(Debug, Clone, Default)]
pub struct Output {
    /// The pieces, in order.
    pub messages: Vec<Message>,
    /// Whether the REPL should stop (`:quit`).
    pub quit: bool,
}

impl Output {
    fn one(m: Message) -> Output {
        Output {
            messages: vec![m],
            quit: false,
        }
    }

    fn push(&mut self, m: Message) {
        self.messages.push(m);
    }

    fn extend(&mut self, other: Output) {
        self.messages.extend(other.messages);
        self.quit |= other.quit;
    }

    /// Whether anything went wrong.
    pub fn is_error(&self) -> bool {
        self.messages
            .iter()
            .any(|m| matches!(m, Message::Error(_) | Message::Diagnostics(_)))
    }

    /// The text to print, piece by piece, with the stream of each.
    pub fn render(&self, colour: bool) -> Vec<(Stream, String)> {
        self.messages
            .iter()
            .map(|m| match m {
                Message::Value(s) | Message::Info(s) => (Stream::Out, format!("{s}\n")),
                Message::Warning(s) => (Stream::Err, format!("warning: {s}\n")),
                Message::Error(s) => (Stream::Err, format!("error: {s}\n")),
                Message::Diagnostics(d) => (Stream::Err, d.render(colour)),
            })
            .collect()
    }

    /// Everything, both streams in order, without colour: what a transcript shows.
    #[allow(dead_code)] // used by tests/repl.rs
    pub fn plain(&self) -> String {
        self.render(false).into_iter().map(|(_, s)| s).collect()
    }
}

impl From<Message> for Output {
    fn from(m: Message) -> Output {
        Output::one(m)
    }
}

impl From<eligo::Error> for Output {
    fn from(e: eligo::Error) -> Output {
        Output::one(e.into())
    }
}

/// Parses `YYYY-MM-DD` as the command line does.
pub fn parse_date(s: &str) -> Result<NaiveDate, eligo::Error> {
    eligo::parse_date(s)
}

/// The policies at a path, or the built-in ones.
fn load_policies(path: Option<&std::path::Path>, builtin: &Sources) -> Result<Policies, Message> {
    let sources = match path {
        Some(p) => Sources::read(p)?,
        None => builtin.clone(),
    };
    Ok(Policies::compile(sources)?)
}

impl ReplSession {
    /// Loads the policies and the facts; returns the session and what loading said (facts
    /// warnings), or the errors that stop the REPL from starting.
    pub fn start(options: Options) -> Result<(ReplSession, Output), Output> {
        let policies =
            load_policies(options.policies.as_deref(), &options.builtin).map_err(Output::from)?;
        let mut session = ReplSession {
            builtin: options.builtin,
            path: options.policies,
            prelude: Prelude::default(),
            base: policies.sources().clone(),
            policies,
            facts: None,
            as_of: options.as_of,
            bindings: Vec::new(),
            defined: Vec::new(),
            overrides: Vec::new(),
        };
        let mut out = session.build_prelude();
        if let Some(path) = options.facts {
            let loaded = session.load_facts(&path);
            if loaded.is_error() {
                return Err(loaded);
            }
            out.extend(loaded);
        }
        Ok((session, out))
    }

    /// The compiled policies (without any input).
    pub fn policies(&self) -> &Policies {
        &self.policies
    }

    /// One line for the start of an interactive session.
    pub fn banner(&self) -> String {
        format!(
            "eligo repl · {} · {} · as of {}\nType an expression, `let NAME = EXPR`, or :help. :quit or Ctrl-D leaves.",
            self.policies_name(),
            match &self.facts {
                Some(f) => format!("facts {}", f.facts.name()),
                None => "no facts".into(),
            },
            self.as_of_date()
        )
    }

    fn policies_name(&self) -> String {
        match &self.path {
            Some(p) => p.display().to_string(),
            None => "the standard policies".into(),
        }
    }

    /// The evaluation date: `:asof`/`--as-of`, else the facts' `as_of`, else today.
    pub fn as_of_date(&self) -> NaiveDate {
        self.as_of
            .or_else(|| self.facts.as_ref().and_then(|f| f.facts.as_of()))
            .unwrap_or_else(|| chrono::Local::now().date_naive())
    }

    /// The facts in use, if any.
    fn facts(&self) -> Option<&Facts> {
        self.facts.as_ref().map(|f| &f.facts)
    }

    /// Evaluates one input: an expression, `let NAME = EXPR`, or a `:command`. A multi-line input
    /// comes as one text, lines joined with `\n`.
    pub fn eval_line(&mut self, line: &str) -> Output {
        let text = line.trim();
        if eligo::is_blank(text) {
            return Output::default();
        }
        if define::is_definition(text) {
            return self.define(text);
        }
        if text.starts_with(':') {
            return match text.parse::<Command>() {
                Ok(c) => self.run_command(line, c),
                Err(e) => Message::Error(e.to_string()).into(),
            };
        }
        match eligo::parse_input(line, 0..line.len()) {
            Input::Expression(range) => self.eval_expr(line, range),
            Input::Binding { name, rhs } => self.bind(name, line, rhs),
            Input::Invalid { diagnostics, .. } => Message::Diagnostics(diagnostics).into(),
        }
    }

    fn run_command(&mut self, line: &str, command: Command) -> Output {
        match command {
            Command::Load(path) => self.load(path.as_deref()),
            Command::Facts(None) => Message::Info(match &self.facts {
                Some(f) => facts_summary(&f.facts),
                None => "no facts loaded: load a partner's facts with `:facts FILE`".into(),
            })
            .into(),
            Command::Facts(Some(path)) => self.load_facts(std::path::Path::new(&path)),
            Command::AsOf(None) => Message::Info(self.as_of_summary()).into(),
            Command::AsOf(Some(date)) => match parse_date(&date) {
                Ok(d) => {
                    self.as_of = Some(d);
                    Message::Info(self.as_of_summary()).into()
                }
                Err(e) => e.into(),
            },
            Command::Type(expr) => self.type_of(line, argument(line, &expr)),
            Command::Explain(name) => explain::explain(self, &name),
            Command::Rules(filter) => Message::Info(self.rules_listing(filter.as_deref())).into(),
            Command::With(None) => Message::Info(self.overrides_listing()).into(),
            Command::With(Some(arg)) => self.with(line, &arg),
            Command::Without(path) => self.without(path.as_deref()),
            Command::Help => Message::Info(command::help()).into(),
            Command::Quit => Output {
                messages: Vec::new(),
                quit: true,
            },
        }
    }
}

/// `facts NAME: partner ID, as_of DATE`
fn facts_summary(f: &Facts) -> String {
    let mut s = format!(
        "facts {}: partner {}",
        f.name(),
        f.partner().unwrap_or("(unnamed)")
    );
    if let Some(d) = f.as_of() {
        s.push_str(&format!(", as_of {d}"));
    }
    s
}

/// The part of a command line that an argument occupies (the argument ends the line).
fn argument(line: &str, arg: &str) -> std::ops::Range<usize> {
    let end = line.trim_end().len();
    end.saturating_sub(arg.len())..end
}

/// A value for the REPL, cut short when it is very long.
pub fn shown_value(policies: &Policies, v: &eligo::Value, ty: &Ty, max_chars: usize) -> String {
    cut(or_error(policies.display(v, ty)), max_chars)
}

/// A value's text, or the error that kept it from being written (`error E0900: …`) in its place.
pub fn or_error(text: Result<String, eligo::Error>) -> String {
    text.unwrap_or_else(|e| e.headline())
}

/// A text cut to `max_chars` characters, with `…` when it was longer.
fn cut(s: String, max_chars: usize) -> String {
    if s.chars().count() <= max_chars {
        s
    } else {
        let cut: String = s.chars().take(max_chars).collect();
        format!("{cut}…")
    }
}

impl std::fmt::Display for CommandError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CommandError::Unknown { name, suggestion } => {
                write!(f, "unknown command `:{name}`")?;
                match suggestion {
                    Some(s) => write!(f, "\n  help: did you mean `:{s}`?"),
                    None => write!(f, "\n  help: `:help` lists the commands"),
                }
            }
            CommandError::MissingArgument { usage } => {
                let name = usage.split(' ').next().unwrap_or(usage);
                write!(f, "`{name}` needs an argument\n  help: write `{usage}`")
            }
        }
    }
}
