//! Typed data sources and ephemeral resources, served as the plugin's.

use async_trait::async_trait;

use super::declared::{with_provider_defaults, Declared, Typed};
use crate::plugin::{DataSource, Diagnostics, EphemeralResource, Opened, Schema, Value};
use crate::provider::client::OryClient;
use crate::provider::errors::{diagnose, Error, Operation, Subject};
use crate::provider::model::Model;

#[async_trait]
pub trait TypedDataSource: Declared {
    async fn read(&self, client: &OryClient, config: Self::Model) -> Result<Self::Model, Error>;
}

#[async_trait]
impl<D: TypedDataSource> DataSource<OryClient> for Typed<D> {
    fn type_name(&self) -> &'static str {
        self.0.type_name()
    }

    fn schema(&self) -> Schema {
        self.declared_schema()
    }

    fn validate(&self, config: &Value) -> Diagnostics {
        self.declared_checks(config)
    }

    async fn read(&self, client: &OryClient, config: &Value, diags: &mut Diagnostics) -> Value {
        if !self.served(client, config, diags) {
            return Value::Null;
        }
        let config: D::Model = with_provider_defaults(client, config, diags);
        if diags.has_errors() {
            return Value::Null;
        }
        let subject = self.subject(&config, None);
        match self.0.read(client, config).await {
            Ok(read) => read.to_value(),
            Err(e) => {
                diags.push(diagnose(e, Operation::Read, &subject));
                Value::Null
            }
        }
    }
}

#[async_trait]
pub trait TypedEphemeral: Declared {
    /// The result, and what `close` will need.
    async fn open(&self, client: &OryClient, config: Self::Model) -> Result<(Self::Model, Vec<u8>), Error>;

    /// Errors say what they were doing: `close` has no model to describe.
    async fn close(&self, client: &OryClient, private: &[u8]) -> Result<(), Error>;
}

#[async_trait]
impl<E: TypedEphemeral> EphemeralResource<OryClient> for Typed<E> {
    fn type_name(&self) -> &'static str {
        self.0.type_name()
    }

    fn schema(&self) -> Schema {
        self.declared_schema()
    }

    fn validate(&self, config: &Value) -> Diagnostics {
        self.declared_checks(config)
    }

    async fn open(&self, client: &OryClient, config: &Value, diags: &mut Diagnostics) -> Opened {
        let nothing = Opened { result: Value::Null, private: Vec::new() };
        if !self.served(client, config, diags) {
            return nothing;
        }
        let config: E::Model = with_provider_defaults(client, config, diags);
        if diags.has_errors() {
            return nothing;
        }
        let subject = self.subject(&config, None);
        match self.0.open(client, config).await {
            Ok((result, private)) => Opened { result: result.to_value(), private },
            Err(e) => {
                diags.push(diagnose(e, Operation::Create, &subject));
                nothing
            }
        }
    }

    async fn close(&self, client: &OryClient, private: &[u8], diags: &mut Diagnostics) {
        if let Err(e) = self.0.close(client, private).await {
            let subject = Subject { noun: self.0.noun(), described: String::new(), import_id: None };
            diags.push(diagnose(e, Operation::Delete, &subject));
        }
    }
}
