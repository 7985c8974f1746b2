//! When an outcome changes by itself: the policies are re-evaluated on each following day, with
//! the same facts, and every day whose value differs from the day before is a change. The reasons
//! are the rules whose values change that day and the dates in the facts (and in the policies'
//! tables) that the change date follows from: a transaction leaving the trailing window twelve
//! months after its date, a certification expiring, a retired certification's year ending, an
//! anniversary, a window opening or closing.

use super::{Change, ExplainOptions, Node};
use std::collections::HashSet;

/// What an outcome's explanation reads: the rules, the facts paths and the tables that may
/// explain its changes.
#[derive(Debug, Clone, Default)]
pub struct Scope {
    rules: HashSet<String>,
    paths: HashSet<String>,
    suffixes: Vec<String>,
    tables: HashSet<String>,
}

impl Scope {
    /// The scope of an explanation tree.
    pub fn of(program: &Program, tree: &Node) -> Scope {
        let mut scope = Scope::default();
        scope.add(program, tree);
        scope
    }

    fn add(&mut self, program: &Program, n: &Node) {
        if n.kind == "rule" {
            let name = n.label.split('(').next().unwrap_or("").to_string();
            if let Some(r) = program.rule(&name) {
                visit(&program.rules[r].body, &mut |ir| {
                    if let Ir::Table(t) | Ir::Lookup(t, _) = ir {
                        self.tables
                            .insert(program.tables[*t as usize].name.to_string());
                    }
                });
            }
            self.rules.insert(name);
        }
        for p in &n.facts {
            match p.strip_prefix('<').and_then(|r| r.split_once('>')) {
                Some((_, tail)) => self.suffixes.push(tail.to_string()),
                None => {
                    self.paths.insert(p.clone());
                }
            }
        }
        for c in &n.children {
            self.add(program, c);
        }
    }

    fn reads(&self, path: &str) -> bool {
        if let Some(t) = path.strip_prefix("table ") {
            return self
                .tables
                .contains(t.split([' ', '[', '.']).next().unwrap_or(""));
        }
        let generic = generic(path);
        self.paths.contains(&generic) || self.suffixes.iter().any(|s| generic.ends_with(s.as_str()))
    }
}

/// `a.b[3].c` → `a.b[].c`.
fn generic(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut in_index = false;
    for c in path.chars() {
        match c {
            '[' => {
                in_index = true;
                out.push('[');
            }
            ']' => {
                in_index = false;
                out.push(']');
            }
            _ if in_index => {}
            c => out.push(c),
        }
    }
    out
}
use crate::diag::Error;
use crate::eval::dates;
use crate::eval::output::{display, json_value};
use crate::eval::{Compiled, Evaluation};
use crate::facts::Facts;
use crate::model::ir::{visit, Ir};
use crate::model::{Program, Ty, Value};
use chrono::NaiveDate;

/// For each selected outcome, the next changes after `as_of`.
pub fn next_changes(
    compiled: &Compiled,
    facts: &Facts,
    as_of: NaiveDate,
    selected: &[usize],
    values: &[Value],
    scopes: &[Scope],
    options: ExplainOptions,
) -> Result<Vec<Vec<Change>>, Error> {
    let program = compiled.program();
    let mut out: Vec<Vec<Change>> = vec![Vec::new(); selected.len()];
    let mut previous: Vec<Value> = values.to_vec();
    let mut previous_memo: Vec<Option<Value>> = {
        let mut ev = Evaluation::new(compiled, facts.fields(), as_of, options.limits);
        for &i in selected {
            ev.outcome(i)?;
        }
        ev.memo()
    };
    let dated = dated_facts(program, facts)?;
    for day in 1..=options.horizon_days {
        if out.iter().all(|c| c.len() >= options.max_changes) {
            break;
        }
        let Some(d) = dates::add_days(as_of, i64::from(day)) else {
            break;
        };
        let mut ev = Evaluation::new(compiled, facts.fields(), d, options.limits);
        let mut now = Vec::with_capacity(selected.len());
        for &i in selected {
            now.push(ev.outcome(i)?);
        }
        let memo = ev.memo();
        for (k, &i) in selected.iter().enumerate() {
            if now[k] != previous[k] && out[k].len() < options.max_changes {
                let ty = &program.outcomes[i].ty;
                let mut json = String::new();
                json_value(&mut json, program, &now[k], ty)?;
                out[k].push(Change {
                    date: d,
                    from: display(program, &previous[k], ty)?,
                    to: display(program, &now[k], ty)?,
                    to_json: json,
                    because: reasons(
                        program,
                        &previous_memo,
                        &memo,
                        &dated,
                        d,
                        scopes.get(k),
                        &program.outcomes[i].id,
                    )?,
                });
            }
        }
        previous = now;
        previous_memo = memo;
    }
    Ok(out)
}

