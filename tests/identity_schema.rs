//! `ory_identity_schema` end to end.

use base64::Engine;
use serde_json::{json, Value};

use crate::support::{assert_no_changes, Emulator, Tf, PROVIDER_BLOCKS};

const S: &str = "ory_identity_schema.s";
const SCHEMAS: &str = "/services/identity/config/identity/schemas";
const DEFAULT: &str = "/services/identity/config/identity/default_schema_id";

/// The project's schemas, their content decoded, by ID.
fn schemas(emulator: &Emulator, project: &str) -> Vec<(String, Value)> {
    let doc = emulator.project(project);
    let list = doc.pointer(SCHEMAS).and_then(Value::as_array).cloned().unwrap_or_default();
    list.iter()
        .map(|s| {
            let url = s["url"].as_str().unwrap();
            let bytes =
                base64::engine::general_purpose::STANDARD.decode(url.strip_prefix("base64://").unwrap()).unwrap();
            (s["id"].as_str().unwrap().to_string(), serde_json::from_slice(&bytes).unwrap())
        })
        .collect()
}

/// The project document without its schemas, revision and times: what no
/// schema resource may change.
fn the_rest(emulator: &Emulator, project: &str) -> Value {
    let mut doc = emulator.project(project);
    let identity = doc.pointer_mut("/services/identity/config/identity").unwrap().as_object_mut().unwrap();
    identity.remove("schemas");
    identity.remove("default_schema_id");
    for volatile in ["revision_id", "updated_at"] {
        doc.as_object_mut().unwrap().remove(volatile);
    }
    doc
}

#[test]
fn an_identity_schema_lives_in_the_document_and_only_there() {
    let emulator = Emulator::start();
    let project = emulator.new_project("schemas");
    let p = ("project_id", project.as_str());
    let tf = Tf::new(&emulator, "identity_schema");
    tf.init();
    let before = the_rest(&emulator, &project);

    // 1. Create, as the default.
    assert_eq!(tf.apply(&[p])[S], ["create"]);
    let live = schemas(&emulator, &project);
    assert_eq!(live.iter().map(|(id, _)| id.as_str()).collect::<Vec<_>>(), ["preset://email", "customer_v1"]);
    assert_eq!(live[1].1["title"], "Customer");
    assert_eq!(emulator.project(&project).pointer(DEFAULT), Some(&json!("customer_v1")));
    assert_eq!(tf.state_of(S)["id"], format!("{project}/customer_v1"));
    assert_eq!(the_rest(&emulator, &project), before, "nothing else changed");

    // The data sources read it back.
    let reader = Tf::new(&emulator, "identity_schema");
    reader.write(
        "main.tf",
        &format!(
            "terraform {{\n  required_providers {{\n    ory = {{ source = \"terraform.local/ory/ory\" }}\n  }}\n}}\nprovider \"ory\" {{}}\ndata \"ory_identity_schema\" \"one\" {{\n  project_id = \"{project}\"\n  id = \"customer_v1\"\n}}\ndata \"ory_identity_schemas\" \"all\" {{\n  project_id = \"{project}\"\n}}\noutput \"one\" {{ value = data.ory_identity_schema.one }}\noutput \"all\" {{ value = data.ory_identity_schemas.all.schemas }}\n"
        ),
    );
    reader.init();
    reader.run(&["apply", "-auto-approve", "-input=false"]);
    let outputs: Value = serde_json::from_str(&reader.run(&["output", "-json"]).stdout).unwrap();
    let one = &outputs["one"]["value"];
    assert_eq!(one["is_default"], true);
    assert_eq!(serde_json::from_str::<Value>(one["schema"].as_str().unwrap()).unwrap(), live[1].1);
    let all = outputs["all"]["value"].as_array().unwrap();
    let ids: Vec<(&str, bool)> =
        all.iter().map(|s| (s["id"].as_str().unwrap(), s["is_default"].as_bool().unwrap())).collect();
    assert_eq!(ids, [("preset://email", false), ("customer_v1", true)]);

    // 2. No changes; the same JSON spelled otherwise is no change either.
    assert_no_changes(&tf.plan(&[p]));
    let spelled = serde_json::to_string_pretty(&live[1].1).unwrap();
    assert_no_changes(&tf.plan(&[p, ("schema", &spelled)]));

    // 3. Drift: another default, put back in place; nothing else touched.
    emulator.patch_project(&project, json!([{"op": "replace", "path": DEFAULT, "value": "preset://email"}]));
    assert_eq!(tf.plan(&[p])[S], ["update"]);
    tf.apply_saved();
    assert_eq!(emulator.project(&project).pointer(DEFAULT), Some(&json!("customer_v1")));
    assert_eq!(the_rest(&emulator, &project), before);

    // 4. Import, with a no-op plan.
    let fresh = Tf::new(&emulator, "identity_schema");
    fresh.init();
    fresh.run(&["import", "-input=false", &format!("-var=project_id={project}"), S, &format!("{project}/customer_v1")]);
    assert_no_changes(&fresh.plan(&[p]));

    // 5. New content needs a new ID (identities refer to it): replaced, the
    //    new one made the default before the old one leaves.
    assert_eq!(tf.apply(&[p, ("schema_id", "customer_v2"), ("title", "Customer 2")])[S], ["create", "delete"]);
    let live = schemas(&emulator, &project);
    assert_eq!(live.iter().map(|(id, _)| id.as_str()).collect::<Vec<_>>(), ["preset://email", "customer_v2"]);
    assert_eq!(emulator.project(&project).pointer(DEFAULT), Some(&json!("customer_v2")));

    // 6. The same content under another ID is refused.
    let twin = Tf::new(&emulator, "identity_schema");
    twin.init();
    let refused = twin.try_run(&[
        "apply",
        "-auto-approve",
        "-input=false",
        &format!("-var=project_id={project}"),
        "-var=schema_id=copy",
        "-var=title=Customer 2",
        "-var=set_default=false",
    ]);
    assert!(
        !refused.ok && refused.text().contains("already has this content as the identity schema \"customer_v2\""),
        "{}",
        refused.text()
    );

    // 7. Destroying the default schema leaves it in the project, for its
    // identities and new ones, and says so; once another schema is the
    // default, destroying it removes it.
    let vars = [
        "-auto-approve".to_string(),
        "-input=false".to_string(),
        format!("-var=project_id={project}"),
        "-var=schema_id=customer_v2".to_string(),
        "-var=title=Customer 2".to_string(),
    ];
    let vars: Vec<&str> = vars.iter().map(String::as_str).collect();
    let kept = tf.run(&[&["destroy"][..], &vars].concat()).text();
    assert!(kept.contains("Left at Ory") && kept.contains("removed from the state only"), "{kept}");
    assert!(tf.state_ids().is_empty());
    assert_eq!(schemas(&emulator, &project).len(), 2, "the default stays");
    assert_eq!(emulator.project(&project).pointer(DEFAULT), Some(&json!("customer_v2")));
    emulator.patch_project(&project, json!([{"op": "replace", "path": DEFAULT, "value": "preset://email"}]));
    tf.run(&["import", "-input=false", &format!("-var=project_id={project}"), S, &format!("{project}/customer_v2")]);
    tf.run(&[&["destroy"][..], &vars, &["-var=set_default=false"][..]].concat());
    assert_eq!(schemas(&emulator, &project).len(), 1, "only the preset is left");
    assert_eq!(the_rest(&emulator, &project), before);
}

