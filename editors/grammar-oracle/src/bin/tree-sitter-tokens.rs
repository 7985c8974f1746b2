//! Prints the tree-sitter parse (editors/tree-sitter-eligo) of eligo sources as JSON, with the
//! captures of highlighting queries, for the editor tests to hold against the pest parse.
//!
//! Usage: `tree-sitter-tokens QUERY.scm… < sources.json > trees.json`, sources.json as for
//! pest-tokens. For each source: `nodes`, each `[kind, flags, start, end, parent]` (kind an index
//! into `kinds`; flags 1 = named, 2 = error, 4 = missing; UTF-16 offsets; parent -1 at the root),
//! and for each query, in order, its captures `[capture, start, end]` (capture an index into that
//! query's `captures`).

#![forbid(unsafe_code)]

use grammar_oracle::{read_input, utf16_offsets};
use serde::Serialize;
use streaming_iterator::StreamingIterator;
use tree_sitter::{Node, Parser, Query, QueryCursor};

#[derive(Serialize)]
struct Output {
    kinds: Vec<String>,
    queries: Vec<QueryNames>,
    results: Vec<Tree>,
}

#[derive(Serialize)]
struct QueryNames {
    path: String,
    captures: Vec<String>,
}

#[derive(Serialize)]
struct Tree {
    name: String,
    nodes: Vec<[i64; 5]>,
    captures: Vec<Vec<[u32; 3]>>,
}

fn main() {
    if let Err(message) = run() {
        eprintln!("tree-sitter-tokens: {message}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), String> {
    let language = tree_sitter::Language::new(tree_sitter_eligo::LANGUAGE);
    let mut queries = Vec::new();
    for path in std::env::args().skip(1) {
        let source =
            std::fs::read_to_string(&path).map_err(|e| format!("cannot read `{path}`: {e}"))?;
        let query = Query::new(&language, &source).map_err(|e| format!("{path}: {e}"))?;
        queries.push((path, query));
    }
    let input = read_input()?;
    let mut parser = Parser::new();
    parser.set_language(&language).map_err(|e| e.to_string())?;
    let mut kinds = Vec::new();
    let mut results = Vec::new();
    for source in input.sources {
        let tree = parser
            .parse(&source.text, None)
            .ok_or_else(|| format!("{}: no tree", source.name))?;
        let offsets = utf16_offsets(&source.text);
        let mut nodes = Vec::new();
        collect(tree.root_node(), -1, &offsets, &mut kinds, &mut nodes);
        let captures = queries
            .iter()
            .map(|(_, query)| captures(query, tree.root_node(), &source.text, &offsets))
            .collect();
        results.push(Tree {
            name: source.name,
            nodes,
            captures,
        });
    }
    let queries = queries
        .into_iter()
        .map(|(path, query)| QueryNames {
            path,
            captures: query
                .capture_names()
                .iter()
                .map(|c| c.to_string())
                .collect(),
        })
        .collect();
    serde_json::to_writer(
        std::io::stdout().lock(),
        &Output {
            kinds,
            queries,
            results,
        },
    )
    .map_err(|e| format!("cannot write: {e}"))
}

fn collect(
    node: Node,
    parent: i64,
    offsets: &[u32],
    kinds: &mut Vec<String>,
    nodes: &mut Vec<[i64; 5]>,
) {
    let kind = match kinds.iter().position(|k| k == node.kind()) {
        Some(index) => index,
        None => {
            kinds.push(node.kind().to_string());
            kinds.len() - 1
        }
    } as i64;
    let flags = i64::from(node.is_named())
        | i64::from(node.is_error()) << 1
        | i64::from(node.is_missing()) << 2;
    let id = nodes.len() as i64;
    nodes.push([
        kind,
        flags,
        offsets[node.start_byte()] as i64,
        offsets[node.end_byte()] as i64,
        parent,
    ]);
    let mut cursor = node.walk();
    for child in node.children(&mut cursor) {
        collect(child, id, offsets, kinds, nodes);
    }
}

fn captures(query: &Query, root: Node, text: &str, offsets: &[u32]) -> Vec<[u32; 3]> {
    let mut cursor = QueryCursor::new();
    let mut found = Vec::new();
    let mut matches = cursor.matches(query, root, text.as_bytes());
    while let Some(m) = matches.next() {
        for capture in m.captures() {
            let node = capture.node;
            found.push([
                capture.index,
                offsets[node.start_byte()],
                offsets[node.end_byte()],
            ]);
        }
    }
    found
}
