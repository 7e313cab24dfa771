//! Every invalid configuration fails at plan time, on the right attribute,
//! saying what is allowed, and without a single API call.

use crate::support::{Emulator, Tf};

/// (fixture under tests/fixtures/bad/, what the error says, the source line it points at)
const CASES: [(&str, &str, &str); 56] = [
    (
        "project_environment",
        "environment must be one of prod, stage, dev; got \"production\"",
        "environment = \"production\"",
    ),
    (
        "project_home_region",
        "home_region must be one of eu-central, asia-northeast, us-east, us-west, eu, asia, us, global; got \"mars\"",
        "home_region = \"mars\"",
    ),
    ("project_empty_name", "name must not be empty", "name = \"\""),
    ("project_workspace_id", "workspace_id must be a UUID", "workspace_id = \"not-a-uuid\""),
    ("key_expires_malformed", "expires_at must be an RFC 3339 time", "expires_at = \"tomorrow\""),
    ("key_expires_past", "expires_at must be in the future", "expires_at = \"2001-01-01T00:00:00Z\""),
    (
        "key_expires_year_10000",
        "expires_at must be before the year 10000 (UTC)",
        "expires_at = \"9999-12-31T23:59:59-01:00\"",
    ),
    (
        "project_timeout_huge",
        "timeouts.create must be a duration such as 30s, 10m or 1h30m, at most 87600h (ten years)",
        "create = \"99999999999999h\"",
    ),
    ("key_empty_name", "name must not be empty", "name = \"\""),
    ("key_project_id", "project_id must be a UUID", "project_id = \"123\""),
    ("workspace_key_workspace_id", "workspace_id must be a UUID", "workspace_id = \"abc\""),
    (
        "stream_topic_arn",
        "topic_arn must be an SNS topic ARN",
        "topic_arn = \"arn:aws:sqs:us-east-1:123456789012:queue\"",
    ),
    ("stream_role_arn", "role_arn must be an IAM role ARN", "role_arn = \"arn:aws:iam::123456789012:user/ory\""),
    (
        "stream_http_endpoint",
        "https_endpoint must be an https:// URL",
        "https_endpoint = \"http://hooks.example.com/ory\"",
    ),
    ("stream_type", "type must be one of sns, https; got \"kafka\"", "type = \"kafka\""),
    ("stream_status", "status must be one of active, paused; got \"stopped\"", "status = \"stopped\""),
    (
        "provider_url",
        "console_api_url must be an http:// or https:// URL",
        "console_api_url = \"ftp://api.console.ory.sh\"",
    ),
    ("provider_max_retries", "max_retries must be a whole number from 0 to 20; got 50", "max_retries = 50"),
    (
        "provider_allowed_ids",
        "Every entry must be a project ID (a UUID); got \"production\"",
        "allowed_project_ids = [\"production\"]",
    ),
    ("provider_workspace_id", "workspace_id must be a UUID", "workspace_id = \"ws-1\""),
    (
        "provider_insecure_http",
        "is plain http:// to a host other than this machine, so the workspace API key would travel unencrypted",
        "console_api_url = \"http://api.example.com\"",
    ),
    (
        "provider_url_credentials",
        "console_api_url must not contain a user name or password",
        "console_api_url = \"https://user:hunter2@api.console.ory.sh\"",
    ),
    ("provider_empty_allowed", "allowed_project_ids is set but names no project", "allowed_project_ids = []"),
    ("provider_key_newline", "workspace_api_key contains a line break", "workspace_api_key = \"ory_wak_abc\\r\\n\""),
    ("data_project_both", "Set one of id and slug", "id = \"3fa85f64-5717-4562-b3fc-2c963f66afa6\""),
    ("workspace_empty_name", "name must not be empty", "name = \"\""),
    (
        "project_name_spaces",
        "name must not start or end with spaces or line breaks; got \" padded \"",
        "name = \" padded \"",
    ),
    (
        "workspace_name_newline",
        "name must not contain line breaks, tabs or other control characters",
        "name = \"team\\nblue\"",
    ),
    ("organization_label_spaces", "label must not start or end with spaces", "label = \"Acme \""),
    (
        "stream_endpoint_spaces",
        "https_endpoint must not contain spaces or line breaks at its ends, or control characters",
        "https_endpoint = \"https://hooks.example.com/ory?token=t0k3n \"",
    ),
    ("key_expires_leap_second", "expires_at must not be a leap second (:60)", "expires_at = \"2030-06-30T23:59:60Z\""),
    (
        "provider_request_timeout",
        "request_timeout must be a duration from 1s to 10m, such as 30s or 2m; got \"1h\"",
        "request_timeout = \"1h\"",
    ),
    (
        "project_timeout",
        "timeouts.delete must be a duration such as 30s, 10m or 1h30m, at most 87600h (ten years); got \"soon\"",
        "delete = \"soon\"",
    ),
    // Hardening, round 3 (issue 20): nulls, duplicates, unknown guards and
    // values that read other than they are.
    (
        "provider_allowed_null",
        "allowed_project_ids[1] is null",
        "allowed_project_ids = [\"3fa85f64-5717-4562-b3fc-2c963f66afa6\", null]",
    ),
    ("provider_allowed_null_var", "allowed_project_ids[0] is null", "allowed_project_ids = [var.maybe]"),
    (
        "provider_allowed_duplicate",
        "allowed_project_ids holds \"3fa85f64-5717-4562-b3fc-2c963f66afa6\" more than once",
        "allowed_project_ids = [",
    ),
    (
        "provider_allowed_unknown",
        "allowed_project_ids depends on a value Terraform will only know after apply",
        "allowed_project_ids = [ory_project.made.id]",
    ),
    ("project_under_guard", "cannot be in allowed_project_ids", "resource \"ory_project\" \"new\""),
    ("organization_domains_null", "domains[1] is null", "domains    = [\"acme.com\", null]"),
    (
        "organization_domain_numeric",
        "must be a lowercase domain name of at most 253 characters",
        "domains    = [\"1.2\"]",
    ),
    (
        "organization_domain_duplicate",
        "domains holds \"acme.com\" more than once",
        "domains    = [\"acme.com\", \"acme.com\"]",
    ),
    (
        "organization_domain_long",
        "must be a lowercase domain name of at most 253 characters",
        "domains    = [\"aaaaaaaa",
    ),
    (
        "organization_lifespan_sign",
        "session_lifespan must be whole seconds, minutes or hours",
        "session_lifespan = \"+60m\"",
    ),
    ("organization_label_invisible", "label must contain a visible character", "label      = \"\\u200B\\u200C\""),
    ("config_origins_null", "cors_public.origins[0] is null", "origins = [null]"),
    (
        "config_secrets_null",
        "is null. Every element of secrets must have a value",
        "\"/services/identity/config/courier/smtp/connection_uri\" = null",
    ),
    (
        "config_origin_userinfo",
        "must be *, or an origin such as https://example.com",
        "origins = [\"https://user:pw@app.example.com\"]",
    ),
    (
        "config_origin_star",
        "must be *, or an origin such as https://example.com",
        "origins = [\"https://a*b.example.com\"]",
    ),
    (
        "action_header_crlf",
        "webhook_auth_api_key_name must be a header or cookie name",
        "webhook_auth_api_key_name = \"X-Key\\r\\nX-Evil: 1\"",
    ),
    (
        "action_url_password",
        "url must not contain a user name or password (user:password@)",
        "url = \"https://ci:hunter2@hooks.example.com/login\"",
    ),
    (
        "action_url_slashes",
        "url must be an http:// or https:// URL",
        "url        = \"https:///hooks.example.com/login\"",
    ),
    (
        "project_name_bidi",
        "name must not contain line or paragraph separators or bidirectional controls",
        "name = \"invoice\\u202Etxt.exe\"",
    ),
    (
        "workspace_name_separator",
        "name must not contain line or paragraph separators or bidirectional controls",
        "name = \"team\\u2028blue\"",
    ),
    (
        "config_identity_deep_40",
        "identity_config must not nest objects and arrays more than 32 levels deep",
        "identity_config = jsonencode(",
    ),
    (
        "config_identity_deep_124",
        "identity_config must not nest objects and arrays more than 32 levels deep",
        "identity_config = \"{",
    ),
    ("portal_link_expired", "expires_at must be in the future", "expires_at      = \"2001-01-01T00:00:00Z\""),
];

