//! Each project's relationships (Ory Keto's relation tuples): write one,
//! list them by page with filters, delete those a query matches, and list
//! the project's namespaces. A tuple's namespace, and its subject set's,
//! must be one the project's configuration declares, in its OPL or in the
//! legacy list (see `config::namespaces`).

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};
use uuid::Uuid;

use super::{cut, json_object, respond, ProjectCaller};
use crate::emulator::http::{Routes, Shared};
use crate::emulator::store::{Relationship, Store};
use crate::emulator::{config, ApiError};
use axum::http::Method;

const TUPLES: &str = "/project-api/{slug}/relation-tuples";
const ADMIN_TUPLES: &str = "/project-api/{slug}/admin/relation-tuples";

pub fn routes() -> Routes {
    Routes::new()
        .op(Method::GET, TUPLES, "getRelationships", list)
        .op(Method::PUT, ADMIN_TUPLES, "createRelationship", create)
        .op(Method::DELETE, ADMIN_TUPLES, "deleteRelationships", delete)
        .op(Method::GET, "/project-api/{slug}/namespaces", "listRelationshipNamespaces", namespaces)
}

/// Keto's page sizes (UNVERIFIED: Ory Network's largest page).
const DEFAULT_PAGE: usize = 100;
const MAX_PAGE: usize = 1000;

/// The namespaces project `project` declares now.
fn declared(s: &Store, project: Uuid) -> Vec<String> {
    let setting = s.projects.get(&project).map(|p| &p.services["permission"]["config"]["namespaces"]);
    setting.and_then(|setting| config::namespaces(setting).ok()).unwrap_or_default()
}

fn unknown_namespace(name: &str) -> ApiError {
    ApiError::not_found(format!("Unknown namespace with name {name:?}."))
}

/// What a tuple is, as one text: the same tuple is one row (a write of a
/// tuple that exists changes nothing; UNVERIFIED whether Keto answers it
/// with 201 too, as this does).
fn row_id(project: Uuid, tuple: &Relationship) -> Uuid {
    let text = format!("{project}\n{}", render(tuple));
    Uuid::new_v5(&Uuid::NAMESPACE_OID, text.as_bytes())
}

fn render(tuple: &Relationship) -> Value {
    let mut out = json!({ "namespace": tuple.namespace, "object": tuple.object, "relation": tuple.relation });
    match (&tuple.subject_id, &tuple.subject_set) {
        (Some(id), _) => out["subject_id"] = json!(id),
        (None, Some([namespace, object, relation])) => {
            out["subject_set"] = json!({ "namespace": namespace, "object": object, "relation": relation })
        }
        (None, None) => {}
    }
    out
}

/// Keto's checks of a tuple to write: namespace, object and relation, and
/// exactly one of a subject ID and a subject set, whose namespace is known
/// too. Relations are not checked against the OPL (Keto checks them only in
/// its strict mode, off by default).
fn tuple_of(s: &Store, project: Uuid, body: &Bytes) -> Result<Relationship, ApiError> {
    let body = json_object(body).map_err(ApiError::bad_request)?;
    let text = |map: &serde_json::Map<String, Value>, key: &str| -> Result<String, ApiError> {
        match map.get(key) {
            Some(Value::String(text)) if !text.is_empty() => Ok(text.clone()),
            _ => Err(ApiError::bad_request(format!("{key} is required: a non-empty string."))),
        }
    };
    let subject_set = match body.get("subject_set") {
        None | Some(Value::Null) => None,
        // Keto takes a subject set without a relation (`User:alice`), the
        // usual subject of a strict-mode model.
        Some(Value::Object(set)) => {
            let relation = match set.get("relation") {
                None | Some(Value::Null) => String::new(),
                Some(Value::String(relation)) => relation.clone(),
                Some(_) => return Err(ApiError::bad_request("subject_set.relation is a string.")),
            };
            Some([text(set, "namespace")?, text(set, "object")?, relation])
        }
        Some(_) => return Err(ApiError::bad_request("subject_set is an object: namespace, object, relation.")),
    };
    let subject_id = match body.get("subject_id") {
        None | Some(Value::Null) => None,
        Some(_) => Some(text(&body, "subject_id")?),
    };
    if subject_id.is_some() == subject_set.is_some() {
        return Err(ApiError::bad_request("exactly one of subject_set or subject_id has to be provided"));
    }
    let tuple = Relationship {
        id: Uuid::nil(),
        project_id: project,
        namespace: text(&body, "namespace")?,
        object: text(&body, "object")?,
        relation: text(&body, "relation")?,
        subject_id,
        subject_set,
    };
    let known = declared(s, project);
    let namespaces = std::iter::once(&tuple.namespace).chain(tuple.subject_set.as_ref().map(|[n, _, _]| n));
    if let Some(unknown) = namespaces.into_iter().find(|n| !known.contains(n)) {
        return Err(unknown_namespace(unknown));
    }
    Ok(Relationship { id: row_id(project, &tuple), ..tuple })
}

