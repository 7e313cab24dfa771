//! The emulator's `--state` under kills: deep, wide and many writes, a
//! SIGKILL at random points, and every answered write found again; what
//! could not be read back is refused up front; a journal that cannot be
//! read stops the start and is left as it was; the files are never reached
//! through a link and are the owner's alone.

use std::collections::BTreeMap;
use std::process::{Child, Command};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{json, Value};

use crate::support::{emulator_bin, spawn_first_line};

const KEY: &str = "ory_wak_statetest";

fn start(state: &std::path::Path) -> (Child, String) {
    let (child, line) = spawn_first_line(Command::new(emulator_bin()).args([
        "--listen",
        "127.0.0.1:0",
        "--state",
        state.to_str().unwrap(),
        "--workspace-api-key",
        KEY,
    ]));
    let startup: Value = serde_json::from_str(&line).unwrap_or_else(|e| panic!("no startup line ({e}): {line:?}"));
    (child.into_inner(), startup["url"].as_str().unwrap().to_string())
}

/// A value nested `levels` deep: `{"d":{"d":...1}}`.
fn nested(levels: usize) -> Value {
    (0..levels).fold(json!(1), |inner, _| json!({ "d": inner }))
}

fn depth(v: &Value) -> usize {
    match v {
        Value::Object(m) => 1 + m.values().map(depth).max().unwrap_or(0),
        Value::Array(a) => 1 + a.iter().map(depth).max().unwrap_or(0),
        _ => 0,
    }
}

/// What an answered write left: a project, and what one of its pointers holds.
#[derive(Clone, Debug)]
enum Answered {
    Project(String),
    Key { project: String, key: String },
    Deep { project: String, levels: usize },
    Wide { project: String, keys: usize },
}

/// One writer's loop until the emulator dies: each kind of write in turn.
fn write_until_killed(url: String, writer: usize, answered: Arc<Mutex<Vec<Answered>>>) {
    let client = reqwest::blocking::Client::builder().timeout(Duration::from_secs(20)).build().unwrap();
    let send = |method: reqwest::Method, path: &str, body: Value| -> Option<(u16, Value)> {
        let resp = client.request(method, format!("{url}{path}")).bearer_auth(KEY).json(&body).send().ok()?;
        let status = resp.status().as_u16();
        Some((status, resp.json().ok()?))
    };
    for n in 0.. {
        let Some((201, project)) =
            send(reqwest::Method::POST, "/projects", json!({"name": format!("w{writer}-{n}"), "environment": "dev"}))
        else {
            return;
        };
        let id = project["id"].as_str().unwrap().to_string();
        answered.lock().unwrap().push(Answered::Project(id.clone()));
        let path = format!("/projects/{id}");
        let outcome = match n % 3 {
            0 => {
                // Deep: 40 levels under /services/identity/config/deep,
                // 43 in the document, within the bound.
                let ops = json!([{"op": "add", "path": "/services/identity/config/deep", "value": nested(40)}]);
                send(reqwest::Method::PATCH, &path, ops).map(|(s, _)| (s, Answered::Deep { project: id, levels: 40 }))
            }
            1 => {
                let wide: serde_json::Map<String, Value> =
                    (0..2000).map(|k| (format!("k{k}"), json!(format!("value {k} of writer {writer}")))).collect();
                let ops = json!([{"op": "add", "path": "/services/identity/config/wide", "value": wide}]);
                send(reqwest::Method::PATCH, &path, ops).map(|(s, _)| (s, Answered::Wide { project: id, keys: 2000 }))
            }
            _ => send(reqwest::Method::POST, &format!("{path}/tokens"), json!({"name": format!("k{n}")}))
                .map(|(s, key)| (s, Answered::Key { project: id, key: key["id"].as_str().unwrap_or_default().into() })),
        };
        match outcome {
            Some((200 | 201, write)) => answered.lock().unwrap().push(write),
            Some((status, _)) => panic!("writer {writer}: a write within every bound got {status}"),
            None => return,
        }
    }
}

