//! The console API client: a transport to the console API with the
//! workspace key, and the rules only the console has (allowed projects,
//! creates recovered after a lost answer, one document writer per project).

use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;
use std::sync::Arc;

use reqwest::Method;
use serde::de::DeserializeOwned;
use serde::Serialize;

use super::journal::Journal;
use super::ledger::Ledger;
use super::writers::Writers;
use super::Error;
use crate::http::{Payload, Reach, Settings, Transport};

pub const DEFAULT_URL: &str = "https://api.console.ory.sh";

/// How to reach the console API.
#[derive(Clone)]
pub struct Config {
    pub base_url: String,
    /// A workspace API key (`ory_wak_...`), empty when there is none (a
    /// caller with a project key alone): every call is then refused
    /// before it is sent. Never logged.
    pub api_key: String,
    /// Timeouts, retries, the interrupt, the user agent.
    pub http: Settings,
    /// When set, the only projects any call may name; others are refused
    /// before a request is sent.
    pub allowed_project_ids: Option<BTreeSet<String>>,
    /// Where creates in flight are written down (see `inflight`), so that
    /// a process killed in the middle of one leaves a trace.
    pub inflight_dir: Option<PathBuf>,
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config").field("base_url", &self.base_url).field("api_key", &"(redacted)").finish()
    }
}

impl Config {
    pub fn new(base_url: impl Into<String>, api_key: impl Into<String>) -> Config {
        Config {
            base_url: base_url.into(),
            api_key: api_key.into(),
            http: Settings::default(),
            allowed_project_ids: None,
            inflight_dir: None,
        }
    }
}

/// The console API client. Cheap to clone.
#[derive(Clone)]
pub struct Client {
    transport: Transport,
    allowed_project_ids: Option<Arc<BTreeSet<String>>>,
    pub(super) ledger: Arc<Ledger>,
    pub(super) writers: Arc<Writers>,
    pub(super) journal: Option<Arc<Journal>>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client").field("transport", &self.transport).finish_non_exhaustive()
    }
}

impl Client {
    pub fn new(config: Config) -> Result<Client, Error> {
        let bearer = (!config.api_key.is_empty()).then_some(config.api_key);
        Ok(Client {
            transport: Transport::new(&config.base_url, bearer, Reach::Console, &config.http)?,
            allowed_project_ids: config.allowed_project_ids.map(Arc::new),
            ledger: Default::default(),
            writers: Default::default(),
            journal: config.inflight_dir.map(|dir| Arc::new(Journal::new(dir))),
        })
    }

    /// The same client, deaf to interrupts: for the calls that resolve a
    /// create whose object may exist, which must run to their end.
    pub(crate) fn unstoppable(&self) -> Client {
        Client { transport: self.transport.unstoppable(), ..self.clone() }
    }

    /// The transport, for what needs no key (waits, listings forgotten).
    pub(super) fn http(&self) -> &Transport {
        &self.transport
    }

    /// The transport for `operation`, refused before it is sent when this
    /// client has no workspace key.
    pub(super) fn transport(&self, operation: &'static str) -> Result<&Transport, Error> {
        match self.transport.has_bearer() {
            true => Ok(&self.transport),
            false => Err(Error::MissingKey { operation, reach: Reach::Console }),
        }
    }

    /// Sends one request and decodes a JSON answer.
    pub(crate) async fn send<B: Serialize + ?Sized, T: DeserializeOwned>(
        &self,
        operation: &'static str,
        method: Method,
        path: &str,
        body: Option<&B>,
    ) -> Result<T, Error> {
        self.transport(operation)?.send(operation, method, path, body).await
    }

    /// Sends one request and returns the body of a 2xx answer.
    pub(super) async fn send_raw<B: Serialize + ?Sized>(
        &self,
        operation: &'static str,
        method: Method,
        path: &str,
        body: Option<&B>,
    ) -> Result<Vec<u8>, Error> {
        self.transport(operation)?.send_raw(operation, method, path, body).await
    }

    /// Sends one request with a body already encoded.
    pub(super) async fn send_payload(
        &self,
        operation: &'static str,
        method: Method,
        path: &str,
        body: Option<Payload>,
    ) -> Result<Vec<u8>, Error> {
        self.transport(operation)?.send_payload(operation, method, path, body).await
    }

    /// The listing at `path` by ID, shared by this process's reads until a
    /// write to it (see `http::listings`).
    pub(super) async fn shared_listing<L, T>(
        &self,
        operation: &'static str,
        path: &str,
        items: fn(L) -> Vec<T>,
        id: fn(&T) -> &str,
    ) -> Result<Arc<HashMap<String, T>>, Error>
    where
        L: DeserializeOwned,
        T: Send + Sync + 'static,
    {
        self.transport(operation)?.shared_listing(operation, path, items, id).await
    }

    /// Whether a key was configured: with a project key alone (Ory's
    /// provider's style), console calls are refused before they are sent.
    pub fn has_api_key(&self) -> bool {
        self.transport.has_bearer()
    }

    /// The projects this client may name, when it is guarded.
    pub fn allowed_project_ids(&self) -> Option<Vec<String>> {
        self.allowed_project_ids.as_ref().map(|ids| ids.iter().cloned().collect())
    }

    /// Refuses, before any request, a project outside `allowed_project_ids`.
    pub(crate) fn check_project(&self, project: &str) -> Result<(), Error> {
        match &self.allowed_project_ids {
            Some(allowed) if !allowed.contains(project) => Err(Error::ProjectNotAllowed {
                project: project.to_string(),
                allowed: allowed.iter().cloned().collect::<Vec<_>>().join(", "),
            }),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests;
