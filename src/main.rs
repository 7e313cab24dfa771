//! `terraform-provider-ory`: started by Terraform, it serves the provider
//! over the plugin protocol. Started by hand, it explains itself and exits.

use terraform_provider_ory::plugin::{log, serve};
use terraform_provider_ory::provider::{OryProvider, PROVIDER_ADDRESS};

fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "--version" || a == "-v") {
        println!("terraform-provider-ory {}", env!("CARGO_PKG_VERSION"));
        return std::process::ExitCode::SUCCESS;
    }
    let debug = args.iter().any(|a| a == "--debug");
    log::init("provider.terraform-provider-ory");
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("terraform-provider-ory: cannot start: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async {
        if debug {
            serve::serve_debug(OryProvider::new(), PROVIDER_ADDRESS).await.map_err(serve::ServeError::Other)
        } else {
            serve::serve(OryProvider::new()).await
        }
    });
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{e}");
            std::process::ExitCode::FAILURE
        }
    }
}
