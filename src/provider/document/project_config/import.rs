//! Import IDs of `ory_project_config`: a project, and the keys to manage.

use std::collections::BTreeMap;

use serde_json::{json, Value as Json};

use crate::provider::document::flat::{self};
use crate::provider::document::{is_secret_document, SECRET_PATHS};
use crate::provider::validators;

use super::model::{place, CorsModel, ProjectConfigModel};

pub(super) const IMPORT_FORM: &str = "<project_id> (managing no key until the configuration writes some), or <project_id>:<key>,<key>,... to manage those keys, each a flat attribute's name (not a sensitive one) or a JSON pointer into the project document under /services/<service>/config, /cors_public or /cors_admin, such as 3fa85f64-5717-4562-b3fc-2c963f66afa6:session_lifespan,/services/oauth2/config/ttl/access_token,/cors_public/origins";

/// The service attribute that holds the keys under each pointer.
const SERVICE_ATTRIBUTES: [(&str, &str); 4] = [
    ("/services/identity/config", "identity_config"),
    ("/services/oauth2/config", "oauth2_config"),
    ("/services/permission/config", "permission_config"),
    ("/services/account_experience/config", "account_experience_config"),
];

/// The partial state of an import ID: the project, and for each pointer
/// listed, the key it names, to be read from the live configuration. A
/// secret's path is refused: secrets are never read back.
pub(super) fn parse_import(id: &str) -> Option<crate::plugin::Value> {
    let (project, keys) = match id.split_once(':') {
        Some((project, keys)) => (project, keys.split(',').filter(|k| !k.is_empty()).collect()),
        None => (id, Vec::new()),
    };
    if !validators::is_uuid(project) {
        return None;
    }
    let mut services: BTreeMap<&str, Json> = BTreeMap::new();
    let mut model = ProjectConfigModel {
        id: Some(project.to_string()),
        project_id: Some(project.to_string()),
        ..ProjectConfigModel::default()
    };
    for pointer in keys {
        if !pointer.starts_with('/') {
            let row = flat::find(pointer).filter(|row| !row.sensitive && !row.write_only && row.pointer.is_some())?;
            model.extra.0.insert(row.name, row.placeholder());
            continue;
        }
        if SECRET_PATHS.contains(&pointer) || is_secret_document(pointer) {
            return None;
        }
        let cors = |block: &mut Option<CorsModel>, rest: &str| -> Option<()> {
            let cors = block.get_or_insert_with(CorsModel::default);
            match rest {
                "/enabled" => cors.enabled = Some(false),
                "/origins" => cors.origins = Some(Vec::new()),
                _ => return None,
            }
            Some(())
        };
        if let Some(rest) = pointer.strip_prefix("/cors_public") {
            cors(&mut model.cors_public, rest)?;
        } else if let Some(rest) = pointer.strip_prefix("/cors_admin") {
            cors(&mut model.cors_admin, rest)?;
        } else {
            let (prefix, attr) =
                SERVICE_ATTRIBUTES.iter().find(|(prefix, _)| pointer.starts_with(&format!("{prefix}/")))?;
            let rest = &pointer[prefix.len()..];
            *place(services.entry(attr).or_insert_with(|| json!({})), rest) = Json::Null;
        }
    }
    for (attr, shape) in services {
        let text = Some(shape.to_string());
        match attr {
            "identity_config" => model.identity_config = text,
            "oauth2_config" => model.oauth2_config = text,
            "permission_config" => model.permission_config = text,
            _ => model.account_experience_config = text,
        }
    }
    Some(crate::provider::model::Model::to_value(&model))
}
