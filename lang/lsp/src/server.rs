//! The protocol loop: requests answered from the workspace's analyses, notifications that change
//! them, diagnostics published after every change.

use crate::settings::Settings;
use crate::workspace::Workspace;
use crate::{capabilities, diagnostics, features, uris};
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::{self as n, Notification as _};
use lsp_types::request::{self as r, Request as _};
use lsp_types::{
    ClientCapabilities, Diagnostic, InitializeParams, Registration, RegistrationParams,
};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

pub struct Server<'c> {
    connection: &'c Connection,
    pub workspace: Workspace,
    client: ClientCapabilities,
    /// Requests sent to the client, by id: their method.
    pending: HashMap<RequestId, &'static str>,
    next_id: i32,
    /// The files each folder last published diagnostics for.
    published: HashMap<PathBuf, BTreeSet<PathBuf>>,
    /// Messages about live values already shown.
    shown: BTreeSet<String>,
}

/// Runs the server on a connection until the client says `exit`.
pub fn run(connection: &Connection) -> Result<(), String> {
    let (id, params) = connection.initialize_start().map_err(|e| e.to_string())?;
    let params: InitializeParams = serde_json::from_value(params).map_err(|e| e.to_string())?;
    let result = serde_json::json!({
        "capabilities": capabilities::server(),
        "serverInfo": {"name": "eligo", "version": env!("CARGO_PKG_VERSION")},
    });
    connection
        .initialize_finish(id, result)
        .map_err(|e| e.to_string())?;
    let mut server = Server::new(connection, params);
    server.main_loop()
}

