//! Grammar-shaped programs for the `check` target: an [`Arbitrary`]-derived syntax tree that
//! follows `lang/eligo/src/syntax/grammar.pest` item by item and expression by expression, printed
//! to policy text. Names come from a small vocabulary (the built-ins, a few rule, field, enum and
//! module names), so that many programs get past name resolution into the type checker; nothing
//! else is made to fit, so most programs are wrong in some way and must be refused with errors.

use arbitrary::Arbitrary;
use std::fmt::Write as _;

/// The vocabulary of names: declarations, fields, built-ins, types, module names, item words.
const NAMES: &[&str] = &[
    "a",
    "b",
    "c",
    "x",
    "y",
    "n",
    "it",
    "amount",
    "date",
    "items",
    "key",
    "total",
    "flag",
    "xs",
    "txs",
    "Area",
    "Tier",
    "red",
    "green",
    "security",
    "gold",
    "count",
    "sum",
    "min",
    "max",
    "first",
    "last",
    "any",
    "all",
    "mean",
    "distinct",
    "sort",
    "round",
    "floor",
    "ceil",
    "abs",
    "days",
    "months",
    "years",
    "month",
    "year",
    "first_day",
    "last_day",
    "anniversary",
    "length",
    "text",
    "start",
    "end",
    "months_in",
    "as_of",
    "m0",
    "m1",
    "m2",
    "Int",
    "Count",
    "Decimal",
    "Money",
    "Percent",
    "Bool",
    "Text",
    "Date",
    "Month",
    "Days",
    "Months",
    "Score",
    "score",
    "points",
    "facts",
    "rule",
    "outcome",
    "partner",
    "id",
    "metrics",
    "_x9",
    "every_metric_above_zero",
];

/// Deepest expression printed; deeper ones print as `1` (the parser's own limit is 96 brackets).
const MAX_DEPTH: usize = 24;

/// A name from the vocabulary.
#[derive(Arbitrary, Debug, Clone, Copy)]
pub struct Name(u8);

impl Name {
    fn text(self) -> &'static str {
        NAMES[self.0 as usize % NAMES.len()]
    }
}

/// A policy set: up to three modules, `m0`, `m1` and `m2`.
#[derive(Arbitrary, Debug)]
pub struct PolicySet {
    /// The modules, in order.
    pub modules: Vec<Module>,
}

/// One policy file.
#[derive(Arbitrary, Debug)]
pub struct Module {
    items: Vec<Item>,
}

#[derive(Arbitrary, Debug)]
enum Attr {
    Doc(Name),
    Source(Name),
    Signed,
    Other(Name, Vec<Name>),
}

#[derive(Arbitrary, Debug)]
enum Item {
    Rule(Vec<Attr>, Name, Vec<(Name, TypeExpr)>, TypeExpr, Expr),
    Outcome(Vec<Attr>, Name, Option<(Name, Name)>, Expr),
    Use(Name, Option<Name>),
    Facts(Option<Vec<Name>>, Vec<FieldDecl>),
    Type(Name, TypeExpr),
    Enum(Name, Name, Vec<(Vec<Attr>, Name)>),
    Table(
        Name,
        (Name, TypeExpr),
        Vec<(Name, TypeExpr)>,
        Option<Name>,
        Vec<Vec<Expr>>,
    ),
}

#[derive(Arbitrary, Debug)]
enum TypeExpr {
    Named(Name),
    List(Box<TypeExpr>),
    Optional(Box<TypeExpr>),
    Record(Vec<FieldDecl>),
}

#[derive(Arbitrary, Debug)]
struct FieldDecl {
    attrs: Vec<Attr>,
    name: Name,
    quoted: bool,
    ty: TypeExpr,
    default: Option<Expr>,
}

#[derive(Arbitrary, Debug, Clone, Copy)]
enum Cmp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

#[derive(Arbitrary, Debug, Clone, Copy)]
enum Op {
    Add,
    Sub,
    Mul,
    Div,
}

#[derive(Arbitrary, Debug, Clone, Copy)]
enum Unit {
    Day,
    Days,
    Month,
    Months,
    Year,
    Years,
}

