//! The concrete syntax tree (the pest pairs of `syntax/grammar.pest`) → a [`Doc`].
//!
//! The formatter reads the pest pairs rather than the AST: they keep what the AST drops
//! (parentheses, the exact text of literals, `1 year` vs `12 months`). Every token is written
//! through [`Builder::tok`], which first writes the comments before it and then attaches a
//! trailing comment after it, so comments come out in source order.

use super::comments::{blank_before, Comment};
use super::doc::*;
use crate::syntax::{Grammar, Rule};
use pest::iterators::Pair;
use pest::Parser as _;

type P<'i> = Pair<'i, Rule>;

/// The items of a file (pest pairs) and the start of every pair, sorted.
pub(crate) struct Cst<'i> {
    pub items: Vec<P<'i>>,
    starts: Vec<usize>,
}

/// Parses a file with the shared grammar; `None` when it does not parse.
pub(crate) fn parse(src: &str) -> Option<Cst<'_>> {
    let file = Grammar::parse(Rule::file, src).ok()?.next()?;
    let mut starts: Vec<usize> = file
        .clone()
        .into_inner()
        .flatten()
        .map(|p| p.as_span().start())
        .collect();
    starts.sort_unstable();
    starts.dedup();
    let items = file
        .into_inner()
        .filter(|p| p.as_rule() == Rule::item)
        .collect();
    Some(Cst { items, starts })
}

/// How a bracketed sequence is laid out.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Layout {
    /// On one line when it fits, else one element per line.
    Fit,
    /// One element per line.
    Always,
    /// On one line however long (unless a comment forces a break).
    KeepFlat,
}

/// A bracketed, comma-separated sequence.
struct Seq {
    open: &'static str,
    close: &'static str,
    /// Spaces inside the brackets when on one line: `{ a, b }`.
    pad: bool,
    layout: Layout,
}

/// Builds documents, consuming comments in source order.
pub(crate) struct Builder<'s> {
    src: &'s str,
    comments: &'s [Comment],
    /// The next comment not yet written.
    pub next: usize,
    starts: Vec<usize>,
}

impl<'s> Builder<'s> {
    pub(crate) fn new(src: &'s str, comments: &'s [Comment], cst: &Cst) -> Self {
        Builder {
            src,
            comments,
            next: 0,
            starts: cst.starts.clone(),
        }
    }

    // ------------------------------------------------------------------ comments and tokens

    /// The first pair start at or after `pos` (the end of the text when none).
    fn next_start(&self, pos: usize) -> usize {
        let i = self.starts.partition_point(|&s| s < pos);
        self.starts.get(i).copied().unwrap_or(self.src.len())
    }

    /// The comments before `pos`, each on its own line; with `blanks`, the author's empty lines
    /// between them (and, with `blank_first`/`blank_last`, before the first and after the last).
    fn leading(&mut self, pos: usize, blanks: bool, blank_first: bool, blank_last: bool) -> Doc {
        let mut parts = Vec::new();
        let mut first = true;
        while let Some(c) = self.comments.get(self.next) {
            if c.start >= pos {
                break;
            }
            if !c.own_line && first {
                parts.push(Doc::LineSuffix(c.text.clone()));
            } else {
                if blanks && (blank_first || !first) && blank_before(self.src, c.start) {
                    parts.push(Doc::Line(Line::Blank));
                }
                parts.push(Doc::Comment(c.text.clone()));
                first = false;
            }
            self.next += 1;
        }
        if blanks && (blank_last && (!first || blank_first)) && blank_before(self.src, pos) {
            parts.push(Doc::Line(Line::Blank));
        }
        concat(parts)
    }

    /// A comment on the rest of the line after a token that ends at `end`, when nothing but
    /// punctuation that sticks to the token (`)`, `]`, `}`, `,`, `;`, `:`, `?`, `=`) lies
    /// between them. A comment after an opening bracket belongs to the bracket.
    fn trailing(&mut self, end: usize) -> Doc {
        let limit = self.next_start(end);
        let mut parts = Vec::new();
        while let Some(c) = self.comments.get(self.next) {
            if c.own_line || c.start < end || c.start >= limit {
                break;
            }
            let glue = self.src[end..c.start]
                .chars()
                .all(|ch| ch.is_whitespace() || ")]},;:?=".contains(ch));
            if !glue {
                break;
            }
            parts.push(Doc::LineSuffix(c.text.clone()));
            self.next += 1;
        }
        concat(parts)
    }

