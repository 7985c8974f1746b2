//! eligo and Apache Arrow, in one place for every front end that speaks Arrow (the command line's
//! Parquet files, the Python binding's `evaluate_arrow`, Spark through it):
//!
//! - [`Rows`]: outcomes, one row per partner, built into a typed [`RecordBatch`] whose columns
//!   are `partner`, `as_of`, one column per selected outcome (its id as the name), and `error`.
//!   Nothing is dropped: a partner whose facts or evaluation failed is a row with the message in
//!   `error` and nulls elsewhere, exactly the `error` of the line `eligo batch` writes.
//! - [`facts_text`]: one row of a facts column (JSON text, or nested structs and lists as
//!   Parquet and Spark hold them) as the JSON text eligo reads.
//!
//! Types ([`data_type`]): `Bool` → boolean; `Int`, `Days`, `Months` → int64; `Decimal`, `Money`,
//! `Percent` → decimal128(38, 18) ([`DECIMAL_SCALE`]: exact, with 20 digits before the point);
//! `Date` → date32; `Month` → utf8 (`2024-08`); `Text` and enums → utf8 (the variant's name);
//! `[T]` → list of T; records → structs; windows → struct {start, start_inclusive, end,
//! end_inclusive}; `T?` → T, null for `none`. Every value is the one `eligo.outcomes/1` JSON
//! gives; a decimal that decimal128(38, 18) cannot hold exactly (more than 18 decimal places, or
//! 10^20 and more) makes its row an error row rather than a rounded value.

#![forbid(unsafe_code)]

use arrow_array::builder::Decimal128Builder;
use arrow_array::cast::AsArray;
use arrow_array::types::{
    Date32Type, Date64Type, Decimal128Type, Float32Type, Float64Type, Int16Type, Int32Type,
    Int64Type, Int8Type, UInt16Type, UInt32Type, UInt64Type, UInt8Type,
};
use arrow_array::{
    Array, ArrayRef, BooleanArray, Date32Array, Int64Array, ListArray, NullArray, RecordBatch,
    StringArray, StructArray,
};
use arrow_buffer::{NullBuffer, OffsetBuffer};
use arrow_schema::{ArrowError, DataType, Field, Fields, Schema, SchemaRef};
use chrono::{Datelike, NaiveDate};
use eligo::{LineError, LineValues, Policies, Selection, Ty, Value};
use rust_decimal::Decimal;
use std::fmt::Write as _;
use std::sync::Arc;

/// The precision of decimal columns (the most decimal128 holds).
pub const DECIMAL_PRECISION: u8 = 38;
/// The scale of decimal columns: 18 digits after the point, 20 before.
pub const DECIMAL_SCALE: i8 = 18;

/// The name of the partner id column.
pub const PARTNER_COLUMN: &str = "partner";
/// The name of the evaluation date column.
pub const AS_OF_COLUMN: &str = "as_of";
/// The name of the error column.
pub const ERROR_COLUMN: &str = "error";

/// The Arrow type of an eligo type (see the crate's documentation).
pub fn data_type(ty: &Ty) -> DataType {
    match ty {
        Ty::Error | Ty::Unknown => DataType::Null,
        Ty::Bool => DataType::Boolean,
        Ty::Int | Ty::Days | Ty::Months => DataType::Int64,
        Ty::Decimal | Ty::Money | Ty::Percent => {
            DataType::Decimal128(DECIMAL_PRECISION, DECIMAL_SCALE)
        }
        Ty::Date => DataType::Date32,
        Ty::Month | Ty::Text | Ty::Enum(..) => DataType::Utf8,
        Ty::Window => DataType::Struct(window_fields()),
        Ty::List(elem) => DataType::List(Arc::new(Field::new("item", data_type(elem), true))),
        Ty::Opt(inner) => data_type(inner),
        Ty::Record(r) => DataType::Struct(
            r.fields
                .iter()
                .map(|f| Field::new(&*f.name, data_type(&f.ty), true))
                .collect(),
        ),
    }
}

