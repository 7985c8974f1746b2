//! Well-typed programs and matching facts for the `eval` target, built from fuzzer bytes.
//!
//! The generator knows each expression's type as it writes it, and writes only what the language
//! reference (docs/language.md) says is well typed: a program it writes that eligo refuses is a
//! bug, in the generator or in the checker. Rules come in order and read only earlier rules, so
//! there are no cycles; some take enum or boolean parameters (memoized per argument), some an
//! `Int` (computed at each call).

use arbitrary::Unstructured;
use std::fmt::Write as _;

/// A type of the generated language subset.
#[derive(Clone, Debug, PartialEq)]
pub enum T {
    /// `Int`
    Int,
    /// `Decimal`
    Dec,
    /// `Money`
    Money,
    /// `Percent`
    Pct,
    /// `Bool`
    Bool,
    /// `Date`
    Date,
    /// `Days`
    Days,
    /// `Months`
    Months,
    /// `Month`
    Month,
    /// `Text`
    Text,
    /// the enum `Area`
    Area,
    /// the record `Tx`
    Tx,
    /// `Score`
    Score,
    /// `[T]`
    List(Box<T>),
    /// `T?`
    Opt(Box<T>),
}

impl T {
    fn list(t: T) -> T {
        T::List(Box::new(t))
    }

    fn opt(t: T) -> T {
        match t {
            T::Opt(_) => t,
            t => T::Opt(Box::new(t)),
        }
    }

    /// The type as eligo spells it.
    pub fn name(&self) -> String {
        match self {
            T::Int => "Int".into(),
            T::Dec => "Decimal".into(),
            T::Money => "Money".into(),
            T::Pct => "Percent".into(),
            T::Bool => "Bool".into(),
            T::Date => "Date".into(),
            T::Days => "Days".into(),
            T::Months => "Months".into(),
            T::Month => "Month".into(),
            T::Text => "Text".into(),
            T::Area => "Area".into(),
            T::Tx => "Tx".into(),
            T::Score => "Score".into(),
            T::List(t) => format!("[{}]", t.name()),
            T::Opt(t) => format!("{}?", t.name()),
        }
    }

    fn ordered(&self) -> bool {
        matches!(
            self,
            T::Int
                | T::Dec
                | T::Money
                | T::Pct
                | T::Date
                | T::Days
                | T::Months
                | T::Month
                | T::Text
        )
    }
}

/// The declarations every generated program starts with: the facts, an enum, a record type and
/// two tables.
pub const PRELUDE: &str = r#"enum Area { red, green, blue }

type Tx = { date: Date, amount: Money, customer: Text, area: Area, net_new: Bool = false }

facts "fuzz.eval/1" identified by partner.id {
  partner: { id: Text },
  @signed
  n: Int = 0,
  @signed
  k: Int = 0,
  @signed
  ratio: Decimal = 0,
  flag: Bool = false,
  since: Date?,
  label: Text = "",
  txs: [Tx],
  @signed
  counts: [Int],
  areas: [Area],
}

table rate(area: Area, pct: Percent, fee: Money) key area = [
  (red, 10%, USD 5),
  (green, 2.5%, USD 7.25),
  (blue, 0%, USD 0),
]

table bonus(code: Text, amount: Money) key code = [("c1", USD 10), ("c2", USD 20.5)]
"#;

/// A generated program: its text and the type of each outcome, in the order of their ids.
#[derive(Debug, Clone)]
pub struct Generated {
    /// The policy text (one file).
    pub text: String,
    /// Each outcome's id and type.
    pub outcomes: Vec<(String, T)>,
}

struct RuleSig {
    name: String,
    params: Vec<T>,
    ty: T,
}

/// Writes programs from bytes.
pub struct Gen<'a, 'b> {
    u: &'a mut Unstructured<'b>,
    rules: Vec<RuleSig>,
    scope: Vec<(String, T)>,
    fresh: usize,
}

/// Types a rule or an outcome may have.
const RESULT_TYPES: &[T] = &[
    T::Int,
    T::Dec,
    T::Money,
    T::Pct,
    T::Bool,
    T::Date,
    T::Days,
    T::Months,
    T::Month,
    T::Text,
    T::Area,
    T::Score,
    T::Tx,
];

