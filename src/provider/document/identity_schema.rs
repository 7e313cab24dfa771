//! `ory_identity_schema`: one identity schema of a project, an entry of
//! `identity.schemas` (its ID, and its JSON Schema as a `base64://` URL),
//! and with `set_default`, the project's `identity.default_schema_id`.

use base64::Engine;
use serde_json::{json, Value as Json};

use crate::plugin::Value;
use crate::provider::adoption::{Finds, Found, InProject};
use crate::provider::client::Setting;
use crate::provider::document::paths;
use crate::provider::document::slice::placed;
use crate::provider::document::slice::{bare_key, project_scoped, Part, Slice};
use crate::provider::errors::Error;
use crate::provider::model::{attr, computed, model, optional_computed, required, Fallback};
use crate::provider::typed::{Declared, Plan};
use crate::provider::validators;

model! {
    pub struct IdentitySchemaModel {
        id: String = computed("`<project_id>/<schema_id>`, the import ID."),
        project_id: String = optional_computed(
            "The project. Defaults to the provider's `project_id`. Changing it replaces the schema."
        )
        .check(validators::uuid)
        .default(Fallback::Provider(Setting::ProjectId))
        .force_new(),
        schema_id: String = required(
            "The schema's ID, which identities name, such as `customer_v1`. Changing it replaces the schema."
        )
        .check(validators::schema_id)
        .force_new(),
        schema: String = required(
            "The JSON Schema of the identities' traits, as JSON (`jsonencode({...})`); it must describe `properties.traits`. Compared as JSON, ignoring spacing and key order. Changing it replaces the schema: identities refer to a schema by ID, so a new content needs a new `schema_id`."
        )
        .check(validators::identity_schema)
        .force_new(),
        set_default: bool = optional_computed(
            "Keep this the project's default schema, the one new identities get. Defaults to false, which leaves the default to other resources or the Ory Console (it does not unset it)."
        )
        .default(Fallback::Always(Value::Bool(false))),
    }
}

placed!(IdentitySchemaModel);

impl IdentitySchemaModel {
    fn project(&self) -> &str {
        self.project_id.as_deref().unwrap_or_default()
    }

    fn schema_id(&self) -> &str {
        self.schema_id.as_deref().unwrap_or_default()
    }
}

fn url_of(content: &Json) -> String {
    format!("base64://{}", base64::engine::general_purpose::STANDARD.encode(content.to_string()))
}

/// The JSON a `base64://` URL holds.
pub(crate) fn content_of(url: &str) -> Option<Json> {
    let bytes = base64::engine::general_purpose::STANDARD.decode(url.strip_prefix("base64://")?).ok()?;
    serde_json::from_slice(&bytes).ok()
}

/// Which attribute writes which pointer of the schema's entry.
const ENTRY_ATTRIBUTES: &[(&str, &str)] = &[("/url", "schema"), ("/id", "schema_id")];

pub struct IdentitySchemaResource;

impl Declared for IdentitySchemaResource {
    type Model = IdentitySchemaModel;

    fn type_name(&self) -> &'static str {
        "ory_identity_schema"
    }

    fn summary(&self) -> &'static str {
        "an identity schema"
    }

    fn description(&self) -> String {
        "An identity schema of a project: an entry of its identity configuration's `schemas`, and with `set_default`, its default schema. Destroy removes the schema from the project, unless it is the project's default: that one stays for the identities that follow it, and is removed from the state only, with a warning. The same content is never stored twice under two IDs.".into()
    }

    fn noun(&self) -> &'static str {
        "identity schema"
    }

    fn describe(&self, m: &IdentitySchemaModel) -> String {
        format!("identity schema {:?} of project {}", m.schema_id(), m.project())
    }
}

impl Slice for IdentitySchemaResource {
    /// Ory's built-in schemas (`preset://`) are not the project's to adopt.
    fn found(&self, at: &InProject<'_>, finds: &mut Finds) {
        for schema in at.list_at(paths::IDENTITY_SCHEMAS) {
            let Some(schema_id) = schema["id"].as_str() else { continue };
            if schema_id.starts_with("preset://") {
                finds.leave_out(format!("Ory's built-in identity schema {schema_id:?} of {}", at.named()));
                continue;
            }
            finds.add(Found::new(format!("{} {schema_id}", at.name()), format!("{}/{schema_id}", at.id())));
        }
    }

