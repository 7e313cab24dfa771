//! Data sources: read-only views of projects, workspaces, members, API keys
//! (never their values), event streams, a project's configuration, its
//! identity schemas and its organizations, and a project's own OAuth2
//! clients, identities, JSON Web Key sets (public keys only) and relationships.

mod api_keys;
mod event_streams;
mod identities;
mod identity_schemas;
mod json_web_key_set;
mod members;
mod oauth2_clients;
mod organizations;
mod project_config;
mod projects;
mod relationships;
mod workspaces;

use super::client::OryClient;
use super::typed::Typed;
use crate::plugin::DataSource;

pub fn all() -> Vec<Box<dyn DataSource<OryClient>>> {
    vec![
        Box::new(Typed(projects::ProjectData)),
        Box::new(Typed(projects::ProjectsData)),
        Box::new(Typed(workspaces::WorkspaceData)),
        Box::new(Typed(workspaces::WorkspacesData)),
        Box::new(Typed(members::MembersData)),
        Box::new(Typed(api_keys::ApiKeysData::<api_keys::ProjectKeysModel>::new())),
        Box::new(Typed(api_keys::ApiKeysData::<api_keys::WorkspaceKeysModel>::new())),
        Box::new(Typed(event_streams::EventStreamsData)),
        Box::new(Typed(identity_schemas::IdentitySchemaData)),
        Box::new(Typed(identity_schemas::IdentitySchemasData)),
        Box::new(Typed(project_config::ProjectConfigDataSource)),
        Box::new(Typed(organizations::OrganizationData)),
        Box::new(Typed(organizations::OrganizationsData)),
        Box::new(Typed(oauth2_clients::OAuth2ClientData)),
        Box::new(Typed(oauth2_clients::OAuth2ClientsData)),
        Box::new(Typed(identities::IdentityData)),
        Box::new(Typed(identities::IdentitiesData)),
        Box::new(Typed(json_web_key_set::JwkSetData)),
        Box::new(Typed(relationships::RelationshipsData)),
    ]
}

/// An optional ID or slug of the configuration, as text ("" when unset).
fn or_empty(id: &Option<String>) -> &str {
    id.as_deref().unwrap_or_default()
}