fn window_fields() -> Fields {
    Fields::from(vec![
        Field::new("start", DataType::Date32, true),
        Field::new("start_inclusive", DataType::Boolean, true),
        Field::new("end", DataType::Date32, true),
        Field::new("end_inclusive", DataType::Boolean, true),
    ])
}

/// The schema of the outcomes of a selection: `partner`, `as_of`, one column per outcome (in
/// the selection's order, named by id), `error`. Every column is nullable.
pub fn schema(policies: &Policies, selection: &Selection) -> Schema {
    let mut fields = vec![
        Field::new(PARTNER_COLUMN, DataType::Utf8, true),
        Field::new(AS_OF_COLUMN, DataType::Date32, true),
    ];
    for o in policies.selected(selection) {
        fields.push(Field::new(o.id(), data_type(o.ty()), true));
    }
    fields.push(Field::new(ERROR_COLUMN, DataType::Utf8, true));
    Schema::new(fields)
}

/// Outcomes gathered row by row, then written as one [`RecordBatch`].
pub struct Rows {
    schema: SchemaRef,
    types: Vec<Ty>,
    enums: Vec<Vec<String>>,
    rows: Vec<Result<LineValues, String>>,
}

impl Rows {
    /// Rows of the selected outcomes.
    pub fn new(policies: &Policies, selection: &Selection) -> Rows {
        Rows {
            schema: Arc::new(schema(policies, selection)),
            types: policies
                .selected(selection)
                .map(|o| o.ty().clone())
                .collect(),
            enums: policies
                .enums()
                .map(|(_, variants)| variants.into_iter().map(str::to_string).collect())
                .collect(),
            rows: Vec::new(),
        }
    }

    /// The schema of the batches [`Rows::finish`] writes.
    pub fn schema(&self) -> SchemaRef {
        self.schema.clone()
    }

    /// Adds one partner's row: its values, or why it has none.
    pub fn push(&mut self, row: Result<LineValues, LineError>) {
        let row = match row {
            Ok(v) => match self.check(&v) {
                Ok(()) => Ok(v),
                Err(message) => Err(message),
            },
            Err(e) => Err(e.message),
        };
        self.rows.push(row);
    }

    /// Adds a row that failed before evaluation (a facts column that cannot be read).
    pub fn push_error(&mut self, message: String) {
        self.rows.push(Err(message));
    }

    /// How many rows are waiting.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Whether no row is waiting.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Whether a row failed (an `error` that is not null), by index among the waiting rows.
    pub fn failed(&self, row: usize) -> bool {
        matches!(self.rows.get(row), Some(Err(_)))
    }

    /// The rows so far as one batch, in the order they were pushed; the rows are then taken.
    pub fn finish(&mut self) -> Result<RecordBatch, ArrowError> {
        let rows = std::mem::take(&mut self.rows);
        let mut columns: Vec<ArrayRef> = Vec::with_capacity(self.types.len() + 3);
        columns.push(Arc::new(StringArray::from_iter(
            rows.iter()
                .map(|r| r.as_ref().ok().and_then(|v| v.partner.as_deref())),
        )));
        columns.push(Arc::new(Date32Array::from_iter(
            rows.iter().map(|r| r.as_ref().ok().map(|v| days(v.as_of))),
        )));
        for (i, ty) in self.types.iter().enumerate() {
            let values: Vec<Option<&Value>> = rows
                .iter()
                .map(|r| r.as_ref().ok().and_then(|v| v.values.get(i)))
                .collect();
            columns.push(self.build(ty, &values)?);
        }
        columns.push(Arc::new(StringArray::from_iter(
            rows.iter().map(|r| r.as_ref().err().map(String::as_str)),
        )));
        RecordBatch::try_new(self.schema.clone(), columns)
    }

    /// Whether every value of a row fits its column.
    fn check(&self, row: &LineValues) -> Result<(), String> {
        for (ty, value) in self.types.iter().zip(&row.values) {
            fits(ty, value)?;
        }
        Ok(())
    }

