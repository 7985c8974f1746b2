//! The library's front door (`eligo::{Policies, Facts, …}`) as a front end uses it: policies from
//! memory and built in, diagnostics and facts errors as data, evaluation, explanation, batch
//! lines and typed expressions.

use eligo::{
    Batch, Error, EvalOptions, ExplainOptions, FactsOptions, FactsProblem, Input, PathSeg,
    Policies, Severity, Sources, Ty, Value, Worker,
};

fn date(s: &str) -> chrono::NaiveDate {
    eligo::parse_date(s).expect("a date")
}

fn standard() -> Policies {
    Policies::standard().expect("the standard policies compile")
}

const PARTNER: &str = r#"{"format": "eligo.partner-facts/1", "partner": {"id": "p"},
  "metrics": {"azure": {"net_customer_adds": 3}}}"#;

#[test]
fn policies_are_shared_between_threads() {
    fn shareable<T: Send + Sync + Clone + 'static>() {}
    shareable::<Policies>();
    shareable::<eligo::Error>();
    let policies = standard();
    let copy = policies.clone();
    let ids = std::thread::spawn(move || copy.outcomes().len())
        .join()
        .expect("a thread");
    assert_eq!(ids, policies.outcomes().len());
    assert!(ids >= 100, "{ids} outcomes");
}

#[test]
fn policies_from_memory_report_errors_as_data() {
    let sources = Sources::from_texts([
        ("rules/a.elg", "rule a: Int = 1\n"),
        ("b.elg", "use rules.a\nrule b: Int =\n  a + nope\n"),
    ]);
    let Err(Error::Policies(d)) = Policies::compile(sources) else {
        panic!("a policy error");
    };
    let all: Vec<_> = d.iter().collect();
    assert_eq!(all.len(), 1);
    let e = &all[0];
    assert_eq!(e.code, "E0201");
    assert_eq!(e.severity, Severity::Error);
    assert_eq!(e.message, "unknown name `nope`");
    let label = &e.labels[0];
    assert_eq!(label.file, "b.elg");
    assert_eq!((label.line, label.column), (3, 7));
    assert_eq!(label.range.len(), 4);
    assert!(d.render(false).contains("b.elg:3:7"), "{}", d.render(false));
}

#[test]
fn outcomes_are_selected_by_id_and_prefix_and_an_unknown_one_is_a_request_error() {
    let policies = standard();
    let scores = policies.select(&["capability_score"]).expect("a prefix");
    assert_eq!(scores.len(), 6);
    let ids: Vec<&str> = policies.selected(&scores).map(|o| o.id()).collect();
    assert!(ids.contains(&"capability_score.security"), "{ids:?}");
    let Err(Error::Request(d)) = policies.select(&["capability_scor"]) else {
        panic!("an unknown outcome");
    };
    let e = d.iter().next().expect("a diagnostic");
    assert_eq!(e.code, "E0601");
    assert_eq!(e.help.as_deref(), Some("did you mean `capability_score`?"));
}

#[test]
fn facts_errors_carry_their_path_problem_and_span() {
    let policies = standard();
    let text = r#"{"format": "eligo.partner-facts/1", "partner": {"id": 5}}"#;
    let Err(Error::Facts(f)) = policies.read_facts("p.json", text, &FactsOptions::new()) else {
        panic!("a facts error");
    };
    assert_eq!(f.code(), "E0402");
    let path = f.path().expect("a path");
    assert_eq!(
        path.0,
        [PathSeg::Key("partner".into()), PathSeg::Key("id".into())]
    );
    assert!(matches!(f.problem(), Some(FactsProblem::WrongKind { .. })));
    assert_eq!(&text[f.span().expect("a span")], "5");
    let strict = FactsOptions::new().strict(true);
    let Err(Error::Facts(f)) = policies.read_facts(
        "p.json",
        r#"{"format": "eligo.partner-facts/1", "partnr": {}}"#,
        &strict,
    ) else {
        panic!("an unknown key");
    };
    assert_eq!(f.code(), "E0403");
    assert_eq!(f.path().expect("a path").to_string(), "partnr");
}

