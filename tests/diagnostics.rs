//! The catalogue of diagnostics as users see them: one small fixture per error under
//! `tests/diagnostics/`, rendered without colour and snapshotted in `tests/snapshots/`.
//!
//! | folder | what each fixture is | its expectation |
//! |---|---|---|
//! | `policy/` | a policy file, or a folder of them (several modules) | `# expect: E0xxx[, E0yyy]` comment in a `.elg` file, or `expect: …` in `expect.txt` |
//! | `facts/` | a facts file read against the standard policies' schema | sibling `<name>.expect`: `expect: E0xxx` (or `expect: warning`), optionally `strict: true` |
//! | `eval/` | a small policy and its facts (`<name>.elg` + `<name>.json`), evaluated | `# expect:` line, plus `# as-of:`, `# max-steps:`, `# max-depth:` |
//! | `cli/` | a command line of the `eligo` binary (`<name>.args`), run from the repository root | `# expect:` line |
//!
//! Every fixture names the codes it must produce. A fixture fails when an expected code is
//! missing or an unexpected one appears, even before its snapshot is compared.
//! `docs/diagnostics.md` documents every code; [`every_code_is_documented_and_shown`] keeps the
//! two in step with `lang/eligo/src/diag/text.rs`.

mod common;

use eligo::diag::{render_plain, Error};
use eligo::driver::{compile as compile_big_stack, compile_sources, policy_sources, LoadedSources};
use eligo::eval::Compiled;
use eligo::eval::{Evaluation, Limits};
use eligo::facts::{load_facts, LoadOptions};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

// ---------------------------------------------------------------- paths and expectations

fn root() -> PathBuf {
    common::repo()
}

fn fixtures() -> PathBuf {
    root().join("tests/diagnostics")
}

/// Policy paths are given relative to the fixtures folder, as a user types them, so no absolute
/// path reaches a message. Every test of this file sets the same folder, so the threads agree.
fn enter_fixtures() {
    std::env::set_current_dir(fixtures()).expect("the fixtures folder exists");
}

fn relative(path: &Path) -> PathBuf {
    path.strip_prefix(fixtures())
        .expect("a fixture lies under tests/diagnostics")
        .to_path_buf()
}

/// What a fixture's header asks for.
#[derive(Debug, Default)]
struct Header {
    codes: Vec<String>,
    as_of: Option<String>,
    max_steps: Option<u64>,
    max_depth: Option<usize>,
    strict: bool,
    warning: bool,
}

/// Reads the `key: value` lines of an `.expect` file or `expect.txt`.
fn header(text: &str) -> Header {
    header_lines(text.lines())
}

/// Reads the `# key: value` comment lines of a policy or command-line fixture.
fn comment_header(text: &str) -> Header {
    header_lines(
        text.lines()
            .filter_map(|l| l.trim_start().strip_prefix('#')),
    )
}

fn header_lines<'t>(lines: impl Iterator<Item = &'t str>) -> Header {
    let mut h = Header::default();
    for line in lines {
        let line = line.trim();
        let Some((key, value)) = line.split_once(':') else {
            continue;
        };
        let value = value.trim();
        match key.trim() {
            "expect" => {
                for v in value.split([',', ' ']).filter(|v| !v.is_empty()) {
                    if v == "warning" {
                        h.warning = true;
                    } else {
                        h.codes.push(v.to_string());
                    }
                }
            }
            "as-of" => h.as_of = Some(value.to_string()),
            "max-steps" => h.max_steps = Some(value.parse().expect("max-steps is a number")),
            "max-depth" => h.max_depth = Some(value.parse().expect("max-depth is a number")),
            "strict" => h.strict = value == "true",
            _ => {}
        }
    }
    h
}

fn read_lossy(path: &Path) -> String {
    String::from_utf8_lossy(&std::fs::read(path).expect("the fixture is readable")).into_owned()
}

/// The header of a policy fixture: its own text, or for a folder every `.elg` file and
/// `expect.txt` in it.
fn policy_header(path: &Path) -> Header {
    if path.is_dir() {
        let mut h = Header::default();
        let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
            .expect("the fixture folder is readable")
            .map(|e| e.expect("a folder entry").path())
            .collect();
        entries.sort();
        for p in entries {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            let part = if name.ends_with(".elg") {
                comment_header(&read_lossy(&p))
            } else if name == "expect.txt" {
                header(&read_lossy(&p))
            } else {
                continue;
            };
            h.codes.extend(part.codes);
        }
        h
    } else {
        comment_header(&read_lossy(path))
    }
}

// ---------------------------------------------------------------- checking one fixture

