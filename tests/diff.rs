//! `eligo diff` end to end through the binary: two small policy versions written for each test
//! (a threshold raised, an outcome removed and one added, a facts field retyped), the standard
//! policies against an edited copy over a generated population, two dates, git revisions, and
//! the edges: an empty population, malformed lines, a bad `REV:PATH`, `--jobs 1` against
//! `--jobs 2` byte for byte. The harness is `tests/common/`.

mod common;

use common::{eligo, repo, TempDir};
use serde_json::Value as Json;
use std::path::Path;
use std::process::Command;

const BASE: &str = r#"
enum Tier { bronze, silver, gold }
type Partner = { id: Text }
facts "eligo.diff-test/1" identified by partner.id {
  partner: Partner,
  tier: Tier,
  points: Int,
}

rule qualifies: Bool = all {
  "at least 70 points": points >= 70,
  "not bronze": tier != bronze,
}

outcome "qualifies" = qualifies
outcome "bonus" = if qualifies then points * 2 else 0
outcome "tier" = tier
outcome "old.flag" = points > 10
"#;

/// The base with 75 points instead of 70, `old.flag` removed, `new.flag` added, and the tier
/// read as text: a tier the enum refused is now fine, and a tier as a number fails in both.
const HEAD: &str = r#"
type Partner = { id: Text }
facts "eligo.diff-test/1" identified by partner.id {
  partner: Partner,
  tier: Text,
  points: Int,
}

rule qualifies: Bool = all {
  "at least 75 points": points >= 75,
  "not bronze": tier != "bronze",
}

outcome "qualifies" = qualifies
outcome "bonus" = if qualifies then points * 2 else 0
outcome "tier" = tier
outcome "new.flag" = points > 20
"#;

fn partner(id: &str, tier: &str, points: i64) -> String {
    format!(
        "{{\"format\":\"eligo.diff-test/1\",\"partner\":{{\"id\":\"{id}\"}},\"tier\":\"{tier}\",\"points\":{points}}}\n"
    )
}

/// Five partners and two bad lines: `a` loses (72 points), `b` keeps (80), `c` is bronze in
/// both, `d`'s tier `platinum` fails in the base only, line 5 is not JSON, line 6 is empty (an
/// error record: a record follows it; blank lines at the end of a population are nothing), `e`
/// is unchanged (50 points).
fn population() -> String {
    let mut p = String::new();
    p += &partner("a", "gold", 72);
    p += &partner("b", "silver", 80);
    p += &partner("c", "bronze", 90);
    p += &partner("d", "platinum", 90);
    p += "not json\n";
    p += "\n";
    p += &partner("e", "gold", 50);
    p += "\n";
    p
}

/// Both versions and the population in a folder of the test's own.
fn versions(test: &str) -> TempDir {
    let dir = TempDir::new(test);
    dir.write("base/policy.elg", BASE);
    dir.write("head/policy.elg", HEAD);
    dir.write("population.ndjson", population());
    dir
}

fn diff(dir: &Path, args: &[&str]) -> common::Run {
    let mut all = vec!["diff"];
    all.extend_from_slice(args);
    eligo(all).dir(dir).run()
}