#[test]
fn bad_configurations_fail_at_plan_time_on_the_attribute_without_api_calls() {
    let emulator = Emulator::start();
    // Four at a time: each case is its own working directory, and none may
    // make a call, so the emulator's empty log holds for all of them.
    let failures = std::sync::Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for chunk in CASES.chunks(CASES.len().div_ceil(4)) {
            let (emulator, failures) = (&emulator, &failures);
            scope.spawn(move || {
                for (fixture, message, line) in chunk {
                    let tf = Tf::new(emulator, &format!("bad/{fixture}"));
                    tf.init();
                    let text = tf.plan_fails(&[]);
                    // Terraform quotes the configuration line an attribute
                    // path points at (the output's spacing is collapsed).
                    let line = line.split_whitespace().collect::<Vec<_>>().join(" ");
                    if !text.contains(message) || !text.contains(&line) {
                        failures
                            .lock()
                            .unwrap()
                            .push(format!("{fixture}: expected {message:?} at {line:?} in:\n{text}"));
                    }
                }
            });
        }
    });
    let failures = failures.into_inner().unwrap();
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    assert!(emulator.requests().is_empty(), "API calls were made: {:?}", emulator.requests());
}

#[test]
fn import_ids_of_the_wrong_shape_are_refused_without_api_calls() {
    let emulator = Emulator::start();
    for (address, id, expected) in [
        ("ory_project.p", "my-project", "Import an ory_project by its project ID"),
        ("ory_project_api_key.k", "3fa85f64-5717-4562-b3fc-2c963f66afa6", "<project_id>/<key_id>"),
        ("ory_workspace_api_key.k", "a/b", "<workspace_id>/<key_id>"),
        ("ory_event_stream.s", "x/y/z", "<project_id>/<event_stream_id>"),
        ("ory_workspace.w", "team", "Import an ory_workspace by its workspace ID"),
    ] {
        let tf = Tf::new(&emulator, "import_targets");
        tf.init();
        let run = tf.try_run(&["import", "-input=false", address, id]);
        assert!(!run.ok, "{address} {id}");
        assert!(run.text().contains(expected), "{address} {id}:\n{}", run.text());
    }
    assert!(emulator.requests().is_empty(), "{:?}", emulator.requests());
}

