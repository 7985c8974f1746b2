//! Policy files ([`Sources`]) and the compiled policies ([`Policies`]): what they declare, and
//! the selection of outcomes by id or prefix.

use super::error::{Diagnostics, Error};
use crate::diag::{self, ErrorKind};
use crate::driver::{self, LoadedSources};
use crate::eval::Compiled;
use crate::model::ir::{visit, Ir};
use crate::model::names::closest;
use crate::model::{OutcomeDef, Program, RuleDef, Ty, Value};
use std::path::Path;
use std::sync::Arc;

/// Policy files: each one's name (as diagnostics show it), module path and text, in a stable
/// order. They may come from a folder, from memory (an editor's unsaved buffers) or from the
/// standard policies built into the library.
#[derive(Debug, Clone, Default)]
pub struct Sources(pub(crate) LoadedSources);

impl Sources {
    /// A policy file, or every `*.elg` file under a folder (read with the size limit).
    pub fn read(path: impl AsRef<Path>) -> Result<Sources, Error> {
        driver::policy_sources(path.as_ref())
            .map(Sources)
            .map_err(|e| Error::Policies(Diagnostics::one(e)))
    }

    /// The standard policies (`stdlib-policies/`), named `<stdlib>/…`.
    pub fn standard() -> Sources {
        Sources(driver::standard_sources())
    }

    /// Files from memory: each file's name is its path in the policy folder
    /// (`capability/azure.elg` is module `capability.azure`).
    pub fn from_texts<N, T>(files: impl IntoIterator<Item = (N, T)>) -> Sources
    where
        N: Into<String>,
        T: Into<String>,
    {
        let mut s = Sources::default();
        for (name, text) in files {
            let name = name.into();
            let module = driver::module_name(&name);
            s.push(name, module, text);
        }
        s
    }

    /// Adds a file with its module path.
    pub fn push(
        &mut self,
        name: impl Into<String>,
        module: impl Into<String>,
        text: impl Into<String>,
    ) {
        self.0.files.push((name.into(), module.into(), text.into()));
    }

    /// Each file: name, module path, text.
    pub fn files(&self) -> impl ExactSizeIterator<Item = (&str, &str, &str)> {
        self.0
            .files
            .iter()
            .map(|(n, m, t)| (n.as_str(), m.as_str(), t.as_str()))
    }

    /// How many files.
    pub fn len(&self) -> usize {
        self.0.files.len()
    }

    /// Whether there is no file.
    pub fn is_empty(&self) -> bool {
        self.0.files.is_empty()
    }
}

/// Compiled policies: parsed, resolved, type-checked and compiled for evaluation. Cheap to
/// clone and shareable between threads (`Send + Sync`); see [`Policies::worker_copy`] for batch
/// workers.
#[derive(Debug, Clone)]
pub struct Policies {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    sources: Sources,
    compiled: Compiled,
}

impl Policies {
    /// Reads and compiles a policy file or folder.
    pub fn load(path: impl AsRef<Path>) -> Result<Policies, Error> {
        Policies::compile(Sources::read(path)?)
    }

    /// The standard policies built into the library.
    pub fn standard() -> Result<Policies, Error> {
        Policies::compile(Sources::standard())
    }

    /// Compiles policy files (on a thread with a stack deep enough for every nesting limit).
    pub fn compile(sources: Sources) -> Result<Policies, Error> {
        match driver::compile(sources.0.clone()) {
            Ok(compiled) => Ok(Policies {
                inner: Arc::new(Inner { sources, compiled }),
            }),
            Err(failed) => Err(Error::Policies(Diagnostics::new(
                failed.errors,
                failed.sources,
            ))),
        }
    }

    /// Compiles the same files again, for a worker thread of its own: the values the policies
    /// hold (table rows, constants) are reference counted, and counts shared between cores slow
    /// every use down.
    pub fn worker_copy(&self) -> Result<Policies, Error> {
        Policies::compile(self.inner.sources.clone())
    }

    /// What compiles but is likely a mistake (severity warning): unused rules, tables and facts
    /// fields, constant criteria, thresholds out of reach or always met. `eligo check` prints
    /// them; `--deny-warnings` fails on them.
    pub fn warnings(&self) -> Diagnostics {
        let program = self.program();
        Diagnostics::new(program.warnings.clone(), program.sources.clone())
    }

    /// The files the policies were compiled from.
    pub fn sources(&self) -> &Sources {
        &self.inner.sources
    }

    pub(crate) fn compiled(&self) -> &Compiled {
        &self.inner.compiled
    }

    pub(crate) fn program(&self) -> &Program {
        self.inner.compiled.program()
    }

