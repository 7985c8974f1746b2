//! Benchmark 4's evaluation (the certified-software-for-Azure outcome for each of the
//! benchmark's 200 partners, from loaded facts) run N times, for profilers that count
//! instructions. `cargo build --release -p eligo-cli --example bench4_profile`, then
//! `valgrind --tool=callgrind target/release/examples/bench4_profile N [RULE]`: with RULE, only
//! that parameterless rule is evaluated (to see what each part of the outcome costs). The
//! instructions of one pass are the difference between two values of N, divided by theirs.

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use chrono::NaiveDate;
use eligo::driver::{compile_sources, policy_sources};
use eligo::eval::{Evaluation, Limits};
use eligo::facts::{load_facts, LoadOptions};
use std::hint::black_box;
use std::path::Path;

fn main() {
    let mut args = std::env::args().skip(1);
    let runs: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(100);
    let rule = args.next();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../stdlib-policies");
    let program = compile_sources(policy_sources(&dir).expect("stdlib")).expect("compiles");
    let p = program.program();
    let outcome = p.select_outcomes("certified_software.azure")[0];
    let rule = rule.map(|name| {
        p.rules
            .iter()
            .position(|r| &*r.name == name.as_str())
            .unwrap_or_else(|| panic!("no rule {name}")) as u32
    });
    let mut g = eligo_generate::Generator::new(11);
    let facts: Vec<_> = (0..200)
        .map(|_| {
            let text = g.partner();
            load_facts(p.facts_view(), "p", &text, LoadOptions::default()).expect("facts")
        })
        .collect();
    let as_of = NaiveDate::from_ymd_opt(2024, 8, 6).expect("a date");
    for _ in 0..runs {
        for f in &facts {
            let mut ev = Evaluation::new(&program, f.fields(), as_of, Limits::default());
            let v = match rule {
                Some(r) => ev.rule(r, Vec::new()),
                None => ev.outcome(outcome),
            };
            black_box(v.expect("evaluates"));
        }
    }
}
