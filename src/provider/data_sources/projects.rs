//! `ory_project` (one project, by ID or slug) and `ory_projects` (a workspace's).

use async_trait::async_trait;

use super::or_empty;
use crate::console::{Project, ProjectId, ProjectMetadata, WorkspaceId};
use crate::plugin::Diagnostics;
use crate::provider::client::{OryClient, Setting};
use crate::provider::enums::{ENVIRONMENTS, PROJECT_STATES};
use crate::provider::errors::Error;
use crate::provider::model::{attr, computed, model, names, optional_computed, Fallback};
use crate::provider::typed::{Declared, TypedDataSource};
use crate::provider::validators;

model! {
    pub struct ProjectLookup {
        id: String = optional_computed("The project's ID. Set this or `slug`; with neither, the provider's `project_id`.").check(validators::uuid),
        slug: String = optional_computed("The project's slug. Set this or `id`."),
        name: String = computed("The project's name."),
        environment: String = computed("The environment tier.").one_of(ENVIRONMENTS),
        home_region: String = computed("Where the project's data lives."),
        state: String = computed("The project's state.").one_of(PROJECT_STATES),
        workspace_id: String = computed("The workspace the project belongs to."),
    }
}

impl From<Project> for ProjectLookup {
    fn from(p: Project) -> Self {
        ProjectLookup {
            id: Some(p.id.to_string()),
            slug: Some(p.slug),
            name: Some(p.name),
            environment: Some(p.environment.into()),
            home_region: Some(p.home_region.into()),
            state: Some(p.state.into()),
            workspace_id: p.workspace_id.map(String::from),
            ..Default::default()
        }
    }
}

model! {
    pub struct ProjectItem {
        id: String = computed("The project's ID."),
        slug: String = computed("The project's slug."),
        name: String = computed("The project's name."),
        environment: String = computed("The environment tier."),
        home_region: String = computed("Where the project's data lives."),
        state: String = computed("The project's state."),
        workspace_id: String = computed("The workspace the project belongs to."),
        created_at: String = computed("When the project was created (RFC 3339)."),
    }
}

impl From<ProjectMetadata> for ProjectItem {
    fn from(p: ProjectMetadata) -> Self {
        ProjectItem {
            id: Some(p.id.to_string()),
            slug: Some(p.slug),
            name: Some(p.name),
            environment: Some(p.environment.into()),
            home_region: Some(p.home_region.into()),
            state: Some(p.state.into()),
            workspace_id: p.workspace_id.map(String::from),
            created_at: p.created_at,
            ..Default::default()
        }
    }
}

model! {
    pub struct ProjectsListing {
        workspace_id: String = optional_computed("The workspace. Defaults to the provider's `workspace_id`.")
            .check(validators::uuid)
            .default(Fallback::Provider(Setting::WorkspaceId)),
        projects: Vec<ProjectItem> = computed(&format!("The workspace's projects: {}.", names::<ProjectItem>())),
    }
}

pub struct ProjectData;
pub struct ProjectsData;

impl Declared for ProjectData {
    type Model = ProjectLookup;

    fn type_name(&self) -> &'static str {
        "ory_project"
    }

    fn summary(&self) -> &'static str {
        "one project, by ID or slug"
    }

    fn description(&self) -> String {
        "Looks up one project, by `id` or by `slug`.".into()
    }

    fn noun(&self) -> &'static str {
        "project"
    }

    fn describe(&self, config: &ProjectLookup) -> String {
        match (&config.id, &config.slug) {
            (Some(id), _) => format!("project {id}"),
            (None, slug) => format!("the project with slug {:?}", or_empty(slug)),
        }
    }

    fn validate(&self, config: &ProjectLookup, diags: &mut Diagnostics) {
        let id = config.id.is_some() || config.unknown.contains(attr!(ProjectLookup, id));
        let slug = config.slug.is_some() || config.unknown.contains(attr!(ProjectLookup, slug));
        if id && slug {
            diags.attr_error(
                attr!(ProjectLookup, id),
                "Set one of id and slug",
                "Look a project up by its `id` or by its `slug`, or by neither for the provider's `project_id`.",
            );
        }
    }
}

#[async_trait]
impl TypedDataSource for ProjectData {
    async fn read(&self, client: &OryClient, config: ProjectLookup) -> Result<ProjectLookup, Error> {
        let projects = client.console.projects();
        let id = match (config.id, config.slug) {
            (Some(id), _) => id,
            (None, Some(slug)) => match projects.list().await?.into_iter().find(|p| p.slug == slug) {
                Some(p) => p.id,
                None => {
                    return Err(Error::on(
                        attr!(ProjectLookup, slug),
                        "Project not found",
                        format!("No project with slug {slug:?} is visible to this workspace API key."),
                    ))
                }
            }.to_string(),
            (None, None) => match &client.project_id {
                Some(id) => id.clone(),
                None => {
                    return Err(Error::on(
                        attr!(ProjectLookup, id),
                        "Which project?",
                        "Set id or slug, or the provider's project_id (ORY_PROJECT_ID), whose project this reads when both are left out.",
                    ))
                }
            },
        };
        match projects.get(&ProjectId::from(&id)).await? {
            p if p.is_deleted() => Err(Error::refused("Project not found", format!("Project {id} was purged."))),
            p => Ok(p.into()),
        }
    }
}

impl Declared for ProjectsData {
    type Model = ProjectsListing;

    fn type_name(&self) -> &'static str {
        "ory_projects"
    }

    fn summary(&self) -> &'static str {
        "a workspace's projects"
    }

    fn description(&self) -> String {
        "Lists the projects of a workspace.".into()
    }

    fn noun(&self) -> &'static str {
        "projects"
    }

    fn describe(&self, config: &ProjectsListing) -> String {
        format!("the projects of workspace {}", or_empty(&config.workspace_id))
    }
}

#[async_trait]
impl TypedDataSource for ProjectsData {
    async fn read(&self, client: &OryClient, config: ProjectsListing) -> Result<ProjectsListing, Error> {
        let list =
            client.console.projects().list_for_workspace(&WorkspaceId::from(or_empty(&config.workspace_id))).await?;
        Ok(ProjectsListing { projects: Some(list.into_iter().map(ProjectItem::from).collect()), ..config })
    }
}
