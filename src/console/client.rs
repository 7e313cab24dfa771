//! The transport: one configured HTTP client, the retry loop, pacing, and
//! the rules every request obeys (allowed projects, interrupts).

use std::sync::Arc;
use std::time::Duration;

use reqwest::Method;
use serde::de::DeserializeOwned;
use serde::Serialize;

use super::{
    answers, document, listings, pace, recover, retry, ApiError, ApiKeys, Document, Error, EventStreams, Members,
    Organizations, Owner, Projects, Workspaces,
};

pub const DEFAULT_URL: &str = "https://api.console.ory.sh";
/// This client, as servers see it when no caller says more.
pub const USER_AGENT: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));

/// How to reach the console API.
#[derive(Clone)]
pub struct Config {
    pub base_url: String,
    /// A workspace API key (`ory_wak_...`). Never logged.
    pub api_key: String,
    /// How long one request may take, from connect to the end of the body.
    /// One call, its retries and the waits between them included, ends
    /// after [`CALL_TIMEOUTS`] times this.
    pub request_timeout: Duration,
    /// How many times a failed request may be sent again (429, 5xx, lost connections).
    pub max_retries: u32,
    /// The first wait before a retry; each further one doubles it.
    pub retry_base: Duration,
    /// When set, the only projects any call may name; others are refused
    /// before a request is sent.
    pub allowed_project_ids: Option<std::collections::BTreeSet<String>>,
    /// Turns true when the caller is interrupted: requests and waits in
    /// flight end at once with [`Error::Stopped`].
    pub stop: Option<tokio::sync::watch::Receiver<bool>>,
    /// Where creates in flight are written down (see `inflight`), so that
    /// a process killed in the middle of one leaves a trace.
    pub inflight_dir: Option<std::path::PathBuf>,
    /// Which API this is, for the settings its errors name.
    pub reach: super::Reach,
    /// The `User-Agent` header: [`USER_AGENT`], or what the caller makes
    /// of it (Terraform's version, `TF_APPEND_USER_AGENT`).
    pub user_agent: String,
}

/// The default `request_timeout`, and its range.
pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
pub const MAX_REQUEST_TIMEOUT: Duration = Duration::from_secs(600);
/// One call, with all its attempts and waits, takes at most this many
/// request timeouts: an unresponsive server costs a known, short time.
pub const CALL_TIMEOUTS: u32 = 3;
/// The most redirects one request follows.
const MAX_REDIRECTS: usize = 5;

/// The default and the range of `max_retries`.
pub const DEFAULT_MAX_RETRIES: u32 = 6;
pub const MAX_MAX_RETRIES: u32 = 20;

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
            request_timeout: DEFAULT_REQUEST_TIMEOUT,
            max_retries: DEFAULT_MAX_RETRIES,
            retry_base: Duration::from_millis(250),
            allowed_project_ids: None,
            stop: None,
            inflight_dir: None,
            reach: super::Reach::Console,
            user_agent: USER_AGENT.to_string(),
        }
    }
}

/// The bytes an ID may hold ([`answers::is_id`]); every other byte is
/// percent-encoded by [`segment`], which `send_raw` then refuses.
const NOT_ID: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC.remove(b'-').remove(b'_');

/// An ID as one path segment. An ID is letters, digits, `-` and `_`; one
/// with anything else (`../x?y#z`) is encoded here so that it cannot steer
/// the path, and `send_raw` refuses the request: never rewritten, never sent.
pub(crate) fn segment(id: &str) -> String {
    percent_encoding::utf8_percent_encode(id, NOT_ID).to_string()
}

/// Why a request path must not be sent: a segment that is not an ID (empty,
/// or carrying a byte [`segment`] encoded).
fn path_problem(path: &str) -> Option<String> {
    let path = path.split_once('?').map_or(path, |(path, _query)| path);
    let bad = path.split('/').skip(1).find(|s| !answers::is_id(s))?;
    Some(answers::not_an_id(&percent_encoding::percent_decode_str(bad).decode_utf8_lossy()))
}

