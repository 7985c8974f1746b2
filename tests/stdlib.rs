//! The standard policies type-check.

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

// Every contract outcome id is checked in tests/stdlib_examples.rs
// (`every_contract_outcome_for_every_example`), with the 32 specializations.
