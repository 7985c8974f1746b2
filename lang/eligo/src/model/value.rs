//! Runtime values: a small enum whose clones are O(1) (lists, records and text are shared).
//! Money, Decimal and Percent are all exact decimals at run time; the checker keeps them apart.

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use std::cmp::Ordering;
use std::sync::Arc;

/// A value. Equality and hashing are by value: an Int equals the Decimal of the same number
/// (`1 == 1.0`), and decimals equal whatever their scale (`1.50 == 1.5`).
#[derive(Debug, Clone)]
pub enum Value {
    /// An absent optional value (`none`).
    None,
    /// `true` or `false`.
    Bool(bool),
    /// A whole number.
    Int(i64),
    /// An exact decimal: Decimal, Money or Percent.
    Dec(Decimal),
    /// A calendar date.
    Date(NaiveDate),
    /// A calendar month, as months since year 0 (`year * 12 + month - 1`).
    Month(i32),
    /// A duration in days.
    Days(i64),
    /// A duration in months.
    Months(i64),
    /// Text.
    Text(Arc<str>),
    /// An enum variant, by index.
    Enum(u32),
    /// A list.
    List(Arc<Vec<Value>>),
    /// A record, fields in slot order.
    Record(Arc<Vec<Value>>),
    /// A window of dates.
    Window(Window),
}

impl PartialEq for Value {
    fn eq(&self, other: &Value) -> bool {
        use Value::*;
        match (self, other) {
            (None, None) => true,
            (Bool(a), Bool(b)) => a == b,
            (Int(a), Int(b)) => a == b,
            (Dec(a), Dec(b)) => a == b,
            (Int(a), Dec(b)) | (Dec(b), Int(a)) => Decimal::from(*a) == *b,
            (Date(a), Date(b)) => a == b,
            (Month(a), Month(b)) => a == b,
            (Days(a), Days(b)) | (Months(a), Months(b)) => a == b,
            (Text(a), Text(b)) => a == b,
            (Enum(a), Enum(b)) => a == b,
            (List(a), List(b)) | (Record(a), Record(b)) => Arc::ptr_eq(a, b) || a == b,
            (Window(a), Window(b)) => a == b,
            _ => false,
        }
    }
}

impl Eq for Value {}

impl std::hash::Hash for Value {
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        use Value::*;
        match self {
            None => 0u8.hash(h),
            Bool(b) => (1u8, b).hash(h),
            // Ints hash as the decimals they equal.
            Int(i) => (2u8, Decimal::from(*i).normalize()).hash(h),
            Dec(d) => (2u8, d.normalize()).hash(h),
            Date(d) => (3u8, d).hash(h),
            Month(m) => (4u8, m).hash(h),
            Days(n) => (5u8, n).hash(h),
            Months(n) => (6u8, n).hash(h),
            Text(t) => (7u8, t).hash(h),
            Enum(e) => (8u8, e).hash(h),
            List(l) => (9u8, &**l).hash(h),
            Record(r) => (10u8, &**r).hash(h),
            Window(w) => (11u8, w).hash(h),
        }
    }
}

/// A span of dates with explicit ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Window {
    /// The first date, and whether it belongs to the window.
    pub start: NaiveDate,
    /// Whether `start` itself is inside.
    pub start_inclusive: bool,
    /// The last date.
    pub end: NaiveDate,
    /// Whether `end` itself is inside.
    pub end_inclusive: bool,
}

impl Window {
    /// Whether a date lies in the window.
    pub fn contains(&self, d: NaiveDate) -> bool {
        let after_start = if self.start_inclusive {
            d >= self.start
        } else {
            d > self.start
        };
        let before_end = if self.end_inclusive {
            d <= self.end
        } else {
            d < self.end
        };
        after_start && before_end
    }
}

impl Value {
    /// An empty list.
    pub fn empty_list() -> Value {
        Value::List(Arc::new(Vec::new()))
    }

    /// Whether this is `true` (anything else, `none` included, is not). Evaluation reads
    /// conditions with [`Value::truth`], which tells a non-boolean apart.
    pub fn as_bool(&self) -> bool {
        matches!(self, Value::Bool(true))
    }

