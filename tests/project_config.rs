//! Project configuration as code: `ory_project_config` and `ory_action`
//! with the real terraform, the document engine against the emulator.

use serde_json::{json, Value};

use crate::support::{actions, assert_no_changes, skip, terraform_version, Emulator, Tf};

const C: &str = "ory_project_config.c";
const A: &str = "ory_action.a";
const SEGMENT: &str = "https://api.segment.io/v1/identify";
/// `function(ctx) { userId: ctx.identity.id }`, as the guide sends it.
const BODY: &str = "base64://ZnVuY3Rpb24oY3R4KSB7IHVzZXJJZDogY3R4LmlkZW50aXR5LmlkIH0=";
/// `BODY`'s Jsonnet source.
const SOURCE: &str = "function(ctx) { userId: ctx.identity.id }";
const LOGIN_AFTER: &str = "/services/identity/config/selfservice/flows/login/after/hooks";
const LIFESPAN: &str = "/services/identity/config/session/lifespan";

fn guide_hook(url: &str) -> Value {
    json!({"hook": "web_hook", "config": {"url": url, "method": "POST", "body": BODY}})
}

/// The guide's hook, and a session lifespan when given.
fn identity_config(lifespan: Option<&str>) -> String {
    let mut config = json!({"selfservice": {"flows": {"login": {"after": {"hooks": [guide_hook(SEGMENT)]}}}}});
    if let Some(lifespan) = lifespan {
        config["session"] = json!({"lifespan": lifespan});
    }
    config.to_string()
}

/// The project document without what changes with every write.
fn content(project: &Value) -> Value {
    let mut p = project.clone();
    p.as_object_mut().unwrap().remove("revision_id");
    p
}

fn planned_after(tf: &Tf, address: &str) -> Value {
    let plan = tf.saved_plan();
    let change = plan["resource_changes"].as_array().unwrap().iter().find(|c| c["address"] == address).unwrap();
    change["change"]["after"].clone()
}

#[test]
fn project_config_manages_only_the_keys_written() {
    let emulator = Emulator::start();
    let id = emulator.new_project("config");
    let before = emulator.project(&id);
    let tf = Tf::new(&emulator, "project_config");
    tf.init();
    let with = identity_config(Some("24h"));
    let vars = |config: &str| -> Vec<(&str, String)> {
        vec![("project_id", id.clone()), ("identity_config", config.to_string())]
    };
    let plan = |config: &str| {
        let v = vars(config);
        tf.plan(&v.iter().map(|(k, v)| (*k, v.as_str())).collect::<Vec<_>>())
    };

    // 1-2. The plan shows the guide's hook, the lifespan and CORS, nothing else.
    assert_eq!(plan(&with), actions(&[(C, &["create"])]));
    let after = planned_after(&tf, C);
    assert_eq!(
        serde_json::from_str::<Value>(after["identity_config"].as_str().unwrap()).unwrap(),
        serde_json::from_str::<Value>(&with).unwrap()
    );
    assert_eq!(after["cors_public"], json!({"enabled": true, "origins": ["https://app.example.com"]}));
    tf.apply_saved();
    let now = emulator.project(&id);
    let mut expected = content(&before);
    expected["services"]["identity"]["config"]["selfservice"]["flows"]["login"]["after"]["hooks"] =
        json!([guide_hook(SEGMENT)]);
    expected["services"]["identity"]["config"]["session"]["lifespan"] = json!("24h");
    expected["cors_public"] = json!({"enabled": true, "origins": ["https://app.example.com"]});
    assert_eq!(content(&now), expected, "only the written keys changed");
    assert_eq!(now.pointer(LOGIN_AFTER), Some(&json!([guide_hook(SEGMENT)])), "the guide's jq check");
    assert_eq!(emulator.count("patchProjectWithRevision"), 1);
    assert_eq!(tf.state_of(C)["revision_id"], now["revision_id"]);
    assert_no_changes(&plan(&with));

    // 3. Someone changes keys nobody wrote: still nothing to do.
    emulator.patch_project(
        &id,
        json!([
            {"op": "replace", "path": "/services/identity/config/session/cookie/persistent", "value": false},
            {"op": "replace", "path": "/services/oauth2/config/ttl/access_token", "value": "2h"},
        ]),
    );
    assert_no_changes(&plan(&with));

    // 4. Someone changes a managed key: the plan shows it, the apply repairs it.
    emulator.patch_project(&id, json!([{"op": "replace", "path": LIFESPAN, "value": "1h"}]));
    assert_eq!(plan(&with), actions(&[(C, &["update"])]));
    let shown = tf.saved_plan();
    let drifted = shown["resource_changes"][0]["change"]["before"]["identity_config"].as_str().unwrap().to_string();
    assert!(drifted.contains("\"1h\""), "the plan shows what Ory holds: {drifted}");
    tf.apply_saved();
    let now = emulator.project(&id);
    assert_eq!(now.pointer(LIFESPAN), Some(&json!("24h")));
    assert_eq!(now.pointer("/services/identity/config/session/cookie/persistent"), Some(&json!(false)), "not reset");
    assert_no_changes(&plan(&with));

    // A key no longer written is released, not reset: nothing is sent.
    let without = identity_config(None);
    let patches = emulator.count("patchProjectWithRevision");
    assert_eq!(plan(&without), actions(&[(C, &["update"])]));
    tf.apply_saved();
    assert_eq!(emulator.count("patchProjectWithRevision"), patches);
    assert_eq!(emulator.project(&id).pointer(LIFESPAN), Some(&json!("24h")));
    assert_no_changes(&plan(&without));

    // 6. Import: the configuration decides what is managed; keys that
    // already hold their value are not sent.
    tf.run(&["state", "rm", C]);
    let v = vars(&without);
    let var_args: Vec<String> = v.iter().map(|(k, v)| format!("-var={k}={v}")).collect();
    let mut import: Vec<&str> = vec!["import", "-input=false"];
    import.extend(var_args.iter().map(String::as_str));
    import.extend([C, id.as_str()]);
    tf.run(&import);
    assert_eq!(plan(&without), actions(&[(C, &["update"])]));
    tf.apply_saved();
    assert_eq!(emulator.count("patchProjectWithRevision"), patches, "an import takes over without writing");
    assert_no_changes(&plan(&without));

    // Destroy releases: the project's document stays exactly as it is.
    let kept = emulator.project(&id);
    let mut destroy: Vec<&str> = vec!["destroy", "-auto-approve", "-input=false"];
    destroy.extend(var_args.iter().map(String::as_str));
    tf.run(&destroy);
    assert_eq!(emulator.project(&id), kept);
}

