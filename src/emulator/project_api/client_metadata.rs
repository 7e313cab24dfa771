//! Hydra's checks of an OAuth2 client's metadata (`invalid_client_metadata`
//! and `invalid_redirect_uri`), and the defaults Hydra v2.3.0 answers with,
//! shared by the admin API and dynamic registration.

use axum::http::StatusCode;
use serde_json::{json, Map, Value};

use super::{oauth_error, Refused};

/// What a client may set, with its JSON type; anything else is refused.
const CLIENT_FIELDS: &[(&str, &str)] = &[
    ("access_token_strategy", "string"),
    ("allowed_cors_origins", "strings"),
    ("audience", "strings"),
    ("authorization_code_grant_access_token_lifespan", "duration"),
    ("authorization_code_grant_id_token_lifespan", "duration"),
    ("authorization_code_grant_refresh_token_lifespan", "duration"),
    ("backchannel_logout_session_required", "bool"),
    ("backchannel_logout_uri", "string"),
    ("client_credentials_grant_access_token_lifespan", "duration"),
    ("client_name", "string"),
    ("client_secret", "string"),
    ("client_uri", "string"),
    ("contacts", "strings"),
    ("device_authorization_grant_access_token_lifespan", "duration"),
    ("device_authorization_grant_id_token_lifespan", "duration"),
    ("device_authorization_grant_refresh_token_lifespan", "duration"),
    ("frontchannel_logout_session_required", "bool"),
    ("frontchannel_logout_uri", "string"),
    ("grant_types", "strings"),
    ("implicit_grant_access_token_lifespan", "duration"),
    ("implicit_grant_id_token_lifespan", "duration"),
    ("jwks", "object"),
    ("jwks_uri", "string"),
    ("jwt_bearer_grant_access_token_lifespan", "duration"),
    ("logo_uri", "string"),
    ("metadata", "any"),
    ("owner", "string"),
    ("policy_uri", "string"),
    ("post_logout_redirect_uris", "strings"),
    ("redirect_uris", "strings"),
    ("refresh_token_grant_access_token_lifespan", "duration"),
    ("refresh_token_grant_id_token_lifespan", "duration"),
    ("refresh_token_grant_refresh_token_lifespan", "duration"),
    ("request_object_signing_alg", "string"),
    ("request_uris", "strings"),
    ("response_types", "strings"),
    ("scope", "string"),
    ("sector_identifier_uri", "string"),
    ("skip_consent", "bool"),
    ("skip_logout_consent", "bool"),
    ("subject_type", "string"),
    ("token_endpoint_auth_method", "string"),
    ("token_endpoint_auth_signing_alg", "string"),
    ("tos_uri", "string"),
    ("userinfo_signed_response_alg", "string"),
];

/// Fields the server sets; a client sending them back is ignored for them,
/// as Hydra does with its own answer sent back to `setOAuth2Client`.
const CLIENT_SERVER_FIELDS: &[&str] = &[
    "client_id",
    "created_at",
    "updated_at",
    "client_secret_expires_at",
    "registration_access_token",
    "registration_client_uri",
];

const RESPONSE_TYPES: &[&str] =
    &["code", "token", "id_token", "code id_token", "code token", "id_token token", "code id_token token", "none"];

const AUTH_METHODS: &[&str] = &["client_secret_basic", "client_secret_post", "private_key_jwt", "none"];

const SUBJECT_TYPES: &[&str] = &["public", "pairwise"];

const TOKEN_STRATEGIES: &[&str] = &["jwt", "opaque"];

/// Hydra's checks of a client's metadata, and its defaults filled in.
pub(crate) fn checked_client(mut body: Map<String, Value>) -> Result<Map<String, Value>, Refused> {
    for key in CLIENT_SERVER_FIELDS {
        body.remove(*key);
    }
    check_kinds(&body)?;
    check_values(&body)?;
    Ok(with_defaults(body))
}

fn refused(text: String) -> Refused {
    oauth_error(StatusCode::BAD_REQUEST, "invalid_client_metadata", text)
}

/// Every field is one of a client's, of its type.
fn check_kinds(body: &Map<String, Value>) -> Result<(), Refused> {
    for (key, value) in body {
        let Some((_, kind)) = CLIENT_FIELDS.iter().find(|(k, _)| k == key) else {
            return Err(refused(format!("The field {key:?} is not a field of an OAuth 2.0 client.")));
        };
        let fits = match *kind {
            _ if value.is_null() => true,
            "string" => value.is_string(),
            "bool" => value.is_boolean(),
            "object" => value.is_object(),
            "strings" => value.as_array().is_some_and(|l| l.iter().all(Value::is_string)),
            "duration" => value.as_str().is_some_and(is_duration),
            _ => true,
        };
        if !fits {
            return Err(refused(format!("The field {key:?} has the wrong type or form.")));
        }
    }
    Ok(())
}

fn strings(body: &Map<String, Value>, key: &str) -> Vec<String> {
    body.get(key)
        .and_then(Value::as_array)
        .map_or_else(Vec::new, |l| l.iter().filter_map(|v| v.as_str().map(str::to_string)).collect())
}

