//! Explanations as text (a tree a person reads in a terminal) and as JSON (the same tree for
//! programs).

use super::{Explanation, KeptShown, Node};
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
    for k in &n.kept {
        let _ = writeln!(out, "{detail}{}", k.text());
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
    // Added in issue 13 (a compatible extension): the comparisons that decided the node.
    let compared: Vec<String> = n.comparisons.iter().map(|c| c.text()).collect();
    out.push_str(",\"compared\":");
    strings(&compared, out);
    // Added in issue 13 too: the elements counting and filtering expressions kept.
    out.push_str(",\"kept\":[");
    for (i, k) in n.kept.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str("{\"how\":");
        json_string(out, k.how);
        out.push_str(",\"elements\":");
        strings(&k.items, out);
        let _ = write!(out, ",\"total\":{},\"of\":{}}}", k.total, k.of);
    }
    out.push(']');
    let _ = write!(out, ",\"repeated\":{},\"children\":[", n.repeated);
    for (i, c) in n.children.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        node_json(c, out);
    }
    out.push_str("]}");
}

/// Which view of an explanation a person reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum View {
    /// A few lines per outcome: what is met, what is missing and by how much, the next change.
    #[default]
    Summary,
    /// The author's tree: every rule, criterion and metric, with citations and facts read.
    Tree,
}

/// How explanations are shown as text.
#[derive(Debug, Clone, Copy, Default)]
pub struct TextOptions {
    /// ANSI colours.
    pub colour: bool,
    /// The width lines are fitted to (wrapped or cut); none: as long as they are.
    pub width: Option<usize>,
    /// Tree levels shown below the outcome (the tree view); none: all.
    pub depth: Option<usize>,
    /// Only outcomes that fail, and in the tree only the nodes on the way to a failure.
    pub failed_only: bool,
    /// The summary or the tree.
    pub view: View,
}

/// The fewest columns left for a line's text, however deep the tree: deeper, the tree's guides
/// are elided ([`fit_guides`]); in a width too narrow for that, a line is wider than asked
/// rather than unreadable.
const MIN_TEXT_COLUMNS: usize = 24;
/// The columns a node's details add to its guides: a bar, and two spaces where they wrap.
const DETAIL_COLUMNS: usize = 6;
/// What stands for the guides elided from a deep line.
const ELIDED: &str = "… ";
/// The guides kept after [`ELIDED`]: the parent's and the node's own.
const KEPT_GUIDES: usize = 8;
/// The most items a summary line lists before "and N more".
const SUMMARY_ITEMS: usize = 6;

/// The explanations as [`TextOptions`] ask; `horizon_days` is how far ahead changes were
/// searched.
pub fn text_with(explanations: &[Explanation], o: &TextOptions, horizon_days: u32) -> String {
    let mut out = String::new();
    for e in explanations {
        let fails = match (o.view, e.tree.passed) {
            (_, Some(p)) => !p,
            (View::Summary, None) => false,
            (View::Tree, None) => has_failure(&e.tree),
        };
        if o.failed_only && !fails {
            continue;
        }
        match o.view {
            View::Tree => {
                tree_node(&e.tree, "", "", 0, o, &mut out);
                changes_text(e, horizon_days, o.width, &mut out);
            }
            View::Summary => summary(e, o, horizon_days, &mut out),
        }
        out.push('\n');
    }
    if out.is_empty() && o.failed_only {
        out.push_str("nothing fails\n");
    }
    out
}

fn has_failure(n: &Node) -> bool {
    n.passed == Some(false) || n.children.iter().any(has_failure)
}

fn changes_text(e: &Explanation, horizon_days: u32, width: Option<usize>, out: &mut String) {
    if e.changes.is_empty() {
        if horizon_days > 0 {
            let line = format!("changes by itself: not within the next {horizon_days} days");
            push_wrapped(out, "  ", "    ", &line, width);
        }
        return;
    }
    out.push_str("  changes by itself:\n");
    for c in &e.changes {
        push_wrapped(
            out,
            "    ",
            "        ",
            &format!("{}: {} → {}", c.date, c.from, c.to),
            width,
        );
        for b in &c.because {
            let line = if b.starts_with("and ") {
                b.clone()
            } else {
                format!("because {b}")
            };
            push_wrapped(out, "      ", "        ", &line, width);
        }
    }
}

