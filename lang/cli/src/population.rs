//! A population streamed through worker threads: `batch` and `diff` read NDJSON in chunks of
//! [`CHUNK_LINES`] lines, evaluate each chunk in parallel and hand the results on in input order,
//! so memory in flight is bounded by the chunk, whatever the population.

use crate::report;
use eligo::{Error, Policies};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;
use std::io::{BufRead, BufReader, IsTerminal, Read};
use std::path::Path;

/// Lines read and evaluated together: memory in flight is bounded by this many lines.
pub const CHUNK_LINES: usize = 4_096;

/// Most worker threads `--jobs` may ask for: more cores than this machine class has, far fewer
/// threads (each with its stack) than would exhaust memory.
pub const MAX_JOBS: u64 = 256;

/// An open population: its reader and, for a file, its size (for the progress bar); or the rows
/// of a Parquet file's facts column, as JSON text.
pub struct Population {
    reader: Box<dyn Read + Send>,
    bytes: Option<u64>,
    rows: Option<crate::parquet::FactsRows>,
}

impl Population {
    /// Opens a population file, or standard input for `-`; reports a file that cannot be read
    /// (exit status 1).
    pub fn open(path: &Path) -> Result<Population, u8> {
        if path.as_os_str() == "-" {
            return Ok(Population {
                reader: Box::new(std::io::stdin()),
                bytes: None,
                rows: None,
            });
        }
        let shown = path.display().to_string();
        if crate::parquet::is_parquet(path) {
            return match crate::parquet::FactsRows::open(path) {
                Ok(rows) => Ok(Population {
                    reader: Box::new(std::io::empty()),
                    bytes: None,
                    rows: Some(rows),
                }),
                Err(reason) => Err(report::failure(&Error::file(&shown, reason))),
            };
        }
        let opened = match std::fs::metadata(path) {
            Ok(m) if m.is_dir() => Err("is a folder, not an NDJSON file".to_string()),
            Err(e) => Err(e.to_string()),
            Ok(_) => std::fs::File::open(path).map_err(|e| e.to_string()),
        };
        match opened {
            Ok(f) => Ok(Population {
                reader: Box::new(f),
                bytes: std::fs::metadata(path).map(|m| m.len()).ok(),
                rows: None,
            }),
            Err(reason) => Err(report::failure(&Error::file(&shown, reason))),
        }
    }

    /// Evaluates every line on the workers (`eval(worker index, line number, text, state)`)
    /// and gives the results to `take` in input order; stops at the first `Err` of `take`.
    /// Returns the number of lines read.
    pub fn stream<T, S, E, K>(self, workers: &Workers, eval: E, mut take: K) -> Result<u64, u8>
    where
        T: Send,
        S: Default + Send,
        E: Fn(usize, u64, &str, &mut S) -> T + Sync,
        K: FnMut(T) -> Result<(), u8>,
    {
        let progress = progress_bar(self.bytes);
        let mut rows = self.rows;
        let mut reader = BufReader::with_capacity(1 << 20, self.reader);
        let mut line_no: u64 = 0;
        let mut chunk: Vec<(u64, String)> = Vec::with_capacity(CHUNK_LINES);
        // Blank lines wait here: followed by a record they are error records (one output line
        // per input line), at the end of the file they are nothing.
        let mut blanks: Vec<(u64, String)> = Vec::new();
        let mut eof = false;
        let states: Vec<std::sync::Mutex<S>> = (0..workers.jobs.max(1))
            .map(|_| std::sync::Mutex::new(S::default()))
            .collect();
        while !eof {
            chunk.clear();
            while chunk.len() < CHUNK_LINES {
                if let Some(rows) = rows.as_mut() {
                    // A Parquet row is one partner, even when its facts are empty.
                    match rows.next() {
                        None => {
                            eof = true;
                            break;
                        }
                        Some(Ok(text)) => {
                            line_no += 1;
                            chunk.push((line_no, text));
                        }
                        Some(Err(e)) => {
                            eprintln!(
                                "error: reading the population failed after row {line_no}: {e}"
                            );
                            return Err(1);
                        }
                    }
                    continue;
                }
                let mut buf = Vec::new();
                match read_line(&mut reader, &mut buf) {
                    Ok(0) => {
                        eof = true;
                        break;
                    }
                    Ok(n) => {
                        line_no += 1;
                        progress.inc(n as u64);
                        let mut text = line_text(buf);
                        // A byte order mark before the first line, as `eval` accepts one
                        // before its facts.
                        if line_no == 1 && text.starts_with('\u{feff}') {
                            text.drain(..'\u{feff}'.len_utf8());
                        }
                        if text.trim().is_empty() {
                            blanks.push((line_no, text));
                        } else {
                            chunk.append(&mut blanks);
                            chunk.push((line_no, text));
                        }
                    }
                    Err(e) => {
                        eprintln!("error: reading the population failed after line {line_no}: {e}");
                        return Err(1);
                    }
                }
            }
            let outputs: Vec<T> = workers.pool.install(|| {
                chunk
                    .par_iter()
                    .map(|(n, text)| {
                        let worker = rayon::current_thread_index().unwrap_or(0);
                        // Each worker's own state, kept from line to line and chunk to chunk
                        // (rayon's `map_init` would start a new one for every piece of work
                        // it splits off); only that worker locks it.
                        let mut state = states[worker.min(states.len() - 1)]
                            .lock()
                            .unwrap_or_else(std::sync::PoisonError::into_inner);
                        eval(worker, *n, text, &mut state)
                    })
                    .collect()
            });
            for o in outputs {
                take(o)?;
            }
        }
        progress.finish_and_clear();
        Ok(line_no)
    }
}

/// The worker threads, with the stack evaluation needs.
pub struct Workers {
    pool: rayon::ThreadPool,
    /// How many.
    pub jobs: usize,
}

impl Workers {
    /// `--jobs` threads (default: one per core); reports threads that cannot start.
    pub fn start(jobs: Option<usize>) -> Result<Workers, u8> {
        let jobs = jobs
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
            .max(1);
        match rayon::ThreadPoolBuilder::new()
            .num_threads(jobs)
            .stack_size(eligo::STACK_BYTES / 4)
            .build()
        {
            Ok(pool) => Ok(Workers { pool, jobs }),
            Err(e) => {
                eprintln!("error: cannot start {jobs} worker threads: {e}");
                Err(1)
            }
        }
    }

    /// A copy of the compiled policies for each worker but the first (which uses `policies`):
    /// values the program owns (table rows, constants) are reference counted, and one copy
    /// shared by all threads would bounce those counts between cores on every use.
    pub fn copies(&self, policies: &Policies) -> Result<Copies, u8> {
        let mut copies = Vec::with_capacity(self.jobs.saturating_sub(1));
        for _ in 1..self.jobs {
            copies.push(policies.worker_copy().map_err(|e| report::failure(&e))?);
        }
        Ok(Copies {
            first: policies.clone(),
            others: copies,
        })
    }
}

/// One copy of the compiled policies per worker.
pub struct Copies {
    first: Policies,
    others: Vec<Policies>,
}

impl Copies {
    /// Worker `i`'s copy.
    pub fn of(&self, worker: usize) -> &Policies {
        match worker {
            0 => &self.first,
            i => self.others.get(i - 1).unwrap_or(&self.first),
        }
    }
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
            eligo::unreadable_line(eligo::Unreadable::TooLong {
                limit: limit as u64,
            })
            .as_bytes(),
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
            eligo::unreadable_line(eligo::Unreadable::NotUtf8 { offset: valid })
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
