//! The operations behind IR nodes: exact arithmetic (checked; overflow is an error, never a
//! wrap), comparisons, aggregates, points and built-in functions.
//!
//! Operands have the kinds the checker gave their expressions. Where one does not (a broken
//! invariant of eligo), the operation is an internal error ([`ErrorKind::Internal`]), never a
//! made-up value.

use super::dates;
use super::uniques::Uniques;
use crate::diag::ErrorKind;
use crate::model::ir::{Agg, Arith, Builtin};
use crate::model::value::{common_scale, dec_cmp, decimal_of};
use crate::model::Value;
use crate::syntax::ast::{ArithOp, CmpOp};
use chrono::{Datelike, NaiveDate};
use rust_decimal::{Decimal, RoundingStrategy};
use std::sync::Arc;

type R = Result<Value, ErrorKind>;

#[cold]
#[inline(never)]
fn overflow(op: &str) -> ErrorKind {
    ErrorKind::Overflow { op: op.into() }
}

/// A number as a decimal (Ints widen exactly).
pub fn to_dec(v: &Value) -> Result<Decimal, ErrorKind> {
    match v {
        Value::Int(i) => Ok(Decimal::from(*i)),
        Value::Dec(d) => Ok(*d),
        _ => Err(not_a_number()),
    }
}

#[cold]
#[inline(never)]
fn not_a_number() -> ErrorKind {
    ErrorKind::internal("a number operand is no number")
}

/// A condition's truth.
#[inline]
pub fn truth(v: &Value) -> Result<bool, ErrorKind> {
    v.truth()
        .ok_or_else(|| ErrorKind::internal("a condition's value is no boolean"))
}

/// A list operand's elements.
#[inline]
pub fn list(v: &Value) -> Result<&[Value], ErrorKind> {
    v.list()
        .ok_or_else(|| ErrorKind::internal("a list operand is no list"))
}

/// The order of two values, which the checker made comparable.
pub fn order(a: &Value, b: &Value) -> Result<std::cmp::Ordering, ErrorKind> {
    a.compare(b)
        .ok_or_else(|| ErrorKind::internal("values of different kinds are ordered"))
}

/// Decimals with equal value but different scale become one key (`1.50` and `1.5`).
pub fn normalize(v: Value) -> Value {
    match v {
        Value::Dec(d) => Value::Dec(d.normalize()),
        v => v,
    }
}

fn sym(op: ArithOp) -> &'static str {
    match op {
        ArithOp::Add => "+",
        ArithOp::Sub => "-",
        ArithOp::Mul => "*",
        ArithOp::Div => "/",
    }
}

fn dec_op(op: ArithOp, a: Decimal, b: Decimal) -> Result<Decimal, ErrorKind> {
    match op {
        ArithOp::Add => exact_sum(a, b),
        ArithOp::Sub => exact_sum(a, -b),
        ArithOp::Mul => a.checked_mul(b),
        ArithOp::Div => {
            if b.is_zero() {
                return Err(ErrorKind::DivisionByZero);
            }
            a.checked_div(b)
        }
    }
    .ok_or_else(|| overflow(sym(op)))
}

/// `a + b` (language.md §18): the exact sum at the larger scale of the two when its mantissa
/// fits (the common case: amounts of a few decimals, added as integers), else rust_decimal's
/// sum when it kept that scale (nothing was rounded), else [`nearest_sum`].
#[inline]
fn exact_sum(a: Decimal, b: Decimal) -> Option<Decimal> {
    if let Some(r) = common_scale(a, b).and_then(|(x, y, scale)| decimal_of(x + y, scale)) {
        return Some(r);
    }
    match a.checked_add(b) {
        Some(r) if r.scale() == a.scale().max(b.scale()) => Some(r),
        _ => nearest_sum(a, b),
    }
}