#[test]
fn counts_transitions_numeric_changes_ids_in_one_version_and_failures() {
    let dir = versions("counts_transitions_numeric_changes_ids_in_one_version_and_failures");
    let run = diff(
        dir.path(),
        &[
            "base",
            "head",
            "--population",
            "population.ndjson",
            "--as-of",
            "2025-01-22",
            "--format",
            "json",
        ],
    );
    run.exits(1);
    let j: Json = serde_json::from_str(&run.stdout).expect("one JSON object");
    assert_eq!(j["format"], "eligo.diff/1");
    assert_eq!(j["as_of"], "2025-01-22");
    assert_eq!(j["partners"], 7);
    assert_eq!(j["changed_partners"], 1, "{}", run.stdout);
    let outcomes = j["outcomes"].as_object().unwrap();
    assert_eq!(
        outcomes.keys().collect::<Vec<_>>(),
        ["bonus", "qualifies"],
        "unchanged ids are left out"
    );
    assert_eq!(j["outcomes"]["qualifies"]["changed"], 1);
    assert_eq!(j["outcomes"]["qualifies"]["transitions"]["true → false"], 1);
    assert_eq!(
        j["outcomes"]["qualifies"]["examples"],
        serde_json::json!(["a"])
    );
    assert_eq!(j["outcomes"]["bonus"]["transitions"]["-144"], 1);
    assert_eq!(j["outcomes"]["bonus"]["change"]["min"], -144);
    assert_eq!(j["added"], serde_json::json!(["new.flag"]));
    assert_eq!(j["removed"], serde_json::json!(["old.flag"]));
    assert_eq!(j["failed"]["base_only"]["count"], 1);
    let d = &j["failed"]["base_only"]["examples"][0];
    assert_eq!(d["line"], 4);
    assert_eq!(d["partner"], "d");
    assert!(d["base"].as_str().unwrap().starts_with("E04"), "{d}");
    assert_eq!(d["head"], Json::Null);
    assert_eq!(
        j["failed"]["both"]["count"], 2,
        "the bad line and the empty one"
    );
    assert!(j["failed"].get("head_only").is_none());
}

#[test]
fn ndjson_has_one_line_per_changed_or_failed_partner() {
    let dir = versions("ndjson_has_one_line_per_changed_or_failed_partner");
    let run = diff(
        dir.path(),
        &[
            "base",
            "head",
            "--population",
            "population.ndjson",
            "--format",
            "ndjson",
        ],
    );
    run.exits(1).stderr_has(
        "diff: 7 partner(s), 1 changed, 3 failed; added outcomes: new.flag; removed outcomes: old.flag",
    );
    let lines: Vec<Json> = run
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON lines"))
        .collect();
    assert_eq!(lines.len(), 4, "{}", run.stdout);
    assert_eq!(lines[0]["partner"], "a");
    assert_eq!(lines[0]["changes"]["qualifies"]["base"], true);
    assert_eq!(lines[0]["changes"]["qualifies"]["head"], false);
    assert_eq!(lines[0]["changes"]["bonus"]["base"], 144);
    assert_eq!(lines[0]["changes"]["bonus"]["head"], 0);
    assert_eq!(lines[1]["partner"], "d");
    assert!(lines[1]["failed"]["base"].is_string());
    assert_eq!(lines[1]["failed"]["head"], Json::Null);
    assert_eq!(lines[2]["line"], 5);
    assert_eq!(lines[3]["line"], 6);
    assert!(lines[3]["failed"]["head"]
        .as_str()
        .unwrap()
        .contains("empty line"));
}

#[test]
fn explain_names_the_flipped_criterion_with_its_shortfall_before_and_after() {
    let dir = versions("explain_names_the_flipped_criterion_with_its_shortfall_before_and_after");
    let run = diff(
        dir.path(),
        &[
            "base",
            "head",
            "--population",
            "population.ndjson",
            "--outcome",
            "qualifies",
            "--format",
            "ndjson",
            "--explain",
        ],
    );
    let first: Json = serde_json::from_str(run.stdout.lines().next().unwrap()).unwrap();
    let flips = &first["changes"]["qualifies"]["criteria"];
    assert_eq!(flips.as_array().unwrap().len(), 1, "{flips}");
    assert_eq!(flips[0]["rule"], "qualifies");
    assert_eq!(flips[0]["base"]["criterion"], "at least 70 points");
    assert_eq!(flips[0]["base"]["value"], "yes");
    assert_eq!(flips[0]["head"]["criterion"], "at least 75 points");
    assert_eq!(flips[0]["head"]["value"], "no");
    assert_eq!(
        flips[0]["head"]["shortfall"],
        serde_json::json!(["3 more needed: 72 of 75"])
    );
    let text = diff(
        dir.path(),
        &[
            "base",
            "head",
            "--population",
            "population.ndjson",
            "--outcome",
            "qualifies",
            "--explain",
        ],
    );
    let expected = "a (line 1)\n  qualifies: true → false\n    qualifies\n      base: \"at least 70 points\" = yes\n      head: \"at least 75 points\" = no\n        ↳ 3 more needed: 72 of 75\n";
    assert!(text.stdout.starts_with(expected), "{}", text.stdout);
}