    const THE: &'static str = "the identity schema";
    const PLACED_BY: &'static [&'static str] = &["project_id", "schema_id"];
    const ATTRIBUTES: &'static [(&'static str, &'static str)] = ENTRY_ATTRIBUTES;
    const IMPORT_FORM: &'static str =
        "<project_id>/<schema_id> (the project's UUID, a slash, and the schema's ID, which may hold slashes)";

    fn parse_import(id: &str) -> Option<Value> {
        project_scoped(id, "schema_id", validators::schema_id)
    }

    const BARE_FORM: Option<&'static str> = Some("<schema_id>");

    fn parse_bare(id: &str) -> Option<Value> {
        bare_key(id, "schema_id", validators::schema_id)
    }

    fn import_id(&self, m: &IdentitySchemaModel) -> String {
        format!("{}/{}", m.project(), m.schema_id())
    }

    fn part(&self, m: &IdentitySchemaModel) -> Part {
        Part::by_id(paths::IDENTITY_SCHEMAS, "identity schema", m.schema_id())
    }

    /// The entry in `identity.schemas`: the content as a `base64://` URL.
    fn value(&self, m: &IdentitySchemaModel, _: Option<&IdentitySchemaModel>) -> Json {
        let content: Json = serde_json::from_str(m.schema.as_deref().unwrap_or("{}")).unwrap_or_default();
        json!({ "id": m.schema_id(), "url": url_of(&content) })
    }

    /// The default schema, when this resource keeps it.
    fn also(&self, m: &IdentitySchemaModel) -> Vec<(Part, Json)> {
        match m.set_default {
            Some(true) => vec![(Part::at(paths::IDENTITY_DEFAULT_SCHEMA), json!(m.schema_id()))],
            _ => Vec::new(),
        }
    }

    /// A `base64://` URL is read back as JSON, spelled as `m` spells it
    /// when it is the same JSON; any other URL (UNVERIFIED: whether Ory
    /// Network hands back the URL it stored the content at) leaves the
    /// content as `m` has it.
    fn shown(&self, m: &IdentitySchemaModel, project: &str, entry: &Json, doc: &Json) -> IdentitySchemaModel {
        let live = entry["url"].as_str().and_then(content_of);
        let schema = match (&m.schema, live) {
            (Some(mine), Some(theirs)) if validators::same_json(mine, &theirs.to_string()) => Some(mine.clone()),
            (_, Some(theirs)) => Some(serde_json::to_string_pretty(&theirs).unwrap_or_default()),
            (mine, None) => mine.clone(),
        };
        let is_default = doc.pointer(paths::IDENTITY_DEFAULT_SCHEMA).and_then(Json::as_str) == Some(m.schema_id());
        IdentitySchemaModel {
            project_id: Some(project.to_string()),
            schema_id: m.schema_id.clone(),
            schema,
            // Kept by this resource: the live value, so that another default is drift.
            // Not kept (false, or an import's first read): whether it is.
            set_default: Some(if m.set_default == Some(true) { is_default } else { is_default && m.schema.is_none() }),
            ..IdentitySchemaModel::default()
        }
    }

    /// Content that is the same JSON as before is no change.
    fn plan(&self, plan: &mut Plan<'_, IdentitySchemaModel>) {
        if let (Some(prior), Some(wanted)) = (&plan.prior, &plan.config.schema) {
            if prior.schema.as_deref().is_some_and(|was| validators::same_json(was, wanted)) {
                plan.planned.schema = prior.schema.clone();
            }
        }
    }

    /// The same content under another ID is refused: a second copy would
    /// split identities between two names for one schema.
    fn refuse_create(&self, m: &IdentitySchemaModel, live: &Json) -> Option<Error> {
        let wanted: Json = serde_json::from_str(m.schema.as_deref().unwrap_or("{}")).ok()?;
        let schemas = live.pointer(paths::IDENTITY_SCHEMAS).and_then(Json::as_array)?;
        let twin = schemas.iter().find(|s| {
            s["id"] != m.schema_id()
                && s["url"].as_str().and_then(content_of).is_some_and(|theirs| validators::same(&theirs, &wanted))
        })?;
        let (project, id) = (m.project(), twin["id"].as_str().unwrap_or_default());
        Some(Error::on(
            attr!(IdentitySchemaModel, schema),
            "The same schema is there already",
            format!("Project {project} already has this content as the identity schema {id:?}. Nothing was changed. Use that schema ID (import it: terraform import <address> '{project}/{id}'), or change the content."),
        ))
    }

    /// The default schema stays at Ory: new identities get it, and the
    /// project's identities may follow it. Destroying it (alone, or with its
    /// project, which takes it along) removes it from the state only.
    fn kept_on_delete(&self, m: &IdentitySchemaModel, live: &Json) -> Option<String> {
        let (project, id) = (m.project(), m.schema_id());
        let default = live.pointer(paths::IDENTITY_DEFAULT_SCHEMA).and_then(Json::as_str);
        (default == Some(id)).then(|| {
            format!("The identity schema {id:?} is the default schema of project {project}: new identities get it, and its identities may follow it. It was removed from the state only, and stays in the project. To remove it from the project, make another schema the default (set_default = true on another ory_identity_schema, or in the Ory Console), import this one again and destroy it.")
        })
    }
}
