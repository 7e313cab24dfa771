//! The emulator's state, kept in ordered maps so that listings are
//! deterministic. With `--state` it is kept on disk as a snapshot plus a
//! journal: each write appends only the objects it changed and is fsynced
//! before it is answered, so a write costs the same at any state size, and
//! a killed emulator loses nothing it answered. The journal is folded into
//! a new snapshot (written aside, fsynced, renamed) once it outgrows it.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};

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

/// A kind of object by ID. Reads see the map; every change goes through a
/// method that notes the ID, so that saving writes only what changed.
#[derive(Debug)]
pub struct Table<V> {
    rows: BTreeMap<Uuid, V>,
    changed: BTreeSet<Uuid>,
}

impl<V> Default for Table<V> {
    fn default() -> Self {
        Table { rows: BTreeMap::new(), changed: BTreeSet::new() }
    }
}

impl<V> std::ops::Deref for Table<V> {
    type Target = BTreeMap<Uuid, V>;
    fn deref(&self) -> &Self::Target {
        &self.rows
    }
}

impl<V> Table<V> {
    pub fn get_mut(&mut self, id: &Uuid) -> Option<&mut V> {
        let row = self.rows.get_mut(id)?;
        self.changed.insert(*id);
        Some(row)
    }

    pub fn insert(&mut self, id: Uuid, row: V) {
        self.changed.insert(id);
        self.rows.insert(id, row);
    }

    pub fn remove(&mut self, id: &Uuid) -> Option<V> {
        self.changed.insert(*id);
        self.rows.remove(id)
    }

    pub fn retain(&mut self, mut keep: impl FnMut(&Uuid, &mut V) -> bool) {
        let changed = &mut self.changed;
        self.rows.retain(|id, row| {
            let kept = keep(id, row);
            if !kept {
                changed.insert(*id);
            }
            kept
        });
    }

    pub fn values_mut(&mut self) -> impl Iterator<Item = &mut V> {
        self.changed.extend(self.rows.keys().copied());
        self.rows.values_mut()
    }

    pub fn clear(&mut self) {
        self.changed.extend(self.rows.keys().copied());
        self.rows.clear();
    }
}

impl<V: Serialize> Table<V> {
    /// What changed since the last call: each changed ID with its row, or
    /// `None` where it was removed.
    fn take_changes(&mut self) -> BTreeMap<Uuid, Option<serde_json::Value>> {
        std::mem::take(&mut self.changed)
            .into_iter()
            .map(|id| (id, self.rows.get(&id).map(|row| serde_json::to_value(row).expect("rows serialize"))))
            .collect()
    }
}

impl<V: serde::de::DeserializeOwned> Table<V> {
    fn apply(&mut self, changes: BTreeMap<Uuid, Option<serde_json::Value>>) -> serde_json::Result<()> {
        for (id, row) in changes {
            match row {
                Some(row) => self.rows.insert(id, serde_json::from_value(row)?),
                None => self.rows.remove(&id),
            };
        }
        Ok(())
    }
}

impl<V: Serialize> Serialize for Table<V> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.rows.serialize(s)
    }
}

impl<'de, V: Deserialize<'de>> Deserialize<'de> for Table<V> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Table { rows: BTreeMap::deserialize(d)?, changed: BTreeSet::new() })
    }
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
        let own = self.workspace_id;
        self.workspaces.retain(|id, _| *id == own);
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
        self.portal_links.apply(entry.portal_links)
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
}

/// The journal is folded into the snapshot when it is larger than the
/// snapshot and than this, so that folding costs a bounded share of writes.
const MIN_JOURNAL_TO_FOLD: u64 = 1 << 20;

/// A store's files: `<state>` (the snapshot) and `<state>.log` (the journal).
/// Both are created readable by their owner only: they hold every key.
pub struct Disk {
    snapshot: PathBuf,
    journal: std::fs::File,
    journal_bytes: u64,
    snapshot_bytes: u64,
}

fn private_file(path: &Path, append: bool) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    let mut options = std::fs::OpenOptions::new();
    options.create(true).mode(0o600);
    if append {
        options.append(true);
    } else {
        options.write(true).truncate(true);
    }
    options.open(path)
}

impl Disk {
    /// Opens the state at `path`: the snapshot with its journal replayed, or
    /// `fresh` when there is none; then folds the journal in.
    pub fn open(path: &Path, fresh: impl FnOnce() -> Store) -> anyhow::Result<(Store, Disk)> {
        let journal_path = PathBuf::from(format!("{}.log", path.display()));
        let mut store = if path.exists() {
            let bytes = std::fs::read(path)?;
            serde_json::from_slice(&bytes)
                .map_err(|e| anyhow::anyhow!("{} is not an emulator state file: {e}", path.display()))?
        } else {
            fresh()
        };
        if journal_path.exists() {
            let reader = std::io::BufReader::new(std::fs::File::open(&journal_path)?);
            for line in reader.lines() {
                // A line cut short by a kill was never answered: it ends the journal.
                let Ok(entry) = serde_json::from_str::<Entry>(&line?) else { break };
                store
                    .apply(entry)
                    .map_err(|e| anyhow::anyhow!("{} holds an entry that does not fit: {e}", journal_path.display()))?;
            }
        }
        let journal = private_file(&journal_path, true)?;
        let mut disk = Disk { snapshot: path.to_path_buf(), journal, journal_bytes: 0, snapshot_bytes: 0 };
        store.take_changes();
        disk.fold(&store)?;
        Ok((store, disk))
    }

    /// Makes the changes since the last save durable: one journal line,
    /// fsynced; now and then, a new snapshot.
    pub fn save(&mut self, store: &mut Store) -> std::io::Result<()> {
        let mut line = serde_json::to_vec(&store.take_changes()).map_err(std::io::Error::other)?;
        line.push(b'\n');
        self.journal.write_all(&line)?;
        self.journal.sync_data()?;
        self.journal_bytes += line.len() as u64;
        if self.journal_bytes > self.snapshot_bytes.max(MIN_JOURNAL_TO_FOLD) {
            self.fold(store)?;
        }
        Ok(())
    }

    /// Writes the whole store as the new snapshot, then empties the
    /// journal. A kill between the two leaves a journal whose entries the
    /// new snapshot already holds; replaying them on it changes nothing.
    fn fold(&mut self, store: &Store) -> std::io::Result<()> {
        let tmp = self.snapshot.with_extension("tmp");
        let bytes = serde_json::to_vec(store).map_err(std::io::Error::other)?;
        {
            let mut f = private_file(&tmp, false)?;
            f.write_all(&bytes)?;
            f.sync_all()?;
        }
        std::fs::rename(&tmp, &self.snapshot)?;
        if let Some(dir) = self.snapshot.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::File::open(dir)?.sync_all()?;
        }
        // Opened to append, the journal's next line goes at its new end: 0.
        self.journal.set_len(0)?;
        self.journal.sync_all()?;
        self.journal_bytes = 0;
        self.snapshot_bytes = bytes.len() as u64;
        Ok(())
    }
}

fn no_organizations() -> serde_json::Value {
    serde_json::Value::Array(Vec::new())
}