impl<'a, 'b> Gen<'a, 'b> {
    /// A generator reading from `u`.
    pub fn new(u: &'a mut Unstructured<'b>) -> Self {
        Gen {
            u,
            rules: Vec::new(),
            scope: Vec::new(),
            fresh: 0,
        }
    }

    fn pick(&mut self, n: usize) -> usize {
        if n <= 1 {
            return 0;
        }
        self.u.choose_index(n).unwrap_or(0)
    }

    fn chance(&mut self, one_in: usize) -> bool {
        self.pick(one_in) == 0
    }

    fn small(&mut self, n: usize) -> usize {
        self.pick(n + 1)
    }

    fn simple_type(&mut self) -> T {
        let t = RESULT_TYPES[self.pick(RESULT_TYPES.len())].clone();
        match self.pick(6) {
            0 => T::list(t),
            1 if t != T::Score => T::opt(t),
            _ => t,
        }
    }

    fn var(&mut self) -> String {
        self.fresh += 1;
        format!("v{}", self.fresh)
    }

    /// A whole program: rules, then outcomes.
    pub fn program(&mut self) -> Generated {
        let mut text = String::from(PRELUDE);
        let mut outcomes = Vec::new();
        let n_rules = 1 + self.small(7);
        for i in 0..n_rules {
            let ty = self.simple_type();
            let params: Vec<T> = match self.pick(5) {
                0 => vec![T::Area],
                1 => vec![T::Area, T::Bool],
                2 => vec![T::Int],
                3 => vec![T::Tx],
                _ => vec![],
            };
            let name = format!("r{i}");
            let mut head = format!("rule {name}");
            if !params.is_empty() {
                head.push('(');
                for (j, p) in params.iter().enumerate() {
                    if j > 0 {
                        head.push_str(", ");
                    }
                    let _ = write!(head, "p{j}: {}", p.name());
                    self.scope.push((format!("p{j}"), p.clone()));
                }
                head.push(')');
            }
            let depth = 2 + self.small(3) as u32;
            let body = self.expr(&ty, depth);
            self.scope.clear();
            let _ = writeln!(text, "{head}: {} = {body}", ty.name());
            if params.is_empty() {
                outcomes.push((name.clone(), ty.clone()));
                let _ = writeln!(text, "outcome \"{name}\" = {name}");
            }
            self.rules.push(RuleSig { name, params, ty });
        }
        let n_outcomes = 1 + self.small(4);
        for i in 0..n_outcomes {
            let ty = self.simple_type();
            if self.chance(4) {
                // One outcome per variant.
                self.scope.push(("a".into(), T::Area));
                let body = self.expr(&ty, 3);
                self.scope.clear();
                let _ = writeln!(text, "outcome \"o{i}.{{a}}\" for a in Area = {body}");
                for v in ["blue", "green", "red"] {
                    outcomes.push((format!("o{i}.{v}"), ty.clone()));
                }
            } else {
                let body = self.expr(&ty, 3);
                let _ = writeln!(text, "outcome \"o{i}\" = {body}");
                outcomes.push((format!("o{i}"), ty));
            }
        }
        outcomes.sort_by(|a, b| a.0.cmp(&b.0));
        Generated { text, outcomes }
    }

    fn local(&mut self, t: &T) -> Option<String> {
        let names: Vec<String> = self
            .scope
            .iter()
            .enumerate()
            .filter(|(i, (n, ty))| {
                ty == t
                    // An outer `it` is hidden by an inner one.
                    && !(n == "it" && self.scope[i + 1..].iter().any(|(m, _)| m == "it"))
            })
            .map(|(_, (n, _))| n.clone())
            .collect();
        if names.is_empty() {
            None
        } else {
            let i = self.pick(names.len());
            Some(names[i].clone())
        }
    }

    fn with_local<R>(&mut self, name: &str, t: T, f: impl FnOnce(&mut Self) -> R) -> R {
        self.scope.push((name.to_string(), t));
        let r = f(self);
        self.scope.pop();
        r
    }

