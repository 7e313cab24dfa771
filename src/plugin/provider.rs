//! The traits a provider implements. The service in `server.rs` turns
//! protocol messages into calls on these, so a provider never sees msgpack,
//! gRPC or the handshake.
//!
//! A provider's `configure` returns its configured client as a typed value
//! `C`; every resource and data source receives `&C` directly.

use async_trait::async_trait;

use crate::plugin::diag::{AttributePath, Diagnostic, Diagnostics};
use crate::plugin::schema::Schema;
use crate::plugin::value::Value;

/// A provider: its own configuration, and the types it serves.
#[async_trait]
pub trait Provider: Send + Sync + 'static {
    /// What `configure` builds and every resource receives.
    type Client: Send + Sync + 'static;

    /// The provider block's schema.
    fn schema(&self) -> Schema;

    /// The managed resource types it serves.
    fn resources(&self) -> Vec<Box<dyn Resource<Self::Client>>>;

    /// The data source types it serves.
    fn data_sources(&self) -> Vec<Box<dyn DataSource<Self::Client>>> {
        Vec::new()
    }

    /// The ephemeral resource types it serves.
    fn ephemeral_resources(&self) -> Vec<Box<dyn EphemeralResource<Self::Client>>> {
        Vec::new()
    }

    /// Checks the provider block before it is configured; values may be unknown.
    fn validate(&self, _config: &Value) -> Diagnostics {
        Diagnostics::new()
    }

    /// The configured client, and any warnings to show with it.
    async fn configure(
        &self,
        config: &Value,
        terraform_version: &str,
    ) -> Result<(Self::Client, Diagnostics), Diagnostics>;

    /// Terraform was interrupted (Ctrl-C): cancel waits and retries in
    /// flight, and answer at once. The process keeps serving.
    fn stop(&self) {}

    /// The process is about to exit: release what it holds for itself.
    /// Terraform kills it 2 s after asking it to exit, so this is cut off
    /// after `server::CLOSE_BUDGET`.
    async fn close(&self) {}
}

/// What Terraform proposes for a managed resource, to be planned.
pub struct PlanRequest<'a> {
    /// Null on create.
    pub prior: &'a Value,
    /// Null on destroy.
    pub config: &'a Value,
    /// Terraform's proposal: config values, with prior values for unset computed attributes.
    pub proposed: &'a Value,
    /// The private data Terraform stored with the prior state.
    pub prior_private: &'a [u8],
}

/// A planned new state.
#[derive(Debug)]
pub struct Planned {
    /// The planned new state, unknown where the apply will tell.
    pub state: Value,
    /// Attributes whose change forces replacement; Terraform keeps those that changed.
    pub requires_replace: Vec<AttributePath>,
    /// Private data to store with the plan; `None` keeps the prior private data.
    pub private: Option<Vec<u8>>,
}

impl Planned {
    /// A plan of `state` that replaces nothing and keeps the prior private data.
    pub fn new(state: Value) -> Planned {
        Planned { state, requires_replace: Vec::new(), private: None }
    }
}

/// A managed resource. Methods report problems through `diags`; an error
/// there fails the call, and the returned state is what Terraform keeps.
#[async_trait]
pub trait Resource<C>: Send + Sync {
    /// The type's name in configurations, such as `ory_project`.
    fn type_name(&self) -> &'static str;

    /// The type's schema: attributes, blocks, and the version of its state.
    fn schema(&self) -> Schema;

    /// Checks a configuration before planning; values may be unknown.
    fn validate(&self, _config: &Value) -> Diagnostics {
        Diagnostics::new()
    }

