//! The schema-driven deserializer. A problem is kept as data on the [`Ctx`] ([`Failure`]: the
//! error, its JSON path and what to underline) and serde only carries a marker out; the caller
//! turns the failure into a diagnostic ([`super::locate`]).

use super::LoadOptions;
use crate::diag::{ErrorKind, Expected, FactsPath, FactsProblem, FactsWarning, Found, PathSeg};
use crate::model::names::closest;
use crate::model::ty::RecordTy;
use crate::model::{EnumDef, FactsSchema, Ty, Value};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use std::cell::RefCell;
use std::fmt;
use std::sync::Arc;

/// The key under which serde_json's arbitrary-precision numbers arrive.
const NUMBER_TOKEN: &str = "$serde_json::private::Number";

/// One step of the path being read. Declared fields are named by their declaration, so reading
/// a field allocates nothing; a path is copied only for an error or a warning.
enum Seg<'p> {
    Field(&'p str),
    Index(usize),
}

/// What to underline for a failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    /// The JSON token serde read last (the value that is wrong, a key).
    Token,
    /// The value at the failure's path, found again in the text: for problems found after
    /// serde read past the value (an object's first key, the comma after a list element).
    Value,
}

/// A problem of the facts, kept until the deserializer returns.
#[derive(Debug, Clone)]
pub struct Failure {
    /// The error (`FactsValue` or `UnknownFactsKey`), with its path.
    pub kind: ErrorKind,
    /// The path of what [`Anchor::Value`] underlines.
    pub path: FactsPath,
    /// What to underline.
    pub anchor: Anchor,
}

pub struct Ctx<'p> {
    enums: &'p [EnumDef],
    schema: &'p FactsSchema,
    options: LoadOptions,
    path: RefCell<Vec<Seg<'p>>>,
    warnings: RefCell<Vec<FactsWarning>>,
    /// Unknown keys past [`MAX_FACTS_WARNINGS`]: counted, not kept.
    warnings_left_out: std::cell::Cell<u64>,
    failure: RefCell<Option<Failure>>,
}

/// Most unknown keys a reading keeps as warnings; the others are only counted (a document of a
/// million unknown keys gave 53 MB of warnings).
pub const MAX_FACTS_WARNINGS: usize = 100;

impl<'p> Ctx<'p> {
    pub fn new(enums: &'p [EnumDef], schema: &'p FactsSchema, options: LoadOptions) -> Self {
        Ctx {
            enums,
            schema,
            options,
            path: RefCell::new(Vec::new()),
            warnings: RefCell::new(Vec::new()),
            warnings_left_out: std::cell::Cell::new(0),
            failure: RefCell::new(None),
        }
    }

    /// How many unknown keys were left out of the warnings.
    pub fn warnings_left_out(&self) -> u64 {
        self.warnings_left_out.get()
    }

    pub fn take_warnings(&self) -> Vec<FactsWarning> {
        std::mem::take(&mut self.warnings.borrow_mut())
    }

    /// The problem that stopped reading, if reading stopped on one (rather than on bad JSON).
    pub fn take_failure(&self) -> Option<Failure> {
        self.failure.borrow_mut().take()
    }

    /// The current path, owned (for an error or a warning).
    fn path(&self) -> FactsPath {
        FactsPath(
            self.path
                .borrow()
                .iter()
                .map(|seg| match seg {
                    Seg::Field(k) => PathSeg::Key(k.to_string()),
                    Seg::Index(i) => PathSeg::Index(*i),
                })
                .collect(),
        )
    }

    /// Keeps a problem at the current path; the error returned only carries it out of serde.
    fn fail<E: de::Error>(&self, problem: FactsProblem) -> E {
        self.fail_at(problem, Anchor::Token)
    }

    fn fail_at<E: de::Error>(&self, problem: FactsProblem, anchor: Anchor) -> E {
        let path = self.path();
        self.keep(Failure {
            kind: ErrorKind::FactsValue {
                path: path.clone(),
                problem,
            },
            path,
            anchor,
        })
    }

