//! `ory_project`: an Ory Network project.

use std::time::Duration;

use async_trait::async_trait;

use crate::console::{CreateProject, Environment, HomeRegion, Project, ProjectId, ProjectState, WorkspaceId};
use crate::plugin::{Diagnostic, Diagnostics, Value};
use crate::provider::adoption::{Finds, Found, Place};
use crate::provider::client::{OryClient, Setting};
use crate::provider::enums::{DEFAULT_ENVIRONMENT, DEFAULT_HOME_REGION, ENVIRONMENTS, HOME_REGIONS, PROJECT_STATES};
use crate::provider::errors::Error;
use crate::provider::model::{attr, computed, model, optional, optional_computed, required, Fallback};
use crate::provider::typed::{Declared, ImportId, Plan, TypedResource};
use crate::provider::validators::{self, parse_duration};

model! {
    pub struct Timeouts {
        create: String = optional("The limit for create.").check(validators::duration),
        update: String = optional("The limit for update.").check(validators::duration),
        delete: String = optional("The limit for delete.").check(validators::duration),
    }
}

model! {
    pub struct ProjectModel {
        id: String = computed("The project's ID."),
        name: String = required("The project's name. Changed in place.").check(validators::name),
        environment: String = optional_computed(&format!(
            "The environment tier. Changed in place. A new project gets `{DEFAULT_ENVIRONMENT}` when this is left out; an existing or imported one keeps its own."
        ))
        .one_of(ENVIRONMENTS)
        .default(Fallback::OnCreate(Value::string(DEFAULT_ENVIRONMENT))),
        home_region: String = optional_computed(&format!(
            "Where the project's data lives. Changing it replaces the project. A new project gets `{DEFAULT_HOME_REGION}` when this is left out; an existing or imported one keeps its own."
        ))
        .one_of(HOME_REGIONS)
        .default(Fallback::OnCreate(Value::string(DEFAULT_HOME_REGION)))
        .force_new(),
        workspace_id: String = optional_computed(
            "The workspace the project belongs to. Defaults to the provider's `workspace_id`. Changing it replaces the project."
        )
        .check(validators::uuid)
        .default(Fallback::ProviderIfSet(Setting::WorkspaceId))
        .force_new(),
        deletion_protection: bool = optional_computed(
            "While true (the default), destroying or replacing the project fails before any API call. Set it to false and apply before destroying."
        )
        .default(Fallback::Always(Value::Bool(true))),
        slug: String = computed("The project's slug, part of its API hostnames."),
        state: String = computed("The project's state.").one_of(PROJECT_STATES),
        timeouts: Timeouts = optional(
            "How long each operation may take, retries and waiting for the project to settle included, as durations such as `30s`, `10m` or `1h`. Each defaults to 20m."
        )
        .block(),
    }
}

impl ProjectModel {
    /// `deletion_protection`: on unless explicitly off.
    fn protected(&self) -> bool {
        self.deletion_protection != Some(false)
    }

    /// The limit an operation's `timeouts` entry sets, or the default.
    fn limit(&self, operation: fn(&Timeouts) -> &Option<String>) -> Duration {
        let seconds = self
            .timeouts
            .as_ref()
            .and_then(|t| operation(t).as_deref())
            .and_then(parse_duration)
            .unwrap_or(DEFAULT_TIMEOUT_SECONDS);
        Duration::from_secs(seconds as u64)
    }

    /// The project as the API answered; `deletion_protection` and `timeouts`
    /// live only in Terraform and come from `self` (the plan or prior state).
    fn with(&self, p: Project) -> ProjectModel {
        ProjectModel {
            id: Some(p.id.to_string()),
            name: Some(p.name),
            environment: Some(p.environment.into()),
            home_region: Some(p.home_region.into()),
            workspace_id: p.workspace_id.map(String::from),
            deletion_protection: Some(self.protected()),
            slug: Some(p.slug),
            state: Some(p.state.into()),
            timeouts: self.timeouts.clone(),
            ..ProjectModel::default()
        }
    }

    fn id(&self) -> ProjectId {
        self.id.as_deref().unwrap_or_default().into()
    }
}

const DEFAULT_TIMEOUT_SECONDS: i64 = 20 * 60;

/// How often to look again while waiting for a project to settle.
const POLL: Duration = Duration::from_secs(1);

/// `operation` ("creating") outlasted `limit`, the `timeout` entry ("create").
fn timed_out(operation: &str, timeout: &str, id: &str, limit: Duration) -> Diagnostic {
    Diagnostic::error(
        format!("Timed out {operation} project"),
        format!(
            "{operation} project {id} took longer than {}s, the {timeout} timeout. It may still complete in Ory Network; run terraform plan to see where it stands, or raise the limit in a timeouts block.",
            limit.as_secs(),
        ),
    )
    .at(crate::plugin::AttributePath::attr(attr!(ProjectModel, timeouts)))
}

