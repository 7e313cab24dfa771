//! The one error type of the API clients.

use std::fmt;

use serde::Deserialize;

/// The longest server message shown; the rest is cut, with a note.
pub const MAX_MESSAGE_CHARS: usize = 1000;

/// Server text made safe to show: every control character (ANSI escapes,
/// carriage returns, line breaks) written as its escape, and text past
/// [`MAX_MESSAGE_CHARS`] cut with a note of how much was cut.
pub fn shown(text: &str) -> String {
    crate::text::printable(text, MAX_MESSAGE_CHARS, &[])
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The API answered with a non-2xx status.
    #[error("{0}")]
    Api(Box<ApiError>),
    /// The request did not complete: connection, TLS, timeout.
    #[error("could not reach {} ({}): {}", .reach.api(), tries(*.attempts), transport_detail(.source, *.timeout))]
    Transport {
        #[source]
        source: reqwest::Error,
        /// Which API, with which credential.
        reach: Reach,
        /// How many times the request was sent.
        attempts: u32,
        /// The request timeout, when the last attempt ran out of it.
        timeout: Option<std::time::Duration>,
    },
    /// A 2xx answer whose body did not have the documented shape.
    #[error("unexpected response to {operation}: at {path}: {message}")]
    Decode { operation: &'static str, path: String, message: String },
    #[error("{0}")]
    InvalidConfig(String),
    /// The caller was interrupted; the request or wait was abandoned.
    #[error("stopped: the caller was interrupted")]
    Stopped,
    /// A create whose answer was lost, after which more new objects of its
    /// kind appeared than this process's unanswered attempts could have made.
    /// Nothing was adopted or deleted.
    #[error(
        "creating {what} got no answer, and {} new objects that fit it appeared meanwhile ({}), more than the {attempts} \
         unanswered attempt(s) of this process could have made: another client may be creating the same objects",
        candidates.len(),
        candidates.join(", ")
    )]
    Ambiguous { what: &'static str, candidates: Vec<String>, attempts: usize },
    /// A project document edit that kept meeting newer revisions: someone
    /// else changed the project between each read and patch.
    #[error(
        "project {project} kept changing while this change was made: {attempts} patches in a row were refused as made \
         for an old revision ({last})"
    )]
    Contended { project: String, attempts: u32, last: Box<ApiError> },
    /// Ory refused a project document edit (its configuration validation);
    /// `path` is the patch operation it was about, when that is known.
    #[error("{error}{}", path.as_ref().map(|p| format!("; the refused patch operation is the one on {p}")).unwrap_or_default())]
    Rejected { error: Box<ApiError>, path: Option<String> },
    /// An answer body past `answers::MAX_BODY_BYTES`; the rest was not read.
    #[error("the answer to {operation} was larger than {} MB, more than any real answer: its reading was stopped", limit / (1024 * 1024))]
    TooLarge { operation: &'static str, limit: usize },
    /// A listing whose page tokens never end.
    #[error("listing with {operation} was stopped: {problem}")]
    Paging { operation: &'static str, problem: String },
    /// A call or a listing that would take longer than its bound.
    #[error("{operation} was stopped: {problem}")]
    OverBudget { operation: &'static str, problem: String },
    /// Redirects that lead back to a URL already visited, or too many.
    #[error("the console API at {url} redirected {problem}")]
    Redirect { url: String, problem: String },
    /// A call that needs a key made by a client given none.
    #[error("{operation} needs {}, and none is set", .reach.credential())]
    MissingKey { operation: &'static str, reach: Reach },
    /// A project outside the allowed projects the console client was given; nothing was sent.
    #[error("project {project} is not one of the allowed projects ({allowed}); no request was sent")]
    ProjectNotAllowed { project: String, allowed: String },
}

fn tries(attempts: u32) -> String {
    match attempts {
        1 => "1 attempt".into(),
        n => format!("{n} attempts"),
    }
}

fn transport_detail(e: &reqwest::Error, timeout: Option<std::time::Duration>) -> String {
    if let Some(timeout) = timeout {
        return format!(
            "no complete answer within the request timeout ({}s); one call and its retries stop after {} times it",
            timeout.as_secs_f64(),
            super::CALL_TIMEOUTS
        );
    }
    let mut text = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}

impl Error {
    /// The HTTP status of an API error.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api(e) | Error::Rejected { error: e, .. } | Error::Contended { last: e, .. } => Some(e.status),
            _ => None,
        }
    }

    pub fn is_not_found(&self) -> bool {
        self.status() == Some(404)
    }
}

/// Which API a transport reaches and with what credential, so that an
/// error names the right API (and its caller can name the right setting):
/// the console API with the workspace key, a project's API with a project
/// key, one client with its own registration access token, or a
/// self-hosted server with none.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Reach {
    #[default]
    Console,
    ProjectApi,
    RegistrationToken,
    /// A self-hosted Ory server's admin or public API, with no key.
    SelfHosted,
}

impl Reach {
    pub fn api(self) -> &'static str {
        match self {
            Reach::Console => "the Ory console API",
            Reach::ProjectApi | Reach::RegistrationToken => "the project's API",
            Reach::SelfHosted => "the self-hosted Ory server",
        }
    }

    /// The credential it is reached with.
    pub fn credential(self) -> &'static str {
        match self {
            Reach::Console => "a workspace API key (ory_wak_...)",
            Reach::ProjectApi => "a project API key (ory_pat_...)",
            Reach::RegistrationToken => "the client's registration access token",
            Reach::SelfHosted => "no key",
        }
    }
}