    fn keep<E: de::Error>(&self, failure: Failure) -> E {
        *self.failure.borrow_mut() = Some(failure);
        E::custom("a problem of the facts (kept on the reader)")
    }

    /// An unknown key under the current path.
    fn unknown_key<E: de::Error>(&self, key: &str, suggestion: Option<String>) -> E {
        let mut path = self.path();
        path.0.push(PathSeg::Key(key.to_string()));
        self.keep(Failure {
            kind: ErrorKind::UnknownFactsKey {
                path: path.clone(),
                suggestion,
            },
            path,
            anchor: Anchor::Token,
        })
    }

    fn warn_unknown_key(&self, key: &str, suggestion: Option<String>) {
        if self.warnings.borrow().len() >= MAX_FACTS_WARNINGS {
            self.warnings_left_out
                .set(self.warnings_left_out.get().saturating_add(1));
            return;
        }
        let mut path = self.path();
        path.0.push(PathSeg::Key(key.to_string()));
        self.warnings
            .borrow_mut()
            .push(FactsWarning { path, suggestion });
    }
}

/// The whole document: `format`, `as_of` and the declared root fields.
pub struct RootSeed<'c, 'p> {
    pub ctx: &'c Ctx<'p>,
}

impl<'de> DeserializeSeed<'de> for RootSeed<'_, '_> {
    type Value = (Value, Option<NaiveDate>);
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(RecordVisitor {
            ctx: self.ctx,
            rec: &self.ctx.schema.root,
            root: true,
            optional: false,
        })
    }
}

struct TySeed<'c, 'p> {
    ctx: &'c Ctx<'p>,
    ty: &'p Ty,
    signed: bool,
}

impl<'de> DeserializeSeed<'de> for TySeed<'_, '_> {
    type Value = Value;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        match self.ty {
            Ty::Record(r) => d
                .deserialize_any(RecordVisitor {
                    ctx: self.ctx,
                    rec: r,
                    root: false,
                    optional: false,
                })
                .map(|(v, _)| v),
            Ty::Opt(inner) => match &**inner {
                Ty::Record(r) => d
                    .deserialize_any(RecordVisitor {
                        ctx: self.ctx,
                        rec: r,
                        root: false,
                        optional: true,
                    })
                    .map(|(v, _)| v),
                _ => d.deserialize_any(ValueVisitor {
                    ctx: self.ctx,
                    ty: self.ty,
                    signed: self.signed,
                }),
            },
            _ => d.deserialize_any(ValueVisitor {
                ctx: self.ctx,
                ty: self.ty,
                signed: self.signed,
            }),
        }
    }
}

struct ValueVisitor<'c, 'p> {
    ctx: &'c Ctx<'p>,
    ty: &'p Ty,
    signed: bool,
}

fn expected(ty: &Ty) -> Expected {
    match ty {
        Ty::Bool => Expected::Boolean,
        Ty::Int => Expected::Integer,
        Ty::Decimal | Ty::Percent => Expected::Number,
        Ty::Money => Expected::Money,
        Ty::Date => Expected::Date,
        Ty::Month => Expected::Month,
        Ty::Text => Expected::Text,
        Ty::Enum(..) => Expected::Variant,
        Ty::Days => Expected::Days,
        Ty::Months => Expected::Months,
        Ty::List(_) => Expected::List,
        Ty::Record(_) => Expected::Object,
        Ty::Opt(t) => Expected::OrNull(Box::new(expected(t))),
        t => Expected::Type(t.to_string()),
    }
}

impl ValueVisitor<'_, '_> {
    fn wrong<E: de::Error>(&self, found: Found) -> E {
        self.wrong_at(found, Anchor::Token)
    }

