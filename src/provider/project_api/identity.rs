//! `ory_identity`: an identity of a project (Ory Kratos' admin API), such
//! as an administrator seeded with the project. Its traits are checked by
//! Ory against the project's identity schema; its password never reaches
//! the state.

use async_trait::async_trait;
use serde_json::Value as Json;

use crate::plugin::Diagnostics;
use crate::project_api::{Credentials, Identity, IdentityBody, IdentityState, PasswordConfig, PasswordCredential};
use crate::project_api::{IdentityId, Server};
use crate::provider::adoption::{Finds, Found, InProject, Place};
use crate::provider::client::ProjectTarget;
use crate::provider::client::{OryClient, Setting};
use crate::provider::errors::Error;
use crate::provider::framework::self_hosted::Reaches;
use crate::provider::model::{attr, computed, model, optional, optional_computed, required, Fallback};
use crate::provider::typed::{Declared, ImportId, Plan, TypedResource};
use crate::provider::validators;

model! {
    pub struct IdentityModel {
        id: String = computed("The identity's ID."),
        project_id: String = optional_computed(
            "The project. Defaults to the provider's `project_id`; with neither, the provider's `project_slug` and `project_api_key`. Changing it replaces the identity."
        )
        .check(validators::uuid)
        .default(Fallback::ProviderIfSet(Setting::ProjectId))
        .force_new(),
        project_slug: String = crate::provider::framework::project_keys::slug_field(),
        project_api_key: String = crate::provider::framework::project_keys::key_field(),
        schema_id: String = required("The ID of the project's identity schema the traits follow, such as `preset://email`."),
        traits: String = required(
            "The traits, as a JSON object (`jsonencode({ email = \"...\" })`), which Ory checks against the schema when applying. Compared as JSON."
        )
        .check(validators::json_object),
        state: IdentityState = optional_computed("`active` or `inactive`. Defaults to `active`.").one_of(IdentityState::NAMES),
        metadata_public: String = optional("Metadata the identity itself can read, as a JSON object.").check(validators::json_object),
        metadata_admin: String = optional("Metadata only the admin API reads, as a JSON object.").check(validators::json_object),
        external_id: String = optional("An ID of the identity in another system; unique in the project."),
        organization_id: String = optional(
            "The B2B organization the identity belongs to. Ory's update has no such field, so changing it replaces the identity (its password and sessions with it)."
        )
        .check(validators::uuid)
        .force_new(),
        password: String = optional(
            "The password, as Ory's provider takes it: sensitive, and kept in the state. Sent when the identity is made and whenever it changes. `password_wo` keeps it out of the state; set one of them."
        )
        .sensitive(),
        password_wo: String = optional(
            "The password, write-only: never kept in the plan or the state (Terraform 1.11 or later). Sent when the identity is made, and again when `password_wo_version` changes."
        )
        .write_only(),
        password_wo_version: String = optional("Any text; changing it sends `password_wo` again."),
        hashed_password: String = optional(
            "A password hash to import, in PHC form (`$argon2id$...`, `$pbkdf2-sha256$...`, `$2a$...`), for Terraform before 1.11 or users moved from another system. Sensitive. Changing it sends it again."
        )
        .sensitive(),
        verifiable_addresses: Vec<String> = computed("The addresses Ory verifies (such as the email trait), as Ory holds them.")
            .follows_changes(),
        recovery_addresses: Vec<String> = computed("The addresses account recovery can use.").follows_changes(),
        created_at: String = computed("When the identity was made (RFC 3339)."),
        updated_at: String = computed("When the identity last changed (RFC 3339).").follows_changes(),
    }
}

crate::provider::client::project_target!(IdentityModel);

fn json_of(text: &Option<String>) -> Option<Json> {
    text.as_deref().and_then(|t| serde_json::from_str(t).ok())
}

/// `theirs` as `mine` spells it when it is the same JSON.
fn spelled(mine: &Option<String>, theirs: Option<&Json>) -> Option<String> {
    let theirs = theirs.filter(|v| !v.is_null())?;
    match mine {
        Some(mine) if validators::same_json(mine, &theirs.to_string()) => Some(mine.clone()),
        _ => Some(theirs.to_string()),
    }
}

