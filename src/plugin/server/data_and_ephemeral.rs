//! The RPCs of data sources and ephemeral resources.

use super::*;

impl<P: Provider> Inner<P> {
    pub(super) async fn validate_data_resource_config(
        &self,
        req: pb::validate_data_resource_config::Request,
    ) -> pb::validate_data_resource_config::Response {
        let inner = self;
        let d = try_diag!(inner.data_source(&req.type_name));
        let config = try_diag!(decode(req.config.as_ref(), d.ty(), d.schema()));
        failed(d.imp.validate(&config))
    }

    pub(super) async fn read_data_source(&self, req: pb::read_data_source::Request) -> pb::read_data_source::Response {
        let inner = self;
        let (d, client) = try_diag!(inner.data_source_with_client(&req.type_name));
        let config = try_diag!(decode(req.config.as_ref(), d.ty(), d.schema()));
        let mut diags = Diagnostics::new();
        let state = d.imp.read(&client, &config, &mut diags).await;
        pb::read_data_source::Response {
            state: encode(&state, d.ty(), d.schema()),
            diagnostics: diags.to_proto(),
            ..Default::default()
        }
    }

    pub(super) async fn validate_ephemeral_resource_config(
        &self,
        req: pb::validate_ephemeral_resource_config::Request,
    ) -> pb::validate_ephemeral_resource_config::Response {
        let inner = self;
        let e = try_diag!(inner.ephemeral(&req.type_name));
        let config = try_diag!(decode(req.config.as_ref(), e.ty(), e.schema()));
        failed(e.imp.validate(&config))
    }

    pub(super) async fn open_ephemeral_resource(
        &self,
        req: pb::open_ephemeral_resource::Request,
    ) -> pb::open_ephemeral_resource::Response {
        let inner = self;
        let (e, client) = try_diag!(inner.ephemeral_with_client(&req.type_name));
        let config = try_diag!(decode(req.config.as_ref(), e.ty(), e.schema()));
        let mut diags = Diagnostics::new();
        let opened = e.imp.open(&client, &config, &mut diags).await;
        pb::open_ephemeral_resource::Response {
            result: encode(&opened.result, e.ty(), e.schema()),
            private: Some(opened.private),
            diagnostics: diags.to_proto(),
            ..Default::default()
        }
    }

    pub(super) async fn close_ephemeral_resource(
        &self,
        req: pb::close_ephemeral_resource::Request,
    ) -> pb::close_ephemeral_resource::Response {
        let inner = self;
        let (e, client) = try_diag!(inner.ephemeral_with_client(&req.type_name));
        let mut diags = Diagnostics::new();
        e.imp.close(&client, req.private.as_deref().unwrap_or_default(), &mut diags).await;
        failed(diags)
    }
}