/// An error answer, decoded leniently from Ory's herodot envelope
/// `{"error": {code, status, message, reason, request, id, details}}`, the
/// flat `genericError` shape, or the spec's `status_code`/`error_description`.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    pub operation: &'static str,
    pub status: u16,
    pub status_text: Option<String>,
    pub message: Option<String>,
    pub reason: Option<String>,
    pub request_id: Option<String>,
    /// A machine-readable ID such as `feature_not_available`.
    pub id: Option<String>,
    pub details: Option<serde_json::Value>,
    /// Which API answered.
    pub reach: Reach,
    /// How many times the request was sent: more than one means an
    /// earlier attempt may have done the work this answer refuses.
    pub attempts: u32,
}

#[derive(Deserialize, Default)]
struct Envelope {
    error: Option<serde_json::Value>,
    #[serde(flatten)]
    flat: Body,
}

#[derive(Deserialize, Default)]
struct Body {
    status: Option<String>,
    message: Option<String>,
    reason: Option<String>,
    request: Option<String>,
    id: Option<String>,
    details: Option<serde_json::Value>,
    error: Option<serde_json::Value>,
    error_description: Option<String>,
}

impl ApiError {
    /// An error this client finds itself in what the API answered, such as
    /// an object missing from a document it read: shown like the API's own.
    pub fn local(operation: &'static str, status: u16, message: String) -> ApiError {
        ApiError {
            operation,
            status,
            status_text: None,
            message: Some(message),
            reason: None,
            request_id: None,
            id: None,
            details: None,
            reach: Reach::Console,
            attempts: 1,
        }
    }

    pub fn from_response(operation: &'static str, status: u16, body: &[u8]) -> ApiError {
        let envelope: Envelope = serde_json::from_slice(body).unwrap_or_default();
        let error_name = envelope.error.as_ref().and_then(|e| e.as_str()).map(str::to_string);
        let nested: Body = envelope.error.and_then(|e| serde_json::from_value(e).ok()).unwrap_or_default();
        let flat = envelope.flat;
        let error_name = error_name.or_else(|| nested.error.as_ref().and_then(|e| e.as_str()).map(str::to_string));
        // The server's words are shown to a user: none of them may steer a terminal.
        let shown = |text: Option<String>| text.map(|t| shown(&t));
        ApiError {
            operation,
            status,
            status_text: shown(nested.status.or(flat.status).or(error_name)),
            message: shown(nested.message.or(flat.message).or(nested.error_description).or(flat.error_description)),
            reason: shown(nested.reason.or(flat.reason)),
            request_id: shown(nested.request.or(flat.request)),
            id: shown(nested.id.or(flat.id)),
            details: nested.details.or(flat.details),
            reach: Reach::Console,
            attempts: 1,
        }
    }
}

impl fmt::Display for ApiError {
    /// `<status>: <message> (<reason>; request <id>)`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let status = match &self.status_text {
            Some(t) => format!("{} {t}", self.status),
            None => self.status.to_string(),
        };
        write!(f, "{status}: {}", self.message.as_deref().unwrap_or("the console API gave no message"))?;
        let extra: Vec<String> = [self.reason.clone(), self.request_id.as_ref().map(|r| format!("request {r}"))]
            .into_iter()
            .flatten()
            .collect();
        if !extra.is_empty() {
            write!(f, " ({})", extra.join("; "))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_text_is_escaped_whole_and_cut_at_the_message_limit() {
        assert_eq!(shown("a\nb"), "a\\nb");
        let long = "x".repeat(MAX_MESSAGE_CHARS + 5);
        assert_eq!(shown(&long), format!("{}… (5 more characters cut)", "x".repeat(MAX_MESSAGE_CHARS)));
    }

    #[test]
    fn herodot_envelope_is_shown_with_reason_and_request() {
        let body = br#"{"error":{"code":404,"status":"Not Found","message":"The requested resource could not be found","reason":"No project with that ID","request":"abc-123"}}"#;
        let e = ApiError::from_response("getProject", 404, body);
        assert_eq!(
            e.to_string(),
            "404 Not Found: The requested resource could not be found (No project with that ID; request abc-123)"
        );
    }

    #[test]
    fn flat_and_spec_shapes_and_garbage_decode() {
        let flat = ApiError::from_response("purgeProject", 403, br#"{"message":"nope","reason":"why"}"#);
        assert_eq!(flat.to_string(), "403: nope (why)");
        let spec = ApiError::from_response(
            "x",
            400,
            br#"{"error":{"error":"Bad Request","error_description":"bad name","id":"quota_exceeded"}}"#,
        );
        assert_eq!(spec.to_string(), "400 Bad Request: bad name");
        assert_eq!(spec.id.as_deref(), Some("quota_exceeded"));
        let hostile = ApiError::from_response(
            "x",
            400,
            format!(r#"{{"error":{{"message":"\u001b[2J\rok{}","reason":"a\nb"}}}}"#, "y".repeat(2000)).as_bytes(),
        );
        let text = hostile.to_string();
        assert!(text.starts_with("400: \\u{1b}[2J\\rok"), "{text}");
        assert!(text.contains("… (1007 more characters cut) (a\\nb)"), "{text}");
        assert!(!text.chars().any(|c| c.is_control()), "{text}");
        let html = ApiError::from_response("x", 502, b"<html>bad gateway</html>");
        assert_eq!(html.to_string(), "502: the console API gave no message");
    }
}
