//! The examples of `docs/language.md` are tests.
//!
//! The convention, read from the Markdown:
//!
//! - A block fenced ```` ```eligo ```` is a complete policy set. By default it is one file,
//!   `policy.elg` (module `policy`); lines `# file: PATH.elg` split it into several files, each
//!   named by its path (module names come from paths as for a policy folder).
//! - After it, in this order, may come: HTML comments `<!-- KEY: VALUE, … -->` with the options
//!   `facts: docs/examples/NAME.json` (a facts file, relative to the repository), `as_of: DATE`,
//!   `strict` and `max_steps: N`; and a block fenced ```` ```json facts ```` holding the facts
//!   inline. Prose may stand between the blocks.
//! - Then comes the expected result, a block fenced ```` ```json ````: the `outcomes` object
//!   (`{"id": value, …}`, ids in order), compared as JSON values and in key order. Numbers are
//!   compared by their text (serde_json's `arbitrary_precision`), so `72.5` is not `72.50`.
//! - A block fenced ```` ```text warnings ```` may follow: the facts warnings, one per line, as
//!   the command line prints them. An example that warns without this block fails.
//! - A block fenced ```` ```eligo-error ```` must fail (to compile, to load its facts or to
//!   evaluate, whichever comes first). It is followed, after the same optional comments and
//!   facts, by a block fenced ```` ```text ```` whose first line is the expected error code
//!   (`E0303`); when the block holds more than that line, it is the whole rendered diagnostic.
//! - Evaluation runs as the command line does: the date is the `as_of` option, else the facts'
//!   `as_of`, else 2024-08-06 (never today, so the examples stay reproducible). An example that
//!   declares facts but gives none is evaluated against `{"format": …}` alone, every field at
//!   its default.
//!
//! `ELIGO_DOCS_BLESS=1 cargo test -p eligo-cli --test docs` rewrites the expected blocks with
//! the actual results (a one-line `text` block stays one line); review the diff before keeping it.

use eligo::diag::render_plain;
use eligo::driver::{compile_sources, module_name, run_on_big_stack, LoadedSources};
use eligo::eval::output::json_value;
use eligo::eval::{Evaluation, Limits};
use eligo::facts::{load_facts, LoadOptions, DEFAULT_MAX_FACTS_BYTES, DEFAULT_MAX_LIST_LEN};
use eligo::syntax::{MAX_IDENT_LEN, MAX_NESTING, MAX_SOURCE_BYTES};
use std::path::{Path, PathBuf};

mod common;

const DOC: &str = "docs/language.md";
const DEFAULT_AS_OF: &str = "2024-08-06";
/// The page holds at least this many tested examples.
const MIN_EXAMPLES: usize = 89;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A fenced block: its info string, its text, and the lines of its fences (0-based).
#[derive(Debug, Clone)]
struct Block {
    info: String,
    body: String,
    open: usize,
    close: usize,
}

#[derive(Debug)]
enum Piece {
    Block(Block),
    /// An HTML comment on one line, without `<!--` and `-->`, and its line.
    Comment(String, usize),
}

/// Splits the page into fenced blocks and one-line HTML comments (prose is dropped).
fn pieces(text: &str) -> Result<Vec<Piece>, String> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        if let Some(info) = line.strip_prefix("```") {
            let open = i;
            let mut body = String::new();
            i += 1;
            while i < lines.len() && lines[i].trim_end() != "```" {
                body.push_str(lines[i]);
                body.push('\n');
                i += 1;
            }
            if i == lines.len() {
                return Err(format!("{DOC}:{}: unclosed code block", open + 1));
            }
            out.push(Piece::Block(Block {
                info: info.trim().to_string(),
                body,
                open,
                close: i,
            }));
        } else if let Some(c) = line.trim().strip_prefix("<!--") {
            match c.strip_suffix("-->") {
                Some(c) => out.push(Piece::Comment(c.trim().to_string(), i)),
                None => return Err(format!("{DOC}:{}: comments must fit on one line", i + 1)),
            }
        }
        i += 1;
    }
    Ok(out)
}

#[derive(Debug, Default, Clone)]
struct Options {
    facts_file: Option<String>,
    as_of: Option<String>,
    strict: bool,
    max_steps: Option<u64>,
}

