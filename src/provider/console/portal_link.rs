//! `ory_organization_onboarding_portal_link`: a link through which an
//! organization's administrators set up their own SSO (and SCIM).

use std::collections::BTreeMap;

use async_trait::async_trait;

use crate::console::{OrganizationId, PortalLink, PortalLinkBody, PortalLinkId, ProjectId};
use crate::plugin::{Diagnostics, Value};
use crate::provider::client::{OryClient, Setting};
use crate::provider::errors::Error;
use crate::provider::model::{attr, computed, model, optional, optional_computed, required, Fallback};
use crate::provider::typed::{Declared, ImportId, Plan, TypedResource};
use crate::provider::validators;

/// The identity providers whose claim mappers a link may set, as keys of
/// `mapper_urls` (the body's `<key>_mapper_url`).
const MAPPERS: &[&str] =
    &["apple", "auth0", "facebook", "generic_oidc", "github", "gitlab", "google", "microsoft", "netid", "saml", "scim"];
/// The proxy settings a link may carry, as keys of `proxy` (the body's `proxy_<key>`).
const PROXY: &[&str] = &["acs_url", "oidc_redirect_url", "saml_audience_override", "scim_server_url"];

model! {
    pub struct PortalLinkModel {
        id: String = computed("The link's ID."),
        project_id: String = optional_computed("The project. Defaults to the provider's `project_id`. Changing it replaces the link.")
            .check(validators::uuid)
            .default(Fallback::Provider(Setting::ProjectId))
            .force_new(),
        organization_id: String = required("The organization the link sets up. Changing it replaces the link.")
            .check(validators::uuid)
            .force_new(),
        enable_sso: bool = required("Whether the link lets the organization set up single sign-on. Changed in place."),
        enable_scim: bool = required("Whether the link lets the organization set up SCIM provisioning. Changed in place."),
        expires_at: String = optional_computed(
            "When the link stops working (RFC 3339, in the future). Changed in place. Left out, Ory Network chooses, and the link keeps it."
        )
        .check(validators::time)
        .same_when(validators::same_instant),
        custom_hostname_id: String = optional("The custom domain the portal is served on. Changing it replaces the link.")
            .check(validators::uuid)
            .force_new(),
        mapper_urls: BTreeMap<String, String> = optional(&format!(
            "Jsonnet claim mappers by identity provider ({}), each a URL such as `base64://...`. Changing them replaces the link.",
            MAPPERS.join(", ")
        ))
        .force_new(),
        proxy: BTreeMap<String, String> = optional(&format!(
            "Proxy settings ({}). Changing them replaces the link.",
            PROXY.join(", ")
        ))
        .force_new(),
        value: String = computed(
            "The link. Whoever holds it can set up the organization's single sign-on, so it is sensitive."
        )
        .sensitive(),
        created_at: String = computed("When the link was created (RFC 3339)."),
    }
}

impl PortalLinkModel {
    fn ids(&self) -> (ProjectId, OrganizationId, PortalLinkId) {
        fn text(v: &Option<String>) -> &str {
            v.as_deref().unwrap_or_default()
        }
        (text(&self.project_id).into(), text(&self.organization_id).into(), text(&self.id).into())
    }

    fn body(&self) -> PortalLinkBody {
        let mut other = BTreeMap::new();
        for (key, url) in self.mapper_urls.iter().flatten() {
            other.insert(format!("{key}_mapper_url"), url.clone());
        }
        for (key, value) in self.proxy.iter().flatten() {
            other.insert(format!("proxy_{key}"), value.clone());
        }
        if let Some(host) = &self.custom_hostname_id {
            other.insert("custom_hostname_id".into(), host.clone());
        }
        PortalLinkBody {
            enable_sso: self.enable_sso.unwrap_or(false),
            enable_scim: self.enable_scim.unwrap_or(false),
            expires_at: self.expires_at.as_deref().map(validators::canonical_time),
            other,
        }
    }

    /// The link as the API answered; `expires_at` keeps this model's
    /// spelling when it names the same instant.
    fn with(&self, link: PortalLink) -> PortalLinkModel {
        let setting = |key: &str| link.additional.get(key).and_then(|v| v.as_str()).map(str::to_string);
        // An empty map stays as written: `{}` and nothing both send nothing.
        let picked = |keys: &[&str], field: fn(&str) -> String, mine: &Option<BTreeMap<String, String>>| {
            let found: BTreeMap<String, String> =
                keys.iter().filter_map(|k| Some((k.to_string(), setting(&field(k))?))).collect();
            (!found.is_empty() || mine.is_some()).then_some(found)
        };
        let expires_at = match (&self.expires_at, link.expires_at) {
            (Some(mine), Some(theirs)) if validators::same_instant(mine, &theirs) => Some(mine.clone()),
            (_, theirs) => theirs,
        };
        PortalLinkModel {
            id: Some(link.id.to_string()),
            project_id: self.project_id.clone(),
            organization_id: self.organization_id.clone(),
            enable_sso: Some(link.enable_sso),
            enable_scim: Some(link.enable_scim),
            expires_at,
            custom_hostname_id: setting("custom_hostname_id"),
            mapper_urls: picked(MAPPERS, |k| format!("{k}_mapper_url"), &self.mapper_urls),
            proxy: picked(PROXY, |k| format!("proxy_{k}"), &self.proxy),
            value: Some(link.value),
            created_at: link.created_at,
            ..PortalLinkModel::default()
        }
    }
}

