//! Values kept once each, in order of first appearance: the keys of a `group by` and the
//! elements of `distinct`.
//!
//! A hash set of the values themselves would hash each value twice when it is new (once to
//! look it up, once to insert it) and hold a second reference-counted copy of it. Here the
//! table holds positions in the list of values, found by one hash of the value looked up.
//! Values equal as values are one (`1.50` and `1.5`), as `Value`'s `Eq` and `Hash` say.

use crate::model::Value;
use hashbrown::HashTable;
use std::hash::BuildHasher;

#[derive(Default)]
pub(crate) struct Uniques {
    values: Vec<Value>,
    /// Positions in `values`, by the hash of the value there.
    index: HashTable<u32>,
}

fn hash(v: &Value) -> u64 {
    rustc_hash::FxBuildHasher.hash_one(v)
}

impl Uniques {
    /// Room for `n` values without growing (bounded: a long list may hold few distinct values).
    pub(crate) fn with_capacity(n: usize) -> Self {
        let n = n.min(64);
        Uniques {
            values: Vec::with_capacity(n),
            index: HashTable::with_capacity(n),
        }
    }

    /// The position of the value equal to `v`; when there is none, `stored` (a copy of `v`) is
    /// added at the end. The second part is whether it was added.
    #[inline]
    pub(crate) fn insert(&mut self, v: &Value, stored: impl FnOnce() -> Value) -> (usize, bool) {
        let h = hash(v);
        let values = &self.values;
        if let Some(&i) = self.index.find(h, |&i| values.get(i as usize) == Some(v)) {
            return (i as usize, false);
        }
        let i = self.values.len();
        self.values.push(stored());
        let values = &self.values;
        // Positions fit a u32: lists are capped far below (`ops::MAX_BUILT_ELEMENTS`). When the
        // table grows it rehashes the values at the positions it holds, all of which exist.
        self.index
            .insert_unique(h, i as u32, |&j| values.get(j as usize).map_or(0, hash));
        (i, true)
    }

    /// The values, in order of first appearance.
    pub(crate) fn into_values(self) -> Vec<Value> {
        self.values
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;
    use std::str::FromStr;

    fn dec(s: &str) -> Value {
        Value::Dec(Decimal::from_str(s).unwrap())
    }

    #[test]
    fn equal_values_are_one_in_order_of_first_appearance() {
        let mut u = Uniques::default();
        let seen: Vec<(usize, bool)> = [dec("1.50"), Value::Text("a".into()), dec("1.5")]
            .iter()
            .map(|v| u.insert(v, || v.clone()))
            .collect();
        assert_eq!(seen, vec![(0, true), (1, true), (0, false)]);
        // The first appearance is the one kept.
        assert_eq!(
            format!("{:?}", u.into_values()),
            format!("{:?}", vec![dec("1.50"), Value::Text("a".into())])
        );
    }

    #[test]
    fn many_values_survive_the_table_growing() {
        let mut u = Uniques::with_capacity(2);
        for round in 0..2 {
            for i in 0..1000i64 {
                let v = Value::Int(i);
                assert_eq!(u.insert(&v, || v.clone()), (i as usize, round == 0));
            }
        }
        assert_eq!(u.into_values().len(), 1000);
    }
}