const OPTION_KEYS: &[&str] = &["facts", "as_of", "strict", "max_steps"];

fn is_options_comment(c: &str) -> bool {
    OPTION_KEYS.iter().any(|k| c.starts_with(k))
}

fn parse_options(c: &str, line: usize, opts: &mut Options) -> Result<(), String> {
    for part in c.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (key, value) = match part.split_once(':') {
            Some((k, v)) => (k.trim(), Some(v.trim().to_string())),
            None => (part, None),
        };
        match (key, value) {
            ("facts", Some(v)) => opts.facts_file = Some(v),
            ("as_of", Some(v)) => opts.as_of = Some(v),
            ("strict", None) => opts.strict = true,
            ("max_steps", Some(v)) => {
                opts.max_steps = Some(
                    v.parse()
                        .map_err(|_| format!("{DOC}:{}: max_steps is not a number", line + 1))?,
                )
            }
            _ => return Err(format!("{DOC}:{}: unknown option `{part}`", line + 1)),
        }
    }
    Ok(())
}

/// One tested example.
#[derive(Debug)]
struct Example {
    /// Line of the policy's opening fence (1-based).
    line: usize,
    must_fail: bool,
    source: String,
    opts: Options,
    inline_facts: Option<String>,
    expected: Block,
    warnings: Option<Block>,
}

fn examples(text: &str) -> Result<Vec<Example>, String> {
    let mut out = Vec::new();
    let mut it = pieces(text)?.into_iter().peekable();
    while let Some(p) = it.next() {
        let block = match p {
            Piece::Comment(c, line) if is_options_comment(&c) => {
                return Err(format!(
                    "{DOC}:{}: an options comment belongs after an ```eligo block",
                    line + 1
                ))
            }
            Piece::Comment(..) => continue,
            Piece::Block(b) => b,
        };
        let must_fail = match block.info.as_str() {
            "eligo" => false,
            "eligo-error" => true,
            info if info.starts_with("eligo") => {
                return Err(format!(
                    "{DOC}:{}: unknown block kind `{info}` (write `eligo` or `eligo-error`)",
                    block.open + 1
                ))
            }
            "json facts" | "text warnings" => {
                return Err(format!(
                    "{DOC}:{}: a `{}` block belongs to an ```eligo block",
                    block.open + 1,
                    block.info
                ))
            }
            _ => continue,
        };
        let mut opts = Options::default();
        let mut inline_facts = None;
        let expected = loop {
            match it.next() {
                Some(Piece::Comment(c, line)) if is_options_comment(&c) => {
                    parse_options(&c, line, &mut opts)?
                }
                Some(Piece::Comment(..)) => {}
                Some(Piece::Block(b)) if b.info == "json facts" && inline_facts.is_none() => {
                    inline_facts = Some(b.body)
                }
                Some(Piece::Block(b)) if b.info == if must_fail { "text" } else { "json" } => {
                    break b
                }
                Some(Piece::Block(b)) => {
                    return Err(format!(
                        "{DOC}:{}: the example at line {} expects a ```{} block next, found ```{}",
                        b.open + 1,
                        block.open + 1,
                        if must_fail { "text" } else { "json" },
                        b.info
                    ))
                }
                None => {
                    return Err(format!(
                        "{DOC}:{}: the example has no expected result",
                        block.open + 1
                    ))
                }
            }
        };
        let warnings = match it.peek() {
            Some(Piece::Block(b)) if b.info == "text warnings" => match it.next() {
                Some(Piece::Block(b)) => Some(b),
                _ => None,
            },
            _ => None,
        };
        if inline_facts.is_some() && opts.facts_file.is_some() {
            return Err(format!(
                "{DOC}:{}: give the facts inline or as a file, not both",
                block.open + 1
            ));
        }
        out.push(Example {
            line: block.open + 1,
            must_fail,
            source: block.body,
            opts,
            inline_facts,
            expected,
            warnings,
        });
    }
    Ok(out)
}

