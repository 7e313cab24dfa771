//! The API's enums and states, each a type defined once. A value the API
//! sends that this client does not know yet (a newer Ory) is kept as
//! `Other`, never a failed read; the provider's schemas offer `NAMES`.

use crate::api_enum::api_enum;

api_enum! {
    /// A project's environment (spec: createProjectBody.environment).
    Environment { Prod = "prod", Stage = "stage", Dev = "dev" }
}

api_enum! {
    /// Where a project's data lives (spec v1.22.65: createProjectBody.home_region).
    HomeRegion {
        EuCentral = "eu-central",
        AsiaNortheast = "asia-northeast",
        UsEast = "us-east",
        UsWest = "us-west",
        Eu = "eu",
        Asia = "asia",
        Us = "us",
        Global = "global",
    }
}

api_enum! {
    /// A project's state (spec: project.state and projectMetadata.state).
    ProjectState { Running = "running", Halted = "halted", Deleted = "deleted" }
}

api_enum! {
    /// Where an event stream sends events (spec: createEventStreamBody.type).
    EventStreamType { Sns = "sns", Https = "https" }
}

api_enum! {
    /// Whether an event stream sends (spec: eventStream.status).
    EventStreamStatus { Active = "active", Paused = "paused" }
}

api_enum! {
    /// How an HTTPS event stream authenticates (API 1.22.87).
    EventStreamAuthType { None = "none", ApiKey = "api_key", Bearer = "bearer" }
}

api_enum! {
    /// A project member's role (spec: projectMember.role).
    MemberRole { Owner = "owner", Developer = "developer", Viewer = "viewer" }
}

api_enum! {
    /// A JSON Patch operation (spec: jsonPatch.op).
    PatchKind { Add = "add", Remove = "remove", Replace = "replace", Move = "move", Copy = "copy", Test = "test" }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_values_are_variants_and_new_ones_are_kept_as_sent() {
        let state: ProjectState = serde_json::from_str(r#""halted""#).unwrap();
        assert_eq!(state, ProjectState::Halted);
        let newer: ProjectState = serde_json::from_str(r#""archived""#).unwrap();
        assert_eq!(newer, ProjectState::Other("archived".into()));
        assert_eq!(serde_json::to_string(&newer).unwrap(), r#""archived""#);
        assert_eq!(serde_json::to_string(&HomeRegion::EuCentral).unwrap(), r#""eu-central""#);
        assert_eq!(Environment::NAMES, ["prod", "stage", "dev"]);
    }
}
