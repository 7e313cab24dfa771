//! The provider against a console API that misbehaves on purpose
//! (`support::hostile`): every misbehaviour ends in a clear error, bounded
//! in requests and memory, and nothing it sends reaches a path, the state or
//! the terminal unchecked.

use crate::support::hostile::{Answer, Hostile};
use crate::support::Tf;

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
