//! Every data source, against objects created in the same run.

use crate::support::{Emulator, Tf};

#[test]
fn data_sources_see_what_the_same_run_created() {
    let emulator = Emulator::start();
    // More workspaces than one page holds (250), so that ory_workspaces must follow page_token.
    let http = reqwest::blocking::Client::new();
    for i in 0..260 {
        let status = http
            .post(format!("{}/workspaces", emulator.url))
            .bearer_auth(&emulator.key)
            .json(&serde_json::json!({ "name": format!("filler-{i}") }))
            .send()
            .unwrap()
            .status();
        assert!(status.is_success());
    }
    let tf = Tf::new(&emulator, "data_sources");
    tf.init();
    let ws = format!("-var=workspace_id={}", emulator.workspace_id);
    tf.run(&["apply", "-auto-approve", "-input=false", &ws]);
    let out: serde_json::Value = serde_json::from_str(&tf.run(&["output", "-json"]).stdout).unwrap();
    let found = &out["found"]["value"];
    let created = &out["created"]["value"];

    for lookup in ["by_id", "by_slug"] {
        assert_eq!(found[lookup]["id"], created["project_id"], "{lookup}");
        assert_eq!(found[lookup]["name"], "ds-project");
        assert_eq!(found[lookup]["environment"], "prod");
    }
    assert!(found["projects"].as_array().unwrap().iter().any(|p| p["id"] == created["project_id"]));
    assert_eq!(found["workspace"]["name"], "ds-workspace");
    let workspaces = found["workspaces"].as_array().unwrap();
    assert_eq!(workspaces.len(), 262, "the emulator's own, 260 fillers and ds-workspace, across two pages");
    assert!(workspaces.iter().any(|w| w["id"] == created["workspace_id"]));
    let members = found["members"].as_array().unwrap();
    assert!(members.iter().any(|m| m["role"] == "owner"), "{members:?}");
    assert_eq!(found["project_keys"][0]["id"], created["project_key_id"]);
    assert_eq!(found["project_keys"][0]["name"], "ds-key");
    assert!(found["workspace_keys"].as_array().unwrap().iter().any(|k| k["id"] == created["workspace_key_id"]));
    assert_eq!(found["event_streams"][0]["id"], created["stream_id"]);
    assert_eq!(found["event_streams"][0]["https_endpoint"], "https://hooks.example.com", "the origin alone");
    assert_eq!(found["event_streams"][0]["https_auth_type"], "api_key");
    assert_eq!(found["event_streams"][0]["https_auth_header_name"], "X-Ds-Key");

    // No key value, and no endpoint credentials, in anything a data source read.
    let text = found.to_string();
    let pk_value = tf.state_of("ory_project_api_key.k")["value"].as_str().unwrap().to_string();
    let wk_value = tf.state_of("ory_workspace_api_key.k")["value"].as_str().unwrap().to_string();
    for secret in [
        pk_value.as_str(),
        wk_value.as_str(),
        "ds-secret",
        "ds-query-secret",
        "ds-path-secret",
        "ds-session",
        "ds-auth-secret",
    ] {
        assert!(!text.contains(secret), "a data source exposed a secret");
    }
    // Two pages for the data source, and two for the listing that creating
    // ory_workspace.w takes first, to resolve a lost answer by what is new.
    assert_eq!(emulator.count("listWorkspaces"), 4, "two pages, twice");

    tf.run(&["destroy", "-auto-approve", "-input=false", &ws]);
}
