//! terraform-provider-ory: a Terraform and OpenTofu provider for the Ory
//! Network control plane, and a local emulator of the console API.
//!
//! Layers, each knowing only the one below it: [`plugin`] (the Terraform
//! protocol), [`provider`] (Ory objects in Terraform terms), [`console`] (the
//! console API client). [`emulator`] stands beside them and speaks only HTTP.
//! [`text`] makes outside text safe for a terminal, for every layer.

pub mod console;
pub mod emulator;
pub mod plugin;
pub mod project_api;
pub mod provider;
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
