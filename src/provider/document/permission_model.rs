//! `ory_permission_model`: a project's permission model, its Ory Permission
//! Language (OPL) document, the value at `services.permission.config.namespaces`
//! (`{"location": "base64://..."}`, the `keto_namespace_configuration` of
//! Ory's provider). Ory's `validateOpl` checks it before anything is
//! written, so a mistake stops the plan with Ory's line and column.
//!
//! A resource of its own rather than a key of `ory_project_config`: the
//! document is source code, checked by an operation of its own, and
//! relationships (`ory_relationship`) can depend on it, so that a model and
//! the tuples in its namespaces apply in one run, in that order.

use async_trait::async_trait;
use serde_json::{json, Value as Json};

use crate::console::ProjectId;
use crate::plugin::{Diagnostics, Value};
use crate::provider::adoption::{Finds, Found, InProject};
use crate::provider::client::{OryClient, Setting};
use crate::provider::document::inline;
use crate::provider::document::slice::placed;
use crate::provider::document::slice::{Part, Slice};
use crate::provider::errors::Error;
use crate::provider::model::{attr, computed, model, optional_computed, required, Fallback};
use crate::provider::typed::Declared;
use crate::provider::validators;

/// Where Ory Keto's namespaces are in the project document.
const NAMESPACES: &str = "/services/permission/config/namespaces";

model! {
    pub struct PermissionModelModel {
        id: String = computed("The project's ID: the import ID."),
        project_id: String = optional_computed(
            "The project. Defaults to the provider's `project_id`. Changing it replaces the model."
        )
        .check(validators::uuid)
        .default(Fallback::Provider(Setting::ProjectId))
        .force_new(),
        opl: String = required(
            "The permission model in the Ory Permission Language (OPL), as text, such as `file(\"${path.module}/permissions.ts\")`. Ory checks it at plan time: a mistake fails the plan on this attribute with its line and column, and nothing is written."
        ),
    }
}

placed!(PermissionModelModel);

pub struct PermissionModelResource;

impl Declared for PermissionModelResource {
    type Model = PermissionModelModel;

    fn type_name(&self) -> &'static str {
        "ory_permission_model"
    }

    fn summary(&self) -> &'static str {
        "a project's permission model (OPL)"
    }

    fn description(&self) -> String {
        "A project's permission model for Ory Permissions (Ory Keto): its namespaces, relations and permissions in the Ory Permission Language (OPL). Ory validates the document at plan time, so a mistake fails the plan with its line and column and nothing is written. It replaces any namespaces the project had (the legacy list included). Make `ory_relationship` resources depend on it. Destroy removes the model: the project then declares no namespace, and its relationships are out of reach until one is declared again.".into()
    }

    fn noun(&self) -> &'static str {
        "permission model"
    }

    fn describe(&self, m: &PermissionModelModel) -> String {
        format!("the permission model of project {}", m.project_id.as_deref().unwrap_or_default())
    }

    fn validate(&self, config: &PermissionModelModel, diags: &mut Diagnostics) {
        let Some(opl) = config.opl.as_deref() else { return };
        if inline::is_url(opl) {
            diags.attr_error(
                attr!(PermissionModelModel, opl),
                "A URL in opl",
                "opl is the OPL document itself, as text: read a file with file(\"permissions.ts\") rather than giving its URL.",
            );
        } else if opl.trim().is_empty() {
            diags.attr_error(
                attr!(PermissionModelModel, opl),
                "Empty opl",
                "opl is empty. A permission model declares at least one namespace (class X implements Namespace {}).",
            );
        }
    }
}

#[async_trait]
impl Slice for PermissionModelResource {
    fn found(&self, at: &InProject<'_>, finds: &mut Finds) {
        if at.document.pointer("/services/permission/config/namespaces/location").is_some() {
            finds.add(Found::new(format!("{} permissions", at.name()), at.id().to_string()));
        }
    }

    const THE: &'static str = "the permission model";
    const PLACED_BY: &'static [&'static str] = &["project_id"];
    const ATTRIBUTES: &'static [(&'static str, &'static str)] = &[("", "opl")];
    const IMPORT_FORM: &'static str = "<project_id>";

    fn parse_import(id: &str) -> Option<Value> {
        validators::is_uuid(id).then(|| Value::object([("project_id", Value::string(id))]))
    }

    fn import_id(&self, m: &PermissionModelModel) -> String {
        m.project_id.clone().unwrap_or_default()
    }

    fn part(&self, _: &PermissionModelModel) -> Part {
        Part::at(NAMESPACES)
    }

    fn value(&self, m: &PermissionModelModel, _: Option<&PermissionModelModel>) -> Json {
        json!({ "location": inline::sent(m.opl.as_deref().unwrap_or_default()) })
    }

    /// The document as `m` wrote it when it is what Ory holds; a legacy
    /// list of namespaces, or a URL Ory loads, shows as no document, so the
    /// plan writes this one over it.
    fn shown(&self, m: &PermissionModelModel, project: &str, live: &Json, _: &Json) -> PermissionModelModel {
        let location = live.get("location").and_then(Json::as_str).filter(|l| l.starts_with("base64://"));
        PermissionModelModel {
            project_id: Some(project.to_string()),
            opl: location.and_then(|l| inline::seen(m.opl.as_deref(), Some(l))),
            ..PermissionModelModel::default()
        }
    }

    /// A new project's namespaces: none, or the one legacy `default`
    /// namespace (UNVERIFIED: whether Ory Network still gives new projects
    /// that one; its notes show it).
    fn is_default(&self, value: &Json) -> bool {
        match value.as_array().map(Vec::as_slice) {
            Some([]) => true,
            Some([only]) => only["name"] == "default",
            _ => false,
        }
    }

    /// Ory's `validateOpl`: every mistake, with its line and column, on `opl`.
    async fn check(&self, client: &OryClient, m: &PermissionModelModel) -> Result<(), Error> {
        let (Some(project), Some(opl)) = (m.project_id.as_deref(), m.opl.as_deref()) else { return Ok(()) };
        if m.unknown.contains("opl") || m.unknown.contains("project_id") {
            return Ok(());
        }
        let problems = client
            .console
            .opl(&ProjectId::from(project))
            .validate(opl)
            .await
            .map_err(|e| Error::doing(e, "checking the OPL"))?;
        if problems.is_empty() {
            return Ok(());
        }
        let listed: Vec<String> = problems.iter().map(|p| format!("  {p}")).collect();
        Err(Error::on(
            attr!(PermissionModelModel, opl),
            "Invalid permission model",
            format!(
                "Ory found {} in the OPL of project {project}; nothing was written:\n{}",
                if problems.len() == 1 { "a mistake".to_string() } else { format!("{} mistakes", problems.len()) },
                listed.join("\n")
            ),
        ))
    }
}
