//! The console client over its transport, against scripted servers.

use super::*;
use crate::console::{ApiKeyId, CreateProject, Owner, ProjectId};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

fn http_answer(status: &str, body: &str) -> String {
    format!(
        "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    )
}

/// Serves one canned HTTP answer and hands back the request it got.
async fn one_shot(answer: String) -> (String, tokio::task::JoinHandle<String>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let served = tokio::spawn(async move {
        let (mut stream, _) = listener.accept().await.unwrap();
        let mut buf = vec![0; 8192];
        let n = stream.read(&mut buf).await.unwrap();
        stream.write_all(answer.as_bytes()).await.unwrap();
        String::from_utf8_lossy(&buf[..n]).to_string()
    });
    (url, served)
}

#[tokio::test]
async fn requests_carry_the_key_and_user_agent_and_errors_read_well() {
    let body = r#"{"error":{"code":404,"status":"Not Found","message":"The requested resource could not be found","reason":"No such project","request":"req-1"}}"#;
    let (url, served) = one_shot(http_answer("404 Not Found", body)).await;
    let client = Client::new(Config::new(url, "ory_wak_secret")).unwrap();
    let err = client.projects().get(&ProjectId::from("3fa85f64-5717-4562-b3fc-2c963f66afa6")).await.unwrap_err();
    assert!(err.is_not_found());
    assert_eq!(
        err.to_string(),
        "404 Not Found: The requested resource could not be found (No such project; request req-1)"
    );
    let request = served.await.unwrap().to_ascii_lowercase();
    assert!(request.starts_with("get /projects/3fa85f64-5717-4562-b3fc-2c963f66afa6 "), "{request}");
    assert!(request.contains("authorization: bearer ory_wak_secret"));
    assert!(request.contains(&format!("user-agent: terraform-provider-ory/{}", env!("CARGO_PKG_VERSION"))));
}

#[tokio::test]
async fn unknown_fields_are_kept_and_bad_bodies_name_the_path() {
    let ok = r#"{"id":"i","slug":"s","name":"n","environment":"dev","home_region":"eu","state":"running","revision_id":"r","services":{"identity":{}},"brand_new":1}"#;
    let (url, _) = one_shot(http_answer("200 OK", ok)).await;
    let project = Client::new(Config::new(url, "k")).unwrap().projects().get(&ProjectId::from("i")).await.unwrap();
    assert_eq!(project.document()["brand_new"], 1);
    assert!(project.document().get("services").is_some());

    let bad = r#"{"id":"i","slug":"s","name":7}"#;
    let (url, _) = one_shot(http_answer("200 OK", bad)).await;
    let err = Client::new(Config::new(url, "k")).unwrap().projects().get(&ProjectId::from("i")).await.unwrap_err();
    assert!(err.to_string().contains("at name"), "{err}");
}

/// A server that accepts a connection, then never answers.
async fn silent_server() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let (stream, _) = listener.accept().await.unwrap();
        std::future::pending::<()>().await;
        drop(stream);
    });
    url
}

#[tokio::test]
async fn a_request_that_takes_too_long_fails() {
    let url = silent_server().await;
    let mut config = Config::new(url, "k");
    config.http.request_timeout = Duration::from_millis(200);
    config.http.max_retries = 0;
    let err = Client::new(config).unwrap().projects().get(&ProjectId::from("i")).await.unwrap_err();
    assert!(matches!(err, Error::Transport { attempts: 1, .. }), "{err}");
}

/// Serves `answers` in order, one per connection, and records each
/// request's first line.
async fn scripted(answers: Vec<String>) -> (String, std::sync::Arc<std::sync::Mutex<Vec<String>>>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let log = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let seen = log.clone();
    tokio::spawn(async move {
        for answer in answers {
            let (mut stream, _) = listener.accept().await.unwrap();
            let mut buf = vec![0; 8192];
            let n = stream.read(&mut buf).await.unwrap();
            let first = String::from_utf8_lossy(&buf[..n]).lines().next().unwrap_or_default().to_string();
            seen.lock().unwrap().push(first);
            stream.write_all(answer.as_bytes()).await.unwrap();
        }
    });
    (url, log)
}

