//! Turning [`Error`]s into miette reports, with the source excerpt they point into.

use super::{text, Error, Location};
use crate::source::SourceMap;
use miette::{Diagnostic, LabeledSpan, NamedSource, SourceSpan};
use std::fmt;
use std::sync::Arc;

/// An error ready to show: words written, source attached.
#[derive(Debug)]
pub struct Rendered {
    code: &'static str,
    message: String,
    help: Option<String>,
    source: Option<NamedSource<Arc<str>>>,
    labels: Vec<LabeledSpan>,
}

impl fmt::Display for Rendered {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Rendered {}

impl Diagnostic for Rendered {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(self.code))
    }
    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }
    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.source.as_ref().map(|s| s as &dyn miette::SourceCode)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if self.labels.is_empty() {
            None
        } else {
            Some(Box::new(self.labels.iter().cloned()))
        }
    }
}

impl Error {
    /// Writes the error's words and attaches its source.
    pub fn render(&self, sources: &SourceMap) -> Rendered {
        let mut message = text::message(&self.kind);
        let mut labels = Vec::new();
        let source = match &self.location {
            Location::None => None,
            Location::Path(p) => {
                message = format!("{p}: {message}");
                None
            }
            Location::Policy(span) => {
                let file = sources.get(span.source);
                labels.push(LabeledSpan::new_primary_with_span(
                    Some(text::label(&self.kind)),
                    SourceSpan::new((span.start as usize).into(), span.len()),
                ));
                for (s, note) in &self.notes {
                    if s.source == span.source {
                        labels.push(LabeledSpan::new_with_span(
                            Some(note.clone()),
                            SourceSpan::new((s.start as usize).into(), s.len()),
                        ));
                    }
                }
                Some(NamedSource::new(file.name.clone(), file.text.clone()))
            }
            Location::File {
                name,
                text: t,
                offset,
            } => {
                let len = usize::from(*offset < t.len());
                labels.push(LabeledSpan::new_primary_with_span(
                    Some(text::label(&self.kind)),
                    SourceSpan::new((*offset).into(), len),
                ));
                Some(NamedSource::new(name.clone(), t.clone()))
            }
        };
        // Notes in other files than the primary label are written into the help instead.
        let mut help = text::help(&self.kind);
        if let Location::Policy(span) = &self.location {
            for (s, note) in &self.notes {
                if s.source != span.source {
                    let file = sources.get(s.source);
                    let (line, col) = sources.line_col(*s);
                    let extra = format!("{note} at {}:{line}:{col}", file.name);
                    help = Some(match help {
                        Some(h) => format!("{h}\n{extra}"),
                        None => extra,
                    });
                }
            }
        }
        Rendered {
            code: self.code(),
            message,
            help,
            source,
            labels,
        }
    }
}

/// Renders errors as a person reads them, without colour: for snapshots and non-terminals.
pub fn render_plain(errors: &[Error], sources: &SourceMap) -> String {
    render_all(errors, sources, false)
}

/// Renders errors, with colour when asked.
pub fn render_all(errors: &[Error], sources: &SourceMap, colour: bool) -> String {
    let theme = if colour {
        miette::GraphicalTheme::unicode()
    } else {
        miette::GraphicalTheme::unicode_nocolor()
    };
    let handler = miette::GraphicalReportHandler::new_themed(theme)
        .with_width(100)
        .with_links(false);
    let mut out = String::new();
    for e in errors {
        let r = e.render(sources);
        // INVARIANT: writing into a String cannot fail.
        let _ = handler.render_report(&mut out, &r);
    }
    out
}