/// Every answered write, found in the restarted emulator.
fn assert_all_found(url: &str, answered: &[Answered]) {
    let client = reqwest::blocking::Client::new();
    let get = |path: String| -> Value {
        let resp = client.get(format!("{url}{path}")).bearer_auth(KEY).send().unwrap();
        assert_eq!(resp.status().as_u16(), 200, "GET {path}");
        resp.json().unwrap()
    };
    let mut keys: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for write in answered {
        match write {
            Answered::Project(id) => assert_eq!(get(format!("/projects/{id}"))["state"], "running", "project {id}"),
            Answered::Deep { project, levels } => {
                let doc = get(format!("/projects/{project}"));
                assert_eq!(depth(&doc["services"]["identity"]["config"]["deep"]), *levels, "deep write to {project}");
            }
            Answered::Wide { project, keys } => {
                let doc = get(format!("/projects/{project}"));
                let wide = doc["services"]["identity"]["config"]["wide"].as_object().map_or(0, |m| m.len());
                assert_eq!(wide, *keys, "wide write to {project}");
            }
            Answered::Key { project, key } => {
                let listed = keys.entry(project.clone()).or_insert_with(|| {
                    let list = get(format!("/projects/{project}/tokens"));
                    list.as_array().unwrap().iter().map(|k| k["id"].as_str().unwrap().to_string()).collect()
                });
                assert!(listed.contains(key), "key {key} of project {project} was answered, then lost");
            }
        }
    }
}

#[test]
fn every_answered_write_survives_sigkill_at_random_points() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("emulator.json");
    let mut answered: Vec<Answered> = Vec::new();
    for round in 0..4 {
        let (mut emulator, url) = start(&state);
        // What earlier rounds were answered is all there before more is written.
        assert_all_found(&url, &answered);
        let this_round = Arc::new(Mutex::new(Vec::new()));
        let writers: Vec<_> = (0..3)
            .map(|w| {
                let (url, this_round) = (url.clone(), this_round.clone());
                std::thread::spawn(move || write_until_killed(url, w, this_round))
            })
            .collect();
        std::thread::sleep(Duration::from_millis(rand::random_range(300..1500)));
        emulator.kill().unwrap(); // SIGKILL, wherever the writes are
        emulator.wait().unwrap();
        for w in writers {
            w.join().unwrap();
        }
        let written = this_round.lock().unwrap().clone();
        assert!(!written.is_empty(), "round {round} wrote nothing before the kill");
        answered.extend(written);
    }
    let (mut emulator, url) = start(&state);
    assert_all_found(&url, &answered);
    emulator.kill().unwrap();
    emulator.wait().unwrap();
    let kinds = |f: fn(&Answered) -> bool| answered.iter().filter(|a| f(a)).count();
    println!(
        "answered and found after 4 kills: {} projects, {} deep, {} wide, {} keys",
        kinds(|a| matches!(a, Answered::Project(_))),
        kinds(|a| matches!(a, Answered::Deep { .. })),
        kinds(|a| matches!(a, Answered::Wide { .. })),
        kinds(|a| matches!(a, Answered::Key { .. })),
    );
}

#[test]
fn what_could_not_be_read_back_is_refused_up_front_and_later_writes_are_kept() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("emulator.json");
    let (mut emulator, url) = start(&state);
    let client = reqwest::blocking::Client::new();
    let send = |method: reqwest::Method, path: &str, body: Value| {
        let resp = client.request(method, format!("{url}{path}")).bearer_auth(KEY).json(&body).send().unwrap();
        (resp.status().as_u16(), resp.json::<Value>().unwrap())
    };
    let (_, project) = send(reqwest::Method::POST, "/projects", json!({"name": "deep", "environment": "dev"}));
    let path = format!("/projects/{}", project["id"].as_str().unwrap());
    // Too deep in the body itself, and too deep only once placed under its
    // path: both refused, nothing stored.
    for (pointer, levels) in [("/services/identity/config/x", 100), ("/services/identity/config/x", 47)] {
        let (status, body) =
            send(reqwest::Method::PATCH, &path, json!([{"op": "add", "path": pointer, "value": nested(levels)}]));
        assert_eq!(status, 400, "{levels} levels: {body}");
        assert!(body.to_string().contains("levels deep"), "{body}");
    }
    let (status, _) = send(reqwest::Method::POST, "/projects", json!({"name": nested(60), "environment": "dev"}));
    assert_eq!(status, 400);
    // Three creates answered after the refusals.
    let later: Vec<String> = (0..3)
        .map(|n| {
            let (status, p) =
                send(reqwest::Method::POST, "/projects", json!({"name": format!("later{n}"), "environment": "dev"}));
            assert_eq!(status, 201);
            p["id"].as_str().unwrap().to_string()
        })
        .collect();
    emulator.kill().unwrap();
    emulator.wait().unwrap();
    let (mut emulator, url) = start(&state);
    let answered: Vec<Answered> = later.into_iter().map(Answered::Project).collect();
    assert_all_found(&url, &answered);
    emulator.kill().unwrap();
    emulator.wait().unwrap();
}

