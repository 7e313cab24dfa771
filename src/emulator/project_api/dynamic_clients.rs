//! OpenID Connect Dynamic Client Registration (RFC 7591 and 7592, Ory
//! Hydra's `/oauth2/register`): a public endpoint that registers an OAuth2
//! client without a project key, and answers with a registration access
//! token, the bearer that alone reads, updates and deletes that client.
//! Registration must be on in the project's configuration
//! (`services.oauth2.config.oidc.dynamic_client_registration.enabled`).

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::Utc;
use serde_json::{json, Map, Value};
use uuid::Uuid;

use super::client_metadata::checked_client;
use super::oauth2_clients::{hash_secret, random_secret, render_client};
use super::{json_object, respond, Refused};
use crate::emulator::http::{bearer_key, Routes, Shared};
use crate::emulator::store::{OAuth2Client, Store};
use crate::emulator::ApiError;
use axum::http::Method;

pub fn routes() -> Routes {
    Routes::new()
        .op(Method::POST, "/project-api/{slug}/oauth2/register", "createOidcDynamicClient", register)
        .op(Method::GET, "/project-api/{slug}/oauth2/register/{id}", "getOidcDynamicClient", get)
        .op(Method::PUT, "/project-api/{slug}/oauth2/register/{id}", "setOidcDynamicClient", set)
        .op(Method::DELETE, "/project-api/{slug}/oauth2/register/{id}", "deleteOidcDynamicClient", delete)
}

/// Whether `path` is a registration route, which takes a body without a key.
pub fn is_public(path: &str) -> bool {
    let Some(rest) = path.strip_prefix("/project-api/") else { return false };
    let mut segments = rest.split('/');
    let (_slug, oauth2, register) = (segments.next(), segments.next(), segments.next());
    oauth2 == Some("oauth2") && register == Some("register") && segments.count() <= 1
}

/// What a registration may not choose (Hydra's refusals).
const CHOSEN_BY_ORY: [(&str, &str); 3] = [
    ("client_id", "It is not allowed to choose your own OAuth2 Client ID."),
    ("client_secret", "It is not allowed to choose your own OAuth2 Client secret."),
    ("metadata", "metadata cannot be set for dynamic client registration"),
];

fn live_project(s: &Store, slug: &str) -> Option<Uuid> {
    s.live_project_by_slug(slug).map(|p| p.id)
}

/// Whether the project lets clients register themselves; off unless its
/// configuration turns it on (UNVERIFIED: Ory Network's default for a new
/// project, taken to be off as in Hydra).
fn enabled(s: &Store, project: Uuid) -> bool {
    let config = &s.projects[&project].services["oauth2"]["config"];
    config.pointer("/oidc/dynamic_client_registration/enabled") == Some(&Value::Bool(true))
}

fn token_hash(token: &str) -> String {
    let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, token.as_bytes());
    digest.as_ref().iter().map(|b| format!("{b:02x}")).collect()
}

fn unauthorized() -> ApiError {
    ApiError::new(StatusCode::UNAUTHORIZED, "The registration access token is not valid for this client.")
}

/// The body as a client, refusing what Ory chooses.
fn body_client(body: &Bytes) -> Result<Map<String, Value>, Refused> {
    let body = json_object(body).map_err(|reason| Refused::Kratos(ApiError::bad_request(reason)))?;
    for (key, refusal) in CHOSEN_BY_ORY {
        let chosen = match body.get(key) {
            None | Some(Value::Null) => false,
            Some(Value::String(text)) => !text.is_empty(),
            Some(Value::Object(map)) => !map.is_empty(),
            Some(_) => true,
        };
        if chosen {
            return Err(Refused::Kratos(ApiError::bad_request(refusal)));
        }
    }
    checked_client(body)
}

/// A new registration access token: shown once, kept as its hash.
fn new_token() -> String {
    format!("ory_rat_{}", random_secret())
}