#[test]
fn an_action_owns_its_own_hook_and_leaves_the_others_where_they_are() {
    let emulator = Emulator::start();
    let id = emulator.new_project("actions");
    let other = json!({"hook": "web_hook", "config": {"url": "https://other.example.com/first", "method": "POST"}});
    emulator.patch_project(&id, json!([{"op": "add", "path": format!("{LOGIN_AFTER}/-"), "value": other}]));
    let tf = Tf::new(&emulator, "action");
    tf.init();
    let project = ("project_id", id.as_str());

    // 1-2. The guide's hook, with url, method and a base64 body.
    assert_eq!(tf.plan(&[project]), actions(&[(A, &["create"])]));
    let after = planned_after(&tf, A);
    assert_eq!(
        (after["url"].as_str(), after["method"].as_str(), after["body"].as_str()),
        (Some(SEGMENT), Some("POST"), Some(BODY))
    );
    tf.apply_saved();
    let hooks = emulator.project(&id).pointer(LOGIN_AFTER).cloned().unwrap();
    assert_eq!(hooks[0], other);
    assert_eq!((hooks[1]["config"]["url"].as_str(), hooks[1]["config"]["body"].as_str()), (Some(SEGMENT), Some(BODY)));
    assert_eq!(tf.state_of(A)["id"], format!("{id}:login:after::POST:{SEGMENT}"));
    assert_no_changes(&tf.plan(&[project]));

    // 3. Another hook joins the list: not this action's business.
    let third = json!({"hook": "web_hook", "config": {"url": "https://other.example.com/third", "method": "PUT"}});
    emulator.patch_project(&id, json!([{"op": "add", "path": format!("{LOGIN_AFTER}/-"), "value": third}]));
    assert_no_changes(&tf.plan(&[project]));

    // 4. Its own body changed: drift, repaired in place.
    emulator.patch_project(
        &id,
        json!([{"op": "replace", "path": format!("{LOGIN_AFTER}/1/config/body"), "value": "base64://e30="}]),
    );
    assert_eq!(tf.plan(&[project]), actions(&[(A, &["update"])]));
    tf.apply_saved();
    let hooks = emulator.project(&id).pointer(LOGIN_AFTER).cloned().unwrap();
    assert_eq!((&hooks[0], hooks[1]["config"]["body"].as_str(), &hooks[2]), (&other, Some(BODY), &third));

    // A URL with colons changes in place, and imports back.
    let colons = "https://hooks.example.com:8443/v1:identify?x=a:b";
    assert_eq!(tf.plan(&[project, ("url", colons)]), actions(&[(A, &["update"])]));
    tf.apply_saved();
    let hooks = emulator.project(&id).pointer(LOGIN_AFTER).cloned().unwrap();
    assert_eq!((hooks.as_array().unwrap().len(), hooks[1]["config"]["url"].as_str()), (3, Some(colons)));
    tf.run(&["state", "rm", A]);
    let import_id = format!("{id}:login:after::POST:{colons}");
    let (project_var, url_var) = (format!("-var=project_id={id}"), format!("-var=url={colons}"));
    tf.run(&["import", "-input=false", &project_var, &url_var, A, &import_id]);
    // Imported, the body reads as its Jsonnet source, as the docs write it
    // (issue 21): no change planned.
    assert_no_changes(&tf.plan(&[project, ("url", colons), ("body", SOURCE)]));
    // Written as a base64:// URL instead: the same body, no change either.
    assert_no_changes(&tf.plan(&[project, ("url", colons)]));

    // A configuration resource writing the same list in the same
    // configuration: refused at plan time, naming both, with nothing sent.
    tf.write(
        "config.tf",
        "resource \"ory_project_config\" \"c\" {\n  project_id = var.project_id\n  identity_config = jsonencode({ selfservice = { flows = { login = { after = { hooks = [] } } } } })\n}\n",
    );
    let patches = emulator.count("patchProjectWithRevision");
    let refused = tf.try_run(&["plan", "-input=false", &project_var, &url_var]);
    let shown = refused.text();
    assert!(!refused.ok && shown.contains("Two resources own one part of the project"), "{shown}");
    assert!(shown.contains("ory_project_config of project") && shown.contains("ory_action"), "{shown}");
    assert!(shown.contains(LOGIN_AFTER), "{shown}");
    assert_eq!(emulator.count("patchProjectWithRevision"), patches, "nothing is sent");
    std::fs::remove_file(tf.dir().join("config.tf")).unwrap();

    // In another configuration, where no resource of the plan owns an
    // entry, the web hooks its plan would drop are named in a warning.
    let config = Tf::new(&emulator, "project_config");
    config.init();
    let hooks = r#"{"selfservice":{"flows":{"login":{"after":{"hooks":[]}}}}}"#;
    let shown = config.run(&["plan", "-input=false", &project_var, &format!("-var=identity_config={hooks}")]).text();
    assert!(shown.contains("A hook list is replaced whole") && shown.contains(colons), "{shown}");

    // Destroy takes out its own entry only.
    tf.run(&["destroy", "-auto-approve", "-input=false", &project_var, &url_var]);
    assert_eq!(emulator.project(&id).pointer(LOGIN_AFTER), Some(&json!([other, third])));
}

