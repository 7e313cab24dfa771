//! How every transport of one caller behaves, and what a request carries.

use std::time::Duration;

/// This client, as servers see it when no caller says more.
pub const USER_AGENT: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));

/// The default `request_timeout`, and its range.
pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
pub const MAX_REQUEST_TIMEOUT: Duration = Duration::from_secs(600);
/// One call, with all its attempts and waits, takes at most this many
/// request timeouts: an unresponsive server costs a known, short time.
pub const CALL_TIMEOUTS: u32 = 3;
/// The default and the range of `max_retries`.
pub const DEFAULT_MAX_RETRIES: u32 = 6;
pub const MAX_MAX_RETRIES: u32 = 20;

/// How every transport of one caller behaves, whatever it reaches.
#[derive(Clone, Debug)]
pub struct Settings {
    /// How long one request may take, from connect to the end of the body.
    /// One call, its retries and the waits between them included, ends
    /// after [`CALL_TIMEOUTS`] times this.
    pub request_timeout: Duration,
    /// How many times a failed request may be sent again (429, 5xx, lost connections).
    pub max_retries: u32,
    /// The first wait before a retry; each further one doubles it.
    pub retry_base: Duration,
    /// Turns true when the caller is interrupted: requests and waits in
    /// flight end at once with [`Error::Stopped`](super::Error::Stopped).
    pub stop: Option<tokio::sync::watch::Receiver<bool>>,
    /// The `User-Agent` header: [`USER_AGENT`], or what the caller makes of it.
    pub user_agent: String,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            request_timeout: DEFAULT_REQUEST_TIMEOUT,
            max_retries: DEFAULT_MAX_RETRIES,
            retry_base: Duration::from_millis(250),
            stop: None,
            user_agent: USER_AGENT.to_string(),
        }
    }
}
