//! Semantic tokens: each name by what it refers to (a rule, a table, a fact, a field, an enum,
//! a variant, a type, a parameter, a local), declarations marked.

use crate::features::document;
use crate::server::Server;
use eligo::{LocalKind, Outline, SymbolKind, Target};
use lsp_types::{
    SemanticToken, SemanticTokenModifier, SemanticTokenType, SemanticTokens, SemanticTokensParams,
    SemanticTokensResult,
};

pub const TYPES: &[SemanticTokenType] = &[
    SemanticTokenType::FUNCTION,
    SemanticTokenType::VARIABLE,
    SemanticTokenType::PROPERTY,
    SemanticTokenType::ENUM,
    SemanticTokenType::ENUM_MEMBER,
    SemanticTokenType::TYPE,
    SemanticTokenType::PARAMETER,
    SemanticTokenType::STRING,
];

pub const MODIFIERS: &[SemanticTokenModifier] = &[
    SemanticTokenModifier::DECLARATION,
    SemanticTokenModifier::READONLY,
];

const DECLARATION: u32 = 1;
const READONLY: u32 = 2;

fn index(t: &SemanticTokenType) -> u32 {
    TYPES.iter().position(|x| x == t).unwrap_or(1) as u32
}

/// The token type and modifiers of what a target names.
fn classify(outline: &Outline, target: Target) -> Option<(u32, u32)> {
    match target {
        Target::Symbol { file, index: i } => {
            let (t, m) = match outline.symbol(file, i)?.kind {
                SymbolKind::Rule => (SemanticTokenType::FUNCTION, 0),
                SymbolKind::Table => (SemanticTokenType::VARIABLE, READONLY),
                SymbolKind::Fact => (SemanticTokenType::VARIABLE, READONLY),
                SymbolKind::Field | SymbolKind::Column => (SemanticTokenType::PROPERTY, 0),
                SymbolKind::Enum => (SemanticTokenType::ENUM, 0),
                SymbolKind::Variant => (SemanticTokenType::ENUM_MEMBER, 0),
                SymbolKind::Type => (SemanticTokenType::TYPE, 0),
                SymbolKind::Outcome | SymbolKind::Facts => (SemanticTokenType::STRING, 0),
                _ => return None,
            };
            Some((index(&t), m))
        }
        Target::Local { file, index: i } => {
            let t = match outline.local(file, i)?.kind {
                LocalKind::Parameter => SemanticTokenType::PARAMETER,
                _ => SemanticTokenType::VARIABLE,
            };
            Some((index(&t), READONLY))
        }
    }
}

pub fn full(
    server: &mut Server,
    p: SemanticTokensParams,
) -> Result<Option<SemanticTokensResult>, String> {
    let Some((analysis, file)) = document(server, &p.text_document.uri) else {
        return Ok(None);
    };
    let outline = &analysis.outline;
    let f = &outline.files()[file];
    let mut spans: Vec<(std::ops::Range<usize>, u32, u32)> = Vec::new();
    for r in &f.references {
        if let Some((t, m)) = classify(outline, r.target) {
            spans.push((r.range.clone(), t, m));
        }
    }
    for (i, s) in f.symbols.iter().enumerate() {
        if s.kind == SymbolKind::Outcome || s.kind == SymbolKind::Facts {
            continue;
        }
        if let Some((t, m)) = classify(outline, Target::Symbol { file, index: i }) {
            spans.push((s.name_range.clone(), t, m | DECLARATION));
        }
    }
    for (i, l) in f.locals.iter().enumerate() {
        if let Some((t, m)) = classify(outline, Target::Local { file, index: i }) {
            spans.push((l.range.clone(), t, m | DECLARATION));
        }
    }
    spans.sort_by_key(|(r, _, _)| (r.start, r.end));
    spans.dedup_by(|b, a| b.0.start < a.0.end);
    let lines = &analysis.lines[file];
    let mut data = Vec::with_capacity(spans.len());
    let (mut line, mut col) = (0u32, 0u32);
    for (range, t, m) in spans {
        let start = lines.position(range.start);
        let end = lines.position(range.end);
        if end.line != start.line {
            continue;
        }
        let delta_line = start.line - line;
        let delta_start = if delta_line == 0 {
            start.character - col
        } else {
            start.character
        };
        data.push(SemanticToken {
            delta_line,
            delta_start,
            length: end.character - start.character,
            token_type: t,
            token_modifiers_bitset: m,
        });
        (line, col) = (start.line, start.character);
    }
    Ok(Some(SemanticTokensResult::Tokens(SemanticTokens {
        result_id: None,
        data,
    })))
}
