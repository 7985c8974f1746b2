//! Benchmark 2's evaluation (every outcome of the standard policies for the benchmark's partner,
//! warm) run N times, for profilers that count instructions: criterion's timing loop would hide
//! them. `cargo build --release -p eligo-cli --example bench2_profile`, then
//! `valgrind --tool=callgrind target/release/examples/bench2_profile N [SEED]`; the instructions
//! of one evaluation are the difference between two values of N, divided by their difference.
//! N = 0 prints the partner's facts instead.

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use chrono::NaiveDate;
use eligo::driver::{compile_sources, policy_sources};
use eligo::eval::{Evaluation, Limits, StaticMemo};
use eligo::facts::{load_facts, LoadOptions};
use std::hint::black_box;
use std::path::Path;

fn main() {
    let mut args = std::env::args().skip(1);
    let runs: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(1_000);
    let seed: u64 = args.next().and_then(|n| n.parse().ok()).unwrap_or(42);
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../stdlib-policies");
    let program = compile_sources(policy_sources(&dir).expect("stdlib")).expect("compiles");
    let text = eligo_generate::Generator::new(seed).partner_with(100, 30);
    if runs == 0 {
        // The partner's facts, for `eligo eval --profile` and `eligo explain` on the same partner.
        println!("{text}");
        return;
    }
    let facts = load_facts(
        program.program().facts_view(),
        "partner",
        &text,
        LoadOptions::default(),
    )
    .expect("facts");
    let as_of = NaiveDate::from_ymd_opt(2024, 8, 6).expect("a date");
    let outcomes = program.program().outcomes.len();
    eprintln!(
        "memo {} cache {} static {:?}",
        program.program().memo_size,
        program.program().cache_size,
        program.program().static_memo.len()
    );
    let mut kept = StaticMemo::default();
    let mut first = Evaluation::new(&program, facts.fields(), as_of, Limits::default());
    for i in 0..outcomes {
        let _ = first.outcome(i);
    }
    first.keep_static(&mut kept);
    if std::env::var_os("PROFILE_STEPS").is_some() {
        // The steps of one warm evaluation, by rule, largest first.
        let mut ev =
            Evaluation::new(&program, facts.fields(), as_of, Limits::default()).with_profile();
        ev.reuse_static(&kept);
        for i in 0..outcomes {
            let _ = ev.outcome(i);
        }
        let rules = &program.program().rules;
        let mut steps: Vec<(u64, &str)> = ev
            .profile()
            .unwrap_or_default()
            .iter()
            .enumerate()
            .map(|(i, &n)| (n, rules.get(i).map_or("(outcomes)", |r| &*r.name)))
            .collect();
        steps.sort_unstable_by(|a, b| b.cmp(a));
        for (n, name) in steps.iter().take(15) {
            eprintln!("{n:>8}  {name}");
        }
    }
    for _ in 0..runs {
        let mut ev = Evaluation::new(&program, facts.fields(), as_of, Limits::default());
        ev.reuse_static(&kept);
        for i in 0..outcomes {
            black_box(ev.outcome(i).expect("evaluates"));
        }
    }
}
