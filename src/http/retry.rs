//! When a failed request may be sent again, and how long to wait first.

use std::time::Duration;

use reqwest::header::HeaderMap;
use reqwest::Method;

/// Longest wait between two attempts.
pub const MAX_WAIT: Duration = Duration::from_secs(30);

/// Whether sending the same request again can never do the work twice.
/// A POST that may have reached the server is never resent blindly.
pub fn idempotent(method: &Method) -> bool {
    // PATCH too: this client patches only against a revision
    // (patchProjectWithRevision). Once a patch applied, the project is at a
    // new revision, so a resend is refused with 409 and changes nothing.
    matches!(*method, Method::GET | Method::PUT | Method::DELETE | Method::HEAD | Method::PATCH)
}

/// Whether an answer with this status is worth another attempt.
pub fn retry_status(method: &Method, status: u16) -> bool {
    // A 429 was refused before any work was done, whatever the method.
    status == 429 || (idempotent(method) && matches!(status, 500 | 502 | 503 | 504))
}

/// Ory's words (its `sqlcon.ErrConcurrentUpdate`, a 400) when its database
/// aborted the request's transaction for another one that touched the same
/// rows: a serialization failure, rolled back, so nothing was done.
pub const ABORTED_TRANSACTION: &str = "Unable to serialize access due to a concurrent update in another session";

/// Whether an answer says the request's transaction was rolled back, which
/// any method may send again: Ory Hydra and Kratos answer so to parallel
/// writes (seen with Hydra v2.3.0 deleting two clients at once).
pub fn aborted(status: u16, body: &[u8]) -> bool {
    status == 400 && String::from_utf8_lossy(body).contains(ABORTED_TRANSACTION)
}

/// Whether a request that failed without an answer is worth another attempt.
pub fn retry_transport(method: &Method, e: &reqwest::Error) -> bool {
    // Failing to connect means nothing was sent.
    e.is_connect() || (idempotent(method) && (e.is_timeout() || e.is_request() || e.is_body()))
}

/// A wait the server asks for: seconds, or (for `Retry-After`) an HTTP date.
fn header_seconds(headers: &HeaderMap, name: &str) -> Option<Duration> {
    let text = headers.get(name)?.to_str().ok()?.trim();
    if let Some(seconds) = text.parse::<f64>().ok().filter(|s| s.is_finite() && *s >= 0.0) {
        return Some(Duration::from_secs_f64(seconds.min(MAX_WAIT.as_secs_f64())));
    }
    let when = httpdate::parse_http_date(text).ok()?;
    Some(when.duration_since(std::time::SystemTime::now()).unwrap_or_default())
}

/// The wait before attempt `attempt + 1`: the exponential floor, or longer
/// if the server says so (`Retry-After`, `x-ratelimit-reset`), capped, with
/// jitter so that parallel requests do not return in step. Ory sends
/// `x-ratelimit-reset: 0` for sub-second buckets, so the floor matters.
pub fn wait(base: Duration, attempt: u32, headers: Option<&HeaderMap>) -> Duration {
    let floor = base.saturating_mul(1u32 << attempt.min(16)).min(MAX_WAIT);
    let told = headers
        .map(|h| header_seconds(h, "retry-after").max(header_seconds(h, "x-ratelimit-reset")).unwrap_or_default())
        .unwrap_or_default();
    let chosen = floor.max(told).min(MAX_WAIT);
    let jitter = chosen.mul_f64(rand::random_range(0.0..0.25));
    (chosen + jitter).min(MAX_WAIT)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn posts_are_retried_only_when_nothing_happened() {
        assert!(retry_status(&Method::POST, 429));
        assert!(!retry_status(&Method::POST, 500));
        assert!(!retry_status(&Method::POST, 503));
        assert!(retry_status(&Method::GET, 503));
        assert!(retry_status(&Method::DELETE, 502));
        assert!(!retry_status(&Method::GET, 404));
        assert!(!retry_status(&Method::GET, 400));
    }

    #[test]
    fn a_rolled_back_transaction_is_sent_again_and_no_other_400() {
        let hydra = br#"{"error":{"code":400,"status":"Bad Request","message":"Unable to serialize access due to a concurrent update in another session"}}"#;
        assert!(aborted(400, hydra));
        assert!(!aborted(409, hydra));
        assert!(!aborted(400, br#"{"error":{"code":400,"message":"The request was malformed"}}"#));
    }

    #[test]
    fn waits_grow_obey_the_server_and_stay_capped() {
        let base = Duration::from_millis(100);
        let w0 = wait(base, 0, None);
        assert!(w0 >= base && w0 <= base.mul_f64(1.25));
        assert!(wait(base, 3, None) >= Duration::from_millis(800));
        let mut h = HeaderMap::new();
        h.insert("retry-after", "2".parse().unwrap());
        h.insert("x-ratelimit-reset", "0".parse().unwrap());
        assert!(wait(base, 0, Some(&h)) >= Duration::from_secs(2));
        assert!(wait(base, 30, None) <= MAX_WAIT);
        h.insert("retry-after", "3600".parse().unwrap());
        assert!(wait(base, 0, Some(&h)) <= MAX_WAIT);
        h.insert("retry-after", "1e308".parse().unwrap());
        assert!(wait(base, 0, Some(&h)) <= MAX_WAIT);
    }

    #[test]
    fn retry_after_may_be_an_http_date() {
        let base = Duration::from_millis(1);
        let mut h = HeaderMap::new();
        let in_ten = std::time::SystemTime::now() + Duration::from_secs(10);
        h.insert("retry-after", httpdate::fmt_http_date(in_ten).parse().unwrap());
        let waited = wait(base, 0, Some(&h));
        assert!(waited >= Duration::from_secs(8) && waited <= MAX_WAIT, "{waited:?}");
        h.insert("retry-after", "Wed, 21 Oct 2015 07:28:00 GMT".parse().unwrap());
        assert!(wait(base, 0, Some(&h)) < Duration::from_secs(1), "a date past is no wait");
        h.insert("retry-after", "Fri, 31 Dec 9999 23:59:59 GMT".parse().unwrap());
        assert!(wait(base, 0, Some(&h)) <= MAX_WAIT);
    }
}