/// Makes rendered text safe to keep in a snapshot: no NUL byte, no absolute path.
fn clean(rendered: &str) -> String {
    let root = root().display().to_string();
    rendered.replace('\0', "␀").replace(&root, "[root]")
}

/// Checks the codes produced against the expected ones, and that the rendering shows each.
/// Problems are collected, so one run reports every broken fixture.
fn check_codes(
    what: &Path,
    expected: &[String],
    errors: &[Error],
    rendered: &str,
    problems: &mut Vec<String>,
) {
    let what = what.display();
    if expected.is_empty() {
        problems.push(format!(
            "{what}: the fixture names no expected code (`# expect: E0xxx`)"
        ));
    }
    let produced: Vec<&str> = errors.iter().map(|e| e.code()).collect();
    for code in expected {
        if !produced.contains(&code.as_str()) {
            problems.push(format!(
                "{what}: expected {code}, produced {produced:?}:\n{rendered}"
            ));
        } else if !rendered.contains(code.as_str()) {
            problems.push(format!(
                "{what}: {code} does not appear in the rendering:\n{rendered}"
            ));
        }
    }
    for code in &produced {
        if !expected.iter().any(|e| e == code) {
            problems.push(format!(
                "{what}: unexpected {code} (expected {expected:?}):\n{rendered}"
            ));
        }
    }
}

/// Fails the test with every problem found.
fn report(problems: Vec<String>) {
    assert!(
        problems.is_empty(),
        "{} fixture problem(s):\n\n{}",
        problems.len(),
        problems.join("\n")
    );
}

fn compile(path: &Path) -> Result<Compiled, (Vec<Error>, String)> {
    let loaded = policy_sources(&relative(path)).map_err(|e| {
        let r = render_plain(std::slice::from_ref(&e), &Default::default());
        (vec![e], r)
    })?;
    compile_big_stack(loaded).map_err(|f| {
        let r = render_plain(&f.errors, &f.sources);
        (f.errors, r)
    })
}

// ---------------------------------------------------------------- the catalogue

/// Policies that do not compile: one error (or one family of errors) each.
#[test]
fn policy() {
    enter_fixtures();
    let mut problems = Vec::new();
    insta::glob!("diagnostics", "policy/*", |path| {
        let h = policy_header(path);
        let (errors, rendered) = match compile(path) {
            Ok(_) => {
                problems.push(format!("{}: the policies compiled", path.display()));
                return;
            }
            Err(x) => x,
        };
        let rendered = clean(&rendered);
        check_codes(path, &h.codes, &errors, &rendered, &mut problems);
        insta::assert_snapshot!(rendered);
    });
    report(problems);
}

/// The standard policies, whose `facts` declaration every facts fixture is read against.
fn stdlib() -> &'static Compiled {
    static PROGRAM: OnceLock<Compiled> = OnceLock::new();
    PROGRAM.get_or_init(|| {
        let dir = root().join("stdlib-policies");
        let loaded = policy_sources(&dir).expect("the standard policies are readable");
        match compile_big_stack(loaded) {
            Ok(p) => p,
            Err(f) => panic!(
                "the standard policies do not compile:\n{}",
                render_plain(&f.errors, &f.sources)
            ),
        }
    })
}

/// Facts files that break the `eligo.partner-facts/1` schema, each in one way.
#[test]
fn facts() {
    enter_fixtures();
    let program = stdlib();
    let mut problems = Vec::new();
    insta::glob!("diagnostics", "facts/*.json", |path| {
        let h = header(&read_lossy(&path.with_extension("expect")));
        let name = relative(path).display().to_string();
        let text = read_lossy(path);
        let options = LoadOptions {
            strict: h.strict,
            ..LoadOptions::default()
        };
        match load_facts(program.program().facts_view(), &name, &text, options) {
            Ok(facts) => {
                if !h.warning || !h.codes.is_empty() {
                    problems.push(format!("{name}: the facts loaded (expected {:?})", h.codes));
                    return;
                }
                if facts.warnings.is_empty() {
                    problems.push(format!("{name}: expected a warning, got none"));
                }
                let shown: Vec<String> = facts
                    .warnings
                    .iter()
                    .map(|w| format!("warning: {name}: {w}"))
                    .collect();
                insta::assert_snapshot!(shown.join("\n"));
            }
            Err(e) => {
                if h.warning {
                    problems.push(format!("{name}: expected only a warning"));
                }
                let errors = std::slice::from_ref(&e);
                let rendered = clean(&render_plain(errors, &program.program().sources));
                check_codes(path, &h.codes, errors, &rendered, &mut problems);
                insta::assert_snapshot!(rendered);
            }
        }
    });
    report(problems);
}

