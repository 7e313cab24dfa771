//! `ory_json_web_key_set` end to end: keys Ory generates, whose public half
//! verifies what the private half signs, the private half in no log.

use base64::Engine;
use reqwest::Method;
use serde_json::{json, Value};

use crate::support::{assert_no_changes, Emulator, Tf, PROVIDER_BLOCKS};

const SIGNING: &str = "ory_json_web_key_set.signing";
const HMAC: &str = "ory_json_web_key_set.hmac";

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

fn unb64(text: &Value) -> Vec<u8> {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(text.as_str().unwrap()).unwrap()
}

/// A JWT signed with an RSA private JWK, by aws-lc-rs from its components.
fn signed_with(private: &Value, claims: &Value) -> String {
    use aws_lc_rs::rsa::{KeyPair, KeyPairComponents, PublicKeyComponents};
    let part = |name: &str| unb64(&private[name]);
    let (n, e, d, p, q, dp, dq, qi) =
        (part("n"), part("e"), part("d"), part("p"), part("q"), part("dp"), part("dq"), part("qi"));
    let components = KeyPairComponents {
        public_key: PublicKeyComponents { n: n.as_slice(), e: e.as_slice() },
        d: d.as_slice(),
        p: p.as_slice(),
        q: q.as_slice(),
        dP: dp.as_slice(),
        dQ: dq.as_slice(),
        qInv: qi.as_slice(),
    };
    let pair = KeyPair::from_components(&components).unwrap();
    let header = json!({"alg": "RS256", "typ": "JWT", "kid": private["kid"]});
    let input = format!("{}.{}", b64(header.to_string().as_bytes()), b64(claims.to_string().as_bytes()));
    let mut signature = vec![0; pair.public_modulus_len()];
    let rng = aws_lc_rs::rand::SystemRandom::new();
    pair.sign(&aws_lc_rs::signature::RSA_PKCS1_SHA256, &rng, input.as_bytes(), &mut signature).unwrap();
    format!("{input}.{}", b64(&signature))
}

