//! The fuzz targets of eligo, as plain functions: `fuzz_targets/*.rs` hand them libFuzzer's
//! input, and `tests/properties.rs` replays the seed corpus (`corpus/<target>/`) through them in
//! `cargo test`. Each function panics when an invariant breaks, and only then:
//!
//! - eligo never panics, overflows its stack or hangs, whatever the input;
//! - every failure is an [`eligo::diag::Error`] of the stage that failed (E00xx/E01xx for text,
//!   E02xx/E03xx for names and types, E04xx for facts, E05xx while evaluating), and it renders;
//!   an internal error (E0900) is a bug found;
//! - a well-typed program compiles, and its values have the types the checker gave them;
//! - evaluation does not depend on the order outcomes are asked in or on the memo.
//!
//! This file is also compiled into `tests/properties.rs` (`#[path]`), so it names its own modules
//! relatively (`grammar::`, `typed::`), never through `crate::`.

pub mod grammar;
pub mod typed;

use arbitrary::{Arbitrary, Unstructured};
use chrono::NaiveDate;
use eligo::diag::{render_plain, Error};
use eligo::driver::{compile_sources, policy_sources, run_on_big_stack, LoadedSources};
use eligo::eval::output::outcomes_object;
use eligo::eval::Compiled;
use eligo::eval::{Evaluation, Limits};
use eligo::facts::{load_facts, LoadOptions};
use eligo::model::value::Value;
use eligo::source::SourceMap;
use eligo::syntax::parse_module;
use std::sync::OnceLock;

/// The codes an evaluation may fail with: overflow, division by zero, the step budget, the depth
/// limit, a date out of the calendar.
pub const EVAL_ERRORS: &[&str] = &["E0501", "E0502", "E0503", "E0504", "E0505"];

/// The evaluation date when nothing else gives one.
pub fn default_as_of() -> NaiveDate {
    NaiveDate::from_ymd_opt(2024, 8, 6).unwrap_or_default()
}

/// The standard policies, compiled once.
pub fn stdlib() -> &'static Compiled {
    static STDLIB: OnceLock<Compiled> = OnceLock::new();
    STDLIB.get_or_init(|| {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../stdlib-policies");
        let loaded = policy_sources(&dir).expect("the standard policies can be read");
        match eligo::driver::compile(loaded) {
            Ok(p) => p,
            Err(f) => panic!(
                "the standard policies do not compile:\n{}",
                render_plain(&f.errors, &f.sources)
            ),
        }
    })
}

// ---------------------------------------------------------------- known bugs
//
// Inputs that hit a known, reported bug would be skipped here so that the fuzzer looks for new
// ones. The three bugs the fuzzers found (a string cut inside a character, an error position inside
// a character, exponential parsing of nested `x in f(…)` arguments) are fixed; their regression
// tests run in tests/properties.rs on the fixtures in tests/reliability/. Nothing is skipped now.

/// Whether an input hits a known facts-loading bug (none open).
pub fn hits_known_short_bug(_text: &str) -> bool {
    false
}

/// Whether an error hits a known rendering bug (none open).
pub fn hits_known_render_bug(_e: &Error) -> bool {
    false
}

/// Whether a policy hits a known parsing-time bug (none open).
pub fn hits_known_nesting_bug(_text: &str) -> bool {
    false
}

fn assert_codes(errors: &[Error], sources: &SourceMap, prefixes: &[&str], what: &str) {
    assert!(!errors.is_empty(), "{what}: a failure without an error");
    if errors.iter().any(hits_known_render_bug) {
        return;
    }
    let text = render_plain(errors, sources);
    assert!(!text.is_empty(), "{what}: errors render to nothing");
    for e in errors {
        assert!(
            prefixes.iter().any(|p| e.code().starts_with(p)),
            "{what}: unexpected error {}:\n{text}",
            e.code()
        );
    }
}

