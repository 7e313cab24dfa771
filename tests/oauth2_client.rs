//! `ory_oauth2_client` end to end: a project and its clients in one apply
//! from an empty state, through a key the provider makes for itself and
//! deletes when each run ends.

use reqwest::Method;
use serde_json::json;

use crate::support::{assert_no_changes, Emulator, Tf, PROVIDER_BLOCKS};

const WEB: &str = "ory_oauth2_client.web";
const MACHINE: &str = "ory_oauth2_client.machine";

/// The project API keys the emulator holds: the provider's temporary ones
/// must all be gone once a run ends.
fn project_keys(emulator: &Emulator) -> usize {
    emulator.objects()["ory_project_api_key"].len()
}

#[test]
fn a_project_and_its_oauth2_clients_apply_in_one_run_and_leave_no_key_behind() {
    let emulator = Emulator::start();
    let mut tf = Tf::new(&emulator, "oauth2_client");
    tf.init();

    // 1. One apply from an empty state: the project, then its clients.
    let actions = tf.apply(&[]);
    assert_eq!(
        (actions[WEB].clone(), actions[MACHINE].clone()),
        (vec!["create".to_string()], vec!["create".to_string()])
    );
    assert_eq!(project_keys(&emulator), 0, "the temporary key is deleted when the run ends");
    let web = tf.state_of(WEB);
    let id = web["id"].as_str().unwrap().to_string();
    assert!(web["client_secret"].as_str().is_some_and(|s| s.len() >= 16), "the secret is kept: {web}");
    assert_eq!(web["token_endpoint_auth_method"], "client_secret_basic", "Ory's default");
    assert_eq!(web["metadata"], json!("{\"team\":\"web\"}"));
    assert_eq!(emulator.objects()["ory_oauth2_client"].len(), 2);
    // A plan's key is deleted too, and neither it nor a client secret is in a trace.
    tf.set_env("TF_LOG", "trace");
    let traced = tf.run(&["plan", "-input=false", "-detailed-exitcode"]).text();
    tf.remove_env("TF_LOG");
    assert!(traced.contains("Received request") || traced.contains("ReadResource"), "a trace was written");
    assert!(!traced.contains("ory_pat_"), "a project key reached the trace");
    assert!(!traced.contains(web["client_secret"].as_str().unwrap()), "a client secret reached the trace");
    assert_eq!(project_keys(&emulator), 0, "a plan's key is deleted too");
    // A refresh lists the project's clients once, rather than reading each.
    let calls = |op: &str| emulator.count(op);
    let (listed, read) = (calls("listOAuth2Clients"), calls("getOAuth2Client"));
    assert_no_changes(&tf.plan(&[]));
    assert_eq!((calls("listOAuth2Clients") - listed, calls("getOAuth2Client") - read), (1, 0));

    // 2. In place.
    assert_eq!(tf.apply(&[("client_name", "web 2")])[WEB], ["update"]);
    let project = tf.run(&["output", "-raw", "project_id"]).stdout;
    let slug = tf.run(&["output", "-raw", "slug"]).stdout;
    let key = emulator.project_key(&project);
    let (_, _, live) = emulator.data_call(&key, Method::GET, &slug, &format!("/admin/clients/{id}"), None);
    assert_eq!(live["client_name"], "web 2");
    assert_eq!(tf.state_of(WEB)["client_secret"], web["client_secret"], "the secret outlives an update");
    assert!(holds_secret(&emulator, &id, web["client_secret"].as_str().unwrap()));

    // 2b. Rotation, in place: a new secret that Ory holds, the same ID.
    let rotate = [("client_name", "web 2"), ("secret_version", "2026-12")];
    assert_eq!(tf.plan(&rotate)[WEB], ["update"]);
    let plan = tf.saved_plan();
    let change = plan["resource_changes"].as_array().unwrap().iter().find(|c| c["address"] == WEB).unwrap();
    assert_eq!(change["change"]["after_unknown"]["client_secret"], true, "the plan shows a new secret to come");
    tf.apply_saved();
    let rotated = tf.state_of(WEB);
    let secret = rotated["client_secret"].as_str().unwrap();
    assert_eq!(rotated["id"], web["id"]);
    assert!(secret != web["client_secret"] && secret.len() == 43, "{secret}");
    assert!(holds_secret(&emulator, &id, secret), "Ory holds the new secret");
    assert_no_changes(&tf.plan(&rotate));

    // 3. Drift from outside Terraform, shown and repaired; what the
    // resource does not model stays.
    let mut changed = live.clone();
    changed["client_name"] = json!("someone else");
    changed["client_credentials_grant_access_token_lifespan"] = json!("1h0m0s");
    let (status, _, body) =
        emulator.data_call(&key, Method::PUT, &slug, &format!("/admin/clients/{id}"), Some(changed));
    assert_eq!(status, 200, "{body}");
    assert_eq!(tf.plan(&rotate)[WEB], ["update"]);
    tf.apply_saved();
    let (_, _, live) = emulator.data_call(&key, Method::GET, &slug, &format!("/admin/clients/{id}"), None);
    assert_eq!(live["client_name"], "web 2");
    assert_eq!(live["client_credentials_grant_access_token_lifespan"], "1h0m0s", "an unmodelled setting stays");

    // 4. Import into a fresh state, with a no-op plan.
    let fresh = Tf::new(&emulator, "oauth2_client");
    fresh.init();
    fresh.run(&["import", "-input=false", "ory_project.p", &project]);
    fresh.run(&["import", "-input=false", WEB, &format!("{project}/{id}")]);
    fresh.run(&[
        "import",
        "-input=false",
        MACHINE,
        &format!("{project}/{}", tf.state_of(MACHINE)["id"].as_str().unwrap()),
    ]);
    let mut imported = fresh.plan(&[("client_name", "web 2")]);
    // An imported project takes deletion protection, which lives in Terraform alone.
    assert_eq!(imported.remove("ory_project.p"), Some(vec!["update".to_string()]));
    assert_no_changes(&imported);

    // An imported client whose configuration keeps client_secret_version:
    // the version names the live secret, which is not rotated (the plan
    // says so, and nothing is sent); a later change of it rotates.
    let live_secret = tf.state_of(WEB)["client_secret"].as_str().unwrap().to_string();
    let keep = [("client_name", "web 2"), ("secret_version", "2026-12")];
    let sets = emulator.count("setOAuth2Client");
    let shown = fresh.run(&["plan", "-input=false", "-var=client_name=web 2", "-var=secret_version=2026-12"]).text();
    assert!(
        shown.contains("The secret is not rotated") && !shown.contains("client_secret = (sensitive value)"),
        "{shown}"
    );
    fresh.apply(&keep);
    assert_eq!(emulator.count("setOAuth2Client"), sets, "nothing sent");
    assert!(holds_secret(&emulator, &id, &live_secret), "the live secret stays");
    assert_no_changes(&fresh.plan(&keep));
    fresh.apply(&[("client_name", "web 2"), ("secret_version", "2027-01")]);
    let rotated = fresh.state_of(WEB)["client_secret"].as_str().unwrap().to_string();
    assert!(holds_secret(&emulator, &id, &rotated) && rotated != live_secret);
    fresh.run(&["state", "rm", "ory_project.p", WEB, MACHINE]);

    // 5. Destroy leaves nothing, no key either.
    tf.run(&["destroy", "-auto-approve", "-input=false", "-var=client_name=web 2", "-var=secret_version=2026-12"]);
    let objects = emulator.objects();
    assert!(objects["ory_oauth2_client"].is_empty() && objects["ory_project"].is_empty(), "{objects:?}");
    assert_eq!(project_keys(&emulator), 0);
}

