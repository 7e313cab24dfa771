//! `ory_project_api_key` and `ory_workspace_api_key` end to end.

use reqwest::Method;

use crate::support::{actions, assert_no_changes, Emulator, Tf};

const PK: &str = "ory_project_api_key.k";
const WK: &str = "ory_workspace_api_key.k";

fn keys(emulator: &Emulator, path: &str) -> Vec<serde_json::Value> {
    let (status, body) = emulator.call(Method::GET, path);
    assert_eq!(status, 200, "{path}: {body}");
    body.as_array().unwrap().clone()
}

#[test]
fn api_key_lifecycle() {
    let emulator = Emulator::start();
    let ws = emulator.workspace_id.clone();
    let tf = Tf::new(&emulator, "api_keys");
    tf.init();
    let vars = |name: &'static str, expires: &'static str| {
        vec![("key_name", name), ("workspace_id", ws.as_str()), ("expires_at", expires)]
    };

    // 1. Create: the value is in state, shown nowhere, and only once by the API.
    let planned = tf.apply(&vars("ci", "2030-01-01T00:00:00Z"));
    assert_eq!(planned, actions(&[("ory_project.p", &["create"]), (PK, &["create"]), (WK, &["create"])]));
    let project_id = tf.state_of("ory_project.p")["id"].as_str().unwrap().to_string();
    let pk = tf.state_of(PK);
    let wk = tf.state_of(WK);
    let pk_value = pk["value"].as_str().unwrap().to_string();
    assert!(pk_value.starts_with("ory_pat_"), "{pk_value}");
    assert!(wk["value"].as_str().unwrap().starts_with("ory_wak_"));
    assert_eq!(pk["project_id"], project_id.as_str());
    assert_eq!(wk["workspace_id"], ws.as_str());
    assert_eq!(pk["expires_at"], "2030-01-01T00:00:00Z");
    let listed = keys(&emulator, &format!("/projects/{project_id}/tokens"));
    assert_eq!(listed.len(), 1);
    assert!(listed[0].get("value").is_none(), "a listing must not show the value");
    assert!(pk_value.ends_with(listed[0]["last_characters"].as_str().unwrap()));
    assert_eq!(pk["last_characters"], listed[0]["last_characters"]);
    let shown = tf.run(&["output"]);
    assert!(!shown.text().contains(&pk_value) && shown.text().contains("sensitive"), "{}", shown.text());
    // The new workspace key works against the API.
    let probe = reqwest::blocking::Client::new()
        .get(format!("{}/projects", emulator.url))
        .bearer_auth(wk["value"].as_str().unwrap())
        .send()
        .unwrap();
    assert_eq!(probe.status().as_u16(), 200);

    // 2. No changes, even with the expiry written another way.
    assert_no_changes(&tf.plan(&vars("ci", "2030-01-01T00:00:00Z")));
    assert_no_changes(&tf.plan(&vars("ci", "2030-01-01T01:00:00+01:00")));

    // 3. The API has no update for keys, so there is no in-place step.
    // 4. A new name replaces each key; the plan never shows a value.
    let plan_text = tf.run(&[
        "plan",
        "-input=false",
        "-var=key_name=ci2",
        &format!("-var=workspace_id={ws}"),
        "-var=expires_at=2030-01-01T00:00:00Z",
    ]);
    assert!(plan_text.text().contains("value = (sensitive value)"), "{}", plan_text.text());
    assert!(!plan_text.text().contains(&pk_value));
    let planned = tf.apply(&vars("ci2", "2030-01-01T00:00:00Z"));
    assert_eq!(
        planned,
        actions(&[("ory_project.p", &["no-op"]), (PK, &["delete", "create"]), (WK, &["delete", "create"])])
    );
    let listed = keys(&emulator, &format!("/projects/{project_id}/tokens"));
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["name"], "ci2");
    assert_ne!(listed[0]["id"], pk["id"]);
    let pk = tf.state_of(PK);
    let wk = tf.state_of(WK);

    // 5. Import: the value cannot come along; a warning says so, and nothing is planned.
    let fresh = Tf::new(&emulator, "api_keys");
    fresh.init();
    let ws_var = format!("-var=workspace_id={ws}");
    let common = ["-input=false", "-var=key_name=ci2", "-var=expires_at=2030-01-01T00:00:00Z", ws_var.as_str()];
    fresh.run(&[&["import"][..], &common, &["ory_project.p", &project_id]].concat());
    let pk_id = format!("{project_id}/{}", pk["id"].as_str().unwrap());
    let imported = fresh.run(&[&["import"][..], &common, &[PK, &pk_id]].concat());
    assert!(imported.text().contains("The key's value cannot be imported"), "{}", imported.text());
    let wk_id = format!("{ws}/{}", wk["id"].as_str().unwrap());
    fresh.run(&[&["import"][..], &common, &[WK, &wk_id]].concat());
    assert_eq!(fresh.state_of(PK)["value"], serde_json::Value::Null);
    assert_eq!(fresh.state_of(PK)["name"], "ci2");
    let planned = fresh.plan(&vars("ci2", "2030-01-01T00:00:00Z"));
    assert_eq!(planned[PK], ["no-op"]);
    assert_eq!(planned[WK], ["no-op"]);
    let bad = fresh.try_run(&[&["import"][..], &common, &[WK, "not-a-pair"]].concat());
    assert!(!bad.ok && bad.text().contains("<workspace_id>/<key_id>"), "{}", bad.text());

    // 6. Keys deleted outside Terraform are planned again.
    assert_eq!(
        emulator.call(Method::DELETE, &format!("/projects/{project_id}/tokens/{}", pk["id"].as_str().unwrap())).0,
        204
    );
    assert_eq!(
        emulator.call(Method::DELETE, &format!("/workspaces/{ws}/tokens/{}", wk["id"].as_str().unwrap())).0,
        204
    );
    let planned = tf.plan(&vars("ci2", "2030-01-01T00:00:00Z"));
    assert_eq!(planned[PK], ["create"]);
    assert_eq!(planned[WK], ["create"]);
    tf.apply_saved();
    assert_eq!(keys(&emulator, &format!("/projects/{project_id}/tokens")).len(), 1);

    // 7. Destroy removes them all.
    tf.run(&["destroy", "-auto-approve", "-input=false", "-var=key_name=ci2", &format!("-var=workspace_id={ws}")]);
    assert!(keys(&emulator, &format!("/workspaces/{ws}/tokens")).is_empty());
    assert_eq!(emulator.project(&project_id)["state"], "deleted");
}