/// `parse`: any bytes as a policy file. Valid UTF-8 is parsed as it is, anything else after a
/// lossy conversion (`eligo check` refuses it earlier, with E0004). What parses is also
/// compiled alone and, if it compiles, evaluated with a small budget.
pub fn parse(data: &[u8]) {
    let text = String::from_utf8_lossy(data).into_owned();
    run_on_big_stack(move || {
        let mut sources = SourceMap::new();
        let id = sources.add("fuzz.elg", "fuzz", text.as_str());
        if hits_known_nesting_bug(&text) {
            return;
        }
        match parse_module(id, &text) {
            Ok(_) => compile_and_run(vec![("fuzz.elg".into(), "fuzz".into(), text)]),
            Err(errors) => assert_codes(&errors, &sources, &["E00", "E01"], "parse"),
        }
    });
}

/// `check`: a grammar-shaped policy set ([`grammar::PolicySet`]) printed to text and compiled;
/// what compiles is evaluated with a small budget.
pub fn check(data: &[u8]) {
    let mut u = Unstructured::new(data);
    let Ok(set) = grammar::PolicySet::arbitrary(&mut u) else {
        return;
    };
    let files = set.files();
    if files.is_empty() || files.iter().any(|(_, _, t)| hits_known_nesting_bug(t)) {
        return;
    }
    run_on_big_stack(move || compile_and_run(files));
}

/// Compiles policy files (on the current thread: call it on a big stack); a program that
/// compiles is evaluated against the facts `{"format": …}` (every field at its default), if
/// they load, with a budget of 20,000 steps.
pub fn compile_and_run(files: Vec<(String, String, String)>) {
    let program = match compile_sources(LoadedSources { files }) {
        Ok(p) => p,
        Err(failed) => {
            // Reading, syntax, names and types: never an internal error (E0900).
            let stages = ["E00", "E01", "E02", "E03"];
            assert_codes(&failed.errors, &failed.sources, &stages, "compile");
            return;
        }
    };
    let facts = match &program.program().facts {
        None => None,
        Some(schema) => {
            let doc = serde_json::json!({ "format": schema.format }).to_string();
            match load_facts(
                program.program().facts_view(),
                "facts.json",
                &doc,
                LoadOptions::default(),
            ) {
                Ok(f) => Some(f),
                Err(e) => {
                    assert_codes(&[e], &program.program().sources, &["E04"], "default facts");
                    return;
                }
            }
        }
    };
    let fields: &[Value] = facts.as_ref().map_or(&[], |f| f.fields());
    let limits = Limits {
        max_steps: 20_000,
        ..Limits::default()
    };
    let all: Vec<usize> = (0..program.program().outcomes.len()).collect();
    let mut ev = Evaluation::new(&program, fields, default_as_of(), limits);
    let mut values = Vec::new();
    for &i in &all {
        match ev.outcome(i) {
            Ok(v) => values.push(v),
            Err(e) => {
                assert_codes(&[e], &program.program().sources, EVAL_ERRORS, "evaluate");
                return;
            }
        }
    }
    let out = outcomes_object(
        program.program(),
        &all,
        &values,
        default_as_of(),
        None,
        false,
    )
    .unwrap_or_else(|e| panic!("outcomes not written (an internal error): {e}"));
    assert!(
        serde_json::from_str::<serde_json::Value>(&out).is_ok(),
        "outcomes are not JSON: {out}"
    );
}

