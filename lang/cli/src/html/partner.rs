//! The report of one partner: every outcome with its value, the scores as bars against their
//! caps with the threshold, the alternatives of each `any { … }` ranked by closeness with their
//! shortfalls, the dates on which outcomes change by themselves, and the author's tree, every
//! node linked to its source citations.

use super::svg::{self, Bar};
use super::{anchor, escape, mark, page, section};
use chrono::NaiveDate;
use eligo::{Explanation, Node};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use std::collections::HashMap;
use std::fmt::Write as _;

/// One outcome's value, as `eligo eval` gives it.
pub struct Outcome {
    /// The outcome id.
    pub id: String,
    /// The value for people.
    pub text: String,
    /// The value as `eligo.outcomes/1` JSON.
    pub json: String,
}

/// What the page shows.
pub struct Partner<'a> {
    /// The partner's id, or the facts file's name.
    pub partner: &'a str,
    /// The facts file, as named on the command line.
    pub facts: &'a str,
    /// The evaluation date.
    pub as_of: NaiveDate,
    /// Every outcome, by id.
    pub outcomes: &'a [Outcome],
    /// Their explanations, in the same order.
    pub explanations: &'a [Explanation],
    /// How many days ahead changes were searched.
    pub horizon_days: u32,
    /// What the rules are, for people, by name: the first clause of their doc comments
    /// ([`rule_label`]); the timeline's reasons name rules by it.
    pub rule_labels: &'a HashMap<String, String>,
}

/// A rule's label for people: the first clause of its doc comment (up to the first `: ` or
/// `. `, without the closing `.`), or none without one.
pub fn rule_label(docs: &[String]) -> Option<String> {
    let doc = docs.iter().map(|d| d.trim()).collect::<Vec<_>>().join(" ");
    let end = [": ", ". "]
        .iter()
        .filter_map(|s| doc.find(s))
        .min()
        .unwrap_or(doc.len());
    let label = doc[..end].trim().trim_end_matches('.').trim();
    (!label.is_empty()).then(|| label.to_string())
}

/// A reason of the timeline for a partner manager: a rule named in backticks
/// (`` `azure_architects_step` changes from yes to no ``) by its label, quoted, with its name as a
/// tooltip; a rule without a label by its name as code.
fn reason(b: &str, labels: &HashMap<String, String>) -> String {
    let mut out = String::new();
    for (i, part) in b.split('`').enumerate() {
        if i % 2 == 0 {
            out.push_str(&escape(part));
            continue;
        }
        let _ = match labels.get(part) {
            Some(l) => write!(out, "<q title=\"{}\">{}</q>", escape(part), escape(l)),
            None => write!(out, "<code>{}</code>", escape(part)),
        };
    }
    out
}

/// The whole page.
pub fn report(p: &Partner<'_>) -> String {
    let mut cites = Citations::default();
    let trees = trees(p, &mut cites);
    let body = [
        scores(p),
        timeline(p),
        alternatives(p),
        overview(p),
        trees,
        cites.section(),
    ]
    .concat();
    page(
        &format!("Partner {}", p.partner),
        &format!(
            "Eligibility as of {} · facts: {} · {} outcomes: {}",
            p.as_of,
            p.facts,
            p.outcomes.len(),
            counts(p)
        ),
        &body,
    )
}

fn passed_of<'a>(p: &'a Partner<'_>, id: &str) -> Option<&'a Explanation> {
    p.explanations.iter().find(|e| e.id == id)
}

/// `17 conditions met, 48 not met, 68 other values`.
fn counts(p: &Partner<'_>) -> String {
    let passed: Vec<Option<bool>> = p.explanations.iter().map(|e| e.tree.passed).collect();
    let met = passed.iter().filter(|x| **x == Some(true)).count();
    let unmet = passed.iter().filter(|x| **x == Some(false)).count();
    format!(
        "{met} conditions met, {unmet} not met, {} other values",
        passed.len() - met - unmet
    )
}

