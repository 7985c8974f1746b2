//! Compiles the IR into closures once per program, so that evaluation runs no `match` over node
//! kinds: each node becomes a small function that calls its children's functions directly.
//!
//! Why: a tree walker pays, at every node, for one large dispatch function (a big stack frame,
//! a `Result` moved through it) and clones the values it reads. Compiled closures specialise at
//! compile time what the walker decided at run time: a field of a local or of the facts is read
//! in place and compared without being cloned (a [`Place`]), conditions return a plain `bool`
//! ([`Cond`]), and aggregates over `.field`, `x in list: …` and `where` build no list.
//!
//! The closures keep the walker's accounting exactly: one step per IR node (a fused node counts
//! the nodes it stands for), the depth limit per nested node, evaluation order left to right,
//! every criterion evaluated, and the evaluation tree recorded for explanations.

use super::dates;
use super::interp::{metric_cap, Comparison, Evaluation, TraceKind};
use super::ir::{Agg, Combine, CritId, Ir};
use super::ops;
use super::value::{Value, Window};
use crate::diag::{Error, ErrorKind};
use crate::program::{CriterionDef, OutcomeDef, RuleDef};
use rust_decimal::Decimal;
use std::cell::Cell;
use std::sync::Arc;

mod grouped;

pub(crate) use grouped::GroupFrame;

type R = Result<Value, Error>;

/// A compiled expression.
pub(crate) type Code = Box<dyn Fn(&mut Evaluation<'_>, &Value) -> R + Send + Sync>;

/// A compiled condition: a boolean expression that returns its truth directly.
type Cond = Box<dyn Fn(&mut Evaluation<'_>, &Value) -> Result<bool, Error> + Send + Sync>;

/// The compiled bodies of a program's rules and outcomes (same indices as their definitions).
pub struct Compiled {
    pub(crate) rules: Vec<Code>,
    pub(crate) outcomes: Vec<Code>,
    /// The deepest nesting of each rule body's IR, which a call adds to the evaluation depth.
    pub(crate) rule_depth: Vec<usize>,
    /// The same for each outcome body.
    pub(crate) outcome_depth: Vec<usize>,
}

impl std::fmt::Debug for Compiled {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Compiled {{ {} rules, {} outcomes }}",
            self.rules.len(),
            self.outcomes.len()
        )
    }
}

impl Compiled {
    /// Compiles every rule and outcome body.
    pub fn new(rules: &[RuleDef], outcomes: &[OutcomeDef], criteria: &[CriterionDef]) -> Self {
        let groups = Cell::new(0);
        let c = Compiler {
            criteria,
            elem: None,
            group: None,
            groups: &groups,
        };
        Compiled {
            rules: rules.iter().map(|r| c.code(&r.body)).collect(),
            outcomes: outcomes.iter().map(|o| c.code(&o.body)).collect(),
            rule_depth: rules.iter().map(|r| depth(&r.body)).collect(),
            outcome_depth: outcomes.iter().map(|o| depth(&o.body)).collect(),
        }
    }
}

/// A value that lies somewhere already: a local or a root fact, then record fields.
#[derive(Clone)]
struct Place {
    root: Root,
    path: Box<[u32]>,
    /// The steps reading it counts: one, as for the node it stands for, or none where the walker
    /// this replaced borrowed lists in place without counting them (kept, so that `--profile`
    /// and the step budget mean what they meant).
    steps: u64,
}

#[derive(Clone, Copy)]
enum Root {
    Local(u32),
    Fact(u32),
    /// The element of the innermost loop, which loops pass to their bodies by reference
    /// rather than storing a clone of it in its frame slot (no reference counting per element).
    Elem,
}

const NONE: &Value = &Value::None;

impl Place {
    fn steps(&self) -> u64 {
        self.steps
    }

