//! Every error and warning of `eligo check` for a policy folder (and the problems of its project
//! file and live-values facts), as the protocol's diagnostics, file by file.

use crate::analysis::Analysis;
use crate::lines::Lines;
use crate::uris;
use lsp_types::{
    Diagnostic, DiagnosticRelatedInformation, DiagnosticSeverity, Location, NumberOrString,
    Position, PublishDiagnosticsParams, Range,
};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The diagnostics of every file of the folder (an empty list for a file without any, so that
/// the editor clears what it showed).
pub fn of_folder(analysis: &Analysis) -> BTreeMap<PathBuf, Vec<Diagnostic>> {
    let mut out: BTreeMap<PathBuf, Vec<Diagnostic>> = analysis
        .paths
        .iter()
        .map(|p| (p.clone(), Vec::new()))
        .collect();
    let mut all: Vec<eligo::Diagnostic> = Vec::new();
    if let Some(e) = &analysis.read_error {
        all.extend(e.diagnostics().iter());
    }
    match &analysis.compiled {
        Err(e) => all.extend(e.diagnostics().iter()),
        // Policies that compile may still have warnings (unused rules, thresholds out of reach).
        Ok(p) => all.extend(p.warnings().iter()),
    }
    for d in &all {
        let (path, diagnostic) = convert(analysis, d);
        out.entry(path).or_default().push(diagnostic);
    }
    out
}

/// A file's diagnostics as the params of `textDocument/publishDiagnostics` (none for a path
/// that is not a URI).
pub fn params(path: &Path, list: Vec<Diagnostic>) -> Option<serde_json::Value> {
    let uri = uris::from_path(path)?;
    serde_json::to_value(PublishDiagnosticsParams::new(uri, list, None)).ok()
}

/// The problems of live values: the project file's and the facts file's diagnostics.
pub fn of_live(analysis: &Analysis) -> BTreeMap<PathBuf, Vec<Diagnostic>> {
    let mut out: BTreeMap<PathBuf, Vec<Diagnostic>> = BTreeMap::new();
    for d in &analysis.live().problems {
        let (path, diagnostic) = convert(analysis, d);
        out.entry(path).or_default().push(diagnostic);
    }
    out
}

/// A diagnostic and the file it belongs to: its primary label's, else the file it names, else
/// the folder's first file.
pub fn convert(analysis: &Analysis, d: &eligo::Diagnostic) -> (PathBuf, Diagnostic) {
    let primary = d.labels.iter().find(|l| l.primary);
    let (path, range) = match primary {
        Some(l) => (resolve(analysis, &l.file), locate(analysis, l)),
        None => {
            let path = d.file.as_deref().map(|f| resolve(analysis, f));
            let fallback = analysis.paths.first().cloned().unwrap_or_default();
            (path.unwrap_or(fallback), Range::default())
        }
    };
    let related: Vec<DiagnosticRelatedInformation> = d
        .labels
        .iter()
        .filter(|l| !l.primary)
        .filter_map(|l| {
            let uri = uris::from_path(&resolve(analysis, &l.file))?;
            Some(DiagnosticRelatedInformation {
                location: Location::new(uri, locate(analysis, l)),
                message: l.text.clone(),
            })
        })
        .collect();
    let mut message = d.message.clone();
    if let Some(help) = &d.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    let severity = match d.severity {
        eligo::Severity::Warning => DiagnosticSeverity::WARNING,
        _ => DiagnosticSeverity::ERROR,
    };
    let diagnostic = Diagnostic {
        range,
        severity: Some(severity),
        code: Some(NumberOrString::String(d.code.to_string())),
        source: Some("eligo".to_string()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        ..Diagnostic::default()
    };
    (path, diagnostic)
}

/// A label's file: a policy file's name is relative to the folder; other files (facts, the
/// project file) are named by their path.
fn resolve(analysis: &Analysis, file: &str) -> PathBuf {
    let p = Path::new(file);
    if p.is_absolute() {
        p.to_path_buf()
    } else {
        analysis.folder.join(p)
    }
}

fn locate(analysis: &Analysis, label: &eligo::Label) -> Range {
    let path = resolve(analysis, &label.file);
    if let Some(i) = analysis.file_index(&path) {
        return analysis.lines[i].range(&label.range);
    }
    // Another file (the facts, the project file): from its text when it can be read within the
    // facts' size limit (the larger of the two).
    match eligo::read_facts_text(&path) {
        Ok((_, text)) => Lines::new(&text).range(&label.range),
        Err(_) => {
            let at = Position::new(
                label.line.saturating_sub(1) as u32,
                label.column.saturating_sub(1) as u32,
            );
            Range::new(at, at)
        }
    }
}
