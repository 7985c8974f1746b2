//! The REPL's backend: a [`ReplSession`] holds the policies, the facts, the evaluation date and
//! the `let` bindings, and turns one input (an expression, a binding or a `:command`) into an
//! [`Output`]. It knows nothing about terminals: [`rustyline_frontend`] reads lines and prints
//! outputs, and the tests drive the session directly.
//!
//! How an expression is checked and evaluated: the loaded policy files are compiled together with
//! one more file, `<repl>`, that `use`s every loaded module and declares one outcome whose body is
//! the bindings, as `let`s, followed by the input:
//!
//! ```text
//! use facts
//! use capability.azure
//! use capability.azure as azure
//! outcome "__repl" =
//! let total =
//! sum(sales.amount_usd)
//! ;
//! total / 2            <- the input, on its own line
//! ```
//!
//! The checker and the evaluator are the library's own. Diagnostics that point into the input are
//! moved back onto the line as typed, so they read `<repl>:1:COL` and show that line.

pub mod command;
pub mod complete;
pub mod explain;
pub mod rustyline_frontend;

use chrono::NaiveDate;
use command::{Command, CommandError};
use eligo::diag::{render_all, Error, ErrorKind, Location};
use eligo::driver::{compile_sources, policy_sources, LoadedSources};
use eligo::eval::output::display;
use eligo::eval::Compiled;
use eligo::eval::{Evaluation, Limits};
use eligo::facts::{load_facts, Facts, LoadOptions, DEFAULT_MAX_FACTS_BYTES};
use eligo::model::ty::Ty;
use eligo::model::value::Value;
use eligo::source::{SourceId, SourceMap, Span};
use eligo::syntax::parse_expr;
use std::fmt::Write as _;
use std::io::Read as _;
use std::path::{Path, PathBuf};

/// The name of the REPL's input in diagnostics.
pub const REPL_NAME: &str = "<repl>";
/// The module the REPL's input is compiled in.
const REPL_MODULE: &str = "__repl";
/// The outcome that holds the REPL's input.
const REPL_OUTCOME: &str = "__repl";

/// How a session starts.
pub struct Options {
    /// A policy file or folder; `None` for the built-in policies.
    pub policies: Option<PathBuf>,
    /// The built-in standard policies.
    pub builtin: LoadedSources,
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

/// The facts in use: the file they came from, and their values.
struct FactsFile {
    path: PathBuf,
    name: String,
    facts: Facts,
}

/// The state of one REPL: policies, facts, date and bindings.
pub struct ReplSession {
    builtin: LoadedSources,
    /// The policies' path; `None` for the built-in ones.
    policies: Option<PathBuf>,
    loaded: LoadedSources,
    program: Compiled,
    /// The `use` lines of the `<repl>` file.
    prelude: String,
    /// Module aliases of the `<repl>` file: (alias, module).
    aliases: Vec<(String, String)>,
    facts: Option<FactsFile>,
    /// The date set with `--as-of` or `:asof`.
    as_of: Option<NaiveDate>,
    bindings: Vec<Binding>,
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
    Diagnostics {
        /// The errors.
        errors: Vec<Error>,
        /// The sources they point into.
        sources: SourceMap,
    },
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
            .any(|m| matches!(m, Message::Error(_) | Message::Diagnostics { .. }))
    }