/// `a + b`: the exact sum when it is a decimal (a mantissa below 2^96 with at most 28
/// decimals), else the decimal nearest to it (language.md §18; a tie between two neighbours of
/// the same number of decimals goes to the even one), else `None` (an overflow). rust_decimal's
/// own `checked_add` rounds at the scale of the operands and then drops digits until the
/// rounded value fits, which can land far away: `7922816251426433759354395033.5 + 0.05` gave
/// `…034`, 0.45 away, where `…033.5` is 0.05 away. Worked in `i128`: the sum is split into an
/// integer part and a fraction of `10^s` (`s` the larger scale), each of which fits.
fn nearest_sum(a: Decimal, b: Decimal) -> Option<Decimal> {
    let s = a.scale().max(b.scale());
    let pow = |k: u32| 10i128.checked_pow(k);
    let p = pow(s)?;
    let split = |x: Decimal| -> Option<(i128, i128)> {
        let d = pow(x.scale())?;
        let m = x.mantissa();
        Some((m / d, (m % d).checked_mul(pow(s - x.scale())?)?))
    };
    let ((ia, fa), (ib, fb)) = (split(a)?, split(b)?);
    let f = fa.checked_add(fb)?;
    let int = ia.checked_add(ib)?.checked_add(f.div_euclid(p))?;
    let frac = f.rem_euclid(p);
    // The exact sum is `int + frac / 10^s`, with `0 <= frac < 10^s`. At each number of decimals
    // `t`, from `s` down, its two neighbours are `n0` (below) and `n1 = n0 + 1` (above, unless
    // exact), at distances `r` and `d - r` in units of `10^-s`; the nearest neighbour that fits
    // wins, and once both fit no coarser one can be nearer.
    let max = (1i128 << 96) - 1;
    let fits = |n: i128| n.abs() <= max;
    let mut best: Option<(i128, i128, u32)> = None; // (distance, mantissa, decimals)
    for t in (0..=s).rev() {
        let d = pow(s - t)?;
        let (q, r) = (frac / d, frac % d);
        let Some(n0) = int.checked_mul(pow(t)?).and_then(|n| n.checked_add(q)) else {
            continue;
        };
        let mut both = fits(n0);
        let mut consider = |dist: i128, n: i128| {
            let better = match best {
                None => true,
                Some((bd, bn, bt)) => dist < bd || (dist == bd && bt == t && bn % 2 != 0),
            };
            if better {
                best = Some((dist, n, t));
            }
        };
        if fits(n0) {
            consider(r, n0);
        }
        if r > 0 {
            let n1 = n0.checked_add(1)?;
            both &= fits(n1);
            if fits(n1) {
                consider(d - r, n1);
            }
        }
        if both {
            let (_, n, t) = best?;
            return Decimal::try_from_i128_with_scale(n, t).ok();
        }
    }
    // Even whole numbers cannot hold it on both sides: it lies past the largest decimal, an
    // overflow (never the largest decimal instead).
    None
}

/// `x * p%`: `x * p / 100`, or when `x * p` overflows, `x * (p / 100)` (exact whenever `p / 100`
/// is), so that `USD 5e28 * 10%` is `USD 5e27` as `USD 5e28 / 10` is.
fn percent_of(x: Decimal, p: Decimal) -> Result<Decimal, ErrorKind> {
    match x.checked_mul(p) {
        Some(xp) => dec_op(ArithOp::Div, xp, Decimal::ONE_HUNDRED),
        None => {
            let rate = dec_op(ArithOp::Div, p, Decimal::ONE_HUNDRED)?;
            if rate.checked_mul(Decimal::ONE_HUNDRED) != Some(p) {
                return Err(overflow("*"));
            }
            dec_op(ArithOp::Mul, x, rate)
        }
    }
}

