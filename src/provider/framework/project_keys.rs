//! How the provider opens each project's own API, with no provider block
//! per project. A resource names its project (`project_id`); the API of
//! that project is opened:
//!
//! - with the provider's `project_api_key` and `project_slug` (the style of
//!   Ory's provider), for the provider's own project (a resource without
//!   `project_id`, or with the provider's `project_id`);
//! - else, unless `mint_project_api_keys = false`, with a key the provider
//!   makes for itself with the workspace key: named [`MINTED_KEY_NAME`],
//!   expiring within the hour, never shown or logged, and deleted when the
//!   provider process ends (a killed process leaves it to expire).
//!
//! One key per project and process, made once however many resources ask
//! at the same time.

use crate::plugin::Diagnostics;
use crate::provider::framework::config::{checked, refused, setting, ProviderConfig};
use crate::provider::framework::setting::{
    ENV_INSECURE_HTTP, ENV_MINT_PROJECT_API_KEYS, ENV_PROJECT_API_KEY, ENV_PROJECT_API_URL, ENV_PROJECT_SLUG,
};
use crate::provider::model::attr;
use crate::provider::validators;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use crate::console::{self, ApiKeyId, Owner, ProjectId};
use crate::project_api::ProjectApi;
use crate::provider::errors::Error;

pub use crate::provider::framework::setting::MINTED_KEY_NAME;

/// How long a minted key lives: past any one run's need for it, short
/// enough that a key a killed run left behind soon stops working.
const MINTED_KEY_LIFETIME: chrono::Duration = chrono::Duration::minutes(60);

/// The provider's own project key, as Ory's provider takes it.
#[derive(Clone)]
pub struct ConfiguredKey {
    pub slug: String,
    pub key: String,
}

/// The keys this process made, to delete when it ends.
#[derive(Default)]
pub struct Minted {
    keys: Mutex<Vec<(String, String)>>,
    console: Mutex<Option<console::Client>>,
}

impl Minted {
    fn record(&self, console: &console::Client, project: &str, key: &str) {
        self.keys.lock().unwrap_or_else(|p| p.into_inner()).push((project.to_string(), key.to_string()));
        self.console.lock().unwrap_or_else(|p| p.into_inner()).get_or_insert_with(|| console.unstoppable());
    }

    /// Whether `key_id` is a key this process made and has not deleted yet.
    pub fn holds(&self, key_id: &str) -> bool {
        self.keys.lock().unwrap_or_else(|p| p.into_inner()).iter().any(|(_, key)| key == key_id)
    }

    /// Deletes every key this process made; what fails is left to expire,
    /// and said in the log.
    pub async fn delete_all(&self) {
        let keys = std::mem::take(&mut *self.keys.lock().unwrap_or_else(|p| p.into_inner()));
        let Some(console) = self.console.lock().unwrap_or_else(|p| p.into_inner()).clone() else { return };
        let deletes = keys.iter().map(|(project, key)| {
            let console = &console;
            async move {
                if let Err(e) = console.api_keys(Owner::Project(ProjectId::from(project))).delete(&ApiKeyId::from(key)).await {
                    tracing::warn!(project, key, error = %e, "could not delete the temporary project key; it expires within the hour");
                }
            }
        });
        futures::future::join_all(deletes).await;
    }
}

/// The project APIs this process opened, by project.
pub struct ProjectKeys {
    pub template: String,
    pub configured: Option<ConfiguredKey>,
    pub mint: bool,
    /// The transport's settings (timeouts, retries, the interrupt).
    pub transport: crate::http::Settings,
    /// The console API's URL: keys it makes go only to project APIs beside it.
    pub console_url: String,
    pub minted: Arc<Minted>,
    opened: Mutex<HashMap<String, Arc<tokio::sync::OnceCell<ProjectApi>>>>,
    /// Project slugs, by project: read once, however many ask at once.
    slugs: Mutex<HashMap<String, Arc<tokio::sync::OnceCell<String>>>>,
}

impl ProjectKeys {
    pub fn new(
        template: String,
        configured: Option<ConfiguredKey>,
        mint: bool,
        (transport, console_url): (crate::http::Settings, String),
        minted: Arc<Minted>,
    ) -> ProjectKeys {
        ProjectKeys {
            template,
            configured,
            mint,
            transport,
            console_url,
            minted,
            opened: Mutex::default(),
            slugs: Mutex::default(),
        }
    }

