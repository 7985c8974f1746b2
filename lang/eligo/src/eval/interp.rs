//! The tree-walking interpreter over [`Ir`].

use super::dates;
use super::ir::Agg;
use super::ir::{Combine, CritId, Ir};
use super::ops;
use super::value::{Value, Window};
use crate::diag::{Error, ErrorKind};
use crate::program::Program;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use rustc_hash::FxHashMap;
use std::sync::Arc;

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

/// A node of the evaluation tree recorded for explanations.
#[derive(Debug, Clone)]
pub struct TraceNode {
    /// What was evaluated.
    pub kind: TraceKind,
    /// Its value.
    pub value: Value,
    /// What it evaluated in turn (rules, criteria, metrics), in order.
    pub children: Vec<TraceNode>,
    /// The comparisons of a criterion, with their operands.
    pub comparisons: Vec<Comparison>,
    /// For a score metric: the most points it can give, when the policy states it.
    pub cap: Option<Decimal>,
}

/// What a [`TraceNode`] stands for.
#[derive(Debug, Clone)]
pub enum TraceKind {
    /// An outcome, by index.
    Outcome(usize),
    /// A rule with its arguments; `cached` when its value came from the memo.
    Rule {
        /// The rule.
        rule: u32,
        /// Its arguments.
        args: Vec<Value>,
        /// Whether it was already evaluated.
        cached: bool,
    },
    /// A labelled criterion.
    Criterion(CritId),
    /// A score metric.
    Metric(CritId),
}

/// A comparison evaluated inside a criterion.
#[derive(Debug, Clone)]
pub struct Comparison {
    /// The operator.
    pub op: crate::syntax::ast::CmpOp,
    /// The left operand's value.
    pub left: Value,
    /// The right operand's value.
    pub right: Value,
    /// Their unit.
    pub unit: super::ir::Unit,
}

/// The most points a metric can give, read from its `points(…, max CAP)` (through `round`,
/// `floor`, `max(…)` and `if`).
pub fn metric_cap(program: &Program, ir: &Ir) -> Option<Decimal> {
    let cap = |x: &Ir| metric_cap(program, x);
    match ir {
        Ir::Rule(r) => cap(&program.rules[*r as usize].body),
        Ir::Points { max, .. } => match &**max {
            Ir::Const(v) => Some(ops::to_dec(v)),
            _ => None,
        },
        Ir::Builtin(_, args, _) => args.first().and_then(cap),
        Ir::Extreme(false, xs) => xs.iter().filter_map(cap).max(),
        Ir::Extreme(true, xs) => xs
            .iter()
            .filter_map(|x| match x {
                Ir::Const(v) => Some(ops::to_dec(v)),
                x => cap(x),
            })
            .min(),
        Ir::If(_, a, b) | Ir::IfSome(_, _, a, b) => match (cap(a), cap(b)) {
            (Some(x), Some(y)) => Some(x.max(y)),
            (x, None) => x,
            (None, y) => y,
        },
        Ir::Let(_, _, body) => cap(body),
        Ir::Cached(_, x) => cap(x),
        _ => None,
    }
}

/// One recorded value of a labelled criterion or score metric.
#[derive(Debug, Clone, PartialEq)]
pub struct TraceEntry {
    /// Which criterion.
    pub criterion: CritId,
    /// Its value.
    pub value: Value,
}

/// The values of labelled criteria, in evaluation order.
pub type Trace = Vec<TraceEntry>;

/// One evaluation of a program against one partner's facts.
pub struct Evaluation<'p> {
    program: &'p Program,
    facts: &'p [Value],
    as_of: NaiveDate,
    memo: Vec<Option<Value>>,
    cache: Vec<Option<Value>>,
    env: Vec<Value>,
    base: usize,
    steps: u64,
    depth: usize,
    limits: Limits,
    /// Criteria values, recorded when tracing is on.
    pub trace: Option<Trace>,
    /// The evaluation tree being recorded (a stack of open nodes), when explaining.
    tree: Option<Vec<TraceNode>>,
    /// Finished outcome trees, in evaluation order.
    finished: Vec<TraceNode>,
    /// Steps spent in each rule's own body (by rule id, last = outside rules), when profiling.
    profile: Option<Vec<u64>>,
    current_rule: usize,
}

