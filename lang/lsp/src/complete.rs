//! Completion: the names visible where the cursor is (locals, rules, tables, enums, types, the
//! facts' fields, enum variants, built-ins with their signatures), snippets for criteria blocks,
//! and after a dot the fields of the value before it (`it.` the element's of the list a `where`
//! or `group by` filters), an enum's variants or an aliased module's names.

use crate::features::at;
use crate::hover::describe;

use crate::server::Server;
use eligo::{Outline, Policies, SymbolKind, Ty, BUILTIN_SIGNATURES};
use lsp_types::{
    CompletionItem, CompletionItemKind, CompletionParams, CompletionResponse, Documentation,
    InsertTextFormat, MarkupContent, MarkupKind,
};

const SNIPPETS: &[(&str, &str, &str)] = &[
    ("any", "any {\n  \"${1:label}\": ${2:condition},\n  \"${3:label}\": ${4:condition}\n}", "any { … }: at least one labelled criterion holds"),
    ("all", "all {\n  \"${1:label}\": ${2:condition},\n  \"${3:label}\": ${4:condition}\n}", "all { … }: every labelled criterion holds"),
    ("at least", "at least ${1:2} of {\n  \"${2:label}\": ${3:condition},\n  \"${4:label}\": ${5:condition}\n}", "at least N of { … }"),
    ("if", "if ${1:condition} then ${2:value} else ${3:value}", "if … then … else …"),
    ("let", "let ${1:name} = ${2:value};\n${3:body}", "let … = …; …"),
];

const KEYWORDS: &[&str] = &[
    "rule",
    "outcome",
    "table",
    "enum",
    "type",
    "facts",
    "use",
    "where",
    "group by",
    "in",
    "within",
    "otherwise",
    "is none",
    "is some",
    "not",
    "and",
    "or",
    "true",
    "false",
    "none",
    "trailing",
    "between",
    "points",
    "score max",
    "each",
    "per",
];

pub fn complete(
    server: &mut Server,
    p: CompletionParams,
) -> Result<Option<CompletionResponse>, String> {
    let position = &p.text_document_position;
    let Some(at) = at(server, &position.text_document.uri, position.position) else {
        return Ok(None);
    };
    let text = at.analysis.lines[at.file].text();
    let before = &text[..at.offset.min(text.len())];
    let word = before
        .trim_end_matches(|c: char| c.is_ascii_alphanumeric() || c == '_')
        .len();
    let outline = &at.analysis.outline;
    let policies = at.analysis.usable.as_ref();
    let items = if before[..word].ends_with('.') {
        members(outline, at.file, policies, &before[..word - 1])
    } else {
        names(outline, at.file, at.offset)
    };
    Ok(Some(CompletionResponse::Array(items)))
}

fn item(
    label: &str,
    kind: CompletionItemKind,
    detail: String,
    docs: Option<String>,
) -> CompletionItem {
    CompletionItem {
        label: label.to_string(),
        kind: Some(kind),
        detail: Some(detail),
        documentation: docs.filter(|d| !d.is_empty()).map(|d| {
            Documentation::MarkupContent(MarkupContent {
                kind: MarkupKind::Markdown,
                value: d,
            })
        }),
        ..CompletionItem::default()
    }
}

fn item_kind(k: SymbolKind) -> CompletionItemKind {
    match k {
        SymbolKind::Rule => CompletionItemKind::FUNCTION,
        SymbolKind::Table => CompletionItemKind::CONSTANT,
        SymbolKind::Enum => CompletionItemKind::ENUM,
        SymbolKind::Variant => CompletionItemKind::ENUM_MEMBER,
        SymbolKind::Type => CompletionItemKind::STRUCT,
        SymbolKind::Fact => CompletionItemKind::VARIABLE,
        _ => CompletionItemKind::FIELD,
    }
}

/// Everything a bare name can be here.
fn names(outline: &Outline, file: usize, offset: usize) -> Vec<CompletionItem> {
    let mut out = Vec::new();
    if let Some(f) = outline.files().get(file) {
        for l in f
            .locals
            .iter()
            .filter(|l| l.scope.start <= offset && offset <= l.scope.end)
        {
            let detail = l.detail.clone().unwrap_or_else(|| "local".into());
            out.push(item(&l.name, CompletionItemKind::VARIABLE, detail, None));
        }
    }
    for (_, s) in outline.visible(file) {
        let kind = item_kind(s.kind);
        out.push(item(
            &s.name,
            kind,
            s.detail.clone(),
            Some(describe(s, None)),
        ));
        if s.kind == SymbolKind::Enum {
            for (_, v) in outline.symbols().filter(|(_, v)| {
                v.kind == SymbolKind::Variant && v.container.as_deref() == Some(&*s.name)
            }) {
                out.push(item(
                    &v.name,
                    kind_variant(),
                    v.detail.clone(),
                    Some(describe(v, None)),
                ));
            }
        }
    }
    for (name, signature, what) in BUILTIN_SIGNATURES {
        let kind = if *name == "as_of" {
            CompletionItemKind::CONSTANT
        } else {
            CompletionItemKind::FUNCTION
        };
        out.push(item(
            name,
            kind,
            signature.to_string(),
            Some(what.to_string()),
        ));
    }
    for (label, body, what) in SNIPPETS {
        let mut i = item(label, CompletionItemKind::SNIPPET, what.to_string(), None);
        i.insert_text = Some(body.to_string());
        i.insert_text_format = Some(InsertTextFormat::SNIPPET);
        out.push(i);
    }
    for k in KEYWORDS {
        out.push(item(k, CompletionItemKind::KEYWORD, "keyword".into(), None));
    }
    out
}

