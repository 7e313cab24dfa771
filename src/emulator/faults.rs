//! Fault injection and rate limiting, so that clients can be tested against
//! a console API that fails the ways a real one does. Admin paths are never
//! faulted or limited.

use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde::Deserialize;

use super::ApiError;

/// What can go wrong with one request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, serde::Serialize)]
pub enum Kind {
    #[serde(rename = "429")]
    TooManyRequests,
    #[serde(rename = "500")]
    Internal,
    #[serde(rename = "502")]
    BadGateway,
    #[serde(rename = "503")]
    Unavailable,
    /// The connection breaks before any answer.
    #[serde(rename = "reset")]
    Reset,
    #[serde(rename = "latency")]
    Latency,
    /// The operation takes effect, then the connection breaks before the answer.
    #[serde(rename = "commit_then_drop")]
    CommitThenDrop,
    /// Another client changes the project the request names just before it
    /// is handled: its revision moves on, so a patch for the old one gets 409.
    /// Only when named in `kinds` or a script.
    #[serde(rename = "stale")]
    Stale,
    /// The database aborts the request's transaction for a concurrent one
    /// (Ory's 400 "Unable to serialize access ..."): nothing is done. Only
    /// when named in `kinds` or a script.
    #[serde(rename = "aborted")]
    Aborted,
}

pub const ALL_KINDS: [Kind; 7] = [
    Kind::TooManyRequests,
    Kind::Internal,
    Kind::BadGateway,
    Kind::Unavailable,
    Kind::Reset,
    Kind::Latency,
    Kind::CommitThenDrop,
];

/// `POST /__emulator/faults`: `{"rate": 0.2, "kinds": [...], "latency_ms": 200, "seed": 7}`; `{"rate": 0}` turns them off.
/// `script` lists faults for the next requests of named operations, in order, before any drawn at random.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct FaultSettings {
    #[serde(default)]
    pub rate: f64,
    #[serde(default)]
    pub kinds: Option<Vec<Kind>>,
    #[serde(default)]
    pub latency_ms: Option<u64>,
    #[serde(default)]
    pub seed: Option<u64>,
    #[serde(default)]
    pub script: Vec<Scripted>,
}

/// One scripted fault: the next request of `operation` (an operationId)
/// waits `delay_ms`, then fails as `kind` (`latency` only waits).
#[derive(Clone, Debug, Deserialize)]
pub struct Scripted {
    pub operation: String,
    pub kind: Kind,
    #[serde(default)]
    pub delay_ms: u64,
}

/// `POST /__emulator/limits`: `{"burst": 5, "per_second": 5}`; `{}` removes the limiter.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct LimitSettings {
    pub burst: Option<f64>,
    pub per_second: Option<f64>,
}

pub struct Faults {
    rate: f64,
    kinds: Vec<Kind>,
    latency: Duration,
    rng: StdRng,
    script: Vec<Scripted>,
    /// How many of each were injected, for `GET /__emulator/faults`.
    pub injected: std::collections::BTreeMap<String, u64>,
}

impl Faults {
    pub fn new(settings: &FaultSettings) -> Result<Faults, String> {
        if !(0.0..=1.0).contains(&settings.rate) {
            return Err(format!("rate must be from 0 to 1; got {}", settings.rate));
        }
        let kinds = settings.kinds.clone().unwrap_or_else(|| ALL_KINDS.to_vec());
        if settings.rate > 0.0 && kinds.is_empty() {
            return Err("kinds must name at least one fault".into());
        }
        Ok(Faults {
            rate: settings.rate,
            kinds,
            latency: Duration::from_millis(settings.latency_ms.unwrap_or(200)),
            rng: settings.seed.map_or_else(StdRng::from_os_rng, StdRng::seed_from_u64),
            script: settings.script.clone(),
            injected: Default::default(),
        })
    }

    pub fn off() -> Faults {
        Faults::new(&FaultSettings::default()).expect("valid")
    }

    /// The fault for one request of `operation`, if any, and the wait before it.
    pub(super) fn draw(&mut self, operation: &str) -> Option<(Kind, Duration)> {
        let (kind, delay) = match self.script.iter().position(|s| s.operation == operation) {
            Some(i) => {
                let scripted = self.script.remove(i);
                (scripted.kind, Duration::from_millis(scripted.delay_ms))
            }
            None if self.rate <= 0.0 || !self.rng.random_bool(self.rate) => return None,
            None => (self.kinds[self.rng.random_range(0..self.kinds.len())], self.latency),
        };
        let name = serde_json::to_value(kind).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default();
        *self.injected.entry(name).or_default() += 1;
        Some((kind, delay))
    }
}

/// A token bucket like Ory's: `burst` requests at once, refilled at `per_second`.
pub struct Limiter {
    burst: f64,
    pub(super) per_second: f64,
    tokens: f64,
    last: Instant,
}

/// The slowest limiter: one request every 100 s. Slower ones (`1e-300`)
/// would make waits no clock can hold.
const MIN_PER_SECOND: f64 = 0.01;
const MAX_LIMIT: f64 = 1e6;

impl Limiter {
    pub fn new(settings: &LimitSettings) -> Result<Option<Limiter>, String> {
        match (settings.burst, settings.per_second) {
            (None, None) => Ok(None),
            (Some(burst), Some(per_second))
                if (1.0..=MAX_LIMIT).contains(&burst) && (MIN_PER_SECOND..=MAX_LIMIT).contains(&per_second) =>
            {
                Ok(Some(Limiter { burst, per_second, tokens: burst, last: Instant::now() }))
            }
            _ => Err(format!(
                "limits need both burst (1 to {MAX_LIMIT}) and per_second ({MIN_PER_SECOND} to {MAX_LIMIT}), or neither"
            )),
        }
    }

    /// Takes a token, or says how long until one is free.
    pub(super) fn take(&mut self) -> Result<f64, Duration> {
        let now = Instant::now();
        self.tokens = (self.tokens + now.duration_since(self.last).as_secs_f64() * self.per_second).min(self.burst);
        self.last = now;
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            Ok(self.tokens)
        } else {
            Err(Duration::try_from_secs_f64((1.0 - self.tokens) / self.per_second).unwrap_or(Duration::MAX))
        }
    }
}

/// A 429 with the headers Ory documents. A sub-second wait gives
/// `x-ratelimit-reset: 0`, as Ory's buckets do.
pub(super) fn too_many(limit: f64, wait: Duration) -> Response {
    let limit = format!("{limit}, {limit};w=1");
    let mut response = ApiError::new(StatusCode::TOO_MANY_REQUESTS, "Rate limit exceeded; slow down.").into_response();
    let headers = response.headers_mut();
    let set = |h: &mut axum::http::HeaderMap, k: &'static str, v: String| {
        if let Ok(v) = HeaderValue::from_str(&v) {
            h.insert(k, v);
        }
    };
    set(headers, "retry-after", wait.as_secs_f64().ceil().max(1.0).to_string());
    set(headers, "x-ratelimit-limit", limit);
    set(headers, "x-ratelimit-remaining", "0".into());
    set(headers, "x-ratelimit-reset", wait.as_secs().to_string());
    response
}

/// A response whose body fails at once: the client's connection breaks
/// before it has a whole answer.
pub(super) fn broken_connection() -> Response {
    let stream = futures::stream::once(async {
        Err::<axum::body::Bytes, std::io::Error>(std::io::Error::other("connection dropped by fault injection"))
    });
    Response::new(Body::from_stream(stream))
}
