//! `ory_project` (one project, by ID or slug) and `ory_projects` (a workspace's).

use async_trait::async_trait;

use super::object_type;
use crate::console::ProjectMetadata;
use crate::plugin::{Attribute, AttributePath, DataSource, Diagnostic, Diagnostics, Schema, Type, Value};
use crate::provider::enums::check_uuid;
use crate::provider::errors::api_error;
use crate::provider::OryClient;

pub struct ProjectData;
pub struct ProjectsData;

const FIELDS: [&str; 8] = ["id", "slug", "name", "environment", "home_region", "state", "workspace_id", "created_at"];

fn metadata(p: &ProjectMetadata) -> Value {
    Value::object([
        ("id", Value::string(&p.id)),
        ("slug", Value::string(&p.slug)),
        ("name", Value::string(&p.name)),
        ("environment", Value::string(&p.environment)),
        ("home_region", Value::string(&p.home_region)),
        ("state", Value::string(&p.state)),
        ("workspace_id", Value::opt_string(p.workspace_id.clone())),
        ("created_at", Value::opt_string(p.created_at.clone())),
    ])
}

#[async_trait]
impl DataSource<OryClient> for ProjectData {
    fn type_name(&self) -> &'static str {
        "ory_project"
    }

    fn schema(&self) -> Schema {
        Schema::new(
            "Looks up one project, by `id` or by `slug`.",
            vec![
                Attribute::string("id").optional().computed().describe("The project's ID. Set this or `slug`."),
                Attribute::string("slug").optional().computed().describe("The project's slug. Set this or `id`."),
                Attribute::string("name").computed().describe("The project's name."),
                Attribute::string("environment").computed().describe("prod, stage or dev."),
                Attribute::string("home_region").computed().describe("Where the project's data lives."),
                Attribute::string("state").computed().describe("running or halted."),
                Attribute::string("workspace_id").computed().describe("The workspace the project belongs to."),
            ],
        )
    }

    fn validate(&self, config: &Value) -> Diagnostics {
        let mut diags = Diagnostics::new();
        check_uuid(&mut diags, config, "id");
        let (id, slug) = (config.attr("id"), config.attr("slug"));
        if id.is_null() == slug.is_null() && !id.is_unknown() && !slug.is_unknown() {
            diags.push(
                Diagnostic::error(
                    "Set exactly one of id and slug",
                    "Look a project up either by its `id` or by its `slug`.",
                )
                .at(AttributePath::attr("id")),
            );
        }
        diags
    }

    async fn read(&self, client: &OryClient, config: &Value, diags: &mut Diagnostics) -> Value {
        let projects = client.console.projects();
        let id = match (config.attr("id").as_str(), config.attr("slug").as_str()) {
            (Some(id), _) => id.to_string(),
            (None, Some(slug)) => match projects.list().await {
                Ok(list) => match list.into_iter().find(|p| p.slug == slug) {
                    Some(p) => p.id,
                    None => {
                        diags.push(
                            Diagnostic::error(
                                "Project not found",
                                format!("No project with slug {slug:?} is visible to this workspace API key."),
                            )
                            .at(AttributePath::attr("slug")),
                        );
                        return Value::Null;
                    }
                },
                Err(e) => {
                    diags.push(api_error("Error listing projects", "Looking up a project by slug", &e));
                    return Value::Null;
                }
            },
            (None, None) => return Value::Null,
        };
        match projects.get(&id).await {
            Ok(p) if !p.is_deleted() => Value::object([
                ("id", Value::string(&p.id)),
                ("slug", Value::string(&p.slug)),
                ("name", Value::string(&p.name)),
                ("environment", Value::string(&p.environment)),
                ("home_region", Value::string(&p.home_region)),
                ("state", Value::string(&p.state)),
                ("workspace_id", Value::opt_string(p.workspace_id.clone())),
            ]),
            Ok(_) => {
                diags.error("Project not found", format!("Project {id} was purged."));
                Value::Null
            }
            Err(e) => {
                diags.push(api_error("Error reading project", &format!("Reading project {id}"), &e));
                Value::Null
            }
        }
    }
}

#[async_trait]
impl DataSource<OryClient> for ProjectsData {
    fn type_name(&self) -> &'static str {
        "ory_projects"
    }

    fn schema(&self) -> Schema {
        Schema::new(
            "Lists the projects of a workspace.",
            vec![
                Attribute::string("workspace_id").optional().computed().describe("The workspace. Defaults to the provider's `workspace_id`."),
                Attribute::typed("projects", Type::list(object_type(&FIELDS, &[])))
                    .computed()
                    .describe("The workspace's projects: id, slug, name, environment, home_region, state, workspace_id, created_at."),
            ],
        )
    }

    fn validate(&self, config: &Value) -> Diagnostics {
        super::check_id(config, "workspace_id")
    }

    async fn read(&self, client: &OryClient, config: &Value, diags: &mut Diagnostics) -> Value {
        let Some(workspace) = super::configured_or_default(
            config,
            "workspace_id",
            client.workspace_id.as_ref(),
            "ORY_WORKSPACE_ID",
            diags,
        ) else {
            return Value::Null;
        };
        match client.console.projects().list_for_workspace(&workspace).await {
            Ok(list) => super::listing("workspace_id", &workspace, "projects", list.iter().map(metadata).collect()),
            Err(e) => {
                diags.push(api_error(
                    "Error listing projects",
                    &format!("Listing the projects of workspace {workspace}"),
                    &e,
                ));
                Value::Null
            }
        }
    }
}
