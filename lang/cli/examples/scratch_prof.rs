// Scratch profiling driver (not committed).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
use chrono::NaiveDate;
use eligo::eval::{Evaluation, Limits, StaticMemo};
use eligo::facts::{load_facts, LoadOptions};
use eligo::program::{compile_sources, policy_sources};
use std::path::Path;
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let mode = args.get(1).map(String::as_str).unwrap_or("azure");
    let iters: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(100);
    let program = compile_sources(
        policy_sources(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../../stdlib-policies"))
            .unwrap(),
    )
    .ok()
    .unwrap();
    let as_of = NaiveDate::from_ymd_opt(2024, 8, 6).unwrap();
    let np: usize = std::env::var("NP")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(200);
    let mut g = eligo_generate::Generator::new(11);
    let lines: Vec<String> = (0..np).map(|_| g.partner()).collect();
    let facts: Vec<_> = lines
        .iter()
        .map(|l| load_facts(&program, "p", l, LoadOptions::default()).unwrap())
        .collect();
    let t = std::time::Instant::now();
    match mode {
        "azure" => {
            let idx = program.select_outcomes("certified_software.azure")[0];
            let t = std::time::Instant::now();
            for _ in 0..iters {
                for f in &facts {
                    let mut ev = Evaluation::new(&program, f.fields(), as_of, Limits::default());
                    std::hint::black_box(ev.outcome(idx).unwrap());
                }
            }
            eprintln!(
                "{:.2} us/partner",
                t.elapsed().as_secs_f64() * 1e6 / (iters * np) as f64
            );
        }
        "warm" => {
            let text = eligo_generate::Generator::new(42).partner_with(100, 30);
            let facts = load_facts(&program, "partner", &text, LoadOptions::default()).unwrap();
            let mut kept = StaticMemo::default();
            {
                let mut ev = Evaluation::new(&program, facts.fields(), as_of, Limits::default());
                for i in 0..program.outcomes.len() {
                    let _ = ev.outcome(i);
                }
                ev.keep_static(&mut kept);
            }
            let t = std::time::Instant::now();
            for _ in 0..iters {
                let mut ev = Evaluation::new(&program, facts.fields(), as_of, Limits::default());
                ev.reuse_static(&kept);
                for i in 0..program.outcomes.len() {
                    std::hint::black_box(ev.outcome(i).unwrap());
                }
            }
            eprintln!(
                "{:.2} us/partner",
                t.elapsed().as_secs_f64() * 1e6 / iters as f64
            );
        }
        "rules" => {
            let sets: Vec<Vec<String>> = match std::env::var("RULES") {
                Ok(r) => vec![r.split(',').map(String::from).collect()],
                Err(_) => vec![
                    vec!["ttm_transactions".into()],
                    vec!["ttm_transactions".into(), "ttm_billed_sales".into()],
                    vec![
                        "ttm_transactions".into(),
                        "net_new_customers_over_10k".into(),
                    ],
                    vec!["top_tier_marketplace".into()],
                ],
            };
            let ntx: usize = facts
                .iter()
                .map(|f| {
                    let mut ev = Evaluation::new(&program, f.fields(), as_of, Limits::default());
                    ev.rule(program.rule("ttm_transactions").unwrap() as u32, vec![])
                        .unwrap()
                        .as_list()
                        .len()
                })
                .sum();
            eprintln!("ttm transactions per partner: {}", ntx as f64 / np as f64);
            for names in sets {
                let ids: Vec<u32> = names
                    .iter()
                    .map(|n| program.rule(n).unwrap() as u32)
                    .collect();
                let t = std::time::Instant::now();
                for _ in 0..iters {
                    for f in &facts {
                        let mut ev =
                            Evaluation::new(&program, f.fields(), as_of, Limits::default());
                        for &r in &ids {
                            std::hint::black_box(ev.rule(r, vec![]).unwrap());
                        }
                    }
                }
                eprintln!(
                    "{names:?}: {:.2} us/partner",
                    t.elapsed().as_secs_f64() * 1e6 / (iters * np) as f64
                );
            }
        }
        "sizes" => {
            eprintln!(
                "memo {} cache {} rules {}",
                program.memo_size,
                program.cache_size,
                program.rules.len()
            );
            eprintln!(
                "Value {} Result {} Option<Value> {}",
                std::mem::size_of::<eligo::eval::value::Value>(),
                std::mem::size_of::<Result<eligo::eval::value::Value, eligo::diag::Error>>(),
                std::mem::size_of::<Option<eligo::eval::value::Value>>()
            );
        }
        _ => {}
    }
    eprintln!("total {:?}", t.elapsed());
}
#[allow(dead_code)]
fn sizes() {}