    /// A token: the comments before it, its text, a trailing comment.
    fn tok(&mut self, start: usize, end: usize, text: impl Into<String>) -> Doc {
        let lead = self.leading(start, false, false, false);
        let trail = self.trailing(end);
        concat(vec![lead, Doc::Text(text.into()), trail])
    }

    /// A pair written as its exact source text.
    fn leaf(&mut self, p: &P) -> Doc {
        let s = p.as_span();
        self.tok(s.start(), s.end(), s.as_str())
    }

    /// Punctuation at a known position.
    fn punct(&mut self, pos: usize, s: &'static str) -> Doc {
        self.tok(pos, pos + s.len(), s)
    }

    /// The position of the punctuation `ch` at or after `from`, past blanks and comments.
    fn find(&self, from: usize, ch: u8) -> Option<usize> {
        let bytes = self.src.as_bytes();
        let mut i = from;
        while i < bytes.len() {
            match bytes[i] {
                b'#' => {
                    while i < bytes.len() && bytes[i] != b'\n' {
                        i += 1;
                    }
                }
                b if b == ch => return Some(i),
                b if b.is_ascii_whitespace() => i += 1,
                _ => return None,
            }
        }
        None
    }

    /// Like [`Builder::find`], or `from` when the text does not have it there.
    fn find_or(&self, from: usize, ch: u8) -> usize {
        self.find(from, ch).unwrap_or(from)
    }

    /// The closing bracket `ch` after the last element ending at `from` (past a trailing comma).
    fn find_close(&self, from: usize, ch: u8) -> usize {
        match self.find(from, b',') {
            Some(comma) => self.find_or(comma + 1, ch),
            None => self.find_or(from, ch),
        }
    }

    /// Comments left before a closing bracket at `pos`.
    fn dangling(&mut self, pos: usize) -> Doc {
        self.leading(pos, true, true, false)
    }

    // ------------------------------------------------------------------ sequences

    /// `open elem, elem, … close`, elements laid out by `style`; `expanded` keeps one element per
    /// line (the author's choice for records and enums).
    fn seq<'i>(
        &mut self,
        style: Seq,
        open_pos: usize,
        close_pos: usize,
        elems: Vec<P<'i>>,
        mut f: impl FnMut(&mut Self, P<'i>) -> Doc,
    ) -> Doc {
        let open = self.punct(open_pos, style.open);
        if elems.is_empty() {
            let dangling = self.leading(close_pos, true, false, false);
            if matches!(dangling, Doc::Concat(ref v) if v.is_empty()) {
                return concat(vec![open, Doc::Closer(style.close)]);
            }
            return group(concat(vec![
                open,
                indent(concat(vec![Doc::Line(Line::Hard), dangling])),
                Doc::Line(Line::Hard),
                Doc::Closer(style.close),
            ]));
        }
        let (edge, sep) = match style.layout {
            Layout::Always => (Line::Hard, Line::Hard),
            _ if style.pad => (Line::Space, Line::Space),
            _ => (Line::Soft, Line::Space),
        };
        let mut body = vec![Doc::Line(edge)];
        for (i, e) in elems.into_iter().enumerate() {
            if i > 0 {
                body.push(Doc::Closer(","));
                body.push(Doc::Line(sep));
            }
            let start = e.as_span().start();
            body.push(self.leading(start, true, i > 0, true));
            body.push(f(self, e));
        }
        body.push(trailing_comma());
        body.push(self.dangling(close_pos));
        let doc = concat(vec![
            open,
            indent(concat(body)),
            Doc::Line(edge),
            Doc::Closer(style.close),
        ]);
        if style.layout == Layout::KeepFlat {
            flat_group(doc)
        } else {
            group(doc)
        }
    }

    /// `open a, b, c close` with broken arguments aligned after `open` (calls, `points(…)`).
    fn aligned(open: Doc, args: Vec<Doc>, dangling: Doc, close: &'static str) -> Doc {
        let mut inner = Vec::new();
        for (i, a) in args.into_iter().enumerate() {
            if i > 0 {
                inner.push(Doc::Closer(","));
                inner.push(Doc::Line(Line::Space));
            }
            inner.push(a);
        }
        inner.push(dangling);
        group(concat(vec![open, align(concat(inner)), Doc::Closer(close)]))
    }

    /// Whether the source has a line break between an opening bracket and the first element.
    fn expanded(&self, open_pos: usize, first: Option<&P>) -> bool {
        first.is_some_and(|f| self.src[open_pos..f.as_span().start()].contains('\n'))
    }

    // ------------------------------------------------------------------ items

