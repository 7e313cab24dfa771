//! The Ory provider: its configuration, and one file per resource type,
//! laid out by what the resource talks to: `console` (objects of the
//! console API), `document` (parts of a project document, on the slice
//! layer), `project_api` (each project's own API, or self-hosted Ory),
//! `data_sources`; all of them on the typed layer in `framework`, which
//! imports nothing above it. This file is the registry; `adopt` and `docs`
//! read it. It speaks Terraform through `plugin` and Ory through
//! `crate::console` and `crate::project_api`, and knows nothing of HTTP or
//! JSON wire shapes beyond the document's named paths.

pub mod adopt;
mod console;
mod data_sources;
pub mod docs;
mod document;
mod framework;
mod project_api;

pub use framework::client;
pub(crate) use framework::{adoption, enums, errors, model, typed, validators};

use async_trait::async_trait;

use crate::plugin::{DataSource, Diagnostics, EphemeralResource, Provider, Resource, Schema, Value};
use client::{OryClient, ProviderConfig};
use model::Model;
use typed::{Registered, Typed};

/// The provider's address in configurations, as installed from a local
/// mirror (see the README).
pub const PROVIDER_ADDRESS: &str = "terraform.local/ory/ory";

/// Every resource type, each registered by a line in its folder's
/// `mod.rs`: what Terraform is served, what `adopt` asks to find objects,
/// and what the docs and the README's table describe.
pub fn registry() -> Vec<Box<dyn Registered>> {
    [console::resources(), document::resources(), project_api::resources()].into_iter().flatten().collect()
}

pub struct OryProvider {
    /// Set when Terraform is interrupted; every client of this process watches it.
    stop: tokio::sync::watch::Sender<bool>,
    /// The project keys this process made for itself, deleted when it ends.
    minted: std::sync::Arc<framework::project_keys::Minted>,
}

impl OryProvider {
    pub fn new() -> OryProvider {
        OryProvider { stop: tokio::sync::watch::channel(false).0, minted: Default::default() }
    }
}

impl Default for OryProvider {
    fn default() -> Self {
        OryProvider::new()
    }
}

#[async_trait]
impl Provider for OryProvider {
    type Client = OryClient;

    fn schema(&self) -> Schema {
        client::schema()
    }

    fn resources(&self) -> Vec<Box<dyn Resource<OryClient>>> {
        registry().into_iter().map(|resource| resource as Box<dyn Resource<OryClient>>).collect()
    }

    fn data_sources(&self) -> Vec<Box<dyn DataSource<OryClient>>> {
        data_sources::all()
    }

    fn ephemeral_resources(&self) -> Vec<Box<dyn EphemeralResource<OryClient>>> {
        vec![Box::new(Typed(console::ephemeral_api_key::EphemeralProjectApiKey))]
    }

    fn validate(&self, config: &Value) -> Diagnostics {
        model::validate::<ProviderConfig>(config)
    }

    fn stop(&self) {
        self.stop.send_replace(true);
    }

    async fn close(&self) {
        self.minted.delete_all().await;
    }

    async fn configure(
        &self,
        config: &Value,
        terraform_version: &str,
    ) -> Result<(OryClient, Diagnostics), Diagnostics> {
        // Checked again here: a value that decodes as "not set" (a list
        // with a null) must never configure a client without its guard.
        let refused = model::validate::<ProviderConfig>(config);
        if refused.has_errors() {
            return Err(refused);
        }
        client::guard_is_known(config)?;
        let client = OryClient::configure(
            ProviderConfig::from_value(config),
            terraform_version,
            self.stop.subscribe(),
            self.minted.clone(),
        )?;
        let warnings = client::killed_creates(&client).await;
        Ok((client, warnings))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The guard never fails open, even when Terraform skipped validation:
    /// a null or unknown element refuses to configure a client at all.
    #[tokio::test]
    async fn a_guard_list_with_a_null_or_unknown_element_configures_nothing() {
        let id = Value::string("3fa85f64-5717-4562-b3fc-2c963f66afa6");
        for list in [
            Value::List(vec![Value::Null]),
            Value::List(vec![id.clone(), Value::Null]),
            Value::List(vec![id.clone(), Value::Unknown]),
            Value::Unknown,
        ] {
            let config = Value::object([
                ("workspace_api_key", Value::string("ory_wak_x")),
                ("console_api_url", Value::string("http://127.0.0.1:1")),
                ("allowed_project_ids", list.clone()),
            ]);
            let refused = OryProvider::new().configure(&config, "1.11.4").await.err();
            let detail = refused.map(|d| d.0[0].detail.clone()).unwrap_or_default();
            assert!(detail.contains("allowed_project_ids"), "{list:?} configured a client: {detail}");
        }
    }

    /// Every resource names itself the same way when an import ID is wrong:
    /// "Import an ory_...", the ID shown escaped.
    #[tokio::test]
    async fn a_wrong_import_id_is_explained_in_one_voice() {
        let config = Value::object([
            ("workspace_api_key", Value::string("ory_wak_x")),
            ("console_api_url", Value::string("http://127.0.0.1:1")),
        ]);
        let (client, _) = OryProvider::new().configure(&config, "1.11.4").await.unwrap();
        for resource in OryProvider::new().resources() {
            let mut diags = Diagnostics::new();
            resource.import(&client, "not an id\u{1b}", &mut diags).await;
            let Some(d) = diags.0.first() else { continue };
            let article = format!("Import an {} ", resource.type_name());
            assert!(d.detail.starts_with(&article), "{}: {}", resource.type_name(), d.detail);
            assert!(!d.detail.contains('\u{1b}'), "{}: {}", resource.type_name(), d.detail);
        }
    }
}
