//! Explanations as text (a tree a person reads in a terminal) and as JSON (the same tree for
//! programs).

use super::{Explanation, Node};
use crate::eval::output::json_string;
use std::fmt::Write;

/// Colours for the text tree.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    /// Whether to use ANSI colours.
    pub colour: bool,
}

impl Style {
    fn paint(&self, code: &str, s: &str) -> String {
        if self.colour {
            format!("\u{1b}[{code}m{s}\u{1b}[0m")
        } else {
            s.to_string()
        }
    }
}

/// The explanations as a text tree; `horizon_days` is how far ahead changes were searched.
pub fn text(explanations: &[Explanation], style: Style, horizon_days: u32) -> String {
    let mut out = String::new();
    for e in explanations {
        node_text(&e.tree, "", "", style, &mut out);
        if e.changes.is_empty() {
            if horizon_days > 0 {
                let _ = writeln!(
                    out,
                    "  changes by itself: not within the next {horizon_days} days"
                );
            }
        } else {
            out.push_str("  changes by itself:\n");
            for c in &e.changes {
                let _ = writeln!(out, "    {}: {} → {}", c.date, c.from, c.to);
                for b in &c.because {
                    if b.starts_with("and ") {
                        let _ = writeln!(out, "      {b}");
                    } else {
                        let _ = writeln!(out, "      because {b}");
                    }
                }
            }
        }
        out.push('\n');
    }
    out
}

fn node_text(n: &Node, first: &str, rest: &str, style: Style, out: &mut String) {
    let mark = match n.passed {
        Some(true) => style.paint("32", "✓ "),
        Some(false) => style.paint("31", "✗ "),
        None => String::new(),
    };
    let label = if n.kind == "outcome" {
        style.paint("1", &n.label)
    } else {
        n.label.clone()
    };
    let _ = write!(out, "{first}{mark}{label} = {}", n.value);
    if n.repeated {
        out.push_str("  (evaluated above)");
    }
    out.push('\n');
    let detail = format!(
        "{rest}{}",
        if n.children.is_empty() {
            "    "
        } else {
            "│   "
        }
    );
    for s in &n.shortfalls {
        let _ = writeln!(out, "{detail}{}", style.paint("33", &format!("↳ {s}")));
    }
    for s in &n.sources {
        let _ = writeln!(out, "{detail}{}", style.paint("2", &format!("source: {s}")));
    }
    if !n.facts.is_empty() {
        let _ = writeln!(
            out,
            "{detail}{}",
            style.paint("2", &format!("reads: {}", n.facts.join(", ")))
        );
    }
    for (i, c) in n.children.iter().enumerate() {
        let last = i + 1 == n.children.len();
        let (f, r) = if last {
            ("└── ", "    ")
        } else {
            ("├── ", "│   ")
        };
        node_text(c, &format!("{rest}{f}"), &format!("{rest}{r}"), style, out);
    }
}

/// The explanations as one JSON object: `{"format": "eligo.explanation/1", …}`.
pub fn json(
    explanations: &[Explanation],
    as_of: chrono::NaiveDate,
    partner: Option<&str>,
) -> String {
    let mut out = String::from("{\"format\":\"eligo.explanation/1\",\"as_of\":");
    json_string(&mut out, &as_of.format("%Y-%m-%d").to_string());
    out.push_str(",\"partner\":");
    match partner {
        Some(p) => json_string(&mut out, p),
        None => out.push_str("null"),
    }
    out.push_str(",\"outcomes\":[");
    for (i, e) in explanations.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str("{\"id\":");
        json_string(&mut out, &e.id);
        out.push_str(",\"tree\":");
        node_json(&e.tree, &mut out);
        out.push_str(",\"changes\":[");
        for (k, c) in e.changes.iter().enumerate() {
            if k > 0 {
                out.push(',');
            }
            let _ = write!(
                out,
                "{{\"date\":\"{}\",\"value\":{},\"because\":",
                c.date, c.to_json
            );
            strings(&c.because, &mut out);
            out.push('}');
        }
        out.push_str("]}");
    }
    out.push_str("]}\n");
    out
}

fn strings(items: &[String], out: &mut String) {
    out.push('[');
    for (i, s) in items.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        json_string(out, s);
    }
    out.push(']');
}

fn node_json(n: &Node, out: &mut String) {
    let _ = write!(out, "{{\"kind\":\"{}\",\"label\":", n.kind);
    // Criteria labels are quoted in the text tree; JSON carries the label itself.
    let label = if matches!(n.kind, "criterion" | "metric") {
        n.label.trim_matches('"')
    } else {
        n.label.as_str()
    };
    json_string(out, label);
    let _ = write!(out, ",\"value\":{}", n.value_json);
    match n.passed {
        Some(p) => {
            let _ = write!(out, ",\"passed\":{p}");
        }
        None => out.push_str(",\"passed\":null"),
    }
    out.push_str(",\"sources\":");
    strings(&n.sources, out);
    out.push_str(",\"facts\":");
    strings(&n.facts, out);
    out.push_str(",\"shortfalls\":");
    strings(&n.shortfalls, out);
    let _ = write!(out, ",\"repeated\":{},\"children\":[", n.repeated);
    for (i, c) in n.children.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        node_json(c, out);
    }
    out.push_str("]}");
}