/// Whether the emulator's client `id` has `secret`, by its PBKDF2 hash.
fn holds_secret(emulator: &Emulator, id: &str, secret: &str) -> bool {
    use base64::Engine;
    let all: serde_json::Value =
        reqwest::blocking::get(format!("{}/__emulator/objects", emulator.url)).unwrap().json().unwrap();
    let client = all["oauth2_clients"].as_array().unwrap().iter().find(|c| c["id"] == id).unwrap();
    // $pbkdf2-sha256$i=<rounds>,l=32$<salt>$<hash>
    let hash = client["secret_hash"].as_str().unwrap();
    let parts: Vec<&str> = hash.split('$').collect();
    let rounds: u32 = parts[2].trim_start_matches("i=").split(',').next().unwrap().parse().unwrap();
    let b64 = base64::engine::general_purpose::STANDARD_NO_PAD;
    let (salt, expected) = (b64.decode(parts[3]).unwrap(), b64.decode(parts[4]).unwrap());
    aws_lc_rs::pbkdf2::verify(
        aws_lc_rs::pbkdf2::PBKDF2_HMAC_SHA256,
        std::num::NonZeroU32::new(rounds).unwrap(),
        &salt,
        secret.as_bytes(),
        &expected,
    )
    .is_ok()
}

#[test]
fn bad_oauth2_clients_fail_at_plan_time_on_their_attribute() {
    let emulator = Emulator::start();
    let tf = Tf::new(&emulator, "oauth2_client");
    tf.init();
    let before = emulator.requests().values().sum::<u64>();
    for (var, value, expect) in [
        ("redirect_uri", "https://app.example.com/cb#fragment", "must not have a fragment"),
        ("redirect_uri", "/relative/callback", "must be an absolute URI"),
    ] {
        let out = tf.plan_fails(&[(var, value)]);
        assert!(out.contains(expect) && out.contains("redirect_uris"), "{var}={value}: {out}");
    }
    for (file, expect) in [
        ("resource \"ory_oauth2_client\" \"bad\" {\n  grant_types = [\"password\"]\n}\n", "grant_types"),
        (
            "resource \"ory_oauth2_client\" \"bad\" {\n  token_endpoint_auth_method = \"secret\"\n}\n",
            "token_endpoint_auth_method",
        ),
        ("resource \"ory_oauth2_client\" \"bad\" {\n  metadata = \"[1]\"\n}\n", "must be a JSON object"),
        ("resource \"ory_oauth2_client\" \"bad\" {\n  response_types = [\"code\", \"code\"]\n}\n", "more than once"),
        ("resource \"ory_oauth2_client\" \"bad\" {\n  subject_type = \"private\"\n}\n", "subject_type"),
        ("resource \"ory_oauth2_client\" \"bad\" {\n  jwks_uri = \"http://keys.example.com\"\n}\n", "jwks_uri"),
        (
            "resource \"ory_oauth2_client\" \"bad\" {\n  token_endpoint_auth_method = \"none\"\n  client_secret_version = \"1\"\n}\n",
            "public client has no secret to rotate",
        ),
    ] {
        tf.write("bad.tf", file);
        let out = tf.plan_fails(&[]);
        assert!(out.contains(expect), "{file}: {out}");
    }
    let after = emulator.requests().values().sum::<u64>();
    assert_eq!(before, after, "refused before any call");

    // Where the project APIs are: a template with the slug, and no plain
    // HTTP to another host, where a project key would travel unencrypted.
    let _ = std::fs::remove_file(tf.dir().join("bad.tf"));
    let mut tf = tf;
    for (url, expect) in [
        ("http://ory.example.com/{slug}", "Plain HTTP to another host"),
        ("https://ory.example.com/projects", "must hold {slug}"),
    ] {
        tf.set_env("ORY_PROJECT_API_URL", url);
        let out = tf.plan_fails(&[]);
        assert!(out.contains(expect) && out.contains("project_api_url"), "{url}: {out}");
    }
}