const PROTECTION_HELP: &str = "Purging a project deletes all of its identities, sessions and configuration, and cannot be undone. \
     To allow it, set deletion_protection = false on this resource and run terraform apply, then run this command again.";

pub struct ProjectResource;

impl ProjectResource {
    /// A rename and an environment change, then the project as it now is.
    async fn change(
        &self,
        client: &OryClient,
        prior: &ProjectModel,
        planned: &ProjectModel,
    ) -> Result<ProjectModel, Error> {
        let id = prior.id();
        // Only deletion_protection or timeouts changed: they live in
        // Terraform alone, so there is nothing to ask the API.
        if planned.name == prior.name && planned.environment == prior.environment {
            return Ok(ProjectModel {
                deletion_protection: planned.deletion_protection,
                timeouts: planned.timeouts.clone(),
                ..prior.clone()
            });
        }
        let projects = client.console.projects();
        if let Some(name) = planned.name.as_deref().filter(|n| Some(*n) != prior.name.as_deref()) {
            projects
                .rename(&id, name)
                .await
                .map_err(|e| Error::doing(e, format!("Renaming project {id} to {name:?}")))?;
        }
        if let Some(env) = planned.environment.as_deref().filter(|e| Some(*e) != prior.environment.as_deref()) {
            projects
                .set_environment(&id, env)
                .await
                .map_err(|e| Error::doing(e, format!("Moving project {id} to environment {env:?}")))?;
        }
        let project =
            projects.get(&id).await.map_err(|e| Error::doing(e, format!("Reading project {id} after the change")))?;
        Ok(planned.with(project))
    }
}

impl Declared for ProjectResource {
    type Model = ProjectModel;

    fn type_name(&self) -> &'static str {
        "ory_project"
    }

    fn summary(&self) -> &'static str {
        "a project (protected from destroy by default)"
    }

    fn description(&self) -> String {
        "An Ory Network project. Destroying it purges the project and all of its data, so `deletion_protection` is on by default.".into()
    }

    fn noun(&self) -> &'static str {
        "project"
    }

    fn describe(&self, m: &ProjectModel) -> String {
        match &m.id {
            Some(id) => format!("project {id}"),
            None => format!("project {:?}", m.name.as_deref().unwrap_or_default()),
        }
    }
}

#[async_trait]
impl TypedResource for ProjectResource {
    async fn find(&self, _: &OryClient, place: &Place<'_>, finds: &mut Finds) -> Result<(), crate::console::Error> {
        if let Place::Project(at) = place {
            finds.add(Found::new(at.name().to_string(), at.id().to_string()).knowing("name", at.name()));
        }
        Ok(())
    }

    fn import_id(&self) -> ImportId {
        ImportId::Own { id: attr!(ProjectModel, id), noun: "project" }
    }

    fn plan_destroy(&self, prior: &ProjectModel) -> Result<(), Error> {
        if !prior.protected() {
            return Ok(());
        }
        Err(Error::on(
            attr!(ProjectModel, deletion_protection),
            "Project is protected from deletion",
            format!("Project {} has deletion_protection enabled. {PROTECTION_HELP}", prior.id()),
        ))
    }

    async fn plan(&self, client: &OryClient, plan: &mut Plan<'_, ProjectModel>) -> Result<(), Error> {
        // A new project can never be in allowed_project_ids, so every later
        // plan would refuse it: refused now, before it exists and strands.
        if let Some(allowed) = client.console.allowed_project_ids() {
            if plan.prior.is_none() || !plan.replacing.is_empty() {
                let what = if plan.prior.is_none() { "Creating" } else { "Replacing" };
                return Err(Error::refused(
                    "New project outside allowed_project_ids",
                    format!(
                        "{what} this project makes a new project, whose ID cannot be in allowed_project_ids ({}), so no later plan could read or delete it. Create projects with a provider block without allowed_project_ids (an aliased one, say), then add the new project's ID to the guarded provider's list.",
                        allowed.join(", ")
                    ),
                ));
            }
        }
        let (Some(prior), Some(first)) = (&plan.prior, plan.replacing.first()) else { return Ok(()) };
        if !plan.planned.protected() {
            return Ok(());
        }
        Err(Error::on(
            first,
            "Project is protected from replacement",
            format!(
                "Changing {} replaces project {}, which purges it. {PROTECTION_HELP}",
                plan.replacing.join(" and "),
                prior.id()
            ),
        ))
    }

