//! `ory_event_stream` end to end.

use reqwest::Method;

use crate::support::{assert_no_changes, skip, terraform_version, Emulator, Tf};

const S: &str = "ory_event_stream.s";
const HOOK: &str = "https://ory:s3cret-password@hooks.example.com/ory";

fn streams(emulator: &Emulator, project: &str) -> Vec<serde_json::Value> {
    let (status, body) = emulator.call(Method::GET, &format!("/projects/{project}/eventstreams"));
    assert_eq!(status, 200, "{body}");
    body["event_streams"].as_array().unwrap().clone()
}

#[test]
fn event_stream_lifecycle() {
    let emulator = Emulator::start();
    let tf = Tf::new(&emulator, "event_stream");
    tf.init();

    // 1. Create an SNS stream.
    let planned = tf.apply(&[]);
    assert_eq!(planned[S], ["create"]);
    let a = tf.state_of("ory_project.a")["id"].as_str().unwrap().to_string();
    let b = tf.state_of("ory_project.b")["id"].as_str().unwrap().to_string();
    let state = tf.state_of(S);
    assert_eq!(state["status"], "active");
    let remote = streams(&emulator, &a);
    assert_eq!(remote.len(), 1);
    assert_eq!(remote[0]["topic_arn"], "arn:aws:sns:us-east-1:123456789012:ory-events");

    // 2. No changes.
    assert_no_changes(&tf.plan(&[]));

    // 3. Pausing, and moving to an HTTPS endpoint with credentials, are in place.
    assert_eq!(tf.apply(&[("status", "paused")])[S], ["update"]);
    assert_eq!(streams(&emulator, &a)[0]["status"], "paused");
    assert_eq!(tf.apply(&[("type", "https"), ("https_endpoint", HOOK)])[S], ["update"]);
    let remote = streams(&emulator, &a);
    assert_eq!(remote[0]["type"], "https");
    assert_eq!(remote[0]["status"], "active", "leaving status out of the configuration resumes the stream");
    assert!(!remote[0]["https_endpoint"].as_str().unwrap().contains("s3cret-password"), "the API redacts the password");
    assert_eq!(tf.state_of(S)["https_endpoint"], HOOK, "state keeps the endpoint as configured");
    assert_no_changes(&tf.plan(&[("type", "https"), ("https_endpoint", HOOK)]));
    let text = tf
        .run(&[
            "plan",
            "-input=false",
            "-var=type=https",
            "-var=https_endpoint=https://ory:rotated@hooks.example.com/ory",
        ])
        .text();
    assert!(
        text.contains("1 to change") && !text.contains("rotated"),
        "a password change is planned, and never shown:\n{text}"
    );

    // 4. Another project means another stream.
    let planned = tf.apply(&[("type", "https"), ("https_endpoint", HOOK), ("project", "b")]);
    assert_eq!(planned[S], ["delete", "create"]);
    assert!(streams(&emulator, &a).is_empty());
    assert_eq!(streams(&emulator, &b).len(), 1);
    let id = tf.state_of(S)["id"].as_str().unwrap().to_string();

    // 5. Import: the endpoint comes back redacted, and the plan is still empty.
    let fresh = Tf::new(&emulator, "event_stream");
    fresh.init();
    let vars = ["-input=false", "-var=type=https", "-var=project=b"];
    let hook_var = format!("-var=https_endpoint={HOOK}");
    for (address, import_id) in [("ory_project.a", a.clone()), ("ory_project.b", b.clone()), (S, format!("{b}/{id}"))] {
        fresh.run(&[&["import"][..], &vars, &[hook_var.as_str(), address, &import_id]].concat());
    }
    let planned = fresh.plan(&[("type", "https"), ("https_endpoint", HOOK), ("project", "b")]);
    if terraform_version() < (1, 3) {
        // Terraform 1.0 plans an update that only marks the imported endpoint
        // sensitive ("The value is unchanged"); newer versions plan nothing.
        skip(
            "event_stream_lifecycle (no-op after import)",
            &format!("Terraform {:?} plans a sensitivity-only update", terraform_version()),
        );
        let change = &fresh.saved_plan()["resource_changes"];
        let stream = change.as_array().unwrap().iter().find(|c| c["address"] == S).unwrap();
        assert_eq!(stream["change"]["before"]["https_endpoint"], stream["change"]["after"]["https_endpoint"]);
    } else {
        assert_eq!(planned[S], ["no-op"]);
    }
    // The ID alone also works, in the provider's project, as with Ory's provider.
    let mut bare = Tf::new(&emulator, "event_stream");
    bare.set_env("ORY_PROJECT_ID", &b);
    bare.init();
    bare.run(&[&["import"][..], &vars, &[hook_var.as_str(), S, &id]].concat());
    assert_eq!(bare.state_of(S)["project_id"], b.as_str());

    // 6. Deleted outside Terraform: planned again.
    assert_eq!(emulator.call(Method::DELETE, &format!("/projects/{b}/eventstreams/{id}")).0, 204);
    assert_eq!(tf.plan(&[("type", "https"), ("https_endpoint", HOOK), ("project", "b")])[S], ["create"]);
    tf.apply_saved();
    assert_eq!(streams(&emulator, &b).len(), 1);

    // 7. Destroy.
    tf.run(&["destroy", "-auto-approve", "-input=false", "-var=type=https", "-var=project=b", &hook_var]);
    // The replace, the deletion outside Terraform, and this destroy.
    assert_eq!(emulator.count("deleteEventStream"), 3);
    let (status, _) = emulator.call(Method::GET, &format!("/projects/{b}/eventstreams"));
    assert_eq!(status, 404, "the project is purged with its streams");
}