#[test]
fn many_config_resources_actions_and_a_rename_apply_in_parallel_without_losing_a_change() {
    let emulator = Emulator::start();
    let tf = Tf::new(&emulator, "config_crowd");
    tf.init();
    let check = |value: &str, name: &str| {
        let ids = tf.state_ids();
        let project = emulator.project(&ids["ory_project"][0]);
        assert_eq!(project["name"], name);
        let flags = &project["services"]["identity"]["config"]["feature_flags"];
        for i in 0..24 {
            assert_eq!(flags[format!("flag_{i}")], format!("{value}-{i}"), "flag_{i}: {flags}");
        }
        assert_eq!(project["cors_admin"]["origins"], json!([format!("https://{value}.example.com")]));
        let flows = &project["services"]["identity"]["config"]["selfservice"]["flows"];
        for (i, (flow, timing)) in [
            ("login", "after"),
            ("registration", "after"),
            ("settings", "after"),
            ("recovery", "after"),
            ("verification", "after"),
            ("login", "before"),
        ]
        .iter()
        .enumerate()
        {
            let urls: Vec<&str> = flows[flow][timing]["hooks"]
                .as_array()
                .unwrap()
                .iter()
                .filter_map(|h| h["config"]["url"].as_str())
                .collect();
            assert_eq!(urls, [format!("https://hooks.example.com/{i}/{value}")], "{flow} {timing}");
        }
    };
    tf.run(&["apply", "-auto-approve", "-input=false", "-parallelism=32"]);
    check("a", "crowd-a");
    assert_no_changes(&tf.plan(&[]));

    // Every key, every hook and the name change at once.
    let run =
        tf.run(&["apply", "-auto-approve", "-input=false", "-parallelism=32", "-var=name=crowd-b", "-var=value=b"]);
    assert!(run.stdout.contains("0 added, 32 changed, 0 destroyed"), "{}", run.text());
    check("b", "crowd-b");
    assert_no_changes(&tf.plan(&[("name", "crowd-b"), ("value", "b")]));
}

