//! `ory_oidc_dynamic_client`: an OAuth2 client registered through OpenID
//! Connect Dynamic Client Registration (RFC 7591 and 7592), with the
//! attribute names of Ory's provider. Registering needs no project key; the
//! registration access token it answers with (sensitive, in the state) is
//! what reads, updates and deletes the client, and each update replaces it.
//! Unlike Ory's provider, which manages the client through the admin API
//! after registering it, only an imported client (whose token Ory never
//! shows again) is reached with a project key.

use async_trait::async_trait;

use crate::plugin::Diagnostics;
use crate::project_api::{ClientId, Server};
use crate::project_api::{
    GrantType, OAuth2Client, OAuth2ClientBody, Registered, ResponseType, TokenEndpointAuthMethod,
};
use crate::provider::client::{OryClient, Setting};
use crate::provider::errors::Error;
use crate::provider::framework::self_hosted::Reaches;
use crate::provider::model::{computed, model, optional_computed, Fallback};
use crate::provider::typed::{Declared, ImportId, Plan, TypedResource};
use crate::provider::validators;

model! {
    pub struct DynamicClientModel {
        id: String = computed("The client's ID, as `client_id`."),
        project_id: String = optional_computed(
            "The project. Defaults to the provider's `project_id`; with neither, the provider's `project_slug`. Registration needs no project key. Changing it replaces the client."
        )
        .check(validators::uuid)
        .default(Fallback::ProviderIfSet(Setting::ProjectId))
        .force_new(),
        project_slug: String = crate::provider::framework::project_keys::slug_field(),
        project_api_key: String = crate::provider::framework::project_keys::key_field(),
        client_id: String = computed("The client's ID, which Ory chooses."),
        client_name: String = optional_computed("The name people see on the consent screen."),
        grant_types: Vec<GrantType> = optional_computed("The OAuth2 grant types the client may use. Ory's default: `[\"authorization_code\"]`.")
            .one_of(GrantType::NAMES)
            .distinct(),
        response_types: Vec<ResponseType> = optional_computed("The response types the client may use. Ory's default: `[\"code\"]`.")
            .one_of(ResponseType::NAMES)
            .distinct(),
        scope: String = optional_computed("The scopes the client may ask for, separated by spaces."),
        redirect_uris: Vec<String> = optional_computed("Where Ory may send the user back: absolute URIs without a fragment.")
            .check(validators::redirect_uri)
            .distinct(),
        token_endpoint_auth_method: TokenEndpointAuthMethod = optional_computed(
            "How the client authenticates at the token endpoint; `none` registers a public client, without a secret. Ory's default: `client_secret_basic`. Changing it replaces the client."
        )
        .one_of(TokenEndpointAuthMethod::NAMES)
        .force_new(),
        client_secret: String = computed("The client's secret, which Ory chooses and shows once, at registration: kept in the state as sensitive. Null after an import.").sensitive(),
        registration_access_token: String = computed(
            "The registration access token: the bearer that reads, updates and deletes this client (RFC 7592). Ory replaces it on every update, so it changes with each apply that changes the client. Null after an import: the client is then reached with a project key."
        )
        .sensitive()
        .follows_changes(),
        registration_client_uri: String = computed("Where the client's registration is read, updated and deleted."),
    }
}

crate::provider::client::project_target!(DynamicClientModel);

impl DynamicClientModel {
    /// What the configuration sets, over `base`: Ory's defaults for a
    /// registration, the live client for an update.
    fn over(&self, base: OAuth2ClientBody) -> OAuth2ClientBody {
        fn set<T: Clone>(mine: &Option<T>, theirs: Option<T>) -> Option<T> {
            mine.clone().or(theirs)
        }
        OAuth2ClientBody {
            client_name: set(&self.client_name, base.client_name),
            grant_types: set(&self.grant_types, base.grant_types),
            response_types: set(&self.response_types, base.response_types),
            scope: set(&self.scope, base.scope),
            redirect_uris: set(&self.redirect_uris, base.redirect_uris),
            token_endpoint_auth_method: set(&self.token_endpoint_auth_method, base.token_endpoint_auth_method),
            ..base
        }
    }

