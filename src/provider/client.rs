//! The provider block, and the configured client every resource receives.

use super::model::{attr, model, optional, Model, Number};
use super::validators;
use crate::console;
use crate::plugin::{AttributePath, Diagnostic, Diagnostics};

pub const ENV_WORKSPACE_API_KEY: &str = "ORY_WORKSPACE_API_KEY";
pub const ENV_CONSOLE_API_URL: &str = "ORY_CONSOLE_API_URL";
pub const ENV_WORKSPACE_ID: &str = "ORY_WORKSPACE_ID";
pub const ENV_PROJECT_ID: &str = "ORY_PROJECT_ID";
pub const ENV_MAX_RETRIES: &str = "ORY_MAX_RETRIES";
pub const ENV_ALLOWED_PROJECT_IDS: &str = "ORY_ALLOWED_PROJECT_IDS";

model! {
    pub struct ProviderConfig {
        workspace_api_key: String = optional(&format!(
            "A workspace API key (`ory_wak_...`). Defaults to the `{ENV_WORKSPACE_API_KEY}` environment variable."
        ))
        .sensitive(),
        console_api_url: String = optional(&format!(
            "The console API's base URL. Defaults to `{ENV_CONSOLE_API_URL}`, then `{}`. Point it at `ory-console-emulator` to work offline.",
            console::DEFAULT_URL
        ))
        .check(validators::console_url),
        workspace_id: String = optional(&format!(
            "The workspace that resources belong to when they do not name one. Defaults to `{ENV_WORKSPACE_ID}`."
        ))
        .check(validators::uuid),
        project_id: String = optional(&format!(
            "The project that project API keys, event streams and project data sources belong to when they do not name one. Defaults to `{ENV_PROJECT_ID}`."
        ))
        .check(validators::uuid),
        max_retries: Number = optional(&format!(
            "How many times a request that hit a rate limit (429), a server error (5xx) or a lost connection is sent again, waiting longer each time. A POST that may have reached the server is never resent. 0-{}, default {}; `{ENV_MAX_RETRIES}`.",
            console::MAX_MAX_RETRIES,
            console::DEFAULT_MAX_RETRIES
        ))
        .check(validators::max_retries),
        allowed_project_ids: Vec<String> = optional(&format!(
            "When set, the only projects this provider may read or change: a call naming any other project is refused before it is sent. `{ENV_ALLOWED_PROJECT_IDS}` (comma separated)."
        ))
        .check(validators::project_id_entry),
    }
}

/// The configured provider, handed to every resource.
pub struct OryClient {
    pub console: console::Client,
    /// The provider-level `workspace_id`, the default for resources.
    pub workspace_id: Option<String>,
    /// The provider-level `project_id`, the default for project resources.
    pub project_id: Option<String>,
}

/// A provider setting that resources fall back on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Setting {
    ProjectId,
    WorkspaceId,
}

impl Setting {
    /// Its name in the provider block.
    pub fn attr(self) -> &'static str {
        match self {
            Setting::ProjectId => attr!(ProviderConfig, project_id),
            Setting::WorkspaceId => attr!(ProviderConfig, workspace_id),
        }
    }

    pub fn env(self) -> &'static str {
        match self {
            Setting::ProjectId => ENV_PROJECT_ID,
            Setting::WorkspaceId => ENV_WORKSPACE_ID,
        }
    }

    pub fn of(self, client: &OryClient) -> Option<&str> {
        match self {
            Setting::ProjectId => client.project_id.as_deref(),
            Setting::WorkspaceId => client.workspace_id.as_deref(),
        }
    }

    /// The error for an attribute `attr` left out while this setting is unset.
    pub fn missing(self, attr: &'static str) -> Diagnostic {
        Diagnostic::error(
            format!("Missing {attr}"),
            format!("Set {attr} here, or {} on the provider (environment variable {}).", self.attr(), self.env()),
        )
        .at(AttributePath::attr(attr))
    }
}

/// A setting from the configuration, else its environment variable; blank is unset.
fn setting(configured: Option<String>, env: &str) -> Option<String> {
    configured.or_else(|| std::env::var(env).ok()).filter(|v| !v.trim().is_empty())
}

fn refused(attr: &'static str, summary: &str, detail: String) -> Diagnostics {
    Diagnostic::error(summary, detail).at(AttributePath::attr(attr)).into()
}

impl OryClient {
    pub fn configure(
        config: ProviderConfig,
        stop: tokio::sync::watch::Receiver<bool>,
    ) -> Result<OryClient, Diagnostics> {
        let Some(api_key) = setting(config.workspace_api_key, ENV_WORKSPACE_API_KEY) else {
            return Err(refused(
                attr!(ProviderConfig, workspace_api_key),
                "Missing workspace API key",
                format!(
                    "The Ory provider needs a workspace API key (ory_wak_...). Set `workspace_api_key` in the provider \
                     block, or the {ENV_WORKSPACE_API_KEY} environment variable. Create one in the Ory console under \
                     Workspace settings > API keys."
                ),
            ));
        };
        let url = setting(config.console_api_url, ENV_CONSOLE_API_URL).unwrap_or_else(|| console::DEFAULT_URL.into());
        if let Err(problem) = validators::console_url(&url) {
            return Err(refused(
                attr!(ProviderConfig, console_api_url),
                "Invalid console API URL",
                format!("console_api_url {problem}"),
            ));
        }
        let mut settings = console::Config::new(url, api_key);
        settings.stop = Some(stop);
        if let Some(text) = config.max_retries.map(|n| n.0).or_else(|| std::env::var(ENV_MAX_RETRIES).ok()) {
            let Some(n) = validators::parse_max_retries(&text) else {
                return Err(refused(
                    attr!(ProviderConfig, max_retries),
                    "Invalid max_retries",
                    format!(
                        "max_retries ({ENV_MAX_RETRIES}) must be a whole number from 0 to {}; got {text:?}.",
                        console::MAX_MAX_RETRIES
                    ),
                ));
            };
            settings.max_retries = n;
        }
        let allowed: Vec<String> = match config.allowed_project_ids {
            Some(list) => list,
            None => std::env::var(ENV_ALLOWED_PROJECT_IDS)
                .map(|v| v.split(',').map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect())
                .unwrap_or_default(),
        };
        if !allowed.is_empty() {
            settings.allowed_project_ids = Some(allowed.into_iter().collect());
        }
        let console = console::Client::new(settings)
            .map_err(|e| Diagnostics::from(Diagnostic::error("Invalid provider configuration", e.to_string())))?;
        Ok(OryClient {
            console,
            workspace_id: setting(config.workspace_id, ENV_WORKSPACE_ID),
            project_id: setting(config.project_id, ENV_PROJECT_ID),
        })
    }
}

/// The provider block's schema, from its model.
pub fn schema() -> crate::plugin::Schema {
    ProviderConfig::schema(
        "Manages Ory Network workspaces, projects, API keys and event streams through the Ory console API.",
    )
}
