//! The data of facts errors and warnings (E0402, E0403): where in the JSON document (a
//! [`FactsPath`]) and what is wrong (a [`FactsProblem`]). The facts reader builds them; their
//! words are written here, when they are shown.

use std::fmt;

/// A JSON path from the document's root: object keys and list indices.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FactsPath(pub Vec<PathSeg>);

/// One step of a [`FactsPath`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathSeg {
    /// An object key.
    Key(String),
    /// A list index, from 0.
    Index(usize),
}

/// `partner.id`, `people[3].certifications[0]`; the root itself is `(document)`.
impl fmt::Display for FactsPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            return f.write_str("(document)");
        }
        for (i, seg) in self.0.iter().enumerate() {
            match seg {
                PathSeg::Key(k) if i == 0 => f.write_str(k)?,
                PathSeg::Key(k) => write!(f, ".{k}")?,
                PathSeg::Index(n) => write!(f, "[{n}]")?,
            }
        }
        Ok(())
    }
}

/// What a facts value is, when it is not what the declaration wants. Texts are cut to a few
/// dozen characters when the error is made: a value can be megabytes long.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Found {
    /// A literal shown as written, in backticks: `true`, `12.5`.
    Literal(String),
    /// A number, shown with its digits.
    Number(String),
    /// A string, shown quoted.
    Str(String),
    /// `null`.
    Null,
    /// A list.
    List,
    /// An object.
    Object,
    /// A number whose digits are not known.
    SomeNumber,
}

/// What the facts declaration wants at a place, as the type of a value.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Expected {
    /// `Bool`
    Boolean,
    /// `Int` (a count)
    Integer,
    /// `Decimal` or `Percent`
    Number,
    /// `Money`
    Money,
    /// `Date`
    Date,
    /// `Month`
    Month,
    /// `Text`
    Text,
    /// An enum
    Variant,
    /// `Days`
    Days,
    /// `Months`
    Months,
    /// A list
    List,
    /// A record
    Object,
    /// `T?`
    OrNull(Box<Expected>),
    /// Any other type, by its name.
    Type(String),
}

/// What is wrong with a value of the facts (E0402).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum FactsProblem {
    /// A value of another kind than the declaration wants.
    WrongKind {
        /// What the declaration wants.
        expected: Expected,
        /// What the document holds.
        found: Found,
    },
    /// A count written with a fraction or an exponent.
    NotAnInteger {
        /// The number as written.
        text: String,
    },
    /// A number too large (or with too many digits) to be read exactly.
    OutOfRange {
        /// The number as written (cut).
        text: String,
    },
    /// A negative count where the field is not `@signed`.
    NegativeCount {
        /// The count.
        value: i64,
    },
    /// A negative duration (`Days`, `Months`) where the field is not `@signed`.
    NegativeDuration {
        /// The duration.
        value: i64,
    },
    /// A duration that is not a whole number.
    NotWholeDuration {
        /// The number as written (cut).
        text: String,
    },
    /// A negative amount where the field is not `@signed`.
    NegativeMoney,
    /// A number that only a binary float could hold.
    BinaryFloat,
    /// A string that is not a `YYYY-MM-DD` calendar date.
    NotADate {
        /// The string (cut).
        text: String,
    },
    /// A string that is not a `YYYY-MM` calendar month.
    NotAMonth {
        /// The string (cut).
        text: String,
    },
    /// A string that is not an amount of money.
    NotMoney {
        /// The string (cut).
        text: String,
    },
    /// A string that names no variant of the enum.
    UnknownVariant {
        /// The string (cut).
        text: String,
        /// The enum's name.
        enum_name: String,
        /// The closest variant, if one is close.
        suggestion: Option<String>,
        /// Every variant, in order.
        variants: Vec<String>,
    },
    /// A list longer than the limit.
    ListTooLong {
        /// The limit, in elements.
        limit: usize,
    },
    /// A key given twice in one object.
    DuplicateKey {
        /// The key.
        key: String,
    },
    /// A `format` that is not a string.
    FormatNotAString {
        /// The format the policies read.
        format: String,
    },
    /// Another format than the policies read.
    UnknownFormat {
        /// The document's format (cut).
        found: String,
        /// The format the policies read.
        format: String,
    },
    /// No `format` key.
    MissingFormat {
        /// The format the policies read.
        format: String,
    },
    /// A field without a default that the document leaves out.
    MissingKey {
        /// The field.
        key: String,
    },
}

/// A key of the facts that the declaration does not know, ignored (without `--strict`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FactsWarning {
    /// The key's path.
    pub path: FactsPath,
    /// The closest declared key, if one is close.
    pub suggestion: Option<String>,
}

