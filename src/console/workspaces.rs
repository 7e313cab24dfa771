//! Workspaces: create, get, rename, list (paginated).

use std::collections::BTreeMap;

use reqwest::Method;
use serde::{Deserialize, Serialize};

use super::ids::WorkspaceId;
use super::recover::{Create, Listed, Recovered};
use super::{Client, Error};
use crate::http::segment;

#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
pub struct Workspace {
    pub id: WorkspaceId,
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

impl Client {
    pub fn workspaces(&self) -> Workspaces<'_> {
        Workspaces::new(self)
    }
}

impl<'c> Workspaces<'c> {
    pub(super) fn new(client: &'c Client) -> Workspaces<'c> {
        Workspaces { client }
    }

    /// Creates a workspace; an unanswered attempt is resolved by what is
    /// provably new (see `recover`): a workspace of this name that no
    /// resource of this process holds.
    pub async fn create(&self, name: &str) -> Result<Workspace, Error> {
        let body = &NameBody { name };
        let calm_client = self.client.unstoppable();
        let calm = &Workspaces::new(&calm_client);
        self.client
            .create_once(Create {
                what: "workspace",
                gate: "/workspaces".into(),
                source: String::new(),
                listing: super::journal::Listing::Workspaces,
                fingerprint: name.to_string(),
                post: Box::new(move || {
                    Box::pin(self.client.send("createWorkspace", Method::POST, "/workspaces", Some(body)))
                }),
                id: |w: &Workspace| &w.id,
                list: Box::new(move || {
                    Box::pin(async move {
                        let all = calm.list_all().await?;
                        Ok(all
                            .into_iter()
                            .map(|w| Listed { id: w.id.to_string(), fingerprint: w.name.clone(), item: w })
                            .collect())
                    })
                }),
                recovered: Recovered::Adopt(Box::new(|w: Workspace| Box::pin(async move { Ok(w) }))),
            })
            .await
    }

    pub async fn get(&self, id: &WorkspaceId) -> Result<Workspace, Error> {
        self.client.send::<(), _>("getWorkspace", Method::GET, &format!("/workspaces/{}", segment(id)), None).await
    }

    pub async fn rename(&self, id: &WorkspaceId, name: &str) -> Result<Workspace, Error> {
        self.client
            .send("updateWorkspace", Method::PUT, &format!("/workspaces/{}", segment(id)), Some(&NameBody { name }))
            .await
    }

    /// Every workspace, following `page_token` to the last page.
    pub async fn list_all(&self) -> Result<Vec<Workspace>, Error> {
        let mut all = Vec::new();
        let mut token = String::new();
        let mut pages = crate::http::pages::Pages::new("listWorkspaces", self.client.http().call_budget());
        loop {
            let mut query = vec![("page_size", "250")];
            if !token.is_empty() {
                query.push(("page_token", token.as_str()));
            }
            let path = format!("/workspaces?{}", serde_urlencoded::to_string(&query).unwrap_or_default());
            let page: Page = pages.fetch(self.client.transport("listWorkspaces")?, &path).await?;
            all.extend(page.workspaces);
            match pages.next(page.has_next_page, page.next_page_token)? {
                Some(next) => token = next,
                None => return Ok(all),
            }
        }
    }
}
