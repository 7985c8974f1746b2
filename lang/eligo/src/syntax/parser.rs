//! pest pairs → AST, one function per grammar rule.

use super::ast::*;
use super::prescan::prescan;
use crate::diag::{Error, ErrorKind};
use crate::source::{SourceId, Span};
use chrono::NaiveDate;
use pest::iterators::Pair;
use pest::Parser as _;
use rust_decimal::Decimal;
use std::str::FromStr;

/// The pest parser of `grammar.pest`, derived once: the formatter reads its pairs too.
#[derive(pest_derive::Parser)]
#[grammar = "syntax/grammar.pest"]
pub(crate) struct Grammar;

type P<'i> = Pair<'i, Rule>;

/// Parses one policy file.
pub fn parse_module(source: SourceId, text: &str) -> Result<Module, Vec<Error>> {
    prescan(source, text).map_err(|e| vec![e])?;
    let pairs = Grammar::parse(Rule::file, text)
        .map_err(|e| vec![syntax_error(source, text, Rule::file, e)])?;
    let b = Builder {
        source,
        errors: Vec::new(),
    };
    let mut b = b;
    let mut items = Vec::new();
    // INVARIANT: `file` always yields exactly one pair.
    for pair in pairs
        .into_iter()
        .next()
        .into_iter()
        .flat_map(|p| p.into_inner())
    {
        if pair.as_rule() == Rule::item {
            if let Some(item) = b.item(pair) {
                items.push(item);
            }
        }
    }
    if b.errors.is_empty() {
        Ok(Module { items })
    } else {
        Err(b.errors)
    }
}

/// Parses one expression (the REPL's input, tests).
pub fn parse_expr(source: SourceId, text: &str) -> Result<Expr, Vec<Error>> {
    prescan(source, text).map_err(|e| vec![e])?;
    // The expression grammar is shared: parse `expr` and require the whole input to be used.
    let mut pairs = Grammar::parse(Rule::expr, text)
        .map_err(|e| vec![syntax_error(source, text, Rule::expr, e)])?;
    let pair = pairs.next().ok_or_else(|| {
        vec![Error::at(
            Span::new(source, 0, 0),
            ErrorKind::Syntax {
                expected: vec!["an expression".into()],
                found: "end of input".into(),
                hint: None,
            },
        )]
    })?;
    let end = pair.as_span().end();
    let rest = &text[end..];
    let trimmed = skip_trivia(rest);
    if !trimmed.is_empty() {
        let start = end + (rest.len() - trimmed.len());
        let found = describe_found(trimmed);
        return Err(vec![Error::at(
            Span::new(source, start, start + first_token_len(trimmed)),
            ErrorKind::Syntax {
                hint: hint_for(trimmed),
                expected: vec!["an operator".into(), "end of input".into()],
                found,
            },
        )]);
    }
    let mut b = Builder {
        source,
        errors: Vec::new(),
    };
    let e = b.expr(pair);
    if b.errors.is_empty() {
        Ok(e)
    } else {
        Err(b.errors)
    }
}

fn skip_trivia(mut s: &str) -> &str {
    loop {
        let t = s.trim_start();
        if let Some(rest) = t.strip_prefix('#') {
            s = rest.find('\n').map_or("", |i| &rest[i..]);
        } else {
            return t;
        }
    }
}

fn first_token_len(s: &str) -> usize {
    let n = s
        .char_indices()
        .find(|(_, c)| c.is_whitespace())
        .map_or(s.len(), |(i, _)| i);
    n.clamp(1.min(s.len()), 40.min(s.len()).max(1.min(s.len())))
}

fn describe_found(rest: &str) -> String {
    if rest.is_empty() {
        return "end of input".into();
    }
    let word: String = rest
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    if !word.is_empty() {
        let shown: String = word.chars().take(40).collect();
        return format!("`{shown}`");
    }
    if let Some(op) = ["&&", "||"].into_iter().find(|op| rest.starts_with(op)) {
        return format!("`{op}`");
    }
    // INVARIANT: rest is non-empty.
    let c = rest.chars().next().unwrap_or(' ');
    format!("`{c}`")
}

