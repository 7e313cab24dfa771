//! `ory_project_members`: who can reach a project.

use async_trait::async_trait;

use super::or_empty;
use crate::console::{Member, ProjectId};
use crate::provider::client::{OryClient, Setting};
use crate::provider::enums::MEMBER_ROLES;
use crate::provider::errors::Error;
use crate::provider::model::{computed, model, names, optional_computed, Fallback};
use crate::provider::typed::{Declared, TypedDataSource};
use crate::provider::validators;

model! {
    pub struct MemberItem {
        id: String = computed("The member's ID."),
        email: String = computed("The member's email address."),
        name: String = computed("The member's name."),
        role: String = computed("The member's role on the project.").one_of(MEMBER_ROLES),
        source: String = computed("Whether the membership comes from the project or its workspace."),
        email_verified: bool = computed("Whether the email address is verified."),
    }
}

impl From<Member> for MemberItem {
    fn from(m: Member) -> Self {
        MemberItem {
            id: Some(m.id.to_string()),
            email: Some(m.email),
            name: Some(m.name),
            role: Some(m.role.into()),
            source: m.source,
            email_verified: Some(m.email_verified),
            ..Default::default()
        }
    }
}

model! {
    pub struct MembersListing {
        project_id: String = optional_computed("The project. Defaults to the provider's `project_id`.")
            .check(validators::uuid)
            .default(Fallback::Provider(Setting::ProjectId)),
        members: Vec<MemberItem> = computed(&format!(
            "The members: {}. `role` is one of {}; `source` is project or workspace.",
            names::<MemberItem>(),
            MEMBER_ROLES.join(", ")
        )),
    }
}

pub struct MembersData;

impl Declared for MembersData {
    type Model = MembersListing;

    fn type_name(&self) -> &'static str {
        "ory_project_members"
    }

    fn summary(&self) -> &'static str {
        "a project's members"
    }

    fn description(&self) -> String {
        "Lists the members of a project.".into()
    }

    fn noun(&self) -> &'static str {
        "project members"
    }

    fn describe(&self, config: &MembersListing) -> String {
        format!("the members of project {}", or_empty(&config.project_id))
    }
}

#[async_trait]
impl TypedDataSource for MembersData {
    async fn read(&self, client: &OryClient, config: MembersListing) -> Result<MembersListing, Error> {
        let members = client.console.members(&ProjectId::from(or_empty(&config.project_id))).list().await?;
        Ok(MembersListing { members: Some(members.into_iter().map(MemberItem::from).collect()), ..config })
    }
}
