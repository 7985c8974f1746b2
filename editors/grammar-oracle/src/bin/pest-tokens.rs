//! Prints the pest parse tree of eligo sources as JSON, read with lang/eligo's own grammar.pest at run time
//! (pest_vm), so that the editor grammars are tested against the real syntax, never a copy of it.
//!
//! Usage: `pest-tokens GRAMMAR.pest < sources.json > trees.json`, where sources.json is
//! `{"sources": [{"name": "...", "text": "..."}]}`. For each source the output holds either the nodes of
//! the `file` rule (`"ok": true`) or, when the source does not parse, the parse error and the nodes of a
//! lexical scan (`oracle_lexemes`: comments, doc comments, strings, dates, months and numbers only).
//! A node is `[rule, start, end, parent]`: an index into `rules`, UTF-16 offsets into the text (the unit
//! of the TextMate engine's columns) and the index of the parent node, or -1.

use grammar_oracle::{read_input, utf16_offsets, Input};
use pest::iterators::Pair;
use serde::Serialize;

/// The rule appended to the grammar for sources that do not parse: what can be told of them without
/// a parse. `oracle_word` swallows whole words so that digits inside a name are not read as numbers.
const LEXEME_RULES: &str = r#"
oracle_lexemes = ${ SOI ~ (doc_comment | COMMENT | string | date_lit | month_lit | number | oracle_word | ANY)* ~ EOI }
oracle_word = @{ (ASCII_ALPHANUMERIC | "_")+ }
"#;

#[derive(Serialize)]
struct Output {
    rules: Vec<String>,
    results: Vec<Tree>,
}

#[derive(Serialize)]
struct Tree {
    name: String,
    ok: bool,
    error: Option<String>,
    nodes: Vec<[i64; 4]>,
}

fn main() {
    if let Err(message) = run() {
        eprintln!("pest-tokens: {message}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), String> {
    let grammar_path = std::env::args()
        .nth(1)
        .ok_or("usage: pest-tokens GRAMMAR.pest < sources.json")?;
    let grammar = std::fs::read_to_string(&grammar_path)
        .map_err(|e| format!("cannot read `{grammar_path}`: {e}"))?;
    let grammar = with_visible_comments(&grammar)? + LEXEME_RULES;
    let input = read_input()?;
    // Deeply nested sources (the fuzz corpus) recurse deeply in the pest VM: give it room.
    let output = std::thread::Builder::new()
        .stack_size(1 << 30)
        .spawn(move || parse_all(&grammar, input))
        .map_err(|e| format!("cannot start the parser thread: {e}"))?
        .join()
        .map_err(|_| "the parser thread panicked".to_string())??;
    serde_json::to_writer(std::io::stdout().lock(), &output)
        .map_err(|e| format!("cannot write: {e}"))
}

/// `COMMENT` is silent in grammar.pest; made visible here so that comments appear in the tree.
fn with_visible_comments(grammar: &str) -> Result<String, String> {
    let line = grammar
        .lines()
        .find(|line| line.starts_with("COMMENT") && line.contains("_{"))
        .ok_or("grammar.pest has no silent `COMMENT = _{ … }` rule any more: update pest-tokens")?;
    Ok(grammar.replacen(line, &line.replacen("_{", "{", 1), 1))
}

fn parse_all(grammar: &str, input: Input) -> Result<Output, String> {
    let (names, rules) = pest_meta::parse_and_optimize(grammar).map_err(|errors| {
        let errors: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
        format!("grammar.pest does not load:\n{}", errors.join("\n"))
    })?;
    let mut names: Vec<String> = names.into_iter().map(str::to_string).collect();
    let vm = pest_vm::Vm::new(rules);
    let mut results = Vec::with_capacity(input.sources.len());
    for source in input.sources {
        let offsets = utf16_offsets(&source.text);
        let mut nodes = Vec::new();
        let (ok, error) = match vm.parse("file", &source.text) {
            Ok(pairs) => {
                pairs.for_each(|pair| collect(pair, -1, &mut names, &offsets, &mut nodes));
                (true, None)
            }
            Err(error) => {
                let lexemes = vm
                    .parse("oracle_lexemes", &source.text)
                    .map_err(|e| format!("{}: the lexical scan failed: {e}", source.name))?;
                lexemes.for_each(|pair| collect(pair, -1, &mut names, &offsets, &mut nodes));
                (false, Some(error.to_string()))
            }
        };
        results.push(Tree {
            name: source.name,
            ok,
            error,
            nodes,
        });
    }
    Ok(Output {
        rules: names,
        results,
    })
}

fn collect(
    pair: Pair<&str>,
    parent: i64,
    names: &mut Vec<String>,
    offsets: &[u32],
    nodes: &mut Vec<[i64; 4]>,
) {
    // Built-in rules (`EOI`) are not among the grammar's names: they are added when first seen.
    let rule = match names.iter().position(|name| name == pair.as_rule()) {
        Some(index) => index,
        None => {
            names.push(pair.as_rule().to_string());
            names.len() - 1
        }
    } as i64;
    let span = pair.as_span();
    let id = nodes.len() as i64;
    nodes.push([
        rule,
        offsets[span.start()] as i64,
        offsets[span.end()] as i64,
        parent,
    ]);
    for child in pair.into_inner() {
        collect(child, id, names, offsets, nodes);
    }
}
