//! The IDs of a project's own API, a type each (see `crate::http::ids`).

use crate::http::ids::api_id;

api_id!(
    /// An identity's ID.
    IdentityId
);
api_id!(
    /// An OAuth2 client's ID.
    ClientId
);
api_id!(
    /// A trust relationship's ID (a trusted JWT issuer).
    TrustId
);
