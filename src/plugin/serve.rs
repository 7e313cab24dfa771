//! The go-plugin transport: the magic cookie, the handshake line, a unix
//! socket, AutoMTLS, the health and controller services, and a clean exit.

use std::io::Write;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::UnixListener;
use tokio::sync::Notify;
use tonic::transport::server::Connected;

use crate::plugin::provider::Provider;
use crate::plugin::server::ProviderService;
use crate::plugin::tls::{server_config, ServerIdentity};
use crate::proto::plugin::grpc_controller_server::{GrpcController, GrpcControllerServer};
use crate::proto::plugin::Empty;
use crate::proto::tfplugin6::provider_server::ProviderServer;

/// The environment variable go-plugin hands a plugin to prove Terraform started it.
pub const MAGIC_COOKIE_KEY: &str = "TF_PLUGIN_MAGIC_COOKIE";
/// Its value for Terraform's providers.
pub const MAGIC_COOKIE_VALUE: &str = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2";
const PROTOCOL_VERSION: u32 = 6;
/// terraform-plugin-go's limit; tonic's 4 MiB default is too small for large states.
const MAX_MESSAGE_SIZE: usize = 256 << 20;
const TLS_HANDSHAKE_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

/// Why the process will not serve.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// Run by hand, or by something other than Terraform.
    #[error(
        "This binary is a plugin for Terraform and OpenTofu. It is not meant to be run directly.\n\
         Terraform starts it when a configuration uses the provider; see the README for how to \
         install it. To debug it against a running Terraform, start it with --debug."
    )]
    NotStartedByTerraform,
    /// A Terraform too old to speak protocol 6.
    #[error("Terraform offered plugin protocol versions {0:?}; this provider speaks only version 6 (Terraform 1.0 or later)")]
    NoCommonProtocol(String),
    /// Anything else: a socket, a certificate.
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

/// Serves `provider` to the Terraform that started this process, until it
/// asks for shutdown or closes its connection.
pub async fn serve<P: Provider>(provider: P) -> Result<(), ServeError> {
    if std::env::var(MAGIC_COOKIE_KEY).ok().as_deref() != Some(MAGIC_COOKIE_VALUE) {
        return Err(ServeError::NotStartedByTerraform);
    }
    if let Ok(versions) = std::env::var("PLUGIN_PROTOCOL_VERSIONS") {
        if !versions.split(',').any(|v| v.trim() == PROTOCOL_VERSION.to_string()) {
            return Err(ServeError::NoCommonProtocol(versions));
        }
    }
    ignore_interrupts();

    let (dir, listener, socket) = bind_socket()?;
    let tls = match std::env::var("PLUGIN_CLIENT_CERT") {
        Ok(pem) if !pem.trim().is_empty() => {
            let identity = ServerIdentity::generate()?;
            let config = server_config(&identity, &pem)?;
            Some((identity.handshake_field(), tokio_rustls::TlsAcceptor::from(Arc::new(config))))
        }
        _ => None,
    };
    let cert_field = tls.as_ref().map(|(field, _)| field.clone()).unwrap_or_default();

    let shutdown = Arc::new(Notify::new());
    let incoming = incoming(listener, tls.map(|(_, acceptor)| acceptor), shutdown.clone());

    // Terraform reads exactly one line from stdout; nothing else may go there.
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "1|{PROTOCOL_VERSION}|unix|{}|grpc|{cert_field}", socket.display())
        .map_err(anyhow::Error::from)?;
    stdout.flush().map_err(anyhow::Error::from)?;
    drop(stdout);
    tracing::debug!(socket = %socket.display(), "serving");

    let service = ProviderService::new(provider);
    let result = router(service.clone(), shutdown.clone())
        .await
        .serve_with_incoming_shutdown(incoming, wait_for_exit(shutdown, service.clone()))
        .await;
    service.close().await;
    drop(dir);
    result.map_err(|e| ServeError::Other(e.into()))
}

/// Serves in the foreground for a debugger, without TLS, and prints the
/// `TF_REATTACH_PROVIDERS` value that points Terraform at this process.
pub async fn serve_debug<P: Provider>(provider: P, provider_address: &str) -> anyhow::Result<()> {
    let (dir, listener, socket) = bind_socket()?;
    let reattach = serde_json::json!({
        provider_address: {
            "Protocol": "grpc",
            "ProtocolVersion": PROTOCOL_VERSION,
            "Pid": std::process::id(),
            // Without Test, Terraform would take the provider for protocol 5.
            "Test": true,
            "Addr": { "Network": "unix", "String": socket.display().to_string() },
        }
    });
    println!("Provider started in debug mode. To attach Terraform, set in its environment:\n");
    println!("\tTF_REATTACH_PROVIDERS='{reattach}'\n");
    println!("Stop with Ctrl-C.");
    let shutdown = Arc::new(Notify::new());
    let incoming = incoming(listener, None, Arc::new(Notify::new()));
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    router(ProviderService::new(provider), shutdown).await.serve_with_incoming_shutdown(incoming, ctrl_c).await?;
    drop(dir);
    Ok(())
}

async fn router<P: Provider>(provider: ProviderService<P>, shutdown: Arc<Notify>) -> tonic::transport::server::Router {
    let (health_reporter, health) = tonic_health::server::health_reporter();
    health_reporter.set_service_status("plugin", tonic_health::ServingStatus::Serving).await;
    let provider = ProviderServer::new(provider)
        .max_decoding_message_size(MAX_MESSAGE_SIZE)
        .max_encoding_message_size(MAX_MESSAGE_SIZE);
    tonic::transport::Server::builder()
        .add_service(health)
        .add_service(GrpcControllerServer::new(Controller { shutdown }))
        .add_service(provider)
}

