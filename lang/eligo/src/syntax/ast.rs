//! The abstract syntax tree. Every node carries the [`Span`] of the text it came from; equality
//! ignores spans, so tests compare structure only.

use crate::source::Span;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use std::sync::Arc;

/// A node with the span of its text.
#[derive(Debug, Clone)]
pub struct Spanned<T> {
    /// The node.
    pub node: T,
    /// Where it was written.
    pub span: Span,
}

impl<T: PartialEq> PartialEq for Spanned<T> {
    fn eq(&self, other: &Self) -> bool {
        self.node == other.node
    }
}

impl<T> Spanned<T> {
    /// Wraps a node.
    pub fn new(node: T, span: Span) -> Self {
        Spanned { node, span }
    }
}

/// A name as written.
pub type Ident = Spanned<Arc<str>>;

/// A money literal's currency code, as written (`USD`, `EUR`): three capital letters.
pub type Currency = Arc<str>;

/// The currency of a program that declares none.
pub const DEFAULT_CURRENCY: &str = "USD";

/// Whether a text has the shape of a currency code (ISO 4217's: three capital letters), as the
/// grammar's money literals do.
pub fn is_currency_code(text: &str) -> bool {
    text.len() == 3 && text.bytes().all(|b| b.is_ascii_uppercase())
}

/// One parsed file.
#[derive(Debug, Clone, PartialEq)]
pub struct Module {
    /// Its items, in file order.
    pub items: Vec<Item>,
}

/// Doc comments (`/// text`) and attributes (`@source("…")`) written before an item.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Meta {
    /// The doc comment lines, without `///`.
    pub docs: Vec<String>,
    /// The attributes, in order.
    pub attrs: Vec<Attribute>,
}

/// `@name("arg", …)`: read back by tools (`@source` is the provenance of a rule).
#[derive(Debug, Clone, PartialEq)]
pub struct Attribute {
    /// The attribute's name.
    pub name: Ident,
    /// Its string arguments.
    pub args: Vec<Spanned<String>>,
}

/// A top-level item with its doc comments and attributes.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    /// Docs and attributes.
    pub meta: Meta,
    /// What the item declares.
    pub kind: ItemKind,
    /// The whole item.
    pub span: Span,
}

/// The kinds of top-level item.
#[derive(Debug, Clone, PartialEq)]
pub enum ItemKind {
    /// `use capability.common` or `use capability.common as common`
    Use {
        /// The module path, dot-separated.
        path: Ident,
        /// The alias for qualified access.
        alias: Option<Ident>,
    },
    /// `facts "eligo.partner-facts/1" identified by partner.id { field: Type, … }`
    Facts {
        /// The format id the facts' `format` key must equal.
        format: Spanned<String>,
        /// The field whose value names the partner in outputs.
        identified_by: Option<Vec<Ident>>,
        /// The root record of the facts.
        fields: Vec<FieldDecl>,
    },
    /// `type Transaction = { date: Date, … }`
    Type {
        /// The type's name.
        name: Ident,
        /// Its definition.
        ty: TypeExpr,
    },
    /// `enum Area { data_ai, security }`
    Enum {
        /// The enum's name.
        name: Ident,
        /// Its variants, in order, with their docs.
        variants: Vec<(Meta, Ident)>,
    },
    /// `table certifications(name: Text, metric: Metric) key name = [("…", intermediate), …]`
    Table {
        /// The table's name.
        name: Ident,
        /// The columns.
        columns: Vec<(Ident, TypeExpr)>,
        /// The column rows are looked up by (`table[key]`).
        key: Option<Ident>,
        /// The rows, one expression per column.
        rows: Vec<Spanned<Vec<Expr>>>,
    },
    /// `rule name(param: Type): Type = expr`
    Rule {
        /// The rule's name.
        name: Ident,
        /// Its parameters (none for a plain rule).
        params: Vec<(Ident, TypeExpr)>,
        /// The declared result type.
        ty: TypeExpr,
        /// The body.
        body: Expr,
    },
    /// `outcome "id" = expr` or `outcome "capability_score.{area}" for area in Area = expr`
    Outcome {
        /// The outcome id, or an id template with one `{binder}` placeholder.
        id: Spanned<String>,
        /// The binder and the enum it ranges over.
        each: Option<(Ident, Ident)>,
        /// The value.
        body: Expr,
    },
}

/// A declared record field.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldDecl {
    /// Docs and attributes.
    pub meta: Meta,
    /// The field (JSON key) name.
    pub name: Ident,
    /// Its type.
    pub ty: TypeExpr,
    /// The value used when the field is absent.
    pub default: Option<Expr>,
}

/// A written type.
pub type TypeExpr = Spanned<TypeExprKind>;

