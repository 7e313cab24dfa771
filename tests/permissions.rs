//! Ory Permissions as code, end to end: `ory_permission_model` (checked by
//! Ory's `validateOpl` at plan time) and the `ory_relationship` tuples in
//! its namespaces, in one run.

use reqwest::Method;
use serde_json::{json, Value};

use crate::support::{assert_no_changes, Emulator, Tf};

const MODEL: &str = "ory_permission_model.m";
const READER: &str = "ory_relationship.reader";
const EDITORS: &str = "ory_relationship.engineers_edit";

fn writes(emulator: &Emulator) -> u64 {
    ["patchProject", "setProject", "createRelationship", "deleteRelationships"]
        .iter()
        .map(|op| emulator.count(op))
        .sum()
}

fn tuples(emulator: &Emulator) -> Vec<String> {
    let all: serde_json::Value =
        reqwest::blocking::get(format!("{}/__emulator/objects", emulator.url)).unwrap().json().unwrap();
    let mut found: Vec<String> = all["relationships"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            format!(
                "{}:{}#{}",
                t["namespace"].as_str().unwrap(),
                t["object"].as_str().unwrap(),
                t["relation"].as_str().unwrap()
            )
        })
        .collect();
    found.sort();
    found
}

#[test]
fn a_permission_model_and_its_relationships_apply_in_one_run() {
    let emulator = Emulator::start();
    let tf = Tf::new(&emulator, "permissions");
    tf.init();

    // 1. The model, then the tuples in its namespaces, in one apply; the
    // data source reads them back.
    let made = tf.apply(&[]);
    assert_eq!(
        (made[MODEL].clone(), made[READER].clone(), made[EDITORS].clone()),
        (vec!["create".into()], vec!["create".into()], vec!["create".into()])
    );
    assert_eq!(tuples(&emulator), ["Document:readme#editors", "Document:readme#viewers"]);
    assert_eq!(tf.state_of(READER)["id"], "Document:readme#viewers@alice");
    assert_eq!(tf.state_of(EDITORS)["id"], "Document:readme#editors@Group:engineering#members");
    let readme = tf.run(&["output", "-json", "readme"]).stdout;
    assert!(
        readme.contains("Document:readme#viewers@alice") && readme.contains("@Group:engineering#members"),
        "{readme}"
    );
    let project = tf.run(&["output", "-raw", "project_id"]).stdout;
    let slug = tf.run(&["output", "-raw", "slug"]).stdout;
    let location = emulator.project(&project)["services"]["permission"]["config"]["namespaces"]["location"].clone();
    assert!(location.as_str().unwrap().starts_with("base64://"), "{location}");

    // 2. Nothing to change; the refresh of both tuples read one listing of
    // their namespace (and the data source its own query), no read per tuple.
    let lists = emulator.count("getRelationships");
    assert_no_changes(&tf.plan(&[]));
    assert_eq!(emulator.count("getRelationships") - lists, 2, "one listing for the tuples, one for the data source");

    // 2b. What the tuples mean: Keto's check, through the emulator. Carol
    // may view the readme because she is a member of the group whose
    // members are its editors, and `view` includes `edit`; Dave may not.
    let key = emulator.project_key(&project);
    let carol = json!({"namespace": "Group", "object": "engineering", "relation": "members", "subject_id": "carol"});
    assert_eq!(emulator.data_call(&key, Method::PUT, &slug, "/admin/relation-tuples", Some(carol)).0, 201);
    let check = |path: &str, who: &str| {
        let query = format!("{path}?namespace=Document&object=readme&relation=view&subject_id={who}");
        let (status, _, body) = emulator.data_call(&key, Method::GET, &slug, &query, None);
        (status, body["allowed"].clone())
    };
    assert_eq!(check("/relation-tuples/check/openapi", "carol"), (200, json!(true)));
    assert_eq!(check("/relation-tuples/check/openapi", "dave"), (200, json!(false)));
    assert_eq!(check("/relation-tuples/check", "carol"), (200, json!(true)));
    assert_eq!(check("/relation-tuples/check", "dave"), (403, json!(false)));
    let batch = json!({"tuples": [
        {"namespace": "Document", "object": "readme", "relation": "edit", "subject_id": "carol"},
        {"namespace": "Document", "object": "readme", "relation": "edit", "subject_id": "dave"},
        {"namespace": "Nowhere", "object": "readme", "relation": "edit", "subject_id": "carol"},
    ]});
    let (status, _, body) = emulator.data_call(&key, Method::POST, &slug, "/relation-tuples/batch/check", Some(batch));
    assert_eq!(status, 200, "{body}");
    let allowed: Vec<&Value> = body["results"].as_array().unwrap().iter().map(|r| &r["allowed"]).collect();
    assert_eq!(allowed, [&json!(true), &json!(false), &json!(false)], "{body}");
    assert!(body["results"][2]["error"].is_string(), "{body}");
    // A subject set without a relation (`User:erin`), the usual subject of
    // a strict-mode model: written, checked, removed.
    let erin = json!({"namespace": "Document", "object": "readme", "relation": "viewers",
        "subject_set": {"namespace": "User", "object": "erin", "relation": ""}});
    assert_eq!(emulator.data_call(&key, Method::PUT, &slug, "/admin/relation-tuples", Some(erin)).0, 201);
    let as_erin = "/relation-tuples/check/openapi?namespace=Document&object=readme&relation=view&subject_set.namespace=User&subject_set.object=erin&subject_set.relation=";
    assert_eq!(emulator.data_call(&key, Method::GET, &slug, as_erin, None).2["allowed"], json!(true));
    let erin_gone = "/admin/relation-tuples?namespace=Document&object=readme&relation=viewers&subject_set.namespace=User&subject_set.object=erin&subject_set.relation=";
    assert_eq!(emulator.data_call(&key, Method::DELETE, &slug, erin_gone, None).0, 204);
    // Who edits it, as Keto expands it: the group. (A new project is in
    // Keto's strict mode, whose expansion shows subject sets only, so not
    // Carol, a subject ID.)
    let expand = "/relation-tuples/expand?namespace=Document&object=readme&relation=editors";
    let (status, _, tree) = emulator.data_call(&key, Method::GET, &slug, expand, None);
    assert_eq!(status, 200, "{tree}");
    assert_eq!(tree["children"][0]["tuple"]["subject_set"]["object"], "engineering", "{tree}");
    let query = "/admin/relation-tuples?namespace=Group&object=engineering&relation=members&subject_id=carol";
    assert_eq!(emulator.data_call(&key, Method::DELETE, &slug, query, None).0, 204);

    // 3. A mistake in the model fails the plan on `opl`, with Ory's line
    // and column, and nothing is written.
    tf.write(
        "broken.ts",
        &std::fs::read_to_string(tf.dir().join("permissions.ts")).unwrap().replace("members: User[]", "members: Usr[]"),
    );
    let before = writes(&emulator);
    let out = tf.plan_fails(&[("opl_file", "broken.ts")]);
    assert!(out.contains("Invalid permission model"), "{out}");
    assert!(out.contains("line 7, column 13: namespace \"Usr\" was not declared"), "{out}");
    assert!(out.contains("ory_permission_model.m") && out.contains("opl"), "not on the attribute: {out}");
    assert_eq!(writes(&emulator), before, "a broken model reached Ory");

    // 4. A new subject replaces its tuple; a new namespace updates the
    // model in place.
    assert_eq!(tf.apply(&[("reader", "bob")])[READER], ["delete", "create"]);
    assert_eq!(tf.state_of(READER)["id"], "Document:readme#viewers@bob");
    let extended =
        std::fs::read_to_string(tf.dir().join("permissions.ts")).unwrap() + "\nclass Folder implements Namespace {}\n";
    tf.write("extended.ts", &extended);
    let vars = [("reader", "bob"), ("opl_file", "extended.ts")];
    assert_eq!(tf.apply(&vars)[MODEL], ["update"]);
    assert_no_changes(&tf.plan(&vars));

    // 5. Drift: a tuple deleted and the model set back to the legacy list
    // outside Terraform are both planned back, and repaired.
    let query = "/admin/relation-tuples?namespace=Document&object=readme&relation=viewers&subject_id=bob";
    assert_eq!(emulator.data_call(&key, Method::DELETE, &slug, query, None).0, 204);
    let legacy = serde_json::json!([{"op": "replace", "path": "/services/permission/config/namespaces", "value": [{"id": 0, "name": "Document"}]}]);
    emulator.patch_project(&project, legacy);
    let drift = tf.plan(&vars);
    assert_eq!((drift[MODEL].clone(), drift[READER].clone()), (vec!["update".into()], vec!["create".into()]));
    tf.apply_saved();
    assert_no_changes(&tf.plan(&vars));

    // 6. Import: the model by its project, the tuples in Keto's notation.
    let fresh = Tf::new(&emulator, "permissions");
    fresh.init();
    fresh.write("extended.ts", &extended);
    fresh.run(&["import", "-input=false", "ory_project.p", &project]);
    fresh.run(&["import", "-input=false", MODEL, &project]);
    fresh.run(&["import", "-input=false", READER, &format!("{project}/Document:readme#viewers@bob")]);
    fresh.run(&[
        "import",
        "-input=false",
        EDITORS,
        &format!("{project}/Document:readme#editors@Group:engineering#members"),
    ]);
    let mut imported = fresh.plan(&vars);
    assert_eq!(imported.remove("ory_project.p"), Some(vec!["update".to_string()]), "deletion protection");
    assert_no_changes(&imported);

    // 7. A tuple in a namespace the model does not declare is refused with
    // the namespaces it does, and nothing is written.
    tf.write(
        "stray.tf",
        "resource \"ory_relationship\" \"stray\" {\n  project_id = ory_project.p.id\n  namespace  = \"Folders\"\n  object     = \"x\"\n  relation   = \"owners\"\n  subject_id = \"alice\"\n}\n",
    );
    let out = tf.try_run(&["apply", "-auto-approve", "-input=false", "-var=reader=bob", "-var=opl_file=extended.ts"]);
    let text = out.text();
    assert!(text.contains("Unknown namespace") && text.contains("declares no namespace \"Folders\""), "{text}");
    assert!(text.contains("\"User\", \"Group\", \"Document\", \"Folder\""), "{text}");
    assert_eq!(tuples(&emulator).len(), 2);
    std::fs::remove_file(tf.dir().join("stray.tf")).unwrap();

    // 8. Destroy leaves no tuple and no model, even with a mistake in the
    // OPL being destroyed: what is destroyed is not judged by its content.
    tf.write("broken.ts", &extended.replacen("members: User[]", "members: Usr[]", 1));
    let broken = ["-var=reader=bob", "-var=opl_file=broken.ts"];
    assert!(tf.try_run(&[&["plan", "-input=false"][..], &broken].concat()).text().contains("Invalid permission model"));
    tf.run(&[&["destroy", "-auto-approve", "-input=false"][..], &broken].concat());
    assert!(tuples(&emulator).is_empty());
}