impl IdentityModel {
    /// What the identity sets; the password only when `with_password`.
    fn body(&self, with_password: bool) -> IdentityBody {
        let password = PasswordConfig {
            password: self.password_wo.clone().or_else(|| self.password.clone()),
            hashed_password: self.hashed_password.clone(),
        };
        let has_password = password.password.is_some() || password.hashed_password.is_some();
        IdentityBody {
            schema_id: self.schema_id.clone().unwrap_or_default(),
            traits: json_of(&self.traits).unwrap_or_default(),
            state: Some(self.state.clone().unwrap_or(IdentityState::Active)),
            metadata_public: json_of(&self.metadata_public),
            metadata_admin: json_of(&self.metadata_admin),
            external_id: self.external_id.clone(),
            organization_id: self.organization_id.clone(),
            credentials: (with_password && has_password)
                .then_some(Credentials { password: PasswordCredential { config: password } }),
        }
    }

    /// The state from Ory's identity; what Ory never shows back (the
    /// password and its hash) as `self` has it.
    fn with(&self, i: Identity) -> IdentityModel {
        let addresses = |list: &[crate::project_api::Address]| list.iter().map(|a| a.value.clone()).collect();
        IdentityModel {
            id: Some(i.id.to_string()),
            project_id: self.project_id.clone(),
            project_slug: self.project_slug.clone(),
            project_api_key: self.project_api_key.clone(),
            schema_id: Some(i.schema_id),
            traits: spelled(&self.traits, Some(&i.traits)),
            state: i.state,
            metadata_public: spelled(&self.metadata_public, i.metadata_public.as_ref()),
            metadata_admin: spelled(&self.metadata_admin, i.metadata_admin.as_ref()),
            external_id: i.external_id.filter(|e| !e.is_empty()),
            organization_id: i.organization_id.filter(|o| !o.is_empty()),
            password: self.password.clone(),
            password_wo_version: self.password_wo_version.clone(),
            hashed_password: self.hashed_password.clone(),
            verifiable_addresses: Some(addresses(&i.verifiable_addresses)),
            recovery_addresses: Some(addresses(&i.recovery_addresses)),
            created_at: i.created_at,
            updated_at: i.updated_at,
            ..IdentityModel::default()
        }
    }
}

/// A refusal of Kratos' (traits that break the schema, a taken
/// identifier) shown on the attribute it is about.
fn refused(e: crate::console::Error) -> Error {
    match e.status() {
        Some(400) => Error::on(
            attr!(IdentityModel, traits),
            "Ory Network refused the identity",
            format!("{e}. Nothing was changed. Make the traits fit the identity schema named by schema_id."),
        ),
        Some(409) => Error::on(
            attr!(IdentityModel, traits),
            "Another identity has these identifiers",
            format!("{e}. Nothing was changed. An identifier (such as the email) or external_id belongs to another identity of the project: import that one, or change these traits."),
        ),
        _ => e.into(),
    }
}

pub struct IdentityResource;

impl Declared for IdentityResource {
    fn reaches(&self) -> Reaches {
        Reaches::Servers(&[Server::KratosAdmin])
    }

    type Model = IdentityModel;

    fn type_name(&self) -> &'static str {
        "ory_identity"
    }

    fn summary(&self) -> &'static str {
        "an identity"
    }

    fn description(&self) -> String {
        "An identity of a project (Ory Kratos), such as an administrator made with the project. Traits are JSON, checked by Ory against the project's identity schema when applying, with Ory's message on `traits`. The password is write-only (`password_wo`, never in the state), a hash to import (`hashed_password`), or, as Ory's provider takes it, `password` (sensitive, kept in the state).".into()
    }

    fn noun(&self) -> &'static str {
        "identity"
    }

    fn describe(&self, m: &IdentityModel) -> String {
        let project = m
            .project()
            .map_or_else(|| "the provider's project or self-hosted servers".to_string(), |p| format!("project {p}"));
        match &m.id {
            Some(id) => format!("identity {id} of {project}"),
            None => format!("a new identity of {project}"),
        }
    }

    fn validate(&self, c: &IdentityModel, diags: &mut Diagnostics) {
        crate::provider::framework::project_keys::check_credentials(&c.project_slug, &c.project_api_key, diags);
        let set = [
            (attr!(IdentityModel, password), c.password.is_some()),
            (attr!(IdentityModel, password_wo), c.password_wo.is_some()),
            (attr!(IdentityModel, hashed_password), c.hashed_password.is_some()),
        ];
        let given: Vec<&str> = set.iter().filter(|(_, on)| *on).map(|(name, _)| *name).collect();
        if given.len() > 1 {
            diags.attr_error(
                given[1],
                "Two passwords",
                format!("{} are set; set one of password, password_wo and hashed_password.", given.join(" and ")),
            );
        }
    }
}