    /// The outcomes, sorted by id.
    pub fn outcomes(&self) -> impl ExactSizeIterator<Item = OutcomeInfo<'_>> {
        let p = self.program();
        (0..p.outcomes.len()).map(move |index| OutcomeInfo {
            policies: self,
            index,
        })
    }

    /// An outcome by id.
    pub fn outcome(&self, id: &str) -> Option<OutcomeInfo<'_>> {
        self.outcomes().find(|o| o.id() == id)
    }

    /// The rules, in declaration order (module after module).
    pub fn rules(&self) -> impl ExactSizeIterator<Item = RuleInfo<'_>> {
        let p = self.program();
        (0..p.rules.len()).map(move |id| RuleInfo { policies: self, id })
    }

    /// A rule by name (the first with that name, in any module).
    pub fn rule(&self, name: &str) -> Option<RuleInfo<'_>> {
        let id = self.program().rule(name)?;
        Some(RuleInfo { policies: self, id })
    }

    /// The tables: name, module, type (`[{column: T, …}]`).
    pub fn tables(&self) -> impl Iterator<Item = (&str, &str, &Ty)> {
        self.program()
            .tables
            .iter()
            .map(|t| (&*t.name, t.module.as_str(), &t.ty))
    }

    /// The enums: name and variants.
    pub fn enums(&self) -> impl Iterator<Item = (&str, Vec<&str>)> {
        self.program()
            .enums
            .iter()
            .map(|e| (&*e.name, e.variants.iter().map(|v| &**v).collect()))
    }

    /// The values of an enum or `Bool` type, in order (`None` for other types).
    pub fn values_of(&self, ty: &Ty) -> Option<Vec<Value>> {
        match ty {
            Ty::Bool => Some(vec![Value::Bool(false), Value::Bool(true)]),
            Ty::Enum(e, _) => {
                let n = self.program().enums.get(*e as usize)?.variants.len() as u32;
                Some((0..n).map(Value::Enum).collect())
            }
            _ => None,
        }
    }

    /// The root fields of the facts declaration: name and type.
    pub fn fact_fields(&self) -> impl Iterator<Item = (&str, &Ty)> {
        self.program()
            .facts
            .iter()
            .flat_map(|s| s.root.fields.iter().map(|f| (&*f.name, &f.ty)))
    }

    /// The `format` the facts must declare, if the policies declare facts.
    pub fn facts_format(&self) -> Option<&str> {
        self.program().facts.as_ref().map(|s| s.format.as_str())
    }

    /// A value of a type, for people: `USD 4,730`, `12.5%`, `yes`. A value that does not have
    /// the shape of `ty` is [`Error::Internal`] (E0900), never a plausible text.
    pub fn display(&self, value: &Value, ty: &Ty) -> Result<String, Error> {
        crate::eval::output::display(self.program(), value, ty).map_err(Error::internal)
    }

    /// A value of a type as JSON, as `eligo.outcomes/1` writes it.
    pub fn json(&self, value: &Value, ty: &Ty) -> Result<String, Error> {
        let mut s = String::new();
        crate::eval::output::json_value(&mut s, self.program(), value, ty)
            .map_err(Error::internal)?;
        Ok(s)
    }

    /// The outcomes of a selection, in its order.
    pub fn selected<'a>(
        &'a self,
        selection: &'a Selection,
    ) -> impl ExactSizeIterator<Item = OutcomeInfo<'a>> {
        selection.indices.iter().map(move |&index| OutcomeInfo {
            policies: self,
            index,
        })
    }

    /// Every outcome, in id order.
    pub fn all_outcomes(&self) -> Selection {
        Selection {
            indices: (0..self.program().outcomes.len()).collect(),
            roots: None,
        }
    }

    /// The outcomes the patterns select, in id order: each pattern is an id or a prefix of ids
    /// (`capability_score` selects `capability_score.security`); no pattern selects them all.
    /// A pattern that selects nothing is an error (E0601) suggesting the closest id or prefix.
    pub fn select<S: AsRef<str>>(&self, patterns: &[S]) -> Result<Selection, Error> {
        if patterns.is_empty() {
            return Ok(self.all_outcomes());
        }
        let program = self.program();
        let mut indices = Vec::new();
        for p in patterns {
            let p = p.as_ref();
            let hits = program.select_outcomes(p);
            if hits.is_empty() {
                return Err(Error::request(diag::Error::bare(
                    ErrorKind::UnknownOutcome {
                        pattern: p.to_string(),
                        suggestion: self.closest_outcome(p),
                    },
                )));
            }
            indices.extend(hits);
        }
        indices.sort_unstable();
        indices.dedup();
        // Parts of the facts no selected outcome reads are checked as JSON only.
        let roots = Some(program.roots_read(&indices).into());
        Ok(Selection { indices, roots })
    }

    /// The closest whole id or prefix of ids (`capability_scor` → `capability_score`).
    fn closest_outcome(&self, pattern: &str) -> Option<String> {
        let mut candidates: Vec<&str> = Vec::new();
        for o in &self.program().outcomes {
            candidates.push(&o.id);
            for (i, _) in o.id.match_indices('.') {
                candidates.push(&o.id[..i]);
            }
        }
        candidates.sort_unstable();
        candidates.dedup();
        closest(pattern, candidates.into_iter())
    }
}

