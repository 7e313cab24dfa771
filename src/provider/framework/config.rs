//! The provider block: its settings, with their docs and checks.

use crate::console;
use crate::plugin::{AttributePath, Diagnostic, Diagnostics};
use crate::project_api::Server;
use crate::provider::framework::setting::{
    ENV_ALLOWED_PROJECT_IDS, ENV_CONSOLE_API_URL, ENV_INSECURE_HTTP, ENV_MAX_RETRIES, ENV_MINT_PROJECT_API_KEYS,
    ENV_PROJECT_API_KEY, ENV_PROJECT_API_URL, ENV_PROJECT_ID, ENV_PROJECT_SLUG, ENV_REQUEST_TIMEOUT,
    ENV_WORKSPACE_API_KEY, ENV_WORKSPACE_ID,
};
use crate::provider::model::{attr, model, optional, Model, Number};
use crate::provider::validators;

model! {
    pub struct ProviderConfig {
        workspace_api_key: String = optional(&format!(
            "A workspace API key (`ory_wak_...`). Defaults to the `{ENV_WORKSPACE_API_KEY}` environment variable."
        ))
        .sensitive()
        .check(validators::api_key),
        console_api_url: String = optional(&format!(
            "The console API's base URL. Defaults to `{ENV_CONSOLE_API_URL}`, then `{}`. Point it at `ory-console-emulator` to work offline.",
            console::DEFAULT_URL
        ))
        .check(validators::console_url),
        insecure_http: bool = optional(&format!(
            "Allow a plain `http://` `console_api_url` to a host other than this machine. The workspace API key then travels unencrypted: use it only on a network you trust. Loopback (`127.0.0.1`, `::1`, `localhost`), where the emulator runs, never needs it. Defaults to `{ENV_INSECURE_HTTP}` (`true` or `false`), else false."
        )),
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
            crate::http::MAX_MAX_RETRIES,
            crate::http::DEFAULT_MAX_RETRIES
        ))
        .check(validators::max_retries),
        request_timeout: String = optional(&format!(
            "How long one request may take, from connecting to the end of the answer, such as `30s` or `2m` (1s to 10m). One call, with its retries and the waits between them, stops after {} times this, so an unresponsive server costs at most that much per call. Default `{}s`; `{ENV_REQUEST_TIMEOUT}`.",
            crate::http::CALL_TIMEOUTS,
            crate::http::DEFAULT_REQUEST_TIMEOUT.as_secs()
        ))
        .check(validators::request_timeout),
        allowed_project_ids: Vec<String> = optional(&format!(
            "When set, the only projects this provider may read or change: a call naming any other project is refused before it is sent. `{ENV_ALLOWED_PROJECT_IDS}` (comma separated). Set but empty is an error, never \"no guard\"."
        ))
        .check(validators::project_id_entry)
        .distinct(),
        project_api_url: String = optional(&format!(
            "Where each project's own API is (identities, OAuth2 clients), with `{{slug}}` (or `%s`, as Ory's provider writes it) for the project's slug. Defaults to `{ENV_PROJECT_API_URL}`, then `{}`. The emulator's startup line gives its own.",
            crate::project_api::DEFAULT_URL_TEMPLATE
        ))
        .check(validators::project_api_url),
        project_api_key: String = optional(&format!(
            "A project API key (`ory_pat_...`) of the provider's project (`project_slug`), as Ory's provider takes it. Defaults to `{ENV_PROJECT_API_KEY}`; `\"\"` means none, whatever the environment says. Resources of other projects get keys the provider makes (see `mint_project_api_keys`)."
        ))
        .sensitive()
        .check(|key| if key.is_empty() { Ok(()) } else { validators::api_key(key) }),
        project_slug: String = optional(&format!(
            "The slug of the project `project_api_key` belongs to. Defaults to `{ENV_PROJECT_SLUG}`; `\"\"` means none, whatever the environment says."
        ))
        .check(|slug| if slug.is_empty() { Ok(()) } else { validators::project_slug(slug) }),
        mint_project_api_keys: bool = optional(&format!(
            "Let the provider open a project's API, when it has no key of that project, with a project API key it makes with the workspace key: named \"{}\", expiring within the hour, never shown or logged, deleted when the run ends. Set false where policy forbids such keys: then only the provider's own project (`project_api_key`) is reachable. Defaults to `{ENV_MINT_PROJECT_API_KEYS}`, else true.",
            crate::provider::framework::setting::MINTED_KEY_NAME
        )),
        kratos_admin_url: String = optional(&describe(Server::KratosAdmin, "http://127.0.0.1:4434"))
            .check(validators::server_url),
        hydra_admin_url: String = optional(&describe(Server::HydraAdmin, "http://127.0.0.1:4445"))
            .check(validators::server_url),
        hydra_public_url: String = optional(&describe(Server::HydraPublic, "http://127.0.0.1:4444"))
            .check(validators::server_url),
        keto_read_url: String = optional(&describe(Server::KetoRead, "http://127.0.0.1:4466"))
            .check(validators::server_url),
        keto_write_url: String = optional(&describe(Server::KetoWrite, "http://127.0.0.1:4467"))
            .check(validators::server_url),
    }
}