    /// One item, without the comments before it.
    pub(crate) fn item(&mut self, p: P) -> Doc {
        let mut parts = Vec::new();
        for q in p.into_inner() {
            match q.as_rule() {
                Rule::meta => parts.push(self.meta(q)),
                _ => parts.push(self.decl(q)),
            }
        }
        concat(parts)
    }

    /// Doc comments and attributes, one per line.
    fn meta(&mut self, p: P) -> Doc {
        let mut parts = Vec::new();
        for q in p.into_inner() {
            match q.as_rule() {
                Rule::doc_comment => {
                    let s = q.as_span();
                    let rest = s.as_str()[3..].trim_end();
                    let text = if rest.is_empty() || rest.starts_with(' ') {
                        format!("///{rest}")
                    } else {
                        format!("/// {rest}")
                    };
                    parts.push(self.tok(s.start(), s.end(), text));
                }
                _ => parts.push(self.attribute(q)),
            }
            parts.push(Doc::Line(Line::Hard));
        }
        concat(parts)
    }

    fn attribute(&mut self, p: P) -> Doc {
        let start = p.as_span().start();
        let end = p.as_span().end();
        let mut it = p.into_inner();
        let at = self.punct(start, "@");
        let Some(name) = it.next() else {
            return at;
        };
        let name_end = name.as_span().end();
        let name_doc = self.leaf(&name);
        let args: Vec<P> = it.collect();
        let Some(open) = self.find(name_end, b'(') else {
            return concat(vec![at, name_doc]);
        };
        let list = self.seq(
            Seq {
                open: "(",
                close: ")",
                pad: false,
                layout: Layout::KeepFlat,
            },
            open,
            end - 1,
            args,
            |b, a| b.leaf(&a),
        );
        concat(vec![at, name_doc, list])
    }

    fn decl(&mut self, p: P) -> Doc {
        let end = p.as_span().end();
        let rule = p.as_rule();
        let kids: Vec<P> = p.into_inner().collect();
        match rule {
            Rule::use_decl => self.words(kids),
            Rule::facts_decl => {
                let mut parts = Vec::new();
                for (i, k) in kids.into_iter().enumerate() {
                    if i > 0 {
                        parts.push(text(" "));
                    }
                    parts.push(match k.as_rule() {
                        Rule::record_type => self.record_type(k),
                        _ => self.leaf(&k),
                    });
                }
                concat(parts)
            }
            Rule::type_decl => {
                let mut it = kids.into_iter();
                let mut parts = Vec::new();
                if let (Some(kw), Some(name), Some(ty)) = (it.next(), it.next(), it.next()) {
                    parts.push(self.leaf(&kw));
                    parts.push(text(" "));
                    parts.push(self.leaf(&name));
                    parts.push(text(" = "));
                    parts.push(self.type_expr(ty));
                }
                concat(parts)
            }
            Rule::enum_decl => {
                let mut it = kids.into_iter();
                let mut parts = Vec::new();
                if let (Some(kw), Some(name)) = (it.next(), it.next()) {
                    let name_end = name.as_span().end();
                    parts.push(self.leaf(&kw));
                    parts.push(text(" "));
                    parts.push(self.leaf(&name));
                    parts.push(text(" "));
                    let variants: Vec<P> = it.collect();
                    let open = self.find_or(name_end, b'{');
                    let layout = if self.expanded(open, variants.first()) {
                        Layout::Always
                    } else {
                        Layout::Fit
                    };
                    let style = Seq {
                        open: "{",
                        close: "}",
                        pad: true,
                        layout,
                    };
                    parts.push(self.seq(style, open, end - 1, variants, |b, v| {
                        let mut parts = Vec::new();
                        for q in v.into_inner() {
                            match q.as_rule() {
                                Rule::meta => parts.push(b.meta(q)),
                                _ => parts.push(b.leaf(&q)),
                            }
                        }
                        concat(parts)
                    }));
                }
                concat(parts)
            }
            Rule::table_decl => self.table(kids, end),
            Rule::rule_decl => {
                let mut parts = Vec::new();
                let mut body = None;
                for k in kids {
                    match k.as_rule() {
                        Rule::kw_rule => {
                            parts.push(self.leaf(&k));
                            parts.push(text(" "));
                        }
                        Rule::ident => parts.push(self.leaf(&k)),
                        Rule::params => {
                            let s = k.as_span();
                            let params: Vec<P> = k.clone().into_inner().collect();
                            parts.push(self.seq(
                                Seq {
                                    open: "(",
                                    close: ")",
                                    pad: false,
                                    layout: Layout::Fit,
                                },
                                s.start(),
                                s.end() - 1,
                                params,
                                |b, prm| b.typed(prm),
                            ));
                        }
                        Rule::type_expr => {
                            parts.push(text(": "));
                            parts.push(self.type_expr(k));
                            parts.push(Doc::Closer(" ="));
                        }
                        _ => body = Some(k),
                    }
                }
                if let Some(b) = body {
                    parts.push(self.body(b));
                }
                concat(parts)
            }
            Rule::outcome_decl => {
                let mut parts = Vec::new();
                let n = kids.len();
                for (i, k) in kids.into_iter().enumerate() {
                    if i + 1 == n {
                        parts.push(Doc::Closer(" ="));
                        parts.push(self.body(k));
                    } else {
                        if i > 0 {
                            parts.push(text(" "));
                        }
                        parts.push(self.leaf(&k));
                    }
                }
                concat(parts)
            }
            _ => Doc::Nil,
        }
    }

