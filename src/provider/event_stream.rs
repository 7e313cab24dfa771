//! `ory_event_stream`: a project's live event stream to AWS SNS or an HTTPS
//! endpoint. Every change applies in place with a partial PUT.

use async_trait::async_trait;

use super::client::{OryClient, Setting};
use super::enums::{DEFAULT_EVENT_STREAM_STATUS, EVENT_STREAM_STATUSES, EVENT_STREAM_TYPES};
use super::errors::Error;
use super::model::{attr, computed, model, optional, optional_computed, required, Fallback};
use super::typed::{Declared, ImportId, Plan, TypedResource};
use super::validators;
use crate::console::event_streams::shown_alike;
use crate::console::{EventStream, EventStreamBody};
use crate::plugin::{Diagnostics, Value};

model! {
    pub struct EventStreamModel {
        id: String = computed("The event stream's ID."),
        project_id: String = optional_computed(
            "The project whose events are streamed. Defaults to the provider's `project_id`. Changing it replaces the stream."
        )
        .check(validators::uuid)
        .default(Fallback::Provider(Setting::ProjectId))
        .force_new(),
        r#type: String = required("Where events go.").one_of(EVENT_STREAM_TYPES),
        topic_arn: String = optional("For `sns`: the SNS topic ARN, `arn:aws:sns:<region>:<account>:<topic>`.")
            .check(validators::sns_topic_arn),
        role_arn: String = optional("For `sns`: the IAM role ARN Ory assumes to publish, `arn:aws:iam::<account>:role/<name>`.")
            .check(validators::iam_role_arn),
        https_endpoint: String = optional(
            "For `https`: the `https://` URL events are POSTed to. Sensitive, whole: it may carry basic-auth credentials or a token in its query string. The API never shows the password again, so after an import a change of the password alone is not detected."
        )
        .sensitive()
        .check(validators::https_url),
        status: String = optional_computed(&format!(
            "Whether events flow; pausing keeps them for up to 7 days. Defaults to `{DEFAULT_EVENT_STREAM_STATUS}`."
        ))
        .one_of(EVENT_STREAM_STATUSES)
        .default(Fallback::Always(Value::string(DEFAULT_EVENT_STREAM_STATUS))),
        created_at: String = computed("When the stream was created (RFC 3339)."),
        updated_at: String = computed("When the stream last changed (RFC 3339).").follows_changes(),
    }
}

impl EventStreamModel {
    /// The stream as the API answered. The API redacts an endpoint's
    /// password, so the endpoint in `self` stands when it differs only there.
    fn with(&self, s: EventStream, project: &str) -> EventStreamModel {
        let https_endpoint = match (self.https_endpoint.as_deref(), s.https_endpoint) {
            (Some(mine), Some(theirs)) if shown_alike(mine, &theirs) => Some(mine.to_string()),
            (_, theirs) => theirs,
        };
        EventStreamModel {
            id: Some(s.id),
            project_id: Some(project.to_string()),
            r#type: Some(s.kind),
            topic_arn: s.topic_arn,
            role_arn: s.role_arn,
            https_endpoint,
            status: Some(s.status.unwrap_or_else(|| DEFAULT_EVENT_STREAM_STATUS.into())),
            created_at: s.created_at,
            updated_at: s.updated_at,
            ..EventStreamModel::default()
        }
    }

    fn ids(&self) -> (&str, &str) {
        (self.project_id.as_deref().unwrap_or_default(), self.id.as_deref().unwrap_or_default())
    }

    /// What the API can change, as one comparable tuple.
    fn settings(&self) -> [&Option<String>; 5] {
        [&self.r#type, &self.topic_arn, &self.role_arn, &self.https_endpoint, &self.status]
    }
}

/// Private state of a stream whose `https_endpoint` in state is the one this
/// provider sent, password included.
const ENDPOINT_KNOWN: &[u8] = b"endpoint-known";

pub struct EventStreamResource;

impl Declared for EventStreamResource {
    type Model = EventStreamModel;

    fn type_name(&self) -> &'static str {
        "ory_event_stream"
    }

    fn description(&self) -> String {
        "A live event stream of a project, to AWS SNS or an HTTPS endpoint. Changes, pausing and resuming apply in place. Needs an Ory Network plan with event streams (Enterprise).".into()
    }

