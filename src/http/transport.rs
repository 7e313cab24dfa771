//! One configured HTTP client and the rules every request obeys: retries,
//! pacing by the announced rate limit, bounded answers, checked paths,
//! interrupts. The console client, a project's API and self-hosted Ory's
//! servers each hold one per address.

use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::header::HeaderMap;
use reqwest::Method;
use serde::de::DeserializeOwned;
use serde::Serialize;

use super::settings::{Settings, CALL_TIMEOUTS, MAX_MAX_RETRIES, MAX_REQUEST_TIMEOUT, USER_AGENT};
use super::url::{is_loopback, path_problem, redirects};
use super::{answers, listings, pace, retry, ApiError, Error, Reach};

/// A request body and its media type.
pub struct Payload {
    pub bytes: Vec<u8>,
    pub media: &'static str,
}

impl Payload {
    /// `body` as JSON, or why it cannot be sent.
    pub fn json<B: Serialize + ?Sized>(operation: &'static str, body: &B) -> Result<Payload, Error> {
        serde_json::to_vec(body)
            .map(|bytes| Payload { bytes, media: "application/json" })
            .map_err(|e| Error::InvalidConfig(format!("{operation} was not sent: its body is not JSON: {e}")))
    }
}

/// How long an idle connection is kept for reuse: less than servers
/// commonly keep one open.
const POOL_IDLE_TIMEOUT: Duration = Duration::from_secs(20);

/// One address, reached with one credential (or none). Cheap to clone.
#[derive(Clone)]
pub struct Transport {
    http: reqwest::Client,
    base_url: reqwest::Url,
    request_timeout: Duration,
    /// `None`: no `Authorization` header is sent.
    bearer: Option<String>,
    reach: Reach,
    max_retries: u32,
    retry_base: Duration,
    stop: Option<tokio::sync::watch::Receiver<bool>>,
    pacer: Arc<pace::Pacer>,
    listings: Arc<listings::Listings>,
}

impl std::fmt::Debug for Transport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Transport").field("base_url", &self.base_url.as_str()).finish_non_exhaustive()
    }
}

/// Where one call stands: its attempts so far and the time they took.
struct Call {
    attempt: u32,
    spent: Duration,
    budget: Duration,
}

/// What an attempt's outcome calls for.
enum Verdict {
    Done(Result<(HeaderMap, Vec<u8>), Error>),
    Again(Duration),
}

type Outcome = Result<(reqwest::StatusCode, HeaderMap, Result<Vec<u8>, Error>), reqwest::Error>;

