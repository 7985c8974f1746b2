//! Syntax: policy text → [`ast::Module`]. A lexical pre-scan ([`prescan`]) refuses
//! hostile text (NUL bytes, runaway nesting, giant identifiers) before the pest grammar
//! (`syntax/grammar.pest`) runs, so the parser never recurses deeper than the limit.

pub mod ast;
mod parser;
mod prescan;
mod work;

pub use parser::{parse_expr, parse_module};
pub(crate) use parser::{Grammar, Rule};
pub use prescan::{MAX_IDENT_LEN, MAX_NESTING, MAX_SOURCE_BYTES};
pub use work::{grammar_calls, grammar_fits};