#[test]
fn text_fits_eighty_columns_and_says_what_json_says() {
    let dir = versions("text_fits_eighty_columns_and_says_what_json_says");
    let run = diff(
        dir.path(),
        &["base", "head", "--population", "population.ndjson"],
    );
    run.exits(1)
        .stdout_has("7 partner(s): 1 changed, 3 failed")
        .stdout_has("added outcomes: new.flag")
        .stdout_has("removed outcomes: old.flag")
        .stdout_has("failed in the base only: 1")
        .stdout_has("    line 4 (d)");
    for line in run.stdout.lines() {
        assert!(line.chars().count() <= 80, "too wide: {line}");
    }
}

#[test]
fn an_empty_population_compares_nothing_and_succeeds() {
    let dir = versions("an_empty_population_compares_nothing_and_succeeds");
    dir.write("empty.ndjson", "");
    let run = diff(
        dir.path(),
        &[
            "base",
            "head",
            "--population",
            "empty.ndjson",
            "--format",
            "json",
        ],
    );
    run.exits(0);
    let j: Json = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(j["partners"], 0);
    assert_eq!(j["changed_partners"], 0);
    assert_eq!(j["outcomes"], serde_json::json!({}));
}

#[test]
fn one_folder_on_two_dates() {
    let dir = TempDir::new("diff-dates");
    dir.write(
        "p/policy.elg",
        r#"
type Partner = { id: Text }
facts "eligo.diff-test/1" identified by partner.id { partner: Partner, joined: Date }
outcome "member_a_year" = as_of >= joined + 12 months
"#,
    );
    dir.write(
        "pop.ndjson",
        "{\"format\":\"eligo.diff-test/1\",\"partner\":{\"id\":\"x\"},\"joined\":\"2024-01-22\"}\n\
         {\"format\":\"eligo.diff-test/1\",\"partner\":{\"id\":\"y\"},\"joined\":\"2023-01-01\"}\n",
    );
    let run = diff(
        dir.path(),
        &[
            "p",
            "--base-as-of",
            "2025-01-21",
            "--as-of",
            "2025-01-22",
            "--population",
            "pop.ndjson",
            "--format",
            "json",
        ],
    );
    run.exits(0);
    let j: Json = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(j["as_of"], "2025-01-22");
    assert_eq!(j["base_as_of"], "2025-01-21");
    assert_eq!(j["changed_partners"], 1);
    assert_eq!(
        j["outcomes"]["member_a_year"]["transitions"]["false → true"],
        1
    );
    assert_eq!(
        j["outcomes"]["member_a_year"]["examples"],
        serde_json::json!(["x"])
    );
}

#[test]
fn a_head_is_needed_without_base_as_of_and_unknown_outcomes_are_refused() {
    let dir = versions("a_head_is_needed_without_base_as_of_and_unknown_outcomes_are_refused");
    diff(dir.path(), &["base", "--population", "population.ndjson"])
        .exits(2)
        .stderr_has("needs a head version");
    diff(
        dir.path(),
        &[
            "base",
            "head",
            "--population",
            "population.ndjson",
            "--outcome",
            "qualifes",
        ],
    )
    .exits(2)
    .stderr_has("qualifes");
    // An id of one version only is listed, not refused.
    let run = diff(
        dir.path(),
        &[
            "base",
            "head",
            "--population",
            "population.ndjson",
            "--outcome",
            "new",
            "--format",
            "json",
        ],
    );
    let j: Json = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(j["added"], serde_json::json!(["new.flag"]));
    assert_eq!(j["outcomes"], serde_json::json!({}));
}

fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
        .args(args)
        .current_dir(dir)
        .output()
        .expect("git runs");
    assert!(out.status.success(), "git {args:?}: {out:?}");
}

