//! OAuth2 clients (Ory Hydra's admin API): `/admin/clients`.

use std::collections::BTreeMap;

use reqwest::Method;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::ids::ClientId;
use super::{Endpoint, Error};
use crate::api_enum::api_enum;
use crate::http::segment;

const PATH: &str = "/admin/clients";

api_enum! {
    /// The grant types Hydra knows.
    GrantType {
        AuthorizationCode = "authorization_code",
        Implicit = "implicit",
        ClientCredentials = "client_credentials",
        RefreshToken = "refresh_token",
        JwtBearer = "urn:ietf:params:oauth:grant-type:jwt-bearer",
        DeviceCode = "urn:ietf:params:oauth:grant-type:device_code",
    }
}
api_enum! {
    /// The response types Hydra knows.
    ResponseType {
        Code = "code",
        Token = "token",
        IdToken = "id_token",
        CodeIdToken = "code id_token",
        CodeToken = "code token",
        IdTokenToken = "id_token token",
        CodeIdTokenToken = "code id_token token",
        None = "none",
    }
}
api_enum! {
    /// How a client authenticates at the token endpoint; `none` is a public client.
    TokenEndpointAuthMethod {
        ClientSecretBasic = "client_secret_basic",
        ClientSecretPost = "client_secret_post",
        PrivateKeyJwt = "private_key_jwt",
        None = "none",
    }
}
api_enum! {
    SubjectType {
        Public = "public",
        Pairwise = "pairwise",
    }
}
api_enum! {
    AccessTokenStrategy {
        Jwt = "jwt",
        Opaque = "opaque",
    }
}
/// Hydra's largest page of clients.
const PAGE_SIZE: usize = 500;

/// What a client sets of an OAuth2 client; `None` is left out, so that
/// Hydra's default applies on create.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct OAuth2ClientBody {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grant_types: Option<Vec<GrantType>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response_types: Option<Vec<ResponseType>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redirect_uris: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub post_logout_redirect_uris: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audience: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_endpoint_auth_method: Option<TokenEndpointAuthMethod>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allowed_cors_origins: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skip_consent: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skip_logout_consent: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jwks_uri: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_uri: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logo_uri: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy_uri: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tos_uri: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject_type: Option<SubjectType>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_token_strategy: Option<AccessTokenStrategy>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub frontchannel_logout_uri: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backchannel_logout_uri: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Value>,
    /// Only sent to set a secret of the caller's choosing; never read back.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_secret: Option<String>,
    /// Every other field Hydra has (lifespans, contacts, JWKs, ...), kept so
    /// that a `set` writes back what it did not change.
    #[serde(flatten)]
    pub other: BTreeMap<String, Value>,
}

/// An OAuth2 client as Hydra answers: its ID, times, and what it sets.
#[derive(Clone, Deserialize, PartialEq)]
pub struct OAuth2Client {
    pub client_id: ClientId,
    #[serde(default)]
    pub created_at: Option<String>,
    #[serde(default)]
    pub updated_at: Option<String>,
    #[serde(flatten)]
    pub body: OAuth2ClientBody,
}

impl std::fmt::Debug for OAuth2Client {
    /// Never the secret, which only a create's answer holds.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OAuth2Client")
            .field("client_id", &self.client_id)
            .field("client_name", &self.body.client_name)
            .finish_non_exhaustive()
    }
}

impl OAuth2Client {
    /// The body to send back to change it: what it is, less what the
    /// server sets and the secret.
    pub fn as_body(&self) -> OAuth2ClientBody {
        let mut body = self.body.clone();
        body.client_secret = None;
        for key in ["client_secret_expires_at", "registration_access_token", "registration_client_uri"] {
            body.other.remove(key);
        }
        // Hydra answers a client without keys with `"jwks": {}`, and refuses
        // that `{}` sent back beside a `jwks_uri` ("can not both be set").
        if body.other.get("jwks").is_some_and(|jwks| jwks.as_object().is_some_and(|o| o.is_empty())) {
            body.other.remove("jwks");
        }
        body
    }
}

/// The OAuth2 clients of one project: `api.oauth2_clients()`.
pub struct OAuth2Clients<'a> {
    api: Endpoint<'a>,
}

impl<'a> OAuth2Clients<'a> {
    pub(super) fn new(api: Endpoint<'a>) -> OAuth2Clients<'a> {
        OAuth2Clients { api }
    }

    fn one(id: &str) -> String {
        format!("{PATH}/{}", segment(id))
    }

    /// Makes a client. The answer is the only one that holds its secret.
    pub async fn create(&self, body: &OAuth2ClientBody) -> Result<OAuth2Client, Error> {
        let made = self.api.send("createOAuth2Client", Method::POST, PATH, Some(body)).await;
        self.api.forget_listing(PATH);
        made
    }

    /// The client `id`, or `None` when it is gone. The reads of a process
    /// share one listing of the project's clients (every page), so a refresh
    /// of N clients costs ⌈N/500⌉ calls, not N; every write drops it. A
    /// client the listing does not show is confirmed by its own read.
    pub async fn find(&self, id: &ClientId) -> Result<Option<OAuth2Client>, Error> {
        let ops = ("listOAuth2Clients", "getOAuth2Client");
        self.api.find_listed(ops, PATH, PAGE_SIZE, id, |c: &OAuth2Client| &c.client_id).await
    }

    pub async fn get(&self, id: &ClientId) -> Result<OAuth2Client, Error> {
        self.api.send::<(), _>("getOAuth2Client", Method::GET, &Self::one(id), None).await
    }

    /// Replaces what the client sets with `body`; a secret left out stays.
    pub async fn set(&self, id: &ClientId, body: &OAuth2ClientBody) -> Result<OAuth2Client, Error> {
        let set = self.api.send("setOAuth2Client", Method::PUT, &Self::one(id), Some(body)).await;
        self.api.forget_listing(PATH);
        set
    }

    /// Deletes a client; one already gone is not an error.
    pub async fn delete(&self, id: &ClientId) -> Result<(), Error> {
        let deleted = self.api.send_empty("deleteOAuth2Client", Method::DELETE, &Self::one(id)).await;
        self.api.forget_listing(PATH);
        match deleted {
            Err(e) if e.is_not_found() => Ok(()),
            other => other,
        }
    }

    /// Every client of the project, following every page.
    pub async fn list(&self) -> Result<Vec<OAuth2Client>, Error> {
        self.api.list_all("listOAuth2Clients", PATH, PAGE_SIZE).await
    }
}
