//! A seeded generator of realistic `eligo.partner-facts/1` populations, for trying policies at
//! scale, for benchmarks and for tests. The same seed always gives the same bytes: the random
//! stream is ChaCha8 (stable across platforms and versions) and JSON keys keep their order.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod from_schema;

pub use from_schema::SchemaGenerator;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::{json, Map, Value};

/// The evaluation date the generated facts carry.
pub const AS_OF: &str = "2024-08-06";

/// The solution areas of the standard policies (`enum Area`), in their order: the one list of
/// them that tests use (tests/api.rs checks it against the policies).
pub const AREAS: &[&str] = &[
    "business_applications",
    "data_ai",
    "digital_app_innovation",
    "infrastructure",
    "modern_work",
    "security",
];

const CERTIFICATIONS: &[&str] = &[
    "Azure Solutions Architect Expert",
    "Azure Administrator Associate",
    "Azure Data Engineer Associate",
    "Azure AI Engineer Associate",
    "Azure Developer Associate",
    "Azure DevOps Engineer Expert",
    "Azure IoT Developer Specialty",
    "Azure Network Engineer Associate",
    "Azure Stack Hub Operator Associate",
    "Azure Virtual Desktop Specialty",
    "Teams Administrator Associate",
    "Microsoft 365 Fundamentals",
    "Microsoft 365 Enterprise Administrator Expert",
    "D365 Sales",
    "D365 Customer Service",
    "Power Platform App Maker",
    "D365 F&O Apps Solution Architect Expert",
    "Azure Security Engineer Associate",
    "Security Operations Analyst",
    "Microsoft 365 Security Administrator Associate",
    "Cybersecurity Architect Expert",
    "Identity and Access Administrator",
];

const SPECIALIZATIONS: &[&str] = &[
    "threat_protection",
    "cloud_security",
    "kubernetes_on_microsoft_azure",
    "analytics_on_microsoft_azure",
    "calling_for_microsoft_teams",
    "sap_on_microsoft_azure",
    "finance",
    "modernize_endpoints",
];

const PACKAGES: &[&str] = &[
    "partner_launch",
    "partner_success_core",
    "partner_success_expanded",
    "action_pack",
    "learning_action_pack",
];
const INDUSTRIES: &[&str] = &[
    "retail",
    "healthcare",
    "sustainability",
    "manufacturing",
    "financial_services",
];
/// The certified-software designations (`enum CertifiedSoftware` of the standard policies), in their
/// order: the one list of them, as `AREAS` is of the areas.
pub const CERTIFIED_SOFTWARE: &[&str] = &[
    "azure",
    "business_applications",
    "modern_work",
    "security",
    "retail_ai",
    "healthcare_ai",
    "sustainability_ai",
    "manufacturing_ai",
    "financial_services_ai",
];
const MARKETS: &[&str] = &["US", "GB", "DE", "FR", "JP", "AR", "BR", "IN", "NZ", "ZA"];

/// Days since 1970-01-01 of 2024-08-06.
pub(crate) const AS_OF_DAYS: i64 = 19_941;

/// A generator of partners.
pub struct Generator {
    rng: ChaCha8Rng,
    next: u64,
}

impl Generator {
    /// A generator for a seed.
    pub fn new(seed: u64) -> Self {
        Generator {
            rng: ChaCha8Rng::seed_from_u64(seed),
            next: 0,
        }
    }

    /// The next partner as one line of JSON (no newline).
    pub fn partner(&mut self) -> String {
        let index = self.next;
        self.next += 1;
        let v = self.partner_value(index);
        v.to_string()
    }

    /// The next partner with a chosen number of transactions and people (benchmarks).
    pub fn partner_with(&mut self, transactions: usize, people: usize) -> String {
        let index = self.next;
        self.next += 1;
        let mut v = self.partner_value(index);
        v["marketplace"]["transactions"] =
            Value::Array((0..transactions).map(|_| self.transaction()).collect());
        v["people"] = Value::Array((0..people).map(|i| self.person(i)).collect());
        v.to_string()
    }

    fn date(&mut self, days_back_max: i64) -> String {
        let back = self.rng.gen_range(0..=days_back_max);
        date_text(AS_OF_DAYS - back)
    }

    fn money(&mut self, lo: u64, hi: u64) -> String {
        format!(
            "{}.{:02}",
            self.rng.gen_range(lo..hi),
            self.rng.gen_range(0..100)
        )
    }

    fn transaction(&mut self) -> Value {
        let customers = 40;
        json!({
            "date": self.date(730),
            "amount_usd": if self.rng.gen_bool(0.1) { self.money(20, 100) } else { self.money(100, 60_000) },
            "customer": format!("c{}", self.rng.gen_range(1..=customers)),
            "customer_net_new": self.rng.gen_bool(0.25),
        })
    }

