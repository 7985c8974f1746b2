//! Byte offsets of a text and the protocol's positions (line, UTF-16 column).

use lsp_types::{Position, Range};

/// Where each line of a text starts.
#[derive(Debug, Clone)]
pub struct Lines {
    text: String,
    starts: Vec<usize>,
}

impl Lines {
    pub fn new(text: &str) -> Lines {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Lines {
            text: text.to_string(),
            starts,
        }
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// The position of a byte offset (clamped to the text).
    pub fn position(&self, offset: usize) -> Position {
        let offset = offset.min(self.text.len());
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let start = self.starts[line];
        let column: usize = self
            .text
            .get(start..offset)
            .map_or(0, |s| s.chars().map(char::len_utf16).sum());
        Position::new(line as u32, column as u32)
    }

    pub fn range(&self, r: &std::ops::Range<usize>) -> Range {
        Range::new(self.position(r.start), self.position(r.end))
    }

    /// The byte offset of a position (clamped to its line).
    pub fn offset(&self, p: Position) -> usize {
        let Some(&start) = self.starts.get(p.line as usize) else {
            return self.text.len();
        };
        let end = self
            .starts
            .get(p.line as usize + 1)
            .map_or(self.text.len(), |&e| e - 1);
        let mut units = 0u32;
        for (i, ch) in self.text[start..end].char_indices() {
            if units >= p.character {
                return start + i;
            }
            units += ch.len_utf16() as u32;
        }
        end
    }

    /// The end of the line a byte offset lies on.
    pub fn line_end(&self, offset: usize) -> Position {
        let line = self.position(offset).line as usize;
        let end = self
            .starts
            .get(line + 1)
            .map_or(self.text.len(), |&e| e - 1);
        let end = if self.text[..end].ends_with('\r') {
            end - 1
        } else {
            end
        };
        self.position(end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_utf16_units() {
        let l = Lines::new("ab\n\"é😀x\"\n");
        assert_eq!(l.position(4), Position::new(1, 1));
        assert_eq!(l.position(10), Position::new(1, 4));
        assert_eq!(l.offset(Position::new(1, 4)), 10);
        assert_eq!(l.offset(Position::new(1, 99)), 12);
        assert_eq!(l.line_end(0), Position::new(0, 2));
    }
}
