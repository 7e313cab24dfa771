//! terraform-provider-ory: a Terraform and OpenTofu provider for the Ory
//! Network control plane, and a local emulator of the console API.
//!
//! Layers, each knowing only the one below it: [`plugin`] (the Terraform
//! protocol), [`provider`] (Ory objects in Terraform terms), then the API
//! clients: [`console`] (the console API) and [`project_api`] (each
//! project's own API, or self-hosted Ory's servers), both on the [`http`]
//! transport.
//! [`emulator`] stands beside them and speaks only HTTP. For every layer,
//! [`text`] makes outside text safe for a terminal, and [`secrets`] keeps
//! every secret seen out of what is printed.

pub mod console;
pub mod emulator;
pub mod http;
pub mod plugin;
pub mod project_api;
pub mod provider;
pub mod secrets;
pub mod text;

/// Code generated from `proto/` at build time.
pub mod proto {
    pub mod tfplugin6 {
        tonic::include_proto!("tfplugin6");
    }
    pub mod plugin {
        tonic::include_proto!("plugin");
    }
}
