//! Benchmark 6 of docs/performance.md: `eligo diff` against `eligo batch` over the same
//! generated population, one thread, through the library's front door as the commands use it
//! (`eligo::Diff`, `eligo::Batch`). The target: a diff costs at most 2.2× one batch.
//! - `batch`: every outcome of the standard policies, one output line per partner;
//! - `diff_score_75`: the standard policies against a copy asking 75 points instead of 70 (two
//!   policy sets: each line read twice and evaluated twice), the tally kept as the command does;
//! - `diff_two_dates`: the standard policies on 2025-01-21 and 2025-01-22 (each line read once).
//!
//! Run with `cargo bench -p eligo-cli --bench diff`.

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use chrono::NaiveDate;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use eligo::{Batch, Diff, DiffOptions, DiffWorker, EvalOptions, FactsOptions, Policies, Sources};
use std::path::Path;
use std::time::Duration;

fn date(s: &str) -> NaiveDate {
    eligo::parse_date(s).expect("a date")
}

fn standard() -> Sources {
    Sources::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../stdlib-policies"))
        .expect("stdlib")
}

fn score_75() -> Policies {
    let files: Vec<(String, String)> = standard()
        .files()
        .map(|(name, _, text)| {
            (
                name.to_string(),
                text.replace("s.total >= 70", "s.total >= 75"),
            )
        })
        .collect();
    Policies::compile(Sources::from_texts(files)).expect("compiles")
}

fn population() -> Vec<String> {
    let mut g = eligo_generate::Generator::new(7);
    (0..2_000).map(|_| g.partner()).collect()
}

fn bench(c: &mut Criterion) {
    let base = Policies::compile(standard()).expect("compiles");
    let head = score_75();
    let lines = population();
    let as_of = date("2024-08-06");
    let mut g = c.benchmark_group("6_diff_vs_batch");
    g.throughput(Throughput::Elements(lines.len() as u64));
    g.sample_size(10);
    let batch = Batch::new(
        &base.all_outcomes(),
        Some(as_of),
        as_of,
        &FactsOptions::new(),
        &EvalOptions::new(),
    );
    g.bench_function("batch", |b| {
        b.iter(|| {
            let mut w = eligo::Worker::default();
            let mut n = 0;
            for (i, l) in lines.iter().enumerate() {
                n += batch.line(&base, i as u64 + 1, l, &mut w).json.len();
            }
            n
        })
    });
    let versions = DiffOptions::new().as_of(Some(as_of));
    let none: [&str; 0] = [];
    let diff = Diff::new(&base, &head, &none, as_of, &versions).expect("a diff");
    g.bench_function("diff_score_75", |b| {
        b.iter(|| {
            let mut w = DiffWorker::default();
            let mut tally = diff.tally(5);
            for (i, l) in lines.iter().enumerate() {
                tally.add(&diff.line(&base, &head, i as u64 + 1, l, &mut w));
            }
            tally.changed_partners
        })
    });
    let dates = DiffOptions::new()
        .as_of(Some(date("2025-01-22")))
        .base_as_of(Some(date("2025-01-21")));
    let over_days = Diff::new(&base, &base, &none, as_of, &dates).expect("a diff");
    g.bench_function("diff_two_dates", |b| {
        b.iter(|| {
            let mut w = DiffWorker::default();
            let mut tally = over_days.tally(5);
            for (i, l) in lines.iter().enumerate() {
                tally.add(&over_days.line(&base, &base, i as u64 + 1, l, &mut w));
            }
            tally.changed_partners
        })
    });
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_secs(2))
        .measurement_time(Duration::from_secs(10));
    targets = bench
}
criterion_main!(benches);
