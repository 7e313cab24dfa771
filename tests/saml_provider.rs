//! `ory_saml_provider` end to end.

use base64::Engine;
use serde_json::{json, Value};

use crate::support::{assert_no_changes, Emulator, Tf};

const S: &str = "ory_saml_provider.acme";
const PROVIDERS: &str = "/services/identity/config/selfservice/methods/saml/config/providers";
const METADATA: &str = r#"<EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://idp.acme.example.com"><IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"><KeyDescriptor use="signing"><KeyInfo xmlns="http://www.w3.org/2000/09/xmldsig#"><X509Data><X509Certificate>MIIC</X509Certificate></X509Data></KeyInfo></KeyDescriptor><SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.acme.example.com/sso"/></IDPSSODescriptor></EntityDescriptor>"#;

/// The project document without the SAML method, revision and times.
fn the_rest(emulator: &Emulator, project: &str) -> Value {
    let mut doc = emulator.project(project);
    let methods = doc.pointer_mut("/services/identity/config/selfservice/methods").unwrap().as_object_mut().unwrap();
    methods.remove("saml");
    for volatile in ["revision_id", "updated_at"] {
        doc.as_object_mut().unwrap().remove(volatile);
    }
    doc
}

fn entry(emulator: &Emulator, project: &str) -> Option<Value> {
    let doc = emulator.project(project);
    doc.pointer(PROVIDERS).and_then(Value::as_array).into_iter().flatten().find(|p| p["id"] == "acme").cloned()
}

#[test]
fn a_saml_provider_owns_its_entry() {
    let emulator = Emulator::start();
    let project = emulator.new_project_in("saml", "prod");
    let (p, m) = (("project_id", project.as_str()), ("metadata", METADATA));
    let tf = Tf::new(&emulator, "saml_provider");
    tf.init();
    let before = the_rest(&emulator, &project);

    // 1. Create: the XML goes as base64://, and reads back as XML.
    assert_eq!(tf.apply(&[p, m])[S], ["create"]);
    let live = entry(&emulator, &project).unwrap();
    let sent = live["raw_idp_metadata_xml"].as_str().unwrap().strip_prefix("base64://").unwrap().to_string();
    assert_eq!(base64::engine::general_purpose::STANDARD.decode(sent).unwrap(), METADATA.as_bytes());
    assert_eq!(live["label"], "Acme SSO");
    assert_eq!(
        emulator.project(&project).pointer("/services/identity/config/selfservice/methods/saml/enabled"),
        Some(&json!(true))
    );
    assert_no_changes(&tf.plan(&[p, m]));
    assert_eq!(the_rest(&emulator, &project), before, "nothing else changed");

    // 2. In place, keeping what the console set.
    emulator
        .patch_project(&project, json!([{"op": "add", "path": format!("{PROVIDERS}/0/state"), "value": "enabled"}]));
    assert_eq!(tf.apply(&[p, m, ("label", "Acme")])[S], ["update"]);
    let live = entry(&emulator, &project).unwrap();
    assert_eq!((&live["label"], &live["state"]), (&json!("Acme"), &json!("enabled")));

    // 3. Import, with a no-op plan.
    let fresh = Tf::new(&emulator, "saml_provider");
    fresh.init();
    let (pv, mv) = (format!("-var=project_id={project}"), format!("-var=metadata={METADATA}"));
    fresh.run(&["import", "-input=false", &pv, &mv, "-var=label=Acme", S, &format!("{project}/acme")]);
    assert_no_changes(&fresh.plan(&[p, m, ("label", "Acme")]));
    // Every form of metadata the resource takes imports with no change: the
    // base64:// URL of the XML, padded or not.
    for encoded in [
        base64::engine::general_purpose::STANDARD.encode(METADATA),
        base64::engine::general_purpose::STANDARD_NO_PAD.encode(METADATA),
    ] {
        let url = format!("base64://{encoded}");
        let fresh = Tf::new(&emulator, "saml_provider");
        fresh.init();
        let uv = format!("-var=metadata={url}");
        fresh.run(&["import", "-input=false", &pv, &uv, "-var=label=Acme", S, &format!("{project}/acme")]);
        assert_no_changes(&fresh.plan(&[p, ("metadata", &url), ("label", "Acme")]));
    }

    // 4. Destroy.
    tf.run(&["destroy", "-auto-approve", "-input=false", &pv, &mv, "-var=label=Acme"]);
    assert!(entry(&emulator, &project).is_none());
    assert_eq!(the_rest(&emulator, &project), before);
}

#[test]
fn bad_saml_providers_fail_at_plan_time_on_their_attribute() {
    let emulator = Emulator::start();
    let project = emulator.new_project_in("bad-saml", "prod");
    let tf = Tf::new(&emulator, "saml_provider");
    tf.init();
    let p = ("project_id", project.as_str());
    let cases: [(&[(&str, &str)], &str); 4] = [
        (&[p, ("metadata", "<EntityDescriptor/>")], "lacks IDPSSODescriptor, KeyDescriptor, SingleSignOnService"),
        (&[p, ("metadata", "base64://%%%")], "does not hold base64"),
        (&[p, ("metadata", "not xml at all")], "must be the metadata's XML"),
        (&[p, ("metadata", METADATA), ("provider_id", "a/b")], "must be 1 to 64 letters"),
    ];
    for (vars, expected) in cases {
        let text = tf.plan_fails(vars);
        assert!(text.contains(expected), "{vars:?}: {text}");
        assert!(text.contains("with ory_saml_provider.acme"), "{vars:?}: {text}");
    }
    let writes = ["patchProjectWithRevision", "patchProject", "setProject"];
    assert!(writes.iter().all(|w| emulator.count(w) == 0), "{:?}", emulator.requests());
}