    fn wrong_at<E: de::Error>(&self, found: Found, anchor: Anchor) -> E {
        let problem = FactsProblem::WrongKind {
            expected: expected(self.ty),
            found,
        };
        self.ctx.fail_at(problem, anchor)
    }

    fn number<E: de::Error>(&self, text: &str) -> Result<Value, E> {
        let ty = self.ty.strip_opt();
        match ty {
            Ty::Int => {
                if text.contains(['.', 'e', 'E']) {
                    return Err(self.ctx.fail(FactsProblem::NotAnInteger {
                        text: text.to_string(),
                    }));
                }
                let i: i64 = text.parse().map_err(|_| {
                    self.ctx
                        .fail(FactsProblem::OutOfRange { text: short(text) })
                })?;
                if i < 0 && !self.signed {
                    return Err(self.ctx.fail(FactsProblem::NegativeCount { value: i }));
                }
                Ok(Value::Int(i))
            }
            Ty::Days | Ty::Months => {
                let i: i64 = text.parse().map_err(|_| {
                    self.ctx
                        .fail(FactsProblem::NotWholeDuration { text: short(text) })
                })?;
                if i < 0 && !self.signed {
                    return Err(self.ctx.fail(FactsProblem::NegativeDuration { value: i }));
                }
                Ok(if ty == &Ty::Days {
                    Value::Days(i)
                } else {
                    Value::Months(i)
                })
            }
            Ty::Decimal | Ty::Percent | Ty::Money => {
                let d = parse_decimal(text).ok_or_else(|| {
                    self.ctx
                        .fail(FactsProblem::OutOfRange { text: short(text) })
                })?;
                if ty == &Ty::Money && d.is_sign_negative() && !d.is_zero() && !self.signed {
                    return Err(self.ctx.fail(FactsProblem::NegativeMoney));
                }
                Ok(Value::Dec(d))
            }
            _ => Err(self.wrong(Found::Number(short(text)))),
        }
    }
}

/// A value cut for a message: its first 24 characters and `…`.
fn short(s: &str) -> String {
    if s.chars().count() > 24 {
        format!("{}…", s.chars().take(24).collect::<String>())
    } else {
        s.to_string()
    }
}

/// Reads a JSON number's text exactly; exponents are allowed, binary floats never used. A
/// number is read whenever its value is a decimal, however it is written: trailing zeros past
/// 28 decimals (`1.00000000000000000000000000000`), an exponent that makes it whole
/// (`100000000000000000000000000000e-1`), a zero with any exponent (`0e999999999999`). The
/// text is a JSON number (serde_json checked it, or [`is_json_number`]).
fn parse_decimal(text: &str) -> Option<Decimal> {
    let (mantissa, exponent) = match text.find(['e', 'E']) {
        Some(at) => (&text[..at], text[at + 1..].parse::<i64>().ok()?),
        None => (text, 0),
    };
    let (negative, digits) = match mantissa.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, mantissa),
    };
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    // Digits only, and at least one: "", "-", "." and "--5" are no numbers (they were read as 0
    // and 5). Read in place: this runs for every amount of every partner.
    let all = || whole.bytes().chain(fraction.bytes());
    if whole.is_empty() && fraction.is_empty() {
        return None;
    }
    if exponent == 0 && whole.len() + fraction.len() <= 28 {
        // The common case, in one pass: every digit and every decimal fit as written.
        let m = all().try_fold(0i128, |m, b| {
            b.is_ascii_digit().then(|| m * 10 + i128::from(b - b'0'))
        })?;
        let m = if negative { -m } else { m };
        return Decimal::try_from_i128_with_scale(m, fraction.len() as u32).ok();
    }
    if !all().all(|b| b.is_ascii_digit()) {
        return None;
    }
    // value = digits × 10^-scale, written as it was (`1.50` keeps its two decimals); trailing
    // zeros are dropped only where the digits or the decimals would not fit otherwise.
    let mut significant = all().skip_while(|&b| b == b'0').count();
    let mut scale = (fraction.len() as i64).checked_sub(exponent)?;
    if significant == 0 {
        return Some(Decimal::new(0, scale.clamp(0, 28) as u32));
    }
    let mut droppable = all().rev().take_while(|&b| b == b'0').count();
    while (scale > 28 || significant > 29) && scale > 0 && droppable > 0 {
        significant -= 1;
        droppable -= 1;
        scale -= 1;
    }
    if scale > 28 || significant > 29 {
        return None;
    }
    let leading = all().take_while(|&b| b == b'0').count();
    let mut m = all()
        .skip(leading)
        .take(significant)
        .try_fold(0i128, |m, b| {
            m.checked_mul(10)?.checked_add(i128::from(b - b'0'))
        })?;
    if scale < 0 {
        m = m.checked_mul(10i128.checked_pow(u32::try_from(-scale).ok()?)?)?;
        scale = 0;
    }
    if negative {
        m = -m;
    }
    Decimal::try_from_i128_with_scale(m, scale as u32).ok()
}