/// Outcomes to evaluate, by index in id order.
#[derive(Debug, Clone)]
pub struct Selection {
    pub(crate) indices: Vec<usize>,
    /// Which root fields of the facts the selected outcomes read (`None`: all of them).
    pub(crate) roots: Option<Arc<[bool]>>,
}

impl Selection {
    /// How many outcomes.
    pub fn len(&self) -> usize {
        self.indices.len()
    }

    /// Whether it selects none.
    pub fn is_empty(&self) -> bool {
        self.indices.is_empty()
    }
}

/// An outcome of the policies.
#[derive(Clone, Copy)]
pub struct OutcomeInfo<'p> {
    policies: &'p Policies,
    index: usize,
}

impl<'p> OutcomeInfo<'p> {
    fn def(&self) -> &'p OutcomeDef {
        &self.policies.program().outcomes[self.index]
    }

    /// The stable id.
    pub fn id(&self) -> &'p str {
        &self.def().id
    }

    /// Its type.
    pub fn ty(&self) -> &'p Ty {
        &self.def().ty
    }

    /// Its `@source` citations.
    pub fn sources(&self) -> &'p [String] {
        &self.def().sources
    }

    /// The file and line it is declared at.
    pub fn declared_at(&self) -> (&'p str, usize) {
        declared_at(self.policies.program(), self.def().span)
    }

    /// The variant of an outcome of a `for` family (`designation_held.security`).
    pub fn binding(&self) -> Option<&'p Value> {
        self.def().binding.as_ref()
    }

    /// What its expression reads directly.
    pub fn reads(&self) -> Reads<'p> {
        Reads::of(self.policies, &self.def().body, self.binding())
    }

    /// Whether it reads the facts, directly or through rules.
    pub fn reads_facts(&self) -> bool {
        reads_facts(self.policies.program(), &self.def().body)
    }

    /// Its position among the outcomes (in id order).
    pub fn index(&self) -> usize {
        self.index
    }

    /// A selection of this outcome alone.
    pub fn selection(&self) -> Selection {
        Selection {
            indices: vec![self.index],
            roots: None,
        }
    }
}

/// A rule of the policies.
#[derive(Clone, Copy)]
pub struct RuleInfo<'p> {
    policies: &'p Policies,
    id: usize,
}

impl<'p> RuleInfo<'p> {
    fn def(&self) -> &'p RuleDef {
        &self.policies.program().rules[self.id]
    }

    /// Its number among the rules, as [`crate::CaseResult::rules_run`] counts them.
    pub fn id(&self) -> usize {
        self.id
    }

    /// Its name.
    pub fn name(&self) -> &'p str {
        &self.def().name
    }

    /// The module it is declared in.
    pub fn module(&self) -> &'p str {
        &self.def().module
    }

    /// Its parameters: name and type.
    pub fn params(&self) -> impl ExactSizeIterator<Item = (&'p str, &'p Ty)> {
        self.def().params.iter().map(|(n, t)| (&**n, t))
    }

    /// Its result type.
    pub fn ty(&self) -> &'p Ty {
        &self.def().ty
    }

    /// Its `@source` citations.
    pub fn sources(&self) -> &'p [String] {
        &self.def().sources
    }

    /// Its doc comment, line by line.
    pub fn docs(&self) -> &'p [String] {
        &self.def().docs
    }

    /// The file and line it is declared at.
    pub fn declared_at(&self) -> (&'p str, usize) {
        declared_at(self.policies.program(), self.def().span)
    }

    /// `name(param: T, …): T`
    pub fn signature(&self) -> String {
        let mut s = self.name().to_string();
        if self.def().params.is_empty() {
            return format!("{s}: {}", self.ty());
        }
        let params: Vec<String> = self.params().map(|(n, t)| format!("{n}: {t}")).collect();
        s.push_str(&format!("({}): {}", params.join(", "), self.ty()));
        s
    }

    /// What its body reads directly.
    pub fn reads(&self) -> Reads<'p> {
        Reads::of(self.policies, &self.def().body, None)
    }

    /// Whether it reads the facts, directly or through rules.
    pub fn reads_facts(&self) -> bool {
        reads_facts(self.policies.program(), &self.def().body)
    }
}

