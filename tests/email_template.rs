//! `ory_email_template` end to end.

use base64::Engine;
use serde_json::{json, Value};

use crate::support::{assert_no_changes, Emulator, Tf};

const T: &str = "ory_email_template.t";
const TEMPLATE: &str = "/services/identity/config/courier/templates/recovery_code/valid/email";

fn text(doc: &Value, pointer: &str) -> String {
    let url = doc.pointer(pointer).and_then(Value::as_str).unwrap_or_else(|| panic!("no {pointer} in {doc}"));
    let bytes = base64::engine::general_purpose::STANDARD.decode(url.strip_prefix("base64://").unwrap()).unwrap();
    String::from_utf8(bytes).unwrap()
}

/// The document without its templates, revision and times.
fn the_rest(emulator: &Emulator, project: &str) -> Value {
    let mut doc = emulator.project(project);
    doc.pointer_mut("/services/identity/config/courier").unwrap().as_object_mut().unwrap().remove("templates");
    for volatile in ["revision_id", "updated_at"] {
        doc.as_object_mut().unwrap().remove(volatile);
    }
    doc
}

#[test]
fn an_email_template_is_written_as_text_and_destroy_brings_back_ory_s_own() {
    let emulator = Emulator::start();
    let project = emulator.new_project("templates");
    let p = ("project_id", project.as_str());
    let tf = Tf::new(&emulator, "email_template");
    tf.init();
    let before = the_rest(&emulator, &project);

    // 1. Create, with SMTP settings in the same run: both land.
    let smtp = "smtps://mailer:p4ss@mail.example.com:465";
    assert_eq!(tf.apply(&[p, ("smtp_uri", smtp)])[T], ["create"]);
    let doc = emulator.project(&project);
    assert_eq!(text(&doc, &format!("{TEMPLATE}/subject")), "Your recovery code");
    assert_eq!(text(&doc, &format!("{TEMPLATE}/body/plaintext")), "Your code: {{ .RecoveryCode }}");
    assert_eq!(doc.pointer("/services/identity/config/courier/smtp/connection_uri"), Some(&json!(smtp)));
    assert_no_changes(&tf.plan(&[p, ("smtp_uri", smtp)]));

    // 2. In place; drift repaired; nothing else touched.
    assert_eq!(tf.apply(&[p, ("smtp_uri", smtp), ("subject", "Recover your account")])[T], ["update"]);
    let changed = format!("base64://{}", base64::engine::general_purpose::STANDARD.encode("Changed outside"));
    emulator
        .patch_project(&project, json!([{"op": "replace", "path": format!("{TEMPLATE}/subject"), "value": changed}]));
    assert_eq!(tf.plan(&[p, ("smtp_uri", smtp), ("subject", "Recover your account")])[T], ["update"]);
    tf.apply_saved();
    assert_eq!(text(&emulator.project(&project), &format!("{TEMPLATE}/subject")), "Recover your account");

    // 3. Import, with a no-op plan.
    let fresh = Tf::new(&emulator, "email_template");
    fresh.init();
    let id = format!("{project}/recovery_code/valid");
    fresh.run(&[
        "import",
        "-input=false",
        &format!("-var=project_id={project}"),
        "-var=subject=Recover your account",
        T,
        &id,
    ]);
    assert_no_changes(&fresh.plan(&[p, ("subject", "Recover your account")]));

    // 4. Destroy removes it: Ory sends its own template again.
    tf.run(&[
        "destroy",
        "-auto-approve",
        "-input=false",
        &format!("-var=project_id={project}"),
        "-var=subject=Recover your account",
    ]);
    assert_eq!(emulator.project(&project).pointer(TEMPLATE), None);
    let mut rest = the_rest(&emulator, &project);
    rest.pointer_mut("/services/identity/config/courier/smtp")
        .unwrap()
        .as_object_mut()
        .unwrap()
        .remove("connection_uri");
    let mut expected = before;
    expected.pointer_mut("/services/identity/config/courier/smtp").unwrap()["from_name"] = json!("Acme");
    assert_eq!(rest, expected, "only the SMTP settings, which the configuration resource released, remain changed");
}

#[test]
fn bad_email_templates_fail_at_plan_time_on_their_attribute() {
    let emulator = Emulator::start();
    let project = emulator.new_project("bad-templates");
    let tf = Tf::new(&emulator, "email_template");
    tf.init();
    let p = ("project_id", project.as_str());
    let cases: [(&[(&str, &str)], &str); 4] = [
        (&[p, ("template_type", "welcome")], "template_type must be one of"),
        (&[p, ("template_type", "login_code"), ("variant", "invalid")], "has no \"invalid\" template"),
        (&[p, ("variant", "maybe")], "variant must be one of valid, invalid"),
        (&[p, ("subject", " ")], "subject is empty"),
    ];
    for (vars, expected) in cases {
        let text = tf.plan_fails(vars);
        assert!(text.contains(expected), "{vars:?}: {text}");
        assert!(text.contains("with ory_email_template.t"), "{vars:?}: {text}");
    }
    let writes = ["patchProjectWithRevision", "patchProject", "setProject"];
    assert!(writes.iter().all(|w| emulator.count(w) == 0), "{:?}", emulator.requests());
}