/// Arithmetic of a kind fixed by the checker.
pub fn arith(kind: Arith, a: &Value, b: &Value) -> R {
    use Value as V;
    Ok(match (kind, a, b) {
        (_, V::None, _) | (_, _, V::None) => V::None,
        (Arith::Int(op), V::Int(x), V::Int(y)) => V::Int(
            match op {
                ArithOp::Add => x.checked_add(*y),
                ArithOp::Sub => x.checked_sub(*y),
                ArithOp::Mul => x.checked_mul(*y),
                ArithOp::Div => return Ok(V::Dec(dec_op(op, (*x).into(), (*y).into())?)),
            }
            .ok_or_else(|| overflow(sym(op)))?,
        ),
        (Arith::Dec(op), x, y) | (Arith::Int(op), x, y) => {
            V::Dec(dec_op(op, to_dec(x)?, to_dec(y)?)?)
        }
        (Arith::PercentOf, x, y) => V::Dec(percent_of(to_dec(x)?, to_dec(y)?)?),
        (Arith::IntDiv, x, y) => V::Dec(dec_op(ArithOp::Div, to_dec(x)?, to_dec(y)?)?),
        (Arith::DateDays(add), V::Date(d), V::Days(n)) => {
            let n = if add { Some(*n) } else { n.checked_neg() };
            V::Date(
                n.and_then(|n| dates::add_days(*d, n))
                    .ok_or(ErrorKind::DateOutOfRange)?,
            )
        }
        (Arith::DateMonths(add), V::Date(d), V::Months(n)) => {
            let n = if add { Some(*n) } else { n.checked_neg() };
            V::Date(
                n.and_then(|n| dates::add_months(*d, n))
                    .ok_or(ErrorKind::DateOutOfRange)?,
            )
        }
        (Arith::DateDiff, V::Date(x), V::Date(y)) => V::Days(dates::days_between(*y, *x)),
        (Arith::MonthMonths(add), V::Month(m), V::Months(n)) => {
            let n = i32::try_from(*n).map_err(|_| ErrorKind::DateOutOfRange)?;
            V::Month(
                if add {
                    m.checked_add(n)
                } else {
                    m.checked_sub(n)
                }
                .and_then(dates::month_in_calendar)
                .ok_or(ErrorKind::DateOutOfRange)?,
            )
        }
        (Arith::MonthDiff, V::Month(x), V::Month(y)) => V::Months(i64::from(*x) - i64::from(*y)),
        (Arith::Duration(add), V::Days(x), V::Days(y)) => V::Days(
            if add {
                x.checked_add(*y)
            } else {
                x.checked_sub(*y)
            }
            .ok_or_else(|| overflow(if add { "+" } else { "-" }))?,
        ),
        (Arith::Duration(add), V::Months(x), V::Months(y)) => V::Months(
            if add {
                x.checked_add(*y)
            } else {
                x.checked_sub(*y)
            }
            .ok_or_else(|| overflow(if add { "+" } else { "-" }))?,
        ),
        (Arith::ScaleDuration, V::Int(k), V::Days(n))
        | (Arith::ScaleDuration, V::Days(n), V::Int(k)) => {
            V::Days(k.checked_mul(*n).ok_or_else(|| overflow("*"))?)
        }
        (Arith::ScaleDuration, V::Int(k), V::Months(n))
        | (Arith::ScaleDuration, V::Months(n), V::Int(k)) => {
            V::Months(k.checked_mul(*n).ok_or_else(|| overflow("*"))?)
        }
        (Arith::Concat, V::Text(x), V::Text(y)) => {
            let size = (x.len() as u64).saturating_add(y.len() as u64);
            if size > MAX_TEXT_BYTES {
                return Err(ErrorKind::ValueTooLarge {
                    what: "a text joined by `+`",
                    size: Some(size),
                    limit: MAX_TEXT_BYTES,
                    unit: "bytes",
                });
            }
            V::Text(format!("{x}{y}").into())
        }
        _ => return Err(ErrorKind::internal("arithmetic on operands of other kinds")),
    })
}

/// `-x`
pub fn neg(v: &Value) -> R {
    Ok(match v {
        Value::Int(i) => Value::Int(i.checked_neg().ok_or_else(|| overflow("-"))?),
        Value::Dec(d) => Value::Dec(-*d),
        Value::Days(n) => Value::Days(n.checked_neg().ok_or_else(|| overflow("-"))?),
        Value::Months(n) => Value::Months(n.checked_neg().ok_or_else(|| overflow("-"))?),
        _ => {
            return Err(ErrorKind::internal(
                "negation of something that is no number",
            ))
        }
    })
}

/// A comparison; `None` when the operands have no order between them (which the checker
/// rules out: the caller reports it as an internal error).
#[inline]
pub fn compare(op: CmpOp, a: &Value, b: &Value) -> Option<bool> {
    // Amounts and dates, the kinds compared most, without the general dispatch; equality of the
    // others by value (lists and records too, which have no order).
    let ord = match (a, b, op) {
        (Value::Dec(x), Value::Dec(y), _) => dec_cmp(*x, *y),
        (Value::Date(x), Value::Date(y), _) => x.cmp(y),
        (_, _, CmpOp::Eq) => return Some(a.same(b)),
        (_, _, CmpOp::Ne) => return Some(!a.same(b)),
        _ => a.compare(b)?,
    };
    Some(match op {
        CmpOp::Eq => ord.is_eq(),
        CmpOp::Ne => ord.is_ne(),
        CmpOp::Lt => ord.is_lt(),
        CmpOp::Le => ord.is_le(),
        CmpOp::Gt => ord.is_gt(),
        CmpOp::Ge => ord.is_ge(),
    })
}