/// Friendly names for the grammar's rules; `None` hides a rule from "expected" lists.
fn rule_name(rule: Rule) -> Option<&'static str> {
    use Rule as R;
    Some(match rule {
        R::EOI => "end of input",
        R::item
        | R::item_body
        | R::kw_use
        | R::kw_facts
        | R::kw_type
        | R::kw_enum
        | R::kw_table
        | R::kw_rule
        | R::kw_outcome => "an item (`rule`, `table`, `type`, `enum`, `facts`, `outcome` or `use`)",
        R::meta | R::doc_comment | R::attribute => {
            "an item (`rule`, `table`, `type`, `enum`, `facts`, `outcome` or `use`)"
        }
        R::ident | R::name | R::field_name | R::type_name | R::call_path => "a name",
        R::arg => "an expression",
        R::string | R::string_inner => "a string",
        R::expr
        | R::pipeline
        | R::or_expr
        | R::and_expr
        | R::not_expr
        | R::cmp_expr
        | R::other_expr
        | R::add_expr
        | R::mul_expr
        | R::unary
        | R::postfix
        | R::atom
        | R::number
        | R::int_lit
        | R::paren
        | R::call
        | R::list_lit
        | R::record_lit
        | R::date_lit
        | R::month_lit
        | R::money_lit
        | R::duration_lit
        | R::percent_lit
        | R::bool_lit
        | R::none_lit
        | R::criteria
        | R::score_block
        | R::points_call
        | R::trailing_window
        | R::between_window
        | R::let_expr
        | R::if_expr
        | R::not_op
        | R::neg_op
        | R::kw_let
        | R::kw_if
        | R::kw_not => "an expression",
        R::type_expr | R::list_type | R::record_type => "a type",
        R::cmp_op | R::compare => "a comparison",
        R::add_op | R::mul_op => "an operator",
        R::kw_then => "`then`",
        R::kw_else => "`else`",
        R::kw_and => "`and`",
        R::kw_or => "`or`",
        R::kw_where => "`where`",
        R::kw_in => "`in`",
        R::kw_each => "`each`",
        R::kw_per => "`per`",
        R::kw_max => "`max`",
        R::kw_of => "`of`",
        R::kw_by => "`by`",
        R::duration_unit => "`days`, `months` or `years`",
        R::field_access => "`.`",
        R::index => "`[`",
        R::optional_mark => "`?`",
        R::criterion => "a criterion (`\"label\": expression`)",
        R::field_decl => "a field (`name: Type`)",
        R::field_init => "a field (`name: value`)",
        R::column => "a column (`name: Type`)",
        R::row => "a row (`(cell, …)`)",
        R::param => "a parameter (`name: Type`)",
        R::variant => "a variant name",
        R::module_path => "a module path",
        _ => return None,
    })
}

fn syntax_error(source: SourceId, text: &str, rule: Rule, e: pest::error::Error<Rule>) -> Error {
    use pest::error::{ErrorVariant, InputLocation};
    let pos = match e.location {
        InputLocation::Pos(p) => p,
        InputLocation::Span((s, _)) => s,
    };
    let rest = &text[pos.min(text.len())..];
    if rest.starts_with('"') && !rest[1..].split('\n').next().unwrap_or("").contains('"') {
        let end = rest.find('\n').map_or(text.len(), |i| pos + i);
        return Error::at(Span::new(source, pos, end), ErrorKind::UnterminatedString);
    }
    if let Some(unterminated) = unterminated_string_before(text, pos) {
        return Error::at(
            Span::new(source, unterminated.0, unterminated.1),
            ErrorKind::UnterminatedString,
        );
    }
    let mut expected: Vec<String> = match &e.variant {
        ErrorVariant::ParsingError { positives, .. } => positives
            .iter()
            .filter_map(|r| rule_name(*r))
            .map(String::from)
            .collect(),
        ErrorVariant::CustomError { .. } => Vec::new(),
    };
    let expression = expected.iter().any(|x| x == "an expression");
    // `(` and `{` open expressions too: "an expression" says it.
    expected.extend(
        punctuation_expected(text, rule, pos)
            .into_iter()
            .filter(|t| !(expression && (t == "`(`" || t == "`{`"))),
    );
    expected.sort();
    expected.dedup();
    let found = describe_found(rest);
    let len = if rest.is_empty() {
        0
    } else {
        first_token_len(rest)
    };
    Error::at(
        Span::new(source, pos, pos + len),
        ErrorKind::Syntax {
            expected,
            found,
            hint: hint_for(rest),
        },
    )
}

/// `2024-2-1` or `2024-2` (a year, then one- or two-digit numbers, joined by `-` with no space):
/// the date or month it was meant to be, with its zeros. Written so, it would be a subtraction.
fn date_without_zeros(text: &str) -> Option<String> {
    let parts: Vec<&str> = text.split('-').collect();
    let digits = |p: &str, n: std::ops::RangeInclusive<usize>| {
        n.contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit())
    };
    let (year, rest) = parts.split_first()?;
    if !digits(year, 4..=4) || rest.is_empty() || rest.len() > 2 {
        return None;
    }
    if !rest.iter().all(|p| digits(p, 1..=2)) || rest.iter().all(|p| p.len() == 2) {
        return None;
    }
    let padded: Vec<String> = rest.iter().map(|p| format!("{p:0>2}")).collect();
    Some(format!("{year}-{}", padded.join("-")))
}

/// The punctuation (`)`, `,`, `]`…) that would have let the parse go on at `pos`. pest names only
/// rules in its errors, not the literal tokens between them, so the text is parsed again with
/// pest's token tracking on, only after a failure (the tracking costs time on every parse).
fn punctuation_expected(text: &str, rule: Rule, pos: usize) -> Vec<String> {
    pest::set_error_detail(true);
    let again = Grammar::parse(rule, text).err();
    pest::set_error_detail(false);
    let Some(attempts) = again.as_ref().and_then(|e| e.parse_attempts()) else {
        return Vec::new();
    };
    if attempts.max_position != pos {
        return Vec::new();
    }
    // Operators are named by their rules already ("an operator", "a comparison"); the brackets
    // and separators are what authors forget.
    const SHOWN: &[&str] = &[")", "]", "}", ",", ";", ":", "=", "(", "{"];
    let tokens: Vec<String> = attempts
        .expected_tokens()
        .into_iter()
        .map(|t| t.to_string())
        .filter(|t| SHOWN.contains(&t.as_str()))
        .collect();
    // Inside a call's brackets every argument may go on with `: body` (`x in list: …`): naming
    // `:` there beside `)` and `,` misleads more than it helps.
    let in_call = tokens.iter().any(|t| t == ")");
    tokens
        .into_iter()
        .filter(|t| !(in_call && t == ":"))
        .map(|t| format!("`{t}`"))
        .collect()
}

