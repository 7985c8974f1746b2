//! The language server (`eligo lsp`) driven in-process over the protocol: one client per test on
//! an in-memory connection, on a copy of `tests/lsp/policies/` (a policy folder whose
//! `broken.elg` has an error, with a project file naming `partner.json` for live values).

mod common;

use common::TempDir;
use lsp_server::{Connection, Message, Notification, Request, RequestId, Response};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::thread::JoinHandle;
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(120);

struct Client {
    conn: Connection,
    server: Option<JoinHandle<Result<(), String>>>,
    next: i32,
    notes: Vec<Notification>,
    /// What the server asked the client: method and params.
    asked: Vec<(String, Value)>,
    folder: TempDir,
    /// The answer to `workspace/configuration`.
    configuration: Value,
}

fn uri(path: &Path) -> String {
    url_of(path)
}

fn url_of(path: &Path) -> String {
    format!("file://{}", path.display())
}

impl Client {
    /// A server on a copy of the fixture, initialised with `options`.
    fn start(name: &str, options: Value) -> Client {
        let folder = TempDir::new(&format!("lsp-{name}"));
        let fixture = common::repo().join("tests/lsp/policies");
        for entry in std::fs::read_dir(&fixture).expect("the fixture") {
            let entry = entry.expect("a fixture file");
            let text = std::fs::read(entry.path()).expect("a fixture file");
            folder.write(&entry.file_name().to_string_lossy(), text);
        }
        let (server, conn) = Connection::memory();
        let handle = std::thread::spawn(move || eligo_lsp::run(server));
        let mut client = Client {
            conn,
            server: Some(handle),
            next: 0,
            notes: Vec::new(),
            asked: Vec::new(),
            folder,
            configuration: json!({}),
        };
        let root = uri(client.folder.path());
        let init = json!({
            "processId": null,
            "rootUri": root,
            "capabilities": {
                "workspace": {
                    "configuration": true,
                    "inlayHint": {"refreshSupport": true},
                    "didChangeWatchedFiles": {"dynamicRegistration": true}
                },
                "window": {"showDocument": {"support": true}}
            },
            "initializationOptions": options,
        });
        let result = client.request("initialize", init);
        assert!(result["capabilities"]["hoverProvider"]
            .as_bool()
            .unwrap_or(false));
        client.notify("initialized", json!({}));
        client
    }

    /// Opens `broken.elg` with its error fixed in the buffer, so that the policies compile.
    fn fix_broken(&mut self) {
        self.open("broken.elg", Some(FIXED));
    }

    fn path(&self, name: &str) -> PathBuf {
        self.folder.path().join(name)
    }

    fn uri(&self, name: &str) -> String {
        uri(&self.path(name))
    }

    fn notify(&self, method: &str, params: Value) {
        let n = Notification::new(method.to_string(), params);
        self.conn
            .sender
            .send(Message::Notification(n))
            .expect("the server is running");
    }

    /// Sends a request and waits for its response: the result, or the error's message.
    fn call(&mut self, method: &str, params: Value) -> Result<Value, String> {
        self.next += 1;
        let id = RequestId::from(self.next);
        let req = Request::new(id.clone(), method.to_string(), params);
        self.conn
            .sender
            .send(Message::Request(req))
            .expect("the server is running");
        loop {
            let message = self
                .conn
                .receiver
                .recv_timeout(WAIT)
                .unwrap_or_else(|_| panic!("no answer to {method} in {WAIT:?}"));
            match message {
                Message::Response(r) if r.id == id => {
                    return match r.error {
                        Some(e) => Err(e.message),
                        None => Ok(r.result.unwrap_or(Value::Null)),
                    };
                }
                Message::Response(_) => {}
                Message::Notification(n) => self.notes.push(n),
                Message::Request(r) => {
                    let result = if r.method == "workspace/configuration" {
                        json!([self.configuration.clone()])
                    } else {
                        Value::Null
                    };
                    self.asked.push((r.method.clone(), r.params.clone()));
                    let resp = Response::new_ok(r.id, result);
                    self.conn
                        .sender
                        .send(Message::Response(resp))
                        .expect("running");
                }
            }
        }
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        self.call(method, params)
            .unwrap_or_else(|e| panic!("{method} failed: {e}"))
    }