#[derive(Arbitrary, Debug)]
enum Crit {
    Any,
    All,
    AtLeast(u8),
}

#[derive(Arbitrary, Debug)]
enum Arg {
    Expr(Expr),
    Comprehension(Name, Expr, Expr),
}

/// An expression; the first variants are leaves, so that a short input ends the tree.
#[derive(Arbitrary, Debug)]
enum Expr {
    Int(u16),
    Name(Name),
    BigInt(u64),
    Decimal(u16, u16),
    Money(u32, u8),
    Percent(u8, u8),
    Duration(u16, Unit),
    Date(u16, u8, u8),
    Month(u16, u8),
    Str(Name),
    Bool(bool),
    None,
    Variant(Name, Name),
    Paren(Box<Expr>),
    Let(Vec<(Name, Expr)>, Box<Expr>),
    If(Vec<(Expr, Expr)>, Box<Expr>),
    IfSome(Box<Expr>, Name, Box<Expr>, Box<Expr>),
    Where(Box<Expr>, Box<Expr>),
    GroupBy(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    And(Box<Expr>, Box<Expr>),
    Not(Box<Expr>),
    Cmp(Cmp, Box<Expr>, Box<Expr>),
    In(Box<Expr>, Box<Expr>),
    Within(Box<Expr>, Box<Expr>),
    IsNone(Box<Expr>),
    IsSome(Box<Expr>),
    Otherwise(Box<Expr>, Box<Expr>),
    Arith(Op, Box<Expr>, Box<Expr>),
    Neg(Box<Expr>),
    Field(Box<Expr>, Name),
    Index(Box<Expr>, Box<Expr>),
    Criteria(Crit, Vec<(Name, Expr)>),
    Score(u8, Vec<(Name, Expr)>),
    Points(Box<Expr>, Box<Expr>, Option<Box<Expr>>, Box<Expr>, bool),
    Trailing(Box<Expr>, Option<Box<Expr>>),
    Between(Box<Expr>, Box<Expr>),
    List(Vec<Expr>),
    Record(Vec<(Name, Expr)>),
    Call(Name, Vec<Arg>),
}

impl PolicySet {
    /// The policy files: (file name, module path, text), at most three.
    pub fn files(&self) -> Vec<(String, String, String)> {
        self.modules
            .iter()
            .take(3)
            .enumerate()
            .map(|(i, m)| (format!("m{i}.elg"), format!("m{i}"), m.text()))
            .collect()
    }
}

impl Module {
    /// The module printed as policy text.
    pub fn text(&self) -> String {
        let mut p = Printer::default();
        for item in &self.items {
            p.item(item);
            p.out.push('\n');
        }
        p.out
    }
}

#[derive(Default)]
struct Printer {
    out: String,
}

impl Printer {
    fn w(&mut self, s: &str) {
        self.out.push_str(s);
    }

    fn attrs(&mut self, attrs: &[Attr]) {
        for a in attrs.iter().take(3) {
            match a {
                Attr::Doc(n) => {
                    let _ = writeln!(self.out, "/// about {}", n.text());
                }
                Attr::Source(n) => {
                    let _ = writeln!(self.out, "@source(\"faq: {}\")", n.text());
                }
                Attr::Signed => self.w("@signed\n"),
                Attr::Other(n, args) => {
                    let _ = write!(self.out, "@{}", n.text());
                    if !args.is_empty() {
                        self.w("(");
                        for (i, a) in args.iter().take(3).enumerate() {
                            if i > 0 {
                                self.w(", ");
                            }
                            let _ = write!(self.out, "\"{}\"", a.text());
                        }
                        self.w(")");
                    }
                    self.w("\n");
                }
            }
        }
    }

