//! The model of `ory_oauth2_client`: its attributes, and the client body
//! they make and read back.

use crate::project_api::{
    AccessTokenStrategy, GrantType, OAuth2Client, OAuth2ClientBody, ResponseType, SubjectType, TokenEndpointAuthMethod,
};
use crate::provider::client::Setting;
use serde_json::Value as Json;

use crate::provider::model::{computed, model, optional, optional_computed, Fallback, Field};
use crate::provider::validators;

model! {
    pub struct OAuth2ClientModel {
        id: String = computed("The client's ID, as `client_id`."),
        project_id: String = optional_computed(
            "The project. Defaults to the provider's `project_id`; with neither, the provider's `project_slug` and `project_api_key`. Changing it replaces the client."
        )
        .check(validators::uuid)
        .default(Fallback::ProviderIfSet(Setting::ProjectId))
        .force_new(),
        project_slug: String = crate::provider::framework::project_keys::slug_field(),
        project_api_key: String = crate::provider::framework::project_keys::key_field(),
        client_id: String = optional_computed(
            "The client's ID, which the client sends to Ory. Left out, Ory chooses one. Changing it replaces the client."
        )
        .check(validators::non_empty)
        .force_new(),
        client_secret: String = computed(
            "The client's secret. Ory shows it once, when the client is made; it is kept in the state as sensitive. Empty for a public client (`token_endpoint_auth_method = \"none\"`). To rotate it, change `client_secret_version`."
        )
        .sensitive(),
        client_secret_version: String = optional(
            "Rotates the secret: any change to this value (a date, a counter) gives the client a new secret in place, keeping its ID. The provider makes the secret (32 random bytes, base64url) and sends it with the update; `client_secret` holds it after the apply. Not for a public client. After an import, the configured value is taken as the version of the secret Ory holds (the plan says so, and nothing is sent); the secret rotates when the value changes after that."
        ),
        client_name: String = optional_computed("The name people see on the consent screen."),
        grant_types: Vec<GrantType> = optional_computed("The OAuth2 grant types the client may use. Ory's default: `[\"authorization_code\"]`.")
            .one_of(GrantType::NAMES)
            .distinct(),
        response_types: Vec<ResponseType> = optional_computed("The response types the client may use. Ory's default: `[\"code\"]`.")
            .one_of(ResponseType::NAMES)
            .distinct(),
        redirect_uris: Vec<String> = optional_computed("Where Ory may send the user back: absolute URIs without a fragment.")
            .check(validators::redirect_uri)
            .distinct(),
        post_logout_redirect_uris: Vec<String> = optional_computed("Where Ory may send the user after logout: absolute URIs without a fragment.")
            .check(validators::redirect_uri)
            .distinct(),
        scope: String = optional_computed("The scopes the client may ask for, separated by spaces. Ory's default: `offline_access offline openid`."),
        audience: Vec<String> = optional_computed("The audiences the client may ask tokens for.").distinct(),
        token_endpoint_auth_method: TokenEndpointAuthMethod = optional_computed(
            "How the client authenticates at the token endpoint; `none` makes a public client, without a secret. Ory's default: `client_secret_basic`. Changing it replaces the client: a secret cannot be added to or taken from a client in place."
        )
        .one_of(TokenEndpointAuthMethod::NAMES)
        .force_new(),
        allowed_cors_origins: Vec<String> = optional_computed("Origins allowed to call Ory's token endpoints from a browser for this client.")
            .check(validators::http_url)
            .distinct(),
        skip_consent: bool = optional_computed("Skip the consent screen (for first-party clients). Ory's default: false."),
        skip_logout_consent: bool = optional_computed("Skip the logout confirmation. Ory's default: false."),
        subject_type: SubjectType = optional_computed("`public` or `pairwise` subject identifiers. Ory's default: `public`.").one_of(SubjectType::NAMES),
        access_token_strategy: AccessTokenStrategy = optional_computed("`opaque` or `jwt` access tokens. Ory's default: `opaque`.").one_of(AccessTokenStrategy::NAMES),
        jwks_uri: String = optional_computed("The URL of the client's JSON Web Key Set, for `private_key_jwt`.").check(validators::https_url),
        client_uri: String = optional_computed("The client's home page."),
        logo_uri: String = optional_computed("The client's logo."),
        policy_uri: String = optional_computed("The client's privacy policy."),
        tos_uri: String = optional_computed("The client's terms of service."),
        owner: String = optional_computed("Who owns the client, as free text."),
        frontchannel_logout_uri: String = optional_computed("Front-channel logout URL."),
        backchannel_logout_uri: String = optional_computed("Back-channel logout URL."),
        metadata: String = optional_computed("Free-form metadata, as a JSON object (`jsonencode({...})`). Compared as JSON.")
            .check(validators::json_object),
        contacts: Vec<String> = optional_computed("Who to contact about the client, such as e-mail addresses."),
        jwks: String = optional(
            "The client's JSON Web Key Set, public keys only, as JSON (`jsonencode({ keys = [...] })`), for `private_key_jwt`. Compared as JSON. See `jwks_wo` to keep it out of the state; set one of `jwks`, `jwks_wo` and `jwks_uri`."
        )
        .check(validators::json_object)
        .same_when(validators::same_json),
        jwks_wo: String = optional(
            "Like `jwks`, write-only (Terraform 1.11 or later): sent to Ory, never kept in the plan or the state. Change `jwks_wo_version` to send it again."
        )
        .check(validators::json_object)
        .write_only(),
        jwks_wo_version: String = optional("Any text; changing it sends `jwks_wo` again."),
        token_endpoint_auth_signing_alg: String = optional_computed("The algorithm the client signs its token endpoint assertions with (`private_key_jwt`)."),
        request_object_signing_alg: String = optional_computed("The algorithm the client signs its request objects with."),
        userinfo_signed_response_alg: String = optional_computed("The algorithm Ory signs the client's userinfo answers with; `none` for unsigned JSON."),
        sector_identifier_uri: String = optional_computed("The URL of the client's redirect URIs, for `pairwise` subjects."),
        request_uris: Vec<String> = optional_computed("The request URIs the client may use.").distinct(),
        frontchannel_logout_session_required: bool = optional_computed("Whether front-channel logout sends `iss` and `sid`. Ory's default: false."),
        backchannel_logout_session_required: bool = optional_computed("Whether back-channel logout tokens carry `sid`. Ory's default: false."),
        authorization_code_grant_access_token_lifespan: String = lifespan("access tokens of the authorization code grant"),
        authorization_code_grant_id_token_lifespan: String = lifespan("ID tokens of the authorization code grant"),
        authorization_code_grant_refresh_token_lifespan: String = lifespan("refresh tokens of the authorization code grant"),
        client_credentials_grant_access_token_lifespan: String = lifespan("access tokens of the client credentials grant"),
        device_authorization_grant_access_token_lifespan: String = lifespan("access tokens of the device authorization grant"),
        device_authorization_grant_id_token_lifespan: String = lifespan("ID tokens of the device authorization grant"),
        device_authorization_grant_refresh_token_lifespan: String = lifespan("refresh tokens of the device authorization grant"),
        implicit_grant_access_token_lifespan: String = lifespan("access tokens of the implicit grant"),
        implicit_grant_id_token_lifespan: String = lifespan("ID tokens of the implicit grant"),
        jwt_bearer_grant_access_token_lifespan: String = lifespan("access tokens of the JWT bearer grant"),
        refresh_token_grant_access_token_lifespan: String = lifespan("access tokens of the refresh token grant"),
        refresh_token_grant_id_token_lifespan: String = lifespan("ID tokens of the refresh token grant"),
        refresh_token_grant_refresh_token_lifespan: String = lifespan("refresh tokens of the refresh token grant"),
        created_at: String = computed("When the client was made (RFC 3339)."),
        updated_at: String = computed("When the client last changed (RFC 3339).").follows_changes(),
    }
}