    /// Opens a file of the folder with its text on disk, or `text`.
    fn open(&mut self, name: &str, text: Option<&str>) {
        let text = match text {
            Some(t) => t.to_string(),
            None => std::fs::read_to_string(self.path(name)).expect("a fixture file"),
        };
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": self.uri(name), "languageId": "eligo", "version": 1, "text": text}}),
        );
    }

    /// Replaces a line of an open file (0-based) with `text`.
    fn change_line(&mut self, name: &str, line: u32, text: &str, version: i32) {
        self.notify(
            "textDocument/didChange",
            json!({
                "textDocument": {"uri": self.uri(name), "version": version},
                "contentChanges": [{
                    "range": {"start": {"line": line, "character": 0}, "end": {"line": line + 1, "character": 0}},
                    "text": format!("{text}\n"),
                }],
            }),
        );
    }

    /// The last diagnostics published for a file, once the server has handled everything sent.
    fn diagnostics(&mut self, name: &str) -> Vec<Value> {
        // A request is answered after every notification sent before it has been handled.
        self.request("workspace/symbol", json!({"query": "zzzz-sync"}));
        let uri = self.uri(name);
        self.notes
            .iter()
            .rev()
            .filter(|n| n.method == "textDocument/publishDiagnostics")
            .find(|n| n.params["uri"] == uri.as_str())
            .map(|n| {
                n.params["diagnostics"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default()
            })
            .unwrap_or_else(|| panic!("no diagnostics published for {name}"))
    }

    /// The inlay hints of a whole file: (line, label).
    fn hints(&mut self, name: &str) -> Vec<(u64, String)> {
        let range =
            json!({"start": {"line": 0, "character": 0}, "end": {"line": 100, "character": 0}});
        let params = json!({"textDocument": {"uri": self.uri(name)}, "range": range});
        let hints = self.request("textDocument/inlayHint", params);
        hints
            .as_array()
            .unwrap()
            .iter()
            .map(|h| {
                (
                    h["position"]["line"].as_u64().unwrap(),
                    h["label"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    }

    /// The files diagnostics were published for since the notes were cleared, in order.
    fn published(&self) -> Vec<String> {
        self.notes
            .iter()
            .filter(|n| n.method == "textDocument/publishDiagnostics")
            .map(|n| n.params["uri"].as_str().unwrap().to_string())
            .collect()
    }

    fn at(&self, name: &str, line: u32, character: u32) -> Value {
        json!({"textDocument": {"uri": self.uri(name)}, "position": {"line": line, "character": character}})
    }

    /// The 0-based line and column of the first occurrence of `needle` in a fixture file.
    fn find(&self, name: &str, needle: &str) -> (u32, u32) {
        let text = std::fs::read_to_string(self.path(name)).expect("a fixture file");
        for (i, line) in text.lines().enumerate() {
            if let Some(c) = line.find(needle) {
                return (i as u32, c as u32);
            }
        }
        panic!("`{needle}` is not in {name}");
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        let _ = self.call("shutdown", Value::Null);
        self.notify("exit", Value::Null);
        if let Some(h) = self.server.take() {
            let finished = h.join().expect("the server thread does not panic");
            if !std::thread::panicking() {
                finished.expect("the server ends cleanly");
            }
        }
    }
}

const FIXED: &str = "use facts\nuse rules\n\nrule broken: Bool = qualifies and customers > 0\n";

fn live_off() -> Value {
    json!({"liveValues": {"factsFile": "", "asOf": ""}})
}

#[test]
fn diagnostics_arrive_for_the_file_with_the_error_with_code_help_and_clear_when_fixed() {
    let mut c = Client::start("diagnostics", live_off());
    c.open("broken.elg", None);
    let d = c.diagnostics("broken.elg");
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0]["code"], "E0201");
    assert_eq!(d[0]["severity"], 1);
    assert_eq!(d[0]["range"]["start"], json!({"line": 4, "character": 20}));
    assert_eq!(d[0]["range"]["end"], json!({"line": 4, "character": 28}));
    let message = d[0]["message"].as_str().unwrap();
    assert!(message.starts_with("unknown name `qualifes`"), "{message}");
    assert!(
        message.contains("help: did you mean `qualifies`?"),
        "{message}"
    );
    // A file saved with a byte-order mark: the same line and column.
    c.folder.write(
        "bom.elg",
        "\u{feff}use facts\nrule b: Bool = custmers > 0\n",
    );
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": c.uri("bom.elg"), "type": 1}]}),
    );
    let d = c.diagnostics("bom.elg");
    assert_eq!(
        d[0]["range"]["start"],
        json!({"line": 1, "character": 15}),
        "{d:?}"
    );
    // The other files of the folder are checked too, and have none.
    assert!(c.diagnostics("rules.elg").is_empty());
    // Typing the fix clears it, without saving.
    c.change_line(
        "broken.elg",
        4,
        "rule broken: Bool = qualifies and customers > 0",
        2,
    );
    assert!(c.diagnostics("broken.elg").is_empty());
    // An error in another file of the folder is reported where it is, with its related span.
    c.open("rules.elg", None);
    c.change_line(
        "rules.elg",
        8,
        "rule seats(area: Area): Int = 1\nrule seats(area: Area): Int = 2",
        2,
    );
    let d = c.diagnostics("rules.elg");
    assert_eq!(d[0]["code"], "E0202", "{d:?}");
    assert_eq!(d[0]["range"]["start"]["line"], 9);
    let related = &d[0]["relatedInformation"][0];
    assert_eq!(related["location"]["range"]["start"]["line"], 8);
    assert_eq!(related["message"], "first defined here");
}

#[test]
fn warnings_of_policies_that_compile_arrive_with_warning_severity() {
    let mut c = Client::start("warnings", live_off());
    c.fix_broken();
    // No outcome uses `broken`: `eligo check` warns (E0701), and so does the editor.
    let d = c.diagnostics("broken.elg");
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0]["code"], "E0701", "{d:?}");
    assert_eq!(d[0]["severity"], 2, "a warning, not an error");
    let message = d[0]["message"].as_str().unwrap();
    assert!(message.contains("`broken` is never used"), "{message}");
    // Used by an outcome, the warning goes.
    c.change_line(
        "broken.elg",
        3,
        "outcome \"broken\" = qualifies and customers > 0",
        2,
    );
    assert!(c.diagnostics("broken.elg").is_empty());
}