    /// The state from Ory's client; secrets as `self` holds them.
    fn with(&self, c: OAuth2Client) -> DynamicClientModel {
        let b = c.body;
        DynamicClientModel {
            id: Some(c.client_id.to_string()),
            project_id: self.project_id.clone(),
            project_slug: self.project_slug.clone(),
            project_api_key: self.project_api_key.clone(),
            client_id: Some(c.client_id.to_string()),
            client_name: b.client_name,
            grant_types: b.grant_types,
            response_types: b.response_types,
            scope: b.scope,
            redirect_uris: b.redirect_uris,
            token_endpoint_auth_method: b.token_endpoint_auth_method,
            client_secret: self.client_secret.clone(),
            registration_access_token: self.registration_access_token.clone(),
            registration_client_uri: self.registration_client_uri.clone(),
            ..DynamicClientModel::default()
        }
    }

    fn registered(&self, r: Registered) -> DynamicClientModel {
        let mut next = self.with(r.client);
        next.registration_access_token = Some(r.registration_access_token);
        next.registration_client_uri = r.registration_client_uri.or(next.registration_client_uri);
        if r.client_secret.is_some() {
            next.client_secret = r.client_secret;
        }
        next
    }
}

pub struct DynamicClientResource;

impl Declared for DynamicClientResource {
    fn reaches(&self) -> Reaches {
        Reaches::Servers(&[Server::HydraPublic, Server::HydraAdmin])
    }

    type Model = DynamicClientModel;

    fn validate(&self, config: &DynamicClientModel, diags: &mut Diagnostics) {
        crate::provider::framework::project_keys::check_credentials(
            &config.project_slug,
            &config.project_api_key,
            diags,
        );
    }

    fn type_name(&self) -> &'static str {
        "ory_oidc_dynamic_client"
    }

    fn summary(&self) -> &'static str {
        "an OAuth2 client registered by OIDC dynamic registration"
    }

    fn description(&self) -> String {
        "An OAuth2 client registered through OpenID Connect Dynamic Client Registration (RFC 7591), with no project key: the project must allow it (`ory_project_config`'s `oauth2_config`, `oidc.dynamic_client_registration.enabled`). Its registration access token (sensitive) reads, updates and deletes it, and is replaced by each update. An imported client, whose token Ory never shows again, is reached with a project key instead.".into()
    }

    fn noun(&self) -> &'static str {
        "dynamic OAuth2 client"
    }

    fn describe(&self, m: &DynamicClientModel) -> String {
        match (&m.id, &m.client_name) {
            (Some(id), _) => format!("dynamic OAuth2 client {id}"),
            (None, Some(name)) => format!("dynamic OAuth2 client {name:?}"),
            (None, None) => "a dynamic OAuth2 client".into(),
        }
    }
}

/// The client whose registration access token got a 401, read through
/// the admin API with a project key: `None` when it is gone. Found, it is
/// managed that way from then on, as an imported client is: its token was
/// replaced by an update whose answer was lost, or by a change outside
/// Terraform, and Ory shows no token again.
async fn unopened(
    client: &OryClient,
    m: &DynamicClientModel,
    id: &str,
    notes: &mut Diagnostics,
) -> Result<Option<OAuth2Client>, Error> {
    let api = client.api_of(m).await?;
    let found = api.oauth2_clients().find(&ClientId::from(id)).await?;
    if found.is_some() {
        notes.warning(
            "Reached with a project key from now on",
            format!("Dynamic OAuth2 client {id} exists, but the registration access token in the state no longer opens it: an update's answer was lost after Ory replaced the token, or the client was updated outside Terraform. The state no longer holds a token, and the provider reads, changes and deletes the client with a project key, as for an imported client."),
        );
    }
    Ok(found)
}

/// A state that no longer holds a token: reached with a project key.
fn without_token(m: DynamicClientModel) -> DynamicClientModel {
    let mut m = m;
    m.unknown.remove("registration_access_token");
    DynamicClientModel { registration_access_token: None, ..m }
}

#[async_trait]
impl TypedResource for DynamicClientResource {
    fn import_id(&self) -> ImportId {
        ImportId::Owned { id: "id", owner: "project_id", label: "client_id", default: Some(Setting::ProjectId) }
    }

    /// Ory shows a registration's secret and token only in its answer: a
    /// client found after a lost answer could never be owned.
    fn adoptable(&self) -> bool {
        false
    }

    /// An imported client has no token, and an update through the admin
    /// API gives it none: only a token the state holds is replaced.
    async fn plan(&self, _client: &OryClient, plan: &mut Plan<'_, DynamicClientModel>) -> Result<(), Error> {
        if plan.replacing.is_empty()
            && plan.prior.as_ref().is_some_and(|prior| prior.registration_access_token.is_none())
        {
            plan.planned.unknown.remove("registration_access_token");
            plan.planned.registration_access_token = None;
        }
        Ok(())
    }