impl<'de> Visitor<'de> for ValueVisitor<'_, '_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "{}", expected(self.ty))
    }

    fn visit_bool<E: de::Error>(self, b: bool) -> Result<Value, E> {
        match self.ty.strip_opt() {
            Ty::Bool => Ok(Value::Bool(b)),
            _ => Err(self.wrong(Found::Literal(b.to_string()))),
        }
    }

    fn visit_i64<E: de::Error>(self, i: i64) -> Result<Value, E> {
        self.number(&i.to_string())
    }

    fn visit_u64<E: de::Error>(self, u: u64) -> Result<Value, E> {
        self.number(&u.to_string())
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Value, E> {
        Err(self.ctx.fail(FactsProblem::BinaryFloat))
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<Value, E> {
        match self.ty.strip_opt() {
            Ty::Text => Ok(Value::Text(s.into())),
            Ty::Date => parse_date(s)
                .map(Value::Date)
                .ok_or_else(|| self.ctx.fail(FactsProblem::NotADate { text: short(s) })),
            Ty::Month => parse_month(s)
                .ok_or_else(|| self.ctx.fail(FactsProblem::NotAMonth { text: short(s) })),
            Ty::Money => {
                let d = parse_decimal(s)
                    .filter(|_| {
                        !s.contains(['e', 'E'])
                            && s.chars()
                                .all(|c| c.is_ascii_digit() || c == '.' || c == '-')
                    })
                    .ok_or_else(|| self.ctx.fail(FactsProblem::NotMoney { text: short(s) }))?;
                if d.is_sign_negative() && !d.is_zero() && !self.signed {
                    return Err(self.ctx.fail(FactsProblem::NegativeMoney));
                }
                Ok(Value::Dec(d))
            }
            Ty::Enum(e, name) => {
                let def = &self.ctx.enums[*e as usize];
                match def.variants.iter().position(|v| &**v == s) {
                    Some(i) => Ok(Value::Enum(i as u32)),
                    None => Err(self.ctx.fail(FactsProblem::UnknownVariant {
                        text: short(s),
                        enum_name: name.to_string(),
                        suggestion: closest(s, def.variants.iter().map(|v| &**v)),
                        variants: def.variants.iter().map(|v| v.to_string()).collect(),
                    })),
                }
            }
            _ => Err(self.wrong(Found::Str(short(s)))),
        }
    }

    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        match self.ty {
            Ty::Opt(_) => Ok(Value::None),
            _ => Err(self.wrong(Found::Null)),
        }
    }

    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        self.visit_unit()
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let Ty::List(elem) = self.ty.strip_opt() else {
            return Err(self.wrong(Found::List));
        };
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
        loop {
            self.ctx.path.borrow_mut().push(Seg::Index(out.len()));
            let next = seq.next_element_seed(TySeed {
                ctx: self.ctx,
                ty: elem,
                signed: self.signed,
            });
            self.ctx.path.borrow_mut().pop();
            match next? {
                Some(v) => {
                    if out.len() >= self.ctx.options.max_list_len {
                        // The error is the list's; the underline, the element over the limit
                        // (serde has read past it by now).
                        let path = self.ctx.path();
                        let mut element = path.clone();
                        element.0.push(PathSeg::Index(out.len()));
                        let limit = self.ctx.options.max_list_len;
                        return Err(self.ctx.keep(Failure {
                            kind: ErrorKind::FactsValue {
                                path,
                                problem: FactsProblem::ListTooLong { limit },
                            },
                            path: element,
                            anchor: Anchor::Value,
                        }));
                    }
                    out.push(v)
                }
                None => break,
            }
        }
        Ok(Value::List(Arc::new(out)))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let key: Option<String> = map.next_key()?;
        match key.as_deref() {
            Some(NUMBER_TOKEN) => {
                let text: String = map.next_value()?;
                // serde_json hands a number over as this one-key object; a document that spells
                // the object out itself gets no number that JSON would not write.
                if !is_json_number(&text) {
                    return Err(self.wrong_at(Found::Object, Anchor::Value));
                }
                self.number(&text)
            }
            // Underlined at the `{`: serde has read the first key by now.
            _ => Err(self.wrong_at(Found::Object, Anchor::Value)),
        }
    }
}