/// Rules without parameters (read by the outcome) whose values differ, and the facts dates the
/// day follows from.
fn reasons(
    program: &Program,
    before: &[Option<Value>],
    after: &[Option<Value>],
    dated: &[(String, NaiveDate)],
    d: NaiveDate,
    scope: Option<&Scope>,
    outcome: &str,
) -> Result<Vec<String>, Error> {
    const MAX: usize = 6;
    let mut out = Vec::new();
    let mut more = 0;
    for r in &program.rules {
        let Some(m) = &r.memo else { continue };
        let Some(base) = m.base() else { continue };
        if !m.radix.is_empty()
            || scope.is_some_and(|s| !s.rules.contains(&*r.name))
            || &*r.name == outcome
        {
            continue;
        }
        if let (Some(Some(a)), Some(Some(b))) = (before.get(base), after.get(base)) {
            if a != b && is_shown(&r.ty) {
                if out.len() < MAX {
                    out.push(format!(
                        "`{}` changes from {} to {}",
                        r.name,
                        display(program, a, &r.ty)?,
                        display(program, b, &r.ty)?
                    ));
                } else {
                    more += 1;
                }
            }
        }
    }
    let one = |x: NaiveDate, n: i64| dates::add_days(x, n);
    let year = |x: NaiveDate| dates::add_months(x, 12);
    // Closer relations first: a date falling on the day explains it better than one a year back.
    let mut found: Vec<(u8, String)> = Vec::new();
    for (path, x) in dated {
        if scope.is_some_and(|s| !s.reads(path)) {
            continue;
        }
        let why = if d == *x {
            Some((0, format!("on {path} ({x})")))
        } else if Some(d) == one(*x, 1) {
            Some((1, format!("the day after {path} ({x})")))
        } else if Some(d) == year(*x).and_then(|y| one(y, 1)) {
            Some((2, format!("a year and a day after {path} ({x})")))
        } else if Some(d) == one(*x, -60) {
            Some((
                3,
                format!("60 days before {path} ({x}): a renewal window opens"),
            ))
        } else if Some(d) == one(*x, 31) {
            Some((
                3,
                format!("31 days after {path} ({x}): a 30-day grace period has ended"),
            ))
        } else if Some(d) == year(*x) && path.ends_with(".date") {
            // Only dated events (transactions) leave a trailing window; an expiry a year back
            // does not explain anything.
            Some((
                4,
                format!("12 months after {path} ({x}): it leaves the trailing twelve months"),
            ))
        } else {
            None
        };
        found.extend(why);
    }
    found.sort_by_key(|(rank, _)| *rank);
    for (_, w) in found {
        if out.len() < MAX {
            out.push(w);
        } else {
            more += 1;
        }
    }
    if more > 0 {
        out.push(format!("and {more} more date(s) like these"));
    }
    Ok(out)
}

fn is_shown(t: &Ty) -> bool {
    !matches!(t, Ty::List(_) | Ty::Record(_) | Ty::Window)
}

/// Every date in the facts with its JSON path, and the dates of the policies' tables.
pub fn dated_facts(program: &Program, facts: &Facts) -> Result<Vec<(String, NaiveDate)>, Error> {
    let mut out = Vec::new();
    if let Some(schema) = &program.facts {
        for (f, v) in schema.root.fields.iter().zip(facts.fields()) {
            walk(&f.name, v, &f.ty, &mut out);
        }
    }
    for t in &program.tables {
        let Ty::List(row_ty) = &t.ty else { continue };
        let Ty::Record(r) = &**row_ty else { continue };
        for row in t.rows.as_list() {
            let Value::Record(cells) = row else { continue };
            // A row is named by its key (of its column's type), else by its first text cell.
            let key = t
                .key
                .and_then(|k| Some((cells.get(k)?, &r.fields.get(k)?.ty)))
                .or_else(|| {
                    let text = cells.iter().find(|c| matches!(c, Value::Text(_)))?;
                    Some((text, &Ty::Text))
                })
                .map(|(k, ty)| display(program, k, ty))
                .transpose()?
                .unwrap_or_default();
            for (f, x) in r.fields.iter().zip(cells.iter()) {
                walk(
                    &format!("table {} [{key}].{}", t.name, f.name),
                    x,
                    &f.ty,
                    &mut out,
                );
            }
        }
    }
    Ok(out)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::driver::{compile_sources, LoadedSources};

    /// A table keyed by an enum names its rows by the variant, not by the variant's index.
    #[test]
    fn the_dates_of_a_table_keyed_by_an_enum_name_the_variant() {
        let text = "enum Tier { silver, gold }\n\
                    table launches(tier: Tier, on: Date) key tier = [\n  (gold, 2024-09-01),\n]\n\
                    outcome \"n\" = count(launches)\n";
        let files = vec![("a.elg".into(), "a".into(), text.into())];
        let compiled = compile_sources(LoadedSources { files }).expect("it compiles");
        let facts = Facts {
            root: Value::None,
            as_of: None,
            partner: None,
            warnings: Vec::new(),
            warnings_left_out: 0,
        };
        let on = NaiveDate::from_ymd_opt(2024, 9, 1).expect("a date");
        assert_eq!(
            dated_facts(compiled.program(), &facts).expect("dates"),
            [("table launches [gold].on".to_string(), on)]
        );
    }
}
