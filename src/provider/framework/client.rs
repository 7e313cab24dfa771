//! The provider block, and the configured client every resource receives.

use crate::console;
use crate::plugin::{Diagnostic, Diagnostics};
use crate::provider::framework::self_hosted;
use crate::provider::model::attr;
use crate::provider::validators;

use super::config::{allowed_projects, checked, insecure_http, refused, setting};
pub use super::config::{schema, ProviderConfig};
pub use super::setting::{
    Setting, ENV_ALLOWED_PROJECT_IDS, ENV_CONSOLE_API_URL, ENV_INSECURE_HTTP, ENV_MAX_RETRIES,
    ENV_MINT_PROJECT_API_KEYS, ENV_PROJECT_API_KEY, ENV_PROJECT_API_URL, ENV_PROJECT_ID, ENV_PROJECT_SLUG,
    ENV_REQUEST_TIMEOUT, ENV_WORKSPACE_API_KEY, ENV_WORKSPACE_ID,
};

impl Setting {
    pub fn of(self, client: &OryClient) -> Option<&str> {
        match self {
            Setting::ProjectId => client.project_id.as_deref(),
            Setting::WorkspaceId => client.workspace_id.as_deref(),
        }
    }
}

/// The configured provider, handed to every resource.
pub struct OryClient {
    pub console: console::Client,
    /// The provider-level `workspace_id`, the default for resources.
    pub workspace_id: Option<String>,
    /// The provider-level `project_id`, the default for project resources.
    pub project_id: Option<String>,
    /// The parts of project documents the resources planned so far own.
    pub claims: crate::provider::framework::ownership::Claims,
    /// The entries of the project documents' lists, by key, for reads.
    pub lists: crate::provider::framework::lists::ListIndexes,
    /// Each project's own API, opened on first use.
    pub project_keys: crate::provider::framework::project_keys::ProjectKeys,
    /// Self-hosted Ory's servers, when the provider block names them: then
    /// every data-plane resource reaches them, and nothing else is served.
    pub self_hosted: Option<crate::project_api::ProjectApi>,
}

impl OryClient {
    /// The API of `project` (`None`: the provider's own project).
    pub async fn project_api(
        &self,
        project: Option<&str>,
    ) -> Result<crate::project_api::ProjectApi, crate::provider::errors::Error> {
        if let Some(servers) = self.self_hosted_for(project.is_some())? {
            return Ok(servers);
        }
        self.project_keys.open(&self.console, project, self.project_id.as_deref()).await
    }

    /// Whether a resource that names no project reaches a project API: the
    /// provider's own (`project_api_key`), or self-hosted Ory.
    pub fn has_own_project_api(&self) -> bool {
        self.self_hosted.is_some() || self.project_keys.configured.is_some()
    }

    /// Self-hosted Ory's servers, when the provider block names them; an
    /// error when a resource names an Ory Network project all the same
    /// (plan time says so first, on the attribute).
    fn self_hosted_for(
        &self,
        names_project: bool,
    ) -> Result<Option<crate::project_api::ProjectApi>, crate::provider::errors::Error> {
        match &self.self_hosted {
            Some(_) if names_project => Err(crate::provider::errors::Error::refused(
                "Ory Network project with self-hosted Ory",
                "This resource names an Ory Network project (project_id, project_slug, project_api_key), and the provider block names self-hosted Ory servers, which have no projects. Nothing was sent.".to_string(),
            )),
            servers => Ok(servers.clone()),
        }
    }

    /// The API of a resource's project: through the credentials it sets
    /// itself, else as [`OryClient::project_api`] opens it.
    pub async fn api_of(
        &self,
        target: &(impl ProjectTarget + ?Sized),
    ) -> Result<crate::project_api::ProjectApi, crate::provider::errors::Error> {
        if let Some(servers) = self.self_hosted_for(target.names_project())? {
            return Ok(servers);
        }
        match target.credentials() {
            Some((slug, key)) => {
                self.project_keys
                    .open_with(&self.console, target.project(), self.project_id.as_deref(), slug, key)
                    .await
            }
            None => self.project_api(target.project()).await,
        }
    }