/// The configuration style of Ory's provider works unchanged: a provider
/// block with a project key and slug, no workspace key, resources without
/// `project_id`.
#[test]
fn a_project_key_and_slug_alone_serve_their_project() {
    let emulator = Emulator::start();
    let project = emulator.new_project("own");
    let slug = emulator.project(&project)["slug"].as_str().unwrap().to_string();
    let key = emulator.project_key(&project);
    let mut tf = Tf::new(&emulator, "oauth2_client_own_project");
    tf.remove_env("ORY_WORKSPACE_API_KEY");
    tf.set_env("ORY_PROJECT_API_KEY", &key);
    tf.set_env("ORY_PROJECT_SLUG", &slug);
    // Ory's provider's spelling of the project API's address.
    tf.set_env("ORY_PROJECT_API_URL", &format!("{}/project-api/%s", emulator.url));
    tf.init();
    assert_eq!(tf.apply(&[])["ory_oauth2_client.legacy"], ["create"]);
    let state = tf.state_of("ory_oauth2_client.legacy");
    assert!(state["project_id"].is_null(), "{state}");
    let id = state["id"].as_str().unwrap();
    let (status, _, live) = emulator.data_call(&key, Method::GET, &slug, &format!("/admin/clients/{id}"), None);
    assert_eq!((status, live["client_name"].as_str()), (200, Some("legacy")));
    assert_no_changes(&tf.plan(&[]));
    assert_eq!(emulator.objects()["ory_project_api_key"].len(), 1, "no key made: the configured one serves");

    // The data sources, through the same key.
    tf.write(
        "data.tf",
        r#"
data "ory_oauth2_clients" "all" {
  depends_on = [ory_oauth2_client.legacy]
}

data "ory_oauth2_client" "one" {
  id = ory_oauth2_client.legacy.id
}

data "ory_identities" "all" {}

output "names" {
  value = [for c in data.ory_oauth2_clients.all.clients : c.client_name]
}

output "one" {
  value = data.ory_oauth2_client.one.grant_types
}

output "people" {
  value = length(data.ory_identities.all.identities)
}
"#,
    );
    tf.apply(&[]);
    let outputs: serde_json::Value = serde_json::from_str(&tf.run(&["output", "-json"]).stdout).unwrap();
    assert_eq!(outputs["names"]["value"], json!(["legacy"]));
    assert_eq!(outputs["one"]["value"], json!(["client_credentials"]));
    assert_eq!(outputs["people"]["value"], json!(0));
    std::fs::remove_file(tf.dir().join("data.tf")).unwrap();
    tf.run(&["destroy", "-auto-approve", "-input=false"]);
    assert!(emulator.objects()["ory_oauth2_client"].is_empty());

    // A console resource in the same block says what is missing.
    tf.write("project.tf", "resource \"ory_project\" \"p\" {\n  name = \"x\"\n}\n");
    let out = tf.try_run(&["apply", "-auto-approve", "-input=false"]).text();
    assert!(out.contains("workspace API key") && out.contains("ORY_WORKSPACE_API_KEY"), "{out}");
}