crate::provider::client::project_target!(OAuth2ClientModel);

/// A per-grant token lifespan: Hydra's `ttl` for this client.
fn lifespan(what: &str) -> Field {
    optional_computed(&format!(
        "How long {what} last, as a duration (`1h`, `30m`, `720h`); `1h` and `1h0m0s` are one value. Left out: the project's default."
    ))
    .check(validators::duration)
    .same_when(validators::same_duration)
}

/// The per-grant lifespans, each named once: `$each!($model, field)` for every one.
macro_rules! lifespans {
    ($each:ident, $model:expr) => {
        [
            $each!($model, authorization_code_grant_access_token_lifespan),
            $each!($model, authorization_code_grant_id_token_lifespan),
            $each!($model, authorization_code_grant_refresh_token_lifespan),
            $each!($model, client_credentials_grant_access_token_lifespan),
            $each!($model, device_authorization_grant_access_token_lifespan),
            $each!($model, device_authorization_grant_id_token_lifespan),
            $each!($model, device_authorization_grant_refresh_token_lifespan),
            $each!($model, implicit_grant_access_token_lifespan),
            $each!($model, implicit_grant_id_token_lifespan),
            $each!($model, jwt_bearer_grant_access_token_lifespan),
            $each!($model, refresh_token_grant_access_token_lifespan),
            $each!($model, refresh_token_grant_id_token_lifespan),
            $each!($model, refresh_token_grant_refresh_token_lifespan),
        ]
    };
}