    /// [`OryClient::public_project_api`] of a resource's project.
    pub async fn public_api_of(
        &self,
        target: &(impl ProjectTarget + ?Sized),
    ) -> Result<crate::project_api::ProjectApi, crate::provider::errors::Error> {
        if let Some(servers) = self.self_hosted_for(target.names_project())? {
            return Ok(servers);
        }
        match target.credentials() {
            Some((slug, _)) => self.project_keys.public(slug),
            None => self.public_project_api(target.project()).await,
        }
    }

    /// The project's API with no key, for its public endpoints.
    pub async fn public_project_api(
        &self,
        project: Option<&str>,
    ) -> Result<crate::project_api::ProjectApi, crate::provider::errors::Error> {
        if let Some(servers) = self.self_hosted_for(project.is_some())? {
            return Ok(servers);
        }
        self.project_keys.open_public(&self.console, project, self.project_id.as_deref()).await
    }
}

/// A resource of a project's own API: its project, and the slug and key
/// it may set itself.
pub trait ProjectTarget {
    fn project(&self) -> Option<&str>;
    fn credentials(&self) -> Option<(&str, &str)>;

    /// Whether it names an Ory Network project, by ID or by its key.
    fn names_project(&self) -> bool {
        self.project().is_some() || self.credentials().is_some()
    }
}

/// Implements [`ProjectTarget`] for a model with `project_id`,
/// `project_slug` and `project_api_key`.
macro_rules! project_target {
    ($model:ty) => {
        impl $crate::provider::client::ProjectTarget for $model {
            fn project(&self) -> Option<&str> {
                self.project_id.as_deref()
            }
            fn credentials(&self) -> Option<(&str, &str)> {
                Some((self.project_slug.as_deref()?, self.project_api_key.as_deref()?))
            }
        }
    };
}
pub(crate) use project_target;

/// Where creates in flight are written down: beside Terraform's own data
/// for this working directory (`TF_DATA_DIR`, else `.terraform`), which
/// Terraform runs its providers in. None where that does not exist, such
/// as outside a working directory.
fn inflight_dir() -> Option<std::path::PathBuf> {
    let data = std::env::var_os("TF_DATA_DIR").map(std::path::PathBuf::from).unwrap_or_else(|| ".terraform".into());
    let data = std::env::current_dir().ok()?.join(data);
    data.is_dir().then(|| data.join("ory-inflight"))
}

/// A warning for the creates killed provider processes left in doubt in
/// this working directory, naming the objects that may be theirs. One
/// warning for all of them: Terraform folds warnings of one title into the
/// first.
pub async fn killed_creates(client: &OryClient) -> Diagnostics {
    let mut warnings = Diagnostics::new();
    let Some(dir) = inflight_dir() else { return warnings };
    let found = console::inflight::report(&client.console, &dir).await;
    if found.is_empty() {
        return warnings;
    }
    let lines: Vec<String> = found
        .iter()
        .map(|o| {
            format!(
                "- {} create(s) of {} {} by provider process {} (stopped at {}, trace {}): {}",
                o.creates,
                o.what,
                o.place,
                o.pid,
                o.since,
                o.file.display(),
                o.candidates.join(", ")
            )
        })
        .collect();
    warnings.push(Diagnostic::warning(
        "Objects an earlier run may have made and no state holds",
        format!(
            "A provider process was killed (kill -9, out of memory) or crashed without learning how some creates \
             ended. Since then these objects appeared where they were being made, and no finished create in this \
             working directory made them:\n{}\nThey may be that process's, which no Terraform state holds, or \
             another client's. Import the ones that belong to a resource (terraform import), delete the others in \
             the Ory console. This warning ends once none of them exists, or when its trace file is deleted.",
            lines.join("\n")
        ),
    ));
    warnings
}

