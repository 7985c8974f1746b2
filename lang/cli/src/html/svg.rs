//! Charts as plain inline SVG: horizontal bars against a maximum with a threshold line,
//! histograms, and a timeline of dates. Positions are simple proportions (no layout engine);
//! numbers are drawn from `f64` only for geometry, never for values shown as text.

use super::escape;
use std::fmt::Write as _;

/// One bar: a label, the value and the most it can be, the text shown beside it, and the
/// `data-*` attributes the bar carries (tests read the values there).
pub struct Bar {
    /// What the bar measures.
    pub label: String,
    /// Its value (geometry only).
    pub value: f64,
    /// The most it can be (geometry only).
    pub max: f64,
    /// The value as people read it: `20 of 30`.
    pub text: String,
    /// Extra attributes, already escaped: ` data-metric="…"`.
    pub attrs: String,
}

const LABEL_W: f64 = 230.0;
const BAR_W: f64 = 220.0;
const ROW_H: f64 = 24.0;

fn ratio(value: f64, max: f64) -> f64 {
    if max > 0.0 {
        (value / max).clamp(0.0, 1.0)
    } else {
        0.0
    }
}

/// Horizontal bars, each against its own maximum; a threshold line across the last bar (the
/// total) when there is one.
pub fn bars(title: &str, bars: &[Bar], threshold: Option<(f64, String)>) -> String {
    let height = ROW_H * bars.len() as f64 + 8.0;
    let width = LABEL_W + BAR_W + 110.0;
    let mut s = format!(
        "<svg role=\"img\" aria-label=\"{}\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\">\n",
        escape(title)
    );
    for (i, b) in bars.iter().enumerate() {
        let y = 4.0 + ROW_H * i as f64;
        let w = BAR_W * ratio(b.value, b.max);
        let _ = writeln!(
            s,
            "<g class=\"bar\"{}><title>{}: {}</title>\
             <text x=\"0\" y=\"{:.1}\">{}</text>\
             <rect class=\"cap\" x=\"{LABEL_W}\" y=\"{y:.1}\" width=\"{BAR_W}\" height=\"16\"/>\
             <rect class=\"fill\" x=\"{LABEL_W}\" y=\"{y:.1}\" width=\"{w:.1}\" height=\"16\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\">{}</text></g>",
            b.attrs,
            escape(&b.label),
            escape(&b.text),
            y + 12.5,
            escape(&short(&b.label, 34)),
            LABEL_W + BAR_W + 6.0,
            y + 12.5,
            escape(&b.text)
        );
    }
    if let (Some((t, text)), Some(last)) = (threshold, bars.last()) {
        let x = LABEL_W + BAR_W * ratio(t, last.max);
        let y = 4.0 + ROW_H * (bars.len() - 1) as f64;
        let _ = writeln!(
            s,
            "<g class=\"threshold-line\"><title>{}</title><line class=\"threshold\" x1=\"{x:.1}\" y1=\"{:.1}\" x2=\"{x:.1}\" y2=\"{:.1}\"/></g>",
            escape(&text),
            y - 3.0,
            y + 19.0
        );
    }
    s.push_str("</svg>\n");
    s
}

/// A histogram: one column per bin, its count above it and its label below.
pub fn histogram(title: &str, bins: &[(String, u64)], attrs: &str) -> String {
    let top = bins.iter().map(|(_, n)| *n).max().unwrap_or(0).max(1) as f64;
    let col = (560.0 / bins.len().max(1) as f64).clamp(14.0, 60.0);
    let width = col * bins.len() as f64 + 20.0;
    let height = 170.0;
    let mut s = format!(
        "<svg role=\"img\" aria-label=\"{}\" viewBox=\"0 0 {width:.0} {height}\" width=\"{width:.0}\" height=\"{height}\"{attrs}>\n",
        escape(title)
    );
    let _ = writeln!(
        s,
        "<line class=\"axis\" x1=\"0\" y1=\"140\" x2=\"{width:.0}\" y2=\"140\"/>"
    );
    for (i, (label, n)) in bins.iter().enumerate() {
        let h = 110.0 * (*n as f64) / top;
        let x = 10.0 + col * i as f64;
        let _ = writeln!(
            s,
            "<g class=\"bin\" data-bin=\"{}\" data-count=\"{n}\"><title>{}: {n}</title>\
             <rect class=\"fill\" x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{h:.1}\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{n}</text>\
             <text x=\"{:.1}\" y=\"156\" text-anchor=\"middle\">{}</text></g>",
            escape(label),
            escape(label),
            x + 1.0,
            140.0 - h,
            (col - 2.0).max(1.0),
            x + col / 2.0,
            (136.0 - h).max(12.0),
            x + col / 2.0,
            escape(&short(label, 8))
        );
    }
    s.push_str("</svg>\n");
    s
}

/// A timeline from `days` 0 to `span`: a dot per event, labelled with its date.
pub fn timeline(title: &str, span: i64, events: &[(i64, String)]) -> String {
    let width = 760.0;
    let height = 70.0;
    let x = |d: i64| 10.0 + (width - 20.0) * (d.clamp(0, span.max(1)) as f64) / span.max(1) as f64;
    let mut s = format!(
        "<svg role=\"img\" aria-label=\"{}\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\">\n\
         <line class=\"axis\" x1=\"10\" y1=\"30\" x2=\"{}\" y2=\"30\"/>\n",
        escape(title),
        width - 10.0
    );
    // Labels take the first of three rows where they do not run into the one before; a date
    // with no room keeps its dot and its tooltip.
    let mut last = [f64::MIN; 3];
    for (d, label) in events {
        let cx = x(*d);
        let _ = write!(
            s,
            "<g class=\"event\"><title>{}</title><circle class=\"fill\" cx=\"{cx:.1}\" cy=\"30\" r=\"5\"/>",
            escape(label)
        );
        if let Some(row) = (0..3).find(|r| cx - last[*r] > 80.0) {
            last[row] = cx;
            let y = [18.0, 48.0, 62.0][row];
            let _ = write!(
                s,
                "<text x=\"{cx:.1}\" y=\"{y}\" text-anchor=\"middle\">{}</text>",
                escape(&short(label, 12))
            );
        }
        s.push_str("</g>\n");
    }
    s.push_str("</svg>\n");
    s
}

/// Text cut to a number of characters, ending in `…` when cut.
pub fn short(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}
