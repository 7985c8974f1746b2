//! Turning [`Error`]s into miette reports, with the source excerpt they point into.

use super::excerpt::{Excerpt, Excerpts};
use super::{text, Error, Location};
use crate::source::SourceMap;
use miette::{Diagnostic, LabeledSpan, SourceSpan};
use std::fmt;
use std::sync::Arc;

/// An error ready to show: words written, source attached.
#[derive(Debug)]
pub struct Rendered {
    code: &'static str,
    warning: bool,
    message: String,
    help: Option<String>,
    source: Option<Excerpt>,
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
    fn severity(&self) -> Option<miette::Severity> {
        self.warning.then_some(miette::Severity::Warning)
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
    /// Writes the error's words and attaches its source. Excerpts are kept small and safe: a
    /// label covers at most the rest of its first line, a line too long to show (minified JSON,
    /// a hostile file) is replaced by its position, and control characters are shown as `?` so
    /// a file cannot send escape sequences to the terminal.
    pub fn render(&self, sources: &SourceMap) -> Rendered {
        self.render_with(sources, &mut Excerpts::default())
    }

    /// [`Error::render`], with the files' indexes kept in `excerpts` for the next errors.
    fn render_with(&self, sources: &SourceMap, excerpts: &mut Excerpts) -> Rendered {
        let mut message = text::message(&self.kind);
        let mut help = text::help(&self.kind);
        let mut labels = Vec::new();
        let mut source = None;
        let excerpt = |source: &Excerpt,
                       text: &Arc<str>,
                       start: usize,
                       len: usize,
                       label: String,
                       primary: bool,
                       labels: &mut Vec<LabeledSpan>|
         -> Option<String> {
            // A position inside a multi-byte character (a truncated file) moves back to its start.
            let mut start = start.min(text.len());
            while !text.is_char_boundary(start) {
                start -= 1;
            }
            let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
            let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
            if line_end - line_start > MAX_SHOWN_LINE {
                let (line, col) = source.line_col(start);
                return Some(format!(
                    "at {}:{line}:{col} (the line is too long to show)",
                    source.name()
                ));
            }
            let mut end = (start + len).min(line_end);
            while !text.is_char_boundary(end) {
                end += 1;
            }
            let len = end - start;
            let span = SourceSpan::new(start.into(), len);
            labels.push(if primary {
                LabeledSpan::new_primary_with_span(Some(label), span)
            } else {
                LabeledSpan::new_with_span(Some(label), span)
            });
            None
        };
        let mut too_long = None;
        match &self.location {
            Location::None => {}
            Location::Path(p) => {
                if !message.contains(p.as_str()) {
                    message = format!("{p}: {message}");
                }
            }
            Location::Policy(span) => {
                let file = sources.get(span.source);
                let shown = excerpts.of(&file.name, &file.text);
                too_long = excerpt(
                    &shown,
                    &file.text,
                    span.start as usize,
                    span.len(),
                    text::label(&self.kind),
                    true,
                    &mut labels,
                );
                if too_long.is_none() {
                    for (s, note) in &self.notes {
                        if s.source == span.source {
                            let _ = excerpt(
                                &shown,
                                &file.text,
                                s.start as usize,
                                s.len(),
                                note.clone(),
                                false,
                                &mut labels,
                            );
                        }
                    }
                    source = Some(shown);
                }
            }
            Location::File {
                name,
                text: t,
                offset,
                len,
            } => {
                let shown = excerpts.of(name, t);
                too_long = excerpt(
                    &shown,
                    t,
                    *offset,
                    *len,
                    text::label(&self.kind),
                    true,
                    &mut labels,
                );
                if too_long.is_none() {
                    source = Some(shown);
                }
            }
        }
        if let Some(at) = too_long {
            labels.clear();
            help = Some(match help {
                Some(h) => format!("{at}\n{h}"),
                None => at,
            });
        }
        // Notes in other files than the primary label are written into the help instead.
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
            warning: self.kind.is_warning(),
            message,
            help,
            source,
            labels,
        }
    }
}

/// Longest source line shown in an excerpt, in bytes.
const MAX_SHOWN_LINE: usize = 2_000;

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
        .with_wrap_lines(false)
        .with_links(false);
    let mut out = String::new();
    let mut excerpts = Excerpts::default();
    for e in errors {
        let r = e.render_with(sources, &mut excerpts);
        // INVARIANT: writing into a String cannot fail.
        let _ = handler.render_report(&mut out, &r);
    }
    out
}