/// Display columns of a line (every character the trees use is one column wide).
fn columns(s: &str) -> usize {
    s.chars().count()
}

/// The columns left for text after a prefix.
fn room(prefix: &str, width: Option<usize>) -> Option<usize> {
    width.map(|w| w.saturating_sub(columns(prefix)).max(MIN_TEXT_COLUMNS))
}

/// Text cut to a number of columns, ending in `…` when cut.
fn elide(text: &str, room: Option<usize>) -> String {
    match room {
        Some(r) if columns(text) > r => {
            let mut s: String = text.chars().take(r.saturating_sub(1)).collect();
            s.push('…');
            s
        }
        _ => text.to_string(),
    }
}

/// Text broken into lines of at most `room` columns, at spaces where it can be.
pub fn wrap(text: &str, room: usize) -> Vec<String> {
    wrap_in(text, room, room)
}

/// Text broken into lines, the first of at most `first` columns and the others of at most
/// `rest`, at spaces where it can be; a word longer than its line is cut where the line ends.
fn wrap_in(text: &str, first: usize, rest: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    let room = |lines: &Vec<String>| if lines.is_empty() { first } else { rest }.max(1);
    for word in text.split(' ') {
        let mut word = word.to_string();
        let needed = columns(&line) + usize::from(!line.is_empty()) + columns(&word);
        if needed > room(&lines) && !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        while columns(&word) > room(&lines) {
            let r = room(&lines);
            lines.push(word.chars().take(r).collect());
            word = word.chars().skip(r).collect();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(&word);
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// Writes text after a prefix, wrapped to the width with the continuation prefix.
fn push_wrapped(out: &mut String, first: &str, rest: &str, text: &str, width: Option<usize>) {
    let (Some(r), Some(first_room)) = (room(rest, width), room(first, width)) else {
        let _ = writeln!(out, "{first}{text}");
        return;
    };
    for (i, l) in wrap_in(text, first_room, r).iter().enumerate() {
        let _ = writeln!(out, "{}{l}", if i == 0 { first } else { rest });
    }
}

/// The children a view shows: with `failed_only`, those on the way to a failure, and the values
/// below a failed node.
fn shown_children<'a>(n: &'a Node, o: &TextOptions) -> Vec<&'a Node> {
    n.children
        .iter()
        .filter(|c| {
            !o.failed_only || has_failure(c) || (n.passed == Some(false) && c.passed.is_none())
        })
        .collect()
}

/// A node's guides (those of its first line and of its other lines), with the deepest run of
/// them replaced by [`ELIDED`] when they would leave its details fewer than
/// [`MIN_TEXT_COLUMNS`] of the width: the outermost guides stay, and the parent's and the
/// node's own. Its children are drawn from the shortened guides.
fn fit_guides(first: &str, rest: &str, width: Option<usize>) -> (String, String) {
    let n = columns(rest);
    let Some(w) = width.filter(|w| n + DETAIL_COLUMNS + MIN_TEXT_COLUMNS > *w) else {
        return (first.to_string(), rest.to_string());
    };
    let head =
        w.saturating_sub(MIN_TEXT_COLUMNS + DETAIL_COLUMNS + columns(ELIDED) + KEPT_GUIDES) / 2 / 4
            * 4;
    if head + columns(ELIDED) + KEPT_GUIDES >= n {
        return (first.to_string(), rest.to_string());
    }
    let cut = |s: &str| {
        let outer: String = s.chars().take(head).collect();
        let inner: String = s.chars().skip(n - KEPT_GUIDES).collect();
        format!("{outer}{ELIDED}{inner}")
    };
    (cut(first), cut(rest))
}

fn tree_node(n: &Node, first: &str, rest: &str, level: usize, o: &TextOptions, out: &mut String) {
    let (first, rest) = fit_guides(first, rest, o.width);
    let (first, rest) = (first.as_str(), rest.as_str());
    let style = Style { colour: o.colour };
    let children = shown_children(n, o);
    let cut = o.depth.is_some_and(|d| level >= d) && !children.is_empty();
    let mark = match n.passed {
        Some(true) => "✓ ",
        Some(false) => "✗ ",
        None => "",
    };
    let mut suffix = String::new();
    if n.repeated {
        suffix.push_str("  (evaluated above)");
    }
    if cut {
        let _ = write!(suffix, "  [+{} below]", children.len());
    }
    let shown = node_line(
        &format!("{mark}{}", n.label),
        &n.value,
        &suffix,
        room(first, o.width),
    );
    let painted = match n.passed {
        Some(true) => shown.replacen("✓ ", &style.paint("32", "✓ "), 1),
        Some(false) => shown.replacen("✗ ", &style.paint("31", "✗ "), 1),
        None => shown,
    };
    let painted = if n.kind == "outcome" {
        painted.replacen(&n.label, &style.paint("1", &n.label), 1)
    } else {
        painted
    };
    let _ = writeln!(out, "{first}{painted}");
    let bar = if children.is_empty() || cut {
        "    "
    } else {
        "│   "
    };
    let detail = format!("{rest}{bar}");
    let more = format!("{detail}  ");
    let mut details: Vec<(&str, String)> = Vec::new();
    for s in &n.shortfalls {
        details.push(("33", format!("↳ {s}")));
    }
    if n.kind == "rule" && n.passed.is_some() {
        let (shown, more) = n.shown_comparisons();
        for c in shown {
            details.push(("33", format!("↳ decided by {}", c.text())));
        }
        if more > 0 {
            details.push((
                "33",
                format!("↳ decided by {more} more comparison(s) like these"),
            ));
        }
    }
    for k in &n.kept {
        details.push(("36", fitted_kept(k, room(&detail, o.width))));
    }
    for s in &n.sources {
        details.push(("2", format!("source: {s}")));
    }
    if !n.facts.is_empty() {
        details.push(("2", format!("reads: {}", n.facts.join(", "))));
    }
    for (code, text) in details {
        let mut lines = String::new();
        push_wrapped(&mut lines, &detail, &more, &text, o.width);
        for l in lines.lines() {
            let (pre, body) = split_prefix(l, &detail, &more);
            let _ = writeln!(out, "{pre}{}", style.paint(code, body));
        }
    }
    if cut {
        return;
    }
    for (i, c) in children.iter().enumerate() {
        let last = i + 1 == children.len();
        let (f, r) = if last {
            ("└── ", "    ")
        } else {
            ("├── ", "│   ")
        };
        tree_node(
            c,
            &format!("{rest}{f}"),
            &format!("{rest}{r}"),
            level + 1,
            o,
            out,
        );
    }
}

/// A kept-elements line with as many of its elements as fit the room (at least one).
fn fitted_kept(k: &KeptShown, room: Option<usize>) -> String {
    let Some(r) = room else {
        return k.text();
    };
    (1..=k.items.len())
        .rev()
        .map(|shown| k.text_with(shown))
        .find(|t| columns(t) <= r)
        .unwrap_or_else(|| k.text_with(1))
}

/// `label = value` and a suffix in a number of columns: the value is cut first, keeping a few
/// of its columns; then the label. The ` = ` and the suffix always stay.
fn node_line(label: &str, value: &str, suffix: &str, room: Option<usize>) -> String {
    let whole = format!("{label} = {value}{suffix}");
    let Some(r) = room else {
        return whole;
    };
    if columns(&whole) <= r {
        return whole;
    }
    // Deep in a narrow tree the long suffix gives way to a short one.
    let suffix = if 3 + columns(suffix) + 14 > r {
        suffix.replace("(evaluated above)", "(above)")
    } else {
        suffix.to_string()
    };
    let fixed = 3 + columns(&suffix);
    let keep_value = columns(value).min(14);
    let label_room = r.saturating_sub(fixed + keep_value).max(6);
    let label = elide(label, Some(label_room));
    let value_room = r
        .saturating_sub(fixed + columns(&label))
        .max(keep_value.min(3));
    format!("{label} = {}{suffix}", elide(value, Some(value_room)))
}

/// A wrapped line's prefix and text, so that only the text is coloured.
fn split_prefix<'a>(line: &'a str, first: &str, rest: &str) -> (&'a str, &'a str) {
    for p in [rest, first] {
        if let Some(body) = line.strip_prefix(p) {
            return (&line[..p.len()], body);
        }
    }
    ("", line)
}

