//! The schema-driven deserializer. Errors carry their JSON path in the message, separated from
//! the problem by [`PATH_SEP`], so [`super::json_error`] can split them back apart.

use super::LoadOptions;
use crate::model::names::closest;
use crate::model::ty::RecordTy;
use crate::model::{EnumDef, FactsSchema, Ty, Value};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use std::cell::RefCell;
use std::fmt;
use std::sync::Arc;

/// Separates the JSON path from the problem in error messages.
pub const PATH_SEP: char = '\u{1f}';
/// Marks an unknown key (strict mode); a suggestion may follow.
pub const UNKNOWN_KEY: &str = "\u{1e}unknown";
/// The key under which serde_json's arbitrary-precision numbers arrive.
const NUMBER_TOKEN: &str = "$serde_json::private::Number";

/// One step of a JSON path. Declared fields are named by their declaration, so reading a
/// field allocates nothing; only unknown keys (an error path) own their text.
enum Seg<'p> {
    Field(&'p str),
    Key(String),
    Index(usize),
}

pub struct Ctx<'p> {
    enums: &'p [EnumDef],
    schema: &'p FactsSchema,
    options: LoadOptions,
    path: RefCell<Vec<Seg<'p>>>,
    warnings: RefCell<Vec<String>>,
}

impl<'p> Ctx<'p> {
    pub fn new(enums: &'p [EnumDef], schema: &'p FactsSchema, options: LoadOptions) -> Self {
        Ctx {
            enums,
            schema,
            options,
            path: RefCell::new(Vec::new()),
            warnings: RefCell::new(Vec::new()),
        }
    }

    pub fn take_warnings(&self) -> Vec<String> {
        std::mem::take(&mut self.warnings.borrow_mut())
    }

    fn path(&self) -> String {
        let mut s = String::new();
        for seg in self.path.borrow().iter() {
            match seg {
                Seg::Field(k) => {
                    if !s.is_empty() {
                        s.push('.');
                    }
                    s.push_str(k);
                }
                Seg::Key(k) => {
                    if !s.is_empty() {
                        s.push('.');
                    }
                    s.push_str(k);
                }
                Seg::Index(i) => s.push_str(&format!("[{i}]")),
            }
        }
        if s.is_empty() {
            s.push_str("(document)");
        }
        s
    }

    fn fail<E: de::Error>(&self, problem: impl fmt::Display) -> E {
        E::custom(format!("{}{PATH_SEP}{problem}", self.path()))
    }

