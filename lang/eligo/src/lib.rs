//! eligo: a declarative policy language for eligibility rules.
//!
//! The pipeline, one module per stage:
//! [`syntax`] (text → AST) → [`resolve`] (modules, names, declarations) → [`types`] (type check,
//! lowering to slot-resolved IR, rule graph) → [`eval`] (evaluation against [`facts`]).
//! [`diag`] writes every error; [`program`] drives the stages.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod batch;
pub mod diag;
pub mod eval;
pub mod explain;
pub mod facts;
pub mod format;
pub mod program;
pub mod resolve;
pub mod source;
pub mod syntax;
pub mod testing;
pub mod types;