#[test]
fn a_stale_revision_is_read_again_and_the_retries_are_bounded() {
    use terraform_provider_ory::console::{Client, Config, Error, PatchOp, ProjectId, MAX_CONFLICTS};

    let emulator = Emulator::start();
    let id = emulator.new_project("stale");
    let project = ProjectId::from(&id);
    let client = Client::new(Config::new(emulator.url.clone(), emulator.key.clone())).unwrap();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    // Another client's change, made between this client's read and its patch.
    let meddle = |name: String| {
        let (url, key, id) = (emulator.url.clone(), emulator.key.clone(), id.clone());
        std::thread::spawn(move || {
            reqwest::blocking::Client::new()
                .patch(format!("{url}/projects/{id}"))
                .bearer_auth(key)
                .json(&json!([{"op": "replace", "path": "/name", "value": name}]))
                .send()
                .unwrap()
        })
        .join()
        .unwrap();
    };

    let mut computed = 0;
    let edited = runtime
        .block_on(client.document(&project).edit(|_, retrying| {
            computed += 1;
            // The 409 answered the patch's only send: it never applied, so
            // the edit computes again as a first try.
            assert!(!retrying);
            if computed == 1 {
                meddle("someone else's".into());
            }
            Ok::<_, Error>(vec![PatchOp::replace(LIFESPAN, json!("2h"))])
        }))
        .unwrap();
    assert_eq!(computed, 2, "read again and computed again after the 409");
    assert_eq!(edited.project.name, "someone else's", "the other change is kept");
    let now = emulator.project(&id);
    assert_eq!((now["name"].as_str(), now.pointer(LIFESPAN)), (Some("someone else's"), Some(&json!("2h"))));

    let mut computed = 0;
    let failed = runtime.block_on(client.document(&project).edit(|_, _| {
        computed += 1;
        meddle(format!("change {computed}"));
        Ok::<_, Error>(vec![PatchOp::replace(LIFESPAN, json!("3h"))])
    }));
    let e = failed.unwrap_err();
    assert_eq!(computed, MAX_CONFLICTS as usize);
    assert!(matches!(e, Error::Contended { attempts, .. } if attempts == MAX_CONFLICTS), "{e}");
    assert!(e.to_string().contains("kept changing"), "{e}");
    assert_eq!(emulator.project(&id).pointer(LIFESPAN), Some(&json!("2h")), "nothing of the failed edit applied");
}

#[test]
fn configs_ory_rejects_fail_on_their_attribute_and_secrets_stay_out_of_plans() {
    let emulator = Emulator::start();
    let id = emulator.new_project("rejected");
    let tf = Tf::new(&emulator, "project_config");
    tf.init();
    let project = format!("-var=project_id={id}");

    // A hook without url: Ory's 400, quoted, with the operation's path.
    let before = emulator.project(&id);
    let no_url = json!({"selfservice": {"flows": {"login": {"after": {"hooks": [{"hook": "web_hook", "config": {"method": "POST"}}]}}}}});
    let run =
        tf.try_run(&["apply", "-auto-approve", "-input=false", &project, &format!("-var=identity_config={no_url}")]);
    assert!(!run.ok);
    let text = run.text();
    assert!(text.contains("Ory Network refused the configuration"), "{text}");
    assert!(text.contains("Unable to validate config: /services/identity/config/selfservice/flows/login/after/hooks/0/config: missing properties: \"url\""), "{text}");
    assert!(text.contains(&format!("at {LOGIN_AFTER}:")), "names the operation's path: {text}");
    assert!(text.contains("identity_config"), "on its attribute: {text}");
    assert_eq!(emulator.project(&id), before, "nothing changed");

    // Refused at plan time, with no API call: a bad origin, a secret in
    // a configuration attribute, a key that is not a secret path.
    let requests = emulator.requests().values().sum::<u64>();
    let origin =
        tf.plan_fails(&[("project_id", &id), ("identity_config", "{}"), ("cors_origins", "[\"app.example.com\"]")]);
    assert!(origin.contains("must be *, or an origin such as https://example.com"), "{origin}");
    let smtp = json!({"courier": {"smtp": {"connection_uri": "smtps://user:hunter2@mail.example.com"}}}).to_string();
    let secret = tf.plan_fails(&[("project_id", &id), ("identity_config", &smtp)]);
    assert!(secret.contains("Secret in a configuration attribute"), "{secret}");
    assert!(secret.contains("/services/identity/config/courier/smtp/connection_uri"), "{secret}");
    assert_eq!(emulator.requests().values().sum::<u64>(), requests, "no API call");

    // Ory's import warnings become Terraform warnings.
    let operational = json!({"log": {"level": "debug"}, "session": {"lifespan": "48h"}}).to_string();
    let run =
        tf.run(&["apply", "-auto-approve", "-input=false", &project, &format!("-var=identity_config={operational}")]);
    let text = run.text();
    assert!(text.contains("Ory Network did not import part of the configuration"), "{text}");
    assert!(text.contains("/services/identity/config/log"), "{text}");
    assert_eq!(emulator.project(&id).pointer("/services/identity/config/session/lifespan"), Some(&json!("48h")));
}

