//! Values as output: the `eligo.outcomes/1` JSON object and the text table. Decimals print
//! exactly, without trailing zeros or binary-float noise; key order is fixed, so the same
//! inputs always give the same bytes.

use crate::diag::{Error, ErrorKind};
use crate::model::value::format_month;
use crate::model::{Program, Ty, Value};
use rust_decimal::Decimal;
use std::fmt::Write;

/// A decimal as its shortest exact text: `72.5`, `4730`, `-0.25`.
pub fn decimal_text(d: Decimal) -> String {
    let n = d.normalize();
    if n.is_zero() {
        "0".into()
    } else {
        n.to_string()
    }
}

/// Writes a JSON string literal.
pub fn json_string(out: &mut String, s: &str) {
    out.push('"');
    if !s.bytes().any(|b| b == b'"' || b == b'\\' || b < 0x20) {
        out.push_str(s);
        out.push('"');
        return;
    }
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Writes `YYYY-MM-DD` without going through a format string.
pub fn push_date(out: &mut String, d: chrono::NaiveDate) {
    use chrono::Datelike;
    let _ = write!(out, "{:04}-{:02}-{:02}", d.year(), d.month(), d.day());
}

/// A value whose shape is not its type's (a list typed as a number, an enum index past its
/// variants): the type checker and the evaluator disagree. Never printed as a plausible value.
fn off_type() -> Error {
    Error::bare(ErrorKind::internal(
        "a value does not have the shape of its type",
    ))
}

/// Writes a value of a type as JSON.
pub fn json_value(out: &mut String, program: &Program, v: &Value, t: &Ty) -> Result<(), Error> {
    match (v, t) {
        (Value::None, _) => out.push_str("null"),
        (Value::Bool(b), _) => out.push_str(if *b { "true" } else { "false" }),
        (Value::Int(i), _) => {
            let _ = write!(out, "{i}");
        }
        (Value::Dec(d), _) => out.push_str(&decimal_text(*d)),
        (Value::Days(n), _) | (Value::Months(n), _) => {
            let _ = write!(out, "{n}");
        }
        (Value::Date(d), _) => {
            out.push('"');
            push_date(out, *d);
            out.push('"');
        }
        (Value::Month(m), _) => json_string(out, &format_month(*m)),
        (Value::Text(s), _) => json_string(out, s),
        (Value::Enum(i), t) => json_string(out, enum_name(program, t, *i)?),
        (Value::List(items), t) => {
            let elem = list_element(t)?;
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                json_value(out, program, item, elem)?;
            }
            out.push(']');
        }
        (Value::Record(fields), t) => {
            let r = record_type(t, fields)?;
            out.push('{');
            for (i, (f, v)) in r.fields.iter().zip(fields.iter()).enumerate() {
                if i > 0 {
                    out.push(',');
                }
                json_string(out, &f.name);
                out.push(':');
                json_value(out, program, v, &f.ty)?;
            }
            out.push('}');
        }
        (Value::Window(w), _) => {
            let _ = write!(
                out,
                "{{\"start\":\"{}\",\"start_inclusive\":{},\"end\":\"{}\",\"end_inclusive\":{}}}",
                w.start, w.start_inclusive, w.end, w.end_inclusive
            );
        }
    }
    Ok(())
}

/// The element type of a list's type.
fn list_element(t: &Ty) -> Result<&Ty, Error> {
    match t.strip_opt() {
        Ty::List(e) => Ok(e),
        _ => Err(off_type()),
    }
}

/// The record type of a record value: one with a field for each of the value's.
fn record_type<'t>(t: &'t Ty, fields: &[Value]) -> Result<&'t crate::model::RecordTy, Error> {
    match t.strip_opt() {
        Ty::Record(r) if r.fields.len() == fields.len() => Ok(r),
        _ => Err(off_type()),
    }
}

fn enum_name<'p>(program: &'p Program, t: &Ty, i: u32) -> Result<&'p str, Error> {
    match t.strip_opt() {
        Ty::Enum(e, _) => program
            .enums
            .get(*e as usize)
            .and_then(|def| def.variants.get(i as usize))
            .map(|v| &**v)
            .ok_or_else(off_type),
        _ => Err(off_type()),
    }
}

/// Text for a terminal: facts text is anyone's, and a control character printed raw can clear the
/// screen, move the cursor or forge a line (`"\u001b[2J…\r\nfake_line  yes"`). Every text renderer
/// reads facts text through [`display`], which escapes with this; front ends use it (as
/// `eligo::printable`) for the facts text they print themselves (the partner's name). C0 and C1
/// controls and DEL become `\n`, `\r`, `\t` or `\u{1b}`; so do the bidirectional overrides and
/// isolates (U+202A–U+202E, U+2066–U+2069), which reorder what follows them on the line.
pub fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    let hostile =
        |c: char| c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
    if !text.chars().any(hostile) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if hostile(c) => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    std::borrow::Cow::Owned(out)
}

