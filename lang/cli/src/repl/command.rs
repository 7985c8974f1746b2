//! The REPL's `:commands`: one enum, parsed with [`FromStr`], each with short aliases.

use std::str::FromStr;

/// A `:command` of the REPL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// `:load [POLICIES]`: load a policy file or folder; without one, reload the current policies.
    Load(Option<String>),
    /// `:facts [FILE]`: load a partner's facts; without one, say which are loaded.
    Facts(Option<String>),
    /// `:asof [DATE]`: set the evaluation date; without one, show it.
    AsOf(Option<String>),
    /// `:type EXPR`: the type of an expression, without evaluating it.
    Type(String),
    /// `:explain OUTCOME_OR_RULE`.
    Explain(String),
    /// `:rules [FILTER]`: every rule (whose name contains FILTER), with its type and sources.
    Rules(Option<String>),
    /// `:with [PATH = EXPR]`: evaluate as if the facts held EXPR at PATH; alone, list them.
    With(Option<String>),
    /// `:without [PATH]`: drop the override of PATH; alone, drop them all.
    Without(Option<String>),
    /// `:help`
    Help,
    /// `:quit`
    Quit,
}

/// A command line that is not a command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CommandError {
    /// No command has this name.
    Unknown {
        /// The name as typed, without `:`.
        name: String,
        /// The closest command, if one is close.
        suggestion: Option<String>,
    },
    /// A command that needs an argument got none.
    MissingArgument {
        /// How to write it.
        usage: &'static str,
    },
}

/// One command: its name, its aliases, how to write it, and what it does.
pub struct Spec {
    /// The full name, without `:`.
    pub name: &'static str,
    /// Short names.
    pub aliases: &'static [&'static str],
    /// `:load [POLICIES]`
    pub usage: &'static str,
    /// One line of help.
    pub help: &'static str,
}

/// Every command, in the order `:help` lists them.
pub const COMMANDS: &[Spec] = &[
    Spec {
        name: "load",
        aliases: &["l"],
        usage: ":load [POLICIES]",
        help: "load a policy file or folder; alone, reload the current policies from disk",
    },
    Spec {
        name: "facts",
        aliases: &["f"],
        usage: ":facts [FILE]",
        help: "load a partner's facts (JSON); alone, show the facts in use",
    },
    Spec {
        name: "asof",
        aliases: &["a"],
        usage: ":asof [DATE]",
        help: "set the evaluation date (YYYY-MM-DD); alone, show it",
    },
    Spec {
        name: "type",
        aliases: &["t"],
        usage: ":type EXPR",
        help: "the type of an expression, without evaluating it",
    },
    Spec {
        name: "explain",
        aliases: &["e"],
        usage: ":explain OUTCOME_OR_RULE",
        help: "value, type, citations and inputs of an outcome or a rule",
    },
    Spec {
        name: "rules",
        aliases: &["r"],
        usage: ":rules [FILTER]",
        help: "the rules (names containing FILTER) with types and citations",
    },
    Spec {
        name: "with",
        aliases: &["w"],
        usage: ":with [PATH = EXPR]",
        help: "what if: the facts hold EXPR at PATH (`sales`, `partner.name`, `people[0].id`); alone, list",
    },
    Spec {
        name: "without",
        aliases: &[],
        usage: ":without [PATH]",
        help: "drop the override of PATH; alone, drop every override",
    },
    Spec {
        name: "help",
        aliases: &["h", "?"],
        usage: ":help",
        help: "this help",
    },
    Spec {
        name: "quit",
        aliases: &["q"],
        usage: ":quit",
        help: "leave (Ctrl-D too)",
    },
];

/// The command a name means: a full name, an alias, or a prefix of exactly one full name.
fn spec_of(name: &str) -> Option<&'static Spec> {
    COMMANDS
        .iter()
        .find(|c| c.name == name || c.aliases.contains(&name))
        .or_else(|| {
            let mut hits = COMMANDS.iter().filter(|c| c.name.starts_with(name));
            match (hits.next(), hits.next()) {
                (Some(c), None) if !name.is_empty() => Some(c),
                _ => None,
            }
        })
}

impl FromStr for Command {
    type Err = CommandError;

    fn from_str(s: &str) -> Result<Command, CommandError> {
        let s = s.trim();
        let s = s.strip_prefix(':').unwrap_or(s);
        let (name, arg) = match s.find(char::is_whitespace) {
            Some(i) => (&s[..i], s[i..].trim()),
            None => (s, ""),
        };
        let arg = (!arg.is_empty()).then(|| arg.to_string());
        let Some(spec) = spec_of(name) else {
            return Err(CommandError::Unknown {
                name: name.to_string(),
                suggestion: eligo::closest(name, COMMANDS.iter().map(|c| c.name)),
            });
        };
        let needed =
            |arg: Option<String>| arg.ok_or(CommandError::MissingArgument { usage: spec.usage });
        Ok(match spec.name {
            "load" => Command::Load(arg),
            "facts" => Command::Facts(arg),
            "asof" => Command::AsOf(arg),
            "type" => Command::Type(needed(arg)?),
            "explain" => Command::Explain(needed(arg)?),
            "rules" => Command::Rules(arg),
            "with" => Command::With(arg),
            "without" => Command::Without(arg),
            "help" => Command::Help,
            _ => Command::Quit,
        })
    }
}

/// The text of `:help`.
pub fn help() -> String {
    let mut out = String::from(
        "Type an expression to evaluate it against the loaded policies and facts: `count(sales)`.\n\
         `let NAME = EXPR` binds a name for later inputs (it is evaluated again each time it is used).\n\
         `rule NAME: TYPE = EXPR` defines a rule (again: replaces it), usable like the policies' rules;\n\
         `///` doc comments and `@source(…)` lines may come before it, as in a policy file.\n\
         An unfinished input (an open bracket, a trailing operator, `let x = 1;`, `rule x: T =`) goes\n\
         on on the next line; an empty line ends it.\n\
         Tab completes commands, names, fact fields (`partner.`) and paths.\n\n",
    );
    let width = COMMANDS.iter().map(|c| c.usage.len()).max().unwrap_or(0);
    for c in COMMANDS {
        let aliases: Vec<String> = c.aliases.iter().map(|a| format!(":{a}")).collect();
        out.push_str(&format!(
            "  {:width$}  {:6}  {}\n",
            c.usage,
            aliases.join(" "),
            c.help,
            width = width
        ));
    }
    out.pop();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_aliases_and_prefixes() {
        assert_eq!(":q".parse(), Ok(Command::Quit));
        assert_eq!(":?".parse(), Ok(Command::Help));
        assert_eq!(":expl x".parse(), Ok(Command::Explain("x".into())));
        assert_eq!(
            ":l  some folder ".parse(),
            Ok(Command::Load(Some("some folder".into())))
        );
        assert_eq!(
            ":lod".parse::<Command>(),
            Err(CommandError::Unknown {
                name: "lod".into(),
                suggestion: Some("load".into())
            })
        );
        assert!(matches!(
            ":type".parse::<Command>(),
            Err(CommandError::MissingArgument { .. })
        ));
    }
}