/// Refuses a configuration whose `allowed_project_ids` is not yet known
/// (it comes from a resource not yet made): the provider would otherwise be
/// configured as if there were no guard.
pub fn guard_is_known(config: &crate::plugin::Value) -> Result<(), Diagnostics> {
    let attr = attr!(ProviderConfig, allowed_project_ids);
    let value = config.attr(attr);
    if value.is_unknown() || value.elements().iter().any(crate::plugin::Value::is_unknown) {
        return Err(refused(
            attr,
            "allowed_project_ids not known yet",
            "allowed_project_ids depends on a value Terraform will only know after apply. The guard must be known before the provider makes any call: use literal project IDs or variables.".into(),
        ));
    }
    Ok(())
}

/// The `User-Agent` of every request, as Terraform's own providers make
/// it: Terraform's version, this provider's, and what `TF_APPEND_USER_AGENT`
/// adds (left out when it is no header value: a line break, say).
pub fn user_agent(terraform_version: &str) -> String {
    let mut agent = match terraform_version {
        "" => crate::http::USER_AGENT.to_string(),
        version => format!("Terraform/{version} (+https://www.terraform.io) {}", crate::http::USER_AGENT),
    };
    let appended = std::env::var("TF_APPEND_USER_AGENT").unwrap_or_default();
    let appended = appended.trim();
    if !appended.is_empty() && reqwest::header::HeaderValue::from_str(appended).is_ok() {
        agent.push(' ');
        agent.push_str(appended);
    }
    agent
}

/// The workspace key of a provider block, checked; empty where none is
/// needed: a project key alone (Ory's provider's style: console calls then
/// say the workspace key is missing), or self-hosted Ory (its console is
/// refused at plan time).
fn workspace_key(config: &ProviderConfig) -> Result<String, Diagnostics> {
    let key_attr = attr!(ProviderConfig, workspace_api_key);
    let own_project_key = setting(config.project_api_key.clone(), ENV_PROJECT_API_KEY).is_some();
    let workspace_key = setting(config.workspace_api_key.clone(), ENV_WORKSPACE_API_KEY);
    // Ory's provider's style: a project key alone reaches its project's
    // API; console calls then say the workspace key is missing.
    let workspace_key = workspace_key.or_else(|| own_project_key.then(String::new));
    // Self-hosted Ory needs no workspace key: the console is refused at plan time.
    let workspace_key = workspace_key.or_else(|| self_hosted::named(config).then(String::new));
    let Some(api_key) = workspace_key else {
        return Err(refused(
            key_attr,
            "Missing workspace API key",
            format!(
                "The Ory provider needs a workspace API key (ory_wak_...). Set `workspace_api_key` in the provider \
                 block, or the {ENV_WORKSPACE_API_KEY} environment variable. Create one in the Ory console under \
                 Workspace settings > API keys."
            ),
        ));
    };
    let api_key = match api_key.is_empty() {
        true => api_key,
        false => checked(Some(api_key), key_attr, ENV_WORKSPACE_API_KEY, validators::api_key)?.unwrap_or_default(),
    };
    Ok(api_key)
}

/// The console API's URL of a provider block: checked, and never plain
/// HTTP to another host unless `insecure` allows it.
fn console_url(config: &ProviderConfig, insecure: bool) -> Result<String, Diagnostics> {
    let url_attr = attr!(ProviderConfig, console_api_url);
    let url =
        setting(config.console_api_url.clone(), ENV_CONSOLE_API_URL).unwrap_or_else(|| console::DEFAULT_URL.into());
    let url = checked(Some(url), url_attr, ENV_CONSOLE_API_URL, validators::console_url)?.unwrap_or_default();
    if let Ok(parsed) = reqwest::Url::parse(&url) {
        if parsed.scheme() == "http" && !crate::http::is_loopback(&parsed) && !insecure {
            return Err(refused(
                url_attr,
                "Plain HTTP to another host",
                format!(
                    "console_api_url {url:?} is plain http:// to a host other than this machine, so the workspace API key would travel unencrypted. Use https://, or set insecure_http = true ({ENV_INSECURE_HTTP}=true) if this network is trusted."
                ),
            ));
        }
    }
    Ok(url)
}

