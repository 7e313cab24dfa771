//! One server of a project's API, as the areas call it: the transport of
//! that server, or none where a self-hosted Ory has no address for it.

use reqwest::Method;
use serde::de::DeserializeOwned;
use serde::Serialize;

use super::{next_token, within_bounds, Error, Server};
use crate::console::Client;

#[derive(Clone, Copy)]
pub(super) struct Endpoint<'a> {
    pub(super) transport: Option<&'a Client>,
    pub(super) server: Server,
}

impl<'a> Endpoint<'a> {
    /// The server's transport, or the error that says it has no address.
    pub(super) fn transport(&self) -> Result<&'a Client, Error> {
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
        let one = format!("{path}/{}", crate::console::segment(id));
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
        let mut pages = crate::console::answers::Pages::new(operation, transport.call_budget());
        let mut all = Vec::new();
        let mut token = String::new();
        loop {
            let query = format!("{path}?page_size={page_size}&page_token={}", crate::console::segment(&token));
            let (headers, bytes) = pages.fetch_raw(transport, &query).await?;
            let page: Vec<T> = Client::decode(operation, &bytes)?;
            all.extend(page);
            let next = next_token(&headers);
            match pages.next(next.is_some(), next.unwrap_or_default())? {
                Some(next) => token = next,
                None => return Ok(all),
            }
        }
    }
}
