//! Properties of eligo, checked on generated inputs (proptest), and the limits it enforces.
//!
//! - `differential`: small generated programs (arithmetic, comparisons, `let`/`if`, aggregates,
//!   `where`, labelled criteria, rules with and without parameters) over a tiny facts schema are
//!   evaluated by eligo and by a reference interpreter written here, which walks the generator's
//!   own syntax tree with no memo, no slots and no IR; values and error codes must agree, and
//!   every value must have the type the program declares.
//! - `money`: `+`, `-`, `*` and sums of exact decimals agree with exact big-integer arithmetic.
//! - `dates`: day and month arithmetic agree with a day-count reference on every day of
//!   1996–2032, and through the language on random dates.
//! - `limits`: each documented limit is enforced with its error, and the standard policies'
//!   headroom below the limits is measured on large partners.
//! - `regressions`: the crashes and the hang the fuzzers found (all fixed), on their fixtures in
//!   `tests/reliability/`.
//! - `fuzz_replay`: every fuzz target (`lang/fuzz`) runs over its seed corpus and over inputs
//!   from a fixed pseudo-random stream, so the targets' invariants are checked by `cargo test`.
//!
//! The whole file runs in well under a minute in a debug build. `PROPTEST_CASES=N` runs more
//! cases of every property.

// The fuzz targets, shared with `lang/fuzz` (which is not a member of this workspace).
#[path = "../lang/fuzz/src/lib.rs"]
#[allow(dead_code)]
mod fuzz;

mod common;

use chrono::NaiveDate;
use eligo::diag::{render_plain, Error};
use eligo::driver::{compile, LoadedSources};
use eligo::eval::Compiled;
use eligo::eval::{Evaluation, Limits};
use eligo::facts::{load_facts, LoadOptions};
use eligo::model::value::Value;
use proptest::prelude::*;
use proptest::test_runner::{Config, FileFailurePersistence};
use rust_decimal::Decimal;
use std::path::PathBuf;

use common::repo;

/// A proptest configuration: `cases` cases (or `PROPTEST_CASES`), no regression files written
/// into the repository (a failure prints its minimal input; keep it as a test).
fn config(cases: u32) -> Config {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(cases);
    Config {
        cases,
        failure_persistence: Some(Box::new(FileFailurePersistence::Off)),
        ..Config::default()
    }
}

/// Compiles one policy file on a big stack; panics with the rendered errors if it is refused.
fn compile_one(text: &str) -> Compiled {
    let loaded = LoadedSources {
        files: vec![("policy.elg".into(), "policy".into(), text.to_string())],
    };
    match compile(loaded) {
        Ok(p) => p,
        Err(f) => panic!("refused:\n{text}\n{}", render_plain(&f.errors, &f.sources)),
    }
}

fn compile_err(text: &str) -> Vec<Error> {
    let loaded = LoadedSources {
        files: vec![("policy.elg".into(), "policy".into(), text.to_string())],
    };
    match compile(loaded) {
        Ok(_) => panic!("accepted:\n{text}"),
        Err(f) => f.errors,
    }
}

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("a date")
}

/// Evaluates every outcome of a program, in one evaluation, by id.
fn eval_all(
    program: &Compiled,
    facts: &str,
    as_of: NaiveDate,
) -> Vec<(String, Result<Value, &'static str>)> {
    let facts = match load_facts(
        program.program().facts_view(),
        "facts.json",
        facts,
        LoadOptions::default(),
    ) {
        Ok(f) => f,
        Err(e) => panic!(
            "facts refused:\n{facts}\n{}",
            render_plain(&[e], &program.program().sources)
        ),
    };
    let mut ev = Evaluation::new(program, facts.fields(), as_of, Limits::default());
    (0..program.program().outcomes.len())
        .map(|i| {
            (
                program.program().outcomes[i].id.clone(),
                ev.outcome(i).map_err(|e| e.code()),
            )
        })
        .collect()
}

// ================================================================== differential

/// The generator's programs, the reference interpreter, and the properties comparing them.
mod differential {
    use super::*;
    use std::fmt::Write as _;

