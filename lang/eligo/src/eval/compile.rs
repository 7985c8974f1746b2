//! Compiles the IR into closures once per program, so that evaluation runs no `match` over node
//! kinds: each node becomes a small function that calls its children's functions directly.
//!
//! Why: a tree walker pays, at every node, for one large dispatch function (a big stack frame,
//! a `Result` moved through it) and clones the values it reads. Compiled closures specialise at
//! compile time what the walker decided at run time: a field of a local or of the facts is read
//! in place and compared without being cloned (a [`Place`]), conditions return a plain `bool`
//! ([`Cond`]), and aggregates over `.field`, `x in list: …` and `where` build no list.
//!
//! The closures keep the walker's accounting: one step per IR node (a fused node counts the nodes
//! it stands for), evaluation order left to right, every criterion evaluated, and the evaluation
//! tree recorded for explanations. The depth limit is charged per rule call, with the depth of
//! the rule's body ([`depth`]).
//!
//! Here: the compiled node kinds and conditions. `operand`: reading values in place. `aggregate`:
//! aggregates fused with what produces their list. `criteria`: criteria blocks and scores.
//! `grouped`: `group by … where` without building the groups it drops. `traced`, `kept`,
//! `types`: the forms explanations run instead, which record what decided a value (never run by
//! a plain evaluation).

use super::dates;
use super::interp::Evaluation;
use super::ops;
use crate::diag::{Error, ErrorKind};
use crate::model::ir::{visit, visit_children, Agg, Ir, Unit};
use crate::model::value::Value;
use crate::model::Program;
use std::cell::Cell;

#[macro_use]
mod operand;
mod aggregate;
mod criteria;
mod flow;
mod grouped;
mod kept;
mod loops;
mod read;
mod traced;
mod types;

use operand::{by_kinds, field, with2, Operand, PairBuilder, Place, Read, Root};

type R = Result<Value, Error>;

/// A compiled expression.
pub(crate) type Code = Box<dyn Fn(&mut Evaluation<'_>, &Value) -> R + Send + Sync>;

/// A compiled condition: a boolean expression that returns its truth directly.
type Cond = Closure<bool>;

/// A compiled node that gives a `T`.
type Closure<T> = Box<dyn Fn(&mut Evaluation<'_>, &Value) -> Result<T, Error> + Send + Sync>;

/// The compiled bodies of a program's rules and outcomes (same indices as their definitions).
pub struct Bodies {
    pub(crate) rules: Vec<RuleCode>,
    pub(crate) outcomes: Vec<Code>,
    /// The deepest nesting of each outcome body's IR (see [`RuleCode::depth`]).
    pub(crate) outcome_depth: Vec<usize>,
}

/// What a call of one rule runs, in one record: a call reads all of it, so one bounds check and
/// one cache line rather than one per vector (rule calls are the standard policies' main cost).
pub(crate) struct RuleCode {
    pub(crate) code: Code,
    /// For a rule whose body compares, counts or filters something (`traced::traceable`): its
    /// body in the traced form that records the comparisons that decided it and the elements
    /// kept, run when explaining.
    pub(crate) traced: Option<Code>,
    /// The deepest nesting of the body's IR, which a call adds to the evaluation depth.
    pub(crate) depth: usize,
}

impl std::fmt::Debug for Bodies {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Bodies {{ {} rules, {} outcomes }}",
            self.rules.len(),
            self.outcomes.len()
        )
    }
}

impl Bodies {
    /// Compiles every rule and outcome body.
    pub fn new(program: &Program) -> Self {
        let (rules, outcomes) = (&program.rules, &program.outcomes);
        let groups = Cell::new(0);
        let c = Compiler {
            program,
            elem: None,
            group: None,
            groups: &groups,
        };
        Bodies {
            rules: rules
                .iter()
                .enumerate()
                .map(|(i, r)| RuleCode {
                    code: c.code(&r.body),
                    traced: traced::traceable(&r.body).then(|| c.traced_rule(i as u32, &r.body)),
                    depth: depth(&r.body),
                })
                .collect(),
            outcomes: outcomes.iter().map(|o| c.code(&o.body)).collect(),
            outcome_depth: outcomes.iter().map(|o| depth(&o.body)).collect(),
        }
    }
}

