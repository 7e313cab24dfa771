//! What a resource owns of a project document, and how it compares with the
//! live one. A resource describes what it wants as a *partial document*: the
//! keys a user wrote, nested as in the project document. Only those keys are
//! ever compared or changed:
//!
//! - an object is a container: its keys are compared one by one, and keys the
//!   partial document does not have are never looked at;
//! - anything else, arrays included, is one value, compared and replaced
//!   whole (a list of hooks is the user's list);
//! - `null` means "this key must be absent".
//!
//! The resources that own parts of the document live here too, each on the
//! slice layer (`slice`) but `ory_project_config`, which owns the keys it
//! writes.

pub(super) mod action;
pub(super) mod email_template;
pub mod flat;
pub(super) mod identity_schema;
pub(super) mod organization;
pub(super) mod permission_model;
pub(super) mod project_config;
pub(super) mod saml_provider;
pub(super) mod scim_client;
pub mod slice;
pub(super) mod social_provider;
mod tree;

use crate::provider::typed::{Registered, Typed};
use slice::Sliced;
pub use tree::{
    escape, inline, is_secret, is_secret_document, live_project, patch, paths, put, read_document, read_project,
    secrets_in, view, warn, without_secrets, SECRET_DOCUMENTS, SECRET_PATHS,
};

/// This folder's resource types, a line each (the provider's registry
/// gathers them).
pub(super) fn resources() -> Vec<Box<dyn Registered>> {
    vec![
        Box::new(Typed(project_config::ProjectConfigResource)),
        Box::new(Typed(Sliced(action::ActionResource))),
        Box::new(Typed(Sliced(identity_schema::IdentitySchemaResource))),
        Box::new(Typed(Sliced(social_provider::SocialProviderResource))),
        Box::new(Typed(Sliced(saml_provider::SamlProviderResource))),
        Box::new(Typed(Sliced(email_template::EmailTemplateResource))),
        Box::new(Typed(Sliced(permission_model::PermissionModelResource))),
        Box::new(Typed(organization::OrganizationResource)),
        Box::new(Typed(Sliced(scim_client::ScimClientResource))),
    ]
}
