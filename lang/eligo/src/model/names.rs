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

/// Every candidate, the closest to `name` first (ties in the candidates' order).
pub fn closest_first<'s>(name: &str, candidates: impl Iterator<Item = &'s str>) -> Vec<&'s str> {
    let mut scored: Vec<(f64, &str)> = candidates
        .map(|c| (strsim::jaro_winkler(name, c), c))
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    scored.into_iter().map(|(_, c)| c).collect()
}

#[cfg(test)]
mod tests {
    use super::{closest, closest_first};

    #[test]
    fn candidates_come_closest_first() {
        let ids = ["score", "qualifies", "tier.gold"];
        let ranked = closest_first("qualify", ids.iter().copied());
        assert_eq!((ranked[0], ranked.len()), ("qualifies", 3));
    }

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
