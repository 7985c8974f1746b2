//! `eligo fmt`: the canonical layout of policy files.
//!
//! Every fixture in `tests/fmt/*.elg` is formatted and snapshot-locked (`tests/snapshots/fmt__*`).
//! For every fixture and every policy file of the repository that parses (the standard policies,
//! the corpus, the CLI fixtures), formatting is idempotent, keeps the syntax tree (spans aside)
//! and keeps every comment in order; with `\r\n` line endings and a byte-order mark too. The
//! command line is run through the built binary: `--check` exit statuses and output, rewriting
//! in place, and a file that does not parse.
//!
//! Update the snapshots with `INSTA_UPDATE=always cargo test -p eligo-cli --test fmt`.

mod common;

use common::{repo, Run, TempDir};
use eligo::format::{comments, format_source, same_syntax};
use eligo::source::SourceId;
use eligo::syntax::parse_module;
use std::path::{Path, PathBuf};

fn fixtures_dir() -> PathBuf {
    repo().join("tests/fmt")
}

/// The fixtures `tests/fmt/*.elg`, sorted.
fn fixtures() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(fixtures_dir())
        .expect("tests/fmt exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "elg"))
        .collect();
    v.sort();
    v
}

/// Every `*.elg` under a folder.
fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            walk(&p, out);
        } else if p.extension().is_some_and(|x| x == "elg") {
            out.push(p);
        }
    }
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn fmt(name: &str, text: &str) -> String {
    match format_source(text) {
        Ok(t) => t,
        Err(e) => panic!("{name} does not parse: {e:?}"),
    }
}

fn parse(name: &str, text: &str) -> eligo::syntax::ast::Module {
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    match parse_module(SourceId(0), body) {
        Ok(m) => m,
        Err(e) => panic!("{name} does not parse: {e:?}"),
    }
}

/// Idempotent, same syntax tree, same comments in the same order.
fn assert_properties(name: &str, text: &str) {
    let once = fmt(name, text);
    let twice = fmt(name, &once);
    assert_eq!(once, twice, "{name}: formatting is not idempotent");
    assert!(
        same_syntax(&parse(name, text), &parse(name, &once)),
        "{name}: formatting changed the syntax tree"
    );
    assert_eq!(
        comments(text),
        comments(&once),
        "{name}: formatting lost or reordered a comment"
    );
}

// ------------------------------------------------------------------------------ snapshots

macro_rules! snapshot_tests {
    ($($case:ident),* $(,)?) => {
        $(
            #[test]
            fn $case() {
                let name = stringify!($case);
                let text = read(&fixtures_dir().join(format!("{name}.elg")));
                insta::assert_snapshot!(name, fmt(name, &text));
            }
        )*

        /// Every fixture has a snapshot test above.
        #[test]
        fn every_fixture_has_a_snapshot_test() {
            let listed: Vec<&str> = vec![$(stringify!($case)),*];
            for f in fixtures() {
                let stem = f.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
                assert!(listed.contains(&stem.as_str()), "tests/fmt/{stem}.elg has no snapshot test");
            }
        }
    };
}

snapshot_tests!(
    items,
    expressions,
    comments_everywhere,
    long_lines,
    blank_lines,
    only_comments,
    empty,
);

// ------------------------------------------------------------------------------ properties

#[test]
fn fixtures_are_idempotent_and_keep_meaning_and_comments() {
    let files = fixtures();
    assert!(files.len() >= 7, "only {} fixtures", files.len());
    for f in files {
        assert_properties(&f.display().to_string(), &read(&f));
    }
}

#[test]
fn every_policy_file_of_the_repository_is_idempotent_and_keeps_meaning_and_comments() {
    let mut files = Vec::new();
    for dir in ["stdlib-policies", "tests", "examples", "docs"] {
        walk(&repo().join(dir), &mut files);
    }
    files.sort();
    // Hostile fixtures (tests/reliability/) nest deeply: check on the big stack the CLI uses.
    let checked = eligo::driver::run_on_big_stack(move || {
        let mut checked = 0;
        for f in &files {
            // Some diagnostic fixtures are not UTF-8 on purpose.
            let Ok(text) = std::fs::read_to_string(f) else {
                continue;
            };
            let body = text.strip_prefix('\u{feff}').unwrap_or(&text);
            if parse_module(SourceId(0), body).is_err() {
                continue;
            }
            assert_properties(&f.display().to_string(), &text);
            checked += 1;
        }
        checked
    });
    assert!(checked >= 100, "only {checked} policy files parse");
}

