//! `ory_workspace`: an Ory Network workspace. The API cannot delete one, so
//! destroying it only forgets it, with a warning.

use async_trait::async_trait;

use super::enums::{check_not_empty, is_uuid};
use super::errors::{api_error, create_error};
use super::OryClient;
use crate::console::Workspace;
use crate::plugin::{Attribute, Diagnostics, PlanRequest, Planned, Resource, Schema, Value};

pub struct WorkspaceResource;

fn state_from(w: &Workspace) -> Value {
    Value::object([
        ("id", Value::string(&w.id)),
        ("name", Value::string(&w.name)),
        ("created_at", Value::string(&w.created_at)),
        ("updated_at", Value::string(&w.updated_at)),
    ])
}

fn id_of(state: &Value) -> &str {
    state.attr("id").as_str().unwrap_or_default()
}

#[async_trait]
impl Resource<OryClient> for WorkspaceResource {
    fn type_name(&self) -> &'static str {
        "ory_workspace"
    }

    fn schema(&self) -> Schema {
        Schema::new(
            "An Ory Network workspace. The API cannot delete workspaces: destroying this resource removes it from Terraform's state and warns that it still exists.",
            vec![
                Attribute::string("id").computed().describe("The workspace's ID."),
                Attribute::string("name").required().describe("The workspace's name. Changed in place."),
                Attribute::string("created_at").computed().describe("When the workspace was created (RFC 3339)."),
                Attribute::string("updated_at").computed().describe("When the workspace last changed (RFC 3339)."),
            ],
        )
    }

    fn validate(&self, config: &Value) -> Diagnostics {
        let mut diags = Diagnostics::new();
        check_not_empty(&mut diags, config, "name");
        diags
    }

    async fn plan(&self, _client: &OryClient, req: PlanRequest<'_>, _diags: &mut Diagnostics) -> Planned {
        if req.config.is_null() {
            return Planned::new(Value::Null);
        }
        let mut planned = req.proposed.clone();
        if req.prior.is_null() {
            for computed in ["id", "created_at", "updated_at"] {
                planned.set_attr(computed, Value::Unknown);
            }
        } else if planned.attr("name") != req.prior.attr("name") {
            planned.set_attr("updated_at", Value::Unknown);
        }
        Planned::new(planned)
    }

    async fn create(&self, client: &OryClient, planned: &Value, _config: &Value, diags: &mut Diagnostics) -> Value {
        let name = planned.attr("name").as_str().unwrap_or_default();
        match client.console.workspaces().create(name).await {
            Ok(w) => state_from(&w),
            Err(e) => {
                diags.push(create_error(
                    "Error creating workspace",
                    &format!("Creating workspace {name:?}"),
                    &e,
                    Some(&|id: &str| id.to_string()),
                ));
                Value::Null
            }
        }
    }

    async fn read(&self, client: &OryClient, state: &Value, diags: &mut Diagnostics) -> Value {
        let id = id_of(state);
        match client.console.workspaces().get(id).await {
            Ok(w) => state_from(&w),
            Err(e) if e.is_not_found() => Value::Null,
            Err(e) => {
                diags.push(api_error("Error reading workspace", &format!("Reading workspace {id}"), &e));
                state.clone()
            }
        }
    }

    async fn update(
        &self,
        client: &OryClient,
        prior: &Value,
        planned: &Value,
        _config: &Value,
        diags: &mut Diagnostics,
    ) -> Value {
        let id = id_of(prior);
        let name = planned.attr("name").as_str().unwrap_or_default();
        match client.console.workspaces().rename(id, name).await {
            Ok(w) => state_from(&w),
            Err(e) => {
                diags.push(api_error("Error renaming workspace", &format!("Renaming workspace {id} to {name:?}"), &e));
                prior.clone()
            }
        }
    }

    async fn delete(&self, _client: &OryClient, prior: &Value, diags: &mut Diagnostics) {
        diags.warning(
            "Workspace still exists in Ory Network",
            format!(
                "The Ory API cannot delete workspaces, so workspace {} ({:?}) was only removed from Terraform's state. \
                 Delete it in the Ory console if it is no longer needed.",
                id_of(prior),
                prior.attr("name").as_str().unwrap_or_default()
            ),
        );
    }

    async fn import(&self, _client: &OryClient, id: &str, diags: &mut Diagnostics) -> Value {
        if !is_uuid(id) {
            diags.error(
                "Invalid import ID",
                format!("Import an ory_workspace by its workspace ID, a UUID; got {id:?}."),
            );
            return Value::Null;
        }
        Value::object([("id", Value::string(id))])
    }
}
