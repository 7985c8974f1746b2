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

/// What an edit costs, for the benchmark (not part of the protocol): a workspace with one policy
/// folder, whose files are edited as an editor's buffers.
#[doc(hidden)]
pub mod bench {
    use crate::workspace::Workspace;
    use std::path::{Path, PathBuf};

    pub struct Editor {
        workspace: Workspace,
        folder: PathBuf,
    }

    impl Editor {
        /// A workspace rooted at a policy folder.
        pub fn new(root: &Path) -> Editor {
            let mut workspace = Workspace::default();
            workspace.root = Some(root.to_path_buf());
            Editor {
                workspace,
                folder: root.to_path_buf(),
            }
        }

        /// Live values for a facts file (as the client's setting `liveValues.factsFile`).
        pub fn with_facts(mut self, facts: &Path) -> Editor {
            self.workspace.settings.facts_file = Some(facts.display().to_string());
            self
        }

        /// After an edit, the live values the inlay hints show: how many rules have one.
        pub fn live_values(&mut self, path: &Path, text: &str) -> usize {
            self.folder = self.workspace.open(path.to_path_buf(), text.to_string());
            let analysis = self.workspace.analysis(&self.folder);
            analysis.live().rules.len()
        }

        /// The buffer of a file now holds `text`: what the server does after an edit before it
        /// publishes the diagnostics (the folder checked again, the diagnostics of each file
        /// made into the notification's params; live values come after); the number of
        /// diagnostics published.
        pub fn edit(&mut self, path: &Path, text: &str) -> usize {
            self.folder = self.workspace.open(path.to_path_buf(), text.to_string());
            let analysis = self.workspace.analysis(&self.folder);
            let mut count = 0;
            for (path, list) in crate::diagnostics::of_folder(analysis) {
                count += list.len();
                std::hint::black_box(crate::diagnostics::params(&path, list));
            }
            count
        }
    }
}
