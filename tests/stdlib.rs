//! The standard policies type-check, and every outcome id of the contract is produced.

use eligo::program::{compile_sources, policy_sources};
use std::path::Path;

fn stdlib() -> eligo::program::Program {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../stdlib-policies");
    let sources = policy_sources(&dir).expect("stdlib-policies is readable");
    match compile_sources(sources) {
        Ok(p) => p,
        Err(f) => panic!("{}", eligo::diag::render_plain(&f.errors, &f.sources)),
    }
}

#[test]
fn standard_policies_type_check() {
    let p = stdlib();
    assert!(p.rules.len() >= 10, "only {} rules", p.rules.len());
}

#[test]
fn contract_outcome_ids_are_all_defined() {
    let p = stdlib();
    let ids: Vec<&str> = p.outcomes.iter().map(|o| o.id.as_str()).collect();
    let areas = [
        "business_applications",
        "data_ai",
        "digital_app_innovation",
        "infrastructure",
        "modern_work",
        "security",
    ];
    let mut expected: Vec<String> = vec![
        "anniversary".into(),
        "microsoft_cloud_badge".into(),
        "azure_expert_msp.prerequisites_met".into(),
        "annual_fee_usd".into(),
    ];
    for a in areas {
        expected.push(format!("designation_held.{a}"));
    }
    for cs in [
        "azure",
        "business_applications",
        "modern_work",
        "security",
        "retail_ai",
        "healthcare_ai",
        "sustainability_ai",
        "manufacturing_ai",
        "financial_services_ai",
    ] {
        expected.push(format!("certified_software.{cs}"));
    }
    for id in &expected {
        assert!(ids.contains(&id.as_str()), "missing outcome {id}");
    }
}
