//! The traced form of a rule body or a criterion, which explanations run instead of the plain
//! one: it records on the open node of the evaluation tree the comparisons that decided its
//! value, with their operands (through `let`, `and`, `or`, `if`, `if … is some` and
//! `any`/`all` over a list), and the elements that counting and filtering expressions kept
//! (`kept.rs`). It stops where evaluation stops: an explanation never fails where the evaluation
//! succeeds. The plain evaluation never runs it, so it costs nothing when not explaining.

use super::types::{loop_element, type_of, Locals};
use super::{elements, truth, Code, Compiler};
use crate::diag::{Error, ErrorKind};
use crate::eval::interp::Evaluation;
use crate::eval::ops;
use crate::eval::trace::{Comparison, KeptHow};
use crate::model::ir::{Agg, Ir, Unit};
use crate::model::Value;
use crate::syntax::ast::CmpOp;

/// A compiler of traced forms: the plain compiler, and the types known for the frame's slots
/// (to show kept records by their `id`).
pub(super) struct Traced<'c, 'a> {
    pub(super) c: &'c Compiler<'a>,
    pub(super) locals: Locals,
}

/// How many comparisons the open node of the evaluation tree holds.
pub(super) fn recorded(ev: &Evaluation<'_>) -> usize {
    ev.tree
        .as_ref()
        .and_then(|t| t.last())
        .map_or(0, |n| n.comparisons.len())
}

/// Marks the open node's comparisons in a range as not deciding its value.
pub(super) fn undecided(ev: &mut Evaluation<'_>, range: std::ops::Range<usize>) {
    if let Some(node) = ev.tree.as_mut().and_then(|t| t.last_mut()) {
        for c in node.comparisons.get_mut(range).into_iter().flatten() {
            c.decided = false;
        }
    }
}

/// Whether a rule body has something its traced form records (a comparison, a criteria block,
/// a counting or filtering expression): only those rules get one.
pub(super) fn traceable(ir: &Ir) -> bool {
    match ir {
        Ir::Cmp(..) | Ir::Criteria(..) => true,
        Ir::Let(_, v, body) => super::kept::counting(v) || traceable(body),
        Ir::And(xs) | Ir::Or(xs) => xs.iter().any(traceable),
        Ir::If(c, a, b) => traceable(c) || traceable(a) || traceable(b),
        Ir::IfSome(_, _, a, b) => traceable(a) || traceable(b),
        x => super::kept::counting(x),
    }
}

impl Compiler<'_> {
    /// A criterion's condition in its traced form, when the types of the frame's slots are not
    /// known (a criteria block of an outcome).
    pub(super) fn traced(&self, ir: &Ir) -> Code {
        self.traced_with(ir, Locals::default())
    }

    /// A rule's body in its traced form.
    pub(super) fn traced_rule(&self, rule: u32, body: &Ir) -> Code {
        self.traced_with(body, Locals::params(self.program, rule))
    }

    fn traced_with(&self, ir: &Ir, locals: Locals) -> Code {
        Traced { c: self, locals }.code(ir)
    }
}

impl Traced<'_, '_> {
    /// The traced form of a rule body, a criterion's condition, or a part of them.
    fn code(&self, ir: &Ir) -> Code {
        match ir {
            Ir::Cmp(op, a, b, unit) => self.comparison(*op, a, b, *unit),
            Ir::Let(slot, v, body) => self.binding(*slot, v, body),
            Ir::And(xs) => self.junction(true, xs),
            Ir::Or(xs) => self.junction(false, xs),
            Ir::If(c, a, b) => self.branch(c, a, b),
            Ir::IfSome(x, slot, a, b) => self.some_branch(x, *slot, a, b),
            Ir::Agg(agg @ (Agg::Any | Agg::All), x) => match &**x {
                Ir::Map(list, slot, body) => {
                    self.quantified(matches!(agg, Agg::Any), list, *slot, body)
                }
                _ => self.c.code(ir),
            },
            // A list filtered is the value itself: its elements are shown as the value.
            Ir::Filter(..) => self.c.code(ir),
            Ir::Criteria(combine, items) => {
                self.c
                    .criteria_block_with(*combine, items, &|x: &Ir| self.code(x))
            }
            _ => self.operand(ir),
        }
    }

    /// An operand: a counting or filtering expression records what it kept.
    fn operand(&self, ir: &Ir) -> Code {
        self.counting(ir).unwrap_or_else(|| self.c.code(ir))
    }

    /// The locals with `slot` bound to a value of type `ty`.
    fn binding_locals(&self, slot: u32, ty: Option<crate::model::Ty>) -> Locals {
        self.locals.with(slot, ty)
    }

    /// The type of an expression in this frame, when it can be told.
    pub(super) fn type_of(&self, ir: &Ir) -> Option<crate::model::Ty> {
        type_of(self.c.program, ir, &self.locals)
    }

