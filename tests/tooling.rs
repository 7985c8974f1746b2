//! The tools of a policy author's first day: `eligo init` end to end, the README's policy on its
//! own, `eligo check --format json`, `eligo schema`, `eligo test` on a test file with `--filter`
//! and patches, the default policies of a project folder, `eligo generate --policies`, and the
//! outputs pasted in `docs/tutorial.md`.

mod common;

use common::{eligo, TempDir};
use serde_json::Value as Json;

/// The starter files `eligo init` writes, as kept in the source.
const STARTER: &[&str] = &[
    "eligo.toml",
    "policy.elg",
    "facts/example.json",
    "policy.test.json",
];

fn starter_text(rel: &str) -> String {
    std::fs::read_to_string(common::repo().join("lang/cli/src/commands/init").join(rel))
        .expect("a starter file")
}

fn init(tmp: &TempDir, dir: &str) -> common::Run {
    eligo(["init", dir]).dir(tmp.path()).run()
}

#[test]
fn init_makes_a_project_that_checks_evaluates_and_tests_clean() {
    let tmp = TempDir::new("init-clean");
    let run = init(&tmp, "my-program");
    run.exits(0);
    for rel in STARTER {
        run.stdout_has(&format!("created my-program/{rel}"));
        let written = std::fs::read_to_string(tmp.path().join("my-program").join(rel))
            .expect("init wrote the file");
        assert_eq!(written, starter_text(rel), "{rel}");
    }
    let project = tmp.path().join("my-program");
    let check = eligo(["check"]).dir(&project).run();
    check
        .exits(0)
        .stderr_has("ok: 1 file(s), 2 rule(s), 0 table(s), 1 outcome(s)");
    let ev = eligo(["eval", "--facts", "facts/example.json"])
        .dir(&project)
        .run();
    ev.exits(0).stdout_has("qualifies  yes");
    assert!(ev.stderr.is_empty(), "warnings: {}", ev.stderr);
    let test = eligo(["test"]).dir(&project).run();
    test.exits(0)
        .stdout_has("rule coverage: 2 of 2 rules exercised")
        .stdout_has("2 passed, 0 failed");
    let json = eligo(["check", "--format", "json"]).dir(&project).run();
    json.exits(0);
    assert_eq!(json.json()["errors"], 0);
    let schema = eligo(["schema"]).dir(&project).run();
    schema.exits(0);
    assert_eq!(schema.json()["$id"], "my-program/1");
}

#[test]
fn init_in_the_current_folder_names_files_without_a_folder() {
    let tmp = TempDir::new("init-here");
    let run = eligo(["init"]).dir(tmp.path()).run();
    run.exits(0)
        .stdout_has("created eligo.toml\n")
        .stdout_has("next: eligo check");
    assert!(tmp.path().join("policy.elg").is_file());
}

#[test]
fn init_never_overwrites_and_writes_nothing_when_a_file_exists() {
    let tmp = TempDir::new("init-refuses");
    init(&tmp, "p").exits(0);
    let policy = tmp.path().join("p/policy.elg");
    std::fs::write(&policy, "# mine\n").expect("write");
    std::fs::remove_file(tmp.path().join("p/policy.test.json")).expect("remove");
    let again = init(&tmp, "p");
    again
        .refused(1, "E0610")
        .stderr_has("`p/policy.elg` exists already");
    assert!(again.stderr.contains("never overwrites"));
    assert_eq!(std::fs::read_to_string(&policy).expect("read"), "# mine\n");
    assert!(
        !tmp.path().join("p/policy.test.json").exists(),
        "init wrote a file although others existed"
    );
}

/// The first ```eligo block of the README.
fn readme_policy() -> String {
    let readme = std::fs::read_to_string(common::repo().join("README.md")).expect("README");
    let start = readme.find("```eligo\n").expect("an eligo block") + "```eligo\n".len();
    let len = readme[start..].find("```").expect("closed");
    readme[start..start + len].to_string()
}

#[test]
fn the_readme_policy_stands_alone() {
    let tmp = TempDir::new("readme");
    let path = tmp.write("policy.elg", readme_policy());
    let p = path.to_str().expect("UTF-8");
    eligo(["check", p])
        .run()
        .exits(0)
        .stderr_has("ok: 1 file(s), 2 rule(s), 0 table(s), 1 outcome(s)");
    eligo(["eval", p, "--facts", "examples/contoso-isv.json"])
        .run()
        .exits(0)
        .stdout_has("top_tier_marketplace");
}