    pub const SCHEMA: &str = r#"facts "prop/1" {
  @signed
  a: Int = 0,
  @signed
  b: Int = 0,
  flag: Bool = false,
  @signed
  xs: [Int],
  @signed
  ms: [Money],
  @signed
  price: Money = USD 0,
}
"#;

    /// Types of the generated subset.
    #[derive(Clone, Copy, Debug, PartialEq)]
    pub enum Ty {
        Int,
        Dec,
        Money,
        Bool,
        Ints,
        Moneys,
    }

    impl Ty {
        fn name(self) -> &'static str {
            match self {
                Ty::Int => "Int",
                Ty::Dec => "Decimal",
                Ty::Money => "Money",
                Ty::Bool => "Bool",
                Ty::Ints => "[Int]",
                Ty::Moneys => "[Money]",
            }
        }

        fn elem(self) -> Ty {
            match self {
                Ty::Ints => Ty::Int,
                Ty::Moneys => Ty::Money,
                t => t,
            }
        }

        fn list_of(self) -> Ty {
            match self {
                Ty::Int => Ty::Ints,
                Ty::Money => Ty::Moneys,
                t => t,
            }
        }
    }

    #[derive(Clone, Copy, Debug)]
    pub enum Ar {
        Add,
        Sub,
        Mul,
        Div,
    }

    #[derive(Clone, Copy, Debug)]
    pub enum Cmp {
        Lt,
        Le,
        Gt,
        Ge,
        Eq,
        Ne,
    }

    #[derive(Clone, Copy, Debug)]
    pub enum Crit {
        All,
        Any,
        AtLeast(usize),
    }

    /// The generator's syntax tree.
    #[derive(Clone, Debug)]
    pub enum E {
        Int(i64),
        Money(Decimal),
        Bool(bool),
        /// A fact, a local, a parameter or a rule without parameters.
        Name(String),
        Call(String, Vec<E>),
        Let(String, Box<E>, Box<E>),
        If(Box<E>, Box<E>, Box<E>),
        /// Arithmetic; the type is the result's.
        Arith(Ar, Ty, Box<E>, Box<E>),
        Neg(Box<E>),
        Cmp(Cmp, Box<E>, Box<E>),
        And(Box<E>, Box<E>),
        Or(Box<E>, Box<E>),
        Not(Box<E>),
        Count(Box<E>),
        Sum(Ty, Box<E>),
        /// `count(x in l: c)`
        CountIf(String, Box<E>, Box<E>),
        /// `sum(x in l: body)`, of the body's type.
        SumOf(Ty, String, Box<E>, Box<E>),
        /// `any(x in l: c)` (true) or `all(x in l: c)` (false)
        AnyAll(bool, String, Box<E>, Box<E>),
        /// `(min(l) otherwise d)` (true) or `(max(l) otherwise d)`
        Extreme(bool, Box<E>, Box<E>),
        /// `(first(l) otherwise d)`
        FirstOr(Box<E>, Box<E>),
        /// `(l where c)`, `it` in `c`
        Where(Box<E>, Box<E>),
        List(Vec<E>),
        In(Box<E>, Box<E>),
        Criteria(Crit, Vec<E>),
    }

    /// A rule: name, parameters, type, body.
    #[derive(Clone, Debug)]
    pub struct Rule {
        pub name: String,
        pub params: Vec<(String, Ty)>,
        pub ty: Ty,
        pub body: E,
    }

    /// A program: rules, then outcomes (`o0`, `o1`, …).
    #[derive(Clone, Debug)]
    pub struct Prog {
        pub rules: Vec<Rule>,
        pub outcomes: Vec<(Ty, E)>,
    }

    /// Facts of [`SCHEMA`].
    #[derive(Clone, Debug)]
    pub struct Facts {
        pub a: i64,
        pub b: i64,
        pub flag: bool,
        pub xs: Vec<i64>,
        pub ms: Vec<Decimal>,
        pub price: Decimal,
    }

    /// Writes programs from a choice sequence: every choice is a byte, and a shorter or smaller
    /// sequence gives a simpler program (choice 0 is always the simplest), so that proptest's
    /// shrinking of the bytes shrinks the program.
    pub struct Gen<'a> {
        bytes: &'a [u8],
        pos: usize,
        scope: Vec<(String, Ty)>,
        rules: Vec<Rule>,
        fresh: usize,
    }

    const TYPES: [Ty; 6] = [Ty::Int, Ty::Bool, Ty::Money, Ty::Ints, Ty::Moneys, Ty::Dec];

    impl<'a> Gen<'a> {
        pub fn new(bytes: &'a [u8]) -> Self {
            Gen {
                bytes,
                pos: 0,
                scope: Vec::new(),
                rules: Vec::new(),
                fresh: 0,
            }
        }

        fn choose(&mut self, n: usize) -> usize {
            let b = self.bytes.get(self.pos).copied().unwrap_or(0);
            self.pos += 1;
            b as usize % n.max(1)
        }

        fn done(&self) -> bool {
            self.pos >= self.bytes.len()
        }

        fn var(&mut self) -> String {
            self.fresh += 1;
            format!("v{}", self.fresh)
        }

        pub fn program(mut self) -> Prog {
            let n = self.choose(5);
            for i in 0..n {
                let ty = TYPES[self.choose(TYPES.len())];
                let params = match self.choose(4) {
                    1 => vec![("p".to_string(), Ty::Bool)],
                    2 => vec![("p".to_string(), Ty::Int)],
                    3 => vec![("p".to_string(), Ty::Bool), ("q".to_string(), Ty::Int)],
                    _ => vec![],
                };
                self.scope = params.clone();
                let body = self.expr(ty, 4);
                self.scope.clear();
                let name = format!("r{i}");
                self.rules.push(Rule {
                    name,
                    params,
                    ty,
                    body,
                });
            }
            let m = 1 + self.choose(3);
            let outcomes = (0..m)
                .map(|_| {
                    let ty = TYPES[self.choose(TYPES.len())];
                    (ty, self.expr(ty, 4))
                })
                .collect();
            Prog {
                rules: self.rules,
                outcomes,
            }
        }

        fn with<R>(&mut self, name: &str, ty: Ty, f: impl FnOnce(&mut Self) -> R) -> R {
            self.scope.push((name.to_string(), ty));
            let r = f(self);
            self.scope.pop();
            r
        }

        fn leaf(&mut self, ty: Ty) -> E {
            // Locals first (the innermost `it` only), then facts and literals.
            let locals: Vec<String> = self
                .scope
                .iter()
                .enumerate()
                .filter(|(i, (n, t))| {
                    *t == ty && !(n == "it" && self.scope[i + 1..].iter().any(|(m, _)| m == "it"))
                })
                .map(|(_, (n, _))| n.clone())
                .collect();
            if !locals.is_empty() && self.choose(2) == 1 {
                let i = self.choose(locals.len());
                return E::Name(locals[i].clone());
            }
            match ty {
                Ty::Int => match self.choose(6) {
                    0 => E::Int(self.choose(4) as i64),
                    1 => E::Name("a".into()),
                    2 => E::Name("b".into()),
                    3 => E::Int(i64::MAX),
                    4 => E::Neg(Box::new(E::Int(self.choose(10) as i64))),
                    _ => E::Int(self.choose(100) as i64),
                },
                Ty::Dec => {
                    let a = self.leaf(Ty::Int);
                    let b = self.leaf(Ty::Int);
                    E::Arith(Ar::Div, Ty::Dec, Box::new(a), Box::new(b))
                }
                Ty::Money => match self.choose(5) {
                    0 => E::Money(Decimal::new(self.choose(1000) as i64, 2)),
                    1 => E::Name("price".into()),
                    2 => E::Money(Decimal::MAX),
                    3 => E::Money(Decimal::new(1, 28)),
                    _ => E::Money(Decimal::new(self.choose(100) as i64 * 25, 1)),
                },
                Ty::Bool => match self.choose(3) {
                    0 => E::Bool(false),
                    1 => E::Bool(true),
                    _ => E::Name("flag".into()),
                },
                Ty::Ints => match self.choose(2) {
                    0 => E::Name("xs".into()),
                    _ => {
                        let n = 1 + self.choose(3);
                        E::List((0..n).map(|_| self.leaf(Ty::Int)).collect())
                    }
                },
                Ty::Moneys => match self.choose(2) {
                    0 => E::Name("ms".into()),
                    _ => {
                        let n = 1 + self.choose(3);
                        E::List((0..n).map(|_| self.leaf(Ty::Money)).collect())
                    }
                },
            }
        }

        fn list_type(&mut self) -> Ty {
            [Ty::Ints, Ty::Moneys][self.choose(2)]
        }

        pub fn expr(&mut self, ty: Ty, depth: u32) -> E {
            if depth == 0 || self.done() {
                return self.leaf(ty);
            }
            let d = depth - 1;
            let bx = |e: E| Box::new(e);
            // Productions for every type.
            match self.choose(16) {
                0 => return self.leaf(ty),
                1 => {
                    let c = self.expr(Ty::Bool, d);
                    let a = self.expr(ty, d);
                    let b = self.expr(ty, d);
                    return E::If(bx(c), bx(a), bx(b));
                }
                2 => {
                    let vt = TYPES[self.choose(TYPES.len())];
                    let v = self.var();
                    let value = self.expr(vt, d);
                    let body = self.with(&v, vt, |g| g.expr(ty, d));
                    return E::Let(v, bx(value), bx(body));
                }
                3 => {
                    let fits: Vec<usize> = (0..self.rules.len())
                        .filter(|&i| self.rules[i].ty == ty)
                        .collect();
                    if !fits.is_empty() {
                        let pick = fits[self.choose(fits.len())];
                        let r = self.rules[pick].clone();
                        if r.params.is_empty() {
                            return E::Name(r.name);
                        }
                        let args = r.params.iter().map(|(_, t)| self.expr(*t, d)).collect();
                        return E::Call(r.name, args);
                    }
                }
                4 if matches!(ty, Ty::Int | Ty::Money | Ty::Bool) => {
                    let l = if ty == Ty::Bool {
                        E::List(vec![self.expr(ty, d)])
                    } else {
                        self.expr(ty.list_of(), d)
                    };
                    let dflt = self.expr(ty, d);
                    return E::FirstOr(bx(l), bx(dflt));
                }
                _ => {}
            }
            match ty {
                Ty::Int => match self.choose(9) {
                    0 => E::Arith(Ar::Add, ty, bx(self.expr(ty, d)), bx(self.expr(ty, d))),
                    1 => E::Arith(Ar::Sub, ty, bx(self.expr(ty, d)), bx(self.expr(ty, d))),
                    2 => E::Arith(Ar::Mul, ty, bx(self.expr(ty, d)), bx(self.expr(ty, d))),
                    3 => E::Neg(bx(self.expr(ty, d))),
                    4 => {
                        let lt = self.list_type();
                        E::Count(bx(self.expr(lt, d)))
                    }
                    5 => E::Sum(Ty::Int, bx(self.expr(Ty::Ints, d))),
                    6 => {
                        let lt = self.list_type();
                        let l = self.expr(lt, d);
                        let v = self.var();
                        let c = self.with(&v, lt.elem(), |g| g.expr(Ty::Bool, d));
                        E::CountIf(v, bx(l), bx(c))
                    }
                    7 => {
                        let lt = self.list_type();
                        let l = self.expr(lt, d);
                        let v = self.var();
                        let body = self.with(&v, lt.elem(), |g| g.expr(Ty::Int, d));
                        E::SumOf(Ty::Int, v, bx(l), bx(body))
                    }
                    _ => {
                        let l = self.expr(Ty::Ints, d);
                        let dflt = self.expr(Ty::Int, d);
                        E::Extreme(self.choose(2) == 0, bx(l), bx(dflt))
                    }
                },
                Ty::Dec => match self.choose(4) {
                    0 => E::Arith(
                        Ar::Div,
                        ty,
                        bx(self.expr(Ty::Int, d)),
                        bx(self.expr(Ty::Int, d)),
                    ),
                    1 => E::Arith(Ar::Add, ty, bx(self.expr(ty, d)), bx(self.expr(ty, d))),
                    2 => E::Arith(Ar::Mul, ty, bx(self.expr(ty, d)), bx(self.expr(Ty::Int, d))),
                    _ => E::Arith(
                        Ar::Div,
                        ty,
                        bx(self.expr(Ty::Money, d)),
                        bx(self.expr(Ty::Money, d)),
                    ),
                },
                Ty::Money => match self.choose(7) {
                    0 => E::Arith(Ar::Add, ty, bx(self.expr(ty, d)), bx(self.expr(ty, d))),
                    1 => E::Arith(Ar::Sub, ty, bx(self.expr(ty, d)), bx(self.expr(ty, d))),
                    2 => E::Arith(Ar::Mul, ty, bx(self.expr(ty, d)), bx(self.expr(Ty::Int, d))),
                    3 => E::Arith(Ar::Div, ty, bx(self.expr(ty, d)), bx(self.expr(Ty::Int, d))),
                    4 => E::Sum(Ty::Money, bx(self.expr(Ty::Moneys, d))),
                    5 => {
                        let lt = self.list_type();
                        let l = self.expr(lt, d);
                        let v = self.var();
                        let body = self.with(&v, lt.elem(), |g| g.expr(Ty::Money, d));
                        E::SumOf(Ty::Money, v, bx(l), bx(body))
                    }
                    _ => {
                        let l = self.expr(Ty::Moneys, d);
                        let dflt = self.expr(Ty::Money, d);
                        E::Extreme(self.choose(2) == 0, bx(l), bx(dflt))
                    }
                },
                Ty::Bool => match self.choose(9) {
                    0 => E::And(bx(self.expr(ty, d)), bx(self.expr(ty, d))),
                    1 => E::Or(bx(self.expr(ty, d)), bx(self.expr(ty, d))),
                    2 => E::Not(bx(self.expr(ty, d))),
                    3 | 4 => {
                        let t = [Ty::Int, Ty::Money, Ty::Dec, Ty::Bool][self.choose(4)];
                        let ops = [Cmp::Eq, Cmp::Ne, Cmp::Lt, Cmp::Le, Cmp::Gt, Cmp::Ge];
                        let op = if t == Ty::Bool {
                            ops[self.choose(2)]
                        } else {
                            ops[self.choose(6)]
                        };
                        E::Cmp(op, bx(self.expr(t, d)), bx(self.expr(t, d)))
                    }
                    5 => {
                        let lt = self.list_type();
                        let x = self.expr(lt.elem(), d);
                        E::In(bx(x), bx(self.expr(lt, d)))
                    }
                    6 => {
                        let lt = self.list_type();
                        let l = self.expr(lt, d);
                        let v = self.var();
                        let c = self.with(&v, lt.elem(), |g| g.expr(Ty::Bool, d));
                        E::AnyAll(self.choose(2) == 0, v, bx(l), bx(c))
                    }
                    _ => {
                        let n = 1 + self.choose(3);
                        let items: Vec<E> = (0..n).map(|_| self.expr(Ty::Bool, d)).collect();
                        let kind = match self.choose(3) {
                            0 => Crit::All,
                            1 => Crit::Any,
                            _ => Crit::AtLeast(self.choose(n + 1)),
                        };
                        E::Criteria(kind, items)
                    }
                },
                Ty::Ints | Ty::Moneys => match self.choose(3) {
                    0 => {
                        let l = self.expr(ty, d);
                        let c = self.with("it", ty.elem(), |g| g.expr(Ty::Bool, d));
                        E::Where(bx(l), bx(c))
                    }
                    1 => {
                        let n = 1 + self.choose(3);
                        E::List((0..n).map(|_| self.expr(ty.elem(), d)).collect())
                    }
                    _ => self.leaf(ty),
                },
            }
        }
    }

    /// Facts from a choice sequence.
    pub fn facts(bytes: &[u8]) -> Facts {
        let mut i = 0;
        let mut next = |n: usize| {
            let b = bytes.get(i).copied().unwrap_or(0);
            i += 1;
            b as usize % n
        };
        let ints = [0, 1, 2, -1, 7, 100, i64::MAX, i64::MIN, -40];
        let money = |k: usize| match k {
            0 => Decimal::ZERO,
            1 => Decimal::new(10, 2),
            2 => Decimal::new(-2_501, 2),
            3 => Decimal::MAX,
            4 => Decimal::new(1, 28),
            5 => Decimal::new(473_000, 2),
            _ => Decimal::new(-1, 0),
        };
        Facts {
            a: ints[next(ints.len())],
            b: ints[next(ints.len())],
            flag: next(2) == 1,
            xs: (0..next(5)).map(|_| ints[next(ints.len())]).collect(),
            ms: (0..next(5)).map(|_| money(next(7))).collect(),
            price: money(next(7)),
        }
    }

    impl Facts {
        pub fn json(&self) -> String {
            let xs: Vec<String> = self.xs.iter().map(|x| x.to_string()).collect();
            let ms: Vec<String> = self.ms.iter().map(|m| format!("\"{m}\"")).collect();
            format!(
                "{{\"format\":\"prop/1\",\"a\":{},\"b\":{},\"flag\":{},\"xs\":[{}],\"ms\":[{}],\"price\":\"{}\"}}",
                self.a,
                self.b,
                self.flag,
                xs.join(","),
                ms.join(","),
                self.price
            )
        }
    }

    // ---------------------------------------------------------------- printing

    fn money_text(d: Decimal) -> String {
        if d.is_sign_negative() {
            format!("(-USD {})", -d)
        } else {
            format!("USD {d}")
        }
    }

    /// Prints an expression; every compound expression is parenthesized.
    pub fn print(e: &E) -> String {
        let p = |e: &E| print(e);
        match e {
            E::Int(i) => i.to_string(),
            E::Money(d) => money_text(*d),
            E::Bool(b) => b.to_string(),
            E::Name(n) => n.clone(),
            E::Call(n, args) => {
                let args: Vec<String> = args.iter().map(p).collect();
                format!("{n}({})", args.join(", "))
            }
            E::Let(v, x, body) => format!("(let {v} = {}; {})", p(x), p(body)),
            E::If(c, a, b) => format!("(if {} then {} else {})", p(c), p(a), p(b)),
            E::Arith(op, _, a, b) => {
                let op = match op {
                    Ar::Add => "+",
                    Ar::Sub => "-",
                    Ar::Mul => "*",
                    Ar::Div => "/",
                };
                format!("({} {op} {})", p(a), p(b))
            }
            E::Neg(x) => format!("(-{})", p(x)),
            E::Cmp(op, a, b) => {
                let op = match op {
                    Cmp::Lt => "<",
                    Cmp::Le => "<=",
                    Cmp::Gt => ">",
                    Cmp::Ge => ">=",
                    Cmp::Eq => "==",
                    Cmp::Ne => "!=",
                };
                format!("({} {op} {})", p(a), p(b))
            }
            E::And(a, b) => format!("({} and {})", p(a), p(b)),
            E::Or(a, b) => format!("({} or {})", p(a), p(b)),
            E::Not(x) => format!("(not {})", p(x)),
            E::Count(l) => format!("count({})", p(l)),
            E::Sum(_, l) => format!("sum({})", p(l)),
            E::CountIf(v, l, c) => format!("count({v} in {}: {})", p(l), p(c)),
            E::SumOf(_, v, l, b) => format!("sum({v} in {}: {})", p(l), p(b)),
            E::AnyAll(any, v, l, c) => {
                let f = if *any { "any" } else { "all" };
                format!("{f}({v} in {}: {})", p(l), p(c))
            }
            E::Extreme(min, l, dflt) => {
                let f = if *min { "min" } else { "max" };
                format!("({f}({}) otherwise {})", p(l), p(dflt))
            }
            E::FirstOr(l, dflt) => format!("(first({}) otherwise {})", p(l), p(dflt)),
            E::Where(l, c) => format!("({} where {})", p(l), p(c)),
            E::List(xs) => {
                let xs: Vec<String> = xs.iter().map(p).collect();
                format!("[{}]", xs.join(", "))
            }
            E::In(x, l) => format!("({} in {})", p(x), p(l)),
            E::Criteria(kind, items) => {
                let kind = match kind {
                    Crit::All => "all".to_string(),
                    Crit::Any => "any".to_string(),
                    Crit::AtLeast(n) => format!("at least {n} of"),
                };
                let items: Vec<String> = items
                    .iter()
                    .enumerate()
                    .map(|(i, x)| format!("\"c{i}\": {}", p(x)))
                    .collect();
                format!("{kind} {{ {} }}", items.join(", "))
            }
        }
    }

    impl Prog {
        pub fn text(&self) -> String {
            let mut out = String::from(SCHEMA);
            for r in &self.rules {
                let _ = write!(out, "rule {}", r.name);
                if !r.params.is_empty() {
                    let ps: Vec<String> = r
                        .params
                        .iter()
                        .map(|(n, t)| format!("{n}: {}", t.name()))
                        .collect();
                    let _ = write!(out, "({})", ps.join(", "));
                }
                let _ = writeln!(out, ": {} = {}", r.ty.name(), print(&r.body));
            }
            for (i, (_, e)) in self.outcomes.iter().enumerate() {
                let _ = writeln!(out, "outcome \"o{i}\" = {}", print(e));
            }
            out
        }
    }

    // ---------------------------------------------------------------- the reference

    /// A reference value.
    #[derive(Clone, Debug, PartialEq)]
    pub enum V {
        Int(i64),
        Dec(Decimal),
        Bool(bool),
        List(Vec<V>),
    }

    type R = Result<V, &'static str>;

    const OVERFLOW: &str = "E0501";
    const DIV_ZERO: &str = "E0502";

    fn dec(v: &V) -> Decimal {
        match v {
            V::Int(i) => Decimal::from(*i),
            V::Dec(d) => *d,
            _ => unreachable!("not a number: {v:?}"),
        }
    }

    fn list(v: V) -> Vec<V> {
        match v {
            V::List(xs) => xs,
            v => unreachable!("not a list: {v:?}"),
        }
    }

    fn truth(v: V) -> bool {
        match v {
            V::Bool(b) => b,
            v => unreachable!("not a bool: {v:?}"),
        }
    }

    /// The reference interpreter: walks the tree, looks names up by name, evaluates every rule
    /// at every use. It follows the language reference: left to right; `and`, `or`, `if` and
    /// `otherwise` evaluate only what they need; labelled criteria evaluate every criterion;
    /// `any`/`all` over a comprehension stop at the first element that decides them (what eligo
    /// does; docs/language.md §19 says otherwise, see `any_over_a_comprehension_…` below);
    /// integers overflow into E0501, decimals into E0501 when their integer part does not fit,
    /// division by zero is E0502.
    pub struct Reference<'p> {
        pub prog: &'p Prog,
        pub facts: &'p Facts,
        env: Vec<(String, V)>,
    }

    impl<'p> Reference<'p> {
        pub fn new(prog: &'p Prog, facts: &'p Facts) -> Self {
            Reference {
                prog,
                facts,
                env: Vec::new(),
            }
        }

        fn name(&mut self, n: &str) -> R {
            if let Some((_, v)) = self.env.iter().rev().find(|(m, _)| m == n) {
                return Ok(v.clone());
            }
            if let Some(r) = self.prog.rules.iter().find(|r| r.name == n) {
                return self.call(r, Vec::new());
            }
            let f = self.facts;
            Ok(match n {
                "a" => V::Int(f.a),
                "b" => V::Int(f.b),
                "flag" => V::Bool(f.flag),
                "xs" => V::List(f.xs.iter().map(|x| V::Int(*x)).collect()),
                "ms" => V::List(f.ms.iter().map(|m| V::Dec(*m)).collect()),
                "price" => V::Dec(f.price),
                _ => unreachable!("unknown name {n}"),
            })
        }

        fn call(&mut self, r: &Rule, args: Vec<V>) -> R {
            // A rule sees its parameters only: a fresh environment.
            let saved = std::mem::take(&mut self.env);
            self.env = r.params.iter().map(|(n, _)| n.clone()).zip(args).collect();
            let v = self.eval(&r.body);
            self.env = saved;
            v
        }

        fn bound<T>(&mut self, n: &str, v: V, f: impl FnOnce(&mut Self) -> T) -> T {
            self.env.push((n.to_string(), v));
            let r = f(self);
            self.env.pop();
            r
        }

        pub fn eval(&mut self, e: &E) -> R {
            Ok(match e {
                E::Int(i) => V::Int(*i),
                E::Money(d) => V::Dec(*d),
                E::Bool(b) => V::Bool(*b),
                E::Name(n) => self.name(n)?,
                E::Call(n, args) => {
                    let mut vs = Vec::new();
                    for a in args {
                        vs.push(self.eval(a)?);
                    }
                    let prog = self.prog;
                    let r = prog.rules.iter().find(|r| &r.name == n).expect("a rule");
                    self.call(r, vs)?
                }
                E::Let(v, x, body) => {
                    let x = self.eval(x)?;
                    self.bound(v, x, |s| s.eval(body))?
                }
                E::If(c, a, b) => {
                    if truth(self.eval(c)?) {
                        self.eval(a)?
                    } else {
                        self.eval(b)?
                    }
                }
                E::Arith(op, ty, a, b) => {
                    let x = self.eval(a)?;
                    let y = self.eval(b)?;
                    arith(*op, *ty, &x, &y)?
                }
                E::Neg(x) => match self.eval(x)? {
                    V::Int(i) => V::Int(i.checked_neg().ok_or(OVERFLOW)?),
                    V::Dec(d) => V::Dec(-d),
                    v => unreachable!("{v:?}"),
                },
                E::Cmp(op, a, b) => {
                    let x = self.eval(a)?;
                    let y = self.eval(b)?;
                    let ord = match (&x, &y) {
                        (V::Bool(p), V::Bool(q)) => p.cmp(q),
                        _ => dec(&x).cmp(&dec(&y)),
                    };
                    V::Bool(match op {
                        Cmp::Lt => ord.is_lt(),
                        Cmp::Le => ord.is_le(),
                        Cmp::Gt => ord.is_gt(),
                        Cmp::Ge => ord.is_ge(),
                        Cmp::Eq => ord.is_eq(),
                        Cmp::Ne => ord.is_ne(),
                    })
                }
                E::And(a, b) => V::Bool(truth(self.eval(a)?) && truth(self.eval(b)?)),
                E::Or(a, b) => V::Bool(truth(self.eval(a)?) || truth(self.eval(b)?)),
                E::Not(x) => V::Bool(!truth(self.eval(x)?)),
                E::Count(l) => V::Int(list(self.eval(l)?).len() as i64),
                E::Sum(ty, l) => {
                    let xs = list(self.eval(l)?);
                    sum(*ty, &xs)?
                }
                E::CountIf(v, l, c) => {
                    let mut n = 0;
                    for x in list(self.eval(l)?) {
                        if truth(self.bound(v, x, |s| s.eval(c))?) {
                            n += 1;
                        }
                    }
                    V::Int(n)
                }
                E::SumOf(ty, v, l, body) => {
                    let mut vals = Vec::new();
                    for x in list(self.eval(l)?) {
                        vals.push(self.bound(v, x, |s| s.eval(body))?);
                    }
                    sum(*ty, &vals)?
                }
                // docs/language.md §19: an aggregate evaluates every element, so an error in
                // an element after the deciding one is still an error (no early exit).
                E::AnyAll(any, v, l, c) => {
                    let mut result = !*any;
                    for x in list(self.eval(l)?) {
                        if truth(self.bound(v, x, |s| s.eval(c))?) == *any {
                            result = *any;
                        }
                    }
                    V::Bool(result)
                }
                E::Extreme(min, l, dflt) => {
                    let xs = list(self.eval(l)?);
                    let mut best: Option<V> = None;
                    for x in xs {
                        best = Some(match best {
                            None => x,
                            Some(b) => {
                                let ord = dec(&x).cmp(&dec(&b));
                                if (*min && ord.is_lt()) || (!*min && ord.is_gt()) {
                                    x
                                } else {
                                    b
                                }
                            }
                        });
                    }
                    match best {
                        Some(b) => b,
                        None => self.eval(dflt)?,
                    }
                }
                E::FirstOr(l, dflt) => match list(self.eval(l)?).into_iter().next() {
                    Some(x) => x,
                    None => self.eval(dflt)?,
                },
                E::Where(l, c) => {
                    let mut out = Vec::new();
                    for x in list(self.eval(l)?) {
                        if truth(self.bound("it", x.clone(), |s| s.eval(c))?) {
                            out.push(x);
                        }
                    }
                    V::List(out)
                }
                E::List(xs) => {
                    let mut out = Vec::new();
                    for x in xs {
                        out.push(self.eval(x)?);
                    }
                    V::List(out)
                }
                E::In(x, l) => {
                    let x = self.eval(x)?;
                    let xs = list(self.eval(l)?);
                    V::Bool(xs.iter().any(|y| dec(y) == dec(&x)))
                }
                E::Criteria(kind, items) => {
                    let mut passed = 0;
                    for x in items {
                        if truth(self.eval(x)?) {
                            passed += 1;
                        }
                    }
                    V::Bool(match kind {
                        Crit::All => passed == items.len(),
                        Crit::Any => passed >= 1,
                        Crit::AtLeast(n) => passed >= *n,
                    })
                }
            })
        }
    }

    fn sum(ty: Ty, xs: &[V]) -> R {
        if ty == Ty::Int {
            let mut t: i64 = 0;
            for x in xs {
                let V::Int(i) = x else { unreachable!() };
                t = t.checked_add(*i).ok_or(OVERFLOW)?;
            }
            Ok(V::Int(t))
        } else {
            let mut t = Decimal::ZERO;
            for x in xs {
                t = super::money::decimal_sum(t, dec(x)).ok_or(OVERFLOW)?;
            }
            Ok(V::Dec(t))
        }
    }

    fn arith(op: Ar, ty: Ty, x: &V, y: &V) -> R {
        if let (Ty::Int, V::Int(a), V::Int(b)) = (ty, x, y) {
            return Ok(V::Int(
                match op {
                    Ar::Add => a.checked_add(*b),
                    Ar::Sub => a.checked_sub(*b),
                    Ar::Mul => a.checked_mul(*b),
                    Ar::Div => unreachable!("Int / Int is a Decimal"),
                }
                .ok_or(OVERFLOW)?,
            ));
        }
        let (a, b) = (dec(x), dec(y));
        Ok(V::Dec(
            match op {
                // §18: the exact sum, or the decimal nearest to it, never rust_decimal's own
                // rounding (which keeps the largest decimal for a sum just past it).
                Ar::Add => super::money::decimal_sum(a, b),
                Ar::Sub => super::money::decimal_sum(a, -b),
                Ar::Mul => a.checked_mul(b),
                Ar::Div => {
                    if b.is_zero() {
                        return Err(DIV_ZERO);
                    }
                    a.checked_div(b)
                }
            }
            .ok_or(OVERFLOW)?,
        ))
    }

    /// Whether eligo's value is the reference's, variant for variant (an `Int` where a
    /// `Decimal` is expected is a type error at run time, even if the numbers are equal).
    pub fn same(got: &Value, want: &V) -> bool {
        match (got, want) {
            (Value::Int(a), V::Int(b)) => a == b,
            (Value::Dec(a), V::Dec(b)) => a == b,
            (Value::Bool(a), V::Bool(b)) => a == b,
            (Value::List(a), V::List(b)) => {
                a.len() == b.len() && a.iter().zip(b).all(|(x, y)| same(x, y))
            }
            _ => false,
        }
    }

    /// Whether a value has a type.
    pub fn conforms(v: &Value, ty: Ty) -> bool {
        match (ty, v) {
            (Ty::Int, Value::Int(_)) => true,
            (Ty::Dec | Ty::Money, Value::Dec(_)) => true,
            (Ty::Bool, Value::Bool(_)) => true,
            (Ty::Ints | Ty::Moneys, Value::List(xs)) => xs.iter().all(|x| conforms(x, ty.elem())),
            _ => false,
        }
    }

    /// Runs one generated program through eligo and the reference; describes any difference.
    pub fn compare(prog: &Prog, facts: &Facts) -> Result<(), String> {
        let text = prog.text();
        let loaded = LoadedSources {
            files: vec![("policy.elg".into(), "policy".into(), text.clone())],
        };
        let program = compile(loaded).map_err(|f| {
            format!(
                "a well-typed program is refused:\n{text}\n{}",
                render_plain(&f.errors, &f.sources)
            )
        })?;
        let got = eval_all(&program, &facts.json(), date("2024-08-06"));
        for (i, (ty, e)) in prog.outcomes.iter().enumerate() {
            let id = format!("o{i}");
            let (_, g) = got
                .iter()
                .find(|(o, _)| *o == id)
                .ok_or_else(|| format!("no outcome {id}"))?;
            let want = Reference::new(prog, facts).eval(e);
            if let Ok(v) = g {
                if !conforms(v, *ty) {
                    return Err(format!(
                        "{id}: a {} outcome has the value {v:?}\n{text}",
                        ty.name()
                    ));
                }
            }
            let agree = match (g, &want) {
                (Ok(g), Ok(w)) => same(g, w),
                (Err(g), Err(w)) => g == w,
                _ => false,
            };
            if !agree {
                return Err(format!(
                    "{id}: eligo gives {g:?}, the reference {want:?}\n{text}\nfacts: {}",
                    facts.json()
                ));
            }
        }
        Ok(())
    }

    /// Found by CI: an `any` whose second element divides by zero after the first decided it.
    /// The reference stopped early; the language (§19) evaluates every element.
    #[test]
    fn an_aggregate_after_its_deciding_element() {
        let program = [
            5, 68, 99, 3, 22, 20, 240, 0, 0, 4, 51, 8, 2, 3, 57, 3, 76, 151, 31, 145, 91, 81, 5,
            21, 3, 8, 1, 0, 74, 104, 144, 4, 0, 0, 157, 21, 54, 3, 141, 86, 67, 42, 3, 184, 16, 20,
            163, 21, 25, 180, 76, 27, 18, 161, 1, 100, 0, 19, 187, 0, 0, 19, 0, 91, 3, 200, 50,
            138, 0, 0, 0,
        ];
        let prog = Gen::new(&program).program();
        let text = prog.text();
        assert!(text.contains("any(v1 in"), "the generator changed:\n{text}");
        compare(&prog, &facts(&[117, 1, 90])).unwrap();
    }

    proptest! {
        #![proptest_config(config(300))]

        /// eligo and the reference agree on every outcome, values and errors alike, and every
        /// value has its declared type.
        #[test]
        fn eligo_agrees_with_the_reference(
            program in prop::collection::vec(any::<u8>(), 0..160),
            facts_bytes in prop::collection::vec(any::<u8>(), 0..24),
        ) {
            let prog = Gen::new(&program).program();
            let facts = facts(&facts_bytes);
            if let Err(e) = compare(&prog, &facts) {
                return Err(TestCaseError::fail(e));
            }
        }
    }
}