/// A list aggregate (the interpreter feeds [`Accumulator`] directly).
#[cfg(test)]
pub fn aggregate(agg: Agg, items: &[Value]) -> R {
    let mut acc = Accumulator::new(agg);
    for v in items {
        if acc.push(v)? {
            break;
        }
    }
    acc.finish()
}

/// An aggregate computed one element at a time, so loops can feed it without building a list.
pub struct Accumulator {
    agg: Agg,
    count: i64,
    int: i64,
    dec: Decimal,
    flag: bool,
    /// What the aggregates that keep elements keep, allocated by the first one kept: the
    /// counts, sums and any/all that loops feed most stay small to make and to drop.
    kept: Option<Box<Kept>>,
    /// Elements visited beyond one per element pushed (hashed by `distinct`), charged as steps
    /// before the value is finished.
    work: u64,
}

/// The elements an aggregate keeps: the best so far (min, max, first, last), all of them
/// (sort), or each once (distinct).
#[derive(Default)]
struct Kept {
    best: Option<Value>,
    items: Vec<Value>,
    uniques: Uniques,
}

impl Accumulator {
    /// An empty accumulator.
    pub fn new(agg: Agg) -> Self {
        Accumulator {
            agg,
            count: 0,
            int: 0,
            dec: Decimal::ZERO,
            flag: matches!(agg, Agg::All),
            work: 0,
            kept: None,
        }
    }

    /// Adds an element; returns true when the result can no longer change (any/all decided).
    /// The aggregates loops feed most (counts, sums, any/all) are handled here, inline in the
    /// loops; the others out of line, so that this stays small.
    #[inline]
    pub fn push(&mut self, v: &Value) -> Result<bool, ErrorKind> {
        self.count += 1;
        match self.agg {
            Agg::Count => {}
            Agg::CountTrue => {
                if !truth(v)? {
                    self.count -= 1;
                }
            }
            Agg::SumDec | Agg::Mean => {
                let d = match v {
                    Value::Dec(d) => *d,
                    v => to_dec(v)?,
                };
                self.dec = exact_sum(self.dec, d).ok_or_else(|| overflow("sum"))?;
            }
            Agg::SumInt => {
                let Value::Int(i) = v else {
                    return Err(ErrorKind::internal("a sum of counts over something else"));
                };
                self.int = self.int.checked_add(*i).ok_or_else(|| overflow("sum"))?;
            }
            Agg::SumDuration(_) => {
                let (Value::Days(i) | Value::Months(i)) = v else {
                    return Err(ErrorKind::internal(
                        "a sum of durations over something else",
                    ));
                };
                self.int = self.int.checked_add(*i).ok_or_else(|| overflow("sum"))?;
            }
            Agg::Any => {
                if truth(v)? {
                    self.flag = true;
                    return Ok(true);
                }
            }
            Agg::All => {
                if !truth(v)? {
                    self.flag = false;
                    return Ok(true);
                }
            }
            _ => return self.push_other(v),
        }
        Ok(false)
    }

    /// [`Accumulator::push`] for the aggregates that keep elements.
    #[inline(never)]
    fn push_other(&mut self, v: &Value) -> Result<bool, ErrorKind> {
        let agg = self.agg;
        let kept = self.kept.get_or_insert_with(Box::default);
        match agg {
            Agg::Min | Agg::Max => {
                if !matches!(v, Value::None) {
                    let better = match &kept.best {
                        None => true,
                        Some(b) => {
                            let ord = order(v, b)?;
                            (agg == Agg::Min && ord.is_lt()) || (agg == Agg::Max && ord.is_gt())
                        }
                    };
                    if better {
                        kept.best = Some(v.clone());
                    }
                }
            }
            Agg::First => {
                if kept.best.is_none() {
                    kept.best = Some(v.clone());
                    return Ok(true);
                }
            }
            Agg::Last => kept.best = Some(v.clone()),
            Agg::Distinct => {
                self.work = self.work.saturating_add(hash_work(v) - 1);
                kept.uniques.insert(v, || v.clone());
            }
            Agg::Sort => kept.items.push(v.clone()),
            Agg::Count
            | Agg::CountTrue
            | Agg::SumDec
            | Agg::Mean
            | Agg::SumInt
            | Agg::SumDuration(_)
            | Agg::Any
            | Agg::All => return Err(ErrorKind::internal("an aggregate pushed out of line")),
        }
        Ok(false)
    }