    /// The text to print, piece by piece, with the stream of each.
    pub fn render(&self, colour: bool) -> Vec<(Stream, String)> {
        self.messages
            .iter()
            .map(|m| match m {
                Message::Value(s) | Message::Info(s) => (Stream::Out, format!("{s}\n")),
                Message::Warning(s) => (Stream::Err, format!("warning: {s}\n")),
                Message::Error(s) => (Stream::Err, format!("error: {s}\n")),
                Message::Diagnostics { errors, sources } => {
                    let mut s = render_all(errors, sources, colour);
                    if errors.len() > 1 {
                        let _ = writeln!(s, "{} errors", errors.len());
                    }
                    (Stream::Err, s)
                }
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

// ------------------------------------------------------------------------------ reading input

/// A part of the typed text: byte range `start..end` of `line`.
#[derive(Debug, Clone, Copy)]
struct Seg<'a> {
    line: &'a str,
    start: usize,
    end: usize,
}

impl<'a> Seg<'a> {
    fn text(&self) -> &'a str {
        &self.line[self.start..self.end]
    }

    /// The segment without surrounding white space.
    fn trimmed(self) -> Seg<'a> {
        let t = self.text();
        let start = self.start + (t.len() - t.trim_start().len());
        let end = self.start + t.trim_end().len();
        Seg {
            line: self.line,
            start,
            end: end.max(start),
        }
    }
}

/// What an input is, once parsed.
enum Parsed<'a> {
    /// An expression.
    Expr(Seg<'a>),
    /// `let NAME = EXPR`.
    Binding { name: String, rhs: Seg<'a> },
    /// Wrong, and more text would not fix it.
    Error(Vec<Error>),
    /// Wrong only because it stops too early: the rest may come on the next line.
    Incomplete(Vec<Error>),
}

/// The source id of the typed line in the source map that syntax errors are shown with.
const LINE_SOURCE: SourceId = SourceId(0);

/// A source map holding only the typed text, as `<repl>`.
fn line_sources(line: &str) -> SourceMap {
    let mut m = SourceMap::new();
    m.add(REPL_NAME, REPL_MODULE, line);
    m
}

/// `let NAME =` at the start of a text: the name and the offset just after `=`.
fn binding_head(text: &str) -> Option<(String, usize)> {
    let rest = text.strip_prefix("let")?;
    let after_kw = rest.trim_start();
    if after_kw.len() == rest.len() {
        return None; // `letter`, not `let`
    }
    let name_len = after_kw
        .char_indices()
        .find(|(_, c)| !(c.is_ascii_alphanumeric() || *c == '_'))
        .map_or(after_kw.len(), |(i, _)| i);
    if name_len == 0 {
        return None;
    }
    let name = &after_kw[..name_len];
    let after_name = after_kw[name_len..].trim_start();
    let rhs = after_name.strip_prefix('=')?;
    if rhs.starts_with('=') {
        return None;
    }
    Some((name.to_string(), text.len() - rhs.len()))
}

/// Parses an expression that is part of a line; errors point into the line.
fn parse_seg(seg: Seg<'_>) -> Result<(), Vec<Error>> {
    parse_expr(LINE_SOURCE, seg.text())
        .map(|_| ())
        .map_err(|es| shift_errors(es, LINE_SOURCE, seg.start as isize))
}

/// Moves every span of a source by `delta` bytes.
fn shift_errors(mut errors: Vec<Error>, source: SourceId, delta: isize) -> Vec<Error> {
    let shift = |s: &mut Span| {
        if s.source == source {
            s.start = (s.start as isize + delta).max(0) as u32;
            s.end = (s.end as isize + delta).max(0) as u32;
        }
    };
    for e in &mut errors {
        if let Location::Policy(s) = &mut e.location {
            shift(s);
        }
        for (s, _) in &mut e.notes {
            shift(s);
        }
    }
    errors
}

fn at_end_of_input(errors: &[Error]) -> bool {
    errors
        .iter()
        .any(|e| matches!(&e.kind, ErrorKind::Syntax { found, .. } if found == "end of input"))
}

/// Whether a text that does not parse is only missing its end: with a number on the next line
/// and its open brackets closed, it parses, or fails only after the text. That catches trailing
/// operators (`1 +`, `sales where`) and unclosed calls (`count(sales where`), whose errors the
/// parser reports at the operator or the bracket rather than at the end.
fn continues(text: &str) -> bool {
    let Some(open) = open_brackets(text) else {
        return false;
    };
    let closers: String = open
        .iter()
        .rev()
        .map(|c| match c {
            '(' => ')',
            '[' => ']',
            _ => '}',
        })
        .collect();
    match parse_expr(LINE_SOURCE, &format!("{text}\n0{closers}")) {
        Ok(_) => true,
        Err(es) => furthest(&es) as usize >= text.len(),
    }
}

/// The brackets left open, outside text literals and comments; `None` when one is closed by
/// the wrong bracket or was never opened.
fn open_brackets(text: &str) -> Option<Vec<char>> {
    let mut open = Vec::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                while let Some(c) = chars.next() {
                    match c {
                        '\\' => {
                            chars.next();
                        }
                        '"' | '\n' => break,
                        _ => {}
                    }
                }
            }
            '#' => {
                for c in chars.by_ref() {
                    if c == '\n' {
                        break;
                    }
                }
            }
            '(' | '[' | '{' => open.push(c),
            ')' | ']' | '}' => {
                let want = match c {
                    ')' => '(',
                    ']' => '[',
                    _ => '{',
                };
                if open.pop() != Some(want) {
                    return None;
                }
            }
            _ => {}
        }
    }
    Some(open)
}

