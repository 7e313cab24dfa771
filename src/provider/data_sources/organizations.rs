//! `ory_organization` and `ory_organizations`: a project's B2B organizations.

use async_trait::async_trait;

use super::or_empty;
use crate::console::{Organization, OrganizationId, ProjectId};
use crate::plugin::Diagnostics;
use crate::provider::client::{OryClient, Setting};
use crate::provider::errors::Error;
use crate::provider::model::{attr, computed, model, names, optional, optional_computed, Fallback};
use crate::provider::typed::{Declared, TypedDataSource};
use crate::provider::validators;

model! {
    pub struct OrganizationItem {
        id: String = computed("The organization's ID."),
        label: String = computed("Its name."),
        domains: Vec<String> = computed("Its email domains."),
        session_lifespan: String = computed("Its session lifespan, when it overrides the project's."),
        default_region: String = computed("Its identities' default region, when it has one."),
        created_at: String = computed("When it was created (RFC 3339)."),
        updated_at: String = computed("When it last changed (RFC 3339)."),
    }
}

impl From<Organization> for OrganizationItem {
    fn from(o: Organization) -> Self {
        OrganizationItem {
            id: Some(o.id.to_string()),
            label: Some(o.label),
            domains: Some(o.domains),
            session_lifespan: o.session_lifespan.filter(|s| !s.is_empty()),
            default_region: o.default_region.filter(|s| !s.is_empty()),
            created_at: o.created_at,
            updated_at: o.updated_at,
            ..Default::default()
        }
    }
}

model! {
    pub struct OrganizationLookup {
        project_id: String = optional_computed("The project. Defaults to the provider's `project_id`.")
            .check(validators::uuid)
            .default(Fallback::Provider(Setting::ProjectId)),
        id: String = optional_computed("The organization's ID; or set `domain`.").check(validators::uuid),
        domain: String = optional("A domain the organization holds; or set `id`.").check(validators::domain),
        label: String = computed("Its name."),
        domains: Vec<String> = computed("Its email domains."),
        session_lifespan: String = computed("Its session lifespan, when it overrides the project's."),
        default_region: String = computed("Its identities' default region, when it has one."),
        created_at: String = computed("When it was created (RFC 3339)."),
        updated_at: String = computed("When it last changed (RFC 3339)."),
    }
}

pub struct OrganizationData;

impl Declared for OrganizationData {
    type Model = OrganizationLookup;

    fn type_name(&self) -> &'static str {
        "ory_organization"
    }

    fn summary(&self) -> &'static str {
        "one organization, by ID or domain"
    }

    fn description(&self) -> String {
        "Looks up one B2B organization of a project, by `id` or by a `domain` it holds.".into()
    }

    fn noun(&self) -> &'static str {
        "organization"
    }

    fn describe(&self, c: &OrganizationLookup) -> String {
        match (&c.id, &c.domain) {
            (Some(id), _) => format!("organization {id} of project {}", or_empty(&c.project_id)),
            (None, domain) => {
                format!("the organization of domain {:?} in project {}", or_empty(domain), or_empty(&c.project_id))
            }
        }
    }

    fn validate(&self, c: &OrganizationLookup, diags: &mut Diagnostics) {
        let id = c.id.is_some() || c.unknown.contains(attr!(OrganizationLookup, id));
        let domain = c.domain.is_some() || c.unknown.contains(attr!(OrganizationLookup, domain));
        if id == domain {
            diags.attr_error(
                attr!(OrganizationLookup, id),
                "Set exactly one of id and domain",
                "Look an organization up either by its `id` or by a `domain` it holds.",
            );
        }
    }
}

#[async_trait]
impl TypedDataSource for OrganizationData {
    async fn read(&self, client: &OryClient, config: OrganizationLookup) -> Result<OrganizationLookup, Error> {
        let project = or_empty(&config.project_id).to_string();
        let organizations = client.console.organizations(&ProjectId::from(&project));
        let found = match (&config.id, &config.domain) {
            (Some(id), _) => organizations.get(&OrganizationId::from(id)).await?,
            (None, Some(domain)) => match organizations.list(Some(domain)).await?.into_iter().next() {
                Some(o) => o,
                None => {
                    return Err(Error::on(
                        attr!(OrganizationLookup, domain),
                        "Organization not found",
                        format!("No organization of project {project} holds the domain {domain:?}."),
                    ))
                }
            },
            (None, None) => return Ok(OrganizationLookup::default()),
        };
        let item = OrganizationItem::from(found);
        Ok(OrganizationLookup {
            project_id: Some(project),
            id: item.id,
            domain: config.domain,
            label: item.label,
            domains: item.domains,
            session_lifespan: item.session_lifespan,
            default_region: item.default_region,
            created_at: item.created_at,
            updated_at: item.updated_at,
            ..Default::default()
        })
    }
}

model! {
    pub struct OrganizationsListing {
        project_id: String = optional_computed("The project. Defaults to the provider's `project_id`.")
            .check(validators::uuid)
            .default(Fallback::Provider(Setting::ProjectId)),
        domain: String = optional("Only the organization that holds this domain.").check(validators::domain),
        organizations: Vec<OrganizationItem> = computed(&format!(
            "The organizations, every page of them: {}.",
            names::<OrganizationItem>()
        )),
    }
}

pub struct OrganizationsData;

impl Declared for OrganizationsData {
    type Model = OrganizationsListing;

    fn type_name(&self) -> &'static str {
        "ory_organizations"
    }

    fn summary(&self) -> &'static str {
        "a project's organizations"
    }

    fn description(&self) -> String {
        "Lists the B2B organizations of a project, optionally those holding one domain.".into()
    }

    fn noun(&self) -> &'static str {
        "organizations"
    }

    fn describe(&self, c: &OrganizationsListing) -> String {
        format!("the organizations of project {}", or_empty(&c.project_id))
    }
}

#[async_trait]
impl TypedDataSource for OrganizationsData {
    async fn read(&self, client: &OryClient, config: OrganizationsListing) -> Result<OrganizationsListing, Error> {
        let project = or_empty(&config.project_id).to_string();
        let found = client.console.organizations(&ProjectId::from(&project)).list(config.domain.as_deref()).await?;
        Ok(OrganizationsListing {
            organizations: Some(found.into_iter().map(OrganizationItem::from).collect()),
            ..config
        })
    }
}
