//! `ory_saml_provider`: one SAML identity provider of a project, an entry of
//! `selfservice.methods.saml.config.providers`. Attribute names are those of
//! Ory's provider; settings left out keep the values Ory holds, and an
//! update writes over the live entry.

use serde_json::{json, Map, Value as Json};

use crate::plugin::Value;
use crate::provider::adoption::{Finds, Found, InProject};
use crate::provider::client::Setting;
use crate::provider::document::slice::placed;
use crate::provider::document::slice::{bare_key, project_scoped, Part, Slice};
use crate::provider::document::{inline, paths};
use crate::provider::model::{computed, model, optional_computed, required, Fallback, Model};
use crate::provider::typed::Declared;
use crate::provider::validators;

/// The attribute mapper sent when the configuration has none: the email
/// attribute becomes the `email` trait (an entry needs a mapper).
const DEFAULT_MAPPER: &str =
    "local claims = std.extVar('claims');\n{\n  identity: {\n    traits: {\n      email: claims.email,\n    },\n  },\n}\n";

model! {
    pub struct SamlProviderModel {
        id: String = computed("The provider's ID, as `provider_id`."),
        project_id: String = optional_computed(
            "The project. Defaults to the provider's `project_id`. Changing it replaces the provider."
        )
        .check(validators::uuid)
        .default(Fallback::Provider(Setting::ProjectId))
        .force_new(),
        provider_id: String = required("The provider's ID in the project, part of its ACS URL. Changing it replaces the provider.")
            .check(validators::provider_id)
            .force_new(),
        raw_idp_metadata_xml: String = required(
            "The identity provider's SAML 2.0 metadata: the XML itself (sent as a `base64://` URL, read back as XML), a `base64://` URL of it, or the `https://` URL the identity provider serves it at. Inline metadata must describe an `IDPSSODescriptor` with a signing `KeyDescriptor` and a `SingleSignOnService`, as Ory requires."
        )
        .check(validators::saml_metadata)
        .same_when(inline::same_body),
        label: String = optional_computed("The sign-in button's text."),
        mapper_url: String = optional_computed(
            "The Jsonnet that maps the SAML attributes to identity traits: its source (sent as a `base64://` URL, read back as source), or an `https://` or `base64://` URL. Left out on create, the email attribute becomes the `email` trait."
        )
        .same_when(inline::same_body),
        organization_id: String = optional_computed("For B2B SSO: the organization this provider signs in.").check(validators::uuid),
        audience_override_base_url: String = optional_computed("The base URL of the SP audience (EntityID), for a custom domain.")
            .check(validators::https_url),
        proxy_saml_audience_override: String = optional_computed("An SP audience (EntityID) that replaces Ory's whole."),
        idp_initiated_login_enabled: bool = optional_computed("Whether a sign-in the identity provider starts (IdP-initiated) is accepted."),
        sign_authn_requests: bool = optional_computed("Whether Ory signs its authentication requests."),
        force_authn: bool = optional_computed("Whether the identity provider must authenticate the user again at every sign-in."),
        require_encrypted_assertion: bool = optional_computed("Whether assertions must be encrypted."),
        sp_entity_id_override: String = optional_computed("An SP entity ID that replaces Ory's."),
        update_identity_on_login: String = optional_computed("Whether a sign-in updates the identity's traits from the assertion: `never` or `automatic`.")
            .one_of(crate::provider::enums::SocialUpdateIdentity::NAMES),
    }
}

placed!(SamlProviderModel);

/// The document key of each switch attribute.
const BOOLS: &[&str] =
    &["idp_initiated_login_enabled", "sign_authn_requests", "force_authn", "require_encrypted_assertion"];

/// The document key of each plain string attribute.
const STRINGS: &[&str] = &[
    "label",
    "organization_id",
    "audience_override_base_url",
    "proxy_saml_audience_override",
    "sp_entity_id_override",
    "update_identity_on_login",
];

/// Which attribute writes which pointer of the entry, for refusals.
const ENTRY_ATTRIBUTES: &[(&str, &str)] = &[
    ("/id", "provider_id"),
    ("/raw_idp_metadata_xml", "raw_idp_metadata_xml"),
    ("/mapper_url", "mapper_url"),
    ("/label", "label"),
    ("/organization_id", "organization_id"),
    ("/audience_override_base_url", "audience_override_base_url"),
    ("/proxy_saml_audience_override", "proxy_saml_audience_override"),
];

impl SamlProviderModel {
    fn provider_id(&self) -> &str {
        self.provider_id.as_deref().unwrap_or_default()
    }