fn overview(p: &Partner<'_>) -> String {
    let (mut met, mut unmet) = (0, 0);
    let mut rows = String::new();
    for o in p.outcomes {
        let passed = passed_of(p, &o.id).and_then(|e| e.tree.passed);
        match passed {
            Some(true) => met += 1,
            Some(false) => unmet += 1,
            None => {}
        }
        let _ = writeln!(
            rows,
            "<tr class=\"outcome\" data-outcome=\"{}\" data-value=\"{}\"><td><a href=\"#{}\"><code>{}</code></a></td><td>{}</td><td>{}</td></tr>",
            escape(&o.id),
            escape(&o.json),
            anchor("tree", &o.id),
            escape(&o.id),
            escape(&o.text),
            mark(passed)
        );
    }
    let table = format!(
        "<p>{met} conditions met, {unmet} not met, {} other values.</p>\n<table>\n<thead><tr><th scope=\"col\">Outcome</th><th scope=\"col\">Value</th><th scope=\"col\">Condition</th></tr></thead>\n<tbody>\n{rows}</tbody></table>\n",
        p.outcomes.len() - met - unmet
    );
    section(
        "outcomes",
        "Outcomes",
        "Every outcome of the policies for this partner. An outcome id links to the tree that decided it.",
        &table,
    )
}

// ------------------------------------------------------------------------------------ scores

/// The first node, `levels` deep at most, that holds score metrics.
fn score_node(n: &Node, levels: usize) -> Option<&Node> {
    if n.children.iter().any(|c| c.kind == "metric") {
        return Some(n);
    }
    if levels == 0 || n.repeated {
        return None;
    }
    n.children.iter().find_map(|c| score_node(c, levels - 1))
}

/// Every node, `levels` deep at most, that holds score metrics.
fn score_nodes<'a>(n: &'a Node, levels: usize, out: &mut Vec<&'a Node>) {
    if n.children.iter().any(|c| c.kind == "metric") {
        out.push(n);
        return;
    }
    if levels == 0 || n.repeated {
        return;
    }
    for c in &n.children {
        score_nodes(c, levels - 1, out);
    }
}

/// The score that gives a node its number (a `max` of two tracks gives the larger one's), else
/// the first score below it.
fn score_of(n: &Node) -> Option<&Node> {
    let mut all = Vec::new();
    score_nodes(n, 5, &mut all);
    all.iter()
        .find(|s| Some(total(s)) == n.number)
        .or(all.first())
        .copied()
}

fn total(score: &Node) -> Decimal {
    score
        .children
        .iter()
        .filter(|m| m.kind == "metric")
        .filter_map(|m| m.number)
        .sum()
}

/// The thresholds a total of points is compared with, by the label of the rule that gives the
/// score: a criterion next to the rule whose comparison reads that total (`at least 70 points`).
fn thresholds(explanations: &[Explanation]) -> HashMap<String, (Decimal, String)> {
    let mut out = HashMap::new();
    let mut stack: Vec<&Node> = explanations.iter().map(|e| &e.tree).collect();
    while let Some(n) = stack.pop() {
        for c in n.children.iter().filter(|c| c.kind == "rule") {
            let mut all = Vec::new();
            score_nodes(c, 5, &mut all);
            let totals: Vec<Decimal> = all.iter().map(|s| total(s)).collect();
            if totals.is_empty() {
                continue;
            }
            let found = n
                .children
                .iter()
                .filter(|k| k.kind == "criterion")
                .flat_map(|k| k.comparisons.iter().map(move |cmp| (k, cmp)))
                .find(|(_, cmp)| {
                    matches!(cmp.op, "≥" | ">")
                        && cmp.left_number.is_some_and(|l| totals.contains(&l))
                });
            if let Some((k, cmp)) = found {
                if let Some(t) = cmp.right_number {
                    out.entry(c.label.clone())
                        .or_insert((t, k.label.trim_matches('"').to_string()));
                }
            }
        }
        stack.extend(n.children.iter());
    }
    out
}

fn f(d: Decimal) -> f64 {
    d.to_f64().unwrap_or(0.0)
}

