//! The plugin layer against the real terraform (through the echo provider)
//! and against a hand-built gRPC client: handshake, AutoMTLS, values, schema
//! features, state upgrade, moves, private state, panics, shutdown.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;

use crate::support::{
    actions, assert_no_changes, echo_provider_bin, provider_bin, skip, spawn_first_line, terraform_version, Tf,
};

const MAGIC_COOKIE: &str = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2";

#[test]
fn nested_attributes_and_blocks_round_trip_through_terraform() {
    if terraform_version() < (1, 3) {
        skip(
            "nested_attributes_and_blocks_round_trip_through_terraform",
            &format!(
                "Terraform {:?} crashes on null nested attributes (its own bug, fixed by 1.3); needs Terraform >= 1.3",
                terraform_version()
            ),
        );
        return;
    }
    let tf = Tf::echo("echo_nested");
    tf.init();
    assert_eq!(tf.apply(&[]), actions(&[("echo_nested.x", &["create"])]));
    let state = tf.state_of("echo_nested.x");
    assert_eq!(state["single"]["a"], "one");
    assert_eq!(state["single"]["b"].to_string(), "0.1");
    assert_eq!(state["list"][1]["name"], "two");
    assert_eq!(state["set"].as_array().unwrap().len(), 2);
    assert_eq!(state["map"]["k2"]["value"], "v2");
    assert_eq!(state["rule"][0]["port"], 443);
    let raw_state = std::fs::read_to_string(tf.dir().join("terraform.tfstate")).unwrap();
    // Terraform indents its state and OpenTofu does not.
    let compact = raw_state.replace(": ", ":");
    assert!(compact.contains("\"port\":100000000000000000000"), "large numbers keep their precision:\n{raw_state}");
    assert_eq!(state["rule"][1]["proto"], serde_json::Value::Null);
    assert_eq!(state["settings"]["enabled"], true);
    assert_no_changes(&tf.plan(&[]));
    // A change deep inside nested attributes is an in-place update.
    assert_eq!(tf.apply(&[("first", "uno")]), actions(&[("echo_nested.x", &["update"])]));
    let state = tf.state_of("echo_nested.x");
    assert_eq!(state["single"]["a"], "uno");
    assert_eq!(state["map"]["k1"]["value"], "uno");
}

#[test]
fn private_state_is_stored_with_the_instance() {
    let tf = Tf::echo("echo_upgrade");
    tf.init();
    tf.apply(&[]);
    let state: serde_json::Value =
        serde_json::from_slice(&std::fs::read(tf.dir().join("terraform.tfstate")).unwrap()).unwrap();
    let private = state["resources"][0]["instances"][0]["private"].as_str().unwrap_or_default();
    use base64::Engine;
    let decoded = base64::engine::general_purpose::STANDARD.decode(private).unwrap();
    assert_eq!(decoded, b"echo-private");
}

#[test]
fn stored_state_of_an_older_schema_version_is_upgraded() {
    let tf = Tf::echo("echo_upgrade");
    tf.init();
    let state = serde_json::json!({
        "version": 4,
        "terraform_version": "1.0.0",
        "serial": 1,
        "lineage": "6e4e7a2a-0000-4000-8000-000000000000",
        "outputs": {},
        "resources": [{
            "mode": "managed",
            "type": "echo_flat",
            "name": "x",
            "provider": "provider[\"terraform.local/test/echo\"]",
            "instances": [{
                "schema_version": 0,
                "attributes": {"id": "flat-1", "name": "kept"},
                "sensitive_attributes": []
            }]
        }]
    });
    std::fs::write(tf.dir().join("terraform.tfstate"), state.to_string()).unwrap();
    // Version 0's `name` became `title`; had the upgrade lost it, this would be an update.
    assert_no_changes(&tf.plan(&[]));
    tf.run(&["apply", "-refresh-only", "-auto-approve", "-input=false"]);
    assert_eq!(tf.state_of("echo_flat.x")["title"], "kept");
}

#[test]
fn a_resource_moves_across_types() {
    if terraform_version() < (1, 8) {
        skip(
            "a_resource_moves_across_types",
            &format!("moved blocks across resource types need Terraform >= 1.8; this is {:?}", terraform_version()),
        );
        return;
    }
    let tf = Tf::echo("echo_move_from");
    tf.init();
    tf.apply(&[]);
    tf.use_fixture("echo_move_to");
    assert_no_changes(&tf.plan(&[]));
    tf.apply_saved();
    let moved = tf.state_of("echo_nested.m");
    assert_eq!(moved["id"], "flat-1");
    assert_eq!(moved["title"], "moved");
}

