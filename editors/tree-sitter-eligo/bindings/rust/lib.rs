//! The tree-sitter grammar of eligo: `LANGUAGE` for `tree_sitter::Parser::set_language`, and the
//! highlighting queries.

use tree_sitter_language::LanguageFn;

extern "C" {
    fn tree_sitter_eligo() -> *const ();
}

/// The eligo language. The only unsafe code here is the standard binding of the generated C parser.
pub const LANGUAGE: LanguageFn = unsafe { LanguageFn::from_raw(tree_sitter_eligo) };

/// Highlighting with Neovim's capture names.
pub const HIGHLIGHTS_QUERY: &str = include_str!("../../queries/highlights.scm");

/// The node types of the grammar, as JSON.
pub const NODE_TYPES: &str = include_str!("../../src/node-types.json");
