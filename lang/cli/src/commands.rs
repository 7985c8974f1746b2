//! One module per subcommand.

pub mod batch;
pub mod check;
pub mod eval;
pub mod explain;
pub mod fmt;
pub mod generate;
pub mod repl;
pub mod test;

use crate::report;
use eligo::program::{compile_sources, policy_sources, Program};
use std::path::Path;

/// Loads and compiles policies (the built-in ones when no path is given); reports errors.
pub fn load_program(path: Option<&Path>) -> Result<Program, u8> {
    let sources = match path {
        Some(p) => match policy_sources(p) {
            Ok(s) => s,
            Err(e) => {
                report::error(&e);
                return Err(1);
            }
        },
        None => crate::stdlib::sources(),
    };
    compile_sources(sources).map_err(|failed| {
        report::errors(&failed.errors, &failed.sources);
        1
    })
}
