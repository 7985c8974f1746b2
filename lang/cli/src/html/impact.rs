//! The impact page of `eligo diff --format html`: who gains, who loses and why, drawn from the
//! `eligo.diff/1` document (the same numbers `--format json` prints, so the page and the JSON
//! cannot disagree). Per outcome: how many partners changed, each transition with a bar, the
//! spread of a number's change, example partners; then ids added or removed, partners that
//! failed, and, with `--explain`, each changed partner with the criteria that flipped.

use super::svg::{self, Bar};
use super::{anchor, escape, page, section};
use serde_json::Value as Json;
use std::fmt::Write as _;

/// The two versions as named on the command line.
pub struct Versions<'a> {
    pub base: &'a str,
    pub head: &'a str,
}

/// The whole page.
pub fn report(doc: &Json, versions: &Versions<'_>) -> String {
    let partners = count(&doc["partners"]);
    let changed = count(&doc["changed_partners"]);
    let date = match (doc["base_as_of"].as_str(), doc["as_of"].as_str()) {
        (Some(b), Some(h)) => format!("{b} → {h}"),
        (None, Some(d)) => d.to_string(),
        _ => "each partner's own date".to_string(),
    };
    let subtitle = format!(
        "{} → {} · as of {date} · {changed} of {partners} partners changed",
        versions.base, versions.head
    );
    let body = [
        outcomes(doc, partners),
        added_removed(doc),
        failed(doc),
        explained(doc),
    ]
    .concat();
    page("Impact of a policy change", &subtitle, &body)
}

fn count(v: &Json) -> u64 {
    v.as_u64().unwrap_or(0)
}

/// A value of `eligo.outcomes/1` as people read it.
fn shown(v: &Json) -> String {
    match v {
        Json::String(s) => s.clone(),
        Json::Null => "none".into(),
        other => other.to_string(),
    }
}

fn outcomes(doc: &Json, partners: u64) -> String {
    let Some(map) = doc["outcomes"].as_object().filter(|m| !m.is_empty()) else {
        return section(
            "outcomes",
            "Outcomes that changed",
            "No outcome changed for any partner.",
            "",
        );
    };
    let mut rows = String::new();
    let mut figures = String::new();
    for (id, o) in map {
        rows.push_str(&glance(id, o, partners));
        figures.push_str(&outcome(id, o, partners));
    }
    section(
        "outcomes",
        "Outcomes that changed",
        "For each outcome: how many partners it changed for, and how (base → head).",
        &format!(
            "<table class=\"glance\"><thead><tr><th scope=\"col\">Outcome</th><th scope=\"col\">changed</th><th scope=\"col\">share of partners</th><th scope=\"col\">transitions</th></tr></thead><tbody>\n{rows}</tbody></table>\n<div class=\"grid\">\n{figures}</div>\n"
        ),
    )
}

/// One row of the table at a glance, linking to the outcome's figure.
fn glance(id: &str, o: &Json, partners: u64) -> String {
    let changed = count(&o["changed"]);
    let share = if partners == 0 {
        0.0
    } else {
        changed as f64 / partners as f64
    };
    let transitions: Vec<String> = o["transitions"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(t, n)| format!("{}: {}", escape(t), count(n)))
        .collect();
    format!(
        "<tr><td><a href=\"#{}\"><code>{}</code></a></td><td class=\"num\">{changed}</td><td><meter min=\"0\" max=\"1\" value=\"{share:.4}\"></meter> {:.1}%</td><td>{}</td></tr>\n",
        anchor("outcome", id),
        escape(id),
        share * 100.0,
        transitions.join("; ")
    )
}

fn outcome(id: &str, o: &Json, partners: u64) -> String {
    let changed = count(&o["changed"]);
    let transitions = o["transitions"].as_object();
    let bars: Vec<Bar> = transitions
        .into_iter()
        .flatten()
        .map(|(t, n)| Bar {
            label: t.clone(),
            value: count(n) as f64,
            max: changed.max(1) as f64,
            text: format!("{} partner(s)", count(n)),
            attrs: format!(
                " data-transition=\"{}\" data-count=\"{}\"",
                escape(t),
                count(n)
            ),
        })
        .collect();
    let mut s = format!(
        "<figure class=\"impact\" id=\"{}\" data-outcome=\"{}\" data-changed=\"{changed}\">\n<figcaption><code>{}</code>: changed for {changed} of {partners} partners</figcaption>\n",
        anchor("outcome", id),
        escape(id),
        escape(id)
    );
    s.push_str(&svg::bars(&format!("transitions of {id}"), &bars, None));
    if let Some(c) = o["change"].as_object() {
        let _ = writeln!(
            s,
            "<p class=\"note spread\">change: from {} to {}, mean {}</p>",
            escape(&shown(&c["min"])),
            escape(&shown(&c["max"])),
            escape(&shown(&c["mean"]))
        );
    }
    let examples: Vec<String> = o["examples"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|e| format!("<li class=\"example\">{}</li>", escape(&shown(e))))
        .collect();
    if !examples.is_empty() {
        let _ = writeln!(
            s,
            "<p class=\"note\">for example:</p><ul class=\"examples\">{}</ul>",
            examples.concat()
        );
    }
    s.push_str("</figure>\n");
    s
}

fn added_removed(doc: &Json) -> String {
    let list = |key: &str| -> Vec<String> {
        doc[key]
            .as_array()
            .into_iter()
            .flatten()
            .map(|id| format!("<li><code>{}</code></li>", escape(&shown(id))))
            .collect()
    };
    let (added, removed) = (list("added"), list("removed"));
    if added.is_empty() && removed.is_empty() {
        return String::new();
    }
    let mut s = String::new();
    for (kind, items) in [("added", added), ("removed", removed)] {
        if !items.is_empty() {
            let _ = writeln!(
                s,
                "<h3>Outcomes {kind}</h3>\n<ul class=\"{kind}\">{}</ul>",
                items.concat()
            );
        }
    }
    section(
        "ids",
        "Outcomes in one version only",
        "Outcome ids that one version declares and the other does not: not compared.",
        &s,
    )
}

