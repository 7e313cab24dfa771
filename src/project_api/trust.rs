//! A project's trusted JWT grant issuers (Ory Hydra's RFC 7523 trust):
//! `api.trusted_issuers()`. Hydra has no update: a trust is made or deleted.

use reqwest::Method;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::ids::TrustId;
use super::{Endpoint, Error};
use crate::http::segment;

const PATH: &str = "/admin/trust/grants/jwt-bearer/issuers";
const PAGE_SIZE: usize = 500;

/// What a new trust sets.
#[derive(Clone, Debug, Serialize)]
pub struct TrustBody {
    pub issuer: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allow_any_subject: Option<bool>,
    pub scope: Vec<String>,
    /// The issuer's public key, as a JWK.
    pub jwk: Value,
    pub expires_at: String,
}

/// The key a trust names: Hydra shows its set (the issuer) and `kid`, never the key.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct TrustedKey {
    #[serde(default)]
    pub set: Option<String>,
    #[serde(default)]
    pub kid: Option<String>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct Trust {
    pub id: TrustId,
    pub issuer: String,
    #[serde(default)]
    pub subject: Option<String>,
    #[serde(default)]
    pub allow_any_subject: Option<bool>,
    #[serde(default)]
    pub scope: Vec<String>,
    #[serde(default)]
    pub public_key: TrustedKey,
    #[serde(default)]
    pub expires_at: Option<String>,
    #[serde(default)]
    pub created_at: Option<String>,
}

/// The trusted issuers of one project.
pub struct TrustedIssuers<'a> {
    api: Endpoint<'a>,
}

impl<'a> TrustedIssuers<'a> {
    pub(super) fn new(api: Endpoint<'a>) -> TrustedIssuers<'a> {
        TrustedIssuers { api }
    }

    fn one(id: &str) -> String {
        format!("{PATH}/{}", segment(id))
    }

    pub async fn create(&self, body: &TrustBody) -> Result<Trust, Error> {
        let made = self.api.send("trustOAuth2JwtGrantIssuer", Method::POST, PATH, Some(body)).await;
        self.api.forget_listing(PATH);
        made
    }

    /// The trust `id`, or `None` when it is gone: through the process's
    /// shared listing (every page), confirmed by its own read when the
    /// listing does not show it.
    pub async fn find(&self, id: &TrustId) -> Result<Option<Trust>, Error> {
        let ops = ("listTrustedOAuth2JwtGrantIssuers", "getTrustedOAuth2JwtGrantIssuer");
        self.api.find_listed(ops, PATH, PAGE_SIZE, id, |t: &Trust| &t.id).await
    }

    /// Deletes a trust; one already gone is not an error.
    pub async fn delete(&self, id: &TrustId) -> Result<(), Error> {
        let deleted = self.api.send_empty("deleteTrustedOAuth2JwtGrantIssuer", Method::DELETE, &Self::one(id)).await;
        self.api.forget_listing(PATH);
        match deleted {
            Err(e) if e.is_not_found() => Ok(()),
            other => other,
        }
    }

    /// Every trust of the project, following every page.
    pub async fn list(&self) -> Result<Vec<Trust>, Error> {
        self.api.list_all("listTrustedOAuth2JwtGrantIssuers", PATH, PAGE_SIZE).await
    }
}
