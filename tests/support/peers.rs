//! Ory's own servers, for the tests that run against them: Ory Kratos and
//! Ory Hydra as `scripts/ory-server.sh` built them into
//! `.tools/` (or `$KRATOS`, `$HYDRA`), each on loopback with random ports
//! and its in-memory database, stopped when dropped. Where a server is not
//! built, the test says SKIPPED.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use super::Spawned;

/// A server's binary: `$<env>`, else `.tools/<name>`, when present.
pub fn binary(env: &str, name: &str) -> Option<PathBuf> {
    let local = Path::new(env!("CARGO_MANIFEST_DIR")).join(".tools").join(name);
    std::env::var_os(env).map(PathBuf::from).filter(|p| p.is_file()).or_else(|| local.is_file().then_some(local))
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// Waits until `url` answers 200, or panics with the server's log.
fn wait_ready(url: &str, log: &Path) {
    let http = reqwest::blocking::Client::new();
    for _ in 0..600 {
        if http.get(url).send().is_ok_and(|r| r.status().is_success()) {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("{url} did not become ready:\n{}", std::fs::read_to_string(log).unwrap_or_default());
}

/// A running Ory server: its admin (and public) base URLs.
pub struct Peer {
    _child: Spawned,
    _dir: tempfile::TempDir,
    pub admin: String,
    pub public: String,
}

impl Peer {
    /// A GET of `path` on the admin API: its status and JSON answer.
    pub fn get(&self, path: &str) -> (u16, serde_json::Value) {
        let answer = reqwest::blocking::get(format!("{}{path}", self.admin)).unwrap();
        let status = answer.status().as_u16();
        (status, answer.json().unwrap_or(serde_json::Value::Null))
    }
}

fn spawn(binary: &Path, args: &[&str], env: &[(&str, String)], dir: &Path) -> Spawned {
    let log = std::fs::File::create(dir.join("server.log")).unwrap();
    let child = Command::new(binary)
        .args(args)
        .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(log.try_clone().unwrap())
        .stderr(log)
        .spawn()
        .expect("start the server");
    Spawned(Some(child))
}

/// The identity schema the Kratos tests use, `default`: an email that is
/// the password identifier, verified and used for recovery.
const SCHEMA: &str = r#"{"$id":"https://example.com/default.schema.json","$schema":"http://json-schema.org/draft-07/schema#","type":"object","properties":{"traits":{"type":"object","properties":{"email":{"type":"string","format":"email","ory.sh/kratos":{"credentials":{"password":{"identifier":true}},"verification":{"via":"email"},"recovery":{"via":"email"}}}},"required":["email"],"additionalProperties":false}}}"#;

/// Ory Kratos, or `None` when it is not built.
pub fn kratos() -> Option<Peer> {
    let binary = binary("KRATOS", "kratos")?;
    let dir = tempfile::tempdir().unwrap();
    let (public, admin) = (free_port(), free_port());
    std::fs::write(dir.path().join("default.schema.json"), SCHEMA).unwrap();
    let config = format!(
        "dsn: memory\nserve:\n  public:\n    host: 127.0.0.1\n    port: {public}\n    base_url: http://127.0.0.1:{public}/\n  admin:\n    host: 127.0.0.1\n    port: {admin}\nselfservice:\n  default_browser_return_url: http://127.0.0.1:{public}/\n  methods:\n    password:\n      enabled: true\nidentity:\n  default_schema_id: default\n  schemas:\n    - id: default\n      url: file://{}\ncourier:\n  smtp:\n    connection_uri: smtp://127.0.0.1:9/\nlog:\n  level: error\n",
        dir.path().join("default.schema.json").display()
    );
    std::fs::write(dir.path().join("kratos.yml"), config).unwrap();
    let child = spawn(&binary, &["serve", "-c", "kratos.yml", "--dev", "--sqa-opt-out"], &[], dir.path());
    let admin = format!("http://127.0.0.1:{admin}");
    wait_ready(&format!("{admin}/admin/health/ready"), &dir.path().join("server.log"));
    Some(Peer { _child: child, _dir: dir, admin, public: format!("http://127.0.0.1:{public}") })
}

/// Ory Hydra, with dynamic client registration on, or `None` when it is
/// not built.
pub fn hydra() -> Option<Peer> {
    let binary = binary("HYDRA", "hydra")?;
    let dir = tempfile::tempdir().unwrap();
    let (public, admin) = (free_port(), free_port());
    let env = [
        ("DSN", "memory".to_string()),
        ("SERVE_PUBLIC_HOST", "127.0.0.1".into()),
        ("SERVE_PUBLIC_PORT", public.to_string()),
        ("SERVE_ADMIN_HOST", "127.0.0.1".into()),
        ("SERVE_ADMIN_PORT", admin.to_string()),
        ("URLS_SELF_ISSUER", format!("http://127.0.0.1:{public}")),
        ("SECRETS_SYSTEM", "a-system-secret-of-32-characters".into()),
        ("OIDC_DYNAMIC_CLIENT_REGISTRATION_ENABLED", "true".into()),
        ("LOG_LEVEL", "error".into()),
    ];
    let child = spawn(&binary, &["serve", "all", "--dev", "--sqa-opt-out"], &env, dir.path());
    let admin = format!("http://127.0.0.1:{admin}");
    wait_ready(&format!("{admin}/health/ready"), &dir.path().join("server.log"));
    Some(Peer { _child: child, _dir: dir, admin, public: format!("http://127.0.0.1:{public}") })
}
