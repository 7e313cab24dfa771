//! The typed framework every resource stands on, below every resource and
//! the registry: the provider block (`config`) and the settings resources
//! fall back on (`setting`), the configured client (`client`), models and
//! their attribute table (`model`), validators, the typed resource, data
//! source and ephemeral traits (`typed`), the error boundary (`errors`),
//! what resources own of a project document (`ownership`), what `adopt`
//! asks of each resource (`adoption`) and the allowed values (`enums`). It imports nothing of the resources above it.

pub mod adoption;
pub mod client;
pub mod config;
pub mod enums;
pub mod errors;
pub mod lists;
pub mod model;
pub mod ownership;
pub mod project_keys;
pub mod self_hosted;
pub mod setting;
pub mod typed;
pub mod validators;
