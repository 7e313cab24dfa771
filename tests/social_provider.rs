//! `ory_social_provider` end to end.

use serde_json::{json, Value};

use crate::support::{assert_no_changes, skip, terraform_version, Emulator, Tf};

const S: &str = "ory_social_provider.google";
const PROVIDERS: &str = "/services/identity/config/selfservice/methods/oidc/config/providers";
const SECRET: &str = "g00gle-client-s3cret";

fn entry(emulator: &Emulator, project: &str) -> Option<Value> {
    let doc = emulator.project(project);
    let list = doc.pointer(PROVIDERS).and_then(Value::as_array).cloned().unwrap_or_default();
    list.into_iter().find(|p| p["id"] == "google")
}

/// The project document without the providers list, revision and times.
fn the_rest(emulator: &Emulator, project: &str) -> Value {
    let mut doc = emulator.project(project);
    let oidc = doc.pointer_mut("/services/identity/config/selfservice/methods/oidc").unwrap().as_object_mut().unwrap();
    oidc.remove("config");
    oidc.remove("enabled");
    for volatile in ["revision_id", "updated_at"] {
        doc.as_object_mut().unwrap().remove(volatile);
    }
    doc
}

#[test]
fn a_social_provider_owns_its_entry_and_keeps_what_it_does_not_set() {
    let emulator = Emulator::start();
    let project = emulator.new_project("social");
    let p = ("project_id", project.as_str());
    let mut tf = Tf::new(&emulator, "social_provider");
    tf.init();
    tf.set_env("TF_VAR_client_secret", SECRET);
    tf.set_env("TF_LOG", "trace");
    let before = the_rest(&emulator, &project);
    let mut output = String::new();

    // 1. Create: the entry, with a default mapper, and the OIDC method on.
    let run = tf.run(&["apply", "-auto-approve", "-input=false", &format!("-var=project_id={project}")]);
    output.push_str(&run.text());
    let live = entry(&emulator, &project).unwrap();
    assert_eq!(
        (&live["provider"], &live["client_id"], &live["client_secret"]),
        (&json!("google"), &json!("google-client-id"), &json!(SECRET))
    );
    assert_eq!(live["scope"], json!(["email", "profile"]));
    assert!(live["mapper_url"].as_str().unwrap().starts_with("base64://"));
    let doc = emulator.project(&project);
    assert_eq!(doc.pointer("/services/identity/config/selfservice/methods/oidc/enabled"), Some(&json!(true)));
    assert_eq!(the_rest(&emulator, &project), before, "nothing else changed");
    assert_no_changes(&tf.plan(&[p]));

    // 2. Set in the console, outside Terraform: a setting the configuration
    //    leaves out, and a key the resource does not model. Neither is drift,
    //    and an update keeps both.
    let at = format!("{PROVIDERS}/0");
    emulator.patch_project(
        &project,
        json!([
            {"op": "add", "path": format!("{at}/pkce"), "value": "force"},
            {"op": "add", "path": format!("{at}/net_id_token_origin_header"), "value": "X-Origin"},
        ]),
    );
    assert_no_changes(&tf.plan(&[p]));
    let run = tf.run(&[
        "apply",
        "-auto-approve",
        "-input=false",
        &format!("-var=project_id={project}"),
        "-var=label=Sign in with Google",
    ]);
    output.push_str(&run.text());
    let live = entry(&emulator, &project).unwrap();
    assert_eq!(
        (&live["label"], &live["pkce"], &live["net_id_token_origin_header"]),
        (&json!("Sign in with Google"), &json!("force"), &json!("X-Origin"))
    );
    assert_eq!(live["client_secret"], SECRET, "a secret unchanged is kept");

    // 3. Drift on what it sets: repaired, the rest untouched.
    emulator.patch_project(&project, json!([{"op": "replace", "path": format!("{at}/client_id"), "value": "changed"}]));
    let label = ("label", "Sign in with Google");
    assert_eq!(tf.plan(&[p, label])[S], ["update"]);
    tf.apply_saved();
    let live = entry(&emulator, &project).unwrap();
    assert_eq!((&live["client_id"], &live["pkce"]), (&json!("google-client-id"), &json!("force")));

    // 4. The mapper as Jsonnet source: sent as base64://, read back as source.
    let source = "local claims = std.extVar('claims');\n{ identity: { traits: { email: claims.email } } }\n";
    assert_eq!(tf.apply(&[p, label, ("mapper", source)])[S], ["update"]);
    assert_no_changes(&tf.plan(&[p, label, ("mapper", source)]));

    // 5. Import: the secret is never read back, so it is sent once.
    let mut fresh = Tf::new(&emulator, "social_provider");
    fresh.init();
    fresh.set_env("TF_VAR_client_secret", SECRET);
    let vars = [
        format!("-var=project_id={project}"),
        "-var=label=Sign in with Google".to_string(),
        format!("-var=mapper={source}"),
    ];
    let import_id = format!("{project}/google");
    let mut args: Vec<&str> = vec!["import", "-input=false"];
    args.extend(vars.iter().map(String::as_str));
    args.extend([S, import_id.as_str()]);
    fresh.run(&args);
    assert_eq!(fresh.plan(&[p, label, ("mapper", source)])[S], ["update"], "the secret, once");
    fresh.apply_saved();
    assert_no_changes(&fresh.plan(&[p, label, ("mapper", source)]));

    // 6. Destroy: the entry goes, the rest of the document stays.
    let run = tf.run(&[
        "destroy",
        "-auto-approve",
        "-input=false",
        &format!("-var=project_id={project}"),
        "-var=label=Sign in with Google",
        &format!("-var=mapper={source}"),
    ]);
    output.push_str(&run.text());
    assert!(entry(&emulator, &project).is_none());
    assert_eq!(the_rest(&emulator, &project), before);
    assert!(output.contains("provider.terraform-provider-ory"), "the provider's own lines are in the log");
    assert!(!output.contains(SECRET), "the client secret is in no log line");
}