impl OAuth2ClientModel {
    /// The client fields that Hydra's body keeps beside the common ones,
    /// as this model sets them (`None` where it does not).
    pub(super) fn more(&self) -> Vec<(&'static str, Option<Json>)> {
        let text = |v: &Option<String>| v.as_ref().map(|t| Json::from(t.as_str()));
        let list = |v: &Option<Vec<String>>| v.as_ref().map(|l| Json::from(l.clone()));
        let flag = |v: &Option<bool>| v.map(Json::from);
        let jwks = self.jwks.as_ref().or(self.jwks_wo.as_ref()).and_then(|j| serde_json::from_str(j).ok());
        macro_rules! sent {
            ($m:expr, $field:ident) => {
                (stringify!($field), text(&$m.$field))
            };
        }
        let mut more = vec![
            ("client_id", text(&self.client_id)),
            ("contacts", list(&self.contacts)),
            ("jwks", jwks),
            ("token_endpoint_auth_signing_alg", text(&self.token_endpoint_auth_signing_alg)),
            ("request_object_signing_alg", text(&self.request_object_signing_alg)),
            ("userinfo_signed_response_alg", text(&self.userinfo_signed_response_alg)),
            ("sector_identifier_uri", text(&self.sector_identifier_uri)),
            ("request_uris", list(&self.request_uris)),
            ("frontchannel_logout_session_required", flag(&self.frontchannel_logout_session_required)),
            ("backchannel_logout_session_required", flag(&self.backchannel_logout_session_required)),
        ];
        more.extend(lifespans!(sent, self));
        more
    }

    /// The same fields from Ory's client; a text as `self` spells it when
    /// it means the same (a lifespan, JSON).
    pub(super) fn with_more(
        mut self,
        mine: &OAuth2ClientModel,
        other: &std::collections::BTreeMap<String, Json>,
    ) -> Self {
        let text = |key: &str, mine: &Option<String>, same: fn(&str, &str) -> bool| -> Option<String> {
            let theirs = match other.get(key)? {
                Json::String(t) if t.is_empty() => return None,
                Json::String(t) => t.clone(),
                Json::Null => return None,
                v => v.to_string(),
            };
            Some(match mine {
                Some(m) if same(m, &theirs) => m.clone(),
                _ => theirs,
            })
        };
        let exact = |a: &str, b: &str| a == b;
        // Absent or null is empty (or false), as Hydra writes them.
        let list = |key: &str| -> Option<Vec<String>> {
            let items = other.get(key).and_then(Json::as_array).into_iter().flatten();
            Some(items.filter_map(|v| v.as_str().map(str::to_string)).collect())
        };
        let flag = |key: &str| Some(other.get(key).and_then(Json::as_bool).unwrap_or(false));
        self.contacts = list("contacts");
        if mine.jwks.is_some() {
            self.jwks = text("jwks", &mine.jwks, validators::same_json);
        }
        self.token_endpoint_auth_signing_alg = text("token_endpoint_auth_signing_alg", &None, exact);
        self.request_object_signing_alg = text("request_object_signing_alg", &None, exact);
        self.userinfo_signed_response_alg = text("userinfo_signed_response_alg", &None, exact);
        self.sector_identifier_uri = text("sector_identifier_uri", &None, exact);
        self.request_uris = list("request_uris");
        self.frontchannel_logout_session_required = flag("frontchannel_logout_session_required");
        self.backchannel_logout_session_required = flag("backchannel_logout_session_required");
        macro_rules! read {
            ($m:expr, $field:ident) => {
                self.$field = text(stringify!($field), &$m.$field, validators::same_duration)
            };
        }
        lifespans!(read, mine);
        self.jwks_wo_version = mine.jwks_wo_version.clone();
        self
    }