#[test]
fn facts_warnings_are_diagnostics_of_severity_warning() {
    let policies = standard();
    let value: serde_json::Value = serde_json::from_str(
        r#"{"format": "eligo.partner-facts/1", "partner": {"id": "p"}, "partnr": {}}"#,
    )
    .expect("JSON");
    let facts = policies
        .facts_from_json("value", &value, &FactsOptions::new())
        .expect("lenient facts");
    let w: Vec<_> = facts.warning_diagnostics().collect();
    assert_eq!(w.len(), 1);
    assert_eq!(w[0].severity, Severity::Warning);
    assert_eq!(
        w[0].message,
        "partnr: unknown key ignored (did you mean `partner`?)"
    );
}

#[test]
fn evaluation_gives_typed_values_and_the_outcomes_json() {
    let policies = standard();
    let facts = policies
        .read_facts("p.json", PARTNER, &FactsOptions::new())
        .expect("facts");
    let all = policies.all_outcomes();
    let as_of = facts.date(Some(date("2024-08-06")));
    let outcomes = policies
        .evaluate(&facts, &all, as_of, &EvalOptions::new())
        .expect("an evaluation");
    assert_eq!(outcomes.partner(), Some("p"));
    assert_eq!(outcomes.iter().len(), all.len());
    let badge = outcomes
        .iter()
        .find(|o| o.id == "microsoft_cloud_badge")
        .expect("the badge");
    assert_eq!(*badge.ty, Ty::Bool);
    assert!(matches!(badge.value, Value::Bool(_)));
    let json: serde_json::Value =
        serde_json::from_str(&outcomes.to_json(false).expect("written")).expect("JSON");
    assert_eq!(json["format"], "eligo.outcomes/1");
    assert_eq!(
        json["outcomes"].as_object().expect("an object").len(),
        all.len()
    );
    let tight = EvalOptions::new().max_steps(10);
    let Err(Error::Evaluation(e)) = policies.evaluate(&facts, &all, as_of, &tight) else {
        panic!("the budget runs out");
    };
    assert!(e.outcome.is_some());
    assert_eq!(e.diagnostics().codes().collect::<Vec<_>>(), ["E0503"]);
}

#[test]
fn a_batch_line_is_the_evaluation_of_its_partner() {
    let policies = standard();
    let selection = policies.select(&["certified_software"]).expect("a prefix");
    let batch = Batch::new(
        &selection,
        Some(date("2024-08-06")),
        date("2024-08-06"),
        &FactsOptions::new(),
        &EvalOptions::new(),
    );
    let line: String = PARTNER.split_whitespace().collect::<Vec<_>>().join(" ");
    let worker_policies = policies.worker_copy().expect("a copy");
    let out = batch.line(&worker_policies, 1, &line, &mut Worker::default());
    assert!(!out.failed, "{}", out.json);
    let facts = policies
        .read_facts("p", &line, &FactsOptions::new())
        .expect("facts");
    let alone = policies
        .evaluate(&facts, &selection, date("2024-08-06"), &EvalOptions::new())
        .expect("an evaluation");
    assert_eq!(out.json, alone.to_json(false).expect("written"));
    let bad = batch.line(&policies, 2, "{", &mut Worker::default());
    assert!(bad.failed);
    assert!(bad.json.starts_with("{\"line\":2,"), "{}", bad.json);
}

#[test]
fn explanations_are_data_text_and_json() {
    let policies = standard();
    let facts = policies
        .read_facts("p.json", PARTNER, &FactsOptions::new())
        .expect("facts");
    let selection = policies.select(&["microsoft_cloud_badge"]).expect("an id");
    let ex = policies
        .explain(
            &facts,
            &selection,
            date("2024-08-06"),
            &ExplainOptions::new().horizon_days(30),
        )
        .expect("an explanation");
    assert_eq!(ex.items().len(), 1);
    assert_eq!(ex.items()[0].id, "microsoft_cloud_badge");
    assert!(ex.text(false).contains("microsoft_cloud_badge"));
    let json: serde_json::Value = serde_json::from_str(&ex.json()).expect("JSON");
    assert_eq!(json["format"], "eligo.explanation/1");
}

