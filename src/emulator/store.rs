//! The emulator's state, kept in ordered maps so that listings are
//! deterministic. With `--state` it is kept on disk as a snapshot plus a
//! journal: each write appends only the objects it changed and is fsynced
//! before it is answered, so a write costs the same at any state size, and
//! a killed emulator loses nothing it answered. The journal is folded into
//! a new snapshot (written aside, fsynced, renamed) once it outgrows it.

use std::collections::{BTreeMap, BTreeSet};

use chrono::Utc;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

mod disk;
mod records;
mod table;
pub use disk::Disk;
pub use records::{
    ApiKey, EventStream, Identity, JwkSet, KeyScope, Member, OAuth2Client, PortalLink, Project, ProjectState,
    Relationship, TrustGrant, Workspace,
};
pub use table::Table;

/// The length of `value`'s JSON, counted as it is written rather than
/// kept: a write to a large project measures its document twice.
pub fn json_len(value: &impl Serialize) -> usize {
    struct Counter(usize);
    impl std::io::Write for Counter {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0 += bytes.len();
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut counter = Counter(0);
    serde_json::to_writer(&mut counter, value).map_or(0, |()| counter.0)
}

#[derive(Debug, Serialize, Deserialize)]
pub struct Store {
    pub workspace_id: Uuid,
    pub workspace_api_key: String,
    /// The identity that owns what the startup key creates.
    #[serde(default = "Uuid::new_v4")]
    pub owner_id: Uuid,
    pub workspaces: Table<Workspace>,
    pub projects: Table<Project>,
    #[serde(default)]
    pub api_keys: Table<ApiKey>,
    #[serde(default)]
    pub event_streams: Table<EventStream>,
    #[serde(default)]
    pub portal_links: Table<PortalLink>,
    #[serde(default)]
    pub identities: Table<Identity>,
    #[serde(default)]
    pub oauth2_clients: Table<OAuth2Client>,
    #[serde(default)]
    pub jwk_sets: Table<JwkSet>,
    #[serde(default)]
    pub trust_grants: Table<TrustGrant>,
    #[serde(default)]
    pub relationships: Table<Relationship>,
    /// Projects whose GET answers 403, as for a key without access to them.
    #[serde(default)]
    pub forbidden: std::collections::BTreeSet<Uuid>,
    /// Features the workspace's plan lacks (for example `event_streams`).
    #[serde(default)]
    pub features_off: std::collections::BTreeSet<String>,
    /// The serialized size of every row, and their sum: what bounds the
    /// emulator's memory ([`MAX_STORE_BYTES`]).
    #[serde(skip)]
    sizes: BTreeMap<Uuid, usize>,
    #[serde(skip)]
    bytes: usize,
}

/// What the emulator keeps at most, as serialized objects. UNVERIFIED: Ory
/// bounds its projects by plan; this bounds the emulator's memory (a few
/// times this) and the time of its writes. Past it, writes that add are
/// refused (507) until objects are deleted or the emulator reset.
pub const MAX_STORE_BYTES: usize = 32 << 20;

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
    /// The live project `id_or_slug` names, by ID or by slug, as the
    /// console API's `{project}` may.
    pub fn live_project(&self, id_or_slug: &str) -> Option<&Project> {
        self.projects.values().find(|p| p.is_live() && (p.id.to_string() == id_or_slug || p.slug == id_or_slug))
    }

    pub fn live_project_mut(&mut self, id_or_slug: &str) -> Option<&mut Project> {
        self.projects.values_mut().find(|p| p.is_live() && (p.id.to_string() == id_or_slug || p.slug == id_or_slug))
    }

    /// The live project with slug `slug`: a project's own API is named by slug alone.
    pub fn live_project_by_slug(&self, slug: &str) -> Option<&Project> {
        self.projects.values().find(|p| p.is_live() && p.slug == slug)
    }

    pub fn new() -> Store {
        let now = Utc::now();
        let workspace_id = Uuid::new_v4();
        let workspace = Workspace {
            id: workspace_id,
            name: "Emulated workspace".into(),
            created_at: now,
            updated_at: now,
            created_by: None,
        };
        let mut workspaces = Table::default();
        workspaces.insert(workspace_id, workspace);
        Store {
            workspace_id,
            workspace_api_key: new_workspace_key(),
            owner_id: Uuid::new_v4(),
            workspaces,
            projects: Table::default(),
            api_keys: Table::default(),
            event_streams: Table::default(),
            portal_links: Table::default(),
            identities: Table::default(),
            oauth2_clients: Table::default(),
            jwk_sets: Table::default(),
            trust_grants: Table::default(),
            relationships: Table::default(),
            features_off: Default::default(),
            forbidden: Default::default(),
            sizes: BTreeMap::new(),
            bytes: 0,
        }
    }

    /// Brings the sizes of changed rows up to date.
    pub fn measure(&mut self) {
        let changes = [
            self.workspaces.measure_changes(),
            self.projects.measure_changes(),
            self.api_keys.measure_changes(),
            self.event_streams.measure_changes(),
            self.portal_links.measure_changes(),
            self.identities.measure_changes(),
            self.oauth2_clients.measure_changes(),
            self.jwk_sets.measure_changes(),
            self.trust_grants.measure_changes(),
            self.relationships.measure_changes(),
        ];
        for (id, size) in changes.into_iter().flatten() {
            let old = match size {
                Some(size) => self.sizes.insert(id, size),
                None => self.sizes.remove(&id),
            };
            self.bytes = self.bytes.saturating_sub(old.unwrap_or(0)) + size.unwrap_or(0);
        }
    }

    /// Whether the store holds more than [`MAX_STORE_BYTES`].
    pub fn is_full(&self) -> bool {
        self.bytes > MAX_STORE_BYTES
    }

    /// Everything but the key's own workspace goes.
    pub fn reset(&mut self) {
        self.projects.clear();
        self.api_keys.clear();
        self.event_streams.clear();
        self.portal_links.clear();
        self.identities.clear();
        self.oauth2_clients.clear();
        self.jwk_sets.clear();
        self.trust_grants.clear();
        self.relationships.clear();
        self.features_off.clear();
        self.forbidden.clear();
        let own = self.workspace_id;
        self.workspaces.retain(|id, _| *id == own);
    }

    /// The workspace of a workspace key this emulator accepts.
    pub fn key_workspace(&self, presented: &str) -> Option<Uuid> {
        if presented == self.workspace_api_key {
            return Some(self.workspace_id);
        }
        let now = Utc::now();
        self.api_keys.values().find_map(|k| match k.scope {
            KeyScope::Workspace(w) if k.value == presented && k.is_live(now) => Some(w),
            _ => None,
        })
    }

    /// Whether a key of workspace `caller` reaches workspace `target`: its
    /// own, and those made through keys of it, at any depth.
    pub fn reaches(&self, caller: Uuid, target: Uuid) -> bool {
        let mut at = target;
        for _ in 0..=self.workspaces.len() {
            if at == caller {
                return true;
            }
            match self.workspaces.get(&at).and_then(|w| w.created_by) {
                Some(parent) => at = parent,
                None => return caller == self.workspace_id && self.workspaces.contains_key(&at),
            }
        }
        false
    }

    /// The workspace a project belongs to (the startup one for projects
    /// made before projects kept theirs).
    pub fn project_workspace(&self, project: &Project) -> Uuid {
        project.workspace_id.unwrap_or(self.workspace_id)
    }

    /// Whether `presented` is a project key, which the console API refuses.
    pub fn is_project_key(&self, presented: &str) -> bool {
        self.api_keys.values().any(|k| matches!(k.scope, KeyScope::Project(_)) && k.value == presented)
    }

    /// The changes since the last call, as one journal entry.
    fn take_changes(&mut self) -> Entry {
        Entry {
            head: Head {
                workspace_id: Some(self.workspace_id),
                workspace_api_key: self.workspace_api_key.clone(),
                owner_id: self.owner_id,
                forbidden: self.forbidden.clone(),
                features_off: self.features_off.clone(),
            },
            workspaces: self.workspaces.take_changes(),
            projects: self.projects.take_changes(),
            api_keys: self.api_keys.take_changes(),
            event_streams: self.event_streams.take_changes(),
            portal_links: self.portal_links.take_changes(),
            identities: self.identities.take_changes(),
            oauth2_clients: self.oauth2_clients.take_changes(),
            jwk_sets: self.jwk_sets.take_changes(),
            trust_grants: self.trust_grants.take_changes(),
            relationships: self.relationships.take_changes(),
        }
    }

    fn apply(&mut self, entry: Entry) -> serde_json::Result<()> {
        if let Some(id) = entry.head.workspace_id {
            self.workspace_id = id;
        }
        self.workspace_api_key = entry.head.workspace_api_key;
        self.owner_id = entry.head.owner_id;
        self.forbidden = entry.head.forbidden;
        self.features_off = entry.head.features_off;
        self.workspaces.apply(entry.workspaces)?;
        self.projects.apply(entry.projects)?;
        self.api_keys.apply(entry.api_keys)?;
        self.event_streams.apply(entry.event_streams)?;
        self.portal_links.apply(entry.portal_links)?;
        self.identities.apply(entry.identities)?;
        self.oauth2_clients.apply(entry.oauth2_clients)?;
        self.jwk_sets.apply(entry.jwk_sets)?;
        self.trust_grants.apply(entry.trust_grants)?;
        self.relationships.apply(entry.relationships)
    }
}

