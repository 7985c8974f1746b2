//! The shared vocabulary of the stages after parsing: what [`crate::resolve`] and
//! [`crate::types`] produce and what [`crate::facts`], [`crate::eval`] and the tools after them
//! read. Nothing here checks, compiles or evaluates anything.
//!
//! - [`value`]: run-time values ([`Value`]);
//! - [`ty`]: the types of values ([`Ty`], [`RecordTy`]);
//! - [`ir`]: the checked, slot-resolved form of expressions ([`Ir`]) and its visitors;
//! - [`program`]: the checked [`Program`] (declarations, rule and outcome bodies as IR, memo
//!   layout), without the closures evaluation compiles it into ([`crate::eval::Compiled`]);
//! - [`names`]: built-in names and name suggestions;
//! - [`constant`]: the value of an expression made of constants (literals, table cells), which
//!   warnings and explanations read without evaluating anything.

pub mod constant;
pub mod ir;
pub mod names;
pub mod program;
pub mod ty;
pub mod value;

pub use ir::Ir;
pub use program::{
    CriterionDef, EnumDef, FactsSchema, FactsView, Memo, MemoSlots, OutcomeDef, Program, RuleDef,
    TableDef,
};
pub use ty::{RecordTy, Ty};
pub use value::Value;
