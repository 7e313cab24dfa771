//! Ory Kratos' admin identities, as Kratos answers them.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use base64::Engine;
use chrono::Utc;
use serde_json::{json, Map, Value};
use uuid::Uuid;

use super::oauth2_clients::hash_secret;
use super::{body_object, respond, ProjectCaller};
use crate::emulator::http::{Routes, Shared};
use crate::emulator::store::{Identity, Store};
use crate::emulator::ApiError;

pub fn routes() -> Routes {
    Routes::new()
        .op(Method::GET, "/project-api/{slug}/admin/identities", "listIdentities", listing::identities_list)
        .op(Method::POST, "/project-api/{slug}/admin/identities", "createIdentity", identity_create)
        .op(Method::GET, "/project-api/{slug}/admin/identities/{id}", "getIdentity", identity_get)
        .op(Method::PUT, "/project-api/{slug}/admin/identities/{id}", "updateIdentity", identity_update)
        .op(Method::DELETE, "/project-api/{slug}/admin/identities/{id}", "deleteIdentity", identity_delete)
}

const IDENTITY_STATES: &[&str] = &["active", "inactive"];

fn identity_not_found() -> ApiError {
    ApiError::no_rows()
}

/// The JSON Schema of a project's identity schema `id`: its `base64://`
/// content, or Ory's preset. `None` for a schema the emulator cannot read
/// (an `https://` URL): such traits are taken as they are (UNVERIFIED).
fn schema_of(s: &Store, project: Uuid, id: &str) -> Result<Option<Value>, ApiError> {
    let config = &s.projects[&project].services["identity"]["config"]["identity"];
    let schemas = config["schemas"].as_array().cloned().unwrap_or_default();
    let Some(entry) = schemas.iter().find(|e| e["id"] == id) else {
        // Ory's presets are there for every project (Ory's provider's
        // acceptance tests make `preset://username` identities in projects
        // that list only `preset://email`). UNVERIFIED beyond those tests.
        if let Some(preset) = preset(id) {
            return Ok(Some(preset));
        }
        return Err(ApiError::bad_request(format!(
            "The identity schema {id:?} is not one of the project's identity schemas ({}).",
            schemas.iter().filter_map(|e| e["id"].as_str()).collect::<Vec<_>>().join(", ")
        )));
    };
    let url = entry["url"].as_str().unwrap_or_default();
    if let Some(preset) = preset(url) {
        return Ok(Some(preset));
    }
    let content = url
        .strip_prefix("base64://")
        .and_then(|b| base64::engine::general_purpose::STANDARD.decode(b).ok())
        .and_then(|bytes| serde_json::from_slice::<Value>(&bytes).ok());
    Ok(content)
}

/// Kratos' check of traits against the schema: 400 with the schema's
/// message and the trait's JSON pointer.
fn check_traits(schema: &Value, traits: &Value) -> Result<(), ApiError> {
    let Ok(validator) = jsonschema::validator_for(schema) else {
        return Err(ApiError::bad_request("The identity schema is not a valid JSON Schema."));
    };
    let document = json!({ "traits": traits });
    let errors: Vec<String> = validator
        .iter_errors(&document)
        .map(|e| format!("I[#{}] S[#{}] {}", e.instance_path(), e.schema_path(), e))
        .collect();
    if errors.is_empty() {
        return Ok(());
    }
    // No `id`: the spec allows only `feature_not_available` and `quota_exceeded`.
    Err(ApiError::bad_request(format!("The traits do not match the identity schema: {}", errors.join("; "))))
}

/// The addresses a schema marks for verification and recovery, from traits.
fn addresses(schema: &Value, traits: &Value, now: &str) -> (Vec<Value>, Vec<Value>) {
    let mut verifiable = Vec::new();
    let mut recovery = Vec::new();
    let properties = schema["properties"]["traits"]["properties"].as_object().cloned().unwrap_or_default();
    for (key, property) in properties {
        let Some(value) = traits[&key].as_str() else { continue };
        let kratos = &property["ory.sh/kratos"];
        if let Some(via) = kratos["verification"]["via"].as_str() {
            verifiable.push(json!({"id": Uuid::new_v4(), "value": value.to_lowercase(), "verified": false, "via": via,
                "status": "pending", "created_at": now, "updated_at": now}));
        }
        if let Some(via) = kratos["recovery"]["via"].as_str() {
            recovery.push(json!({"id": Uuid::new_v4(), "value": value.to_lowercase(), "via": via, "created_at": now, "updated_at": now}));
        }
    }
    (verifiable, recovery)
}