    /// The value, for a place in the facts or in the loop element (a local reads as none).
    fn read<'a>(&self, facts: &'a [Value], it: &'a Value) -> &'a Value {
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
    fn at<'a>(&'a self, p: &Place, it: &'a Value) -> &'a Value {
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
/// already cached, or computed.
enum Operand {
    Const(Value),
    AsOf,
    Place(Place),
    Cached(usize, Code),
    Code(Code),
}

impl Operand {
    /// The steps reading the operand counts, when reading it computes nothing.
    fn fixed_steps(&self) -> Option<u64> {
        match self {
            Operand::Const(_) | Operand::AsOf => Some(1),
            Operand::Place(p) => Some(p.steps()),
            Operand::Cached(..) | Operand::Code(_) => None,
        }
    }

    /// Computes the operand if it must be computed (the others are only counted).
    #[inline(always)]
    fn prepare(&self, ev: &mut Evaluation<'_>, it: &Value) -> Result<Option<Value>, Error> {
        match self {
            Operand::Const(_) | Operand::AsOf => ev.tick(1).map(|_| None),
            Operand::Place(p) => ev.tick(p.steps()).map(|_| None),
            Operand::Cached(slot, c) => {
                ev.tick(1)?;
                if ev.cache[*slot].is_none() {
                    let v = c(ev, it)?;
                    ev.cache[*slot] = Some(v);
                }
                Ok(None)
            }
            Operand::Code(c) => c(ev, it).map(Some),
        }
    }

    /// The operand's value, once prepared.
    #[inline(always)]
    fn get<'a>(
        &'a self,
        ev: &'a Evaluation<'_>,
        it: &'a Value,
        computed: &'a Option<Value>,
    ) -> &'a Value {
        match self {
            Operand::Const(v) => v,
            Operand::AsOf => &ev.as_of_value,
            Operand::Place(p) => ev.at(p, it),
            Operand::Cached(slot, _) => ev.cache[*slot].as_ref().unwrap_or(NONE),
            Operand::Code(_) => computed.as_ref().unwrap_or(NONE),
        }
    }

    /// The operand's value, owned.
    #[inline(always)]
    fn value(&self, ev: &mut Evaluation<'_>, it: &Value) -> R {
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
            Operand::Place(p) if !matches!(p.root, Root::Local(_)) => {
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
fn with2<T>(
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

/// A condition on two operands. When both are constants or places (nothing to compute), the
/// node's step and theirs are counted at once.
fn binary<F>(a: Operand, b: Operand, f: F) -> Cond
where
    F: Fn(&Value, &Value) -> bool + Send + Sync + 'static,
{
    match (a.fixed_steps(), b.fixed_steps()) {
        (Some(x), Some(y)) => {
            let n = 1 + x + y;
            Box::new(move |ev, it| {
                ev.tick(n)?;
                Ok(f(a.get(ev, it, &None), b.get(ev, it, &None)))
            })
        }
        _ => cond_node(move |ev, it| with2(ev, it, &a, &b, &f)),
    }
}

/// A call of a rule with parameters: the arguments go straight into the callee's frame (no
/// allocation per call).
#[inline(always)]
fn call(ev: &mut Evaluation<'_>, it: &Value, r: u32, args: &[Code]) -> R {
    let base = ev.env.len();
    for a in args {
        match a(ev, it) {
            Ok(v) => ev.env.push(v),
            Err(e) => {
                ev.env.truncate(base);
                return Err(e);
            }
        }
    }
    ev.run_rule(r, base)
}

/// A node that evaluates children: one step. (Depth is accounted per rule call, from the depth
/// of the rule's body: see [`depth`].)
fn node<F>(f: F) -> Code
where
    F: Fn(&mut Evaluation<'_>, &Value) -> R + Send + Sync + 'static,
{
    Box::new(move |ev, it| {
        ev.tick(1)?;
        f(ev, it)
    })
}

/// A condition node that evaluates children.
fn cond_node<F>(f: F) -> Cond
where
    F: Fn(&mut Evaluation<'_>, &Value) -> Result<bool, Error> + Send + Sync + 'static,
{
    Box::new(move |ev, it| {
        ev.tick(1)?;
        f(ev, it)
    })
}

struct Compiler<'a> {
    criteria: &'a [CriterionDef],
    /// The slot of the innermost loop's element, which the compiled code receives as its
    /// parameter instead of reading the slot.
    elem: Option<u32>,
    /// Inside the condition of a `group by … where` evaluated without building its groups: the
    /// slot of the condition's `it` and the id of the group frame it reads (see `grouped.rs`).
    group: Option<(u32, u32)>,
    /// Ids handed out to grouped conditions.
    groups: &'a Cell<u32>,
}

/// A loop body and what its loop must do with each element.
struct Body<T> {
    code: T,
    /// Whether a nested loop reads the element from its slot (the parameter is then the nested
    /// loop's own element), so the loop stores it there too.
    store: bool,
}

impl<T> Body<T> {
    /// Binds the loop's element for the body: passed as its parameter, and stored in its slot
    /// too when a nested loop reads it there.
    #[inline(always)]
    fn bind(&self, ev: &mut Evaluation<'_>, slot: u32, v: &Value) {
        if self.store {
            ev.set(slot, v.clone());
        }
    }
}

impl<'a> Compiler<'a> {
    /// The compiler of a body in which `slot` is bound to something else than the loop
    /// element this compiler passes (`let`, `if … is some`).
    fn rebinding(&self, slot: u32) -> Compiler<'a> {
        Compiler {
            criteria: self.criteria,
            elem: self.elem.filter(|&e| e != slot),
            group: self.group.filter(|g| g.0 != slot),
            groups: self.groups,
        }
    }

    fn loop_body<T>(
        &self,
        slot: u32,
        body: &Ir,
        f: impl FnOnce(&Compiler<'a>, &Ir) -> T,
    ) -> Body<T> {
        let inner = Compiler {
            criteria: self.criteria,
            elem: Some(slot),
            group: self.group.filter(|g| g.0 != slot),
            groups: self.groups,
        };
        Body {
            code: f(&inner, body),
            store: read_in_nested_loop(body, slot),
        }
    }

    fn place(&self, ir: &Ir) -> Option<Place> {
        match ir {
            Ir::Local(s) if self.group.is_some_and(|g| g.0 == *s) => None,
            Ir::Local(s) if self.elem == Some(*s) => Some(Place {
                root: Root::Elem,
                path: Box::new([]),
                steps: 1,
            }),
            Ir::Local(s) => Some(Place {
                root: Root::Local(*s),
                path: Box::new([]),
                steps: 1,
            }),
            Ir::Fact(s) => Some(Place {
                root: Root::Fact(*s),
                path: Box::new([]),
                steps: 1,
            }),
            Ir::Field(x, slot) => {
                let p = self.place(x)?;
                let mut path = p.path.into_vec();
                path.push(*slot);
                Some(Place {
                    root: p.root,
                    path: path.into_boxed_slice(),
                    steps: 1,
                })
            }
            _ => None,
        }
    }

    fn operand(&self, ir: &Ir) -> Operand {
        match ir {
            Ir::Const(v) => return Operand::Const(v.clone()),
            Ir::AsOf => return Operand::AsOf,
            Ir::Cached(slot, x) => return Operand::Cached(*slot as usize, self.code(x)),
            _ => {}
        }
        match self.place(ir) {
            Some(p) => Operand::Place(p),
            None => Operand::Code(self.code(ir)),
        }
    }

    fn codes(&self, xs: &[Ir]) -> Vec<Code> {
        xs.iter().map(|x| self.code(x)).collect()
    }

    /// A boolean expression.
    fn cond(&self, ir: &Ir) -> Cond {
        match ir {
            Ir::Const(v) => {
                let b = v.as_bool();
                Box::new(move |ev, _| ev.tick(1).map(|_| b))
            }
            Ir::Cmp(op, a, b, _) => {
                let (op, a, b) = (*op, self.operand(a), self.operand(b));
                binary(a, b, move |x, y| ops::compare(op, x, y))
            }
            Ir::And(xs) => {
                let xs: Vec<Cond> = xs.iter().map(|x| self.cond(x)).collect();
                cond_node(move |ev, it| {
                    for x in &xs {
                        if !x(ev, it)? {
                            return Ok(false);
                        }
                    }
                    Ok(true)
                })
            }
            Ir::Or(xs) => {
                let xs: Vec<Cond> = xs.iter().map(|x| self.cond(x)).collect();
                cond_node(move |ev, it| {
                    for x in &xs {
                        if x(ev, it)? {
                            return Ok(true);
                        }
                    }
                    Ok(false)
                })
            }
            Ir::Not(x) => {
                let x = self.cond(x);
                cond_node(move |ev, it| Ok(!x(ev, it)?))
            }
            // `any`/`all` of a condition over a list, without a value in between.
            Ir::Agg(agg @ (Agg::Any | Agg::All), x)
                if self.group_items(x).is_none() && matches!(**x, Ir::Map(..)) =>
            {
                let Ir::Map(list, slot, body) = &**x else {
                    return self.cond_of_code(ir);
                };
                let count = self.count_true(self.borrowed_list(list), *slot, body);
                let any = matches!(agg, Agg::Any);
                cond_node(move |ev, it| {
                    let (n, len) = count(ev, it)?;
                    Ok(if any { n > 0 } else { n == len })
                })
            }
            // Boolean rules, called without a closure in between.
            Ir::Rule(r) => {
                let r = *r;
                cond_node(move |ev, _| {
                    let base = ev.env.len();
                    Ok(ev.run_rule(r, base)?.as_bool())
                })
            }
            Ir::Call(r, args) => {
                let (r, args) = (*r, self.codes(args));
                cond_node(move |ev, it| Ok(call(ev, it, r, &args)?.as_bool()))
            }
            Ir::IsNone(x) => {
                let x = self.operand(x);
                cond_node(move |ev, it| {
                    let t = x.prepare(ev, it)?;
                    Ok(matches!(x.get(ev, it, &t), Value::None))
                })
            }
            Ir::In(x, list) => {
                let (x, list) = (self.operand(x), self.operand(list));
                binary(x, list, |x, list| contains(list.as_list(), x))
            }
            Ir::Within(d, w) => {
                let (d, w) = (self.operand(d), self.operand(w));
                binary(d, w, |d, w| match (d, w) {
                    (Value::Date(d), Value::Window(w)) => w.contains(*d),
                    _ => false,
                })
            }
            _ => self.cond_of_code(ir),
        }
    }

    /// A boolean expression evaluated as a value.
    fn cond_of_code(&self, ir: &Ir) -> Cond {
        match self.place(ir) {
            Some(p) => Box::new(move |ev, it| {
                ev.tick(p.steps())?;
                Ok(ev.at(&p, it).as_bool())
            }),
            None => {
                let c = self.code(ir);
                Box::new(move |ev, it| Ok(c(ev, it)?.as_bool()))
            }
        }
    }

    /// A criterion's condition as explanations evaluate it: the operands of every comparison
    /// evaluated are recorded on the open node (through `let`, `and` and `or`, which stop where
    /// evaluation stops: an explanation never fails where the evaluation succeeds).
    fn traced(&self, ir: &Ir) -> Code {
        match ir {
            Ir::Cmp(op, a, b, unit) => {
                let (op, unit, a, b) = (*op, *unit, self.code(a), self.code(b));
                Box::new(move |ev, it| {
                    let l = a(ev, it)?;
                    let r = b(ev, it)?;
                    let v = ops::compare(op, &l, &r);
                    if let Some(node) = ev.tree.as_mut().and_then(|t| t.last_mut()) {
                        node.comparisons.push(Comparison {
                            op,
                            left: l,
                            right: r,
                            unit,
                        });
                    }
                    Ok(Value::Bool(v))
                })
            }
            Ir::Let(slot, v, body) => {
                let (slot, v, body) = (*slot, self.code(v), self.rebinding(*slot).traced(body));
                Box::new(move |ev, it| {
                    let x = v(ev, it)?;
                    ev.set(slot, x);
                    body(ev, it)
                })
            }
            Ir::And(xs) | Ir::Or(xs) => {
                let and = matches!(ir, Ir::And(_));
                let xs: Vec<Code> = xs.iter().map(|x| self.traced(x)).collect();
                Box::new(move |ev, it| {
                    for x in &xs {
                        if x(ev, it)?.as_bool() != and {
                            return Ok(Value::Bool(!and));
                        }
                    }
                    Ok(Value::Bool(and))
                })
            }
            _ => self.code(ir),
        }
    }

    /// A list operand: read in place when it lies in a local or the facts.
    fn list(&self, ir: &Ir) -> Operand {
        match self.place(ir) {
            Some(p) => Operand::Place(p),
            None => Operand::Code(self.code(ir)),
        }
    }

    /// A list operand read in place without a step (see [`Place::steps`]).
    fn borrowed_list(&self, ir: &Ir) -> Operand {
        match self.place(ir) {
            Some(p) => Operand::Place(Place { steps: 0, ..p }),
            None => Operand::Code(self.code(ir)),
        }
    }

    fn code(&self, ir: &Ir) -> Code {
        if let Some(p) = self.place(ir) {
            return Box::new(move |ev, it| {
                ev.tick(p.steps())?;
                Ok(ev.at(&p, it).clone())
            });
        }
        match ir {
            Ir::Const(v) => {
                let v = v.clone();
                Box::new(move |ev, _| ev.tick(1).map(|_| v.clone()))
            }
            Ir::Local(_) | Ir::Fact(_) => unreachable_place(),
            Ir::AsOf => Box::new(|ev, _| ev.tick(1).map(|_| Value::Date(ev.as_of))),
            Ir::Rule(r) => {
                let r = *r;
                node(move |ev, _| {
                    let base = ev.env.len();
                    ev.run_rule(r, base)
                })
            }
            Ir::Call(r, args) => {
                let (r, args) = (*r, self.codes(args));
                node(move |ev, it| call(ev, it, r, &args))
            }
            Ir::Cached(slot, x) => {
                let (slot, x) = (*slot as usize, self.code(x));
                node(move |ev, it| match &ev.cache[slot] {
                    Some(v) => Ok(v.clone()),
                    None => {
                        let v = x(ev, it)?;
                        ev.cache[slot] = Some(v.clone());
                        Ok(v)
                    }
                })
            }
            Ir::Table(t) => {
                let t = *t as usize;
                Box::new(move |ev, _| {
                    ev.tick(1)?;
                    Ok(ev.program.tables[t].rows.clone())
                })
            }
            Ir::Lookup(t, key) => {
                let (t, key) = (*t as usize, self.operand(key));
                node(move |ev, it| {
                    let k = key.prepare(ev, it)?;
                    let table = &ev.program.tables[t];
                    Ok(match table.index.get(key.get(ev, it, &k)) {
                        Some(&i) => table.rows.as_list()[i].clone(),
                        None => Value::None,
                    })
                })
            }
            Ir::Field(x, 0) if self.is_group_it(x) => self.group_key(),
            Ir::Field(x, slot) => {
                let (x, slot) = (self.code(x), *slot as usize);
                node(move |ev, it| {
                    Ok(match x(ev, it)? {
                        Value::Record(r) => r.get(slot).cloned().unwrap_or(Value::None),
                        _ => Value::None,
                    })
                })
            }
            Ir::MapField(x, slot) => {
                let (x, slot) = (self.list(x), *slot as usize);
                node(move |ev, it| {
                    let t = x.prepare(ev, it)?;
                    let out: Vec<Value> = x
                        .get(ev, it, &t)
                        .as_list()
                        .iter()
                        .map(|v| field(v, slot).clone())
                        .collect();
                    Ok(Value::List(Arc::new(out)))
                })
            }
            Ir::Arith(kind, a, b, span) => {
                let (kind, span, a, b) = (*kind, *span, self.operand(a), self.operand(b));
                node(move |ev, it| {
                    with2(ev, it, &a, &b, |x, y| ops::arith(kind, x, y))?
                        .map_err(|k| Error::at(span, k))
                })
            }
            Ir::Neg(x, span) => {
                let (x, span) = (self.code(x), *span);
                node(move |ev, it| ops::neg(&x(ev, it)?).map_err(|k| Error::at(span, k)))
            }
            Ir::IntToDec(x) => {
                let x = self.code(x);
                node(move |ev, it| Ok(int_to_dec(x(ev, it)?)))
            }
            Ir::Not(_)
            | Ir::Cmp(..)
            | Ir::And(_)
            | Ir::Or(_)
            | Ir::IsNone(_)
            | Ir::In(..)
            | Ir::Within(..) => {
                let c = self.cond(ir);
                Box::new(move |ev, it| c(ev, it).map(Value::Bool))
            }
            Ir::If(c, a, b) => {
                let (c, a, b) = (self.cond(c), self.code(a), self.code(b));
                node(move |ev, it| if c(ev, it)? { a(ev, it) } else { b(ev, it) })
            }
            Ir::IfSome(x, slot, a, b) => {
                let (x, slot, a, b) = (
                    self.code(x),
                    *slot,
                    self.rebinding(*slot).code(a),
                    self.code(b),
                );
                node(move |ev, it| match x(ev, it)? {
                    Value::None => b(ev, it),
                    v => {
                        ev.set(slot, v);
                        a(ev, it)
                    }
                })
            }
            Ir::Let(slot, v, body) => {
                let (slot, v, body) = (*slot, self.code(v), self.rebinding(*slot).code(body));
                node(move |ev, it| {
                    let x = v(ev, it)?;
                    ev.set(slot, x);
                    body(ev, it)
                })
            }
            Ir::Otherwise(x, d) => {
                let (x, d) = (self.code(x), self.code(d));
                node(move |ev, it| match x(ev, it)? {
                    Value::None => d(ev, it),
                    v => Ok(v),
                })
            }
            Ir::Filter(list, slot, cond) if grouped::fusable(list, *slot, cond) => {
                self.grouped_filter(list, *slot, cond, false)
            }
            Ir::Filter(list, slot, cond) => {
                let list = self.borrowed_list(list);
                let (slot, cond) = (*slot, self.loop_body(*slot, cond, Compiler::cond));
                node(move |ev, it| {
                    let owned: Value;
                    let list = loop_list!(list, ev, it, owned);
                    let mut out = Vec::new();
                    for v in list.as_list() {
                        cond.bind(ev, slot, v);
                        if (cond.code)(ev, v)? {
                            out.push(v.clone());
                        }
                    }
                    Ok(Value::List(Arc::new(out)))
                })
            }
            Ir::Map(list, slot, body) => {
                let list = self.list(list);
                let (slot, body) = (*slot, self.loop_body(*slot, body, Compiler::code));
                node(move |ev, it| {
                    let owned: Value;
                    let list = loop_list!(list, ev, it, owned);
                    let mut out = Vec::with_capacity(list.as_list().len());
                    for v in list.as_list() {
                        body.bind(ev, slot, v);
                        out.push((body.code)(ev, v)?);
                    }
                    Ok(Value::List(Arc::new(out)))
                })
            }
            Ir::Group(list, slot, key) => {
                let list = self.list(list);
                let (slot, key) = (*slot, self.loop_body(*slot, key, Compiler::operand));
                node(move |ev, it| {
                    let owned: Value;
                    let list = loop_list!(list, ev, it, owned);
                    let elements = list.as_list();
                    let mut keys = grouped::Keys::with_capacity(elements.len());
                    let mut items: Vec<Vec<Value>> = Vec::new();
                    for v in elements {
                        key.bind(ev, slot, v);
                        let t = key.code.prepare(ev, v)?;
                        let g = keys.group(key.code.get(ev, v, &t));
                        if g == items.len() {
                            items.push(Vec::new());
                        }
                        items[g].push(v.clone());
                    }
                    Ok(Value::List(Arc::new(
                        keys.keys
                            .into_iter()
                            .zip(items)
                            .map(|(k, items)| {
                                Value::Record(Arc::new(vec![k, Value::List(Arc::new(items))]))
                            })
                            .collect(),
                    )))
                })
            }
            Ir::Agg(agg, x) => self.aggregate(*agg, x),
            Ir::Extreme(is_min, xs) => {
                let (is_min, xs) = (*is_min, self.codes(xs));
                node(move |ev, it| {
                    let mut best: Option<Value> = None;
                    for x in &xs {
                        let v = x(ev, it)?;
                        best = Some(match best {
                            None => v,
                            Some(b) => {
                                let ord = v.compare(&b);
                                if (is_min && ord.is_lt()) || (!is_min && ord.is_gt()) {
                                    v
                                } else {
                                    b
                                }
                            }
                        });
                    }
                    Ok(best.unwrap_or(Value::None))
                })
            }
            Ir::Criteria(combine, items) => self.criteria_block(*combine, items),
            Ir::Score(max, items) => self.score(*max, items),
            Ir::Points {
                quantity,
                rate,
                per,
                max,
                whole,
                span,
            } => {
                let (q, rate, max) = (self.code(quantity), self.code(rate), self.code(max));
                let per = per.as_ref().map(|p| self.code(p));
                let (whole, span) = (*whole, *span);
                node(move |ev, it| {
                    let q = q(ev, it)?;
                    let r = ops::to_dec(&rate(ev, it)?);
                    let unit = match &per {
                        Some(p) => Some(p(ev, it)?),
                        None => None,
                    };
                    let cap = ops::to_dec(&max(ev, it)?);
                    ops::points(&q, r, unit.as_ref(), cap, whole).map_err(|k| Error::at(span, k))
                })
            }
            Ir::Trailing(d, end, span) => {
                let (d, span) = (self.code(d), *span);
                let end = end.as_ref().map(|e| self.code(e));
                node(move |ev, it| {
                    let end = match &end {
                        Some(e) => match e(ev, it)? {
                            Value::Date(d) => d,
                            _ => ev.as_of,
                        },
                        None => ev.as_of,
                    };
                    let start = match d(ev, it)? {
                        Value::Days(n) => n.checked_neg().and_then(|n| dates::add_days(end, n)),
                        Value::Months(n) => n.checked_neg().and_then(|n| dates::add_months(end, n)),
                        _ => None,
                    }
                    .ok_or_else(|| Error::at(span, ErrorKind::DateOutOfRange))?;
                    Ok(Value::Window(Window {
                        start,
                        start_inclusive: false,
                        end,
                        end_inclusive: true,
                    }))
                })
            }
            Ir::Between(a, b) => {
                let (a, b) = (self.code(a), self.code(b));
                node(move |ev, it| {
                    Ok(match (a(ev, it)?, b(ev, it)?) {
                        (Value::Date(a), Value::Date(b)) => Value::Window(Window {
                            start: a,
                            start_inclusive: true,
                            end: b,
                            end_inclusive: true,
                        }),
                        _ => Value::None,
                    })
                })
            }
            Ir::List(xs) => {
                let xs = self.codes(xs);
                node(move |ev, it| {
                    Ok(Value::List(Arc::new(
                        xs.iter().map(|x| x(ev, it)).collect::<Result<_, _>>()?,
                    )))
                })
            }
            Ir::Record(xs) => {
                let xs = self.codes(xs);
                node(move |ev, it| {
                    Ok(Value::Record(Arc::new(
                        xs.iter().map(|x| x(ev, it)).collect::<Result<_, _>>()?,
                    )))
                })
            }
            Ir::Builtin(b, args, span) => {
                let (b, span) = (*b, *span);
                let args: Vec<Operand> = args.iter().take(3).map(|a| self.operand(a)).collect();
                node(move |ev, it| {
                    // Built-ins take at most three arguments, read in place: no allocation and
                    // no copy per call.
                    let mut computed = [None, None, None];
                    for (c, a) in computed.iter_mut().zip(&args) {
                        *c = a.prepare(ev, it)?;
                    }
                    let mut vals: [&Value; 3] = [NONE; 3];
                    for ((v, a), c) in vals.iter_mut().zip(&args).zip(&computed) {
                        *v = a.get(ev, it, c);
                    }
                    ops::builtin(b, &vals[..args.len()]).map_err(|k| Error::at(span, k))
                })
            }
        }
    }

    /// An aggregate over a list, fused with the list's `x in list: body`, `.field` or `where`
    /// so that no intermediate list is built.
    fn aggregate(&self, agg: Agg, x: &Ir) -> Code {
        if let Some(items) = self.group_items(x) {
            return self.group_aggregate(agg, items);
        }
        match x {
            Ir::Filter(list, slot, cond)
                if matches!(agg, Agg::Count) && grouped::fusable(list, *slot, cond) =>
            {
                self.grouped_filter(list, *slot, cond, true)
            }
            Ir::MapField(inner, f) if matches!(**inner, Ir::Filter(..)) => match &**inner {
                Ir::Filter(list, slot, cond) => {
                    self.filtered_aggregate(agg, list, *slot, cond, Some(*f as usize))
                }
                _ => unreachable_place(),
            },
            Ir::MapField(list, slot) => {
                let (list, slot) = (self.borrowed_list(list), *slot as usize);
                node(move |ev, it| {
                    let mut acc = ops::Accumulator::new(agg);
                    let t = list.prepare(ev, it)?;
                    for v in list.get(ev, it, &t).as_list() {
                        if acc.push(field(v, slot)).map_err(Error::bare)? {
                            break;
                        }
                    }
                    acc.finish().map_err(Error::bare)
                })
            }
            Ir::Map(list, slot, body) => {
                let (list, slot) = (self.borrowed_list(list), *slot);
                // A condition per element when the aggregate only asks for truth.
                if matches!(agg, Agg::CountTrue | Agg::Any | Agg::All) {
                    let count = self.count_true(list, slot, body);
                    return node(move |ev, it| {
                        let (n, len) = count(ev, it)?;
                        Ok(match agg {
                            Agg::Any => Value::Bool(n > 0),
                            Agg::All => Value::Bool(n == len),
                            _ => Value::Int(n),
                        })
                    });
                }
                let body = self.loop_body(slot, body, Compiler::code);
                node(move |ev, it| {
                    let mut acc = ops::Accumulator::new(agg);
                    let owned: Value;
                    let list = loop_list!(list, ev, it, owned);
                    for v in list.as_list() {
                        body.bind(ev, slot, v);
                        let b = (body.code)(ev, v)?;
                        let _decided = acc.push(&b).map_err(Error::bare)?;
                    }
                    acc.finish().map_err(Error::bare)
                })
            }
            Ir::Filter(list, slot, cond) if !matches!(agg, Agg::Count) => {
                self.filtered_aggregate(agg, list, *slot, cond, None)
            }
            Ir::Filter(list, slot, cond) if matches!(agg, Agg::Count) => {
                let list = self.borrowed_list(list);
                let (slot, cond) = (*slot, self.loop_body(*slot, cond, Compiler::cond));
                node(move |ev, it| {
                    let owned: Value;
                    let list = loop_list!(list, ev, it, owned);
                    let mut n = 0i64;
                    for v in list.as_list() {
                        cond.bind(ev, slot, v);
                        if (cond.code)(ev, v)? {
                            n += 1;
                        }
                    }
                    Ok(Value::Int(n))
                })
            }
            _ => {
                let x = self.list(x);
                node(move |ev, it| {
                    let mut acc = ops::Accumulator::new(agg);
                    let t = x.prepare(ev, it)?;
                    for v in x.get(ev, it, &t).as_list() {
                        if acc.push(v).map_err(Error::bare)? {
                            break;
                        }
                    }
                    acc.finish().map_err(Error::bare)
                })
            }
        }
    }

    /// How many elements of a list a condition holds for, and how many there are. Every
    /// condition is evaluated, even after `any`/`all` are decided: an error in a later element is
    /// reported, never hidden (as in criteria blocks).
    fn count_true(
        &self,
        list: Operand,
        slot: u32,
        body: &Ir,
    ) -> impl Fn(&mut Evaluation<'_>, &Value) -> Result<(i64, i64), Error> + Send + Sync + 'static
    {
        let body = self.loop_body(slot, body, Compiler::cond);
        move |ev, it| {
            let owned: Value;
            let list = loop_list!(list, ev, it, owned);
            let mut n = 0i64;
            for v in list.as_list() {
                body.bind(ev, slot, v);
                if (body.code)(ev, v)? {
                    n += 1;
                }
            }
            Ok((n, list.as_list().len() as i64))
        }
    }

    /// An aggregate of `list where cond` (or of a field of its elements), without the filtered
    /// list. As when the list is built first, every condition is evaluated (an error in a later
    /// element is reported even once the aggregate is decided) and an error of the aggregate
    /// itself is reported only when no condition fails.
    fn filtered_aggregate(
        &self,
        agg: Agg,
        list: &Ir,
        slot: u32,
        cond: &Ir,
        read: Option<usize>,
    ) -> Code {
        let list = self.borrowed_list(list);
        let cond = self.loop_body(slot, cond, Compiler::cond);
        node(move |ev, it| {
            // The `where` node.
            ev.tick(1)?;
            let owned: Value;
            let list = loop_list!(list, ev, it, owned);
            let mut acc = ops::Accumulator::new(agg);
            let mut done: Result<bool, ErrorKind> = Ok(false);
            for v in list.as_list() {
                cond.bind(ev, slot, v);
                if (cond.code)(ev, v)? && matches!(done, Ok(false)) {
                    let x = match read {
                        Some(f) => field(v, f),
                        None => v,
                    };
                    done = acc.push(x);
                }
            }
            done.map_err(Error::bare)?;
            acc.finish().map_err(Error::bare)
        })
    }

    fn criteria_block(&self, combine: Combine, items: &[(CritId, Ir)]) -> Code {
        let items: Vec<(CritId, Cond, Code)> = items
            .iter()
            .map(|(id, x)| (*id, self.cond(x), self.traced(x)))
            .collect();
        node(move |ev, it| {
            // Every criterion is evaluated (no short circuit), traced or not: explanations see
            // them all, and an error in any criterion is reported the same way in every mode.
            let mut passed = 0u32;
            for (id, plain, traced) in &items {
                let v = if ev.tree.is_some() {
                    ev.open(TraceKind::Criterion(*id));
                    let v = traced(ev, it);
                    match &v {
                        Ok(v) => ev.close(v),
                        Err(_) => ev.close_failed(),
                    }
                    v?.as_bool()
                } else {
                    plain(ev, it)?
                };
                if v {
                    passed += 1;
                }
                if ev.trace.is_some() {
                    ev.record(*id, &Value::Bool(v));
                }
            }
            Ok(Value::Bool(match combine {
                Combine::Any => passed >= 1,
                Combine::All => passed as usize == items.len(),
                Combine::AtLeast(n) => passed >= n,
            }))
        })
    }

    fn score(&self, max: Decimal, items: &[(CritId, Ir)]) -> Code {
        let items: Vec<(CritId, Code, Arc<Ir>, Value)> = items
            .iter()
            .map(|(id, x)| {
                let label = self
                    .criteria
                    .get(*id as usize)
                    .map_or("", |c| c.label.as_str());
                (
                    *id,
                    self.code(x),
                    Arc::new(x.clone()),
                    Value::Text(label.into()),
                )
            })
            .collect();
        node(move |ev, it| {
            let mut total = Decimal::ZERO;
            let mut all_above = true;
            let mut metrics = Vec::with_capacity(items.len());
            for (id, x, ir, label) in &items {
                ev.open(TraceKind::Metric(*id));
                let v = match x(ev, it) {
                    Ok(v) => ops::to_dec(&v),
                    Err(e) => {
                        ev.close_failed();
                        return Err(e);
                    }
                };
                if let Some(node) = ev.tree.as_mut().and_then(|t| t.last_mut()) {
                    node.cap = metric_cap(ev.program, ir);
                }
                ev.close(&Value::Dec(v));
                ev.record(*id, &Value::Dec(v));
                if v <= Decimal::ZERO {
                    all_above = false;
                }
                total = total
                    .checked_add(v)
                    .ok_or_else(|| Error::bare(ErrorKind::Overflow { op: "+".into() }))?;
                metrics.push(Value::Record(Arc::new(vec![label.clone(), Value::Dec(v)])));
            }
            let total = total.min(max).normalize();
            Ok(Value::Record(Arc::new(vec![
                Value::Dec(total),
                Value::Bool(all_above),
                Value::List(Arc::new(metrics)),
            ])))
        })
    }
}

/// The deepest nesting of an expression's nodes. The closures of a body nest as its IR does, so
/// charging a rule call with its body's depth bounds the native stack an evaluation uses as
/// checking the depth at every node would, without a check per node.
pub(crate) fn depth(ir: &Ir) -> usize {
    let mut deepest = 0;
    crate::types::graph::visit_children(ir, &mut |c| deepest = deepest.max(depth(c)));
    deepest + 1
}

/// Whether a loop nested in `body` reads `slot` (the loop element of the loop around `body`).
fn read_in_nested_loop(body: &Ir, slot: u32) -> bool {
    let mut found = false;
    crate::types::graph::visit(body, &mut |x| {
        if let Ir::Filter(_, _, inner) | Ir::Map(_, _, inner) | Ir::Group(_, _, inner) = x {
            crate::types::graph::visit(inner, &mut |y| {
                found |= matches!(y, Ir::Local(s) if *s == slot);
            });
        }
    });
    found
}

/// Not reached: locals and facts are places, except the `it` of a grouped condition, which
/// `grouped::fusable` admits only as `it.key` or under an aggregate of `it.items`, both compiled
/// before a bare local could be. Kept so that the matches stay exhaustive.
fn unreachable_place() -> Code {
    Box::new(|_, _| Ok(Value::None))
}

/// `x in list`. Text and enum values (names, variants: the usual members) are compared without
/// the general equality's dispatch on both operands' kinds; the answer is the same.
fn contains(list: &[Value], x: &Value) -> bool {
    match x {
        Value::Text(t) => list
            .iter()
            .any(|v| matches!(v, Value::Text(u) if u.len() == t.len() && u == t)),
        Value::Enum(e) => list.iter().any(|v| matches!(v, Value::Enum(f) if f == e)),
        _ => list.iter().any(|v| v.same(x)),
    }
}

fn field(v: &Value, slot: usize) -> &Value {
    match v {
        Value::Record(r) => r.get(slot).unwrap_or(NONE),
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
