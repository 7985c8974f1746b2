//! The counts of a diff, added to line by line in input order: per compared outcome how many
//! partners changed, the transitions, the distribution of numeric changes and the first
//! examples; the partners that failed in one version or both. Its memory is bounded whatever
//! the population: transitions and changes keep at most [`MAX_KEYS`] distinct keys each.

use super::{PartnerDiff, Status};
use chrono::NaiveDate;
use rust_decimal::Decimal;

/// Distinct transitions (or numeric changes) kept per outcome; the others are counted together.
pub const MAX_KEYS: usize = 20;

/// The counts of one compared outcome.
#[derive(Debug, Clone, Default)]
pub struct OutcomeTally {
    /// Partners whose value changed.
    pub changed: u64,
    /// `base → head` (values as JSON, a top-level string without quotes, `null` as `none`), in
    /// order of first appearance, with their counts.
    pub transitions: Vec<(String, u64)>,
    /// Numeric changes (`head − base`) by value, in order of first appearance.
    pub deltas: Vec<(Decimal, u64)>,
    /// Changes past [`MAX_KEYS`] distinct ones: transitions, increases, decreases.
    pub other: (u64, u64, u64),
    /// The smallest and the largest numeric change.
    pub range: Option<(Decimal, Decimal)>,
    /// The sum of the numeric changes and how many there are (the sum is none once it
    /// overflowed).
    pub sum: (Option<Decimal>, u64),
    /// The first partners that changed (their ids, or `line N`).
    pub examples: Vec<String>,
}

/// Partners that failed in one version or in both.
#[derive(Debug, Clone, Default)]
pub struct Failures {
    /// How many.
    pub count: u64,
    /// The first ones.
    pub examples: Vec<FailedLine>,
}

/// A line that failed in one version or both.
#[derive(Debug, Clone)]
pub struct FailedLine {
    /// The line number, from 1.
    pub line: u64,
    /// The partner id, when the line tells it.
    pub partner: Option<String>,
    /// The base version's error.
    pub base: Option<String>,
    /// The head version's error.
    pub head: Option<String>,
}

/// The counts of a whole diff.
#[derive(Debug, Clone)]
pub struct Tally {
    /// Examples kept per outcome and per kind of failure.
    pub max_examples: usize,
    /// Lines compared.
    pub partners: u64,
    /// Partners with at least one changed outcome.
    pub changed_partners: u64,
    /// Per compared outcome ([`super::pairing::Pairing::common`] order).
    pub outcomes: Vec<OutcomeTally>,
    /// Failed in the base version only (the change made their facts readable, or an
    /// evaluation succeed).
    pub base_only: Failures,
    /// Failed in the head version only.
    pub head_only: Failures,
    /// Failed in both.
    pub both: Failures,
    /// The base and head dates, while every partner has had the same ones.
    pub dates: Dates,
}

/// The evaluation dates seen so far.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub enum Dates {
    /// None yet.
    #[default]
    None,
    /// Every partner evaluated so far: base and head dates.
    One(NaiveDate, NaiveDate),
    /// Partners evaluated on different dates (their own `as_of`).
    Many,
}

impl Tally {
    /// Empty counts for `outcomes` compared outcomes.
    pub fn new(outcomes: usize, max_examples: usize) -> Tally {
        Tally {
            max_examples,
            partners: 0,
            changed_partners: 0,
            outcomes: vec![OutcomeTally::default(); outcomes],
            base_only: Failures::default(),
            head_only: Failures::default(),
            both: Failures::default(),
            dates: Dates::None,
        }
    }

    /// Counts one compared line.
    pub fn add(&mut self, d: &PartnerDiff) {
        self.partners += 1;
        if let Some((b, h)) = d.as_of {
            self.dates = match self.dates {
                Dates::None => Dates::One(b, h),
                Dates::One(x, y) if (x, y) == (b, h) => Dates::One(b, h),
                _ => Dates::Many,
            };
        }
        let name = || match &d.partner {
            Some(p) => p.clone(),
            None => format!("line {}", d.line),
        };
        match &d.status {
            Status::Unchanged => {}
            Status::Changed(changes) => {
                self.changed_partners += 1;
                for c in changes {
                    let Some(t) = self.outcomes.get_mut(c.outcome) else {
                        continue;
                    };
                    t.changed += 1;
                    if t.examples.len() < self.max_examples {
                        t.examples.push(name());
                    }
                    match c.delta {
                        Some(x) => t.add_delta(x),
                        None => t.add_transition(transition(&c.base, &c.head)),
                    }
                }
            }
            Status::Failed { base, head } => {
                let f = match (base, head) {
                    (Some(_), None) => &mut self.base_only,
                    (None, Some(_)) => &mut self.head_only,
                    _ => &mut self.both,
                };
                f.count += 1;
                if f.examples.len() < self.max_examples {
                    f.examples.push(FailedLine {
                        line: d.line,
                        partner: d.partner.clone(),
                        base: base.clone(),
                        head: head.clone(),
                    });
                }
            }
        }
    }

    /// Lines that failed in either version.
    pub fn failed(&self) -> u64 {
        self.base_only.count + self.head_only.count + self.both.count
    }
}

impl OutcomeTally {
    fn add_transition(&mut self, key: String) {
        if let Some(e) = self.transitions.iter_mut().find(|(k, _)| *k == key) {
            e.1 += 1;
        } else if self.transitions.len() < MAX_KEYS {
            self.transitions.push((key, 1));
        } else {
            self.other.0 += 1;
        }
    }

    fn add_delta(&mut self, x: Decimal) {
        self.range = Some(match self.range {
            Some((lo, hi)) => (lo.min(x), hi.max(x)),
            None => (x, x),
        });
        self.sum = match self.sum {
            (_, 0) => (Some(x), 1),
            (s, n) => (s.and_then(|s| s.checked_add(x)), n + 1),
        };
        if let Some(e) = self.deltas.iter_mut().find(|(k, _)| *k == x) {
            e.1 += 1;
        } else if self.deltas.len() < MAX_KEYS {
            self.deltas.push((x, 1));
        } else if x > Decimal::ZERO {
            self.other.1 += 1;
        } else {
            self.other.2 += 1;
        }
    }

    /// The mean numeric change, rounded to 2 decimal places (half away from zero).
    pub fn mean(&self) -> Option<Decimal> {
        let (s, n) = self.sum;
        s?.checked_div(Decimal::from(n)).map(|m| {
            m.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
        })
    }
}

/// `false → true`: both values as JSON, a string without its quotes, no value (`null`) as the
/// language writes it, `none`.
pub fn transition(base: &str, head: &str) -> String {
    format!("{} → {}", bare(base), bare(head))
}

fn bare(json: &str) -> String {
    if json == "null" {
        return "none".to_string();
    }
    if json.starts_with('"') {
        if let Ok(s) = serde_json::from_str::<String>(json) {
            return s;
        }
    }
    json.to_string()
}
