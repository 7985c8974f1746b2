//! The edges of every rule family of the standard policies: window ends, exactly-at-threshold
//! values, caps, zero metrics, retirement and expiry days, anniversaries on month ends and leap
//! days. Each test builds small partner facts inline and asserts the exact JSON text of an
//! outcome, as `eligo eval --format json` would print it.
//!
//! The expected values come from the sources (`docs/sources/`: the FAQ and the capability-score
//! tables), from the contracts `docs/outcomes.md` and `docs/partner-facts.md`, and, where the
//! sources leave a point open, from the decision listed in `docs/interpretations.md` (cited as
//! the standard policies currently get wrong.

use chrono::NaiveDate;
use eligo::driver::{compile_sources, policy_sources};
use eligo::eval::output::json_value;
use eligo::eval::Compiled;
use eligo::eval::{Evaluation, Limits};
use eligo::facts::{load_facts, LoadOptions};
use eligo_generate::AREAS;
use serde_json::{json, Value};
use std::path::Path;
use std::sync::OnceLock;

// ---------------------------------------------------------------------------------------------
// Harness
// ---------------------------------------------------------------------------------------------

/// The standard policies, compiled once per test binary.
fn program() -> &'static Compiled {
    static PROGRAM: OnceLock<Compiled> = OnceLock::new();
    PROGRAM.get_or_init(|| {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../stdlib-policies");
        let sources = policy_sources(&dir).expect("stdlib-policies is readable");
        match compile_sources(sources) {
            Ok(p) => p,
            Err(f) => panic!("{}", eligo::diag::render_plain(&f.errors, &f.sources)),
        }
    })
}

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_else(|e| panic!("{s}: {e}"))
}

/// The JSON text of outcome `id` for the facts `facts_json` as of `as_of`.
fn outcome(facts_json: &str, as_of: &str, id: &str) -> String {
    let program = program();
    let i = program
        .program()
        .outcomes
        .iter()
        .position(|o| o.id == id)
        .unwrap_or_else(|| panic!("no outcome {id}"));
    let facts = load_facts(
        program.program().facts_view(),
        "inline",
        facts_json,
        LoadOptions {
            strict: true,
            ..Default::default()
        },
    )
    .unwrap_or_else(|e| panic!("facts: {e}\n{facts_json}"));
    let mut ev = Evaluation::new(program, facts.fields(), date(as_of), Limits::default());
    let v = ev
        .outcome(i)
        .unwrap_or_else(|e| panic!("{id} as of {as_of}: {e}"));
    let mut s = String::new();
    json_value(
        &mut s,
        program.program(),
        &v,
        &program.program().outcomes[i].ty,
    )
    .expect("written");
    s
}

/// A facts document: `body` plus the required `format` and `partner`.
fn facts(body: Value) -> String {
    let mut doc = json!({
        "format": "eligo.partner-facts/1",
        "partner": { "id": "p", "market": "US" },
    });
    let (Value::Object(d), Value::Object(b)) = (&mut doc, body) else {
        panic!("facts body must be an object");
    };
    for (k, v) in b {
        d.insert(k, v);
    }
    doc.to_string()
}

/// `n` people, each holding every certification in `names` (earned 2022-01-01, no expiry).
/// `tag` keeps person ids unique within one document.
fn certified(n: usize, names: &[&str], tag: &str) -> Vec<Value> {
    (0..n)
        .map(|i| {
            let certs: Vec<Value> = names
                .iter()
                .map(|name| json!({ "name": name, "earned_on": "2022-01-01" }))
                .collect();
            json!({ "id": format!("{tag}{i}"), "certifications": certs })
        })
        .collect()
}

/// One person holding one certification with the given dates.
fn holder(id: &str, name: &str, earned_on: &str, expires_on: Option<&str>) -> Value {
    let mut c = json!({ "name": name, "earned_on": earned_on });
    if let Some(e) = expires_on {
        c["expires_on"] = json!(e);
    }
    json!({ "id": id, "certifications": [c] })
}

fn concat(groups: Vec<Vec<Value>>) -> Vec<Value> {
    groups.into_iter().flatten().collect()
}

const ARCHITECT: &str = "Azure Solutions Architect Expert";
const ADMINISTRATOR: &str = "Azure Administrator Associate";

/// The Azure prerequisite steps met: 2 architects and 2 administrators.
fn azure_prerequisites() -> Vec<Value> {
    concat(vec![
        certified(2, &[ARCHITECT], "arch"),
        certified(2, &[ADMINISTRATOR], "admin"),
    ])
}

const SECURITY_ENGINEER: &str = "Azure Security Engineer Associate";
const SECURITY_ANALYST: &str = "Security Operations Analyst";
const CYBER_ARCHITECT: &str = "Cybersecurity Architect Expert";

/// The Security prerequisite steps met under the rule from 2023-12-01 (2 people each); the step-2
/// people hold Security Operations Analyst, which no longer scores from that date.
fn security_prerequisites() -> Vec<Value> {
    concat(vec![
        certified(2, &[SECURITY_ENGINEER], "eng"),
        certified(2, &[SECURITY_ANALYST], "soa"),
    ])
}

// ---------------------------------------------------------------------------------------------
// Marketplace windows and certified software
// ---------------------------------------------------------------------------------------------

const YES: &str = r#"["s1"]"#;
const NO: &str = "[]";
const D: &str = "2024-08-06";

fn tx(date: &str, amount: &str, customer: &str, net_new: bool) -> Value {
    json!({ "date": date, "amount_usd": amount, "customer": customer, "customer_net_new": net_new })
}

fn evidence(n: usize, verifiable: bool, customer_validated: bool) -> Vec<Value> {
    (0..n)
        .map(|i| {
            json!({ "kind": format!("case_study_{i}"), "verifiable": verifiable,
                    "customer_validated": customer_validated })
        })
        .collect()
}

/// A solution meeting every Azure certified-software criterion except the partner's marketplace
/// performance.
fn azure_solution(id: &str) -> Value {
    json!({
        "id": id, "published": true,
        "ip_cosell_eligible": { "azure": true },
        "technical_review_passed": { "azure": true },
        "rating": { "average": 4.8, "count": 40 },
    })
}

fn marketplace(transactions: Vec<Value>, solutions: Vec<Value>) -> String {
    facts(json!({ "marketplace": { "transactions": transactions, "solutions": solutions } }))
}

/// `certified_software.azure` with one Azure-ready solution `s1` and these transactions.
fn azure_cs(transactions: Vec<Value>, as_of: &str) -> String {
    outcome(
        &marketplace(transactions, vec![azure_solution("s1")]),
        as_of,
        "certified_software.azure",
    )
}

#[test]
fn billed_sales_window_is_open_at_d_minus_12_months_and_closed_at_d() {
    let big = |d: &str| vec![tx(d, "4000000.00", "c1", false)];
    // (D − 12 months, D]: the day twelve months before D is outside, D itself inside.
    assert_eq!(azure_cs(big("2023-08-06"), D), NO);
    assert_eq!(azure_cs(big("2023-08-07"), D), YES);
    assert_eq!(azure_cs(big("2024-08-06"), D), YES);
    // Facts dated after D are ignored.
    assert_eq!(azure_cs(big("2024-08-07"), D), NO);
    // As of a leap day the window starts after 2023-02-28 (month arithmetic clamps).
    assert_eq!(azure_cs(big("2023-02-28"), "2024-02-29"), NO);
    assert_eq!(azure_cs(big("2023-03-01"), "2024-02-29"), YES);
    // As of 2025-02-28 the window starts after 2024-02-28: the leap day is inside.
    assert_eq!(azure_cs(big("2024-02-28"), "2025-02-28"), NO);
    assert_eq!(azure_cs(big("2024-02-29"), "2025-02-28"), YES);
}

#[test]
fn billed_sales_of_exactly_four_million_pass() {
    assert_eq!(
        azure_cs(vec![tx("2024-01-10", "4000000", "c1", false)], D),
        YES
    );
    assert_eq!(
        azure_cs(vec![tx("2024-01-10", "3999999.99", "c1", false)], D),
        NO
    );
    // Summed over the window, across customers.
    let split = vec![
        tx("2024-01-10", "1999999.99", "c1", false),
        tx("2024-02-10", "2000000.01", "c2", false),
    ];
    assert_eq!(azure_cs(split, D), YES);
    // Money given as a JSON number is read exactly too.
    let number = facts(json!({
        "marketplace": {
            "transactions": [{ "date": "2024-01-10", "amount_usd": 3999999.99, "customer": "c1" }],
            "solutions": [azure_solution("s1")],
        }
    }));
    assert_eq!(outcome(&number, D, "certified_software.azure"), NO);
}

/// `n` net-new customers, each with one transaction of `amount` inside the window.
fn net_new_customers(n: usize, amount: &str) -> Vec<Value> {
    (0..n)
        .map(|i| tx("2024-01-15", amount, &format!("n{i:02}"), true))
        .collect()
}

#[test]
fn twelve_net_new_customers_over_ten_thousand_pass() {
    assert_eq!(azure_cs(net_new_customers(12, "10000.01"), D), YES);
    assert_eq!(azure_cs(net_new_customers(11, "10000.01"), D), NO);
    // "Greater than USD 10,000": a customer at exactly 10,000 does not count.
    let mut at_limit = net_new_customers(11, "10000.01");
    at_limit.push(tx("2024-01-15", "10000.00", "n11", true));
    assert_eq!(azure_cs(at_limit, D), NO);
    // A customer not flagged net-new does not count.
    let mut not_new = net_new_customers(11, "10000.01");
    not_new.push(tx("2024-01-15", "50000.00", "old", false));
    assert_eq!(azure_cs(not_new, D), NO);
    // The same customer twice is one customer.
    let mut twice = net_new_customers(11, "10000.01");
    twice.push(tx("2024-02-15", "10000.01", "n00", true));
    assert_eq!(azure_cs(twice, D), NO);
}

#[test]
fn a_net_new_customer_counts_only_its_transactions_inside_the_window() {
    // Transactions summed per customer: two of 6,000 make one customer over 10,000, and only
    // one of them needs the net-new flag.
    let mut both_inside = net_new_customers(11, "10000.01");
    both_inside.push(tx("2023-08-07", "6000", "edge", true));
    both_inside.push(tx("2024-08-06", "6000", "edge", false));
    assert_eq!(azure_cs(both_inside, D), YES);
    // Split across the window's start: only 6,000 is inside.
    let mut split_start = net_new_customers(11, "10000.01");
    split_start.push(tx("2023-08-06", "6000", "edge", true));
    split_start.push(tx("2023-08-07", "6000", "edge", true));
    assert_eq!(azure_cs(split_start, D), NO);
    // Split across D: the later transaction is not yet knowable.
    let mut split_end = net_new_customers(11, "10000.01");
    split_end.push(tx("2024-08-06", "6000", "edge", true));
    split_end.push(tx("2024-08-07", "6000", "edge", true));
    assert_eq!(azure_cs(split_end, D), NO);
    // The only net-new flag is on a transaction outside the window.
    let mut flag_outside = net_new_customers(11, "10000.01");
    flag_outside.push(tx("2023-08-06", "1", "edge", true));
    flag_outside.push(tx("2023-09-01", "20000", "edge", false));
    assert_eq!(azure_cs(flag_outside, D), NO);
}

/// `n` transactions of `amount` inside the window, spread round-robin over `customers`
/// customers.
fn small_transactions(n: usize, customers: usize, amount: &str) -> Vec<Value> {
    (0..n)
        .map(|i| tx("2024-03-01", amount, &format!("u{}", i % customers), false))
        .collect()
}

#[test]
fn thirty_transactions_of_a_hundred_with_eight_customers_pass() {
    assert_eq!(azure_cs(small_transactions(30, 8, "100.00"), D), YES);
    assert_eq!(azure_cs(small_transactions(29, 8, "100.00"), D), NO);
    assert_eq!(azure_cs(small_transactions(30, 7, "100.00"), D), NO);
    // Transactions under USD 100 do not count, towards either number.
    let mut one_small = small_transactions(29, 8, "100.00");
    one_small.push(tx("2024-03-01", "99.99", "u0", false));
    assert_eq!(azure_cs(one_small, D), NO);
    let mut eighth_small = small_transactions(30, 7, "100.00");
    eighth_small.push(tx("2024-03-01", "99.99", "u7", false));
    assert_eq!(azure_cs(eighth_small, D), NO);
    // A transaction outside the window does not count.
    let mut one_old = small_transactions(29, 8, "100.00");
    one_old.push(tx("2023-08-06", "100.00", "u0", false));
    assert_eq!(azure_cs(one_old, D), NO);
}

/// `certified_software.CS` for one solution, with USD 4M of billed sales in the window.
fn with_sales(cs: &str, solution: Value) -> String {
    outcome(
        &marketplace(
            vec![tx("2024-01-10", "4000000", "c1", false)],
            vec![solution],
        ),
        D,
        &format!("certified_software.{cs}"),
    )
}

