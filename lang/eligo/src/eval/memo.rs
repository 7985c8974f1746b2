//! The memo of one evaluation: the value of every rule (and argument combination) evaluated so
//! far, by memo slot (see [`crate::model::Memo`]).
//!
//! Why not a vector of options, one per slot: an evaluation reads few of its program's slots
//! (benchmark 4's outcome of the standard policies fills at most 4 of 235), and such a vector
//! is written whole when the evaluation starts and read whole when it ends, for every partner.
//! Here a slot holds a number (zeroed memory, which the allocator hands out cheaply) and only
//! the values stored are kept, in a vector of their own.

use crate::diag::{Error, ErrorKind};
use crate::model::Value;

#[derive(Default)]
pub(super) struct MemoTable {
    /// For each slot: 0 when empty, else one more than the index of its value in `values`.
    at: Vec<u32>,
    values: Vec<Value>,
}

impl MemoTable {
    /// An empty memo of `slots` slots.
    pub(super) fn new(slots: usize) -> Self {
        MemoTable {
            at: vec![0; slots],
            values: Vec::new(),
        }
    }

    /// The number of slots.
    pub(super) fn len(&self) -> usize {
        self.at.len()
    }

    /// The value in a slot, if one was stored.
    #[inline]
    pub(super) fn get(&self, slot: usize) -> Option<&Value> {
        let k = *self.at.get(slot)? as usize;
        self.values.get(k.checked_sub(1)?)
    }

    /// Stores a slot's value (replacing the one it had).
    #[inline]
    pub(super) fn set(&mut self, slot: usize, v: Value) -> Result<(), Error> {
        let next = self.values.len() + 1;
        match self.at.get_mut(slot) {
            Some(0) => match u32::try_from(next) {
                Ok(k) => {
                    self.values.push(v);
                    self.at[slot] = k;
                }
                Err(_) => return Err(past_the_memo()),
            },
            Some(k) => match self.values.get_mut(*k as usize - 1) {
                Some(old) => *old = v,
                None => return Err(past_the_memo()),
            },
            None => return Err(past_the_memo()),
        }
        Ok(())
    }

    /// Every slot, with its value if one was stored.
    pub(super) fn to_vec(&self) -> Vec<Option<Value>> {
        (0..self.at.len()).map(|i| self.get(i).cloned()).collect()
    }
}

#[cold]
#[inline(never)]
fn past_the_memo() -> Error {
    Error::bare(ErrorKind::internal("a memo slot past the memo"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_hold_what_was_stored_last_and_nothing_else() {
        let mut m = MemoTable::new(4);
        assert_eq!(m.len(), 4);
        assert!(m.get(2).is_none());
        m.set(2, Value::Int(7)).unwrap();
        m.set(0, Value::Int(1)).unwrap();
        m.set(2, Value::Int(8)).unwrap();
        assert_eq!(m.get(2), Some(&Value::Int(8)));
        assert_eq!(m.get(0), Some(&Value::Int(1)));
        assert!(m.get(1).is_none() && m.get(3).is_none() && m.get(4).is_none());
        assert_eq!(
            m.to_vec(),
            vec![Some(Value::Int(1)), None, Some(Value::Int(8)), None]
        );
    }

    #[test]
    fn a_slot_past_the_memo_is_an_internal_error() {
        let mut m = MemoTable::new(1);
        let e = m.set(1, Value::Int(1)).unwrap_err();
        assert!(matches!(e.kind, ErrorKind::Internal { .. }));
    }
}
