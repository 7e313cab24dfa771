//! `ory_event_stream`: a project's live event stream to AWS SNS or an HTTPS
//! endpoint. Every change applies in place with a partial PUT.

use async_trait::async_trait;

use super::enums::{
    check_enum, check_uuid, is_iam_role_arn, is_sns_topic_arn, is_uuid, EVENT_STREAM_STATUSES, EVENT_STREAM_TYPES,
};
use super::errors::{api_error, create_error};
use super::OryClient;
use crate::console::event_streams::same_but_password;
use crate::console::{EventStream, EventStreamBody};
use crate::plugin::{Attribute, AttributePath, Diagnostic, Diagnostics, PlanRequest, Planned, Resource, Schema, Value};

pub struct EventStreamResource;

const DESTINATION: [&str; 3] = ["topic_arn", "role_arn", "https_endpoint"];

/// Private state of a stream whose `https_endpoint` in state is the one this
/// provider sent, password included.
const ENDPOINT_KNOWN: &[u8] = b"endpoint-known";

fn project_of(state: &Value) -> &str {
    state.attr("project_id").as_str().unwrap_or_default()
}

/// State from the API's answer. The API redacts an endpoint's password, so
/// the endpoint we know (`known`) stands when it differs only there.
fn state_from(s: &EventStream, project: &str, known: &Value) -> Value {
    let endpoint = match (known.attr("https_endpoint").as_str(), s.https_endpoint.as_deref()) {
        (Some(mine), Some(theirs)) if same_but_password(mine, theirs) => Value::string(mine),
        (_, theirs) => Value::opt_string(theirs),
    };
    Value::object([
        ("id", Value::string(&s.id)),
        ("project_id", Value::string(project)),
        ("type", Value::string(&s.kind)),
        ("topic_arn", Value::opt_string(s.topic_arn.clone())),
        ("role_arn", Value::opt_string(s.role_arn.clone())),
        ("https_endpoint", endpoint),
        ("status", Value::string(s.status.clone().unwrap_or_else(|| "active".into()))),
        ("created_at", Value::opt_string(s.created_at.clone())),
        ("updated_at", Value::opt_string(s.updated_at.clone())),
    ])
}

fn text(v: &Value, attr: &str) -> Option<String> {
    v.attr(attr).as_str().map(str::to_string)
}

