//! `ory_event_streams`: a project's event streams. Endpoint credentials are
//! left out: a listing is not where secrets belong.

use async_trait::async_trait;

use super::object_type;
use crate::plugin::{Attribute, DataSource, Diagnostics, Schema, Type, Value};
use crate::provider::errors::api_error;
use crate::provider::OryClient;

pub struct EventStreamsData;

/// The endpoint without user name or password.
fn without_credentials(endpoint: &str) -> String {
    match reqwest::Url::parse(endpoint) {
        Ok(mut url) => {
            let _ = url.set_username("");
            let _ = url.set_password(None);
            url.to_string()
        }
        Err(_) => String::new(),
    }
}

#[async_trait]
impl DataSource<OryClient> for EventStreamsData {
    fn type_name(&self) -> &'static str {
        "ory_event_streams"
    }

    fn schema(&self) -> Schema {
        Schema::new(
            "Lists the event streams of a project.",
            vec![
                Attribute::string("project_id").optional().computed().describe("The project. Defaults to the provider's `project_id`."),
                Attribute::typed(
                    "event_streams",
                    Type::list(object_type(&["id", "type", "topic_arn", "role_arn", "https_endpoint", "status", "created_at", "updated_at"], &[])),
                )
                .computed()
                .describe("The streams: id, type, topic_arn, role_arn, https_endpoint (without credentials), status, created_at, updated_at."),
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
        match client.console.event_streams(&project).list().await {
            Ok(streams) => super::listing(
                "project_id",
                &project,
                "event_streams",
                streams
                    .iter()
                    .map(|s| {
                        Value::object([
                            ("id", Value::string(&s.id)),
                            ("type", Value::string(&s.kind)),
                            ("topic_arn", Value::opt_string(s.topic_arn.clone())),
                            ("role_arn", Value::opt_string(s.role_arn.clone())),
                            ("https_endpoint", Value::opt_string(s.https_endpoint.as_deref().map(without_credentials))),
                            ("status", Value::opt_string(s.status.clone())),
                            ("created_at", Value::opt_string(s.created_at.clone())),
                            ("updated_at", Value::opt_string(s.updated_at.clone())),
                        ])
                    })
                    .collect(),
            ),
            Err(e) => {
                diags.push(api_error(
                    "Error listing event streams",
                    &format!("Listing the event streams of project {project}"),
                    &e,
                ));
                Value::Null
            }
        }
    }
}