/// A known disagreement between the language reference and eligo, kept as a test of what the
/// reference says.
#[test]
fn any_over_a_comprehension_evaluates_every_element() {
    let text = std::fs::read_to_string(repo().join("tests/reliability/any_stops_early.elg"))
        .expect("the fixture");
    let program = compile_one(&text);
    for (id, got) in eval_all(
        &program,
        r#"{"format":"reliability/1"}"#,
        date("2024-08-06"),
    ) {
        assert_eq!(got, Err("E0502"), "outcome {id}");
    }
}

// ================================================================== money

/// Exact decimal arithmetic against big integers.
mod money {
    use super::*;
    use num_bigint::BigInt;
    use std::sync::OnceLock;

    const POLICY: &str = r#"facts "money/1" {
  @signed
  x: Money = USD 0,
  @signed
  y: Money = USD 0,
  @signed
  k: Int = 0,
  @signed
  r: Decimal = 0,
  @signed
  xs: [Money],
}
outcome "add" = x + y
outcome "sub" = x - y
outcome "mul_int" = x * k
outcome "mul_dec" = x * r
outcome "neg" = -x
outcome "sum" = sum(xs)
outcome "lt" = x < y
outcome "eq" = x == y
"#;

    fn program() -> &'static Compiled {
        static P: OnceLock<Compiled> = OnceLock::new();
        P.get_or_init(|| compile_one(POLICY))
    }

    /// An exact decimal: `m × 10^-s`.
    #[derive(Clone, Debug)]
    struct Exact(BigInt, u32);

    fn pow10(n: u32) -> BigInt {
        BigInt::from(10u32).pow(n)
    }

    impl Exact {
        fn of(d: Decimal) -> Exact {
            Exact(BigInt::from(d.mantissa()), d.scale())
        }

        fn at(&self, s: u32) -> BigInt {
            &self.0 * pow10(s - self.1)
        }

        fn add(&self, o: &Exact) -> Exact {
            let s = self.1.max(o.1);
            Exact(self.at(s) + o.at(s), s)
        }

        fn neg(&self) -> Exact {
            Exact(-&self.0, self.1)
        }

        fn mul(&self, o: &Exact) -> Exact {
            Exact(&self.0 * &o.0, self.1 + o.1)
        }

        fn cmp(&self, o: &Exact) -> std::cmp::Ordering {
            let s = self.1.max(o.1);
            self.at(s).cmp(&o.at(s))
        }

        /// Without trailing zeros.
        fn reduced(&self) -> Exact {
            let mut e = self.clone();
            let ten = BigInt::from(10);
            while e.1 > 0 && (&e.0 % &ten) == BigInt::from(0) {
                e.0 /= &ten;
                e.1 -= 1;
            }
            e
        }
    }

    fn max_mantissa() -> BigInt {
        (BigInt::from(1) << 96u32) - 1
    }

    /// `n / 10^k` rounded to the nearest integer, ties to even.
    fn round_half_even(n: &BigInt, k: u32) -> BigInt {
        let d = pow10(k);
        let (q, r) = (n / &d, n % &d);
        let twice = r.magnitude() * 2u32;
        let up = match twice.cmp(d.magnitude()) {
            std::cmp::Ordering::Greater => true,
            std::cmp::Ordering::Less => false,
            std::cmp::Ordering::Equal => (&q % 2) != BigInt::from(0),
        };
        if !up {
            q
        } else if n.sign() == num_bigint::Sign::Minus {
            q - 1
        } else {
            q + 1
        }
    }

    /// What the docs promise (§18): the exact value when it is a decimal, else the nearest
    /// decimal that fits (the most digits after the point, at most 28, whose mantissa is below
    /// 2^96), a tie going to the even digit; `None` when not even the integer part fits (E0501).
    fn nearest(exact: &Exact) -> Option<Exact> {
        (0..=28u32).rev().find_map(|s| {
            let m = if s >= exact.1 {
                exact.at(s)
            } else {
                round_half_even(&exact.0, exact.1 - s)
            };
            (m.magnitude() <= max_mantissa().magnitude()).then_some(Exact(m, s))
        })
    }

    /// What the docs promise for `+`, `-` and `sum` (§18): the exact value when it is a decimal,
    /// else the decimal nearest to it among all that fit (any number of decimals up to 28, a
    /// mantissa below 2^96), a tie between two of the same number of decimals going to the even
    /// one and a tie across numbers of decimals to the one with more; `None` when none fits.
    /// (Rounding first and then dropping digits, as [`nearest`] does, can land 0.45 away:
    /// `7922816251426433759354395033.5 + 0.05`.)
    fn nearest_any(exact: &Exact) -> Option<Exact> {
        let max = max_mantissa();
        let fits = |n: &BigInt| n.magnitude() <= max.magnitude();
        let mut best: Option<(BigInt, Exact)> = None;
        for t in (0..=28u32).rev() {
            // Neighbours at `t` decimals, distances in units of 10^-(max(t, scale)).
            let s = exact.1.max(t);
            let x = exact.at(s);
            let d = pow10(s - t);
            let n0 = num_integer_floor(&x, &d);
            let r = &x - &n0 * &d;
            let dist0 = &r * pow10(28 - s);
            let mut both = fits(&n0);
            let mut consider = |dist: BigInt, n: BigInt| {
                let better = match &best {
                    None => true,
                    Some((bd, b)) => {
                        dist < *bd || (dist == *bd && b.1 == t && (&b.0 % 2) != BigInt::from(0))
                    }
                };
                if better {
                    best = Some((dist, Exact(n, t)));
                }
            };
            if fits(&n0) {
                consider(dist0.clone(), n0.clone());
            }
            if r != BigInt::from(0) {
                let n1 = &n0 + 1;
                both &= fits(&n1);
                if fits(&n1) {
                    consider((&d - &r) * pow10(28 - s), n1);
                }
            }
            if both {
                return best.map(|(_, e)| e);
            }
        }
        // Past the largest decimal: an overflow, never the largest decimal instead.
        None
    }

    /// `a + b` as §18 says (see [`nearest_any`]): the differential reference's sums.
    pub(super) fn decimal_sum(a: Decimal, b: Decimal) -> Option<Decimal> {
        let e = nearest_any(&Exact::of(a).add(&Exact::of(b)))?;
        let n = i128::try_from(e.0).expect("a mantissa below 2^96");
        Some(Decimal::from_i128_with_scale(n, e.1))
    }

    /// `floor(x / d)` for `d > 0`.
    fn num_integer_floor(x: &BigInt, d: &BigInt) -> BigInt {
        let (q, r) = (x / d, x % d);
        if r.sign() == num_bigint::Sign::Minus {
            q - 1
        } else {
            q
        }
    }

    /// Checks eligo's result of `+`, `-` or `sum` against the exact value ([`nearest_any`]).
    fn check_sum(what: &str, got: &Result<Value, &str>, exact: &Exact) -> Result<(), String> {
        compare_with(what, got, exact, nearest_any(exact))
    }

    /// Checks eligo's result against the exact value ([`nearest`]).
    fn check(what: &str, got: &Result<Value, &str>, exact: &Exact) -> Result<(), String> {
        compare_with(what, got, exact, nearest(exact))
    }

    /// eligo's result against `want`, the decimal the rounding rule gives for `exact`.
    fn compare_with(
        what: &str,
        got: &Result<Value, &str>,
        exact: &Exact,
        want: Option<Exact>,
    ) -> Result<(), String> {
        match (got, &want) {
            (Ok(Value::Dec(d)), Some(w)) if Exact::of(*d).cmp(w).is_eq() => Ok(()),
            (Err("E0501"), None) => Ok(()),
            _ => Err(format!(
                "{what}: eligo gives {got:?}, the nearest decimal is {:?} (exactly {:?})",
                want.map(|w| w.reduced()),
                exact.reduced()
            )),
        }
    }

    fn decimal(max_scale: u32) -> impl Strategy<Value = Decimal> {
        let mantissa = prop_oneof![
            -1_000_000i128..1_000_000,
            -(1i128 << 63)..(1i128 << 63),
            -(1i128 << 96) + 1..(1i128 << 96),
        ];
        (mantissa, 0..=max_scale).prop_map(|(m, s)| {
            Decimal::try_from_i128_with_scale(m, s).expect("a mantissa below 2^96")
        })
    }

    /// Amounts whose sums are always exact decimals: mantissas below 10^15, at most 10 decimals.
    fn amount() -> impl Strategy<Value = Decimal> {
        (-999_999_999_999_999i64..1_000_000_000_000_000, 0u32..=10)
            .prop_map(|(m, s)| Decimal::new(m, s))
    }

    fn outcomes(
        x: Decimal,
        y: Decimal,
        k: i64,
        r: Decimal,
        xs: &[Decimal],
    ) -> Vec<(String, Result<Value, &'static str>)> {
        let xs: Vec<String> = xs.iter().map(|m| format!("\"{m}\"")).collect();
        let facts = format!(
            "{{\"format\":\"money/1\",\"x\":\"{x}\",\"y\":\"{y}\",\"k\":{k},\"r\":{r},\"xs\":[{}]}}",
            xs.join(",")
        );
        eval_all(program(), &facts, date("2024-08-06"))
    }

    proptest! {
        #![proptest_config(config(400))]

        /// `+`, `-`, `*` (by an `Int` and by a `Decimal`), unary `-` and comparisons of money
        /// agree with exact arithmetic.
        #[test]
        fn arithmetic_is_exact_or_correctly_rounded(
            x in decimal(28),
            y in decimal(28),
            k in any::<i64>(),
            r in decimal(28),
        ) {
            let got = outcomes(x, y, k, r, &[]);
            let (ex, ey, er) = (Exact::of(x), Exact::of(y), Exact::of(r));
            let ek = Exact(BigInt::from(k), 0);
            for (id, g) in &got {
                let res = match id.as_str() {
                    "add" => check_sum(id, g, &ex.add(&ey)),
                    "sub" => check_sum(id, g, &ex.add(&ey.neg())),
                    "mul_int" => check(id, g, &ex.mul(&ek)),
                    "mul_dec" => check(id, g, &ex.mul(&er)),
                    "neg" => check(id, g, &ex.neg()),
                    "lt" => {
                        let want = ex.cmp(&ey).is_lt();
                        if matches!(g, Ok(Value::Bool(b)) if *b == want) { Ok(()) }
                        else { Err(format!("lt: {g:?}, want {want}")) }
                    }
                    "eq" => {
                        let want = ex.cmp(&ey).is_eq();
                        if matches!(g, Ok(Value::Bool(b)) if *b == want) { Ok(()) }
                        else { Err(format!("eq: {g:?}, want {want}")) }
                    }
                    _ => Ok(()),
                };
                if let Err(e) = res {
                    return Err(TestCaseError::fail(format!("{e}\nx = {x}, y = {y}, k = {k}, r = {r}")));
                }
            }
        }

        /// A sum of amounts is their exact sum, whatever their number and scales.
        #[test]
        fn sums_are_exact(xs in prop::collection::vec(amount(), 0..40)) {
            let got = outcomes(Decimal::ZERO, Decimal::ZERO, 0, Decimal::ZERO, &xs);
            let exact = xs.iter().fold(Exact(BigInt::from(0), 0), |t, x| t.add(&Exact::of(*x)));
            let (_, g) = got.iter().find(|(id, _)| id == "sum").expect("the sum");
            if let Err(e) = check_sum("sum", g, &exact) {
                return Err(TestCaseError::fail(e));
            }
        }
    }

    /// The classic binary-float traps are exact.
    #[test]
    fn tenths_add_up() {
        let tenths = vec![Decimal::new(1, 1); 1000];
        let got = outcomes(
            Decimal::new(1, 1),
            Decimal::new(2, 1),
            3,
            Decimal::new(1, 1),
            &tenths,
        );
        let get = |id: &str| {
            got.iter()
                .find(|(o, _)| o == id)
                .expect("an outcome")
                .1
                .clone()
        };
        assert_eq!(get("sum"), Ok(Value::Dec(Decimal::new(100, 0))));
        assert_eq!(get("add"), Ok(Value::Dec(Decimal::new(3, 1))));
        assert_eq!(get("mul_int"), Ok(Value::Dec(Decimal::new(3, 1))));
        assert_eq!(get("mul_dec"), Ok(Value::Dec(Decimal::new(1, 2))));
    }
}