#[test]
fn write_only_secrets_reach_ory_and_neither_the_plan_nor_the_state() {
    let test = "write_only_secrets_reach_ory_and_neither_the_plan_nor_the_state";
    let version = terraform_version();
    if version < (1, 11) {
        skip(test, &format!("write-only attributes need Terraform 1.11 or later; this is {}.{}", version.0, version.1));
        return;
    }
    let emulator = Emulator::start();
    let id = emulator.new_project("secrets");
    let tf = Tf::new(&emulator, "config_secrets");
    tf.init();
    let smtp = "smtps://mailer:TOPSECRET-ONE@mail.example.com:465";
    let password = "HOOK-PASSWORD-ONE";
    let planned = tf.plan(&[("project_id", &id), ("smtp_uri", smtp), ("hook_password", password)]);
    assert_eq!(planned, actions(&[("ory_project_config.mail", &["create"]), ("ory_action.secured", &["create"])]));
    let saved = tf.saved_plan().to_string();
    assert!(!saved.contains("TOPSECRET") && !saved.contains("HOOK-PASSWORD"), "a secret is in the saved plan");
    let files = tf.saved_plan_files();
    assert!(!files.contains("TOPSECRET") && !files.contains("HOOK-PASSWORD"), "a secret is in the plan file");
    let apply = |smtp: &str, password: &str| {
        let (smtp, password) = (format!("-var=smtp_uri={smtp}"), format!("-var=hook_password={password}"));
        tf.run(&["apply", "-input=false", &smtp, &password, "tfplan"]);
    };
    apply(smtp, password);
    let state = std::fs::read_to_string(tf.dir().join("terraform.tfstate")).unwrap();
    assert!(!state.contains("TOPSECRET") && !state.contains("HOOK-PASSWORD"), "a secret is in the state");
    let project = emulator.project(&id);
    assert_eq!(project.pointer("/services/identity/config/courier/smtp/connection_uri"), Some(&json!(smtp)));
    let hook = project.pointer(&format!("{LOGIN_AFTER}/0/config/auth")).cloned().unwrap();
    assert_eq!(hook, json!({"type": "basic_auth", "config": {"user": "ory", "password": password}}));
    let unchanged = [("project_id", id.as_str()), ("smtp_uri", smtp), ("hook_password", password)];
    assert_no_changes(&tf.plan(&unchanged));

    // A new secret is sent when its version changes.
    let (smtp2, password2) = ("smtps://mailer:TOPSECRET-TWO@mail.example.com:465", "HOOK-PASSWORD-TWO");
    let rotated =
        [("project_id", id.as_str()), ("smtp_uri", smtp2), ("hook_password", password2), ("secrets_version", "2")];
    assert_eq!(
        tf.plan(&rotated),
        actions(&[("ory_project_config.mail", &["update"]), ("ory_action.secured", &["update"])])
    );
    apply(smtp2, password2);
    let project = emulator.project(&id);
    assert_eq!(project.pointer("/services/identity/config/courier/smtp/connection_uri"), Some(&json!(smtp2)));
    assert_eq!(project.pointer(&format!("{LOGIN_AFTER}/0/config/auth/config/password")), Some(&json!(password2)));
    let state = std::fs::read_to_string(tf.dir().join("terraform.tfstate")).unwrap();
    assert!(!state.contains("TOPSECRET") && !state.contains("HOOK-PASSWORD"), "a secret is in the state");

    // Ory refuses a secret and quotes it: the error hides it.
    let bad = [
        ("project_id", id.as_str()),
        ("smtp_uri", "mail.example.com:TOPSECRET-BAD"),
        ("hook_password", password2),
        ("secrets_version", "3"),
    ];
    tf.plan(&bad);
    let (smtp_var, password_var) =
        ("-var=smtp_uri=mail.example.com:TOPSECRET-BAD".to_string(), format!("-var=hook_password={password2}"));
    let run = tf.try_run(&["apply", "-input=false", &smtp_var, &password_var, "tfplan"]);
    assert!(!run.ok);
    let text = run.text();
    assert!(text.contains("Ory Network refused the configuration") && text.contains("(sensitive value)"), "{text}");
    assert!(!text.contains("TOPSECRET"), "the secret is in the error: {text}");
}

