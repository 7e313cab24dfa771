//! What `adopt` asks of each resource type: the objects of that type a
//! workspace key (and the provider's project key) can see, as the import
//! blocks will name them. Each resource answers for itself
//! ([`TypedResource::find`](super::typed::TypedResource::find)); `adopt`
//! walks the workspaces and projects and asks every registered type.

use serde_json::Value as Json;

use crate::console::{self, Project, ProjectId, Workspace};
use crate::project_api::ProjectApi;

/// Where `adopt` looks.
pub enum Place<'a> {
    /// A workspace the key sees.
    Workspace(&'a Workspace),
    /// A live project of one.
    Project(InProject<'a>),
}

/// A live project, its document, and its own API when a key for it is at
/// hand (no data-plane object is found without one: `adopt` says so once).
pub struct InProject<'a> {
    pub project: &'a Project,
    pub document: &'a Json,
    pub api: Option<&'a ProjectApi>,
}

impl InProject<'_> {
    pub fn id(&self) -> &ProjectId {
        &self.project.id
    }

    /// What a found object's label starts with: the project's name.
    pub fn name(&self) -> &str {
        &self.project.name
    }

    /// The project as notes name it: two projects may share a name, never an ID.
    pub fn named(&self) -> String {
        format!("project {:?} ({})", self.project.name, self.project.id)
    }

    /// The list at `pointer` in the document; empty when there is none.
    pub fn list_at(&self, pointer: &str) -> &[Json] {
        self.document.pointer(pointer).and_then(Json::as_array).map(Vec::as_slice).unwrap_or_default()
    }
}

/// One object to import, and what adopt knows of its configuration beside
/// its ID: checked by the resource's own validation before it is written,
/// so that what the plan generates is configuration the provider accepts.
pub struct Found {
    /// What the label is made from: a name, as people read it.
    pub named: String,
    /// Its import ID, in the form the resource documents.
    pub id: String,
    pub known: Vec<(&'static str, String)>,
}

impl Found {
    pub fn new(named: String, id: String) -> Found {
        Found { named, id, known: Vec::new() }
    }

    pub fn knowing(mut self, attribute: &'static str, value: &str) -> Found {
        self.known.push((attribute, value.to_string()));
        self
    }
}

/// What one resource type finds in one place: the objects to import, and
/// those it leaves out, each with why (for the file's header).
#[derive(Default)]
pub struct Finds {
    pub found: Vec<Found>,
    pub left_out: Vec<String>,
}

impl Finds {
    pub fn add(&mut self, found: Found) {
        self.found.push(found);
    }

    pub fn leave_out(&mut self, why: String) {
        self.left_out.push(why);
    }
}

/// A listing of what the workspace's plan may lack (event streams, custom
/// domains): none to adopt when Ory refuses it for that (403, 404).
pub fn if_on_the_plan<T>(listing: Result<Vec<T>, console::Error>) -> Result<Vec<T>, console::Error> {
    match listing {
        Err(e) if matches!(e.status(), Some(403 | 404)) => Ok(Vec::new()),
        other => other,
    }
}
