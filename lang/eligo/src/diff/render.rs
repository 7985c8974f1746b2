//! A diff written out: the `eligo.diff/1` JSON object, one NDJSON line per changed partner, and
//! text for people that fits 80 columns. Key order is fixed, so the same inputs give the same
//! bytes.

use super::criteria::CriterionFlip;
use super::pairing::Pairing;
use super::tally::{Dates, Failures, OutcomeTally, Tally};
use super::{PartnerDiff, Status};
use crate::eval::output::decimal_text;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde_json::{json, Map, Value as Json};
use std::fmt::Write;

/// Text lines are wrapped at this many characters.
pub const WIDTH: usize = 80;

/// What the whole diff was asked.
#[derive(Debug, Clone, Copy)]
pub struct Header<'a> {
    /// `--as-of` (none: each partner's own date).
    pub as_of: Option<NaiveDate>,
    /// `--base-as-of`.
    pub base_as_of: Option<NaiveDate>,
    /// How the base version is named (a folder, `REV:PATH`).
    pub base: &'a str,
    /// How the head version is named.
    pub head: &'a str,
}

fn date(d: Option<NaiveDate>) -> Json {
    d.map_or(Json::Null, |d| {
        Json::String(d.format("%Y-%m-%d").to_string())
    })
}

fn number(d: Decimal) -> Json {
    serde_json::from_str(&decimal_text(d)).unwrap_or_else(|_| Json::String(decimal_text(d)))
}

fn value(json: &str) -> Json {
    serde_json::from_str(json).unwrap_or_else(|_| Json::String(json.to_string()))
}

/// A signed change: `+5`, `-2.5`, `0`.
pub fn signed(d: Decimal) -> String {
    if d > Decimal::ZERO {
        format!("+{}", decimal_text(d))
    } else {
        decimal_text(d)
    }
}

/// The `eligo.diff/1` object, pretty-printed; with `--explain`, the changed partners' lines.
pub fn json(
    tally: &Tally,
    pairing: &Pairing,
    header: &Header<'_>,
    explained: Option<&[PartnerDiff]>,
) -> String {
    // A `Value`'s pretty `Display` cannot fail, unlike `to_string_pretty` in general.
    format!("{:#}\n", document(tally, pairing, header, explained))
}

/// The `eligo.diff/1` object as a value (the HTML impact page is drawn from it).
pub fn document(
    tally: &Tally,
    pairing: &Pairing,
    header: &Header<'_>,
    explained: Option<&[PartnerDiff]>,
) -> Json {
    let mut top = Map::new();
    top.insert("format".into(), json!("eligo.diff/1"));
    let (base_as_of, as_of) = dates(tally, header);
    top.insert("as_of".into(), date(as_of));
    if base_as_of != as_of {
        top.insert("base_as_of".into(), date(base_as_of));
    }
    top.insert("partners".into(), json!(tally.partners));
    top.insert("changed_partners".into(), json!(tally.changed_partners));
    let mut outcomes = Map::new();
    for (t, pair) in tally.outcomes.iter().zip(&pairing.common) {
        if t.changed > 0 {
            outcomes.insert(pair.id.clone(), outcome_json(t));
        }
    }
    top.insert("outcomes".into(), Json::Object(outcomes));
    if !pairing.added.is_empty() {
        top.insert("added".into(), json!(pairing.added));
    }
    if !pairing.removed.is_empty() {
        top.insert("removed".into(), json!(pairing.removed));
    }
    if tally.failed() > 0 {
        let mut failed = Map::new();
        for (key, f) in failures(tally) {
            if f.count > 0 {
                failed.insert(key.into(), failures_json(f));
            }
        }
        top.insert("failed".into(), Json::Object(failed));
    }
    if let Some(partners) = explained {
        let lines = partners.iter().map(|d| partner_json(d, pairing)).collect();
        top.insert("explained".into(), Json::Array(lines));
    }
    Json::Object(top)
}

/// The base and head dates: those asked for, else those every partner was evaluated on (none
/// when they differ from partner to partner).
fn dates(tally: &Tally, header: &Header<'_>) -> (Option<NaiveDate>, Option<NaiveDate>) {
    let seen = match tally.dates {
        Dates::One(b, h) => (Some(b), Some(h)),
        _ => (None, None),
    };
    (
        header.base_as_of.or(header.as_of).or(seen.0),
        header.as_of.or(seen.1),
    )
}