#[test]
fn customer_satisfaction_needs_a_4_5_rating_with_15_ratings_or_two_pieces_of_evidence() {
    let rated = |average: Value, count: u64| {
        let mut s = azure_solution("s1");
        s["rating"] = json!({ "average": average, "count": count });
        with_sales("azure", s)
    };
    assert_eq!(rated(json!(4.5), 15), YES);
    assert_eq!(rated(json!(4.49), 15), NO);
    assert_eq!(rated(json!(4.5), 14), NO);
    assert_eq!(rated(json!(5), 100), YES);
    assert_eq!(rated(num("4.4999999999"), 100), NO);
    // Decision 21: an absent average counts as 0.
    assert_eq!(rated(Value::Null, 100), NO);

    let with_evidence = |cs: &str, ev: Vec<Value>| {
        let mut s = azure_solution("s1");
        s["rating"] = json!({ "count": 0 });
        s["technical_review_passed"]["sentinel_content_hub"] = json!(true);
        s["customer_evidence"] = json!(ev);
        with_sales(cs, s)
    };
    assert_eq!(with_evidence("azure", evidence(2, true, false)), YES);
    assert_eq!(with_evidence("azure", evidence(1, true, false)), NO);
    // Evidence must be verifiable…
    let mixed = concat(vec![evidence(1, true, false), evidence(1, false, true)]);
    assert_eq!(with_evidence("azure", mixed.clone()), NO);
    assert_eq!(with_evidence("azure", evidence(3, false, false)), NO);
    // …except for Security, where evidence validated by the customer counts too.
    assert_eq!(with_evidence("security", mixed), YES);
    assert_eq!(with_evidence("security", evidence(2, false, true)), YES);
    assert_eq!(with_evidence("security", evidence(2, false, false)), NO);
}

#[test]
fn azure_and_security_need_their_own_technical_review_and_co_sell() {
    let mut unpublished = azure_solution("s1");
    unpublished["published"] = json!(false);
    assert_eq!(with_sales("azure", unpublished), NO);
    let mut no_cosell = azure_solution("s1");
    no_cosell["ip_cosell_eligible"]["azure"] = json!(false);
    assert_eq!(with_sales("azure", no_cosell), NO);
    // Security: the Sentinel Content hub, not the Azure review.
    assert_eq!(with_sales("security", azure_solution("s1")), NO);
    let mut sentinel = azure_solution("s1");
    sentinel["technical_review_passed"] = json!({ "sentinel_content_hub": true });
    assert_eq!(with_sales("security", sentinel.clone()), YES);
    assert_eq!(with_sales("azure", sentinel), NO);
}

#[test]
fn business_applications_needs_one_million_billed_sales() {
    let solution = json!({
        "id": "s1", "published": true,
        "ip_cosell_eligible": { "business_applications": true },
        "technical_review_passed": { "business_applications": true },
        "rating": { "average": 4.5, "count": 15 },
    });
    let ba = |amount: &str| {
        outcome(
            &marketplace(
                vec![tx("2024-01-10", amount, "c1", false)],
                vec![solution.clone()],
            ),
            D,
            "certified_software.business_applications",
        )
    };
    assert_eq!(ba("1000000"), YES);
    assert_eq!(ba("999999.99"), NO);
}

/// A Microsoft 365 solution: published, App Compliance certified, well rated.
fn teams_solution(mau: Vec<Value>) -> Value {
    json!({
        "id": "s1", "published": true,
        "technical_review_passed": { "m365_app_compliance": true },
        "rating": { "average": 4.7, "count": 30 },
        "teams_app_mau": mau,
    })
}

/// Monthly active users for every month from `first` (YYYY-MM) on, `n` months.
fn mau_months(first: &str, n: u32, users: u64) -> Vec<Value> {
    let (y, m) = first.split_once('-').expect("YYYY-MM");
    let start = y.parse::<i32>().expect("year") * 12 + m.parse::<i32>().expect("month") - 1;
    (0..n as i32)
        .map(|i| {
            let k = start + i;
            json!({ "month": format!("{:04}-{:02}", k / 12, k % 12 + 1), "users": users })
        })
        .collect()
}

#[test]
fn modern_work_teams_mau_averages_fifty_thousand() {
    let mw = |mau: Vec<Value>, as_of: &str| {
        outcome(
            &marketplace(vec![], vec![teams_solution(mau)]),
            as_of,
            "certified_software.modern_work",
        )
    };
    // As of a month's last day the window holds exactly 12 calendar months (Aug 2023–Jul 2024).
    assert_eq!(mw(mau_months("2023-08", 12, 50_000), "2024-07-31"), YES);
    let mut one_short = mau_months("2023-08", 11, 50_000);
    one_short.push(json!({ "month": "2024-07", "users": 49_999 }));
    assert_eq!(mw(one_short, "2024-07-31"), NO);
    // A month with no entry counts as 0; a month outside the window does not count.
    let mut gap = mau_months("2023-09", 11, 54_545);
    gap.push(json!({ "month": "2023-07", "users": 1_000_000 }));
    assert_eq!(mw(gap, "2024-07-31"), NO);
    // Several entries of one month are added.
    let mut halves = mau_months("2023-08", 11, 50_000);
    halves.push(json!({ "month": "2024-07", "users": 25_000 }));
    halves.push(json!({ "month": "2024-07", "users": 25_000 }));
    assert_eq!(mw(halves, "2024-07-31"), YES);
    // Decision 18: the months of the window are the twelve calendar months it completes (those
    // whose last day lies in it): mid-month, Aug 2023–Jul 2024. Twelve full months at exactly
    // 50,000 qualify; the unfinished current month does not count, whatever it holds.
    assert_eq!(mw(mau_months("2023-08", 12, 50_000), D), YES);
    let mut current = mau_months("2023-09", 11, 50_000);
    current.push(json!({ "month": "2024-08", "users": 1_000_000 }));
    assert_eq!(mw(current, D), NO);
    // Entries after D's month are ignored.
    assert_eq!(mw(mau_months("2024-08", 12, 1_000_000), "2024-07-31"), NO);
}

#[test]
fn modern_work_billed_sales_alternative_and_compliance() {
    let mw = |amount: &str, solution: Value| {
        outcome(
            &marketplace(vec![tx("2024-01-10", amount, "c1", false)], vec![solution]),
            D,
            "certified_software.modern_work",
        )
    };
    assert_eq!(mw("100000", teams_solution(vec![])), YES);
    assert_eq!(mw("99999.99", teams_solution(vec![])), NO);
    let mut no_compliance = teams_solution(vec![]);
    no_compliance["technical_review_passed"] = json!({ "azure": true });
    assert_eq!(mw("100000", no_compliance), NO);
}

#[test]
fn industry_ai_is_per_industry() {
    let industry_solution = |reviews: Value, ev: Value| {
        json!({
            "id": "s1", "published": true,
            "ip_cosell_eligible": { "azure": true },
            "technical_review_passed": { "azure": true },
            "industry_ai_review_passed": reviews,
            "customer_evidence": ev,
        })
    };
    let retail_evidence = json!([
        { "kind": "case_study", "verifiable": true, "industry": "retail" },
        { "kind": "reference", "verifiable": true, "industry": "retail" },
    ]);
    let f = marketplace(
        vec![],
        vec![industry_solution(
            json!(["retail"]),
            retail_evidence.clone(),
        )],
    );
    assert_eq!(outcome(&f, D, "certified_software.retail_ai"), YES);
    assert_eq!(outcome(&f, D, "certified_software.healthcare_ai"), NO);
    // Industry AI needs no marketplace sales, but not the solution-area designation's either.
    assert_eq!(outcome(&f, D, "certified_software.azure"), NO);
    // The industry review must be for that industry.
    let other_review = marketplace(
        vec![],
        vec![industry_solution(json!(["healthcare"]), retail_evidence)],
    );
    assert_eq!(
        outcome(&other_review, D, "certified_software.retail_ai"),
        NO
    );
    assert_eq!(
        outcome(&other_review, D, "certified_software.healthcare_ai"),
        NO
    );
    // Both pieces of evidence must be verifiable and for the industry.
    let mixed = json!([
        { "kind": "case_study", "verifiable": true, "industry": "retail" },
        { "kind": "reference", "verifiable": true, "industry": "healthcare" },
        { "kind": "quote", "verifiable": false, "industry": "retail" },
    ]);
    let f = marketplace(
        vec![],
        vec![industry_solution(json!(["retail", "healthcare"]), mixed)],
    );
    assert_eq!(outcome(&f, D, "certified_software.retail_ai"), NO);
    assert_eq!(outcome(&f, D, "certified_software.healthcare_ai"), NO);
}

