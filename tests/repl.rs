//! `eligo repl`: the session (backend) driven directly, input by input, and the built binary
//! driven through piped standard input.
//!
//! The backend lives in the binary crate (`lang/cli/src/repl/`), which has no library target, so
//! this file includes that folder by path. Transcripts are insta snapshots: each input is shown
//! after `> ` (continuation lines after `. `), followed by everything it printed, both streams.
#![forbid(unsafe_code)]

#[allow(dead_code)]
#[path = "../lang/cli/src/repl/mod.rs"]
mod repl;
// What the REPL's printing uses from the binary: its one writer and its diagnostics.
#[allow(dead_code)]
#[path = "../lang/cli/src/output.rs"]
mod output;
#[allow(dead_code)]
#[path = "../lang/cli/src/report.rs"]
mod report;

mod common;

use common::TempDir;
use eligo::{run_on_big_stack, Sources};
use repl::command::{Command, CommandError};
use repl::{is_incomplete, Options, ReplSession};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

// ------------------------------------------------------------------------------------ harness

fn repo() -> PathBuf {
    common::repo()
}

/// A path under the repository, as the tests' working directory (`lang/cli`) sees it.
fn at_repo(rel: &str) -> String {
    format!("../../{rel}")
}

/// `tests/cli/tiny.elg` as the only policy file, module `tiny`.
fn tiny() -> Sources {
    let text = std::fs::read_to_string(repo().join("tests/cli/tiny.elg")).expect("tiny.elg");
    Sources::from_texts([("tiny.elg", text)])
}

/// The standard policies, named as the binary names them (`<stdlib>/…`).
fn stdlib() -> Sources {
    Sources::standard()
}

fn start(builtin: Sources, facts: Option<&str>, as_of: Option<&str>) -> ReplSession {
    let options = Options {
        policies: None,
        builtin,
        facts: facts.map(PathBuf::from),
        as_of: as_of.map(|d| repl::parse_date(d).expect("a date")),
    };
    match ReplSession::start(options) {
        Ok((s, _)) => s,
        Err(out) => panic!("the session does not start:\n{}", out.plain()),
    }
}

/// Feeds inputs to a session and writes what a user would see.
fn transcript(session: &mut ReplSession, inputs: &[&str]) -> String {
    let mut out = String::new();
    for input in inputs {
        for (i, line) in input.split('\n').enumerate() {
            out.push_str(if i == 0 { "> " } else { ". " });
            out.push_str(line);
            out.push('\n');
        }
        let output = session.eval_line(input);
        out.push_str(&output.plain());
        if output.quit {
            out.push_str("(quit)\n");
        }
    }
    out.replace("../../", "")
}

/// Runs a closure on a large stack, as the binary does.
fn big<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    run_on_big_stack(f)
}

/// A fresh folder for a test's files.
fn scratch(name: &str) -> TempDir {
    TempDir::new(&format!("repl-{name}"))
}

// ------------------------------------------------------------------------------- the session

#[test]
fn values_bindings_and_errors_on_a_small_policy() {
    let text = big(|| {
        let mut s = start(tiny(), None, Some("2024-08-06"));
        let facts = format!(":facts {}", at_repo("tests/cli/tiny.json"));
        transcript(
            &mut s,
            &[
                "1 + 2",
                "72.5",
                "USD 4_730 * 2",
                "12.5%",
                "2024-08-06 + 30 days",
                "\"AZ-104\"",
                "[1, 2.5, 4]",
                "{code: \"AZ-104\", passed: true}",
                "Tier.gold",
                "none",
                "count(sales)",
                &facts,
                "count(sales)",
                "recent_total",
                "partner",
                "partner.name otherwise \"?\"",
                "sort(distinct(recent.customer))",
                "let n = count(recent)",
                "recent_total / n",
                "let n = n + 1",
                "n",
                "let big = recent_total >= USD 500",
                "big and tier == Tier.silver",
                "(1 +\n2)",
                "let x = 10;\nx * x",
                "USD 5 + 1",
                "recent_totl",
                "1 +\n",
                "(1 2",
                "\"unclosed",
                "1 / 0",
                "let w = trailing 12 months",
                "let if = 1",
                "# a comment alone prints nothing",
                "1 + # a comment after an operator\n2",
            ],
        )
    });
    insta::assert_snapshot!("session_tiny", text);
}

