//! The tfplugin6 gRPC service: decodes each request against the right schema,
//! calls the provider's traits, and encodes the answer. It owns the protocol
//! rules a provider should not have to remember: null plans for destroys,
//! complete objects, state kept on errors, no panic reaching Terraform.

use std::collections::BTreeMap;
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::sync::{Arc, OnceLock, RwLock};
use std::time::Instant;

use futures::FutureExt;
use tonic::{Request, Response, Status};

use crate::plugin::diag::{Diagnostic, Diagnostics};
use crate::plugin::provider::{
    unknown_type, DataSource, EphemeralResource, MoveRequest, PlanRequest, Provider, Resource,
};
use crate::plugin::schema::Schema;
use crate::plugin::value::{Type, Value};
use crate::proto::tfplugin6 as pb;
use crate::proto::tfplugin6::provider_server::Provider as ProviderRpc;

/// One served type: its implementation, schema and implied type, computed once.
struct Served<T: ?Sized> {
    imp: Box<T>,
    schema: Schema,
    ty: Type,
}

impl<T: ?Sized> Served<T> {
    fn new(imp: Box<T>, schema: Schema) -> Served<T> {
        let ty = schema.implied_type();
        Served { imp, schema, ty }
    }
}

struct Inner<P: Provider> {
    provider: P,
    provider_type: Type,
    resources: BTreeMap<&'static str, Served<dyn Resource<P::Client>>>,
    data_sources: BTreeMap<&'static str, Served<dyn DataSource<P::Client>>>,
    ephemerals: BTreeMap<&'static str, Served<dyn EphemeralResource<P::Client>>>,
    provider_schema: Schema,
    /// Built on the first GetProviderSchema: Terraform caches schemas, so most
    /// provider processes it starts are never asked.
    schema_response: OnceLock<pb::get_provider_schema::Response>,
    client: RwLock<Option<Arc<P::Client>>>,
}

/// The gRPC service for one provider process.
pub struct ProviderService<P: Provider> {
    inner: Arc<Inner<P>>,
}

impl<P: Provider> Clone for ProviderService<P> {
    fn clone(&self) -> Self {
        ProviderService { inner: self.inner.clone() }
    }
}

impl<P: Provider> ProviderService<P> {
    pub fn new(provider: P) -> ProviderService<P> {
        let provider_schema = provider.schema();
        let resources: BTreeMap<_, _> = provider
            .resources()
            .into_iter()
            .map(|r| {
                let schema = r.schema();
                (r.type_name(), Served::new(r, schema))
            })
            .collect();
        let data_sources: BTreeMap<_, _> = provider
            .data_sources()
            .into_iter()
            .map(|d| {
                let schema = d.schema();
                (d.type_name(), Served::new(d, schema))
            })
            .collect();
        let ephemerals: BTreeMap<_, _> = provider
            .ephemeral_resources()
            .into_iter()
            .map(|e| {
                let schema = e.schema();
                (e.type_name(), Served::new(e, schema))
            })
            .collect();
        ProviderService {
            inner: Arc::new(Inner {
                provider_type: provider_schema.implied_type(),
                provider,
                resources,
                data_sources,
                ephemerals,
                provider_schema,
                schema_response: OnceLock::new(),
                client: RwLock::new(None),
            }),
        }
    }
}

impl<P: Provider> ProviderService<P> {
    /// What `StopProvider` does, for a signal.
    pub(crate) fn stop(&self) {
        self.inner.provider.stop();
    }

    /// What the provider releases as the process ends, within [`CLOSE_BUDGET`].
    pub(crate) async fn close(&self) {
        if tokio::time::timeout(CLOSE_BUDGET, self.inner.provider.close()).await.is_err() {
            tracing::warn!("the provider did not finish releasing what it holds before exiting");
        }
    }
}

/// How long the provider may take to release what it holds once Terraform
/// asked it to exit: Terraform kills the process 2 s after asking.
pub const CLOSE_BUDGET: std::time::Duration = std::time::Duration::from_millis(1500);

fn capabilities() -> pb::ServerCapabilities {
    pb::ServerCapabilities { plan_destroy: true, get_provider_schema_optional: true, move_resource_state: true }
}

