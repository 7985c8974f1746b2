//! Built-in names, and suggestions for names that are almost right. Name resolution, the checker,
//! the facts reader and the front ends (completion, `--outcome`) all use them.

/// The built-in type names.
pub const BUILTIN_TYPES: &[&str] = &[
    "Bool", "Int", "Count", "Decimal", "Money", "Percent", "Date", "Month", "Days", "Months",
    "Text",
];

/// Names of the built-in functions (and `as_of`), for suggestions and completion.
pub const BUILTIN_NAMES: &[&str] = &[
    "count",
    "sum",
    "min",
    "max",
    "mean",
    "distinct",
    "sort",
    "any",
    "all",
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
        let cost = Self::cost(name, count);
        match self.left.get().checked_sub(cost) {
            Some(left) => {
                self.left.set(left);
                closest(name, candidates().into_iter())
            }
            None => {
                self.left.set(0);
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{closest, Suggestions, SUGGESTION_WORK};

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
