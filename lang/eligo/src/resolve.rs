//! Resolve: modules, `use`s and every top-level declaration. It gives each enum, type,
//! table and rule an index, turns written types into [`Ty`]s, and answers which declaration a
//! name means in a module. The type checker ([`crate::types`]) asks it while lowering bodies.

mod types;

pub use types::{implicit_default, literal_kind};

use crate::diag::{Error, ErrorKind};
use crate::model::names::{closest, Suggestions, BUILTIN_NAMES};
use crate::model::ty::RecordTy;
use crate::model::{EnumDef, Ty};
use crate::source::{SourceId, SourceMap, Span};
use crate::syntax::ast::{
    is_currency_code, Currency, Ident, Item, ItemKind, Module, DEFAULT_CURRENCY,
};
use std::collections::HashMap;
use std::sync::Arc;

/// What a top-level name stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decl {
    /// A rule, by id.
    Rule(u32),
    /// A table, by id.
    Table(u32),
    /// A named type, by id.
    Type(u32),
    /// An enum, by id.
    Enum(u32),
}

/// What a name means where it is used.
#[derive(Debug, Clone, PartialEq)]
pub enum Found {
    /// A declaration.
    Decl(Decl),
    /// A root field of the facts.
    Fact(u32, Ty),
    /// A module alias.
    Module(usize),
}

/// One policy file as a module.
#[derive(Debug)]
pub struct ModuleInfo {
    /// Dotted path.
    pub name: String,
    /// Its file.
    pub source: SourceId,
    /// Modules whose names it sees unqualified.
    pub uses: Vec<usize>,
    /// Modules it sees through an alias.
    pub aliases: HashMap<Arc<str>, usize>,
    /// Its own declarations.
    pub decls: HashMap<Arc<str>, (Decl, Span)>,
}

/// A declaration's item, kept for the checker.
#[derive(Debug, Clone, Copy)]
pub struct ItemRef {
    /// The module.
    pub module: usize,
    /// Index of the item in the module.
    pub item: usize,
}

/// Every module and declaration of a policy set.
#[derive(Debug)]
pub struct Env<'a> {
    /// The files.
    pub sources: &'a SourceMap,
    /// The parsed modules, in source order.
    pub asts: &'a [(SourceId, Module)],
    /// Module table, parallel to `asts`.
    pub modules: Vec<ModuleInfo>,
    /// Enums by id.
    pub enums: Vec<EnumDef>,
    /// Named types by id: their item, and their type once resolved.
    pub types: Vec<(ItemRef, Option<Ty>)>,
    /// Tables by id.
    pub tables: Vec<ItemRef>,
    /// Rules by id.
    pub rules: Vec<ItemRef>,
    /// The facts declaration.
    pub facts: Option<ItemRef>,
    /// Root fields of the facts by name.
    pub fact_fields: HashMap<Arc<str>, (u32, Ty)>,
    /// The facts' root record, once resolved.
    pub facts_root: Option<Arc<RecordTy>>,
    /// The program's currency: `@currency("…")` on the facts declaration, USD without it.
    pub currency: Currency,
    /// Errors so far.
    pub errors: Vec<Error>,
    /// The work left for suggestions in errors.
    pub suggestions: Suggestions,
    resolving: Vec<u32>,
}

impl<'a> Env<'a> {
    /// Builds the module table and declares every item.
    pub fn new(sources: &'a SourceMap, asts: &'a [(SourceId, Module)]) -> Self {
        let mut env = Env {
            sources,
            asts,
            modules: Vec::new(),
            enums: Vec::new(),
            types: Vec::new(),
            tables: Vec::new(),
            rules: Vec::new(),
            facts: None,
            fact_fields: HashMap::new(),
            facts_root: None,
            currency: DEFAULT_CURRENCY.into(),
            errors: Vec::new(),
            suggestions: Suggestions::default(),
            resolving: Vec::new(),
        };
        for (sid, _) in asts {
            env.modules.push(ModuleInfo {
                name: sources.get(*sid).module.clone(),
                source: *sid,
                uses: Vec::new(),
                aliases: HashMap::new(),
                decls: HashMap::new(),
            });
        }
        for m in 0..asts.len() {
            env.declare_module(m);
        }
        env
    }

