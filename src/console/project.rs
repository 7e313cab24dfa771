//! A project as the console API answers it.

use std::sync::Arc;

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize, Serializer};
use serde_json::{Map, Value};

use super::ids::{ProjectId, RevisionId, WorkspaceId};
use super::{Environment, HomeRegion, ProjectState};

/// A project as `getProject` and `createProject` return it: the fields this
/// client reads, and the whole answer as one JSON document (services, CORS,
/// organizations, and any field added later: nothing is lost), the shape
/// patches address. Neither is changed in place: a new answer is a new project.
#[derive(Clone, Debug, PartialEq)]
pub struct Project {
    pub id: ProjectId,
    pub revision_id: Option<RevisionId>,
    pub slug: String,
    pub name: String,
    pub environment: Environment,
    pub home_region: HomeRegion,
    pub state: ProjectState,
    pub workspace_id: Option<WorkspaceId>,
    /// Shared, not copied: one read's document serves every resource and
    /// edit that looks at it. Made by [`Project::documented`].
    pub(super) document: Arc<Value>,
}

impl Project {
    /// The project with its document: `additional` (the rest of its
    /// answer) and its fields.
    pub(super) fn documented(mut self, mut additional: Map<String, Value>) -> Project {
        let mut put = |key: &str, value: Value| additional.insert(key.to_string(), value);
        let text = |s: &str| Value::String(s.to_string());
        put("id", text(self.id.as_str()));
        put("revision_id", self.revision_id.as_ref().map_or(Value::Null, |r| text(r.as_str())));
        put("slug", text(&self.slug));
        put("name", text(&self.name));
        put("environment", text(self.environment.as_str()));
        put("home_region", text(self.home_region.as_str()));
        put("state", text(self.state.as_str()));
        put("workspace_id", self.workspace_id.as_ref().map_or(Value::Null, |w| text(w.as_str())));
        self.document = Arc::new(Value::Object(additional));
        self
    }

    /// Whether the project was purged: the API keeps answering for it, with
    /// this state (Ory's provider reports the same).
    pub fn is_deleted(&self) -> bool {
        self.state == ProjectState::Deleted
    }

    /// The project as one JSON document, the shape patches address.
    pub fn document(&self) -> Arc<Value> {
        self.document.clone()
    }
}

impl Serialize for Project {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.document.serialize(serializer)
    }
}

/// Decoded key by key: the fields this client reads straight from the answer
/// (so that what does not fit is named by its path), the rest into the
/// document as it comes. serde's `flatten` would first copy the whole
/// document (hundreds of kilobytes with many actions) into a buffer of its
/// own, and a document made from the decoded project would be a second copy.
impl<'de> Deserialize<'de> for Project {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Project, D::Error> {
        deserializer.deserialize_map(ProjectVisitor)
    }
}

struct ProjectVisitor;

impl<'de> Visitor<'de> for ProjectVisitor {
    type Value = Project;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a project")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Project, A::Error> {
        let (mut id, mut revision_id, mut slug, mut name) = (None, None, None, None);
        let (mut environment, mut home_region, mut state, mut workspace_id) = (None, None, None, None);
        let mut additional = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "id" => id = Some(map.next_value()?),
                "revision_id" => revision_id = map.next_value()?,
                "slug" => slug = Some(map.next_value()?),
                "name" => name = Some(map.next_value()?),
                "environment" => environment = Some(map.next_value()?),
                "home_region" => home_region = Some(map.next_value()?),
                "state" => state = Some(map.next_value()?),
                "workspace_id" => workspace_id = map.next_value()?,
                _ => {
                    additional.insert(key, map.next_value()?);
                }
            }
        }
        let project = Project {
            id: id.ok_or_else(|| de::Error::missing_field("id"))?,
            revision_id,
            slug: slug.ok_or_else(|| de::Error::missing_field("slug"))?,
            name: name.ok_or_else(|| de::Error::missing_field("name"))?,
            environment: environment.ok_or_else(|| de::Error::missing_field("environment"))?,
            home_region: home_region.ok_or_else(|| de::Error::missing_field("home_region"))?,
            state: state.ok_or_else(|| de::Error::missing_field("state"))?,
            workspace_id,
            document: Arc::default(),
        };
        Ok(project.documented(additional))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_document_is_the_answer_whole_and_shared_not_copied() {
        let answer = serde_json::json!({
            "id": "p1", "slug": "s", "name": "n", "environment": "dev", "home_region": "eu-central",
            "state": "running", "revision_id": "r1", "brand_new": {"kept": [1, 2]},
            "services": {"identity": {"config": {"session": {"lifespan": "1h"}}}},
        });
        let project: Project = serde_json::from_value(answer.clone()).unwrap();
        let mut whole = answer;
        whole["workspace_id"] = Value::Null;
        assert_eq!(*project.document(), whole, "every key, the read fields among them, as answered");
        assert!(Arc::ptr_eq(&project.document(), &project.clone().document()), "one document per read");
        assert_eq!(serde_json::to_value(&project).unwrap(), whole);
        let bad = serde_json::json!({"id": "p1", "slug": "s", "name": 7});
        assert!(serde_json::from_value::<Project>(bad).is_err());
    }
}