    fn person(&mut self, i: usize) -> Value {
        let n = self.rng.gen_range(1..=3);
        let certs: Vec<Value> = (0..n)
            .map(|_| {
                let name = CERTIFICATIONS[self.rng.gen_range(0..CERTIFICATIONS.len())];
                let earned_back = self.rng.gen_range(0..1_100);
                let earned = AS_OF_DAYS - earned_back;
                let mut c = Map::new();
                c.insert("name".into(), json!(name));
                c.insert("earned_on".into(), json!(date_text(earned)));
                if self.rng.gen_bool(0.8) {
                    // Two-year certifications: some have expired by the evaluation date.
                    c.insert("expires_on".into(), json!(date_text(earned + 730)));
                }
                Value::Object(c)
            })
            .collect();
        json!({ "id": format!("p{}", i + 1), "certifications": certs })
    }

    fn partner_value(&mut self, index: u64) -> Value {
        let mut designations = Vec::new();
        for a in AREAS {
            if self.rng.gen_bool(0.35) {
                designations.push(json!({ "area": a, "attained_on": self.date(660) }));
            }
        }
        let mut specializations = Vec::new();
        for s in SPECIALIZATIONS {
            if self.rng.gen_bool(0.1) {
                let anniversary = self.date(700);
                let mut m = Map::new();
                m.insert("id".into(), json!(s));
                m.insert("anniversary".into(), json!(anniversary));
                m.insert("requirements_met".into(), json!(self.rng.gen_bool(0.7)));
                if self.rng.gen_bool(0.5) {
                    m.insert("manual_validation_passed_on".into(), json!(self.date(900)));
                }
                specializations.push(Value::Object(m));
            }
        }
        let mut packages = Vec::new();
        for p in PACKAGES {
            if self.rng.gen_bool(0.2) {
                packages.push(json!({ "package": p, "purchased_on": self.date(500) }));
            }
        }
        let mut program = Map::new();
        if self.rng.gen_bool(0.3) {
            program.insert(
                "legacy_competency".into(),
                json!({
                    "level": if self.rng.gen_bool(0.5) { "gold" } else { "silver" },
                    "areas": [AREAS[self.rng.gen_range(0..AREAS.len())]],
                    "anniversary": date_text(19_000 + self.rng.gen_range(0..365)),
                }),
            );
        }
        program.insert("designations".into(), Value::Array(designations));
        program.insert("benefits_packages".into(), Value::Array(packages));
        program.insert("specializations".into(), Value::Array(specializations));

        let r = &mut self.rng;
        let metrics = json!({
            "modern_work": {
                "enterprise": {
                    "net_customer_adds": { "CPOR": r.gen_range(0..8), "DPOR": r.gen_range(0..12) },
                    "usage_growth_users": { "CPOR": r.gen_range(0..1_500), "DPOR": r.gen_range(0..5_000) },
                    "net_deployments": { "CPOR": r.gen_range(0..7), "DPOR": r.gen_range(0..12) }
                },
                "smb": {
                    "net_customer_adds": { "CPOR": r.gen_range(0..8), "CSP": r.gen_range(0..14) },
                    "usage_growth_users": { "CPOR": r.gen_range(0..700), "CSP": r.gen_range(0..2_500) },
                    "net_deployments": { "CPOR": r.gen_range(0..7), "CSP": r.gen_range(0..12) }
                }
            },
            "business_applications": {
                "workloads_over_5000_usd": r.gen_range(0..9),
                "net_customer_adds": r.gen_range(0..7),
                "mcv_baseline": r.gen_range(0..90_000),
                "mcv_growth_percent": json_decimal(r.gen_range(-100..400), 1),
                "net_deployments": r.gen_range(0..7)
            },
            "azure": {
                "net_customer_adds": r.gen_range(0..5),
                "usage_growth_percent": json_decimal(r.gen_range(-50..300), 1),
                "qualifying_acr_usd": format!("{}.00", r.gen_range(0..2_000_000)),
                "deployments": r.gen_range(0..7)
            },
            "security": {
                "net_customer_adds": { "azure": r.gen_range(0..7), "m365": r.gen_range(0..7) },
                "net_deployments": { "azure": r.gen_range(0..5), "m365": r.gen_range(0..5) },
                "security_acr_growth_usd": format!("{}", r.gen_range(-5_000i64..30_000)),
                "protected_users_growth": r.gen_range(-200i64..3_000)
            }
        });

        let n_tx = self.rng.gen_range(0..=200);
        let transactions: Vec<Value> = (0..n_tx).map(|_| self.transaction()).collect();
        let n_people = self.rng.gen_range(0..=40);
        let people: Vec<Value> = (0..n_people).map(|i| self.person(i)).collect();
        let n_solutions = self.rng.gen_range(0..=3);
        let solutions: Vec<Value> = (0..n_solutions).map(|i| self.solution(index, i)).collect();
        let market = MARKETS[self.rng.gen_range(0..MARKETS.len())];
        json!({
            "format": "eligo.partner-facts/1",
            "as_of": AS_OF,
            "partner": { "id": format!("partner-{index:07}"), "name": format!("Partner {index}"), "market": market },
            "program": Value::Object(program),
            "metrics": metrics,
            "people": people,
            "marketplace": { "transactions": transactions, "solutions": solutions }
        })
    }

