//! `ory_workspace`: an Ory Network workspace. The API cannot delete one, so
//! destroying it only forgets it, with a warning.

use async_trait::async_trait;

use crate::console::{Workspace, WorkspaceId};
use crate::plugin::Diagnostics;
use crate::provider::adoption::{Finds, Found, Place};
use crate::provider::client::OryClient;
use crate::provider::errors::Error;
use crate::provider::model::{attr, computed, model, required};
use crate::provider::typed::{Declared, ImportId, TypedResource};
use crate::provider::validators;

model! {
    pub struct WorkspaceModel {
        id: String = computed("The workspace's ID."),
        name: String = required("The workspace's name. Changed in place.").check(validators::name),
        created_at: String = computed("When the workspace was created (RFC 3339)."),
        updated_at: String = computed("When the workspace last changed (RFC 3339).").follows_changes(),
    }
}

impl From<Workspace> for WorkspaceModel {
    fn from(w: Workspace) -> Self {
        WorkspaceModel {
            id: Some(w.id.to_string()),
            name: Some(w.name),
            created_at: Some(w.created_at),
            updated_at: Some(w.updated_at),
            ..Default::default()
        }
    }
}

pub struct WorkspaceResource;

impl Declared for WorkspaceResource {
    type Model = WorkspaceModel;

    fn type_name(&self) -> &'static str {
        "ory_workspace"
    }

    fn summary(&self) -> &'static str {
        "a workspace"
    }

    fn description(&self) -> String {
        "An Ory Network workspace. The API cannot delete workspaces: destroying this resource removes it from Terraform's state and warns that it still exists.".into()
    }

    fn noun(&self) -> &'static str {
        "workspace"
    }

    fn describe(&self, m: &WorkspaceModel) -> String {
        match &m.id {
            Some(id) => format!("workspace {id}"),
            None => format!("workspace {:?}", m.name.as_deref().unwrap_or_default()),
        }
    }
}

#[async_trait]
impl TypedResource for WorkspaceResource {
    async fn find(&self, _: &OryClient, place: &Place<'_>, finds: &mut Finds) -> Result<(), crate::console::Error> {
        if let Place::Workspace(workspace) = place {
            finds.add(Found::new(workspace.name.clone(), workspace.id.to_string()).knowing("name", &workspace.name));
        }
        Ok(())
    }

    fn import_id(&self) -> ImportId {
        ImportId::Own { id: attr!(WorkspaceModel, id), noun: "workspace" }
    }

    async fn create(
        &self,
        client: &OryClient,
        planned: WorkspaceModel,
        _: &mut Diagnostics,
    ) -> Result<WorkspaceModel, Error> {
        let name = planned.name.unwrap_or_default();
        Ok(client.console.workspaces().create(&name).await?.into())
    }

    async fn read(
        &self,
        client: &OryClient,
        state: WorkspaceModel,
        _: &mut Diagnostics,
    ) -> Result<Option<WorkspaceModel>, Error> {
        match client.console.workspaces().get(&WorkspaceId::from(state.id.as_deref().unwrap_or_default())).await {
            Ok(w) => Ok(Some(w.into())),
            Err(e) if e.is_not_found() => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    async fn update(
        &self,
        client: &OryClient,
        prior: WorkspaceModel,
        planned: WorkspaceModel,
        _: &mut Diagnostics,
    ) -> Result<WorkspaceModel, Error> {
        let (id, name) = (prior.id.unwrap_or_default(), planned.name.unwrap_or_default());
        Ok(client.console.workspaces().rename(&WorkspaceId::from(&id), &name).await?.into())
    }

    async fn delete(&self, _client: &OryClient, prior: WorkspaceModel, notes: &mut Diagnostics) -> Result<(), Error> {
        notes.warning(
            "Workspace still exists in Ory Network",
            format!(
                "The Ory API cannot delete workspaces, so workspace {} ({:?}) was only removed from Terraform's state. \
                 Delete it in the Ory console if it is no longer needed.",
                prior.id.unwrap_or_default(),
                prior.name.unwrap_or_default()
            ),
        );
        Ok(())
    }
}
