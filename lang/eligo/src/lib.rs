//! eligo: a declarative policy language for eligibility rules.
//!
//! The pipeline, one module per stage, each using only the stages before it:
//! [`source`] (files and spans) → [`diag`] (every error's words) → [`syntax`] (text → AST) →
//! [`model`] (the shared vocabulary: values, types, the checked IR and program) → [`resolve`]
//! (modules, names, declarations) → [`types`] (type check, lowering to IR, rule graph, memo
//! layout) → [`facts`] (facts JSON → values) → [`eval`] (the program compiled and evaluated) →
//! [`driver`] (files → compiled policies) → [`explain`], [`batch`], [`testing`], [`format`].
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod batch;
pub mod diag;
pub mod driver;
pub mod eval;
pub mod explain;
pub mod facts;
pub mod format;
pub mod model;
pub mod resolve;
pub mod source;
pub mod syntax;
pub mod testing;
pub mod types;
