//! The project document: how a project renders as one, and the checks
//! every change to it passes (`setProject`, both PATCH calls and the
//! organization calls alike) before it is kept as a new revision.

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use serde::Serialize;
use serde_json::{json, Value};
use uuid::Uuid;

use super::config;
use super::store::{Project, ProjectState, Store};
use super::ApiError;

/// A project as its document renders, borrowed from the store, so that an
/// answer is written straight from it: a write to a large configuration
/// copies it into no second tree. The fields are in the order serde_json's
/// maps keep (by name), so that both forms write the same bytes.
#[derive(Serialize)]
pub(super) struct Document<'p> {
    cors_admin: &'p Value,
    cors_public: &'p Value,
    environment: &'p str,
    home_region: &'p str,
    id: Uuid,
    name: &'p str,
    organizations: &'p Value,
    revision_id: Uuid,
    scim_clients: &'p Value,
    services: &'p Value,
    slug: &'p str,
    state: ProjectState,
    workspace_id: Option<Uuid>,
}

impl<'p> Document<'p> {
    pub(super) fn of(p: &'p Project) -> Document<'p> {
        Document {
            cors_admin: &p.cors_admin,
            cors_public: &p.cors_public,
            environment: &p.environment,
            home_region: &p.home_region,
            id: p.id,
            name: &p.name,
            organizations: &p.organizations,
            revision_id: p.revision_id,
            scim_clients: &p.scim_clients,
            services: &p.services,
            slug: &p.slug,
            state: p.state,
            workspace_id: p.workspace_id,
        }
    }
}

/// The project document as a value, for a change to be computed on.
pub(super) fn full(p: &Project) -> Value {
    serde_json::to_value(Document::of(p)).expect("a project's fields are JSON")
}

/// The fields of the document a change may reach; the others are the
/// project's own.
pub(super) const CHANGEABLE: [&str; 6] =
    ["name", "services", "cors_admin", "cors_public", "organizations", "scim_clients"];

/// Whether `doc` changes what a project keeps of its document: one of
/// [`CHANGEABLE`].
fn changes(project: &Project, doc: &Value) -> bool {
    doc["name"].as_str() != Some(project.name.as_str())
        || doc["services"] != project.services
        || doc["cors_admin"] != project.cors_admin
        || doc["cors_public"] != project.cors_public
        || doc["organizations"] != project.organizations
        || doc["scim_clients"] != project.scim_clients
}

/// A JSON answer written once, from borrowed data, before the store's lock
/// is let go.
pub(super) struct Written(Vec<u8>);

impl Written {
    pub(super) fn of(answer: &impl Serialize) -> Result<Written, ApiError> {
        serde_json::to_vec(answer).map(Written).map_err(|e| {
            ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, format!("the answer could not be written: {e}"))
        })
    }
}

impl IntoResponse for Written {
    fn into_response(self) -> Response {
        ([(header::CONTENT_TYPE, "application/json")], self.0).into_response()
    }
}

pub(super) fn parse_id(id: &str) -> Result<Uuid, ApiError> {
    Uuid::parse_str(id).map_err(|_| ApiError::not_found(format!("No project with ID {id:?} exists.")))
}

/// A project that can still be changed: purged ones only answer GET.
pub(super) fn live<'s>(store: &'s mut Store, id: &str) -> Result<&'s mut Project, ApiError> {
    let id = parse_id(id)?;
    match store.projects.get_mut(&id) {
        Some(p) if p.is_live() => Ok(p),
        _ => Err(ApiError::not_found(format!("No project with ID {id} exists."))),
    }
}

/// Whether the workspace's plan has organizations (B2B).
pub(super) fn has_b2b(store: &Store) -> bool {
    !store.features_off.contains(FEATURE)
}

/// The largest project document kept. UNVERIFIED: Ory does not document
/// one; a real configuration is tens of kilobytes. Bounds the emulator's
/// memory and the time of every write to a project.
pub const MAX_DOCUMENT_BYTES: usize = 512 * 1024;

/// Keeps a changed project document after the checks Ory's validation
/// would make: operational keys are dropped with a warning, organizations
/// change only on plans with B2B (`b2b`), a new revision starts only when
/// something changed.
pub(super) fn store_document(project: &mut Project, mut doc: Value, b2b: bool) -> Result<Written, ApiError> {
    let name = doc["name"]
        .as_str()
        .filter(|n| !n.trim().is_empty())
        .ok_or_else(|| ApiError::bad_request("name must be a non-empty string"))?
        .to_string();
    if !doc["organizations"].is_array() {
        return Err(ApiError::bad_request("organizations must be an array"));
    }
    // A patch's path adds levels its value does not show.
    if super::value_depth(&doc) > super::MAX_JSON_DEPTH {
        return Err(super::too_deep("The project document"));
    }
    let size = super::store::json_len(&doc);
    if size > MAX_DOCUMENT_BYTES {
        return Err(ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("The project document would be {size} bytes; at most {MAX_DOCUMENT_BYTES} are kept."),
        ));
    }
    let warnings = config::drop_operational(&mut doc["services"]);
    config::check(&doc)?;
    if !b2b && doc["organizations"] != project.organizations {
        return Err(plan_gated());
    }
    check(&doc)?;
    check_scim_clients(&doc)?;
    if changes(project, &doc) {
        keep_times(project, &doc["organizations"]);
        project.name = name;
        project.services = doc["services"].take();
        project.cors_admin = doc["cors_admin"].take();
        project.cors_public = doc["cors_public"].take();
        project.organizations = doc["organizations"].take();
        project.scim_clients = doc["scim_clients"].take();
        project.revision_id = Uuid::new_v4();
        project.updated_at = Utc::now();
    }
    #[derive(Serialize)]
    struct Update<'p> {
        project: Document<'p>,
        warnings: Vec<Value>,
    }
    Written::of(&Update { project: Document::of(project), warnings })
}