/// The policy files of an example: (display name, module, text).
fn files(source: &str) -> Vec<(String, String, String)> {
    let mut files: Vec<(String, String, String)> = Vec::new();
    for line in source.lines() {
        if let Some(name) = line.strip_prefix("# file:") {
            let name = name.trim().to_string();
            files.push((name.clone(), module_name(&name), String::new()));
            continue;
        }
        if files.is_empty() {
            files.push(("policy.elg".into(), "policy".into(), String::new()));
        }
        if let Some(f) = files.last_mut() {
            f.2.push_str(line);
            f.2.push('\n');
        }
    }
    if files.is_empty() {
        files.push(("policy.elg".into(), "policy".into(), String::new()));
    }
    files
}

/// What running an example gave.
#[derive(Debug)]
enum Run {
    Ok {
        /// The outcomes object, one outcome per line.
        outcomes: String,
        warnings: Vec<String>,
    },
    Failed {
        code: String,
        rendered: String,
    },
}

fn failed(errors: &[eligo::diag::Error], sources: &eligo::source::SourceMap) -> Run {
    Run::Failed {
        code: errors.first().map_or("", |e| e.code()).to_string(),
        rendered: render_plain(errors, sources),
    }
}

fn run(ex: &Example) -> Result<Run, String> {
    let (facts_name, facts_text) = match (&ex.inline_facts, &ex.opts.facts_file) {
        (Some(t), _) => (Some("facts.json".to_string()), Some(t.clone())),
        (None, Some(path)) => {
            let text = std::fs::read_to_string(root().join(path))
                .map_err(|e| format!("cannot read {path}: {e}"))?;
            (Some(path.clone()), Some(text))
        }
        (None, None) => (None, None),
    };
    let as_of_option = match &ex.opts.as_of {
        Some(d) => Some(
            chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d")
                .map_err(|_| format!("`{d}` is not a date"))?,
        ),
        None => None,
    };
    let files = files(&ex.source);
    let strict = ex.opts.strict;
    let max_steps = ex.opts.max_steps;
    Ok(run_on_big_stack(move || {
        let program = match compile_sources(LoadedSources { files }) {
            Ok(p) => p,
            Err(f) => return failed(&f.errors, &f.sources),
        };
        let (name, text) = match (facts_name, facts_text, &program.program().facts) {
            (Some(n), Some(t), _) => (n, t),
            (_, _, Some(schema)) => {
                let mut doc = String::from("{\"format\": ");
                eligo::eval::output::json_string(&mut doc, &schema.format);
                doc.push('}');
                ("facts.json".to_string(), doc)
            }
            _ => (String::new(), String::new()),
        };
        let facts = if text.is_empty() {
            None
        } else {
            let options = LoadOptions {
                strict,
                ..LoadOptions::default()
            };
            match load_facts(program.program().facts_view(), &name, &text, options) {
                Ok(f) => Some(f),
                Err(e) => return failed(&[e], &program.program().sources),
            }
        };
        let default_date = chrono::NaiveDate::from_ymd_opt(2024, 8, 6).expect("a date");
        let as_of = as_of_option
            .or(facts.as_ref().and_then(|f| f.as_of))
            .unwrap_or(default_date);
        let limits = Limits {
            max_steps: max_steps.unwrap_or(Limits::default().max_steps),
            ..Limits::default()
        };
        let fields = facts.as_ref().map_or(&[][..], |f| f.fields());
        let mut ev = Evaluation::new(&program, fields, as_of, limits);
        let mut outcomes = String::from("{");
        for i in 0..program.program().outcomes.len() {
            let v = match ev.outcome(i) {
                Ok(v) => v,
                Err(e) => return failed(&[e], &program.program().sources),
            };
            let o = &program.program().outcomes[i];
            outcomes.push_str(if i == 0 { "\n  " } else { ",\n  " });
            eligo::eval::output::json_string(&mut outcomes, &o.id);
            outcomes.push_str(": ");
            json_value(&mut outcomes, program.program(), &v, &o.ty).expect("written");
        }
        outcomes.push_str(if program.program().outcomes.is_empty() {
            "}\n"
        } else {
            "\n}\n"
        });
        let warnings = facts.map_or_else(Vec::new, |f| {
            f.warnings
                .iter()
                .map(|w| format!("warning: {name}: {w}"))
                .collect()
        });
        Run::Ok { outcomes, warnings }
    }))
}

