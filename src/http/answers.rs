//! What this client takes from a server, which may be broken or hostile:
//! bodies of bounded size, IDs that are IDs, text that cannot steer a
//! terminal (see `pages` for listings that end).

use serde::{Deserialize, Deserializer};

pub use super::error::shown;
use super::Error;

/// The largest answer body read. A project's whole configuration is tens of
/// kilobytes and a full page of a listing less than a megabyte; a body past
/// this is a broken or hostile server, and reading it would only eat memory.
pub const MAX_BODY_BYTES: usize = 16 * 1024 * 1024;

/// Reads a body to its end, refusing one longer than [`MAX_BODY_BYTES`]
/// as soon as that is known: from its `content-length`, else once that
/// many bytes arrived.
pub(super) async fn read_body(
    operation: &'static str,
    mut response: reqwest::Response,
) -> Result<Result<Vec<u8>, Error>, reqwest::Error> {
    if response.content_length().is_some_and(|n| n > MAX_BODY_BYTES as u64) {
        return Ok(Err(Error::TooLarge { operation, limit: MAX_BODY_BYTES }));
    }
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await? {
        if body.len() + chunk.len() > MAX_BODY_BYTES {
            return Ok(Err(Error::TooLarge { operation, limit: MAX_BODY_BYTES }));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(Ok(body))
}

/// Whether `s` is an ID as Ory makes them: letters, digits, `-` and `_`.
/// Only such text may become a path segment or enter the state.
pub fn is_id(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Why `text` cannot be used as an ID, wherever it came from.
pub(super) fn not_an_id(text: &str) -> String {
    format!("\"{}\" is not an ID (letters, digits, - and _ only)", shown(text))
}

pub(crate) fn checked_id<E: serde::de::Error>(s: String) -> Result<String, E> {
    if is_id(&s) {
        Ok(s)
    } else {
        Err(E::custom(not_an_id(&s)))
    }
}

/// Deserializes an ID the server sent, refusing one that is not an ID
/// (`../workspaces/x`) before it can reach a path or the state.
pub(crate) fn id<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    checked_id(String::deserialize(d)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_letters_digits_dashes_and_underscores() {
        assert!(is_id("3fa85f64-5717-4562-b3fc-2c963f66afa6"));
        assert!(is_id("ory_ak_1"));
        for bad in ["", "../workspaces/x", "a b", "a?b", "a%2e", "é"] {
            assert!(!is_id(bad), "{bad}");
        }
    }
}