#[test]
fn a_git_revision_is_read_without_checking_it_out() {
    let dir = versions("a_git_revision_is_read_without_checking_it_out");
    dir.write("p/policy.elg", BASE);
    git(dir.path(), &["init", "-q"]);
    git(dir.path(), &["add", "p"]);
    git(dir.path(), &["commit", "-q", "-m", "base"]);
    dir.write("p/policy.elg", HEAD);
    let run = diff(
        dir.path(),
        &[
            "HEAD:p",
            "p",
            "--population",
            "population.ndjson",
            "--format",
            "json",
        ],
    );
    let j: Json = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(j["outcomes"]["qualifies"]["changed"], 1, "{}", run.stdout);
    assert_eq!(j["removed"], serde_json::json!(["old.flag"]));
    // The working tree is untouched.
    let now = std::fs::read_to_string(dir.path().join("p/policy.elg")).unwrap();
    assert_eq!(now, HEAD);
    let bad = diff(
        dir.path(),
        &["HEAD~7:p", "p", "--population", "population.ndjson"],
    );
    bad.exits(1)
        .stderr_has("E0001")
        .stderr_has("cannot read `HEAD~7:p`");
    let missing = diff(
        dir.path(),
        &["HEAD:nowhere", "p", "--population", "population.ndjson"],
    );
    missing.exits(1).stderr_has("cannot read `HEAD:nowhere`");
}

