//! Parsing work, counted in the parser's calls rather than in time: the measure behind the tests
//! that nesting costs linear work (`tests/parse_work.rs`, the `grammar` fuzz property).

use super::parser::{Grammar, Rule};
use pest::error::ErrorVariant;
use pest::Parser as _;
use std::num::NonZeroUsize;

/// How many of pest's counted calls (rules, sequences, repetitions, lookaheads) the grammar
/// makes on `text` as one policy file, whether it parses or ends in a syntax error; `None` past
/// `ceiling`. Found by bisection on pest's call limit, which is process-wide: only for a process
/// (a test binary) that parses nothing else meanwhile. The pre-scan is skipped: this measures the
/// grammar alone.
#[doc(hidden)]
pub fn grammar_calls(text: &str, ceiling: usize) -> Option<usize> {
    if !grammar_fits(text, ceiling) {
        return None;
    }
    let (mut low, mut high) = (0, ceiling);
    while high - low > 1 {
        let mid = low + (high - low) / 2;
        if grammar_fits(text, mid) {
            high = mid;
        } else {
            low = mid;
        }
    }
    Some(high)
}

/// Whether the grammar is done with `text` (a tree or a syntax error) within `limit` calls: one
/// parse, where [`grammar_calls`] takes a bisection's worth. Same caveat about the process.
#[doc(hidden)]
pub fn grammar_fits(text: &str, limit: usize) -> bool {
    pest::set_call_limit(NonZeroUsize::new(limit));
    let done = match Grammar::parse(Rule::file, text) {
        Ok(_) => true,
        Err(e) => !matches!(&e.variant, ErrorVariant::CustomError { message }
            if message == "call limit reached"),
    };
    pest::set_call_limit(None);
    done
}