/// `facts`: any bytes as a facts document of the standard policies (after a lossy UTF-8
/// conversion), read leniently and strictly; facts that load are evaluated, every outcome.
pub fn facts(data: &[u8]) {
    let program = stdlib();
    let text = String::from_utf8_lossy(data).into_owned();
    if hits_known_short_bug(&text) {
        return;
    }
    run_on_big_stack(move || {
        let lenient = load_facts(
            program.program().facts_view(),
            "facts.json",
            &text,
            LoadOptions::default(),
        );
        let strict = load_facts(
            program.program().facts_view(),
            "facts.json",
            &text,
            LoadOptions {
                strict: true,
                ..LoadOptions::default()
            },
        );
        match (&lenient, &strict) {
            (Err(e), _) | (Ok(_), Err(e)) => assert_codes(
                std::slice::from_ref(e),
                &program.program().sources,
                &["E04"],
                "facts",
            ),
            _ => {}
        }
        if let (Ok(s), Ok(l)) = (&strict, &lenient) {
            assert!(s.root == l.root, "strict and lenient reading disagree");
            assert!(l.warnings.is_empty(), "warnings without a strict error");
        }
        if lenient.is_err() {
            assert!(
                strict.is_err(),
                "strict reading accepts what lenient refuses"
            );
        }
        let Ok(facts) = lenient else {
            return;
        };
        let as_of = facts.as_of.unwrap_or_else(default_as_of);
        let all: Vec<usize> = (0..program.program().outcomes.len()).collect();
        let limits = Limits {
            max_steps: 5_000_000,
            ..Limits::default()
        };
        let mut ev = Evaluation::new(program, facts.fields(), as_of, limits);
        let mut values = Vec::new();
        for &i in &all {
            match ev.outcome(i) {
                Ok(v) => values.push(v),
                Err(e) => {
                    assert_codes(&[e], &program.program().sources, EVAL_ERRORS, "evaluate");
                    return;
                }
            }
        }
        let out = outcomes_object(
            program.program(),
            &all,
            &values,
            as_of,
            facts.partner.as_deref(),
            true,
        )
        .unwrap_or_else(|e| panic!("outcomes not written (an internal error): {e}"));
        assert!(
            serde_json::from_str::<serde_json::Value>(&out).is_ok(),
            "outcomes are not JSON: {out}"
        );
    });
}

/// `eval`: a well-typed program ([`typed::Gen`]) and facts that fit it ([`typed::facts_json`]),
/// from the input's bytes, evaluated as of a date between 2000 and 2030.
pub fn eval(data: &[u8]) {
    let mut u = Unstructured::new(data);
    let days = u.int_in_range(0..=11_000u32).unwrap_or(0);
    let as_of = NaiveDate::from_ymd_opt(2000, 1, 1)
        .and_then(|d| d.checked_add_days(chrono::Days::new(days.into())))
        .unwrap_or_else(default_as_of);
    let facts = typed::facts_json(&mut u);
    let generated = typed::Gen::new(&mut u).program();
    run_on_big_stack(move || run_generated(&generated, &facts, as_of));
}

/// One outcome's result: its value, or its error code.
type Got = Result<Value, &'static str>;