/// What the author of text starting with `rest` at an error probably meant: the operators of
/// other languages that eligo writes differently.
fn hint_for(rest: &str) -> Option<String> {
    let hint = if rest.starts_with("&&") {
        "write `and` instead of `&&`"
    } else if rest.starts_with("||") {
        "write `or` instead of `||`"
    } else if rest.starts_with('=') && !rest.starts_with("==") {
        "compare with `==`; a single `=` only gives a definition its value"
    } else if rest.starts_with('!') && !rest.starts_with("!=") {
        "write `not` instead of `!`"
    } else {
        return None;
    };
    Some(hint.into())
}

/// A `"` on the error's line with no closing quote: the usual cause of a confusing error.
fn unterminated_string_before(text: &str, pos: usize) -> Option<(usize, usize)> {
    let line_start = text[..pos.min(text.len())].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[line_start..]
        .find('\n')
        .map_or(text.len(), |i| line_start + i);
    let line = &text[line_start..line_end];
    let mut in_string = None;
    let mut chars = line.char_indices();
    while let Some((i, c)) = chars.next() {
        match (c, in_string) {
            ('#', None) => break,
            ('"', None) => in_string = Some(i),
            ('"', Some(_)) => in_string = None,
            ('\\', Some(_)) => {
                chars.next();
            }
            _ => {}
        }
    }
    in_string.map(|i| (line_start + i, line_end))
}

struct Builder {
    source: SourceId,
    errors: Vec<Error>,
}

impl Builder {
    fn span(&self, p: &P) -> Span {
        let s = p.as_span();
        Span::new(self.source, s.start(), s.end())
    }

    fn ident(&self, p: P) -> Ident {
        Spanned::new(p.as_str().into(), self.span(&p))
    }

    fn item(&mut self, p: P) -> Option<Item> {
        let span = self.span(&p);
        let mut inner = p.into_inner();
        let meta = self.meta(inner.next()?);
        let body = inner.next()?;
        let kind = match body.as_rule() {
            Rule::use_decl => {
                let mut it = body.into_inner().filter(|p| !is_kw(p));
                let path = self.ident(it.next()?);
                let alias = it.next().map(|p| self.ident(p));
                ItemKind::Use { path, alias }
            }
            Rule::facts_decl => {
                let mut format = None;
                let mut identified_by = None;
                let mut fields = Vec::new();
                for q in body.into_inner() {
                    match q.as_rule() {
                        Rule::string => format = Some(self.string(q)),
                        Rule::field_path => {
                            identified_by = Some(q.into_inner().map(|i| self.ident(i)).collect())
                        }
                        Rule::record_type => fields = self.fields(q),
                        _ => {}
                    }
                }
                ItemKind::Facts {
                    format: format?,
                    identified_by,
                    fields,
                }
            }
            Rule::type_decl => {
                let mut it = body.into_inner().filter(|p| !is_kw(p));
                let name = self.ident(it.next()?);
                let ty = self.type_expr(it.next()?);
                ItemKind::Type { name, ty }
            }
            Rule::enum_decl => {
                let mut it = body.into_inner().filter(|p| !is_kw(p));
                let name = self.ident(it.next()?);
                let variants = it
                    .map(|v| {
                        let mut vi = v.into_inner();
                        let meta = vi.next().map(|m| self.meta(m)).unwrap_or_default();
                        let id = vi.next().map(|i| self.ident(i));
                        (meta, id)
                    })
                    .filter_map(|(m, i)| i.map(|i| (m, i)))
                    .collect();
                ItemKind::Enum { name, variants }
            }
            Rule::table_decl => {
                let mut name = None;
                let mut columns = Vec::new();
                let mut key = None;
                let mut rows = Vec::new();
                let mut after_key = false;
                for q in body.into_inner() {
                    match q.as_rule() {
                        Rule::ident if name.is_none() => name = Some(self.ident(q)),
                        Rule::kw_key => after_key = true,
                        Rule::ident if after_key => key = Some(self.ident(q)),
                        Rule::column => {
                            let mut c = q.into_inner();
                            let n = self.ident(c.next()?);
                            let t = self.type_expr(c.next()?);
                            columns.push((n, t));
                        }
                        Rule::row => {
                            let rs = self.span(&q);
                            let cells = q.into_inner().map(|e| self.expr(e)).collect();
                            rows.push(Spanned::new(cells, rs));
                        }
                        _ => {}
                    }
                }
                ItemKind::Table {
                    name: name?,
                    columns,
                    key,
                    rows,
                }
            }
            Rule::rule_decl => {
                let mut name = None;
                let mut params = Vec::new();
                let mut ty = None;
                let mut expr = None;
                for q in body.into_inner() {
                    match q.as_rule() {
                        Rule::ident => name = Some(self.ident(q)),
                        Rule::params => {
                            for prm in q.into_inner() {
                                let mut c = prm.into_inner();
                                let n = self.ident(c.next()?);
                                let t = self.type_expr(c.next()?);
                                params.push((n, t));
                            }
                        }
                        Rule::type_expr => ty = Some(self.type_expr(q)),
                        Rule::expr => expr = Some(self.expr(q)),
                        _ => {}
                    }
                }
                ItemKind::Rule {
                    name: name?,
                    params,
                    ty: ty?,
                    body: expr?,
                }
            }
            Rule::outcome_decl => {
                let mut id = None;
                let mut idents = Vec::new();
                let mut expr = None;
                for q in body.into_inner() {
                    match q.as_rule() {
                        Rule::string => id = Some(self.string(q)),
                        Rule::ident => idents.push(self.ident(q)),
                        Rule::expr => expr = Some(self.expr(q)),
                        _ => {}
                    }
                }
                let mut idents = idents.into_iter();
                let each = match (idents.next(), idents.next()) {
                    (Some(a), Some(b)) => Some((a, b)),
                    _ => None,
                };
                ItemKind::Outcome {
                    id: id?,
                    each,
                    body: expr?,
                }
            }
            _ => return None,
        };
        Some(Item { meta, kind, span })
    }

