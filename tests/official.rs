//! Drop-in for configurations written for Ory's official provider (issue
//! 35): its import ID forms, bare IDs in the provider's `project_id`
//! included, import with no write and plan no change.

use std::collections::BTreeMap;

use reqwest::Method;
use serde_json::{json, Value as Json};

use crate::support::{actions, assert_no_changes, skip, terraform_version, Emulator, Tf, PROVIDER_BLOCKS};

const SEED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/adopt_seed.json");

#[test]
fn the_official_providers_import_ids_import_with_no_change() {
    if terraform_version() < (1, 5) {
        skip("the_official_providers_import_ids_import_with_no_change", "import blocks need Terraform 1.5 or later");
        return;
    }
    let emulator = Emulator::start_with(&["--allow-workspace-key-writes", "--seed", SEED]);
    let (_, projects) = emulator.call(Method::GET, "/projects");
    let id = projects.as_array().unwrap().iter().find(|p| p["name"] == "storefront").unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let (_, keys) = emulator.call(Method::GET, &format!("/projects/{id}/tokens"));
    let key =
        keys.as_array().unwrap().iter().find(|k| k["name"] == "backend").unwrap()["id"].as_str().unwrap().to_string();
    let doc = emulator.project(&id);
    let hook = doc.pointer("/services/identity/config/selfservice/flows/login/after/hooks/0/config/url").unwrap();
    let hook = hook.as_str().unwrap().to_string();
    let (_, domains) = emulator.call(Method::GET, &format!("/projects/{id}/cname"));
    let domain = domains[0]["id"].as_str().unwrap().to_string();
    let mut tf = Tf::new(&emulator, "adopt");
    tf.set_env("ORY_PROJECT_ID", &id);
    // Each as Ory's provider imports it.
    let imports = [
        ("ory_social_provider.google", "google".to_string()),
        ("ory_saml_provider.acme", "acme".to_string()),
        ("ory_email_template.recovery", "recovery_code_valid".to_string()),
        ("ory_identity_schema.customer", "customer".to_string()),
        ("ory_action.login", format!("{id}:login:after:_:POST:{hook}")),
        ("ory_project_api_key.backend", key),
        ("ory_scim_client.okta", "okta-acme".to_string()),
        ("ory_custom_domain.auth", domain),
    ];
    let blocks: String =
        imports.iter().map(|(to, id)| format!("import {{\n  to = {to}\n  id = \"{id}\"\n}}\n\n")).collect();
    tf.write("imports.tf", &blocks);
    tf.init();
    let before = emulator.requests();
    tf.run(&["plan", "-input=false", "-generate-config-out=generated.tf", "-out=tfplan"]);
    tf.run(&["apply", "-input=false", "tfplan"]);
    assert_eq!(writes_since(&emulator, &before), 0, "importing wrote to Ory: {:?}", emulator.requests());
    let state = tf.state_ids();
    assert_eq!(state.values().map(Vec::len).sum::<usize>(), imports.len(), "{state:?}");
    assert_no_changes(&tf.plan(&[]));
}

const CONFIG: &str = "/services/identity/config";