    /// Plans a create, update or (with a null config) destroy.
    async fn plan(&self, client: &C, req: PlanRequest<'_>, diags: &mut Diagnostics) -> Planned;

    /// Creates the object; the state Terraform keeps (null when nothing was made).
    async fn create(&self, client: &C, planned: &Value, config: &Value, diags: &mut Diagnostics) -> Value;

    /// Refreshes `state` from the remote object. Null means the object is gone.
    async fn read(&self, client: &C, state: &Value, diags: &mut Diagnostics) -> Value;

    /// The object after the change; on an error, the state Terraform should
    /// keep (the prior state when nothing changed).
    async fn update(
        &self,
        client: &C,
        prior: &Value,
        planned: &Value,
        config: &Value,
        diags: &mut Diagnostics,
    ) -> Value;

    /// Deletes the object; an error keeps it in the state.
    async fn delete(&self, client: &C, prior: &Value, diags: &mut Diagnostics);

    /// A partial state from an import ID; Terraform reads the rest next.
    async fn import(&self, _client: &C, _id: &str, diags: &mut Diagnostics) -> Value {
        diags.error("Import not supported", format!("The resource type {} cannot be imported.", self.type_name()));
        Value::Null
    }

    /// Converts stored state written under schema `version` to the current schema.
    fn upgrade_state(&self, version: i64, raw: &serde_json::Value, diags: &mut Diagnostics) -> Value {
        decode_state(&self.schema(), self.type_name(), version, raw, diags)
    }

    /// Converts the state of another resource type moved into this one with a
    /// `moved` block. The default refuses.
    fn move_state(&self, req: MoveRequest<'_>, diags: &mut Diagnostics) -> Value {
        diags.error(
            "Move not supported",
            format!("{} cannot be moved into {}.", req.source_type_name, self.type_name()),
        );
        Value::Null
    }
}

/// A resource of another type, possibly another provider, being moved.
pub struct MoveRequest<'a> {
    /// The address of the provider it was in, such as `registry.terraform.io/ory/ory`.
    pub source_provider_address: &'a str,
    /// Its type there.
    pub source_type_name: &'a str,
    /// The schema version its state was written under.
    pub source_schema_version: i64,
    /// Its state, as stored.
    pub source_state: &'a serde_json::Value,
}

/// A data source.
#[async_trait]
pub trait DataSource<C>: Send + Sync {
    /// The type's name in configurations.
    fn type_name(&self) -> &'static str;

    /// The type's schema.
    fn schema(&self) -> Schema;

    /// Checks a configuration before reading; values may be unknown.
    fn validate(&self, _config: &Value) -> Diagnostics {
        Diagnostics::new()
    }

    /// Reads what `config` names.
    async fn read(&self, client: &C, config: &Value, diags: &mut Diagnostics) -> Value;
}

/// An opened ephemeral resource.
pub struct Opened {
    /// The values of this run, never stored.
    pub result: Value,
    /// What `close` (and `renew`) will need; Terraform hands it back unchanged.
    pub private: Vec<u8>,
}

/// An ephemeral resource: a value that exists only for one Terraform run.
#[async_trait]
pub trait EphemeralResource<C>: Send + Sync {
    /// The type's name in configurations.
    fn type_name(&self) -> &'static str;

    /// The type's schema.
    fn schema(&self) -> Schema;

    /// Checks a configuration before opening; values may be unknown.
    fn validate(&self, _config: &Value) -> Diagnostics {
        Diagnostics::new()
    }

    /// Makes the value for this run.
    async fn open(&self, client: &C, config: &Value, diags: &mut Diagnostics) -> Opened;

    /// Ends it, with what `open` kept in `private`.
    async fn close(&self, client: &C, private: &[u8], diags: &mut Diagnostics);
}

/// The diagnostic for an RPC that names a type this provider does not serve.
pub fn unknown_type(kind: &str, name: &str) -> Diagnostic {
    Diagnostic::error(format!("Unknown {kind} type"), format!("This provider has no {kind} type {name:?}."))
}

/// Stored state written under schema `version`, as the current `schema`
/// reads it.
pub fn decode_state(
    schema: &Schema,
    type_name: &str,
    version: i64,
    raw: &serde_json::Value,
    diags: &mut Diagnostics,
) -> Value {
    if version != schema.version {
        diags.error(
            "Unsupported state version",
            format!(
                "State for {} was written with schema version {version}; this provider reads version {}.",
                type_name, schema.version
            ),
        );
        return Value::Null;
    }
    match Value::from_json(raw, &schema.implied_type()) {
        Ok(v) => v,
        // A state another provider wrote under this type's name (Ory's
        // own, before `terraform state replace-provider`): each attribute
        // that fits is kept, a number or switch where a string belongs
        // becomes its text, and what does not fit is left for the next
        // refresh to read.
        Err(e) => match Value::from_json_attribute_wise(raw, &schema.implied_type()) {
            Some((v, dropped)) => {
                if !dropped.is_empty() {
                    diags.warning(
                        "State attributes not carried over",
                        format!(
                            "The stored state of {} held {} in another shape than this provider's; the next refresh reads them from Ory.",
                            type_name,
                            dropped.join(", ")
                        ),
                    );
                }
                v
            }
            None => {
                diags.error(
                    "Unreadable state",
                    format!("The stored state of {} does not fit its schema: {e}", type_name),
                );
                Value::Null
            }
        },
    }
}
