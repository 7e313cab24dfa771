//! The data plane against self-hosted Ory: one configuration that names no
//! project, run against Ory Kratos and Ory Hydra built from their Go
//! modules (`make peers`), and against one project of the emulator through
//! its project key. What self-hosted Ory lacks is refused at plan time.

use std::collections::BTreeMap;

use reqwest::Method;
use serde_json::{json, Value};

use crate::support::hostile::{Answer, Hostile};
use crate::support::{assert_no_changes, emulator_bin, peers, skip, Emulator, Tf};

const RESOURCES: [&str; 6] = [
    "ory_identity.admin",
    "ory_oauth2_client.web",
    "ory_oauth2_client.machine",
    "ory_json_web_key_set.signing",
    "ory_trusted_oauth2_jwt_grant_issuer.ci",
    "ory_oidc_dynamic_client.partner",
];

fn sorted<'a>(names: &[&'a str]) -> Vec<&'a str> {
    let mut names = names.to_vec();
    names.sort_unstable();
    names
}

/// The resources' actions in a plan, data sources left out.
fn managed(mut actions: BTreeMap<String, Vec<String>>) -> BTreeMap<String, Vec<String>> {
    actions.retain(|address, _| !address.starts_with("data."));
    actions
}

/// Applies, changes, imports and destroys the `self_hosted` configuration
/// with `tf`; `look` reads a path of the admin APIs as the servers hold it.
/// `after_create` checks more after the first apply.
fn exercise(tf: &Tf, schema_id: &str, look: &dyn Fn(&str) -> (u16, Value), after_create: &dyn Fn()) {
    let vars = [("schema_id", schema_id)];
    tf.init();

    // 1. One apply makes everything; a plan after it changes nothing.
    let made = managed(tf.apply(&vars));
    assert_eq!(made.keys().map(String::as_str).collect::<Vec<_>>(), sorted(&RESOURCES), "{made:?}");
    assert!(made.values().all(|a| a == &["create"]), "{made:?}");
    assert_no_changes(&tf.plan(&vars));
    let output = |name: &str| tf.run(&["output", "-raw", name]).stdout;
    assert_eq!((output("identities"), output("clients"), output("public_keys")), ("1".into(), "3".into(), "1".into()));

    // What the servers hold is what the configuration says.
    let id_of = |address: &str| tf.state_of(address)["id"].as_str().unwrap().to_string();
    let identity = id_of("ory_identity.admin");
    let (status, admin) = look(&format!("/admin/identities/{identity}"));
    assert_eq!(
        (status, &admin["traits"], &admin["metadata_public"]),
        (200, &json!({"email": "admin@example.com"}), &json!({"role": "admin"}))
    );
    let web = id_of("ory_oauth2_client.web");
    let (status, client) = look(&format!("/admin/clients/{web}"));
    assert_eq!(
        (status, &client["client_name"], &client["audience"]),
        (200, &json!("Web"), &json!(["https://api.example.com"]))
    );
    let machine = id_of("ory_oauth2_client.machine");
    let (_, client) = look(&format!("/admin/clients/{machine}"));
    assert_eq!(client["client_credentials_grant_access_token_lifespan"], "30m0s", "{client}");
    assert_eq!(client["token_endpoint_auth_method"], "client_secret_post", "{client}");
    let (status, set) = look("/admin/keys/token-signing");
    assert_eq!((status, &set["keys"][0]["kid"]), (200, &json!("signing-1")), "{set}");
    let trust = id_of("ory_trusted_oauth2_jwt_grant_issuer.ci");
    let (status, issuer) = look(&format!("/admin/trust/grants/jwt-bearer/issuers/{trust}"));
    assert_eq!(
        (status, &issuer["issuer"], &issuer["subject"]),
        (200, &json!("https://ci.example.com"), &json!("deploy-bot"))
    );
    let partner = id_of("ory_oidc_dynamic_client.partner");
    assert_eq!(look(&format!("/admin/clients/{partner}")).0, 200);
    after_create();

    // 2. A change in place, and a plan after it that changes nothing.
    let changed = [("schema_id", schema_id), ("email", "root@example.com"), ("client_name", "Web 2")];
    let updated = managed(tf.apply(&changed));
    let updates: Vec<&str> =
        updated.iter().filter(|(_, a)| a.as_slice() == ["update"]).map(|(k, _)| k.as_str()).collect();
    assert_eq!(updates, ["ory_identity.admin", "ory_oauth2_client.web"], "{updated:?}");
    assert_no_changes(&tf.plan(&changed));
    assert_eq!(look(&format!("/admin/identities/{identity}")).1["traits"]["email"], "root@example.com");
    assert_eq!(look(&format!("/admin/clients/{web}")).1["client_name"], "Web 2");

    // 3. Import by the bare IDs, as self-hosted Ory has no projects (or the
    // provider's project key serves one): the imported resources plan no
    // change but two in place, for what no server shows back: the password
    // hash, sent again, and the trusted key, taken into the state.
    let fresh = Tf::with_env_of(tf, "self_hosted");
    fresh.init();
    for (address, id) in [
        ("ory_identity.admin", identity.as_str()),
        ("ory_oauth2_client.web", web.as_str()),
        ("ory_oauth2_client.machine", machine.as_str()),
        ("ory_json_web_key_set.signing", "token-signing"),
        ("ory_trusted_oauth2_jwt_grant_issuer.ci", trust.as_str()),
    ] {
        fresh.run(&["import", "-input=false", &format!("-var=schema_id={schema_id}"), address, id]);
    }
    let mut planned = managed(fresh.plan(&changed));
    assert_eq!(planned.remove("ory_identity.admin"), Some(vec!["update".to_string()]), "the hash is sent again");
    assert_eq!(planned.remove("ory_trusted_oauth2_jwt_grant_issuer.ci"), Some(vec!["update".to_string()]));
    assert_eq!(planned.remove("ory_oidc_dynamic_client.partner"), Some(vec!["create".to_string()]), "not imported");
    assert_no_changes(&planned);
    fresh.apply_saved();
    assert_no_changes(&fresh.plan(&changed));

    // 4. Destroy leaves nothing on the servers.
    for tf in [tf, &fresh] {
        tf.run(&["destroy", "-auto-approve", "-input=false", &format!("-var=schema_id={schema_id}")]);
    }
    assert_eq!(look("/admin/identities"), (200, json!([])));
    assert_eq!(look("/admin/clients"), (200, json!([])));
    for path in [
        format!("/admin/identities/{identity}"),
        format!("/admin/clients/{web}"),
        format!("/admin/clients/{machine}"),
        format!("/admin/clients/{partner}"),
        format!("/admin/trust/grants/jwt-bearer/issuers/{trust}"),
        "/admin/keys/token-signing".to_string(),
    ] {
        assert_eq!(look(&path).0, 404, "{path} is gone");
    }
}