// ================================================================== dates

/// Calendar arithmetic against a day-count reference.
mod dates {
    use super::*;
    use eligo::eval::dates::{add_days, add_months, days_between};
    use std::sync::OnceLock;

    /// Days since 1970-01-01 of a civil date (H. Hinnant's `days_from_civil`).
    fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
        let y = if m <= 2 { y - 1 } else { y };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let mp = (m + 9) % 12;
        let doy = (153 * mp + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The civil date of a day count (`civil_from_days`).
    fn civil_from_days(z: i64) -> (i64, i64, i64) {
        let z = z + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = doy - (153 * mp + 2) / 5 + 1;
        let m = if mp < 10 { mp + 3 } else { mp - 9 };
        (yoe + era * 400 + i64::from(m <= 2), m, d)
    }

    fn leap(y: i64) -> bool {
        (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
    }

    fn month_days(y: i64, m: i64) -> i64 {
        match m {
            2 if leap(y) => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        }
    }

    /// Years eligo's dates may have (docs/cli.md, limits).
    const YEARS: std::ops::RangeInclusive<i64> = 0..=9_999;

    fn to_date((y, m, d): (i64, i64, i64)) -> Option<NaiveDate> {
        if !YEARS.contains(&y) {
            return None;
        }
        NaiveDate::from_ymd_opt(y as i32, m as u32, d as u32)
    }

    fn civil(d: NaiveDate) -> (i64, i64, i64) {
        use chrono::Datelike;
        (
            i64::from(d.year()),
            i64::from(d.month()),
            i64::from(d.day()),
        )
    }

    /// `date + n months` by the rule: the same day of the target month, or its last day.
    fn ref_add_months((y, m, d): (i64, i64, i64), n: i64) -> (i64, i64, i64) {
        let total = y * 12 + (m - 1) + n;
        let (y2, m2) = (total.div_euclid(12), total.rem_euclid(12) + 1);
        (y2, m2, d.min(month_days(y2, m2)))
    }

    fn ref_add_days(date: (i64, i64, i64), n: i64) -> (i64, i64, i64) {
        civil_from_days(days_from_civil(date.0, date.1, date.2) + n)
    }

    /// Every day of 1996–2032 (nine leap years, and 2000, a leap century), every offset: days,
    /// months (clamping at month ends) and differences agree with the reference.
    #[test]
    fn every_day_of_37_years() {
        let day_offsets = [
            -10_000, -1_461, -400, -366, -365, -364, -61, -60, -59, -31, -30, -29, -28, -1, 0, 1,
            27, 28, 29, 30, 31, 59, 60, 61, 364, 365, 366, 1_461, 10_000,
        ];
        let first = days_from_civil(1996, 1, 1);
        let last = days_from_civil(2032, 12, 31);
        let epoch = date("1970-01-01");
        let mut checked = 0u64;
        for z in first..=last {
            let c = civil_from_days(z);
            let d = to_date(c).expect("a date");
            assert_eq!(civil(d), c);
            assert_eq!(days_between(epoch, d), z, "{d}");
            for &n in &day_offsets {
                let want = to_date(ref_add_days(c, n));
                assert_eq!(add_days(d, n), want, "{d} + {n} days");
                if let Some(w) = want {
                    assert_eq!(days_between(d, w), n, "{w} - {d}");
                }
                checked += 1;
            }
            for n in -27..=27 {
                assert_eq!(
                    add_months(d, n),
                    to_date(ref_add_months(c, n)),
                    "{d} + {n} months"
                );
                checked += 1;
            }
        }
        assert!(checked > 1_000_000);
    }

    /// The edges of the calendar: the first and last dates, and one day beyond.
    #[test]
    fn the_calendar_ends_where_the_limits_say() {
        let min = to_date((*YEARS.start(), 1, 1)).expect("the first date");
        let max = to_date((*YEARS.end(), 12, 31)).expect("the last date");
        assert_eq!(add_days(min, -1), None);
        assert_eq!(add_days(max, 1), None);
        assert_eq!(add_months(max, 1), None);
        assert_eq!(add_months(min, -1), None);
        assert_eq!(add_days(min, days_between(min, max)), Some(max));
        assert_eq!(add_days(max, i64::MIN), None);
        assert_eq!(add_months(max, i64::MAX), None);
    }

    const POLICY: &str = r#"facts "dates/1" {
  d: Date,
  e: Date,
  @signed
  n: Int = 0,
}
outcome "plus_days" = d + days(n)
outcome "minus_days" = d - days(n)
outcome "plus_months" = d + months(n)
outcome "minus_months" = d - months(n)
outcome "diff" = d - e
outcome "last_day" = last_day(month(d))
outcome "start" = start(trailing months(abs(n)) ending d)
outcome "within" = e within trailing days(abs(n)) ending d
"#;

    fn program() -> &'static Compiled {
        static P: OnceLock<Compiled> = OnceLock::new();
        P.get_or_init(|| compile_one(POLICY))
    }

