//! A local, stateful emulator of the Ory console API, for trying the
//! provider, testing Terraform code in CI, and as this project's test bed.
//!
//! It speaks only HTTP and shares no types with the client in `console`: an
//! independent implementation is what makes it a witness. Behaviour the
//! public sources leave open is chosen for users' safety and written down in
//! `docs/emulator.md`.

mod api_keys;
mod config;
mod custom_domains;
mod dynamic_clients;
mod error;
mod event_streams;
pub mod faults;
mod jwks;
mod opl;
mod organizations;
mod project_api;
mod projects;
mod relationships;
mod seed;
mod serve;
mod store;
mod trust;
mod workspaces;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, Method};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};

pub use error::ApiError;
pub use seed::Seed;
pub use serve::{DEFAULT_READ_TIMEOUT, MAX_BODY_BYTES, MAX_HEADER_BYTES};
use store::Store;

/// What the emulator prints on startup, and what a test needs to use it.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct Startup {
    pub url: String,
    pub workspace_id: String,
    pub workspace_api_key: String,
    /// Where each project's own API is, with `{slug}` for the project's slug.
    #[serde(default)]
    pub project_api_url: String,
}

pub struct Options {
    /// Where to keep state across restarts; `None` keeps it in memory.
    pub state_file: Option<PathBuf>,
    /// The workspace API key to accept; a fresh one when `None` (and no state file has one).
    pub workspace_api_key: Option<String>,
    /// Faults to inject from the start (see `POST /__emulator/faults`).
    pub faults: Option<faults::FaultSettings>,
    /// A rate limiter from the start (see `POST /__emulator/limits`).
    pub limits: faults::LimitSettings,
    /// How long a client may take to send a request's body.
    pub read_timeout: std::time::Duration,
    /// Let a workspace key create and delete workspace keys, which Ory's
    /// API refuses (only the Ory Console makes them).
    pub workspace_key_writes: bool,
}

pub(crate) struct Shared {
    store: Mutex<Store>,
    /// The `--state` files; locked only while `store` is.
    disk: Mutex<Option<store::Disk>>,
    counts: Mutex<BTreeMap<String, u64>>,
    /// TCP connections accepted since the start.
    connections: AtomicU64,
    /// Request-body bytes held now, over every connection.
    buffered: std::sync::atomic::AtomicUsize,
    faults: Mutex<faults::Faults>,
    limiter: Mutex<Option<faults::Limiter>>,
    read_timeout: std::time::Duration,
    /// Workspace keys may be made and deleted through the API (see `Options`).
    pub(crate) workspace_key_writes: std::sync::atomic::AtomicBool,
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

/// The emulator: its state and its HTTP routes.
#[derive(Clone)]
pub struct Emulator {
    shared: Arc<Shared>,
}

impl Emulator {
    pub fn new(options: Options) -> anyhow::Result<Emulator> {
        let (mut store, mut disk) = match &options.state_file {
            Some(path) => {
                let (store, disk) = store::Disk::open(path, Store::new)?;
                (store, Some(disk))
            }
            None => (Store::new(), None),
        };
        store.measure();
        if let Some(key) = options.workspace_api_key {
            store.workspace_api_key = key;
        }
        if let Some(disk) = &mut disk {
            disk.save(&mut store)?;
        }
        let faults = match &options.faults {
            Some(settings) => faults::Faults::new(settings).map_err(anyhow::Error::msg)?,
            None => faults::Faults::off(),
        };
        let limiter = faults::Limiter::new(&options.limits).map_err(anyhow::Error::msg)?;
        Ok(Emulator {
            shared: Arc::new(Shared {
                store: Mutex::new(store),
                disk: Mutex::new(disk),
                counts: Mutex::default(),
                connections: AtomicU64::new(0),
                buffered: Default::default(),
                faults: Mutex::new(faults),
                limiter: Mutex::new(limiter),
                read_timeout: options.read_timeout,
                workspace_key_writes: options.workspace_key_writes.into(),
            }),
        })
    }

    pub fn startup(&self, url: String) -> Startup {
        let store = self.shared.store.lock().unwrap_or_else(|p| p.into_inner());
        Startup {
            project_api_url: format!("{url}{}", project_api::PREFIX),
            url,
            workspace_id: store.workspace_id.to_string(),
            workspace_api_key: store.workspace_api_key.clone(),
        }
    }