#[test]
fn a_journal_that_cannot_be_read_stops_the_start_and_is_left_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("emulator.json");
    let journal = dir.path().join("emulator.json.log");
    let (mut emulator, url) = start(&state);
    let client = reqwest::blocking::Client::new();
    for n in 0..3 {
        let resp = client
            .post(format!("{url}/projects"))
            .bearer_auth(KEY)
            .json(&json!({"name": format!("p{n}"), "environment": "dev"}))
            .send()
            .unwrap();
        assert_eq!(resp.status().as_u16(), 201);
    }
    emulator.kill().unwrap();
    emulator.wait().unwrap();
    let lines: Vec<String> = std::fs::read_to_string(&journal).unwrap().lines().map(str::to_string).collect();
    assert!(lines.len() >= 3, "one line per write: {}", lines.len());
    // A damaged line with answered lines after it, in two variants: text
    // that is not JSON, and JSON nested past what a reader takes.
    for damage in ["{\"head\": not json".to_string(), format!("{}{}", "[".repeat(200), "]".repeat(200))] {
        let mut damaged = lines.clone();
        damaged.insert(1, damage);
        let text = damaged.join("\n") + "\n";
        std::fs::write(&journal, &text).unwrap();
        let out = Command::new(emulator_bin())
            .args(["--listen", "127.0.0.1:0", "--state", state.to_str().unwrap()])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "the emulator started on a journal it cannot read");
        assert!(stderr.contains("line 2 of") && stderr.contains("cannot be read"), "{stderr}");
        assert_eq!(std::fs::read_to_string(&journal).unwrap(), text, "the journal was changed");
    }
}

#[test]
fn state_files_are_never_reached_through_a_link_and_are_the_owner_s_alone() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let outside = dir.path().join("outside.txt");
    std::fs::write(&outside, "someone else's file\n").unwrap();
    for linked in ["emulator.json", "emulator.json.log", "emulator.json.tmp"] {
        let state = dir.path().join(format!("{linked}.d")).join("emulator.json");
        std::fs::create_dir(state.parent().unwrap()).unwrap();
        std::os::unix::fs::symlink(&outside, state.parent().unwrap().join(linked)).unwrap();
        let out = Command::new(emulator_bin())
            .args(["--listen", "127.0.0.1:0", "--state", state.to_str().unwrap()])
            .output()
            .unwrap();
        assert!(!out.status.success(), "{linked} as a link: started");
        assert!(String::from_utf8_lossy(&out.stderr).contains("symbolic link"), "{linked}: {out:?}");
        assert_eq!(std::fs::read_to_string(&outside).unwrap(), "someone else's file\n", "{linked}: written through");
    }
    // Files that existed with wider rights are narrowed; a state named
    // *.tmp keeps its own name apart from its temporary file.
    let state = dir.path().join("x.tmp");
    let journal = dir.path().join("x.tmp.log");
    std::fs::write(&journal, "").unwrap();
    std::fs::set_permissions(&journal, std::fs::Permissions::from_mode(0o644)).unwrap();
    let (mut emulator, url) = start(&state);
    let resp = reqwest::blocking::Client::new()
        .post(format!("{url}/projects"))
        .bearer_auth(KEY)
        .json(&json!({"name": "kept", "environment": "dev"}))
        .send()
        .unwrap();
    let id = resp.json::<Value>().unwrap()["id"].as_str().unwrap().to_string();
    emulator.kill().unwrap();
    emulator.wait().unwrap();
    for file in [&state, &journal] {
        let mode = std::fs::metadata(file).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{}", file.display());
    }
    let (mut emulator, url) = start(&state);
    assert_all_found(&url, &[Answered::Project(id)]);
    emulator.kill().unwrap();
    emulator.wait().unwrap();
}

