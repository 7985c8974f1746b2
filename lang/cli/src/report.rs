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