    /// Every modelled key, `null` where the model has no value.
    fn entry(&self) -> Json {
        let mut entry = Map::new();
        entry.insert("id".into(), json!(self.provider_id()));
        entry.insert(
            "raw_idp_metadata_xml".into(),
            json!(inline::sent(self.raw_idp_metadata_xml.as_deref().unwrap_or_default())),
        );
        let mapper = self.mapper_url.as_deref().map_or_else(|| inline::sent(DEFAULT_MAPPER), inline::sent);
        entry.insert("mapper_url".into(), json!(mapper));
        let value = self.to_value();
        for key in STRINGS {
            entry.insert((*key).into(), value.attr(key).as_str().map_or(Json::Null, |s| json!(s)));
        }
        for key in BOOLS {
            entry.insert((*key).into(), value.attr(key).as_bool().map_or(Json::Null, Json::Bool));
        }
        Json::Object(entry)
    }

    fn as_entry_shows(&self, project: &str, entry: &Json) -> SamlProviderModel {
        let mut value = Value::object([
            ("id", Value::string(self.provider_id())),
            ("project_id", Value::string(project)),
            ("provider_id", Value::string(self.provider_id())),
        ]);
        for key in STRINGS {
            value.set_attr(key, Value::opt_string(entry[*key].as_str()));
        }
        for key in BOOLS {
            value.set_attr(key, entry[*key].as_bool().map_or(Value::Null, Value::Bool));
        }
        let mut next = SamlProviderModel::from_value(&value);
        next.raw_idp_metadata_xml = match (self.raw_idp_metadata_xml.as_deref(), entry["raw_idp_metadata_xml"].as_str())
        {
            // Ory may keep inline metadata at a hosted URL (UNVERIFIED): the
            // metadata written stands.
            (Some(mine), Some(theirs)) if !inline::is_url(mine) && theirs.starts_with("https://") => {
                Some(mine.to_string())
            }
            (mine, theirs) => inline::seen(mine, theirs),
        };
        next.mapper_url = inline::seen(self.mapper_url.as_deref(), entry["mapper_url"].as_str());
        next
    }
}

pub struct SamlProviderResource;

impl Declared for SamlProviderResource {
    type Model = SamlProviderModel;

    fn type_name(&self) -> &'static str {
        "ory_saml_provider"
    }

    fn summary(&self) -> &'static str {
        "a SAML sign-in provider"
    }

    fn description(&self) -> String {
        "A SAML identity provider of a project (enterprise single sign-on through Ory Polis): one entry of its SAML method's providers, which the resource owns alone. Settings the configuration leaves out keep the values Ory holds, and keys the resource does not model are never touched. The SAML method is turned on when a provider is created. Needs an Ory Network plan with SAML.".into()
    }

    fn noun(&self) -> &'static str {
        "SAML provider"
    }

    fn describe(&self, m: &SamlProviderModel) -> String {
        format!("SAML provider {:?} of project {}", m.provider_id(), m.project_id.as_deref().unwrap_or_default())
    }
}

impl Slice for SamlProviderResource {
    fn found(&self, at: &InProject<'_>, finds: &mut Finds) {
        for provider in at.list_at(paths::SAML_PROVIDERS) {
            if let Some(provider_id) = provider["id"].as_str() {
                let import_id = format!("{}/{provider_id}", at.id());
                finds.add(Found::new(format!("{} saml {provider_id}", at.name()), import_id));
            }
        }
    }

    const THE: &'static str = "the SAML provider";
    const PLACED_BY: &'static [&'static str] = &["project_id", "provider_id"];
    const ATTRIBUTES: &'static [(&'static str, &'static str)] = ENTRY_ATTRIBUTES;
    const IMPORT_FORM: &'static str = "<project_id>/<provider_id>";
    const OVER_LIVE: bool = true;
    const SWITCH: Option<&'static str> = Some(paths::SAML_ENABLED);

    fn parse_import(id: &str) -> Option<Value> {
        project_scoped(id, "provider_id", validators::provider_id)
    }

    const BARE_FORM: Option<&'static str> = Some("<provider_id>");

    fn parse_bare(id: &str) -> Option<Value> {
        bare_key(id, "provider_id", validators::provider_id)
    }

    fn import_id(&self, m: &SamlProviderModel) -> String {
        format!("{}/{}", m.project_id.as_deref().unwrap_or_default(), m.provider_id())
    }

    fn id(&self, m: &SamlProviderModel) -> String {
        m.provider_id().to_string()
    }

    fn part(&self, m: &SamlProviderModel) -> Part {
        Part::by_id(paths::SAML_PROVIDERS, "SAML provider", m.provider_id())
    }

    fn value(&self, m: &SamlProviderModel, _: Option<&SamlProviderModel>) -> Json {
        m.entry()
    }

    fn shown(&self, m: &SamlProviderModel, project: &str, entry: &Json, _: &Json) -> SamlProviderModel {
        m.as_entry_shows(project, entry)
    }
}
