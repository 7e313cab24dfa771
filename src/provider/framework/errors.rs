//! The one error type of resource handlers, and the one place where errors
//! become diagnostics.

use crate::console;
use crate::http::Reach;
use crate::plugin::{AttributePath, Diagnostic};
use crate::provider::framework::setting::{ENV_ALLOWED_PROJECT_IDS, ENV_WORKSPACE_API_KEY};

/// Why a handler failed.
#[derive(Debug)]
pub enum Error {
    /// The console API failed. `doing` says what was being done, when that
    /// is more than the operation on the object.
    Api { error: console::Error, doing: Option<String> },
    /// A rule of this provider refused (a protection, a timeout, bad input).
    Refused(Diagnostic),
}

impl From<console::Error> for Error {
    fn from(error: console::Error) -> Error {
        Error::Api { error, doing: None }
    }
}

impl From<Diagnostic> for Error {
    fn from(d: Diagnostic) -> Error {
        Error::Refused(d)
    }
}

impl Error {
    /// A console error while doing something more particular than the
    /// operation, such as "Moving project X to environment dev".
    pub fn doing(error: console::Error, doing: impl Into<String>) -> Error {
        Error::Api { error, doing: Some(doing.into()) }
    }

    /// A refusal on one attribute.
    pub fn on(attr: &str, summary: impl Into<String>, detail: impl Into<String>) -> Error {
        Error::Refused(Diagnostic::error(summary, detail).at(AttributePath::attr(attr)))
    }

    /// A refusal about the whole object.
    pub fn refused(summary: impl Into<String>, detail: impl Into<String>) -> Error {
        Error::Refused(Diagnostic::error(summary, detail))
    }
}

/// What a handler was doing, for the diagnostic's words.
#[derive(Clone, Copy, Debug)]
pub enum Operation {
    Create,
    Read,
    Update,
    Delete,
}

impl Operation {
    /// The verb for a summary ("Could not create ...": Terraform puts
    /// "Error:" before it) and the word for a detail ("Creating ...").
    fn words(self) -> (&'static str, &'static str) {
        match self {
            Operation::Create => ("create", "Creating"),
            Operation::Read => ("read", "Reading"),
            Operation::Update => ("change", "Changing"),
            Operation::Delete => ("delete", "Deleting"),
        }
    }
}

/// What the diagnostic needs to know about the object.
pub struct Subject<'a> {
    /// "project API key", "event stream".
    pub noun: &'a str,
    /// "API key \"ci\" of project 3fa8...": the object, as a user tells it apart.
    pub described: String,
    /// For a create whose answer was lost: a candidate's ID as this
    /// resource's import ID; `None` when a candidate could never be used
    /// (a key, whose value is lost with the answer).
    pub import_id: Option<&'a (dyn Fn(&str) -> String + Sync)>,
}

/// The diagnostic of a failed handler: titled by what failed ("Could not create
/// project"); the detail says on what, then the API's status, message,
/// reason and request ID, and what to do where this provider knows.
pub fn diagnose(e: Error, op: Operation, subject: &Subject<'_>) -> Diagnostic {
    let (error, doing) = match e {
        Error::Refused(d) => return d,
        Error::Api { error, doing } => (error, doing),
    };
    let (verb, doing_word) = op.words();
    let doing = doing.unwrap_or_else(|| format!("{doing_word} {}", subject.described));
    Diagnostic::error(format!("Could not {verb} {}", subject.noun), format!("{doing}: {}", explain(&error, subject)))
}

/// The provider settings of the address of an API.
fn url_setting(reach: Reach) -> &'static str {
    match reach {
        Reach::Console => "console_api_url (or ORY_CONSOLE_API_URL)",
        Reach::ProjectApi | Reach::RegistrationToken => "project_api_url (or ORY_PROJECT_API_URL)",
        Reach::SelfHosted => "kratos_admin_url, hydra_admin_url, hydra_public_url, keto_read_url or keto_write_url",
    }
}

