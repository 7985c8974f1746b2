//! The distance from a failed comparison to passing, in the quantity's own unit. The arithmetic
//! is checked: a distance too large for a decimal (a `@signed` amount near the limit) is left
//! out of the text, never a panic.

use super::Compared;
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

/// A quantity in its unit, for people: `USD 4,000,000` (money in the program's `currency`), `12`, `12.5%`, `30 days`.
pub fn quantity(d: Decimal, unit: Unit, currency: &str) -> String {
    match unit {
        Unit::Money => format!("{currency} {}", money(d)),
        Unit::Percent => format!("{}%", decimal_text(d)),
        Unit::Days if d == Decimal::ONE => "1 day".into(),
        Unit::Days => format!("{} days", decimal_text(d)),
        Unit::Months if d == Decimal::ONE => "1 month".into(),
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
pub fn of(c: &Comparison, currency: &str) -> Option<(String, f64)> {
    if crate::eval::compare(c.op, &c.left, &c.right) != Some(false) {
        return None;
    }
    if let (Value::Date(l), Value::Date(r)) = (&c.left, &c.right) {
        let days = (*r - *l).num_days().abs();
        return Some((format!("{days} days away from {r} (now {l})"), 0.0));
    }
    let (l, r) = (number(&c.left)?, number(&c.right)?);
    Some(match c.op {
        CmpOp::Ge => {
            let text = match (c.unit, r.checked_sub(l)) {
                (Unit::Count, Some(short)) => format!(
                    "{} more needed: {} of {}",
                    decimal_text(short),
                    decimal_text(l),
                    decimal_text(r)
                ),
                (Unit::Count, None) => {
                    format!("more needed: {} of {}", decimal_text(l), decimal_text(r))
                }
                (u, Some(short)) => format!(
                    "{} short of {} (now {})",
                    quantity(short, u, currency),
                    quantity(r, u, currency),
                    quantity(l, u, currency)
                ),
                (u, None) => format!(
                    "short of {} (now {})",
                    quantity(r, u, currency),
                    quantity(l, u, currency)
                ),
            };
            (text, closeness(l, r))
        }
        CmpOp::Gt => {
            // The least value that passes is one step of the unit above the bound: one more,
            // one day, one cent, or one unit of the operands' last decimal place.
            let least = r.checked_add(step(c.unit, l, r));
            let short = least.and_then(|least| least.checked_sub(l));
            let text = match (c.unit, least, short) {
                (Unit::Count, Some(least), Some(short)) => format!(
                    "{} more needed: {} of more than {} ({} or more)",
                    decimal_text(short),
                    decimal_text(l),
                    decimal_text(r),
                    decimal_text(least)
                ),
                (Unit::Count, _, _) => format!(
                    "more needed: {} of more than {}",
                    decimal_text(l),
                    decimal_text(r)
                ),
                (u, Some(least), Some(short)) => format!(
                    "{} short of {}, the least more than {} (now {})",
                    quantity(short, u, currency),
                    quantity(least, u, currency),
                    quantity(r, u, currency),
                    quantity(l, u, currency)
                ),
                (u, _, _) => format!(
                    "short of more than {} (now {})",
                    quantity(r, u, currency),
                    quantity(l, u, currency)
                ),
            };
            (text, least.map_or(0.0, |least| closeness(l, least)))
        }
        CmpOp::Le | CmpOp::Lt => {
            let limit = format!(
                "over the limit of {} (now {})",
                quantity(r, c.unit, currency),
                quantity(l, c.unit, currency)
            );
            let text = match l.checked_sub(r) {
                Some(over) => format!("{} {limit}", quantity(over, c.unit, currency)),
                None => limit,
            };
            (text, 0.0)
        }
        CmpOp::Eq | CmpOp::Ne => (
            format!(
                "is {}, {} {}",
                quantity(l, c.unit, currency),
                if c.op == CmpOp::Eq {
                    "needs"
                } else {
                    "must not be"
                },
                quantity(r, c.unit, currency)
            ),
            0.0,
        ),
    })
}

/// The step of a unit: what "more than" adds to a bound to give the least value that passes.
fn step(unit: Unit, l: Decimal, r: Decimal) -> Decimal {
    match unit {
        Unit::Count | Unit::Days | Unit::Months => Decimal::ONE,
        Unit::Money => Decimal::new(1, 2),
        _ => {
            let places = l.normalize().scale().max(r.normalize().scale());
            let places = if unit == Unit::Percent {
                places.max(2)
            } else {
                places
            };
            Decimal::new(1, places)
        }
    }
}

/// A comparison for people: its operands in their unit and whether it held.
pub fn compared(c: &Comparison, currency: &str) -> Compared {
    let side = |v: &Value| match (number(v), v) {
        (_, Value::Date(d)) => d.to_string(),
        (Some(n), _) => quantity(n, c.unit, currency),
        (None, Value::Bool(b)) => (if *b { "yes" } else { "no" }).to_string(),
        (None, Value::Text(t)) => format!("{t:?}"),
        (None, Value::None) => "none".to_string(),
        (None, _) => "a value".to_string(),
    };
    let op = match c.op {
        CmpOp::Eq => "=",
        CmpOp::Ne => "≠",
        CmpOp::Lt => "<",
        CmpOp::Le => "≤",
        CmpOp::Gt => ">",
        CmpOp::Ge => "≥",
    };
    Compared {
        op,
        left: side(&c.left),
        right: side(&c.right),
        left_number: number(&c.left),
        right_number: number(&c.right),
        passed: crate::eval::compare(c.op, &c.left, &c.right) == Some(true),
    }
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
            ty: crate::model::Ty::Unknown,
            op,
            left: l,
            right: r,
            unit,
            decided: true,
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
        let (text, close) = of(&c, "USD").unwrap();
        assert_eq!(
            text,
            "USD 1,240,000.00 short of USD 4,000,000.00 (now USD 2,760,000.00)"
        );
        assert!((close - 0.69).abs() < 1e-9);
    }

    #[test]
    fn money_is_in_the_program_s_currency() {
        let c = cmp(
            CmpOp::Ge,
            Value::Dec(Decimal::TEN),
            Value::Dec(Decimal::from(25)),
            Unit::Money,
        );
        assert_eq!(
            of(&c, "EUR").unwrap().0,
            "EUR 15.00 short of EUR 25.00 (now EUR 10.00)"
        );
    }

    #[test]
    fn counts_say_how_many_more() {
        let c = cmp(CmpOp::Ge, Value::Int(10), Value::Int(12), Unit::Count);
        assert_eq!(of(&c, "USD").unwrap().0, "2 more needed: 10 of 12");
        let c = cmp(CmpOp::Gt, Value::Int(10), Value::Int(12), Unit::Count);
        assert_eq!(
            of(&c, "USD").unwrap().0,
            "3 more needed: 10 of more than 12 (13 or more)"
        );
        assert!(of(
            &cmp(CmpOp::Ge, Value::Int(12), Value::Int(12), Unit::Count),
            "USD"
        )
        .is_none());
    }

    #[test]
    fn more_than_names_the_least_value_that_passes_in_the_units_step() {
        let days = cmp(CmpOp::Gt, Value::Days(0), Value::Days(0), Unit::Days);
        let (text, close) = of(&days, "USD").unwrap();
        assert_eq!(
            text,
            "1 day short of 1 day, the least more than 0 days (now 0 days)"
        );
        assert_eq!(close, 0.0);
        let money = cmp(
            CmpOp::Gt,
            Value::Dec(Decimal::ZERO),
            Value::Dec(Decimal::ZERO),
            Unit::Money,
        );
        assert_eq!(
            of(&money, "USD").unwrap().0,
            "USD 0.01 short of USD 0.01, the least more than USD 0.00 (now USD 0.00)"
        );
        let pct = cmp(
            CmpOp::Gt,
            Value::Dec("12.5".parse().unwrap()),
            Value::Dec("12.5".parse().unwrap()),
            Unit::Percent,
        );
        assert_eq!(
            of(&pct, "USD").unwrap().0,
            "0.01% short of 12.51%, the least more than 12.5% (now 12.5%)"
        );
        let number = cmp(CmpOp::Gt, Value::Int(0), Value::Int(0), Unit::Number);
        assert_eq!(
            of(&number, "USD").unwrap().0,
            "1 short of 1, the least more than 0 (now 0)"
        );
        let c = compared(
            &cmp(CmpOp::Gt, Value::Int(0), Value::Int(0), Unit::Number),
            "USD",
        );
        assert_eq!(c.text(), "0 > 0: no");
    }

    #[test]
    fn distances_past_the_decimal_range_are_left_out_not_a_panic() {
        let min = Value::Dec(Decimal::MIN);
        let hundred = Value::Dec(Decimal::ONE_HUNDRED);
        let (text, close) = of(
            &cmp(CmpOp::Ge, min.clone(), hundred.clone(), Unit::Money),
            "USD",
        )
        .unwrap();
        assert!(
            text.starts_with("short of USD 100.00 (now USD -79,228,"),
            "{text}"
        );
        assert_eq!(close, 0.0);
        let max = Value::Dec(Decimal::MAX);
        let minus = Value::Dec(-Decimal::ONE_HUNDRED);
        let (text, _) = of(&cmp(CmpOp::Le, max.clone(), minus, Unit::Number), "USD").unwrap();
        assert!(
            text.starts_with("over the limit of -100 (now 79228"),
            "{text}"
        );
        let (text, _) = of(&cmp(CmpOp::Gt, min, max, Unit::Count), "USD").unwrap();
        assert!(text.starts_with("more needed: -79228"), "{text}");
        // A tiny need and a huge amount: the ratio overflows, the closeness is whole.
        assert_eq!(closeness(Decimal::MAX, Decimal::new(1, 28)), 1.0);
    }
}
