//! The canonical layout of policy files (`eligo fmt`); the rules are in `docs/fmt.md`.
//!
//! The formatter works from the concrete syntax (the pest pairs of `syntax/grammar.pest`), so
//! every token is written exactly as the author wrote it: numbers (`4_000_000`), strings, dates,
//! durations and parentheses are kept; only white space, line breaks and trailing commas change.
//! The grammar drops `#` comments, so a small lexer finds them again and each one is written
//! before the token that follows it (a comment on its own line) or at the end of the line of the
//! token before it (a trailing comment).
//!
//! Every item is checked after formatting: it must parse to the same syntax tree and carry the
//! same comments in the same order. An item that fails the check is kept exactly as written, so
//! formatting never changes what a policy means and never loses a comment.

mod build;
mod comments;
mod doc;

use crate::diag::Error;
use crate::source::SourceId;
use crate::syntax::{ast, parse_module};

/// The width the layout aims for, in columns.
pub const MAX_WIDTH: usize = 100;

/// Formats one policy file.
///
/// The text keeps its byte-order mark and line endings (`\r\n` when its first line ends so).
/// A text that does not parse gives the parser's errors; they point into the text without its
/// byte-order mark (as `eligo check` reads it), in source `SourceId(0)`.
pub fn format_source(text: &str) -> Result<String, Vec<Error>> {
    let (bom, body) = match text.strip_prefix('\u{feff}') {
        Some(rest) => ("\u{feff}", rest),
        None => ("", text),
    };
    let module = parse_module(SourceId(0), body)?;
    let crlf = body.find('\n').is_some_and(|i| body[..i].ends_with('\r'));
    let formatted = format_module(body, &module);
    if formatted.verbatim_file {
        return Ok(text.to_string());
    }
    let out = formatted.text;
    let out = if crlf { out.replace('\n', "\r\n") } else { out };
    Ok(format!("{bom}{out}"))
}

/// Whether two modules have the same syntax: spans (item spans included) are ignored.
pub fn same_syntax(a: &ast::Module, b: &ast::Module) -> bool {
    a.items.len() == b.items.len() && a.items.iter().zip(&b.items).all(|(x, y)| same_item(x, y))
}

fn same_item(a: &ast::Item, b: &ast::Item) -> bool {
    a.meta == b.meta && a.kind == b.kind
}

/// The `#` comments of a policy text, in order, each from `#` to the end of its line without
/// trailing white space. Strings and `///` doc comments are not comments.
pub fn comments(text: &str) -> Vec<String> {
    comments::lex(text).into_iter().map(|c| c.text).collect()
}

/// A formatted text, and how much of it had to be kept as written.
struct Formatted {
    text: String,
    /// Items that failed the check after formatting, kept as written.
    #[cfg_attr(not(test), allow(dead_code))]
    verbatim_items: usize,
    /// The whole file failed the check and was kept as written.
    verbatim_file: bool,
}

impl Formatted {
    fn verbatim(src: &str) -> Self {
        Formatted {
            text: src.to_string(),
            verbatim_items: 0,
            verbatim_file: true,
        }
    }
}

/// Formats a parsed text (no byte-order mark); line endings become `\n`.
fn format_module(src: &str, module: &ast::Module) -> Formatted {
    let all = comments::lex(src);
    let Some(cst) = build::parse(src) else {
        return Formatted::verbatim(src);
    };
    if cst.items.len() != module.items.len() {
        return Formatted::verbatim(src);
    }
    let mut verbatim_items = 0;
    let mut b = build::Builder::new(src, &all, &cst);
    let mut out = String::new();
    let mut prev_multiline = false;
    for (i, (pair, item)) in cst.items.iter().zip(&module.items).enumerate() {
        let start = pair.as_span().start();
        let end = pair.as_span().end();
        let first_comment = b.next;
        let region_start = all
            .get(first_comment)
            .filter(|c| c.start < start)
            .map_or(start, |c| c.start);
        let lead = leading_text(src, &all, &mut b.next, start);
        let d = b.item(pair.clone());
        let mut text = doc::render(&d, MAX_WIDTH);
        let used: Vec<&str> = all[first_comment..b.next]
            .iter()
            .map(|c| c.text.as_str())
            .collect();
        if !item_is_safe(&lead, &text, item, &used) {
            if std::env::var_os("ELIGO_FMT_DEBUG").is_some() {
                eprintln!(
                    "--- item kept as written; formatted:\n{lead}{text}\n--- comments {used:?}"
                );
            }
            verbatim_items += 1;
            let last_end = all[first_comment..b.next]
                .iter()
                .map(|c| c.end)
                .max()
                .map_or(end, |e| e.max(end));
            text = src[start..last_end].replace("\r\n", "\n");
        }
        let multiline = text.contains('\n');
        if i > 0 {
            let blank = blank_before_region(src, region_start) || prev_multiline || multiline;
            out.push_str(if blank { "\n\n" } else { "\n" });
        }
        out.push_str(&lead);
        out.push_str(&text);
        prev_multiline = multiline;
    }
    // Comments after the last item.
    if let Some(c) = all.get(b.next) {
        if !out.is_empty() {
            out.push_str(if comments::blank_before(src, c.start) {
                "\n\n"
            } else {
                "\n"
            });
        }
        let rest = leading_text(src, &all, &mut b.next, src.len());
        out.push_str(rest.trim_end());
    }
    if !out.is_empty() {
        out.push('\n');
    }
    // The whole file must mean the same and keep every comment, in order.
    let same = match parse_module(SourceId(0), &out) {
        Ok(m) => same_syntax(&m, module),
        Err(_) => false,
    };
    if !same || comments(&out) != comments(src) {
        return Formatted::verbatim(src);
    }
    Formatted {
        text: out,
        verbatim_items,
        verbatim_file: false,
    }
}