    /// The work of the aggregate beyond one step per element pushed, to be charged before
    /// [`Accumulator::finish`]: the elements `distinct` hashed, and for `sort`, the elements
    /// visited by its comparisons (about log2 n comparisons per element).
    pub fn work(&self) -> u64 {
        match self.agg {
            Agg::Sort => {
                let items = self.kept.as_ref().map_or(&[][..], |k| &k.items);
                let n = items.len() as u64;
                let log = u64::from(64 - n.leading_zeros());
                let visited: u64 = items.iter().map(hash_work).sum();
                visited.saturating_mul(log)
            }
            _ => self.work,
        }
    }

    /// The aggregate's value.
    pub fn finish(self) -> R {
        Ok(match self.agg {
            Agg::Count | Agg::CountTrue => Value::Int(self.count),
            Agg::SumInt => Value::Int(self.int),
            Agg::SumDec => Value::Dec(self.dec),
            Agg::SumDuration(true) => Value::Days(self.int),
            Agg::SumDuration(false) => Value::Months(self.int),
            Agg::Mean => {
                if self.count == 0 {
                    Value::None
                } else {
                    Value::Dec(dec_op(ArithOp::Div, self.dec, Decimal::from(self.count))?)
                }
            }
            Agg::Min | Agg::Max | Agg::First | Agg::Last => {
                self.kept.and_then(|k| k.best).unwrap_or(Value::None)
            }
            Agg::Distinct => Value::List(Arc::new(
                self.kept
                    .map(|k| k.uniques.into_values())
                    .unwrap_or_default(),
            )),
            Agg::Sort => {
                let mut items = self.kept.map(|k| k.items).unwrap_or_default();
                let mut unordered = false;
                items.sort_by(|a, b| {
                    a.compare(b).unwrap_or_else(|| {
                        unordered = true;
                        std::cmp::Ordering::Equal
                    })
                });
                if unordered {
                    return Err(ErrorKind::internal("values of different kinds are sorted"));
                }
                Value::List(Arc::new(items))
            }
            Agg::Any | Agg::All => Value::Bool(self.flag),
        })
    }
}

/// `points(q, rate each|per unit, max cap[, whole])`: the quantity in units, times the rate,
/// between 0 and the cap. With `whole`, only complete units score.
pub fn points(q: &Value, rate: Decimal, unit: Option<&Value>, cap: Decimal, whole: bool) -> R {
    let q = match q {
        Value::Days(n) | Value::Months(n) => Decimal::from(*n),
        v => to_dec(v)?,
    };
    let unit = match unit {
        Some(Value::Days(n) | Value::Months(n)) => Decimal::from(*n),
        Some(v) => to_dec(v)?,
        None => Decimal::ONE,
    };
    // Proportional points multiply before dividing, so no digit is lost to an early rounding.
    // `each` (a unit of one) needs no division: it is exact, and decimal division is not cheap.
    let pts = if unit == Decimal::ONE {
        dec_op(ArithOp::Mul, if whole { q.floor() } else { q }, rate)?
    } else if whole {
        dec_op(ArithOp::Mul, dec_op(ArithOp::Div, q, unit)?.floor(), rate)?
    } else {
        dec_op(ArithOp::Div, dec_op(ArithOp::Mul, q, rate)?, unit)?
    };
    Ok(Value::Dec(pts.max(Decimal::ZERO).min(cap).normalize()))
}

fn date_of(v: &Value) -> Option<NaiveDate> {
    match v {
        Value::Date(d) => Some(*d),
        _ => None,
    }
}

fn month_parts(m: i32) -> (i32, u32) {
    (m.div_euclid(12), (m.rem_euclid(12) + 1) as u32)
}

/// Most elements a value built by an evaluation may hold (`months_in` over a window of millions
/// of days): the same as the facts' list limit, so that nothing built is larger than what the
/// facts may hold (docs/reliability.md, "Limits and headroom").
pub const MAX_VALUE_ELEMENTS: u64 = 1_000_000;

/// Most elements, counted as printing counts them, of a list or record an evaluation builds from
/// other values (a literal, `x in list: …`, `group by`): sixteen times the facts' list limit, so
/// that a million facts records of up to fifteen fields can be rebuilt whole, while a value that
/// holds another twice at each step stops at the 24th step (docs/reliability.md).
pub const MAX_BUILT_ELEMENTS: u64 = 16 * MAX_VALUE_ELEMENTS;