    /// The boolean inside; `None` for any other value.
    pub fn truth(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// The list inside, or an empty slice for anything else (for values known to be lists:
    /// table rows, recorded results). Evaluation reads lists with [`Value::list`].
    pub fn as_list(&self) -> &[Value] {
        self.list().unwrap_or(&[])
    }

    /// The list inside; `None` for any other value.
    pub fn list(&self) -> Option<&[Value]> {
        match self {
            Value::List(l) => Some(l),
            _ => None,
        }
    }

    /// A month value from year and month (1-12).
    pub fn month(year: i32, month: u32) -> Value {
        Value::Month(year * 12 + month as i32 - 1)
    }

    /// The month a date lies in.
    pub fn month_of(d: NaiveDate) -> Value {
        Value::month(d.year(), d.month())
    }

    /// Orders two values of one type (numbers, dates, months, durations, text, variants,
    /// booleans); `None` for values that have no order between them (of different kinds).
    pub fn compare(&self, other: &Value) -> Option<Ordering> {
        use Value::*;
        Some(match (self, other) {
            (Int(a), Int(b)) => a.cmp(b),
            (Dec(a), Dec(b)) => dec_cmp(*a, *b),
            (Int(a), Dec(b)) => dec_cmp(Decimal::from(*a), *b),
            (Dec(a), Int(b)) => dec_cmp(*a, Decimal::from(*b)),
            (Date(a), Date(b)) => a.cmp(b),
            (Month(a), Month(b)) => a.cmp(b),
            (Days(a), Days(b)) | (Months(a), Months(b)) => a.cmp(b),
            (Text(a), Text(b)) => a.cmp(b),
            (Enum(a), Enum(b)) => a.cmp(b),
            (Bool(a), Bool(b)) => a.cmp(b),
            (None, None) => Ordering::Equal,
            _ => return Option::None,
        })
    }

    /// Equality by value (the same as `==`).
    pub fn same(&self, other: &Value) -> bool {
        self == other
    }
}

/// The order of two decimals: their mantissas compared at the larger scale (see
/// [`common_scale`]), else rust_decimal's order (which rescales through a slower general path).
#[inline]
pub fn dec_cmp(a: Decimal, b: Decimal) -> Ordering {
    match common_scale(a, b) {
        Some((x, y, _)) => x.cmp(&y),
        None => a.cmp(&b),
    }
}

/// The mantissas of two decimals at the larger of their two scales, and that scale, when the
/// scales differ by at most 9 (amounts of a few decimals always do). Each mantissa is then
/// below 2^126 in magnitude (2^96 times at most 10^9), so their sum or difference fits an
/// `i128`: arithmetic and comparisons on them are exact integer operations.
#[inline]
pub fn common_scale(a: Decimal, b: Decimal) -> Option<(i128, i128, u32)> {
    const POW10: [i128; 10] = [
        1,
        10,
        100,
        1_000,
        10_000,
        100_000,
        1_000_000,
        10_000_000,
        100_000_000,
        1_000_000_000,
    ];
    let (sa, sb) = (a.scale(), b.scale());
    let (ma, mb) = (a.mantissa(), b.mantissa());
    if sa >= sb {
        let p = POW10.get((sa - sb) as usize)?;
        Some((ma, mb * p, sa))
    } else {
        let p = POW10.get((sb - sa) as usize)?;
        Some((ma * p, mb, sb))
    }
}

/// The decimal of a mantissa and a scale of at most 28, when the mantissa fits a decimal's 96
/// bits.
#[inline]
pub fn decimal_of(m: i128, scale: u32) -> Option<Decimal> {
    let abs = m.unsigned_abs();
    if abs >> 96 != 0 || scale > 28 {
        return None;
    }
    let (lo, mid, hi) = (abs as u32, (abs >> 32) as u32, (abs >> 64) as u32);
    Some(Decimal::from_parts(lo, mid, hi, m < 0, scale))
}

/// Formats a month value as `YYYY-MM`.
pub fn format_month(m: i32) -> String {
    let y = m.div_euclid(12);
    let mo = m.rem_euclid(12) + 1;
    format!("{y:04}-{mo:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn window_ends_follow_their_inclusivity() {
        let w = Window {
            start: d("2023-08-06"),
            start_inclusive: false,
            end: d("2024-08-06"),
            end_inclusive: true,
        };
        assert!(!w.contains(d("2023-08-06")));
        assert!(w.contains(d("2023-08-07")));
        assert!(w.contains(d("2024-08-06")));
        assert!(!w.contains(d("2024-08-07")));
    }

    #[test]
    fn decimals_equal_by_value_not_scale() {
        let a = Value::Dec("1.50".parse().unwrap());
        let b = Value::Dec("1.5".parse().unwrap());
        assert!(a.same(&b));
        assert!(Value::Int(2).same(&Value::Dec("2.0".parse().unwrap())));
    }

    #[test]
    fn months_format_as_year_and_month() {
        assert_eq!(format_month(2024 * 12 + 6), "2024-07");
        let Value::Month(m) = Value::month_of(d("2024-02-29")) else {
            panic!()
        };
        assert_eq!(format_month(m), "2024-02");
    }
}
