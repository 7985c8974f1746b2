//! The one harness of the end-to-end suites: runs of the built `eligo` binary ([`eligo`], a
//! builder, and [`Run`], its result with assertions), temporary folders, text for snapshots, and
//! the check that outputs pasted in a documentation page are the real ones.
//!
//! A run happens in the repository root unless told otherwise, with standard input closed (or
//! written by the test), `RUST_BACKTRACE=0` and `NO_COLOR` removed; a run that outlives its limit
//! is killed and counts as a hang.
//!
//! A documentation page marks a pasted output with an HTML comment just before its block:
//!
//! - `<!-- output of: eligo ARGS -->` before a ```` ```text ```` block: the block is the whole
//!   standard output of `eligo ARGS`, run in the repository root;
//! - `<!-- json of: eligo ARGS at /JSON/POINTER -->` before a ```` ```json ```` block: the block
//!   is the JSON value at that pointer (RFC 6901; left out, the whole document) of the output;
//! - `<!-- file: PATH -->` before any fenced block: the block is the file's text (PATH relative to
//!   the repository root);
//! - `<!-- stderr of: eligo ARGS -->` before a ```` ```text ```` block: the block is the whole
//!   standard error of the run.
//!
//! A command may end with `in DIR`: it runs in that folder (relative to the repository root)
//! instead, as a user in the folder types it (`<!-- output of: eligo test in docs/tutorial -->`).
//! ARGS are split at spaces (no quoting). Outputs are compared after trimming trailing
//! whitespace from each line, since editors strip it.

// Each suite uses a part of the harness.
#![allow(dead_code)]

use serde_json::Value as Json;
use std::ffi::OsString;
use std::io::{ErrorKind, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The binary under test.
pub const BIN: &str = env!("CARGO_BIN_EXE_eligo");

/// Longest a single run may take (a debug build on a small machine) before it counts as a hang.
pub const HANG: Duration = Duration::from_secs(180);

pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("the repository root exists")
}

/// One run of the binary, finished.
#[derive(Debug)]
pub struct Run {
    /// The command line as a user would type it (for messages and snapshots).
    pub line: String,
    /// The exit code; `None` when a signal ended the process.
    pub code: Option<i32>,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
    /// How long it took.
    pub elapsed: Duration,
}

/// Writes a run's standard input.
pub type StdinWriter = Box<dyn FnOnce(&mut dyn Write) -> std::io::Result<()> + Send>;

/// A run being set up.
pub struct Eligo {
    args: Vec<OsString>,
    dir: PathBuf,
    stdin: Option<StdinWriter>,
    hang: Duration,
    env: Vec<(String, String)>,
}

/// `eligo ARGS…`, run in the repository root unless [`Eligo::dir`] says otherwise.
pub fn eligo<I, S>(args: I) -> Eligo
where
    I: IntoIterator<Item = S>,
    S: Into<OsString>,
{
    Eligo {
        args: args.into_iter().map(Into::into).collect(),
        dir: repo(),
        stdin: None,
        hang: HANG,
        env: Vec::new(),
    }
}

/// `eligo ARGS…` in the repository root, finished.
pub fn run(args: &[&str]) -> Run {
    eligo(args.iter().copied()).run()
}

/// `eligo ARGS…` in a folder relative to the repository root, finished.
pub fn run_in(dir: &str, args: &[&str]) -> Run {
    eligo(args.iter().copied()).in_repo(dir).run()
}

impl Eligo {
    /// Runs in this folder.
    pub fn dir(mut self, dir: &Path) -> Self {
        self.dir = dir.to_path_buf();
        self
    }

    /// Runs in a folder given relative to the repository root.
    pub fn in_repo(self, dir: &str) -> Self {
        let d = repo().join(dir);
        self.dir(&d)
    }

    /// Sets an environment variable (a time zone, a locale).
    pub fn env(mut self, key: &str, value: &str) -> Self {
        self.env.push((key.to_string(), value.to_string()));
        self
    }

    /// Counts the run as a hang after `limit` instead of [`HANG`].
    pub fn hang_after(mut self, limit: Duration) -> Self {
        self.hang = limit;
        self
    }

    pub fn stdin_bytes(self, bytes: Vec<u8>) -> Self {
        self.stdin_with(move |w| w.write_all(&bytes))
    }