    fn offset() -> impl Strategy<Value = i64> {
        prop_oneof![
            4 => -800i64..800,
            2 => -200_000i64..200_000,
            1 => prop::sample::select(vec![
                -100_000_000i64, 100_000_000, 95_000_000, -96_000_000, 3_000_000_000, i64::MAX,
                i64::MIN + 1,
            ]),
        ]
    }

    proptest! {
        #![proptest_config(config(300))]

        /// Through the language: dates ± days and months, differences, month ends, windows.
        #[test]
        fn the_language_agrees_with_the_reference(
            dz in days_from_civil(1900, 1, 1)..days_from_civil(2100, 12, 31),
            ez in days_from_civil(1900, 1, 1)..days_from_civil(2100, 12, 31),
            n in offset(),
        ) {
            let (dc, ec) = (civil_from_days(dz), civil_from_days(ez));
            let (d, e) = (to_date(dc).expect("d"), to_date(ec).expect("e"));
            let facts = format!("{{\"format\":\"dates/1\",\"d\":\"{d}\",\"e\":\"{e}\",\"n\":{n}}}");
            let got = eval_all(program(), &facts, date("2024-08-06"));
            let date_or_range = |c: Option<(i64, i64, i64)>| match c.and_then(to_date) {
                Some(x) => Ok(Value::Date(x)),
                None => Err("E0505"),
            };
            let neg = n.checked_neg();
            let abs = n.checked_abs();
            // Offsets too large for a day count are out of the calendar anyway.
            let days = |k: Option<i64>| k.filter(|k| k.abs() < 1 << 40).map(|k| ref_add_days(dc, k));
            let months = |k: Option<i64>| k.filter(|k| k.abs() < 1 << 40).map(|k| ref_add_months(dc, k));
            for (id, g) in &got {
                let want: Result<Value, &str> = match id.as_str() {
                    "plus_days" => date_or_range(days(Some(n))),
                    "minus_days" => date_or_range(days(neg)),
                    "plus_months" => date_or_range(months(Some(n))),
                    "minus_months" => date_or_range(months(neg)),
                    "diff" => Ok(Value::Days(dz - ez)),
                    "last_day" => Ok(Value::Date(to_date((dc.0, dc.1, month_days(dc.0, dc.1))).expect("a date"))),
                    "start" => match abs {
                        None => Err("E0501"),
                        Some(a) => date_or_range(months(Some(-a)).map(|s| ref_add_days(s, 1))),
                    },
                    "within" => match abs {
                        None => Err("E0501"),
                        Some(a) if a >= 1 << 40 => Err("E0505"),
                        Some(a) => {
                            let start = dz - a;
                            if start < days_from_civil(*YEARS.start(), 1, 1) {
                                Err("E0505")
                            } else {
                                Ok(Value::Bool(ez > start && ez <= dz))
                            }
                        }
                    },
                    other => panic!("unexpected outcome {other}"),
                };
                prop_assert_eq!(g, &want, "{} with d = {}, e = {}, n = {}", id, d, e, n);
            }
        }
    }
}

