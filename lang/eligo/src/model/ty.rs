//! The types of eligo values.

use super::value::Value;
use std::fmt;
use std::sync::Arc;

/// Index of an enum in [`super::Program::enums`].
pub type EnumId = u32;

/// A type.
#[derive(Debug, Clone)]
pub enum Ty {
    /// The type of an expression that already failed to check: accepted everywhere, so one
    /// mistake gives one error.
    Error,
    /// The element type of `[]` and `none` before anything says more.
    Unknown,
    /// `Bool`
    Bool,
    /// `Int`: a whole number (a count).
    Int,
    /// `Decimal`: an exact decimal number.
    Decimal,
    /// `Money`: an exact amount in the program's currency (USD unless it declares another).
    Money,
    /// `Percent`: `12.5%`.
    Percent,
    /// `Date`: a calendar date.
    Date,
    /// `Month`: a calendar month.
    Month,
    /// `Days`: a duration in days.
    Days,
    /// `Months`: a duration in months (a year is twelve).
    Months,
    /// `Text`
    Text,
    /// A span of dates: `trailing 12 months`, `between a and b`.
    Window,
    /// An enum.
    Enum(EnumId, Arc<str>),
    /// `[T]`
    List(Arc<Ty>),
    /// `T?`
    Opt(Arc<Ty>),
    /// `{ field: T, … }`
    Record(Arc<RecordTy>),
}

/// A record type: named (`type Transaction = {…}`) or structural.
#[derive(Debug, Clone)]
pub struct RecordTy {
    /// The declared name, for messages.
    pub name: Option<Arc<str>>,
    /// The fields, in slot order.
    pub fields: Vec<FieldTy>,
}

/// One field of a record type.
#[derive(Debug, Clone)]
pub struct FieldTy {
    /// The field (and JSON key) name.
    pub name: Arc<str>,
    /// Its type.
    pub ty: Ty,
    /// The value when the field is absent from facts: from `= value`, or empty lists,
    /// `none`, or a record of defaults.
    pub default: Option<Value>,
    /// Whether facts may hold a negative number here (`@signed`).
    pub signed: bool,
}

impl RecordTy {
    /// The slot of a field.
    pub fn slot(&self, name: &str) -> Option<usize> {
        self.fields.iter().position(|f| &*f.name == name)
    }
}

impl PartialEq for Ty {
    fn eq(&self, other: &Ty) -> bool {
        use Ty::*;
        match (self, other) {
            (Enum(a, _), Enum(b, _)) => a == b,
            (List(a), List(b)) | (Opt(a), Opt(b)) => a == b,
            (Record(a), Record(b)) => {
                Arc::ptr_eq(a, b)
                    || (a.fields.len() == b.fields.len()
                        && a.fields
                            .iter()
                            .zip(&b.fields)
                            .all(|(x, y)| x.name == y.name && x.ty == y.ty))
            }
            _ => std::mem::discriminant(self) == std::mem::discriminant(other),
        }
    }
}

impl Ty {
    /// `T?`, flattening `T??` to `T?`.
    pub fn optional(self) -> Ty {
        match self {
            Ty::Opt(_) | Ty::Error => self,
            t => Ty::Opt(Arc::new(t)),
        }
    }

    /// `[T]`
    pub fn list(self) -> Ty {
        Ty::List(Arc::new(self))
    }

    /// Whether this is the error type or contains no information yet.
    pub fn is_error(&self) -> bool {
        matches!(self, Ty::Error)
    }

    /// Whether this is or contains the error type (`[T]` where `T` failed to check): no
    /// diagnostic is about such a type, the one that made it already said what is wrong.
    pub fn has_error(&self) -> bool {
        match self {
            Ty::Error => true,
            Ty::List(t) | Ty::Opt(t) => t.has_error(),
            Ty::Record(r) => r.fields.iter().any(|f| f.ty.has_error()),
            _ => false,
        }
    }

    /// The inner type of an optional, or the type itself.
    pub fn strip_opt(&self) -> &Ty {
        match self {
            Ty::Opt(t) => t,
            t => t,
        }
    }

    /// Values of this type can be compared with `<`.
    pub fn is_ordered(&self) -> bool {
        matches!(
            self,
            Ty::Int
                | Ty::Decimal
                | Ty::Money
                | Ty::Percent
                | Ty::Date
                | Ty::Month
                | Ty::Days
                | Ty::Months
                | Ty::Text
                | Ty::Enum(..)
                | Ty::Error
        )
    }

    /// Values of this type can be compared with `==`, grouped and made distinct.
    pub fn is_equatable(&self) -> bool {
        match self {
            Ty::Window => false,
            Ty::List(t) | Ty::Opt(t) => t.is_equatable(),
            Ty::Record(r) => r.fields.iter().all(|f| f.ty.is_equatable()),
            _ => true,
        }
    }

