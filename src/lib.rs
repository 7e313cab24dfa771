//! terraform-provider-ory: a Terraform and OpenTofu provider for Ory
//! Network and self-hosted Ory, and a local emulator of Ory's APIs.
//!
//! Layers, each importing only those below it (`scripts/architecture.py`
//! holds them): [`provider`] (Ory objects in Terraform terms) stands on
//! [`plugin`] (the Terraform protocol) and on the API clients, [`console`]
//! (the console API) and [`project_api`] (each project's own API, or
//! self-hosted Ory's servers), both on the [`http`] transport.
//! [`emulator`] stands beside them and speaks only HTTP. For every layer,
//! [`text`] makes outside text safe for a terminal, [`secrets`] keeps
//! every secret seen out of what is printed, and `api_enum` gives every
//! closed set of values (an API's enums, the document's hook flows) one
//! shape: a type with its names.

mod api_enum;
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
