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

/// The single stream of the project in the `event_stream_auth` fixture.
fn the_stream(emulator: &Emulator, tf: &Tf) -> serde_json::Value {
    let project = tf.state_of("ory_project.p")["id"].as_str().unwrap().to_string();
    let listed = streams(emulator, &project);
    assert_eq!(listed.len(), 1, "{listed:?}");
    listed[0].clone()
}

#[test]
fn an_https_stream_authenticates_and_its_secrets_show_nowhere() {
    let emulator = Emulator::start();
    let mut tf = Tf::new(&emulator, "event_stream_auth");
    tf.init();
    // Secrets through the environment: Terraform logs its command line.
    let (token, rotated, key, query) =
        ("bearer-s3cret-token", "bearer-r0tated-token", "api-k3y-s3cret", "query-s3cret-value");
    tf.set_env("TF_LOG", "trace");
    tf.set_env("TF_VAR_endpoint", &format!("https://hooks.example.com/ory?token={query}"));
    tf.set_env("TF_VAR_secret", token);
    let output = std::cell::RefCell::new(String::new());
    let run = |tf: &Tf, args: &[&str]| output.borrow_mut().push_str(&tf.run(args).text());

    // 1. Bearer auth: Ory holds the token and shows it masked.
    run(&tf, &["apply", "-auto-approve", "-input=false", "-var=auth_type=bearer"]);
    let stream = the_stream(&emulator, &tf);
    assert_eq!(stream["https_auth_type"], "bearer");
    assert_eq!(stream["https_auth_secret"], "REDACTED", "{stream}");
    assert_eq!(stream["https_endpoint"], "https://hooks.example.com/ory?token=REDACTED", "query values are masked");
    assert_eq!(tf.state_of("ory_event_stream.s")["https_auth_secret"], token);

    // 2. Nothing to change, and the plan shows no secret.
    let plan = tf.run(&["plan", "-input=false", "-detailed-exitcode", "-var=auth_type=bearer"]);
    assert!(plan.text().contains("No changes"), "{}", plan.text());
    output.borrow_mut().push_str(&plan.text());

    // 3. A new endpoint needs the secret again in the same call (1.22.87);
    //    the provider sends it.
    tf.set_env("TF_VAR_endpoint", "https://hooks.example.com/v2?token=query-s3cret-value");
    run(&tf, &["apply", "-auto-approve", "-input=false", "-var=auth_type=bearer"]);
    assert_eq!(the_stream(&emulator, &tf)["https_endpoint"], "https://hooks.example.com/v2?token=REDACTED");

    // 4. A new token, then an API key in a header of its own.
    tf.set_env("TF_VAR_secret", rotated);
    let text = tf.run(&["plan", "-input=false", "-var=auth_type=bearer"]).text();
    assert!(text.contains("1 to change"), "{text}");
    output.borrow_mut().push_str(&text);
    run(&tf, &["apply", "-auto-approve", "-input=false", "-var=auth_type=bearer"]);
    tf.set_env("TF_VAR_secret", key);
    run(&tf, &["apply", "-auto-approve", "-input=false", "-var=auth_type=api_key", "-var=header=X-Ory-Key"]);
    let stream = the_stream(&emulator, &tf);
    assert_eq!(
        (&stream["https_auth_type"], &stream["https_auth_header_name"]),
        (&"api_key".into(), &"X-Ory-Key".into())
    );
    assert!(
        tf.try_run(&["plan", "-input=false", "-detailed-exitcode", "-var=auth_type=api_key", "-var=header=X-Ory-Key"])
            .ok
    );

    // 5. Leaving auth out turns it off at Ory.
    tf.remove_env("TF_VAR_secret");
    run(&tf, &["apply", "-auto-approve", "-input=false"]);
    let stream = the_stream(&emulator, &tf);
    assert_eq!(stream["https_auth_type"], "none");
    assert!(stream.get("https_auth_secret").is_none() && stream.get("https_auth_header_name").is_none(), "{stream}");

    // 6. Write-only: the token never reaches the plan or the state.
    if terraform_version() >= (1, 11) {
        let wo = "write-0nly-token";
        tf.set_env("TF_VAR_secret_wo", wo);
        run(&tf, &["apply", "-auto-approve", "-input=false", "-var=auth_type=bearer", "-var=secret_wo_version=1"]);
        assert_eq!(the_stream(&emulator, &tf)["https_auth_type"], "bearer");
        let state = std::fs::read_to_string(tf.dir().join("terraform.tfstate")).unwrap();
        assert!(!state.contains(wo), "a write-only secret is not in the state");
        let args = ["plan", "-input=false", "-detailed-exitcode", "-var=auth_type=bearer", "-var=secret_wo_version=1"];
        assert!(tf.try_run(&args).ok, "no changes with the same version");
        let args = ["plan", "-input=false", "-out=tfplan", "-var=auth_type=bearer", "-var=secret_wo_version=2"];
        assert!(tf.run(&args).text().contains("1 to change"));
        // The plan file keeps the variable itself unless it is ephemeral
        // (Terraform 1.10+); the resource's planned values never hold it.
        let changes = tf.saved_plan()["resource_changes"].to_string();
        assert!(!changes.contains(wo), "a write-only secret is not in the planned values");
        tf.remove_env("TF_VAR_secret_wo");
        run(&tf, &["apply", "-auto-approve", "-input=false"]);
    } else {
        skip("an_https_stream_authenticates (write-only)", "write-only attributes need Terraform 1.11");
    }

    // 7. Import: Ory never shows the token, so the next apply sends it once.
    tf.set_env("TF_VAR_secret", token);
    run(&tf, &["apply", "-auto-approve", "-input=false", "-var=auth_type=bearer"]);
    let project = tf.state_of("ory_project.p")["id"].as_str().unwrap().to_string();
    let id = tf.state_of("ory_event_stream.s")["id"].as_str().unwrap().to_string();
    let mut fresh = Tf::new(&emulator, "event_stream_auth");
    fresh.init();
    fresh.set_env("TF_VAR_endpoint", "https://hooks.example.com/v2?token=query-s3cret-value");
    fresh.set_env("TF_VAR_secret", token);
    fresh.run(&["import", "-input=false", "-var=auth_type=bearer", "ory_project.p", &project]);
    fresh.run(&["import", "-input=false", "-var=auth_type=bearer", "ory_event_stream.s", &format!("{project}/{id}")]);
    let planned = fresh.plan(&[("auth_type", "bearer")]);
    assert_eq!(planned["ory_event_stream.s"], ["update"], "the secret is sent once");
    fresh.apply_saved();
    assert_no_changes(&fresh.plan(&[("auth_type", "bearer")]));

    run(&tf, &["destroy", "-auto-approve", "-input=false", "-var=auth_type=bearer"]);
    let output = output.into_inner();
    assert!(output.contains("provider.terraform-provider-ory"), "the provider's own lines are in the log");
    for secret in [token, rotated, key, query, "write-0nly-token"] {
        if let Some(line) = output.lines().find(|l| l.contains(secret)) {
            panic!("{secret} is in terraform's output at trace level: {line}");
        }
    }
}

