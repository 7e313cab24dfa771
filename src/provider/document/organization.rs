//! `ory_organization`: a B2B SSO organization of a project, an entry of
//! `project.organizations` written through the slice layer, and read with
//! `getOrganization`, which alone gives its times.

use async_trait::async_trait;

use crate::console::{Organization, OrganizationId, ProjectId};
use crate::plugin::{AttributePath, Diagnostic, Diagnostics, Value};
use crate::provider::adoption::{Finds, Found, Place};
use crate::provider::client::{OryClient, Setting};
use crate::provider::document::paths;
use crate::provider::document::slice::{Owner, Part, Write};
use crate::provider::enums::{HOME_REGIONS, ORGANIZATION_ENVIRONMENTS};
use crate::provider::errors::Error;
use crate::provider::model::{attr, computed, model, optional, optional_computed, required, Fallback};
use crate::provider::typed::{Declared, ImportId, Plan, TypedResource};
use crate::provider::validators;
use serde_json::{json, Value as Json};

model! {
    pub struct OrganizationModel {
        id: String = computed("The organization's ID."),
        project_id: String = optional_computed(
            "The project. Defaults to the provider's `project_id`. It must be a `prod` or `stage` project. Changing it replaces the organization."
        )
        .check(validators::uuid)
        .default(Fallback::Provider(Setting::ProjectId))
        .force_new(),
        label: String = required("The organization's name, as people read it.").check(validators::name),
        domains: Vec<String> = optional_computed(
            "The email domains whose users sign in through this organization's SSO; a domain belongs to one organization of the project. Defaults to none."
        )
        .check(validators::domain)
        .distinct()
        .default(Fallback::Always(Value::List(Vec::new()))),
        session_lifespan: String = optional(
            "How long sessions of this organization's users last, overriding the project's: whole seconds, minutes or hours from `1m` to `8760h`, such as `24h`. Left out, the project's applies."
        )
        .check(validators::session_lifespan),
        default_region: String = optional(
            "Where identities that single sign-on provisions live when they name no region; inside the project's home region. Left out, the region of the request that made them."
        )
        .one_of(HOME_REGIONS),
        created_at: String = computed("When the organization was created (RFC 3339)."),
        updated_at: String = computed("When the organization last changed (RFC 3339).").follows_changes(),
    }
}

impl OrganizationModel {
    fn ids(&self) -> (ProjectId, OrganizationId) {
        (self.project_id.as_deref().unwrap_or_default().into(), self.id.as_deref().unwrap_or_default().into())
    }

    /// The organization's entry: `null` removes a setting it had.
    fn entry(&self, id: &str) -> Json {
        json!({
            "id": id,
            "label": self.label.clone().unwrap_or_default(),
            "domains": self.domains.clone().unwrap_or_default(),
            "session_lifespan": self.session_lifespan,
            "default_region": self.default_region,
        })
    }

    fn part(id: &str) -> Part {
        Part::by_id(paths::ORGANIZATIONS, "organization", id)
    }

    fn owner(project: &str, id: &str) -> Owner<'static> {
        Owner {
            noun: "the organization",
            attributes: ENTRY_ATTRIBUTES,
            import_hint: format!("terraform import <address> '{project}/{id}'"),
        }
    }

    fn with(&self, o: Organization, project: &str) -> OrganizationModel {
        OrganizationModel {
            id: Some(o.id.to_string()),
            project_id: Some(project.to_string()),
            label: Some(o.label),
            domains: Some(o.domains),
            session_lifespan: o.session_lifespan.filter(|s| !s.is_empty()),
            default_region: o.default_region.filter(|s| !s.is_empty()),
            created_at: o.created_at,
            updated_at: o.updated_at,
            ..OrganizationModel::default()
        }
    }
}

/// Which attribute writes which pointer of the organization's entry.
const ENTRY_ATTRIBUTES: &[(&str, &str)] = &[
    ("/label", "label"),
    ("/domains", "domains"),
    ("/session_lifespan", "session_lifespan"),
    ("/default_region", "default_region"),
];

/// Refuses a `dev` project, before anything is sent: Ory Network allows
/// organizations on prod and stage projects only. A project that cannot be
/// read now is left to the API to judge.
async fn refuse_dev_project(client: &OryClient, project: &str) -> Result<(), Error> {
    match client.console.projects().get(&project.into()).await.map(|p| p.environment) {
        Ok(env) if !ORGANIZATION_ENVIRONMENTS.contains(&env.as_str()) => Err(Error::on(
            attr!(OrganizationModel, project_id),
            "Organizations need a prod or stage project",
            format!(
                "Project {project} is a {env} project; Ory Network allows organizations on {} projects only. Move the project to stage or prod (ory_project's environment), or use another project.",
                ORGANIZATION_ENVIRONMENTS.join(" and ")
            ),
        )),
        _ => Ok(()),
    }
}

pub struct OrganizationResource;

impl Declared for OrganizationResource {
    type Model = OrganizationModel;

