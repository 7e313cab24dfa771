//! `ory_project`: an Ory Network project.

use async_trait::async_trait;

use super::enums::{
    check_enum, check_not_empty, check_uuid, parse_duration, DEFAULT_ENVIRONMENT, DEFAULT_HOME_REGION, ENVIRONMENTS,
    HOME_REGIONS,
};
use super::errors::{api_error, create_error};
use super::OryClient;
use crate::console::{CreateProject, Project};
use crate::plugin::{
    Attribute, AttributePath, Block, Diagnostic, Diagnostics, NestedBlock, Nesting, PlanRequest, Planned, Resource,
    Schema, Value,
};

pub struct ProjectResource;

/// Attributes whose change means a new project.
const FORCE_NEW: [&str; 2] = ["home_region", "workspace_id"];

/// State from the API's answer; `deletion_protection` and `timeouts` live only
/// in Terraform and come from `known` (the plan or the prior state).
fn state_from(project: &Project, known: &Value) -> Value {
    Value::object([
        ("deletion_protection", Value::Bool(protected(known))),
        ("timeouts", known.attr("timeouts").clone()),
        ("id", Value::string(&project.id)),
        ("name", Value::string(&project.name)),
        ("environment", Value::string(&project.environment)),
        ("home_region", Value::string(&project.home_region)),
        ("workspace_id", Value::opt_string(project.workspace_id.clone())),
        ("slug", Value::string(&project.slug)),
        ("state", Value::string(&project.state)),
    ])
}

/// The limit an operation's `timeouts` block sets, or the default.
fn limit(v: &Value, operation: &str) -> std::time::Duration {
    let seconds =
        v.attr("timeouts").attr(operation).as_str().and_then(parse_duration).unwrap_or(DEFAULT_TIMEOUT_SECONDS);
    std::time::Duration::from_secs(seconds as u64)
}

const DEFAULT_TIMEOUT_SECONDS: i64 = 20 * 60;

/// How often to look again while waiting for a project to settle.
const POLL: std::time::Duration = std::time::Duration::from_secs(1);

fn timed_out(operation: &str, id: &str, limit: std::time::Duration) -> Diagnostic {
    Diagnostic::error(
        format!("Timed out {operation} project"),
        format!(
            "{operation} project {id} took longer than {}s, the {} timeout. It may still complete in Ory Network; run terraform plan to see where it stands, or raise the limit in a timeouts block.",
            limit.as_secs(),
            match operation { "creating" => "create", "updating" => "update", _ => "delete" }
        ),
    )
    .at(AttributePath::attr("timeouts"))
}

/// `deletion_protection` of a state or plan: on unless explicitly off.
fn protected(v: &Value) -> bool {
    v.attr("deletion_protection").as_bool() != Some(false)
}

fn id_of(state: &Value) -> &str {
    state.attr("id").as_str().unwrap_or_default()
}

/// The configured value, or `fallback` when the configuration leaves it out.
fn configured_or(config: &Value, attr: &str, fallback: Value) -> Value {
    match config.attr(attr) {
        Value::Null => fallback,
        v => v.clone(),
    }
}

const PROTECTION_HELP: &str = "Purging a project deletes all of its identities, sessions and configuration, and cannot be undone. \
     To allow it, set deletion_protection = false on this resource and run terraform apply, then run this command again.";

