//! The state of one evaluation: the memo, the frames of locals, the step budget and depth, the
//! groups of a `group by … where` being filtered, and what is recorded for explanations and
//! profiles. The compiled closures ([`super::compile`]) run against it; rules and outcomes are
//! entered here.

use super::memo::MemoTable;
use super::trace::{Trace, TraceEntry, TraceKind, TraceNode};
use super::Compiled;
use crate::diag::{Error, ErrorKind};
use crate::model::ir::CritId;
use crate::model::{Memo, MemoSlots, Program, Value};
use chrono::NaiveDate;
use rustc_hash::FxHashMap;

/// Bounds on one evaluation.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Most IR nodes visited.
    pub max_steps: u64,
    /// Deepest nesting of rule calls and expressions.
    pub max_depth: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_steps: 50_000_000,
            max_depth: 2_000,
        }
    }
}

/// Values of the rules that read no facts (they depend only on the date), kept between
/// evaluations of different partners on the same date.
#[derive(Debug, Clone, Default)]
pub struct StaticMemo {
    as_of: Option<NaiveDate>,
    values: Vec<Option<Value>>,
}

/// The groups of one `group by … where` being filtered without building them (see
/// `compile/grouped.rs`): the condition reads the current group's key and items from here.
pub(super) struct GroupFrame {
    /// Which grouped condition reads this frame.
    pub(super) id: u32,
    /// The grouped list.
    pub(super) list: Value,
    /// Each group's key, normalised, in order of first appearance.
    pub(super) keys: Vec<Value>,
    /// Element indices, group after group, each group's in list order.
    pub(super) order: Vec<u32>,
    /// Where each group starts in `order` (one more entry: the end).
    pub(super) bounds: Vec<u32>,
    /// The group the condition is looking at.
    pub(super) current: usize,
}

impl GroupFrame {
    /// The items of the current group, in list order.
    pub(super) fn items(&self) -> impl Iterator<Item = &Value> {
        const NONE: &Value = &Value::None;
        let list = self.list.as_list();
        let start = self.bounds.get(self.current).copied().unwrap_or(0) as usize;
        let end = self.bounds.get(self.current + 1).copied().unwrap_or(0) as usize;
        self.order
            .get(start..end)
            .unwrap_or(&[])
            .iter()
            .map(move |&i| list.get(i as usize).unwrap_or(NONE))
    }
}

/// Where a call's value is memoized.
#[derive(Clone, Copy)]
enum Slot {
    /// A slot of the memo vector.
    Dense(usize),
    /// A key of the sparse memo: the rule and the combination's number.
    Sparse((u32, u64)),
}

/// The memo slot of a call of rule `r` with these arguments: the combination's number in mixed
/// radix. Each argument is a variant or a boolean below its radix, as the checker guarantees
/// (anything else is an internal error, never another rule's slot).
#[inline]
fn memo_slot(r: u32, memo: &Memo, args: &[Value]) -> Result<Slot, ErrorKind> {
    let mut number = 0u64;
    for (a, &n) in args.iter().zip(&memo.radix) {
        let v = match a {
            Value::Enum(i) if *i < n => u64::from(*i),
            Value::Bool(b) if n == 2 => u64::from(*b),
            _ => {
                return Err(ErrorKind::internal(
                    "a memoized rule's argument is no variant of its parameter",
                ))
            }
        };
        // INVARIANT: the checker bounds the number of combinations by 2^64 (`types::memo`), so
        // the number of one stays below it.
        number = number.wrapping_mul(u64::from(n)).wrapping_add(v);
    }
    Ok(match memo.slots {
        MemoSlots::Dense { base, len } => {
            let i = usize::try_from(number).unwrap_or(usize::MAX);
            if i >= len {
                return Err(ErrorKind::internal("a memo slot past the rule's slots"));
            }
            Slot::Dense(base + i)
        }
        MemoSlots::Sparse => Slot::Sparse((r, number)),
    })
}