/// Whether `text` is a number as JSON writes one: `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`.
fn is_json_number(text: &str) -> bool {
    fn digits(s: &str) -> usize {
        s.bytes().take_while(u8::is_ascii_digit).count()
    }
    let s = text.strip_prefix('-').unwrap_or(text);
    let int = digits(s);
    if int == 0 || (int > 1 && s.starts_with('0')) {
        return false;
    }
    let mut rest = &s[int..];
    if let Some(f) = rest.strip_prefix('.') {
        let n = digits(f);
        if n == 0 {
            return false;
        }
        rest = &f[n..];
    }
    if let Some(e) = rest.strip_prefix(['e', 'E']) {
        let e = e.strip_prefix(['+', '-']).unwrap_or(e);
        let n = digits(e);
        if n == 0 {
            return false;
        }
        rest = &e[n..];
    }
    rest.is_empty()
}

fn mark(small: &mut u64, wide: &mut [bool], i: usize) {
    if wide.is_empty() {
        *small |= 1 << i;
    } else {
        wide[i] = true;
    }
}

/// `YYYY-MM-DD`, exactly: four-digit year, two-digit month and day, a real calendar day.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        b[r].iter().try_fold(0u32, |acc, &c| {
            c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
        })
    };
    NaiveDate::from_ymd_opt(num(0..4)? as i32, num(5..7)?, num(8..10)?)
}

fn parse_month(s: &str) -> Option<Value> {
    let (y, m) = s.split_once('-')?;
    // Digits only: `+999-07` and `2024-+1` are no months (`parse` would take the sign).
    if y.len() != 4 || m.len() != 2 || !(y.bytes().chain(m.bytes())).all(|b| b.is_ascii_digit()) {
        return None;
    }
    let y: i32 = y.parse().ok()?;
    let m: u32 = m.parse().ok()?;
    (1..=12).contains(&m).then(|| Value::month(y, m))
}

struct RecordVisitor<'c, 'p> {
    ctx: &'c Ctx<'p>,
    rec: &'p RecordTy,
    root: bool,
    optional: bool,
}

