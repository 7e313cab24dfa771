//! A project's members: list them, remove one.

use std::collections::BTreeMap;

use reqwest::Method;
use serde::{Deserialize, Serialize};

use super::ids::{MemberId, ProjectId};
use super::{Client, Error, MemberRole};
use crate::http::segment;

#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
pub struct Member {
    pub id: MemberId,
    pub email: String,
    pub name: String,
    pub email_verified: bool,
    pub role: MemberRole,
    #[serde(default)]
    pub source: Option<String>,
    #[serde(flatten)]
    pub additional: BTreeMap<String, serde_json::Value>,
}

/// The members of one project: `client.members(&project)`.
pub struct Members<'c> {
    client: &'c Client,
    project: ProjectId,
}

impl Client {
    /// The members of a project.
    pub fn members(&self, project: &ProjectId) -> Members<'_> {
        Members::new(self, project)
    }
}

impl<'c> Members<'c> {
    pub(super) fn new(client: &'c Client, project: &ProjectId) -> Members<'c> {
        Members { client, project: project.clone() }
    }

    pub async fn list(&self) -> Result<Vec<Member>, Error> {
        self.client.check_project(&self.project)?;
        let path = format!("/projects/{}/members", segment(&self.project));
        self.client.send::<(), _>("getProjectMembers", Method::GET, &path, None).await
    }

    /// Takes a member out of the project (`removeProjectMember`).
    pub async fn remove(&self, member: &MemberId) -> Result<(), Error> {
        self.client.check_project(&self.project)?;
        let path = format!("/projects/{}/members/{}", segment(&self.project), segment(member));
        self.client.send_raw::<()>("removeProjectMember", Method::DELETE, &path, None).await.map(drop)
    }
}
