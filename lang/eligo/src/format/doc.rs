//! A small Wadler-style document algebra and its renderer.
//!
//! A [`Doc`] describes text with optional line breaks; a [`Doc::Group`] is laid out flat (every
//! [`Line`] a space or nothing) when it fits in the remaining width, and broken (every direct
//! `Line` a newline) otherwise. Two additions carry comments: [`Doc::LineSuffix`] (a trailing
//! comment, written at the end of the current line) and [`Doc::Comment`] (a comment on a line of
//! its own). Indentation is written lazily, so lines never end in spaces.

/// How a [`Doc::Line`] behaves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Line {
    /// Nothing when flat, a newline when broken.
    Soft,
    /// A space when flat, a newline when broken.
    Space,
    /// Always a newline; breaks every enclosing group.
    Hard,
    /// An empty line (at most one in a row); breaks every enclosing group.
    Blank,
}

/// A document.
#[derive(Debug, Clone)]
pub(crate) enum Doc {
    /// Nothing.
    Nil,
    /// Text without newlines.
    Text(String),
    /// Punctuation that sticks to the token before it (`)`, `]`, `}`, `,`, `;`, `?`, `:`, ` =`):
    /// a trailing comment after that token may stay after it.
    Closer(&'static str),
    /// A possible line break.
    Line(Line),
    /// Documents one after the other.
    Concat(Vec<Doc>),
    /// The inner document, with breaks indented two more columns.
    Indent(Box<Doc>),
    /// The inner document, with breaks indented to the column where it starts.
    Align(Box<Doc>),
    /// A unit laid out flat when it fits.
    Group {
        /// The content.
        doc: Box<Doc>,
        /// Precomputed: the content holds a forced break.
        broken: bool,
        /// Never broken for width, only for forced breaks and trailing comments.
        keep_flat: bool,
    },
    /// The first document when the enclosing group is broken, the second when flat.
    IfBreak(Box<Doc>, Box<Doc>),
    /// A trailing comment: written at the end of the current line.
    LineSuffix(String),
    /// A comment on a line of its own.
    Comment(String),
}

/// Text.
pub(crate) fn text(s: impl Into<String>) -> Doc {
    Doc::Text(s.into())
}

/// A sequence.
pub(crate) fn concat(parts: Vec<Doc>) -> Doc {
    Doc::Concat(parts)
}

/// Indents breaks inside by two columns.
pub(crate) fn indent(d: Doc) -> Doc {
    Doc::Indent(Box::new(d))
}

/// Indents breaks inside to the current column.
pub(crate) fn align(d: Doc) -> Doc {
    Doc::Align(Box::new(d))
}

/// A group that breaks when it does not fit.
pub(crate) fn group(d: Doc) -> Doc {
    let broken = forces_break(&d);
    Doc::Group {
        doc: Box::new(d),
        broken,
        keep_flat: false,
    }
}

/// A group that stays on one line however long, unless a comment forces a break.
pub(crate) fn flat_group(d: Doc) -> Doc {
    let broken = forces_break(&d);
    Doc::Group {
        doc: Box::new(d),
        broken,
        keep_flat: true,
    }
}

/// `, ` when broken, nothing when flat: a trailing comma.
pub(crate) fn trailing_comma() -> Doc {
    Doc::IfBreak(Box::new(Doc::Closer(",")), Box::new(Doc::Nil))
}

/// Whether a document holds a forced break outside nested groups (or a nested broken group).
fn forces_break(d: &Doc) -> bool {
    let mut stack = vec![d];
    while let Some(d) = stack.pop() {
        match d {
            Doc::Line(Line::Hard | Line::Blank) | Doc::Comment(_) => return true,
            Doc::Group { broken, .. } => {
                if *broken {
                    return true;
                }
            }
            Doc::Concat(parts) => stack.extend(parts.iter()),
            Doc::Indent(d) | Doc::Align(d) => stack.push(d),
            Doc::Nil
            | Doc::Text(_)
            | Doc::Closer(_)
            | Doc::Line(_)
            | Doc::IfBreak(..)
            | Doc::LineSuffix(_) => {}
        }
    }
    false
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Flat,
    Break,
}

fn width(s: &str) -> usize {
    s.chars().count()
}

/// Renders a document in `max_width` columns. The result ends without a newline.
pub(crate) fn render(doc: &Doc, max_width: usize) -> String {
    let mut r = Renderer {
        out: String::new(),
        col: 0,
        at_line_start: true,
        line_indent: 0,
        need_newline: false,
        suffix: None,
    };
    let mut stack: Vec<(usize, Mode, &Doc)> = vec![(0, Mode::Break, doc)];
    while let Some((ind, mode, d)) = stack.pop() {
        match d {
            Doc::Nil => {}
            Doc::Text(s) => r.code(s, ind),
            Doc::Closer(s) => r.text(s, ind),
            Doc::Line(kind) => match (mode, kind) {
                (Mode::Flat, Line::Soft) => {}
                (Mode::Flat, Line::Space) => {
                    if !r.need_newline && !r.at_line_start {
                        r.code(" ", ind);
                    }
                }
                (_, Line::Blank) => r.blank_line(ind),
                _ => r.newline(ind),
            },
            Doc::Concat(parts) => {
                for p in parts.iter().rev() {
                    stack.push((ind, mode, p));
                }
            }
            Doc::Indent(d) => stack.push((ind + 2, mode, d)),
            Doc::Align(d) => {
                let col = if r.at_line_start || r.need_newline {
                    ind
                } else {
                    r.col
                };
                stack.push((col, mode, d));
            }
            Doc::Group {
                doc,
                broken,
                keep_flat,
            } => {
                let m = if mode == Mode::Flat {
                    Mode::Flat
                } else if *broken {
                    Mode::Break
                } else {
                    let start = if r.at_line_start || r.need_newline {
                        ind
                    } else {
                        r.col
                    };
                    let room = if *keep_flat {
                        None
                    } else {
                        Some(max_width as isize - start as isize)
                    };
                    if fits(doc, &stack, room, r.suffix.is_some()) {
                        Mode::Flat
                    } else {
                        Mode::Break
                    }
                };
                stack.push((ind, m, doc));
            }
            Doc::IfBreak(b, f) => stack.push((ind, mode, if mode == Mode::Break { b } else { f })),
            Doc::LineSuffix(s) => {
                if r.suffix.is_some() || r.need_newline {
                    r.newline(ind);
                }
                r.suffix = Some(s.clone());
            }
            Doc::Comment(s) => r.comment(s, ind),
        }
    }
    r.flush_suffix();
    while r.out.ends_with(' ') || r.out.ends_with('\n') {
        r.out.pop();
    }
    r.out
}

/// Whether `doc`, laid out flat, and what follows it up to the next possible break fit in `room`
/// columns (`None`: any width).
///
/// A trailing comment (`suffix`) ends its line: code after it (closing punctuation aside) goes on
/// the next line, so a group that would put code after one does not fit.
fn fits(doc: &Doc, rest: &[(usize, Mode, &Doc)], room: Option<isize>, suffix: bool) -> bool {
    let mut room = room.unwrap_or(isize::MAX);
    let mut suffix = suffix;
    let mut stack: Vec<(Mode, &Doc)> = vec![(Mode::Flat, doc)];
    let mut rest_idx = rest.len();
    loop {
        let (mode, d) = match stack.pop() {
            Some(x) => x,
            None => {
                if rest_idx == 0 {
                    return true;
                }
                rest_idx -= 1;
                (rest[rest_idx].1, rest[rest_idx].2)
            }
        };
        match d {
            Doc::Nil => {}
            Doc::Text(s) => {
                if suffix && !s.trim().is_empty() {
                    return false;
                }
                room -= width(s) as isize;
                if room < 0 {
                    return false;
                }
            }
            Doc::Closer(s) => {
                room -= width(s) as isize;
                if room < 0 {
                    return false;
                }
            }
            Doc::Line(kind) => match (mode, kind) {
                (Mode::Flat, Line::Soft) => {}
                (Mode::Flat, Line::Space) => room -= 1,
                _ => return true,
            },
            Doc::Concat(parts) => {
                for p in parts.iter().rev() {
                    stack.push((mode, p));
                }
            }
            Doc::Indent(d) | Doc::Align(d) => stack.push((mode, d)),
            Doc::Group { doc, broken, .. } => {
                stack.push((if *broken { Mode::Break } else { mode }, doc));
            }
            Doc::IfBreak(b, f) => stack.push((mode, if mode == Mode::Break { b } else { f })),
            Doc::LineSuffix(_) => suffix = true,
            Doc::Comment(_) => return true,
        }
    }
}

struct Renderer {
    out: String,
    /// The column the next text starts at (pending indentation included).
    col: usize,
    /// Nothing but (pending) indentation on the current line.
    at_line_start: bool,
    /// The indentation the current line gets when text comes.
    line_indent: usize,
    /// An own-line comment was just written: the next text goes on a new line.
    need_newline: bool,
    /// A trailing comment waiting for the end of the line.
    suffix: Option<String>,
}

impl Renderer {
    fn write_indent(&mut self) {
        if self.at_line_start {
            for _ in 0..self.line_indent {
                self.out.push(' ');
            }
            self.col = self.line_indent;
            self.at_line_start = false;
        }
    }

