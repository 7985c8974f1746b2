//! The driver: policy files → parsed ([`crate::syntax`]) → resolved ([`crate::resolve`]) →
//! checked ([`crate::types`]) → compiled ([`crate::eval::Compiled`]). Runs on a thread with a
//! large stack, so that hostile nesting ends in a diagnostic, not a stack overflow.

pub mod read;
mod stdlib;

pub use stdlib::standard_sources;

use crate::diag::{Error, ErrorKind};
use crate::eval::Compiled;
use crate::resolve::Env;
use crate::source::{SourceId, SourceMap};
use crate::syntax;
use std::path::{Path, PathBuf};

/// Stack for compiling and evaluating: deep enough for every limit eligo enforces.
pub const STACK_BYTES: usize = 256 * 1024 * 1024;

/// One policy file's name, module path and text.
#[derive(Debug, Clone, Default)]
pub struct LoadedSources {
    /// Files in a stable order: (display name, module path, text).
    pub files: Vec<(String, String, String)>,
}

/// A failed compilation: the errors and the sources they point into.
#[derive(Debug)]
pub struct Failed {
    /// Every source read.
    pub sources: SourceMap,
    /// Every error found.
    pub errors: Vec<Error>,
}

/// Reads a policy file, or every `*.elg` file under a folder (sorted, so module order is stable).
pub fn policy_sources(path: &Path) -> Result<LoadedSources, Error> {
    let shown = path.display().to_string();
    let cannot = |e: std::io::Error| read::cannot_read(&shown, &e, "no such file or folder");
    let meta = std::fs::metadata(path).map_err(cannot)?;
    let mut files = Vec::new();
    if meta.is_dir() {
        let mut paths = Vec::new();
        collect(path, &mut paths, 0).map_err(cannot)?;
        paths.sort();
        if paths.is_empty() {
            return Err(Error::bare(ErrorKind::NoPolicyFiles { path: shown }));
        }
        for p in paths {
            let rel = p.strip_prefix(path).unwrap_or(&p);
            let name = rel.to_string_lossy().replace('\\', "/");
            let module = module_name(&name);
            files.push((name, module, read::policy_file(&p)?));
        }
    } else {
        let name = path
            .file_name()
            .map_or(shown.clone(), |n| n.to_string_lossy().into_owned());
        files.push((shown.clone(), module_name(&name), read::policy_file(path)?));
    }
    Ok(LoadedSources { files })
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>, depth: usize) -> std::io::Result<()> {
    if depth > 32 {
        return Err(std::io::Error::other("folders nested more than 32 deep"));
    }
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        // Symbolic links to folders are not followed: a link to an ancestor would loop forever.
        let kind = entry.file_type()?;
        let p = entry.path();
        if kind.is_dir() {
            collect(&p, out, depth + 1)?;
        } else if p.extension().is_some_and(|e| e == "elg") && (kind.is_file() || p.is_file()) {
            out.push(p);
        }
    }
    Ok(())
}

/// `certified_software/azure.elg` → `certified_software.azure`.
pub fn module_name(rel: &str) -> String {
    rel.trim_end_matches(".elg").replace('/', ".")
}

/// Compiles policy files, on a large stack.
pub fn compile(sources: LoadedSources) -> Result<Compiled, Failed> {
    run_on_big_stack(move || compile_sources(sources))
}

/// Runs a closure on a thread with [`STACK_BYTES`] of stack.
pub fn run_on_big_stack<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    std::thread::scope(|s| {
        let handle = std::thread::Builder::new()
            .stack_size(STACK_BYTES)
            .spawn_scoped(s, f);
        match handle {
            Ok(h) => match h.join() {
                Ok(v) => v,
                Err(p) => std::panic::resume_unwind(p),
            },
            Err(_) => unreachable_spawn(),
        }
    })
}

fn unreachable_spawn() -> ! {
    // Spawning fails only when the system is out of threads or memory: nothing sensible remains.
    eprintln!("eligo: cannot start a thread");
    std::process::exit(70)
}

/// Compiles policy files on the current thread.
pub fn compile_sources(loaded: LoadedSources) -> Result<Compiled, Failed> {
    let mut sources = SourceMap::new();
    let mut ids = Vec::new();
    for (name, module, text) in loaded.files {
        // A byte-order mark is not part of the policy.
        let text = text
            .strip_prefix('\u{feff}')
            .map(str::to_string)
            .unwrap_or(text);
        ids.push(sources.add(name, module, text));
    }
    let mut errors = module_clashes(&sources, &ids);
    let mut asts: Vec<(SourceId, syntax::ast::Module)> = Vec::new();
    for id in &ids {
        let text = sources.get(*id).text.clone();
        match syntax::parse_module(*id, &text) {
            Ok(m) => asts.push((*id, m)),
            Err(es) => errors.extend(es),
        }
    }
    if !errors.is_empty() {
        return Err(Failed { sources, errors });
    }
    let env = Env::new(&sources, &asts);
    match crate::types::check_program(sources.clone(), env) {
        Ok(program) => Ok(Compiled::new(program)),
        Err(errors) => Err(Failed { sources, errors }),
    }
}

/// Files that would be the same module (`a.b.elg` and `a/b.elg` are both `a.b`): one would
/// silently shadow the other, so each later one is an error naming the first.
fn module_clashes(sources: &SourceMap, ids: &[SourceId]) -> Vec<Error> {
    let mut first: std::collections::HashMap<&str, &str> = std::collections::HashMap::new();
    let mut errors = Vec::new();
    for id in ids {
        let file = sources.get(*id);
        if let Some(other) = first.insert(&file.module, &file.name) {
            errors.push(Error::in_file(
                file.name.clone(),
                ErrorKind::ModuleClash {
                    module: file.module.clone(),
                    other: other.to_string(),
                },
            ));
            first.insert(&file.module, other);
        }
    }
    errors
}
