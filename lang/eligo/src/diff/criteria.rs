//! The explanation diff: for a changed outcome, the labelled criteria (and scoring metrics)
//! whose result differs between the versions, with the shortfall before and after. Both sides
//! come from the explanation trees ([`crate::explain`]); criteria are matched within the rule
//! that holds them, by label, then, for labels that were edited (`"at least 70 points"` →
//! `"at least 75 points"`), by their order in that rule.

use super::{DiffConfig, OutcomeChange};
use crate::eval::Compiled;
use crate::explain::{explain, ExplainOptions, Node};
use crate::facts::Facts;
use chrono::NaiveDate;

/// One labelled criterion or metric whose result differs.
#[derive(Debug, Clone, PartialEq)]
pub struct CriterionFlip {
    /// The rule (with its arguments) or outcome that holds it.
    pub rule: String,
    /// Its label in the base version (none: not evaluated there).
    pub base_label: Option<String>,
    /// Its label in the head version.
    pub head_label: Option<String>,
    /// Its result in the base version, for people (`yes`, `no`, `20`).
    pub base: Option<String>,
    /// Its result in the head version.
    pub head: Option<String>,
    /// How far it was from passing in the base version.
    pub base_shortfall: Vec<String>,
    /// How far it is in the head version.
    pub head_shortfall: Vec<String>,
}

#[derive(Debug, Clone)]
struct Item {
    rule: String,
    label: String,
    value: String,
    shortfall: Vec<String>,
}

/// Adds the criteria that flipped to each change (or the error that kept them from being
/// found).
pub fn explain_changes(
    base: (&Compiled, &Facts, NaiveDate),
    head: (&Compiled, &Facts, NaiveDate),
    config: &DiffConfig,
    mut changes: Vec<OutcomeChange>,
    options: ExplainOptions,
) -> Vec<OutcomeChange> {
    let pairs = &config.pairing.common;
    let base_ids: Vec<usize> = changes
        .iter()
        .map(|c| config.base.selected[pairs[c.outcome].base])
        .collect();
    let head_ids: Vec<usize> = changes
        .iter()
        .map(|c| config.head.selected[pairs[c.outcome].head])
        .collect();
    let b = explain(base.0, base.1, base.2, &base_ids, options);
    let h = explain(head.0, head.1, head.2, &head_ids, options);
    match (b, h) {
        (Ok(b), Ok(h)) => {
            for ((c, be), he) in changes.iter_mut().zip(&b).zip(&h) {
                c.criteria = Some(Ok(flips(&be.tree, &he.tree)));
            }
        }
        (Err(e), _) | (_, Err(e)) => {
            for c in &mut changes {
                c.criteria = Some(Err(format!("{}: {e}", e.code())));
            }
        }
    }
    changes
}

/// The criteria of two trees of one outcome whose results differ.
pub fn flips(base: &Node, head: &Node) -> Vec<CriterionFlip> {
    let (mut bs, mut hs) = (Vec::new(), Vec::new());
    collect(base, &base.label, &mut bs);
    collect(head, &head.label, &mut hs);
    let mut taken = vec![false; hs.len()];
    let mut matched: Vec<(Option<usize>, Option<usize>)> = Vec::new();
    let mut unmatched = Vec::new();
    for (i, b) in bs.iter().enumerate() {
        let same = hs
            .iter()
            .enumerate()
            .position(|(j, h)| !taken[j] && h.rule == b.rule && h.label == b.label);
        match same {
            Some(j) => {
                taken[j] = true;
                matched.push((Some(i), Some(j)));
            }
            None => unmatched.push(i),
        }
    }
    // Edited labels: the n-th unmatched criterion of a rule in the base is the n-th unmatched
    // one of the same rule in the head.
    for i in unmatched {
        let j = (0..hs.len()).find(|&j| !taken[j] && hs[j].rule == bs[i].rule);
        if let Some(j) = j {
            taken[j] = true;
        }
        matched.push((Some(i), j));
    }
    for (j, t) in taken.iter().enumerate() {
        if !t {
            matched.push((None, Some(j)));
        }
    }
    matched
        .into_iter()
        .filter_map(|(i, j)| {
            let (b, h) = (i.map(|i| &bs[i]), j.map(|j| &hs[j]));
            if b.map(|b| &b.value) == h.map(|h| &h.value) {
                return None;
            }
            Some(CriterionFlip {
                rule: b.or(h).map(|x| x.rule.clone()).unwrap_or_default(),
                base_label: b.map(|b| b.label.clone()),
                head_label: h.map(|h| h.label.clone()),
                base: b.map(|b| b.value.clone()),
                head: h.map(|h| h.value.clone()),
                base_shortfall: b.map(|b| b.shortfall.clone()).unwrap_or_default(),
                head_shortfall: h.map(|h| h.shortfall.clone()).unwrap_or_default(),
            })
        })
        .collect()
}

/// Labelled criteria and metrics of a tree, each with the rule that holds it, first appearance
/// only (a rule evaluated again shows the same criteria).
fn collect(n: &Node, rule: &str, out: &mut Vec<Item>) {
    for c in &n.children {
        match c.kind {
            "criterion" | "metric" => {
                let label = c.label.trim_matches('"').to_string();
                if !out.iter().any(|i| i.rule == rule && i.label == label) {
                    out.push(Item {
                        rule: rule.to_string(),
                        label,
                        value: c.value.clone(),
                        shortfall: c.shortfalls.clone(),
                    });
                }
                collect(c, rule, out);
            }
            "rule" => collect(c, &c.label, out),
            _ => collect(c, rule, out),
        }
    }
}
