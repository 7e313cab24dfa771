//! Each project's trusted JWT grant issuers (Ory Hydra's RFC 7523 trust,
//! `/admin/trust/grants/jwt-bearer/issuers`): create, list, read, delete.
//! Hydra has no update: a trust is replaced, never changed.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::{json, Map, Value};
use uuid::Uuid;

use super::{json_object, page, respond, PageQuery, ProjectCaller, MAX_PAGE_SIZE};
use crate::emulator::http::{Routes, Shared};
use crate::emulator::store::{Store, TrustGrant};
use crate::emulator::ApiError;
use axum::http::Method;

const ALL: &str = "/project-api/{slug}/admin/trust/grants/jwt-bearer/issuers";
const ONE: &str = "/project-api/{slug}/admin/trust/grants/jwt-bearer/issuers/{id}";

pub fn routes() -> Routes {
    Routes::new()
        .op(Method::GET, ALL, "listTrustedOAuth2JwtGrantIssuers", list)
        .op(Method::POST, ALL, "trustOAuth2JwtGrantIssuer", create)
        .op(Method::GET, ONE, "getTrustedOAuth2JwtGrantIssuer", get)
        .op(Method::DELETE, ONE, "deleteTrustedOAuth2JwtGrantIssuer", delete)
}

/// The members of a JWK that only a private key has.
const PRIVATE_MEMBERS: [&str; 8] = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"];

fn not_found() -> ApiError {
    ApiError::not_found("Unable to locate the resource")
}

fn render(grant: &TrustGrant) -> Value {
    let mut out = grant.fields.clone();
    out.insert("id".into(), json!(grant.id));
    out.insert("public_key".into(), json!({ "set": grant.fields["issuer"], "kid": grant.jwk["kid"] }));
    out.insert("created_at".into(), json!(grant.created_at));
    Value::Object(out)
}

/// Hydra's checks of a new trust: an issuer, a list of scopes, a public
/// key with a `kid`, an expiry in the future, and either one subject or
/// any subject.
fn checked(body: &Map<String, Value>) -> Result<(Map<String, Value>, Value), ApiError> {
    let issuer = body.get("issuer").and_then(Value::as_str).filter(|i| !i.is_empty());
    let Some(issuer) = issuer else { return Err(ApiError::bad_request("issuer is required.")) };
    let scope = match body.get("scope") {
        Some(Value::Array(items)) if items.iter().all(Value::is_string) => items.clone(),
        _ => return Err(ApiError::bad_request("scope is required: a list of strings.")),
    };
    let Some(Value::Object(jwk)) = body.get("jwk") else {
        return Err(ApiError::bad_request("jwk is required: the issuer's public key."));
    };
    let missing = |member: &str| jwk.get(member).and_then(Value::as_str).is_none_or(str::is_empty);
    if missing("kid") || missing("kty") {
        return Err(ApiError::bad_request("The jwk needs kty and kid."));
    }
    if PRIVATE_MEMBERS.iter().any(|m| jwk.contains_key(*m)) {
        return Err(ApiError::bad_request("The jwk must be a public key: it holds private members."));
    }
    let expires_at = body.get("expires_at").and_then(Value::as_str).and_then(|t| DateTime::parse_from_rfc3339(t).ok());
    let Some(expires_at) = expires_at else {
        return Err(ApiError::bad_request("expires_at is required, in RFC 3339."));
    };
    if expires_at <= Utc::now() {
        return Err(ApiError::bad_request("expires_at must be in the future."));
    }
    let subject = body.get("subject").and_then(Value::as_str).filter(|s| !s.is_empty());
    let any = body.get("allow_any_subject").and_then(Value::as_bool).unwrap_or(false);
    if subject.is_some() == any {
        return Err(ApiError::bad_request("Set either subject or allow_any_subject, not both and not neither."));
    }
    let mut fields = Map::new();
    fields.insert("issuer".into(), json!(issuer));
    fields.insert("subject".into(), json!(subject.unwrap_or_default()));
    fields.insert("allow_any_subject".into(), json!(any));
    fields.insert("scope".into(), Value::Array(scope));
    fields.insert("expires_at".into(), json!(expires_at.with_timezone(&Utc).to_rfc3339()));
    Ok((fields, Value::Object(jwk.clone())))
}