#[test]
fn the_data_source_reads_the_whole_live_configuration_without_its_secrets() {
    let emulator = Emulator::start();
    let id = emulator.new_project("read");
    emulator.patch_project(
        &id,
        json!([
            {"op": "replace", "path": LIFESPAN, "value": "12h"},
            {"op": "add", "path": "/services/identity/config/courier/smtp/connection_uri", "value": "smtps://u:SECRET-SMTP@mail.example.com"},
            {"op": "replace", "path": "/cors_public", "value": {"enabled": true, "origins": ["https://app.example.com"]}},
        ]),
    );
    let tf = Tf::new(&emulator, "examples/data-sources/ory_project_config");
    tf.write(
        "test.tf",
        "terraform {\n  required_providers {\n    ory = {\n      source = \"terraform.local/ory/ory\"\n    }\n  }\n}\n\noutput \"identity_config\" {\n  value = data.ory_project_config.app.identity_config\n}\n",
    );
    tf.init();
    tf.run(&["apply", "-auto-approve", "-input=false", &format!("-var=project_id={id}")]);
    let out: Value = serde_json::from_str(&tf.run(&["output", "-json"]).stdout).unwrap();
    assert_eq!(out["session_lifespan"]["value"], "12h");
    assert_eq!(out["public_cors_origins"]["value"], json!(["https://app.example.com"]));
    let identity: Value = serde_json::from_str(out["identity_config"]["value"].as_str().unwrap()).unwrap();
    assert_eq!(identity["courier"]["smtp"]["from_address"], "no-reply@ory.sh", "the rest is there");
    let state = std::fs::read_to_string(tf.dir().join("terraform.tfstate")).unwrap();
    assert!(!state.contains("SECRET-SMTP"), "secrets are left out");
}

#[test]
fn stale_revisions_and_lost_answers_under_terraform_lose_and_duplicate_nothing() {
    let emulator = Emulator::start();
    let id = emulator.new_project("faults");
    let tf = Tf::new(&emulator, "project_config");
    tf.init();
    let apply = |config: &str| {
        let (project, config) = (format!("-var=project_id={id}"), format!("-var=identity_config={config}"));
        tf.try_run(&["apply", "-auto-approve", "-input=false", &project, &config])
    };
    let stale = |times: usize| {
        let script: Vec<Value> =
            (0..times).map(|_| json!({"operation": "patchProjectWithRevision", "kind": "stale"})).collect();
        emulator.faults(json!({"rate": 0, "script": script}));
    };

    // Another writer gets in first: the provider reads again and applies.
    stale(1);
    let run = apply(&identity_config(Some("24h")));
    assert!(run.ok, "{}", run.text());
    assert_eq!(emulator.count("patchProjectWithRevision"), 2, "one 409, then the patch");
    let project = emulator.project(&id);
    assert_eq!(
        (project.pointer(LIFESPAN), project.pointer(LOGIN_AFTER)),
        (Some(&json!("24h")), Some(&json!([guide_hook(SEGMENT)])))
    );

    // It keeps getting in first: the apply stops after 8 attempts and says so.
    stale(8);
    let run = apply(&identity_config(Some("12h")));
    assert!(!run.ok);
    assert!(run.text().contains("kept changing while this change was made: 8 patches in a row"), "{}", run.text());
    assert_eq!(emulator.project(&id).pointer(LIFESPAN), Some(&json!("24h")));
    emulator.faults(json!({"rate": 0}));
    assert!(apply(&identity_config(Some("12h"))).ok);
    assert_eq!(emulator.project(&id).pointer(LIFESPAN), Some(&json!("12h")));

    // An action's patch applies and its answer is lost: the resend meets a
    // newer revision, the provider reads again and finds its own entry.
    let other = emulator.new_project("lost answers");
    let tf = Tf::new(&emulator, "action");
    tf.init();
    emulator
        .faults(json!({"rate": 0, "script": [{"operation": "patchProjectWithRevision", "kind": "commit_then_drop"}]}));
    tf.run(&["apply", "-auto-approve", "-input=false", &format!("-var=project_id={other}")]);
    assert_eq!(emulator.injected().get("commit_then_drop"), Some(&1));
    let hooks = emulator.project(&other).pointer(LOGIN_AFTER).cloned().unwrap();
    assert_eq!(hooks.as_array().unwrap().len(), 1, "one hook, not two: {hooks}");
    assert_no_changes(&tf.plan(&[("project_id", &other)]));
}