/// A Ctrl-C in the terminal reaches the provider too; Terraform then asks it
/// to stop through the protocol, so the signal itself must not kill it.
fn ignore_interrupts() {
    if let Ok(mut sigint) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::interrupt()) {
        tokio::spawn(async move { while sigint.recv().await.is_some() {} });
    }
}

/// Until Terraform asks the process to exit, or a SIGTERM (a CI cancel,
/// `timeout`, a group kill) does. A SIGTERM first stops the provider as
/// `StopProvider` would, so that handlers in flight end their waits at once
/// instead of holding the graceful shutdown for a whole call's budget.
async fn wait_for_exit<P: Provider>(shutdown: Arc<Notify>, service: ProviderService<P>) {
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
                tracing::info!("SIGTERM: stopping the provider's work in flight, then exiting");
                service.stop();
            }
            Err(_) => futures::future::pending::<()>().await,
        }
    };
    tokio::select! {
        _ = shutdown.notified() => {}
        _ = term => {}
    }
}

fn bind_socket() -> anyhow::Result<(tempfile_dir::TempDir, UnixListener, PathBuf)> {
    let parent = std::env::var_os("PLUGIN_UNIX_SOCKET_DIR").map(PathBuf::from).unwrap_or_else(std::env::temp_dir);
    let dir = tempfile_dir::TempDir::new_in(&parent)?;
    let socket = dir.path().join("plugin.sock");
    let listener = UnixListener::bind(&socket)?;
    Ok((dir, listener, socket))
}

/// A private directory removed on drop, so the socket never outlives the process.
mod tempfile_dir {
    use std::path::{Path, PathBuf};

    pub struct TempDir(PathBuf);

    impl TempDir {
        pub fn new_in(parent: &Path) -> std::io::Result<TempDir> {
            use std::os::unix::fs::DirBuilderExt;
            for _ in 0..16 {
                let path = parent.join(format!("tfplugin-{:016x}", rand::random::<u64>()));
                match std::fs::DirBuilder::new().mode(0o700).create(&path) {
                    Ok(()) => return Ok(TempDir(path)),
                    Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
                    Err(e) => return Err(e),
                }
            }
            Err(std::io::Error::other("could not create a socket directory"))
        }

        pub fn path(&self) -> &Path {
            &self.0
        }
    }

    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

struct Controller {
    shutdown: Arc<Notify>,
}

#[tonic::async_trait]
impl GrpcController for Controller {
    async fn shutdown(&self, _request: tonic::Request<Empty>) -> Result<tonic::Response<Empty>, tonic::Status> {
        tracing::debug!("Terraform asked the provider to shut down");
        self.shutdown.notify_one();
        Ok(tonic::Response::new(Empty {}))
    }
}

trait Io: AsyncRead + AsyncWrite + Unpin + Send + 'static {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send + 'static> Io for T {}

/// One accepted connection. When the last one closes, the process exits:
/// Terraform opens one connection per provider process and closing it means
/// it is done with us, even if it never called Shutdown.
pub struct Conn {
    io: Box<dyn Io>,
    _open: OpenGuard,
}

struct OpenGuard {
    open: Arc<AtomicUsize>,
    shutdown: Arc<Notify>,
}

impl Drop for OpenGuard {
    fn drop(&mut self) {
        if self.open.fetch_sub(1, Ordering::SeqCst) == 1 {
            self.shutdown.notify_one();
        }
    }
}

impl Connected for Conn {
    type ConnectInfo = ();
    fn connect_info(&self) -> Self::ConnectInfo {}
}

impl AsyncRead for Conn {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.io).poll_read(cx, buf)
    }
}

impl AsyncWrite for Conn {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.io).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.io).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.io).poll_shutdown(cx)
    }
}

/// Accepted (and, with TLS, authenticated) connections. A client that fails
/// the TLS handshake is logged and dropped; the listener keeps going.
fn incoming(
    listener: UnixListener,
    tls: Option<tokio_rustls::TlsAcceptor>,
    shutdown: Arc<Notify>,
) -> impl futures::Stream<Item = std::io::Result<Conn>> {
    let open = Arc::new(AtomicUsize::new(0));
    futures::stream::unfold((listener, tls), move |(listener, tls)| {
        let open = open.clone();
        let shutdown = shutdown.clone();
        async move {
            loop {
                let (stream, _) = match listener.accept().await {
                    Ok(s) => s,
                    Err(e) => return Some((Err(e), (listener, tls))),
                };
                let io: Box<dyn Io> = match &tls {
                    None => Box::new(stream),
                    // A peer that stalls mid-handshake must not hold up the listener.
                    Some(acceptor) => {
                        match tokio::time::timeout(TLS_HANDSHAKE_TIMEOUT, acceptor.accept(stream)).await {
                            Ok(Ok(s)) => Box::new(s),
                            Ok(Err(e)) => {
                                tracing::warn!(error = %e, "refused a connection that failed mutual TLS");
                                continue;
                            }
                            Err(_) => {
                                tracing::warn!("dropped a connection that did not finish the TLS handshake");
                                continue;
                            }
                        }
                    }
                };
                open.fetch_add(1, Ordering::SeqCst);
                let conn = Conn { io, _open: OpenGuard { open: open.clone(), shutdown: shutdown.clone() } };
                return Some((Ok(conn), (listener, tls)));
            }
        }
    })
}