async fn create(
    State(shared): State<Arc<Shared>>,
    axum::Extension(caller): axum::Extension<ProjectCaller>,
    body: Bytes,
) -> Response {
    let parsed = json_object(&body).map_err(ApiError::bad_request).and_then(|map| checked(&map));
    let (fields, jwk) = match parsed {
        Ok(parsed) => parsed,
        Err(e) => return e.into_response(),
    };
    respond(shared.write(|s| {
        let same = |g: &&TrustGrant| {
            g.project_id == caller.project
                && g.fields["issuer"] == fields["issuer"]
                && g.fields["subject"] == fields["subject"]
                && g.jwk["kid"] == jwk["kid"]
        };
        if s.trust_grants.values().any(|g| same(&g)) {
            return Err(ApiError::new(StatusCode::CONFLICT, "The issuer, subject and key ID are already trusted."));
        }
        let grant = TrustGrant { id: Uuid::new_v4(), project_id: caller.project, fields, jwk, created_at: Utc::now() };
        let shown = render(&grant);
        s.trust_grants.insert(grant.id, grant);
        Ok((StatusCode::CREATED, Json(shown)).into_response())
    }))
}

#[derive(Deserialize)]
struct ListQuery {
    #[serde(flatten)]
    page: PageQuery,
    issuer: Option<String>,
}

fn of_project(s: &Store, project: Uuid, issuer: Option<&str>) -> Vec<Uuid> {
    s.trust_grants
        .values()
        .filter(|g| g.project_id == project && issuer.is_none_or(|i| g.fields["issuer"] == i))
        .map(|g| g.id)
        .collect()
}

/// One page, by the `Link` header, as every listing of a project's API.
async fn list(
    State(shared): State<Arc<Shared>>,
    axum::Extension(caller): axum::Extension<ProjectCaller>,
    Path(slug): Path<String>,
    Query(query): Query<ListQuery>,
) -> Response {
    respond(shared.read(|s| {
        let path = format!("/project-api/{slug}/admin/trust/grants/jwt-bearer/issuers");
        let ids = of_project(s, caller.project, query.issuer.as_deref());
        let (ids, headers) = match page(ids, &query.page, MAX_PAGE_SIZE, &path, false) {
            Ok(page) => page,
            Err(refused) => return Ok(refused.into_response()),
        };
        let shown: Vec<Value> = ids.iter().map(|id| render(&s.trust_grants[id])).collect();
        Ok((headers, Json(shown)).into_response())
    }))
}

fn grant_of(s: &Store, project: Uuid, id: &str) -> Result<Uuid, ApiError> {
    let id = Uuid::parse_str(id).map_err(|_| not_found())?;
    s.trust_grants.get(&id).filter(|g| g.project_id == project).map(|g| g.id).ok_or_else(not_found)
}

async fn get(
    State(shared): State<Arc<Shared>>,
    axum::Extension(caller): axum::Extension<ProjectCaller>,
    Path((_, id)): Path<(String, String)>,
) -> Response {
    respond(shared.read(|s| {
        let id = grant_of(s, caller.project, &id)?;
        Ok(Json(render(&s.trust_grants[&id])).into_response())
    }))
}

async fn delete(
    State(shared): State<Arc<Shared>>,
    axum::Extension(caller): axum::Extension<ProjectCaller>,
    Path((_, id)): Path<(String, String)>,
) -> Response {
    respond(shared.write(|s| {
        let id = grant_of(s, caller.project, &id)?;
        s.trust_grants.remove(&id);
        Ok(StatusCode::NO_CONTENT.into_response())
    }))
}
