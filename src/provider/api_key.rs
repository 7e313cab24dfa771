//! `ory_project_api_key` and `ory_workspace_api_key`: the same resource on
//! two owners. The API has no update and shows a key's value once, at
//! creation: any change replaces the key, and `value` lives in state.

use async_trait::async_trait;

use super::enums::{check_future_time, check_not_empty, check_uuid, is_uuid, same_instant};
use super::errors::{api_error, create_error};
use super::OryClient;
use crate::console::{ApiKey, Owner};
use crate::plugin::{Attribute, AttributePath, Diagnostics, PlanRequest, Planned, Resource, Schema, Value};

/// Whose keys a resource type manages.
#[derive(Clone, Copy)]
pub enum KeyOwner {
    Project,
    Workspace,
}

pub struct ApiKeyResource(pub KeyOwner);

impl KeyOwner {
    /// The attribute naming the owner.
    pub fn attr(self) -> &'static str {
        match self {
            KeyOwner::Project => "project_id",
            KeyOwner::Workspace => "workspace_id",
        }
    }

    pub fn noun(self) -> &'static str {
        match self {
            KeyOwner::Project => "project",
            KeyOwner::Workspace => "workspace",
        }
    }

    pub fn api<'a>(self, id: &'a str) -> Owner<'a> {
        match self {
            KeyOwner::Project => Owner::Project(id),
            KeyOwner::Workspace => Owner::Workspace(id),
        }
    }

    /// The provider-level default for the owner attribute.
    fn default_from(self, client: &OryClient) -> Option<String> {
        match self {
            KeyOwner::Project => client.project_id.clone(),
            KeyOwner::Workspace => client.workspace_id.clone(),
        }
    }
}

/// Attributes whose change means a new key: the API cannot update one.
const FORCE_NEW: [&str; 2] = ["name", "expires_at"];

impl ApiKeyResource {
    fn owner_of<'v>(&self, state: &'v Value) -> &'v str {
        state.attr(self.0.attr()).as_str().unwrap_or_default()
    }

    /// State from the API's answer. `value` and the configured spelling of
    /// `expires_at` come from `known` when the API does not say otherwise.
    fn state_from(&self, key: &ApiKey, owner: &str, known: &Value) -> Value {
        let expires_at = match (known.attr("expires_at").as_str(), key.expires_at.as_deref()) {
            (Some(mine), Some(theirs)) if same_instant(mine, theirs) => Value::string(mine),
            (_, theirs) => Value::opt_string(theirs),
        };
        let value = key.value.clone().map_or_else(|| known.attr("value").clone(), Value::String);
        Value::object([
            ("id", Value::string(&key.id)),
            (self.0.attr(), Value::string(owner)),
            ("name", Value::string(&key.name)),
            ("expires_at", expires_at),
            ("value", value),
            ("last_characters", Value::opt_string(key.last_characters.clone())),
            ("owner_id", Value::string(&key.owner_id)),
            ("created_at", Value::opt_string(key.created_at.clone())),
        ])
    }
}

