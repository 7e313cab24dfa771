//! Project and workspace API keys. The value is shown once, in the answer
//! to create; listings show only its last characters.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::{json, Value};
use uuid::Uuid;

use super::workspaces::find_workspace;
use crate::emulator::store::{new_key_value, ApiKey, KeyScope, Store};
use crate::emulator::{parse_body, ApiError, Method, Routes, Shared};

pub fn routes() -> Routes {
    Routes::new()
        .op(Method::GET, "/projects/{project_id}/tokens", "listProjectApiKeys", project_keys_list)
        .op(Method::POST, "/projects/{project_id}/tokens", "createProjectApiKey", project_keys_create)
        .op(Method::DELETE, "/projects/{project_id}/tokens/{token_id}", "deleteProjectApiKey", project_keys_delete)
        .op(Method::GET, "/workspaces/{workspace}/tokens", "listWorkspaceApiKeys", workspace_keys_list)
        .op(Method::POST, "/workspaces/{workspace}/tokens", "createWorkspaceApiKey", workspace_keys_create)
        .op(Method::DELETE, "/workspaces/{workspace}/tokens/{token_id}", "deleteWorkspaceApiKey", workspace_keys_delete)
}

/// UNVERIFIED how many characters `last_characters` holds; four here.
const LAST_CHARACTERS: usize = 4;

fn render(k: &ApiKey, with_value: bool) -> Value {
    let mut v = json!({
        "id": k.id,
        "name": k.name,
        "owner_id": k.owner_id,
        "created_at": k.created_at,
        "updated_at": k.updated_at,
        "last_characters": &k.value[k.value.len() - LAST_CHARACTERS..],
    });
    // The spec types `expires_at` as a time, never null: a key that does not
    // expire has none.
    if let Some(expires_at) = k.expires_at {
        v["expires_at"] = json!(expires_at);
    }
    match k.scope {
        KeyScope::Project(p) => v["project_id"] = json!(p),
        KeyScope::Workspace(w) => v["workspace_id"] = json!(w),
    }
    if with_value {
        v["value"] = json!(k.value);
    }
    v
}

/// A live project named by ID or slug, as the spec allows for `{project}`.
fn find_project(store: &Store, id_or_slug: &str) -> Result<Uuid, ApiError> {
    store
        .live_project(id_or_slug)
        .map(|p| p.id)
        .ok_or_else(|| ApiError::not_found(format!("No project with ID or slug {id_or_slug:?} exists.")))
}

#[derive(Deserialize)]
struct CreateBody {
    name: Option<String>,
    expires_at: Option<String>,
}

fn create(store: &mut Store, scope: KeyScope, body: &[u8]) -> Result<(StatusCode, Json<Value>), ApiError> {
    let body: CreateBody = parse_body(body)?;
    let name = body
        .name
        .filter(|n| !n.trim().is_empty())
        .ok_or_else(|| ApiError::bad_request("name is required and must not be empty"))?;
    let now = Utc::now();
    let expires_at = match body.expires_at {
        None => None,
        Some(t) => {
            let t = DateTime::parse_from_rfc3339(&t)
                .map_err(|_| {
                    ApiError::bad_request(format!(
                        "expires_at must be an RFC 3339 time such as 2030-01-01T00:00:00Z; got {t:?}"
                    ))
                })?
                .with_timezone(&Utc);
            // UNVERIFIED: the live API's answer to a past expiry; refusing it
            // is safer than creating a key that never works.
            if t <= now {
                return Err(ApiError::bad_request("expires_at must be in the future"));
            }
            Some(t)
        }
    };
    let prefix = if matches!(scope, KeyScope::Project(_)) { "ory_pat_" } else { "ory_wak_" };
    let key = ApiKey {
        id: Uuid::new_v4(),
        scope,
        name,
        value: new_key_value(prefix),
        owner_id: store.owner_id,
        created_at: now,
        updated_at: now,
        expires_at,
    };
    let answer = render(&key, true);
    store.api_keys.insert(key.id, key);
    Ok((StatusCode::CREATED, Json(answer)))
}

fn list(store: &Store, scope: KeyScope) -> Json<Value> {
    Json(Value::Array(store.api_keys.values().filter(|k| k.scope == scope).map(|k| render(k, false)).collect()))
}

fn remove(store: &mut Store, scope: KeyScope, token: &str) -> Result<StatusCode, ApiError> {
    let id = Uuid::parse_str(token).ok().filter(|id| store.api_keys.get(id).is_some_and(|k| k.scope == scope));
    match id {
        Some(id) => {
            store.api_keys.remove(&id);
            Ok(StatusCode::NO_CONTENT)
        }
        None => Err(ApiError::not_found(format!("No API key with ID {token:?} exists here."))),
    }
}

async fn project_keys_list(
    State(shared): State<Arc<Shared>>,
    Path(project): Path<String>,
) -> Result<Json<Value>, ApiError> {
    shared.read(|store| Ok(list(store, KeyScope::Project(find_project(store, &project)?))))
}

async fn project_keys_create(
    State(shared): State<Arc<Shared>>,
    Path(project): Path<String>,
    body: Bytes,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    shared.write(|store| {
        let scope = KeyScope::Project(find_project(store, &project)?);
        create(store, scope, &body)
    })
}

async fn project_keys_delete(
    State(shared): State<Arc<Shared>>,
    Path((project, token)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    shared.write(|store| {
        let scope = KeyScope::Project(find_project(store, &project)?);
        remove(store, scope, &token)
    })
}

async fn workspace_keys_list(
    State(shared): State<Arc<Shared>>,
    Path(workspace): Path<String>,
) -> Result<Json<Value>, ApiError> {
    shared.read(|store| Ok(list(store, KeyScope::Workspace(find_workspace(store, &workspace)?))))
}

/// Ory's API refuses to make or delete workspace keys with a workspace
/// key: they are made in the Ory Console (Ory's own provider documents its
/// `ory_workspace_api_key` as import-only for that reason). UNVERIFIED: the
/// status; 403, as for every act a key may not do.
fn workspace_key_writes(shared: &Shared) -> Result<(), ApiError> {
    if shared.workspace_key_writes.load(std::sync::atomic::Ordering::Relaxed) {
        return Ok(());
    }
    Err(ApiError::new(
        StatusCode::FORBIDDEN,
        "Workspace API keys can only be created and deleted in the Ory Console, not with a workspace API key. (The emulator allows it with --allow-workspace-key-writes.)",
    ))
}

async fn workspace_keys_create(
    State(shared): State<Arc<Shared>>,
    Path(workspace): Path<String>,
    body: Bytes,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    workspace_key_writes(&shared)?;
    shared.write(|store| {
        let scope = KeyScope::Workspace(find_workspace(store, &workspace)?);
        create(store, scope, &body)
    })
}

async fn workspace_keys_delete(
    State(shared): State<Arc<Shared>>,
    Path((workspace, token)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    workspace_key_writes(&shared)?;
    shared.write(|store| {
        let scope = KeyScope::Workspace(find_workspace(store, &workspace)?);
        remove(store, scope, &token)
    })
}
