//! A typed client of the Ory console API (the control plane reached with a
//! workspace API key). It knows nothing about Terraform.
//!
//! Calls read like the API, one handler per area:
//! `client.projects().get(&id)`.

pub mod api_keys;
mod error;
pub mod event_streams;
pub mod members;
pub mod projects;
pub mod workspaces;

use std::time::Duration;

use reqwest::Method;
use serde::de::DeserializeOwned;
use serde::Serialize;

pub use api_keys::{ApiKey, ApiKeys, Owner};
pub use error::{ApiError, Error};
pub use event_streams::{EventStream, EventStreamBody, EventStreams};
pub use members::Member;
pub use projects::{CreateProject, Project, ProjectMetadata, Projects};
pub use workspaces::{Workspace, Workspaces};

pub const DEFAULT_URL: &str = "https://api.console.ory.sh";
const USER_AGENT: &str = concat!("terraform-provider-ory/", env!("CARGO_PKG_VERSION"));

/// How to reach the console API.
#[derive(Clone)]
pub struct Config {
    pub base_url: String,
    /// A workspace API key (`ory_wak_...`). Never logged.
    pub api_key: String,
    /// How long one request may take, from connect to the end of the body.
    pub request_timeout: Duration,
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config").field("base_url", &self.base_url).field("api_key", &"(redacted)").finish()
    }
}

impl Config {
    pub fn new(base_url: impl Into<String>, api_key: impl Into<String>) -> Config {
        Config { base_url: base_url.into(), api_key: api_key.into(), request_timeout: Duration::from_secs(60) }
    }
}

/// An ID as one path segment. IDs are UUIDs or slugs, but a path must never
/// be steered by what a user typed.
pub(crate) fn segment(id: &str) -> String {
    id.chars().filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_')).collect()
}

/// The console API client. Cheap to clone.
#[derive(Clone)]
pub struct Client {
    http: reqwest::Client,
    base_url: reqwest::Url,
    api_key: String,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client").field("base_url", &self.base_url.as_str()).finish_non_exhaustive()
    }
}

impl Client {
    pub fn new(config: Config) -> Result<Client, Error> {
        let base_url = reqwest::Url::parse(config.base_url.trim_end_matches('/'))
            .map_err(|e| Error::InvalidConfig(format!("console API URL {:?} is not a URL: {e}", config.base_url)))?;
        if !matches!(base_url.scheme(), "http" | "https") {
            return Err(Error::InvalidConfig(format!(
                "console API URL {:?} must start with https:// (or http:// for a local emulator)",
                config.base_url
            )));
        }
        let mut builder = reqwest::Client::builder()
            .user_agent(USER_AGENT)
            .timeout(config.request_timeout)
            .connect_timeout(Duration::from_secs(15));
        if base_url.scheme() == "http" {
            // Plain HTTP (a local emulator) needs no trust store; loading the
            // system's costs ~8 ms in every provider process.
            builder = builder.tls_certs_only(Vec::new());
        }
        let http = builder.build().map_err(Error::Transport)?;
        Ok(Client { http, base_url, api_key: config.api_key })
    }

    pub fn projects(&self) -> Projects<'_> {
        Projects::new(self)
    }

    pub fn workspaces(&self) -> Workspaces<'_> {
        Workspaces::new(self)
    }

    pub fn event_streams(&self, project: &str) -> EventStreams<'_> {
        EventStreams::new(self, project)
    }

    /// The API keys of a project or a workspace.
    pub fn api_keys(&self, owner: Owner<'_>) -> ApiKeys<'_> {
        ApiKeys::new(self, owner)
    }

    fn url(&self, path_and_query: &str) -> reqwest::Url {
        let mut url = self.base_url.clone();
        let base_path = url.path().trim_end_matches('/').to_string();
        let (path, query) = path_and_query.split_once('?').unwrap_or((path_and_query, ""));
        url.set_path(&format!("{base_path}{path}"));
        url.set_query((!query.is_empty()).then_some(query));
        url
    }

    /// Sends one request and decodes a JSON answer. Every non-2xx answer
    /// becomes an [`Error::Api`] here and nowhere else.
    async fn send<B: Serialize + ?Sized, T: DeserializeOwned>(
        &self,
        operation: &'static str,
        method: Method,
        path: &str,
        body: Option<&B>,
    ) -> Result<T, Error> {
        let bytes = self.send_raw(operation, method, path, body).await?;
        let de = &mut serde_json::Deserializer::from_slice(&bytes);
        serde_path_to_error::deserialize(de).map_err(|e| Error::Decode {
            operation,
            path: e.path().to_string(),
            message: e.inner().to_string(),
        })
    }

    /// Sends one request and returns the body of a 2xx answer.
    async fn send_raw<B: Serialize + ?Sized>(
        &self,
        operation: &'static str,
        method: Method,
        path: &str,
        body: Option<&B>,
    ) -> Result<Vec<u8>, Error> {
        let started = std::time::Instant::now();
        let mut req = self.http.request(method.clone(), self.url(path)).bearer_auth(&self.api_key);
        if let Some(body) = body {
            req = req.json(body);
        }
        let result = req.send().await;
        let response = match result {
            Ok(r) => r,
            Err(e) => {
                tracing::debug!(operation, %method, path, error = %e, "console request failed");
                return Err(Error::Transport(e));
            }
        };
        let status = response.status();
        let bytes = response.bytes().await.map_err(Error::Transport)?.to_vec();
        tracing::debug!(operation, %method, path, status = status.as_u16(), duration_ms = started.elapsed().as_millis() as u64, "console request");
        if status.is_success() {
            Ok(bytes)
        } else {
            Err(Error::Api(Box::new(ApiError::from_response(operation, status.as_u16(), &bytes))))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    fn http_answer(status: &str, body: &str) -> String {
        format!("HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}", body.len())
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
        let err = client.projects().get("3fa85f64-5717-4562-b3fc-2c963f66afa6").await.unwrap_err();
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
        let project = Client::new(Config::new(url, "k")).unwrap().projects().get("i").await.unwrap();
        assert_eq!(project.additional["brand_new"], 1);
        assert!(project.additional.contains_key("services"));

        let bad = r#"{"id":"i","slug":"s","name":7}"#;
        let (url, _) = one_shot(http_answer("200 OK", bad)).await;
        let err = Client::new(Config::new(url, "k")).unwrap().projects().get("i").await.unwrap_err();
        assert!(err.to_string().contains("at name"), "{err}");
    }

    #[tokio::test]
    async fn a_request_that_takes_too_long_fails() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        // Accepts, then never answers.
        let _held = tokio::spawn(async move {
            let (stream, _) = listener.accept().await.unwrap();
            std::future::pending::<()>().await;
            drop(stream);
        });
        let mut config = Config::new(url, "k");
        config.request_timeout = Duration::from_millis(200);
        let err = Client::new(config).unwrap().projects().get("i").await.unwrap_err();
        assert!(matches!(err, Error::Transport(_)), "{err}");
    }

    #[test]
    fn only_http_urls_are_accepted() {
        assert!(Client::new(Config::new("ftp://x", "k")).is_err());
        assert!(Client::new(Config::new("not a url", "k")).is_err());
        assert!(format!("{:?}", Config::new("https://x", "ory_wak_secret")).contains("redacted"));
    }
}