/// On a Terraform older than 1.11, which would store a write-only value in
/// the state, setting one is refused at plan time with what to do instead.
#[test]
fn a_write_only_attribute_on_an_older_terraform_is_refused_with_what_to_do() {
    let test = "a_write_only_attribute_on_an_older_terraform_is_refused_with_what_to_do";
    let version = terraform_version();
    if version >= (1, 11) {
        skip(test, &format!("it checks Terraform 1.10 and older; this is {}.{}", version.0, version.1));
        return;
    }
    let emulator = Emulator::start();
    let id = emulator.new_project("older-terraform");
    let tf = Tf::new(&emulator, "write_only_old");
    tf.init();
    let text = tf.plan_fails(&[("project_id", &id), ("hook_password", "HOOK-PASSWORD-OLD")]);
    assert!(text.contains("Write-only attribute needs a newer Terraform"), "{text}");
    assert!(text.contains("Use Terraform 1.11 or OpenTofu 1.11 or later"), "{text}");
    assert!(!text.contains("HOOK-PASSWORD-OLD"), "the value is in the message: {text}");
    assert_eq!(emulator.count("patchProjectWithRevision") + emulator.count("patchProject"), 0);
}

/// Issue 20, finding 13: Kratos' and Hydra's own secrets (signing and
/// encryption keys, credential headers) are secret paths like the others:
/// refused in the configuration attributes, taken in `secrets` as JSON,
/// never in a plan, the data source or the state's configuration.
#[test]
fn kratos_and_hydra_secrets_are_secrets_everywhere() {
    let emulator = Emulator::start();
    let id = emulator.new_project("keys");
    let tf = Tf::new(&emulator, "config_secret_documents");
    tf.init();
    let requests = emulator.requests().values().sum::<u64>();
    for (attr, config, path) in [
        (
            "identity_config",
            json!({"secrets": {"cookie": ["cookie-secret-in-clear-000000"]}}),
            "/services/identity/config/secrets/cookie",
        ),
        (
            "identity_config",
            json!({"secrets": {"cipher": ["cipher-secret-in-clear-0000000"]}}),
            "/services/identity/config/secrets/cipher",
        ),
        (
            "oauth2_config",
            json!({"secrets": {"system": ["system-secret-in-clear-0000000"]}}),
            "/services/oauth2/config/secrets/system",
        ),
        (
            "identity_config",
            json!({"courier": {"http": {"request_config": {"url": "https://mail.example.com", "headers": {"Authorization": "Bearer in-clear"}}}}}),
            "/services/identity/config/courier/http/request_config/headers",
        ),
    ] {
        let text = tf.plan_fails(&[("project_id", &id), (attr, &config.to_string())]);
        assert!(text.contains("Secret in a configuration attribute") && text.contains(path), "{path}: {text}");
        assert!(!text.contains("in-clear"), "{path}: the secret is shown: {text}");
    }
    // A list secret written as anything but JSON is refused, without its value.
    let text = tf.plan_fails(&[
        ("project_id", &id),
        ("secrets", r#"{"/services/identity/config/secrets/cookie" = "not-json-secret"}"#),
    ]);
    assert!(text.contains("is a list or an object, written as JSON"), "{text}");
    assert!(!text.contains("not-json-secret"), "{text}");
    assert_eq!(emulator.requests().values().sum::<u64>(), requests, "no API call");

    let cookie = "cookie-secret-0123456789abcdef";
    let system = "system-secret-0123456789abcdef";
    let secrets = format!(
        r#"{{"/services/identity/config/secrets/cookie" = "[\"{cookie}\"]", "/services/oauth2/config/secrets/system" = "[\"{system}\"]"}}"#
    );
    let args = ["-input=false".to_string(), format!("-var=project_id={id}"), format!("-var=secrets={secrets}")];
    let run = tf.run(&[&["apply", "-auto-approve"][..], &args.iter().map(String::as_str).collect::<Vec<_>>()].concat());
    let live = emulator.project(&id);
    assert_eq!(live.pointer("/services/identity/config/secrets/cookie"), Some(&json!([cookie])));
    assert_eq!(live.pointer("/services/oauth2/config/secrets/system"), Some(&json!([system])));
    let shown = run.text();
    let out = tf.run(&["output", "-json"]).stdout;
    for secret in [cookie, system] {
        assert!(!shown.contains(secret), "the apply shows a secret: {shown}");
        assert!(!out.contains(secret), "the data source shows a secret: {out}");
    }
    let plan = tf
        .try_run(&[&["plan", "-detailed-exitcode"][..], &args.iter().map(String::as_str).collect::<Vec<_>>()].concat());
    assert!(plan.ok, "a plan after the apply changes something: {}", plan.text());
}

#[test]
fn two_actions_owning_one_hook_are_refused_at_plan_time_with_nothing_sent() {
    let emulator = Emulator::start();
    let id = emulator.new_project("claims");
    let tf = Tf::new(&emulator, "action");
    tf.init();
    tf.write(
        "twin.tf",
        "resource \"ory_action\" \"twin\" {\n  project_id = var.project_id\n  flow       = \"login\"\n  timing     = \"after\"\n  url        = var.url\n}\n",
    );
    let run = tf.try_run(&["plan", "-input=false", &format!("-var=project_id={id}")]);
    let text = run.text();
    assert!(!run.ok && text.contains("Two resources own one part of the project"), "{text}");
    let import_id = format!("{id}:login:after::POST:https://api.segment.io/v1/identify");
    assert!(text.contains(&format!("This resource (ory_action {import_id}) and ory_action {import_id}")), "{text}");
    assert!(text.contains("with ory_action."), "Terraform names the one planned second: {text}");
    // The calls that change a project document: none.
    for write in ["patchProjectWithRevision", "patchProject", "setProject"] {
        assert_eq!(emulator.count(write), 0, "nothing is sent: {:?}", emulator.requests());
    }
}

#[test]
fn every_kind_of_document_part_applies_at_parallelism_32_exactly_once() {
    let emulator = Emulator::start();
    let id = emulator.new_project_in("crowd", "prod");
    let tf = Tf::new(&emulator, "slice_crowd");
    tf.init();
    let var = format!("-var=project_id={id}");
    tf.run(&["apply", "-auto-approve", "-input=false", "-parallelism=32", &var]);
    assert_no_changes(&tf.plan(&[("project_id", &id)]));
    let doc = emulator.project(&id);
    let ids = |pointer: &str| -> Vec<String> {
        let list = doc.pointer(pointer).and_then(Value::as_array).cloned().unwrap_or_default();
        let mut ids: Vec<String> = list.iter().map(|e| e["id"].as_str().unwrap_or_default().to_string()).collect();
        ids.sort();
        ids
    };
    let identity = "/services/identity/config";
    assert_eq!(ids(&format!("{identity}/identity/schemas")), ["crowd_0", "crowd_1", "crowd_2", "preset://email"]);
    assert_eq!(doc.pointer(&format!("{identity}/identity/default_schema_id")), Some(&json!("crowd_0")));
    let social = format!("{identity}/selfservice/methods/oidc/config/providers");
    assert_eq!(ids(&social), ["social-0", "social-1", "social-2", "social-3"]);
    assert_eq!(ids(&format!("{identity}/selfservice/methods/saml/config/providers")), ["saml-0", "saml-1"]);
    let templates = doc.pointer(&format!("{identity}/courier/templates")).unwrap();
    let mut made: Vec<String> = templates
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(kind, variants)| variants.as_object().unwrap().keys().map(move |v| format!("{kind}/{v}")))
        .collect();
    made.sort();
    assert_eq!(made.len(), 6, "{made:?}");
    let hooks = doc.pointer(LOGIN_AFTER).and_then(Value::as_array).unwrap();
    let urls: Vec<&str> =
        hooks.iter().filter_map(|h| h["config"]["url"].as_str()).filter(|u| u.contains("crowd")).collect();
    assert_eq!(urls.len(), 2, "{urls:?}");
    assert_eq!(doc.pointer(&format!("{identity}/session/lifespan")), Some(&json!("72h")));
    assert!(doc.pointer(&format!("{identity}/courier/smtp/connection_uri")).is_some());
}

