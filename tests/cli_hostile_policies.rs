// Part of tests/cli.rs (included there: one test binary, snapshots named `cli__…`).
// Hostile policy files (docs/reliability.md): every one ends in a diagnostic with a code, never a crash.

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
