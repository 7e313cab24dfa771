//! The emulator's state, kept in ordered maps so that listings are
//! deterministic, and saved atomically (write, fsync, rename).

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Workspace {
    pub id: Uuid,
    pub name: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Project {
    pub id: Uuid,
    pub revision_id: Uuid,
    pub slug: String,
    pub name: String,
    pub environment: String,
    pub home_region: String,
    pub state: String,
    pub workspace_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub services: serde_json::Value,
    pub cors_admin: serde_json::Value,
    pub cors_public: serde_json::Value,
    /// `basicOrganization` objects, as `setProject` stores them.
    #[serde(default = "no_organizations")]
    pub organizations: serde_json::Value,
    /// When each organization was created and last changed, by its ID:
    /// `organization` has times, `basicOrganization` (the document's) not.
    #[serde(default)]
    pub organization_times: BTreeMap<String, (DateTime<Utc>, DateTime<Utc>)>,
    /// Seeded at creation: the key's owner, and a developer.
    #[serde(default)]
    pub members: Vec<Member>,
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

#[derive(Debug, Serialize, Deserialize)]
pub struct Store {
    pub workspace_id: Uuid,
    pub workspace_api_key: String,
    /// The identity that owns what the startup key creates.
    #[serde(default = "Uuid::new_v4")]
    pub owner_id: Uuid,
    pub workspaces: BTreeMap<Uuid, Workspace>,
    pub projects: BTreeMap<Uuid, Project>,
    #[serde(default)]
    pub api_keys: BTreeMap<Uuid, ApiKey>,
    #[serde(default)]
    pub event_streams: BTreeMap<Uuid, EventStream>,
    #[serde(default)]
    pub portal_links: BTreeMap<Uuid, PortalLink>,
    /// Projects whose GET answers 403, as for a key without access to them.
    #[serde(default)]
    pub forbidden: std::collections::BTreeSet<Uuid>,
    /// Features the workspace's plan lacks (for example `event_streams`).
    #[serde(default)]
    pub features_off: std::collections::BTreeSet<String>,
}

/// An API key value in Ory's format: `ory_wak_` (workspace) or `ory_pat_`
/// (project), then random text.
pub fn new_key_value(prefix: &str) -> String {
    use rand::distr::{Alphanumeric, SampleString};
    format!("{prefix}{}", Alphanumeric.sample_string(&mut rand::rng(), 40))
}

pub fn new_workspace_key() -> String {
    new_key_value("ory_wak_")
}

impl Store {
    pub fn new() -> Store {
        let now = Utc::now();
        let workspace_id = Uuid::new_v4();
        let workspace =
            Workspace { id: workspace_id, name: "Emulated workspace".into(), created_at: now, updated_at: now };
        Store {
            workspace_id,
            workspace_api_key: new_workspace_key(),
            owner_id: Uuid::new_v4(),
            workspaces: BTreeMap::from([(workspace_id, workspace)]),
            projects: BTreeMap::new(),
            api_keys: BTreeMap::new(),
            event_streams: BTreeMap::new(),
            portal_links: BTreeMap::new(),
            features_off: Default::default(),
            forbidden: Default::default(),
        }
    }

    /// Everything but the key's own workspace goes.
    pub fn reset(&mut self) {
        self.projects.clear();
        self.api_keys.clear();
        self.event_streams.clear();
        self.portal_links.clear();
        self.features_off.clear();
        self.forbidden.clear();
        self.workspaces.retain(|id, _| *id == self.workspace_id);
    }

    /// Whether `presented` is a workspace key this emulator accepts: the
    /// startup key, or a live workspace key made through the API.
    pub fn accepts(&self, presented: &str) -> bool {
        let now = Utc::now();
        presented == self.workspace_api_key
            || self
                .api_keys
                .values()
                .any(|k| matches!(k.scope, KeyScope::Workspace(_)) && k.value == presented && k.is_live(now))
    }

    /// Whether `presented` is a project key, which the console API refuses.
    pub fn is_project_key(&self, presented: &str) -> bool {
        self.api_keys.values().any(|k| matches!(k.scope, KeyScope::Project(_)) && k.value == presented)
    }

    pub fn load(path: &Path) -> anyhow::Result<Store> {
        let bytes = std::fs::read(path)?;
        serde_json::from_slice(&bytes)
            .map_err(|e| anyhow::anyhow!("{} is not an emulator state file: {e}", path.display()))
    }

    pub fn save(&self, path: &Path) -> std::io::Result<()> {
        let tmp = path.with_extension("tmp");
        {
            let mut f = std::fs::File::create(&tmp)?;
            f.write_all(&serde_json::to_vec_pretty(self).map_err(std::io::Error::other)?)?;
            f.sync_all()?;
        }
        std::fs::rename(&tmp, path)
    }
}

fn no_organizations() -> serde_json::Value {
    serde_json::Value::Array(Vec::new())
}
