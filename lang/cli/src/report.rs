//! Diagnostics on stderr: colour on a terminal, plain otherwise.

use eligo::diag::{render_all, Error};
use eligo::source::SourceMap;
use std::io::IsTerminal;

/// Prints errors with the sources they point into.
pub fn errors(errors: &[Error], sources: &SourceMap) {
    let colour = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    eprint!("{}", render_all(errors, sources, colour));
    if errors.len() > 1 {
        eprintln!("{} errors", errors.len());
    }
}

/// Prints one error that points into no policy.
pub fn error(e: &Error) {
    errors(std::slice::from_ref(e), &SourceMap::new());
}

/// Prints a warning line.
pub fn warning(msg: &str) {
    eprintln!("warning: {msg}");
}

/// Writes to stdout; a closed pipe (`eligo … | head`) ends the output quietly instead of
/// panicking.
pub fn stdout(s: &str) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    if out
        .write_all(s.as_bytes())
        .and_then(|_| out.flush())
        .is_err()
    {
        std::process::exit(0);
    }
}
