//! B2B organizations and their onboarding portal links, end to end.

use reqwest::Method;
use serde_json::{json, Value};

use crate::support::{actions, assert_no_changes, Emulator, Tf};

const O: &str = "ory_organization.o";

fn organizations(emulator: &Emulator, project: &str) -> Vec<Value> {
    emulator.project(project)["organizations"].as_array().cloned().unwrap_or_default()
}

#[test]
fn organization_lifecycle() {
    let emulator = Emulator::start();
    let project = emulator.new_project_in("b2b", "prod");
    let tf = Tf::new(&emulator, "organization");
    tf.init();
    let p = ("project_id", project.as_str());

    // Create, then nothing to do.
    assert_eq!(tf.apply(&[p]), actions(&[(O, &["create"])]));
    let state = tf.state_of(O);
    let id = state["id"].as_str().unwrap().to_string();
    assert_eq!(
        organizations(&emulator, &project),
        [json!({"id": id, "label": "Acme", "domains": ["acme.example.com"]})]
    );
    assert!(state["created_at"].is_string() && state["updated_at"].is_string(), "{state}");
    assert_no_changes(&tf.plan(&[p]));

    // Every setting changes in place.
    let changed = [
        p,
        ("label", "Acme Inc"),
        ("domains", "[\"acme.example.com\",\"acme.example.org\"]"),
        ("session_lifespan", "24h"),
    ];
    assert_eq!(tf.apply(&changed), actions(&[(O, &["update"])]));
    assert_eq!(tf.state_of(O)["id"], id.as_str());
    let org = &organizations(&emulator, &project)[0];
    assert_eq!((org["label"].as_str(), org["session_lifespan"].as_str()), (Some("Acme Inc"), Some("24h")));
    assert_eq!(org["domains"], json!(["acme.example.com", "acme.example.org"]));
    assert_no_changes(&tf.plan(&changed));

    // Import by <project_id>/<organization_id>, then nothing to do.
    tf.run(&["state", "rm", O]);
    let vars: Vec<String> = changed.iter().map(|(k, v)| format!("-var={k}={v}")).collect();
    let mut import: Vec<&str> = vec!["import", "-input=false"];
    import.extend(vars.iter().map(String::as_str));
    let import_id = format!("{project}/{id}");
    import.extend([O, import_id.as_str()]);
    tf.run(&import);
    assert_no_changes(&tf.plan(&changed));

    // Changed outside Terraform: the plan shows it and the apply repairs it.
    let (status, _) =
        emulator.send(Method::PUT, &format!("/projects/{project}/organizations/{id}"), json!({"label": "Renamed"}));
    assert_eq!(status, 200);
    assert_eq!(tf.plan(&changed), actions(&[(O, &["update"])]));
    tf.apply_saved();
    assert_eq!(organizations(&emulator, &project)[0]["label"], "Acme Inc");

    // Deleted outside Terraform: planned again.
    let (status, _) = emulator.call(Method::DELETE, &format!("/projects/{project}/organizations/{id}"));
    assert_eq!(status, 204);
    assert_eq!(tf.apply(&changed), actions(&[(O, &["create"])]));
    assert_eq!(organizations(&emulator, &project).len(), 1);

    // Destroy.
    let mut destroy: Vec<&str> = vec!["destroy", "-auto-approve", "-input=false"];
    destroy.extend(vars.iter().map(String::as_str));
    tf.run(&destroy);
    assert!(organizations(&emulator, &project).is_empty());
}