fn furthest(errors: &[Error]) -> u32 {
    errors
        .iter()
        .filter_map(|e| match e.location {
            Location::Policy(s) => Some(s.start),
            _ => None,
        })
        .max()
        .unwrap_or(0)
}

/// Parses a part of a line that holds an expression or a binding.
fn parse_input(seg: Seg<'_>) -> Parsed<'_> {
    let seg = seg.trimmed();
    let whole = match parse_seg(seg) {
        Ok(()) => return Parsed::Expr(seg),
        Err(es) => es,
    };
    let incomplete = at_end_of_input(&whole) || continues(seg.text());
    let errors = match binding_head(seg.text()) {
        // `let if = 1`: the whole input's error says what is wrong with the name.
        Some((name, at)) if is_module_path(&name) => {
            let rhs = Seg {
                line: seg.line,
                start: seg.start + at,
                end: seg.end,
            }
            .trimmed();
            match parse_seg(rhs) {
                Ok(()) => return Parsed::Binding { name, rhs },
                // The errors that go further explain more: `let x = 1 2` is a binding gone
                // wrong, `let x = 1; 2 3` an expression.
                Err(es) if furthest(&es) >= furthest(&whole) => es,
                Err(_) => whole,
            }
        }
        _ => whole,
    };
    if incomplete {
        Parsed::Incomplete(errors)
    } else {
        Parsed::Error(errors)
    }
}

/// Whether a text holds nothing but white space and comments.
fn is_blank(text: &str) -> bool {
    text.lines().all(|l| {
        let l = l.trim_start();
        l.is_empty() || l.starts_with('#')
    })
}

/// Whether an input is unfinished and should go on on the next line: an open bracket, a trailing
/// operator, `let x = 1;` without the expression that follows. An input that ends with an empty
/// line is finished whatever it holds, so the user can always get out of a continuation.
pub fn is_incomplete(input: &str) -> bool {
    let text = input.trim();
    if is_blank(text) || text.starts_with(':') {
        return false;
    }
    if input.trim_end_matches([' ', '\t', '\r']).ends_with('\n') {
        return false;
    }
    let seg = Seg {
        line: input,
        start: 0,
        end: input.len(),
    };
    matches!(parse_input(seg), Parsed::Incomplete(_))
}

// ------------------------------------------------------------------------------------- helpers

/// Whether a module name can be written after `use`.
fn is_module_path(name: &str) -> bool {
    const RESERVED: &[&str] = &[
        "and",
        "or",
        "not",
        "if",
        "then",
        "else",
        "let",
        "true",
        "false",
        "none",
        "is",
        "where",
        "in",
        "within",
        "otherwise",
    ];
    !name.is_empty()
        && name.split('.').all(|seg| {
            let mut chars = seg.chars();
            chars
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
                && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
                && !RESERVED.contains(&seg)
        })
}

/// Parses `YYYY-MM-DD` as the command line does.
pub fn parse_date(s: &str) -> Result<NaiveDate, Error> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .ok()
        .filter(|_| s.len() == 10)
        .ok_or_else(|| {
            Error::bare(ErrorKind::BadCliDate {
                text: s.to_string(),
            })
        })
}

fn diagnostics(errors: Vec<Error>, sources: SourceMap) -> Message {
    Message::Diagnostics { errors, sources }
}

fn one_error(e: Error) -> Message {
    diagnostics(vec![e], SourceMap::new())
}

