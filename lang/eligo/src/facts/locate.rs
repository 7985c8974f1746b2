//! Where a facts error points in the text. serde_json reports where it stopped reading; for a
//! problem of a value that is just after the value ([`token_before`]). For a problem found once
//! serde has read further (an object's first key, the separator after a list element), the
//! value is found again from the document's start by its JSON path ([`value_span`]).

use super::seed::{Anchor, Failure};
use crate::diag::{Error, ErrorKind, FactsPath, Location, PathSeg};

/// The diagnostic of a failed read: the kept failure, or serde_json's own error (bad JSON).
pub fn error(name: &str, text: &str, e: &serde_json::Error, failure: Option<Failure>) -> Error {
    let after = offset_of(text, e.line(), e.column());
    let (kind, (offset, len)) = match failure {
        Some(f) => {
            let span = match f.anchor {
                Anchor::Value => value_span(text, &f.path)
                    .map(|(s, e)| (s, e - s))
                    .unwrap_or_else(|| token_before(text, after)),
                // serde reports the position just after the value it was reading: underline it.
                Anchor::Token => token_before(text, after),
            };
            (f.kind, span)
        }
        None if text.trim().is_empty() => (ErrorKind::FactsEmpty, (0, 0)),
        None => {
            let full = e.to_string();
            let suffix = format!(" at line {} column {}", e.line(), e.column());
            let message = full.strip_suffix(&suffix).unwrap_or(&full).to_string();
            (
                ErrorKind::FactsSyntax { message },
                (after.saturating_sub(1), usize::from(after > 0)),
            )
        }
    };
    Error::new(
        kind,
        Location::File {
            name: name.to_string(),
            text: text.into(),
            offset,
            len,
        },
    )
}

/// The JSON token that ends just before `end`: a string, a number or word, or a bracket.
pub fn token_before(text: &str, end: usize) -> (usize, usize) {
    let b = text.as_bytes();
    let mut i = end.min(b.len());
    while i > 0 && (b[i - 1] as char).is_ascii_whitespace() {
        i -= 1;
    }
    if i == 0 {
        return (0, 0);
    }
    let stop = i;
    match b[i - 1] {
        b'"' => {
            i -= 1;
            while i > 0 {
                i -= 1;
                if b[i] == b'"' && (i == 0 || b[i - 1] != b'\\') {
                    return (i, stop - i);
                }
            }
            (0, stop)
        }
        c if c.is_ascii_alphanumeric() || c == b'.' || c == b'-' || c == b'+' => {
            while i > 0
                && (b[i - 1].is_ascii_alphanumeric() || matches!(b[i - 1], b'.' | b'-' | b'+'))
            {
                i -= 1;
            }
            (i, stop - i)
        }
        _ => (i - 1, 1),
    }
}

fn offset_of(text: &str, line: usize, column: usize) -> usize {
    if line == 0 {
        return 0;
    }
    let mut offset = 0;
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i + 1 == line {
            // serde_json's column is 1-based and counts bytes; it points just past the problem.
            return (offset + column).min(text.len());
        }
        offset += l.len();
    }
    text.len()
}

/// The byte range of the value at a JSON path, found by reading the text again from its start.
/// Only the values on the way are looked into; the others are skipped. `None` when the text
/// does not hold the path (it always does for a path serde read through).
pub fn value_span(text: &str, path: &FactsPath) -> Option<(usize, usize)> {
    let mut r = Reader {
        b: text.as_bytes(),
        i: 0,
    };
    r.blanks();
    for seg in &path.0 {
        match seg {
            PathSeg::Key(key) => r.member(key)?,
            PathSeg::Index(n) => r.element(*n)?,
        }
    }
    let start = r.i;
    r.skip_value()?;
    Some((start, r.i))
}

/// A cursor over JSON text that serde_json has read before: it is well formed as far as the
/// reader goes.
struct Reader<'t> {
    b: &'t [u8],
    i: usize,
}