#[test]
fn a_panic_becomes_a_plain_diagnostic_even_with_backtraces_on() {
    let mut tf = Tf::echo("echo_panic");
    tf.set_env("RUST_BACKTRACE", "1");
    tf.init();
    let run = tf.try_run(&["apply", "-auto-approve", "-input=false"]);
    assert!(!run.ok);
    let text = run.text();
    assert!(text.contains("Provider internal error"), "{text}");
    for leak in ["stack backtrace", "panicked at", "RUST_BACKTRACE", "rust_begin_unwind", ".rs:"] {
        assert!(!text.contains(leak), "{leak:?} reached the user:\n{text}");
    }
}

#[test]
fn started_by_hand_it_explains_itself_and_exits() {
    for binary in [provider_bin(), echo_provider_bin()] {
        let out = Command::new(&binary).env_remove("TF_PLUGIN_MAGIC_COOKIE").stdin(Stdio::null()).output().unwrap();
        assert!(!out.status.success());
        assert!(out.stdout.is_empty(), "nothing may go to stdout: {:?}", String::from_utf8_lossy(&out.stdout));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("not meant to be run directly"), "{stderr}");
    }
}

#[test]
fn a_terraform_without_protocol_6_is_told_so() {
    let out = Command::new(provider_bin())
        .env("TF_PLUGIN_MAGIC_COOKIE", MAGIC_COOKIE)
        .env("PLUGIN_PROTOCOL_VERSIONS", "5")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("speaks only version 6"));
}

/// The provider started as Terraform starts it, with a client certificate
/// like Terraform's (ECDSA P-521, CA:TRUE).
struct Launched {
    child: Child,
    socket: PathBuf,
    server_cert: Vec<u8>,
    client_cert: Vec<u8>,
    client_key: Vec<u8>,
}

impl Drop for Launched {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn launch() -> Launched {
    use rcgen::{BasicConstraints, CertificateParams, IsCa, KeyPair};
    let key = KeyPair::generate_for(&rcgen::PKCS_ECDSA_P521_SHA512).unwrap();
    let mut params = CertificateParams::new(vec!["localhost".to_string()]).unwrap();
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let cert = params.self_signed(&key).unwrap();
    let (child, line) = spawn_first_line(
        Command::new(provider_bin())
            .env("TF_PLUGIN_MAGIC_COOKIE", MAGIC_COOKIE)
            .env("PLUGIN_PROTOCOL_VERSIONS", "5,6")
            .env("PLUGIN_CLIENT_CERT", cert.pem())
            .stdin(Stdio::null()),
    );
    let fields: Vec<&str> = line.trim_end().split('|').collect();
    assert_eq!(fields[..3], ["1", "6", "unix"], "handshake: {line}");
    assert_eq!(fields[4], "grpc");
    assert!(!fields[5].ends_with('='), "the certificate must be unpadded base64");
    use base64::Engine;
    let server_cert = base64::engine::general_purpose::STANDARD_NO_PAD.decode(fields[5]).unwrap();
    Launched {
        child: child.into_inner(),
        socket: PathBuf::from(fields[3]),
        server_cert,
        client_cert: cert.der().to_vec(),
        client_key: key.serialize_der(),
    }
}

/// Trusts exactly the server certificate from the handshake, as go-plugin does.
#[derive(Debug)]
struct PinnedServer(Vec<u8>, rustls::crypto::WebPkiSupportedAlgorithms);

impl rustls::client::danger::ServerCertVerifier for PinnedServer {
    fn verify_server_cert(
        &self,
        end_entity: &rustls::pki_types::CertificateDer<'_>,
        _: &[rustls::pki_types::CertificateDer<'_>],
        _: &rustls::pki_types::ServerName<'_>,
        _: &[u8],
        _: rustls::pki_types::UnixTime,
    ) -> Result<rustls::client::danger::ServerCertVerified, rustls::Error> {
        assert_eq!(end_entity.as_ref(), self.0.as_slice());
        Ok(rustls::client::danger::ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        m: &[u8],
        c: &rustls::pki_types::CertificateDer<'_>,
        d: &rustls::DigitallySignedStruct,
    ) -> Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(m, c, d, &self.1)
    }

    fn verify_tls13_signature(
        &self,
        m: &[u8],
        c: &rustls::pki_types::CertificateDer<'_>,
        d: &rustls::DigitallySignedStruct,
    ) -> Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(m, c, d, &self.1)
    }

