//! Go to definition, references, rename, document and workspace symbols, folding, formatting.

use crate::analysis::Analysis;
use crate::features::{at_params, document};
use crate::server::Server;
use crate::uris;
use eligo::{Symbol, SymbolKind as K, Target};
use lsp_types::{
    DocumentFormattingParams, DocumentSymbol, DocumentSymbolParams, DocumentSymbolResponse,
    FoldingRange, FoldingRangeKind, FoldingRangeParams, GotoDefinitionParams,
    GotoDefinitionResponse, Location, PrepareRenameResponse, ReferenceParams, RenameParams,
    SymbolInformation, SymbolKind, TextDocumentPositionParams, TextEdit, WorkspaceEdit,
    WorkspaceSymbolParams, WorkspaceSymbolResponse,
};
use std::collections::HashMap;

fn location(analysis: &Analysis, file: usize, range: &std::ops::Range<usize>) -> Option<Location> {
    let uri = uris::from_path(&analysis.paths[file])?;
    Some(Location::new(uri, analysis.lines[file].range(range)))
}

pub fn definition(
    server: &mut Server,
    p: GotoDefinitionParams,
) -> Result<Option<GotoDefinitionResponse>, String> {
    let Some(at) = at_params(server, &p.text_document_position_params) else {
        return Ok(None);
    };
    let outline = &at.analysis.outline;
    let found = outline
        .target_at(at.file, at.offset)
        .and_then(|t| outline.definition(t))
        .and_then(|(file, range)| location(at.analysis, file, &range));
    Ok(found.map(GotoDefinitionResponse::Scalar))
}

pub fn references(
    server: &mut Server,
    p: ReferenceParams,
) -> Result<Option<Vec<Location>>, String> {
    let Some(at) = at_params(server, &p.text_document_position) else {
        return Ok(None);
    };
    let outline = &at.analysis.outline;
    let Some(target) = outline.target_at(at.file, at.offset) else {
        return Ok(None);
    };
    let skip = usize::from(!p.context.include_declaration);
    let found = outline
        .occurrences(target)
        .into_iter()
        .skip(skip)
        .filter_map(|(file, range)| location(at.analysis, file, &range))
        .collect();
    Ok(Some(found))
}

/// What can be renamed: a name that refers to a declaration or a local of the policy files
/// (not an outcome id: ids are stable, docs/outcomes.md).
fn renamable(
    server: &mut Server,
    p: &TextDocumentPositionParams,
) -> Result<Option<(Target, lsp_types::Range)>, String> {
    let Some(at) = at_params(server, p) else {
        return Ok(None);
    };
    let outline = &at.analysis.outline;
    let Some(target) = outline.target_at(at.file, at.offset) else {
        return Ok(None);
    };
    if let Target::Symbol { file, index } = target {
        if outline.symbol(file, index).map(|s| s.kind) == Some(K::Outcome) {
            return Err("outcome ids are stable: rename the id by hand if you mean to".into());
        }
    }
    let here = outline
        .occurrences(target)
        .into_iter()
        .find(|(f, r)| *f == at.file && r.start <= at.offset && at.offset <= r.end)
        .map(|(_, r)| at.analysis.lines[at.file].range(&r));
    Ok(here.map(|r| (target, r)))
}

pub fn prepare_rename(
    server: &mut Server,
    p: TextDocumentPositionParams,
) -> Result<Option<PrepareRenameResponse>, String> {
    Ok(renamable(server, &p)?.map(|(_, r)| PrepareRenameResponse::Range(r)))
}

// WorkspaceEdit is keyed by Uri (lsp-types); its cached parts never change its hash.
#[allow(clippy::mutable_key_type)]
pub fn rename(server: &mut Server, p: RenameParams) -> Result<Option<WorkspaceEdit>, String> {
    let name = p.new_name.trim();
    if !is_name(name) {
        return Err(format!(
            "`{name}` is not a name: letters, digits and `_`, not a digit first"
        ));
    }
    let Some((target, _)) = renamable(server, &p.text_document_position)? else {
        return Ok(None);
    };
    let uri = &p.text_document_position.text_document.uri;
    let Some((analysis, _)) = document(server, uri) else {
        return Ok(None);
    };
    let mut changes: HashMap<lsp_types::Uri, Vec<TextEdit>> = HashMap::new();
    for (file, range) in analysis.outline.occurrences(target) {
        if let Some(uri) = uris::from_path(&analysis.paths[file]) {
            let edit = TextEdit::new(analysis.lines[file].range(&range), name.to_string());
            changes.entry(uri).or_default().push(edit);
        }
    }
    Ok(Some(WorkspaceEdit::new(changes)))
}