    pub fn stdin_with(
        mut self,
        f: impl FnOnce(&mut dyn Write) -> std::io::Result<()> + Send + 'static,
    ) -> Self {
        self.stdin = Some(Box::new(f));
        self
    }

    pub fn run(self) -> Run {
        let line = std::iter::once("eligo".to_string())
            .chain(self.args.iter().map(|a| a.to_string_lossy().into_owned()))
            .collect::<Vec<_>>()
            .join(" ");
        let start = Instant::now();
        let mut child = Command::new(BIN)
            .args(&self.args)
            .current_dir(&self.dir)
            // Output goes to pipes, never a terminal: without `NO_COLOR`, colourless output
            // shows that the terminal check works by itself.
            .env_remove("NO_COLOR")
            .env("RUST_BACKTRACE", "0")
            .envs(self.env.iter().map(|(k, v)| (k, v)))
            .stdin(if self.stdin.is_some() {
                Stdio::piped()
            } else {
                Stdio::null()
            })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the eligo binary starts");
        let writer = match (self.stdin, child.stdin.take()) {
            (Some(f), Some(mut pipe)) => Some(std::thread::spawn(move || {
                // eligo may stop reading early (a size limit): a broken pipe is its right.
                match f(&mut pipe) {
                    Err(e) if e.kind() != ErrorKind::BrokenPipe => panic!("writing stdin: {e}"),
                    _ => {}
                }
            })),
            _ => None,
        };
        let mut out_pipe = child.stdout.take().expect("piped stdout");
        let mut err_pipe = child.stderr.take().expect("piped stderr");
        let out_reader = std::thread::spawn(move || {
            let mut v = Vec::new();
            out_pipe.read_to_end(&mut v).map(|_| v)
        });
        let err_reader = std::thread::spawn(move || {
            let mut v = Vec::new();
            err_pipe.read_to_end(&mut v).map(|_| v)
        });
        let status = loop {
            if let Some(s) = child.try_wait().expect("waiting for eligo") {
                break s;
            }
            if start.elapsed() > self.hang {
                let _ = child.kill();
                let _ = child.wait();
                panic!("`{line}` still running after {:?}: a hang", self.hang);
            }
            std::thread::sleep(Duration::from_millis(5));
        };
        let elapsed = start.elapsed();
        if let Some(w) = writer {
            w.join().expect("the stdin writer");
        }
        let stdout = out_reader.join().expect("stdout reader").expect("stdout");
        let stderr = err_reader.join().expect("stderr reader").expect("stderr");
        Run {
            line,
            code: status.code(),
            stdout: String::from_utf8(stdout).expect("stdout is UTF-8"),
            stderr: String::from_utf8(stderr).expect("stderr is UTF-8"),
            elapsed,
        }
    }
}

impl Run {
    /// Exited by itself with this code (not by a signal), without panicking.
    #[track_caller]
    pub fn exits(&self, code: i32) -> &Self {
        self.no_crash();
        assert_eq!(
            self.code,
            Some(code),
            "`{}` exited with {:?}, expected {code}\n--- stderr\n{}",
            self.line,
            self.code,
            shorten(&self.stderr)
        );
        self
    }

    /// Ended normally: no signal, no panic (exit 101), no stack overflow (SIGABRT).
    #[track_caller]
    pub fn no_crash(&self) -> &Self {
        let stderr = shorten(&self.stderr);
        assert!(
            self.code.is_some(),
            "`{}` was ended by a signal\n--- stderr\n{stderr}",
            self.line
        );
        assert_ne!(self.code, Some(101), "`{}` panicked\n{stderr}", self.line);
        for crash in [
            "panicked",
            "stack overflow",
            "RUST_BACKTRACE",
            "SIGSEGV",
            "SIGABRT",
        ] {
            assert!(
                !self.stderr.contains(crash),
                "`{}`: stderr mentions {crash:?}\n{stderr}",
                self.line
            );
        }
        self
    }

    /// Exit `code`, the diagnostic `error` (e.g. `E0401`) on stderr, nothing on stdout.
    #[track_caller]
    pub fn refused(&self, code: i32, error: &str) -> &Self {
        self.exits(code);
        assert!(
            self.stderr.contains(error),
            "`{}`: stderr lacks {error}\n{}",
            self.line,
            shorten(&self.stderr)
        );
        assert!(
            self.stdout.is_empty(),
            "`{}` printed on stdout although it failed:\n{}",
            self.line,
            shorten(&self.stdout)
        );
        self
    }