    fn comparison(&self, op: CmpOp, a: &Ir, b: &Ir, unit: Unit) -> Code {
        let ty = self.type_of(a).or_else(|| self.type_of(b));
        let ty = ty.unwrap_or(crate::model::Ty::Unknown);
        let (a, b) = (self.operand(a), self.operand(b));
        Box::new(move |ev, it| {
            let l = a(ev, it)?;
            let r = b(ev, it)?;
            let v = ops::compare(op, &l, &r).ok_or_else(|| {
                Error::bare(ErrorKind::internal("values of different kinds are ordered"))
            })?;
            if let Some(node) = ev.tree.as_mut().and_then(|t| t.last_mut()) {
                node.comparisons.push(Comparison {
                    op,
                    left: l,
                    right: r,
                    unit,
                    ty: ty.clone(),
                    decided: true,
                });
            }
            Ok(Value::Bool(v))
        })
    }

    fn binding(&self, slot: u32, v: &Ir, body: &Ir) -> Code {
        let inner = self.c.rebinding(slot);
        let locals = self.binding_locals(slot, self.type_of(v));
        let (v, body) = (self.operand(v), Traced { c: &inner, locals }.code(body));
        Box::new(move |ev, it| {
            let x = v(ev, it)?;
            ev.set(slot, x);
            body(ev, it)
        })
    }

    /// `and` (`all` true) or `or`: the operand it stopped at decided it, not those before.
    fn junction(&self, and: bool, xs: &[Ir]) -> Code {
        let xs: Vec<Code> = xs.iter().map(|x| self.code(x)).collect();
        Box::new(move |ev, it| {
            let start = recorded(ev);
            for x in &xs {
                let from = recorded(ev);
                if truth(&x(ev, it)?)? != and {
                    // This operand decided: the comparisons before it did not.
                    undecided(ev, start..from);
                    return Ok(Value::Bool(!and));
                }
            }
            Ok(Value::Bool(and))
        })
    }

    /// `if c then a else b`: a branch that is a constant (`else false`) was decided by the
    /// condition, whatever its result; any other by itself (its comparisons, or the rules and
    /// criteria it reads, which say why below).
    fn branch(&self, c: &Ir, a: &Ir, b: &Ir) -> Code {
        let fixed = [matches!(a, Ir::Const(_)), matches!(b, Ir::Const(_))];
        let (c, a, b) = (self.code(c), self.code(a), self.code(b));
        Box::new(move |ev, it| {
            let start = recorded(ev);
            let taken = truth(&c(ev, it)?)?;
            let from = recorded(ev);
            let v = if taken { a(ev, it)? } else { b(ev, it)? };
            if !fixed[usize::from(!taken)] {
                undecided(ev, start..from);
            }
            Ok(v)
        })
    }

    /// `if x is some v then a else b`: the branch taken decides, as for `if`.
    fn some_branch(&self, x: &Ir, slot: u32, a: &Ir, b: &Ir) -> Code {
        let inner = self.c.rebinding(slot);
        let bound = self.type_of(x).map(|t| t.strip_opt().clone());
        let locals = self.binding_locals(slot, bound);
        let (x, a, b) = (
            self.c.code(x),
            Traced { c: &inner, locals }.code(a),
            self.code(b),
        );
        Box::new(move |ev, it| match x(ev, it)? {
            Value::None => b(ev, it),
            v => {
                ev.set(slot, v);
                a(ev, it)
            }
        })
    }

    /// `any(x in xs: body)` or `all(…)`: every element's body is evaluated (as the plain form
    /// does), the first element that decided it (true for `any`, false for `all`) is the one
    /// whose comparisons are kept as deciding, and the elements that did are recorded.
    fn quantified(&self, any: bool, list: &Ir, slot: u32, body: &Ir) -> Code {
        let ty = loop_element(self.c.program, list, slot, body, &self.locals);
        let locals = self.binding_locals(slot, ty.clone());
        let list = self.c.borrowed_list(list);
        let body = self
            .c
            .loop_body(slot, body, |inner, b| Traced { c: inner, locals }.code(b));
        let how = if any {
            KeptHow::MetBy
        } else {
            KeptHow::NotMetBy
        };
        let ty = ty.unwrap_or(crate::model::Ty::Unknown);
        super::node(move |ev, it| {
            let owned: Value;
            let xs = elements(loop_list!(list, ev, it, owned))?;
            let start = recorded(ev);
            let mut decider: Option<std::ops::Range<usize>> = None;
            let mut kept = super::kept::Collected::default();
            for v in xs {
                body.bind(ev, slot, v);
                let from = recorded(ev);
                if truth(&(body.code)(ev, v)?)? == any {
                    decider.get_or_insert(from..recorded(ev));
                    kept.push(v);
                }
            }
            if let Some(d) = &decider {
                let end = recorded(ev);
                undecided(ev, start..d.start);
                undecided(ev, d.end..end);
            }
            kept.record(ev, how, xs.len(), &ty);
            Ok(Value::Bool(decider.is_some() == any))
        })
    }
}