/// The first error of evaluating every outcome of a compiled policy against its facts file.
fn evaluate(path: &Path, h: &Header, program: &Compiled) -> Result<Error, String> {
    let facts_path = path.with_extension("json");
    let name = relative(&facts_path).display().to_string();
    let text = read_lossy(&facts_path);
    let facts = match load_facts(
        program.program().facts_view(),
        &name,
        &text,
        LoadOptions::default(),
    ) {
        Err(e) => return Ok(e),
        Ok(f) => f,
    };
    let as_of = h.as_of.as_deref().unwrap_or("2024-08-06");
    let as_of = chrono::NaiveDate::parse_from_str(as_of, "%Y-%m-%d")
        .map_err(|_| format!("{}: `as-of: {as_of}` is not a date", path.display()))?;
    let defaults = Limits::default();
    let limits = Limits {
        max_steps: h.max_steps.unwrap_or(defaults.max_steps),
        max_depth: h.max_depth.unwrap_or(defaults.max_depth),
    };
    let mut ev = Evaluation::new(program, facts.fields(), as_of, limits);
    (0..program.program().outcomes.len())
        .find_map(|i| ev.outcome(i).err())
        .ok_or_else(|| format!("{}: every outcome evaluated", path.display()))
}

/// Evaluation errors: a small policy and its facts, evaluated outcome by outcome.
#[test]
fn eval() {
    enter_fixtures();
    let mut problems = Vec::new();
    insta::glob!("diagnostics", "eval/*.elg", |path| {
        let h = comment_header(&read_lossy(path));
        let program = match compile(path) {
            Ok(p) => p,
            Err((_, r)) => {
                problems.push(format!("{}: does not compile:\n{r}", path.display()));
                return;
            }
        };
        let error = match evaluate(path, &h, &program) {
            Ok(e) => e,
            Err(problem) => {
                problems.push(problem);
                return;
            }
        };
        let errors = std::slice::from_ref(&error);
        let rendered = clean(&render_plain(errors, &program.program().sources));
        check_codes(path, &h.codes, errors, &rendered, &mut problems);
        insta::assert_snapshot!(rendered);
    });
    report(problems);
}

/// Errors only the command line reports: the `eligo` binary, run from the repository root.
#[test]
fn cli() {
    enter_fixtures();
    let mut problems = Vec::new();
    insta::glob!("diagnostics", "cli/*.args", |path| {
        let text = read_lossy(path);
        let h = comment_header(&text);
        let args: Vec<&str> = text
            .lines()
            .filter(|l| !l.trim_start().starts_with('#'))
            .flat_map(str::split_whitespace)
            .collect();
        let out = common::eligo(args.iter().copied()).dir(&root()).run();
        let stderr = clean(&out.stderr);
        let what = path.display();
        if out.code == Some(0) {
            problems.push(format!("{what}: `eligo {}` succeeded", args.join(" ")));
        }
        if !out.stdout.is_empty() {
            problems.push(format!("{what}: a failing command printed on stdout"));
        }
        if h.codes.is_empty() {
            problems.push(format!("{what}: the fixture names no expected code"));
        }
        for code in &h.codes {
            if !stderr.contains(code.as_str()) {
                problems.push(format!("{what}: expected {code} on stderr:\n{stderr}"));
            }
        }
        let shown = format!(
            "$ eligo {}\nexit status: {}\n{stderr}",
            args.join(" "),
            out.code.unwrap_or(-1)
        );
        insta::assert_snapshot!(shown);
    });
    report(problems);
}

/// A policy file over the size limit, made in memory (a fixture of 4 MiB would bloat the
/// repository). `eligo check` on such a file stops earlier, when reading it, with the same code.
#[test]
fn source_too_large() {
    let mut text = String::from("# expect: E0003\n");
    let line = "# filler: a policy file grows past the limit of 4 MiB\n";
    while text.len() <= eligo::syntax::MAX_SOURCE_BYTES {
        text.push_str(line);
    }
    let loaded = LoadedSources {
        files: vec![("huge.elg".into(), "huge".into(), text)],
    };
    let failed = compile_sources(loaded).expect_err("a 4 MiB policy is refused");
    let rendered = render_plain(&failed.errors, &failed.sources);
    let mut problems = Vec::new();
    let expected = ["E0003".to_string()];
    check_codes(
        Path::new("huge.elg"),
        &expected,
        &failed.errors,
        &rendered,
        &mut problems,
    );
    report(problems);
    insta::assert_snapshot!(rendered);
}

// ---------------------------------------------------------------- the catalogue is complete

