//! `ory_identity_schema`: one identity schema of a project, an entry of
//! `identity.schemas` (its ID, and its JSON Schema as a `base64://` URL),
//! and with `set_default`, the project's `identity.default_schema_id`.

use async_trait::async_trait;
use base64::Engine;
use serde_json::{json, Value as Json};

use super::client::{OryClient, Setting};
use super::document::{self, paths};
use super::errors::Error;
use super::model::{attr, computed, model, optional_computed, required, Fallback};
use super::slice::{project_scoped, Owner, Part, Write};
use super::typed::{Declared, ImportId, Plan, TypedResource};
use super::validators;
use crate::plugin::{Diagnostics, Value};

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

impl IdentitySchemaModel {
    fn project(&self) -> &str {
        self.project_id.as_deref().unwrap_or_default()
    }

    fn schema_id(&self) -> &str {
        self.schema_id.as_deref().unwrap_or_default()
    }

    fn import_form(&self) -> String {
        format!("{}/{}", self.project(), self.schema_id())
    }

    fn part(&self) -> Part {
        Part::by_id(paths::IDENTITY_SCHEMAS, "identity schema", self.schema_id())
    }

    /// The entry in `identity.schemas`: the content as a `base64://` URL.
    fn entry(&self) -> Json {
        let content: Json = serde_json::from_str(self.schema.as_deref().unwrap_or("{}")).unwrap_or_default();
        json!({ "id": self.schema_id(), "url": url_of(&content) })
    }

    /// The default schema, when this resource keeps it.
    fn also(&self) -> Vec<(Part, Json)> {
        match self.set_default {
            Some(true) => vec![(Part::at(paths::IDENTITY_DEFAULT_SCHEMA), json!(self.schema_id()))],
            _ => Vec::new(),
        }
    }

    fn owner(&self) -> Owner<'static> {
        Owner {
            noun: "the identity schema",
            attributes: ENTRY_ATTRIBUTES,
            import_hint: format!("terraform import <address> '{}'", self.import_form()),
        }
    }

    /// The state from the live entry and default. A `base64://` URL is read
    /// back as JSON, spelled as `self` spells it when it is the same JSON;
    /// any other URL (UNVERIFIED: whether Ory Network hands back the URL it
    /// stored the content at) leaves the content as `self` has it.
    fn as_live_shows(&self, project: &str, entry: &Json, default: Option<&str>) -> IdentitySchemaModel {
        let live = entry["url"].as_str().and_then(content_of);
        let schema = match (&self.schema, live) {
            (Some(mine), Some(theirs)) if validators::same_json(mine, &theirs.to_string()) => Some(mine.clone()),
            (_, Some(theirs)) => Some(serde_json::to_string_pretty(&theirs).unwrap_or_default()),
            (mine, None) => mine.clone(),
        };
        let is_default = default == Some(self.schema_id());
        let mut next = IdentitySchemaModel {
            project_id: Some(project.to_string()),
            schema_id: self.schema_id.clone(),
            schema,
            // Kept by this resource: the live value, so that another default is drift.
            // Not kept (false, or an import's first read): whether it is.
            set_default: Some(if self.set_default == Some(true) {
                is_default
            } else {
                is_default && self.schema.is_none()
            }),
            ..IdentitySchemaModel::default()
        };
        next.id = Some(next.import_form());
        next
    }
}

fn url_of(content: &Json) -> String {
    format!("base64://{}", base64::engine::general_purpose::STANDARD.encode(content.to_string()))
}

/// The JSON a `base64://` URL holds.
pub(super) fn content_of(url: &str) -> Option<Json> {
    let bytes = base64::engine::general_purpose::STANDARD.decode(url.strip_prefix("base64://")?).ok()?;
    serde_json::from_slice(&bytes).ok()
}

/// Which attribute writes which pointer of the schema's entry.
const ENTRY_ATTRIBUTES: &[(&str, &str)] = &[("/url", "schema"), ("/id", "schema_id")];

fn parse_import(id: &str) -> Option<Value> {
    project_scoped(id, "schema_id", validators::schema_id)
}

pub struct IdentitySchemaResource;

impl Declared for IdentitySchemaResource {
    type Model = IdentitySchemaModel;

    fn type_name(&self) -> &'static str {
        "ory_identity_schema"
    }

    fn description(&self) -> String {
        "An identity schema of a project: an entry of its identity configuration's `schemas`, and with `set_default`, its default schema. Destroy removes the schema from the project, unless it is the project's default. The same content is never stored twice under two IDs.".into()
    }

    fn noun(&self) -> &'static str {
        "identity schema"
    }

    fn describe(&self, m: &IdentitySchemaModel) -> String {
        format!("identity schema {:?} of project {}", m.schema_id(), m.project())
    }
}

#[async_trait]
impl TypedResource for IdentitySchemaResource {
    fn import_id(&self) -> ImportId {
        ImportId::Parsed {
            parse: parse_import,
            help: "<project_id>/<schema_id>: the project's UUID, a slash, and the schema's ID (which may hold slashes)",
        }
    }

