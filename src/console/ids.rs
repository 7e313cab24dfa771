//! The console API's IDs, a type each (see `crate::http::ids`).

use crate::http::ids::api_id;

api_id!(
    /// A workspace's ID.
    WorkspaceId
);
api_id!(
    /// A project's ID.
    ProjectId
);
api_id!(
    /// A revision of a project's configuration.
    RevisionId
);
api_id!(
    /// A project's or workspace's API key's ID.
    ApiKeyId
);
api_id!(
    /// An event stream's ID.
    EventStreamId
);
api_id!(
    /// A custom domain's ID.
    CustomDomainId
);
api_id!(
    /// A B2B organization's ID.
    OrganizationId
);
api_id!(
    /// An organization's onboarding portal link's ID.
    PortalLinkId
);
api_id!(
    /// A project member's ID.
    MemberId
);