/// The flat attributes of Ory's `ory_project_config` write their keys,
/// read back as written (empty values Ory drops included: its #321, #322,
/// #315), show a key removed outside Terraform (#312), clear return URLs
/// (#69) and keep tokenizer templates (#133); a write-only SMTP URI never
/// reaches the state.
#[test]
fn the_official_flat_project_config_attributes_write_their_keys_and_read_back_unchanged() {
    let emulator = Emulator::start();
    let id = emulator.new_project("flat");
    emulator.patch_project(
        &id,
        json!([{"op": "add", "path": format!("{CONFIG}/selfservice/default_browser_return_url"), "value": "https://old.example.com"}]),
    );
    let tf = in_project(&emulator, &id);
    tf.init();
    tf.apply(&[]);
    let doc = emulator.project(&id);
    let at = |pointer: &str| doc.pointer(pointer).cloned().unwrap_or(Json::Null);
    assert_eq!(at("/cors_public/origins"), json!(["https://app.example.com"]));
    assert_eq!(at(&format!("{CONFIG}/session/lifespan")), json!("720h0m0s"));
    assert_eq!(at(&format!("{CONFIG}/selfservice/methods/password/config/min_password_length")), json!(10));
    assert_eq!(at(&format!("{CONFIG}/selfservice/default_browser_return_url")), Json::Null, "cleared");
    assert_eq!(at(&format!("{CONFIG}/session/whoami/required_aal")), json!("highest_available"));
    assert_eq!(at(&format!("{CONFIG}/feature_flags/password_profile_registration_node_group")), json!("password"));
    assert_eq!(
        at("/services/permission/config/namespaces"),
        json!([{"id": 0, "name": "documents"}, {"id": 1, "name": "folders"}])
    );
    assert_eq!(at(&format!("{CONFIG}/session/whoami/tokenizer/templates/my_jwt/ttl")), json!("1h"));
    assert_eq!(
        at(&format!("{CONFIG}/courier/http/request_config/auth")),
        json!({"type": "basic_auth", "config": {"user": "mailuser", "password": "mail-secret-123"}})
    );
    assert_eq!(at(&format!("{CONFIG}/courier/channels/0/type")), json!("http"));
    let hooks = at(&format!("{CONFIG}/selfservice/flows/registration/after/password/hooks"));
    let names: Vec<&str> = hooks.as_array().unwrap().iter().filter_map(|h| h["hook"].as_str()).collect();
    assert_eq!(names, ["session", "show_verification_ui"], "{hooks}");
    assert_eq!(
        at(&format!("{CONFIG}/selfservice/flows/settings/after/profile/hooks")),
        json!([{"hook": "verify_new_address"}, {"hook": "notify_previous_addresses", "config": {"recipients": "all_verified"}}])
    );
    assert_eq!(at("/services/permission/config/feature_flags/strict_mode"), json!(true));
    assert!(at(&format!("{CONFIG}/courier/smtp/connection_uri"))
        .as_str()
        .is_some_and(|u| u.contains("smtp-secret-456")));
    let state = std::fs::read_to_string(tf.dir().join("terraform.tfstate")).unwrap();
    assert!(!state.contains("smtp-secret-456"), "the write-only URI reached the state");
    assert_no_changes(&tf.plan(&[]));

    // Removed outside Terraform: the plan puts it back.
    emulator.patch_project(&id, json!([{"op": "remove", "path": format!("{CONFIG}/session/lifespan")}]));
    assert_eq!(tf.plan(&[]), actions(&[("ory_project_config.test", &["update"])]));
    tf.apply_saved();
    assert_eq!(emulator.project(&id).pointer(&format!("{CONFIG}/session/lifespan")), Some(&json!("720h0m0s")));
    assert_no_changes(&tf.plan(&[]));

    // A map is written whole: a header added outside Terraform goes again.
    let headers = format!("{CONFIG}/courier/smtp/headers");
    emulator.patch_project(&id, json!([{"op": "add", "path": format!("{headers}/X-Other"), "value": "1"}]));
    assert_eq!(tf.plan(&[]), actions(&[("ory_project_config.test", &["update"])]));
    tf.apply_saved();
    assert_eq!(emulator.project(&id).pointer(&headers), Some(&json!({"X-SES-CONFIGURATION-SET": "my-config-set"})));
    assert_no_changes(&tf.plan(&[]));
}

/// A flat attribute and its deprecated name, or a flat attribute and a
/// JSON key, that write one key are refused at plan time, naming both.
#[test]
fn two_attributes_writing_one_key_are_refused_at_plan_time() {
    let emulator = Emulator::start();
    let id = emulator.new_project("twice");
    let tf = in_project(&emulator, &id);
    tf.init();
    for (body, names) in [
        (
            "password_min_length = 10\n  selfservice_methods_password_config_min_password_length = 12",
            ["selfservice_methods_password_config_min_password_length", "password_min_length"],
        ),
        (
            "session_lifespan = \"1h\"\n  identity_config = jsonencode({ session = { lifespan = \"2h\" } })",
            ["session_lifespan", "identity_config"],
        ),
        (
            "mfa_enforcement = \"required\"\n  session_whoami_required_aal = \"aal1\"",
            ["mfa_enforcement", "session_whoami_required_aal"],
        ),
    ] {
        tf.write("main.tf", &format!("{PROVIDER_BLOCKS}\nresource \"ory_project_config\" \"test\" {{\n  {body}\n}}\n"));
        let before = emulator.requests();
        let error = tf.plan_fails(&[]);
        assert!(error.contains("One key written twice"), "{error}");
        for name in names {
            assert!(error.contains(name), "{name}: {error}");
        }
        assert_eq!(writes_since(&emulator, &before), 0);
    }
}

/// A hook's config needs its hook: set without the switch that puts the
/// hook in the list, it is refused at plan time, naming both.
#[test]
fn a_hook_setting_without_its_hook_is_refused_at_plan_time() {
    let emulator = Emulator::start();
    let id = emulator.new_project("hookless");
    let tf = in_project(&emulator, &id);
    tf.init();
    let recipients = "selfservice_flows_settings_after_profile_hook_notify_previous_addresses_recipients";
    let switch = "selfservice_flows_settings_after_profile_hook_notify_previous_addresses";
    for with_switch in ["", "\n  selfservice_flows_settings_after_profile_hook_notify_previous_addresses = false"] {
        tf.write(
            "main.tf",
            &format!("{PROVIDER_BLOCKS}\nresource \"ory_project_config\" \"test\" {{\n  {recipients} = \"all\"{with_switch}\n}}\n"),
        );
        let before = emulator.requests();
        let error = tf.plan_fails(&[]);
        assert!(error.contains("Hook setting without its hook"), "{error}");
        assert!(error.contains(switch) && error.contains(recipients), "{error}");
        assert_eq!(writes_since(&emulator, &before), 0);
    }
}

