//! Determinism: the same policies, facts and date give byte-identical output, through the
//! `eligo` binary and the library.
//!
//! Every run of the binary is a new process, so Rust's `HashMap`s get new random seeds each time
//! (std's `RandomState` is seeded per process and per map): comparing two runs compares two
//! hash seeds. `batch` is compared across `--jobs 1`, `2` and `4`, and with the time zone and
//! locale changed; the generator is compared across runs and seeds.

use eligo::driver::{compile, policy_sources, run_on_big_stack};
use eligo::eval::output::outcomes_object;
use eligo::eval::{Evaluation, Limits};
use eligo::facts::{load_facts, LoadOptions};
mod common;

use common::{Run, TempDir};
use serde_json::Value as Json;
use std::path::{Path, PathBuf};

const AS_OF: &str = "2024-08-06";

fn repo() -> PathBuf {
    common::repo()
}

fn eligo(args: &[&str]) -> Run {
    eligo_env(args, &[])
}

fn eligo_env(args: &[&str], env: &[(&str, &str)]) -> Run {
    env.iter()
        .fold(common::eligo(args.iter().copied()), |e, (k, v)| e.env(k, v))
        .run()
}

fn ok(run: Run) -> Vec<u8> {
    run.exits(0);
    run.stdout.into_bytes()
}

fn generate(partners: usize, seed: u64) -> Vec<u8> {
    ok(eligo(&[
        "generate",
        "--partners",
        &partners.to_string(),
        "--seed",
        &seed.to_string(),
    ]))
}

#[test]
fn the_generator_gives_the_same_bytes_for_a_seed() {
    let a = generate(300, 5);
    let b = generate(300, 5);
    assert_eq!(a, b, "two runs with seed 5 differ");
    assert_eq!(a.iter().filter(|&&c| c == b'\n').count(), 300);
    let c = generate(300, 6);
    assert_ne!(a, c, "seeds 5 and 6 give the same population");
    // Every partner differs between the two seeds, not just some.
    let lines =
        |v: &[u8]| -> Vec<Vec<u8>> { v.split(|&c| c == b'\n').map(<[u8]>::to_vec).collect() };
    let (la, lc) = (lines(&a), lines(&c));
    let same = la
        .iter()
        .zip(&lc)
        .filter(|(x, y)| x == y && !x.is_empty())
        .count();
    assert_eq!(same, 0, "{same} partners are the same under seeds 5 and 6");
    // A smaller population is a prefix of a larger one.
    let small = generate(100, 5);
    assert!(
        a.starts_with(&small),
        "the first 100 of 300 partners differ from 100 partners"
    );
    // `--out FILE` writes the same bytes as standard output.
    let dir = TempDir::new("generate");
    let out = dir.path().join("population.ndjson");
    let shown = out.to_string_lossy().into_owned();
    ok(eligo(&[
        "generate",
        "--partners",
        "300",
        "--seed",
        "5",
        "--out",
        &shown,
    ]));
    assert_eq!(std::fs::read(&out).expect("written"), a);
}

