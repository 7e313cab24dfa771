//! Resources of a project's own API (identities, OAuth2 clients, ...):
//! each lives in one project's data plane, reached with that project's key
//! (see `framework::project_keys`), never with the workspace key.

use crate::provider::typed::{Registered, Typed};

pub(super) mod identity;
pub(super) mod json_web_key_set;
pub(super) mod oauth2_client;
pub(super) mod oidc_dynamic_client;
pub(super) mod relationship;
pub(super) mod trusted_jwt_issuer;

/// This folder's resource types, a line each (the provider's registry
/// gathers them).
pub(super) fn resources() -> Vec<Box<dyn Registered>> {
    vec![
        Box::new(Typed(identity::IdentityResource)),
        Box::new(Typed(oauth2_client::OAuth2ClientResource)),
        Box::new(Typed(oidc_dynamic_client::DynamicClientResource)),
        Box::new(Typed(json_web_key_set::JwkSetResource)),
        Box::new(Typed(trusted_jwt_issuer::TrustResource)),
        Box::new(Typed(relationship::RelationshipResource)),
    ]
}
