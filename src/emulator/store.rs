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
}

#[derive(Debug, Serialize, Deserialize)]
pub struct Store {
    pub workspace_id: Uuid,
    pub workspace_api_key: String,
    pub workspaces: BTreeMap<Uuid, Workspace>,
    pub projects: BTreeMap<Uuid, Project>,
}

/// A workspace API key in Ory's format: the `ory_wak_` prefix, then random text.
pub fn new_workspace_key() -> String {
    use rand::distr::{Alphanumeric, SampleString};
    format!(
        "ory_wak_{}",
        Alphanumeric.sample_string(&mut rand::rng(), 40)
    )
}

impl Store {
    pub fn new() -> Store {
        let now = Utc::now();
        let workspace_id = Uuid::new_v4();
        let workspace = Workspace {
            id: workspace_id,
            name: "Emulated workspace".into(),
            created_at: now,
            updated_at: now,
        };
        Store {
            workspace_id,
            workspace_api_key: new_workspace_key(),
            workspaces: BTreeMap::from([(workspace_id, workspace)]),
            projects: BTreeMap::new(),
        }
    }

    /// Everything but the key's own workspace goes.
    pub fn reset(&mut self) {
        self.projects.clear();
        self.workspaces.retain(|id, _| *id == self.workspace_id);
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
