//! `ory_social_provider`: one social sign-in (OIDC) provider of a project,
//! an entry of `selfservice.methods.oidc.config.providers`. Attribute names
//! are those of Ory's provider. Settings left out of the configuration keep
//! the values Ory holds, and an update writes over the live entry, so keys
//! this resource does not model stay as they are.

use serde_json::{json, Map, Value as Json};

use crate::plugin::{AttributePath, Diagnostic, Diagnostics, Value};
use crate::provider::adoption::{Finds, Found, InProject};
use crate::provider::client::Setting;
use crate::provider::document::slice::placed;
use crate::provider::document::slice::{bare_key, project_scoped, Part, Slice};
use crate::provider::document::{inline, paths};
use crate::provider::enums::{SocialAccountLinkingMode, SocialPkce, SocialProviderType, SocialUpdateIdentity};
use crate::provider::model::{computed, model, optional, optional_computed, required, Fallback, Model};
use crate::provider::typed::{Declared, Plan};
use crate::provider::validators::{self, SecretPair};

/// The claims mapper sent when the configuration has none: the email claim
/// becomes the `email` trait (a provider entry needs a mapper).
const DEFAULT_MAPPER: &str = "local claims = std.extVar('claims');\n{\n  identity: {\n    traits: {\n      [if 'email' in claims then 'email']: claims.email,\n    },\n  },\n}\n";

model! {
    pub struct SocialProviderModel {
        id: String = computed("The provider's ID, as `provider_id`."),
        project_id: String = optional_computed(
            "The project. Defaults to the provider's `project_id`. Changing it replaces the provider."
        )
        .check(validators::uuid)
        .default(Fallback::Provider(Setting::ProjectId))
        .force_new(),
        provider_id: String = required("The provider's ID in the project, part of its callback URL. Changing it replaces the provider.")
            .check(validators::provider_id)
            .force_new(),
        provider_type: String = required("Which integration: `google`, `github`, `microsoft`, `apple`, `generic` (any OIDC issuer) and the others listed. Changing it replaces the provider.")
            .one_of(SocialProviderType::NAMES)
            .force_new(),
        client_id: String = optional("The OAuth2 client ID the provider issued. Set this or `client_id_wo`."),
        client_id_wo: String = optional(
            "Like `client_id`, write-only: sent to Ory, never kept in the plan or the state (Terraform 1.11 or later). Change `client_id_wo_version` to send a new one."
        )
        .write_only(),
        client_id_wo_version: String = optional("Any text; changing it sends `client_id_wo` again."),
        client_secret: String = optional(
            "The OAuth2 client secret. Sensitive, and kept in the state; `client_secret_wo` keeps it out. Needed by every type but `apple` with its key. Never read back: after an import the next apply sends it once."
        )
        .sensitive(),
        client_secret_wo: String = optional(
            "Like `client_secret`, write-only: never kept in the plan or the state (Terraform 1.11 or later). Change `client_secret_wo_version` to send a new one."
        )
        .write_only(),
        client_secret_wo_version: String = optional("Any text; changing it sends `client_secret_wo` again."),
        apple_team_id: String = optional_computed("For `apple` without `client_secret`: the Apple Developer team ID."),
        apple_private_key_id: String = optional_computed("For `apple` without `client_secret`: the key's ID."),
        apple_private_key: String = optional(
            "For `apple` without `client_secret`: the private key (PEM), from which Ory makes the client secret. Sensitive; `apple_private_key_wo` keeps it out of the state."
        )
        .sensitive(),
        apple_private_key_wo: String = optional(
            "Like `apple_private_key`, write-only (Terraform 1.11 or later). Change `apple_private_key_wo_version` to send a new one."
        )
        .write_only(),
        apple_private_key_wo_version: String = optional("Any text; changing it sends `apple_private_key_wo` again."),
        scope: Vec<String> = optional_computed("The OAuth2 scopes to request, such as `email` and `profile`."),
        mapper_url: String = optional_computed(
            "The Jsonnet that maps the provider's claims to identity traits: its source (sent as a `base64://` URL, read back as source), or an `https://` or `base64://` URL. Left out on create, the email claim becomes the `email` trait."
        )
        .same_when(inline::same_body),
        issuer_url: String = optional_computed("The OIDC issuer. Required for `generic`.").check(validators::https_url),
        auth_url: String = optional_computed("An authorization URL other than the issuer's.").check(validators::https_url),
        token_url: String = optional_computed("A token URL other than the issuer's.").check(validators::https_url),
        tenant: String = optional_computed("For `microsoft`: the tenant (Ory's `microsoft_tenant`), or `common`."),
        label: String = optional_computed("The sign-in button's text."),
        pkce: String = optional_computed("PKCE: `auto` (when the provider advertises it), `force` or `never`.").one_of(SocialPkce::NAMES),
        account_linking_mode: String = optional_computed("How a sign-in joins an existing identity with the same identifier.")
            .one_of(SocialAccountLinkingMode::NAMES),
        fedcm_config_url: String = optional_computed("The provider's FedCM configuration URL.").check(validators::https_url),
        organization_id: String = optional_computed("For B2B SSO: the organization this provider signs in.").check(validators::uuid),
        additional_id_token_audiences: Vec<String> = optional_computed("More audiences accepted in ID tokens submitted directly (native apps)."),
        aal2_acr_values: Vec<String> = optional_computed("`acr` claim values that make the session AAL2."),
        aal2_amr_values: Vec<String> = optional_computed("`amr` values (RFC 8176) that make the session AAL2."),
        subject_source: String = optional_computed("Where the subject comes from: `id_token`, `userinfo` or `me`."),
        claims_source: String = optional_computed("Where the claims come from: `id_token` or `userinfo`."),
        requested_claims: String = optional_computed("The OIDC `claims` request parameter, as JSON (`jsonencode({...})`).")
            .check(validators::json_object),
        net_id_token_origin_header: String = optional_computed("For `netid`: the origin sent in the `Origin` header when an ID token is exchanged."),
        update_identity_on_login: String = optional_computed("Whether a sign-in updates the identity's traits from the provider's claims: `never` or `automatic`.")
            .one_of(SocialUpdateIdentity::NAMES),
        auto_link: bool = optional_computed("Whether a sign-in links to an existing identity with the same identifier, where the project's OIDC auto-link policy allows it (`enable_oidc_auto_link_policy` of `ory_project_config`). UNVERIFIED: the entry key `auto_link` is Ory's provider's."),
        front_channel_logout: bool = optional_computed("Whether the provider is sent front-channel logout. UNVERIFIED: the entry key `front_channel_logout` is Ory's provider's."),
        base_redirect_uri: String = optional(
            "Deprecated and written nowhere: the OIDC base redirect URI is one for the whole project. Set `selfservice_methods_oidc_config_base_redirect_uri` of `ory_project_config` instead."
        )
        .deprecated(),
    }
}