#[test]
fn key_arguments_are_checked_at_plan_time() {
    let emulator = Emulator::start();
    let tf = Tf::new(&emulator, "api_keys");
    tf.init();
    let ws = emulator.workspace_id.clone();
    let past = tf.plan_fails(&[("workspace_id", &ws), ("expires_at", "2001-01-01T00:00:00Z")]);
    assert!(past.contains("expires_at must be in the future"), "{past}");
    let malformed = tf.plan_fails(&[("workspace_id", &ws), ("expires_at", "next tuesday")]);
    assert!(malformed.contains("expires_at must be an RFC 3339 time"), "{malformed}");
    let bad_ws = tf.plan_fails(&[("workspace_id", "nope")]);
    assert!(bad_ws.contains("workspace_id must be a UUID"), "{bad_ws}");
    assert!(emulator.requests().is_empty(), "{:?}", emulator.requests());
}

#[test]
fn a_key_past_its_expiry_still_plans_with_its_unchanged_configuration() {
    let emulator = Emulator::start();
    let tf = Tf::new(&emulator, "api_keys");
    tf.init();
    let ws = emulator.workspace_id.clone();
    // Far enough ahead that a loaded machine still applies before it passes.
    let expiry = chrono::Utc::now() + chrono::Duration::seconds(8);
    let soon = expiry.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    tf.apply(&[("workspace_id", &ws), ("expires_at", &soon)]);
    let left = (expiry - chrono::Utc::now()).to_std().unwrap_or_default();
    std::thread::sleep(left + std::time::Duration::from_secs(1));
    // The configuration is unchanged: no "must be in the future" for keys that exist.
    assert_no_changes(&tf.plan(&[("workspace_id", &ws), ("expires_at", &soon)]));
    // A new key with that expiry could not be made: refused at plan time, on the attribute.
    let replaced = tf.plan_fails(&[("workspace_id", &ws), ("expires_at", &soon), ("key_name", "other")]);
    assert!(replaced.contains("expires_at must be in the future"), "{replaced}");
}

#[test]
fn a_refresh_lists_each_project_s_keys_and_streams_once() {
    let emulator = Emulator::start();
    let tf = Tf::new(&emulator, "refresh");
    tf.init();
    tf.apply(&[]);
    let before = emulator.requests();
    assert_no_changes(&tf.plan(&[]));
    let after = emulator.requests();
    let spent = |op: &str| after.get(op).copied().unwrap_or(0) - before.get(op).copied().unwrap_or(0);
    // 3 projects, 30 keys and 30 streams: one listing of the projects, and
    // one per (project, kind).
    assert_eq!(spent("listProjects"), 1, "{before:?}\n{after:?}");
    assert_eq!(spent("listProjectApiKeys"), 3, "{before:?}\n{after:?}");
    assert_eq!(spent("listEventStreams"), 3, "{before:?}\n{after:?}");
    assert_eq!(spent("getProject"), 0, "{before:?}\n{after:?}");

    // One client per provider process, kept alive: a refresh that reads one
    // object at a time makes all its calls over one connection.
    let connections = emulator.connections();
    let before = emulator.requests().values().sum::<u64>();
    tf.run(&["plan", "-input=false", "-parallelism=1", "-detailed-exitcode"]);
    let calls = emulator.requests().values().sum::<u64>() - before;
    let opened = emulator.connections() - connections - 1;
    assert_eq!((calls, opened), (7, 1), "7 calls over one connection");
}

