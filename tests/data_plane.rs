//! The data plane from a cold start: a workspace, two projects, and in each
//! an identity and two OAuth2 clients, in one apply with one provider block.

use std::collections::BTreeMap;

use reqwest::Method;

use crate::support::{assert_exactly, assert_no_changes, Emulator, Tf, PROVIDER_BLOCKS};

#[test]
fn two_new_projects_get_identities_and_clients_in_one_apply_and_leave_nothing() {
    let emulator = Emulator::start();
    let before = emulator.objects();
    let tf = Tf::new(&emulator, "data_plane");
    tf.init();

    // 1. One apply from an empty state.
    let mut actions = tf.apply(&[]);
    assert_eq!(actions.remove("data.ory_project_api_keys.shop"), Some(vec!["read".to_string()]));
    assert_eq!(actions.len(), 9, "{actions:?}");
    assert!(actions.values().all(|a| a == &["create"]), "{actions:?}");
    let everything = [
        ("ory_workspace", 1),
        ("ory_project", 2),
        ("ory_identity", 2),
        ("ory_oauth2_client", 4),
        ("ory_project_api_key", 0),
    ];
    assert_exactly(&tf, &emulator, &before, &everything);
    assert_no_changes(&tf.plan(&[]));
    assert_exactly(&tf, &emulator, &before, &everything);
    let shop_keys = tf.run(&["output", "-raw", "shop_keys"]).stdout;
    assert_eq!(shop_keys, "0", "the run's temporary key is listed as the project's");

    // Each identity and client is in its own project, out of the other's reach.
    let shop = tf.state_of("ory_project.p[\"shop\"]");
    let blog = tf.state_of("ory_project.p[\"blog\"]");
    let slug = |p: &serde_json::Value| p["slug"].as_str().unwrap().to_string();
    let (shop_key, blog_key) =
        (emulator.project_key(shop["id"].as_str().unwrap()), emulator.project_key(blog["id"].as_str().unwrap()));
    // The test's own keys, which the project deletes take with them.
    let with_test_keys = emulator.objects();
    let shop_client = tf.state_of("ory_oauth2_client.web[\"shop\"]")["id"].as_str().unwrap().to_string();
    let blog_admin = tf.state_of("ory_identity.admin[\"blog\"]");
    assert_eq!(blog_admin["verifiable_addresses"], serde_json::json!(["admin@blog.example.com"]));
    let path = format!("/admin/clients/{shop_client}");
    assert_eq!(emulator.data_call(&shop_key, Method::GET, &slug(&shop), &path, None).0, 200);
    assert_eq!(
        emulator.data_call(&blog_key, Method::GET, &slug(&blog), &path, None).0,
        404,
        "blog's API has no shop client"
    );
    assert_eq!(
        emulator.data_call(&blog_key, Method::GET, &slug(&shop), &path, None).0,
        401,
        "blog's key opens shop's API"
    );

    // 2. What Ory cannot change in place replaces: the client gets a new ID
    // and secret, the old one is gone, the web clients are untouched.
    let machine = |p: &str| tf.state_of(&format!("ory_oauth2_client.machine[\"{p}\"]"));
    let old: BTreeMap<&str, serde_json::Value> = [("shop", machine("shop")), ("blog", machine("blog"))].into();
    let vars = [("machine_auth", "client_secret_basic")];
    let mut replaced = tf.apply(&vars);
    replaced.retain(|_, actions| actions != &["no-op"]);
    let want: BTreeMap<String, Vec<String>> = ["blog", "shop"]
        .iter()
        .map(|p| (format!("ory_oauth2_client.machine[\"{p}\"]"), vec!["delete".to_string(), "create".to_string()]))
        .collect();
    assert_eq!(replaced, want);
    for (project, before_replace) in &old {
        let now = machine(project);
        assert_ne!(now["id"], before_replace["id"]);
        assert_ne!(now["client_secret"], before_replace["client_secret"]);
        assert_eq!(now["token_endpoint_auth_method"], "client_secret_basic");
    }
    assert_exactly(&tf, &emulator, &with_test_keys, &everything);
    assert_no_changes(&tf.plan(&vars));

    // 3. Destroy leaves nothing but the workspace, which Ory cannot delete,
    // and no key the provider made.
    let destroyed = tf.run(&["destroy", "-auto-approve", "-input=false", "-var=machine_auth=client_secret_basic"]);
    assert!(destroyed.text().contains("Workspace still exists in Ory Network"), "{}", destroyed.text());
    let after = emulator.objects();
    let left: Vec<_> = after
        .iter()
        .filter(|(kind, ids)| kind.as_str() != "ory_workspace" && ids.len() != before[kind.as_str()].len())
        .collect();
    assert!(left.is_empty(), "left behind: {left:?}");
    assert_eq!(after["ory_workspace"].len(), before["ory_workspace"].len() + 1);
}

