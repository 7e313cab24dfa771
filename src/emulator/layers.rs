//! The layers every request passes before its handler: counted, faulted or
//! rate limited on request, authenticated, kept within the caller's
//! workspaces, given room, its errors shaped, and run to its end even when
//! the client goes away.

use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::faults::{broken_connection, too_many, Kind};
use super::http::{bearer_key, operation_of, Caller, Shared};
use super::{store, ApiError};

/// Runs a request to its end even when the client goes away, as a real
/// server does: a client that gives up on a create cannot assume it made
/// nothing.
pub(super) async fn detached(req: Request, next: Next) -> Response {
    match tokio::spawn(next.run(req)).await {
        Ok(response) => response,
        Err(_) => {
            ApiError::new(axum::http::StatusCode::INTERNAL_SERVER_ERROR, "the request's task failed").into_response()
        }
    }
}

pub(super) async fn count(State(shared): State<Arc<Shared>>, req: Request, next: Next) -> Response {
    let op = operation_of(&req);
    *shared.counts.lock().unwrap_or_else(|p| p.into_inner()).entry(op).or_default() += 1;
    next.run(req).await
}

pub(super) async fn authenticate(State(shared): State<Arc<Shared>>, mut req: Request, next: Next) -> Response {
    let presented = bearer_key(req.headers());
    let (caller, project_key) = shared
        .read(|s| Ok(presented.map_or((None, false), |p| (s.key_workspace(p), s.is_project_key(p)))))
        .unwrap_or((None, false));
    if project_key {
        // Reported of the live service: a project key gets 403 on the console API.
        return ApiError::new(
            axum::http::StatusCode::FORBIDDEN,
            "Project API keys (ory_pat_...) cannot call the console API; use a workspace API key (ory_wak_...).",
        )
        .into_response();
    }
    let Some(workspace) = caller else {
        return ApiError::unauthorized().into_response();
    };
    req.extensions_mut().insert(Caller { workspace });
    next.run(req).await
}

/// Refuses a route naming a project or workspace outside the caller's
/// reach with 403, as Ory answers a key without access to a project (the
/// provider then checks the project list before it takes the project for
/// gone). UNVERIFIED for workspaces; the same answer is the safe one. IDs
/// that name nothing pass on, to the handler's 404.
pub(super) async fn scope(
    State(shared): State<Arc<Shared>>,
    params: axum::extract::RawPathParams,
    req: Request,
    next: Next,
) -> Response {
    let Some(caller) = req.extensions().get::<Caller>().copied() else { return next.run(req).await };
    let refused = shared
        .read(|s| {
            for (name, value) in &params {
                let Ok(id) = uuid::Uuid::parse_str(value) else { continue };
                let outside = match name {
                    "project_id" => {
                        s.projects.get(&id).is_some_and(|p| !s.reaches(caller.workspace, s.project_workspace(p)))
                    }
                    "workspace" => s.workspaces.contains_key(&id) && !s.reaches(caller.workspace, id),
                    _ => false,
                };
                if outside {
                    return Ok(Some(format!(
                        "This workspace API key may not access {name} {id}: it belongs to another workspace."
                    )));
                }
            }
            Ok(None)
        })
        .unwrap_or(None);
    match refused {
        Some(reason) => ApiError::new(axum::http::StatusCode::FORBIDDEN, reason).into_response(),
        None => next.run(req).await,
    }
}

/// Refuses writes that could add to a full store; reads and deletes pass,
/// so that a full emulator can still be emptied.
pub(super) async fn room(State(shared): State<Arc<Shared>>, req: Request, next: Next) -> Response {
    let adds = matches!(*req.method(), Method::POST | Method::PUT | Method::PATCH);
    if adds && shared.read(|s| Ok(s.is_full())).unwrap_or(false) {
        return ApiError::new(
            axum::http::StatusCode::INSUFFICIENT_STORAGE,
            format!(
                "The emulator holds more than {} MB of objects, its bound. Delete objects, or reset it (POST /__emulator/reset).",
                store::MAX_STORE_BYTES >> 20
            ),
        )
        .into_response();
    }
    next.run(req).await
}

/// The operations whose errors the spec declares as the flat `genericError`
/// (`{code, status, message, reason, request}`) instead of `errorGeneric`'s
/// envelope.
pub(super) const FLAT_ERRORS: [&str; 3] = ["purgeProject", "getProjectMembers", "removeProjectMember"];

