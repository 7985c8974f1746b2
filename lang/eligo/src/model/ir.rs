//! The checked, slot-resolved form of expressions: what the type checker produces and evaluation
//! compiles. Every name is an index here: locals are frame slots, rules, tables and enums are
//! positions in the program, fields are record slots. Nothing is looked up by string at
//! evaluation time. [`visit`] and [`visit_children`] walk it.

use super::ty::Ty;
use super::value::Value;
use crate::source::Span;
use crate::syntax::ast::CmpOp;
use rust_decimal::Decimal;

/// Index of a labelled criterion in [`super::Program::criteria`].
pub type CritId = u32;

/// An IR expression.
#[derive(Debug, Clone)]
pub enum Ir {
    /// A constant.
    Const(Value),
    /// A frame slot: a rule parameter or a binder (`let`, `it`, `x in list`).
    Local(u32),
    /// A root field of the facts.
    Fact(u32),
    /// The evaluation date.
    AsOf,
    /// The value of a rule without parameters.
    Rule(u32),
    /// A call of a rule with parameters.
    Call(u32, Vec<Ir>),
    /// A table's rows.
    Table(u32),
    /// A keyed table lookup: the row, or none.
    Lookup(u32, Box<Ir>),
    /// A record field; none stays none.
    Field(Box<Ir>, u32),
    /// A field of every record in a list.
    MapField(Box<Ir>, u32),
    /// Arithmetic with a fixed operand kind.
    Arith(Arith, Box<Ir>, Box<Ir>, Span),
    /// Negation of a number or duration.
    Neg(Box<Ir>, Span),
    /// Widening of an Int to a Decimal.
    IntToDec(Box<Ir>),
    /// `not`
    Not(Box<Ir>),
    /// A comparison, with the unit of its operands (for explanations).
    Cmp(CmpOp, Box<Ir>, Box<Ir>, Unit),
    /// `and`, evaluated left to right, stopping at the first false.
    And(Vec<Ir>),
    /// `or`, evaluated left to right, stopping at the first true.
    Or(Vec<Ir>),
    /// `if c then a else b`
    If(Box<Ir>, Box<Ir>, Box<Ir>),
    /// `if x is some v then a else b`: binds the slot in `a`.
    IfSome(Box<Ir>, u32, Box<Ir>, Box<Ir>),
    /// `let`: binds a slot in the body.
    Let(u32, Box<Ir>, Box<Ir>),
    /// `x is none`
    IsNone(Box<Ir>),
    /// `x otherwise d`
    Otherwise(Box<Ir>, Box<Ir>),
    /// `x in list`
    In(Box<Ir>, Box<Ir>),
    /// `date within window`
    Within(Box<Ir>, Box<Ir>),
    /// `list where cond` with the element in a slot.
    Filter(Box<Ir>, u32, Box<Ir>),
    /// The body for each element (the `x in list: body` argument).
    Map(Box<Ir>, u32, Box<Ir>),
    /// `list group by key`: `[{key, items}]` in order of first appearance.
    Group(Box<Ir>, u32, Box<Ir>),
    /// An aggregate over a list.
    Agg(Agg, Box<Ir>),
    /// `min(a, b, …)` / `max(a, b, …)` of plain values.
    Extreme(bool, Vec<Ir>),
    /// A labelled criteria block.
    Criteria(Combine, Vec<(CritId, Ir)>),
    /// `score max M { … }`
    Score(Decimal, Vec<(CritId, Ir)>),
    /// `points(quantity, rate, max cap)`
    Points {
        /// What is counted.
        quantity: Box<Ir>,
        /// Points per unit.
        rate: Box<Ir>,
        /// The unit (`per`), or one (`each`).
        per: Option<Box<Ir>>,
        /// The cap.
        max: Box<Ir>,
        /// Only whole units score.
        whole: bool,
        /// For errors.
        span: Span,
    },
    /// `trailing d [ending e]`: `(e - d, e]`, `e` the evaluation date when left out.
    Trailing(Box<Ir>, Option<Box<Ir>>, Span),
    /// `between a and b`: `[a, b]`.
    Between(Box<Ir>, Box<Ir>),
    /// A list literal.
    List(Vec<Ir>),
    /// A record literal, fields in slot order.
    Record(Vec<Ir>),
    /// A built-in function.
    Builtin(Builtin, Vec<Ir>, Span),
    /// A subexpression that reads no local, inside a loop: computed once per evaluation and
    /// kept in a cache slot (see `types/hoist.rs`).
    Cached(u32, Box<Ir>),
}

/// Arithmetic, resolved to operand kinds by the checker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arith {
    /// Int op Int, checked for overflow.
    Int(crate::syntax::ast::ArithOp),
    /// Decimal (or Money, Percent) op Decimal; Int operands were widened.
    Dec(crate::syntax::ast::ArithOp),
    /// Int / Int, giving a Decimal.
    IntDiv,
    /// Money × Percent (either order): that percentage of the amount.
    PercentOf,
    /// Date ± Days.
    DateDays(bool),
    /// Date ± Months, clamping to month ends.
    DateMonths(bool),
    /// Date - Date, giving Days.
    DateDiff,
    /// Month ± Months.
    MonthMonths(bool),
    /// Month - Month, giving Months.
    MonthDiff,
    /// Days ± Days or Months ± Months (the variant tells which at run time).
    Duration(bool),
    /// Int * Days or Int * Months (either order).
    ScaleDuration,
    /// Text + Text: the texts one after the other.
    Concat,
}

