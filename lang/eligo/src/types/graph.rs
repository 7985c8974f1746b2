//! The rule graph: which rules each rule's body reads. A cycle is an error naming every rule on it;
//! rules that read no facts, directly or through other rules, are found for the static memo.

use crate::diag::{Error, ErrorKind};
use crate::model::ir::{visit, Ir};
use crate::model::{EnumDef, MemoSlots, RuleDef};

/// The rules an expression reads directly.
pub fn references(ir: &Ir, out: &mut Vec<u32>) {
    visit(ir, &mut |node| {
        if let Ir::Rule(r) | Ir::Call(r, _) = node {
            out.push(*r);
        }
    });
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
pub fn static_memo(rules: &[RuleDef], enums: &[EnumDef]) -> Vec<(usize, usize)> {
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
            if let Some(MemoSlots::Dense { base, len }) = r.memo.as_ref().map(|m| m.slots) {
                out.push((base, base + len));
            }
        }
    }
    out
}
