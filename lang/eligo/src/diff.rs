//! Policy change impact: one partner's outcomes under two versions of the policies (or two
//! dates), compared. Each line of a population is read and evaluated by both versions
//! ([`diff_line`]); the differences are counted by a [`tally::Tally`] and written by
//! [`render`]. Like [`crate::batch`], nothing here does I/O: a line's result depends only on the
//! line, so the caller may evaluate lines on any thread, in any order.

pub mod criteria;
pub mod pairing;
pub mod render;
pub mod tally;

use crate::batch::{evaluate_facts, read_line_facts, BatchConfig, LineError};
use crate::eval::output::json_value;
use crate::eval::{Compiled, StaticMemo};
use crate::explain::ExplainOptions;
use crate::model::{Program, Ty, Value};
use chrono::NaiveDate;
use criteria::CriterionFlip;
use pairing::Pairing;
use rust_decimal::Decimal;

/// What every line is compared with.
#[derive(Debug, Clone)]
pub struct DiffConfig {
    /// How the base version evaluates a line (its selection, date, facts options, limits).
    pub base: BatchConfig,
    /// How the head version does.
    pub head: BatchConfig,
    /// The outcome ids of both selections, matched.
    pub pairing: Pairing,
    /// Both versions are the same policies: the facts are read once.
    pub same_policies: bool,
    /// Explain the changed outcomes (which criteria flipped).
    pub explain: bool,
}

/// One outcome whose value differs between the versions.
#[derive(Debug, Clone, PartialEq)]
pub struct OutcomeChange {
    /// Position in [`Pairing::common`].
    pub outcome: usize,
    /// The base value as JSON.
    pub base: String,
    /// The head value as JSON.
    pub head: String,
    /// `head − base` when both are numbers of the same kind.
    pub delta: Option<Decimal>,
    /// With `explain`: the labelled criteria that flipped, or why they could not be found.
    pub criteria: Option<Result<Vec<CriterionFlip>, String>>,
}

/// How a partner fared.
#[derive(Debug, Clone, PartialEq)]
pub enum Status {
    /// Every compared outcome has the same value.
    Unchanged,
    /// These outcomes differ (in the order of [`Pairing::common`]).
    Changed(Vec<OutcomeChange>),
    /// The facts or an evaluation failed in one version or both: each side's error.
    Failed {
        /// The base version's error.
        base: Option<String>,
        /// The head version's error.
        head: Option<String>,
    },
}

/// One line compared.
#[derive(Debug, Clone, PartialEq)]
pub struct PartnerDiff {
    /// The line number, from 1.
    pub line: u64,
    /// The partner id, when the line tells it.
    pub partner: Option<String>,
    /// The base and head evaluation dates (the head's alone when a side failed to read).
    pub as_of: Option<(NaiveDate, NaiveDate)>,
    /// What changed.
    pub status: Status,
}

/// A worker's memory of date-only rules, one per version (they may evaluate different dates).
#[derive(Debug, Default)]
pub struct Kept {
    base: StaticMemo,
    head: StaticMemo,
}