#[async_trait]
impl Resource<OryClient> for EventStreamResource {
    fn type_name(&self) -> &'static str {
        "ory_event_stream"
    }

    fn schema(&self) -> Schema {
        Schema::new(
            "A live event stream of a project, to AWS SNS or an HTTPS endpoint. Changes, pausing and resuming apply in place. Needs an Ory Network plan with event streams (Enterprise).",
            vec![
                Attribute::string("id").computed().describe("The event stream's ID."),
                Attribute::string("project_id")
                    .optional()
                    .computed()
                    .describe("The project whose events are streamed. Defaults to the provider's `project_id`. Changing it replaces the stream."),
                Attribute::string("type").required().describe("Where events go: `sns` or `https`."),
                Attribute::string("topic_arn").optional().describe("For `sns`: the SNS topic ARN, `arn:aws:sns:<region>:<account>:<topic>`."),
                Attribute::string("role_arn")
                    .optional()
                    .describe("For `sns`: the IAM role ARN Ory assumes to publish, `arn:aws:iam::<account>:role/<name>`."),
                Attribute::string("https_endpoint").optional().sensitive().describe(
                    "For `https`: the `https://` URL events are POSTed to. Sensitive, as it may carry basic-auth credentials. The API never shows the password again, so after an import a change of the password alone is not detected.",
                ),
                Attribute::string("status").optional().computed().describe("`active` (the default) or `paused`. Pausing keeps events for up to 7 days."),
                Attribute::string("created_at").computed().describe("When the stream was created (RFC 3339)."),
                Attribute::string("updated_at").computed().describe("When the stream last changed (RFC 3339)."),
            ],
        )
    }

    fn validate(&self, config: &Value) -> Diagnostics {
        let mut diags = Diagnostics::new();
        check_uuid(&mut diags, config, "project_id");
        check_enum(&mut diags, config, "type", EVENT_STREAM_TYPES);
        check_enum(&mut diags, config, "status", EVENT_STREAM_STATUSES);
        let kind = config.attr("type").as_str();
        let needs: &[&str] = match kind {
            Some("sns") => &["topic_arn", "role_arn"],
            Some("https") => &["https_endpoint"],
            _ => &[],
        };
        if let Some(kind) = kind.filter(|k| EVENT_STREAM_TYPES.contains(k)) {
            for attr in DESTINATION {
                let value = config.attr(attr);
                if needs.contains(&attr) && value.is_null() {
                    diags.attr_error(attr, format!("Missing {attr}"), format!("{attr} is required for type {kind:?}."));
                } else if !needs.contains(&attr) && !value.is_null() {
                    diags.attr_error(
                        attr,
                        format!("{attr} does not apply"),
                        format!(
                            "{attr} is only for type {:?}; remove it for type {kind:?}.",
                            if attr == "https_endpoint" { "https" } else { "sns" }
                        ),
                    );
                }
            }
        }
        if let Some(arn) = config.attr("topic_arn").as_str().filter(|a| !is_sns_topic_arn(a)) {
            diags.attr_error("topic_arn", "Invalid topic_arn", format!("topic_arn must be an SNS topic ARN such as arn:aws:sns:us-east-1:123456789012:ory-events; got {arn:?}."));
        }
        if let Some(arn) = config.attr("role_arn").as_str().filter(|a| !is_iam_role_arn(a)) {
            diags.attr_error("role_arn", "Invalid role_arn", format!("role_arn must be an IAM role ARN such as arn:aws:iam::123456789012:role/ory-event-streamer; got {arn:?}."));
        }
        if let Some(endpoint) = config.attr("https_endpoint").as_str() {
            let ok = reqwest::Url::parse(endpoint).is_ok_and(|u| u.scheme() == "https" && u.host().is_some());
            if !ok {
                // The value may hold credentials: it is not repeated here.
                diags.attr_error(
                    "https_endpoint",
                    "Invalid https_endpoint",
                    "https_endpoint must be an https:// URL; plain HTTP and other schemes are not supported.",
                );
            }
        }
        diags
    }

    async fn plan(&self, client: &OryClient, req: PlanRequest<'_>, diags: &mut Diagnostics) -> Planned {
        if req.config.is_null() {
            return Planned::new(Value::Null);
        }
        let mut planned = req.proposed.clone();
        if req.config.attr("project_id").is_null() {
            match (req.prior.is_null(), client.project_id.clone()) {
                (false, _) => planned.set_attr("project_id", req.prior.attr("project_id").clone()),
                (true, Some(p)) => planned.set_attr("project_id", Value::String(p)),
                (true, None) => diags.push(
                    Diagnostic::error("Missing project_id", "Set project_id on this resource, or project_id on the provider (environment variable ORY_PROJECT_ID).")
                        .at(AttributePath::attr("project_id")),
                ),
            }
        }
        if req.config.attr("status").is_null() {
            planned.set_attr("status", Value::string("active"));
        }
        if req.prior.is_null() {
            for computed in ["id", "created_at", "updated_at"] {
                planned.set_attr(computed, Value::Unknown);
            }
            let mut out = Planned::new(planned);
            out.private = Some(ENDPOINT_KNOWN.to_vec());
            return out;
        }
        // After an import the endpoint is known only as the API shows it, with
        // its password redacted; a configuration that differs only in the
        // password then plans no change. Private state remembers whether the
        // endpoint in state is one this provider sent.
        let known = req.prior_private == ENDPOINT_KNOWN;
        let mut private = Some(ENDPOINT_KNOWN.to_vec());
        if let (Some(prior), Some(config)) =
            (req.prior.attr("https_endpoint").as_str(), req.config.attr("https_endpoint").as_str())
        {
            if !known && prior != config && same_but_password(prior, config) {
                planned.set_attr("https_endpoint", Value::string(prior));
                private = None;
            }
        }
        let changed = ["type", "topic_arn", "role_arn", "https_endpoint", "status"]
            .iter()
            .any(|a| planned.attr(a) != req.prior.attr(a));
        if changed {
            planned.set_attr("updated_at", Value::Unknown);
        }
        let mut out = Planned::new(planned);
        out.requires_replace = vec![AttributePath::attr("project_id")];
        out.private = private;
        out
    }

    async fn create(&self, client: &OryClient, planned: &Value, _config: &Value, diags: &mut Diagnostics) -> Value {
        let project = project_of(planned);
        let body = EventStreamBody {
            kind: text(planned, "type"),
            topic_arn: text(planned, "topic_arn"),
            role_arn: text(planned, "role_arn"),
            https_endpoint: text(planned, "https_endpoint"),
            status: text(planned, "status"),
        };
        match client.console.event_streams(project).create(&body).await {
            Ok(s) => state_from(&s, project, planned),
            Err(e) => {
                diags.push(create_error(
                    "Error creating event stream",
                    &format!("Creating an event stream for project {project}"),
                    &e,
                    Some(&|id: &str| format!("{project}/{id}")),
                ));
                Value::Null
            }
        }
    }

    async fn read(&self, client: &OryClient, state: &Value, diags: &mut Diagnostics) -> Value {
        let project = project_of(state);
        let id = state.attr("id").as_str().unwrap_or_default();
        match client.console.event_streams(project).find(id).await {
            Ok(Some(s)) => state_from(&s, project, state),
            Ok(None) => Value::Null,
            Err(e) if e.is_not_found() => Value::Null,
            Err(e) => {
                diags.push(api_error(
                    "Error reading event stream",
                    &format!("Listing the event streams of project {project}"),
                    &e,
                ));
                state.clone()
            }
        }
    }

    async fn update(
        &self,
        client: &OryClient,
        prior: &Value,
        planned: &Value,
        _config: &Value,
        diags: &mut Diagnostics,
    ) -> Value {
        let project = project_of(prior);
        let id = prior.attr("id").as_str().unwrap_or_default();
        // Only what changed is sent: resending a redacted endpoint would
        // overwrite the real one (setEventStreamBody).
        let changed = |attr: &str| (planned.attr(attr) != prior.attr(attr)).then(|| text(planned, attr)).flatten();
        let kind_changed = planned.attr("type") != prior.attr("type");
        let body = EventStreamBody {
            kind: changed("type"),
            topic_arn: if kind_changed { text(planned, "topic_arn") } else { changed("topic_arn") },
            role_arn: if kind_changed { text(planned, "role_arn") } else { changed("role_arn") },
            https_endpoint: if kind_changed { text(planned, "https_endpoint") } else { changed("https_endpoint") },
            status: changed("status"),
        };
        match client.console.event_streams(project).set(id, &body).await {
            Ok(s) => state_from(&s, project, planned),
            Err(e) => {
                diags.push(api_error(
                    "Error changing event stream",
                    &format!("Changing event stream {id} of project {project}"),
                    &e,
                ));
                prior.clone()
            }
        }
    }

    async fn delete(&self, client: &OryClient, prior: &Value, diags: &mut Diagnostics) {
        let project = project_of(prior);
        let id = prior.attr("id").as_str().unwrap_or_default();
        match client.console.event_streams(project).delete(id).await {
            Ok(()) => {}
            Err(e) if e.is_not_found() => {}
            Err(e) => diags.push(api_error(
                "Error deleting event stream",
                &format!("Deleting event stream {id} of project {project}"),
                &e,
            )),
        }
    }

    /// `<project_id>/<event_stream_id>`, or, as Ory's provider also accepts,
    /// `<event_stream_id>` alone in the provider's `project_id`.
    async fn import(&self, client: &OryClient, id: &str, diags: &mut Diagnostics) -> Value {
        let parsed = match id.split_once('/') {
            Some((project, stream)) => Some((project.to_string(), stream.to_string())),
            None => client.project_id.clone().map(|project| (project, id.to_string())),
        };
        let Some((project, stream)) = parsed.filter(|(p, s)| is_uuid(p) && is_uuid(s)) else {
            diags.error(
                "Invalid import ID",
                format!(
                    "Import an ory_event_stream as <project_id>/<event_stream_id>, or as <event_stream_id> when the provider sets project_id; got {id:?}."
                ),
            );
            return Value::Null;
        };
        Value::object([("id", Value::string(&stream)), ("project_id", Value::string(&project))])
    }
}
