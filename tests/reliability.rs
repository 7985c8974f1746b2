//! No input crashes eligo, and no input reaches one of its internal errors (E0900).
//!
//! - Rules with many enum and `Bool` parameters: the memo is laid out by checked multiplication
//!   (`types/memo.rs`); rules too large for the memo vector keep their values in a map, and a rule
//!   whose combinations a 64-bit number cannot count is E0325. Each shape that used to abort,
//!   panic or wrap is evaluated here, and the largest through `eval`, `explain` and `batch`.
//! - `eligo explain` on a `@signed` amount near the decimal range's end: its arithmetic is
//!   checked.
//! - The internal errors: the evaluation corpus, every example partner (at several dates) and the
//!   standard policies' own test facts are evaluated and explained outcome by outcome; none may
//!   end in E0900.

mod common;

use chrono::NaiveDate;
use common::{repo, TempDir};
use eligo::diag::render_plain;
use eligo::driver::{compile_sources, policy_sources, LoadedSources};
use eligo::eval::{Compiled, Evaluation, Limits};
use eligo::explain::{explain, ExplainOptions};
use eligo::facts::{load_facts, LoadOptions};
use eligo::model::{MemoSlots, Value};
use std::path::{Path, PathBuf};

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("a date")
}

fn compile(text: &str) -> Result<Compiled, String> {
    let files = vec![("policy.elg".into(), "policy".into(), text.to_string())];
    compile_sources(LoadedSources { files }).map_err(|f| render_plain(&f.errors, &f.sources))
}

/// Every outcome's value, as `eligo eval` would compute it without facts.
fn outcomes(compiled: &Compiled) -> Vec<Value> {
    let mut ev = Evaluation::new(compiled, &[], date("2024-08-06"), Limits::default());
    (0..compiled.program().outcomes.len())
        .map(|i| ev.outcome(i).unwrap_or_else(|e| panic!("outcome {i}: {e}")))
        .collect()
}

// ------------------------------------------------------------------------------------- memo

/// `enum E { v0, …, v(n-1) }`, a rule `r` with `params` parameters of it that is true for one
/// combination, and outcomes calling it with that combination (twice: the second from the memo)
/// and with another.
fn enum_rule(variants: usize, params: usize) -> String {
    let names: Vec<String> = (0..variants).map(|i| format!("v{i}")).collect();
    let ps: Vec<String> = (0..params).map(|i| format!("p{i}: E")).collect();
    let hit: Vec<String> = (0..params)
        .map(|i| format!("v{}", variants - 1 - i))
        .collect();
    let cond: Vec<String> = hit
        .iter()
        .enumerate()
        .map(|(i, v)| format!("p{i} == {v}"))
        .collect();
    let miss: Vec<String> = (0..params).map(|_| "v0".to_string()).collect();
    format!(
        "enum E {{ {} }}\nrule r({}): Bool = {}\noutcome \"hit\" = r({}) and r({})\noutcome \"miss\" = r({})\n",
        names.join(", "),
        ps.join(", "),
        cond.join(" and "),
        hit.join(", "),
        hit.join(", "),
        miss.join(", ")
    )
}

/// A rule `r` with `params` `Bool` parameters, true when the first and the last are; outcomes
/// call it unless `called` is false.
fn bool_rule(params: usize, called: bool) -> String {
    let ps: Vec<String> = (0..params).map(|i| format!("b{i}: Bool")).collect();
    let mut args = vec!["false"; params];
    args[0] = "true";
    args[params - 1] = "true";
    let body = format!("b0 and b{}", params - 1);
    if called {
        format!(
            "rule r({}): Bool = {body}\noutcome \"hit\" = r({}) and r({})\noutcome \"miss\" = r({})\n",
            ps.join(", "),
            args.join(", "),
            args.join(", "),
            vec!["false"; params].join(", ")
        )
    } else {
        format!(
            "rule r({}): Bool = {body}\noutcome \"hit\" = true\noutcome \"miss\" = false\n",
            ps.join(", ")
        )
    }
}

