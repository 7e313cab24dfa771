//! A typed client of one project's own API (Ory Network serves it at
//! `https://{slug}.projects.oryapis.com`, opened by a project API key
//! `ory_pat_...`): Ory Kratos' admin identities and Ory Hydra's admin
//! OAuth2 clients, JSON Web Key sets and trusted JWT issuers, and Ory Keto's
//! relationships, by area. It shares
//! the console client's transport, so it has its qualities: one error type,
//! retries and pacing by the announced rate limit, bounded answers, IDs
//! checked before they reach a path. It knows nothing of Terraform.

mod dynamic_clients;
mod endpoint;
mod identities;
mod jwks;
mod oauth2_clients;
mod relationships;
mod trust;

use reqwest::header::HeaderMap;

pub use crate::console::{ApiError, Error};
use endpoint::Endpoint;

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

/// The API of one project, or of one self-hosted Ory.
#[derive(Clone)]
pub struct ProjectApi {
    /// A transport per [`Server`], in [`Server::ALL`]'s order; `None`
    /// where a self-hosted Ory has no address for that server.
    servers: [Option<crate::console::Client>; 5],
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
        let transport = crate::console::Client::new(config)?;
        Ok(ProjectApi { servers: Server::ALL.map(|_| Some(transport.clone())) })
    }

    /// A client of self-hosted Ory servers, each at the base URL `url_of`
    /// gives (`None`: not reachable), sending no key: their admin APIs
    /// have none. `config` gives the transport's other settings.
    pub fn self_hosted(
        url_of: impl Fn(Server) -> Option<String>,
        config: &crate::console::Config,
    ) -> Result<ProjectApi, Error> {
        let mut servers = Server::ALL.map(|_| None);
        for (slot, server) in servers.iter_mut().zip(Server::ALL) {
            let Some(url) = url_of(server) else { continue };
            let mut config = config.clone();
            config.base_url = url;
            config.api_key = String::new();
            config.allowed_project_ids = None;
            config.inflight_dir = None;
            config.reach = crate::console::Reach::SelfHosted;
            *slot = Some(crate::console::Client::new(config)?.keyed(None));
        }
        Ok(ProjectApi { servers })
    }

    /// Whether `server` is reachable.
    pub fn serves(&self, server: Server) -> bool {
        self.servers[server as usize].is_some()
    }

    fn on(&self, server: Server) -> Endpoint<'_> {
        Endpoint { transport: self.servers[server as usize].as_ref(), server }
    }

    pub fn identities(&self) -> Identities<'_> {
        Identities::new(self.on(Server::KratosAdmin))
    }

    pub fn oauth2_clients(&self) -> OAuth2Clients<'_> {
        OAuth2Clients::new(self.on(Server::HydraAdmin))
    }

    pub fn jwks(&self) -> Jwks<'_> {
        Jwks::new(self.on(Server::HydraAdmin))
    }

    pub fn trusted_issuers(&self) -> TrustedIssuers<'_> {
        TrustedIssuers::new(self.on(Server::HydraAdmin))
    }

    pub fn dynamic_clients(&self) -> DynamicClients<'_> {
        DynamicClients::new(self.on(Server::HydraPublic), self.on(Server::HydraAdmin))
    }

    pub fn relationships(&self) -> Relationships<'_> {
        Relationships::new(self.on(Server::KetoRead), self.on(Server::KetoWrite))
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
