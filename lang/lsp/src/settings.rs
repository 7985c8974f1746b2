//! The client's settings for live values: `{"liveValues": {"factsFile": "…", "asOf": "…"}}`, as
//! `initializationOptions`, inside `{"settings": {"eligo": …}}` of
//! `workspace/didChangeConfiguration`, or as the answer to `workspace/configuration`. An empty
//! string means "not set": the project file's value, if any, applies.

use serde_json::Value;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Settings {
    /// The facts file, as written (relative to the workspace root).
    pub facts_file: Option<String>,
    /// The evaluation date, as written.
    pub as_of: Option<String>,
}

impl Settings {
    /// Reads the `eligo` section (`{"liveValues": …}`); anything else is left out.
    pub fn from_section(section: &Value) -> Settings {
        let live = section.get("liveValues");
        let text = |key: &str| {
            live.and_then(|l| l.get(key))
                .and_then(Value::as_str)
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        Settings {
            facts_file: text("factsFile"),
            as_of: text("asOf"),
        }
    }

    /// Reads `workspace/didChangeConfiguration`'s `settings`: `{"eligo": {…}}`, or the section
    /// itself (clients that send it bare). `None` when it holds no eligo settings (a client
    /// that expects to be asked with `workspace/configuration`).
    pub fn from_change(settings: &Value) -> Option<Settings> {
        if let Some(section) = settings.get("eligo") {
            return Some(Settings::from_section(section));
        }
        settings
            .get("liveValues")
            .map(|_| Settings::from_section(settings))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn empty_strings_are_not_set() {
        let s = Settings::from_section(&json!({"liveValues": {"factsFile": "f.json", "asOf": ""}}));
        assert_eq!(s.facts_file.as_deref(), Some("f.json"));
        assert_eq!(s.as_of, None);
        assert_eq!(Settings::from_change(&json!({})), None);
        let c = Settings::from_change(&json!({"eligo": {"liveValues": {"asOf": "2024-08-06"}}}));
        assert_eq!(c.unwrap().as_of.as_deref(), Some("2024-08-06"));
    }
}