    async fn create(
        &self,
        client: &OryClient,
        planned: ProjectModel,
        notes: &mut Diagnostics,
    ) -> Result<ProjectModel, Error> {
        let body = CreateProject {
            name: planned.name.clone().unwrap_or_default(),
            environment: planned
                .environment
                .as_deref()
                .map_or(Environment::from(DEFAULT_ENVIRONMENT), Environment::from),
            home_region: planned.home_region.as_deref().map(HomeRegion::from),
            workspace_id: planned.workspace_id.as_deref().map(WorkspaceId::from),
        };
        let limit = planned.limit(|t| &t.create);
        let deadline = tokio::time::Instant::now() + limit;
        // The create itself is never cut short by the timeout or an
        // interrupt: once sent, its project must reach the state.
        let mut project = client.console.projects().create(&body).await?;
        // A new project may take a moment to start; its state says when.
        while project.state != ProjectState::Running && !project.is_deleted() {
            if tokio::time::Instant::now() >= deadline {
                notes.push(timed_out("creating", attr!(Timeouts, create), &project.id, limit));
                break;
            }
            tokio::time::sleep(POLL).await;
            match client.console.projects().get(&project.id).await {
                Ok(p) => project = p,
                // Kept as it is; the next refresh reads the rest.
                Err(crate::console::Error::Stopped) => break,
                Err(e) => {
                    notes.warning(
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
        Ok(planned.with(project))
    }

    async fn read(
        &self,
        client: &OryClient,
        state: ProjectModel,
        _: &mut Diagnostics,
    ) -> Result<Option<ProjectModel>, Error> {
        let id = state.id();
        let projects = client.console.projects();
        // One listing serves the refresh of every project of this process;
        // a project it does not show is confirmed gone by its own read.
        match projects.find(&id).await? {
            Some(listed) if listed.state == ProjectState::Deleted => {
                tracing::info!(project = %id, "project was purged outside Terraform; removing it from state");
                return Ok(None);
            }
            Some(listed) => return Ok(Some(state.with(listed.into()))),
            None => {}
        }
        match projects.get(&id).await {
            Ok(project) if project.is_deleted() => {
                tracing::info!(project = %id, "project was purged outside Terraform; removing it from state");
                Ok(None)
            }
            Ok(project) => Ok(Some(state.with(project))),
            Err(e) if e.is_not_found() => {
                tracing::info!(project = %id, "project no longer exists; removing it from state");
                Ok(None)
            }
            // A 403 may mean the project is gone, or that this key may not see
            // it. Only the project list can tell; state is dropped only if the
            // project is not in it.
            Err(e) if e.status() == Some(403) => match projects.list().await {
                Ok(list) if !list.iter().any(|p| p.id == id) => {
                    tracing::info!(project = %id, "project is refused and no longer listed; removing it from state");
                    Ok(None)
                }
                Ok(_) => Err(Error::doing(
                    e,
                    format!("Reading project {id}, which is still listed, so the key lacks permission to read it"),
                )),
                Err(list_error) => Err(Error::doing(
                    list_error,
                    format!(
                        "Reading project {id} (refused; the project list could not confirm whether it still exists)"
                    ),
                )),
            },
            Err(e) => Err(e.into()),
        }
    }

    async fn update(
        &self,
        client: &OryClient,
        prior: ProjectModel,
        planned: ProjectModel,
        _: &mut Diagnostics,
    ) -> Result<ProjectModel, Error> {
        let limit = planned.limit(|t| &t.update);
        match tokio::time::timeout(limit, self.change(client, &prior, &planned)).await {
            Ok(changed) => changed,
            Err(_) => Err(timed_out("updating", attr!(Timeouts, update), &prior.id(), limit).into()),
        }
    }

    async fn delete(&self, client: &OryClient, prior: ProjectModel, _: &mut Diagnostics) -> Result<(), Error> {
        // Checked at plan time too; this stops a plan made before protection was turned on.
        self.plan_destroy(&prior)?;
        let id = prior.id();
        let limit = prior.limit(|t| &t.delete);
        let work = async {
            match client.console.projects().purge(&id).await {
                Ok(()) => {}
                Err(e) if e.is_not_found() => return Ok(()),
                Err(e) => return Err(e),
            }
            // Done when the project answers as deleted, or not at all.
            loop {
                match client.console.projects().get(&id).await {
                    Ok(p) if !p.is_deleted() => tokio::time::sleep(POLL).await,
                    Err(e) if !e.is_not_found() => return Err(e),
                    _ => return Ok(()),
                }
            }
        };
        match tokio::time::timeout(limit, work).await {
            Ok(done) => Ok(done.map_err(|e| Error::doing(e, format!("Purging project {id}")))?),
            Err(_) => Err(timed_out("deleting", attr!(Timeouts, delete), &id, limit).into()),
        }
    }

    fn imported(&self, state: &mut ProjectModel, _: &mut Diagnostics) {
        // The read that follows fills in the rest; protection starts on.
        state.deletion_protection = Some(true);
    }
}
