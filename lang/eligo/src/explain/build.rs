//! From the recorded evaluation tree to an explanation tree: labels, values, citations, facts
//! paths, shortfalls; the alternatives of an `any { … }` with the passing and closest first.

use super::paths::FactsPaths;
use super::shortfall;
use super::{Compared, KeptShown, Node};
use crate::diag::Error;
use crate::eval::output::{decimal_text, display, json_value};
use crate::eval::{Comparison, Kept, TraceKind, TraceNode};
use crate::model::{Program, Ty, Value};
use rust_decimal::Decimal;
use std::collections::HashMap;

/// The explanation node of a recorded node.
pub fn node(program: &Program, paths: &FactsPaths, t: &TraceNode) -> Result<Node, Error> {
    let mut n = match &t.kind {
        TraceKind::Outcome(i) => {
            let o = &program.outcomes[*i];
            base(
                "outcome",
                o.id.clone(),
                program,
                &t.value,
                &o.ty,
                o.sources.clone(),
                paths.outcomes[*i].clone(),
            )?
        }
        TraceKind::Rule { rule, args, cached } => {
            let r = &program.rules[*rule as usize];
            let shown = args
                .iter()
                .zip(&r.params)
                .map(|(a, (_, ty))| arg_text(program, a, ty))
                .collect::<Result<Vec<_>, _>>()?;
            let label = if shown.is_empty() {
                r.name.to_string()
            } else {
                format!("{}({})", r.name, shown.join(", "))
            };
            let mut n = base(
                "rule",
                label,
                program,
                &t.value,
                &r.ty,
                r.sources.clone(),
                paths.rules[*rule as usize].clone(),
            )?;
            n.repeated = *cached;
            // A boolean rule without criteria: the comparisons that decided it.
            add_comparisons(&mut n, t, program)?;
            n
        }
        TraceKind::Criterion(c) => {
            let label = format!("\"{}\"", program.criteria[*c as usize].label);
            let mut n = base(
                "criterion",
                label,
                program,
                &t.value,
                &Ty::Bool,
                Vec::new(),
                Vec::new(),
            )?;
            n.block = Some(program.criteria[*c as usize].block.clone());
            n.span = Some(program.criteria[*c as usize].span);
            add_comparisons(&mut n, t, program)?;
            n
        }
        TraceKind::Metric(c) => {
            let label = format!("\"{}\"", program.criteria[*c as usize].label);
            let mut n = base(
                "metric",
                label,
                program,
                &t.value,
                &Ty::Decimal,
                Vec::new(),
                Vec::new(),
            )?;
            n.passed = Some(matches!(&t.value, Value::Dec(d) if *d > Decimal::ZERO));
            n.block = Some(program.criteria[*c as usize].block.clone());
            n.span = Some(program.criteria[*c as usize].span);
            n.cap = t.cap;
            if let (Some(cap), Value::Dec(v)) = (t.cap, &t.value) {
                if *v < cap {
                    let of = format!("{} of {}", decimal_text(*v), decimal_text(cap));
                    // Checked: a metric near the decimal range's end leaves the gain out.
                    n.shortfalls.push(match cap.checked_sub(*v) {
                        Some(gain) => {
                            format!("can gain {} more point(s): {of}", decimal_text(gain))
                        }
                        None => format!("can gain more points: {of}"),
                    });
                }
            }
            n
        }
    };
    n.kept = t
        .kept
        .iter()
        .map(|k| kept(program, k))
        .collect::<Result<_, _>>()?;
    let children = t.children.iter().map(|c| node(program, paths, c));
    n.children = fold_repeats(children.collect::<Result<_, _>>()?);
    Ok(n)
}

/// The most shortfalls of decided comparisons a node lists (an `any(x in xs: …)` that failed
/// was decided by each element); the text shows as many `decided by` lines.
pub const MAX_DECIDED: usize = 3;

