//! `ory_custom_domain`: a hostname of the customer's own (such as
//! `auth.example.com`) that serves a project's APIs and UI. Every change
//! applies in place; a new hostname waits for its DNS record again.

use async_trait::async_trait;

use crate::console::{CustomDomain, CustomDomainBody, CustomDomainId, ProjectId};
use crate::plugin::Diagnostics;
use crate::provider::adoption::{if_on_the_plan, Finds, Found, Place};
use crate::provider::client::{OryClient, Setting};
use crate::provider::errors::Error;
use crate::provider::model::{attr, computed, model, optional_computed, required, Fallback};
use crate::provider::typed::{Declared, ImportId, TypedResource};
use crate::provider::validators;

model! {
    pub struct CustomDomainModel {
        id: String = computed("The custom domain's ID."),
        project_id: String = optional_computed(
            "The project the domain serves. Defaults to the provider's `project_id`. Changing it replaces the domain."
        )
        .check(validators::uuid)
        .default(Fallback::Provider(Setting::ProjectId))
        .force_new(),
        hostname: String = required(
            "The hostname, such as `auth.example.com`: point a CNAME record of it at Ory, as the console shows. A new hostname is verified again."
        )
        .check(validators::domain),
        cookie_domain: String = optional_computed("The domain cookies are set for: the hostname or a parent domain of it, such as `example.com`.")
            .check(validators::domain),
        cors_enabled: bool = optional_computed("Whether CORS is on for the hostname."),
        cors_allowed_origins: Vec<String> = optional_computed("The origins CORS allows, such as `https://app.example.com`.")
            .check(validators::cors_origin)
            .distinct(),
        custom_ui_base_url: String = optional_computed("Where the project's own login UI lives, if not Ory's Account Experience.")
            .check(validators::https_url),
        verification_status: String = computed("Whether Ory has seen the hostname's DNS record: `pending`, then `active`."),
        verification_errors: Vec<String> = computed("What Ory found wrong with the DNS record, if anything."),
        ssl_status: String = computed("The state of the hostname's TLS certificate."),
        created_at: String = computed("When the domain was added (RFC 3339)."),
        updated_at: String = computed("When the domain last changed (RFC 3339).").follows_changes(),
    }
}

impl CustomDomainModel {
    fn project(&self) -> ProjectId {
        self.project_id.as_deref().unwrap_or_default().into()
    }

    fn body(&self) -> CustomDomainBody {
        CustomDomainBody {
            hostname: self.hostname.clone().unwrap_or_default(),
            cookie_domain: self.cookie_domain.clone(),
            cors_enabled: self.cors_enabled,
            cors_allowed_origins: self.cors_allowed_origins.clone(),
            custom_ui_base_url: self.custom_ui_base_url.clone(),
        }
    }

    fn with(&self, d: CustomDomain) -> CustomDomainModel {
        let text = |t: Option<String>| t.filter(|t| !t.is_empty());
        CustomDomainModel {
            id: Some(d.id.to_string()),
            project_id: self.project_id.clone(),
            hostname: d.hostname,
            cookie_domain: text(d.cookie_domain),
            cors_enabled: d.cors_enabled,
            cors_allowed_origins: d.cors_allowed_origins,
            custom_ui_base_url: text(d.custom_ui_base_url),
            verification_status: d.verification_status,
            verification_errors: Some(d.verification_errors.unwrap_or_default()),
            ssl_status: d.ssl_status,
            created_at: d.created_at,
            updated_at: d.updated_at,
            ..CustomDomainModel::default()
        }
    }
}

pub struct CustomDomainResource;

impl Declared for CustomDomainResource {
    type Model = CustomDomainModel;

    fn type_name(&self) -> &'static str {
        "ory_custom_domain"
    }

    fn summary(&self) -> &'static str {
        "a hostname of your own for a project"
    }

    fn description(&self) -> String {
        "A custom domain of a project: a hostname of your own that serves the project's APIs and UI, with its cookie domain and CORS. Ory serves it once the hostname's CNAME record points at Ory (`verification_status` becomes `active`). Every change applies in place.".into()
    }

    fn noun(&self) -> &'static str {
        "custom domain"
    }

    fn describe(&self, m: &CustomDomainModel) -> String {
        match (&m.id, &m.hostname) {
            (Some(id), _) => format!("custom domain {id} of project {}", m.project()),
            (None, host) => {
                format!("custom domain {:?} of project {}", host.as_deref().unwrap_or_default(), m.project())
            }
        }
    }

    fn validate(&self, c: &CustomDomainModel, diags: &mut Diagnostics) {
        if let (Some(host), Some(cookie)) = (&c.hostname, &c.cookie_domain) {
            if host != cookie && !host.ends_with(&format!(".{cookie}")) {
                diags.attr_error(
                    attr!(CustomDomainModel, cookie_domain),
                    "Cookies for another domain",
                    format!("cookie_domain {cookie:?} must be the hostname {host:?} or a parent domain of it, or browsers drop the cookies."),
                );
            }
        }
    }
}

#[async_trait]
impl TypedResource for CustomDomainResource {
    async fn find(
        &self,
        client: &OryClient,
        place: &Place<'_>,
        finds: &mut Finds,
    ) -> Result<(), crate::console::Error> {
        let Place::Project(at) = place else { return Ok(()) };
        let domains = if_on_the_plan(client.console.custom_domains(at.id()).list().await)?;
        for domain in domains {
            let host = domain.hostname.clone().unwrap_or_default();
            let found = Found::new(format!("{} {host}", at.name()), format!("{}/{}", at.id(), domain.id));
            finds.add(found.knowing("hostname", &host));
        }
        Ok(())
    }

    fn import_id(&self) -> ImportId {
        ImportId::Owned {
            id: attr!(CustomDomainModel, id),
            owner: attr!(CustomDomainModel, project_id),
            label: "custom_domain_id",
            default: Some(Setting::ProjectId),
        }
    }

    async fn create(
        &self,
        client: &OryClient,
        planned: CustomDomainModel,
        _: &mut Diagnostics,
    ) -> Result<CustomDomainModel, Error> {
        let made = client.console.custom_domains(&planned.project()).create(&planned.body()).await?;
        Ok(planned.with(made))
    }

    async fn read(
        &self,
        client: &OryClient,
        state: CustomDomainModel,
        _: &mut Diagnostics,
    ) -> Result<Option<CustomDomainModel>, Error> {
        let id = CustomDomainId::from(state.id.as_deref().unwrap_or_default());
        let found = client.console.custom_domains(&state.project()).find(&id).await?;
        Ok(found.map(|d| state.with(d)))
    }

    async fn update(
        &self,
        client: &OryClient,
        prior: CustomDomainModel,
        planned: CustomDomainModel,
        _: &mut Diagnostics,
    ) -> Result<CustomDomainModel, Error> {
        let id = CustomDomainId::from(prior.id.as_deref().unwrap_or_default());
        let set = client.console.custom_domains(&planned.project()).set(&id, &planned.body()).await?;
        Ok(planned.with(set))
    }

    async fn delete(&self, client: &OryClient, prior: CustomDomainModel, _: &mut Diagnostics) -> Result<(), Error> {
        let id = CustomDomainId::from(prior.id.as_deref().unwrap_or_default());
        match client.console.custom_domains(&prior.project()).delete(&id).await {
            Err(e) if e.is_not_found() => Ok(()),
            other => Ok(other?),
        }
    }
}