    #[track_caller]
    pub fn stderr_has(&self, fragment: &str) -> &Self {
        assert!(
            self.stderr.contains(fragment),
            "`{}`: stderr lacks {fragment:?}\n{}",
            self.line,
            shorten(&self.stderr)
        );
        self
    }

    #[track_caller]
    pub fn stdout_has(&self, fragment: &str) -> &Self {
        assert!(
            self.stdout.contains(fragment),
            "`{}`: stdout lacks {fragment:?}\n{}",
            self.line,
            shorten(&self.stdout)
        );
        self
    }

    #[track_caller]
    pub fn json(&self) -> Json {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "`{}`: stdout is not JSON ({e}):\n{}",
                self.line, self.stdout
            )
        })
    }

    /// Stdout holds `needle`.
    #[track_caller]
    pub fn says(&self, needle: &str) -> &Self {
        self.stdout_has(needle)
    }

    /// The command line, the exit status, stdout and stderr, whole, for a snapshot.
    pub fn full_transcript(&self) -> String {
        let code = self
            .code
            .map_or_else(|| "killed by a signal".to_string(), |c| c.to_string());
        format!(
            "$ {}\nexit status: {code}\n--- stdout\n{}--- stderr\n{}",
            self.line, self.stdout, self.stderr
        )
    }

    /// The command line, the exit status and stderr: what a snapshot of a failure shows.
    pub fn transcript(&self) -> String {
        let code = self
            .code
            .map_or_else(|| "killed by a signal".to_string(), |c| c.to_string());
        format!(
            "$ {}\nexit status: {code}\n--- stderr\n{}",
            self.line,
            visible(&shorten(&self.stderr))
        )
    }
}

/// Control characters (but newline and tab) as their visible pictures (`␀`, `␛`), so snapshots
/// stay text.
pub fn visible(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\n' | '\t' => c,
            '\u{7f}' => '\u{2421}',
            c if (c as u32) < 0x20 => char::from_u32(0x2400 + c as u32).unwrap_or(c),
            c => c,
        })
        .collect()
}

/// Text for a snapshot: lines cut at 160 characters and at most 60 lines, each cut said.
pub fn shorten(text: &str) -> String {
    const WIDTH: usize = 160;
    const HEAD: usize = 45;
    const TAIL: usize = 10;
    let cut = |line: &str| -> String {
        match line.char_indices().nth(WIDTH) {
            Some((at, _)) => format!("{}…[{} more bytes]", &line[..at], line.len() - at),
            None => line.to_string(),
        }
    };
    let lines: Vec<&str> = text.lines().collect();
    let mut out: Vec<String> = Vec::new();
    if lines.len() > HEAD + TAIL + 5 {
        out.extend(lines[..HEAD].iter().map(|l| cut(l)));
        out.push(format!("…[{} more lines]", lines.len() - HEAD - TAIL));
        out.extend(lines[lines.len() - TAIL..].iter().map(|l| cut(l)));
    } else {
        out.extend(lines.iter().map(|l| cut(l)));
    }
    let mut s = out.join("\n");
    if text.ends_with('\n') {
        s.push('\n');
    }
    s
}

/// A temporary folder, removed when dropped.
pub struct TempDir(PathBuf);

