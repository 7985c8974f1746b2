//! Live values in the editor: inlay hints with each rule's, outcome's and labelled criterion's
//! value (and a failed criterion's shortfall) for the chosen facts and date, and a code lens on
//! each outcome that opens its explanation (the `eligo.explain` command).

use crate::capabilities::EXPLAIN;
use crate::features::document;
use crate::live::{CriterionValue, Live};
use crate::server::Server;
use crate::uris;
use eligo::{ExplainOptions, SymbolKind};
use lsp_types::{
    CodeLens, CodeLensParams, Command, ExecuteCommandParams, InlayHint, InlayHintLabel,
    InlayHintParams, Position, Range, Uri,
};
use serde_json::Value;
use std::str::FromStr;

/// Values longer than this are cut (the hover shows them whole).
const MAX_HINT_CHARS: usize = 60;

fn cut(text: &str) -> String {
    if text.chars().count() <= MAX_HINT_CHARS {
        return text.to_string();
    }
    let cut: String = text.chars().take(MAX_HINT_CHARS - 1).collect();
    format!("{cut}…")
}

fn hint(position: Position, label: String) -> InlayHint {
    InlayHint {
        position,
        label: InlayHintLabel::String(label),
        kind: None,
        text_edits: None,
        tooltip: None,
        padding_left: Some(true),
        padding_right: None,
        data: None,
    }
}

/// `= v`, or `security: v · data_ai: v` for one value per argument.
fn values_label(values: &[(Option<String>, String)]) -> String {
    match values {
        [(None, v)] => format!("= {}", cut(v)),
        _ => values
            .iter()
            .map(|(a, v)| format!("{}: {}", a.as_deref().unwrap_or(""), cut(v)))
            .collect::<Vec<_>>()
            .join(" · "),
    }
}

fn criterion_label(values: &[CriterionValue]) -> String {
    let one = |v: &CriterionValue| {
        let mark = match v.passed {
            Some(true) => "✓ ",
            Some(false) => "✗ ",
            None => "",
        };
        let mut s = format!("{mark}{}", cut(&v.value));
        if let Some(short) = v.shortfalls.first() {
            s.push_str(&format!(" ({short})"));
        }
        match &v.args {
            Some(a) => format!("{a}: {s}"),
            None => s,
        }
    };
    values.iter().map(one).collect::<Vec<_>>().join(" · ")
}

fn within(range: &Range, p: Position) -> bool {
    range.start <= p && p <= range.end
}

pub fn inlay_hints(
    server: &mut Server,
    p: InlayHintParams,
) -> Result<Option<Vec<InlayHint>>, String> {
    let Some((analysis, file)) = document(server, &p.text_document.uri) else {
        return Ok(None);
    };
    let live: &Live = analysis.live();
    if !live.is_on() || analysis.policies().is_none() {
        return Ok(Some(Vec::new()));
    }
    let lines = &analysis.lines[file];
    let outline = &analysis.outline.files()[file];
    let mut out = Vec::new();
    for s in &outline.symbols {
        let values = match s.kind {
            SymbolKind::Rule => live.rules.get(&s.name).cloned().unwrap_or_default(),
            SymbolKind::Outcome => live.outcome_values(&s.name),
            _ => continue,
        };
        if values.is_empty() {
            continue;
        }
        let at = lines.line_end(s.name_range.start);
        if within(&p.range, at) {
            let mut label = values_label(&values);
            // A header that ends in `=` (the body on the next lines) says it already.
            let header = &lines.text()[..lines.offset(at)];
            if header.trim_end().ends_with('=') {
                label = label
                    .strip_prefix("= ")
                    .map_or(label.clone(), str::to_string);
            }
            out.push(hint(at, label));
        }
    }
    for c in &outline.criteria {
        let place = (file as u32, c.range.end as u32);
        let values = live.criterion_values(&c.owner, c.in_outcome, place);
        if values.is_empty() {
            continue;
        }
        let at = lines.position(c.range.end);
        if within(&p.range, at) {
            out.push(hint(at, criterion_label(&values)));
        }
    }
    out.sort_by_key(|h| h.position);
    Ok(Some(out))
}

/// The outcomes an outcome declaration makes, as `--outcome` selects them: its id, or for a
/// family (`designation_held.{area}`) the prefix before the placeholder.
fn pattern(template: &str) -> String {
    match template.split_once('{') {
        Some((before, _)) => before.trim_end_matches('.').to_string(),
        None => template.to_string(),
    }
}

pub fn code_lenses(
    server: &mut Server,
    p: CodeLensParams,
) -> Result<Option<Vec<CodeLens>>, String> {
    let Some((analysis, file)) = document(server, &p.text_document.uri) else {
        return Ok(None);
    };
    let live = analysis.live();
    let lines = &analysis.lines[file];
    let mut out = Vec::new();
    for s in analysis.outline.files()[file]
        .symbols
        .iter()
        .filter(|s| s.kind == SymbolKind::Outcome)
    {
        let values = live.outcome_values(&s.name);
        let title = match values.as_slice() {
            [] => "explain".to_string(),
            [(None, v)] => format!("explain: {}", cut(v)),
            many => format!("explain the {} outcomes", many.len()),
        };
        let arguments = vec![
            Value::String(pattern(&s.name)),
            Value::String(p.text_document.uri.as_str().to_string()),
        ];
        out.push(CodeLens {
            range: lines.range(&s.name_range),
            command: Some(Command {
                title,
                command: EXPLAIN.to_string(),
                arguments: Some(arguments),
            }),
            data: None,
        });
    }
    Ok(Some(out))
}

/// `eligo.explain [pattern, document uri]`: the explanation as text, also written to a file the
/// client is asked to show.
pub fn execute(server: &mut Server, p: ExecuteCommandParams) -> Result<Option<Value>, String> {
    if p.command != EXPLAIN {
        return Err(format!("unknown command `{}`", p.command));
    }
    let arg = |i: usize| {
        p.arguments
            .get(i)
            .and_then(Value::as_str)
            .map(str::to_string)
    };
    let pattern = arg(0).ok_or("eligo.explain needs an outcome id or prefix")?;
    let uri = arg(1)
        .and_then(|u| Uri::from_str(&u).ok())
        .ok_or("eligo.explain needs the policy file's URI")?;
    let show = server.can_show_document();
    let text = {
        let Some((analysis, _)) = document(server, &uri) else {
            return Err("the file is not a policy file of an open folder".into());
        };
        let policies = analysis
            .policies()
            .ok_or("the policies have errors: fix them to explain an outcome")?;
        let live = analysis.live();
        let (Some(facts), Some(as_of)) = (&live.facts, live.as_of) else {
            return Err("no facts for live values: set `eligo.liveValues.factsFile`, or `facts` under `[live]` in eligo.toml".into());
        };
        let selection = policies
            .select(&[pattern.as_str()])
            .map_err(|e| e.to_string())?;
        let explanations = policies
            .explain(facts, &selection, as_of, &ExplainOptions::new())
            .map_err(|e| e.to_string())?;
        explanations.text(false)
    };
    if show {
        let dir = std::env::temp_dir().join(format!("eligo-explain-{}", std::process::id()));
        let file = dir.join(format!("{pattern}.txt"));
        let written = std::fs::create_dir_all(&dir).and_then(|()| std::fs::write(&file, &text));
        if let (Ok(()), Some(target)) = (written, uris::from_path(&file)) {
            let params = serde_json::json!({"uri": target.as_str(), "takeFocus": true});
            server.ask("window/showDocument", params);
        }
    }
    Ok(Some(Value::String(text)))
}