/// Checks a generated program: it compiles, its facts load, every outcome evaluates to a value
/// of its type or fails with an evaluation error, and three evaluations agree: all outcomes in
/// one evaluation in order, all in one in reverse order, each in a fresh one.
pub fn run_generated(generated: &typed::Generated, facts_text: &str, as_of: NaiveDate) {
    let text = &generated.text;
    let files = vec![("fuzz.elg".to_string(), "fuzz".to_string(), text.clone())];
    let program = match compile_sources(LoadedSources { files }) {
        Ok(p) => p,
        Err(f) => panic!(
            "a well-typed program is refused:\n{text}\n{}",
            render_plain(&f.errors, &f.sources)
        ),
    };
    let facts = match load_facts(
        program.program().facts_view(),
        "facts.json",
        facts_text,
        LoadOptions::default(),
    ) {
        Ok(f) => f,
        Err(e) => panic!(
            "generated facts are refused:\n{facts_text}\n{}",
            render_plain(&[e], &program.program().sources)
        ),
    };
    let index: Vec<usize> = generated
        .outcomes
        .iter()
        .map(|(id, _)| {
            program
                .program()
                .outcomes
                .iter()
                .position(|o| &o.id == id)
                .unwrap_or_else(|| panic!("no outcome `{id}` in\n{text}"))
        })
        .collect();
    let limits = Limits {
        max_steps: 400_000,
        ..Limits::default()
    };
    let run = |order: &mut dyn Iterator<Item = usize>, fresh: bool| -> Vec<(usize, Got)> {
        let mut ev = Evaluation::new(&program, facts.fields(), as_of, limits);
        let mut out = Vec::new();
        for i in order {
            if fresh {
                ev = Evaluation::new(&program, facts.fields(), as_of, limits);
            }
            let r = ev.outcome(index[i]).map_err(|e| {
                assert_codes(
                    std::slice::from_ref(&e),
                    &program.program().sources,
                    EVAL_ERRORS,
                    "evaluate",
                );
                e.code()
            });
            out.push((i, r));
        }
        out.sort_by_key(|(i, _)| *i);
        out
    };
    let forward = run(&mut (0..index.len()), false);
    let backward = run(&mut (0..index.len()).rev(), false);
    let fresh = run(&mut (0..index.len()), true);
    let budget = |rs: &[(usize, Got)]| rs.iter().any(|(_, r)| r == &Err("E0503"));
    for (i, r) in &forward {
        let (id, ty) = &generated.outcomes[*i];
        if let Ok(v) = r {
            assert!(
                conforms(v, ty),
                "outcome `{id}` of type {} has the value {v:?}:\n{text}",
                ty.name()
            );
        }
    }
    if !budget(&forward) && !budget(&backward) && !budget(&fresh) {
        for ((f, b), n) in forward.iter().zip(&backward).zip(&fresh) {
            let id = &generated.outcomes[f.0].0;
            assert!(
                f.1 == b.1,
                "outcome `{id}` differs in reverse order: {:?} vs {:?}\n{text}\n{facts_text}",
                f.1,
                b.1
            );
            assert!(
                f.1 == n.1,
                "outcome `{id}` differs in a fresh evaluation: {:?} vs {:?}\n{text}\n{facts_text}",
                f.1,
                n.1
            );
        }
    }
    let selected: Vec<usize> = index.clone();
    if let Some(values) = forward
        .iter()
        .map(|(_, r)| r.clone().ok())
        .collect::<Option<Vec<_>>>()
    {
        let out = outcomes_object(program.program(), &selected, &values, as_of, None, false)
            .unwrap_or_else(|e| panic!("outcomes not written (an internal error): {e}"));
        assert!(
            serde_json::from_str::<serde_json::Value>(&out).is_ok(),
            "outcomes are not JSON: {out}"
        );
    }
}

/// Whether a run-time value has a static type.
pub fn conforms(v: &Value, t: &typed::T) -> bool {
    use typed::T;
    match (t, v) {
        (T::Opt(_), Value::None) => true,
        (T::Opt(t), v) => conforms(v, t),
        (T::Int, Value::Int(_)) => true,
        (T::Dec | T::Money | T::Pct, Value::Dec(_)) => true,
        (T::Bool, Value::Bool(_)) => true,
        (T::Date, Value::Date(_)) => true,
        (T::Days, Value::Days(_)) => true,
        (T::Months, Value::Months(_)) => true,
        (T::Month, Value::Month(_)) => true,
        (T::Text, Value::Text(_)) => true,
        (T::Area, Value::Enum(i)) => *i < 3,
        (T::Tx, Value::Record(r)) => {
            r.len() == 5
                && conforms(&r[0], &T::Date)
                && conforms(&r[1], &T::Money)
                && conforms(&r[2], &T::Text)
                && conforms(&r[3], &T::Area)
                && conforms(&r[4], &T::Bool)
        }
        (T::Score, Value::Record(r)) => {
            r.len() == 3
                && conforms(&r[0], &T::Dec)
                && conforms(&r[1], &T::Bool)
                && match &r[2] {
                    Value::List(ms) => ms.iter().all(|m| match m {
                        Value::Record(m) => {
                            m.len() == 2 && conforms(&m[0], &T::Text) && conforms(&m[1], &T::Dec)
                        }
                        _ => false,
                    }),
                    _ => false,
                }
        }
        (T::List(t), Value::List(xs)) => xs.iter().all(|x| conforms(x, t)),
        _ => false,
    }
}