#[test]
fn a_key_set_s_public_keys_verify_what_its_private_key_signs() {
    let emulator = Emulator::start();
    let mut tf = Tf::new(&emulator, "json_web_key_set");
    tf.init();

    // 1. Made with the project in one apply; then nothing to change.
    let actions = tf.apply(&[]);
    assert_eq!((&actions[SIGNING], &actions[HMAC]), (&vec!["create".to_string()], &vec!["create".to_string()]));
    assert_no_changes(&tf.plan(&[]));
    let signing = tf.state_of(SIGNING);
    let keys: Value = serde_json::from_str(signing["keys"].as_str().unwrap()).unwrap();
    let private = &keys["keys"][0];
    assert_eq!((private["kid"].as_str(), private["kty"].as_str()), (Some("signing-1"), Some("RSA")));
    let public: Value = serde_json::from_str(&tf.run(&["output", "-raw", "public_keys"]).stdout).unwrap();
    assert!(public["keys"][0].get("d").is_none() && public["keys"][0]["n"] == private["n"], "{public}");
    let hmac: Value = serde_json::from_str(tf.state_of(HMAC)["public_keys"].as_str().unwrap()).unwrap();
    assert_eq!(hmac, json!({"keys": []}), "an HMAC key has no public half");

    // 2. What the generated private key signs, the public key verifies (jsonwebtoken).
    let claims = json!({"sub": "ci", "aud": "api", "exp": 4_102_444_800u64});
    let token = signed_with(private, &claims);
    let jwk: jsonwebtoken::jwk::Jwk = serde_json::from_value(public["keys"][0].clone()).unwrap();
    let key = jsonwebtoken::DecodingKey::from_jwk(&jwk).unwrap();
    let mut validation = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::RS256);
    validation.set_audience(&["api"]);
    let decoded = jsonwebtoken::decode::<Value>(&token, &key, &validation).expect("the public key verifies it");
    assert_eq!(decoded.claims["sub"], "ci");
    let forged = format!("{}x", &token[..token.len() - 1]);
    assert!(jsonwebtoken::decode::<Value>(&forged, &key, &validation).is_err(), "a changed signature verifies");

    // 3. The private parts stay out of a trace.
    tf.set_env("TF_LOG", "trace");
    let traced = tf.run(&["plan", "-input=false"]).text();
    tf.remove_env("TF_LOG");
    assert!(traced.contains("ReadResource"), "a trace was written");
    for member in ["d", "p", "q"] {
        assert!(!traced.contains(private[member].as_str().unwrap()), "private {member} in the trace");
    }
    let hmac_secret = serde_json::from_str::<Value>(tf.state_of(HMAC)["keys"].as_str().unwrap()).unwrap();
    assert!(!traced.contains(hmac_secret["keys"][0]["k"].as_str().unwrap()), "an HMAC secret in the trace");

    // 4. A new algorithm replaces the set with a new key.
    let ec = [("algorithm", "ES256")];
    let replaced = tf.apply(&ec);
    assert_eq!(replaced[SIGNING], ["delete", "create"]);
    let now: Value = serde_json::from_str(tf.state_of(SIGNING)["keys"].as_str().unwrap()).unwrap();
    assert_eq!((now["keys"][0]["kty"].as_str(), now["keys"][0]["crv"].as_str()), (Some("EC"), Some("P-256")));
    assert_eq!(now["keys"].as_array().unwrap().len(), 1, "the old key went with its set");
    assert_no_changes(&tf.plan(&ec));

    // 5. Drift: a set deleted outside Terraform is made again.
    let project = tf.run(&["output", "-raw", "project_id"]).stdout;
    let slug = tf.run(&["output", "-raw", "slug"]).stdout;
    let key = emulator.project_key(&project);
    let (status, _, _) = emulator.data_call(&key, Method::DELETE, &slug, "/admin/keys/token-signing", None);
    assert_eq!(status, 204);
    assert_eq!(tf.plan(&ec)[SIGNING], ["create"]);
    tf.apply_saved();
    let (status, _, live) = emulator.data_call(&key, Method::GET, &slug, "/admin/keys/token-signing", None);
    assert_eq!((status, live["keys"][0]["kid"].as_str()), (200, Some("signing-1")));

    // 6. Import into a fresh state, with a no-op plan.
    let fresh = Tf::new(&emulator, "json_web_key_set");
    fresh.init();
    fresh.run(&["import", "-input=false", "ory_project.p", &project]);
    fresh.run(&["import", "-input=false", SIGNING, &format!("{project}/token-signing")]);
    fresh.run(&["import", "-input=false", HMAC, &format!("{project}/webhook-hmac")]);
    let mut imported = fresh.plan(&ec);
    assert_eq!(imported.remove("ory_project.p"), Some(vec!["update".to_string()]), "deletion protection");
    imported.remove("data.ory_json_web_key_set.signing");
    assert_no_changes(&imported);

    // 7. A key someone else put in the set under this kid is never replaced silently.
    tf.write(
        "taken.tf",
        "resource \"ory_json_web_key_set\" \"taken\" {\n  project_id = ory_project.p.id\n  set_id = \"shared\"\n  key_id = \"theirs\"\n  algorithm = \"HS512\"\n  use = \"sig\"\n}\n",
    );
    let made = json!({"alg": "HS256", "kid": "theirs", "use": "sig"});
    assert_eq!(emulator.data_call(&key, Method::POST, &slug, "/admin/keys/shared", Some(made)).0, 201);
    let out = tf.try_run(&["apply", "-auto-approve", "-input=false", "-var=algorithm=ES256"]).text();
    assert!(out.contains("already holds a key \"theirs\"") && out.contains("key_id"), "{out}");
    std::fs::remove_file(tf.dir().join("taken.tf")).unwrap();

    // 8. Destroy removes the sets.
    tf.run(&["destroy", "-auto-approve", "-input=false", "-var=algorithm=ES256"]);
    let all: Value = reqwest::blocking::get(format!("{}/__emulator/objects", emulator.url)).unwrap().json().unwrap();
    assert!(all["jwk_sets"].as_array().unwrap().is_empty(), "{}", all["jwk_sets"]);
}

#[test]
fn bad_key_sets_fail_at_plan_time_on_their_attribute() {
    let emulator = Emulator::start();
    let tf = Tf::new(&emulator, "json_web_key_set");
    tf.init();
    let before = emulator.requests().values().sum::<u64>();
    for (body, expect) in [
        ("set_id = \"a b\"\n  key_id = \"k\"\n  algorithm = \"RS256\"\n  use = \"sig\"", "set_id"),
        ("set_id = \"s\"\n  key_id = \"k/1\"\n  algorithm = \"RS256\"\n  use = \"sig\"", "key_id"),
        ("set_id = \"s\"\n  key_id = \"k\"\n  algorithm = \"RS512\"\n  use = \"sig\"", "algorithm"),
        ("set_id = \"s\"\n  key_id = \"k\"\n  algorithm = \"RS256\"\n  use = \"verify\"", "use"),
    ] {
        tf.write("bad.tf", &format!("resource \"ory_json_web_key_set\" \"bad\" {{\n  {body}\n}}\n"));
        let out = tf.plan_fails(&[]);
        assert!(out.contains(expect), "{body}: {out}");
    }
    assert_eq!(before, emulator.requests().values().sum::<u64>(), "refused before any call");
}