// ================================================================== regressions

/// Crashes and a hang found by the fuzzers, fixed and kept as tests.
mod regressions {
    use super::*;

    fn facts_error_of(fixture: &str) -> String {
        let text = std::fs::read_to_string(repo().join("tests/reliability").join(fixture))
            .expect("the fixture");
        let program = fuzz::stdlib();
        let e = load_facts(
            program.program().facts_view(),
            fixture,
            &text,
            LoadOptions::default(),
        )
        .expect_err("the facts are refused");
        render_plain(&[e], &program.program().sources)
    }

    /// `{"format":…,"as_of":"aaaaaaaaaaaaaaaaaaaaaaaé"}`: a string value of 25 bytes whose last
    /// character straddles byte 24, where eligo cuts the value short for the message.
    #[test]
    fn facts_string_cut_inside_a_character() {
        let message = facts_error_of("facts-string-cut-inside-a-character.json");
        assert!(message.contains("E0402"), "{message}");
    }

    /// A facts file of three bytes, `"é`: a truncated string ending in a multi-byte character.
    #[test]
    fn facts_truncated_inside_a_character() {
        let message = facts_error_of("facts-truncated-inside-a-character.json");
        assert!(message.contains("E0401"), "{message}");
    }

    /// Found by the `check` target as a 687-byte input that took 31 s: nested calls whose
    /// arguments read `x in f(…)` without the `: body` of a comprehension. The parser tried each
    /// argument as a comprehension first, failed at the missing `:` and parsed the argument again
    /// as a membership test, at every level, so the work doubled with each level. The fixture's
    /// parsing work is bounded in `tests/parse_work.rs` (in the parser's calls, not in time);
    /// here, its diagnostic.
    #[test]
    fn nested_membership_calls_are_refused_with_a_diagnostic() {
        common::eligo([
            "check",
            "tests/reliability/parse-nested-membership-calls.elg",
        ])
        .run()
        .refused(1, "E0201")
        .stderr_has("unknown name `x`");
    }

    /// The same two inputs through the command line: a diagnostic and exit status 1, not a
    /// panic (101).
    #[test]
    fn the_command_line_refuses_both_without_a_panic() {
        for fixture in [
            "facts-string-cut-inside-a-character.json",
            "facts-truncated-inside-a-character.json",
        ] {
            let path = format!("tests/reliability/{fixture}");
            common::eligo(["eval", "--facts", &path]).run().exits(1);
        }
    }
}

// ================================================================== growth

/// Work per step and value growth (issue 17, item 4): chains of rules that each hold the one
/// before two or three times (`[p, p]`, `map(x in [1, 2, 3]: p)`, `p + p` on texts), in random
/// order and up to 40 long. Whatever the chain, the evaluation ends: a value is built exactly
/// when the test's own count of its elements is within `MAX_BUILT_ELEMENTS`, and otherwise the
/// outcome is `E0506` (or `E0503`, the budget): never an exhausted memory or a hang. Run with
/// `PROPTEST_CASES=N` for more cases (docs/reliability.md, "Property tests").
mod growth {
    use super::*;

    /// `MAX_BUILT_ELEMENTS` and `MAX_TEXT_BYTES` (docs/reliability.md, "Limits and headroom").
    const CAP: u64 = 16_000_000;
    const TEXT_CAP: u64 = 16 * 1024 * 1024;

    #[derive(Debug, Clone, Copy)]
    enum Step {
        Pair,
        Triple,
    }

