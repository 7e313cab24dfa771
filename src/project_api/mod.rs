//! A typed client of one project's own API (Ory Network serves it at
//! `https://{slug}.projects.oryapis.com`, opened by a project API key
//! `ory_pat_...`): Ory Kratos' admin identities and Ory Hydra's admin
//! OAuth2 clients, JSON Web Key sets and trusted JWT issuers, and Ory Keto's
//! relationships, by area. It shares
//! the console client's transport, so it has its qualities: one error type,
//! retries and pacing by the announced rate limit, bounded answers, IDs
//! checked before they reach a path. It knows nothing of Terraform.

mod dynamic_clients;
mod identities;
mod jwks;
mod oauth2_clients;
mod relationships;
mod trust;

use reqwest::header::HeaderMap;
use reqwest::Method;
use serde::de::DeserializeOwned;
use serde::Serialize;

pub use crate::console::{ApiError, Error};
pub use dynamic_clients::{DynamicClients, Registered};
pub use identities::{
    Address, Credentials, Identities, Identity, IdentityBody, PasswordConfig, PasswordCredential, IDENTITY_STATES,
};
pub use jwks::{Jwk, JwkSet, Jwks, JWK_ALGORITHMS, JWK_PRIVATE_MEMBERS, JWK_USES};
pub use oauth2_clients::{
    OAuth2Client, OAuth2ClientBody, OAuth2Clients, ACCESS_TOKEN_STRATEGIES, GRANT_TYPES, RESPONSE_TYPES, SUBJECT_TYPES,
    TOKEN_ENDPOINT_AUTH_METHODS,
};
pub use relationships::{Relationship, Relationships, SubjectSet, TupleQuery};
pub use trust::{Trust, TrustBody, TrustedIssuers, TrustedKey};

/// Where projects' APIs are, with `{slug}` for a project's slug.
pub const DEFAULT_URL_TEMPLATE: &str = "https://{slug}.projects.oryapis.com";

/// The places a URL template takes a project's slug: ours, and Ory's
/// provider's (`https://%s.projects.oryapis.com`, its `ORY_PROJECT_API_URL`).
pub const SLUG_PLACEHOLDERS: [&str; 2] = ["{slug}", "%s"];

/// The URL of the project with slug `slug`, from a template holding one
/// of [`SLUG_PLACEHOLDERS`].
pub fn url_for(template: &str, slug: &str) -> String {
    SLUG_PLACEHOLDERS.iter().fold(template.to_string(), |url, placeholder| url.replace(placeholder, slug))
}

/// The API of one project.
#[derive(Clone)]
pub struct ProjectApi {
    transport: crate::console::Client,
}

impl ProjectApi {
    /// A client of the project with slug `slug`, at `template` (see
    /// [`DEFAULT_URL_TEMPLATE`]), with `config`'s settings; `config.base_url`
    /// and `config.api_key` are replaced.
    pub fn new(
        template: &str,
        slug: &str,
        api_key: &str,
        mut config: crate::console::Config,
    ) -> Result<ProjectApi, Error> {
        if !is_slug(slug) {
            return Err(Error::InvalidConfig(format!("{slug:?} is not a project slug")));
        }
        config.base_url = url_for(template, slug);
        config.api_key = api_key.to_string();
        config.allowed_project_ids = None;
        config.inflight_dir = None;
        config.reach = crate::console::Reach::ProjectApi;
        Ok(ProjectApi { transport: crate::console::Client::new(config)? })
    }

    pub fn identities(&self) -> Identities<'_> {
        Identities::new(self)
    }

    pub fn oauth2_clients(&self) -> OAuth2Clients<'_> {
        OAuth2Clients::new(self)
    }

    pub fn jwks(&self) -> Jwks<'_> {
        Jwks::new(self)
    }

    pub fn trusted_issuers(&self) -> TrustedIssuers<'_> {
        TrustedIssuers::new(self)
    }

    pub fn dynamic_clients(&self) -> DynamicClients<'_> {
        DynamicClients::new(self)
    }

    pub fn relationships(&self) -> Relationships<'_> {
        Relationships::new(self)
    }

    async fn send<B: Serialize + ?Sized, T: DeserializeOwned>(
        &self,
        operation: &'static str,
        method: Method,
        path: &str,
        body: Option<&B>,
    ) -> Result<T, Error> {
        let (_, bytes) = self.transport.exchange(operation, method, path, body).await?;
        crate::console::Client::decode(operation, &bytes)
    }

    async fn send_empty(&self, operation: &'static str, method: Method, path: &str) -> Result<(), Error> {
        self.transport.exchange::<()>(operation, method, path, None).await.map(drop)
    }

    /// The object `id` of the listing at `path`, or `None` when it is gone.
    /// The reads of a process share one listing per path (every page,
    /// single flight, dropped by every write), so a refresh of N objects
    /// costs ⌈N/page⌉ calls, not N; an object the listing does not show is
    /// confirmed by its own read (`get` at `path/id`).
    async fn find_listed<T>(
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
        if let Some(listed) = self.transport.shared(path, fetch).await?.as_ref().as_ref().and_then(|all| all.get(id)) {
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
    async fn list_all<T: DeserializeOwned>(
        &self,
        operation: &'static str,
        path: &str,
        page_size: usize,
    ) -> Result<Vec<T>, Error> {
        let mut pages = crate::console::answers::Pages::new(operation, self.transport.call_budget());
        let mut all = Vec::new();
        let mut token = String::new();
        loop {
            let query = format!("{path}?page_size={page_size}&page_token={}", crate::console::segment(&token));
            let (headers, bytes) = pages.fetch_raw(&self.transport, &query).await?;
            let page: Vec<T> = crate::console::Client::decode(operation, &bytes)?;
            all.extend(page);
            let next = next_token(&headers);
            match pages.next(next.is_some(), next.unwrap_or_default())? {
                Some(next) => token = next,
                None => return Ok(all),
            }
        }
    }
}

/// A listing for a refresh, or `None` when it is past the bounds of one
/// listing (a project of many thousand identities): each object is then
/// read on its own, never the listing again in this process.
pub(crate) fn within_bounds<T>(listed: Result<T, Error>) -> Result<Option<T>, Error> {
    match listed {
        Ok(all) => Ok(Some(all)),
        Err(e @ Error::Paging { .. }) => {
            tracing::debug!(error = %e, "a listing past its bounds; reading objects one by one");
            Ok(None)
        }
        Err(e) => Err(e),
    }
}

/// A project slug as Ory makes them: lowercase words of letters and digits
/// joined by hyphens. Checked because it becomes a host name.
pub fn is_slug(slug: &str) -> bool {
    (1..=63).contains(&slug.len())
        && slug.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !slug.starts_with('-')
        && !slug.ends_with('-')
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
