//! Event streams of a project, with the destination checks Ory documents:
//! SNS needs a topic ARN and an IAM role ARN; HTTPS needs an https:// URL,
//! and authenticates with nothing, an API key header or a bearer token.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use chrono::Utc;
use serde::Deserialize;
use serde_json::{json, Value};
use uuid::Uuid;

use crate::emulator::store::{EventStream, Store};
use crate::emulator::{parse_body, ApiError, Method, Routes, Shared};

pub fn routes() -> Routes {
    Routes::new()
        .op(Method::GET, "/projects/{project_id}/eventstreams", "listEventStreams", streams_list)
        .op(Method::POST, "/projects/{project_id}/eventstreams", "createEventStream", streams_create)
        .op(Method::PUT, "/projects/{project_id}/eventstreams/{event_stream_id}", "setEventStream", streams_set)
        .op(
            Method::DELETE,
            "/projects/{project_id}/eventstreams/{event_stream_id}",
            "deleteEventStream",
            streams_delete,
        )
}

pub const FEATURE: &str = "event_streams";

/// The answer for a workspace whose plan lacks event streams: Ory's provider
/// reads `error.id = feature_not_available` with `details.feature`.
fn plan_gated() -> ApiError {
    let mut e = ApiError::new(
        StatusCode::FORBIDDEN,
        "Live event streams are available on Ory Network Enterprise plans; this workspace's plan does not include them.",
    );
    e.id = Some("feature_not_available");
    e.details = Some(json!({ "feature": FEATURE }));
    e
}

/// What every answer shows in place of a secret: an endpoint's user,
/// password and query values, and an auth secret (1.22.87: "returned
/// masked"). UNVERIFIED how Ory spells it.
pub const MASK: &str = "REDACTED";

/// The endpoint as answers show it: userinfo and query values masked.
fn masked(endpoint: &str) -> String {
    let Ok(mut url) = reqwest::Url::parse(endpoint) else { return endpoint.to_string() };
    if !url.username().is_empty() {
        let _ = url.set_username(MASK);
    }
    if url.password().is_some() {
        let _ = url.set_password(Some(MASK));
    }
    if url.query().is_some() {
        let pairs: Vec<(String, String)> = url
            .query_pairs()
            .map(|(k, v)| (k.into_owned(), if v.is_empty() { String::new() } else { MASK.to_string() }))
            .collect();
        url.query_pairs_mut().clear().extend_pairs(pairs);
    }
    url.to_string()
}

/// Whether an endpoint carries a masked part of an answer: sent back, it
/// would replace the stored secret with the mask.
fn carries_mask(endpoint: &str) -> bool {
    reqwest::Url::parse(endpoint).is_ok_and(|url| {
        url.username() == MASK || url.password() == Some(MASK) || url.query_pairs().any(|(_, v)| v == MASK)
    })
}

/// A stream as `eventStream` renders it: the destination fields of its
/// type only (the spec types them as strings, never null).
fn render(s: &EventStream) -> Value {
    let mut v = json!({
        "id": s.id,
        "type": s.kind,
        "status": s.status,
        "created_at": s.created_at,
        "updated_at": s.updated_at,
        // Set by Ory's connectivity test, which the emulator never makes.
        "http_protocol_major_version": null,
    });
    let https = s.kind == "https";
    let fields = [
        ("topic_arn", s.topic_arn.clone()),
        ("role_arn", s.role_arn.clone()),
        ("https_endpoint", s.https_endpoint.as_deref().map(masked)),
        ("https_auth_type", https.then(|| s.https_auth_type.clone().unwrap_or_else(|| "none".into()))),
        ("https_auth_header_name", s.https_auth_header_name.clone()),
        ("https_auth_secret", s.https_auth_secret.as_ref().map(|_| MASK.to_string())),
    ];
    for (field, value) in fields {
        if let Some(value) = value {
            v[field] = json!(value);
        }
    }
    v
}

