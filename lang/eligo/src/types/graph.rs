//! The rule graph: which rules each rule's body reads. A cycle is an error naming every rule on it.

use crate::diag::{Error, ErrorKind};
use crate::eval::ir::Ir;
use crate::program::RuleDef;

/// The rules an expression reads directly.
pub fn references(ir: &Ir, out: &mut Vec<u32>) {
    visit(ir, &mut |node| {
        if let Ir::Rule(r) | Ir::Call(r, _) = node {
            out.push(*r);
        }
    });
}

/// Calls `f` on every node of an expression.
pub fn visit(ir: &Ir, f: &mut impl FnMut(&Ir)) {
    f(ir);
    visit_children(ir, &mut |c| visit(c, f));
}

/// Reports every cycle of the rule graph once.
pub fn check_cycles(rules: &[RuleDef]) -> Vec<Error> {
    let edges: Vec<Vec<u32>> = rules
        .iter()
        .map(|r| {
            let mut out = Vec::new();
            references(&r.body, &mut out);
            out.sort_unstable();
            out.dedup();
            out
        })
        .collect();
    // Iterative depth-first search: 0 = unseen, 1 = on the stack, 2 = done.
    let mut state = vec![0u8; rules.len()];
    let mut errors = Vec::new();
    for start in 0..rules.len() {
        if state[start] != 0 {
            continue;
        }
        let mut stack: Vec<(usize, usize)> = vec![(start, 0)];
        state[start] = 1;
        while let Some(&mut (node, ref mut next)) = stack.last_mut() {
            if *next < edges[node].len() {
                let to = edges[node][*next] as usize;
                *next += 1;
                match state[to] {
                    0 => {
                        state[to] = 1;
                        stack.push((to, 0));
                    }
                    1 => {
                        let from = stack.iter().position(|(n, _)| *n == to).unwrap_or(0);
                        let cycle: Vec<usize> = stack[from..].iter().map(|(n, _)| *n).collect();
                        let mut names: Vec<String> =
                            cycle.iter().map(|&n| rules[n].name.to_string()).collect();
                        names.push(rules[to].name.to_string());
                        let mut err =
                            Error::at(rules[to].span, ErrorKind::RuleCycle { cycle: names });
                        for &n in cycle.iter().skip(1) {
                            err = err.with_note(
                                rules[n].span,
                                format!("`{}` is on the cycle", rules[n].name),
                            );
                        }
                        errors.push(err);
                    }
                    _ => {}
                }
            } else {
                state[node] = 2;
                stack.pop();
            }
        }
    }
    errors
}

/// The memo slot ranges of rules that read no facts, directly or through the rules they use.
/// Only called on an acyclic rule graph.
pub fn static_memo(rules: &[RuleDef], enums: &[crate::program::EnumDef]) -> Vec<(usize, usize)> {
    let _ = enums;
    // 0 = unknown, 1 = reads facts, 2 = static.
    let mut state = vec![0u8; rules.len()];
    fn reads_facts(r: usize, rules: &[RuleDef], state: &mut [u8]) -> bool {
        if state[r] != 0 {
            return state[r] == 1;
        }
        let mut facts = false;
        let mut callees = Vec::new();
        visit(&rules[r].body, &mut |n| match n {
            Ir::Fact(_) => facts = true,
            Ir::Rule(c) | Ir::Call(c, _) => callees.push(*c as usize),
            _ => {}
        });
        // Mark before recursing: the graph is acyclic, so this only short-cuts repeats.
        state[r] = 2;
        let result = facts || callees.into_iter().any(|c| reads_facts(c, rules, state));
        state[r] = if result { 1 } else { 2 };
        result
    }
    let mut out = Vec::new();
    for (i, r) in rules.iter().enumerate() {
        if !reads_facts(i, rules, &mut state) {
            if let Some(m) = &r.memo {
                let size: usize = m.radix.iter().map(|&n| n as usize).product();
                out.push((m.base, m.base + size));
            }
        }
    }
    out
}

/// Calls `f` on each direct child of an expression, shared (`iter`) or mutable (`iter_mut`):
/// one list of the IR's children for every walk over it.
macro_rules! for_each_child {
    ($ir:expr, $f:expr, $iter:ident) => {
        match $ir {
            Ir::Const(_) | Ir::Local(_) | Ir::Fact(_) | Ir::AsOf | Ir::Rule(_) | Ir::Table(_) => {}
            Ir::Call(_, xs)
            | Ir::And(xs)
            | Ir::Or(xs)
            | Ir::List(xs)
            | Ir::Record(xs)
            | Ir::Extreme(_, xs)
            | Ir::Builtin(_, xs, _) => xs.$iter().for_each(|x| $f(x)),
            Ir::Cached(_, x)
            | Ir::Lookup(_, x)
            | Ir::Field(x, _)
            | Ir::MapField(x, _)
            | Ir::Neg(x, _)
            | Ir::IntToDec(x)
            | Ir::Not(x)
            | Ir::IsNone(x)
            | Ir::Agg(_, x) => $f(x),
            Ir::Arith(_, a, b, _)
            | Ir::Cmp(_, a, b, _)
            | Ir::Let(_, a, b)
            | Ir::Otherwise(a, b)
            | Ir::In(a, b)
            | Ir::Within(a, b)
            | Ir::Filter(a, _, b)
            | Ir::Map(a, _, b)
            | Ir::Group(a, _, b)
            | Ir::Between(a, b) => {
                $f(a);
                $f(b);
            }
            Ir::If(a, b, c) | Ir::IfSome(a, _, b, c) => {
                $f(a);
                $f(b);
                $f(c);
            }
            Ir::Criteria(_, items) | Ir::Score(_, items) => items.$iter().for_each(|(_, x)| $f(x)),
            Ir::Points {
                quantity,
                rate,
                per,
                max,
                ..
            } => {
                $f(quantity);
                $f(rate);
                if let Some(p) = per {
                    $f(p);
                }
                $f(max);
            }
            Ir::Trailing(a, b, _) => {
                $f(a);
                if let Some(b) = b {
                    $f(b);
                }
            }
        }
    };
}
pub(crate) use for_each_child;

/// Calls `f` on the direct children of an expression.
pub fn visit_children<'a>(ir: &'a Ir, f: &mut impl FnMut(&'a Ir)) {
    for_each_child!(ir, f, iter);
}