    fn solution(&mut self, partner: u64, i: usize) -> Value {
        let r = &mut self.rng;
        let industries: Vec<&str> = INDUSTRIES
            .iter()
            .copied()
            .filter(|_| r.gen_bool(0.2))
            .collect();
        let evidence: Vec<Value> = (0..r.gen_range(0..4))
            .map(|_| {
                json!({
                    "kind": "case_study",
                    "verifiable": r.gen_bool(0.7),
                    "customer_validated": r.gen_bool(0.5),
                    "industry": INDUSTRIES[r.gen_range(0..INDUSTRIES.len())]
                })
            })
            .collect();
        let mau: Vec<Value> = (0..r.gen_range(0..13))
            .map(|m| json!({ "month": format!("2024-{:02}", (m % 7) + 1), "users": r.gen_range(0..90_000) }))
            .collect();
        let mut solution = json!({
            "id": format!("s{partner}-{i}"),
            "name": format!("Solution {i}"),
            "published": r.gen_bool(0.9),
            "ip_cosell_eligible": { "azure": r.gen_bool(0.5), "business_applications": r.gen_bool(0.3) },
            "technical_review_passed": {
                "azure": r.gen_bool(0.5), "business_applications": r.gen_bool(0.3),
                "m365_app_compliance": r.gen_bool(0.3), "sentinel_content_hub": r.gen_bool(0.2)
            },
            "industry_ai_review_passed": industries,
            "rating": { "average": json_decimal(r.gen_range(30..50), 1), "count": r.gen_range(0..40) },
            "customer_evidence": evidence,
            "teams_app_mau": mau
        });
        // The certified-software designations the solution attained (an eligo addition to the
        // facts, docs/partner-facts.md), drawn last, so the draws before it stay as they were.
        let mut certified = Vec::new();
        for d in CERTIFIED_SOFTWARE {
            if r.gen_bool(0.1) {
                let attained = date_text(AS_OF_DAYS - r.gen_range(0..700));
                certified.push(json!({ "designation": d, "attained_on": attained }));
            }
        }
        solution["certified_software"] = Value::Array(certified);
        solution
    }
}

/// A decimal number `units / 10^scale` as a JSON number (exact text).
pub(crate) fn json_decimal(units: i64, scale: u32) -> Value {
    let div = 10i64.pow(scale);
    let text = if units < 0 {
        format!("-{}.{}", (-units) / div, (-units) % div)
    } else {
        format!("{}.{}", units / div, units % div)
    };
    serde_json::from_str(&text).unwrap_or(Value::Null)
}

/// Days since 1970-01-01 as `YYYY-MM-DD` (proleptic Gregorian).
pub fn date_text(days: i64) -> String {
    // Howard Hinnant's civil-from-days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = if m <= 2 { y + 1 } else { y };
    format!("{y:04}-{m:02}-{d:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_bytes_other_seed_other_bytes() {
        let a: Vec<String> = {
            let mut g = Generator::new(7);
            (0..20).map(|_| g.partner()).collect()
        };
        let b: Vec<String> = {
            let mut g = Generator::new(7);
            (0..20).map(|_| g.partner()).collect()
        };
        let c: Vec<String> = {
            let mut g = Generator::new(8);
            (0..20).map(|_| g.partner()).collect()
        };
        assert_eq!(a, b);
        assert_ne!(a, c);
    }

    #[test]
    fn dates_are_calendar_dates() {
        assert_eq!(date_text(AS_OF_DAYS), "2024-08-06");
        assert_eq!(date_text(0), "1970-01-01");
        assert_eq!(date_text(19_782), "2024-02-29");
    }

    #[test]
    fn partners_have_zero_to_two_hundred_transactions() {
        let mut g = Generator::new(1);
        for _ in 0..50 {
            let v: Value = serde_json::from_str(&g.partner()).unwrap();
            let n = v["marketplace"]["transactions"].as_array().unwrap().len();
            assert!(n <= 200);
            assert_eq!(v["format"], "eligo.partner-facts/1");
        }
    }
}