    /// The API of `project` (`None`: the provider's own), opened once.
    ///
    /// The provider's project key serves the project its `project_slug`
    /// names. When a project ID is known (the resource's, else the
    /// provider's `project_id`) and a workspace key can read that project,
    /// its slug is checked first: a key and slug of another project are
    /// refused before any call, never used for this one.
    pub async fn open(
        &self,
        console: &console::Client,
        project: Option<&str>,
        provider_project: Option<&str>,
    ) -> Result<ProjectApi, Error> {
        let target = project.or(provider_project);
        let own = match (&self.configured, target) {
            (None, _) => false,
            (Some(configured), None) => {
                self.guard_key_project(console, &configured.slug).await?;
                true
            }
            (Some(configured), Some(id)) => {
                console.check_project(id).map_err(Error::from)?;
                if !console.has_api_key() {
                    // Ory's provider's style, a project key alone: no
                    // workspace key can read which project the slug is.
                    project.is_none() || project == provider_project
                } else {
                    let slug = self.slug(console, id).await?;
                    let named_apart = project.is_some() && project != provider_project;
                    if slug != configured.slug && !named_apart {
                        return Err(Error::refused(
                            "project_slug is of another project",
                            format!("Project {id} has slug {slug:?}, but project_slug (ORY_PROJECT_SLUG) is {:?}: project_api_key and project_slug belong to another project than project_id. Nothing was sent to either project's API. Set project_slug and project_api_key of project {id}, or the project_id of the project they belong to.", configured.slug),
                        ));
                    }
                    slug == configured.slug
                }
            }
        };
        let slot = if own { String::new() } else { target.ok_or_else(no_project)?.to_string() };
        let cell = self.opened.lock().unwrap_or_else(|p| p.into_inner()).entry(slot.clone()).or_default().clone();
        let api = cell
            .get_or_try_init(|| async {
                match (&self.configured, target) {
                    (Some(configured), _) if own => self.api(&configured.slug, &configured.key),
                    (_, Some(project)) => self.mint(console, project).await,
                    _ => Err(no_project()),
                }
            })
            .await?;
        Ok(api.clone())
    }

    /// With `allowed_project_ids`, the project a configured key is of must
    /// be allowed too, though no ID names it: its slug is looked up among
    /// the projects the workspace key sees, once per process.
    async fn guard_key_project(&self, console: &console::Client, slug: &str) -> Result<(), Error> {
        let Some(allowed) = console.allowed_project_ids() else { return Ok(()) };
        let known = self
            .slugs
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .iter()
            .find(|(_, s)| s.get().is_some_and(|s| s == slug))
            .map(|(id, _)| id.clone());
        let id = match known {
            Some(id) => id,
            None if !console.has_api_key() => {
                return Err(Error::refused(
                    "Which project is project_slug?",
                    format!("allowed_project_ids ({}) is set, and without a workspace API key the provider cannot tell which project project_slug {slug:?} is, so nothing was sent. Set the workspace API key too, or this resource's project_id.", allowed.join(", ")),
                ))
            }
            None => {
                let listed = console.projects().list().await.map_err(|e| Error::doing(e, "Listing projects to find project_slug's"))?;
                let found = listed.into_iter().find(|p| p.slug == slug).ok_or_else(|| {
                    Error::refused(
                        "Unknown project_slug",
                        format!("No project the workspace API key sees has slug {slug:?} (project_slug, ORY_PROJECT_SLUG), so allowed_project_ids cannot be checked; nothing was sent."),
                    )
                })?;
                let known = tokio::sync::OnceCell::new_with(Some(slug.to_string()));
                self.slugs.lock().unwrap_or_else(|p| p.into_inner()).insert(found.id.to_string(), Arc::new(known));
                found.id.to_string()
            }
        };
        console.check_project(&id).map_err(Error::from)
    }

    /// The API of the project with slug `slug` through the provider's own
    /// project key, when the key is of that project; never a key made.
    pub fn configured_for(&self, slug: &str) -> Option<Result<ProjectApi, console::Error>> {
        let configured = self.configured.as_ref().filter(|c| c.slug == slug)?;
        Some(ProjectApi::new(&self.template, slug, &configured.key, &self.transport))
    }

    /// The API of `project` (`None`: the provider's own) with no key, for
    /// its public endpoints (dynamic client registration): no key is made.
    pub async fn open_public(
        &self,
        console: &console::Client,
        project: Option<&str>,
        provider_project: Option<&str>,
    ) -> Result<ProjectApi, Error> {
        let own = self.configured.as_ref().filter(|_| project.is_none() || project == provider_project);
        let slug = match (own, project) {
            (Some(configured), _) => configured.slug.clone(),
            (None, Some(project)) => self.slug(console, project).await?,
            (None, None) => return Err(no_project()),
        };
        self.api(&slug, "")
    }

