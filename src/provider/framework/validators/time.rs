//! Times and durations: RFC 3339 instants, Go durations, and the
//! provider's own timeouts and retry counts.

/// An RFC 3339 time in the future.
pub fn future_time(v: &str) -> Result<(), String> {
    time(v)?;
    match chrono::DateTime::parse_from_rfc3339(v) {
        Ok(t) if t <= chrono::Utc::now() => Err(format!("must be in the future; {v} has passed.")),
        _ => Ok(()),
    }
}

/// An RFC 3339 time whose instant is before the year 10000 in UTC: later
/// ones cannot be written back in RFC 3339, so they never compare equal.
pub fn time(v: &str) -> Result<(), String> {
    use chrono::{Datelike, Timelike};
    match chrono::DateTime::parse_from_rfc3339(v) {
        Ok(t) if t.with_timezone(&chrono::Utc).year() > 9999 => {
            Err(format!("must be before the year 10000 (UTC); {v} is not."))
        }
        // Go, and so Ory, refuses a 60th second; it would fail at apply.
        Ok(t) if t.nanosecond() >= 1_000_000_000 => {
            Err(format!("must not be a leap second (:60); got {v:?}. Use the second after it."))
        }
        Ok(_) => Ok(()),
        Err(_) => Err(format!("must be an RFC 3339 time such as 2030-01-01T00:00:00Z; got {v:?}.")),
    }
}

/// A time as it is sent: RFC 3339 in UTC with an upper-case `T` and `Z`
/// (`2030-01-01T00:00:00Z`), whatever spelling the user chose (a lower-case
/// `t`, a space, an offset). Text that does not parse is sent as it is and
/// refused by the API; the plan-time check stops it first.
pub fn canonical_time(v: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(v)
        .map(|t| t.with_timezone(&chrono::Utc).to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true))
        .unwrap_or_else(|_| v.to_string())
}

/// Whether two RFC 3339 texts name the same instant.
pub fn same_instant(a: &str, b: &str) -> bool {
    match (chrono::DateTime::parse_from_rfc3339(a), chrono::DateTime::parse_from_rfc3339(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

/// The longest duration any setting takes: ten years (87600h). Every sum
/// with the current time then stays far from an overflow and from year 10000.
pub const MAX_DURATION_SECONDS: i64 = 87_600 * 3600;

pub fn duration(v: &str) -> Result<(), String> {
    match parse_duration(v) {
        Some(_) => Ok(()),
        None => Err(format!("must be a duration such as 30s, 10m or 1h30m, at most 87600h (ten years); got {v:?}.")),
    }
}

/// Two spellings of one duration (`1h`, `1h0m0s`, `60m`).
pub fn same_duration(a: &str, b: &str) -> bool {
    a == b || parse_duration(a).is_some_and(|a| parse_duration(b) == Some(a))
}

/// A duration such as `90s`, `30m`, `1h` or `1h30m`, in seconds, up to
/// [`MAX_DURATION_SECONDS`].
pub fn parse_duration(text: &str) -> Option<i64> {
    let (mut total, mut number) = (0i64, String::new());
    for c in text.chars() {
        if c.is_ascii_digit() {
            number.push(c);
            continue;
        }
        let unit = match c {
            's' => 1,
            'm' => 60,
            'h' => 3600,
            _ => return None,
        };
        total = total.checked_add(number.parse::<i64>().ok()?.checked_mul(unit)?)?;
        number.clear();
    }
    (number.is_empty() && total > 0 && total <= MAX_DURATION_SECONDS).then_some(total)
}

/// A request timeout: a duration from 1s to 10m.
pub fn parse_request_timeout(text: &str) -> Option<std::time::Duration> {
    let max = crate::http::MAX_REQUEST_TIMEOUT.as_secs() as i64;
    parse_duration(text).filter(|s| *s <= max).map(|s| std::time::Duration::from_secs(s as u64))
}

pub fn request_timeout(v: &str) -> Result<(), String> {
    match parse_request_timeout(v) {
        Some(_) => Ok(()),
        None => Err(format!("must be a duration from 1s to 10m, such as 30s or 2m; got {v:?}.")),
    }
}

pub fn parse_max_retries(text: &str) -> Option<u32> {
    text.trim().parse::<u32>().ok().filter(|n| *n <= crate::http::MAX_MAX_RETRIES)
}

pub fn max_retries(n: &str) -> Result<(), String> {
    match parse_max_retries(n) {
        Some(_) => Ok(()),
        None => Err(format!("must be a whole number from 0 to {}; got {n}.", crate::http::MAX_MAX_RETRIES)),
    }
}

/// An organization's session lifespan: whole s, m or h, from 1m to 8760h.
pub fn session_lifespan(v: &str) -> Result<(), String> {
    let digits = v.strip_suffix(['s', 'm', 'h']).filter(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
    let seconds = digits.and_then(|n| n.parse::<u64>().ok()).map(|n| {
        n.saturating_mul(match v.chars().last() {
            Some('h') => 3600,
            Some('m') => 60,
            _ => 1,
        })
    });
    match seconds {
        Some(s) if (60..=8760 * 3600).contains(&s) => Ok(()),
        _ => Err(format!("must be whole seconds, minutes or hours from 1m to 8760h, such as 24h; got {v:?}.")),
    }
}
