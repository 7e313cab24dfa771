//! `ory_event_stream`: a project's live event stream to AWS SNS or an HTTPS
//! endpoint. Every change applies in place with a partial PUT.

use async_trait::async_trait;

use crate::console::event_streams::shown_alike;
use crate::console::{
    EventStream, EventStreamAuthType, EventStreamBody, EventStreamId, EventStreamStatus, EventStreamType, ProjectId,
};
use crate::plugin::{Diagnostics, Value};
use crate::provider::adoption::{if_on_the_plan, Finds, Found, Place};
use crate::provider::client::{OryClient, Setting};
use crate::provider::enums::{
    DEFAULT_EVENT_STREAM_STATUS, EVENT_STREAM_AUTH_TYPES, EVENT_STREAM_STATUSES, EVENT_STREAM_TYPES,
};
use crate::provider::errors::Error;
use crate::provider::model::{attr, computed, model, optional, optional_computed, required, Fallback};
use crate::provider::typed::{Declared, ImportId, Plan, TypedResource};
use crate::provider::validators::{self, SecretPair};

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
        https_endpoint: String = optional_computed(
            "For `https`: the `https://` URL events are POSTed to. Sensitive, whole: it may carry basic-auth credentials (sent as Basic auth) or a token in its query string. The API never shows the user, the password or query values again, so after an import a change of those alone is not detected. Needed to create a stream; an existing (imported) one whose configuration leaves it out keeps the endpoint Ory holds, as configuration generated from an import writes it `null`."
        )
        .sensitive()
        .check(validators::https_url),
        https_auth_type: String = optional(
            "For `https`: how deliveries authenticate. `api_key` sends the secret in the header `https_auth_header_name`; `bearer` sends it as `Authorization: Bearer`. Left out, they do not (Ory's `none`)."
        )
        .one_of(EVENT_STREAM_AUTH_TYPES),
        https_auth_header_name: String = optional(
            "For `api_key`: the header that carries the key, for example `X-Api-Key`. Not a header Ory sets itself (`Content-Type`, `User-Agent`, ...) nor a connection-specific one."
        )
        .check(validators::event_stream_header),
        https_auth_secret: String = optional(
            "For `api_key` and `bearer`: the key or token, at most 4096 bytes. Sensitive, and kept in the state; `https_auth_secret_wo` keeps it out. Ory never shows it again, so after an import the next apply sends it once."
        )
        .sensitive()
        .check(validators::event_stream_secret),
        https_auth_secret_wo: String = optional(
            "Like `https_auth_secret`, write-only: never kept in the plan or the state (Terraform 1.11 or later). Change `https_auth_secret_wo_version` to send a new one."
        )
        .write_only()
        .check(validators::event_stream_secret),
        https_auth_secret_wo_version: String = optional("Any text; changing it sends `https_auth_secret_wo` again."),
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
    /// The stream as the API answered. The API masks an endpoint's
    /// userinfo and query values and the auth secret, so what `self` holds
    /// stands where it differs only there.
    fn with(&self, s: EventStream, project: &str) -> EventStreamModel {
        let https_endpoint = match (self.https_endpoint.as_deref(), s.https_endpoint) {
            (Some(mine), Some(theirs)) if shown_alike(mine, &theirs) => Some(mine.to_string()),
            (_, theirs) => theirs,
        };
        // A secret gone from Ory is drift; one Ory still holds is the one
        // last sent, or after an import, unknown here.
        let https_auth_secret = s.https_auth_secret.and(self.https_auth_secret.clone());
        EventStreamModel {
            id: Some(s.id.to_string()),
            project_id: Some(project.to_string()),
            r#type: Some(s.kind.into()),
            topic_arn: s.topic_arn,
            role_arn: s.role_arn,
            https_endpoint,
            https_auth_type: s.https_auth_type.filter(|t| *t != EventStreamAuthType::None).map(String::from),
            https_auth_header_name: s.https_auth_header_name,
            https_auth_secret,
            https_auth_secret_wo_version: self.https_auth_secret_wo_version.clone(),
            status: Some(s.status.map_or_else(|| DEFAULT_EVENT_STREAM_STATUS.to_string(), String::from)),
            created_at: s.created_at,
            updated_at: s.updated_at,
            ..EventStreamModel::default()
        }
    }

    fn ids(&self) -> (ProjectId, EventStreamId) {
        (
            ProjectId::from(self.project_id.as_deref().unwrap_or_default()),
            EventStreamId::from(self.id.as_deref().unwrap_or_default()),
        )
    }

    /// What the API can change, as one comparable tuple.
    fn settings(&self) -> [&Option<String>; 9] {
        [
            &self.r#type,
            &self.topic_arn,
            &self.role_arn,
            &self.https_endpoint,
            &self.https_auth_type,
            &self.https_auth_header_name,
            &self.https_auth_secret,
            &self.https_auth_secret_wo_version,
            &self.status,
        ]
    }

    /// The secret to send: kept or write-only, whichever is set.
    fn secret(&self) -> Option<String> {
        self.https_auth_secret.clone().or_else(|| self.https_auth_secret_wo.clone())
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

    fn summary(&self) -> &'static str {
        "an event stream"
    }

    fn description(&self) -> String {
        "A live event stream of a project, to AWS SNS or an HTTPS endpoint. Changes, pausing and resuming apply in place. Needs an Ory Network plan with event streams (Enterprise).".into()
    }

    fn noun(&self) -> &'static str {
        "event stream"
    }

    fn describe(&self, m: &EventStreamModel) -> String {
        match m.ids() {
            (project, id) if id.is_empty() => format!("an event stream for project {project}"),
            (project, id) => format!("event stream {id} of project {project}"),
        }
    }

    /// Each type takes its own destination attributes, and only those; each
    /// auth scheme its own settings, and one secret.
    fn validate(&self, config: &EventStreamModel, diags: &mut Diagnostics) {
        let Some(kind) = config.r#type.as_deref().filter(|k| EVENT_STREAM_TYPES.contains(k)) else { return };
        let (sns, https) = (EventStreamType::Sns.as_str(), EventStreamType::Https.as_str());
        let set = |value: &Option<String>, attr: &str| value.is_some() || config.unknown.contains(attr);
        let destinations = [
            (attr!(EventStreamModel, topic_arn), &config.topic_arn, sns),
            (attr!(EventStreamModel, role_arn), &config.role_arn, sns),
            (attr!(EventStreamModel, https_endpoint), &config.https_endpoint, https),
            (attr!(EventStreamModel, https_auth_type), &config.https_auth_type, https),
            (attr!(EventStreamModel, https_auth_header_name), &config.https_auth_header_name, https),
            (attr!(EventStreamModel, https_auth_secret), &config.https_auth_secret, https),
            (attr!(EventStreamModel, https_auth_secret_wo), &config.https_auth_secret_wo, https),
            (attr!(EventStreamModel, https_auth_secret_wo_version), &config.https_auth_secret_wo_version, https),
        ];
        for (attr, value, for_kind) in destinations {
            // The endpoint, sensitive, is needed only to create (see `plan`).
            let required = for_kind == sns;
            if for_kind == kind && required && !set(value, attr) {
                diags.attr_error(attr, format!("Missing {attr}"), format!("{attr} is required for type {kind:?}."));
            } else if for_kind != kind && value.is_some() {
                diags.attr_error(
                    attr,
                    format!("{attr} does not apply"),
                    format!("{attr} is only for type {for_kind:?}; remove it for type {kind:?}."),
                );
            }
        }
        if kind == https {
            validate_auth(config, diags);
        }
    }
}

