//! `eligo diff`: the impact of a policy change on a population. Every partner is evaluated by
//! both versions (or on both dates) in one streaming pass, in parallel, in input order; the
//! changes are counted per outcome and written as text, `eligo.diff/1` JSON or NDJSON.

use crate::population::{Population, Workers, MAX_JOBS};
use crate::report;
use eligo::{
    Diff, DiffHeader, DiffOptions, DiffStatus, DiffWorker, EvalOptions, FactsOptions, PartnerDiff,
    Policies,
};
use std::path::{Path, PathBuf};

/// Output formats of `eligo diff`.
#[derive(Clone, Copy, Debug, clap::ValueEnum, PartialEq, Eq)]
pub enum DiffFormat {
    /// A summary for people (80 columns).
    Text,
    /// One `eligo.diff/1` object.
    Json,
    /// One line per changed partner.
    Ndjson,
    /// The impact page: one HTML file that stands alone (as `eligo report` writes).
    Html,
}

/// The command's arguments.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The policies before the change: a file or folder, or `REV:PATH` (a git revision of one,
    /// read from the repository without checking it out).
    base: String,
    /// The policies after the change (same forms); left out with `--base-as-of`: the base.
    head: Option<String>,
    /// The population: one facts document per line (NDJSON), or `-` for standard input.
    #[arg(long)]
    population: PathBuf,
    /// The evaluation date (YYYY-MM-DD); default: each line's `as_of`, else today.
    #[arg(long, value_name = "DATE")]
    as_of: Option<String>,
    /// The base's evaluation date, when it differs from `--as-of` (who changes between them).
    #[arg(long, value_name = "DATE")]
    base_as_of: Option<String>,
    /// Only these outcomes: an id, or a prefix of ids. Repeatable.
    #[arg(long = "outcome", value_name = "ID_OR_PREFIX")]
    outcomes: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
    format: DiffFormat,
    /// Example partners shown per outcome.
    #[arg(long, value_name = "K", default_value_t = 5)]
    examples: usize,
    /// Worker threads, 1 to 256 (default: one per core).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=MAX_JOBS))]
    jobs: Option<u64>,
    /// For each changed partner, the labelled criteria that flipped and their shortfalls.
    #[arg(long)]
    explain: bool,
    /// Treat unknown keys in the facts as errors.
    #[arg(long)]
    strict: bool,
    /// Stop a line's evaluation after this many steps.
    #[arg(long, value_name = "N", default_value_t = EvalOptions::default_max_steps())]
    max_steps: u64,
}

/// Runs the command; returns the exit status: 0, or 1 when a partner failed in either version
/// (after the whole report).
pub fn run(args: Args) -> u8 {
    let date = |d: &Option<String>| d.as_deref().map(eligo::parse_date).transpose();
    let (as_of, base_as_of) = match (date(&args.as_of), date(&args.base_as_of)) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(e), _) | (_, Err(e)) => return report::failure(&e),
    };
    let head_spec = match (&args.head, base_as_of) {
        (Some(h), _) => h.clone(),
        (None, Some(_)) => args.base.clone(),
        (None, None) => {
            eprintln!("error: `eligo diff` needs a head version, or `--base-as-of` to compare the base on two dates");
            return 2;
        }
    };
    let base = match load(&args.base) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let head = if head_spec == args.base {
        base.clone()
    } else {
        match load(&head_spec) {
            Ok(p) => p,
            Err(code) => return code,
        }
    };
    let options = DiffOptions::new()
        .as_of(as_of)
        .base_as_of(base_as_of)
        .facts(FactsOptions::new().strict(args.strict))
        .eval(EvalOptions::new().max_steps(args.max_steps))
        .explain(args.explain);
    let today = chrono::Local::now().date_naive();
    let diff = match Diff::new(&base, &head, &args.outcomes, today, &options) {
        Ok(d) => d,
        Err(e) => return report::failure(&e),
    };
    let header = DiffHeader {
        as_of,
        base_as_of,
        base: &args.base,
        head: &head_spec,
    };
    stream(&args, &diff, &base, &head, &header)
}

/// A version: a path on disk, else `REV:PATH` from git.
fn load(spec: &str) -> Result<Policies, u8> {
    let on_disk = Path::new(spec);
    let loaded = if on_disk.exists() || !spec.contains(':') {
        Policies::load(on_disk)
    } else {
        crate::git::sources(spec).and_then(Policies::compile)
    };
    loaded.map_err(|e| report::failure(&e))
}

fn stream(args: &Args, diff: &Diff, base: &Policies, head: &Policies, header: &DiffHeader) -> u8 {
    let population = match Population::open(&args.population) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let workers = match Workers::start(args.jobs.map(|n| n as usize)) {
        Ok(w) => w,
        Err(code) => return code,
    };
    let copies = workers.copies(base).and_then(|b| {
        if diff.same_policies() {
            Ok((b, None))
        } else {
            workers.copies(head).map(|h| (b, Some(h)))
        }
    });
    let (base_copies, head_copies) = match copies {
        Ok(c) => c,
        Err(code) => return code,
    };
    let mut tally = diff.tally(args.examples);
    let mut explained: Vec<PartnerDiff> = Vec::new();
    let mut out = crate::output::Output::stdout();
    let streamed = population.stream(
        &workers,
        |worker, n, text, state: &mut DiffWorker| {
            let b = base_copies.of(worker);
            let h = head_copies.as_ref().map_or(b, |c| c.of(worker));
            diff.line(b, h, n, text, state)
        },
        |d: PartnerDiff| {
            tally.add(&d);
            let changed = d.status != DiffStatus::Unchanged;
            match args.format {
                DiffFormat::Ndjson => {
                    if let Some(line) = diff.ndjson(&d) {
                        out.line(&line)?;
                    }
                }
                DiffFormat::Text if args.explain && changed => {
                    out.line(&diff.partner_text(&d))?;
                }
                DiffFormat::Json | DiffFormat::Html if args.explain && changed => explained.push(d),
                _ => {}
            }
            Ok(())
        },
    );
    if let Err(code) = streamed {
        return code;
    }
    let summary = match args.format {
        DiffFormat::Json => diff.json(&tally, header, args.explain.then_some(&explained[..])),
        DiffFormat::Text => diff.text(&tally, header),
        DiffFormat::Ndjson => String::new(),
        DiffFormat::Html => {
            let doc = diff.document(&tally, header, args.explain.then_some(&explained[..]));
            let versions = crate::html::impact::Versions {
                base: header.base,
                head: header.head,
            };
            crate::html::impact::report(&doc, &versions)
        }
    };
    if let Err(code) = out.write(&summary).and_then(|()| out.finish()) {
        return code;
    }
    if args.format == DiffFormat::Ndjson {
        eprintln!("{}", counts(diff, &tally));
    }
    u8::from(tally.failed() > 0)
}

/// The line `--format ndjson` ends with on standard error: the counts, and the ids of one
/// version only (no partner's line can tell them).
fn counts(diff: &Diff, tally: &eligo::DiffTally) -> String {
    let mut line = format!(
        "diff: {} partner(s), {} changed, {} failed",
        tally.partners,
        tally.changed_partners,
        tally.failed()
    );
    for (what, ids) in [("added", diff.added()), ("removed", diff.removed())] {
        if !ids.is_empty() {
            line += &format!("; {what} outcomes: {}", ids.join(", "));
        }
    }
    line
}
