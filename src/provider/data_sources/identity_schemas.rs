//! `ory_identity_schema` and `ory_identity_schemas` (data sources): a
//! project's identity schemas, read from its document.

use async_trait::async_trait;
use serde_json::Value as Json;

use super::or_empty;
use crate::provider::client::{OryClient, Setting};
use crate::provider::document::identity_schema::content_of;
use crate::provider::document::{self, paths};
use crate::provider::errors::Error;
use crate::provider::model::{attr, computed, model, names, optional_computed, Fallback};
use crate::provider::typed::{Declared, TypedDataSource};
use crate::provider::validators;

model! {
    pub struct SchemaItem {
        id: String = computed("The schema's ID."),
        schema: String = computed("The JSON Schema, as JSON; null when Ory holds it behind a URL other than `base64://`."),
        is_default: bool = computed("Whether new identities get this schema."),
    }
}

/// The schemas of a project's live document, and its default.
async fn schemas_of(client: &OryClient, project: &str) -> Result<Vec<SchemaItem>, Error> {
    let Some(live) = document::live_project(client, project).await? else {
        return Err(Error::refused("Project not found", format!("Project {project} does not exist or was purged.")));
    };
    let live = live.document();
    let default = live.pointer(paths::IDENTITY_DEFAULT_SCHEMA).and_then(Json::as_str);
    let list = live.pointer(paths::IDENTITY_SCHEMAS).and_then(Json::as_array).cloned().unwrap_or_default();
    Ok(list
        .iter()
        .map(|entry| {
            let id = entry["id"].as_str().map(str::to_string);
            SchemaItem {
                is_default: Some(id.is_some() && id.as_deref() == default),
                schema: entry["url"].as_str().and_then(content_of).map(|c| c.to_string()),
                id,
                ..SchemaItem::default()
            }
        })
        .collect())
}

model! {
    pub struct SchemaData {
        project_id: String = optional_computed("The project. Defaults to the provider's `project_id`.")
            .check(validators::uuid)
            .default(Fallback::Provider(Setting::ProjectId)),
        id: String = optional_computed("The schema's ID, such as `customer_v1` or `preset://email`, or an `ory_identity_schema`'s `id` (`<project_id>/<schema_id>`), which names its project. Set this or `schema_id`."),
        schema_id: String = optional_computed("The schema's ID, as Ory's provider names it. Set this or `id`."),
        schema: String = computed("The JSON Schema, as JSON (`jsondecode()` reads it); null when Ory holds it behind a URL other than `base64://`."),
        is_default: bool = computed("Whether new identities get this schema."),
    }
}

pub struct IdentitySchemaData;

impl Declared for IdentitySchemaData {
    type Model = SchemaData;

    fn type_name(&self) -> &'static str {
        "ory_identity_schema"
    }

    fn summary(&self) -> &'static str {
        "one identity schema of a project"
    }

    fn description(&self) -> String {
        "One identity schema of a project, by its ID.".into()
    }

    fn noun(&self) -> &'static str {
        "identity schema"
    }

    fn describe(&self, m: &SchemaData) -> String {
        let id = m.id.as_ref().or(m.schema_id.as_ref());
        format!("identity schema {:?} of project {}", or_empty(&id.cloned()), or_empty(&m.project_id))
    }

    fn validate(&self, config: &SchemaData, diags: &mut crate::plugin::Diagnostics) {
        let given = |v: &Option<String>, name| v.is_some() || config.unknown.contains(name);
        let id = given(&config.id, attr!(SchemaData, id));
        let schema_id = given(&config.schema_id, attr!(SchemaData, schema_id));
        let differ = matches!((&config.id, &config.schema_id), (Some(a), Some(b)) if a != b);
        if (!id && !schema_id) || differ {
            diags.attr_error(
                attr!(SchemaData, id),
                "Which identity schema?",
                "Set the schema's ID in id or in schema_id (Ory's provider's name), or both the same.",
            );
        }
    }
}

#[async_trait]
impl TypedDataSource for IdentitySchemaData {
    async fn read(&self, client: &OryClient, config: SchemaData) -> Result<SchemaData, Error> {
        let written = config.id.as_deref().or(config.schema_id.as_deref()).unwrap_or_default();
        // An `ory_identity_schema`'s `id` (`<project_id>/<schema_id>`) names
        // the project it is in, whichever project the lookup names.
        let (project, id) = match written.split_once('/') {
            Some((project, id)) if validators::is_uuid(project) => (project, id),
            _ => (or_empty(&config.project_id), written),
        };
        let found = schemas_of(client, project).await?.into_iter().find(|s| s.id.as_deref() == Some(id));
        let Some(found) = found else {
            return Err(Error::on(
                attr!(SchemaData, id),
                "Identity schema not found",
                format!("Project {project} has no identity schema {id:?}; ory_identity_schemas lists those it has."),
            ));
        };
        let id = Some(id.to_string());
        let keep = |written: Option<String>| written.or_else(|| id.clone());
        Ok(SchemaData {
            schema: found.schema,
            is_default: found.is_default,
            schema_id: keep(config.schema_id),
            id: keep(config.id),
            ..config
        })
    }
}

model! {
    pub struct SchemasData {
        project_id: String = optional_computed("The project. Defaults to the provider's `project_id`.")
            .check(validators::uuid)
            .default(Fallback::Provider(Setting::ProjectId)),
        schemas: Vec<SchemaItem> = computed(&format!("The schemas, in the project's order: {}.", names::<SchemaItem>())),
    }
}

pub struct IdentitySchemasData;

impl Declared for IdentitySchemasData {
    type Model = SchemasData;

    fn type_name(&self) -> &'static str {
        "ory_identity_schemas"
    }

    fn summary(&self) -> &'static str {
        "a project's identity schemas"
    }

    fn description(&self) -> String {
        "Every identity schema of a project, with its content and whether it is the default.".into()
    }

    fn noun(&self) -> &'static str {
        "identity schemas"
    }

    fn describe(&self, m: &SchemasData) -> String {
        format!("the identity schemas of project {}", or_empty(&m.project_id))
    }
}

#[async_trait]
impl TypedDataSource for IdentitySchemasData {
    async fn read(&self, client: &OryClient, config: SchemasData) -> Result<SchemasData, Error> {
        let schemas = schemas_of(client, or_empty(&config.project_id)).await?;
        Ok(SchemasData { schemas: Some(schemas), ..config })
    }
}