#[test]
fn the_store_is_bounded_per_document_and_in_all() {
    let dir = tempfile::tempdir().unwrap();
    let (mut emulator, url) = start(&dir.path().join("emulator.json"));
    let client = reqwest::blocking::Client::new();
    let send = |method: reqwest::Method, path: &str, body: Value| {
        let resp = client.request(method, format!("{url}{path}")).bearer_auth(KEY).json(&body).send().unwrap();
        (resp.status().as_u16(), resp.json::<Value>().unwrap_or_default())
    };
    let blob = |kb: usize| json!("x".repeat(kb * 1024));
    let add = |at: &str, kb: usize| json!([{"op": "add", "path": format!("/services/identity/config/{at}"), "value": blob(kb)}]);
    // One document: 400 KB fits, 200 KB more does not (413), in either of
    // the two ways to write it.
    let (_, p) = send(reqwest::Method::POST, "/projects", json!({"name": "big", "environment": "dev"}));
    let path = format!("/projects/{}", p["id"].as_str().unwrap());
    assert_eq!(send(reqwest::Method::PATCH, &path, add("a", 400)).0, 200);
    let (status, body) = send(reqwest::Method::PATCH, &path, add("b", 200));
    assert_eq!(status, 413, "{body}");
    // In all: documents of 450 KB until the bound refuses more (507).
    let mut refused_at = None;
    for n in 0..200 {
        let (status, p) =
            send(reqwest::Method::POST, "/projects", json!({"name": format!("fill{n}"), "environment": "dev"}));
        if status == 507 {
            refused_at = Some(n);
            assert!(p.to_string().contains("reset"), "{p}");
            break;
        }
        let path = format!("/projects/{}", p["id"].as_str().unwrap());
        let (status, _) = send(reqwest::Method::PATCH, &path, add("fill", 450));
        if status == 507 {
            refused_at = Some(n);
            break;
        }
        assert_eq!(status, 200);
    }
    let refused_at = refused_at.expect("200 documents of 450 KB were all taken");
    assert!((60..=80).contains(&refused_at), "refused after {refused_at} documents of 450 KB");
    let rss_kb: u64 = std::fs::read_to_string(format!("/proc/{}/status", emulator.id()))
        .unwrap()
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap();
    println!("store bound reached after {refused_at} documents of 450 KB; emulator RSS {} MB", rss_kb / 1024);
    assert!(rss_kb < 512 * 1024, "the emulator grew to {} MB", rss_kb / 1024);
    // Reads still work; a reset empties it and writes are taken again.
    assert_eq!(send(reqwest::Method::GET, "/projects", Value::Null).0, 200);
    let reset = client
        .post(format!("{url}/__emulator/reset"))
        .header("content-type", "application/json")
        .body("{}")
        .send()
        .unwrap();
    assert_eq!(reset.status().as_u16(), 200);
    assert_eq!(send(reqwest::Method::POST, "/projects", json!({"name": "after", "environment": "dev"})).0, 201);
    emulator.kill().unwrap();
    emulator.wait().unwrap();
}

fn rss_mb(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap()
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next()?.parse::<u64>().ok())
        .unwrap()
        / 1024
}