/// Compiles and evaluates a policy whose rule `r` has a large parameter space: `hit` is true,
/// `miss` false, and the rule's values are kept in the sparse memo, not in the memo vector.
#[track_caller]
fn evaluates_with_a_sparse_memo(text: &str) {
    let compiled = compile(text).unwrap_or_else(|e| panic!("refused:\n{e}"));
    let program = compiled.program();
    let r = program.rule("r").expect("rule r");
    let memo = program.rules[r].memo.as_ref().expect("r is memoized");
    assert_eq!(memo.slots, MemoSlots::Sparse);
    assert!(program.memo_size <= eligo::types::MAX_DENSE_SLOTS);
    let values = outcomes(&compiled);
    assert!(
        matches!(
            (&values[0], &values[1]),
            (Value::Bool(true), Value::Bool(false))
        ),
        "{values:?}"
    );
}

#[test]
fn six_parameters_of_a_200_variant_enum_evaluate() {
    // 200^6 = 6.4e13 combinations: the memo vector would have been 1.5 PB.
    evaluates_with_a_sparse_memo(&enum_rule(200, 6));
}

#[test]
fn eight_parameters_of_a_256_variant_enum_do_not_wrap_to_zero() {
    // 256^8 = 2^64: a 64-bit product wrapped to 0, and indexing the empty memo panicked.
    evaluates_with_a_sparse_memo(&enum_rule(256, 8));
}

#[test]
fn three_parameters_of_a_1000_variant_enum_evaluate() {
    // 10^9 combinations: 24 GB of memo vector with every evaluation.
    evaluates_with_a_sparse_memo(&enum_rule(1000, 3));
}

#[test]
fn sixty_four_bool_parameters_evaluate() {
    // 2^64 combinations: the largest parameter space that is numbered.
    evaluates_with_a_sparse_memo(&bool_rule(64, true));
}

#[test]
fn thirty_three_bool_parameters_never_called_cost_nothing() {
    // 2^33 slots were allocated (206 GB) for every evaluation, called or not.
    let compiled = compile(&bool_rule(33, false)).expect("compiles");
    assert!(compiled.program().memo_size <= eligo::types::MAX_DENSE_SLOTS);
    let values = outcomes(&compiled);
    assert!(matches!(values[0], Value::Bool(true)));
}

#[test]
fn sixty_five_bool_parameters_are_a_diagnostic_naming_the_rule() {
    let err = compile(&bool_rule(65, true)).expect_err("refused");
    assert!(err.contains("E0325"), "{err}");
    assert!(
        err.contains("rule `r` has more than 18446744073709551616 combinations of arguments"),
        "{err}"
    );
}

#[test]
fn small_rules_keep_their_values_in_the_memo_vector() {
    let compiled = compile(&enum_rule(4, 3)).expect("compiles");
    let program = compiled.program();
    let r = program.rule("r").expect("rule r");
    let memo = program.rules[r].memo.as_ref().expect("memoized");
    assert_eq!(memo.slots, MemoSlots::Dense { base: 0, len: 64 });
    assert_eq!(program.memo_size, 64);
}

/// `eligo ARGS`: exit code, stdout, stderr.
fn eligo(args: &[&str]) -> (Option<i32>, String, String) {
    let run = common::eligo(args.iter().copied()).run();
    run.no_crash();
    (run.code, run.stdout, run.stderr)
}

#[test]
fn the_binary_evaluates_explains_and_batches_a_64_bool_rule() {
    let dir = TempDir::new("bools");
    let text = format!(
        "facts \"f\" identified by id {{ id: Text }}\n{}",
        bool_rule(64, true)
    );
    let policy = dir.write("policy.elg", &text);
    let facts = dir.write("facts.json", "{\"format\": \"f\", \"id\": \"p\"}");
    let population = dir.write("population.ndjson", "{\"format\": \"f\", \"id\": \"p\"}\n");
    let (policy, facts, population) = (
        policy.to_str().expect("a path"),
        facts.to_str().expect("a path"),
        population.to_str().expect("a path"),
    );
    let as_of = ["--as-of", "2024-08-06"];
    let (code, out, err) = eligo(&[&["eval", policy, "--facts", facts][..], &as_of].concat());
    assert_eq!(code, Some(0), "{err}");
    assert!(
        out.contains("hit   yes") && out.contains("miss  no"),
        "{out}"
    );
    let (code, out, err) = eligo(&[&["explain", policy, "--facts", facts][..], &as_of].concat());
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains("✓ hit = yes"), "{out}");
    let (code, out, err) =
        eligo(&[&["batch", policy, "--population", population][..], &as_of].concat());
    assert_eq!(code, Some(0), "{err}");
    assert!(
        out.contains("\"hit\":true") && out.contains("\"miss\":false"),
        "{out}"
    );
}