/// Issue 21: a refresh of 10 projects and 100 keys makes 11 calls, the
/// fewest the API allows: one listing of the projects, one of each
/// project's keys. A project missing from the listing is read once before
/// it leaves the state.
#[test]
fn a_refresh_of_10_projects_and_100_keys_makes_11_calls() {
    let emulator = Emulator::start();
    let tf = Tf::new(&emulator, "refresh");
    tf.init();
    let vars = [("projects", "10"), ("per_project", "10"), ("with_streams", "false")];
    tf.apply(&vars);
    let before = emulator.requests().values().sum::<u64>();
    assert_no_changes(&tf.plan(&vars));
    let calls = emulator.requests().values().sum::<u64>() - before;
    assert_eq!(calls, 11, "{:?}", emulator.requests());

    // Purged outside Terraform: not listed, confirmed by one read, planned again.
    let gone = tf.state_of("ory_project.p[3]")["id"].as_str().unwrap().to_string();
    let (status, _) = emulator.call(reqwest::Method::DELETE, &format!("/projects/{gone}"));
    assert_eq!(status, 204);
    let reads = emulator.count("getProject");
    let planned = tf.plan(&vars);
    assert_eq!(planned["ory_project.p[3]"], ["create"], "{planned:?}");
    assert_eq!(emulator.count("getProject") - reads, 1, "one read confirms it is gone");
}

/// Issue 21: as Ory, the emulator does not let a workspace key make or
/// delete workspace keys. A key made in the console imports and plans no
/// change; a create says to make it in the console; a destroy says the key
/// still exists and works, and it does.
#[test]
fn workspace_keys_are_made_in_the_console_and_imported() {
    let dir = tempfile::tempdir().unwrap();
    let seed = dir.path().join("seed.json");
    let console_made = "ory_wak_madeintheconsolemadeintheconsole";
    std::fs::write(
        &seed,
        format!(r#"{{"workspace": {{"api_keys": [{{"name": "console-made", "value": "{console_made}"}}]}}}}"#),
    )
    .unwrap();
    let emulator = Emulator::start_with(&["--seed", seed.to_str().unwrap()]);
    let ws = emulator.workspace_id.clone();
    let (status, body) =
        emulator.send(Method::POST, &format!("/workspaces/{ws}/tokens"), serde_json::json!({"name": "x"}));
    assert_eq!(status, 403, "{body}");
    let (_, keys) = emulator.call(Method::GET, &format!("/workspaces/{ws}/tokens"));
    let key_id = keys.as_array().unwrap().iter().find(|k| k["name"] == "console-made").unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(
        emulator.send(Method::DELETE, &format!("/workspaces/{ws}/tokens/{key_id}"), serde_json::json!({})).0,
        403
    );

    let tf = Tf::new(&emulator, "workspace_key");
    tf.init();
    let vars = [("workspace_id", ws.as_str()), ("key_name", "console-made")];
    let args: Vec<String> = vars.iter().map(|(k, v)| format!("-var={k}={v}")).collect();
    let mut import = vec!["import", "-input=false"];
    import.extend(args.iter().map(String::as_str));
    let address_id = format!("{ws}/{key_id}");
    import.extend(["ory_workspace_api_key.k", address_id.as_str()]);
    tf.run(&import);
    assert_no_changes(&tf.plan(&vars));

    let mut destroy = vec!["destroy", "-auto-approve", "-input=false"];
    destroy.extend(args.iter().map(String::as_str));
    let text = tf.run(&destroy).text();
    assert!(text.contains("Workspace API key still exists and stays valid"), "{text}");
    assert!(tf.state_ids().is_empty(), "it left the state");
    let still = reqwest::blocking::Client::new()
        .get(format!("{}/projects", emulator.url))
        .bearer_auth(console_made)
        .send()
        .unwrap();
    assert_eq!(still.status().as_u16(), 200, "the key still works, as the warning says");

    let created = tf.try_run(&[
        "apply",
        "-auto-approve",
        "-input=false",
        &format!("-var=workspace_id={ws}"),
        "-var=key_name=new",
    ]);
    assert!(!created.ok);
    assert!(created.text().contains("Workspace API keys are made in the Ory Console"), "{}", created.text());
    assert!(created.text().contains(&format!("terraform import <address> {ws}/<key_id>")), "{}", created.text());
}