fn parse_import(id: &str) -> Option<Value> {
    let parts: Vec<&str> = id.split('/').collect();
    let [project, organization, link] = parts.as_slice() else { return None };
    parts.iter().all(|p| validators::is_uuid(p)).then(|| {
        Value::object([
            ("project_id", Value::string(*project)),
            ("organization_id", Value::string(*organization)),
            ("id", Value::string(*link)),
        ])
    })
}

pub struct PortalLinkResource;

impl Declared for PortalLinkResource {
    type Model = PortalLinkModel;

    fn type_name(&self) -> &'static str {
        "ory_organization_onboarding_portal_link"
    }

    fn summary(&self) -> &'static str {
        "an organization's SSO set-up link"
    }

    fn description(&self) -> String {
        "An onboarding portal link of a B2B organization: a URL through which the organization's administrators set up their own single sign-on and SCIM. The link (`value`) is sensitive. `enable_sso`, `enable_scim` and `expires_at` change in place; anything else replaces the link.".into()
    }

    fn noun(&self) -> &'static str {
        "onboarding portal link"
    }

    fn describe(&self, m: &PortalLinkModel) -> String {
        match m.ids() {
            (_, organization, id) if id.is_empty() => {
                format!("an onboarding portal link of organization {organization}")
            }
            (_, organization, id) => format!("onboarding portal link {id} of organization {organization}"),
        }
    }

    fn validate(&self, c: &PortalLinkModel, diags: &mut Diagnostics) {
        let checks = [
            (attr!(PortalLinkModel, mapper_urls), &c.mapper_urls, MAPPERS),
            (attr!(PortalLinkModel, proxy), &c.proxy, PROXY),
        ];
        for (attr, map, allowed) in checks {
            for key in map.iter().flatten().map(|(k, _)| k).filter(|k| !allowed.contains(&k.as_str())) {
                diags.attr_error(
                    attr,
                    format!("Invalid {attr}"),
                    format!("{attr} keys must be among {}; got {key:?}.", allowed.join(", ")),
                );
            }
        }
    }
}

#[async_trait]
impl TypedResource for PortalLinkResource {
    fn import_id(&self) -> ImportId {
        ImportId::Parsed { parse: parse_import, help: "<project_id>/<organization_id>/<link_id>, three UUIDs" }
    }

    /// A link to be made, or a new expiry, must be in the future; an
    /// unchanged expiry that has passed still plans, so that the
    /// configuration that made the link keeps planning.
    async fn plan(&self, _client: &OryClient, plan: &mut Plan<'_, PortalLinkModel>) -> Result<(), Error> {
        let Some(expires_at) = plan.planned.expires_at.as_deref() else { return Ok(()) };
        let unchanged = plan.replacing.is_empty()
            && plan
                .prior
                .as_ref()
                .and_then(|p| p.expires_at.as_deref())
                .is_some_and(|p| validators::same_instant(p, expires_at));
        if unchanged {
            return Ok(());
        }
        let attr = attr!(PortalLinkModel, expires_at);
        validators::future_time(expires_at)
            .map_err(|problem| Error::on(attr, "Invalid expires_at", format!("{attr} {problem}")))
    }

    async fn create(
        &self,
        client: &OryClient,
        planned: PortalLinkModel,
        _: &mut Diagnostics,
    ) -> Result<PortalLinkModel, Error> {
        let (project, organization, _) = planned.ids();
        let link = client.console.organizations(&project).create_link(&organization, &planned.body()).await?;
        Ok(planned.with(link))
    }

    async fn read(
        &self,
        client: &OryClient,
        state: PortalLinkModel,
        _: &mut Diagnostics,
    ) -> Result<Option<PortalLinkModel>, Error> {
        let (project, organization, id) = state.ids();
        match client.console.organizations(&project).links(&organization).await {
            Ok(links) => Ok(links.into_iter().find(|l| l.id == id).map(|l| state.with(l))),
            Err(e) if e.is_not_found() => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    async fn update(
        &self,
        client: &OryClient,
        prior: PortalLinkModel,
        planned: PortalLinkModel,
        _: &mut Diagnostics,
    ) -> Result<PortalLinkModel, Error> {
        let (project, organization, id) = prior.ids();
        let mut body = planned.body();
        // Sent only when it changes: the API may refuse a time already past.
        if validators::same_instant(
            planned.expires_at.as_deref().unwrap_or_default(),
            prior.expires_at.as_deref().unwrap_or_default(),
        ) {
            body.expires_at = None;
        }
        let link = client.console.organizations(&project).update_link(&organization, &id, &body).await?;
        Ok(planned.with(link))
    }

    async fn delete(&self, client: &OryClient, prior: PortalLinkModel, _: &mut Diagnostics) -> Result<(), Error> {
        let (project, organization, id) = prior.ids();
        match client.console.organizations(&project).delete_link(&organization, &id).await {
            Err(e) if !e.is_not_found() => Err(e.into()),
            _ => Ok(()),
        }
    }
}