#[test]
fn bad_organizations_are_refused_at_plan_time() {
    let emulator = Emulator::start();
    let prod = emulator.new_project_in("b2b", "prod");
    let dev = emulator.new_project_in("playground", "dev");
    let tf = Tf::new(&emulator, "organization");
    tf.init();
    let requests = emulator.requests().values().sum::<u64>();
    let domain = tf.plan_fails(&[("project_id", &prod), ("domains", "[\"Not A Domain\"]")]);
    assert!(
        domain.contains("must be a lowercase domain name of at most 253 characters such as example.com"),
        "{domain}"
    );
    let lifespan = tf.plan_fails(&[("project_id", &prod), ("session_lifespan", "1d")]);
    assert!(lifespan.contains("from 1m to 8760h"), "{lifespan}");
    assert_eq!(emulator.requests().values().sum::<u64>(), requests, "no API call");

    // A plan without B2B features: one error naming the feature.
    let features = format!("{}/__emulator/features", emulator.url);
    reqwest::blocking::Client::new().post(&features).json(&json!({"organizations": false})).send().unwrap();
    let run = tf.try_run(&["apply", "-auto-approve", "-input=false", &format!("-var=project_id={prod}")]);
    assert!(!run.ok);
    assert!(run.text().contains("does not include the feature \"organizations\""), "{}", run.text());
    reqwest::blocking::Client::new().post(&features).json(&json!({"organizations": true})).send().unwrap();
    assert!(organizations(&emulator, &prod).is_empty(), "nothing was made");
    let patches = emulator.count("patchProjectWithRevision");

    // A dev project is known to be one at plan time: a warning then (an
    // error would also stop the plan before a destroy), and the apply
    // refuses it before anything is sent.
    let warned = tf.run(&["plan", "-input=false", &format!("-var=project_id={dev}")]).text();
    assert!(warned.contains("Warning: Organizations need a prod or stage project"), "{warned}");
    assert!(warned.contains(&format!("Project {dev} is a dev project")), "{warned}");
    assert!(warned.contains("The apply will refuse this organization before sending anything"), "{warned}");
    let run = tf.try_run(&["apply", "-auto-approve", "-input=false", &format!("-var=project_id={dev}")]);
    assert!(!run.ok);
    assert!(run.text().contains("Error: Organizations need a prod or stage project"), "{}", run.text());
    assert_eq!(emulator.count("patchProjectWithRevision"), patches, "nothing was sent");
    assert!(organizations(&emulator, &dev).is_empty());

    // A dev project made in the same run is known only at apply: the final
    // plan of the apply gives the same error, before anything is sent.
    tf.write(
        "fresh.tf",
        "resource \"ory_project\" \"fresh\" {\n  name = \"fresh\"\n  environment = \"dev\"\n  deletion_protection = false\n}\n\nresource \"ory_organization\" \"fresh\" {\n  project_id = ory_project.fresh.id\n  label = \"Fresh\"\n}\n",
    );
    let run = tf.try_run(&["apply", "-auto-approve", "-input=false", &format!("-var=project_id={prod}")]);
    assert!(!run.ok);
    assert!(run.text().contains("Organizations need a prod or stage project"), "{}", run.text());
    assert_eq!(tf.state_ids().get("ory_organization").map(Vec::len), Some(1), "only the prod one");
}

/// Issue 21: an apply that made a dev project and then failed on its
/// organization can be destroyed, with no -refresh=false.
#[test]
fn destroy_works_after_an_organization_was_refused_on_a_dev_project() {
    let emulator = Emulator::start();
    let before = emulator.objects();
    let tf = Tf::new(&emulator, "organization_dev");
    tf.init();
    let run = tf.try_run(&["apply", "-auto-approve", "-input=false"]);
    assert!(!run.ok, "{}", run.text());
    assert!(run.text().contains("Organizations need a prod or stage project"), "{}", run.text());
    assert_eq!(tf.state_ids().get("ory_project").map(Vec::len), Some(1), "the project was made");
    let destroyed = tf.run(&["destroy", "-auto-approve", "-input=false"]).text();
    assert!(destroyed.contains("Destroy complete! Resources: 1 destroyed."), "{destroyed}");
    assert_eq!(emulator.objects(), before, "nothing left behind");
}