/// What a create or an update body sets of an identity, checked.
struct IdentityBody {
    schema_id: String,
    traits: Value,
    state: String,
    metadata_public: Value,
    metadata_admin: Value,
    external_id: Option<String>,
    organization_id: Option<String>,
    password: Option<String>,
}

fn identity_body(
    s: &Store,
    project: Uuid,
    body: &Map<String, Value>,
    updating: bool,
) -> Result<IdentityBody, ApiError> {
    let schema_id = match body.get("schema_id").and_then(Value::as_str) {
        Some(id) => id.to_string(),
        None => return Err(ApiError::bad_request("schema_id is required.")),
    };
    let Some(traits) = body.get("traits").filter(|t| t.is_object()).cloned() else {
        return Err(ApiError::bad_request("traits is required and must be an object."));
    };
    let state = match body.get("state").and_then(Value::as_str) {
        Some(state) if IDENTITY_STATES.contains(&state) => state.to_string(),
        Some(state) => return Err(ApiError::bad_request(format!("state must be active or inactive; got {state:?}."))),
        None if updating => return Err(ApiError::bad_request("state is required.")),
        None => "active".to_string(),
    };
    if let Some(schema) = schema_of(s, project, &schema_id)? {
        check_traits(&schema, &traits)?;
    }
    let password = match body.get("credentials").and_then(|c| c.get("password")).and_then(|p| p.get("config")) {
        Some(config) => match (
            config.get("password").and_then(Value::as_str),
            config.get("hashed_password").and_then(Value::as_str),
        ) {
            (Some(password), None) => Some(hash_secret(password)),
            (None, Some(hash)) if hash.starts_with('$') => Some(hash.to_string()),
            (None, Some(_)) => return Err(ApiError::bad_request("hashed_password must be a hash in PHC format.")),
            _ => {
                return Err(ApiError::bad_request("A password credential needs password or hashed_password, not both."))
            }
        },
        None => None,
    };
    let text = |key: &str| body.get(key).and_then(Value::as_str).filter(|v| !v.is_empty()).map(str::to_string);
    if let Some(org) = text("organization_id") {
        if Uuid::parse_str(&org).is_err() {
            return Err(ApiError::bad_request("organization_id must be a UUID."));
        }
    }
    Ok(IdentityBody {
        schema_id,
        traits,
        state,
        metadata_public: body.get("metadata_public").cloned().unwrap_or(Value::Null),
        metadata_admin: body.get("metadata_admin").cloned().unwrap_or(Value::Null),
        external_id: text("external_id"),
        organization_id: text("organization_id"),
        password,
    })
}

fn render_identity(slug: &str, i: &Identity) -> Value {
    let mut out = i.fields.clone();
    out.insert("id".into(), json!(i.id));
    let schema =
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(i.fields["schema_id"].as_str().unwrap_or_default());
    out.insert("schema_url".into(), json!(format!("/project-api/{slug}/schemas/{schema}")));
    out.insert("created_at".into(), json!(i.created_at));
    out.insert("updated_at".into(), json!(i.updated_at));
    Value::Object(out)
}

/// A create's or update's answer: Kratos answers from what it was sent,
/// where a metadata_admin left out is no bytes, and leaves it out
/// (omitempty); its reads show it as null.
fn answered(mut shown: Value) -> Value {
    if shown["metadata_admin"].is_null() {
        shown.as_object_mut().map(|o| o.remove("metadata_admin"));
    }
    shown
}

fn identities_of(s: &Store, project: Uuid) -> Vec<Uuid> {
    s.identities.values().filter(|i| i.project_id == project).map(|i| i.id).collect()
}