pub(super) async fn flat_errors(req: Request, next: Next) -> Response {
    let flat = FLAT_ERRORS.contains(&operation_of(&req).as_str());
    let response = next.run(req).await;
    if !flat || response.status().is_success() {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, 1 << 20).await.unwrap_or_default();
    let inner = serde_json::from_slice::<serde_json::Value>(&bytes)
        .ok()
        .and_then(|mut v| v.get_mut("error").map(serde_json::Value::take));
    let body = inner.map(|e| e.to_string().into_bytes()).unwrap_or_else(|| bytes.to_vec());
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, axum::body::Body::from(body))
}

pub(super) async fn method_not_allowed(method: Method, uri: axum::http::Uri) -> ApiError {
    ApiError::new(
        axum::http::StatusCode::METHOD_NOT_ALLOWED,
        format!("{method} is not an operation of {}.", uri.path()),
    )
}

pub(super) async fn unknown_route(method: Method, uri: axum::http::Uri) -> ApiError {
    ApiError::not_found(format!("The emulator does not implement {method} {}.", uri.path()))
}

/// What Ory's servers answer when the database rolled a transaction back
/// (ory/x sqlcon's `ErrConcurrentUpdate`), in the emulator's own words: it
/// shares no code with the clients it is a witness for.
const ABORTED_TRANSACTION: &str = "Unable to serialize access due to a concurrent update in another session";

pub(super) async fn inject(State(shared): State<Arc<Shared>>, req: Request, next: Next) -> Response {
    let limited = {
        let mut limiter = shared.limiter.lock().unwrap_or_else(|p| p.into_inner());
        limiter.as_mut().map(|l| (l.per_second, l.take()))
    };
    let rate_headers = match limited {
        Some((burst, Err(wait))) => return too_many(burst, wait),
        Some((_, Ok(left))) => {
            shared.limiter.lock().unwrap_or_else(|p| p.into_inner()).as_ref().map(|l| (l.per_second, left))
        }
        None => None,
    };
    let mut response = faulted(&shared, req, next).await;
    if let Some((per_second, left)) = rate_headers {
        let headers = response.headers_mut();
        if let Ok(v) = HeaderValue::from_str(&format!("{per_second}, {per_second};w=1")) {
            headers.insert("x-ratelimit-limit", v);
        }
        if let Ok(v) = HeaderValue::from_str(&format!("{}", left.floor())) {
            headers.insert("x-ratelimit-remaining", v);
        }
        headers.insert("x-ratelimit-reset", HeaderValue::from_static("0"));
    }
    response
}

pub(super) async fn faulted(shared: &Shared, req: Request, next: Next) -> Response {
    let operation = super::operation_of(&req);
    let fault = shared.faults.lock().unwrap_or_else(|p| p.into_inner()).draw(&operation);
    let delay = match fault {
        Some((Kind::Latency, _)) | None => Duration::ZERO,
        Some((_, delay)) => delay,
    };
    tokio::time::sleep(delay).await;
    match fault {
        None => next.run(req).await,
        Some((Kind::TooManyRequests, _)) => too_many(10.0, Duration::from_millis(200)),
        Some((Kind::Internal, _)) => {
            ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "Injected fault.").into_response()
        }
        Some((Kind::BadGateway, _)) => ApiError::new(StatusCode::BAD_GATEWAY, "Injected fault.").into_response(),
        Some((Kind::Unavailable, _)) => {
            ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "Injected fault.").into_response()
        }
        Some((Kind::Reset, _)) => broken_connection(),
        Some((Kind::Aborted, _)) => ApiError::database(StatusCode::BAD_REQUEST, ABORTED_TRANSACTION).into_response(),
        Some((Kind::Latency, delay)) => {
            tokio::time::sleep(delay).await;
            next.run(req).await
        }
        Some((Kind::CommitThenDrop, _)) => {
            let _committed = next.run(req).await;
            broken_connection()
        }
        Some((Kind::Stale, _)) => {
            let named = req.uri().path().strip_prefix("/projects/").and_then(|rest| rest.split('/').next());
            if let Some(id) = named.and_then(|id| uuid::Uuid::parse_str(id).ok()) {
                let _ = shared.write(|store| {
                    if let Some(project) = store.projects.get_mut(&id) {
                        project.revision_id = uuid::Uuid::new_v4();
                    }
                    Ok(())
                });
            }
            next.run(req).await
        }
    }
}