/// Follows a few redirects, and says so plainly when they loop or do not
/// end. (Leaving the host drops the key: reqwest strips `Authorization`.)
fn redirects() -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(|attempt| {
        let chain = || {
            attempt
                .previous()
                .iter()
                .chain([attempt.url()])
                .map(|u| {
                    // A Location may carry credentials; they are never shown.
                    let mut shown = u.clone();
                    let _ = shown.set_username("");
                    let _ = shown.set_password(None);
                    answers::shown(shown.as_str())
                })
                .collect::<Vec<_>>()
                .join(" -> ")
        };
        // A request with a body (a secret in a configuration) is never
        // sent to another origin: a 307 or 308 would resend the body there.
        // reqwest strips `Authorization` across origins, but not the body.
        let origin = |u: &reqwest::Url| u.origin();
        let leaves = attempt.previous().first().is_some_and(|first| origin(first) != origin(attempt.url()));
        if leaves && matches!(attempt.status().as_u16(), 307 | 308) {
            let problem = format!(
                "to another origin with a {} (which resends the request's body there), so it was not followed: {}",
                attempt.status().as_u16(),
                chain()
            );
            attempt.error(problem)
        } else if attempt.previous().contains(attempt.url()) {
            let problem = format!("in a loop: {}", chain());
            attempt.error(problem)
        } else if attempt.previous().len() > MAX_REDIRECTS {
            let problem = format!("more than {MAX_REDIRECTS} times: {}", chain());
            attempt.error(problem)
        } else {
            attempt.follow()
        }
    })
}

/// Whether `url` is on this machine: the key never leaves it.
pub fn is_loopback(url: &reqwest::Url) -> bool {
    let host = url.host_str().unwrap_or_default().trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost") || host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// The console API client. Cheap to clone.
#[derive(Clone)]
pub struct Client {
    http: reqwest::Client,
    base_url: reqwest::Url,
    request_timeout: Duration,
    api_key: String,
    /// Sends no key on purpose (a public endpoint), rather than lacking one.
    anonymous: bool,
    reach: super::Reach,
    pub(super) max_retries: u32,
    pub(super) retry_base: Duration,
    allowed_project_ids: Option<std::sync::Arc<std::collections::BTreeSet<String>>>,
    stop: Option<tokio::sync::watch::Receiver<bool>>,
    pacer: std::sync::Arc<pace::Pacer>,
    pub(super) ledger: std::sync::Arc<recover::Ledger>,
    pub(super) writers: std::sync::Arc<document::Writers>,
    pub(super) listings: std::sync::Arc<listings::Listings>,
    pub(super) journal: Option<std::sync::Arc<super::inflight::Journal>>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client").field("base_url", &self.base_url.as_str()).finish_non_exhaustive()
    }
}

/// How long an idle connection is kept for reuse: less than servers
/// commonly keep one open.
const POOL_IDLE_TIMEOUT: Duration = Duration::from_secs(20);

/// A request body and its media type.
pub(super) struct Payload {
    pub bytes: Vec<u8>,
    pub media: &'static str,
}

impl Client {
    pub fn new(config: Config) -> Result<Client, Error> {
        let base_url = reqwest::Url::parse(config.base_url.trim_end_matches('/'))
            .map_err(|e| Error::InvalidConfig(format!("console API URL {:?} is not a URL: {e}", config.base_url)))?;
        if !matches!(base_url.scheme(), "http" | "https") {
            return Err(Error::InvalidConfig(format!(
                "console API URL {:?} must start with https:// (or http:// for a local emulator)",
                config.base_url
            )));
        }
        let mut builder = reqwest::Client::builder()
            .user_agent(
                reqwest::header::HeaderValue::from_str(&config.user_agent)
                    .unwrap_or(USER_AGENT.parse().expect("a header value")),
            )
            .redirect(redirects())
            .connect_timeout(Duration::from_secs(15).min(config.request_timeout))
            // Servers close idle keep-alive connections (the emulator after
            // 30 s): a request sent on one as it closes fails unanswered, a
            // POST then needs recovery, and under load a pool of them failed
            // one create's seven attempts in a row. Idle ones are dropped first.
            .pool_idle_timeout(POOL_IDLE_TIMEOUT);
        if base_url.scheme() == "http" {
            // Plain HTTP (a local emulator) needs no trust store; loading the
            // system's costs ~8 ms in every provider process.
            builder = builder.tls_certs_only(Vec::new());
        }
        let http =
            builder.build().map_err(|e| Error::InvalidConfig(format!("could not set up the HTTP client: {e}")))?;
        Ok(Client {
            http,
            base_url,
            request_timeout: config.request_timeout.min(MAX_REQUEST_TIMEOUT),
            api_key: config.api_key,
            anonymous: false,
            reach: config.reach,
            max_retries: config.max_retries.min(MAX_MAX_RETRIES),
            retry_base: config.retry_base,
            allowed_project_ids: config.allowed_project_ids.map(std::sync::Arc::new),
            stop: config.stop,
            pacer: Default::default(),
            ledger: Default::default(),
            writers: Default::default(),
            listings: Default::default(),
            journal: config.inflight_dir.map(|dir| std::sync::Arc::new(super::inflight::Journal::new(dir))),
        })
    }

