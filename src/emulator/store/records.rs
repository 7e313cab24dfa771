//! What the emulator keeps: one type per kind of object, as the journal
//! and the snapshot write them.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Workspace {
    pub id: Uuid,
    pub name: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// The workspace of the key that created it; `None` for the startup
    /// workspace and those made before this was kept (the startup key's).
    #[serde(default)]
    pub created_by: Option<Uuid>,
}

/// Where a project is in its life: a purged project is kept, deleted, so
/// that its ID stays taken and its objects stay unreachable.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ProjectState {
    Running,
    Deleted,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Project {
    pub id: Uuid,
    pub revision_id: Uuid,
    pub slug: String,
    pub name: String,
    pub environment: String,
    pub home_region: String,
    pub state: ProjectState,
    pub workspace_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub services: serde_json::Value,
    pub cors_admin: serde_json::Value,
    pub cors_public: serde_json::Value,
    /// `basicOrganization` objects, as `setProject` stores them.
    #[serde(default = "no_organizations")]
    pub organizations: serde_json::Value,
    /// SCIM clients (`normalizedProjectRevisionScimClient`), by `client_id`.
    #[serde(default = "no_organizations")]
    pub scim_clients: serde_json::Value,
    /// Custom domains (`CustomDomain`), outside the project document.
    #[serde(default)]
    pub custom_domains: Vec<serde_json::Value>,
    /// When each organization was created and last changed, by its ID:
    /// `organization` has times, `basicOrganization` (the document's) not.
    #[serde(default)]
    pub organization_times: BTreeMap<String, (DateTime<Utc>, DateTime<Utc>)>,
    /// Seeded at creation: the key's owner, and a developer.
    #[serde(default)]
    pub members: Vec<Member>,
}

/// An identity of a project's data plane (Ory Kratos).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Identity {
    pub id: Uuid,
    pub project_id: Uuid,
    /// What `identity` renders but its ID and times: schema, traits, state,
    /// metadata, addresses.
    pub fields: serde_json::Map<String, serde_json::Value>,
    /// The password in PHC form; never rendered.
    #[serde(default)]
    pub password_hash: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// An OAuth2 client of a project's data plane (Ory Hydra).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct OAuth2Client {
    pub id: Uuid,
    /// A client ID the caller chose that is not a UUID (one that is is the
    /// `id` itself).
    #[serde(default)]
    pub chosen_id: Option<String>,
    pub project_id: Uuid,
    /// What the client sets, defaults filled in, without its secret.
    pub fields: serde_json::Map<String, serde_json::Value>,
    /// The secret in PHC form; shown once, in the create's answer.
    #[serde(default)]
    pub secret_hash: Option<String>,
    /// A dynamically registered client's registration access token, as its
    /// SHA-256 (hex); shown once per registration or update.
    #[serde(default)]
    pub registration_token_hash: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl OAuth2Client {
    /// The client ID Ory shows.
    pub fn public_id(&self) -> String {
        self.chosen_id.clone().unwrap_or_else(|| self.id.to_string())
    }
}

/// A JSON Web Key set of a project's data plane (Ory Hydra), by name.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct JwkSet {
    pub id: Uuid,
    pub project_id: Uuid,
    pub name: String,
    /// Each key as Hydra renders it, private parts included.
    pub keys: Vec<serde_json::Value>,
}

/// A trusted JWT grant issuer of a project's data plane (Ory Hydra).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct TrustGrant {
    pub id: Uuid,
    pub project_id: Uuid,
    /// `issuer`, `subject`, `allow_any_subject`, `scope`, `expires_at`.
    pub fields: serde_json::Map<String, serde_json::Value>,
    /// The issuer's public key; Hydra shows only its set and `kid`.
    pub jwk: serde_json::Value,
    pub created_at: DateTime<Utc>,
}

/// A relation tuple of a project's data plane (Ory Keto). Its ID is made
/// from the tuple, so that one tuple is one row.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Relationship {
    pub id: Uuid,
    pub project_id: Uuid,
    pub namespace: String,
    pub object: String,
    pub relation: String,
    pub subject_id: Option<String>,
    /// Namespace, object and relation.
    pub subject_set: Option<[String; 3]>,
}

/// An organization's onboarding portal link.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PortalLink {
    pub id: Uuid,
    pub project_id: Uuid,
    pub organization_id: Uuid,
    /// The link itself: whoever holds it can set up the organization's SSO.
    pub value: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    /// `enable_sso`, `enable_scim`, the mapper URLs and `custom_hostname_id`.
    pub settings: serde_json::Map<String, serde_json::Value>,
}

/// What an API key belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum KeyScope {
    Project(Uuid),
    Workspace(Uuid),
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ApiKey {
    pub id: Uuid,
    pub scope: KeyScope,
    pub name: String,
    /// Kept so that a workspace key made through the API can authenticate.
    pub value: String,
    pub owner_id: Uuid,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub expires_at: Option<DateTime<Utc>>,
}

impl ApiKey {
    pub fn is_live(&self, now: DateTime<Utc>) -> bool {
        self.expires_at.is_none_or(|t| t > now)
    }
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct EventStream {
    pub id: Uuid,
    pub project_id: Uuid,
    pub kind: String,
    pub topic_arn: Option<String>,
    pub role_arn: Option<String>,
    pub https_endpoint: Option<String>,
    /// `none`, `api_key` or `bearer`, for an `https` stream (API 1.22.87);
    /// absent in journals written before it, which read as `none`.
    #[serde(default)]
    pub https_auth_type: Option<String>,
    #[serde(default)]
    pub https_auth_header_name: Option<String>,
    #[serde(default)]
    pub https_auth_secret: Option<String>,
    pub status: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Member {
    pub id: Uuid,
    pub email: String,
    pub name: String,
    pub role: String,
    pub source: String,
}

impl Project {
    pub fn is_live(&self) -> bool {
        self.state != ProjectState::Deleted
    }
}

fn no_organizations() -> serde_json::Value {
    serde_json::Value::Array(Vec::new())
}
