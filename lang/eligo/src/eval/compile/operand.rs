//! Operands read where they lie: constants, the evaluation date, places (a local, a root fact or
//! the loop element, then record fields), loop invariants already cached, and computed values.

use super::{Code, R};
use crate::diag::Error;
use crate::eval::interp::Evaluation;
use crate::model::Value;

/// A value that lies somewhere already: a local or a root fact, then record fields.
#[derive(Clone)]
pub(super) struct Place {
    pub(super) root: Root,
    pub(super) path: Box<[u32]>,
    /// The steps reading it counts: one, as for the node it stands for, or none where the walker
    /// this replaced borrowed lists in place without counting them (kept, so that `--profile`
    /// and the step budget mean what they meant).
    pub(super) steps: u64,
}

#[derive(Clone, Copy)]
pub(super) enum Root {
    Local(u32),
    Fact(u32),
    /// The element of the innermost loop, which loops pass to their bodies by reference
    /// rather than storing a clone of it in its frame slot (no reference counting per element).
    Elem,
}

pub(super) const NONE: &Value = &Value::None;

impl Place {
    pub(super) fn steps(&self) -> u64 {
        self.steps
    }

    /// The value, for a place in the facts or in the loop element (a local reads as none).
    pub(super) fn read<'a>(&self, facts: &'a [Value], it: &'a Value) -> &'a Value {
        let mut v = match self.root {
            Root::Local(_) => NONE,
            Root::Fact(s) => facts.get(s as usize).unwrap_or(NONE),
            Root::Elem => it,
        };
        for &f in self.path.iter() {
            v = field(v, f as usize);
        }
        v
    }
}

impl Evaluation<'_> {
    #[inline(always)]
    pub(super) fn at<'a>(&'a self, p: &Place, it: &'a Value) -> &'a Value {
        let mut v = match p.root {
            Root::Local(s) => self.env.get(self.base + s as usize).unwrap_or(NONE),
            Root::Fact(s) => self.facts.get(s as usize).unwrap_or(NONE),
            Root::Elem => it,
        };
        for &f in p.path.iter() {
            v = field(v, f as usize);
        }
        v
    }
}

/// An operand read by reference where it can be: a constant, a place, a loop-invariant value
/// already cached, or computed. Each kind reads as its [`Read`] says; closures built for known
/// kinds (see [`by_kinds`]) call those directly, without this `match`.
pub(super) enum Operand {
    Const(Known),
    AsOf,
    Place(Place),
    Cached(Slot),
    Code(Code),
}

impl Operand {
    /// A constant operand.
    pub(super) fn constant(v: Value) -> Self {
        Operand::Const(Known(v))
    }

    /// A loop invariant computed by `code` into cache slot `slot`.
    pub(super) fn cached(slot: usize, code: Code) -> Self {
        Operand::Cached(Slot(slot, code))
    }

    /// The steps reading the operand counts, when reading it computes nothing.
    pub(super) fn fixed_steps(&self) -> Option<u64> {
        match self {
            Operand::Const(_) | Operand::AsOf => Some(1),
            Operand::Place(p) => Some(p.steps()),
            Operand::Cached(..) | Operand::Code(_) => None,
        }
    }

    /// Computes the operand if it must be computed (the others are only counted).
    #[inline(always)]
    pub(super) fn prepare(
        &self,
        ev: &mut Evaluation<'_>,
        it: &Value,
    ) -> Result<Option<Value>, Error> {
        match self {
            Operand::Const(k) => k.prepare(ev, it).map(|()| None),
            Operand::AsOf => Today.prepare(ev, it).map(|()| None),
            Operand::Place(p) => p.prepare(ev, it).map(|()| None),
            Operand::Cached(s) => s.prepare(ev, it).map(|()| None),
            Operand::Code(c) => c.prepare(ev, it).map(Some),
        }
    }

    /// The operand's value, once prepared.
    #[inline(always)]
    pub(super) fn get<'a>(
        &'a self,
        ev: &'a Evaluation<'_>,
        it: &'a Value,
        computed: &'a Option<Value>,
    ) -> &'a Value {
        match self {
            Operand::Const(k) => k.get(ev, it, &()),
            Operand::AsOf => &ev.as_of_value,
            Operand::Place(p) => p.get(ev, it, &()),
            Operand::Cached(s) => s.get(ev, it, &()),
            // INVARIANT: `prepare` computed it (a none here reads as an operand of the wrong
            // kind, which the operation reports as an internal error).
            Operand::Code(_) => computed.as_ref().unwrap_or(NONE),
        }
    }

    /// The operand's value, owned.
    #[inline(always)]
    pub(super) fn value(&self, ev: &mut Evaluation<'_>, it: &Value) -> R {
        match self {
            Operand::Code(c) => c(ev, it),
            _ => {
                let t = self.prepare(ev, it)?;
                Ok(self.get(ev, it, &t).clone())
            }
        }
    }
}

/// A loop's list operand: borrowed where it lies when that is in the facts or in the element
/// of an enclosing loop (both outlive the loop, and nothing in it changes them), else evaluated
/// and held in `$owned`. Either way no reference count changes for lists read in place.
macro_rules! loop_list {
    ($op:expr, $ev:expr, $it:expr, $owned:ident) => {{
        let facts = $ev.facts;
        match &$op {
            $crate::eval::compile::operand::Operand::Place(p)
                if !matches!(p.root, $crate::eval::compile::operand::Root::Local(_)) =>
            {
                $ev.tick(p.steps())?;
                p.read(facts, $it)
            }
            op => {
                $owned = op.value($ev, $it)?;
                &$owned
            }
        }
    }};
}

