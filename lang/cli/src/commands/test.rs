//! `eligo test`: the test cases kept next to policies (`*.test.json`), with rule coverage.

use crate::report;

/// `println!` that ends quietly when stdout is closed (`eligo test | head`).
macro_rules! outln {
    ($($t:tt)*) => { crate::report::stdout(&format!("{}\n", format_args!($($t)*))) };
}
use eligo::{
    parse_test_file, read_test_file, Error, ExpectationUpdate, ExplainOptions, Policies, TestCase,
};
use std::collections::BTreeSet;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

/// The suffix of a test file.
const TEST_SUFFIX: &str = ".test.json";

/// The command's arguments.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// A policy folder holding `*.test.json` files, a policy file (its folder's tests), or one
    /// test file (default: the current folder if it holds `eligo.toml`).
    path: Option<PathBuf>,
    /// The policies a test file is run against (default: the nearest folder, from the test
    /// file's up, holding `eligo.toml`, else `.elg` files).
    #[arg(long, value_name = "POLICIES")]
    policies: Option<PathBuf>,
    /// Only the cases whose `FILE › NAME` contains this text.
    #[arg(long, value_name = "PATTERN")]
    filter: Option<String>,
    /// Do not list the rules no test exercised.
    #[arg(long)]
    no_coverage: bool,
    /// Rewrite the failing expectations to the values found, after showing the difference
    /// (for a reviewed change; only the values change in the files).
    #[arg(long)]
    update: bool,
}

/// What to run: the policies, the test files, and the folder their names are shown from.
struct Plan {
    policies: PathBuf,
    files: Vec<PathBuf>,
    shown_from: PathBuf,
}

/// Counts of a run.
#[derive(Default)]
struct Tally {
    passed: usize,
    failed: usize,
    filtered_out: usize,
    covered: BTreeSet<usize>,
    /// With `--update`: expectations rewritten, and failures that could not be (an error).
    updated: usize,
    not_updated: usize,
}

/// Runs the command; returns the exit status.
pub fn run(args: Args) -> u8 {
    let plan = match plan(&args) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let policies = match super::load(Some(&plan.policies)) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let mut tally = Tally::default();
    for file in &plan.files {
        if let Err(code) = run_file(&policies, &plan, file, &args, &mut tally) {
            return code;
        }
    }
    if !args.no_coverage {
        coverage(&policies, &tally.covered);
    }
    let filtered = if args.filter.is_some() {
        format!(", {} filtered out", tally.filtered_out)
    } else {
        String::new()
    };
    outln!(
        "\n{} passed, {} failed{filtered}",
        tally.passed,
        tally.failed
    );
    if args.update {
        outln!(
            "{} expectation(s) updated, {} failure(s) left",
            tally.updated,
            tally.not_updated
        );
        return u8::from(tally.not_updated > 0);
    }
    u8::from(tally.failed > 0)
}

/// The policies and test files an invocation names; reports what cannot be used.
fn plan(args: &Args) -> Result<Plan, u8> {
    let path = match args.path.clone().or_else(super::default_policies) {
        Some(p) => p,
        None => {
            report::failure(&Error::file(
                ".",
                format!(
                    "no policies to test: give a policy folder or a test file, or run in a \
                     folder holding `{}` (`eligo init` makes one)",
                    super::PROJECT_FILE
                ),
            ));
            return Err(2);
        }
    };
    let is_test_file = path.to_string_lossy().ends_with(TEST_SUFFIX);
    if is_test_file {
        let dir = parent(&path);
        let policies = match &args.policies {
            Some(p) => p.clone(),
            None => policies_above(&dir),
        };
        return Ok(Plan {
            policies,
            files: vec![path],
            shown_from: dir,
        });
    }
    let search = if path.is_dir() {
        path.clone()
    } else {
        parent(&path)
    };
    let mut files = Vec::new();
    if let Err(e) = find_tests(&search, &mut files, 0) {
        report::failure(&Error::file(&search.display().to_string(), e.to_string()));
        return Err(1);
    }
    files.sort();
    Ok(Plan {
        policies: args.policies.clone().unwrap_or(path),
        files,
        shown_from: search,
    })
}

