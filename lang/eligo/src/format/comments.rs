//! The `#` comments of a policy text. The grammar drops them, so a small lexer finds them again:
//! it skips string literals and `///` doc comments (which are part of the syntax tree) and takes
//! every other `#` to the end of its line.

/// One `#` comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Comment {
    /// Byte offset of the `#`.
    pub start: usize,
    /// Byte offset of the end of the line (before `\r\n` or `\n`).
    pub end: usize,
    /// The comment's text from `#`, trailing white space removed.
    pub text: String,
    /// Nothing but white space before it on its line.
    pub own_line: bool,
}

/// Every comment, in order.
pub(crate) fn lex(src: &str) -> Vec<Comment> {
    let bytes = src.as_bytes();
    let mut out = Vec::new();
    let mut line_start = 0;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' && bytes[i] != b'\n' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                if i < bytes.len() && bytes[i] == b'"' {
                    i += 1;
                }
            }
            b'/' if bytes[i..].starts_with(b"///") => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b'#' => {
                let start = i;
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
                let text = src[start..i].trim_end().to_string();
                out.push(Comment {
                    start,
                    end: start + text.len(),
                    text,
                    own_line: src[line_start..start].trim().is_empty(),
                });
            }
            b'\n' => {
                i += 1;
                line_start = i;
            }
            _ => i += 1,
        }
    }
    out
}

/// Whether an empty line lies between `pos` and the last non-blank text before it.
pub(crate) fn blank_before(src: &str, pos: usize) -> bool {
    let before = &src[..pos.min(src.len())];
    let trimmed = before.trim_end();
    if trimmed.is_empty() {
        return false;
    }
    before[trimmed.len()..].matches('\n').count() >= 2
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_and_doc_comments_are_not_comments() {
        let src = "/// a # b\nrule x: Text = \"# no\" # yes\n  # own\n";
        let cs = lex(src);
        let texts: Vec<&str> = cs.iter().map(|c| c.text.as_str()).collect();
        assert_eq!(texts, ["# yes", "# own"]);
        assert!(!cs[0].own_line);
        assert!(cs[1].own_line);
    }

    #[test]
    fn escaped_quotes_stay_inside_strings() {
        let cs = lex("x = \"a \\\" # b\" # c\r\n");
        assert_eq!(cs.len(), 1);
        assert_eq!(cs[0].text, "# c");
    }

    #[test]
    fn blank_lines_are_seen() {
        assert!(blank_before("a\n\n  b", 5));
        assert!(!blank_before("a\n  b", 4));
        assert!(!blank_before("\n\nb", 2));
    }
}