#[test]
fn hover_shows_signature_doc_citation_and_live_value() {
    let mut c = Client::start("hover", json!({}));
    c.fix_broken();
    c.open("rules.elg", None);
    let (line, col) = c.find("rules.elg", "= qualifies");
    let h = c.request("textDocument/hover", c.at("rules.elg", line, col + 3));
    let text = h["contents"]["value"].as_str().unwrap();
    assert!(text.contains("rule qualifies: Bool"), "{text}");
    assert!(text.contains("Whether the partner qualifies"), "{text}");
    assert!(text.contains("fixture: section 2 — qualifying"), "{text}");
    assert!(
        text.contains("**Value** for `the partner` as of 2024-08-06: `no`"),
        "{text}"
    );
    // A fact: its written type, doc comment and value.
    let (line, col) = c.find("rules.elg", "customers >= 10");
    let h = c.request("textDocument/hover", c.at("rules.elg", line, col + 1));
    let text = h["contents"]["value"].as_str().unwrap();
    assert!(text.contains("fact customers: Count"), "{text}");
    assert!(text.contains("Net new customers this year."), "{text}");
    assert!(text.contains("`12`"), "{text}");
    // A rule with an enum parameter: a value per variant.
    let (line, col) = c.find("rules.elg", "rule seats");
    let h = c.request("textDocument/hover", c.at("rules.elg", line, col + 6));
    let text = h["contents"]["value"].as_str().unwrap();
    assert!(
        text.contains("- security: `40`") && text.contains("- data_ai: `15`"),
        "{text}"
    );
    // An enum variant and a parameter.
    let (line, col) = c.find("facts.elg", "security");
    c.open("facts.elg", None);
    let h = c.request("textDocument/hover", c.at("facts.elg", line, col));
    assert!(h["contents"]["value"]
        .as_str()
        .unwrap()
        .contains("Area.security"));
    let (line, col) = c.find("rules.elg", "== area");
    let h = c.request("textDocument/hover", c.at("rules.elg", line, col + 4));
    assert!(h["contents"]["value"]
        .as_str()
        .unwrap()
        .contains("(parameter) area: Area"));
}

