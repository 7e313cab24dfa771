//! The tfplugin6 gRPC service: decodes each request against the right schema,
//! calls the provider's traits, and encodes the answer. It owns the protocol
//! rules a provider should not have to remember: null plans for destroys,
//! complete objects, state kept on errors, no panic reaching Terraform.

use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock, RwLock};

use tonic::{Request, Response, Status};

use crate::plugin::codec::{decode, encode, forget_write_only, write_only_refused};
use crate::plugin::diag::{Diagnostic, Diagnostics};
use crate::plugin::provider::{
    unknown_type, DataSource, EphemeralResource, MoveRequest, PlanRequest, Provider, Resource,
};
use crate::plugin::rpc::{failed, guarded, try_diag};
use crate::plugin::schema::Schema;
use crate::plugin::value::{Type, Value};
use crate::proto::tfplugin6 as pb;
use crate::proto::tfplugin6::provider_server::Provider as ProviderRpc;

mod data_and_ephemeral;
mod resources;

/// One served type: its implementation, and its schema and implied type,
/// made on first use. A provider process serves the few types of its
/// configuration; making all the others' schemas at startup ran the code of
/// every type, and each page of code run stays in the process's memory.
struct Served<T: ?Sized> {
    imp: Box<T>,
    make: fn(&T) -> Schema,
    schema: OnceLock<(Schema, Type)>,
}

impl<T: ?Sized> Served<T> {
    fn new(imp: Box<T>, make: fn(&T) -> Schema) -> Served<T> {
        Served { imp, make, schema: OnceLock::new() }
    }

    fn made(&self) -> &(Schema, Type) {
        self.schema.get_or_init(|| {
            let schema = (self.make)(&self.imp);
            let ty = schema.implied_type();
            (schema, ty)
        })
    }

    fn schema(&self) -> &Schema {
        &self.made().0
    }

    fn ty(&self) -> &Type {
        &self.made().1
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
    /// The service of `provider`; each type's schema is made when first used.
    pub fn new(provider: P) -> ProviderService<P> {
        let provider_schema = provider.schema();
        let resources: BTreeMap<_, _> =
            provider.resources().into_iter().map(|r| (r.type_name(), Served::new(r, |r| r.schema()))).collect();
        let data_sources: BTreeMap<_, _> =
            provider.data_sources().into_iter().map(|d| (d.type_name(), Served::new(d, |d| d.schema()))).collect();
        let ephemerals: BTreeMap<_, _> = provider
            .ephemeral_resources()
            .into_iter()
            .map(|e| (e.type_name(), Served::new(e, |e| e.schema())))
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
            resource_schemas: self.resources.iter().map(|(n, s)| (n.to_string(), s.schema().to_proto())).collect(),
            data_source_schemas: self
                .data_sources
                .iter()
                .map(|(n, s)| (n.to_string(), s.schema().to_proto()))
                .collect(),
            ephemeral_resource_schemas: self
                .ephemerals
                .iter()
                .map(|(n, s)| (n.to_string(), s.schema().to_proto()))
                .collect(),
            server_capabilities: Some(capabilities()),
            ..Default::default()
        }
    }

    /// The served resource type `name`, or the diagnostic for one not served.
    fn resource(&self, name: &str) -> Result<&Served<dyn Resource<P::Client>>, Diagnostic> {
        lookup(&self.resources, "resource", name)
    }

    fn data_source(&self, name: &str) -> Result<&Served<dyn DataSource<P::Client>>, Diagnostic> {
        lookup(&self.data_sources, "data source", name)
    }

    fn ephemeral(&self, name: &str) -> Result<&Served<dyn EphemeralResource<P::Client>>, Diagnostic> {
        lookup(&self.ephemerals, "ephemeral resource", name)
    }

    /// The opening of every RPC that acts on a resource: the type served,
    /// and the provider configured.
    fn resource_with_client(&self, name: &str) -> ResultWithClient<'_, dyn Resource<P::Client>, P::Client> {
        Ok((self.resource(name)?, self.client()?))
    }

    fn data_source_with_client(&self, name: &str) -> ResultWithClient<'_, dyn DataSource<P::Client>, P::Client> {
        Ok((self.data_source(name)?, self.client()?))
    }

    fn ephemeral_with_client(&self, name: &str) -> ResultWithClient<'_, dyn EphemeralResource<P::Client>, P::Client> {
        Ok((self.ephemeral(name)?, self.client()?))
    }

    fn client(&self) -> Result<Arc<P::Client>, Diagnostic> {
        self.client.read().ok().and_then(|c| c.clone()).ok_or_else(|| {
            Diagnostic::error("Provider not configured", "Terraform called the provider before configuring it.")
        })
    }
}