impl ProjectResource {
    /// A rename and an environment change, then the project as it now is.
    async fn change(&self, client: &OryClient, prior: &Value, planned: &Value, diags: &mut Diagnostics) -> Value {
        let id = id_of(prior);
        // Only deletion_protection or timeouts changed: they live in
        // Terraform alone, so there is nothing to ask the API.
        if ["name", "environment"].iter().all(|a| planned.attr(a) == prior.attr(a)) {
            return prior
                .clone()
                .with_attr("deletion_protection", planned.attr("deletion_protection").clone())
                .with_attr("timeouts", planned.attr("timeouts").clone());
        }
        let projects = client.console.projects();
        if let Some(name) = planned.attr("name").as_str().filter(|n| Some(*n) != prior.attr("name").as_str()) {
            if let Err(e) = projects.rename(id, name).await {
                diags.push(api_error("Error renaming project", &format!("Renaming project {id} to {name:?}"), &e));
                return prior.clone();
            }
        }
        if let Some(env) =
            planned.attr("environment").as_str().filter(|e| Some(*e) != prior.attr("environment").as_str())
        {
            if let Err(e) = projects.set_environment(id, env).await {
                diags.push(api_error(
                    "Error changing project environment",
                    &format!("Moving project {id} to environment {env:?}"),
                    &e,
                ));
                // The rename may have happened; the next refresh sees it.
                return prior.clone().with_attr("name", planned.attr("name").clone());
            }
        }
        match projects.get(id).await {
            Ok(project) => state_from(&project, planned),
            Err(e) => {
                diags.push(api_error("Error reading project after update", &format!("Reading project {id}"), &e));
                planned.clone()
            }
        }
    }
}

