//! The Ory provider: its configuration, and one file per resource type.
//! It speaks Terraform through `plugin` and Ory through `console`, and
//! knows nothing of HTTP or JSON wire shapes.

mod api_key;
mod data_sources;
pub mod docs;
mod enums;
mod ephemeral_api_key;
mod errors;
mod event_stream;
mod project;
mod workspace;

use async_trait::async_trait;

use crate::console;
use crate::plugin::{
    Attribute, DataSource, Diagnostic, Diagnostics, EphemeralResource, Provider, Resource, Schema, Value,
};

pub use enums::{ENVIRONMENTS, HOME_REGIONS};

/// The provider's address in configurations, as installed from a local
/// mirror (see the README).
pub const PROVIDER_ADDRESS: &str = "terraform.local/ory/ory";

pub const ENV_WORKSPACE_API_KEY: &str = "ORY_WORKSPACE_API_KEY";
pub const ENV_CONSOLE_API_URL: &str = "ORY_CONSOLE_API_URL";
pub const ENV_WORKSPACE_ID: &str = "ORY_WORKSPACE_ID";
pub const ENV_PROJECT_ID: &str = "ORY_PROJECT_ID";

/// The configured provider, handed to every resource.
pub struct OryClient {
    pub console: console::Client,
    /// The provider-level `workspace_id`, the default for resources.
    pub workspace_id: Option<String>,
    /// The provider-level `project_id`, the default for project API keys.
    pub project_id: Option<String>,
}

pub struct OryProvider;

fn setting(config: &Value, attr: &str, env: &str) -> Option<String> {
    config.attr(attr).as_str().map(str::to_string).or_else(|| std::env::var(env).ok()).filter(|v| !v.trim().is_empty())
}

#[async_trait]
impl Provider for OryProvider {
    type Client = OryClient;

    fn schema(&self) -> Schema {
        Schema::new(
            "Manages Ory Network workspaces, projects, API keys and event streams through the Ory console API.",
            vec![
                Attribute::string("workspace_api_key").optional().sensitive().describe(&format!(
                    "A workspace API key (`ory_wak_...`). Defaults to the `{ENV_WORKSPACE_API_KEY}` environment variable."
                )),
                Attribute::string("console_api_url").optional().describe(&format!(
                    "The console API's base URL. Defaults to `{ENV_CONSOLE_API_URL}`, then `{}`. Point it at `ory-console-emulator` to work offline.",
                    console::DEFAULT_URL
                )),
                Attribute::string("workspace_id").optional().describe(&format!(
                    "The workspace that resources belong to when they do not name one. Defaults to `{ENV_WORKSPACE_ID}`."
                )),
                Attribute::string("project_id").optional().describe(&format!(
                    "The project that project API keys belong to when they do not name one. Defaults to `{ENV_PROJECT_ID}`."
                )),
            ],
        )
    }

    fn resources(&self) -> Vec<Box<dyn Resource<OryClient>>> {
        vec![
            Box::new(project::ProjectResource),
            Box::new(workspace::WorkspaceResource),
            Box::new(api_key::ApiKeyResource(api_key::KeyOwner::Project)),
            Box::new(api_key::ApiKeyResource(api_key::KeyOwner::Workspace)),
            Box::new(event_stream::EventStreamResource),
        ]
    }

    fn data_sources(&self) -> Vec<Box<dyn DataSource<OryClient>>> {
        data_sources::all()
    }

    fn ephemeral_resources(&self) -> Vec<Box<dyn EphemeralResource<OryClient>>> {
        vec![Box::new(ephemeral_api_key::EphemeralProjectApiKey)]
    }

    fn validate(&self, config: &Value) -> Diagnostics {
        let mut diags = Diagnostics::new();
        if let Some(url) = config.attr("console_api_url").as_str() {
            if let Err(message) = enums::check_url(url) {
                diags.attr_error("console_api_url", "Invalid console API URL", message);
            }
        }
        enums::check_uuid(&mut diags, config, "workspace_id");
        enums::check_uuid(&mut diags, config, "project_id");
        diags
    }

    async fn configure(&self, config: &Value, _terraform_version: &str) -> Result<OryClient, Diagnostics> {
        let Some(api_key) = setting(config, "workspace_api_key", ENV_WORKSPACE_API_KEY) else {
            return Err(Diagnostic::error(
                "Missing workspace API key",
                format!(
                    "The Ory provider needs a workspace API key (ory_wak_...). Set `workspace_api_key` in the provider \
                     block, or the {ENV_WORKSPACE_API_KEY} environment variable. Create one in the Ory console under \
                     Workspace settings > API keys."
                ),
            )
            .at(crate::plugin::AttributePath::attr("workspace_api_key"))
            .into());
        };
        let url =
            setting(config, "console_api_url", ENV_CONSOLE_API_URL).unwrap_or_else(|| console::DEFAULT_URL.to_string());
        if let Err(message) = enums::check_url(&url) {
            return Err(Diagnostic::error("Invalid console API URL", message)
                .at(crate::plugin::AttributePath::attr("console_api_url"))
                .into());
        }
        let console = console::Client::new(console::Config::new(url, api_key))
            .map_err(|e| Diagnostics::from(Diagnostic::error("Invalid provider configuration", e.to_string())))?;
        Ok(OryClient {
            console,
            workspace_id: setting(config, "workspace_id", ENV_WORKSPACE_ID),
            project_id: setting(config, "project_id", ENV_PROJECT_ID),
        })
    }
}
