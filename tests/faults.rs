//! The provider under a failing console API: faults, and a rate limit.

use reqwest::Method;

use crate::support::{assert_exactly, assert_no_changes, Emulator, Tf};

fn post_admin(emulator: &Emulator, path: &str, body: serde_json::Value) {
    let status = reqwest::blocking::Client::new()
        .post(format!("{}/__emulator{path}", emulator.url))
        .json(&body)
        .send()
        .unwrap()
        .status();
    assert!(status.is_success(), "{path}: {status}");
}

/// The emulator holds exactly what the `many` fixture describes, one key and
/// one stream in each project, and the state holds each once: no duplicate,
/// no shared ID, no orphan.
fn assert_exactly_the_configuration(tf: &Tf, emulator: &Emulator, n: usize) {
    let expected =
        [("ory_project", n), ("ory_project_api_key", n), ("ory_workspace_api_key", n), ("ory_event_stream", n)];
    let before = [("ory_workspace".to_string(), vec![emulator.workspace_id.clone()])].into_iter().collect();
    assert_exactly(tf, emulator, &before, &expected);
    let (_, projects) = emulator.call(Method::GET, "/projects");
    let projects = projects.as_array().unwrap();
    let mut names: Vec<&str> = projects.iter().map(|p| p["name"].as_str().unwrap()).collect();
    names.sort();
    let mut expected: Vec<String> = (0..n).map(|i| format!("many-{i}")).collect();
    expected.sort();
    assert_eq!(names, expected, "projects");
    for p in projects {
        let id = p["id"].as_str().unwrap();
        let (_, keys) = emulator.call(Method::GET, &format!("/projects/{id}/tokens"));
        assert_eq!(keys.as_array().unwrap().len(), 1, "keys of {}: {keys}", p["name"]);
        let (_, streams) = emulator.call(Method::GET, &format!("/projects/{id}/eventstreams"));
        assert_eq!(streams["event_streams"].as_array().unwrap().len(), 1, "streams of {}", p["name"]);
    }
    let (_, wkeys) = emulator.call(Method::GET, &format!("/workspaces/{}/tokens", emulator.workspace_id));
    assert_eq!(wkeys.as_array().unwrap().len(), n, "workspace keys: {wkeys}");
}

#[test]
fn an_apply_survives_twenty_percent_faults_without_duplicates_or_orphans() {
    let emulator = Emulator::start();
    let tf = Tf::new(&emulator, "many");
    tf.init();
    post_admin(
        &emulator,
        "/faults",
        serde_json::json!({"rate": 0.2, "kinds": ["429", "500", "502", "503", "reset", "latency", "commit_then_drop"], "latency_ms": 100, "seed": 7}),
    );
    let ws = format!("-var=workspace_id={}", emulator.workspace_id);
    tf.run(&["apply", "-auto-approve", "-input=false", &ws]);
    // A refresh under the same faults keeps everything in state and plans nothing.
    assert_no_changes(&tf.plan(&[("workspace_id", &emulator.workspace_id)]));
    let injected: std::collections::BTreeMap<String, u64> =
        reqwest::blocking::get(format!("{}/__emulator/faults", emulator.url)).unwrap().json().unwrap();
    post_admin(&emulator, "/faults", serde_json::json!({"rate": 0}));
    let requests: u64 = emulator.requests().values().sum();
    let faults: u64 = injected.values().sum();
    // Which kinds land on which request depends on Terraform's parallel order;
    // the run is only meaningful if a fair share of requests failed.
    eprintln!("faults injected: {faults} of {requests} requests: {injected:?}");
    assert!(faults * 10 >= requests, "{faults} faults in {requests} requests");
    assert_exactly_the_configuration(&tf, &emulator, 8);
    assert_no_changes(&tf.plan(&[("workspace_id", &emulator.workspace_id)]));
}

#[test]
fn an_apply_stays_under_a_rate_limit() {
    let emulator = Emulator::start();
    let tf = Tf::new(&emulator, "many");
    tf.init();
    post_admin(&emulator, "/limits", serde_json::json!({"burst": 5, "per_second": 5}));
    let ws = format!("-var=workspace_id={}", emulator.workspace_id);
    tf.run(&["apply", "-auto-approve", "-input=false", "-var=n=15", &ws]);
    post_admin(&emulator, "/limits", serde_json::json!({}));
    let requests = emulator.requests();
    let total: u64 = requests.values().sum();
    let creates: u64 = requests.iter().filter(|(op, _)| op.starts_with("create")).map(|(_, n)| n).sum();
    eprintln!("requests under the limiter: {total}, {creates} of them creates ({requests:?})");
    // 60 creates, each sent again after every 429 it meets. The client learns
    // the limit from the first answers and paces itself; without that, this
    // apply took 142 requests. (The listings beside them are what creates
    // read back; see src/console/recover.rs.)
    assert!(creates < 70, "{creates} create requests for 60 creates: the client keeps bouncing off 429s");
    assert_exactly_the_configuration(&tf, &emulator, 15);
}