/// The comparisons that decided a condition (each once: the same text is one line), their
/// shortfalls, and how close it is to passing. The traced evaluation marks those that did not
/// decide it: a comparison before the operand an `and`/`or` (or `any`/`all`) stopped at, an
/// `if`'s condition when the branch taken compared something. A comparison may decide with
/// the other result (`if x > 0 then … else true` is yes because `x > 0` is no).
fn add_comparisons(n: &mut Node, t: &TraceNode, program: &Program) -> Result<(), Error> {
    if t.comparisons.is_empty() || n.passed.is_none() {
        return Ok(());
    }
    let mut decided: Vec<(Compared, Option<(String, f64)>)> = Vec::new();
    for cmp in t.comparisons.iter().filter(|c| c.decided) {
        let shown = named_operands(program, cmp, shortfall::compared(cmp, &program.currency))?;
        if !decided.iter().any(|(c, _)| c.text() == shown.text()) {
            decided.push((shown, shortfall::of(cmp, &program.currency)));
        }
    }
    if n.passed == Some(false) {
        // Alternatives that all failed (`or`, `any(x in xs: …)`): the nearest to passing first.
        let close = |d: &(Compared, Option<(String, f64)>)| d.1.as_ref().map_or(0.0, |s| s.1);
        decided.sort_by(|a, b| close(b).total_cmp(&close(a)));
    }
    let mut closeness: Option<f64> = None;
    for (shown, short) in decided {
        if let Some((text, close)) = short {
            // A failed comparison of a node that passed (a condition that chose a constant
            // branch) is not what it lacks.
            if n.passed == Some(false) && n.shortfalls.len() < MAX_DECIDED {
                n.shortfalls.push(text);
            }
            closeness = Some(closeness.map_or(close, |c: f64| c.min(close)));
        }
        n.comparisons.push(shown);
    }
    if n.kind == "criterion" {
        n.closeness = closeness;
    }
    Ok(())
}

/// A comparison's operands that have no unit (enum variants, records) named through their
/// type, when the compiler could tell it: `silver = gold: no`, not `a value = a value: no`.
fn named_operands(
    program: &Program,
    cmp: &Comparison,
    mut shown: Compared,
) -> Result<Compared, Error> {
    const UNNAMED: &str = "a value";
    if cmp.ty == Ty::Unknown {
        return Ok(shown);
    }
    let name = |v: &Value| -> Result<String, Error> {
        Ok(kept_text(program, v, &cmp.ty)?.unwrap_or_else(|| UNNAMED.into()))
    };
    if shown.left == UNNAMED {
        shown.left = name(&cmp.left)?;
    }
    if shown.right == UNNAMED {
        shown.right = name(&cmp.right)?;
    }
    Ok(shown)
}

/// Ranks the alternatives of every `any { … }` block of a tree: each criterion gets how close
/// it is ([`closeness`]), then those that pass come first, then the failed ones closest to
/// passing: the alternative a partner is nearest to is read first. `full` holds the rules
/// evaluated once and shown as repeated elsewhere ([`collect_full`]).
pub fn rank_alternatives(n: &mut Node, full: &HashMap<String, Node>) {
    if n.kind == "criterion" {
        n.closeness = closeness(n, full, 0);
    }
    for c in &mut n.children {
        rank_alternatives(c, full);
    }
    let any = |c: &Node| c.kind == "criterion" && c.block.as_deref() == Some("any");
    let mut i = 0;
    while i < n.children.len() {
        let start = i;
        while i < n.children.len() && any(&n.children[i]) {
            i += 1;
        }
        n.children[start..i].sort_by(|a, b| {
            let ka = (a.passed == Some(true), a.closeness.unwrap_or(0.0));
            let kb = (b.passed == Some(true), b.closeness.unwrap_or(0.0));
            kb.partial_cmp(&ka).unwrap_or(std::cmp::Ordering::Equal)
        });
        i = i.max(start + 1);
    }
}

/// Levels and criteria followed at most this deep for a criterion's closeness.
const MAX_CLOSENESS_DEPTH: usize = 32;

/// How close a criterion is to passing, from 0 to 1: 1 when it passes; else its comparisons'
/// closeness; else (a criterion that calls a rule) that of the failed criteria nearest below
/// it: the closest of `any` alternatives, else the farthest (each must pass); none when
/// nothing below says.
fn closeness(n: &Node, full: &HashMap<String, Node>, depth: usize) -> Option<f64> {
    if n.passed == Some(true) {
        return Some(1.0);
    }
    if n.closeness.is_some() || depth > MAX_CLOSENESS_DEPTH {
        return n.closeness;
    }
    let mut level: Vec<&Node> = shown(n, full);
    for _ in 0..MAX_CLOSENESS_DEPTH {
        let failed: Vec<(&Node, f64)> = level
            .iter()
            .filter(|c| c.kind == "criterion" && c.passed == Some(false))
            .filter_map(|c| Some((*c, closeness(c, full, depth + 1)?)))
            .collect();
        if !failed.is_empty() {
            let values = failed.iter().map(|(_, x)| *x);
            return if failed
                .iter()
                .all(|(c, _)| c.block.as_deref() == Some("any"))
            {
                values.reduce(f64::max)
            } else {
                values.reduce(f64::min)
            };
        }
        level = level.into_iter().flat_map(|c| shown(c, full)).collect();
        if level.is_empty() {
            break;
        }
    }
    None
}

