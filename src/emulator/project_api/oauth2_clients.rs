//! Ory Hydra's admin OAuth2 clients, as Hydra v2 answers them.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use base64::Engine;
use chrono::Utc;
use serde_json::{json, Value};
use uuid::Uuid;

use super::client_metadata::checked_client;
use super::{body_object, oauth_error, page, respond, PageQuery, ProjectCaller, Refused, MAX_PAGE_SIZE};
use crate::emulator::http::{Routes, Shared};
use crate::emulator::store::{OAuth2Client, Store};

pub fn routes() -> Routes {
    Routes::new()
        .op(Method::GET, "/project-api/{slug}/admin/clients", "listOAuth2Clients", clients_list)
        .op(Method::POST, "/project-api/{slug}/admin/clients", "createOAuth2Client", client_create)
        .op(Method::GET, "/project-api/{slug}/admin/clients/{id}", "getOAuth2Client", client_get)
        .op(Method::PUT, "/project-api/{slug}/admin/clients/{id}", "setOAuth2Client", client_set)
        .op(Method::DELETE, "/project-api/{slug}/admin/clients/{id}", "deleteOAuth2Client", client_delete)
}

/// A client as answers show it: never its secret, but in the answer to its create.
pub(crate) fn render_client(c: &OAuth2Client) -> Value {
    let mut out = c.fields.clone();
    out.remove("client_secret");
    out.insert("client_id".into(), json!(c.public_id()));
    out.insert("created_at".into(), json!(c.created_at));
    out.insert("updated_at".into(), json!(c.updated_at));
    out.insert("client_secret_expires_at".into(), json!(0));
    Value::Object(out)
}

fn clients_of(s: &Store, project: Uuid) -> Vec<Uuid> {
    s.oauth2_clients.values().filter(|c| c.project_id == project).map(|c| c.id).collect()
}

/// Hydra's listing: a page, of the clients with this exact `client_name`
/// and `owner` when they are given.
#[derive(serde::Deserialize)]
struct ClientListQuery {
    #[serde(flatten)]
    page: PageQuery,
    client_name: Option<String>,
    owner: Option<String>,
}

async fn clients_list(
    State(shared): State<Arc<Shared>>,
    axum::Extension(caller): axum::Extension<ProjectCaller>,
    Path(slug): Path<String>,
    Query(query): Query<ClientListQuery>,
) -> Response {
    respond(shared.read(|s| {
        let path = format!("/project-api/{slug}/admin/clients");
        let wanted = |key: &str, wanted: &Option<String>, c: &OAuth2Client| {
            wanted
                .as_deref()
                .filter(|w| !w.is_empty())
                .is_none_or(|w| c.fields.get(key).and_then(Value::as_str) == Some(w))
        };
        let mut ids = clients_of(s, caller.project);
        ids.retain(|id| {
            let c = &s.oauth2_clients[id];
            wanted("client_name", &query.client_name, c) && wanted("owner", &query.owner, c)
        });
        let (ids, headers) = match page(ids, &query.page, MAX_PAGE_SIZE, &path, true) {
            Ok(page) => page,
            Err(refused) => return Ok(refused.into_response()),
        };
        let clients: Vec<Value> = ids.iter().filter_map(|id| s.oauth2_clients.get(id)).map(render_client).collect();
        Ok((headers, Json(clients)).into_response())
    }))
}

async fn client_create(
    State(shared): State<Arc<Shared>>,
    axum::Extension(caller): axum::Extension<ProjectCaller>,
    body: Bytes,
) -> Response {
    let body = match body_object(&body, true) {
        Ok(body) => body,
        Err(refused) => return refused.into_response(),
    };
    // Ory Network takes a client ID the caller chooses (Ory's provider's
    // acceptance tests make clients so); Hydra refuses one in use.
    let chosen = match body.get("client_id") {
        None | Some(Value::Null) => None,
        Some(Value::String(id)) if !id.trim().is_empty() => Some(id.clone()),
        Some(_) => {
            return oauth_error(
                StatusCode::BAD_REQUEST,
                "invalid_client_metadata",
                "Field client_id must be a non-empty string.".into(),
            )
            .into_response()
        }
    };
    let mut fields = match checked_client(body) {
        Ok(fields) => fields,
        Err(refused) => return refused.into_response(),
    };
    let public = fields.get("token_endpoint_auth_method").and_then(Value::as_str) == Some("none");
    let secret = match fields.remove("client_secret").and_then(|v| v.as_str().map(str::to_string)) {
        _ if public => None,
        Some(secret) if !secret.is_empty() => Some(secret),
        _ => Some(random_secret()),
    };
    respond(shared.write(|s| {
        if let Some(chosen) = &chosen {
            if client_of(s, caller.project, chosen).is_some() {
                return Ok(oauth_error(
                    StatusCode::CONFLICT,
                    "resource_conflict",
                    "Unable to insert or update resource because a resource with that value exists already.".into(),
                )
                .into_response());
            }
        }
        let as_uuid = chosen.as_deref().and_then(|c| Uuid::parse_str(c).ok());
        let now = Utc::now();
        let client = OAuth2Client {
            id: as_uuid.unwrap_or_else(Uuid::new_v4),
            chosen_id: chosen.filter(|_| as_uuid.is_none()),
            project_id: caller.project,
            fields,
            secret_hash: secret.as_deref().map(hash_secret),
            registration_token_hash: None,
            created_at: now,
            updated_at: now,
        };
        let mut shown = render_client(&client);
        if let Some(secret) = &secret {
            shown["client_secret"] = json!(secret);
        }
        s.oauth2_clients.insert(client.id, client);
        Ok((StatusCode::CREATED, Json(shown)).into_response())
    }))
}

