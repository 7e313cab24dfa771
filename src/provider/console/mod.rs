//! Resources of console objects: each is one object of the console API,
//! made and removed by its own calls (projects, workspaces, keys, event
//! streams, members, portal links).

pub(super) mod api_key;
pub(super) mod custom_domain;
pub(super) mod ephemeral_api_key;
pub(super) mod event_stream;
pub(super) mod portal_link;
pub(super) mod project;
pub(super) mod project_member;
pub(super) mod workspace;