impl<'c> Server<'c> {
    fn new(connection: &'c Connection, params: InitializeParams) -> Server<'c> {
        let mut workspace = Workspace::default();
        #[allow(deprecated)]
        let root = params
            .workspace_folders
            .as_ref()
            .and_then(|f| f.first())
            .and_then(|f| uris::to_path(&f.uri))
            .or_else(|| params.root_uri.as_ref().and_then(uris::to_path));
        workspace.root = root;
        if let Some(options) = &params.initialization_options {
            workspace.settings = Settings::from_section(options);
        }
        Server {
            connection,
            workspace,
            client: params.capabilities,
            pending: HashMap::new(),
            next_id: 0,
            published: HashMap::new(),
            shown: BTreeSet::new(),
        }
    }

    fn main_loop(&mut self) -> Result<(), String> {
        for message in &self.connection.receiver {
            match message {
                Message::Request(req) => {
                    if self
                        .connection
                        .handle_shutdown(&req)
                        .map_err(|e| e.to_string())?
                    {
                        return Ok(());
                    }
                    let response = self.request(req);
                    self.send(Message::Response(response));
                }
                Message::Notification(not) => self.notification(not),
                Message::Response(resp) => self.response(resp),
            }
        }
        Ok(())
    }

    fn send(&self, message: Message) {
        // The client has gone when this fails: the loop ends when its messages stop.
        let _ = self.connection.sender.send(message);
    }

    /// Sends a request to the client.
    pub fn ask(&mut self, method: &'static str, params: Value) {
        self.next_id += 1;
        let id = RequestId::from(format!("eligo-{}", self.next_id));
        self.pending.insert(id.clone(), method);
        self.send(Message::Request(Request::new(
            id,
            method.to_string(),
            params,
        )));
    }

    pub fn notify(&self, method: &str, params: Value) {
        self.send(Message::Notification(Notification::new(
            method.to_string(),
            params,
        )));
    }

    fn request(&mut self, req: Request) -> Response {
        let id = req.id.clone();
        let result = features::answer(self, &req.method, req.params);
        match result {
            Ok(value) => Response {
                id,
                result: Some(value),
                error: None,
            },
            Err(features::Failure::Unknown) => Response::new_err(
                id,
                ErrorCode::MethodNotFound as i32,
                format!("unknown request `{}`", req.method),
            ),
            Err(features::Failure::Params(m)) => {
                Response::new_err(id, ErrorCode::InvalidParams as i32, m)
            }
            Err(features::Failure::Failed(m)) => {
                Response::new_err(id, ErrorCode::RequestFailed as i32, m)
            }
        }
    }

    fn notification(&mut self, not: Notification) {
        let params = not.params;
        match not.method.as_str() {
            n::Initialized::METHOD => self.initialized(),
            n::DidOpenTextDocument::METHOD => {
                if let Ok(p) =
                    serde_json::from_value::<lsp_types::DidOpenTextDocumentParams>(params)
                {
                    if let Some(path) = uris::to_path(&p.text_document.uri) {
                        let folder = self.workspace.open(path, p.text_document.text);
                        self.changed(&folder);
                    }
                }
            }
            n::DidChangeTextDocument::METHOD => {
                if let Ok(p) =
                    serde_json::from_value::<lsp_types::DidChangeTextDocumentParams>(params)
                {
                    self.did_change(p);
                }
            }
            n::DidCloseTextDocument::METHOD => {
                if let Ok(p) =
                    serde_json::from_value::<lsp_types::DidCloseTextDocumentParams>(params)
                {
                    if let Some(path) = uris::to_path(&p.text_document.uri) {
                        let folder = self.workspace.close(&path);
                        self.changed(&folder);
                    }
                }
            }
            n::DidSaveTextDocument::METHOD => {
                if let Ok(p) =
                    serde_json::from_value::<lsp_types::DidSaveTextDocumentParams>(params)
                {
                    if let Some(path) = uris::to_path(&p.text_document.uri) {
                        let folder = self.workspace.changed_on_disk(&path);
                        self.changed(&folder);
                    }
                }
            }
            n::DidChangeWatchedFiles::METHOD => {
                if let Ok(p) =
                    serde_json::from_value::<lsp_types::DidChangeWatchedFilesParams>(params)
                {
                    let mut folders = BTreeSet::new();
                    for change in p.changes {
                        if let Some(path) = uris::to_path(&change.uri) {
                            folders.insert(self.workspace.changed_on_disk(&path));
                        }
                    }
                    self.workspace.forget_live_values();
                    for f in folders {
                        self.changed(&f);
                    }
                    self.refresh();
                }
            }
            n::DidChangeConfiguration::METHOD => {
                let settings = params.get("settings").cloned().unwrap_or(Value::Null);
                match Settings::from_change(&settings) {
                    Some(s) => self.set_settings(s),
                    None => self.ask_configuration(),
                }
            }
            _ => {}
        }
    }

    fn did_change(&mut self, p: lsp_types::DidChangeTextDocumentParams) {
        let Some(path) = uris::to_path(&p.text_document.uri) else {
            return;
        };
        let mut text = self.workspace.text(&path).unwrap_or_default();
        for change in p.content_changes {
            match change.range {
                Some(range) => {
                    let lines = crate::lines::Lines::new(&text);
                    let (start, end) = (lines.offset(range.start), lines.offset(range.end));
                    text.replace_range(start..end.max(start), &change.text);
                }
                None => text = change.text,
            }
        }
        let folder = self.workspace.open(path, text);
        self.changed(&folder);
        self.refresh();
    }

    fn response(&mut self, resp: Response) {
        let Some(method) = self.pending.remove(&resp.id) else {
            return;
        };
        if method == r::WorkspaceConfiguration::METHOD {
            if let Some(Value::Array(items)) = resp.result {
                if let Some(section) = items.first() {
                    self.set_settings(Settings::from_section(section));
                }
            }
        }
    }

    fn initialized(&mut self) {
        let watch = self
            .client
            .workspace
            .as_ref()
            .and_then(|w| w.did_change_watched_files)
            .and_then(|w| w.dynamic_registration)
            .unwrap_or(false);
        if watch {
            let registration = Registration {
                id: "eligo-watch".into(),
                method: n::DidChangeWatchedFiles::METHOD.into(),
                register_options: Some(serde_json::json!({"watchers": [
                    {"globPattern": "**/*.elg"}, {"globPattern": "**/eligo.toml"}
                ]})),
            };
            let params = RegistrationParams {
                registrations: vec![registration],
            };
            self.ask(
                r::RegisterCapability::METHOD,
                serde_json::to_value(params).unwrap_or(Value::Null),
            );
        }
    }

    fn ask_configuration(&mut self) {
        let can = self
            .client
            .workspace
            .as_ref()
            .and_then(|w| w.configuration)
            .unwrap_or(false);
        if can {
            let params = serde_json::json!({"items": [{"section": "eligo"}]});
            self.ask(r::WorkspaceConfiguration::METHOD, params);
        }
    }

    fn set_settings(&mut self, settings: Settings) {
        if settings == self.workspace.settings {
            return;
        }
        self.workspace.settings = settings;
        self.workspace.forget_live_values();
        self.shown.clear();
        for folder in self.workspace.folders() {
            self.changed(&folder);
        }
        self.refresh();
    }

    /// Asks the client to request inlay hints and code lenses again (their values changed).
    fn refresh(&mut self) {
        let workspace = self.client.workspace.as_ref();
        let hints = workspace
            .and_then(|w| w.inlay_hint.as_ref())
            .and_then(|h| h.refresh_support)
            .unwrap_or(false);
        let lenses = workspace
            .and_then(|w| w.code_lens.as_ref())
            .and_then(|c| c.refresh_support)
            .unwrap_or(false);
        if hints {
            self.ask(r::InlayHintRefreshRequest::METHOD, Value::Null);
        }
        if lenses {
            self.ask(r::CodeLensRefresh::METHOD, Value::Null);
        }
    }

    /// Publishes a folder's diagnostics after a change: the policy files' first (what the author
    /// waits for), then, the live values computed, the problems of the project and facts files
    /// (and the files that had diagnostics and have none now).
    pub fn changed(&mut self, folder: &Path) {
        let before = self.published.remove(folder).unwrap_or_default();
        let mut first = diagnostics::of_folder(self.workspace.analysis(folder));
        let mut now = self.publish(first.clone());
        let analysis = self.workspace.analysis(folder);
        let mut then: BTreeMap<PathBuf, Vec<Diagnostic>> = before
            .into_iter()
            .filter(|p| !first.contains_key(p))
            .map(|p| (p, Vec::new()))
            .collect();
        for (path, list) in diagnostics::of_live(analysis) {
            let known = first.remove(&path).unwrap_or_default();
            then.entry(path).or_insert(known).extend(list);
        }
        let messages = analysis.live().messages.clone();
        now.extend(self.publish(then));
        self.published.insert(folder.to_path_buf(), now);
        for m in messages {
            if self.shown.insert(m.clone()) {
                let params = serde_json::json!({"type": 1, "message": m});
                self.notify(n::ShowMessage::METHOD, params);
            }
        }
    }

    /// Publishes diagnostics by file; the files that have some.
    fn publish(&self, all: BTreeMap<PathBuf, Vec<Diagnostic>>) -> BTreeSet<PathBuf> {
        let mut some = BTreeSet::new();
        for (path, list) in all {
            let has_some = !list.is_empty();
            let Some(params) = diagnostics::params(&path, list) else {
                continue;
            };
            if has_some {
                some.insert(path);
            }
            self.notify(n::PublishDiagnostics::METHOD, params);
        }
        some
    }

    pub fn can_show_document(&self) -> bool {
        self.client
            .window
            .as_ref()
            .and_then(|w| w.show_document.as_ref())
            .is_some_and(|s| s.support)
    }
}
