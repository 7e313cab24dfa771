//! `ory_project_api_keys` and `ory_workspace_api_keys`: key metadata only.
//! The API never lists a value, and neither do these.

use async_trait::async_trait;

use super::object_type;
use crate::plugin::{Attribute, DataSource, Diagnostics, Schema, Type, Value};
use crate::provider::api_key::KeyOwner;
use crate::provider::errors::api_error;
use crate::provider::OryClient;

pub struct ApiKeysData(pub KeyOwner);

#[async_trait]
impl DataSource<OryClient> for ApiKeysData {
    fn type_name(&self) -> &'static str {
        match self.0 {
            KeyOwner::Project => "ory_project_api_keys",
            KeyOwner::Workspace => "ory_workspace_api_keys",
        }
    }

    fn schema(&self) -> Schema {
        let (noun, attr) = (self.0.noun(), self.0.attr());
        Schema::new(
            &format!("Lists the API keys of a {noun}: metadata only, never a key's value."),
            vec![
                Attribute::string(attr)
                    .optional()
                    .computed()
                    .describe(&format!("The {noun}. Defaults to the provider's `{attr}`.")),
                Attribute::typed(
                    "keys",
                    Type::list(object_type(
                        &["id", "name", "owner_id", "last_characters", "created_at", "expires_at"],
                        &[],
                    )),
                )
                .computed()
                .describe("The keys: id, name, owner_id, last_characters, created_at, expires_at."),
            ],
        )
    }

    fn validate(&self, config: &Value) -> Diagnostics {
        super::check_id(config, self.0.attr())
    }

    async fn read(&self, client: &OryClient, config: &Value, diags: &mut Diagnostics) -> Value {
        let attr = self.0.attr();
        let default = match self.0 {
            KeyOwner::Project => client.project_id.as_ref(),
            KeyOwner::Workspace => client.workspace_id.as_ref(),
        };
        let env = format!("ORY_{}", attr.to_ascii_uppercase());
        let Some(owner) = super::configured_or_default(config, attr, default, &env, diags) else {
            return Value::Null;
        };
        match client.console.api_keys(self.0.api(&owner)).list().await {
            Ok(keys) => super::listing(
                attr,
                &owner,
                "keys",
                keys.iter()
                    .map(|k| {
                        Value::object([
                            ("id", Value::string(&k.id)),
                            ("name", Value::string(&k.name)),
                            ("owner_id", Value::string(&k.owner_id)),
                            ("last_characters", Value::opt_string(k.last_characters.clone())),
                            ("created_at", Value::opt_string(k.created_at.clone())),
                            ("expires_at", Value::opt_string(k.expires_at.clone())),
                        ])
                    })
                    .collect(),
            ),
            Err(e) => {
                diags.push(api_error(
                    &format!("Error listing {} API keys", self.0.noun()),
                    &format!("Listing the API keys of {} {owner}", self.0.noun()),
                    &e,
                ));
                Value::Null
            }
        }
    }
}
