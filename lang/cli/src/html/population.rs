//! The report of a population: how many partners hold each outcome, the spread of each number
//! as a histogram, the enum variants counted, and the partners nearest each score threshold.

use super::svg;
use super::{escape, page, section};
use crate::counts::{Column, Kind, Tally};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use std::collections::HashMap;
use std::fmt::Write as _;

/// Columns of a histogram.
const BINS: u32 = 10;
/// Partners listed under each threshold.
const NEAREST: usize = 10;

/// What the page shows.
pub struct Population<'a> {
    /// The population file, as named on the command line.
    pub source: &'a str,
    /// The counts, with every number kept.
    pub tally: &'a Tally,
    /// The threshold of each score outcome: `(70, "at least 70 points")`.
    pub thresholds: &'a HashMap<String, (Decimal, String)>,
}

/// The whole page.
pub fn report(p: &Population<'_>) -> String {
    let t = p.tally;
    let body = [booleans(t), numbers(p), enums(t), others(t)].concat();
    page(
        "Population report",
        &format!(
            "{} partners · {} error records · from {}",
            t.partners, t.errors, p.source
        ),
        &body,
    )
}

fn percent(n: u64, of: u64) -> String {
    if of == 0 {
        "0%".into()
    } else {
        format!("{:.1}%", n as f64 * 100.0 / of as f64)
    }
}

fn booleans(t: &Tally) -> String {
    let mut rows = String::new();
    for c in t.columns.iter().filter(|c| c.kind == Kind::Bool) {
        let share = if t.partners == 0 {
            0.0
        } else {
            c.trues as f64 / t.partners as f64
        };
        let _ = writeln!(
            rows,
            "<tr class=\"count\" data-outcome=\"{}\" data-true=\"{}\" data-false=\"{}\" data-none=\"{}\"><td><code>{}</code></td><td class=\"num\">{}</td><td class=\"num\">{}</td><td><meter min=\"0\" max=\"1\" value=\"{share:.4}\">{}</meter> {}</td></tr>",
            escape(&c.id),
            c.trues,
            c.falses,
            c.nones,
            escape(&c.id),
            c.trues,
            c.falses,
            percent(c.trues, t.partners),
            percent(c.trues, t.partners)
        );
    }
    if rows.is_empty() {
        return String::new();
    }
    section(
        "conditions",
        "Conditions held",
        "How many partners hold each yes/no outcome.",
        &format!("<table><thead><tr><th scope=\"col\">Outcome</th><th scope=\"col\">yes</th><th scope=\"col\">no</th><th scope=\"col\">share with yes</th></tr></thead><tbody>\n{rows}</tbody></table>\n"),
    )
}

/// `BINS` equal ranges from the smallest value to the largest (one when all are equal).
fn bins(c: &Column) -> Vec<(String, u64)> {
    let (Some(lo), Some(hi)) = (c.min, c.max) else {
        return Vec::new();
    };
    let width = (hi - lo)
        .checked_div(Decimal::from(BINS))
        .unwrap_or_default();
    if width <= Decimal::ZERO {
        return vec![(lo.normalize().to_string(), c.values.len() as u64)];
    }
    let mut counts = vec![0u64; BINS as usize];
    for (v, _) in &c.values {
        let k = ((*v - lo) / width).floor().to_usize().unwrap_or(0);
        let k = k.min(BINS as usize - 1);
        counts[k] += 1;
    }
    counts
        .into_iter()
        .enumerate()
        .map(|(i, n)| {
            let from = (lo + width * Decimal::from(i as u32))
                .round_dp(1)
                .normalize();
            (format!("{from}"), n)
        })
        .collect()
}

