//! `ory_project_api_key` and `ory_workspace_api_key`: the same resource on
//! two owners. The API has no update and shows a key's value once, at
//! creation: any change replaces the key, and `value` lives in state.

use std::marker::PhantomData;

use async_trait::async_trait;

use crate::console::{ApiKey, ApiKeyId, Owner, ProjectId, WorkspaceId};
use crate::plugin::Diagnostics;
use crate::provider::adoption::{Finds, Found, Place};
use crate::provider::client::{OryClient, Setting};
use crate::provider::errors::Error;
use crate::provider::framework::project_keys::MINTED_KEY_NAME;
use crate::provider::model::{attr, computed, model, optional, optional_computed, required, Fallback, Model};
use crate::provider::typed::{Declared, ImportId, Plan, TypedResource};
use crate::provider::validators::{self, same_instant};

/// Whose keys a resource type manages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyOwner {
    Project,
    Workspace,
}

impl KeyOwner {
    pub fn noun(self) -> &'static str {
        match self {
            KeyOwner::Project => "project",
            KeyOwner::Workspace => "workspace",
        }
    }

    pub fn api(self, id: &str) -> Owner {
        match self {
            KeyOwner::Project => Owner::Project(ProjectId::from(id)),
            KeyOwner::Workspace => Owner::Workspace(WorkspaceId::from(id)),
        }
    }

    /// The provider setting that names the owner when a resource does not.
    pub fn setting(self) -> Setting {
        match self {
            KeyOwner::Project => Setting::ProjectId,
            KeyOwner::Workspace => Setting::WorkspaceId,
        }
    }
}

/// A key model: the same attributes, with the owner under its own name.
pub trait KeyModel: Model {
    const OWNER: KeyOwner;
    const TYPE_NAME: &'static str;
    fn owner_attr() -> &'static str;
    fn owner(&self) -> &str;
    fn id(&self) -> &str;
    fn name(&self) -> &str;
    fn expires_at(&self) -> Option<&str>;
    /// The key as the API answered. `value` and the configured spelling of
    /// `expires_at` come from `self` (plan or state) when the API does not
    /// say otherwise.
    fn with(&self, key: ApiKey, owner: &str) -> Self;
}

macro_rules! key_model {
    ($name:ident, $owner:ident, $owner_kind:expr, $type_name:literal, $prefix:literal) => {
        model! {
            pub struct $name {
                id: String = computed("The key's ID."),
                $owner: String = optional_computed(&format!(
                    "The {noun} the key belongs to. Defaults to the provider's `{attr}`; required when that is not set. Changing it replaces the key.",
                    noun = $owner_kind.noun(),
                    attr = $owner_kind.setting().attr(),
                ))
                .check(validators::uuid)
                .default(Fallback::Provider($owner_kind.setting()))
                .force_new(),
                name: String = required("The key's name. Changing it replaces the key.").check(validators::name).force_new(),
                expires_at: String = optional(
                    "When the key stops working, an RFC 3339 time in the future. Without it the key does not expire. Changing it replaces the key."
                )
                .check(validators::time)
                .same_when(same_instant)
                .force_new(),
                value: String = computed(concat!(
                    "The key itself (`", $prefix, "...`). Null for an imported key: the API never shows a value again after creation."
                ))
                .sensitive(),
                last_characters: String = computed("The last characters of the value, to tell keys apart."),
                owner_id: String = computed("The identity that owns the key."),
                created_at: String = computed("When the key was created (RFC 3339)."),
            }
        }

        impl KeyModel for $name {
            const OWNER: KeyOwner = $owner_kind;
            const TYPE_NAME: &'static str = $type_name;
            fn owner_attr() -> &'static str {
                attr!($name, $owner)
            }

            fn owner(&self) -> &str {
                self.$owner.as_deref().unwrap_or_default()
            }

            fn id(&self) -> &str {
                self.id.as_deref().unwrap_or_default()
            }

            fn name(&self) -> &str {
                self.name.as_deref().unwrap_or_default()
            }

            fn expires_at(&self) -> Option<&str> {
                self.expires_at.as_deref()
            }

            fn with(&self, key: ApiKey, owner: &str) -> Self {
                let expires_at = match (self.expires_at.as_deref(), key.expires_at) {
                    (Some(mine), Some(theirs)) if same_instant(mine, &theirs) => Some(mine.to_string()),
                    (_, theirs) => theirs,
                };
                $name {
                    id: Some(key.id.to_string()),
                    $owner: Some(owner.to_string()),
                    name: Some(key.name),
                    expires_at,
                    value: key.value.or_else(|| self.value.clone()),
                    last_characters: key.last_characters,
                    owner_id: Some(key.owner_id),
                    created_at: key.created_at,
                    ..Default::default()
                }
            }
        }
    };
}

key_model!(ProjectKeyModel, project_id, KeyOwner::Project, "ory_project_api_key", "ory_pat_");
key_model!(WorkspaceKeyModel, workspace_id, KeyOwner::Workspace, "ory_workspace_api_key", "ory_wak_");

pub struct ApiKeyResource<M>(PhantomData<M>);

impl<M> ApiKeyResource<M> {
    pub fn new() -> Self {
        ApiKeyResource(PhantomData)
    }
}

impl<M: KeyModel> Declared for ApiKeyResource<M> {
    type Model = M;