    fn text(&mut self, s: &str, ind: usize) {
        if self.need_newline {
            self.newline(ind);
        }
        self.write_indent();
        self.out.push_str(s);
        self.col += width(s);
    }

    /// Code: after a trailing comment it starts a new line (white space is dropped there).
    fn code(&mut self, s: &str, ind: usize) {
        if self.suffix.is_some() {
            if s.trim().is_empty() {
                return;
            }
            self.newline(ind);
        }
        self.text(s, ind);
    }

    fn flush_suffix(&mut self) {
        let Some(joined) = self.suffix.take() else {
            return;
        };
        if self.at_line_start {
            self.write_indent();
        } else {
            while self.out.ends_with(' ') {
                self.out.pop();
            }
            self.out.push(' ');
        }
        self.out.push_str(&joined);
        self.col += width(&joined) + 1;
    }

    fn newline(&mut self, ind: usize) {
        self.flush_suffix();
        while self.out.ends_with(' ') {
            self.out.pop();
        }
        self.out.push('\n');
        self.at_line_start = true;
        self.line_indent = ind;
        self.col = ind;
        self.need_newline = false;
    }

    fn blank_line(&mut self, ind: usize) {
        if self.out.is_empty() && self.suffix.is_none() {
            return;
        }
        if !self.at_line_start || self.need_newline || self.suffix.is_some() {
            self.newline(ind);
        }
        if !self.out.ends_with("\n\n") {
            self.out.push('\n');
        }
        self.at_line_start = true;
        self.line_indent = ind;
        self.col = ind;
    }

