//! Calendar arithmetic. Adding months (or years, twelve months each) keeps the day of the month
//! when the target month has it and otherwise clamps to that month's last day:
//! 2024-01-31 + 1 month = 2024-02-29, 2024-02-29 + 12 months = 2025-02-28,
//! 2024-02-29 - 12 months = 2023-02-28. Adding days counts calendar days.

use chrono::{Datelike, Days, Months, NaiveDate};

/// The years of eligo's calendar: every date an evaluation computes is written `YYYY-MM-DD` and
/// read back by the facts reader; a computation that leaves these years is `E0505`.
pub const YEARS: std::ops::RangeInclusive<i32> = 0..=9999;

/// `d` when it lies in eligo's calendar ([`YEARS`]).
pub fn in_calendar(d: NaiveDate) -> Option<NaiveDate> {
    YEARS.contains(&d.year()).then_some(d)
}

/// A month (months since year 0) when it lies in eligo's calendar.
pub fn month_in_calendar(m: i32) -> Option<i32> {
    YEARS.contains(&m.div_euclid(12)).then_some(m)
}

/// `date + n months` (n may be negative), clamping to the end of a shorter month.
pub fn add_months(date: NaiveDate, n: i64) -> Option<NaiveDate> {
    let m = u32::try_from(n.unsigned_abs()).ok()?;
    if n >= 0 {
        date.checked_add_months(Months::new(m))
    } else {
        date.checked_sub_months(Months::new(m))
    }
    .and_then(in_calendar)
}

/// `date + n days` (n may be negative).
pub fn add_days(date: NaiveDate, n: i64) -> Option<NaiveDate> {
    if n >= 0 {
        date.checked_add_days(Days::new(n as u64))
    } else {
        date.checked_sub_days(Days::new(n.unsigned_abs()))
    }
    .and_then(in_calendar)
}

/// Days from `a` to `b` (negative when `b` is earlier).
pub fn days_between(a: NaiveDate, b: NaiveDate) -> i64 {
    (b - a).num_days()
}

/// The whole months from `from` to `to`: the most `n` with `from + n months <= to` (so a month
/// is complete on the same day of the month, or on the last day of a shorter month), and the
/// negative of the count from `to` to `from` when `to` is earlier: rounded toward zero.
pub fn whole_months_between(from: NaiveDate, to: NaiveDate) -> Option<i64> {
    if to < from {
        return whole_months_between(to, from).map(|n| -n);
    }
    let index = |d: NaiveDate| i64::from(d.year()) * 12 + i64::from(d.month0());
    let n = index(to) - index(from);
    if add_months(from, n)? > to {
        Some(n - 1)
    } else {
        Some(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn month_ends_clamp_to_the_last_day() {
        assert_eq!(add_months(d("2024-01-31"), 1), Some(d("2024-02-29")));
        assert_eq!(add_months(d("2023-01-31"), 1), Some(d("2023-02-28")));
        assert_eq!(add_months(d("2024-03-31"), -1), Some(d("2024-02-29")));
        assert_eq!(add_months(d("2024-05-31"), 1), Some(d("2024-06-30")));
    }

    #[test]
    fn leap_days_clamp_to_february_28() {
        assert_eq!(add_months(d("2024-02-29"), 12), Some(d("2025-02-28")));
        assert_eq!(add_months(d("2024-02-29"), -12), Some(d("2023-02-28")));
        assert_eq!(add_months(d("2024-02-29"), 48), Some(d("2028-02-29")));
    }

    #[test]
    fn days_count_calendar_days_across_leap_years() {
        assert_eq!(add_days(d("2024-02-28"), 1), Some(d("2024-02-29")));
        assert_eq!(add_days(d("2023-02-28"), 1), Some(d("2023-03-01")));
        assert_eq!(days_between(d("2024-01-01"), d("2025-01-01")), 366);
        assert_eq!(add_days(d("2024-03-01"), -60), Some(d("2024-01-01")));
    }

    #[test]
    fn out_of_range_is_none_not_a_panic() {
        assert_eq!(add_months(NaiveDate::MAX, 1), None);
        assert_eq!(add_days(NaiveDate::MIN, -1), None);
        assert_eq!(add_months(d("2024-01-01"), i64::MAX), None);
        // eligo's calendar is 0000-01-01 to 9999-12-31, the dates facts can hold.
        assert_eq!(add_days(d("9999-12-31"), 1), None);
        assert_eq!(add_days(d("0000-01-01"), -1), None);
        assert_eq!(add_months(d("9999-12-01"), 1), None);
        assert_eq!(add_days(d("9999-12-30"), 1), Some(d("9999-12-31")));
    }

    #[test]
    fn whole_months_round_toward_zero_and_clamp_to_short_months() {
        assert_eq!(
            whole_months_between(d("2024-01-15"), d("2024-03-14")),
            Some(1)
        );
        assert_eq!(
            whole_months_between(d("2024-01-15"), d("2024-03-15")),
            Some(2)
        );
        assert_eq!(
            whole_months_between(d("2024-01-31"), d("2024-02-29")),
            Some(1)
        );
        assert_eq!(
            whole_months_between(d("2024-03-15"), d("2024-01-15")),
            Some(-2)
        );
        assert_eq!(
            whole_months_between(d("2024-03-15"), d("2024-01-16")),
            Some(-1)
        );
        assert_eq!(
            whole_months_between(d("2023-06-30"), d("2024-06-30")),
            Some(12)
        );
    }
}