/// Most bytes a text joined by `+` may hold: a text doubled at each step (`let b = a + a; …`)
/// stops here instead of exhausting memory (docs/reliability.md, "Limits and headroom").
pub const MAX_TEXT_BYTES: u64 = 16 * 1024 * 1024;

/// The elements of a value built by an evaluation (a list literal, a record, `x in list: …`,
/// `group by`), counted as printing it would count them: a list or record is one element plus
/// those it holds, shared parts counted each time they appear. The count stops past `limit`
/// (`None`), so that it costs at most `limit` visits however much a value shares (`[a, a]` of
/// `[b, b]` of …).
pub fn built_size(v: &Value, limit: u64) -> Option<u64> {
    fn walk(v: &Value, n: &mut u64, limit: u64) -> bool {
        *n += 1;
        if *n > limit {
            return false;
        }
        match v {
            Value::List(xs) | Value::Record(xs) => xs.iter().all(|x| walk(x, n, limit)),
            _ => true,
        }
    }
    let mut n = 0;
    walk(v, &mut n, limit).then_some(n)
}

/// The work of hashing a value (`distinct`, `group by` keys): its elements, shared parts counted
/// each time.
pub fn hash_work(v: &Value) -> u64 {
    match v {
        Value::List(xs) | Value::Record(xs) => 1 + xs.iter().map(hash_work).sum::<u64>(),
        _ => 1,
    }
}

/// How many months `months_in(window)` builds: the steps charged before building them, refused
/// past [`MAX_VALUE_ELEMENTS`].
pub fn months_in_len(window: &Value) -> Result<u64, ErrorKind> {
    let Value::Window(w) = window else {
        return Err(ErrorKind::internal(
            "a built-in function's argument has another kind",
        ));
    };
    let (first, last) = inside(w).ok_or(ErrorKind::DateOutOfRange)?;
    let index = |d: NaiveDate| i64::from(d.year()) * 12 + i64::from(d.month0());
    let size = (index(last) - index(first) + 1).max(0) as u64;
    if size > MAX_VALUE_ELEMENTS {
        return Err(ErrorKind::ValueTooLarge {
            what: "`months_in`",
            size: Some(size),
            limit: MAX_VALUE_ELEMENTS,
            unit: "elements",
        });
    }
    Ok(size)
}

/// The work of comparing two values, in elements visited: what `==` on lists and records is
/// charged (one step for plain values).
pub fn comparison_work(a: &Value, b: &Value) -> u64 {
    fn size(v: &Value) -> u64 {
        match v {
            Value::List(xs) | Value::Record(xs) => 1 + xs.iter().map(size).sum::<u64>(),
            _ => 1,
        }
    }
    match (a, b) {
        (Value::List(x), Value::List(y)) | (Value::Record(x), Value::Record(y))
            if std::sync::Arc::ptr_eq(x, y) =>
        {
            1
        }
        _ => size(a).min(size(b)),
    }
}