    fn comment(&mut self, s: &str, ind: usize) {
        let mid_line = self.need_newline || !self.at_line_start;
        if (mid_line && !self.out.is_empty()) || self.suffix.is_some() {
            self.newline(ind);
        }
        self.line_indent = ind;
        self.write_indent();
        self.out.push_str(s);
        self.col += width(s);
        self.need_newline = true;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(n: usize) -> Doc {
        let mut parts = vec![text("w0")];
        for i in 1..n {
            parts.push(Doc::Closer(","));
            parts.push(Doc::Line(Line::Space));
            parts.push(text(format!("w{i}")));
        }
        group(concat(vec![
            text("["),
            indent(concat(vec![
                Doc::Line(Line::Soft),
                concat(parts),
                trailing_comma(),
            ])),
            Doc::Line(Line::Soft),
            Doc::Closer("]"),
        ]))
    }

    #[test]
    fn a_group_that_fits_stays_flat() {
        assert_eq!(render(&words(3), 100), "[w0, w1, w2]");
    }

    #[test]
    fn a_group_that_does_not_fit_breaks() {
        assert_eq!(render(&words(3), 8), "[\n  w0,\n  w1,\n  w2,\n]");
    }

    #[test]
    fn a_trailing_comment_breaks_its_group() {
        let d = group(concat(vec![
            text("a"),
            Doc::LineSuffix("# c".into()),
            Doc::Line(Line::Space),
            text("b"),
        ]));
        assert_eq!(render(&d, 100), "a # c\nb");
    }

    #[test]
    fn an_own_line_comment_gets_its_own_line() {
        let d = concat(vec![text("a ="), Doc::Comment("# c".into()), text("b")]);
        assert_eq!(render(&d, 100), "a =\n# c\nb");
    }

    #[test]
    fn blank_lines_do_not_pile_up() {
        let d = concat(vec![
            text("a"),
            Doc::Line(Line::Blank),
            Doc::Line(Line::Blank),
            text("b"),
        ]);
        assert_eq!(render(&d, 100), "a\n\nb");
    }
}
