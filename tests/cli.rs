//! End-to-end runs of the built `eligo` binary: exit statuses, stdout and stderr of `check` and
//! `eval`, and the hostile-input catalogue of `docs/reliability.md`: every hostile policy or facts
//! file ends in a diagnostic with an error code and a non-zero exit, never in a panic, an abort or
//! a signal.
//!
//! Small fixtures live in `tests/cli/`; big hostile inputs are generated at test time into a
//! temporary folder. The binary runs in the fixture's folder with relative paths, so the
//! snapshots show what a user sees. Each snapshot starts with the command line and exit status.
//!
//! Tests marked `#[ignore = "bug: …"]` pin known bugs (reported to the owner, listed under "Known
//! problems" in `docs/reliability.md`) and pass once they are fixed; run them with
//! `cargo test -p eligo-cli --test cli -- --ignored`.

use serde_json::Value as Json;
use std::ffi::OsString;
use std::io::{ErrorKind, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_eligo");

/// Longest a single run may take (a debug build on a small machine) before it counts as a hang.
const HANG: Duration = Duration::from_secs(180);

// ------------------------------------------------------------------------------------ harness

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("the repository root exists")
}

fn fixtures() -> PathBuf {
    repo().join("tests/cli")
}

/// One run of the binary, finished.
#[derive(Debug)]
struct Run {
    /// The command line as a user would type it (for messages and snapshots).
    line: String,
    /// The exit code; `None` when a signal ended the process.
    code: Option<i32>,
    stdout: String,
    stderr: String,
    elapsed: Duration,
}

/// Writes a run's standard input.
type StdinWriter = Box<dyn FnOnce(&mut dyn Write) -> std::io::Result<()> + Send>;

/// A run being set up.
struct Eligo {
    args: Vec<OsString>,
    dir: PathBuf,
    stdin: Option<StdinWriter>,
    hang: Duration,
}

/// `eligo ARGS…`, run in the repository root unless [`Eligo::dir`] says otherwise.
fn eligo<I, S>(args: I) -> Eligo
where
    I: IntoIterator<Item = S>,
    S: Into<OsString>,
{
    Eligo {
        args: args.into_iter().map(Into::into).collect(),
        dir: repo(),
        stdin: None,
        hang: HANG,
    }
}

impl Eligo {
    fn dir(mut self, dir: &Path) -> Self {
        self.dir = dir.to_path_buf();
        self
    }

    /// Counts the run as a hang after `limit` instead of [`HANG`].
    fn hang_after(mut self, limit: Duration) -> Self {
        self.hang = limit;
        self
    }

    fn stdin_bytes(self, bytes: Vec<u8>) -> Self {
        self.stdin_with(move |w| w.write_all(&bytes))
    }

    fn stdin_with(
        mut self,
        f: impl FnOnce(&mut dyn Write) -> std::io::Result<()> + Send + 'static,
    ) -> Self {
        self.stdin = Some(Box::new(f));
        self
    }

