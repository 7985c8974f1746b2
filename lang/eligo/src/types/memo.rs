//! The memo layout: where each rule's values are kept during an evaluation. A rule without
//! parameters has one slot; a rule whose parameters are all enums or booleans has one value per
//! combination of arguments, numbered in mixed radix. The number of combinations is counted with
//! checked multiplication: small rules get slots in the evaluation's memo vector (allocated with
//! every evaluation), large ones a map filled only with the combinations evaluated, and a rule
//! with more combinations than a 64-bit number can count is refused.

use crate::diag::{Error, ErrorKind};
use crate::model::{EnumDef, Memo, MemoSlots, RuleDef, Ty};

/// Most argument combinations of one rule: their numbers must fit in 64 bits.
pub const MAX_MEMO_COMBINATIONS: u128 = 1 << 64;

/// Most slots of one rule in the memo vector; a rule with more combinations is memoized in a
/// map (`6 params of a 200-variant enum` are 64 trillion combinations, of which an evaluation
/// reaches a handful).
pub const MAX_DENSE_RULE_SLOTS: u128 = 4_096;

/// Most slots of the memo vector, all rules together (24 bytes each: 1.5 MiB per evaluation).
pub const MAX_DENSE_SLOTS: usize = 65_536;

/// Lays out every rule's memo; returns the size of the memo vector. A rule with too many
/// combinations is an error naming it.
pub fn allocate(rules: &mut [RuleDef], enums: &[EnumDef], errors: &mut Vec<Error>) -> usize {
    let mut next = 0usize;
    for r in rules.iter_mut() {
        let radix: Option<Vec<u32>> = r
            .params
            .iter()
            .map(|(_, t)| match t {
                Ty::Bool => Some(2),
                Ty::Enum(e, _) => enums
                    .get(*e as usize)
                    .map(|d| u32::try_from(d.variants.len()).unwrap_or(u32::MAX)),
                _ => None,
            })
            .collect();
        let Some(radix) = radix else { continue };
        let combinations = radix
            .iter()
            .try_fold(1u128, |acc, &n| acc.checked_mul(u128::from(n)))
            .filter(|&c| c <= MAX_MEMO_COMBINATIONS);
        let Some(combinations) = combinations else {
            errors.push(Error::at(
                r.span,
                ErrorKind::TooManyCombinations {
                    rule: r.name.to_string(),
                    limit: MAX_MEMO_COMBINATIONS,
                },
            ));
            continue;
        };
        let slots = match usize::try_from(combinations) {
            Ok(len)
                if combinations <= MAX_DENSE_RULE_SLOTS
                    && next.checked_add(len).is_some_and(|n| n <= MAX_DENSE_SLOTS) =>
            {
                let base = next;
                next += len;
                MemoSlots::Dense { base, len }
            }
            _ => MemoSlots::Sparse,
        };
        r.memo = Some(Memo { slots, radix });
    }
    next
}