#[test]
fn definition_references_and_rename_follow_names_across_files() {
    let mut c = Client::start("navigation", live_off());
    c.open(
        "broken.elg",
        Some("use facts\nuse rules\n\nrule broken: Bool = qualifies and customers > 0\n"),
    );
    // `qualifies` in broken.elg is declared in rules.elg.
    let d = c.request("textDocument/definition", c.at("broken.elg", 3, 22));
    assert_eq!(d["uri"], c.uri("rules.elg"));
    let (line, col) = c.find("rules.elg", "rule qualifies");
    assert_eq!(
        d["range"]["start"],
        json!({"line": line, "character": col + 5})
    );
    // A field through `it`: `it.on` is the field of Deployment.
    let (line, col) = c.find("rules.elg", "it.on");
    let d = c.request("textDocument/definition", c.at("rules.elg", line, col + 3));
    assert_eq!(d["uri"], c.uri("facts.elg"));
    assert_eq!(d["range"]["start"]["line"], 6);
    // References: the declaration and its two uses.
    let (line, col) = c.find("rules.elg", "rule recent_deployments");
    let params = json!({
        "textDocument": {"uri": c.uri("rules.elg")},
        "position": {"line": line, "character": col + 6},
        "context": {"includeDeclaration": true},
    });
    let refs = c.request("textDocument/references", params);
    assert_eq!(refs.as_array().unwrap().len(), 3, "{refs}");
    // Rename a rule: its declaration and every use, in every file.
    let prepared = c.request("textDocument/prepareRename", c.at("broken.elg", 3, 22));
    assert_eq!(prepared["start"], json!({"line": 3, "character": 20}));
    let mut params = c.at("broken.elg", 3, 22);
    params["newName"] = json!("eligible");
    let edit = c.request("textDocument/rename", params);
    let changes = edit["changes"].as_object().unwrap();
    assert_eq!(changes[&c.uri("broken.elg")].as_array().unwrap().len(), 1);
    assert_eq!(changes[&c.uri("rules.elg")].as_array().unwrap().len(), 2);
    assert_eq!(changes[&c.uri("rules.elg")][0]["newText"], "eligible");
    // Not a name: refused.
    let mut params = c.at("broken.elg", 3, 22);
    params["newName"] = json!("2x");
    assert!(c.call("textDocument/rename", params).is_err());
    // An outcome id is stable: not renamed.
    c.open("rules.elg", None);
    let (line, col) = c.find("rules.elg", "\"qualified\"");
    let err = c.call(
        "textDocument/prepareRename",
        c.at("rules.elg", line, col + 2),
    );
    assert!(err.unwrap_err().contains("stable"));
}

#[test]
fn workspace_symbols_rank_the_name_then_prefixes_then_parts_then_the_rest() {
    let mut c = Client::start("symbol-rank", live_off());
    // In a file before facts.elg, where `Area` is declared: file order would put these first.
    c.folder.write(
        "early.elg",
        "use facts\n\nrule a_rare_case: Int = 1\nrule my_area: Int = 2\nrule area_total: Int = 3\n",
    );
    c.open("early.elg", None);
    let w = c.request("workspace/symbol", json!({"query": "Area"}));
    let found: Vec<&str> = w
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        found,
        ["Area", "area", "area_total", "my_area", "a_rare_case"]
    );
    assert_eq!(w[0]["kind"], 10, "the enum");
}

#[test]
fn symbols_and_folding() {
    let mut c = Client::start("symbols", live_off());
    c.open("facts.elg", None);
    let s = c.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": c.uri("facts.elg")}}),
    );
    let names: Vec<&str> = s
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Area", "Deployment", "eligo.lsp-fixture/1"]);
    let area = &s[0];
    assert_eq!(area["kind"], 10, "an enum");
    let variants: Vec<&str> = area["children"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["name"].as_str().unwrap())
        .collect();
    assert_eq!(variants, ["security", "data_ai"]);
    let facts = &s[2]["children"];
    assert_eq!(facts[0]["name"], "customers");
    let w = c.request("workspace/symbol", json!({"query": "recdep"}));
    let found: Vec<&str> = w
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(found, ["recent_deployments"]);
    c.open("rules.elg", None);
    let f = c.request(
        "textDocument/foldingRange",
        json!({"textDocument": {"uri": c.uri("rules.elg")}}),
    );
    let folds: Vec<(u64, u64)> = f
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["startLine"].as_u64().unwrap(),
                f["endLine"].as_u64().unwrap(),
            )
        })
        .collect();
    let (all, _) = c.find("rules.elg", "all {");
    assert!(folds.contains(&(all as u64, all as u64 + 3)), "{folds:?}");
    let (rule, _) = c.find("rules.elg", "rule qualifies");
    assert!(
        folds.contains(&(rule as u64 - 2, all as u64 + 3)),
        "from its doc comment: {folds:?}"
    );
}

