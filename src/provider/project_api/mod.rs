//! Resources of a project's own API (identities, OAuth2 clients, ...):
//! each lives in one project's data plane, reached with that project's key
//! (see `framework::project_keys`), never with the workspace key.

pub(super) mod identity;
pub(super) mod json_web_key_set;
pub(super) mod oauth2_client;
pub(super) mod oidc_dynamic_client;
pub(super) mod relationship;
pub(super) mod trusted_jwt_issuer;
