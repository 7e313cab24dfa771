//! Projects: `/projects`, `/projects/{project_id}`, the environment call,
//! and a workspace's project list.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Extension, Path, State};
use axum::http::StatusCode;
use axum::Json;
use chrono::Utc;
use serde::Deserialize;
use serde_json::{json, Value};
use uuid::Uuid;

use crate::emulator::config;
use crate::emulator::documents::{full, has_b2b, live, parse_id, store_document, Document, Written, CHANGEABLE};
use crate::emulator::store::{Member, Project, ProjectState};
use crate::emulator::{parse_body, ApiError, Caller, Method, Routes, Shared};

/// The spec's `environment` enum (createProjectBody, project).
const ENVIRONMENTS: [&str; 3] = ["prod", "stage", "dev"];
/// The spec's `home_region` enum (v1.22.65).
const HOME_REGIONS: [&str; 8] = ["eu-central", "asia-northeast", "us-east", "us-west", "eu", "asia", "us", "global"];
/// UNVERIFIED: the spec does not say what an omitted home_region becomes;
/// `eu-central` is what Ory's provider documents as the default.
const DEFAULT_HOME_REGION: &str = "eu-central";

pub fn routes() -> Routes {
    Routes::new()
        .op(Method::GET, "/projects", "listProjects", projects_list)
        .op(Method::POST, "/projects", "createProject", projects_create)
        .op(Method::GET, "/projects/{project_id}", "getProject", projects_get)
        .op(Method::PUT, "/projects/{project_id}", "setProject", projects_set)
        .op(Method::PATCH, "/projects/{project_id}", "patchProject", projects_patch)
        .op(Method::DELETE, "/projects/{project_id}", "purgeProject", projects_purge)
        .op(
            Method::PATCH,
            "/projects/{project_id}/revision/{revision_id}",
            "patchProjectWithRevision",
            projects_patch_revision,
        )
        .op(Method::PUT, "/projects/{project_id}/environment", "setProjectEnvironment", projects_set_environment)
        .op(Method::GET, "/projects/{project_id}/members", "getProjectMembers", project_members)
        .op(Method::DELETE, "/projects/{project_id}/members/{member}", "removeProjectMember", remove_member)
        .op(Method::GET, "/workspaces/{workspace}/projects", "listWorkspaceProjects", workspace_projects_list)
}

fn metadata(p: &Project) -> Value {
    json!({
        "id": p.id,
        "slug": p.slug,
        "name": p.name,
        "environment": p.environment,
        "home_region": p.home_region,
        "state": p.state,
        "workspace_id": p.workspace_id,
        "hosts": [format!("{}.projects.oryapis.com", p.slug)],
        "created_at": p.created_at,
        "updated_at": p.updated_at,
        "subscription_id": null,
        "subscription_plan": null,
    })
}

fn one_of(field: &str, value: &str, allowed: &[&str]) -> Result<(), ApiError> {
    if allowed.contains(&value) {
        Ok(())
    } else {
        Err(ApiError::bad_request(format!("{field} must be one of {}; got {value:?}", allowed.join(", "))))
    }
}

fn new_slug() -> String {
    const ADJECTIVES: [&str; 8] = ["vibrant", "quiet", "brave", "eager", "gentle", "lucid", "nimble", "serene"];
    const NAMES: [&str; 8] = ["moore", "hopper", "turing", "lovelace", "curie", "noether", "knuth", "hamilton"];
    let a = ADJECTIVES[rand::random_range(0..ADJECTIVES.len())];
    let n = NAMES[rand::random_range(0..NAMES.len())];
    format!("{a}-{n}-{:06x}", rand::random_range(0..0x1000000u32))
}

#[derive(Deserialize)]
struct CreateBody {
    name: Option<String>,
    environment: Option<String>,
    home_region: Option<String>,
    workspace_id: Option<String>,
}