#[test]
fn commands_on_a_small_policy() {
    let text = big(|| {
        let facts = at_repo("tests/cli/tiny.json");
        let mut s = start(tiny(), Some(&facts), None);
        transcript(
            &mut s,
            &[
                ":facts",
                ":asof",
                ":type recent",
                ":t sales.amount_usd",
                ":t sum(recent.amount_usd) > USD 1",
                ":t nope",
                ":type",
                ":type let x = 1",
                ":explain recent_total",
                ":e qualifies",
                ":e sales.average_usd",
                ":e recent_totl",
                ":rules",
                ":r total",
                ":asof 2025-01-01",
                "recent_total",
                ":a 2025-13-01",
                ":asof",
                ":lod",
                ":frobnicate",
                ":help",
                ":?",
                ":q",
            ],
        )
    });
    insta::assert_snapshot!("session_commands", text);
}

#[test]
fn the_standard_policies() {
    let text = big(|| {
        let facts = at_repo("examples/contoso-isv.json");
        let mut s = start(stdlib(), Some(&facts), None);
        transcript(
            &mut s,
            &[
                "capability_score(security).total",
                "solutions_partner(Area.data_ai)",
                "map(a in Area: capability_score(a).total)",
                "data_ai_score.metrics where it.points > 0",
                "count(people)",
                ":t capability_score",
                ":e capability_score.data_ai",
                ":e solutions_partner",
                ":rules capability_score",
                "solutions_partner",
            ],
        )
    });
    insta::assert_snapshot!("session_stdlib", text);
}

#[test]
fn load_reloads_rechecks_bindings_and_keeps_the_old_policies_on_errors() {
    let dir = scratch("load");
    let policy = dir.path().join("fees.elg");
    let write = |text: &str| std::fs::write(&policy, text).expect("writing a policy");
    write("rule limit: Money = USD 100\nrule other: Int = 1\n");
    let broken = dir.path().join("broken");
    std::fs::create_dir_all(&broken).expect("a folder");
    std::fs::write(broken.join("main.elg"), "rule limit: Money = USD 100 +\n").expect("writing");
    let text = big(|| {
        let mut s = start(tiny(), None, Some("2024-08-06"));
        let mut out = transcript(
            &mut s,
            &[
                &format!(":load {}", policy.display()),
                "let twice = limit * 2",
                "let one = other",
                "twice",
            ],
        );
        // The file changes on disk: `:load` alone reads it again.
        write("rule limit: Money = USD 150\n");
        out.push_str(&transcript(&mut s, &[":load", "twice", "one"]));
        out.push_str(&transcript(
            &mut s,
            &[
                &format!(":l {}", broken.display()),
                "limit",
                &format!(":load {}", dir.path().join("missing.elg").display()),
                &format!(":load {}", at_repo("tests/cli/tiny.elg")),
                "twice",
            ],
        ));
        out.replace(&dir.path().display().to_string(), "SCRATCH")
    });
    insta::assert_snapshot!("session_load", text);
}

#[test]
fn modules_that_cannot_be_used_are_reported_and_aliases_reach_clashing_names() {
    let dir = scratch("modules");
    std::fs::write(dir.path().join("fees.elg"), "rule limit: Money = USD 100\n").expect("writing");
    std::fs::write(dir.path().join("caps.elg"), "rule limit: Money = USD 200\n").expect("writing");
    std::fs::write(dir.path().join("my-policy.elg"), "rule hidden: Int = 1\n").expect("writing");
    let text = big(|| {
        let mut s = start(tiny(), None, None);
        transcript(
            &mut s,
            &[
                &format!(":load {}", dir.path().display()),
                "fees.limit + caps.limit",
                "limit",
                "hidden",
                ":e caps.limit",
            ],
        )
        .replace(&dir.path().display().to_string(), "SCRATCH")
    });
    insta::assert_snapshot!("session_modules", text);
}