#[test]
fn eval_gives_the_same_bytes_twice_for_every_example() {
    let mut examples: Vec<PathBuf> = std::fs::read_dir(repo().join("examples"))
        .expect("examples")
        .map(|e| e.expect("an entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    examples.sort();
    assert!(examples.len() >= 10);
    for path in examples {
        let facts = path.to_string_lossy().into_owned();
        for format in ["json", "text"] {
            let args = [
                "eval", "--facts", &facts, "--as-of", AS_OF, "--format", format,
            ];
            let first = ok(eligo(&args));
            let second = ok(eligo(&args));
            assert_eq!(first, second, "{facts}, {format}: two runs differ");
            // Nor do the time zone and the locale matter once the date is given.
            let elsewhere = ok(eligo_env(
                &args,
                &[
                    ("TZ", "Pacific/Kiritimati"),
                    ("LC_ALL", "de_DE.UTF-8"),
                    ("LANG", "de_DE.UTF-8"),
                ],
            ));
            assert_eq!(
                first, elsewhere,
                "{facts}, {format}: the time zone or locale matters"
            );
        }
    }
}

/// A population of 300 generated partners (seed 5) with three bad lines among them, so that
/// error records are compared too.
fn population(dir: &TempDir) -> PathBuf {
    let mut lines: Vec<Vec<u8>> = generate(300, 5)
        .split(|&c| c == b'\n')
        .filter(|l| !l.is_empty())
        .map(<[u8]>::to_vec)
        .collect();
    lines.insert(17, b"not json".to_vec());
    lines.insert(150, Vec::new());
    let mut bad = lines[200].clone();
    let text = String::from_utf8(bad.clone()).expect("UTF-8");
    bad = text
        .replacen("eligo.partner-facts/1", "eligo.partner-facts/2", 1)
        .into_bytes();
    lines.insert(201, bad);
    let path = dir.path().join("population.ndjson");
    let mut bytes = lines.join(&b'\n');
    bytes.push(b'\n');
    std::fs::write(&path, bytes).expect("written");
    path
}

fn batch(population: &Path, jobs: usize, env: &[(&str, &str)]) -> (Option<i32>, Vec<u8>) {
    let p = population.to_string_lossy().into_owned();
    let jobs = jobs.to_string();
    let out = eligo_env(
        &[
            "batch",
            "--population",
            &p,
            "--as-of",
            AS_OF,
            "--jobs",
            &jobs,
        ],
        env,
    );
    (out.code, out.stdout.into_bytes())
}

#[test]
fn batch_gives_the_same_bytes_whatever_the_number_of_jobs() {
    let dir = TempDir::new("batch");
    let population = population(&dir);
    let (code, one) = batch(&population, 1, &[]);
    let lines = one.iter().filter(|&&c| c == b'\n').count();
    assert_eq!(lines, 303, "one output line per input line");
    assert_eq!(code, Some(1), "the bad lines give error records");
    for (jobs, env) in [
        (2, vec![]),
        (4, vec![]),
        (4, vec![]),
        (4, vec![("TZ", "America/Adak"), ("LC_ALL", "C")]),
    ] {
        let (c, out) = batch(&population, jobs, &env);
        assert_eq!(c, code, "--jobs {jobs}: another exit status");
        if out != one {
            let first = one
                .split(|&b| b == b'\n')
                .zip(out.split(|&b| b == b'\n'))
                .position(|(a, b)| a != b);
            panic!("--jobs {jobs} differs from --jobs 1, first at output line {first:?}");
        }
    }
}

/// `batch` and `eval` agree: each line of `batch` is the `eval --format json` of that partner
/// (compact instead of pretty).
#[test]
fn batch_agrees_with_eval_partner_by_partner() {
    let dir = TempDir::new("agree");
    let population = generate(12, 9);
    let path = dir.path().join("population.ndjson");
    std::fs::write(&path, &population).expect("written");
    let (code, out) = batch(&path, 2, &[]);
    assert_eq!(code, Some(0));
    let batch_lines: Vec<&[u8]> = out
        .split(|&c| c == b'\n')
        .filter(|l| !l.is_empty())
        .collect();
    for (i, line) in population
        .split(|&c| c == b'\n')
        .filter(|l| !l.is_empty())
        .enumerate()
    {
        let facts = dir.path().join(format!("p{i}.json"));
        std::fs::write(&facts, line).expect("written");
        let f = facts.to_string_lossy().into_owned();
        let alone = ok(eligo(&[
            "eval", "--facts", &f, "--as-of", AS_OF, "--format", "json",
        ]));
        let a: Json = serde_json::from_slice(&alone).expect("JSON");
        let b: Json = serde_json::from_slice(batch_lines[i]).expect("JSON");
        assert_eq!(a, b, "partner {i}: batch and eval differ");
    }
}

/// In one process: two separate compilations of the standard policies, evaluated on two
/// threads, print the same bytes (each compilation builds its hash maps with new seeds).
#[test]
fn two_compilations_print_the_same_outcomes() {
    let print = || {
        run_on_big_stack(|| {
            let loaded = policy_sources(&repo().join("stdlib-policies")).expect("read");
            let program = compile(loaded).expect("compiled");
            let mut g = eligo_generate::Generator::new(3);
            let mut out = String::new();
            let as_of = chrono::NaiveDate::from_ymd_opt(2024, 8, 6).expect("a date");
            let all: Vec<usize> = (0..program.program().outcomes.len()).collect();
            for _ in 0..20 {
                let text = g.partner();
                let facts = load_facts(
                    program.program().facts_view(),
                    "p.json",
                    &text,
                    LoadOptions::default(),
                )
                .expect("facts");
                let mut ev = Evaluation::new(&program, facts.fields(), as_of, Limits::default());
                let values: Vec<_> = all
                    .iter()
                    .map(|&i| ev.outcome(i).expect("evaluated"))
                    .collect();
                out.push_str(
                    &outcomes_object(
                        program.program(),
                        &all,
                        &values,
                        as_of,
                        facts.partner.as_deref(),
                        false,
                    )
                    .expect("outcomes written"),
                );
                out.push('\n');
            }
            out
        })
    };
    let (a, b) = std::thread::scope(|s| {
        let a = s.spawn(print);
        let b = s.spawn(print);
        (a.join().expect("a"), b.join().expect("b"))
    });
    assert_eq!(a, b);
    assert_eq!(a, print());
}