    fn child_path(&self, key: &str) -> String {
        let p = self.path();
        if p == "(document)" {
            key.to_string()
        } else {
            format!("{p}.{key}")
        }
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

fn expected(ty: &Ty) -> String {
    match ty {
        Ty::Bool => "a boolean".into(),
        Ty::Int => "an integer".into(),
        Ty::Decimal | Ty::Percent => "a number".into(),
        Ty::Money => "an amount of money (a number or a decimal string)".into(),
        Ty::Date => "a date (\"YYYY-MM-DD\")".into(),
        Ty::Month => "a month (\"YYYY-MM\")".into(),
        Ty::Text => "a string".into(),
        Ty::Enum(..) => "one of the names listed in the schema".into(),
        Ty::Days => "a number of days".into(),
        Ty::Months => "a number of months".into(),
        Ty::List(_) => "a list".into(),
        Ty::Record(_) => "an object".into(),
        Ty::Opt(t) => format!("{} or null", expected(t)),
        t => format!("`{t}`"),
    }
}

impl ValueVisitor<'_, '_> {
    fn wrong<E: de::Error>(&self, found: &str) -> E {
        self.ctx
            .fail(format!("expected {}, found {found}", expected(self.ty)))
    }

    fn number<E: de::Error>(&self, text: &str) -> Result<Value, E> {
        let ty = self.ty.strip_opt();
        match ty {
            Ty::Int => {
                if text.contains(['.', 'e', 'E']) {
                    return Err(self
                        .ctx
                        .fail(format!("expected an integer, found `{text}`")));
                }
                let i: i64 = text.parse().map_err(|_| {
                    self.ctx
                        .fail(format!("number `{}` is out of range", short(text)))
                })?;
                if i < 0 && !self.signed {
                    return Err(self.ctx.fail(format!("negative count `{i}`")));
                }
                Ok(Value::Int(i))
            }
            Ty::Days | Ty::Months => {
                let i: i64 = text.parse().map_err(|_| {
                    self.ctx.fail(format!(
                        "expected a whole number of days or months, found `{}`",
                        short(text)
                    ))
                })?;
                Ok(if ty == &Ty::Days {
                    Value::Days(i)
                } else {
                    Value::Months(i)
                })
            }
            Ty::Decimal | Ty::Percent | Ty::Money => {
                let d = parse_decimal(text).ok_or_else(|| {
                    self.ctx
                        .fail(format!("number `{}` is out of range", short(text)))
                })?;
                if ty == &Ty::Money && d.is_sign_negative() && !d.is_zero() && !self.signed {
                    return Err(self.ctx.fail("negative money"));
                }
                Ok(Value::Dec(d))
            }
            _ => Err(self.wrong(&format!("the number `{}`", short(text)))),
        }
    }
}

fn short(s: &str) -> String {
    if s.chars().count() > 24 {
        format!("{}…", s.chars().take(24).collect::<String>())
    } else {
        s.to_string()
    }
}

/// Reads a JSON number's text exactly; exponents are allowed, binary floats never used.
fn parse_decimal(text: &str) -> Option<Decimal> {
    if text.contains(['e', 'E']) {
        Decimal::from_scientific(text).ok()
    } else {
        Decimal::from_str_exact(text).ok()
    }
}

impl<'de> Visitor<'de> for ValueVisitor<'_, '_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(&expected(self.ty))
    }

    fn visit_bool<E: de::Error>(self, b: bool) -> Result<Value, E> {
        match self.ty.strip_opt() {
            Ty::Bool => Ok(Value::Bool(b)),
            _ => Err(self.wrong(&format!("`{b}`"))),
        }
    }

    fn visit_i64<E: de::Error>(self, i: i64) -> Result<Value, E> {
        self.number(&i.to_string())
    }