/// Lines without trailing blanks, and no blank lines at either end.
fn tidy(s: &str) -> String {
    let lines: Vec<&str> = s.lines().map(str::trim_end).collect();
    let first = lines
        .iter()
        .position(|l| !l.is_empty())
        .unwrap_or(lines.len());
    let last = lines
        .iter()
        .rposition(|l| !l.is_empty())
        .map_or(0, |i| i + 1);
    if first >= last {
        return String::new();
    }
    let mut out = lines[first..last].join("\n");
    out.push('\n');
    out
}

fn parse_json(s: &str, what: &str) -> Result<serde_json::Value, String> {
    serde_json::from_str(s).map_err(|e| format!("{what} is not JSON: {e}"))
}

/// Checks one example; returns the problems and the blocks to rewrite when blessing.
fn check(ex: &Example, run: &Run, fixes: &mut Vec<(Block, String)>) -> Option<String> {
    match (ex.must_fail, run) {
        (false, Run::Failed { rendered, .. }) => {
            Some(format!("expected outcomes, but it failed:\n{rendered}"))
        }
        (true, Run::Ok { outcomes, .. }) => Some(format!(
            "expected error {}, but it evaluated to:\n{outcomes}",
            ex.expected.body.lines().next().unwrap_or("")
        )),
        (false, Run::Ok { outcomes, warnings }) => {
            let mut problems = Vec::new();
            fixes.push((ex.expected.clone(), outcomes.clone()));
            match (
                parse_json(&ex.expected.body, "the expected block"),
                parse_json(outcomes, "the output"),
            ) {
                (Ok(want), Ok(got)) => {
                    let same_order =
                        serde_json::to_string(&want).ok() == serde_json::to_string(&got).ok();
                    if want != got || !same_order {
                        problems.push(format!(
                            "outcomes differ\n--- expected\n{}--- actual\n{outcomes}",
                            ex.expected.body
                        ));
                    }
                }
                (Err(e), _) | (_, Err(e)) => problems.push(e),
            }
            let got_w = tidy(&warnings.join("\n"));
            match &ex.warnings {
                Some(b) => {
                    fixes.push((b.clone(), got_w.clone()));
                    if tidy(&b.body) != got_w {
                        problems.push(format!(
                            "warnings differ\n--- expected\n{}--- actual\n{got_w}",
                            b.body
                        ));
                    }
                }
                None if !warnings.is_empty() => problems.push(format!(
                    "the facts gave warnings; show them in a ```text warnings block:\n{got_w}"
                )),
                None => {}
            }
            (!problems.is_empty()).then(|| problems.join("\n"))
        }
        (true, Run::Failed { code, rendered }) => {
            let want = tidy(&ex.expected.body);
            let want_code = want.lines().next().unwrap_or("").trim();
            let code_only = want.lines().count() <= 1;
            fixes.push((
                ex.expected.clone(),
                if code_only {
                    format!("{code}\n")
                } else {
                    tidy(rendered)
                },
            ));
            if want_code != code {
                Some(format!(
                    "expected error {want_code}, found {code}:\n{rendered}"
                ))
            } else if !code_only && want != tidy(rendered) {
                Some(format!(
                    "the diagnostic differs\n--- expected\n{want}--- actual\n{}",
                    tidy(rendered)
                ))
            } else {
                None
            }
        }
    }
}

fn bless(text: &str, mut fixes: Vec<(Block, String)>) -> String {
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    fixes.sort_by_key(|(b, _)| std::cmp::Reverse(b.open));
    for (b, body) in fixes {
        let new: Vec<String> = body.lines().map(String::from).collect();
        lines.splice(b.open + 1..b.close, new);
    }
    let mut out = lines.join("\n");
    out.push('\n');
    out
}

fn doc_text() -> String {
    std::fs::read_to_string(root().join(DOC)).expect("docs/language.md is readable")
}