// ------------------------------------------------------------------------------- the summary

fn summary(e: &Explanation, o: &TextOptions, horizon_days: u32, out: &mut String) {
    let style = Style { colour: o.colour };
    let root = &e.tree;
    let mark = match root.passed {
        Some(true) => style.paint("32", "✓ "),
        Some(false) => style.paint("31", "✗ "),
        None => String::new(),
    };
    let head = elide(
        &format!("{} = {}", root.label, root.value),
        room("  ", o.width),
    );
    let head = head.replacen(&root.label, &style.paint("1", &root.label), 1);
    let _ = writeln!(out, "{mark}{head}");
    let key = |k: &str| format!("    {k}: ");
    let mut missing: Vec<String> = Vec::new();
    if root.passed != Some(true) {
        for c in root
            .children
            .iter()
            .filter(|c| c.passed == Some(false) && c.kind != "metric")
        {
            failures(c, &root.label, &mut missing);
        }
    }
    dedup(&mut missing);
    let missing_count = missing.len();
    for m in missing.iter().take(SUMMARY_ITEMS) {
        let k = key("missing");
        push_wrapped(out, &k, "        ", &style.paint("33", m), o.width);
    }
    if missing_count > SUMMARY_ITEMS {
        let line = format!(
            "and {} more missing (--tree shows them)",
            missing_count - SUMMARY_ITEMS
        );
        push_wrapped(out, "    ", "        ", &line, o.width);
    }
    let mut met: Vec<String> = Vec::new();
    passed_criteria(root, &mut met);
    dedup(&mut met);
    if !met.is_empty() {
        let mut line = met
            .iter()
            .take(SUMMARY_ITEMS)
            .cloned()
            .collect::<Vec<_>>()
            .join(", ");
        if met.len() > SUMMARY_ITEMS {
            let _ = write!(line, " and {} more", met.len() - SUMMARY_ITEMS);
        }
        push_wrapped(out, &key("met"), "        ", &line, o.width);
    }
    if let Some(score) = first_score(root, 3) {
        let parts: Vec<String> = score
            .children
            .iter()
            .filter(|m| m.kind == "metric")
            .map(|m| match m.cap {
                Some(cap) => format!(
                    "{} {} of {}",
                    m.label.trim_matches('"'),
                    m.value,
                    crate::eval::output::decimal_text(cap)
                ),
                None => format!("{} {}", m.label.trim_matches('"'), m.value),
            })
            .collect();
        push_wrapped(out, &key("points"), "        ", &parts.join(" · "), o.width);
    }
    let changes = match e.changes.first() {
        None if horizon_days == 0 => None,
        None => Some(format!("none within the next {horizon_days} days")),
        Some(c) => {
            let mut s = format!("{}: {} → {}", c.date, c.from, c.to);
            if let Some(b) = c.because.first() {
                let _ = write!(s, ", because {b}");
            }
            if e.changes.len() > 1 {
                let _ = write!(s, " (and {} later date(s): --tree)", e.changes.len() - 1);
            }
            Some(s)
        }
    };
    if let Some(c) = changes {
        push_wrapped(out, &key("next change"), "        ", &c, o.width);
    }
}