/// A built-in function.
pub fn builtin(b: Builtin, args: &[&Value]) -> R {
    const NONE: &Value = &Value::None;
    // Arguments are borrowed: a built-in copies only what it returns.
    let arg = |i: usize| args.get(i).copied().unwrap_or(NONE);
    let wrong = || ErrorKind::internal("a built-in function's argument has another kind");
    Ok(match b {
        Builtin::Round => match (arg(0), arg(1)) {
            (Value::Dec(d), Value::Int(p)) => Value::Dec(d.round_dp_with_strategy(
                (*p).clamp(0, 28) as u32,
                RoundingStrategy::MidpointAwayFromZero,
            )),
            // A whole number is already round.
            (v @ Value::Int(_), Value::Int(_)) => v.clone(),
            _ => return Err(wrong()),
        },
        Builtin::Floor | Builtin::Ceil => match arg(0) {
            Value::Dec(d) if b == Builtin::Floor => Value::Dec(d.floor()),
            Value::Dec(d) => Value::Dec(d.ceil()),
            v @ Value::Int(_) => v.clone(),
            _ => return Err(wrong()),
        },
        Builtin::Abs => match arg(0) {
            Value::Dec(d) => Value::Dec(d.abs()),
            Value::Int(i) => Value::Int(i.checked_abs().ok_or_else(|| overflow("abs"))?),
            _ => return Err(wrong()),
        },
        Builtin::Days => match arg(0) {
            Value::Int(n) => Value::Days(*n),
            _ => return Err(wrong()),
        },
        Builtin::Months => match arg(0) {
            Value::Int(n) => Value::Months(*n),
            _ => return Err(wrong()),
        },
        Builtin::Years => match arg(0) {
            Value::Int(n) => Value::Months(n.checked_mul(12).ok_or_else(|| overflow("years"))?),
            _ => return Err(wrong()),
        },
        Builtin::MonthOf => Value::month_of(date_of(arg(0)).ok_or_else(wrong)?),
        Builtin::YearOf => Value::Int(date_of(arg(0)).ok_or_else(wrong)?.year().into()),
        Builtin::FirstDay | Builtin::LastDay => match arg(0) {
            Value::Month(m) => {
                let (y, mo) = month_parts(*m);
                let first = NaiveDate::from_ymd_opt(y, mo, 1)
                    .and_then(dates::in_calendar)
                    .ok_or(ErrorKind::DateOutOfRange)?;
                if b == Builtin::FirstDay {
                    Value::Date(first)
                } else {
                    let next = dates::add_months(first, 1).ok_or(ErrorKind::DateOutOfRange)?;
                    Value::Date(dates::add_days(next, -1).ok_or(ErrorKind::DateOutOfRange)?)
                }
            }
            _ => return Err(wrong()),
        },
        Builtin::MonthsIn => match arg(0) {
            Value::Window(w) => {
                months_in_len(arg(0))?;
                let (first, last) = inside(w).ok_or(ErrorKind::DateOutOfRange)?;
                let mut out = Vec::new();
                if first <= last {
                    let index = |d: NaiveDate| d.year() * 12 + d.month0() as i32;
                    out.extend((index(first)..=index(last)).map(Value::Month));
                }
                Value::List(Arc::new(out))
            }
            _ => return Err(wrong()),
        },
        Builtin::MonthsBetween => match (arg(0), arg(1)) {
            (Value::Date(from), Value::Date(to)) => Value::Months(
                dates::whole_months_between(*from, *to).ok_or(ErrorKind::DateOutOfRange)?,
            ),
            _ => return Err(wrong()),
        },
        Builtin::WindowStart | Builtin::WindowEnd => match arg(0) {
            Value::Window(w) => {
                let (first, last) = inside(w).ok_or(ErrorKind::DateOutOfRange)?;
                Value::Date(if b == Builtin::WindowStart {
                    first
                } else {
                    last
                })
            }
            _ => return Err(wrong()),
        },
        Builtin::Anniversary => match (arg(0), arg(1), arg(2)) {
            (Value::Date(start), Value::Date(d), Value::Int(first)) => {
                Value::Date(anniversary(*start, *d, *first).ok_or(ErrorKind::DateOutOfRange)?)
            }
            _ => return Err(wrong()),
        },
        Builtin::EnumText => match (arg(0), arg(1)) {
            (Value::Enum(i), Value::List(names)) => {
                names.get(*i as usize).cloned().ok_or_else(wrong)?
            }
            // `text(v)` of an optional variant that is absent.
            (Value::None, Value::List(_)) => Value::None,
            _ => return Err(wrong()),
        },
        Builtin::Length => match arg(0) {
            Value::Text(t) => Value::Int(t.chars().count() as i64),
            _ => return Err(wrong()),
        },
    })
}

/// The first and last dates inside a window.
fn inside(w: &crate::model::value::Window) -> Option<(NaiveDate, NaiveDate)> {
    let first = if w.start_inclusive {
        w.start
    } else {
        dates::add_days(w.start, 1)?
    };
    let last = if w.end_inclusive {
        w.end
    } else {
        dates::add_days(w.end, -1)?
    };
    Some((first, last))
}