fn labels(list: &Value) -> Vec<String> {
    let items = list.get("items").unwrap_or(list);
    items
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["label"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn completion_offers_names_fields_variants_builtins_and_snippets() {
    let mut c = Client::start("completion", live_off());
    c.open(
        "broken.elg",
        Some("use facts\nuse rules\n\nrule broken: Bool = q\n"),
    );
    let list = c.request("textDocument/completion", c.at("broken.elg", 3, 21));
    let names = labels(&list);
    for want in [
        "qualifies",
        "recent_deployments",
        "seats",
        "customers",
        "deployments",
        "Area",
        "security",
        "count",
        "anniversary",
        "any",
        "all",
    ] {
        assert!(
            names.iter().any(|n| n == want),
            "{want} missing from {names:?}"
        );
    }
    let items = list.as_array().unwrap();
    let seats = items.iter().find(|i| i["label"] == "seats").unwrap();
    assert_eq!(seats["detail"], "rule seats(area: Area): Int");
    let count = items
        .iter()
        .find(|i| i["label"] == "count" && i["kind"] == 3)
        .unwrap();
    assert!(count["detail"].as_str().unwrap().starts_with("count(list)"));
    let any = items
        .iter()
        .find(|i| i["label"] == "any" && i["kind"] == 15)
        .unwrap();
    assert_eq!(any["insertTextFormat"], 2);
    assert!(any["insertText"]
        .as_str()
        .unwrap()
        .starts_with("any {\n  \"${1:label}\""));
    // `it.` in a `where`: the fields of the list's elements, even while the file does not parse.
    c.change_line(
        "broken.elg",
        3,
        "rule broken: Bool = count(deployments where it.) > 0",
        2,
    );
    let list = c.request("textDocument/completion", c.at("broken.elg", 3, 47));
    assert_eq!(labels(&list), ["area", "on", "seats"]);
    // `Enum.` → its variants.
    c.change_line("broken.elg", 3, "rule broken: Area = Area.", 3);
    assert_eq!(
        labels(&c.request("textDocument/completion", c.at("broken.elg", 3, 25))),
        ["security", "data_ai"]
    );
    // A record-valued chain → its fields.
    c.change_line(
        "broken.elg",
        3,
        "rule broken: Int = count(recent_deployments.",
        4,
    );
    let list = c.request("textDocument/completion", c.at("broken.elg", 3, 44));
    assert_eq!(labels(&list), ["area", "on", "seats"]);
}

#[test]
fn formatting_returns_the_eligo_fmt_layout() {
    let mut c = Client::start("format", live_off());
    let messy = "use facts\nuse rules\nrule   broken :Bool=qualifies and customers>0\n";
    c.open("broken.elg", Some(messy));
    let params = json!({"textDocument": {"uri": c.uri("broken.elg")}, "options": {"tabSize": 2, "insertSpaces": true}});
    let edits = c.request("textDocument/formatting", params.clone());
    let expected = eligo::format("broken.elg", "broken", messy).unwrap();
    assert_ne!(expected, messy);
    assert_eq!(edits[0]["newText"], expected.as_str());
    assert_eq!(
        edits[0]["range"]["start"],
        json!({"line": 0, "character": 0})
    );
    // Already formatted: no edit. Not parsing: an error naming the file.
    c.change_line("broken.elg", 0, "use facts", 2);
    let formatted_doc = expected.clone();
    c.notify("textDocument/didChange", json!({"textDocument": {"uri": c.uri("broken.elg"), "version": 3}, "contentChanges": [{"text": formatted_doc}]}));
    assert_eq!(
        c.request("textDocument/formatting", params.clone()),
        json!([])
    );
    c.notify("textDocument/didChange", json!({"textDocument": {"uri": c.uri("broken.elg"), "version": 4}, "contentChanges": [{"text": "rule = \n"}]}));
    let err = c.call("textDocument/formatting", params).unwrap_err();
    assert!(err.contains("cannot format `broken.elg`"), "{err}");
}

#[test]
fn semantic_tokens_classify_names() {
    let mut c = Client::start("tokens", live_off());
    c.open("rules.elg", None);
    let t = c.request(
        "textDocument/semanticTokens/full",
        json!({"textDocument": {"uri": c.uri("rules.elg")}}),
    );
    let data: Vec<u64> = t["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_u64().unwrap())
        .collect();
    assert_eq!(data.len() % 5, 0);
    // Decode to (line, column, length, type).
    let (mut line, mut col) = (0, 0);
    let mut tokens = Vec::new();
    for t in data.chunks(5) {
        if t[0] > 0 {
            col = 0;
        }
        line += t[0];
        col += t[1];
        tokens.push((line, col, t[2], t[3], t[4]));
    }
    let (l, c0) = c.find("rules.elg", "recent_deployments:");
    assert!(
        tokens.contains(&(l as u64, c0 as u64, 18, 0, 1)),
        "a rule's declaration: {tokens:?}"
    );
    let (l, c0) = c.find("rules.elg", "deployments where");
    assert!(
        tokens.contains(&(l as u64, c0 as u64, 11, 1, 2)),
        "a fact, read-only: {tokens:?}"
    );
    let (l, c0) = c.find("rules.elg", "on within");
    assert!(
        tokens
            .iter()
            .any(|t| t.0 == l as u64 && t.1 == c0 as u64 && t.3 == 2),
        "a field: {tokens:?}"
    );
}

#[test]
fn inlay_hints_show_values_and_shortfalls_and_follow_edits() {
    let mut c = Client::start("hints", json!({}));
    c.fix_broken();
    c.open("rules.elg", None);
    let shown = c.hints("rules.elg");
    let line = |needle: &str| c.find("rules.elg", needle).0 as u64;
    assert!(
        shown.contains(&(line("rule qualifies"), "no".into())),
        "after `=`: {shown:?}"
    );
    assert!(
        shown.contains(&(line("outcome \"qualified\""), "= no".into())),
        "{shown:?}"
    );
    assert!(
        shown.contains(&(line("rule seats"), "security: 40 · data_ai: 15".into())),
        "{shown:?}"
    );
    assert!(
        shown.contains(&(line("\"10 customers\""), "✓ yes".into())),
        "{shown:?}"
    );
    assert!(
        shown.contains(&(
            line("\"3 deployments\""),
            "✗ no (1 more needed: 2 of 3)".into()
        )),
        "{shown:?}"
    );
    // A `for` family's values in the order of the enum's variants, as its rule's.
    assert!(
        shown.contains(&(line("outcome \"seats"), "security: 40 · data_ai: 15".into())),
        "{shown:?}"
    );
    // An edit: the values are computed again, and the client is asked to refresh.
    let range = json!({"start": {"line": 0, "character": 0}, "end": {"line": 100, "character": 0}});
    let params = json!({"textDocument": {"uri": c.uri("rules.elg")}, "range": range});
    let (l, _) = c.find("rules.elg", "\"10 customers\"");
    c.change_line("rules.elg", l, "    \"10 customers\": customers >= 13,", 2);
    let hints = c.request("textDocument/inlayHint", params);
    let now: Vec<&str> = hints
        .as_array()
        .unwrap()
        .iter()
        .filter(|h| h["position"]["line"] == l)
        .map(|h| h["label"].as_str().unwrap())
        .collect();
    assert_eq!(now.len(), 1, "{hints}");
    assert!(
        now[0].starts_with("✗ no (") && now[0].contains("13"),
        "the edited threshold: {now:?}"
    );
    assert!(c
        .asked
        .iter()
        .any(|(m, _)| m == "workspace/inlayHint/refresh"));
}

/// A rule whose two branches each have a criterion labelled "enough customers".
const SAME_LABEL: &str = r#"use facts

rule big(a: Area): Bool =
  if a == security then all {
    "enough customers": customers >= 100,
  }
  else all {
    "enough customers": customers >= 1,
  }

outcome "big.{a}" for a in Area = big(a)
"#;

#[test]
fn criteria_sharing_a_label_in_one_rule_each_show_their_own_value() {
    let mut c = Client::start("same-label", json!({}));
    c.folder.write("big.elg", SAME_LABEL);
    c.fix_broken();
    c.open("big.elg", None);
    let shown = c.hints("big.elg");
    let line = |needle: &str| c.find("big.elg", needle).0 as u64;
    // `security` takes the first branch (12 customers of 100), `data_ai` the second.
    let expected = [
        (line("rule big"), "security: no · data_ai: yes"),
        (line(">= 100"), "security: ✗ no (88 more needed: 12 of 100)"),
        (line(">= 1,"), "data_ai: ✓ yes"),
        (line("outcome"), "security: no · data_ai: yes"),
    ];
    let expected: Vec<(u64, String)> = expected.iter().map(|(l, s)| (*l, s.to_string())).collect();
    assert_eq!(shown, expected);
}

#[test]
fn diagnostics_of_the_policies_are_published_before_live_values_are_computed() {
    let mut c = Client::start("order", json!({}));
    c.fix_broken();
    // Facts with an error: live values publish a diagnostic on them after every change.
    c.folder.write(
        "partner.json",
        "{\"format\": \"eligo.lsp-fixture/1\", \"customers\": -1}",
    );
    c.open("rules.elg", None);
    assert_eq!(c.diagnostics("partner.json")[0]["code"], "E0402");
    c.notes.clear();
    c.change_line("rules.elg", 0, "use facts", 2);
    c.request("workspace/symbol", json!({"query": "zzzz-sync"}));
    let published = c.published();
    let facts = published
        .iter()
        .position(|u| *u == c.uri("partner.json"))
        .expect("the facts' diagnostic again");
    assert!(
        published[..facts].contains(&c.uri("rules.elg"))
            && !published[facts..].iter().any(|u| u.ends_with(".elg")),
        "every policy file's first: {published:?}"
    );
}

#[test]
fn a_facts_file_that_is_not_there_is_reported_where_it_is_named() {
    let mut c = Client::start("missing-facts", json!({}));
    c.fix_broken();
    c.folder
        .write("eligo.toml", "[live]\nfacts = \"nope.json\"\n");
    c.open("rules.elg", None);
    let d = c.diagnostics("eligo.toml");
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0]["code"], "E0001");
    let message = d[0]["message"].as_str().unwrap();
    assert!(
        message.contains("nope.json") && message.contains("no such file"),
        "{message}"
    );
    // Named by the client's settings: a message; the project file's diagnostic goes.
    c.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"eligo": {"liveValues": {"factsFile": "gone.json", "asOf": ""}}}}),
    );
    assert!(c.diagnostics("eligo.toml").is_empty());
    assert!(c.notes.iter().any(|n| n.method == "window/showMessage"
        && n.params["message"].as_str().unwrap().contains("gone.json")));
    // Nothing is published for the files that are not there.
    let published = c.published();
    assert!(
        !published.contains(&c.uri("nope.json")) && !published.contains(&c.uri("gone.json")),
        "{published:?}"
    );
}

