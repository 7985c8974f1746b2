//! What the real grammar and the editor grammars make of eligo sources: the shared input and the
//! offsets. The binaries `pest-tokens` and `tree-sitter-tokens` print one each, as JSON.

#![forbid(unsafe_code)]

use serde::Deserialize;

/// The input of both binaries, on standard input: `{"sources": [{"name": "...", "text": "..."}]}`.
#[derive(Deserialize)]
pub struct Input {
    pub sources: Vec<Source>,
}

#[derive(Deserialize)]
pub struct Source {
    pub name: String,
    pub text: String,
}

/// Reads the sources from standard input.
pub fn read_input() -> Result<Input, String> {
    use std::io::Read;
    let mut stdin = String::new();
    std::io::stdin()
        .read_to_string(&mut stdin)
        .map_err(|e| format!("cannot read standard input: {e}"))?;
    serde_json::from_str(&stdin).map_err(|e| format!("bad input: {e}"))
}

/// The UTF-16 offset of every byte offset that starts a character, and of the end: the unit of
/// the TextMate engine's columns, which the tests use throughout.
pub fn utf16_offsets(text: &str) -> Vec<u32> {
    let mut offsets = vec![0; text.len() + 1];
    let mut units = 0u32;
    for (byte, c) in text.char_indices() {
        offsets[byte] = units;
        units += c.len_utf16() as u32;
    }
    offsets[text.len()] = units;
    offsets
}