    /// An expression of type `t`, at most `depth` levels deep. Compound expressions are
    /// parenthesized, so the text means what the generator meant whatever the precedence.
    pub fn expr(&mut self, t: &T, depth: u32) -> String {
        if depth == 0 || self.u.is_empty() {
            return self.leaf(t);
        }
        let d = depth - 1;
        // Productions that fit any type (one time in four).
        match self.pick(20) {
            0 => {
                let c = self.expr(&T::Bool, d);
                let a = self.expr(t, d);
                let b = self.expr(t, d);
                return format!("(if {c} then {a} else {b})");
            }
            1 => {
                let s = self.simple_type();
                let v = self.var();
                let value = self.expr(&s, d);
                let body = self.with_local(&v, s, |g| g.expr(t, d));
                return format!("(let {v} = {value}; {body})");
            }
            2 => {
                let rules: Vec<usize> = (0..self.rules.len())
                    .filter(|&i| &self.rules[i].ty == t)
                    .collect();
                if !rules.is_empty() {
                    let r = rules[self.pick(rules.len())];
                    let params = self.rules[r].params.clone();
                    let name = self.rules[r].name.clone();
                    if params.is_empty() {
                        return name;
                    }
                    let args: Vec<String> = params.iter().map(|p| self.expr(p, d)).collect();
                    return format!("{name}({})", args.join(", "));
                }
            }
            3 if !matches!(t, T::Opt(_)) => {
                let o = self.expr(&T::opt(t.clone()), d);
                let x = self.expr(t, d);
                return format!("({o} otherwise {x})");
            }
            4 => {
                let inner = match self.simple_type() {
                    T::Opt(inner) => *inner,
                    inner => inner,
                };
                let o = self.expr(&T::opt(inner.clone()), d);
                let v = self.var();
                let a = self.with_local(&v, inner, |g| g.expr(t, d));
                let b = self.expr(t, d);
                return format!("(if {o} is some {v} then {a} else {b})");
            }
            _ => {}
        }
        self.specific(t, d)
    }

    fn list_of_any(&mut self, d: u32) -> (T, String) {
        let t = match self.simple_type() {
            T::List(t) | T::Opt(t) => *t,
            t => t,
        };
        let l = self.expr(&T::list(t.clone()), d);
        (t, l)
    }

    /// `x in LIST: BODY` with a fresh `x` bound to the elements.
    fn comprehension(&mut self, elem: &T, list: String, body: &T, d: u32) -> String {
        let v = self.var();
        let b = self.with_local(&v, elem.clone(), |g| g.expr(body, d));
        format!("{v} in {list}: {b}")
    }

    fn window(&mut self, d: u32) -> String {
        match self.pick(3) {
            0 => {
                let n = self.expr(&T::Months, d);
                format!("trailing {n}")
            }
            1 => {
                let n = self.expr(&T::Days, d);
                let e = self.expr(&T::Date, d);
                format!("trailing {n} ending {e}")
            }
            _ => {
                let a = self.expr(&T::Date, d);
                let b = self.expr(&T::Date, d);
                format!("between {a} and {b}")
            }
        }
    }