/// Whether an empty line separates the text before `pos` from it (false at the start of a file).
fn blank_before_region(src: &str, pos: usize) -> bool {
    comments::blank_before(src, pos)
}

/// The own-line comments before `pos`, one per line, with the author's empty lines between them
/// and after the last one.
fn leading_text(src: &str, all: &[comments::Comment], next: &mut usize, pos: usize) -> String {
    let mut s = String::new();
    let mut first = true;
    while let Some(c) = all.get(*next) {
        if c.start >= pos {
            break;
        }
        if !first && comments::blank_before(src, c.start) {
            s.push('\n');
        }
        s.push_str(&c.text);
        s.push('\n');
        first = false;
        *next += 1;
    }
    if !first && pos < src.len() && comments::blank_before(src, pos) {
        s.push('\n');
    }
    s
}

/// Whether a formatted item parses to the same item and carries the comments it should.
fn item_is_safe(lead: &str, text: &str, item: &ast::Item, used: &[&str]) -> bool {
    let same = match parse_module(SourceId(0), text) {
        Ok(m) => m.items.len() == 1 && same_item(&m.items[0], item),
        Err(_) => false,
    };
    same && comments(&format!("{lead}{text}")) == used
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fmt(s: &str) -> String {
        match format_source(s) {
            Ok(t) => t,
            Err(e) => panic!("does not parse: {e:?}"),
        }
    }

    #[test]
    fn a_short_rule_stays_on_one_line() {
        assert_eq!(fmt("rule   a :Int=1+2\n"), "rule a: Int = 1 + 2\n");
    }

    #[test]
    fn literals_keep_their_text() {
        assert_eq!(
            fmt("rule a: Money = USD 4_000_000\n"),
            "rule a: Money = USD 4_000_000\n"
        );
    }

    #[test]
    fn comments_survive() {
        let src = "# head\n\nrule a: Int = 1 # one\n# b\nrule b: Int = 2\n";
        assert_eq!(fmt(src), src);
    }

    /// Every policy file of the repository that parses is formatted without falling back to its
    /// original text.
    #[test]
    fn no_file_of_the_repository_needs_the_fallback() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let mut files = Vec::new();
        for dir in ["stdlib-policies", "tests", "examples", "docs"] {
            collect(&root.join(dir), &mut files);
        }
        assert!(files.len() > 20, "only {} policy files found", files.len());
        let mut texts: Vec<(String, String)> = Vec::new();
        for f in files {
            if let Ok(text) = std::fs::read_to_string(&f) {
                texts.push((f.display().to_string(), text));
            }
        }
        // The ```eligo blocks of the documentation.
        for doc in std::fs::read_dir(root.join("docs"))
            .into_iter()
            .flatten()
            .flatten()
        {
            let path = doc.path();
            if path.extension() != Some(std::ffi::OsStr::new("md")) {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            let mut block: Option<String> = None;
            for line in text.lines() {
                match block.take() {
                    None if line.starts_with("```eligo") => block = Some(String::new()),
                    None => {}
                    Some(b) if line.starts_with("```") => {
                        texts.push((path.display().to_string(), b))
                    }
                    Some(mut b) => {
                        b.push_str(line);
                        b.push('\n');
                        block = Some(b);
                    }
                }
            }
        }
        // Hostile fixtures nest deeply: parse and format them on the big stack the CLI uses.
        crate::driver::run_on_big_stack(move || {
            for (name, text) in texts {
                let body = text.strip_prefix('\u{feff}').unwrap_or(&text);
                let Ok(module) = parse_module(SourceId(0), body) else {
                    continue;
                };
                let out = format_module(body, &module);
                assert!(
                    !out.verbatim_file && out.verbatim_items == 0,
                    "{}: {} item(s) kept as written, whole file kept: {}",
                    name,
                    out.verbatim_items,
                    out.verbatim_file
                );
            }
        });
    }

    fn collect(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                collect(&p, out);
            } else if p.extension().is_some_and(|x| x == "elg") {
                out.push(p);
            }
        }
    }

    #[test]
    fn crlf_and_bom_are_kept() {
        assert_eq!(
            fmt("\u{feff}rule a: Int =  1\r\n"),
            "\u{feff}rule a: Int = 1\r\n"
        );
    }
}