    fn meta(&mut self, p: P) -> Meta {
        let mut meta = Meta::default();
        for q in p.into_inner() {
            match q.as_rule() {
                Rule::doc_comment => {
                    let text = q.into_inner().next().map_or("", |t| t.as_str());
                    meta.docs.push(
                        text.strip_prefix(' ')
                            .unwrap_or(text)
                            .trim_end()
                            .to_string(),
                    );
                }
                Rule::attribute => {
                    let mut it = q.into_inner();
                    if let Some(name) = it.next() {
                        let name = self.ident(name);
                        let args = it.map(|s| self.string(s)).collect();
                        meta.attrs.push(Attribute { name, args });
                    }
                }
                _ => {}
            }
        }
        meta
    }

    fn fields(&mut self, p: P) -> Vec<FieldDecl> {
        p.into_inner()
            .filter_map(|f| {
                let mut it = f.into_inner();
                let meta = self.meta(it.next()?);
                let name_pair = it.next()?.into_inner().next()?;
                let name = if name_pair.as_rule() == Rule::string {
                    let s = self.string(name_pair);
                    Spanned::new(s.node.as_str().into(), s.span)
                } else {
                    self.ident(name_pair)
                };
                let ty = self.type_expr(it.next()?);
                let default = it.next().map(|e| self.expr(e));
                Some(FieldDecl {
                    meta,
                    name,
                    ty,
                    default,
                })
            })
            .collect()
    }

    fn type_expr(&mut self, p: P) -> TypeExpr {
        let span = self.span(&p);
        let mut it = p.into_inner();
        let atom = match it.next() {
            Some(a) => a,
            None => return Spanned::new(TypeExprKind::Record(Vec::new()), span),
        };
        let aspan = self.span(&atom);
        let base = match atom.as_rule() {
            Rule::list_type => {
                let inner = atom.into_inner().next().map(|t| self.type_expr(t));
                match inner {
                    Some(t) => TypeExprKind::List(Box::new(t)),
                    None => TypeExprKind::Record(Vec::new()),
                }
            }
            Rule::record_type => TypeExprKind::Record(self.fields(atom)),
            _ => match atom.into_inner().next() {
                Some(i) => TypeExprKind::Name(self.ident(i)),
                None => TypeExprKind::Record(Vec::new()),
            },
        };
        let base = Spanned::new(base, aspan);
        if it.next().is_some() {
            Spanned::new(TypeExprKind::Optional(Box::new(base)), span)
        } else {
            base
        }
    }

    fn string(&mut self, p: P) -> Spanned<String> {
        let span = self.span(&p);
        let raw = p.into_inner().next().map_or("", |s| s.as_str());
        let mut out = String::with_capacity(raw.len());
        let mut chars = raw.chars();
        while let Some(c) = chars.next() {
            if c == '\\' {
                match chars.next() {
                    Some('"') => out.push('"'),
                    Some('\\') => out.push('\\'),
                    Some('n') => out.push('\n'),
                    Some('t') => out.push('\t'),
                    other => {
                        let escape = format!("\\{}", other.map(String::from).unwrap_or_default());
                        self.errors
                            .push(Error::at(span, ErrorKind::InvalidEscape { escape }));
                    }
                }
            } else {
                out.push(c);
            }
        }
        Spanned::new(out, span)
    }

    fn expr(&mut self, p: P) -> Expr {
        let span = self.span(&p);
        match p.as_rule() {
            Rule::expr => match p.into_inner().next() {
                Some(q) => self.expr(q),
                None => self.error_expr(span),
            },
            Rule::let_expr => self.let_expr(p, span),
            Rule::if_expr => self.if_expr(p, span),
            Rule::pipeline => self.pipeline(p, span),
            Rule::or_expr | Rule::and_expr => self.logic(p, span),
            Rule::not_expr => self.not_expr(p, span),
            Rule::cmp_expr => self.cmp_expr(p, span),
            Rule::other_expr => self.other_expr(p, span),
            Rule::add_expr | Rule::mul_expr => self.arith(p, span),
            Rule::unary => self.unary(p, span),
            Rule::postfix => self.postfix(p, span),
            _ => self.atom(p),
        }
    }