    fn declare_module(&mut self, m: usize) {
        let asts = self.asts;
        for (i, item) in asts[m].1.items.iter().enumerate() {
            let at = ItemRef { module: m, item: i };
            match &item.kind {
                ItemKind::Use { path, alias } => self.declare_use(m, path, alias.as_ref()),
                ItemKind::Facts { .. } => {
                    if let Some(prev) = self.facts {
                        let prev_span = self.item(prev).span;
                        self.errors.push(
                            Error::at(item.span, ErrorKind::DuplicateFacts)
                                .with_note(prev_span, "first declared here"),
                        );
                    } else {
                        self.facts = Some(at);
                        self.declare_currency(item);
                    }
                }
                ItemKind::Enum { name, variants } => {
                    let id = self.enums.len() as u32;
                    let mut seen: HashMap<&str, Span> = HashMap::new();
                    for (_, v) in variants {
                        if let Some(prev) = seen.insert(&v.node, v.span) {
                            self.errors.push(
                                Error::at(
                                    v.span,
                                    ErrorKind::DuplicateVariant {
                                        variant: v.node.to_string(),
                                    },
                                )
                                .with_note(prev, "first here"),
                            );
                        }
                    }
                    self.enums.push(EnumDef {
                        name: name.node.clone(),
                        variants: variants.iter().map(|(_, v)| v.node.clone()).collect(),
                        span: name.span,
                    });
                    self.declare(m, name, Decl::Enum(id));
                }
                ItemKind::Type { name, .. } => {
                    let id = self.types.len() as u32;
                    self.types.push((at, None));
                    self.declare(m, name, Decl::Type(id));
                }
                ItemKind::Table { name, .. } => {
                    let id = self.tables.len() as u32;
                    self.tables.push(at);
                    self.declare(m, name, Decl::Table(id));
                }
                ItemKind::Rule { name, .. } => {
                    let id = self.rules.len() as u32;
                    self.rules.push(at);
                    self.declare(m, name, Decl::Rule(id));
                }
                ItemKind::Outcome { .. } => {}
            }
        }
    }

    /// The currency named by `@currency("…")` on the facts declaration (its arity is checked
    /// with the other attributes').
    fn declare_currency(&mut self, facts: &Item) {
        let code = facts
            .meta
            .attrs
            .iter()
            .find(|a| &*a.name.node == "currency")
            .and_then(|a| a.args.first());
        if let Some(code) = code {
            if is_currency_code(&code.node) {
                self.currency = code.node.as_str().into();
            } else {
                let text = code.node.clone();
                self.errors
                    .push(Error::at(code.span, ErrorKind::InvalidCurrency { text }));
            }
        }
    }

    fn declare_use(&mut self, m: usize, path: &Ident, alias: Option<&Ident>) {
        let target = self.modules.iter().position(|x| x.name == *path.node);
        match target {
            Some(t) if t == m => self.errors.push(Error::at(
                path.span,
                ErrorKind::SelfImport {
                    module: path.node.to_string(),
                },
            )),
            Some(t) => match alias {
                Some(a) => {
                    self.modules[m].aliases.insert(a.node.clone(), t);
                }
                None => {
                    if !self.modules[m].uses.contains(&t) {
                        self.modules[m].uses.push(t);
                    }
                }
            },
            None => {
                let names: Vec<&str> = self.modules.iter().map(|x| x.name.as_str()).collect();
                let suggestion = closest(&path.node, names.iter().copied());
                self.errors.push(Error::at(
                    path.span,
                    ErrorKind::UnknownModule {
                        path: path.node.to_string(),
                        suggestion,
                    },
                ));
            }
        }
    }

    fn declare(&mut self, m: usize, name: &Ident, decl: Decl) {
        if let Some((_, prev)) = self.modules[m].decls.get(&name.node) {
            let prev = *prev;
            self.errors.push(
                Error::at(
                    name.span,
                    ErrorKind::DuplicateDefinition {
                        name: name.node.to_string(),
                    },
                )
                .with_note(prev, "first defined here"),
            );
            return;
        }
        self.modules[m]
            .decls
            .insert(name.node.clone(), (decl, name.span));
    }

