//! Eval: runs a checked [`Program`], compiled once into closures ([`Compiled`]),
//! against one partner's facts as of a date.
//!
//! The rules it follows: every rule is evaluated at most once per evaluation (rules with enum or
//! boolean parameters once per argument combination), through memo slots fixed at check time;
//! locals live in frame slots; facts are read by field slot. Aggregations are bounded loops
//! over lists, so evaluation always ends, and a step budget and a depth limit turn pathological
//! policies into diagnostics. Every labelled criterion's value can be recorded ([`Trace`]).
//!
//! Here: [`Compiled`] (a program and its closures), [`interp`] (an evaluation's state: memo,
//! frames, budget, recorded tree), [`compile`] (the closures), [`ops`] (exact arithmetic,
//! aggregates, points, built-ins), [`dates`] (calendar rules), [`output`] (values as JSON and
//! text), [`trace`] (what explanations are built from).

mod compile;
pub mod dates;
mod interp;
mod memo;
pub(crate) mod ops;
pub mod output;
pub mod trace;
mod uniques;

pub use interp::{Evaluation, Limits, StaticMemo};
pub use ops::compare;
pub use trace::{Comparison, Kept, KeptHow, Trace, TraceEntry, TraceKind, TraceNode};

use crate::model::Program;

/// A checked program with its rule and outcome bodies compiled into closures: what an
/// [`Evaluation`] runs. Compiling happens once per program; evaluations share it.
pub struct Compiled {
    program: Program,
    pub(crate) bodies: compile::Bodies,
}

impl std::fmt::Debug for Compiled {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Compiled")
            .field("program", &self.program)
            .field("bodies", &self.bodies)
            .finish()
    }
}

impl Compiled {
    /// Compiles every rule and outcome body of a checked program.
    pub fn new(program: Program) -> Compiled {
        let bodies = compile::Bodies::new(&program);
        Compiled { program, bodies }
    }

    /// The checked program.
    pub fn program(&self) -> &Program {
        &self.program
    }
}