/// The identity fields a body sets, over `fields`, and the addresses it implies.
fn apply_identity(s: &Store, project: Uuid, fields: &mut Map<String, Value>, body: IdentityBody, now: &str) {
    let schema = schema_of(s, project, &body.schema_id).ok().flatten().unwrap_or_default();
    let (verifiable, recovery) = addresses(&schema, &body.traits, now);
    match credentials(&schema, &body.traits, now) {
        Some(shown) => fields.insert("credentials".into(), shown),
        None => fields.remove("credentials"),
    };
    if fields.get("state").and_then(Value::as_str) != Some(body.state.as_str()) {
        fields.insert("state_changed_at".into(), json!(now));
    }
    fields.insert("schema_id".into(), json!(body.schema_id));
    fields.insert("traits".into(), body.traits);
    fields.insert("state".into(), json!(body.state));
    fields.insert("metadata_public".into(), body.metadata_public);
    fields.insert("metadata_admin".into(), body.metadata_admin);
    fields.insert("verifiable_addresses".into(), json!(verifiable));
    fields.insert("recovery_addresses".into(), json!(recovery));
    fields.insert("organization_id".into(), json!(body.organization_id));
    match body.external_id {
        Some(id) => fields.insert("external_id".into(), json!(id)),
        None => fields.remove("external_id"),
    };
}

/// What Kratos shows of an identity's credentials, by type: the traits the
/// schema marks as that type's identifiers, never a secret. Kratos v1.3.1
/// keeps a password credential (version 0) and a one-time code one
/// (version 1) for every identity with such identifiers, a password set or
/// not. `None` when there is none: Kratos then leaves the field out.
fn credentials(schema: &Value, traits: &Value, now: &str) -> Option<Value> {
    let properties = schema["properties"]["traits"]["properties"].as_object().cloned().unwrap_or_default();
    let identifiers = |kind: &str| -> Vec<String> {
        properties
            .iter()
            .filter(|(_, p)| p["ory.sh/kratos"]["credentials"][kind]["identifier"] == true)
            .filter_map(|(key, _)| traits[key].as_str().map(|v| v.trim().to_lowercase()))
            .collect()
    };
    let shown = |kind: &str, identifiers: Vec<String>, version: u8| json!({"type": kind, "identifiers": identifiers, "version": version, "created_at": now, "updated_at": now});
    let mut out = Map::new();
    for (kind, version) in [("password", 0), ("code", 1)] {
        let identifiers = identifiers(kind);
        if !identifiers.is_empty() {
            out.insert(kind.into(), shown(kind, identifiers, version));
        }
    }
    (!out.is_empty()).then_some(Value::Object(out))
}

/// Whether an identity has `identifier` among its credentials' identifiers,
/// as Kratos' `credentials_identifier` filter finds it.
fn has_identifier(i: &Identity, identifier: &str) -> bool {
    let wanted = identifier.trim().to_lowercase();
    i.fields.get("credentials").and_then(Value::as_object).is_some_and(|all| {
        all.values().any(|c| {
            c["identifiers"].as_array().is_some_and(|ids| ids.iter().any(|id| id.as_str() == Some(wanted.as_str())))
        })
    })
}

/// The traits a schema marks as password identifiers, which no two
/// identities of a project share.
fn identifier_keys(s: &Store, project: Uuid, schema_id: &str) -> Vec<String> {
    let schema = schema_of(s, project, schema_id).ok().flatten().unwrap_or_default();
    let properties = schema["properties"]["traits"]["properties"].as_object().cloned().unwrap_or_default();
    properties
        .into_iter()
        .filter(|(_, p)| p["ory.sh/kratos"]["credentials"]["password"]["identifier"] == true)
        .map(|(key, _)| key)
        .collect()
}

/// A 409 when another identity of the project holds one of `body`'s
/// identifiers or its external ID. Each schema is read once per call, not
/// once per identity: a project's identities mostly share one.
fn taken(s: &Store, project: Uuid, except: Option<Uuid>, body: &IdentityBody) -> Option<ApiError> {
    let mut keys_of: std::collections::HashMap<String, Vec<String>> = std::collections::HashMap::new();
    let mut identifiers = |schema_id: &str, traits: &Value| -> Vec<String> {
        let keys = keys_of.entry(schema_id.to_string()).or_insert_with(|| identifier_keys(s, project, schema_id));
        keys.iter().filter_map(|key| traits[key].as_str().map(str::to_lowercase)).collect()
    };
    let mine = identifiers(&body.schema_id, &body.traits);
    let clashes = s.identities.values().filter(|i| i.project_id == project && Some(i.id) != except).any(|i| {
        let theirs = identifiers(i.fields["schema_id"].as_str().unwrap_or_default(), &i.fields["traits"]);
        theirs.iter().any(|t| mine.contains(t))
            || body.external_id.as_ref().is_some_and(|e| i.fields.get("external_id").and_then(Value::as_str) == Some(e))
    });
    clashes.then(|| ApiError::conflict("This identity conflicts with another identity that already exists."))
}