fn kind_variant() -> CompletionItemKind {
    CompletionItemKind::ENUM_MEMBER
}

/// What can follow `chain.`.
fn members(
    outline: &Outline,
    file: usize,
    policies: Option<&Policies>,
    before: &str,
) -> Vec<CompletionItem> {
    let chain = chain_before(before);
    let f = &outline.files()[file];
    // `Enum.` → its variants; `alias.` → the module's names.
    let variants: Vec<CompletionItem> = outline
        .symbols()
        .filter(|(_, s)| s.kind == SymbolKind::Variant && s.container.as_deref() == Some(chain))
        .map(|(_, s)| {
            item(
                &s.name,
                kind_variant(),
                s.detail.clone(),
                Some(describe(s, None)),
            )
        })
        .collect();
    if !variants.is_empty() {
        return variants;
    }
    if let Some((_, module)) = f.aliases.iter().find(|(a, _)| a == chain) {
        let target = outline.files().iter().position(|g| g.module == *module);
        if let Some(t) = target {
            return outline.files()[t]
                .symbols
                .iter()
                .filter(|s| {
                    matches!(
                        s.kind,
                        SymbolKind::Rule | SymbolKind::Table | SymbolKind::Enum | SymbolKind::Type
                    )
                })
                .map(|s| {
                    item(
                        &s.name,
                        item_kind(s.kind),
                        s.detail.clone(),
                        Some(describe(s, None)),
                    )
                })
                .collect();
        }
    }
    // `it.…` is the element of the list a `where` or `group by` filters.
    let (expression, names) = match chain.strip_prefix("it") {
        Some(rest) if rest.is_empty() || rest.starts_with('.') => {
            let start = before.len() - chain.len();
            let Some(list) = filtered_list(&before[..start]) else {
                return Vec::new();
            };
            (format!("({list}){rest}"), format!("{list}{rest}"))
        }
        _ => (chain.to_string(), chain.to_string()),
    };
    let found = policies.map(|p| fields(p, &expression)).unwrap_or_default();
    if !found.is_empty() {
        return found;
    }
    // The policies do not compile (or the chain reads locals): by the written types.
    let names: Vec<&str> = names.split('.').collect();
    if names
        .iter()
        .any(|n| n.is_empty() || !n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
    {
        return Vec::new();
    }
    outline
        .members(file, &names)
        .into_iter()
        .map(|s| {
            item(
                &s.name,
                item_kind(s.kind),
                s.detail.clone(),
                Some(describe(s, None)),
            )
        })
        .collect()
}

/// The fields of the record an expression's value holds (through lists and options).
fn fields(policies: &Policies, expression: &str) -> Vec<CompletionItem> {
    let prelude = policies.prelude();
    let Ok(e) = policies.expression(&prelude, &[], expression, 0..expression.len()) else {
        return Vec::new();
    };
    let mut ty = e.ty().clone();
    loop {
        ty = match ty {
            Ty::List(inner) | Ty::Opt(inner) => (*inner).clone(),
            Ty::Record(record) => {
                return record
                    .fields
                    .iter()
                    .map(|f| item(&f.name, CompletionItemKind::FIELD, f.ty.to_string(), None))
                    .collect();
            }
            _ => return Vec::new(),
        };
    }
}

/// The postfix chain that ends a text: `program.designations`, `(a where b).c`, `t[k].f`.
fn chain_before(text: &str) -> &str {
    let bytes = text.as_bytes();
    let mut i = bytes.len();
    let mut depth = 0i32;
    while i > 0 {
        let c = bytes[i - 1];
        match c {
            b')' | b']' => depth += 1,
            b'(' | b'[' if depth > 0 => depth -= 1,
            b'(' | b'[' => break,
            _ if depth > 0 => {}
            c if c.is_ascii_alphanumeric() || c == b'_' || c == b'.' => {}
            _ => break,
        }
        i -= 1;
    }
    text[i..].trim_start_matches('.')
}

/// The list a `where` or `group by` filters, when `it` is written after it: the chain before the
/// nearest `where`/`group by` outside the brackets closed before the cursor.
fn filtered_list(text: &str) -> Option<&str> {
    let bytes = text.as_bytes();
    let mut depth = 0i32;
    let mut i = bytes.len();
    while i > 0 {
        let after_is_space = i == bytes.len() || bytes[i].is_ascii_whitespace();
        if depth == 0 && after_is_space {
            for keyword in ["where", "group by"] {
                let Some(head) = text[..i].strip_suffix(keyword) else {
                    continue;
                };
                if head.ends_with(|c: char| c.is_whitespace() || c == ')') {
                    let list = chain_before(head.trim_end());
                    return (!list.is_empty()).then_some(list);
                }
            }
        }
        match bytes[i - 1] {
            b')' | b']' | b'}' => depth += 1,
            b'(' | b'[' | b'{' => depth = (depth - 1).max(0),
            _ => {}
        }
        i -= 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chains_and_filtered_lists() {
        assert_eq!(
            chain_before("x = program.designations"),
            "program.designations"
        );
        assert_eq!(chain_before("max((a where b).c"), "(a where b).c");
        assert_eq!(filtered_list("rule r = program.designations"), None);
        assert_eq!(
            filtered_list("rule r = (a where it.x).y where "),
            Some("(a where it.x).y")
        );
        assert_eq!(
            filtered_list("rule r = program.designations where "),
            Some("program.designations")
        );
        assert_eq!(
            filtered_list("count(people where it.active and "),
            Some("people")
        );
    }
}