#[test]
fn organization_data_sources_look_up_by_id_and_domain_and_follow_every_page() {
    let emulator = Emulator::start();
    let project = emulator.new_project_in("b2b", "prod");
    // More than one page of 250 besides the two the configuration makes.
    let orgs: Vec<Value> = (0..260)
        .map(|i| json!({"id": uuid(i), "label": format!("Bulk {i}"), "domains": [format!("bulk{i}.example.com")]}))
        .collect();
    emulator.patch_project(&project, json!([{"op": "replace", "path": "/organizations", "value": orgs}]));
    let tf = Tf::new(&emulator, "organization_data");
    tf.init();

    // Bad input is refused at plan time, before any call.
    let requests = emulator.requests().values().sum::<u64>();
    tf.write("bad.tf", "data \"ory_organization\" \"bad\" {\n  project_id = var.project_id\n  domain = \"Nope\"\n}\n");
    let bad = tf.plan_fails(&[("project_id", &project)]);
    assert!(bad.contains("must be a lowercase domain name"), "{bad}");
    std::fs::remove_file(tf.dir().join("bad.tf")).unwrap();
    tf.write("twice.tf", "data \"ory_organization\" \"twice\" {\n  project_id = var.project_id\n  id = ory_organization.a.id\n  domain = \"a.example.com\"\n}\n");
    let twice = tf.plan_fails(&[("project_id", &project)]);
    assert!(twice.contains("Set exactly one of id and domain"), "{twice}");
    std::fs::remove_file(tf.dir().join("twice.tf")).unwrap();
    assert_eq!(emulator.requests().values().sum::<u64>(), requests, "no API call");

    let p = format!("-var=project_id={project}");
    tf.run(&["apply", "-auto-approve", "-input=false", &p]);
    let out: Value = serde_json::from_str(&tf.run(&["output", "-json"]).stdout).unwrap();
    assert_eq!(out["by_id_label"]["value"], "A");
    assert_eq!(out["by_domain"]["value"]["label"], "B");
    assert_eq!(out["by_domain"]["value"]["session_lifespan"], "12h");
    let labels = out["all_labels"]["value"].as_array().unwrap();
    assert_eq!(labels.len(), 262, "every page is read");
    assert!(emulator.count("listOrganizations") >= 2);
    assert_no_changes(&tf.plan(&[("project_id", &project)]));
}

fn uuid(i: u32) -> String {
    format!("00000000-0000-4000-8000-{i:012}")
}