    /// Serves the API and the admin API on `listener` until `shutdown`.
    pub async fn serve(
        &self,
        listener: tokio::net::TcpListener,
        shutdown: impl std::future::Future<Output = ()>,
    ) -> std::io::Result<()> {
        serve::serve(self.shared.clone(), listener, self.app(), shutdown).await
    }

    /// The whole server.
    pub fn app(&self) -> Router {
        let routes = projects::routes()
            .merge(workspaces::routes())
            .merge(api_keys::routes())
            .merge(event_streams::routes())
            .merge(custom_domains::routes())
            .merge(organizations::routes())
            .merge(opl::routes());
        let data_plane =
            project_api::routes().merge(jwks::routes()).merge(trust::routes()).merge(relationships::routes());
        let public_data_plane = dynamic_clients::routes();
        OPERATIONS.get_or_init(|| {
            routes
                .operations
                .iter()
                .chain(&data_plane.operations)
                .chain(&public_data_plane.operations)
                .cloned()
                .collect()
        });
        // Dynamic client registration: public, or opened by a client's own
        // registration access token, never by a project key.
        let public_data_plane = public_data_plane
            .router
            .layer(middleware::from_fn_with_state(self.shared.clone(), room))
            .layer(middleware::from_fn_with_state(self.shared.clone(), faults::inject))
            .layer(middleware::from_fn(project_api::shaped_errors))
            .layer(middleware::from_fn_with_state(self.shared.clone(), count))
            .layer(middleware::from_fn(detached));
        // Each project's own API: its key, not a workspace key, opens it.
        let data_plane = data_plane
            .router
            .layer(middleware::from_fn_with_state(self.shared.clone(), room))
            .layer(middleware::from_fn_with_state(self.shared.clone(), project_api::authenticate))
            .layer(middleware::from_fn_with_state(self.shared.clone(), faults::inject))
            .layer(middleware::from_fn(project_api::shaped_errors))
            .layer(middleware::from_fn_with_state(self.shared.clone(), count))
            .layer(middleware::from_fn(detached));
        let api = routes
            .router
            .layer(middleware::from_fn_with_state(self.shared.clone(), scope))
            .layer(middleware::from_fn_with_state(self.shared.clone(), room))
            .layer(middleware::from_fn_with_state(self.shared.clone(), authenticate))
            .layer(middleware::from_fn(flat_errors))
            .layer(middleware::from_fn_with_state(self.shared.clone(), faults::inject))
            .layer(middleware::from_fn_with_state(self.shared.clone(), count))
            .layer(middleware::from_fn(detached));
        let admin = Router::new()
            .route("/__emulator/requests", get(admin_requests))
            .route("/__emulator/connections", get(admin_connections))
            .route("/__emulator/objects", get(admin_objects))
            .route("/__emulator/reset", post(admin_reset))
            .route("/__emulator/workspaces/{workspace}", axum::routing::delete(admin_delete_workspace))
            .route("/__emulator/features", post(admin_features))
            .route("/__emulator/faults", post(admin_faults).get(admin_faults_injected))
            .route("/__emulator/forbidden", post(admin_forbidden))
            .route("/__emulator/limits", post(admin_limits))
            .route("/__emulator/projects/{project_id}/cname/{domain_id}/verify", post(custom_domains::admin_verify));
        Router::new()
            .merge(api)
            .merge(data_plane)
            .merge(public_data_plane)
            .merge(admin)
            .fallback(unknown_route)
            .method_not_allowed_fallback(method_not_allowed)
            .layer(middleware::from_fn_with_state(self.shared.clone(), serve::guard))
            .with_state(self.shared.clone())
    }
}

/// The API's routes, each declared once with the operationId of the spec
/// (or, for a call the spec lacks, the name Ory's provider gives it), which
/// the request counters, the fault injector and the error shapes go by.
pub(crate) struct Routes {
    router: Router<Arc<Shared>>,
    operations: Vec<((Method, &'static str), &'static str)>,
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

    fn merge(mut self, other: Routes) -> Routes {
        self.router = self.router.merge(other.router);
        self.operations.extend(other.operations);
        self
    }
}

/// Every route's operationId, by method and matched path.
static OPERATIONS: std::sync::OnceLock<BTreeMap<(Method, &'static str), &'static str>> = std::sync::OnceLock::new();

/// The operationId of a matched route, or the route itself.
fn operation_id(method: &Method, route: &str) -> String {
    let known = OPERATIONS.get().and_then(|ops| ops.iter().find(|((m, p), _)| m == method && *p == route));
    known.map_or_else(|| format!("{method} {route}"), |(_, op)| op.to_string())
}

/// Runs a request to its end even when the client goes away, as a real
/// server does: a client that gives up on a create cannot assume it made
/// nothing.
async fn detached(req: Request, next: Next) -> Response {
    match tokio::spawn(next.run(req)).await {
        Ok(response) => response,
        Err(_) => {
            ApiError::new(axum::http::StatusCode::INTERNAL_SERVER_ERROR, "the request's task failed").into_response()
        }
    }
}

/// The operationId of a routed request.
pub(crate) fn operation_of(req: &Request) -> String {
    let route = req.extensions().get::<MatchedPath>().map(|p| p.as_str()).unwrap_or_default();
    operation_id(req.method(), route)
}

async fn count(State(shared): State<Arc<Shared>>, req: Request, next: Next) -> Response {
    let op = operation_of(&req);
    *shared.counts.lock().unwrap_or_else(|p| p.into_inner()).entry(op).or_default() += 1;
    next.run(req).await
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

async fn authenticate(State(shared): State<Arc<Shared>>, mut req: Request, next: Next) -> Response {
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
async fn scope(
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
async fn room(State(shared): State<Arc<Shared>>, req: Request, next: Next) -> Response {
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

async fn admin_requests(State(shared): State<Arc<Shared>>) -> Json<BTreeMap<String, u64>> {
    Json(shared.counts.lock().unwrap_or_else(|p| p.into_inner()).clone())
}

/// How many TCP connections the emulator has accepted since it started.
async fn admin_connections(State(shared): State<Arc<Shared>>) -> Json<serde_json::Value> {
    Json(serde_json::json!({ "accepted": shared.connections.load(Ordering::Relaxed) }))
}

/// Every live object, by kind, read past faults and limits: what tests
/// compare a Terraform state with. Keys and streams of purged projects are
/// gone with them.
async fn admin_objects(State(shared): State<Arc<Shared>>) -> Result<Json<serde_json::Value>, ApiError> {
    use serde_json::json;
    shared.read(|s| {
        let live = |p: &uuid::Uuid| s.projects.get(p).is_some_and(|p| p.state != "deleted");
        let mut project_keys = Vec::new();
        let mut workspace_keys = Vec::new();
        for k in s.api_keys.values() {
            match k.scope {
                store::KeyScope::Project(p) if live(&p) => {
                    project_keys.push(json!({"id": k.id, "project_id": p, "name": k.name}))
                }
                store::KeyScope::Workspace(w) if s.workspaces.contains_key(&w) => {
                    workspace_keys.push(json!({"id": k.id, "workspace_id": w, "name": k.name}))
                }
                _ => {}
            }
        }
        Ok(Json(json!({
            "workspaces": s.workspaces.values().map(|w| json!({"id": w.id, "name": w.name})).collect::<Vec<_>>(),
            "projects": s.projects.values().filter(|p| p.state != "deleted")
                .map(|p| json!({"id": p.id, "name": p.name, "workspace_id": p.workspace_id})).collect::<Vec<_>>(),
            "project_api_keys": project_keys,
            "workspace_api_keys": workspace_keys,
            "event_streams": s.event_streams.values().filter(|e| live(&e.project_id))
                .map(|e| json!({"id": e.id, "project_id": e.project_id, "type": e.kind})).collect::<Vec<_>>(),
            "identities": s.identities.values().filter(|i| live(&i.project_id))
                .map(|i| json!({"id": i.id, "project_id": i.project_id, "schema_id": i.fields["schema_id"], "has_password": i.password_hash.is_some()})).collect::<Vec<_>>(),
            "oauth2_clients": s.oauth2_clients.values().filter(|c| live(&c.project_id))
                .map(|c| json!({"id": c.id, "project_id": c.project_id, "client_name": c.fields["client_name"], "secret_hash": c.secret_hash})).collect::<Vec<_>>(),
            "trust_grants": s.trust_grants.values().filter(|g| live(&g.project_id))
                .map(|g| json!({"id": g.id, "project_id": g.project_id, "issuer": g.fields["issuer"]})).collect::<Vec<_>>(),
            "relationships": s.relationships.values().filter(|t| live(&t.project_id))
                .map(|t| json!({"id": t.id, "project_id": t.project_id, "namespace": t.namespace, "object": t.object, "relation": t.relation})).collect::<Vec<_>>(),
            "jwk_sets": s.jwk_sets.values().filter(|k| live(&k.project_id))
                .map(|k| json!({"id": k.id, "project_id": k.project_id, "set": k.name, "kids": k.keys.iter().map(|key| &key["kid"]).collect::<Vec<_>>()})).collect::<Vec<_>>(),
        })))
    })
}

/// Forgets every object and counter; the workspace and its key stay, so
/// that a running client keeps working.
async fn admin_reset(State(shared): State<Arc<Shared>>) -> Result<Json<serde_json::Value>, ApiError> {
    shared.write(|s| {
        s.reset();
        Ok(())
    })?;
    shared.counts.lock().unwrap_or_else(|p| p.into_inner()).clear();
    Ok(Json(serde_json::json!({})))
}

/// The console API cannot delete a workspace; this lets a test play the
/// part of someone deleting one in the Ory console.
async fn admin_delete_workspace(
    State(shared): State<Arc<Shared>>,
    axum::extract::Path(id): axum::extract::Path<String>,
) -> Result<axum::http::StatusCode, ApiError> {
    shared.write(|s| {
        let id = workspaces::find_workspace(s, &id)?;
        if id == s.workspace_id {
            return Err(ApiError::bad_request("the key's own workspace cannot be deleted"));
        }
        s.workspaces.remove(&id);
        s.api_keys.retain(|_, k| k.scope != store::KeyScope::Workspace(id));
        Ok(axum::http::StatusCode::NO_CONTENT)
    })
}

/// Turns plan-gated features on or off: `{"event_streams": false}` makes
/// the workspace's plan lack event streams.
async fn admin_features(
    State(shared): State<Arc<Shared>>,
    body: axum::body::Bytes,
) -> Result<Json<serde_json::Value>, ApiError> {
    let settings: BTreeMap<String, bool> = parse_body(&body)?;
    shared.write(|s| {
        for (feature, on) in settings {
            if on {
                s.features_off.remove(&feature);
            } else {
                s.features_off.insert(feature);
            }
        }
        Ok(Json(serde_json::json!({ "features_off": s.features_off })))
    })
}

async fn admin_faults(
    State(shared): State<Arc<Shared>>,
    body: axum::body::Bytes,
) -> Result<Json<serde_json::Value>, ApiError> {
    let settings: faults::FaultSettings = parse_body(&body)?;
    let faults = faults::Faults::new(&settings).map_err(ApiError::bad_request)?;
    *shared.faults.lock().unwrap_or_else(|p| p.into_inner()) = faults;
    Ok(Json(serde_json::json!({})))
}

/// `{"projects": [id, ...]}`: GET of these projects answers 403, as for a
/// key without access to them.
async fn admin_forbidden(
    State(shared): State<Arc<Shared>>,
    body: axum::body::Bytes,
) -> Result<Json<serde_json::Value>, ApiError> {
    #[derive(serde::Deserialize)]
    struct Forbidden {
        projects: Vec<uuid::Uuid>,
    }
    let forbidden: Forbidden = parse_body(&body)?;
    shared.write(|s| {
        s.forbidden = forbidden.projects.into_iter().collect();
        Ok(Json(serde_json::json!({})))
    })
}

/// How many faults of each kind were injected since they were last set.
async fn admin_faults_injected(State(shared): State<Arc<Shared>>) -> Json<BTreeMap<String, u64>> {
    Json(shared.faults.lock().unwrap_or_else(|p| p.into_inner()).injected.clone())
}

async fn admin_limits(
    State(shared): State<Arc<Shared>>,
    body: axum::body::Bytes,
) -> Result<Json<serde_json::Value>, ApiError> {
    let settings: faults::LimitSettings = parse_body(&body)?;
    let limiter = faults::Limiter::new(&settings).map_err(ApiError::bad_request)?;
    *shared.limiter.lock().unwrap_or_else(|p| p.into_inner()) = limiter;
    Ok(Json(serde_json::json!({})))
}

/// The operations whose errors the spec declares as the flat `genericError`
/// (`{code, status, message, reason, request}`) instead of `errorGeneric`'s
/// envelope.
const FLAT_ERRORS: [&str; 3] = ["purgeProject", "getProjectMembers", "removeProjectMember"];

async fn flat_errors(req: Request, next: Next) -> Response {
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

async fn method_not_allowed(method: Method, uri: axum::http::Uri) -> ApiError {
    ApiError::new(
        axum::http::StatusCode::METHOD_NOT_ALLOWED,
        format!("{method} is not an operation of {}.", uri.path()),
    )
}

async fn unknown_route(method: Method, uri: axum::http::Uri) -> ApiError {
    ApiError::not_found(format!("The emulator does not implement {method} {}.", uri.path()))
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
