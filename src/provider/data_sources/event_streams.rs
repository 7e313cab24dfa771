//! `ory_event_streams`: a project's event streams. Endpoints are shown as
//! their origins: a listing is not where secrets belong.

use async_trait::async_trait;

use super::or_empty;
use crate::console::{EventStream, ProjectId};
use crate::provider::client::{OryClient, Setting};
use crate::provider::errors::Error;
use crate::provider::model::{computed, model, names, optional_computed, Fallback};
use crate::provider::typed::{Declared, TypedDataSource};
use crate::provider::validators;

model! {
    pub struct StreamItem {
        id: String = computed("The stream's ID."),
        r#type: String = computed("Where events go."),
        topic_arn: String = computed("The SNS topic ARN."),
        role_arn: String = computed("The IAM role ARN."),
        https_endpoint: String = computed("The HTTPS endpoint's origin (`https://host[:port]`) only."),
        https_auth_type: String = computed("How deliveries to the HTTPS endpoint authenticate: `none`, `api_key` or `bearer`."),
        https_auth_header_name: String = computed("For `api_key`: the header that carries the key (never the key)."),
        status: String = computed("Whether the stream is active or paused."),
        created_at: String = computed("When the stream was created (RFC 3339)."),
        updated_at: String = computed("When the stream last changed (RFC 3339)."),
    }
}

/// The endpoint's origin (scheme, host, port) alone: its user, password,
/// path (a Slack hook's path is its token, `;jsessionid=` a session), query
/// and fragment may each be a secret, which the resource marks sensitive
/// whole and a listing has no way to.
fn origin_only(endpoint: &str) -> String {
    match reqwest::Url::parse(endpoint) {
        Ok(url) if url.has_host() => url.origin().ascii_serialization(),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn an_endpoint_is_shown_without_anything_that_may_be_a_secret() {
        for endpoint in [
            "https://u:pw@hooks.example.com/ory?token=s3cret&x=1#frag",
            "https://hooks.example.com/services/T000/B000/s3cret",
            "https://hooks.example.com/ory;jsessionid=s3cret",
            "https://hooks.example.com/%73%33cret",
        ] {
            assert_eq!(super::origin_only(endpoint), "https://hooks.example.com", "{endpoint}");
        }
        assert_eq!(super::origin_only("https://hooks.example.com:8443/x"), "https://hooks.example.com:8443");
        assert_eq!(super::origin_only("not a url s3cret"), "");
    }
}

impl From<EventStream> for StreamItem {
    fn from(s: EventStream) -> Self {
        StreamItem {
            id: Some(s.id.to_string()),
            r#type: Some(s.kind.into()),
            topic_arn: s.topic_arn,
            role_arn: s.role_arn,
            https_endpoint: s.https_endpoint.as_deref().map(origin_only),
            https_auth_type: s.https_auth_type.map(String::from),
            https_auth_header_name: s.https_auth_header_name,
            status: s.status.map(String::from),
            created_at: s.created_at,
            updated_at: s.updated_at,
            ..Default::default()
        }
    }
}

model! {
    pub struct StreamsListing {
        project_id: String = optional_computed("The project. Defaults to the provider's `project_id`.")
            .check(validators::uuid)
            .default(Fallback::Provider(Setting::ProjectId)),
        event_streams: Vec<StreamItem> = computed(&format!(
            "The streams: {}. `https_endpoint` is shown as its origin only: its user, password, path, query and fragment may each hold a secret (a Slack hook's path is its token), so none is shown.",
            names::<StreamItem>()
        )),
    }
}

pub struct EventStreamsData;

impl Declared for EventStreamsData {
    type Model = StreamsListing;

    fn type_name(&self) -> &'static str {
        "ory_event_streams"
    }

    fn summary(&self) -> &'static str {
        "a project's event streams, never their credentials"
    }

    fn description(&self) -> String {
        "Lists the event streams of a project.".into()
    }

    fn noun(&self) -> &'static str {
        "event streams"
    }

    fn describe(&self, config: &StreamsListing) -> String {
        format!("the event streams of project {}", or_empty(&config.project_id))
    }
}

#[async_trait]
impl TypedDataSource for EventStreamsData {
    async fn read(&self, client: &OryClient, config: StreamsListing) -> Result<StreamsListing, Error> {
        let streams = client.console.event_streams(&ProjectId::from(or_empty(&config.project_id))).list().await?;
        Ok(StreamsListing { event_streams: Some(streams.into_iter().map(StreamItem::from).collect()), ..config })
    }
}
