//! `eligo eval`: the outcomes of one partner.

use crate::report;
use crate::Format;
use chrono::NaiveDate;
use eligo::diag::{Error, ErrorKind};
use eligo::eval::output::{display, outcomes_object};
use eligo::eval::Compiled;
use eligo::eval::{Evaluation, Limits};
use eligo::facts::DEFAULT_MAX_FACTS_BYTES;
use std::io::Read;
use std::path::{Path, PathBuf};

/// The command's arguments.
pub struct Args {
    pub policies: Option<PathBuf>,
    pub facts: PathBuf,
    pub as_of: Option<String>,
    pub format: Format,
    pub outcomes: Vec<String>,
    pub strict: bool,
    pub max_steps: u64,
    pub profile: bool,
}

/// Runs the command; returns the exit status.
pub fn run(args: Args) -> u8 {
    let prepared = match super::prepare(
        args.policies.as_deref(),
        args.as_of.as_deref(),
        &args.outcomes,
    ) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let facts = match super::partner_facts(&prepared, &args.facts, args.strict) {
        Ok(f) => f,
        Err(code) => return code,
    };
    let (program, selected) = (&prepared.program, &prepared.selected);
    let as_of = prepared
        .as_of
        .or(facts.as_of)
        .unwrap_or_else(|| chrono::Local::now().date_naive());
    let limits = Limits {
        max_steps: args.max_steps,
        ..Limits::default()
    };
    let mut ev = Evaluation::new(program, facts.fields(), as_of, limits);
    if args.profile {
        ev = ev.with_profile();
    }
    let mut values = Vec::with_capacity(selected.len());
    for &i in selected {
        match ev.outcome(i) {
            Ok(v) => values.push(v),
            Err(e) => {
                eprintln!(
                    "error while evaluating outcome `{}` as of {as_of}:",
                    program.program().outcomes[i].id
                );
                report::errors(&[e], &program.program().sources);
                return 1;
            }
        }
    }
    if let Some(p) = ev.profile() {
        let mut rows: Vec<(u64, String)> = p
            .iter()
            .enumerate()
            .map(|(i, &n)| {
                (
                    n,
                    program
                        .program()
                        .rules
                        .get(i)
                        .map_or("(outcome bodies)".to_string(), |r| r.name.to_string()),
                )
            })
            .collect();
        rows.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        eprintln!("profile: {} steps in all", ev.steps());
        for (n, name) in rows.iter().take(25).filter(|(n, _)| *n > 0) {
            eprintln!("  {n:>9}  {name}");
        }
    }
    let out = match args.format {
        Format::Json => outcomes_object(
            program.program(),
            selected,
            &values,
            as_of,
            facts.partner.as_deref(),
            true,
        ),
        Format::Text => text_table(program, selected, &values, as_of, facts.partner.as_deref()),
    };
    print!("{out}");
    0
}

pub fn parse_date(s: &str) -> Result<NaiveDate, Error> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .ok()
        .filter(|_| s.len() == 10)
        .ok_or_else(|| {
            Error::bare(ErrorKind::BadCliDate {
                text: s.to_string(),
            })
        })
}

/// The outcomes the patterns select, in id order; every outcome when there is no pattern.
pub fn select(program: &Compiled, patterns: &[String]) -> Result<Vec<usize>, Error> {
    if patterns.is_empty() {
        return Ok((0..program.program().outcomes.len()).collect());
    }
    let mut out = Vec::new();
    for p in patterns {
        let hits = program.program().select_outcomes(p);
        if hits.is_empty() {
            // Suggest whole ids and their prefixes (`capability_scor` → `capability_score`).
            let mut candidates: Vec<&str> = Vec::new();
            for o in &program.program().outcomes {
                candidates.push(&o.id);
                for (i, _) in o.id.match_indices('.') {
                    candidates.push(&o.id[..i]);
                }
            }
            candidates.sort_unstable();
            candidates.dedup();
            let suggestion = eligo::model::names::closest(p, candidates.into_iter());
            return Err(Error::bare(ErrorKind::UnknownOutcome {
                pattern: p.clone(),
                suggestion,
            }));
        }
        out.extend(hits);
    }
    out.sort_unstable();
    out.dedup();
    Ok(out)
}