async fn create(
    State(shared): State<Arc<Shared>>,
    axum::Extension(caller): axum::Extension<ProjectCaller>,
    body: Bytes,
) -> Response {
    respond(shared.write(|s| {
        let tuple = tuple_of(s, caller.project, &body)?;
        let shown = render(&tuple);
        if !s.relationships.contains_key(&tuple.id) {
            s.relationships.insert(tuple.id, tuple);
        }
        Ok((StatusCode::CREATED, Json(shown)).into_response())
    }))
}

/// A query on tuples: every field optional, as Keto's.
#[derive(Deserialize, Default)]
struct Filter {
    namespace: Option<String>,
    object: Option<String>,
    relation: Option<String>,
    subject_id: Option<String>,
    #[serde(rename = "subject_set.namespace")]
    set_namespace: Option<String>,
    #[serde(rename = "subject_set.object")]
    set_object: Option<String>,
    #[serde(rename = "subject_set.relation")]
    set_relation: Option<String>,
}

impl Filter {
    fn set(&self) -> Option<[&str; 3]> {
        match (&self.set_namespace, &self.set_object, &self.set_relation) {
            (None, None, None) => None,
            (n, o, r) => Some([n, o, r].map(|part| part.as_deref().unwrap_or_default())),
        }
    }

    fn checked(&self, s: &Store, project: Uuid) -> Result<(), ApiError> {
        if self.subject_id.is_some() && self.set().is_some() {
            return Err(ApiError::bad_request("exactly one of subject_set or subject_id has to be provided"));
        }
        let parts = [&self.set_namespace, &self.set_object, &self.set_relation];
        if self.set().is_some() && parts.iter().any(|part| part.is_none()) {
            return Err(ApiError::bad_request(
                "a subject set in a query needs all of subject_set.namespace, subject_set.object and subject_set.relation",
            ));
        }
        let known = declared(s, project);
        let named = self.namespace.iter().chain(&self.set_namespace);
        match named.into_iter().find(|n| !known.contains(n)) {
            Some(unknown) => Err(unknown_namespace(unknown)),
            None => Ok(()),
        }
    }

    fn matches(&self, tuple: &Relationship) -> bool {
        let same = |wanted: &Option<String>, have: &str| wanted.as_deref().is_none_or(|w| w == have);
        same(&self.namespace, &tuple.namespace)
            && same(&self.object, &tuple.object)
            && same(&self.relation, &tuple.relation)
            && self.subject_id.as_ref().is_none_or(|id| tuple.subject_id.as_ref() == Some(id))
            && self.set().is_none_or(|set| {
                tuple.subject_set.as_ref().is_some_and(|have| have.each_ref().map(String::as_str) == set)
            })
    }
}

fn matching(s: &Store, project: Uuid, filter: &Filter) -> Vec<Uuid> {
    s.relationships.values().filter(|t| t.project_id == project && filter.matches(t)).map(|t| t.id).collect()
}

#[derive(Deserialize)]
struct ListQuery {
    page_size: Option<String>,
    page_token: Option<String>,
    #[serde(flatten)]
    filter: Filter,
}

/// One page, with the token of the next in the body, as Keto pages.
async fn list(
    State(shared): State<Arc<Shared>>,
    axum::Extension(caller): axum::Extension<ProjectCaller>,
    Query(query): Query<ListQuery>,
) -> Response {
    respond(shared.read(|s| {
        query.filter.checked(s, caller.project)?;
        let size = match query.page_size.as_deref() {
            None => DEFAULT_PAGE,
            Some(text) => text.parse::<usize>().ok().filter(|n| (1..=MAX_PAGE).contains(n)).ok_or_else(|| {
                ApiError::bad_request(format!("page_size must be a number from 1 to {MAX_PAGE}; got {text:?}."))
            })?,
        };
        let ids = matching(s, caller.project, &query.filter);
        let (ids, next) = cut(ids, size, query.page_token.as_deref()).map_err(ApiError::bad_request)?;
        let tuples: Vec<Value> = ids.iter().map(|id| render(&s.relationships[id])).collect();
        Ok(Json(json!({ "relation_tuples": tuples, "next_page_token": next.unwrap_or_default() })).into_response())
    }))
}

/// Deletes every tuple the query matches; none is no error. A query
/// without a namespace is refused rather than deleting across namespaces
/// (UNVERIFIED: whether Keto deletes every tuple of the project then).
async fn delete(
    State(shared): State<Arc<Shared>>,
    axum::Extension(caller): axum::Extension<ProjectCaller>,
    Query(filter): Query<Filter>,
) -> Response {
    respond(shared.write(|s| {
        if filter.namespace.is_none() {
            return Err(ApiError::bad_request("namespace is required to delete relationships."));
        }
        filter.checked(s, caller.project)?;
        for id in matching(s, caller.project, &filter) {
            s.relationships.remove(&id);
        }
        Ok(StatusCode::NO_CONTENT.into_response())
    }))
}

async fn namespaces(
    State(shared): State<Arc<Shared>>,
    axum::Extension(caller): axum::Extension<ProjectCaller>,
) -> Response {
    respond(shared.read(|s| {
        let names: Vec<Value> = declared(s, caller.project).into_iter().map(|name| json!({ "name": name })).collect();
        Ok(Json(json!({ "namespaces": names })).into_response())
    }))
}