/// The folder of a file (`.` for a bare name).
fn parent(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// The policies of a test file in `dir`: the nearest folder from `dir` up holding
/// `eligo.toml`, else the nearest holding `.elg` files, else `dir` (whose error says why).
fn policies_above(dir: &Path) -> PathBuf {
    let chain: Vec<&Path> = dir.ancestors().collect();
    let holds = |d: &Path, test: &dyn Fn(&Path) -> bool| {
        std::fs::read_dir(if d.as_os_str().is_empty() {
            Path::new(".")
        } else {
            d
        })
        .map(|entries| entries.flatten().any(|e| test(&e.path())))
        .unwrap_or(false)
    };
    let project = |p: &Path| p.file_name().is_some_and(|n| n == super::PROJECT_FILE);
    let policy = |p: &Path| p.extension().is_some_and(|e| e == "elg");
    chain
        .iter()
        .find(|d| holds(d, &project))
        .or_else(|| chain.iter().find(|d| holds(d, &policy)))
        .map_or_else(|| dir.to_path_buf(), |d| d.to_path_buf())
}

/// Runs the cases of one test file that the filter keeps; with `--update`, rewrites the file's
/// failing expectations (an error writing it ends the run with its exit status).
fn run_file(
    policies: &Policies,
    plan: &Plan,
    file: &Path,
    args: &Args,
    tally: &mut Tally,
) -> Result<(), u8> {
    let shown = file
        .strip_prefix(&plan.shown_from)
        .unwrap_or(file)
        .display()
        .to_string();
    let read = read_test_file(file, &shown).and_then(|text| {
        let suite = parse_test_file(&shown, &text)?;
        Ok((text, suite))
    });
    let (text, suite) = match read.map_err(|e| message(&e)) {
        Ok(r) => r,
        Err(e) => {
            outln!("test {shown} ... FAILED ({e})");
            tally.failed += 1;
            tally.not_updated += 1;
            return Ok(());
        }
    };
    let dir = parent(file);
    let mut updates = Vec::new();
    for (index, case) in suite.tests.iter().enumerate() {
        let name = format!("{shown} › {}", case.name);
        if args.filter.as_deref().is_some_and(|f| !name.contains(f)) {
            tally.filtered_out += 1;
            continue;
        }
        let update = args.update.then_some((index, &mut updates));
        run_case(policies, &shown, &dir, case, update, tally);
    }
    super::test_update::write(file, &shown, &text, &updates)?;
    tally.updated += updates.len();
    Ok(())
}

/// Runs one case; with `update`, collects the updates that make its failed expectations hold.
fn run_case(
    policies: &Policies,
    shown: &str,
    dir: &Path,
    case: &TestCase,
    update: Option<(usize, &mut Vec<ExpectationUpdate>)>,
    tally: &mut Tally,
) {
    let result = match policies.run_test(case, dir) {
        Ok(r) => r,
        Err(e) => {
            tally.failed += 1;
            tally.not_updated += 1;
            outln!("test {shown} › {} ... FAILED", case.name);
            report::failure(&e);
            return;
        }
    };
    tally.covered.extend(result.rules_run.iter().copied());
    if result.mismatches.is_empty() {
        tally.passed += 1;
        outln!(
            "test {shown} › {} ... ok ({} checked)",
            case.name,
            result.checked
        );
        return;
    }
    tally.failed += 1;
    outln!("test {shown} › {} ... FAILED", case.name);
    if let Some((index, updates)) = update {
        let made: Vec<_> = result
            .mismatches
            .iter()
            .filter_map(|m| ExpectationUpdate::of(index, case, m))
            .collect();
        tally.not_updated += result.mismatches.len() - made.len();
        updates.extend(made);
    }
    let colour = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    for m in &result.mismatches {
        outln!("    {}: expected {}, got {}", m.what, m.expected, m.actual);
        let Some(outcome) = m.outcome.and_then(|i| policies.outcomes().nth(i)) else {
            continue;
        };
        let options = ExplainOptions::new().horizon_days(0);
        let explained =
            policies.explain(&result.facts, &outcome.selection(), result.as_of, &options);
        if let Ok(ex) = explained {
            for line in ex
                .text(colour)
                .lines()
                .filter(|l| !l.trim_start().starts_with("changes by itself"))
            {
                outln!("      {line}");
            }
        }
    }
}

/// `rule coverage: N of M rules exercised`, and the rules no case exercised.
fn coverage(policies: &Policies, covered: &BTreeSet<usize>) {
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
            .is_some_and(|n| n.to_string_lossy().ends_with(TEST_SUFFIX))
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
