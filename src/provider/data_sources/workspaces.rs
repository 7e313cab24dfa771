//! `ory_workspace` (one) and `ory_workspaces` (all, across every page).

use async_trait::async_trait;

use super::object_type;
use crate::console::Workspace;
use crate::plugin::{Attribute, DataSource, Diagnostics, Schema, Type, Value};
use crate::provider::errors::api_error;
use crate::provider::OryClient;

pub struct WorkspaceData;
pub struct WorkspacesData;

fn workspace(w: &Workspace) -> Value {
    Value::object([
        ("id", Value::string(&w.id)),
        ("name", Value::string(&w.name)),
        ("created_at", Value::string(&w.created_at)),
        ("updated_at", Value::string(&w.updated_at)),
    ])
}

#[async_trait]
impl DataSource<OryClient> for WorkspaceData {
    fn type_name(&self) -> &'static str {
        "ory_workspace"
    }

    fn schema(&self) -> Schema {
        Schema::new(
            "Looks up one workspace.",
            vec![
                Attribute::string("id")
                    .optional()
                    .computed()
                    .describe("The workspace's ID. Defaults to the provider's `workspace_id`."),
                Attribute::string("name").computed().describe("The workspace's name."),
                Attribute::string("created_at").computed().describe("When it was created (RFC 3339)."),
                Attribute::string("updated_at").computed().describe("When it last changed (RFC 3339)."),
            ],
        )
    }

    fn validate(&self, config: &Value) -> Diagnostics {
        super::check_id(config, "id")
    }

    async fn read(&self, client: &OryClient, config: &Value, diags: &mut Diagnostics) -> Value {
        let Some(id) =
            super::configured_or_default(config, "id", client.workspace_id.as_ref(), "ORY_WORKSPACE_ID", diags)
        else {
            return Value::Null;
        };
        match client.console.workspaces().get(&id).await {
            Ok(w) => workspace(&w),
            Err(e) => {
                diags.push(api_error("Error reading workspace", &format!("Reading workspace {id}"), &e));
                Value::Null
            }
        }
    }
}

#[async_trait]
impl DataSource<OryClient> for WorkspacesData {
    fn type_name(&self) -> &'static str {
        "ory_workspaces"
    }

    fn schema(&self) -> Schema {
        Schema::new(
            "Lists every workspace the key can see, following the API's pages to the end.",
            vec![Attribute::typed(
                "workspaces",
                Type::list(object_type(&["id", "name", "created_at", "updated_at"], &[])),
            )
            .computed()
            .describe("The workspaces: id, name, created_at, updated_at.")],
        )
    }

    async fn read(&self, client: &OryClient, _config: &Value, diags: &mut Diagnostics) -> Value {
        match client.console.workspaces().list_all().await {
            Ok(list) => Value::object([("workspaces", Value::List(list.iter().map(workspace).collect()))]),
            Err(e) => {
                diags.push(api_error("Error listing workspaces", "Listing workspaces", &e));
                Value::Null
            }
        }
    }
}
