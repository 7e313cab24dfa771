//! B2B SSO organizations and their onboarding portal links. Organizations
//! live in the project document (`project.organizations`, `basicOrganization`),
//! so the deprecated CRUD calls, `setProject` and both PATCH calls change the
//! same list, through the same checks, each making a new revision.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::Json;
use chrono::{DateTime, Duration, Utc};
use serde_json::{json, Map, Value};
use uuid::Uuid;

use crate::emulator::documents::{full, live, plan_gated, store_document, FEATURE};
use crate::emulator::store::{PortalLink, Project, Store};
use crate::emulator::{parse_body, query, ApiError, Method, Routes, Shared};

pub fn routes() -> Routes {
    Routes::new()
        .op(Method::GET, "/projects/{project_id}/organizations", "listOrganizations", list)
        .op(Method::POST, "/projects/{project_id}/organizations", "createOrganization", create)
        .op(Method::GET, "/projects/{project_id}/organizations/{organization_id}", "getOrganization", read)
        .op(Method::PUT, "/projects/{project_id}/organizations/{organization_id}", "updateOrganization", update)
        .op(Method::DELETE, "/projects/{project_id}/organizations/{organization_id}", "deleteOrganization", remove)
        .op(Method::GET, "/projects/{project_id}/organizations/{organization_id}/onboarding-portal-links", "getOrganizationOnboardingPortalLinks", links_list)
        .op(Method::POST, "/projects/{project_id}/organizations/{organization_id}/onboarding-portal-links", "createOrganizationOnboardingPortalLink", links_create)
        .op(Method::POST, "/projects/{project_id}/organizations/{organization_id}/onboarding-portal-links/{onboarding_portal_link_id}", "updateOrganizationOnboardingPortalLink", links_update)
        .op(Method::DELETE, "/projects/{project_id}/organizations/{organization_id}/onboarding-portal-links/{onboarding_portal_link_id}", "deleteOrganizationOnboardingPortalLink", links_delete)
}

/// The fields of `OrganizationBody`, the only ones a client sets.
const SETTABLE: [&str; 4] = ["label", "domains", "default_region", "session_lifespan"];

/// An organization as `organization` renders it: the document's fields and
/// its times; empty optional fields are left out.
fn render(project: &Project, org: &Value) -> Value {
    let mut out: Map<String, Value> = org
        .as_object()
        .into_iter()
        .flatten()
        .filter(|(_, v)| !v.is_null() && *v != "")
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let id = org["id"].as_str().unwrap_or_default();
    if let Some((created, updated)) = project.organization_times.get(id) {
        out.insert("created_at".into(), json!(created));
        out.insert("updated_at".into(), json!(updated));
    }
    Value::Object(out)
}

/// The project, if it may have organizations at all (the plan has them).
fn project<'s>(store: &'s mut Store, id: &str) -> Result<&'s mut Project, ApiError> {
    if store.features_off.contains(FEATURE) {
        return Err(plan_gated());
    }
    live(store, id)
}

fn position(project: &Project, id: &str) -> Result<usize, ApiError> {
    project
        .organizations
        .as_array()
        .and_then(|orgs| orgs.iter().position(|o| o["id"] == id))
        .ok_or_else(|| ApiError::not_found(format!("No organization with ID {id:?} exists in this project.")))
}

/// `OrganizationBody`, checked for what its fields are; the document's
/// checks follow when it is stored.
fn body_fields(body: &Bytes) -> Result<Map<String, Value>, ApiError> {
    let body: Map<String, Value> = parse_body(body)?;
    if let Some(unknown) = body.keys().find(|k| !SETTABLE.contains(&k.as_str())) {
        return Err(ApiError::bad_request(format!("{unknown} is not a field of an organization body")));
    }
    for (field, value) in &body {
        let fits = match field.as_str() {
            "domains" => value.as_array().is_some_and(|d| d.iter().all(Value::is_string)),
            _ => value.is_string(),
        };
        if !fits {
            return Err(ApiError::bad_request(format!("{field} has the wrong type")));
        }
    }
    Ok(body)
}

/// Stores a changed organization list through the document's checks.
fn save(project: &mut Project, organizations: Vec<Value>) -> Result<(), ApiError> {
    let mut doc = full(project);
    doc["organizations"] = Value::Array(organizations);
    // The CRUD calls check the plan before they get here.
    store_document(project, doc, true).map(drop)
}