#[test]
fn bad_stream_settings_fail_at_plan_time() {
    let emulator = Emulator::start();
    let tf = Tf::new(&emulator, "event_stream");
    tf.init();
    let cases: [(&[(&str, &str)], &str); 5] = [
        (&[("topic_arn", "arn:aws:sqs:us-east-1:123456789012:q")], "topic_arn must be an SNS topic ARN"),
        (&[("role_arn", "arn:aws:iam::12345:role/x")], "role_arn must be an IAM role ARN"),
        (
            &[("type", "https"), ("https_endpoint", "http://hooks.example.com/ory")],
            "https_endpoint must be an https:// URL",
        ),
        (&[("type", "https")], "https_endpoint is required for type \"https\""),
        (&[("type", "kafka")], "type must be one of sns, https"),
    ];
    for (vars, expected) in cases {
        let text = tf.plan_fails(vars);
        assert!(text.contains(expected), "{vars:?}: {text}");
    }
    let with_secret = tf.plan_fails(&[("type", "https"), ("https_endpoint", "http://u:leaky@hooks.example.com")]);
    assert!(!with_secret.contains("leaky"), "an invalid endpoint is not echoed back");
    assert!(emulator.requests().is_empty(), "{:?}", emulator.requests());
}

#[test]
fn a_plan_without_event_streams_gets_one_clear_error() {
    let emulator = Emulator::start();
    let tf = Tf::new(&emulator, "event_stream");
    tf.init();
    let status = reqwest::blocking::Client::new()
        .post(format!("{}/__emulator/features", emulator.url))
        .json(&serde_json::json!({"event_streams": false}))
        .send()
        .unwrap()
        .status();
    assert!(status.is_success());
    let run = tf.try_run(&["apply", "-auto-approve", "-input=false"]);
    assert!(!run.ok);
    let text = run.text();
    assert_eq!(text.matches("Could not create event stream").count(), 1, "{text}");
    assert!(text.contains("does not include the feature \"event_streams\""), "{text}");
    assert!(text.contains("Enterprise"), "{text}");
}
