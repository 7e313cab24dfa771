//! Event streams of a project: list, create, change (partial PUT), delete.

use std::collections::BTreeMap;

use reqwest::Method;
use serde::{Deserialize, Serialize};

use super::recover::{made_since, Found};
use super::{segment, Client, Error};

#[derive(Clone, Deserialize, Serialize, PartialEq)]
pub struct EventStream {
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
    pub async fn find(&self, id: &str) -> Result<Option<EventStream>, Error> {
        Ok(self.list().await?.into_iter().find(|s| s.id == id))
    }

    /// Creates a stream. An unanswered attempt is resolved by reading back:
    /// a stream of this type and destination made since the attempt is adopted.
    pub async fn create(&self, body: &EventStreamBody) -> Result<EventStream, Error> {
        self.client.check_project(&self.project)?;
        self.client
            .create_once(
                "event stream",
                || self.client.send("createEventStream", Method::POST, &self.base, Some(body)),
                |started| async move {
                    let made = self.list().await?.into_iter().find(|s| {
                        Some(&s.kind) == body.kind.as_ref()
                            && s.topic_arn == body.topic_arn
                            && match (s.https_endpoint.as_deref(), body.https_endpoint.as_deref()) {
                                (None, None) => true,
                                (Some(a), Some(b)) => same_but_password(a, b),
                                _ => false,
                            }
                            && made_since(s.created_at.as_deref(), started)
                    });
                    Ok(made.map_or(Found::Nothing, Found::Made))
                },
            )
            .await
    }

    pub async fn set(&self, id: &str, body: &EventStreamBody) -> Result<EventStream, Error> {
        self.client.check_project(&self.project)?;
        self.client.send("setEventStream", Method::PUT, &format!("{}/{}", self.base, segment(id)), Some(body)).await
    }

    pub async fn delete(&self, id: &str) -> Result<(), Error> {
        self.client.check_project(&self.project)?;
        self.client
            .send_raw::<()>("deleteEventStream", Method::DELETE, &format!("{}/{}", self.base, segment(id)), None)
            .await
            .map(drop)
    }
}

/// Whether two endpoint URLs are the same once their passwords are set
/// aside: the API answers with the password redacted.
pub fn same_but_password(a: &str, b: &str) -> bool {
    let strip = |s: &str| {
        reqwest::Url::parse(s).ok().map(|mut u| {
            let _ = u.set_password(None);
            u
        })
    };
    matches!((strip(a), strip(b)), (Some(a), Some(b)) if a == b)
}