/// Issue 34, item 20: a refresh of 301 relationships, a key set, a trust
/// and a dynamic client of one project makes the fewest calls: the
/// project listed once (its slug, shared by every resource that opens its
/// API at once, and by the refresh of any `ory_project` in the same run), one key made (with the listing of keys that a create
/// recovers by) and deleted, one listing of the namespace, and one read
/// each of the set, the trusts and the dynamic client: 8 (9 before).
#[test]
fn a_mixed_refresh_of_one_project_reads_the_project_once() {
    let emulator = Emulator::start();
    let project = emulator.new_project("mixed");
    let opl = "class User implements Namespace {}\nclass Document implements Namespace {\n  related: { viewers: User[] }\n}\n";
    let encoded = base64::Engine::encode(&base64::engine::general_purpose::STANDARD, opl);
    emulator.patch_project(
        &project,
        serde_json::json!([
            {"op": "replace", "path": "/services/permission/config/namespaces", "value": {"location": format!("base64://{encoded}")}},
            {"op": "add", "path": "/services/oauth2/config/oidc", "value": {"dynamic_client_registration": {"enabled": true}}},
        ]),
    );
    let tf = Tf::new(&emulator, "data_plane");
    tf.write(
        "main.tf",
        &format!(
            r#"{PROVIDER_BLOCKS}
resource "ory_relationship" "viewer" {{
  count      = 301
  project_id = "{project}"
  namespace  = "Document"
  object     = "doc-${{count.index}}"
  relation   = "viewers"
  subject_id = "user-${{count.index}}"
}}

resource "ory_json_web_key_set" "signing" {{
  project_id = "{project}"
  set_id     = "signing"
  key_id     = "k1"
  algorithm  = "ES256"
  use        = "sig"
}}

resource "ory_trusted_oauth2_jwt_grant_issuer" "ci" {{
  project_id = "{project}"
  issuer     = "https://ci.example.com"
  subject    = "deploy-bot"
  scope      = ["openid"]
  expires_at = "2099-01-01T00:00:00Z"
  jwk = jsonencode({{
    kty = "EC", crv = "P-256", alg = "ES256", use = "sig", kid = "ci-2026"
    x   = "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU"
    y   = "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"
  }})
}}

resource "ory_oidc_dynamic_client" "app" {{
  project_id  = "{project}"
  client_name = "app"
}}
"#
        ),
    );
    tf.init();
    tf.apply(&[]);
    let before = emulator.requests();
    assert_no_changes(&tf.plan(&[]));
    let calls: BTreeMap<String, u64> = emulator
        .requests()
        .into_iter()
        .map(|(op, n)| (op.clone(), n - before.get(&op).copied().unwrap_or(0)))
        .filter(|(_, n)| *n > 0)
        .collect();
    let expected: BTreeMap<String, u64> = [
        ("listProjects", 1),
        ("listProjectApiKeys", 1),
        ("createProjectApiKey", 1),
        ("getRelationships", 1),
        ("getJsonWebKeySet", 1),
        ("listTrustedOAuth2JwtGrantIssuers", 1),
        ("getOidcDynamicClient", 1),
        ("deleteProjectApiKey", 1),
    ]
    .into_iter()
    .map(|(op, n)| (op.to_string(), n))
    .collect();
    assert_eq!(calls, expected, "{} calls", calls.values().sum::<u64>());
}