    fn supported_verify_schemes(&self) -> Vec<rustls::SignatureScheme> {
        self.1.supported_schemes()
    }
}

async fn channel(p: &Launched, present_cert: bool) -> tonic::transport::Channel {
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let builder = rustls::ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .unwrap()
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(PinnedServer(
            p.server_cert.clone(),
            provider.signature_verification_algorithms,
        )));
    let mut config = if present_cert {
        let key = rustls::pki_types::PrivateKeyDer::Pkcs8(p.client_key.clone().into());
        builder.with_client_auth_cert(vec![p.client_cert.clone().into()], key).unwrap()
    } else {
        builder.with_no_client_auth()
    };
    config.alpn_protocols = vec![b"h2".to_vec()];
    let connector = tokio_rustls::TlsConnector::from(Arc::new(config));
    let socket = p.socket.clone();
    tonic::transport::Endpoint::from_static("http://localhost").connect_with_connector_lazy(tower::service_fn(
        move |_| {
            let (connector, socket) = (connector.clone(), socket.clone());
            async move {
                let stream = tokio::net::UnixStream::connect(socket).await?;
                let tls =
                    connector.connect(rustls::pki_types::ServerName::try_from("localhost").unwrap(), stream).await?;
                Ok::<_, std::io::Error>(hyper_util::rt::TokioIo::new(tls))
            }
        },
    ))
}

#[tokio::test]
async fn mtls_refuses_a_client_without_terraforms_certificate() {
    use terraform_provider_ory::proto::tfplugin6::get_provider_schema::Request;
    use terraform_provider_ory::proto::tfplugin6::provider_client::ProviderClient;
    let p = launch();

    let refused = ProviderClient::new(channel(&p, false).await).get_provider_schema(Request {}).await;
    assert!(refused.is_err(), "a client without the certificate was served");

    // The provider is still there for the real client, which is served.
    let schema =
        ProviderClient::new(channel(&p, true).await).get_provider_schema(Request {}).await.unwrap().into_inner();
    assert!(schema.resource_schemas.contains_key("ory_project"));
    let caps = schema.server_capabilities.unwrap();
    assert!(caps.plan_destroy && caps.get_provider_schema_optional);
}

#[tokio::test]
async fn health_reports_serving_and_shutdown_exits_cleanly() {
    let mut p = launch();
    let ch = channel(&p, true).await;
    let health = tonic_health::pb::health_client::HealthClient::new(ch.clone())
        .check(tonic_health::pb::HealthCheckRequest { service: "plugin".into() })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(health.status, tonic_health::pb::health_check_response::ServingStatus::Serving as i32);
    use terraform_provider_ory::proto::plugin::grpc_controller_client::GrpcControllerClient;
    GrpcControllerClient::new(ch).shutdown(terraform_provider_ory::proto::plugin::Empty {}).await.unwrap();
    let status = tokio::task::spawn_blocking(move || p.child.wait()).await.unwrap().unwrap();
    assert!(status.success(), "exit status {status}");
}

#[test]
fn debug_mode_serves_a_terraform_that_reattaches() {
    use crate::support::Emulator;
    let emulator = Emulator::start();
    let mut child = Command::new(provider_bin())
        .arg("--debug")
        .env("ORY_CONSOLE_API_URL", &emulator.url)
        .env("ORY_WORKSPACE_API_KEY", &emulator.key)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut reader = BufReader::new(child.stdout.take().unwrap());
    let reattach = loop {
        let mut line = String::new();
        assert!(reader.read_line(&mut line).unwrap() > 0, "no TF_REATTACH_PROVIDERS line");
        if let Some(rest) = line.trim().strip_prefix("TF_REATTACH_PROVIDERS='") {
            break rest.trim_end_matches('\'').to_string();
        }
    };
    let parsed: serde_json::Value = serde_json::from_str(&reattach).unwrap();
    assert_eq!(parsed["terraform.local/ory/ory"]["Pid"], child.id());

    let mut tf = Tf::new(&emulator, "project");
    tf.set_env("TF_REATTACH_PROVIDERS", &reattach);
    tf.init();
    tf.run(&["apply", "-auto-approve", "-input=false", "-var=name=debugged", "-var=deletion_protection=false"]);
    assert_eq!(emulator.count("createProject"), 1);
    let _ = child.kill();
    let _ = child.wait();
}

#[tokio::test]
async fn the_process_exits_when_terraform_hangs_up() {
    use terraform_provider_ory::proto::tfplugin6::get_provider_schema::Request;
    use terraform_provider_ory::proto::tfplugin6::provider_client::ProviderClient;
    let mut p = launch();
    let ch = channel(&p, true).await;
    ProviderClient::new(ch.clone()).get_provider_schema(Request {}).await.unwrap();
    drop(ch);
    let status = tokio::task::spawn_blocking(move || p.child.wait()).await.unwrap().unwrap();
    assert!(status.success(), "exit status {status}");
}
