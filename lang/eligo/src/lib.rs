//! eligo: a declarative policy language for eligibility rules.
//!
//! The pipeline, one module per stage, each using only the stages before it:
//! [`source`] (files and spans) → [`diag`] (every error's words) → [`syntax`] (text → AST) →
//! [`model`] (the shared vocabulary: values, types, the checked IR and program) → [`resolve`]
//! (modules, names, declarations) → [`types`] (type check, lowering to IR, rule graph, memo
//! layout) → [`facts`] (facts JSON → values) → [`eval`] (the program compiled and evaluated) →
//! [`driver`] (files → compiled policies) → [`explain`], [`batch`], [`testing`], [`format`] →
//! [`diff`] (two versions compared).
//!
//! Front ends use [`api`], re-exported here; the stage modules are internal (public for the
//! repository's tests and benchmarks, without stability).
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod api;
#[doc(hidden)]
pub mod batch;
#[doc(hidden)]
pub mod diag;
#[doc(hidden)]
pub mod diff;
#[doc(hidden)]
pub mod driver;
#[doc(hidden)]
pub mod eval;
#[doc(hidden)]
pub mod explain;
#[doc(hidden)]
pub mod facts;
#[doc(hidden)]
pub mod format;
#[doc(hidden)]
pub mod model;
pub mod project;
#[doc(hidden)]
pub mod resolve;
#[doc(hidden)]
pub mod source;
#[doc(hidden)]
pub mod syntax;
#[doc(hidden)]
pub mod testing;
#[doc(hidden)]
pub mod types;

pub use api::*;
