//! Identities (Ory Kratos' admin API): `/admin/identities`.

use std::collections::BTreeMap;

use reqwest::Method;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::ids::IdentityId;
use super::{Endpoint, Error};
use crate::api_enum::api_enum;
use crate::http::segment;

const PATH: &str = "/admin/identities";
/// Kratos' largest page of identities on Ory Network (UNVERIFIED: the emulator's bound).
const PAGE_SIZE: usize = 1000;

api_enum! {
    /// The states an identity may be in.
    IdentityState {
        Active = "active",
        Inactive = "inactive",
    }
}

/// What `createIdentity` and `updateIdentity` take.
#[derive(Clone, Default, Serialize)]
pub struct IdentityBody {
    pub schema_id: String,
    pub traits: Value,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state: Option<IdentityState>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metadata_public: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metadata_admin: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organization_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub credentials: Option<Credentials>,
}

/// A password to set: in clear, or already hashed (PHC form).
#[derive(Clone, Serialize)]
pub struct Credentials {
    pub password: PasswordCredential,
}

#[derive(Clone, Serialize)]
pub struct PasswordCredential {
    pub config: PasswordConfig,
}

#[derive(Clone, Serialize)]
pub struct PasswordConfig {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hashed_password: Option<String>,
}

impl std::fmt::Debug for IdentityBody {
    /// Never the traits (personal data) or the credentials.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IdentityBody").field("schema_id", &self.schema_id).finish_non_exhaustive()
    }
}

/// An address Kratos derives from the traits.
#[derive(Clone, Debug, Deserialize, PartialEq)]
pub struct Address {
    pub value: String,
    pub via: String,
    #[serde(default)]
    pub verified: Option<bool>,
}

/// An identity as Kratos answers: never its credentials.
#[derive(Clone, Deserialize, PartialEq)]
pub struct Identity {
    pub id: IdentityId,
    pub schema_id: String,
    pub traits: Value,
    #[serde(default)]
    pub state: Option<IdentityState>,
    #[serde(default)]
    pub metadata_public: Option<Value>,
    #[serde(default)]
    pub metadata_admin: Option<Value>,
    #[serde(default)]
    pub external_id: Option<String>,
    #[serde(default)]
    pub organization_id: Option<String>,
    #[serde(default)]
    pub verifiable_addresses: Vec<Address>,
    #[serde(default)]
    pub recovery_addresses: Vec<Address>,
    #[serde(default)]
    pub created_at: Option<String>,
    #[serde(default)]
    pub updated_at: Option<String>,
    #[serde(flatten)]
    pub additional: BTreeMap<String, Value>,
}

impl std::fmt::Debug for Identity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Identity").field("id", &self.id).field("schema_id", &self.schema_id).finish_non_exhaustive()
    }
}

/// The identities of one project: `api.identities()`.
pub struct Identities<'a> {
    api: Endpoint<'a>,
}

impl<'a> Identities<'a> {
    pub(super) fn new(api: Endpoint<'a>) -> Identities<'a> {
        Identities { api }
    }

    fn one(id: &str) -> String {
        format!("{PATH}/{}", segment(id))
    }

    pub async fn create(&self, body: &IdentityBody) -> Result<Identity, Error> {
        let made = self.api.send("createIdentity", Method::POST, PATH, Some(body)).await;
        self.api.forget_listing(PATH);
        made
    }

    /// The identity `id`, or `None` when it is gone: one shared listing
    /// (every page) serves the reads of a process, as for OAuth2 clients;
    /// one it does not show is confirmed by its own read.
    pub async fn find(&self, id: &IdentityId) -> Result<Option<Identity>, Error> {
        self.api.find_listed(("listIdentities", "getIdentity"), PATH, PAGE_SIZE, id, |i: &Identity| &i.id).await
    }

    pub async fn get(&self, id: &IdentityId) -> Result<Identity, Error> {
        self.api.send::<(), _>("getIdentity", Method::GET, &Self::one(id), None).await
    }

    /// Replaces what the identity sets with `body`; a password left out stays.
    pub async fn update(&self, id: &IdentityId, body: &IdentityBody) -> Result<Identity, Error> {
        let updated = self.api.send("updateIdentity", Method::PUT, &Self::one(id), Some(body)).await;
        self.api.forget_listing(PATH);
        updated
    }

    /// Deletes an identity; one already gone is not an error.
    pub async fn delete(&self, id: &IdentityId) -> Result<(), Error> {
        let deleted = self.api.send_empty("deleteIdentity", Method::DELETE, &Self::one(id)).await;
        self.api.forget_listing(PATH);
        match deleted {
            Err(e) if e.is_not_found() => Ok(()),
            other => other,
        }
    }

    /// Every identity of the project, following every page.
    pub async fn list(&self) -> Result<Vec<Identity>, Error> {
        self.api.list_all("listIdentities", PATH, PAGE_SIZE).await
    }
}
