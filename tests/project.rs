//! `ory_project` end to end: the real terraform against the emulator.

use crate::support::{actions, assert_no_changes, Emulator, Tf};

const P: &str = "ory_project.p";

#[test]
fn project_lifecycle() {
    let emulator = Emulator::start();
    let tf = Tf::new(&emulator, "project");
    tf.init();

    // 1. Create, in a region other than the default.
    let planned = tf.apply(&[("name", "e2e-one"), ("environment", "dev"), ("home_region", "us-west")]);
    assert_eq!(planned, actions(&[(P, &["create"])]));
    let state = tf.state_of(P);
    let id = state["id"].as_str().unwrap().to_string();
    assert_eq!(state["name"], "e2e-one");
    assert_eq!(state["environment"], "dev");
    assert_eq!(state["home_region"], "us-west");
    assert_eq!(state["workspace_id"], emulator.workspace_id.as_str());
    assert_eq!(state["deletion_protection"], true);
    assert_eq!(state["state"], "running");
    let remote = emulator.project(&id);
    assert_eq!(remote["name"], "e2e-one");
    assert_eq!(remote["slug"], state["slug"]);
    assert_eq!(emulator.count("createProject"), 1);

    // 2. Nothing changed, nothing planned.
    assert_no_changes(&tf.plan(&[("name", "e2e-one"), ("environment", "dev"), ("home_region", "us-west")]));

    // 3. A rename and an environment change are in-place updates.
    let planned = tf.apply(&[("name", "e2e-two"), ("environment", "stage"), ("home_region", "us-west")]);
    assert_eq!(planned, actions(&[(P, &["update"])]));
    let remote = emulator.project(&id);
    assert_eq!(remote["name"], "e2e-two");
    assert_eq!(remote["environment"], "stage");
    assert_eq!(emulator.count("patchProjectWithRevision"), 1);
    assert_eq!(emulator.count("setProjectEnvironment"), 1);
    assert_eq!(tf.state_of(P)["id"], id.as_str(), "an update keeps the project");

    // 4. A region change replaces the project, so protection refuses it at
    // plan time; with protection off it plans a replacement.
    let refused = tf.plan_fails(&[("name", "e2e-two"), ("home_region", "eu-central")]);
    assert!(refused.contains("Project is protected from replacement"), "{refused}");
    assert!(refused.contains("deletion_protection = false"), "{refused}");
    let planned = tf.plan(&[("name", "e2e-two"), ("home_region", "eu-central"), ("deletion_protection", "false")]);
    assert_eq!(planned, actions(&[(P, &["delete", "create"])]));

    // 5. Import into a fresh state, with a configuration that leaves
    // environment and region out: the imported values stay, no diff.
    let fresh = Tf::new(&emulator, "project");
    fresh.init();
    fresh.run(&["import", "-input=false", "-var=name=e2e-two", P, &id]);
    let imported = fresh.state_of(P);
    assert_eq!(imported["environment"], "stage");
    assert_eq!(imported["home_region"], "us-west");
    assert_eq!(imported["deletion_protection"], true);
    assert_no_changes(&fresh.plan(&[("name", "e2e-two")]));

    // 6. Destroy is refused while protected, before any API call.
    let refused =
        tf.try_run(&["destroy", "-auto-approve", "-input=false", "-var=name=e2e-two", "-var=home_region=us-west"]);
    assert!(!refused.ok);
    assert!(refused.text().contains("Project is protected from deletion"), "{}", refused.text());
    assert!(refused.text().contains("deletion_protection = false"), "{}", refused.text());
    assert_eq!(emulator.count("purgeProject"), 0);
    assert_eq!(emulator.project(&id)["state"], "running");

    // 7. Turning protection off is a state-only update; then destroy works.
    let calls_before = emulator.requests();
    let planned = tf.apply(&[("name", "e2e-two"), ("home_region", "us-west"), ("deletion_protection", "false")]);
    assert_eq!(planned, actions(&[(P, &["update"])]));
    let calls_after = emulator.requests();
    // The plan's refresh lists the projects once; the update itself asks nothing.
    let mut expected = calls_before.clone();
    *expected.entry("listProjects".into()).or_default() += 1;
    assert_eq!(calls_after, expected, "only deletion_protection changed");
    tf.run(&[
        "destroy",
        "-auto-approve",
        "-input=false",
        "-var=name=e2e-two",
        "-var=home_region=us-west",
        "-var=deletion_protection=false",
    ]);
    assert_eq!(emulator.count("purgeProject"), 1);

    // 8. The emulator shows the project purged.
    assert_eq!(emulator.project(&id)["state"], "deleted");
}

