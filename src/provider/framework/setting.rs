//! The provider settings resources fall back on, and the environment
//! variables of every provider setting: known to every layer of the
//! provider, so they stand apart from the client that reads them.

use crate::plugin::{AttributePath, Diagnostic};

pub const ENV_WORKSPACE_API_KEY: &str = "ORY_WORKSPACE_API_KEY";
pub const ENV_CONSOLE_API_URL: &str = "ORY_CONSOLE_API_URL";
pub const ENV_WORKSPACE_ID: &str = "ORY_WORKSPACE_ID";
pub const ENV_PROJECT_ID: &str = "ORY_PROJECT_ID";
pub const ENV_MAX_RETRIES: &str = "ORY_MAX_RETRIES";
pub const ENV_ALLOWED_PROJECT_IDS: &str = "ORY_ALLOWED_PROJECT_IDS";
pub const ENV_INSECURE_HTTP: &str = "ORY_INSECURE_HTTP";
pub const ENV_REQUEST_TIMEOUT: &str = "ORY_REQUEST_TIMEOUT";
pub const ENV_PROJECT_API_URL: &str = "ORY_PROJECT_API_URL";
pub const ENV_PROJECT_API_KEY: &str = "ORY_PROJECT_API_KEY";
pub const ENV_PROJECT_SLUG: &str = "ORY_PROJECT_SLUG";
pub const ENV_MINT_PROJECT_API_KEYS: &str = "ORY_MINT_PROJECT_API_KEYS";

/// The name of the project keys the provider makes for itself (see
/// `project_keys`): named in the provider block's docs and known to `adopt`.
pub const MINTED_KEY_NAME: &str = "terraform-provider-ory (temporary; deleted when the run ends)";

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
            Setting::ProjectId => "project_id",
            Setting::WorkspaceId => "workspace_id",
        }
    }

    pub fn env(self) -> &'static str {
        match self {
            Setting::ProjectId => ENV_PROJECT_ID,
            Setting::WorkspaceId => ENV_WORKSPACE_ID,
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