/// Reads a facts file, refusing one over the size limit before reading it.
fn read_facts_file(path: &Path) -> Result<(String, String), Error> {
    let shown = path.display().to_string();
    let cannot = |e: &std::io::Error| {
        let reason = match e.kind() {
            std::io::ErrorKind::NotFound => "no such file".to_string(),
            std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
            _ => e.to_string(),
        };
        Error::in_file(
            &shown,
            ErrorKind::CannotRead {
                path: shown.clone(),
                reason,
            },
        )
    };
    let meta = std::fs::metadata(path).map_err(|e| cannot(&e))?;
    if meta.is_dir() {
        return Err(Error::in_file(
            &shown,
            ErrorKind::CannotRead {
                path: shown.clone(),
                reason: "is a folder, not a facts file".into(),
            },
        ));
    }
    let limit = DEFAULT_MAX_FACTS_BYTES;
    let too_large = |size: u64| Error::in_file(&shown, ErrorKind::FactsTooLarge { size, limit });
    if meta.len() > limit {
        return Err(too_large(meta.len()));
    }
    let file = std::fs::File::open(path).map_err(|e| cannot(&e))?;
    let mut bytes = Vec::new();
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| cannot(&e))?;
    if bytes.len() as u64 > limit {
        return Err(too_large(bytes.len() as u64));
    }
    let mut text = String::from_utf8(bytes).map_err(|e| {
        Error::in_file(
            &shown,
            ErrorKind::FactsNotUtf8 {
                offset: e.utf8_error().valid_up_to(),
            },
        )
    })?;
    if text.starts_with('\u{feff}') {
        text.drain(..3);
    }
    Ok((shown, text))
}

/// The root fields of the facts that an expression reads, directly or through rules.
pub fn facts_read(program: &Compiled, roots: &[&eligo::model::ir::Ir]) -> Vec<u32> {
    use eligo::model::ir::Ir;
    let mut seen = vec![false; program.program().rules.len()];
    let mut slots = Vec::new();
    let mut stack: Vec<&Ir> = roots.to_vec();
    while let Some(ir) = stack.pop() {
        eligo::model::ir::visit(ir, &mut |n| match n {
            Ir::Fact(s) if !slots.contains(s) => slots.push(*s),
            Ir::Rule(r) | Ir::Call(r, _) if seen.get(*r as usize) == Some(&false) => {
                seen[*r as usize] = true;
                stack.push(&program.program().rules[*r as usize].body);
            }
            _ => {}
        });
    }
    slots.sort_unstable();
    slots
}

/// A value for the REPL, cut short when it is very long.
pub fn shown_value(
    program: &eligo::model::Program,
    v: &Value,
    ty: &Ty,
    max_chars: usize,
) -> String {
    let s = display(program, v, ty);
    if s.chars().count() <= max_chars {
        s
    } else {
        let cut: String = s.chars().take(max_chars).collect();
        format!("{cut}…")
    }
}

/// A compiled input.
struct CompiledInput {
    program: Compiled,
    outcome: usize,
    remap: Remap,
}

/// Where the input lies in the generated `<repl>` file, and where in the typed line.
#[derive(Clone)]
struct Remap {
    source: SourceId,
    generated_start: usize,
    len: usize,
    line_start: usize,
    line: String,
}

impl Remap {
    /// Diagnostics with the spans in the input moved onto the typed line (a span that covers
    /// more than the input, like the whole outcome, is cut to the input). When some span points
    /// elsewhere in the generated file, the generated file is shown instead.
    fn message(&self, mut errors: Vec<Error>, sources: &SourceMap) -> Message {
        let (from, to) = (self.generated_start, self.generated_start + self.len);
        let overlaps = |s: &Span| {
            s.source != self.source || (s.end as usize >= from && s.start as usize <= to)
        };
        let all_overlap = errors.iter().all(|e| {
            (match &e.location {
                Location::Policy(s) => overlaps(s),
                _ => true,
            }) && e.notes.iter().all(|(s, _)| overlaps(s))
        });
        if !all_overlap {
            return diagnostics(errors, sources.clone());
        }
        let move_span = |s: &mut Span| {
            if s.source == self.source {
                let start = (s.start as usize).clamp(from, to) - from + self.line_start;
                let end = (s.end as usize).clamp(from, to) - from + self.line_start;
                *s = Span::new(s.source, start, end.max(start));
            }
        };
        for e in &mut errors {
            if let Location::Policy(s) = &mut e.location {
                move_span(s);
            }
            for (s, _) in &mut e.notes {
                move_span(s);
            }
        }
        let mut shown = SourceMap::new();
        for (id, f) in sources.files() {
            if id == self.source {
                shown.add(f.name.clone(), f.module.clone(), self.line.as_str());
            } else {
                shown.add(f.name.clone(), f.module.clone(), f.text.clone());
            }
        }
        diagnostics(errors, shown)
    }
}

