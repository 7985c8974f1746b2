//! Parsing work grows linearly with nesting (issue 17, item 2): no ordered choice of
//! `grammar.pest` parses the same text again after a failed alternative.
//!
//! Work is counted in the parser's calls (`eligo::syntax::grammar_calls`), never in time. pest's
//! call limit, which the count uses, is process-wide: this suite is its own test binary and runs
//! everything from one `#[test]`, so that nothing else parses meanwhile.

use eligo::syntax::{grammar_calls, grammar_fits};
use proptest::prelude::*;
use proptest::test_runner::{Config, FileFailurePersistence, TestRunner};

/// The deepest nesting measured per family.
const DEPTH: usize = 10;

/// Far above any linear count below, far below what an exponential one reaches by depth 20.
const CEILING: usize = 2_000_000;

/// Calls per byte of policy text that no input of the property may exceed: a policy's own text,
/// whatever its nesting, costs at most this much parsing (the standard policies take about 7: 474,351 for 66,134 bytes).
const CALLS_PER_BYTE: usize = 120;

/// A nesting family: how one level wraps the text of the level below.
struct Family {
    name: &'static str,
    wrap: fn(&str) -> String,
}

/// Every construct whose alternative once re-parsed its inner text, valid and invalid.
const FAMILIES: &[Family] = &[
    Family {
        name: "points as the rate of points (the report)",
        wrap: |x| format!("points(1, {x} each, max 100)"),
    },
    Family {
        name: "points in a per rate",
        wrap: |x| format!("points(1, {x} per 2, max 100)"),
    },
    Family {
        name: "points as a quantity, not a points call",
        wrap: |x| format!("points({x})"),
    },
    Family {
        name: "points with a missing max",
        wrap: |x| format!("points({x}, 1 each)"),
    },
    Family {
        name: "count(x in …) (the earlier case)",
        wrap: |x| format!("count(x in {x})"),
    },
    Family {
        name: "binder arguments",
        wrap: |x| format!("count(x in [1]: {x})"),
    },
    Family {
        name: "between as a call",
        wrap: |x| format!("between({x})"),
    },
    Family {
        name: "between without and",
        wrap: |x| format!("between - ({x})"),
    },
    Family {
        name: "between windows",
        wrap: |x| format!("d within between ({x}) and d"),
    },
    Family {
        name: "trailing with two arguments",
        wrap: |x| format!("trailing({x}, 1)"),
    },
    Family {
        name: "trailing windows",
        wrap: |x| format!("trailing ({x}) ending d"),
    },
    Family {
        name: "else if without else",
        wrap: |x| format!("if c then 1 else if ({x}) then 1"),
    },
    Family {
        name: "if in a condition",
        wrap: |x| format!("if ({x}) then 1 else 2"),
    },
    Family {
        name: "let without a body",
        wrap: |x| format!("let a = 1; let b = ({x})"),
    },
    Family {
        name: "let in a value",
        wrap: |x| format!("let a = ({x}); a"),
    },
    Family {
        name: "calls",
        wrap: |x| format!("f(g(1), {x})"),
    },
    Family {
        name: "criteria with an error",
        wrap: |x| format!("all {{ \"a\": ({x}) ]"),
    },
    Family {
        name: "score blocks",
        wrap: |x| format!("score max 10 {{ \"a\": {x} }}"),
    },
    Family {
        name: "where and group by",
        wrap: |x| format!("([{x}] where it group by it)"),
    },
    Family {
        name: "membership",
        wrap: |x| format!("x in ({x})"),
    },
];

fn policy(body: &str) -> String {
    format!("outcome \"o\" = {body}\n")
}

fn nested(family: &Family, depth: usize) -> String {
    (0..depth).fold("1".to_string(), |inner, _| (family.wrap)(&inner))
}

fn calls(text: &str) -> usize {
    grammar_calls(text, CEILING)
        .unwrap_or_else(|| panic!("parsing took more than {CEILING} calls: {text}"))
}

/// Each extra level of nesting costs no more calls per added byte than the level before.
fn nesting_is_linear() {
    for family in FAMILIES {
        let counts: Vec<(usize, usize)> = (1..=DEPTH)
            .map(|d| {
                let text = policy(&nested(family, d));
                (text.len(), calls(&text))
            })
            .collect();
        eprintln!("{}: {counts:?}", family.name);
        for pair in counts.windows(3) {
            let [(b0, c0), (b1, c1), (b2, c2)] = [pair[0], pair[1], pair[2]];
            // Linear in the text: the work per added byte does not grow from one level to the next.
            let (step1, step2) = ((c1 - c0) * (b2 - b1), (c2 - c1) * (b1 - b0));
            assert!(
                step2 <= step1 + step1 / 10,
                "{}: {c0}, {c1}, {c2} calls for {b0}, {b1}, {b2} bytes: the work per level grows",
                family.name
            );
        }
        let (bytes, last) = counts[counts.len() - 1];
        assert!(
            last <= CALLS_PER_BYTE * bytes,
            "{}: {last} calls for {bytes} bytes",
            family.name
        );
    }
}

/// Any mix of the families, to any depth up to 24 (`PROPTEST_CASES` cases, 300 by default: this
/// is the fuzzing of the ordered-choice class, run longer by setting it): at most `CALLS_PER_BYTE` calls per byte.
fn mixed_nesting_is_linear() {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(300);
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: Some(Box::new(FileFailurePersistence::Off)),
        ..Config::default()
    });
    let strategy = proptest::collection::vec(0..FAMILIES.len(), 1..24);
    runner
        .run(&strategy, |levels| {
            let body = levels
                .iter()
                .fold("1".to_string(), |inner, &f| (FAMILIES[f].wrap)(&inner));
            let text = policy(&body);
            prop_assert!(
                grammar_fits(&text, CALLS_PER_BYTE * text.len()),
                "more than {CALLS_PER_BYTE} calls per byte for {} bytes: {text}",
                text.len()
            );
            Ok(())
        })
        .unwrap();
}

/// The standard policies, for scale: calls per byte of ordinary text.
fn standard_policies_are_cheap() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../stdlib-policies");
    let mut files = vec![root.clone()];
    let mut total = 0;
    while let Some(path) = files.pop() {
        if path.is_dir() {
            files.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
        } else if path.extension().is_some_and(|e| e == "elg") {
            let text = std::fs::read_to_string(&path).unwrap();
            assert!(
                grammar_fits(&text, CALLS_PER_BYTE * text.len()),
                "{}",
                path.display()
            );
            total += text.len();
        }
    }
    assert!(total > 10_000, "read {total} bytes of standard policies");
}

/// The fixture found by the `check` fuzz target (24 levels of `count(x in …)`, once most of an
/// hour of re-parsing): no more calls per byte than ordinary text.
fn nested_membership_fixture_is_cheap() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/reliability/parse-nested-membership-calls.elg");
    let text = std::fs::read_to_string(path).unwrap();
    let used = calls(&text);
    assert!(
        used <= CALLS_PER_BYTE * text.len(),
        "{used} calls for {} bytes",
        text.len()
    );
}

#[test]
fn parsing_work_is_linear_in_nesting() {
    standard_policies_are_cheap();
    nested_membership_fixture_is_cheap();
    nesting_is_linear();
    mixed_nesting_is_linear();
}
