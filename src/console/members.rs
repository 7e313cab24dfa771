//! A project's members (read-only here).

use std::collections::BTreeMap;

use reqwest::Method;
use serde::{Deserialize, Serialize};

use super::{segment, Client, Error};

#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
pub struct Member {
    pub id: String,
    pub email: String,
    pub name: String,
    pub email_verified: bool,
    /// `owner`, `developer` or `viewer`.
    pub role: String,
    #[serde(default)]
    pub source: Option<String>,
    #[serde(flatten)]
    pub additional: BTreeMap<String, serde_json::Value>,
}

impl Client {
    pub async fn project_members(&self, project: &str) -> Result<Vec<Member>, Error> {
        self.check_project(project)?;
        self.send::<(), _>("getProjectMembers", Method::GET, &format!("/projects/{}/members", segment(project)), None)
            .await
    }
}