/// A condition on two operands. When both are constants or places (nothing to compute), the
/// node's step and theirs are counted at once. `f` answers `None` for operands of kinds the
/// checker rules out: an internal error.
fn binary<F>(a: Operand, b: Operand, f: F, what: &'static str) -> Cond
where
    F: Fn(&Value, &Value) -> Option<bool> + Send + Sync + 'static,
{
    let answer = move |r: Option<bool>| r.ok_or_else(|| internal_error(what));
    match (a.fixed_steps(), b.fixed_steps()) {
        (Some(x), Some(y)) => {
            let n = 1 + x + y;
            // A place against a constant (`it.kind == consulting`, `n >= 3`), or two places:
            // read without dispatching on the operands' kinds at each evaluation.
            match (a, b) {
                (Operand::Place(p), Operand::Const(c)) => Box::new(move |ev, it| {
                    ev.tick(n)?;
                    answer(f(ev.at(&p, it), &c.0))
                }),
                (Operand::Const(c), Operand::Place(p)) => Box::new(move |ev, it| {
                    ev.tick(n)?;
                    answer(f(&c.0, ev.at(&p, it)))
                }),
                (Operand::Place(p), Operand::Place(q)) => Box::new(move |ev, it| {
                    ev.tick(n)?;
                    answer(f(ev.at(&p, it), ev.at(&q, it)))
                }),
                (a, b) => Box::new(move |ev, it| {
                    ev.tick(n)?;
                    answer(f(a.get(ev, it, &None), b.get(ev, it, &None)))
                }),
            }
        }
        _ => by_kinds(a, b, Binary { f, what }),
    }
}

/// A condition on two operands of which one at least is computed, monomorphised for both
/// operands' kinds: the node's step, then the left operand's, then the right one's.
struct Binary<F> {
    f: F,
    what: &'static str,
}

impl<F> PairBuilder<Cond> for Binary<F>
where
    F: Fn(&Value, &Value) -> Option<bool> + Send + Sync + 'static,
{
    fn build<A: Read, B: Read>(self, a: A, b: B) -> Cond {
        let Binary { f, what } = self;
        cond_node(move |ev, it| {
            let ha = a.prepare(ev, it)?;
            let hb = b.prepare(ev, it)?;
            f(a.get(ev, it, &ha), b.get(ev, it, &hb)).ok_or_else(|| internal_error(what))
        })
    }
}

/// The error of an invariant the checker guarantees, found broken at run time. Out of line:
/// the hot closures that could raise it stay small.
#[cold]
#[inline(never)]
fn internal_error(what: &'static str) -> Error {
    Error::bare(ErrorKind::internal(what))
}

/// `x in list` where both lie in place (`n in names` in a loop: the inner loop of
/// `certified_people`, the standard policies' busiest rule): the node's and the operands' steps
/// counted at once, as `binary` does, then one per element compared.
fn in_places(x: Place, list: Place) -> Cond {
    let n = 1 + x.steps() + list.steps();
    Box::new(move |ev, it| place_in_place(ev, it, &x, &list, n))
}

/// `x in list`, both read in place for the element `it`: `n` steps for the node and its
/// operands, then one per element compared.
#[inline(always)]
fn place_in_place(
    ev: &mut Evaluation<'_>,
    it: &Value,
    x: &Place,
    list: &Place,
    n: u64,
) -> Result<bool, Error> {
    ev.tick(n)?;
    let (found, compared) = match ev.at(list, it) {
        Value::List(l) => contains(l, ev.at(x, it)),
        _ => {
            return Err(Error::bare(ErrorKind::internal(
                "`in` over something that is no list",
            )))
        }
    };
    ev.tick(compared)?;
    Ok(found)
}

/// A value that should be a condition's truth.
#[inline]
fn truth(v: &Value) -> Result<bool, Error> {
    ops::truth(v).map_err(Error::bare)
}

/// A value that should be a list.
#[inline]
fn elements(v: &Value) -> Result<&[Value], Error> {
    ops::list(v).map_err(Error::bare)
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
    if ev.current_rule == r as usize {
        if let Err(e) = check_decreasing(ev, r, base) {
            ev.env.truncate(base);
            return Err(e);
        }
    }
    ev.run_rule(r, base)
}

/// A rule calling itself (the type checker allows it only with an enum parameter, its
/// decreasing one): the argument there must be a smaller variant than the caller's, so that the
/// calls end. The caller's arguments are the first slots of its frame.
fn check_decreasing(ev: &Evaluation<'_>, r: u32, base: usize) -> Result<(), Error> {
    let def = &ev.program.rules[r as usize];
    let Some(p) = def.decreasing.map(|p| p as usize) else {
        return Err(Error::bare(ErrorKind::internal(
            "a rule calls itself without a decreasing parameter",
        )));
    };
    let (now, next) = match (ev.env.get(ev.base + p), ev.env.get(base + p)) {
        (Some(Value::Enum(now)), Some(Value::Enum(next))) => (*now, *next),
        _ => {
            return Err(Error::bare(ErrorKind::internal(
                "a decreasing argument that is no variant",
            )))
        }
    };
    if next < now {
        return Ok(());
    }
    let (param, ty) = &def.params[p];
    let name = |i: u32| match ty {
        crate::model::Ty::Enum(id, _) => ev.program.enums[*id as usize]
            .variants
            .get(i as usize)
            .map_or_else(|| i.to_string(), |v| v.to_string()),
        _ => i.to_string(),
    };
    Err(Error::bare(ErrorKind::RecursionNotDecreasing {
        rule: def.name.to_string(),
        param: param.to_string(),
        caller: name(now),
        callee: name(next),
    }))
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
    /// The program being compiled (criteria labels, rule bodies for metric caps).
    program: &'a Program,
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
    /// The memo slot of a rule without parameters (its one value), which a read of the rule
    /// checks before the call: a memo hit then costs a load and a clone, not a call.
    fn constant_rule_slot(&self, r: u32) -> Option<usize> {
        let memo = self.program.rules.get(r as usize)?.memo.as_ref()?;
        match memo.slots {
            crate::model::program::MemoSlots::Dense { base, len: 1 } if memo.radix.is_empty() => {
                Some(base)
            }
            _ => None,
        }
    }

    /// `any(n in held: n in names)` with both operands of `in` in place (the inner loop of
    /// `certified_people`, the standard policies' busiest rule): the loop and its `in` in one
    /// closure, charged the steps the two would be (the `in` node and its operands, then one per
    /// element compared, for each element). `None` for any other body.
    fn any_in_places(&self, any: bool, list: &Ir, slot: u32, body: &Ir) -> Option<Cond> {
        let Ir::In(x, names) = body else {
            return None;
        };
        let inner = self.loop_body(slot, body, |c, _| (c.operand(x), c.operand(names)));
        let (false, (Operand::Place(x), Operand::Place(names))) = (inner.store, inner.code) else {
            return None;
        };
        let list = self.borrowed_list(list);
        let n = 1 + x.steps() + names.steps();
        Some(cond_node(move |ev, it| {
            let owned: Value;
            let outer = loop_list!(list, ev, it, owned);
            let elems = elements(outer)?;
            let mut found = 0usize;
            for v in elems {
                found += usize::from(place_in_place(ev, v, &x, &names, n)?);
            }
            Ok(if any { found > 0 } else { found == elems.len() })
        }))
    }

    /// The compiler of a body in which `slot` is bound to something else than the loop
    /// element this compiler passes (`let`, `if … is some`).
    fn rebinding(&self, slot: u32) -> Compiler<'a> {
        Compiler {
            program: self.program,
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
            program: self.program,
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
            Ir::Const(v) => return Operand::constant(v.clone()),
            Ir::AsOf => return Operand::AsOf,
            Ir::Cached(slot, x) => return Operand::cached(*slot as usize, self.code(x)),
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
            Ir::Const(v) => match v.truth() {
                Some(b) => Box::new(move |ev, _| ev.tick(1).map(|_| b)),
                None => internal("a constant condition is no boolean"),
            },
            Ir::Cmp(op, a, b, Unit::Compound) => {
                // Lists and records: charged the elements compared (two lists of 10,000
                // elements are 10,000 steps, not one).
                let (op, a, b) = (*op, self.code(a), self.code(b));
                cond_node(move |ev, it| {
                    let (x, y) = (a(ev, it)?, b(ev, it)?);
                    ev.tick(ops::comparison_work(&x, &y))?;
                    ops::compare(op, &x, &y).ok_or_else(|| {
                        Error::bare(ErrorKind::internal("lists or records are ordered"))
                    })
                })
            }
            Ir::Cmp(op, a, b, _) => {
                let (op, a, b) = (*op, self.operand(a), self.operand(b));
                let what = "values of different kinds are ordered";
                binary(a, b, move |x, y| ops::compare(op, x, y), what)
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
                let any = matches!(agg, Agg::Any);
                if let Some(fused) = self.any_in_places(any, list, *slot, body) {
                    return fused;
                }
                let count = self.count_true(self.borrowed_list(list), *slot, body);
                cond_node(move |ev, it| {
                    let (n, len) = count(ev, it)?;
                    Ok(if any { n > 0 } else { n == len })
                })
            }
            // Boolean rules, called without a closure in between.
            Ir::Rule(r) => {
                let (r, kept) = (*r, self.constant_rule_slot(*r));
                cond_node(move |ev, _| {
                    if let Some(v) = ev.kept(kept) {
                        return truth(v);
                    }
                    let base = ev.env.len();
                    truth(&ev.run_rule(r, base)?)
                })
            }
            Ir::Call(r, args) => {
                let (r, args) = (*r, self.codes(args));
                cond_node(move |ev, it| truth(&call(ev, it, r, &args)?))
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
                if let (Operand::Place(x), Operand::Place(list)) = (&x, &list) {
                    return in_places(x.clone(), list.clone());
                }
                // Charged one step per element compared, beyond the node's own.
                cond_node(move |ev, it| {
                    let (found, compared) = with2(ev, it, &x, &list, |x, list| {
                        list.list().map(|l| contains(l, x))
                    })?
                    .ok_or_else(|| {
                        Error::bare(ErrorKind::internal("`in` over something that is no list"))
                    })?;
                    ev.tick(compared)?;
                    Ok(found)
                })
            }
            Ir::Within(d, w) => {
                let (d, w) = (self.operand(d), self.operand(w));
                let what = "`within` of something that is no date and window";
                binary(
                    d,
                    w,
                    |d, w| match (d, w) {
                        (Value::Date(d), Value::Window(w)) => Some(w.contains(*d)),
                        _ => None,
                    },
                    what,
                )
            }
            _ => self.cond_of_code(ir),
        }
    }

    /// A boolean expression evaluated as a value.
    fn cond_of_code(&self, ir: &Ir) -> Cond {
        match self.place(ir) {
            Some(p) => Box::new(move |ev, it| {
                ev.tick(p.steps())?;
                truth(ev.at(&p, it))
            }),
            None => {
                let c = self.code(ir);
                Box::new(move |ev, it| truth(&c(ev, it)?))
            }
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
            Ir::Const(_)
            | Ir::Local(_)
            | Ir::Fact(_)
            | Ir::AsOf
            | Ir::Rule(_)
            | Ir::Call(..)
            | Ir::Cached(..)
            | Ir::Table(_)
            | Ir::Lookup(..)
            | Ir::Field(..)
            | Ir::MapField(..) => self.read(ir),
            Ir::Arith(..) | Ir::Neg(..) | Ir::IntToDec(_) => self.arithmetic(ir),
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
            Ir::If(..) | Ir::IfSome(..) | Ir::Let(..) | Ir::Otherwise(..) => self.control(ir),
            Ir::Filter(..) | Ir::Map(..) | Ir::Group(..) => self.loop_code(ir),
            Ir::Agg(agg, x) => self.aggregate(*agg, x),
            Ir::Extreme(..) | Ir::List(_) | Ir::Record(_) | Ir::Builtin(..) => self.built(ir),
            Ir::Criteria(combine, items) => self.criteria_block(*combine, items),
            Ir::Score(max, items) => self.score(*max, items),
            Ir::Points { .. } => self.points(ir),
            Ir::Trailing(..) | Ir::Between(..) => self.window(ir),
        }
    }
}