// ---------------------------------------------------------------------------------- explain

#[test]
fn explain_on_an_amount_near_the_decimal_limit_is_no_panic() {
    let dir = TempDir::new("explain-limit");
    let policy = dir.write(
        "policy.elg",
        "facts \"f\" {\n  @signed\n  growth: Money\n}\n\
         outcome \"grows\" = all { \"enough growth\": growth >= USD 100 }\n\
         outcome \"bounded\" = all { \"not too much\": growth <= USD -100 }\n\
         outcome \"score\" = score max 10 { \"growth\": points(growth, 1 per USD 1, max 10) }\n",
    );
    for amount in [
        "-79228162514264337593543950335",
        "79228162514264337593543950335",
    ] {
        let facts = dir.write(
            "facts.json",
            format!("{{\"format\": \"f\", \"growth\": \"{amount}\"}}"),
        );
        let (code, out, err) = eligo(&[
            "explain",
            policy.to_str().expect("a path"),
            "--facts",
            facts.to_str().expect("a path"),
            "--as-of",
            "2024-08-06",
        ]);
        assert_eq!(code, Some(0), "{amount}: {err}");
        assert!(!err.contains("panicked"), "{err}");
        assert!(out.contains("(now USD "), "{amount}: {out}");
    }
}

// ----------------------------------------------------------------------- no internal errors

/// Evaluates and explains every outcome; returns the internal errors met.
fn internal_errors(compiled: &Compiled, facts_text: &str, as_of: Option<NaiveDate>) -> Vec<String> {
    let program = compiled.program();
    let facts = match load_facts(
        program.facts_view(),
        "facts",
        facts_text,
        LoadOptions::default(),
    ) {
        Ok(f) => f,
        Err(e) if e.kind.is_internal() => return vec![e.to_string()],
        Err(_) => return Vec::new(),
    };
    let as_of = as_of.or(facts.as_of).unwrap_or_else(|| date("2024-08-06"));
    let mut found = Vec::new();
    let options = ExplainOptions {
        horizon_days: 40,
        ..ExplainOptions::default()
    };
    for i in 0..program.outcomes.len() {
        let mut ev = Evaluation::new(compiled, facts.fields(), as_of, Limits::default());
        if let Err(e) = ev.outcome(i) {
            if e.kind.is_internal() {
                found.push(format!("{}: {e}", program.outcomes[i].id));
            }
        }
        if let Err(e) = explain(compiled, &facts, as_of, &[i], options) {
            if e.kind.is_internal() {
                found.push(format!("explain {}: {e}", program.outcomes[i].id));
            }
        }
    }
    found
}

fn stdlib() -> Compiled {
    let sources = policy_sources(&repo().join("stdlib-policies")).expect("stdlib-policies");
    compile_sources(sources).unwrap_or_else(|f| panic!("{}", render_plain(&f.errors, &f.sources)))
}

fn json_files(dir: &Path, suffix: &str, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("a readable folder") {
        let p = entry.expect("an entry").path();
        if p.is_dir() {
            json_files(&p, suffix, out);
        } else if p.to_string_lossy().ends_with(suffix) {
            out.push(p);
        }
    }
}

#[test]
fn no_example_partner_reaches_an_internal_error() {
    let compiled = stdlib();
    let mut examples = Vec::new();
    json_files(&repo().join("examples"), ".json", &mut examples);
    assert!(examples.len() >= 10, "only {} examples", examples.len());
    let mut found = Vec::new();
    for path in &examples {
        let text = std::fs::read_to_string(path).expect("an example");
        for d in [None, Some(date("2022-10-01")), Some(date("2025-02-01"))] {
            for e in internal_errors(&compiled, &text, d) {
                found.push(format!("{} ({d:?}): {e}", path.display()));
            }
        }
    }
    assert!(found.is_empty(), "{}", found.join("\n"));
}