    pub fn projects(&self) -> Projects<'_> {
        Projects::new(self)
    }

    pub fn workspaces(&self) -> Workspaces<'_> {
        Workspaces::new(self)
    }

    pub fn event_streams(&self, project: &str) -> EventStreams<'_> {
        EventStreams::new(self, project)
    }

    pub fn custom_domains(&self, project: &str) -> super::CustomDomains<'_> {
        super::CustomDomains::new(self, project)
    }

    /// The API keys of a project or a workspace.
    pub fn api_keys(&self, owner: Owner<'_>) -> ApiKeys<'_> {
        ApiKeys::new(self, owner)
    }

    /// A project's document: its configuration, CORS, name and organizations.
    pub fn document<'c>(&'c self, project: &'c str) -> Document<'c> {
        Document::new(self, project)
    }

    /// The B2B organizations of a project, and their portal links.
    pub fn organizations(&self, project: &str) -> Organizations<'_> {
        Organizations::new(self, project)
    }

    /// The members of a project.
    pub fn members(&self, project: &str) -> Members<'_> {
        Members::new(self, project)
    }

    /// Checks of a project's Ory Permission Language documents.
    pub fn opl(&self, project: &str) -> super::Opl<'_> {
        super::Opl::new(self, project)
    }

    /// The same client, deaf to interrupts: for the calls that resolve a
    /// create whose object may exist, which must run to their end.
    pub(crate) fn unstoppable(&self) -> Client {
        Client { stop: None, ..self.clone() }
    }

    fn url(&self, path_and_query: &str) -> reqwest::Url {
        let mut url = self.base_url.clone();
        let base_path = url.path().trim_end_matches('/').to_string();
        let (path, query) = path_and_query.split_once('?').unwrap_or((path_and_query, ""));
        url.set_path(&format!("{base_path}{path}"));
        url.set_query((!query.is_empty()).then_some(query));
        url
    }

    /// Sends one request and decodes a JSON answer. Every non-2xx answer
    /// becomes an [`Error::Api`] here and nowhere else.
    pub(crate) async fn send<B: Serialize + ?Sized, T: DeserializeOwned>(
        &self,
        operation: &'static str,
        method: Method,
        path: &str,
        body: Option<&B>,
    ) -> Result<T, Error> {
        let bytes = self.send_raw(operation, method, path, body).await?;
        Client::decode(operation, &bytes)
    }

    /// A listing's body, shared by the reads of this process (see `listings`).
    /// The listing at `path` by ID, decoded once and shared by this
    /// process's reads until a write to it (see `listings`).
    pub(super) async fn shared_listing<L, T>(
        &self,
        operation: &'static str,
        path: &str,
        items: fn(L) -> Vec<T>,
        id: fn(&T) -> &str,
    ) -> Result<Arc<std::collections::HashMap<String, T>>, Error>
    where
        L: DeserializeOwned,
        T: Send + Sync + 'static,
    {
        let fetch = async {
            let body = self.send_raw::<()>(operation, Method::GET, path, None).await?;
            let listed: L = Client::decode(operation, &body)?;
            Ok(items(listed).into_iter().map(|item| (id(&item).to_string(), item)).collect())
        };
        self.listings.get(path, fetch).await
    }

    /// The listing at `path`, fetched once and shared by this client and its
    /// clones until [`Client::forget_listing`] (see `listings`): for the
    /// project API client's reads by ID.
    pub(crate) async fn shared<T: Send + Sync + 'static>(
        &self,
        path: &str,
        fetch: impl std::future::Future<Output = Result<T, Error>>,
    ) -> Result<Arc<T>, Error> {
        self.listings.get(path, fetch).await
    }

    /// This client with another bearer token (such as a registration
    /// access token), or, with `None`, none: for a public endpoint.
    pub(crate) fn keyed(&self, token: Option<&str>) -> Client {
        let reach = if token.is_some() { super::Reach::RegistrationToken } else { self.reach };
        Client { api_key: token.unwrap_or_default().to_string(), anonymous: token.is_none(), reach, ..self.clone() }
    }

    /// Drops the shared listing at `path`: a write changed what it holds.
    pub(crate) fn forget_listing(&self, path: &str) {
        self.listings.forget(path);
    }

    /// Decodes a JSON answer, naming the path of what does not fit.
    pub(crate) fn decode<T: DeserializeOwned>(operation: &'static str, bytes: &[u8]) -> Result<T, Error> {
        let de = &mut serde_json::Deserializer::from_slice(bytes);
        serde_path_to_error::deserialize(de).map_err(|e| Error::Decode {
            operation,
            path: answers::shown(&e.path().to_string()),
            message: answers::shown(&e.inner().to_string()),
        })
    }

    /// Sends one request and returns the body of a 2xx answer.
    pub(super) async fn send_raw<B: Serialize + ?Sized>(
        &self,
        operation: &'static str,
        method: Method,
        path: &str,
        body: Option<&B>,
    ) -> Result<Vec<u8>, Error> {
        let body = match body.map(serde_json::to_vec).transpose() {
            Ok(json) => json.map(|bytes| Payload { bytes, media: "application/json" }),
            Err(e) => return Err(Error::InvalidConfig(format!("{operation} was not sent: its body is not JSON: {e}"))),
        };
        self.send_payload(operation, method, path, body).await
    }

    /// Sends one request with a body already encoded, and returns the body
    /// of a 2xx answer.
    pub(super) async fn send_payload(
        &self,
        operation: &'static str,
        method: Method,
        path: &str,
        body: Option<Payload>,
    ) -> Result<Vec<u8>, Error> {
        self.exchange_payload(operation, method, path, body).await.map(|(_, bytes)| bytes)
    }

    /// Sends one JSON request and returns the headers and body of a 2xx
    /// answer: the transport the project API client shares, with every rule
    /// of this one (retries, pacing, bounded answers, checked paths).
    pub(crate) async fn exchange<B: Serialize + ?Sized>(
        &self,
        operation: &'static str,
        method: Method,
        path: &str,
        body: Option<&B>,
    ) -> Result<(reqwest::header::HeaderMap, Vec<u8>), Error> {
        let body = match body.map(serde_json::to_vec).transpose() {
            Ok(json) => json.map(|bytes| Payload { bytes, media: "application/json" }),
            Err(e) => return Err(Error::InvalidConfig(format!("{operation} was not sent: its body is not JSON: {e}"))),
        };
        self.exchange_payload(operation, method, path, body).await
    }

    async fn exchange_payload(
        &self,
        operation: &'static str,
        method: Method,
        path: &str,
        body: Option<Payload>,
    ) -> Result<(reqwest::header::HeaderMap, Vec<u8>), Error> {
        if self.api_key.is_empty() && !self.anonymous {
            return Err(Error::InvalidConfig(format!(
                "{operation} needs a workspace API key (ory_wak_...), and none is set: set workspace_api_key in the provider block or the ORY_WORKSPACE_API_KEY environment variable"
            )));
        }
        if let Some(problem) = path_problem(path) {
            return Err(Error::InvalidConfig(format!("{operation} was not sent: {problem}")));
        }
        let mut attempt = 0;
        // Time spent on this call: its attempts, retry waits and the
        // pacer's waits alike, so that no header can hold a call longer.
        let budget = self.call_budget();
        let mut spent = Duration::ZERO;
        loop {
            let paced = self.pacer.reserve();
            if spent + paced >= budget {
                return Err(Error::OverBudget {
                    operation,
                    problem: format!(
                        "the rate limit the server announced (x-ratelimit-limit) would make it wait {:.0} s, past the {} s a call may take ({CALL_TIMEOUTS} times request_timeout)",
                        paced.as_secs_f64().min(1e12),
                        budget.as_secs()
                    ),
                });
            }
            self.pause(paced).await?;
            spent += paced;
            let started = std::time::Instant::now();
            let mut req = self
                .http
                .request(method.clone(), self.url(path))
                .timeout(self.request_timeout.min(budget.saturating_sub(spent)));
            if !self.anonymous {
                req = req.bearer_auth(&self.api_key);
            }
            if let Some(body) = &body {
                req = req.header(reqwest::header::CONTENT_TYPE, body.media).body(body.bytes.clone());
            }
            // The body is read inside the attempt: a connection lost halfway
            // through the answer is a failed attempt too.
            let attempt_future = async {
                let response = req.send().await?;
                let status = response.status();
                let headers = response.headers().clone();
                answers::read_body(operation, response).await.map(|body| (status, headers, body))
            };
            // An interrupt abandons a request that can be sent again. A POST
            // already on its way is seen to its answer: abandoning it could
            // leave an object that nobody records.
            let outcome = if retry::idempotent(&method) {
                self.unless_stopped(attempt_future).await?
            } else if self.is_stopped() {
                return Err(Error::Stopped);
            } else {
                attempt_future.await
            };
            let elapsed = started.elapsed();
            spent += elapsed;
            let elapsed_ms = elapsed.as_millis() as u64;
            // Another attempt only if its wait still leaves time for it.
            let may_retry = |wait: Duration| attempt < self.max_retries && spent + wait < budget;
            match outcome {
                Ok((status, headers, body)) => {
                    self.pacer.observe(&headers);
                    tracing::debug!(operation, %method, path, status = status.as_u16(), duration_ms = elapsed_ms, attempt, "console request");
                    let bytes = body?;
                    if status.is_success() {
                        return Ok((headers, bytes));
                    }
                    let wait = retry::wait(self.retry_base, attempt, Some(&headers));
                    let again =
                        retry::retry_status(&method, status.as_u16()) || retry::aborted(status.as_u16(), &bytes);
                    if again && may_retry(wait) {
                        self.pause(wait).await?;
                        spent += wait;
                        attempt += 1;
                        continue;
                    }
                    let mut error = ApiError::from_response(operation, status.as_u16(), &bytes);
                    error.reach = self.reach;
                    return Err(Error::Api(Box::new(error)));
                }
                Err(e) => {
                    tracing::debug!(operation, %method, path, error = %e, duration_ms = elapsed_ms, attempt, "console request failed");
                    if e.is_redirect() {
                        let problem = std::error::Error::source(&e).map(|s| s.to_string()).unwrap_or_default();
                        return Err(Error::Redirect { url: self.base_url.to_string(), problem });
                    }
                    let wait = retry::wait(self.retry_base, attempt, None);
                    // Nothing listening on this machine, or a host name that
                    // does not resolve, is no passing fault: an emulator not
                    // started, a wrong port or address. Said at once.
                    let nobody_home = e.is_connect() && (is_loopback(&self.base_url) || !self.host_resolves().await);
                    if retry::retry_transport(&method, &e) && !nobody_home && may_retry(wait) {
                        self.pause(wait).await?;
                        spent += wait;
                        attempt += 1;
                        continue;
                    }
                    let timeout = e.is_timeout().then_some(self.request_timeout);
                    return Err(Error::Transport { source: e, attempts: attempt + 1, timeout, reach: self.reach });
                }
            }
        }
    }

    /// Whether the base URL's host has an address: asked after a failed
    /// connection, so that a name that does not resolve is not retried.
    async fn host_resolves(&self) -> bool {
        let Some(host) = self.base_url.host_str() else { return false };
        let port = self.base_url.port_or_known_default().unwrap_or(443);
        tokio::net::lookup_host((host.trim_start_matches('[').trim_end_matches(']'), port))
            .await
            .is_ok_and(|mut addresses| addresses.next().is_some())
    }

    /// How long one call may take, its retries and waits included.
    pub(crate) fn call_budget(&self) -> Duration {
        self.request_timeout * CALL_TIMEOUTS
    }

    /// Runs `work` unless the caller is stopped first.
    pub(super) async fn unless_stopped<T>(&self, work: impl std::future::Future<Output = T>) -> Result<T, Error> {
        let Some(mut stop) = self.stop.clone() else { return Ok(work.await) };
        if *stop.borrow() {
            return Err(Error::Stopped);
        }
        tokio::select! {
            out = work => Ok(out),
            _ = stop.wait_for(|stopped| *stopped) => Err(Error::Stopped),
        }
    }

    /// Whether the caller was interrupted.
    pub(crate) fn is_stopped(&self) -> bool {
        self.stop.as_ref().is_some_and(|s| *s.borrow())
    }

    /// Waits before a retry, unless stopped.
    pub(crate) async fn pause(&self, wait: Duration) -> Result<(), Error> {
        self.unless_stopped(tokio::time::sleep(wait)).await
    }

    /// Whether a key was configured: with a project key alone (Ory's
    /// provider's style), console calls are refused before they are sent.
    pub fn has_api_key(&self) -> bool {
        !self.api_key.is_empty()
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
mod tests {
    use super::*;
    use crate::console::CreateProject;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    fn http_answer(status: &str, body: &str) -> String {
        format!("HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}", body.len())
    }

    /// Serves one canned HTTP answer and hands back the request it got.
    async fn one_shot(answer: String) -> (String, tokio::task::JoinHandle<String>) {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let served = tokio::spawn(async move {
            let (mut stream, _) = listener.accept().await.unwrap();
            let mut buf = vec![0; 8192];
            let n = stream.read(&mut buf).await.unwrap();
            stream.write_all(answer.as_bytes()).await.unwrap();
            String::from_utf8_lossy(&buf[..n]).to_string()
        });
        (url, served)
    }

    #[tokio::test]
    async fn requests_carry_the_key_and_user_agent_and_errors_read_well() {
        let body = r#"{"error":{"code":404,"status":"Not Found","message":"The requested resource could not be found","reason":"No such project","request":"req-1"}}"#;
        let (url, served) = one_shot(http_answer("404 Not Found", body)).await;
        let client = Client::new(Config::new(url, "ory_wak_secret")).unwrap();
        let err = client.projects().get("3fa85f64-5717-4562-b3fc-2c963f66afa6").await.unwrap_err();
        assert!(err.is_not_found());
        assert_eq!(
            err.to_string(),
            "404 Not Found: The requested resource could not be found (No such project; request req-1)"
        );
        let request = served.await.unwrap().to_ascii_lowercase();
        assert!(request.starts_with("get /projects/3fa85f64-5717-4562-b3fc-2c963f66afa6 "), "{request}");
        assert!(request.contains("authorization: bearer ory_wak_secret"));
        assert!(request.contains(&format!("user-agent: terraform-provider-ory/{}", env!("CARGO_PKG_VERSION"))));
    }

    #[tokio::test]
    async fn unknown_fields_are_kept_and_bad_bodies_name_the_path() {
        let ok = r#"{"id":"i","slug":"s","name":"n","environment":"dev","home_region":"eu","state":"running","revision_id":"r","services":{"identity":{}},"brand_new":1}"#;
        let (url, _) = one_shot(http_answer("200 OK", ok)).await;
        let project = Client::new(Config::new(url, "k")).unwrap().projects().get("i").await.unwrap();
        assert_eq!(project.additional["brand_new"], 1);
        assert!(project.additional.contains_key("services"));

        let bad = r#"{"id":"i","slug":"s","name":7}"#;
        let (url, _) = one_shot(http_answer("200 OK", bad)).await;
        let err = Client::new(Config::new(url, "k")).unwrap().projects().get("i").await.unwrap_err();
        assert!(err.to_string().contains("at name"), "{err}");
    }

    /// A server that accepts a connection, then never answers.
    async fn silent_server() -> String {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move {
            let (stream, _) = listener.accept().await.unwrap();
            std::future::pending::<()>().await;
            drop(stream);
        });
        url
    }

    #[tokio::test]
    async fn a_request_that_takes_too_long_fails() {
        let url = silent_server().await;
        let mut config = Config::new(url, "k");
        config.request_timeout = Duration::from_millis(200);
        config.max_retries = 0;
        let err = Client::new(config).unwrap().projects().get("i").await.unwrap_err();
        assert!(matches!(err, Error::Transport { attempts: 1, .. }), "{err}");
    }

    /// Serves `answers` in order, one per connection, and records each
    /// request's first line.
    async fn scripted(answers: Vec<String>) -> (String, std::sync::Arc<std::sync::Mutex<Vec<String>>>) {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let log = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let seen = log.clone();
        tokio::spawn(async move {
            for answer in answers {
                let (mut stream, _) = listener.accept().await.unwrap();
                let mut buf = vec![0; 8192];
                let n = stream.read(&mut buf).await.unwrap();
                let first = String::from_utf8_lossy(&buf[..n]).lines().next().unwrap_or_default().to_string();
                seen.lock().unwrap().push(first);
                stream.write_all(answer.as_bytes()).await.unwrap();
            }
        });
        (url, log)
    }

    fn requests(log: &std::sync::Mutex<Vec<String>>) -> Vec<String> {
        log.lock().unwrap().iter().map(|l| l.split(' ').take(2).collect::<Vec<_>>().join(" ")).collect()
    }

    fn quick(url: String, max_retries: u32) -> Client {
        let mut config = Config::new(url, "k");
        config.max_retries = max_retries;
        config.retry_base = Duration::from_millis(1);
        Client::new(config).unwrap()
    }

    const PROJECT: &str =
        r#"{"id":"i","slug":"s","name":"n","environment":"dev","home_region":"eu","state":"running"}"#;

    #[tokio::test]
    async fn reads_are_retried_through_server_errors_and_rate_limits() {
        let busy = "HTTP/1.1 429 Too Many Requests\r\nretry-after: 0\r\nx-ratelimit-reset: 0\r\ncontent-length: 0\r\nconnection: close\r\n\r\n".to_string();
        let (url, log) =
            scripted(vec![http_answer("503 Service Unavailable", "{}"), busy, http_answer("200 OK", PROJECT)]).await;
        let project = quick(url, 6).projects().get("i").await.unwrap();
        assert_eq!(project.name, "n");
        assert_eq!(requests(&log).len(), 3);
    }

    #[tokio::test]
    async fn retries_stop_at_max_retries() {
        let (url, log) = scripted(vec![http_answer("502 Bad Gateway", "{}"); 3]).await;
        let err = quick(url, 2).projects().get("i").await.unwrap_err();
        assert_eq!(err.status(), Some(502));
        assert_eq!(requests(&log).len(), 3, "one attempt and two retries");
    }

    #[tokio::test]
    async fn an_unanswered_post_is_read_back_and_adopted_not_resent() {
        let made = r#"[{"id":"i","slug":"s","name":"n","environment":"dev","home_region":"eu","state":"running"}]"#;
        let (url, log) = scripted(vec![
            http_answer("200 OK", "[]"),
            http_answer("500 Internal Server Error", "{}"),
            http_answer("200 OK", made),
        ])
        .await;
        let body = CreateProject { name: "n".into(), environment: "dev".into(), home_region: None, workspace_id: None };
        let project = quick(url, 6).projects().create(&body).await.unwrap();
        assert_eq!(project.id, "i");
        assert_eq!(project.slug, "s");
        // The baseline, the lost create, the read-back; nothing is sent again.
        assert_eq!(requests(&log), ["GET /projects", "POST /projects", "GET /projects"]);
    }

    #[tokio::test]
    async fn an_unanswered_post_that_made_nothing_is_sent_again() {
        let (url, log) = scripted(vec![
            http_answer("200 OK", "[]"),
            http_answer("503 Service Unavailable", "{}"),
            http_answer("200 OK", "[]"),
            http_answer("201 Created", PROJECT),
        ])
        .await;
        let body = CreateProject { name: "n".into(), environment: "dev".into(), home_region: None, workspace_id: None };
        quick(url, 6).projects().create(&body).await.unwrap();
        assert_eq!(requests(&log), ["GET /projects", "POST /projects", "GET /projects", "POST /projects"]);
    }

    #[tokio::test]
    async fn a_project_that_existed_before_the_create_is_never_adopted() {
        // Same name and fields, but listed before the create was sent.
        let before = r#"[{"id":"old","slug":"s","name":"n","environment":"dev","home_region":"eu","state":"running"}]"#;
        let (url, log) = scripted(vec![
            http_answer("200 OK", before),
            http_answer("502 Bad Gateway", "{}"),
            http_answer("200 OK", before),
            http_answer("201 Created", PROJECT),
        ])
        .await;
        let body = CreateProject { name: "n".into(), environment: "dev".into(), home_region: None, workspace_id: None };
        let project = quick(url, 6).projects().create(&body).await.unwrap();
        assert_eq!(project.id, "i");
        assert_eq!(requests(&log), ["GET /projects", "POST /projects", "GET /projects", "POST /projects"]);
    }

    #[tokio::test]
    async fn a_rate_limited_post_is_resent() {
        let (url, log) = scripted(vec![
            http_answer("200 OK", "[]"),
            http_answer("429 Too Many Requests", "{}"),
            http_answer("201 Created", PROJECT),
        ])
        .await;
        let body = CreateProject { name: "n".into(), environment: "dev".into(), home_region: None, workspace_id: None };
        quick(url, 6).projects().create(&body).await.unwrap();
        assert_eq!(requests(&log), ["GET /projects", "POST /projects", "POST /projects"]);
    }

    #[tokio::test]
    async fn a_project_outside_the_allow_list_is_refused_without_a_request() {
        let (url, log) = scripted(vec![http_answer("200 OK", PROJECT)]).await;
        let mut config = Config::new(url, "k");
        config.allowed_project_ids = Some(["a-allowed".to_string(), "b-allowed".to_string()].into_iter().collect());
        let client = Client::new(config).unwrap();
        let err = client.projects().purge("c-other").await.unwrap_err();
        assert_eq!(
            err.to_string(),
            "project c-other is not one of the allowed projects (a-allowed, b-allowed); no request was sent"
        );
        assert!(client.api_keys(Owner::Project("c-other")).list().await.is_err());
        assert!(client.event_streams("c-other").list().await.is_err());
        assert!(client.members("c-other").list().await.is_err());
        assert!(requests(&log).is_empty());
    }

    #[tokio::test]
    async fn an_id_that_is_not_one_is_refused_never_rewritten_and_never_sent() {
        let (url, log) = scripted(vec![http_answer("200 OK", PROJECT)]).await;
        let client = Client::new(Config::new(url, "k")).unwrap();
        for id in ["../x?y#z", "x?a=b", "", "a/b", "%2e%2e", "urn:uuid:3fa85f64-5717-4562-b3fc-2c963f66afa6"] {
            let err = client.projects().purge(id).await.unwrap_err().to_string();
            assert!(err.contains("is not an ID") && err.contains("was not sent"), "{id}: {err}");
            assert!(client.api_keys(Owner::Project("p")).delete(id).await.is_err(), "{id}");
        }
        let err = client.projects().get("../x?y#z").await.unwrap_err().to_string();
        assert!(err.contains("\"../x?y#z\" is not an ID"), "{err}");
        assert!(requests(&log).is_empty(), "{:?}", requests(&log));
    }

    #[tokio::test]
    async fn stop_ends_requests_and_retry_waits_at_once() {
        let url = silent_server().await;
        let (stop, watch) = tokio::sync::watch::channel(false);
        let mut config = Config::new(url, "k");
        config.stop = Some(watch);
        let client = Client::new(config).unwrap();
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(50)).await;
            stop.send_replace(true);
        });
        // The server never answers and the request timeout is a minute: only stop ends this.
        let err = client.projects().get("i").await.unwrap_err();
        assert!(matches!(err, Error::Stopped), "{err}");
        // Stopped stays stopped: a retry wait ends at once too.
        assert!(matches!(client.pause(Duration::from_secs(3600)).await, Err(Error::Stopped)));
    }

    #[test]
    fn only_http_urls_are_accepted() {
        assert!(Client::new(Config::new("ftp://x", "k")).is_err());
        assert!(Client::new(Config::new("not a url", "k")).is_err());
        assert!(format!("{:?}", Config::new("https://x", "ory_wak_secret")).contains("redacted"));
    }
}
