//! Benchmark 2's evaluation (every outcome of the standard policies for one generated partner,
//! warm) run a given number of times, for instruction counts under callgrind:
//!
//! ```sh
//! cargo build --release -p eligo-cli --example bench2_profile
//! valgrind --tool=callgrind target/release/examples/bench2_profile 42 100
//! ```
//!
//! Arguments: the generator's seed (42 is the benchmark's partner; 2 holds specializations) and
//! the number of evaluations. Warm as in the benchmark: date-only rules kept from a first run.

/// The same allocator as the benchmark, so the counts are the benchmark's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use chrono::NaiveDate;
use eligo::driver::{compile_sources, policy_sources};
use eligo::eval::{Compiled, Evaluation, Limits, StaticMemo};
use eligo::model::Value;
use eligo::facts::{load_facts, LoadOptions};
use std::hint::black_box;
use std::path::Path;

fn main() {
    let mut args = std::env::args().skip(1);
    let seed: u64 = args.next().and_then(|s| s.parse().ok()).unwrap_or(42);
    let runs: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(100);
    let as_of = NaiveDate::from_ymd_opt(2024, 8, 6).expect("a date");
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../stdlib-policies");
    let program = compile_sources(policy_sources(&dir).expect("stdlib"))
        .unwrap_or_else(|f| panic!("{}", eligo::diag::render_plain(&f.errors, &f.sources)));
    let text = eligo_generate::Generator::new(seed).partner_with(100, 30);
    let facts = load_facts(
        program.program().facts_view(),
        "partner",
        &text,
        LoadOptions::default(),
    )
    .expect("facts");
    let all: Vec<usize> = (0..program.program().outcomes.len()).collect();
    let mut kept = StaticMemo::default();
    {
        let mut ev = Evaluation::new(&program, facts.fields(), as_of, Limits::default());
        for &i in &all {
            let _ = ev.outcome(i);
        }
        ev.keep_static(&mut kept);
    }
    evaluate(&program, facts.fields(), as_of, &kept, &all, runs);
}

/// The timed loop of benchmark 2, in a function of its own so that callgrind can count only it
/// (`--toggle-collect='bench2_profile::evaluate'`).
#[inline(never)]
fn evaluate(
    program: &Compiled,
    facts: &[Value],
    as_of: NaiveDate,
    kept: &StaticMemo,
    all: &[usize],
    runs: usize,
) {
    for _ in 0..runs {
        let mut ev = Evaluation::new(program, facts, as_of, Limits::default());
        ev.reuse_static(kept);
        for &i in all {
            black_box(ev.outcome(i).expect("evaluates"));
        }
    }
}