/// Issue 20, finding 14: stalled clients cannot take the emulator's memory:
/// without a key their bodies are never read; with one, what all bodies
/// hold at once is bounded, and the connections open at once too.
#[test]
fn stalled_connections_hold_a_bounded_share_of_memory() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let (mut emulator, url) = start(&dir.path().join("emulator.json"));
    let address = url.trim_start_matches("http://").to_string();
    let before = rss_mb(emulator.id());
    for (who, key) in [("no key", "ory_wak_nobody"), ("the key", KEY)] {
        let mut stalled = Vec::new();
        let body = vec![b'x'; 1900 * 1024];
        for _ in 0..300 {
            let mut stream = std::net::TcpStream::connect(&address).unwrap();
            stream.set_write_timeout(Some(Duration::from_secs(5))).unwrap();
            let head = format!(
                "POST /projects HTTP/1.1\r\nhost: {address}\r\nauthorization: Bearer {key}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
                2 * 1024 * 1024 - 1
            );
            // A refused one is closed on us: its writes fail, as they should.
            let _ = stream.write_all(head.as_bytes()).and_then(|()| stream.write_all(&body));
            stalled.push(stream);
        }
        let rss = rss_mb(emulator.id());
        println!("300 connections stalled mid-body with {who}: emulator RSS {before} MB -> {rss} MB");
        assert!(rss < before + 200, "{who}: {rss} MB");
        drop(stalled);
    }
    // Still serving.
    let resp = reqwest::blocking::Client::new().get(format!("{url}/projects")).bearer_auth(KEY).send().unwrap();
    assert_eq!(resp.status().as_u16(), 200);
    emulator.kill().unwrap();
    emulator.wait().unwrap();
}

/// Every operation of both APIs that takes a body, from the committed
/// spec parts: `(method, path)` with `{...}` parameters left in.
fn operations_with_bodies() -> Vec<(reqwest::Method, String, bool)> {
    let mut found = Vec::new();
    for (file, project_api) in [
        ("tests/spec/console-openapi-v1.22.65.json", false),
        ("tests/spec/console-additions-v1.22.87.json", false),
        ("tests/spec/project-api-openapi-v1.22.65.json", true),
    ] {
        let spec: Value = serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
        for (path, item) in spec["paths"].as_object().unwrap() {
            for method in ["post", "put", "patch"] {
                if item.get(method).is_some() {
                    found.push((method.to_uppercase().parse().unwrap(), path.clone(), project_api));
                }
            }
        }
    }
    found
}

/// A running emulator on a state file, with a project, its slug and a key.
struct Stateful {
    child: Child,
    url: String,
    project: String,
    slug: String,
    project_key: String,
}

impl Drop for Stateful {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Stateful {
    fn restart(&mut self, state: &std::path::Path, signal: &str) {
        let pid = self.child.id().to_string();
        assert!(Command::new("kill").args([signal, &pid]).status().unwrap().success());
        self.child.wait().unwrap();
        let (child, url) = start(state);
        (self.child, self.url) = (child, url);
    }

    /// A JSON Patch of the project's document, through the console API.
    fn patch(&self, ops: Value) -> (u16, Value) {
        let path = format!("/projects/{}", self.project);
        self.send(reqwest::Method::PATCH, &path, false, ops.to_string().into_bytes(), "application/json")
    }

    fn objects(&self) -> Value {
        reqwest::blocking::get(format!("{}/__emulator/objects", self.url)).unwrap().json().unwrap()
    }