/// Issue 34, item 9: a configuration that turns social sign-in (or SAML)
/// off beside a provider that needs it on is refused at plan time, in
/// either order, with nothing sent; turning it on beside one is fine.
#[test]
fn a_configuration_turning_off_a_method_a_provider_needs_is_refused_at_plan_time() {
    let emulator = Emulator::start();
    let id = emulator.new_project("switches");
    let tf = Tf::new(&emulator, "social_provider");
    tf.init();
    for (value, refused) in [("false", true), ("true", false)] {
        for file in ["a_config.tf", "z_config.tf"] {
            let _ = std::fs::remove_file(tf.dir().join("a_config.tf"));
            let _ = std::fs::remove_file(tf.dir().join("z_config.tf"));
            tf.write(
                file,
                &format!("resource \"ory_project_config\" \"switch\" {{\n  project_id = var.project_id\n  identity_config = jsonencode({{ selfservice = {{ methods = {{ oidc = {{ enabled = {value} }} }} }} }})\n}}\n"),
            );
            let run = tf.try_run(&["plan", "-input=false", &format!("-var=project_id={id}"), "-var=client_secret=s"]);
            let text = run.text();
            if refused {
                assert!(!run.ok && text.contains("needs it true"), "{file}: {text}");
                assert!(text.contains("/services/identity/config/selfservice/methods/oidc/enabled"), "{text}");
            } else {
                assert!(run.ok, "{file}: {text}");
            }
        }
    }
    for write in ["patchProjectWithRevision", "patchProject", "setProject"] {
        assert_eq!(emulator.count(write), 0, "nothing is sent: {:?}", emulator.requests());
    }
}
