//! One policy folder's files as the editor has them: compiled, outlined, with live values on
//! demand.

use crate::lines::Lines;
use crate::live::{Config, Live};
use eligo::{Error, FileOutline, Outline, Policies, Sources};
use std::cell::OnceCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

pub struct Analysis {
    pub folder: PathBuf,
    pub sources: Sources,
    /// Each file's path and lines, parallel to the sources.
    pub paths: Vec<PathBuf>,
    pub lines: Vec<Lines>,
    /// The compiled policies, or why they do not compile.
    pub compiled: Result<Policies, Error>,
    /// The policies completion and hover use: these, else the last that compiled.
    pub usable: Option<Policies>,
    /// Why the folder cannot be read, if it cannot.
    pub read_error: Option<Error>,
    /// The outline (a file that does not parse keeps its last outline).
    pub outline: Outline,
    config: Config,
    live: OnceCell<Live>,
}

impl Analysis {
    pub fn new(
        folder: &Path,
        sources: Sources,
        read_error: Option<Error>,
        kept: &HashMap<PathBuf, FileOutline>,
        last_good: Option<Policies>,
        previous: Option<&Outline>,
        config: Config,
    ) -> Analysis {
        let paths: Vec<PathBuf> = sources.files().map(|(n, _, _)| folder.join(n)).collect();
        // Byte ranges (diagnostics, outlines) are of the text after a byte-order mark, and
        // editors do not show one: positions are counted without it.
        let lines = sources
            .files()
            .map(|(_, _, t)| Lines::new(t.strip_prefix('\u{feff}').unwrap_or(t)))
            .collect();
        let compiled = Policies::compile(sources.clone());
        let usable = compiled.as_ref().ok().cloned().or(last_good);
        // Only the files whose text changed are parsed again.
        let mut outline = match previous {
            Some(p) => Outline::again(&sources, p),
            None => Outline::of(&sources),
        };
        for (i, path) in paths.iter().enumerate() {
            if !outline.files()[i].parsed {
                if let Some(previous) = kept.get(path) {
                    outline.replace(i, previous.clone());
                }
            }
        }
        Analysis {
            folder: folder.to_path_buf(),
            sources,
            paths,
            lines,
            compiled,
            usable,
            read_error,
            outline,
            config,
            live: OnceCell::new(),
        }
    }

    /// The outlines of the files that parsed, to keep for when they do not.
    pub fn parsed_outlines(&self) -> Vec<(PathBuf, FileOutline)> {
        self.outline
            .files()
            .iter()
            .zip(&self.paths)
            .filter(|(o, _)| o.parsed)
            .map(|(o, p)| (p.clone(), o.clone()))
            .collect()
    }

    pub fn file_index(&self, path: &Path) -> Option<usize> {
        self.paths.iter().position(|p| p == path)
    }

    /// The policies, when the files compile.
    pub fn policies(&self) -> Option<&Policies> {
        self.compiled.as_ref().ok()
    }

    /// The live values (computed on first use, then kept until the next change).
    pub fn live(&self) -> &Live {
        self.live
            .get_or_init(|| Live::compute(self.policies(), &self.folder, &self.config))
    }

    pub fn set_config(&mut self, config: Config) {
        self.config = config;
        self.live = OnceCell::new();
    }
}