#[test]
fn no_message_names_an_erroneous_value() {
    // The README's policy as it was: it used the standard facts without declaring them.
    let tmp = TempDir::new("cascade");
    let text = readme_policy();
    let body = &text[text.find("/// Transactions").expect("the first rule")..];
    let path = tmp.write("policy.elg", format!("use facts\n\n{body}"));
    let run = eligo(["check", path.to_str().expect("UTF-8")]).run();
    run.exits(1).stderr_has("E0203").stderr_has("E0212");
    assert!(!run.stderr.contains("erroneous"), "{}", run.stderr);
    assert!(!run.stderr.contains("E0305"), "{}", run.stderr);
}

#[test]
fn check_json_gives_every_diagnostic_as_data_on_stdout() {
    let tmp = TempDir::new("check-json");
    let path = tmp.write(
        "policy.elg",
        "facts \"demo\" { sales: Money }\n\nrule big: Bool = sales >= 4_000_000\n\nrule c: Int = nope\n",
    );
    let run = eligo(["check", path.to_str().expect("UTF-8"), "--format", "json"]).run();
    run.exits(1);
    assert!(run.stderr.is_empty(), "stderr: {}", run.stderr);
    let doc = run.json();
    assert_eq!(doc["format"], "eligo.diagnostics/1");
    assert_eq!(
        (doc["errors"].clone(), doc["warnings"].clone()),
        (2.into(), 0.into())
    );
    let first = &doc["diagnostics"][0];
    assert_eq!(first["code"], "E0303");
    assert_eq!(first["severity"], "error");
    assert_eq!(first["message"], "cannot compare `Money` with `Int`");
    assert!(first["help"]
        .as_str()
        .is_some_and(|h| h.contains("USD 10_000")));
    assert_eq!(first["file"], path.to_str().expect("UTF-8"));
    assert_eq!(
        [
            &first["line"],
            &first["column"],
            &first["end_line"],
            &first["end_column"]
        ],
        [
            &Json::from(3),
            &Json::from(18),
            &Json::from(3),
            &Json::from(36)
        ]
    );
    let label = &first["labels"][0];
    assert_eq!(label["primary"], true);
    assert_eq!(
        (label["byte_start"].clone(), label["byte_end"].clone()),
        (48.into(), 66.into())
    );
    assert_eq!(doc["diagnostics"][1]["code"], "E0201");
}

#[test]
fn check_json_lists_warnings_and_fails_on_them_only_when_denied() {
    let file = "tests/diagnostics/cli/warnings.elg";
    let run = eligo(["check", file, "--format", "json"]).run();
    run.exits(0);
    assert!(run.stderr.is_empty(), "stderr: {}", run.stderr);
    let doc = run.json();
    assert_eq!(
        (doc["errors"].clone(), doc["warnings"].clone()),
        (0.into(), 6.into())
    );
    let codes: Vec<&str> = doc["diagnostics"]
        .as_array()
        .expect("a list")
        .iter()
        .map(|d| {
            assert_eq!(d["severity"], "warning", "{d}");
            d["code"].as_str().expect("a code")
        })
        .collect();
    assert_eq!(
        codes,
        ["E0701", "E0702", "E0703", "E0704", "E0705", "E0706"]
    );
    let denied = eligo(["check", file, "--format", "json", "--deny-warnings"]).run();
    denied.exits(1);
    assert_eq!(denied.json(), doc, "the same document, another exit status");
}

#[test]
fn check_json_of_a_missing_file_has_no_position() {
    let run = eligo(["check", "no/such/folder", "--format", "json"]).run();
    run.exits(1);
    let d = &run.json()["diagnostics"][0];
    assert_eq!(d["code"], "E0001");
    assert_eq!(d["line"], Json::Null);
    assert!(d["file"]
        .as_str()
        .is_some_and(|f| f.contains("no/such/folder")));
}

#[test]
fn the_standard_facts_schema_in_docs_is_the_command_s_output() {
    let run = eligo(["schema"]).run();
    run.exits(0);
    let docs = std::fs::read_to_string(common::repo().join("docs/partner-facts.schema.json"))
        .expect("the schema in docs");
    assert_eq!(
        run.stdout, docs,
        "regenerate it: cargo run -- schema > docs/partner-facts.schema.json"
    );
    let schema = run.json();
    assert_eq!(
        schema["properties"]["format"]["const"],
        "eligo.partner-facts/1"
    );
    let solution = &schema["$defs"]["Solution"]["properties"];
    assert_eq!(
        solution["certified_software"]["items"]["$ref"],
        "#/$defs/CertifiedSoftwareAttained"
    );
}