#[async_trait]
impl TypedResource for IdentityResource {
    async fn find(&self, _: &OryClient, place: &Place<'_>, finds: &mut Finds) -> Result<(), crate::console::Error> {
        let Place::Project(at @ InProject { api: Some(api), .. }) = place else { return Ok(()) };
        for identity in api.identities().list().await? {
            let named = identity.traits["email"].as_str().unwrap_or("identity");
            finds.add(Found::new(format!("{} {named}", at.name()), format!("{}/{}", at.id(), identity.id)));
        }
        Ok(())
    }

    fn import_id(&self) -> ImportId {
        ImportId::Owned {
            id: attr!(IdentityModel, id),
            owner: attr!(IdentityModel, project_id),
            label: "identity_id",
            default: Some(Setting::ProjectId),
        }
    }

    /// An identity found after a lost answer is the user's to import.
    fn adoptable(&self) -> bool {
        false
    }

    /// Traits and metadata that are the same JSON are no change.
    async fn plan(&self, _: &OryClient, plan: &mut Plan<'_, IdentityModel>) -> Result<(), Error> {
        let Some(prior) = &plan.prior else { return Ok(()) };
        let keep = |was: &Option<String>, wanted: &Option<String>| match (was, wanted) {
            (Some(was), Some(wanted)) if validators::same_json(was, wanted) => Some(was.clone()),
            _ => wanted.clone(),
        };
        plan.planned.traits = keep(&prior.traits, &plan.config.traits);
        plan.planned.metadata_public = keep(&prior.metadata_public, &plan.config.metadata_public);
        plan.planned.metadata_admin = keep(&prior.metadata_admin, &plan.config.metadata_admin);
        Ok(())
    }

    async fn create(
        &self,
        client: &OryClient,
        planned: IdentityModel,
        _: &mut Diagnostics,
    ) -> Result<IdentityModel, Error> {
        let api = client.api_of(&planned).await?;
        let made = api.identities().create(&planned.body(true)).await.map_err(refused)?;
        Ok(planned.with(made))
    }

    async fn read(
        &self,
        client: &OryClient,
        state: IdentityModel,
        _: &mut Diagnostics,
    ) -> Result<Option<IdentityModel>, Error> {
        let api = client.api_of(&state).await?;
        let found = api.identities().find(&IdentityId::from(state.id.as_deref().unwrap_or_default())).await?;
        Ok(found.map(|i| state.with(i)))
    }

    async fn update(
        &self,
        client: &OryClient,
        prior: IdentityModel,
        planned: IdentityModel,
        _: &mut Diagnostics,
    ) -> Result<IdentityModel, Error> {
        let api = client.api_of(&planned).await?;
        let new_password = prior.password_wo_version != planned.password_wo_version
            || prior.hashed_password != planned.hashed_password
            || prior.password != planned.password;
        let id = prior.id.as_deref().unwrap_or_default();
        // Ory's update takes no organization; a change of it replaced the identity.
        let body = IdentityBody { organization_id: None, ..planned.body(new_password) };
        let updated = api.identities().update(&IdentityId::from(id), &body).await.map_err(refused)?;
        Ok(planned.with(updated))
    }

    async fn delete(&self, client: &OryClient, prior: IdentityModel, _: &mut Diagnostics) -> Result<(), Error> {
        let api = client.api_of(&prior).await?;
        Ok(api.identities().delete(&IdentityId::from(prior.id.as_deref().unwrap_or_default())).await?)
    }
}