fn is_name(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

pub fn kind(k: K) -> SymbolKind {
    match k {
        K::Rule => SymbolKind::FUNCTION,
        K::Table => SymbolKind::CONSTANT,
        K::Column | K::Field => SymbolKind::FIELD,
        K::Enum => SymbolKind::ENUM,
        K::Variant => SymbolKind::ENUM_MEMBER,
        K::Type => SymbolKind::STRUCT,
        K::Facts => SymbolKind::NAMESPACE,
        K::Fact => SymbolKind::PROPERTY,
        K::Outcome => SymbolKind::EVENT,
        _ => SymbolKind::OBJECT,
    }
}

pub fn document_symbols(
    server: &mut Server,
    p: DocumentSymbolParams,
) -> Result<Option<DocumentSymbolResponse>, String> {
    let Some((analysis, file)) = document(server, &p.text_document.uri) else {
        return Ok(None);
    };
    let lines = &analysis.lines[file];
    let symbols = &analysis.outline.files()[file].symbols;
    // Nested by range: a symbol inside the one before it (a variant in its enum, a field in its
    // type) is its child.
    let mut roots: Vec<DocumentSymbol> = Vec::new();
    let mut stack: Vec<(DocumentSymbol, std::ops::Range<usize>)> = Vec::new();
    for s in symbols {
        while let Some((_, r)) = stack.last() {
            if r.start <= s.range.start && s.range.end <= r.end {
                break;
            }
            pop_into(&mut stack, &mut roots);
        }
        stack.push((document_symbol(s, lines), s.range.clone()));
    }
    while !stack.is_empty() {
        pop_into(&mut stack, &mut roots);
    }
    Ok(Some(DocumentSymbolResponse::Nested(roots)))
}

fn pop_into(
    stack: &mut Vec<(DocumentSymbol, std::ops::Range<usize>)>,
    roots: &mut Vec<DocumentSymbol>,
) {
    if let Some((done, _)) = stack.pop() {
        match stack.last_mut() {
            Some((parent, _)) => parent.children.get_or_insert_with(Vec::new).push(done),
            None => roots.push(done),
        }
    }
}

#[allow(deprecated)]
fn document_symbol(s: &Symbol, lines: &crate::lines::Lines) -> DocumentSymbol {
    let range =
        lines.range(&(s.range.start.min(s.name_range.start)..s.range.end.max(s.name_range.end)));
    DocumentSymbol {
        name: s.name.clone(),
        detail: Some(s.detail.clone()),
        kind: kind(s.kind),
        tags: None,
        deprecated: None,
        range,
        selection_range: lines.range(&s.name_range),
        children: None,
    }
}

pub fn workspace_symbols(
    server: &mut Server,
    p: WorkspaceSymbolParams,
) -> Result<Option<WorkspaceSymbolResponse>, String> {
    let mut out = Vec::new();
    for folder in server.workspace.folders() {
        let analysis = server.workspace.analysis(&folder);
        for (file, s) in analysis.outline.symbols() {
            let rank = match match_rank(&s.name, &p.query) {
                Some(rank) if s.kind != K::Facts => rank,
                _ => continue,
            };
            let Some(location) = location(analysis, file, &s.name_range) else {
                continue;
            };
            #[allow(deprecated)]
            out.push((
                rank,
                SymbolInformation {
                    name: s.name.clone(),
                    kind: kind(s.kind),
                    tags: None,
                    deprecated: None,
                    location,
                    container_name: s.container.clone(),
                },
            ));
        }
    }
    // The best matches first (a stable sort: in file order among equals).
    out.sort_by_key(|(rank, _)| *rank);
    let out = out.into_iter().map(|(_, s)| s).collect();
    Ok(Some(WorkspaceSymbolResponse::Flat(out)))
}

/// How well a name matches a workspace symbol query, best first: 0 the name itself, 1 the name
/// in other case, 2 its start, 3 a part of it, 4 its characters in order (ignoring case);
/// `None`: no match.
fn match_rank(name: &str, query: &str) -> Option<u8> {
    if name == query {
        return Some(0);
    }
    let (name, query) = (name.to_lowercase(), query.to_lowercase());
    let mut chars = name.chars();
    if name == query {
        Some(1)
    } else if name.starts_with(&query) {
        Some(2)
    } else if name.contains(&query) {
        Some(3)
    } else if query.chars().all(|q| chars.any(|c| c == q)) {
        Some(4)
    } else {
        None
    }
}

pub fn folding(
    server: &mut Server,
    p: FoldingRangeParams,
) -> Result<Option<Vec<FoldingRange>>, String> {
    let Some((analysis, file)) = document(server, &p.text_document.uri) else {
        return Ok(None);
    };
    let lines = &analysis.lines[file];
    let mut out: Vec<FoldingRange> = Vec::new();
    let mut add = |start: u32, end: u32, kind: Option<FoldingRangeKind>| {
        if end > start && !out.iter().any(|f| f.start_line == start) {
            out.push(FoldingRange {
                start_line: start,
                end_line: end,
                kind,
                ..FoldingRange::default()
            });
        }
    };
    for r in &analysis.outline.files()[file].folds {
        // A declaration's span runs to the next one's: its fold ends at its last text.
        let end = lines
            .text()
            .get(..r.end)
            .map_or(r.end, |t| t.trim_end().len());
        let (start, end) = (lines.position(r.start).line, lines.position(end).line);
        add(start, end, Some(FoldingRangeKind::Region));
    }
    // Runs of comment lines (`#` and `///`).
    let mut run: Option<(u32, u32)> = None;
    for (i, line) in lines.text().lines().enumerate() {
        let i = i as u32;
        if line.trim_start().starts_with('#') || line.trim_start().starts_with("///") {
            run = Some(run.map_or((i, i), |(s, _)| (s, i)));
        } else if let Some((s, e)) = run.take() {
            add(s, e, Some(FoldingRangeKind::Comment));
        }
    }
    if let Some((s, e)) = run {
        add(s, e, Some(FoldingRangeKind::Comment));
    }
    out.sort_by_key(|f| f.start_line);
    Ok(Some(out))
}

pub fn format(
    server: &mut Server,
    p: DocumentFormattingParams,
) -> Result<Option<Vec<TextEdit>>, String> {
    let Some((analysis, file)) = document(server, &p.text_document.uri) else {
        return Ok(None);
    };
    let (name, module, text) = analysis
        .sources
        .files()
        .nth(file)
        .ok_or("the file is not among the policies")?;
    let formatted = eligo::format(name, module, text)
        .map_err(|e| format!("cannot format `{name}`: {}", e.diagnostics()))?;
    if formatted == text {
        return Ok(Some(Vec::new()));
    }
    let lines = &analysis.lines[file];
    let whole = lines.range(&(0..text.len()));
    Ok(Some(vec![TextEdit::new(whole, formatted)]))
}