#[test]
fn schema_of_policies_without_facts_is_refused() {
    let tmp = TempDir::new("no-facts");
    let path = tmp.write("policy.elg", "rule one: Int = 1\n\noutcome \"one\" = one\n");
    eligo(["schema", path.to_str().expect("UTF-8")])
        .run()
        .refused(1, "E0405");
}

#[test]
fn test_runs_one_test_file_with_a_filter() {
    let run = eligo([
        "test",
        "tests/policy_tests/passing/tiny.test.json",
        "--filter",
        "a day earlier",
    ])
    .run();
    run.exits(0)
        .stdout_has("test tiny.test.json › the same facts a day earlier: APAC still counts ... ok")
        .stdout_has("1 passed, 0 failed, 2 filtered out");
    assert!(!run.stdout.contains("inline facts"), "{}", run.stdout);
}

#[test]
fn a_test_file_finds_its_policies_above_it() {
    let run = eligo([
        "test",
        "stdlib-policies/tests/designations.test.json",
        "--no-coverage",
    ])
    .run();
    run.exits(0).stdout_has("test designations.test.json › ");
    assert!(!run.stdout.contains("FAILED"), "{}", run.stdout);
}

#[test]
fn a_case_patches_its_base_facts_and_a_missing_id_lists_the_others() {
    let tmp = TempDir::new("patch");
    init(&tmp, "p").exits(0);
    tmp.write(
        "p/more.test.json",
        r#"{"tests": [
          {"name": "no sales", "facts_file": "facts/example.json",
           "patch": {"sales": [], "partner": {"name": null}},
           "expect": {"outcomes": {"qualifies": false}, "rules": {"recent_sales": []}}},
          {"name": "misspelt", "facts_file": "facts/example.json",
           "expect": {"outcomes": {"qualify": true}}}
        ]}"#,
    );
    let run = eligo(["test", "more.test.json"])
        .dir(&tmp.path().join("p"))
        .run();
    run.exits(1)
        .stdout_has("test more.test.json › no sales ... ok (2 checked)")
        .stdout_has(
            "qualify: expected true, got no such outcome; the outcomes, closest first: `qualifies`",
        );
}

#[test]
fn commands_default_to_a_project_folder_else_the_standard_policies() {
    let tmp = TempDir::new("defaults");
    eligo(["check"])
        .dir(tmp.path())
        .run()
        .exits(0)
        .stderr_has("outcome(s)");
    let standard = eligo(["check"]).dir(tmp.path()).run().stderr;
    assert!(!standard.starts_with("ok: 1 file(s)"), "{standard}");
    eligo(["test"])
        .dir(tmp.path())
        .run()
        .refused(2, "no policies to test")
        .stderr_has("eligo init");
    init(&tmp, ".").exits(0);
    eligo(["check"])
        .dir(tmp.path())
        .run()
        .exits(0)
        .stderr_has("ok: 1 file(s)");
}

/// `eligo generate ARGS` then `eligo batch POLICIES --strict` on its output: every line reads.
fn generated_population_reads_strictly(generate: &[&str], policies: Option<&str>) -> String {
    let population = eligo(generate.iter().copied()).run();
    population.exits(0);
    assert_eq!(population.stdout.lines().count(), 60);
    let mut args = vec!["batch"];
    args.extend(policies);
    args.extend(["--population", "-", "--strict"]);
    let bytes = population.stdout.clone().into_bytes();
    let batch = eligo(args).stdin_bytes(bytes).run();
    batch
        .exits(0)
        .stderr_has("batch: 60 partner(s), 0 error(s)");
    population.stdout
}

