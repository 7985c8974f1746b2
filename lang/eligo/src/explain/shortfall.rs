//! The distance from a failed comparison to passing, in the quantity's own unit. The arithmetic
//! is checked: a distance too large for a decimal (a `@signed` amount near the limit) is left
//! out of the text, never a panic.

use crate::eval::output::decimal_text;
use crate::eval::Comparison;
use crate::model::ir::Unit;
use crate::model::Value;
use crate::syntax::ast::CmpOp;
use rust_decimal::Decimal;

fn number(v: &Value) -> Option<Decimal> {
    match v {
        Value::Int(i) => Some(Decimal::from(*i)),
        Value::Dec(d) => Some(*d),
        Value::Days(n) | Value::Months(n) => Some(Decimal::from(*n)),
        _ => None,
    }
}

/// A quantity in its unit, for people: `USD 4,000,000`, `12`, `12.5%`, `30 days`.
pub fn quantity(d: Decimal, unit: Unit) -> String {
    match unit {
        Unit::Money => format!("USD {}", money(d)),
        Unit::Percent => format!("{}%", decimal_text(d)),
        Unit::Days => format!("{} days", decimal_text(d)),
        Unit::Months => format!("{} months", decimal_text(d)),
        _ => decimal_text(d),
    }
}

/// Money with thousands separators and cents: `1,240,000.00`.
pub fn money(d: Decimal) -> String {
    let s = format!("{:.2}", d.round_dp(2));
    let (sign, rest) = s.strip_prefix('-').map_or(("", s.as_str()), |r| ("-", r));
    let (int, frac) = rest.split_once('.').unwrap_or((rest, "00"));
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{sign}{grouped}.{frac}")
}

/// What a failed comparison lacks, and how close it is (0 to 1), or nothing when it passed or
/// has no distance (text, enums, dates compared for equality).
pub fn of(c: &Comparison) -> Option<(String, f64)> {
    if crate::eval::compare(c.op, &c.left, &c.right) != Some(false) {
        return None;
    }
    if let (Value::Date(l), Value::Date(r)) = (&c.left, &c.right) {
        let days = (*r - *l).num_days().abs();
        return Some((format!("{days} days away from {r} (now {l})"), 0.0));
    }
    let (l, r) = (number(&c.left)?, number(&c.right)?);
    Some(match c.op {
        CmpOp::Ge | CmpOp::Gt => {
            let strict = c.op == CmpOp::Gt;
            let mut short = r.checked_sub(l);
            if strict && c.unit == Unit::Count {
                short = short.and_then(|s| s.checked_add(Decimal::ONE));
            }
            let more_than = if strict { "more than " } else { "" };
            let text = match (c.unit, short) {
                (Unit::Count, Some(short)) => format!(
                    "{} more needed: {} of {more_than}{}",
                    decimal_text(short),
                    decimal_text(l),
                    decimal_text(r)
                ),
                (Unit::Count, None) => format!(
                    "more needed: {} of {more_than}{}",
                    decimal_text(l),
                    decimal_text(r)
                ),
                (u, Some(short)) => format!(
                    "{} short of {more_than}{} (now {})",
                    quantity(short, u),
                    quantity(r, u),
                    quantity(l, u)
                ),
                (u, None) => format!(
                    "short of {more_than}{} (now {})",
                    quantity(r, u),
                    quantity(l, u)
                ),
            };
            (text, closeness(l, r))
        }
        CmpOp::Le | CmpOp::Lt => {
            let limit = format!(
                "over the limit of {} (now {})",
                quantity(r, c.unit),
                quantity(l, c.unit)
            );
            let text = match l.checked_sub(r) {
                Some(over) => format!("{} {limit}", quantity(over, c.unit)),
                None => limit,
            };
            (text, 0.0)
        }
        CmpOp::Eq | CmpOp::Ne => (
            format!(
                "is {}, {} {}",
                quantity(l, c.unit),
                if c.op == CmpOp::Eq {
                    "needs"
                } else {
                    "must not be"
                },
                quantity(r, c.unit)
            ),
            0.0,
        ),
    })
}

/// How close `have` is to `need`, from 0 to 1 (a ratio too large for a decimal is as close as
/// can be, or as far).
fn closeness(have: Decimal, need: Decimal) -> f64 {
    if need <= Decimal::ZERO {
        return 0.0;
    }
    match have.checked_div(need) {
        Some(ratio) => ratio.try_into().map_or(0.0, |x: f64| x.clamp(0.0, 1.0)),
        None if have > Decimal::ZERO => 1.0,
        None => 0.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cmp(op: CmpOp, l: Value, r: Value, unit: Unit) -> Comparison {
        Comparison {
            op,
            left: l,
            right: r,
            unit,
        }
    }

    #[test]
    fn money_shortfall_is_in_dollars() {
        let c = cmp(
            CmpOp::Ge,
            Value::Dec("2760000".parse().unwrap()),
            Value::Dec("4000000".parse().unwrap()),
            Unit::Money,
        );
        let (text, close) = of(&c).unwrap();
        assert_eq!(
            text,
            "USD 1,240,000.00 short of USD 4,000,000.00 (now USD 2,760,000.00)"
        );
        assert!((close - 0.69).abs() < 1e-9);
    }

    #[test]
    fn counts_say_how_many_more() {
        let c = cmp(CmpOp::Ge, Value::Int(10), Value::Int(12), Unit::Count);
        assert_eq!(of(&c).unwrap().0, "2 more needed: 10 of 12");
        let c = cmp(CmpOp::Gt, Value::Int(10), Value::Int(12), Unit::Count);
        assert_eq!(of(&c).unwrap().0, "3 more needed: 10 of more than 12");
        assert!(of(&cmp(CmpOp::Ge, Value::Int(12), Value::Int(12), Unit::Count)).is_none());
    }

    #[test]
    fn distances_past_the_decimal_range_are_left_out_not_a_panic() {
        let min = Value::Dec(Decimal::MIN);
        let hundred = Value::Dec(Decimal::ONE_HUNDRED);
        let (text, close) = of(&cmp(CmpOp::Ge, min.clone(), hundred.clone(), Unit::Money)).unwrap();
        assert!(
            text.starts_with("short of USD 100.00 (now USD -79,228,"),
            "{text}"
        );
        assert_eq!(close, 0.0);
        let max = Value::Dec(Decimal::MAX);
        let minus = Value::Dec(-Decimal::ONE_HUNDRED);
        let (text, _) = of(&cmp(CmpOp::Le, max.clone(), minus, Unit::Number)).unwrap();
        assert!(
            text.starts_with("over the limit of -100 (now 79228"),
            "{text}"
        );
        let (text, _) = of(&cmp(CmpOp::Gt, min, max, Unit::Count)).unwrap();
        assert!(text.starts_with("more needed: -79228"), "{text}");
        // A tiny need and a huge amount: the ratio overflows, the closeness is whole.
        assert_eq!(closeness(Decimal::MAX, Decimal::new(1, 28)), 1.0);
    }
}