#[test]
fn the_data_plane_works_against_self_hosted_kratos_and_hydra() {
    let test = "self_hosted::the_data_plane_works_against_self_hosted_kratos_and_hydra";
    let (Some(kratos), Some(hydra)) = (peers::kratos(), peers::hydra()) else {
        return skip(test, "Ory Kratos or Ory Hydra is not built (make peers builds both into .tools/)");
    };
    let mut tf = Tf::against("http://127.0.0.1:9", "self_hosted");
    for name in ["ORY_CONSOLE_API_URL", "ORY_WORKSPACE_API_KEY", "ORY_PROJECT_API_URL"] {
        tf.remove_env(name);
    }
    tf.set_env("ORY_KRATOS_ADMIN_URL", &kratos.admin);
    tf.set_env("ORY_HYDRA_ADMIN_URL", &hydra.admin);
    tf.set_env("ORY_HYDRA_PUBLIC_URL", &hydra.public);
    let look = |path: &str| if path.starts_with("/admin/identities") { kratos.get(path) } else { hydra.get(path) };
    // The password hash reached Kratos: the identity signs in with it.
    let signs_in = || {
        let http = reqwest::blocking::Client::new();
        let flow: Value = http.get(format!("{}/self-service/login/api", kratos.public)).send().unwrap().json().unwrap();
        let body = json!({"method": "password", "identifier": "admin@example.com", "password": "correct horse battery staple"});
        let url = format!("{}/self-service/login?flow={}", kratos.public, flow["id"].as_str().unwrap());
        let answer = http.post(url).json(&body).send().unwrap();
        assert_eq!(answer.status(), 200, "{}", answer.text().unwrap());
    };
    exercise(&tf, "default", &look, &signs_in);
}

