//! Event streams of a project: list, create, change (partial PUT), delete.

use std::collections::BTreeMap;

use reqwest::Method;
use serde::{Deserialize, Serialize};

use super::recover::{Create, Listed, Recovered};
use super::{answers, segment, Client, Error};

#[derive(Clone, Deserialize, Serialize, PartialEq)]
pub struct EventStream {
    #[serde(deserialize_with = "answers::id")]
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub topic_arn: Option<String>,
    #[serde(default)]
    pub role_arn: Option<String>,
    /// May carry basic-auth credentials; the API redacts the password.
    #[serde(default)]
    pub https_endpoint: Option<String>,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub created_at: Option<String>,
    #[serde(default)]
    pub updated_at: Option<String>,
    #[serde(flatten)]
    pub additional: BTreeMap<String, serde_json::Value>,
}

impl std::fmt::Debug for EventStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EventStream").field("id", &self.id).field("type", &self.kind).finish_non_exhaustive()
    }
}

/// The body of create, and of a change: fields left `None` are not sent,
/// and on a change keep their current value.
#[derive(Clone, Default, Serialize)]
pub struct EventStreamBody {
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub topic_arn: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role_arn: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub https_endpoint: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
}

#[derive(Deserialize)]
struct List {
    #[serde(default)]
    event_streams: Vec<EventStream>,
}

pub struct EventStreams<'c> {
    client: &'c Client,
    project: String,
    base: String,
}

impl<'c> EventStreams<'c> {
    pub(super) fn new(client: &'c Client, project: &str) -> EventStreams<'c> {
        EventStreams {
            client,
            project: project.to_string(),
            base: format!("/projects/{}/eventstreams", segment(project)),
        }
    }

    pub async fn list(&self) -> Result<Vec<EventStream>, Error> {
        self.client.check_project(&self.project)?;
        let list: List = self.client.send::<(), _>("listEventStreams", Method::GET, &self.base, None).await?;
        Ok(list.event_streams)
    }

    /// The stream with this ID, or `None` when it no longer exists.
    /// Reads of one project's streams share one listing (see `listings`).
    pub async fn find(&self, id: &str) -> Result<Option<EventStream>, Error> {
        self.client.check_project(&self.project)?;
        let streams =
            self.client.shared_listing("listEventStreams", &self.base, |l: List| l.event_streams, |s| &s.id).await?;
        Ok(streams.get(id).cloned())
    }

    /// Creates a stream. An unanswered attempt is resolved by what is
    /// provably new (see `recover`). An adopted stream is set to this body:
    /// the API hides the one field, an endpoint's password, that could tell
    /// it from a sibling's.
    pub async fn create(&self, body: &EventStreamBody) -> Result<EventStream, Error> {
        self.client.check_project(&self.project)?;
        let made = self.create_recovered(body).await;
        // Whatever the outcome, a stream may have been made or set.
        self.client.listings.forget(&self.base);
        made
    }

    async fn create_recovered(&self, body: &EventStreamBody) -> Result<EventStream, Error> {
        let calm_client = self.client.unstoppable();
        let calm = &EventStreams::new(&calm_client, &self.project);
        self.client
            .create_once(Create {
                what: "event stream",
                gate: self.base.clone(),
                source: self.base.clone(),
                listing: super::inflight::Listing::EventStreams { project: self.project.clone() },
                fingerprint: fingerprint(body.kind.as_deref(), &body.topic_arn, &body.role_arn, &body.https_endpoint),
                post: Box::new(move || {
                    Box::pin(self.client.send("createEventStream", Method::POST, &self.base, Some(body)))
                }),
                id: |s: &EventStream| &s.id,
                list: Box::new(move || {
                    Box::pin(async move {
                        let streams = calm.list().await?;
                        Ok(streams
                            .into_iter()
                            .map(|s| Listed {
                                id: s.id.clone(),
                                fingerprint: fingerprint(Some(&s.kind), &s.topic_arn, &s.role_arn, &s.https_endpoint),
                                item: s,
                            })
                            .collect())
                    })
                }),
                recovered: Recovered::Adopt(Box::new(move |s: EventStream| {
                    Box::pin(async move { calm.set(&s.id, body).await })
                })),
            })
            .await
    }

    pub async fn set(&self, id: &str, body: &EventStreamBody) -> Result<EventStream, Error> {
        self.client.check_project(&self.project)?;
        let set = self
            .client
            .send("setEventStream", Method::PUT, &format!("{}/{}", self.base, segment(id)), Some(body))
            .await;
        self.client.listings.forget(&self.base);
        set
    }

    pub async fn delete(&self, id: &str) -> Result<(), Error> {
        self.client.check_project(&self.project)?;
        let deleted = self
            .client
            .send_raw::<()>("deleteEventStream", Method::DELETE, &format!("{}/{}", self.base, segment(id)), None)
            .await;
        self.client.listings.forget(&self.base);
        deleted.map(drop)
    }
}

/// What a listing shows of a stream's destination: the endpoint without its
/// password, which the API redacts.
fn fingerprint(
    kind: Option<&str>,
    topic_arn: &Option<String>,
    role_arn: &Option<String>,
    endpoint: &Option<String>,
) -> String {
    let endpoint = endpoint.as_deref().map(|e| without_password(e).map_or_else(|| e.to_string(), String::from));
    serde_json::json!([kind, topic_arn, role_arn, endpoint]).to_string()
}

fn without_password(endpoint: &str) -> Option<reqwest::Url> {
    let mut url = reqwest::Url::parse(endpoint).ok()?;
    let _ = url.set_password(None);
    Some(url)
}

/// Whether the API shows two endpoint URLs alike: it redacts an endpoint's
/// password in every answer, so endpoints that differ only there look the same.
pub fn shown_alike(a: &str, b: &str) -> bool {
    matches!((without_password(a), without_password(b)), (Some(a), Some(b)) if a == b)
}