/// The children of a node, those of its full version for a rule evaluated once and repeated.
fn shown<'a>(n: &'a Node, full: &'a HashMap<String, Node>) -> Vec<&'a Node> {
    match full
        .get(&n.label)
        .filter(|_| n.repeated && n.children.is_empty())
    {
        Some(f) => f.children.iter().collect(),
        None => n.children.iter().collect(),
    }
}

/// Runs of leaf calls of one rule (`certification_counts(…)` for each certification) become one
/// node counting their values.
fn fold_repeats(children: Vec<Node>) -> Vec<Node> {
    let name = |n: &Node| n.label.split('(').next().unwrap_or("").to_string();
    let mut out: Vec<Node> = Vec::with_capacity(children.len());
    let mut run: Vec<Node> = Vec::new();
    let flush = |run: &mut Vec<Node>, out: &mut Vec<Node>| {
        if run.len() < 3 {
            out.append(run);
            return;
        }
        let mut counts: Vec<(String, usize)> = Vec::new();
        for n in run.iter() {
            match counts.iter_mut().find(|(v, _)| *v == n.value) {
                Some((_, c)) => *c += 1,
                None => counts.push((n.value.clone(), 1)),
            }
        }
        let mut first = run.remove(0);
        let total = run.len() + 1;
        first.label = format!("{}(…) ×{total}", name(&first));
        first.value = counts
            .iter()
            .map(|(v, c)| format!("{c} {v}"))
            .collect::<Vec<_>>()
            .join(", ");
        first.value_json = String::new();
        crate::eval::output::json_string(&mut first.value_json, &first.value);
        first.passed = None;
        first.repeated = false;
        first.number = None;
        first.items.clear();
        first.item_count = None;
        first.comparisons.clear();
        first.kept.clear();
        run.clear();
        out.push(first);
    };
    for c in children {
        let joins = c.kind == "rule"
            && c.children.is_empty()
            && c.label.contains('(')
            && run.last().is_some_and(|l: &Node| name(l) == name(&c));
        if !joins {
            flush(&mut run, &mut out);
        }
        if c.kind == "rule" && c.children.is_empty() && c.label.contains('(') {
            run.push(c);
        } else {
            out.push(c);
        }
    }
    flush(&mut run, &mut out);
    out
}

fn base(
    kind: &'static str,
    label: String,
    program: &Program,
    v: &Value,
    ty: &Ty,
    sources: Vec<String>,
    facts: Vec<String>,
) -> Result<Node, Error> {
    let mut json = String::new();
    json_value(&mut json, program, v, ty)?;
    let (items, item_count) = match (v, ty.strip_opt()) {
        (Value::List(xs), Ty::List(elem)) => (
            xs.iter()
                .take(super::MAX_ITEMS)
                .map(|x| item_text(program, x, elem))
                .collect::<Result<_, _>>()?,
            Some(xs.len()),
        ),
        _ => (Vec::new(), None),
    };
    let number = match v {
        Value::Int(i) => Some(Decimal::from(*i)),
        Value::Dec(d) => Some(*d),
        Value::Days(d) | Value::Months(d) => Some(Decimal::from(*d)),
        _ => None,
    };
    Ok(Node {
        kind,
        label,
        value: short_display(program, v, ty)?,
        value_json: json,
        passed: if *ty == Ty::Bool {
            Some(v.as_bool())
        } else {
            None
        },
        sources,
        facts,
        shortfalls: Vec::new(),
        closeness: None,
        repeated: false,
        block: None,
        number,
        cap: None,
        comparisons: Vec::new(),
        items,
        item_count,
        kept: Vec::new(),
        span: None,
        children: Vec::new(),
    })
}

/// A rule argument for a label: records by their `id` field when they have one.
fn arg_text(program: &Program, v: &Value, ty: &Ty) -> Result<String, Error> {
    if let (Value::Record(fields), Ty::Record(r)) = (v, ty.strip_opt()) {
        for key in ["id", "name"] {
            if let Some(i) = r.slot(key) {
                if let Some(Value::Text(id)) = fields.get(i) {
                    return Ok(format!("{} {id}", r.name.as_deref().unwrap_or("record")));
                }
            }
        }
        return Ok(format!("<{}>", r.name.as_deref().unwrap_or("record")));
    }
    display(program, v, ty)
}

/// A list element for people: a record by its `id` (or `name`), else its fields, cut short.
fn item_text(program: &Program, v: &Value, ty: &Ty) -> Result<String, Error> {
    let shown = arg_text(program, v, ty)?;
    if !shown.starts_with('<') {
        return Ok(shown);
    }
    let full = display(program, v, ty)?;
    Ok(if full.chars().count() <= 60 {
        full
    } else {
        format!("{}…}}", full.chars().take(58).collect::<String>())
    })
}

/// The most columns a kept element takes on its line.
const KEPT_ITEM_COLUMNS: usize = 40;

