//! `ory_project_member`: removing a member from a project, the one change to
//! members the console API offers. Members join by invitation in the Ory
//! console, which the API does not offer, so this resource is never created:
//! it is imported, and destroying it removes the member.

use async_trait::async_trait;

use crate::console::{Member, MemberId, ProjectId};
use crate::plugin::Diagnostics;
use crate::provider::client::{OryClient, Setting};
use crate::provider::enums::MEMBER_ROLES;
use crate::provider::errors::Error;
use crate::provider::model::{attr, computed, model, optional_computed, Fallback};
use crate::provider::typed::{Declared, ImportId, Plan, TypedResource};
use crate::provider::validators;

model! {
    pub struct ProjectMemberModel {
        id: String = computed("The member's user ID."),
        project_id: String = optional_computed("The project. Defaults to the provider's `project_id`.")
            .check(validators::uuid)
            .default(Fallback::Provider(Setting::ProjectId))
            .force_new(),
        email: String = computed("The member's email address."),
        name: String = computed("The member's name."),
        role: String = computed("The member's role.").one_of(MEMBER_ROLES),
    }
}

impl ProjectMemberModel {
    fn ids(&self) -> (ProjectId, MemberId) {
        (self.project_id.as_deref().unwrap_or_default().into(), self.id.as_deref().unwrap_or_default().into())
    }

    fn with(&self, m: Member) -> ProjectMemberModel {
        ProjectMemberModel {
            id: Some(m.id.to_string()),
            project_id: self.project_id.clone(),
            email: Some(m.email),
            name: Some(m.name),
            role: Some(m.role.into()),
            ..ProjectMemberModel::default()
        }
    }
}

const HOW: &str = "Members join a project by invitation in the Ory console; the console API cannot invite. To remove a member with Terraform, import it (terraform import <address> <project_id>/<member_id>, or an import block), then destroy it.";

pub struct ProjectMemberResource;

impl Declared for ProjectMemberResource {
    type Model = ProjectMemberModel;

    fn type_name(&self) -> &'static str {
        "ory_project_member"
    }

    fn summary(&self) -> &'static str {
        "removing a project member"
    }

    fn description(&self) -> String {
        format!("A member of a project, for removing it: import the member, then destroy this resource to remove it from the project (`removeProjectMember`). It is never created. {HOW} The API lets only an owner remove members, and never the project's last owner.")
    }

    fn noun(&self) -> &'static str {
        "project member"
    }

    fn describe(&self, m: &ProjectMemberModel) -> String {
        let (project, id) = m.ids();
        format!("member {id} of project {project}")
    }
}

#[async_trait]
impl TypedResource for ProjectMemberResource {
    fn import_id(&self) -> ImportId {
        ImportId::Owned {
            id: attr!(ProjectMemberModel, id),
            owner: attr!(ProjectMemberModel, project_id),
            label: "member_id",
            default: Some(Setting::ProjectId),
        }
    }

    /// A member can only be imported: a plan to create one is refused.
    async fn plan(&self, _: &OryClient, plan: &mut Plan<'_, ProjectMemberModel>) -> Result<(), Error> {
        if plan.prior.is_some() {
            return Ok(());
        }
        Err(Error::refused("A project member cannot be created", HOW))
    }

    async fn create(
        &self,
        _: &OryClient,
        _: ProjectMemberModel,
        _: &mut Diagnostics,
    ) -> Result<ProjectMemberModel, Error> {
        Err(Error::refused("A project member cannot be created", HOW))
    }

    async fn read(
        &self,
        client: &OryClient,
        state: ProjectMemberModel,
        _: &mut Diagnostics,
    ) -> Result<Option<ProjectMemberModel>, Error> {
        let (project, id) = state.ids();
        match client.console.members(&project).list().await {
            Ok(members) => Ok(members.into_iter().find(|m| m.id == id).map(|m| state.with(m))),
            Err(e) if e.is_not_found() => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    /// Nothing of a member can be changed here.
    async fn update(
        &self,
        _: &OryClient,
        _: ProjectMemberModel,
        planned: ProjectMemberModel,
        _: &mut Diagnostics,
    ) -> Result<ProjectMemberModel, Error> {
        Ok(planned)
    }

    async fn delete(&self, client: &OryClient, prior: ProjectMemberModel, _: &mut Diagnostics) -> Result<(), Error> {
        let (project, id) = prior.ids();
        match client.console.members(&project).remove(&id).await {
            Err(e) if !e.is_not_found() => Err(e.into()),
            _ => Ok(()),
        }
    }
}