/// What a 401 from an API means, in the provider's settings.
fn refused_credential(reach: Reach) -> &'static str {
    match reach {
        Reach::Console => "the workspace API key was refused. Check workspace_api_key or ORY_WORKSPACE_API_KEY.",
        Reach::ProjectApi => "the project API key was refused: project_api_key (ORY_PROJECT_API_KEY) with its project_slug, or the temporary key the provider made for the project.",
        Reach::RegistrationToken => "the client's registration access token was refused.",
        Reach::SelfHosted => "the self-hosted server asked for a credential; the provider sends none to it (put its admin API on a network only the provider reaches).",
    }
}

/// The error's own words, with what a user can do about it.
fn explain(e: &console::Error, subject: &Subject<'_>) -> String {
    match e {
        console::Error::Api(api) if api.id.as_deref() == Some("feature_not_available") => {
            let feature = api
                .details
                .as_ref()
                .and_then(|d| d.get("feature"))
                .and_then(|f| f.as_str())
                .map(|f| format!("the feature {f:?}"))
                .unwrap_or_else(|| "this feature".to_string());
            format!("the workspace's Ory Network plan does not include {feature}. Upgrade the plan in the Ory console, then apply again. ({api})")
        }
        console::Error::Api(api) if api.status == 401 => format!("{} ({api})", refused_credential(api.reach)),
        console::Error::ProjectNotAllowed { project, allowed } => format!(
            "project {project} is not in allowed_project_ids ({allowed}); no request was sent. \
             Add it to allowed_project_ids ({ENV_ALLOWED_PROJECT_IDS}) if this change is meant for it"
        ),
        console::Error::Stopped => "stopped: Terraform was interrupted".to_string(),
        console::Error::MissingKey { reach: Reach::Console, .. } => {
            format!(
                "{e}: set workspace_api_key in the provider block or the {ENV_WORKSPACE_API_KEY} environment variable"
            )
        }
        console::Error::Transport { source, reach, .. } if source.is_connect() => {
            let at = source.url().map(|u| u.origin().ascii_serialization()).unwrap_or_default();
            format!(
                "{e}. Nothing accepted a connection at {at}: check {}. If it points at the local emulator, is the \
                 emulator running, on that port?",
                url_setting(*reach)
            )
        }
        console::Error::Ambiguous { candidates, .. } => {
            let advice = match subject.import_id {
                Some(import_id) => format!(
                    "Nothing was adopted or deleted. If one of them belongs to this resource, import it with \
                     `terraform import <address> <id>` ({}); delete in the Ory console those that no other client \
                     made, then apply again.",
                    candidates.iter().map(|c| format!("id {}", import_id(c))).collect::<Vec<_>>().join(", ")
                ),
                None => "Nothing was deleted. A key's value is shown only once, so none of them can be used by this \
                         resource: delete in the Ory console those that no other client made, then apply again."
                    .to_string(),
            };
            format!("{e}. {advice}")
        }
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn subject() -> Subject<'static> {
        Subject { noun: "project", described: "project c-other".into(), import_id: None }
    }

    #[test]
    fn a_project_outside_the_allow_list_is_explained_in_the_provider_s_words() {
        let e = console::Error::ProjectNotAllowed { project: "c-other".into(), allowed: "a-allowed, b-allowed".into() };
        let d = diagnose(e.into(), Operation::Delete, &subject());
        assert_eq!(d.summary, "Could not delete project");
        assert_eq!(
            d.detail,
            "Deleting project c-other: project c-other is not in allowed_project_ids (a-allowed, b-allowed); no request was sent. Add it to allowed_project_ids (ORY_ALLOWED_PROJECT_IDS) if this change is meant for it"
        );
    }

    #[test]
    fn a_refusal_is_shown_as_it_is() {
        let d = diagnose(Error::on("name", "Bad name", "because"), Operation::Create, &subject());
        assert_eq!((d.summary.as_str(), d.detail.as_str()), ("Bad name", "because"));
        assert_eq!(d.attribute, Some(AttributePath::attr("name")));
    }
}
