//! A typed client of the Ory console API (the control plane reached with a
//! workspace API key). It knows nothing of its callers: no Terraform, no
//! provider settings.
//!
//! Calls read like the API, one handler per area:
//! `client.projects().get(&id)`.

pub(crate) mod answers;
pub mod api_keys;
mod client;
pub mod custom_domains;
pub mod document;
pub mod enums;
mod error;
pub mod event_streams;
#[cfg(fuzzing)]
pub mod fuzzing;
pub mod inflight;
mod listings;
pub mod members;
pub mod opl;
pub mod organizations;
mod pace;
pub mod projects;
mod recover;
pub(crate) mod retry;
#[cfg(test)]
mod testbed;
pub mod workspaces;

pub use api_keys::{ApiKey, ApiKeys, Owner};
pub(crate) use client::segment;
pub use client::{
    is_loopback, Client, Config, CALL_TIMEOUTS, DEFAULT_MAX_RETRIES, DEFAULT_REQUEST_TIMEOUT, DEFAULT_URL,
    MAX_MAX_RETRIES, MAX_REQUEST_TIMEOUT, USER_AGENT,
};
pub use custom_domains::{CustomDomain, CustomDomainBody, CustomDomains};
pub use document::{Document, Edited, PatchOp, Warning, MAX_CONFLICTS};
pub use enums::{
    Environment, EventStreamAuthType, EventStreamStatus, EventStreamType, HomeRegion, MemberRole, PatchKind,
    ProjectState,
};
pub use error::{ApiError, Error, Reach};
pub use event_streams::{EventStream, EventStreamBody, EventStreams};
pub use members::{Member, Members};
pub use opl::{Opl, OplPosition, OplProblem};
pub use organizations::{Organization, Organizations, PortalLink, PortalLinkBody};
pub use projects::{CreateProject, Project, ProjectMetadata, Projects};
pub use workspaces::{Workspace, Workspaces};