/// The fields of a store outside its tables: few and small, so every
/// journal entry carries them whole.
#[derive(Serialize, Deserialize)]
struct Head {
    /// Absent from journals written before a seed could change it.
    #[serde(default)]
    workspace_id: Option<Uuid>,
    workspace_api_key: String,
    owner_id: Uuid,
    forbidden: BTreeSet<Uuid>,
    features_off: BTreeSet<String>,
}

/// One write, as one line of the journal.
#[derive(Serialize, Deserialize)]
struct Entry {
    head: Head,
    workspaces: BTreeMap<Uuid, Option<serde_json::Value>>,
    projects: BTreeMap<Uuid, Option<serde_json::Value>>,
    api_keys: BTreeMap<Uuid, Option<serde_json::Value>>,
    event_streams: BTreeMap<Uuid, Option<serde_json::Value>>,
    portal_links: BTreeMap<Uuid, Option<serde_json::Value>>,
    #[serde(default)]
    identities: BTreeMap<Uuid, Option<serde_json::Value>>,
    #[serde(default)]
    oauth2_clients: BTreeMap<Uuid, Option<serde_json::Value>>,
    #[serde(default)]
    jwk_sets: BTreeMap<Uuid, Option<serde_json::Value>>,
    #[serde(default)]
    trust_grants: BTreeMap<Uuid, Option<serde_json::Value>>,
    #[serde(default)]
    relationships: BTreeMap<Uuid, Option<serde_json::Value>>,
}