#[test]
fn provider_settings_from_the_environment_are_checked_like_the_configuration() {
    let emulator = Emulator::start();
    for (var, value, expected) in [
        ("ORY_PROJECT_ID", "../x?y#z", "project_id (or ORY_PROJECT_ID) must be a UUID"),
        ("ORY_WORKSPACE_ID", "urn:uuid:3fa85f64", "workspace_id (or ORY_WORKSPACE_ID) must be a UUID"),
        ("ORY_ALLOWED_PROJECT_IDS", ",,", "ORY_ALLOWED_PROJECT_IDS is set but names no project"),
        ("ORY_ALLOWED_PROJECT_IDS", "", "ORY_ALLOWED_PROJECT_IDS is set but names no project"),
        ("ORY_ALLOWED_PROJECT_IDS", "abc", "Every entry of ORY_ALLOWED_PROJECT_IDS must be a project ID"),
        (
            "ORY_WORKSPACE_API_KEY",
            "ory_wak_abc\r\n",
            "workspace_api_key (or ORY_WORKSPACE_API_KEY) contains a line break",
        ),
        ("ORY_CONSOLE_API_URL", "http://10.1.2.3:4433", "is plain http:// to a host other than this machine"),
        ("ORY_CONSOLE_API_URL", "https://u:hunter2@api.console.ory.sh", "must not contain a user name or password"),
        ("ORY_CONSOLE_API_URL", " https://api.console.ory.sh", "must not start or end with spaces"),
        // A password in a URL that does not parse is never echoed either.
        (
            "ORY_CONSOLE_API_URL",
            "https://ci:hunter2@api.console.ory.sh:99999",
            "must not contain a user name or password",
        ),
        ("ORY_CONSOLE_API_URL", "https://ci:hunter2@api console.ory.sh", "must not contain a user name or password"),
        ("ORY_CONSOLE_API_URL", "https://ci:hunter2@[::1", "must not contain a user name or password"),
        ("ORY_CONSOLE_API_URL", " https://ci:hunter2@api.console.ory.sh", "must not contain a user name or password"),
        ("ORY_INSECURE_HTTP", "yes", "ORY_INSECURE_HTTP must be true or false"),
        (
            "ORY_REQUEST_TIMEOUT",
            "forever",
            "request_timeout (or ORY_REQUEST_TIMEOUT) must be a duration from 1s to 10m",
        ),
        ("ORY_REQUEST_TIMEOUT", "0s", "request_timeout (or ORY_REQUEST_TIMEOUT) must be a duration from 1s to 10m"),
    ] {
        let mut tf = Tf::new(&emulator, "bad/provider_env");
        tf.set_env(var, value);
        tf.init();
        let text = tf.plan_fails(&[]);
        assert!(text.contains(expected), "{var}={value:?}: expected {expected:?} in:\n{text}");
        assert!(!text.contains("hunter2"), "a password is in the message: {text}");
        assert!(emulator.requests().is_empty(), "{var}: API calls were made: {:?}", emulator.requests());
    }
}