#[test]
fn bad_relationships_and_models_fail_at_plan_time_on_their_attribute() {
    let emulator = Emulator::start();
    let tf = Tf::new(&emulator, "permissions");
    tf.init();
    let before = emulator.requests().values().sum::<u64>();
    for (body, expect) in [
        ("namespace = \"D\"\n  object = \"o\"\n  relation = \"r\"", "not neither"),
        (
            "namespace = \"D\"\n  object = \"o\"\n  relation = \"r\"\n  subject_id = \"a\"\n  subject_set_namespace = \"G\"\n  subject_set_object = \"g\"\n  subject_set_relation = \"m\"",
            "not both",
        ),
        ("namespace = \"D\"\n  object = \"o\"\n  relation = \"r\"\n  subject_set_namespace = \"G\"", "needs all of"),
        ("namespace = \"D:x\"\n  object = \"o\"\n  relation = \"r\"\n  subject_id = \"a\"", "must not contain ':'"),
        ("namespace = \"D\"\n  object = \"\"\n  relation = \"r\"\n  subject_id = \"a\"", "must not be empty"),
    ] {
        tf.write("bad.tf", &format!("resource \"ory_relationship\" \"bad\" {{\n  {body}\n}}\n"));
        let out = tf.plan_fails(&[]);
        assert!(out.contains(expect), "{body}: {out}");
    }
    tf.write("bad.tf", "resource \"ory_permission_model\" \"bad\" {\n  project_id = \"3fa85f64-5717-4562-b3fc-2c963f66afa6\"\n  opl = \"https://example.com/permissions.ts\"\n}\n");
    assert!(tf.plan_fails(&[]).contains("A URL in opl"));
    assert_eq!(before, emulator.requests().values().sum::<u64>(), "refused before any call");
}