    fn noun(&self) -> &'static str {
        "event stream"
    }

    fn describe(&self, m: &EventStreamModel) -> String {
        match m.ids() {
            (project, "") => format!("an event stream for project {project}"),
            (project, id) => format!("event stream {id} of project {project}"),
        }
    }

    /// Each type takes its own destination attributes, and only those.
    fn validate(&self, config: &EventStreamModel, diags: &mut Diagnostics) {
        let Some(kind) = config.r#type.as_deref().filter(|k| EVENT_STREAM_TYPES.contains(k)) else { return };
        let destinations = [
            (attr!(EventStreamModel, topic_arn), &config.topic_arn, "sns"),
            (attr!(EventStreamModel, role_arn), &config.role_arn, "sns"),
            (attr!(EventStreamModel, https_endpoint), &config.https_endpoint, "https"),
        ];
        for (attr, value, for_kind) in destinations {
            let set = value.is_some() || config.unknown.contains(attr);
            if for_kind == kind && !set {
                diags.attr_error(attr, format!("Missing {attr}"), format!("{attr} is required for type {kind:?}."));
            } else if for_kind != kind && set {
                diags.attr_error(
                    attr,
                    format!("{attr} does not apply"),
                    format!("{attr} is only for type {for_kind:?}; remove it for type {kind:?}."),
                );
            }
        }
    }
}

#[async_trait]
impl TypedResource for EventStreamResource {
    fn import_id(&self) -> ImportId {
        ImportId::Owned {
            id: attr!(EventStreamModel, id),
            owner: attr!(EventStreamModel, project_id),
            label: "event_stream_id",
            default: Some(Setting::ProjectId),
        }
    }

    /// After an import the endpoint is known only as the API shows it, with
    /// its password redacted; a configuration that differs only in the
    /// password then plans no change. Private state remembers whether the
    /// endpoint in state is one this provider sent.
    async fn plan(&self, _client: &OryClient, plan: &mut Plan<'_, EventStreamModel>) -> Result<(), Error> {
        plan.private = Some(ENDPOINT_KNOWN.to_vec());
        let Some(prior) = &plan.prior else { return Ok(()) };
        let known = plan.prior_private == ENDPOINT_KNOWN;
        if let (Some(was), Some(wanted)) = (prior.https_endpoint.as_deref(), plan.config.https_endpoint.as_deref()) {
            if !known && was != wanted && shown_alike(was, wanted) {
                plan.planned.https_endpoint = Some(was.to_string());
                plan.private = None;
            }
        }
        if plan.planned.settings() == prior.settings() {
            plan.planned.updated_at = prior.updated_at.clone();
        }
        Ok(())
    }

    async fn create(
        &self,
        client: &OryClient,
        planned: EventStreamModel,
        _: &mut Diagnostics,
    ) -> Result<EventStreamModel, Error> {
        let body = EventStreamBody {
            kind: planned.r#type.clone(),
            topic_arn: planned.topic_arn.clone(),
            role_arn: planned.role_arn.clone(),
            https_endpoint: planned.https_endpoint.clone(),
            status: planned.status.clone(),
        };
        let (project, _) = planned.ids();
        let stream = client.console.event_streams(project).create(&body).await?;
        Ok(planned.with(stream, project))
    }

    async fn read(
        &self,
        client: &OryClient,
        state: EventStreamModel,
        _: &mut Diagnostics,
    ) -> Result<Option<EventStreamModel>, Error> {
        let (project, id) = state.ids();
        match client.console.event_streams(project).find(id).await {
            Ok(found) => Ok(found.map(|s| state.with(s, project))),
            Err(e) if e.is_not_found() => Ok(None),
            Err(e) => Err(Error::doing(e, format!("Listing the event streams of project {project}"))),
        }
    }

    async fn update(
        &self,
        client: &OryClient,
        prior: EventStreamModel,
        planned: EventStreamModel,
        _: &mut Diagnostics,
    ) -> Result<EventStreamModel, Error> {
        let (project, id) = prior.ids();
        // Only what changed is sent: resending a redacted endpoint would
        // overwrite the real one (setEventStreamBody). A new type needs its
        // whole destination.
        let kind_changed = planned.r#type != prior.r#type;
        let changed = |new: &Option<String>, old: &Option<String>| (new != old).then(|| new.clone()).flatten();
        let destination =
            |new: &Option<String>, old: &Option<String>| if kind_changed { new.clone() } else { changed(new, old) };
        let body = EventStreamBody {
            kind: changed(&planned.r#type, &prior.r#type),
            topic_arn: destination(&planned.topic_arn, &prior.topic_arn),
            role_arn: destination(&planned.role_arn, &prior.role_arn),
            https_endpoint: destination(&planned.https_endpoint, &prior.https_endpoint),
            status: changed(&planned.status, &prior.status),
        };
        let stream = client.console.event_streams(project).set(id, &body).await?;
        Ok(planned.with(stream, project))
    }

    async fn delete(&self, client: &OryClient, prior: EventStreamModel, _: &mut Diagnostics) -> Result<(), Error> {
        let (project, id) = prior.ids();
        match client.console.event_streams(project).delete(id).await {
            Err(e) if !e.is_not_found() => Err(e.into()),
            _ => Ok(()),
        }
    }
}
