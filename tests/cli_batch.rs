// Part of tests/cli.rs (included there: one test binary, snapshots named `cli__…`).
// `eligo batch` and `eligo generate`: one line out per line in, in order; the same outcomes as `eligo eval`.

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

#[test]
fn batch_counts_enums_and_numbers_and_a_trailing_blank_line_is_no_record() {
    let input = "{\"format\":\"eligo.cli-test/1\",\"partner\":{\"id\":\"a\"},\"tier\":\"gold\"}\n\
                 {\"format\":\"eligo.cli-test/1\",\"partner\":{\"id\":\"b\"},\"tier\":\"gold\"}\n\
                 {\"format\":\"eligo.cli-test/1\",\"partner\":{\"id\":\"c\"},\"tier\":\"bronze\"}\n\
                 \n   \n";
    let run = eligo(["batch", "tiny.elg", "--population", "-", "--as-of", "2024-08-06"])
        .dir(&fixtures())
        .stdin_bytes(input.as_bytes().to_vec())
        .run();
    run.exits(0).stderr_has("batch: 3 partner(s), 0 error(s)");
    assert_eq!(run.stdout.lines().count(), 3, "{}", run.stdout);
    let tier = run
        .stderr
        .lines()
        .find(|l| l.trim_start().starts_with("tier "))
        .unwrap_or_else(|| panic!("no tier line:\n{}", run.stderr));
    assert!(tier.ends_with("gold 2, bronze 1"), "{tier}");
    assert!(
        run.stderr.lines().any(|l| l.contains(" min ") && l.contains(" max ")),
        "no number summary:\n{}",
        run.stderr
    );
}

/// Issue 17, item 10: a line that is not UTF-8 gets the error of a facts file that is not UTF-8
/// (`E0401 … not UTF-8 (at byte N)`), not a JSON syntax error about the reader's own marker; a
/// byte order mark before the first line is skipped, as `eval` skips one before its facts.
#[test]
fn batch_lines_that_cannot_be_read_get_their_own_messages() {
    let good = "{\"format\":\"eligo.cli-test/1\",\"partner\":{\"id\":\"a\"},\"tier\":\"gold\"}";
    let mut input = Vec::new();
    input.extend_from_slice("\u{feff}".as_bytes());
    input.extend_from_slice(good.as_bytes());
    input.extend_from_slice(b"\n{\"format\":\"eligo.cli-test/1\",\"tier\":\"\xff\"}\n");
    input.extend_from_slice(good.as_bytes());
    input.push(b'\n');
    let run = eligo([
        "batch",
        "tiny.elg",
        "--population",
        "-",
        "--as-of",
        "2024-08-06",
        "--outcome",
        "tier",
    ])
    .dir(&fixtures())
    .stdin_bytes(input)
    .run();
    run.exits(1).stderr_has("batch: 3 partner(s), 1 error(s)");
    let lines: Vec<Json> = run
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("every output line is JSON"))
        .collect();
    assert_eq!(lines[0]["outcomes"]["tier"], "gold", "the BOM is skipped");
    assert_eq!(lines[1]["line"], 2);
    assert_eq!(
        lines[1]["error"],
        "E0401: facts are not valid JSON: not UTF-8 (at byte 37)"
    );
    assert_eq!(lines[2]["outcomes"]["tier"], "gold");
}