/// The values Hydra refuses: unknown response types and methods, redirect
/// URIs that are not absolute, both key sources, a short secret.
fn check_values(body: &Map<String, Value>) -> Result<(), Refused> {
    // Hydra v2.3.0 takes any grant type (`password-ish` made a client): no check.
    for kind in strings(body, "response_types") {
        if !RESPONSE_TYPES.contains(&kind.as_str()) {
            return Err(refused(format!("Field response_types contains the unknown response type {kind:?}.")));
        }
    }
    for (key, allowed) in [
        ("token_endpoint_auth_method", AUTH_METHODS),
        ("subject_type", SUBJECT_TYPES),
        ("access_token_strategy", TOKEN_STRATEGIES),
    ] {
        if let Some(value) = body.get(key).and_then(Value::as_str).filter(|v| !v.is_empty()) {
            if !allowed.contains(&value) {
                return Err(refused(format!("Field {key} must be one of {}; got {value:?}.", allowed.join(", "))));
            }
        }
    }
    for key in ["redirect_uris", "post_logout_redirect_uris"] {
        for uri in strings(body, key) {
            let fine = reqwest::Url::parse(&uri).is_ok_and(|u| u.fragment().is_none() && !u.cannot_be_a_base());
            if !fine {
                return Err(oauth_error(
                    StatusCode::BAD_REQUEST,
                    "invalid_redirect_uri",
                    format!("The redirect URI {uri:?} in {key} is not an absolute URI without a fragment."),
                ));
            }
        }
    }
    if body.get("jwks").is_some_and(|v| !v.is_null())
        && body.get("jwks_uri").is_some_and(|v| v.as_str().is_some_and(|s| !s.is_empty()))
    {
        return Err(refused("Fields jwks and jwks_uri cannot both be set.".into()));
    }
    if let Some(secret) = body.get("client_secret").and_then(Value::as_str) {
        if !secret.is_empty() && secret.len() < 6 {
            return Err(refused(
                "Field client_secret must contain a secret that is at least 6 characters long.".into(),
            ));
        }
    }
    Ok(())
}

/// Hydra v2.3.0's answers for what a create leaves out: lists it never got
/// are null, lifespans and `skip_logout_consent` null, `jwks` `{}`; what
/// its `Client` marks `omitempty` is left out when empty or false.
fn with_defaults(mut body: Map<String, Value>) -> Map<String, Value> {
    let method = body.get("token_endpoint_auth_method").and_then(Value::as_str).filter(|m| !m.is_empty());
    let method = method.unwrap_or("client_secret_basic").to_string();
    body.insert("token_endpoint_auth_method".into(), json!(method));
    for key in ["grant_types", "response_types", "redirect_uris", "contacts", "skip_logout_consent"] {
        body.entry(key).or_insert(Value::Null);
    }
    for key in HYDRA_LIFESPANS {
        body.entry(key).or_insert(Value::Null);
    }
    if body.get("jwks").is_none_or(Value::is_null) {
        body.insert("jwks".into(), json!({}));
    }
    for key in OMITTED_WHEN_EMPTY {
        if body.get(key).is_some_and(|v| v.is_null() || v == &json!("") || v == &json!([]) || v == &json!(false)) {
            body.remove(key);
        }
    }
    for (key, default) in [
        ("scope", json!("offline_access offline openid")),
        ("subject_type", json!("public")),
        ("skip_consent", json!(false)),
        ("audience", json!([])),
        ("allowed_cors_origins", json!([])),
        ("owner", json!("")),
        ("client_name", json!("")),
        ("client_uri", json!("")),
        ("logo_uri", json!("")),
        ("policy_uri", json!("")),
        ("tos_uri", json!("")),
        ("metadata", json!({})),
        ("userinfo_signed_response_alg", json!("none")),
    ] {
        if body.get(key).is_none_or(Value::is_null) {
            body.insert(key.into(), default);
        }
    }
    body
}

/// The per-grant lifespans Hydra v2.3.0 answers, null when unset (the
/// device grant's, which Ory Network's newer Hydra adds, only when set).
const HYDRA_LIFESPANS: [&str; 10] = [
    "authorization_code_grant_access_token_lifespan",
    "authorization_code_grant_id_token_lifespan",
    "authorization_code_grant_refresh_token_lifespan",
    "client_credentials_grant_access_token_lifespan",
    "implicit_grant_access_token_lifespan",
    "implicit_grant_id_token_lifespan",
    "jwt_bearer_grant_access_token_lifespan",
    "refresh_token_grant_access_token_lifespan",
    "refresh_token_grant_id_token_lifespan",
    "refresh_token_grant_refresh_token_lifespan",
];

/// Fields Hydra's `Client` marks `omitempty`, left out of answers when
/// empty or false.
const OMITTED_WHEN_EMPTY: [&str; 6] = [
    "access_token_strategy",
    "request_uris",
    "post_logout_redirect_uris",
    "frontchannel_logout_session_required",
    "backchannel_logout_session_required",
    "jwks_uri",
];

/// A lifespan as Hydra takes it: a Go duration of hours, minutes and seconds, such as `1h30m`.
fn is_duration(text: &str) -> bool {
    let mut digits = false;
    let mut rest = text;
    if rest.is_empty() {
        return false;
    }
    while !rest.is_empty() {
        let number = rest.bytes().take_while(|b| b.is_ascii_digit() || *b == b'.').count();
        if number == 0 {
            return false;
        }
        rest = &rest[number..];
        let unit = ["ms", "h", "m", "s"].into_iter().find(|u| rest.starts_with(u));
        let Some(unit) = unit else { return false };
        rest = &rest[unit.len()..];
        digits = true;
    }
    digits
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lifespans_are_go_durations() {
        for fine in ["1h", "1h30m", "90s", "0.5h", "100ms"] {
            assert!(is_duration(fine), "{fine}");
        }
        for bad in ["", "1", "1d", "h", "1h-", "-1h"] {
            assert!(!is_duration(bad), "{bad}");
        }
    }
}
