//! Event streams of a project: list, create, change (partial PUT), delete.

use std::collections::BTreeMap;

use reqwest::Method;
use serde::{Deserialize, Serialize};

use super::ids::{EventStreamId, ProjectId};
use super::recover::{Create, Listed, Recovered};
use super::{Client, Error, EventStreamAuthType, EventStreamStatus, EventStreamType};
use crate::http::segment;

#[derive(Clone, Deserialize, Serialize, PartialEq)]
pub struct EventStream {
    pub id: EventStreamId,
    #[serde(rename = "type")]
    pub kind: EventStreamType,
    #[serde(default)]
    pub topic_arn: Option<String>,
    #[serde(default)]
    pub role_arn: Option<String>,
    /// May carry basic-auth credentials and tokens in its query; the API
    /// masks its userinfo and query values.
    #[serde(default)]
    pub https_endpoint: Option<String>,
    #[serde(default)]
    pub https_auth_type: Option<EventStreamAuthType>,
    #[serde(default)]
    pub https_auth_header_name: Option<String>,
    /// Always masked in answers; only its presence means anything.
    #[serde(default)]
    pub https_auth_secret: Option<String>,
    #[serde(default)]
    pub status: Option<EventStreamStatus>,
    #[serde(default)]
    pub created_at: Option<String>,
    #[serde(default)]
    pub updated_at: Option<String>,
    #[serde(flatten)]
    pub additional: BTreeMap<String, serde_json::Value>,
}

impl Client {
    pub fn event_streams(&self, project: &ProjectId) -> EventStreams<'_> {
        EventStreams::new(self, project)
    }
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
    pub kind: Option<EventStreamType>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub topic_arn: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role_arn: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub https_endpoint: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub https_auth_type: Option<EventStreamAuthType>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub https_auth_header_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub https_auth_secret: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<EventStreamStatus>,
}

#[derive(Deserialize)]
struct List {
    #[serde(default)]
    event_streams: Vec<EventStream>,
}

pub struct EventStreams<'c> {
    client: &'c Client,
    project: ProjectId,
    base: String,
}