    fn build(&self, ty: &Ty, values: &[Option<&Value>]) -> Result<ArrayRef, ArrowError> {
        Ok(match ty {
            Ty::Error | Ty::Unknown => Arc::new(NullArray::new(values.len())),
            Ty::Opt(inner) => self.build(inner, values)?,
            Ty::Bool => Arc::new(BooleanArray::from_iter(values.iter().map(|v| {
                match some(v) {
                    Some(Value::Bool(b)) => Some(*b),
                    _ => None,
                }
            }))),
            Ty::Int | Ty::Days | Ty::Months => {
                Arc::new(Int64Array::from_iter(values.iter().map(|v| {
                    match some(v) {
                        Some(Value::Int(n) | Value::Days(n) | Value::Months(n)) => Some(*n),
                        _ => None,
                    }
                })))
            }
            Ty::Decimal | Ty::Money | Ty::Percent => {
                let mut b = Decimal128Builder::with_capacity(values.len())
                    .with_precision_and_scale(DECIMAL_PRECISION, DECIMAL_SCALE)?;
                for v in values {
                    b.append_option(some(v).and_then(|v| scaled(v).ok()));
                }
                Arc::new(b.finish())
            }
            Ty::Date => Arc::new(Date32Array::from_iter(values.iter().map(|v| {
                match some(v) {
                    Some(Value::Date(d)) => Some(days(*d)),
                    _ => None,
                }
            }))),
            Ty::Month | Ty::Text | Ty::Enum(..) => {
                Arc::new(StringArray::from_iter(values.iter().map(|v| {
                    match (some(v), ty) {
                        (Some(Value::Month(m)), _) => Some(format!(
                            "{:04}-{:02}",
                            m.div_euclid(12),
                            m.rem_euclid(12) + 1
                        )),
                        (Some(Value::Text(s)), _) => Some(s.to_string()),
                        (Some(Value::Enum(i)), Ty::Enum(e, _)) => self
                            .enums
                            .get(*e as usize)
                            .and_then(|v| v.get(*i as usize))
                            .cloned(),
                        _ => None,
                    }
                })))
            }
            Ty::Window => {
                let windows: Vec<Option<&eligo::Window>> = values
                    .iter()
                    .map(|v| match some(v) {
                        Some(Value::Window(w)) => Some(w),
                        _ => None,
                    })
                    .collect();
                let nulls = NullBuffer::from_iter(windows.iter().map(Option::is_some));
                let children: Vec<ArrayRef> = vec![
                    Arc::new(Date32Array::from_iter(
                        windows.iter().map(|w| w.map(|w| days(w.start))),
                    )),
                    Arc::new(BooleanArray::from_iter(
                        windows.iter().map(|w| w.map(|w| w.start_inclusive)),
                    )),
                    Arc::new(Date32Array::from_iter(
                        windows.iter().map(|w| w.map(|w| days(w.end))),
                    )),
                    Arc::new(BooleanArray::from_iter(
                        windows.iter().map(|w| w.map(|w| w.end_inclusive)),
                    )),
                ];
                Arc::new(StructArray::try_new(
                    window_fields(),
                    children,
                    Some(nulls),
                )?)
            }
            Ty::List(elem) => {
                let mut lengths = Vec::with_capacity(values.len());
                let mut items: Vec<Option<&Value>> = Vec::new();
                let mut valid = Vec::with_capacity(values.len());
                for v in values {
                    match some(v) {
                        Some(Value::List(list)) => {
                            lengths.push(list.len());
                            items.extend(list.iter().map(Some));
                            valid.push(true);
                        }
                        _ => {
                            lengths.push(0);
                            valid.push(false);
                        }
                    }
                }
                let child = self.build(elem, &items)?;
                let field = Arc::new(Field::new("item", data_type(elem), true));
                Arc::new(ListArray::try_new(
                    field,
                    OffsetBuffer::from_lengths(lengths),
                    child,
                    Some(NullBuffer::from(valid)),
                )?)
            }
            Ty::Record(r) => {
                let records: Vec<Option<&Arc<Vec<Value>>>> = values
                    .iter()
                    .map(|v| match some(v) {
                        Some(Value::Record(fields)) => Some(fields),
                        _ => None,
                    })
                    .collect();
                let mut children = Vec::with_capacity(r.fields.len());
                for (i, f) in r.fields.iter().enumerate() {
                    let column: Vec<Option<&Value>> = records
                        .iter()
                        .map(|rec| rec.and_then(|fields| fields.get(i)))
                        .collect();
                    children.push(self.build(&f.ty, &column)?);
                }
                let fields = match data_type(ty) {
                    DataType::Struct(fields) => fields,
                    _ => Fields::empty(),
                };
                let nulls = NullBuffer::from_iter(records.iter().map(Option::is_some));
                if fields.is_empty() {
                    Arc::new(StructArray::new_empty_fields(records.len(), Some(nulls)))
                } else {
                    Arc::new(StructArray::try_new(fields, children, Some(nulls))?)
                }
            }
        })
    }
}