fn requests(log: &std::sync::Mutex<Vec<String>>) -> Vec<String> {
    log.lock().unwrap().iter().map(|l| l.split(' ').take(2).collect::<Vec<_>>().join(" ")).collect()
}

fn quick(url: String, max_retries: u32) -> Client {
    let mut config = Config::new(url, "k");
    config.http.max_retries = max_retries;
    config.http.retry_base = Duration::from_millis(1);
    Client::new(config).unwrap()
}

const PROJECT: &str = r#"{"id":"i","slug":"s","name":"n","environment":"dev","home_region":"eu","state":"running"}"#;

#[tokio::test]
async fn reads_are_retried_through_server_errors_and_rate_limits() {
    let busy = "HTTP/1.1 429 Too Many Requests\r\nretry-after: 0\r\nx-ratelimit-reset: 0\r\ncontent-length: 0\r\nconnection: close\r\n\r\n".to_string();
    let (url, log) =
        scripted(vec![http_answer("503 Service Unavailable", "{}"), busy, http_answer("200 OK", PROJECT)]).await;
    let project = quick(url, 6).projects().get(&ProjectId::from("i")).await.unwrap();
    assert_eq!(project.name, "n");
    assert_eq!(requests(&log).len(), 3);
}

#[tokio::test]
async fn retries_stop_at_max_retries() {
    let (url, log) = scripted(vec![http_answer("502 Bad Gateway", "{}"); 3]).await;
    let err = quick(url, 2).projects().get(&ProjectId::from("i")).await.unwrap_err();
    assert_eq!(err.status(), Some(502));
    assert_eq!(requests(&log).len(), 3, "one attempt and two retries");
}

#[tokio::test]
async fn an_unanswered_post_is_read_back_and_adopted_not_resent() {
    let made = r#"[{"id":"i","slug":"s","name":"n","environment":"dev","home_region":"eu","state":"running"}]"#;
    let (url, log) = scripted(vec![
        http_answer("200 OK", "[]"),
        http_answer("500 Internal Server Error", "{}"),
        http_answer("200 OK", made),
    ])
    .await;
    let body = CreateProject { name: "n".into(), environment: "dev".into(), home_region: None, workspace_id: None };
    let project = quick(url, 6).projects().create(&body).await.unwrap();
    assert_eq!(project.id, "i");
    assert_eq!(project.slug, "s");
    // The baseline, the lost create, the read-back; nothing is sent again.
    assert_eq!(requests(&log), ["GET /projects", "POST /projects", "GET /projects"]);
}

#[tokio::test]
async fn an_unanswered_post_that_made_nothing_is_sent_again() {
    let (url, log) = scripted(vec![
        http_answer("200 OK", "[]"),
        http_answer("503 Service Unavailable", "{}"),
        http_answer("200 OK", "[]"),
        http_answer("201 Created", PROJECT),
    ])
    .await;
    let body = CreateProject { name: "n".into(), environment: "dev".into(), home_region: None, workspace_id: None };
    quick(url, 6).projects().create(&body).await.unwrap();
    assert_eq!(requests(&log), ["GET /projects", "POST /projects", "GET /projects", "POST /projects"]);
}

#[tokio::test]
async fn a_project_that_existed_before_the_create_is_never_adopted() {
    // Same name and fields, but listed before the create was sent.
    let before = r#"[{"id":"old","slug":"s","name":"n","environment":"dev","home_region":"eu","state":"running"}]"#;
    let (url, log) = scripted(vec![
        http_answer("200 OK", before),
        http_answer("502 Bad Gateway", "{}"),
        http_answer("200 OK", before),
        http_answer("201 Created", PROJECT),
    ])
    .await;
    let body = CreateProject { name: "n".into(), environment: "dev".into(), home_region: None, workspace_id: None };
    let project = quick(url, 6).projects().create(&body).await.unwrap();
    assert_eq!(project.id, "i");
    assert_eq!(requests(&log), ["GET /projects", "POST /projects", "GET /projects", "POST /projects"]);
}

