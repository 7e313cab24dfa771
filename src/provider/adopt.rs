//! `terraform-provider-ory adopt`: the import blocks of everything a
//! workspace key can see, for `terraform plan -generate-config-out` to turn
//! into configuration. It only reads.
//!
//! Each block uses the import ID its resource documents, so the blocks are
//! exactly what a user would write by hand; what cannot be adopted (Ory's
//! built-in identity schemas, the provider's own temporary keys) is left
//! out, and the file's header says so.

use std::collections::BTreeSet;

use serde_json::Value as Json;

use crate::console::{self, Owner, Project};
use crate::provider::document::{self, paths};
use crate::provider::framework::project_keys::MINTED_KEY_NAME;

/// The `adopt` subcommand: reads the key and URL from the environment as
/// the provider does, and prints the import blocks.
pub async fn run() -> Result<String, String> {
    use crate::provider::client::{ENV_CONSOLE_API_URL, ENV_WORKSPACE_API_KEY};
    let key = std::env::var(ENV_WORKSPACE_API_KEY).unwrap_or_default();
    if key.is_empty() {
        return Err(format!("adopt needs a workspace API key: set {ENV_WORKSPACE_API_KEY} (ory_wak_...)."));
    }
    let url = std::env::var(ENV_CONSOLE_API_URL).ok().filter(|u| !u.is_empty());
    let config = console::Config::new(url.as_deref().unwrap_or(console::DEFAULT_URL), key);
    let client = console::Client::new(config).map_err(|e| e.to_string())?;
    import_blocks(&client, ProjectKey::from_env()).await.map_err(|e| format!("Reading the workspace: {e}"))
}

/// A project API key at hand (`ORY_PROJECT_API_KEY`, with `ORY_PROJECT_SLUG`
/// or `ORY_PROJECT_ID` naming its project, as the provider takes them), which opens that project's
/// own API: its identities, OAuth2 clients and relationships are adopted too.
pub struct ProjectKey {
    pub key: String,
    /// The project's ID or slug.
    pub project: String,
    pub url_template: String,
}

impl ProjectKey {
    fn from_env() -> Option<ProjectKey> {
        use crate::provider::client::{ENV_PROJECT_API_KEY, ENV_PROJECT_API_URL, ENV_PROJECT_ID, ENV_PROJECT_SLUG};
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        Some(ProjectKey {
            key: var(ENV_PROJECT_API_KEY)?,
            project: var(ENV_PROJECT_SLUG).or_else(|| var(ENV_PROJECT_ID))?,
            url_template: var(ENV_PROJECT_API_URL).unwrap_or_else(|| crate::project_api::DEFAULT_URL_TEMPLATE.into()),
        })
    }

    fn opens(&self, project: &Project) -> bool {
        self.project == project.id || self.project == project.slug
    }
}

/// One import block.
struct Import {
    resource: &'static str,
    /// What the label is made from: a name, as people read it.
    named: String,
    id: String,
}

/// Labels unique per resource type, made of the object's name.
#[derive(Default)]
struct Labels(BTreeSet<(String, String)>);

impl Labels {
    fn label(&mut self, resource: &str, named: &str) -> String {
        let mut base: String = named
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '_' })
            .collect::<String>()
            .split('_')
            .filter(|part| !part.is_empty())
            .collect::<Vec<_>>()
            .join("_");
        if !base.starts_with(|c: char| c.is_ascii_alphabetic()) {
            base = format!("r_{base}");
        }
        base.truncate(60);
        let mut label = base.clone();
        let mut n = 2;
        while !self.0.insert((resource.to_string(), label.clone())) {
            label = format!("{base}_{n}");
            n += 1;
        }
        label
    }
}

