//! A resource that owns one part of a project document: an entry of a list
//! (a web hook, a social sign-in provider) or the value at a fixed place.
//! What every such resource does the same way lives here, once:
//!
//! - the edit through the document engine: the smallest JSON Patch of the
//!   owned part, sent against the revision, computed again on a 409, one
//!   writer per project (`console::Document::edit`);
//! - a create or a move resent after a lost answer finds its own entry and
//!   sends nothing, rather than making a second one;
//! - reads see the owned part only, so drift elsewhere is never this
//!   resource's;
//! - a patch Ory refuses at a JSON pointer inside the part is shown on the
//!   attribute that wrote that pointer;
//! - the claims of `framework::ownership`: two resources claiming one part
//!   are refused at plan time, before anything is sent.

mod edit;
mod sliced;

pub use crate::provider::framework::ownership::{Entry, KeyOf, Part};
pub use edit::{Owner, Write};
pub(crate) use sliced::placed;
pub use sliced::{bare_key, project_scoped, Placed, Slice, Sliced};

#[cfg(test)]
mod tests;
