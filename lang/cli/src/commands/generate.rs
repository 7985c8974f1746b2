//! `eligo generate`: a seeded population of partner facts.

use crate::report;
use eligo::diag::{Error, ErrorKind};
use std::io::{BufWriter, Write};
use std::path::Path;

/// Runs the command; returns the exit status.
pub fn run(partners: u64, seed: u64, out: Option<&Path>) -> u8 {
    let sink: Box<dyn Write> = match out {
        Some(p) => match std::fs::File::create(p) {
            Ok(f) => Box::new(f),
            Err(e) => {
                let shown = p.display().to_string();
                report::error(&Error::in_file(
                    &shown,
                    ErrorKind::CannotRead {
                        path: shown.clone(),
                        reason: e.to_string(),
                    },
                ));
                return 1;
            }
        },
        None => Box::new(std::io::stdout().lock()),
    };
    let mut w = BufWriter::with_capacity(1 << 16, sink);
    let mut g = eligo_generate::Generator::new(seed);
    for _ in 0..partners {
        if writeln!(w, "{}", g.partner()).is_err() {
            return 1;
        }
    }
    if w.flush().is_err() {
        return 1;
    }
    0
}
