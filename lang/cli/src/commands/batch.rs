//! `eligo batch`: a population in, outcomes out, streaming in bounded chunks, in parallel, in
//! input order. Every input line yields exactly one output line.

use crate::counts::{Kind, Tally};
use crate::population::{Copies, Population, Workers, MAX_JOBS};
use crate::report;
use eligo::{Batch, Error, EvalOptions, FactsOptions, LineOutput, Worker};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// The command's arguments.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// A policy file or folder (default: the current folder if it holds `eligo.toml`, else the
    /// built-in standard policies).
    policies: Option<PathBuf>,
    /// The population: one facts document per line (NDJSON), `-` for standard input, or a
    /// `.parquet` file whose `facts` column holds JSON text or nested structs.
    #[arg(long)]
    population: PathBuf,
    /// The output: NDJSON lines, or a Parquet file of typed columns (needs `--out`; the default
    /// when `--out` ends in `.parquet`).
    #[arg(long, value_enum)]
    format: Option<OutFormat>,
    /// The evaluation date (YYYY-MM-DD); default: each line's `as_of`, else today.
    #[arg(long, value_name = "DATE")]
    as_of: Option<String>,
    /// Only these outcomes: an id, or a prefix of ids. Repeatable.
    #[arg(long = "outcome", value_name = "ID_OR_PREFIX")]
    outcomes: Vec<String>,
    /// Write the outcomes here instead of standard output.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// Worker threads, 1 to 256 (default: one per core).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=MAX_JOBS))]
    jobs: Option<u64>,
    /// Treat unknown keys in the facts as errors.
    #[arg(long)]
    strict: bool,
    /// Stop a line's evaluation after this many steps.
    #[arg(long, value_name = "N", default_value_t = EvalOptions::default_max_steps())]
    max_steps: u64,
}

/// The output formats of `batch`.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutFormat {
    /// One `eligo.outcomes/1` line (or error line) per partner.
    Ndjson,
    /// One row per partner: partner, as_of, one typed column per outcome, error.
    Parquet,
}

/// Runs the command; returns the exit status.
pub fn run(args: Args) -> u8 {
    let start = match super::Start::new(
        args.policies.as_deref(),
        args.as_of.as_deref(),
        &args.outcomes,
    ) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let policies = &start.policies;
    let population = match Population::open(&args.population) {
        Ok(p) => p,
        Err(code) => return code,
    };
    if let Some(out) = args.out.as_deref() {
        if args.population.as_os_str() != "-" && same_file(out, &args.population) {
            let why = "it is the population being read; choose another file";
            return report::failure(&Error::write(&out.display().to_string(), why));
        }
    }
    let parquet = match args.format {
        Some(f) => f == OutFormat::Parquet,
        None => args.out.as_deref().is_some_and(crate::parquet::is_parquet),
    };
    if parquet {
        return run_parquet(&args, &start, population);
    }
    let mut writer = match crate::output::Output::to(args.out.as_deref()) {
        Ok(w) => w,
        Err(code) => return code,
    };
    let (workers, copies, batch) = match setup(&args, &start) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let started = Instant::now();
    let mut partners: u64 = 0;
    let mut errors: u64 = 0;
    let mut tally = Tally::new(policies.selected(&start.selection), false);
    let streamed = population.stream(
        &workers,
        |worker, n, text, state: &mut Worker| batch.line(copies.of(worker), n, text, state),
        |o: LineOutput| {
            partners += 1;
            if o.failed {
                errors += 1;
            }
            tally.add_line(&o.json);
            writer.line(&o.json)
        },
    );
    if let Err(code) = streamed {
        return code;
    }
    if let Err(code) = writer.finish() {
        return code;
    }
    eprintln!("{}", rate(partners, errors, started, workers.jobs));
    for c in tally.columns.iter().filter(|c| c.kind != Kind::Other) {
        eprintln!("  {:<60} {}", c.id, c.summary());
    }
    u8::from(errors > 0)
}

/// `batch` writing Parquet: the same evaluation, rows gathered a chunk at a time (eligo-arrow).
fn run_parquet(args: &Args, start: &super::Start, population: Population) -> u8 {
    let policies = &start.policies;
    let Some(out) = args.out.as_deref().filter(|p| p.as_os_str() != "-") else {
        let why = "Parquet output needs a file: add `--out FILE.parquet`";
        return report::failure(&Error::write("standard output", why));
    };
    let shown = out.display().to_string();
    let mut rows = eligo_arrow::Rows::new(policies, &start.selection);
    let mut writer = match crate::parquet::ParquetOut::create(out, rows.schema()) {
        Ok(w) => w,
        Err(why) => return report::failure(&Error::write(&shown, why)),
    };
    let (workers, copies, batch) = match setup(args, start) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let started = Instant::now();
    let mut partners: u64 = 0;
    let mut errors: u64 = 0;
    let mut failure: Option<String> = None;
    let streamed = population.stream(
        &workers,
        |worker, n, text, state: &mut Worker| batch.values(copies.of(worker), n, text, state),
        |row| {
            partners += 1;
            errors += u64::from(row.is_err());
            rows.push(row);
            if rows.len() >= crate::population::CHUNK_LINES {
                let written = rows.finish().map_err(|e| e.to_string());
                if let Err(e) = written.and_then(|b| writer.write(&b)) {
                    failure = Some(e);
                    return Err(1);
                }
            }
            Ok(())
        },
    );
    let last = rows.finish().map_err(|e| e.to_string());
    let done = match (streamed, failure) {
        (Err(code), None) => Err(code),
        (_, Some(why)) => Err(report::failure(&Error::write(&shown, why))),
        (Ok(_), None) => last
            .and_then(|b| writer.write(&b))
            .map_err(|why| report::failure(&Error::write(&shown, why))),
    };
    if let Err(code) = done {
        writer.abandon();
        return code;
    }
    if let Err(why) = writer.finish() {
        return report::failure(&Error::write(&shown, why));
    }
    eprintln!(
        "{} -> {shown}",
        rate(partners, errors, started, workers.jobs)
    );
    u8::from(errors > 0)
}

/// What both output formats set up alike: the worker threads, a copy of the policies for each,
/// and the batch of the selected outcomes as of the date.
fn setup(args: &Args, start: &super::Start) -> Result<(Workers, Copies, Batch), u8> {
    let workers = Workers::start(args.jobs.map(|n| n as usize))?;
    let copies = workers.copies(&start.policies)?;
    let batch = Batch::new(
        &start.selection,
        start.as_of,
        chrono::Local::now().date_naive(),
        &FactsOptions::new().strict(args.strict),
        &EvalOptions::new().max_steps(args.max_steps),
    );
    Ok((workers, copies, batch))
}

/// The summary line on standard error: partners, errors, time, rate and jobs.
fn rate(partners: u64, errors: u64, started: Instant, jobs: usize) -> String {
    let secs = started.elapsed().as_secs_f64();
    let per_second = if secs > 0.0 {
        partners as f64 / secs
    } else {
        0.0
    };
    format!(
        "batch: {partners} partner(s), {errors} error(s), {secs:.3} s, {per_second:.0} partners/s, {jobs} job(s)"
    )
}

/// Whether two paths name the same file (through links too): the output would truncate the input.
fn same_file(a: &Path, b: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if let (Ok(x), Ok(y)) = (std::fs::metadata(a), std::fs::metadata(b)) {
            return x.dev() == y.dev() && x.ino() == y.ino();
        }
    }
    matches!((a.canonicalize(), b.canonicalize()), (Ok(x), Ok(y)) if x == y)
}
