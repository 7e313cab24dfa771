//! `ory_oauth2_client` and `ory_oauth2_clients`: a project's OAuth2
//! clients, never their secrets.

use async_trait::async_trait;

use crate::project_api::Server;
use crate::project_api::{ClientId, OAuth2Client};
use crate::project_api::{GrantType, ResponseType, TokenEndpointAuthMethod};
use crate::provider::client::{OryClient, Setting};
use crate::provider::errors::Error;
use crate::provider::framework::self_hosted::Reaches;
use crate::provider::model::{computed, model, names, optional_computed, required, Fallback};
use crate::provider::typed::{Declared, TypedDataSource};
use crate::provider::validators;

model! {
    pub struct OAuth2ClientItem {
        id: String = computed("The client's ID."),
        client_name: String = computed("Its name."),
        grant_types: Vec<GrantType> = computed("Its grant types."),
        response_types: Vec<ResponseType> = computed("Its response types."),
        redirect_uris: Vec<String> = computed("Its redirect URIs."),
        post_logout_redirect_uris: Vec<String> = computed("Its post-logout redirect URIs."),
        scope: String = computed("Its scopes, separated by spaces."),
        audience: Vec<String> = computed("Its audiences."),
        token_endpoint_auth_method: TokenEndpointAuthMethod = computed("How it authenticates at the token endpoint."),
        owner: String = computed("Its owner, as free text."),
        metadata: String = computed("Its metadata, as JSON."),
        created_at: String = computed("When it was made (RFC 3339)."),
    }
}

impl From<OAuth2Client> for OAuth2ClientItem {
    fn from(c: OAuth2Client) -> Self {
        let b = c.body;
        OAuth2ClientItem {
            id: Some(c.client_id.to_string()),
            client_name: b.client_name,
            grant_types: b.grant_types,
            response_types: b.response_types,
            redirect_uris: b.redirect_uris,
            post_logout_redirect_uris: b.post_logout_redirect_uris,
            scope: b.scope,
            audience: b.audience,
            token_endpoint_auth_method: b.token_endpoint_auth_method,
            owner: b.owner,
            metadata: b.metadata.map(|m| m.to_string()),
            created_at: c.created_at,
            ..Default::default()
        }
    }
}

model! {
    pub struct OAuth2ClientLookup {
        project_id: String = optional_computed(
            "The project. Defaults to the provider's `project_id`; with neither, the provider's `project_slug` and `project_api_key`."
        )
        .check(validators::uuid)
        .default(Fallback::ProviderIfSet(Setting::ProjectId)),
        id: String = required("The client's ID."),
        client_name: String = computed("Its name."),
        grant_types: Vec<GrantType> = computed("Its grant types."),
        response_types: Vec<ResponseType> = computed("Its response types."),
        redirect_uris: Vec<String> = computed("Its redirect URIs."),
        post_logout_redirect_uris: Vec<String> = computed("Its post-logout redirect URIs."),
        scope: String = computed("Its scopes, separated by spaces."),
        audience: Vec<String> = computed("Its audiences."),
        token_endpoint_auth_method: TokenEndpointAuthMethod = computed("How it authenticates at the token endpoint."),
        owner: String = computed("Its owner, as free text."),
        metadata: String = computed("Its metadata, as JSON."),
        created_at: String = computed("When it was made (RFC 3339)."),
    }
}

pub struct OAuth2ClientData;

impl Declared for OAuth2ClientData {
    fn reaches(&self) -> Reaches {
        Reaches::Servers(&[Server::HydraAdmin])
    }

    type Model = OAuth2ClientLookup;

    fn type_name(&self) -> &'static str {
        "ory_oauth2_client"
    }

    fn summary(&self) -> &'static str {
        "one OAuth2 client, never its secret"
    }

    fn description(&self) -> String {
        "Looks up one OAuth2 client of a project by its ID: its settings, never its secret.".into()
    }

    fn noun(&self) -> &'static str {
        "OAuth2 client"
    }

    fn describe(&self, c: &OAuth2ClientLookup) -> String {
        format!("OAuth2 client {}", c.id.as_deref().unwrap_or_default())
    }
}

#[async_trait]
impl TypedDataSource for OAuth2ClientData {
    async fn read(&self, client: &OryClient, config: OAuth2ClientLookup) -> Result<OAuth2ClientLookup, Error> {
        let api = client.project_api(config.project_id.as_deref()).await?;
        let item = OAuth2ClientItem::from(
            api.oauth2_clients().get(&ClientId::from(config.id.as_deref().unwrap_or_default())).await?,
        );
        Ok(OAuth2ClientLookup {
            project_id: config.project_id,
            id: item.id,
            client_name: item.client_name,
            grant_types: item.grant_types,
            response_types: item.response_types,
            redirect_uris: item.redirect_uris,
            post_logout_redirect_uris: item.post_logout_redirect_uris,
            scope: item.scope,
            audience: item.audience,
            token_endpoint_auth_method: item.token_endpoint_auth_method,
            owner: item.owner,
            metadata: item.metadata,
            created_at: item.created_at,
            ..Default::default()
        })
    }
}

model! {
    pub struct OAuth2ClientsListing {
        project_id: String = optional_computed(
            "The project. Defaults to the provider's `project_id`; with neither, the provider's `project_slug` and `project_api_key`."
        )
        .check(validators::uuid)
        .default(Fallback::ProviderIfSet(Setting::ProjectId)),
        clients: Vec<OAuth2ClientItem> = computed(&format!(
            "The project's OAuth2 clients, every page of them: {}.",
            names::<OAuth2ClientItem>()
        )),
    }
}

pub struct OAuth2ClientsData;

impl Declared for OAuth2ClientsData {
    fn reaches(&self) -> Reaches {
        Reaches::Servers(&[Server::HydraAdmin])
    }

    type Model = OAuth2ClientsListing;

    fn type_name(&self) -> &'static str {
        "ory_oauth2_clients"
    }

    fn summary(&self) -> &'static str {
        "a project's OAuth2 clients, never their secrets"
    }

    fn description(&self) -> String {
        "Lists the OAuth2 clients of a project, every page of them, never their secrets.".into()
    }

    fn noun(&self) -> &'static str {
        "OAuth2 clients"
    }

    fn describe(&self, c: &OAuth2ClientsListing) -> String {
        format!("the OAuth2 clients of project {}", c.project_id.as_deref().unwrap_or("of the provider"))
    }
}

#[async_trait]
impl TypedDataSource for OAuth2ClientsData {
    async fn read(&self, client: &OryClient, config: OAuth2ClientsListing) -> Result<OAuth2ClientsListing, Error> {
        let api = client.project_api(config.project_id.as_deref()).await?;
        let found = api.oauth2_clients().list().await?;
        Ok(OAuth2ClientsListing { clients: Some(found.into_iter().map(OAuth2ClientItem::from).collect()), ..config })
    }
}
