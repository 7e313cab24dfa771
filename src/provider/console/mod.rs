//! Resources of console objects: each is one object of the console API,
//! made and removed by its own calls (projects, workspaces, keys, event
//! streams, members, portal links).

use crate::provider::typed::{Registered, Typed};

pub(super) mod api_key;
pub(super) mod custom_domain;
pub(super) mod ephemeral_api_key;
pub(super) mod event_stream;
pub(super) mod portal_link;
pub(super) mod project;
pub(super) mod project_member;
pub(super) mod workspace;

/// This folder's resource types, a line each (the provider's registry
/// gathers them).
pub(super) fn resources() -> Vec<Box<dyn Registered>> {
    vec![
        Box::new(Typed(workspace::WorkspaceResource)),
        Box::new(Typed(project::ProjectResource)),
        Box::new(Typed(api_key::ApiKeyResource::<api_key::ProjectKeyModel>::new())),
        Box::new(Typed(api_key::ApiKeyResource::<api_key::WorkspaceKeyModel>::new())),
        Box::new(Typed(event_stream::EventStreamResource)),
        Box::new(Typed(custom_domain::CustomDomainResource)),
        Box::new(Typed(portal_link::PortalLinkResource)),
        Box::new(Typed(project_member::ProjectMemberResource)),
    ]
}