    /// `path` of the console API, or of the project's own API.
    fn send(&self, method: reqwest::Method, path: &str, project_api: bool, body: Vec<u8>, media: &str) -> (u16, Value) {
        let (url, key) = match project_api {
            true => (format!("{}/project-api/{}{path}", self.url, self.slug), self.project_key.as_str()),
            false => (format!("{}{path}", self.url), KEY),
        };
        let resp = reqwest::blocking::Client::new()
            .request(method, url)
            .bearer_auth(key)
            .header("content-type", media)
            .body(body)
            .send()
            .unwrap();
        let status = resp.status().as_u16();
        (status, resp.json().unwrap_or_default())
    }
}

fn stateful(state: &std::path::Path) -> Stateful {
    let (child, url) = start(state);
    let client = reqwest::blocking::Client::new();
    let project: Value = client
        .post(format!("{url}/projects"))
        .bearer_auth(KEY)
        .json(&json!({"name": "hostile", "environment": "prod"}))
        .send()
        .unwrap()
        .json()
        .unwrap();
    let id = project["id"].as_str().unwrap().to_string();
    let key: Value = client
        .post(format!("{url}/projects/{id}/tokens"))
        .bearer_auth(KEY)
        .json(&json!({"name": "data plane"}))
        .send()
        .unwrap()
        .json()
        .unwrap();
    Stateful {
        child,
        url,
        slug: project["slug"].as_str().unwrap().to_string(),
        project: id,
        project_key: key["value"].as_str().unwrap().to_string(),
    }
}

/// A body that nests `levels` deep in a field each kind of object keeps
/// as given: a project's name, an identity's and a client's metadata, a
/// key's and a trust's JWK, an organization's label.
fn deep_body(levels: usize) -> Value {
    let deep = nested(levels - 1);
    json!({
        "name": deep, "label": deep, "metadata": deep, "metadata_public": deep, "metadata_admin": deep,
        "traits": {"email": "deep@example.com"}, "schema_id": "preset://email", "client_name": "deep",
        "grant_types": ["client_credentials"], "jwk": deep, "keys": [deep], "alg": "RS256", "kid": "deep", "use": "sig",
    })
}

/// Requests no client should send, to every operation that takes a body:
/// JSON nested just past the bound and far past it, bodies too large,
/// strings no JSON parser should take and text that steers terminals, and
/// OPL nested past its bound; the emulator answers each with a 4xx, stays
/// up, and restarts on its state after SIGKILL and SIGTERM with every
/// object it answered for.
#[test]
fn hostile_bodies_on_every_route_are_refused_and_nothing_answered_is_lost() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("emulator.json");
    let mut emulator = stateful(&state);
    let unicode = json!({
        "name": "nul\u{0} esc\u{1b}[2J bidi\u{202e} sep\u{2028} 😀".repeat(200),
        "label": "x\u{0}", "client_name": "\u{202e}", "traits": {"email": "\u{0}@example.com"},
    });
    let lone_surrogate = br#"{"name": "\ud800", "client_name": "\udfff"}"#.to_vec();
    let parens = format!(
        "class User implements Namespace {{}}\nclass D implements Namespace {{\n  related: {{ v: User[] }}\n  permits = {{\n    p: (ctx: Context): boolean => {}this.related.v.includes(ctx.subject){}\n  }}\n}}\n",
        "(".repeat(100_000),
        ")".repeat(100_000)
    );
    // Each body, and whether every operation must refuse it: text with
    // control characters is JSON like any other, which an operation may
    // take (and must then keep across a restart).
    let bodies: Vec<(&str, Vec<u8>, bool)> = vec![
        ("49 levels", deep_body(49).to_string().into_bytes(), true),
        ("124 levels", deep_body(124).to_string().into_bytes(), true),
        ("200,000 levels", format!("{}{}", "[".repeat(200_000), "]".repeat(200_000)).into_bytes(), true),
        ("3 MB", json!({"name": "x".repeat(3 << 20)}).to_string().into_bytes(), true),
        ("unicode", unicode.to_string().into_bytes(), false),
        ("lone surrogates", lone_surrogate, true),
        ("OPL nested 100,000 deep", parens.clone().into_bytes(), true),
    ];
    let mut refused = 0;
    for (method, path, project_api) in operations_with_bodies() {
        let path = path
            .replace("{project_id}", &emulator.project)
            .replace("{project}", &emulator.project)
            .replace("{workspace}", "00000000-0000-4000-8000-000000000000")
            .replace("{set}", "hostile")
            .replace("{revision_id}", "00000000-0000-4000-8000-000000000001")
            .replace(['{', '}'], "");
        for (what, body, refused_everywhere) in &bodies {
            let media = if path.ends_with("/opl/validate") { "text/plain" } else { "application/json" };
            let (status, answer) = emulator.send(method.clone(), &path, project_api, body.clone(), media);
            let checked = path.ends_with("/opl/validate") && status == 200;
            let fine = (400..500).contains(&status) || checked || (!refused_everywhere && status < 300);
            assert!(
                fine,
                "{method} {path} with {what}: {status} {}",
                answer.to_string().chars().take(300).collect::<String>()
            );
            if status >= 400 {
                refused += 1;
            }
        }
    }
    // The OPL bound, where a document is saved and where it is checked.
    let opl = format!("base64://{}", base64::Engine::encode(&base64::engine::general_purpose::STANDARD, &parens));
    let (status, answer) = emulator.patch(
        json!([{"op": "replace", "path": "/services/permission/config/namespaces", "value": {"location": opl}}]),
    );
    assert_eq!(status, 400, "{answer}");
    assert!(answer.to_string().contains("nested too deeply"), "{answer}");
    // An identity schema's content counts as a body does.
    let schema = json!({"type": "object", "properties": {"traits": nested(60)}}).to_string();
    let url = format!("base64://{}", base64::Engine::encode(&base64::engine::general_purpose::STANDARD, schema));
    let (status, answer) = emulator
        .patch(json!([{"op": "add", "path": "/services/identity/config/identity/schemas/-", "value": {"id": "deep", "url": url}}]));
    assert_eq!(status, 400, "{answer}");
    assert!(answer.to_string().contains("identity schema nests"), "{answer}");
    let (status, answer) = emulator.send(
        reqwest::Method::POST,
        &format!("/projects/{}/opl/validate", emulator.project),
        false,
        parens.into_bytes(),
        "text/plain",
    );
    assert_eq!(status, 200);
    assert!(answer["errors"][0]["message"].as_str().unwrap().contains("nested too deeply"), "{answer}");
    assert!(refused > 100, "{refused}");

