// Output faults (issue 17, items 5, 6 and part of 10), included by `tests/cli.rs`: every command's
// result goes through one writer (`lang/cli/src/output.rs`), so a write error is a diagnostic
// (`cannot write …`, E0006) and exit status 1, and a closed pipe ends the command quietly.

/// Every command that writes a result on standard output, with arguments that make it write.
fn writing_commands() -> Vec<Vec<String>> {
    let facts = repo().join("examples/contoso-isv.json").display().to_string();
    let passing = repo().join("tests/policy_tests/passing").display().to_string();
    let population = repo().join("tests/cli/output/population.ndjson").display().to_string();
    let tiny = repo().join("tests/cli/tiny.elg").display().to_string();
    let messy = repo().join("tests/cli/output/messy.elg").display().to_string();
    [
        vec!["eval", "--facts", &facts],
        vec!["eval", "--facts", &facts, "--format", "json"],
        vec!["explain", "--facts", &facts],
        vec!["explain", "--facts", &facts, "--format", "json"],
        vec!["batch", &tiny, "--population", &population],
        vec!["generate", "--partners", "5"],
        vec!["test", &passing],
        vec!["fmt", "--check", &messy],
        vec!["--help"],
        vec!["--version"],
        vec!["eval", "--help"],
    ]
    .into_iter()
    .map(|a| a.into_iter().map(String::from).collect())
    .collect()
}

fn run_to(args: &[String], stdout: std::process::Stdio) -> std::process::Output {
    Command::new(common::BIN)
        .args(args)
        .current_dir(repo())
        .env("RUST_BACKTRACE", "0")
        .stdin(std::process::Stdio::null())
        .stdout(stdout)
        .stderr(std::process::Stdio::piped())
        .output()
        .expect("eligo runs")
}

#[test]
fn a_full_device_is_a_diagnostic_and_exit_1_for_every_command() {
    for args in writing_commands() {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .expect("/dev/full exists on Linux");
        let out = run_to(&args, full.into());
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "eligo {args:?} > /dev/full: {stderr}");
        assert!(
            stderr.contains("cannot write `standard output`: no space left on device")
                && stderr.contains("E0006"),
            "eligo {args:?} > /dev/full: {stderr}"
        );
        assert!(!stderr.contains("panicked"), "eligo {args:?}: {stderr}");
    }
}

#[test]
fn a_closed_pipe_ends_every_command_quietly() {
    for args in writing_commands() {
        let mut child = Command::new(common::BIN)
            .args(&args)
            .current_dir(repo())
            .env("RUST_BACKTRACE", "0")
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("eligo starts");
        // The reader goes away before reading anything, as `| head -0` does.
        drop(child.stdout.take());
        let out = child.wait_with_output().expect("eligo ends");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked"), "eligo {args:?} | (closed): {stderr}");
        assert!(!stderr.contains("E0006"), "eligo {args:?} | (closed): {stderr}");
        // `fmt --check` finds a file to change: its status says so whatever the pipe did.
        let expected = if args[0] == "fmt" { 1 } else { 0 };
        assert_eq!(out.status.code(), Some(expected), "eligo {args:?}: {stderr}");
    }
}

#[test]
fn the_repl_reports_a_full_device() {
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .expect("/dev/full");
    let mut child = Command::new(common::BIN)
        .args(["repl"])
        .current_dir(repo())
        .stdin(std::process::Stdio::piped())
        .stdout(full)
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("eligo repl starts");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(b"1 + 1\n2 + 2\n")
        .expect("written");
    let out = child.wait_with_output().expect("ends");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert_eq!(stderr.matches("E0006").count(), 1, "reported once: {stderr}");
}

#[test]
fn a_repl_line_that_is_not_utf8_is_one_failed_input() {
    let run = eligo(["repl"]).stdin_bytes(b"1 + 1\n\xff\xfe\n2 + 2\n".to_vec()).run();
    run.exits(1);
    assert_eq!(run.stdout.trim(), "2 : Int\n4 : Int", "both valid lines were evaluated");
    run.stderr_has("input line 2 is not valid UTF-8");
}

