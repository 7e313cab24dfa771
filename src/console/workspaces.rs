//! Workspaces: create, get, rename, list (paginated).

use std::collections::BTreeMap;

use reqwest::Method;
use serde::{Deserialize, Serialize};

use super::recover::{made_since, Found};
use super::{segment, Client, Error};

#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
pub struct Workspace {
    pub id: String,
    pub name: String,
    pub created_at: String,
    pub updated_at: String,
    #[serde(flatten)]
    pub additional: BTreeMap<String, serde_json::Value>,
}

#[derive(Deserialize)]
struct Page {
    workspaces: Vec<Workspace>,
    #[serde(default)]
    next_page_token: String,
    #[serde(default)]
    has_next_page: bool,
}

#[derive(Serialize)]
struct NameBody<'a> {
    name: &'a str,
}

pub struct Workspaces<'c> {
    client: &'c Client,
}

impl<'c> Workspaces<'c> {
    pub(super) fn new(client: &'c Client) -> Workspaces<'c> {
        Workspaces { client }
    }

    /// Creates a workspace; an unanswered attempt is resolved by reading
    /// back: one of this name made since the attempt is adopted.
    pub async fn create(&self, name: &str) -> Result<Workspace, Error> {
        let body = NameBody { name };
        self.client
            .create_once(
                "workspace",
                || self.client.send("createWorkspace", Method::POST, "/workspaces", Some(&body)),
                |started| async move {
                    let made = self
                        .list_all()
                        .await?
                        .into_iter()
                        .find(|w| w.name == name && made_since(Some(&w.created_at), started));
                    Ok(made.map_or(Found::Nothing, Found::Made))
                },
            )
            .await
    }

    pub async fn get(&self, id: &str) -> Result<Workspace, Error> {
        self.client.send::<(), _>("getWorkspace", Method::GET, &format!("/workspaces/{}", segment(id)), None).await
    }

    pub async fn rename(&self, id: &str, name: &str) -> Result<Workspace, Error> {
        self.client
            .send("updateWorkspace", Method::PUT, &format!("/workspaces/{}", segment(id)), Some(&NameBody { name }))
            .await
    }

    /// Every workspace, following `page_token` to the last page.
    pub async fn list_all(&self) -> Result<Vec<Workspace>, Error> {
        let mut all = Vec::new();
        let mut token = String::new();
        loop {
            let mut path = "/workspaces?page_size=250".to_string();
            if !token.is_empty() {
                path.push_str("&page_token=");
                path.push_str(&segment(&token));
            }
            let page: Page = self.client.send::<(), _>("listWorkspaces", Method::GET, &path, None).await?;
            all.extend(page.workspaces);
            // A repeated token would loop forever; treat it as the end.
            if !page.has_next_page || page.next_page_token.is_empty() || page.next_page_token == token {
                return Ok(all);
            }
            token = page.next_page_token;
        }
    }
}