fn live_project(store: &Store, id: &str) -> Result<Uuid, ApiError> {
    let id = Uuid::parse_str(id).ok().filter(|id| store.projects.get(id).is_some_and(|p| p.is_live()));
    let id = id.ok_or_else(|| ApiError::not_found("No project with that ID exists."))?;
    if store.features_off.contains(FEATURE) {
        return Err(plan_gated());
    }
    Ok(id)
}

fn is_account(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
}

/// `arn:<partition>:sns:<region>:<account>:<topic>`
fn is_topic_arn(arn: &str) -> bool {
    let p: Vec<&str> = arn.split(':').collect();
    p.len() == 6
        && p[0] == "arn"
        && p[1].starts_with("aws")
        && p[2] == "sns"
        && !p[3].is_empty()
        && is_account(p[4])
        && !p[5].is_empty()
}

/// `arn:<partition>:iam::<account>:role/<name>`
fn is_role_arn(arn: &str) -> bool {
    let p: Vec<&str> = arn.split(':').collect();
    p.len() == 6
        && p[0] == "arn"
        && p[1].starts_with("aws")
        && p[2] == "iam"
        && p[3].is_empty()
        && is_account(p[4])
        && p[5].strip_prefix("role/").is_some_and(|n| !n.is_empty())
}

/// Checks a stream as it would be after a change.
fn check(s: &EventStream) -> Result<(), ApiError> {
    match s.kind.as_str() {
        "sns" => {
            let topic =
                s.topic_arn.as_deref().ok_or_else(|| ApiError::bad_request("topic_arn is required for type sns"))?;
            let role =
                s.role_arn.as_deref().ok_or_else(|| ApiError::bad_request("role_arn is required for type sns"))?;
            if !is_topic_arn(topic) {
                return Err(ApiError::bad_request(format!(
                    "topic_arn {topic:?} is not an SNS topic ARN (arn:aws:sns:<region>:<account>:<topic>)"
                )));
            }
            if !is_role_arn(role) {
                return Err(ApiError::bad_request(format!(
                    "role_arn {role:?} is not an IAM role ARN (arn:aws:iam::<account>:role/<name>)"
                )));
            }
        }
        "https" => {
            check_auth(s)?;
            let endpoint = s
                .https_endpoint
                .as_deref()
                .ok_or_else(|| ApiError::bad_request("https_endpoint is required for type https"))?;
            match reqwest::Url::parse(endpoint) {
                Ok(u) if u.scheme() == "https" && u.host().is_some() => {}
                _ => {
                    return Err(ApiError::bad_request(
                        "https_endpoint must be an https:// URL; plain HTTP is not supported",
                    ))
                }
            }
        }
        other => return Err(ApiError::bad_request(format!("type must be one of sns, https; got {other:?}"))),
    }
    if s.kind != "https" {
        let auth = [
            ("https_auth_type", s.https_auth_type.as_ref().filter(|t| *t != "none")),
            ("https_auth_header_name", s.https_auth_header_name.as_ref()),
            ("https_auth_secret", s.https_auth_secret.as_ref()),
        ];
        if let Some((field, _)) = auth.iter().find(|(_, v)| v.is_some()) {
            return Err(ApiError::bad_request(format!("{field} applies to type https only")));
        }
    }
    if !matches!(s.status.as_str(), "active" | "paused") {
        return Err(ApiError::bad_request(format!("status must be one of active, paused; got {:?}", s.status)));
    }
    Ok(())
}

/// Headers an API key may not travel in: those Ory sets on every delivery,
/// and the connection-specific ones HTTP/2 forbids (1.22.87 names
/// Connection, Keep-Alive, Upgrade and TE; the rest are UNVERIFIED).
const RESERVED_HEADERS: &[&str] = &[
    "connection",
    "keep-alive",
    "upgrade",
    "te",
    "transfer-encoding",
    "proxy-connection",
    "host",
    "content-type",
    "content-length",
    "user-agent",
];

