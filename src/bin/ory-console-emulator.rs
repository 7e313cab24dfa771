//! `ory-console-emulator`: a local stand-in for the Ory console API.
//!
//! Prints one JSON line (`{"url", "workspace_id", "workspace_api_key",
//! "project_api_url"}`) on
//! stdout once it listens (or, with `--print-env`, shell `export` lines),
//! then serves until SIGINT or SIGTERM; `--background` returns once it
//! listens.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Context;
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
    /// Let a workspace key create and delete workspace keys. Ory's API
    /// refuses it (they are made in the Ory Console), and so does the
    /// emulator without this flag; for teams whose Ory plan allows it.
    #[arg(long)]
    allow_workspace_key_writes: bool,
    /// Print the settings as shell `export` lines (ORY_CONSOLE_API_URL,
    /// ORY_WORKSPACE_API_KEY, ORY_WORKSPACE_ID) instead of the JSON line,
    /// for `eval "$(ory-console-emulator --background --print-env)"`.
    #[arg(long)]
    print_env: bool,
    /// Also write those `export` lines to this file (readable by its owner
    /// only: it holds the key), for `source FILE` in another shell.
    #[arg(long)]
    env_file: Option<PathBuf>,
    /// Serve in the background: return once listening, after printing the
    /// settings; stop it with `kill $(cat PID_FILE)`.
    #[arg(long)]
    background: bool,
    /// With --background: write the emulator's process ID here.
    #[arg(long, requires = "background")]
    pid_file: Option<PathBuf>,
    /// With --background: where its warnings go (default: nowhere).
    #[arg(long, requires = "background")]
    log: Option<PathBuf>,
}

/// The settings as shell `export` lines: every address the provider
/// needs, so that no key made here is ever sent to Ory Network.
fn export_lines(startup: &terraform_provider_ory::emulator::Startup) -> String {
    format!(
        "export ORY_CONSOLE_API_URL='{}'\nexport ORY_PROJECT_API_URL='{}'\nexport ORY_WORKSPACE_API_KEY='{}'\nexport ORY_WORKSPACE_ID='{}'\n",
        startup.url, startup.project_api_url, startup.workspace_api_key, startup.workspace_id
    )
}

/// Prints the startup as asked (JSON, or `export` lines) and writes the
/// env file.
fn announce(args: &Args, startup: &terraform_provider_ory::emulator::Startup) -> anyhow::Result<()> {
    if let Some(path) = &args.env_file {
        use std::os::unix::fs::OpenOptionsExt;
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(0o600)
            .open(path)
            .with_context(|| format!("--env-file {}", path.display()))?;
        file.write_all(export_lines(startup).as_bytes()).with_context(|| format!("--env-file {}", path.display()))?;
    }
    let mut out = std::io::stdout().lock();
    if args.print_env {
        write!(out, "{}", export_lines(startup))?;
    } else {
        writeln!(out, "{}", serde_json::to_string(startup)?)?;
    }
    out.flush()?;
    Ok(())
}

/// Starts this emulator again without --background, in its own process
/// group (a Ctrl-C in this terminal does not reach it), waits for its
/// startup line, announces it and returns.
fn background(args: &Args) -> anyhow::Result<()> {
    use std::io::BufRead;
    use std::os::unix::process::CommandExt;
    let own: Vec<String> = std::env::args().skip(1).collect();
    let mut forwarded = Vec::new();
    let mut skip_value = false;
    for arg in own {
        if std::mem::take(&mut skip_value) {
            continue;
        }
        let name = arg.split('=').next().unwrap_or_default();
        match name {
            "--background" | "--print-env" => {}
            "--pid-file" | "--log" | "--env-file" => skip_value = !arg.contains('='),
            _ => forwarded.push(arg),
        }
    }
    let log = match &args.log {
        Some(path) => std::process::Stdio::from(
            std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(path)
                .with_context(|| format!("--log {}", path.display()))?,
        ),
        None => std::process::Stdio::null(),
    };
    let mut child = std::process::Command::new(std::env::current_exe()?)
        .args(&forwarded)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(log)
        .process_group(0)
        .spawn()?;
    let mut line = String::new();
    let stdout = child.stdout.take().ok_or_else(|| anyhow::anyhow!("no stdout from the emulator"))?;
    std::io::BufReader::new(stdout).read_line(&mut line)?;
    let startup: terraform_provider_ory::emulator::Startup = serde_json::from_str(&line).map_err(|_| {
        let status = child.wait().map(|s| s.to_string()).unwrap_or_default();
        anyhow::anyhow!("the emulator did not start ({status}); run it without --background to see why")
    })?;
    // An emulator nobody can find to stop is not left running.
    let announced = match &args.pid_file {
        Some(path) => std::fs::write(path, format!("{}\n", child.id()))
            .with_context(|| format!("--pid-file {}", path.display()))
            .and_then(|()| announce(args, &startup)),
        None => announce(args, &startup),
    };
    if announced.is_err() {
        let _ = child.kill();
        let _ = child.wait();
    }
    announced
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    if args.background {
        return background(&args);
    }
    tokio::runtime::Builder::new_multi_thread().enable_all().build()?.block_on(serve(args))
}

async fn serve(args: Args) -> anyhow::Result<()> {
    let kinds = match &args.fault_kinds {
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
        workspace_api_key: args.workspace_api_key.clone(),
        faults: Some(faults::FaultSettings {
            rate: args.fault_rate,
            kinds,
            latency_ms: args.fault_latency_ms,
            seed: args.fault_seed,
            script: Vec::new(),
        }),
        limits: faults::LimitSettings { burst: args.limit_burst, per_second: args.limit_per_second },
        read_timeout,
        workspace_key_writes: args.allow_workspace_key_writes,
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
    announce(&args, &startup)?;
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