/// The threshold of each outcome whose value is a score total: `(70, "at least 70 points")`.
pub fn score_thresholds(explanations: &[Explanation]) -> HashMap<String, (Decimal, String)> {
    let limits = thresholds(explanations);
    explanations
        .iter()
        .filter(|e| e.tree.number.is_some() && score_of(&e.tree).is_some())
        .filter_map(|e| {
            let t = path_rules(&e.tree)
                .iter()
                .find_map(|label| limits.get(*label))?
                .clone();
            Some((e.id.clone(), t))
        })
        .collect()
}

fn scores(p: &Partner<'_>) -> String {
    let limits = thresholds(p.explanations);
    let mut figures = String::new();
    for e in p.explanations {
        if e.tree.number.is_none() {
            continue;
        }
        let Some(score) = score_of(&e.tree) else {
            continue;
        };
        let metrics: Vec<&Node> = score
            .children
            .iter()
            .filter(|m| m.kind == "metric")
            .collect();
        let mut bars: Vec<Bar> = metrics
            .iter()
            .map(|m| {
                let v = m.number.unwrap_or_default();
                let cap = m.cap.unwrap_or(v);
                Bar {
                    label: m.label.trim_matches('"').to_string(),
                    value: f(v),
                    max: f(cap),
                    text: format!("{} of {}", m.value, cap.normalize()),
                    attrs: format!(
                        " data-outcome=\"{}\" data-metric=\"{}\" data-value=\"{}\" data-cap=\"{}\"",
                        escape(&e.id),
                        escape(m.label.trim_matches('"')),
                        v.normalize(),
                        cap.normalize()
                    ),
                }
            })
            .collect();
        let sum = total(score);
        let most: Decimal = metrics
            .iter()
            .map(|m| m.cap.or(m.number).unwrap_or_default())
            .sum();
        let threshold = path_rules(&e.tree)
            .iter()
            .find_map(|label| limits.get(*label))
            .cloned();
        let t_attr = threshold
            .as_ref()
            .map(|(t, _)| format!(" data-threshold=\"{}\"", t.normalize()))
            .unwrap_or_default();
        let t_text = threshold
            .as_ref()
            .map(|(t, label)| format!(" · threshold {} ({label})", t.normalize()))
            .unwrap_or_default();
        bars.push(Bar {
            label: "Total".into(),
            value: f(sum),
            max: f(most),
            text: format!("{} of {}", sum.normalize(), most.normalize()),
            attrs: format!(
                " data-outcome=\"{}\" data-metric=\"total\" data-value=\"{}\" data-cap=\"{}\"{t_attr}",
                escape(&e.id),
                sum.normalize(),
                most.normalize()
            ),
        });
        let chart = svg::bars(
            &format!("{}: points per metric against their caps", e.id),
            &bars,
            threshold.map(|(t, label)| (f(t), format!("threshold: {label}"))),
        );
        let _ = writeln!(
            figures,
            "<figure class=\"score\" data-outcome=\"{}\"><figcaption><a href=\"#{}\"><code>{}</code></a> = {}{}</figcaption>\n{chart}<p class=\"note\">{}</p></figure>",
            escape(&e.id),
            anchor("tree", &e.id),
            escape(&e.id),
            escape(&e.tree.value),
            escape(&t_text),
            escape(&missing_points(&metrics))
        );
    }
    if figures.is_empty() {
        return String::new();
    }
    section(
        "scores",
        "Scores",
        "Each metric's points against its cap; the last bar is the total, with the qualifying threshold as a dashed line.",
        &format!("<div class=\"grid\">\n{figures}</div>\n"),
    )
}

fn missing_points(metrics: &[&Node]) -> String {
    let gains: Vec<String> = metrics
        .iter()
        .filter_map(|m| Some((m, m.cap?.checked_sub(m.number?)?)))
        .filter(|(_, g)| *g > Decimal::ZERO)
        .map(|(m, g)| format!("{} +{}", m.label.trim_matches('"'), g.normalize()))
        .collect();
    if gains.is_empty() {
        "Every metric is at its cap.".into()
    } else {
        format!("Points still to gain: {}.", gains.join(", "))
    }
}

