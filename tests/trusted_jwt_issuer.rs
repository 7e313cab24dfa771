//! `ory_trusted_oauth2_jwt_grant_issuer` end to end: a trust Ory cannot
//! change, replaced on every real change and never on a spelling.

use reqwest::Method;

use crate::support::{assert_no_changes, Emulator, Tf};

const CI: &str = "ory_trusted_oauth2_jwt_grant_issuer.ci";

fn writes(emulator: &Emulator) -> u64 {
    ["trustOAuth2JwtGrantIssuer", "deleteTrustedOAuth2JwtGrantIssuer"].iter().map(|op| emulator.count(op)).sum()
}

#[test]
fn a_trusted_issuer_is_replaced_on_change_and_kept_through_an_import() {
    let emulator = Emulator::start();
    let tf = Tf::new(&emulator, "trusted_jwt_issuer");
    tf.init();

    // 1. Made with its project; then nothing to change.
    assert_eq!(tf.apply(&[])[CI], ["create"]);
    let made = tf.state_of(CI);
    assert_eq!((made["key_id"].as_str(), made["subject"].as_str()), (Some("ci-2026"), Some("deploy-bot")));
    assert_no_changes(&tf.plan(&[]));

    // 2. Ory cannot change a trust: new scopes replace it.
    let scopes = [("scope", r#"["openid","offline"]"#)];
    assert_eq!(tf.apply(&scopes)[CI], ["delete", "create"]);
    let replaced = tf.state_of(CI);
    assert_ne!(replaced["id"], made["id"]);
    assert_no_changes(&tf.plan(&scopes));

    // 3. The same expiry spelled otherwise changes the state alone.
    let respelled = [scopes[0], ("expires_at", "2099-01-01T01:00:00+01:00")];
    let before = writes(&emulator);
    assert_eq!(tf.apply(&respelled)[CI], ["update"]);
    assert_eq!(writes(&emulator), before, "a spelling reached Ory");
    assert_eq!(tf.state_of(CI)["id"], replaced["id"]);
    assert_no_changes(&tf.plan(&respelled));

    // 4. Drift: a trust deleted outside Terraform is made again.
    let project = tf.run(&["output", "-raw", "project_id"]).stdout;
    let slug = tf.run(&["output", "-raw", "slug"]).stdout;
    let key = emulator.project_key(&project);
    let path = format!("/admin/trust/grants/jwt-bearer/issuers/{}", replaced["id"].as_str().unwrap());
    assert_eq!(emulator.data_call(&key, Method::DELETE, &slug, &path, None).0, 204);
    assert_eq!(tf.plan(&respelled)[CI], ["create"]);
    tf.apply_saved();
    let id = tf.state_of(CI)["id"].as_str().unwrap().to_string();

    // 5. Import: Ory never shows the key, so the first plan writes the
    // configured one into the state (its kid is the one Ory holds), and
    // sends nothing.
    let fresh = Tf::new(&emulator, "trusted_jwt_issuer");
    fresh.init();
    fresh.run(&["import", "-input=false", "ory_project.p", &project]);
    fresh.run(&["import", "-input=false", CI, &format!("{project}/{id}")]);
    let mut imported = fresh.plan(&respelled);
    assert_eq!(imported.remove("ory_project.p"), Some(vec!["update".to_string()]), "deletion protection");
    assert_eq!(imported.remove(CI), Some(vec!["update".to_string()]), "the key into the state, in place");
    assert_no_changes(&imported);
    let before = writes(&emulator);
    fresh.apply_saved();
    assert_eq!(writes(&emulator), before, "an import's key reached Ory");
    assert_no_changes(&fresh.plan(&respelled));

    // 6. Destroy leaves no trust.
    tf.run(&["destroy", "-auto-approve", "-input=false", r#"-var=scope=["openid","offline"]"#]);
    let all: serde_json::Value =
        reqwest::blocking::get(format!("{}/__emulator/objects", emulator.url)).unwrap().json().unwrap();
    assert!(all["trust_grants"].as_array().unwrap().is_empty(), "{}", all["trust_grants"]);
}

#[test]
fn bad_trusts_fail_at_plan_time_on_their_attribute() {
    let emulator = Emulator::start();
    let tf = Tf::new(&emulator, "trusted_jwt_issuer");
    tf.init();
    let before = emulator.requests().values().sum::<u64>();
    let key = r#"jsonencode({ kty = "EC", kid = "k", x = "a", y = "b" })"#;
    for (body, expect) in [
        (format!("subject = \"a\"\n  allow_any_subject = true\n  jwk = {key}"), "not both"),
        (format!("jwk = {key}"), "not neither"),
        (
            "subject = \"a\"\n  jwk = jsonencode({ kty = \"EC\", kid = \"k\", d = \"secret\" })".to_string(),
            "private member",
        ),
        ("subject = \"a\"\n  jwk = jsonencode({ kty = \"EC\" })".to_string(), "needs kty and kid"),
        (format!("subject = \"a\"\n  jwk = {key}\n  expires_at = \"2020-01-01T00:00:00Z\""), "expires_at"),
        (format!("subject = \"a\"\n  jwk = {key}\n  scope = [\"openid\", \"openid\"]"), "more than once"),
    ] {
        let expires = if body.contains("expires_at") { "" } else { "\n  expires_at = \"2099-01-01T00:00:00Z\"" };
        let scope = if body.contains("scope") { "" } else { "\n  scope = [\"openid\"]" };
        tf.write(
            "bad.tf",
            &format!(
                "resource \"ory_trusted_oauth2_jwt_grant_issuer\" \"bad\" {{\n  issuer = \"https://idp.example.com\"\n  {body}{expires}{scope}\n}}\n"
            ),
        );
        let out = tf.plan_fails(&[]);
        assert!(out.contains(expect), "{body}: {out}");
    }
    assert_eq!(before, emulator.requests().values().sum::<u64>(), "refused before any call");
}