#[test]
fn typed_expressions_are_checked_and_evaluated_against_the_policies() {
    let policies = Policies::compile(Sources::from_texts([(
        "tiers.elg",
        "enum Tier { silver, gold }\nrule base: Int = 40\n",
    )]))
    .expect("compiles");
    let prelude = policies.prelude();
    let line = "let x = base + 2";
    let Input::Binding { name, rhs } = eligo::parse_input(line, 0..line.len()) else {
        panic!("a binding");
    };
    assert_eq!(name, "x");
    let bindings = [("x", &line[rhs])];
    let line = "x * 2";
    let e = policies
        .expression(&prelude, &bindings, line, 0..line.len())
        .expect("checks");
    assert_eq!(e.ty().to_string(), "Int");
    let v = e.evaluate(None, date("2024-08-06")).expect("a value");
    assert_eq!(e.display(&v).expect("written"), "84");
    let line = "x + nope";
    let Err(err) = policies.expression(&prelude, &bindings, line, 0..line.len()) else {
        panic!("an unknown name");
    };
    let d = err.diagnostics().iter().next().expect("a diagnostic");
    assert_eq!(d.labels[0].file, eligo::INPUT_NAME);
    assert_eq!((d.labels[0].line, d.labels[0].column), (1, 5));
    assert!(matches!(
        eligo::parse_input("count(", 0..6),
        Input::Invalid {
            incomplete: true,
            ..
        }
    ));
    assert!(eligo::is_incomplete("1 +"));
    assert!(!eligo::is_incomplete("1 + 2"));
}

#[test]
fn rules_tell_what_they_read_and_evaluate_alone() {
    let policies = Policies::compile(Sources::from_texts([(
        "p.elg",
        "enum Tier { silver, gold }\nrule tier_points(t: Tier): Int = if t == gold then 2 else 1\nrule total: Int = tier_points(gold) + tier_points(silver)\n",
    )]))
    .expect("compiles");
    let total = policies.rule("total").expect("a rule");
    assert_eq!(total.signature(), "total: Int");
    let reads = total.reads();
    assert_eq!(reads.calls.len(), 2);
    assert!(!total.reads_facts());
    let v = policies
        .evaluate_rule(total, Vec::new(), None, date("2024-08-06"))
        .expect("a value");
    assert!(matches!(v, Value::Int(3)));
    // (`points(` always starts a points call: a rule called with arguments is not `points`.)
    let points = policies.rule("tier_points").expect("a rule");
    assert_eq!(points.signature(), "tier_points(t: Tier): Int");
    let (_, tier) = points.params().next().expect("a parameter");
    assert_eq!(policies.values_of(tier).map(|v| v.len()), Some(2));
}

#[test]
fn a_file_that_does_not_parse_is_not_formatted() {
    assert_eq!(
        eligo::format("a.elg", "a", "rule  a :Int=1\n").expect("formats"),
        "rule a: Int = 1\n"
    );
    let Err(e) = eligo::format("a.elg", "a", "rule a: Int = (\n") else {
        panic!("a syntax error");
    };
    assert!(e.render(false).contains("a.elg:"), "{}", e.render(false));
}

#[test]
fn the_generator_s_lists_are_the_standard_policies_enums() {
    let policies = standard();
    let variants = |enum_name: &str| {
        let (_, variants) = policies
            .enums()
            .find(|(name, _)| *name == enum_name)
            .unwrap_or_else(|| panic!("enum {enum_name}"));
        variants
    };
    assert_eq!(variants("Area"), eligo_generate::AREAS);
    assert_eq!(
        variants("CertifiedSoftware"),
        eligo_generate::CERTIFIED_SOFTWARE
    );
}

