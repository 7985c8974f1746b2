//! The policy folders the editor has open: their files (on disk, replaced by the editor's
//! unsaved buffers), compiled after every change, with their outlines and live values.

use crate::analysis::Analysis;
use crate::settings::Settings;
use eligo::project::Project;
use eligo::{Error, FileOutline, Sources};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

#[derive(Default)]
pub struct Workspace {
    /// The workspace root (`rootUri`, else the first workspace folder).
    pub root: Option<PathBuf>,
    /// The client's live-values settings.
    pub settings: Settings,
    /// The editor's buffers, by path.
    open: HashMap<PathBuf, String>,
    /// Each policy folder's files as read from disk (`Err`: the folder cannot be read).
    disk: HashMap<PathBuf, Result<Vec<(String, String)>, Error>>,
    /// Each policy folder's analysis of its current texts.
    analyses: HashMap<PathBuf, Analysis>,
    /// The last outline of each file that parsed, kept while it does not.
    kept: HashMap<PathBuf, FileOutline>,
    /// Each folder's last policies that compiled, for completion while they do not.
    good: HashMap<PathBuf, eligo::Policies>,
    /// Each folder's last outline, whose unchanged files are not parsed again.
    outlines: HashMap<PathBuf, eligo::Outline>,
}

impl Workspace {
    /// The policy folder a file belongs to: the nearest folder with an `eligo.toml`, else the
    /// workspace root when the file is inside it, else the file's own folder.
    pub fn folder_of(&self, path: &Path) -> PathBuf {
        let dir = path.parent().unwrap_or(Path::new("/"));
        if let Some(project) = Project::find(dir) {
            return project;
        }
        match &self.root {
            Some(root) if path.starts_with(root) => root.clone(),
            _ => dir.to_path_buf(),
        }
    }

    pub fn open(&mut self, path: PathBuf, text: String) -> PathBuf {
        let folder = self.folder_of(&path);
        self.open.insert(path, text);
        self.analyses.remove(&folder);
        folder
    }

    pub fn close(&mut self, path: &Path) -> PathBuf {
        let folder = self.folder_of(path);
        self.open.remove(path);
        self.disk.remove(&folder);
        self.analyses.remove(&folder);
        folder
    }

    /// Files changed on disk (saved, created, deleted, `eligo.toml` edited).
    pub fn changed_on_disk(&mut self, path: &Path) -> PathBuf {
        let folder = self.folder_of(path);
        self.disk.remove(&folder);
        self.analyses.remove(&folder);
        folder
    }

    /// Settings or the project file changed: live values are computed again.
    pub fn forget_live_values(&mut self) {
        let config = self.live_config();
        for a in self.analyses.values_mut() {
            a.set_config(config.clone());
        }
    }

    /// The folders with an analysis or an open file.
    pub fn folders(&self) -> Vec<PathBuf> {
        let mut out: Vec<PathBuf> = self.open.keys().map(|p| self.folder_of(p)).collect();
        out.extend(self.analyses.keys().cloned());
        out.sort();
        out.dedup();
        out
    }

    pub fn text(&self, path: &Path) -> Option<String> {
        if let Some(t) = self.open.get(path) {
            return Some(t.clone());
        }
        // Read as policies are: a file past the size limit is not read whole.
        eligo::read_policy_text(path).ok()
    }

    /// The analysis of a folder, made if its files changed since the last one.
    pub fn analysis(&mut self, folder: &Path) -> &Analysis {
        if !self.analyses.contains_key(folder) {
            let files = self.files(folder);
            let previous = self.kept_for(folder);
            let good = self.good.get(folder).cloned();
            let config = self.live_config();
            let last = self.outlines.get(folder);
            let analysis = Analysis::new(folder, files.0, files.1, &previous, good, last, config);
            self.outlines
                .insert(folder.to_path_buf(), analysis.outline.clone());
            for (path, outline) in analysis.parsed_outlines() {
                self.kept.insert(path, outline);
            }
            if let Some(p) = analysis.policies() {
                self.good.insert(folder.to_path_buf(), p.clone());
            }
            self.analyses.insert(folder.to_path_buf(), analysis);
        }
        &self.analyses[folder]
    }

    /// The analysis of the folder a file belongs to.
    pub fn analysis_of(&mut self, path: &Path) -> &Analysis {
        let folder = self.folder_of(path);
        self.analysis(&folder)
    }

    fn kept_for(&self, folder: &Path) -> HashMap<PathBuf, FileOutline> {
        self.kept
            .iter()
            .filter(|(p, _)| p.starts_with(folder))
            .map(|(p, o)| (p.clone(), o.clone()))
            .collect()
    }

    /// The folder's files, each `(name, text)` with the editor's buffers in place of the disk,
    /// and the error of a folder that cannot be read.
    fn files(&mut self, folder: &Path) -> (Sources, Option<Error>) {
        let disk = self
            .disk
            .entry(folder.to_path_buf())
            .or_insert_with(|| {
                Sources::read(folder).map(|s| {
                    s.files()
                        .map(|(n, _, t)| (n.to_string(), t.to_string()))
                        .collect()
                })
            })
            .clone();
        let (mut files, error) = match disk {
            Ok(files) => (files, None),
            Err(e) => (Vec::new(), Some(e)),
        };
        for (name, text) in files.iter_mut() {
            if let Some(buffer) = self.open.get(&folder.join(&*name)) {
                text.clone_from(buffer);
            }
        }
        for (path, text) in &self.open {
            let Ok(rel) = path.strip_prefix(folder) else {
                continue;
            };
            let name = rel.to_string_lossy().replace('\\', "/");
            if name.ends_with(".elg") && !files.iter().any(|(n, _)| *n == name) {
                files.push((name, text.clone()));
            }
        }
        files.sort_by(|a, b| a.0.cmp(&b.0));
        // No files on disk is no error while the editor has some.
        let error =
            error.filter(|e| files.is_empty() || !e.diagnostics().codes().any(|c| c == "E0002"));
        (Sources::from_texts(files), error)
    }

    /// Where live values come from: the client's settings, else the project file.
    fn live_config(&self) -> crate::live::Config {
        crate::live::Config::new(&self.settings, self.root.as_deref())
    }
}
