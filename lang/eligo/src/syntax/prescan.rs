//! A lexical pass before parsing: it bounds what the recursive-descent parser will face.

use crate::diag::{Error, ErrorKind};
use crate::source::{SourceId, Span};

/// Largest policy file accepted, in bytes.
pub const MAX_SOURCE_BYTES: usize = 4 * 1024 * 1024;
/// Deepest nesting of brackets, `if` and `let` accepted.
pub const MAX_NESTING: usize = 96;
/// Longest identifier accepted, in bytes.
pub const MAX_IDENT_LEN: usize = 256;

/// Checks the limits; the first breach is returned as an error.
pub fn prescan(source: SourceId, text: &str) -> Result<(), Error> {
    let at = |start: usize, end: usize| Span::new(source, start, end);
    if text.len() > MAX_SOURCE_BYTES {
        return Err(Error::at(
            at(0, 0),
            ErrorKind::SourceTooLarge {
                size: text.len(),
                limit: MAX_SOURCE_BYTES,
            },
        ));
    }
    if let Some(i) = text.find('\0') {
        return Err(Error::at(at(i, i + 1), ErrorKind::NulByte));
    }
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        match b {
            b'#' | b'/' if b == b'#' || bytes[i..].starts_with(b"///") => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' && bytes[i] != b'\n' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
                continue;
            }
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' | b';' => depth = depth.saturating_sub(1),
            _ if b.is_ascii_alphabetic() || b == b'_' => {
                let start = i;
                while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                    i += 1;
                }
                let word = &text[start..i];
                if word.len() > MAX_IDENT_LEN {
                    return Err(Error::at(
                        at(start, start + MAX_IDENT_LEN),
                        ErrorKind::IdentifierTooLong {
                            length: word.len(),
                            limit: MAX_IDENT_LEN,
                        },
                    ));
                }
                match word {
                    "if" | "let" => depth += 1,
                    "else" => depth = depth.saturating_sub(1),
                    _ => {}
                }
                if depth > MAX_NESTING {
                    return Err(Error::at(
                        at(start, i),
                        ErrorKind::NestingTooDeep { limit: MAX_NESTING },
                    ));
                }
                continue;
            }
            _ => {}
        }
        if depth > MAX_NESTING {
            return Err(Error::at(
                at(i, i + 1),
                ErrorKind::NestingTooDeep { limit: MAX_NESTING },
            ));
        }
        i += 1;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(text: &str) -> Option<ErrorKind> {
        prescan(SourceId(0), text).err().map(|e| e.kind.clone())
    }

    #[test]
    fn accepts_nesting_up_to_the_limit_and_refuses_beyond() {
        let ok = format!("{}1{}", "(".repeat(MAX_NESTING), ")".repeat(MAX_NESTING));
        assert_eq!(kind(&ok), None);
        let deep = format!(
            "{}1{}",
            "(".repeat(MAX_NESTING + 1),
            ")".repeat(MAX_NESTING + 1)
        );
        assert_eq!(
            kind(&deep),
            Some(ErrorKind::NestingTooDeep { limit: MAX_NESTING })
        );
    }

    #[test]
    fn if_chains_close_on_else_so_long_chains_pass() {
        let chain = "if a then b else ".repeat(1000) + "c";
        assert_eq!(kind(&chain), None);
        let nested = "if a then ".repeat(MAX_NESTING + 1);
        assert!(matches!(
            kind(&nested),
            Some(ErrorKind::NestingTooDeep { .. })
        ));
    }

    #[test]
    fn brackets_inside_strings_and_comments_do_not_count() {
        let text = format!("\"{}\" # {}\n1", "(".repeat(500), "[".repeat(500));
        assert_eq!(kind(&text), None);
    }

    #[test]
    fn refuses_nul_and_giant_identifiers() {
        assert_eq!(kind("a\0b"), Some(ErrorKind::NulByte));
        let long = "x".repeat(MAX_IDENT_LEN + 1);
        assert!(matches!(
            kind(&long),
            Some(ErrorKind::IdentifierTooLong { .. })
        ));
    }
}
