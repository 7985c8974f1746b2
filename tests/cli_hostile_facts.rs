// Part of tests/cli.rs (included there: one test binary, snapshots named `cli__…`).
// Hostile facts files (docs/reliability.md): every one ends in a diagnostic with a code, never a crash.

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

/// Texts with no digit, or a second sign, were read as USD 0 (and `--5` as 5): a silent wrong
/// answer. Each is refused at its JSON path.
#[test]
fn hostile_facts_amounts_without_digits_are_refused() {
    for amount in ["", "-", ".", "-.", "--5", "+5", "1.2.3"] {
        let text = facts_with(&format!(
            "\"metrics\": {{\"azure\": {{\"qualifying_acr_usd\": \"{amount}\"}}}}"
        ));
        let run = eval_bytes("no-digits", "facts.json", &text, &[]);
        run.refused(1, "E0402")
            .stderr_has("metrics.azure.qualifying_acr_usd");
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
    // The whole size, which only the file's metadata can tell: a reading stops one byte past the
    // limit and names no size, so the refusal came before any reading.
    run.stderr_has(
        "huge.json: the facts are 1073741824 bytes, larger than the limit of 67108864 bytes",
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