/// The labels of the rules from the root to the first score.
fn path_rules(n: &Node) -> Vec<&str> {
    let mut out = Vec::new();
    let mut at = n;
    for _ in 0..4 {
        if at.kind == "rule" {
            out.push(at.label.as_str());
        }
        match at.children.iter().find(|c| score_node(c, 5).is_some()) {
            Some(c) => at = c,
            None => break,
        }
    }
    out
}

// ------------------------------------------------------------------------------ alternatives

fn alternatives(p: &Partner<'_>) -> String {
    let mut seen = std::collections::HashSet::new();
    let mut out = String::new();
    for e in p.explanations {
        let mut stack = vec![&e.tree];
        while let Some(n) = stack.pop() {
            stack.extend(n.children.iter().rev());
            let branches: Vec<&Node> = n
                .children
                .iter()
                .filter(|c| c.kind == "criterion" && c.block.as_deref() == Some("any"))
                .collect();
            if branches.is_empty() || !seen.insert(n.label.clone()) {
                continue;
            }
            let _ = writeln!(
                out,
                "<h3 id=\"{}\">{} <code>{}</code> — any one of {} <span class=\"note\">(in <a href=\"#{}\">{}</a>)</span></h3>\n<ol class=\"alternatives\">",
                anchor("any", &n.label),
                mark(n.passed),
                escape(&n.label),
                branches.len(),
                anchor("tree", &e.id),
                escape(&e.id)
            );
            for b in branches {
                let close = b.closeness.unwrap_or(0.0);
                let _ = write!(
                    out,
                    "<li class=\"branch\" data-closeness=\"{close:.3}\">{} {} <meter min=\"0\" max=\"1\" value=\"{close:.3}\">{:.0}%</meter> <span class=\"note\">{:.0}% of the way</span>",
                    mark(b.passed),
                    escape(&b.label),
                    close * 100.0,
                    close * 100.0
                );
                for s in &b.shortfalls {
                    let _ = write!(out, "<span class=\"detail short\">↳ {}</span>", escape(s));
                }
                out.push_str("</li>\n");
            }
            out.push_str("</ol>\n");
        }
    }
    if out.is_empty() {
        return String::new();
    }
    section(
        "alternatives",
        "Alternatives",
        "Where one of several criteria is enough, the criteria that pass come first, then the failed ones closest to passing, with what they lack.",
        &out,
    )
}

// ---------------------------------------------------------------------------------- timeline

fn timeline(p: &Partner<'_>) -> String {
    let mut events: Vec<(NaiveDate, &str, &eligo::Change)> = p
        .explanations
        .iter()
        .flat_map(|e| e.changes.iter().map(move |c| (c.date, e.id.as_str(), c)))
        .collect();
    events.sort_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));
    let intro = format!(
        "The dates within {} days of {} on which outcomes change by themselves, with no new facts, and why.",
        p.horizon_days, p.as_of
    );
    if events.is_empty() {
        return section(
            "timeline",
            "Timeline",
            &intro,
            "<p>No outcome changes by itself in that time.</p>\n",
        );
    }
    let mut dates: Vec<NaiveDate> = events.iter().map(|e| e.0).collect();
    dates.dedup();
    let marks: Vec<(i64, String)> = dates
        .iter()
        .map(|d| ((*d - p.as_of).num_days(), d.to_string()))
        .collect();
    let chart = svg::timeline(
        "dates on which outcomes change",
        i64::from(p.horizon_days),
        &marks,
    );
    let mut list = String::from("<ol class=\"timeline\">\n");
    for (date, id, c) in &events {
        let _ = write!(
            list,
            "<li class=\"change\" data-date=\"{date}\" data-outcome=\"{}\"><time datetime=\"{date}\">{date}</time> — <a href=\"#{}\"><code>{}</code></a>: {} → <strong>{}</strong>",
            escape(id),
            anchor("tree", id),
            escape(id),
            escape(&c.from),
            escape(&c.to)
        );
        if !c.because.is_empty() {
            list.push_str("<ul>");
            for b in &c.because {
                let b = if b.starts_with("and ") {
                    b.clone()
                } else {
                    format!("because {b}")
                };
                let _ = write!(list, "<li>{}</li>", reason(&b, p.rule_labels));
            }
            list.push_str("</ul>");
        }
        list.push_str("</li>\n");
    }
    list.push_str("</ol>\n");
    section(
        "timeline",
        "Timeline",
        &intro,
        &format!("<figure>{chart}</figure>\n{list}"),
    )
}