/// The elements a counting or filtering expression kept, for people.
fn kept(program: &Program, k: &Kept) -> Result<KeptShown, Error> {
    let named: Option<Vec<String>> = k
        .elements
        .iter()
        .map(|v| kept_text(program, v, &k.ty).transpose())
        .collect::<Option<Result<_, _>>>()
        .transpose()?;
    Ok(KeptShown {
        how: k.how.words(),
        // Elements that nothing names (lists: the certifications of each person) are counted
        // only: `counted: 8 of 12`.
        items: named.unwrap_or_default(),
        total: k.total,
        of: k.of,
    })
}

/// A kept element: a record by its `id`, `name` or (a group of `group by`) `key`, else by its
/// first text field (a transaction by its customer), cut to [`KEPT_ITEM_COLUMNS`]; none
/// for a list or a record with none of those.
fn kept_text(program: &Program, v: &Value, ty: &Ty) -> Result<Option<String>, Error> {
    let shown = match (v, ty.strip_opt()) {
        (Value::Record(fields), Ty::Record(r)) => record_key(program, fields, r)?,
        (Value::List(_) | Value::Record(_), _) => None,
        _ => Some(display(program, v, ty)?),
    };
    let Some(shown) = shown else {
        return Ok(None);
    };
    if shown.chars().count() <= KEPT_ITEM_COLUMNS {
        return Ok(Some(shown));
    }
    let cut: String = shown.chars().take(KEPT_ITEM_COLUMNS - 1).collect();
    Ok(Some(format!("{cut}…")))
}

/// What names a record among others: its `id`, `name` or `key` field, else its first text
/// field (an enum field is most often what the list was filtered by: it names none of them).
fn record_key(
    program: &Program,
    fields: &[Value],
    r: &crate::model::RecordTy,
) -> Result<Option<String>, Error> {
    let named = ["id", "name", "key"].iter().find_map(|k| r.slot(k));
    let text = || {
        r.fields
            .iter()
            .position(|f| matches!(f.ty.strip_opt(), Ty::Text))
    };
    let Some(i) = named.or_else(text) else {
        return Ok(None);
    };
    match (fields.get(i), r.fields.get(i)) {
        (Some(v), Some(f)) => display(program, v, &f.ty).map(Some),
        // A record value shorter than its type: the evaluator and the checker disagree.
        _ => Err(Error::bare(crate::diag::ErrorKind::internal(
            "a record value without a field of its type",
        ))),
    }
}

/// A value short enough for one line of a tree: a long list by its first elements and how many
/// more (records by their `id`), a long record cut.
fn short_display(program: &Program, v: &Value, ty: &Ty) -> Result<String, Error> {
    let full = display(program, v, ty)?;
    if full.chars().count() <= 120 {
        return Ok(full);
    }
    Ok(match (v, ty.strip_opt()) {
        (Value::List(items), Ty::List(elem)) => {
            let mut shown = String::from("[");
            let mut n = 0;
            for x in items.iter() {
                let text = item_text(program, x, elem)?;
                if shown.chars().count() + text.chars().count() > 90 {
                    break;
                }
                if n > 0 {
                    shown.push_str(", ");
                }
                shown.push_str(&text);
                n += 1;
            }
            if n == 0 {
                return Ok(format!("[{} items]", items.len()));
            }
            format!("{shown}, … {} more of {}]", items.len() - n, items.len())
        }
        _ => format!("{}…", full.chars().take(117).collect::<String>()),
    })
}

/// Marks repeated rules in the order the tree is read: the first occurrence of a rule call is
/// shown in full (its subtree copied there from wherever it was evaluated), the others are
/// marked "(evaluated above)" without children.
pub fn mark_repeats(root: &mut Node, full: &std::collections::HashMap<String, Node>) {
    let mut seen = std::collections::HashSet::new();
    mark(root, full, &mut seen);
}

/// The full (not repeated) node of every rule call in a tree, by label.
pub fn collect_full(n: &Node, full: &mut std::collections::HashMap<String, Node>) {
    if n.kind == "rule" && !n.repeated {
        full.entry(n.label.clone()).or_insert_with(|| n.clone());
    }
    for c in &n.children {
        collect_full(c, full);
    }
}

fn mark(
    n: &mut Node,
    full: &std::collections::HashMap<String, Node>,
    seen: &mut std::collections::HashSet<String>,
) {
    if n.kind == "rule" {
        if seen.insert(n.label.clone()) {
            if n.repeated {
                if let Some(f) = full.get(&n.label) {
                    *n = f.clone();
                }
            }
        } else if !n.repeated || !n.children.is_empty() {
            n.repeated = true;
            n.children.clear();
            n.kept.clear();
        }
    }
    for c in &mut n.children {
        mark(c, full, seen);
    }
}