#[test]
fn no_test_case_of_the_standard_policies_reaches_an_internal_error() {
    let compiled = stdlib();
    let mut files = Vec::new();
    json_files(&repo().join("stdlib-policies"), ".test.json", &mut files);
    assert!(!files.is_empty(), "no test files in stdlib-policies");
    let mut found = Vec::new();
    let mut cases = 0;
    for path in &files {
        let text = std::fs::read_to_string(path).expect("a test file");
        let suite = eligo::testing::parse_test_file("t", &text).expect("a test file");
        for case in &suite.tests {
            let facts = match (&case.facts, &case.facts_file) {
                (Some(v), _) => v.to_string(),
                (None, Some(f)) => {
                    std::fs::read_to_string(path.parent().expect("a folder").join(f))
                        .expect("a facts file")
                }
                (None, None) => continue,
            };
            let as_of = case.as_of.as_deref().map(date);
            cases += 1;
            for e in internal_errors(&compiled, &facts, as_of) {
                found.push(format!("{} › {}: {e}", path.display(), case.name));
            }
        }
    }
    assert!(cases >= 10, "only {cases} cases");
    assert!(found.is_empty(), "{}", found.join("\n"));
}

#[test]
fn no_case_of_the_evaluation_corpus_reaches_an_internal_error() {
    let dir = repo().join("tests/corpus/eval");
    let mut found = Vec::new();
    let mut cases = 0;
    for entry in std::fs::read_dir(&dir).expect("the corpus") {
        let path = entry.expect("an entry").path();
        let (sources, facts) = if path.is_dir() {
            (path.clone(), path.join("facts.json"))
        } else if path.extension().is_some_and(|e| e == "elg") {
            (path.clone(), path.with_extension("json"))
        } else {
            continue;
        };
        let Ok(loaded) = policy_sources(&sources) else {
            continue;
        };
        let Ok(compiled) = compile_sources(loaded) else {
            continue;
        };
        let text = std::fs::read_to_string(&facts).unwrap_or_else(|_| {
            let format = compiled
                .program()
                .facts
                .as_ref()
                .map_or(String::new(), |s| s.format.clone());
            format!("{{\"format\": {format:?}}}")
        });
        cases += 1;
        for e in internal_errors(&compiled, &text, None) {
            found.push(format!("{}: {e}", path.display()));
        }
    }
    assert!(cases >= 30, "only {cases} cases");
    assert!(found.is_empty(), "{}", found.join("\n"));
}

// ------------------------------------------------------------------------- issue 17

fn fixture(name: &str) -> String {
    repo()
        .join("tests/reliability")
        .join(name)
        .display()
        .to_string()
}

/// Item 4: `months_in` over ±95 million days is refused before anything is built (it built 6.2
/// million months in one step), within the limit it is charged a step per month, and `==` on two
/// lists of 10,000 elements is charged 10,000 steps (it was one).
#[test]
fn the_step_budget_counts_work() {
    let facts = fixture("work-facts.json");
    let huge = common::eligo([
        "eval",
        &fixture("work-months-in-huge-window.elg"),
        "--facts",
        &facts,
    ])
    .run();
    // The window itself leaves eligo's calendar (0000 to 9999, at most 120,000 months) before
    // `months_in` could build too many months.
    huge.exits(1)
        .stderr_has("E0505")
        .stderr_has("dates lie between 0000-01-01 and 9999-12-31");
    for (file, within) in [
        ("work-months-in-charged.elg", "\"months\": 119988"),
        ("work-list-equality.elg", "\"equal\": 20"),
    ] {
        let path = fixture(file);
        let capped =
            common::eligo(["eval", &path, "--facts", &facts, "--max-steps", "100000"]).run();
        capped
            .exits(1)
            .stderr_has("evaluation took more than 100000 steps");
        let full = common::eligo([
            "eval",
            &path,
            "--facts",
            &facts,
            "--format",
            "json",
            "--profile",
        ])
        .run();
        full.exits(0).stdout_has(within);
        let steps: u64 = full
            .stderr
            .lines()
            .find_map(|l| {
                l.strip_prefix("profile: ")?
                    .strip_suffix(" steps in all")?
                    .parse()
                    .ok()
            })
            .expect("a profile line");
        assert!(steps > 100_000, "{file}: {steps} steps");
    }
}