#[tokio::test]
async fn a_rate_limited_post_is_resent() {
    let (url, log) = scripted(vec![
        http_answer("200 OK", "[]"),
        http_answer("429 Too Many Requests", "{}"),
        http_answer("201 Created", PROJECT),
    ])
    .await;
    let body = CreateProject { name: "n".into(), environment: "dev".into(), home_region: None, workspace_id: None };
    quick(url, 6).projects().create(&body).await.unwrap();
    assert_eq!(requests(&log), ["GET /projects", "POST /projects", "POST /projects"]);
}

#[tokio::test]
async fn a_project_outside_the_allow_list_is_refused_without_a_request() {
    let (url, log) = scripted(vec![http_answer("200 OK", PROJECT)]).await;
    let mut config = Config::new(url, "k");
    config.allowed_project_ids = Some(["a-allowed".to_string(), "b-allowed".to_string()].into_iter().collect());
    let client = Client::new(config).unwrap();
    let err = client.projects().purge(&ProjectId::from("c-other")).await.unwrap_err();
    assert_eq!(
        err.to_string(),
        "project c-other is not one of the allowed projects (a-allowed, b-allowed); no request was sent"
    );
    assert!(client.api_keys(Owner::Project(ProjectId::from("c-other"))).list().await.is_err());
    assert!(client.event_streams(&ProjectId::from("c-other")).list().await.is_err());
    assert!(client.members(&ProjectId::from("c-other")).list().await.is_err());
    assert!(requests(&log).is_empty());
}

#[tokio::test]
async fn an_id_that_is_not_one_is_refused_never_rewritten_and_never_sent() {
    let (url, log) = scripted(vec![http_answer("200 OK", PROJECT)]).await;
    let client = Client::new(Config::new(url, "k")).unwrap();
    for id in ["../x?y#z", "x?a=b", "", "a/b", "%2e%2e", "urn:uuid:3fa85f64-5717-4562-b3fc-2c963f66afa6"] {
        let err = client.projects().purge(&ProjectId::from(id)).await.unwrap_err().to_string();
        assert!(err.contains("is not an ID") && err.contains("was not sent"), "{id}: {err}");
        assert!(
            client.api_keys(Owner::Project(ProjectId::from("p"))).delete(&ApiKeyId::from(id)).await.is_err(),
            "{id}"
        );
    }
    let err = client.projects().get(&ProjectId::from("../x?y#z")).await.unwrap_err().to_string();
    assert!(err.contains("\"../x?y#z\" is not an ID"), "{err}");
    assert!(requests(&log).is_empty(), "{:?}", requests(&log));
}

#[tokio::test]
async fn stop_ends_requests_and_retry_waits_at_once() {
    let url = silent_server().await;
    let (stop, watch) = tokio::sync::watch::channel(false);
    let mut config = Config::new(url, "k");
    config.http.stop = Some(watch);
    let client = Client::new(config).unwrap();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(50)).await;
        stop.send_replace(true);
    });
    // The server never answers and the request timeout is a minute: only stop ends this.
    let err = client.projects().get(&ProjectId::from("i")).await.unwrap_err();
    assert!(matches!(err, Error::Stopped), "{err}");
    // Stopped stays stopped: a retry wait ends at once too.
    assert!(matches!(client.http().pause(Duration::from_secs(3600)).await, Err(Error::Stopped)));
}

#[test]
fn only_http_urls_are_accepted() {
    assert!(Client::new(Config::new("ftp://x", "k")).is_err());
    assert!(Client::new(Config::new("not a url", "k")).is_err());
    assert!(format!("{:?}", Config::new("https://x", "ory_wak_secret")).contains("redacted"));
}