impl<P: Provider> Inner<P> {
    fn schemas(&self) -> pb::get_provider_schema::Response {
        pb::get_provider_schema::Response {
            provider: Some(self.provider_schema.to_proto()),
            resource_schemas: self.resources.iter().map(|(n, s)| (n.to_string(), s.schema.to_proto())).collect(),
            data_source_schemas: self.data_sources.iter().map(|(n, s)| (n.to_string(), s.schema.to_proto())).collect(),
            ephemeral_resource_schemas: self
                .ephemerals
                .iter()
                .map(|(n, s)| (n.to_string(), s.schema.to_proto()))
                .collect(),
            server_capabilities: Some(capabilities()),
            ..Default::default()
        }
    }

    fn client(&self) -> Result<Arc<P::Client>, Diagnostic> {
        self.client.read().ok().and_then(|c| c.clone()).ok_or_else(|| {
            Diagnostic::error("Provider not configured", "Terraform called the provider before configuring it.")
        })
    }
}

/// The served type `name` of one kind, or the diagnostic Terraform shows
/// for a type this provider does not serve.
fn lookup<'a, T: ?Sized>(
    served: &'a BTreeMap<&'static str, Served<T>>,
    kind: &str,
    name: &str,
) -> Result<&'a Served<T>, Diagnostic> {
    served.get(name).ok_or_else(|| unknown_type(kind, name))
}

/// A state or plan as Terraform must receive it: write-only attributes null.
fn forget_write_only(schema: &Schema, mut state: Value) -> Value {
    if matches!(state, Value::Object(_)) {
        for name in schema.write_only() {
            state.set_attr(name, Value::Null);
        }
    }
    state
}

/// Write-only attributes set in a configuration for a Terraform that would
/// store them (before 1.11 it ignores the flag): refused, one per attribute.
/// A value not known yet (`terraform validate`, and the validation Terraform
/// runs before planning, see variables as unknown) is judged when Terraform
/// validates the configuration again with the value, just before its plan:
/// a variable that turns out null is fine.
fn write_only_refused(schema: &Schema, config: &Value, allowed: bool) -> Diagnostics {
    let mut diags = Diagnostics::new();
    if allowed {
        return diags;
    }
    let set = |name: &&str| {
        let value = config.attr(name);
        !value.is_null() && !value.is_unknown()
    };
    for name in schema.write_only().filter(set) {
        diags.push(
            Diagnostic::error(
                "Write-only attribute needs a newer Terraform",
                format!(
                    "{name} is write-only: its value must never be stored. This Terraform (or OpenTofu) does not support write-only attributes and would store it in the state. Use Terraform 1.11 or OpenTofu 1.11 or later, or leave {name} out."
                ),
            )
            .at(crate::plugin::AttributePath::attr(name)),
        );
    }
    diags
}

/// A value from Terraform, its sensitive strings learnt (see `secrets`).
fn decode(dv: Option<&pb::DynamicValue>, ty: &Type, schema: &Schema) -> Result<Value, Diagnostic> {
    let value = decode_value(dv, ty)?;
    crate::plugin::secrets::learn_sensitive(schema, &value);
    Ok(value)
}

fn decode_value(dv: Option<&pb::DynamicValue>, ty: &Type) -> Result<Value, Diagnostic> {
    let Some(dv) = dv else { return Ok(Value::Null) };
    let result = if !dv.msgpack.is_empty() {
        Value::from_msgpack(&dv.msgpack, ty)
    } else if !dv.json.is_empty() {
        serde_json::from_slice(&dv.json)
            .map_err(|e| crate::plugin::value::DecodeError { path: "(root)".into(), message: e.to_string() })
            .and_then(|j| Value::from_json(&j, ty))
    } else {
        Ok(Value::Null)
    };
    result.map_err(|e| {
        Diagnostic::error("Malformed value from Terraform", format!("The provider could not decode a value: {e}"))
    })
}

/// A value for Terraform, its sensitive strings learnt: a key's value
/// made here is hidden from every later message of this process.
fn encode(v: &Value, ty: &Type, schema: &Schema) -> Option<pb::DynamicValue> {
    crate::plugin::secrets::learn_sensitive(schema, v);
    Some(pb::DynamicValue { msgpack: v.to_msgpack(ty), json: Vec::new() })
}

