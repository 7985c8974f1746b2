//! Arithmetic, control flow (`if`, `let`, `otherwise`), date windows, and the values built from
//! parts (lists, records, `min`/`max` of values, built-in functions).

use super::operand::{with2, Operand, NONE};
use super::{dates, int_to_dec, internal, node, ops, Code, Compiler};
use crate::diag::{Error, ErrorKind};
use crate::model::ir::{Builtin, Ir};
use crate::model::value::{Value, Window};
use std::sync::Arc;

impl Compiler<'_> {
    /// Arithmetic: checked, exact, with the operand kinds the checker fixed.
    pub(super) fn arithmetic(&self, ir: &Ir) -> Code {
        match ir {
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
                node(move |ev, it| int_to_dec(x(ev, it)?).map_err(Error::bare))
            }
            _ => internal("arithmetic of something else"),
        }
    }

    /// `if`, `if … is some`, `let` and `otherwise`.
    pub(super) fn control(&self, ir: &Ir) -> Code {
        match ir {
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
            _ => internal("control flow of something else"),
        }
    }

    /// Date windows: `trailing …` and `between … and …`.
    pub(super) fn window(&self, ir: &Ir) -> Code {
        match ir {
            Ir::Trailing(d, end, span) => {
                let (d, span) = (self.code(d), *span);
                let end = end.as_ref().map(|e| self.code(e));
                node(move |ev, it| {
                    let wrong = || Error::bare(ErrorKind::internal("a window of other kinds"));
                    let end = match &end {
                        Some(e) => match e(ev, it)? {
                            Value::Date(d) => d,
                            _ => return Err(wrong()),
                        },
                        None => ev.as_of,
                    };
                    let start = match d(ev, it)? {
                        Value::Days(n) => n.checked_neg().and_then(|n| dates::add_days(end, n)),
                        Value::Months(n) => n.checked_neg().and_then(|n| dates::add_months(end, n)),
                        _ => return Err(wrong()),
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
                node(move |ev, it| match (a(ev, it)?, b(ev, it)?) {
                    (Value::Date(a), Value::Date(b)) => Ok(Value::Window(Window {
                        start: a,
                        start_inclusive: true,
                        end: b,
                        end_inclusive: true,
                    })),
                    _ => Err(Error::bare(ErrorKind::internal(
                        "`between` of something that is no date",
                    ))),
                })
            }
            _ => internal("a window of something else"),
        }
    }

    /// Values built from parts: `min`/`max` of values, lists, records, built-in functions.
    pub(super) fn built(&self, ir: &Ir) -> Code {
        match ir {
            Ir::Extreme(is_min, xs) => {
                let (is_min, xs) = (*is_min, self.codes(xs));
                node(move |ev, it| {
                    let mut best: Option<Value> = None;
                    for x in &xs {
                        let v = x(ev, it)?;
                        best = Some(match best {
                            None => v,
                            Some(b) => {
                                let ord = ops::order(&v, &b).map_err(Error::bare)?;
                                if (is_min && ord.is_lt()) || (!is_min && ord.is_gt()) {
                                    v
                                } else {
                                    b
                                }
                            }
                        });
                    }
                    // The checker gives `min(…)`/`max(…)` of values two arguments or more.
                    best.ok_or_else(|| Error::bare(ErrorKind::internal("`min`/`max` of no value")))
                })
            }
            Ir::List(xs) => {
                let xs = self.codes(xs);
                node(move |ev, it| {
                    let v = Value::List(Arc::new(
                        xs.iter().map(|x| x(ev, it)).collect::<Result<_, _>>()?,
                    ));
                    ev.built(v, "a list")
                })
            }
            Ir::Record(xs) => {
                let xs = self.codes(xs);
                node(move |ev, it| {
                    let v = Value::Record(Arc::new(
                        xs.iter().map(|x| x(ev, it)).collect::<Result<_, _>>()?,
                    ));
                    ev.built(v, "a record")
                })
            }
            Ir::Builtin(Builtin::MonthsIn, args, span) => {
                // Charged a step per month before the months are built, and capped.
                let (span, window) = (*span, args.first().map(|a| self.code(a)));
                let Some(window) = window else {
                    return internal("`months_in` without its window");
                };
                node(move |ev, it| {
                    let w = window(ev, it)?;
                    let size = ops::months_in_len(&w).map_err(|k| Error::at(span, k))?;
                    ev.tick(size)?;
                    ops::builtin(Builtin::MonthsIn, &[&w]).map_err(|k| Error::at(span, k))
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
            _ => internal("a built value of something else"),
        }
    }
}
