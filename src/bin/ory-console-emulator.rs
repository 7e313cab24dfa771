//! `ory-console-emulator`: a local stand-in for the Ory console API.
//!
//! Prints one JSON line (`{"url", "workspace_id", "workspace_api_key"}`) on
//! stdout once it listens, then serves until SIGINT or SIGTERM.

use std::io::Write;
use std::path::PathBuf;

use clap::Parser;
use terraform_provider_ory::emulator::{Emulator, Options};

#[derive(Parser)]
#[command(version, about = "A local emulator of the Ory console API (projects, workspaces, API keys, event streams).")]
struct Args {
    /// Address to listen on; port 0 picks a free one. Loopback only by default.
    #[arg(long, default_value = "127.0.0.1:0")]
    listen: String,
    /// Accept this workspace API key instead of generating one.
    #[arg(long, env = "ORY_EMULATOR_WORKSPACE_API_KEY")]
    workspace_api_key: Option<String>,
    /// Keep all state in this file, written atomically after every change.
    #[arg(long)]
    state: Option<PathBuf>,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let emulator = Emulator::new(Options { state_file: args.state, workspace_api_key: args.workspace_api_key })?;
    let listener = tokio::net::TcpListener::bind(&args.listen).await?;
    let addr = listener.local_addr()?;
    let startup = emulator.startup(format!("http://{addr}"));
    {
        let mut out = std::io::stdout().lock();
        writeln!(out, "{}", serde_json::to_string(&startup)?)?;
        out.flush()?;
    }
    axum::serve(listener, emulator.app()).with_graceful_shutdown(stop_signal()).await?;
    Ok(())
}

async fn stop_signal() {
    use tokio::signal::unix::{signal, SignalKind};
    let mut term = signal(SignalKind::terminate()).expect("SIGTERM handler");
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = term.recv() => {}
    }
}