    fn specific(&mut self, t: &T, d: u32) -> String {
        let e = |g: &mut Self, t: &T| g.expr(t, d);
        match t {
            T::Int => match self.pick(14) {
                0 => format!("({} + {})", e(self, &T::Int), e(self, &T::Int)),
                1 => format!("({} - {})", e(self, &T::Int), e(self, &T::Int)),
                2 => format!("({} * {})", e(self, &T::Int), e(self, &T::Int)),
                3 => format!("(-{})", e(self, &T::Int)),
                4 => {
                    let (_, l) = self.list_of_any(d);
                    format!("count({l})")
                }
                5 => {
                    let (elem, l) = self.list_of_any(d);
                    format!("count({})", self.comprehension(&elem, l, &T::Bool, d))
                }
                6 => format!("sum({})", e(self, &T::list(T::Int))),
                7 => {
                    let (elem, l) = self.list_of_any(d);
                    format!("sum({})", self.comprehension(&elem, l, &T::Int, d))
                }
                8 => format!("abs({})", e(self, &T::Int)),
                9 => format!("year({})", e(self, &T::Date)),
                10 => format!("length({})", e(self, &T::Text)),
                11 => format!("max({}, {})", e(self, &T::Int), e(self, &T::Int)),
                12 => format!("count({} group by it.area)", e(self, &T::list(T::Tx))),
                _ => format!(
                    "count({})",
                    self.comprehension(&T::Area, "Area".into(), &T::Bool, d)
                ),
            },
            T::Dec => match self.pick(11) {
                0 => format!("({} / {})", e(self, &T::Int), e(self, &T::Int)),
                1 => format!("({} + {})", e(self, &T::Dec), e(self, &T::Dec)),
                2 => format!("({} * {})", e(self, &T::Dec), e(self, &T::Int)),
                3 => format!("({} / {})", e(self, &T::Dec), e(self, &T::Dec)),
                4 => format!("({} / {})", e(self, &T::Money), e(self, &T::Money)),
                5 => format!("({} / {})", e(self, &T::Pct), e(self, &T::Pct)),
                6 => format!("(mean({}) otherwise 0.5)", e(self, &T::list(T::Int))),
                7 => format!("round({}, {})", e(self, &T::Dec), self.small(30)),
                8 => format!("({}).total", e(self, &T::Score)),
                9 => {
                    let q = e(self, &T::Int);
                    let r = e(self, &T::Dec);
                    let c = e(self, &T::Int);
                    format!("points({q}, {r} each, max {c})")
                }
                _ => {
                    let q = e(self, &T::Money);
                    let r = e(self, &T::Int);
                    let s = e(self, &T::Money);
                    let c = e(self, &T::Dec);
                    let whole = if self.chance(2) { ", whole" } else { "" };
                    format!("points({q}, {r} per {s}, max {c}{whole})")
                }
            },
            T::Money => match self.pick(12) {
                0 => format!("({} + {})", e(self, &T::Money), e(self, &T::Money)),
                1 => format!("({} - {})", e(self, &T::Money), e(self, &T::Money)),
                2 => format!("({} * {})", e(self, &T::Money), e(self, &T::Int)),
                3 => format!("({} * {})", e(self, &T::Dec), e(self, &T::Money)),
                4 => format!("({} / {})", e(self, &T::Money), e(self, &T::Int)),
                5 => format!("sum({})", e(self, &T::list(T::Money))),
                6 => {
                    let (elem, l) = self.list_of_any(d);
                    format!("sum({})", self.comprehension(&elem, l, &T::Money, d))
                }
                7 => format!("round({}, {})", e(self, &T::Money), self.small(4)),
                8 => format!("floor({})", e(self, &T::Money)),
                9 => format!("rate[{}].fee", e(self, &T::Area)),
                10 => format!("({}).amount", e(self, &T::Tx)),
                _ => format!("(-{})", e(self, &T::Money)),
            },
            T::Pct => match self.pick(4) {
                0 => format!("({} + {})", e(self, &T::Pct), e(self, &T::Pct)),
                1 => format!("({} * {})", e(self, &T::Pct), e(self, &T::Int)),
                2 => format!("rate[{}].pct", e(self, &T::Area)),
                _ => format!("sum({})", e(self, &T::list(T::Pct))),
            },
            T::Bool => match self.pick(16) {
                0 => format!("({} and {})", e(self, &T::Bool), e(self, &T::Bool)),
                1 => format!("({} or {})", e(self, &T::Bool), e(self, &T::Bool)),
                2 => format!("(not {})", e(self, &T::Bool)),
                3 | 4 => {
                    let ordered = [
                        T::Int,
                        T::Dec,
                        T::Money,
                        T::Pct,
                        T::Date,
                        T::Days,
                        T::Month,
                        T::Text,
                    ];
                    let ct = ordered[self.pick(ordered.len())].clone();
                    let op = ["<", "<=", ">", ">=", "==", "!="][self.pick(6)];
                    format!("({} {op} {})", e(self, &ct), e(self, &ct))
                }
                5 => {
                    let ct = self.simple_type();
                    let op = ["==", "!="][self.pick(2)];
                    format!("({} {op} {})", e(self, &ct), e(self, &ct))
                }
                6 => {
                    let kind = match self.pick(3) {
                        0 => "any".to_string(),
                        1 => "all".to_string(),
                        _ => String::new(),
                    };
                    let n = 1 + self.small(3);
                    let items: Vec<String> = (0..n)
                        .map(|i| format!("\"c{i}\": {}", e(self, &T::Bool)))
                        .collect();
                    let kind = if kind.is_empty() {
                        format!("at least {} of", self.small(n))
                    } else {
                        kind
                    };
                    format!("{kind} {{ {} }}", items.join(", "))
                }
                7 => {
                    let (elem, l) = self.list_of_any(d);
                    let x = e(self, &elem);
                    format!("({x} in {l})")
                }
                8 => {
                    let day = e(self, &T::Date);
                    let w = self.window(d);
                    format!("({day} within {w})")
                }
                9 => {
                    let o = self.simple_type();
                    let o = e(self, &T::opt(o));
                    format!("({o} is none)")
                }
                10 => {
                    let (elem, l) = self.list_of_any(d);
                    let f = ["any", "all"][self.pick(2)];
                    format!("{f}({})", self.comprehension(&elem, l, &T::Bool, d))
                }
                11 => format!("any({})", e(self, &T::list(T::Bool))),
                12 => format!("({}).net_new", e(self, &T::Tx)),
                13 => format!("({}).every_metric_above_zero", e(self, &T::Score)),
                14 => format!("({} == {})", e(self, &T::Area), e(self, &T::Area)),
                _ => {
                    let o = self.simple_type();
                    let o = e(self, &T::opt(o));
                    format!("({o} is some)")
                }
            },
            T::Date => match self.pick(9) {
                0 => format!("({} + {})", e(self, &T::Date), e(self, &T::Days)),
                1 => format!("({} - {})", e(self, &T::Date), e(self, &T::Days)),
                2 => format!("({} + {})", e(self, &T::Date), e(self, &T::Months)),
                3 => format!("({} - {})", e(self, &T::Date), e(self, &T::Months)),
                4 => format!("first_day({})", e(self, &T::Month)),
                5 => format!("last_day({})", e(self, &T::Month)),
                6 => {
                    let a = e(self, &T::Date);
                    let b = e(self, &T::Date);
                    format!("anniversary({a}, {b}, {})", self.small(3))
                }
                7 => {
                    let f = ["start", "end"][self.pick(2)];
                    format!("{f}({})", self.window(d))
                }
                _ => format!("({}).date", e(self, &T::Tx)),
            },
            T::Days => match self.pick(5) {
                0 => format!("({} - {})", e(self, &T::Date), e(self, &T::Date)),
                1 => format!("({} + {})", e(self, &T::Days), e(self, &T::Days)),
                2 => format!("({} * {})", e(self, &T::Int), e(self, &T::Days)),
                3 => format!("days({})", e(self, &T::Int)),
                _ => format!("sum({})", e(self, &T::list(T::Days))),
            },
            T::Months => match self.pick(4) {
                0 => format!("({} + {})", e(self, &T::Months), e(self, &T::Months)),
                1 => format!("({} - {})", e(self, &T::Month), e(self, &T::Month)),
                2 => format!("months({})", e(self, &T::Int)),
                _ => format!("years({})", e(self, &T::Int)),
            },
            T::Month => match self.pick(3) {
                0 => format!("month({})", e(self, &T::Date)),
                1 => format!("({} + {})", e(self, &T::Month), e(self, &T::Months)),
                _ => format!("({} - {})", e(self, &T::Month), e(self, &T::Months)),
            },
            T::Text => match self.pick(3) {
                0 => format!("text({})", e(self, &T::Area)),
                1 => format!("({}).customer", e(self, &T::Tx)),
                _ => format!("(first({}) otherwise \"none\")", e(self, &T::list(T::Text))),
            },
            T::Area => match self.pick(2) {
                0 => format!("({}).area", e(self, &T::Tx)),
                _ => format!("(last({}) otherwise Area.blue)", e(self, &T::list(T::Area))),
            },
            T::Tx => match self.pick(2) {
                0 => {
                    let l = e(self, &T::list(T::Tx));
                    let x = self.leaf(&T::Tx);
                    format!("(first({l}) otherwise {x})")
                }
                _ => self.leaf(&T::Tx),
            },
            T::Score => {
                let n = self.small(3);
                let max = ["100", "50", "12.5", "0"][self.pick(4)];
                let items: Vec<String> = (0..n)
                    .map(|i| {
                        let m = match self.pick(3) {
                            0 => e(self, &T::Int),
                            1 => e(self, &T::Dec),
                            _ => {
                                let q = e(self, &T::Int);
                                let c = e(self, &T::Int);
                                format!("points({q}, 10 each, max {c})")
                            }
                        };
                        format!("\"m{i}\": {m}")
                    })
                    .collect();
                format!("score max {max} {{ {} }}", items.join(", "))
            }
            T::List(elem) => self.list(elem, d),
            T::Opt(inner) => self.optional(inner, d),
        }
    }