/// An import ID naming flat attributes reads Ory's values into them: the
/// plan after it changes nothing.
#[test]
fn an_import_naming_flat_attributes_plans_no_change() {
    if terraform_version() < (1, 5) {
        skip("an_import_naming_flat_attributes_plans_no_change", "import blocks need Terraform 1.5 or later");
        return;
    }
    let emulator = Emulator::start();
    let id = emulator.new_project("imported");
    let tf = in_project(&emulator, &id);
    tf.init();
    tf.apply(&[]);
    // A second configuration adopts the same keys by import.
    let adopter = in_project(&emulator, &id);
    let names = "cors_origins,session_lifespan,password_min_length,keto_namespaces,session_tokenizer_templates,smtp_headers,courier_channels,mfa_enforcement,selfservice_flows_settings_after_profile_hook_notify_previous_addresses,selfservice_flows_settings_after_profile_hook_notify_previous_addresses_recipients,keto_feature_flags_strict_mode";
    let config = format!(
        "{PROVIDER_BLOCKS}\nimport {{\n  to = ory_project_config.test\n  id = \"{id}:{names}\"\n}}\n\nresource \"ory_project_config\" \"test\" {{\n  cors_origins = [\"https://app.example.com\"]\n  session_lifespan = \"720h0m0s\"\n  password_min_length = 10\n  keto_namespaces = [\"documents\", \"folders\"]\n  mfa_enforcement = \"required\"\n  selfservice_flows_settings_after_profile_hook_notify_previous_addresses = true\n  selfservice_flows_settings_after_profile_hook_notify_previous_addresses_recipients = \"all_verified\"\n  keto_feature_flags_strict_mode = true\n  smtp_headers = {{ \"X-SES-CONFIGURATION-SET\" = \"my-config-set\" }}\n  session_tokenizer_templates = {{ my_jwt = {{ ttl = \"1h\", jwks_url = \"base64://eyJrZXlzIjpbXX0=\" }} }}\n  courier_channels = [{{ id = \"sms\", request_config = {{ url = \"https://sms-api.example.com/send\", method = \"POST\" }} }}]\n}}\n"
    );
    adopter.write("main.tf", &config);
    adopter.init();
    let before = emulator.requests();
    assert_no_changes(&adopter.plan(&[]));
    adopter.apply_saved();
    assert_eq!(writes_since(&emulator, &before), 0);
    assert_no_changes(&adopter.plan(&[]));
}

/// Calls that changed something since `before` (a copy of `requests()`),
/// but the project API keys the provider mints for itself and revokes.
fn writes_since(emulator: &Emulator, before: &BTreeMap<String, u64>) -> u64 {
    let changing = ["create", "update", "delete", "patch", "set", "purge", "trust", "remove"];
    emulator
        .requests()
        .iter()
        .filter(|(op, _)| changing.iter().any(|w| op.starts_with(w)) && !op.ends_with("ProjectApiKey"))
        .map(|(op, n)| n - before.get(op).copied().unwrap_or(0))
        .sum()
}

const JWKS: &str = r#"{ keys = [{ kid = "key-1", kty = "RSA", alg = "RS256", use = "sig", e = "AQAB", n = "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw" }] }"#;