impl Transport {
    /// A transport to `base_url` (http or https), sending `bearer` as the
    /// `Authorization` of every request; `reach` names the API in errors.
    pub fn new(base_url: &str, bearer: Option<String>, reach: Reach, settings: &Settings) -> Result<Transport, Error> {
        let url = reqwest::Url::parse(base_url.trim_end_matches('/'))
            .map_err(|e| Error::InvalidConfig(format!("the URL of {} {base_url:?} is not a URL: {e}", reach.api())))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(Error::InvalidConfig(format!(
                "the URL of {} {base_url:?} must start with https:// (or http:// for a local emulator)",
                reach.api()
            )));
        }
        let mut builder = reqwest::Client::builder()
            .user_agent(
                reqwest::header::HeaderValue::from_str(&settings.user_agent)
                    .unwrap_or(USER_AGENT.parse().expect("a header value")),
            )
            .redirect(redirects())
            .connect_timeout(Duration::from_secs(15).min(settings.request_timeout))
            // Servers close idle keep-alive connections (the emulator after
            // 30 s): a request sent on one as it closes fails unanswered, a
            // POST then needs recovery, and under load a pool of them failed
            // one create's seven attempts in a row. Idle ones are dropped first.
            .pool_idle_timeout(POOL_IDLE_TIMEOUT);
        if url.scheme() == "http" {
            // Plain HTTP (a local emulator) needs no trust store; loading the
            // system's costs ~8 ms in every provider process.
            builder = builder.tls_certs_only(Vec::new());
        }
        let http =
            builder.build().map_err(|e| Error::InvalidConfig(format!("could not set up the HTTP client: {e}")))?;
        Ok(Transport {
            http,
            base_url: url,
            request_timeout: settings.request_timeout.min(MAX_REQUEST_TIMEOUT),
            bearer,
            reach,
            max_retries: settings.max_retries.min(MAX_MAX_RETRIES),
            retry_base: settings.retry_base,
            stop: settings.stop.clone(),
            pacer: Default::default(),
            listings: Default::default(),
        })
    }

    /// This transport with another bearer token (such as a registration
    /// access token), or, with `None`, none: for a public endpoint.
    pub fn keyed(&self, token: Option<&str>) -> Transport {
        let reach = if token.is_some() { Reach::RegistrationToken } else { self.reach };
        Transport { bearer: token.map(str::to_string), reach, ..self.clone() }
    }

    /// Whether requests carry a bearer token.
    pub fn has_bearer(&self) -> bool {
        self.bearer.is_some()
    }

    /// The same transport, deaf to interrupts: for the calls that resolve a
    /// create whose object may exist, which must run to their end.
    pub fn unstoppable(&self) -> Transport {
        Transport { stop: None, ..self.clone() }
    }

    /// How many times a failed request may be sent again, and the first wait.
    pub fn retries(&self) -> (u32, Duration) {
        (self.max_retries, self.retry_base)
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
    pub async fn send<B: Serialize + ?Sized, T: DeserializeOwned>(
        &self,
        operation: &'static str,
        method: Method,
        path: &str,
        body: Option<&B>,
    ) -> Result<T, Error> {
        let bytes = self.send_raw(operation, method, path, body).await?;
        decode(operation, &bytes)
    }

    /// Sends one request and returns the body of a 2xx answer.
    pub async fn send_raw<B: Serialize + ?Sized>(
        &self,
        operation: &'static str,
        method: Method,
        path: &str,
        body: Option<&B>,
    ) -> Result<Vec<u8>, Error> {
        self.exchange(operation, method, path, body).await.map(|(_, bytes)| bytes)
    }

    /// Sends one request with a body already encoded, and returns the body
    /// of a 2xx answer.
    pub async fn send_payload(
        &self,
        operation: &'static str,
        method: Method,
        path: &str,
        body: Option<Payload>,
    ) -> Result<Vec<u8>, Error> {
        self.exchange_payload(operation, method, path, body).await.map(|(_, bytes)| bytes)
    }

    /// Sends one JSON request and returns the headers and body of a 2xx answer.
    pub async fn exchange<B: Serialize + ?Sized>(
        &self,
        operation: &'static str,
        method: Method,
        path: &str,
        body: Option<&B>,
    ) -> Result<(HeaderMap, Vec<u8>), Error> {
        let body = body.map(|body| Payload::json(operation, body)).transpose()?;
        self.exchange_payload(operation, method, path, body).await
    }

    /// The one loop every request goes through: attempts, until an answer
    /// that is final or the call's time or retries are spent.
    async fn exchange_payload(
        &self,
        operation: &'static str,
        method: Method,
        path: &str,
        body: Option<Payload>,
    ) -> Result<(HeaderMap, Vec<u8>), Error> {
        if let Some(problem) = path_problem(path) {
            return Err(Error::InvalidConfig(format!("{operation} was not sent: {problem}")));
        }
        // Time spent on this call: its attempts, retry waits and the
        // pacer's waits alike, so that no header can hold a call longer.
        let mut call = Call { attempt: 0, spent: Duration::ZERO, budget: self.call_budget() };
        loop {
            self.paced(operation, &mut call).await?;
            let started = Instant::now();
            let outcome = self.attempt(operation, &method, path, body.as_ref(), &call).await?;
            let elapsed = started.elapsed();
            call.spent += elapsed;
            let log = |status: &dyn std::fmt::Display| {
                tracing::debug!(api = self.reach.api(), operation, %method, path, %status, duration_ms = elapsed.as_millis() as u64, attempt = call.attempt, "API request");
            };
            let verdict = match outcome {
                Ok((status, headers, body)) => {
                    log(&status.as_u16());
                    self.pacer.observe(&headers);
                    self.judge_answer(operation, &method, status, headers, body, &call)
                }
                Err(e) => {
                    log(&e);
                    self.judge_failure(&method, e, &call).await
                }
            };
            match verdict {
                Verdict::Done(result) => return result,
                Verdict::Again(wait) => {
                    self.pause(wait).await?;
                    call.spent += wait;
                    call.attempt += 1;
                }
            }
        }
    }

    /// Waits for the pacer's turn, or refuses a wait past the call's time.
    async fn paced(&self, operation: &'static str, call: &mut Call) -> Result<(), Error> {
        let paced = self.pacer.reserve();
        if call.spent + paced >= call.budget {
            return Err(Error::OverBudget {
                operation,
                problem: format!(
                    "the rate limit the server announced (x-ratelimit-limit) would make it wait {:.0} s, past the {} s a call may take ({CALL_TIMEOUTS} times request_timeout)",
                    paced.as_secs_f64().min(1e12),
                    call.budget.as_secs()
                ),
            });
        }
        self.pause(paced).await?;
        call.spent += paced;
        Ok(())
    }

    /// Sends the request once and reads its whole answer.
    async fn attempt(
        &self,
        operation: &'static str,
        method: &Method,
        path: &str,
        body: Option<&Payload>,
        call: &Call,
    ) -> Result<Outcome, Error> {
        let mut req = self
            .http
            .request(method.clone(), self.url(path))
            .timeout(self.request_timeout.min(call.budget.saturating_sub(call.spent)));
        if let Some(bearer) = &self.bearer {
            req = req.bearer_auth(bearer);
        }
        if let Some(body) = body {
            req = req.header(reqwest::header::CONTENT_TYPE, body.media).body(body.bytes.clone());
        }
        // The body is read inside the attempt: a connection lost halfway
        // through the answer is a failed attempt too.
        let attempt = async {
            let response = req.send().await?;
            let status = response.status();
            let headers = response.headers().clone();
            answers::read_body(operation, response).await.map(|body| (status, headers, body))
        };
        // An interrupt abandons a request that can be sent again. A POST
        // already on its way is seen to its answer: abandoning it could
        // leave an object that nobody records.
        if retry::idempotent(method) {
            self.unless_stopped(attempt).await
        } else if self.is_stopped() {
            Err(Error::Stopped)
        } else {
            Ok(attempt.await)
        }
    }

    /// Another attempt only if its wait still leaves time for it.
    fn may_retry(&self, call: &Call, wait: Duration) -> bool {
        call.attempt < self.max_retries && call.spent + wait < call.budget
    }

    fn judge_answer(
        &self,
        operation: &'static str,
        method: &Method,
        status: reqwest::StatusCode,
        headers: HeaderMap,
        body: Result<Vec<u8>, Error>,
        call: &Call,
    ) -> Verdict {
        let bytes = match body {
            Ok(bytes) => bytes,
            Err(e) => return Verdict::Done(Err(e)),
        };
        if status.is_success() {
            return Verdict::Done(Ok((headers, bytes)));
        }
        let wait = retry::wait(self.retry_base, call.attempt, Some(&headers));
        let again = retry::retry_status(method, status.as_u16()) || retry::aborted(status.as_u16(), &bytes);
        if again && self.may_retry(call, wait) {
            return Verdict::Again(wait);
        }
        let mut error = ApiError::from_response(operation, status.as_u16(), &bytes);
        error.reach = self.reach;
        error.attempts = call.attempt + 1;
        Verdict::Done(Err(Error::Api(Box::new(error))))
    }

    async fn judge_failure(&self, method: &Method, e: reqwest::Error, call: &Call) -> Verdict {
        if e.is_redirect() {
            let problem = std::error::Error::source(&e).map(|s| s.to_string()).unwrap_or_default();
            return Verdict::Done(Err(Error::Redirect { url: self.base_url.to_string(), problem }));
        }
        let wait = retry::wait(self.retry_base, call.attempt, None);
        // Nothing listening on this machine, or a host name that does not
        // resolve, is no passing fault: an emulator not started, a wrong
        // port or address. Said at once.
        let nobody_home = e.is_connect() && (is_loopback(&self.base_url) || !self.host_resolves().await);
        if retry::retry_transport(method, &e) && !nobody_home && self.may_retry(call, wait) {
            return Verdict::Again(wait);
        }
        let timeout = e.is_timeout().then_some(self.request_timeout);
        Verdict::Done(Err(Error::Transport { source: e, attempts: call.attempt + 1, timeout, reach: self.reach }))
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
    pub fn call_budget(&self) -> Duration {
        self.request_timeout * CALL_TIMEOUTS
    }

    /// Runs `work` unless the caller is stopped first.
    pub async fn unless_stopped<T>(&self, work: impl std::future::Future<Output = T>) -> Result<T, Error> {
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
    pub fn is_stopped(&self) -> bool {
        self.stop.as_ref().is_some_and(|s| *s.borrow())
    }

    /// Waits before a retry, unless stopped.
    pub async fn pause(&self, wait: Duration) -> Result<(), Error> {
        self.unless_stopped(tokio::time::sleep(wait)).await
    }

    /// The listing at `path` by ID, decoded once and shared by this
    /// transport's reads until a write to it (see `listings`).
    pub async fn shared_listing<L, T>(
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
            let listed: L = decode(operation, &body)?;
            Ok(items(listed).into_iter().map(|item| (id(&item).to_string(), item)).collect())
        };
        self.listings.get(path, fetch).await
    }

    /// The listing at `path`, fetched once and shared by this transport and
    /// its clones until [`Transport::forget_listing`] (see `listings`).
    pub async fn shared<T: Send + Sync + 'static>(
        &self,
        path: &str,
        fetch: impl std::future::Future<Output = Result<T, Error>>,
    ) -> Result<Arc<T>, Error> {
        self.listings.get(path, fetch).await
    }

    /// Holds `value` as what the shared read of `path` gives now (see `listings`).
    pub fn remember<T: Send + Sync + 'static>(&self, path: &str, value: Arc<T>) {
        self.listings.put(path, value);
    }

    /// Drops the shared listing at `path`: a write changed what it holds.
    pub fn forget_listing(&self, path: &str) {
        self.listings.forget(path);
    }

    /// Drops every shared listing under `prefix`: its owner was deleted.
    pub fn forget_listings_under(&self, prefix: &str) {
        self.listings.forget_under(prefix);
    }
}

/// Decodes a JSON answer, naming the path of what does not fit.
pub fn decode<T: DeserializeOwned>(operation: &'static str, bytes: &[u8]) -> Result<T, Error> {
    // Tracking the path costs an allocation per key and value of every
    // answer; only an answer that does not fit needs it, decoded again.
    if let Ok(decoded) = serde_json::from_slice(bytes) {
        return Ok(decoded);
    }
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(de).map_err(|e| Error::Decode {
        operation,
        path: answers::shown(&e.path().to_string()),
        message: answers::shown(&e.inner().to_string()),
    })
}