#[test]
fn bad_identity_schemas_fail_at_plan_time_on_their_attribute() {
    let emulator = Emulator::start();
    let project = emulator.new_project("bad-schemas");
    let tf = Tf::new(&emulator, "identity_schema");
    tf.init();
    let p = ("project_id", project.as_str());
    let cases: [(&[(&str, &str)], &str); 6] = [
        (&[p, ("schema", "{not json")], "schema must be JSON"),
        (&[p, ("schema", "[1]")], "must be a JSON object"),
        (&[p, ("schema", r#"{"type":"objekt","properties":{"traits":{}}}"#)], "is not a valid JSON Schema"),
        (&[p, ("schema", r#"{"type":"object"}"#)], "properties.traits"),
        (&[p, ("schema_id", "preset://email")], "Ory's preset schemas"),
        (&[p, ("schema_id", "two words")], "without spaces"),
    ];
    for (vars, expected) in cases {
        let text = tf.plan_fails(vars);
        assert!(text.contains(expected), "{vars:?}: {text}");
        assert!(text.contains("with ory_identity_schema.s"), "{vars:?}: {text}");
    }
    let writes = ["patchProjectWithRevision", "patchProject", "setProject"];
    assert!(writes.iter().all(|w| emulator.count(w) == 0), "{:?}", emulator.requests());
}

/// Issue 34, item 13: destroying a whole configuration that holds a
/// project, its default schema and identities that follow it succeeds and
/// leaves no state.
#[test]
fn a_project_with_its_default_schema_and_identities_is_destroyed_whole() {
    let emulator = Emulator::start();
    let tf = Tf::new(&emulator, "identity_schema");
    tf.write(
        "main.tf",
        &format!(
            r#"{PROVIDER_BLOCKS}
resource "ory_project" "p" {{
  name                = "whole"
  environment         = "dev"
  deletion_protection = false
}}

resource "ory_identity_schema" "customer" {{
  project_id  = ory_project.p.id
  schema_id   = "customer"
  set_default = true
  schema = jsonencode({{
    "$schema" = "http://json-schema.org/draft-07/schema#"
    type      = "object"
    properties = {{
      traits = {{
        type       = "object"
        properties = {{ email = {{ type = "string", format = "email" }} }}
      }}
    }}
  }})
}}

resource "ory_identity" "person" {{
  project_id = ory_project.p.id
  schema_id  = ory_identity_schema.customer.schema_id
  traits     = jsonencode({{ email = "person@example.com" }})
}}
"#
        ),
    );
    tf.init();
    tf.apply(&[]);
    assert_eq!(emulator.objects()["ory_identity"].len(), 1);
    tf.run(&["destroy", "-auto-approve", "-input=false"]);
    assert!(tf.state_ids().is_empty());
    assert!(emulator.objects()["ory_identity"].is_empty());
    let live: Vec<_> = emulator.objects()["ory_project"].clone();
    assert!(live.is_empty(), "{live:?}");
}