#[test]
fn every_example_in_the_language_reference_gives_its_documented_result() {
    let text = doc_text();
    let examples = examples(&text).unwrap_or_else(|e| panic!("{e}"));
    let mut problems = Vec::new();
    let mut fixes = Vec::new();
    for ex in &examples {
        match run(ex) {
            Ok(r) => {
                if let Some(p) = check(ex, &r, &mut fixes) {
                    problems.push(format!("{DOC}:{}: {p}", ex.line));
                }
            }
            Err(e) => problems.push(format!("{DOC}:{}: {e}", ex.line)),
        }
    }
    if std::env::var_os("ELIGO_DOCS_BLESS").is_some() {
        std::fs::write(root().join(DOC), bless(&text, fixes))
            .expect("docs/language.md is writable");
        eprintln!("blessed {} example(s); review the diff", examples.len());
        return;
    }
    assert!(
        problems.is_empty(),
        "{} of {} examples differ from the page:\n\n{}",
        problems.len(),
        examples.len(),
        problems.join("\n\n")
    );
    assert!(
        examples.len() >= MIN_EXAMPLES,
        "only {} tested examples, expected at least {MIN_EXAMPLES}",
        examples.len()
    );
}

/// Each construct of the language: its name, the error code of the example that shows it (`None`
/// for a passing example), and words that must stand together on one line of that example.
const CONSTRUCTS: &[(&str, Option<&str>, &[&str])] = &[
    // files, modules, comments, attributes
    ("several files", None, &["# file: "]),
    ("a module from a nested path", None, &["# file: ", "/"]),
    ("use", None, &["use "]),
    ("use … as", None, &["use ", " as "]),
    ("alias.name", None, &["= totals."]),
    ("alias.rule(args)", None, &["= t.fee("]),
    ("alias.Enum.variant", None, &["t.Tier.gold"]),
    ("ambiguous name", Some("E0205"), &["= limit"]),
    ("comment", None, &["# "]),
    ("doc comment", None, &["/// "]),
    ("@source", None, &["@source(\""]),
    ("@signed", None, &["@signed"]),
    ("unknown attribute", Some("E0109"), &["@sauce"]),
    ("misplaced attribute", Some("E0111"), &["@signed"]),
    // facts
    ("facts", None, &["facts \"", "{"]),
    ("identified by", None, &["identified by "]),
    ("field default", None, &[": Money = USD"]),
    ("Count", None, &[": Count"]),
    ("negative money in facts", Some("E0402"), &[": Money"]),
    ("Days and Months in facts", None, &[": Days", "grace"]),
    ("quoted field name", None, &["\": Count"]),
    ("reading a quoted field", None, &["metrics.\""]),
    // declarations
    ("enum", None, &["enum "]),
    ("unknown variant", Some("E0215"), &["Area.dataai"]),
    ("type", None, &["type ", " = {"]),
    ("record literal", None, &["{", ": ", "}"]),
    (
        "record literal checked against its type",
        None,
        &["manager: none"],
    ),
    (
        "record literal with a field left out",
        None,
        &["rule sale: Sale = {"],
    ),
    (
        "records joined in a list",
        None,
        &["[{note: none}, {note: \"x\"}]"],
    ),
    (
        "missing record field",
        Some("E0301"),
        &["= {amount: USD 250}"],
    ),
    ("optional type", None, &["?"]),
    ("list type", None, &[": ["]),
    ("table", None, &["table ", " key "]),
    ("table without key", None, &["table ", ") = ["]),
    ("table lookup", None, &["]."]),
    ("table key by value", None, &["rate[1]."]),
    ("total table lookup", None, &["[Area."]),
    ("rule", None, &["rule ", ": "]),
    ("rule with parameters", None, &["rule ", "(", "): "]),
    ("rule cycle", Some("E0207"), &["rule "]),
    ("outcome", None, &["outcome \""]),
    (
        "outcome family",
        None,
        &["outcome \"", "{", "}\" for ", " in "],
    ),
    // literals
    ("Int", None, &["1_000"]),
    ("Decimal", None, &["0.1"]),
    ("Money", None, &["USD 1_000.50"]),
    ("negative Money literal", None, &["USD -5"]),
    ("Percent", None, &["12.5%"]),
    ("Date", None, &["2024-08-06"]),
    ("Month", None, &["2024-07"]),
    ("months", None, &["12 months"]),
    ("year", None, &["1 year"]),
    ("days", None, &["60 days"]),
    ("Text", None, &["\"\\\""]),
    ("Bool", None, &["true"]),
    ("none", None, &["none"]),
    // arithmetic
    ("money + money", None, &["USD", "+ USD"]),
    ("money * number", None, &["USD", " * "]),
    ("money / money", None, &["USD", "/ USD"]),
    ("money * percent", None, &["USD", " * ", "%"]),
    ("percent * money", None, &["rebate_rate * billed"]),
    ("date + days", None, &["-", "+ 30 days"]),
    ("Jan 31 + 1 month", None, &["2024-01-31 + 1 month"]),
    ("Feb 29 + 12 months", None, &["2024-02-29 + 12 months"]),
    ("date - date", None, &["2024-08-06 - 2024-01-01"]),
    (
        "days and months never mix",
        Some("E0302"),
        &["months", "days"],
    ),
    ("int / int", None, &["1 / 3"]),
    ("money vs count hint", Some("E0303"), &[">= 4_000_000"]),
    // logic, control, optionals
    ("comparison", None, &[" >= "]),
    ("equal by value", None, &["[1, 2.0] == [1.0, 2]"]),
    ("and/or/not", None, &[" and ", " or "]),
    ("not", None, &["not "]),
    ("if", None, &["if ", " then ", " else "]),
    ("let", None, &["let ", " = ", ";"]),
    ("otherwise", None, &[" otherwise "]),
    ("is none", None, &[" is none"]),
    ("is some", None, &[" is some"]),
    ("if … is some v", None, &["if ", " is some ", " then "]),
    // windows
    ("trailing", None, &["trailing 12 months"]),
    ("trailing … ending", None, &["trailing ", " ending "]),
    ("between", None, &["between ", " and "]),
    ("within", None, &[" within "]),
    ("months_in", None, &["months_in("]),
    ("start", None, &["start("]),
    ("end", None, &["end("]),
    // lists
    ("where", None, &[" where ", "it"]),
    ("group by", None, &[" group by "]),
    ("projection", None, &[".amount"]),
    ("in", None, &[" in ["]),
    ("x in Enum", None, &["focus in Area"]),
    ("bare variants after in", None, &[" in [data_ai, security]"]),
    ("count", None, &["count("]),
    ("sum", None, &["sum("]),
    ("min", None, &["min("]),
    ("max", None, &["max("]),
    ("mean", None, &["mean("]),
    ("distinct", None, &["distinct("]),
    ("sort", None, &["sort("]),
    ("any", None, &["any("]),
    ("all", None, &["all("]),
    ("first", None, &["first("]),
    ("last", None, &["last("]),
    ("map", None, &["map(", " in ", ": "]),
    ("x in list: body", None, &["(", " in ", ": "]),
    ("enum as list of variants", None, &["all(a in Area: "]),
    // criteria, points, score
    ("any { … }", None, &["any {"]),
    ("all { … }", None, &["all {"]),
    ("at least N of", None, &["at least ", " of {"]),
    ("points each", None, &["points(", " each, max "]),
    ("points per", None, &["points(", " per ", ", max "]),
    (
        "points per, multiplied first",
        None,
        &["points(5, 40 per 6, max 40)"],
    ),
    ("points whole", None, &["points(", ", whole)"]),
    ("score", None, &["score max "]),
    (".total", None, &[".total"]),
    (
        ".every_metric_above_zero",
        None,
        &[".every_metric_above_zero"],
    ),
    (".metrics", None, &[".metrics"]),
    // built-ins
    ("round", None, &["round("]),
    ("floor", None, &["floor("]),
    ("ceil", None, &["ceil("]),
    ("abs", None, &["abs("]),
    ("days(n)", None, &["days("]),
    ("months(n)", None, &["months("]),
    ("years(n)", None, &["years("]),
    ("month(d)", None, &["month("]),
    ("year(d)", None, &["year("]),
    ("first_day", None, &["first_day("]),
    ("last_day", None, &["last_day("]),
    ("anniversary", None, &["anniversary("]),
    ("length", None, &["length("]),
    ("text", None, &["text("]),
    ("as_of", None, &["as_of"]),
    // limits
    ("nesting limit", Some("E0107"), &["(((((((((("]),
    ("step budget", Some("E0503"), &["count("]),
];

