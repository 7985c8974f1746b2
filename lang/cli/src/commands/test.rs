//! `eligo test`: the test cases kept next to policies (`*.test.json`), with rule coverage.

use crate::report;

/// `println!` that ends quietly when stdout is closed (`eligo test | head`).
macro_rules! outln {
    ($($t:tt)*) => { crate::report::stdout(&format!("{}\n", format_args!($($t)*))) };
}
use eligo::{parse_test_file, Error, ExpectationUpdate, ExplainOptions};
use std::collections::BTreeSet;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

/// The command's arguments.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// A policy folder holding `*.test.json` files (default: the current folder).
    policies: Option<PathBuf>,
    /// Do not list the rules no test exercised.
    #[arg(long)]
    no_coverage: bool,
    /// Rewrite the failing expectations to the values found, after showing the difference
    /// (for a reviewed change; only the values change in the files).
    #[arg(long)]
    update: bool,
}

/// Runs the command; returns the exit status.
pub fn run(args: Args) -> u8 {
    let root = args.policies.unwrap_or_else(|| PathBuf::from("."));
    let policies = match super::load(Some(&root)) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let mut files = Vec::new();
    let search = if root.is_dir() {
        root.clone()
    } else {
        match root.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        }
    };
    if let Err(e) = find_tests(&search, &mut files, 0) {
        report::failure(&Error::file(&search.display().to_string(), e.to_string()));
        return 1;
    }
    files.sort();
    let colour = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let (mut passed, mut failed) = (0usize, 0usize);
    // With --update: expectations rewritten, and failures that could not be (an error found).
    let (mut updated, mut not_updated) = (0usize, 0usize);
    let mut covered: BTreeSet<usize> = BTreeSet::new();
    for file in &files {
        let shown = file
            .strip_prefix(&search)
            .unwrap_or(file)
            .display()
            .to_string();
        let suite = match std::fs::read_to_string(file)
            .map_err(|e| e.to_string())
            .and_then(|t| parse_test_file(&shown, &t).map_err(|e| message(&e)))
        {
            Ok(s) => s,
            Err(e) => {
                outln!("test {shown} ... FAILED ({e})");
                failed += 1;
                continue;
            }
        };
        let dir = file.parent().map(Path::to_path_buf).unwrap_or_default();
        let mut updates = Vec::new();
        for (index, case) in suite.tests.iter().enumerate() {
            match policies.run_test(case, &dir) {
                Ok(result) => {
                    covered.extend(result.rules_run.iter().copied());
                    if result.mismatches.is_empty() {
                        passed += 1;
                        outln!(
                            "test {shown} › {} ... ok ({} checked)",
                            case.name,
                            result.checked
                        );
                        continue;
                    }
                    failed += 1;
                    outln!("test {shown} › {} ... FAILED", case.name);
                    if args.update {
                        let found = result.mismatches.iter();
                        let made: Vec<_> = found
                            .filter_map(|m| ExpectationUpdate::of(index, case, m))
                            .collect();
                        not_updated += result.mismatches.len() - made.len();
                        updates.extend(made);
                    }
                    for m in &result.mismatches {
                        outln!("    {}: expected {}, got {}", m.what, m.expected, m.actual);
                        let outcome = m.outcome.and_then(|i| policies.outcomes().nth(i));
                        if let Some(outcome) = outcome {
                            let options = ExplainOptions::new().horizon_days(0);
                            let selection = outcome.selection();
                            let explained =
                                policies.explain(&result.facts, &selection, result.as_of, &options);
                            if let Ok(ex) = explained {
                                let tree = ex.text(colour);
                                for line in tree
                                    .lines()
                                    .filter(|l| !l.trim_start().starts_with("changes by itself"))
                                {
                                    outln!("      {line}");
                                }
                            }
                        }
                    }
                }
                Err(e) => {
                    failed += 1;
                    not_updated += 1;
                    outln!("test {shown} › {} ... FAILED", case.name);
                    report::failure(&e);
                }
            }
        }
        if let Err(code) = super::test_update::write(file, &shown, &updates) {
            return code;
        }
        updated += updates.len();
    }
    if !args.no_coverage {
        let missing: Vec<&str> = policies
            .rules()
            .filter(|r| !covered.contains(&r.id()))
            .map(|r| r.name())
            .collect();
        let all = policies.rules().len();
        outln!(
            "\nrule coverage: {} of {all} rules exercised",
            all - missing.len()
        );
        if !missing.is_empty() {
            outln!("not exercised by any test: {}", missing.join(", "));
        }
    }
    outln!("\n{passed} passed, {failed} failed");
    if args.update {
        outln!("{updated} expectation(s) updated, {not_updated} failure(s) left");
        return u8::from(not_updated > 0);
    }
    u8::from(failed > 0)
}

fn find_tests(dir: &Path, out: &mut Vec<PathBuf>, depth: usize) -> std::io::Result<()> {
    if depth > 32 {
        return Ok(());
    }
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let kind = entry.file_type()?;
        let p = entry.path();
        if kind.is_dir() {
            find_tests(&p, out, depth + 1)?;
        } else if p
            .file_name()
            .is_some_and(|n| n.to_string_lossy().ends_with(".test.json"))
        {
            out.push(p);
        }
    }
    Ok(())
}

/// The message of an error, without its code (the line it is shown on says `FAILED`).
fn message(e: &Error) -> String {
    e.diagnostics()
        .iter()
        .next()
        .map_or_else(String::new, |d| d.message)
}
