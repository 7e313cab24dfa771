//! The one place where console errors become diagnostics.

use crate::console;
use crate::plugin::Diagnostic;

/// A diagnostic titled by what failed ("Error creating project"), whose
/// detail carries the API's status, message, reason and request ID.
pub fn api_error(summary: &str, subject: &str, e: &console::Error) -> Diagnostic {
    let detail = match e {
        console::Error::Api(api) if api.id.as_deref() == Some("feature_not_available") => {
            let feature = api
                .details
                .as_ref()
                .and_then(|d| d.get("feature"))
                .and_then(|f| f.as_str())
                .map(|f| format!("the feature {f:?}"))
                .unwrap_or_else(|| "this feature".to_string());
            format!("{subject}: the workspace's Ory Network plan does not include {feature}. Upgrade the plan in the Ory console, then apply again. ({api})")
        }
        console::Error::Api(api) if api.status == 401 => {
            format!("{subject}: the workspace API key was refused. Check workspace_api_key or ORY_WORKSPACE_API_KEY. ({api})")
        }
        other => format!("{subject}: {other}"),
    };
    Diagnostic::error(summary, detail)
}
