//! Live values: every rule's, outcome's and labelled criterion's value for one partner's facts
//! as of a date, computed again after every change of the policies.

use crate::settings::Settings;
use chrono::NaiveDate;
use eligo::project::{Project, PROJECT_FILE};
use eligo::{
    parse_date, Diagnostic, EvalOptions, ExplainOptions, Facts, FactsOptions, Node, Policies, Value,
};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// What the client's settings ask for (each overrides the project file's).
#[derive(Debug, Clone, Default)]
pub struct Config {
    facts: Option<PathBuf>,
    as_of: Option<String>,
}

impl Config {
    pub fn new(settings: &Settings, root: Option<&Path>) -> Config {
        let facts = settings.facts_file.as_ref().map(|f| match root {
            Some(root) => root.join(f),
            None => PathBuf::from(f),
        });
        Config {
            facts,
            as_of: settings.as_of.clone(),
        }
    }
}

/// A labelled criterion's value in one evaluation of its rule.
#[derive(Debug, Clone)]
pub struct CriterionValue {
    /// The rule's arguments, for a rule with parameters: `security`.
    pub args: Option<String>,
    pub value: String,
    pub passed: Option<bool>,
    pub shortfalls: Vec<String>,
}

#[derive(Default)]
pub struct Live {
    /// The facts file and the date the values are for.
    pub facts_path: Option<PathBuf>,
    pub as_of: Option<NaiveDate>,
    pub partner: Option<String>,
    pub facts: Option<Facts>,
    /// What stops live values: a bad project file, facts that cannot be read (diagnostics of
    /// those files), or a bad setting (a message).
    pub problems: Vec<Diagnostic>,
    pub messages: Vec<String>,
    /// Rule name → its values: `(None, v)` for a rule without parameters, `(Some(arg), v)` for
    /// each value of a rule's one enum or `Bool` parameter.
    pub rules: HashMap<String, Vec<(Option<String>, String)>>,
    /// Outcome id → its value, and for an outcome of a `for` family its variant's place among
    /// the values of its type (a family's values are shown in that order, as its rule's are).
    pub outcomes: HashMap<String, (u32, String)>,
    /// (rule name or outcome id, where the criterion is written) → its values. Not by label: a
    /// rule may use one label in several places (the branches of an `if`).
    pub criteria: HashMap<(String, Place), Vec<CriterionValue>>,
}

/// Where a labelled criterion is written: its file (the index of the folder's source) and the
/// byte where its expression ends (where its outline's range ends).
pub type Place = (u32, u32);

/// Rules with one parameter get a value per argument when it has at most this many.
const MAX_ARGUMENTS_SHOWN: usize = 12;

impl Live {
    pub fn compute(policies: Option<&Policies>, folder: &Path, config: &Config) -> Live {
        let mut live = Live::default();
        let project = live.project(folder);
        // The project file names the facts when the client's settings do not.
        let named_by =
            (config.facts.is_none() && project.live.facts.is_some()).then(|| project.path.clone());
        live.facts_path = config.facts.clone().or(project.live.facts);
        let requested = match &config.as_of {
            Some(text) => match parse_date(text) {
                Ok(d) => Some(d),
                Err(_) => {
                    live.messages.push(format!(
                        "eligo: the live values' date `{text}` is not a date (YYYY-MM-DD)"
                    ));
                    None
                }
            },
            None => project.live.as_of,
        };
        let (Some(policies), Some(path)) = (policies, live.facts_path.clone()) else {
            return live;
        };
        match policies.read_facts_file(&path, &FactsOptions::new()) {
            Ok(facts) => {
                // Unknown keys (ignored, as `eligo eval` ignores them): warnings on the file.
                live.problems.extend(facts.warning_diagnostics());
                let as_of = facts.date(requested);
                live.as_of = Some(as_of);
                live.partner = facts.partner().map(str::to_string);
                live.evaluate(policies, &facts, as_of);
                live.facts = Some(facts);
            }
            Err(e) => live.unreadable(&e, &path, named_by.as_deref()),
        }
        live
    }

    /// Facts that cannot be read: their diagnostics go on the facts file, except one about a
    /// file that is not there, which goes on the project file naming it (or, named by the
    /// client's settings, is shown as a message).
    fn unreadable(&mut self, e: &eligo::Error, path: &Path, named_by: Option<&Path>) {
        for mut d in e.diagnostics().iter() {
            if d.labels.is_empty() && !path.is_file() {
                match named_by {
                    Some(project) => d.file = Some(project.display().to_string()),
                    None => {
                        let message = format!("eligo: live values: {}", d.message);
                        self.messages.push(message);
                        continue;
                    }
                }
            }
            self.problems.push(d);
        }
    }

    /// The folder's project file (none: an empty one); its errors become problems.
    fn project(&mut self, folder: &Path) -> Project {
        let path = folder.join(PROJECT_FILE);
        let empty = Project {
            path: path.clone(),
            live: Default::default(),
        };
        if !path.is_file() {
            return empty;
        }
        match Project::read(&path) {
            Ok(p) => p,
            Err(e) => {
                self.problems.extend(e.diagnostics().iter());
                empty
            }
        }
    }

