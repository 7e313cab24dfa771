//! Adopting a workspace made by hand: `terraform-provider-ory adopt` writes
//! the import blocks, `terraform plan -generate-config-out` the
//! configuration, and `terraform apply` imports everything without a single
//! write to Ory; the next plan is a no-op.

use std::process::Command;

use crate::support::{assert_no_changes, provider_bin, skip, terraform_version, Emulator, Tf};

const SEED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/adopt_seed.json");

/// Every call that changes something at Ory.
fn writes(emulator: &Emulator) -> u64 {
    let changing = ["create", "update", "delete", "patch", "set", "purge", "trust", "remove"];
    emulator.requests().iter().filter(|(op, _)| changing.iter().any(|w| op.starts_with(w))).map(|(_, n)| n).sum()
}

/// The seed's back office project, and the key of it that is at hand.
const BACK_OFFICE: &str = "7b1e2c3d-4f5a-4b6c-8d7e-9f0a1b2c3d4e";
const BACK_OFFICE_KEY: &str = "ory_pat_adoptadoptadoptadopt";

/// The environment of `adopt` and of terraform: the workspace key, and
/// the back office's project key, so that its own API is adopted too.
fn environment(emulator: &Emulator) -> Vec<(&'static str, String)> {
    vec![
        ("ORY_CONSOLE_API_URL", emulator.url.clone()),
        ("ORY_WORKSPACE_API_KEY", emulator.key.clone()),
        ("ORY_PROJECT_API_URL", format!("{}/project-api/{{slug}}", emulator.url)),
        ("ORY_PROJECT_API_KEY", BACK_OFFICE_KEY.into()),
        ("ORY_PROJECT_ID", BACK_OFFICE.into()),
        ("ORY_PROJECT_SLUG", emulator.project(BACK_OFFICE)["slug"].as_str().unwrap().to_string()),
    ]
}