/// Two resources' keys in one set: destroying or replacing one deletes its
/// key alone, each state holds its own private key only, and a shared set
/// is imported key by key.
#[test]
fn resources_sharing_a_set_delete_only_their_own_key() {
    let emulator = Emulator::start();
    let project = emulator.new_project("shared keys");
    let tf = Tf::new(&emulator, "json_web_key_set");
    let config = |a_alg: &str| {
        format!(
            r#"{PROVIDER_BLOCKS}
resource "ory_json_web_key_set" "a" {{
  project_id = "{project}"
  set_id     = "shared"
  key_id     = "team-a"
  algorithm  = "{a_alg}"
  use        = "sig"
}}

resource "ory_json_web_key_set" "b" {{
  project_id = "{project}"
  set_id     = "shared"
  key_id     = "team-b"
  algorithm  = "ES256"
  use        = "sig"
}}
"#
        )
    };
    tf.write("main.tf", &config("RS256"));
    tf.init();
    tf.apply(&[]);
    let slug = emulator.project(&project)["slug"].as_str().unwrap().to_string();
    let key = emulator.project_key(&project);
    let live = |kid: &str| -> Option<Value> {
        let (status, _, body) =
            emulator.data_call(&key, reqwest::Method::GET, &slug, &format!("/admin/keys/shared/{kid}"), None);
        (status == 200).then(|| body["keys"][0].clone())
    };
    let b_before = live("team-b").expect("b's key");
    let own_keys = |address: &str| -> Vec<String> {
        let keys: Value = serde_json::from_str(tf.state_of(address)["keys"].as_str().unwrap()).unwrap();
        keys["keys"].as_array().unwrap().iter().map(|k| k["kid"].as_str().unwrap().to_string()).collect()
    };
    tf.run(&["apply", "-refresh-only", "-auto-approve", "-input=false"]);
    assert_eq!(own_keys("ory_json_web_key_set.a"), ["team-a"]);
    assert_eq!(own_keys("ory_json_web_key_set.b"), ["team-b"]);

    // Replacing a (a new algorithm) leaves b's key as it was.
    assert_no_changes(&tf.plan(&[]));
    tf.write("main.tf", &config("ES512"));
    assert_eq!(tf.apply(&[])["ory_json_web_key_set.a"], ["delete", "create"]);
    assert_eq!(live("team-b").as_ref(), Some(&b_before));
    assert_eq!(live("team-a").unwrap()["alg"], "ES512");

    // Destroying a alone leaves b's key, and b plans nothing.
    tf.run(&["destroy", "-auto-approve", "-input=false", "-target=ory_json_web_key_set.a"]);
    assert!(live("team-a").is_none());
    assert_eq!(live("team-b").as_ref(), Some(&b_before));
    let next = tf.plan(&[]);
    assert_eq!(next["ory_json_web_key_set.b"], ["no-op"], "{next:?}");

    // A set of several keys is imported by its key.
    tf.apply(&[]);
    let fresh = Tf::new(&emulator, "json_web_key_set");
    fresh.write("main.tf", &config("ES512"));
    fresh.init();
    let whole =
        fresh.try_run(&["import", "-input=false", "ory_json_web_key_set.b", &format!("{project}/shared")]).text();
    for named in ["team-a", "team-b", &format!("{project}/shared/<key_id>")] {
        assert!(whole.contains(named), "{named} not in: {whole}");
    }
    fresh.run(&["import", "-input=false", "ory_json_web_key_set.a", &format!("{project}/shared/team-a")]);
    fresh.run(&["import", "-input=false", "ory_json_web_key_set.b", &format!("{project}/shared/team-b")]);
    assert_no_changes(&fresh.plan(&[]));

    // Destroying both leaves no set.
    tf.run(&["destroy", "-auto-approve", "-input=false"]);
    let (status, _, _) = emulator.data_call(&key, reqwest::Method::GET, &slug, "/admin/keys/shared", None);
    assert_eq!(status, 404);
}
