//! A typed client of the Ory console API (the control plane reached with a
//! workspace API key), on the shared [`crate::http`] transport. It knows
//! nothing of its callers: no Terraform, no provider settings.
//!
//! Calls read like the API, one handler per area:
//! `client.projects().get(&id)`.

pub mod api_keys;
mod client;
pub mod custom_domains;
pub mod document;
pub mod enums;
pub mod event_streams;
#[cfg(fuzzing)]
pub mod fuzzing;
mod ids;
pub mod inflight;
mod journal;
mod ledger;
pub mod members;
pub mod opl;
pub mod organizations;
mod patch;
mod project;
pub mod projects;
mod recover;
#[cfg(test)]
mod shared_listings;
#[cfg(test)]
mod testbed;
pub mod workspaces;
mod writers;

pub use crate::http::{ApiError, Error};
pub use api_keys::{ApiKey, ApiKeys, Owner};
pub use client::{Client, Config, DEFAULT_URL};
pub use custom_domains::{CustomDomain, CustomDomainBody, CustomDomains};
pub use document::{Document, Edited, MAX_CONFLICTS};
pub use enums::{
    Environment, EventStreamAuthType, EventStreamStatus, EventStreamType, HomeRegion, MemberRole, PatchKind,
    ProjectState,
};
pub use event_streams::{EventStream, EventStreamBody, EventStreams};
pub use ids::{
    ApiKeyId, CustomDomainId, EventStreamId, MemberId, OrganizationId, PortalLinkId, ProjectId, RevisionId, WorkspaceId,
};
pub use members::{Member, Members};
pub use opl::{Opl, OplPosition, OplProblem};
pub use organizations::{Organization, Organizations, PortalLink, PortalLinkBody};
pub use patch::{PatchOp, Warning};
pub use project::Project;
pub use projects::{CreateProject, ProjectMetadata, Projects};
pub use workspaces::{Workspace, Workspaces};