#[test]
fn unfinished_inputs_continue() {
    for unfinished in [
        "(1 +",
        "1 +",
        "[1, 2,",
        "{a: 1,",
        "let x = 1;",
        "let x =",
        "let x = (1",
        "if true then 1 else",
        "count(sales where",
        "count(ttm",
        "max(1, 2",
        "sum(recent.amount",
        "[1, 2",
        "1 + # a comment",
        "(1 +\n2",
        // Definitions, as written in policy files.
        "/// A doc comment waits for its rule.",
        "@source(\"faq\")",
        "/// Doc.\n@source(\"faq\")",
        "rule big: Bool =",
        "/// Doc.\nrule big: Bool =",
        "rule two(n: Int): Int = max(n,",
        "rule s: Bool = all {\n  \"a\": true,",
        "# a comment\nrule big: Bool =",
    ] {
        assert!(is_incomplete(unfinished), "{unfinished:?} should go on");
    }
    for finished in [
        "",
        "1 + 2",
        "let x = 1",
        "let x = 1; x",
        "(1 2",
        "\"unclosed",
        ":type (1 +",
        ":help",
        "1 +\n",
        "(1 +\n  \n",
        "letter",
        "# a comment",
        "  # a comment\n# and another",
        "rule big: Bool = true",
        "/// Doc.\n@source(\"faq\")\nrule big: Bool =\n  true",
        "rule big: Bool = 1 2",
        "/// Doc.\n",
        "rulebook",
    ] {
        assert!(!is_incomplete(finished), "{finished:?} should be finished");
    }
}

#[test]
fn commands_parse_with_aliases_and_suggestions() {
    let parse = |s: &str| s.parse::<Command>();
    assert_eq!(parse(":l"), Ok(Command::Load(None)));
    assert_eq!(parse(":load a b"), Ok(Command::Load(Some("a b".into()))));
    assert_eq!(
        parse(":f x.json"),
        Ok(Command::Facts(Some("x.json".into())))
    );
    assert_eq!(
        parse(":a 2024-01-01"),
        Ok(Command::AsOf(Some("2024-01-01".into())))
    );
    assert_eq!(parse(":t 1 + 2"), Ok(Command::Type("1 + 2".into())));
    assert_eq!(parse(":e x"), Ok(Command::Explain("x".into())));
    assert_eq!(parse(":r"), Ok(Command::Rules(None)));
    assert_eq!(parse(":h"), Ok(Command::Help));
    assert_eq!(parse(":?"), Ok(Command::Help));
    assert_eq!(parse(":q"), Ok(Command::Quit));
    assert_eq!(parse(":expl y"), Ok(Command::Explain("y".into())));
    assert_eq!(
        parse(":quti"),
        Err(CommandError::Unknown {
            name: "quti".into(),
            suggestion: Some("quit".into())
        })
    );
    assert_eq!(
        parse(":zzz"),
        Err(CommandError::Unknown {
            name: "zzz".into(),
            suggestion: None
        })
    );
    assert!(matches!(
        parse(":explain"),
        Err(CommandError::MissingArgument { .. })
    ));
}

