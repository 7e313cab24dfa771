//! Custom domains of a project: list, create, change, delete. Ory's SDK
//! models them (`CustomDomain`, `CreateCustomDomainBody`,
//! `SetCustomDomainBody`); the public spec lists no routes, so these follow
//! Ory's provider's client (`/projects/{project_id}/cname`).

use std::collections::BTreeMap;

use reqwest::Method;
use serde::{Deserialize, Serialize};

use super::ids::{CustomDomainId, ProjectId};
use super::recover::{Create, Listed, Recovered};
use super::{Client, Error};
use crate::http::segment;

#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
pub struct CustomDomain {
    pub id: CustomDomainId,
    #[serde(default)]
    pub hostname: Option<String>,
    #[serde(default)]
    pub cookie_domain: Option<String>,
    #[serde(default)]
    pub cors_enabled: Option<bool>,
    #[serde(default)]
    pub cors_allowed_origins: Option<Vec<String>>,
    #[serde(default)]
    pub custom_ui_base_url: Option<String>,
    #[serde(default)]
    pub verification_status: Option<String>,
    #[serde(default)]
    pub verification_errors: Option<Vec<String>>,
    #[serde(default)]
    pub ssl_status: Option<String>,
    #[serde(default)]
    pub created_at: Option<String>,
    #[serde(default)]
    pub updated_at: Option<String>,
    #[serde(flatten)]
    pub additional: BTreeMap<String, serde_json::Value>,
}

/// The body of a create and of a change: every field is sent, so that a
/// change replaces the domain's settings.
#[derive(Clone, Default, Serialize)]
pub struct CustomDomainBody {
    pub hostname: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cookie_domain: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cors_enabled: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cors_allowed_origins: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub custom_ui_base_url: Option<String>,
}

pub struct CustomDomains<'c> {
    client: &'c Client,
    project: ProjectId,
    base: String,
}

impl Client {
    pub fn custom_domains(&self, project: &ProjectId) -> CustomDomains<'_> {
        CustomDomains::new(self, project)
    }
}

impl<'c> CustomDomains<'c> {
    pub(super) fn new(client: &'c Client, project: &ProjectId) -> CustomDomains<'c> {
        CustomDomains { client, project: project.clone(), base: format!("/projects/{}/cname", segment(project)) }
    }

    pub async fn list(&self) -> Result<Vec<CustomDomain>, Error> {
        self.client.check_project(&self.project)?;
        self.client.send::<(), _>("listCustomDomains", Method::GET, &self.base, None).await
    }

    /// The domain with this ID, or `None` when it no longer exists.
    /// Reads of one project's domains share one listing (see `listings`).
    pub async fn find(&self, id: &CustomDomainId) -> Result<Option<CustomDomain>, Error> {
        self.client.check_project(&self.project)?;
        let listed: fn(Vec<CustomDomain>) -> Vec<CustomDomain> = |domains| domains;
        let domains = self.client.shared_listing("listCustomDomains", &self.base, listed, |d| &d.id).await?;
        Ok(domains.get(id.as_str()).cloned())
    }

    /// Creates a domain. A hostname is one domain's alone, so an unanswered
    /// attempt is resolved by the hostname, and the domain found is set to
    /// this body.
    pub async fn create(&self, body: &CustomDomainBody) -> Result<CustomDomain, Error> {
        self.client.check_project(&self.project)?;
        let calm_client = self.client.unstoppable();
        let calm = &CustomDomains::new(&calm_client, &self.project);
        let made = self
            .client
            .create_once(Create {
                what: "custom domain",
                gate: self.base.clone(),
                source: self.base.clone(),
                listing: super::journal::Listing::CustomDomains { project: self.project.clone() },
                fingerprint: body.hostname.clone(),
                post: Box::new(move || {
                    Box::pin(self.client.send("createCustomDomain", Method::POST, &self.base, Some(body)))
                }),
                id: |d: &CustomDomain| &d.id,
                list: Box::new(move || {
                    Box::pin(async move {
                        Ok(calm
                            .list()
                            .await?
                            .into_iter()
                            .map(|d| Listed {
                                id: d.id.to_string(),
                                fingerprint: d.hostname.clone().unwrap_or_default(),
                                item: d,
                            })
                            .collect())
                    })
                }),
                recovered: Recovered::Adopt(Box::new(move |d: CustomDomain| {
                    Box::pin(async move { calm.set(&d.id, body).await })
                })),
            })
            .await;
        // Whatever the outcome, a domain may have been made or set.
        self.client.http().forget_listing(&self.base);
        // A project shows its domains.
        self.client.projects().forget(&self.project);
        made
    }

    pub async fn set(&self, id: &CustomDomainId, body: &CustomDomainBody) -> Result<CustomDomain, Error> {
        self.client.check_project(&self.project)?;
        let set = self
            .client
            .send("setCustomDomain", Method::PUT, &format!("{}/{}", self.base, segment(id)), Some(body))
            .await;
        self.client.http().forget_listing(&self.base);
        // A project shows its domains.
        self.client.projects().forget(&self.project);
        set
    }

    pub async fn delete(&self, id: &CustomDomainId) -> Result<(), Error> {
        self.client.check_project(&self.project)?;
        let deleted = self
            .client
            .send_raw::<()>("deleteCustomDomain", Method::DELETE, &format!("{}/{}", self.base, segment(id)), None)
            .await;
        self.client.http().forget_listing(&self.base);
        // A project shows its domains.
        self.client.projects().forget(&self.project);
        deleted.map(drop)
    }
}