/// The standard policies against a copy that asks 75 points, over a generated population.
fn standard_and_score_75() -> TempDir {
    let dir = TempDir::new("diff-std");
    let std = repo().join("stdlib-policies");
    for entry in walk(&std) {
        let rel = entry
            .strip_prefix(&std)
            .unwrap()
            .to_string_lossy()
            .to_string();
        if rel.ends_with(".elg") {
            let text = std::fs::read_to_string(&entry).unwrap();
            dir.write(&format!("base/{rel}"), &text);
            let edited = text.replace("s.total >= 70", "s.total >= 75");
            dir.write(&format!("head/{rel}"), edited);
        }
    }
    let population = eligo(["generate", "--partners", "150", "--seed", "7"]).run();
    population.exits(0);
    dir.write("population.ndjson", &population.stdout);
    dir
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

#[test]
fn one_job_and_two_give_the_same_bytes() {
    let dir = standard_and_score_75();
    for format in ["text", "json", "ndjson"] {
        let run = |jobs: &str| {
            diff(
                dir.path(),
                &[
                    "base",
                    "head",
                    "--population",
                    "population.ndjson",
                    "--format",
                    format,
                    "--explain",
                    "--jobs",
                    jobs,
                ],
            )
        };
        let (one, two) = (run("1"), run("2"));
        one.exits(0);
        assert!(!one.stdout.is_empty());
        assert_eq!(one.stdout, two.stdout, "--format {format}");
    }
    let j: Json = serde_json::from_str(
        &diff(
            dir.path(),
            &[
                "base",
                "head",
                "--population",
                "population.ndjson",
                "--format",
                "json",
            ],
        )
        .stdout,
    )
    .unwrap();
    assert!(j["changed_partners"].as_u64().unwrap() > 0);
    assert!(j.get("added").is_none() && j.get("removed").is_none());
    for (id, o) in j["outcomes"].as_object().unwrap() {
        assert!(o["changed"].as_u64().unwrap() > 0, "{id}");
    }
}

#[test]
fn a_git_revision_is_read_from_a_subfolder_of_the_repository() {
    let dir = versions("a_git_revision_is_read_from_a_subfolder_of_the_repository");
    dir.write("p/policy.elg", BASE);
    dir.write("docs/readme.md", "a subfolder");
    git(dir.path(), &["init", "-q"]);
    git(dir.path(), &["add", "p", "docs"]);
    git(dir.path(), &["commit", "-q", "-m", "base"]);
    dir.write("p/policy.elg", HEAD);
    let run = eligo([
        "diff",
        "HEAD:p",
        "../p",
        "--population",
        "../population.ndjson",
        "--format",
        "json",
    ])
    .dir(&dir.path().join("docs"))
    .run();
    let j: Json = serde_json::from_str(&run.stdout).unwrap_or_else(|_| panic!("{}", run.stderr));
    assert_eq!(j["outcomes"]["qualifies"]["changed"], 1, "{}", run.stdout);
}

#[cfg(unix)]
#[test]
fn a_link_in_a_git_revision_is_refused_not_read_as_its_target_path() {
    let dir = versions("a_link_in_a_git_revision_is_refused_not_read_as_its_target_path");
    dir.write("p/policy.elg", BASE);
    std::os::unix::fs::symlink("policy.elg", dir.path().join("p/linked.elg")).unwrap();
    git(dir.path(), &["init", "-q"]);
    git(dir.path(), &["add", "p"]);
    git(dir.path(), &["commit", "-q", "-m", "base"]);
    for spec in ["HEAD:p", "HEAD:p/linked.elg"] {
        diff(
            dir.path(),
            &[spec, "head", "--population", "population.ndjson"],
        )
        .exits(1)
        .stderr_has("E0001")
        .stderr_has(&format!("cannot read `{spec}`"))
        .stderr_has(
            "`linked.elg` is a symbolic link, and links are not followed in a git revision",
        );
    }
    // The file it links to is read.
    diff(
        dir.path(),
        &[
            "HEAD:p/policy.elg",
            "head",
            "--population",
            "population.ndjson",
        ],
    )
    .exits(1)
    .stdout_has("1 changed");
}

#[test]
fn an_optional_value_that_becomes_none_is_a_transition_to_none() {
    let dir = TempDir::new("diff-none");
    let policy = |limit: i64| {
        format!(
            r#"
type Partner = {{ id: Text }}
facts "eligo.diff-test/1" identified by partner.id {{ partner: Partner, tier: Text, points: Int }}
outcome "bonus" = if points >= {limit} then points else none
"#
        )
    };
    dir.write("base/policy.elg", policy(70));
    dir.write("head/policy.elg", policy(75));
    dir.write("population.ndjson", partner("a", "gold", 72));
    let args = ["base", "head", "--population", "population.ndjson"];
    let json = diff(dir.path(), &[&args[..], &["--format", "json"]].concat());
    let j: Json = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(
        j["outcomes"]["bonus"]["transitions"],
        serde_json::json!({"72 → none": 1})
    );
    let text = diff(dir.path(), &[&args[..], &["--explain"]].concat());
    text.exits(0)
        .stdout_has("  bonus: 72 → none\n")
        .stdout_has("    72 → none   ");
    // A partner's values stay JSON.
    let nd = diff(dir.path(), &[&args[..], &["--format", "ndjson"]].concat());
    let line: Json = serde_json::from_str(nd.stdout.trim()).unwrap();
    assert_eq!(line["changes"]["bonus"]["head"], Json::Null);
}

#[test]
fn a_long_outcome_id_is_wrapped_not_cut() {
    let dir = versions("a_long_outcome_id_is_wrapped_not_cut");
    let id = "specialization.build_and_modernize_ai_apps_with_microsoft_azure.prerequisites_met";
    let long = |text: &str| text.replace(r#"outcome "qualifies""#, &format!("outcome \"{id}\""));
    dir.write("base/policy.elg", long(BASE));
    dir.write("head/policy.elg", long(HEAD));
    let run = diff(
        dir.path(),
        &[
            "base",
            "head",
            "--population",
            "population.ndjson",
            "--outcome",
            "specialization",
            "--explain",
        ],
    );
    run.exits(1)
        .stdout_has("  specialization.build_and_modernize_ai_apps_with_microsoft_azure.\n    prerequisites_met: true → false\n")
        .stdout_has("specialization.build_and_modernize_ai_apps_with_microsoft_azure.\n  prerequisites_met:\n    1 changed\n");
    assert!(!run.stdout.contains('…'), "{}", run.stdout);
    for line in run.stdout.lines() {
        assert!(line.chars().count() <= 80, "too wide: {line}");
    }
}