#[test]
fn settings_choose_the_facts_and_date_and_override_the_project_file() {
    let mut c = Client::start("settings", json!({}));
    c.fix_broken();
    c.open("rules.elg", None);
    let other = c.folder.write(
        "other.json",
        r#"{"format": "eligo.lsp-fixture/1", "customers": 3, "deployments": []}"#,
    );
    let hover = |c: &mut Client| {
        let (line, col) = c.find("rules.elg", "rule seats");
        let h = c.request("textDocument/hover", c.at("rules.elg", line, col + 6));
        h["contents"]["value"].as_str().unwrap().to_string()
    };
    assert!(
        hover(&mut c).contains("as of 2024-08-06"),
        "the project file's"
    );
    c.notify("workspace/didChangeConfiguration", json!({"settings": {"eligo": {"liveValues": {"factsFile": other.display().to_string(), "asOf": "2025-01-01"}}}}));
    let text = hover(&mut c);
    assert!(
        text.contains("as of 2025-01-01") && text.contains("- security: `0`"),
        "{text}"
    );
    // A client that sends no settings is asked for them.
    c.configuration = json!({"liveValues": {"factsFile": "partner.json", "asOf": "2024-08-06"}});
    c.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": null}),
    );
    c.request("workspace/symbol", json!({"query": "x"}));
    assert!(hover(&mut c).contains("- security: `40`"));
    // A bad date: a message, and the facts' own date.
    c.notify("workspace/didChangeConfiguration", json!({"settings": {"eligo": {"liveValues": {"factsFile": "partner.json", "asOf": "2024-13-01"}}}}));
    c.request("workspace/symbol", json!({"query": "x"}));
    assert!(c.notes.iter().any(|n| n.method == "window/showMessage"
        && n.params["message"]
            .as_str()
            .unwrap()
            .contains("`2024-13-01` is not a date")));
}