impl<'de> Visitor<'de> for RecordVisitor<'_, '_> {
    type Value = (Value, Option<NaiveDate>);

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let ctx = self.ctx;
        // Values go straight into the record; `seen` marks the fields read (records have few
        // fields; a wider one falls back to a vector of flags).
        let n = self.rec.fields.len();
        let mut values: Vec<Value> = vec![Value::None; n];
        let mut seen_small: u64 = 0;
        let mut seen_wide: Vec<bool> = if n > 64 { vec![false; n] } else { Vec::new() };
        let is_seen = |small: u64, wide: &[bool], i: usize| {
            if i < 64 && wide.is_empty() {
                small & (1 << i) != 0
            } else {
                wide[i]
            }
        };
        let mut format_seen = false;
        let mut as_of = None;
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            if key == NUMBER_TOKEN {
                let text: String = map.next_value()?;
                return Err(ctx.fail(object_expected(Found::Number(short(&text)))));
            }
            if let Some(slot) = self.rec.slot(&key) {
                if is_seen(seen_small, &seen_wide, slot) {
                    return Err(ctx.fail(FactsProblem::DuplicateKey {
                        key: key.to_string(),
                    }));
                }
                let field = &self.rec.fields[slot];
                if self.root
                    && ctx
                        .options
                        .roots
                        .as_ref()
                        .is_some_and(|r| !r.get(slot).copied().unwrap_or(true))
                {
                    // No selected outcome reads this part of the facts: check it is JSON, skip it.
                    map.next_value::<IgnoredAny>()?;
                    values[slot] = field.default.clone().unwrap_or(Value::None);
                    mark(&mut seen_small, &mut seen_wide, slot);
                    continue;
                }
                ctx.path.borrow_mut().push(Seg::Field(&field.name));
                let v = map.next_value_seed(TySeed {
                    ctx,
                    ty: &field.ty,
                    signed: field.signed,
                });
                ctx.path.borrow_mut().pop();
                values[slot] = v?;
                mark(&mut seen_small, &mut seen_wide, slot);
                continue;
            }
            if self.root && key == "format" {
                if format_seen {
                    return Err(ctx.fail(FactsProblem::DuplicateKey {
                        key: "format".into(),
                    }));
                }
                format_seen = true;
                let f: String = map.next_value().map_err(|_: A::Error| {
                    ctx.fail::<A::Error>(FactsProblem::FormatNotAString {
                        format: ctx.schema.format.clone(),
                    })
                })?;
                if f != ctx.schema.format {
                    return Err(ctx.fail(FactsProblem::UnknownFormat {
                        found: short(&f),
                        format: ctx.schema.format.clone(),
                    }));
                }
                continue;
            }
            if self.root && key == "as_of" {
                if as_of.is_some() {
                    return Err(ctx.fail(FactsProblem::DuplicateKey {
                        key: "as_of".into(),
                    }));
                }
                ctx.path.borrow_mut().push(Seg::Field("as_of"));
                let v = map.next_value_seed(TySeed {
                    ctx,
                    ty: &Ty::Date,
                    signed: false,
                });
                ctx.path.borrow_mut().pop();
                if let Value::Date(d) = v? {
                    as_of = Some(d);
                }
                continue;
            }
            let suggestion = closest(&key, self.rec.fields.iter().map(|f| &*f.name));
            if ctx.options.strict {
                return Err(ctx.unknown_key(&key, suggestion));
            }
            ctx.warn_unknown_key(&key, suggestion);
            map.next_value::<IgnoredAny>()?;
        }
        if self.root && !format_seen {
            return Err(ctx.fail(FactsProblem::MissingFormat {
                format: ctx.schema.format.clone(),
            }));
        }
        for (i, field) in self.rec.fields.iter().enumerate() {
            if !is_seen(seen_small, &seen_wide, i) {
                match &field.default {
                    Some(d) => values[i] = d.clone(),
                    None => {
                        return Err(ctx.fail(FactsProblem::MissingKey {
                            key: field.name.to_string(),
                        }))
                    }
                }
            }
        }
        Ok((Value::Record(Arc::new(values)), as_of))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        if self.optional {
            return Ok((Value::None, None));
        }
        Err(self.ctx.fail(object_expected(Found::Null)))
    }
    fn visit_bool<E: de::Error>(self, b: bool) -> Result<Self::Value, E> {
        Err(self
            .ctx
            .fail(object_expected(Found::Literal(b.to_string()))))
    }
    fn visit_str<E: de::Error>(self, s: &str) -> Result<Self::Value, E> {
        Err(self.ctx.fail(object_expected(Found::Str(short(s)))))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> Result<Self::Value, A::Error> {
        Err(self.ctx.fail(object_expected(Found::List)))
    }
    fn visit_i64<E: de::Error>(self, i: i64) -> Result<Self::Value, E> {
        Err(self.ctx.fail(object_expected(Found::Number(i.to_string()))))
    }
    fn visit_u64<E: de::Error>(self, i: u64) -> Result<Self::Value, E> {
        Err(self.ctx.fail(object_expected(Found::Number(i.to_string()))))
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
        Err(self.ctx.fail(object_expected(Found::SomeNumber)))
    }
}