impl<'c> EventStreams<'c> {
    pub(super) fn new(client: &'c Client, project: &ProjectId) -> EventStreams<'c> {
        EventStreams { client, project: project.clone(), base: format!("/projects/{}/eventstreams", segment(project)) }
    }

    pub async fn list(&self) -> Result<Vec<EventStream>, Error> {
        self.client.check_project(&self.project)?;
        let list: List = self.client.send::<(), _>("listEventStreams", Method::GET, &self.base, None).await?;
        Ok(list.event_streams)
    }

    /// The stream with this ID, or `None` when it no longer exists.
    /// Reads of one project's streams share one listing (see `listings`).
    pub async fn find(&self, id: &EventStreamId) -> Result<Option<EventStream>, Error> {
        self.client.check_project(&self.project)?;
        let streams =
            self.client.shared_listing("listEventStreams", &self.base, |l: List| l.event_streams, |s| &s.id).await?;
        Ok(streams.get(id.as_str()).cloned())
    }

    /// Creates a stream. An unanswered attempt is resolved by what is
    /// provably new (see `recover`). An adopted stream is set to this body:
    /// the API hides the one field, an endpoint's password, that could tell
    /// it from a sibling's.
    pub async fn create(&self, body: &EventStreamBody) -> Result<EventStream, Error> {
        self.client.check_project(&self.project)?;
        let made = self.create_recovered(body).await;
        // Whatever the outcome, a stream may have been made or set.
        self.client.http().forget_listing(&self.base);
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
                listing: super::journal::Listing::EventStreams { project: self.project.clone() },
                fingerprint: fingerprint(
                    body.kind.as_ref(),
                    [&body.topic_arn, &body.role_arn, &body.https_auth_header_name],
                    body.https_auth_type.as_ref(),
                    &body.https_endpoint,
                ),
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
                                id: s.id.to_string(),
                                fingerprint: fingerprint(
                                    Some(&s.kind),
                                    [&s.topic_arn, &s.role_arn, &s.https_auth_header_name],
                                    s.https_auth_type.as_ref(),
                                    &s.https_endpoint,
                                ),
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

    pub async fn set(&self, id: &EventStreamId, body: &EventStreamBody) -> Result<EventStream, Error> {
        self.client.check_project(&self.project)?;
        let set = self
            .client
            .send("setEventStream", Method::PUT, &format!("{}/{}", self.base, segment(id)), Some(body))
            .await;
        self.client.http().forget_listing(&self.base);
        set
    }

    pub async fn delete(&self, id: &EventStreamId) -> Result<(), Error> {
        self.client.check_project(&self.project)?;
        let deleted = self
            .client
            .send_raw::<()>("deleteEventStream", Method::DELETE, &format!("{}/{}", self.base, segment(id)), None)
            .await;
        self.client.http().forget_listing(&self.base);
        deleted.map(drop)
    }
}

/// What a listing shows of a stream's destination, in a form no spelling of
/// the API's masks can change: the endpoint's scheme, host, port and path
/// (its userinfo and query are masked, in a way the API does not specify),
/// the auth scheme and header, never the secret. Looser than what tells
/// streams apart is safe here: look-alikes are resolved by count.
fn fingerprint(
    kind: Option<&EventStreamType>,
    shown: [&Option<String>; 3],
    auth_type: Option<&EventStreamAuthType>,
    endpoint: &Option<String>,
) -> String {
    let endpoint = endpoint.as_deref().map(|e| match reqwest::Url::parse(e) {
        Ok(mut url) => {
            let _ = url.set_username("");
            let _ = url.set_password(None);
            url.set_query(None);
            url.set_fragment(None);
            url.to_string()
        }
        Err(_) => e.to_string(),
    });
    let [topic_arn, role_arn, header] = shown;
    // Left out, or shown for a stream of another type, it means none.
    let auth_type = auth_type.unwrap_or(&EventStreamAuthType::None);
    serde_json::json!([kind, topic_arn, role_arn, endpoint, auth_type, header]).to_string()
}

/// The endpoint with every value the API masks blanked, however it spells
/// the mask: what stays is the scheme, host, path and query keys, and
/// whether a user, a password and each query value are there.
fn shape(endpoint: &str) -> Option<String> {
    let mut url = reqwest::Url::parse(endpoint).ok()?;
    if !url.username().is_empty() {
        let _ = url.set_username("_");
    }
    if url.password().is_some() {
        let _ = url.set_password(Some("_"));
    }
    if url.query().is_some() {
        let pairs: Vec<(String, &str)> =
            url.query_pairs().map(|(k, v)| (k.into_owned(), if v.is_empty() { "" } else { "_" })).collect();
        url.query_pairs_mut().clear().extend_pairs(pairs);
    }
    Some(url.to_string())
}

/// Whether the API shows two endpoint URLs alike: it masks an endpoint's
/// userinfo and query values in every answer, so endpoints that differ only
/// there look the same.
pub fn shown_alike(a: &str, b: &str) -> bool {
    matches!((shape(a), shape(b)), (Some(a), Some(b)) if a == b)
}

#[cfg(test)]
mod tests {
    use super::{fingerprint, shown_alike, EventStreamAuthType, EventStreamType};

    #[test]
    fn a_stream_sent_matches_itself_listed_however_the_api_masks() {
        let sent = Some("https://u:p@h.example/x?token=abc".to_string());
        let https = Some(&EventStreamType::Https);
        let none = [&None, &None, &None];
        let mine = fingerprint(https, none, None, &sent);
        let listed = [
            "https://REDACTED:REDACTED@h.example/x?token=REDACTED",
            "https://***@h.example/x?token=***",
            "https://h.example/x",
        ];
        for shown in listed {
            let theirs = fingerprint(https, none, Some(&EventStreamAuthType::None), &Some(shown.to_string()));
            assert_eq!(mine, theirs, "{shown}");
        }
        let elsewhere = fingerprint(https, none, None, &Some("https://h.example/y".to_string()));
        assert_ne!(mine, elsewhere);
        assert_ne!(mine, fingerprint(https, none, Some(&EventStreamAuthType::Bearer), &sent));
    }

    #[test]
    fn endpoints_alike_differ_only_where_the_api_masks() {
        let alike = [
            (
                "https://u:p@h.example/x?token=abc&v=1",
                "https://REDACTED:REDACTED@h.example/x?token=REDACTED&v=REDACTED",
            ),
            ("https://h.example/x?token=a%20b", "https://h.example/x?token=***"),
            ("https://h.example/x?flag=", "https://h.example/x?flag="),
        ];
        for (a, b) in alike {
            assert!(shown_alike(a, b), "{a} and {b}");
        }
        let apart = [
            ("https://h.example/x?token=abc", "https://h.example/x?key=abc"),
            ("https://u:p@h.example/x", "https://u@h.example/x"),
            ("https://h.example/x", "https://h.example/y"),
            ("https://h.example/x?flag=", "https://h.example/x?flag=1"),
            ("https://h.example/x?a=1&b=2", "https://h.example/x?b=2&a=1"),
        ];
        for (a, b) in apart {
            assert!(!shown_alike(a, b), "{a} and {b}");
        }
    }
}
