//! `ory_scim_client`: a SCIM client of a project, through which an
//! identity provider provisions the users of one B2B organization: an entry
//! of the project document's `scim_clients`, found by its `client_id` (Ory
//! gives each revision of the entry a new row `id`). Attribute names are
//! those of Ory's provider.

use serde_json::{json, Value as Json};

use crate::api_enum::api_enum;
use crate::plugin::Value;
use crate::provider::adoption::{Finds, Found, InProject};
use crate::provider::client::Setting;
use crate::provider::document::slice::placed;
use crate::provider::document::slice::{bare_key, project_scoped, Part, Slice};
use crate::provider::document::{inline, paths};
use crate::provider::model::{computed, model, optional, optional_computed, required, Fallback};
use crate::provider::typed::Declared;
use crate::provider::validators::{self, SecretPair};

api_enum! {
    /// `state`: only an `enabled` client answers its identity provider.
    ScimState {
        Enabled = "enabled",
        Disabled = "disabled",
    }
}

model! {
    pub struct ScimClientModel {
        id: String = computed("The client's ID, as `client_id`."),
        project_id: String = optional_computed(
            "The project. Defaults to the provider's `project_id`. Changing it replaces the client."
        )
        .check(validators::uuid)
        .default(Fallback::Provider(Setting::ProjectId))
        .force_new(),
        client_id: String = required(
            "The client's ID, part of the SCIM server's URL (`https://<slug>.projects.oryapis.com/scim/<client_id>/v2`). Changing it replaces the client."
        )
        .check(validators::provider_id)
        .force_new(),
        organization_id: String = required("The organization whose users the identity provider provisions.").check(validators::uuid),
        label: String = required("The client's name, as people read it.").check(validators::name),
        mapper_url: String = required(
            "The Jsonnet that maps the SCIM data to the identity: its source (sent as a `base64://` URL, read back as source), or an `https://` or `base64://` URL."
        )
        .same_when(inline::same_body),
        authorization_header_secret: String = optional(
            "The bearer token the identity provider sends. Sensitive, and kept in the state; `authorization_header_secret_wo` keeps it out. Never read back: after an import the next apply sends it once."
        )
        .sensitive(),
        authorization_header_secret_wo: String = optional(
            "Like `authorization_header_secret`, write-only: never kept in the plan or the state (Terraform 1.11 or later). Change `authorization_header_secret_wo_version` to send a new one."
        )
        .write_only(),
        authorization_header_secret_wo_version: String = optional("Any text; changing it sends `authorization_header_secret_wo` again."),
        state: String = optional_computed("`enabled` (the default), or `disabled`: the client keeps its settings and answers 404.")
            .one_of(ScimState::NAMES)
            .default(Fallback::OnCreate(Value::string(ScimState::Enabled.as_str()))),
    }
}

placed!(ScimClientModel);

impl ScimClientModel {
    fn client_id(&self) -> &str {
        self.client_id.as_deref().unwrap_or_default()
    }

    fn project(&self) -> &str {
        self.project_id.as_deref().unwrap_or_default()
    }
}

/// Which attribute writes which pointer of the entry, for refusals.
const ENTRY_ATTRIBUTES: &[(&str, &str)] = &[
    ("/client_id", "client_id"),
    ("/organization_id", "organization_id"),
    ("/label", "label"),
    ("/mapper_url", "mapper_url"),
    ("/authorization_header_secret", "authorization_header_secret"),
    ("/state", "state"),
];

pub struct ScimClientResource;

impl Declared for ScimClientResource {
    type Model = ScimClientModel;