#[test]
fn bad_social_providers_fail_at_plan_time_on_their_attribute() {
    let emulator = Emulator::start();
    let project = emulator.new_project("bad-social");
    let tf = Tf::new(&emulator, "social_provider");
    tf.init();
    let p = ("project_id", project.as_str());
    let s = ("client_secret", "s3cret");
    let cases: [(&[(&str, &str)], &str); 8] = [
        (&[p], "provider_type \"google\" needs client_secret or client_secret_wo"),
        (&[p, s, ("provider_type", "generic")], "needs issuer_url"),
        (&[p, ("provider_type", "apple")], "provider_type \"apple\" without client_secret needs apple_team_id"),
        (&[p, s, ("tenant", "common")], "tenant is only for provider_type \"microsoft\""),
        (&[p, s, ("provider_id", "has space")], "must be 1 to 64 letters"),
        (&[p, s, ("pkce", "always")], "pkce must be one of auto, force, never"),
        (&[p, s, ("requested_claims", "[1]")], "requested_claims"),
        (&[p, s, ("provider_type", "myspace")], "provider_type must be one of"),
    ];
    for (vars, expected) in cases {
        let text = tf.plan_fails(vars);
        assert!(text.contains(expected), "{vars:?}: {text}");
        assert!(text.contains("with ory_social_provider.google"), "{vars:?}: {text}");
    }
    let writes = ["patchProjectWithRevision", "patchProject", "setProject"];
    assert!(writes.iter().all(|w| emulator.count(w) == 0), "{:?}", emulator.requests());
}

#[test]
fn a_write_only_client_secret_reaches_ory_and_never_the_state() {
    let version = terraform_version();
    if version < (1, 11) {
        let why = format!("write-only attributes need Terraform 1.11 or later; this is {}.{}", version.0, version.1);
        skip("a_write_only_client_secret_reaches_ory_and_never_the_state", &why);
        return;
    }
    let emulator = Emulator::start();
    let project = emulator.new_project("social-wo");
    let mut tf = Tf::new(&emulator, "social_provider");
    tf.init();
    let apply = |tf: &Tf, version: &str| {
        tf.run(&[
            "apply",
            "-auto-approve",
            "-input=false",
            &format!("-var=project_id={project}"),
            &format!("-var=secret_version={version}"),
        ]);
    };
    tf.set_env("TF_VAR_client_secret_wo", "write-0nly-one");
    apply(&tf, "1");
    assert_eq!(entry(&emulator, &project).unwrap()["client_secret"], "write-0nly-one");
    let state = std::fs::read_to_string(tf.dir().join("terraform.tfstate")).unwrap();
    assert!(!state.contains("write-0nly-one"), "a write-only secret is not in the state");
    let p = ("project_id", project.as_str());
    assert_no_changes(&tf.plan(&[p, ("secret_version", "1")]));
    // A new value alone is not seen; a new version sends it.
    tf.set_env("TF_VAR_client_secret_wo", "write-0nly-two");
    assert_no_changes(&tf.plan(&[p, ("secret_version", "1")]));
    apply(&tf, "2");
    assert_eq!(entry(&emulator, &project).unwrap()["client_secret"], "write-0nly-two");
    let state = std::fs::read_to_string(tf.dir().join("terraform.tfstate")).unwrap();
    assert!(!state.contains("write-0nly-two"));
}