/// The provider setting and environment variable of each server's URL.
pub fn setting_of(server: Server) -> (&'static str, &'static str) {
    match server {
        Server::KratosAdmin => (attr!(ProviderConfig, kratos_admin_url), "ORY_KRATOS_ADMIN_URL"),
        Server::HydraAdmin => (attr!(ProviderConfig, hydra_admin_url), "ORY_HYDRA_ADMIN_URL"),
        Server::HydraPublic => (attr!(ProviderConfig, hydra_public_url), "ORY_HYDRA_PUBLIC_URL"),
        Server::KetoRead => (attr!(ProviderConfig, keto_read_url), "ORY_KETO_READ_URL"),
        Server::KetoWrite => (attr!(ProviderConfig, keto_write_url), "ORY_KETO_WRITE_URL"),
    }
}

/// The description of a server's URL setting, for the provider's schema.
pub fn describe(server: Server, example: &str) -> String {
    let (_, env) = setting_of(server);
    format!(
        "Self-hosted Ory: the base URL of {}, such as `{example}`. Setting any of `kratos_admin_url`, `hydra_admin_url`, `hydra_public_url`, `keto_read_url`, `keto_write_url` points the data-plane resources at self-hosted servers instead of Ory Network (see the self-hosted guide). Defaults to `{env}`.",
        server.describe()
    )
}

/// The provider block's schema, from its model.
pub fn schema() -> crate::plugin::Schema {
    ProviderConfig::schema(
        "Manages Ory Network through the Ory console API: workspaces, projects and their configuration (identity schemas, social sign-in and SAML providers, email templates, web hook actions, B2B organizations and their onboarding portal links), project and workspace API keys, event streams and project members.",
    )
}

/// A setting from the configuration, else its environment variable; blank is unset.
pub(crate) fn setting(configured: Option<String>, env: &str) -> Option<String> {
    configured.or_else(|| std::env::var(env).ok()).filter(|v| !v.trim().is_empty())
}

pub(crate) fn refused(attr: &'static str, summary: &str, detail: String) -> Diagnostics {
    Diagnostic::error(summary, detail).at(AttributePath::attr(attr)).into()
}

/// A setting that was checked at plan time when it came from the
/// configuration, checked here again since it may come from `env`: one
/// validation for every source of a value.
pub(crate) fn checked(
    value: Option<String>,
    attr: &'static str,
    env: &str,
    check: crate::provider::model::Check,
) -> Result<Option<String>, Diagnostics> {
    match &value {
        Some(v) => check(v)
            .map(|()| value.clone())
            .map_err(|problem| refused(attr, &format!("Invalid {attr}"), format!("{attr} (or {env}) {problem}"))),
        None => Ok(None),
    }
}

/// Whether plain HTTP to another host is allowed: the block's
/// `insecure_http`, else its environment variable.
pub(crate) fn insecure_http(configured: Option<bool>) -> Result<bool, Diagnostics> {
    match configured {
        Some(v) => Ok(v),
        None => match std::env::var(ENV_INSECURE_HTTP).ok().as_deref().map(str::trim) {
            None | Some("") | Some("false") => Ok(false),
            Some("true") => Ok(true),
            Some(other) => Err(refused(
                attr!(ProviderConfig, insecure_http),
                "Invalid insecure_http",
                format!("{ENV_INSECURE_HTTP} must be true or false; got {other:?}."),
            )),
        },
    }
}

/// `allowed_project_ids` from the configuration, else the environment. Set
/// but empty is an error: a guard that guards nothing must not look like
/// one that is on.
pub(crate) fn allowed_projects(configured: Option<Vec<String>>) -> Result<Option<Vec<String>>, Diagnostics> {
    let attr = attr!(ProviderConfig, allowed_project_ids);
    let (ids, source) = match (configured, std::env::var(ENV_ALLOWED_PROJECT_IDS)) {
        (Some(list), _) => (list, attr.to_string()),
        (None, Ok(text)) => (
            text.split(',').map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect(),
            ENV_ALLOWED_PROJECT_IDS.to_string(),
        ),
        (None, Err(_)) => return Ok(None),
    };
    if ids.is_empty() {
        return Err(refused(
            attr,
            "Empty allowed_project_ids",
            format!("{source} is set but names no project. List the projects this provider may change, or unset it to allow every project."),
        ));
    }
    for id in &ids {
        if let Err(problem) = validators::project_id_entry(id) {
            return Err(refused(attr, "Invalid allowed_project_ids", format!("Every entry of {source} {problem}")));
        }
    }
    Ok(Some(ids))
}
