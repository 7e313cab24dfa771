//! What every area of the emulator stands on: the shared state behind one
//! lock, the routes with their operationIds, who is calling, the limits of
//! a request, and the helpers that read one.

use std::collections::BTreeMap;
use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::{MatchedPath, Request};
use axum::http::{header, Method};
use axum::Router;

use super::store::{self, Store};
use super::{faults, ApiError};

pub(crate) struct Shared {
    pub(super) store: Mutex<Store>,
    /// The `--state` files; locked only while `store` is.
    pub(super) disk: Mutex<Option<store::Disk>>,
    pub(super) counts: Mutex<BTreeMap<String, u64>>,
    /// TCP connections accepted since the start.
    pub(super) connections: AtomicU64,
    /// Request-body bytes held now, over every connection.
    pub(super) buffered: std::sync::atomic::AtomicUsize,
    pub(super) faults: Mutex<faults::Faults>,
    pub(super) limiter: Mutex<Option<faults::Limiter>>,
    pub(super) read_timeout: std::time::Duration,
    /// Workspace keys may be made and deleted through the API (see `Options`).
    pub(crate) workspace_key_writes: std::sync::atomic::AtomicBool,
}

/// The API's routes, each declared once with the operationId of the spec
/// (or, for a call the spec lacks, the name Ory's provider gives it), which
/// the request counters, the fault injector and the error shapes go by.
pub(crate) struct Routes {
    pub(super) router: Router<Arc<Shared>>,
    pub(super) operations: Vec<((Method, &'static str), &'static str)>,
}

/// Every route's operationId, by method and matched path.
pub(super) static OPERATIONS: std::sync::OnceLock<BTreeMap<(Method, &'static str), &'static str>> =
    std::sync::OnceLock::new();

/// The operationId of a matched route, or the route itself.
pub(super) fn operation_id(method: &Method, route: &str) -> String {
    let known = OPERATIONS.get().and_then(|ops| ops.iter().find(|((m, p), _)| m == method && *p == route));
    known.map_or_else(|| format!("{method} {route}"), |(_, op)| op.to_string())
}

/// The operationId of a routed request.
pub(crate) fn operation_of(req: &Request) -> String {
    let route = req.extensions().get::<MatchedPath>().map(|p| p.as_str()).unwrap_or_default();
    operation_id(req.method(), route)
}

/// The key of an `Authorization` header that is exactly one `Bearer <key>`:
/// one header, the scheme as written, one space, a key without spaces.
pub(crate) fn bearer_key(headers: &axum::http::HeaderMap) -> Option<&str> {
    let mut values = headers.get_all(header::AUTHORIZATION).iter();
    let (Some(value), None) = (values.next(), values.next()) else { return None };
    let key = value.to_str().ok()?.strip_prefix("Bearer ")?;
    (!key.is_empty() && key.bytes().all(|b| b.is_ascii_graphic())).then_some(key)
}

/// Who is calling: the workspace of the key presented. Every route acts
/// within the workspaces that key reaches (`Store::reaches`).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Caller {
    pub workspace: uuid::Uuid,
}

/// A query string's parameters. A parameter given twice, or a string that
/// is not form-encoded, is a 400 in the usual envelope; parameters the
/// operation does not declare (`declared`) are ignored, as Ory's servers do.
pub(crate) fn query(raw: Option<&str>, declared: &[&str]) -> Result<BTreeMap<String, String>, ApiError> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(raw.unwrap_or_default())
        .map_err(|e| ApiError::bad_request(format!("The query string is not valid: {e}")))?;
    let mut params = BTreeMap::new();
    for (key, value) in pairs.into_iter().filter(|(k, _)| declared.contains(&k.as_str())) {
        if params.contains_key(&key) {
            return Err(ApiError::bad_request(format!("The query parameter {key} is given more than once.")));
        }
        params.insert(key, value);
    }
    Ok(params)
}

/// `page_size`: 1 to 1000, default 250 (listWorkspaces, listOrganizations).
pub(crate) fn page_size(text: Option<&String>) -> Result<usize, ApiError> {
    match text {
        None => Ok(250),
        Some(s) => s
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=1000).contains(n))
            .ok_or_else(|| ApiError::bad_request("page_size must be a whole number from 1 to 1000")),
    }
}

/// The deepest nesting of objects and arrays a body or a project document
/// may have. UNVERIFIED: Ory does not document a bound; its configuration
/// schemas nest about ten levels. What is stored must be read back (the
/// state's journal adds a few levels, under serde's 128), so what cannot be
/// is refused up front, never taken and lost.
pub const MAX_JSON_DEPTH: usize = 48;

