#![deny(missing_docs)]
//! A generic implementation of Terraform's plugin protocol (tfplugin6) on
//! tonic. It knows nothing about Ory: a provider implements the traits in
//! [`provider`] and hands itself to [`serve::serve`].

mod codec;
pub mod diag;
pub mod docs;
pub mod invocation;
pub mod log;
pub mod provider;
mod rpc;
pub mod schema;
pub mod secrets;
pub mod serve;
pub mod server;
pub mod tls;
pub mod value;

pub use diag::{AttributePath, Diagnostic, Diagnostics};
pub use provider::{DataSource, EphemeralResource, Opened, PlanRequest, Planned, Provider, Resource};
pub use schema::{Attribute, Block, NestedBlock, Nesting, Schema};
pub use value::{Type, Value};