    /// What the configuration sets; `None` where it is unset or not known.
    pub(super) fn body(&self) -> OAuth2ClientBody {
        let text = |v: &Option<String>| v.clone();
        OAuth2ClientBody {
            client_name: text(&self.client_name),
            grant_types: self.grant_types.clone(),
            response_types: self.response_types.clone(),
            redirect_uris: self.redirect_uris.clone(),
            post_logout_redirect_uris: self.post_logout_redirect_uris.clone(),
            scope: text(&self.scope),
            audience: self.audience.clone(),
            token_endpoint_auth_method: self.token_endpoint_auth_method.clone(),
            allowed_cors_origins: self.allowed_cors_origins.clone(),
            skip_consent: self.skip_consent,
            skip_logout_consent: self.skip_logout_consent,
            jwks_uri: text(&self.jwks_uri),
            client_uri: text(&self.client_uri),
            logo_uri: text(&self.logo_uri),
            policy_uri: text(&self.policy_uri),
            tos_uri: text(&self.tos_uri),
            owner: text(&self.owner),
            subject_type: self.subject_type.clone(),
            access_token_strategy: self.access_token_strategy.clone(),
            frontchannel_logout_uri: text(&self.frontchannel_logout_uri),
            backchannel_logout_uri: text(&self.backchannel_logout_uri),
            metadata: self.metadata.as_deref().and_then(|m| serde_json::from_str(m).ok()),
            client_secret: None,
            other: self.more().into_iter().filter_map(|(key, value)| Some((key.to_string(), value?))).collect(),
        }
    }

    /// The state from Ory's client; the secret as `self` holds it (Ory
    /// shows it only once), metadata as `self` spells it when it is the same JSON.
    pub(super) fn with(&self, c: OAuth2Client) -> OAuth2ClientModel {
        let b = c.body;
        let other = b.other.clone();
        let metadata = b.metadata.map(|m| match &self.metadata {
            Some(mine) if validators::same_json(mine, &m.to_string()) => mine.clone(),
            _ => m.to_string(),
        });
        OAuth2ClientModel {
            id: Some(c.client_id.to_string()),
            project_id: self.project_id.clone(),
            project_slug: self.project_slug.clone(),
            project_api_key: self.project_api_key.clone(),
            client_id: Some(c.client_id.to_string()),
            client_secret: b.client_secret.or_else(|| self.client_secret.clone()),
            client_secret_version: self.client_secret_version.clone(),
            client_name: b.client_name,
            // Hydra answers an empty list as null or leaves it out, and a
            // false switch too (`omitempty`): that is the empty value, not
            // an unknown one, or `[]` and `false` in a configuration would
            // read back as null.
            grant_types: Some(b.grant_types.unwrap_or_default()),
            response_types: Some(b.response_types.unwrap_or_default()),
            redirect_uris: Some(b.redirect_uris.unwrap_or_default()),
            post_logout_redirect_uris: Some(b.post_logout_redirect_uris.unwrap_or_default()),
            scope: b.scope,
            audience: Some(b.audience.unwrap_or_default()),
            token_endpoint_auth_method: b.token_endpoint_auth_method,
            allowed_cors_origins: Some(b.allowed_cors_origins.unwrap_or_default()),
            skip_consent: Some(b.skip_consent.unwrap_or_default()),
            skip_logout_consent: Some(b.skip_logout_consent.unwrap_or_default()),
            subject_type: b.subject_type,
            access_token_strategy: b.access_token_strategy,
            jwks_uri: b.jwks_uri,
            client_uri: b.client_uri,
            logo_uri: b.logo_uri,
            policy_uri: b.policy_uri,
            tos_uri: b.tos_uri,
            owner: b.owner,
            frontchannel_logout_uri: b.frontchannel_logout_uri,
            backchannel_logout_uri: b.backchannel_logout_uri,
            metadata,
            created_at: c.created_at,
            updated_at: c.updated_at,
            ..OAuth2ClientModel::default()
        }
        .with_more(self, &other)
    }
}