    fn visit_u64<E: de::Error>(self, u: u64) -> Result<Value, E> {
        self.number(&u.to_string())
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Value, E> {
        Err(self
            .ctx
            .fail("binary floating-point numbers are not accepted"))
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<Value, E> {
        match self.ty.strip_opt() {
            Ty::Text => Ok(Value::Text(s.into())),
            Ty::Date => parse_date(s).map(Value::Date).ok_or_else(|| {
                self.ctx.fail(format!(
                    "`{}` is not a calendar date (YYYY-MM-DD)",
                    short(s)
                ))
            }),
            Ty::Month => parse_month(s).ok_or_else(|| {
                self.ctx
                    .fail(format!("`{}` is not a calendar month (YYYY-MM)", short(s)))
            }),
            Ty::Money => {
                let d = parse_decimal(s)
                    .filter(|_| {
                        !s.contains(['e', 'E'])
                            && s.chars()
                                .all(|c| c.is_ascii_digit() || c == '.' || c == '-')
                    })
                    .ok_or_else(|| {
                        self.ctx
                            .fail(format!("`{}` is not an amount of money", short(s)))
                    })?;
                if d.is_sign_negative() && !d.is_zero() && !self.signed {
                    return Err(self.ctx.fail("negative money"));
                }
                Ok(Value::Dec(d))
            }
            Ty::Enum(e, name) => {
                let def = &self.ctx.enums[*e as usize];
                match def.variants.iter().position(|v| &**v == s) {
                    Some(i) => Ok(Value::Enum(i as u32)),
                    None => {
                        let hint = match closest(s, def.variants.iter().map(|v| &**v)) {
                            Some(c) => format!("; did you mean `{c}`?"),
                            None => format!(
                                "; expected one of {}",
                                def.variants
                                    .iter()
                                    .map(|v| format!("`{v}`"))
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            ),
                        };
                        Err(self
                            .ctx
                            .fail(format!("`{}` is not a value of `{name}`{hint}", short(s))))
                    }
                }
            }
            _ => Err(self.wrong(&format!("the string \"{}\"", short(s)))),
        }
    }

    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        match self.ty {
            Ty::Opt(_) => Ok(Value::None),
            _ => Err(self.wrong("null")),
        }
    }

    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        self.visit_unit()
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let Ty::List(elem) = self.ty.strip_opt() else {
            return Err(self.wrong("a list"));
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
                        return Err(self.ctx.fail(format!(
                            "list longer than the limit of {} elements",
                            self.ctx.options.max_list_len
                        )));
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
                self.number(&text)
            }
            _ => Err(self.wrong("an object")),
        }
    }
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
    if y.len() != 4 || m.len() != 2 {
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
                return Err(ctx.fail(format!(
                    "expected an object, found the number `{}`",
                    short(&text)
                )));
            }
            if let Some(slot) = self.rec.slot(&key) {
                if is_seen(seen_small, &seen_wide, slot) {
                    return Err(ctx.fail(format!("duplicate key `{key}`")));
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
                    return Err(ctx.fail("duplicate key `format`"));
                }
                format_seen = true;
                let f: String = map.next_value().map_err(|_: A::Error| {
                    ctx.fail::<A::Error>(format!(
                        "`format` must be the string \"{}\"",
                        ctx.schema.format
                    ))
                })?;
                if f != ctx.schema.format {
                    return Err(ctx.fail(format!(
                        "unknown format \"{}\"; these policies read \"{}\"",
                        short(&f),
                        ctx.schema.format
                    )));
                }
                continue;
            }
            if self.root && key == "as_of" {
                if as_of.is_some() {
                    return Err(ctx.fail("duplicate key `as_of`"));
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
                ctx.path.borrow_mut().push(Seg::Key(key.to_string()));
                let err = ctx.fail(format!("{UNKNOWN_KEY}{}", suggestion.unwrap_or_default()));
                return Err(err);
            }
            let mut w = format!("{}: unknown key ignored", ctx.child_path(&key));
            if let Some(s) = suggestion {
                w.push_str(&format!(" (did you mean `{s}`?)"));
            }
            ctx.warnings.borrow_mut().push(w);
            map.next_value::<IgnoredAny>()?;
        }
        if self.root && !format_seen {
            return Err(ctx.fail(format!(
                "missing required key `format` (\"{}\")",
                ctx.schema.format
            )));
        }
        for (i, field) in self.rec.fields.iter().enumerate() {
            if !is_seen(seen_small, &seen_wide, i) {
                match &field.default {
                    Some(d) => values[i] = d.clone(),
                    None => return Err(ctx.fail(format!("missing required key `{}`", field.name))),
                }
            }
        }
        Ok((Value::Record(Arc::new(values)), as_of))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        if self.optional {
            return Ok((Value::None, None));
        }
        Err(self.ctx.fail("expected an object, found null"))
    }
    fn visit_bool<E: de::Error>(self, b: bool) -> Result<Self::Value, E> {
        Err(self.ctx.fail(format!("expected an object, found `{b}`")))
    }
    fn visit_str<E: de::Error>(self, s: &str) -> Result<Self::Value, E> {
        Err(self.ctx.fail(format!(
            "expected an object, found the string \"{}\"",
            short(s)
        )))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> Result<Self::Value, A::Error> {
        Err(self.ctx.fail("expected an object, found a list"))
    }
    fn visit_i64<E: de::Error>(self, i: i64) -> Result<Self::Value, E> {
        Err(self
            .ctx
            .fail(format!("expected an object, found the number `{i}`")))
    }
    fn visit_u64<E: de::Error>(self, i: u64) -> Result<Self::Value, E> {
        Err(self
            .ctx
            .fail(format!("expected an object, found the number `{i}`")))
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
        Err(self.ctx.fail("expected an object, found a number"))
    }
}