/// What an expression reads directly: rules, rule calls, tables and fact fields.
pub struct Reads<'p> {
    /// Rules without parameters.
    pub rules: Vec<RuleInfo<'p>>,
    /// Calls of rules with parameters, with their arguments when they are constants (or the
    /// variant of an outcome family).
    pub calls: Vec<(RuleInfo<'p>, Option<Vec<Value>>)>,
    /// Tables, by name.
    pub tables: Vec<&'p str>,
    /// Root fields of the facts: name and type.
    pub facts: Vec<(&'p str, &'p Ty)>,
}

impl<'p> Reads<'p> {
    fn of(policies: &'p Policies, body: &'p Ir, binding: Option<&Value>) -> Reads<'p> {
        let program = policies.program();
        let mut rules: Vec<u32> = Vec::new();
        let mut calls: Vec<(u32, Option<Vec<Value>>)> = Vec::new();
        let mut tables: Vec<u32> = Vec::new();
        let mut facts: Vec<u32> = Vec::new();
        let add = |v: &mut Vec<u32>, x: u32| {
            if !v.contains(&x) {
                v.push(x);
            }
        };
        visit(body, &mut |n| match n {
            Ir::Rule(r) => add(&mut rules, *r),
            Ir::Call(r, args) => {
                let known: Option<Vec<Value>> = args
                    .iter()
                    .map(|a| match a {
                        Ir::Const(v) => Some(v.clone()),
                        Ir::Local(0) => binding.cloned(),
                        _ => None,
                    })
                    .collect();
                if !calls.iter().any(|(c, k)| c == r && *k == known) {
                    calls.push((*r, known));
                }
            }
            Ir::Table(t) | Ir::Lookup(t, _) => add(&mut tables, *t),
            Ir::Fact(f) => add(&mut facts, *f),
            _ => {}
        });
        let rule = |id: u32| RuleInfo {
            policies,
            id: id as usize,
        };
        let fields = program.facts.as_ref().map(|s| &s.root.fields);
        Reads {
            rules: rules.into_iter().map(rule).collect(),
            calls: calls.into_iter().map(|(r, k)| (rule(r), k)).collect(),
            tables: tables
                .into_iter()
                .filter_map(|t| program.tables.get(t as usize).map(|t| &*t.name))
                .collect(),
            facts: facts
                .into_iter()
                .filter_map(|f| fields?.get(f as usize).map(|f| (&*f.name, &f.ty)))
                .collect(),
        }
    }
}

fn declared_at(program: &Program, span: crate::source::Span) -> (&str, usize) {
    let (line, _) = program.sources.line_col(span);
    (&program.sources.get(span.source).name, line)
}

/// The root fields of the facts an expression reads, directly or through rules, by slot.
pub(crate) fn facts_read(program: &Program, root: &Ir) -> Vec<u32> {
    let mut seen = vec![false; program.rules.len()];
    let mut slots = Vec::new();
    let mut stack: Vec<&Ir> = vec![root];
    while let Some(ir) = stack.pop() {
        visit(ir, &mut |n| match n {
            Ir::Fact(s) if !slots.contains(s) => slots.push(*s),
            Ir::Rule(r) | Ir::Call(r, _) if seen.get(*r as usize) == Some(&false) => {
                seen[*r as usize] = true;
                stack.push(&program.rules[*r as usize].body);
            }
            _ => {}
        });
    }
    slots.sort_unstable();
    slots
}

fn reads_facts(program: &Program, body: &Ir) -> bool {
    !facts_read(program, body).is_empty()
}

impl Policies {
    /// Whether both were compiled from the same files (module paths and texts; the names
    /// they are shown by may differ).
    pub(crate) fn same_files(&self, other: &Policies) -> bool {
        Arc::ptr_eq(&self.inner, &other.inner)
            || self.sources().len() == other.sources().len()
                && self
                    .sources()
                    .files()
                    .zip(other.sources().files())
                    .all(|(a, b)| a.1 == b.1 && a.2 == b.2)
    }

    /// The selection of outcomes by index (sorted, without repeats), with the facts they read.
    pub(crate) fn selection_of(&self, mut indices: Vec<usize>) -> Selection {
        indices.sort_unstable();
        indices.dedup();
        let roots = Some(self.program().roots_read(&indices).into());
        Selection { indices, roots }
    }
}