/// A value that is there (`none` is a null like a missing row).
fn some<'v>(v: &Option<&'v Value>) -> Option<&'v Value> {
    v.filter(|v| !matches!(v, Value::None))
}

/// Days since 1970-01-01 (what date32 holds).
fn days(d: NaiveDate) -> i32 {
    d.num_days_from_ce() - 719_163
}

/// Whether a value fits its column: only decimals can fail to.
fn fits(ty: &Ty, value: &Value) -> Result<(), String> {
    match (ty.strip_opt(), value) {
        (_, Value::None) => Ok(()),
        (Ty::Decimal | Ty::Money | Ty::Percent, v) => scaled(v).map(|_| ()),
        (Ty::List(elem), Value::List(items)) => items.iter().try_for_each(|v| fits(elem, v)),
        (Ty::Record(r), Value::Record(fields)) => r
            .fields
            .iter()
            .zip(fields.iter())
            .try_for_each(|(f, v)| fits(&f.ty, v)),
        _ => Ok(()),
    }
}

/// A decimal as decimal128(38, 18): the unscaled number, exactly, or why not.
fn scaled(v: &Value) -> Result<i128, String> {
    let d = match v {
        Value::Dec(d) => *d,
        Value::Int(n) => Decimal::from(*n),
        _ => return Err("a decimal column holds a value that is not a decimal".to_string()),
    };
    let scale = d.scale() as i32;
    let target = i32::from(DECIMAL_SCALE);
    let mantissa = d.mantissa();
    let unscaled = if scale <= target {
        10i128
            .checked_pow((target - scale) as u32)
            .and_then(|m| mantissa.checked_mul(m))
    } else {
        let div = 10i128.pow((scale - target) as u32);
        (mantissa % div == 0).then(|| mantissa / div)
    };
    let limit = 10i128.pow(u32::from(DECIMAL_PRECISION));
    match unscaled {
        Some(n) if n.abs() < limit => Ok(n),
        _ => Err(format!(
            "the decimal {} does not fit decimal128({DECIMAL_PRECISION}, {DECIMAL_SCALE}) exactly \
             (more than {DECIMAL_SCALE} decimal places, or 10^{} or more)",
            d.normalize(),
            DECIMAL_PRECISION as i8 - DECIMAL_SCALE
        )),
    }
}

/// Whether a column can hold facts: JSON text (utf8, large utf8, utf8 view) or nested values
/// (structs, lists, and the scalars [`facts_text`] writes as JSON).
pub fn check_facts_type(column: &str, dt: &DataType) -> Result<(), String> {
    if matches!(
        dt,
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View
    ) {
        return Ok(());
    }
    if !matches!(dt, DataType::Struct(_)) {
        return Err(format!(
            "the facts column `{column}` is {dt}: expected JSON text (utf8) or a struct of facts"
        ));
    }
    check_nested(column, dt)
}

