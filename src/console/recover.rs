//! Creating without duplicates or orphans. A POST whose answer was lost (a
//! 5xx, or a connection that broke after sending) may or may not have taken
//! effect. It is never resent blindly: the client first reads back what
//! exists, adopts the object the attempt made, and resends only when nothing
//! was made.

use std::future::Future;

use chrono::{DateTime, Utc};

use super::{retry, Client, Error};

/// What reading back after an unanswered create found.
pub enum Found<T> {
    /// The attempt made this object.
    Made(T),
    /// Nothing was made (or what was made is cleaned up): safe to send again.
    Nothing,
}

/// How far back an object's creation time may lie before the attempt and
/// still be the attempt's: clocks of client and server differ.
const CLOCK_SLACK_SECONDS: i64 = 60;

/// Whether `created_at` (RFC 3339) is late enough to come from an attempt started at `started`.
pub fn made_since(created_at: Option<&str>, started: DateTime<Utc>) -> bool {
    created_at
        .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
        .is_some_and(|t| t.with_timezone(&Utc) >= started - chrono::Duration::seconds(CLOCK_SLACK_SECONDS))
}

impl Error {
    /// Whether the request may have taken effect although no answer says so.
    pub fn is_ambiguous(&self) -> bool {
        match self {
            Error::Api(api) => api.status >= 500,
            Error::Transport(e) => !e.is_connect(),
            _ => false,
        }
    }
}

impl Client {
    /// Runs `create`; when its outcome is unknown, asks `find` what the attempt
    /// made, and sends again only if it made nothing.
    pub(crate) async fn create_once<T, C, CF, F, FF>(&self, what: &str, create: C, find: F) -> Result<T, Error>
    where
        C: Fn() -> CF,
        CF: Future<Output = Result<T, Error>>,
        F: Fn(DateTime<Utc>) -> FF,
        FF: Future<Output = Result<Found<T>, Error>>,
    {
        let mut attempt = 0;
        loop {
            let started = Utc::now();
            match create().await {
                Err(e) if e.is_ambiguous() && attempt < self.max_retries => {
                    tracing::info!(what, error = %e, "no answer to a create; reading back before anything is sent again");
                    self.pause(retry::wait(self.retry_base, attempt, None)).await?;
                    attempt += 1;
                    match find(started).await? {
                        Found::Made(t) => {
                            tracing::info!(what, "adopted the object the unanswered create made");
                            return Ok(t);
                        }
                        Found::Nothing => continue,
                    }
                }
                other => return other,
            }
        }
    }
}
