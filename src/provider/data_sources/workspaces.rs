//! `ory_workspace` (one) and `ory_workspaces` (all, across every page).

use async_trait::async_trait;

use super::or_empty;
use crate::console::{Workspace, WorkspaceId};
use crate::provider::client::{OryClient, Setting};
use crate::provider::console::workspace::WorkspaceModel;
use crate::provider::errors::Error;
use crate::provider::model::{computed, model, names, optional_computed, Fallback};
use crate::provider::typed::{Declared, TypedDataSource};
use crate::provider::validators;

model! {
    pub struct WorkspaceLookup {
        id: String = optional_computed("The workspace's ID. Defaults to the provider's `workspace_id`.")
            .check(validators::uuid)
            .default(Fallback::Provider(Setting::WorkspaceId)),
        name: String = computed("The workspace's name."),
        created_at: String = computed("When it was created (RFC 3339)."),
        updated_at: String = computed("When it last changed (RFC 3339)."),
    }
}

impl From<Workspace> for WorkspaceLookup {
    fn from(w: Workspace) -> Self {
        WorkspaceLookup {
            id: Some(w.id.to_string()),
            name: Some(w.name),
            created_at: Some(w.created_at),
            updated_at: Some(w.updated_at),
            ..Default::default()
        }
    }
}

model! {
    pub struct WorkspacesListing {
        workspaces: Vec<WorkspaceModel> = computed(&format!("The workspaces: {}.", names::<WorkspaceModel>())),
    }
}

pub struct WorkspaceData;
pub struct WorkspacesData;

impl Declared for WorkspaceData {
    type Model = WorkspaceLookup;

    fn type_name(&self) -> &'static str {
        "ory_workspace"
    }

    fn summary(&self) -> &'static str {
        "one workspace"
    }

    fn description(&self) -> String {
        "Looks up one workspace.".into()
    }

    fn noun(&self) -> &'static str {
        "workspace"
    }

    fn describe(&self, config: &WorkspaceLookup) -> String {
        format!("workspace {}", or_empty(&config.id))
    }
}

#[async_trait]
impl TypedDataSource for WorkspaceData {
    async fn read(&self, client: &OryClient, config: WorkspaceLookup) -> Result<WorkspaceLookup, Error> {
        Ok(client.console.workspaces().get(&WorkspaceId::from(or_empty(&config.id))).await?.into())
    }
}

impl Declared for WorkspacesData {
    type Model = WorkspacesListing;

    fn type_name(&self) -> &'static str {
        "ory_workspaces"
    }

    fn summary(&self) -> &'static str {
        "every workspace"
    }

    fn description(&self) -> String {
        "Lists every workspace the key can see, following the API's pages to the end.".into()
    }

    fn noun(&self) -> &'static str {
        "workspaces"
    }

    fn describe(&self, _: &WorkspacesListing) -> String {
        "the workspaces".into()
    }
}

#[async_trait]
impl TypedDataSource for WorkspacesData {
    async fn read(&self, client: &OryClient, _: WorkspacesListing) -> Result<WorkspacesListing, Error> {
        let list = client.console.workspaces().list_all().await?;
        Ok(WorkspacesListing {
            workspaces: Some(list.into_iter().map(WorkspaceModel::from).collect()),
            ..Default::default()
        })
    }
}
