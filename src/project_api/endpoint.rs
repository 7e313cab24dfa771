//! One server of a project's API, as the areas call it: the transport of
//! that server, or none where a self-hosted Ory has no address for it.

use reqwest::Method;
use serde::de::DeserializeOwned;
use serde::Serialize;

use reqwest::header::HeaderMap;

use super::Error;
use crate::http::Transport;

#[derive(Clone, Copy)]
pub(super) struct Endpoint<'a> {
    pub(super) transport: Option<&'a Transport>,
    pub(super) server: Server,
}

impl<'a> Endpoint<'a> {
    /// The server's transport, or the error that says it has no address.
    pub(super) fn transport(&self) -> Result<&'a Transport, Error> {
        self.transport.ok_or_else(|| {
            Error::InvalidConfig(format!("{} is needed here, and no address of it is set", self.server.describe()))
        })
    }

    /// Drops the shared listing at `path`: a write changed what it holds.
    pub(super) fn forget_listing(&self, path: &str) {
        if let Some(transport) = self.transport {
            transport.forget_listing(path);
        }
    }

    pub(super) async fn send<B: Serialize + ?Sized, T: DeserializeOwned>(
        &self,
        operation: &'static str,
        method: Method,
        path: &str,
        body: Option<&B>,
    ) -> Result<T, Error> {
        self.transport()?.send(operation, method, path, body).await
    }

    pub(super) async fn send_empty(&self, operation: &'static str, method: Method, path: &str) -> Result<(), Error> {
        self.transport()?.exchange::<()>(operation, method, path, None).await.map(drop)
    }

    /// The object `id` of the listing at `path`, or `None` when it is gone.
    /// The reads of a process share one listing per path (every page,
    /// single flight, dropped by every write), so a refresh of N objects
    /// costs ⌈N/page⌉ calls, not N; an object the listing does not show is
    /// confirmed by its own read (`get` at `path/id`).
    pub(super) async fn find_listed<T>(
        &self,
        (list, get): (&'static str, &'static str),
        path: &str,
        page_size: usize,
        id: &str,
        key: fn(&T) -> &str,
    ) -> Result<Option<T>, Error>
    where
        T: DeserializeOwned + Clone + Send + Sync + 'static,
    {
        let fetch = async {
            let all: Option<Vec<T>> = within_bounds(self.list_all(list, path, page_size).await)?;
            Ok(all.map(|all| {
                all.into_iter().map(|item| (key(&item).to_string(), item)).collect::<std::collections::HashMap<_, _>>()
            }))
        };
        if let Some(listed) = self.transport()?.shared(path, fetch).await?.as_ref().as_ref().and_then(|all| all.get(id))
        {
            return Ok(Some(listed.clone()));
        }
        let one = format!("{path}/{}", crate::http::segment(id));
        match self.send::<(), T>(get, Method::GET, &one, None).await {
            Ok(found) => Ok(Some(found)),
            Err(e) if e.is_not_found() => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Every item of a listing that pages by `page_token`, the next one
    /// named in the `Link` header, as Kratos and Hydra do; bounded whole as
    /// the console's listings are (pages, bytes, time).
    pub(super) async fn list_all<T: DeserializeOwned>(
        &self,
        operation: &'static str,
        path: &str,
        page_size: usize,
    ) -> Result<Vec<T>, Error> {
        let transport = self.transport()?;
        let mut pages = crate::http::pages::Pages::new(operation, transport.call_budget());
        let mut all = Vec::new();
        let mut token = String::new();
        loop {
            let query = format!("{path}?page_size={page_size}&page_token={}", crate::http::segment(&token));
            let (headers, bytes) = pages.fetch_raw(transport, &query).await?;
            let page: Vec<T> = crate::http::decode(operation, &bytes)?;
            all.extend(page);
            let next = next_token(&headers);
            match pages.next(next.is_some(), next.unwrap_or_default())? {
                Some(next) => token = next,
                None => return Ok(all),
            }
        }
    }
}

/// The servers behind a project's API: one host on Ory Network, each at
/// its own address where Ory is self-hosted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Server {
    /// Ory Kratos' admin API: identities.
    KratosAdmin,
    /// Ory Hydra's admin API: OAuth2 clients, JSON Web Keys, trusted issuers.
    HydraAdmin,
    /// Ory Hydra's public API: dynamic client registration.
    HydraPublic,
    /// Ory Keto's read API: relationship queries, namespaces.
    KetoRead,
    /// Ory Keto's write API: relationship writes and deletes.
    KetoWrite,
}

impl Server {
    pub const ALL: [Server; 5] =
        [Server::KratosAdmin, Server::HydraAdmin, Server::HydraPublic, Server::KetoRead, Server::KetoWrite];

    pub fn describe(self) -> &'static str {
        match self {
            Server::KratosAdmin => "Ory Kratos' admin API",
            Server::HydraAdmin => "Ory Hydra's admin API",
            Server::HydraPublic => "Ory Hydra's public API",
            Server::KetoRead => "Ory Keto's read API",
            Server::KetoWrite => "Ory Keto's write API",
        }
    }
}

/// A listing for a refresh, or `None` when it is past the bounds of one
/// listing (a project of many thousand identities): each object is then
/// read on its own, never the listing again in this process.
pub(super) fn within_bounds<T>(listed: Result<T, Error>) -> Result<Option<T>, Error> {
    match listed {
        Ok(all) => Ok(Some(all)),
        Err(e @ Error::Paging { .. }) => {
            tracing::debug!(error = %e, "a listing past its bounds; reading objects one by one");
            Ok(None)
        }
        Err(e) => Err(e),
    }
}

/// The `page_token` of the `rel="next"` link of a `Link` header.
fn next_token(headers: &HeaderMap) -> Option<String> {
    let link =
        headers.get_all(reqwest::header::LINK).iter().filter_map(|v| v.to_str().ok()).collect::<Vec<_>>().join(",");
    link.split(',').find(|part| part.contains("rel=\"next\"")).and_then(|part| {
        let target = part.trim().strip_prefix('<')?.split('>').next()?;
        let query = target.split_once('?')?.1;
        serde_urlencoded::from_str::<Vec<(String, String)>>(query)
            .ok()?
            .into_iter()
            .find(|(k, _)| k == "page_token")
            .map(|(_, v)| v)
            .filter(|v| !v.is_empty())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_next_page_is_the_one_the_link_header_names() {
        let mut headers = HeaderMap::new();
        let link = "</admin/clients?page_size=2&page_token=>; rel=\"first\",</admin/clients?page_size=2&page_token=abc%3D>; rel=\"next\"";
        headers.insert(reqwest::header::LINK, link.parse().unwrap());
        assert_eq!(next_token(&headers).as_deref(), Some("abc="));
        headers.insert(reqwest::header::LINK, "</admin/clients?page_token=>; rel=\"first\"".parse().unwrap());
        assert_eq!(next_token(&headers), None);
    }
}