/// The settings an HTTPS stream's auth scheme needs, and only those.
fn validate_auth(config: &EventStreamModel, diags: &mut Diagnostics) {
    if config.unknown.contains(attr!(EventStreamModel, https_auth_type)) {
        return;
    }
    let scheme = config.https_auth_type.as_deref().map(EventStreamAuthType::from);
    let set = |value: &Option<String>, attr: &str| value.is_some() || config.unknown.contains(attr);
    let (header, secret, secret_wo) = (
        attr!(EventStreamModel, https_auth_header_name),
        attr!(EventStreamModel, https_auth_secret),
        attr!(EventStreamModel, https_auth_secret_wo),
    );
    match scheme {
        Some(EventStreamAuthType::ApiKey) if !set(&config.https_auth_header_name, header) => diags.attr_error(
            header,
            format!("Missing {header}"),
            format!("https_auth_type \"api_key\" needs {header}, the header that carries the key."),
        ),
        Some(EventStreamAuthType::Bearer) | None if config.https_auth_header_name.is_some() => diags.attr_error(
            header,
            format!("{header} does not apply"),
            format!(
                "{header} is only for https_auth_type \"api_key\"; {} sends no header of its own name.",
                scheme.as_ref().map_or("a stream without https_auth_type".to_string(), |s| format!("{:?}", s.as_str()))
            ),
        ),
        _ => {}
    }
    SecretPair("https_auth_secret").check(config, diags);
    // With a scheme, the secret is needed only to create (see `plan`): Ory keeps it.
    let known = [(secret, config.https_auth_secret.is_some()), (secret_wo, config.https_auth_secret_wo.is_some())];
    if scheme.is_none() {
        if let Some((attr, _)) = known.iter().find(|(_, is_set)| *is_set) {
            diags.attr_error(
                attr,
                format!("{attr} does not apply"),
                format!("{attr} needs https_auth_type (\"api_key\" or \"bearer\") to say how it is sent."),
            )
        }
    }
}

