//! The values attributes allow, each defined once. Schemas take them with
//! `one_of`, which both checks a configuration and lists them in the docs.
//! The console API's own enums are types of its client
//! (`console::enums`); the lists here name their values, and add what only
//! the project document knows (hook flows, courier templates, ...).

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

/// Self-service flows that run hooks (Ory Kratos `selfservice.flows`).
pub const HOOK_FLOWS: &[&str] = &["login", "registration", "settings", "recovery", "verification"];
/// When a hook runs in its flow.
pub const HOOK_TIMINGS: &[&str] = &["before", "after"];
/// The methods whose own after-hook lists each flow has (`after.<method>.hooks`);
/// recovery and verification have none.
pub const HOOK_AUTH_METHODS: &[(&str, &[&str])] = &[
    ("login", &["password", "oidc", "saml", "code", "webauthn", "passkey", "totp", "lookup_secret"]),
    ("registration", &["password", "oidc", "saml", "code", "webauthn", "passkey"]),
    ("settings", &["password", "profile", "oidc", "webauthn", "passkey", "totp", "lookup_secret"]),
];
/// Every method named in [`HOOK_AUTH_METHODS`].
pub const AUTH_METHODS: &[&str] =
    &["password", "oidc", "saml", "code", "webauthn", "passkey", "totp", "lookup_secret", "profile"];
/// A web hook's HTTP method.
pub const WEBHOOK_METHODS: &[&str] = &["POST", "GET", "PUT", "PATCH", "DELETE"];
/// How a web hook authenticates (`config.auth.type`).
pub const WEBHOOK_AUTH_TYPES: &[&str] = &["api_key", "basic_auth"];
/// Where an API key goes (`config.auth.config.in`).
pub const API_KEY_PLACES: &[&str] = &["header", "cookie"];
/// The environments whose projects may have organizations.
pub const ORGANIZATION_ENVIRONMENTS: &[&str] = &["prod", "stage"];

/// `provider` of a social sign-in provider: the integrations Ory Kratos
/// ships (its configuration schema's `selfservice.methods.oidc` providers).
/// When a social sign-in updates the identity from the provider's claims.
pub const SOCIAL_UPDATE_IDENTITY: &[&str] = &["never", "automatic"];

pub const SOCIAL_PROVIDER_TYPES: &[&str] = &[
    "generic",
    "google",
    "github",
    "github-app",
    "gitlab",
    "microsoft",
    "discord",
    "salesforce",
    "slack",
    "facebook",
    "auth0",
    "vk",
    "yandex",
    "apple",
    "spotify",
    "netid",
    "dingtalk",
    "patreon",
    "linkedin",
    "linkedin_v2",
    "lark",
    "x",
    "fedcm-test",
    "amazon",
    "line",
    "uaepass",
    "jackson",
    "twitch",
];

/// `pkce` of a social sign-in provider.
pub const SOCIAL_PKCE: &[&str] = &["auto", "force", "never"];

/// `account_linking_mode` of a social sign-in provider (Ory Network).
pub const SOCIAL_ACCOUNT_LINKING_MODES: &[&str] = &["automatic", "confirm_with_existing_credential"];

/// The courier's email templates (Ory Kratos `courier.templates`).
pub const EMAIL_TEMPLATE_TYPES: &[&str] =
    &["recovery_code", "recovery", "verification_code", "verification", "login_code", "registration_code"];

/// Which address a template is for: a known one, or one no identity has.
pub const EMAIL_TEMPLATE_VARIANTS: &[&str] = &["valid", "invalid"];

/// Templates sent to known addresses only.
pub const VALID_ONLY_TEMPLATES: &[&str] = &["login_code", "registration_code"];