async fn projects_create(
    State(shared): State<Arc<Shared>>,
    Extension(caller): Extension<Caller>,
    body: Bytes,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let body: CreateBody = parse_body(&body)?;
    let name = body
        .name
        .filter(|n| !n.trim().is_empty())
        .ok_or_else(|| ApiError::bad_request("name is required and must not be empty"))?;
    let environment = body.environment.ok_or_else(|| ApiError::bad_request("environment is required"))?;
    one_of("environment", &environment, &ENVIRONMENTS)?;
    let home_region = body.home_region.unwrap_or_else(|| DEFAULT_HOME_REGION.to_string());
    one_of("home_region", &home_region, &HOME_REGIONS)?;
    shared.write(|store| {
        // UNVERIFIED: a project created without a workspace lands in the key's
        // own workspace, so that it never becomes invisible to that key.
        let workspace_id = match body.workspace_id {
            None => caller.workspace,
            Some(w) => {
                let id = Uuid::parse_str(&w)
                    .map_err(|_| ApiError::bad_request(format!("workspace_id {w:?} is not a UUID")))?;
                if !store.workspaces.contains_key(&id) {
                    return Err(ApiError::not_found(format!("No workspace with ID {id} exists.")));
                }
                if !store.reaches(caller.workspace, id) {
                    return Err(ApiError::new(
                        StatusCode::FORBIDDEN,
                        format!("This workspace API key may not create projects in workspace {id}: it belongs to another workspace."),
                    ));
                }
                id
            }
        };
        let now = Utc::now();
        let slug = new_slug();
        let project = Project {
            id: Uuid::new_v4(),
            revision_id: Uuid::new_v4(),
            services: config::default_services(&slug, &name),
            slug,
            name,
            environment,
            home_region,
            state: ProjectState::Running,
            workspace_id: Some(workspace_id),
            created_at: now,
            updated_at: now,
            cors_admin: config::default_cors(),
            cors_public: config::default_cors(),
            organizations: json!([]),
            scim_clients: json!([]),
            custom_domains: Vec::new(),
            organization_times: Default::default(),
            members: vec![
                Member {
                    id: store.owner_id,
                    email: "owner@example.com".into(),
                    name: "Workspace Owner".into(),
                    role: "owner".into(),
                    source: "workspace".into(),
                },
                Member {
                    id: Uuid::new_v4(),
                    email: "developer@example.com".into(),
                    name: "Project Developer".into(),
                    role: "developer".into(),
                    source: "project".into(),
                },
            ],
        };
        let answer = full(&project);
        store.projects.insert(project.id, project);
        Ok((StatusCode::CREATED, Json(answer)))
    })
}

/// A purged project still answers, with `state: deleted`, as the live
/// service is reported to (Ory's provider treats that state as gone).
async fn projects_get(State(shared): State<Arc<Shared>>, Path(id): Path<String>) -> Result<Written, ApiError> {
    let uuid = parse_id(&id)?;
    shared.read(|store| {
        if store.forbidden.contains(&uuid) {
            return Err(ApiError::new(StatusCode::FORBIDDEN, "This key may not access the project."));
        }
        store
            .projects
            .get(&uuid)
            .ok_or_else(|| ApiError::not_found(format!("No project with ID {id} exists.")))
            .and_then(|p| Written::of(&Document::of(p)))
    })
}

/// Purged projects are left out of listings: they can no longer be used.
async fn projects_list(
    State(shared): State<Arc<Shared>>,
    Extension(caller): Extension<Caller>,
) -> Result<Json<Value>, ApiError> {
    shared.read(|store| {
        let listed = store
            .projects
            .values()
            .filter(|p| p.is_live() && store.reaches(caller.workspace, store.project_workspace(p)));
        Ok(Json(Value::Array(listed.map(metadata).collect())))
    })
}

async fn workspace_projects_list(
    State(shared): State<Arc<Shared>>,
    Path(workspace): Path<String>,
) -> Result<Json<Value>, ApiError> {
    shared.read(|store| {
        let id = super::workspaces::find_workspace(store, &workspace)?;
        let projects: Vec<Value> =
            store.projects.values().filter(|p| p.workspace_id == Some(id) && p.is_live()).map(metadata).collect();
        Ok(Json(json!({ "projects": projects, "next_page": "", "has_next_page": false })))
    })
}

