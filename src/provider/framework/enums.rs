//! The values attributes allow, each defined once, as a type (`api_enum!`)
//! whose `NAMES` schemas take with `one_of`, which both checks a
//! configuration and lists them in the docs. The APIs' own enums are types
//! of their clients (`console::enums`, `project_api`); the constants here
//! name their values, and the types here are what only the project document
//! knows (hook flows, courier templates, ...).

use crate::api_enum::api_enum;
use crate::console::ProjectState;
use crate::console::{Environment, EventStreamAuthType, EventStreamStatus, EventStreamType, HomeRegion, MemberRole};

pub const ENVIRONMENTS: &[&str] = Environment::NAMES;
pub const HOME_REGIONS: &[&str] = HomeRegion::NAMES;
pub const PROJECT_STATES: &[&str] = ProjectState::NAMES;
pub const EVENT_STREAM_TYPES: &[&str] = EventStreamType::NAMES;

/// `https_auth_type` of an HTTPS event stream, but `none` (the first),
/// which leaving it out means.
pub const EVENT_STREAM_AUTH_TYPES: &[&str] = EventStreamAuthType::NAMES.split_at(1).1;

/// Headers an event stream's API key may not travel in: those Ory sets
/// itself and the connection-specific ones HTTP/2 forbids (API 1.22.87,
/// createEventStreamBody.https_auth_header_name), lowercase.
pub const EVENT_STREAM_RESERVED_HEADERS: &[&str] = &[
    "connection",
    "keep-alive",
    "upgrade",
    "te",
    "transfer-encoding",
    "proxy-connection",
    "host",
    "content-type",
    "content-length",
    "user-agent",
];

/// The longest event stream auth secret Ory takes (API 1.22.87).
pub const EVENT_STREAM_MAX_SECRET_BYTES: usize = 4096;

pub const EVENT_STREAM_STATUSES: &[&str] = EventStreamStatus::NAMES;
pub const MEMBER_ROLES: &[&str] = MemberRole::NAMES;

/// A new project's environment when the configuration names none.
pub const DEFAULT_ENVIRONMENT: &str = "prod";
/// A new project's home region when the configuration names none.
pub const DEFAULT_HOME_REGION: &str = "eu-central";
/// An event stream's status when the configuration names none.
pub const DEFAULT_EVENT_STREAM_STATUS: &str = "active";

api_enum! {
    /// Self-service flows that run hooks (Ory Kratos `selfservice.flows`).
    HookFlow {
        Login = "login",
        Registration = "registration",
        Settings = "settings",
        Recovery = "recovery",
        Verification = "verification",
    }
}
api_enum! {
    /// When a hook runs in its flow.
    HookTiming {
        Before = "before",
        After = "after",
    }
}
/// The methods whose own after-hook lists each flow has (`after.<method>.hooks`);
/// recovery and verification have none.
pub const HOOK_AUTH_METHODS: &[(&str, &[&str])] = &[
    ("login", &["password", "oidc", "saml", "code", "webauthn", "passkey", "totp", "lookup_secret"]),
    ("registration", &["password", "oidc", "saml", "code", "webauthn", "passkey"]),
    ("settings", &["password", "profile", "oidc", "webauthn", "passkey", "totp", "lookup_secret"]),
];
api_enum! {
    /// Every method named in [`HOOK_AUTH_METHODS`].
    AuthMethod {
        Password = "password",
        Oidc = "oidc",
        Saml = "saml",
        Code = "code",
        Webauthn = "webauthn",
        Passkey = "passkey",
        Totp = "totp",
        LookupSecret = "lookup_secret",
        Profile = "profile",
    }
}
api_enum! {
    /// A web hook's HTTP method.
    WebhookMethod {
        Post = "POST",
        Get = "GET",
        Put = "PUT",
        Patch = "PATCH",
        Delete = "DELETE",
    }
}
api_enum! {
    /// How a web hook authenticates (`config.auth.type`).
    WebhookAuthType {
        ApiKey = "api_key",
        BasicAuth = "basic_auth",
    }
}
api_enum! {
    /// Where an API key goes (`config.auth.config.in`).
    ApiKeyPlace {
        Header = "header",
        Cookie = "cookie",
    }
}
/// The environments whose projects may have organizations.
pub const ORGANIZATION_ENVIRONMENTS: &[&str] = &["prod", "stage"];

api_enum! {
    /// `provider` of a social sign-in provider: the integrations Ory Kratos
    /// ships (its configuration schema's `selfservice.methods.oidc` providers).
    /// When a social sign-in updates the identity from the provider's claims.
    SocialUpdateIdentity {
        Never = "never",
        Automatic = "automatic",
    }
}

api_enum! {
    SocialProviderType {
        Generic = "generic",
        Google = "google",
        Github = "github",
        GithubApp = "github-app",
        Gitlab = "gitlab",
        Microsoft = "microsoft",
        Discord = "discord",
        Salesforce = "salesforce",
        Slack = "slack",
        Facebook = "facebook",
        Auth0 = "auth0",
        Vk = "vk",
        Yandex = "yandex",
        Apple = "apple",
        Spotify = "spotify",
        Netid = "netid",
        Dingtalk = "dingtalk",
        Patreon = "patreon",
        Linkedin = "linkedin",
        LinkedinV2 = "linkedin_v2",
        Lark = "lark",
        X = "x",
        FedcmTest = "fedcm-test",
        Amazon = "amazon",
        Line = "line",
        Uaepass = "uaepass",
        Jackson = "jackson",
        Twitch = "twitch",
    }
}

api_enum! {
    /// `pkce` of a social sign-in provider.
    SocialPkce {
        Auto = "auto",
        Force = "force",
        Never = "never",
    }
}

api_enum! {
    /// `account_linking_mode` of a social sign-in provider (Ory Network).
    SocialAccountLinkingMode {
        Automatic = "automatic",
        ConfirmWithExistingCredential = "confirm_with_existing_credential",
    }
}

api_enum! {
    /// The courier's email templates (Ory Kratos `courier.templates`).
    EmailTemplateType {
        RecoveryCode = "recovery_code",
        Recovery = "recovery",
        VerificationCode = "verification_code",
        Verification = "verification",
        LoginCode = "login_code",
        RegistrationCode = "registration_code",
    }
}

api_enum! {
    /// Which address a template is for: a known one, or one no identity has.
    EmailTemplateVariant {
        Valid = "valid",
        Invalid = "invalid",
    }
}

/// Templates sent to known addresses only.
pub const VALID_ONLY_TEMPLATES: &[&str] = &["login_code", "registration_code"];