/// Ory's provider's OAuth2 client attributes: a client ID the user
/// chooses, an inline or write-only key set, per-grant lifespans and the
/// OIDC settings; each applies, plans no change after, and imports with
/// no change.
#[test]
fn the_official_oauth2_client_attributes_apply_and_plan_no_change() {
    let emulator = Emulator::start();
    let id = emulator.new_project("clients");
    let tf = in_project(&emulator, &id);
    let config = |client_id: &str, jwks_version: &str| {
        format!(
            r#"{PROVIDER_BLOCKS}
resource "ory_oauth2_client" "chosen" {{
  client_id      = "{client_id}"
  client_name    = "Chosen"
  grant_types    = ["client_credentials"]
  response_types = ["token"]
  scope          = "api:read"
  contacts       = ["ops@example.com"]
  client_credentials_grant_access_token_lifespan = "1h"
  authorization_code_grant_refresh_token_lifespan = "720h0m0s"
  frontchannel_logout_session_required = true
  userinfo_signed_response_alg = "RS256"
  request_object_signing_alg = "RS256"
}}

resource "ory_oauth2_client" "inline" {{
  client_name                = "Inline keys"
  grant_types                = ["client_credentials"]
  token_endpoint_auth_method = "private_key_jwt"
  jwks                       = jsonencode({JWKS})
}}

resource "ory_oauth2_client" "write_only" {{
  client_name                = "Write-only keys"
  grant_types                = ["client_credentials"]
  token_endpoint_auth_method = "private_key_jwt"
  jwks_wo                    = jsonencode({JWKS})
  jwks_wo_version            = "{jwks_version}"
}}
"#
        )
    };
    tf.write("main.tf", &config("billing-service", "1"));
    tf.init();
    tf.apply(&[]);
    let (status, chosen) = client_at(&emulator, &id, "billing-service");
    assert_eq!(status, 200, "{chosen}");
    assert_eq!(chosen["contacts"], json!(["ops@example.com"]));
    assert_eq!(chosen["frontchannel_logout_session_required"], json!(true));
    assert!(chosen["client_credentials_grant_access_token_lifespan"].is_string(), "{chosen}");
    let state = std::fs::read_to_string(tf.dir().join("terraform.tfstate")).unwrap();
    let resources: Json = serde_json::from_str(&state).unwrap();
    let write_only = resources["resources"].as_array().unwrap().iter().find(|r| r["name"] == "write_only").unwrap();
    let client_id = write_only["instances"][0]["attributes"]["client_id"].as_str().unwrap().to_string();
    assert!(write_only["instances"][0]["attributes"]["jwks"].is_null(), "jwks_wo reached the state: {write_only}");
    let (_, sent) = client_at(&emulator, &id, &client_id);
    assert_eq!(sent["jwks"]["keys"][0]["kid"], json!("key-1"), "{sent}");
    assert_no_changes(&tf.plan(&[]));

    // A new client ID is a new client; a new version sends the keys again.
    tf.write("main.tf", &config("billing-service-2", "2"));
    let planned = tf.plan(&[]);
    assert_eq!(planned["ory_oauth2_client.chosen"], ["delete", "create"]);
    assert_eq!(planned["ory_oauth2_client.write_only"], ["update"]);
    tf.apply_saved();
    assert_eq!(client_at(&emulator, &id, "billing-service").0, 404);
    assert_eq!(client_at(&emulator, &id, "billing-service-2").0, 200);
    assert_no_changes(&tf.plan(&[]));

    if terraform_version() < (1, 5) {
        return;
    }
    // Imported by its chosen ID: no change.
    let adopter = in_project(&emulator, &id);
    let chosen_only = config("billing-service-2", "2");
    let chosen_only = &chosen_only[..chosen_only.find("resource \"ory_oauth2_client\" \"inline\"").unwrap()];
    adopter.write(
        "main.tf",
        &format!("{chosen_only}\nimport {{\n  to = ory_oauth2_client.chosen\n  id = \"billing-service-2\"\n}}\n"),
    );
    adopter.init();
    let before = emulator.requests();
    assert_no_changes(&adopter.plan(&[]));
    adopter.apply_saved();
    assert_eq!(writes_since(&emulator, &before), 0);
}

/// An OAuth2 client as the project's API shows it: status and body.
fn client_at(emulator: &Emulator, project: &str, client_id: &str) -> (u16, Json) {
    let slug = emulator.project(project)["slug"].as_str().unwrap().to_string();
    let key = emulator.project_key(project);
    let (status, _, body) = emulator.data_call(&key, Method::GET, &slug, &format!("/admin/clients/{client_id}"), None);
    (status, body)
}

/// A resource's own `project_slug` and `project_api_key`, as Ory's
/// provider takes them: used for that resource alone (no key is made),
/// refused when they are of another project than its project, and refused
/// at plan time when half given.
#[test]
fn per_resource_credentials_reach_their_project_and_no_other() {
    let emulator = Emulator::start();
    let id = emulator.new_project("own-credentials");
    let other = emulator.new_project("someone-else");
    let slug_of = |project: &str| emulator.project(project)["slug"].as_str().unwrap().to_string();
    let (slug, key) = (slug_of(&id), emulator.project_key(&id));
    let tf = in_project(&emulator, &id);
    let config = |slug: &str, key: &str| {
        format!(
            r#"{PROVIDER_BLOCKS}
resource "ory_oauth2_client" "test" {{
  project_slug    = "{slug}"
  project_api_key = "{key}"
  client_name     = "own credentials"
  grant_types     = ["client_credentials"]
  response_types  = ["token"]
  scope           = "api:read"
}}

resource "ory_identity" "test" {{
  project_slug    = "{slug}"
  project_api_key = "{key}"
  schema_id       = "preset://email"
  traits          = jsonencode({{ email = "own@example.com" }})
}}
"#
        )
    };
    tf.write("main.tf", &config(&slug, &key));
    tf.init();
    let before = emulator.requests();
    tf.apply(&[]);
    let minted = emulator.requests().get("createProjectApiKey").copied().unwrap_or(0);
    assert_eq!(minted, before.get("createProjectApiKey").copied().unwrap_or(0), "a key was made");
    assert_no_changes(&tf.plan(&[]));

    // Another project's slug and key for this project: refused, nothing sent.
    let elsewhere = in_project(&emulator, &id);
    elsewhere.write("main.tf", &config(&slug_of(&other), &emulator.project_key(&other)));
    elsewhere.init();
    let before = emulator.requests();
    let run = elsewhere.try_run(&["apply", "-auto-approve", "-input=false"]);
    assert!(!run.ok && run.text().contains("project_slug is of another project"), "{}", run.text());
    assert_eq!(writes_since(&emulator, &before), 0);

    // Half of them: refused at plan time.
    elsewhere.write("main.tf", &config(&slug, &key).replace(&format!("project_api_key = \"{key}\""), ""));
    let error = elsewhere.plan_fails(&[]);
    assert!(error.contains("project_slug is set without project_api_key"), "{error}");
}

