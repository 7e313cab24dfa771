//! What `adopt` writes of a project's configuration: the settings teams
//! change, where a project's live value is not Ory's default.

use serde_json::Value as Json;

use crate::provider::validators;

/// The settings an adopted `ory_project_config` manages when a project's
/// value differs from Ory's default for a new project: the ones teams
/// change, each beside its default (UNVERIFIED for Ory Network as a whole:
/// Kratos' and Hydra's documented defaults, and what Ory Network shows for
/// a new project). Lists and entries other resources own are not here.
const SETTINGS: &[(&str, DefaultValue)] = {
    use DefaultValue::{Bool, Duration, Int, Text};
    &[
        ("/services/identity/config/session/lifespan", Duration("72h")),
        ("/services/identity/config/session/cookie/persistent", Bool(true)),
        ("/services/identity/config/session/cookie/same_site", Text("Lax")),
        ("/services/identity/config/session/whoami/required_aal", Text("highest_available")),
        ("/services/identity/config/cookies/same_site", Text("Lax")),
        ("/services/identity/config/courier/smtp/from_address", Text("no-reply@ory.sh")),
        ("/services/identity/config/selfservice/methods/password/enabled", Bool(true)),
        ("/services/identity/config/selfservice/methods/password/config/min_password_length", Int(8)),
        ("/services/identity/config/selfservice/methods/password/config/haveibeenpwned_enabled", Bool(true)),
        (
            "/services/identity/config/selfservice/methods/password/config/identifier_similarity_check_enabled",
            Bool(true),
        ),
        ("/services/identity/config/selfservice/methods/code/enabled", Bool(true)),
        ("/services/identity/config/selfservice/methods/totp/enabled", Bool(false)),
        ("/services/identity/config/selfservice/methods/lookup_secret/enabled", Bool(false)),
        ("/services/identity/config/selfservice/methods/webauthn/enabled", Bool(false)),
        ("/services/identity/config/selfservice/methods/passkey/enabled", Bool(false)),
        ("/services/identity/config/selfservice/methods/link/enabled", Bool(false)),
        ("/services/identity/config/selfservice/methods/profile/enabled", Bool(true)),
        ("/services/identity/config/selfservice/flows/registration/enabled", Bool(true)),
        ("/services/identity/config/selfservice/flows/recovery/enabled", Bool(false)),
        ("/services/identity/config/selfservice/flows/verification/enabled", Bool(true)),
        ("/services/identity/config/selfservice/flows/recovery/use", Text("code")),
        ("/services/identity/config/selfservice/flows/verification/use", Text("code")),
        ("/services/identity/config/selfservice/flows/login/lifespan", Duration("30m")),
        ("/services/identity/config/selfservice/flows/registration/lifespan", Duration("30m")),
        ("/services/identity/config/selfservice/flows/settings/privileged_session_max_age", Duration("15m")),
        ("/services/identity/config/selfservice/flows/settings/required_aal", Text("highest_available")),
        ("/services/oauth2/config/ttl/access_token", Duration("1h")),
        ("/services/oauth2/config/ttl/refresh_token", Duration("720h")),
        ("/services/oauth2/config/ttl/id_token", Duration("1h")),
        ("/services/oauth2/config/ttl/auth_code", Duration("10m")),
        ("/services/oauth2/config/ttl/login_consent_request", Duration("30m")),
        ("/services/oauth2/config/oauth2/pkce/enforced", Bool(false)),
        ("/services/oauth2/config/oauth2/pkce/enforced_for_public_clients", Bool(true)),
        ("/services/oauth2/config/strategies/access_token", Text("opaque")),
        ("/services/oauth2/config/strategies/scope", Text("wildcard")),
        ("/services/oauth2/config/oidc/dynamic_client_registration/enabled", Bool(false)),
        ("/services/permission/config/limit/max_read_depth", Int(5)),
        ("/services/account_experience/config/default_locale", Text("en")),
        ("/services/account_experience/config/locale_behavior", Text("force_default")),
        ("/cors_public/enabled", Bool(false)),
        ("/cors_admin/enabled", Bool(false)),
    ]
};

/// A setting's default, compared as Ory means it: `72h` is `72h0m0s`.
enum DefaultValue {
    Bool(bool),
    Int(i64),
    Text(&'static str),
    Duration(&'static str),
}

impl DefaultValue {
    fn is(&self, live: &Json) -> bool {
        match self {
            DefaultValue::Bool(b) => live.as_bool() == Some(*b),
            DefaultValue::Int(n) => live.as_i64() == Some(*n),
            DefaultValue::Text(t) => live.as_str() == Some(*t),
            DefaultValue::Duration(d) => {
                let seconds = validators::parse_duration;
                live.as_str().and_then(seconds).is_some_and(|live| Some(live) == seconds(d))
            }
        }
    }
}

/// The settings whose live value differs from the default, and CORS
/// origins when there are any; a setting absent is Ory's default.
pub(super) fn changed_settings(doc: &Json) -> Vec<String> {
    let mut changed: Vec<String> = SETTINGS
        .iter()
        .filter(|(pointer, default)| doc.pointer(pointer).is_some_and(|live| !live.is_null() && !default.is(live)))
        .map(|(pointer, _)| pointer.to_string())
        .collect();
    for cors in ["/cors_public/origins", "/cors_admin/origins"] {
        if doc.pointer(cors).and_then(Json::as_array).is_some_and(|origins| !origins.is_empty()) {
            changed.push(cors.to_string());
        }
    }
    changed
}
