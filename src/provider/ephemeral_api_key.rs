//! Ephemeral `ory_project_api_key` (Terraform 1.10 and later): a short-lived
//! project key that exists only while Terraform runs. Open creates it with
//! `expires_at = now + ttl`; Close deletes it. Its value never reaches a plan
//! or the state, so another provider can use it without a long-lived key.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::enums::{check_uuid, parse_duration};
use super::errors::{api_error, create_error};
use super::OryClient;
use crate::console::Owner;
use crate::plugin::{Attribute, AttributePath, Diagnostic, Diagnostics, EphemeralResource, Opened, Schema, Value};

pub struct EphemeralProjectApiKey;

const DEFAULT_TTL: &str = "1h";
const DEFAULT_NAME: &str = "terraform-ephemeral";

/// What Close needs; Terraform hands it back unchanged.
#[derive(Serialize, Deserialize)]
struct OpenKey {
    project_id: String,
    key_id: String,
}

#[async_trait]
impl EphemeralResource<OryClient> for EphemeralProjectApiKey {
    fn type_name(&self) -> &'static str {
        "ory_project_api_key"
    }

    fn schema(&self) -> Schema {
        Schema::new(
            "A short-lived project API key for the length of one Terraform run (Terraform 1.10 and later). Opening it creates a key that expires after `ttl`; closing it deletes the key. Its value never reaches a plan or the state: use it to configure another provider in the same run.",
            vec![
                Attribute::string("project_id").optional().computed().describe("The project. Defaults to the provider's `project_id`."),
                Attribute::string("name").optional().computed().describe(&format!("The key's name. Defaults to `{DEFAULT_NAME}`.")),
                Attribute::string("ttl")
                    .optional()
                    .computed()
                    .describe(&format!("How long the key lives, such as `30m` or `2h`; a safety net in case Terraform never closes it. Defaults to `{DEFAULT_TTL}`.")),
                Attribute::string("id").computed().describe("The key's ID."),
                Attribute::string("value").computed().sensitive().describe("The key itself (`ory_pat_...`)."),
                Attribute::string("expires_at").computed().describe("When the key expires (RFC 3339)."),
            ],
        )
    }

    fn validate(&self, config: &Value) -> Diagnostics {
        let mut diags = Diagnostics::new();
        check_uuid(&mut diags, config, "project_id");
        if let Some(ttl) = config.attr("ttl").as_str() {
            if parse_duration(ttl).is_none() {
                diags.attr_error(
                    "ttl",
                    "Invalid ttl",
                    format!("ttl must be a duration such as 90s, 30m, 1h or 1h30m; got {ttl:?}."),
                );
            }
        }
        diags
    }

    async fn open(&self, client: &OryClient, config: &Value, diags: &mut Diagnostics) -> Opened {
        let nothing = Opened { result: Value::Null, private: Vec::new() };
        let Some(project) =
            config.attr("project_id").as_str().map(str::to_string).or_else(|| client.project_id.clone())
        else {
            diags.push(
                Diagnostic::error(
                    "Missing project_id",
                    "Set project_id here, or project_id on the provider (environment variable ORY_PROJECT_ID).",
                )
                .at(AttributePath::attr("project_id")),
            );
            return nothing;
        };
        let ttl = config.attr("ttl").as_str().unwrap_or(DEFAULT_TTL).to_string();
        let name = config.attr("name").as_str().unwrap_or(DEFAULT_NAME).to_string();
        let seconds = parse_duration(&ttl).unwrap_or(3600);
        let expires_at = (chrono::Utc::now() + chrono::Duration::seconds(seconds))
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        match client.console.api_keys(Owner::Project(&project)).create(&name, Some(&expires_at)).await {
            Ok(key) => {
                let private = serde_json::to_vec(&OpenKey { project_id: project.clone(), key_id: key.id.clone() })
                    .unwrap_or_default();
                Opened {
                    result: Value::object([
                        ("project_id", Value::string(&project)),
                        ("name", Value::string(&name)),
                        ("ttl", Value::string(&ttl)),
                        ("id", Value::string(&key.id)),
                        ("value", Value::opt_string(key.value)),
                        ("expires_at", Value::opt_string(key.expires_at.or(Some(expires_at)))),
                    ]),
                    private,
                }
            }
            Err(e) => {
                diags.push(create_error(
                    "Error creating ephemeral project API key",
                    &format!("Creating a key for project {project}"),
                    &e,
                    None,
                ));
                nothing
            }
        }
    }

    async fn close(&self, client: &OryClient, private: &[u8], diags: &mut Diagnostics) {
        let Ok(open) = serde_json::from_slice::<OpenKey>(private) else {
            // Open failed, so there is nothing to delete.
            return;
        };
        match client.console.api_keys(Owner::Project(&open.project_id)).delete(&open.key_id).await {
            Ok(()) => {}
            Err(e) if e.is_not_found() => {}
            Err(e) => diags.push(api_error(
                "Error deleting ephemeral project API key",
                &format!(
                    "Deleting key {} of project {}; it expires on its own at its expires_at",
                    open.key_id, open.project_id
                ),
                &e,
            )),
        }
    }
}
