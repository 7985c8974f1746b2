//! Hover: a declaration's signature, doc comment and `@source` citations, and its live value.

use crate::features::at_params;
use crate::live::Live;
use crate::server::Server;
use eligo::{LocalKind, Policies, Symbol, SymbolKind, Target};
use lsp_types::{Hover, HoverContents, HoverParams, MarkupContent, MarkupKind};

pub fn hover(server: &mut Server, p: HoverParams) -> Result<Option<Hover>, String> {
    let Some(at) = at_params(server, &p.text_document_position_params) else {
        return Ok(None);
    };
    let outline = &at.analysis.outline;
    let Some(target) = outline.target_at(at.file, at.offset) else {
        return Ok(None);
    };
    let text = match target {
        Target::Symbol { file, index } => {
            let Some(symbol) = outline.symbol(file, index) else {
                return Ok(None);
            };
            let mut text = describe(symbol, at.analysis.usable.as_ref());
            if let Some(policies) = at.analysis.policies() {
                text.push_str(&value(symbol, policies, at.analysis.live()));
            }
            text
        }
        Target::Local { file, index } => {
            let Some(local) = outline.local(file, index) else {
                return Ok(None);
            };
            let kind = match local.kind {
                LocalKind::Parameter => "parameter",
                LocalKind::Let => "let",
                _ => "binding",
            };
            match &local.detail {
                Some(ty) => format!("```eligo\n({kind}) {}: {ty}\n```", local.name),
                None => format!("```eligo\n({kind}) {}\n```", local.name),
            }
        }
    };
    let range = outline
        .files()
        .get(at.file)
        .and_then(|f| {
            f.references
                .iter()
                .map(|r| &r.range)
                .chain(f.symbols.iter().map(|s| &s.name_range))
                .find(|r| r.start <= at.offset && at.offset <= r.end)
        })
        .map(|r| at.analysis.lines[at.file].range(r));
    Ok(Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: text,
        }),
        range,
    }))
}

/// The signature (with the checked type of an outcome), the doc comment and the citations.
pub fn describe(symbol: &Symbol, policies: Option<&Policies>) -> String {
    let mut text = format!("```eligo\n{}\n```\n", symbol.detail);
    if symbol.kind == SymbolKind::Outcome {
        let ty = policies.and_then(|p| {
            p.outcomes()
                .find(|o| matches_template(&symbol.name, o.id()))
                .map(|o| o.ty().to_string())
        });
        if let Some(ty) = ty {
            text.push_str(&format!("type: `{ty}`\n"));
        }
    }
    if !symbol.docs.is_empty() {
        text.push('\n');
        text.push_str(&symbol.docs.join("\n"));
        text.push('\n');
    }
    if !symbol.sources.is_empty() {
        text.push_str("\n**Sources**\n");
        for s in &symbol.sources {
            text.push_str(&format!("- {s}\n"));
        }
    }
    text
}

/// Whether an outcome id is one an id template (`capability_score.{area}`) makes.
pub fn matches_template(template: &str, id: &str) -> bool {
    match template.split_once('{') {
        None => template == id,
        Some((before, rest)) => {
            let after = rest.split_once('}').map_or("", |(_, a)| a);
            id.len() > before.len() + after.len() && id.starts_with(before) && id.ends_with(after)
        }
    }
}

/// The live value of a rule, an outcome or a fact, when live values are on.
fn value(symbol: &Symbol, policies: &Policies, live: &Live) -> String {
    if !live.is_on() {
        return String::new();
    }
    let values: Vec<(Option<String>, String)> = match symbol.kind {
        SymbolKind::Rule => live.rules.get(&symbol.name).cloned().unwrap_or_default(),
        SymbolKind::Outcome => live.outcome_values(&symbol.name),
        SymbolKind::Fact => fact_value(&symbol.name, policies, live)
            .map(|v| vec![(None, v)])
            .unwrap_or_default(),
        _ => Vec::new(),
    };
    if values.is_empty() {
        return String::new();
    }
    let partner = live.partner.as_deref().unwrap_or("the partner");
    let date = live.as_of.map(|d| d.to_string()).unwrap_or_default();
    let mut text = format!("\n**Value** for `{partner}` as of {date}:");
    if let [(None, v)] = values.as_slice() {
        text.push_str(&format!(" `{v}`\n"));
    } else {
        text.push('\n');
        for (arg, v) in values {
            text.push_str(&format!("- {}: `{v}`\n", arg.unwrap_or_default()));
        }
    }
    text
}

fn fact_value(name: &str, policies: &Policies, live: &Live) -> Option<String> {
    let prelude = policies.prelude();
    let e = policies
        .expression(&prelude, &[], name, 0..name.len())
        .ok()?;
    let v = e.evaluate(live.facts.as_ref(), live.as_of?).ok()?;
    Some(crate::live::or_error(e.display(&v)))
}
