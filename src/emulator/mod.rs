//! A local, stateful emulator of Ory's APIs: the console API (workspaces,
//! projects and their documents, keys, event streams, organizations) and
//! each project's own API (Kratos identities, Hydra OAuth2 clients, JSON Web
//! Keys, trusted issuers and dynamic registration, Keto relationships), for
//! trying the provider, testing Terraform code in CI, and as this project's
//! test bed.
//!
//! It speaks only HTTP and shares no types with the clients in `console`,
//! `project_api` and `http`: an independent implementation is what makes it
//! a witness. Behaviour the public sources leave open is chosen for users'
//! safety and written down in `docs/emulator.md`.
//!
//! Layout: `http` (shared state, routes, request helpers) under every area
//! file; `console/` the console API's areas and `project_api/` each
//! project's API, a file per area; `layers` the middlewares; `documents` the
//! project document; `opl` Keto's permission language; `store` the state;
//! `admin` the `/__emulator/` API; this file assembles the router; `serve`
//! its connections.

mod admin;
mod config;
mod console;
mod documents;
mod error;
pub mod faults;
mod http;
mod layers;
mod opl;
mod project_api;
mod seed;
mod serve;
mod store;

use std::path::PathBuf;
use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex};

use axum::http::Method;
use axum::middleware::{self};
use axum::Router;

pub use error::ApiError;
use http::{
    bearer_key, json_depth, operation_of, page_size, parse_body, parse_json, query, too_deep, value_depth, Caller,
    Routes, Shared, MAX_JSON_DEPTH, OPERATIONS,
};
pub use http::{DEFAULT_READ_TIMEOUT, MAX_BODY_BYTES, MAX_HEADER_BYTES};
pub use seed::Seed;
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
        let routes = console::projects::routes()
            .merge(console::workspaces::routes())
            .merge(console::api_keys::routes())
            .merge(console::event_streams::routes())
            .merge(console::custom_domains::routes())
            .merge(console::organizations::routes())
            .merge(opl::routes());
        let data_plane = project_api::oauth2_clients::routes()
            .merge(project_api::identities::routes())
            .merge(project_api::jwks::routes())
            .merge(project_api::trust::routes())
            .merge(project_api::relationships::routes())
            .merge(project_api::permissions::routes());
        let public_data_plane = project_api::dynamic_clients::routes();
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
            .layer(middleware::from_fn_with_state(self.shared.clone(), layers::room))
            .layer(middleware::from_fn_with_state(self.shared.clone(), layers::inject))
            .layer(middleware::from_fn(project_api::shaped_errors))
            .layer(middleware::from_fn_with_state(self.shared.clone(), layers::count))
            .layer(middleware::from_fn(layers::detached));
        // Each project's own API: its key, not a workspace key, opens it.
        let data_plane = data_plane
            .router
            .layer(middleware::from_fn_with_state(self.shared.clone(), layers::room))
            .layer(middleware::from_fn_with_state(self.shared.clone(), project_api::authenticate))
            .layer(middleware::from_fn_with_state(self.shared.clone(), layers::inject))
            .layer(middleware::from_fn(project_api::shaped_errors))
            .layer(middleware::from_fn_with_state(self.shared.clone(), layers::count))
            .layer(middleware::from_fn(layers::detached));
        let api = routes
            .router
            .layer(middleware::from_fn_with_state(self.shared.clone(), layers::scope))
            .layer(middleware::from_fn_with_state(self.shared.clone(), layers::room))
            .layer(middleware::from_fn_with_state(self.shared.clone(), layers::authenticate))
            .layer(middleware::from_fn(layers::flat_errors))
            .layer(middleware::from_fn_with_state(self.shared.clone(), layers::inject))
            .layer(middleware::from_fn_with_state(self.shared.clone(), layers::count))
            .layer(middleware::from_fn(layers::detached));
        let admin = admin::routes();
        Router::new()
            .merge(api)
            .merge(data_plane)
            .merge(public_data_plane)
            .merge(admin)
            .fallback(layers::unknown_route)
            .method_not_allowed_fallback(layers::method_not_allowed)
            .layer(middleware::from_fn_with_state(self.shared.clone(), serve::guard))
            .with_state(self.shared.clone())
    }
}
