//! The evaluation corpus: the language's semantics, locked value by value.
//!
//! Every case is `tests/corpus/eval/<case>.elg` (facts, when it reads any, in `<case>.json`), or a
//! folder `tests/corpus/eval/<case>/` of policy files (modules) whose header is in `main.elg` and
//! whose facts are in `facts.json`. A case's leading comment block holds its header:
//!
//! ```text
//! # What the case shows.
//! # as_of: 2024-08-06
//! # expect: outcome.id = <JSON value>
//! # expect-error: other.id = E0502
//! # bug: broken.id = <the correct JSON value>
//! # compile-bug: E0101
//! ```
//!
//! Every outcome of a case must have exactly one of these lines. `expect` lines are asserted
//! exactly (as JSON values, numbers compared by their text); `expect-error` lines assert the error
//! code of an evaluation that fails. A `bug` line marks a known defect of the language: it states
//! the correct value, the suite checks that the defect is still there (the value differs) and says
//! so; once fixed, it fails so that the line becomes an `expect`. A `compile-bug` line marks a case
//! that is valid but does not compile yet because of a known defect: the suite checks that it
//! still fails with that error code (and snapshots the error); once it compiles, the suite fails so
//! that the line is removed and the case's `expect` lines are checked. The whole outcomes object of
//! each case is also snapshotted (`tests/snapshots/eval_corpus__case@<case>.snap`), wrong values of
//! known bugs included.

use chrono::NaiveDate;
use eligo::driver::{compile_sources, policy_sources};
use eligo::eval::Compiled;
use eligo::eval::{output::json_value, Evaluation, Limits};
use eligo::facts::{load_facts, LoadOptions};
use serde_json::{Map, Value as Json};
use std::path::Path;

/// What one header line asks of an outcome.
enum Want {
    /// The value, exactly.
    Value(Json),
    /// An evaluation error with this code.
    Error(String),
    /// A known bug: the correct value, which the outcome does not have yet.
    Bug(Json),
}

/// A case's header.
struct Header {
    as_of: NaiveDate,
    wants: Vec<(String, Want)>,
    /// The error code of a known defect that keeps the case from compiling.
    compile_bug: Option<String>,
}

/// What evaluating one outcome gave.
enum Got {
    Value(Json),
    Error { code: String, message: String },
}

/// Totals over the corpus.
#[derive(Default)]
struct Tally {
    cases: usize,
    values: usize,
    errors: usize,
    bugs: Vec<String>,
    failures: Vec<String>,
}

fn parse_header(text: &str) -> Result<Header, String> {
    let mut as_of = None;
    let mut wants = Vec::new();
    let mut compile_bug = None;
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let Some(comment) = line.strip_prefix('#') else {
            break;
        };
        let comment = comment.trim();
        if let Some(d) = comment.strip_prefix("as_of:") {
            let d = d.trim();
            as_of = Some(
                NaiveDate::parse_from_str(d, "%Y-%m-%d")
                    .map_err(|e| format!("bad `as_of: {d}`: {e}"))?,
            );
            continue;
        }
        if let Some(code) = comment.strip_prefix("compile-bug:") {
            compile_bug = Some(code.trim().to_string());
            continue;
        }
        let (kind, rest) = if let Some(r) = comment.strip_prefix("expect-error:") {
            ("error", r)
        } else if let Some(r) = comment.strip_prefix("expect:") {
            ("value", r)
        } else if let Some(r) = comment.strip_prefix("bug:") {
            ("bug", r)
        } else {
            continue;
        };
        let (id, value) = rest
            .split_once(" = ")
            .ok_or_else(|| format!("`{line}`: expected `id = value`"))?;
        let (id, value) = (id.trim().to_string(), value.trim());
        let json = || {
            serde_json::from_str::<Json>(value)
                .map_err(|e| format!("`{line}`: the value is not JSON: {e}"))
        };
        let want = match kind {
            "error" => Want::Error(value.to_string()),
            "value" => Want::Value(json()?),
            _ => Want::Bug(json()?),
        };
        if wants.iter().any(|(w, _)| *w == id) {
            return Err(format!("outcome `{id}` is expected twice"));
        }
        wants.push((id, want));
    }
    Ok(Header {
        as_of: as_of.ok_or("the header has no `# as_of: YYYY-MM-DD` line")?,
        wants,
        compile_bug,
    })
}