#[test]
fn generate_for_any_program_writes_facts_its_policies_read_strictly() {
    let tmp = TempDir::new("generate");
    init(&tmp, "p").exits(0);
    let p = tmp.path().join("p");
    let p = p.to_str().expect("UTF-8");
    let args = [
        "generate",
        "--policies",
        p,
        "--partners",
        "60",
        "--seed",
        "7",
    ];
    let out = generated_population_reads_strictly(&args, Some(p));
    let again = eligo(args).run();
    assert_eq!(out, again.stdout, "the same seed gives the same bytes");
    let first: Json = serde_json::from_str(out.lines().next().expect("a line")).expect("JSON");
    assert_eq!(first["format"], "my-program/1");
    assert_eq!(first["as_of"], "2024-08-06");
    let other = eligo([
        "generate",
        "--policies",
        p,
        "--partners",
        "60",
        "--seed",
        "8",
    ])
    .run();
    assert_ne!(out, other.stdout);
    generated_population_reads_strictly(
        &[
            "generate",
            "--policies",
            "tests/policy_tests/passing",
            "--partners",
            "60",
        ],
        Some("tests/policy_tests/passing"),
    );
    let standard = generated_population_reads_strictly(
        &[
            "generate",
            "--policies",
            "stdlib-policies",
            "--partners",
            "60",
        ],
        None,
    );
    assert!(standard.contains("\"solutions\""));
}

/// A program whose facts hold durations: `Days` and `Months`, and a `@signed` one.
const DURATIONS: &str = r#"facts "durations/1" identified by id {
  id: Text,
  days: Days,
  months: Months,
  @signed
  shift: Days,
}

rule long: Bool = days >= 30 days and months >= 2 months and shift >= 0 days

outcome "long" = long
"#;

#[test]
fn generate_and_schema_keep_unsigned_durations_non_negative() {
    let tmp = TempDir::new("generate-durations");
    let policy = tmp.write("durations/policy.elg", DURATIONS);
    let dir = policy.parent().expect("a folder").to_str().expect("UTF-8");
    let schema = eligo(["schema", dir]).run();
    schema.exits(0);
    let props = &schema.json()["properties"];
    assert_eq!(props["days"]["minimum"], 0, "{props}");
    assert_eq!(props["months"]["minimum"], 0, "{props}");
    assert!(props["shift"].get("minimum").is_none(), "{props}");
    let args = [
        "generate",
        "--policies",
        dir,
        "--partners",
        "60",
        "--seed",
        "9",
    ];
    let out = generated_population_reads_strictly(&args, Some(dir));
    assert!(
        out.contains("\"shift\":-"),
        "a @signed duration may be negative"
    );
}

#[test]
fn the_standard_generator_knows_certified_software() {
    let out = generated_population_reads_strictly(&["generate", "--partners", "60"], None);
    assert!(
        out.contains("\"certified_software\":[{\"designation\":"),
        "no solution attained a certified-software designation"
    );
}

#[test]
fn the_outputs_in_docs_tutorial_md_are_real() {
    match common::check_doc_outputs("docs/tutorial.md") {
        Ok(n) => assert!(n >= 15, "only {n} outputs and files checked"),
        Err(problems) => panic!("{}", problems.join("\n\n")),
    }
}

#[test]
fn the_tutorial_s_init_output_is_real() {
    let page = std::fs::read_to_string(common::repo().join("docs/tutorial.md")).expect("page");
    let marker = "<!-- init: eligo init my-program -->\n```text\n";
    let start = page.find(marker).expect("the init block") + marker.len();
    let len = page[start..].find("```").expect("closed");
    let tmp = TempDir::new("tutorial-init");
    let run = init(&tmp, "my-program");
    run.exits(0);
    assert_eq!(run.stdout, &page[start..start + len]);
}

#[test]
fn the_outputs_in_docs_cli_md_are_real() {
    match common::check_doc_outputs("docs/cli.md") {
        Ok(n) => assert!(n >= 2, "only {n} outputs checked"),
        Err(problems) => panic!("{}", problems.join("\n\n")),
    }
}

#[test]
fn docs_cli_md_describes_every_command_and_option() {
    let page = std::fs::read_to_string(common::repo().join("docs/cli.md")).expect("page");
    let help = eligo(["--help"]).run();
    help.exits(0);
    let commands: Vec<&str> = help
        .stdout
        .lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|c| *c != "help")
        .collect();
    assert!(commands.len() >= 10, "{commands:?}");
    for c in commands {
        assert!(
            page.contains(&format!("## `eligo {c}`")),
            "docs/cli.md has no section for `eligo {c}`"
        );
        let sub = eligo(["help", c]).run();
        for option in sub
            .stdout
            .split_whitespace()
            .filter(|w| w.starts_with("--") && *w != "--help")
        {
            // An option named in a help sentence may end in punctuation: `--tree)`, `--out,`.
            let option = option.trim_end_matches(|c: char| !(c.is_alphanumeric() || c == '-'));
            assert!(
                page.contains(option),
                "docs/cli.md does not mention `{option}` of `eligo {c}`"
            );
        }
    }
}
