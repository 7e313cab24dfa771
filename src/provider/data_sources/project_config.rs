//! `ory_project_config` (data source): a project's whole live configuration.

use async_trait::async_trait;
use serde_json::Value as Json;

use super::or_empty;
use crate::provider::client::{OryClient, Setting};
use crate::provider::document::project_config::CorsModel;
use crate::provider::document::{self, without_secrets};
use crate::provider::errors::Error;
use crate::provider::model::{computed, model, optional_computed, Fallback};
use crate::provider::typed::{Declared, TypedDataSource};
use crate::provider::validators;

model! {
    pub struct ProjectConfigData {
        project_id: String = optional_computed("The project. Defaults to the provider's `project_id`.")
            .check(validators::uuid)
            .default(Fallback::Provider(Setting::ProjectId)),
        id: String = computed("The project's ID."),
        revision_id: String = computed("The configuration's revision."),
        identity_config: String = computed("The identity service's configuration (Ory Kratos), as JSON; `jsondecode()` reads it."),
        oauth2_config: String = computed("The OAuth2 service's configuration (Ory Hydra), as JSON."),
        permission_config: String = computed("The permission service's configuration (Ory Keto), as JSON."),
        account_experience_config: String = computed("The Account Experience's configuration, as JSON."),
        // Object-typed, not nested attributes, which Terraform before 1.3
        // cannot read attributes of.
        cors_public: CorsModel = computed("CORS of the public endpoints: `enabled` (bool) and `origins` (list of strings).").object(),
        cors_admin: CorsModel = computed("CORS of the admin endpoints: `enabled` (bool) and `origins` (list of strings).").object(),
    }
}

pub struct ProjectConfigDataSource;

impl Declared for ProjectConfigDataSource {
    type Model = ProjectConfigData;

    fn type_name(&self) -> &'static str {
        "ory_project_config"
    }

    fn summary(&self) -> &'static str {
        "a project's live configuration, secrets left out"
    }

    fn description(&self) -> String {
        "A project's whole live configuration, one JSON string per service, for reading values into other resources. The values at the paths `ory_project_config` treats as secret (SMTP connection URIs, web hook and courier credentials, OIDC client secrets) are left out.".into()
    }

    fn noun(&self) -> &'static str {
        "project configuration"
    }

    fn describe(&self, m: &ProjectConfigData) -> String {
        format!("the configuration of project {}", or_empty(&m.project_id))
    }
}

#[async_trait]
impl TypedDataSource for ProjectConfigDataSource {
    async fn read(&self, client: &OryClient, config: ProjectConfigData) -> Result<ProjectConfigData, Error> {
        let id = or_empty(&config.project_id).to_string();
        let Some(project) = document::live_project(client, &id).await? else {
            return Err(Error::refused("Project not found", format!("Project {id} does not exist or was purged.")));
        };
        let live = project.document();
        let service = |name: &str| {
            let pointer = format!("/services/{name}/config");
            live.pointer(&pointer).map(|c| without_secrets(c, &pointer).to_string())
        };
        let cors = |name: &str| {
            let cors = &live[name];
            Some(CorsModel {
                enabled: cors["enabled"].as_bool(),
                origins: cors["origins"]
                    .as_array()
                    .map(|o| o.iter().filter_map(Json::as_str).map(str::to_string).collect()),
                ..CorsModel::default()
            })
        };
        Ok(ProjectConfigData {
            project_id: Some(id.clone()),
            id: Some(id),
            revision_id: project.revision_id.as_ref().map(ToString::to_string),
            identity_config: service("identity"),
            oauth2_config: service("oauth2"),
            permission_config: service("permission"),
            account_experience_config: service("account_experience"),
            cors_public: cors("cors_public"),
            cors_admin: cors("cors_admin"),
            ..ProjectConfigData::default()
        })
    }
}