fn adopt(emulator: &Emulator) -> String {
    let out = Command::new(provider_bin()).arg("adopt").envs(environment(emulator)).output().unwrap();
    assert!(out.status.success(), "adopt failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn a_workspace_made_by_hand_is_adopted_with_no_write() {
    if terraform_version() < (1, 5) {
        skip(
            "a_workspace_made_by_hand_is_adopted_with_no_write",
            "import blocks and -generate-config-out need Terraform 1.5 or later",
        );
        return;
    }
    let emulator = Emulator::start_with(&["--allow-workspace-key-writes", "--seed", SEED]);
    let imports = adopt(&emulator);
    for resource in [
        "ory_workspace",
        "ory_project",
        "ory_project_api_key",
        "ory_event_stream",
        "ory_action",
        "ory_organization",
        "ory_identity_schema",
        "ory_email_template",
        "ory_social_provider",
        "ory_saml_provider",
        "ory_permission_model",
        "ory_project_config",
        "ory_identity",
        "ory_oauth2_client",
        "ory_relationship",
        "ory_scim_client",
        "ory_custom_domain",
    ] {
        assert!(imports.contains(&format!("to = {resource}.")), "no {resource} in:\n{imports}");
    }
    assert_eq!(imports.matches("to = ory_project.").count(), 3);
    assert_eq!(imports.matches("to = ory_action.").count(), 7);
    assert_eq!(imports.matches("\nimport {").count(), 35, "{imports}");
    assert!(
        imports.contains(&format!("id = \"{BACK_OFFICE}/Document:handbook#viewers@ops@example.com\"")),
        "{imports}"
    );
    // Only what differs from a new project's defaults: each project's one change.
    for (project, key) in [
        ("storefront", "/services/identity/config/session/lifespan\""),
        ("back_office", "/services/oauth2/config/ttl/access_token\""),
        ("sandbox", "/services/identity/config/selfservice/methods/password/config/min_password_length\""),
    ] {
        let block =
            imports.split("\n\n").find(|b| b.contains(&format!("to = ory_project_config.{project}_config"))).unwrap();
        assert!(block.trim_end().ends_with(&format!(":{key}\n}}")), "{block}");
    }

    let mut tf = Tf::new(&emulator, "adopt");
    for (name, value) in environment(&emulator) {
        tf.set_env(name, &value);
    }
    tf.write("imports.tf", &imports);
    tf.init();
    let before = writes(&emulator);
    tf.run(&["plan", "-input=false", "-generate-config-out=generated.tf", "-out=tfplan"]);
    let generated = std::fs::read_to_string(tf.dir().join("generated.tf")).unwrap();
    assert_eq!(generated.matches("deletion_protection = true").count(), 3, "{generated}");
    for managed in ["session = {", "access_token = \"30m0s\"", "min_password_length = 12"] {
        assert!(generated.contains(managed), "{managed} not in {generated}");
    }
    let secret_left_out = |l: &str| l.trim_start().starts_with("client_secret ") && l.ends_with("= null # sensitive");
    assert!(generated.lines().any(secret_left_out), "the social provider's secret is left to the user: {generated}");
    tf.run(&["apply", "-input=false", "tfplan"]);
    assert_eq!(writes(&emulator), before, "adopting wrote to Ory: {:?}", emulator.requests());
    assert_no_changes(&tf.plan(&[]));

    // An adopted web hook's API key, which Ory never shows, stays at Ory
    // through a change of the hook.
    let label = "resource \"ory_action\" \"storefront_settings_after_hook\"";
    let (head, tail) = generated.split_once(label).expect("the authenticated hook");
    let (block, rest) = tail.split_once("\n}\n").unwrap();
    let project = block.split("project_id").nth(1).unwrap().split('"').nth(1).unwrap().to_string();
    let changed = block.replacen("= false", "= true", 1);
    assert!(changed.contains("can_interrupt") && changed != block, "{block}");
    tf.write("generated.tf", &format!("{head}{label}{changed}\n}}\n{rest}"));
    assert_eq!(tf.apply(&[])["ory_action.storefront_settings_after_hook"], ["update"]);
    let hooks = emulator.project(&project)["services"]["identity"]["config"]["selfservice"]["flows"]["settings"]
        ["after"]["hooks"]
        .clone();
    assert_eq!(hooks[0]["config"]["auth"]["config"]["value"], "hook-secret", "{hooks}");
    assert_eq!(hooks[0]["config"]["can_interrupt"], true, "{hooks}");
}

#[test]
fn objects_that_change_or_go_between_the_commands_are_named_never_half_adopted() {
    if terraform_version() < (1, 5) {
        skip(
            "objects_that_change_or_go_between_the_commands_are_named_never_half_adopted",
            "import blocks and -generate-config-out need Terraform 1.5 or later",
        );
        return;
    }
    let emulator = Emulator::start_with(&["--allow-workspace-key-writes", "--seed", SEED]);
    let imports = adopt(&emulator);
    let tf = Tf::new(&emulator, "adopt");
    tf.write("imports.tf", &imports);
    tf.init();

    // 1. A key deleted after `adopt`: the plan names it and imports nothing.
    let key_block = imports.split("\n\n").find(|b| b.contains("to = ory_project_api_key.sandbox_qa")).unwrap();
    let key_id = key_block.split('"').nth(1).unwrap().to_string();
    let (project, key) = key_id.split_once('/').unwrap();
    let (status, _) = emulator.call(reqwest::Method::DELETE, &format!("/projects/{project}/tokens/{key}"));
    assert_eq!(status, 204);
    let out = tf.try_run(&["plan", "-input=false", "-generate-config-out=generated.tf"]).text();
    assert!(out.contains("ory_project_api_key.sandbox_qa") && out.contains("non-existent"), "{out}");
    assert!(!tf.dir().join("terraform.tfstate").exists(), "a failed plan wrote state");

    // 2. Adopted again, then a project renamed and a key deleted between
    // the plan and the apply: the apply imports what the plan read, and
    // the next plan shows both, as a rename back and a key to make.
    std::fs::remove_file(tf.dir().join("generated.tf")).ok();
    tf.write("imports.tf", &adopt(&emulator));
    tf.run(&["plan", "-input=false", "-generate-config-out=generated.tf", "-out=tfplan"]);
    let sandbox = tf.dir().join("generated.tf");
    let generated = std::fs::read_to_string(&sandbox).unwrap();
    let project_id =
        generated.split("resource \"ory_project\" \"sandbox\"").next().unwrap().rsplit("from \"").next().unwrap();
    let project_id = project_id.split('"').next().unwrap().to_string();
    emulator.patch_project(&project_id, serde_json::json!([{"op": "replace", "path": "/name", "value": "sandbox 2"}]));
    let key_block =
        generated.split("\n\n").find(|b| b.contains("resource \"ory_project_api_key\" \"sandbox_dev\"")).unwrap();
    let key = key_block.split("from \"").nth(1).unwrap().split('"').next().unwrap().to_string();
    let (project, key) = key.split_once('/').unwrap();
    assert_eq!(emulator.call(reqwest::Method::DELETE, &format!("/projects/{project}/tokens/{key}")).0, 204);
    tf.run(&["apply", "-input=false", "tfplan"]);
    let next = tf.plan(&[]);
    assert_eq!(next.get("ory_project.sandbox").map(Vec::as_slice), Some(&["update".to_string()][..]), "{next:?}");
    assert_eq!(
        next.get("ory_project_api_key.sandbox_dev").map(Vec::as_slice),
        Some(&["create".to_string()][..]),
        "{next:?}"
    );
}

/// Text from Ory that tries to end a comment or a string and go on as
/// configuration, to steer a reviewer's terminal, or to disguise itself.
fn hostile_texts() -> Vec<String> {
    let pwn = "resource \"terraform_data\" \"pwn\" {\n  provisioner \"local-exec\" { command = \"touch PWNED\" }\n}";
    vec![
        format!("x\n{pwn}\n#"),
        "victim\r\nprovider \"ory\" { console_api_url = \"http://127.0.0.1:9\" }\r\n#".into(),
        "q\"uote\\back ${var.x} %{ if true }y%{ endif } */ # end".into(),
        "esc\u{1b}[2J\u{1b}]0;title\u{7}clear".into(),
        "invoice\u{202e}gpj.exe".into(),
        format!("line\u{2028}sep\u{2029}{pwn}"),
        "nul\u{0}byte".into(),
        format!("{}\n{pwn}", "a".repeat(10_000)),
    ]
}

/// A workspace whose every name and ID adopt prints is hostile: projects,
/// keys, organizations, schemas, social and SAML providers, web hook URLs,
/// OAuth2 clients, identities and relationships.
fn hostile_seed(texts: &[String], key: &str) -> serde_json::Value {
    use base64::Engine;
    use serde_json::json;
    let b64 = |s: &str| format!("base64://{}", base64::engine::general_purpose::STANDARD.encode(s));
    let mapper = b64("local claims = std.extVar('claims'); { identity: { traits: { email: claims.email } } }");
    let schema = b64(
        r#"{"$schema": "http://json-schema.org/draft-07/schema#", "type": "object", "properties": {"traits": {"type": "object", "properties": {"email": {"type": "string"}}}}}"#,
    );
    let opl = b64("class User implements Namespace {}\nclass Document implements Namespace {\n  related: { viewers: User[] }\n}\n");
    let projects: Vec<_> = texts
        .iter()
        .enumerate()
        .map(|(i, text)| {
            let mut patch = vec![
                json!({"op": "add", "path": "/organizations/-", "value": {"id": format!("0d4b6c2a-1e3f-4a5b-8c7d-9e0f1a2b3c{i:02}"), "label": text, "domains": []}}),
                json!({"op": "add", "path": "/services/identity/config/identity/schemas/-", "value": {"id": text, "url": schema}}),
                json!({"op": "add", "path": "/services/identity/config/identity/schemas/-", "value": {"id": format!("preset://email{text}"), "url": schema}}),
                json!({"op": "add", "path": "/services/identity/config/selfservice/methods/oidc", "value": {"enabled": true, "config": {"providers": [
                    {"id": text, "provider": "generic", "client_id": "c", "client_secret": "s", "issuer_url": "https://idp.example.com", "mapper_url": mapper, "scope": ["email"]}
                ]}}}),
                json!({"op": "add", "path": "/services/identity/config/selfservice/methods/saml", "value": {"enabled": true, "config": {"providers": [
                    {"id": text, "label": text, "mapper_url": mapper, "raw_idp_metadata_xml": SAML_METADATA}
                ]}}}),
                json!({"op": "add", "path": "/services/identity/config/selfservice/flows/login/after/hooks/-", "value": {
                    "hook": "web_hook", "config": {"url": format!("https://hooks.example.com/{text}"), "method": "POST", "body": b64("function(ctx) {}"), "can_interrupt": false, "response": {"ignore": false, "parse": false}}}}),
                json!({"op": "replace", "path": "/services/permission/config/namespaces", "value": {"location": opl}}),
            ];
            if i == 0 {
                patch.push(json!({"op": "replace", "path": "/services/identity/config/session/lifespan", "value": "24h0m0s"}));
                // A web hook made in the console with a password in its URL.
                patch.push(json!({"op": "add", "path": "/services/identity/config/selfservice/flows/registration/after/hooks/-", "value": {
                    "hook": "web_hook", "config": {"url": "https://ci:hunter2@hooks.example.com/signup", "method": "POST", "body": b64("function(ctx) {}"), "can_interrupt": false, "response": {"ignore": false, "parse": false}}}}));
            }
            let mut project = json!({
                "name": text,
                "environment": "prod",
                "api_keys": [{"name": text}],
                "patch": patch,
            });
            if i == 0 {
                // The project whose key is at hand: its own API's objects too.
                let tuples: Vec<_> = texts
                    .iter()
                    .enumerate()
                    .flat_map(|(j, text)| {
                        [
                            json!({"namespace": "Document", "object": text, "relation": "viewers", "subject_id": format!("user-{j}")}),
                            json!({"namespace": "Document", "object": format!("doc-{j}"), "relation": "viewers", "subject_id": text}),
                        ]
                    })
                    .collect();
                let clients: Vec<_> =
                    texts.iter().map(|text| json!({"client_name": text, "grant_types": ["client_credentials"]})).collect();
                project["id"] = json!(HOSTILE_PROJECT);
                project["api_keys"].as_array_mut().unwrap().push(json!({"name": "adopt", "value": key}));
                project["relationships"] = json!(tuples);
                project["oauth2_clients"] = json!(clients);
            }
            project
        })
        .collect();
    json!({"workspace": {"name": texts[0], "api_keys": [{"name": texts[1]}], "projects": projects}})
}

const SAML_METADATA: &str = "base64://PEVudGl0eURlc2NyaXB0b3IgeG1sbnM9InVybjpvYXNpczpuYW1lczp0YzpTQU1MOjIuMDptZXRhZGF0YSIgZW50aXR5SUQ9Imh0dHBzOi8vaWRwLmFjbWUuZXhhbXBsZS5jb20iPjxJRFBTU09EZXNjcmlwdG9yIHByb3RvY29sU3VwcG9ydEVudW1lcmF0aW9uPSJ1cm46b2FzaXM6bmFtZXM6dGM6U0FNTDoyLjA6cHJvdG9jb2wiPjxLZXlEZXNjcmlwdG9yIHVzZT0ic2lnbmluZyI+PEtleUluZm8geG1sbnM9Imh0dHA6Ly93d3cudzMub3JnLzIwMDAvMDkveG1sZHNpZyMiPjxYNTA5RGF0YT48WDUwOUNlcnRpZmljYXRlPk1JSUM8L1g1MDlDZXJ0aWZpY2F0ZT48L1g1MDlEYXRhPjwvS2V5SW5mbz48L0tleURlc2NyaXB0b3I+PFNpbmdsZVNpZ25PblNlcnZpY2UgQmluZGluZz0idXJuOm9hc2lzOm5hbWVzOnRjOlNBTUw6Mi4wOmJpbmRpbmdzOkhUVFAtUmVkaXJlY3QiIExvY2F0aW9uPSJodHRwczovL2lkcC5hY21lLmV4YW1wbGUuY29tL3NzbyIvPjwvSURQU1NPRGVzY3JpcHRvcj48L0VudGl0eURlc2NyaXB0b3I+";

const HOSTILE_PROJECT: &str = "5e1c2b3a-4d5e-4f60-8a7b-9c0d1e2f3a4b";

/// What a hostile workspace's import file may hold: comments, blank lines
/// and import blocks of one `to` and one string `id`, nothing else.
fn only_import_blocks(imports: &str) -> usize {
    let mut lines = imports.lines();
    let mut blocks = 0;
    while let Some(line) = lines.next() {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        assert_eq!(line, "import {", "a line outside any import block:\n{line}");
        let to = lines.next().unwrap();
        let (resource, label) = to.strip_prefix("  to = ").unwrap().split_once('.').unwrap();
        assert!(
            resource.starts_with("ory_") && resource.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'),
            "{to}"
        );
        assert!(label.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'), "{to}");
        let id = lines.next().unwrap().strip_prefix("  id = \"").unwrap().strip_suffix('"').unwrap().to_string();
        assert!(
            !id.chars().any(|c| c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2028}' | '\u{2029}')),
            "{id}"
        );
        // Every quote inside is escaped, so the string ends where the line does.
        let unescaped = id.replace("\\\\", "").replace("\\\"", "");
        assert!(!unescaped.contains('"'), "{id}");
        assert!(!unescaped.contains("${") || unescaped.contains("$${"), "{id}");
        assert_eq!(lines.next(), Some("}"));
        blocks += 1;
    }
    blocks
}

#[test]
fn hostile_names_in_a_workspace_never_become_configuration() {
    let texts = hostile_texts();
    let key = "ory_pat_hostilehostilehostile";
    let seed_dir = tempfile::tempdir().unwrap();
    let seed = seed_dir.path().join("seed.json");
    std::fs::write(&seed, hostile_seed(&texts, key).to_string()).unwrap();
    let emulator = Emulator::start_with(&["--allow-workspace-key-writes", "--seed", seed.to_str().unwrap()]);
    let slug = emulator.project(HOSTILE_PROJECT)["slug"].as_str().unwrap().to_string();
    let environment = vec![
        ("ORY_CONSOLE_API_URL", emulator.url.clone()),
        ("ORY_WORKSPACE_API_KEY", emulator.key.clone()),
        ("ORY_PROJECT_API_URL", format!("{}/project-api/{{slug}}", emulator.url)),
        ("ORY_PROJECT_API_KEY", key.to_string()),
        ("ORY_PROJECT_SLUG", slug),
    ];
    let out = Command::new(provider_bin()).arg("adopt").envs(environment.clone()).output().unwrap();
    assert!(out.status.success(), "adopt failed: {}", String::from_utf8_lossy(&out.stderr));
    let imports = String::from_utf8(out.stdout).unwrap();
    let blocks = only_import_blocks(&imports);
    let steering = |c: char| {
        c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{2028}' | '\u{2029}')
    };
    assert!(!imports.chars().any(|c| c != '\n' && steering(c)), "{imports}");
    // What the provider takes is imported: a name fit for a comment as
    // much as for a string, a quote, a template sequence and a bidi
    // control in IDs. What it would refuse is named in the header.
    for expected in [
        "to = ory_project.q_uote_back_var_x_if_true_y_endif_end\n",
        "/Document:doc-2#viewers@q\\\"uote\\\\back $${var.x} %25{ if true }y%25{ endif } */ %23 end\"",
        "/Document:q\\\"uote\\\\back $${var.x} %25{ if true }y%25{ endif } */ %23 end#viewers@user-2\"",
        "/Document:invoice\\u202egpj.exe#viewers@user-4\"",
        "/Document:doc-4#viewers@invoice\\u202egpj.exe\"",
    ] {
        assert!(imports.contains(expected), "no {expected} in:\n{imports}");
    }
    assert!(!imports.contains("hunter2"), "a web hook's password in:\n{imports}");
    // Projects are named by ID too in the notes: two may share a name.
    let named = format!("({HOSTILE_PROJECT}): Ory cannot list them");
    assert!(
        imports.lines().any(|l| l.starts_with("#   - the JSON Web Key sets of") && l.contains(&named)),
        "{imports}"
    );
    for refused in [
        "ory_project \"x\\nresource",
        "ory_relationship \"x\\nresource",
        "ory_project \"esc\\u{1b}[2J",
        "registration after hook\"",
    ] {
        assert!(
            imports.lines().any(|l| l.starts_with("#   - ") && l.contains(refused)),
            "{refused} not noted:\n{imports}"
        );
    }
    if terraform_version() < (1, 5) {
        skip(
            "hostile_names_in_a_workspace_never_become_configuration (the plan)",
            "import blocks and -generate-config-out need Terraform 1.5 or later",
        );
        return;
    }
    let mut tf = Tf::new(&emulator, "adopt");
    for (name, value) in &environment {
        tf.set_env(name, value);
    }
    tf.write("imports.tf", &imports);
    tf.init();
    tf.run(&["validate"]);
    let before = writes(&emulator);
    tf.run(&["plan", "-input=false", "-generate-config-out=generated.tf", "-out=tfplan"]);
    tf.run(&["apply", "-input=false", "tfplan"]);
    assert_eq!(writes(&emulator), before, "adopting wrote to Ory: {:?}", emulator.requests());
    let imported: usize = tf.state_ids().values().map(Vec::len).sum();
    assert_eq!(imported, blocks, "{:?}", tf.state_ids());
    assert!(!tf.state_ids().keys().any(|address| !address.starts_with("ory_")), "{:?}", tf.state_ids());
    assert!(!tf.dir().join("PWNED").exists());
    assert_no_changes(&tf.plan(&[]));
}