/// SCIM clients: each of an organization of the project, with a unique
/// `client_id`, a label, a mapper, a secret and a `state` (Ory answers 500
/// without one, and a foreign-key error for an unknown organization; the
/// emulator answers 400 for both).
fn check_scim_clients(doc: &Value) -> Result<(), ApiError> {
    let clients = match &doc["scim_clients"] {
        Value::Null => return Ok(()),
        Value::Array(clients) => clients,
        _ => return Err(ApiError::bad_request("scim_clients must be an array")),
    };
    let organizations: Vec<&str> =
        doc["organizations"].as_array().into_iter().flatten().filter_map(|o| o["id"].as_str()).collect();
    let mut seen = Vec::new();
    for (i, client) in clients.iter().enumerate() {
        let at = |field: &str| format!("/scim_clients/{i}/{field}");
        for field in ["client_id", "label", "mapper_url", "authorization_header_secret", "organization_id"] {
            if client[field].as_str().is_none_or(|v| v.is_empty()) {
                return Err(ApiError::bad_request(format!("{} is required", at(field))));
            }
        }
        let id = client["client_id"].as_str().unwrap_or_default();
        if seen.contains(&id) {
            return Err(ApiError::bad_request(format!("{}: the SCIM client {id:?} is there twice", at("client_id"))));
        }
        seen.push(id);
        if !matches!(client["state"].as_str(), Some("enabled" | "disabled")) {
            return Err(ApiError::bad_request(format!("{} must be enabled or disabled", at("state"))));
        }
        if !organizations.contains(&client["organization_id"].as_str().unwrap_or_default()) {
            return Err(ApiError::bad_request(format!(
                "{}: insert or update on table \"project_revision_scim_clients\" violates foreign key constraint \"project_revision_scim_clients_organization_fkey\"",
                at("organization_id")
            )));
        }
    }
    Ok(())
}

pub const FEATURE: &str = "organizations";

/// The spec's `default_region` enum (basicOrganization, OrganizationBody).
const REGIONS: [&str; 8] = ["eu-central", "asia-northeast", "us-east", "us-west", "eu", "asia", "us", "global"];

pub(super) fn plan_gated() -> ApiError {
    let mut e = ApiError::new(
        StatusCode::FORBIDDEN,
        "Organizations (B2B single sign-on) are not included in this workspace's Ory Network plan.",
    );
    e.id = Some("feature_not_available");
    e.details = Some(json!({ "feature": FEATURE }));
    e
}

fn invalid(index: usize, field: &str, problem: impl std::fmt::Display) -> ApiError {
    ApiError::bad_request(format!("Unable to validate config: /organizations/{index}/{field}: {problem}"))
}

/// A domain name: labels of letters, digits and hyphens, at least two.
fn is_domain(d: &str) -> bool {
    let labels: Vec<&str> = d.split('.').collect();
    labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        })
}

/// A Go duration of whole s, m or h from 1m to 8760h (the spec's pattern
/// `^[0-9]+(s|m|h)$` and description).
fn is_lifespan(text: &str) -> bool {
    let Some(unit) = text.chars().last() else { return false };
    let Ok(n) = text[..text.len() - 1].parse::<u64>() else { return false };
    let seconds = match unit {
        's' => n,
        'm' => n.saturating_mul(60),
        'h' => n.saturating_mul(3600),
        _ => return false,
    };
    (60..=8760 * 3600).contains(&seconds)
}