/// An object was expected.
fn object_expected(found: Found) -> FactsProblem {
    FactsProblem::WrongKind {
        expected: Expected::Object,
        found,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 17, item 9: a number is read whenever its value is a decimal, keeping the decimals
    /// it was written with where they fit; what no decimal holds is refused.
    #[test]
    fn numbers_are_read_when_their_value_is_a_decimal() {
        let d = |s: &str| parse_decimal(s).map(|d| d.to_string());
        assert_eq!(d("1.50").as_deref(), Some("1.50"));
        assert_eq!(d("-0.25").as_deref(), Some("-0.25"));
        assert_eq!(
            d("1.00000000000000000000000000000").as_deref(),
            Some("1.0000000000000000000000000000")
        );
        assert_eq!(
            d("100000000000000000000000000000e-1").as_deref(),
            Some("10000000000000000000000000000")
        );
        assert_eq!(d("0e999999999999").as_deref(), Some("0"));
        assert_eq!(d("12e2").as_deref(), Some("1200"));
        assert_eq!(d("1.5E-3").as_deref(), Some("0.0015"));
        assert_eq!(
            d("79228162514264337593543950335").as_deref(),
            Some("79228162514264337593543950335")
        );
        assert_eq!(d("79228162514264337593543950336"), None);
        assert_eq!(d("1e29"), None);
        assert_eq!(d("1e-29"), None);
        assert_eq!(d("0.00000000000000000000000000001"), None);
        assert_eq!(d("1."), Some("1".into()));
        assert_eq!(d(".5"), Some("0.5".into()));
    }

    /// A text without a digit, or with a second sign, is no amount (it was read as 0, and
    /// `--5` as 5: a silent wrong answer).
    #[test]
    fn texts_without_digits_are_no_numbers() {
        for bad in [
            "", "-", ".", "-.", "--5", "-+5", "+5", "5-", "1.2.3", "e5", "-e5", "1_000",
        ] {
            assert_eq!(parse_decimal(bad), None, "{bad:?}");
        }
    }

    /// serde_json's private spelling of a number, written out in a document, is a number only
    /// when its text is one JSON could write.
    #[test]
    fn json_numbers_are_what_json_writes() {
        for ok in ["0", "-0", "12", "1.5", "1e5", "1E+5", "-2.50e-3"] {
            assert!(is_json_number(ok), "{ok}");
        }
        for bad in [
            "1_000.5", "", "-", "01", "1.", ".5", "1e", "+1", "1.5.2", "NaN", " 1",
        ] {
            assert!(!is_json_number(bad), "{bad}");
        }
    }

    /// Issue 17, item 9: a month is four digits, a dash and two digits; a sign is no digit.
    #[test]
    fn months_are_digits_only() {
        assert_eq!(parse_month("2024-07"), Some(Value::month(2024, 7)));
        assert_eq!(parse_month("+999-07"), None);
        assert_eq!(parse_month("2024-+1"), None);
        assert_eq!(parse_month("-999-07"), None);
        assert_eq!(parse_month("2024-13"), None);
    }
}
