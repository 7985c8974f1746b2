//! Counts over a population's outcomes (`eligo.outcomes/1` lines): how many partners hold each
//! boolean outcome, each enum variant, and the spread of each number. `eligo batch` prints them
//! after a run; `eligo report --population` draws them.

use eligo::{OutcomeInfo, Ty};
use rust_decimal::Decimal;
use serde_json::Value as Json;
use std::str::FromStr;

/// What kind of value an outcome has, for counting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `Bool`.
    Bool,
    /// A number: `Int`, `Decimal`, `Money`, `Percent`, `Days`, `Months`.
    Number,
    /// An enum.
    Enum,
    /// Anything else (dates, text, lists, records).
    Other,
}

impl Kind {
    /// The kind of an outcome's type (an optional counts as its inner type, `none` apart).
    pub fn of(ty: &Ty) -> Kind {
        let inner = match ty {
            Ty::Opt(t) => &**t,
            t => t,
        };
        match inner {
            Ty::Bool => Kind::Bool,
            Ty::Int | Ty::Decimal | Ty::Money | Ty::Percent | Ty::Days | Ty::Months => Kind::Number,
            Ty::Enum(..) => Kind::Enum,
            _ => Kind::Other,
        }
    }
}

/// The counts of one outcome.
#[derive(Debug, Clone)]
pub struct Column {
    /// The outcome id.
    pub id: String,
    /// Its kind.
    pub kind: Kind,
    /// Partners for whom it is `true`.
    pub trues: u64,
    /// Partners for whom it is `false`.
    pub falses: u64,
    /// Partners for whom it is `none` (or absent from the line).
    pub nones: u64,
    /// Partners with a value that is not `none` (and, for a list, not empty).
    pub present: u64,
    /// Each enum variant with its count, in order of first appearance.
    pub variants: Vec<(String, u64)>,
    /// The smallest number, the largest and their sum.
    pub min: Option<Decimal>,
    /// The largest number.
    pub max: Option<Decimal>,
    /// The sum of the numbers (none when it overflows).
    pub sum: Option<Decimal>,
    /// Every number with the partner's index, when values are kept (the report's histograms).
    pub values: Vec<(Decimal, u32)>,
}

/// The counts of every selected outcome over a population.
#[derive(Debug, Clone)]
pub struct Tally {
    /// One column per outcome, in id order.
    pub columns: Vec<Column>,
    /// Lines counted.
    pub partners: u64,
    /// Lines that were error records.
    pub errors: u64,
    /// The partner id of each line, when values are kept.
    pub names: Vec<String>,
    keep: bool,
}

impl Tally {
    /// Counts for these outcomes; `keep` keeps every number (for histograms and the partners
    /// nearest a threshold) rather than only the smallest, largest and sum.
    pub fn new<'a>(outcomes: impl Iterator<Item = OutcomeInfo<'a>>, keep: bool) -> Tally {
        let columns = outcomes
            .map(|o| Column {
                id: o.id().to_string(),
                kind: Kind::of(o.ty()),
                trues: 0,
                falses: 0,
                nones: 0,
                present: 0,
                variants: Vec::new(),
                min: None,
                max: None,
                sum: Some(Decimal::ZERO),
                values: Vec::new(),
            })
            .collect();
        Tally {
            columns,
            partners: 0,
            errors: 0,
            names: Vec::new(),
            keep,
        }
    }

    /// Counts one `eligo.outcomes/1` line; an error record counts as an error. Gives whether
    /// the line was an outcomes line.
    pub fn add_line(&mut self, line: &str) -> bool {
        let Ok(doc) = serde_json::from_str::<Json>(line) else {
            return false;
        };
        self.add(&doc)
    }

    /// Counts one parsed `eligo.outcomes/1` document.
    pub fn add(&mut self, doc: &Json) -> bool {
        if doc.get("format").and_then(Json::as_str) != Some("eligo.outcomes/1") {
            return false;
        }
        self.partners += 1;
        let Some(outcomes) = doc.get("outcomes").and_then(Json::as_object) else {
            self.errors += 1;
            return true;
        };
        let index = self.names.len() as u32;
        if self.keep {
            let name = doc.get("partner").and_then(Json::as_str).unwrap_or("");
            self.names.push(name.to_string());
        }
        let keep = self.keep;
        for c in &mut self.columns {
            c.add(outcomes.get(&c.id).unwrap_or(&Json::Null), index, keep);
        }
        true
    }
}

impl Column {
    fn add(&mut self, v: &Json, index: u32, keep: bool) {
        match v {
            Json::Null => {
                self.nones += 1;
                return;
            }
            Json::Array(xs) if xs.is_empty() => return,
            _ => self.present += 1,
        }
        match (self.kind, v) {
            (Kind::Bool, Json::Bool(true)) => self.trues += 1,
            (Kind::Bool, Json::Bool(false)) => self.falses += 1,
            (Kind::Enum, Json::String(s)) => match self.variants.iter_mut().find(|(n, _)| n == s) {
                Some((_, count)) => *count += 1,
                None => self.variants.push((s.clone(), 1)),
            },
            (Kind::Number, Json::Number(n)) => {
                // The number's own digits: exact, as `eligo.outcomes/1` wrote them.
                if let Ok(d) = Decimal::from_str(&n.to_string()) {
                    self.min = Some(self.min.map_or(d, |m| m.min(d)));
                    self.max = Some(self.max.map_or(d, |m| m.max(d)));
                    self.sum = self.sum.and_then(|s| s.checked_add(d));
                    if keep {
                        self.values.push((d, index));
                    }
                }
            }
            _ => {}
        }
    }

    /// The mean of the numbers, to two places.
    pub fn mean(&self) -> Option<Decimal> {
        let n = Decimal::from(self.present.max(1));
        self.sum?.checked_div(n).map(|m| m.round_dp(2))
    }

    /// One line of a summary for people: `12 true`, `gold 3, silver 9`, `min 0 · mean 41.5 · max 97`.
    pub fn summary(&self) -> String {
        match self.kind {
            Kind::Bool => format!("{} true", self.trues),
            Kind::Enum => {
                let mut parts: Vec<String> = self
                    .variants
                    .iter()
                    .map(|(v, n)| format!("{v} {n}"))
                    .collect();
                if self.nones > 0 {
                    parts.push(format!("none {}", self.nones));
                }
                parts.join(", ")
            }
            Kind::Number => match (self.min, self.max, self.mean()) {
                (Some(lo), Some(hi), mean) => {
                    let mut s = format!("min {} · ", lo.normalize());
                    if let Some(m) = mean {
                        s.push_str(&format!("mean {} · ", m.normalize()));
                    }
                    s.push_str(&format!("max {}", hi.normalize()));
                    if self.nones > 0 {
                        s.push_str(&format!(" · none {}", self.nones));
                    }
                    s
                }
                _ => format!("none {}", self.nones),
            },
            Kind::Other => format!("{} with a value", self.present),
        }
    }
}