/// Item 2: the reported nesting, `points(1, points(1, … 1 each, max 100) each, max 100)` at 30
/// levels (hours before), and `else if` chains without their `else` nested in conditions, check
/// at once: each level costs the same work (`tests/parse_work.rs` counts it).
#[test]
fn nested_points_and_ifs_parse_in_linear_time() {
    let dir = TempDir::new("nested-points");
    let mut points = "1".to_string();
    for _ in 0..30 {
        points = format!("points(1, {points} each, max 100)");
    }
    let file = dir.write("points.elg", format!("outcome \"o\" = {points}\n"));
    let run = common::eligo(["check", file.to_str().expect("UTF-8")]).run();
    run.exits(0);
    let mut ifs = "1".to_string();
    for _ in 0..40 {
        ifs = format!("if c then 1 else if ({ifs}) then 1");
    }
    let file = dir.write("ifs.elg", format!("outcome \"o\" = {ifs}\n"));
    common::eligo(["check", file.to_str().expect("UTF-8")])
        .run()
        .exits(1)
        .stderr_has("E0101");
}

/// Item 8: facts text reaches the terminal escaped, in `eval` and `explain` alike: no escape
/// sequence, carriage return or bell, and no forged outcome line.
#[test]
fn facts_text_cannot_drive_the_terminal() {
    let facts = fixture("terminal-injection.json");
    let policies = repo().join("tests/cli/tiny.elg").display().to_string();
    for command in ["eval", "explain"] {
        let run = common::eligo([command, &policies, "--facts", &facts]).run();
        run.exits(0);
        for c in ['\u{1b}', '\r', '\u{7}'] {
            assert!(!run.stdout.contains(c), "{command}: {:?}", run.stdout);
        }
        assert!(
            !run.stdout.lines().any(|l| l.starts_with("fake_line")),
            "{command}: {}",
            run.stdout
        );
        run.stdout_has("\\u{1b}[2J");
    }
    // JSON keeps the text exactly (escaped by JSON itself).
    let json = common::eligo(["eval", &policies, "--facts", &facts, "--format", "json"]).run();
    json.exits(0).stdout_has("\\u001b[2J\\r\\nfake_line  yes");
}

/// Item 10: a lone carriage return ends a comment, as editors show it.
#[test]
fn a_lone_carriage_return_ends_a_comment() {
    let compiled = compile("# a comment\routcome \"o\" = 1\r").expect("compiles");
    assert_eq!(outcomes(&compiled), vec![Value::Int(1)]);
}

/// Item 3: types that double with each link of a chain (`group by it`, named records holding the
/// one before twice) are refused once they pass 4096 parts (E0326), once per chain, and a type in
/// a message shows its first 64 parts: the 30-link chain took 52 s to check, and a type error at
/// 20 links was a 44 MB message.
#[test]
fn types_cannot_grow_exponentially() {
    for file in [
        "types-group-by-chain.elg",
        "types-nested-records.elg",
        "types-after-the-limit.elg",
    ] {
        let run = common::eligo(["check", &fixture(file)]).run();
        run.exits(1)
            .stderr_has("E0326")
            .stderr_has("this type has more than 4096 parts");
        assert_eq!(run.stderr.matches("×").count(), 1, "{file}: {}", run.stderr);
        assert!(
            run.stderr.len() < 4096,
            "{file}: {} bytes",
            run.stderr.len()
        );
    }
    let run = common::eligo(["check", &fixture("types-mismatch-group-by-chain.elg")]).run();
    run.exits(1)
        .stderr_has("E0303")
        .stderr_has("cannot compare `[{key: {key: {key: ")
        .stderr_has("…}, …}]` with `Int`");
    assert!(run.stderr.len() < 4096, "{} bytes", run.stderr.len());
}

/// Item 3: under the limit, a chain evaluates and its value prints whole.
#[test]
fn a_group_by_chain_under_the_limit_evaluates() {
    let mut chain = "[1, 2]".to_string();
    for _ in 0..8 {
        chain = format!("({chain} group by it)");
    }
    let compiled = compile(&format!(
        "outcome \"groups\" = count({chain})\noutcome \"first\" = count({chain}.items) == 2\n"
    ))
    .expect("compiles");
    // Outcomes in the order of their ids.
    assert_eq!(outcomes(&compiled), vec![Value::Bool(true), Value::Int(2)]);
}

