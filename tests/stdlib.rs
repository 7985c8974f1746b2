//! The standard policies type-check, and every rule, table and outcome cites a source that exists.

use eligo::driver::{compile_sources, policy_sources};
use eligo::model::Program;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn stdlib() -> eligo::eval::Compiled {
    let sources =
        policy_sources(&root().join("stdlib-policies")).expect("stdlib-policies is readable");
    match compile_sources(sources) {
        Ok(p) => p,
        Err(f) => panic!("{}", eligo::diag::render_plain(&f.errors, &f.sources)),
    }
}

fn read(path: &str) -> String {
    std::fs::read_to_string(root().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn standard_policies_type_check() {
    let p = stdlib();
    assert!(
        p.program().rules.len() >= 10,
        "only {} rules",
        p.program().rules.len()
    );
}

// Every contract outcome id is checked in tests/stdlib_examples.rs
// (`every_contract_outcome_for_every_example`), with the 32 specializations.

// ------------------------------------------------------------------------------------ sources

/// Every item of the standard policies that decides something, with the sources it cites.
fn cited_items(p: &Program) -> Vec<(String, &[String])> {
    let rules = p
        .rules
        .iter()
        .map(|r| (format!("rule {}", r.name), &r.sources[..]));
    let tables = p
        .tables
        .iter()
        .map(|t| (format!("table {}", t.name), &t.sources[..]));
    let outcomes = p
        .outcomes
        .iter()
        .map(|o| (format!("outcome {}", o.id), &o.sources[..]));
    rules.chain(tables).chain(outcomes).collect()
}

/// What a citation names, read from its text: `KIND: REFERENCE`, optionally followed by
/// ` — NOTE` (the note is free text).
#[derive(Debug, PartialEq)]
enum Citation<'a> {
    /// `faq: QUESTION`: a question or heading of the FAQ, one whole line of it.
    Faq(&'a str),
    /// `score tables §2.4, §3.6`: sections of the capability-score tables.
    ScoreTables(Vec<&'a str>),
    /// `outcomes.md: ID`: an outcome id or a heading of the outcomes contract.
    Outcomes(&'a str),
    /// `partner-facts.md: TEXT`: words of the facts contract.
    PartnerFacts(&'a str),
}

fn citation(source: &str) -> Result<Citation<'_>, String> {
    let reference = |rest: &'static str| -> Option<&str> {
        let r = source.strip_prefix(rest)?;
        Some(r.split(" — ").next().unwrap_or(r).trim())
    };
    if let Some(q) = reference("faq: ") {
        Ok(Citation::Faq(q))
    } else if let Some(s) = reference("score tables ") {
        let sections: Option<Vec<&str>> = s.split(", ").map(|x| x.strip_prefix('§')).collect();
        sections
            .filter(|v| !v.is_empty())
            .map(Citation::ScoreTables)
            .ok_or_else(|| format!("`{source}`: write the sections as `§2.4, §3.6`"))
    } else if let Some(id) = reference("outcomes.md: ") {
        Ok(Citation::Outcomes(id))
    } else if let Some(t) = reference("partner-facts.md: ") {
        Ok(Citation::PartnerFacts(t))
    } else {
        Err(format!(
            "`{source}`: a citation starts with `faq: `, `score tables §`, `outcomes.md: ` or `partner-facts.md: `"
        ))
    }
}

/// The copies of the sources and contracts kept in the repository (never `../shared`).
struct Sources {
    faq_lines: Vec<String>,
    table_sections: Vec<String>,
    outcomes: String,
    partner_facts: String,
}

impl Sources {
    fn read() -> Sources {
        let faq = read("docs/sources/partner-program-faq-2024-08-06.txt");
        let tables = read("docs/sources/capability-score-tables.md");
        // `## 6. Specializations …` gives `6`; `### 4.3 Skilling …` gives `4.3`.
        let table_sections = tables
            .lines()
            .filter(|l| l.starts_with("## ") || l.starts_with("### "))
            .filter_map(|l| l.trim_start_matches('#').split_whitespace().next())
            .map(|n| n.trim_end_matches('.').to_string())
            .collect();
        Sources {
            faq_lines: faq.lines().map(|l| l.trim().to_string()).collect(),
            table_sections,
            outcomes: read("docs/outcomes.md"),
            partner_facts: read("docs/partner-facts.md").to_lowercase(),
        }
    }

    fn check(&self, c: &Citation) -> Result<(), String> {
        let ok = match c {
            Citation::Faq(q) => self.faq_lines.iter().any(|l| l == q),
            Citation::ScoreTables(sections) => {
                return match sections
                    .iter()
                    .find(|s| !self.table_sections.iter().any(|t| t == *s))
                {
                    Some(s) => Err(format!("the score tables have no section §{s}")),
                    None => Ok(()),
                };
            }
            Citation::Outcomes(id) => {
                self.outcomes.contains(&format!("`{id}`"))
                    || self
                        .outcomes
                        .lines()
                        .any(|l| l.trim_start_matches('#').trim() == *id && l.starts_with('#'))
            }
            Citation::PartnerFacts(text) => self.partner_facts.contains(&text.to_lowercase()),
        };
        if ok {
            Ok(())
        } else {
            Err(format!("{c:?} is not in the source"))
        }
    }
}

/// Every rule, table and outcome cites at least one source, and one of them is the FAQ or the
/// capability-score tables (the contracts fix shapes; the program's rules come from those two).
#[test]
fn every_rule_table_and_outcome_cites_the_faq_or_the_score_tables() {
    let p = stdlib();
    let mut missing = Vec::new();
    for (item, sources) in cited_items(p.program()) {
        let primary = sources.iter().any(|s| {
            matches!(
                citation(s),
                Ok(Citation::Faq(_)) | Ok(Citation::ScoreTables(_))
            )
        });
        if !primary {
            missing.push(item);
        }
    }
    assert!(
        missing.is_empty(),
        "no FAQ or score-table source: {missing:#?}"
    );
}

/// Every citation names something that exists: a whole line of the FAQ (a question or a
/// heading), a section of the score tables, an outcome id or heading of docs/outcomes.md, or
/// words of docs/partner-facts.md.
#[test]
fn every_citation_names_a_real_question_section_or_contract_entry() {
    let p = stdlib();
    let sources = Sources::read();
    let mut wrong = Vec::new();
    for (item, cited) in cited_items(p.program()) {
        for s in cited {
            if let Err(e) = citation(s).and_then(|c| sources.check(&c)) {
                wrong.push(format!("{item}: {e}"));
            }
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}

/// The checks above can fail: a made-up question, section or id is caught.
#[test]
fn a_citation_of_something_that_does_not_exist_is_caught() {
    let sources = Sources::read();
    for bad in [
        "faq: How long is a designation valid?",
        "score tables §9.9 — nothing",
        "score tables 4.3",
        "outcomes.md: designation_kept.AREA",
        "partner-facts.md: the partner's shoe size",
        "the FAQ, somewhere",
    ] {
        assert!(
            citation(bad).and_then(|c| sources.check(&c)).is_err(),
            "`{bad}` passed"
        );
    }
    assert_eq!(
        citation("faq: When did these changes occur? — from 2022-10-03"),
        Ok(Citation::Faq("When did these changes occur?"))
    );
    assert!(sources
        .check(&Citation::Faq("When did these changes occur?"))
        .is_ok());
    assert!(sources
        .check(&Citation::ScoreTables(vec!["4.3", "6"]))
        .is_ok());
}

// ---------------------------------------------------------------------------------- outcomes.md

/// The outcome ids of a table of docs/outcomes.md: the first cell of each row, between backticks,
/// in the section whose heading starts with `heading`, up to the next `## ` heading.
fn documented_ids(page: &str, heading: &str) -> Vec<String> {
    let mut lines = page.lines().skip_while(|l| !l.starts_with(heading)).skip(1);
    let section = lines.by_ref().take_while(|l| !l.starts_with("## "));
    section
        .filter_map(|l| l.strip_prefix("| `"))
        .filter_map(|l| l.split('`').next())
        .map(str::to_string)
        .collect()
}

/// The values a placeholder stands for, from the sentence "NAME is one of `a`, `b`, …" of the page.
fn documented_values(page: &str, name: &str) -> Vec<String> {
    let start = page
        .find(&format!("{name} is one of "))
        .unwrap_or_else(|| panic!("docs/outcomes.md does not say what {name} is"));
    let sentence = &page[start..];
    let end = [". ", ".\n"]
        .iter()
        .filter_map(|stop| sentence.find(stop))
        .min()
        .unwrap_or(sentence.len());
    let sentence = &sentence[..end];
    sentence
        .split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

fn variants(p: &Program, enum_name: &str) -> Vec<String> {
    let e = p
        .enums
        .iter()
        .find(|e| &*e.name == enum_name)
        .unwrap_or_else(|| panic!("no enum {enum_name}"));
    e.variants.iter().map(|v| v.to_string()).collect()
}

/// Each documented id with its placeholders (AREA, SPEC, CS, PACKAGE) replaced by every value.
fn expand(patterns: &[String], values: &[(&str, Vec<String>)]) -> Vec<String> {
    let mut out = Vec::new();
    for pattern in patterns {
        let mut ids = vec![pattern.clone()];
        for (name, vals) in values {
            let segment = |id: &str| id.split('.').any(|s| s == *name);
            if ids.iter().any(|id| segment(id)) {
                ids = ids
                    .iter()
                    .flat_map(|id| {
                        vals.iter().map(move |v| {
                            id.split('.')
                                .map(|s| if s == *name { v.as_str() } else { s })
                                .collect::<Vec<_>>()
                                .join(".")
                        })
                    })
                    .collect();
            }
        }
        out.extend(ids);
    }
    out
}

/// docs/outcomes.md lists exactly the outcomes the standard policies define: the contract's ids in
/// its table, eligo's own in the section after the contract, none in both. Its lists of areas and
/// certified-software designations are the policies' enums.
#[test]
fn docs_outcomes_md_lists_exactly_the_outcome_ids_of_the_policies() {
    let p = stdlib();
    let page = read("docs/outcomes.md");
    let area = variants(p.program(), "Area");
    let cs = variants(p.program(), "CertifiedSoftware");
    let package = variants(p.program(), "Package");
    assert_eq!(documented_values(&page, "AREA"), area);
    assert_eq!(documented_values(&page, "CS"), cs);
    assert_eq!(documented_values(&page, "PACKAGE"), package);
    let values = [
        ("AREA", area),
        ("SPEC", variants(p.program(), "Specialization")),
        ("CS", cs),
        ("PACKAGE", package),
    ];
    let contract = expand(&documented_ids(&page, "## Outcome ids"), &values);
    let own = expand(
        &documented_ids(&page, "## Outcomes beyond the contract"),
        &values,
    );
    assert!(
        contract.len() >= 98 && !own.is_empty(),
        "the tables were not found"
    );
    let mut documented: Vec<String> = contract.iter().chain(&own).cloned().collect();
    documented.sort();
    let before = documented.len();
    documented.dedup();
    assert_eq!(before, documented.len(), "an id is documented twice");
    let defined: Vec<String> = p.program().outcomes.iter().map(|o| o.id.clone()).collect();
    let undocumented: Vec<&String> = defined.iter().filter(|i| !documented.contains(i)).collect();
    let missing: Vec<&String> = documented.iter().filter(|i| !defined.contains(i)).collect();
    assert!(
        undocumented.is_empty() && missing.is_empty(),
        "defined but not in docs/outcomes.md: {undocumented:?}\nin docs/outcomes.md but not defined: {missing:?}"
    );
}