/// Fields a patch may change: those a project keeps of its document.
/// UNVERIFIED what the live API does with the others: refusing them makes a
/// client's mistake visible instead of silent.
const PATCHABLE: [&str; 6] = CHANGEABLE;

/// `patchProject` (deprecated in the spec): a patch against whatever the
/// project is now.
async fn projects_patch(
    State(shared): State<Arc<Shared>>,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Written, ApiError> {
    let patch: json_patch::Patch = parse_body(&body)?;
    shared.write(|store| {
        let b2b = has_b2b(store);
        apply_patch(live(store, &id)?, None, &patch, b2b)
    })
}

/// `patchProjectWithRevision`: a patch made for one revision. The spec
/// declares 409 without saying when; answering it whenever the project has
/// moved on is the choice that never applies a patch to a document it was
/// not computed from (docs/emulator.md).
async fn projects_patch_revision(
    State(shared): State<Arc<Shared>>,
    Path((id, revision)): Path<(String, String)>,
    body: Bytes,
) -> Result<Written, ApiError> {
    let patch: json_patch::Patch = parse_body(&body)?;
    shared.write(|store| {
        let b2b = has_b2b(store);
        apply_patch(live(store, &id)?, Some(&revision), &patch, b2b)
    })
}

/// Applies an RFC 6902 patch (add, remove, replace, move, copy, test) to the
/// project document, all or nothing, and answers `successfulProjectUpdate`.
fn apply_patch(
    project: &mut Project,
    revision: Option<&str>,
    patch: &json_patch::Patch,
    b2b: bool,
) -> Result<Written, ApiError> {
    if let Some(revision) = revision.filter(|r| *r != project.revision_id.to_string()) {
        return Err(ApiError::conflict(format!(
            "The project changed since revision {revision}; it is now at revision {}. Read the project again and compute the patch anew.",
            project.revision_id
        )));
    }
    let mut doc = full(project);
    // What a patch may not change: the project's own fields, all small.
    let fixed: serde_json::Map<String, Value> = doc
        .as_object()
        .into_iter()
        .flatten()
        .filter(|(key, _)| !PATCHABLE.contains(&key.as_str()))
        .map(|(key, value)| (key.clone(), value.clone()))
        .collect();
    json_patch::patch(&mut doc, patch)
        .map_err(|e| ApiError::bad_request(format!("The JSON patch could not be applied: {e}")))?;
    for (key, value) in doc.as_object().into_iter().flatten() {
        if !PATCHABLE.contains(&key.as_str()) && fixed.get(key) != Some(value) {
            return Err(ApiError::bad_request(format!("/{key} cannot be changed with a patch")));
        }
    }
    store_document(project, doc, b2b)
}

/// The body of `setProject`: every field is required.
#[derive(Deserialize)]
struct SetBody {
    name: Option<String>,
    services: Option<Value>,
    cors_admin: Option<Value>,
    cors_public: Option<Value>,
    organizations: Option<Value>,
}

/// `setProject`: replaces the name, CORS, organizations, and each service
/// whose configuration the body carries, completely ("updating any
/// service's configuration will completely override your current
/// configuration for that service"). UNVERIFIED: a service the body leaves
/// out keeps its configuration; the spec types every service as optional.
async fn projects_set(
    State(shared): State<Arc<Shared>>,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Written, ApiError> {
    let body: SetBody = parse_body(&body)?;
    let missing: Vec<&str> = [
        ("name", body.name.is_none()),
        ("services", body.services.is_none()),
        ("cors_admin", body.cors_admin.is_none()),
        ("cors_public", body.cors_public.is_none()),
        ("organizations", body.organizations.is_none()),
    ]
    .into_iter()
    .filter_map(|(field, absent)| absent.then_some(field))
    .collect();
    if !missing.is_empty() {
        return Err(ApiError::bad_request(format!("setProject requires {}", missing.join(", "))));
    }
    let Some(Value::Object(services)) = body.services else {
        return Err(ApiError::bad_request("services must be an object"));
    };
    shared.write(|store| {
        let b2b = has_b2b(store);
        let project = live(store, &id)?;
        let mut doc = full(project);
        for (service, replacement) in services {
            if !replacement.get("config").is_some_and(Value::is_object) {
                return Err(ApiError::bad_request(format!("services.{service}.config must be an object")));
            }
            doc["services"][service] = replacement;
        }
        doc["name"] = Value::from(body.name.unwrap_or_default());
        doc["cors_admin"] = body.cors_admin.unwrap_or_default();
        doc["cors_public"] = body.cors_public.unwrap_or_default();
        doc["organizations"] = body.organizations.unwrap_or_default();
        store_document(project, doc, b2b)
    })
}

#[derive(Deserialize)]
struct EnvironmentBody {
    environment: Option<String>,
}

/// `PUT /projects/{id}/environment` with `{"environment": "..."}`: not in the
/// spec; the call Ory's console and provider make (ory/terraform-provider-ory,
/// internal/client/client.go, SetProjectEnvironment). Answers 200 with the project.
async fn projects_set_environment(
    State(shared): State<Arc<Shared>>,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    let body: EnvironmentBody = parse_body(&body)?;
    let environment = body.environment.ok_or_else(|| ApiError::bad_request("environment is required"))?;
    one_of("environment", &environment, &ENVIRONMENTS)?;
    shared.write(|store| {
        let project = live(store, &id)?;
        project.environment = environment;
        project.updated_at = Utc::now();
        Ok(Json(full(project)))
    })
}

/// Purging is irreversible: the project stays only as a `deleted` tombstone.
async fn projects_purge(State(shared): State<Arc<Shared>>, Path(id): Path<String>) -> Result<StatusCode, ApiError> {
    shared.write(|store| {
        let project = live(store, &id)?;
        project.state = ProjectState::Deleted;
        project.updated_at = Utc::now();
        Ok(StatusCode::NO_CONTENT)
    })
}

/// `getProjectMembers`; its errors are flat `genericError`s, as the spec
/// declares (see `flat_errors`).
async fn project_members(State(shared): State<Arc<Shared>>, Path(id): Path<String>) -> Result<Json<Value>, ApiError> {
    shared.read(|store| {
        let project = store
            .live_project(&id)
            .ok_or_else(|| ApiError::not_found(format!("No project with ID or slug {id:?} exists.")))?;
        let members: Vec<Value> = project
            .members
            .iter()
            .map(|m| {
                json!({
                    "id": m.id,
                    "email": m.email,
                    "name": m.name,
                    "email_verified": true,
                    "role": m.role,
                    "source": m.source,
                    "organization_id": null,
                    "break_glass": false,
                })
            })
            .collect();
        Ok(Json(Value::Array(members)))
    })
}

/// `removeProjectMember`: the member leaves the project. UNVERIFIED what
/// the service answers for the key's own owner, who would leave the project
/// without an owner; here a 406, the one refusal the spec declares.
async fn remove_member(
    State(shared): State<Arc<Shared>>,
    Path((project, member)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    shared.write(|store| {
        let owner = store.owner_id;
        let project = store
            .live_project_mut(&project)
            .ok_or_else(|| ApiError::not_found(format!("No project with ID or slug {project:?} exists.")))?;
        let at = project
            .members
            .iter()
            .position(|m| m.id.to_string() == member)
            .ok_or_else(|| ApiError::not_found(format!("No member with ID {member:?} in this project.")))?;
        if project.members[at].id == owner {
            return Err(ApiError::new(
                StatusCode::NOT_ACCEPTABLE,
                "The project's owner cannot be removed: the project would have no owner.",
            ));
        }
        project.members.remove(at);
        Ok(StatusCode::NO_CONTENT)
    })
}