#[async_trait]
impl Resource<OryClient> for ApiKeyResource {
    fn type_name(&self) -> &'static str {
        match self.0 {
            KeyOwner::Project => "ory_project_api_key",
            KeyOwner::Workspace => "ory_workspace_api_key",
        }
    }

    fn schema(&self) -> Schema {
        let noun = self.0.noun();
        let (owner_doc, prefix) = match self.0 {
            KeyOwner::Project => ("The project the key belongs to. Defaults to the provider's `project_id`; required when that is not set.", "ory_pat_"),
            KeyOwner::Workspace => ("The workspace the key belongs to. Defaults to the provider's `workspace_id`; required when that is not set.", "ory_wak_"),
        };
        Schema::new(
            &format!(
                "An API key of an Ory Network {noun}. The API shows a key's value only once, when it is created; it is kept in Terraform's state as a sensitive value. Any change replaces the key."
            ),
            vec![
                Attribute::string("id").computed().describe("The key's ID."),
                Attribute::string(self.0.attr()).optional().computed().describe(&format!("{owner_doc} Changing it replaces the key.")),
                Attribute::string("name").required().describe("The key's name. Changing it replaces the key."),
                Attribute::string("expires_at")
                    .optional()
                    .describe("When the key stops working, an RFC 3339 time in the future. Without it the key does not expire. Changing it replaces the key."),
                Attribute::string("value")
                    .computed()
                    .sensitive()
                    .describe(&format!("The key itself (`{prefix}...`). Null for an imported key: the API never shows a value again after creation.")),
                Attribute::string("last_characters").computed().describe("The last characters of the value, to tell keys apart."),
                Attribute::string("owner_id").computed().describe("The identity that owns the key."),
                Attribute::string("created_at").computed().describe("When the key was created (RFC 3339)."),
            ],
        )
    }

    fn validate(&self, config: &Value) -> Diagnostics {
        let mut diags = Diagnostics::new();
        check_not_empty(&mut diags, config, "name");
        check_uuid(&mut diags, config, self.0.attr());
        check_future_time(&mut diags, config, "expires_at");
        diags
    }

    async fn plan(&self, client: &OryClient, req: PlanRequest<'_>, diags: &mut Diagnostics) -> Planned {
        if req.config.is_null() {
            return Planned::new(Value::Null);
        }
        let owner_attr = self.0.attr();
        let mut planned = req.proposed.clone();
        if req.config.attr(owner_attr).is_null() {
            // An existing key keeps its owner: an omitted argument never
            // plans a replacement, even when the provider's default changed.
            match (req.prior.is_null(), self.0.default_from(client)) {
                (false, _) => planned.set_attr(owner_attr, req.prior.attr(owner_attr).clone()),
                (true, Some(default)) => planned.set_attr(owner_attr, Value::String(default)),
                (true, None) => diags.push(
                    crate::plugin::Diagnostic::error(
                        format!("Missing {owner_attr}"),
                        format!(
                            "Set {owner_attr} on this resource, or {owner_attr} on the provider (environment variable ORY_{}).",
                            owner_attr.to_ascii_uppercase()
                        ),
                    )
                    .at(AttributePath::attr(owner_attr)),
                ),
            }
        }
        if req.prior.is_null() {
            for computed in ["id", "value", "last_characters", "owner_id", "created_at"] {
                planned.set_attr(computed, Value::Unknown);
            }
            return Planned::new(planned);
        }
        // The same instant written another way is no change.
        if let (Some(prior), Some(config)) =
            (req.prior.attr("expires_at").as_str(), req.config.attr("expires_at").as_str())
        {
            if same_instant(prior, config) {
                planned.set_attr("expires_at", Value::string(prior));
            }
        }
        let mut out = Planned::new(planned);
        out.requires_replace = FORCE_NEW.iter().chain([&owner_attr]).map(|a| AttributePath::attr(a)).collect();
        out
    }

    async fn create(&self, client: &OryClient, planned: &Value, _config: &Value, diags: &mut Diagnostics) -> Value {
        let owner = self.owner_of(planned);
        let name = planned.attr("name").as_str().unwrap_or_default();
        let keys = client.console.api_keys(self.0.api(owner));
        match keys.create(name, planned.attr("expires_at").as_str()).await {
            Ok(key) => self.state_from(&key, owner, planned),
            Err(e) => {
                diags.push(create_error(
                    &format!("Error creating {} API key", self.0.noun()),
                    &format!("Creating API key {name:?} of {} {owner}", self.0.noun()),
                    &e,
                    None,
                ));
                Value::Null
            }
        }
    }

    async fn read(&self, client: &OryClient, state: &Value, diags: &mut Diagnostics) -> Value {
        let owner = self.owner_of(state);
        let id = state.attr("id").as_str().unwrap_or_default();
        match client.console.api_keys(self.0.api(owner)).find(id).await {
            Ok(Some(key)) => self.state_from(&key, owner, state),
            Ok(None) => {
                tracing::info!(key = id, "API key no longer exists; removing it from state");
                Value::Null
            }
            // The owner itself is gone, and its keys with it.
            Err(e) if e.is_not_found() => Value::Null,
            Err(e) => {
                diags.push(api_error(
                    &format!("Error reading {} API key", self.0.noun()),
                    &format!("Listing the API keys of {} {owner}", self.0.noun()),
                    &e,
                ));
                state.clone()
            }
        }
    }

    /// Only Terraform-side attributes can reach here: every API field forces replacement.
    async fn update(
        &self,
        _client: &OryClient,
        _prior: &Value,
        planned: &Value,
        _config: &Value,
        _diags: &mut Diagnostics,
    ) -> Value {
        planned.clone()
    }

    async fn delete(&self, client: &OryClient, prior: &Value, diags: &mut Diagnostics) {
        let owner = self.owner_of(prior);
        let id = prior.attr("id").as_str().unwrap_or_default();
        match client.console.api_keys(self.0.api(owner)).delete(id).await {
            Ok(()) => {}
            Err(e) if e.is_not_found() => {}
            Err(e) => diags.push(api_error(
                &format!("Error deleting {} API key", self.0.noun()),
                &format!("Deleting API key {id} of {} {owner}", self.0.noun()),
                &e,
            )),
        }
    }

    async fn import(&self, _client: &OryClient, id: &str, diags: &mut Diagnostics) -> Value {
        let owner_attr = self.0.attr();
        let Some((owner, key)) = id.split_once('/').filter(|(o, k)| is_uuid(o) && is_uuid(k)) else {
            diags.error(
                "Invalid import ID",
                format!(
                    "Import a {} as <{owner_attr}>/<key_id>, two UUIDs separated by a slash; got {id:?}.",
                    self.type_name()
                ),
            );
            return Value::Null;
        };
        diags.warning(
            "The key's value cannot be imported",
            format!(
                "The Ory API shows an API key's value only once, when the key is created, so `value` of the imported key {key} is null. \
                 To have a value in state, replace the key: terraform apply -replace=<address>."
            ),
        );
        Value::object([("id", Value::string(key)), (owner_attr, Value::string(owner))])
    }
}