placed!(SocialProviderModel);

/// The document key of each plain string attribute.
const STRINGS: &[(&str, &str)] = &[
    ("net_id_token_origin_header", "net_id_token_origin_header"),
    ("update_identity_on_login", "update_identity_on_login"),
    ("apple_team_id", "apple_team_id"),
    ("apple_private_key_id", "apple_private_key_id"),
    ("issuer_url", "issuer_url"),
    ("auth_url", "auth_url"),
    ("token_url", "token_url"),
    ("tenant", "microsoft_tenant"),
    ("label", "label"),
    ("pkce", "pkce"),
    ("account_linking_mode", "account_linking_mode"),
    ("fedcm_config_url", "fedcm_config_url"),
    ("organization_id", "organization_id"),
    ("subject_source", "subject_source"),
    ("claims_source", "claims_source"),
];

/// The document key of each list attribute.
const LISTS: &[(&str, &str)] = &[
    ("scope", "scope"),
    ("additional_id_token_audiences", "additional_id_token_audiences"),
    ("aal2_acr_values", "aal2_acr_values"),
    ("aal2_amr_values", "aal2_amr_values"),
];

/// The document key of each switch attribute.
const BOOLS: &[(&str, &str)] = &[("auto_link", "auto_link"), ("front_channel_logout", "front_channel_logout")];

