//! A client-side token bucket that keeps requests under the API's rate
//! limit instead of bouncing off 429s. It starts open and learns the limit
//! from the `x-ratelimit-*` headers Ory sends (`x-ratelimit-limit: 10, 10;w=1`).

use std::sync::Mutex;
use std::time::{Duration, Instant};

use reqwest::header::HeaderMap;

#[derive(Default)]
pub struct Pacer {
    state: Mutex<Option<Bucket>>,
}

struct Bucket {
    per_second: f64,
    capacity: f64,
    tokens: f64,
    last: Instant,
}

/// The per-second quota in an `x-ratelimit-limit` value: the `;w=1` policy,
/// else a bare number.
fn per_second(limit: &str) -> Option<f64> {
    let mut bare = None;
    for part in limit.split(',') {
        let mut fields = part.trim().split(';');
        let quota: f64 = fields.next()?.trim().parse().ok()?;
        let window = fields.find_map(|f| f.trim().strip_prefix("w=").and_then(|w| w.parse::<f64>().ok()));
        match window {
            Some(w) if w > 0.0 => return sane(quota / w),
            Some(_) => {}
            None => bare = bare.or(Some(quota)),
        }
    }
    bare.and_then(sane)
}

/// A rate a client can pace by: finite and above zero, else none (the
/// header is ignored). A tiny rate stays tiny: the call's budget, not the
/// pacer, decides whether its wait can be afforded.
fn sane(rate: f64) -> Option<f64> {
    (rate.is_finite() && rate > 0.0).then_some(rate)
}

/// A wait in seconds as a duration, saturating where no clock reaches.
fn seconds(wait: f64) -> Duration {
    Duration::try_from_secs_f64(wait).unwrap_or(Duration::MAX)
}

impl Pacer {
    /// How long to wait before the next request may go; takes its token.
    pub fn reserve(&self) -> Duration {
        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        let Some(b) = state.as_mut() else { return Duration::ZERO };
        let now = Instant::now();
        b.tokens = (b.tokens + now.duration_since(b.last).as_secs_f64() * b.per_second).min(b.capacity);
        b.last = now;
        b.tokens -= 1.0;
        if b.tokens >= 0.0 {
            Duration::ZERO
        } else {
            seconds(-b.tokens / b.per_second)
        }
    }

    /// Learns from an answer's rate-limit headers.
    pub fn observe(&self, headers: &HeaderMap) {
        let Some(rate) = headers.get("x-ratelimit-limit").and_then(|v| v.to_str().ok()).and_then(per_second) else {
            return;
        };
        let remaining = headers
            .get("x-ratelimit-remaining")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<f64>().ok())
            .filter(|r| r.is_finite())
            .map(|r| r.max(0.0));
        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        let b = state.get_or_insert_with(|| Bucket {
            per_second: rate,
            capacity: rate.max(1.0),
            tokens: rate.max(1.0),
            last: Instant::now(),
        });
        b.per_second = rate;
        b.capacity = rate.max(1.0);
        // The server's count wins over ours when it says fewer are left.
        if let Some(remaining) = remaining {
            b.tokens = b.tokens.min(remaining);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_per_second_quota_is_read_from_ory_style_headers() {
        assert_eq!(per_second("10, 10;w=1, 300;w=60"), Some(10.0));
        assert_eq!(per_second("300;w=60"), Some(5.0));
        assert_eq!(per_second("5"), Some(5.0));
        assert_eq!(per_second("nonsense"), None);
    }

    #[test]
    fn absurd_headers_never_panic_and_never_pace_by_nonsense() {
        for (limit, remaining) in [
            ("1e-300", "0"),
            ("1e-300;w=1", "0"),
            ("5", "-inf"),
            ("5", "NaN"),
            ("inf", "0"),
            ("1e308;w=1e-308", "0"),
            ("0.0001", "0"),
            ("5;w=0", "1e308"),
        ] {
            let pacer = Pacer::default();
            let mut h = HeaderMap::new();
            h.insert("x-ratelimit-limit", limit.parse().unwrap());
            h.insert("x-ratelimit-remaining", remaining.parse().unwrap());
            pacer.observe(&h);
            // A wait past any clock saturates; the call's budget refuses it.
            let _ = pacer.reserve();
            let _ = pacer.reserve();
        }
        assert_eq!(per_second("inf"), None);
        assert_eq!(per_second("NaN"), None);
        assert_eq!(per_second("1e-300"), Some(1e-300));
    }

    #[test]
    fn a_learned_limit_spaces_requests_out() {
        let pacer = Pacer::default();
        assert_eq!(pacer.reserve(), Duration::ZERO, "open until a limit is known");
        let mut h = HeaderMap::new();
        h.insert("x-ratelimit-limit", "2, 2;w=1".parse().unwrap());
        h.insert("x-ratelimit-remaining", "0".parse().unwrap());
        pacer.observe(&h);
        let first = pacer.reserve();
        let second = pacer.reserve();
        assert!(first > Duration::ZERO && second > first, "{first:?} {second:?}");
    }
}
