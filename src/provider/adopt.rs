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
use crate::plugin::{Diagnostics, Provider, Resource, Value};
use crate::provider::client::{OryClient, ProviderConfig};
use crate::provider::document::{self, paths};
use crate::provider::framework::project_keys::MINTED_KEY_NAME;

/// The `adopt` subcommand: configured exactly as the provider is, from the
/// environment (a provider block with nothing set), and prints the import
/// blocks.
pub async fn run() -> Result<String, String> {
    let (_never, stop) = tokio::sync::watch::channel(false);
    let client = OryClient::configure(ProviderConfig::default(), "", stop, Default::default()).map_err(|diags| {
        let lines: Vec<String> = diags
            .0
            .iter()
            .map(|d| crate::text::printable(&format!("{}: {}", d.summary, d.detail), 2000, &[]))
            .collect();
        lines.join("\n")
    })?;
    if !client.console.has_api_key() {
        return Err(format!(
            "adopt needs a workspace API key: set {} (ory_wak_...).",
            crate::provider::client::ENV_WORKSPACE_API_KEY
        ));
    }
    import_blocks(&client).await.map_err(|e| crate::text::printable(&format!("Reading the workspace: {e}"), 2000, &[]))
}

/// One import block, and what adopt knows of the object's configuration
/// beside its ID: checked by the resource's own validation before it is
/// written, so that what the plan generates is configuration the provider
/// accepts.
struct Import {
    resource: &'static str,
    /// What the label is made from: a name, as people read it.
    named: String,
    id: String,
    known: Vec<(&'static str, String)>,
}

impl Import {
    fn new(resource: &'static str, named: String, id: String) -> Import {
        Import { resource, named, id, known: Vec::new() }
    }

    fn knowing(mut self, attribute: &'static str, value: &str) -> Import {
        self.known.push((attribute, value.to_string()));
        self
    }
}

/// What adopt writes: the import blocks, and the objects it leaves out
/// (each with why), for the file's header.
#[derive(Default)]
struct Adopted {
    imports: Vec<Import>,
    left_out: Vec<String>,
}

impl Adopted {
    fn add(&mut self, import: Import) {
        self.imports.push(import);
    }