/// Which attribute writes which pointer of the entry, for refusals.
const ENTRY_ATTRIBUTES: &[(&str, &str)] = &[
    ("/id", "provider_id"),
    ("/provider", "provider_type"),
    ("/client_id", "client_id"),
    ("/client_secret", "client_secret"),
    ("/apple_private_key", "apple_private_key"),
    ("/apple_team_id", "apple_team_id"),
    ("/apple_private_key_id", "apple_private_key_id"),
    ("/scope", "scope"),
    ("/mapper_url", "mapper_url"),
    ("/issuer_url", "issuer_url"),
    ("/auth_url", "auth_url"),
    ("/token_url", "token_url"),
    ("/microsoft_tenant", "tenant"),
    ("/label", "label"),
    ("/pkce", "pkce"),
    ("/account_linking_mode", "account_linking_mode"),
    ("/fedcm_config_url", "fedcm_config_url"),
    ("/organization_id", "organization_id"),
    ("/requested_claims", "requested_claims"),
    ("/net_id_token_origin_header", "net_id_token_origin_header"),
    ("/update_identity_on_login", "update_identity_on_login"),
    ("/auto_link", "auto_link"),
    ("/front_channel_logout", "front_channel_logout"),
];

impl SocialProviderModel {
    fn project(&self) -> &str {
        self.project_id.as_deref().unwrap_or_default()
    }

    fn provider_id(&self) -> &str {
        self.provider_id.as_deref().unwrap_or_default()
    }

    fn secret(kept: &Option<String>, write_only: &Option<String>) -> Option<String> {
        kept.clone().or_else(|| write_only.clone())
    }

    /// The entry's keys this model writes: every modelled key, `null` where
    /// the model has no value (absent in the entry); the secrets only when
    /// `with_secrets`, since Ory keeps them when they are left out.
    fn entry(&self, with_secrets: bool) -> Json {
        let mut entry = Map::new();
        let value = self.to_value();
        entry.insert("id".into(), json!(self.provider_id()));
        entry.insert("provider".into(), json!(self.provider_type));
        // A write-only client ID is sent with the secrets; else Ory keeps its own.
        match (&self.client_id, &self.client_id_wo) {
            (Some(id), _) => drop(entry.insert("client_id".into(), json!(id))),
            (None, Some(id)) if with_secrets => drop(entry.insert("client_id".into(), json!(id))),
            _ => {}
        }
        for (attribute, key) in BOOLS {
            entry.insert((*key).into(), value.attr(attribute).as_bool().map_or(Json::Null, Json::Bool));
        }
        for (attribute, key) in STRINGS {
            entry.insert((*key).into(), value.attr(attribute).as_str().map_or(Json::Null, |s| json!(s)));
        }
        for (attribute, key) in LISTS {
            let list = value.attr(attribute);
            let items: Vec<&str> = list.elements().iter().filter_map(Value::as_str).collect();
            entry.insert((*key).into(), if list.is_null() { Json::Null } else { json!(items) });
        }
        let mapper = self.mapper_url.as_deref().map_or_else(|| inline::sent(DEFAULT_MAPPER), inline::sent);
        entry.insert("mapper_url".into(), json!(mapper));
        let claims = self.requested_claims.as_deref().and_then(|c| serde_json::from_str::<Json>(c).ok());
        entry.insert("requested_claims".into(), claims.unwrap_or(Json::Null));
        if with_secrets {
            let secrets = [
                ("client_secret", Self::secret(&self.client_secret, &self.client_secret_wo)),
                ("apple_private_key", Self::secret(&self.apple_private_key, &self.apple_private_key_wo)),
            ];
            for (key, secret) in secrets {
                entry.insert(key.into(), secret.map_or(Json::Null, Json::String));
            }
        }
        Json::Object(entry)
    }

