//! The benchmarks of docs/performance.md. Run with `cargo bench -p eligo-cli`.
//! 1. compile: parse, resolve and type-check the standard policies.
//! 2. eval_partner: every outcome of the standard policies for one typical partner (about 100
//!    transactions, 30 people), cold (a fresh evaluation) and warm (date-only rules kept, as in a batch).
//! 3. batch: throughput over a generated population, 1 job and all cores.
//! 4. azure_rule: the certified-software-for-Azure rule, eligo against hand-written Rust, from
//!    already-loaded facts.
//! 5. end_to_end: NDJSON lines to output lines for that one outcome, eligo against a hand-written
//!    serde program, one thread.
//!
//! 3 and 5 run through the library's front door (`eligo::Batch`), as `eligo batch` does; 1, 2
//! and 4 time the stages behind it (compiling, evaluating loaded facts).

#[path = "handwritten.rs"]
mod handwritten;

/// The same allocator as the `eligo` binary, so the figures are the binary's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use chrono::NaiveDate;
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use eligo::driver::{compile_sources, policy_sources, LoadedSources};
use eligo::eval::Compiled;
use eligo::eval::{Evaluation, Limits, StaticMemo};
use eligo::facts::{load_facts, LoadOptions};
use eligo::{Batch, EvalOptions, FactsOptions, Policies, Sources, Worker};
use rayon::prelude::*;
use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

fn as_of() -> NaiveDate {
    NaiveDate::from_ymd_opt(2024, 8, 6).expect("a date")
}