#[test]
fn the_same_configuration_works_against_one_project_of_the_emulator() {
    let emulator = Emulator::start();
    let project = emulator.new_project("self-hosted-twin");
    // Registration is off until the project allows it, as on Ory Network.
    emulator.patch_project(
        &project,
        json!([{"op": "add", "path": "/services/oauth2/config/oidc", "value": {"dynamic_client_registration": {"enabled": true}}}]),
    );
    let slug = emulator.project(&project)["slug"].as_str().unwrap().to_string();
    let key = emulator.project_key(&project);
    let mut tf = Tf::new(&emulator, "self_hosted");
    tf.set_env("ORY_PROJECT_API_KEY", &key);
    tf.set_env("ORY_PROJECT_SLUG", &slug);
    let look = |path: &str| {
        let (status, _, body) = emulator.data_call(&key, Method::GET, &slug, path, None);
        (status, body)
    };
    // Parallel deletes at Ory can abort each other's transactions, as
    // Hydra's did here: the destroy sends them again.
    let aborts = || {
        let script: Vec<Value> = ["deleteOAuth2Client", "deleteIdentity"]
            .iter()
            .map(|operation| json!({"operation": operation, "kind": "aborted"}))
            .collect();
        emulator.faults(json!({"rate": 0, "script": script}));
    };
    exercise(&tf, "preset://email", &look, &aborts);
    assert_eq!(emulator.injected().get("aborted"), Some(&2), "{:?}", emulator.injected());
}

#[test]
fn what_self_hosted_ory_lacks_is_refused_at_plan_time_with_no_call() {
    let server = Hostile::start(|_| Answer::Json(500, "{}".into()));
    let mut tf = Tf::against(&server.url, "self_hosted");
    tf.remove_env("ORY_WORKSPACE_API_KEY");
    tf.set_env("ORY_KRATOS_ADMIN_URL", &server.url);
    tf.set_env("ORY_HYDRA_ADMIN_URL", &server.url);
    tf.write(
        "network.tf",
        "resource \"ory_project_config\" \"c\" {\n  cors_enabled = true\n}\n\nresource \"ory_relationship\" \"r\" {\n  namespace  = \"Group\"\n  object     = \"admins\"\n  relation   = \"members\"\n  subject_id = \"alice\"\n}\n\nresource \"ory_identity\" \"elsewhere\" {\n  project_id = \"3fa85f64-5717-4562-b3fc-2c963f66afa6\"\n  schema_id  = \"default\"\n  traits     = jsonencode({ email = \"x@example.com\" })\n}\n",
    );
    tf.init();
    let out = tf.plan_fails(&[("schema_id", "default")]);
    let flat = out.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flat.contains("Not in self-hosted Ory")
            && flat.contains("ory_project_config is managed through Ory Network's console API"),
        "{out}"
    );
    assert!(
        flat.contains("ory_relationship needs keto_read_url (ORY_KETO_READ_URL)")
            && flat.contains("keto_write_url (ORY_KETO_WRITE_URL)"),
        "{out}"
    );
    assert!(flat.contains("ory_oidc_dynamic_client needs hydra_public_url (ORY_HYDRA_PUBLIC_URL)"), "{out}");
    assert!(flat.contains("project_id with self-hosted Ory") && flat.contains("Leave project_id out"), "{out}");
    assert!(server.requests().is_empty(), "no call was made: {:?}", server.requests());

    // One provider block is Ory Network or self-hosted Ory, never both.
    tf.write(
        "main.tf",
        &std::fs::read_to_string(tf.dir().join("main.tf"))
            .unwrap()
            .replace("provider \"ory\" {}", "provider \"ory\" {\n  workspace_api_key = \"ory_wak_abc\"\n}"),
    );
    let out = tf.plan_fails(&[("schema_id", "default")]);
    let flat = out.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains("workspace_api_key is a setting of Ory Network, and this provider block names self-hosted Ory servers (kratos_admin_url, hydra_admin_url)"), "{out}");
    assert!(server.requests().is_empty(), "no call was made: {:?}", server.requests());
}

#[test]
fn the_emulator_answers_as_kratos_and_hydra_do_but_where_its_docs_say_why_not() {
    let test = "self_hosted::the_emulator_answers_as_kratos_and_hydra_do_but_where_its_docs_say_why_not";
    let (Some(kratos), Some(hydra)) = (peers::binary("KRATOS", "kratos"), peers::binary("HYDRA", "hydra")) else {
        return skip(test, "Ory Kratos or Ory Hydra is not built (make peers builds both into .tools/)");
    };
    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/differential.py");
    let out = std::process::Command::new("python3")
        .arg(script)
        .env("EMULATOR", emulator_bin())
        .env("KRATOS", kratos)
        .env("HYDRA", hydra)
        .output()
        .expect("run scripts/differential.py");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "a difference docs/emulator.md does not list:\n{text}");
    assert!(text.contains("Hydra: 18 of 19 steps answered alike; 2 differences"), "{text}");
    assert!(text.contains("Kratos: 10 of 20 steps answered alike"), "{text}");
}