/// Responses that can carry diagnostics, so that any failure, a panic
/// included, can become a well-formed answer.
trait WithDiagnostics: Default {
    fn set_diagnostics(&mut self, d: Vec<pb::Diagnostic>);
}

macro_rules! with_diagnostics {
    ($($t:ty),* $(,)?) => {
        $(impl WithDiagnostics for $t {
            fn set_diagnostics(&mut self, d: Vec<pb::Diagnostic>) {
                self.diagnostics = d;
            }
        })*
    };
}

with_diagnostics!(
    pb::get_metadata::Response,
    pb::get_provider_schema::Response,
    pb::validate_provider_config::Response,
    pb::validate_resource_config::Response,
    pb::validate_data_resource_config::Response,
    pb::upgrade_resource_state::Response,
    pb::get_resource_identity_schemas::Response,
    pb::upgrade_resource_identity::Response,
    pb::configure_provider::Response,
    pb::read_resource::Response,
    pb::plan_resource_change::Response,
    pb::apply_resource_change::Response,
    pb::import_resource_state::Response,
    pb::move_resource_state::Response,
    pb::read_data_source::Response,
    pb::validate_ephemeral_resource_config::Response,
    pb::open_ephemeral_resource::Response,
    pb::renew_ephemeral_resource::Response,
    pb::close_ephemeral_resource::Response,
    pb::get_functions::Response,
);

fn failed<R: WithDiagnostics>(d: impl Into<Diagnostics>) -> R {
    let mut r = R::default();
    r.set_diagnostics(d.into().to_proto());
    r
}

