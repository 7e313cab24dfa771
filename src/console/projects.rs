//! Projects: create, get, list, rename, change environment, purge.

use std::collections::BTreeMap;

use reqwest::Method;
use serde::{Deserialize, Serialize};

use super::recover::{made_since, Found};
use super::{segment, Client, Error};

/// A project as `getProject` and `createProject` return it.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
pub struct Project {
    pub id: String,
    #[serde(default)]
    pub revision_id: Option<String>,
    pub slug: String,
    pub name: String,
    /// `prod`, `stage` or `dev`; kept as text so a new value never fails a read.
    pub environment: String,
    pub home_region: String,
    /// `running`, `halted` or `deleted`.
    pub state: String,
    #[serde(default)]
    pub workspace_id: Option<String>,
    /// Everything else the API sends (services, CORS, organizations, and any
    /// field added later), kept so that nothing is lost.
    #[serde(flatten)]
    pub additional: BTreeMap<String, serde_json::Value>,
}

impl Project {
    /// Whether the project was purged: the API keeps answering for it, with
    /// this state (Ory's provider reports the same).
    pub fn is_deleted(&self) -> bool {
        self.state == "deleted"
    }
}

/// A project as listings return it (no service configuration).
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
pub struct ProjectMetadata {
    pub id: String,
    pub slug: String,
    pub name: String,
    pub environment: String,
    pub home_region: String,
    pub state: String,
    #[serde(default)]
    pub workspace_id: Option<String>,
    #[serde(default)]
    pub created_at: Option<String>,
    #[serde(default)]
    pub updated_at: Option<String>,
    #[serde(default)]
    pub hosts: Vec<String>,
    #[serde(flatten)]
    pub additional: BTreeMap<String, serde_json::Value>,
}

/// The body of `createProject`.
#[derive(Clone, Debug, Serialize)]
pub struct CreateProject {
    pub name: String,
    pub environment: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub home_region: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub workspace_id: Option<String>,
}

#[derive(Deserialize)]
struct ProjectUpdate {
    project: Project,
}

#[derive(Deserialize)]
struct WorkspaceProjects {
    projects: Vec<ProjectMetadata>,
}

#[derive(Serialize)]
struct JsonPatchOp<'a> {
    op: &'static str,
    path: &'static str,
    value: &'a str,
}

#[derive(Serialize)]
struct SetEnvironment<'a> {
    environment: &'a str,
}

/// The projects area of the API.
pub struct Projects<'c> {
    client: &'c Client,
}

impl<'c> Projects<'c> {
    pub(super) fn new(client: &'c Client) -> Projects<'c> {
        Projects { client }
    }

    /// Creates a project. An unanswered attempt is resolved by reading back
    /// the workspace's projects: one with this name made since the attempt
    /// is adopted.
    pub async fn create(&self, body: &CreateProject) -> Result<Project, Error> {
        self.client
            .create_once(
                "project",
                || self.client.send("createProject", Method::POST, "/projects", Some(body)),
                |started| async move {
                    let listed = match &body.workspace_id {
                        Some(w) => self.list_for_workspace(w).await?,
                        None => self.list().await?,
                    };
                    let made: Vec<_> = listed
                        .into_iter()
                        .filter(|p| p.name == body.name && p.state != "deleted" && made_since(p.created_at.as_deref(), started))
                        .collect();
                    match made.as_slice() {
                        [] => Ok(Found::Nothing),
                        [one] => self.get(&one.id).await.map(Found::Made),
                        many => Err(Error::Unresolved(format!(
                            "creating project {:?} got no answer, and {} projects of that name appeared meanwhile ({}); \
                             check them in the Ory console and import the right one",
                            body.name,
                            many.len(),
                            many.iter().map(|p| p.id.as_str()).collect::<Vec<_>>().join(", ")
                        ))),
                    }
                },
            )
            .await
    }

    pub async fn get(&self, id: &str) -> Result<Project, Error> {
        self.client.check_project(id)?;
        self.client.send::<(), _>("getProject", Method::GET, &format!("/projects/{}", segment(id)), None).await
    }

    /// The projects of one workspace.
    pub async fn list_for_workspace(&self, workspace_id: &str) -> Result<Vec<ProjectMetadata>, Error> {
        let list: WorkspaceProjects = self
            .client
            .send::<(), _>(
                "listWorkspaceProjects",
                Method::GET,
                &format!("/workspaces/{}/projects", segment(workspace_id)),
                None,
            )
            .await?;
        Ok(list.projects)
    }

    /// Every project the key can see.
    pub async fn list(&self) -> Result<Vec<ProjectMetadata>, Error> {
        self.client.send::<(), _>("listProjects", Method::GET, "/projects", None).await
    }

    /// Renames with a JSON Patch on `/name`, the way Ory's own tools do.
    pub async fn rename(&self, id: &str, name: &str) -> Result<Project, Error> {
        self.client.check_project(id)?;
        let patch = [JsonPatchOp { op: "replace", path: "/name", value: name }];
        let update: ProjectUpdate = self
            .client
            .send("patchProject", Method::PATCH, &format!("/projects/{}", segment(id)), Some(&patch))
            .await?;
        Ok(update.project)
    }

    /// Moves a project to another environment tier in place. This call is not
    /// in the OpenAPI spec; the Ory console and Ory's Terraform provider use it
    /// (ory/terraform-provider-ory, internal/client/client.go, SetProjectEnvironment).
    /// Its answer is not decoded: Ory's provider notes it omits fields the
    /// project model requires, so the caller reads the project back.
    pub async fn set_environment(&self, id: &str, environment: &str) -> Result<(), Error> {
        self.client.check_project(id)?;
        self.client
            .send_raw(
                "setProjectEnvironment",
                Method::PUT,
                &format!("/projects/{}/environment", segment(id)),
                Some(&SetEnvironment { environment }),
            )
            .await
            .map(drop)
    }

    /// Irreversibly deletes a project and all its data.
    pub async fn purge(&self, id: &str) -> Result<(), Error> {
        self.client.check_project(id)?;
        self.client
            .send_raw::<()>("purgeProject", Method::DELETE, &format!("/projects/{}", segment(id)), None)
            .await
            .map(drop)
    }
}
