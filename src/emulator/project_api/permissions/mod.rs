//! Ory Keto's permission checks on a project's tuples and OPL:
//! `checkPermission` and `postCheckPermission` (200 with `allowed`), their
//! `...OrError` twins (403 when not allowed) and `batchCheckPermission`,
//! answered by Keto's engine (`engine`) in its default mode.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Map, Value};
use std::collections::HashMap;

use super::{json_object, respond, ProjectCaller};
use crate::emulator::http::{Routes, Shared};
use crate::emulator::store::Store;
use crate::emulator::{config, ApiError};

pub mod engine;
mod expand;

use engine::{Answer, Engine, Limits, Question, Subject};

const CHECK: &str = "/project-api/{slug}/relation-tuples/check";
const CHECK_OPENAPI: &str = "/project-api/{slug}/relation-tuples/check/openapi";
const BATCH: &str = "/project-api/{slug}/relation-tuples/batch/check";
const EXPAND: &str = "/project-api/{slug}/relation-tuples/expand";

/// Keto's default `limit.max_batch_check_size`.
const MAX_BATCH: usize = 10;

pub fn routes() -> Routes {
    Routes::new()
        .op(Method::GET, CHECK_OPENAPI, "checkPermission", check_permission)
        .op(Method::GET, CHECK, "checkPermissionOrError", check_permission_or_error)
        .op(Method::POST, CHECK_OPENAPI, "postCheckPermission", post_check_permission)
        .op(Method::POST, CHECK, "postCheckPermissionOrError", post_check_permission_or_error)
        .op(Method::POST, BATCH, "batchCheckPermission", batch)
        .op(Method::GET, EXPAND, "expandPermissions", expand_permissions)
}

/// The tree of a subject set (`namespace`, `object`, `relation`), to
/// `max-depth` clamped as a check's.
async fn expand_permissions(State(shared): State<Arc<Shared>>, caller: Caller, Query(q): Params) -> Response {
    respond(shared.read(|s| {
        let depth = max_depth(&q)?;
        let set = ["namespace", "object", "relation"].map(|k| q.get(k).cloned().unwrap_or_default());
        let (namespaces, limits) = keto_of(s, caller.project)?;
        if !namespaces.iter().any(|n| n.name == set[0].as_bytes()) {
            return Err(ApiError::not_found("The requested resource could not be found"));
        }
        let tuples = s.relationships.values().filter(|t| t.project_id == caller.project).collect();
        match expand::Expansion::new(&namespaces, tuples, limits.strict).tree(set, limits.depth(depth)) {
            Some(tree) => Ok(Json(tree).into_response()),
            // UNVERIFIED: Keto writes this error with its own status.
            None => Err(ApiError::not_found("no relation tuple found")),
        }
    }))
}

async fn check_permission(shared: State<Arc<Shared>>, caller: Caller, q: Params) -> Response {
    get_check(shared, caller, q, false).await
}

async fn check_permission_or_error(shared: State<Arc<Shared>>, caller: Caller, q: Params) -> Response {
    get_check(shared, caller, q, true).await
}

async fn post_check_permission(shared: State<Arc<Shared>>, caller: Caller, q: Params, body: Bytes) -> Response {
    post_check(shared, caller, q, body, false).await
}

async fn post_check_permission_or_error(
    shared: State<Arc<Shared>>,
    caller: Caller,
    q: Params,
    body: Bytes,
) -> Response {
    post_check(shared, caller, q, body, true).await
}

type Params = Query<HashMap<String, String>>;
type Caller = axum::Extension<ProjectCaller>;

async fn get_check(State(shared): State<Arc<Shared>>, caller: Caller, Query(q): Params, or_error: bool) -> Response {
    respond(shared.read(|s| {
        let depth = max_depth(&q)?;
        let question = question_of_query(&q)?;
        Ok(answered(ask(s, caller.project, &question, depth)?, or_error))
    }))
}

async fn post_check(
    State(shared): State<Arc<Shared>>,
    caller: Caller,
    Query(q): Params,
    body: Bytes,
    or_error: bool,
) -> Response {
    respond(shared.read(|s| {
        let depth = max_depth(&q)?;
        let question = question_of_body(&json_object(&body).map_err(could_not_read)?)?;
        Ok(answered(ask(s, caller.project, &question, depth)?, or_error))
    }))
}

async fn batch(State(shared): State<Arc<Shared>>, caller: Caller, Query(q): Params, body: Bytes) -> Response {
    respond(shared.read(|s| {
        let depth = max_depth(&q)?;
        let body = json_object(&body).map_err(could_not_read)?;
        let tuples = match body.get("tuples") {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(tuples)) => tuples.clone(),
            Some(_) => return Err(could_not_read("tuples is a list of relationships".into())),
        };
        if tuples.len() > MAX_BATCH {
            return Err(ApiError::bad_request(format!("batch exceeds max size of {MAX_BATCH}")));
        }
        let results: Vec<Value> = tuples
            .iter()
            .map(|tuple| {
                let object = tuple.as_object().cloned().unwrap_or_default();
                match question_of_body(&object).and_then(|q| ask(s, caller.project, &q, depth)) {
                    Ok(answer) => json!({ "allowed": answer }),
                    Err(e) => json!({ "allowed": false, "error": e.reason }),
                }
            })
            .collect();
        Ok(Json(json!({ "results": results })).into_response())
    }))
}