    fn type_name(&self) -> &'static str {
        "ory_organization"
    }

    fn summary(&self) -> &'static str {
        "a B2B organization"
    }

    fn description(&self) -> String {
        "A B2B single sign-on organization of a project. Every change but `project_id` applies in place. Organizations need a `prod` or `stage` project and an Ory Network plan with B2B features. The provider writes organizations into the project document (`project.organizations`, with `patchProjectWithRevision`), as Ory's spec asks now that the organization calls are deprecated, and reads them with `getOrganization`.".into()
    }

    fn noun(&self) -> &'static str {
        "organization"
    }

    fn describe(&self, m: &OrganizationModel) -> String {
        match m.ids() {
            (project, id) if id.is_empty() => {
                format!("organization {:?} of project {project}", m.label.as_deref().unwrap_or_default())
            }
            (project, id) => format!("organization {id} of project {project}"),
        }
    }
}

#[async_trait]
impl TypedResource for OrganizationResource {
    async fn find(&self, _: &OryClient, place: &Place<'_>, finds: &mut Finds) -> Result<(), crate::console::Error> {
        let Place::Project(at) = place else { return Ok(()) };
        for org in at.list_at(paths::ORGANIZATIONS) {
            if let (Some(org_id), Some(label)) = (org["id"].as_str(), org["label"].as_str()) {
                let found = Found::new(format!("{} {label}", at.name()), format!("{}/{org_id}", at.id()));
                finds.add(found.knowing("label", label));
            }
        }
        Ok(())
    }

    fn import_id(&self) -> ImportId {
        ImportId::Owned {
            id: attr!(OrganizationModel, id),
            owner: attr!(OrganizationModel, project_id),
            label: "organization_id",
            default: Some(Setting::ProjectId),
        }
    }

    /// A new organization of a project whose environment is known now: a
    /// `dev` project is said at plan time, as a warning, and refused by the
    /// create before anything is sent. Not an error at plan time: the plan
    /// Terraform runs before a destroy would fail on it too, and the user
    /// could not clean up the project the failed apply made.
    async fn plan(&self, client: &OryClient, plan: &mut Plan<'_, OrganizationModel>) -> Result<(), Error> {
        let new_home = plan.prior.as_ref().is_none_or(|prior| prior.project_id != plan.planned.project_id);
        let Some(project) = plan.planned.project_id.as_deref().filter(|_| new_home) else { return Ok(()) };
        if let Err(Error::Refused(refusal)) = refuse_dev_project(client, project).await {
            let detail = format!("{} The apply will refuse this organization before sending anything.", refusal.detail);
            plan.notes.push(
                Diagnostic::warning(refusal.summary, detail)
                    .at(AttributePath::attr(attr!(OrganizationModel, project_id))),
            );
        }
        Ok(())
    }

    /// Once the organization is in the document it must reach the state,
    /// even when reading it back fails; the next refresh reads the rest.
    async fn create(
        &self,
        client: &OryClient,
        planned: OrganizationModel,
        notes: &mut Diagnostics,
    ) -> Result<OrganizationModel, Error> {
        let (project, _) = planned.ids();
        refuse_dev_project(client, &project).await?;
        // Chosen here, so that a resent create finds its own entry by it.
        let id = uuid::Uuid::new_v4().to_string();
        let entry = planned.entry(&id);
        let write = Write { value: &entry, also: &[], over_live: false, unless: None, over_default: None, keep: &[] };
        OrganizationModel::owner(&project, &id)
            .create(client, &project, &OrganizationModel::part(&id), write, notes)
            .await?;
        match client.console.organizations(&project).get(&OrganizationId::from(&id)).await {
            Ok(created) => Ok(planned.with(created, &project)),
            Err(e) => {
                notes.warning(
                    "Organization created, not read back",
                    format!("Organization {id} was added to project {project}; reading it back failed: {e}. The next refresh reads it again."),
                );
                let mut state = planned.clone();
                state.id = Some(id);
                state.unknown.clear();
                Ok(state)
            }
        }
    }

    async fn read(
        &self,
        client: &OryClient,
        state: OrganizationModel,
        _: &mut Diagnostics,
    ) -> Result<Option<OrganizationModel>, Error> {
        let (project, id) = state.ids();
        match client.console.organizations(&project).get(&id).await {
            Ok(o) => Ok(Some(state.with(o, &project))),
            Err(e) if e.is_not_found() => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    async fn update(
        &self,
        client: &OryClient,
        prior: OrganizationModel,
        planned: OrganizationModel,
        notes: &mut Diagnostics,
    ) -> Result<OrganizationModel, Error> {
        let (project, id) = prior.ids();
        let (part, entry) = (OrganizationModel::part(&id), planned.entry(&id));
        // Over the live entry: keys Ory adds to organizations stay.
        let write = Write { value: &entry, also: &[], over_live: true, unless: None, over_default: None, keep: &[] };
        OrganizationModel::owner(&project, &id).update(client, &project, &part, &part, write, notes).await?;
        let updated = client.console.organizations(&project).get(&id).await?;
        Ok(planned.with(updated, &project))
    }

    async fn delete(&self, client: &OryClient, prior: OrganizationModel, notes: &mut Diagnostics) -> Result<(), Error> {
        let (project, id) = prior.ids();
        OrganizationModel::owner(&project, &id)
            .delete(client, &project, &OrganizationModel::part(&id), |_| None, notes)
            .await
    }
}
