// Part of tests/cli.rs (included there: one test binary, snapshots named `cli__…`).
// `eligo check`: valid policies, every error of a file or folder, paths that are not policies.

#[test]
fn check_standard_policies_folder_is_clean() {
    let run = eligo(["check", "stdlib-policies"]).run();
    run.exits(0);
    assert!(run.stdout.is_empty(), "check prints nothing on stdout");
    assert!(run.stderr.starts_with("ok: "), "{}", run.stderr);
    assert!(run.stderr.contains(" file(s), ") && run.stderr.contains(" outcome(s)"));
}

#[test]
fn check_without_path_uses_the_built_in_standard_policies() {
    let built_in = eligo(["check"]).dir(&std::env::temp_dir()).run();
    built_in.exits(0);
    assert!(built_in.stderr.starts_with("ok: "), "{}", built_in.stderr);
    // The same policies as the folder: the same counts.
    let folder = eligo(["check", "stdlib-policies"]).run();
    assert_eq!(built_in.stderr, folder.stderr);
}

#[test]
fn built_in_standard_policies_are_the_folder_s() {
    // The binary embeds `stdlib-policies/`; `lang/cli/build.rs` makes cargo rebuild it when the
    // folder changes. A stale binary gives other outcomes than the folder for some example.
    let mut examples: Vec<PathBuf> = std::fs::read_dir(repo().join("examples"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    examples.sort();
    assert!(examples.len() >= 10, "only {} examples", examples.len());
    for facts in &examples {
        let facts = facts.strip_prefix(repo()).unwrap().to_str().unwrap();
        let built_in = eligo(["eval", "--facts", facts, "--format", "json"]).run();
        let folder = eligo([
            "eval",
            "stdlib-policies",
            "--facts",
            facts,
            "--format",
            "json",
        ])
        .run();
        built_in.exits(0);
        folder.exits(0);
        assert_eq!(
            built_in.stdout, folder.stdout,
            "{facts}: the built-in policies differ from stdlib-policies/ (a stale build?)"
        );
    }
}

#[test]
fn check_a_valid_policy_file() {
    let run = eligo(["check", "tiny.elg"]).dir(&fixtures()).run();
    run.exits(0);
    assert!(run.stdout.is_empty());
    insta::assert_snapshot!("check_tiny", run.transcript());
}

#[test]
fn check_reports_every_error_of_a_file_in_one_run() {
    let run = eligo(["check", "broken.elg"]).dir(&fixtures()).run();
    run.refused(1, "E0302")
        .stderr_has("E0201")
        .stderr_has("E0212")
        .stderr_has("E0208")
        .stderr_has("unknown name `tiers`")
        .stderr_has("5 errors");
    insta::assert_snapshot!("check_broken_file", run.transcript());
}

#[test]
fn check_reports_errors_of_every_file_of_a_folder() {
    let run = eligo(["check", "broken-folder"]).dir(&fixtures()).run();
    run.refused(1, "E0101")
        .stderr_has("one.elg")
        .stderr_has("nested/two.elg")
        .stderr_has("2 errors");
    insta::assert_snapshot!("check_broken_folder", run.transcript());
}

#[test]
fn check_missing_policy_path() {
    let run = eligo(["check", "no/such/policies"]).run();
    run.refused(1, "E0001").stderr_has("no such file or folder");
    insta::assert_snapshot!("check_missing_path", run.transcript());
}

#[test]
fn check_a_folder_holding_a_symlink_to_itself() {
    // Links to folders are not followed: the file is read once, as one module.
    let tmp = TempDir::new("symlink-self");
    tmp.write("policies/p.elg", "rule a: Int = 1\n");
    std::os::unix::fs::symlink(".", tmp.path().join("policies/self")).unwrap();
    let run = eligo(["check", "policies"]).dir(tmp.path()).run();
    run.exits(0).stderr_has("ok: 1 file(s), 1 rule(s)");
}

#[test]
fn check_a_folder_holding_two_symlinks_to_itself_ends() {
    // Two links to `.` made 2^33 folder reads when links were followed: a hang.
    let tmp = TempDir::new("symlink-twice");
    tmp.write("policies/p.elg", "rule a: Int = 1\n");
    std::os::unix::fs::symlink(".", tmp.path().join("policies/self")).unwrap();
    std::os::unix::fs::symlink(".", tmp.path().join("policies/again")).unwrap();
    std::os::unix::fs::symlink("..", tmp.path().join("policies/up")).unwrap();
    let run = eligo(["check", "policies"])
        .dir(tmp.path())
        .run();
    run.exits(0).stderr_has("ok: 1 file(s), 1 rule(s)");
}

#[test]
fn check_reads_a_symlinked_policy_file() {
    // A link to a file is read like the file.
    let tmp = TempDir::new("symlink-file");
    tmp.write("policies/p.elg", "rule a: Int = 1\n");
    tmp.write("elsewhere/q.elg", "rule b: Int = 2\n");
    std::os::unix::fs::symlink("../elsewhere/q.elg", tmp.path().join("policies/q.elg")).unwrap();
    let run = eligo(["check", "policies"]).dir(tmp.path()).run();
    run.exits(0).stderr_has("ok: 2 file(s), 2 rule(s)");
}

#[test]
fn check_a_folder_nested_too_deep() {
    let tmp = TempDir::new("deep-folders");
    let at = |depth: usize| -> String { (1..=depth).map(|i| format!("d{i}/")).collect::<String>() };
    // 32 nested folders are read; 33 are an error.
    tmp.write(&format!("ok/{}p.elg", at(32)), "rule a: Int = 1\n");
    eligo(["check", "ok"])
        .dir(tmp.path())
        .run()
        .exits(0)
        .stderr_has("ok: 1 file(s), 1 rule(s)");
    tmp.write(&format!("deep/{}p.elg", at(33)), "rule a: Int = 1\n");
    let run = eligo(["check", "deep"]).dir(tmp.path()).run();
    run.refused(1, "E0001")
        .stderr_has("folders nested more than 32 deep");
}

#[test]
fn check_a_policy_file_without_end_is_refused_by_its_size() {
    // `/dev/zero` reports no size: the reading stops one byte past the limit.
    let run = eligo(["check", "/dev/zero"])
        .run();
    run.refused(1, "E0003")
        .stderr_has("more than the limit of 4194304");
}

#[test]
fn check_empty_folder_has_no_policy_files() {
    let tmp = TempDir::new("empty-folder");
    std::fs::create_dir_all(tmp.path().join("policies")).unwrap();
    let run = eligo(["check", "policies"]).dir(tmp.path()).run();
    run.refused(1, "E0002");
    insta::assert_snapshot!("check_empty_folder", run.transcript());
}
