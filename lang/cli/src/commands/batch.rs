//! `eligo batch`: a population in, outcomes out, streaming in bounded chunks, in parallel, in
//! input order. Every input line yields exactly one output line.

use crate::report;
use eligo::{Batch, Error, EvalOptions, FactsOptions, LineOutput, Ty, Worker};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;
use std::io::{BufRead, BufReader, IsTerminal, Read};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Lines read and evaluated together: memory in flight is bounded by this many lines.
pub const CHUNK_LINES: usize = 4_096;

/// Most worker threads `--jobs` may ask for: more cores than this machine class has, far fewer
/// threads (each with its stack) than would exhaust memory.
pub const MAX_JOBS: u64 = 256;

/// The command's arguments.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// A policy file or folder (default: the built-in standard policies).
    policies: Option<PathBuf>,
    /// The population: one facts document per line (NDJSON), or `-` for standard input.
    #[arg(long)]
    population: PathBuf,
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
    let input: Box<dyn Read + Send> = if args.population.as_os_str() == "-" {
        Box::new(std::io::stdin())
    } else {
        let shown = args.population.display().to_string();
        let opened = match std::fs::metadata(&args.population) {
            Ok(m) if m.is_dir() => Err("is a folder, not an NDJSON file".to_string()),
            Err(e) => Err(e.to_string()),
            Ok(_) => std::fs::File::open(&args.population).map_err(|e| e.to_string()),
        };
        match opened {
            Ok(f) => Box::new(f),
            Err(reason) => return report::failure(&Error::file(&shown, reason)),
        }
    };
    let total_bytes = std::fs::metadata(&args.population).map(|m| m.len()).ok();
    if let Some(out) = args.out.as_deref() {
        if args.population.as_os_str() != "-" && same_file(out, &args.population) {
            let why = "it is the population being read; choose another file";
            return report::failure(&Error::write(&out.display().to_string(), why));
        }
    }
    let mut writer = match crate::output::Output::to(args.out.as_deref()) {
        Ok(w) => w,
        Err(code) => return code,
    };
    let jobs = args.jobs.map_or_else(
        || std::thread::available_parallelism().map_or(1, |n| n.get()),
        |n| n as usize,
    );
    let pool = match rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .stack_size(eligo::STACK_BYTES / 4)
        .build()
    {
        Ok(p) => p,
        Err(e) => {
            eprintln!("error: cannot start {jobs} worker threads: {e}");
            return 1;
        }
    };
    // Every worker but the first evaluates with its own copy of the compiled policies: values
    // the program owns (table rows, constants) are reference counted, and one copy shared by
    // all threads would bounce those counts between cores on every use.
    let mut copies = Vec::with_capacity(jobs.saturating_sub(1));
    for _ in 1..jobs {
        match policies.worker_copy() {
            Ok(p) => copies.push(p),
            Err(e) => return report::failure(&e),
        }
    }
    let policies_of = |worker: Option<usize>| match worker {
        Some(i) if i >= 1 => copies.get(i - 1).unwrap_or(policies),
        _ => policies,
    };
    let batch = Batch::new(
        &start.selection,
        start.as_of,
        chrono::Local::now().date_naive(),
        &FactsOptions::new().strict(args.strict),
        &EvalOptions::new().max_steps(args.max_steps),
    );
    let progress = progress_bar(total_bytes);
    let started = Instant::now();
    let mut reader = BufReader::with_capacity(1 << 20, input);
    let mut line_no: u64 = 0;
    let mut partners: u64 = 0;
    let mut errors: u64 = 0;
    let mut trues = vec![0u64; batch.outcome_count()];
    let mut chunk: Vec<(u64, String)> = Vec::with_capacity(CHUNK_LINES);
    let mut eof = false;
    while !eof {
        chunk.clear();
        while chunk.len() < CHUNK_LINES {
            let mut buf = Vec::new();
            match read_line(&mut reader, &mut buf) {
                Ok(0) => {
                    eof = true;
                    break;
                }
                Ok(n) => {
                    line_no += 1;
                    progress.inc(n as u64);
                    chunk.push((line_no, line_text(buf)));
                }
                Err(e) => {
                    eprintln!("error: reading the population failed after line {line_no}: {e}");
                    return 1;
                }
            }
        }
        let outputs: Vec<LineOutput> = pool.install(|| {
            chunk
                .par_iter()
                .map_init(Worker::default, |worker, (n, text)| {
                    let policies = policies_of(rayon::current_thread_index());
                    batch.line(policies, *n, text, worker)
                })
                .collect()
        });
        for o in outputs {
            partners += 1;
            if o.failed {
                errors += 1;
            }
            for (t, hit) in trues.iter_mut().zip(&o.trues) {
                *t += u64::from(*hit);
            }
            if let Err(code) = writer.line(&o.json) {
                return code;
            }
        }
    }
    if let Err(code) = writer.finish() {
        return code;
    }
    progress.finish_and_clear();
    let secs = started.elapsed().as_secs_f64();
    eprintln!(
        "batch: {partners} partner(s), {errors} error(s), {:.3} s, {:.0} partners/s, {jobs} job(s)",
        secs,
        if secs > 0.0 {
            partners as f64 / secs
        } else {
            0.0
        }
    );
    for (o, t) in policies.selected(&start.selection).zip(&trues) {
        if *o.ty() == Ty::Bool {
            eprintln!("  {:<60} {t} true", o.id());
        }
    }
    u8::from(errors > 0)
}

/// Reads one line (up to and without its newline), refusing lines over the facts size limit
/// without holding them in memory.
fn read_line(reader: &mut impl BufRead, buf: &mut Vec<u8>) -> std::io::Result<usize> {
    let limit = eligo::MAX_FACTS_BYTES as usize;
    let mut read = 0;
    let mut too_long = false;
    loop {
        let available = reader.fill_buf()?;
        if available.is_empty() {
            break;
        }
        let (used, done) = match available.iter().position(|&b| b == b'\n') {
            Some(i) => (i + 1, true),
            None => (available.len(), false),
        };
        if !too_long {
            let take = if done { used - 1 } else { used };
            if buf.len() + take > limit {
                too_long = true;
                buf.clear();
            } else {
                buf.extend_from_slice(&available[..take]);
            }
        }
        reader.consume(used);
        read += used;
        if done {
            break;
        }
    }
    if too_long {
        // Not JSON, so the line becomes an error record naming the limit.
        buf.clear();
        buf.extend_from_slice(
            format!("\u{0}line longer than the limit of {limit} bytes").as_bytes(),
        );
    }
    if buf.last() == Some(&b'\r') {
        buf.pop();
    }
    Ok(read)
}

fn line_text(buf: Vec<u8>) -> String {
    match String::from_utf8(buf) {
        Ok(s) => s,
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            format!("\u{0}not UTF-8 (at byte {valid})")
        }
    }
}

fn progress_bar(total: Option<u64>) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = match total {
        Some(t) => ProgressBar::with_draw_target(Some(t), ProgressDrawTarget::stderr()),
        None => ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr()),
    };
    let style = ProgressStyle::with_template(
        "{bar:40} {binary_bytes}/{binary_total_bytes} {binary_bytes_per_sec} eta {eta}",
    )
    .unwrap_or_else(|_| ProgressStyle::default_bar());
    bar.set_style(style);
    bar
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
