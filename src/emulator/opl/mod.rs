//! `validateOpl` (API 1.22.87): an Ory Permission Language document
//! checked as Ory Keto checks one, with Keto's messages, lines and columns.
//!
//! Keto reads OPL loosely: anything outside a `class` is passed over (so
//! `import` and `export` lines cost nothing), names may be quoted
//! (`"owners": ...`) or read with brackets (`this.related["a.b"]`), the
//! context parameter is `ctx`, and `&&` and `||` bind left to right with no
//! precedence. The first syntax error ends the reading; names are checked
//! only when there is none. The test vectors in
//! `tests/fixtures/keto_opl/` are Keto's own documents with Keto's
//! verdicts (see docs/emulator.md).

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::Json;
use serde_json::{json, Value};

mod ast;
mod checks;
mod lex;
mod parse;
mod text;

use super::{ApiError, Method, Routes, Shared};
pub use ast::{find, Child, Namespace, Operator, Relation, Rewrite};
use lex::lex;
use parse::Parser;

pub fn routes() -> Routes {
    Routes::new().op(Method::POST, "/projects/{project_id}/opl/validate", "validateOpl", validate)
}

/// The path whose body is `text/plain`, not JSON.
pub fn takes_text(path: &str) -> bool {
    path.strip_prefix("/projects/")
        .is_some_and(|rest| rest.ends_with("/opl/validate") && rest.matches('/').count() == 2)
}

async fn validate(
    State(shared): State<Arc<Shared>>,
    Path(project): Path<String>,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    shared.read(|store| {
        let live =
            uuid::Uuid::parse_str(&project).ok().and_then(|id| store.projects.get(&id)).is_some_and(|p| p.is_live());
        if live {
            Ok(())
        } else {
            Err(ApiError::not_found("No project with that ID exists."))
        }
    })?;
    // Bytes, not text: Keto reads any bytes, an invalid one as U+FFFD.
    let errors: Vec<Value> = check(&body)
        .into_iter()
        .map(|e| {
            json!({
                "message": e.message,
                "start": {"line": e.start.line, "column": e.start.column},
                "end": {"line": e.end.line, "column": e.end.column},
            })
        })
        .collect();
    Ok(Json(json!({ "errors": errors })))
}

/// A mistake, where Keto places it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

#[derive(Debug, PartialEq)]
pub struct OplError {
    pub message: String,
    pub start: Position,
    pub end: Position,
}

/// What a document declares, or its mistakes.
pub fn parse(source: &[u8]) -> Result<Vec<Namespace>, Vec<OplError>> {
    let mut parser = Parser::new(lex(source));
    parser.file();
    if parser.mistakes.is_empty() {
        parser.mistakes = checks::run(std::mem::take(&mut parser.checks), &parser.namespaces);
    }
    if parser.mistakes.is_empty() {
        return Ok(parser.namespaces);
    }
    let at = |offset| {
        let (line, column) = text::position(source, offset);
        Position { line, column }
    };
    let mistakes = parser.mistakes.iter();
    Err(mistakes
        .map(|m| OplError { message: text::lossy(&m.message), start: at(m.item.start), end: at(m.item.end) })
        .collect())
}

/// Every mistake found: the first syntax error, or else every name error.
pub fn check(source: &[u8]) -> Vec<OplError> {
    parse(source).err().unwrap_or_default()
}

/// A namespace's name as text.
pub fn name_of(namespace: &Namespace) -> String {
    text::lossy(&namespace.name)
}

#[cfg(test)]
mod tests;