/// `preset://username`, which Ory's provider's tests use on a project
/// that lists only `preset://email`: Ory's presets serve every project.
#[test]
fn an_identity_of_the_username_preset_is_made_in_a_fresh_project() {
    let emulator = Emulator::start();
    let id = emulator.new_project("usernames");
    let tf = in_project(&emulator, &id);
    let identity = |name: &str| {
        format!(
            "{PROVIDER_BLOCKS}\nresource \"ory_identity\" \"test\" {{\n  schema_id = \"preset://username\"\n  traits    = jsonencode({{ username = \"{name}\" }})\n}}\n"
        )
    };
    tf.write("main.tf", &identity("ada"));
    tf.init();
    tf.apply(&[]);
    assert_no_changes(&tf.plan(&[]));
    // The preset's schema holds: a trait it does not declare is refused.
    tf.write(
        "main.tf",
        &identity("ada").replace("username = \"ada\"", "username = \"ada\", email = \"ada@example.com\""),
    );
    let run = tf.try_run(&["apply", "-auto-approve", "-input=false"]);
    assert!(!run.ok && run.text().contains("traits do not match"), "{}", run.text());
}

/// Ory's provider's data source forms: `ory_project` with neither ID nor
/// slug reads the provider's project, `ory_identity_schema` by
/// `schema_id`, and `ory_identity` with `schema_url` and `updated_at`.
#[test]
fn the_official_data_source_forms_read() {
    let emulator = Emulator::start();
    let id = emulator.new_project("lookups");
    let tf = in_project(&emulator, &id);
    tf.write(
        "main.tf",
        &format!(
            r#"{PROVIDER_BLOCKS}
data "ory_project" "mine" {{}}

data "ory_identity_schema" "email" {{
  schema_id = "preset://email"
}}

resource "ory_identity" "ada" {{
  schema_id = "preset://email"
  traits    = jsonencode({{ email = "ada@example.com" }})
}}

data "ory_identity" "ada" {{
  id = ory_identity.ada.id
}}

output "project" {{ value = data.ory_project.mine.name }}
output "default" {{ value = data.ory_identity_schema.email.is_default }}
output "schema_url" {{ value = data.ory_identity.ada.schema_url }}
output "updated_at" {{ value = data.ory_identity.ada.updated_at }}
"#
        ),
    );
    tf.init();
    tf.apply(&[]);
    let out: Json = serde_json::from_str(&tf.run(&["output", "-json"]).stdout).unwrap();
    assert_eq!(out["project"]["value"], json!("lookups"));
    assert_eq!(out["default"]["value"], json!(true));
    assert!(out["schema_url"]["value"].as_str().is_some_and(|u| u.contains("/schemas/")), "{out}");
    assert!(out["updated_at"]["value"].is_string(), "{out}");
    assert_no_changes(&tf.plan(&[]));
}

const SAML_METADATA: &str = r#"<EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://idp.example.com"><IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"><KeyDescriptor use="signing"><KeyInfo xmlns="http://www.w3.org/2000/09/xmldsig#"><X509Data><X509Certificate>MIIC</X509Certificate></X509Data></KeyInfo></KeyDescriptor><SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.example.com/sso"/></IDPSSODescriptor></EntityDescriptor>"#;

/// Ory's provider's values and arguments: an email template by its
/// combined type and without a subject, an action after SAML, a SAML
/// provider's IdP-initiated login, a social provider's write-only client
/// ID and its other settings, an identity's `password`. Each applies and
/// plans no change.
#[test]
fn the_official_values_and_arguments_apply_and_plan_no_change() {
    let emulator = Emulator::start();
    let id = emulator.new_project("values");
    let tf = in_project(&emulator, &id);
    let metadata = SAML_METADATA.replace('"', "\\\"");
    tf.write(
        "main.tf",
        &format!(
            r#"{PROVIDER_BLOCKS}
resource "ory_email_template" "recovery" {{
  template_type  = "recovery_code_invalid"
  body_html      = "<p>No account</p>"
  body_plaintext = "No account"
}}

resource "ory_action" "after_saml" {{
  flow        = "login"
  timing      = "after"
  auth_method = "saml"
  url         = "https://hooks.example.com/saml"
}}

resource "ory_saml_provider" "idp" {{
  provider_id                 = "idp"
  raw_idp_metadata_xml        = "{metadata}"
  idp_initiated_login_enabled = true
}}

resource "ory_social_provider" "google" {{
  provider_id              = "google"
  provider_type            = "google"
  client_id_wo             = "id-from-vault"
  client_id_wo_version     = "1"
  client_secret            = "secret-from-vault"
  update_identity_on_login = "automatic"
  auto_link                = true
  front_channel_logout     = true
}}

resource "ory_social_provider" "netid" {{
  provider_id                = "netid"
  provider_type              = "netid"
  client_id                  = "netid-client"
  client_secret              = "netid-secret"
  net_id_token_origin_header = "https://www.example.com"
}}

resource "ory_identity" "admin" {{
  schema_id = "preset://email"
  traits    = jsonencode({{ email = "admin@example.com" }})
  password  = "a-long-and-unusual-password"
}}
"#
        ),
    );
    tf.init();
    tf.apply(&[]);
    let doc = emulator.project(&id);
    let at = |pointer: &str| doc.pointer(pointer).cloned().unwrap_or(Json::Null);
    assert!(at(&format!("{CONFIG}/courier/templates/recovery_code/invalid/email/body/html")).is_string());
    assert_eq!(at(&format!("{CONFIG}/courier/templates/recovery_code/invalid/email/subject")), Json::Null);
    assert!(at(&format!("{CONFIG}/selfservice/flows/login/after/saml/hooks/0/config/url")).is_string(), "{doc}");
    let saml = at(&format!("{CONFIG}/selfservice/methods/saml/config/providers/0"));
    assert_eq!(saml["idp_initiated_login_enabled"], json!(true));
    let google = at(&format!("{CONFIG}/selfservice/methods/oidc/config/providers"))
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == "google")
        .cloned()
        .unwrap();
    assert_eq!(
        (&google["client_id"], &google["update_identity_on_login"], &google["auto_link"]),
        (&json!("id-from-vault"), &json!("automatic"), &json!(true))
    );
    let state = std::fs::read_to_string(tf.dir().join("terraform.tfstate")).unwrap();
    assert!(!state.contains("id-from-vault"), "the write-only client ID reached the state");
    assert_no_changes(&tf.plan(&[]));
}

