//! The provider against a console API that misbehaves on purpose
//! (`support::hostile`): every misbehaviour ends in a clear error, bounded
//! in requests and memory, and nothing it sends reaches a path, the state or
//! the terminal unchecked.

use crate::support::hostile::{Answer, Hostile};
use crate::support::{Tf, PROVIDER_BLOCKS};

const PROJECT_ID: &str = "3fa85f64-5717-4562-b3fc-2c963f66afa6";

/// A working directory against `server` with this provider block and body.
fn terraform(server: &Hostile, provider: &str, body: &str) -> Tf {
    let tf = Tf::against(&server.url, "hostile");
    tf.write("main.tf", &format!("provider \"ory\" {{\n{provider}\n}}\n\n{body}\n"));
    tf.init();
    tf
}

const ONE_PROJECT: &str = r#"data "ory_project" "p" { id = "3fa85f64-5717-4562-b3fc-2c963f66afa6" }"#;

fn project_json(id: &str, name: &str) -> String {
    serde_json::json!({
        "id": id, "slug": "s", "name": name, "environment": "dev", "home_region": "eu-central",
        "state": "running", "revision_id": "3fa85f64-5717-4562-b3fc-2c963f66afa7", "services": {}
    })
    .to_string()
}

#[test]
fn class_4_a_huge_answer_is_cut_off_with_an_error() {
    for (what, declared) in [("endless chunked body", None), ("declared 500 MB body", Some(500 * 1024 * 1024))] {
        let server = Hostile::start(move |_| declared.map_or(Answer::Endless, Answer::Declared));
        let tf = terraform(&server, "max_retries = 0", ONE_PROJECT);
        let text = tf.plan_fails(&[]);
        assert!(
            text.contains(
                "the answer to getProject was larger than 16 MB, more than any real answer: its reading was stopped"
            ),
            "{what}: {text}"
        );
        assert_eq!(server.requests().len(), 1, "{what}: {:?}", server.requests());
    }
}