#[test]
fn bad_facts_and_bad_project_files_get_diagnostics_where_they_are() {
    let mut c = Client::start("problems", json!({}));
    c.fix_broken();
    c.folder.write(
        "eligo.toml",
        "[live]\nfacts = \"partner.json\"\ncolour = \"red\"\n",
    );
    c.open("rules.elg", None);
    let d = c.diagnostics("eligo.toml");
    assert_eq!(d[0]["code"], "E0802");
    assert_eq!(d[0]["range"]["start"], json!({"line": 2, "character": 0}));
    assert!(d[0]["message"]
        .as_str()
        .unwrap()
        .starts_with("unknown key `live.colour` in the project file"));
    c.folder
        .write("eligo.toml", "[live]\nfacts = \"partner.json\"\n");
    c.folder.write(
        "partner.json",
        "{\"format\": \"eligo.lsp-fixture/1\", \"customers\": -1}",
    );
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": c.uri("eligo.toml"), "type": 2}]}),
    );
    let d = c.diagnostics("partner.json");
    assert_eq!(d[0]["code"], "E0402", "{d:?}");
    assert_eq!(d[0]["range"]["start"]["line"], 0);
    assert!(c.diagnostics("eligo.toml").is_empty());
    // An unknown key of the facts: a warning on the facts file, and the values are shown.
    c.folder.write(
        "partner.json",
        "{\"format\": \"eligo.lsp-fixture/1\", \"customers\": 3, \"deployment\": []}",
    );
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": c.uri("partner.json"), "type": 2}]}),
    );
    let d = c.diagnostics("partner.json");
    assert_eq!(
        (d[0]["code"].as_str(), d[0]["severity"].as_u64()),
        (Some("E0403"), Some(2)),
        "{d:?}"
    );
}