#[test]
fn project_deleted_outside_terraform_is_recreated() {
    let emulator = Emulator::start();
    let tf = Tf::new(&emulator, "project");
    tf.init();
    tf.apply(&[("name", "drift")]);
    let first = tf.state_of(P)["id"].as_str().unwrap().to_string();

    // Purged by someone else: GET still answers, with state "deleted".
    let (status, _) = emulator.call(reqwest::Method::DELETE, &format!("/projects/{first}"));
    assert_eq!(status, 204);
    assert_eq!(tf.plan(&[("name", "drift")]), actions(&[(P, &["create"])]));
    tf.apply_saved();
    let second = tf.state_of(P)["id"].as_str().unwrap().to_string();
    assert_ne!(first, second);
    assert_eq!(emulator.project(&second)["state"], "running");

    // Gone entirely (404): the same.
    emulator.reset();
    assert_eq!(tf.plan(&[("name", "drift")]), actions(&[(P, &["create"])]));
}

#[test]
fn a_name_known_only_after_apply_flows_in() {
    let emulator = Emulator::start();
    let tf = Tf::new(&emulator, "project_child");
    tf.init();
    let plan = tf.run(&["plan", "-input=false"]);
    assert!(plan.stdout.contains("(known after apply)"), "{}", plan.stdout);
    tf.run(&["apply", "-auto-approve", "-input=false"]);
    let parent = tf.state_of("ory_project.parent");
    let child = tf.state_of("ory_project.child");
    assert_eq!(child["name"].as_str().unwrap(), format!("child-of-{}", parent["slug"].as_str().unwrap()));
    assert_no_changes(&tf.plan(&[]));
}

#[test]
fn invalid_arguments_fail_at_plan_time_without_api_calls() {
    let emulator = Emulator::start();
    let tf = Tf::new(&emulator, "project");
    tf.init();
    let bad_env = tf.plan_fails(&[("environment", "production")]);
    assert!(bad_env.contains("environment must be one of prod, stage, dev; got \"production\""), "{bad_env}");
    assert!(bad_env.contains("environment = var.environment"), "the error points at the attribute:\n{bad_env}");
    let bad_region = tf.plan_fails(&[("home_region", "mars")]);
    assert!(bad_region.contains("home_region must be one of eu-central, asia-northeast"), "{bad_region}");
    let empty = tf.plan_fails(&[("name", "")]);
    assert!(empty.contains("name must not be empty"), "{empty}");
    assert!(emulator.requests().is_empty(), "no API call expected: {:?}", emulator.requests());
}

#[test]
fn a_missing_key_is_one_clear_error() {
    let emulator = Emulator::start();
    let mut tf = Tf::new(&emulator, "project");
    tf.remove_env("ORY_WORKSPACE_API_KEY");
    tf.init();
    let text = tf.plan_fails(&[]);
    assert!(text.contains("Missing workspace API key"), "{text}");
    assert!(text.contains("workspace_api_key") && text.contains("ORY_WORKSPACE_API_KEY"), "{text}");
    assert_eq!(text.matches("Missing workspace API key").count(), 1, "{text}");
}

#[test]
fn provider_logs_reach_tf_log_and_never_hold_the_key() {
    let emulator = Emulator::start();
    let mut tf = Tf::new(&emulator, "project");
    tf.init();
    for (var, level) in [("TF_LOG", "debug"), ("TF_LOG_PROVIDER", "trace")] {
        tf.remove_env("TF_LOG");
        tf.remove_env("TF_LOG_PROVIDER");
        tf.set_env(var, level);
        let run = tf.run(&["apply", "-auto-approve", "-input=false", "-var=name=logged"]);
        let raw = format!("{}\n{}", run.stdout, run.stderr);
        // Terraform re-logs each provider line under the provider's name.
        assert!(raw.contains("provider.terraform-provider-ory"), "{var}={level} shows no provider line");
        assert!(
            raw.contains("Served request") && raw.contains("tf_rpc=PlanResourceChange"),
            "{var}={level}: no RPC lines"
        );
        assert!(
            raw.contains("API request") && raw.contains("the Ory console API"),
            "{var}={level}: no console API lines"
        );
        assert!(!raw.contains(&emulator.key), "the workspace key reached the log with {var}={level}");
    }
}

#[test]
fn the_providers_workspace_is_the_default_and_known_at_plan_time() {
    let emulator = Emulator::start();
    let mut tf = Tf::new(&emulator, "project");
    tf.set_env("ORY_WORKSPACE_ID", &emulator.workspace_id);
    tf.init();
    tf.plan(&[("name", "in-workspace")]);
    let after = &tf.saved_plan()["resource_changes"][0]["change"]["after"];
    assert_eq!(after["workspace_id"], emulator.workspace_id.as_str());
    assert_eq!(after["environment"], "prod");
    assert_eq!(after["home_region"], "eu-central");
    tf.apply_saved();
    let id = tf.state_of(P)["id"].as_str().unwrap().to_string();
    assert_eq!(emulator.project(&id)["workspace_id"], emulator.workspace_id.as_str());
}

