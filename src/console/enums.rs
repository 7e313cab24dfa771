//! The API's enums and states, each a type defined once. A value the API
//! sends that this client does not know yet (a newer Ory) is kept as
//! `Other`, never a failed read; the provider's schemas offer `NAMES`.

use serde::{Deserialize, Serialize};

macro_rules! api_enum {
    ($(#[$doc:meta])* $name:ident { $($variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(from = "String", into = "String")]
        pub enum $name {
            $($variant,)+
            /// A value this client does not know, as the API sent it.
            Other(String),
        }

        impl $name {
            /// Every value this client knows, as the API spells them.
            pub const NAMES: &'static [&'static str] = &[$($text),+];

            pub fn as_str(&self) -> &str {
                match self {
                    $($name::$variant => $text,)+
                    $name::Other(text) => text,
                }
            }
        }

        impl From<String> for $name {
            fn from(text: String) -> $name {
                match text.as_str() {
                    $($text => $name::$variant,)+
                    _ => $name::Other(text),
                }
            }
        }

        impl From<&str> for $name {
            fn from(text: &str) -> $name {
                $name::from(text.to_string())
            }
        }

        impl From<$name> for String {
            fn from(value: $name) -> String {
                value.as_str().to_string()
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

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