fn check_nested(path: &str, dt: &DataType) -> Result<(), String> {
    match dt {
        DataType::Null
        | DataType::Boolean
        | DataType::Int8
        | DataType::Int16
        | DataType::Int32
        | DataType::Int64
        | DataType::UInt8
        | DataType::UInt16
        | DataType::UInt32
        | DataType::UInt64
        | DataType::Float32
        | DataType::Float64
        | DataType::Decimal128(..)
        | DataType::Date32
        | DataType::Date64
        | DataType::Utf8
        | DataType::LargeUtf8
        | DataType::Utf8View => Ok(()),
        DataType::List(f) | DataType::LargeList(f) | DataType::FixedSizeList(f, _) => {
            check_nested(&format!("{path}[]"), f.data_type())
        }
        DataType::Struct(fields) => fields
            .iter()
            .try_for_each(|f| check_nested(&format!("{path}.{}", f.name()), f.data_type())),
        other => Err(format!(
            "the facts column has {other} at `{path}`, which facts cannot hold \
             (expected text, numbers, booleans, dates, lists or structs)"
        )),
    }
}

/// One row of a facts column as JSON text: the text itself for a text column, the JSON of the
/// nested value for a struct column (null struct fields are left out, so they read as absent;
/// dates as `YYYY-MM-DD`, decimals exactly, floats in their shortest form). A null row is
/// `null` (eligo then reports that facts must be an object). Check the column's type with
/// [`check_facts_type`] first; a value that is not finite (NaN) is an error.
pub fn facts_text(column: &dyn Array, row: usize) -> Result<String, String> {
    if column.is_null(row) {
        return Ok("null".to_string());
    }
    match column.data_type() {
        DataType::Utf8 => Ok(column.as_string::<i32>().value(row).to_string()),
        DataType::LargeUtf8 => Ok(column.as_string::<i64>().value(row).to_string()),
        DataType::Utf8View => Ok(column.as_string_view().value(row).to_string()),
        _ => {
            let mut out = String::new();
            json(&mut out, column, row)?;
            Ok(out)
        }
    }
}

fn json(out: &mut String, a: &dyn Array, i: usize) -> Result<(), String> {
    if a.is_null(i) {
        out.push_str("null");
        return Ok(());
    }
    match a.data_type() {
        DataType::Null => out.push_str("null"),
        DataType::Boolean => out.push_str(if a.as_boolean().value(i) {
            "true"
        } else {
            "false"
        }),
        DataType::Int8 => push(out, a.as_primitive::<Int8Type>().value(i)),
        DataType::Int16 => push(out, a.as_primitive::<Int16Type>().value(i)),
        DataType::Int32 => push(out, a.as_primitive::<Int32Type>().value(i)),
        DataType::Int64 => push(out, a.as_primitive::<Int64Type>().value(i)),
        DataType::UInt8 => push(out, a.as_primitive::<UInt8Type>().value(i)),
        DataType::UInt16 => push(out, a.as_primitive::<UInt16Type>().value(i)),
        DataType::UInt32 => push(out, a.as_primitive::<UInt32Type>().value(i)),
        DataType::UInt64 => push(out, a.as_primitive::<UInt64Type>().value(i)),
        DataType::Float32 => float(out, f64::from(a.as_primitive::<Float32Type>().value(i)))?,
        DataType::Float64 => float(out, a.as_primitive::<Float64Type>().value(i))?,
        DataType::Decimal128(_, scale) => {
            decimal(out, a.as_primitive::<Decimal128Type>().value(i), *scale)
        }
        DataType::Date32 => {
            let d = a.as_primitive::<Date32Type>().value(i);
            date(out, i64::from(d))?
        }
        DataType::Date64 => {
            let ms = a.as_primitive::<Date64Type>().value(i);
            date(out, ms.div_euclid(86_400_000))?
        }
        DataType::Utf8 => string(out, a.as_string::<i32>().value(i)),
        DataType::LargeUtf8 => string(out, a.as_string::<i64>().value(i)),
        DataType::Utf8View => string(out, a.as_string_view().value(i)),
        DataType::List(_) => {
            let list = a.as_list::<i32>();
            items(out, &list.value(i))?
        }
        DataType::LargeList(_) => {
            let list = a.as_list::<i64>();
            items(out, &list.value(i))?
        }
        DataType::FixedSizeList(..) => items(out, &a.as_fixed_size_list().value(i))?,
        DataType::Struct(fields) => {
            let s = a.as_struct();
            out.push('{');
            let mut first = true;
            for (f, child) in fields.iter().zip(s.columns()) {
                if child.is_null(i) {
                    continue;
                }
                if !first {
                    out.push(',');
                }
                first = false;
                string(out, f.name());
                out.push(':');
                json(out, child.as_ref(), i)?;
            }
            out.push('}');
        }
        other => return Err(format!("facts cannot hold a value of Arrow type {other}")),
    }
    Ok(())
}