#[test]
fn tab_completion() {
    big(|| {
        let facts = at_repo("tests/cli/tiny.json");
        let mut s = start(tiny(), Some(&facts), None);
        let _ = s.eval_line("let recent_count = count(recent)");
        let complete = |line: &str| s.complete(line, line.len());
        let strs = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();

        assert_eq!(
            complete(":"),
            (
                0,
                strs(&[
                    ":load", ":facts", ":asof", ":type", ":explain", ":rules", ":with", ":without",
                    ":help", ":quit"
                ])
            )
        );
        assert_eq!(complete(":ex"), (0, strs(&[":explain"])));
        // Names in scope: rules, bindings, fact fields, built-in functions.
        assert_eq!(
            complete("rec"),
            (0, strs(&["recent", "recent_count", "recent_total"]))
        );
        assert_eq!(complete("1 + recent_t"), (4, strs(&["recent_total"])));
        assert_eq!(complete("count(sa"), (6, strs(&["sales"])));
        assert_eq!(complete("su"), (0, strs(&["sum"])));
        // Field paths of the facts, through lists and optionals.
        assert_eq!(complete("partner."), (8, strs(&["id", "name"])));
        assert_eq!(complete("partner.n"), (8, strs(&["name"])));
        assert_eq!(complete("sales.am"), (6, strs(&["amount_usd"])));
        assert_eq!(complete("recent.c"), (7, strs(&["customer"])));
        assert_eq!(complete("Tier."), (5, strs(&["bronze", "gold", "silver"])));
        assert_eq!(complete("partner.id."), (11, Vec::new()));
        // Commands' arguments.
        assert_eq!(complete(":e qual"), (3, strs(&["qualifies"])));
        assert_eq!(
            complete(":explain sales.c"),
            (9, strs(&["sales.count", "sales.customers"]))
        );
        assert_eq!(complete(":t partner.i"), (11, strs(&["id"])));
        // Paths: folders and files of the right kind.
        let cli = at_repo("tests/cli/");
        assert_eq!(
            complete(&format!(":load {cli}ti")),
            (6, vec![format!("{cli}tiny.elg")])
        );
        assert_eq!(
            complete(&format!(":f {cli}ti")),
            (3, vec![format!("{cli}tiny.json")])
        );
        assert_eq!(
            complete(&format!(":load {cli}brok")),
            (
                6,
                vec![format!("{cli}broken-folder/"), format!("{cli}broken.elg")]
            )
        );
        // `it.`: the fields of the elements of the list before `where` or `group by`.
        assert_eq!(
            complete("sales where it."),
            (15, strs(&["amount_usd", "customer", "date"]))
        );
        assert_eq!(
            complete("count(recent where it.cu"),
            (22, strs(&["customer"]))
        );
        assert_eq!(
            complete("count((sales group by it.customer) where it."),
            (44, strs(&["items", "key"]))
        );
        assert_eq!(complete("it."), (3, Vec::new()));
        // Nothing inside text or numbers.
        assert_eq!(complete("\"rec"), (4, Vec::new()));
        assert_eq!(complete("12"), (2, Vec::new()));
    });
}

// -------------------------------------------------------------------------------- the binary

/// Runs `eligo ARGS` in the repository root with a piped standard input; returns a text with the
/// command line, the input, the exit status and both streams.
fn run_piped(args: &[&str], stdin: &str) -> (Option<i32>, String) {
    static RUNS: AtomicUsize = AtomicUsize::new(0);
    let state = TempDir::new(&format!(
        "repl-state-{}",
        RUNS.fetch_add(1, Ordering::SeqCst)
    ));
    let home = state.path().to_string_lossy().into_owned();
    let run = common::eligo(args.iter().copied())
        .env("XDG_STATE_HOME", &home)
        .env("HOME", &home)
        .stdin_bytes(stdin.as_bytes().to_vec())
        .run();
    // Piped input never writes a history.
    assert!(
        std::fs::read_dir(state.path()).map_or(true, |mut d| d.next().is_none()),
        "piped input wrote a file in the state folder"
    );
    let text = format!(
        "$ eligo {}\n--- stdin\n{stdin}--- exit {}\n--- stdout\n{}--- stderr\n{}",
        args.join(" "),
        run.code.map_or("signal".into(), |c| c.to_string()),
        run.stdout,
        run.stderr,
    );
    (run.code, text)
}

#[test]
fn piped_input_one_result_per_line() {
    let (code, text) = run_piped(
        &["repl", "tests/cli/tiny.elg", "--facts", "tests/cli/tiny.json"],
        "count(sales)\nrecent_total\nlet n = count(recent)\nrecent_total / n\n(n +\n1)\n\n:t recent\n:e qualifies\n",
    );
    assert_eq!(code, Some(0));
    insta::assert_snapshot!("piped_clean", text);
}

#[test]
fn piped_input_with_errors_exits_1_and_goes_on() {
    let (code, text) = run_piped(
        &["repl", "tests/cli/tiny.elg", "--as-of", "2024-08-06"],
        "count(sales)\n:facts tests/cli/tiny.json\nUSD 1 + 1\n1 +\n\n:nope\nrecent_total\n:quit\n1 + 1\n",
    );
    assert_eq!(code, Some(1));
    insta::assert_snapshot!("piped_errors", text);
}