#[test]
fn every_built_in_name_is_a_function_the_checker_knows_and_no_other_is() {
    let codes = |name: &str| -> Vec<String> {
        let text = format!("rule x: Int = {name}()\n");
        match Policies::compile(Sources::from_texts([("main.elg", text.as_str())])) {
            Err(Error::Policies(d)) => d.codes().map(String::from).collect(),
            other => panic!(
                "`{name}()` compiled or failed otherwise: {:?}",
                other.is_ok()
            ),
        }
    };
    for name in eligo::BUILTIN_NAMES.iter().filter(|n| **n != "as_of") {
        let got = codes(name);
        assert!(
            !got.iter().any(|c| c == "E0201" || c == "E0900"),
            "`{name}` is listed but the checker does not know it: {got:?}"
        );
    }
    // A name that is not listed is unknown, even one close to a listed one.
    assert_eq!(codes("month_between"), ["E0201"]);
    assert_eq!(codes("as_of"), ["E0201"]);
}

/// A value that does not have the shape of its type is written as no plausible value (an enum
/// by its index, a record as `{}`) but refused: an internal error, E0900.
#[test]
fn a_value_off_its_type_is_an_internal_error_not_a_plausible_text() {
    let policies = Policies::compile(Sources::from_texts([(
        "p.elg",
        "enum Tier { silver, gold }\nrule best: Tier = gold\nrule pair: {a: Int, b: Int} = {a: 1, b: 2}\n",
    )]))
    .expect("compiles");
    let pair = policies.rule("pair").expect("a rule");
    let pair_ty = pair.ty().clone();
    let both = policies
        .evaluate_rule(pair, Vec::new(), None, date("2024-08-06"))
        .expect("a value");
    assert_eq!(
        policies.json(&both, &pair_ty).expect("written"),
        r#"{"a":1,"b":2}"#
    );
    let best = policies.rule("best").expect("a rule");
    let tier = best.ty().clone();
    let gold = policies
        .evaluate_rule(best, Vec::new(), None, date("2024-08-06"))
        .expect("a value");
    assert_eq!(policies.display(&gold, &tier).expect("written"), "gold");
    assert_eq!(policies.json(&gold, &tier).expect("written"), "\"gold\"");
    let list = Value::List(std::sync::Arc::new(vec![Value::Int(1)]));
    let record = Value::Record(std::sync::Arc::new(vec![Value::Int(1)]));
    for (v, ty) in [
        (Value::Enum(7), tier.clone()),
        (Value::Enum(0), Ty::Int),
        (list, Ty::Int),
        (record.clone(), Ty::Text),
        // One field short of its type: written as `{"a":1}` before.
        (record, pair_ty.clone()),
    ] {
        for written in [policies.display(&v, &ty), policies.json(&v, &ty)] {
            let e = written.expect_err("refused");
            assert!(matches!(e, Error::Internal(_)), "{e:?}");
            assert_eq!(e.diagnostics().codes().collect::<Vec<_>>(), ["E0900"]);
            assert_eq!(
                e.headline(),
                "error E0900: internal error: a value does not have the shape of its type"
            );
        }
    }
}

/// A front end reading one policy file itself (the language server, for a file not open in the
/// editor) gets the size limit policies are loaded with, not a read of the whole file.
#[test]
fn a_policy_file_past_the_size_limit_is_not_read_whole() {
    let dir = std::env::temp_dir().join(format!("eligo-api-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a folder");
    let small = dir.join("small.elg");
    std::fs::write(&small, "rule x: Int = 1\n").expect("written");
    assert_eq!(
        eligo::read_policy_text(&small).expect("read"),
        "rule x: Int = 1\n"
    );
    let huge = dir.join("huge.elg");
    let file = std::fs::File::create(&huge).expect("created");
    file.set_len(1 << 40).expect("a sparse terabyte");
    let refused = eligo::read_policy_text(&huge);
    let _ = std::fs::remove_dir_all(&dir);
    let Err(Error::Policies(d)) = refused else {
        panic!("not refused: {refused:?}");
    };
    assert_eq!(d.codes().collect::<Vec<_>>(), ["E0003"]);
}