impl Reader<'_> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    fn blanks(&mut self) {
        while self.peek().is_some_and(|c| c.is_ascii_whitespace()) {
            self.i += 1;
        }
    }

    fn eat(&mut self, c: u8) -> Option<()> {
        self.blanks();
        (self.peek()? == c).then(|| self.i += 1)
    }

    /// Moves into the object at the cursor, onto the value of `key`.
    fn member(&mut self, key: &str) -> Option<()> {
        self.eat(b'{')?;
        loop {
            self.blanks();
            let k = self.string()?;
            self.eat(b':')?;
            self.blanks();
            if k == key {
                return Some(());
            }
            self.skip_value()?;
            self.eat(b',')?;
        }
    }

    /// Moves into the list at the cursor, onto element `n`.
    fn element(&mut self, n: usize) -> Option<()> {
        self.eat(b'[')?;
        for _ in 0..n {
            self.blanks();
            self.skip_value()?;
            self.eat(b',')?;
        }
        self.blanks();
        Some(())
    }

    /// A string at the cursor, unescaped.
    fn string(&mut self) -> Option<String> {
        let start = self.i;
        self.skip_string()?;
        serde_json::from_slice(&self.b[start..self.i]).ok()
    }

    fn skip_string(&mut self) -> Option<()> {
        (self.peek()? == b'"').then_some(())?;
        self.i += 1;
        loop {
            match self.peek()? {
                b'\\' => self.i += 2,
                b'"' => {
                    self.i += 1;
                    return Some(());
                }
                _ => self.i += 1,
            }
        }
    }

    /// Skips the value at the cursor; nested lists and objects by counting brackets, without
    /// recursion, so that deep nesting costs no stack.
    fn skip_value(&mut self) -> Option<()> {
        let mut depth = 0usize;
        loop {
            match self.peek()? {
                b'"' => self.skip_string()?,
                b'{' | b'[' => {
                    depth += 1;
                    self.i += 1;
                }
                b'}' | b']' => {
                    depth = depth.checked_sub(1)?;
                    self.i += 1;
                }
                c if c.is_ascii_whitespace() || c == b',' || c == b':' => self.i += 1,
                _ => {
                    while self.peek().is_some_and(|c| {
                        !matches!(c, b',' | b'}' | b']' | b':') && !c.is_ascii_whitespace()
                    }) {
                        self.i += 1;
                    }
                }
            }
            if depth == 0 {
                return Some(());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(segs: &[PathSeg]) -> FactsPath {
        FactsPath(segs.to_vec())
    }

    fn key(k: &str) -> PathSeg {
        PathSeg::Key(k.into())
    }

    #[test]
    fn the_token_before_a_position_is_underlined() {
        let t = r#"{"a": "x\"y", "b": 12.5 }"#;
        let after_string = t.find(", \"b").unwrap();
        assert_eq!(
            &t[token_before(t, after_string).0..][..token_before(t, after_string).1],
            r#""x\"y""#
        );
        let after_number = t.find(" }").unwrap();
        let (s, l) = token_before(t, after_number);
        assert_eq!(&t[s..s + l], "12.5");
        let (s, l) = token_before(t, t.len());
        assert_eq!(&t[s..s + l], "}");
    }

    #[test]
    fn a_value_is_found_again_by_its_path() {
        let t =
            "{\"a\": {\"x\": [1, {\"k\": \"}\"}, [2, 3]]}, \"b\\\"c\": true, \"d\": {\"e\": 1}}";
        let at = |segs: &[PathSeg]| value_span(t, &path(segs)).map(|(s, e)| &t[s..e]);
        assert_eq!(at(&[key("a"), key("x"), PathSeg::Index(0)]), Some("1"));
        assert_eq!(
            at(&[key("a"), key("x"), PathSeg::Index(1)]),
            Some("{\"k\": \"}\"}")
        );
        assert_eq!(at(&[key("a"), key("x"), PathSeg::Index(2)]), Some("[2, 3]"));
        assert_eq!(at(&[key("b\"c")]), Some("true"));
        assert_eq!(at(&[key("d")]), Some("{\"e\": 1}"));
        assert_eq!(at(&[key("nope")]), None);
        assert_eq!(at(&[key("a"), key("x"), PathSeg::Index(7)]), None);
    }

    #[test]
    fn deep_nesting_is_skipped_without_recursion() {
        let t = format!(
            "{{\"a\": {}{}, \"b\": 5}}",
            "[".repeat(100_000),
            "]".repeat(100_000)
        );
        let (s, e) = value_span(&t, &path(&[key("b")])).unwrap();
        assert_eq!(&t[s..e], "5");
    }
}