    /// The slug of `project`, read once per process (single flight: the
    /// resources of one project that open its API at once share the read),
    /// from the project listing a refresh of the project reads anyway, or
    /// from the project when the listing does not show it or fails.
    async fn slug(&self, console: &console::Client, project: &str) -> Result<String, Error> {
        let cell = self.slugs.lock().unwrap_or_else(|p| p.into_inner()).entry(project.to_string()).or_default().clone();
        let slug = cell
            .get_or_try_init(|| async {
                let id = ProjectId::from(project);
                // A listing that fails (or does not show it) is no answer about
                // this project: its own read is.
                let read = match console.projects().find(&id).await {
                    Ok(Some(listed)) => Ok(listed.slug),
                    Ok(None) | Err(_) => console.projects().get(&id).await.map(|p| p.slug),
                };
                read.map_err(|e| Error::doing(e, format!("Reading project {project}'s slug")))
            })
            .await?;
        Ok(slug.clone())
    }

    /// The API of the project with slug `slug`, through `key`, the
    /// credentials a resource sets itself (as Ory's provider takes them).
    /// When a project ID is known (the resource's, else the provider's)
    /// and a workspace key can read it, the slug must be that project's.
    pub async fn open_with(
        &self,
        console: &console::Client,
        project: Option<&str>,
        provider_project: Option<&str>,
        slug: &str,
        key: &str,
    ) -> Result<ProjectApi, Error> {
        crate::secrets::learn(key);
        if let Some(id) = project.or(provider_project) {
            console.check_project(id).map_err(Error::from)?;
            if console.has_api_key() {
                let actual = self.slug(console, id).await?;
                if actual != slug {
                    return Err(Error::refused(
                        "project_slug is of another project",
                        format!("Project {id} has slug {actual:?}, but this resource's project_slug is {slug:?}: its project_api_key and project_slug belong to another project. Nothing was sent to either project's API. Set this resource's project_slug and project_api_key of project {id}, or its project_id to the project they belong to."),
                    ));
                }
            }
        } else {
            self.guard_key_project(console, slug).await?;
        }
        self.api(slug, key)
    }

    /// The API of the project with slug `slug`, with no key.
    pub fn public(&self, slug: &str) -> Result<ProjectApi, Error> {
        self.api(slug, "")
    }

    fn api(&self, slug: &str, key: &str) -> Result<ProjectApi, Error> {
        ProjectApi::new(&self.template, slug, key, &self.transport).map_err(Error::from)
    }

    async fn mint(&self, console: &console::Client, project: &str) -> Result<ProjectApi, Error> {
        if !self.mint {
            return Err(Error::refused(
                "No key for this project's API",
                format!("Project {project}'s own API needs a project API key. mint_project_api_keys is false, and the provider's project_api_key serves only the project of its project_slug. Set project_api_key and project_slug (ORY_PROJECT_API_KEY, ORY_PROJECT_SLUG) of this project, or let the provider make a temporary key (mint_project_api_keys = true)."),
            ));
        }
        self.same_place()?;
        let slug = self.slug(console, project).await?;
        let expires = (chrono::Utc::now() + MINTED_KEY_LIFETIME).to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        let made = console
            .api_keys(Owner::Project(ProjectId::from(project)))
            .create(MINTED_KEY_NAME, Some(&expires))
            .await
            .map_err(|e| Error::doing(e, format!("Making a temporary API key for project {project}")))?;
        self.minted.record(console, project, &made.id);
        let Some(value) = made.value else {
            return Err(Error::refused(
                "No key value",
                format!("Ory made temporary key {} for project {project} without showing its value.", made.id),
            ));
        };
        crate::secrets::learn(&value);
        tracing::debug!(project, key = made.id.as_str(), "made a temporary project API key");
        self.api(&slug, &value)
    }
}

impl ProjectKeys {
    /// A key made by the console API goes only to project APIs beside it:
    /// one made by an emulator on this machine never to Ory Network, and
    /// the reverse. Checked before the key is made.
    fn same_place(&self) -> Result<(), Error> {
        let local = |url: &str| reqwest::Url::parse(url).is_ok_and(|u| crate::http::is_loopback(&u));
        let console_local = local(&self.console_url);
        if console_local == local(&crate::project_api::url_for(&self.template, "slug")) {
            return Ok(());
        }
        let (here, there) =
            if console_local { ("on this machine", "is not") } else { ("elsewhere", "is on this machine") };
        Err(Error::refused(
            "The project API is not beside the console API",
            format!("The console API ({}) is {here}, but project_api_url ({}) {there}: a project key made by the one would be sent to the other, so none was made. Set project_api_url (ORY_PROJECT_API_URL) to the project API beside the console API; the emulator's --print-env and startup line give its own.", self.console_url, self.template),
        ))
    }
}