    /// `let_expr`
    fn let_expr(&mut self, p: P, span: Span) -> Expr {
        let parts: Vec<P> = p.into_inner().filter(|q| !is_kw(q)).collect();
        // parts: (ident, expr)* body
        let mut parts = parts.into_iter().rev();
        let mut body = match parts.next() {
            Some(b) => self.expr(b),
            None => return self.error_expr(span),
        };
        let rest: Vec<P> = parts.collect();
        for pair in rest.chunks(2) {
            // reversed: [value, ident]
            if let [value, name] = pair {
                let value = self.expr(value.clone());
                let name = self.ident(name.clone());
                let s = name.span.to(body.span);
                body = Spanned::new(ExprKind::Let(name, Box::new(value), Box::new(body)), s);
            }
        }
        body
    }

    /// `if_expr`
    fn if_expr(&mut self, p: P, span: Span) -> Expr {
        let parts: Vec<Expr> = p
            .into_inner()
            .filter(|q| !is_kw(q))
            .map(|q| self.expr(q))
            .collect();
        let mut parts = parts.into_iter().rev();
        let mut acc = match parts.next() {
            Some(e) => e,
            None => return self.error_expr(span),
        };
        let rest: Vec<Expr> = parts.collect();
        for pair in rest.chunks(2) {
            if let [then, cond] = pair {
                let s = cond.span.to(acc.span);
                acc = Spanned::new(
                    ExprKind::If(
                        Box::new(cond.clone()),
                        Box::new(then.clone()),
                        Box::new(acc),
                    ),
                    s,
                );
            }
        }
        acc
    }

    /// `pipeline`
    fn pipeline(&mut self, p: P, span: Span) -> Expr {
        let mut it = p.into_inner();
        let mut acc = match it.next() {
            Some(e) => self.expr(e),
            None => return self.error_expr(span),
        };
        for op in it {
            let ospan = self.span(&op);
            let rule = op.as_rule();
            let arg = op.into_inner().find(|q| !is_kw(q));
            let arg = match arg {
                Some(a) => self.expr(a),
                None => self.error_expr(ospan),
            };
            let s = acc.span.to(ospan);
            acc = Spanned::new(
                if rule == Rule::where_op {
                    ExprKind::Where(Box::new(acc), Box::new(arg))
                } else {
                    ExprKind::GroupBy(Box::new(acc), Box::new(arg))
                },
                s,
            );
        }
        acc
    }

    /// `or_expr`, `and_expr`
    fn logic(&mut self, p: P, span: Span) -> Expr {
        let is_or = p.as_rule() == Rule::or_expr;
        let mut items: Vec<Expr> = p
            .into_inner()
            .filter(|q| !is_kw(q))
            .map(|q| self.expr(q))
            .collect();
        if items.len() == 1 {
            return items.pop().unwrap_or_else(|| self.error_expr(span));
        }
        Spanned::new(
            if is_or {
                ExprKind::Or(items)
            } else {
                ExprKind::And(items)
            },
            span,
        )
    }

    /// `not_expr`
    fn not_expr(&mut self, p: P, span: Span) -> Expr {
        let parts: Vec<P> = p.into_inner().collect();
        let nots = parts.iter().filter(|q| q.as_rule() == Rule::not_op).count();
        let mut e = match parts.into_iter().last() {
            Some(q) => self.expr(q),
            None => return self.error_expr(span),
        };
        for _ in 0..nots {
            e = Spanned::new(ExprKind::Not(Box::new(e)), span);
        }
        e
    }

    /// `cmp_expr`
    fn cmp_expr(&mut self, p: P, span: Span) -> Expr {
        let mut it = p.into_inner();
        let left = match it.next() {
            Some(l) => self.expr(l),
            None => return self.error_expr(span),
        };
        let Some(tail) = it.next() else { return left };
        let tail_rule = tail.as_rule();
        let mut t = tail.into_inner().filter(|q| !is_kw(q));
        let l = Box::new(left);
        let kind = match tail_rule {
            Rule::compare => {
                let op = match t.next().map(|o| o.as_str().to_string()).as_deref() {
                    Some("==") => CmpOp::Eq,
                    Some("!=") => CmpOp::Ne,
                    Some("<") => CmpOp::Lt,
                    Some("<=") => CmpOp::Le,
                    Some(">") => CmpOp::Gt,
                    _ => CmpOp::Ge,
                };
                let r = t
                    .next()
                    .map(|r| self.expr(r))
                    .unwrap_or_else(|| self.error_expr(span));
                ExprKind::Compare(op, l, Box::new(r))
            }
            Rule::member => {
                let r = t
                    .next()
                    .map(|r| self.expr(r))
                    .unwrap_or_else(|| self.error_expr(span));
                ExprKind::In(l, Box::new(r))
            }
            Rule::within => {
                let r = t
                    .next()
                    .map(|r| self.expr(r))
                    .unwrap_or_else(|| self.error_expr(span));
                ExprKind::Within(l, Box::new(r))
            }
            _ => match t.next() {
                Some(q) if q.as_rule() == Rule::is_none => ExprKind::IsNone(l),
                Some(q) => {
                    let binder = q
                        .into_inner()
                        .find(|x| x.as_rule() == Rule::ident)
                        .map(|x| self.ident(x));
                    ExprKind::IsSome(l, binder)
                }
                None => ExprKind::IsNone(l),
            },
        };
        Spanned::new(kind, span)
    }

    /// `other_expr`
    fn other_expr(&mut self, p: P, span: Span) -> Expr {
        let mut it = p.into_inner().filter(|q| !is_kw(q));
        let mut acc = match it.next() {
            Some(e) => self.expr(e),
            None => return self.error_expr(span),
        };
        for q in it {
            let r = self.expr(q);
            let s = acc.span.to(r.span);
            acc = Spanned::new(ExprKind::Otherwise(Box::new(acc), Box::new(r)), s);
        }
        acc
    }

