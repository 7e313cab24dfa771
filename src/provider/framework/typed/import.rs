//! Import IDs: parsed by the form each resource declares, explained when
//! wrong.

use super::declared::{ImportId, Typed, TypedResource};
use crate::plugin::Value;
use crate::provider::client::{OryClient, Setting};
use crate::provider::framework::self_hosted::Reaches;
use crate::provider::validators::is_uuid;

impl<R: TypedResource> Typed<R> {
    /// A candidate's ID as an import ID, for a create whose answer was lost.
    pub(super) fn import_form(&self, planned: &Value, candidate: &str) -> String {
        match self.0.import_id() {
            ImportId::Own { .. } | ImportId::Parsed { .. } | ImportId::ParsedOrBare { .. } => candidate.to_string(),
            ImportId::Owned { owner, .. } | ImportId::OwnedParsed { owner, .. } => {
                format!("{}/{candidate}", planned.attr(owner).as_str().unwrap_or_default())
            }
        }
    }

    pub(super) fn parse_import(&self, client: &OryClient, id: &str) -> Option<Value> {
        let data_plane = matches!(self.0.reaches(), Reaches::Servers(_));
        let bare_owner = |default| bare_owner(client, default, data_plane);
        match self.0.import_id() {
            ImportId::Own { id: attr, .. } => is_uuid(id).then(|| Value::object([(attr, Value::string(id))])),
            ImportId::Owned { id: attr, owner, default, .. } => {
                let (owner_id, object_id) = match id.split_once('/') {
                    Some((o, i)) => (Some(o.to_string()), i),
                    None => (bare_owner(default?)?, id),
                };
                (owner_id.as_deref().is_none_or(is_uuid) && is_uuid(object_id)).then(|| {
                    Value::object([
                        (attr, Value::string(object_id)),
                        (owner, owner_id.map_or(Value::Null, Value::String)),
                    ])
                })
            }
            ImportId::Parsed { parse, .. } => parse(id),
            ImportId::ParsedOrBare { parse, bare, .. } => parse(id).or_else(|| {
                let mut partial = bare(id)?;
                partial.set_attr("project_id", bare_owner(Setting::ProjectId)?.map_or(Value::Null, Value::String));
                Some(partial)
            }),
            ImportId::OwnedParsed { owner, default, parse, .. } => {
                let (owner_id, own) = match id.split_once('/') {
                    Some((o, rest)) if is_uuid(o) => (Some(o.to_string()), rest),
                    _ => (bare_owner(default)?, id),
                };
                let mut partial = parse(own)?;
                partial.set_attr(owner, owner_id.map_or(Value::Null, Value::String));
                Some(partial)
            }
        }
    }

    pub(super) fn import_help(&self, id: &str) -> String {
        let type_name = self.0.type_name();
        let data_plane = matches!(self.0.reaches(), Reaches::Servers(_));
        let bare_when = |default| bare_when(default, data_plane);
        match self.0.import_id() {
            ImportId::Own { noun, .. } => format!(
                "Import an {type_name} by its {noun} ID, a UUID such as 3fa85f64-5717-4562-b3fc-2c963f66afa6; got {id:?}."
            ),
            ImportId::Owned { owner, label, default, .. } => {
                let alone = match default {
                    Some(s) => format!(", or as <{label}> alone {}", bare_when(s)),
                    None => String::new(),
                };
                format!(
                    "Import an {type_name} as <{owner}>/<{label}>, two UUIDs separated by a slash{alone}; got {id:?}."
                )
            }
            ImportId::Parsed { help, .. } => format!("Import an {type_name} as {help}; got {id:?}."),
            ImportId::ParsedOrBare { help, bare_help, .. } => format!(
                "Import an {type_name} as {help}, or as {bare_help} alone {}; got {id:?}.",
                bare_when(Setting::ProjectId)
            ),
            ImportId::OwnedParsed { owner, default, help, .. } => format!(
                "Import an {type_name} as <{owner}>/{help}, or as {help} alone {}; got {id:?}.",
                bare_when(default)
            ),
        }
    }
}

/// The owner of an object imported by its bare ID: the provider's
/// `default` setting; else, for an object of a project's own API (a
/// `data_plane` resource), none when the provider reaches such an API of
/// its own (its `project_api_key`, or self-hosted Ory), as a resource that
/// names no project does; `None` when the bare form cannot be used.
fn bare_owner(client: &OryClient, default: Setting, data_plane: bool) -> Option<Option<String>> {
    match default.of(client) {
        Some(id) => Some(Some(id.to_string())),
        None if default == Setting::ProjectId && data_plane && client.has_own_project_api() => Some(None),
        None => None,
    }
}

/// When the bare form of an import ID can be used, for messages: see
/// [`bare_owner`].
fn bare_when(default: Setting, data_plane: bool) -> String {
    match default {
        Setting::ProjectId if data_plane => {
            "when the provider sets project_id or project_api_key, or names self-hosted Ory servers".into()
        }
        other => format!("when the provider sets {}", other.attr()),
    }
}
