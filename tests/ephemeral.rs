//! The ephemeral `ory_project_api_key`: it exists while Terraform runs, is
//! gone afterwards, and its value reaches neither the state nor a saved plan.

use reqwest::Method;

use crate::support::{skip, terraform_version, Emulator, Tf};

fn seen_key(tf: &Tf) -> (String, String) {
    let seen = std::fs::read_to_string(tf.dir().join("seen_key.txt")).unwrap();
    let (id, value) = seen.trim().split_once(' ').unwrap();
    (id.to_string(), value.to_string())
}

#[test]
fn an_ephemeral_key_lives_only_during_the_run() {
    if terraform_version() < (1, 10) {
        skip(
            "an_ephemeral_key_lives_only_during_the_run",
            &format!("ephemeral resources need Terraform >= 1.10; this is {:?}", terraform_version()),
        );
        return;
    }
    let emulator = Emulator::start();
    let tf = Tf::new(&emulator, "ephemeral");
    tf.init();

    // First run: the project is only known during apply, so the key is opened then.
    tf.run(&["apply", "-auto-approve", "-input=false"]);
    let project = tf.state_of("ory_project.p")["id"].as_str().unwrap().to_string();
    let (id, value) = seen_key(&tf);
    assert!(value.starts_with("ory_pat_"));
    let during = std::fs::read_to_string(tf.dir().join("keys_during_apply.json")).unwrap();
    assert!(during.contains(&id), "the key existed while the apply ran: {during}");
    let (_, after) = emulator.call(Method::GET, &format!("/projects/{project}/tokens"));
    assert_eq!(after, serde_json::json!([]), "the key is gone afterwards");
    let listed: serde_json::Value = serde_json::from_str(&during).unwrap();
    assert!(listed[0]["expires_at"].is_string(), "the key was made with an expiry (ttl)");

    // Second run, with a saved plan: now the key is opened at plan time too.
    tf.run(&["plan", "-input=false", "-replace=terraform_data.use_key", "-out=tfplan"]);
    assert_eq!(emulator.count("createProjectApiKey"), 2);
    assert_eq!(emulator.count("deleteProjectApiKey"), 2, "the plan's key was closed");
    let plan = tf.saved_plan_files();
    assert!(!plan.contains("ory_pat_"), "a saved plan holds a key value");
    tf.run(&["apply", "-input=false", "tfplan"]);
    let (id2, value2) = seen_key(&tf);
    assert_ne!(id, id2);
    assert!(std::fs::read_to_string(tf.dir().join("keys_during_apply.json")).unwrap().contains(&id2));
    assert_eq!(emulator.call(Method::GET, &format!("/projects/{project}/tokens")).1, serde_json::json!([]));

    let state = std::fs::read_to_string(tf.dir().join("terraform.tfstate")).unwrap();
    for secret in [value.as_str(), value2.as_str(), "ory_pat_"] {
        assert!(!state.contains(secret), "the state holds a key value");
    }
}

#[test]
fn a_ttl_past_ten_years_is_refused_at_plan_time() {
    let version = terraform_version();
    if version < (1, 10) {
        skip(
            "a_ttl_past_ten_years_is_refused_at_plan_time",
            &format!("ephemeral resources need Terraform >= 1.10; this is {version:?}"),
        );
        return;
    }
    let emulator = Emulator::start();
    let tf = Tf::new(&emulator, "ephemeral");
    let main = std::fs::read_to_string(tf.dir().join("main.tf")).unwrap();
    tf.write("main.tf", &main.replace("ttl        = \"10m\"", "ttl        = \"9999999999999h\""));
    tf.init();
    let text = tf.plan_fails(&[]);
    assert!(text.contains("ttl must be a duration such as 30s, 10m or 1h30m, at most 87600h"), "{text}");
    assert!(emulator.requests().is_empty(), "{:?}", emulator.requests());
}
