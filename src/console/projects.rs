//! Projects: create, get, list, rename, change environment, purge.

use std::collections::BTreeMap;
use std::sync::Arc;

use reqwest::Method;
use serde::{Deserialize, Serialize};

use super::ids::{ProjectId, WorkspaceId};
use super::project::Project;
use super::recover::{Create, Listed, Recovered};
use super::{Client, Environment, Error, HomeRegion, ProjectState};
use crate::http::segment;

/// `listProjects`: every project the key can see.
const LIST_OPERATION: &str = "listProjects";
pub(super) const LIST_PATH: &str = "/projects";

/// Where a project is read, and the key of its shared read.
fn document_path(id: &ProjectId) -> String {
    format!("{LIST_PATH}/{}", segment(id))
}

impl Client {
    pub fn projects(&self) -> Projects<'_> {
        Projects::new(self)
    }
}

/// A project as listings return it (no service configuration).
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
pub struct ProjectMetadata {
    pub id: ProjectId,
    pub slug: String,
    pub name: String,
    pub environment: Environment,
    pub home_region: HomeRegion,
    pub state: ProjectState,
    #[serde(default)]
    pub workspace_id: Option<WorkspaceId>,
    #[serde(default)]
    pub created_at: Option<String>,
    #[serde(default)]
    pub updated_at: Option<String>,
    #[serde(default)]
    pub hosts: Vec<String>,
    #[serde(flatten)]
    pub additional: BTreeMap<String, serde_json::Value>,
}

/// A listed project as a project: every field but the document (services,
/// CORS, organizations) and the revision, which listings leave out.
impl From<ProjectMetadata> for Project {
    fn from(p: ProjectMetadata) -> Project {
        let project = Project {
            id: p.id,
            revision_id: None,
            slug: p.slug,
            name: p.name,
            environment: p.environment,
            home_region: p.home_region,
            state: p.state,
            workspace_id: p.workspace_id,
            document: Default::default(),
        };
        project.documented(p.additional.into_iter().collect())
    }
}

/// The body of `createProject`.
#[derive(Clone, Debug, Serialize)]
pub struct CreateProject {
    pub name: String,
    pub environment: Environment,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub home_region: Option<HomeRegion>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub workspace_id: Option<WorkspaceId>,
}

#[derive(Deserialize)]
struct WorkspaceProjects {
    projects: Vec<ProjectMetadata>,
}

#[derive(Serialize)]
struct SetEnvironment<'a> {
    environment: &'a str,
}

/// The projects area of the API.
pub struct Projects<'c> {
    pub(super) client: &'c Client,
}

