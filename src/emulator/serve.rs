//! The emulator's connections: what it accepts from a client before any
//! route runs (bounded headers and bodies, JSON only, a deadline to send
//! them), so that it can be left running in CI beside anything.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Router;

use super::http::{MAX_BODY_BYTES, MAX_HEADER_BYTES};
use super::{ApiError, Shared};

const HARD_HEADER_BYTES: usize = 1024 * 1024;

fn is_json(req: &Request) -> bool {
    has_media(req, "application/json")
}

fn has_media(req: &Request, wanted: &str) -> bool {
    req.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|media| media.trim().eq_ignore_ascii_case(wanted))
}

/// Refuses, in the API's JSON envelope, headers past [`MAX_HEADER_BYTES`],
/// a body past [`MAX_BODY_BYTES`] (413), a body not sent within the read
/// timeout (408) and a body that is not `application/json` (`text/plain`
/// for validateOpl) (415); and puts
/// any error answer that is not JSON into the envelope.
pub(super) async fn guard(State(shared): State<Arc<Shared>>, req: Request, next: Next) -> Response {
    let header_bytes: usize = req.headers().iter().map(|(name, value)| name.as_str().len() + value.len() + 4).sum();
    if header_bytes > MAX_HEADER_BYTES {
        return closing(ApiError::new(
            StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            format!("The request headers are {header_bytes} bytes; at most {MAX_HEADER_BYTES} are accepted."),
        ));
    }
    if req.uri().path().starts_with("/__emulator/") {
        if let Some(refused) = admin_refusal(&req) {
            return closing(refused);
        }
    } else {
        // A body is read only for a caller with a key, or for dynamic
        // client registration, which is public: an anonymous client must
        // not make the emulator hold megabytes for it elsewhere.
        let presented = super::bearer_key(req.headers());
        let known = super::project_api::dynamic_clients::is_public(req.uri().path())
            || presented.is_some_and(|key| {
                shared.read(|s| Ok(s.key_workspace(key).is_some() || s.is_project_key(key))).unwrap_or(false)
            });
        if !known {
            // Routed without its body, so that the refusal is counted and
            // answered as the route would; the connection then closes, as
            // the unread body is still on it.
            let (parts, _unread) = req.into_parts();
            let mut response = enveloped(next.run(Request::from_parts(parts, axum::body::Body::empty())).await).await;
            response.headers_mut().insert(header::CONNECTION, axum::http::HeaderValue::from_static("close"));
            return response;
        }
    }
    // validateOpl alone takes its document as text/plain.
    let media = if super::opl::takes_text(req.uri().path()) { "text/plain" } else { "application/json" };
    let fitting = has_media(&req, media);
    let (parts, body) = req.into_parts();
    let body = match tokio::time::timeout(shared.read_timeout, read_body(body, &shared.buffered)).await {
        Err(_) => {
            return closing(ApiError::new(
                StatusCode::REQUEST_TIMEOUT,
                format!("The request body did not arrive within {}s.", shared.read_timeout.as_secs_f64()),
            ))
        }
        Ok(Err(refused)) => return closing(refused),
        Ok(Ok(body)) => body,
    };
    if !body.is_empty() && !fitting {
        let what =
            if media == "text/plain" { "This request's body must be text" } else { "A request body must be JSON" };
        return ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            format!("{what}, sent with \"Content-Type: {media}\"."),
        )
        .into_response();
    }
    let response = next.run(Request::from_parts(parts, axum::body::Body::from(body))).await;
    enveloped(response).await
}

/// Why an admin request is refused, if it is: the admin API takes no key,
/// so a web page must not reach it. A browser names the page's `Origin` on
/// every cross-site write, a form can only send form or text content types,
/// and DNS rebinding reaches the emulator under the attacker's host name.
fn admin_refusal(req: &Request) -> Option<ApiError> {
    if req.headers().contains_key(header::ORIGIN) {
        return Some(ApiError::new(
            StatusCode::FORBIDDEN,
            "The admin API refuses requests from web pages (they carry an Origin header).",
        ));
    }
    let host = req.headers().get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or_default();
    let name = match host.rsplit_once(':') {
        Some((name, port)) if port.bytes().all(|b| b.is_ascii_digit()) => name,
        _ => host,
    };
    let name = name.trim_start_matches('[').trim_end_matches(']');
    if !(name.eq_ignore_ascii_case("localhost") || name.parse::<std::net::IpAddr>().is_ok()) {
        return Some(ApiError::new(
            StatusCode::FORBIDDEN,
            format!(
                "The admin API answers only to an IP address or localhost as its host, not {:?}.",
                crate::text::printable(host, 100, &[])
            ),
        ));
    }
    let writes = !matches!(*req.method(), axum::http::Method::GET | axum::http::Method::HEAD);
    if writes && req.headers().contains_key(header::CONTENT_TYPE) && !is_json(req) {
        return Some(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "The admin API takes JSON only (Content-Type: application/json), or no body.",
        ));
    }
    None
}

