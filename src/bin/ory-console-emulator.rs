//! `ory-console-emulator`: a local stand-in for the Ory console API.
//!
//! Prints one JSON line (`{"url", "workspace_id", "workspace_api_key"}`) on
//! stdout once it listens, then serves until SIGINT or SIGTERM.

use std::io::Write;
use std::path::PathBuf;

use clap::Parser;
use terraform_provider_ory::emulator::{faults, Emulator, Options, Seed};

#[derive(Parser)]
#[command(version, about = "A local emulator of the Ory console API (projects, workspaces, API keys, event streams).")]
struct Args {
    /// Address to listen on; port 0 picks a free one. Loopback only by
    /// default: the admin API (/__emulator/...) takes no key.
    #[arg(long, default_value = "127.0.0.1:0")]
    listen: String,
    /// Seconds a client has to send a request's headers, and then its body.
    #[arg(long, default_value_t = 30.0)]
    read_timeout: f64,
    /// Accept this workspace API key instead of generating one.
    #[arg(long, env = "ORY_EMULATOR_WORKSPACE_API_KEY")]
    workspace_api_key: Option<String>,
    /// Keep all state in this file (a snapshot) and FILE.log (a journal that
    /// every change is appended to, fsynced before it is answered).
    #[arg(long)]
    state: Option<PathBuf>,
    /// Objects to exist at start (JSON: workspaces, projects, keys, event
    /// streams; see docs/emulator.md). With --state, applied only to a new
    /// state file, never twice.
    #[arg(long)]
    seed: Option<PathBuf>,
    /// Share of API requests (0 to 1) that fail; see --fault-kinds.
    #[arg(long, default_value_t = 0.0)]
    fault_rate: f64,
    /// Comma-separated faults to draw from: 429, 500, 502, 503, reset, latency, commit_then_drop (default: all).
    #[arg(long, value_delimiter = ',')]
    fault_kinds: Option<Vec<String>>,
    /// Delay of the latency fault, in milliseconds.
    #[arg(long)]
    fault_latency_ms: Option<u64>,
    /// Seed of the fault draws, for a repeatable run.
    #[arg(long)]
    fault_seed: Option<u64>,
    /// Rate limiter: requests allowed at once (needs --limit-per-second).
    #[arg(long)]
    limit_burst: Option<f64>,
    /// Rate limiter: sustained requests per second (needs --limit-burst).
    #[arg(long)]
    limit_per_second: Option<f64>,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let kinds = match args.fault_kinds {
        None => None,
        Some(names) => Some(
            names
                .iter()
                .map(|n| serde_json::from_value(serde_json::Value::String(n.trim().to_string())))
                .collect::<Result<Vec<faults::Kind>, _>>()
                .map_err(|e| anyhow::anyhow!("--fault-kinds: {e}"))?,
        ),
    };
    if !(args.read_timeout.is_finite() && (0.1..=3600.0).contains(&args.read_timeout)) {
        anyhow::bail!("--read-timeout must be from 0.1 to 3600 seconds; got {}", args.read_timeout);
    }
    let read_timeout = std::time::Duration::from_secs_f64(args.read_timeout);
    let seed = args.seed.as_deref().map(Seed::read).transpose()?;
    let resumed = args.state.as_ref().is_some_and(|state| state.exists());
    let emulator = Emulator::new(Options {
        state_file: args.state.clone(),
        workspace_api_key: args.workspace_api_key,
        faults: Some(faults::FaultSettings {
            rate: args.fault_rate,
            kinds,
            latency_ms: args.fault_latency_ms,
            seed: args.fault_seed,
            script: Vec::new(),
        }),
        limits: faults::LimitSettings { burst: args.limit_burst, per_second: args.limit_per_second },
        read_timeout,
    })?;
    match seed {
        Some(_) if resumed => eprintln!("note: --state names an existing state, so --seed was not applied again"),
        Some(seed) => {
            if let Err(e) = emulator.seed(seed).await {
                // A half-seeded new state would pass for a seeded one at the next start.
                if let Some(state) = &args.state {
                    let _ = std::fs::remove_file(state);
                    let _ = std::fs::remove_file(format!("{}.log", state.display()));
                }
                return Err(e);
            }
        }
        None => {}
    }
    let listener = tokio::net::TcpListener::bind(&args.listen).await?;
    let addr = listener.local_addr()?;
    if !addr.ip().is_loopback() {
        eprintln!(
            "warning: listening on {addr}, which is not loopback: anyone who can reach it can use the admin API \
             (/__emulator/...), which takes no key, to read counters, reset state and inject faults. Use \
             --listen 127.0.0.1:<port> unless this network is yours alone."
        );
    }
    let startup = emulator.startup(format!("http://{addr}"));
    {
        let mut out = std::io::stdout().lock();
        writeln!(out, "{}", serde_json::to_string(&startup)?)?;
        out.flush()?;
    }
    emulator.serve(listener, stop_signal()).await?;
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
