//! The HTTP transport every API client stands on: the console client, a
//! project's API and self-hosted Ory's servers alike. It knows APIs and
//! credentials by kind ([`Reach`]), never a caller's setting names.
//!
//! One call is one [`Transport`] method: the request is sent, retried
//! through rate limits, server errors and lost connections within
//! [`CALL_TIMEOUTS`] request timeouts, paced by the rate limit a server
//! announces, stopped by an interrupt, and its answer is read within
//! bounds (`answers`). Every failure is one [`Error`].

pub(crate) mod answers;
mod error;
pub(crate) mod ids;
mod listings;
pub(crate) mod pace;
pub(crate) mod pages;
pub(crate) mod retry;
mod settings;
mod transport;
mod url;

pub use error::{ApiError, Error, Reach};
pub use settings::{
    Settings, CALL_TIMEOUTS, DEFAULT_MAX_RETRIES, DEFAULT_REQUEST_TIMEOUT, MAX_MAX_RETRIES, MAX_REQUEST_TIMEOUT,
    USER_AGENT,
};
pub use transport::{decode, Payload, Transport};
pub use url::{is_loopback, segment};
