//! Built-in names, and suggestions for names that are almost right. Name resolution, the checker,
//! the facts reader and the front ends (completion, `--outcome`) all use them.

/// The built-in type names.
pub const BUILTIN_TYPES: &[&str] = &[
    "Bool", "Int", "Count", "Decimal", "Money", "Percent", "Date", "Month", "Days", "Months",
    "Text",
];

/// Names of the built-in functions (and `as_of`), for suggestions and completion. The checker
/// knows a call as a built-in only if its name is here (a test calls each of them).
pub const BUILTIN_NAMES: &[&str] = &[
    "count",
    "sum",
    "min",
    "max",
    "mean",
    "distinct",
    "sort",
    "first",
    "last",
    "map",
    "any",
    "all",
    "text",
    "round",
    "floor",
    "ceil",
    "abs",
    "days",
    "months",
    "years",
    "month",
    "year",
    "first_day",
    "last_day",
    "months_in",
    "start",
    "end",
    "anniversary",
    "length",
    "months_between",
    "as_of",
];

/// The candidate closest to `name`, if close enough to be a likely typo.
pub fn closest<'s>(name: &str, candidates: impl Iterator<Item = &'s str>) -> Option<String> {
    let mut best: Option<(f64, &str)> = None;
    for c in candidates {
        if c == name {
            continue;
        }
        let score = strsim::jaro_winkler(name, c);
        if score > 0.8 && best.is_none_or(|(s, _)| score > s) {
            best = Some((score, c));
        }
    }
    best.map(|(_, c)| c.to_string())
}

#[cfg(test)]
mod tests {
    use super::closest;

    #[test]
    fn a_typo_gets_the_closest_name_and_a_stranger_gets_none() {
        let names = ["partner", "people", "program"];
        assert_eq!(
            closest("partnr", names.iter().copied()).as_deref(),
            Some("partner")
        );
        assert_eq!(closest("zzz", names.iter().copied()), None);
        assert_eq!(closest("people", names.iter().copied()), None);
    }
}