/// Every code `diag/text.rs` defines, in order.
fn defined_codes() -> Vec<String> {
    let text = std::fs::read_to_string(root().join("lang/eligo/src/diag/text.rs"))
        .expect("diag/text.rs is readable");
    let mut codes = Vec::new();
    for line in text.lines() {
        if let Some((_, rest)) = line.split_once("=> \"E") {
            let code: String = rest.chars().take_while(char::is_ascii_digit).collect();
            if code.len() == 4 {
                codes.push(format!("E{code}"));
            }
        }
    }
    codes
}

/// Codes that no fixture shows, each with the reason; `docs/diagnostics.md` says the same.
const NOT_SHOWN: &[(&str, &str)] = &[
    (
        "E0506",
        "an evaluation error: tests/reliability.rs covers it (`work-list-doubling.elg`)",
    ),
    (
        "E0006",
        "a write error needs a full device or a closed pipe: tests/cli_output.rs covers it",
    ),
    (
        "E0604",
        "reported by `eligo test` only: tests/policy_tests.rs covers it (the `malformed` fixture)",
    ),
    (
        "E0320",
        "never reported: nothing in the checker constructs `CannotInfer`",
    ),
    (
        "E0321",
        "never reported: no written type resolves to a window",
    ),
    (
        "E0324",
        "never reported: nothing constructs `ConstantFailed`",
    ),
    (
        "E0603",
        "never reported: `eligo eval` falls back to today's date",
    ),
    (
        "E0801",
        "the project file (eligo.toml) is read by the language server, not a command: tests/lsp.rs",
    ),
    (
        "E0802",
        "the project file (eligo.toml) is read by the language server, not a command: tests/lsp.rs",
    ),
    (
        "E0803",
        "the project file (eligo.toml) is read by the language server, not a command: tests/lsp.rs",
    ),
    (
        "E0900",
        "an internal error: no input is known to cause one (tests/reliability.rs checks)",
    ),
];

/// The codes the fixtures expect (read from their headers, without running them).
fn shown_codes() -> BTreeSet<String> {
    let mut codes = BTreeSet::new();
    let dir = fixtures();
    let mut add = |h: Header| codes.extend(h.codes);
    for entry in std::fs::read_dir(dir.join("policy")).expect("policy/ is readable") {
        add(policy_header(&entry.expect("an entry").path()));
    }
    for (folder, ext) in [("facts", "expect"), ("eval", "elg"), ("cli", "args")] {
        for entry in std::fs::read_dir(dir.join(folder)).expect("the folder is readable") {
            let p = entry.expect("an entry").path();
            if p.extension().is_some_and(|e| e == ext) {
                let text = read_lossy(&p);
                add(if ext == "expect" {
                    header(&text)
                } else {
                    comment_header(&text)
                });
            }
        }
    }
    codes.insert("E0003".into()); // source_too_large
    codes
}

#[test]
fn every_code_is_documented_and_shown() {
    let defined = defined_codes();
    assert!(defined.len() >= 60, "read only {} codes", defined.len());
    let shown = shown_codes();
    for code in &shown {
        assert!(
            defined.contains(code),
            "a fixture expects {code}, which diag/text.rs does not define"
        );
    }
    for code in &defined {
        let excused = NOT_SHOWN.iter().any(|(c, _)| c == code);
        assert!(
            shown.contains(code) || excused,
            "{code} has no fixture in tests/diagnostics/ and no reason in NOT_SHOWN"
        );
        assert!(
            !(shown.contains(code) && excused),
            "{code} has a fixture now: remove it from NOT_SHOWN"
        );
    }
    assert!(shown.len() >= 35, "only {} codes shown", shown.len());

    let docs = std::fs::read_to_string(root().join("docs/diagnostics.md"))
        .expect("docs/diagnostics.md is readable");
    for code in &defined {
        assert!(
            docs.contains(&format!("| {code} |")),
            "docs/diagnostics.md has no table row for {code}"
        );
    }
}

/// The example of `docs/diagnostics.md` is the snapshot of its fixture, word for word.
#[test]
fn documented_example_is_current() {
    let snap = std::fs::read_to_string(
        root().join("tests/snapshots/diagnostics__policy@rule_cycle.elg.snap"),
    )
    .expect("the snapshot of policy/rule_cycle.elg exists");
    // The snapshot is a header between `---` lines, then the rendering.
    let body = snap.splitn(3, "---\n").nth(2).expect("a snapshot header");
    let docs = std::fs::read_to_string(root().join("docs/diagnostics.md"))
        .expect("docs/diagnostics.md is readable");
    let block = format!("```text\n{}\n```", body.trim_end());
    assert!(
        docs.contains(&block),
        "docs/diagnostics.md does not show the current rendering of policy/rule_cycle.elg:\n{block}"
    );
}