    fn type_name(&self) -> &'static str {
        "ory_scim_client"
    }

    fn summary(&self) -> &'static str {
        "a SCIM client of an organization"
    }

    fn description(&self) -> String {
        "A SCIM client of a project: the SCIM server an identity provider (Okta, Microsoft Entra, ...) provisions one B2B organization's users through. One entry of the project document's `scim_clients`, owned by this resource alone. Needs a `prod` or `stage` project and an Ory Network plan with B2B features.".into()
    }

    fn noun(&self) -> &'static str {
        "SCIM client"
    }

    fn describe(&self, m: &ScimClientModel) -> String {
        format!("SCIM client {:?} of project {}", m.client_id(), m.project())
    }

    /// The secret is needed to make a client; an imported one has it at
    /// Ory already, which never shows it.
    fn validate(&self, c: &ScimClientModel, diags: &mut crate::plugin::Diagnostics) {
        SecretPair("authorization_header_secret").check(c, diags);
    }
}

impl Slice for ScimClientResource {
    fn found(&self, at: &InProject<'_>, finds: &mut Finds) {
        for scim in at.list_at(paths::SCIM_CLIENTS) {
            if let Some(client_id) = scim["client_id"].as_str() {
                let import_id = format!("{}/{client_id}", at.id());
                finds.add(Found::new(format!("{} scim {client_id}", at.name()), import_id));
            }
        }
    }

    const THE: &'static str = "the SCIM client";
    const PLACED_BY: &'static [&'static str] = &["project_id", "client_id"];
    const ATTRIBUTES: &'static [(&'static str, &'static str)] = ENTRY_ATTRIBUTES;
    const IMPORT_FORM: &'static str = "<project_id>/<client_id>";
    const OVER_LIVE: bool = true;

    fn parse_import(id: &str) -> Option<Value> {
        project_scoped(id, "client_id", validators::provider_id)
    }

    const BARE_FORM: Option<&'static str> = Some("<client_id>");

    fn parse_bare(id: &str) -> Option<Value> {
        bare_key(id, "client_id", validators::provider_id)
    }

    fn import_id(&self, m: &ScimClientModel) -> String {
        format!("{}/{}", m.project(), m.client_id())
    }

    fn id(&self, m: &ScimClientModel) -> String {
        m.client_id().to_string()
    }

    fn part(&self, m: &ScimClientModel) -> Part {
        Part::by_key(paths::SCIM_CLIENTS, "SCIM client", "client_id", m.client_id())
    }

    /// The secret is sent by a create, and by an update that changes it.
    fn value(&self, m: &ScimClientModel, prior: Option<&ScimClientModel>) -> Json {
        let mut entry = json!({
            "client_id": m.client_id(),
            "organization_id": m.organization_id,
            "label": m.label,
            "mapper_url": m.mapper_url.as_deref().map(inline::sent),
            // Ory answers 500 to an entry without a state.
            "state": m.state.as_deref().unwrap_or(ScimState::Enabled.as_str()),
        });
        let changed = prior.is_none_or(|prior| {
            prior.authorization_header_secret != m.authorization_header_secret
                || prior.authorization_header_secret_wo_version != m.authorization_header_secret_wo_version
        });
        let secret = m.authorization_header_secret.clone().or_else(|| m.authorization_header_secret_wo.clone());
        if let Some(secret) = secret.filter(|_| changed) {
            entry["authorization_header_secret"] = json!(secret);
        }
        entry
    }

    fn shown(&self, m: &ScimClientModel, project: &str, entry: &Json, _: &Json) -> ScimClientModel {
        let text = |key: &str| entry[key].as_str().filter(|t| !t.is_empty()).map(str::to_string);
        ScimClientModel {
            id: Some(m.client_id().to_string()),
            project_id: Some(project.to_string()),
            client_id: Some(m.client_id().to_string()),
            organization_id: text("organization_id"),
            label: text("label"),
            mapper_url: inline::seen(m.mapper_url.as_deref(), entry["mapper_url"].as_str()),
            authorization_header_secret: m.authorization_header_secret.clone(),
            authorization_header_secret_wo_version: m.authorization_header_secret_wo_version.clone(),
            state: text("state"),
            ..ScimClientModel::default()
        }
    }
}