fn failures(tally: &Tally) -> [(&'static str, &Failures); 3] {
    [
        ("base_only", &tally.base_only),
        ("head_only", &tally.head_only),
        ("both", &tally.both),
    ]
}

fn outcome_json(t: &OutcomeTally) -> Json {
    let mut transitions = Map::new();
    for (k, n) in sorted_transitions(t) {
        transitions.insert(k, json!(n));
    }
    let mut o = Map::new();
    o.insert("changed".into(), json!(t.changed));
    o.insert("transitions".into(), Json::Object(transitions));
    if let Some((lo, hi)) = t.range {
        let mut change = Map::new();
        change.insert("min".into(), number(lo));
        change.insert("max".into(), number(hi));
        change.insert("mean".into(), t.mean().map_or(Json::Null, number));
        o.insert("change".into(), Json::Object(change));
    }
    o.insert("examples".into(), json!(t.examples));
    Json::Object(o)
}

/// Numeric changes smallest first, then the other transitions most frequent first, then what
/// went past the key limit.
fn sorted_transitions(t: &OutcomeTally) -> Vec<(String, u64)> {
    let mut deltas = t.deltas.clone();
    deltas.sort_by_key(|d| d.0);
    let mut keys = t.transitions.clone();
    keys.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let mut out: Vec<(String, u64)> = deltas.into_iter().map(|(d, n)| (signed(d), n)).collect();
    out.extend(keys);
    for (label, n) in [
        ("other transitions", t.other.0),
        ("other increases", t.other.1),
        ("other decreases", t.other.2),
    ] {
        if n > 0 {
            out.push((label.to_string(), n));
        }
    }
    out
}

fn failures_json(f: &Failures) -> Json {
    let examples: Vec<Json> = f
        .examples
        .iter()
        .map(|e| json!({"line": e.line, "partner": e.partner, "base": e.base, "head": e.head}))
        .collect();
    json!({"count": f.count, "examples": examples})
}

/// A partner's line of `--format ndjson`: its changes (with the criteria that flipped under
/// `--explain`), or the errors of a version that failed. None for an unchanged partner.
pub fn ndjson(d: &PartnerDiff, pairing: &Pairing) -> Option<String> {
    if d.status == Status::Unchanged {
        return None;
    }
    serde_json::to_string(&partner_json(d, pairing)).ok()
}

fn partner_json(d: &PartnerDiff, pairing: &Pairing) -> Json {
    let mut o = Map::new();
    o.insert("partner".into(), json!(d.partner));
    o.insert("line".into(), json!(d.line));
    match &d.status {
        Status::Unchanged => {}
        Status::Changed(changes) => {
            let mut m = Map::new();
            for c in changes {
                let mut one = Map::new();
                one.insert("base".into(), value(&c.base));
                one.insert("head".into(), value(&c.head));
                match &c.criteria {
                    Some(Ok(flips)) => {
                        let list = flips.iter().map(flip_json).collect();
                        one.insert("criteria".into(), Json::Array(list));
                    }
                    Some(Err(e)) => {
                        one.insert("explain_error".into(), json!(e));
                    }
                    None => {}
                }
                let id = pairing.common.get(c.outcome).map_or("", |p| p.id.as_str());
                m.insert(id.to_string(), Json::Object(one));
            }
            o.insert("changes".into(), Json::Object(m));
        }
        Status::Failed { base, head } => {
            o.insert("failed".into(), json!({"base": base, "head": head}));
        }
    }
    Json::Object(o)
}

fn flip_json(f: &CriterionFlip) -> Json {
    let side = |label: &Option<String>, v: &Option<String>, s: &Vec<String>| match (label, v) {
        (Some(l), Some(v)) => json!({"criterion": l, "value": v, "shortfall": s}),
        _ => Json::Null,
    };
    json!({
        "rule": f.rule,
        "base": side(&f.base_label, &f.base, &f.base_shortfall),
        "head": side(&f.head_label, &f.head, &f.head_shortfall),
    })
}

/// A line of at most [`WIDTH`] characters, or the line broken into such lines (joined by
/// `\n`, none at the end), the next ones indented two more than the first: after a space where
/// it can, else after the last `.`, then `_`, `-` or `/` (a long outcome id), else anywhere.
/// Nothing is cut.
pub fn wrap(line: &str) -> String {
    let indent = " ".repeat(line.chars().take_while(|c| *c == ' ').count() + 2);
    let mut out = String::new();
    let (mut lead, mut rest) = ("", line);
    loop {
        let room = WIDTH.saturating_sub(lead.len()).max(1);
        if rest.chars().count() <= room {
            out.push_str(lead);
            out.push_str(rest);
            return out;
        }
        let cut = break_at(rest, room);
        out.push_str(lead);
        out.push_str(rest[..cut].trim_end());
        out.push('\n');
        (lead, rest) = (&indent, rest[cut..].trim_start());
    }
}

/// Where a line too long for `room` characters is broken (a byte offset past its indent).
fn break_at(s: &str, room: usize) -> usize {
    let start = s.len() - s.trim_start().len();
    let end = s.char_indices().nth(room).map_or(s.len(), |(i, _)| i);
    // The whole first character at least, so that every line says something.
    let first = start + s[start..].chars().next().map_or(0, char::len_utf8);
    let head = &s[..end.max(first)];
    let after = |found: Option<usize>| found.map(|i| i + 1).filter(|&i| i > start);
    after(head.rfind(' '))
        .or_else(|| after(head.rfind('.')))
        .or_else(|| after(head.rfind(['_', '-', '/'])))
        .unwrap_or(end.max(first))
}

/// The summary for people.
pub fn text(tally: &Tally, pairing: &Pairing, header: &Header<'_>) -> String {
    let mut out = String::new();
    let line = |out: &mut String, s: String| {
        out.push_str(&wrap(&s));
        out.push('\n');
    };
    line(&mut out, format!("base: {}", header.base));
    line(&mut out, format!("head: {}", header.head));
    let when = match dates(tally, header) {
        (Some(b), Some(h)) if b == h => format!("as of {h}"),
        (Some(b), Some(h)) => format!("as of {b} (base) and {h} (head)"),
        (Some(b), None) => format!("as of {b} (base) and each partner's date (head)"),
        (None, Some(h)) => format!("as of each partner's date (base) and {h} (head)"),
        (None, None) => "as of each partner's date".to_string(),
    };
    line(&mut out, when);
    line(
        &mut out,
        format!(
            "{} partner(s): {} changed, {} failed",
            tally.partners,
            tally.changed_partners,
            tally.failed()
        ),
    );
    for (t, pair) in tally.outcomes.iter().zip(&pairing.common) {
        if t.changed == 0 {
            continue;
        }
        out.push('\n');
        let head = format!("{}: {} changed", pair.id, t.changed);
        if head.chars().count() <= WIDTH {
            line(&mut out, head);
        } else {
            line(&mut out, format!("{}:", pair.id));
            line(&mut out, format!("    {} changed", t.changed));
        }
        for (k, n) in sorted_transitions(t) {
            out.push_str(&count_line(&k, n));
        }
        if let Some((lo, hi)) = t.range {
            let mean = t.mean().map_or("none".to_string(), signed);
            line(
                &mut out,
                format!(
                    "    change: min {}, max {}, mean {mean}",
                    signed(lo),
                    signed(hi)
                ),
            );
        }
        out.push_str(&wrapped("    e.g. ", &t.examples));
    }
    if !pairing.added.is_empty() || !pairing.removed.is_empty() {
        out.push('\n');
    }
    if !pairing.added.is_empty() {
        out.push_str(&wrapped("added outcomes: ", &pairing.added));
    }
    if !pairing.removed.is_empty() {
        out.push_str(&wrapped("removed outcomes: ", &pairing.removed));
    }
    for (key, f) in failures(tally) {
        if f.count == 0 {
            continue;
        }
        let what = match key {
            "base_only" => "failed in the base only",
            "head_only" => "failed in the head only",
            _ => "failed in both",
        };
        out.push('\n');
        line(&mut out, format!("{what}: {}", f.count));
        for e in &f.examples {
            let who = e
                .partner
                .as_deref()
                .map_or(String::new(), |p| format!(" ({p})"));
            line(&mut out, format!("    line {}{who}", e.line));
            if let Some(b) = &e.base {
                line(&mut out, format!("      base: {b}"));
            }
            if let Some(h) = &e.head {
                line(&mut out, format!("      head: {h}"));
            }
        }
    }
    out
}

/// `    key ......... n`, the count right-aligned at the last column (a key too long for the
/// line wrapped, the count after its last part).
fn count_line(key: &str, n: u64) -> String {
    let count = n.to_string();
    let key = wrap(&format!("    {key}"));
    let last = key.rsplit('\n').next().unwrap_or_default().chars().count();
    let room = WIDTH - count.len();
    if last < room {
        format!("{key}{} {count}\n", " ".repeat(room - last - 1))
    } else {
        format!("{key}\n{}{count}\n", " ".repeat(room))
    }
}

/// Items after a lead, joined by `, ` and wrapped at [`WIDTH`] under the lead's indent.
fn wrapped(lead: &str, items: &[String]) -> String {
    let indent = " ".repeat(lead.chars().take_while(|c| *c == ' ').count() + 2);
    let mut out = String::new();
    let mut cur = lead.to_string();
    let mut first = true;
    for (i, item) in items.iter().enumerate() {
        let piece = if i + 1 < items.len() {
            format!("{item},")
        } else {
            item.clone()
        };
        let sep = if first { "" } else { " " };
        if !first && cur.chars().count() + 1 + piece.chars().count() > WIDTH {
            out.push_str(&wrap(&cur));
            out.push('\n');
            cur = format!("{indent}{piece}");
        } else {
            cur.push_str(sep);
            cur.push_str(&piece);
        }
        first = false;
    }
    out.push_str(&wrap(&cur));
    out.push('\n');
    out
}

/// A changed partner for people: each changed outcome, and under `--explain` the criteria that
/// flipped with their shortfalls before and after.
pub fn partner_text(d: &PartnerDiff, pairing: &Pairing) -> String {
    let mut out = String::new();
    let who = d.partner.as_deref().unwrap_or("(no partner id)");
    let _ = writeln!(out, "{}", wrap(&format!("{who} (line {})", d.line)));
    match &d.status {
        Status::Unchanged => {}
        Status::Failed { base, head } => {
            for (side, e) in [("base", base), ("head", head)] {
                let e = e.as_deref().unwrap_or("evaluated");
                let _ = writeln!(out, "{}", wrap(&format!("  {side}: {e}")));
            }
        }
        Status::Changed(changes) => {
            for c in changes {
                let id = pairing.common.get(c.outcome).map_or("", |p| p.id.as_str());
                let t = super::tally::transition(&c.base, &c.head);
                let _ = writeln!(out, "{}", wrap(&format!("  {id}: {t}")));
                match &c.criteria {
                    Some(Ok(flips)) => {
                        for f in flips {
                            flip_text(f, &mut out);
                        }
                    }
                    Some(Err(e)) => {
                        let _ = writeln!(out, "{}", wrap(&format!("    not explained: {e}")));
                    }
                    None => {}
                }
            }
        }
    }
    out
}

fn flip_text(f: &CriterionFlip, out: &mut String) {
    let side = |label: &Option<String>, v: &Option<String>| match (label, v) {
        (Some(l), Some(v)) => format!("\"{l}\" = {v}"),
        _ => "not evaluated".to_string(),
    };
    let _ = writeln!(out, "{}", wrap(&format!("    {}", f.rule)));
    let _ = writeln!(
        out,
        "{}",
        wrap(&format!("      base: {}", side(&f.base_label, &f.base)))
    );
    for s in &f.base_shortfall {
        let _ = writeln!(out, "{}", wrap(&format!("        ↳ {s}")));
    }
    let _ = writeln!(
        out,
        "{}",
        wrap(&format!("      head: {}", side(&f.head_label, &f.head)))
    );
    for s in &f.head_shortfall {
        let _ = writeln!(out, "{}", wrap(&format!("        ↳ {s}")));
    }
}