/// HCL's string literal: quotes, backslashes and `${`/`%{` escaped.
fn hcl_string(text: &str) -> String {
    let mut out = String::from("\"");
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '$' | '%' if chars.peek() == Some(&'{') => {
                out.push(c);
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The import blocks of every object the console client's key can see, as
/// the text of an `imports.tf`.
pub async fn import_blocks(client: &console::Client, key: Option<ProjectKey>) -> Result<String, console::Error> {
    let mut imports = Vec::new();
    let mut left_out = Vec::new();
    for workspace in client.workspaces().list_all().await? {
        imports.push(Import { resource: "ory_workspace", named: workspace.name.clone(), id: workspace.id.clone() });
        for listed in client.projects().list_for_workspace(&workspace.id).await? {
            let project = client.projects().get(&listed.id).await?;
            if project.is_deleted() {
                continue;
            }
            project_imports(client, &project, &mut imports, &mut left_out).await?;
            match &key {
                Some(key) if key.opens(&project) => {
                    data_plane_imports(&project, key, &mut imports, &mut left_out).await?
                }
                _ => left_out.push(format!(
                    "the identities, OAuth2 clients and relationships of project {}: no project key for it is at hand (ORY_PROJECT_API_KEY with ORY_PROJECT_SLUG)",
                    project.name
                )),
            }
        }
    }
    let mut labels = Labels::default();
    let mut text = String::from(HEADER);
    for note in &left_out {
        text.push_str(&format!("#   - {note}\n"));
    }
    if left_out.is_empty() {
        text.push_str("#   nothing.\n");
    }
    for import in &imports {
        let label = labels.label(import.resource, &import.named);
        text.push_str(&format!(
            "\nimport {{\n  to = {}.{label}\n  id = {}\n}}\n",
            import.resource,
            hcl_string(&import.id)
        ));
    }
    Ok(text)
}

const HEADER: &str = "# Import blocks written by `terraform-provider-ory adopt`: every object the
# workspace key can see. With Terraform 1.5 or later (import blocks), turn them
# into configuration with
#   terraform plan -generate-config-out=generated.tf
# then review generated.tf (see docs/guides/adopting.md) and run terraform apply,
# which imports everything and changes nothing at Ory.
#
# Left out:
";

async fn project_imports(
    client: &console::Client,
    project: &Project,
    imports: &mut Vec<Import>,
    left_out: &mut Vec<String>,
) -> Result<(), console::Error> {
    let (id, name) = (project.id.as_str(), project.name.as_str());
    let mut add = |resource: &'static str, named: String, import_id: String| {
        imports.push(Import { resource, named, id: import_id });
    };
    add("ory_project", name.to_string(), id.to_string());
    for key in client.api_keys(Owner::Project(id)).list().await? {
        if key.name == MINTED_KEY_NAME {
            continue;
        }
        add("ory_project_api_key", format!("{name} {}", key.name), format!("{id}/{}", key.id));
    }
    match client.event_streams(id).list().await {
        Ok(streams) => {
            for (i, stream) in streams.iter().enumerate() {
                add("ory_event_stream", format!("{name} stream {}", i + 1), format!("{id}/{}", stream.id));
            }
        }
        // A plan without event streams: there are none to adopt.
        Err(e) if e.status() == Some(403) || e.status() == Some(404) => {}
        Err(e) => return Err(e),
    }
    let doc = document::of(project);
    for org in doc["organizations"].as_array().map(Vec::as_slice).unwrap_or_default() {
        if let (Some(org_id), Some(label)) = (org["id"].as_str(), org["label"].as_str()) {
            add("ory_organization", format!("{name} {label}"), format!("{id}/{org_id}"));
        }
    }
    for schema in list_at(&doc, paths::IDENTITY_SCHEMAS) {
        let Some(schema_id) = schema["id"].as_str() else { continue };
        if schema_id.starts_with("preset://") {
            left_out.push(format!("Ory's built-in identity schema {schema_id} of project {name}"));
            continue;
        }
        add("ory_identity_schema", format!("{name} {schema_id}"), format!("{id}/{schema_id}"));
    }
    for provider in list_at(&doc, paths::OIDC_PROVIDERS) {
        if let Some(provider_id) = provider["id"].as_str() {
            add("ory_social_provider", format!("{name} {provider_id}"), format!("{id}/{provider_id}"));
        }
    }
    for provider in list_at(&doc, paths::SAML_PROVIDERS) {
        if let Some(provider_id) = provider["id"].as_str() {
            add("ory_saml_provider", format!("{name} saml {provider_id}"), format!("{id}/{provider_id}"));
        }
    }
    if let Some(Json::Object(templates)) = doc.pointer(paths::COURIER_TEMPLATES) {
        for (kind, variants) in templates {
            for (variant, template) in variants.as_object().into_iter().flatten() {
                if template.get("email").is_some_and(|e| !e.is_null()) {
                    add("ory_email_template", format!("{name} {kind} {variant}"), format!("{id}/{kind}/{variant}"));
                }
            }
        }
    }
    for (flow, timing, method, hook) in web_hooks(&doc) {
        let Some(url) = hook["config"]["url"].as_str() else { continue };
        let verb = hook["config"]["method"].as_str().unwrap_or("POST");
        let import_id = match timing {
            "before" => format!("{id}:{flow}:before:{verb}:{url}"),
            _ => format!("{id}:{flow}:after:{}:{verb}:{url}", method.as_deref().unwrap_or_default()),
        };
        add("ory_action", format!("{name} {flow} {timing} {}", method.as_deref().unwrap_or("hook")), import_id);
    }
    if doc.pointer("/services/permission/config/namespaces/location").is_some() {
        add("ory_permission_model", format!("{name} permissions"), id.to_string());
    }
    let changed = changed_settings(&doc);
    if !changed.is_empty() {
        add("ory_project_config", format!("{name} config"), format!("{id}:{}", changed.join(",")));
    }
    Ok(())
}

/// The settings an adopted `ory_project_config` manages when a project's
/// value differs from Ory's default for a new project: the ones teams
/// change, each beside its default (UNVERIFIED for Ory Network as a whole:
/// Kratos' and Hydra's documented defaults, and what Ory Network shows for
/// a new project). Lists and entries other resources own are not here.
const SETTINGS: &[(&str, DefaultValue)] = {
    use DefaultValue::{Bool, Duration, Int, Text};
    &[
        ("/services/identity/config/session/lifespan", Duration("72h")),
        ("/services/identity/config/session/cookie/persistent", Bool(true)),
        ("/services/identity/config/session/cookie/same_site", Text("Lax")),
        ("/services/identity/config/session/whoami/required_aal", Text("highest_available")),
        ("/services/identity/config/cookies/same_site", Text("Lax")),
        ("/services/identity/config/courier/smtp/from_address", Text("no-reply@ory.sh")),
        ("/services/identity/config/selfservice/methods/password/enabled", Bool(true)),
        ("/services/identity/config/selfservice/methods/password/config/min_password_length", Int(8)),
        ("/services/identity/config/selfservice/methods/password/config/haveibeenpwned_enabled", Bool(true)),
        (
            "/services/identity/config/selfservice/methods/password/config/identifier_similarity_check_enabled",
            Bool(true),
        ),
        ("/services/identity/config/selfservice/methods/code/enabled", Bool(true)),
        ("/services/identity/config/selfservice/methods/totp/enabled", Bool(false)),
        ("/services/identity/config/selfservice/methods/lookup_secret/enabled", Bool(false)),
        ("/services/identity/config/selfservice/methods/webauthn/enabled", Bool(false)),
        ("/services/identity/config/selfservice/methods/passkey/enabled", Bool(false)),
        ("/services/identity/config/selfservice/methods/link/enabled", Bool(false)),
        ("/services/identity/config/selfservice/methods/profile/enabled", Bool(true)),
        ("/services/identity/config/selfservice/flows/registration/enabled", Bool(true)),
        ("/services/identity/config/selfservice/flows/recovery/enabled", Bool(true)),
        ("/services/identity/config/selfservice/flows/verification/enabled", Bool(true)),
        ("/services/identity/config/selfservice/flows/recovery/use", Text("code")),
        ("/services/identity/config/selfservice/flows/verification/use", Text("code")),
        ("/services/identity/config/selfservice/flows/login/lifespan", Duration("30m")),
        ("/services/identity/config/selfservice/flows/registration/lifespan", Duration("30m")),
        ("/services/identity/config/selfservice/flows/settings/privileged_session_max_age", Duration("15m")),
        ("/services/identity/config/selfservice/flows/settings/required_aal", Text("highest_available")),
        ("/services/oauth2/config/ttl/access_token", Duration("1h")),
        ("/services/oauth2/config/ttl/refresh_token", Duration("720h")),
        ("/services/oauth2/config/ttl/id_token", Duration("1h")),
        ("/services/oauth2/config/ttl/auth_code", Duration("10m")),
        ("/services/oauth2/config/ttl/login_consent_request", Duration("30m")),
        ("/services/oauth2/config/oauth2/pkce/enforced", Bool(false)),
        ("/services/oauth2/config/oauth2/pkce/enforced_for_public_clients", Bool(true)),
        ("/services/oauth2/config/strategies/access_token", Text("opaque")),
        ("/services/oauth2/config/strategies/scope", Text("wildcard")),
        ("/services/oauth2/config/oidc/dynamic_client_registration/enabled", Bool(false)),
        ("/services/permission/config/limit/max_read_depth", Int(3)),
        ("/services/account_experience/config/default_locale", Text("en")),
        ("/services/account_experience/config/locale_behavior", Text("force_default")),
        ("/cors_public/enabled", Bool(false)),
        ("/cors_admin/enabled", Bool(false)),
    ]
};

/// A setting's default, compared as Ory means it: `72h` is `72h0m0s`.
enum DefaultValue {
    Bool(bool),
    Int(i64),
    Text(&'static str),
    Duration(&'static str),
}

impl DefaultValue {
    fn is(&self, live: &Json) -> bool {
        match self {
            DefaultValue::Bool(b) => live.as_bool() == Some(*b),
            DefaultValue::Int(n) => live.as_i64() == Some(*n),
            DefaultValue::Text(t) => live.as_str() == Some(*t),
            DefaultValue::Duration(d) => {
                let seconds = crate::provider::validators::parse_duration;
                live.as_str().and_then(seconds).is_some_and(|live| Some(live) == seconds(d))
            }
        }
    }
}

/// The settings whose live value differs from the default, and CORS
/// origins when there are any; a setting absent is Ory's default.
fn changed_settings(doc: &Json) -> Vec<String> {
    let mut changed: Vec<String> = SETTINGS
        .iter()
        .filter(|(pointer, default)| doc.pointer(pointer).is_some_and(|live| !live.is_null() && !default.is(live)))
        .map(|(pointer, _)| pointer.to_string())
        .collect();
    for cors in ["/cors_public/origins", "/cors_admin/origins"] {
        if doc.pointer(cors).and_then(Json::as_array).is_some_and(|origins| !origins.is_empty()) {
            changed.push(cors.to_string());
        }
    }
    changed
}

/// The objects of a project's own API that configuration holds: its
/// identities, OAuth2 clients and relationships. Trusted issuers are left
/// out (Ory never shows their key, which their configuration needs), and
/// so are JSON Web Key sets (Ory cannot list them).
async fn data_plane_imports(
    project: &Project,
    key: &ProjectKey,
    imports: &mut Vec<Import>,
    left_out: &mut Vec<String>,
) -> Result<(), console::Error> {
    let settings = console::Config::new(String::new(), String::new());
    let api = crate::project_api::ProjectApi::new(&key.url_template, &project.slug, &key.key, settings)?;
    let (id, name) = (project.id.as_str(), project.name.as_str());
    for identity in api.identities().list().await? {
        let named = identity.traits["email"].as_str().unwrap_or("identity").to_string();
        imports.push(Import {
            resource: "ory_identity",
            named: format!("{name} {named}"),
            id: format!("{id}/{}", identity.id),
        });
    }
    for oauth2 in api.oauth2_clients().list().await? {
        let named = oauth2.body.client_name.clone().filter(|n| !n.is_empty()).unwrap_or_else(|| "client".into());
        imports.push(Import {
            resource: "ory_oauth2_client",
            named: format!("{name} {named}"),
            id: format!("{id}/{}", oauth2.client_id),
        });
    }
    for namespace in api.relationships().namespaces().await? {
        let query = crate::project_api::TupleQuery { namespace: &namespace, ..Default::default() };
        for tuple in api.relationships().list(&query).await? {
            let named = format!("{name} {} {} {}", tuple.namespace, tuple.object, tuple.relation);
            imports.push(Import { resource: "ory_relationship", named, id: format!("{id}/{tuple}") });
        }
    }
    let trusts = api.trusted_issuers().list().await?.len();
    if trusts > 0 {
        left_out.push(format!("{trusts} trusted JWT issuer(s) of project {name}: Ory never shows the issuer's key, which their configuration needs; import each with its jwk (see ory_trusted_oauth2_jwt_grant_issuer)"));
    }
    left_out.push(format!("the JSON Web Key sets of project {name}: Ory cannot list them; import each by its set ID"));
    Ok(())
}

fn list_at<'a>(doc: &'a Json, pointer: &str) -> &'a [Json] {
    doc.pointer(pointer).and_then(Json::as_array).map(Vec::as_slice).unwrap_or_default()
}

/// Every web hook of every flow: `(flow, timing, auth method, hook)`.
fn web_hooks(doc: &Json) -> Vec<(String, &'static str, Option<String>, Json)> {
    let mut found = Vec::new();
    let Some(Json::Object(flows)) = doc.pointer(paths::FLOWS) else { return found };
    for (flow, config) in flows {
        for timing in ["before", "after"] {
            let stage = &config[timing];
            let is_hook = |h: &&Json| h["hook"] == "web_hook";
            for hook in stage["hooks"].as_array().into_iter().flatten().filter(is_hook) {
                found.push((flow.clone(), timing, None, hook.clone()));
            }
            if timing == "after" {
                for (method, lists) in stage.as_object().into_iter().flatten() {
                    for hook in lists["hooks"].as_array().into_iter().flatten().filter(is_hook) {
                        found.push((flow.clone(), timing, Some(method.clone()), hook.clone()));
                    }
                }
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_names_made_unique_and_strings_are_escaped() {
        let mut labels = Labels::default();
        assert_eq!(labels.label("ory_project", "Customer Identity"), "customer_identity");
        assert_eq!(labels.label("ory_project", "customer-identity"), "customer_identity_2");
        assert_eq!(labels.label("ory_workspace", "customer identity"), "customer_identity");
        assert_eq!(labels.label("ory_project", "42"), "r_42");
        assert_eq!(hcl_string("a\"b${c}\\"), "\"a\\\"b$${c}\\\\\"");
    }
}