    /// Tokens separated by single spaces.
    fn words(&mut self, kids: Vec<P>) -> Doc {
        let mut parts = Vec::new();
        for (i, k) in kids.into_iter().enumerate() {
            if i > 0 {
                parts.push(text(" "));
            }
            parts.push(self.leaf(&k));
        }
        concat(parts)
    }

    /// The body of a rule or outcome: on the `=` line when it fits, else on the next lines.
    fn body(&mut self, e: P) -> Doc {
        let d = self.expr(e);
        group(indent(concat(vec![Doc::Line(Line::Space), d])))
    }

    /// `name: Type` (parameters and columns).
    fn typed(&mut self, p: P) -> Doc {
        let mut it = p.into_inner();
        let mut parts = Vec::new();
        if let (Some(name), Some(ty)) = (it.next(), it.next()) {
            parts.push(self.leaf(&name));
            parts.push(text(": "));
            parts.push(self.type_expr(ty));
        }
        concat(parts)
    }

    fn table(&mut self, kids: Vec<P>, end: usize) -> Doc {
        let mut parts = Vec::new();
        let mut columns = Vec::new();
        let mut rows = Vec::new();
        let mut after_columns = Vec::new();
        let mut head = Vec::new();
        for k in kids {
            match k.as_rule() {
                Rule::column => columns.push(k),
                Rule::row => rows.push(k),
                _ if columns.is_empty() => head.push(k),
                _ => after_columns.push(k),
            }
        }
        let mut last = 0;
        for (i, h) in head.iter().enumerate() {
            if i > 0 {
                parts.push(text(" "));
            }
            last = h.as_span().end();
            parts.push(self.leaf(h));
        }
        let open = self.find_or(last, b'(');
        let close = columns
            .last()
            .map_or(open + 1, |c| self.find_close(c.as_span().end(), b')'));
        last = close + 1;
        parts.push(self.seq(
            Seq {
                open: "(",
                close: ")",
                pad: false,
                layout: Layout::Fit,
            },
            open,
            close,
            columns,
            |b, c| b.typed(c),
        ));
        for a in &after_columns {
            parts.push(text(" "));
            last = a.as_span().end();
            parts.push(self.leaf(a));
        }
        parts.push(text(" = "));
        let eq = self.find_or(last, b'=');
        let open = self.find_or(eq + 1, b'[');
        let layout = if rows.is_empty() {
            Layout::Fit
        } else {
            Layout::Always
        };
        parts.push(self.seq(
            Seq {
                open: "[",
                close: "]",
                pad: false,
                layout,
            },
            open,
            end - 1,
            rows,
            |b, r| {
                let s = r.as_span();
                let cells: Vec<P> = r.into_inner().collect();
                b.seq(
                    Seq {
                        open: "(",
                        close: ")",
                        pad: false,
                        layout: Layout::KeepFlat,
                    },
                    s.start(),
                    s.end() - 1,
                    cells,
                    |b, c| b.expr(c),
                )
            },
        ));
        concat(parts)
    }

    // ------------------------------------------------------------------ types

    fn type_expr(&mut self, p: P) -> Doc {
        let mut parts = Vec::new();
        for q in p.into_inner() {
            parts.push(match q.as_rule() {
                Rule::list_type => {
                    let s = q.as_span();
                    let open = self.punct(s.start(), "[");
                    let inner = q.into_inner().next().map(|t| self.type_expr(t));
                    let dangling = self.dangling(s.end() - 1);
                    concat(vec![
                        open,
                        inner.unwrap_or(Doc::Nil),
                        dangling,
                        Doc::Closer("]"),
                    ])
                }
                Rule::record_type => self.record_type(q),
                Rule::optional_mark => {
                    let s = q.as_span();
                    let lead = self.leading(s.start(), false, false, false);
                    let trail = self.trailing(s.end());
                    concat(vec![lead, Doc::Closer("?"), trail])
                }
                _ => self.leaf(&q),
            });
        }
        concat(parts)
    }