    /// Values of this type can be summed.
    pub fn is_summable(&self) -> bool {
        matches!(
            self,
            Ty::Int | Ty::Decimal | Ty::Money | Ty::Percent | Ty::Days | Ty::Months | Ty::Error
        )
    }

    /// The least type both fit in, if any: `Int` widens to `Decimal`, `Unknown` to anything,
    /// `T` to `T?`.
    pub fn join(&self, other: &Ty) -> Option<Ty> {
        use Ty::*;
        Some(match (self, other) {
            (Error, _) | (_, Error) => Error,
            (Unknown, t) | (t, Unknown) => t.clone(),
            (Int, Decimal) | (Decimal, Int) => Decimal,
            (Opt(a), Opt(b)) => a.join(b)?.optional(),
            (Opt(a), b) | (b, Opt(a)) => a.join(b)?.optional(),
            (List(a), List(b)) => a.join(b)?.list(),
            (a, b) if a == b => a.clone(),
            // Records with the same fields join field by field (`{note: none}` and `{note: "x"}`).
            (Record(a), Record(b)) if a.fields.len() == b.fields.len() => {
                let mut fields = Vec::with_capacity(a.fields.len());
                for (x, y) in a.fields.iter().zip(&b.fields) {
                    if x.name != y.name {
                        return None;
                    }
                    let mut f = x.clone();
                    f.ty = x.ty.join(&y.ty)?;
                    fields.push(f);
                }
                Record(Arc::new(RecordTy {
                    name: a.name.clone(),
                    fields,
                }))
            }
            _ => return None,
        })
    }

    /// Whether a value of type `self` may stand where `target` is expected (maybe after a
    /// widening the checker inserts).
    pub fn fits(&self, target: &Ty) -> bool {
        use Ty::*;
        match (self, target) {
            (Error, _) | (_, Error) | (Unknown, _) => true,
            (a, b) if a.has_error() || b.has_error() => true,
            (Int, Decimal) => true,
            (Opt(a), Opt(b)) => a.fits(b),
            (a, Opt(b)) => a.fits(b),
            (List(a), List(b)) => {
                a.fits(b) && (**a == **b || matches!(**a, Unknown) || matches!(**a, Record(_)))
            }
            (Record(a), Record(b)) => {
                a.fields.len() == b.fields.len()
                    && a.fields
                        .iter()
                        .zip(&b.fields)
                        .all(|(x, y)| x.name == y.name && x.ty.fits(&y.ty))
            }
            (a, b) => a == b,
        }
    }
}

/// The most nodes a type may have, counted as a tree: each field of a record, the element of a
/// list and the value of an optional one each (a named record counts its fields too). Types share
/// their parts, so `xs group by it`, which holds the element type twice, doubles a type with each
/// link of a chain; a bound keeps every walk over a type (comparisons, messages, printing) small.
/// The standard policies' largest type has 42 nodes (their facts, all of them, 130).
pub const MAX_TYPE_NODES: usize = 4096;

/// `t`, or the error type with E0326 pushed on `errors` when it has more than
/// [`MAX_TYPE_NODES`] nodes (one check for written types and for types built by expressions).
pub fn within_type_limit(
    t: Ty,
    span: crate::source::Span,
    errors: &mut Vec<crate::diag::Error>,
) -> Ty {
    if t.nodes_within(MAX_TYPE_NODES).is_some() {
        return t;
    }
    if t.has_error() {
        // Built from a type already refused (`map(x in <too large>: [x]) group by it`): that
        // error was reported. (Its parts are each within the limit, so this walk is short.)
        return Ty::Error;
    }
    let kind = crate::diag::ErrorKind::TypeTooLarge {
        limit: MAX_TYPE_NODES,
    };
    errors.push(crate::diag::Error::at(span, kind));
    Ty::Error
}

/// The most nodes of a type that a message shows; the rest is `…`.
const SHOWN_TYPE_NODES: usize = 64;

impl Ty {
    /// The nodes of this type as a tree (see [`MAX_TYPE_NODES`]), or `None` past `limit`: the
    /// count stops there, so it takes at most `limit` steps however much the type shares.
    pub fn nodes_within(&self, limit: usize) -> Option<usize> {
        let mut count = 0;
        let mut stack = vec![self];
        while let Some(t) = stack.pop() {
            count += 1;
            if count > limit {
                return None;
            }
            match t {
                Ty::List(x) | Ty::Opt(x) => stack.push(x),
                Ty::Record(r) => stack.extend(r.fields.iter().map(|f| &f.ty)),
                _ => {}
            }
        }
        Some(count)
    }