    /// The state from the live entry: every modelled key as Ory holds it,
    /// the secrets as `self` has them (they are never read back).
    fn as_entry_shows(&self, project: &str, entry: &Json) -> SocialProviderModel {
        let mut value = Value::object([
            ("id", Value::string(self.provider_id())),
            ("project_id", Value::string(project)),
            ("provider_id", Value::string(self.provider_id())),
            ("provider_type", Value::opt_string(entry["provider"].as_str())),
            // Written write-only, the client ID stays out of the state; an
            // import (no type yet) reads it.
            (
                "client_id",
                Value::opt_string(
                    entry["client_id"].as_str().filter(|_| self.client_id.is_some() || self.provider_type.is_none()),
                ),
            ),
        ]);
        for (attribute, key) in BOOLS {
            value.set_attr(attribute, entry[*key].as_bool().map_or(Value::Null, Value::Bool));
        }
        for (attribute, key) in STRINGS {
            value.set_attr(attribute, Value::opt_string(entry[*key].as_str()));
        }
        for (attribute, key) in LISTS {
            let items = entry[*key].as_array().map(|l| l.iter().filter_map(Json::as_str).map(Value::string).collect());
            value.set_attr(attribute, items.map_or(Value::Null, Value::List));
        }
        let mut next = SocialProviderModel::from_value(&value);
        next.mapper_url = inline::seen(self.mapper_url.as_deref(), entry["mapper_url"].as_str());
        next.requested_claims = match (&self.requested_claims, entry.get("requested_claims").filter(|c| !c.is_null())) {
            (Some(mine), Some(theirs)) if validators::same_json(mine, &theirs.to_string()) => Some(mine.clone()),
            (_, theirs) => theirs.map(Json::to_string),
        };
        next.client_secret = self.client_secret.clone();
        next.client_secret_wo_version = self.client_secret_wo_version.clone();
        next.client_id_wo_version = self.client_id_wo_version.clone();
        next.base_redirect_uri = self.base_redirect_uri.clone();
        next.apple_private_key = self.apple_private_key.clone();
        next.apple_private_key_wo_version = self.apple_private_key_wo_version.clone();
        next
    }
}

pub struct SocialProviderResource;

impl Declared for SocialProviderResource {
    type Model = SocialProviderModel;

    fn type_name(&self) -> &'static str {
        "ory_social_provider"
    }

    fn summary(&self) -> &'static str {
        "a social sign-in provider"
    }

    fn description(&self) -> String {
        "A social sign-in (OIDC) provider of a project: one entry of its OIDC method's providers, which the resource owns alone. Settings the configuration leaves out keep the values Ory holds, and keys the resource does not model are never touched. The OIDC method is turned on when a provider is created.".into()
    }

    fn noun(&self) -> &'static str {
        "social sign-in provider"
    }

    fn describe(&self, m: &SocialProviderModel) -> String {
        format!("social sign-in provider {:?} of project {}", m.provider_id(), m.project())
    }

    /// A value not known yet (a variable, in `terraform validate`) may
    /// turn out null: it satisfies a need, and breaks no rule.
    fn validate(&self, c: &SocialProviderModel, diags: &mut Diagnostics) {
        let may_be_set = |value: bool, name: &str| value || c.unknown.contains(name);
        let secret = SecretPair("client_secret").check(c, diags);
        // A partial model (adopt's check of an import) has no type yet.
        let whole = c.provider_type.is_some() || c.unknown.contains("provider_type");
        if !SecretPair("client_id").check(c, diags) && whole {
            diags.push(
                Diagnostic::error("Invalid client_id", "Set client_id, or client_id_wo to keep it out of the state.")
                    .at(AttributePath::attr("client_id")),
            );
        }
        SecretPair("apple_private_key").check(c, diags);
        let mut refuse = |name: &str, detail: String| {
            diags.push(Diagnostic::error(format!("Invalid {name}"), detail).at(AttributePath::attr(name)));
        };
        if c.unknown.contains("provider_type") {
            return;
        }
        match c.provider_type.as_deref() {
            Some("apple") if !secret && !c.unknown.contains("client_secret") => {
                for (name, given) in [
                    ("apple_team_id", c.apple_team_id.is_some()),
                    ("apple_private_key_id", c.apple_private_key_id.is_some()),
                ] {
                    if !may_be_set(given, name) {
                        refuse(name, format!("provider_type \"apple\" without client_secret needs {name}."));
                    }
                }
            }
            Some("apple") => {}
            Some(other) => {
                let apple = [
                    ("apple_team_id", c.apple_team_id.is_some()),
                    ("apple_private_key_id", c.apple_private_key_id.is_some()),
                    ("apple_private_key", c.apple_private_key.is_some() || c.apple_private_key_wo.is_some()),
                ];
                for (name, given) in apple {
                    if given {
                        refuse(name, format!("{name} is only for provider_type \"apple\"; remove it for {other:?}."));
                    }
                }
                if other == "generic" && !may_be_set(c.issuer_url.is_some(), "issuer_url") {
                    refuse(
                        "issuer_url",
                        "provider_type \"generic\" needs issuer_url, the OIDC issuer Ory discovers the endpoints from."
                            .into(),
                    );
                }
                if other != "microsoft" && c.tenant.is_some() {
                    refuse(
                        "tenant",
                        format!("tenant is only for provider_type \"microsoft\"; remove it for {other:?}."),
                    );
                }
            }
            None => {}
        }
    }
}