#[test]
fn class_4_page_tokens_that_never_end_or_repeat_stop_with_an_error() {
    let counter = std::sync::atomic::AtomicUsize::new(0);
    let server = Hostile::start(move |_| {
        let n = counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        Answer::Json(200, format!(r#"{{"workspaces":[],"has_next_page":true,"next_page_token":"t{n}"}}"#))
    });
    let tf = terraform(&server, "", r#"data "ory_workspaces" "all" {}"#);
    let text = tf.plan_fails(&[]);
    assert!(
        text.contains("listing with listWorkspaces was stopped: the server still had a next page after 200 pages"),
        "{text}"
    );
    assert_eq!(server.requests().len(), 200);

    let server = Hostile::start(|_| {
        Answer::Json(200, r#"{"workspaces":[],"has_next_page":true,"next_page_token":"again"}"#.into())
    });
    let tf = terraform(&server, "", r#"data "ory_workspaces" "all" {}"#);
    let text = tf.plan_fails(&[]);
    assert!(text.contains("the server sent the page token \"again\" a second time"), "{text}");
    assert_eq!(server.requests().len(), 2);
}

#[test]
fn class_5_an_id_from_the_server_that_is_not_one_never_reaches_a_path_or_the_state() {
    let bad = "../workspaces/x";
    let server = Hostile::start(move |request| match request {
        "GET /projects" => Answer::Json(200, "[]".into()),
        "POST /projects" => Answer::Json(201, project_json(bad, "p")),
        _ => Answer::Json(200, format!("[{}]", project_json(bad, "p"))),
    });
    let tf = terraform(&server, "max_retries = 0", r#"resource "ory_project" "p" { name = "p" }"#);
    let run = tf.try_run(&["apply", "-auto-approve", "-input=false"]);
    assert!(!run.ok);
    let text = run.text();
    assert!(text.contains(r#"at id: "../workspaces/x" is not an ID (letters, digits, - and _ only)"#), "{text}");
    let requests = server.requests();
    assert!(requests.iter().all(|r| !r.contains("..") && !r.starts_with("DELETE")), "{requests:?}");
    let state = std::fs::read_to_string(tf.dir().join("terraform.tfstate")).unwrap_or_default();
    assert!(!state.contains(bad), "{state}");
}

#[test]
fn class_8_server_text_cannot_steer_the_terminal_and_long_text_is_cut() {
    let message = format!("\u{1b}[2J\u{1b}[31mowned\rfake prompt $ {}", "y".repeat(5000));
    let body =
        serde_json::json!({"error": {"code": 404, "status": "Not\u{1b}[0m Found", "message": message}}).to_string();
    let server = Hostile::start(move |_| Answer::Json(404, body.clone()));
    let tf = terraform(&server, "", ONE_PROJECT);
    let run = tf.try_run(&["plan", "-input=false"]);
    assert!(!run.ok);
    let all = format!("{}{}", run.stdout, run.stderr);
    assert!(!all.contains('\u{1b}') && !all.contains('\r'), "a control character reached the terminal: {all:?}");
    let text = run.text();
    assert!(text.contains(r"\u{1b}[2J\u{1b}[31mowned\rfake prompt"), "{text}");
    assert!(text.contains("more characters cut)"), "{text}");
    assert!(all.len() < 8000, "{} characters printed", all.len());
}

#[test]
fn class_10_a_redirect_loop_says_so() {
    let server = Hostile::start(|request| match request.split(' ').nth(1) {
        Some("/a") => Answer::Redirect("/b".into()),
        Some("/b") => Answer::Redirect("/a".into()),
        _ => Answer::Redirect("/a".into()),
    });
    let tf = terraform(&server, "", ONE_PROJECT);
    let text = tf.plan_fails(&[]);
    assert!(text.contains(&format!("the console API at {}/ redirected in a loop", server.url)), "{text}");
    assert!(text.contains("/a -> ") && text.contains("/b -> "), "{text}");
    assert_eq!(server.requests().len(), 3, "{:?}", server.requests());

    // Too many hops, one of them with credentials: said so, and the password never shown.
    let hop = std::sync::atomic::AtomicUsize::new(0);
    let own = std::sync::Arc::new(std::sync::OnceLock::<String>::new());
    let address = own.clone();
    let server = Hostile::start(move |_| {
        let n = hop.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let host = address.get().unwrap().trim_start_matches("http://").to_string();
        Answer::Redirect(format!("http://user:hunter2@{host}/hop{n}"))
    });
    own.set(server.url.clone()).unwrap();
    let tf = terraform(&server, "", ONE_PROJECT);
    let text = tf.plan_fails(&[]);
    assert!(text.contains("redirected more than 5 times"), "{text}");
    assert!(!text.contains("hunter2"), "{text}");
}

#[test]
fn class_11_an_unresponsive_server_costs_at_most_three_request_timeouts() {
    for (provider, env) in [("request_timeout = \"1s\"", None), ("", Some("1s"))] {
        let server = Hostile::start(|_| Answer::Silent);
        let mut tf = terraform(&server, provider, ONE_PROJECT);
        if let Some(value) = env {
            tf.set_env("ORY_REQUEST_TIMEOUT", value);
        }
        let text = tf.plan_fails(&[]);
        assert!(
            text.contains(
                "no complete answer within the request timeout (1s); one call and its retries stop after 3 times it"
            ),
            "{text}"
        );
        // With max_retries 6 and 1s per attempt, only the three-timeout bound ends it this early.
        let sent = server.requests().len();
        assert!((1..=3).contains(&sent), "{sent} requests: {:?}", server.requests());
    }
}

#[test]
fn class_11_retry_after_as_an_http_date_is_honoured() {
    let served = std::sync::Arc::new(std::sync::Mutex::new(Vec::<std::time::Instant>::new()));
    let times = served.clone();
    let server = Hostile::start(move |_| {
        let mut served = times.lock().unwrap();
        served.push(std::time::Instant::now());
        if served.len() == 1 {
            // Two seconds ahead, in whole seconds: at least one second's wait.
            let when = std::time::SystemTime::now() + std::time::Duration::from_secs(2);
            return Answer::Busy(httpdate::fmt_http_date(when));
        }
        Answer::Json(200, project_json(PROJECT_ID, "p"))
    });
    let tf = terraform(&server, "", ONE_PROJECT);
    tf.run(&["plan", "-input=false"]);
    let served = served.lock().unwrap();
    assert_eq!(served.len(), 2);
    // Without the date the first retry would wait about 0.3 s.
    let waited = served[1] - served[0];
    assert!(waited >= std::time::Duration::from_secs(1), "retried after {waited:?}");
}

/// Hardening, round 3 (issue 20): a redirect to another origin never takes
/// a request's body there, whichever of the two body-keeping redirects.
#[test]
fn round_3_a_body_never_follows_a_redirect_to_another_origin() {
    for status in [307, 308] {
        let elsewhere = Hostile::start(|_| Answer::Json(201, "{}".into()));
        let target = format!("{}/workspaces", elsewhere.url);
        let server = Hostile::start(move |request| match request {
            "GET /workspaces?page_size=250" => Answer::Json(200, r#"{"workspaces":[],"has_next_page":false}"#.into()),
            _ => Answer::Headed(status, vec![format!("location: {target}")], "{}".into()),
        });
        let tf = terraform(&server, "max_retries = 0", r#"resource "ory_workspace" "w" { name = "body-secret-w" }"#);
        let run = tf.try_run(&["apply", "-auto-approve", "-input=false"]);
        assert!(!run.ok, "{status}");
        let text = run.text();
        assert!(text.contains(&format!("to another origin with a {status}")), "{status}: {text}");
        assert!(elsewhere.requests().is_empty(), "{status}: the body went to {:?}", elsewhere.bodies());
    }
}

/// Absurd rate headers: no panic, and no wait past a call's budget.
#[test]
fn round_3_absurd_rate_headers_neither_panic_nor_hold_a_call() {
    // (limit, remaining, whether the second call must be refused as past its budget)
    for (limit, remaining, refused) in [
        ("1e-300", "0", true),
        ("5", "-inf", false),
        ("0.0001", "0", true),
        ("NaN", "NaN", false),
        ("1e-300;w=1", "-1e308", true),
    ] {
        let server = Hostile::start(move |_| {
            Answer::Headed(
                200,
                vec![format!("x-ratelimit-limit: {limit}"), format!("x-ratelimit-remaining: {remaining}")],
                project_json(PROJECT_ID, "p"),
            )
        });
        let body = format!("{ONE_PROJECT}\ndata \"ory_project\" \"again\" {{ id = \"{PROJECT_ID}\" }}");
        let tf = terraform(&server, "request_timeout = \"1s\"", &body);
        let started = std::time::Instant::now();
        let run = tf.try_run(&["plan", "-input=false", "-parallelism=1"]);
        let text = run.text();
        assert!(!text.contains("Provider internal error") && !text.contains("panicked"), "{limit}: {text}");
        assert_eq!(!run.ok, refused, "{limit}, {remaining}: {text}");
        if refused {
            assert!(
                text.contains("would make it wait") && text.contains("past the 3 s a call may take"),
                "{limit}: {text}"
            );
        }
        // Never the 10,000 s a 0.0001/s limit asks for.
        assert!(started.elapsed() < std::time::Duration::from_secs(60), "{limit}: {:?}", started.elapsed());
    }
}

/// A listing is bounded whole: in bytes over all its pages, and in time.
#[test]
fn round_3_huge_and_slow_listings_are_bounded_whole() {
    let counter = std::sync::atomic::AtomicUsize::new(0);
    let pad = "x".repeat(1024 * 1024);
    let server = Hostile::start(move |_| {
        let n = counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        Answer::Json(200, format!(r#"{{"workspaces":[],"has_next_page":true,"next_page_token":"t{n}","pad":"{pad}"}}"#))
    });
    let tf = terraform(&server, "", r#"data "ory_workspaces" "all" {}"#);
    let text = tf.plan_fails(&[]);
    assert!(
        text.contains("listing with listWorkspaces was stopped: its pages passed 32 MB in all after 32 pages"),
        "{text}"
    );
    assert_eq!(server.requests().len(), 32);

    let counter = std::sync::atomic::AtomicUsize::new(0);
    let server = Hostile::start(move |_| {
        let n = counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let page = format!(r#"{{"workspaces":[],"has_next_page":true,"next_page_token":"t{n}"}}"#);
        Answer::Slow(std::time::Duration::from_millis(400), 200, page)
    });
    let tf = terraform(&server, "request_timeout = \"1s\"", r#"data "ory_workspaces" "all" {}"#);
    let text = tf.plan_fails(&[]);
    assert!(text.contains("pages took more than the 3 s one call may take"), "{text}");
    let pages = server.requests().len();
    assert!((7..=10).contains(&pages), "{pages} pages of 0.4 s in a 3 s bound");
}

/// A server echoing credentials, in clear or escaped, shows none of them.
#[test]
fn round_3_echoed_credentials_are_hidden_in_every_encoding() {
    // The workspace key, from the environment, echoed by a 401.
    let server = Hostile::start(|_| {
        let reason = "bad Authorization header: Bearer ory_wak_hostile (key ory_wak_hostile unknown)";
        Answer::Json(
            401,
            serde_json::json!({"error": {"code": 401, "message": "Unauthorized", "reason": reason}}).to_string(),
        )
    });
    let tf = terraform(&server, "", ONE_PROJECT);
    let text = tf.plan_fails(&[]);
    assert!(text.contains("workspace API key was refused"), "{text}");
    assert!(!text.contains("ory_wak_hostile"), "{text}");

    // A secret of the configuration, echoed by a 400 JSON-escaped, as Go
    // escapes it, and percent-encoded.
    let secret = "smtp://u:p\"a\\ss<&>\tw0rd@mail.example.com";
    let json = serde_json::to_string(secret).unwrap();
    let go = json.replace('<', "\\u003c").replace('>', "\\u003e").replace('&', "\\u0026");
    let percent = percent_encoding::utf8_percent_encode(secret, percent_encoding::NON_ALPHANUMERIC).to_string();
    let reason = format!("Unable to validate config: {json} is bad; as Go says {go}; in a URL {percent}");
    let project = project_json(PROJECT_ID, "p");
    let server = Hostile::start(move |request| {
        if request.starts_with("PATCH") {
            let body = serde_json::json!({"error": {"code": 400, "message": "Bad Request", "reason": reason.clone()}});
            Answer::Json(400, body.to_string())
        } else {
            Answer::Json(200, project.clone())
        }
    });
    let config = format!(
        "resource \"ory_project_config\" \"c\" {{\n  project_id = \"{PROJECT_ID}\"\n  secrets = {{ \"/services/identity/config/courier/smtp/connection_uri\" = {} }}\n}}",
        serde_json::to_string(secret).unwrap()
    );
    let tf = terraform(&server, "max_retries = 0", &config);
    let run = tf.try_run(&["apply", "-auto-approve", "-input=false"]);
    assert!(!run.ok);
    let all = format!("{}{}", run.stdout, run.stderr);
    assert!(all.contains("(sensitive value)"), "{all}");
    for fragment in ["p\\\"a", "p\"a", "\\u003c\\u0026", "<&>", "w0rd", "%3C%26%3E"] {
        assert!(!all.contains(fragment), "{fragment:?} of the secret shown:\n{all}");
    }
}

/// A SIGTERM to the provider itself (a service manager, a `pkill`, a
/// runner that signals every process) ends its waits as `StopProvider`
/// does, and Terraform's apply ends with it: a request that never answers,
/// and a pacer wait of 100 s that a call's budget of 120 s allows. Before,
/// the provider shut its server down (so `StopProvider` could not reach it)
/// and its handlers ran to the end of their waits. A SIGTERM to the whole
/// process group is tried too.
#[test]
fn round_3_sigterm_ends_waits_at_once() {
    let silent = Hostile::start(|_| Answer::Silent);
    let paced = Hostile::start(|_| {
        Answer::Headed(
            200,
            vec!["x-ratelimit-limit: 0.01".into(), "x-ratelimit-remaining: 0".into()],
            r#"{"workspaces":[],"has_next_page":false}"#.into(),
        )
    });
    let cases = [
        ("a request never answered", &silent, "the provider"),
        ("a pacer wait of 100 s", &paced, "the provider"),
        ("a request never answered", &silent, "the process group"),
    ];
    for (what, server, target) in cases {
        let before = server.requests().len();
        let body = r#"resource "ory_workspace" "w" { name = "w" }"#;
        let tf = terraform(server, "request_timeout = \"40s\"\nmax_retries = 0", body);
        let mut child = tf.spawn(&["apply", "-auto-approve", "-input=false"]);
        while server.requests().len() == before {
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        std::thread::sleep(std::time::Duration::from_millis(500));
        let group = format!("{}", child.id());
        let sent = std::time::Instant::now();
        let signalled = match target {
            "the provider" => std::process::Command::new("pkill")
                .args(["-TERM", "-g", &group, "-f", "terraform-provider-ory"])
                .status()
                .unwrap(),
            _ => std::process::Command::new("kill").args(["-TERM", "--", &format!("-{group}")]).status().unwrap(),
        };
        assert!(signalled.success(), "{what}: nothing to signal");
        let alive = || {
            let out = std::process::Command::new("pgrep").args(["-g", &group]).output().unwrap();
            !String::from_utf8_lossy(&out.stdout).trim().is_empty()
        };
        // 20 s: well under the 40 s a silent request takes to time out and
        // the 100 s pacer wait, which are what the provider waited before.
        let bound = std::time::Duration::from_secs(20);
        while child.try_wait().unwrap().is_none() && sent.elapsed() < bound {
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        assert!(child.try_wait().unwrap().is_some(), "{what}, SIGTERM to {target}: terraform still runs");
        while alive() && sent.elapsed() < bound {
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        let stopped = sent.elapsed();
        assert!(!alive(), "{what}, SIGTERM to {target}: the provider still runs {stopped:?} later");
        eprintln!("{what}, SIGTERM to {target}: every process had exited {:.1} s later", stopped.as_secs_f64());
    }
}

/// Issue 21: nothing listening on this machine (an emulator not started, a
/// wrong port) is said at once, naming the URL and the setting, instead of
/// seven retries (17 s before).
#[test]
fn a_refused_connection_on_this_machine_fails_at_once_naming_the_setting() {
    for host in ["127.0.0.1", "localhost"] {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let url = format!("http://{host}:{port}");
        let tf = Tf::against(&url, "hostile");
        tf.write("main.tf", &format!("provider \"ory\" {{}}\n\n{ONE_PROJECT}\n"));
        tf.init();
        let started = std::time::Instant::now();
        let text = tf.plan_fails(&[]);
        let took = started.elapsed();
        assert!(text.contains("(1 attempt)"), "{host}: retried: {text}");
        assert!(text.contains(&format!("Nothing accepted a connection at {url}")), "{host}: {text}");
        assert!(text.contains("check console_api_url (or ORY_CONSOLE_API_URL)"), "{host}: {text}");
        eprintln!("{host}: a refused connection failed the plan in {:.2} s", took.as_secs_f64());
    }
}

/// Round 4, the first hour: a project's API that cannot be reached names
/// project_api_url; a host name that does not resolve fails at once; and a
/// key made by an emulator on this machine is never sent to Ory Network.
#[test]
fn round_4_the_project_api_is_named_and_a_key_never_leaves_its_server() {
    use crate::support::Emulator;
    let emulator = Emulator::start();
    let project = emulator.new_project("first hour");
    let slug = emulator.project(&project)["slug"].as_str().unwrap().to_string();
    let mut tf = Tf::new(&emulator, "oauth2_client_own_project");
    tf.write(
        "main.tf",
        &format!(
            "{PROVIDER_BLOCKS}\nresource \"ory_oauth2_client\" \"c\" {{\n  project_id  = \"{project}\"\n  client_name = \"c\"\n}}\n"
        ),
    );
    tf.init();
    let apply = |tf: &Tf| tf.try_run(&["apply", "-auto-approve", "-input=false"]).text();

    // 1. No ORY_PROJECT_API_URL: Ory Network's default is not beside the
    // emulator, so no key is made and none is sent there.
    tf.remove_env("ORY_PROJECT_API_URL");
    let keys = emulator.count("createProjectApiKey");
    let out = apply(&tf);
    assert!(out.contains("The project API is not beside the console API"), "{out}");
    assert!(out.contains("ORY_PROJECT_API_URL"), "{out}");
    assert_eq!(emulator.count("createProjectApiKey"), keys, "a key was made");

    // 2. A project API on this machine where nothing listens: at once,
    // naming project_api_url, not the console's setting.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    tf.set_env("ORY_PROJECT_API_URL", &format!("http://127.0.0.1:{port}/{{slug}}"));
    let out = apply(&tf);
    assert!(out.contains("(1 attempt)") && out.contains("could not reach the project's API"), "{out}");
    assert!(out.contains("check project_api_url (or ORY_PROJECT_API_URL)"), "{out}");
    assert!(!out.contains("console_api_url"), "{out}");

    // 3. A host name that does not resolve: at once, with the same hint.
    let key = emulator.project_key(&project);
    tf.set_env("ORY_PROJECT_API_KEY", &key);
    tf.set_env("ORY_PROJECT_SLUG", &slug);
    tf.set_env("ORY_PROJECT_API_URL", "https://{slug}.nowhere.invalid");
    let started = std::time::Instant::now();
    let out = apply(&tf);
    assert!(out.contains("(1 attempt)") && out.contains("check project_api_url (or ORY_PROJECT_API_URL)"), "{out}");
    assert!(!out.contains(&key), "{out}");
    eprintln!("a host that does not resolve failed the apply in {:.2} s", started.elapsed().as_secs_f64());

    // 4. A refused project key is the project key's fault, not the
    // workspace key's.
    tf.set_env("ORY_PROJECT_API_URL", &format!("{}/project-api/{{slug}}", emulator.url));
    tf.set_env("ORY_PROJECT_API_KEY", "ory_pat_notakeyofthisproject");
    let out = apply(&tf);
    assert!(out.contains("the project API key was refused"), "{out}");
    assert!(!out.contains("workspace API key was refused"), "{out}");
}

/// Round 4: `adopt` is configured as the provider is, from the same
/// environment, with the same checks and retries.
#[test]
fn round_4_adopt_takes_the_provider_s_settings_and_checks() {
    use std::process::Command;
    let adopt = |env: &[(&str, &str)]| {
        let mut cmd = Command::new(crate::support::provider_bin());
        cmd.arg("adopt").env("ORY_WORKSPACE_API_KEY", "ory_wak_adoptsettings");
        for var in
            ["ORY_CONSOLE_API_URL", "ORY_PROJECT_API_URL", "ORY_PROJECT_API_KEY", "ORY_PROJECT_SLUG", "ORY_MAX_RETRIES"]
        {
            cmd.env_remove(var);
        }
        let out = cmd.envs(env.iter().copied()).output().unwrap();
        (out.status.success(), String::from_utf8_lossy(&out.stderr).to_string())
    };
    let (ok, err) = adopt(&[("ORY_CONSOLE_API_URL", "http://console.example.com")]);
    assert!(!ok && err.contains("Plain HTTP to another host"), "{err}");
    let (ok, err) = adopt(&[("ORY_CONSOLE_API_URL", "https://ci:hunter2@127.0.0.1:1")]);
    assert!(!ok && err.contains("user name or password") && !err.contains("hunter2"), "{err}");
    let (ok, err) = adopt(&[("ORY_PROJECT_API_URL", "https://projects.example.com")]);
    assert!(!ok && err.contains("{slug}"), "{err}");
    let (ok, err) = adopt(&[("ORY_MAX_RETRIES", "many")]);
    assert!(!ok && err.contains("max_retries"), "{err}");
    // ORY_MAX_RETRIES=0: a 503 is not sent again.
    let server = Hostile::start(|_| Answer::Json(503, "{}".into()));
    let (ok, err) = adopt(&[("ORY_CONSOLE_API_URL", &server.url), ("ORY_MAX_RETRIES", "0")]);
    assert!(!ok && err.contains("503"), "{err}");
    assert_eq!(server.requests().len(), 1, "{:?}", server.requests());
}

/// Round 4: a project API's listings are bounded whole as the console's
/// are (pages, bytes, time). A data source past the bound fails, naming
/// it; a refresh past it reads its object on its own instead, once.
#[test]
fn round_4_project_api_listings_are_bounded_and_a_refresh_reads_alone() {
    const IDENTITY: &str = "8d6e0f0a-2b1c-4d3e-9f4a-5b6c7d8e9f00";
    let identity = |id: &str| {
        format!(
            r#"{{"id":"{id}","schema_id":"preset://email","state":"active","traits":{{"email":"{id}@example.com"}},"metadata_public":{{"pad":"{}"}}}}"#,
            "p".repeat(2000)
        )
    };
    let counter = std::sync::atomic::AtomicUsize::new(0);
    let server = Hostile::start(move |request| {
        if request.contains(&format!("/admin/identities/{IDENTITY}")) {
            return Answer::Json(200, identity(IDENTITY));
        }
        if request.contains("/projects/") {
            return Answer::Json(200, project_json(PROJECT_ID, "bounded"));
        }
        // 100 identities of 2 KB a page, and always a next page.
        let n = counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let page: Vec<String> =
            (0..100).map(|i| identity(&format!("00000000-0000-4000-8000-{:012}", n * 100 + i))).collect();
        let link = format!("link: </s/admin/identities?page_size=250&page_token=t{n}>; rel=\"next\"");
        Answer::Headed(200, vec![link], format!("[{}]", page.join(",")))
    });
    let provider = format!(
        "project_api_url = \"{}/{{slug}}\"\n  project_api_key = \"ory_pat_boundedlistings\"\n  project_slug = \"s\"\n  project_id = \"{PROJECT_ID}\"",
        server.url
    );
    let tf = terraform(&server, &provider, r#"data "ory_identities" "all" {}"#);
    let text = tf.plan_fails(&[]);
    assert!(text.contains("listing with listIdentities was stopped: its pages passed 32 MB"), "{text}");
    let listed = server.requests().len();
    assert!((150..=170).contains(&listed), "{listed} pages of 200 KB before 32 MB");

    // An imported identity in that project: one listing, past its bound,
    // then the identity's own read.
    tf.write(
        "main.tf",
        &format!(
            "provider \"ory\" {{\n{provider}\n}}\n\nresource \"ory_identity\" \"one\" {{\n  schema_id = \"preset://email\"\n  traits = jsonencode({{ email = \"{IDENTITY}@example.com\" }})\n}}\n"
        ),
    );
    tf.run(&["import", "-input=false", "ory_identity.one", IDENTITY]);
    let requests = server.requests();
    let own_reads = requests.iter().filter(|r| r.contains(IDENTITY)).count();
    assert_eq!(own_reads, 1, "{:?}", &requests[listed..]);
    assert!(requests.len() - listed <= 170, "one listing, then the read: {}", requests.len() - listed);
}

/// Issue 35, item 10: requests name Terraform's version and this provider's,
/// and what `TF_APPEND_USER_AGENT` adds, as Terraform's own providers do;
/// an appended value that is no header value is left out.
#[test]
fn requests_name_terraform_this_provider_and_what_the_user_appends() {
    let server = Hostile::start(|_| Answer::Json(200, project_json(PROJECT_ID, "agent")));
    let mut tf = terraform(&server, "", ONE_PROJECT);
    tf.set_env("TF_APPEND_USER_AGENT", "acme-ci/1.2 (pipeline 7)");
    tf.plan(&[]);
    let version = crate::support::terraform_version();
    let expected = format!("user-agent: Terraform/{}.{}.", version.0, version.1);
    let agent = server
        .headers()
        .iter()
        .flat_map(|h| h.lines().map(str::to_string).collect::<Vec<_>>())
        .find(|l| l.to_ascii_lowercase().starts_with("user-agent:"))
        .unwrap();
    assert!(agent.to_ascii_lowercase().starts_with(&expected.to_ascii_lowercase()), "{agent}");
    assert!(
        agent.contains(&format!("terraform-provider-ory/{} acme-ci/1.2 (pipeline 7)", env!("CARGO_PKG_VERSION"))),
        "{agent}"
    );
}