/// Item 7: diagnostics take work in their number and the file's size, not their product. Each
/// excerpt reads only its lines (`diag::excerpt`'s tests count them), and suggestions share a
/// bound: here 2,000 unknown names among 2,000 rules, each compared with every rule, would be 4
/// million comparisons; every error is shown, the first ones with a suggestion, the rest without.
#[test]
fn many_unknown_names_get_bounded_suggestions() {
    let n = 2_000;
    let text: String = (0..n)
        .map(|i| format!("rule rule_{i}: Int = 1\noutcome \"o{i}\" = rule_{i}x\n"))
        .collect();
    let files = vec![("many.elg".into(), "many".into(), text)];
    let failed = compile_sources(LoadedSources { files }).expect_err("unknown names");
    let shown = render_plain(&failed.errors, &failed.sources);
    assert_eq!(shown.matches("× unknown name `rule_").count(), n);
    let suggested = shown.matches("did you mean `rule_").count();
    assert!(
        suggested > 50 && suggested < n / 4,
        "{suggested} suggestions"
    );
    // The first error has its suggestion, the last has none.
    assert!(shown.contains("unknown name `rule_0x`"));
    let last = shown.rsplit("× unknown name").next().unwrap();
    assert!(!last.contains("did you mean"), "{last}");
    assert!(
        shown.contains("many.elg:4000:"),
        "the last error points at its line"
    );
}

/// Item 10: the documented `else if` figure (language.md §20) through the whole pipeline: a chain
/// of 500 `else if` checks, evaluates, explains and formats (and its formatted text checks);
/// 510 `if`s in one chain are the most, 511 are E0107.
#[test]
fn the_documented_else_if_chain_runs_through_the_pipeline() {
    let dir = TempDir::new("else-if");
    let chain = |ifs: usize| {
        let arms: String = (1..ifs)
            .map(|i| format!("else if c == {i} then {i} "))
            .collect();
        format!(
            "facts \"eligo.work-test/1\" {{}}\nrule c: Int = {}\noutcome \"o\" = if c == 0 then 0 {arms}else {ifs}\n",
            ifs - 1
        )
    };
    let facts = fixture("work-facts.json");
    for ifs in [501, 510] {
        let file = dir.write("chain.elg", chain(ifs));
        let path = file.to_str().expect("UTF-8");
        common::eligo(["check", path]).run().exits(0);
        common::eligo(["eval", path, "--facts", &facts])
            .run()
            .exits(0)
            .stdout_has(&format!("o  {}", ifs - 1));
        common::eligo(["explain", path, "--facts", &facts])
            .run()
            .exits(0)
            .stdout_has(&format!("o = {}", ifs - 1));
        common::eligo(["fmt", path]).run().exits(0);
        common::eligo(["check", path]).run().exits(0);
    }
    let file = dir.write("chain.elg", chain(511));
    common::eligo(["check", file.to_str().expect("UTF-8")])
        .run()
        .exits(1)
        .stderr_has("E0107")
        .stderr_has("nesting deeper than 512 levels");
}

/// Issue 17, item 4: values that double at each step stop at the cap of a value's size
/// (`E0506`) instead of exhausting memory: a list holding the one before twice (2^31 elements
/// at 30 steps, shared in memory but not in what is printed, compared or hashed) and a text joined
/// with itself (8 GiB at 30 steps).
#[test]
fn values_cannot_grow_exponentially() {
    let facts = fixture("work-facts.json");
    let list = common::eligo([
        "eval",
        &fixture("work-list-doubling.elg"),
        "--facts",
        &facts,
    ])
    .run();
    list.exits(1)
        .stderr_has("E0506")
        .stderr_has("a list would hold more than the limit of 16000000 elements");
    let text = common::eligo([
        "eval",
        &fixture("work-text-doubling.elg"),
        "--facts",
        &facts,
    ])
    .run();
    text.exits(1)
        .stderr_has("E0506")
        .stderr_has(
            "a text joined by `+` would hold 33554432 bytes, more than the limit of 16777216",
        )
        .stderr_has("work-text-doubling.elg:26:18");
}