/// How deeply the JSON text `bytes` nests, without parsing it.
pub(crate) fn json_depth(bytes: &[u8]) -> usize {
    let (mut depth, mut deepest, mut in_string, mut escaped) = (0usize, 0usize, false, false);
    for &b in bytes {
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'{' | b'[' => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    deepest
}

/// How deeply a parsed value nests: a scalar is 0, `{}` is 1.
pub(crate) fn value_depth(value: &serde_json::Value) -> usize {
    match value {
        serde_json::Value::Array(items) => 1 + items.iter().map(value_depth).max().unwrap_or(0),
        serde_json::Value::Object(map) => 1 + map.values().map(value_depth).max().unwrap_or(0),
        _ => 0,
    }
}

pub(crate) fn too_deep(what: &str) -> ApiError {
    ApiError::bad_request(format!("{what} nests objects and arrays more than {MAX_JSON_DEPTH} levels deep."))
}

/// Parses a JSON body, answering malformed input with the same envelope as every other error.
pub(crate) fn parse_body<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    parse_json(body).map_err(ApiError::bad_request)
}

/// Parses a JSON body of either API, or says why it is refused: one depth
/// bound for every body, so that nothing is stored that the state's
/// journal could not read back.
pub(crate) fn parse_json<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, String> {
    if json_depth(body) > MAX_JSON_DEPTH {
        return Err(too_deep("The request body").reason);
    }
    serde_json::from_slice(body).map_err(|e| format!("The request body is not valid: {e}"))
}

impl Shared {
    /// Runs `f` on the store under its one lock and saves what it changed
    /// before answering, so an operation is never split, and a killed
    /// emulator loses nothing it answered.
    pub(crate) fn write<T>(&self, f: impl FnOnce(&mut Store) -> Result<T, ApiError>) -> Result<T, ApiError> {
        let mut store = self.store.lock().unwrap_or_else(|p| p.into_inner());
        let out = f(&mut store);
        store.measure();
        let out = out?;
        if let Some(disk) = self.disk.lock().unwrap_or_else(|p| p.into_inner()).as_mut() {
            disk.save(&mut store).map_err(|e| {
                ApiError::new(
                    axum::http::StatusCode::INTERNAL_SERVER_ERROR,
                    format!("could not save emulator state: {e}"),
                )
            })?;
        }
        Ok(out)
    }

    pub(crate) fn read<T>(&self, f: impl FnOnce(&Store) -> Result<T, ApiError>) -> Result<T, ApiError> {
        let store = self.store.lock().unwrap_or_else(|p| p.into_inner());
        f(&store)
    }
}

impl Routes {
    pub(crate) fn new() -> Routes {
        Routes { router: Router::new(), operations: Vec::new() }
    }

    pub(crate) fn op<H, T>(mut self, method: Method, path: &'static str, operation: &'static str, handler: H) -> Routes
    where
        H: axum::handler::Handler<T, Arc<Shared>>,
        T: 'static,
    {
        let filter = axum::routing::MethodFilter::try_from(method.clone()).expect("a method the API uses");
        self.router = self.router.route(path, axum::routing::on(filter, handler));
        self.operations.push(((method, path), operation));
        self
    }

    pub(super) fn merge(mut self, other: Routes) -> Routes {
        self.router = self.router.merge(other.router);
        self.operations.extend(other.operations);
        self
    }
}

/// The largest request body taken: far past any project document.
pub const MAX_BODY_BYTES: usize = 2 * 1024 * 1024;

/// The most request header bytes answered with a JSON 431. Up to
/// `serve`'s `HARD_HEADER_BYTES`, hyper still reads them, so the answer can be the
/// API's envelope; past that, hyper answers a bare 431 itself.
pub const MAX_HEADER_BYTES: usize = 16 * 1024;

/// The default time a client has to send a request's headers, and its body.
pub const DEFAULT_READ_TIMEOUT: Duration = Duration::from_secs(30);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn depth_is_counted_outside_strings_only() {
        assert_eq!(json_depth(br#"{"a":[1,{"b":"[[[{{{"}]}"#), 3);
        assert_eq!(json_depth(br#""\"[""#), 0);
        let deep = format!("{}{}", "[".repeat(MAX_JSON_DEPTH + 1), "]".repeat(MAX_JSON_DEPTH + 1));
        assert!(parse_body::<serde_json::Value>(deep.as_bytes()).unwrap_err().reason.contains("levels deep"));
        let fine = format!("{}{}", "[".repeat(MAX_JSON_DEPTH), "]".repeat(MAX_JSON_DEPTH));
        let value: serde_json::Value = parse_body(fine.as_bytes()).unwrap();
        assert_eq!(value_depth(&value), MAX_JSON_DEPTH);
    }
}