/// The most of a too large body read (and dropped) before answering 413:
/// a client that sends its body before reading the answer sees the 413
/// instead of a broken connection.
const MAX_DRAINED_BYTES: usize = 64 * 1024 * 1024;

/// The body; past [`MAX_BODY_BYTES`] a 413, after reading and dropping the
/// rest up to [`MAX_DRAINED_BYTES`]; a body broken off a 400.
async fn read_body(body: axum::body::Body, buffered: &AtomicUsize) -> Result<axum::body::Bytes, ApiError> {
    use futures::StreamExt;
    let mut stream = body.into_data_stream();
    let mut kept = Vec::new();
    let mut seen = 0usize;
    let mut held = Held { buffered, bytes: 0 };
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|e| ApiError::bad_request(format!("The request body could not be read: {e}")))?;
        seen += chunk.len();
        if seen > MAX_DRAINED_BYTES {
            break;
        }
        if seen <= MAX_BODY_BYTES {
            if !held.take(chunk.len()) {
                return Err(ApiError::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    format!(
                        "The emulator is holding {} MB of request bodies, its bound; send this request again later.",
                        MAX_BUFFERED_BYTES >> 20
                    ),
                ));
            }
            kept.extend_from_slice(&chunk);
        }
    }
    if seen > MAX_BODY_BYTES {
        return Err(too_large());
    }
    Ok(kept.into())
}

/// The most request-body bytes held at once, over every connection: with
/// [`MAX_CONNECTIONS`], what bounds the memory slow clients can take.
pub const MAX_BUFFERED_BYTES: usize = 64 * 1024 * 1024;
/// The most connections open at once; further clients wait to be accepted.
/// An idle or stalled one is closed after the read timeout.
pub const MAX_CONNECTIONS: usize = 512;

/// A request's share of [`MAX_BUFFERED_BYTES`], given back when its body is
/// dropped from the reader.
struct Held<'a> {
    buffered: &'a AtomicUsize,
    bytes: usize,
}

impl Held<'_> {
    fn take(&mut self, bytes: usize) -> bool {
        let before = self.buffered.fetch_add(bytes, Ordering::SeqCst);
        self.bytes += bytes;
        before + bytes <= MAX_BUFFERED_BYTES
    }
}

impl Drop for Held<'_> {
    fn drop(&mut self) {
        self.buffered.fetch_sub(self.bytes, Ordering::SeqCst);
    }
}

/// An answer sent before the body was read to its end: the rest of the
/// body is still on the connection, so the client must not send another
/// request on it.
fn closing(error: ApiError) -> Response {
    let mut response = error.into_response();
    response.headers_mut().insert(header::CONNECTION, axum::http::HeaderValue::from_static("close"));
    response
}

fn too_large() -> ApiError {
    ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, format!("The request body is larger than {MAX_BODY_BYTES} bytes."))
}

/// An error answer that is not JSON (a framework's own) in the envelope.
async fn enveloped(response: Response) -> Response {
    let json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if json || !(response.status().is_client_error() || response.status().is_server_error()) {
        return response;
    }
    let status = response.status();
    let text = axum::body::to_bytes(response.into_body(), 64 * 1024).await.unwrap_or_default();
    let reason = String::from_utf8_lossy(&text).trim().to_string();
    let reason = if reason.is_empty() { status.canonical_reason().unwrap_or("Error").to_string() } else { reason };
    ApiError::new(status, reason).into_response()
}

/// Serves the emulator on `listener` until `shutdown`, giving each client
/// the read timeout to send a request's headers, then finishing the requests
/// in flight. Each accepted connection is counted, so that a test or the
/// bench can tell a client that keeps its connections alive from one that
/// opens one per request.
pub(super) async fn serve(
    shared: Arc<Shared>,
    listener: tokio::net::TcpListener,
    app: Router,
    shutdown: impl std::future::Future<Output = ()>,
) -> std::io::Result<()> {
    use hyper_util::rt::{TokioIo, TokioTimer};
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(shared.read_timeout)
        .max_buf_size(HARD_HEADER_BYTES)
        .max_headers(1000);
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let service = hyper_util::service::TowerToHyperService::new(app);
    tokio::pin!(shutdown);
    let open = Arc::new(tokio::sync::Semaphore::new(MAX_CONNECTIONS));
    loop {
        let Ok(permit) = open.clone().acquire_owned().await else { break };
        tokio::select! {
            accepted = listener.accept() => {
                let (stream, _) = match accepted {
                    Ok(accepted) => accepted,
                    // Out of file descriptors and the like: the next accept may work.
                    Err(_) => {
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        continue;
                    }
                };
                shared.connections.fetch_add(1, Ordering::Relaxed);
                let connection = http.serve_connection(TokioIo::new(stream), service.clone());
                let connection = graceful.watch(connection);
                tokio::spawn(async move {
                    let _ = connection.await;
                    drop(permit);
                });
            }
            _ = &mut shutdown => break,
        }
    }
    drop(listener);
    graceful.shutdown().await;
    Ok(())
}
