//! What every RPC answer shares: diagnostics, a failure that is always a
//! well-formed answer, and the guard that logs a call and turns a panic
//! into an error diagnostic.

use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::time::Instant;

use futures::FutureExt;
use tonic::{Response, Status};

use crate::plugin::diag::{Diagnostic, Diagnostics};
use crate::proto::tfplugin6 as pb;

/// Responses that can carry diagnostics, so that any failure, a panic
/// included, can become a well-formed answer.
pub(super) trait WithDiagnostics: Default {
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

pub(super) fn failed<R: WithDiagnostics>(d: impl Into<Diagnostics>) -> R {
    let mut r = R::default();
    r.set_diagnostics(d.into().to_proto());
    r
}

/// Runs one RPC handler: logs it, and turns a panic into an error
/// diagnostic with no backtrace (the panic hook logs the details).
pub(super) async fn guarded<R, F>(rpc: &'static str, type_name: &str, handler: F) -> Result<Response<R>, Status>
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

/// The value of a `Result`, or the RPC answers with its diagnostic.
macro_rules! try_diag {
    ($e:expr) => {
        match $e {
            Ok(v) => v,
            Err(d) => return failed(d),
        }
    };
}
pub(super) use try_diag;
