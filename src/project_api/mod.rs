//! A typed client of one project's own API (Ory Network serves it at
//! `https://{slug}.projects.oryapis.com`, opened by a project API key
//! `ory_pat_...`): Ory Kratos' admin identities and Ory Hydra's admin
//! OAuth2 clients, JSON Web Key sets and trusted JWT issuers, and Ory Keto's
//! relationships, by area. It stands on the [`crate::http`] transport, as
//! the console client does, so it has its qualities: one error type,
//! retries and pacing by the announced rate limit, bounded answers, IDs
//! checked before they reach a path. It knows nothing of Terraform.

mod dynamic_clients;
mod endpoint;
mod identities;
mod ids;
mod jwks;
mod oauth2_clients;
mod relationships;
mod trust;

pub use crate::http::{ApiError, Error};
use crate::http::{Reach, Settings, Transport};
use endpoint::Endpoint;
pub use endpoint::Server;
pub use ids::{ClientId, IdentityId, TrustId};

pub use dynamic_clients::{DynamicClients, Registered};
pub use identities::{
    Address, Credentials, Identities, Identity, IdentityBody, IdentityState, PasswordConfig, PasswordCredential,
};
pub use jwks::{Jwk, JwkAlgorithm, JwkSet, JwkUse, Jwks, JWK_PRIVATE_MEMBERS};
pub use oauth2_clients::{
    AccessTokenStrategy, GrantType, OAuth2Client, OAuth2ClientBody, OAuth2Clients, ResponseType, SubjectType,
    TokenEndpointAuthMethod,
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

/// The API of one project, or of one self-hosted Ory.
#[derive(Clone)]
pub struct ProjectApi {
    /// A transport per [`Server`], in [`Server::ALL`]'s order; `None`
    /// where a self-hosted Ory has no address for that server.
    servers: [Option<Transport>; 5],
}

impl ProjectApi {
    /// A client of the project with slug `slug`, at `template` (see
    /// [`DEFAULT_URL_TEMPLATE`]), opened by the project key `api_key`
    /// (empty: none, for the public endpoints and registration tokens).
    pub fn new(template: &str, slug: &str, api_key: &str, settings: &Settings) -> Result<ProjectApi, Error> {
        if !is_slug(slug) {
            return Err(Error::InvalidConfig(format!("{slug:?} is not a project slug")));
        }
        let url = url_for(template, slug);
        let transport =
            Transport::new(&url, (!api_key.is_empty()).then(|| api_key.to_string()), Reach::ProjectApi, settings)?;
        Ok(ProjectApi { servers: Server::ALL.map(|_| Some(transport.clone())) })
    }

    /// A client of self-hosted Ory servers, each at the base URL `url_of`
    /// gives (`None`: not reachable), sending no key: their admin APIs
    /// have none.
    pub fn self_hosted(url_of: impl Fn(Server) -> Option<String>, settings: &Settings) -> Result<ProjectApi, Error> {
        let mut servers = Server::ALL.map(|_| None);
        for (slot, server) in servers.iter_mut().zip(Server::ALL) {
            let Some(url) = url_of(server) else { continue };
            *slot = Some(Transport::new(&url, None, Reach::SelfHosted, settings)?);
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

/// A project slug as Ory makes them: lowercase words of letters and digits
/// joined by hyphens. Checked because it becomes a host name.
pub fn is_slug(slug: &str) -> bool {
    (1..=63).contains(&slug.len())
        && slug.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !slug.starts_with('-')
        && !slug.ends_with('-')
}
