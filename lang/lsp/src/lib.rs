//! The eligo language server (`eligo lsp`): diagnostics as the author types, hover, navigation,
//! completion, formatting, semantic tokens, and live values (inlay hints and code lenses) for a
//! partner's facts, over the Language Server Protocol (lsp-server, synchronous, on stdio). Thin
//! over the library's front door: every answer comes from `eligo::Policies` and
//! `eligo::Outline`.
#![forbid(unsafe_code)]

mod analysis;
mod capabilities;
mod complete;
mod diagnostics;
mod features;
mod hints;
mod hover;
mod lines;
mod live;
mod navigate;
mod server;
mod settings;
mod tokens;
mod uris;
mod workspace;

pub use capabilities::EXPLAIN;
pub use lsp_server::Connection;

/// Serves the protocol on a connection (a test's in-memory one) until the client says `exit`,
/// on a thread with the stack evaluation needs.
pub fn run(connection: Connection) -> Result<(), String> {
    eligo::run_on_big_stack(move || server::run(&connection))
}

/// Serves the protocol on standard input and output (`eligo lsp`).
pub fn run_stdio() -> Result<(), String> {
    let (connection, io) = Connection::stdio();
    run(connection)?;
    io.join().map_err(|e| e.to_string())
}

/// Measures what an edit costs: the diagnostics of a folder's files after one of them changed
/// (for the benchmark; not part of the protocol).
#[doc(hidden)]
pub mod bench {
    pub use crate::workspace::Workspace;

    /// Opens `files` (path, text) in a fresh workspace rooted at `root`, then returns a closure
    /// that replaces the first file's text and computes the folder's diagnostics, returning
    /// their number.
    pub fn diagnostics_after_edit(root: &std::path::Path, path: &std::path::Path, text: &str) -> usize {
        let mut w = Workspace::default();
        w.root = Some(root.to_path_buf());
        let folder = w.open(path.to_path_buf(), text.to_string());
        let analysis = w.analysis(&folder);
        crate::diagnostics::of_folder(analysis).values().map(Vec::len).sum()
    }
}