    /// `add_expr`, `mul_expr`
    fn arith(&mut self, p: P, span: Span) -> Expr {
        // The pair's text runs on over the whitespace and comments after it.
        let text = p.as_str();
        let end = text
            .find(|c: char| c.is_whitespace() || c == '#')
            .unwrap_or(text.len());
        let whole = skip_trivia(&text[end..]).is_empty();
        if let Some(date) = date_without_zeros(&text[..end]).filter(|_| whole) {
            self.errors.push(Error::at(
                Span::new(self.source, span.start as usize, span.start as usize + end),
                ErrorKind::DateWithoutZeros {
                    text: text[..end].to_string(),
                    date,
                },
            ));
            return self.error_expr(span);
        }
        let mut it = p.into_inner();
        let mut acc = match it.next() {
            Some(e) => self.expr(e),
            None => return self.error_expr(span),
        };
        while let (Some(op), Some(rhs)) = (it.next(), it.next()) {
            let op = match op.as_str() {
                "+" => ArithOp::Add,
                "-" => ArithOp::Sub,
                "*" => ArithOp::Mul,
                _ => ArithOp::Div,
            };
            let r = self.expr(rhs);
            let s = acc.span.to(r.span);
            acc = Spanned::new(ExprKind::Arith(op, Box::new(acc), Box::new(r)), s);
        }
        acc
    }

    /// `unary`
    fn unary(&mut self, p: P, span: Span) -> Expr {
        let parts: Vec<P> = p.into_inner().collect();
        let negs = parts.iter().filter(|q| q.as_rule() == Rule::neg_op).count();
        let mut e = match parts.into_iter().last() {
            Some(q) => self.expr(q),
            None => return self.error_expr(span),
        };
        for _ in 0..negs {
            e = Spanned::new(ExprKind::Neg(Box::new(e)), span);
        }
        e
    }

    /// `postfix`
    fn postfix(&mut self, p: P, span: Span) -> Expr {
        let mut it = p.into_inner();
        let mut acc = match it.next() {
            Some(e) => self.expr(e),
            None => return self.error_expr(span),
        };
        for op in it {
            let ospan = self.span(&op);
            let s = acc.span.to(ospan);
            match op.as_rule() {
                Rule::field_access => {
                    if let Some(i) = op.into_inner().next() {
                        let f = if i.as_rule() == Rule::string {
                            let t = self.string(i);
                            Spanned::new(t.node.as_str().into(), t.span)
                        } else {
                            self.ident(i)
                        };
                        acc = Spanned::new(ExprKind::Field(Box::new(acc), f), s);
                    }
                }
                _ => {
                    let k = op
                        .into_inner()
                        .next()
                        .map(|k| self.expr(k))
                        .unwrap_or_else(|| self.error_expr(ospan));
                    acc = Spanned::new(ExprKind::Index(Box::new(acc), Box::new(k)), s);
                }
            }
        }
        acc
    }

    fn error_expr(&mut self, span: Span) -> Expr {
        Spanned::new(ExprKind::None, span)
    }

    fn atom(&mut self, p: P) -> Expr {
        let span = self.span(&p);
        let kind = match p.as_rule() {
            Rule::date_lit => match NaiveDate::parse_from_str(p.as_str(), "%Y-%m-%d") {
                Ok(d) => ExprKind::Date(d),
                Err(_) => {
                    self.errors.push(Error::at(
                        span,
                        ErrorKind::InvalidDate {
                            text: p.as_str().into(),
                        },
                    ));
                    ExprKind::None
                }
            },
            Rule::month_lit => self.month_lit(p, span),
            Rule::money_lit => self.money_lit(p),
            Rule::percent_lit => match p.into_inner().next().map(|n| self.decimal(&n)) {
                Some(Some(d)) => ExprKind::Percent(d),
                _ => ExprKind::None,
            },
            Rule::duration_lit => self.duration_lit(p),
            Rule::number => self.number(p),
            Rule::string => ExprKind::Text(self.string(p).node),
            Rule::bool_lit => ExprKind::Bool(p.as_str() == "true"),
            Rule::none_lit => ExprKind::None,
            Rule::name => match p.into_inner().next() {
                Some(i) => ExprKind::Name(self.ident(i)),
                None => ExprKind::None,
            },
            Rule::paren => match p.into_inner().next() {
                Some(e) => return self.expr(e),
                None => ExprKind::None,
            },
            Rule::list_lit => ExprKind::List(p.into_inner().map(|e| self.expr(e)).collect()),
            Rule::record_lit => ExprKind::Record(
                p.into_inner()
                    .filter_map(|f| {
                        let mut it = f.into_inner();
                        let n = self.ident(it.next()?);
                        let e = self.expr(it.next()?);
                        Some((n, e))
                    })
                    .collect(),
            ),
            Rule::call => self.call(p),
            Rule::criteria => self.criteria(p),
            Rule::score_block => self.score_block(p),
            Rule::points_call => self.points_call(p, span),
            Rule::trailing_window => self.trailing_window(p, span),
            Rule::between_window => self.between_window(p, span),
            _ => return self.expr(p),
        };
        Spanned::new(kind, span)
    }