fn dedup(items: &mut Vec<String>) {
    let mut seen = std::collections::HashSet::new();
    items.retain(|s| seen.insert(s.clone()));
}

/// The failures that explain a failed node: the deepest failed conditions below it (a failed
/// criterion with no failed condition below it, a failed rule decided by comparisons), with
/// their shortfalls, named with the rule they belong to.
fn failures(n: &Node, context: &str, out: &mut Vec<String>) {
    let failed: Vec<&Node> = n
        .children
        .iter()
        .filter(|c| c.passed == Some(false) && c.kind != "metric")
        .collect();
    let inner = if n.kind == "rule" {
        n.label.as_str()
    } else {
        context
    };
    if failed.is_empty() {
        let mut s = match n.kind {
            "criterion" => format!("{} in {context}", n.label),
            _ => format!("{} = {}", n.label, n.value),
        };
        let how: Vec<String> = if n.shortfalls.is_empty() {
            let (shown, more) = n.shown_comparisons();
            let mut how: Vec<String> = shown.iter().map(|c| c.text()).collect();
            if more > 0 {
                how.push(format!("{more} more"));
            }
            how
        } else {
            n.shortfalls.clone()
        };
        if !how.is_empty() {
            let _ = write!(s, ": {}", how.join("; "));
        }
        if let Some(k) = decisive_elements(n) {
            let _ = write!(s, "; {}", fitted_kept(k, Some(SUMMARY_KEPT_COLUMNS)));
        }
        out.push(s);
        return;
    }
    for c in failed {
        failures(c, inner, out);
    }
}