/// The error code an example must fail with, or `None` for a passing example.
fn error_code(ex: &Example) -> Option<String> {
    ex.must_fail.then(|| {
        ex.expected
            .body
            .lines()
            .next()
            .unwrap_or("")
            .trim()
            .to_string()
    })
}

/// What some example must do, besides showing the constructs: (name, test).
type Shows = (&'static str, fn(&Example) -> bool);

const OPTIONS_SHOWN: &[Shows] = &[
    ("facts from a file", |ex| ex.opts.facts_file.is_some()),
    ("facts inline", |ex| ex.inline_facts.is_some()),
    ("an unknown key warned about", |ex| ex.warnings.is_some()),
    ("an unknown key refused in strict mode", |ex| {
        ex.opts.strict && error_code(ex).as_deref() == Some("E0403")
    }),
    ("a step budget", |ex| {
        ex.opts.max_steps.is_some() && error_code(ex).as_deref() == Some("E0503")
    }),
    ("another evaluation date", |ex| ex.opts.as_of.is_some()),
    ("several files", |ex| files(&ex.source).len() > 1),
];

#[test]
fn every_construct_has_an_example() {
    let text = doc_text();
    let examples = examples(&text).unwrap_or_else(|e| panic!("{e}"));
    let mut missing: Vec<&str> = CONSTRUCTS
        .iter()
        .filter(|(_, want, words)| {
            !examples.iter().any(|ex| {
                error_code(ex).as_deref() == *want
                    && ex
                        .source
                        .lines()
                        .any(|l| words.iter().all(|w| l.contains(w)))
            })
        })
        .map(|(name, ..)| *name)
        .collect();
    for (name, shows) in OPTIONS_SHOWN {
        if !examples.iter().any(shows) {
            missing.push(name);
        }
    }
    assert!(
        missing.is_empty(),
        "no example in {DOC} shows: {}",
        missing.join(", ")
    );
}

#[test]
fn the_limits_in_the_reference_are_the_code_s() {
    let text = doc_text();
    assert_eq!(MAX_NESTING, 96);
    assert_eq!(MAX_IDENT_LEN, 256);
    assert_eq!(MAX_SOURCE_BYTES, 4 * 1024 * 1024);
    assert_eq!(Limits::default().max_steps, 50_000_000);
    assert_eq!(Limits::default().max_depth, 2_000);
    assert_eq!(DEFAULT_MAX_FACTS_BYTES, 64 * 1024 * 1024);
    assert_eq!(DEFAULT_MAX_LIST_LEN, 1_000_000);
    for words in [
        "| nesting of brackets, `if` and `let` | 96 |",
        "| length of an identifier | 256 bytes |",
        "| size of a policy file | 4 MiB (4,194,304 bytes) |",
        "| evaluation steps | 50,000,000 |",
        "| nesting of evaluation | 2,000 |",
        "| size of a facts document | 64 MiB |",
        "| length of a list in the facts | 1,000,000 |",
    ] {
        assert!(text.contains(words), "{DOC} does not say: {words}");
    }
    assert_eq!(DEFAULT_AS_OF, "2024-08-06");
    assert!(
        text.contains(&format!("evaluated as of {DEFAULT_AS_OF}")),
        "{DOC} does not name the examples' default date"
    );
}

#[test]
fn the_worked_examples_of_eligo_diff_give_their_documented_outputs() {
    // The page's setup block runs in a folder holding a copy of the standard policies, as a
    // reader's checkout does; then every marked command runs there.
    let dir = common::TempDir::new("docs-diff");
    common::copy_tree(
        &root().join("stdlib-policies"),
        &dir.path().join("stdlib-policies"),
    );
    common::run_doc_setup("docs/diff.md", dir.path());
    match common::check_doc_outputs_in("docs/diff.md", dir.path()) {
        Ok(n) => assert!(n >= 5, "only {n} outputs checked in docs/diff.md"),
        Err(problems) => panic!("docs/diff.md:\n{}", problems.join("\n")),
    }
}
