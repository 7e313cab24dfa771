//! `ory_oauth2_client`: an OAuth2 client of a project (Ory Hydra's admin
//! API). Attribute names are those of Ory's provider and of Hydra's
//! client object. What the configuration leaves out takes Hydra's default
//! on create and keeps its live value after.

mod model;

use async_trait::async_trait;

use crate::plugin::Diagnostics;
use crate::provider::client::ProjectTarget;
use crate::provider::client::{OryClient, Setting};
use crate::provider::errors::Error;

use crate::project_api::{ClientId, Server, TokenEndpointAuthMethod};
use crate::provider::adoption::{Finds, Found, InProject, Place};
use crate::provider::framework::self_hosted::Reaches;
use crate::provider::model::attr;
use crate::provider::typed::{Declared, ImportId, Plan, TypedResource};
pub use model::OAuth2ClientModel;

pub struct OAuth2ClientResource;

impl Declared for OAuth2ClientResource {
    fn reaches(&self) -> Reaches {
        Reaches::Servers(&[Server::HydraAdmin])
    }

    type Model = OAuth2ClientModel;

    fn type_name(&self) -> &'static str {
        "ory_oauth2_client"
    }

    fn summary(&self) -> &'static str {
        "an OAuth2 client"
    }

    fn description(&self) -> String {
        "An OAuth2 client of a project (Ory Hydra). Settings the configuration leaves out take Ory's defaults when the client is made and keep their live values after. The provider reaches the project's own API with a key of that project (see the provider's `project_api_key` and `mint_project_api_keys`).".into()
    }

    fn noun(&self) -> &'static str {
        "OAuth2 client"
    }

    fn validate(&self, config: &OAuth2ClientModel, diags: &mut Diagnostics) {
        crate::provider::framework::project_keys::check_credentials(
            &config.project_slug,
            &config.project_api_key,
            diags,
        );
        let keys = [
            (attr!(OAuth2ClientModel, jwks), config.jwks.is_some()),
            (attr!(OAuth2ClientModel, jwks_wo), config.jwks_wo.is_some()),
            (attr!(OAuth2ClientModel, jwks_uri), config.jwks_uri.is_some()),
        ];
        let set: Vec<&str> = keys.iter().filter(|(_, set)| *set).map(|(name, _)| *name).collect();
        if set.len() > 1 {
            diags.attr_error(
                set[1],
                "Two key sets",
                format!(
                    "{} are set; a client has one key set: set one of jwks, jwks_wo and jwks_uri.",
                    set.join(" and ")
                ),
            );
        }
        if config.client_secret_version.is_some()
            && config.token_endpoint_auth_method == Some(TokenEndpointAuthMethod::None)
        {
            diags.attr_error(
                attr!(OAuth2ClientModel, client_secret_version),
                "A public client has no secret to rotate",
                "With token_endpoint_auth_method = \"none\" the client has no secret; remove client_secret_version.",
            );
        }
    }

    fn describe(&self, m: &OAuth2ClientModel) -> String {
        let project = m
            .project()
            .map_or_else(|| "the provider's project or self-hosted servers".to_string(), |p| format!("project {p}"));
        match (&m.id, &m.client_name) {
            (Some(id), _) => format!("OAuth2 client {id} of {project}"),
            (None, Some(name)) => format!("OAuth2 client {name:?} of {project}"),
            (None, None) => format!("an OAuth2 client of {project}"),
        }
    }
}

#[async_trait]
impl TypedResource for OAuth2ClientResource {
    async fn find(&self, _: &OryClient, place: &Place<'_>, finds: &mut Finds) -> Result<(), crate::console::Error> {
        let Place::Project(at @ InProject { api: Some(api), .. }) = place else { return Ok(()) };
        for oauth2 in api.oauth2_clients().list().await? {
            let named = oauth2.body.client_name.as_deref().filter(|n| !n.is_empty()).unwrap_or("client");
            let import_id = format!("{}/{}", at.id(), oauth2.client_id);
            finds.add(Found::new(format!("{} {named}", at.name()), import_id));
        }
        Ok(())
    }

    fn import_id(&self) -> ImportId {
        // A client ID need not be a UUID: one chosen at creation is any text.
        ImportId::OwnedParsed {
            owner: attr!(OAuth2ClientModel, project_id),
            default: Setting::ProjectId,
            parse: |client_id| {
                (!client_id.trim().is_empty() && !client_id.contains('/')).then(|| {
                    crate::plugin::Value::object([(
                        attr!(OAuth2ClientModel, id),
                        crate::plugin::Value::string(client_id),
                    )])
                })
            },
            help: "<client_id>",
        }
    }

