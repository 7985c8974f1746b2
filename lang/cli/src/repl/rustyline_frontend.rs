//! The REPL's front ends: a line editor (rustyline) on a terminal, with completion, multi-line
//! input and history; and plain line-by-line reading when standard input is not a terminal, so
//! the REPL can be scripted. Both hand every input to [`ReplSession::eval_line`] and print the
//! [`Output`].

use super::{is_incomplete, Output, ReplSession, Stream};
use rustyline::completion::Completer;
use rustyline::error::ReadlineError;
use rustyline::highlight::Highlighter;
use rustyline::hint::Hinter;
use rustyline::history::DefaultHistory;
use rustyline::validate::{ValidationContext, ValidationResult, Validator};
use rustyline::{CompletionType, Config, Context, Editor, Helper};
use std::cell::RefCell;
use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;
use std::rc::Rc;

const PROMPT: &str = "eligo> ";

/// Whether diagnostics on standard error are coloured: on a terminal, unless `NO_COLOR` is set.
fn colour() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

/// Prints an output: results on standard output, warnings and errors on standard error. A
/// result that cannot be written ends the REPL (`crate::output`): quietly with status 0 for a
/// closed pipe, else with its diagnostic and status 1.
pub fn print(output: &Output) -> Result<(), u8> {
    let colour = colour();
    let mut err = std::io::stderr().lock();
    for (stream, text) in output.render(colour) {
        match stream {
            Stream::Out => crate::output::print(&text)?,
            Stream::Err => {
                let _ = err.write_all(text.as_bytes()).and_then(|_| err.flush());
            }
        }
    }
    Ok(())
}

/// The history file: `$XDG_STATE_HOME/eligo/history`, else `~/.eligo_history`.
pub fn history_path() -> Option<PathBuf> {
    if let Some(state) = std::env::var_os("XDG_STATE_HOME").filter(|s| !s.is_empty()) {
        return Some(PathBuf::from(state).join("eligo").join("history"));
    }
    std::env::var_os("HOME")
        .filter(|s| !s.is_empty())
        .map(|home| PathBuf::from(home).join(".eligo_history"))
}

/// Completion and multi-line validation for rustyline, backed by the session.
struct ReplHelper {
    session: Rc<RefCell<ReplSession>>,
}

impl Completer for ReplHelper {
    type Candidate = String;

    fn complete(
        &self,
        line: &str,
        pos: usize,
        _ctx: &Context<'_>,
    ) -> rustyline::Result<(usize, Vec<String>)> {
        Ok(self.session.borrow().complete(line, pos))
    }
}

impl Hinter for ReplHelper {
    type Hint = String;
}

impl Highlighter for ReplHelper {}

impl Validator for ReplHelper {
    fn validate(&self, ctx: &mut ValidationContext<'_>) -> rustyline::Result<ValidationResult> {
        Ok(if is_incomplete(ctx.input()) {
            ValidationResult::Incomplete
        } else {
            ValidationResult::Valid(None)
        })
    }
}

impl Helper for ReplHelper {}

/// The interactive REPL on a terminal. Returns the exit status.
pub fn run_terminal(session: ReplSession, startup: &Output) -> u8 {
    if let Err(code) = crate::output::print(&format!("{}\n", session.banner())).and(print(startup))
    {
        return code;
    }
    let session = Rc::new(RefCell::new(session));
    let config = Config::builder()
        .completion_type(CompletionType::List)
        .auto_add_history(false)
        .max_history_size(1000)
        .map(|b| b.build())
        .unwrap_or_default();
    let mut editor: Editor<ReplHelper, DefaultHistory> = match Editor::with_config(config) {
        Ok(e) => e,
        Err(e) => {
            eprintln!("error: cannot start the line editor: {e}");
            return 1;
        }
    };
    editor.set_helper(Some(ReplHelper {
        session: session.clone(),
    }));
    let history = history_path();
    if let Some(h) = &history {
        // No history yet, or an unreadable one: start without.
        let _ = editor.load_history(h);
    }
    loop {
        match editor.readline(PROMPT) {
            Ok(line) => {
                if line.trim().is_empty() {
                    continue;
                }
                let _ = editor.add_history_entry(line.as_str());
                if let Some(h) = &history {
                    save_history(&mut editor, h);
                }
                let output = session.borrow_mut().eval_line(&line);
                if let Err(code) = print(&output) {
                    return code;
                }
                if output.quit {
                    break;
                }
            }
            // Ctrl-C drops the input being typed.
            Err(ReadlineError::Interrupted) => continue,
            Err(ReadlineError::Eof) => break,
            Err(e) => {
                eprintln!("error: {e}");
                return 1;
            }
        }
    }
    0
}

/// Saves the history; a history that cannot be written is not an error.
fn save_history(editor: &mut Editor<ReplHelper, DefaultHistory>, path: &std::path::Path) {
    if let Some(dir) = path.parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    let _ = editor.save_history(path);
}

/// The REPL on piped input: one input per line (an unfinished one goes on on the next lines, up to
/// an empty line), no prompt. Returns 1 when an input failed, else 0.
pub fn run_piped(session: &mut ReplSession, input: impl BufRead) -> u8 {
    let mut failed = false;
    let mut pending = String::new();
    let mut input = input;
    let mut number = 0u64;
    loop {
        let mut bytes = Vec::new();
        match input.read_until(b'\n', &mut bytes) {
            Ok(0) => break,
            Ok(_) => number += 1,
            Err(e) => {
                eprintln!("error: cannot read standard input: {e}");
                return 1;
            }
        }
        if bytes.last() == Some(&b'\n') {
            bytes.pop();
        }
        // One line that is not UTF-8 is one failed input, not the end of the session.
        let Ok(line) = String::from_utf8(bytes) else {
            eprintln!("error: input line {number} is not valid UTF-8; it was skipped");
            failed = true;
            continue;
        };
        if !pending.is_empty() {
            pending.push('\n');
        }
        pending.push_str(line.strip_suffix('\r').unwrap_or(&line));
        if is_incomplete(&pending) {
            continue;
        }
        let output = session.eval_line(&pending);
        pending.clear();
        failed |= output.is_error();
        if let Err(code) = print(&output) {
            return code.max(u8::from(failed));
        }
        if output.quit {
            return u8::from(failed);
        }
    }
    if !pending.trim().is_empty() {
        let output = session.eval_line(&pending);
        failed |= output.is_error();
        if let Err(code) = print(&output) {
            return code.max(u8::from(failed));
        }
    }
    u8::from(failed)
}