impl<'c> Projects<'c> {
    pub(super) fn new(client: &'c Client) -> Projects<'c> {
        Projects { client }
    }

    /// Creates a project. An unanswered attempt is resolved by what is
    /// provably new (see `recover`): a project of this name, environment
    /// and region that no resource of this process holds. Every field a
    /// create sets is visible in a listing, so the candidates of a group
    /// are alike.
    pub async fn create(&self, body: &CreateProject) -> Result<Project, Error> {
        let created = self.create_once(body).await;
        self.client.http().forget_listing(LIST_PATH);
        created
    }

    async fn create_once(&self, body: &CreateProject) -> Result<Project, Error> {
        let calm_client = self.client.unstoppable();
        let calm = &Projects::new(&calm_client);
        let fingerprint = |name: &str, environment: &str, home_region: &str| {
            // The server picks the region of a create that names none.
            let region = body.home_region.as_ref().map(|_| home_region);
            serde_json::json!([name, environment, region]).to_string()
        };
        let fingerprint = &fingerprint;
        self.client
            .create_once(Create {
                what: "project",
                // One gate for all projects: a create naming a workspace and one
                // naming none may land in the same workspace.
                gate: "/projects".into(),
                source: body.workspace_id.clone().unwrap_or_default().to_string(),
                listing: super::journal::Listing::Projects { workspace: body.workspace_id.clone() },
                fingerprint: fingerprint(
                    &body.name,
                    body.environment.as_str(),
                    body.home_region.as_ref().map_or("", HomeRegion::as_str),
                ),
                post: Box::new(move || {
                    Box::pin(self.client.send("createProject", Method::POST, "/projects", Some(body)))
                }),
                id: |p: &Project| &p.id,
                list: Box::new(move || {
                    Box::pin(async move {
                        let listed = match &body.workspace_id {
                            Some(w) => calm.list_for_workspace(w).await?,
                            None => calm.list().await?,
                        };
                        Ok(listed
                            .into_iter()
                            .filter(|p| p.state != ProjectState::Deleted)
                            .map(|p| Listed {
                                id: p.id.to_string(),
                                fingerprint: fingerprint(&p.name, p.environment.as_str(), p.home_region.as_str()),
                                item: p,
                            })
                            .collect())
                    })
                }),
                // The listing has every field the provider keeps; reading the
                // project again would be one more call that can fail.
                recovered: Recovered::Adopt(Box::new(|p: ProjectMetadata| Box::pin(async move { Ok(p.into()) }))),
            })
            .await
    }

    /// The project with this ID as the project listing shows it, or `None`
    /// when it is not listed. The reads of a process share one listing
    /// (see `listings`), so a refresh of N projects lists once instead of
    /// reading N times; every write to a project drops it.
    pub async fn find(&self, id: &ProjectId) -> Result<Option<ProjectMetadata>, Error> {
        self.client.check_project(id)?;
        let listed =
            self.client.shared_listing(LIST_OPERATION, LIST_PATH, |p: Vec<ProjectMetadata>| p, |p| &p.id).await?;
        Ok(listed.get(id.as_str()).cloned())
    }

    /// The project as it is now: always a call (data sources, polls, and
    /// an edit after a stale revision).
    pub async fn get(&self, id: &ProjectId) -> Result<Project, Error> {
        self.client.check_project(id)?;
        self.client.send::<(), _>("getProject", Method::GET, &document_path(id), None).await
    }

    /// The project as this process last read or wrote it: the resources of
    /// one refresh that live in its document (its configuration, actions,
    /// providers, ...) share one read instead of one each. Every write to
    /// the project drops it, or holds what the write answered, so a read
    /// after a write is never stale; an edit sent against a revision
    /// someone else moved is refused (409) and reads again.
    pub async fn shared(&self, id: &ProjectId) -> Result<Arc<Project>, Error> {
        self.client.check_project(id)?;
        self.client.transport("getProject")?.shared(&document_path(id), self.get(id)).await
    }

    /// Holds `project` as the shared read of it: what a write answered.
    pub(super) fn remember(&self, project: Arc<Project>) {
        self.client.http().remember(&document_path(&project.id), project);
    }

    /// Drops the shared read of a project: a write changed it, or may have.
    pub(super) fn forget(&self, id: &ProjectId) {
        self.client.http().forget_listing(&document_path(id));
    }

    /// The projects of one workspace.
    pub async fn list_for_workspace(&self, workspace_id: &WorkspaceId) -> Result<Vec<ProjectMetadata>, Error> {
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
        self.client.send::<(), _>(LIST_OPERATION, Method::GET, LIST_PATH, None).await
    }

    /// Moves a project to another environment tier in place. This call is not
    /// in the OpenAPI spec; the Ory console and Ory's Terraform provider use it
    /// (ory/terraform-provider-ory, internal/client/client.go, SetProjectEnvironment).
    /// Its answer is not decoded: Ory's provider notes it omits fields the
    /// project model requires, so the caller reads the project back.
    pub async fn set_environment(&self, id: &ProjectId, environment: &str) -> Result<(), Error> {
        self.client.check_project(id)?;
        let set = self
            .client
            .send_raw(
                "setProjectEnvironment",
                Method::PUT,
                &format!("/projects/{}/environment", segment(id)),
                Some(&SetEnvironment { environment }),
            )
            .await;
        self.client.http().forget_listing(LIST_PATH);
        self.forget(id);
        set.map(drop)
    }

    /// Irreversibly deletes a project and all its data.
    pub async fn purge(&self, id: &ProjectId) -> Result<(), Error> {
        self.client.check_project(id)?;
        let path = format!("/projects/{}", segment(id));
        let purged = self.client.send_raw::<()>("purgeProject", Method::DELETE, &path, None).await;
        // Its keys and streams went with it.
        self.client.http().forget_listings_under(&format!("{path}/"));
        self.client.http().forget_listing(LIST_PATH);
        self.forget(id);
        purged.map(drop)
    }
}
