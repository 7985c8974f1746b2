//! The source text behind rendered diagnostics. Each file's text is made safe to print and its
//! line starts are found once per rendering, for all its diagnostics: miette reads a span by
//! scanning its text from the start, so n diagnostics in one file cost n times the file (4,000
//! unknown names took 55 s). An [`Excerpt`] hands miette only the lines around a span, found by
//! binary search, with their line numbers in the whole file.

use miette::{MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};
use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

/// A file's text, safe to print, and where its lines start.
#[derive(Debug)]
struct Indexed {
    text: Arc<str>,
    /// The offset of each line's first byte. Lines end as miette ends them: at a line feed, a
    /// CR LF pair or a lone carriage return.
    line_starts: Vec<usize>,
}

impl Indexed {
    fn new(text: &Arc<str>) -> Indexed {
        let text = safe_text(text);
        let bytes = text.as_bytes();
        let mut line_starts = vec![0];
        for (i, &b) in bytes.iter().enumerate() {
            let ends = b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n'));
            if ends {
                line_starts.push(i + 1);
            }
        }
        Indexed { text, line_starts }
    }

    /// The 0-based line holding a byte offset.
    fn line_of(&self, offset: usize) -> usize {
        self.line_starts.partition_point(|&s| s <= offset) - 1
    }
}

/// The indexed files of one rendering, by the text they index.
#[derive(Default)]
pub struct Excerpts {
    files: HashMap<(usize, usize), Arc<Indexed>>,
}

impl Excerpts {
    /// The excerpt source of a file's text, indexed on first use.
    pub fn of(&mut self, name: &str, text: &Arc<str>) -> Excerpt {
        let key = (text.as_ptr() as usize, text.len());
        let file = self
            .files
            .entry(key)
            .or_insert_with(|| Arc::new(Indexed::new(text)))
            .clone();
        Excerpt {
            name: name.to_string(),
            file,
        }
    }
}

/// A file as miette reads it for one diagnostic.
#[derive(Debug)]
pub struct Excerpt {
    name: String,
    file: Arc<Indexed>,
}

impl Excerpt {
    /// The file's name, as diagnostics show it.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let text = &self.file.text;
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.file.line_of(offset);
        let start = self.file.line_starts[line];
        (line + 1, text[start..offset].chars().count() + 1)
    }
}

impl Excerpt {
    /// The lines miette needs to show a span with its context: from one line before the
    /// context to two past it, and the number of the first. miette finds the same lines in this
    /// window as in the whole text, since the window starts at a line start, and the span never
    /// starts the window unless it starts the text (miette reads an empty span at offset 0
    /// differently). Its size depends on those lines only, never on where they are in the file.
    fn window(&self, span: &SourceSpan, before: usize, after: usize) -> (usize, Range<usize>) {
        let starts = &self.file.line_starts;
        let first = self.file.line_of(span.offset()).saturating_sub(before + 1);
        let last = self.file.line_of(span.offset() + span.len()) + after + 2;
        let to = starts.get(last).copied().unwrap_or(self.file.text.len());
        (first, starts[first]..to)
    }
}

impl SourceCode for Excerpt {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let bytes = self.file.text.as_bytes();
        let end = span.offset() + span.len();
        if end > bytes.len() {
            return Err(MietteError::OutOfBounds);
        }
        let (first, window) = self.window(span, context_lines_before, context_lines_after);
        let from = window.start;
        let window = &bytes[window];
        let local = SourceSpan::new((span.offset() - from).into(), span.len());
        let inner = window.read_span(&local, context_lines_before, context_lines_after)?;
        let at = SourceSpan::new((inner.span().offset() + from).into(), inner.span().len());
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            at,
            inner.line() + first,
            inner.column(),
            // miette counts the line ends it read from the start of the text (and merges two
            // labels' excerpts by it): those before the window too.
            inner.line_count() + first,
        )))
    }
}

/// The text with control characters (other than newlines and tabs) replaced by `?`, byte for
/// byte, so offsets stay valid.
fn safe_text(text: &Arc<str>) -> Arc<str> {
    if !text
        .bytes()
        .any(|b| (b < 0x20 && b != b'\n' && b != b'\t' && b != b'\r') || b == 0x7f)
    {
        return text.clone();
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_control() && c != '\n' && c != '\t' && c != '\r' {
            // One `?` per byte keeps every offset in place.
            out.extend(std::iter::repeat_n('?', c.len_utf8()));
        } else {
            out.push(c);
        }
    }
    out.into()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The excerpt of every span reads as miette reads the whole text, lines numbered alike.
    #[test]
    fn excerpts_read_as_the_whole_text() {
        for text in [
            "a\nbb\r\nccc\rdd\n\neee\u{1b}f\nlast",
            "\n\r\nx\r\r\ny\n\n",
            "one line",
        ] {
            let text: Arc<str> = text.into();
            let excerpt = Excerpts::default().of("t.elg", &text);
            let whole = safe_text(&text);
            for start in 0..=text.len() {
                for len in 0..=(text.len() - start).min(8) {
                    let span = SourceSpan::new(start.into(), len);
                    for context in 0..3 {
                        let a = excerpt.read_span(&span, context, context);
                        let b = whole.as_bytes().read_span(&span, context, context);
                        let (a, b) = (a.map(|c| shown(&*c)), b.map(|c| shown(&*c)));
                        assert_eq!(
                            format!("{a:?}"),
                            format!("{b:?}"),
                            "{text:?}: span {start}+{len}, context {context}"
                        );
                    }
                }
            }
        }
    }

    /// What miette uses of a read span.
    fn shown(c: &dyn SpanContents) -> (Vec<u8>, usize, usize, usize, usize, usize) {
        let span = c.span();
        let at = (span.offset(), span.len());
        (
            c.data().to_vec(),
            at.0,
            at.1,
            c.line(),
            c.column(),
            c.line_count(),
        )
    }

    /// The work of one excerpt depends on its lines, not on the file: a span near the end of a
    /// file of 100,000 lines reads three lines, and the file is indexed once for all its errors.
    #[test]
    fn an_excerpt_reads_its_lines_only() {
        let text: Arc<str> = "outcome \"o\" = nope\n".repeat(100_000).into();
        let mut excerpts = Excerpts::default();
        for _ in 0..3 {
            let excerpt = excerpts.of("big.elg", &text);
            let span = SourceSpan::new((text.len() - 5).into(), 4);
            let (first, window) = excerpt.window(&span, 1, 1);
            assert_eq!(first, 99_997);
            assert_eq!(window.len(), 3 * 19, "{window:?}");
            let read = excerpt.read_span(&span, 1, 1).unwrap();
            assert_eq!(read.line(), 99_998);
            assert_eq!(read.data(), "outcome \"o\" = nope\n".repeat(2).as_bytes());
        }
        assert_eq!(excerpts.files.len(), 1);
    }

    #[test]
    fn line_col_counts_characters() {
        let text: Arc<str> = "ab\nçd\nef".into();
        let excerpt = Excerpts::default().of("t", &text);
        assert_eq!(excerpt.line_col(0), (1, 1));
        assert_eq!(excerpt.line_col(3), (2, 1));
        assert_eq!(excerpt.line_col(5), (2, 2));
        assert_eq!(excerpt.line_col(8), (3, 2));
    }
}