/// The fenced blocks of a Markdown text whose info string starts with `info`: (info, body).
fn fenced(text: &str, info: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut current: Option<(String, String)> = None;
    for line in text.lines() {
        match current.take() {
            None => {
                if let Some(rest) = line.strip_prefix("```") {
                    if rest.starts_with(info) {
                        current = Some((rest.trim().to_string(), String::new()));
                    }
                }
            }
            Some((i, mut body)) => {
                if line.starts_with("```") {
                    out.push((i, body));
                } else {
                    body.push_str(line);
                    body.push('\n');
                    current = Some((i, body));
                }
            }
        }
    }
    out
}

#[test]
fn every_eligo_block_of_the_documentation_is_idempotent_and_keeps_meaning_and_comments() {
    let mut checked = 0;
    let mut docs: Vec<PathBuf> = std::fs::read_dir(repo().join("docs"))
        .expect("docs exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    docs.sort();
    for doc in docs {
        for (i, (_, body)) in fenced(&read(&doc), "eligo").into_iter().enumerate() {
            if parse_module(SourceId(0), &body).is_err() {
                continue;
            }
            assert_properties(&format!("{} block {}", doc.display(), i + 1), &body);
            checked += 1;
        }
    }
    assert!(checked >= 50, "only {checked} blocks checked");
}

/// `docs/fmt.md` shows real output: each ```` ```eligo before ```` block is followed by an
/// ```` ```eligo after ```` block holding exactly what the formatter makes of it.
#[test]
fn the_examples_of_the_fmt_page_are_real_output() {
    let blocks = fenced(&read(&repo().join("docs/fmt.md")), "eligo ");
    assert!(blocks.len() >= 12, "only {} example blocks", blocks.len());
    for pair in blocks.chunks(2) {
        let [(bi, before), (ai, after)] = pair else {
            panic!("docs/fmt.md: a `before` block without its `after` block");
        };
        assert_eq!((bi.as_str(), ai.as_str()), ("eligo before", "eligo after"));
        assert_eq!(
            &fmt("docs/fmt.md example", before),
            after,
            "docs/fmt.md:\n{before}"
        );
        assert_ne!(before, after, "an example that shows no change");
    }
}

#[test]
fn every_standard_policy_is_idempotent_and_keeps_meaning_and_comments() {
    let mut files = Vec::new();
    walk(&repo().join("stdlib-policies"), &mut files);
    assert!(files.len() >= 10, "only {} standard policies", files.len());
    for f in files {
        assert_properties(&f.display().to_string(), &read(&f));
    }
}

#[test]
fn crlf_line_endings_are_kept() {
    for f in fixtures() {
        let name = f.display().to_string();
        let text = read(&f);
        if !text.contains('\n') {
            continue;
        }
        let crlf = text.replace('\n', "\r\n");
        let out = fmt(&name, &crlf);
        assert_eq!(out, fmt(&name, &text).replace('\n', "\r\n"), "{name}");
        assert_properties(&name, &crlf);
    }
    assert_eq!(
        fmt(
            "crlf",
            "rule   a: Int=1 # one\r\n\r\n\r\nrule b: Int = 2\r\n"
        ),
        "rule a: Int = 1 # one\r\n\r\nrule b: Int = 2\r\n"
    );
}

#[test]
fn a_byte_order_mark_is_kept() {
    for f in fixtures() {
        let name = f.display().to_string();
        let text = read(&f);
        let with_bom = format!("\u{feff}{text}");
        assert_eq!(
            fmt(&name, &with_bom),
            format!("\u{feff}{}", fmt(&name, &text)),
            "{name}"
        );
        assert_properties(&name, &with_bom);
    }
    assert_eq!(fmt("bom", "\u{feff}use   facts\n"), "\u{feff}use facts\n");
}

#[test]
fn literals_keep_their_exact_text() {
    let src = "rule a: [Decimal] = [4_000_000, 1_0.5_0, 007, USD 1_000.00, 12.50%, 2024-02-29, 2024-02, 1 year, 12 months, \"a\\\"b\"]\n";
    let out = fmt("literals", src);
    for lit in [
        "4_000_000",
        "1_0.5_0",
        "007",
        "USD 1_000.00",
        "12.50%",
        "2024-02-29",
        "2024-02",
        "1 year",
        "12 months",
        "\"a\\\"b\"",
    ] {
        assert!(out.contains(lit), "{lit} missing from {out}");
    }
}

#[test]
fn a_file_that_does_not_parse_gives_the_parser_errors() {
    let text = read(&fixtures_dir().join("broken/syntax_error.elg"));
    let errors = format_source(&text).expect_err("the fixture does not parse");
    assert!(!errors.is_empty());
}

// ------------------------------------------------------------------------------ command line

/// `eligo ARGS…` in a folder.
fn eligo(dir: &Path, args: &[&str]) -> Run {
    common::eligo(args.iter().copied()).dir(dir).run()
}

/// A folder with two unformatted files (one nested) and one formatted file.
fn messy_folder(name: &str) -> TempDir {
    let dir = TempDir::new(&format!("fmt-{name}"));
    std::fs::create_dir_all(dir.path().join("policies/sub")).expect("folder");
    std::fs::write(dir.path().join("policies/a.elg"), "rule   a: Int=1\n").expect("write");
    std::fs::write(
        dir.path().join("policies/sub/b.elg"),
        "rule b: Bool = x and   y\n",
    )
    .expect("write");
    std::fs::write(dir.path().join("policies/c.elg"), "rule c: Int = 3\n").expect("write");
    dir
}

#[test]
fn check_lists_the_files_that_would_change_and_exits_1() {
    let dir = messy_folder("check");
    let run = eligo(dir.path(), &["fmt", "--check", "policies"]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert_eq!(run.stdout, "policies/a.elg\npolicies/sub/b.elg\n");
    assert!(run.stderr.contains("2 of 3 file(s)"), "{}", run.stderr);
    // Nothing was rewritten.
    assert_eq!(
        read(&dir.path().join("policies/a.elg")),
        "rule   a: Int=1\n"
    );
}

#[test]
fn check_on_formatted_files_prints_nothing_and_exits_0() {
    let dir = messy_folder("check-clean");
    let run = eligo(dir.path(), &["fmt", "--check", "policies/c.elg"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(run.stdout, "");
    assert_eq!(run.stderr, "");
}

#[test]
fn fmt_rewrites_in_place_then_check_is_clean() {
    let dir = messy_folder("write");
    let run = eligo(dir.path(), &["fmt", "policies"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(run.stdout, "policies/a.elg\npolicies/sub/b.elg\n");
    assert_eq!(
        read(&dir.path().join("policies/a.elg")),
        "rule a: Int = 1\n"
    );
    assert_eq!(
        read(&dir.path().join("policies/sub/b.elg")),
        "rule b: Bool = x and y\n"
    );
    let again = eligo(dir.path(), &["fmt", "--check", "policies"]);
    assert_eq!(again.code, Some(0), "{}", again.stderr);
    assert_eq!(again.stdout, "");
}

#[test]
fn the_default_folder_is_the_current_one() {
    let dir = messy_folder("default");
    let run = eligo(&dir.path().join("policies"), &["fmt", "--check"]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert_eq!(run.stdout, "a.elg\nsub/b.elg\n");
}

#[test]
fn a_single_file_is_rewritten() {
    let dir = messy_folder("single");
    let run = eligo(dir.path(), &["fmt", "policies/sub/b.elg"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(run.stdout, "policies/sub/b.elg\n");
    assert_eq!(
        read(&dir.path().join("policies/sub/b.elg")),
        "rule b: Bool = x and y\n"
    );
    // The other files are untouched.
    assert_eq!(
        read(&dir.path().join("policies/a.elg")),
        "rule   a: Int=1\n"
    );
}

#[test]
fn a_file_with_a_syntax_error_is_reported_and_left_alone() {
    let dir = TempDir::new("fmt-broken");
    let broken = read(&fixtures_dir().join("broken/syntax_error.elg"));
    std::fs::write(dir.path().join("broken.elg"), &broken).expect("write");
    std::fs::write(dir.path().join("ok.elg"), "rule   ok: Int = 1\n").expect("write");
    for args in [&["fmt", "--check", "."][..], &["fmt", "."][..]] {
        let run = eligo(dir.path(), args);
        assert_eq!(run.code, Some(1), "{args:?}: {}", run.stderr);
        assert_eq!(run.stdout, "ok.elg\n", "{args:?}");
        if args.len() == 3 {
            insta::assert_snapshot!("syntax_error_stderr", run.stderr);
        }
        assert_eq!(read(&dir.path().join("broken.elg")), broken, "{args:?}");
    }
    // The file that parses was rewritten by the run without --check.
    assert_eq!(read(&dir.path().join("ok.elg")), "rule ok: Int = 1\n");
}

#[test]
fn a_missing_path_is_an_error() {
    let dir = TempDir::new("fmt-missing");
    let run = eligo(dir.path(), &["fmt", "--check", "nowhere"]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(run.stderr.contains("nowhere"), "{}", run.stderr);
}

#[test]
fn the_standard_policies_check_through_the_binary() {
    let run = eligo(&repo(), &["fmt", "--check", "stdlib-policies"]);
    // Exit status 0 (formatted) or 1 (a file needs formatting); never a crash or a usage error.
    assert!(matches!(run.code, Some(0 | 1)), "{}", run.stderr);
    assert!(!run.stderr.contains("error["), "{}", run.stderr);
}