    fn list(&mut self, elem: &T, d: u32) -> String {
        let e = |g: &mut Self, t: &T| g.expr(t, d);
        match self.pick(8) {
            0 => {
                let l = e(self, &T::list(elem.clone()));
                let c = self.with_local("it", elem.clone(), |g| g.expr(&T::Bool, d));
                format!("({l} where {c})")
            }
            1 if elem.ordered() || *elem == T::Bool || *elem == T::Area => {
                format!("sort({})", e(self, &T::list(elem.clone())))
            }
            2 => format!("distinct({})", e(self, &T::list(elem.clone()))),
            3 => {
                let field = match elem {
                    T::Money => Some("amount"),
                    T::Date => Some("date"),
                    T::Text => Some("customer"),
                    T::Area => Some("area"),
                    T::Bool => Some("net_new"),
                    _ => None,
                };
                match field {
                    Some(f) => format!("({}).{f}", e(self, &T::list(T::Tx))),
                    None => self.leaf(&T::list(elem.clone())),
                }
            }
            4 if *elem == T::Text || *elem == T::Area => {
                let f = if *elem == T::Text { "customer" } else { "area" };
                format!("({} group by it.{f}).key", e(self, &T::list(T::Tx)))
            }
            5 if *elem == T::Month => format!("months_in({})", self.window(d)),
            6 if *elem == T::Tx => {
                let g = e(self, &T::list(T::Tx));
                format!("(first(({g} group by it.customer).items) otherwise txs)")
            }
            _ => self.leaf(&T::list(elem.clone())),
        }
    }

