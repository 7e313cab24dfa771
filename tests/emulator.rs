//! The emulator as any HTTP client sees it: auth, status codes, the error
//! envelope, soft-deleted projects, persistence, the admin API.

use std::io::Write;
use std::process::Command;

use reqwest::Method;
use serde_json::json;

use crate::support::{emulator_bin, spawn_first_line, Emulator, Tf};

fn create(emulator: &Emulator, body: serde_json::Value) -> (u16, serde_json::Value) {
    let client = reqwest::blocking::Client::new();
    let resp = client.post(format!("{}/projects", emulator.url)).bearer_auth(&emulator.key).json(&body).send().unwrap();
    (resp.status().as_u16(), resp.json().unwrap())
}

/// A JSON Patch sent to `path`: the status and the answer's body.
fn send_patch(emulator: &Emulator, path: &str, ops: serde_json::Value) -> (u16, serde_json::Value) {
    let r = reqwest::blocking::Client::new()
        .patch(format!("{}{path}", emulator.url))
        .bearer_auth(&emulator.key)
        .json(&ops)
        .send()
        .unwrap();
    (r.status().as_u16(), r.json::<serde_json::Value>().unwrap())
}

fn assert_envelope(body: &serde_json::Value, code: u16) {
    let e = &body["error"];
    assert_eq!(e["code"], code, "{body}");
    assert!(
        e["status"].is_string() && e["message"].is_string() && e["reason"].is_string() && e["request"].is_string(),
        "{body}"
    );
}

#[test]
fn the_key_is_required_and_checked() {
    let emulator = Emulator::start();
    let client = reqwest::blocking::Client::new();
    for auth in [None, Some("ory_wak_wrong")] {
        let mut req = client.get(format!("{}/projects", emulator.url));
        if let Some(key) = auth {
            req = req.bearer_auth(key);
        }
        let resp = req.send().unwrap();
        assert_eq!(resp.status().as_u16(), 401);
        assert_envelope(&resp.json().unwrap(), 401);
    }
    assert!(emulator.key.starts_with("ory_wak_"));
    assert_eq!(emulator.count("listProjects"), 2, "refused calls are counted too");
}

#[test]
fn the_authorization_header_is_one_bearer_and_one_space() {
    let emulator = Emulator::start();
    let key = emulator.key.clone();
    let status = |values: &[String]| {
        let mut headers = reqwest::header::HeaderMap::new();
        for v in values {
            headers.append(reqwest::header::AUTHORIZATION, v.parse().unwrap());
        }
        let resp =
            reqwest::blocking::Client::new().get(format!("{}/projects", emulator.url)).headers(headers).send().unwrap();
        let code = resp.status().as_u16();
        if code != 200 {
            assert_envelope(&resp.json().unwrap(), code);
        }
        code
    };
    assert_eq!(status(&[format!("Bearer {key}")]), 200);
    // Spaces after a header value are not part of it (RFC 9110), so "Bearer <key> " is the same header.
    for refused in [
        vec![format!("Bearer {key}"), format!("Bearer {key}")],
        vec![format!("Bearer  {key}")],
        vec![format!("bearer {key}")],
        vec![format!("Bearer\t{key}")],
        vec![format!("Basic {key}")],
        vec!["Bearer ".to_string()],
    ] {
        assert_eq!(status(&refused), 401, "{refused:?}");
    }
}

