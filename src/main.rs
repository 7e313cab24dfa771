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
    if args.first().map(String::as_str) == Some("adopt") {
        return adopt();
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
            if matches!(e, serve::ServeError::NotStartedByTerraform) {
                eprintln!("To adopt the projects a workspace key sees: terraform-provider-ory adopt > imports.tf (docs/guides/adopting.md).");
            }
            std::process::ExitCode::FAILURE
        }
    }
}

/// `terraform-provider-ory adopt > imports.tf`: the import blocks of every
/// object the workspace key sees (see docs/guides/adopting.md).
fn adopt() -> std::process::ExitCode {
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("terraform-provider-ory: cannot start: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    match runtime.block_on(terraform_provider_ory::provider::adopt::run()) {
        Ok(text) => {
            print!("{text}");
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("terraform-provider-ory adopt: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
