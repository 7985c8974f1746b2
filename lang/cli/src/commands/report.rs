//! `eligo report`: a page that stands alone (one HTML file) about one partner (`--facts`) or a
//! population (`--population`).

use crate::counts::Tally;
use crate::html::{partner, population};
use crate::report;
use eligo::{Batch, Error, EvalOptions, ExplainOptions, FactsOptions, Policies, Worker};
use std::collections::HashMap;
use std::io::BufRead;
use std::path::{Path, PathBuf};

/// The command's arguments.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// A policy file or folder (default: the built-in standard policies).
    policies: Option<PathBuf>,
    /// One partner's facts (JSON), or `-` for standard input: the partner report.
    #[arg(
        long,
        required_unless_present = "population",
        conflicts_with = "population"
    )]
    facts: Option<PathBuf>,
    /// A population: NDJSON of facts (as `eligo generate` writes) or of outcomes (as `eligo batch`
    /// writes): the population report.
    #[arg(long, value_name = "NDJSON")]
    population: Option<PathBuf>,
    /// The evaluation date (YYYY-MM-DD); default: the facts' `as_of`, else today.
    #[arg(long, value_name = "DATE")]
    as_of: Option<String>,
    /// Where the page goes (`-`: standard output).
    #[arg(long, value_name = "FILE", default_value = "report.html")]
    out: PathBuf,
    /// Days ahead searched for the dates the outcomes change by themselves.
    #[arg(long, value_name = "DAYS", default_value_t = 731)]
    horizon: u32,
    /// Treat unknown keys in the facts as errors.
    #[arg(long)]
    strict: bool,
}

/// Runs the command; returns the exit status.
pub fn run(args: Args) -> u8 {
    let start = match super::Start::new(args.policies.as_deref(), args.as_of.as_deref(), &[]) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let page = match (&args.facts, &args.population) {
        (Some(facts), _) => partner_page(&start, facts, &args),
        (None, Some(population)) => population_page(&start, population, &args),
        (None, None) => return 2,
    };
    match page {
        Ok(page) => write(&args.out, &page),
        Err(code) => code,
    }
}

fn write(out: &Path, page: &str) -> u8 {
    // Through a temporary file renamed at the end, as every `--out` (a failed write loses nothing).
    let mut output = match crate::output::Output::to(Some(out)) {
        Ok(o) => o,
        Err(code) => return code,
    };
    if let Err(code) = output.write(page).and_then(|()| output.finish()) {
        return code;
    }
    if out.as_os_str() != "-" {
        eprintln!("report: wrote {} ({} bytes)", out.display(), page.len());
    }
    0
}

fn partner_page(start: &super::Start, path: &Path, args: &Args) -> Result<String, u8> {
    let (facts, as_of) = start.facts(path, args.strict)?;
    let policies = &start.policies;
    let fail = |e: Error| report::failure(&e);
    let outcomes = policies
        .evaluate(&facts, &start.selection, as_of, &EvalOptions::new())
        .map_err(fail)?;
    let options = ExplainOptions::new().horizon_days(args.horizon);
    let explanations = policies
        .explain(&facts, &start.selection, as_of, &options)
        .map_err(fail)?;
    let values = outcomes
        .iter()
        .map(|o| {
            Ok(partner::Outcome {
                id: o.id.to_string(),
                text: o.text()?,
                json: o.json()?,
            })
        })
        .collect::<Result<Vec<_>, Error>>()
        .map_err(fail)?;
    let name = path.display().to_string();
    let mut rule_labels = HashMap::new();
    for r in policies.rules() {
        if let Some(label) = partner::rule_label(r.docs()) {
            rule_labels.entry(r.name().to_string()).or_insert(label);
        }
    }
    Ok(partner::report(&partner::Partner {
        partner: facts.partner().unwrap_or(facts.name()),
        facts: &name,
        as_of,
        outcomes: &values,
        explanations: explanations.items(),
        horizon_days: args.horizon,
        rule_labels: &rule_labels,
    }))
}

fn population_page(start: &super::Start, path: &Path, args: &Args) -> Result<String, u8> {
    let shown = path.display().to_string();
    let file = std::fs::File::open(path)
        .map_err(|e| report::failure(&Error::file(&shown, e.to_string())))?;
    let policies = &start.policies;
    let batch = Batch::new(
        &start.selection,
        start.as_of,
        chrono::Local::now().date_naive(),
        &FactsOptions::new().strict(args.strict),
        &EvalOptions::new(),
    );
    let mut tally = Tally::new(policies.selected(&start.selection), true);
    let mut worker = Worker::default();
    let mut sample: Option<String> = None;
    for (i, line) in std::io::BufReader::new(file).lines().enumerate() {
        let line = line.map_err(|e| report::failure(&Error::file(&shown, e.to_string())))?;
        if line.trim().is_empty() {
            continue;
        }
        if tally.add_line(&line) {
            continue;
        }
        // Not an outcomes line: a partner's facts, evaluated here.
        let out = batch.line(policies, i as u64 + 1, &line, &mut worker);
        tally.add_line(&out.json);
        if sample.is_none() && !out.failed {
            sample = Some(line);
        }
    }
    let thresholds = thresholds(policies, sample, start, args.strict);
    Ok(population::report(&population::Population {
        source: &shown,
        tally: &tally,
        thresholds: &thresholds,
    }))
}

/// The score thresholds, read from the explanation of one partner: the population's first, or
/// a generated one when the population holds outcomes only. None when that partner cannot be
/// explained (policies with other facts).
fn thresholds(
    policies: &Policies,
    sample: Option<String>,
    start: &super::Start,
    strict: bool,
) -> HashMap<String, (rust_decimal::Decimal, String)> {
    let text = sample.unwrap_or_else(|| eligo_generate::Generator::new(1).partner());
    let Ok(facts) = policies.read_facts("sample", &text, &FactsOptions::new().strict(strict))
    else {
        return HashMap::new();
    };
    let as_of = facts.date(start.as_of);
    match policies.explain(
        &facts,
        &start.selection,
        as_of,
        &ExplainOptions::new().horizon_days(0),
    ) {
        Ok(e) => partner::score_thresholds(e.items()),
        Err(_) => HashMap::new(),
    }
}