/// One evaluation of a compiled program against one partner's facts.
pub struct Evaluation<'p> {
    pub(super) compiled: &'p Compiled,
    pub(super) program: &'p Program,
    pub(super) facts: &'p [Value],
    pub(super) as_of: NaiveDate,
    /// The evaluation date as a value, for reading it in place.
    pub(super) as_of_value: Value,
    memo: MemoTable,
    /// Values of rules with too many argument combinations for the memo vector, by rule and
    /// combination number (see `types::MAX_DENSE_RULE_SLOTS`); empty, and unallocated, until one
    /// is called.
    sparse: FxHashMap<(u32, u64), Value>,
    pub(super) cache: Vec<Option<Value>>,
    pub(super) env: Vec<Value>,
    pub(super) base: usize,
    pub(super) steps: u64,
    pub(super) depth: usize,
    pub(super) limits: Limits,
    /// Criteria values, recorded when tracing is on.
    pub trace: Option<Trace>,
    /// The evaluation tree being recorded (a stack of open nodes), when explaining.
    pub(super) tree: Option<Vec<TraceNode>>,
    /// The groups of the `group by … where` conditions being evaluated (innermost last).
    pub(super) groups: Vec<GroupFrame>,
    /// Finished outcome trees, in evaluation order.
    finished: Vec<TraceNode>,
    /// Steps spent in each rule's own body (by rule id, last = outside rules), when profiling.
    profile: Option<Vec<u64>>,
    pub(super) current_rule: usize,
}

type R = Result<Value, Error>;

impl<'p> Evaluation<'p> {
    /// Prepares an evaluation.
    pub fn new(
        compiled: &'p Compiled,
        facts: &'p [Value],
        as_of: NaiveDate,
        limits: Limits,
    ) -> Self {
        let program = compiled.program();
        Evaluation {
            compiled,
            program,
            facts,
            as_of,
            as_of_value: Value::Date(as_of),
            memo: MemoTable::new(program.memo_size),
            sparse: FxHashMap::default(),
            cache: vec![None; program.cache_size],
            env: Vec::with_capacity(64),
            base: 0,
            steps: 0,
            depth: 0,
            limits,
            trace: None,
            tree: None,
            finished: Vec::new(),
            groups: Vec::new(),
            profile: None,
            current_rule: program.rules.len(),
        }
    }

    /// Seeds the memo with the values of rules that read no facts, kept from an earlier
    /// evaluation on the same date (batch evaluation keeps one [`StaticMemo`] per worker).
    pub fn reuse_static(&mut self, kept: &StaticMemo) {
        if kept.as_of == Some(self.as_of) && kept.values.len() == self.memo.len() {
            for &(a, b) in &self.program.static_memo {
                for (i, v) in kept.values.iter().enumerate().take(b).skip(a) {
                    if let Some(v) = v {
                        // The slots are the memo's (the lengths match): this cannot fail.
                        let _ = self.memo.set(i, v.clone());
                    }
                }
            }
        }
    }

    /// Keeps the values of rules that read no facts for the next evaluation on the same date.
    pub fn keep_static(&self, kept: &mut StaticMemo) {
        if kept.as_of != Some(self.as_of) || kept.values.len() != self.memo.len() {
            kept.as_of = Some(self.as_of);
            kept.values = vec![None; self.memo.len()];
        }
        for &(a, b) in &self.program.static_memo {
            for (i, kept) in kept.values.iter_mut().enumerate().take(b).skip(a) {
                kept.clone_from(&self.memo.get(i).cloned());
            }
        }
    }

    /// Turns on recording of the evaluation tree (rules, criteria, metrics, comparisons) that
    /// explanations are built from. Criteria values are recorded too.
    pub fn with_tree(mut self) -> Self {
        self.tree = Some(Vec::new());
        self.trace = Some(Vec::new());
        self
    }

    /// The trees of the outcomes evaluated so far (with [`Evaluation::with_tree`]).
    pub fn take_trees(&mut self) -> Vec<TraceNode> {
        std::mem::take(&mut self.finished)
    }

    /// The memo: the value of every rule evaluated so far, by memo slot (see
    /// [`crate::model::Memo`]).
    pub fn memo(&self) -> Vec<Option<Value>> {
        self.memo.to_vec()
    }

    /// Opens a node of the evaluation tree (when explaining; otherwise nothing).
    #[inline]
    pub(super) fn open(&mut self, kind: TraceKind) {
        if let Some(t) = &mut self.tree {
            t.push(TraceNode {
                kind,
                value: Value::None,
                children: Vec::new(),
                comparisons: Vec::new(),
                cap: None,
                kept: Vec::new(),
            });
        }
    }

    /// Closes the open node with its value (when explaining; otherwise nothing).
    #[inline]
    pub(super) fn close(&mut self, value: &Value) {
        if let Some(t) = &mut self.tree {
            if let Some(mut node) = t.pop() {
                node.value = value.clone();
                match t.last_mut() {
                    Some(parent) => parent.children.push(node),
                    None => self.finished.push(node),
                }
            }
        }
    }

