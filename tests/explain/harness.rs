//! Shared by `tests/explain.rs` and `tests/policy_tests.rs`: runs of the built `eligo` binary, and
//! the check that the outputs pasted in a documentation page are the real ones.
//!
//! A page marks a pasted output with an HTML comment just before its block:
//!
//! - `<!-- output of: eligo ARGS -->` before a ```` ```text ```` block: the block is the whole
//!   standard output of `eligo ARGS`, run in the repository root;
//! - `<!-- json of: eligo ARGS at /JSON/POINTER -->` before a ```` ```json ```` block: the block
//!   is the JSON value at that pointer (RFC 6901; left out, the whole document) of the output;
//! - `<!-- file: PATH -->` before any fenced block: the block is the file's text (PATH relative to
//!   the repository root).
//!
//! ARGS are split at spaces (no quoting). Outputs are compared after trimming trailing
//! whitespace from each line, since editors strip it.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

pub const BIN: &str = env!("CARGO_BIN_EXE_eligo");

/// The repository root.
pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("the repository root exists")
}

/// One finished run of the binary.
#[derive(Debug)]
pub struct Run {
    /// The command line as typed, relative to the folder it ran in.
    pub line: String,
    /// The exit code (`None`: ended by a signal).
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

/// `eligo ARGS…` in `dir` (relative to the repository root), stdout and stderr piped, so never
/// on a terminal; `NO_COLOR` is removed from the environment, so that a colourless output shows
/// the terminal check works by itself.
pub fn eligo_in(dir: &str, args: &[&str]) -> Run {
    let output = Command::new(BIN)
        .args(args)
        .current_dir(repo().join(dir))
        .env_remove("NO_COLOR")
        .env("RUST_BACKTRACE", "0")
        .stdin(Stdio::null())
        .output()
        .expect("the eligo binary starts");
    Run {
        line: std::iter::once("eligo")
            .chain(args.iter().copied())
            .collect::<Vec<_>>()
            .join(" "),
        code: output.status.code(),
        stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
    }
}

/// `eligo ARGS…` in the repository root.
pub fn eligo(args: &[&str]) -> Run {
    eligo_in(".", args)
}

impl Run {
    /// Exited with `code`, without a panic.
    #[track_caller]
    pub fn exits(&self, code: i32) -> &Self {
        assert!(
            !self.stderr.contains("panicked"),
            "`{}` panicked:\n{}",
            self.line,
            self.stderr
        );
        assert_eq!(
            self.code,
            Some(code),
            "`{}` exited with {:?}, expected {code}\n--- stdout\n{}\n--- stderr\n{}",
            self.line,
            self.code,
            self.stdout,
            self.stderr
        );
        self
    }

    /// The command line, the exit status, stdout and stderr, for a snapshot.
    pub fn transcript(&self) -> String {
        let code = self
            .code
            .map_or_else(|| "killed by a signal".to_string(), |c| c.to_string());
        format!(
            "$ {}\nexit status: {code}\n--- stdout\n{}--- stderr\n{}",
            self.line, self.stdout, self.stderr
        )
    }

    /// Stdout holds `needle`.
    #[track_caller]
    pub fn says(&self, needle: &str) -> &Self {
        assert!(
            self.stdout.contains(needle),
            "`{}`: stdout lacks {needle:?}\n--- stdout\n{}",
            self.line,
            self.stdout
        );
        self
    }
}

fn trimmed_lines(s: &str) -> String {
    let mut out: Vec<&str> = s.lines().map(str::trim_end).collect();
    while out.last().is_some_and(|l| l.is_empty()) {
        out.pop();
    }
    out.join("\n")
}

/// Checks every marked output of a documentation page (relative to the repository root);
/// returns how many were checked, or the differences.
pub fn check_doc_outputs(page: &str) -> Result<usize, Vec<String>> {
    let text = std::fs::read_to_string(repo().join(page)).expect("the page is readable");
    let lines: Vec<&str> = text.lines().collect();
    let mut problems = Vec::new();
    let mut checked = 0;
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i].trim();
        let marker = ["<!-- output of: ", "<!-- json of: ", "<!-- file: "]
            .into_iter()
            .find(|m| line.starts_with(m));
        let Some(marker) = marker else {
            i += 1;
            continue;
        };
        let at = i + 1;
        let command = line
            .trim_start_matches(marker)
            .trim_end_matches("-->")
            .trim();
        let (command, pointer) = match command.split_once(" at /") {
            Some((c, p)) => (c.trim(), format!("/{}", p.trim())),
            None => (command, String::new()),
        };
        let fence = if marker.contains("json") {
            "```json"
        } else if marker.contains("file") {
            "```"
        } else {
            "```text"
        };
        let opening = lines.get(i + 1).map_or("", |l| l.trim());
        let opens = if marker.contains("file") {
            opening.starts_with(fence) && opening.len() > 3
        } else {
            opening == fence
        };
        if !opens {
            problems.push(format!(
                "{page}:{at}: `{command}` is not followed by a {fence} block"
            ));
            i += 1;
            continue;
        }
        let start = i + 2;
        let Some(len) = lines[start..].iter().position(|l| l.trim() == "```") else {
            problems.push(format!("{page}:{at}: unclosed block"));
            break;
        };
        let block = lines[start..start + len].join("\n");
        i = start + len + 1;
        if marker.contains("file") {
            checked += 1;
            match std::fs::read_to_string(repo().join(command)) {
                Ok(t) if trimmed_lines(&t) == trimmed_lines(&block) => {}
                Ok(_) => problems.push(format!("{page}:{at}: the block differs from {command}")),
                Err(e) => problems.push(format!("{page}:{at}: cannot read {command}: {e}")),
            }
            continue;
        }
        let words: Vec<&str> = command.split_whitespace().collect();
        if words.first() != Some(&"eligo") {
            problems.push(format!(
                "{page}:{at}: `{command}` does not start with `eligo`"
            ));
            continue;
        }
        let run = eligo(&words[1..]);
        checked += 1;
        if marker.contains("json") {
            let actual: serde_json::Value = match serde_json::from_str(&run.stdout) {
                Ok(v) => v,
                Err(e) => {
                    problems.push(format!("{page}:{at}: `{command}` printed no JSON: {e}"));
                    continue;
                }
            };
            let Some(actual) = actual.pointer(&pointer) else {
                problems.push(format!(
                    "{page}:{at}: no {pointer} in the output of `{command}`"
                ));
                continue;
            };
            match serde_json::from_str::<serde_json::Value>(&block) {
                Ok(expected) if &expected == actual => {}
                Ok(_) => problems.push(format!(
                    "{page}:{at}: `{command}` at {pointer} is now\n{}",
                    serde_json::to_string_pretty(actual).unwrap_or_default()
                )),
                Err(e) => problems.push(format!("{page}:{at}: the block is not JSON: {e}")),
            }
        } else if trimmed_lines(&block) != trimmed_lines(&run.stdout) {
            problems.push(format!(
                "{page}:{at}: `{command}` now prints\n{}",
                run.stdout
            ));
        }
    }
    if problems.is_empty() {
        Ok(checked)
    } else {
        Err(problems)
    }
}