/// The longest auth secret taken (1.22.87: "at most 4096 bytes").
const MAX_SECRET_BYTES: usize = 4096;

fn check_auth(s: &EventStream) -> Result<(), ApiError> {
    let kind = s.https_auth_type.as_deref().unwrap_or("none");
    let (needs_header, needs_secret) = match kind {
        "none" => (false, false),
        "bearer" => (false, true),
        "api_key" => (true, true),
        other => {
            return Err(ApiError::bad_request(format!(
                "https_auth_type must be one of none, api_key, bearer; got {other:?}"
            )))
        }
    };
    match (&s.https_auth_header_name, needs_header) {
        (None, true) => {
            return Err(ApiError::bad_request("https_auth_header_name is required for https_auth_type api_key"))
        }
        (Some(_), false) => {
            return Err(ApiError::bad_request(format!(
                "https_auth_header_name applies to https_auth_type api_key only, not {kind:?}"
            )))
        }
        (Some(name), true) => {
            let token =
                !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b));
            if !token {
                return Err(ApiError::bad_request(format!(
                    "https_auth_header_name {name:?} is not an HTTP header name"
                )));
            }
            if RESERVED_HEADERS.contains(&name.to_ascii_lowercase().as_str()) {
                return Err(ApiError::bad_request(format!(
                    "https_auth_header_name {name:?} is a header Ory sets itself or a connection-specific header"
                )));
            }
        }
        (None, false) => {}
    }
    match (&s.https_auth_secret, needs_secret) {
        (None, true) => Err(ApiError::bad_request(format!("https_auth_secret is required for https_auth_type {kind}"))),
        (Some(_), false) => {
            Err(ApiError::bad_request("https_auth_secret applies to https_auth_type api_key or bearer only"))
        }
        (Some(secret), true) if secret.is_empty() || secret.len() > MAX_SECRET_BYTES => {
            Err(ApiError::bad_request(format!("https_auth_secret must be 1 to {MAX_SECRET_BYTES} bytes long")))
        }
        _ => Ok(()),
    }
}

/// Refuses a masked value of an answer sent back (1.22.87: "a masked value
/// sent back is rejected"), before it could replace what it hides.
fn refuse_masks(body: &Body) -> Result<(), ApiError> {
    if body.https_endpoint.as_deref().is_some_and(carries_mask) {
        return Err(ApiError::bad_request(
            "https_endpoint carries a masked value from an API response; send the real endpoint, or omit it to keep the stored one",
        ));
    }
    if body.https_auth_secret.as_deref() == Some(MASK) {
        return Err(ApiError::bad_request(
            "https_auth_secret is the masked value from an API response; send the real secret, or omit it to keep the stored one",
        ));
    }
    Ok(())
}

#[derive(Deserialize)]
struct Body {
    #[serde(rename = "type")]
    kind: Option<String>,
    topic_arn: Option<String>,
    role_arn: Option<String>,
    https_endpoint: Option<String>,
    https_auth_type: Option<String>,
    https_auth_header_name: Option<String>,
    https_auth_secret: Option<String>,
    status: Option<String>,
}

async fn streams_list(State(shared): State<Arc<Shared>>, Path(project): Path<String>) -> Result<Json<Value>, ApiError> {
    shared.read(|store| {
        let project = live_project(store, &project)?;
        let streams: Vec<Value> =
            store.event_streams.values().filter(|s| s.project_id == project).map(render).collect();
        Ok(Json(json!({ "event_streams": streams })))
    })
}

