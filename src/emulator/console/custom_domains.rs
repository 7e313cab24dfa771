//! Custom domains of a project (`CustomDomain` of Ory's SDK 1.22.87). The
//! public spec lists no routes for them; these follow Ory's provider's
//! client (`/projects/{project_id}/cname`), UNVERIFIED beyond it. A domain
//! starts `pending` until Ory sees its DNS record: here, until a test calls
//! `POST /__emulator/projects/{project_id}/cname/{domain_id}/verify`.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use chrono::Utc;
use serde::Deserialize;
use serde_json::{json, Value};
use uuid::Uuid;

use crate::emulator::documents::live;
use crate::emulator::{parse_body, ApiError, Method, Routes, Shared};

pub fn routes() -> Routes {
    Routes::new()
        .op(Method::GET, "/projects/{project_id}/cname", "listCustomDomains", list)
        .op(Method::POST, "/projects/{project_id}/cname", "createCustomDomain", create)
        .op(Method::PUT, "/projects/{project_id}/cname/{domain_id}", "setCustomDomain", set)
        .op(Method::DELETE, "/projects/{project_id}/cname/{domain_id}", "deleteCustomDomain", delete)
}

/// `CreateCustomDomainBody` and `SetCustomDomainBody`: the same fields.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Body {
    hostname: Option<String>,
    cookie_domain: Option<String>,
    cors_enabled: Option<bool>,
    cors_allowed_origins: Option<Vec<String>>,
    custom_ui_base_url: Option<String>,
}

fn is_hostname(name: &str) -> bool {
    let labels: Vec<&str> = name.split('.').collect();
    labels.len() >= 2
        && name.len() <= 253
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        })
}

/// The domain a body describes, checked: a hostname no other domain has,
/// and a cookie domain it is under.
fn domain_of(body: Body, others: &[&Value], id: Uuid, created_at: Value) -> Result<Value, ApiError> {
    let hostname =
        body.hostname.filter(|h| !h.is_empty()).ok_or_else(|| ApiError::bad_request("hostname is required"))?;
    if !is_hostname(&hostname) {
        return Err(ApiError::bad_request(format!("hostname {hostname:?} is not a DNS hostname")));
    }
    if others.iter().any(|d| d["hostname"] == hostname.as_str()) {
        return Err(ApiError::new(StatusCode::CONFLICT, format!("The hostname {hostname:?} is already in use.")));
    }
    if let Some(cookie) = body.cookie_domain.as_deref().filter(|c| !c.is_empty()) {
        if hostname != cookie && !hostname.ends_with(&format!(".{cookie}")) {
            return Err(ApiError::bad_request(format!(
                "cookie_domain {cookie:?} must be {hostname:?} or a parent domain of it"
            )));
        }
    }
    let now = json!(Utc::now());
    Ok(json!({
        "id": id,
        "hostname": hostname,
        "cookie_domain": body.cookie_domain.unwrap_or_default(),
        "cors_enabled": body.cors_enabled.unwrap_or(false),
        "cors_allowed_origins": body.cors_allowed_origins.unwrap_or_default(),
        "custom_ui_base_url": body.custom_ui_base_url.unwrap_or_default(),
        "verification_status": "pending",
        "verification_errors": [],
        "ssl_status": "pending_validation",
        "created_at": if created_at.is_null() { now.clone() } else { created_at },
        "updated_at": now,
    }))
}

async fn list(State(shared): State<Arc<Shared>>, Path(project): Path<String>) -> Result<Json<Value>, ApiError> {
    shared.write(|s| Ok(Json(Value::Array(live(s, &project)?.custom_domains.clone()))))
}

async fn create(
    State(shared): State<Arc<Shared>>,
    Path(project): Path<String>,
    body: Bytes,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let body: Body = parse_body(&body)?;
    shared.write(|s| {
        let hostnames: Vec<Value> = s.projects.values().flat_map(|p| p.custom_domains.clone()).collect();
        let project = live(s, &project)?;
        let domain = domain_of(body, &hostnames.iter().collect::<Vec<_>>(), Uuid::new_v4(), Value::Null)?;
        project.custom_domains.push(domain.clone());
        Ok((StatusCode::CREATED, Json(domain)))
    })
}

async fn set(
    State(shared): State<Arc<Shared>>,
    Path((project, id)): Path<(String, String)>,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    let body: Body = parse_body(&body)?;
    shared.write(|s| {
        let others: Vec<Value> =
            s.projects.values().flat_map(|p| p.custom_domains.clone()).filter(|d| d["id"] != id.as_str()).collect();
        let project = live(s, &project)?;
        let Some(domain) = project.custom_domains.iter_mut().find(|d| d["id"] == id.as_str()) else {
            return Err(ApiError::not_found("No custom domain with that ID exists."));
        };
        let uuid = Uuid::parse_str(&id).unwrap_or_default();
        let mut next = domain_of(body, &others.iter().collect::<Vec<_>>(), uuid, domain["created_at"].clone())?;
        // Ory verifies a hostname once: the same one stays verified.
        if next["hostname"] == domain["hostname"] {
            for kept in ["verification_status", "verification_errors", "ssl_status"] {
                next[kept] = domain[kept].take();
            }
        }
        *domain = next;
        Ok(Json(domain.clone()))
    })
}

async fn delete(
    State(shared): State<Arc<Shared>>,
    Path((project, id)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    shared.write(|s| {
        let project = live(s, &project)?;
        let before = project.custom_domains.len();
        project.custom_domains.retain(|d| d["id"] != id.as_str());
        if project.custom_domains.len() == before {
            return Err(ApiError::not_found("No custom domain with that ID exists."));
        }
        Ok(StatusCode::NO_CONTENT)
    })
}

/// The emulator's stand-in for Ory seeing the domain's DNS record.
pub async fn admin_verify(
    State(shared): State<Arc<Shared>>,
    Path((project, id)): Path<(String, String)>,
) -> Result<Json<Value>, ApiError> {
    shared.write(|s| {
        let project = live(s, &project)?;
        let Some(domain) = project.custom_domains.iter_mut().find(|d| d["id"] == id.as_str()) else {
            return Err(ApiError::not_found("No custom domain with that ID exists."));
        };
        domain["verification_status"] = json!("active");
        domain["ssl_status"] = json!("active");
        Ok(Json(domain.clone()))
    })
}
