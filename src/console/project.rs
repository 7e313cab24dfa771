//! A project as the console API answers it.

use std::collections::BTreeMap;

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::ids::{ProjectId, RevisionId, WorkspaceId};
use super::{Environment, HomeRegion, ProjectState};

/// A project as `getProject` and `createProject` return it.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Project {
    pub id: ProjectId,
    pub revision_id: Option<RevisionId>,
    pub slug: String,
    pub name: String,
    pub environment: Environment,
    pub home_region: HomeRegion,
    pub state: ProjectState,
    pub workspace_id: Option<WorkspaceId>,
    /// Everything else the API sends (services, CORS, organizations, and any
    /// field added later), kept so that nothing is lost.
    #[serde(flatten)]
    pub additional: BTreeMap<String, Value>,
}

impl Project {
    /// Whether the project was purged: the API keeps answering for it, with
    /// this state (Ory's provider reports the same).
    pub fn is_deleted(&self) -> bool {
        self.state == ProjectState::Deleted
    }

    /// The project as one JSON document, the shape patches address.
    pub fn document(&self) -> Value {
        serde_json::to_value(self).unwrap_or_default()
    }
}

/// Decoded key by key, as `derive` would, but for `additional`: serde's
/// `flatten` would first copy the whole document (hundreds of kilobytes
/// with many actions) into a buffer of its own, then again into it.
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
        let mut additional = BTreeMap::new();
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
        Ok(Project {
            id: id.ok_or_else(|| de::Error::missing_field("id"))?,
            revision_id,
            slug: slug.ok_or_else(|| de::Error::missing_field("slug"))?,
            name: name.ok_or_else(|| de::Error::missing_field("name"))?,
            environment: environment.ok_or_else(|| de::Error::missing_field("environment"))?,
            home_region: home_region.ok_or_else(|| de::Error::missing_field("home_region"))?,
            state: state.ok_or_else(|| de::Error::missing_field("state"))?,
            workspace_id,
            additional,
        })
    }
}