/// A compilation that failed: the error codes and the rendered errors.
struct CompileFailure {
    codes: Vec<String>,
    rendered: String,
}

fn compile(path: &Path) -> Result<Compiled, CompileFailure> {
    let sources = policy_sources(path).map_err(|e| CompileFailure {
        codes: vec![e.code().to_string()],
        rendered: e.to_string(),
    })?;
    compile_sources(sources).map_err(|f| CompileFailure {
        codes: f.errors.iter().map(|e| e.code().to_string()).collect(),
        rendered: eligo::diag::render_plain(&f.errors, &f.sources),
    })
}

fn evaluate(
    program: &Compiled,
    facts_text: Option<String>,
    as_of: NaiveDate,
) -> Result<Vec<Got>, String> {
    let facts = match (&program.program().facts, facts_text) {
        (None, None) => None,
        (None, Some(_)) => {
            return Err("a facts file is given but the case declares no facts".into())
        }
        (Some(schema), text) => {
            let text = text.unwrap_or_else(|| format!("{{\"format\": {:?}}}", schema.format));
            let options = LoadOptions {
                strict: true,
                ..LoadOptions::default()
            };
            let facts = load_facts(program.program().facts_view(), "facts.json", &text, options)
                .map_err(|e| format!("facts: {e}"))?;
            Some(facts)
        }
    };
    let fields = facts.as_ref().map_or(&[][..], |f| f.fields());
    let mut ev = Evaluation::new(program, fields, as_of, Limits::default());
    let mut out = Vec::new();
    for (i, o) in program.program().outcomes.iter().enumerate() {
        out.push(match ev.outcome(i) {
            Ok(v) => {
                let mut s = String::new();
                json_value(&mut s, program.program(), &v, &o.ty)
                    .map_err(|e| format!("`{}` could not be written: {e}", o.id))?;
                Got::Value(
                    serde_json::from_str(&s)
                        .map_err(|e| format!("`{}` printed invalid JSON `{s}`: {e}", o.id))?,
                )
            }
            Err(e) => Got::Error {
                code: e.code().to_string(),
                message: e.to_string(),
            },
        });
    }
    Ok(out)
}