/// The first `start + n years`, n ≥ `first`, on or after `d`.
pub fn anniversary(start: NaiveDate, d: NaiveDate, first: i64) -> Option<NaiveDate> {
    let approx = i64::from(d.year()) - i64::from(start.year()) - 1;
    let mut n = approx.max(first);
    loop {
        let a = dates::add_months(start, n.checked_mul(12)?)?;
        if a >= d {
            return Some(a);
        }
        n += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }
    fn dec(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn points_cap_and_whole_increments() {
        // 7 people at 2.14 = 14.98, under the cap of 15.
        assert_eq!(
            points(&Value::Int(7), dec("2.14"), None, dec("15"), false),
            Ok(Value::Dec(dec("14.98")))
        );
        // 6 at 6.67 = 40.02, capped at 40.
        assert_eq!(
            points(&Value::Int(6), dec("6.67"), None, dec("40"), false),
            Ok(Value::Dec(dec("40")))
        );
        // USD 2,600 at 1 point per USD 1,250: 2.08 proportional, 2 in whole increments.
        let q = Value::Dec(dec("2600"));
        let u = Value::Dec(dec("1250"));
        assert_eq!(
            points(&q, dec("1"), Some(&u), dec("20"), false),
            Ok(Value::Dec(dec("2.08")))
        );
        assert_eq!(
            points(&q, dec("1"), Some(&u), dec("20"), true),
            Ok(Value::Dec(dec("2")))
        );
        // Negative growth scores nothing.
        assert_eq!(
            points(
                &Value::Dec(dec("-5")),
                dec("1"),
                Some(&Value::Dec(dec("1"))),
                dec("20"),
                false
            ),
            Ok(Value::Dec(dec("0")))
        );
    }

    #[test]
    fn points_step_of_zero_is_an_error() {
        let zero = Value::Dec(Decimal::ZERO);
        assert_eq!(
            points(&Value::Int(1), dec("1"), Some(&zero), dec("1"), false),
            Err(ErrorKind::DivisionByZero)
        );
    }

    #[test]
    fn integer_overflow_is_an_error_not_a_wrap() {
        let r = arith(
            Arith::Int(ArithOp::Add),
            &Value::Int(i64::MAX),
            &Value::Int(1),
        );
        assert_eq!(r, Err(ErrorKind::Overflow { op: "+".into() }));
        let r = arith(
            Arith::Dec(ArithOp::Mul),
            &Value::Dec(Decimal::MAX),
            &Value::Int(2),
        );
        assert!(matches!(r, Err(ErrorKind::Overflow { .. })));
    }

    #[test]
    fn money_sums_exactly() {
        let items: Vec<Value> = ["0.1", "0.2", "0.3"]
            .iter()
            .map(|s| Value::Dec(dec(s)))
            .collect();
        assert_eq!(aggregate(Agg::SumDec, &items), Ok(Value::Dec(dec("0.6"))));
        assert_eq!(aggregate(Agg::Mean, &items), Ok(Value::Dec(dec("0.2"))));
        assert_eq!(aggregate(Agg::Mean, &[]), Ok(Value::None));
    }

    #[test]
    fn distinct_keeps_first_appearance_and_merges_scales() {
        let items = vec![
            Value::Dec(dec("1.50")),
            Value::Int(2),
            Value::Dec(dec("1.5")),
        ];
        let Value::List(out) = aggregate(Agg::Distinct, &items).unwrap() else {
            panic!()
        };
        assert_eq!(out.len(), 2);
    }

    #[test]
    fn anniversaries_step_by_years_and_clamp_leap_days() {
        assert_eq!(
            anniversary(d("2022-11-20"), d("2024-08-06"), 1),
            Some(d("2024-11-20"))
        );
        assert_eq!(
            anniversary(d("2022-11-20"), d("2024-11-20"), 1),
            Some(d("2024-11-20"))
        );
        assert_eq!(
            anniversary(d("2022-11-20"), d("2022-11-20"), 1),
            Some(d("2023-11-20"))
        );
        assert_eq!(
            anniversary(d("2022-11-20"), d("2022-11-20"), 0),
            Some(d("2022-11-20"))
        );
        assert_eq!(
            anniversary(d("2024-02-29"), d("2024-03-01"), 1),
            Some(d("2025-02-28"))
        );
    }

    #[test]
    fn rounding_is_half_away_from_zero() {
        assert_eq!(
            builtin(Builtin::Round, &[&Value::Dec(dec("2.5")), &Value::Int(0)]),
            Ok(Value::Dec(dec("3")))
        );
        assert_eq!(
            builtin(Builtin::Round, &[&Value::Dec(dec("-2.5")), &Value::Int(0)]),
            Ok(Value::Dec(dec("-3")))
        );
        assert_eq!(
            builtin(Builtin::Round, &[&Value::Dec(dec("6.665")), &Value::Int(2)]),
            Ok(Value::Dec(dec("6.67")))
        );
    }
}