// ------------------------------------------------------------------------- trees and sources

/// The distinct citations of the page, numbered in the order they are first met.
#[derive(Default)]
struct Citations {
    list: Vec<String>,
    index: HashMap<String, usize>,
}

impl Citations {
    fn link(&mut self, s: &str) -> String {
        let next = self.list.len() + 1;
        let n = *self.index.entry(s.to_string()).or_insert_with(|| {
            self.list.push(s.to_string());
            next
        });
        format!(
            "<a class=\"cite\" href=\"#src-{n}\">[{n}]</a> {}",
            escape(s)
        )
    }

    fn section(&self) -> String {
        let mut out = String::from("<ol class=\"sources\">\n");
        for (i, s) in self.list.iter().enumerate() {
            let _ = writeln!(out, "<li id=\"src-{}\">{}</li>", i + 1, escape(s));
        }
        out.push_str("</ol>\n");
        section(
            "sources",
            "Sources",
            "The citations (`@source`) of the rules and outcomes above: the program FAQ, the score tables and the outcome list.",
            &out,
        )
    }
}

fn trees(p: &Partner<'_>, cites: &mut Citations) -> String {
    let mut out = String::new();
    for e in p.explanations {
        let _ = writeln!(
            out,
            "<details class=\"outcome-tree\" id=\"{}\" data-outcome=\"{}\"><summary>{} <code>{}</code> = {}</summary>",
            anchor("tree", &e.id),
            escape(&e.id),
            mark(e.tree.passed),
            escape(&e.id),
            escape(&e.tree.value)
        );
        details(&e.tree, cites, &mut out);
        out.push_str("<ul class=\"tree\">\n");
        for c in &e.tree.children {
            node(c, cites, &mut out);
        }
        out.push_str("</ul>\n</details>\n");
    }
    section(
        "trees",
        "How each outcome was decided",
        "The author's tree: every rule, criterion and score metric that decided an outcome, with its value, its sources and the facts it reads. Open an outcome to read it.",
        &out,
    )
}

fn details(n: &Node, cites: &mut Citations, out: &mut String) {
    for s in &n.shortfalls {
        let _ = write!(out, "<span class=\"detail short\">↳ {}</span>", escape(s));
    }
    if n.kind == "rule" && n.passed.is_some() {
        let (shown, more) = n.shown_comparisons();
        for c in shown {
            let _ = write!(
                out,
                "<span class=\"detail\">decided by {}</span>",
                escape(&c.text())
            );
        }
        if more > 0 {
            let _ = write!(
                out,
                "<span class=\"detail\">decided by {more} more comparison(s) like these</span>"
            );
        }
    }
    for k in &n.kept {
        let _ = write!(out, "<span class=\"detail\">{}</span>", escape(&k.text()));
    }
    for s in &n.sources {
        let _ = write!(
            out,
            "<span class=\"detail\">source: {}</span>",
            cites.link(s)
        );
    }
    if !n.facts.is_empty() {
        let _ = write!(
            out,
            "<span class=\"detail\">reads: <code>{}</code></span>",
            escape(&n.facts.join(", "))
        );
    }
}

fn node(n: &Node, cites: &mut Citations, out: &mut String) {
    let head = format!(
        "{} <span class=\"label\">{}</span> = <span class=\"value\">{}</span>{}",
        mark(n.passed),
        escape(&n.label),
        escape(&n.value),
        if n.repeated {
            " <span class=\"note\">(evaluated above)</span>"
        } else {
            ""
        }
    );
    out.push_str("<li class=\"node\">");
    if n.children.is_empty() {
        out.push_str(&head);
        details(n, cites, out);
    } else {
        let _ = write!(out, "<details><summary>{head}</summary>");
        details(n, cites, out);
        out.push_str("<ul class=\"tree\">\n");
        for c in &n.children {
            node(c, cites, out);
        }
        out.push_str("</ul></details>");
    }
    out.push_str("</li>\n");
}
