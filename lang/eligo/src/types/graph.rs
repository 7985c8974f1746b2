//! The rule graph: which rules each rule's body reads. A cycle is an error naming every rule on it;
//! rules that read no facts, directly or through other rules, are found for the static memo.

use crate::diag::{Error, ErrorKind};
use crate::model::ir::{visit, Ir};
use crate::model::{EnumDef, MemoSlots, RuleDef, Ty};
use crate::source::Span;

/// Where the depth-first search of [`check_cycles`] is with a rule.
#[derive(Clone, Copy)]
enum Visit {
    Unseen,
    /// On the search's stack, at this index.
    OnStack(usize),
    Done,
}

/// Reports every cycle of the rule graph once, at the reference that closes it. A rule that
/// calls itself directly is no cycle when it has an enum parameter: its first such parameter
/// becomes its decreasing one ([`RuleDef::decreasing`]), and evaluation checks that every call
/// it makes to itself passes a smaller variant there, so the calls end.
pub fn check_cycles(rules: &mut [RuleDef], references: &[Vec<(u32, Span)>]) -> Vec<Error> {
    let mut errors = Vec::new();
    let mut edges: Vec<Vec<(u32, Span)>> = Vec::with_capacity(rules.len());
    for (i, rule) in rules.iter_mut().enumerate() {
        let mut out: Vec<(u32, Span)> = references.get(i).cloned().unwrap_or_default();
        // One edge per callee, at its first reference.
        let mut seen = std::collections::HashSet::new();
        out.retain(|(to, _)| seen.insert(*to));
        if let Some(&(_, at)) = out.iter().find(|(to, _)| *to as usize == i) {
            match rule
                .params
                .iter()
                .position(|(_, t)| matches!(t, Ty::Enum(..)))
            {
                Some(p) => rule.decreasing = Some(p as u32),
                None => errors.push(Error::at(
                    at,
                    ErrorKind::RuleCycle {
                        cycle: vec![rule.name.to_string(), rule.name.to_string()],
                    },
                )),
            }
            out.retain(|(to, _)| *to as usize != i);
        }
        edges.push(out);
    }
    // Iterative depth-first search; a rule on the stack knows its place there.
    let mut state = vec![Visit::Unseen; rules.len()];
    for start in 0..rules.len() {
        if !matches!(state[start], Visit::Unseen) {
            continue;
        }
        let mut stack: Vec<(usize, usize)> = vec![(start, 0)];
        state[start] = Visit::OnStack(0);
        while let Some(&mut (node, ref mut next)) = stack.last_mut() {
            if *next < edges[node].len() {
                let (to, at) = edges[node][*next];
                let to = to as usize;
                *next += 1;
                match state[to] {
                    Visit::Unseen => {
                        state[to] = Visit::OnStack(stack.len());
                        stack.push((to, 0));
                    }
                    Visit::OnStack(from) => {
                        let mut names: Vec<String> = stack[from..]
                            .iter()
                            .map(|(n, _)| rules[*n].name.to_string())
                            .collect();
                        names.push(rules[to].name.to_string());
                        let mut err = Error::at(at, ErrorKind::RuleCycle { cycle: names });
                        // The other references on the cycle, each where a rule reads the next.
                        let len = stack.len();
                        for &(n, next) in &stack[from..len - 1] {
                            let (callee, span) = edges[n][next - 1];
                            err = err.with_note(
                                span,
                                format!(
                                    "`{}` reads `{}`",
                                    rules[n].name, rules[callee as usize].name
                                ),
                            );
                        }
                        errors.push(err);
                    }
                    Visit::Done => {}
                }
            } else {
                state[node] = Visit::Done;
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

#[cfg(test)]
mod tests {
    use crate::{Policies, Sources};

    /// A cycle entered from outside it names only the rules on it, from where it closes.
    #[test]
    fn a_cycle_below_the_first_rule_names_only_its_rules() {
        let text = "rule start: Int = ping\nrule ping: Int = pong + 1\nrule pong: Int = ping - 1\n";
        let e = Policies::compile(Sources::from_texts([("a.elg", text)])).expect_err("a cycle");
        let messages: Vec<String> = e.diagnostics().iter().map(|d| d.message).collect();
        assert_eq!(
            messages,
            ["rules depend on each other in a cycle: ping → pong → ping"]
        );
    }
}
