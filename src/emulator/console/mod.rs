//! The console API's areas, a file each: projects (with their documents'
//! calls), workspaces, API keys, event streams, custom domains and
//! organizations. The project document itself is `super::documents`.

pub(super) mod api_keys;
pub(super) mod custom_domains;
pub(super) mod event_streams;
pub(super) mod organizations;
pub(super) mod projects;
pub(super) mod workspaces;