    fn item(&mut self, item: &Item) {
        match item {
            Item::Use(m, alias) => {
                let _ = write!(self.out, "use m{}", m.0 % 3);
                if let Some(a) = alias {
                    let _ = write!(self.out, " as {}", a.text());
                }
            }
            Item::Facts(id, fields) => {
                self.w("facts \"fuzz/1\"");
                if let Some(path) = id {
                    if !path.is_empty() {
                        self.w(" identified by ");
                        let names: Vec<&str> = path.iter().take(3).map(|n| n.text()).collect();
                        self.w(&names.join("."));
                    }
                }
                self.w(" ");
                self.record_type(fields, 0);
            }
            Item::Type(n, t) => {
                let _ = write!(self.out, "type {} = ", n.text());
                self.ty(t, 0);
            }
            Item::Enum(n, first, rest) => {
                let _ = write!(self.out, "enum {} {{ {}", n.text(), first.text());
                for (attrs, v) in rest.iter().take(6) {
                    self.w(",\n");
                    self.attrs(attrs);
                    self.w(v.text());
                }
                self.w(" }");
            }
            Item::Table(n, first, rest, key, rows) => {
                let _ = write!(self.out, "table {}(", n.text());
                let cols: Vec<&(Name, TypeExpr)> =
                    std::iter::once(first).chain(rest.iter().take(4)).collect();
                for (i, (c, t)) in cols.iter().enumerate() {
                    if i > 0 {
                        self.w(", ");
                    }
                    let _ = write!(self.out, "{}: ", c.text());
                    self.ty(t, 0);
                }
                self.w(")");
                if let Some(k) = key {
                    let _ = write!(self.out, " key {}", k.text());
                }
                self.w(" = [");
                for (i, row) in rows.iter().take(6).enumerate() {
                    if i > 0 {
                        self.w(", ");
                    }
                    self.w("(");
                    if row.is_empty() {
                        self.w("1");
                    }
                    for (j, e) in row.iter().take(5).enumerate() {
                        if j > 0 {
                            self.w(", ");
                        }
                        self.expr(e, 1);
                    }
                    self.w(")");
                }
                self.w("]");
            }
            Item::Rule(attrs, n, params, t, body) => {
                self.attrs(attrs);
                let _ = write!(self.out, "rule {}", n.text());
                if !params.is_empty() {
                    self.w("(");
                    for (i, (p, pt)) in params.iter().take(3).enumerate() {
                        if i > 0 {
                            self.w(", ");
                        }
                        let _ = write!(self.out, "{}: ", p.text());
                        self.ty(pt, 0);
                    }
                    self.w(")");
                }
                self.w(": ");
                self.ty(t, 0);
                self.w(" = ");
                self.expr(body, 0);
            }
            Item::Outcome(attrs, id, each, body) => {
                self.attrs(attrs);
                match each {
                    Some((v, e)) => {
                        let _ = write!(
                            self.out,
                            "outcome \"{}.{{{}}}\" for {} in {} = ",
                            id.text(),
                            v.text(),
                            v.text(),
                            e.text()
                        );
                    }
                    None => {
                        let _ = write!(self.out, "outcome \"{}\" = ", id.text());
                    }
                }
                self.expr(body, 0);
            }
        }
    }

    fn record_type(&mut self, fields: &[FieldDecl], depth: usize) {
        self.w("{ ");
        for (i, f) in fields.iter().take(6).enumerate() {
            if i > 0 {
                self.w(",\n");
            }
            self.attrs(&f.attrs);
            if f.quoted {
                let _ = write!(self.out, "\"{}\": ", f.name.text());
            } else {
                let _ = write!(self.out, "{}: ", f.name.text());
            }
            self.ty(&f.ty, depth + 1);
            if let Some(d) = &f.default {
                self.w(" = ");
                self.expr(d, depth + 1);
            }
        }
        self.w(" }");
    }

    fn ty(&mut self, t: &TypeExpr, depth: usize) {
        if depth > 8 {
            self.w("Int");
            return;
        }
        match t {
            TypeExpr::Named(n) => self.w(n.text()),
            TypeExpr::List(t) => {
                self.w("[");
                self.ty(t, depth + 1);
                self.w("]");
            }
            TypeExpr::Optional(t) => {
                self.ty(t, depth + 1);
                self.w("?");
            }
            TypeExpr::Record(fields) => self.record_type(fields, depth + 1),
        }
    }

