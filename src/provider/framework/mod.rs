//! The typed framework every resource stands on: the provider's settings
//! and client (`client`), models and their attribute table (`model`),
//! validators, the typed resource, data source and ephemeral traits
//! (`typed`), the error boundary (`errors`), the allowed values (`enums`)
//! and the generated docs (`docs`).

pub mod client;
pub mod docs;
pub mod enums;
pub mod errors;
pub mod model;
pub mod project_keys;
pub mod self_hosted;
pub mod typed;
pub mod validators;