/// `ory_scim_client` and `ory_custom_domain`: made, changed in place,
/// imported by Ory's provider's bare IDs with no change, destroyed; a
/// custom domain's verification moves from pending to active.
#[test]
fn scim_clients_and_custom_domains_are_managed_and_imported() {
    let emulator = Emulator::start();
    let id = emulator.new_project_in("b2b", "prod");
    let tf = in_project(&emulator, &id);
    let config = |label: &str, origins: &str| {
        format!(
            r#"{PROVIDER_BLOCKS}
resource "ory_organization" "acme" {{
  label = "Acme"
}}

resource "ory_scim_client" "okta" {{
  organization_id             = ory_organization.acme.id
  client_id                   = "okta-acme"
  label                       = "{label}"
  mapper_url                  = "local user = std.extVar('claims'); {{ identity: {{ traits: {{ email: user.userName }} }} }}"
  authorization_header_secret = "scim-token-123"
}}

resource "ory_custom_domain" "auth" {{
  hostname             = "auth.example.com"
  cookie_domain        = "example.com"
  cors_enabled         = true
  cors_allowed_origins = [{origins}]
}}
"#
        )
    };
    tf.write("main.tf", &config("Okta", "\"https://app.example.com\""));
    tf.init();
    tf.apply(&[]);
    let doc = emulator.project(&id);
    assert_eq!(doc["scim_clients"][0]["client_id"], json!("okta-acme"));
    assert_eq!(doc["scim_clients"][0]["state"], json!("enabled"));
    assert_eq!(doc["scim_clients"][0]["authorization_header_secret"], json!("scim-token-123"));
    let (_, domains) = emulator.call(Method::GET, &format!("/projects/{id}/cname"));
    let domain = domains[0].clone();
    assert_eq!(domain["verification_status"], json!("pending"));
    assert_no_changes(&tf.plan(&[]));

    // Ory sees the DNS record: the refresh shows it, and nothing changes.
    let domain_id = domain["id"].as_str().unwrap().to_string();
    let status = emulator.admin(Method::POST, &format!("/projects/{id}/cname/{domain_id}/verify"));
    assert_eq!(status, 200);
    assert_no_changes(&tf.plan(&[]));
    tf.run(&["apply", "-refresh-only", "-auto-approve", "-input=false"]);
    let state = tf.run(&["state", "show", "ory_custom_domain.auth"]).stdout;
    assert!(state.contains("verification_status") && state.contains("\"active\""), "{state}");

    // In place: a new label, new origins.
    tf.write("main.tf", &config("Okta (prod)", "\"https://app.example.com\", \"https://admin.example.com\""));
    let planned = tf.plan(&[]);
    assert_eq!(planned["ory_scim_client.okta"], ["update"]);
    assert_eq!(planned["ory_custom_domain.auth"], ["update"]);
    tf.apply_saved();
    let doc = emulator.project(&id);
    assert_eq!(doc["scim_clients"][0]["label"], json!("Okta (prod)"));
    assert_eq!(doc["scim_clients"][0]["authorization_header_secret"], json!("scim-token-123"), "the secret stays");
    assert_no_changes(&tf.plan(&[]));

    if terraform_version() >= (1, 5) {
        let adopter = in_project(&emulator, &id);
        let org = doc["organizations"][0]["id"].as_str().unwrap().to_string();
        adopter.write(
            "main.tf",
            &format!(
                r#"{PROVIDER_BLOCKS}
import {{
  to = ory_scim_client.okta
  id = "okta-acme"
}}

import {{
  to = ory_custom_domain.auth
  id = "{domain_id}"
}}

resource "ory_scim_client" "okta" {{
  organization_id = "{org}"
  client_id       = "okta-acme"
  label           = "Okta (prod)"
  mapper_url      = "local user = std.extVar('claims'); {{ identity: {{ traits: {{ email: user.userName }} }} }}"
}}

resource "ory_custom_domain" "auth" {{
  hostname             = "auth.example.com"
  cookie_domain        = "example.com"
  cors_enabled         = true
  cors_allowed_origins = ["https://app.example.com", "https://admin.example.com"]
}}
"#
            ),
        );
        adopter.init();
        let before = emulator.requests();
        assert_no_changes(&adopter.plan(&[]));
        adopter.apply_saved();
        assert_eq!(writes_since(&emulator, &before), 0);
    }

    tf.run(&["destroy", "-auto-approve", "-input=false"]);
    assert_eq!(emulator.project(&id)["scim_clients"], json!([]));
    assert_eq!(emulator.call(Method::GET, &format!("/projects/{id}/cname")).1, json!([]));
}