/// Compares one NDJSON line of facts (`line_no` counts from 1).
pub fn diff_line(
    base: &Compiled,
    head: &Compiled,
    config: &DiffConfig,
    line_no: u64,
    text: &str,
    kept: &mut Kept,
) -> PartnerDiff {
    let (b, h) = if config.same_policies {
        both_from_one_reading(base, config, line_no, text, kept)
    } else {
        let b = read_line_facts(base, &config.base, line_no, text).and_then(|f| {
            let as_of = date(&config.base, &f);
            let values = evaluate_facts(base, &config.base, &f, as_of, &mut kept.base)?;
            Ok((f, as_of, values))
        });
        let h = read_line_facts(head, &config.head, line_no, text).and_then(|f| {
            let as_of = date(&config.head, &f);
            let values = evaluate_facts(head, &config.head, &f, as_of, &mut kept.head)?;
            Ok((f, as_of, values))
        });
        (b, h)
    };
    match (b, h) {
        (Ok((bf, bd, bv)), Ok((hf, hd, hv))) => {
            let partner = hf.partner.as_deref().or(bf.partner.as_deref());
            let changes = match compare(base, head, config, &bv, &hv) {
                Ok(changes) => changes,
                Err(e) => {
                    // Eligo's own fault, reported on both sides: neither value can be written.
                    let message = Some(format!("{}: {e}", e.code()));
                    return PartnerDiff {
                        line: line_no,
                        partner: partner.map(str::to_string),
                        as_of: Some((bd, hd)),
                        status: Status::Failed {
                            base: message.clone(),
                            head: message,
                        },
                    };
                }
            };
            let status = if changes.is_empty() {
                Status::Unchanged
            } else if config.explain {
                Status::Changed(criteria::explain_changes(
                    (base, &bf, bd),
                    (head, &hf, hd),
                    config,
                    changes,
                    ExplainOptions {
                        horizon_days: 0,
                        limits: config.head.limits,
                        ..ExplainOptions::default()
                    },
                ))
            } else {
                Status::Changed(changes)
            };
            PartnerDiff {
                line: line_no,
                partner: partner.map(str::to_string),
                as_of: Some((bd, hd)),
                status,
            }
        }
        (b, h) => {
            let partner = match (&b, &h) {
                (Ok((f, ..)), _) | (_, Ok((f, ..))) => f.partner.as_deref().map(str::to_string),
                (Err(e), Err(f)) => e.partner.clone().or_else(|| f.partner.clone()),
            };
            PartnerDiff {
                line: line_no,
                partner,
                as_of: None,
                status: Status::Failed {
                    base: b.err().map(|e| e.message),
                    head: h.err().map(|e| e.message),
                },
            }
        }
    }
}

type Side = Result<(crate::facts::Facts, NaiveDate, Vec<Value>), LineError>;

/// One policies, two dates: the facts are read once and evaluated twice.
fn both_from_one_reading(
    policies: &Compiled,
    config: &DiffConfig,
    line_no: u64,
    text: &str,
    kept: &mut Kept,
) -> (Side, Side) {
    let facts = match read_line_facts(policies, &config.head, line_no, text) {
        Ok(f) => f,
        Err(e) => return (Err(e.clone()), Err(e)),
    };
    let bd = date(&config.base, &facts);
    let hd = date(&config.head, &facts);
    let b = evaluate_facts(policies, &config.base, &facts, bd, &mut kept.base);
    let h = evaluate_facts(policies, &config.head, &facts, hd, &mut kept.head);
    (b.map(|v| (facts.clone(), bd, v)), h.map(|v| (facts, hd, v)))
}

fn date(config: &BatchConfig, facts: &crate::facts::Facts) -> NaiveDate {
    config.as_of.or(facts.as_of).unwrap_or(config.today)
}

/// The outcomes of both selections whose values differ, as JSON text and numeric change.
fn compare(
    base: &Compiled,
    head: &Compiled,
    config: &DiffConfig,
    bv: &[Value],
    hv: &[Value],
) -> Result<Vec<OutcomeChange>, crate::diag::Error> {
    let (bp, hp) = (base.program(), head.program());
    let mut out = Vec::new();
    for (k, pair) in config.pairing.common.iter().enumerate() {
        let (Some(b), Some(h)) = (bv.get(pair.base), hv.get(pair.head)) else {
            continue;
        };
        if pair.by_value && b == h {
            continue;
        }
        let bt = &bp.outcomes[config.base.selected[pair.base]].ty;
        let ht = &hp.outcomes[config.head.selected[pair.head]].ty;
        let (bj, hj) = (json(bp, b, bt)?, json(hp, h, ht)?);
        if bj != hj {
            out.push(OutcomeChange {
                outcome: k,
                base: bj,
                head: hj,
                delta: delta(b, h),
                criteria: None,
            });
        }
    }
    Ok(out)
}

/// Values are compared as their JSON: an enum whose variants were reordered between versions
/// is the same by name, not by index.
fn json(program: &Program, v: &Value, ty: &Ty) -> Result<String, crate::diag::Error> {
    let mut s = String::new();
    json_value(&mut s, program, v, ty)?;
    Ok(s)
}

fn delta(b: &Value, h: &Value) -> Option<Decimal> {
    match (b, h) {
        (Value::Int(x), Value::Int(y))
        | (Value::Days(x), Value::Days(y))
        | (Value::Months(x), Value::Months(y)) => y.checked_sub(*x).map(Decimal::from),
        (Value::Dec(x), Value::Dec(y)) => y.checked_sub(*x),
        _ => None,
    }
}
