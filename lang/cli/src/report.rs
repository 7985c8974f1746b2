//! Diagnostics on stderr: colour on a terminal, plain otherwise.

use eligo::{Diagnostics, Error};
use std::io::IsTerminal;

/// Whether diagnostics on standard error are coloured: on a terminal, unless `NO_COLOR` is set.
pub fn colour() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

/// Prints diagnostics with the sources they point into.
pub fn diagnostics(d: &Diagnostics) {
    eprint!("{}", d.render(colour()));
}

/// Prints an error and gives the exit status: 2 for a request the policies cannot answer (an
/// unknown outcome, a date that is none), 1 for the rest.
pub fn failure(e: &Error) -> u8 {
    diagnostics(e.diagnostics());
    match e {
        Error::Request(_) => 2,
        _ => 1,
    }
}

/// Prints a warning line.
pub fn warning(msg: &str) {
    eprintln!("warning: {msg}");
}

/// Whether standard output was found closed by its reader: what follows is not written.
static STDOUT_CLOSED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Writes to stdout for commands that print as they go (`eligo test`, `eligo fmt`). After a closed
/// pipe (`eligo … | head`) the rest is dropped quietly and the command goes on to its own exit
/// status (`fmt --check` still says 1 when a file needs formatting); any other write error ends
/// the process with its diagnostic and status 1 (`crate::output`).
pub fn stdout(s: &str) {
    use std::sync::atomic::Ordering;
    if STDOUT_CLOSED.load(Ordering::Relaxed) {
        return;
    }
    match crate::output::print(s) {
        Ok(()) => {}
        Err(0) => STDOUT_CLOSED.store(true, Ordering::Relaxed),
        Err(code) => std::process::exit(code.into()),
    }
}
