//! Loop-invariant caching: inside the body of a loop (`where`, `group by`, `x in list: …`), a
//! subexpression that reads no local has the same value on every iteration, and indeed
//! everywhere in one evaluation (it depends only on the facts, the date, rules and constants).
//! Such a subexpression is wrapped in [`Ir::Cached`] and computed once per evaluation
//! (`trailing 12 months` inside a filter over transactions, for instance).

use crate::model::ir::{visit, visit_children_mut, Ir};

/// Rewrites an expression in place; `next` is the next free cache slot.
pub fn hoist(ir: &mut Ir, next: &mut u32) {
    walk(ir, false, next);
}

/// Whether an expression reads a local, and whether it is worth caching.
fn reads_local(ir: &Ir) -> bool {
    let mut found = false;
    visit(ir, &mut |n| {
        if matches!(n, Ir::Local(_)) {
            found = true;
        }
    });
    found
}

fn trivial(ir: &Ir) -> bool {
    matches!(
        ir,
        Ir::Const(_)
            | Ir::AsOf
            | Ir::Fact(_)
            | Ir::Rule(_)
            | Ir::Table(_)
            | Ir::Local(_)
            | Ir::Cached(..)
    )
}

fn walk(ir: &mut Ir, in_loop: bool, next: &mut u32) {
    if in_loop && !trivial(ir) && !reads_local(ir) {
        let inner = std::mem::replace(ir, Ir::AsOf);
        *ir = Ir::Cached(*next, Box::new(inner));
        *next += 1;
        return;
    }
    match ir {
        Ir::Filter(list, _, body) | Ir::Map(list, _, body) | Ir::Group(list, _, body) => {
            walk(list, in_loop, next);
            walk(body, true, next);
        }
        _ => visit_children_mut(ir, &mut |c| walk(c, in_loop, next)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Value;
    use crate::source::{SourceId, Span};

    #[test]
    fn loop_invariant_window_is_cached_and_element_reads_are_not() {
        let span = Span::new(SourceId(0), 0, 0);
        let window = Ir::Trailing(Box::new(Ir::Const(Value::Months(12))), None, span);
        let cond = Ir::Within(
            Box::new(Ir::Field(Box::new(Ir::Local(0)), 0)),
            Box::new(window),
        );
        let mut ir = Ir::Filter(Box::new(Ir::Fact(0)), 0, Box::new(cond));
        let mut next = 0;
        hoist(&mut ir, &mut next);
        assert_eq!(next, 1);
        let Ir::Filter(_, _, body) = &ir else {
            panic!()
        };
        let Ir::Within(d, w) = &**body else { panic!() };
        assert!(matches!(**d, Ir::Field(..)));
        assert!(matches!(**w, Ir::Cached(0, _)));
    }
}