    /// Unwinds open nodes after an error, keeping the tree consistent.
    pub(super) fn close_failed(&mut self) {
        self.close(&Value::None);
    }

    /// Turns on counting the steps spent in each rule's own body (`eligo eval --profile`).
    pub fn with_profile(mut self) -> Self {
        self.profile = Some(vec![0; self.program.rules.len() + 1]);
        self
    }

    /// Steps per rule (by rule id; the last entry counts steps outside any rule).
    pub fn profile(&self) -> Option<&[u64]> {
        self.profile.as_deref()
    }

    /// Turns on recording of criteria values.
    pub fn with_trace(mut self) -> Self {
        self.trace = Some(Vec::new());
        self
    }

    /// Steps taken so far.
    pub fn steps(&self) -> u64 {
        self.steps
    }

    /// The evaluation date.
    pub fn as_of(&self) -> NaiveDate {
        self.as_of
    }

    /// The value of an outcome.
    pub fn outcome(&mut self, index: usize) -> R {
        let program = self.program;
        let o = &program.outcomes[index];
        let depth = self.compiled.bodies.outcome_depth[index];
        self.descend(depth)?;
        let saved = self.enter_frame(o.frame);
        if let Some(b) = &o.binding {
            self.env[self.base] = b.clone();
        }
        self.open(TraceKind::Outcome(index));
        let start = self.steps;
        let r = (self.compiled.bodies.outcomes[index])(self, &Value::None);
        if let Some(p) = &mut self.profile {
            let last = program.rules.len();
            p[last] = p[last].wrapping_add(self.steps - start);
        }
        if self.tree.is_some() {
            match &r {
                Ok(v) => self.close(v),
                Err(_) => self.close_failed(),
            }
        }
        self.leave_frame(saved);
        self.depth -= depth;
        r
    }

    /// The value of a rule, with arguments for its parameters.
    pub fn rule(&mut self, r: u32, args: Vec<Value>) -> R {
        let base = self.env.len();
        self.env.extend(args);
        self.run_rule(r, base)
    }

    /// The value a rule without parameters already has in memo slot `slot`, when no tree is
    /// being recorded (a recorded call shows as a cached node, which `run_rule` writes).
    #[inline(always)]
    pub(super) fn kept(&self, slot: Option<usize>) -> Option<&Value> {
        match slot {
            Some(i) if self.tree.is_none() => self.memo.get(i),
            _ => None,
        }
    }

    /// Runs a rule whose arguments were pushed on the environment from `base` on.
    pub(super) fn run_rule(&mut self, r: u32, base: usize) -> R {
        let program = self.program;
        let compiled = self.compiled;
        let def = &program.rules[r as usize];
        let memo_slot = match &def.memo {
            Some(m) => match memo_slot(r, m, &self.env[base..]) {
                Ok(s) => Some(s),
                Err(e) => {
                    self.env.truncate(base);
                    return Err(Error::bare(e));
                }
            },
            None => None,
        };
        let tracing = self.tree.is_some();
        if let Some(s) = memo_slot {
            let kept = match s {
                Slot::Dense(i) => self.memo.get(i),
                Slot::Sparse(key) => self.sparse.get(&key),
            };
            if let Some(v) = kept {
                let v = v.clone();
                if tracing {
                    let args = self.env[base..].to_vec();
                    self.open(TraceKind::Rule {
                        rule: r,
                        args,
                        cached: true,
                    });
                    self.close(&v);
                }
                self.drop_frame(base);
                return Ok(v);
            }
        }
        let code = &compiled.bodies.rules[r as usize];
        let depth = code.depth;
        if let Err(e) = self.descend(depth) {
            self.env.truncate(base);
            return Err(e);
        }
        if tracing {
            let args = self.env[base..].to_vec();
            self.open(TraceKind::Rule {
                rule: r,
                args,
                cached: false,
            });
        }
        let saved = self.base;
        self.base = base;
        // Frames are a few slots: pushed one by one, inline (`resize` is an out-of-line call).
        for _ in self.env.len()..base + def.frame as usize {
            self.env.push(Value::None);
        }
        let caller = std::mem::replace(&mut self.current_rule, r as usize);
        let start = self.steps;
        let v = match (tracing, &code.traced) {
            (true, Some(traced)) => traced(self, &Value::None),
            _ => (code.code)(self, &Value::None),
        };
        if let Some(p) = &mut self.profile {
            // A rule's own steps: what its body took, less what the rules it called took (they
            // subtract theirs from it in turn).
            let spent = self.steps - start;
            p[r as usize] = p[r as usize].wrapping_add(spent);
            p[caller] = p[caller].wrapping_sub(spent);
        }
        let r = v;
        self.depth -= depth;
        self.current_rule = caller;
        self.drop_frame(base);
        self.base = saved;
        if tracing {
            match &r {
                Ok(v) => self.close(v),
                Err(_) => self.close_failed(),
            }
        }
        let v = r?;
        match memo_slot {
            Some(Slot::Dense(i)) => self.memo.set(i, v.clone())?,
            Some(Slot::Sparse(key)) => {
                self.sparse.insert(key, v.clone());
            }
            None => {}
        }
        Ok(v)
    }

