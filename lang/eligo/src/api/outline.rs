//! What an editor needs to know about policy files without running them: every declaration with
//! its doc comment, `@source` citations and written signature, every name that refers to one (or
//! to a parameter, a `let`, a binding), the blocks that fold, and the labelled criteria. Built
//! from the syntax alone, file by file, so a file that does not type-check still has its outline;
//! names are looked up as the resolver does (the module's own declarations, then the modules it
//! `use`s, then aliases, then the facts' fields, then enum variants), locals first.

mod declare;
mod walk;

use super::policies::Sources;
use crate::source::SourceId;
use crate::syntax::ast::Module;
use crate::syntax::parse_module;
use std::ops::Range;
use std::sync::Arc;

/// What a declaration declares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SymbolKind {
    /// `rule name(…): T = …`
    Rule,
    /// `table name(…) = […]`
    Table,
    /// A column of a table.
    Column,
    /// `enum Name { … }`
    Enum,
    /// A variant of an enum.
    Variant,
    /// `type Name = …`
    Type,
    /// A field of a record type (a named type's, or a nested record of the facts).
    Field,
    /// `facts "format" { … }`
    Facts,
    /// A root field of the facts declaration (a name every rule can read).
    Fact,
    /// `outcome "id" = …`
    Outcome,
}

/// A declaration.
#[derive(Debug, Clone)]
pub struct Symbol {
    /// What it declares.
    pub kind: SymbolKind,
    /// Its name (an outcome's id as written, `{area}` placeholder included).
    pub name: String,
    /// The declaration it belongs to: a variant's enum, a field's type, a column's table.
    pub container: Option<String>,
    /// The whole declaration, doc comment excluded (bytes of the file).
    pub range: Range<usize>,
    /// Its name (for an outcome, its id string without the quotes).
    pub name_range: Range<usize>,
    /// The doc comment, line by line.
    pub docs: Vec<String>,
    /// The `@source` citations.
    pub sources: Vec<String>,
    /// The declaration as written, on one line: `rule name(p: T): T`, `fact name: T`, `Area.security`.
    pub detail: String,
    /// The record its value is (through lists and options): a named type, or the field that
    /// writes the record inline; how `x.field` finds `field`.
    pub(crate) record: Option<String>,
}

/// What a name refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Target {
    /// A declaration: the file's index and the symbol's index in it.
    Symbol {
        /// Index of the file in [`Outline::files`].
        file: usize,
        /// Index in [`FileOutline::symbols`].
        index: usize,
    },
    /// A parameter, a `let`, a binding (`x in list:`, `is some x`, `for area in Area`).
    Local {
        /// Index of the file.
        file: usize,
        /// Index in [`FileOutline::locals`].
        index: usize,
    },
}

/// A name that refers to something.
#[derive(Debug, Clone)]
pub struct Reference {
    /// Where the name is written.
    pub range: Range<usize>,
    /// What it means.
    pub target: Target,
}

/// What binds a local name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum LocalKind {
    /// A rule's parameter.
    Parameter,
    /// `let x = …`
    Let,
    /// `x in list: …`, `is some x`, `for x in Enum`
    Binding,
}

/// A local name.
#[derive(Debug, Clone)]
pub struct Local {
    /// The name.
    pub name: String,
    /// Where it is bound.
    pub range: Range<usize>,
    /// How.
    pub kind: LocalKind,
    /// Its written type, for a parameter or a `for` binding.
    pub detail: Option<String>,
    /// The text it is visible in.
    pub scope: Range<usize>,
}

/// A labelled criterion or score metric: `"label": expr` inside `any`, `all`, `at least`, `score`.
#[derive(Debug, Clone)]
pub struct Criterion {
    /// The rule (name) or outcome (id as written) whose body holds it.
    pub owner: String,
    /// Whether the owner is an outcome.
    pub in_outcome: bool,
    /// The label, unquoted.
    pub label: String,
    /// The whole `"label": expr`.
    pub range: Range<usize>,
}