    fn adoptable(&self) -> bool {
        false
    }

    /// Content that is the same JSON as before is no change; the schema and
    /// the default it keeps are claimed against the other resources.
    async fn plan(&self, client: &OryClient, plan: &mut Plan<'_, IdentitySchemaModel>) -> Result<(), Error> {
        if let (Some(prior), Some(wanted)) = (&plan.prior, &plan.config.schema) {
            if prior.schema.as_deref().is_some_and(|was| validators::same_json(was, wanted)) {
                plan.planned.schema = prior.schema.clone();
            }
        }
        let known = ["project_id", "schema_id"].iter().all(|n| !plan.planned.unknown.contains(n));
        if known && plan.planned.project_id.is_some() {
            plan.planned.id = Some(plan.planned.import_form());
            plan.planned.unknown.remove("id");
            let mut parts = vec![plan.planned.part()];
            parts.extend(plan.planned.also().into_iter().map(|(part, _)| part));
            let by = format!("ory_identity_schema {}", plan.planned.import_form());
            let replacing = plan.prior.as_ref().is_some_and(|prior| {
                prior.project_id != plan.planned.project_id
                    || prior.schema_id != plan.planned.schema_id
                    || prior.schema != plan.planned.schema
            });
            client.claims.claim_all(plan.planned.project(), &parts, &by, replacing)?;
        }
        Ok(())
    }

    async fn create(
        &self,
        client: &OryClient,
        planned: IdentitySchemaModel,
        notes: &mut Diagnostics,
    ) -> Result<IdentitySchemaModel, Error> {
        let project = planned.project();
        let (entry, also) = (planned.entry(), planned.also());
        // The same content under another ID is refused: a second copy
        // would split identities between two names for one schema.
        let wanted = entry["url"].as_str().and_then(content_of);
        let twin = |live: &Json| {
            let schemas = live.pointer(paths::IDENTITY_SCHEMAS).and_then(Json::as_array)?;
            let twin = schemas.iter().find(|s| {
                s["id"] != planned.schema_id()
                    && s["url"]
                        .as_str()
                        .and_then(content_of)
                        .zip(wanted.as_ref())
                        .is_some_and(|(theirs, mine)| document::same(&theirs, mine))
            })?;
            let id = twin["id"].as_str().unwrap_or_default();
            Some(Error::on(
                attr!(IdentitySchemaModel, schema),
                "The same schema is there already",
                format!("Project {project} already has this content as the identity schema {id:?}. Nothing was changed. Use that schema ID (import it: terraform import <address> '{project}/{id}'), or change the content."),
            ))
        };
        let write = Write { value: &entry, also: &also, over_live: false, unless: Some(&twin) };
        planned.owner().create(client, project, &planned.part(), write, notes).await?;
        let mut state = planned;
        state.id = Some(state.import_form());
        Ok(state)
    }

    async fn read(
        &self,
        client: &OryClient,
        state: IdentitySchemaModel,
        _: &mut Diagnostics,
    ) -> Result<Option<IdentitySchemaModel>, Error> {
        let Some((project, entry)) = state.owner().read(client, state.project(), &state.part()).await? else {
            return Ok(None);
        };
        let live = document::of(&project);
        let default = live.pointer(paths::IDENTITY_DEFAULT_SCHEMA).and_then(Json::as_str);
        Ok(Some(state.as_live_shows(&project.id, &entry, default)))
    }

    async fn update(
        &self,
        client: &OryClient,
        prior: IdentitySchemaModel,
        planned: IdentitySchemaModel,
        notes: &mut Diagnostics,
    ) -> Result<IdentitySchemaModel, Error> {
        let (old, new, entry, also) = (prior.part(), planned.part(), planned.entry(), planned.also());
        let write = Write { value: &entry, also: &also, over_live: false, unless: None };
        planned.owner().update(client, planned.project(), &old, &new, write, notes).await?;
        let mut state = planned;
        state.id = Some(state.import_form());
        Ok(state)
    }

    async fn delete(
        &self,
        client: &OryClient,
        prior: IdentitySchemaModel,
        notes: &mut Diagnostics,
    ) -> Result<(), Error> {
        let (project, id) = (prior.project().to_string(), prior.schema_id().to_string());
        let refuse = |live: &Json| {
            let default = live.pointer(paths::IDENTITY_DEFAULT_SCHEMA).and_then(Json::as_str);
            (default == Some(id.as_str())).then(|| {
                Error::refused(
                    "The default schema cannot be removed",
                    format!("The identity schema {id:?} is the default schema of project {project}: new identities get it. Nothing was changed. Make another schema the default first (set_default = true on another ory_identity_schema, or in the Ory Console), then destroy this one. If another schema of this apply becomes the default, apply again once it has."),
                )
            })
        };
        prior.owner().delete(client, prior.project(), &prior.part(), None, refuse, notes).await
    }

    fn imported(&self, state: &mut IdentitySchemaModel, _: &mut Diagnostics) {
        state.id = Some(state.import_form());
    }
}
