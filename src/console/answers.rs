//! What this client takes from a server, which may be broken or hostile:
//! bodies of bounded size, IDs that are IDs, text that cannot steer a
//! terminal, listings that end.

use serde::{Deserialize, Deserializer};

use super::Error;

/// The largest answer body read. A project's whole configuration is tens of
/// kilobytes and a full page of a listing less than a megabyte; a body past
/// this is a broken or hostile server, and reading it would only eat memory.
pub const MAX_BODY_BYTES: usize = 16 * 1024 * 1024;

/// The most pages one listing follows: 200 pages of 250 items is 50,000
/// objects, far past any workspace's count. A server that keeps handing out
/// new page tokens is stopped here.
pub const MAX_PAGES: usize = 200;

/// The longest server message shown; the rest is cut, with a note.
pub const MAX_MESSAGE_CHARS: usize = 1000;

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

fn checked_id<E: serde::de::Error>(s: String) -> Result<String, E> {
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

/// [`id`], for an ID the server may leave out.
pub(super) fn optional_id<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Option::<String>::deserialize(d)?.map(checked_id).transpose()
}

/// Server text made safe to show: every control character (ANSI escapes,
/// carriage returns, line breaks) written as its escape, and text past
/// [`MAX_MESSAGE_CHARS`] cut with a note of how much was cut.
pub fn shown(text: &str) -> String {
    crate::text::printable(text, MAX_MESSAGE_CHARS, &[])
}

/// The most a whole listing's pages may hold together: 200 pages of
/// 250 objects of a few hundred bytes is under 16 MB. Each page is also
/// bounded by [`MAX_BODY_BYTES`], which alone would let 200 pages take
/// gigabytes.
pub const MAX_LISTING_BYTES: usize = 32 * 1024 * 1024;

/// Follows a listing's page tokens, stopping with an error on a token seen
/// before (following it would loop), past [`MAX_PAGES`], past
/// [`MAX_LISTING_BYTES`] in all, or once its pages took longer than one
/// call may (`budget`): a listing is bounded whole, not only per page.
pub(crate) struct Pages {
    operation: &'static str,
    seen: std::collections::HashSet<String>,
    bytes: usize,
    started: std::time::Instant,
    budget: std::time::Duration,
}

impl Pages {
    pub fn new(operation: &'static str, budget: std::time::Duration) -> Pages {
        Pages { operation, seen: Default::default(), bytes: 0, started: std::time::Instant::now(), budget }
    }

    /// One page of the listing at `path`, counted against the bounds.
    pub async fn fetch<T: serde::de::DeserializeOwned>(
        &mut self,
        client: &super::Client,
        path: &str,
    ) -> Result<T, Error> {
        let (_, body) = self.fetch_raw(client, path).await?;
        super::Client::decode(self.operation, &body)
    }

    /// One page's headers and body, counted against the bounds: for
    /// listings that name their next page in a header (`Link`).
    pub async fn fetch_raw(
        &mut self,
        client: &super::Client,
        path: &str,
    ) -> Result<(reqwest::header::HeaderMap, Vec<u8>), Error> {
        if self.started.elapsed() >= self.budget {
            return Err(self.stopped(format!(
                "its {} pages took more than the {} s one call may take (3 times request_timeout)",
                self.seen.len() + 1,
                self.budget.as_secs()
            )));
        }
        let (headers, body) = client.exchange::<()>(self.operation, reqwest::Method::GET, path, None).await?;
        self.bytes += body.len();
        if self.bytes > MAX_LISTING_BYTES {
            return Err(self.stopped(format!(
                "its pages passed {} MB in all after {} pages, more than any real listing holds",
                MAX_LISTING_BYTES >> 20,
                self.seen.len() + 1
            )));
        }
        Ok((headers, body))
    }

    fn stopped(&self, problem: String) -> Error {
        Error::Paging { operation: self.operation, problem }
    }

    /// The token of the next page, or `None` after the last one.
    pub fn next(&mut self, has_next_page: bool, token: String) -> Result<Option<String>, Error> {
        if !has_next_page || token.is_empty() {
            return Ok(None);
        }
        let problem = if self.seen.contains(&token) {
            format!(
                "the server sent the page token \"{}\" a second time, so following it would never end",
                shown(&token)
            )
        } else if self.seen.len() + 1 >= MAX_PAGES {
            format!("the server still had a next page after {MAX_PAGES} pages, more than any real listing has")
        } else {
            self.seen.insert(token.clone());
            return Ok(Some(token));
        };
        Err(Error::Paging { operation: self.operation, problem })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_text_is_escaped_whole_and_cut_at_the_message_limit() {
        assert_eq!(shown("a\nb"), "a\\nb");
        let long = "x".repeat(MAX_MESSAGE_CHARS + 5);
        assert_eq!(shown(&long), format!("{}… (5 more characters cut)", "x".repeat(MAX_MESSAGE_CHARS)));
    }

    #[test]
    fn ids_are_letters_digits_dashes_and_underscores() {
        assert!(is_id("3fa85f64-5717-4562-b3fc-2c963f66afa6"));
        assert!(is_id("ory_ak_1"));
        for bad in ["", "../workspaces/x", "a b", "a?b", "a%2e", "é"] {
            assert!(!is_id(bad), "{bad}");
        }
    }

    #[test]
    fn pages_end_refuse_a_repeated_token_and_stop_a_runaway() {
        let mut pages = Pages::new("listWorkspaces", std::time::Duration::from_secs(90));
        assert_eq!(pages.next(true, "a".into()).unwrap(), Some("a".into()));
        assert_eq!(pages.next(false, "b".into()).unwrap(), None);
        assert_eq!(pages.next(true, String::new()).unwrap(), None);
        let err = pages.next(true, "a".into()).unwrap_err().to_string();
        assert!(err.contains("page token \"a\" a second time"), "{err}");
        let mut runaway = Pages::new("listWorkspaces", std::time::Duration::from_secs(90));
        let followed = (0..).take_while(|n| runaway.next(true, format!("t{n}")).is_ok()).count();
        assert_eq!(followed + 1, MAX_PAGES, "the first page needs no token");
        assert!(runaway.next(true, "new".into()).unwrap_err().to_string().contains("after 200 pages"));
    }
}