/// How every transport of this provider behaves: the user agent, the
/// interrupt, `max_retries` and `request_timeout`.
fn transport_settings(
    config: &ProviderConfig,
    terraform_version: &str,
    stop: tokio::sync::watch::Receiver<bool>,
) -> Result<crate::http::Settings, Diagnostics> {
    let mut settings =
        crate::http::Settings { user_agent: user_agent(terraform_version), stop: Some(stop), ..Default::default() };
    if let Some(text) = config.max_retries.as_ref().map(|n| n.0.clone()).or_else(|| std::env::var(ENV_MAX_RETRIES).ok())
    {
        let Some(n) = validators::parse_max_retries(&text) else {
            return Err(refused(
                attr!(ProviderConfig, max_retries),
                "Invalid max_retries",
                format!(
                    "max_retries ({ENV_MAX_RETRIES}) must be a whole number from 0 to {}; got {text:?}.",
                    crate::http::MAX_MAX_RETRIES
                ),
            ));
        };
        settings.max_retries = n;
    }
    let timeout_attr = attr!(ProviderConfig, request_timeout);
    let timeout = setting(config.request_timeout.clone(), ENV_REQUEST_TIMEOUT);
    if let Some(text) = checked(timeout, timeout_attr, ENV_REQUEST_TIMEOUT, validators::request_timeout)? {
        settings.request_timeout = validators::parse_request_timeout(&text).unwrap_or(settings.request_timeout);
    }
    Ok(settings)
}

impl OryClient {
    /// The client of a provider block (`config`, with the environment),
    /// for Terraform `terraform_version` (empty: not started by Terraform).
    pub fn configure(
        config: ProviderConfig,
        terraform_version: &str,
        stop: tokio::sync::watch::Receiver<bool>,
        minted: std::sync::Arc<crate::provider::framework::project_keys::Minted>,
    ) -> Result<OryClient, Diagnostics> {
        let data_plane = config.clone();
        let api_key = workspace_key(&config)?;
        // From the environment, the plugin layer never saw it: a server that
        // echoes the Authorization header must not show it either.
        crate::secrets::learn(&api_key);
        let insecure = insecure_http(config.insecure_http)?;
        let url = console_url(&config, insecure)?;
        let settings = transport_settings(&config, terraform_version, stop)?;
        let allowed_project_ids = allowed_projects(config.allowed_project_ids)?.map(|ids| ids.into_iter().collect());
        let project_keys = crate::provider::framework::project_keys::configure(
            &data_plane,
            insecure,
            (settings.clone(), url.clone()),
            minted,
        )?;
        let self_hosted = self_hosted::configure(&data_plane, insecure, &settings)?;
        // Self-hosted Ory has no workspaces or projects to default to.
        let network = |id: Option<String>| id.filter(|_| self_hosted.is_none());
        let console = console::Config {
            http: settings,
            allowed_project_ids,
            inflight_dir: inflight_dir(),
            ..console::Config::new(url, api_key)
        };
        let console = console::Client::new(console)
            .map_err(|e| Diagnostics::from(Diagnostic::error("Invalid provider configuration", e.to_string())))?;
        let workspace_attr = attr!(ProviderConfig, workspace_id);
        let project_attr = attr!(ProviderConfig, project_id);
        Ok(OryClient {
            console,
            workspace_id: checked(
                network(setting(config.workspace_id, ENV_WORKSPACE_ID)),
                workspace_attr,
                ENV_WORKSPACE_ID,
                validators::uuid,
            )?,
            project_id: checked(
                network(setting(config.project_id, ENV_PROJECT_ID)),
                project_attr,
                ENV_PROJECT_ID,
                validators::uuid,
            )?,
            claims: Default::default(),
            lists: Default::default(),
            project_keys,
            self_hosted,
        })
    }
}