#[test]
fn batch_refuses_to_write_over_its_population() {
    let dir = TempDir::new("batch-same-file");
    let text = std::fs::read(repo().join("tests/cli/output/population.ndjson")).expect("fixture");
    let pop = dir.write("pop.ndjson", &text);
    let link = dir.path().join("link.ndjson");
    std::os::unix::fs::symlink(&pop, &link).expect("a link");
    for out in [&pop, &link] {
        let run = eligo([
            "batch",
            "tests/cli/tiny.elg",
            "--population",
            pop.to_str().expect("UTF-8"),
            "--out",
            out.to_str().expect("UTF-8"),
        ])
        .run();
        run.exits(1);
        run.stderr_has("it is the population being read");
        assert_eq!(std::fs::read(&pop).expect("still there"), text, "untouched");
    }
}

#[test]
fn out_files_appear_whole_or_not_at_all() {
    let dir = TempDir::new("out-file");
    let out = dir.path().join("partners.ndjson");
    let shown = out.to_str().expect("UTF-8");
    eligo(["generate", "--partners", "3", "--out", shown])
        .run()
        .exits(0);
    let first = std::fs::read_to_string(&out).expect("written");
    assert_eq!(first.lines().count(), 3);
    // Only the file itself: the temporary file was renamed into place.
    let names: Vec<_> = std::fs::read_dir(dir.path()).expect("listed").collect();
    assert_eq!(names.len(), 1, "{names:?}");
    // A run that fails keeps the old contents (here: an output folder that does not exist).
    let missing = dir.path().join("no/such/folder/x.ndjson");
    let run = eligo(["generate", "--partners", "3", "--out", missing.to_str().expect("UTF-8")]).run();
    run.exits(1);
    run.stderr_has("cannot write");
    // `--out -` is standard output, not a file named `-`.
    let run = eligo(["generate", "--partners", "2", "--out", "-"]).dir(dir.path()).run();
    run.exits(0);
    assert_eq!(run.stdout.lines().count(), 2);
    assert!(!dir.path().join("-").exists());
}

#[test]
fn jobs_are_capped() {
    let pop = repo().join("tests/cli/output/population.ndjson");
    let pop = pop.to_str().expect("UTF-8");
    let run = eligo(["batch", "tests/cli/tiny.elg", "--population", pop, "--jobs", "10000"]).run();
    run.exits(2);
    run.stderr_has("10000");
    let run = eligo(["batch", "tests/cli/tiny.elg", "--population", pop, "--jobs", "0"]).run();
    run.exits(2);
}

/// `--out` a device or a pipe writes into it: the rename that makes files appear whole must never
/// replace what is not a regular file (run as root, `--out /dev/null` once turned the device into
/// a file that every later reader of `/dev/null` read). A FIFO stands in for the device here.
#[test]
fn out_to_a_pipe_writes_into_it_and_leaves_it_a_pipe() {
    use std::os::unix::fs::FileTypeExt;
    let dir = TempDir::new("out-fifo");
    let fifo = dir.path().join("fifo");
    let made = Command::new("mkfifo").arg(&fifo).status().expect("mkfifo runs");
    assert!(made.success(), "mkfifo {fifo:?}");
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read_to_string(fifo).expect("the pipe reads"))
    };
    let shown = fifo.to_str().expect("UTF-8");
    eligo(["generate", "--partners", "3", "--out", shown]).run().exits(0);
    // The kind first: had the pipe been replaced, its reader would wait for ever.
    let kind = std::fs::symlink_metadata(&fifo).expect("still there").file_type();
    assert!(kind.is_fifo(), "still a pipe: {kind:?}");
    assert_eq!(reader.join().expect("reader").lines().count(), 3, "read through the pipe");
    let names: Vec<_> = std::fs::read_dir(dir.path()).expect("listed").collect();
    assert_eq!(names.len(), 1, "no temporary file left: {names:?}");
}

/// `--out` a symbolic link replaces the file it points to and keeps the link.
#[test]
fn out_through_a_link_keeps_the_link() {
    let dir = TempDir::new("out-link");
    let file = dir.write("partners.ndjson", b"old\n");
    let link = dir.path().join("link.ndjson");
    std::os::unix::fs::symlink(&file, &link).expect("a link");
    eligo(["generate", "--partners", "2", "--out", link.to_str().expect("UTF-8")])
        .run()
        .exits(0);
    let kind = std::fs::symlink_metadata(&link).expect("there").file_type();
    assert!(kind.is_symlink(), "still a link: {kind:?}");
    let text = std::fs::read_to_string(&file).expect("the target");
    assert_eq!(text.lines().count(), 2, "the target holds the output: {text}");
}