fn shown(client: &OAuth2Client, host: &str, slug: &str, token: &str) -> Value {
    let mut out = render_client(client);
    out["registration_access_token"] = json!(token);
    out["registration_client_uri"] = json!(format!("http://{host}/project-api/{slug}/oauth2/register/{}", client.id));
    out
}

fn host(headers: &HeaderMap) -> String {
    headers.get(axum::http::header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("127.0.0.1").to_string()
}

async fn register(
    State(shared): State<Arc<Shared>>,
    Path(slug): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let mut fields = match body_client(&body) {
        Ok(fields) => fields,
        Err(refused) => return refused.into_response(),
    };
    fields.remove("client_secret");
    let public = fields.get("token_endpoint_auth_method").and_then(Value::as_str) == Some("none");
    let secret = (!public).then(random_secret);
    let token = new_token();
    respond(shared.write(|s| {
        let project =
            live_project(s, &slug).ok_or_else(|| ApiError::not_found(format!("No project has the slug {slug:?}.")))?;
        if !enabled(s, project) {
            return Err(ApiError::not_found("Dynamic registration is not enabled."));
        }
        let now = Utc::now();
        let client = OAuth2Client {
            id: Uuid::new_v4(),
            chosen_id: None,
            project_id: project,
            fields,
            secret_hash: secret.as_deref().map(hash_secret),
            registration_token_hash: Some(token_hash(&token)),
            created_at: now,
            updated_at: now,
        };
        let mut out = shown(&client, &host(&headers), &slug, &token);
        if let Some(secret) = &secret {
            out["client_secret"] = json!(secret);
        }
        s.oauth2_clients.insert(client.id, client);
        Ok((StatusCode::CREATED, Json(out)).into_response())
    }))
}

/// The client `id` of the project `slug` whose registration token was
/// presented; 401 for anything else, an unknown client included (as Hydra:
/// the answer tells no one which clients exist).
fn opened(s: &Store, slug: &str, id: &str, headers: &HeaderMap) -> Result<Uuid, ApiError> {
    let project = live_project(s, slug).ok_or_else(unauthorized)?;
    let presented = bearer_key(headers).ok_or_else(unauthorized)?;
    let id = Uuid::parse_str(id).map_err(|_| unauthorized())?;
    let client = s.oauth2_clients.get(&id).filter(|c| c.project_id == project).ok_or_else(unauthorized)?;
    if client.registration_token_hash.as_deref() != Some(token_hash(presented).as_str()) {
        return Err(unauthorized());
    }
    Ok(id)
}

async fn get(
    State(shared): State<Arc<Shared>>,
    Path((slug, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    respond(shared.read(|s| {
        let id = opened(s, &slug, &id, &headers)?;
        Ok(Json(render_client(&s.oauth2_clients[&id])).into_response())
    }))
}

/// Replaces what the client sets, keeping its secret, and makes a new
/// registration access token, as Hydra does on every update: the old one
/// stops working.
async fn set(
    State(shared): State<Arc<Shared>>,
    Path((slug, id)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let fields = match body_client(&body) {
        Ok(fields) => fields,
        Err(refused) => return refused.into_response(),
    };
    let token = new_token();
    respond(shared.write(|s| {
        let id = opened(s, &slug, &id, &headers)?;
        let client = s.oauth2_clients.get_mut(&id).expect("opened");
        client.fields = fields;
        client.registration_token_hash = Some(token_hash(&token));
        client.updated_at = Utc::now();
        Ok(Json(shown(client, &host(&headers), &slug, &token)).into_response())
    }))
}

async fn delete(
    State(shared): State<Arc<Shared>>,
    Path((slug, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    respond(shared.write(|s| {
        let id = opened(s, &slug, &id, &headers)?;
        s.oauth2_clients.remove(&id);
        Ok(StatusCode::NO_CONTENT.into_response())
    }))
}