impl TempDir {
    pub fn new(name: &str) -> Self {
        let path = std::env::temp_dir().join(format!("eligo-test-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).expect("creating a temporary folder");
        TempDir(path)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }

    /// Writes a file (creating its folders); returns its path.
    pub fn write(&self, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let p = self.0.join(name);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).expect("creating a folder");
        }
        std::fs::write(&p, bytes).expect("writing a test file");
        p
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
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
    check_doc_outputs_in(page, &repo())
}

/// [`check_doc_outputs`] with the commands run (and `file:` paths read) in another folder: a
/// page whose examples need files made by its `<!-- setup -->` block ([`run_doc_setup`]).
pub fn check_doc_outputs_in(page: &str, dir: &Path) -> Result<usize, Vec<String>> {
    let text = std::fs::read_to_string(repo().join(page)).expect("the page is readable");
    let lines: Vec<&str> = text.lines().collect();
    let mut problems = Vec::new();
    let mut checked = 0;
    // With ELIGO_BLESS_DOCS=1, blocks that differ are rewritten with the output (review the
    // page's diff before committing, as for snapshots): (first line, line count, new text).
    let bless = std::env::var_os("ELIGO_BLESS_DOCS").is_some_and(|v| v == "1");
    let mut blessed: Vec<(usize, usize, String)> = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i].trim();
        let marker = [
            "<!-- output of: ",
            "<!-- json of: ",
            "<!-- file: ",
            "<!-- stderr of: ",
        ]
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
        // `<!-- output of: eligo … in examples/x -->` runs in that folder (relative to `dir`).
        let (command, sub) = match command.rsplit_once(" in ") {
            Some((c, d)) if !marker.contains("file") => (c.trim(), Some(d.trim())),
            _ => (command, None),
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
            match std::fs::read_to_string(dir.join(command)) {
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
        let run = match sub {
            Some(d) => eligo(&words[1..]).dir(&dir.join(d)).run(),
            None => eligo(&words[1..]).dir(dir).run(),
        };
        checked += 1;
        let out = if marker.contains("stderr") {
            &run.stderr
        } else {
            &run.stdout
        };
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
                Ok(_) => {
                    let now = format!("{actual:#}");
                    problems.push(format!(
                        "{page}:{at}: `{command}` at {pointer} is now\n{now}"
                    ));
                    blessed.push((start, len, now));
                }
                Err(e) => problems.push(format!("{page}:{at}: the block is not JSON: {e}")),
            }
        } else if trimmed_lines(&block) != trimmed_lines(out) {
            problems.push(format!("{page}:{at}: `{command}` now prints\n{out}"));
            blessed.push((start, len, trimmed_lines(out)));
        }
    }
    if bless && !blessed.is_empty() {
        let mut new: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
        for (start, len, text) in blessed.into_iter().rev() {
            new.splice(start..start + len, text.lines().map(str::to_string));
        }
        let mut out = new.join("\n");
        out.push('\n');
        std::fs::write(repo().join(page), out).expect("the page is writable");
    }
    if problems.is_empty() {
        Ok(checked)
    } else {
        Err(problems)
    }
}

/// Runs the ```` ```sh ```` blocks of a page marked `<!-- setup -->` with `bash -e` in a folder,
/// the binary under test first on the `PATH` (so the block says `eligo`, as a reader types it).
pub fn run_doc_setup(page: &str, dir: &Path) {
    let text = std::fs::read_to_string(repo().join(page)).expect("the page is readable");
    let lines: Vec<&str> = text.lines().collect();
    let bin_dir = Path::new(BIN).parent().expect("the binary's folder");
    let path = std::env::var_os("PATH").unwrap_or_default();
    let mut paths = vec![bin_dir.to_path_buf()];
    paths.extend(std::env::split_paths(&path));
    let path = std::env::join_paths(paths).expect("a PATH");
    let mut ran = 0;
    for (i, line) in lines.iter().enumerate() {
        if line.trim() != "<!-- setup -->" {
            continue;
        }
        assert_eq!(
            lines.get(i + 1).map(|l| l.trim()),
            Some("```sh"),
            "{page}:{}",
            i + 2
        );
        let body: Vec<&str> = lines[i + 2..]
            .iter()
            .take_while(|l| l.trim() != "```")
            .copied()
            .collect();
        let out = Command::new("bash")
            .args(["-e", "-c", &body.join("\n")])
            .current_dir(dir)
            .env("PATH", &path)
            .output()
            .expect("bash runs");
        assert!(
            out.status.success(),
            "{page}:{}: the setup failed: {}",
            i + 1,
            String::from_utf8_lossy(&out.stderr)
        );
        ran += 1;
    }
    assert!(ran > 0, "{page} has no setup block");
}

/// Copies a folder's files (recursively) into another.
pub fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("a folder");
    for entry in std::fs::read_dir(from).expect("a readable folder") {
        let p = entry.expect("an entry").path();
        let target = to.join(p.file_name().expect("a name"));
        if p.is_dir() {
            copy_tree(&p, &target);
        } else {
            std::fs::copy(&p, &target).expect("a copy");
        }
    }
}
