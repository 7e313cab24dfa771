//! Ephemeral `ory_project_api_key` (Terraform 1.10 and later): a short-lived
//! project key that exists only while Terraform runs. Open creates it with
//! `expires_at = now + ttl`; Close deletes it. Its value never reaches a plan
//! or the state, so another provider can use it without a long-lived key.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use crate::console::{ApiKeyId, Owner, ProjectId};
use crate::provider::client::{OryClient, Setting};
use crate::provider::errors::Error;
use crate::provider::model::{attr, computed, model, optional_computed, Fallback};
use crate::provider::typed::{Declared, TypedEphemeral};
use crate::provider::validators::{self, parse_duration};

const DEFAULT_TTL: &str = "1h";
const DEFAULT_NAME: &str = "terraform-ephemeral";

model! {
    pub struct EphemeralKeyModel {
        project_id: String = optional_computed("The project. Defaults to the provider's `project_id`.")
            .check(validators::uuid)
            .default(Fallback::Provider(Setting::ProjectId)),
        name: String = optional_computed(&format!("The key's name. Defaults to `{DEFAULT_NAME}`.")),
        ttl: String = optional_computed(&format!(
            "How long the key lives, such as `30m` or `2h`; a safety net in case Terraform never closes it. Defaults to `{DEFAULT_TTL}`."
        ))
        .check(validators::duration),
        id: String = computed("The key's ID."),
        value: String = computed("The key itself (`ory_pat_...`).").sensitive(),
        expires_at: String = computed("When the key expires (RFC 3339)."),
    }
}

/// What Close needs; Terraform hands it back unchanged.
#[derive(Serialize, Deserialize)]
struct OpenKey {
    project_id: String,
    key_id: String,
}

pub struct EphemeralProjectApiKey;

impl Declared for EphemeralProjectApiKey {
    type Model = EphemeralKeyModel;

    fn type_name(&self) -> &'static str {
        "ory_project_api_key"
    }

    fn summary(&self) -> &'static str {
        "a project key for one run (Terraform 1.10+)"
    }

    fn description(&self) -> String {
        "A short-lived project API key for the length of one Terraform run (Terraform 1.10 and later). Opening it creates a key that expires after `ttl`; closing it deletes the key. Its value never reaches a plan or the state: use it to configure another provider in the same run.".into()
    }

    fn noun(&self) -> &'static str {
        "ephemeral project API key"
    }

    fn describe(&self, config: &EphemeralKeyModel) -> String {
        format!("a key for project {}", config.project_id.as_deref().unwrap_or_default())
    }
}

#[async_trait]
impl TypedEphemeral for EphemeralProjectApiKey {
    async fn open(&self, client: &OryClient, config: EphemeralKeyModel) -> Result<(EphemeralKeyModel, Vec<u8>), Error> {
        let project = config.project_id.unwrap_or_default();
        let ttl = config.ttl.unwrap_or_else(|| DEFAULT_TTL.into());
        let name = config.name.unwrap_or_else(|| DEFAULT_NAME.into());
        // `ttl` was checked at plan time to be at most ten years; the sum
        // is checked anyway, so that no input can make it panic.
        let seconds = parse_duration(&ttl).unwrap_or(3600);
        let expires_at = chrono::Duration::try_seconds(seconds)
            .and_then(|d| chrono::Utc::now().checked_add_signed(d))
            .ok_or_else(|| {
                Error::on(
                    attr!(EphemeralKeyModel, ttl),
                    "Invalid ttl",
                    format!("ttl {ttl:?} ends too far in the future."),
                )
            })?
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        let key =
            client.console.api_keys(Owner::Project(ProjectId::from(&project))).create(&name, Some(&expires_at)).await?;
        let private = serde_json::to_vec(&OpenKey { project_id: project.clone(), key_id: key.id.to_string() })
            .unwrap_or_default();
        let opened = EphemeralKeyModel {
            project_id: Some(project),
            name: Some(name),
            ttl: Some(ttl),
            id: Some(key.id.to_string()),
            value: key.value,
            expires_at: key.expires_at.or(Some(expires_at)),
            ..Default::default()
        };
        Ok((opened, private))
    }

    async fn close(&self, client: &OryClient, private: &[u8]) -> Result<(), Error> {
        let Ok(open) = serde_json::from_slice::<OpenKey>(private) else {
            // Open failed, so there is nothing to delete.
            return Ok(());
        };
        match client
            .console
            .api_keys(Owner::Project(ProjectId::from(&open.project_id)))
            .delete(&ApiKeyId::from(&open.key_id))
            .await
        {
            Err(e) if !e.is_not_found() => Err(Error::doing(
                e,
                format!(
                    "Deleting key {} of project {}; it expires on its own at its expires_at",
                    open.key_id, open.project_id
                ),
            )),
            _ => Ok(()),
        }
    }
}