    fn leave_out(&mut self, why: String) {
        self.left_out.push(why);
    }
}

/// A project as notes name it: two projects may share a name, never an ID.
fn project_named(project: &Project) -> String {
    format!("project {:?} ({})", project.name, project.id)
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

/// HCL's string literal: quotes, backslashes and `${`/`%{` escaped, and
/// every character that steers how text is shown (line breaks, terminal
/// escapes, bidirectional controls) written as `\uNNNN`, so that the
/// reviewer reads what the string holds.
fn hcl_string(text: &str) -> String {
    let mut out = String::from("\"");
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '$' | '%' if chars.peek() == Some(&'{') => {
                out.push(c);
                out.push(c);
            }
            c if crate::text::is_steering(c) => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// API text in a `#` comment: on one line, with nothing that steers the
/// terminal or the reader, and bounded.
fn comment(text: &str) -> String {
    crate::text::printable(text, 300, &[])
}

/// Why the provider would refuse to import `import` or to plan what the
/// import generates: its own import-ID parser and attribute checks, run on
/// what adopt knows. `None` when it would take it.
async fn refusal(client: &OryClient, resources: &[Box<dyn Resource<OryClient>>], import: &Import) -> Option<String> {
    let Some(resource) = resources.iter().find(|r| r.type_name() == import.resource) else {
        return Some(format!("this provider has no resource {}", import.resource));
    };
    let mut diags = Diagnostics::new();
    let mut partial = resource.import(client, &import.id, &mut diags).await;
    if diags.has_errors() {
        // The import's help repeats the ID, which may hold a web hook's
        // credentials: never written.
        return Some(format!("its import ID is not one {} takes", import.resource));
    }
    for (attribute, value) in &import.known {
        partial.set_attr(attribute, Value::string(value));
    }
    let error =
        resource.validate(&partial).0.into_iter().find(|d| d.severity == crate::plugin::diag::Severity::Error)?;
    Some(format!("{}: {}", error.summary, error.detail))
}

/// The import blocks of every object the client's workspace key can see
/// (and, with the provider's project key, that project's own objects), as
/// the text of an `imports.tf`. No byte of what Ory answers reaches the
/// text but inside an escaped string or a cleaned comment.
pub async fn import_blocks(client: &OryClient) -> Result<String, console::Error> {
    let console = &client.console;
    let mut adopted = Adopted::default();
    for workspace in console.workspaces().list_all().await? {
        adopted.add(
            Import::new("ory_workspace", workspace.name.clone(), workspace.id.clone()).knowing("name", &workspace.name),
        );
        for listed in console.projects().list_for_workspace(&workspace.id).await? {
            let project = console.projects().get(&listed.id).await?;
            if project.is_deleted() {
                continue;
            }
            project_imports(console, &project, &mut adopted).await?;
            match client.project_keys.configured_for(&project.slug) {
                Some(api) => data_plane_imports(&project, &api?, &mut adopted).await?,
                None => adopted.leave_out(format!(
                    "the identities, OAuth2 clients and relationships of {}: no project key for it is at hand (ORY_PROJECT_API_KEY with ORY_PROJECT_SLUG)",
                    project_named(&project)
                )),
            }
        }
    }
    let resources = crate::provider::OryProvider::new().resources();
    let mut labels = Labels::default();
    let mut blocks = String::new();
    let imports = std::mem::take(&mut adopted.imports);
    for import in &imports {
        if let Some(why) = refusal(client, &resources, import).await {
            // Named by its label's words, never its ID: an action's ID
            // holds its URL, which may hold a password.
            adopted
                .leave_out(format!("{} {:?}, which this provider would refuse: {why}", import.resource, import.named));
            continue;
        }
        let label = labels.label(import.resource, &import.named);
        blocks.push_str(&format!(
            "\nimport {{\n  to = {}.{label}\n  id = {}\n}}\n",
            import.resource,
            hcl_string(&import.id)
        ));
    }
    let mut text = String::from(HEADER);
    for note in &adopted.left_out {
        text.push_str(&format!("#   - {}\n", comment(note)));
    }
    if adopted.left_out.is_empty() {
        text.push_str("#   nothing.\n");
    }
    text.push_str(&blocks);
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
    adopted: &mut Adopted,
) -> Result<(), console::Error> {
    let (id, name) = (project.id.as_str(), project.name.as_str());
    adopted.add(Import::new("ory_project", name.to_string(), id.to_string()).knowing("name", name));
    for key in client.api_keys(Owner::Project(id)).list().await? {
        if key.name == MINTED_KEY_NAME {
            continue;
        }
        let import = Import::new("ory_project_api_key", format!("{name} {}", key.name), format!("{id}/{}", key.id));
        adopted.add(import.knowing("name", &key.name));
    }
    match client.event_streams(id).list().await {
        Ok(streams) => {
            for (i, stream) in streams.iter().enumerate() {
                let import_id = format!("{id}/{}", stream.id);
                adopted.add(Import::new("ory_event_stream", format!("{name} stream {}", i + 1), import_id));
            }
        }
        // A plan without event streams: there are none to adopt.
        Err(e) if e.status() == Some(403) || e.status() == Some(404) => {}
        Err(e) => return Err(e),
    }
    match client.custom_domains(id).list().await {
        Ok(domains) => {
            for domain in domains {
                let host = domain.hostname.clone().unwrap_or_default();
                let import = Import::new("ory_custom_domain", format!("{name} {host}"), format!("{id}/{}", domain.id));
                adopted.add(import.knowing("hostname", &host));
            }
        }
        // A plan without custom domains: there are none to adopt.
        Err(e) if e.status() == Some(403) || e.status() == Some(404) => {}
        Err(e) => return Err(e),
    }
    let doc = document::of(project);
    for scim in list_at(&doc, paths::SCIM_CLIENTS) {
        if let Some(client_id) = scim["client_id"].as_str() {
            let import_id = format!("{id}/{client_id}");
            adopted.add(Import::new("ory_scim_client", format!("{name} scim {client_id}"), import_id));
        }
    }
    for org in doc["organizations"].as_array().map(Vec::as_slice).unwrap_or_default() {
        if let (Some(org_id), Some(label)) = (org["id"].as_str(), org["label"].as_str()) {
            let import = Import::new("ory_organization", format!("{name} {label}"), format!("{id}/{org_id}"));
            adopted.add(import.knowing("label", label));
        }
    }
    for schema in list_at(&doc, paths::IDENTITY_SCHEMAS) {
        let Some(schema_id) = schema["id"].as_str() else { continue };
        if schema_id.starts_with("preset://") {
            adopted.leave_out(format!("Ory's built-in identity schema {schema_id:?} of {}", project_named(project)));
            continue;
        }
        adopted.add(Import::new("ory_identity_schema", format!("{name} {schema_id}"), format!("{id}/{schema_id}")));
    }
    for provider in list_at(&doc, paths::OIDC_PROVIDERS) {
        if let Some(provider_id) = provider["id"].as_str() {
            let import_id = format!("{id}/{provider_id}");
            adopted.add(Import::new("ory_social_provider", format!("{name} {provider_id}"), import_id));
        }
    }
    for provider in list_at(&doc, paths::SAML_PROVIDERS) {
        if let Some(provider_id) = provider["id"].as_str() {
            let import_id = format!("{id}/{provider_id}");
            adopted.add(Import::new("ory_saml_provider", format!("{name} saml {provider_id}"), import_id));
        }
    }
    if let Some(Json::Object(templates)) = doc.pointer(paths::COURIER_TEMPLATES) {
        for (kind, variants) in templates {
            for (variant, template) in variants.as_object().into_iter().flatten() {
                if template.get("email").is_some_and(|e| !e.is_null()) {
                    let import_id = format!("{id}/{kind}/{variant}");
                    adopted.add(Import::new("ory_email_template", format!("{name} {kind} {variant}"), import_id));
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
        let named = format!("{name} {flow} {timing} {}", method.as_deref().unwrap_or("hook"));
        adopted.add(Import::new("ory_action", named, import_id));
    }
    if doc.pointer("/services/permission/config/namespaces/location").is_some() {
        adopted.add(Import::new("ory_permission_model", format!("{name} permissions"), id.to_string()));
    }
    let changed = changed_settings(&doc);
    if !changed.is_empty() {
        let import_id = format!("{id}:{}", changed.join(","));
        adopted.add(Import::new("ory_project_config", format!("{name} config"), import_id));
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
    api: &crate::project_api::ProjectApi,
    adopted: &mut Adopted,
) -> Result<(), console::Error> {
    let (id, name) = (project.id.as_str(), project.name.as_str());
    for identity in api.identities().list().await? {
        let named = identity.traits["email"].as_str().unwrap_or("identity");
        adopted.add(Import::new("ory_identity", format!("{name} {named}"), format!("{id}/{}", identity.id)));
    }
    for oauth2 in api.oauth2_clients().list().await? {
        let named = oauth2.body.client_name.as_deref().filter(|n| !n.is_empty()).unwrap_or("client");
        adopted.add(Import::new("ory_oauth2_client", format!("{name} {named}"), format!("{id}/{}", oauth2.client_id)));
    }
    for namespace in api.relationships().namespaces().await? {
        let query = crate::project_api::TupleQuery { namespace: &namespace, ..Default::default() };
        for tuple in api.relationships().list(&query).await? {
            let named = format!("{name} {} {} {}", tuple.namespace, tuple.object, tuple.relation);
            let import_id = format!("{id}/{}", crate::provider::project_api::relationship::tuple_id(&tuple));
            adopted.add(Import::new("ory_relationship", named, import_id));
        }
    }
    let trusts = api.trusted_issuers().list().await?.len();
    if trusts > 0 {
        adopted.leave_out(format!("{trusts} trusted JWT issuer(s) of {}: Ory never shows the issuer's key, which their configuration needs; import each with its jwk (see ory_trusted_oauth2_jwt_grant_issuer)", project_named(project)));
    }
    adopted.leave_out(format!(
        "the JSON Web Key sets of {}: Ory cannot list them; import each by its set ID",
        project_named(project)
    ));
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
