//! The emulator's own API under `/__emulator/`: request counts, objects,
//! reset, features, faults, limits and the like, for tests and demos.

use std::collections::BTreeMap;
use std::sync::atomic::Ordering;
use std::sync::Arc;

use axum::extract::State;
use axum::routing::{get, post};
use axum::{Json, Router};

use super::console::{custom_domains, workspaces};
use super::http::{parse_body, Shared};
use super::{faults, store, ApiError};

/// The admin routes.
pub(super) fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/__emulator/requests", get(admin_requests))
        .route("/__emulator/connections", get(admin_connections))
        .route("/__emulator/objects", get(admin_objects))
        .route("/__emulator/reset", post(admin_reset))
        .route("/__emulator/workspaces/{workspace}", axum::routing::delete(admin_delete_workspace))
        .route("/__emulator/features", post(admin_features))
        .route("/__emulator/faults", post(admin_faults).get(admin_faults_injected))
        .route("/__emulator/forbidden", post(admin_forbidden))
        .route("/__emulator/limits", post(admin_limits))
        .route("/__emulator/projects/{project_id}/cname/{domain_id}/verify", post(custom_domains::admin_verify))
}

async fn admin_requests(State(shared): State<Arc<Shared>>) -> Json<BTreeMap<String, u64>> {
    Json(shared.counts.lock().unwrap_or_else(|p| p.into_inner()).clone())
}

/// How many TCP connections the emulator has accepted since it started.
async fn admin_connections(State(shared): State<Arc<Shared>>) -> Json<serde_json::Value> {
    Json(serde_json::json!({ "accepted": shared.connections.load(Ordering::Relaxed) }))
}

/// Every live object, by kind, read past faults and limits: what tests
/// compare a Terraform state with. Keys and streams of purged projects are
/// gone with them.
async fn admin_objects(State(shared): State<Arc<Shared>>) -> Result<Json<serde_json::Value>, ApiError> {
    use serde_json::json;
    shared.read(|s| {
        let live = |p: &uuid::Uuid| s.projects.get(p).is_some_and(|p| p.is_live());
        let mut project_keys = Vec::new();
        let mut workspace_keys = Vec::new();
        for k in s.api_keys.values() {
            match k.scope {
                store::KeyScope::Project(p) if live(&p) => {
                    project_keys.push(json!({"id": k.id, "project_id": p, "name": k.name}))
                }
                store::KeyScope::Workspace(w) if s.workspaces.contains_key(&w) => {
                    workspace_keys.push(json!({"id": k.id, "workspace_id": w, "name": k.name}))
                }
                _ => {}
            }
        }
        Ok(Json(json!({
            "workspaces": s.workspaces.values().map(|w| json!({"id": w.id, "name": w.name})).collect::<Vec<_>>(),
            "projects": s.projects.values().filter(|p| p.is_live())
                .map(|p| json!({"id": p.id, "name": p.name, "workspace_id": p.workspace_id})).collect::<Vec<_>>(),
            "project_api_keys": project_keys,
            "workspace_api_keys": workspace_keys,
            "event_streams": s.event_streams.values().filter(|e| live(&e.project_id))
                .map(|e| json!({"id": e.id, "project_id": e.project_id, "type": e.kind})).collect::<Vec<_>>(),
            "identities": s.identities.values().filter(|i| live(&i.project_id))
                .map(|i| json!({"id": i.id, "project_id": i.project_id, "schema_id": i.fields["schema_id"], "has_password": i.password_hash.is_some()})).collect::<Vec<_>>(),
            "oauth2_clients": s.oauth2_clients.values().filter(|c| live(&c.project_id))
                .map(|c| json!({"id": c.id, "project_id": c.project_id, "client_name": c.fields["client_name"], "secret_hash": c.secret_hash})).collect::<Vec<_>>(),
            "trust_grants": s.trust_grants.values().filter(|g| live(&g.project_id))
                .map(|g| json!({"id": g.id, "project_id": g.project_id, "issuer": g.fields["issuer"]})).collect::<Vec<_>>(),
            "relationships": s.relationships.values().filter(|t| live(&t.project_id))
                .map(|t| json!({"id": t.id, "project_id": t.project_id, "namespace": t.namespace, "object": t.object, "relation": t.relation})).collect::<Vec<_>>(),
            "jwk_sets": s.jwk_sets.values().filter(|k| live(&k.project_id))
                .map(|k| json!({"id": k.id, "project_id": k.project_id, "set": k.name, "kids": k.keys.iter().map(|key| &key["kid"]).collect::<Vec<_>>()})).collect::<Vec<_>>(),
        })))
    })
}

