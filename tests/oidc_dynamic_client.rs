//! `ory_oidc_dynamic_client` end to end: a client registered with no
//! project key and reached by its own registration access token, which
//! every update replaces.

use reqwest::Method;
use serde_json::json;

use crate::support::{assert_no_changes, Emulator, Tf};

const APP: &str = "ory_oidc_dynamic_client.app";

fn clients(emulator: &Emulator) -> Vec<String> {
    emulator.objects()["ory_oauth2_client"].clone()
}

#[test]
fn a_dynamic_client_is_reached_by_its_registration_token_alone() {
    let emulator = Emulator::start();
    let mut tf = Tf::new(&emulator, "oidc_dynamic_client");
    tf.init();

    // 1. Registered once the project allows it, with no project key made
    // for it; the token and the secret are kept as sensitive values.
    let keys_made = emulator.count("createProjectApiKey");
    assert_eq!(tf.apply(&[])[APP], ["create"]);
    assert_eq!(emulator.count("createProjectApiKey"), keys_made, "registration needs no project key");
    let made = tf.state_of(APP);
    let (id, token) =
        (made["id"].as_str().unwrap().to_string(), made["registration_access_token"].as_str().unwrap().to_string());
    assert!(!made["client_secret"].as_str().unwrap().is_empty());
    assert!(made["registration_client_uri"].as_str().unwrap().ends_with(&format!("/oauth2/register/{id}")));
    assert_eq!(clients(&emulator), std::slice::from_ref(&id));
    let project = tf.run(&["output", "-raw", "project_id"]).stdout;
    let slug = tf.run(&["output", "-raw", "slug"]).stdout;
    let path = format!("/oauth2/register/{id}");
    assert_eq!(emulator.data_call(&token, Method::GET, &slug, &path, None).0, 200);

    // 2. Nothing to change; the refresh read the client with its token.
    let reads = emulator.count("getOidcDynamicClient");
    assert_no_changes(&tf.plan(&[]));
    assert_eq!(emulator.count("getOidcDynamicClient"), reads + 1);

    // 3. Neither the token nor the secret reaches a trace.
    tf.set_env("TF_LOG", "trace");
    let traced = tf.run(&["plan", "-input=false"]).text();
    tf.remove_env("TF_LOG");
    assert!(traced.contains("ReadResource"), "a trace was written");
    assert!(!traced.contains(&token), "the registration token in a trace");
    assert!(!traced.contains(made["client_secret"].as_str().unwrap()), "the client secret in a trace");

    // 4. An update in place replaces the token: the state holds the new
    // one, the old one opens nothing, the secret and ID stay, and what the
    // resource does not model (set here through the admin API) stays too.
    let key = emulator.project_key(&project);
    let (_, _, mut live) = emulator.data_call(&key, Method::GET, &slug, &format!("/admin/clients/{id}"), None);
    live["client_uri"] = json!("https://partner.example.com");
    let (status, _, _) = emulator.data_call(&key, Method::PUT, &slug, &format!("/admin/clients/{id}"), Some(live));
    assert_eq!(status, 200);
    assert_eq!(tf.apply(&[("client_name", "partner-app-v2")])[APP], ["update"]);
    let updated = tf.state_of(APP);
    let new_token = updated["registration_access_token"].as_str().unwrap().to_string();
    assert_ne!(new_token, token);
    assert_eq!((&updated["id"], &updated["client_secret"]), (&made["id"], &made["client_secret"]));
    assert_eq!(emulator.data_call(&token, Method::GET, &slug, &path, None).0, 401);
    let (_, _, read) = emulator.data_call(&new_token, Method::GET, &slug, &path, None);
    assert_eq!(
        (&read["client_name"], &read["client_uri"]),
        (&json!("partner-app-v2"), &json!("https://partner.example.com"))
    );
    assert_no_changes(&tf.plan(&[("client_name", "partner-app-v2")]));

    // 5. Drift: a client deleted outside Terraform is registered again.
    assert_eq!(emulator.data_call(&new_token, Method::DELETE, &slug, &path, None).0, 204);
    assert_eq!(tf.plan(&[("client_name", "partner-app-v2")])[APP], ["create"]);
    tf.apply_saved();
    let id = tf.state_of(APP)["id"].as_str().unwrap().to_string();

    // 6. An update whose answer is lost after Ory replaced the token: the
    // resend meets the old token (401), and the update goes through the
    // admin API with a project key; from then on the client is reached that
    // way, never taken for gone, and nothing blames the workspace key.
    emulator.faults(json!({"script": [{"operation": "setOidcDynamicClient", "kind": "commit_then_drop"}]}));
    let out = tf.run(&["apply", "-auto-approve", "-input=false", "-var=client_name=partner-app-v3"]).text();
    assert!(out.contains("Reached with a project key from now on"), "{out}");
    assert!(!out.contains("workspace API key"), "{out}");
    let recovered = tf.state_of(APP);
    assert!(recovered["registration_access_token"].is_null(), "{recovered}");
    assert_eq!((&recovered["id"], &recovered["client_name"]), (&json!(id), &json!("partner-app-v3")));
    assert_eq!(clients(&emulator), std::slice::from_ref(&id));
    assert_no_changes(&tf.plan(&[("client_name", "partner-app-v3")]));
    assert_eq!(tf.apply(&[("client_name", "partner-app-v2")])[APP], ["update"]);
    assert_no_changes(&tf.plan(&[("client_name", "partner-app-v2")]));

    // 7. Registered again, then updated outside Terraform: the refresh
    // finds the client with a project key and says so; it is kept, and a
    // change still applies in place; imported, it is the same.
    tf.run(&["state", "rm", APP]);
    assert_eq!(emulator.data_call(&key, Method::DELETE, &slug, &format!("/admin/clients/{id}"), None).0, 204);
    tf.apply(&[("client_name", "partner-app-v2")]);
    let again = tf.state_of(APP);
    let (id, token) =
        (again["id"].as_str().unwrap().to_string(), again["registration_access_token"].as_str().unwrap().to_string());
    let path = format!("/oauth2/register/{id}");
    let same = json!({"client_name": "partner-app-v2", "grant_types": ["authorization_code", "refresh_token"],
        "response_types": ["code"], "scope": "openid offline_access", "redirect_uris": ["https://partner.example.com/callback"]});
    let (status, _, _) = emulator.data_call(&token, Method::PUT, &slug, &path, Some(same));
    assert_eq!(status, 200);
    let out =
        tf.run(&["apply", "-refresh-only", "-auto-approve", "-input=false", "-var=client_name=partner-app-v2"]).text();
    assert!(out.contains("no longer opens it"), "{out}");
    assert!(tf.state_of(APP)["registration_access_token"].is_null());
    assert_eq!(clients(&emulator), std::slice::from_ref(&id));
    assert_eq!(tf.apply(&[("client_name", "partner-app-v3")])[APP], ["update"]);
    tf.run(&["state", "rm", APP]);
    tf.run(&["import", "-input=false", APP, &format!("{project}/{id}")]);
    assert_no_changes(&tf.plan(&[("client_name", "partner-app-v3")]));

    // 8. A project that does not allow registration refuses it, saying how.
    tf.write(
        "closed.tf",
        "resource \"ory_project\" \"closed\" {\n  name = \"closed\"\n  environment = \"dev\"\n  deletion_protection = false\n}\nresource \"ory_oidc_dynamic_client\" \"closed\" {\n  project_id = ory_project.closed.id\n  client_name = \"x\"\n}\n",
    );
    let out = tf.try_run(&["apply", "-auto-approve", "-input=false", "-var=client_name=partner-app-v3"]).text();
    assert!(out.contains("Dynamic client registration is off") && out.contains("dynamic_client_registration"), "{out}");

    // 9. Destroy leaves no client.
    std::fs::remove_file(tf.dir().join("closed.tf")).unwrap();
    tf.run(&["destroy", "-auto-approve", "-input=false", "-var=client_name=partner-app-v3"]);
    assert!(clients(&emulator).is_empty());
}
