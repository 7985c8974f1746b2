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

/// The built-in functions with their signatures and what they give (docs/language.md, sections
/// 14 and 17), for an editor's completion and hover. Every name of [`BUILTIN_NAMES`] has one.
pub const BUILTIN_SIGNATURES: &[(&str, &str, &str)] = &[
    (
        "count",
        "count(list) / count(x in list: condition): Int",
        "the number of elements (for which the condition holds); 0 on an empty list",
    ),
    (
        "sum",
        "sum(list)",
        "the total, of the elements' type; 0 on an empty list",
    ),
    (
        "min",
        "min(list): T? / min(a, b, …): T",
        "the smallest element (none on an empty list), or the smallest of two or more values",
    ),
    (
        "max",
        "max(list): T? / max(a, b, …): T",
        "the largest element (none on an empty list), or the largest of two or more values",
    ),
    (
        "mean",
        "mean(list): Decimal?",
        "the exact mean; none on an empty list",
    ),
    (
        "distinct",
        "distinct(list): [T]",
        "the elements without repeats, in order of first appearance",
    ),
    ("sort", "sort(list): [T]", "the elements in ascending order"),
    (
        "first",
        "first(list): T?",
        "the first element; none on an empty list",
    ),
    (
        "last",
        "last(list): T?",
        "the last element; none on an empty list",
    ),
    (
        "map",
        "map(x in list: expression): [T]",
        "the list of the expression's values, in order",
    ),
    (
        "any",
        "any(list) / any(x in list: condition): Bool",
        "whether some element holds; false on an empty list",
    ),
    (
        "all",
        "all(list) / all(x in list: condition): Bool",
        "whether every element holds; true on an empty list",
    ),
    (
        "round",
        "round(x, places)",
        "half away from zero, to `places` decimal places; the type of `x`",
    ),
    ("floor", "floor(x)", "towards −∞; the type of `x`"),
    ("ceil", "ceil(x)", "towards +∞; the type of `x`"),
    ("abs", "abs(x)", "the absolute value; the type of `x`"),
    ("days", "days(n: Int): Days", "a duration of `n` days"),
    (
        "months",
        "months(n: Int): Months",
        "a duration of `n` months",
    ),
    (
        "years",
        "years(n: Int): Months",
        "a duration of `n` years (12 months each)",
    ),
    ("month", "month(d: Date): Month", "the month a date lies in"),
    ("year", "year(d: Date): Int", "the year of a date"),
    (
        "first_day",
        "first_day(m: Month): Date",
        "the first day of a month",
    ),
    (
        "last_day",
        "last_day(m: Month): Date",
        "the last day of a month",
    ),
    (
        "months_in",
        "months_in(w: Window): [Month]",
        "the months a window of dates touches",
    ),
    (
        "start",
        "start(w: Window): Date",
        "the first day of a window of dates",
    ),
    (
        "end",
        "end(w: Window): Date",
        "the last day of a window of dates",
    ),
    (
        "anniversary",
        "anniversary(start: Date, on_or_after: Date, n: Int): Date",
        "the first `start + k years`, with `k ≥ n`, on or after `on_or_after`",
    ),
    (
        "months_between",
        "months_between(from: Date, to: Date): Months",
        "the whole months from one date to the other, negative when `to` is earlier",
    ),
    (
        "length",
        "length(t: Text): Int",
        "the number of characters of a text",
    ),
    ("text", "text(v): Text", "an enum variant's name"),
    ("as_of", "as_of: Date", "the evaluation date"),
];

/// The candidate closest to `name`, if close enough to be a likely typo.
pub fn closest<'s>(name: &str, candidates: impl Iterator<Item = &'s str>) -> Option<String> {
    let mut best: Option<(f64, &str)> = None;
    for c in candidates {
        if c == name {
            continue;
        }
        let score = strsim::jaro_winkler(name, c);
        // Jaro-Winkler rewards a shared prefix: `marketplace` scores 0.81 against `map`. A
        // suggestion must also be within half the longer name's edits.
        let edits = strsim::levenshtein(name, c);
        let near = edits * 2 <= name.chars().count().max(c.chars().count());
        if score > 0.8 && near && best.is_none_or(|(s, _)| score > s) {
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

/// Work that suggestions may take in one compilation, in units of [`Suggestions::cost`].
pub const SUGGESTION_WORK: usize = 2_000_000;

/// The suggestions of one compilation, with a bound on their work. Each unknown name is compared
/// with every visible name, so n unknown names among n declarations were n² comparisons (20,000
/// of each took minutes); once the bound is spent, later errors come without a suggestion.
#[derive(Debug)]
pub struct Suggestions {
    left: std::cell::Cell<usize>,
}

impl Default for Suggestions {
    fn default() -> Self {
        Suggestions {
            left: std::cell::Cell::new(SUGGESTION_WORK),
        }
    }
}

impl Suggestions {
    /// The work of comparing `name` with `count` candidates: a comparison takes time in the
    /// square of the name's length.
    pub fn cost(name: &str, count: usize) -> usize {
        count.saturating_mul(1 + name.len() * name.len() / 16)
    }

    /// [`closest`], when the work left allows comparing `name` with `count` candidates (the
    /// length of `candidates`); otherwise none, and no later suggestion either.
    pub fn closest<'s>(
        &self,
        name: &str,
        count: usize,
        candidates: impl FnOnce() -> Vec<&'s str>,
    ) -> Option<String> {
        if self.afford(name, count) {
            closest(name, candidates().into_iter())
        } else {
            None
        }
    }

    /// Takes the work of comparing `name` with `count` candidates from what is left, when it
    /// allows; otherwise none is left for later suggestions either.
    pub fn afford(&self, name: &str, count: usize) -> bool {
        let cost = Self::cost(name, count);
        match self.left.get().checked_sub(cost) {
            Some(left) => {
                self.left.set(left);
                true
            }
            None => {
                self.left.set(0);
                false
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{closest, closest_first, Suggestions, SUGGESTION_WORK};

    #[test]
    fn every_builtin_name_has_a_signature() {
        for name in super::BUILTIN_NAMES {
            assert!(
                super::BUILTIN_SIGNATURES.iter().any(|(n, _, _)| n == name),
                "{name}"
            );
        }
    }

    #[test]
    fn a_shared_prefix_alone_is_not_a_suggestion() {
        let names = ["map", "qualifies", "select"];
        assert_eq!(closest("marketplace", names.iter().copied()), None);
        let near = closest("qualifes", names.iter().copied());
        assert_eq!(near.as_deref(), Some("qualifies"));
        assert_eq!(
            closest("selct", names.iter().copied()).as_deref(),
            Some("select")
        );
    }

    #[test]
    fn candidates_come_closest_first() {
        let ids = ["score", "qualifies", "tier.gold"];
        let ranked = closest_first("qualify", ids.iter().copied());
        assert_eq!((ranked[0], ranked.len()), ("qualifies", 3));
    }

    #[test]
    fn suggestions_stop_when_their_work_is_spent() {
        let s = Suggestions::default();
        let names = || vec!["partner", "people"];
        assert_eq!(s.closest("partnr", 2, names).as_deref(), Some("partner"));
        // A comparison with more candidates than the work left: none, and none after it.
        assert_eq!(s.closest("partnr", SUGGESTION_WORK, names), None);
        assert_eq!(s.closest("partnr", 2, names), None);
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