    fn program(steps: &[Step], texts: usize) -> (String, u64, u64) {
        let mut text = String::from("facts \"eligo.growth-test/1\" {}\nrule a0: [Int] = [1, 2]\n");
        let (mut ty, mut size) = ("[Int]".to_string(), 3u64);
        let mut largest = size;
        for (i, s) in steps.iter().enumerate() {
            let (i, prev) = (i + 1, i);
            ty = format!("[{ty}]");
            let body = match s {
                Step::Pair => {
                    size = 1 + 2 * size;
                    format!("[a{prev}, a{prev}]")
                }
                Step::Triple => {
                    size = 1 + 3 * size;
                    format!("map(x in [1, 2, 3]: a{prev})")
                }
            };
            largest = largest.max(size.min(u64::MAX / 4));
            size = size.min(u64::MAX / 4);
            text.push_str(&format!("rule a{i}: {ty} = {body}\n"));
        }
        text.push_str("rule t0: Text = \"abcdefgh\"\n");
        for i in 1..=texts {
            text.push_str(&format!("rule t{i}: Text = t{} + t{}\n", i - 1, i - 1));
        }
        let last = steps.len();
        text.push_str(&format!("outcome \"count\" = count(a{last})\n"));
        text.push_str(&format!(
            "outcome \"distinct\" = count(distinct([a{last}, a{last}]))\n"
        ));
        text.push_str(&format!("outcome \"text\" = t{texts} == \"x\"\n"));
        (text, largest, 8u64 << texts)
    }

    proptest! {
        #![proptest_config(config(60))]

        #[test]
        fn values_stay_within_their_caps(
            steps in prop::collection::vec(prop_oneof![Just(Step::Pair), Just(Step::Triple)], 1..40),
            texts in 0usize..40,
        ) {
            let (text, largest, text_bytes) = program(&steps, texts);
            let compiled = compile_one(&text);
            let got = eval_all(&compiled, "{\"format\": \"eligo.growth-test/1\"}", date("2024-08-06"));
            let cap = CAP;
            for (id, g) in &got {
                match id.as_str() {
                    "count" => {
                        if largest <= cap {
                            prop_assert!(matches!(g, Ok(Value::Int(_))), "{id}: {g:?} for {largest} elements\n{text}");
                        } else {
                            prop_assert_eq!(g, &Err("E0506"), "{} for {} elements", id, largest);
                        }
                    }
                    "distinct" => prop_assert!(
                        matches!(g, Ok(Value::Int(1)) | Err("E0506") | Err("E0503")),
                        "{id}: {g:?}"
                    ),
                    "text" => {
                        if text_bytes <= TEXT_CAP {
                            prop_assert_eq!(g, &Ok(Value::Bool(false)));
                        } else {
                            prop_assert_eq!(g, &Err("E0506"));
                        }
                    }
                    _ => {}
                }
            }
        }
    }
}

// ================================================================== type growth

/// Type growth (issue 17, item 3): chains of up to 40 links, in random order, that double a type
/// (`xs group by it` holds the element type twice) or wrap it (`map(x in xs: [x])`). Whatever the
/// chain, checking ends with one diagnostic of a few lines: the program checks exactly when the
/// test's own count of the type's nodes stays within `MAX_TYPE_NODES`, and evaluates to one group;
/// past it, one `E0326`, at the link that crossed it. Compared with a number, the chain is one
/// `E0303` whose message shows the type's first parts only. Never a type of 2^40 parts walked.
mod type_growth {
    use super::*;

    /// `eligo::model::ty::MAX_TYPE_NODES`.
    const LIMIT: u64 = 4096;

    #[derive(Debug, Clone, Copy)]
    enum Link {
        GroupBy,
        Wrap,
    }

    /// The chain's text and the nodes of its largest type (saturating).
    fn chain(links: &[Link]) -> (String, u64) {
        let (mut text, mut nodes) = ("[1]".to_string(), 2u64);
        for link in links {
            match link {
                // [T] to [{key: T, items: [T]}]: 1 + 1 + n(T) + 1 + n(T) nodes, n(T) = nodes - 1.
                Link::GroupBy => {
                    text = format!("({text} group by it)");
                    nodes = nodes.saturating_mul(2).saturating_add(1);
                }
                Link::Wrap => {
                    text = format!("map(x in {text}: [x])");
                    nodes = nodes.saturating_add(1);
                }
            }
        }
        (text, nodes)
    }

    fn check(text: &str) -> Result<Compiled, (Vec<String>, String)> {
        let loaded = LoadedSources {
            files: vec![("policy.elg".into(), "policy".into(), text.to_string())],
        };
        compile(loaded).map_err(|f| {
            let codes = f.errors.iter().map(|e| e.code().to_string()).collect();
            (codes, render_plain(&f.errors, &f.sources))
        })
    }

    proptest! {
        #![proptest_config(config(200))]

        #[test]
        fn types_stay_within_their_limit(
            links in prop::collection::vec(prop_oneof![Just(Link::GroupBy), Just(Link::Wrap)], 1..40),
        ) {
            let (text, nodes) = chain(&links);
            let policy = format!("facts \"types/1\" {{}}\noutcome \"groups\" = count({text})\n");
            match check(&policy) {
                Ok(compiled) if nodes <= LIMIT => {
                    let got = eval_all(&compiled, r#"{"format": "types/1"}"#, date("2024-08-06"));
                    prop_assert_eq!(&got[0].1, &Ok(Value::Int(1)));
                }
                Err((codes, shown)) if nodes > LIMIT => {
                    prop_assert_eq!(codes, vec!["E0326".to_string()], "{}", shown);
                    prop_assert!(shown.len() < 4096, "{} bytes", shown.len());
                }
                Ok(_) => prop_assert!(false, "{nodes} nodes accepted:\n{policy}"),
                Err((_, shown)) => prop_assert!(false, "{nodes} nodes refused:\n{shown}"),
            }
            let wrong = format!("facts \"types/1\" {{}}\noutcome \"wrong\" = {text} == 1\n");
            let Err((codes, shown)) = check(&wrong) else {
                return Err(TestCaseError::fail(format!("accepted:\n{wrong}")));
            };
            let want = if nodes > LIMIT { "E0326" } else { "E0303" };
            prop_assert_eq!(codes, vec![want.to_string()], "{}", shown);
            prop_assert!(shown.len() < 4096, "{} bytes", shown.len());
        }
    }
}

// ================================================================== limits

/// Every documented limit, enforced with its error; and the headroom the standard policies
/// leave below the limits on large partners.
mod limits {
    use super::*;
    use eligo::driver::run_on_big_stack;
    use eligo::facts::{DEFAULT_MAX_FACTS_BYTES, DEFAULT_MAX_LIST_LEN};
    use eligo::source::SourceId;
    use eligo::syntax::{parse_module, MAX_IDENT_LEN, MAX_NESTING, MAX_SOURCE_BYTES};

    fn parse_code(text: &str) -> Option<&'static str> {
        let text = text.to_string();
        run_on_big_stack(move || match parse_module(SourceId(0), &text) {
            Ok(_) => None,
            Err(es) => Some(es[0].code()),
        })
    }

    #[test]
    fn source_size() {
        let line = "# padding to the limit\n";
        let mut text = line.repeat(MAX_SOURCE_BYTES / line.len());
        text.push_str(&"#".repeat(MAX_SOURCE_BYTES - text.len()));
        assert_eq!(text.len(), MAX_SOURCE_BYTES);
        assert_eq!(
            parse_code(&text),
            None,
            "a file of exactly the limit is read"
        );
        text.push('\n');
        assert_eq!(parse_code(&text), Some("E0003"));
    }

    #[test]
    fn nesting() {
        let nested = |n: usize| format!("outcome \"deep\" = {}1{}", "(".repeat(n), ")".repeat(n));
        assert_eq!(parse_code(&nested(MAX_NESTING)), None);
        assert_eq!(parse_code(&nested(MAX_NESTING + 1)), Some("E0107"));
        // `if` and `let` nest too; an `else if` chain does not.
        let ifs = |n: usize| {
            format!(
                "outcome \"deep\" = {}1{}",
                "if true then ".repeat(n),
                " else 2".repeat(n)
            )
        };
        assert_eq!(parse_code(&ifs(MAX_NESTING)), None);
        assert_eq!(parse_code(&ifs(MAX_NESTING + 1)), Some("E0107"));
        let chain = format!(
            "outcome \"chain\" = {}3",
            "if false then 1 else ".repeat(2_000)
        );
        assert_eq!(parse_code(&chain), None);
        // Unbracketed operator chains are bounded by the checker (512 levels).
        let sum = format!("outcome \"sum\" = 1{}", " + 1".repeat(100_000));
        let errors = compile_err(&sum);
        assert_eq!(errors[0].code(), "E0107");
    }

    #[test]
    fn identifier_length() {
        let rule = |n: usize| format!("rule {}: Int = 1", "a".repeat(n));
        assert_eq!(parse_code(&rule(MAX_IDENT_LEN)), None);
        assert_eq!(parse_code(&rule(MAX_IDENT_LEN + 1)), Some("E0108"));
    }

    fn list_facts(n: usize) -> String {
        let mut s = String::from("{\"format\":\"lists/1\",\"xs\":[");
        for i in 0..n {
            if i > 0 {
                s.push(',');
            }
            s.push('1');
        }
        s.push_str("]}");
        s
    }

    fn list_program() -> Compiled {
        compile_one("facts \"lists/1\" { xs: [Int] }\noutcome \"n\" = count(xs)\n")
    }

    #[test]
    fn list_length_at_a_small_limit() {
        let program = list_program();
        let load = |n: usize| {
            let options = LoadOptions {
                max_list_len: 5,
                ..LoadOptions::default()
            };
            load_facts(
                program.program().facts_view(),
                "facts.json",
                &list_facts(n),
                options,
            )
            .map_err(|e| e.code())
        };
        assert!(load(4).is_ok());
        assert!(load(5).is_ok(), "a list of exactly the limit is read");
        assert_eq!(load(6).err(), Some("E0402"));
    }

    #[test]
    fn list_length_at_the_default_limit() {
        let program = list_program();
        let r = load_facts(
            program.program().facts_view(),
            "facts.json",
            &list_facts(DEFAULT_MAX_LIST_LEN + 1),
            LoadOptions::default(),
        );
        let e = r.expect_err("refused");
        assert_eq!(e.code(), "E0402");
        let message = render_plain(&[e], &program.program().sources);
        assert!(
            message.contains("list longer than the limit of 1000000"),
            "{message}"
        );
    }