/// Reads the facts file (or standard input), refusing files over the size limit before reading.
pub fn read_facts(path: &Path) -> Result<(String, String), Error> {
    let limit = DEFAULT_MAX_FACTS_BYTES;
    if path.as_os_str() == "-" {
        let mut buf = Vec::new();
        std::io::stdin()
            .take(limit + 1)
            .read_to_end(&mut buf)
            .map_err(|e| {
                Error::in_file(
                    "<stdin>",
                    ErrorKind::CannotRead {
                        path: "<stdin>".into(),
                        reason: e.to_string(),
                    },
                )
            })?;
        if buf.len() as u64 > limit {
            return Err(Error::in_file(
                "<stdin>",
                ErrorKind::FactsTooLarge {
                    size: buf.len() as u64,
                    limit,
                },
            ));
        }
        return Ok(("<stdin>".into(), utf8("<stdin>", buf)?));
    }
    let shown = path.display().to_string();
    let meta = std::fs::metadata(path).map_err(|e| Error::in_file(&shown, io_kind(&shown, &e)))?;
    if meta.is_dir() {
        return Err(Error::in_file(
            &shown,
            ErrorKind::CannotRead {
                path: shown.clone(),
                reason: "is a folder, not a facts file".into(),
            },
        ));
    }
    if meta.len() > limit {
        return Err(Error::in_file(
            &shown,
            ErrorKind::FactsTooLarge {
                size: meta.len(),
                limit,
            },
        ));
    }
    // Read at most one byte past the limit: pipes and devices report no size up front.
    let file =
        std::fs::File::open(path).map_err(|e| Error::in_file(&shown, io_kind(&shown, &e)))?;
    let mut bytes = Vec::new();
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Error::in_file(&shown, io_kind(&shown, &e)))?;
    if bytes.len() as u64 > limit {
        return Err(Error::in_file(
            &shown,
            ErrorKind::FactsTooLarge {
                size: bytes.len() as u64,
                limit,
            },
        ));
    }
    Ok((shown.clone(), utf8(&shown, bytes)?))
}

fn utf8(name: &str, bytes: Vec<u8>) -> Result<String, Error> {
    let mut s = String::from_utf8(bytes).map_err(|e| {
        Error::in_file(
            name,
            ErrorKind::FactsNotUtf8 {
                offset: e.utf8_error().valid_up_to(),
            },
        )
    })?;
    if s.starts_with('\u{feff}') {
        s.drain(..3);
    }
    Ok(s)
}

fn io_kind(path: &str, e: &std::io::Error) -> ErrorKind {
    let reason = match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => e.to_string(),
    };
    ErrorKind::CannotRead {
        path: path.to_string(),
        reason,
    }
}

fn text_table(
    program: &Compiled,
    selected: &[usize],
    values: &[eligo::model::value::Value],
    as_of: NaiveDate,
    partner: Option<&str>,
) -> String {
    let width = selected
        .iter()
        .map(|&i| program.program().outcomes[i].id.len())
        .max()
        .unwrap_or(0);
    let mut out = format!(
        "partner {} · as of {} · {} outcome(s)\n\n",
        partner.unwrap_or("(unnamed)"),
        as_of.format("%Y-%m-%d"),
        selected.len()
    );
    for (&i, v) in selected.iter().zip(values) {
        let o = &program.program().outcomes[i];
        out.push_str(&format!(
            "  {:width$}  {}\n",
            o.id,
            display(program.program(), v, &o.ty),
            width = width
        ));
    }
    out
}