    let before = emulator.objects();
    for signal in ["-KILL", "-TERM"] {
        emulator.restart(&state, signal);
        assert_eq!(emulator.objects(), before, "after {signal}");
    }
}

/// Every kind of object with a part nested to the bound is taken, and
/// read back after a SIGKILL and after a SIGTERM.
#[test]
fn every_kind_of_object_at_the_depth_bound_is_read_back_after_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("emulator.json");
    let mut emulator = stateful(&state);
    let at_bound = 48;
    let body = |v: Value| v.to_string().into_bytes();
    let deep = nested(at_bound - 1);
    let made = [
        (
            "/admin/identities",
            json!({"schema_id": "preset://email", "traits": {"email": "deep@example.com"}, "metadata_public": deep, "metadata_admin": deep}),
        ),
        ("/admin/clients", json!({"client_name": "deep", "grant_types": ["client_credentials"], "metadata": deep})),
    ];
    let mut read_back = Vec::new();
    for (path, value) in made {
        let (status, answer) = emulator.send(reqwest::Method::POST, path, true, body(value), "application/json");
        assert_eq!(status, 201, "{path}: {answer}");
        let id = answer["id"].as_str().or(answer["client_id"].as_str()).unwrap().to_string();
        read_back.push(format!("{path}/{id}"));
    }
    // The project document, nested to the bound under a path of its own.
    let under = 3; // services, identity, config
    let ops = json!([{"op": "add", "path": "/services/identity/config/deep", "value": nested(at_bound - under - 1)}]);
    let (status, answer) = emulator.patch(ops);
    assert_eq!(status, 200, "{answer}");
    let get = |emulator: &Stateful, path: &str, project_api: bool| {
        let (status, answer) = emulator.send(reqwest::Method::GET, path, project_api, Vec::new(), "application/json");
        assert_eq!(status, 200, "{path}: {answer}");
        answer
    };
    let project_path = format!("/projects/{}", emulator.project);
    let before: Vec<Value> = read_back.iter().map(|p| get(&emulator, p, true)).collect();
    let doc = get(&emulator, &project_path, false);
    assert_eq!(depth(&before[0]["metadata_public"]), at_bound - 1);
    assert_eq!(depth(&before[1]["metadata"]), at_bound - 1);
    for signal in ["-KILL", "-TERM"] {
        emulator.restart(&state, signal);
        let after: Vec<Value> = read_back.iter().map(|p| get(&emulator, p, true)).collect();
        assert_eq!(after, before, "after {signal}");
        assert_eq!(get(&emulator, &project_path, false)["services"], doc["services"], "after {signal}");
    }
}