fn numbers(p: &Population<'_>) -> String {
    let mut figures = String::new();
    for c in p
        .tally
        .columns
        .iter()
        .filter(|c| c.kind == Kind::Number && !c.values.is_empty())
    {
        let attrs = format!(
            " data-outcome=\"{}\" data-count=\"{}\" data-min=\"{}\" data-max=\"{}\"",
            escape(&c.id),
            c.values.len(),
            c.min.unwrap_or_default().normalize(),
            c.max.unwrap_or_default().normalize()
        );
        let chart = svg::histogram(
            &format!("{}: partners per range of values", c.id),
            &bins(c),
            &attrs,
        );
        let nearest = p
            .thresholds
            .get(&c.id)
            .map(|(t, label)| nearest(p.tally, c, *t, label))
            .unwrap_or_default();
        let _ = writeln!(
            figures,
            "<figure class=\"histogram\"><figcaption><code>{}</code></figcaption>\n{chart}<p class=\"note\">{} partners with a value: {}</p>{nearest}</figure>",
            escape(&c.id),
            c.values.len(),
            escape(&c.summary())
        );
    }
    if figures.is_empty() {
        return String::new();
    }
    section(
        "numbers",
        "Scores and amounts",
        "How the numeric outcomes spread: partners per range of values (each range starts at the value under its column). Under a score, the partners nearest its threshold without reaching it.",
        &format!("<div class=\"grid\">\n{figures}</div>\n"),
    )
}

/// The partners below a threshold with the highest values: the nearest to reaching it.
fn nearest(t: &Tally, c: &Column, threshold: Decimal, label: &str) -> String {
    let at = c.values.iter().filter(|(v, _)| *v >= threshold).count();
    let mut below: Vec<&(Decimal, u32)> = c.values.iter().filter(|(v, _)| *v < threshold).collect();
    below.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut rows = String::new();
    for (v, i) in below.iter().take(NEAREST) {
        let name = t.names.get(*i as usize).map_or("", String::as_str);
        let _ = write!(
            rows,
            "<tr class=\"nearest\" data-outcome=\"{}\" data-partner=\"{}\" data-value=\"{}\"><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            escape(&c.id),
            escape(name),
            v.normalize(),
            escape(name),
            v.normalize(),
            (threshold - *v).normalize()
        );
    }
    format!(
        "<p class=\"threshold\" data-outcome=\"{}\" data-threshold=\"{}\" data-reached=\"{at}\">Threshold {} ({}): {at} of {} partners reach it.</p>\
         <table><caption>Nearest below the threshold</caption><thead><tr><th scope=\"col\">Partner</th><th scope=\"col\">value</th><th scope=\"col\">short by</th></tr></thead><tbody>{rows}</tbody></table>",
        escape(&c.id),
        threshold.normalize(),
        threshold.normalize(),
        escape(label),
        c.values.len()
    )
}

fn enums(t: &Tally) -> String {
    let mut out = String::new();
    for c in t.columns.iter().filter(|c| c.kind == Kind::Enum) {
        let mut rows = String::new();
        let mut variants = c.variants.clone();
        variants.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        if c.nones > 0 {
            variants.push(("none".into(), c.nones));
        }
        for (v, n) in &variants {
            let _ = write!(
                rows,
                "<tr class=\"variant\" data-outcome=\"{}\" data-variant=\"{}\" data-count=\"{n}\"><td>{}</td><td class=\"num\">{n}</td><td class=\"num\">{}</td></tr>",
                escape(&c.id),
                escape(v),
                escape(v),
                percent(*n, t.partners)
            );
        }
        let _ = writeln!(
            out,
            "<h3><code>{}</code></h3><table><thead><tr><th scope=\"col\">value</th><th scope=\"col\">partners</th><th scope=\"col\">share</th></tr></thead><tbody>{rows}</tbody></table>",
            escape(&c.id)
        );
    }
    if out.is_empty() {
        return String::new();
    }
    section(
        "enums",
        "Values counted",
        "Outcomes with one of a few values: partners per value.",
        &out,
    )
}

fn others(t: &Tally) -> String {
    let mut rows = String::new();
    for c in t.columns.iter().filter(|c| c.kind == Kind::Other) {
        let _ = writeln!(
            rows,
            "<tr class=\"present\" data-outcome=\"{}\" data-present=\"{}\"><td><code>{}</code></td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            escape(&c.id),
            c.present,
            escape(&c.id),
            c.present,
            percent(c.present, t.partners)
        );
    }
    if rows.is_empty() {
        return String::new();
    }
    section(
        "others",
        "Other outcomes",
        "Dates, lists and text: how many partners have a value (a list counts when it is not empty).",
        &format!("<table><thead><tr><th scope=\"col\">Outcome</th><th scope=\"col\">partners</th><th scope=\"col\">share</th></tr></thead><tbody>\n{rows}</tbody></table>\n"),
    )
}