    fn record_type(&mut self, p: P) -> Doc {
        let s = p.as_span();
        let fields: Vec<P> = p.into_inner().collect();
        let layout = if self.expanded(s.start(), fields.first()) {
            Layout::Always
        } else {
            Layout::Fit
        };
        self.seq(
            Seq {
                open: "{",
                close: "}",
                pad: true,
                layout,
            },
            s.start(),
            s.end() - 1,
            fields,
            |b, f| b.field_decl(f),
        )
    }

    fn field_decl(&mut self, p: P) -> Doc {
        let mut parts = Vec::new();
        for q in p.into_inner() {
            match q.as_rule() {
                Rule::meta => parts.push(self.meta(q)),
                Rule::field_name => parts.push(self.leaf(&q)),
                Rule::type_expr => {
                    parts.push(text(": "));
                    parts.push(self.type_expr(q));
                }
                _ => {
                    parts.push(text(" = "));
                    parts.push(self.expr(q));
                }
            }
        }
        concat(parts)
    }

    // ------------------------------------------------------------------ expressions

    /// After `:`, `=`, `then` or `else`: a block (`any { … }`, a list, a record) stays on the
    /// line; anything else moves to an indented next line when it does not fit.
    fn hug_or_indent(&mut self, e: P) -> Doc {
        if is_block(&e) {
            let d = self.expr(e);
            concat(vec![text(" "), d])
        } else {
            let d = self.expr(e);
            indent(concat(vec![Doc::Line(Line::Space), d]))
        }
    }

    /// An expression; the comments before it come first, outside its groups.
    pub(crate) fn expr(&mut self, p: P) -> Doc {
        let lead = self.leading(p.as_span().start(), false, false, false);
        let d = self.expr_inner(p);
        concat(vec![lead, d])
    }

    fn expr_inner(&mut self, p: P) -> Doc {
        let p = unwrap_single(p);
        let rule = p.as_rule();
        match rule {
            Rule::let_expr => self.let_expr(p),
            Rule::if_expr => self.if_expr(p),
            Rule::pipeline => {
                let mut it = p.into_inner();
                let base = it.next().map(|b| self.expr(b)).unwrap_or(Doc::Nil);
                let mut ops = Vec::new();
                for op in it {
                    ops.push(Doc::Line(Line::Space));
                    let kids: Vec<P> = op.into_inner().collect();
                    let n = kids.len();
                    for (i, k) in kids.into_iter().enumerate() {
                        if i + 1 == n {
                            ops.push(self.expr(k));
                        } else {
                            ops.push(self.leaf(&k));
                            ops.push(text(" "));
                        }
                    }
                }
                group(concat(vec![base, indent(concat(ops))]))
            }
            Rule::or_expr | Rule::and_expr | Rule::other_expr | Rule::add_expr => {
                let mut parts = Vec::new();
                let mut rest = Vec::new();
                for (i, k) in p.into_inner().enumerate() {
                    if i == 0 {
                        parts.push(self.expr(k));
                    } else if i % 2 == 1 {
                        rest.push(Doc::Line(Line::Space));
                        rest.push(self.leaf(&k));
                        rest.push(text(" "));
                    } else {
                        rest.push(self.expr(k));
                    }
                }
                parts.push(indent(concat(rest)));
                group(concat(parts))
            }
            Rule::mul_expr => {
                let mut parts = Vec::new();
                for (i, k) in p.into_inner().enumerate() {
                    if i % 2 == 1 {
                        parts.push(text(" "));
                        parts.push(self.leaf(&k));
                        parts.push(text(" "));
                    } else {
                        parts.push(self.expr(k));
                    }
                }
                concat(parts)
            }
            Rule::not_expr => {
                let mut parts = Vec::new();
                for k in p.into_inner() {
                    if k.as_rule() == Rule::not_op {
                        parts.push(self.leaf(&k));
                        parts.push(text(" "));
                    } else {
                        parts.push(self.expr(k));
                    }
                }
                concat(parts)
            }
            Rule::cmp_expr => {
                let mut parts = Vec::new();
                for k in p.into_inner() {
                    match k.as_rule() {
                        Rule::compare | Rule::member | Rule::within => {
                            let mut it = k.into_inner();
                            if let (Some(op), Some(r)) = (it.next(), it.next()) {
                                parts.push(text(" "));
                                parts.push(self.leaf(&op));
                                parts.push(text(" "));
                                parts.push(self.expr(r));
                            }
                        }
                        Rule::is_test => {
                            for q in k.into_inner() {
                                parts.push(text(" "));
                                if q.as_rule() == Rule::kw_is {
                                    parts.push(self.leaf(&q));
                                } else {
                                    let kids: Vec<P> = q.into_inner().collect();
                                    parts.push(self.words(kids));
                                }
                            }
                        }
                        _ => parts.push(self.expr(k)),
                    }
                }
                concat(parts)
            }
            Rule::unary => {
                let mut parts = Vec::new();
                for k in p.into_inner() {
                    if k.as_rule() == Rule::neg_op {
                        parts.push(self.leaf(&k));
                    } else {
                        parts.push(self.expr(k));
                    }
                }
                concat(parts)
            }
            Rule::postfix => {
                let mut parts = Vec::new();
                for k in p.into_inner() {
                    match k.as_rule() {
                        Rule::field_access => {
                            let s = k.as_span();
                            parts.push(self.punct(s.start(), "."));
                            if let Some(f) = k.into_inner().next() {
                                parts.push(self.leaf(&f));
                            }
                        }
                        Rule::index => {
                            let s = k.as_span();
                            parts.push(self.punct(s.start(), "["));
                            if let Some(e) = k.into_inner().next() {
                                let d = self.expr(e);
                                parts.push(align(d));
                            }
                            parts.push(self.dangling(s.end() - 1));
                            parts.push(Doc::Closer("]"));
                        }
                        _ => parts.push(self.expr(k)),
                    }
                }
                concat(parts)
            }
            _ => self.atom(p),
        }
    }