/// The secret a new provider of its type needs: a client secret, or for
/// Apple, the private key that signs one.
fn needs_secret(c: &SocialProviderModel, diags: &mut Diagnostics) {
    let value = c.to_value();
    let may_be_set = |name: &str| !value.attr(name).is_null();
    let secret = may_be_set("client_secret") || may_be_set("client_secret_wo");
    let apple_key = may_be_set("apple_private_key") || may_be_set("apple_private_key_wo");
    let (summary, attr, detail) = match c.provider_type.as_deref() {
        _ if secret || value.attr("provider_type").is_unknown() => return,
        Some("apple") if apple_key => return,
        Some("apple") => (
            "Invalid apple_private_key",
            "apple_private_key",
            "provider_type \"apple\" needs client_secret, or apple_team_id, apple_private_key_id and apple_private_key (or apple_private_key_wo).".to_string(),
        ),
        Some(other) => (
            "Invalid client_secret",
            "client_secret",
            format!("provider_type {other:?} needs client_secret or client_secret_wo."),
        ),
        None => return,
    };
    diags.push(Diagnostic::error(summary, detail).at(AttributePath::attr(attr)));
}

impl Slice for SocialProviderResource {
    fn found(&self, at: &InProject<'_>, finds: &mut Finds) {
        for provider in at.list_at(paths::OIDC_PROVIDERS) {
            if let Some(provider_id) = provider["id"].as_str() {
                let import_id = format!("{}/{provider_id}", at.id());
                finds.add(Found::new(format!("{} {provider_id}", at.name()), import_id));
            }
        }
    }

    const THE: &'static str = "the social sign-in provider";
    const PLACED_BY: &'static [&'static str] = &["project_id", "provider_id"];
    const ATTRIBUTES: &'static [(&'static str, &'static str)] = ENTRY_ATTRIBUTES;
    const IMPORT_FORM: &'static str = "<project_id>/<provider_id>";
    const OVER_LIVE: bool = true;
    const SWITCH: Option<&'static str> = Some(paths::OIDC_ENABLED);

    fn parse_import(id: &str) -> Option<Value> {
        project_scoped(id, "provider_id", validators::provider_id)
    }

    const BARE_FORM: Option<&'static str> = Some("<provider_id>");

    fn parse_bare(id: &str) -> Option<Value> {
        bare_key(id, "provider_id", validators::provider_id)
    }

    fn import_id(&self, m: &SocialProviderModel) -> String {
        format!("{}/{}", m.project(), m.provider_id())
    }

    fn id(&self, m: &SocialProviderModel) -> String {
        m.provider_id().to_string()
    }

    fn part(&self, m: &SocialProviderModel) -> Part {
        Part::by_id(paths::OIDC_PROVIDERS, "social sign-in provider", m.provider_id())
    }

    /// The secrets are sent by a create, and by an update that changes them.
    fn value(&self, m: &SocialProviderModel, prior: Option<&SocialProviderModel>) -> Json {
        let secrets_changed = prior.is_none_or(|prior| {
            prior.client_secret != m.client_secret
                || prior.client_secret_wo_version != m.client_secret_wo_version
                || prior.client_id_wo_version != m.client_id_wo_version
                || prior.apple_private_key != m.apple_private_key
                || prior.apple_private_key_wo_version != m.apple_private_key_wo_version
        });
        m.entry(secrets_changed)
    }

    fn shown(&self, m: &SocialProviderModel, project: &str, entry: &Json, _: &Json) -> SocialProviderModel {
        m.as_entry_shows(project, entry)
    }

    /// Requested claims that are the same JSON are no change. A new
    /// provider needs its secret; one that exists has it at Ory, which never
    /// shows it, so an imported provider's configuration may leave it out.
    fn plan(&self, plan: &mut Plan<'_, SocialProviderModel>) {
        if plan.prior.is_none() {
            needs_secret(&plan.config, &mut plan.notes);
        }
        if let (Some(prior), Some(wanted)) = (&plan.prior, &plan.config.requested_claims) {
            if prior.requested_claims.as_deref().is_some_and(|was| validators::same_json(was, wanted)) {
                plan.planned.requested_claims = prior.requested_claims.clone();
            }
        }
    }
}
