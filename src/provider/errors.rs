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

/// What a user can do after a create whose answer was lost left more new
/// objects than this run could have made: `import_id` turns a candidate's ID
/// into this resource's import ID, or is `None` for keys, whose values are
/// lost with the answer.
pub fn create_error(
    summary: &str,
    subject: &str,
    e: &console::Error,
    import_id: Option<&dyn Fn(&str) -> String>,
) -> Diagnostic {
    let console::Error::Ambiguous { candidates, .. } = e else { return api_error(summary, subject, e) };
    let advice = match import_id {
        Some(import_id) => format!(
            "Nothing was adopted or deleted. If one of them belongs to this resource, import it with \
             `terraform import <address> <id>` ({}); delete in the Ory console those that no other client made, \
             then apply again.",
            candidates.iter().map(|c| format!("id {}", import_id(c))).collect::<Vec<_>>().join(", ")
        ),
        None => "Nothing was deleted. A key's value is shown only once, so none of them can be used by this \
                 resource: delete in the Ory console those that no other client made, then apply again."
            .to_string(),
    };
    Diagnostic::error(summary, format!("{subject}: {e}. {advice}"))
}