/// The outline of one file.
#[derive(Debug, Clone, Default)]
pub struct FileOutline {
    /// The file's name, as in its [`Sources`].
    pub name: String,
    /// Its module path.
    pub module: String,
    /// Whether it parsed (a file that does not has an empty outline).
    pub parsed: bool,
    /// Its declarations, in file order (an enum before its variants, a table before its columns).
    pub symbols: Vec<Symbol>,
    /// The names that refer to declarations or locals.
    pub references: Vec<Reference>,
    /// Its locals.
    pub locals: Vec<Local>,
    /// Ranges that fold: declarations and the blocks inside them.
    pub folds: Vec<Range<usize>>,
    /// Its labelled criteria.
    pub criteria: Vec<Criterion>,
    /// The modules it `use`s without an alias (module paths).
    pub uses: Vec<String>,
    /// The modules it `use`s with an alias: alias and module path.
    pub aliases: Vec<(String, String)>,
}

/// The outlines of policy files and what their names refer to, across files.
#[derive(Debug, Clone, Default)]
pub struct Outline {
    files: Vec<FileOutline>,
    /// Each file's parse and declarations, kept for [`Outline::again`].
    parses: Vec<Arc<Parse>>,
}

/// One file as parsed: its text, syntax tree (none if it does not parse) and declarations.
#[derive(Debug)]
struct Parse {
    name: String,
    module_path: String,
    text: String,
    module: Option<Module>,
    declared: FileOutline,
}

impl Parse {
    fn new(index: usize, name: &str, module_path: &str, text: &str) -> Parse {
        let body = text.strip_prefix('\u{feff}').unwrap_or(text);
        let module = parse_module(SourceId(index as u32), body).ok();
        let mut declared = FileOutline {
            name: name.to_string(),
            module: module_path.to_string(),
            parsed: module.is_some(),
            ..FileOutline::default()
        };
        if let Some(m) = &module {
            declare::declare(&mut declared, m, body);
        }
        Parse {
            name: name.to_string(),
            module_path: module_path.to_string(),
            text: text.to_string(),
            module,
            declared,
        }
    }
}

impl Outline {
    /// The outline of every file of the sources (files that do not parse are empty).
    pub fn of(sources: &Sources) -> Outline {
        Outline::again(sources, &Outline::default())
    }

    /// The outline of the sources after an edit: the files whose text did not change are not
    /// parsed again (what their names refer to is looked up again, since other files changed).
    pub fn again(sources: &Sources, previous: &Outline) -> Outline {
        let mut parses: Vec<Arc<Parse>> = Vec::with_capacity(sources.len());
        for (i, (name, module, text)) in sources.files().enumerate() {
            let kept = previous
                .parses
                .iter()
                .find(|p| p.name == name && p.module_path == module && p.text == text);
            parses.push(match kept {
                Some(p) => p.clone(),
                None => Arc::new(Parse::new(i, name, module, text)),
            });
        }
        let mut files: Vec<FileOutline> = parses.iter().map(|p| p.declared.clone()).collect();
        let names = walk::Names::new(&files);
        let mut found = Vec::with_capacity(files.len());
        for (i, p) in parses.iter().enumerate() {
            let text = p.text.strip_prefix('\u{feff}').unwrap_or(&p.text);
            found.push(
                p.module
                    .as_ref()
                    .map(|m| walk::walk(&names, &files, i, m, text)),
            );
        }
        for (file, found) in files.iter_mut().zip(found) {
            if let Some(found) = found {
                file.references = found.references;
                file.locals = found.locals;
                file.criteria = found.criteria;
                file.folds.extend(found.folds);
            }
        }
        Outline { files, parses }
    }

    /// The files' outlines, in the order of the sources.
    pub fn files(&self) -> &[FileOutline] {
        &self.files
    }

    /// A file's index by name.
    pub fn file_index(&self, name: &str) -> Option<usize> {
        self.files.iter().position(|f| f.name == name)
    }

    /// Replaces a file's outline (an editor keeps the last outline of a file that no longer
    /// parses while the author types).
    pub fn replace(&mut self, index: usize, file: FileOutline) {
        if let Some(slot) = self.files.get_mut(index) {
            *slot = file;
        }
    }

    /// A declaration.
    pub fn symbol(&self, file: usize, index: usize) -> Option<&Symbol> {
        self.files.get(file)?.symbols.get(index)
    }

    /// A local.
    pub fn local(&self, file: usize, index: usize) -> Option<&Local> {
        self.files.get(file)?.locals.get(index)
    }

