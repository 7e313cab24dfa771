//! B2B SSO organizations of a project, and their onboarding portal links.
//!
//! Organizations are written through the project document
//! (`project.organizations`, with `patchProjectWithRevision`), as the spec
//! asks now that their CRUD calls are deprecated; the provider's slice
//! layer does that. They are read here, with `getOrganization` and
//! `listOrganizations`, the only calls that give their times.

use std::collections::BTreeMap;

use reqwest::Method;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::ids::{OrganizationId, PortalLinkId, ProjectId};
use super::recover::{Create, Listed, Recovered};
use super::{Client, Error};
use crate::http::segment;

/// An organization as `getOrganization` and `listOrganizations` return it.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
pub struct Organization {
    pub id: OrganizationId,
    pub label: String,
    #[serde(default)]
    pub domains: Vec<String>,
    #[serde(default)]
    pub session_lifespan: Option<String>,
    #[serde(default)]
    pub default_region: Option<String>,
    #[serde(default)]
    pub created_at: Option<String>,
    #[serde(default)]
    pub updated_at: Option<String>,
    #[serde(flatten)]
    pub additional: BTreeMap<String, Value>,
}

#[derive(Deserialize)]
struct One {
    organization: Organization,
}

#[derive(Deserialize)]
struct Page {
    organizations: Vec<Organization>,
    #[serde(default)]
    next_page_token: String,
    #[serde(default)]
    has_next_page: bool,
}

/// An onboarding portal link: whoever holds `value` can set up the
/// organization's SSO, so it is a secret.
#[derive(Clone, Deserialize, Serialize, PartialEq)]
pub struct PortalLink {
    pub id: PortalLinkId,
    pub value: String,
    #[serde(default)]
    pub expires_at: Option<String>,
    #[serde(default)]
    pub created_at: Option<String>,
    #[serde(default)]
    pub enable_sso: bool,
    #[serde(default)]
    pub enable_scim: bool,
    #[serde(flatten)]
    pub additional: BTreeMap<String, Value>,
}

impl Client {
    /// The B2B organizations of a project, and their portal links.
    pub fn organizations(&self, project: &ProjectId) -> Organizations<'_> {
        Organizations::new(self, project)
    }
}

impl std::fmt::Debug for PortalLink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PortalLink").field("id", &self.id).finish_non_exhaustive()
    }
}

/// The body of a link's create (every field) and update (`enable_sso`,
/// `enable_scim`, `expires_at`).
#[derive(Clone, Debug, Default, Serialize)]
pub struct PortalLinkBody {
    pub enable_sso: bool,
    pub enable_scim: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<String>,
    /// Mapper URLs, proxy settings and `custom_hostname_id`: create only.
    #[serde(flatten)]
    pub other: BTreeMap<String, String>,
}

/// What a listing shows of the settings a create sends: the link's string
/// fields other than its own identity.
fn listed_settings(link: &PortalLink) -> BTreeMap<String, String> {
    const OWN: [&str; 2] = ["project_id", "organization_id"];
    link.additional
        .iter()
        .filter(|(k, _)| !OWN.contains(&k.as_str()))
        .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
        .collect()
}

/// The same instant however it is written.
fn instant(t: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(t).map(|t| t.timestamp_micros().to_string()).unwrap_or_else(|_| t.to_string())
}

fn link_fingerprint(sso: bool, scim: bool, settings: &BTreeMap<String, String>, expires_at: Option<&str>) -> String {
    serde_json::json!([sso, scim, settings, expires_at.map(instant)]).to_string()
}

#[derive(Deserialize)]
struct Links {
    links: Vec<PortalLink>,
}

/// The organizations of one project: `client.organizations(&project)`.
pub struct Organizations<'c> {
    client: &'c Client,
    project: ProjectId,
}

