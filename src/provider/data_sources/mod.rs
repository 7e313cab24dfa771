//! Data sources: read-only views of projects, workspaces, members, API keys
//! (never their values) and event streams.

mod api_keys;
mod event_streams;
mod members;
mod projects;
mod workspaces;

use std::collections::BTreeMap;

use super::OryClient;
use crate::plugin::{AttributePath, DataSource, Diagnostic, Diagnostics, Type, Value};

pub fn all() -> Vec<Box<dyn DataSource<OryClient>>> {
    vec![
        Box::new(projects::ProjectData),
        Box::new(projects::ProjectsData),
        Box::new(workspaces::WorkspaceData),
        Box::new(workspaces::WorkspacesData),
        Box::new(members::MembersData),
        Box::new(api_keys::ApiKeysData(super::api_key::KeyOwner::Project)),
        Box::new(api_keys::ApiKeysData(super::api_key::KeyOwner::Workspace)),
        Box::new(event_streams::EventStreamsData),
    ]
}

/// An object type whose attributes are all strings, except those listed in `other`.
fn object_type(strings: &[&str], other: &[(&str, Type)]) -> Type {
    let mut attrs: BTreeMap<String, Type> = strings.iter().map(|a| (a.to_string(), Type::String)).collect();
    attrs.extend(other.iter().map(|(a, t)| (a.to_string(), t.clone())));
    Type::Object(attrs)
}

/// The configured value, or the provider's default, or an error naming both.
fn configured_or_default(
    config: &Value,
    attr: &str,
    default: Option<&String>,
    env: &str,
    diags: &mut Diagnostics,
) -> Option<String> {
    let found = config.attr(attr).as_str().map(str::to_string).or_else(|| default.cloned());
    if found.is_none() {
        diags.push(
            Diagnostic::error(
                format!("Missing {attr}"),
                format!("Set {attr} here, or {attr} on the provider (environment variable {env})."),
            )
            .at(AttributePath::attr(attr)),
        );
    }
    found
}

/// Checks the one ID attribute a data source takes.
fn check_id(config: &Value, attr: &str) -> Diagnostics {
    let mut diags = Diagnostics::new();
    crate::provider::enums::check_uuid(&mut diags, config, attr);
    diags
}

/// A listing's state: the owner it was read for, and the items.
fn listing(owner_attr: &str, owner: &str, list_attr: &str, items: Vec<Value>) -> Value {
    Value::object([(owner_attr, Value::string(owner)), (list_attr, Value::List(items))])
}