fn no_project() -> Error {
    Error::refused(
        "Which project?",
        "This resource needs a project: set its project_id, or the provider's project_id, or the provider's project_slug and project_api_key (ORY_PROJECT_SLUG, ORY_PROJECT_API_KEY).".to_string(),
    )
}

/// Ory's provider's per-resource credentials: a resource's own
/// `project_slug` and `project_api_key`.
pub fn slug_field() -> crate::provider::model::Field {
    crate::provider::model::optional(
        "The slug of the project whose API this resource uses, with `project_api_key`: credentials of this resource alone, as Ory's provider takes them. Left out: the provider's. When the project's ID is known (this resource's `project_id` or the provider's) and the workspace key can read it, the slug must be that project's.",
    )
    .check(crate::provider::validators::non_empty)
}

pub fn key_field() -> crate::provider::model::Field {
    crate::provider::model::optional(
        "A project API key (`ory_pat_...`) of the project of `project_slug`, for this resource alone. Sensitive, and kept in the state.",
    )
    .check(crate::provider::validators::non_empty)
    .sensitive()
}

/// Both of a resource's credentials, or neither.
pub fn check_credentials(slug: &Option<String>, key: &Option<String>, diags: &mut crate::plugin::Diagnostics) {
    let (given, missing) = match (slug, key) {
        (Some(_), None) => ("project_slug", "project_api_key"),
        (None, Some(_)) => ("project_api_key", "project_slug"),
        _ => return,
    };
    diags.attr_error(
        missing,
        "Half of the resource's credentials",
        format!("{given} is set without {missing}: set both, or neither to use the provider's."),
    );
}

/// How project APIs are reached: the URL template, the provider's own
/// project key, and whether keys may be minted.
pub(crate) fn configure(
    config: &ProviderConfig,
    insecure: bool,
    transport: (crate::http::Settings, String),
    minted: std::sync::Arc<crate::provider::framework::project_keys::Minted>,
) -> Result<ProjectKeys, Diagnostics> {
    let url_attr = attr!(ProviderConfig, project_api_url);
    let template = setting(config.project_api_url.clone(), ENV_PROJECT_API_URL)
        .unwrap_or_else(|| crate::project_api::DEFAULT_URL_TEMPLATE.into());
    let template =
        checked(Some(template), url_attr, ENV_PROJECT_API_URL, validators::project_api_url)?.unwrap_or_default();
    // Project keys get the same protection as the workspace key.
    let plain_remote = reqwest::Url::parse(&crate::project_api::url_for(&template, "slug"))
        .is_ok_and(|url| url.scheme() == "http" && !crate::http::is_loopback(&url));
    if plain_remote && !insecure {
        return Err(refused(
            url_attr,
            "Plain HTTP to another host",
            format!("project_api_url {template:?} is plain http:// to a host other than this machine, so project API keys would travel unencrypted. Use https://, or set insecure_http = true ({ENV_INSECURE_HTTP}=true) if this network is trusted."),
        ));
    }
    let key_attr = attr!(ProviderConfig, project_api_key);
    let key = checked(
        setting(config.project_api_key.clone(), ENV_PROJECT_API_KEY),
        key_attr,
        ENV_PROJECT_API_KEY,
        validators::api_key,
    )?;
    let slug_attr = attr!(ProviderConfig, project_slug);
    let slug = checked(
        setting(config.project_slug.clone(), ENV_PROJECT_SLUG),
        slug_attr,
        ENV_PROJECT_SLUG,
        validators::project_slug,
    )?;
    let configured = match (key, slug) {
        (Some(key), Some(slug)) => {
            crate::secrets::learn(&key);
            Some(ConfiguredKey { slug, key })
        }
        (None, None) => None,
        (Some(_), None) => {
            return Err(refused(
                slug_attr,
                "Missing project_slug",
                format!(
                "project_api_key needs project_slug ({ENV_PROJECT_SLUG}): the slug of the project the key belongs to."
            ),
            ))
        }
        (None, Some(_)) => {
            return Err(refused(
                key_attr,
                "Missing project_api_key",
                format!("project_slug needs project_api_key ({ENV_PROJECT_API_KEY}), a key of that project."),
            ))
        }
    };
    let mint = match config.mint_project_api_keys {
        Some(v) => v,
        None => match std::env::var(ENV_MINT_PROJECT_API_KEYS).ok().as_deref().map(str::trim) {
            None | Some("") | Some("true") => true,
            Some("false") => false,
            Some(other) => {
                return Err(refused(
                    attr!(ProviderConfig, mint_project_api_keys),
                    "Invalid mint_project_api_keys",
                    format!("{ENV_MINT_PROJECT_API_KEYS} must be true or false; got {other:?}."),
                ))
            }
        },
    };
    Ok(ProjectKeys::new(template, configured, mint, transport, minted))
}