    /// A client found after a lost answer has lost its secret with it.
    fn adoptable(&self) -> bool {
        false
    }

    /// A changed `client_secret_version` (or one not known yet) plans a new
    /// secret, made by the update; the first one set after an import names
    /// the secret Ory holds, and plans none.
    async fn plan(&self, _client: &OryClient, plan: &mut Plan<'_, OAuth2ClientModel>) -> Result<(), Error> {
        let Some(prior) = &plan.prior else { return Ok(()) };
        let version_unknown = plan.config.unknown.contains("client_secret_version");
        let changed = version_unknown || plan.config.client_secret_version != prior.client_secret_version;
        if !plan.replacing.is_empty() || !changed {
            return Ok(());
        }
        if names_the_imported_secret(prior) {
            if let Some(version) = &plan.config.client_secret_version {
                plan.notes.warning(
                    "The secret is not rotated",
                    format!("client_secret_version {version:?} is taken as the version of the secret Ory holds for the imported client {}: nothing is sent, and the secret stays. Change client_secret_version to rotate it.", prior.id.as_deref().unwrap_or_default()),
                );
            }
            return Ok(());
        }
        plan.planned.client_secret = None;
        plan.planned.unknown.insert("client_secret");
        Ok(())
    }

    async fn create(
        &self,
        client: &OryClient,
        planned: OAuth2ClientModel,
        _: &mut Diagnostics,
    ) -> Result<OAuth2ClientModel, Error> {
        let api = client.api_of(&planned).await?;
        let made = api.oauth2_clients().create(&planned.body()).await?;
        let mut state = planned.with(made);
        state.client_secret = Some(state.client_secret.unwrap_or_default());
        Ok(state)
    }

    async fn read(
        &self,
        client: &OryClient,
        state: OAuth2ClientModel,
        _: &mut Diagnostics,
    ) -> Result<Option<OAuth2ClientModel>, Error> {
        let api = client.api_of(&state).await?;
        let found = api.oauth2_clients().find(&ClientId::from(state.id.as_deref().unwrap_or_default())).await?;
        Ok(found.map(|c| state.with(c)))
    }

    /// Sends the whole client back, what the resource does not model as
    /// Ory holds it: `setOAuth2Client` replaces what it is given.
    async fn update(
        &self,
        client: &OryClient,
        prior: OAuth2ClientModel,
        planned: OAuth2ClientModel,
        _: &mut Diagnostics,
    ) -> Result<OAuth2ClientModel, Error> {
        // Only the version of an imported client's secret: a state change.
        if names_the_imported_secret(&prior) && planned.body() == prior.body() {
            return Ok(OAuth2ClientModel { client_secret_version: planned.client_secret_version, ..prior });
        }
        let api = client.api_of(&planned).await?;
        let clients = api.oauth2_clients();
        let id = prior.id.as_deref().unwrap_or_default();
        let live = clients.get(&ClientId::from(id)).await?;
        let mut body = planned.body();
        let mut kept = live.as_body().other;
        kept.extend(std::mem::take(&mut body.other));
        kept.remove("client_id");
        body.other = kept;
        let rotates =
            planned.client_secret_version != prior.client_secret_version && !names_the_imported_secret(&prior);
        let rotated = rotates.then(new_secret);
        body.client_secret = rotated.clone();
        let set = clients.set(&ClientId::from(id), &body).await?;
        let mut state = planned.with(set);
        state.client_secret = rotated.or(prior.client_secret);
        // Ory Hydra v2.3.0 answers a replace with the time of the replace as
        // `created_at` (its reads keep the first): a client is made once.
        state.created_at = prior.created_at.or(state.created_at);
        Ok(state)
    }

    async fn delete(&self, client: &OryClient, prior: OAuth2ClientModel, _: &mut Diagnostics) -> Result<(), Error> {
        let api = client.api_of(&prior).await?;
        Ok(api.oauth2_clients().delete(&ClientId::from(prior.id.as_deref().unwrap_or_default())).await?)
    }
}

/// An imported client: no secret in the state (Ory shows it only when the
/// client is made) and no version yet. The first `client_secret_version`
/// it is given names the secret Ory holds.
fn names_the_imported_secret(prior: &OAuth2ClientModel) -> bool {
    prior.client_secret.is_none() && prior.client_secret_version.is_none()
}

/// A client secret the provider makes: 32 bytes from the operating system's
/// generator, base64url. Hidden from every log line from now on.
fn new_secret() -> String {
    use base64::Engine;
    let bytes: [u8; 32] = rand::random();
    let secret = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
    crate::secrets::learn(&secret);
    secret
}

#[cfg(test)]
mod tests;