/// A value for people: `USD 4,730` (in the program's currency), `12.5%`, `2024-08-06`, `yes`/`no`.
pub fn display(program: &Program, v: &Value, t: &Ty) -> Result<String, Error> {
    Ok(match (v, t.strip_opt()) {
        (Value::None, _) => "none".into(),
        (Value::Bool(b), _) => (if *b { "yes" } else { "no" }).into(),
        (Value::Dec(d), Ty::Money) => format!(
            "{} {}",
            program.currency,
            group_thousands(&decimal_text(*d))
        ),
        (Value::Dec(d), Ty::Percent) => format!("{}%", decimal_text(*d)),
        (Value::Dec(d), _) => decimal_text(*d),
        (Value::Int(i), _) => i.to_string(),
        (Value::Days(n), _) => format!("{n} days"),
        (Value::Months(n), _) => format!("{n} months"),
        (Value::Date(d), _) => d.format("%Y-%m-%d").to_string(),
        (Value::Month(m), _) => format_month(*m),
        (Value::Text(s), _) => printable(s).into_owned(),
        (Value::Enum(i), t) => enum_name(program, t, *i)?.to_string(),
        (Value::List(items), t) => {
            let elem = list_element(t)?;
            let parts = items
                .iter()
                .map(|x| display(program, x, elem))
                .collect::<Result<Vec<_>, _>>()?;
            format!("[{}]", parts.join(", "))
        }
        (Value::Record(fields), t) => {
            let parts = record_type(t, fields)?
                .fields
                .iter()
                .zip(fields.iter())
                .map(|(f, x)| Ok(format!("{}: {}", f.name, display(program, x, &f.ty)?)))
                .collect::<Result<Vec<_>, Error>>()?;
            format!("{{{}}}", parts.join(", "))
        }
        (v, _) => {
            let mut s = String::new();
            json_value(&mut s, program, v, t)?;
            s
        }
    })
}

fn group_thousands(s: &str) -> String {
    let (sign, rest) = s.strip_prefix('-').map_or(("", s), |r| ("-", r));
    let (int, frac) = rest
        .split_once('.')
        .map_or((rest, None), |(i, f)| (i, Some(f)));
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    match frac {
        Some(f) => format!("{sign}{grouped}.{f}"),
        None => format!("{sign}{grouped}"),
    }
}

/// The `eligo.outcomes/1` object: compact on one line, or pretty with one outcome per line.
pub fn outcomes_object(
    program: &Program,
    selected: &[usize],
    values: &[Value],
    as_of: chrono::NaiveDate,
    partner: Option<&str>,
    pretty: bool,
) -> Result<String, Error> {
    let (open, sep, indent, close) = if pretty {
        ("{\n  ", ",\n  ", "\n    ", "\n  }\n}\n")
    } else {
        ("{", ",", "", "}}")
    };
    let colon = if pretty { ": " } else { ":" };
    let mut out = String::with_capacity(64 + selected.len() * 48);
    out.push_str(open);
    let _ = write!(
        out,
        "\"format\"{colon}\"eligo.outcomes/1\"{sep}\"as_of\"{colon}\"{}\"{sep}\"partner\"{colon}",
        as_of.format("%Y-%m-%d")
    );
    match partner {
        Some(p) => json_string(&mut out, p),
        None => out.push_str("null"),
    }
    let _ = write!(out, "{sep}\"outcomes\"{colon}{{");
    for (n, (&i, v)) in selected.iter().zip(values).enumerate() {
        let o = &program.outcomes[i];
        if n > 0 {
            out.push(',');
        }
        out.push_str(indent);
        json_string(&mut out, &o.id);
        out.push_str(colon);
        json_value(&mut out, program, v, &o.ty)?;
    }
    if pretty && selected.is_empty() {
        out.push_str("}\n}\n");
    } else {
        out.push_str(close);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_print_exactly_and_shortest() {
        assert_eq!(decimal_text("72.50".parse().unwrap()), "72.5");
        assert_eq!(decimal_text("4730.00".parse().unwrap()), "4730");
        assert_eq!(decimal_text("0.000".parse().unwrap()), "0");
        assert_eq!(decimal_text("-0.25".parse().unwrap()), "-0.25");
    }

    #[test]
    fn thousands_are_grouped_for_people() {
        assert_eq!(group_thousands("4000000"), "4,000,000");
        assert_eq!(group_thousands("1240000.5"), "1,240,000.5");
        assert_eq!(group_thousands("-100"), "-100");
    }

    #[test]
    fn control_characters_are_escaped_for_terminals() {
        let forged = "\u{1b}[2J\r\nfake_line  yes\u{7}\u{9b}\u{202e}é";
        assert_eq!(
            printable(forged),
            "\\u{1b}[2J\\r\\nfake_line  yes\\u{7}\\u{9b}\\u{202e}é"
        );
        assert!(matches!(
            printable("Contoso Ltd. — 北京"),
            std::borrow::Cow::Borrowed(_)
        ));
    }

    #[test]
    fn json_strings_are_escaped() {
        let mut s = String::new();
        json_string(&mut s, "a\"b\\c\n\u{1}");
        assert_eq!(s, "\"a\\\"b\\\\c\\n\\u0001\"");
    }
}
