//! When an outcome changes by itself: the policies are re-evaluated on each following day, with
//! the same facts, and every day whose value differs from the day before is a change. The reasons
//! are the rules whose values change that day and the dates in the facts (and in the policies'
//! tables) that the change date follows from: a transaction leaving the trailing window twelve
//! months after its date, a certification expiring, a retired certification's year ending, an
//! anniversary, a window opening or closing.

use super::{Change, ExplainOptions};
use crate::diag::Error;
use crate::eval::dates;
use crate::eval::output::{display, json_value};
use crate::eval::value::Value;
use crate::eval::Evaluation;
use crate::facts::Facts;
use crate::program::Program;
use crate::types::ty::Ty;
use chrono::NaiveDate;

/// For each selected outcome, the next changes after `as_of`.
pub fn next_changes(
    program: &Program,
    facts: &Facts,
    as_of: NaiveDate,
    selected: &[usize],
    values: &[Value],
    options: ExplainOptions,
) -> Result<Vec<Vec<Change>>, Error> {
    let mut out: Vec<Vec<Change>> = vec![Vec::new(); selected.len()];
    let mut previous: Vec<Value> = values.to_vec();
    let mut previous_memo: Vec<Option<Value>> = {
        let mut ev = Evaluation::new(program, facts.fields(), as_of, options.limits);
        for &i in selected {
            ev.outcome(i)?;
        }
        ev.memo().to_vec()
    };
    let dated = dated_facts(program, facts);
    for day in 1..=options.horizon_days {
        if out.iter().all(|c| c.len() >= options.max_changes) {
            break;
        }
        let Some(d) = dates::add_days(as_of, i64::from(day)) else {
            break;
        };
        let mut ev = Evaluation::new(program, facts.fields(), d, options.limits);
        let mut now = Vec::with_capacity(selected.len());
        for &i in selected {
            now.push(ev.outcome(i)?);
        }
        let memo = ev.memo().to_vec();
        for (k, &i) in selected.iter().enumerate() {
            if now[k] != previous[k] && out[k].len() < options.max_changes {
                let ty = &program.outcomes[i].ty;
                let mut json = String::new();
                json_value(&mut json, program, &now[k], ty);
                out[k].push(Change {
                    date: d,
                    from: display(program, &previous[k], ty),
                    to: display(program, &now[k], ty),
                    to_json: json,
                    because: reasons(program, &previous_memo, &memo, &dated, d),
                });
            }
        }
        previous = now;
        previous_memo = memo;
    }
    Ok(out)
}

/// Rules without parameters whose values differ, and the facts dates the day follows from.
fn reasons(
    program: &Program,
    before: &[Option<Value>],
    after: &[Option<Value>],
    dated: &[(String, NaiveDate)],
    d: NaiveDate,
) -> Vec<String> {
    let mut out = Vec::new();
    for r in &program.rules {
        let Some(m) = &r.memo else { continue };
        if !m.radix.is_empty() {
            continue;
        }
        if let (Some(Some(a)), Some(Some(b))) = (before.get(m.base), after.get(m.base)) {
            if a != b && out.len() < 4 && is_shown(&r.ty) {
                out.push(format!(
                    "`{}` changes from {} to {}",
                    r.name,
                    display(program, a, &r.ty),
                    display(program, b, &r.ty)
                ));
            }
        }
    }
    let one = |x: NaiveDate, n: i64| dates::add_days(x, n);
    let year = |x: NaiveDate| dates::add_months(x, 12);
    for (path, x) in dated {
        let why = if Some(d) == year(*x) {
            Some(format!(
                "12 months after {path} ({x}): it leaves the trailing twelve months"
            ))
        } else if Some(d) == year(*x).and_then(|y| one(y, 1)) {
            Some(format!("a year and a day after {path} ({x})"))
        } else if d == *x {
            Some(format!("on {path} ({x})"))
        } else if Some(d) == one(*x, 1) {
            Some(format!("the day after {path} ({x})"))
        } else if Some(d) == one(*x, -60) {
            Some(format!(
                "60 days before {path} ({x}): a renewal window opens"
            ))
        } else if Some(d) == one(*x, 31) {
            Some(format!(
                "31 days after {path} ({x}): a 30-day grace period has ended"
            ))
        } else {
            None
        };
        if let Some(w) = why {
            if out.len() < 8 {
                out.push(w);
            }
        }
    }
    out
}

fn is_shown(t: &Ty) -> bool {
    !matches!(t, Ty::List(_) | Ty::Record(_) | Ty::Window)
}

/// Every date in the facts with its JSON path, and the dates of the policies' tables.
pub fn dated_facts(program: &Program, facts: &Facts) -> Vec<(String, NaiveDate)> {
    let mut out = Vec::new();
    if let Some(schema) = &program.facts {
        for (f, v) in schema.root.fields.iter().zip(facts.fields()) {
            walk(&f.name, v, &f.ty, &mut out);
        }
    }
    for t in &program.tables {
        walk(&format!("table {}", t.name), &t.rows, &t.ty, &mut out);
    }
    out
}

fn walk(path: &str, v: &Value, ty: &Ty, out: &mut Vec<(String, NaiveDate)>) {
    match (v, ty.strip_opt()) {
        (Value::Date(d), _) => out.push((path.to_string(), *d)),
        (Value::List(items), Ty::List(e)) => {
            for (i, item) in items.iter().enumerate() {
                walk(&format!("{path}[{i}]"), item, e, out);
            }
        }
        (Value::Record(fields), Ty::Record(r)) => {
            for (f, x) in r.fields.iter().zip(fields.iter()) {
                walk(&format!("{path}.{}", f.name), x, &f.ty, out);
            }
        }
        _ => {}
    }
}