    fn optional(&mut self, inner: &T, d: u32) -> String {
        let e = |g: &mut Self, t: &T| g.expr(t, d);
        match self.pick(6) {
            0 => format!("first({})", e(self, &T::list(inner.clone()))),
            1 => format!("last({})", e(self, &T::list(inner.clone()))),
            2 if inner.ordered() => {
                let f = ["min", "max"][self.pick(2)];
                format!("{f}({})", e(self, &T::list(inner.clone())))
            }
            3 if *inner == T::Money => format!("bonus[{}].amount", e(self, &T::Text)),
            4 if *inner == T::Dec => format!("mean({})", e(self, &T::list(T::Int))),
            _ => {
                let c = e(self, &T::Bool);
                let x = e(self, inner);
                format!("(if {c} then {x} else none)")
            }
        }
    }

    /// A leaf of type `t`: a literal, a fact or a local.
    fn leaf(&mut self, t: &T) -> String {
        if self.chance(2) {
            if let Some(v) = self.local(t) {
                return v;
            }
        }
        match t {
            T::Int => match self.pick(8) {
                0 => "n".into(),
                1 => "k".into(),
                2 => "9_223_372_036_854_775_807".into(),
                3 => "(-3)".into(),
                4 => "0".into(),
                5 => "1_000_000".into(),
                _ => format!("{}", self.small(12)),
            },
            T::Dec => match self.pick(5) {
                0 => "ratio".into(),
                1 => "0.1".into(),
                2 => "2.5".into(),
                3 => "0.0000000000000000000000000001".into(),
                _ => "79_228_162_514_264.337593543950335".into(),
            },
            T::Money => match self.pick(5) {
                0 => "USD 0".into(),
                1 => "USD 0.10".into(),
                2 => "USD 1_250".into(),
                3 => "USD 79_228_162_514_264_337_593_543_950_335".into(),
                _ => format!("USD {}.{:02}", self.small(10_000), self.small(99)),
            },
            T::Pct => ["12.5%", "0%", "100%", "33.3%"][self.pick(4)].into(),
            T::Bool => ["flag", "true", "false"][self.pick(3)].into(),
            T::Date => match self.pick(6) {
                0 => "as_of".into(),
                1 => "2024-02-29".into(),
                2 => "2023-01-31".into(),
                3 => "9999-12-31".into(),
                4 => "(since otherwise as_of)".into(),
                _ => format!("2024-{:02}-{:02}", 1 + self.small(11), 1 + self.small(27)),
            },
            T::Days => ["30 days", "1 day", "0 days", "365 days"][self.pick(4)].into(),
            T::Months => ["12 months", "1 month", "1 year", "0 months"][self.pick(4)].into(),
            T::Month => ["2024-02", "2023-12", "2024-08"][self.pick(3)].into(),
            T::Text => ["partner.id", "label", "\"c1\"", "\"\""][self.pick(4)].into(),
            T::Area => ["Area.red", "Area.green", "Area.blue"][self.pick(3)].into(),
            T::Tx => {
                let amount = self.leaf(&T::Money);
                let area = self.leaf(&T::Area);
                format!(
                    "{{date: 2024-03-01, amount: {amount}, customer: \"c2\", area: {area}, net_new: {}}}",
                    self.chance(2)
                )
            }
            T::Score => "score max 10 { \"one\": 1 }".into(),
            T::List(elem) => match (&**elem, self.pick(3)) {
                (T::Tx, 0 | 1) => "txs".into(),
                (T::Int, 0) => "counts".into(),
                (T::Area, 0) => "areas".into(),
                (elem, _) => {
                    let n = 1 + self.small(2);
                    let xs: Vec<String> = (0..n).map(|_| self.leaf(elem)).collect();
                    format!("[{}]", xs.join(", "))
                }
            },
            T::Opt(inner) => match &**inner {
                T::Date if self.chance(2) => "since".into(),
                inner => {
                    let x = self.leaf(inner);
                    format!("first([{x}])")
                }
            },
        }
    }
}