    fn type_name(&self) -> &'static str {
        M::TYPE_NAME
    }

    fn summary(&self) -> &'static str {
        "an API key, its value shown once"
    }

    fn description(&self) -> String {
        let common = format!(
            "An API key of an Ory Network {}. The API shows a key's value only once, when it is created; it is kept in Terraform's state as a sensitive value. Any change replaces the key.",
            M::OWNER.noun()
        );
        match M::OWNER {
            KeyOwner::Project => common,
            KeyOwner::Workspace => format!(
                "{common} Ory's API does not let a workspace API key make or delete workspace API keys: make the key in the Ory Console and import it. A create that Ory refuses says so; a destroy that Ory refuses leaves the state with a warning that the key still exists and works."
            ),
        }
    }

    fn noun(&self) -> &'static str {
        match M::OWNER {
            KeyOwner::Project => "project API key",
            KeyOwner::Workspace => "workspace API key",
        }
    }

    fn describe(&self, m: &M) -> String {
        format!("API key {:?} of {} {}", m.name(), M::OWNER.noun(), m.owner())
    }
}

#[async_trait]
impl<M: KeyModel> TypedResource for ApiKeyResource<M> {
    /// A project's keys, but those this provider makes for itself; Ory
    /// lists no workspace's keys to a workspace key.
    async fn find(
        &self,
        client: &OryClient,
        place: &Place<'_>,
        finds: &mut Finds,
    ) -> Result<(), crate::console::Error> {
        let (Place::Project(at), KeyOwner::Project) = (place, M::OWNER) else { return Ok(()) };
        for key in client.console.api_keys(Owner::Project(at.id().clone())).list().await? {
            if key.name != MINTED_KEY_NAME {
                let found = Found::new(format!("{} {}", at.name(), key.name), format!("{}/{}", at.id(), key.id));
                finds.add(found.knowing("name", &key.name));
            }
        }
        Ok(())
    }

    fn import_id(&self) -> ImportId {
        ImportId::Owned {
            id: attr!(ProjectKeyModel, id),
            owner: M::owner_attr(),
            label: "key_id",
            default: Some(M::OWNER.setting()),
        }
    }

    fn adoptable(&self) -> bool {
        false
    }

    /// A key to be made must expire in the future. Checked only when one is
    /// made: a key whose `expires_at` has passed stays planned as it is,
    /// so that an unchanged configuration still plans once it expired.
    async fn plan(&self, _client: &OryClient, plan: &mut Plan<'_, M>) -> Result<(), Error> {
        if plan.prior.is_some() && plan.replacing.is_empty() {
            return Ok(());
        }
        if let Some(expires_at) = plan.planned.expires_at() {
            if let Err(problem) = validators::future_time(expires_at) {
                return Err(Error::on("expires_at", "Invalid expires_at", format!("expires_at {problem}")));
            }
        }
        Ok(())
    }

    async fn create(&self, client: &OryClient, planned: M, _: &mut Diagnostics) -> Result<M, Error> {
        let owner = planned.owner();
        let expires_at = planned.expires_at().map(validators::canonical_time);
        let made = client.console.api_keys(M::OWNER.api(owner)).create(planned.name(), expires_at.as_deref()).await;
        match made {
            Ok(key) => Ok(planned.with(key, owner)),
            Err(e) if M::OWNER == KeyOwner::Workspace && e.status() == Some(403) => Err(Error::refused(
                "Workspace API keys are made in the Ory Console",
                format!(
                    "Ory Network refused to create workspace API key {:?} in workspace {owner} ({e}): a workspace API key cannot make another. \
                     Create it in the Ory Console (Workspace settings > API keys), keep its value where your secrets live, \
                     then import it: terraform import <address> {owner}/<key_id>.",
                    planned.name()
                ),
            )),
            Err(e) => Err(e.into()),
        }
    }

    async fn read(&self, client: &OryClient, state: M, _: &mut Diagnostics) -> Result<Option<M>, Error> {
        let owner = state.owner();
        let id = state.id();
        match client.console.api_keys(M::OWNER.api(owner)).find(&ApiKeyId::from(id)).await {
            Ok(Some(key)) => Ok(Some(state.with(key, owner))),
            Ok(None) => {
                tracing::info!(key = id, "API key no longer exists; removing it from state");
                Ok(None)
            }
            // The owner itself is gone, and its keys with it.
            Err(e) if e.is_not_found() => Ok(None),
            Err(e) => Err(Error::doing(e, format!("Listing the API keys of {} {owner}", M::OWNER.noun()))),
        }
    }

    /// Only Terraform-side attributes can reach here: every API field forces replacement.
    async fn update(&self, _: &OryClient, _prior: M, planned: M, _: &mut Diagnostics) -> Result<M, Error> {
        Ok(planned)
    }

    async fn delete(&self, client: &OryClient, prior: M, notes: &mut Diagnostics) -> Result<(), Error> {
        match client.console.api_keys(M::OWNER.api(prior.owner())).delete(&ApiKeyId::from(prior.id())).await {
            // Leaves the state, but never as if deleted: the key still works.
            Err(e) if M::OWNER == KeyOwner::Workspace && e.status() == Some(403) => {
                notes.warning(
                    "Workspace API key still exists and stays valid",
                    format!(
                        "Ory Network refused to delete workspace API key {} of workspace {} ({e}): workspace API keys are \
                         deleted in the Ory Console. Terraform no longer tracks it, but it still works: delete it in the \
                         Ory Console (Workspace settings > API keys) if it should stop working.",
                        prior.id(),
                        prior.owner()
                    ),
                );
                Ok(())
            }
            Err(e) if !e.is_not_found() => Err(e.into()),
            _ => Ok(()),
        }
    }

    fn imported(&self, state: &mut M, notes: &mut Diagnostics) {
        let id = state.id();
        notes.warning(
            "The key's value cannot be imported",
            format!(
                "The Ory API shows an API key's value only once, when the key is created, so `value` of the imported key {id} is null. \
                 To have a value in state, replace the key: terraform apply -replace=<address>."
            ),
        );
    }
}
