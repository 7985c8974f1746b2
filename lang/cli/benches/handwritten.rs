//! The certified-software-for-Azure rule written by hand in idiomatic Rust over typed structs:
//! the baseline eligo's interpreter is measured against (benchmarks 4 and 5, docs/performance.md).
//! It reads only what the rule needs, as a hand-written program would.

use chrono::{Months, NaiveDate};
use rust_decimal::Decimal;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::Deserialize;
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::str::FromStr;

#[derive(Deserialize)]
pub struct Facts {
    pub partner: Partner,
    #[serde(default)]
    pub marketplace: Marketplace,
}

#[derive(Deserialize)]
pub struct Partner {
    pub id: String,
}

#[derive(Deserialize, Default)]
pub struct Marketplace {
    #[serde(default)]
    pub transactions: Vec<Transaction>,
    #[serde(default)]
    pub solutions: Vec<Solution>,
}

#[derive(Deserialize)]
pub struct Transaction {
    #[serde(deserialize_with = "date")]
    pub date: NaiveDate,
    #[serde(deserialize_with = "money")]
    pub amount_usd: Decimal,
    pub customer: String,
    #[serde(default)]
    pub customer_net_new: bool,
}

#[derive(Deserialize)]
pub struct Solution {
    pub id: String,
    #[serde(default)]
    pub published: bool,
    #[serde(default)]
    pub ip_cosell_eligible: CoSell,
    #[serde(default)]
    pub technical_review_passed: Reviews,
    #[serde(default)]
    pub rating: Rating,
    #[serde(default)]
    pub customer_evidence: Vec<Evidence>,
}

#[derive(Deserialize, Default)]
pub struct CoSell {
    #[serde(default)]
    pub azure: bool,
}

#[derive(Deserialize, Default)]
pub struct Reviews {
    #[serde(default)]
    pub azure: bool,
}

#[derive(Deserialize, Default)]
pub struct Rating {
    #[serde(default)]
    pub average: Option<f64>,
    #[serde(default)]
    pub count: u32,
}

#[derive(Deserialize)]
pub struct Evidence {
    #[serde(default)]
    pub verifiable: bool,
}

fn date<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
    let s: &str = Deserialize::deserialize(d)?;
    NaiveDate::from_str(s).map_err(de::Error::custom)
}

/// Money is a decimal string or a JSON number, read exactly.
fn money<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
    struct V;
    impl<'de> Visitor<'de> for V {
        type Value = Decimal;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("an amount")
        }
        fn visit_str<E: de::Error>(self, s: &str) -> Result<Decimal, E> {
            Decimal::from_str_exact(s).map_err(E::custom)
        }
        fn visit_u64<E: de::Error>(self, n: u64) -> Result<Decimal, E> {
            Ok(n.into())
        }
        fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Decimal, A::Error> {
            // serde_json's arbitrary-precision numbers.
            let _: Option<String> = m.next_key()?;
            let s: String = m.next_value()?;
            Decimal::from_str_exact(&s).map_err(de::Error::custom)
        }
    }
    d.deserialize_any(V)
}

/// The ids of the solutions certified for Azure as of a date, sorted.
pub fn certified_azure(f: &Facts, as_of: NaiveDate) -> Vec<&str> {
    let start = as_of
        .checked_sub_months(Months::new(12))
        .unwrap_or(NaiveDate::MIN);
    let ttm: Vec<&Transaction> = f
        .marketplace
        .transactions
        .iter()
        .filter(|t| t.date > start && t.date <= as_of)
        .collect();
    let sales: Decimal = ttm.iter().map(|t| t.amount_usd).sum();
    let mut by_customer: HashMap<&str, (bool, Decimal)> = HashMap::new();
    for t in &ttm {
        let e = by_customer
            .entry(&t.customer)
            .or_insert((false, Decimal::ZERO));
        e.0 |= t.customer_net_new;
        e.1 += t.amount_usd;
    }
    let ten_k = Decimal::from(10_000);
    let net_new = by_customer
        .values()
        .filter(|(n, s)| *n && *s > ten_k)
        .count();
    let hundred = Decimal::from(100);
    let big: Vec<&&Transaction> = ttm.iter().filter(|t| t.amount_usd >= hundred).collect();
    let unique: HashSet<&str> = big.iter().map(|t| t.customer.as_str()).collect();
    let top_tier = sales >= Decimal::from(4_000_000)
        || net_new >= 12
        || (big.len() >= 30 && unique.len() >= 8);
    let mut ids: Vec<&str> = f
        .marketplace
        .solutions
        .iter()
        .filter(|s| {
            let satisfied = (s.rating.average.unwrap_or(0.0) >= 4.5 && s.rating.count >= 15)
                || s.customer_evidence.iter().filter(|e| e.verifiable).count() >= 2;
            s.published
                && s.ip_cosell_eligible.azure
                && s.technical_review_passed.azure
                && top_tier
                && satisfied
        })
        .map(|s| s.id.as_str())
        .collect();
    ids.sort_unstable();
    ids
}

/// One output line in the shape `eligo batch --outcome certified_software.azure` writes.
pub fn output_line(f: &Facts, as_of: NaiveDate, out: &mut String) {
    use std::fmt::Write;
    let ids = certified_azure(f, as_of);
    let _ = write!(
        out,
        "{{\"format\":\"eligo.outcomes/1\",\"as_of\":\"{as_of}\",\"partner\":{:?},\"outcomes\":{{\"certified_software.azure\":{:?}}}}}",
        f.partner.id, ids
    );
}
