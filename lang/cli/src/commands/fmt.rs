//! `eligo fmt`: the canonical layout of policy files (`docs/fmt.md`).

use crate::report;
use eligo::Sources;
use std::path::{Path, PathBuf};

/// The command's arguments.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// A policy file, or a folder whose `*.elg` files are all formatted.
    #[arg(default_value = ".")]
    pub policies: PathBuf,
    /// Change nothing: list the files that are not in the canonical layout, and exit with 1 if
    /// there are any.
    #[arg(long)]
    pub check: bool,
}

/// Runs the command; returns the exit status.
pub fn run(args: Args) -> u8 {
    let path = args.policies.as_path();
    let loaded = match Sources::read(path) {
        Ok(l) => l,
        Err(e) => return report::failure(&e),
    };
    let is_dir = path.is_dir();
    let mut failed = false;
    let mut changed = 0usize;
    let total = loaded.len();
    for (name, module, text) in loaded.files() {
        let (file, shown) = if is_dir {
            (path.join(name), shown_name(path, name))
        } else {
            (path.to_path_buf(), name.to_string())
        };
        let formatted = match eligo::format(&shown, module, text) {
            Ok(f) => f,
            Err(e) => {
                report::failure(&e);
                failed = true;
                continue;
            }
        };
        if formatted == text {
            continue;
        }
        changed += 1;
        report::stdout(&format!("{shown}\n"));
        if !args.check {
            if let Err(e) = std::fs::write(&file, formatted) {
                eprintln!("error: cannot write {shown}: {e}");
                failed = true;
            }
        }
    }
    if args.check && changed > 0 {
        eprintln!(
            "{changed} of {total} file(s) not in the canonical layout; `eligo fmt` rewrites them"
        );
    }
    if failed || (args.check && changed > 0) {
        1
    } else {
        0
    }
}

/// A file's name as shown: relative to the current folder when the folder given is `.`.
fn shown_name(dir: &Path, name: &str) -> String {
    if dir == Path::new(".") {
        name.to_string()
    } else {
        let d = dir.display().to_string();
        format!("{}/{name}", d.trim_end_matches(['/', '\\']))
    }
}