impl<'c> Organizations<'c> {
    pub(super) fn new(client: &'c Client, project: &ProjectId) -> Organizations<'c> {
        Organizations { client, project: project.clone() }
    }

    fn path(&self, rest: &str) -> String {
        format!("/projects/{}/organizations{rest}", segment(&self.project))
    }

    pub async fn get(&self, id: &OrganizationId) -> Result<Organization, Error> {
        self.client.check_project(&self.project)?;
        let one: One = self
            .client
            .send::<(), _>("getOrganization", Method::GET, &self.path(&format!("/{}", segment(id))), None)
            .await?;
        Ok(one.organization)
    }

    /// Every organization, or those holding `domain`, following every page.
    pub async fn list(&self, domain: Option<&str>) -> Result<Vec<Organization>, Error> {
        self.client.check_project(&self.project)?;
        let mut all = Vec::new();
        let mut token = String::new();
        let mut pages = crate::http::pages::Pages::new("listOrganizations", self.client.http().call_budget());
        loop {
            let mut query = vec![("page_size", "250".to_string())];
            if let Some(domain) = domain {
                query.push(("domain", domain.to_string()));
            }
            if !token.is_empty() {
                query.push(("page_token", token.clone()));
            }
            let query = serde_urlencoded::to_string(&query).unwrap_or_default();
            let page: Page =
                pages.fetch(self.client.transport("listOrganizations")?, &format!("{}?{query}", self.path(""))).await?;
            all.extend(page.organizations);
            match pages.next(page.has_next_page, page.next_page_token)? {
                Some(next) => token = next,
                None => return Ok(all),
            }
        }
    }

    fn links_path(&self, organization: &str, rest: &str) -> String {
        self.path(&format!("/{}/onboarding-portal-links{rest}", segment(organization)))
    }

    pub async fn links(&self, organization: &OrganizationId) -> Result<Vec<PortalLink>, Error> {
        self.client.check_project(&self.project)?;
        let links: Links = self
            .client
            .send::<(), _>(
                "getOrganizationOnboardingPortalLinks",
                Method::GET,
                &self.links_path(organization, ""),
                None,
            )
            .await?;
        Ok(links.links)
    }

    /// Creates a link. An unanswered attempt is resolved by what is provably
    /// new (see `recover`): a link of this organization with these settings
    /// that no resource of this process holds. A listing shows every field a
    /// create sets, the link's value included, so an adopted link serves.
    pub async fn create_link(&self, organization: &OrganizationId, body: &PortalLinkBody) -> Result<PortalLink, Error> {
        self.client.check_project(&self.project)?;
        let calm_client = self.client.unstoppable();
        let calm = &Organizations::new(&calm_client, &self.project);
        let path = &self.links_path(organization, "");
        self.client
            .create_once(Create {
                what: "onboarding portal link",
                gate: path.clone(),
                source: path.clone(),
                listing: super::journal::Listing::PortalLinks {
                    project: self.project.clone(),
                    organization: organization.clone(),
                },
                fingerprint: link_fingerprint(
                    body.enable_sso,
                    body.enable_scim,
                    &body.other,
                    body.expires_at.as_deref(),
                ),
                post: Box::new(move || {
                    Box::pin(self.client.send("createOrganizationOnboardingPortalLink", Method::POST, path, Some(body)))
                }),
                id: |l: &PortalLink| &l.id,
                list: Box::new(move || {
                    Box::pin(async move {
                        Ok(calm
                            .links(organization)
                            .await?
                            .into_iter()
                            .map(|l| Listed {
                                id: l.id.to_string(),
                                fingerprint: link_fingerprint(
                                    l.enable_sso,
                                    l.enable_scim,
                                    &listed_settings(&l),
                                    body.expires_at.as_ref().and(l.expires_at.as_deref()),
                                ),
                                item: l,
                            })
                            .collect())
                    })
                }),
                recovered: Recovered::Adopt(Box::new(|l: PortalLink| Box::pin(async move { Ok(l) }))),
            })
            .await
    }

    pub async fn update_link(
        &self,
        organization: &OrganizationId,
        id: &PortalLinkId,
        body: &PortalLinkBody,
    ) -> Result<PortalLink, Error> {
        self.client.check_project(&self.project)?;
        let body = PortalLinkBody { other: BTreeMap::new(), ..body.clone() };
        let path = self.links_path(organization, &format!("/{}", segment(id)));
        self.client.send("updateOrganizationOnboardingPortalLink", Method::POST, &path, Some(&body)).await
    }

    pub async fn delete_link(&self, organization: &OrganizationId, id: &PortalLinkId) -> Result<(), Error> {
        self.client.check_project(&self.project)?;
        let path = self.links_path(organization, &format!("/{}", segment(id)));
        self.client
            .send_raw::<()>("deleteOrganizationOnboardingPortalLink", Method::DELETE, &path, None)
            .await
            .map(drop)
    }
}