/// What a new stream needs that an existing one may leave to Ory: an
/// `https` stream its endpoint, and an auth scheme its secret.
fn creating_needs(config: &EventStreamModel, diags: &mut Diagnostics) {
    if config.r#type.as_deref() != Some(EventStreamType::Https.as_str()) {
        return;
    }
    let value = crate::provider::model::Model::to_value(config);
    let may_be_set = |name: &str| !value.attr(name).is_null();
    let endpoint = attr!(EventStreamModel, https_endpoint);
    if !may_be_set(endpoint) {
        diags.attr_error(
            endpoint,
            format!("Missing {endpoint}"),
            format!("{endpoint} is required for type \"https\"."),
        );
    }
    let (secret, secret_wo) =
        (attr!(EventStreamModel, https_auth_secret), attr!(EventStreamModel, https_auth_secret_wo));
    if let Some(scheme) = config.https_auth_type.as_deref() {
        if !may_be_set(secret) && !may_be_set(secret_wo) {
            diags.attr_error(
                secret,
                format!("Missing {secret}"),
                format!("https_auth_type {scheme:?} needs {secret} or {secret_wo}."),
            );
        }
    }
}

#[async_trait]
impl TypedResource for EventStreamResource {
    async fn find(
        &self,
        client: &OryClient,
        place: &Place<'_>,
        finds: &mut Finds,
    ) -> Result<(), crate::console::Error> {
        let Place::Project(at) = place else { return Ok(()) };
        let streams = if_on_the_plan(client.console.event_streams(at.id()).list().await)?;
        for (i, stream) in streams.iter().enumerate() {
            let import_id = format!("{}/{}", at.id(), stream.id);
            finds.add(Found::new(format!("{} stream {}", at.name(), i + 1), import_id));
        }
        Ok(())
    }

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
        let Some(prior) = &plan.prior else {
            creating_needs(&plan.config, &mut plan.notes);
            // Only an `https` stream has an endpoint to wait for.
            if plan.config.https_endpoint.is_none()
                && plan.config.r#type.as_deref() != Some(EventStreamType::Https.as_str())
            {
                plan.planned.unknown.remove(attr!(EventStreamModel, https_endpoint));
            }
            return Ok(());
        };
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
            kind: planned.r#type.as_deref().map(EventStreamType::from),
            topic_arn: planned.topic_arn.clone(),
            role_arn: planned.role_arn.clone(),
            https_endpoint: planned.https_endpoint.clone(),
            https_auth_type: planned.https_auth_type.as_deref().map(EventStreamAuthType::from),
            https_auth_header_name: planned.https_auth_header_name.clone(),
            https_auth_secret: planned.secret(),
            status: planned.status.as_deref().map(EventStreamStatus::from),
        };
        let (project, _) = planned.ids();
        let stream = client.console.event_streams(&project).create(&body).await?;
        Ok(planned.with(stream, &project))
    }

    async fn read(
        &self,
        client: &OryClient,
        state: EventStreamModel,
        _: &mut Diagnostics,
    ) -> Result<Option<EventStreamModel>, Error> {
        let (project, id) = state.ids();
        match client.console.event_streams(&project).find(&id).await {
            Ok(found) => Ok(found.map(|s| state.with(s, &project))),
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
        // Only what changed is sent: resending a masked endpoint would
        // overwrite the real one (setEventStreamBody). A new type needs its
        // whole destination; a new scheme or endpoint, the secret again.
        let kind_changed = planned.r#type != prior.r#type;
        let changed = |new: &Option<String>, old: &Option<String>| (new != old).then(|| new.clone()).flatten();
        let destination =
            |new: &Option<String>, old: &Option<String>| if kind_changed { new.clone() } else { changed(new, old) };
        let scheme_changed = planned.https_auth_type != prior.https_auth_type;
        let secret_due = kind_changed
            || scheme_changed
            || planned.https_endpoint != prior.https_endpoint
            || planned.https_auth_secret != prior.https_auth_secret
            || planned.https_auth_secret_wo_version != prior.https_auth_secret_wo_version;
        let https = planned.r#type.as_deref().map(EventStreamType::from) == Some(EventStreamType::Https);
        let body = EventStreamBody {
            kind: changed(&planned.r#type, &prior.r#type).map(EventStreamType::from),
            topic_arn: destination(&planned.topic_arn, &prior.topic_arn),
            role_arn: destination(&planned.role_arn, &prior.role_arn),
            https_endpoint: destination(&planned.https_endpoint, &prior.https_endpoint),
            // Leaving the scheme out keeps it: going back to none says so.
            https_auth_type: (https && (kind_changed || scheme_changed)).then(|| {
                planned.https_auth_type.as_deref().map_or(EventStreamAuthType::None, EventStreamAuthType::from)
            }),
            https_auth_header_name: if kind_changed || scheme_changed {
                planned.https_auth_header_name.clone()
            } else {
                changed(&planned.https_auth_header_name, &prior.https_auth_header_name)
            },
            https_auth_secret: planned.secret().filter(|_| secret_due),
            status: changed(&planned.status, &prior.status).map(EventStreamStatus::from),
        };
        let stream = client.console.event_streams(&project).set(&id, &body).await?;
        Ok(planned.with(stream, &project))
    }

    async fn delete(&self, client: &OryClient, prior: EventStreamModel, _: &mut Diagnostics) -> Result<(), Error> {
        let (project, id) = prior.ids();
        match client.console.event_streams(&project).delete(&id).await {
            Err(e) if !e.is_not_found() => Err(e.into()),
            _ => Ok(()),
        }
    }
}