async fn list(
    State(shared): State<Arc<Shared>>,
    Path(project_id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Json<Value>, ApiError> {
    let q = query(raw.as_deref(), &["page_size", "page_token", "domain"])?;
    let size = crate::emulator::page_size(q.get("page_size"))?;
    shared.write(|store| {
        let project = project(store, &project_id)?;
        let orgs: Vec<&Value> = project
            .organizations
            .as_array()
            .into_iter()
            .flatten()
            .filter(|o| {
                q.get("domain").is_none_or(|d| o["domains"].as_array().is_some_and(|ds| ds.iter().any(|x| x == d)))
            })
            .collect();
        let start = match q.get("page_token").filter(|t| !t.is_empty()) {
            None => 0,
            Some(token) => orgs
                .iter()
                .position(|o| o["id"] == token.as_str())
                .ok_or_else(|| ApiError::bad_request("page_token is not a token this API issued"))?,
        };
        let page: Vec<Value> = orgs.iter().skip(start).take(size).map(|o| render(project, o)).collect();
        let next = orgs.get(start + size).and_then(|o| o["id"].as_str()).unwrap_or_default();
        Ok(Json(json!({ "organizations": page, "next_page_token": next, "has_next_page": !next.is_empty() })))
    })
}

async fn create(
    State(shared): State<Arc<Shared>>,
    Path(project_id): Path<String>,
    body: Bytes,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let mut org = body_fields(&body)?;
    if !org.contains_key("label") {
        return Err(ApiError::bad_request("label is required"));
    }
    org.entry("domains").or_insert_with(|| json!([]));
    let id = Uuid::new_v4().to_string();
    org.insert("id".into(), json!(id));
    shared.write(|store| {
        let project = project(store, &project_id)?;
        let mut orgs = project.organizations.as_array().cloned().unwrap_or_default();
        orgs.push(Value::Object(org));
        save(project, orgs)?;
        let created = &project.organizations[position(project, &id)?];
        Ok((StatusCode::CREATED, Json(render(project, created))))
    })
}

async fn read(
    State(shared): State<Arc<Shared>>,
    Path((project_id, id)): Path<(String, String)>,
) -> Result<Json<Value>, ApiError> {
    shared.write(|store| {
        let project = project(store, &project_id)?;
        let org = &project.organizations[position(project, &id)?];
        Ok(Json(json!({ "organization": render(project, org) })))
    })
}

/// `updateOrganization`: the fields given replace; a field left out keeps
/// its value, and an empty `default_region` or `session_lifespan` clears it
/// (the spec: "On update, an empty string clears the value").
async fn update(
    State(shared): State<Arc<Shared>>,
    Path((project_id, id)): Path<(String, String)>,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    let changes = body_fields(&body)?;
    shared.write(|store| {
        let project = project(store, &project_id)?;
        let at = position(project, &id)?;
        let mut orgs = project.organizations.as_array().cloned().unwrap_or_default();
        for (field, value) in changes {
            match (&mut orgs[at], value) {
                (Value::Object(org), Value::String(s)) if s.is_empty() && field != "label" => {
                    org.remove(&field);
                }
                (Value::Object(org), value) => {
                    org.insert(field, value);
                }
                _ => {}
            }
        }
        save(project, orgs)?;
        Ok(Json(render(project, &project.organizations[at])))
    })
}

/// Deleting an organization takes its portal links with it.
async fn remove(
    State(shared): State<Arc<Shared>>,
    Path((project_id, id)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    shared.write(|store| {
        let project = project(store, &project_id)?;
        let at = position(project, &id)?;
        let mut orgs = project.organizations.as_array().cloned().unwrap_or_default();
        orgs.remove(at);
        save(project, orgs)?;
        store.portal_links.retain(|_, l| l.organization_id.to_string() != id);
        Ok(StatusCode::NO_CONTENT)
    })
}

/// The fields of a portal link body besides `expires_at`.
const LINK_FIELDS: [&str; 17] = [
    "enable_sso",
    "enable_scim",
    "custom_hostname_id",
    "apple_mapper_url",
    "auth0_mapper_url",
    "facebook_mapper_url",
    "generic_oidc_mapper_url",
    "github_mapper_url",
    "gitlab_mapper_url",
    "google_mapper_url",
    "microsoft_mapper_url",
    "netid_mapper_url",
    "proxy_acs_url",
    "proxy_oidc_redirect_url",
    "proxy_saml_audience_override",
    "proxy_scim_server_url",
    "saml_mapper_url",
];
/// UNVERIFIED: how long a link lives when the body names no expiry.
const LINK_LIFETIME_DAYS: i64 = 7;

fn render_link(link: &PortalLink) -> Value {
    let mut out = link.settings.clone();
    out.insert("id".into(), json!(link.id));
    out.insert("value".into(), json!(link.value));
    out.insert("project_id".into(), json!(link.project_id));
    out.insert("organization_id".into(), json!(link.organization_id));
    out.insert("created_at".into(), json!(link.created_at));
    out.insert("expires_at".into(), json!(link.expires_at));
    Value::Object(out)
}

/// A link body's settings, and its expiry when it names one.
type LinkBody = (Map<String, Value>, Option<DateTime<Utc>>);

/// A link body: `enable_sso` and `enable_scim` required, `expires_at` an
/// RFC 3339 time in the future, the rest strings (`custom_hostname_id` a
/// UUID or null). `all` says whether the create-only fields may appear.
fn link_body(body: &Bytes, all: bool) -> Result<LinkBody, ApiError> {
    let mut body: Map<String, Value> = parse_body(body)?;
    let expires = match body.remove("expires_at") {
        None | Some(Value::Null) => None,
        Some(Value::String(t)) => {
            let t = DateTime::parse_from_rfc3339(&t)
                .map_err(|_| ApiError::bad_request(format!("expires_at {t:?} is not an RFC 3339 time")))?
                .with_timezone(&Utc);
            if t <= Utc::now() {
                return Err(ApiError::bad_request("expires_at must be in the future"));
            }
            Some(t)
        }
        Some(other) => return Err(ApiError::bad_request(format!("expires_at {other} is not a time"))),
    };
    for required in ["enable_sso", "enable_scim"] {
        if !body.get(required).is_some_and(Value::is_boolean) {
            return Err(ApiError::bad_request(format!("{required} is required and must be a boolean")));
        }
    }
    for (field, value) in &body {
        let allowed =
            if all { LINK_FIELDS.contains(&field.as_str()) } else { LINK_FIELDS[..2].contains(&field.as_str()) };
        let fits = match field.as_str() {
            "enable_sso" | "enable_scim" => value.is_boolean(),
            "custom_hostname_id" => value.is_null() || value.as_str().is_some_and(|v| Uuid::parse_str(v).is_ok()),
            _ => value.is_string(),
        };
        if !allowed || !fits {
            return Err(ApiError::bad_request(format!("{field} is not a field of this body, or has the wrong type")));
        }
    }
    Ok((body, expires))
}

/// The project and organization a link call names, both live.
fn link_owner(store: &mut Store, project_id: &str, org: &str) -> Result<(Uuid, Uuid, String), ApiError> {
    let project = project(store, project_id)?;
    position(project, org)?;
    let org = Uuid::parse_str(org).map_err(|_| ApiError::not_found("No organization with that ID exists."))?;
    Ok((project.id, org, project.slug.clone()))
}

async fn links_list(
    State(shared): State<Arc<Shared>>,
    Path((project_id, org)): Path<(String, String)>,
) -> Result<Json<Value>, ApiError> {
    shared.write(|store| {
        let (_, org, _) = link_owner(store, &project_id, &org)?;
        let links: Vec<Value> =
            store.portal_links.values().filter(|l| l.organization_id == org).map(render_link).collect();
        Ok(Json(json!({ "links": links })))
    })
}

async fn links_create(
    State(shared): State<Arc<Shared>>,
    Path((project_id, org)): Path<(String, String)>,
    body: Bytes,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let (settings, expires) = link_body(&body, true)?;
    shared.write(|store| {
        let (project_id, organization_id, slug) = link_owner(store, &project_id, &org)?;
        let now = Utc::now();
        let token = crate::emulator::store::new_key_value("");
        let link = PortalLink {
            id: Uuid::new_v4(),
            project_id,
            organization_id,
            value: format!("https://{slug}.projects.oryapis.com/onboarding/{token}"),
            created_at: now,
            expires_at: expires.unwrap_or(now + Duration::days(LINK_LIFETIME_DAYS)),
            settings,
        };
        let answer = render_link(&link);
        store.portal_links.insert(link.id, link);
        Ok((StatusCode::CREATED, Json(answer)))
    })
}

/// `updateOrganizationOnboardingPortalLink`: `enable_sso`, `enable_scim`,
/// and `expires_at` when given.
async fn links_update(
    State(shared): State<Arc<Shared>>,
    Path((project_id, org, link)): Path<(String, String, String)>,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    let (settings, expires) = link_body(&body, false)?;
    shared.write(|store| {
        let (_, org, _) = link_owner(store, &project_id, &org)?;
        let link = Uuid::parse_str(&link)
            .ok()
            .and_then(|id| store.portal_links.get_mut(&id))
            .filter(|l| l.organization_id == org)
            .ok_or_else(|| ApiError::not_found("No onboarding portal link with that ID exists."))?;
        link.settings.extend(settings);
        if let Some(expires) = expires {
            link.expires_at = expires;
        }
        Ok(Json(render_link(link)))
    })
}

async fn links_delete(
    State(shared): State<Arc<Shared>>,
    Path((project_id, org, link)): Path<(String, String, String)>,
) -> Result<StatusCode, ApiError> {
    shared.write(|store| {
        let (_, org, _) = link_owner(store, &project_id, &org)?;
        let id = Uuid::parse_str(&link)
            .ok()
            .filter(|id| store.portal_links.get(id).is_some_and(|l| l.organization_id == org))
            .ok_or_else(|| ApiError::not_found("No onboarding portal link with that ID exists."))?;
        store.portal_links.remove(&id);
        Ok(StatusCode::NO_CONTENT)
    })
}