fn failed(doc: &Json) -> String {
    let Some(map) = doc["failed"].as_object().filter(|m| !m.is_empty()) else {
        return String::new();
    };
    let mut rows = String::new();
    for (side, f) in map {
        for e in f["examples"].as_array().into_iter().flatten() {
            let _ = writeln!(
                rows,
                "<tr class=\"failed\" data-side=\"{}\"><td>{}</td><td class=\"num\">{}</td><td>{}</td><td>{}</td></tr>",
                escape(side),
                escape(&shown(&e["partner"])),
                escape(&shown(&e["line"])),
                escape(&shown(&e["base"])),
                escape(&shown(&e["head"]))
            );
        }
        let _ = writeln!(
            rows,
            "<tr><td colspan=\"4\" class=\"note\">{} partner(s) failed ({})</td></tr>",
            count(&f["count"]),
            escape(&side.replace('_', " "))
        );
    }
    section(
        "failed",
        "Partners that failed",
        "Partners whose facts could not be evaluated by one version or both: nothing is dropped.",
        &format!("<table><thead><tr><th scope=\"col\">Partner</th><th scope=\"col\">line</th><th scope=\"col\">base</th><th scope=\"col\">head</th></tr></thead><tbody>\n{rows}</tbody></table>\n"),
    )
}

fn explained(doc: &Json) -> String {
    let Some(list) = doc["explained"].as_array() else {
        return String::new();
    };
    let mut s = String::new();
    for p in list {
        s.push_str(&partner(p));
    }
    section(
        "partners",
        "Why, partner by partner",
        "Each changed partner: the outcomes that changed and the labelled criteria that flipped, with the shortfall before and after.",
        &s,
    )
}

fn partner(p: &Json) -> String {
    let name = shown(&p["partner"]);
    let mut s = format!(
        "<details class=\"partner\" data-partner=\"{}\"><summary>{} (line {})</summary>\n<ul class=\"tree\">\n",
        escape(&name),
        escape(&name),
        escape(&shown(&p["line"]))
    );
    for (id, c) in p["changes"].as_object().into_iter().flatten() {
        let _ = writeln!(
            s,
            "<li class=\"change\" data-outcome=\"{}\"><code>{}</code>: {} → {}",
            escape(id),
            escape(id),
            escape(&shown(&c["base"])),
            escape(&shown(&c["head"]))
        );
        let flips: Vec<String> = c["criteria"]
            .as_array()
            .into_iter()
            .flatten()
            .map(flip)
            .collect();
        if !flips.is_empty() {
            let _ = write!(s, "<ul class=\"tree\">{}</ul>", flips.concat());
        }
        s.push_str("</li>\n");
    }
    s.push_str("</ul></details>\n");
    s
}

/// One criterion that flipped: its rule, then each side's label, value and shortfall.
fn flip(f: &Json) -> String {
    let side = |name: &str, v: &Json| -> String {
        if v.is_null() {
            return format!("<span class=\"detail\">{name}: not evaluated</span>");
        }
        let short: Vec<String> = v["shortfall"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|x| format!(" <span class=\"short\">↳ {}</span>", escape(&shown(x))))
            .collect();
        format!(
            "<span class=\"detail\">{name}: “{}” = {}{}</span>",
            escape(&shown(&v["criterion"])),
            escape(&shown(&v["value"])),
            short.concat()
        )
    };
    format!(
        "<li class=\"flip\"><code>{}</code>{}{}</li>",
        escape(&shown(&f["rule"])),
        side("base", &f["base"]),
        side("head", &f["head"])
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn every_count_transition_and_flip_of_the_document_is_on_the_page() {
        let doc = json!({
            "format": "eligo.diff/1", "as_of": "2024-08-06", "partners": 10, "changed_partners": 3,
            "outcomes": {"x<y": {"changed": 3, "transitions": {"true → false": 2, "false → true": 1},
                                   "examples": ["p&1"]},
                         "fee": {"changed": 1, "transitions": {"-10": 1},
                                 "change": {"min": -10, "max": -10, "mean": -10}, "examples": []}},
            "removed": ["old.id"],
            "failed": {"head_only": {"count": 1, "examples": [{"line": 4, "partner": "p4", "base": null, "head": "E0401 bad"}]}},
            "explained": [{"partner": "p&1", "line": 2, "changes": {"x<y": {"base": true, "head": false,
                "criteria": [{"rule": "r(a)", "base": {"criterion": "at least 70", "value": "yes", "shortfall": []},
                              "head": {"criterion": "at least 75", "value": "no", "shortfall": ["4 short of 75 (now 71)"]}}]}}}]
        });
        let page = report(
            &doc,
            &Versions {
                base: "a",
                head: "b",
            },
        );
        for needle in [
            "3 of 10 partners changed",
            "data-outcome=\"x&lt;y\" data-changed=\"3\"",
            "data-transition=\"true → false\" data-count=\"2\"",
            "data-transition=\"false → true\" data-count=\"1\"",
            "change: from -10 to -10, mean -10",
            "<li class=\"example\">p&amp;1</li>",
            "<code>old.id</code>",
            "E0401 bad",
            "1 partner(s) failed (head only)",
            "“at least 75” = no <span class=\"short\">↳ 4 short of 75 (now 71)</span>",
        ] {
            assert!(page.contains(needle), "missing {needle}");
        }
        assert!(!page.contains("x<y"), "text is escaped");
    }
}
