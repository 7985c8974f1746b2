//! `eligo init`: a starter project that checks, evaluates and tests clean — a facts declaration,
//! one rule with labelled criteria, an outcome, example facts, a test file and `eligo.toml`.

use crate::report;
use eligo::Error;
use std::path::{Path, PathBuf};

/// The command's arguments.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The folder to start the project in (created if missing; default: the current folder).
    dir: Option<PathBuf>,
}

/// The starter's files: path in the project, and text (docs/tutorial.md walks through them).
pub const FILES: &[(&str, &str)] = &[
    (super::PROJECT_FILE, include_str!("init/eligo.toml")),
    ("policy.elg", include_str!("init/policy.elg")),
    (
        "facts/example.json",
        include_str!("init/facts/example.json"),
    ),
    ("policy.test.json", include_str!("init/policy.test.json")),
];

/// Runs the command; returns the exit status.
pub fn run(args: Args) -> u8 {
    let dir = args.dir.unwrap_or_else(|| PathBuf::from("."));
    let shown = |rel: &str| -> String {
        if dir == Path::new(".") {
            rel.to_string()
        } else {
            dir.join(rel).display().to_string()
        }
    };
    // Nothing is written when any file exists: a half-made project helps nobody.
    let existing: Vec<String> = FILES
        .iter()
        .filter(|(rel, _)| dir.join(rel).symlink_metadata().is_ok())
        .map(|(rel, _)| shown(rel))
        .collect();
    if !existing.is_empty() {
        for path in &existing {
            report::failure(&Error::exists(path));
        }
        return 1;
    }
    for (rel, text) in FILES {
        let path = dir.join(rel);
        let written = path
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| write_new(&path, text));
        if let Err(e) = written {
            return report::failure(&Error::file(&shown(rel), e.to_string()));
        }
        report::stdout(&format!("created {}\n", shown(rel)));
    }
    let cd = if dir == Path::new(".") {
        String::new()
    } else {
        format!("cd {} && ", dir.display())
    };
    report::stdout(&format!(
        "\nnext: {cd}eligo check && eligo eval --facts facts/example.json && eligo test\n"
    ));
    0
}

/// Writes a file that must not exist yet (a file made meanwhile is not overwritten either).
fn write_new(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?;
    f.write_all(text.as_bytes())
}