    fn enter_frame(&mut self, frame: u32) -> usize {
        let saved = self.base;
        self.base = self.env.len();
        for _ in 0..frame {
            self.env.push(Value::None);
        }
        saved
    }

    fn leave_frame(&mut self, saved: usize) {
        self.drop_frame(self.base);
        self.base = saved;
    }

    /// Drops the frame slots from `base` on. Frames are a few slots, mostly of values that own
    /// nothing (none, numbers, variants): popped one by one, each drop is inline and a no-op for
    /// those, where `truncate` calls the out-of-line drop of a slice even for an empty frame
    /// (about 4 % of an evaluation's instructions, callgrind).
    #[inline(always)]
    fn drop_frame(&mut self, base: usize) {
        while self.env.len() > base {
            self.env.pop();
        }
    }

    pub(super) fn set(&mut self, slot: u32, v: Value) {
        self.env[self.base + slot as usize] = v;
    }

    pub(super) fn record(&mut self, criterion: CritId, value: &Value) {
        if let Some(t) = &mut self.trace {
            t.push(TraceEntry {
                criterion,
                value: value.clone(),
            });
        }
    }

    /// Counts `n` steps against the budget.
    #[inline(always)]
    pub(super) fn tick(&mut self, n: u64) -> Result<(), Error> {
        self.steps += n;
        if self.steps > self.limits.max_steps {
            return Err(budget_exceeded(self.limits.max_steps));
        }
        Ok(())
    }

    /// A list or record just built, checked against the cap of a value's size
    /// ([`ops::MAX_BUILT_ELEMENTS`], `E0506`) and charged its elements beyond those it holds
    /// directly (each of which was charged as it was computed): `[a, a]` costs the elements of
    /// `a` twice, so a value doubled at each step uses up the budget or the cap, never memory.
    pub(super) fn built(&mut self, v: Value, what: &'static str) -> Result<Value, Error> {
        let limit = crate::eval::ops::MAX_BUILT_ELEMENTS;
        // The common case, a list or record of scalars: its size is its length plus one, all of
        // it charged already (the fast path of benchmark 2's records).
        if let Value::List(xs) | Value::Record(xs) = &v {
            let flat = !xs
                .iter()
                .any(|x| matches!(x, Value::List(_) | Value::Record(_)));
            if flat && (xs.len() as u64) < limit {
                return Ok(v);
            }
        }
        let Some(size) = crate::eval::ops::built_size(&v, limit) else {
            return Err(Error::bare(ErrorKind::ValueTooLarge {
                what,
                size: None,
                limit,
                unit: "elements",
            }));
        };
        let direct = match &v {
            Value::List(xs) | Value::Record(xs) => xs.len() as u64,
            _ => 0,
        };
        self.tick(size.saturating_sub(direct + 1))?;
        Ok(v)
    }

    /// Enters a body `depth` levels deep (a rule's or an outcome's).
    fn descend(&mut self, depth: usize) -> Result<(), Error> {
        if self.depth + depth > self.limits.max_depth {
            return Err(Error::bare(ErrorKind::EvalTooDeep {
                limit: self.limits.max_depth,
            }));
        }
        self.depth += depth;
        Ok(())
    }
}

/// The error of an evaluation past its step budget, built out of line: `tick` is inlined into
/// every node, and the hot closures stay small when the path they almost never take is not.
#[cold]
#[inline(never)]
fn budget_exceeded(limit: u64) -> Error {
    Error::bare(ErrorKind::BudgetExceeded { limit })
}