/// Both operands by reference, left then right.
#[inline(always)]
pub(super) fn with2<T>(
    ev: &mut Evaluation<'_>,
    it: &Value,
    a: &Operand,
    b: &Operand,
    f: impl FnOnce(&Value, &Value) -> T,
) -> Result<T, Error> {
    let ta = a.prepare(ev, it)?;
    let tb = b.prepare(ev, it)?;
    Ok(f(a.get(ev, it, &ta), b.get(ev, it, &tb)))
}

/// One kind of operand, read through code of its own: a closure over two operands monomorphised
/// for their kinds (see [`by_kinds`]) makes no run-time `match` on either, and holds a computed
/// value without an `Option` to drop.
pub(super) trait Read: Send + Sync + 'static {
    /// What preparing the operand leaves for [`Read::get`]: the computed value, or nothing.
    type Held;
    /// Counts the operand's steps and computes what must be computed, as [`Operand::prepare`].
    fn prepare(&self, ev: &mut Evaluation<'_>, it: &Value) -> Result<Self::Held, Error>;
    /// The operand's value, once prepared.
    fn get<'a>(&'a self, ev: &'a Evaluation<'_>, it: &'a Value, held: &'a Self::Held) -> &'a Value;
}

/// A constant operand.
pub(super) struct Known(pub(super) Value);
/// The evaluation date.
pub(super) struct Today;
/// A loop invariant, computed once into its cache slot.
pub(super) struct Slot(usize, Code);

impl Read for Known {
    type Held = ();
    #[inline(always)]
    fn prepare(&self, ev: &mut Evaluation<'_>, _: &Value) -> Result<(), Error> {
        ev.tick(1)
    }
    #[inline(always)]
    fn get<'a>(&'a self, _: &'a Evaluation<'_>, _: &'a Value, _: &'a ()) -> &'a Value {
        &self.0
    }
}

impl Read for Today {
    type Held = ();
    #[inline(always)]
    fn prepare(&self, ev: &mut Evaluation<'_>, _: &Value) -> Result<(), Error> {
        ev.tick(1)
    }
    #[inline(always)]
    fn get<'a>(&'a self, ev: &'a Evaluation<'_>, _: &'a Value, _: &'a ()) -> &'a Value {
        &ev.as_of_value
    }
}

impl Read for Place {
    type Held = ();
    #[inline(always)]
    fn prepare(&self, ev: &mut Evaluation<'_>, _: &Value) -> Result<(), Error> {
        ev.tick(self.steps)
    }
    #[inline(always)]
    fn get<'a>(&'a self, ev: &'a Evaluation<'_>, it: &'a Value, _: &'a ()) -> &'a Value {
        ev.at(self, it)
    }
}

impl Read for Slot {
    type Held = ();
    #[inline(always)]
    fn prepare(&self, ev: &mut Evaluation<'_>, it: &Value) -> Result<(), Error> {
        ev.tick(1)?;
        if matches!(ev.cache.get(self.0), Some(None)) {
            let v = (self.1)(ev, it)?;
            ev.cache[self.0] = Some(v);
        }
        Ok(())
    }
    #[inline(always)]
    fn get<'a>(&'a self, ev: &'a Evaluation<'_>, _: &'a Value, _: &'a ()) -> &'a Value {
        // INVARIANT: `prepare` filled the slot (a slot past the cache reads as none, which the
        // operation reports as operands of the wrong kind: an internal error).
        ev.cache
            .get(self.0)
            .and_then(Option::as_ref)
            .unwrap_or(NONE)
    }
}

impl Read for Code {
    type Held = Value;
    #[inline(always)]
    fn prepare(&self, ev: &mut Evaluation<'_>, it: &Value) -> Result<Value, Error> {
        self(ev, it)
    }
    #[inline(always)]
    fn get<'a>(&'a self, _: &'a Evaluation<'_>, _: &'a Value, held: &'a Value) -> &'a Value {
        held
    }
}

/// What builds a closure over two operands, given each as its own kind.
pub(super) trait PairBuilder<T> {
    fn build<A: Read, B: Read>(self, a: A, b: B) -> T;
}

/// Hands two operands to `builder`, each as its own kind of [`Read`].
pub(super) fn by_kinds<T>(a: Operand, b: Operand, builder: impl PairBuilder<T>) -> T {
    match a {
        Operand::Const(k) => right_by_kind(k, b, builder),
        Operand::AsOf => right_by_kind(Today, b, builder),
        Operand::Place(p) => right_by_kind(p, b, builder),
        Operand::Cached(s) => right_by_kind(s, b, builder),
        Operand::Code(c) => right_by_kind(c, b, builder),
    }
}

fn right_by_kind<T, A: Read>(a: A, b: Operand, builder: impl PairBuilder<T>) -> T {
    match b {
        Operand::Const(k) => builder.build(a, k),
        Operand::AsOf => builder.build(a, Today),
        Operand::Place(p) => builder.build(a, p),
        Operand::Cached(s) => builder.build(a, s),
        Operand::Code(c) => builder.build(a, c),
    }
}

pub(super) fn field(v: &Value, slot: usize) -> &Value {
    match v {
        Value::Record(r) => r.get(slot).unwrap_or(NONE),
        _ => NONE,
    }
}
