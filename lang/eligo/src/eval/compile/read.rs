//! Reading values: constants, the date, rules and their calls, cached loop invariants, tables,
//! keyed lookups and record fields (values that lie in a local or the facts are places, read in
//! `operand.rs`).

use super::{call, elements, field, grouped, internal, node, Code, Compiler};
use crate::diag::{Error, ErrorKind};
use crate::model::ir::Ir;
use crate::model::Value;
use std::sync::Arc;

impl Compiler<'_> {
    /// Constants, names, rules, tables and fields.
    pub(super) fn read(&self, ir: &Ir) -> Code {
        match ir {
            Ir::Const(v) => {
                let v = v.clone();
                Box::new(move |ev, _| ev.tick(1).map(|_| v.clone()))
            }
            // Locals and facts are places, except the `it` of a grouped condition, which
            // `grouped::fusable` admits only as `it.key` or under an aggregate of `it.items`,
            // both compiled before a bare local could be.
            Ir::Local(_) | Ir::Fact(_) => internal("a local read outside a place"),
            Ir::AsOf => Box::new(|ev, _| ev.tick(1).map(|_| Value::Date(ev.as_of))),
            Ir::Rule(r) => {
                let (r, kept) = (*r, self.constant_rule_slot(*r));
                node(move |ev, _| {
                    if let Some(v) = ev.kept(kept) {
                        return Ok(v.clone());
                    }
                    let base = ev.env.len();
                    ev.run_rule(r, base)
                })
            }
            Ir::Call(r, args) => {
                let (r, args) = (*r, self.codes(args));
                node(move |ev, it| call(ev, it, r, &args))
            }
            Ir::Cached(slot, x) => {
                let (slot, x) = (*slot as usize, self.code(x));
                node(move |ev, it| match &ev.cache[slot] {
                    Some(v) => Ok(v.clone()),
                    None => {
                        let v = x(ev, it)?;
                        ev.cache[slot] = Some(v.clone());
                        Ok(v)
                    }
                })
            }
            Ir::Table(t) => {
                let t = *t as usize;
                Box::new(move |ev, _| {
                    ev.tick(1)?;
                    Ok(ev.program.tables[t].rows.clone())
                })
            }
            Ir::Lookup(t, key) => {
                let (t, key) = (*t as usize, self.operand(key));
                node(move |ev, it| {
                    let k = key.prepare(ev, it)?;
                    let table = &ev.program.tables[t];
                    match table.index.get(key.get(ev, it, &k)) {
                        Some(&i) => table.rows.as_list().get(i).cloned().ok_or_else(|| {
                            Error::bare(ErrorKind::internal("a table's index past its rows"))
                        }),
                        None => Ok(Value::None),
                    }
                })
            }
            Ir::Field(x, 0) if self.is_group_it(x) => self.group_key(),
            Ir::Field(x, slot) => {
                let (x, slot) = (self.code(x), *slot as usize);
                node(move |ev, it| match x(ev, it)? {
                    Value::Record(r) => r.get(slot).cloned().ok_or_else(|| {
                        Error::bare(ErrorKind::internal("a field past the record's fields"))
                    }),
                    // An absent optional record has absent fields.
                    Value::None => Ok(Value::None),
                    _ => Err(Error::bare(ErrorKind::internal(
                        "a field of something that is no record",
                    ))),
                })
            }
            Ir::MapField(x, slot) => {
                if let Ir::Filter(list, elem, cond) = &**x {
                    if !grouped::fusable(list, *elem, cond) {
                        return self.filter_field(list, *elem, cond, *slot as usize);
                    }
                }
                let (x, slot) = (self.list(x), *slot as usize);
                node(move |ev, it| {
                    let t = x.prepare(ev, it)?;
                    let out: Vec<Value> = elements(x.get(ev, it, &t))?
                        .iter()
                        .map(|v| field(v, slot).clone())
                        .collect();
                    Ok(Value::List(Arc::new(out)))
                })
            }
            _ => internal("a read of something else"),
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::eval::{Compiled, Evaluation, Limits};
    use crate::model::{Program, Value};
    use crate::source::SourceMap;
    use std::sync::Arc;

    /// The checked program of one policy file.
    fn checked(text: &str) -> Program {
        let mut sources = SourceMap::new();
        let id = sources.add("a.elg", "a", text);
        let asts = [(
            id,
            crate::syntax::parse_module(id, text).expect("it parses"),
        )];
        let env = crate::resolve::Env::new(&sources, &asts);
        crate::types::check_program(sources.clone(), env).expect("it checks")
    }

    /// A table whose index names a row it does not have is an internal error, not a panic.
    #[test]
    fn a_lookup_past_the_table_rows_is_an_internal_error() {
        let mut program = checked(
            "table prices(name: Text, price: Int) key name = [\n  (\"a\", 1),\n]\n\
             outcome \"p\" = if prices[\"a\"] is some row then row.price else 0\n",
        );
        program.tables[0].rows = Value::List(Arc::new(Vec::new()));
        let compiled = Compiled::new(program);
        let as_of = chrono::NaiveDate::from_ymd_opt(2024, 8, 6).expect("a date");
        let mut ev = Evaluation::new(&compiled, &[], as_of, Limits::default());
        let e = ev.outcome(0).expect_err("no row");
        assert_eq!(e.code(), "E0900");
        assert!(
            e.to_string().contains("a table's index past its rows"),
            "{e}"
        );
    }
}
