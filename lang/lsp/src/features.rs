//! Requests to the feature that answers them.

use crate::analysis::Analysis;
use crate::server::Server;
use crate::{complete, hints, hover, navigate, tokens, uris};
use lsp_types::request::{self as r, Request};
use lsp_types::{Position, TextDocumentPositionParams, Uri};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

pub enum Failure {
    Unknown,
    Params(String),
    Failed(String),
}

/// Where a request points: the analysis of the file's folder, the file's index in it, and the
/// byte offset.
pub struct At<'a> {
    pub analysis: &'a Analysis,
    pub file: usize,
    pub offset: usize,
}

pub fn answer(server: &mut Server, method: &str, params: Value) -> Result<Value, Failure> {
    match method {
        r::HoverRequest::METHOD => on::<r::HoverRequest>(server, params, hover::hover),
        r::GotoDefinition::METHOD => on::<r::GotoDefinition>(server, params, navigate::definition),
        r::References::METHOD => on::<r::References>(server, params, navigate::references),
        r::PrepareRenameRequest::METHOD => {
            on::<r::PrepareRenameRequest>(server, params, navigate::prepare_rename)
        }
        r::Rename::METHOD => on::<r::Rename>(server, params, navigate::rename),
        r::DocumentSymbolRequest::METHOD => {
            on::<r::DocumentSymbolRequest>(server, params, navigate::document_symbols)
        }
        r::WorkspaceSymbolRequest::METHOD => {
            on::<r::WorkspaceSymbolRequest>(server, params, navigate::workspace_symbols)
        }
        r::FoldingRangeRequest::METHOD => {
            on::<r::FoldingRangeRequest>(server, params, navigate::folding)
        }
        r::Completion::METHOD => on::<r::Completion>(server, params, complete::complete),
        r::Formatting::METHOD => on::<r::Formatting>(server, params, navigate::format),
        r::SemanticTokensFullRequest::METHOD => {
            on::<r::SemanticTokensFullRequest>(server, params, tokens::full)
        }
        r::InlayHintRequest::METHOD => {
            on::<r::InlayHintRequest>(server, params, hints::inlay_hints)
        }
        r::CodeLensRequest::METHOD => on::<r::CodeLensRequest>(server, params, hints::code_lenses),
        r::ExecuteCommand::METHOD => on::<r::ExecuteCommand>(server, params, hints::execute),
        _ => Err(Failure::Unknown),
    }
}

type Handler<R> = fn(&mut Server, <R as Request>::Params) -> Result<<R as Request>::Result, String>;

fn on<R: Request>(server: &mut Server, params: Value, f: Handler<R>) -> Result<Value, Failure>
where
    R::Params: DeserializeOwned,
    R::Result: Serialize,
{
    let params: R::Params =
        serde_json::from_value(params).map_err(|e| Failure::Params(e.to_string()))?;
    let result = f(server, params).map_err(Failure::Failed)?;
    serde_json::to_value(result).map_err(|e| Failure::Failed(e.to_string()))
}

/// The analysis and file of a document, without a position.
pub fn document<'a>(server: &'a mut Server, uri: &Uri) -> Option<(&'a Analysis, usize)> {
    let path = uris::to_path(uri)?;
    let analysis = server.workspace.analysis_of(&path);
    let file = analysis.file_index(&path)?;
    Some((analysis, file))
}

pub fn at<'a>(server: &'a mut Server, uri: &Uri, position: Position) -> Option<At<'a>> {
    let (analysis, file) = document(server, uri)?;
    let offset = analysis.lines[file].offset(position);
    Some(At {
        analysis,
        file,
        offset,
    })
}

pub fn at_params<'a>(server: &'a mut Server, p: &TextDocumentPositionParams) -> Option<At<'a>> {
    at(server, &p.text_document.uri, p.position)
}
