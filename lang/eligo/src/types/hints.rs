//! The help lines of type errors: what the author most likely meant. Example amounts are written
//! in the program's currency (`currency`: `@currency("…")` on the facts declaration, else the
//! default), so that the help can be copied as it is.

use crate::model::Ty;
use crate::syntax::ast::ArithOp;

fn is_plain_number(t: &Ty) -> bool {
    matches!(t, Ty::Int | Ty::Decimal)
}

/// Help for a value of type `found` where `want` was expected.
pub fn mismatch(want: &Ty, found: &Ty, currency: &str) -> Option<String> {
    let want_inner = want.strip_opt();
    Some(match (want_inner, found) {
        (_, Ty::Opt(inner)) if inner.fits(want_inner) => {
            "this value may be absent: give a default with `otherwise`, or test it with `is some`"
                .into()
        }
        (Ty::Money, t) if is_plain_number(t) => {
            format!("money is written with its currency, e.g. `{currency} 10_000`")
        }
        (t, Ty::Money) if is_plain_number(t) => {
            format!("money is not a count or a plain number; compare it with an amount such as `{currency} 100`")
        }
        (Ty::Percent, t) if is_plain_number(t) => {
            "percentages are written with `%`, e.g. `30%`".into()
        }
        (Ty::Days, Ty::Months) | (Ty::Months, Ty::Days) => days_months(),
        (Ty::Date, Ty::Text) => "dates are written without quotes: `2024-08-06`".into(),
        (Ty::Date, Ty::Month) => {
            "a month is not a date: `last_day(m) within w` asks whether the window holds the month's end (the month is complete in it), `m in months_in(w)` whether the window touches the month".into()
        }
        (Ty::Enum(..), Ty::Text) => {
            "enum values are names, not text: write the variant without quotes".into()
        }
        (Ty::Bool, Ty::List(_)) => {
            "to ask whether a list has elements, use `count(list) > 0` or `any(x in list: …)`"
                .into()
        }
        _ => return None,
    })
}

fn days_months() -> String {
    "days and months do not compare or combine: a month has 28 to 31 days; use one unit, e.g. `12 months` or `365 days`".into()
}

/// Help for operands an operator cannot take.
pub fn operands(op: ArithOp, a: &Ty, b: &Ty, currency: &str) -> Option<String> {
    Some(match (op, a, b) {
        (ArithOp::Add | ArithOp::Sub, Ty::Money, t)
        | (ArithOp::Add | ArithOp::Sub, t, Ty::Money)
            if is_plain_number(t) =>
        {
            format!("money adds only to money: write the amount as `{currency} 100`")
        }
        (_, Ty::Days, Ty::Months) | (_, Ty::Months, Ty::Days) => days_months(),
        (ArithOp::Add, Ty::Date, Ty::Date) => {
            "dates cannot be added; add a duration such as `30 days`".into()
        }
        (_, Ty::Date, t) | (_, t, Ty::Date) if is_plain_number(t) => {
            "add a duration to a date, with its unit: `D + 30 days`, `D + 12 months`".into()
        }
        (ArithOp::Mul, Ty::Money, Ty::Money) => {
            "multiply money by a plain number, not by money".into()
        }
        (_, Ty::Percent, t) | (_, t, Ty::Percent)
            if is_plain_number(t) && matches!(op, ArithOp::Add | ArithOp::Sub) =>
        {
            "percentages add only to percentages: write `5%`".into()
        }
        (_, Ty::Opt(_), _) | (_, _, Ty::Opt(_)) => {
            "a value that may be absent cannot be computed with: give a default with `otherwise`"
                .into()
        }
        _ => return None,
    })
}

/// Help for values that cannot be compared.
pub fn compare(a: &Ty, b: &Ty, currency: &str) -> Option<String> {
    Some(match (a, b) {
        (Ty::Money, t) | (t, Ty::Money) if is_plain_number(t) => {
            format!("money is not a count or a plain number: compare it with an amount such as `{currency} 10_000`")
        }
        (Ty::Percent, t) | (t, Ty::Percent) if is_plain_number(t) => {
            "percentages compare with percentages: write `30%`".into()
        }
        (Ty::Days, Ty::Months) | (Ty::Months, Ty::Days) => days_months(),
        (Ty::Date, Ty::Text) | (Ty::Text, Ty::Date) => {
            "dates are written without quotes: `2024-08-06`".into()
        }
        (Ty::Window, _) | (_, Ty::Window) => {
            "test whether a date lies in a window with `date within window`".into()
        }
        (Ty::Enum(..), Ty::Text) | (Ty::Text, Ty::Enum(..)) => {
            "enum values are names, not text: write `Area.security` (or `security`) without quotes"
                .into()
        }
        _ => return None,
    })
}

/// Help for a `points(… per STEP …)` whose step has another type than the quantity.
pub fn step(quantity: &Ty, currency: &str) -> Option<String> {
    Some(match quantity {
        Ty::Money => format!("write the step as money: `1 per {currency} 1_250`"),
        Ty::Percent => "write the step as a percentage: `1 per 1%`".into(),
        Ty::Int => "write the step as a count: `1 per 125`".into(),
        _ => return None,
    })
}