#[test]
fn a_code_lens_on_each_outcome_explains_it() {
    let mut c = Client::start("lens", json!({}));
    c.fix_broken();
    c.open("rules.elg", None);
    let lenses = c.request(
        "textDocument/codeLens",
        json!({"textDocument": {"uri": c.uri("rules.elg")}}),
    );
    let lenses = lenses.as_array().unwrap();
    assert_eq!(lenses.len(), 2);
    assert_eq!(lenses[0]["command"]["title"], "explain: no");
    assert_eq!(lenses[1]["command"]["title"], "explain the 2 outcomes");
    let command = &lenses[0]["command"];
    assert_eq!(command["command"], eligo_lsp::EXPLAIN);
    let text = c.request(
        "workspace/executeCommand",
        json!({"command": command["command"], "arguments": command["arguments"]}),
    );
    let text = text.as_str().unwrap();
    assert!(
        text.contains("✗ qualified = no") && text.contains("1 more needed: 2 of 3"),
        "{text}"
    );
    let shown = c
        .asked
        .iter()
        .find(|(m, _)| m == "window/showDocument")
        .expect("the explanation is shown");
    let file = shown.1["uri"]
        .as_str()
        .unwrap()
        .trim_start_matches("file://")
        .to_string();
    assert_eq!(std::fs::read_to_string(file).unwrap(), text);
}

#[test]
fn project_file_reader_reports_file_line_and_column() {
    let dir = TempDir::new("project");
    let path = dir.write(
        "eligo.toml",
        "[live]\nfacts = 3\nas_of = \"2024-02-30\"\n[other]\n",
    );
    let e = eligo::project::Project::read(&path).unwrap_err();
    let d: Vec<eligo::Diagnostic> = e.diagnostics().iter().collect();
    let codes: Vec<&str> = d.iter().map(|d| d.code).collect();
    assert_eq!(codes, ["E0803", "E0803", "E0802"], "in file order");
    assert_eq!((d[0].labels[0].line, d[0].labels[0].column), (2, 9));
    assert_eq!(d[0].message, "`live.facts` must be a path, as a string");
    assert_eq!(d[1].message, "`live.as_of` must be a date, `YYYY-MM-DD`");
    assert_eq!((d[2].labels[0].line, d[2].labels[0].column), (4, 2));
    assert_eq!(d[2].labels[0].file, path.display().to_string());
    let e = eligo::project::Project::parse(Path::new("/p/eligo.toml"), "[live\n").unwrap_err();
    assert_eq!(e.diagnostics().codes().collect::<Vec<_>>(), ["E0801"]);
    let ok =
        eligo::project::Project::parse(Path::new("/p/eligo.toml"), "[live]\nas_of = 2025-06-30\n")
            .unwrap();
    assert_eq!(ok.live.as_of, eligo::parse_date("2025-06-30").ok());
    assert_eq!(ok.live.facts, None);
    assert_eq!(
        eligo::project::Project::find(&dir.path().join("sub")),
        Some(dir.path().to_path_buf())
    );
}