fn items(out: &mut String, list: &ArrayRef) -> Result<(), String> {
    out.push('[');
    for j in 0..list.len() {
        if j > 0 {
            out.push(',');
        }
        json(out, list.as_ref(), j)?;
    }
    out.push(']');
    Ok(())
}

fn push(out: &mut String, n: impl std::fmt::Display) {
    let _ = write!(out, "{n}");
}

fn float(out: &mut String, x: f64) -> Result<(), String> {
    if !x.is_finite() {
        return Err(format!("facts hold the number {x}, which JSON cannot"));
    }
    // The shortest text that reads back as the same double: `1234.56`, not `1234.5599999…`.
    let _ = write!(out, "{x}");
    Ok(())
}

fn decimal(out: &mut String, unscaled: i128, scale: i8) {
    if scale <= 0 {
        let _ = write!(out, "{unscaled}");
        for _ in 0..(-i32::from(scale)) {
            out.push('0');
        }
        return;
    }
    let digits = unscaled.unsigned_abs().to_string();
    let scale = scale as usize;
    if unscaled < 0 {
        out.push('-');
    }
    if digits.len() <= scale {
        out.push_str("0.");
        out.extend(std::iter::repeat_n('0', scale - digits.len()));
        out.push_str(&digits);
    } else {
        let (int, frac) = digits.split_at(digits.len() - scale);
        out.push_str(int);
        out.push('.');
        out.push_str(frac);
    }
}

fn date(out: &mut String, days_since_epoch: i64) -> Result<(), String> {
    let d = NaiveDate::from_ymd_opt(1970, 1, 1)
        .and_then(|epoch| epoch.checked_add_signed(chrono::TimeDelta::try_days(days_since_epoch)?))
        .ok_or_else(|| {
            format!("facts hold a date {days_since_epoch} days from 1970-01-01, out of range")
        })?;
    let _ = write!(out, "\"{:04}-{:02}-{:02}\"", d.year(), d.month(), d.day());
    Ok(())
}

/// A JSON string, escaped as the evaluator's JSON output escapes it (the one escaping function).
fn string(out: &mut String, s: &str) {
    eligo::json_string(out, s);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_scale_exactly_or_refuse() {
        let d = |s: &str| Value::Dec(s.parse::<Decimal>().unwrap());
        assert_eq!(scaled(&d("1.5")), Ok(1_500_000_000_000_000_000));
        assert_eq!(scaled(&Value::Int(-2)), Ok(-2_000_000_000_000_000_000));
        assert!(scaled(&d("0.3333333333333333333333333333")).is_err());
        assert!(scaled(&d("100000000000000000000")).is_err());
        assert_eq!(
            scaled(&d("99999999999999999999.5")),
            Ok(99_999_999_999_999_999_999_500_000_000_000_000_000)
        );
    }

    #[test]
    fn decimal_text_is_exact() {
        let mut s = String::new();
        decimal(&mut s, -1205, 3);
        s.push(' ');
        decimal(&mut s, 5, 3);
        s.push(' ');
        decimal(&mut s, 12, -2);
        assert_eq!(s, "-1.205 0.005 1200");
    }

    #[test]
    fn dates_and_strings() {
        let mut s = String::new();
        date(&mut s, 19_941).unwrap();
        string(&mut s, "a\"\n\u{1}");
        assert_eq!(s, "\"2024-08-06\"\"a\\\"\\n\\u0001\"");
        assert_eq!(days(NaiveDate::from_ymd_opt(2024, 8, 6).unwrap()), 19_941);
    }
}