#[test]
fn onboarding_portal_link_lifecycle() {
    const L: &str = "ory_organization_onboarding_portal_link.l";
    let emulator = Emulator::start();
    let project = emulator.new_project_in("b2b", "prod");
    let (status, org) = emulator.send(
        Method::POST,
        &format!("/projects/{project}/organizations"),
        json!({"label": "Acme", "domains": []}),
    );
    assert_eq!(status, 201, "{org}");
    let org = org["id"].as_str().unwrap().to_string();
    let links = format!("/projects/{project}/organizations/{org}/onboarding-portal-links");
    let listed = || emulator.call(Method::GET, &links).1["links"].as_array().cloned().unwrap_or_default();
    let tf = Tf::new(&emulator, "portal_link");
    tf.init();
    let base = [("project_id", project.as_str()), ("organization_id", org.as_str())];

    // Bad input is refused at plan time, before any call.
    let requests = emulator.requests().values().sum::<u64>();
    let bad = tf.plan_fails(&[base[0], base[1], ("mapper", "myspace")]);
    assert!(bad.contains("mapper_urls keys must be among apple"), "{bad}");
    let bad = tf.plan_fails(&[base[0], base[1], ("expires_at", "tomorrow")]);
    assert!(bad.contains("must be an RFC 3339 time"), "{bad}");
    assert_eq!(emulator.requests().values().sum::<u64>(), requests, "no API call");

    // Create; the link is sensitive; nothing to do after.
    assert_eq!(tf.plan(&base), actions(&[(L, &["create"])]));
    let shown = tf.run(&["show", "tfplan"]).text();
    tf.apply_saved();
    let state = tf.state_of(L);
    let value = state["value"].as_str().unwrap().to_string();
    assert!(value.starts_with("https://"), "{state}");
    assert_eq!(listed().len(), 1);
    assert_eq!(listed()[0]["google_mapper_url"], "base64://e30=");
    assert!(!shown.contains(&value));
    let applied = tf
        .run(&["plan", "-input=false", &format!("-var=project_id={project}"), &format!("-var=organization_id={org}")])
        .text();
    assert!(!applied.contains(&value), "the link is shown in a plan");
    assert_no_changes(&tf.plan(&base));

    // In place: SCIM on, a new expiry.
    let changed = [base[0], base[1], ("enable_scim", "true"), ("expires_at", "2099-01-01T00:00:00Z")];
    assert_eq!(tf.apply(&changed), actions(&[(L, &["update"])]));
    let link = &listed()[0];
    assert_eq!((link["enable_scim"].as_bool(), link["id"].as_str()), (Some(true), state["id"].as_str()));
    assert_no_changes(&tf.plan(&changed));

    // Import as <project_id>/<organization_id>/<link_id>.
    let id = state["id"].as_str().unwrap().to_string();
    tf.run(&["state", "rm", L]);
    let vars: Vec<String> = changed.iter().map(|(k, v)| format!("-var={k}={v}")).collect();
    let import_id = format!("{project}/{org}/{id}");
    let mut import: Vec<&str> = vec!["import", "-input=false"];
    import.extend(vars.iter().map(String::as_str));
    import.extend([L, import_id.as_str()]);
    tf.run(&import);
    assert_no_changes(&tf.plan(&changed));

    // Changed outside: repaired in place. Deleted outside: made again.
    let (status, _) =
        emulator.send(Method::POST, &format!("{links}/{id}"), json!({"enable_sso": false, "enable_scim": true}));
    assert_eq!(status, 200);
    assert_eq!(tf.apply(&changed), actions(&[(L, &["update"])]));
    assert_eq!(listed()[0]["enable_sso"], true);
    assert_eq!(emulator.call(Method::DELETE, &format!("{links}/{id}")).0, 204);
    assert_eq!(tf.apply(&changed), actions(&[(L, &["create"])]));
    assert_eq!(listed().len(), 1);

    // Destroy.
    let mut destroy: Vec<&str> = vec!["destroy", "-auto-approve", "-input=false"];
    destroy.extend(vars.iter().map(String::as_str));
    tf.run(&destroy);
    assert!(listed().is_empty());
}

#[test]
fn a_project_member_is_removed_by_importing_then_destroying_it() {
    const M: &str = "ory_project_member.m";
    let emulator = Emulator::start();
    let project = emulator.new_project("team");
    let members = || emulator.call(Method::GET, &format!("/projects/{project}/members")).1.as_array().cloned().unwrap();
    let developer =
        members().into_iter().find(|m| m["role"] == "developer").unwrap()["id"].as_str().unwrap().to_string();
    let tf = Tf::new(&emulator, "project_member");
    tf.init();
    let var = format!("-var=project_id={project}");

    // It cannot be created: the plan says how to use it, and nothing is sent.
    let refused = tf.plan_fails(&[("project_id", &project)]);
    assert!(refused.contains("A project member cannot be created") && refused.contains("import it"), "{refused}");
    assert_eq!(emulator.count("removeProjectMember"), 0);

    // Imported: nothing to do; destroyed: the member is gone from the project.
    tf.run(&["import", "-input=false", &var, M, &format!("{project}/{developer}")]);
    assert_eq!(tf.state_of(M)["role"], "developer");
    assert_no_changes(&tf.plan(&[("project_id", &project)]));
    tf.run(&["destroy", "-auto-approve", "-input=false", &var]);
    assert!(members().iter().all(|m| m["id"] != developer.as_str()));
    assert_eq!(emulator.count("removeProjectMember"), 1);

    // The owner cannot be removed: the API's refusal is shown.
    let owner = members().into_iter().find(|m| m["role"] == "owner").unwrap()["id"].as_str().unwrap().to_string();
    tf.run(&["import", "-input=false", &var, M, &format!("{project}/{owner}")]);
    let run = tf.try_run(&["destroy", "-auto-approve", "-input=false", &var]);
    assert!(!run.ok && run.text().contains("406"), "{}", run.text());
    assert_eq!(members().len(), 1);
}
