//! `ory_project_api_keys` and `ory_workspace_api_keys`: key metadata only.
//! The API never lists a value, and neither do these.

use std::marker::PhantomData;

use async_trait::async_trait;

use crate::console::ApiKey;
use crate::provider::client::OryClient;
use crate::provider::console::api_key::KeyOwner;
use crate::provider::errors::Error;
use crate::provider::model::{computed, model, names, optional_computed, Fallback, Model};
use crate::provider::typed::{Declared, TypedDataSource};
use crate::provider::validators;

model! {
    pub struct KeyItem {
        id: String = computed("The key's ID."),
        name: String = computed("The key's name."),
        owner_id: String = computed("The identity that owns the key."),
        last_characters: String = computed("The last characters of the value."),
        created_at: String = computed("When the key was created (RFC 3339)."),
        expires_at: String = computed("When the key expires (RFC 3339), if it does."),
    }
}

impl From<ApiKey> for KeyItem {
    fn from(k: ApiKey) -> Self {
        KeyItem {
            id: Some(k.id.to_string()),
            name: Some(k.name),
            owner_id: Some(k.owner_id),
            last_characters: k.last_characters,
            created_at: k.created_at,
            expires_at: k.expires_at,
            ..Default::default()
        }
    }
}

/// A listing of one owner's keys, with the owner under its own name.
pub trait KeysListing: Model {
    const OWNER: KeyOwner;
    const TYPE_NAME: &'static str;
    fn owner(&self) -> &str;
    fn with_keys(self, keys: Vec<KeyItem>) -> Self;
}

macro_rules! keys_listing {
    ($name:ident, $owner:ident, $owner_kind:expr, $type_name:literal) => {
        model! {
            pub struct $name {
                $owner: String = optional_computed(&format!(
                    "The {}. Defaults to the provider's `{}`.",
                    $owner_kind.noun(),
                    $owner_kind.setting().attr()
                ))
                .check(validators::uuid)
                .default(Fallback::Provider($owner_kind.setting())),
                keys: Vec<KeyItem> = computed(&format!("The keys: {}.", names::<KeyItem>())),
            }
        }

        impl KeysListing for $name {
            const OWNER: KeyOwner = $owner_kind;
            const TYPE_NAME: &'static str = $type_name;

            fn owner(&self) -> &str {
                self.$owner.as_deref().unwrap_or_default()
            }

            fn with_keys(self, keys: Vec<KeyItem>) -> Self {
                $name { keys: Some(keys), ..self }
            }
        }
    };
}

keys_listing!(ProjectKeysModel, project_id, KeyOwner::Project, "ory_project_api_keys");
keys_listing!(WorkspaceKeysModel, workspace_id, KeyOwner::Workspace, "ory_workspace_api_keys");

pub struct ApiKeysData<M>(PhantomData<M>);

impl<M> ApiKeysData<M> {
    pub fn new() -> Self {
        ApiKeysData(PhantomData)
    }
}

impl<M: KeysListing> Declared for ApiKeysData<M> {
    type Model = M;

    fn type_name(&self) -> &'static str {
        M::TYPE_NAME
    }

    fn summary(&self) -> &'static str {
        match M::OWNER {
            KeyOwner::Project => "a project's keys, never their values",
            KeyOwner::Workspace => "a workspace's keys, never their values",
        }
    }

    fn description(&self) -> String {
        match M::OWNER {
            KeyOwner::Project => "Lists the API keys of a project: metadata only, never a key's value. A key the provider made for itself in the same run, to reach the project's own API, is left out.".into(),
            KeyOwner::Workspace => "Lists the API keys of a workspace: metadata only, never a key's value.".into(),
        }
    }

    fn noun(&self) -> &'static str {
        match M::OWNER {
            KeyOwner::Project => "project API keys",
            KeyOwner::Workspace => "workspace API keys",
        }
    }

    fn describe(&self, config: &M) -> String {
        format!("the API keys of {} {}", M::OWNER.noun(), config.owner())
    }
}

#[async_trait]
impl<M: KeysListing> TypedDataSource for ApiKeysData<M> {
    async fn read(&self, client: &OryClient, config: M) -> Result<M, Error> {
        let keys = client.console.api_keys(M::OWNER.api(config.owner())).list().await?;
        // The key this process made to reach the project's API is the
        // run's own, gone when it ends: not one of the project's keys.
        let minted = &client.project_keys.minted;
        let keys = keys.into_iter().filter(|k| M::OWNER != KeyOwner::Project || !minted.holds(&k.id));
        Ok(config.with_keys(keys.map(KeyItem::from).collect()))
    }
}