/// The checks on a project document's organizations: each is a
/// `basicOrganization` with a UUID, a label and domains; no domain belongs to
/// two organizations (409); only `prod` and `stage` projects have any.
pub fn check(doc: &Value) -> Result<(), ApiError> {
    let Some(organizations) = doc["organizations"].as_array() else {
        return Err(ApiError::bad_request("organizations must be an array"));
    };
    if !organizations.is_empty() && !matches!(doc["environment"].as_str(), Some("prod" | "stage")) {
        return Err(ApiError::bad_request(format!(
            "Organizations are available on prod and stage projects only; this project's environment is {}.",
            doc["environment"]
        )));
    }
    let mut ids = std::collections::BTreeSet::new();
    let mut domains = std::collections::BTreeMap::new();
    for (i, org) in organizations.iter().enumerate() {
        let id = org["id"].as_str().filter(|id| Uuid::parse_str(id).is_ok());
        let Some(id) = id else { return Err(invalid(i, "id", "must be a UUID")) };
        if !ids.insert(id) {
            return Err(ApiError::conflict(format!("Two organizations have the ID {id}.")));
        }
        if org["label"].as_str().is_none_or(|l| l.trim().is_empty()) {
            return Err(invalid(i, "label", "must be a non-empty string"));
        }
        let Some(list) = org["domains"].as_array() else { return Err(invalid(i, "domains", "must be an array")) };
        for (j, domain) in list.iter().enumerate() {
            let Some(domain) = domain.as_str().filter(|d| is_domain(d)) else {
                return Err(invalid(
                    i,
                    &format!("domains/{j}"),
                    format_args!("{domain} is not a lowercase domain name"),
                ));
            };
            if let Some(other) = domains.insert(domain, id) {
                return Err(ApiError::conflict(format!(
                    "The domain {domain} already belongs to organization {other}; a domain belongs to one organization."
                )));
            }
        }
        match org.get("session_lifespan") {
            None | Some(Value::Null) => {}
            Some(Value::String(s)) if s.is_empty() || is_lifespan(s) => {}
            Some(other) => {
                return Err(invalid(i, "session_lifespan", format_args!("{other} must be a duration from 1m to 8760h")))
            }
        }
        match org.get("default_region") {
            None | Some(Value::Null) => {}
            Some(Value::String(s)) if s.is_empty() || REGIONS.contains(&s.as_str()) => {}
            Some(other) => {
                return Err(invalid(i, "default_region", format_args!("{other} must be one of {}", REGIONS.join(", "))))
            }
        }
    }
    Ok(())
}

/// Records when each organization of a changed document was created and
/// last changed.
pub fn keep_times(project: &mut Project, organizations: &Value) {
    let now = Utc::now();
    let before = project.organizations.as_array().cloned().unwrap_or_default();
    let mut times = std::mem::take(&mut project.organization_times);
    times.retain(|id, _| organizations.as_array().into_iter().flatten().any(|o| o["id"] == id.as_str()));
    for org in organizations.as_array().into_iter().flatten() {
        let Some(id) = org["id"].as_str() else { continue };
        let changed = !before.contains(org);
        let entry = times.entry(id.to_string()).or_insert((now, now));
        if changed {
            entry.1 = now;
        }
    }
    project.organization_times = times;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_project_writes_as_its_document_does_and_a_write_that_changes_nothing_keeps_its_revision() {
        let mut project: Project = serde_json::from_value(json!({
            "id": Uuid::new_v4(), "revision_id": Uuid::new_v4(), "slug": "s", "name": "n",
            "environment": "dev", "home_region": "eu-central", "state": "running", "workspace_id": null,
            "created_at": Utc::now(), "updated_at": Utc::now(),
            "services": { "identity": { "config": { "courier": {} } } }, "cors_admin": {}, "cors_public": {},
        }))
        .unwrap();
        // The borrowed form's fields are in the order a Value's map writes them.
        assert_eq!(serde_json::to_vec(&Document::of(&project)).unwrap(), serde_json::to_vec(&full(&project)).unwrap());
        let revision = project.revision_id;
        let unchanged = full(&project);
        store_document(&mut project, unchanged, true).unwrap();
        assert_eq!(project.revision_id, revision);
        let mut renamed = full(&project);
        renamed["name"] = json!("m");
        let Written(answer) = store_document(&mut project, renamed, true).unwrap();
        let answer: Value = serde_json::from_slice(&answer).unwrap();
        assert_ne!(project.revision_id, revision);
        assert_eq!(answer["project"], full(&project));
        assert_eq!(answer["project"]["name"], "m");
    }

    #[test]
    fn domains_and_lifespans_are_checked_like_the_spec_says() {
        assert!(is_domain("example.com") && is_domain("a-b.example.co"));
        assert!(!is_domain("example") && !is_domain("Example.com") && !is_domain("-a.com"));
        assert!(is_lifespan("1m") && is_lifespan("24h") && is_lifespan("8760h") && is_lifespan("60s"));
        assert!(!is_lifespan("59s") && !is_lifespan("8761h") && !is_lifespan("1d") && !is_lifespan("h"));
        let doc = |env: &str, orgs: Value| json!({ "environment": env, "organizations": orgs });
        let org = |id: &str, domain: &str| json!({ "id": id, "label": "L", "domains": [domain] });
        let (a, b) = ("3fa85f64-5717-4562-b3fc-2c963f66afa6", "3fa85f64-5717-4562-b3fc-2c963f66afa7");
        assert!(check(&doc("prod", json!([org(a, "a.com"), org(b, "b.com")]))).is_ok());
        assert_eq!(
            check(&doc("prod", json!([org(a, "a.com"), org(b, "a.com")]))).unwrap_err().status,
            StatusCode::CONFLICT
        );
        assert_eq!(check(&doc("dev", json!([org(a, "a.com")]))).unwrap_err().status, StatusCode::BAD_REQUEST);
        assert!(check(&doc("dev", json!([]))).is_ok());
    }
}
