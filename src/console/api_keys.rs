//! API keys of a project (`/projects/{project}/tokens`) or of a workspace
//! (`/workspaces/{workspace}/tokens`). There is no get-by-ID and no update:
//! a key is read by listing, and changed by replacing it.

use std::collections::BTreeMap;

use reqwest::Method;
use serde::{Deserialize, Serialize};

use super::ids::{ApiKeyId, ProjectId, WorkspaceId};
use super::journal::Listing;
use super::recover::{Create, Listed, Recovered};
use super::{Client, Error};
use crate::http::{answers, segment};

/// A project or workspace API key. `value` is only in the answer to create.
#[derive(Clone, Deserialize, Serialize, PartialEq)]
pub struct ApiKey {
    pub id: ApiKeyId,
    pub name: String,
    #[serde(deserialize_with = "answers::id")]
    pub owner_id: String,
    #[serde(default)]
    pub value: Option<String>,
    #[serde(default)]
    pub last_characters: Option<String>,
    #[serde(default)]
    pub created_at: Option<String>,
    #[serde(default)]
    pub expires_at: Option<String>,
    #[serde(flatten)]
    pub additional: BTreeMap<String, serde_json::Value>,
}

impl Client {
    /// The API keys of a project or a workspace.
    pub fn api_keys(&self, owner: Owner) -> ApiKeys<'_> {
        ApiKeys::new(self, owner)
    }
}

impl std::fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ApiKey")
            .field("id", &self.id)
            .field("name", &self.name)
            .field("value", &self.value.as_ref().map(|_| "(redacted)"))
            .finish_non_exhaustive()
    }
}

#[derive(Serialize)]
struct CreateBody<'a> {
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    expires_at: Option<&'a str>,
}

/// Whose keys: a project's or a workspace's.
#[derive(Clone, Debug)]
pub enum Owner {
    Project(ProjectId),
    Workspace(WorkspaceId),
}

pub struct ApiKeys<'c> {
    client: &'c Client,
    /// The project, for the `allowed_project_ids` check.
    project: Option<ProjectId>,
    base: String,
    ops: [&'static str; 3],
    /// The listing the keys appear in, for the in-flight journal.
    listing: Listing,
}

impl<'c> ApiKeys<'c> {
    pub(super) fn new(client: &'c Client, owner: Owner) -> ApiKeys<'c> {
        let (base, ops) = match &owner {
            Owner::Project(id) => (
                format!("/projects/{}/tokens", segment(id)),
                ["createProjectApiKey", "listProjectApiKeys", "deleteProjectApiKey"],
            ),
            Owner::Workspace(id) => (
                format!("/workspaces/{}/tokens", segment(id)),
                ["createWorkspaceApiKey", "listWorkspaceApiKeys", "deleteWorkspaceApiKey"],
            ),
        };
        let (project, listing) = match owner {
            Owner::Project(id) => (Some(id.clone()), Listing::ProjectKeys { project: id }),
            Owner::Workspace(id) => (None, Listing::WorkspaceKeys { workspace: id }),
        };
        ApiKeys { client, project, base, ops, listing }
    }

    fn check(&self) -> Result<(), Error> {
        self.project.as_deref().map_or(Ok(()), |p| self.client.check_project(p))
    }

    /// Creates a key. An unanswered attempt cannot be adopted: its value is
    /// shown only in the lost answer. The keys it made are deleted instead,
    /// never a sibling's (see `recover`), and the key is made again.
    pub async fn create(&self, name: &str, expires_at: Option<&str>) -> Result<ApiKey, Error> {
        self.check()?;
        let body = &CreateBody { name, expires_at };
        let made = self.create_recovered(body).await;
        // Whatever the outcome, a key may have been made or deleted.
        self.client.http().forget_listing(&self.base);
        made
    }

    async fn create_recovered(&self, body: &CreateBody<'_>) -> Result<ApiKey, Error> {
        let name = body.name;
        let calm_client = self.client.unstoppable();
        let calm = &ApiKeys {
            client: &calm_client,
            project: self.project.clone(),
            base: self.base.clone(),
            ops: self.ops,
            listing: self.listing.clone(),
        };
        self.client
            .create_once(Create {
                what: "API key",
                gate: self.base.clone(),
                source: self.base.clone(),
                listing: self.listing.clone(),
                fingerprint: name.to_string(),
                post: Box::new(move || Box::pin(self.client.send(self.ops[0], Method::POST, &self.base, Some(body)))),
                id: |k: &ApiKey| &k.id,
                list: Box::new(move || {
                    Box::pin(async move {
                        let keys = calm.list().await?;
                        Ok(keys
                            .into_iter()
                            .map(|k| Listed { id: k.id.to_string(), fingerprint: k.name, item: () })
                            .collect())
                    })
                }),
                recovered: Recovered::Discard(Box::new(move |id| {
                    Box::pin(async move {
                        match calm.delete(&ApiKeyId::from(&id)).await {
                            Err(e) if e.is_not_found() => Ok(()),
                            other => other,
                        }
                    })
                })),
            })
            .await
    }

    pub async fn list(&self) -> Result<Vec<ApiKey>, Error> {
        self.check()?;
        self.client.send::<(), _>(self.ops[1], Method::GET, &self.base, None).await
    }

    /// The key with this ID, or `None` when it no longer exists. Reads of
    /// one owner's keys share one listing (see `listings`).
    pub async fn find(&self, id: &ApiKeyId) -> Result<Option<ApiKey>, Error> {
        self.check()?;
        let keys = self.client.shared_listing(self.ops[1], &self.base, |keys: Vec<ApiKey>| keys, |k| &k.id).await?;
        Ok(keys.get(id.as_str()).cloned())
    }

    pub async fn delete(&self, id: &ApiKeyId) -> Result<(), Error> {
        self.check()?;
        let deleted = self
            .client
            .send_raw::<()>(self.ops[2], Method::DELETE, &format!("{}/{}", self.base, segment(id)), None)
            .await;
        self.client.http().forget_listing(&self.base);
        deleted.map(drop)
    }
}