    fn let_expr(&mut self, p: P) -> Doc {
        let kids: Vec<P> = p.into_inner().collect();
        let mut parts = Vec::new();
        let mut i = 0;
        while i + 3 < kids.len() && kids[i].as_rule() == Rule::kw_let {
            parts.push(self.leading(kids[i].as_span().start(), false, false, false));
            let kw = self.leaf(&kids[i]);
            let name = self.leaf(&kids[i + 1]);
            let value = self.hug_or_indent(kids[i + 2].clone());
            parts.push(group(concat(vec![
                kw,
                text(" "),
                name,
                Doc::Closer(" ="),
                value,
                Doc::Closer(";"),
            ])));
            parts.push(Doc::Line(Line::Hard));
            i += 3;
        }
        for k in kids.into_iter().skip(i) {
            parts.push(self.expr(k));
        }
        concat(parts)
    }

    fn if_expr(&mut self, p: P) -> Doc {
        let kids: Vec<P> = p.into_inner().collect();
        let branches = (kids.len().saturating_sub(1)) / 5;
        let mut parts = Vec::new();
        for b in 0..branches {
            let k = &kids[5 * b..5 * b + 4];
            let mut branch = Vec::new();
            if b > 0 {
                parts.push(self.leading(kids[5 * b - 1].as_span().start(), false, false, false));
                branch.push(self.leaf(&kids[5 * b - 1]));
                branch.push(text(" "));
            }
            branch.push(self.leaf(&k[0]));
            branch.push(text(" "));
            let cond = self.expr(k[1].clone());
            branch.push(align(cond));
            branch.push(text(" "));
            branch.push(self.leaf(&k[2]));
            branch.push(self.hug_or_indent(k[3].clone()));
            parts.push(group(concat(branch)));
            parts.push(Doc::Line(Line::Space));
        }
        if branches > 0 {
            let kw_else = &kids[5 * branches - 1];
            parts.push(self.leading(kw_else.as_span().start(), false, false, false));
            let e = self.leaf(kw_else);
            let last = kids[kids.len() - 1].clone();
            let value = self.hug_or_indent(last);
            parts.push(group(concat(vec![e, value])));
        }
        group(concat(parts))
    }