    fn evaluate(&mut self, policies: &Policies, facts: &Facts, as_of: NaiveDate) {
        for rule in policies.rules() {
            let params: Vec<_> = rule.params().collect();
            let calls: Vec<(Option<String>, Vec<Value>)> = match params.as_slice() {
                [] => vec![(None, Vec::new())],
                [(_, ty)] => match policies.values_of(ty) {
                    Some(values) if values.len() <= MAX_ARGUMENTS_SHOWN => values
                        .into_iter()
                        .map(|v| (Some(or_error(policies.display(&v, ty))), vec![v]))
                        .collect(),
                    _ => continue,
                },
                _ => continue,
            };
            let mut shown = Vec::with_capacity(calls.len());
            for (arg, args) in calls {
                let text = match policies.evaluate_rule(rule, args, Some(facts), as_of) {
                    Ok(v) => or_error(policies.display(&v, rule.ty())),
                    Err(e) => e.headline(),
                };
                shown.push((arg, text));
            }
            self.rules.insert(rule.name().to_string(), shown);
        }
        let all = policies.all_outcomes();
        if let Ok(outcomes) = policies.evaluate(facts, &all, as_of, &EvalOptions::new()) {
            // Both in id order: every outcome.
            for (info, o) in policies.outcomes().zip(outcomes.iter()) {
                debug_assert_eq!(info.id(), o.id);
                let rank = variant_rank(info.binding());
                self.outcomes
                    .insert(o.id.to_string(), (rank, or_error(o.text())));
            }
        }
        let options = ExplainOptions::new().horizon_days(0);
        if let Ok(explanations) = policies.explain(facts, &all, as_of, &options) {
            for e in explanations.items() {
                self.criteria_of(&e.tree, None);
            }
        }
    }

    /// Records the criteria under a node; `owner` is the nearest rule or outcome: its name (or
    /// id) and arguments.
    fn criteria_of(&mut self, node: &Node, owner: Option<(&str, Option<&str>)>) {
        let here = match node.kind {
            "rule" | "outcome" => Some(split_label(&node.label)),
            _ => None,
        };
        if matches!(node.kind, "criterion" | "metric") {
            if let (Some((name, args)), Some(span)) = (owner, node.span) {
                let place = (span.source.0, span.end);
                let values = self.criteria.entry((name.to_string(), place)).or_default();
                let args = args.map(str::to_string);
                if !values.iter().any(|v| v.args == args) {
                    values.push(CriterionValue {
                        args,
                        value: node.value.clone(),
                        passed: node.passed,
                        shortfalls: node.shortfalls.clone(),
                    });
                }
            }
        }
        if node.repeated {
            return;
        }
        let owner = here.or(owner);
        for c in &node.children {
            self.criteria_of(c, owner);
        }
    }

    /// The values of the outcomes an outcome declaration makes (one, or one per variant of a
    /// `for` family, in the order of the variants): `(variant, value)`.
    pub fn outcome_values(&self, template: &str) -> Vec<(Option<String>, String)> {
        match template.split_once('{') {
            None => self
                .outcomes
                .get(template)
                .map(|(_, v)| vec![(None, v.clone())])
                .unwrap_or_default(),
            Some((before, rest)) => {
                let after = rest.split_once('}').map_or("", |(_, a)| a);
                let mut out: Vec<(u32, &str, &String)> = self
                    .outcomes
                    .iter()
                    .filter_map(|(id, (rank, v))| {
                        let middle = id.strip_prefix(before)?.strip_suffix(after)?;
                        Some((*rank, middle, v))
                    })
                    .collect();
                out.sort();
                out.into_iter()
                    .map(|(_, variant, v)| (Some(variant.to_string()), v.clone()))
                    .collect()
            }
        }
    }

    /// The values of the criterion written at `place` in a rule, or in an outcome declaration
    /// (by its id template).
    pub fn criterion_values(
        &self,
        owner: &str,
        in_outcome: bool,
        place: Place,
    ) -> Vec<CriterionValue> {
        if !in_outcome || !owner.contains('{') {
            return self
                .criteria
                .get(&(owner.to_string(), place))
                .cloned()
                .unwrap_or_default();
        }
        let mut out = Vec::new();
        for (variant, _) in self.outcome_values(owner) {
            let id = fill(owner, variant.as_deref().unwrap_or(""));
            if let Some(vs) = self.criteria.get(&(id, place)) {
                out.extend(vs.iter().map(|v| CriterionValue {
                    args: variant.clone(),
                    ..v.clone()
                }));
            }
        }
        out
    }

    /// Whether live values are on (a facts file is set and was read).
    pub fn is_on(&self) -> bool {
        self.facts.is_some()
    }
}

/// The place of a `for` family's variant among the values of its type: enum order, `false`
/// before `true` (as [`Policies::values_of`] lists them for a rule's hints).
fn variant_rank(binding: Option<&Value>) -> u32 {
    match binding {
        Some(Value::Enum(i)) => *i,
        Some(Value::Bool(b)) => u32::from(*b),
        _ => 0,
    }
}

/// `name(args)` → (`name`, `args`).
fn split_label(label: &str) -> (&str, Option<&str>) {
    match label.split_once('(') {
        Some((name, rest)) => (name, Some(rest.strip_suffix(')').unwrap_or(rest))),
        None => (label, None),
    }
}

fn fill(template: &str, variant: &str) -> String {
    match template.split_once('{') {
        Some((before, rest)) => {
            let after = rest.split_once('}').map_or("", |(_, a)| a);
            format!("{before}{variant}{after}")
        }
        None => template.to_string(),
    }
}

/// A value's text, or the error that kept it from being written, shown where the value would be.
pub fn or_error(text: Result<String, eligo::Error>) -> String {
    text.unwrap_or_else(|e| e.headline())
}
