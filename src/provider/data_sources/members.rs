//! `ory_project_members`: who can reach a project.

use async_trait::async_trait;

use super::object_type;
use crate::plugin::{Attribute, DataSource, Diagnostics, Schema, Type, Value};
use crate::provider::errors::api_error;
use crate::provider::OryClient;

pub struct MembersData;

#[async_trait]
impl DataSource<OryClient> for MembersData {
    fn type_name(&self) -> &'static str {
        "ory_project_members"
    }

    fn schema(&self) -> Schema {
        Schema::new(
            "Lists the members of a project.",
            vec![
                Attribute::string("project_id").optional().computed().describe("The project. Defaults to the provider's `project_id`."),
                Attribute::typed("members", Type::list(object_type(&["id", "email", "name", "role", "source"], &[("email_verified", Type::Bool)])))
                    .computed()
                    .describe("The members: id, email, name, role (owner, developer, viewer), source (project or workspace), email_verified."),
            ],
        )
    }

    fn validate(&self, config: &Value) -> Diagnostics {
        super::check_id(config, "project_id")
    }

    async fn read(&self, client: &OryClient, config: &Value, diags: &mut Diagnostics) -> Value {
        let Some(project) =
            super::configured_or_default(config, "project_id", client.project_id.as_ref(), "ORY_PROJECT_ID", diags)
        else {
            return Value::Null;
        };
        match client.console.project_members(&project).await {
            Ok(members) => super::listing(
                "project_id",
                &project,
                "members",
                members
                    .iter()
                    .map(|m| {
                        Value::object([
                            ("id", Value::string(&m.id)),
                            ("email", Value::string(&m.email)),
                            ("name", Value::string(&m.name)),
                            ("role", Value::string(&m.role)),
                            ("source", Value::opt_string(m.source.clone())),
                            ("email_verified", Value::Bool(m.email_verified)),
                        ])
                    })
                    .collect(),
            ),
            Err(e) => {
                diags.push(api_error(
                    "Error listing project members",
                    &format!("Listing the members of project {project}"),
                    &e,
                ));
                Value::Null
            }
        }
    }
}