/// A state Ory's provider wrote, carried over with `terraform state
/// replace-provider`: the plan shows no change, and the apply writes
/// nothing. The state is this provider's own, rewritten to the official
/// shape: the official provider's address, and without the attributes only
/// this provider has (Ory's provider has no `deletion_protection`, no
/// `revision_id`, ...).
#[test]
fn a_state_written_by_ory_s_provider_plans_no_change_after_replace_provider() {
    let metadata = SAML_METADATA.replace('"', "\\\"");
    let emulator = Emulator::start();
    let id = emulator.new_project_in("carried-over", "prod");
    let tf = in_project(&emulator, &id);
    let config = format!(
        r#"{PROVIDER_BLOCKS}
resource "ory_project" "main" {{
  name        = "carried-over-2"
  environment = "prod"
}}

resource "ory_project_config" "main" {{
  cors_enabled        = true
  cors_origins        = ["https://app.example.com"]
  session_lifespan    = "720h0m0s"
  password_min_length = 10
  enable_oidc         = true
  oidc_dynamic_client_registration_enabled = true
}}

resource "ory_identity" "admin" {{
  schema_id = "preset://email"
  traits    = jsonencode({{ email = "admin@example.com" }})
  password  = "a-long-and-unusual-password"
}}

resource "ory_oauth2_client" "api" {{
  client_name    = "API"
  grant_types    = ["client_credentials"]
  response_types = ["token"]
  scope          = "api:read"
}}

resource "ory_social_provider" "google" {{
  provider_id   = "google"
  provider_type = "google"
  client_id     = "google-client"
  client_secret = "google-secret"
  scope         = ["email", "profile"]
}}

resource "ory_organization" "acme" {{
  label = "Acme"
}}

resource "ory_email_template" "recovery" {{
  template_type  = "recovery_code_valid"
  subject        = "Your code"
  body_html      = "<p>{{{{ .RecoveryCode }}}}</p>"
  body_plaintext = "{{{{ .RecoveryCode }}}}"
}}

resource "ory_identity_schema" "customer" {{
  schema_id = "customer"
  schema = jsonencode({{
    "$schema" = "http://json-schema.org/draft-07/schema#"
    type      = "object"
    properties = {{ traits = {{ type = "object", properties = {{ email = {{ type = "string" }} }} }} }}
  }})
}}

resource "ory_action" "after_login" {{
  flow   = "login"
  timing = "after"
  url    = "https://hooks.example.com/login"
}}

resource "ory_saml_provider" "idp" {{
  provider_id          = "idp"
  raw_idp_metadata_xml = "{metadata}"
}}

resource "ory_scim_client" "okta" {{
  organization_id             = ory_organization.acme.id
  client_id                   = "okta"
  label                       = "Okta"
  mapper_url                  = "local c = std.extVar('claims'); {{ identity: {{ traits: {{}} }} }}"
  authorization_header_secret = "scim-token-123"
}}

resource "ory_custom_domain" "auth" {{
  hostname      = "auth.example.com"
  cookie_domain = "example.com"
}}

resource "ory_event_stream" "audit" {{
  type      = "sns"
  topic_arn = "arn:aws:sns:us-east-1:123456789012:ory-events"
  role_arn  = "arn:aws:iam::123456789012:role/ory-events"
}}

resource "ory_project_api_key" "ci" {{
  name = "ci"
}}

resource "ory_json_web_key_set" "signing" {{
  set_id    = "signing"
  key_id    = "key-1"
  algorithm = "RS256"
  use       = "sig"
}}

resource "ory_permission_model" "main" {{
  opl = "class User implements Namespace {{}}\nclass Document implements Namespace {{\n  related: {{ viewers: User[] }}\n}}\n"
}}

resource "ory_relationship" "viewer" {{
  namespace  = "Document"
  object     = "handbook"
  relation   = "viewers"
  subject_id = "ada"
  depends_on = [ory_permission_model.main]
}}

resource "ory_oidc_dynamic_client" "app" {{
  client_name = "App"
  depends_on  = [ory_project_config.main]
}}
"#
    );
    tf.write("main.tf", &config);
    tf.init();
    tf.apply(&[]);

    // The same objects, as Ory's provider's state holds them.
    let mut state: Json =
        serde_json::from_str(&std::fs::read_to_string(tf.dir().join("terraform.tfstate")).unwrap()).unwrap();
    let ours_only = [
        "deletion_protection",
        "timeouts",
        "revision_id",
        "effective_config",
        "identity_config",
        "oauth2_config",
        "permission_config",
        "account_experience_config",
        "cors_public",
        "cors_admin",
        "secrets",
        "secrets_wo_version",
        "client_secret_version",
        "password_wo_version",
        "hashed_password",
        "verifiable_addresses",
        "recovery_addresses",
        "variant",
    ];
    for resource in state["resources"].as_array_mut().unwrap() {
        resource["provider"] = json!("provider[\"registry.terraform.io/ory/ory\"]");
        for instance in resource["instances"].as_array_mut().unwrap() {
            instance.as_object_mut().unwrap().remove("private");
            let attributes = instance["attributes"].as_object_mut().unwrap();
            attributes.retain(|name, value| !ours_only.contains(&name.as_str()) && !value.is_null());
        }
    }
    let moved = in_project(&emulator, &id);
    moved.write("main.tf", &config);
    std::fs::write(moved.dir().join("terraform.tfstate"), serde_json::to_vec_pretty(&state).unwrap()).unwrap();
    moved.run(&[
        "state",
        "replace-provider",
        "-auto-approve",
        "registry.terraform.io/ory/ory",
        "terraform.local/ory/ory",
    ]);
    moved.init();
    let before = emulator.requests();
    assert_no_changes(&moved.plan(&[]));
    moved.apply_saved();
    assert_eq!(writes_since(&emulator, &before), 0);
    assert_no_changes(&moved.plan(&[]));
}