/// A served type and the configured client, or why an RPC cannot act.
type ResultWithClient<'a, T, C> = Result<(&'a Served<T>, Arc<C>), Diagnostic>;

/// The served type `name` of one kind, or the diagnostic Terraform shows
/// for a type this provider does not serve.
fn lookup<'a, T: ?Sized>(
    served: &'a BTreeMap<&'static str, Served<T>>,
    kind: &str,
    name: &str,
) -> Result<&'a Served<T>, Diagnostic> {
    served.get(name).ok_or_else(|| unknown_type(kind, name))
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
        let req = request.into_inner();
        let type_name = req.type_name.clone();
        guarded("ValidateResourceConfig", &type_name, self.inner.validate_resource_config(req)).await
    }

    async fn validate_data_resource_config(
        &self,
        request: Request<pb::validate_data_resource_config::Request>,
    ) -> Result<Response<pb::validate_data_resource_config::Response>, Status> {
        let req = request.into_inner();
        let type_name = req.type_name.clone();
        guarded("ValidateDataResourceConfig", &type_name, self.inner.validate_data_resource_config(req)).await
    }

    async fn upgrade_resource_state(
        &self,
        request: Request<pb::upgrade_resource_state::Request>,
    ) -> Result<Response<pb::upgrade_resource_state::Response>, Status> {
        let req = request.into_inner();
        let type_name = req.type_name.clone();
        guarded("UpgradeResourceState", &type_name, self.inner.upgrade_resource_state(req)).await
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
        let req = request.into_inner();
        let type_name = req.type_name.clone();
        guarded("ReadResource", &type_name, self.inner.read_resource(req)).await
    }

    async fn plan_resource_change(
        &self,
        request: Request<pb::plan_resource_change::Request>,
    ) -> Result<Response<pb::plan_resource_change::Response>, Status> {
        let req = request.into_inner();
        let type_name = req.type_name.clone();
        guarded("PlanResourceChange", &type_name, self.inner.plan_resource_change(req)).await
    }

    async fn apply_resource_change(
        &self,
        request: Request<pb::apply_resource_change::Request>,
    ) -> Result<Response<pb::apply_resource_change::Response>, Status> {
        let req = request.into_inner();
        let type_name = req.type_name.clone();
        guarded("ApplyResourceChange", &type_name, self.inner.apply_resource_change(req)).await
    }

    async fn import_resource_state(
        &self,
        request: Request<pb::import_resource_state::Request>,
    ) -> Result<Response<pb::import_resource_state::Response>, Status> {
        let req = request.into_inner();
        let type_name = req.type_name.clone();
        guarded("ImportResourceState", &type_name, self.inner.import_resource_state(req)).await
    }

    async fn move_resource_state(
        &self,
        request: Request<pb::move_resource_state::Request>,
    ) -> Result<Response<pb::move_resource_state::Response>, Status> {
        let req = request.into_inner();
        let type_name = req.target_type_name.clone();
        guarded("MoveResourceState", &type_name, self.inner.move_resource_state(req)).await
    }

    async fn read_data_source(
        &self,
        request: Request<pb::read_data_source::Request>,
    ) -> Result<Response<pb::read_data_source::Response>, Status> {
        let req = request.into_inner();
        let type_name = req.type_name.clone();
        guarded("ReadDataSource", &type_name, self.inner.read_data_source(req)).await
    }

    async fn validate_ephemeral_resource_config(
        &self,
        request: Request<pb::validate_ephemeral_resource_config::Request>,
    ) -> Result<Response<pb::validate_ephemeral_resource_config::Response>, Status> {
        let req = request.into_inner();
        let type_name = req.type_name.clone();
        guarded("ValidateEphemeralResourceConfig", &type_name, self.inner.validate_ephemeral_resource_config(req)).await
    }

    async fn open_ephemeral_resource(
        &self,
        request: Request<pb::open_ephemeral_resource::Request>,
    ) -> Result<Response<pb::open_ephemeral_resource::Response>, Status> {
        let req = request.into_inner();
        let type_name = req.type_name.clone();
        guarded("OpenEphemeralResource", &type_name, self.inner.open_ephemeral_resource(req)).await
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
        let req = request.into_inner();
        let type_name = req.type_name.clone();
        guarded("CloseEphemeralResource", &type_name, self.inner.close_ephemeral_resource(req)).await
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
mod tests;
