//! `eligo check`: every stage but evaluation.

use std::path::Path;

/// Runs the command; returns the exit status.
pub fn run(policies: Option<&Path>) -> u8 {
    match super::load_program(policies) {
        Ok(p) => {
            let files = p.program().sources.files().count();
            eprintln!(
                "ok: {files} file(s), {} rule(s), {} table(s), {} outcome(s)",
                p.program().rules.len(),
                p.program().tables.len(),
                p.program().outcomes.len()
            );
            0
        }
        Err(code) => code,
    }
}