type R = Result<Value, Error>;

impl<'p> Evaluation<'p> {
    /// Prepares an evaluation.
    pub fn new(program: &'p Program, facts: &'p [Value], as_of: NaiveDate, limits: Limits) -> Self {
        Evaluation {
            program,
            facts,
            as_of,
            memo: vec![None; program.memo_size],
            cache: vec![None; program.cache_size],
            env: Vec::with_capacity(64),
            base: 0,
            steps: 0,
            depth: 0,
            limits,
            trace: None,
            tree: None,
            finished: Vec::new(),
            profile: None,
            current_rule: program.rules.len(),
        }
    }

    /// Seeds the memo with the values of rules that read no facts, kept from an earlier
    /// evaluation on the same date (batch evaluation keeps one [`StaticMemo`] per worker).
    pub fn reuse_static(&mut self, kept: &StaticMemo) {
        if kept.as_of == Some(self.as_of) && kept.values.len() == self.memo.len() {
            for &(a, b) in &self.program.static_memo {
                self.memo[a..b].clone_from_slice(&kept.values[a..b]);
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
            kept.values[a..b].clone_from_slice(&self.memo[a..b]);
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
    /// [`crate::program::Memo`]).
    pub fn memo(&self) -> &[Option<Value>] {
        &self.memo
    }

    fn open(&mut self, kind: TraceKind) {
        if let Some(t) = &mut self.tree {
            t.push(TraceNode {
                kind,
                value: Value::None,
                children: Vec::new(),
                comparisons: Vec::new(),
                cap: None,
            });
        }
    }

    fn close(&mut self, value: &Value) {
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
    fn close_failed(&mut self) {
        self.close(&Value::None);
    }

    /// A condition evaluated for an explanation: the operands of every comparison evaluated are
    /// recorded (through `let`, `and` and `or`, which stop where evaluation stops).
    fn condition_traced(&mut self, ir: &Ir) -> R {
        match ir {
            Ir::Cmp(op, a, b, unit) => {
                let l = self.eval(a)?;
                let r = self.eval(b)?;
                let v = ops::compare(*op, &l, &r);
                if let Some(node) = self.tree.as_mut().and_then(|t| t.last_mut()) {
                    node.comparisons.push(Comparison {
                        op: *op,
                        left: l,
                        right: r,
                        unit: *unit,
                    });
                }
                Ok(Value::Bool(v))
            }
            Ir::Let(slot, v, body) => {
                let v = self.eval(v)?;
                self.set(*slot, v);
                self.condition_traced(body)
            }
            Ir::And(xs) | Ir::Or(xs) => {
                // Stops where evaluation stops (`deals == 0 or amount / deals >= 5` must not
                // divide): an explanation never fails where the evaluation succeeds.
                let and = matches!(ir, Ir::And(_));
                for x in xs {
                    let v = self.condition_traced(x)?.as_bool();
                    if v != and {
                        return Ok(Value::Bool(!and));
                    }
                }
                Ok(Value::Bool(and))
            }
            _ => self.eval(ir),
        }
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
        let o = &self.program.outcomes[index];
        let body = o.body.clone();
        let saved = self.enter(o.frame);
        if let Some(b) = &o.binding {
            self.env[self.base] = b.clone();
        }
        self.open(TraceKind::Outcome(index));
        let r = self.eval(&body);
        match &r {
            Ok(v) => self.close(v),
            Err(_) => self.close_failed(),
        }
        self.leave(saved);
        r
    }

    /// The value of a rule, with arguments for its parameters.
    pub fn rule(&mut self, r: u32, args: Vec<Value>) -> R {
        let base = self.env.len();
        self.env.extend(args);
        self.run_rule(r, base)
    }

    /// Runs a rule whose arguments were pushed on the environment from `base` on.
    fn run_rule(&mut self, r: u32, base: usize) -> R {
        let program = self.program;
        let def = &program.rules[r as usize];
        let memo_slot = def.memo.as_ref().map(|m| {
            let mut idx = 0usize;
            for (a, &n) in self.env[base..].iter().zip(&m.radix) {
                let v = match a {
                    Value::Enum(i) => *i as usize,
                    Value::Bool(b) => *b as usize,
                    _ => 0,
                };
                idx = idx * n as usize + v;
            }
            m.base + idx
        });
        let tracing = self.tree.is_some();
        if let Some(s) = memo_slot {
            if let Some(v) = &self.memo[s] {
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
                self.env.truncate(base);
                return Ok(v);
            }
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
        self.env.resize(base + def.frame as usize, Value::None);
        let caller = std::mem::replace(&mut self.current_rule, r as usize);
        let r = self.eval(&def.body);
        self.current_rule = caller;
        self.env.truncate(base);
        self.base = saved;
        if tracing {
            match &r {
                Ok(v) => self.close(v),
                Err(_) => self.close_failed(),
            }
        }
        let v = r?;
        if let Some(s) = memo_slot {
            self.memo[s] = Some(v.clone());
        }
        Ok(v)
    }

    /// Evaluates a free-standing expression in a fresh frame (the REPL).
    pub fn eval_in_frame(&mut self, ir: &Ir, frame: u32, bindings: &[Value]) -> R {
        let saved = self.enter(frame.max(bindings.len() as u32));
        for (i, b) in bindings.iter().enumerate() {
            self.env[self.base + i] = b.clone();
        }
        let r = self.eval(ir);
        self.leave(saved);
        r
    }

    fn enter(&mut self, frame: u32) -> usize {
        let saved = self.base;
        self.base = self.env.len();
        self.env.resize(self.base + frame as usize, Value::None);
        saved
    }

    fn leave(&mut self, saved: usize) {
        self.env.truncate(self.base);
        self.base = saved;
    }

    fn set(&mut self, slot: u32, v: Value) {
        self.env[self.base + slot as usize] = v;
    }

    fn record(&mut self, criterion: CritId, value: &Value) {
        if let Some(t) = &mut self.trace {
            t.push(TraceEntry {
                criterion,
                value: value.clone(),
            });
        }
    }

    /// Evaluates an expression.
    pub fn eval(&mut self, ir: &Ir) -> R {
        self.steps += 1;
        if let Some(p) = &mut self.profile {
            p[self.current_rule] += 1;
        }
        if self.steps > self.limits.max_steps {
            return Err(Error::bare(ErrorKind::BudgetExceeded {
                limit: self.limits.max_steps,
            }));
        }
        if self.depth >= self.limits.max_depth {
            return Err(Error::bare(ErrorKind::EvalTooDeep {
                limit: self.limits.max_depth,
            }));
        }
        self.depth += 1;
        let r = self.eval_node(ir);
        self.depth -= 1;
        r
    }

    /// A value that can be borrowed where it lies: a local, a fact, or a field of one.
    fn place(&self, ir: &Ir) -> Option<&Value> {
        match ir {
            Ir::Local(s) => self.env.get(self.base + *s as usize),
            Ir::Fact(s) => self.facts.get(*s as usize),
            Ir::Field(x, slot) => match self.place(x)? {
                Value::Record(r) => r.get(*slot as usize),
                _ => None,
            },
            _ => None,
        }
    }

    /// An aggregate over a list, fused with the list's `x in list: body`, `.field` or `where`
    /// so that no intermediate list is built.
    fn aggregate(&mut self, agg: Agg, x: &Ir) -> R {
        let mut acc = ops::Accumulator::new(agg);
        match x {
            Ir::MapField(list, slot) => {
                let list = self.list_value(list)?;
                for v in list.as_list() {
                    if acc.push(field_of_ref(v, *slot)).map_err(Error::bare)? {
                        break;
                    }
                }
            }
            Ir::Map(list, slot, body) => {
                // Every body is evaluated, even after `any`/`all`/`first` are decided: an error in
                // a later element is reported, never hidden (as in criteria blocks).
                let list = self.list_value(list)?;
                for v in list.as_list() {
                    self.set(*slot, v.clone());
                    let b = self.eval(body)?;
                    let _decided = acc.push(&b).map_err(Error::bare)?;
                }
            }
            Ir::Filter(list, slot, cond) if matches!(agg, Agg::Count) => {
                let list = self.list_value(list)?;
                let mut n = 0i64;
                for v in list.as_list() {
                    self.set(*slot, v.clone());
                    if self.eval(cond)?.as_bool() {
                        n += 1;
                    }
                }
                return Ok(Value::Int(n));
            }
            _ => {
                let list = self.eval(x)?;
                for v in list.as_list() {
                    if acc.push(v).map_err(Error::bare)? {
                        break;
                    }
                }
            }
        }
        acc.finish().map_err(Error::bare)
    }

    /// A list operand: borrowed when it lies in a local or the facts (cheap clone otherwise).
    fn list_value(&mut self, ir: &Ir) -> R {
        if let Some(v) = self.place(ir) {
            return Ok(v.clone());
        }
        self.eval(ir)
    }

    fn eval_node(&mut self, ir: &Ir) -> R {
        Ok(match ir {
            Ir::Const(v) => v.clone(),
            Ir::Local(s) => self.env[self.base + *s as usize].clone(),
            Ir::Fact(s) => self.facts.get(*s as usize).cloned().unwrap_or(Value::None),
            Ir::AsOf => Value::Date(self.as_of),
            Ir::Rule(r) => {
                let base = self.env.len();
                self.run_rule(*r, base)?
            }
            Ir::Call(r, args) => {
                // Arguments go straight into the callee's frame: no allocation per call.
                let base = self.env.len();
                for a in args {
                    let v = match self.eval(a) {
                        Ok(v) => v,
                        Err(e) => {
                            self.env.truncate(base);
                            return Err(e);
                        }
                    };
                    self.env.push(v);
                }
                self.run_rule(*r, base)?
            }
            Ir::Cached(slot, x) => match &self.cache[*slot as usize] {
                Some(v) => v.clone(),
                None => {
                    let v = self.eval(x)?;
                    self.cache[*slot as usize] = Some(v.clone());
                    v
                }
            },
            Ir::Table(t) => self.program.tables[*t as usize].rows.clone(),
            Ir::Lookup(t, key) => {
                let k = self.eval(key)?;
                let table = &self.program.tables[*t as usize];
                match table.index.get(&k) {
                    Some(&i) => table.rows.as_list()[i].clone(),
                    None => Value::None,
                }
            }
            Ir::Field(x, slot) => {
                // Reading a field of a local or a fact borrows the record instead of cloning it.
                if let Some(v) = self.place(x) {
                    return Ok(field_of(v, *slot));
                }
                field_of(&self.eval(x)?, *slot)
            }
            Ir::MapField(x, slot) => {
                let list = self.eval(x)?;
                let out: Vec<Value> = list.as_list().iter().map(|v| field_of(v, *slot)).collect();
                Value::List(Arc::new(out))
            }
            Ir::Arith(kind, a, b, span) => {
                let a = self.eval(a)?;
                let b = self.eval(b)?;
                ops::arith(*kind, &a, &b).map_err(|k| Error::at(*span, k))?
            }
            Ir::Neg(x, span) => ops::neg(&self.eval(x)?).map_err(|k| Error::at(*span, k))?,
            Ir::IntToDec(x) => int_to_dec(self.eval(x)?),
            Ir::Not(x) => Value::Bool(!self.eval(x)?.as_bool()),
            Ir::Cmp(op, a, b, _) => {
                let a = self.eval(a)?;
                let b = self.eval(b)?;
                Value::Bool(ops::compare(*op, &a, &b))
            }
            Ir::And(xs) => {
                for x in xs {
                    if !self.eval(x)?.as_bool() {
                        return Ok(Value::Bool(false));
                    }
                }
                Value::Bool(true)
            }
            Ir::Or(xs) => {
                for x in xs {
                    if self.eval(x)?.as_bool() {
                        return Ok(Value::Bool(true));
                    }
                }
                Value::Bool(false)
            }
            Ir::If(c, a, b) => {
                if self.eval(c)?.as_bool() {
                    self.eval(a)?
                } else {
                    self.eval(b)?
                }
            }
            Ir::IfSome(x, slot, a, b) => match self.eval(x)? {
                Value::None => self.eval(b)?,
                v => {
                    self.set(*slot, v);
                    self.eval(a)?
                }
            },
            Ir::Let(slot, v, body) => {
                let v = self.eval(v)?;
                self.set(*slot, v);
                self.eval(body)?
            }
            Ir::IsNone(x) => Value::Bool(matches!(self.eval(x)?, Value::None)),
            Ir::Otherwise(x, d) => match self.eval(x)? {
                Value::None => self.eval(d)?,
                v => v,
            },
            Ir::In(x, list) => {
                let x = self.eval(x)?;
                let list = self.eval(list)?;
                Value::Bool(list.as_list().iter().any(|v| v.same(&x)))
            }
            Ir::Within(d, w) => match (self.eval(d)?, self.eval(w)?) {
                (Value::Date(d), Value::Window(w)) => Value::Bool(w.contains(d)),
                _ => Value::Bool(false),
            },
            Ir::Filter(list, slot, cond) => {
                let list = self.list_value(list)?;
                let mut out = Vec::new();
                let at = self.base + *slot as usize;
                for v in list.as_list() {
                    self.env[at] = v.clone();
                    if self.eval(cond)?.as_bool() {
                        // The element is moved out of its slot rather than cloned again.
                        out.push(std::mem::replace(&mut self.env[at], Value::None));
                    }
                }
                Value::List(Arc::new(out))
            }
            Ir::Map(list, slot, body) => {
                let list = self.eval(list)?;
                let mut out = Vec::with_capacity(list.as_list().len());
                for v in list.as_list() {
                    self.set(*slot, v.clone());
                    out.push(self.eval(body)?);
                }
                Value::List(Arc::new(out))
            }
            Ir::Group(list, slot, key) => {
                let list = self.eval(list)?;
                let mut order: Vec<(Value, Vec<Value>)> = Vec::new();
                let mut index: FxHashMap<Value, usize> = FxHashMap::default();
                for v in list.as_list() {
                    self.set(*slot, v.clone());
                    let k = ops::normalize(self.eval(key)?);
                    let i = *index.entry(k.clone()).or_insert_with(|| {
                        order.push((k, Vec::new()));
                        order.len() - 1
                    });
                    order[i].1.push(v.clone());
                }
                Value::List(Arc::new(
                    order
                        .into_iter()
                        .map(|(k, items)| {
                            Value::Record(Arc::new(vec![k, Value::List(Arc::new(items))]))
                        })
                        .collect(),
                ))
            }
            Ir::Agg(agg, x) => self.aggregate(*agg, x)?,
            Ir::Extreme(is_min, xs) => {
                let mut best: Option<Value> = None;
                for x in xs {
                    let v = self.eval(x)?;
                    best = Some(match best {
                        None => v,
                        Some(b) => {
                            let ord = v.compare(&b);
                            if (*is_min && ord.is_lt()) || (!*is_min && ord.is_gt()) {
                                v
                            } else {
                                b
                            }
                        }
                    });
                }
                best.unwrap_or(Value::None)
            }
            Ir::Criteria(combine, items) => {
                // Every criterion is evaluated (no short circuit), traced or not: explanations see
                // them all, and an error in any criterion is reported the same way in every mode.
                let mut passed = 0u32;
                for (id, x) in items {
                    let v = if self.tree.is_some() {
                        self.open(TraceKind::Criterion(*id));
                        let v = self.condition_traced(x);
                        match &v {
                            Ok(v) => self.close(v),
                            Err(_) => self.close_failed(),
                        }
                        v?
                    } else {
                        self.eval(x)?
                    };
                    if v.as_bool() {
                        passed += 1;
                    }
                    self.record(*id, &v);
                }
                Value::Bool(match combine {
                    Combine::Any => passed >= 1,
                    Combine::All => passed as usize == items.len(),
                    Combine::AtLeast(n) => passed >= *n,
                })
            }
            Ir::Score(max, items) => {
                let mut total = Decimal::ZERO;
                let mut all_above = true;
                let mut metrics = Vec::with_capacity(items.len());
                for (id, x) in items {
                    self.open(TraceKind::Metric(*id));
                    let v = match self.eval(x) {
                        Ok(v) => ops::to_dec(&v),
                        Err(e) => {
                            self.close_failed();
                            return Err(e);
                        }
                    };
                    if let Some(node) = self.tree.as_mut().and_then(|t| t.last_mut()) {
                        node.cap = metric_cap(self.program, x);
                    }
                    self.close(&Value::Dec(v));
                    self.record(*id, &Value::Dec(v));
                    if v <= Decimal::ZERO {
                        all_above = false;
                    }
                    total = total
                        .checked_add(v)
                        .ok_or_else(|| Error::bare(ErrorKind::Overflow { op: "+".into() }))?;
                    let label = self.program.criteria[*id as usize].label.as_str();
                    metrics.push(Value::Record(Arc::new(vec![
                        Value::Text(label.into()),
                        Value::Dec(v),
                    ])));
                }
                let total = total.min(*max).normalize();
                Value::Record(Arc::new(vec![
                    Value::Dec(total),
                    Value::Bool(all_above),
                    Value::List(Arc::new(metrics)),
                ]))
            }
            Ir::Points {
                quantity,
                rate,
                per,
                max,
                whole,
                span,
            } => {
                let q = self.eval(quantity)?;
                let r = ops::to_dec(&self.eval(rate)?);
                let unit = match per {
                    Some(p) => Some(self.eval(p)?),
                    None => None,
                };
                let cap = ops::to_dec(&self.eval(max)?);
                ops::points(&q, r, unit.as_ref(), cap, *whole).map_err(|k| Error::at(*span, k))?
            }
            Ir::Trailing(d, end, span) => {
                let end = match end {
                    Some(e) => match self.eval(e)? {
                        Value::Date(d) => d,
                        _ => self.as_of,
                    },
                    None => self.as_of,
                };
                let start = match self.eval(d)? {
                    Value::Days(n) => n.checked_neg().and_then(|n| dates::add_days(end, n)),
                    Value::Months(n) => n.checked_neg().and_then(|n| dates::add_months(end, n)),
                    _ => None,
                }
                .ok_or_else(|| Error::at(*span, ErrorKind::DateOutOfRange))?;
                Value::Window(Window {
                    start,
                    start_inclusive: false,
                    end,
                    end_inclusive: true,
                })
            }
            Ir::Between(a, b) => match (self.eval(a)?, self.eval(b)?) {
                (Value::Date(a), Value::Date(b)) => Value::Window(Window {
                    start: a,
                    start_inclusive: true,
                    end: b,
                    end_inclusive: true,
                }),
                _ => Value::None,
            },
            Ir::List(xs) => Value::List(Arc::new(
                xs.iter().map(|x| self.eval(x)).collect::<Result<_, _>>()?,
            )),
            Ir::Record(xs) => Value::Record(Arc::new(
                xs.iter().map(|x| self.eval(x)).collect::<Result<_, _>>()?,
            )),
            Ir::Builtin(b, args, span) => {
                // Built-ins take at most three arguments: no allocation per call.
                let mut vals = [Value::None, Value::None, Value::None];
                for (slot, a) in vals.iter_mut().zip(args.iter()) {
                    *slot = self.eval(a)?;
                }
                ops::builtin(*b, &vals[..args.len().min(3)]).map_err(|k| Error::at(*span, k))?
            }
        })
    }
}

fn field_of(v: &Value, slot: u32) -> Value {
    match v {
        Value::Record(r) => r.get(slot as usize).cloned().unwrap_or(Value::None),
        _ => Value::None,
    }
}

fn field_of_ref(v: &Value, slot: u32) -> &Value {
    const NONE: &Value = &Value::None;
    match v {
        Value::Record(r) => r.get(slot as usize).unwrap_or(NONE),
        _ => NONE,
    }
}

fn int_to_dec(v: Value) -> Value {
    match v {
        Value::Int(i) => Value::Dec(i.into()),
        Value::List(items) if items.iter().any(|x| matches!(x, Value::Int(_))) => {
            Value::List(Arc::new(items.iter().cloned().map(int_to_dec).collect()))
        }
        v => v,
    }
}