fn could_not_read(why: String) -> ApiError {
    ApiError::bad_request(format!("could not unmarshal json: {why}"))
}

fn answered(allowed: bool, or_error: bool) -> Response {
    let status = if allowed || !or_error { StatusCode::OK } else { StatusCode::FORBIDDEN };
    (status, Json(json!({ "allowed": allowed }))).into_response()
}

/// `max-depth`, Keto's name for it: 0 (the project's limit) when absent.
fn max_depth(q: &HashMap<String, String>) -> Result<i64, ApiError> {
    match q.get("max-depth") {
        None => Ok(0),
        Some(text) => text
            .parse()
            .map_err(|e| ApiError::bad_request(format!("unable to parse 'max-depth' query parameter to int: {e}"))),
    }
}

fn keto_error(message: &'static str) -> ApiError {
    ApiError { message: Some(message), ..ApiError::bad_request("") }
}

fn question_of_query(q: &HashMap<String, String>) -> Result<Question, ApiError> {
    if q.contains_key("subject") {
        return Err(ApiError::bad_request(
            "provide \"subject_id\" or \"subject_set.*\"; support for \"subject\" was dropped",
        ));
    }
    let set = ["subject_set.namespace", "subject_set.object", "subject_set.relation"].map(|k| q.get(k).cloned());
    let subject = match (q.get("subject_id"), set) {
        (None, [None, None, None]) => return Err(keto_error("subject is not allowed to be nil")),
        (Some(_), [Some(_), ..] | [_, Some(_), _] | [.., Some(_)]) => {
            return Err(keto_error("exactly one of subject_set or subject_id has to be provided"))
        }
        (Some(id), _) => Subject::Id(id.clone()),
        (None, [Some(n), Some(o), Some(r)]) => Subject::Set([n, o, r]),
        (None, _) => {
            return Err(keto_error("incomplete subject, provide \"subject_id\" or a complete \"subject_set.*\""))
        }
    };
    match ["namespace", "object", "relation"].map(|k| q.get(k).cloned()) {
        [Some(namespace), Some(object), Some(relation)] => Ok(Question { namespace, object, relation, subject }),
        _ => Err(keto_error("incomplete tuple, provide \"namespace\", \"object\", \"relation\", and a subject")),
    }
}

fn question_of_body(body: &Map<String, Value>) -> Result<Question, ApiError> {
    let text =
        |map: &Map<String, Value>, key: &str| map.get(key).and_then(Value::as_str).unwrap_or_default().to_string();
    let subject = match (body.get("subject_id").and_then(Value::as_str), body.get("subject_set")) {
        (Some(_), Some(Value::Object(_))) => {
            return Err(keto_error("exactly one of subject_set or subject_id has to be provided"))
        }
        (Some(id), _) => Subject::Id(id.to_string()),
        (None, Some(Value::Object(set))) => {
            Subject::Set([text(set, "namespace"), text(set, "object"), text(set, "relation")])
        }
        _ => return Err(keto_error("subject is not allowed to be nil")),
    };
    Ok(Question {
        namespace: text(body, "namespace"),
        object: text(body, "object"),
        relation: text(body, "relation"),
        subject,
    })
}

/// The engine's answer; a namespace the project does not declare is no
/// error here (Keto answers not allowed), but is in a batch.
/// The project's namespaces and Keto settings.
fn keto_of(s: &Store, project: uuid::Uuid) -> Result<(Vec<crate::emulator::opl::Namespace>, Limits), ApiError> {
    let Some(stored) = s.projects.get(&project) else { return Err(ApiError::not_found("No such project.")) };
    let keto = &stored.services["permission"]["config"];
    let namespaces = config::namespace_models(&keto["namespaces"]).unwrap_or_default();
    let limits = Limits {
        max_read_depth: keto["limit"]["max_read_depth"].as_i64().unwrap_or(5),
        max_read_width: keto["limit"]["max_read_width"].as_u64().map_or(100, |w| w as usize),
        strict: keto["feature_flags"]["strict_mode"] == true,
    };
    Ok((namespaces, limits))
}

fn ask(s: &Store, project: uuid::Uuid, question: &Question, max_depth: i64) -> Result<bool, ApiError> {
    let (namespaces, limits) = keto_of(s, project)?;
    let named = std::iter::once(&question.namespace).chain(match &question.subject {
        Subject::Set([namespace, ..]) => Some(namespace),
        Subject::Id(_) => None,
    });
    if named.into_iter().any(|n| !namespaces.iter().any(|declared| declared.name == n.as_bytes())) {
        return Err(ApiError::not_found("The requested resource could not be found"));
    }
    let tuples = s.relationships.values().filter(|t| t.project_id == project).collect();
    match (Engine { namespaces: &namespaces, tuples, limits }).check(question, max_depth) {
        Answer::Member => Ok(true),
        Answer::NotMember => Ok(false),
        // Keto's strict mode says when a limit cut the check short.
        Answer::Unknown(limit) if limits.strict => Err(ApiError {
            message: Some("The check could not be completed"),
            ..ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, limit.name())
        }),
        Answer::Unknown(_) => Ok(false),
        Answer::Error(reason) => Err(ApiError::bad_request(reason)),
    }
}

#[cfg(test)]
mod tests;