    /// The item behind a reference.
    pub fn item(&self, r: ItemRef) -> &'a Item {
        &self.asts[r.module].1.items[r.item]
    }

    /// What `name` means in module `m` (locals are the checker's business).
    pub fn lookup(&self, m: usize, name: &Ident) -> Result<Found, Error> {
        let module = &self.modules[m];
        if let Some((d, _)) = module.decls.get(&name.node) {
            return Ok(Found::Decl(*d));
        }
        let mut hits: Vec<(usize, Decl)> = module
            .uses
            .iter()
            .filter_map(|u| {
                self.modules[*u]
                    .decls
                    .get(&name.node)
                    .map(|(d, _)| (*u, *d))
            })
            .collect();
        if hits.len() > 1 {
            return Err(Error::at(
                name.span,
                ErrorKind::AmbiguousName {
                    name: name.node.to_string(),
                    modules: hits
                        .iter()
                        .map(|(u, _)| self.modules[*u].name.clone())
                        .collect(),
                },
            ));
        }
        if let Some((_, d)) = hits.pop() {
            return Ok(Found::Decl(d));
        }
        if let Some(&t) = module.aliases.get(&name.node) {
            return Ok(Found::Module(t));
        }
        if let Some((slot, ty)) = self.fact_fields.get(&name.node) {
            return Ok(Found::Fact(*slot, ty.clone()));
        }
        // The suggestion is worked out only when the error is reported (`unknown_name`): lookups
        // that fail are common while checking (a bare enum variant is tried as a name first).
        Err(Error::at(
            name.span,
            ErrorKind::UnknownName {
                name: name.node.to_string(),
                suggestion: None,
            },
        ))
    }

    /// A name looked up inside another module (`alias.name`).
    pub fn lookup_in(&self, target: usize, name: &Ident) -> Result<Decl, Error> {
        match self.modules[target].decls.get(&name.node) {
            Some((d, _)) => Ok(*d),
            None => {
                let decls = &self.modules[target].decls;
                let suggestion = self.suggestions.closest(&name.node, decls.len(), || {
                    decls.keys().map(|k| &**k).collect()
                });
                Err(Error::at(
                    name.span,
                    ErrorKind::UnknownName {
                        name: format!("{}.{}", self.modules[target].name, name.node),
                        suggestion: suggestion
                            .map(|s| format!("{}.{s}", self.modules[target].name)),
                    },
                ))
            }
        }
    }

    /// An unknown-name error suggesting the closest visible name (locals included), or an enum
    /// variant written through its enum (`Tier.select`): a bare variant is only a value where an
    /// enum is expected, so elsewhere the name is told its enum rather than a rule of a similar
    /// name.
    pub fn unknown_name(&self, m: usize, name: &Ident, locals: &[&str]) -> Error {
        let module = &self.modules[m];
        let count = locals.len()
            + module.decls.len()
            + module
                .uses
                .iter()
                .map(|u| self.modules[*u].decls.len())
                .sum::<usize>()
            + module.aliases.len()
            + self.fact_fields.len()
            + BUILTIN_NAMES.len();
        let suggestion = if self.suggestions.afford(&name.node, count) {
            self.suggest_name(m, &name.node, locals)
        } else {
            None
        };
        Error::at(
            name.span,
            ErrorKind::UnknownName {
                name: name.node.to_string(),
                suggestion,
            },
        )
    }

    /// The suggestion for an unknown name, its work already taken (the visible enums' variants
    /// take theirs here): a variant of that very name, else the closest visible name or variant.
    fn suggest_name(&self, m: usize, name: &str, locals: &[&str]) -> Option<String> {
        let module = &self.modules[m];
        let mut variants: Vec<(&str, &str)> = Vec::new();
        for e in self.visible_enums(m) {
            let def = &self.enums[e as usize];
            variants.extend(def.variants.iter().map(|v| (&*def.name, &**v)));
        }
        if !self.suggestions.afford(name, variants.len()) {
            variants.clear();
        }
        let qualified = |(e, v): &(&str, &str)| format!("{e}.{v}");
        if let Some(exact) = variants.iter().find(|(_, v)| *v == name) {
            return Some(qualified(exact));
        }
        let mut plain: Vec<&str> = locals.to_vec();
        plain.extend(module.decls.keys().map(|k| &**k));
        for u in &module.uses {
            plain.extend(self.modules[*u].decls.keys().map(|k| &**k));
        }
        plain.extend(module.aliases.keys().map(|k| &**k));
        plain.extend(self.fact_fields.keys().map(|k| &**k));
        plain.extend(BUILTIN_NAMES.iter().copied());
        // Variants after the plain names: a plain name as close wins.
        let all = plain
            .iter()
            .copied()
            .chain(variants.iter().map(|(_, v)| *v));
        let best = closest(name, all)?;
        if plain.contains(&best.as_str()) {
            return Some(best);
        }
        variants
            .iter()
            .find(|(_, v)| *v == best)
            .map(qualified)
            .or(Some(best))
    }

    /// The enums a module sees: its own and those of the modules it uses, in declaration order.
    fn visible_enums(&self, m: usize) -> Vec<u32> {
        let module = &self.modules[m];
        let mut enums: Vec<(Span, u32)> = std::iter::once(m)
            .chain(module.uses.iter().copied())
            .flat_map(|u| self.modules[u].decls.values())
            .filter_map(|(d, span)| match d {
                Decl::Enum(e) => Some((*span, *e)),
                _ => None,
            })
            .collect();
        enums.sort_by_key(|(span, _)| (span.source, span.start));
        enums.into_iter().map(|(_, e)| e).collect()
    }

    /// The module a source file belongs to.
    pub fn module_of(&self, source: SourceId) -> usize {
        self.modules
            .iter()
            .position(|m| m.source == source)
            .unwrap_or(0)
    }
}
