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
    ] {
        assert!(imports.contains(&format!("to = {resource}.")), "no {resource} in:\n{imports}");
    }
    assert_eq!(imports.matches("to = ory_project.").count(), 3);
    assert_eq!(imports.matches("to = ory_action.").count(), 7);
    assert_eq!(imports.matches("\nimport {").count(), 33, "{imports}");
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
