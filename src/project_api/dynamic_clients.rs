//! OAuth2 clients registered through OpenID Connect Dynamic Client
//! Registration (Ory Hydra's public `/oauth2/register`, RFC 7591 and 7592):
//! `api.dynamic_clients()`. Registering needs no key; the answer's
//! registration access token is the bearer that alone reads, updates and
//! deletes the client, and every update replaces it with a new one.

use reqwest::Method;
use serde::Deserialize;

use super::ids::ClientId;
use super::{Endpoint, Error, OAuth2Client, OAuth2ClientBody};
use crate::http::segment;

const PATH: &str = "/oauth2/register";

/// A registration's or an update's answer: the client, and what opens it.
#[derive(Clone, Deserialize)]
pub struct Registered {
    #[serde(flatten)]
    pub client: OAuth2Client,
    /// Only in a registration's answer.
    #[serde(default)]
    pub client_secret: Option<String>,
    pub registration_access_token: String,
    #[serde(default)]
    pub registration_client_uri: Option<String>,
}

impl Registered {
    /// Hides the answer's secrets from every log line from now on.
    fn learned(self) -> Registered {
        crate::secrets::learn(&self.registration_access_token);
        if let Some(secret) = &self.client_secret {
            crate::secrets::learn(secret);
        }
        self
    }
}

/// The dynamically registered clients of one project.
pub struct DynamicClients<'a> {
    /// Hydra's public API, where clients register themselves.
    public: Endpoint<'a>,
    /// Hydra's admin API, whose listing of clients a registration changes.
    admin: Endpoint<'a>,
}

impl<'a> DynamicClients<'a> {
    pub(super) fn new(public: Endpoint<'a>, admin: Endpoint<'a>) -> DynamicClients<'a> {
        DynamicClients { public, admin }
    }

    fn one(id: &str) -> String {
        format!("{PATH}/{}", segment(id))
    }

    /// Registers a client, with no key. The answer is the only one that
    /// holds its secret.
    pub async fn register(&self, body: &OAuth2ClientBody) -> Result<Registered, Error> {
        let public = self.public.transport()?.keyed(None);
        let (_, bytes) = public.exchange("createOidcDynamicClient", Method::POST, PATH, Some(body)).await?;
        self.admin.forget_listing("/admin/clients");
        Ok(crate::http::decode::<Registered>("createOidcDynamicClient", &bytes)?.learned())
    }

    /// The client, read with its registration access token.
    pub async fn get(&self, id: &ClientId, token: &str) -> Result<OAuth2Client, Error> {
        let opened = self.public.transport()?.keyed(Some(token));
        let (_, bytes) = opened.exchange::<()>("getOidcDynamicClient", Method::GET, &Self::one(id), None).await?;
        crate::http::decode("getOidcDynamicClient", &bytes)
    }

    /// Replaces what the client sets; the answer's token replaces `token`.
    pub async fn set(&self, id: &ClientId, token: &str, body: &OAuth2ClientBody) -> Result<Registered, Error> {
        let opened = self.public.transport()?.keyed(Some(token));
        let (_, bytes) = opened.exchange("setOidcDynamicClient", Method::PUT, &Self::one(id), Some(body)).await?;
        self.admin.forget_listing("/admin/clients");
        Ok(crate::http::decode::<Registered>("setOidcDynamicClient", &bytes)?.learned())
    }

    pub async fn delete(&self, id: &ClientId, token: &str) -> Result<(), Error> {
        let opened = self.public.transport()?.keyed(Some(token));
        let deleted = opened.exchange::<()>("deleteOidcDynamicClient", Method::DELETE, &Self::one(id), None).await;
        self.admin.forget_listing("/admin/clients");
        deleted.map(drop)
    }
}