async fn identity_create(
    State(shared): State<Arc<Shared>>,
    axum::Extension(caller): axum::Extension<ProjectCaller>,
    Path(slug): Path<String>,
    body: Bytes,
) -> Response {
    let body = match body_object(&body, false) {
        Ok(body) => body,
        Err(refused) => return refused.into_response(),
    };
    respond(shared.write(|s| {
        let checked = identity_body(s, caller.project, &body, false)?;
        if let Some(conflict) = taken(s, caller.project, None, &checked) {
            return Err(conflict);
        }
        let now = Utc::now();
        let password = checked.password.clone();
        let mut fields = Map::new();
        apply_identity(s, caller.project, &mut fields, checked, &now.to_rfc3339());
        let identity = Identity {
            id: Uuid::new_v4(),
            project_id: caller.project,
            fields,
            password_hash: password,
            created_at: now,
            updated_at: now,
        };
        let shown = answered(render_identity(&slug, &identity));
        s.identities.insert(identity.id, identity);
        Ok((StatusCode::CREATED, Json(shown)).into_response())
    }))
}

fn identity_of(s: &Store, project: Uuid, id: &str) -> Result<Uuid, ApiError> {
    let id = Uuid::parse_str(id).map_err(|_| identity_not_found())?;
    s.identities.get(&id).filter(|i| i.project_id == project).map(|i| i.id).ok_or_else(identity_not_found)
}

async fn identity_get(
    State(shared): State<Arc<Shared>>,
    axum::Extension(caller): axum::Extension<ProjectCaller>,
    Path((slug, id)): Path<(String, String)>,
) -> Response {
    respond(shared.read(|s| {
        let id = identity_of(s, caller.project, &id)?;
        Ok(Json(render_identity(&slug, &s.identities[&id])).into_response())
    }))
}

/// `updateIdentity`: replaces what the body sets; a password sent replaces the old one.
async fn identity_update(
    State(shared): State<Arc<Shared>>,
    axum::Extension(caller): axum::Extension<ProjectCaller>,
    Path((slug, id)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    let body = match body_object(&body, false) {
        Ok(body) => body,
        Err(refused) => return refused.into_response(),
    };
    respond(shared.write(|s| {
        let id = identity_of(s, caller.project, &id)?;
        let checked = identity_body(s, caller.project, &body, true)?;
        if let Some(conflict) = taken(s, caller.project, Some(id), &checked) {
            return Err(conflict);
        }
        let now = Utc::now();
        let password = checked.password.clone();
        let mut fields = s.identities[&id].fields.clone();
        let organization = fields.get("organization_id").cloned().unwrap_or(Value::Null);
        apply_identity(s, caller.project, &mut fields, checked, &now.to_rfc3339());
        // The spec's updateIdentityBody has no organization_id, and Kratos'
        // decoder ignores fields it does not know: one sent changes nothing.
        fields.insert("organization_id".into(), organization);
        let identity = s.identities.get_mut(&id).expect("found above");
        identity.fields = fields;
        if password.is_some() {
            identity.password_hash = password;
        }
        identity.updated_at = now;
        Ok(Json(answered(render_identity(&slug, identity))).into_response())
    }))
}

async fn identity_delete(
    State(shared): State<Arc<Shared>>,
    axum::Extension(caller): axum::Extension<ProjectCaller>,
    Path((_, id)): Path<(String, String)>,
) -> Response {
    respond(shared.write(|s| {
        let id = identity_of(s, caller.project, &id)?;
        s.identities.remove(&id);
        Ok(StatusCode::NO_CONTENT.into_response())
    }))
}

mod listing;
mod presets;

pub(crate) use presets::preset;

#[cfg(test)]
mod tests;