    fn run(self) -> Run {
        let line = std::iter::once("eligo".to_string())
            .chain(self.args.iter().map(|a| a.to_string_lossy().into_owned()))
            .collect::<Vec<_>>()
            .join(" ");
        let start = Instant::now();
        let mut child = Command::new(BIN)
            .args(&self.args)
            .current_dir(&self.dir)
            .env("NO_COLOR", "1")
            .env("RUST_BACKTRACE", "0")
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
    fn exits(&self, code: i32) -> &Self {
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
    fn no_crash(&self) -> &Self {
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
    fn refused(&self, code: i32, error: &str) -> &Self {
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
    fn stderr_has(&self, fragment: &str) -> &Self {
        assert!(
            self.stderr.contains(fragment),
            "`{}`: stderr lacks {fragment:?}\n{}",
            self.line,
            shorten(&self.stderr)
        );
        self
    }

    #[track_caller]
    fn stdout_has(&self, fragment: &str) -> &Self {
        assert!(
            self.stdout.contains(fragment),
            "`{}`: stdout lacks {fragment:?}\n{}",
            self.line,
            shorten(&self.stdout)
        );
        self
    }

    #[track_caller]
    fn json(&self) -> Json {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "`{}`: stdout is not JSON ({e}):\n{}",
                self.line, self.stdout
            )
        })
    }

    /// The command line, the exit status and stderr: what a snapshot of a failure shows.
    fn transcript(&self) -> String {
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
fn visible(text: &str) -> String {
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
fn shorten(text: &str) -> String {
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
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> Self {
        let path =
            std::env::temp_dir().join(format!("eligo-cli-test-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).expect("creating a temporary folder");
        TempDir(path)
    }

    fn path(&self) -> &Path {
        &self.0
    }

    /// Writes a file (creating its folders); returns its path.
    fn write(&self, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
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

/// Deterministic pseudo-random bytes (xorshift), for garbage inputs.
fn noise(len: usize, seed: u64) -> Vec<u8> {
    let mut x = seed | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect()
}

/// The contoso example with extra keys, as JSON text.
fn contoso_with(edit: impl FnOnce(&mut serde_json::Map<String, Json>)) -> String {
    let text = std::fs::read_to_string(repo().join("examples/contoso-isv.json")).unwrap();
    let mut doc: Json = serde_json::from_str(&text).unwrap();
    edit(doc.as_object_mut().unwrap());
    serde_json::to_string_pretty(&doc).unwrap()
}

const CONTOSO: &str = "examples/contoso-isv.json";

/// The outcome ids of the contract (`outcomes.md`) that the standard policies define today.
fn contract_ids() -> Vec<String> {
    let areas = eligo_generate::AREAS;
    let cs = [
        "azure",
        "business_applications",
        "modern_work",
        "security",
        "retail_ai",
        "healthcare_ai",
        "sustainability_ai",
        "manufacturing_ai",
        "financial_services_ai",
    ];
    let mut ids: Vec<String> = [
        "anniversary",
        "microsoft_cloud_badge",
        "azure_expert_msp.prerequisites_met",
        "annual_fee_usd",
    ]
    .map(String::from)
    .to_vec();
    ids.extend(areas.iter().map(|a| format!("designation_held.{a}")));
    ids.extend(cs.iter().map(|c| format!("certified_software.{c}")));
    ids
}

fn outcome_keys(doc: &Json) -> Vec<String> {
    doc["outcomes"]
        .as_object()
        .expect("`outcomes` is an object")
        .keys()
        .cloned()
        .collect()
}

// ------------------------------------------------------------------------------------ check

#[test]
fn check_standard_policies_folder_is_clean() {
    let run = eligo(["check", "stdlib-policies"]).run();
    run.exits(0);
    assert!(run.stdout.is_empty(), "check prints nothing on stdout");
    assert!(run.stderr.starts_with("ok: "), "{}", run.stderr);
    assert!(run.stderr.contains(" file(s), ") && run.stderr.contains(" outcome(s)"));
}

#[test]
fn check_without_path_uses_the_built_in_standard_policies() {
    let built_in = eligo(["check"]).dir(&std::env::temp_dir()).run();
    built_in.exits(0);
    assert!(built_in.stderr.starts_with("ok: "), "{}", built_in.stderr);
    // The same policies as the folder: the same counts.
    let folder = eligo(["check", "stdlib-policies"]).run();
    assert_eq!(built_in.stderr, folder.stderr);
}

#[test]
fn built_in_standard_policies_are_the_folder_s() {
    // The binary embeds `stdlib-policies/`; `lang/cli/build.rs` makes cargo rebuild it when the
    // folder changes. A stale binary gives other outcomes than the folder for some example.
    let mut examples: Vec<PathBuf> = std::fs::read_dir(repo().join("examples"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    examples.sort();
    assert!(examples.len() >= 10, "only {} examples", examples.len());
    for facts in &examples {
        let facts = facts.strip_prefix(repo()).unwrap().to_str().unwrap();
        let built_in = eligo(["eval", "--facts", facts, "--format", "json"]).run();
        let folder = eligo([
            "eval",
            "stdlib-policies",
            "--facts",
            facts,
            "--format",
            "json",
        ])
        .run();
        built_in.exits(0);
        folder.exits(0);
        assert_eq!(
            built_in.stdout, folder.stdout,
            "{facts}: the built-in policies differ from stdlib-policies/ (a stale build?)"
        );
    }
}

#[test]
fn check_a_valid_policy_file() {
    let run = eligo(["check", "tiny.elg"]).dir(&fixtures()).run();
    run.exits(0);
    assert!(run.stdout.is_empty());
    insta::assert_snapshot!("check_tiny", run.transcript());
}

#[test]
fn check_reports_every_error_of_a_file_in_one_run() {
    let run = eligo(["check", "broken.elg"]).dir(&fixtures()).run();
    run.refused(1, "E0302")
        .stderr_has("E0201")
        .stderr_has("E0212")
        .stderr_has("E0208")
        .stderr_has("unknown name `tiers`")
        .stderr_has("5 errors");
    insta::assert_snapshot!("check_broken_file", run.transcript());
}

#[test]
fn check_reports_errors_of_every_file_of_a_folder() {
    let run = eligo(["check", "broken-folder"]).dir(&fixtures()).run();
    run.refused(1, "E0101")
        .stderr_has("one.elg")
        .stderr_has("nested/two.elg")
        .stderr_has("2 errors");
    insta::assert_snapshot!("check_broken_folder", run.transcript());
}

#[test]
fn check_missing_policy_path() {
    let run = eligo(["check", "no/such/policies"]).run();
    run.refused(1, "E0001").stderr_has("no such file or folder");
    insta::assert_snapshot!("check_missing_path", run.transcript());
}

#[test]
fn check_a_folder_holding_a_symlink_to_itself() {
    // Links to folders are not followed: the file is read once, as one module.
    let tmp = TempDir::new("symlink-self");
    tmp.write("policies/p.elg", "rule a: Int = 1\n");
    std::os::unix::fs::symlink(".", tmp.path().join("policies/self")).unwrap();
    let run = eligo(["check", "policies"]).dir(tmp.path()).run();
    run.exits(0).stderr_has("ok: 1 file(s), 1 rule(s)");
}

#[test]
fn check_a_folder_holding_two_symlinks_to_itself_ends() {
    // Two links to `.` made 2^33 folder reads when links were followed: a hang.
    let tmp = TempDir::new("symlink-twice");
    tmp.write("policies/p.elg", "rule a: Int = 1\n");
    std::os::unix::fs::symlink(".", tmp.path().join("policies/self")).unwrap();
    std::os::unix::fs::symlink(".", tmp.path().join("policies/again")).unwrap();
    std::os::unix::fs::symlink("..", tmp.path().join("policies/up")).unwrap();
    let run = eligo(["check", "policies"])
        .dir(tmp.path())
        .hang_after(Duration::from_secs(20))
        .run();
    run.exits(0).stderr_has("ok: 1 file(s), 1 rule(s)");
}

#[test]
fn check_reads_a_symlinked_policy_file() {
    // A link to a file is read like the file.
    let tmp = TempDir::new("symlink-file");
    tmp.write("policies/p.elg", "rule a: Int = 1\n");
    tmp.write("elsewhere/q.elg", "rule b: Int = 2\n");
    std::os::unix::fs::symlink("../elsewhere/q.elg", tmp.path().join("policies/q.elg")).unwrap();
    let run = eligo(["check", "policies"]).dir(tmp.path()).run();
    run.exits(0).stderr_has("ok: 2 file(s), 2 rule(s)");
}

#[test]
fn check_a_folder_nested_too_deep() {
    let tmp = TempDir::new("deep-folders");
    let at = |depth: usize| -> String { (1..=depth).map(|i| format!("d{i}/")).collect::<String>() };
    // 32 nested folders are read; 33 are an error.
    tmp.write(&format!("ok/{}p.elg", at(32)), "rule a: Int = 1\n");
    eligo(["check", "ok"])
        .dir(tmp.path())
        .run()
        .exits(0)
        .stderr_has("ok: 1 file(s), 1 rule(s)");
    tmp.write(&format!("deep/{}p.elg", at(33)), "rule a: Int = 1\n");
    let run = eligo(["check", "deep"]).dir(tmp.path()).run();
    run.refused(1, "E0001")
        .stderr_has("folders nested more than 32 deep");
}

#[test]
fn check_a_policy_file_without_end_is_refused_by_its_size() {
    // `/dev/zero` reports no size: the reading stops one byte past the limit.
    let run = eligo(["check", "/dev/zero"])
        .hang_after(Duration::from_secs(60))
        .run();
    run.refused(1, "E0003")
        .stderr_has("more than the limit of 4194304");
}

#[test]
fn check_empty_folder_has_no_policy_files() {
    let tmp = TempDir::new("empty-folder");
    std::fs::create_dir_all(tmp.path().join("policies")).unwrap();
    let run = eligo(["check", "policies"]).dir(tmp.path()).run();
    run.refused(1, "E0002");
    insta::assert_snapshot!("check_empty_folder", run.transcript());
}

// ------------------------------------------------------------------------------------ eval

#[test]
fn eval_text_on_the_example() {
    let run = eligo(["eval", "--facts", CONTOSO]).run();
    run.exits(0);
    assert!(run.stderr.is_empty(), "no warning expected: {}", run.stderr);
    let first = run.stdout.lines().next().unwrap();
    assert!(
        first.starts_with("partner contoso · as of 2024-08-06 · ")
            && first.ends_with(" outcome(s)"),
        "{first}"
    );
    for id in contract_ids() {
        assert!(
            run.stdout
                .lines()
                .any(|l| l.trim_start().starts_with(&format!("{id} "))),
            "no line for {id}"
        );
    }
    run.stdout_has("USD 4,730");
}

#[test]
fn eval_text_of_selected_outcomes_on_the_example() {
    let run = eligo([
        "eval",
        "--facts",
        CONTOSO,
        "--outcome",
        "designation_held",
        "--outcome",
        "anniversary",
        "--outcome",
        "annual_fee_usd",
    ])
    .run();
    run.exits(0);
    run.stdout_has("partner contoso · as of 2024-08-06 · 8 outcome(s)")
        .stdout_has("anniversary");
    insta::assert_snapshot!("eval_text_example_selected", run.stdout);
}

#[test]
fn eval_json_on_the_example() {
    let run = eligo(["eval", "--facts", CONTOSO, "--format", "json"]).run();
    run.exits(0);
    assert!(run.stderr.is_empty(), "{}", run.stderr);
    let doc = run.json();
    let keys: Vec<&String> = doc.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["format", "as_of", "partner", "outcomes"]);
    assert_eq!(doc["format"], "eligo.outcomes/1");
    assert_eq!(doc["as_of"], "2024-08-06");
    assert_eq!(doc["partner"], "contoso");
    let ids = outcome_keys(&doc);
    let mut sorted = ids.clone();
    sorted.sort();
    assert_eq!(ids, sorted, "outcomes are in id order");
    for id in contract_ids() {
        assert!(ids.contains(&id), "missing outcome {id}");
    }
    let o = &doc["outcomes"];
    assert_eq!(o["annual_fee_usd"], 4730);
    assert!(o["microsoft_cloud_badge"].is_boolean());
    assert!(o["anniversary"].is_string() || o["anniversary"].is_null());
    for id in ids.iter().filter(|i| i.starts_with("designation_held.")) {
        assert!(o[id].is_boolean(), "{id}: {}", o[id]);
    }
    for id in ids.iter().filter(|i| i.starts_with("certified_software.")) {
        let list: Vec<&str> = o[id]
            .as_array()
            .unwrap_or_else(|| panic!("{id} is a list"))
            .iter()
            .map(|v| v.as_str().expect("solution ids are strings"))
            .collect();
        let mut s = list.clone();
        s.sort();
        assert_eq!(list, s, "{id} is sorted");
    }
    assert_eq!(
        o["certified_software.azure"],
        serde_json::json!(["contoso-insight"])
    );
}

#[test]
fn eval_json_of_selected_outcomes_on_the_example() {
    let run = eligo([
        "eval",
        "--facts",
        CONTOSO,
        "--format",
        "json",
        "--outcome",
        "designation_held",
        "--outcome",
        "anniversary",
        "--outcome",
        "annual_fee_usd",
    ])
    .run();
    run.exits(0);
    run.json();
    insta::assert_snapshot!("eval_json_example_selected", run.stdout);
}

#[test]
fn as_of_option_wins_over_the_facts() {
    let run = eligo([
        "eval",
        "--facts",
        CONTOSO,
        "--format",
        "json",
        "--as-of",
        "2023-06-01",
    ])
    .run();
    run.exits(0);
    let doc = run.json();
    assert_eq!(doc["as_of"], "2023-06-01");
    // The first designation is dated 2022-11-20: the next anniversary moves with the date.
    assert_eq!(doc["outcomes"]["anniversary"], "2023-11-20");
    let default = eligo(["eval", "--facts", CONTOSO, "--format", "json"])
        .run()
        .json();
    assert_eq!(default["outcomes"]["anniversary"], "2024-11-20");
    let text = eligo(["eval", "--facts", CONTOSO, "--as-of", "2023-06-01"]).run();
    text.exits(0)
        .stdout_has("partner contoso · as of 2023-06-01 · ");
}

#[test]
fn without_as_of_anywhere_the_date_is_today() {
    let tmp = TempDir::new("no-as-of");
    tmp.write(
        "facts.json",
        contoso_with(|o| {
            o.remove("as_of");
        }),
    );
    let before = chrono::Local::now().date_naive().to_string();
    let run = eligo(["eval", "--facts", "facts.json", "--format", "json"])
        .dir(tmp.path())
        .run();
    let after = chrono::Local::now().date_naive().to_string();
    run.exits(0);
    let as_of = run.json()["as_of"].as_str().unwrap().to_string();
    assert!(as_of == before || as_of == after, "{as_of} is not today");
}

#[test]
fn outcome_by_exact_id() {
    let run = eligo([
        "eval",
        "--facts",
        CONTOSO,
        "--format",
        "json",
        "--outcome",
        "anniversary",
    ])
    .run();
    run.exits(0);
    let doc = run.json();
    assert_eq!(outcome_keys(&doc), ["anniversary"]);
    assert_eq!(doc["outcomes"]["anniversary"], "2024-11-20");
}

#[test]
fn outcome_by_prefix() {
    for prefix in ["certified_software", "certified_software."] {
        let run = eligo([
            "eval",
            "--facts",
            CONTOSO,
            "--format",
            "json",
            "--outcome",
            prefix,
        ])
        .run();
        run.exits(0);
        let ids = outcome_keys(&run.json());
        assert!(
            ids.iter().all(|i| i.starts_with("certified_software.")),
            "{ids:?}"
        );
        let want: Vec<String> = contract_ids()
            .into_iter()
            .filter(|i| i.starts_with("certified_software."))
            .collect();
        for id in &want {
            assert!(ids.contains(id), "{prefix}: missing {id}");
        }
    }
}

#[test]
fn a_prefix_matches_whole_segments_only() {
    // `certified` is no segment of `certified_software.azure`: nothing matches.
    let run = eligo(["eval", "--facts", CONTOSO, "--outcome", "certified"]).run();
    run.refused(2, "E0601");
}

#[test]
fn several_outcomes_in_id_order_without_duplicates() {
    let run = eligo([
        "eval",
        "--facts",
        CONTOSO,
        "--format",
        "json",
        "--outcome",
        "microsoft_cloud_badge",
        "--outcome",
        "anniversary",
        "--outcome",
        "designation_held",
        "--outcome",
        "anniversary",
    ])
    .run();
    run.exits(0);
    let ids = outcome_keys(&run.json());
    let mut want: Vec<String> = contract_ids()
        .into_iter()
        .filter(|i| {
            i == "anniversary" || i == "microsoft_cloud_badge" || i.starts_with("designation_held.")
        })
        .collect();
    want.sort();
    assert_eq!(ids, want);
}

#[test]
fn unknown_outcome_is_bad_usage_with_a_suggestion() {
    let run = eligo([
        "eval",
        "--facts",
        CONTOSO,
        "--outcome",
        "designation_hled.security",
    ])
    .run();
    run.refused(2, "E0601")
        .stderr_has("no outcome matches `designation_hled.security`")
        .stderr_has("did you mean `designation_held.security`?");
    let tiny = eligo([
        "eval",
        "tiny.elg",
        "--facts",
        "tiny.json",
        "--outcome",
        "sales.cout",
    ])
    .dir(&fixtures())
    .run();
    tiny.refused(2, "E0601");
    insta::assert_snapshot!("eval_unknown_outcome", tiny.transcript());
}

#[test]
fn unknown_outcome_suggests_an_id_prefix() {
    // `capability_scor` is one letter short of the prefix `capability_score`, which selects the
    // six area scores; the closest full id (`capability_score.data_ai`) is further away.
    let run = eligo(["eval", "--facts", CONTOSO, "--outcome", "capability_scor"]).run();
    run.refused(2, "E0601")
        .stderr_has("did you mean `capability_score`?");
}

#[test]
fn facts_from_standard_input() {
    let bytes = std::fs::read(repo().join(CONTOSO)).unwrap();
    let piped = eligo(["eval", "--facts", "-", "--format", "json"])
        .stdin_bytes(bytes)
        .run();
    piped.exits(0);
    let from_file = eligo(["eval", "--facts", CONTOSO, "--format", "json"]).run();
    assert_eq!(piped.stdout, from_file.stdout);
    // Errors in standard input are named `<stdin>`.
    let bad = eligo(["eval", "--facts", "-"])
        .stdin_bytes(b"{\"format\": 1}".to_vec())
        .run();
    bad.refused(1, "E0402").stderr_has("<stdin>");
}

#[test]
fn unknown_keys_warn_and_strict_refuses_them() {
    let tmp = TempDir::new("unknown-keys");
    tmp.write(
        "facts.json",
        contoso_with(|o| {
            o.insert("partnr".into(), serde_json::json!({"id": "typo"}));
            o["program"]
                .as_object_mut()
                .unwrap()
                .insert("designation".into(), serde_json::json!([]));
        }),
    );
    let lenient = eligo(["eval", "--facts", "facts.json", "--format", "json"])
        .dir(tmp.path())
        .run();
    lenient
        .exits(0)
        .stderr_has("warning: facts.json: partnr: unknown key ignored (did you mean `partner`?)")
        .stderr_has("program.designation: unknown key ignored");
    assert_eq!(lenient.json()["partner"], "contoso");
    insta::assert_snapshot!("facts_unknown_keys_warning", lenient.transcript());

    let strict = eligo(["eval", "--facts", "facts.json", "--strict"])
        .dir(tmp.path())
        .run();
    strict
        .refused(1, "E0403")
        .stderr_has("program.designation: unknown key")
        .stderr_has("did you mean `designations`?");
    insta::assert_snapshot!("facts_unknown_keys_strict", strict.transcript());
}

#[test]
fn bad_as_of_is_bad_usage() {
    for date in ["2024-02-30", "2024-8-6", "tomorrow", "2024-08-06T00:00:00"] {
        let run = eligo(["eval", "--facts", CONTOSO, "--as-of", date]).run();
        run.refused(2, "E0602")
            .stderr_has(&format!("`{date}` is not a date"));
    }
    let run = eligo(["eval", "--facts", CONTOSO, "--as-of", "2024-02-30"]).run();
    insta::assert_snapshot!("eval_bad_as_of", run.transcript());
}

#[test]
fn missing_facts_file() {
    let run = eligo(["eval", "--facts", "no-such-facts.json"]).run();
    run.refused(1, "E0001").stderr_has("no such file");
    insta::assert_snapshot!("eval_missing_facts", run.transcript());
}

#[test]
fn a_folder_given_as_facts() {
    let run = eligo(["eval", "--facts", "examples"]).run();
    run.refused(1, "E0001").stderr_has("is a folder");
    insta::assert_snapshot!("eval_folder_as_facts", run.transcript());
}

#[test]
fn unreadable_facts_file() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = TempDir::new("unreadable");
    let p = tmp.write("facts.json", std::fs::read(repo().join(CONTOSO)).unwrap());
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::read(&p).is_ok() {
        eprintln!("skipped: the file stays readable (running as root)");
        return;
    }
    let run = eligo(["eval", "--facts", "facts.json"])
        .dir(tmp.path())
        .run();
    run.refused(1, "E0001").stderr_has("permission denied");
}

#[test]
fn missing_policy_path_for_eval() {
    let run = eligo(["eval", "no/such/policies", "--facts", CONTOSO]).run();
    run.refused(1, "E0001");
}

#[test]
fn broken_policies_print_nothing_on_stdout() {
    let run = eligo(["eval", "broken.elg", "--facts", "tiny.json"])
        .dir(&fixtures())
        .run();
    run.refused(1, "E0302").stderr_has("5 errors");
}

#[test]
fn evaluation_over_the_step_budget() {
    let run = eligo(["eval", "--facts", CONTOSO, "--max-steps", "10"]).run();
    run.refused(1, "E0503")
        .stderr_has("evaluation took more than 10 steps");
    insta::assert_snapshot!("eval_step_budget", run.transcript());
}

#[test]
fn an_evaluation_error_names_its_outcome_and_date() {
    let tmp = TempDir::new("eval-error");
    tmp.write(
        "p.elg",
        "facts \"t/1\" identified by id { id: Text, n: Int }\noutcome \"ok\" = n\noutcome \"ratio\" = 10 / n\n",
    );
    tmp.write("f.json", "{\"format\": \"t/1\", \"id\": \"a\", \"n\": 0}");
    let run = eligo([
        "eval",
        "p.elg",
        "--facts",
        "f.json",
        "--as-of",
        "2024-01-31",
    ])
    .dir(tmp.path())
    .run();
    run.refused(1, "E0502");
    assert!(
        run.stderr
            .starts_with("error while evaluating outcome `ratio` as of 2024-01-31:\nE0502"),
        "{}",
        run.stderr
    );
    // `eligo batch` says the same in the partner's error record, code first.
    let run = eligo([
        "batch",
        "p.elg",
        "--population",
        "-",
        "--as-of",
        "2024-01-31",
    ])
    .dir(tmp.path())
    .stdin_bytes(b"{\"format\": \"t/1\", \"id\": \"a\", \"n\": 0}\n".to_vec())
    .run();
    run.exits(1);
    let record: Json = serde_json::from_str(run.stdout.trim()).unwrap();
    assert_eq!(record["error"], "E0502: outcome `ratio`: division by zero");
}

#[test]
fn evaluation_overflow_is_an_error() {
    let tmp = TempDir::new("overflow");
    let max = "79228162514264337593543950335"; // the largest decimal
    tmp.write(
        "facts.json",
        format!(
            "{{\"format\": \"eligo.cli-test/1\", \"as_of\": \"2024-08-06\", \"partner\": {{\"id\": \"x\"}},\n\
             \"tier\": \"gold\", \"sales\": [\n\
             {{\"date\": \"2024-03-01\", \"amount_usd\": \"{max}\", \"customer\": \"a\"}},\n\
             {{\"date\": \"2024-03-02\", \"amount_usd\": \"{max}\", \"customer\": \"b\"}}]}}\n"
        ),
    );
    let policy = fixtures().join("tiny.elg");
    let run = eligo([
        "eval".as_ref(),
        policy.as_os_str(),
        "--facts".as_ref(),
        "facts.json".as_ref(),
    ])
    .dir(tmp.path())
    .run();
    run.refused(1, "E0501")
        .stderr_has("arithmetic overflow in `sum`");
}

#[test]
fn usage_errors_exit_2() {
    for args in [
        vec!["frobnicate"],
        vec![],
        vec!["eval"],
        vec!["eval", "--facts", CONTOSO, "--format", "yaml"],
        vec!["eval", "--facts", CONTOSO, "--max-steps", "many"],
        vec!["check", "--no-such-flag"],
        vec!["check", "a.elg", "b.elg"],
    ] {
        let run = eligo(args).run();
        run.exits(2);
        assert!(run.stdout.is_empty(), "`{}`: {}", run.line, run.stdout);
        // clap's error, or the help when no subcommand is given.
        assert!(
            run.stderr.starts_with("error: ") || run.stderr.contains("Usage: eligo"),
            "{}",
            run.stderr
        );
    }
    let run = eligo(["frobnicate"]).run();
    run.stderr_has("unrecognized subcommand 'frobnicate'");
    insta::assert_snapshot!("usage_unknown_subcommand", run.transcript());
}

#[test]
fn help_and_version_exit_0_on_stdout() {
    for args in [vec!["--help"], vec!["eval", "--help"], vec!["check", "-h"]] {
        let run = eligo(args).run();
        run.exits(0).stdout_has("Usage: eligo");
        assert!(run.stderr.is_empty());
    }
    eligo(["--version"])
        .run()
        .exits(0)
        .stdout_has(concat!("eligo ", env!("CARGO_PKG_VERSION")));
}

// ------------------------------------------------------------------------ batch, generate

#[test]
fn batch_gives_one_line_per_input_line_in_order() {
    let input = "{\"format\":\"eligo.cli-test/1\",\"partner\":{\"id\":\"a\"},\"tier\":\"gold\"}\n\
                 \n\
                 {\"format\":\"eligo.cli-test/1\",\"partner\":{\"id\":\"b\"},\"tier\":\"gild\"}\n\
                 not json\n\
                 {\"format\":\"eligo.cli-test/1\",\"partner\":{\"id\":\"c\"},\"tier\":\"bronze\"}\n";
    let run = eligo([
        "batch",
        "tiny.elg",
        "--population",
        "-",
        "--as-of",
        "2024-08-06",
        "--outcome",
        "tier",
        "--outcome",
        "qualifies",
    ])
    .dir(&fixtures())
    .stdin_bytes(input.as_bytes().to_vec())
    .run();
    run.exits(1).stderr_has("batch: 5 partner(s), 3 error(s)");
    let lines: Vec<Json> = run
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("every output line is JSON"))
        .collect();
    assert_eq!(lines.len(), 5, "{}", run.stdout);
    assert_eq!(lines[0]["partner"], "a");
    assert_eq!(lines[0]["outcomes"]["tier"], "gold");
    assert_eq!(lines[1]["line"], 2);
    assert!(lines[1]["error"].as_str().unwrap().contains("empty line"));
    assert_eq!(lines[2]["line"], 3);
    assert_eq!(lines[2]["partner"], "b");
    let error = lines[2]["error"].as_str().unwrap();
    assert!(
        error.starts_with("E0402: tier: `gild`"),
        "the code comes first: {error}"
    );
    assert_eq!(lines[3]["line"], 4);
    let error = lines[3]["error"].as_str().unwrap();
    assert!(
        error.starts_with("E0401: "),
        "the code comes first: {error}"
    );
    assert_eq!(lines[4]["outcomes"]["tier"], "bronze");
    assert_eq!(lines[4]["as_of"], "2024-08-06");
}

#[test]
fn batch_of_good_lines_exits_0_and_matches_eval() {
    let facts = std::fs::read_to_string(fixtures().join("tiny.json")).unwrap();
    let doc: Json = serde_json::from_str(&facts).unwrap();
    let line = serde_json::to_string(&doc).unwrap();
    let run = eligo(["batch", "tiny.elg", "--population", "-"])
        .dir(&fixtures())
        .stdin_bytes(format!("{line}\n{line}\n").into_bytes())
        .run();
    run.exits(0).stderr_has("batch: 2 partner(s), 0 error(s)");
    let eval = eligo([
        "eval",
        "tiny.elg",
        "--facts",
        "tiny.json",
        "--format",
        "json",
    ])
    .dir(&fixtures())
    .run()
    .json();
    for l in run.stdout.lines() {
        let got: Json = serde_json::from_str(l).unwrap();
        assert_eq!(got, eval, "batch and eval agree");
    }
}

#[test]
fn generate_is_deterministic_and_batch_reads_it() {
    let tmp = TempDir::new("generate");
    let a = eligo(["generate", "--partners", "20", "--seed", "7"]).run();
    a.exits(0);
    let b = eligo(["generate", "--partners", "20", "--seed", "7"]).run();
    assert_eq!(a.stdout, b.stdout, "the same seed gives the same bytes");
    assert_eq!(a.stdout.lines().count(), 20);
    tmp.write("population.ndjson", &a.stdout);
    let run = eligo([
        "batch",
        "--population",
        "population.ndjson",
        "--out",
        "outcomes.ndjson",
        "--outcome",
        "designation_held",
    ])
    .dir(tmp.path())
    .run();
    run.exits(0).stderr_has("batch: 20 partner(s), 0 error(s)");
    assert!(run.stdout.is_empty(), "--out takes the outcomes");
    let out = std::fs::read_to_string(tmp.path().join("outcomes.ndjson")).unwrap();
    assert_eq!(out.lines().count(), 20);
}

// ------------------------------------------------------------------- a small stable policy set

#[test]
fn eval_text_of_a_small_policy_set() {
    let run = eligo(["eval", "tiny.elg", "--facts", "tiny.json"])
        .dir(&fixtures())
        .run();
    run.exits(0)
        .stdout_has("partner tiny-co · as of 2024-08-06 · 8 outcome(s)")
        .stdout_has("USD 1,000");
    insta::assert_snapshot!("eval_text_tiny", run.stdout);
}

#[test]
fn eval_json_of_a_small_policy_set() {
    let run = eligo([
        "eval",
        "tiny.elg",
        "--facts",
        "tiny.json",
        "--format",
        "json",
    ])
    .dir(&fixtures())
    .run();
    run.exits(0);
    let doc = run.json();
    assert_eq!(doc["partner"], "tiny-co");
    let o = &doc["outcomes"];
    assert_eq!(o["partner.name"], "Tiny \"Quoted\" Co");
    assert_eq!(o["tier"], "silver");
    assert_eq!(o["sales.count"], 4);
    assert_eq!(o["sales.first"], "2023-08-06");
    assert_eq!(o["sales.customers"], serde_json::json!(["c1", "c2"]));
    assert_eq!(o["qualifies"], true);
    // Exact decimals, without binary-float noise.
    run.stdout_has("\"sales.recent_total_usd\": 1000,")
        .stdout_has("\"sales.average_usd\": 333.33333333333333333333333333,");
    insta::assert_snapshot!("eval_json_tiny", run.stdout);
}

#[test]
fn eval_json_of_no_outcome_is_still_an_object() {
    let tmp = TempDir::new("no-outcomes");
    tmp.write(
        "p.elg",
        "facts \"t/1\" identified by id { id: Text }\nrule unused: Int = 1\n",
    );
    tmp.write("f.json", "{\"format\": \"t/1\", \"id\": \"nobody\"}");
    let run = eligo([
        "eval",
        "p.elg",
        "--facts",
        "f.json",
        "--format",
        "json",
        "--as-of",
        "2024-01-01",
    ])
    .dir(tmp.path())
    .run();
    run.exits(0);
    let doc = run.json();
    assert_eq!(doc["outcomes"], serde_json::json!({}));
    assert_eq!(doc["partner"], "nobody");
}

// ------------------------------------------------------------------------------ docs/cli.md

/// Each ```` ```console ```` block of `docs/cli.md` is a test: its first line is `$ eligo ARGS`
/// (run in the repository root), the rest is what the command prints (stdout, then stderr),
/// compared line by line without trailing spaces.
#[test]
fn console_examples_of_the_cli_page_are_real() {
    let page = std::fs::read_to_string(repo().join("docs/cli.md")).unwrap();
    let trim =
        |text: &str| -> Vec<String> { text.lines().map(|l| l.trim_end().to_string()).collect() };
    let mut lines = page.lines();
    let mut count = 0;
    while let Some(line) = lines.next() {
        if line.trim() != "```console" {
            continue;
        }
        let block: Vec<&str> = lines.by_ref().take_while(|l| l.trim() != "```").collect();
        let args = block[0]
            .strip_prefix("$ eligo ")
            .expect("a console block starts with `$ eligo `");
        let run = eligo(args.split_whitespace()).run();
        run.no_crash();
        let actual = format!("{}{}", run.stdout, run.stderr);
        assert_eq!(
            trim(&actual),
            trim(&block[1..].join("\n")),
            "docs/cli.md: `{}` prints something else",
            run.line
        );
        count += 1;
    }
    assert!(count >= 4, "only {count} console examples");
}

// ---------------------------------------------------------- hostile inputs: policies

/// A hostile input ended as it must: exit `code`, diagnostic `error`, no stdout; snapshotted.
#[track_caller]
fn hostile(name: &str, run: &Run, code: i32, error: &str) {
    run.refused(code, error);
    insta::assert_snapshot!(name, run.transcript());
}

/// `eligo check FILE` on a file holding `bytes`, in a fresh temporary folder.
fn check_bytes(test: &str, file: &str, bytes: impl AsRef<[u8]>) -> Run {
    let tmp = TempDir::new(test);
    tmp.write(file, bytes);
    eligo(["check", file]).dir(tmp.path()).run()
}

#[test]
fn hostile_policy_empty_file_is_valid() {
    let run = check_bytes("empty", "empty.elg", "");
    run.exits(0);
    assert_eq!(
        run.stderr,
        "ok: 1 file(s), 0 rule(s), 0 table(s), 0 outcome(s)\n"
    );
}

#[test]
fn hostile_policy_binary_garbage() {
    let run = check_bytes("garbage", "garbage.elg", noise(64 * 1024, 7));
    hostile("hostile_policy_binary_garbage", &run, 1, "E0004");
}

#[test]
fn hostile_policy_text_garbage() {
    // Printable noise: valid UTF-8, so the parser itself must refuse it.
    const CHARS: &[u8] = b" !\"#$%&'()*+,-./:;<=>?@[]^_`{|}~azAZ09\n\t";
    let text: Vec<u8> = noise(4096, 11)
        .into_iter()
        .map(|b| CHARS[b as usize % CHARS.len()])
        .collect();
    let run = check_bytes("text-garbage", "garbage.elg", text);
    hostile("hostile_policy_text_garbage", &run, 1, "E01");
}

#[test]
fn hostile_policy_nul_byte() {
    let run = check_bytes("nul", "nul.elg", "rule a: Int = 1\0\noutcome \"a\" = a\n");
    hostile("hostile_policy_nul_byte", &run, 1, "E0005");
}

#[test]
fn hostile_policy_byte_order_mark_is_valid() {
    let run = check_bytes(
        "bom",
        "bom.elg",
        "\u{feff}rule a: Int = 1\noutcome \"a\" = a\n",
    );
    run.exits(0).stderr_has("1 outcome(s)");
    // Diagnostics after a byte-order mark still point at the right line and column.
    let run = check_bytes(
        "bom-error",
        "bom.elg",
        "\u{feff}rule a: Int = 1\nrule b: Int = nope\n",
    );
    run.refused(1, "E0201").stderr_has("bom.elg:2:15");
    insta::assert_snapshot!("hostile_policy_bom_error", run.transcript());
}

#[test]
fn hostile_policy_crlf_line_endings_are_valid() {
    let run = check_bytes(
        "crlf",
        "crlf.elg",
        "# CRLF\r\nrule a: Int = 1\r\noutcome \"a\" = a\r\n",
    );
    run.exits(0).stderr_has("1 outcome(s)");
    let run = check_bytes(
        "crlf-error",
        "crlf.elg",
        "rule a: Int = 1\r\nrule b: Int = 2\r\n\r\nrule c: Bool = nope\r\noutcome \"a\" = a\r\n",
    );
    run.refused(1, "E0201").stderr_has("crlf.elg:4:16");
    assert!(
        !run.stderr.contains('\r'),
        "a carriage return reached the terminal"
    );
    insta::assert_snapshot!("hostile_policy_crlf_error", run.transcript());
}

#[test]
fn hostile_policy_invalid_utf8() {
    let run = check_bytes(
        "latin1",
        "latin1.elg",
        b"rule a: Int = 1\n# caf\xe9 in Latin-1\nrule b: Int = 2\n",
    );
    hostile("hostile_policy_invalid_utf8", &run, 1, "E0004");
    run.stderr_has("at byte 21");
}

#[test]
fn hostile_policy_deep_parentheses() {
    let n = 100_000;
    let text = format!("rule a: Int = {}1{}\n", "(".repeat(n), ")".repeat(n));
    let run = check_bytes("parens", "parens.elg", text);
    hostile("hostile_policy_deep_parentheses", &run, 1, "E0107");
    run.stderr_has("nesting deeper than 96 levels");
}

#[test]
fn hostile_policy_deep_ifs() {
    let n = 100_000;
    let text = format!(
        "rule a: Int = {}1{}\n",
        "if true then ".repeat(n),
        " else 2".repeat(n)
    );
    let run = check_bytes("ifs", "ifs.elg", text);
    hostile("hostile_policy_deep_ifs", &run, 1, "E0107");
    run.stderr_has("nesting deeper than 96 levels");
}

#[test]
fn hostile_policy_long_sum_over_many_lines() {
    // `1 +` on 100,000 lines: no line is long, the expression is 100,000 deep.
    let text = format!("rule a: Int = {}\n", vec!["1"; 100_000].join(" +\n"));
    let run = check_bytes("sum-lines", "sum.elg", text);
    hostile("hostile_policy_long_sum_over_many_lines", &run, 1, "E0107");
}

#[test]
fn hostile_policy_long_sum_on_one_line() {
    let text = format!("rule a: Int = {}\n", vec!["1"; 100_000].join(" + "));
    let run = check_bytes("sum", "sum.elg", text);
    hostile("hostile_policy_long_sum_on_one_line", &run, 1, "E0107");
    run.stderr_has("nesting deeper than 512 levels");
}

#[test]
fn hostile_policy_many_nots() {
    let text = format!("rule a: Bool = {}true\n", "not ".repeat(100_000));
    let run = check_bytes("nots", "nots.elg", text);
    hostile("hostile_policy_many_nots", &run, 1, "E0107");
}

#[test]
fn hostile_policy_megabyte_identifier() {
    let text = format!("rule {}: Int = 1\n", "a".repeat(1 << 20));
    let run = check_bytes("ident", "ident.elg", text);
    hostile("hostile_policy_megabyte_identifier", &run, 1, "E0108");
    run.stderr_has("identifier of 1048576 characters is longer than the limit of 256");
}

#[test]
fn hostile_policy_file_over_the_size_limit() {
    let line = format!("# {}\n", "x".repeat(98));
    let text = line.repeat(5 * 1024 * 1024 / line.len() + 1);
    assert!(text.len() > 5 * 1024 * 1024);
    let run = check_bytes("big", "big.elg", text);
    hostile("hostile_policy_file_over_the_size_limit", &run, 1, "E0003");
    run.stderr_has("more than the limit of 4194304");
}

#[test]
fn hostile_policy_unterminated_string() {
    let run = check_bytes(
        "unterminated",
        "unterminated.elg",
        "rule a: Text = \"abc\nrule b: Int = 1\n",
    );
    hostile("hostile_policy_unterminated_string", &run, 1, "E0102");
}

#[test]
fn hostile_policy_uses_itself() {
    let run = eligo(["check", "self-use"]).dir(&fixtures()).run();
    hostile("hostile_policy_uses_itself", &run, 1, "E0204");
}

#[test]
fn hostile_policy_ambiguous_name() {
    let run = eligo(["check", "ambiguous"]).dir(&fixtures()).run();
    hostile("hostile_policy_ambiguous_name", &run, 1, "E0205");
    run.stderr_has("`shared` is defined in more than one used module: one, two");
}

#[test]
fn hostile_policy_rule_cycle_across_files() {
    let run = eligo(["check", "cycle"]).dir(&fixtures()).run();
    hostile("hostile_policy_rule_cycle_across_files", &run, 1, "E0207");
    run.stderr_has("ping → pong → ping").stderr_has("b.elg:5:1");
}

#[test]
fn diagnostic_far_right_on_a_policy_line_does_not_panic() {
    // miette panicked past column 65,535; a line over 2,000 bytes is now not shown at all.
    let text = format!("{}rule a: Int = nope\n", " ".repeat(70_000));
    let run = check_bytes("far-column", "far.elg", text);
    run.refused(1, "E0201")
        .stderr_has("at far.elg:1:70015 (the line is too long to show)");
    assert!(run.stderr.len() < 2048, "{}", shorten(&run.stderr));
}

#[test]
fn diagnostic_on_a_line_of_2000_bytes_shows_it() {
    // The limit: a line of 2,000 bytes is shown, one of 2,001 is not.
    for (len, shown) in [(2_000, true), (2_001, false)] {
        let code = "rule a: Int = nope";
        let text = format!("{code}{}\n", " ".repeat(len - code.len()));
        let run = check_bytes("limit-line", "line.elg", text);
        run.refused(1, "E0201");
        assert_eq!(
            run.stderr.contains("(the line is too long to show)"),
            !shown,
            "a line of {len} bytes:\n{}",
            run.stderr
        );
        assert_eq!(run.stderr.contains(code), shown, "{}", run.stderr);
    }
}

#[test]
fn diagnostic_messages_are_not_wrapped() {
    // A long message stays on one line, whatever the terminal width.
    let run = check_bytes(
        "no-wrap",
        "wrap.elg",
        "outcome \"a\" = 12 months + 365 days\n",
    );
    run.refused(1, "E0302").stderr_has(
        "help: days and months do not compare or combine: a month has 28 to 31 days; use one unit, e.g. `12 months` or `365 days`",
    );
}

#[test]
fn diagnostic_excerpts_do_not_replay_terminal_escapes() {
    let run = check_bytes(
        "escapes",
        "esc.elg",
        "rule a: Int = nope # \u{1b}]0;pwned\u{7}\u{1b}[2J\n",
    );
    run.refused(1, "E0201")
        .stderr_has("rule a: Int = nope # ?]0;pwned??[2J");
    assert!(
        !run.stderr.contains(['\u{1b}', '\u{7}']),
        "raw escapes on stderr: {}",
        visible(&run.stderr)
    );
    let run = eval_bytes(
        "escapes-facts",
        "facts.json",
        "{\"format\": \"eligo.partner-facts/1\", \"partner\": {\"id\": 5}} \u{1b}[2J\n",
        &[],
    );
    run.refused(1, "E0402");
    assert!(!run.stderr.contains('\u{1b}'), "{}", visible(&run.stderr));
}

#[test]
fn diagnostics_on_a_megabyte_line_stay_short() {
    let text = format!("rule {}: Int = 1\n", "a".repeat(1 << 20));
    let run = check_bytes("ident-short", "ident.elg", text);
    run.refused(1, "E0108");
    assert!(
        run.stderr.len() < 16 * 1024,
        "{} bytes of diagnostics",
        run.stderr.len()
    );
    // An expression too deep for the type checker is underlined on its first line only.
    let text = format!("rule a: Int = {}\n", vec!["1"; 100_000].join(" +\n"));
    let run = check_bytes("sum-lines-short", "sum.elg", text);
    run.refused(1, "E0107");
    assert!(
        run.stderr.len() < 2048,
        "{} bytes of diagnostics",
        run.stderr.len()
    );
    assert_eq!(
        run.stderr.matches("E0107").count(),
        1,
        "reported once per expression:\n{}",
        shorten(&run.stderr)
    );
}

// ---------------------------------------------------------- hostile inputs: facts

/// `eligo eval --facts FILE` (standard policies) on a facts file holding `bytes`.
fn eval_bytes(test: &str, file: &str, bytes: impl AsRef<[u8]>, extra: &[&str]) -> Run {
    let tmp = TempDir::new(test);
    tmp.write(file, bytes);
    let mut args = vec!["eval", "--facts", file];
    args.extend_from_slice(extra);
    eligo(args).dir(tmp.path()).run()
}

/// A facts document of the standard schema with `rest` (JSON members) after the header.
fn facts_with(rest: &str) -> String {
    let comma = if rest.is_empty() { "" } else { "," };
    format!(
        "{{\n  \"format\": \"eligo.partner-facts/1\",\n  \"as_of\": \"2024-08-06\",\n  \
         \"partner\": {{\"id\": \"x\"}}{comma}\n  {rest}\n}}\n"
    )
}

#[test]
fn hostile_facts_not_json() {
    let run = eval_bytes("not-json", "facts.json", "this is not json\n", &[]);
    hostile("hostile_facts_not_json", &run, 1, "E0401");
}

#[test]
fn hostile_facts_binary_garbage() {
    let run = eval_bytes("facts-garbage", "facts.json", noise(4096, 3), &[]);
    hostile("hostile_facts_binary_garbage", &run, 1, "E0401");
    run.stderr_has("not UTF-8");
}

#[test]
fn hostile_facts_deeply_nested() {
    let n = 100_000;
    let text = format!("{}{}\n", "[".repeat(n), "]".repeat(n));
    let run = eval_bytes("deep", "facts.json", &text, &[]);
    hostile("hostile_facts_deeply_nested", &run, 1, "E0402");
    // Nested where the schema wants a list of records.
    let text = facts_with(&format!("\"people\": {}{}", "[".repeat(n), "]".repeat(n)));
    let run = eval_bytes("deep-people", "facts.json", &text, &[]);
    run.refused(1, "E0402").stderr_has("people[0]");
}

#[test]
fn hostile_facts_deeply_nested_under_an_unknown_key() {
    // An unknown key's value is skipped without recursion: a warning, or an error in strict mode.
    let n = 100_000;
    let text = facts_with(&format!("\"junk\": {}{}", "[".repeat(n), "]".repeat(n)));
    let run = eval_bytes(
        "deep-junk",
        "facts.json",
        &text,
        &["--outcome", "anniversary"],
    );
    run.exits(0).stderr_has("junk: unknown key ignored");
    let run = eval_bytes("deep-junk-strict", "facts.json", &text, &["--strict"]);
    run.refused(1, "E0403");
}

#[test]
fn hostile_facts_numbers_with_400_digits() {
    let digits = "9".repeat(400);
    for (field, name) in [
        ("net_customer_adds", "count"),
        ("qualifying_acr_usd", "money"),
        ("usage_growth_percent", "percent"),
    ] {
        let text = facts_with(&format!(
            "\"metrics\": {{\"azure\": {{\"{field}\":\n{digits}}}}}"
        ));
        let run = eval_bytes("digits", "facts.json", &text, &[]);
        hostile(&format!("hostile_facts_400_digit_{name}"), &run, 1, "E0402");
        run.stderr_has("is out of range");
    }
    let text = facts_with(&format!(
        "\"metrics\": {{\"azure\": {{\"usage_growth_percent\":\n0.{}}}}}",
        "1".repeat(400)
    ));
    let run = eval_bytes("fraction", "facts.json", &text, &[]);
    hostile("hostile_facts_400_digit_fraction", &run, 1, "E0402");
}

#[test]
fn hostile_facts_negative_amount() {
    for (name, amount) in [("string", "\"-5.00\""), ("number", "-5")] {
        let text = facts_with(&format!(
            "\"marketplace\": {{\"transactions\": [\n  {{\"date\": \"2024-03-01\", \
             \"amount_usd\": {amount}, \"customer\": \"c\"}}]}}"
        ));
        let run = eval_bytes("negative", "facts.json", &text, &[]);
        hostile(
            &format!("hostile_facts_negative_amount_{name}"),
            &run,
            1,
            "E0402",
        );
        run.stderr_has("marketplace.transactions[0].amount_usd: negative money");
    }
}

#[test]
fn hostile_facts_impossible_date() {
    let text = facts_with(
        "\"program\": {\"designations\": [\n  {\"area\": \"security\", \"attained_on\": \"2024-02-30\"}]}",
    );
    let run = eval_bytes("date", "facts.json", &text, &[]);
    hostile("hostile_facts_impossible_date", &run, 1, "E0402");
    run.stderr_has("program.designations[0].attained_on: `2024-02-30` is not a calendar date");
    let text = "{\"format\": \"eligo.partner-facts/1\", \"as_of\": \"2024-02-30\", \"partner\": {\"id\": \"x\"}}";
    let run = eval_bytes("as-of", "facts.json", text, &[]);
    run.refused(1, "E0402").stderr_has("as_of: `2024-02-30`");
}

#[test]
fn hostile_facts_wrong_types() {
    let cases = [
        ("list", "\"people\": {\"id\": \"p1\"}", "people: expected a list"),
        (
            "integer",
            "\"metrics\": {\"azure\": {\"deployments\": \"four\"}}",
            "metrics.azure.deployments: expected an integer",
        ),
        (
            "enum",
            "\"program\": {\"designations\": [{\"area\": \"sekurity\", \"attained_on\": \"2024-02-01\"}]}",
            "did you mean `security`?",
        ),
        ("null_record", "\"metrics\": null", "metrics: expected an object, found null"),
    ];
    for (name, rest, fragment) in cases {
        let run = eval_bytes("types", "facts.json", facts_with(rest), &[]);
        hostile(
            &format!("hostile_facts_wrong_type_{name}"),
            &run,
            1,
            "E0402",
        );
        run.stderr_has(fragment);
    }
    let run = eval_bytes(
        "partner-id",
        "facts.json",
        "{\"format\": \"eligo.partner-facts/1\", \"partner\": {\"id\": 5}}",
        &[],
    );
    hostile("hostile_facts_wrong_type_partner_id", &run, 1, "E0402");
    let run = eval_bytes(
        "format",
        "facts.json",
        "{\"format\": \"eligo.partner-facts/2\", \"partner\": {\"id\": \"x\"}}",
        &[],
    );
    hostile("hostile_facts_wrong_format", &run, 1, "E0402");
}

#[test]
fn hostile_facts_duplicate_keys() {
    let text = "{\"format\": \"eligo.partner-facts/1\",\n \"partner\": {\"id\": \"x\"},\n \"partner\": {\"id\": \"y\"}}";
    let run = eval_bytes("dup", "facts.json", text, &[]);
    hostile("hostile_facts_duplicate_keys", &run, 1, "E0402");
    run.stderr_has("duplicate key `partner`");
}

#[test]
fn hostile_facts_unknown_keys_in_strict_mode() {
    let text = facts_with("\"partnr\": 1,\n  \"program\": {\"designation\": []}");
    let run = eval_bytes("unknown", "facts.json", &text, &["--strict"]);
    hostile("hostile_facts_unknown_key_strict", &run, 1, "E0403");
    let run = eval_bytes(
        "unknown",
        "facts.json",
        &text,
        &["--outcome", "anniversary"],
    );
    run.exits(0)
        .stderr_has("warning: facts.json: partnr: unknown key ignored (did you mean `partner`?)")
        .stderr_has(
            "warning: facts.json: program.designation: unknown key ignored (did you mean `designations`?)",
        );
}

#[test]
fn hostile_facts_empty_file() {
    let run = eval_bytes("empty-facts", "facts.json", "", &[]);
    hostile("hostile_facts_empty_file", &run, 1, "E0401");
    let run = eval_bytes("blank-facts", "facts.json", " \n\n", &[]);
    run.refused(1, "E0401");
    let run = eligo(["eval", "--facts", "-"])
        .stdin_bytes(Vec::new())
        .run();
    run.refused(1, "E0401").stderr_has("<stdin>");
}

#[test]
fn hostile_facts_sparse_gigabyte_file_is_refused_by_its_size() {
    let tmp = TempDir::new("sparse");
    let file = std::fs::File::create(tmp.path().join("huge.json")).unwrap();
    file.set_len(1 << 30).unwrap();
    drop(file);
    let run = eligo(["eval", "--facts", "huge.json"])
        .dir(tmp.path())
        .run();
    hostile("hostile_facts_sparse_gigabyte", &run, 1, "E0404");
    run.stderr_has("huge.json: the facts are larger than the limit of 67108864 bytes");
    assert!(
        run.elapsed < Duration::from_secs(5),
        "took {:?}: the file was read",
        run.elapsed
    );
}

#[test]
fn hostile_facts_over_the_size_limit_on_standard_input() {
    const MIB: usize = 1024 * 1024;
    let run = eligo(["eval", "--facts", "-"])
        .stdin_with(|w| {
            let chunk = vec![b' '; MIB];
            for _ in 0..65 {
                w.write_all(&chunk)?;
            }
            Ok(())
        })
        .run();
    hostile("hostile_facts_stdin_over_the_limit", &run, 1, "E0404");
}

#[test]
fn hostile_facts_without_end_are_refused_by_the_size_limit() {
    // `/dev/zero` has no size and never ends: the reading stops one byte past the limit.
    let run = eligo(["eval", "--facts", "/dev/zero"])
        .hang_after(Duration::from_secs(60))
        .run();
    run.refused(1, "E0404")
        .stderr_has("/dev/zero: the facts are larger than the limit of 67108864 bytes");
}

#[test]
fn hostile_facts_over_the_size_limit_through_a_named_pipe() {
    let tmp = TempDir::new("fifo");
    let fifo = tmp.path().join("facts.json");
    let made = Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        eprintln!("skipped: no mkfifo");
        return;
    }
    // Not joined: if eligo never opens the pipe, the writer stays blocked until the test ends.
    std::thread::spawn(move || {
        if let Ok(mut w) = std::fs::OpenOptions::new().write(true).open(&fifo) {
            // Newlines: a pipe has no size, so only the bounded reading can stop it.
            let chunk = vec![b'\n'; 1024 * 1024];
            for _ in 0..65 {
                if w.write_all(&chunk).is_err() {
                    break;
                }
            }
        }
    });
    let run = eligo([
        "eval",
        "tests/cli/tiny.elg",
        "--facts",
        tmp.path().join("facts.json").to_str().unwrap(),
    ])
    .hang_after(Duration::from_secs(60))
    .run();
    run.refused(1, "E0404");
}

/// A facts document whose `legacy_competency.areas` holds `n` strings, `sep` between them.
fn long_list(n: usize, sep: &str) -> String {
    let items = vec!["\"a\""; n].join(sep);
    format!(
        "{{\"format\": \"eligo.partner-facts/1\", \"as_of\": \"2024-08-06\", \"partner\": {{\"id\": \"x\"}},\n\
         \"program\": {{\"legacy_competency\": {{\"level\": \"gold\", \"anniversary\": \"2022-11-11\",\n\
         \"areas\": [\n{items}]}}}}}}\n"
    )
}

#[test]
fn hostile_facts_list_over_the_length_limit() {
    let text = long_list(2_000_000, ",\n");
    let run = eval_bytes("list", "facts.json", &text, &[]);
    hostile("hostile_facts_list_over_the_limit", &run, 1, "E0402");
    run.stderr_has("list longer than the limit of 1000000 elements");
}

#[test]
fn a_list_over_the_length_limit_is_underlined_at_its_extra_element() {
    let text = long_list(1_000_001, ",\n");
    let run = eval_bytes("list-extra", "facts.json", &text, &[]);
    // Elements start on line 4: element 1,000,001 is line 1,000,004, `"a"` from column 1.
    run.refused(1, "E0402").stderr_has("facts.json:1000004:1]");
}

#[test]
fn an_object_for_a_list_is_underlined_at_its_bracket() {
    let text = facts_with("\"people\": {\"id\": \"p1\"}");
    let run = eval_bytes("object-for-list", "facts.json", &text, &[]);
    // `  "people": {"id": "p1"}` on line 5: the `{` is column 13.
    run.refused(1, "E0402")
        .stderr_has("people: expected a list, found an object")
        .stderr_has("facts.json:5:13]");
}

#[test]
fn a_list_at_the_length_limit_is_read() {
    let text = long_list(1_000_000, ",\n");
    // The outcome reads `program.legacy_competency`: with `--outcome`, facts that no selected
    // outcome reads are only checked as JSON, and the list would not be read at all.
    let run = eval_bytes(
        "list-ok",
        "facts.json",
        &text,
        &["--outcome", "legacy_benefits_renewable"],
    );
    run.exits(0);
    let text = long_list(1_000_001, ",\n");
    let run = eval_bytes("list-over", "facts.json", &text, &[]);
    run.refused(1, "E0402");
}

#[test]
fn hostile_facts_list_over_the_length_limit_on_one_line() {
    // What `json.dumps` writes: the whole list on one line.
    let text = long_list(2_000_000, ",");
    let run = eval_bytes("list-line", "facts.json", &text, &[]);
    run.refused(1, "E0402")
        .stderr_has("list longer than the limit of 1000000 elements")
        .stderr_has("(the line is too long to show)");
}

#[test]
fn diagnostic_far_right_on_a_facts_line_does_not_panic() {
    // One partner per line (NDJSON-style): a type error 70,000 characters into the line.
    let people = vec!["{\"id\": \"p\"}"; 7_000].join(", ");
    let text = format!(
        "{{\"format\": \"eligo.partner-facts/1\", \"partner\": {{\"id\": \"x\"}}, \"people\": [{people}, {{\"id\": 5}}]}}\n"
    );
    let run = eval_bytes("far-facts", "facts.json", &text, &[]);
    run.refused(1, "E0402")
        .stderr_has("people[7000].id: expected a string, found the number `5`")
        .stderr_has("at facts.json:1:");
}

/// `--profile` prints the steps per rule on stderr and leaves the outcomes on stdout unchanged.
#[test]
fn eval_profile_reports_steps_per_rule_on_stderr() {
    let bin = env!("CARGO_BIN_EXE_eligo");
    let facts = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/contoso-isv.json"
    );
    let plain = std::process::Command::new(bin)
        .args(["eval", "--facts", facts, "--format", "json"])
        .output()
        .expect("eligo runs");
    let profiled = std::process::Command::new(bin)
        .args(["eval", "--facts", facts, "--format", "json", "--profile"])
        .output()
        .expect("eligo runs");
    assert!(profiled.status.success());
    assert_eq!(
        plain.stdout, profiled.stdout,
        "--profile changes no outcome"
    );
    let err = String::from_utf8_lossy(&profiled.stderr);
    assert!(err.starts_with("profile: "), "{err}");
    assert!(err.contains("steps in all"), "{err}");
    assert!(
        err.contains("ttm_transactions"),
        "the marketplace rules are profiled: {err}"
    );
}