#[test]
fn bad_stream_auth_fails_at_plan_time_on_its_attribute() {
    let emulator = Emulator::start();
    let tf = Tf::new(&emulator, "event_stream_auth");
    tf.init();
    let long = "x".repeat(4097);
    let cases: [(&[(&str, &str)], &str); 8] = [
        (&[("auth_type", "bearer")], "https_auth_type \"bearer\" needs https_auth_secret or https_auth_secret_wo"),
        (&[("auth_type", "api_key"), ("secret", "k3y-value")], "needs https_auth_header_name"),
        (&[("auth_type", "bearer"), ("secret", "t0ken"), ("header", "X-Key")], "https_auth_header_name is only for"),
        (&[("secret", "t0ken")], "https_auth_secret needs https_auth_type"),
        (
            &[("auth_type", "api_key"), ("secret", "k3y-value"), ("header", "Content-Type")],
            "\"Content-Type\" is a header Ory sets itself",
        ),
        (&[("auth_type", "bearer"), ("secret", &long)], "must be 1 to 4096 bytes long; it is 4097 bytes"),
        (
            &[("type", "sns"), ("auth_type", "bearer"), ("secret", "t0ken")],
            "https_auth_type is only for type \"https\"",
        ),
        (&[("auth_type", "basic")], "https_auth_type must be one of api_key, bearer"),
    ];
    for (vars, expected) in cases {
        let text = tf.plan_fails(vars);
        assert!(text.contains(expected), "{vars:?}: {text}");
        assert!(text.contains("with ory_event_stream.s"), "{vars:?}: on the resource: {text}");
    }
    assert!(emulator.requests().is_empty(), "{:?}", emulator.requests());
}
