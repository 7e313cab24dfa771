//! The rules a request's URL obeys: IDs that cannot steer a path, the
//! redirects followed, and what counts as this machine.

use super::answers;

/// The most redirects one request follows.
const MAX_REDIRECTS: usize = 5;

/// The bytes an ID may hold ([`answers::is_id`]); every other byte is
/// percent-encoded by [`segment`], which the transport then refuses.
const NOT_ID: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC.remove(b'-').remove(b'_');

/// An ID as one path segment. An ID is letters, digits, `-` and `_`; one
/// with anything else (`../x?y#z`) is encoded here so that it cannot steer
/// the path, and the transport refuses the request: never rewritten, never sent.
pub fn segment(id: &str) -> String {
    percent_encoding::utf8_percent_encode(id, NOT_ID).to_string()
}

/// Why a request path must not be sent: a segment that is not an ID (empty,
/// or carrying a byte [`segment`] encoded).
pub(super) fn path_problem(path: &str) -> Option<String> {
    let path = path.split_once('?').map_or(path, |(path, _query)| path);
    let bad = path.split('/').skip(1).find(|s| !answers::is_id(s))?;
    Some(answers::not_an_id(&percent_encoding::percent_decode_str(bad).decode_utf8_lossy()))
}

/// Follows a few redirects, and says so plainly when they loop or do not
/// end. (Leaving the host drops the key: reqwest strips `Authorization`.)
pub(super) fn redirects() -> reqwest::redirect::Policy {
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