    fn atom(&mut self, p: P) -> Doc {
        match p.as_rule() {
            Rule::money_lit => self.money(p),
            Rule::duration_lit => {
                let kids: Vec<P> = p.into_inner().collect();
                self.words(kids)
            }
            Rule::percent_lit => self.percent(p),
            Rule::criteria => self.criteria(p),
            Rule::score_block => self.score_block(p),
            Rule::points_call => self.points_call(p),
            Rule::trailing_window | Rule::between_window => self.window(p),
            Rule::list_lit => self.list(p),
            Rule::record_lit => self.record(p),
            Rule::call => self.call(p),
            Rule::paren => self.paren(p),
            Rule::name => match p.into_inner().next() {
                Some(i) => self.leaf(&i),
                None => Doc::Nil,
            },
            Rule::expr
            | Rule::pipeline
            | Rule::or_expr
            | Rule::and_expr
            | Rule::not_expr
            | Rule::cmp_expr
            | Rule::other_expr
            | Rule::add_expr
            | Rule::mul_expr
            | Rule::unary
            | Rule::postfix => self.expr(p),
            _ => self.leaf(&p),
        }
    }

    /// `money_lit`
    fn money(&mut self, p: P) -> Doc {
        let mut parts = Vec::new();
        for k in p.into_inner() {
            match k.as_rule() {
                Rule::currency => {
                    parts.push(self.leaf(&k));
                    parts.push(text(" "));
                }
                _ => parts.push(self.leaf(&k)),
            }
        }
        concat(parts)
    }

    /// `percent_lit`
    fn percent(&mut self, p: P) -> Doc {
        let mut parts = Vec::new();
        if let Some(n) = p.into_inner().next() {
            let end = n.as_span().end();
            parts.push(self.leaf(&n));
            let pos = self.find_or(end, b'%');
            parts.push(self.punct(pos, "%"));
        }
        concat(parts)
    }

    /// `criteria`
    fn criteria(&mut self, p: P) -> Doc {
        let s = p.as_span();
        let mut it = p.into_inner();
        let mut parts = Vec::new();
        let mut last = s.start();
        if let Some(kind) = it.next() {
            last = kind.as_span().end();
            let words: Vec<P> = kind
                .into_inner()
                .flat_map(|k| {
                    if k.as_rule() == Rule::at_least {
                        k.into_inner().collect::<Vec<_>>()
                    } else {
                        vec![k]
                    }
                })
                .collect();
            parts.push(self.words(words));
            parts.push(text(" "));
        }
        let criteria: Vec<P> = it.collect();
        parts.push(self.criteria_block(last, s.end() - 1, criteria));
        concat(parts)
    }

    /// `score_block`
    fn score_block(&mut self, p: P) -> Doc {
        let s = p.as_span();
        let mut words = Vec::new();
        let mut criteria = Vec::new();
        for k in p.into_inner() {
            if k.as_rule() == Rule::criterion {
                criteria.push(k);
            } else {
                words.push(k);
            }
        }
        let last = words.last().map_or(s.start(), |w| w.as_span().end());
        let head = self.words(words);
        let block = self.criteria_block(last, s.end() - 1, criteria);
        concat(vec![head, text(" "), block])
    }

    /// `points_call`
    fn points_call(&mut self, p: P) -> Doc {
        let s = p.as_span();
        let kids: Vec<P> = p.into_inner().collect();
        let mut it = kids.into_iter();
        let Some(kw) = it.next() else {
            return Doc::Nil;
        };
        let kw_end = kw.as_span().end();
        let head = self.leaf(&kw);
        let open_pos = self.find_or(kw_end, b'(');
        let open = self.punct(open_pos, "(");
        let mut args = Vec::new();
        let rest: Vec<P> = it.collect();
        let mut i = 0;
        while i < rest.len() {
            let k = rest[i].clone();
            match k.as_rule() {
                Rule::rate => {
                    let mut parts = Vec::new();
                    for (j, q) in k.into_inner().enumerate() {
                        if j > 0 {
                            parts.push(text(" "));
                        }
                        if q.as_rule() == Rule::kw_each || q.as_rule() == Rule::kw_per {
                            parts.push(self.leaf(&q));
                        } else {
                            parts.push(self.expr(q));
                        }
                    }
                    args.push(concat(parts));
                }
                Rule::kw_max => {
                    let kw = self.leaf(&k);
                    let cap = rest.get(i + 1).map(|c| self.expr(c.clone()));
                    args.push(concat(vec![kw, text(" "), cap.unwrap_or(Doc::Nil)]));
                    i += 1;
                }
                Rule::kw_whole => args.push(self.leaf(&k)),
                _ => args.push(self.expr(k)),
            }
            i += 1;
        }
        let dangling = self.dangling(s.end() - 1);
        concat(vec![head, Self::aligned(open, args, dangling, ")")])
    }