/// The columns a summary gives the elements a failed condition counted.
const SUMMARY_KEPT_COLUMNS: usize = 60;

/// The elements that decided a failed condition, by name: those it counted, summed or matched
/// itself, else those the value it compared did (`"12 net-new customers":
/// net_new_customers_over_10k >= 12` counted below). Not a `where` kept on the way (the
/// designations of an area), which the tree shows.
fn decisive_elements(n: &Node) -> Option<&KeptShown> {
    let decisive = |k: &&KeptShown| k.how != "kept" && !k.items.is_empty();
    n.kept.iter().find(decisive).or_else(|| {
        n.children
            .iter()
            .filter(|c| c.passed.is_none())
            .find_map(|c| c.kept.iter().find(decisive))
    })
}

/// The criteria that passed, by label, in the order of the tree.
fn passed_criteria(n: &Node, out: &mut Vec<String>) {
    for c in &n.children {
        if c.kind == "criterion" && c.passed == Some(true) {
            out.push(c.label.clone());
        }
        passed_criteria(c, out);
    }
}

/// The first node of a tree, `levels` deep at most, that holds score metrics.
fn first_score(n: &Node, levels: usize) -> Option<&Node> {
    if n.children.iter().any(|c| c.kind == "metric") {
        return Some(n);
    }
    if levels == 0 {
        return None;
    }
    n.children.iter().find_map(|c| first_score(c, levels - 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_word_is_cut_once_with_the_first_and_the_continuation_widths() {
        let word = "people[].certifications[].names_of_them";
        // The continuation prefix is wider than the first: the rooms are 30 and 28 columns.
        let mut out = String::new();
        push_wrapped(
            &mut out,
            "    ",
            "      ",
            &format!("reads: {word}"),
            Some(34),
        );
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(
            lines,
            [
                "    reads:",
                "      people[].certifications[].na",
                "      mes_of_them"
            ]
        );
        assert!(lines.iter().all(|l| columns(l) <= 34), "{out}");
        let pieces: String = lines[1..].iter().map(|l| l.trim_start()).collect();
        assert_eq!(pieces, word);
    }

    #[test]
    fn kept_elements_fit_their_room_and_say_how_many_more() {
        let k = KeptShown {
            how: "counted",
            items: ["p1", "p4", "p7", "p9"].map(String::from).to_vec(),
            total: 6,
            of: 10,
        };
        assert_eq!(fitted_kept(&k, None), "counted: p1, p4, p7, p9 (+2 more)");
        assert_eq!(fitted_kept(&k, Some(30)), "counted: p1, p4, p7 (+3 more)");
        // Too narrow for one: one anyway (the line wraps).
        assert_eq!(fitted_kept(&k, Some(5)), "counted: p1 (+5 more)");
        let unnamed = KeptShown {
            items: Vec::new(),
            ..k
        };
        assert_eq!(fitted_kept(&unnamed, Some(30)), "counted: 6 of 10");
    }

    #[test]
    fn wrap_in_gives_the_first_line_its_own_room() {
        assert_eq!(
            wrap_in("abcdefgh ij klmnopqrstu", 4, 6),
            ["abcd", "efgh", "ij", "klmnop", "qrstu"]
        );
        assert_eq!(wrap("one two three", 7), ["one two", "three"]);
        assert_eq!(wrap("", 7), [""]);
    }

    #[test]
    fn deep_guides_give_way_to_a_marker_and_keep_the_outermost_and_the_node_s_own() {
        let deep = "│   ".repeat(13);
        let first = format!("{deep}├── ");
        let rest = format!("{deep}│   ");
        // 56 columns of guides and a detail's 6 leave fewer than 24 of 80 columns: elided.
        let (f, r) = fit_guides(&first, &rest, Some(80));
        assert_eq!(f, format!("{}… │   ├── ", "│   ".repeat(5)));
        assert_eq!(r, format!("{}… │   │   ", "│   ".repeat(5)));
        assert!(columns(&r) + DETAIL_COLUMNS + MIN_TEXT_COLUMNS <= 80);
        // Shallow enough, or no width: as they are.
        let (f, r) = fit_guides(&first, &rest, Some(120));
        assert_eq!((f.as_str(), r.as_str()), (first.as_str(), rest.as_str()));
        let (f, _) = fit_guides(&first, &rest, None);
        assert_eq!(f, first);
    }
}