    /// An operand: anything but a leaf goes in parentheses, so the text always parses as meant.
    fn operand(&mut self, e: &Expr, depth: usize) {
        let leaf = matches!(
            e,
            Expr::Int(_)
                | Expr::Name(_)
                | Expr::Decimal(..)
                | Expr::Str(_)
                | Expr::Bool(_)
                | Expr::None
                | Expr::Paren(_)
                | Expr::List(_)
                | Expr::Record(_)
                | Expr::Call(..)
        );
        if leaf || depth > MAX_DEPTH {
            self.expr(e, depth);
        } else {
            self.w("(");
            self.expr(e, depth);
            self.w(")");
        }
    }

    fn binary(&mut self, a: &Expr, op: &str, b: &Expr, depth: usize) {
        self.operand(a, depth + 1);
        let _ = write!(self.out, " {op} ");
        self.operand(b, depth + 1);
    }

    fn labelled(&mut self, items: &[(Name, Expr)], depth: usize) {
        self.w("{ ");
        for (i, (l, e)) in items.iter().take(6).enumerate() {
            if i > 0 {
                self.w(", ");
            }
            let _ = write!(self.out, "\"{} {i}\": ", l.text());
            self.expr(e, depth + 1);
        }
        self.w(" }");
    }

    fn expr(&mut self, e: &Expr, depth: usize) {
        if depth > MAX_DEPTH {
            self.w("1");
            return;
        }
        let d = depth + 1;
        match e {
            Expr::Int(i) => {
                let _ = write!(self.out, "{i}");
            }
            Expr::BigInt(i) => {
                // Around the edges of Int: 2^63 - 1 and beyond, with `_` groups.
                let v = (*i as u128) | (1 << 62);
                let _ = write!(self.out, "{}_000", v / 1000);
            }
            Expr::Name(n) => self.w(n.text()),
            Expr::Decimal(a, b) => {
                let _ = write!(self.out, "{a}.{b}");
            }
            Expr::Money(a, neg) => {
                let _ = write!(
                    self.out,
                    "USD {}{}.{:02}",
                    if neg % 5 == 0 { "-" } else { "" },
                    a / 100,
                    a % 100
                );
            }
            Expr::Percent(a, b) => {
                let _ = write!(self.out, "{a}.{b}%");
            }
            Expr::Duration(n, u) => {
                let unit = match u {
                    Unit::Day => "day",
                    Unit::Days => "days",
                    Unit::Month => "month",
                    Unit::Months => "months",
                    Unit::Year => "year",
                    Unit::Years => "years",
                };
                let _ = write!(self.out, "{n} {unit}");
            }
            Expr::Date(y, m, dd) => {
                let _ = write!(
                    self.out,
                    "{:04}-{:02}-{:02}",
                    1900 + y % 300,
                    m % 14,
                    dd % 33
                );
            }
            Expr::Month(y, m) => {
                let _ = write!(self.out, "{:04}-{:02}", 1900 + y % 300, m % 14);
            }
            Expr::Str(n) => {
                let _ = write!(self.out, "\"{}\\\"\\n\"", n.text());
            }
            Expr::Bool(b) => {
                let _ = write!(self.out, "{b}");
            }
            Expr::None => self.w("none"),
            Expr::Variant(e, v) => {
                let _ = write!(self.out, "{}.{}", e.text(), v.text());
            }
            Expr::Paren(x) => {
                self.w("(");
                self.expr(x, d);
                self.w(")");
            }
            Expr::Let(binds, body) => {
                for (n, v) in binds.iter().take(4) {
                    let _ = write!(self.out, "let {} = ", n.text());
                    self.expr(v, d);
                    self.w("; ");
                }
                self.expr(body, d);
            }
            Expr::If(arms, other) => {
                if arms.is_empty() {
                    self.w("if true then 1 else ");
                }
                for (c, v) in arms.iter().take(4) {
                    self.w("if ");
                    self.expr(c, d);
                    self.w(" then ");
                    self.expr(v, d);
                    self.w(" else ");
                }
                self.expr(other, d);
            }
            Expr::IfSome(x, n, a, b) => {
                self.w("if ");
                self.operand(x, d);
                let _ = write!(self.out, " is some {} then ", n.text());
                self.expr(a, d);
                self.w(" else ");
                self.expr(b, d);
            }
            Expr::Where(l, c) => self.binary(l, "where", c, depth),
            Expr::GroupBy(l, k) => self.binary(l, "group by", k, depth),
            Expr::Or(a, b) => self.binary(a, "or", b, depth),
            Expr::And(a, b) => self.binary(a, "and", b, depth),
            Expr::Not(x) => {
                self.w("not ");
                self.operand(x, d);
            }
            Expr::Cmp(op, a, b) => {
                let op = match op {
                    Cmp::Eq => "==",
                    Cmp::Ne => "!=",
                    Cmp::Lt => "<",
                    Cmp::Le => "<=",
                    Cmp::Gt => ">",
                    Cmp::Ge => ">=",
                };
                self.binary(a, op, b, depth);
            }
            Expr::In(a, b) => self.binary(a, "in", b, depth),
            Expr::Within(a, b) => self.binary(a, "within", b, depth),
            Expr::IsNone(x) => {
                self.operand(x, d);
                self.w(" is none");
            }
            Expr::IsSome(x) => {
                self.operand(x, d);
                self.w(" is some");
            }
            Expr::Otherwise(a, b) => self.binary(a, "otherwise", b, depth),
            Expr::Arith(op, a, b) => {
                let op = match op {
                    Op::Add => "+",
                    Op::Sub => "-",
                    Op::Mul => "*",
                    Op::Div => "/",
                };
                self.binary(a, op, b, depth);
            }
            Expr::Neg(x) => {
                self.w("-");
                self.operand(x, d);
            }
            Expr::Field(x, f) => {
                self.operand(x, d);
                let _ = write!(self.out, ".{}", f.text());
            }
            Expr::Index(x, k) => {
                self.operand(x, d);
                self.w("[");
                self.expr(k, d);
                self.w("]");
            }
            Expr::Criteria(kind, items) => {
                match kind {
                    Crit::Any => self.w("any "),
                    Crit::All => self.w("all "),
                    Crit::AtLeast(n) => {
                        let _ = write!(self.out, "at least {} of ", n % 5);
                    }
                }
                self.labelled(items, depth);
            }
            Expr::Score(max, items) => {
                let _ = write!(self.out, "score max {max} ");
                self.labelled(items, depth);
            }
            Expr::Points(q, rate, per, cap, whole) => {
                self.w("points(");
                self.expr(q, d);
                self.w(", ");
                self.operand(rate, d);
                match per {
                    Some(p) => {
                        self.w(" per ");
                        self.operand(p, d);
                    }
                    None => self.w(" each"),
                }
                self.w(", max ");
                self.operand(cap, d);
                if *whole {
                    self.w(", whole");
                }
                self.w(")");
            }
            Expr::Trailing(n, end) => {
                self.w("trailing ");
                self.operand(n, d);
                if let Some(e) = end {
                    self.w(" ending ");
                    self.operand(e, d);
                }
            }
            Expr::Between(a, b) => {
                self.w("between ");
                self.operand(a, d);
                self.w(" and ");
                self.operand(b, d);
            }
            Expr::List(xs) => {
                self.w("[");
                for (i, x) in xs.iter().take(6).enumerate() {
                    if i > 0 {
                        self.w(", ");
                    }
                    self.expr(x, d);
                }
                self.w("]");
            }
            Expr::Record(fields) => {
                self.w("{");
                for (i, (n, x)) in fields.iter().take(5).enumerate() {
                    if i > 0 {
                        self.w(", ");
                    }
                    let _ = write!(self.out, "{}: ", n.text());
                    self.expr(x, d);
                }
                self.w("}");
            }
            Expr::Call(f, args) => {
                let _ = write!(self.out, "{}(", f.text());
                for (i, a) in args.iter().take(4).enumerate() {
                    if i > 0 {
                        self.w(", ");
                    }
                    match a {
                        Arg::Expr(x) => self.expr(x, d),
                        Arg::Comprehension(v, l, body) => {
                            let _ = write!(self.out, "{} in ", v.text());
                            self.operand(l, d);
                            self.w(": ");
                            self.expr(body, d);
                        }
                    }
                }
                self.w(")");
            }
        }
    }
}
