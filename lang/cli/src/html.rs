//! Pages that stand alone: one HTML file with its styles, script and charts inline, no network,
//! readable from a `file://` URL, without colour and on paper. The partner report
//! ([`partner`]) and the population report ([`population`]) are built from these parts; another
//! page (an impact page for `eligo diff`) can reuse [`page`], [`escape`] and [`svg`].

pub mod impact;
pub mod partner;
pub mod population;
pub mod svg;

use std::fmt::Write as _;

/// Text made safe inside HTML elements and quoted attributes.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// An id for an element made from any text: letters, digits, `-`, `_` and `.` kept, the rest `-`.
pub fn anchor(prefix: &str, s: &str) -> String {
    let clean: String = s
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '-'
            }
        })
        .collect();
    format!("{prefix}-{clean}")
}

/// A met/not met mark that reads without colour: a symbol and a word.
pub fn mark(passed: Option<bool>) -> &'static str {
    match passed {
        Some(true) => "<span class=\"met\">✓ <span class=\"word\">met</span></span>",
        Some(false) => "<span class=\"unmet\">✗ <span class=\"word\">not met</span></span>",
        None => "",
    }
}

/// A whole page: the title, a heading and the body, with the shared styles and script.
pub fn page(title: &str, subtitle: &str, body: &str) -> String {
    let mut out = String::with_capacity(body.len() + STYLE.len() + 1024);
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    // Nothing is fetched: no scripts, styles, fonts or images from anywhere.
    out.push_str("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n");
    let _ = writeln!(out, "<title>{}</title>", escape(title));
    let _ = writeln!(out, "<style>{STYLE}</style>\n</head>\n<body>");
    let _ = writeln!(
        out,
        "<header><h1>{}</h1><p class=\"sub\">{}</p>\
         <p class=\"tools\"><button type=\"button\" id=\"expand\">Expand all</button> \
         <button type=\"button\" id=\"collapse\">Collapse all</button></p></header>",
        escape(title),
        escape(subtitle)
    );
    let _ = writeln!(out, "<main>\n{body}\n</main>");
    let _ = writeln!(
        out,
        "<footer><p>Written by eligo {}. Every value on this page comes from the policies and the facts named above.</p></footer>",
        env!("CARGO_PKG_VERSION")
    );
    let _ = writeln!(out, "<script>{SCRIPT}</script>\n</body>\n</html>");
    out
}

/// A section with a heading and an id.
pub fn section(id: &str, heading: &str, intro: &str, content: &str) -> String {
    let intro = if intro.is_empty() {
        String::new()
    } else {
        format!("<p>{}</p>\n", escape(intro))
    };
    format!(
        "<section id=\"{id}\" aria-labelledby=\"{id}-h\">\n<h2 id=\"{id}-h\">{}</h2>\n{intro}{content}</section>\n",
        escape(heading)
    )
}

/// Opening and closing every `<details>`, and opening them all before printing.
const SCRIPT: &str = r#"
(function () {
  function all(open) {
    document.querySelectorAll('details').forEach(function (d) { d.open = open; });
  }
  document.getElementById('expand').addEventListener('click', function () { all(true); });
  document.getElementById('collapse').addEventListener('click', function () { all(false); });
  window.addEventListener('beforeprint', function () { all(true); });
})();
"#;

const STYLE: &str = r#"
:root { --ink: #1b1f24; --muted: #57606a; --line: #d0d7de; --met: #1a7f37; --unmet: #cf222e;
  --bar: #0969da; --cap: #eaeef2; --warn: #9a6700; }
* { box-sizing: border-box; }
body { font-family: "DejaVu Sans", system-ui, sans-serif; color: var(--ink); margin: 0 auto;
  max-width: 72rem; padding: 1rem 1.5rem; line-height: 1.45; }
h1 { font-size: 1.6rem; margin: .2rem 0; } h2 { font-size: 1.25rem; border-bottom: 1px solid var(--line);
  padding-bottom: .2rem; margin-top: 2rem; } h3 { font-size: 1.05rem; margin: 1.2rem 0 .4rem; }
.sub, .note, footer { color: var(--muted); }
table { border-collapse: collapse; width: 100%; font-size: .92rem; }
th, td { text-align: left; padding: .25rem .5rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: #f6f8fa; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
.met { color: var(--met); font-weight: 600; } .unmet { color: var(--unmet); font-weight: 600; }
.short { color: var(--warn); }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(31rem, 100%), 1fr)); gap: 1rem; }
figure { margin: 0; border: 1px solid var(--line); border-radius: 6px; padding: .6rem .8rem; break-inside: avoid; }
figcaption { font-weight: 600; margin-bottom: .3rem; }
figure svg { max-width: 100%; height: auto; }
figure { min-width: 0; } code { overflow-wrap: anywhere; } .glance td:last-child { white-space: nowrap; }
svg text { font-family: "DejaVu Sans", sans-serif; font-size: 12px; fill: var(--ink); }
svg .cap { fill: var(--cap); } svg .fill { fill: var(--bar); } svg .threshold { stroke: var(--unmet);
  stroke-width: 2; stroke-dasharray: 5 3; } svg .axis { stroke: var(--muted); }
ol.alternatives { padding-left: 1.4rem; } ol.alternatives li { margin: .2rem 0; }
meter { width: 7rem; vertical-align: middle; }
ol.timeline { list-style: none; padding: 0; } ol.timeline > li { border-left: 3px solid var(--bar);
  padding: .2rem .7rem; margin: .4rem 0; }
details { margin: .15rem 0; } summary { cursor: pointer; }
ul.tree { list-style: none; padding-left: 1.3rem; border-left: 1px dotted var(--line); margin: .1rem 0; }
.detail { color: var(--muted); font-size: .85rem; display: block; padding-left: 1.2rem; }
.tools button { font: inherit; padding: .15rem .6rem; }
a { color: #0550ae; }
@media print {
  .tools { display: none; } body { max-width: none; padding: 0; font-size: 10pt; }
  a { color: inherit; text-decoration: none; } section { break-inside: auto; }
  h2 { break-after: avoid; } figure, li { break-inside: avoid; }
}
"#;