/// `partnr: unknown key ignored (did you mean `partner`?)`
impl fmt::Display for FactsWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: unknown key ignored", self.path)?;
        if let Some(s) = &self.suggestion {
            write!(f, " (did you mean `{s}`?)")?;
        }
        Ok(())
    }
}

impl fmt::Display for Found {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Found::Literal(s) => write!(f, "`{s}`"),
            Found::Number(s) => write!(f, "the number `{s}`"),
            Found::Str(s) => write!(f, "the string \"{s}\""),
            Found::Null => f.write_str("null"),
            Found::List => f.write_str("a list"),
            Found::Object => f.write_str("an object"),
            Found::SomeNumber => f.write_str("a number"),
        }
    }
}

impl fmt::Display for Expected {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Expected::Boolean => f.write_str("a boolean"),
            Expected::Integer => f.write_str("an integer"),
            Expected::Number => f.write_str("a number"),
            Expected::Money => f.write_str("an amount of money (a number or a decimal string)"),
            Expected::Date => f.write_str("a date (\"YYYY-MM-DD\")"),
            Expected::Month => f.write_str("a month (\"YYYY-MM\")"),
            Expected::Text => f.write_str("a string"),
            Expected::Variant => f.write_str("one of the names listed in the schema"),
            Expected::Days => f.write_str("a number of days"),
            Expected::Months => f.write_str("a number of months"),
            Expected::List => f.write_str("a list"),
            Expected::Object => f.write_str("an object"),
            Expected::OrNull(t) => write!(f, "{t} or null"),
            Expected::Type(t) => write!(f, "`{t}`"),
        }
    }
}

impl fmt::Display for FactsProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use FactsProblem as P;
        match self {
            P::WrongKind { expected, found } => write!(f, "expected {expected}, found {found}"),
            P::NotAnInteger { text } => write!(f, "expected an integer, found `{text}`"),
            P::OutOfRange { text } => write!(f, "number `{text}` is out of range"),
            P::NegativeCount { value } => write!(f, "negative count `{value}`"),
            P::NegativeDuration { value } => write!(f, "negative duration `{value}`"),
            P::NotWholeDuration { text } => write!(
                f,
                "expected a whole number of days or months, found `{text}`"
            ),
            P::NegativeMoney => f.write_str("negative money"),
            P::BinaryFloat => f.write_str("binary floating-point numbers are not accepted"),
            P::NotADate { text } => write!(f, "`{text}` is not a calendar date (YYYY-MM-DD)"),
            P::NotAMonth { text } => write!(f, "`{text}` is not a calendar month (YYYY-MM)"),
            P::NotMoney { text } => write!(f, "`{text}` is not an amount of money"),
            P::UnknownVariant {
                text,
                enum_name,
                suggestion,
                variants,
            } => {
                write!(f, "`{text}` is not a value of `{enum_name}`")?;
                match suggestion {
                    Some(c) => write!(f, "; did you mean `{c}`?"),
                    None => {
                        let all: Vec<String> = variants.iter().map(|v| format!("`{v}`")).collect();
                        write!(f, "; expected one of {}", all.join(", "))
                    }
                }
            }
            P::ListTooLong { limit } => {
                write!(f, "list longer than the limit of {limit} elements")
            }
            P::DuplicateKey { key } => write!(f, "duplicate key `{key}`"),
            P::FormatNotAString { format } => {
                write!(f, "`format` must be the string \"{format}\"")
            }
            P::UnknownFormat { found, format } => write!(
                f,
                "unknown format \"{found}\"; these policies read \"{format}\""
            ),
            P::MissingFormat { format } => {
                write!(f, "missing required key `format` (\"{format}\")")
            }
            P::MissingKey { key } => write!(f, "missing required key `{key}`"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_read_as_written_and_the_root_is_the_document() {
        let p = FactsPath(vec![
            PathSeg::Key("people".into()),
            PathSeg::Index(3),
            PathSeg::Key("id".into()),
        ]);
        assert_eq!(p.to_string(), "people[3].id");
        assert_eq!(FactsPath::default().to_string(), "(document)");
    }

    #[test]
    fn problems_are_worded_when_shown() {
        let p = FactsProblem::WrongKind {
            expected: Expected::OrNull(Box::new(Expected::Date)),
            found: Found::Number("5".into()),
        };
        assert_eq!(
            p.to_string(),
            "expected a date (\"YYYY-MM-DD\") or null, found the number `5`"
        );
        let w = FactsWarning {
            path: FactsPath(vec![PathSeg::Key("partnr".into())]),
            suggestion: Some("partner".into()),
        };
        assert_eq!(
            w.to_string(),
            "partnr: unknown key ignored (did you mean `partner`?)"
        );
    }
}
