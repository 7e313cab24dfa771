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
pub const ENV_MAX_RETRIES: &str = "ORY_MAX_RETRIES";
pub const ENV_ALLOWED_PROJECT_IDS: &str = "ORY_ALLOWED_PROJECT_IDS";

/// The configured provider, handed to every resource.
pub struct OryClient {
    pub console: console::Client,
    /// The provider-level `workspace_id`, the default for resources.
    pub workspace_id: Option<String>,
    /// The provider-level `project_id`, the default for project API keys.
    pub project_id: Option<String>,
}

pub struct OryProvider {
    /// Set when Terraform is interrupted; every client of this process watches it.
    stop: tokio::sync::watch::Sender<bool>,
}

impl OryProvider {
    pub fn new() -> OryProvider {
        OryProvider { stop: tokio::sync::watch::channel(false).0 }
    }
}

impl Default for OryProvider {
    fn default() -> Self {
        OryProvider::new()
    }
}

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
                Attribute::number("max_retries").optional().describe(&format!(
                    "How many times a request that hit a rate limit (429), a server error (5xx) or a lost connection is sent again, waiting longer each time. A POST that may have reached the server is never resent. {}-{}, default {}; `{ENV_MAX_RETRIES}`.",
                    0,
                    console::MAX_MAX_RETRIES,
                    console::DEFAULT_MAX_RETRIES
                )),
                Attribute::typed("allowed_project_ids", crate::plugin::Type::list(crate::plugin::Type::String)).optional().describe(&format!(
                    "When set, the only projects this provider may read or change: a call naming any other project is refused before it is sent. `{ENV_ALLOWED_PROJECT_IDS}` (comma separated)."
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
        if let Value::Number(n) = config.attr("max_retries") {
            if n.parse::<u32>().ok().filter(|v| *v <= console::MAX_MAX_RETRIES).is_none() {
                diags.attr_error(
                    "max_retries",
                    "Invalid max_retries",
                    format!("max_retries must be a whole number from 0 to {}; got {n}.", console::MAX_MAX_RETRIES),
                );
            }
        }
        for id in config.attr("allowed_project_ids").elements() {
            if let Some(v) = id.as_str().filter(|v| !enums::is_uuid(v)) {
                diags.attr_error(
                    "allowed_project_ids",
                    "Invalid allowed_project_ids",
                    format!("Every entry must be a project ID (a UUID); got {v:?}."),
                );
            }
        }
        diags
    }

    fn stop(&self) {
        self.stop.send_replace(true);
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
        let mut settings = console::Config::new(url, api_key);
        settings.stop = Some(self.stop.subscribe());
        match config.attr("max_retries").as_i64().map(|n| n.to_string()).or_else(|| std::env::var(ENV_MAX_RETRIES).ok())
        {
            None => {}
            Some(text) => match text.trim().parse::<u32>().ok().filter(|n| *n <= console::MAX_MAX_RETRIES) {
                Some(n) => settings.max_retries = n,
                None => {
                    return Err(Diagnostic::error(
                        "Invalid max_retries",
                        format!(
                            "max_retries ({ENV_MAX_RETRIES}) must be a whole number from 0 to {}; got {text:?}.",
                            console::MAX_MAX_RETRIES
                        ),
                    )
                    .at(crate::plugin::AttributePath::attr("max_retries"))
                    .into())
                }
            },
        }
        let allowed: Vec<String> = match config.attr("allowed_project_ids") {
            crate::plugin::Value::Null => std::env::var(ENV_ALLOWED_PROJECT_IDS)
                .map(|v| v.split(',').map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect())
                .unwrap_or_default(),
            list => list.elements().iter().filter_map(|v| v.as_str().map(str::to_string)).collect(),
        };
        if !allowed.is_empty() {
            settings.allowed_project_ids = Some(allowed.into_iter().collect());
        }
        let console = console::Client::new(settings)
            .map_err(|e| Diagnostics::from(Diagnostic::error("Invalid provider configuration", e.to_string())))?;
        Ok(OryClient {
            console,
            workspace_id: setting(config, "workspace_id", ENV_WORKSPACE_ID),
            project_id: setting(config, "project_id", ENV_PROJECT_ID),
        })
    }
}