/// List aggregates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Agg {
    /// Number of elements, or of true elements when counting a condition.
    Count,
    /// Number of true elements.
    CountTrue,
    /// Sum of Ints.
    SumInt,
    /// Sum of decimals.
    SumDec,
    /// Sum of Days or Months (zero of the given kind when empty).
    SumDuration(bool),
    /// Smallest element, none when empty.
    Min,
    /// Largest element, none when empty.
    Max,
    /// Mean of Ints or decimals as a decimal, none when empty.
    Mean,
    /// Elements in order of first appearance, without repeats.
    Distinct,
    /// The first element, none when empty.
    First,
    /// The last element, none when empty.
    Last,
    /// The elements in ascending order (stable).
    Sort,
    /// Whether any element is true.
    Any,
    /// Whether every element is true.
    All,
}

/// How a criteria block combines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Combine {
    /// At least one.
    Any,
    /// Every one.
    All,
    /// At least N.
    AtLeast(u32),
}

/// Built-in functions other than aggregates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Builtin {
    /// `round(x, places)`: half away from zero.
    Round,
    /// `floor(x)`: towards negative infinity.
    Floor,
    /// `ceil(x)`: towards positive infinity.
    Ceil,
    /// `abs(x)`
    Abs,
    /// `days(n)`
    Days,
    /// `months(n)`
    Months,
    /// `years(n)`: twelve months each.
    Years,
    /// `month(date)`
    MonthOf,
    /// `year(date)`
    YearOf,
    /// `first_day(month)`
    FirstDay,
    /// `last_day(month)`
    LastDay,
    /// `months_in(window)`: every calendar month the window touches, in order.
    MonthsIn,
    /// `months_between(from, to)`: the whole months from `from` to `to`, rounded toward zero.
    MonthsBetween,
    /// `start(window)`: its first date inside.
    WindowStart,
    /// `end(window)`: its last date inside.
    WindowEnd,
    /// `anniversary(start, on_or_after, first)`: the first `start + n years`, n ≥ first, on or
    /// after the date.
    Anniversary,
    /// `length(text)` — number of characters.
    Length,
    /// `text(variant)`: the variant's name (the second argument is the list of names).
    EnumText,
}

/// The unit of compared quantities: explanations state shortfalls in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// A count.
    Count,
    /// A plain decimal number.
    Number,
    /// US dollars.
    Money,
    /// A percentage.
    Percent,
    /// A date.
    Date,
    /// Days.
    Days,
    /// Months.
    Months,
    /// Anything else (text, enums, booleans…).
    Other,
    /// Lists and records: comparing them costs work in proportion to their elements, which the
    /// evaluation charges as steps.
    Compound,
}

impl Unit {
    /// The unit of values of a type.
    pub fn of(t: &Ty) -> Unit {
        match t.strip_opt() {
            Ty::Int => Unit::Count,
            Ty::Decimal => Unit::Number,
            Ty::Money => Unit::Money,
            Ty::Percent => Unit::Percent,
            Ty::Date => Unit::Date,
            Ty::Days => Unit::Days,
            Ty::Months => Unit::Months,
            Ty::List(_) | Ty::Record(_) => Unit::Compound,
            _ => Unit::Other,
        }
    }
}

/// Calls `f` on each direct child of an expression, shared (`iter`) or mutable (`iter_mut`):
/// one list of the IR's children for every walk over it.
macro_rules! for_each_child {
    ($ir:expr, $f:expr, $iter:ident) => {
        match $ir {
            Ir::Const(_) | Ir::Local(_) | Ir::Fact(_) | Ir::AsOf | Ir::Rule(_) | Ir::Table(_) => {}
            Ir::Call(_, xs)
            | Ir::And(xs)
            | Ir::Or(xs)
            | Ir::List(xs)
            | Ir::Record(xs)
            | Ir::Extreme(_, xs)
            | Ir::Builtin(_, xs, _) => xs.$iter().for_each(|x| $f(x)),
            Ir::Cached(_, x)
            | Ir::Lookup(_, x)
            | Ir::Field(x, _)
            | Ir::MapField(x, _)
            | Ir::Neg(x, _)
            | Ir::IntToDec(x)
            | Ir::Not(x)
            | Ir::IsNone(x)
            | Ir::Agg(_, x) => $f(x),
            Ir::Arith(_, a, b, _)
            | Ir::Cmp(_, a, b, _)
            | Ir::Let(_, a, b)
            | Ir::Otherwise(a, b)
            | Ir::In(a, b)
            | Ir::Within(a, b)
            | Ir::Filter(a, _, b)
            | Ir::Map(a, _, b)
            | Ir::Group(a, _, b)
            | Ir::Between(a, b) => {
                $f(a);
                $f(b);
            }
            Ir::If(a, b, c) | Ir::IfSome(a, _, b, c) => {
                $f(a);
                $f(b);
                $f(c);
            }
            Ir::Criteria(_, items) | Ir::Score(_, items) => items.$iter().for_each(|(_, x)| $f(x)),
            Ir::Points {
                quantity,
                rate,
                per,
                max,
                ..
            } => {
                $f(quantity);
                $f(rate);
                if let Some(p) = per {
                    $f(p);
                }
                $f(max);
            }
            Ir::Trailing(a, b, _) => {
                $f(a);
                if let Some(b) = b {
                    $f(b);
                }
            }
        }
    };
}

/// Calls `f` on every node of an expression, parents before children.
pub fn visit(ir: &Ir, f: &mut impl FnMut(&Ir)) {
    f(ir);
    visit_children(ir, &mut |c| visit(c, f));
}

/// Calls `f` on the direct children of an expression.
pub fn visit_children<'a>(ir: &'a Ir, f: &mut impl FnMut(&'a Ir)) {
    for_each_child!(ir, f, iter);
}

/// Calls `f` on the direct children of an expression, mutably (for rewrites of the IR).
pub fn visit_children_mut(ir: &mut Ir, f: &mut impl FnMut(&mut Ir)) {
    for_each_child!(ir, f, iter_mut);
}