async fn streams_create(
    State(shared): State<Arc<Shared>>,
    Path(project): Path<String>,
    body: Bytes,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let body: Body = parse_body(&body)?;
    refuse_masks(&body)?;
    shared.write(|store| {
        let project_id = live_project(store, &project)?;
        let now = Utc::now();
        let kind = body.kind.ok_or_else(|| ApiError::bad_request("type is required"))?;
        // Only the destination of the stream's type is kept.
        let sns = kind == "sns";
        let stream = EventStream {
            id: Uuid::new_v4(),
            project_id,
            topic_arn: body.topic_arn.filter(|_| sns),
            role_arn: body.role_arn.filter(|_| sns),
            https_endpoint: body.https_endpoint.filter(|_| !sns),
            https_auth_type: body.https_auth_type.or_else(|| (!sns).then(|| "none".into())),
            https_auth_header_name: body.https_auth_header_name,
            https_auth_secret: body.https_auth_secret,
            kind,
            status: body.status.unwrap_or_else(|| "active".into()),
            created_at: now,
            updated_at: now,
        };
        check(&stream)?;
        let answer = render(&stream);
        store.event_streams.insert(stream.id, stream);
        Ok((StatusCode::CREATED, Json(answer)))
    })
}

fn find<'s>(store: &'s mut Store, project: Uuid, id: &str) -> Result<&'s mut EventStream, ApiError> {
    Uuid::parse_str(id)
        .ok()
        .and_then(|id| store.event_streams.get_mut(&id))
        .filter(|s| s.project_id == project)
        .ok_or_else(|| ApiError::not_found(format!("No event stream with ID {id:?} exists in this project.")))
}

/// A partial update: omitted fields keep their value (setEventStreamBody),
/// and an auth secret stays only while its scheme and endpoint do.
async fn streams_set(
    State(shared): State<Arc<Shared>>,
    Path((project, id)): Path<(String, String)>,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    let body: Body = parse_body(&body)?;
    refuse_masks(&body)?;
    shared.write(|store| {
        let project_id = live_project(store, &project)?;
        let current = find(store, project_id, &id)?;
        let mut next = current.clone();
        if let Some(kind) = body.kind {
            if kind != next.kind {
                let auth = (kind == "https").then(|| "none".to_string());
                next = EventStream {
                    topic_arn: None,
                    role_arn: None,
                    https_endpoint: None,
                    https_auth_type: auth,
                    https_auth_header_name: None,
                    https_auth_secret: None,
                    ..next
                };
            }
            next.kind = kind;
        }
        let endpoint_moved = body.https_endpoint.is_some() && body.https_endpoint != next.https_endpoint;
        next.topic_arn = body.topic_arn.or(next.topic_arn);
        next.role_arn = body.role_arn.or(next.role_arn);
        next.https_endpoint = body.https_endpoint.or(next.https_endpoint);
        let scheme = |t: &Option<String>| t.clone().unwrap_or_else(|| "none".into());
        if let Some(wanted) = body.https_auth_type.filter(|t| *t != scheme(&next.https_auth_type)) {
            // A new scheme starts without the old one's header and secret.
            next.https_auth_type = Some(wanted);
            next.https_auth_header_name = None;
            next.https_auth_secret = None;
        }
        next.https_auth_header_name = body.https_auth_header_name.or(next.https_auth_header_name);
        let authenticated = next.https_auth_secret.is_some();
        match body.https_auth_secret {
            Some(secret) => next.https_auth_secret = Some(secret),
            None if endpoint_moved && authenticated => {
                return Err(ApiError::bad_request(
                    "Changing https_endpoint needs https_auth_secret in the same update while deliveries authenticate with an API key or bearer token",
                ))
            }
            None => {}
        }
        next.status = body.status.unwrap_or(next.status);
        check(&next)?;
        next.updated_at = Utc::now();
        *current = next;
        Ok(Json(render(current)))
    })
}

async fn streams_delete(
    State(shared): State<Arc<Shared>>,
    Path((project, id)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    shared.write(|store| {
        let project_id = live_project(store, &project)?;
        let stream = find(store, project_id, &id)?.id;
        store.event_streams.remove(&stream);
        Ok(StatusCode::NO_CONTENT)
    })
}