    /// `month_lit`
    fn month_lit(&mut self, p: P, span: Span) -> ExprKind {
        let s = p.as_str();
        let y: i32 = s[..4].parse().unwrap_or(0);
        let m: u32 = s[5..].parse().unwrap_or(0);
        if (1..=12).contains(&m) {
            ExprKind::Month(y, m)
        } else {
            self.errors
                .push(Error::at(span, ErrorKind::InvalidMonth { text: s.into() }));
            ExprKind::None
        }
    }

    /// `money_lit`
    fn money_lit(&mut self, p: P) -> ExprKind {
        let parts: Vec<P> = p.into_inner().collect();
        let negative = parts.iter().any(|q| q.as_rule() == Rule::neg_op);
        let n = parts.iter().find(|q| q.as_rule() == Rule::number);
        let code = parts.iter().find(|q| q.as_rule() == Rule::currency);
        match (n.map(|n| self.decimal(n)), code) {
            (Some(Some(d)), Some(code)) => {
                ExprKind::Money(if negative { -d } else { d }, code.as_str().into())
            }
            _ => ExprKind::None,
        }
    }

    /// `duration_lit`
    fn duration_lit(&mut self, p: P) -> ExprKind {
        let mut it = p.into_inner();
        let n = it.next().and_then(|n| self.int(&n));
        let unit = match it
            .next()
            .map(|u| u.as_str().trim_end_matches('s').to_string())
            .as_deref()
        {
            Some("day") => DurationUnit::Days,
            Some("month") => DurationUnit::Months,
            _ => DurationUnit::Years,
        };
        match n {
            Some(n) => ExprKind::Duration(n, unit),
            None => ExprKind::None,
        }
    }

    /// `number`
    fn number(&mut self, p: P) -> ExprKind {
        if p.as_str().contains('.') {
            match self.decimal(&p) {
                Some(d) => ExprKind::Decimal(d),
                None => ExprKind::None,
            }
        } else {
            match self.int(&p) {
                Some(i) => ExprKind::Int(i),
                None => ExprKind::None,
            }
        }
    }

    /// `call`
    fn call(&mut self, p: P) -> ExprKind {
        let mut it = p.into_inner();
        let Some(name) = it.next() else {
            return ExprKind::None;
        };
        let name = self.ident(name);
        let mut args = Vec::new();
        for a in it {
            let mut parts = a.into_inner();
            let Some(first) = parts.next() else { continue };
            let first = self.expr(first);
            match parts.next() {
                None => args.push(Arg::Expr(first)),
                Some(body) => {
                    let body = self.expr(body);
                    args.push(self.binder_arg(first, body));
                }
            }
        }
        ExprKind::Call(name, args)
    }

    /// `criteria`
    fn criteria(&mut self, p: P) -> ExprKind {
        let mut it = p.into_inner();
        let kind = match it.next().and_then(|k| k.into_inner().next()) {
            Some(k) if k.as_rule() == Rule::kw_any => CriteriaKind::Any,
            Some(k) if k.as_rule() == Rule::kw_all => CriteriaKind::All,
            Some(k) => {
                let n = k
                    .into_inner()
                    .find(|q| q.as_rule() == Rule::int_lit)
                    .and_then(|n| self.int(&n));
                CriteriaKind::AtLeast(n.unwrap_or(0).clamp(0, u32::MAX as i64) as u32)
            }
            None => CriteriaKind::All,
        };
        ExprKind::Criteria(kind, it.map(|c| self.criterion(c)).collect())
    }

    /// `score_block`
    fn score_block(&mut self, p: P) -> ExprKind {
        let mut it = p.into_inner().filter(|q| !is_kw(q));
        let max = it.next().and_then(|n| self.decimal(&n)).unwrap_or_default();
        ExprKind::Score(max, it.map(|c| self.criterion(c)).collect())
    }

    /// `points_call`
    fn points_call(&mut self, p: P, span: Span) -> ExprKind {
        let mut whole = false;
        let mut parts = Vec::new();
        for q in p.into_inner() {
            match q.as_rule() {
                Rule::kw_whole => whole = true,
                Rule::kw_points | Rule::kw_max => {}
                _ => parts.push(q),
            }
        }
        let mut it = parts.into_iter();
        let (Some(qty), Some(rate), Some(max)) = (it.next(), it.next(), it.next()) else {
            return ExprKind::None;
        };
        let quantity = Box::new(self.expr(qty));
        let each = rate
            .clone()
            .into_inner()
            .any(|q| q.as_rule() == Rule::kw_each);
        let mut r = rate.into_inner().filter(|q| !is_kw(q));
        let a = r
            .next()
            .map(|x| self.expr(x))
            .unwrap_or_else(|| self.error_expr(span));
        let rate = if each {
            Rate::Each(Box::new(a))
        } else {
            let b = r
                .next()
                .map(|x| self.expr(x))
                .unwrap_or_else(|| self.error_expr(span));
            Rate::Per(Box::new(a), Box::new(b))
        };
        ExprKind::Points {
            quantity,
            rate,
            max: Box::new(self.expr(max)),
            whole,
        }
    }

    /// `trailing_window`
    fn trailing_window(&mut self, p: P, span: Span) -> ExprKind {
        let mut it = p.into_inner().filter(|q| !is_kw(q));
        let d = it
            .next()
            .map(|x| self.expr(x))
            .unwrap_or_else(|| self.error_expr(span));
        let end = it.next().map(|x| Box::new(self.expr(x)));
        ExprKind::Trailing(Box::new(d), end)
    }

