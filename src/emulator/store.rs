//! The emulator's state, kept in ordered maps so that listings are
//! deterministic. With `--state` it is kept on disk as a snapshot plus a
//! journal: each write appends only the objects it changed and is fsynced
//! before it is answered, so a write costs the same at any state size, and
//! a killed emulator loses nothing it answered. The journal is folded into
//! a new snapshot (written aside, fsynced, renamed) once it outgrows it.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
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
    /// The workspace of the key that created it; `None` for the startup
    /// workspace and those made before this was kept (the startup key's).
    #[serde(default)]
    pub created_by: Option<Uuid>,
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

/// A kind of object by ID. Reads see the map; every change goes through a
/// method that notes the ID, so that saving writes only what changed.
#[derive(Debug)]
pub struct Table<V> {
    rows: BTreeMap<Uuid, V>,
    /// Changed since the last save (with `--state`).
    changed: BTreeSet<Uuid>,
    /// Changed since their size was last measured.
    unmeasured: BTreeSet<Uuid>,
}

impl<V> Default for Table<V> {
    fn default() -> Self {
        Table { rows: BTreeMap::new(), changed: BTreeSet::new(), unmeasured: BTreeSet::new() }
    }
}

impl<V> std::ops::Deref for Table<V> {
    type Target = BTreeMap<Uuid, V>;
    fn deref(&self) -> &Self::Target {
        &self.rows
    }
}

impl<V> Table<V> {
    fn touch(&mut self, id: Uuid) {
        self.changed.insert(id);
        self.unmeasured.insert(id);
    }

    pub fn get_mut(&mut self, id: &Uuid) -> Option<&mut V> {
        self.rows.get(id)?;
        self.touch(*id);
        self.rows.get_mut(id)
    }

    pub fn insert(&mut self, id: Uuid, row: V) {
        self.touch(id);
        self.rows.insert(id, row);
    }

    pub fn remove(&mut self, id: &Uuid) -> Option<V> {
        self.touch(*id);
        self.rows.remove(id)
    }

    pub fn retain(&mut self, mut keep: impl FnMut(&Uuid, &mut V) -> bool) {
        let mut dropped = Vec::new();
        self.rows.retain(|id, row| {
            let kept = keep(id, row);
            if !kept {
                dropped.push(*id);
            }
            kept
        });
        dropped.into_iter().for_each(|id| self.touch(id));
    }

    pub fn values_mut(&mut self) -> impl Iterator<Item = &mut V> {
        let ids: Vec<Uuid> = self.rows.keys().copied().collect();
        ids.into_iter().for_each(|id| self.touch(id));
        self.rows.values_mut()
    }

    pub fn clear(&mut self) {
        let ids: Vec<Uuid> = self.rows.keys().copied().collect();
        ids.into_iter().for_each(|id| self.touch(id));
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

impl<V: Serialize> Table<V> {
    /// The serialized size of each row changed since the last call, or
    /// `None` where it was removed.
    fn measure_changes(&mut self) -> Vec<(Uuid, Option<usize>)> {
        std::mem::take(&mut self.unmeasured)
            .into_iter()
            .map(|id| (id, self.rows.get(&id).map(|row| serde_json::to_vec(row).map_or(0, |b| b.len()))))
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
            self.unmeasured.insert(id);
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
        let rows: BTreeMap<Uuid, V> = BTreeMap::deserialize(d)?;
        let unmeasured = rows.keys().copied().collect();
        Ok(Table { rows, changed: BTreeSet::new(), unmeasured })
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

/// Opens a state file for writing, never through a symbolic link (which
/// could point the emulator's writes at any file), and readable by its
/// owner only, even when it existed before with wider rights.
fn private_file(path: &Path, append: bool) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
    let mut options = std::fs::OpenOptions::new();
    options.create(true).mode(0o600).custom_flags(libc::O_NOFOLLOW);
    if append {
        options.append(true);
    } else {
        options.write(true).truncate(true);
    }
    let file = options.open(path).map_err(|e| refused_link(path, e))?;
    file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
    Ok(file)
}

/// Reads a state file, never through a symbolic link.
fn read_private(path: &Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW)
        .open(path)
        .map_err(|e| refused_link(path, e))?;
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes)?;
    Ok(bytes)
}

fn refused_link(path: &Path, e: std::io::Error) -> std::io::Error {
    if e.raw_os_error() == Some(libc::ELOOP) {
        std::io::Error::other(format!("{} is a symbolic link; the emulator's state files must not be", path.display()))
    } else {
        std::io::Error::other(format!("{}: {e}", path.display()))
    }
}

/// The file beside `path` named `path` plus `suffix`: never `path` itself,
/// whatever `path` ends in (`--state x.tmp` once wrote its snapshot over
/// itself).
fn beside(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

impl Disk {
    /// Opens the state at `path`: the snapshot with its journal replayed, or
    /// `fresh` when there is none; then folds the journal in. A journal
    /// line that cannot be read stops the start with its number: the lines
    /// after it were answered, so skipping it, or truncating there, would
    /// lose them. Only a last line without its line break (a write cut
    /// short by a kill, never answered) is left out.
    pub fn open(path: &Path, fresh: impl FnOnce() -> Store) -> anyhow::Result<(Store, Disk)> {
        let journal_path = beside(path, ".log");
        let mut store = match read_private(path) {
            Ok(bytes) => serde_json::from_slice(&bytes)
                .map_err(|e| anyhow::anyhow!("{} is not an emulator state file: {e}", path.display()))?,
            Err(_) if !path.exists() && path.symlink_metadata().is_err() => fresh(),
            Err(e) => return Err(e.into()),
        };
        let journal = match read_private(&journal_path) {
            Ok(bytes) => bytes,
            Err(_) if journal_path.symlink_metadata().is_err() => Vec::new(),
            Err(e) => return Err(e.into()),
        };
        let complete = journal.iter().rposition(|b| *b == b'\n').map_or(0, |end| end + 1);
        for (number, line) in journal[..complete].split(|b| *b == b'\n').enumerate() {
            if line.is_empty() {
                continue;
            }
            let unreadable = |e: serde_json::Error| {
                anyhow::anyhow!(
                    "line {} of {} cannot be read ({e}). The emulator stops rather than lose the writes after it; nothing was changed. Move both state files aside to start afresh.",
                    number + 1,
                    journal_path.display()
                )
            };
            let entry = serde_json::from_slice::<Entry>(line).map_err(unreadable)?;
            store.apply(entry).map_err(unreadable)?;
        }
        let journal = private_file(&journal_path, true)?;
        let mut disk = Disk { snapshot: path.to_path_buf(), journal, journal_bytes: 0, snapshot_bytes: 0 };
        store.take_changes();
        store.measure();
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
        let tmp = beside(&self.snapshot, ".tmp");
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
