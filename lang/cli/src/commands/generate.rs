//! `eligo generate`: a seeded population of partner facts.

use std::io::{BufWriter, Write};
use std::path::Path;

/// Runs the command; returns the exit status.
pub fn run(partners: u64, seed: u64, out: Option<&Path>) -> u8 {
    let sink = match super::output(out) {
        Ok(w) => w,
        Err(code) => return code,
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