/// Facts for [`PRELUDE`]'s declaration, from bytes: a JSON document that must load.
pub fn facts_json(u: &mut Unstructured) -> String {
    let mut g = |n: usize| -> usize {
        if n <= 1 {
            0
        } else {
            u.choose_index(n).unwrap_or(0)
        }
    };
    let ints = [
        "0",
        "1",
        "7",
        "-5",
        "1000000",
        "9223372036854775807",
        "-9223372036854775808",
    ];
    let money = [
        "\"0.00\"",
        "12.5",
        "\"1250.00\"",
        "\"79228162514264337593543950335\"",
        "0.0000000000000000000000000001",
        "\"-40.25\"",
    ];
    let areas = ["red", "green", "blue"];
    let mut out = String::from("{\"format\":\"fuzz.eval/1\",\"partner\":{\"id\":\"p1\"}");
    let _ = write!(out, ",\"n\":{}", ints[g(ints.len())]);
    let _ = write!(out, ",\"k\":{}", ints[g(ints.len())]);
    let _ = write!(out, ",\"ratio\":{}", ["0.5", "-2", "3.25", "0"][g(4)]);
    let _ = write!(out, ",\"flag\":{}", g(2) == 0);
    if g(2) == 0 {
        let _ = write!(
            out,
            ",\"since\":\"20{:02}-02-{:02}\"",
            10 + g(20),
            1 + g(28)
        );
    }
    let _ = write!(out, ",\"label\":\"{}\"", ["", "c1", "Größe"][g(3)]);
    out.push_str(",\"txs\":[");
    for i in 0..g(7) {
        if i > 0 {
            out.push(',');
        }
        let _ = write!(
            out,
            "{{\"date\":\"20{:02}-{:02}-{:02}\",\"amount\":{},\"customer\":\"c{}\",\"area\":\"{}\",\"net_new\":{}}}",
            22 + g(4),
            1 + g(12),
            1 + g(28),
            // Not the last one: amounts of transactions are never negative.
            money[g(money.len() - 1)],
            g(4),
            areas[g(3)],
            g(2) == 0
        );
    }
    out.push_str("],\"counts\":[");
    for i in 0..g(6) {
        if i > 0 {
            out.push(',');
        }
        out.push_str(ints[g(ints.len())]);
    }
    out.push_str("],\"areas\":[");
    for i in 0..g(4) {
        if i > 0 {
            out.push(',');
        }
        let _ = write!(out, "\"{}\"", areas[g(3)]);
    }
    out.push_str("]}");
    out
}