/// Runs one RPC handler: logs it, and turns a panic into an error
/// diagnostic with no backtrace (the panic hook logs the details).
async fn guarded<R, F>(rpc: &'static str, type_name: &str, handler: F) -> Result<Response<R>, Status>
where
    R: WithDiagnostics,
    F: Future<Output = R>,
{
    let started = Instant::now();
    tracing::debug!(tf_rpc = rpc, tf_type = type_name, "Received request");
    let response = match AssertUnwindSafe(handler).catch_unwind().await {
        Ok(r) => r,
        Err(_) => failed(Diagnostic::error(
            "Provider internal error",
            format!(
                "The provider failed unexpectedly while handling {rpc}. This is a bug in the provider; \
                 run with TF_LOG_PROVIDER=error to see its log, and please report it."
            ),
        )),
    };
    tracing::debug!(
        tf_rpc = rpc,
        tf_type = type_name,
        tf_req_duration_ms = started.elapsed().as_millis() as u64,
        "Served request"
    );
    Ok(Response::new(response))
}

macro_rules! try_diag {
    ($e:expr) => {
        match $e {
            Ok(v) => v,
            Err(d) => return failed(d),
        }
    };
}

#[tonic::async_trait]
impl<P: Provider> ProviderRpc for ProviderService<P> {
    async fn get_metadata(
        &self,
        _request: Request<pb::get_metadata::Request>,
    ) -> Result<Response<pb::get_metadata::Response>, Status> {
        let inner = &self.inner;
        guarded("GetMetadata", "", async {
            pb::get_metadata::Response {
                server_capabilities: Some(capabilities()),
                resources: inner
                    .resources
                    .keys()
                    .map(|n| pb::get_metadata::ResourceMetadata { type_name: n.to_string() })
                    .collect(),
                data_sources: inner
                    .data_sources
                    .keys()
                    .map(|n| pb::get_metadata::DataSourceMetadata { type_name: n.to_string() })
                    .collect(),
                ephemeral_resources: inner
                    .ephemerals
                    .keys()
                    .map(|n| pb::get_metadata::EphemeralMetadata { type_name: n.to_string() })
                    .collect(),
                ..Default::default()
            }
        })
        .await
    }

    async fn get_provider_schema(
        &self,
        _request: Request<pb::get_provider_schema::Request>,
    ) -> Result<Response<pb::get_provider_schema::Response>, Status> {
        let inner = &self.inner;
        guarded("GetProviderSchema", "", async { inner.schema_response.get_or_init(|| inner.schemas()).clone() }).await
    }

    async fn validate_provider_config(
        &self,
        request: Request<pb::validate_provider_config::Request>,
    ) -> Result<Response<pb::validate_provider_config::Response>, Status> {
        let inner = &self.inner;
        let req = request.into_inner();
        guarded("ValidateProviderConfig", "", async {
            let config = try_diag!(decode(req.config.as_ref(), &inner.provider_type, &inner.provider_schema));
            failed(inner.provider.validate(&config))
        })
        .await
    }

    async fn validate_resource_config(
        &self,
        request: Request<pb::validate_resource_config::Request>,
    ) -> Result<Response<pb::validate_resource_config::Response>, Status> {
        let inner = &self.inner;
        let req = request.into_inner();
        guarded("ValidateResourceConfig", &req.type_name, async {
            let r = try_diag!(lookup(&inner.resources, "resource", &req.type_name));
            let config = try_diag!(decode(req.config.as_ref(), &r.ty, &r.schema));
            let allowed = req.client_capabilities.is_some_and(|c| c.write_only_attributes_allowed);
            let mut diags = write_only_refused(&r.schema, &config, allowed);
            diags.0.extend(r.imp.validate(&config).0);
            failed(diags)
        })
        .await
    }

    async fn validate_data_resource_config(
        &self,
        request: Request<pb::validate_data_resource_config::Request>,
    ) -> Result<Response<pb::validate_data_resource_config::Response>, Status> {
        let inner = &self.inner;
        let req = request.into_inner();
        guarded("ValidateDataResourceConfig", &req.type_name, async {
            let d = try_diag!(lookup(&inner.data_sources, "data source", &req.type_name));
            let config = try_diag!(decode(req.config.as_ref(), &d.ty, &d.schema));
            failed(d.imp.validate(&config))
        })
        .await
    }

    async fn upgrade_resource_state(
        &self,
        request: Request<pb::upgrade_resource_state::Request>,
    ) -> Result<Response<pb::upgrade_resource_state::Response>, Status> {
        let inner = &self.inner;
        let req = request.into_inner();
        guarded("UpgradeResourceState", &req.type_name, async {
            let r = try_diag!(lookup(&inner.resources, "resource", &req.type_name));
            let raw = req.raw_state.unwrap_or_default();
            if raw.json.is_empty() {
                return failed(Diagnostic::error(
                    "Unsupported state format",
                    "This state was written by Terraform before 0.12 (flatmap); upgrade it with an older provider first.",
                ));
            }
            let json: serde_json::Value = try_diag!(serde_json::from_slice(&raw.json)
                .map_err(|e| Diagnostic::error("Unreadable state", format!("Stored state is not valid JSON: {e}"))));
            let mut diags = Diagnostics::new();
            let upgraded = r.imp.upgrade_state(req.version, &json, &mut diags);
            pb::upgrade_resource_state::Response {
                upgraded_state: encode(&forget_write_only(&r.schema, upgraded), &r.ty, &r.schema),
                diagnostics: diags.to_proto(),
            }
        })
        .await
    }

    async fn get_resource_identity_schemas(
        &self,
        _request: Request<pb::get_resource_identity_schemas::Request>,
    ) -> Result<Response<pb::get_resource_identity_schemas::Response>, Status> {
        // No resource has an identity yet; an empty map says so.
        guarded("GetResourceIdentitySchemas", "", async { pb::get_resource_identity_schemas::Response::default() })
            .await
    }

    async fn upgrade_resource_identity(
        &self,
        request: Request<pb::upgrade_resource_identity::Request>,
    ) -> Result<Response<pb::upgrade_resource_identity::Response>, Status> {
        let req = request.into_inner();
        guarded("UpgradeResourceIdentity", &req.type_name, async {
            failed(Diagnostic::error("No resource identity", format!("{} has no identity schema.", req.type_name)))
        })
        .await
    }

    async fn configure_provider(
        &self,
        request: Request<pb::configure_provider::Request>,
    ) -> Result<Response<pb::configure_provider::Response>, Status> {
        let inner = &self.inner;
        let req = request.into_inner();
        guarded("ConfigureProvider", "", async {
            let config = try_diag!(decode(req.config.as_ref(), &inner.provider_type, &inner.provider_schema));
            match inner.provider.configure(&config, &req.terraform_version).await {
                Ok((client, warnings)) => {
                    if let Ok(mut slot) = inner.client.write() {
                        *slot = Some(Arc::new(client));
                    }
                    pb::configure_provider::Response { diagnostics: warnings.to_proto() }
                }
                Err(diags) => failed(diags),
            }
        })
        .await
    }

    async fn read_resource(
        &self,
        request: Request<pb::read_resource::Request>,
    ) -> Result<Response<pb::read_resource::Response>, Status> {
        let inner = &self.inner;
        let req = request.into_inner();
        guarded("ReadResource", &req.type_name, async {
            let r = try_diag!(lookup(&inner.resources, "resource", &req.type_name));
            let client = try_diag!(inner.client());
            let current = try_diag!(decode(req.current_state.as_ref(), &r.ty, &r.schema));
            let mut diags = Diagnostics::new();
            let mut new_state = r.imp.read(&client, &current, &mut diags).await;
            // A failed read must never make Terraform forget the object.
            if diags.has_errors() {
                new_state = current;
            }
            pb::read_resource::Response {
                new_state: encode(&forget_write_only(&r.schema, new_state), &r.ty, &r.schema),
                diagnostics: diags.to_proto(),
                private: req.private,
                ..Default::default()
            }
        })
        .await
    }

    async fn plan_resource_change(
        &self,
        request: Request<pb::plan_resource_change::Request>,
    ) -> Result<Response<pb::plan_resource_change::Response>, Status> {
        let inner = &self.inner;
        let req = request.into_inner();
        guarded("PlanResourceChange", &req.type_name, async {
            let r = try_diag!(lookup(&inner.resources, "resource", &req.type_name));
            let client = try_diag!(inner.client());
            let prior = try_diag!(decode(req.prior_state.as_ref(), &r.ty, &r.schema));
            let config = try_diag!(decode(req.config.as_ref(), &r.ty, &r.schema));
            let proposed = try_diag!(decode(req.proposed_new_state.as_ref(), &r.ty, &r.schema));
            if prior.is_null() && config.is_null() {
                return pb::plan_resource_change::Response {
                    planned_state: encode(&Value::Null, &r.ty, &r.schema),
                    ..Default::default()
                };
            }
            let mut diags = Diagnostics::new();
            let planned = r
                .imp
                .plan(
                    &client,
                    PlanRequest {
                        prior: &prior,
                        config: &config,
                        proposed: &proposed,
                        prior_private: &req.prior_private,
                    },
                    &mut diags,
                )
                .await;
            // A destroy plans null, whatever the resource answered.
            let state = if config.is_null() { Value::Null } else { forget_write_only(&r.schema, planned.state) };
            pb::plan_resource_change::Response {
                planned_state: encode(&state, &r.ty, &r.schema),
                requires_replace: if prior.is_null() {
                    Vec::new()
                } else {
                    planned.requires_replace.iter().map(|p| p.to_proto()).collect()
                },
                planned_private: planned.private.unwrap_or(req.prior_private),
                diagnostics: diags.to_proto(),
                ..Default::default()
            }
        })
        .await
    }

    async fn apply_resource_change(
        &self,
        request: Request<pb::apply_resource_change::Request>,
    ) -> Result<Response<pb::apply_resource_change::Response>, Status> {
        let inner = &self.inner;
        let req = request.into_inner();
        guarded("ApplyResourceChange", &req.type_name, async {
            let r = try_diag!(lookup(&inner.resources, "resource", &req.type_name));
            let client = try_diag!(inner.client());
            let prior = try_diag!(decode(req.prior_state.as_ref(), &r.ty, &r.schema));
            let planned = try_diag!(decode(req.planned_state.as_ref(), &r.ty, &r.schema));
            let config = try_diag!(decode(req.config.as_ref(), &r.ty, &r.schema));
            let mut diags = Diagnostics::new();
            let new_state = if planned.is_null() {
                r.imp.delete(&client, &prior, &mut diags).await;
                // A failed delete leaves the object, so it stays in state.
                if diags.has_errors() {
                    prior
                } else {
                    Value::Null
                }
            } else if prior.is_null() {
                r.imp.create(&client, &planned, &config, &mut diags).await
            } else {
                r.imp.update(&client, &prior, &planned, &config, &mut diags).await
            };
            pb::apply_resource_change::Response {
                new_state: encode(&forget_write_only(&r.schema, new_state), &r.ty, &r.schema),
                private: req.planned_private,
                diagnostics: diags.to_proto(),
                ..Default::default()
            }
        })
        .await
    }

    async fn import_resource_state(
        &self,
        request: Request<pb::import_resource_state::Request>,
    ) -> Result<Response<pb::import_resource_state::Response>, Status> {
        let inner = &self.inner;
        let req = request.into_inner();
        guarded("ImportResourceState", &req.type_name, async {
            let r = try_diag!(lookup(&inner.resources, "resource", &req.type_name));
            let client = try_diag!(inner.client());
            let mut diags = Diagnostics::new();
            let state = r.imp.import(&client, &req.id, &mut diags).await;
            let imported_resources = if diags.has_errors() {
                Vec::new()
            } else {
                vec![pb::import_resource_state::ImportedResource {
                    type_name: req.type_name.clone(),
                    state: encode(&forget_write_only(&r.schema, state), &r.ty, &r.schema),
                    ..Default::default()
                }]
            };
            pb::import_resource_state::Response {
                imported_resources,
                diagnostics: diags.to_proto(),
                ..Default::default()
            }
        })
        .await
    }

    async fn move_resource_state(
        &self,
        request: Request<pb::move_resource_state::Request>,
    ) -> Result<Response<pb::move_resource_state::Response>, Status> {
        let inner = &self.inner;
        let req = request.into_inner();
        guarded("MoveResourceState", &req.target_type_name, async {
            let r = try_diag!(lookup(&inner.resources, "resource", &req.target_type_name));
            let raw = req.source_state.unwrap_or_default();
            let json: serde_json::Value = try_diag!(serde_json::from_slice(&raw.json)
                .map_err(|e| Diagnostic::error("Unreadable state", format!("The moved state is not valid JSON: {e}"))));
            let mut diags = Diagnostics::new();
            let state = r.imp.move_state(
                MoveRequest {
                    source_provider_address: &req.source_provider_address,
                    source_type_name: &req.source_type_name,
                    source_schema_version: req.source_schema_version,
                    source_state: &json,
                },
                &mut diags,
            );
            pb::move_resource_state::Response {
                target_state: encode(&state, &r.ty, &r.schema),
                target_private: req.source_private,
                diagnostics: diags.to_proto(),
                ..Default::default()
            }
        })
        .await
    }

    async fn read_data_source(
        &self,
        request: Request<pb::read_data_source::Request>,
    ) -> Result<Response<pb::read_data_source::Response>, Status> {
        let inner = &self.inner;
        let req = request.into_inner();
        guarded("ReadDataSource", &req.type_name, async {
            let d = try_diag!(lookup(&inner.data_sources, "data source", &req.type_name));
            let client = try_diag!(inner.client());
            let config = try_diag!(decode(req.config.as_ref(), &d.ty, &d.schema));
            let mut diags = Diagnostics::new();
            let state = d.imp.read(&client, &config, &mut diags).await;
            pb::read_data_source::Response {
                state: encode(&state, &d.ty, &d.schema),
                diagnostics: diags.to_proto(),
                ..Default::default()
            }
        })
        .await
    }

    async fn validate_ephemeral_resource_config(
        &self,
        request: Request<pb::validate_ephemeral_resource_config::Request>,
    ) -> Result<Response<pb::validate_ephemeral_resource_config::Response>, Status> {
        let inner = &self.inner;
        let req = request.into_inner();
        guarded("ValidateEphemeralResourceConfig", &req.type_name, async {
            let e = try_diag!(lookup(&inner.ephemerals, "ephemeral resource", &req.type_name));
            let config = try_diag!(decode(req.config.as_ref(), &e.ty, &e.schema));
            failed(e.imp.validate(&config))
        })
        .await
    }

    async fn open_ephemeral_resource(
        &self,
        request: Request<pb::open_ephemeral_resource::Request>,
    ) -> Result<Response<pb::open_ephemeral_resource::Response>, Status> {
        let inner = &self.inner;
        let req = request.into_inner();
        guarded("OpenEphemeralResource", &req.type_name, async {
            let e = try_diag!(lookup(&inner.ephemerals, "ephemeral resource", &req.type_name));
            let client = try_diag!(inner.client());
            let config = try_diag!(decode(req.config.as_ref(), &e.ty, &e.schema));
            let mut diags = Diagnostics::new();
            let opened = e.imp.open(&client, &config, &mut diags).await;
            pb::open_ephemeral_resource::Response {
                result: encode(&opened.result, &e.ty, &e.schema),
                private: Some(opened.private),
                diagnostics: diags.to_proto(),
                ..Default::default()
            }
        })
        .await
    }

    async fn renew_ephemeral_resource(
        &self,
        request: Request<pb::renew_ephemeral_resource::Request>,
    ) -> Result<Response<pb::renew_ephemeral_resource::Response>, Status> {
        let req = request.into_inner();
        // No ephemeral resource asks for renewal (none sets renew_at), so
        // Terraform never calls this; the private data is kept as it was.
        guarded("RenewEphemeralResource", &req.type_name, async {
            pb::renew_ephemeral_resource::Response { private: req.private, ..Default::default() }
        })
        .await
    }

    async fn close_ephemeral_resource(
        &self,
        request: Request<pb::close_ephemeral_resource::Request>,
    ) -> Result<Response<pb::close_ephemeral_resource::Response>, Status> {
        let inner = &self.inner;
        let req = request.into_inner();
        guarded("CloseEphemeralResource", &req.type_name, async {
            let e = try_diag!(lookup(&inner.ephemerals, "ephemeral resource", &req.type_name));
            let client = try_diag!(inner.client());
            let mut diags = Diagnostics::new();
            e.imp.close(&client, req.private.as_deref().unwrap_or_default(), &mut diags).await;
            failed(diags)
        })
        .await
    }

    async fn get_functions(
        &self,
        _request: Request<pb::get_functions::Request>,
    ) -> Result<Response<pb::get_functions::Response>, Status> {
        guarded("GetFunctions", "", async { pb::get_functions::Response::default() }).await
    }

    async fn call_function(
        &self,
        request: Request<pb::call_function::Request>,
    ) -> Result<Response<pb::call_function::Response>, Status> {
        let name = request.into_inner().name;
        Ok(Response::new(pb::call_function::Response {
            result: None,
            error: Some(pb::FunctionError {
                text: format!("This provider has no function {name:?}."),
                function_argument: None,
            }),
        }))
    }

    async fn stop_provider(
        &self,
        _request: Request<pb::stop_provider::Request>,
    ) -> Result<Response<pb::stop_provider::Response>, Status> {
        tracing::info!(tf_rpc = "StopProvider", "Terraform asked the provider to stop");
        self.inner.provider.stop();
        Ok(Response::new(pb::stop_provider::Response { error: String::new() }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plugin::schema::Attribute;

    fn schema() -> Schema {
        Schema::new(
            "s",
            vec![
                Attribute::string("name").optional(),
                Attribute::string("secret_wo").optional().sensitive().write_only(),
            ],
        )
    }

    #[test]
    fn write_only_values_never_leave_and_an_older_terraform_is_refused() {
        let config = Value::object([("name", Value::string("n")), ("secret_wo", Value::string("s"))]);
        assert_eq!(
            forget_write_only(&schema(), config.clone()),
            Value::object([("name", Value::string("n")), ("secret_wo", Value::Null)])
        );
        assert!(write_only_refused(&schema(), &config, true).0.is_empty());
        let refused = write_only_refused(&schema(), &config, false);
        assert_eq!(refused.0.len(), 1);
        assert!(refused.0[0].detail.contains("Terraform 1.11"), "{}", refused.0[0].detail);
        let unset = Value::object([("name", Value::string("n")), ("secret_wo", Value::Null)]);
        assert!(write_only_refused(&schema(), &unset, false).0.is_empty());
        let not_yet_known = Value::object([("name", Value::string("n")), ("secret_wo", Value::Unknown)]);
        assert!(write_only_refused(&schema(), &not_yet_known, false).0.is_empty());
    }
}
