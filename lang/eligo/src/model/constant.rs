//! The value of an expression made of constants only: literals, keyed table cells read by a
//! constant key (`skill_points[expert].cap`), parameters given constants, and parameterless rules
//! that are such expressions. Tables are constants (their cells were computed by `resolve`), so
//! reading one is no evaluation: the checker's warnings and the explanations' caps both read
//! values this way, without the facts or the date.

use super::ir::Ir;
use super::{Program, Value};

/// Rules followed at most this deep (a rule whose body is another rule, …).
const MAX_DEPTH: usize = 16;

/// The value of `ir` if it is made of constants, with `locals` the constant values known for
/// frame slots (a called rule's parameters; `None` where unknown).
pub fn constant(program: &Program, ir: &Ir, locals: &[Option<Value>]) -> Option<Value> {
    Constants { program }.value(ir, locals, 0)
}

struct Constants<'p> {
    program: &'p Program,
}

impl Constants<'_> {
    fn value(&self, ir: &Ir, locals: &[Option<Value>], depth: usize) -> Option<Value> {
        if depth > MAX_DEPTH {
            return None;
        }
        let value = |x: &Ir| self.value(x, locals, depth + 1);
        match ir {
            Ir::Const(v) => Some(v.clone()),
            Ir::Local(slot) => locals.get(*slot as usize).cloned().flatten(),
            Ir::IntToDec(x) => match value(x)? {
                Value::Int(i) => Some(Value::Dec(i.into())),
                _ => None,
            },
            Ir::Cached(_, x) => value(x),
            Ir::Rule(r) => {
                let body = &self.program.rules.get(*r as usize)?.body;
                self.value(body, &[], depth + 1)
            }
            Ir::Lookup(t, key) => {
                let table = self.program.tables.get(*t as usize)?;
                Some(match table.index.get(&value(key)?) {
                    Some(&row) => table.rows.as_list().get(row)?.clone(),
                    None => Value::None,
                })
            }
            Ir::Field(x, slot) => match value(x)? {
                Value::Record(cells) => cells.get(*slot as usize).cloned(),
                // An absent optional record has absent fields.
                Value::None => Some(Value::None),
                _ => None,
            },
            _ => None,
        }
    }
}