#[test]
fn the_allow_list_refuses_other_projects_before_any_request() {
    let emulator = Emulator::start();
    let mut tf = Tf::new(&emulator, "project");
    tf.init();
    tf.apply(&[("name", "guarded"), ("deletion_protection", "false")]);
    let reads = emulator.count("getProject");
    tf.set_env("ORY_ALLOWED_PROJECT_IDS", "3fa85f64-5717-4562-b3fc-2c963f66afa6, 0b5e3b62-0000-4000-8000-000000000002");
    let text = tf.plan_fails(&[("name", "guarded"), ("deletion_protection", "false")]);
    assert!(text.contains("is not in allowed_project_ids (0b5e3b62-0000-4000-8000-000000000002, 3fa85f64-5717-4562-b3fc-2c963f66afa6)"), "{text}");
    assert!(text.contains("no request was sent"), "{text}");
    assert_eq!(emulator.count("getProject"), reads, "the refused read reached the API");
    let destroy = tf.try_run(&["destroy", "-auto-approve", "-input=false", "-var=deletion_protection=false"]);
    assert!(!destroy.ok);
    assert_eq!(emulator.count("purgeProject"), 0);
}

#[test]
fn max_retries_out_of_range_is_refused_before_any_request() {
    let emulator = Emulator::start();
    let mut tf = Tf::new(&emulator, "project");
    tf.init();
    tf.set_env("ORY_MAX_RETRIES", "99");
    let text = tf.plan_fails(&[]);
    assert!(text.contains("max_retries (ORY_MAX_RETRIES) must be a whole number from 0 to 20; got \"99\""), "{text}");
    assert!(emulator.requests().is_empty());
}

#[test]
fn a_403_drops_state_only_when_the_project_list_confirms_it_is_gone() {
    let emulator = Emulator::start();
    let tf = Tf::new(&emulator, "project");
    tf.init();
    tf.apply(&[("name", "refused"), ("deletion_protection", "false")]);
    let id = tf.state_of(P)["id"].as_str().unwrap().to_string();
    let forbid = |ids: &[&str]| {
        reqwest::blocking::Client::new()
            .post(format!("{}/__emulator/forbidden", emulator.url))
            .json(&serde_json::json!({ "projects": ids }))
            .send()
            .unwrap();
    };

    // Still listed: the listing serves the refresh (issue 21), so a key that
    // may not read the project by ID still plans no change, and the state stays.
    forbid(&[&id]);
    assert_no_changes(&tf.plan(&[("name", "refused"), ("deletion_protection", "false")]));
    assert_eq!(tf.state_of(P)["id"], id.as_str());

    // Purged and refused: the list confirms it is gone, and it is planned again.
    assert_eq!(emulator.call(reqwest::Method::DELETE, &format!("/projects/{id}")).0, 204);
    assert_eq!(tf.plan(&[("name", "refused"), ("deletion_protection", "false")]), actions(&[(P, &["create"])]));
}

#[test]
fn a_timeouts_block_bounds_the_wait() {
    let emulator = Emulator::start();
    let tf = Tf::new(&emulator, "project_timeouts");
    tf.init();
    tf.run(&["apply", "-auto-approve", "-input=false"]);
    assert_no_changes(&tf.plan(&[]));
    // Every request now takes 3 s, longer than the 1 s delete timeout.
    let client = reqwest::blocking::Client::new();
    let faults = |body: serde_json::Value| {
        client.post(format!("{}/__emulator/faults", emulator.url)).json(&body).send().unwrap();
    };
    faults(serde_json::json!({"rate": 1.0, "kinds": ["latency"], "latency_ms": 3000}));
    let run = tf.try_run(&["destroy", "-auto-approve", "-input=false", "-refresh=false"]);
    assert!(!run.ok);
    assert!(run.text().contains("Timed out deleting project"), "{}", run.text());
    assert!(run.text().contains("the delete timeout"), "{}", run.text());
    faults(serde_json::json!({"rate": 0}));
    tf.run(&["destroy", "-auto-approve", "-input=false"]);
}

/// Issue 20, finding 21: under `allowed_project_ids`, a project in the list
/// changes in place as before, but nothing that would make a new project
/// (a create, or a replacement) is planned: its ID could never be in the
/// list, and every later plan would refuse it.
#[test]
fn a_guarded_provider_never_plans_a_project_it_could_not_manage_later() {
    let emulator = Emulator::start();
    let mut tf = Tf::new(&emulator, "project");
    tf.init();
    tf.apply(&[("name", "guarded"), ("deletion_protection", "false")]);
    let id = tf.state_of("ory_project.p")["id"].as_str().unwrap().to_string();
    tf.set_env("ORY_ALLOWED_PROJECT_IDS", &id);
    let renamed = tf.plan(&[("name", "guarded-renamed"), ("deletion_protection", "false")]);
    assert_eq!(renamed["ory_project.p"], ["update"], "an allowed project changes in place");
    let requests = emulator.requests().values().sum::<u64>();
    let text = tf.plan_fails(&[("name", "guarded"), ("home_region", "us-west"), ("deletion_protection", "false")]);
    assert!(text.contains("Replacing this project makes a new project") && text.contains(&id), "{text}");
    let reads = emulator.requests().values().sum::<u64>() - requests;
    assert!(emulator.count("createProject") == 1 && emulator.count("purgeProject") == 0, "{reads} reads, nothing else");
}