/// Compiles, evaluates and checks one case; returns the snapshot text.
fn run_case(
    name: &str,
    policy: &Path,
    header_file: &Path,
    facts: &Path,
    tally: &mut Tally,
) -> Result<String, String> {
    let text = std::fs::read_to_string(header_file).map_err(|e| e.to_string())?;
    let header = parse_header(&text)?;
    let program = match (compile(policy), &header.compile_bug) {
        (Ok(p), None) => p,
        (Ok(p), Some(code)) => {
            tally.failures.push(format!(
                "{name}: compiles now: the {code} bug is fixed, remove the `# compile-bug:` line"
            ));
            p
        }
        (Err(f), None) => return Err(f.rendered),
        (Err(f), Some(code)) if f.codes.contains(code) => {
            tally.bugs.push(format!(
                "{name}: does not compile ({}), all {} outcomes unchecked",
                f.codes.join(", "),
                header.wants.len()
            ));
            let mut doc = Map::new();
            doc.insert("as_of".into(), Json::String(header.as_of.to_string()));
            doc.insert(
                "compile_errors".into(),
                Json::Array(f.codes.into_iter().map(Json::String).collect()),
            );
            return serde_json::to_string_pretty(&Json::Object(doc)).map_err(|e| e.to_string());
        }
        (Err(f), Some(code)) => {
            return Err(format!(
                "expected the known compile error {code}, got:\n{}",
                f.rendered
            ))
        }
    };
    let facts_text = facts
        .exists()
        .then(|| std::fs::read_to_string(facts).map_err(|e| e.to_string()))
        .transpose()?;
    let got = evaluate(&program, facts_text, header.as_of)?;

    for (id, _) in &header.wants {
        if !program.program().outcomes.iter().any(|o| o.id == *id) {
            tally
                .failures
                .push(format!("{name}: `{id}` is expected but is no outcome"));
        }
    }
    let mut outcomes = Map::new();
    let mut errors = Map::new();
    for (o, g) in program.program().outcomes.iter().zip(&got) {
        let id = &o.id;
        let want = header.wants.iter().find(|(w, _)| w == id).map(|(_, w)| w);
        match (want, g) {
            (None, _) => tally
                .failures
                .push(format!("{name}: outcome `{id}` has no `# expect` line")),
            (Some(Want::Value(w)), Got::Value(v)) => {
                tally.values += 1;
                if w != v {
                    tally
                        .failures
                        .push(format!("{name}: `{id}`: expected {w}, got {v}"));
                }
            }
            (Some(Want::Error(code)), Got::Error { code: c, .. }) => {
                tally.errors += 1;
                if code != c {
                    tally.failures.push(format!(
                        "{name}: `{id}`: expected error {code}, got error {c}"
                    ));
                }
            }
            (Some(Want::Bug(w)), g) => match g {
                Got::Value(v) if v == w => tally.failures.push(format!(
                    "{name}: `{id}` now has its correct value {w}: the bug is fixed, make the \
                     `# bug:` line an `# expect:` line"
                )),
                Got::Value(v) => tally
                    .bugs
                    .push(format!("{name}: `{id}` should be {w} but is {v}")),
                Got::Error { code, .. } => tally.bugs.push(format!(
                    "{name}: `{id}` should be {w} but fails with {code}"
                )),
            },
            (Some(Want::Value(w)), Got::Error { code, message }) => tally.failures.push(format!(
                "{name}: `{id}`: expected {w}, got error {code}: {message}"
            )),
            (Some(Want::Error(code)), Got::Value(v)) => tally
                .failures
                .push(format!("{name}: `{id}`: expected error {code}, got {v}")),
        }
        match g {
            Got::Value(v) => {
                outcomes.insert(id.clone(), v.clone());
            }
            Got::Error { code, message } => {
                errors.insert(id.clone(), Json::String(format!("{code}: {message}")));
            }
        }
    }
    let mut doc = Map::new();
    doc.insert("as_of".into(), Json::String(header.as_of.to_string()));
    doc.insert("outcomes".into(), Json::Object(outcomes));
    if !errors.is_empty() {
        doc.insert("errors".into(), Json::Object(errors));
    }
    serde_json::to_string_pretty(&Json::Object(doc)).map_err(|e| e.to_string())
}

#[test]
fn eval_corpus() {
    let mut tally = Tally::default();
    insta::glob!("corpus/eval/*", |path| {
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
            return;
        };
        let (case, header_file, facts) = if path.is_dir() {
            (
                name.to_string(),
                path.join("main.elg"),
                path.join("facts.json"),
            )
        } else if let Some(stem) = name.strip_suffix(".elg") {
            (
                stem.to_string(),
                path.to_path_buf(),
                path.with_extension("json"),
            )
        } else {
            // Facts files belong to their case.
            return;
        };
        tally.cases += 1;
        match run_case(&case, path, &header_file, &facts, &mut tally) {
            Ok(snapshot) => insta::with_settings!({ snapshot_suffix => case.as_str() }, {
                insta::assert_snapshot!("case", snapshot);
            }),
            Err(e) => tally.failures.push(format!("{case}: {e}")),
        }
    });
    eprintln!(
        "eval corpus: {} cases, {} values and {} errors asserted, {} known bugs",
        tally.cases,
        tally.values,
        tally.errors,
        tally.bugs.len()
    );
    for b in &tally.bugs {
        eprintln!("  known bug: {b}");
    }
    assert!(tally.cases > 0, "no case found under tests/corpus/eval");
    assert!(
        tally.failures.is_empty(),
        "{} failure(s):\n{}",
        tally.failures.len(),
        tally.failures.join("\n")
    );
}