#[test]
fn every_refused_request_gets_json_in_the_api_s_envelope() {
    let emulator = Emulator::start();
    let client = reqwest::blocking::Client::new();
    let url = format!("{}/projects", emulator.url);
    let check = |resp: reqwest::blocking::Response, code: u16| {
        assert_eq!(resp.status().as_u16(), code);
        assert!(resp.headers()["content-type"].to_str().unwrap().starts_with("application/json"));
        let body: serde_json::Value = resp.json().unwrap();
        assert_envelope(&body, code);
        body["error"]["reason"].as_str().unwrap().to_string()
    };
    // 413: a body past 2 MB, declared or streamed.
    let huge = format!(r#"{{"name":"{}","environment":"dev"}}"#, "x".repeat(3 << 20));
    let reason = check(
        client
            .post(&url)
            .bearer_auth(&emulator.key)
            .header("content-type", "application/json")
            .body(huge)
            .send()
            .unwrap(),
        413,
    );
    assert!(reason.contains("larger than 2097152 bytes"), "{reason}");
    // 415: a body that is not JSON, though it parses as JSON.
    let reason = check(
        client
            .post(&url)
            .bearer_auth(&emulator.key)
            .header("content-type", "text/plain")
            .body(r#"{"name":"a","environment":"dev"}"#)
            .send()
            .unwrap(),
        415,
    );
    assert!(reason.contains("Content-Type: application/json"), "{reason}");
    let reason = check(client.post(&url).bearer_auth(&emulator.key).body(r#"{"name":"a"}"#).send().unwrap(), 415);
    assert!(reason.contains("must be JSON"), "{reason}");
    // 431: headers past 16 KB.
    let reason =
        check(client.get(&url).bearer_auth(&emulator.key).header("x-padding", "p".repeat(20_000)).send().unwrap(), 431);
    assert!(reason.contains("at most 16384 are accepted"), "{reason}");
    assert_eq!(emulator.objects()["ory_project"].len(), 0, "nothing refused was made");
    // A JSON body with a charset is JSON.
    let resp = client
        .post(&url)
        .bearer_auth(&emulator.key)
        .header("content-type", "application/json; charset=utf-8")
        .body(r#"{"name":"a","environment":"dev"}"#)
        .send()
        .unwrap();
    assert_eq!(resp.status().as_u16(), 201);
}

#[test]
fn a_client_too_slow_to_send_its_request_is_cut_off() {
    use std::io::{Read, Write};
    let (mut emulator, line) =
        spawn_first_line(Command::new(emulator_bin()).args(["--listen", "127.0.0.1:0", "--read-timeout", "0.5"]));
    let startup: serde_json::Value = serde_json::from_str(&line).unwrap();
    let addr = startup["url"].as_str().unwrap().trim_start_matches("http://").to_string();
    let key = startup["workspace_api_key"].as_str().unwrap();

    // Headers that never end: the connection is closed.
    let mut slow = std::net::TcpStream::connect(&addr).unwrap();
    slow.write_all(b"GET /projects HTTP/1.1\r\nhost: x\r\n").unwrap();
    let mut answer = Vec::new();
    slow.read_to_end(&mut answer).unwrap();
    assert!(!String::from_utf8_lossy(&answer).contains("200 OK"), "{}", String::from_utf8_lossy(&answer));

    // A body that never ends: a 408 in the envelope, and nothing made.
    let mut slow = std::net::TcpStream::connect(&addr).unwrap();
    write!(
        slow,
        "POST /projects HTTP/1.1\r\nhost: x\r\nauthorization: Bearer {key}\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{{\"name\""
    )
    .unwrap();
    let mut answer = String::new();
    let _ = slow.read_to_string(&mut answer);
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains(r#""code":408"#), "{answer}");
    emulator.kill().unwrap();
    emulator.wait().unwrap();
}

#[test]
fn listening_beyond_loopback_is_warned_about_on_stderr() {
    let mut child = Command::new(emulator_bin())
        .args(["--listen", "0.0.0.0:0"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    std::io::BufRead::read_line(&mut std::io::BufReader::new(child.stdout.take().unwrap()), &mut first).unwrap();
    child.kill().unwrap();
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("warning: listening on 0.0.0.0:"), "{stderr}");
    assert!(stderr.contains("the admin API"), "{stderr}");
    let (mut quiet, _) = spawn_first_line(
        Command::new(emulator_bin()).args(["--listen", "127.0.0.1:0"]).stderr(std::process::Stdio::piped()),
    );
    quiet.kill().unwrap();
    let output = quiet.into_inner().wait_with_output().unwrap();
    assert!(output.stderr.is_empty(), "{}", String::from_utf8_lossy(&output.stderr));
}

#[test]
fn projects_follow_the_spec_and_purge_leaves_a_tombstone() {
    let emulator = Emulator::start();
    let (status, project) = create(&emulator, serde_json::json!({"name": "a", "environment": "stage"}));
    assert_eq!(status, 201);
    for field in
        ["id", "revision_id", "slug", "services", "state", "name", "environment", "home_region", "organizations"]
    {
        assert!(!project[field].is_null(), "the spec requires {field}: {project}");
    }
    assert_eq!(project["home_region"], "eu-central");
    assert_eq!(project["state"], "running");
    assert_eq!(project["workspace_id"], emulator.workspace_id.as_str());
    let id = project["id"].as_str().unwrap();

    let (status, list) = emulator.call(Method::GET, &format!("/workspaces/{}/projects", emulator.workspace_id));
    assert_eq!(status, 200);
    assert_eq!(list["projects"][0]["id"], id);
    assert_eq!(list["has_next_page"], false);
    for field in ["id", "hosts", "slug", "state", "created_at", "updated_at", "name", "environment", "home_region"] {
        assert!(!list["projects"][0][field].is_null(), "the spec requires {field} in projectMetadata");
    }

    assert_eq!(emulator.call(Method::DELETE, &format!("/projects/{id}")).0, 204);
    let (status, gone) = emulator.call(Method::GET, &format!("/projects/{id}"));
    assert_eq!((status, gone["state"].as_str()), (200, Some("deleted")));
    let (status, body) = emulator.call(Method::DELETE, &format!("/projects/{id}"));
    assert_eq!(status, 404);
    // purgeProject declares the flat genericError, not the envelope.
    assert_eq!(
        (body["code"].as_u64(), body["message"].is_string(), body.get("error")),
        (Some(404), true, None),
        "{body}"
    );
    let (_, list) = emulator.call(Method::GET, "/projects");
    assert_eq!(list, serde_json::json!([]), "purged projects are not listed");
}

#[test]
fn bad_input_gets_400_with_a_reason_and_unknown_ids_404() {
    let emulator = Emulator::start();
    for (body, reason) in [
        (serde_json::json!({"name": "a", "environment": "production"}), "environment must be one of prod, stage, dev"),
        (serde_json::json!({"name": "a", "environment": "dev", "home_region": "mars"}), "home_region must be one of"),
        (serde_json::json!({"name": "", "environment": "dev"}), "name is required"),
        (serde_json::json!({"environment": "dev"}), "name is required"),
    ] {
        let (status, resp) = create(&emulator, body);
        assert_eq!(status, 400);
        assert_envelope(&resp, 400);
        assert!(resp["error"]["reason"].as_str().unwrap().contains(reason), "{resp}");
    }
    for path in ["/projects/3fa85f64-5717-4562-b3fc-2c963f66afa6", "/projects/not-a-uuid"] {
        let (status, body) = emulator.call(Method::GET, path);
        assert_eq!(status, 404);
        assert_envelope(&body, 404);
    }
    let (_, project) = create(&emulator, serde_json::json!({"name": "a", "environment": "dev"}));
    let id = project["id"].as_str().unwrap();
    let client = reqwest::blocking::Client::new();
    let patch = |ops: serde_json::Value| send_patch(&emulator, &format!("/projects/{id}"), ops);
    let (status, body) = patch(serde_json::json!([{"op": "replace", "path": "/slug", "value": "mine"}]));
    assert_eq!(status, 400, "{body}");
    let (status, body) = patch(serde_json::json!([{"op": "replace", "path": "/name", "value": "renamed"}]));
    assert_eq!(status, 200);
    assert_eq!(body["project"]["name"], "renamed");
    assert_ne!(body["project"]["revision_id"], project["revision_id"], "a change makes a new revision");
    let r = client
        .put(format!("{}/projects/{id}/environment", emulator.url))
        .bearer_auth(&emulator.key)
        .json(&serde_json::json!({"environment": "production"}))
        .send()
        .unwrap();
    assert_eq!(r.status().as_u16(), 400);
}

#[test]
fn a_patch_made_for_an_old_revision_is_refused_with_409_and_changes_nothing() {
    let emulator = Emulator::start();
    let (_, project) = create(&emulator, serde_json::json!({"name": "a", "environment": "dev"}));
    let (id, first) = (project["id"].as_str().unwrap(), project["revision_id"].as_str().unwrap().to_string());
    let patch = |revision: &str, ops: serde_json::Value| {
        send_patch(&emulator, &format!("/projects/{id}/revision/{revision}"), ops)
    };
    let hook =
        serde_json::json!({"hook": "web_hook", "config": {"url": "https://example.com/segment", "method": "POST"}});
    let add = serde_json::json!([{"op": "add", "path": "/services/identity/config/selfservice",
        "value": {"flows": {"login": {"after": {"hooks": [hook]}}}}}]);
    let (status, body) = patch(&first, add.clone());
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body["project"]["services"]["identity"]["config"]["selfservice"]["flows"]["login"]["after"]["hooks"][0],
        hook
    );
    assert_eq!(body["warnings"], serde_json::json!([]));
    let second = body["project"]["revision_id"].as_str().unwrap().to_string();
    assert_ne!(second, first, "a change makes a new revision");

    let (status, body) = patch(&first, serde_json::json!([{"op": "replace", "path": "/name", "value": "stale"}]));
    assert_eq!(status, 409, "{body}");
    assert_envelope(&body, 409);
    assert!(body["error"]["reason"].as_str().unwrap().contains(&second), "{body}");

    // A failing test operation refuses the whole patch.
    let (status, body) = patch(
        &second,
        serde_json::json!([
            {"op": "replace", "path": "/name", "value": "half"},
            {"op": "test", "path": "/environment", "value": "prod"},
        ]),
    );
    assert_eq!(status, 400, "{body}");
    let (_, now) = emulator.call(Method::GET, &format!("/projects/{id}"));
    assert_eq!((now["name"].as_str(), now["revision_id"].as_str()), (Some("a"), Some(second.as_str())));
}

/// A PUT of a whole `setProject` body: the status and the answer.
fn send_set(emulator: &Emulator, id: &str, body: serde_json::Value) -> (u16, serde_json::Value) {
    let r = reqwest::blocking::Client::new()
        .put(format!("{}/projects/{id}", emulator.url))
        .bearer_auth(&emulator.key)
        .json(&body)
        .send()
        .unwrap();
    (r.status().as_u16(), r.json::<serde_json::Value>().unwrap())
}

#[test]
fn the_guide_s_login_hook_is_added_by_patch_and_every_operation_applies() {
    let emulator = Emulator::start();
    let (_, project) = create(&emulator, serde_json::json!({"name": "a", "environment": "dev"}));
    let id = project["id"].as_str().unwrap();
    let identity = "/services/identity/config";
    assert!(project["services"]["account_experience"]["config"].is_object(), "{project}");
    let hook = serde_json::json!({"hook": "web_hook", "config": {
        "url": "https://api.segment.io/v1/identify", "method": "POST",
        "body": "base64://ZnVuY3Rpb24oY3R4KSB7fQ==",
        "auth": {"type": "basic_auth", "config": {"user": "key", "password": ""}}}});
    let (status, body) = send_patch(
        &emulator,
        &format!("/projects/{id}"),
        serde_json::json!([{"op": "add", "path": format!("{identity}/selfservice/flows/login/after/hooks/-"), "value": hook}]),
    );
    assert_eq!(status, 200, "{body}");
    // The guide's check: jq ".project.services.identity.config.selfservice.flows.login.after.hooks"
    assert_eq!(
        body["project"]["services"]["identity"]["config"]["selfservice"]["flows"]["login"]["after"]["hooks"],
        serde_json::json!([hook])
    );
    let revision = body["project"]["revision_id"].as_str().unwrap().to_string();

    let (status, body) = send_patch(
        &emulator,
        &format!("/projects/{id}/revision/{revision}"),
        serde_json::json!([
            {"op": "test", "path": format!("{identity}/session/lifespan"), "value": "72h"},
            {"op": "copy", "from": format!("{identity}/selfservice/flows/login/after/hooks/0"), "path": format!("{identity}/selfservice/flows/registration/after/hooks/-")},
            {"op": "move", "from": format!("{identity}/selfservice/flows/login/after/hooks/0"), "path": format!("{identity}/selfservice/flows/settings/after/hooks/0")},
            {"op": "replace", "path": format!("{identity}/session/lifespan"), "value": "24h"},
            {"op": "remove", "path": format!("{identity}/feature_flags")},
        ]),
    );
    assert_eq!(status, 200, "{body}");
    let config = &body["project"]["services"]["identity"]["config"];
    assert_eq!(config["selfservice"]["flows"]["registration"]["after"]["hooks"], serde_json::json!([hook]));
    assert_eq!(config["selfservice"]["flows"]["settings"]["after"]["hooks"], serde_json::json!([hook]));
    assert_eq!(config["selfservice"]["flows"]["login"]["after"]["hooks"], serde_json::json!([]));
    assert_eq!((config["session"]["lifespan"].as_str(), config.get("feature_flags")), (Some("24h"), None));
    let revision = body["project"]["revision_id"].as_str().unwrap().to_string();

    // An invalid path, a failing test, a hook without url and an origin
    // that is not a URL are each a 400 that names where, and change nothing.
    for (ops, says) in [
        (serde_json::json!([{"op": "replace", "path": "/services/nope/config/x", "value": 1}]), "could not be applied"),
        (
            serde_json::json!([{"op": "test", "path": format!("{identity}/session/lifespan"), "value": "1h"}]),
            "could not be applied",
        ),
        (
            serde_json::json!([{"op": "add", "path": format!("{identity}/selfservice/flows/login/before/hooks/-"), "value": {"hook": "web_hook", "config": {"method": "POST"}}}]),
            "/services/identity/config/selfservice/flows/login/before/hooks/0/config: missing properties: \"url\"",
        ),
        (
            serde_json::json!([{"op": "replace", "path": "/cors_public/origins", "value": ["not a url"]}]),
            "/cors_public/origins/0",
        ),
    ] {
        let (status, body) = send_patch(&emulator, &format!("/projects/{id}/revision/{revision}"), ops);
        assert_eq!(status, 400, "{body}");
        assert_envelope(&body, 400);
        assert!(body["error"]["reason"].as_str().unwrap().contains(says), "{body}");
    }
    assert_eq!(emulator.project(id)["revision_id"].as_str(), Some(revision.as_str()));

    // A patch that changes nothing keeps the revision.
    let (status, body) = send_patch(&emulator, &format!("/projects/{id}/revision/{revision}"), serde_json::json!([]));
    assert_eq!((status, body["project"]["revision_id"].as_str()), (200, Some(revision.as_str())));
}

#[test]
fn set_project_replaces_each_given_service_whole_and_warns_about_operational_keys() {
    let emulator = Emulator::start();
    let (_, project) = create(&emulator, serde_json::json!({"name": "a", "environment": "dev"}));
    let id = project["id"].as_str().unwrap();
    let (status, body) = send_set(&emulator, id, serde_json::json!({"name": "b", "services": {}}));
    assert_eq!(status, 400, "{body}");
    assert!(body["error"]["reason"].as_str().unwrap().contains("cors_admin, cors_public, organizations"), "{body}");

    let cors = serde_json::json!({"enabled": true, "origins": ["https://*.example.com"]});
    let (status, body) = send_set(
        &emulator,
        id,
        serde_json::json!({
            "name": "b",
            "services": {"identity": {"config": {"session": {"lifespan": "1h"}, "log": {"level": "debug"}}}},
            "cors_public": cors, "cors_admin": {"enabled": false, "origins": []}, "organizations": [],
        }),
    );
    assert_eq!(status, 200, "{body}");
    let p = &body["project"];
    assert_eq!(p["services"]["identity"]["config"], serde_json::json!({"session": {"lifespan": "1h"}}));
    assert_eq!(p["services"]["permission"], project["services"]["permission"], "a service left out is kept");
    assert_eq!((p["name"].as_str(), &p["cors_public"]), (Some("b"), &cors));
    assert_ne!(p["revision_id"], project["revision_id"]);
    let warnings = body["warnings"].as_array().unwrap();
    assert_eq!(warnings.len(), 1, "{body}");
    assert!(warnings[0]["message"].as_str().unwrap().contains("/services/identity/config/log"), "{body}");
}

#[test]
fn state_survives_a_kill_and_the_key_can_be_fixed() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("emulator.json");
    let start = |extra: &[&str]| {
        let (child, line) = spawn_first_line(
            Command::new(emulator_bin())
                .args(["--listen", "127.0.0.1:0", "--state", state.to_str().unwrap()])
                .args(extra),
        );
        let startup: serde_json::Value = serde_json::from_str(&line).unwrap();
        let mut keys: Vec<&String> = startup.as_object().unwrap().keys().collect();
        keys.sort();
        assert_eq!(keys, ["project_api_url", "url", "workspace_api_key", "workspace_id"], "{line}");
        (child, startup)
    };
    let (mut first, s1) = start(&["--workspace-api-key", "ory_wak_fixed"]);
    assert_eq!(s1["workspace_api_key"], "ory_wak_fixed");
    let client = reqwest::blocking::Client::new();
    let created: serde_json::Value = client
        .post(format!("{}/projects", s1["url"].as_str().unwrap()))
        .bearer_auth("ory_wak_fixed")
        .json(&serde_json::json!({"name": "kept", "environment": "dev"}))
        .send()
        .unwrap()
        .json()
        .unwrap();
    first.kill().unwrap(); // SIGKILL: no chance to flush anything
    first.wait().unwrap();

    let (mut second, s2) = start(&[]);
    assert_eq!(s2["workspace_id"], s1["workspace_id"]);
    assert_eq!(s2["workspace_api_key"], "ory_wak_fixed");
    let got = client
        .get(format!("{}/projects/{}", s2["url"].as_str().unwrap(), created["id"].as_str().unwrap()))
        .bearer_auth("ory_wak_fixed")
        .send()
        .unwrap();
    assert_eq!(got.status().as_u16(), 200);
    assert_eq!(got.json::<serde_json::Value>().unwrap()["name"], "kept");

    // SIGTERM stops it cleanly.
    Command::new("kill").args(["-TERM", &second.id().to_string()]).status().unwrap();
    assert!(second.wait().unwrap().success());
}

#[test]
fn a_state_journal_killed_mid_write_loses_nothing_answered_and_stays_private() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("emulator.json");
    let journal = dir.path().join("emulator.json.log");
    let start = || {
        let (child, line) = spawn_first_line(Command::new(emulator_bin()).args([
            "--listen",
            "127.0.0.1:0",
            "--state",
            state.to_str().unwrap(),
            "--workspace-api-key",
            "ory_wak_journal",
        ]));
        let startup: serde_json::Value = serde_json::from_str(&line).unwrap();
        (child, startup["url"].as_str().unwrap().to_string())
    };
    let (mut first, url) = start();
    // Four writers until past 1 MB of journal (a fold into the snapshot),
    // then a kill -9 while they still write.
    let answered = std::sync::Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let writers: Vec<_> = (0..4)
        .map(|w| {
            let (url, answered) = (url.clone(), answered.clone());
            std::thread::spawn(move || {
                let client = reqwest::blocking::Client::new();
                for n in 0.. {
                    let body = serde_json::json!({"name": format!("w{w}-{n}"), "environment": "dev"});
                    let Ok(resp) =
                        client.post(format!("{url}/projects")).bearer_auth("ory_wak_journal").json(&body).send()
                    else {
                        return;
                    };
                    let Ok(project) = resp.json::<serde_json::Value>() else { return };
                    answered.lock().unwrap().push(project["id"].as_str().unwrap().to_string());
                }
            })
        })
        .collect();
    while answered.lock().unwrap().len() < 400 {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    first.kill().unwrap();
    first.wait().unwrap();
    for w in writers {
        w.join().unwrap();
    }
    let answered = answered.lock().unwrap().clone();
    for file in [&state, &journal] {
        let mode = std::fs::metadata(file).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{} holds every key: it must be the owner's alone", file.display());
    }
    // A line cut short, as a kill mid-append leaves one.
    std::fs::OpenOptions::new().append(true).open(&journal).unwrap().write_all(br#"{"head":{"workspace_ap"#).unwrap();

    let (mut second, url) = start();
    let listed: Vec<serde_json::Value> = reqwest::blocking::Client::new()
        .get(format!("{url}/projects"))
        .bearer_auth("ory_wak_journal")
        .send()
        .unwrap()
        .json()
        .unwrap();
    let listed: std::collections::BTreeSet<&str> = listed.iter().map(|p| p["id"].as_str().unwrap()).collect();
    let lost: Vec<&String> = answered.iter().filter(|id| !listed.contains(id.as_str())).collect();
    assert!(lost.is_empty(), "{} of {} answered creates were lost: {lost:?}", lost.len(), answered.len());
    second.kill().unwrap();
    second.wait().unwrap();
}

#[test]
fn reset_forgets_objects_and_counters() {
    let emulator = Emulator::start();
    let (_, project) = create(&emulator, serde_json::json!({"name": "a", "environment": "dev"}));
    emulator.reset();
    assert!(emulator.requests().is_empty());
    let (status, _) = emulator.call(Method::GET, &format!("/projects/{}", project["id"].as_str().unwrap()));
    assert_eq!(status, 404);
    let (status, _) = emulator.call(Method::GET, "/projects");
    assert_eq!(status, 200, "the key still works after a reset");
}

#[test]
fn faults_and_limits_can_be_set_by_flags_and_spare_the_admin_api() {
    let (mut faulty, line) = spawn_first_line(Command::new(emulator_bin()).args([
        "--listen",
        "127.0.0.1:0",
        "--fault-rate",
        "1",
        "--fault-kinds",
        "503",
    ]));
    let startup: serde_json::Value = serde_json::from_str(&line).unwrap();
    let (url, key) = (startup["url"].as_str().unwrap(), startup["workspace_api_key"].as_str().unwrap());
    let client = reqwest::blocking::Client::new();
    assert_eq!(client.get(format!("{url}/projects")).bearer_auth(key).send().unwrap().status().as_u16(), 503);
    assert_eq!(client.get(format!("{url}/__emulator/requests")).send().unwrap().status().as_u16(), 200);
    faulty.kill().unwrap();
    faulty.wait().unwrap();

    let (mut limited, line) = spawn_first_line(Command::new(emulator_bin()).args([
        "--listen",
        "127.0.0.1:0",
        "--limit-burst",
        "1",
        "--limit-per-second",
        "0.5",
    ]));
    let startup: serde_json::Value = serde_json::from_str(&line).unwrap();
    let (url, key) = (startup["url"].as_str().unwrap(), startup["workspace_api_key"].as_str().unwrap());
    let first = client.get(format!("{url}/projects")).bearer_auth(key).send().unwrap();
    assert_eq!(first.status().as_u16(), 200);
    assert_eq!(first.headers()["x-ratelimit-limit"], "0.5, 0.5;w=1");
    let second = client.get(format!("{url}/projects")).bearer_auth(key).send().unwrap();
    assert_eq!(second.status().as_u16(), 429);
    for header in ["retry-after", "x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset"] {
        assert!(second.headers().contains_key(header), "a 429 without {header}");
    }
    assert_eq!(client.post(format!("{url}/__emulator/reset")).send().unwrap().status().as_u16(), 200);
    limited.kill().unwrap();
    limited.wait().unwrap();
}

/// `--seed`: objects that exist at start, with the IDs and key values the
/// file fixes, readable by data sources; counters start at zero; a resumed
/// state is not seeded twice.
#[test]
fn a_seed_file_makes_objects_that_data_sources_read() {
    let seed = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/seed.json");
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state.json");
    let state_arg = state.to_str().unwrap();
    let emulator = Emulator::start_with(&["--seed", seed, "--state", state_arg]);
    assert_eq!(emulator.workspace_id, "9b2f0c1e-4d5a-4c3b-8e7f-112233445566");
    assert!(emulator.requests().is_empty(), "{:?}", emulator.requests());

    // The seeded workspace key authenticates; a project key is refused, seeded or not.
    let http = reqwest::blocking::Client::new();
    let status =
        |key: &str| http.get(format!("{}/workspaces", emulator.url)).bearer_auth(key).send().unwrap().status().as_u16();
    assert_eq!(status("ory_wak_seededseededseeded"), 200);
    assert_eq!(status("ory_pat_seededseededseeded"), 403);

    let tf = Tf::new(&emulator, "seeded");
    tf.init();
    tf.apply(&[]);
    let output = |name: &str| tf.run(&["output", "-json", name]).stdout.trim().to_string();
    assert_eq!(output("project"), r#"["customer-identity","stage","9b2f0c1e-4d5a-4c3b-8e7f-112233445566"]"#);
    assert_eq!(output("keys"), r#"["backend","reporting"]"#);
    assert_eq!(output("streams"), r#"["https"]"#);
    assert_eq!(output("workspaces"), r#"["Platform","Sandbox"]"#);
    assert_eq!(output("people"), r#"[["5c9f3b2a-7d1e-4f60-9a8b-0c1d2e3f4a5b","{\"email\":\"admin@example.com\"}"]]"#);
    assert_eq!(output("client"), r#"["backend",["client_credentials"]]"#);
    let seeded: serde_json::Value =
        reqwest::blocking::get(format!("{}/__emulator/objects", emulator.url)).unwrap().json().unwrap();
    assert_eq!(seeded["identities"][0]["has_password"], true, "{seeded}");
    assert_eq!(emulator.objects()["ory_project_api_key"].len(), 2, "the seed's own key is gone");
    let projects = emulator.objects()["ory_project"].len();
    assert_eq!(projects, 2);
    drop(emulator);

    let resumed = Emulator::start_with(&["--seed", seed, "--state", state_arg]);
    assert_eq!(resumed.objects()["ory_project"].len(), projects, "the seed was applied twice");
    assert_eq!(resumed.workspace_id, "9b2f0c1e-4d5a-4c3b-8e7f-112233445566");
}

#[test]
fn a_seed_file_with_a_mistake_stops_the_emulator_with_its_reason() {
    let dir = tempfile::tempdir().unwrap();
    for (seed, reason) in [
        (r#"{"workspace": {"projects": [{"name": "x", "environment": "qa"}]}}"#, "environment"),
        (r#"{"projects": []}"#, "unknown field `projects`"),
        (r#"{"workspace": {"api_keys": [{"name": "k", "value": "ory_pat_wrongkind"}]}}"#, "must start with ory_wak_"),
        (
            r#"{"workspace": {"projects": [{"name": "x", "identities": [{"schema_id": "preset://email", "traits": {"mail": "x"}}]}]}}"#,
            "do not match the identity schema",
        ),
        (r#"{"workspace": {"projects": [{"name": "x", "oauth2_clients": [{"client_id": "web"}]}]}}"#, "is not a UUID"),
    ] {
        let path = dir.path().join("seed.json");
        std::fs::write(&path, seed).unwrap();
        let out = Command::new(emulator_bin())
            .args(["--listen", "127.0.0.1:0", "--seed", path.to_str().unwrap()])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success() && stderr.contains(reason), "{seed}: {stderr}");
        assert!(out.stdout.is_empty(), "a startup line was printed for a bad seed");
    }
    // With --state, a seed that fails halfway leaves no state that a restart
    // would take for a seeded one.
    let path = dir.path().join("seed.json");
    std::fs::write(&path, r#"{"workspace": {"projects": [{"name": "a"}, {"name": "b", "environment": "qa"}]}}"#)
        .unwrap();
    let state = dir.path().join("state.json");
    let out = Command::new(emulator_bin())
        .args(["--listen", "127.0.0.1:0", "--seed", path.to_str().unwrap(), "--state", state.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(!state.exists() && !dir.path().join("state.json.log").exists(), "a half-seeded state was left");
}

/// Issue 20, finding 10: a workspace key acts within its own workspace (and
/// those made through it), never on another's: lists leave the others out,
/// and every route naming another's project or workspace answers 403 and
/// changes nothing.
#[test]
fn a_workspace_key_reaches_only_its_own_workspace() {
    let emulator = Emulator::start();
    let a_project = emulator.new_project("a-project");
    let (status, b) = emulator.send(Method::POST, "/workspaces", serde_json::json!({"name": "b"}));
    assert_eq!(status, 201);
    let b = b["id"].as_str().unwrap().to_string();
    let (status, key) =
        emulator.send(Method::POST, &format!("/workspaces/{b}/tokens"), serde_json::json!({"name": "b-key"}));
    assert_eq!(status, 201, "{key}");
    let b_key = key["value"].as_str().unwrap().to_string();
    let as_b = |method: Method, path: &str, body: Option<serde_json::Value>| {
        let mut req =
            reqwest::blocking::Client::new().request(method, format!("{}{path}", emulator.url)).bearer_auth(&b_key);
        if let Some(body) = body {
            req = req.json(&body);
        }
        let resp = req.send().unwrap();
        (resp.status().as_u16(), resp.json::<serde_json::Value>().unwrap_or_default())
    };
    // B's own project, made with B's key, lands in B.
    let (status, b_project) =
        as_b(Method::POST, "/projects", Some(serde_json::json!({"name": "b-project", "environment": "dev"})));
    assert_eq!((status, b_project["workspace_id"].as_str()), (201, Some(b.as_str())), "{b_project}");
    let b_project = b_project["id"].as_str().unwrap().to_string();

    let (_, listed) = as_b(Method::GET, "/projects", None);
    let ids: Vec<&str> = listed.as_array().unwrap().iter().map(|p| p["id"].as_str().unwrap()).collect();
    assert_eq!(ids, [b_project.as_str()], "B lists only its own projects");
    let (_, workspaces) = as_b(Method::GET, "/workspaces", None);
    let ids: Vec<&str> =
        workspaces["workspaces"].as_array().unwrap().iter().map(|w| w["id"].as_str().unwrap()).collect();
    assert_eq!(ids, [b.as_str()], "B lists only its own workspace");

    let a = emulator.workspace_id.clone();
    for (method, path, body) in [
        (Method::GET, format!("/projects/{a_project}"), None),
        (Method::DELETE, format!("/projects/{a_project}"), None),
        (
            Method::PATCH,
            format!("/projects/{a_project}"),
            Some(serde_json::json!([{"op": "replace", "path": "/name", "value": "taken"}])),
        ),
        (Method::GET, format!("/projects/{a_project}/tokens"), None),
        (Method::POST, format!("/projects/{a_project}/tokens"), Some(serde_json::json!({"name": "intruder"}))),
        (Method::GET, format!("/projects/{a_project}/eventstreams"), None),
        (Method::GET, format!("/projects/{a_project}/members"), None),
        (Method::GET, format!("/workspaces/{a}"), None),
        (Method::PUT, format!("/workspaces/{a}"), Some(serde_json::json!({"name": "taken"}))),
        (Method::GET, format!("/workspaces/{a}/tokens"), None),
        (Method::POST, format!("/workspaces/{a}/tokens"), Some(serde_json::json!({"name": "intruder"}))),
        (Method::GET, format!("/workspaces/{a}/projects"), None),
        (
            Method::POST,
            "/projects".to_string(),
            Some(serde_json::json!({"name": "x", "environment": "dev", "workspace_id": a})),
        ),
    ] {
        let (status, body) = as_b(method.clone(), &path, body);
        assert_eq!(status, 403, "{method} {path} with B's key: {body}");
    }
    let project = emulator.project(&a_project);
    assert_eq!((project["state"].as_str(), project["name"].as_str()), (Some("running"), Some("a-project")));
    let (_, keys) = emulator.call(Method::GET, &format!("/projects/{a_project}/tokens"));
    assert!(keys.as_array().unwrap().iter().all(|k| k["name"] != "intruder"), "{keys}");
    // A's key made B, so it reaches B's project.
    assert_eq!(emulator.call(Method::GET, &format!("/projects/{b_project}")).0, 200);

    // As a user meets it: Terraform with B's key cannot read or import A's project.
    let mut tf = Tf::new(&emulator, "hostile");
    tf.set_env("ORY_WORKSPACE_API_KEY", &b_key);
    tf.write("main.tf", &format!("provider \"ory\" {{}}\n\ndata \"ory_project\" \"a\" {{ id = \"{a_project}\" }}\n"));
    tf.init();
    let text = tf.plan_fails(&[]);
    assert!(text.contains("403") && text.contains("belongs to another workspace"), "{text}");
}

/// Issue 20, finding 15: a web page cannot reach the admin API: not by a
/// cross-site form or fetch (an Origin, a form content type), nor by DNS
/// rebinding (a host name other than an address or localhost).
#[test]
fn the_admin_api_refuses_what_a_web_page_could_send() {
    let emulator = Emulator::start();
    let project = emulator.new_project("kept");
    let client = reqwest::blocking::Client::new();
    let reset = format!("{}/__emulator/reset", emulator.url);
    let port = emulator.url.rsplit(':').next().unwrap().to_string();
    // (what, the request's headers, the status it gets)
    type Case<'a> = (&'a str, Vec<(&'a str, String)>, u16);
    let cases: Vec<Case> = vec![
        (
            "a cross-site form",
            vec![
                ("origin", "https://evil.example".into()),
                ("content-type", "application/x-www-form-urlencoded".into()),
            ],
            403,
        ),
        ("a cross-site fetch", vec![("origin", "https://evil.example".into())], 403),
        ("an Origin of null", vec![("origin", "null".into())], 403),
        ("a text/plain body", vec![("content-type", "text/plain".into())], 415),
        ("a multipart form", vec![("content-type", "multipart/form-data; boundary=x".into())], 415),
        ("DNS rebinding", vec![("host", format!("evil.example:{port}"))], 403),
        ("DNS rebinding without a port", vec![("host", "rebind.evil.example".into())], 403),
    ];
    for (what, headers, status) in cases {
        let mut req = client.post(&reset).body("x=1");
        for (name, value) in headers {
            req = req.header(name, value);
        }
        assert_eq!(req.send().unwrap().status().as_u16(), status, "{what}");
        assert_eq!(emulator.project(&project)["state"], "running", "{what} reset the emulator");
    }
    // What tests and scripts send still works.
    assert_eq!(client.get(format!("{}/__emulator/requests", emulator.url)).send().unwrap().status().as_u16(), 200);
    let json = client.post(&reset).header("content-type", "application/json").body("{}").send().unwrap();
    assert_eq!(json.status().as_u16(), 200);
    assert_eq!(client.post(&reset).header("host", format!("localhost:{port}")).send().unwrap().status().as_u16(), 200);
}

/// Issue 20, finding 6: limits no clock can hold are refused, never a panic.
#[test]
fn absurd_limits_are_refused_and_the_emulator_keeps_serving() {
    let emulator = Emulator::start();
    let client = reqwest::blocking::Client::new();
    let limits = format!("{}/__emulator/limits", emulator.url);
    for body in [
        r#"{"burst": 1, "per_second": 1e-300}"#,
        r#"{"burst": 1, "per_second": 0.0001}"#,
        r#"{"burst": 1e308, "per_second": 5}"#,
        r#"{"burst": 1, "per_second": -5}"#,
    ] {
        let resp = client.post(&limits).header("content-type", "application/json").body(body).send().unwrap();
        assert_eq!(resp.status().as_u16(), 400, "{body}");
    }
    let resp = client
        .post(&limits)
        .header("content-type", "application/json")
        .body(r#"{"burst": 1, "per_second": 0.01}"#)
        .send()
        .unwrap();
    assert_eq!(resp.status().as_u16(), 200, "the slowest limiter taken");
    assert_eq!(emulator.call(Method::GET, "/projects").0, 200);
    let (status, _) = emulator.call(Method::GET, "/projects");
    assert_eq!(status, 429, "the second call within 100 s is limited");
}

/// Issue 21: one command sets up a shell. `--background` returns once the
/// emulator listens, `--print-env` prints `export` lines for `eval`, the
/// env file holds the same (owner only), and the pid file stops it.
#[test]
fn the_emulator_starts_in_the_background_and_sets_up_a_shell() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let (pid_file, env_file) = (dir.path().join("emulator.pid"), dir.path().join("emulator.env"));
    let script = format!(
        "eval \"$('{}' --background --print-env --pid-file '{}' --env-file '{}')\" && echo \"$ORY_CONSOLE_API_URL $ORY_WORKSPACE_API_KEY $ORY_WORKSPACE_ID $ORY_PROJECT_API_URL\"",
        emulator_bin().display(),
        pid_file.display(),
        env_file.display()
    );
    let out = Command::new("bash").args(["-c", &script]).output().unwrap();
    assert!(out.status.success(), "{out:?}");
    let text = String::from_utf8(out.stdout).unwrap();
    let [url, key, workspace, project_api]: [&str; 4] = text.split_whitespace().collect::<Vec<_>>().try_into().unwrap();
    assert!(url.starts_with("http://127.0.0.1:") && key.starts_with("ory_wak_") && workspace.len() == 36, "{text}");
    // The project API too: a key made here is never sent to Ory Network.
    assert_eq!(project_api, format!("{url}/project-api/{{slug}}"), "{text}");
    let resp = reqwest::blocking::Client::new().get(format!("{url}/projects")).bearer_auth(key).send().unwrap();
    assert_eq!(resp.status().as_u16(), 200, "the shell's settings reach the emulator");
    let env = std::fs::read_to_string(&env_file).unwrap();
    assert!(env.contains(&format!("export ORY_WORKSPACE_API_KEY='{key}'")), "{env}");
    assert_eq!(std::fs::metadata(&env_file).unwrap().permissions().mode() & 0o777, 0o600);
    let pid = std::fs::read_to_string(&pid_file).unwrap().trim().to_string();
    assert!(Command::new("kill").arg(&pid).status().unwrap().success());
    let gone = (0..100).any(|_| {
        std::thread::sleep(std::time::Duration::from_millis(50));
        reqwest::blocking::get(format!("{url}/__emulator/requests")).is_err()
    });
    assert!(gone, "the emulator still answers after kill {pid}");

    // Without --print-env, the JSON line; a start that fails says so.
    let out = Command::new(emulator_bin()).args(["--background", "--pid-file"]).arg(&pid_file).output().unwrap();
    let startup: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let pid = std::fs::read_to_string(&pid_file).unwrap().trim().to_string();
    Command::new("kill").arg(&pid).status().unwrap();
    assert!(startup["url"].as_str().unwrap().starts_with("http://127.0.0.1:"));
    let out = Command::new(emulator_bin()).args(["--background", "--listen", "256.0.0.1:1"]).output().unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("the emulator did not start"), "{out:?}");

    // A pid file that cannot be written names itself, and leaves no
    // emulator running that nobody could find to stop.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let nowhere = dir.path().join("missing/emulator.pid");
    let listen = format!("127.0.0.1:{port}");
    let out = Command::new(emulator_bin())
        .args(["--background", "--print-env", "--listen", &listen, "--pid-file"])
        .arg(&nowhere)
        .output()
        .unwrap();
    assert!(!out.status.success() && out.stdout.is_empty(), "{out:?}");
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains(&format!("--pid-file {}", nowhere.display())), "{said}");
    assert!(std::net::TcpStream::connect(&listen).is_err(), "the emulator started for nothing still listens");
}

#[test]
fn an_https_stream_s_auth_follows_ory_1_22_87() {
    let emulator = Emulator::start();
    let (_, project) = create(&emulator, json!({"name": "streams", "environment": "prod"}));
    let streams = format!("/projects/{}/eventstreams", project["id"].as_str().unwrap());
    let send = |method: Method, path: &str, body: serde_json::Value| emulator.send(method, path, body);
    let endpoint = "https://ory:pw@hooks.example.com/in?token=t0k&flag=";
    let (status, made) = send(
        Method::POST,
        &streams,
        json!({"type": "https", "https_endpoint": endpoint, "https_auth_type": "bearer", "https_auth_secret": "s3cret"}),
    );
    assert_eq!(status, 201, "{made}");
    assert_eq!(made["https_endpoint"], "https://REDACTED:REDACTED@hooks.example.com/in?token=REDACTED&flag=");
    assert_eq!((&made["https_auth_type"], &made["https_auth_secret"]), (&json!("bearer"), &json!("REDACTED")));
    assert!(made["http_protocol_major_version"].is_null() && made.get("https_auth_header_name").is_none());
    let one = format!("{streams}/{}", made["id"].as_str().unwrap());

    // Each refusal names its reason, and changes nothing.
    let refused = [
        (json!({"https_auth_secret": "REDACTED"}), "masked value"),
        (json!({"https_endpoint": made["https_endpoint"]}), "masked value"),
        (json!({"https_endpoint": "https://hooks.example.com/new"}), "needs https_auth_secret in the same update"),
        (json!({"https_auth_type": "api_key", "https_auth_header_name": "X-Key"}), "https_auth_secret is required"),
        (json!({"https_auth_type": "api_key", "https_auth_secret": "k"}), "https_auth_header_name is required"),
        (json!({"https_auth_header_name": "X-Key"}), "applies to https_auth_type api_key only"),
        (
            json!({"https_auth_type": "api_key", "https_auth_header_name": "TE", "https_auth_secret": "k"}),
            "a header Ory sets itself",
        ),
        (json!({"https_auth_secret": "x".repeat(4097)}), "1 to 4096 bytes"),
        (json!({"https_auth_type": "basic"}), "one of none, api_key, bearer"),
        (
            json!({"type": "sns", "topic_arn": "arn:aws:sns:us-east-1:123456789012:t", "role_arn": "arn:aws:iam::123456789012:role/r", "https_auth_type": "bearer"}),
            "applies to type https only",
        ),
    ];
    for (body, reason) in refused {
        let (status, answer) = send(Method::PUT, &one, body.clone());
        assert_eq!(status, 400, "{body}: {answer}");
        assert!(answer["error"]["reason"].as_str().unwrap_or_default().contains(reason), "{body}: {answer}");
    }
    let (_, listed) = emulator.call(Method::GET, &streams);
    assert_eq!(listed["event_streams"][0], made, "nothing changed");

    // What is allowed: a new endpoint with its secret; a new scheme with its
    // own; `none` drops the header and the secret; a status alone keeps all.
    let (status, moved) = send(
        Method::PUT,
        &one,
        json!({"https_endpoint": "https://hooks.example.com/new", "https_auth_secret": "s3cret-2"}),
    );
    assert_eq!((status, &moved["https_endpoint"]), (200, &json!("https://hooks.example.com/new")), "{moved}");
    let (status, keyed) = send(
        Method::PUT,
        &one,
        json!({"https_auth_type": "api_key", "https_auth_header_name": "X-Ory-Key", "https_auth_secret": "k3y"}),
    );
    assert_eq!((status, &keyed["https_auth_header_name"]), (200, &json!("X-Ory-Key")), "{keyed}");
    let (status, paused) = send(Method::PUT, &one, json!({"status": "paused"}));
    assert_eq!((status, &paused["https_auth_secret"]), (200, &json!("REDACTED")), "{paused}");
    let (status, open) = send(Method::PUT, &one, json!({"https_auth_type": "none"}));
    assert_eq!((status, &open["https_auth_type"]), (200, &json!("none")), "{open}");
    assert!(open.get("https_auth_secret").is_none() && open.get("https_auth_header_name").is_none(), "{open}");
}

#[test]
fn identity_schemas_have_unique_ids_json_content_and_a_default_among_them() {
    let emulator = Emulator::start();
    let (_, project) = create(&emulator, json!({"name": "schemas", "environment": "dev"}));
    let path = format!("/projects/{}", project["id"].as_str().unwrap());
    let schemas = "/services/identity/config/identity/schemas";
    let refused = [
        (
            json!([{"op": "add", "path": format!("{schemas}/-"), "value": {"id": "preset://email", "url": "base64://e30="}}]),
            "/services/identity/config/identity/schemas/1/id: the identity schema id \"preset://email\" is used twice",
        ),
        (
            json!([{"op": "add", "path": format!("{schemas}/-"), "value": {"id": "x", "url": "base64://bm90IGpzb24="}}]),
            "/services/identity/config/identity/schemas/1/url: the identity schema is not a JSON object",
        ),
        (
            json!([{"op": "replace", "path": "/services/identity/config/identity/default_schema_id", "value": "nope"}]),
            "/services/identity/config/identity/default_schema_id: the default identity schema \"nope\" is not one of identity.schemas",
        ),
    ];
    for (ops, reason) in refused {
        let (status, body) = send_patch(&emulator, &path, ops.clone());
        assert_eq!(status, 400, "{ops}: {body}");
        assert_eq!(body["error"]["reason"], format!("Unable to validate config: {reason}"), "{ops}");
    }
    let fine =
        json!([{"op": "add", "path": format!("{schemas}/-"), "value": {"id": "customer", "url": "base64://e30="}}]);
    assert_eq!(send_patch(&emulator, &path, fine).0, 200);
}

#[test]
fn social_sign_in_providers_need_what_kratos_requires() {
    let emulator = Emulator::start();
    let (_, project) = create(&emulator, json!({"name": "oidc", "environment": "dev"}));
    let path = format!("/projects/{}", project["id"].as_str().unwrap());
    let providers = "/services/identity/config/selfservice/methods/oidc/config/providers";
    let google = json!({"id": "google", "provider": "google", "client_id": "c", "mapper_url": "base64://e30="});
    let add = |value: serde_json::Value| json!([{"op": "add", "path": providers, "value": value}]);
    let refused = [
        (json!([{"id": "g", "provider": "google", "client_id": "c"}]), "/0: missing properties: \"mapper_url\""),
        (json!([google, google]), "/1/id: the provider id \"google\" is used twice"),
        (
            json!([{"id": "sso", "provider": "generic", "client_id": "c", "mapper_url": "base64://e30="}]),
            "/0: a generic provider needs issuer_url",
        ),
    ];
    for (value, reason) in refused {
        let (status, body) = send_patch(&emulator, &path, add(value.clone()));
        assert_eq!(status, 400, "{value}: {body}");
        assert_eq!(body["error"]["reason"], format!("Unable to validate config: {providers}{reason}"), "{value}");
    }
    assert_eq!(send_patch(&emulator, &path, add(json!([google]))).0, 200);
}

/// Each project's own API (identities, OAuth2 clients) opens to a live key
/// of that project only, and keeps secrets as Ory does: a client secret is
/// shown once, a password never.
#[test]
fn a_project_s_api_serves_its_own_key_only_and_shows_secrets_once() {
    let emulator = Emulator::start();
    let (a, b) = (emulator.new_project("data a"), emulator.new_project("data b"));
    let slug = |id: &str| emulator.project(id)["slug"].as_str().unwrap().to_string();
    let (slug_a, slug_b) = (slug(&a), slug(&b));
    let (key_a, key_b) = (emulator.project_key(&a), emulator.project_key(&b));
    let client = json!({"client_name": "web", "redirect_uris": ["https://app.example/cb"], "grant_types": ["authorization_code", "refresh_token"]});

    let (status, _, made) = emulator.data_call(&key_a, Method::POST, &slug_a, "/admin/clients", Some(client.clone()));
    assert_eq!(status, 201, "{made}");
    let id = made["client_id"].as_str().unwrap().to_string();
    assert!(made["client_secret"].as_str().is_some_and(|s| s.len() >= 16), "the secret is shown once: {made}");
    assert_eq!(made["token_endpoint_auth_method"], "client_secret_basic");
    let (status, _, read) = emulator.data_call(&key_a, Method::GET, &slug_a, &format!("/admin/clients/{id}"), None);
    assert_eq!((status, read.get("client_secret")), (200, None), "{read}");

    // Another project's key, a workspace key, none, and the right key on the wrong project.
    for (key, slug) in
        [(key_b.as_str(), &slug_a), (emulator.key.as_str(), &slug_a), ("", &slug_a), (key_a.as_str(), &slug_b)]
    {
        let (status, _, body) = emulator.data_call(key, Method::GET, slug, &format!("/admin/clients/{id}"), None);
        assert!(status == 401 || status == 404, "{status} {body}");
        let (status, _, _) = emulator.data_call(key, Method::GET, slug, "/admin/identities", None);
        assert!(status == 401 || status == 404, "{status}");
    }
    let (status, _, listed) = emulator.data_call(&key_b, Method::GET, &slug_b, "/admin/clients", None);
    assert_eq!((status, listed), (200, json!([])), "B sees none of A's clients");

    // Hydra's refusals: a redirect URI with a fragment, a secret too short.
    // (Hydra v2.3.0 takes any grant type: `scripts/differential.py` saw it.)
    let bad = json!({"redirect_uris": ["https://app.example/cb#x"]});
    let (status, _, body) = emulator.data_call(&key_a, Method::POST, &slug_a, "/admin/clients", Some(bad));
    assert_eq!((status, body["error"].as_str()), (400, Some("invalid_redirect_uri")), "{body}");
    let bad = json!({"client_secret": "abc"});
    let (status, _, body) = emulator.data_call(&key_a, Method::POST, &slug_a, "/admin/clients", Some(bad));
    assert_eq!((status, body["error"].as_str()), (400, Some("invalid_client_metadata")), "{body}");
    assert!(body.get("status_code").is_none(), "Hydra v2.3.0 sends no status_code: {body}");

    // Pages: three clients, two a page, the next one named by Link.
    for n in 0..2 {
        let body = json!({"client_name": format!("c{n}")});
        assert_eq!(emulator.data_call(&key_a, Method::POST, &slug_a, "/admin/clients", Some(body)).0, 201);
    }
    let (status, link, first) = emulator.data_call(&key_a, Method::GET, &slug_a, "/admin/clients?page_size=2", None);
    assert_eq!((status, first.as_array().unwrap().len()), (200, 2));
    let next = link.split(',').find(|l| l.contains("rel=\"next\"")).expect(&link);
    let next = next.trim().trim_start_matches('<').split('>').next().unwrap();
    let path = next.strip_prefix(&format!("/project-api/{slug_a}")).unwrap();
    let (_, link, second) = emulator.data_call(&key_a, Method::GET, &slug_a, path, None);
    assert_eq!(second.as_array().unwrap().len(), 1);
    assert!(!link.contains("rel=\"next\""), "the last page names no next one: {link}");

    // Identities: traits checked against the project's schema, the password kept hashed.
    emulator.patch_project(
        &a,
        json!([{"op": "add", "path": "/services/identity/config/identity/schemas/-", "value": {"id": "email", "url": "preset://email"}}]),
    );
    let person = json!({"schema_id": "email", "traits": {"email": "Ada@example.com"},
        "credentials": {"password": {"config": {"password": "correct horse battery"}}}});
    let (status, _, made) =
        emulator.data_call(&key_a, Method::POST, &slug_a, "/admin/identities", Some(person.clone()));
    assert_eq!(status, 201, "{made}");
    assert!(!made.to_string().contains("correct horse"), "{made}");
    assert_eq!(made["verifiable_addresses"][0]["value"], "ada@example.com");
    assert_eq!(made["state"], "active");
    let (status, _, _) = emulator.data_call(&key_a, Method::POST, &slug_a, "/admin/identities", Some(person));
    assert_eq!(status, 409, "one email, one identity");
    let bad = json!({"schema_id": "email", "traits": {"email": 7}});
    let (status, _, body) = emulator.data_call(&key_a, Method::POST, &slug_a, "/admin/identities", Some(bad));
    assert_eq!(status, 400, "{body}");
    assert!(body["error"]["reason"].as_str().unwrap().contains("/traits/email"), "{body}");
    let bad = json!({"schema_id": "nope", "traits": {}});
    assert_eq!(emulator.data_call(&key_a, Method::POST, &slug_a, "/admin/identities", Some(bad)).0, 400);

    let objects: serde_json::Value =
        reqwest::blocking::get(format!("{}/__emulator/objects", emulator.url)).unwrap().json().unwrap();
    assert_eq!(
        (objects["oauth2_clients"].as_array().unwrap().len(), objects["identities"].as_array().unwrap().len()),
        (3, 1)
    );
    let (status, _, _) = emulator.data_call(&key_a, Method::DELETE, &slug_a, &format!("/admin/clients/{id}"), None);
    assert_eq!(status, 204);
    let (status, _, body) = emulator.data_call(&key_a, Method::GET, &slug_a, &format!("/admin/clients/{id}"), None);
    assert_eq!(status, 404, "{body}");
}

/// The project API client against the emulator: a client made, read,
/// changed and listed across pages, its secret only in the create's answer.
#[test]
fn the_project_api_client_drives_oauth2_clients_across_pages() {
    use terraform_provider_ory::http::Settings;
    use terraform_provider_ory::project_api::{OAuth2ClientBody, ProjectApi};
    let emulator = Emulator::start();
    let project = emulator.new_project("client");
    let slug = emulator.project(&project)["slug"].as_str().unwrap().to_string();
    let key = emulator.project_key(&project);
    let template = format!("{}/project-api/{{slug}}", emulator.url);
    let api = ProjectApi::new(&template, &slug, &key, &Settings::default()).unwrap();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let clients = api.oauth2_clients();
        let body = OAuth2ClientBody {
            client_name: Some("web".into()),
            redirect_uris: Some(vec!["https://app.example/cb".into()]),
            ..OAuth2ClientBody::default()
        };
        let made = clients.create(&body).await.unwrap();
        assert!(made.body.client_secret.is_some(), "the create's answer holds the secret");
        assert_eq!(made.body.scope.as_deref(), Some("offline_access offline openid"), "Hydra's default");
        let read = clients.get(&made.client_id).await.unwrap();
        assert_eq!(read.body.client_secret, None);
        let mut changed = read.as_body();
        changed.client_name = Some("web 2".into());
        let set = clients.set(&made.client_id, &changed).await.unwrap();
        assert_eq!(set.body.client_name.as_deref(), Some("web 2"));
        assert_eq!(set.body.redirect_uris, read.body.redirect_uris, "a set keeps what it sends back");
        for n in 0..600 {
            let body = OAuth2ClientBody { client_name: Some(format!("c{n}")), ..OAuth2ClientBody::default() };
            clients.create(&body).await.unwrap();
        }
        let all = clients.list().await.unwrap();
        assert_eq!(all.len(), 601, "two pages of 500");
        clients.delete(&made.client_id).await.unwrap();
        clients.delete(&made.client_id).await.unwrap();
        let gone = clients.get(&made.client_id).await.unwrap_err();
        assert!(gone.is_not_found(), "{gone}");
        let other = ProjectApi::new(&template, &slug, "ory_pat_wrong", &Settings::default()).unwrap();
        let refused = other.oauth2_clients().list().await.unwrap_err();
        assert!(refused.to_string().contains("401"), "{refused}");
        assert!(ProjectApi::new(&template, "Bad/Slug", &key, &Settings::default()).is_err());
    });
    assert_eq!(emulator.count("listOAuth2Clients"), 3, "one call a page, and the refused one");
}

/// The listings' filters and page sizes as Kratos and Hydra read them:
/// a program looking a user up by email gets that user, not every user.
#[test]
fn listings_filter_as_kratos_and_hydra_do_and_cap_the_page_size() {
    let emulator = Emulator::start();
    let project = emulator.new_project("listings");
    let slug = emulator.project(&project)["slug"].as_str().unwrap().to_string();
    let key = emulator.project_key(&project);
    let call = |method: Method, path: &str, body: Option<serde_json::Value>| {
        let (status, _, body) = emulator.data_call(&key, method, &slug, path, body);
        (status, body)
    };
    let mut ids = Vec::new();
    for who in ["ann", "bob", "cid"] {
        let body = json!({"schema_id": "preset://email", "traits": {"email": format!("{who}@example.com")}});
        let (status, made) = call(Method::POST, "/admin/identities", Some(body));
        assert_eq!(status, 201, "{made}");
        ids.push(made["id"].as_str().unwrap().to_string());
    }
    let emails = |path: &str| -> Vec<String> {
        let (status, listed) = call(Method::GET, path, None);
        assert_eq!(status, 200, "{path}: {listed}");
        let mut found: Vec<String> =
            listed.as_array().unwrap().iter().map(|i| i["traits"]["email"].as_str().unwrap().to_string()).collect();
        found.sort();
        found
    };
    assert_eq!(emails("/admin/identities?credentials_identifier=bob@example.com"), ["bob@example.com"]);
    assert_eq!(
        emails(&format!("/admin/identities?ids={}&ids={}", ids[0], ids[2])),
        ["ann@example.com", "cid@example.com"]
    );
    assert_eq!(emails("/admin/identities?page_size=1000").len(), 3, "1000 is capped, not refused");
    assert_eq!(emails("/admin/identities?page_size=2").len(), 2);
    for (path, reason) in [
        ("/admin/identities?ids=nope", "Invalid UUID value `nope` for parameter `ids`."),
        (
            &format!("/admin/identities?ids={}&credentials_identifier=bob@example.com", ids[0]) as &str,
            "You cannot combine multiple filters in this API",
        ),
    ] {
        let (status, refused) = call(Method::GET, path, None);
        assert_eq!((status, refused["error"]["reason"].as_str()), (400, Some(reason)), "{path}");
    }
    let too_many: String = (0..501).map(|_| format!("ids={}&", ids[0])).collect();
    assert_eq!(call(Method::GET, &format!("/admin/identities?{too_many}"), None).0, 400);

    for (name, owner) in [("web", "team-a"), ("web", "team-b"), ("cli", "team-a")] {
        let (status, made) = call(Method::POST, "/admin/clients", Some(json!({"client_name": name, "owner": owner})));
        assert_eq!(status, 201, "{made}");
    }
    let clients = |path: &str| -> Vec<(String, String)> {
        let (status, listed) = call(Method::GET, path, None);
        assert_eq!(status, 200, "{path}: {listed}");
        let mut found: Vec<(String, String)> = listed
            .as_array()
            .unwrap()
            .iter()
            .map(|c| (c["client_name"].as_str().unwrap().into(), c["owner"].as_str().unwrap().into()))
            .collect();
        found.sort();
        found
    };
    let pair = |name: &str, owner: &str| (name.to_string(), owner.to_string());
    assert_eq!(clients("/admin/clients?client_name=web"), [pair("web", "team-a"), pair("web", "team-b")]);
    assert_eq!(clients("/admin/clients?owner=team-a"), [pair("cli", "team-a"), pair("web", "team-a")]);
    assert_eq!(clients("/admin/clients?client_name=web&owner=team-b"), [pair("web", "team-b")]);
    assert_eq!(clients("/admin/clients?page_size=1000").len(), 3, "1000 is capped, not refused");
    let (status, _) = call(Method::GET, "/admin/trust/grants/jwt-bearer/issuers?page_size=1000", None);
    assert_eq!(status, 200);
    assert_eq!(call(Method::GET, "/admin/clients?page_size=x", None).0, 400);
}

/// Ory Network's five identity schema presets, each taking its traits and
/// refusing others; the SMS preset's phone number is verified by SMS.
#[test]
fn every_identity_schema_preset_ory_offers_is_served() {
    let emulator = Emulator::start();
    let project = emulator.new_project("presets");
    let slug = emulator.project(&project)["slug"].as_str().unwrap().to_string();
    let key = emulator.project_key(&project);
    let create = |schema: &str, traits: serde_json::Value| {
        let body = json!({"schema_id": schema, "traits": traits});
        let (status, _, made) = emulator.data_call(&key, Method::POST, &slug, "/admin/identities", Some(body));
        (status, made)
    };
    for (schema, traits) in [
        ("preset://email", json!({"email": "e@example.com"})),
        ("preset://username", json!({"username": "u"})),
        ("preset://sms", json!({"phone_number": "+15550100"})),
        ("preset://basic", json!({"email": "b@example.com", "name": {"first": "B", "last": "C"}, "newsletter": true})),
        ("preset://blank", json!({})),
    ] {
        let (status, made) = create(schema, traits.clone());
        assert_eq!(status, 201, "{schema}: {made}");
        assert_eq!(made["traits"], traits, "{schema}");
        let (status, refused) = create(schema, json!({"nickname": "x"}));
        assert_eq!(status, 400, "{schema} takes no other trait: {refused}");
    }
    let (_, sms) = create("preset://sms", json!({"phone_number": "+15550199"}));
    assert_eq!(sms["verifiable_addresses"][0]["via"], "sms", "{sms}");
    assert_eq!(sms["recovery_addresses"], json!([]), "no recovery by SMS: {sms}");
    assert_eq!(create("preset://nope", json!({})).0, 400);
}