fn sources() -> LoadedSources {
    policy_sources(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../../stdlib-policies"))
        .expect("stdlib")
}

fn program() -> Compiled {
    compile_sources(sources())
        .unwrap_or_else(|f| panic!("{}", eligo::diag::render_plain(&f.errors, &f.sources)))
}

fn population(n: usize, seed: u64) -> Vec<String> {
    let mut g = eligo_generate::Generator::new(seed);
    (0..n).map(|_| g.partner()).collect()
}

/// The standard policies through the front door, as `eligo batch` compiles them.
fn policies() -> Policies {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../stdlib-policies");
    Policies::compile(Sources::read(dir).expect("stdlib")).expect("compiles")
}

/// A batch of some outcomes (all without any), as `eligo batch --outcome …` sets it up: facts
/// roots no selected outcome reads are checked as JSON and not read into values.
fn batch(policies: &Policies, outcomes: &[&str]) -> Batch {
    let selection = policies.select(outcomes).expect("outcomes");
    Batch::new(
        &selection,
        Some(as_of()),
        as_of(),
        &FactsOptions::new(),
        &EvalOptions::new(),
    )
}

fn bench_compile(c: &mut Criterion) {
    let src = sources();
    c.bench_function("1_compile_stdlib", |b| {
        b.iter(|| black_box(compile_sources(src.clone()).is_ok()))
    });
}

fn bench_eval_partner(c: &mut Criterion) {
    let program = program();
    let text = eligo_generate::Generator::new(42).partner_with(100, 30);
    let facts = load_facts(
        program.program().facts_view(),
        "partner",
        &text,
        LoadOptions::default(),
    )
    .expect("facts");
    let all: Vec<usize> = (0..program.program().outcomes.len()).collect();
    let mut g = c.benchmark_group("2_eval_typical_partner");
    g.bench_function("cold", |b| {
        b.iter(|| {
            let mut ev = Evaluation::new(&program, facts.fields(), as_of(), Limits::default());
            for &i in &all {
                black_box(ev.outcome(i).expect("evaluates"));
            }
        })
    });
    let mut kept = StaticMemo::default();
    {
        let mut ev = Evaluation::new(&program, facts.fields(), as_of(), Limits::default());
        for &i in &all {
            let _ = ev.outcome(i);
        }
        ev.keep_static(&mut kept);
    }
    g.bench_function("warm", |b| {
        b.iter(|| {
            let mut ev = Evaluation::new(&program, facts.fields(), as_of(), Limits::default());
            ev.reuse_static(&kept);
            for &i in &all {
                black_box(ev.outcome(i).expect("evaluates"));
            }
        })
    });
    g.bench_function("load_facts", |b| {
        b.iter(|| {
            black_box(
                load_facts(
                    program.program().facts_view(),
                    "partner",
                    &text,
                    LoadOptions::default(),
                )
                .is_ok(),
            )
        })
    });
    g.finish();
}

fn bench_batch(c: &mut Criterion) {
    let policies = policies();
    // As `eligo batch` does (lang/cli/src/commands/batch.rs): every worker but the first has its
    // own copy of the compiled policies, so that no reference count is shared between cores.
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let copies: Vec<Policies> = (1..cores)
        .map(|_| policies.worker_copy().expect("a copy"))
        .collect();
    let policies_of = |worker: Option<usize>| match worker {
        Some(i) if i >= 1 => copies.get(i - 1).unwrap_or(&policies),
        _ => &policies,
    };
    let lines = population(2_000, 7);
    let batch = batch(&policies, &[]);
    let mut g = c.benchmark_group("3_batch_all_outcomes");
    g.throughput(Throughput::Elements(lines.len() as u64));
    g.sample_size(10);
    let counts: Vec<usize> = if cores > 1 { vec![1, cores] } else { vec![1] };
    for jobs in counts {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(jobs)
            .build()
            .expect("pool");
        g.bench_with_input(BenchmarkId::new("jobs", jobs), &jobs, |b, _| {
            b.iter(|| {
                pool.install(|| {
                    lines
                        .par_iter()
                        .enumerate()
                        .map_init(Worker::default, |worker, (n, l)| {
                            let policies = policies_of(rayon::current_thread_index());
                            batch.line(policies, n as u64 + 1, l, worker).json.len()
                        })
                        .sum::<usize>()
                })
            })
        });
    }
    g.finish();
}

fn bench_azure_rule(c: &mut Criterion) {
    let program = program();
    let idx = program
        .program()
        .select_outcomes("certified_software.azure")[0];
    let lines = population(200, 11);
    let facts: Vec<_> = lines
        .iter()
        .map(|l| {
            load_facts(
                program.program().facts_view(),
                "p",
                l,
                LoadOptions::default(),
            )
            .expect("facts")
        })
        .collect();
    let typed: Vec<handwritten::Facts> = lines
        .iter()
        .map(|l| serde_json::from_str(l).expect("typed"))
        .collect();
    // Both agree on every partner before they are timed.
    for (f, t) in facts.iter().zip(&typed) {
        let mut ev = Evaluation::new(&program, f.fields(), as_of(), Limits::default());
        let v = ev.outcome(idx).expect("evaluates");
        let got: Vec<String> = v
            .as_list()
            .iter()
            .map(|x| match x {
                eligo::Value::Text(t) => t.to_string(),
                _ => String::new(),
            })
            .collect();
        let want: Vec<String> = handwritten::certified_azure(t, as_of())
            .into_iter()
            .map(String::from)
            .collect();
        assert_eq!(got, want, "eligo and the hand-written rule disagree");
    }
    let mut g = c.benchmark_group("4_azure_rule_loaded_facts");
    g.throughput(Throughput::Elements(facts.len() as u64));
    g.bench_function("eligo", |b| {
        b.iter(|| {
            for f in &facts {
                let mut ev = Evaluation::new(&program, f.fields(), as_of(), Limits::default());
                black_box(ev.outcome(idx).expect("evaluates"));
            }
        })
    });
    g.bench_function("handwritten", |b| {
        b.iter(|| {
            for t in &typed {
                black_box(handwritten::certified_azure(t, as_of()));
            }
        })
    });
    g.finish();
}

fn bench_end_to_end(c: &mut Criterion) {
    let policies = policies();
    let lines = population(500, 13);
    let batch = batch(&policies, &["certified_software.azure"]);
    let mut g = c.benchmark_group("5_end_to_end_azure_ndjson");
    g.throughput(Throughput::Elements(lines.len() as u64));
    g.sample_size(20);
    g.bench_function("eligo", |b| {
        b.iter(|| {
            let mut worker = Worker::default();
            let mut bytes = 0;
            for (n, l) in lines.iter().enumerate() {
                bytes += batch
                    .line(&policies, n as u64 + 1, l, &mut worker)
                    .json
                    .len();
            }
            black_box(bytes)
        })
    });
    g.bench_function("handwritten", |b| {
        b.iter(|| {
            let mut out = String::new();
            let mut bytes = 0;
            for l in &lines {
                out.clear();
                let f: handwritten::Facts = serde_json::from_str(l).expect("typed");
                handwritten::output_line(&f, as_of(), &mut out);
                bytes += out.len();
            }
            black_box(bytes)
        })
    });
    g.finish();
}

fn configured() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .sample_size(20)
}

criterion_group! {
    name = benches;
    config = configured();
    targets = bench_compile, bench_eval_partner, bench_batch, bench_azure_rule, bench_end_to_end
}
criterion_main!(benches);
