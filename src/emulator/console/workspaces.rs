//! Workspaces: list (paginated), create, get, rename.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Extension, Path, RawQuery, State};
use axum::http::StatusCode;
use axum::Json;
use chrono::Utc;
use serde::Deserialize;
use serde_json::{json, Value};
use uuid::Uuid;

use crate::emulator::store::{Store, Workspace};
use crate::emulator::{page_size, parse_body, query, ApiError, Caller, Method, Routes, Shared};

pub fn routes() -> Routes {
    Routes::new()
        .op(Method::GET, "/workspaces", "listWorkspaces", workspaces_list)
        .op(Method::POST, "/workspaces", "createWorkspace", workspaces_create)
        .op(Method::GET, "/workspaces/{workspace}", "getWorkspace", workspaces_get)
        .op(Method::PUT, "/workspaces/{workspace}", "updateWorkspace", workspaces_update)
}

pub fn render(w: &Workspace) -> Value {
    json!({
        "id": w.id,
        "name": w.name,
        "created_at": w.created_at,
        "updated_at": w.updated_at,
        "organization_id": null,
        "subscription_id": null,
        "subscription_plan": null,
        "access_policy": "CHECK_ACCESS_PERMISSION",
    })
}

/// The workspace a path names, or 404.
pub fn find_workspace(store: &Store, id: &str) -> Result<Uuid, ApiError> {
    Uuid::parse_str(id)
        .ok()
        .filter(|id| store.workspaces.contains_key(id))
        .ok_or_else(|| ApiError::not_found(format!("No workspace with ID {id:?} exists.")))
}

/// Pages in ID order; a page token is the ID the next page starts at.
async fn workspaces_list(
    State(shared): State<Arc<Shared>>,
    Extension(caller): Extension<Caller>,
    RawQuery(raw): RawQuery,
) -> Result<Json<Value>, ApiError> {
    let q = query(raw.as_deref(), &["page_size", "page_token"])?;
    let size = page_size(q.get("page_size"))?;
    shared.read(|store| {
        let start = match q.get("page_token").filter(|t| !t.is_empty()) {
            None => None,
            Some(t) => Some(
                Uuid::parse_str(t).map_err(|_| ApiError::bad_request("page_token is not a token this API issued"))?,
            ),
        };
        let mut items = store
            .workspaces
            .values()
            .filter(|w| store.reaches(caller.workspace, w.id) && start.is_none_or(|s| w.id >= s));
        let page: Vec<Value> = items.by_ref().take(size).map(render).collect();
        let next = items.next().map(|w| w.id.to_string()).unwrap_or_default();
        Ok(Json(json!({ "workspaces": page, "has_next_page": !next.is_empty(), "next_page_token": next })))
    })
}

#[derive(Deserialize)]
struct NameBody {
    name: Option<String>,
}

fn name_of(body: &[u8]) -> Result<String, ApiError> {
    let body: NameBody = parse_body(body)?;
    body.name
        .filter(|n| !n.trim().is_empty())
        .ok_or_else(|| ApiError::bad_request("name is required and must not be empty"))
}

/// UNVERIFIED whether a workspace key may create workspaces on the live
/// service; the emulator allows it, as the spec lists the operation for it.
async fn workspaces_create(
    State(shared): State<Arc<Shared>>,
    Extension(caller): Extension<Caller>,
    body: Bytes,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let name = name_of(&body)?;
    shared.write(|store| {
        let now = Utc::now();
        let w = Workspace {
            id: Uuid::new_v4(),
            name,
            created_at: now,
            updated_at: now,
            created_by: Some(caller.workspace),
        };
        let answer = render(&w);
        store.workspaces.insert(w.id, w);
        Ok((StatusCode::CREATED, Json(answer)))
    })
}

async fn workspaces_get(State(shared): State<Arc<Shared>>, Path(id): Path<String>) -> Result<Json<Value>, ApiError> {
    shared.read(|store| {
        let id = find_workspace(store, &id)?;
        Ok(Json(render(&store.workspaces[&id])))
    })
}

async fn workspaces_update(
    State(shared): State<Arc<Shared>>,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    let name = name_of(&body)?;
    shared.write(|store| {
        let id = find_workspace(store, &id)?;
        let w = store.workspaces.get_mut(&id).expect("found above");
        w.name = name;
        w.updated_at = Utc::now();
        Ok(Json(render(w)))
    })
}
