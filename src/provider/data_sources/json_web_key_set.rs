//! `ory_json_web_key_set`: the public keys of a project's JSON Web Key set,
//! for whoever verifies what its private keys sign. Never a private part.

use async_trait::async_trait;

use crate::project_api::Server;
use crate::provider::client::{OryClient, Setting};
use crate::provider::errors::Error;
use crate::provider::framework::self_hosted::Reaches;
use crate::provider::model::{computed, model, optional_computed, required, Fallback};
use crate::provider::typed::{Declared, TypedDataSource};
use crate::provider::validators;

model! {
    pub struct JwkSetLookup {
        project_id: String = optional_computed(
            "The project. Defaults to the provider's `project_id`; with neither, the provider's `project_slug` and `project_api_key`."
        )
        .check(validators::uuid)
        .default(Fallback::ProviderIfSet(Setting::ProjectId)),
        set_id: String = required("The set's name."),
        key_ids: Vec<String> = computed("The `kid` of each key, in the set's order."),
        public_keys: String = computed(
            "The set's public keys, as a JWKS JSON document (`{\"keys\": [...]}`), private parts left out; HMAC keys, which have no public half, are left out whole."
        ),
    }
}

pub struct JwkSetData;

impl Declared for JwkSetData {
    fn reaches(&self) -> Reaches {
        Reaches::Servers(&[Server::HydraAdmin])
    }

    type Model = JwkSetLookup;

    fn type_name(&self) -> &'static str {
        "ory_json_web_key_set"
    }

    fn summary(&self) -> &'static str {
        "a key set's public keys"
    }

    fn description(&self) -> String {
        "Reads the public keys of a project's JSON Web Key set (Ory Hydra), never a private part.".into()
    }

    fn noun(&self) -> &'static str {
        "JSON Web Key set"
    }

    fn describe(&self, c: &JwkSetLookup) -> String {
        format!("JSON Web Key set {:?}", c.set_id.as_deref().unwrap_or_default())
    }
}

#[async_trait]
impl TypedDataSource for JwkSetData {
    async fn read(&self, client: &OryClient, config: JwkSetLookup) -> Result<JwkSetLookup, Error> {
        let api = client.project_api(config.project_id.as_deref()).await?;
        let name = config.set_id.as_deref().unwrap_or_default();
        let Some(set) = api.jwks().find(name).await? else {
            return Err(Error::on(
                "set_id",
                "No such JSON Web Key set",
                format!("The project has no JSON Web Key set {name:?}."),
            ));
        };
        let public: Vec<serde_json::Value> =
            set.keys.iter().filter_map(|k| k.public()).map(|k| serde_json::Value::Object(k.0)).collect();
        Ok(JwkSetLookup {
            key_ids: Some(set.keys.iter().map(|k| k.kid().to_string()).collect()),
            public_keys: Some(serde_json::json!({ "keys": public }).to_string()),
            ..config
        })
    }
}