#[cfg(test)]
mod torture {
    use super::*;

    fn check_all(src: &str, label: &str) -> Vec<String> {
        let mut problems = Vec::new();
        let bytes = src.as_bytes();
        let mut variants = Vec::new();
        for i in 0..bytes.len() {
            if bytes[i] == b' ' || bytes[i] == b'\n' {
                let mut t = String::new();
                t.push_str(&src[..i]);
                t.push_str(&format!(" # c{i}\n"));
                t.push_str(&src[i + 1..]);
                variants.push((i, "trail", t));
                let mut t = String::new();
                t.push_str(&src[..i]);
                t.push_str(&format!("\n# o{i}\n"));
                t.push_str(&src[i + 1..]);
                variants.push((i, "own", t));
            }
        }
        for (i, kind, t) in variants {
            let Ok(module) = parse_module(SourceId(0), &t) else {
                continue;
            };
            if comments(&t).len() != comments(src).len() + 1 {
                continue;
            }
            let out = format_module(&t, &module);
            if out.verbatim_file || out.verbatim_items > 0 {
                problems.push(format!("{label}@{i} {kind}: fallback"));
                continue;
            }
            match format_source(&out.text) {
                Ok(a) if a == out.text => {}
                Ok(a) => {
                    let once: Vec<&str> = out.text.lines().collect();
                    let twice: Vec<&str> = a.lines().collect();
                    let first = once
                        .iter()
                        .zip(&twice)
                        .position(|(x, y)| x != y)
                        .unwrap_or(0);
                    let from = first.saturating_sub(3);
                    problems.push(format!(
                        "{label}@{i} {kind}: not idempotent\n--- once\n{}\n--- twice\n{}",
                        once[from..(first + 4).min(once.len())].join("\n"),
                        twice[from..(first + 4).min(twice.len())].join("\n")
                    ))
                }
                Err(_) => problems.push(format!("{label}@{i} {kind}: output does not parse")),
            }
        }
        problems
    }

    /// A comment (trailing, and on a line of its own) put in every gap between tokens of a
    /// snippet with most constructs: the result keeps every comment, never falls back to the
    /// original text, and is idempotent.
    #[test]
    fn a_comment_in_every_gap_of_every_construct() {
        let src = "use facts
/// Doc.
@source(\"s\")
rule r(a: Int, b: [Text]): Bool =
  let x = f(a, y in b: y == \"t\") otherwise 0;
  if x > 1 and not b is none then all { \"l\": x in [1, 2], \"m\": { k: 1 }.k < 2 }
  else (x + 1) * 2 == USD 3 or d within trailing 12 months
table t(k: Text, v: Int?) key k = [(\"a\", 1), (\"b\", none)]
enum E { a, b }
outcome \"o.{e}\" for e in E = score max 10 { \"p\": points(n, 1 per 2, max 3, whole) }
";
        let problems = check_all(src, "snippet");
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }

    /// The same for whole files: `TORTURE_FILES=tests/fmt/items.elg,… cargo test -p eligo --lib
    /// torture -- --ignored` (slow in a debug build).
    #[test]
    #[ignore = "slow: a comment in every gap of the files named by TORTURE_FILES"]
    fn a_comment_in_every_gap_of_files() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let mut problems = Vec::new();
        for f in std::env::var("TORTURE_FILES")
            .unwrap_or_default()
            .split(',')
        {
            if f.is_empty() {
                continue;
            }
            let src = std::fs::read_to_string(root.join(f)).unwrap_or_default();
            problems.extend(check_all(&src, f));
        }
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }
}