/// A `terraform destroy` of an official configuration with a custom
/// default identity schema succeeds: the default stays at Ory for the
/// identities that follow it (a warning says so), everything else goes.
#[test]
fn a_stack_with_a_custom_default_schema_destroys_cleanly() {
    let emulator = Emulator::start();
    let id = emulator.new_project("stack");
    let tf = in_project(&emulator, &id);
    tf.write(
        "main.tf",
        &format!(
            r#"{PROVIDER_BLOCKS}
resource "ory_identity_schema" "customer" {{
  schema_id   = "customer"
  set_default = true
  schema = jsonencode({{
    "$schema" = "http://json-schema.org/draft-07/schema#"
    type      = "object"
    properties = {{ traits = {{ type = "object", properties = {{ email = {{ type = "string", format = "email" }} }} }} }}
  }})
}}

resource "ory_identity" "ada" {{
  schema_id = ory_identity_schema.customer.schema_id
  traits    = jsonencode({{ email = "ada@example.com" }})
}}

resource "ory_project_config" "main" {{
  session_lifespan = "24h0m0s"
  enable_oidc      = true
}}

resource "ory_oauth2_client" "api" {{
  client_name = "API"
  grant_types = ["client_credentials"]
}}
"#
        ),
    );
    tf.init();
    tf.apply(&[]);
    let destroyed = tf.run(&["destroy", "-auto-approve", "-input=false"]);
    assert!(destroyed.text().contains("Destroy complete"), "{}", destroyed.text());
    assert!(tf.state_ids().is_empty(), "{:?}", tf.state_ids());
}

/// A working directory whose provider's project is `project`, as Ory's
/// provider's configurations find theirs (`ORY_PROJECT_ID`).
fn in_project(emulator: &Emulator, project: &str) -> Tf {
    let mut tf = Tf::new(emulator, "official_config");
    tf.set_env("ORY_PROJECT_ID", project);
    tf
}

/// A value Ory refuses is reported on the flat attribute that wrote it.
#[test]
fn a_refused_flat_value_is_reported_on_its_attribute() {
    let emulator = Emulator::start();
    let id = emulator.new_project("refused");
    let tf = in_project(&emulator, &id);
    tf.write(
        "main.tf",
        &format!("{PROVIDER_BLOCKS}\nresource \"ory_project_config\" \"test\" {{\n  smtp_connection_uri = \"http://smtp.example.com\"\n}}\n"),
    );
    tf.init();
    let run = tf.try_run(&["apply", "-auto-approve", "-input=false"]);
    let text = run.text();
    assert!(!run.ok && text.contains("Ory Network refused the configuration"), "{text}");
    // Terraform quotes the configuration line of the attribute the error is on.
    assert!(text.contains(": smtp_connection_uri = \""), "not on its attribute: {text}");
    let detail = &text[text.find("Changing the configuration").unwrap()..];
    assert!(!detail.contains("http://smtp.example.com"), "the secret was repeated: {detail}");
}