    /// `trailing_window | between_window`
    fn window(&mut self, p: P) -> Doc {
        let mut parts = Vec::new();
        for (i, k) in p.into_inner().enumerate() {
            if i > 0 {
                parts.push(text(" "));
            }
            if k.as_rule() == Rule::other_expr {
                parts.push(self.expr(k));
            } else {
                parts.push(self.leaf(&k));
            }
        }
        concat(parts)
    }

    /// `list_lit`
    fn list(&mut self, p: P) -> Doc {
        let s = p.as_span();
        let elems: Vec<P> = p.into_inner().collect();
        self.seq(
            Seq {
                open: "[",
                close: "]",
                pad: false,
                layout: Layout::Fit,
            },
            s.start(),
            s.end() - 1,
            elems,
            |b, e| b.expr(e),
        )
    }

    /// `record_lit`
    fn record(&mut self, p: P) -> Doc {
        let s = p.as_span();
        let fields: Vec<P> = p.into_inner().collect();
        let layout = if self.expanded(s.start(), fields.first()) {
            Layout::Always
        } else {
            Layout::Fit
        };
        self.seq(
            Seq {
                open: "{",
                close: "}",
                pad: true,
                layout,
            },
            s.start(),
            s.end() - 1,
            fields,
            |b, f| b.labelled(f),
        )
    }

    /// `call`
    fn call(&mut self, p: P) -> Doc {
        let s = p.as_span();
        let mut it = p.into_inner();
        let Some(name) = it.next() else {
            return Doc::Nil;
        };
        let name_end = name.as_span().end();
        let head = self.leaf(&name);
        let open_pos = self.find_or(name_end, b'(');
        let open = self.punct(open_pos, "(");
        let mut args = Vec::new();
        for a in it {
            args.push(self.arg(a));
        }
        let dangling = self.dangling(s.end() - 1);
        concat(vec![head, Self::aligned(open, args, dangling, ")")])
    }

    /// `paren`
    fn paren(&mut self, p: P) -> Doc {
        let s = p.as_span();
        let open = self.punct(s.start(), "(");
        let inner = p.into_inner().next().map(|e| self.expr(e));
        let dangling = self.dangling(s.end() - 1);
        concat(vec![
            open,
            align(inner.unwrap_or(Doc::Nil)),
            dangling,
            Doc::Closer(")"),
        ])
    }

    /// `"label": value` and `field: value`.
    fn labelled(&mut self, p: P) -> Doc {
        let mut it = p.into_inner();
        let (Some(label), Some(value)) = (it.next(), it.next()) else {
            return Doc::Nil;
        };
        let label = self.leaf(&label);
        let value = self.hug_or_indent(value);
        group(concat(vec![label, Doc::Closer(":"), value]))
    }

    /// `{ "label": expr, … }` of `any`, `all`, `at least N of` and `score max N`, one per line.
    fn criteria_block(&mut self, after: usize, close: usize, criteria: Vec<P>) -> Doc {
        let open = self.find_or(after, b'{');
        self.seq(
            Seq {
                open: "{",
                close: "}",
                pad: true,
                layout: Layout::Always,
            },
            open,
            close,
            criteria,
            |b, c| b.labelled(c),
        )
    }

    /// `x in list: body` as a call argument.
    /// A call argument: an expression, or `x in list: body` (an expression, `:` and a body).
    fn arg(&mut self, p: P) -> Doc {
        let kids: Vec<P> = p.into_inner().collect();
        match kids.len() {
            1 => self.expr(kids[0].clone()),
            2 => {
                let head = self.expr(kids[0].clone());
                let body = self.hug_or_indent(kids[1].clone());
                group(concat(vec![head, Doc::Closer(":"), body]))
            }
            _ => Doc::Nil,
        }
    }
}

/// Skips the grammar's single-child wrapper levels (`expr` → `pipeline` → … → `postfix`).
fn unwrap_single(p: P) -> P {
    let mut p = p;
    loop {
        match p.as_rule() {
            Rule::expr
            | Rule::pipeline
            | Rule::or_expr
            | Rule::and_expr
            | Rule::not_expr
            | Rule::cmp_expr
            | Rule::other_expr
            | Rule::add_expr
            | Rule::mul_expr
            | Rule::unary
            | Rule::postfix => {
                let mut it = p.clone().into_inner();
                match (it.next(), it.next()) {
                    (Some(only), None) => p = only,
                    _ => return p,
                }
            }
            _ => return p,
        }
    }
}

/// Blocks hug the `:`, `=`, `then` or `else` before them.
fn is_block(p: &P) -> bool {
    matches!(
        unwrap_single(p.clone()).as_rule(),
        Rule::criteria | Rule::score_block | Rule::list_lit | Rule::record_lit
    )
}