/// FAQ, "What are the benefits of attaining a certified software designation?": "Benefits provided
/// upon attainment of a certified software designation … are valid for one year". Read from the
/// facts addition `certified_software` (docs/partner-facts.md).
#[test]
fn certified_software_benefits_are_valid_for_one_year_from_attainment() {
    let f = facts(json!({ "marketplace": { "solutions": [
        { "id": "s2", "certified_software": [
            { "designation": "azure", "attained_on": "2023-08-06" } ] },
        { "id": "s1", "certified_software": [
            { "designation": "azure", "attained_on": "2024-01-10" },
            { "designation": "retail_ai", "attained_on": "2024-02-29" } ] },
        { "id": "s3" },
    ] } }));
    let azure = |as_of: &str| outcome(&f, as_of, "certified_software_benefits.azure");
    // Not before its attainment.
    assert_eq!(azure("2023-08-05"), "[]");
    assert_eq!(azure("2023-08-06"), r#"["s2"]"#);
    // Valid through the day before the first anniversary; sorted ids.
    assert_eq!(azure("2024-01-10"), r#"["s1","s2"]"#);
    assert_eq!(azure("2024-08-05"), r#"["s1","s2"]"#);
    assert_eq!(azure("2024-08-06"), r#"["s1"]"#);
    assert_eq!(azure("2025-01-09"), r#"["s1"]"#);
    assert_eq!(azure("2025-01-10"), "[]");
    // A leap-day attainment lasts through 2025-02-27.
    let retail = |as_of: &str| outcome(&f, as_of, "certified_software_benefits.retail_ai");
    assert_eq!(retail("2025-02-27"), r#"["s1"]"#);
    assert_eq!(retail("2025-02-28"), "[]");
    // Only the designation attained: none for the others, whatever the criteria say.
    assert_eq!(
        outcome(&f, "2024-03-01", "certified_software_benefits.security"),
        "[]"
    );
    assert_eq!(outcome(&f, "2024-03-01", "certified_software.azure"), "[]");
}

#[test]
fn certified_solution_ids_are_sorted() {
    let solutions = vec![
        azure_solution("zeta"),
        azure_solution("alpha"),
        json!({ "id": "beta", "published": false }),
        azure_solution("Mid"),
        azure_solution("mid"),
    ];
    let f = marketplace(vec![tx("2024-01-10", "4000000", "c1", false)], solutions);
    assert_eq!(
        outcome(&f, D, "certified_software.azure"),
        r#"["Mid","alpha","mid","zeta"]"#
    );
    assert_eq!(outcome(&f, D, "certified_software.security"), NO);
}

// ---------------------------------------------------------------------------------------------
// Capability scores
// ---------------------------------------------------------------------------------------------

fn score(body: Value, as_of: &str, area: &str) -> (String, String) {
    let f = facts(body);
    (
        outcome(&f, as_of, &format!("capability_score.{area}")),
        outcome(&f, as_of, &format!("solutions_partner.{area}")),
    )
}

fn score_only(body: Value, as_of: &str, area: &str) -> String {
    score(body, as_of, area).0
}

/// An exact JSON number from its text (`serde_json` keeps it exact: `arbitrary_precision`).
fn num(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{text}: {e}"))
}

fn azure_metrics(adds: u64, growth: &str, acr: &str, deployments: u64) -> Value {
    json!({ "azure": { "net_customer_adds": adds, "usage_growth_percent": num(growth),
                       "qualifying_acr_usd": acr, "deployments": deployments } })
}

#[test]
fn azure_performance_and_customer_success_caps() {
    let s = |m: Value| score_only(json!({ "metrics": m }), D, "data_ai");
    // 10 points per net customer add, capped at 30.
    assert_eq!(s(azure_metrics(1, "0", "0", 0)), "10");
    assert_eq!(s(azure_metrics(6, "0", "0", 0)), "30");
    // 1 point per whole 1 % of growth, capped at 20, and only with USD 1,000 of qualifying ACR.
    assert_eq!(s(azure_metrics(0, "15.9", "1000", 0)), "15");
    assert_eq!(s(azure_metrics(0, "15.9", "999.99", 0)), "0");
    assert_eq!(s(azure_metrics(0, "0.99", "5000", 0)), "0");
    assert_eq!(s(azure_metrics(0, "45", "5000", 0)), "20");
    assert_eq!(s(azure_metrics(0, "-12", "5000", 0)), "0");
    // 2 points per deployment, capped at 10.
    assert_eq!(s(azure_metrics(0, "0", "0", 3)), "6");
    assert_eq!(s(azure_metrics(0, "0", "0", 6)), "10");
    // Performance and Customer success are shared by the three Azure areas.
    let m = json!({ "metrics": azure_metrics(2, "7", "1000", 1) });
    assert_eq!(score_only(m.clone(), D, "digital_app_innovation"), "29");
    assert_eq!(score_only(m, D, "infrastructure"), "29");
}

#[test]
fn azure_exactly_seventy_qualifies_and_a_zero_metric_blocks() {
    let data_ai = |m: Value, scorers: usize| {
        let people = concat(vec![
            azure_prerequisites(),
            certified(scorers, &["Azure Data Engineer Associate"], "de"),
        ]);
        score(json!({ "metrics": m, "people": people }), D, "data_ai")
    };
    // 30 + 16 + 20 + 4.
    assert_eq!(
        data_ai(azure_metrics(3, "20", "1000", 2), 4),
        ("70".into(), "true".into())
    );
    assert_eq!(
        data_ai(azure_metrics(3, "19.99", "1000", 2), 4),
        ("69".into(), "false".into())
    );
    // 90 points, but 0 in deployments.
    assert_eq!(
        data_ai(azure_metrics(3, "20", "1000", 0), 10),
        ("90".into(), "false".into())
    );
    // 80 points, but 0 in usage growth (qualifying ACR under USD 1,000).
    assert_eq!(
        data_ai(azure_metrics(3, "20", "999", 5), 10),
        ("80".into(), "false".into())
    );
    // Everything at its maximum.
    assert_eq!(
        data_ai(azure_metrics(3, "20", "1000", 5), 10),
        ("100".into(), "true".into())
    );
}

#[test]
fn azure_skilling_prerequisite_steps() {
    let s = |people: Vec<Value>, area: &str| score_only(json!({ "people": people }), D, area);
    let scorers = |name: &str, n: usize| certified(n, &[name], "s");
    // Data & AI: 4 points a person, capped at 40, after both steps.
    let de = "Azure Data Engineer Associate";
    assert_eq!(
        s(
            concat(vec![azure_prerequisites(), scorers(de, 1)]),
            "data_ai"
        ),
        "4"
    );
    assert_eq!(
        s(
            concat(vec![azure_prerequisites(), scorers(de, 11)]),
            "data_ai"
        ),
        "40"
    );
    // One architect is not enough; neither is one administrator.
    let one_architect = concat(vec![
        certified(1, &[ARCHITECT], "arch"),
        certified(2, &[ADMINISTRATOR], "admin"),
        scorers(de, 5),
    ]);
    assert_eq!(s(one_architect, "data_ai"), "0");
    let one_administrator = concat(vec![
        certified(2, &[ARCHITECT], "arch"),
        certified(1, &[ADMINISTRATOR], "admin"),
        scorers(de, 5),
    ]);
    assert_eq!(s(one_administrator, "data_ai"), "0");
    // The steps score nothing themselves.
    assert_eq!(s(azure_prerequisites(), "data_ai"), "0");
    assert_eq!(s(azure_prerequisites(), "infrastructure"), "0");
    // A person counts in several steps (once per step) and in the scoring step.
    let both = certified(2, &[ARCHITECT, ADMINISTRATOR, de], "x");
    assert_eq!(s(both, "data_ai"), "8");
    // Digital & App Innovation: intermediate needs the administrators, advanced the architects.
    let dai = concat(vec![
        certified(2, &[ADMINISTRATOR], "admin"),
        scorers("Azure Developer Associate", 2),
        certified(2, &["Azure DevOps Engineer Expert"], "devops"),
    ]);
    assert_eq!(s(dai, "digital_app_innovation"), "8");
    let dai = concat(vec![
        certified(2, &[ARCHITECT], "arch"),
        scorers("Azure Developer Associate", 2),
        certified(6, &["Azure DevOps Engineer Expert"], "devops"),
    ]);
    assert_eq!(s(dai, "digital_app_innovation"), "20");
    // Infrastructure: caps of 20 each.
    let infra = concat(vec![
        azure_prerequisites(),
        scorers("Azure Network Engineer Associate", 6),
        certified(3, &["Azure Virtual Desktop Specialty"], "avd"),
    ]);
    assert_eq!(s(infra, "infrastructure"), "32");
}

#[test]
fn security_points_per_person_and_per_deployment() {
    let s = |scorers: usize, m: Value, as_of: &str| {
        let people = concat(vec![
            security_prerequisites(),
            certified(scorers, &[CYBER_ARCHITECT], "cy"),
        ]);
        score(
            json!({ "metrics": { "security": m }, "people": people }),
            as_of,
            "security",
        )
    };
    let none = json!({});
    assert_eq!(s(1, none.clone(), D).0, "6.67");
    assert_eq!(s(2, none.clone(), D).0, "13.33");
    assert_eq!(s(6, none.clone(), D).0, "40");
    assert_eq!(s(7, none.clone(), D).0, "40");
    // Net customer adds: Azure and Microsoft 365 together, 2 points each, capped at 20.
    let adds =
        |azure: u64, m365: u64| json!({ "net_customer_adds": { "azure": azure, "m365": m365 } });
    assert_eq!(s(0, adds(3, 4), D).0, "14");
    assert_eq!(s(0, adds(6, 6), D).0, "20");
    // Deployments: 20 points for 6, Azure and Microsoft 365 together.
    let deployments =
        |azure: u64, m365: u64| json!({ "net_deployments": { "azure": azure, "m365": m365 } });
    assert_eq!(s(0, deployments(1, 0), D).0, "3.33");
    assert_eq!(s(0, deployments(3, 3), D).0, "20");
    assert_eq!(s(0, deployments(9, 0), D).0, "20");
    // Exactly 70 from rounded parts: 20 + 33.33 + 6.67 + 10.
    let m = json!({ "net_customer_adds": { "azure": 10 }, "net_deployments": { "m365": 2 },
                    "security_acr_growth_usd": "12500" });
    assert_eq!(s(5, m, D), ("70".into(), "true".into()));
    // 20 + 33.33 + 3.33 + 13 = 69.66.
    let m = json!({ "net_customer_adds": { "azure": 10 }, "net_deployments": { "m365": 1 },
                    "security_acr_growth_usd": "16250" });
    assert_eq!(s(5, m, D), ("69.66".into(), "false".into()));
}

#[test]
fn security_usage_growth_has_a_combined_cap_of_twenty() {
    let s = |acr: &str, users: i64| {
        score_only(
            json!({ "metrics": { "security": { "security_acr_growth_usd": acr,
                                               "protected_users_growth": users } } }),
            D,
            "security",
        )
    };
    // 1 point per whole USD 1,250 and per whole 125 protected users.
    assert_eq!(s("1250", 0), "1");
    assert_eq!(s("0", 125), "1");
    assert_eq!(s("2600", 0), "2");
    assert_eq!(s("1249.99", 124), "0");
    assert_eq!(s("25000", 0), "20");
    assert_eq!(s("0", 2500), "20");
    assert_eq!(s("12500", 1250), "20");
    assert_eq!(s("15000", 1250), "20");
    assert_eq!(s("100000", 100000), "20");
    assert_eq!(s("3750", 250), "5");
    // Decision 12: negative growth scores 0 (it does not reduce the other side).
    assert_eq!(s("-12500", 1250), "10");
}

#[test]
fn security_skilling_steps_change_on_2023_12_01() {
    let one_each = concat(vec![
        certified(1, &[SECURITY_ENGINEER], "eng"),
        certified(
            1,
            &["Microsoft 365 Security Administrator Associate"],
            "m365",
        ),
        certified(1, &[CYBER_ARCHITECT], "cy"),
    ]);
    let s = |people: Vec<Value>, as_of: &str| {
        score_only(json!({ "people": people }), as_of, "security")
    };
    // One person per step until 2023-11-30, two from 2023-12-01.
    assert_eq!(s(one_each.clone(), "2023-11-30"), "6.67");
    assert_eq!(s(one_each, "2023-12-01"), "0");
    let two_each = concat(vec![
        certified(2, &[SECURITY_ENGINEER], "eng"),
        certified(
            2,
            &["Microsoft 365 Security Administrator Associate"],
            "m365",
        ),
        certified(1, &[CYBER_ARCHITECT], "cy"),
    ]);
    assert_eq!(s(two_each.clone(), "2023-12-01"), "6.67");
    // Microsoft 365 Security Administrator Associate retired 2023-06-30: counts through
    // 2024-06-30 for step 2.
    assert_eq!(s(two_each.clone(), "2024-06-30"), "6.67");
    assert_eq!(s(two_each, "2024-07-01"), "0");
    // Step 1 and step 2 are distinct: two engineers alone do not open the scoring step.
    let engineers_only = concat(vec![
        certified(2, &[SECURITY_ENGINEER], "eng"),
        certified(3, &[CYBER_ARCHITECT], "cy"),
    ]);
    assert_eq!(s(engineers_only, D), "0");
}

#[test]
fn security_operations_analyst_scores_until_2023_11_30_only() {
    // Step 1: two engineers; step 2: two analysts, who are also the only scoring candidates.
    let people = security_prerequisites();
    let s = |as_of: &str| score_only(json!({ "people": people.clone() }), as_of, "security");
    assert_eq!(s("2023-11-30"), "13.33");
    assert_eq!(s("2023-12-01"), "0");
    // A person with Security Operations Analyst and Cybersecurity Architect Expert counts once.
    let dual = concat(vec![
        certified(2, &[SECURITY_ENGINEER], "eng"),
        certified(2, &[SECURITY_ANALYST, CYBER_ARCHITECT], "dual"),
    ]);
    assert_eq!(
        score_only(json!({ "people": dual.clone() }), "2023-11-30", "security"),
        "13.33"
    );
    assert_eq!(
        score_only(json!({ "people": dual }), "2023-12-01", "security"),
        "13.33"
    );
}

fn business_apps(metrics: Value, people: Vec<Value>, as_of: &str) -> String {
    score_only(
        json!({ "metrics": { "business_applications": metrics }, "people": people }),
        as_of,
        "business_applications",
    )
}

const BA_ADVANCED: &str = "Power Platform Solution Architect Expert";
const BA_INTERMEDIATE: &str = "D365 Sales";

#[test]
fn business_applications_track_by_workloads() {
    let one_of_each = concat(vec![
        certified(1, &[BA_ADVANCED], "adv"),
        certified(1, &[BA_INTERMEDIATE], "int"),
    ]);
    // 4 workloads over USD 5,000: SMB, 7.5 per advanced and 4 per intermediate person.
    assert_eq!(
        business_apps(
            json!({ "workloads_over_5000_usd": 4 }),
            one_of_each.clone(),
            D
        ),
        "11.5"
    );
    // 5: Enterprise, 15 ÷ 7 per advanced and 1 per intermediate person.
    assert_eq!(
        business_apps(json!({ "workloads_over_5000_usd": 5 }), one_of_each, D),
        "3.14"
    );
}

#[test]
fn business_applications_fractional_per_person_values() {
    let ent = json!({ "workloads_over_5000_usd": 9 });
    let adv = |n: usize| business_apps(ent.clone(), certified(n, &[BA_ADVANCED], "adv"), D);
    assert_eq!(adv(1), "2.14");
    assert_eq!(adv(2), "4.29");
    assert_eq!(adv(3), "6.43");
    assert_eq!(adv(7), "15");
    assert_eq!(adv(8), "15");
    let smb = json!({ "workloads_over_5000_usd": 0 });
    assert_eq!(
        business_apps(smb.clone(), certified(2, &[BA_ADVANCED], "adv"), D),
        "15"
    );
    assert_eq!(
        business_apps(smb.clone(), certified(6, &[BA_INTERMEDIATE], "int"), D),
        "20"
    );
    assert_eq!(
        business_apps(ent.clone(), certified(21, &[BA_INTERMEDIATE], "int"), D),
        "20"
    );
    // Performance and deployments: 3 and 4 points each, capped at 15 and 20.
    assert_eq!(
        business_apps(json!({ "net_customer_adds": 6 }), vec![], D),
        "15"
    );
    assert_eq!(
        business_apps(json!({ "net_deployments": 6 }), vec![], D),
        "20"
    );
    assert_eq!(
        business_apps(
            json!({ "net_customer_adds": 2, "net_deployments": 2 }),
            vec![],
            D
        ),
        "14"
    );
}

#[test]
fn business_applications_usage_growth_needs_the_mcv_baseline() {
    let growth = |workloads: u64, baseline: &str, percent: &str| {
        business_apps(
            json!({ "workloads_over_5000_usd": workloads, "mcv_baseline": num(baseline),
                    "mcv_growth_percent": num(percent) }),
            vec![],
            D,
        )
    };
    // Enterprise needs 50,000.
    assert_eq!(growth(5, "49999", "12.5"), "0");
    assert_eq!(growth(5, "50000", "12.5"), "12");
    // SMB needs 25,000.
    assert_eq!(growth(4, "24999.99", "12.5"), "0");
    assert_eq!(growth(4, "25000", "12.5"), "12");
    // Whole points, capped at 30.
    assert_eq!(growth(4, "25000", "15.9"), "15");
    assert_eq!(growth(4, "25000", "45"), "30");
    assert_eq!(growth(4, "25000", "-3"), "0");
}

fn modern_work(metrics: Value, people: Vec<Value>) -> (String, String) {
    score(
        json!({ "metrics": { "modern_work": metrics }, "people": people }),
        D,
        "modern_work",
    )
}

#[test]
fn modern_work_associations_the_better_one_counts_not_the_sum() {
    let s = |m: Value| modern_work(json!({ "enterprise": m }), vec![]).0;
    assert_eq!(
        s(json!({ "net_customer_adds": { "CPOR": 2, "DPOR": 2 } })),
        "8"
    );
    assert_eq!(
        s(json!({ "net_customer_adds": { "CPOR": 3, "DPOR": 5 } })),
        "20"
    );
    assert_eq!(s(json!({ "net_customer_adds": { "CPOR": 6 } })), "20");
    assert_eq!(
        s(json!({ "usage_growth_users": { "CPOR": 500, "DPOR": 2000 } })),
        "15"
    );
    assert_eq!(
        s(json!({ "net_deployments": { "CPOR": 2, "DPOR": 4 } })),
        "10"
    );
    assert_eq!(s(json!({ "net_deployments": { "DPOR": 3 } })), "7.5");
    assert_eq!(s(json!({ "net_deployments": { "DPOR": 11 } })), "25");
    // Usage growth in whole points: 530 of 1,000 users is 15.9, so 15.
    assert_eq!(s(json!({ "usage_growth_users": { "CPOR": 530 } })), "15");
    assert_eq!(s(json!({ "usage_growth_users": { "DPOR": 4000 } })), "30");
    // SMB: CPOR or CSP.
    let smb = |m: Value| modern_work(json!({ "smb": m }), vec![]).0;
    assert_eq!(
        smb(json!({ "net_customer_adds": { "CPOR": 3, "CSP": 5 } })),
        "10"
    );
    assert_eq!(
        smb(json!({ "usage_growth_users": { "CPOR": 250, "CSP": 1000 } })),
        "15"
    );
    assert_eq!(smb(json!({ "usage_growth_users": { "CPOR": 499 } })), "29");
}

#[test]
fn modern_work_track_is_chosen_for_the_whole_area() {
    // Enterprise 20 (customer adds) against SMB 30 (usage growth): the SMB area total is used,
    // not the best of each metric (50).
    let m = json!({
        "enterprise": { "net_customer_adds": { "CPOR": 5 } },
        "smb": { "usage_growth_users": { "CPOR": 500 } },
    });
    assert_eq!(modern_work(m, vec![]).0, "30");
    // Certified people count on both tracks: 1 intermediate and 1 advanced person are
    // 2.5 + 7.5 on Enterprise and 5 + 15 on SMB.
    let people = certified(
        1,
        &[
            "Microsoft 365 Fundamentals",
            "Microsoft 365 Enterprise Administrator Expert",
        ],
        "mw",
    );
    assert_eq!(modern_work(json!({}), people.clone()).0, "20");
    // A tie at 70: Enterprise has points in every metric, SMB has 0 deployments; Enterprise is
    // used and qualifies.
    let tie = json!({
        "enterprise": { "net_customer_adds": { "CPOR": 5 }, "usage_growth_users": { "CPOR": 1000 },
                        "net_deployments": { "CPOR": 2 } },
        "smb": { "net_customer_adds": { "CSP": 10 }, "usage_growth_users": { "CSP": 2000 } },
    });
    assert_eq!(
        modern_work(tie, people.clone()),
        ("70".into(), "true".into())
    );
    // SMB higher (75) but with a zero metric, Enterprise qualifying: the qualifying track is
    // used (decision 4: the track is never chosen so as to lose a qualification).
    let smb_higher = json!({
        "enterprise": { "net_customer_adds": { "CPOR": 5 }, "usage_growth_users": { "CPOR": 1000 },
                        "net_deployments": { "CPOR": 2 } },
        "smb": { "net_customer_adds": { "CSP": 10 }, "usage_growth_users": { "CSP": 2000 },
                 "net_deployments": { "CPOR": 0, "CSP": 0 } },
    });
    let mut extra = people;
    extra.extend(certified(1, &["Teams Administrator Associate"], "mw2"));
    // Enterprise: 20 + 5 + 7.5 + 30 + 10 = 72.5; SMB: 20 + 10 + 15 + 30 + 0 = 75.
    assert_eq!(
        modern_work(smb_higher, extra),
        ("72.5".into(), "true".into())
    );
}

// ---------------------------------------------------------------------------------------------
// Certifications
// ---------------------------------------------------------------------------------------------

/// Data & AI's capability score with the prerequisites met and `person` as the only scoring
/// candidate: "4" when the person counts, "0" when not.
fn data_ai_with(person: Value, as_of: &str) -> String {
    let mut people = azure_prerequisites();
    people.push(person);
    score_only(json!({ "people": people }), as_of, "data_ai")
}

#[test]
fn a_person_counts_once_per_metric() {
    let two = json!({ "id": "p", "certifications": [
        { "name": "Azure Data Engineer Associate", "earned_on": "2023-01-01" },
        { "name": "Azure AI Engineer Associate", "earned_on": "2023-01-01" },
    ] });
    assert_eq!(data_ai_with(two, D), "4");
    // The same certification listed twice is still one person.
    let dup = json!({ "id": "p", "certifications": [
        { "name": "Azure Data Engineer Associate", "earned_on": "2023-01-01" },
        { "name": "Azure Data Engineer Associate", "earned_on": "2024-01-01" },
    ] });
    assert_eq!(data_ai_with(dup, D), "4");
    // Names are the tables' exact names.
    let other = holder("p", "Azure Data Engineer", "2023-01-01", None);
    assert_eq!(data_ai_with(other, D), "0");
}

#[test]
fn certification_earned_and_expiry_days() {
    let de = "Azure Data Engineer Associate";
    // Earned after D: not yet.
    assert_eq!(data_ai_with(holder("p", de, "2024-08-07", None), D), "0");
    assert_eq!(data_ai_with(holder("p", de, "2024-08-06", None), D), "4");
    // It has expired on its expires_on day; it counts the day before.
    let expiring = holder("p", de, "2022-08-06", Some("2024-08-06"));
    assert_eq!(data_ai_with(expiring.clone(), "2024-08-06"), "0");
    assert_eq!(data_ai_with(expiring, "2024-08-05"), "4");
    assert_eq!(
        data_ai_with(holder("p", de, "2022-08-06", Some("2024-08-07")), D),
        "4"
    );
    // An expired prerequisite closes the step.
    let mut people = certified(1, &[ARCHITECT], "arch");
    people.push(holder("late", ARCHITECT, "2022-01-01", Some("2024-08-06")));
    people.extend(certified(2, &[ADMINISTRATOR], "admin"));
    people.extend(certified(1, &[de], "de"));
    assert_eq!(
        score_only(json!({ "people": people.clone() }), "2024-08-05", "data_ai"),
        "4"
    );
    assert_eq!(
        score_only(json!({ "people": people }), "2024-08-06", "data_ai"),
        "0"
    );
}

#[test]
fn retired_certifications_count_for_one_year_after_retirement() {
    let iot = |expires: Option<&str>| {
        let mut people = certified(2, &[ARCHITECT], "arch");
        people.push(holder(
            "p",
            "Azure IoT Developer Specialty",
            "2022-05-01",
            expires,
        ));
        json!({ "people": people })
    };
    let dai = |body: Value, as_of: &str| score_only(body, as_of, "digital_app_innovation");
    // Azure IoT Developer Specialty retired 2023-07-31: counts through 2024-07-31.
    assert_eq!(dai(iot(None), "2023-07-31"), "4");
    assert_eq!(dai(iot(None), "2023-08-01"), "4");
    assert_eq!(dai(iot(None), "2024-07-31"), "4");
    assert_eq!(dai(iot(None), "2024-08-01"), "0");
    // Or until the person's certification expires, whichever is sooner.
    assert_eq!(dai(iot(Some("2024-05-01")), "2024-04-30"), "4");
    assert_eq!(dai(iot(Some("2024-05-01")), "2024-05-01"), "0");
    // A later expiry does not extend it past the retirement year.
    assert_eq!(dai(iot(Some("2025-05-01")), "2024-08-01"), "0");
    // Azure Stack Hub Operator Associate (Infrastructure intermediate), same dates.
    let mut people = certified(2, &[ADMINISTRATOR], "admin");
    people.push(holder(
        "p",
        "Azure Stack Hub Operator Associate",
        "2022-05-01",
        None,
    ));
    let body = json!({ "people": people });
    assert_eq!(
        score_only(body.clone(), "2024-07-31", "infrastructure"),
        "4"
    );
    assert_eq!(score_only(body, "2024-08-01", "infrastructure"), "0");
    // D365 Customer Service retired 2023-06-30: counts through 2024-06-30 (SMB, 4 points).
    let body = json!({ "people": [holder("p", "D365 Customer Service", "2022-05-01", None)] });
    assert_eq!(
        score_only(body.clone(), "2024-06-30", "business_applications"),
        "4"
    );
    assert_eq!(score_only(body, "2024-07-01", "business_applications"), "0");
}

/// FAQ, on certifications identified for retirement: "You can continue to take these retiring
/// exams until their retirement date". One earned after that date does not count.
#[test]
fn a_certification_earned_after_its_retirement_date_does_not_count() {
    let iot = |earned: &str| {
        let mut people = certified(2, &[ARCHITECT], "arch");
        people.push(holder("p", "Azure IoT Developer Specialty", earned, None));
        score_only(
            json!({ "people": people }),
            "2023-09-01",
            "digital_app_innovation",
        )
    };
    // Azure IoT Developer Specialty retired 2023-07-31.
    assert_eq!(iot("2023-07-30"), "4");
    assert_eq!(iot("2023-07-31"), "4");
    assert_eq!(iot("2023-08-01"), "0");
    // D365 Customer Service retired 2023-06-30 (Business Applications SMB, 4 points).
    let ba = |earned: &str| {
        score_only(
            json!({ "people": [holder("p", "D365 Customer Service", earned, None)] }),
            "2023-08-01",
            "business_applications",
        )
    };
    assert_eq!(ba("2023-06-30"), "4");
    assert_eq!(ba("2023-07-01"), "0");
}

#[test]
fn certification_lists_change_on_their_dates() {
    let ba = |name: &str, as_of: &str| {
        score_only(
            json!({ "people": [holder("p", name, "2022-05-01", None)] }),
            as_of,
            "business_applications",
        )
    };
    // Power Platform App Maker is not eligible from 2023-12-01.
    assert_eq!(ba("Power Platform App Maker", "2023-11-30"), "4");
    assert_eq!(ba("Power Platform App Maker", "2023-12-01"), "0");
    // The D365 + Power Platform Solution Architect Expert stopped counting on 2023-07-01
    // (SMB advanced: 7.5 a person).
    let old_architect = "D365 + Power Platform Solution Architect Expert";
    assert_eq!(ba(old_architect, "2023-06-30"), "7.5");
    assert_eq!(ba(old_architect, "2023-07-01"), "0");
    // Modern Work accepts the Endpoint Administrator under both names.
    let mw = |name: &str| {
        score_only(
            json!({ "people": [holder("p", name, "2022-05-01", None)] }),
            D,
            "modern_work",
        )
    };
    assert_eq!(mw("Endpoint Administrator Associate"), "5");
    assert_eq!(mw("Modern Desktop Administrator Associate"), "5");
}

/// PL-300 and PL-400 are listed as "Data Analyst" and "Power Platform Developer" for Business
/// Applications (§3.6: "All are Associate level") and with "Associate" for Data & AI and Digital
/// & App Innovation (§4.3); both names count for every list (interpretations.md, decision 28).
#[test]
fn business_applications_and_azure_certification_names_are_the_same_exams() {
    let one = |name: &str, area: &str| {
        let mut people = azure_prerequisites();
        people.push(holder("p", name, "2022-05-01", None));
        score_only(json!({ "people": people }), D, area)
    };
    for name in ["Data Analyst", "Data Analyst Associate"] {
        assert_eq!(one(name, "business_applications"), "4", "{name}");
        assert_eq!(one(name, "data_ai"), "4", "{name}");
    }
    for name in [
        "Power Platform Developer",
        "Power Platform Developer Associate",
    ] {
        assert_eq!(one(name, "business_applications"), "4", "{name}");
        // 4 for the person on top of nothing else: Digital & App Innovation intermediate.
        assert_eq!(one(name, "digital_app_innovation"), "4", "{name}");
    }
    // Names of neither list still score nothing.
    assert_eq!(one("Data Analyst Expert", "business_applications"), "0");
}

// ---------------------------------------------------------------------------------------------
// Designations
// ---------------------------------------------------------------------------------------------

fn designations(entries: &[(&str, &str)]) -> String {
    let entries: Vec<Value> = entries
        .iter()
        .map(|(area, on)| json!({ "area": area, "attained_on": on }))
        .collect();
    facts(json!({ "program": { "designations": entries } }))
}

#[test]
fn designation_is_held_until_the_day_before_the_anniversary() {
    let f = designations(&[("security", "2022-11-20")]);
    let held = |as_of: &str| outcome(&f, as_of, "designation_held.security");
    assert_eq!(held("2022-11-19"), "false");
    assert_eq!(held("2022-11-20"), "true");
    assert_eq!(held("2023-11-19"), "true");
    assert_eq!(held("2023-11-20"), "false");
    assert_eq!(
        outcome(&f, "2022-11-20", "designation_held.modern_work"),
        "false"
    );
    // A renewal entry extends it to the next anniversary.
    let renewed = designations(&[("security", "2022-11-20"), ("security", "2023-11-20")]);
    let held = |as_of: &str| outcome(&renewed, as_of, "designation_held.security");
    assert_eq!(held("2023-11-20"), "true");
    assert_eq!(held("2024-11-19"), "true");
    assert_eq!(held("2024-11-20"), "false");
    // Lapsed on the anniversary, attained again later: held again from that entry until the
    // next shared anniversary.
    let lapsed = designations(&[("security", "2022-11-20"), ("security", "2023-12-05")]);
    let held = |as_of: &str| outcome(&lapsed, as_of, "designation_held.security");
    // The re-attainment is dated after D: ignored until then.
    assert_eq!(held("2023-11-20"), "false");
    assert_eq!(held("2023-12-04"), "false");
    assert_eq!(held("2023-12-05"), "true");
    assert_eq!(held("2024-11-19"), "true");
    assert_eq!(held("2024-11-20"), "false");
}

#[test]
fn later_designations_share_the_first_anniversary() {
    let f = designations(&[("modern_work", "2022-11-20"), ("security", "2023-02-15")]);
    assert_eq!(
        outcome(&f, "2023-11-19", "designation_held.security"),
        "true"
    );
    assert_eq!(
        outcome(&f, "2023-11-20", "designation_held.security"),
        "false"
    );
    assert_eq!(outcome(&f, "2023-11-19", "anniversary"), r#""2023-11-20""#);
    // A designation attained on the anniversary itself lasts a full year.
    let f = designations(&[("modern_work", "2022-11-20"), ("security", "2023-11-20")]);
    assert_eq!(
        outcome(&f, "2024-11-19", "designation_held.security"),
        "true"
    );
    assert_eq!(
        outcome(&f, "2024-11-19", "designation_held.modern_work"),
        "false"
    );
}

#[test]
fn designation_entries_after_d_are_ignored() {
    let f = designations(&[("security", "2024-09-01")]);
    assert_eq!(outcome(&f, D, "designation_held.security"), "false");
    assert_eq!(outcome(&f, D, "anniversary"), "null");
    assert_eq!(outcome(&f, D, "annual_fee_usd"), "0");
    assert_eq!(
        outcome(&f, "2024-09-01", "designation_held.security"),
        "true"
    );
    // An earlier entry of another area sets the anniversary; the later one does not move it.
    let f = designations(&[("data_ai", "2023-05-10"), ("security", "2022-12-01")]);
    assert_eq!(outcome(&f, "2023-05-10", "anniversary"), r#""2023-12-01""#);
    let f = designations(&[("data_ai", "2023-05-10"), ("security", "2024-09-01")]);
    assert_eq!(outcome(&f, D, "anniversary"), r#""2025-05-10""#);
}

/// Data & AI at exactly 70 points (30 + 16 + 20 + 4) while its four scoring certifications
/// last: they expire on `expires_on`, and the area stops qualifying that day.
fn qualifying_data_ai(expires_on: &str, program: Value) -> String {
    let mut people = azure_prerequisites();
    people.extend((0..4).map(|i| {
        holder(
            &format!("de{i}"),
            "Azure Data Engineer Associate",
            "2022-01-01",
            Some(expires_on),
        )
    }));
    facts(json!({
        "metrics": azure_metrics(3, "20", "1000", 2),
        "people": people,
        "program": program,
    }))
}

fn data_ai_entry(on: &str) -> Value {
    json!({ "designations": [{ "area": "data_ai", "attained_on": on }] })
}

/// FAQ, "What happens if we attain … but dip below 70 points …?": "At any time after October 3,
/// 2022, if your organization meets requirements for the Solutions Partner designation, you'll
/// immediately receive the corresponding customer-facing badge."
#[test]
fn a_partner_that_qualifies_holds_the_designation_without_an_entry() {
    let f = qualifying_data_ai("2025-01-01", json!({}));
    let held = |as_of: &str| outcome(&f, as_of, "designation_held.data_ai");
    // From 2022-10-03, when designations became available (interpretations.md).
    assert_eq!(held("2022-10-02"), "false");
    assert_eq!(held("2022-10-03"), "true");
    assert_eq!(held("2022-10-04"), "true");
    // Until it stops qualifying: without an entry nothing retains it.
    assert_eq!(held("2024-12-31"), "true");
    assert_eq!(held("2025-01-01"), "false");
    assert_eq!(
        outcome(&f, "2022-10-02", "solutions_partner.data_ai"),
        "true"
    );
    // Everything that needs a designation follows; there is no anniversary without an entry.
    assert_eq!(outcome(&f, D, "annual_fee_usd"), "4730");
    assert_eq!(outcome(&f, D, "incentives_eligible"), "true");
    assert_eq!(outcome(&f, D, "can_publish_services_offers"), "true");
    assert_eq!(
        outcome(
            &f,
            D,
            "specialization.analytics_on_microsoft_azure.prerequisites_met"
        ),
        "true"
    );
    assert_eq!(outcome(&f, D, "anniversary"), "null");
    assert_eq!(outcome(&f, "2025-01-01", "annual_fee_usd"), "0");
}

#[test]
fn qualifying_or_retaining_either_is_enough() {
    // Attained 2023-03-01 and retained until 2024-03-01; qualifying until 2024-06-01.
    let f = qualifying_data_ai("2024-06-01", data_ai_entry("2023-03-01"));
    let held = |as_of: &str| outcome(&f, as_of, "designation_held.data_ai");
    assert_eq!(held("2024-02-29"), "true");
    assert_eq!(held("2024-03-01"), "true");
    assert_eq!(held("2024-05-31"), "true");
    assert_eq!(held("2024-06-01"), "false");
    // Qualifying until 2023-06-01 only: retained to the day before the anniversary.
    let f = qualifying_data_ai("2023-06-01", data_ai_entry("2023-03-01"));
    let held = |as_of: &str| outcome(&f, as_of, "designation_held.data_ai");
    assert_eq!(held("2023-05-31"), "true");
    assert_eq!(held("2023-06-01"), "true");
    assert_eq!(held("2024-02-29"), "true");
    assert_eq!(held("2024-03-01"), "false");
    assert_eq!(outcome(&f, "2024-03-01", "anniversary"), r#""2024-03-01""#);
}

/// FAQ, "When did these changes occur?": "On October 3, 2022, Solutions Partner designations are
/// available for partners to attain." An entry dated before is ignored (interpretations.md).
#[test]
fn designation_entries_before_2022_10_03_are_ignored() {
    let f = designations(&[("security", "2022-10-02")]);
    assert_eq!(
        outcome(&f, "2022-11-01", "designation_held.security"),
        "false"
    );
    assert_eq!(outcome(&f, "2022-11-01", "anniversary"), "null");
    assert_eq!(outcome(&f, "2022-11-01", "annual_fee_usd"), "0");
    let f = designations(&[("security", "2022-10-03")]);
    let held = |as_of: &str| outcome(&f, as_of, "designation_held.security");
    assert_eq!(held("2022-10-03"), "true");
    assert_eq!(held("2023-10-02"), "true");
    assert_eq!(held("2023-10-03"), "false");
    assert_eq!(outcome(&f, "2022-10-03", "anniversary"), r#""2023-10-03""#);
    // The ignored entry does not date the anniversaries of a later one.
    let f = designations(&[("security", "2022-10-02"), ("data_ai", "2023-01-15")]);
    assert_eq!(outcome(&f, "2023-02-01", "anniversary"), r#""2024-01-15""#);
}

/// outcomes.md, `anniversary`: a partner with a legacy competency keeps its existing anniversary
/// (FAQ, fees: "due at your existing anniversary date"), stepped by whole years both ways, and
/// its designations are retained until those dates.
#[test]
fn a_legacy_partner_keeps_its_legacy_anniversary() {
    let f = legacy("gold", "2022-11-11", &[], &[("security", "2023-02-01")]);
    let at = |as_of: &str| outcome(&f, as_of, "anniversary");
    assert_eq!(at("2023-02-01"), r#""2023-11-11""#);
    assert_eq!(at("2023-11-10"), r#""2023-11-11""#);
    assert_eq!(at("2023-11-11"), r#""2023-11-11""#);
    assert_eq!(at("2023-11-12"), r#""2024-11-11""#);
    let held = |as_of: &str| outcome(&f, as_of, "designation_held.security");
    assert_eq!(held("2023-11-10"), "true");
    assert_eq!(held("2023-11-11"), "false");
    // Without any designation entry, the legacy anniversary is still the anniversary.
    let f = legacy("silver", "2022-11-11", &[], &[]);
    assert_eq!(outcome(&f, "2022-10-03", "anniversary"), r#""2022-11-11""#);
    // A recorded anniversary after D is stepped backwards.
    let f = legacy("gold", "2025-11-11", &[], &[("security", "2023-02-01")]);
    assert_eq!(outcome(&f, "2023-05-01", "anniversary"), r#""2023-11-11""#);
    assert_eq!(
        outcome(&f, "2023-11-10", "designation_held.security"),
        "true"
    );
    assert_eq!(
        outcome(&f, "2023-11-11", "designation_held.security"),
        "false"
    );
    // An entry on the anniversary itself lasts a full year.
    let f = legacy("gold", "2022-11-11", &[], &[("security", "2023-11-11")]);
    assert_eq!(
        outcome(&f, "2024-11-10", "designation_held.security"),
        "true"
    );
    assert_eq!(
        outcome(&f, "2024-11-11", "designation_held.security"),
        "false"
    );
    // A leap-day legacy anniversary falls on February 28 in other years.
    let f = legacy("silver", "2020-02-29", &[], &[]);
    assert_eq!(outcome(&f, "2023-01-01", "anniversary"), r#""2023-02-28""#);
    assert_eq!(outcome(&f, "2023-03-01", "anniversary"), r#""2024-02-29""#);
}

#[test]
fn anniversary_is_the_first_on_or_after_d() {
    assert_eq!(outcome(&designations(&[]), D, "anniversary"), "null");
    let f = designations(&[("security", "2022-11-20")]);
    assert_eq!(outcome(&f, "2022-11-20", "anniversary"), r#""2023-11-20""#);
    assert_eq!(outcome(&f, "2023-11-19", "anniversary"), r#""2023-11-20""#);
    // D itself is an anniversary.
    assert_eq!(outcome(&f, "2023-11-20", "anniversary"), r#""2023-11-20""#);
    assert_eq!(outcome(&f, "2023-11-21", "anniversary"), r#""2024-11-20""#);
    // A leap-day first entry: February 28 in other years, February 29 in leap years.
    let leap = designations(&[("security", "2024-02-29")]);
    assert_eq!(
        outcome(&leap, "2024-03-01", "anniversary"),
        r#""2025-02-28""#
    );
    assert_eq!(
        outcome(&leap, "2025-02-28", "anniversary"),
        r#""2025-02-28""#
    );
    assert_eq!(
        outcome(&leap, "2025-03-01", "anniversary"),
        r#""2026-02-28""#
    );
    assert_eq!(
        outcome(&leap, "2027-03-01", "anniversary"),
        r#""2028-02-29""#
    );
    assert_eq!(
        outcome(&leap, "2025-02-27", "designation_held.security"),
        "true"
    );
    assert_eq!(
        outcome(&leap, "2025-02-28", "designation_held.security"),
        "false"
    );
    // Month ends keep their day when the month has it.
    let month_end = designations(&[("security", "2023-01-31")]);
    assert_eq!(
        outcome(&month_end, "2023-02-01", "anniversary"),
        r#""2024-01-31""#
    );
}

#[test]
fn microsoft_cloud_badge_fee_and_azure_expert_msp() {
    let all: Vec<(&str, &str)> = AREAS.iter().map(|a| (*a, "2023-09-01")).collect();
    let f = designations(&all);
    assert_eq!(outcome(&f, D, "microsoft_cloud_badge"), "true");
    assert_eq!(outcome(&f, D, "annual_fee_usd"), "4730");
    assert_eq!(outcome(&f, D, "azure_expert_msp.prerequisites_met"), "true");
    for area in AREAS {
        assert_eq!(outcome(&f, D, &format!("designation_held.{area}")), "true");
    }
    // One area short: no badge. One fee for any number of designations.
    let f = designations(&all[..5]);
    assert_eq!(outcome(&f, D, "microsoft_cloud_badge"), "false");
    assert_eq!(outcome(&f, D, "annual_fee_usd"), "4730");
    // All six attained, then five renewed: the badge goes on the anniversary.
    let mut entries: Vec<(&str, &str)> = AREAS.iter().map(|a| (*a, "2022-11-01")).collect();
    entries.extend(AREAS[1..].iter().map(|a| (*a, "2023-11-01")));
    let f = designations(&entries);
    assert_eq!(outcome(&f, "2023-10-31", "microsoft_cloud_badge"), "true");
    assert_eq!(outcome(&f, "2023-11-01", "microsoft_cloud_badge"), "false");
    assert_eq!(
        outcome(&f, "2023-11-01", "designation_held.security"),
        "true"
    );
    assert_eq!(
        outcome(&f, "2023-11-01", "designation_held.business_applications"),
        "false"
    );
    assert_eq!(outcome(&designations(&[]), D, "annual_fee_usd"), "0");
    assert_eq!(
        outcome(&designations(&[]), D, "microsoft_cloud_badge"),
        "false"
    );
    // Azure Expert MSP: the three Azure designations.
    let azure = designations(&[
        ("data_ai", "2023-09-01"),
        ("digital_app_innovation", "2023-09-01"),
        ("infrastructure", "2023-09-01"),
    ]);
    assert_eq!(
        outcome(&azure, D, "azure_expert_msp.prerequisites_met"),
        "true"
    );
    assert_eq!(outcome(&azure, D, "annual_fee_usd"), "4730");
    let no_infra = designations(&[
        ("data_ai", "2023-09-01"),
        ("digital_app_innovation", "2023-09-01"),
        ("modern_work", "2023-09-01"),
        ("security", "2023-09-01"),
        ("business_applications", "2023-09-01"),
    ]);
    assert_eq!(
        outcome(&no_infra, D, "azure_expert_msp.prerequisites_met"),
        "false"
    );
}

// ---------------------------------------------------------------------------------------------
// Specializations
// ---------------------------------------------------------------------------------------------

#[test]
fn specialization_prerequisites_any_one_aligned_designation() {
    let pre = |areas: &[&str], spec: &str| {
        let entries: Vec<(&str, &str)> = areas.iter().map(|a| (*a, "2023-09-01")).collect();
        outcome(
            &designations(&entries),
            D,
            &format!("specialization.{spec}.prerequisites_met"),
        )
    };
    let hci = "hybrid_cloud_infra_with_microsoft_azure_stack_hci";
    assert_eq!(pre(&["infrastructure"], hci), "true");
    assert_eq!(pre(&["digital_app_innovation"], hci), "true");
    assert_eq!(pre(&["data_ai"], hci), "true");
    assert_eq!(
        pre(&["security", "modern_work", "business_applications"], hci),
        "false"
    );
    assert_eq!(pre(&[], hci), "false");
    // The table's second "D&AI" column is Digital & App Innovation.
    assert_eq!(
        pre(
            &["digital_app_innovation"],
            "devops_with_github_on_microsoft_azure"
        ),
        "true"
    );
    assert_eq!(
        pre(&["data_ai"], "devops_with_github_on_microsoft_azure"),
        "false"
    );
    assert_eq!(pre(&["data_ai"], "business_intelligence"), "true");
    assert_eq!(
        pre(&["business_applications"], "business_intelligence"),
        "true"
    );
    assert_eq!(
        pre(&["digital_app_innovation"], "business_intelligence"),
        "false"
    );
    assert_eq!(
        pre(
            &["data_ai"],
            "infra_and_database_migration_to_microsoft_azure"
        ),
        "true"
    );
    assert_eq!(
        pre(
            &["digital_app_innovation"],
            "infra_and_database_migration_to_microsoft_azure"
        ),
        "false"
    );
    assert_eq!(pre(&["modern_work"], "calling_for_microsoft_teams"), "true");
    assert_eq!(pre(&["security"], "threat_protection"), "true");
    assert_eq!(pre(&["modern_work"], "threat_protection"), "false");
    // A lapsed designation is no prerequisite.
    let lapsed = designations(&[("security", "2022-11-20")]);
    assert_eq!(
        outcome(
            &lapsed,
            "2023-11-19",
            "specialization.threat_protection.prerequisites_met"
        ),
        "true"
    );
    assert_eq!(
        outcome(
            &lapsed,
            "2023-11-20",
            "specialization.threat_protection.prerequisites_met"
        ),
        "false"
    );
}

/// The FAQ's table ("Once I attain a Solutions Partner designation, what specializations can I
/// earn?"), columns BA, D&AI, D&AI (Digital & App Innovation), INFRA, MW, SEC.
const FAQ_SPECIALIZATIONS: [(&str, &[&str]); 32] = [
    ("adoption_and_change_management", &["modern_work"]),
    (
        "ai_and_machine_learning_on_microsoft_azure",
        &["data_ai", "digital_app_innovation"],
    ),
    ("analytics_on_microsoft_azure", &["data_ai"]),
    (
        "build_and_modernize_ai_apps_with_microsoft_azure",
        &["data_ai", "digital_app_innovation"],
    ),
    (
        "business_intelligence",
        &["business_applications", "data_ai"],
    ),
    ("calling_for_microsoft_teams", &["modern_work"]),
    ("cloud_security", &["security"]),
    ("customer_solutions_for_microsoft_teams", &["modern_work"]),
    ("data_warehouse_migration_to_microsoft_azure", &["data_ai"]),
    (
        "devops_with_github_on_microsoft_azure",
        &["digital_app_innovation"],
    ),
    ("finance", &["business_applications"]),
    (
        "hybrid_cloud_infra_with_microsoft_azure_stack_hci",
        &["data_ai", "digital_app_innovation", "infrastructure"],
    ),
    ("identity_and_access_management", &["security"]),
    ("information_protection_and_governance", &["security"]),
    (
        "infra_and_database_migration_to_microsoft_azure",
        &["data_ai", "infrastructure"],
    ),
    (
        "intelligent_automation",
        &["business_applications", "digital_app_innovation"],
    ),
    (
        "kubernetes_on_microsoft_azure",
        &["data_ai", "digital_app_innovation"],
    ),
    (
        "meetings_and_meeting_rooms_for_microsoft_teams",
        &["modern_work"],
    ),
    ("microsoft_azure_vmware_solution", &["infrastructure"]),
    (
        "microsoft_low_code_application_development",
        &["business_applications", "digital_app_innovation"],
    ),
    ("microsoft_azure_virtual_desktop", &["infrastructure"]),
    (
        "migrate_enterprise_applications_to_microsoft_azure",
        &["data_ai", "digital_app_innovation"],
    ),
    (
        "modernization_of_web_apps_to_microsoft_azure",
        &["data_ai", "digital_app_innovation"],
    ),
    ("modernize_endpoints", &["modern_work"]),
    (
        "networking_services_in_microsoft_azure",
        &["infrastructure"],
    ),
    ("sales", &["business_applications"]),
    ("sap_on_microsoft_azure", &["infrastructure"]),
    ("service", &["business_applications"]),
    (
        "small_and_midsize_business_management",
        &["business_applications"],
    ),
    ("supply_chain", &["business_applications"]),
    ("teamwork_deployment", &["modern_work"]),
    ("threat_protection", &["security"]),
];

#[test]
fn every_specialization_accepts_exactly_the_faq_table_designations() {
    let single: Vec<(&str, String)> = AREAS
        .iter()
        .map(|a| (*a, designations(&[(a, "2023-09-01")])))
        .collect();
    let none = designations(&[]);
    for (spec, aligned) in FAQ_SPECIALIZATIONS {
        let id = format!("specialization.{spec}.prerequisites_met");
        assert_eq!(outcome(&none, D, &id), "false", "{id} with no designation");
        for (area, f) in &single {
            let expected = if aligned.contains(area) {
                "true"
            } else {
                "false"
            };
            assert_eq!(outcome(f, D, &id), expected, "{id} with only {area}");
        }
    }
    // No more specializations than the table's 32.
    let count = program()
        .program()
        .outcomes
        .iter()
        .filter(|o| o.id.starts_with("specialization.") && o.id.ends_with(".prerequisites_met"))
        .count();
    assert_eq!(count, 32);
}

fn specialization(record: Value) -> String {
    facts(json!({ "program": { "specializations": [record] } }))
}

fn window(anniversary: &str, opens: &str, closes: &str, manual: bool) -> String {
    format!(
        r#"{{"anniversary":"{anniversary}","opens":"{opens}","closes":"{closes}","manual_validation_required":{manual}}}"#
    )
}

const TP: &str = "specialization.threat_protection.renewal_window";

#[test]
fn renewal_window_is_null_unless_held() {
    assert_eq!(outcome(&facts(json!({})), D, TP), "null");
    let other = specialization(json!({ "id": "cloud_security", "attained_on": "2021-01-01",
                                       "anniversary": "2024-03-15", "requirements_met": true }));
    assert_eq!(outcome(&other, D, TP), "null");
    assert_eq!(
        outcome(&other, D, "specialization.cloud_security.renewal_window"),
        window("2025-03-15", "2025-01-14", "2025-04-14", true)
    );
    // Attained after D: not yet held.
    let later = specialization(
        json!({ "id": "threat_protection", "attained_on": "2024-09-01",
                                       "anniversary": "2025-09-01", "requirements_met": true }),
    );
    assert_eq!(outcome(&later, D, TP), "null");
}

#[test]
fn renewal_window_of_a_record_with_only_a_future_anniversary() {
    let f = specialization(
        json!({ "id": "threat_protection", "anniversary": "2025-03-15",
                                   "requirements_met": true }),
    );
    assert_eq!(
        outcome(&f, D, TP),
        window("2025-03-15", "2025-01-14", "2025-04-14", true)
    );
}

#[test]
fn anniversaries_from_july_to_december_2022_were_pushed_back_six_months() {
    let spec = |anniversary: &str| {
        specialization(
            json!({ "id": "threat_protection", "attained_on": "2020-01-01",
                               "anniversary": anniversary, "requirements_met": true }),
        )
    };
    // 2022-06-30: not pushed.
    assert_eq!(
        outcome(&spec("2022-06-30"), "2022-06-15", TP),
        window("2022-06-30", "2022-05-01", "2022-07-30", false)
    );
    assert_eq!(
        outcome(&spec("2022-06-30"), "2022-12-01", TP),
        window("2023-06-30", "2023-05-01", "2023-07-30", false)
    );
    // 2022-07-01 becomes 2023-01-01.
    assert_eq!(
        outcome(&spec("2022-07-01"), "2022-07-15", TP),
        window("2023-01-01", "2022-11-02", "2023-01-31", false)
    );
    // 2022-12-31 becomes 2023-06-30 (month end clamps).
    assert_eq!(
        outcome(&spec("2022-12-31"), "2023-03-01", TP),
        window("2023-06-30", "2023-05-01", "2023-07-30", false)
    );
    // 2023-01-01: not pushed.
    assert_eq!(
        outcome(&spec("2023-01-01"), "2022-12-15", TP),
        window("2023-01-01", "2022-11-02", "2023-01-31", false)
    );
    // The pushed date repeats yearly: 2022-11-11 → 2023-05-11 → 2024-05-11.
    assert_eq!(
        outcome(&spec("2022-11-11"), "2023-06-11", TP),
        window("2024-05-11", "2024-03-12", "2024-06-10", true)
    );
}

#[test]
fn renewal_window_grace_period() {
    let f = specialization(
        json!({ "id": "threat_protection", "attained_on": "2021-03-15",
                                   "anniversary": "2023-03-15", "requirements_met": true }),
    );
    let a2024 = window("2024-03-15", "2024-01-15", "2024-04-14", true);
    let a2025 = window("2025-03-15", "2025-01-14", "2025-04-14", true);
    assert_eq!(outcome(&f, "2024-01-15", TP), a2024);
    assert_eq!(outcome(&f, "2024-03-15", TP), a2024);
    // D = A + 30 days: still in the grace period.
    assert_eq!(outcome(&f, "2024-04-14", TP), a2024);
    // D = A + 31 days: the next year's.
    assert_eq!(outcome(&f, "2024-04-15", TP), a2025);
}

#[test]
fn manual_validation_from_february_2024_unless_validated_within_two_years() {
    let spec = |anniversary: &str, validated: Option<&str>| {
        let mut r = json!({ "id": "threat_protection", "attained_on": "2020-01-01",
                            "anniversary": anniversary, "requirements_met": true });
        if let Some(v) = validated {
            r["manual_validation_passed_on"] = json!(v);
        }
        specialization(r)
    };
    // A before 2024-02-01: never required.
    assert_eq!(
        outcome(&spec("2024-01-31", None), "2024-01-01", TP),
        window("2024-01-31", "2023-12-02", "2024-03-01", false)
    );
    // A on 2024-02-01 without a validation: required.
    assert_eq!(
        outcome(&spec("2024-02-01", None), "2024-01-01", TP),
        window("2024-02-01", "2023-12-03", "2024-03-02", true)
    );
    // A validation later than A − 2 years: not required.
    let a = |v: &str| outcome(&spec("2024-03-15", Some(v)), "2024-03-01", TP);
    assert_eq!(
        a("2022-03-16"),
        window("2024-03-15", "2024-01-15", "2024-04-14", false)
    );
    assert_eq!(
        a("2024-02-20"),
        window("2024-03-15", "2024-01-15", "2024-04-14", false)
    );
    // Exactly A − 2 years is too old.
    assert_eq!(
        a("2022-03-15"),
        window("2024-03-15", "2024-01-15", "2024-04-14", true)
    );
    // A validation after D is not yet knowable.
    assert_eq!(
        a("2024-03-10"),
        window("2024-03-15", "2024-01-15", "2024-04-14", true)
    );
    // Past the grace period the next anniversary is judged: the 2022-03-16 validation is too old
    // for A = 2025-03-15.
    assert_eq!(
        outcome(&spec("2024-03-15", Some("2022-03-16")), "2024-04-15", TP),
        window("2025-03-15", "2025-01-14", "2025-04-14", true)
    );
}

/// The FAQ's reading is scoped to the recorded date (outcomes.md: "a recorded anniversary from
/// 2022-07-01 to 2022-12-31 was pushed back six months first"; interpretations.md, "push-back"):
/// a series that passes through July–December 2022 from an earlier recorded date is not pushed.
#[test]
fn only_a_recorded_anniversary_from_july_to_december_2022_is_pushed_back() {
    let spec = |anniversary: &str| {
        specialization(
            json!({ "id": "threat_protection", "attained_on": "2020-01-01",
                    "anniversary": anniversary, "requirements_met": true }),
        )
    };
    // Recorded 2021-09-15: its 2022 anniversary, 2022-09-15, stays where it is.
    assert_eq!(
        outcome(&spec("2021-09-15"), "2022-09-01", TP),
        window("2022-09-15", "2022-07-17", "2022-10-15", false)
    );
    assert_eq!(
        outcome(&spec("2021-09-15"), "2022-10-16", TP),
        window("2023-09-15", "2023-07-17", "2023-10-15", false)
    );
    // Recorded 2022-09-15: pushed to 2023-03-15.
    assert_eq!(
        outcome(&spec("2022-09-15"), "2022-09-01", TP),
        window("2023-03-15", "2023-01-14", "2023-04-14", false)
    );
    // The edges of the range, the day before and after.
    assert_eq!(
        outcome(&spec("2022-06-30"), "2022-06-01", TP),
        window("2022-06-30", "2022-05-01", "2022-07-30", false)
    );
    assert_eq!(
        outcome(&spec("2022-07-01"), "2022-06-01", TP),
        window("2023-01-01", "2022-11-02", "2023-01-31", false)
    );
    assert_eq!(
        outcome(&spec("2022-07-02"), "2022-06-01", TP),
        window("2023-01-02", "2022-11-03", "2023-02-01", false)
    );
    assert_eq!(
        outcome(&spec("2022-12-30"), "2022-06-01", TP),
        window("2023-06-30", "2023-05-01", "2023-07-30", false)
    );
    assert_eq!(
        outcome(&spec("2023-01-01"), "2022-06-01", TP),
        window("2023-01-01", "2022-11-02", "2023-01-31", false)
    );
}

/// The specializations renewable on D (eligo's own outcome): Threat Protection, or none.
const RENEWABLE: &str = "specializations_renewable";
const TP_ONLY: &str = r#"["threat_protection"]"#;
const NONE: &str = "[]";

/// Partner A (FAQ, "What happens to my advanced specialization on October 3, 2022, …?"): gold
/// Security competency, Threat Protection with anniversary 2023-02-03, 60 points towards
/// Security. "If Partner A is unable to attain the Solutions Partner for Security designation,
/// they will not be able to renew their Threat Protection specialization."
fn partner_a(entries: &[(&str, &str)], requirements_met: bool) -> String {
    let entries: Vec<Value> = entries
        .iter()
        .map(|(area, on)| json!({ "area": area, "attained_on": on }))
        .collect();
    facts(json!({ "program": {
        "legacy_competency": { "level": "gold", "areas": ["security"], "anniversary": "2022-11-11" },
        "designations": entries,
        "specializations": [{ "id": "threat_protection", "attained_on": "2021-02-03",
                              "anniversary": "2023-02-03", "requirements_met": requirements_met }],
    } }))
}

#[test]
fn a_specialization_cannot_be_renewed_without_an_aligned_designation() {
    // Without the Security designation: never renewable, even inside the window.
    let f = partner_a(&[], true);
    for d in ["2022-12-05", "2023-02-03", "2023-03-05"] {
        assert_eq!(outcome(&f, d, RENEWABLE), NONE, "{d}");
    }
    // Security attained on 2022-12-20: renewable from that day to the end of the grace period.
    let f = partner_a(&[("security", "2022-12-20")], true);
    let at = |d: &str| outcome(&f, d, RENEWABLE);
    assert_eq!(at("2022-12-19"), NONE);
    assert_eq!(at("2022-12-20"), TP_ONLY);
    assert_eq!(at("2023-02-02"), TP_ONLY);
    assert_eq!(at("2023-02-03"), TP_ONLY);
    assert_eq!(at("2023-02-04"), TP_ONLY);
    assert_eq!(at("2023-03-05"), TP_ONLY);
    // The day after the grace period the window is next year's, not open yet.
    assert_eq!(at("2023-03-06"), NONE);
    // The rule says none for a specialization the partner does not hold (tested through the
    // policy tests, stdlib-policies/tests/renewals.test.json); the outcome lists only held ones.
}

#[test]
fn a_specialization_renews_only_inside_its_window() {
    // Security held all along: attained 2022-10-15, renewed on the legacy anniversary
    // 2022-11-11, so held until 2023-11-11.
    let held = [("security", "2022-10-15"), ("security", "2022-11-11")];
    let f = partner_a(&held, true);
    let at = |d: &str| outcome(&f, d, RENEWABLE);
    // The window of 2023-02-03 opens on 2022-12-05 (60 days before).
    assert_eq!(at("2022-12-04"), NONE);
    assert_eq!(at("2022-12-05"), TP_ONLY);
    assert_eq!(at("2023-03-05"), TP_ONLY);
    assert_eq!(at("2023-03-06"), NONE);
    // The telemetry requirements not met: not renewable.
    let unmet = partner_a(&held, false);
    assert_eq!(outcome(&unmet, "2023-02-03", RENEWABLE), NONE);
}

#[test]
fn a_specialization_renewal_waits_for_an_outstanding_manual_validation() {
    // A = 2024-03-15, on or after 2024-02-01: the audit or references must be current.
    let spec = |validated: Option<&str>| {
        let mut r = json!({ "id": "threat_protection", "attained_on": "2021-03-15",
                            "anniversary": "2024-03-15", "requirements_met": true });
        if let Some(v) = validated {
            r["manual_validation_passed_on"] = json!(v);
        }
        facts(json!({ "program": {
            "designations": [{ "area": "security", "attained_on": "2023-10-01" }],
            "specializations": [r],
        } }))
    };
    assert_eq!(outcome(&spec(None), "2024-03-15", RENEWABLE), NONE);
    let f = spec(Some("2024-03-01"));
    assert_eq!(outcome(&f, "2024-02-29", RENEWABLE), NONE);
    assert_eq!(outcome(&f, "2024-03-01", RENEWABLE), TP_ONLY);
}

fn azure_expert_msp(entries: &[(&str, &str)], anniversary: &str, requirements_met: bool) -> String {
    let entries: Vec<Value> = entries
        .iter()
        .map(|(area, on)| json!({ "area": area, "attained_on": on }))
        .collect();
    facts(json!({ "program": {
        "designations": entries,
        "azure_expert_msp": { "attained_on": "2021-05-01", "anniversary": anniversary,
                              "requirements_met": requirements_met },
    } }))
}

/// FAQ, "What happens to my Azure Expert MSP status on October 3, 2022, …?": "Your organization
/// will have until the anniversary date of your Azure Expert MSP to attain all three Azure
/// Solutions Partner designations. If you have not met the Solutions Partner designations, then
/// you will not be allowed to renew your Azure Expert MSP status."
#[test]
fn azure_expert_msp_renewal_needs_the_three_azure_designations() {
    let three = [
        ("data_ai", "2022-11-01"),
        ("digital_app_innovation", "2022-12-01"),
        ("infrastructure", "2023-02-01"),
    ];
    let f = azure_expert_msp(&three, "2023-05-01", true);
    let renewable = |d: &str| outcome(&f, d, "azure_expert_msp.renewable");
    let anniversary = |d: &str| outcome(&f, d, "azure_expert_msp.anniversary");
    // The third designation comes on 2023-02-01.
    assert_eq!(renewable("2023-01-31"), "false");
    assert_eq!(renewable("2023-02-01"), "true");
    assert_eq!(renewable("2023-05-01"), "true");
    // The anniversary: the day before, on it, and the day after (the next one).
    assert_eq!(anniversary("2023-04-30"), r#""2023-05-01""#);
    assert_eq!(anniversary("2023-05-01"), r#""2023-05-01""#);
    assert_eq!(anniversary("2023-05-02"), r#""2024-05-01""#);
    // The designations lapse on their shared anniversary, 2023-11-01, without renewal entries.
    assert_eq!(renewable("2023-10-31"), "true");
    assert_eq!(renewable("2023-11-01"), "false");
    // Two of the three: not renewable at its anniversary.
    let two = azure_expert_msp(&three[..2], "2023-05-01", true);
    assert_eq!(
        outcome(&two, "2023-05-01", "azure_expert_msp.renewable"),
        "false"
    );
    assert_eq!(
        outcome(&two, "2023-05-01", "azure_expert_msp.prerequisites_met"),
        "false"
    );
    // Its other requirements not met.
    let unmet = azure_expert_msp(&three, "2023-05-01", false);
    assert_eq!(
        outcome(&unmet, "2023-05-01", "azure_expert_msp.renewable"),
        "false"
    );
    // No status held: null; attained after D: null too.
    let none = facts(json!({}));
    assert_eq!(outcome(&none, D, "azure_expert_msp.renewable"), "null");
    assert_eq!(outcome(&none, D, "azure_expert_msp.anniversary"), "null");
    assert_eq!(
        outcome(&f, "2021-04-30", "azure_expert_msp.anniversary"),
        "null"
    );
    assert_eq!(
        outcome(&f, "2021-05-01", "azure_expert_msp.anniversary"),
        r#""2023-05-01""#
    );
}

// ---------------------------------------------------------------------------------------------
// Legacy competencies, incentives, publishing, benefits packages
// ---------------------------------------------------------------------------------------------

fn legacy(
    level: &str,
    anniversary: &str,
    packages: &[(&str, &str)],
    entries: &[(&str, &str)],
) -> String {
    let packages: Vec<Value> = packages
        .iter()
        .map(|(p, on)| json!({ "package": p, "purchased_on": on }))
        .collect();
    let entries: Vec<Value> = entries
        .iter()
        .map(|(area, on)| json!({ "area": area, "attained_on": on }))
        .collect();
    facts(json!({ "program": {
        "legacy_competency": { "level": level, "areas": ["security"], "anniversary": anniversary },
        "benefits_packages": packages,
        "designations": entries,
    } }))
}

#[test]
fn incentives_through_a_legacy_competency_until_its_first_anniversary() {
    let f = legacy("gold", "2022-11-11", &[], &[]);
    assert_eq!(outcome(&f, "2022-10-03", "incentives_eligible"), "true");
    assert_eq!(outcome(&f, "2022-11-10", "incentives_eligible"), "true");
    assert_eq!(outcome(&f, "2022-11-11", "incentives_eligible"), "false");
    // An anniversary recorded before 2022-09-30 is stepped to the first one after it.
    let f = legacy("silver", "2021-10-15", &[], &[]);
    assert_eq!(outcome(&f, "2022-10-14", "incentives_eligible"), "true");
    assert_eq!(outcome(&f, "2022-10-15", "incentives_eligible"), "false");
    // Recorded on 2022-09-30 itself (renewed on the last day): the first one after is 2023-09-30.
    let f = legacy("gold", "2022-09-30", &[], &[]);
    assert_eq!(outcome(&f, "2023-09-29", "incentives_eligible"), "true");
    assert_eq!(outcome(&f, "2023-09-30", "incentives_eligible"), "false");
    let f = legacy("silver", "2022-09-15", &[], &[]);
    assert_eq!(outcome(&f, "2023-09-14", "incentives_eligible"), "true");
    assert_eq!(outcome(&f, "2023-09-15", "incentives_eligible"), "false");
    // No legacy competency, no designation.
    assert_eq!(
        outcome(&facts(json!({})), "2022-11-01", "incentives_eligible"),
        "false"
    );
}

#[test]
fn incentives_after_the_anniversary_need_a_legacy_package_bought_from_it() {
    let at = |packages: &[(&str, &str)], as_of: &str| {
        outcome(
            &legacy("gold", "2022-11-11", packages, &[]),
            as_of,
            "incentives_eligible",
        )
    };
    assert_eq!(at(&[("legacy_gold", "2022-11-11")], "2022-11-11"), "true");
    assert_eq!(at(&[("legacy_gold", "2022-11-11")], "2023-09-30"), "true");
    assert_eq!(at(&[("legacy_silver", "2022-12-01")], "2023-03-01"), "true");
    // Bought before the anniversary: does not count.
    assert_eq!(at(&[("legacy_gold", "2022-11-10")], "2022-12-01"), "false");
    // Not yet bought on D.
    assert_eq!(at(&[("legacy_gold", "2022-12-01")], "2022-11-20"), "false");
    assert_eq!(at(&[("legacy_gold", "2022-12-01")], "2022-12-01"), "true");
    // Other packages do not.
    assert_eq!(
        at(&[("partner_success_expanded", "2022-11-11")], "2022-12-01"),
        "false"
    );
    assert_eq!(at(&[("action_pack", "2022-11-11")], "2022-12-01"), "false");
    // From 2023-10-01 only designations count.
    assert_eq!(at(&[("legacy_gold", "2022-11-11")], "2023-10-01"), "false");
    assert_eq!(at(&[("legacy_gold", "2023-11-11")], "2023-11-11"), "false");
}

#[test]
fn incentives_from_2023_10_01_need_a_designation() {
    let f = legacy("gold", "2022-11-11", &[], &[("security", "2023-02-01")]);
    assert_eq!(outcome(&f, "2022-12-01", "incentives_eligible"), "false");
    assert_eq!(outcome(&f, "2023-02-01", "incentives_eligible"), "true");
    assert_eq!(outcome(&f, "2023-10-01", "incentives_eligible"), "true");
    // The partner keeps its legacy anniversary: the designation lapses on 2023-11-11, not on
    // 2024-02-01, a year after the entry (outcomes.md, `anniversary`).
    assert_eq!(outcome(&f, "2023-11-10", "incentives_eligible"), "true");
    assert_eq!(outcome(&f, "2023-11-11", "incentives_eligible"), "false");
    assert_eq!(outcome(&f, "2024-01-31", "incentives_eligible"), "false");
    let f = designations(&[("modern_work", "2023-09-01")]);
    assert_eq!(outcome(&f, "2023-09-30", "incentives_eligible"), "true");
    assert_eq!(outcome(&f, "2023-10-01", "incentives_eligible"), "true");
}

/// FAQ, "If we choose to purchase Partner Success Expanded Benefits instead of the legacy silver
/// or gold benefits package, will we lose our status …?": "Yes. If a partner wants to keep their
/// legacy silver or gold status, they must continue to renew their legacy silver or gold benefits
/// package." Renewals happen on the anniversary (interpretations.md, "legacy status").
#[test]
fn legacy_status_lasts_while_renewed_on_each_anniversary() {
    let status = |packages: &[(&str, &str)], as_of: &str| {
        outcome(
            &legacy("gold", "2022-11-11", packages, &[]),
            as_of,
            "legacy_status_held",
        )
    };
    // Until the first anniversary after 2022-09-30, with no purchase.
    assert_eq!(status(&[], "2022-10-03"), "true");
    assert_eq!(status(&[], "2022-11-10"), "true");
    assert_eq!(status(&[], "2022-11-11"), "false");
    // Renewed on the anniversary.
    let on = [("legacy_gold", "2022-11-11")];
    assert_eq!(status(&on, "2022-11-11"), "true");
    assert_eq!(status(&on, "2023-11-10"), "true");
    assert_eq!(status(&on, "2023-11-11"), "false");
    // Bought the day before or the day after the anniversary: not a renewal.
    assert_eq!(
        status(&[("legacy_gold", "2022-11-10")], "2022-11-11"),
        "false"
    );
    assert_eq!(
        status(&[("legacy_gold", "2022-11-12")], "2022-11-12"),
        "false"
    );
    // Renewed every year: the anniversary of 2025-11-11 comes after legacy benefits stopped
    // being sold (2025-01-21), so the status ends there whatever the facts say.
    let every = [
        ("legacy_gold", "2022-11-11"),
        ("legacy_gold", "2023-11-11"),
        ("legacy_gold", "2024-11-11"),
        ("legacy_gold", "2025-11-11"),
    ];
    assert_eq!(status(&every, "2025-11-10"), "true");
    assert_eq!(status(&every, "2025-11-11"), "false");
    // A skipped year ends it: renewing again later gives the benefits, not the status.
    let skipped = [("legacy_gold", "2022-11-11"), ("legacy_gold", "2024-11-11")];
    assert_eq!(status(&skipped, "2024-11-11"), "false");
    // Partner Success Expanded instead of the legacy package: lost on that anniversary.
    let instead = [
        ("legacy_gold", "2022-11-11"),
        ("partner_success_expanded", "2023-11-11"),
    ];
    assert_eq!(status(&instead, "2023-11-10"), "true");
    assert_eq!(status(&instead, "2023-11-11"), "false");
    // Bought alongside a renewal, it costs nothing.
    let both = [
        ("legacy_gold", "2022-11-11"),
        ("partner_success_expanded", "2023-03-01"),
        ("legacy_gold", "2023-11-11"),
    ];
    assert_eq!(status(&both, "2024-11-10"), "true");
    // No legacy competency: no status.
    assert_eq!(
        outcome(&facts(json!({})), "2022-10-03", "legacy_status_held"),
        "false"
    );
}

/// The same on a leap-day anniversary: the anniversaries are the recorded 2020-02-29 stepped by
/// whole years (2023-02-28, then 2024-02-29), the days `anniversary` gives and the renewal is sold;
/// not 2023-02-28 plus a year (interpretations.md, 35).
#[test]
fn legacy_status_on_a_leap_day_anniversary() {
    let at = |packages: &[(&str, &str)], as_of: &str, id: &str| {
        outcome(&legacy("silver", "2020-02-29", packages, &[]), as_of, id)
    };
    let status = |packages: &[(&str, &str)], as_of: &str| at(packages, as_of, "legacy_status_held");
    let first = [("legacy_silver", "2023-02-28")];
    assert_eq!(at(&first, "2024-02-28", "anniversary"), r#""2024-02-29""#);
    assert_eq!(status(&first, "2024-02-28"), "true");
    assert_eq!(status(&first, "2024-02-29"), "false");
    let sold = "benefits_package.legacy_silver.can_purchase";
    assert_eq!(at(&first, "2024-02-28", sold), "false");
    assert_eq!(at(&first, "2024-02-29", sold), "true");
    // Renewed on 2024-02-29: held on it and after it.
    let renewed = [
        ("legacy_silver", "2023-02-28"),
        ("legacy_silver", "2024-02-29"),
    ];
    for as_of in ["2024-02-28", "2024-02-29", "2024-03-01", "2025-01-21"] {
        assert_eq!(status(&renewed, as_of), "true", "{as_of}");
    }
    // Bought on 2024-02-28, the day before the anniversary: no renewal.
    let early = [
        ("legacy_silver", "2023-02-28"),
        ("legacy_silver", "2024-02-28"),
    ];
    assert_eq!(status(&early, "2024-02-28"), "true");
    assert_eq!(status(&early, "2024-02-29"), "false");
    assert_eq!(status(&early, "2024-03-01"), "false");
}

/// FAQ, August 6, 2024 update: "Partners with an eligible active legacy silver/gold purchase status
/// as of January 21, 2025, will be eligible for the remainder of the FY25 CSP incentive term
/// (January 22, 2025, to September 30, 2025)."
#[test]
fn fy25_csp_incentives_through_a_legacy_purchase_active_on_2025_01_21() {
    let eligible = |bought: &str, as_of: &str| {
        outcome(
            &legacy("silver", "2022-03-01", &[("legacy_silver", bought)], &[]),
            as_of,
            "legacy_fy25_csp_incentives_eligible",
        )
    };
    let active = "2024-03-01";
    assert_eq!(eligible(active, "2025-01-21"), "false");
    assert_eq!(eligible(active, "2025-01-22"), "true");
    assert_eq!(eligible(active, "2025-09-30"), "true");
    assert_eq!(eligible(active, "2025-10-01"), "false");
    // Active on 2025-01-21: bought less than 12 months before it, on or before it.
    assert_eq!(eligible("2024-01-21", "2025-02-01"), "false");
    assert_eq!(eligible("2024-01-22", "2025-02-01"), "true");
    assert_eq!(eligible("2025-01-21", "2025-02-01"), "true");
    assert_eq!(eligible("2025-01-22", "2025-02-01"), "false");
    // The contract's incentives_eligible is unchanged: from 2023-10-01 only a designation.
    let f = legacy("silver", "2022-03-01", &[("legacy_silver", active)], &[]);
    assert_eq!(outcome(&f, "2025-02-01", "incentives_eligible"), "false");
    // Without a legacy competency, a legacy package (bad data) gives nothing.
    let f = facts(json!({ "program": { "benefits_packages": [
        { "package": "legacy_gold", "purchased_on": active }
    ] } }));
    assert_eq!(
        outcome(&f, "2025-02-01", "legacy_fy25_csp_incentives_eligible"),
        "false"
    );
}

#[test]
fn services_offers_and_legacy_renewal_cut_offs() {
    let f = legacy("silver", "2022-11-11", &[], &[]);
    assert_eq!(
        outcome(&f, "2023-10-02", "can_publish_services_offers"),
        "true"
    );
    assert_eq!(
        outcome(&f, "2023-10-03", "can_publish_services_offers"),
        "false"
    );
    assert_eq!(
        outcome(&f, "2025-01-21", "legacy_benefits_renewable"),
        "true"
    );
    assert_eq!(
        outcome(&f, "2025-01-22", "legacy_benefits_renewable"),
        "false"
    );
    let none = facts(json!({}));
    assert_eq!(
        outcome(&none, "2023-01-01", "can_publish_services_offers"),
        "false"
    );
    assert_eq!(
        outcome(&none, "2024-01-01", "legacy_benefits_renewable"),
        "false"
    );
    // With a designation, any time it is held.
    let f = designations(&[("security", "2023-11-01")]);
    assert_eq!(
        outcome(&f, "2024-10-31", "can_publish_services_offers"),
        "true"
    );
    assert_eq!(
        outcome(&f, "2024-11-01", "can_publish_services_offers"),
        "false"
    );
}

#[test]
fn benefits_package_prices() {
    let f = facts(json!({}));
    let price = |p: &str| outcome(&f, D, &format!("benefits_package.{p}.price_usd"));
    assert_eq!(price("partner_launch"), "345");
    assert_eq!(price("partner_success_core"), "895");
    assert_eq!(price("partner_success_expanded"), "3995");
    assert_eq!(price("action_pack"), "null");
    assert_eq!(price("legacy_gold"), "null");
}

fn packages(market: &str, bought: &[(&str, &str)]) -> String {
    let bought: Vec<Value> = bought
        .iter()
        .map(|(p, on)| json!({ "package": p, "purchased_on": on }))
        .collect();
    let mut doc = json!({ "program": { "benefits_packages": bought } });
    doc["partner"] = json!({ "id": "p", "market": market });
    facts(doc)
}

#[test]
fn one_package_at_a_time_active_for_twelve_months() {
    let f = packages("US", &[("partner_success_core", "2024-02-01")]);
    let active = |as_of: &str| outcome(&f, as_of, "benefits_package.partner_success_core.active");
    let can =
        |p: &str, as_of: &str| outcome(&f, as_of, &format!("benefits_package.{p}.can_purchase"));
    assert_eq!(active("2024-01-31"), "false");
    assert_eq!(active("2024-02-01"), "true");
    assert_eq!(active("2025-01-31"), "true");
    assert_eq!(active("2025-02-01"), "false");
    assert_eq!(can("partner_success_core", "2025-01-31"), "false");
    assert_eq!(can("partner_success_core", "2025-02-01"), "true");
    // One of each at the same time is allowed.
    assert_eq!(can("partner_launch", "2024-06-01"), "true");
    assert_eq!(can("partner_success_expanded", "2024-06-01"), "true");
    assert_eq!(
        outcome(&f, "2024-06-01", "benefits_package.partner_launch.active"),
        "false"
    );
    // A leap-day purchase is active through 2025-02-27.
    let leap = packages("US", &[("partner_launch", "2024-02-29")]);
    assert_eq!(
        outcome(
            &leap,
            "2025-02-27",
            "benefits_package.partner_launch.active"
        ),
        "true"
    );
    assert_eq!(
        outcome(
            &leap,
            "2025-02-28",
            "benefits_package.partner_launch.active"
        ),
        "false"
    );
}

#[test]
fn new_packages_launch_dates_by_market() {
    let can = |market: &str, as_of: &str| {
        outcome(
            &packages(market, &[]),
            as_of,
            "benefits_package.partner_launch.can_purchase",
        )
    };
    assert_eq!(can("US", "2024-01-21"), "false");
    assert_eq!(can("US", "2024-01-22"), "true");
    assert_eq!(can("GB", "2024-01-22"), "true");
    assert_eq!(can("AR", "2024-01-22"), "false");
    assert_eq!(can("AR", "2024-03-31"), "false");
    assert_eq!(can("AR", "2024-04-01"), "true");
    // No market: an "other market".
    let no_market = facts(json!({ "partner": { "id": "p" } }));
    assert_eq!(
        outcome(
            &no_market,
            "2024-03-31",
            "benefits_package.partner_success_core.can_purchase"
        ),
        "false"
    );
    assert_eq!(
        outcome(
            &no_market,
            "2024-04-01",
            "benefits_package.partner_success_core.can_purchase"
        ),
        "true"
    );
}

#[test]
fn legacy_packages_for_holders_of_that_level_until_2025_01_21() {
    let can = |f: &str, p: &str, as_of: &str| {
        outcome(f, as_of, &format!("benefits_package.{p}.can_purchase"))
    };
    // Renewed on the anniversary only (FAQ: "You can't renew your legacy competency before your
    // anniversary date"; "No changes are made to benefits between anniversary dates").
    let f = legacy("gold", "2022-11-11", &[], &[]);
    assert_eq!(can(&f, "legacy_gold", "2023-11-10"), "false");
    assert_eq!(can(&f, "legacy_gold", "2023-11-11"), "true");
    assert_eq!(can(&f, "legacy_gold", "2023-11-12"), "false");
    // Only the competency's level.
    assert_eq!(can(&f, "legacy_silver", "2023-11-11"), "false");
    // Sold through 2025-01-21: an anniversary on that day still renews, one a day later not.
    let jan21 = legacy("gold", "2022-01-21", &[], &[]);
    assert_eq!(can(&jan21, "legacy_gold", "2025-01-21"), "true");
    let jan22 = legacy("gold", "2022-01-22", &[], &[]);
    assert_eq!(can(&jan22, "legacy_gold", "2025-01-22"), "false");
    // Last year's renewal ends on the anniversary: renewable again that day.
    let renewed = legacy("gold", "2022-11-11", &[("legacy_gold", "2022-11-11")], &[]);
    assert_eq!(can(&renewed, "legacy_gold", "2023-11-11"), "true");
    // A package bought late (2022-11-20) is still active on the next anniversary: one at a time.
    let late = legacy("gold", "2022-11-11", &[("legacy_gold", "2022-11-20")], &[]);
    assert_eq!(can(&late, "legacy_gold", "2023-11-11"), "false");
    assert_eq!(can(&facts(json!({})), "legacy_gold", "2023-11-11"), "false");
    // Action Packs can be bought (and renewed once expired) until 2025-01-21.
    let f = packages("US", &[("action_pack", "2024-01-10")]);
    assert_eq!(
        outcome(
            &f,
            "2024-06-01",
            "benefits_package.action_pack.can_purchase"
        ),
        "false"
    );
    assert_eq!(
        outcome(
            &f,
            "2025-01-10",
            "benefits_package.action_pack.can_purchase"
        ),
        "true"
    );
}

#[test]
fn action_packs_are_not_sold_from_2025_01_22() {
    let f = packages("US", &[]);
    for p in ["action_pack", "learning_action_pack"] {
        let id = format!("benefits_package.{p}.can_purchase");
        assert_eq!(outcome(&f, "2025-01-21", &id), "true");
        assert_eq!(outcome(&f, "2025-01-22", &id), "false");
    }
}
