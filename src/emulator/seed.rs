//! `--seed FILE`: objects that exist when the emulator starts, so that a
//! module that reads existing objects (data sources, imports) can be tested.
//! Each object is made through the emulator's own API routes, so that it is
//! checked and shaped exactly as one a client made; then the IDs and key
//! values the file fixes are put in place. The format is in docs/emulator.md.

use serde::Deserialize;
use serde_json::{json, Value};
use tower::ServiceExt;
use uuid::Uuid;

use super::store::{KeyScope, Store, Table};
use super::{faults, Emulator};

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Seed {
    /// The workspace of the startup key: its ID and name, and what is in it.
    #[serde(default)]
    pub workspace: Option<SeedWorkspace>,
    /// More workspaces.
    #[serde(default)]
    pub workspaces: Vec<SeedWorkspace>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedWorkspace {
    pub id: Option<Uuid>,
    pub name: Option<String>,
    #[serde(default)]
    pub api_keys: Vec<SeedKey>,
    #[serde(default)]
    pub projects: Vec<SeedProject>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedProject {
    pub id: Option<Uuid>,
    pub name: String,
    #[serde(default = "prod")]
    pub environment: String,
    pub home_region: Option<String>,
    #[serde(default)]
    pub api_keys: Vec<SeedKey>,
    /// Bodies of `createEventStream`: `type`, `https_endpoint` or
    /// `topic_arn` and `role_arn`, `status`.
    #[serde(default)]
    pub event_streams: Vec<Value>,
    /// Bodies of `createCustomDomain`: `hostname`, `cookie_domain`, ...
    #[serde(default)]
    pub custom_domains: Vec<Value>,
    /// Bodies of `createIdentity`; an `id` fixes the identity's ID.
    #[serde(default)]
    pub identities: Vec<Value>,
    /// Bodies of `createOAuth2Client`; a `client_id` fixes the client's ID
    /// (and `client_secret`, its secret).
    #[serde(default)]
    pub oauth2_clients: Vec<Value>,
    /// A JSON Patch of the project document (`patchProject`), applied
    /// after the project is made: its configuration, actions, organizations.
    #[serde(default)]
    pub patch: Vec<Value>,
    /// Bodies of `createRelationship`, in namespaces the project declares.
    #[serde(default)]
    pub relationships: Vec<Value>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedKey {
    pub id: Option<Uuid>,
    pub name: String,
    /// The key's value, so that a test can use it; a fresh one when absent.
    pub value: Option<String>,
    pub expires_at: Option<String>,
}

fn prod() -> String {
    "prod".into()
}

impl Seed {
    pub fn read(path: &std::path::Path) -> anyhow::Result<Seed> {
        let text = std::fs::read_to_string(path).map_err(|e| anyhow::anyhow!("--seed {}: {e}", path.display()))?;
        serde_json::from_str(&text).map_err(|e| anyhow::anyhow!("--seed {}: {e}", path.display()))
    }
}

impl Emulator {
    /// Makes what `seed` lists. Faults and the limiter are off meanwhile,
    /// and the request counters start from zero afterwards.
    pub async fn seed(&self, seed: Seed) -> anyhow::Result<()> {
        let shared = &self.shared;
        let faults =
            std::mem::replace(&mut *shared.faults.lock().unwrap_or_else(|p| p.into_inner()), faults::Faults::off());
        let limiter = shared.limiter.lock().unwrap_or_else(|p| p.into_inner()).take();
        // Seeded workspace keys stand for keys made in the Ory Console.
        let writes = shared.workspace_key_writes.swap(true, std::sync::atomic::Ordering::Relaxed);
        let result = self.seed_all(seed).await;
        shared.workspace_key_writes.store(writes, std::sync::atomic::Ordering::Relaxed);
        *shared.faults.lock().unwrap_or_else(|p| p.into_inner()) = faults;
        *shared.limiter.lock().unwrap_or_else(|p| p.into_inner()) = limiter;
        shared.counts.lock().unwrap_or_else(|p| p.into_inner()).clear();
        result
    }

    async fn seed_all(&self, seed: Seed) -> anyhow::Result<()> {
        if let Some(own) = seed.workspace {
            let mut id = self.shared.read(|s| Ok(s.workspace_id)).map_err(api)?;
            if let Some(wanted) = own.id {
                self.rekey(|s| rekey_workspace(s, id, wanted))?;
                id = wanted;
            }
            if let Some(name) = &own.name {
                self.call("PUT", &format!("/workspaces/{id}"), json!({ "name": name })).await?;
            }
            self.seed_in(id, &own).await?;
        }
        for workspace in &seed.workspaces {
            let name = workspace.name.clone().unwrap_or_else(|| "Seeded workspace".into());
            let made = self.call("POST", "/workspaces", json!({ "name": name })).await?;
            let mut id = made_id(&made)?;
            if let Some(wanted) = workspace.id {
                self.rekey(|s| rekey_workspace(s, id, wanted))?;
                id = wanted;
            }
            self.seed_in(id, workspace).await?;
        }
        Ok(())
    }

    async fn seed_in(&self, workspace: Uuid, seed: &SeedWorkspace) -> anyhow::Result<()> {
        for key in &seed.api_keys {
            self.seed_key(&format!("/workspaces/{workspace}/tokens"), key).await?;
        }
        for project in &seed.projects {
            let mut body =
                json!({ "name": project.name, "environment": project.environment, "workspace_id": workspace });
            if let Some(region) = &project.home_region {
                body["home_region"] = json!(region);
            }
            let made = self.call("POST", "/projects", body).await?;
            let mut id = made_id(&made)?;
            if let Some(wanted) = project.id {
                self.rekey(|s| rekey_project(s, id, wanted))?;
                id = wanted;
            }
            for key in &project.api_keys {
                self.seed_key(&format!("/projects/{id}/tokens"), key).await?;
            }
            if !project.patch.is_empty() {
                self.call("PATCH", &format!("/projects/{id}"), Value::Array(project.patch.clone())).await?;
            }
            for stream in &project.event_streams {
                self.call("POST", &format!("/projects/{id}/eventstreams"), stream.clone()).await?;
            }
            for domain in &project.custom_domains {
                self.call("POST", &format!("/projects/{id}/cname"), domain.clone()).await?;
            }
            if !project.identities.is_empty() || !project.oauth2_clients.is_empty() || !project.relationships.is_empty()
            {
                self.seed_data_plane(id, project).await?;
            }
        }
        Ok(())
    }

    /// A project's identities, OAuth2 clients and relationships, through its own API with
    /// a key of the project that is gone again when they are made.
    async fn seed_data_plane(&self, project: Uuid, seed: &SeedProject) -> anyhow::Result<()> {
        let key = self.call("POST", &format!("/projects/{project}/tokens"), json!({ "name": "seed" })).await?;
        let key_id = made_id(&key)?;
        let value = key["value"].as_str().unwrap_or_default().to_string();
        let slug = self.shared.read(|s| Ok(s.projects[&project].slug.clone())).map_err(api)?;
        let base = format!("/project-api/{slug}/admin");
        let made = async {
            for body in &seed.identities {
                let (body, wanted) = without_id(body, "id")?;
                let made = made_id(&self.call_as(&value, "POST", &format!("{base}/identities"), body).await?)?;
                if let Some(wanted) = wanted {
                    self.rekey(|s| rekey_row(&mut s.identities, made, wanted, "identities", |row, id| row.id = id))?;
                }
            }
            for body in &seed.oauth2_clients {
                let (body, wanted) = without_id(body, "client_id")?;
                let made = self.call_as(&value, "POST", &format!("{base}/clients"), body).await?;
                let made = made["client_id"].as_str().and_then(|id| Uuid::parse_str(id).ok());
                let made = made.ok_or_else(|| anyhow::anyhow!("no client_id in the answer"))?;
                if let Some(wanted) = wanted {
                    self.rekey(|s| {
                        rekey_row(&mut s.oauth2_clients, made, wanted, "OAuth2 clients", |row, id| row.id = id)
                    })?;
                }
            }
            for body in &seed.relationships {
                self.call_as(&value, "PUT", &format!("{base}/relation-tuples"), body.clone()).await?;
            }
            anyhow::Ok(())
        }
        .await;
        self.rekey(|s| {
            s.api_keys.remove(&key_id);
            Ok(())
        })?;
        made
    }

    async fn seed_key(&self, path: &str, key: &SeedKey) -> anyhow::Result<()> {
        let mut body = json!({ "name": key.name });
        if let Some(expires_at) = &key.expires_at {
            body["expires_at"] = json!(expires_at);
        }
        let made = made_id(&self.call("POST", path, body).await?)?;
        self.rekey(|s| {
            let mut row = s.api_keys.remove(&made).expect("the key was just made");
            if let Some(value) = &key.value {
                let prefix = if matches!(row.scope, KeyScope::Project(_)) { "ory_pat_" } else { "ory_wak_" };
                if !value.starts_with(prefix) || value.len() < prefix.len() + 8 {
                    return Err(format!("the value of key {:?} must start with {prefix} and be longer", key.name));
                }
                row.value = value.clone();
            }
            let id = key.id.unwrap_or(made);
            if s.api_keys.contains_key(&id) {
                return Err(format!("two seeded keys have the ID {id}"));
            }
            row.id = id;
            s.api_keys.insert(id, row);
            Ok(())
        })
    }

    fn rekey(&self, change: impl FnOnce(&mut Store) -> Result<(), String>) -> anyhow::Result<()> {
        self.shared.write(|s| change(s).map_err(super::ApiError::bad_request)).map_err(api)
    }

    /// One request through the API's routes, with the startup key.
    async fn call(&self, method: &str, path: &str, body: Value) -> anyhow::Result<Value> {
        let key = self.shared.read(|s| Ok(s.workspace_api_key.clone())).map_err(api)?;
        self.call_as(&key, method, path, body).await
    }

    async fn call_as(&self, key: &str, method: &str, path: &str, body: Value) -> anyhow::Result<Value> {
        let request = axum::http::Request::builder()
            .method(method)
            .uri(path)
            .header("authorization", format!("Bearer {key}"))
            .header("content-type", "application/json")
            .body(axum::body::Body::from(body.to_string()))?;
        let response = self.app().oneshot(request).await?;
        let status = response.status();
        let bytes = axum::body::to_bytes(response.into_body(), super::MAX_BODY_BYTES).await?;
        let answer: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        if !status.is_success() {
            anyhow::bail!("seeding {method} {path} with {body}: {status} {answer}");
        }
        Ok(answer)
    }
}

/// `body` without the ID a seed may fix, and that ID.
fn without_id(body: &Value, field: &str) -> anyhow::Result<(Value, Option<Uuid>)> {
    let mut body = body.clone();
    let wanted = body.as_object_mut().and_then(|o| o.remove(field));
    let wanted = match wanted {
        None => None,
        Some(v) => Some(
            v.as_str()
                .and_then(|id| Uuid::parse_str(id).ok())
                .ok_or_else(|| anyhow::anyhow!("--seed: {field} {v} is not a UUID"))?,
        ),
    };
    Ok((body, wanted))
}

fn rekey_row<T>(
    table: &mut Table<T>,
    old: Uuid,
    new: Uuid,
    what: &str,
    set_id: impl FnOnce(&mut T, Uuid),
) -> Result<(), String> {
    if table.contains_key(&new) {
        return Err(format!("two seeded {what} have the ID {new}"));
    }
    let mut row = table.remove(&old).expect("the row was just made");
    set_id(&mut row, new);
    table.insert(new, row);
    Ok(())
}

fn made_id(answer: &Value) -> anyhow::Result<Uuid> {
    answer["id"].as_str().and_then(|id| Uuid::parse_str(id).ok()).ok_or_else(|| anyhow::anyhow!("no ID in {answer}"))
}

fn api(e: super::ApiError) -> anyhow::Error {
    anyhow::anyhow!("seeding: {}", e.reason)
}

fn rekey_workspace(s: &mut Store, old: Uuid, new: Uuid) -> Result<(), String> {
    if old == new {
        return Ok(());
    }
    if s.workspaces.contains_key(&new) {
        return Err(format!("two seeded workspaces have the ID {new}"));
    }
    let mut row = s.workspaces.remove(&old).expect("the workspace exists");
    row.id = new;
    s.workspaces.insert(new, row);
    if s.workspace_id == old {
        s.workspace_id = new;
    }
    Ok(())
}

fn rekey_project(s: &mut Store, old: Uuid, new: Uuid) -> Result<(), String> {
    if s.projects.contains_key(&new) {
        return Err(format!("two seeded projects have the ID {new}"));
    }
    let mut row = s.projects.remove(&old).expect("the project was just made");
    row.id = new;
    s.projects.insert(new, row);
    Ok(())
}