/// A project key and slug of project B, with `project_id` naming project
/// A: every data-plane resource would land in B while the state says A.
/// Refused before any write, naming both; and `allowed_project_ids` holds
/// for the project a slug is of, whether or not an ID names it.
#[test]
fn a_project_key_of_another_project_is_refused_before_any_write() {
    let emulator = Emulator::start();
    let a = emulator.new_project("a");
    let b = emulator.new_project("b");
    let slug = |p: &str| emulator.project(p)["slug"].as_str().unwrap().to_string();
    let (slug_a, slug_b) = (slug(&a), slug(&b));
    let key_b = emulator.project_key(&b);
    let mut tf = Tf::new(&emulator, "oauth2_client_own_project");
    tf.write(
        "main.tf",
        &format!(
            r#"{PROVIDER_BLOCKS}
resource "ory_identity" "person" {{
  schema_id = "preset://email"
  traits    = jsonencode({{ email = "person@example.com" }})
}}

resource "ory_oauth2_client" "named" {{
  project_id  = "{a}"
  client_name = "named"
  grant_types = ["client_credentials"]
}}
"#
        ),
    );
    tf.set_env("ORY_PROJECT_API_KEY", &key_b);
    tf.set_env("ORY_PROJECT_SLUG", &slug_b);
    tf.set_env("ORY_PROJECT_ID", &a);
    tf.set_env("ORY_ALLOWED_PROJECT_IDS", &a);
    tf.init();
    let written = || emulator.objects()["ory_identity"].len() + emulator.objects()["ory_oauth2_client"].len();
    let out = tf.try_run(&["apply", "-auto-approve", "-input=false"]).text();
    assert!(out.contains("project_slug is of another project"), "{out}");
    for named in [&a, &slug_a, &slug_b] {
        assert!(out.contains(named.as_str()), "{named} not named: {out}");
    }
    assert_eq!(written(), 0, "{out}");

    // No project ID at all: the key's project must be allowed all the same.
    tf.remove_env("ORY_PROJECT_ID");
    tf.write(
        "main.tf",
        &std::fs::read_to_string(tf.dir().join("main.tf")).unwrap().replace(&format!("project_id  = \"{a}\""), ""),
    );
    let out = tf.try_run(&["apply", "-auto-approve", "-input=false"]).text();
    assert!(out.contains(&format!("project {b} is not in allowed_project_ids")), "{out}");
    assert_eq!(written(), 0, "{out}");

    // Nor can a project key alone say which project it is of.
    tf.remove_env("ORY_WORKSPACE_API_KEY");
    let out = tf.try_run(&["apply", "-auto-approve", "-input=false"]).text();
    assert!(out.contains("cannot tell which project project_slug"), "{out}");
    assert_eq!(written(), 0, "{out}");

    // The key and slug of the project the ID names serve it.
    let key_a = emulator.project_key(&a);
    tf.set_env("ORY_WORKSPACE_API_KEY", &emulator.key);
    tf.set_env("ORY_PROJECT_ID", &a);
    tf.set_env("ORY_PROJECT_API_KEY", &key_a);
    tf.set_env("ORY_PROJECT_SLUG", &slug_a);
    let keys = emulator.objects()["ory_project_api_key"].len();
    tf.apply(&[]);
    assert_eq!(written(), 2);
    assert_eq!(emulator.objects()["ory_project_api_key"].len(), keys, "no key made: the configured one serves");
    let (status, _, listed) = emulator.data_call(&key_a, Method::GET, &slug_a, "/admin/clients", None);
    assert_eq!((status, listed.as_array().map(Vec::len)), (200, Some(1)));
}
