//! `ory_identity` and `ory_identities`: a project's identities, never
//! their credentials.

use async_trait::async_trait;

use crate::project_api::IdentityState;
use crate::project_api::Server;
use crate::project_api::{Identity, IdentityId};
use crate::provider::client::{OryClient, Setting};
use crate::provider::errors::Error;
use crate::provider::framework::self_hosted::Reaches;
use crate::provider::model::{computed, model, names, optional_computed, required, Fallback};
use crate::provider::typed::{Declared, TypedDataSource};
use crate::provider::validators;

model! {
    pub struct IdentityItem {
        id: String = computed("The identity's ID."),
        schema_id: String = computed("Its identity schema."),
        traits: String = computed("Its traits, as JSON."),
        state: IdentityState = computed("`active` or `inactive`."),
        metadata_public: String = computed("Its public metadata, as JSON."),
        external_id: String = computed("Its ID in another system."),
        organization_id: String = computed("Its B2B organization."),
        verifiable_addresses: Vec<String> = computed("The addresses Ory verifies."),
        created_at: String = computed("When it was made (RFC 3339)."),
    }
}

/// Where Ory serves an identity's schema, and when the identity last changed.
fn schema_url_and_updated_at(i: &Identity) -> (Option<String>, Option<String>) {
    let url = i.additional.get("schema_url").and_then(|u| u.as_str()).map(str::to_string);
    (url, i.updated_at.clone())
}

impl From<Identity> for IdentityItem {
    fn from(i: Identity) -> Self {
        IdentityItem {
            id: Some(i.id.to_string()),
            schema_id: Some(i.schema_id),
            traits: Some(i.traits.to_string()),
            state: i.state,
            metadata_public: i.metadata_public.filter(|m| !m.is_null()).map(|m| m.to_string()),
            external_id: i.external_id.filter(|e| !e.is_empty()),
            organization_id: i.organization_id.filter(|o| !o.is_empty()),
            verifiable_addresses: Some(i.verifiable_addresses.into_iter().map(|a| a.value).collect()),
            created_at: i.created_at,
            ..Default::default()
        }
    }
}

model! {
    pub struct IdentityLookup {
        project_id: String = optional_computed(
            "The project. Defaults to the provider's `project_id`; with neither, the provider's `project_slug` and `project_api_key`."
        )
        .check(validators::uuid)
        .default(Fallback::ProviderIfSet(Setting::ProjectId)),
        id: String = required("The identity's ID.").check(validators::uuid),
        schema_id: String = computed("Its identity schema."),
        traits: String = computed("Its traits, as JSON."),
        state: IdentityState = computed("`active` or `inactive`."),
        metadata_public: String = computed("Its public metadata, as JSON."),
        external_id: String = computed("Its ID in another system."),
        organization_id: String = computed("Its B2B organization."),
        verifiable_addresses: Vec<String> = computed("The addresses Ory verifies."),
        created_at: String = computed("When it was made (RFC 3339)."),
        schema_url: String = computed("Where Ory serves its identity schema."),
        updated_at: String = computed("When it last changed (RFC 3339)."),
    }
}

pub struct IdentityData;

impl Declared for IdentityData {
    fn reaches(&self) -> Reaches {
        Reaches::Servers(&[Server::KratosAdmin])
    }

    type Model = IdentityLookup;

    fn type_name(&self) -> &'static str {
        "ory_identity"
    }

    fn summary(&self) -> &'static str {
        "one identity, never its credentials"
    }

    fn description(&self) -> String {
        "Looks up one identity of a project by its ID: its schema, traits, state and public metadata, never its credentials or admin metadata.".into()
    }

    fn noun(&self) -> &'static str {
        "identity"
    }

    fn describe(&self, c: &IdentityLookup) -> String {
        format!("identity {}", c.id.as_deref().unwrap_or_default())
    }
}

#[async_trait]
impl TypedDataSource for IdentityData {
    async fn read(&self, client: &OryClient, config: IdentityLookup) -> Result<IdentityLookup, Error> {
        let api = client.project_api(config.project_id.as_deref()).await?;
        let identity = api.identities().get(&IdentityId::from(config.id.as_deref().unwrap_or_default())).await?;
        let (schema_url, updated_at) = schema_url_and_updated_at(&identity);
        let item = IdentityItem::from(identity);
        Ok(IdentityLookup {
            schema_url,
            updated_at,
            project_id: config.project_id,
            id: item.id,
            schema_id: item.schema_id,
            traits: item.traits,
            state: item.state,
            metadata_public: item.metadata_public,
            external_id: item.external_id,
            organization_id: item.organization_id,
            verifiable_addresses: item.verifiable_addresses,
            created_at: item.created_at,
            ..Default::default()
        })
    }
}

model! {
    pub struct IdentitiesListing {
        project_id: String = optional_computed(
            "The project. Defaults to the provider's `project_id`; with neither, the provider's `project_slug` and `project_api_key`."
        )
        .check(validators::uuid)
        .default(Fallback::ProviderIfSet(Setting::ProjectId)),
        identities: Vec<IdentityItem> = computed(&format!(
            "The project's identities, every page of them: {}.",
            names::<IdentityItem>()
        )),
    }
}

pub struct IdentitiesData;

impl Declared for IdentitiesData {
    fn reaches(&self) -> Reaches {
        Reaches::Servers(&[Server::KratosAdmin])
    }

    type Model = IdentitiesListing;

    fn type_name(&self) -> &'static str {
        "ory_identities"
    }

    fn summary(&self) -> &'static str {
        "a project's identities, never their credentials"
    }

    fn description(&self) -> String {
        "Lists the identities of a project, every page of them, never their credentials.".into()
    }

    fn noun(&self) -> &'static str {
        "identities"
    }

    fn describe(&self, c: &IdentitiesListing) -> String {
        format!("the identities of project {}", c.project_id.as_deref().unwrap_or("of the provider"))
    }
}

#[async_trait]
impl TypedDataSource for IdentitiesData {
    async fn read(&self, client: &OryClient, config: IdentitiesListing) -> Result<IdentitiesListing, Error> {
        let api = client.project_api(config.project_id.as_deref()).await?;
        let found = api.identities().list().await?;
        Ok(IdentitiesListing { identities: Some(found.into_iter().map(IdentityItem::from).collect()), ..config })
    }
}
