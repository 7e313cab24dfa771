//! An emulator on loopback in the test process, and a client of it: the
//! bed of the console client's tests.

use std::time::Duration;

use super::{Client, Config, CreateProject, ProjectId, WorkspaceId};

/// An emulator on loopback, in this process, and a client of it.
pub struct Bed {
    pub url: String,
    pub workspace_id: WorkspaceId,
    pub client: Client,
    pub stop: tokio::sync::watch::Sender<bool>,
    pub http: reqwest::Client,
    pub key: String,
}

impl Bed {
    pub async fn start() -> Bed {
        let emulator = crate::emulator::Emulator::new(crate::emulator::Options {
            state_file: None,
            workspace_api_key: None,
            faults: None,
            limits: Default::default(),
            read_timeout: crate::emulator::DEFAULT_READ_TIMEOUT,
            // The client's tests make workspace keys too.
            workspace_key_writes: true,
        })
        .unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let startup = emulator.startup(format!("http://{}", listener.local_addr().unwrap()));
        let serving = emulator.clone();
        tokio::spawn(async move { serving.serve(listener, std::future::pending()).await });
        let (stop, watch) = tokio::sync::watch::channel(false);
        let key = startup.workspace_api_key.clone();
        let mut config = Config::new(startup.url.clone(), startup.workspace_api_key);
        config.http.retry_base = Duration::from_millis(5);
        config.http.stop = Some(watch);
        Bed {
            url: startup.url,
            workspace_id: startup.workspace_id.into(),
            client: Client::new(config).unwrap(),
            stop,
            http: reqwest::Client::new(),
            key,
        }
    }

    /// Another client of the same API: another process, a colleague.
    pub fn outsider(&self) -> Client {
        Client::new(Config::new(self.url.clone(), self.key.clone())).unwrap()
    }

    pub async fn admin(&self, path: &str, body: serde_json::Value) -> serde_json::Value {
        let request = match body {
            serde_json::Value::Null => self.http.get(format!("{}/__emulator{path}", self.url)),
            body => self.http.post(format!("{}/__emulator{path}", self.url)).json(&body),
        };
        request.send().await.unwrap().json().await.unwrap()
    }

    /// The next requests of these operations fail so.
    pub async fn script(&self, faults: &[(&str, &str, u64)]) {
        let script: Vec<_> = faults
            .iter()
            .map(|(operation, kind, delay_ms)| serde_json::json!({"operation": operation, "kind": kind, "delay_ms": delay_ms}))
            .collect();
        self.admin("/faults", serde_json::json!({"rate": 0, "script": script})).await;
    }

    pub async fn count(&self, operation: &str) -> u64 {
        self.admin("/requests", serde_json::Value::Null).await[operation].as_u64().unwrap_or(0)
    }

    /// Returns once the emulator has seen `n` requests of `operation`.
    pub async fn seen(&self, operation: &str, n: u64) {
        while self.count(operation).await < n {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }

    pub async fn project(&self) -> ProjectId {
        let body = CreateProject { name: "p".into(), environment: "dev".into(), home_region: None, workspace_id: None };
        self.client.projects().create(&body).await.unwrap().id
    }
}