    /// What the name at a byte offset of a file refers to: a reference's target, or the
    /// declaration or local whose name it is.
    pub fn target_at(&self, file: usize, offset: usize) -> Option<Target> {
        let f = self.files.get(file)?;
        let within = |r: &Range<usize>| r.start <= offset && offset <= r.end;
        if let Some(r) = f.references.iter().find(|r| within(&r.range)) {
            return Some(r.target);
        }
        if let Some(index) = f.symbols.iter().position(|s| within(&s.name_range)) {
            return Some(Target::Symbol { file, index });
        }
        let index = f.locals.iter().position(|l| within(&l.range))?;
        Some(Target::Local { file, index })
    }

    /// Where a target is declared: file and name range.
    pub fn definition(&self, target: Target) -> Option<(usize, Range<usize>)> {
        match target {
            Target::Symbol { file, index } => {
                Some((file, self.symbol(file, index)?.name_range.clone()))
            }
            Target::Local { file, index } => Some((file, self.local(file, index)?.range.clone())),
        }
    }

    /// Every place a target's name is written: its declaration first, then the references, file
    /// by file.
    pub fn occurrences(&self, target: Target) -> Vec<(usize, Range<usize>)> {
        let mut out: Vec<(usize, Range<usize>)> = self.definition(target).into_iter().collect();
        for (i, f) in self.files.iter().enumerate() {
            for r in f.references.iter().filter(|r| r.target == target) {
                out.push((i, r.range.clone()));
            }
        }
        out
    }

    /// The declarations visible by name in a file: its own, those of the modules it uses, and
    /// the facts' fields (what completion offers).
    pub fn visible(&self, file: usize) -> Vec<(usize, &Symbol)> {
        let Some(f) = self.files.get(file) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for (i, g) in self.files.iter().enumerate() {
            let seen = i == file || f.uses.contains(&g.module);
            for s in &g.symbols {
                let top = matches!(
                    s.kind,
                    SymbolKind::Rule | SymbolKind::Table | SymbolKind::Enum | SymbolKind::Type
                );
                if (seen && top) || s.kind == SymbolKind::Fact {
                    out.push((i, s));
                }
            }
        }
        out
    }

    /// What can follow `a.b.c.` by the written types alone (for completion while the policies
    /// do not compile): the fields of the record the chain of names holds, or an enum's
    /// variants. The first name is one visible in the file.
    pub fn members(&self, file: usize, chain: &[&str]) -> Vec<&Symbol> {
        let record_of = |s: &Symbol| match s.kind {
            SymbolKind::Table | SymbolKind::Enum | SymbolKind::Type => Some(s.name.clone()),
            _ => s.record.clone(),
        };
        let members = |record: &str| -> Vec<&Symbol> {
            self.symbols()
                .map(|(_, s)| s)
                .filter(|s| s.container.as_deref() == Some(record))
                .collect()
        };
        let mut record: Option<String> = None;
        for (i, name) in chain.iter().enumerate() {
            let symbol = if i == 0 {
                self.visible(file)
                    .into_iter()
                    .map(|(_, s)| s)
                    .find(|s| s.name == *name)
            } else {
                record
                    .as_deref()
                    .map(members)
                    .and_then(|m| m.into_iter().find(|s| s.name == *name))
            };
            record = symbol.and_then(record_of);
            if record.is_none() {
                return Vec::new();
            }
        }
        record.as_deref().map(members).unwrap_or_default()
    }

    /// The criteria of a rule (by name) or of an outcome (by id as written).
    pub fn criteria_of(&self, owner: &str) -> Vec<(usize, &Criterion)> {
        let mut out = Vec::new();
        for (i, f) in self.files.iter().enumerate() {
            out.extend(
                f.criteria
                    .iter()
                    .filter(|c| c.owner == owner)
                    .map(|c| (i, c)),
            );
        }
        out
    }

    /// Symbols by kind and name, across files (a workspace's symbol search).
    pub fn symbols(&self) -> impl Iterator<Item = (usize, &Symbol)> {
        self.files
            .iter()
            .enumerate()
            .flat_map(|(i, f)| f.symbols.iter().map(move |s| (i, s)))
    }
}
