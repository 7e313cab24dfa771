//! The flat attributes of Ory's official `ory_project_config`
//! (`cors_enabled`, `session_lifespan`, `enable_oidc`, ...): one row each in
//! `project_config_attributes.tsv`, naming the JSON pointer it writes. The
//! table drives the schema, the docs, what a plan writes and what a read
//! shows, through the same document engine as the JSON attributes: only
//! what is written is managed, compared as the engine compares.
//!
//! An empty value (`""`, `[]`) asks for the key to be absent: Ory drops
//! empty values from a stored configuration, so a read that finds no key
//! where the configuration wrote an empty one shows no change.

mod attribute;
mod table;
mod values;

pub use table::{find, table, Kind};
pub use values::{against_live, FlatValues};

#[cfg(test)]
mod tests;
