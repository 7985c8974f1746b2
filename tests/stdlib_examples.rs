//! The outcomes of every example partner under the standard policies, locked by snapshots at
//! several evaluation dates (before and after the program's cut-overs). A snapshot is a claim
//! about the program's rules: review changes line by line against the sources.

use chrono::NaiveDate;
use eligo::driver::{compile_sources, policy_sources};
use eligo::eval::output::json_value;
use eligo::eval::Compiled;
use eligo::eval::{Evaluation, Limits};
use eligo::facts::{load_facts, LoadOptions};
use std::path::{Path, PathBuf};

/// Dates around the cut-overs: the end of competencies (2022-09-30 / 2022-10-03), incentives
/// moving to designations (2023-10-01), the Security skilling change (2023-12-01), retirements
/// ending (2024-07-31 / 2024-08-01), and legacy benefits no longer sold (2025-01-22).
const DATES: &[&str] = &[
    "2022-10-03",
    "2023-10-01",
    "2023-12-01",
    "2024-07-31",
    "2024-08-01",
    "2025-01-22",
];

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn stdlib() -> Compiled {
    let sources =
        policy_sources(&root().join("stdlib-policies")).expect("stdlib-policies is readable");
    match compile_sources(sources) {
        Ok(p) => p,
        Err(f) => panic!("{}", eligo::diag::render_plain(&f.errors, &f.sources)),
    }
}

fn outcomes_at(program: &Compiled, facts: &eligo::facts::Facts, as_of: NaiveDate) -> String {
    let mut ev = Evaluation::new(program, facts.fields(), as_of, Limits::default());
    let mut out = String::new();
    for (i, o) in program.program().outcomes.iter().enumerate() {
        let v = ev.outcome(i).unwrap_or_else(|e| panic!("{}: {e}", o.id));
        out.push_str(&o.id);
        out.push_str(" = ");
        json_value(&mut out, program.program(), &v, &o.ty).expect("written");
        out.push('\n');
    }
    out
}

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("a date")
}

#[test]
fn every_example_at_several_dates() {
    let program = stdlib();
    let mut examples: Vec<PathBuf> = std::fs::read_dir(root().join("examples"))
        .expect("examples/ is readable")
        .map(|e| e.expect("an entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    examples.sort();
    assert!(
        examples.len() >= 10,
        "at least 10 examples, found {}",
        examples.len()
    );
    for path in examples {
        let name = path
            .file_stem()
            .expect("a name")
            .to_string_lossy()
            .into_owned();
        let text = std::fs::read_to_string(&path).expect("readable");
        let facts = load_facts(
            program.program().facts_view(),
            &name,
            &text,
            LoadOptions {
                strict: true,
                ..LoadOptions::default()
            },
        )
        .unwrap_or_else(|e| panic!("{name}: {e}"));
        let own = facts.as_of.expect("every example states its as_of");
        let mut dates: Vec<NaiveDate> = DATES.iter().map(|d| date(d)).collect();
        dates.push(own);
        dates.sort();
        dates.dedup();
        let mut snapshot = String::new();
        for d in dates {
            let marker = if d == own {
                " (the example's as_of)"
            } else {
                ""
            };
            snapshot.push_str(&format!("## as of {d}{marker}\n"));
            snapshot.push_str(&outcomes_at(&program, &facts, d));
            snapshot.push('\n');
        }
        insta::assert_snapshot!(format!("example_{name}"), snapshot);
    }
}

/// Every outcome id of the contract is produced for every example (outcomes.md).
#[test]
fn every_contract_outcome_for_every_example() {
    let program = stdlib();
    let ids: Vec<&str> = program
        .program()
        .outcomes
        .iter()
        .map(|o| o.id.as_str())
        .collect();
    let mut expected = vec![
        "anniversary".to_string(),
        "microsoft_cloud_badge".into(),
        "azure_expert_msp.prerequisites_met".into(),
        "annual_fee_usd".into(),
        "incentives_eligible".into(),
        "can_publish_services_offers".into(),
        "legacy_benefits_renewable".into(),
    ];
    for a in eligo_generate::AREAS {
        expected.push(format!("capability_score.{a}"));
        expected.push(format!("solutions_partner.{a}"));
        expected.push(format!("designation_held.{a}"));
    }
    for cs in eligo_generate::CERTIFIED_SOFTWARE {
        expected.push(format!("certified_software.{cs}"));
    }
    let specs = std::fs::read_to_string(root().join("stdlib-policies/specializations.elg"))
        .expect("readable");
    let spec_count = specs
        .lines()
        .filter(|l| l.starts_with("  (") && l.contains(", ["))
        .count();
    assert_eq!(spec_count, 32, "the FAQ's table has 32 specializations");
    for id in &expected {
        assert!(ids.contains(&id.as_str()), "missing outcome {id}");
    }
    let renewal = ids
        .iter()
        .filter(|i| i.ends_with(".renewal_window"))
        .count();
    let prereq = ids
        .iter()
        .filter(|i| i.starts_with("specialization.") && i.ends_with(".prerequisites_met"))
        .count();
    assert_eq!((renewal, prereq), (32, 32));
}