/// The deepest nesting of an expression's nodes. The closures of a body nest as its IR does, so
/// charging a rule call with its body's depth bounds the native stack an evaluation uses as
/// checking the depth at every node would, without a check per node.
pub(crate) fn depth(ir: &Ir) -> usize {
    let mut deepest = 0;
    visit_children(ir, &mut |c| deepest = deepest.max(depth(c)));
    deepest + 1
}

/// Whether a loop nested in `body` reads `slot` (the loop element of the loop around `body`).
fn read_in_nested_loop(body: &Ir, slot: u32) -> bool {
    let mut found = false;
    visit(body, &mut |x| {
        if let Ir::Filter(_, _, inner) | Ir::Map(_, _, inner) | Ir::Group(_, _, inner) = x {
            visit(inner, &mut |y| {
                found |= matches!(y, Ir::Local(s) if *s == slot);
            });
        }
    });
    found
}

/// Code for a node the compiler should never meet where it is: evaluating it is an internal
/// error (a bug of eligo), never a value.
fn internal<T: 'static>(what: &'static str) -> Closure<T> {
    Box::new(move |_, _| Err(Error::bare(ErrorKind::internal(what))))
}

/// `x in list`, and how many elements it compared (the steps it is charged). Text and enum values
/// (names, variants: the usual members) are compared without the general equality's dispatch on
/// both operands' kinds; the answer is the same.
fn contains(list: &[Value], x: &Value) -> (bool, u64) {
    let at = match x {
        Value::Text(t) => list
            .iter()
            .position(|v| matches!(v, Value::Text(u) if u.len() == t.len() && u == t)),
        Value::Enum(e) => list
            .iter()
            .position(|v| matches!(v, Value::Enum(f) if f == e)),
        _ => list.iter().position(|v| v.same(x)),
    };
    match at {
        Some(i) => (true, i as u64 + 1),
        None => (false, list.len() as u64),
    }
}

/// A whole number as the decimal the checker widened it to.
fn int_to_dec(v: Value) -> Result<Value, ErrorKind> {
    match v {
        Value::Int(i) => Ok(Value::Dec(i.into())),
        _ => Err(ErrorKind::internal("a whole number to widen is no number")),
    }
}