/// The kinds of written type.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeExprKind {
    /// `Bool`, `Money`, `Transaction`, …
    Name(Ident),
    /// `[T]`
    List(Box<TypeExpr>),
    /// `{ field: T, … }`
    Record(Vec<FieldDecl>),
    /// `T?`
    Optional(Box<TypeExpr>),
}

/// An expression.
pub type Expr = Spanned<ExprKind>;

/// Units of a duration literal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DurationUnit {
    /// `days`
    Days,
    /// `months`
    Months,
    /// `years` (twelve months)
    Years,
}

/// Binary arithmetic operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArithOp {
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/`
    Div,
}

/// Comparison operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CmpOp {
    /// `==`
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
}

/// How a criteria block combines its criteria.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CriteriaKind {
    /// `any { … }`: at least one holds.
    Any,
    /// `all { … }`: every one holds.
    All,
    /// `at least N of { … }`
    AtLeast(u32),
}

/// `"label": expr` inside a criteria or score block.
#[derive(Debug, Clone, PartialEq)]
pub struct Criterion {
    /// The label, kept for explanations.
    pub label: Spanned<String>,
    /// The criterion.
    pub expr: Expr,
}

/// The rate of a `points(…)` call.
#[derive(Debug, Clone, PartialEq)]
pub enum Rate {
    /// `10 each`: points per unit of a count.
    Each(Box<Expr>),
    /// `1 per USD 1_250`: points per step of a quantity.
    Per(Box<Expr>, Box<Expr>),
}

/// A function-call argument.
#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    /// A plain expression.
    Expr(Expr),
    /// `x in list: body`, the body evaluated for each element.
    Each {
        /// The element's name.
        binder: Ident,
        /// The list.
        list: Expr,
        /// The body.
        body: Expr,
    },
}

/// The kinds of expression.
#[derive(Debug, Clone, PartialEq)]
pub enum ExprKind {
    /// `true`, `false`
    Bool(bool),
    /// `12`, `4_000`
    Int(i64),
    /// `4.5`
    Decimal(Decimal),
    /// `USD 4_000_000`, `EUR 250.50`: the amount and its currency code
    Money(Decimal, Currency),
    /// `12.5%`
    Percent(Decimal),
    /// `2024-08-06`
    Date(NaiveDate),
    /// `2024-07` (year, month)
    Month(i32, u32),
    /// `12 months`, `60 days`, `1 year`
    Duration(i64, DurationUnit),
    /// `"text"`
    Text(String),
    /// `none`
    None,
    /// A name: a local, a rule, a fact, a table, an enum or a module alias.
    Name(Ident),
    /// `expr.field`
    Field(Box<Expr>, Ident),
    /// `table[key]`
    Index(Box<Expr>, Box<Expr>),
    /// `name(args…)`
    Call(Ident, Vec<Arg>),
    /// `-expr`
    Neg(Box<Expr>),
    /// `not expr`
    Not(Box<Expr>),
    /// `a + b`, `a - b`, `a * b`, `a / b`
    Arith(ArithOp, Box<Expr>, Box<Expr>),
    /// `a and b and …`
    And(Vec<Expr>),
    /// `a or b or …`
    Or(Vec<Expr>),
    /// `a < b`, …
    Compare(CmpOp, Box<Expr>, Box<Expr>),
    /// `x in list`
    In(Box<Expr>, Box<Expr>),
    /// `date within window`
    Within(Box<Expr>, Box<Expr>),
    /// `x is none`
    IsNone(Box<Expr>),
    /// `x is some` or, as the condition of an `if`, `x is some v`
    IsSome(Box<Expr>, Option<Ident>),
    /// `x otherwise default`
    Otherwise(Box<Expr>, Box<Expr>),
    /// `if c then a else b`
    If(Box<Expr>, Box<Expr>, Box<Expr>),
    /// `let x = value; body`
    Let(Ident, Box<Expr>, Box<Expr>),
    /// `list where condition` (the element is `it`)
    Where(Box<Expr>, Box<Expr>),
    /// `list group by key` (the element is `it`)
    GroupBy(Box<Expr>, Box<Expr>),
    /// `any { "label": … }`, `all { … }`, `at least N of { … }`
    Criteria(CriteriaKind, Vec<Criterion>),
    /// `score max 100 { "metric": points, … }`
    Score(Decimal, Vec<Criterion>),
    /// `points(quantity, rate, max cap[, whole])`
    Points {
        /// What is counted or measured.
        quantity: Box<Expr>,
        /// Points per unit.
        rate: Rate,
        /// The cap.
        max: Box<Expr>,
        /// Whether only whole steps score.
        whole: bool,
    },
    /// `trailing 12 months [ending date]`
    Trailing(Box<Expr>, Option<Box<Expr>>),
    /// `between a and b`
    Between(Box<Expr>, Box<Expr>),
    /// `[a, b, c]`
    List(Vec<Expr>),
    /// `{ field: value, … }`
    Record(Vec<(Ident, Expr)>),
}