    /// The facts size is checked by the command line from the file size: one byte over is
    /// refused without reading; a document of exactly the limit (padded with blanks) is read.
    #[test]
    fn facts_size() {
        let scratch = common::TempDir::new("limits");
        let dir = scratch.path();
        let doc = std::fs::read(repo().join("examples/contoso-isv.json")).expect("the example");
        let path = dir.join("exact.json");
        let mut bytes = doc.clone();
        bytes.resize(DEFAULT_MAX_FACTS_BYTES as usize, b' ');
        std::fs::write(&path, &bytes).expect("written");
        let shown = path.to_string_lossy().into_owned();
        common::eligo(["eval", "--format", "json", "--facts", &shown])
            .run()
            .exits(0);
        // One byte more, as a sparse file: refused from its size.
        let f = std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .expect("opened");
        f.set_len(DEFAULT_MAX_FACTS_BYTES + 1).expect("grown");
        let over = common::eligo(["eval", "--facts", &shown]).run();
        over.refused(1, "E0404").stderr_has("67108864");
    }

    /// Steps used by the standard policies on a partner: every outcome, in one evaluation.
    fn steps_of(facts: &str, max_steps: u64) -> Result<u64, &'static str> {
        let program = fuzz::stdlib();
        let facts = load_facts(
            program.program().facts_view(),
            "facts.json",
            facts,
            LoadOptions::default(),
        )
        .expect("the facts load");
        let limits = Limits {
            max_steps,
            ..Limits::default()
        };
        let fields = facts.fields().to_vec();
        run_on_big_stack(move || {
            let mut ev = Evaluation::new(program, &fields, date("2024-08-06"), limits);
            for i in 0..program.program().outcomes.len() {
                ev.outcome(i).map_err(|e| e.code())?;
            }
            Ok(ev.steps())
        })
    }

    /// The step budget is exact: an evaluation of S steps passes with a budget of S and fails
    /// with S - 1, in the library and through `eligo eval --max-steps`.
    #[test]
    fn step_budget() {
        let path = repo().join("examples/contoso-isv.json");
        let facts = std::fs::read_to_string(&path).expect("the example");
        let s = steps_of(&facts, Limits::default().max_steps).expect("evaluated");
        assert_eq!(steps_of(&facts, s), Ok(s));
        assert_eq!(steps_of(&facts, s - 1), Err("E0503"));
        let shown = path.to_string_lossy().into_owned();
        let run = |n: u64| {
            let steps = n.to_string();
            let args = [
                "eval",
                "--as-of",
                "2024-08-06",
                "--max-steps",
                &steps,
                "--facts",
                &shown,
            ];
            common::eligo(args).run()
        };
        run(s).exits(0);
        run(s - 1)
            .refused(1, "E0503")
            .stderr_has(&format!("more than {} steps", s - 1));
    }

    /// A chain of rules each reading the next: deeper than the depth limit is E0504, with a
    /// larger limit it evaluates.
    #[test]
    fn evaluation_depth() {
        let n = 1_500;
        let mut text = String::new();
        for i in 0..n {
            text.push_str(&format!("rule r{i}: Int = r{} + 1\n", i + 1));
        }
        text.push_str(&format!("rule r{n}: Int = 0\noutcome \"top\" = r0\n"));
        let program = compile_one(&text);
        let run = |max_depth: usize| {
            let program = &program;
            run_on_big_stack(move || {
                let limits = Limits {
                    max_depth,
                    ..Limits::default()
                };
                let mut ev = Evaluation::new(program, &[], date("2024-08-06"), limits);
                ev.outcome(0).map_err(|e| e.code())
            })
        };
        assert_eq!(run(Limits::default().max_depth), Err("E0504"));
        assert_eq!(run(100_000), Ok(Value::Int(n as i64)));
    }

    /// The smallest depth limit an evaluation passes with (a binary search over `max_depth`).
    fn depth_of(facts: &str) -> usize {
        let program = fuzz::stdlib();
        let facts = load_facts(
            program.program().facts_view(),
            "facts.json",
            facts,
            LoadOptions::default(),
        )
        .expect("the facts load");
        let fields = facts.fields().to_vec();
        let passes = |max_depth: usize| {
            let fields = &fields;
            run_on_big_stack(move || {
                let limits = Limits {
                    max_depth,
                    ..Limits::default()
                };
                let mut ev = Evaluation::new(program, fields, date("2024-08-06"), limits);
                (0..program.program().outcomes.len()).all(|i| ev.outcome(i).is_ok())
            })
        };
        let (mut lo, mut hi) = (1, Limits::default().max_depth);
        assert!(passes(hi), "the default depth limit is reached");
        while lo < hi {
            let mid = (lo + hi) / 2;
            if passes(mid) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        lo
    }

    /// Measures the standard policies against the limits on generated partners of growing size
    /// and prints the figures docs/reliability.md quotes; fails if a realistic partner comes
    /// within a factor of 10 of the step budget or within a factor of 4 of the depth limit.
    #[test]
    fn headroom_of_the_standard_policies() {
        let sizes = [(0usize, 0usize), (200, 40), (2_000, 400), (20_000, 2_000)];
        eprintln!("| transactions | people | facts bytes | steps | depth |");
        for (i, &(tx, people)) in sizes.iter().enumerate() {
            let mut g = eligo_generate::Generator::new(7);
            let facts = if tx == 0 {
                g.partner()
            } else {
                g.partner_with(tx, people)
            };
            let steps = steps_of(&facts, Limits::default().max_steps).expect("evaluated");
            let depth = depth_of(&facts);
            eprintln!("| {tx} | {people} | {} | {steps} | {depth} |", facts.len());
            if i <= 1 {
                assert!(steps * 10 < Limits::default().max_steps, "{steps} steps");
                assert!(depth * 4 < Limits::default().max_depth, "depth {depth}");
                assert!((facts.len() as u64) * 100 < DEFAULT_MAX_FACTS_BYTES);
            }
        }
    }
    /// The largest partner the facts size limit lets through: as many transactions as fit in
    /// 64 MiB. Slow in a debug build (about a minute); run it with
    /// `cargo test --release -p eligo-cli --test properties -- --ignored largest`.
    #[test]
    #[ignore = "slow: generates and evaluates a 64 MiB partner"]
    fn headroom_of_the_largest_partner_the_size_limit_lets_through() {
        let facts = eligo_generate::Generator::new(7).partner_with(700_000, 2_000);
        assert!(
            (facts.len() as u64) < DEFAULT_MAX_FACTS_BYTES,
            "{} bytes",
            facts.len()
        );
        let steps = steps_of(&facts, Limits::default().max_steps).expect("evaluated");
        let depth = depth_of(&facts);
        eprintln!("| 700000 | 2000 | {} | {steps} | {depth} |", facts.len());
        assert!(steps < Limits::default().max_steps);
    }
}

// ================================================================== fuzz replay

/// The fuzz targets, run by `cargo test`: over their seed corpus, and over a fixed stream of
/// pseudo-random inputs (the structure-aware targets turn any bytes into a program).
mod fuzz_replay {
    use super::*;

    fn corpus(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
        let dir = repo().join("lang/fuzz/corpus").join(target);
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .expect("the seed corpus")
            .map(|e| e.expect("an entry").path())
            .collect();
        files.sort();
        assert!(
            files.len() >= 20,
            "{} seeds in {}",
            files.len(),
            dir.display()
        );
        files
            .into_iter()
            .map(|p| {
                let bytes = std::fs::read(&p).expect("a seed");
                (p, bytes)
            })
            .collect()
    }

    fn replay(target: &str, run: fn(&[u8])) {
        for (path, bytes) in corpus(target) {
            eprintln!("{}", path.display());
            run(&bytes);
        }
    }

    /// A fixed stream of bytes (a linear congruential generator).
    fn stream(seed: u64, n: usize, len: usize) -> Vec<Vec<u8>> {
        let mut state = seed;
        (0..n)
            .map(|i| {
                (0..(len * (1 + i % 4)) / 4)
                    .map(|_| {
                        state = state
                            .wrapping_mul(6_364_136_223_846_793_005)
                            .wrapping_add(1_442_695_040_888_963_407);
                        (state >> 33) as u8
                    })
                    .collect()
            })
            .collect()
    }

    #[test]
    fn parse_seeds() {
        replay("parse", fuzz::parse);
    }

    #[test]
    fn check_seeds() {
        replay("check", fuzz::check);
    }

    #[test]
    fn eval_seeds() {
        replay("eval", fuzz::eval);
    }

    #[test]
    fn facts_seeds() {
        replay("facts", fuzz::facts);
    }

    #[test]
    fn check_on_a_stream() {
        for bytes in stream(1, 300, 1_600) {
            fuzz::check(&bytes);
        }
    }

    #[test]
    fn eval_on_a_stream() {
        for bytes in stream(2, 300, 800) {
            fuzz::eval(&bytes);
        }
    }

    /// The standard policies' own example facts and generated partners load and evaluate.
    #[test]
    fn facts_of_generated_partners() {
        let mut g = eligo_generate::Generator::new(11);
        for _ in 0..20 {
            fuzz::facts(g.partner().as_bytes());
        }
    }
}

// ================================================================== formatter

/// The formatter on grammar-shaped programs (the `check` fuzz target's generator): formatting
/// keeps the syntax tree (`parse(fmt(p)) == parse(p)` up to spans) and every comment, and
/// formatting twice changes nothing.
mod formatter {
    use super::*;
    use arbitrary::{Arbitrary, Unstructured};
    use eligo::format::{comments, format_source, same_syntax};
    use eligo::source::SourceId;
    use eligo::syntax::parse_module;

    proptest! {
        #![proptest_config(config(200))]

        #[test]
        fn formatting_keeps_the_tree_and_is_idempotent(bytes in prop::collection::vec(any::<u8>(), 0..1024)) {
            let mut u = Unstructured::new(&bytes);
            let Ok(set) = fuzz::grammar::PolicySet::arbitrary(&mut u) else { return Ok(()) };
            let files = set.files();
            // Parsing and formatting hostile nesting needs the big stack the CLI runs on.
            let verdict = eligo::driver::run_on_big_stack(move || -> Result<(), String> {
                for (_, _, text) in files {
                    let Ok(before) = parse_module(SourceId(0), &text) else { continue };
                    let once = format_source(&text).map_err(|_| format!("does not format:\n{text}"))?;
                    let after = parse_module(SourceId(0), &once)
                        .map_err(|_| format!("formatted text does not parse:\n{once}"))?;
                    if !same_syntax(&before, &after) {
                        return Err(format!("the tree changed:\n{text}\n---\n{once}"));
                    }
                    if comments(&text) != comments(&once) {
                        return Err(format!("comments changed:\n{text}\n---\n{once}"));
                    }
                    let twice = format_source(&once).map_err(|_| "the second format fails".to_string())?;
                    if once != twice {
                        return Err(format!("not idempotent:\n{once}\n---\n{twice}"));
                    }
                }
                Ok(())
            });
            prop_assert!(verdict.is_ok(), "{}", verdict.err().unwrap_or_default());
        }
    }
}