// ------------------------------------------------------------------------------------ session

impl ReplSession {
    /// Loads the policies and the facts; returns the session and what loading said (facts
    /// warnings), or the errors that stop the REPL from starting.
    pub fn start(options: Options) -> Result<(ReplSession, Output), Output> {
        let (loaded, program) =
            load_policies(options.policies.as_deref(), &options.builtin).map_err(Output::from)?;
        let mut session = ReplSession {
            builtin: options.builtin,
            policies: options.policies,
            loaded,
            program,
            prelude: String::new(),
            aliases: Vec::new(),
            facts: None,
            as_of: options.as_of,
            bindings: Vec::new(),
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
    pub fn program(&self) -> &Compiled {
        &self.program
    }

    /// One line for the start of an interactive session.
    pub fn banner(&self) -> String {
        format!(
            "eligo repl · {} · {} · as of {}\nType an expression, `let NAME = EXPR`, or :help. :quit or Ctrl-D leaves.",
            self.policies_name(),
            match &self.facts {
                Some(f) => format!("facts {}", f.name),
                None => "no facts".into(),
            },
            self.as_of_date()
        )
    }

    fn policies_name(&self) -> String {
        match &self.policies {
            Some(p) => p.display().to_string(),
            None => "the standard policies".into(),
        }
    }

    /// The evaluation date: `:asof`/`--as-of`, else the facts' `as_of`, else today.
    pub fn as_of_date(&self) -> NaiveDate {
        self.as_of
            .or_else(|| self.facts.as_ref().and_then(|f| f.facts.as_of))
            .unwrap_or_else(|| chrono::Local::now().date_naive())
    }

    /// Evaluates one input: an expression, `let NAME = EXPR`, or a `:command`. A multi-line input
    /// comes as one text, lines joined with `\n`.
    pub fn eval_line(&mut self, line: &str) -> Output {
        let text = line.trim();
        if is_blank(text) {
            return Output::default();
        }
        if text.starts_with(':') {
            return match text.parse::<Command>() {
                Ok(c) => self.run_command(line, c),
                Err(e) => Message::Error(e.to_string()).into(),
            };
        }
        let seg = Seg {
            line,
            start: 0,
            end: line.len(),
        };
        match parse_input(seg) {
            Parsed::Expr(seg) => self.eval_expr(seg),
            Parsed::Binding { name, rhs } => self.bind(name, rhs),
            Parsed::Error(errors) | Parsed::Incomplete(errors) => {
                diagnostics(errors, line_sources(line)).into()
            }
        }
    }

    fn run_command(&mut self, line: &str, command: Command) -> Output {
        match command {
            Command::Load(path) => self.load(path.as_deref()),
            Command::Facts(None) => Message::Info(match &self.facts {
                Some(f) => self.facts_summary(f),
                None => "no facts loaded: load a partner's facts with `:facts FILE`".into(),
            })
            .into(),
            Command::Facts(Some(path)) => self.load_facts(Path::new(&path)),
            Command::AsOf(None) => Message::Info(self.as_of_summary()).into(),
            Command::AsOf(Some(date)) => match parse_date(&date) {
                Ok(d) => {
                    self.as_of = Some(d);
                    Message::Info(self.as_of_summary()).into()
                }
                Err(e) => one_error(e).into(),
            },
            Command::Type(expr) => self.type_of(argument(line, &expr)),
            Command::Explain(name) => explain::explain(self, &name),
            Command::Rules(filter) => Message::Info(self.rules_listing(filter.as_deref())).into(),
            Command::Help => Message::Info(command::help()).into(),
            Command::Quit => Output {
                messages: Vec::new(),
                quit: true,
            },
        }
    }

    // ---------------------------------------------------------------- expressions and bindings

    /// The text of the `<repl>` file for an input, and where the input starts in it.
    fn repl_source(&self, bindings: &[Binding], input: &str) -> (String, usize) {
        let mut s = self.prelude.clone();
        let _ = writeln!(s, "outcome \"{REPL_OUTCOME}\" =");
        for b in bindings {
            let _ = write!(s, "let {} =\n{}\n;\n", b.name, b.text);
        }
        let start = s.len();
        s.push_str(input);
        s.push('\n');
        (s, start)
    }

    /// Compiles the policies with an input (a part of the typed line) as the `<repl>` outcome.
    fn compile(&self, bindings: &[Binding], seg: Seg<'_>) -> Result<CompiledInput, Message> {
        let (text, start) = self.repl_source(bindings, seg.text());
        let mut files = self.loaded.files.clone();
        files.push((REPL_NAME.into(), REPL_MODULE.into(), text));
        let remap = Remap {
            source: SourceId(files.len() as u32 - 1),
            generated_start: start,
            len: seg.end - seg.start,
            line_start: seg.start,
            line: seg.line.to_string(),
        };
        match compile_sources(LoadedSources { files }) {
            Ok(program) => match program
                .program()
                .outcomes
                .iter()
                .position(|o| o.id == REPL_OUTCOME)
            {
                Some(outcome) => Ok(CompiledInput {
                    program,
                    outcome,
                    remap,
                }),
                None => Err(Message::Error(
                    "the policies already declare an outcome `__repl`".into(),
                )),
            },
            Err(failed) => Err(remap.message(failed.errors, &failed.sources)),
        }
    }

    /// The facts to evaluate with, or the message that says none are loaded.
    fn facts_for(
        &self,
        program: &Compiled,
        roots: &[&eligo::model::ir::Ir],
    ) -> Result<&[Value], String> {
        match &self.facts {
            Some(f) => Ok(f.facts.fields()),
            None => {
                let read = facts_read(program, roots);
                if read.is_empty() {
                    return Ok(&[]);
                }
                let names: Vec<String> = program
                    .program()
                    .facts
                    .as_ref()
                    .map(|schema| {
                        read.iter()
                            .filter_map(|&s| schema.root.fields.get(s as usize))
                            .map(|f| format!("`{}`", f.name))
                            .collect()
                    })
                    .unwrap_or_default();
                Err(format!(
                    "this reads the facts ({}), and none are loaded\n  help: load a partner's facts with `:facts FILE`",
                    names.join(", ")
                ))
            }
        }
    }

    fn eval_expr(&self, seg: Seg<'_>) -> Output {
        let c = match self.compile(&self.bindings, seg) {
            Ok(c) => c,
            Err(m) => return m.into(),
        };
        let def = &c.program.program().outcomes[c.outcome];
        let facts = match self.facts_for(&c.program, &[&def.body]) {
            Ok(f) => f,
            Err(msg) => return Message::Error(msg).into(),
        };
        let mut ev = Evaluation::new(&c.program, facts, self.as_of_date(), Limits::default());
        match ev.outcome(c.outcome) {
            Ok(v) => Message::Value(format!(
                "{} : {}",
                display(c.program.program(), &v, &def.ty),
                def.ty
            ))
            .into(),
            Err(e) => c
                .remap
                .message(vec![e], &c.program.program().sources)
                .into(),
        }
    }

    fn bind(&mut self, name: String, rhs: Seg<'_>) -> Output {
        let c = match self.compile(&self.bindings, rhs) {
            Ok(c) => c,
            Err(m) => return m.into(),
        };
        let ty = c.program.program().outcomes[c.outcome].ty.clone();
        let out = Message::Info(format!("{name} : {ty}"));
        self.bindings.push(Binding {
            name,
            text: rhs.text().to_string(),
            ty,
        });
        out.into()
    }

    fn type_of(&self, seg: Seg<'_>) -> Output {
        if seg.text().trim().is_empty() {
            return Message::Error("`:type` needs an expression: `:type EXPR`".into()).into();
        }
        match parse_input(seg) {
            Parsed::Expr(seg) => match self.compile(&self.bindings, seg) {
                Ok(c) => {
                    Message::Info(c.program.program().outcomes[c.outcome].ty.to_string()).into()
                }
                Err(m) => match self.signature(seg.text()) {
                    Some(sig) => Message::Info(sig).into(),
                    None => m.into(),
                },
            },
            Parsed::Binding { .. } => {
                Message::Error("`:type` takes an expression, not a binding".into()).into()
            }
            Parsed::Error(errors) | Parsed::Incomplete(errors) => {
                diagnostics(errors, line_sources(seg.line)).into()
            }
        }
    }

    /// `billed(area: Area): Money` for the name of a rule with parameters.
    fn signature(&self, name: &str) -> Option<String> {
        let r = self.program.program().rule(name)?;
        let rule = &self.program.program().rules[r];
        (!rule.params.is_empty()).then(|| rule_signature(rule))
    }

    // ------------------------------------------------------------------------------ commands

    fn load(&mut self, path: Option<&str>) -> Output {
        let new_path = match path {
            Some(p) => Some(PathBuf::from(p)),
            None => self.policies.clone(),
        };
        let (loaded, program) = match load_policies(new_path.as_deref(), &self.builtin) {
            Ok(x) => x,
            Err(m) => return m.into(),
        };
        self.loaded = loaded;
        self.program = program;
        self.policies = new_path;
        let mut out = Output::default();
        out.push(Message::Info(format!(
            "loaded {}: {} file(s), {} rule(s), {} table(s), {} outcome(s)",
            self.policies_name(),
            self.loaded.files.len(),
            self.program.program().rules.len(),
            self.program.program().tables.len(),
            self.program.program().outcomes.len()
        )));
        out.extend(self.build_prelude());
        // The facts are read again, against the new declaration.
        if let Some(f) = self.facts.take() {
            let again = self.load_facts(&f.path);
            if again.is_error() {
                out.extend(again);
                out.push(Message::Warning(format!(
                    "the facts of {} no longer load: no facts are in use",
                    f.name
                )));
            }
        }
        // Bindings that no longer check are dropped, in order.
        let old = std::mem::take(&mut self.bindings);
        for b in old {
            let seg = Seg {
                line: &b.text,
                start: 0,
                end: b.text.len(),
            };
            match self.compile(&self.bindings, seg) {
                Ok(c) => {
                    let ty = c.program.program().outcomes[c.outcome].ty.clone();
                    self.bindings.push(Binding { ty, ..b });
                }
                Err(_) => out.push(Message::Warning(format!(
                    "`{}` no longer checks against these policies: binding dropped",
                    b.name
                ))),
            }
        }
        out
    }

    /// The `use` lines that let the input see every loaded module, plus an alias per module
    /// (its last name) where that alias hides nothing.
    fn build_prelude(&mut self) -> Output {
        let mut out = Output::default();
        let mut prelude = String::new();
        let mut usable = Vec::new();
        for (name, module, _) in &self.loaded.files {
            if is_module_path(module) {
                let _ = writeln!(prelude, "use {module}");
                usable.push(module.clone());
            } else {
                out.push(Message::Warning(format!(
                    "{name}: the module name `{module}` cannot follow `use`, so its rules are not visible here (rename the file with letters, digits and `_`)"
                )));
            }
        }
        let fact_fields: Vec<&str> = self
            .program
            .program()
            .facts
            .as_ref()
            .map(|s| s.root.fields.iter().map(|f| &*f.name).collect())
            .unwrap_or_default();
        let variants: Vec<&str> = self
            .program
            .program()
            .enums
            .iter()
            .flat_map(|e| e.variants.iter().map(|v| &**v))
            .collect();
        let last = |m: &str| m.rsplit('.').next().unwrap_or(m).to_string();
        let mut aliases = Vec::new();
        for m in &usable {
            let alias = last(m);
            let unique = usable.iter().filter(|o| last(o) == alias).count() == 1;
            // An alias comes before fact fields and built-in functions when a name is looked
            // up, and would stop a bare enum variant (`capability_score(security)`) from working.
            let hides = fact_fields.contains(&alias.as_str())
                || eligo::model::names::BUILTIN_NAMES.contains(&alias.as_str())
                || variants.contains(&alias.as_str())
                || alias == "as_of"
                || alias == "it";
            if unique && !hides {
                let _ = writeln!(prelude, "use {m} as {alias}");
                aliases.push((alias, m.clone()));
            }
        }
        self.prelude = prelude;
        self.aliases = aliases;
        out
    }

    fn load_facts(&mut self, path: &Path) -> Output {
        let (name, text) = match read_facts_file(path) {
            Ok(x) => x,
            Err(e) => return one_error(e).into(),
        };
        let facts = match load_facts(
            self.program.program().facts_view(),
            &name,
            &text,
            LoadOptions::default(),
        ) {
            Ok(f) => f,
            Err(e) => return one_error(e).into(),
        };
        let mut out = Output::default();
        for w in &facts.warnings {
            out.push(Message::Warning(format!("{name}: {w}")));
        }
        let file = FactsFile {
            path: path.to_path_buf(),
            name,
            facts,
        };
        out.push(Message::Info(self.facts_summary(&file)));
        self.facts = Some(file);
        out
    }

    fn facts_summary(&self, f: &FactsFile) -> String {
        let mut s = format!(
            "facts {}: partner {}",
            f.name,
            f.facts.partner.as_deref().unwrap_or("(unnamed)")
        );
        if let Some(d) = f.facts.as_of {
            let _ = write!(s, ", as_of {d}");
        }
        s
    }

    fn as_of_summary(&self) -> String {
        let why = if self.as_of.is_some() {
            "set with `--as-of` or `:asof`"
        } else if self.facts.as_ref().and_then(|f| f.facts.as_of).is_some() {
            "the facts' `as_of`"
        } else {
            "today"
        };
        format!("as of {} ({why})", self.as_of_date())
    }

    fn rules_listing(&self, filter: Option<&str>) -> String {
        let mut out = String::new();
        let mut module: Option<&str> = None;
        let mut shown = 0;
        for rule in &self.program.program().rules {
            if filter.is_some_and(|f| !rule.name.contains(f)) {
                continue;
            }
            if module != Some(rule.module.as_str()) {
                module = Some(rule.module.as_str());
                let _ = writeln!(out, "{}", rule.module);
            }
            let _ = writeln!(out, "  {}", rule_signature(rule));
            for s in &rule.sources {
                let _ = writeln!(out, "      @source({s:?})");
            }
            shown += 1;
        }
        let _ = write!(out, "{shown} rule(s)");
        if let Some(f) = filter {
            let _ = write!(out, " matching `{f}`");
        }
        out
    }
}

/// `name(param: T, …): T`
pub fn rule_signature(rule: &eligo::model::RuleDef) -> String {
    let mut s = rule.name.to_string();
    if !rule.params.is_empty() {
        let params: Vec<String> = rule
            .params
            .iter()
            .map(|(n, t)| format!("{n}: {t}"))
            .collect();
        let _ = write!(s, "({})", params.join(", "));
    }
    let _ = write!(s, ": {}", rule.ty);
    s
}

/// The part of a command line that an argument occupies (the argument ends the line).
fn argument<'a>(line: &'a str, arg: &str) -> Seg<'a> {
    let end = line.trim_end().len();
    Seg {
        line,
        start: end.saturating_sub(arg.len()),
        end,
    }
}

/// Reads and compiles policies; `None` is the built-in ones.
fn load_policies(
    path: Option<&Path>,
    builtin: &LoadedSources,
) -> Result<(LoadedSources, Compiled), Message> {
    let loaded = match path {
        Some(p) => policy_sources(p).map_err(one_error)?,
        None => builtin.clone(),
    };
    match compile_sources(loaded.clone()) {
        Ok(program) => Ok((loaded, program)),
        Err(failed) => Err(diagnostics(failed.errors, failed.sources)),
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