/// Forgets every object and counter; the workspace and its key stay, so
/// that a running client keeps working.
async fn admin_reset(State(shared): State<Arc<Shared>>) -> Result<Json<serde_json::Value>, ApiError> {
    shared.write(|s| {
        s.reset();
        Ok(())
    })?;
    shared.counts.lock().unwrap_or_else(|p| p.into_inner()).clear();
    Ok(Json(serde_json::json!({})))
}

/// The console API cannot delete a workspace; this lets a test play the
/// part of someone deleting one in the Ory console.
async fn admin_delete_workspace(
    State(shared): State<Arc<Shared>>,
    axum::extract::Path(id): axum::extract::Path<String>,
) -> Result<axum::http::StatusCode, ApiError> {
    shared.write(|s| {
        let id = workspaces::find_workspace(s, &id)?;
        if id == s.workspace_id {
            return Err(ApiError::bad_request("the key's own workspace cannot be deleted"));
        }
        s.workspaces.remove(&id);
        s.api_keys.retain(|_, k| k.scope != store::KeyScope::Workspace(id));
        Ok(axum::http::StatusCode::NO_CONTENT)
    })
}

/// Turns plan-gated features on or off: `{"event_streams": false}` makes
/// the workspace's plan lack event streams.
async fn admin_features(
    State(shared): State<Arc<Shared>>,
    body: axum::body::Bytes,
) -> Result<Json<serde_json::Value>, ApiError> {
    let settings: BTreeMap<String, bool> = parse_body(&body)?;
    shared.write(|s| {
        for (feature, on) in settings {
            if on {
                s.features_off.remove(&feature);
            } else {
                s.features_off.insert(feature);
            }
        }
        Ok(Json(serde_json::json!({ "features_off": s.features_off })))
    })
}

async fn admin_faults(
    State(shared): State<Arc<Shared>>,
    body: axum::body::Bytes,
) -> Result<Json<serde_json::Value>, ApiError> {
    let settings: faults::FaultSettings = parse_body(&body)?;
    let faults = faults::Faults::new(&settings).map_err(ApiError::bad_request)?;
    *shared.faults.lock().unwrap_or_else(|p| p.into_inner()) = faults;
    Ok(Json(serde_json::json!({})))
}

/// `{"projects": [id, ...]}`: GET of these projects answers 403, as for a
/// key without access to them.
async fn admin_forbidden(
    State(shared): State<Arc<Shared>>,
    body: axum::body::Bytes,
) -> Result<Json<serde_json::Value>, ApiError> {
    #[derive(serde::Deserialize)]
    struct Forbidden {
        projects: Vec<uuid::Uuid>,
    }
    let forbidden: Forbidden = parse_body(&body)?;
    shared.write(|s| {
        s.forbidden = forbidden.projects.into_iter().collect();
        Ok(Json(serde_json::json!({})))
    })
}

/// How many faults of each kind were injected since they were last set.
async fn admin_faults_injected(State(shared): State<Arc<Shared>>) -> Json<BTreeMap<String, u64>> {
    Json(shared.faults.lock().unwrap_or_else(|p| p.into_inner()).injected.clone())
}

async fn admin_limits(
    State(shared): State<Arc<Shared>>,
    body: axum::body::Bytes,
) -> Result<Json<serde_json::Value>, ApiError> {
    let settings: faults::LimitSettings = parse_body(&body)?;
    let limiter = faults::Limiter::new(&settings).map_err(ApiError::bad_request)?;
    *shared.limiter.lock().unwrap_or_else(|p| p.into_inner()) = limiter;
    Ok(Json(serde_json::json!({})))
}