    async fn create(
        &self,
        client: &OryClient,
        planned: DynamicClientModel,
        _: &mut Diagnostics,
    ) -> Result<DynamicClientModel, Error> {
        let api = client.public_api_of(&planned).await?;
        let made = api.dynamic_clients().register(&planned.over(OAuth2ClientBody::default())).await.map_err(|e| match e.status() {
            Some(404) => Error::refused(
                "Dynamic client registration is off",
                format!("The project does not allow dynamic client registration ({e}). Turn it on in ory_project_config: oauth2_config = jsonencode({{ oidc = {{ dynamic_client_registration = {{ enabled = true }} }} }}), and make this resource depend on it."),
            ),
            _ => e.into(),
        })?;
        Ok(planned.registered(made))
    }

    async fn read(
        &self,
        client: &OryClient,
        state: DynamicClientModel,
        notes: &mut Diagnostics,
    ) -> Result<Option<DynamicClientModel>, Error> {
        let id = ClientId::from(state.id.as_deref().unwrap_or_default());
        if let Some(token) = state.registration_access_token.as_deref() {
            let api = client.public_api_of(&state).await?;
            return match api.dynamic_clients().get(&id, token).await {
                Ok(found) => Ok(Some(state.with(found))),
                Err(e) if e.status() == Some(401) => {
                    let found = unopened(client, &state, &id, notes).await?;
                    Ok(found.map(|c| without_token(state.with(c))))
                }
                Err(e) => Err(e.into()),
            };
        }
        let found = client.api_of(&state).await?.oauth2_clients().find(&id).await?;
        Ok(found.map(|c| state.with(c)))
    }

    async fn update(
        &self,
        client: &OryClient,
        prior: DynamicClientModel,
        planned: DynamicClientModel,
        notes: &mut Diagnostics,
    ) -> Result<DynamicClientModel, Error> {
        let id = ClientId::from(prior.id.as_deref().unwrap_or_default());
        let kept = DynamicClientModel {
            client_secret: prior.client_secret.clone(),
            registration_access_token: prior.registration_access_token.clone(),
            registration_client_uri: prior.registration_client_uri.clone(),
            ..planned
        };
        let gone = || {
            Error::refused(
                "It is gone",
                format!("Dynamic OAuth2 client {id} no longer exists. Nothing was changed. Run terraform apply again to register it."),
            )
        };
        // Ory replaces a client whole: what this resource does not model
        // (lifespans, contacts, ...) is sent back as Ory holds it.
        if let Some(token) = prior.registration_access_token.as_deref() {
            let api = client.public_api_of(&prior).await?;
            let through_token = match api.dynamic_clients().get(&id, token).await {
                Ok(live) => api.dynamic_clients().set(&id, token, &kept.over(live.as_body())).await,
                Err(e) => Err(e),
            };
            match through_token {
                Ok(updated) => return Ok(kept.registered(updated)),
                // The token no longer opens it (a resend after a lost
                // answer meets the token that answer replaced): the
                // update goes through the admin API instead.
                Err(e) if e.status() == Some(401) => {
                    unopened(client, &prior, &id, notes).await?.ok_or_else(gone)?;
                }
                Err(e) => return Err(e.into()),
            }
        }
        let api = client.api_of(&prior).await?;
        let live = api.oauth2_clients().find(&id).await?.ok_or_else(gone)?;
        let updated = api.oauth2_clients().set(&id, &kept.over(live.as_body())).await?;
        Ok(without_token(kept.with(updated)))
    }

    async fn delete(&self, client: &OryClient, prior: DynamicClientModel, _: &mut Diagnostics) -> Result<(), Error> {
        let id = ClientId::from(prior.id.as_deref().unwrap_or_default());
        if let Some(token) = prior.registration_access_token.as_deref() {
            let api = client.public_api_of(&prior).await?;
            match api.dynamic_clients().delete(&id, token).await {
                Ok(()) => return Ok(()),
                // Gone already, or its token replaced: the admin API deletes
                // it in the second case, and finds nothing in the first.
                Err(e) if e.status() == Some(401) => {}
                Err(e) => return Err(e.into()),
            }
        }
        Ok(client.api_of(&prior).await?.oauth2_clients().delete(&id).await?)
    }
}