#[async_trait]
impl Resource<OryClient> for ProjectResource {
    fn type_name(&self) -> &'static str {
        "ory_project"
    }

    fn schema(&self) -> Schema {
        Schema::new(
            "An Ory Network project. Destroying it purges the project and all of its data, so `deletion_protection` is on by default.",
            vec![
                Attribute::string("id").computed().describe("The project's ID."),
                Attribute::string("name").required().describe("The project's name. Changed in place."),
                Attribute::string("environment").optional().computed().describe(&format!(
                    "The environment tier: one of {}. Changed in place. A new project gets `{DEFAULT_ENVIRONMENT}` when this is left out; an existing or imported one keeps its own.",
                    ENVIRONMENTS.join(", ")
                )),
                Attribute::string("home_region").optional().computed().describe(&format!(
                    "Where the project's data lives: one of {}. Changing it replaces the project. A new project gets `{DEFAULT_HOME_REGION}` when this is left out; an existing or imported one keeps its own.",
                    HOME_REGIONS.join(", ")
                )),
                Attribute::string("workspace_id")
                    .optional()
                    .computed()
                    .describe("The workspace the project belongs to. Defaults to the provider's `workspace_id`. Changing it replaces the project."),
                Attribute::bool("deletion_protection").optional().computed().describe(
                    "While true (the default), destroying or replacing the project fails before any API call. Set it to false and apply before destroying.",
                ),
                Attribute::string("slug").computed().describe("The project's slug, part of its API hostnames."),
                Attribute::string("state").computed().describe("The project's state: running, halted or deleted."),
            ],
        )
        .with_blocks(vec![NestedBlock::new(
            "timeouts",
            Nesting::Single,
            Block {
                description: "How long each operation may take, retries and waiting for the project to settle included, as durations such as `30s`, `10m` or `1h`. Each defaults to 20m.".into(),
                attributes: ["create", "update", "delete"]
                    .iter()
                    .map(|op| Attribute::string(op).optional().describe(&format!("The limit for {op}.")))
                    .collect(),
                ..Block::default()
            },
        )])
    }

    fn validate(&self, config: &Value) -> Diagnostics {
        let mut diags = Diagnostics::new();
        check_not_empty(&mut diags, config, "name");
        check_enum(&mut diags, config, "environment", ENVIRONMENTS);
        check_enum(&mut diags, config, "home_region", HOME_REGIONS);
        check_uuid(&mut diags, config, "workspace_id");
        for op in ["create", "update", "delete"] {
            if let Some(v) = config.attr("timeouts").attr(op).as_str().filter(|v| parse_duration(v).is_none()) {
                diags.push(
                    Diagnostic::error(
                        "Invalid timeout",
                        format!("timeouts.{op} must be a duration such as 30s, 10m or 1h30m; got {v:?}."),
                    )
                    .at(AttributePath::attr("timeouts").then_attr(op)),
                );
            }
        }
        diags
    }

    async fn plan(&self, client: &OryClient, req: PlanRequest<'_>, diags: &mut Diagnostics) -> Planned {
        if req.config.is_null() {
            if protected(req.prior) {
                diags.push(
                    Diagnostic::error(
                        "Project is protected from deletion",
                        format!("Project {} has deletion_protection enabled. {PROTECTION_HELP}", id_of(req.prior)),
                    )
                    .at(AttributePath::attr("deletion_protection")),
                );
            }
            return Planned::new(Value::Null);
        }
        let mut planned = req.proposed.clone();
        let protection = configured_or(req.config, "deletion_protection", Value::Bool(true));
        planned.set_attr("deletion_protection", protection);
        if req.prior.is_null() {
            planned
                .set_attr("environment", configured_or(req.config, "environment", Value::string(DEFAULT_ENVIRONMENT)));
            planned
                .set_attr("home_region", configured_or(req.config, "home_region", Value::string(DEFAULT_HOME_REGION)));
            let workspace = client.workspace_id.clone().map_or(Value::Unknown, Value::String);
            planned.set_attr("workspace_id", configured_or(req.config, "workspace_id", workspace));
            for computed in ["id", "slug", "state"] {
                planned.set_attr(computed, Value::Unknown);
            }
            return Planned::new(planned);
        }
        // An existing project keeps what the configuration leaves out;
        // Terraform's proposal already carries the prior values for those.
        let replaced: Vec<&str> = FORCE_NEW.into_iter().filter(|a| planned.attr(a) != req.prior.attr(a)).collect();
        if !replaced.is_empty() && protected(&planned) {
            for attr in &replaced {
                diags.push(
                    Diagnostic::error(
                        "Project is protected from replacement",
                        format!(
                            "Changing {attr} replaces project {}, which purges it. {PROTECTION_HELP}",
                            id_of(req.prior)
                        ),
                    )
                    .at(AttributePath::attr(attr)),
                );
            }
        }
        let mut out = Planned::new(planned);
        out.requires_replace = FORCE_NEW.iter().map(|a| AttributePath::attr(a)).collect();
        out
    }

    async fn create(&self, client: &OryClient, planned: &Value, _config: &Value, diags: &mut Diagnostics) -> Value {
        let body = CreateProject {
            name: planned.attr("name").as_str().unwrap_or_default().to_string(),
            environment: planned.attr("environment").as_str().unwrap_or(DEFAULT_ENVIRONMENT).to_string(),
            home_region: planned.attr("home_region").as_str().map(str::to_string),
            workspace_id: planned.attr("workspace_id").as_str().map(str::to_string),
        };
        let limit = limit(planned, "create");
        let deadline = tokio::time::Instant::now() + limit;
        // The create itself is never cut short by the timeout or an
        // interrupt: once sent, its project must reach the state.
        let mut project = match client.console.projects().create(&body).await {
            Ok(project) => project,
            Err(e) => {
                diags.push(create_error(
                    "Error creating project",
                    &format!("Creating project {:?}", body.name),
                    &e,
                    Some(&|id: &str| id.to_string()),
                ));
                return Value::Null;
            }
        };
        // A new project may take a moment to start; its state says when.
        while project.state != "running" && !project.is_deleted() {
            if tokio::time::Instant::now() >= deadline {
                diags.push(timed_out("creating", &project.id, limit));
                break;
            }
            tokio::time::sleep(POLL).await;
            match client.console.projects().get(&project.id).await {
                Ok(p) => project = p,
                // Kept as it is; the next refresh reads the rest.
                Err(crate::console::Error::Stopped) => break,
                Err(e) => {
                    diags.warning(
                        "Project created, not yet seen running",
                        format!(
                            "Project {} was created; reading it back failed: {e}. The next refresh reads it again.",
                            project.id
                        ),
                    );
                    break;
                }
            }
        }
        state_from(&project, planned)
    }

    async fn read(&self, client: &OryClient, state: &Value, diags: &mut Diagnostics) -> Value {
        let id = id_of(state);
        match client.console.projects().get(id).await {
            Ok(project) if project.is_deleted() => {
                tracing::info!(project = id, "project was purged outside Terraform; removing it from state");
                Value::Null
            }
            Ok(project) => state_from(&project, state),
            Err(e) if e.is_not_found() => {
                tracing::info!(project = id, "project no longer exists; removing it from state");
                Value::Null
            }
            // A 403 may mean the project is gone, or that this key may not see
            // it. Only the project list can tell; state is dropped only if the
            // project is not in it.
            Err(e) if e.status() == Some(403) => match client.console.projects().list().await {
                Ok(list) if !list.iter().any(|p| p.id == id) => {
                    tracing::info!(project = id, "project is refused and no longer listed; removing it from state");
                    Value::Null
                }
                Ok(_) => {
                    diags.push(api_error(
                        "Error reading project",
                        &format!("Reading project {id}, which is still listed, so the key lacks permission to read it"),
                        &e,
                    ));
                    state.clone()
                }
                Err(list_error) => {
                    diags.push(api_error("Error reading project", &format!("Reading project {id} (refused; the project list could not confirm whether it still exists)"), &list_error));
                    state.clone()
                }
            },
            Err(e) => {
                diags.push(api_error("Error reading project", &format!("Reading project {id}"), &e));
                state.clone()
            }
        }
    }

    async fn update(
        &self,
        client: &OryClient,
        prior: &Value,
        planned: &Value,
        _config: &Value,
        diags: &mut Diagnostics,
    ) -> Value {
        let id = id_of(prior);
        let limit = limit(planned, "update");
        match tokio::time::timeout(limit, self.change(client, prior, planned, diags)).await {
            Ok(state) => state,
            Err(_) => {
                diags.push(timed_out("updating", id, limit));
                prior.clone()
            }
        }
    }

    async fn delete(&self, client: &OryClient, prior: &Value, diags: &mut Diagnostics) {
        let id = id_of(prior);
        if protected(prior) {
            diags.push(
                Diagnostic::error(
                    "Project is protected from deletion",
                    format!("Project {id} has deletion_protection enabled. {PROTECTION_HELP}"),
                )
                .at(AttributePath::attr("deletion_protection")),
            );
            return;
        }
        let limit = limit(prior, "delete");
        let work = async {
            match client.console.projects().purge(id).await {
                Ok(()) => {}
                Err(e) if e.is_not_found() => return Ok(()),
                Err(e) => return Err(e),
            }
            // Done when the project answers as deleted, or not at all.
            loop {
                match client.console.projects().get(id).await {
                    Ok(p) if !p.is_deleted() => tokio::time::sleep(POLL).await,
                    Err(e) if !e.is_not_found() => return Err(e),
                    _ => return Ok(()),
                }
            }
        };
        match tokio::time::timeout(limit, work).await {
            Ok(Ok(())) => {}
            Ok(Err(e)) => diags.push(api_error("Error purging project", &format!("Purging project {id}"), &e)),
            Err(_) => diags.push(timed_out("deleting", id, limit)),
        }
    }

    async fn import(&self, _client: &OryClient, id: &str, diags: &mut Diagnostics) -> Value {
        if uuid::Uuid::parse_str(id).is_err() {
            diags.error("Invalid import ID", format!("Import an ory_project by its project ID, a UUID such as 3fa85f64-5717-4562-b3fc-2c963f66afa6; got {id:?}."));
            return Value::Null;
        }
        // The read that follows fills in the rest; protection starts on.
        Value::object([("id", Value::string(id)), ("deletion_protection", Value::Bool(true))])
    }
}