    /// Writes the type, its first `budget` nodes and `…` for the rest.
    fn write_within(&self, f: &mut fmt::Formatter<'_>, budget: &mut usize) -> fmt::Result {
        if *budget == 0 {
            return write!(f, "…");
        }
        *budget -= 1;
        match self {
            Ty::Error => write!(f, "an erroneous value"),
            Ty::Unknown => write!(f, "?"),
            Ty::Bool => write!(f, "Bool"),
            Ty::Int => write!(f, "Int"),
            Ty::Decimal => write!(f, "Decimal"),
            Ty::Money => write!(f, "Money"),
            Ty::Percent => write!(f, "Percent"),
            Ty::Date => write!(f, "Date"),
            Ty::Month => write!(f, "Month"),
            Ty::Days => write!(f, "Days"),
            Ty::Months => write!(f, "Months"),
            Ty::Text => write!(f, "Text"),
            Ty::Window => write!(f, "Window"),
            Ty::Enum(_, name) => write!(f, "{name}"),
            Ty::List(t) => {
                write!(f, "[")?;
                t.write_within(f, budget)?;
                write!(f, "]")
            }
            Ty::Opt(t) => {
                t.write_within(f, budget)?;
                write!(f, "?")
            }
            Ty::Record(r) => match &r.name {
                Some(n) => write!(f, "{n}"),
                None => {
                    write!(f, "{{")?;
                    for (i, fl) in r.fields.iter().enumerate() {
                        if i > 0 {
                            write!(f, ", ")?;
                        }
                        if *budget == 0 {
                            return write!(f, "…}}");
                        }
                        write!(f, "{}: ", fl.name)?;
                        fl.ty.write_within(f, budget)?;
                    }
                    write!(f, "}}")
                }
            },
        }
    }
}

/// A type as written, its first 64 nodes: a type built by a long chain of `group by` would
/// otherwise be a message of megabytes.
impl fmt::Display for Ty {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut budget = SHOWN_TYPE_NODES;
        self.write_within(f, &mut budget)
    }
}

/// A field of a structural record type (no default, not signed).
pub fn field(name: &str, ty: Ty) -> FieldTy {
    FieldTy {
        name: name.into(),
        ty,
        default: None,
        signed: false,
    }
}

/// The slot of `.total` in [`score_type`].
pub const SCORE_TOTAL_SLOT: u32 = 0;

/// The type of `score max M { … }` (and of the written type `Score`).
pub fn score_type() -> Ty {
    let metric = Ty::Record(Arc::new(RecordTy {
        name: None,
        fields: vec![field("label", Ty::Text), field("points", Ty::Decimal)],
    }));
    Ty::Record(Arc::new(RecordTy {
        name: Some("Score".into()),
        fields: vec![
            field("total", Ty::Decimal),
            field("every_metric_above_zero", Ty::Bool),
            field("metrics", metric.list()),
        ],
    }))
}

/// The type as a noun phrase for messages: "Money", "a list of Money".
pub fn describe(t: &Ty) -> String {
    format!("`{t}`")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn int_widens_to_decimal_but_money_stays_apart() {
        assert_eq!(Ty::Int.join(&Ty::Decimal), Some(Ty::Decimal));
        assert_eq!(Ty::Money.join(&Ty::Int), None);
        assert!(Ty::Int.fits(&Ty::Decimal));
        assert!(!Ty::Int.fits(&Ty::Money));
        assert!(!Ty::Days.fits(&Ty::Months));
    }

    /// `{key: t, items: [t]}`, the element of `xs group by it` for elements of type `t`.
    fn group(t: Ty) -> Ty {
        Ty::Record(Arc::new(RecordTy {
            name: None,
            fields: vec![field("key", t.clone()), field("items", t.list())],
        }))
    }

    #[test]
    fn nodes_are_counted_as_a_tree_up_to_the_limit() {
        assert_eq!(Ty::Int.nodes_within(10), Some(1));
        assert_eq!(group(Ty::Int).nodes_within(10), Some(4));
        // Sixty doublings share every part: the count stops at the limit.
        let huge = (0..60).fold(Ty::Int, |t, _| group(t));
        assert_eq!(huge.nodes_within(MAX_TYPE_NODES), None);
        assert_eq!(huge.nodes_within(1 << 20), None);
    }

    #[test]
    fn a_type_shows_its_first_parts() {
        assert_eq!(group(Ty::Int).to_string(), "{key: Int, items: [Int]}");
        let huge = (0..60).fold(Ty::Int, |t, _| group(t)).to_string();
        assert!(huge.len() < 1000, "{huge}");
        assert!(huge.starts_with("{key: {key: {key: "), "{huge}");
        assert!(huge.ends_with("…}, …}, …}"), "{huge}");
    }

    #[test]
    fn optionals_flatten_and_join() {
        assert_eq!(Ty::Int.optional().optional(), Ty::Opt(Arc::new(Ty::Int)));
        assert_eq!(
            Ty::Unknown.optional().join(&Ty::Date),
            Some(Ty::Date.optional())
        );
        assert_eq!(
            Ty::Unknown.list().join(&Ty::Text.list()),
            Some(Ty::Text.list())
        );
    }
}
