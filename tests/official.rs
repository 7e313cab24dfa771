//! Drop-in for configurations written for Ory's official provider (issue
//! 35): its import ID forms, bare IDs in the provider's `project_id`
//! included, import with no write and plan no change.

use reqwest::Method;

use crate::support::{assert_no_changes, skip, terraform_version, Emulator, Tf};

const SEED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/adopt_seed.json");

/// Every call that changes something at Ory.
fn writes(emulator: &Emulator) -> u64 {
    let changing = ["create", "update", "delete", "patch", "set", "purge", "trust", "remove"];
    emulator.requests().iter().filter(|(op, _)| changing.iter().any(|w| op.starts_with(w))).map(|(_, n)| n).sum()
}

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
    ];
    let blocks: String =
        imports.iter().map(|(to, id)| format!("import {{\n  to = {to}\n  id = \"{id}\"\n}}\n\n")).collect();
    tf.write("imports.tf", &blocks);
    tf.init();
    let before = writes(&emulator);
    tf.run(&["plan", "-input=false", "-generate-config-out=generated.tf", "-out=tfplan"]);
    tf.run(&["apply", "-input=false", "tfplan"]);
    assert_eq!(writes(&emulator), before, "importing wrote to Ory: {:?}", emulator.requests());
    let state = tf.state_ids();
    assert_eq!(state.values().map(Vec::len).sum::<usize>(), imports.len(), "{state:?}");
    assert_no_changes(&tf.plan(&[]));
}