/// Issue 17, item 4: `sort`, `distinct` and `group by` are charged the elements they compare and
/// hash: each outcome of the fixture is over a budget of 1,000,000 steps, and evaluates within
/// the default budget.
#[test]
fn sorting_and_hashing_are_charged_their_work() {
    let facts = fixture("work-facts.json");
    let path = fixture("work-sort-distinct-group.elg");
    for (outcome, value) in [("sorted", "105600"), ("distinct", "1"), ("grouped", "1")] {
        let capped = common::eligo([
            "eval",
            &path,
            "--facts",
            &facts,
            "--outcome",
            outcome,
            "--max-steps",
            "1000000",
        ])
        .run();
        capped
            .exits(1)
            .stderr_has("evaluation took more than 1000000 steps");
        let full = common::eligo(["eval", &path, "--facts", &facts, "--outcome", outcome]).run();
        full.exits(0).stdout_has(&format!("{outcome}  {value}"));
    }
}

/// Issue 17, item 9: `x * p%` is exact wherever `x / k` is, a sum that does not fit is the nearest
/// decimal (not one 0.45 away), and what fits nowhere is an overflow.
#[test]
fn percentages_and_sums_are_exact_or_nearest() {
    let facts = fixture("work-facts.json");
    let path = fixture("numbers-percent-and-sums.elg");
    let run = |outcome: &str| {
        common::eligo(["eval", &path, "--facts", &facts, "--outcome", outcome]).run()
    };
    for (outcome, want) in [
        (
            "percent",
            "percent  USD 5,000,000,000,000,000,000,000,000,000",
        ),
        (
            "divided",
            "divided  USD 5,000,000,000,000,000,000,000,000,000",
        ),
        ("sum", "sum  7922816251426433759354395033.5"),
        ("difference", "difference  7922816251426433759354395033.4"),
    ] {
        run(outcome).exits(0).stdout_has(want);
    }
    run("too_large").exits(1).stderr_has("E0501");
}

/// Issue 17, item 9: every date an evaluation computes lies in 0000-01-01 to 9999-12-31 and is
/// written `YYYY-MM-DD`, as facts are read; one past either end is `E0505`.
#[test]
fn computed_dates_stay_in_the_calendar_facts_can_hold() {
    let facts = fixture("work-facts.json");
    let path = fixture("dates-calendar-edge.elg");
    let run = |outcome: &str| {
        common::eligo(["eval", &path, "--facts", &facts, "--outcome", outcome]).run()
    };
    run("last").exits(0).stdout_has("last  9999-12-31");
    run("first").exits(0).stdout_has("first  0000-01-01");
    for outcome in ["after", "before", "next_month"] {
        run(outcome)
            .exits(1)
            .stderr_has("E0505")
            .stderr_has("dates lie between 0000-01-01 and 9999-12-31");
    }
}

/// Issue 17, item 9: facts numbers are read by their value, negative durations need `@signed`,
/// and serde_json's private spelling of a number is no way around JSON's own numbers.
#[test]
fn facts_numbers_are_read_by_their_value() {
    let tmp = common::TempDir::new("facts-numbers");
    let policy = fixture("facts-numbers.elg");
    let eval = |facts: &str| {
        let path = tmp.write(
            "facts.json",
            format!("{{\"format\": \"eligo.facts-numbers/1\", {facts}}}"),
        );
        common::eligo([
            "eval",
            &policy,
            "--facts",
            &path.display().to_string(),
            "--format",
            "json",
        ])
        .run()
    };
    let read = eval(
        r#""rate": 1.00000000000000000000000000000, "amount": 100000000000000000000000000000e-1,
           "wait": 3, "shift": -2"#,
    );
    let json = read.exits(0).json();
    assert_eq!(json["outcomes"]["rate"].to_string(), "1");
    assert_eq!(
        json["outcomes"]["amount"].to_string(),
        "10000000000000000000000000000"
    );
    assert_eq!(json["outcomes"]["shift"], -2);
    let zero = eval(r#""rate": 0e999999999999"#);
    assert_eq!(zero.exits(0).json()["outcomes"]["rate"], 0);
    eval(r#""wait": -3"#)
        .exits(1)
        .stderr_has("E0402")
        .stderr_has("negative duration `-3`");
    eval(r#""term": -1"#)
        .exits(1)
        .stderr_has("negative duration `-1`");
    eval(r#""amount": {"$serde_json::private::Number": "1_000.5"}"#)
        .exits(1)
        .stderr_has("E0402");
}
