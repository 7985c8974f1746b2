// Part of tests/cli.rs (included there: one test binary, snapshots named `cli__…`).
// `eligo eval`: text and JSON outputs, outcome selection, dates, facts files and their errors, exit statuses, `--profile`; a small stable policy set.

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

/// A program in euros (`@currency("EUR")` on its facts declaration): amounts are written, printed,
/// explained and formatted in EUR; the JSON values stay plain numbers.
#[test]
fn a_program_in_euros_speaks_euros() {
    let tmp = TempDir::new("euros");
    let policy = "@currency(\"EUR\")\n\
                  facts \"demo\" identified by id { id: Text, sales: Money }\n\
                  \n\
                  table fees(level: Text, fee: Money) key level = [\n\
                  \x20 (\"base\", EUR 1_000),\n\
                  ]\n\
                  \n\
                  rule big: Bool = sales >= EUR 4_000_000\n\
                  \n\
                  outcome \"big\" = big\n\
                  outcome \"fee\" = fees[\"base\"].fee otherwise EUR 0\n";
    tmp.write("euros.elg", policy);
    tmp.write(
        "p.json",
        r#"{"format": "demo", "as_of": "2024-01-01", "id": "p", "sales": 3000000}"#,
    );
    let eval = eligo(["eval", "euros.elg", "--facts", "p.json"])
        .dir(tmp.path())
        .run();
    eval.exits(0).says("fee  EUR 1,000");
    let json = eligo(["eval", "euros.elg", "--facts", "p.json", "--format", "json"])
        .dir(tmp.path())
        .run();
    assert_eq!(json.exits(0).json()["outcomes"]["fee"], 1000);
    let explain = eligo(["explain", "--tree", "euros.elg", "--facts", "p.json", "--outcome", "big"])
        .dir(tmp.path())
        .run();
    explain
        .exits(0)
        .says("↳ EUR 1,000,000.00 short of EUR 4,000,000.00 (now EUR 3,000,000.00)");
    assert!(!explain.stdout.contains("USD"), "{}", explain.stdout);
    let fmt = eligo(["fmt", "--check", "euros.elg"]).dir(tmp.path()).run();
    fmt.exits(0);
    // The same amounts in a program without `@currency` (USD) are refused, once each.
    tmp.write("usd.elg", policy.replace("@currency(\"EUR\")\n", ""));
    let check = eligo(["check", "usd.elg"]).dir(tmp.path()).run();
    check.exits(1);
    assert_eq!(check.stderr.matches("E0327").count(), 3, "{}", check.stderr);
}

/// Issue 17, item 10: a document of many unknown keys gives the first hundred as warnings and
/// counts the others (a million gave 53 MB of warnings).
#[test]
fn many_unknown_keys_are_summarised() {
    let tmp = TempDir::new("many-unknown-keys");
    tmp.write(
        "facts.json",
        contoso_with(|o| {
            for i in 0..5000 {
                o.insert(format!("extra_{i}"), serde_json::json!(i));
            }
        }),
    );
    let run = eligo(["eval", "--facts", "facts.json", "--format", "json"])
        .dir(tmp.path())
        .run();
    run.exits(0)
        .stderr_has("and 4900 more unknown keys ignored");
    let warnings = run.stderr.matches("unknown key ignored").count();
    assert_eq!(warnings, 100, "{}", run.stderr);
}
