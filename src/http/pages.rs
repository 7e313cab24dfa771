//! Listings that end: page tokens followed within bounds of pages, bytes
//! and time, so that a broken or hostile server cannot keep one going.

use super::answers::shown;
use super::{Error, Transport};

/// The most pages one listing follows: 200 pages of 250 items is 50,000
/// objects, far past any workspace's count. A server that keeps handing out
/// new page tokens is stopped here.
pub const MAX_PAGES: usize = 200;

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
        transport: &Transport,
        path: &str,
    ) -> Result<T, Error> {
        let (_, body) = self.fetch_raw(transport, path).await?;
        super::decode(self.operation, &body)
    }

    /// One page's headers and body, counted against the bounds: for
    /// listings that name their next page in a header (`Link`).
    pub async fn fetch_raw(
        &mut self,
        transport: &Transport,
        path: &str,
    ) -> Result<(reqwest::header::HeaderMap, Vec<u8>), Error> {
        if self.started.elapsed() >= self.budget {
            return Err(self.stopped(format!(
                "its {} pages took more than the {} s one call may take (3 times request_timeout)",
                self.seen.len() + 1,
                self.budget.as_secs()
            )));
        }
        let (headers, body) = transport.exchange::<()>(self.operation, reqwest::Method::GET, path, None).await?;
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
