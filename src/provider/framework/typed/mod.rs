//! The typed layer between `plugin` and each resource. A resource declares a
//! model and implements [`TypedResource`] on it; [`Typed`] turns that into
//! the plugin's traits. Everything that is the same for every resource lives
//! here: the schema, validation, declared planning rules, import-ID
//! parsing, and the one rule for errors and state:
//!
//! - a handler returns `Ok(model)`: that is the new state;
//! - a handler returns `Err`: its error becomes one diagnostic through
//!   [`diagnose`](crate::provider::errors::diagnose), and Terraform keeps the state from before the call (none
//!   after a failed create, the prior state after a failed update or delete,
//!   the current state after a failed read);
//! - `read` returns `Ok(None)`: the object is gone, and leaves the state;
//! - write-only attributes reach `create` and `update` from the
//!   configuration, and never a state: the plugin layer nulls them.
//!
//! A handler may add warnings to `notes`. It adds an error there only when
//! the object it returns must be kept anyway: a project that was created but
//! did not start in time is still a project Terraform has to know.

mod declared;
mod import;
mod reading;
mod resource;

pub use declared::{Declared, ImportId, Plan, Registered, Typed, TypedResource};
pub use reading::{TypedDataSource, TypedEphemeral};