#[test]
fn piped_input_on_the_standard_policies() {
    let (code, text) = run_piped(
        &["repl", "--facts", "examples/contoso-isv.json"],
        "capability_score(security).total\nsolutions_partner(data_ai)\n:asof\n",
    );
    assert_eq!(code, Some(0));
    insta::assert_snapshot!("piped_stdlib", text);
}

#[test]
fn unfinished_input_at_the_end_is_evaluated() {
    let (code, text) = run_piped(&["repl", "tests/cli/tiny.elg"], "[1,\n2");
    assert_eq!(code, Some(1));
    insta::assert_snapshot!("piped_unfinished_at_end", text);
}

#[test]
fn start_up_errors() {
    let (code, text) = run_piped(
        &["repl", "tests/cli/tiny.elg", "--as-of", "2024-13-01"],
        "1\n",
    );
    assert_eq!(code, Some(2));
    insta::assert_snapshot!("start_bad_as_of", text);
    // The policies' own errors, as `eligo check` shows them (`tests/cli.rs` pins their text).
    let (code, text) = run_piped(&["repl", "tests/cli/broken.elg"], "1\n");
    assert_eq!(code, Some(1));
    assert!(text.contains("--- stdout\n--- stderr\n"), "{text}");
    assert!(text.contains("╭─[tests/cli/broken.elg:"), "{text}");
    let (code, text) = run_piped(
        &["repl", "tests/cli/tiny.elg", "--facts", "nope.json"],
        "1\n",
    );
    assert_eq!(code, Some(1));
    insta::assert_snapshot!("start_missing_facts", text);
}

#[test]
fn what_if_overrides_re_evaluate_the_rules_that_read_them_until_cleared() {
    big(|| {
        let facts = at_repo("tests/cli/tiny.json");
        let mut s = start(tiny(), Some(&facts), None);
        let text = transcript(
            &mut s,
            &[
                "recent_total",
                ":with sales = []",
                "recent_total",
                ":with tier = Tier.gold",
                ":with",
                "tier",
                ":without sales",
                "recent_total",
                ":without",
                "tier",
                ":with",
                ":with nope = 1",
                ":with tier = 5",
                ":with sales",
                ":without sales",
                ":with tier = bronze",
                "tier",
                ":with tier = platinium",
            ],
        );
        for expected in [
            "with sales = []",
            "outcomes changed:\n  qualifies: yes → no",
            "  sales.count: 4 → 0",
            "USD 0 : Money",
            "with sales = []\nwith tier = gold",
            "gold : Tier",
            "without the override of sales",
            "no overrides: the facts are the file's",
            "silver : Tier",
            "the facts declare no `nope`",
            "tier: expected one of",
            "with the `:with` overrides",
            "`:with sales` needs a value",
            "no override of `sales`",
            // A bare variant of the field's enum, as the facts file writes it.
            "with tier = bronze",
            "bronze : Tier",
            "unknown name `platinium`",
        ] {
            assert!(text.contains(expected), "lacks {expected:?}:\n{text}");
        }
    });
}

/// `:facts` reads the file once: a named pipe, written once, loads and `:with` works on its
/// document (a second reading for `:with` waited for a writer that never came).
#[test]
fn facts_from_a_named_pipe_are_read_once() {
    let tmp = scratch("fifo");
    let fifo = tmp.path().join("facts.json");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        eprintln!("skipped: no mkfifo");
        return;
    }
    let text = std::fs::read(repo().join("tests/cli/tiny.json")).expect("tiny.json");
    let to = fifo.clone();
    // Not joined: one writer, once; a second opening of the pipe would wait for ever.
    std::thread::spawn(move || {
        use std::io::Write;
        if let Ok(mut w) = std::fs::OpenOptions::new().write(true).open(&to) {
            let _ = w.write_all(&text);
        }
    });
    let (done, result) = std::sync::mpsc::channel();
    let path = fifo.to_str().expect("a path").to_string();
    std::thread::spawn(move || {
        let text = big(|| {
            let mut s = start(tiny(), None, Some("2024-08-06"));
            let facts = format!(":facts {path}");
            transcript(&mut s, &[&facts, ":with sales = []", "recent_total"])
        });
        let _ = done.send(text);
    });
    let text = result
        .recv_timeout(std::time::Duration::from_secs(60))
        .expect("`:facts` on a named pipe ends");
    for expected in ["with sales = []", "USD 0 : Money"] {
        assert!(text.contains(expected), "lacks {expected:?}:\n{text}");
    }
}