pub(crate) fn random_secret() -> String {
    use rand::Rng;
    let bytes: [u8; 24] = rand::rng().random();
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

fn client_of(s: &Store, project: Uuid, id: &str) -> Option<Uuid> {
    match Uuid::parse_str(id) {
        Ok(id) => s.oauth2_clients.get(&id).filter(|c| c.project_id == project).map(|c| c.id),
        Err(_) => s
            .oauth2_clients
            .values()
            .find(|c| c.project_id == project && c.chosen_id.as_deref() == Some(id))
            .map(|c| c.id),
    }
}

async fn client_get(
    State(shared): State<Arc<Shared>>,
    axum::Extension(caller): axum::Extension<ProjectCaller>,
    Path((_, id)): Path<(String, String)>,
) -> Response {
    respond(shared.read(|s| {
        Ok(match client_of(s, caller.project, &id) {
            Some(id) => Json(render_client(&s.oauth2_clients[&id])).into_response(),
            None => client_not_found().into_response(),
        })
    }))
}

/// `setOAuth2Client`: replaces what a client sets; a secret sent is the
/// new secret, one left out keeps the old one.
async fn client_set(
    State(shared): State<Arc<Shared>>,
    axum::Extension(caller): axum::Extension<ProjectCaller>,
    Path((_, id)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    let body = match body_object(&body, true) {
        Ok(body) => body,
        Err(refused) => return refused.into_response(),
    };
    if body.get("client_id").and_then(Value::as_str).is_some_and(|sent| sent != id) {
        return oauth_error(StatusCode::BAD_REQUEST, "invalid_request", "Field client_id cannot be changed.".into())
            .into_response();
    }
    let mut fields = match checked_client(body) {
        Ok(fields) => fields,
        Err(refused) => return refused.into_response(),
    };
    let secret = fields.remove("client_secret").and_then(|v| v.as_str().filter(|s| !s.is_empty()).map(str::to_string));
    respond(shared.write(|s| {
        let Some(id) = client_of(s, caller.project, &id) else { return Ok(client_not_found().into_response()) };
        let client = s.oauth2_clients.get_mut(&id).expect("found above");
        client.fields = fields;
        if let Some(secret) = &secret {
            client.secret_hash = Some(hash_secret(secret));
        }
        client.updated_at = Utc::now();
        let shown = render_client(client);
        Ok(Json(shown).into_response())
    }))
}

async fn client_delete(
    State(shared): State<Arc<Shared>>,
    axum::Extension(caller): axum::Extension<ProjectCaller>,
    Path((_, id)): Path<(String, String)>,
) -> Response {
    respond(shared.write(|s| {
        let Some(id) = client_of(s, caller.project, &id) else { return Ok(client_not_found().into_response()) };
        s.oauth2_clients.remove(&id);
        Ok(StatusCode::NO_CONTENT.into_response())
    }))
}

/// A secret as the emulator keeps it: PBKDF2-SHA256 in PHC form, never the secret.
pub(crate) fn hash_secret(secret: &str) -> String {
    use rand::Rng;
    const ROUNDS: u32 = 10_000;
    let salt: [u8; 16] = rand::rng().random();
    let mut hash = [0u8; 32];
    let rounds = std::num::NonZeroU32::new(ROUNDS).expect("not zero");
    aws_lc_rs::pbkdf2::derive(aws_lc_rs::pbkdf2::PBKDF2_HMAC_SHA256, rounds, &salt, secret.as_bytes(), &mut hash);
    let b64 = base64::engine::general_purpose::STANDARD_NO_PAD;
    format!("$pbkdf2-sha256$i={ROUNDS},l=32${}${}", b64.encode(salt), b64.encode(hash))
}

fn client_not_found() -> Refused {
    oauth_error(
        StatusCode::NOT_FOUND,
        "Unable to locate the resource",
        "The requested OAuth 2.0 client does not exist.".into(),
    )
}