    /// `between_window`
    fn between_window(&mut self, p: P, span: Span) -> ExprKind {
        let mut it = p.into_inner().filter(|q| !is_kw(q));
        let a = it
            .next()
            .map(|x| self.expr(x))
            .unwrap_or_else(|| self.error_expr(span));
        let b = it
            .next()
            .map(|x| self.expr(x))
            .unwrap_or_else(|| self.error_expr(span));
        ExprKind::Between(Box::new(a), Box::new(b))
    }

    /// `x in list: body`: the part before `:` parsed as an expression is `x in list` (possibly
    /// followed by `where`/`group by` steps, which belong to the list).
    fn binder_arg(&mut self, head: Expr, body: Expr) -> Arg {
        let span = head.span;
        // Peel the list steps off the outside, find `x in list` inside.
        let mut steps: Vec<(bool, Expr, Span)> = Vec::new();
        let mut cur = head;
        loop {
            match cur.node {
                ExprKind::Where(inner, cond) => {
                    steps.push((true, *cond, cur.span));
                    cur = *inner;
                }
                ExprKind::GroupBy(inner, key) => {
                    steps.push((false, *key, cur.span));
                    cur = *inner;
                }
                ExprKind::In(x, list) => {
                    let ExprKind::Name(binder) = x.node else {
                        break;
                    };
                    let mut list = *list;
                    for (is_where, arg, s) in steps.into_iter().rev() {
                        let node = if is_where {
                            ExprKind::Where(Box::new(list), Box::new(arg))
                        } else {
                            ExprKind::GroupBy(Box::new(list), Box::new(arg))
                        };
                        list = Spanned::new(node, s);
                    }
                    return Arg::Each { binder, list, body };
                }
                _ => break,
            }
        }
        self.errors.push(Error::at(
            span,
            ErrorKind::Syntax {
                expected: vec!["`NAME in LIST` before `:`".into()],
                found: "another expression".into(),
                hint: None,
            },
        ));
        Arg::Expr(self.error_expr(span))
    }

    fn criterion(&mut self, p: P) -> Criterion {
        let span = self.span(&p);
        let mut it = p.into_inner();
        let label = it
            .next()
            .map(|s| self.string(s))
            .unwrap_or_else(|| Spanned::new(String::new(), span));
        let expr = it
            .next()
            .map(|e| self.expr(e))
            .unwrap_or_else(|| self.error_expr(span));
        Criterion { label, expr }
    }

    fn int(&mut self, p: &P) -> Option<i64> {
        let text = p.as_str().replace('_', "");
        match text.parse::<i64>() {
            Ok(i) => Some(i),
            Err(_) => {
                self.errors.push(Error::at(
                    self.span(p),
                    ErrorKind::NumberOutOfRange {
                        text: p.as_str().into(),
                    },
                ));
                None
            }
        }
    }

    fn decimal(&mut self, p: &P) -> Option<Decimal> {
        let text = p.as_str().replace('_', "");
        match Decimal::from_str_exact(&text) {
            Ok(d) => Some(d),
            Err(_) => {
                self.errors.push(Error::at(
                    self.span(p),
                    ErrorKind::NumberOutOfRange {
                        text: p.as_str().into(),
                    },
                ));
                None
            }
        }
    }
}

fn is_kw(p: &P) -> bool {
    matches!(
        p.as_rule(),
        Rule::kw_use
            | Rule::kw_as
            | Rule::kw_facts
            | Rule::kw_identified
            | Rule::kw_by
            | Rule::kw_type
            | Rule::kw_enum
            | Rule::kw_table
            | Rule::kw_key
            | Rule::kw_rule
            | Rule::kw_outcome
            | Rule::kw_for
            | Rule::kw_in
            | Rule::kw_let
            | Rule::kw_if
            | Rule::kw_then
            | Rule::kw_else
            | Rule::kw_where
            | Rule::kw_group
            | Rule::kw_or
            | Rule::kw_and
            | Rule::kw_not
            | Rule::kw_within
            | Rule::kw_is
            | Rule::kw_otherwise
            | Rule::kw_trailing
            | Rule::kw_ending
            | Rule::kw_between
            | Rule::kw_score
            | Rule::kw_max
            | Rule::kw_each
            | Rule::kw_per
    )
}

impl FromStr for DurationUnit {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        match s.trim_end_matches('s') {
            "day" => Ok(DurationUnit::Days),
            "month" => Ok(DurationUnit::Months),
            "year" => Ok(DurationUnit::Years),
            _ => Err(()),
        }
    }
}
#[cfg(test)]
mod tests {
    #[test]
    fn a_date_without_zeros_is_an_error_naming_the_date_and_a_spaced_subtraction_is_not() {
        assert_eq!(
            super::date_without_zeros("2024-2-1").as_deref(),
            Some("2024-02-01")
        );
        assert_eq!(
            super::date_without_zeros("2024-7").as_deref(),
            Some("2024-07")
        );
        assert_eq!(super::date_without_zeros("2024-12-01"), None);
        assert_eq!(super::date_without_zeros("20240-2"), None);
        let parse = |t: &str| super::parse_module(crate::source::SourceId(0), t);
        assert!(parse("rule start: Date = 2024-2-1 # a comment\n").is_err());
        assert!(parse("rule n: Int = 2024 - 2 - 1\n").is_ok());
    }
}