#[test]
fn rules_typed_at_the_prompt_are_defined_redefined_and_kept_when_wrong() {
    big(|| {
        let facts = at_repo("tests/cli/tiny.json");
        let mut s = start(tiny(), Some(&facts), None);
        let text = transcript(
            &mut s,
            &[
                "rule big: Bool = recent_total >= USD 500",
                "big",
                "rule big: Bool = recent_total >= USD 5_000",
                "big",
                "rule bigger: Bool = big or count(sales) > 3",
                "bigger",
                "rule broken: Int = big",
                "big",
                ":rules big",
                ":load",
                "bigger",
            ],
        );
        for expected in [
            "defined big: Bool",
            "yes : Bool",
            "redefined big: Bool",
            "no : Bool",
            "defined bigger: Bool",
            "E0301",
            "<repl rules>",
            "repl\n  big: Bool",
        ] {
            assert!(text.contains(expected), "lacks {expected:?}:\n{text}");
        }
        assert!(!text.contains("defined broken"), "{text}");
        assert!(text.trim_end().ends_with("yes : Bool"), "{text}");
    });
}

#[test]
fn an_open_bracket_goes_on_on_the_next_line() {
    let (code, text) = run_piped(
        &[
            "repl",
            "tests/cli/tiny.elg",
            "--facts",
            "tests/cli/tiny.json",
        ],
        "count(recent\n)\nmax(1,\n2\n)\n",
    );
    assert_eq!(code, Some(0), "{text}");
    assert!(text.contains("--- stdout\n3 : Int\n2 : Int\n"), "{text}");
}

#[test]
fn a_definition_goes_on_over_lines_with_its_doc_comment_and_citations() {
    let stdin = "/// Sales above the bar.\n\
                 @source(\"faq: the bar\")\n\
                 rule big: Bool =\n  \
                   recent_total >= USD 500\n\
                 big\n\
                 rule at_least(n: Int): Int = max(n,\n  \
                   2)\n\
                 at_least(1)\n\
                 rule both: Bool = all {\n  \
                   \"big\": big,\n  \
                   \"two\": at_least(3) > 2,\n\
                 }\n\
                 both\n\
                 :e big\n";
    let (code, text) = run_piped(
        &[
            "repl",
            "tests/cli/tiny.elg",
            "--facts",
            "tests/cli/tiny.json",
        ],
        stdin,
    );
    assert_eq!(code, Some(0), "{text}");
    let stdout = text.split("--- stdout\n").nth(1).unwrap_or_default();
    assert!(
        stdout.starts_with(
            "defined big: Bool\nyes : Bool\ndefined at_least(n: Int): Int\n2 : Int\n\
             defined both: Bool\nyes : Bool\n"
        ),
        "{text}"
    );
    // The doc comment and the citation belong to the rule.
    assert!(
        stdout.contains("  /// Sales above the bar.\n  @source(\"faq: the bar\")\n"),
        "{text}"
    );
    assert!(text.ends_with("--- stderr\n"), "nothing on stderr:\n{text}");
}

#[test]
fn a_doc_comment_without_its_rule_is_an_error() {
    let (code, text) = run_piped(&["repl", "tests/cli/tiny.elg"], "/// Doc.\n\n1\n");
    assert_eq!(code, Some(1), "{text}");
    assert!(text.contains("--- stdout\n1 : Int\n"), "{text}");
    assert!(
        text.contains("error: a definition at the prompt is a rule: `rule NAME: TYPE = EXPR`"),
        "{text}"
    );
}
