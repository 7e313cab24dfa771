//! A project's configuration: the default every new project gets, the
//! checks Ory would refuse a configuration for, and the operational keys it
//! does not import (they become warnings).

use serde_json::{json, Value};

use super::ApiError;

/// The services of a new project: Ory Kratos, Hydra and Keto settings shaped
/// like `console-api.md`'s example, filled in so that the documented patches
/// (for example adding to `/services/identity/config/selfservice/flows/login/after/hooks/-`)
/// find their lists.
/// A new project's schema is Ory's email preset, given by content as Ory
/// Network shows it, so that traits are checked against it and a reader of
/// the schema sees what identities follow.
fn email_preset_url() -> String {
    use base64::Engine;
    let preset = super::project_api::identities::preset("preset://email").expect("a preset");
    format!("base64://{}", base64::engine::general_purpose::STANDARD.encode(preset.to_string()))
}

pub fn default_services(slug: &str, name: &str) -> Value {
    let base = format!("https://{slug}.projects.oryapis.com");
    let ui = |page: &str| format!("{base}/ui/{page}");
    let hooks = || json!({ "hooks": [] });
    let session_hooks = || json!({ "hooks": [{ "hook": "session" }] });
    json!({
        "identity": { "config": {
            "identity": {
                "default_schema_id": "preset://email",
                "schemas": [{ "id": "preset://email", "url": email_preset_url() }],
            },
            "selfservice": {
                "default_browser_return_url": ui("welcome"),
                "allowed_return_urls": [],
                "methods": {
                    "password": { "enabled": true, "config": { "haveibeenpwned_enabled": true, "min_password_length": 8, "identifier_similarity_check_enabled": true } },
                    "code": { "enabled": true },
                    "totp": { "enabled": false, "config": { "issuer": name } },
                    "lookup_secret": { "enabled": false },
                    "webauthn": { "enabled": false },
                    "passkey": { "enabled": false },
                    "oidc": { "enabled": false, "config": { "providers": [] } },
                    "profile": { "enabled": true },
                    "link": { "enabled": false },
                },
                "flows": {
                    "login": {
                        "ui_url": ui("login"), "lifespan": "30m",
                        "before": hooks(),
                        "after": { "hooks": [], "password": hooks(), "oidc": hooks(), "code": hooks(), "webauthn": hooks(), "passkey": hooks(), "totp": hooks(), "lookup_secret": hooks() },
                    },
                    "registration": {
                        "enabled": true, "ui_url": ui("registration"), "lifespan": "30m",
                        "before": hooks(),
                        "after": { "hooks": [], "password": session_hooks(), "oidc": session_hooks(), "code": session_hooks(), "webauthn": session_hooks(), "passkey": session_hooks() },
                    },
                    "settings": {
                        "ui_url": ui("settings"), "privileged_session_max_age": "15m", "required_aal": "highest_available",
                        "before": hooks(),
                        "after": { "hooks": [], "password": hooks(), "profile": hooks(), "oidc": hooks(), "webauthn": hooks(), "passkey": hooks(), "totp": hooks(), "lookup_secret": hooks() },
                    },
                    "recovery": { "enabled": false, "ui_url": ui("recovery"), "use": "code", "before": hooks(), "after": hooks() },
                    "verification": { "enabled": true, "ui_url": ui("verification"), "use": "code", "before": hooks(), "after": hooks() },
                    "logout": { "after": { "default_browser_return_url": ui("login") } },
                    "error": { "ui_url": ui("error") },
                },
            },
            "session": { "lifespan": "72h", "cookie": { "persistent": true, "same_site": "Lax" }, "whoami": { "required_aal": "highest_available" } },
            "courier": { "smtp": { "from_address": "no-reply@ory.sh", "from_name": name }, "templates": {} },
            "cookies": { "same_site": "Lax" },
            "serve": { "public": { "base_url": format!("{base}/") }, "admin": { "base_url": format!("{base}/admin/") } },
            "feature_flags": {},
            "oauth2_provider": { "override_return_to": false },
        }},
        "oauth2": { "config": {
            "oauth2": { "pkce": { "enforced": false, "enforced_for_public_clients": true }, "expose_internal_errors": false },
            "oidc": { "subject_identifiers": { "supported_types": ["public"] } },
            "ttl": { "access_token": "1h", "refresh_token": "720h", "id_token": "1h", "auth_code": "10m", "login_consent_request": "30m" },
            "urls": { "self": { "issuer": base, "public": base }, "login": ui("login"), "consent": ui("consent"), "error": ui("error") },
            "strategies": { "access_token": "opaque", "scope": "wildcard" },
            "serve": { "cookies": { "same_site_mode": "Lax" } },
            "clients": { "http": { "disallow_private_ip_ranges": true } },
            "dev": false,
            "hsm": { "enabled": false },
            "webfinger": { "oidc_discovery": { "supported_scope": [] } },
        }},
        // Keto: strict mode on, as Ory creates new projects (the official
        // provider's docs, keto_feature_flags_strict_mode); see
        // docs/emulator.md, "What a new project holds", for each value's source.
        "permission": { "config": {
            "limit": { "max_read_depth": 5 },
            "feature_flags": { "strict_mode": true },
            "namespaces": [{ "id": 1, "name": "default" }],
        } },
        "account_experience": { "config": { "name": name, "default_locale": "en", "locale_behavior": "force_default", "theme": "default" } },
    })
}

pub fn default_cors() -> Value {
    json!({ "enabled": false, "origins": [] })
}

/// Keys of a service configuration that run the service rather than
/// configure features. Ory Network runs the service itself, so it does not
/// import them (the spec: "it does not support operational configuration
/// items (e.g. port, tracing, logging)"); each becomes a warning.
const OPERATIONAL: [&str; 6] =
    ["/log", "/tracing", "/dsn", "/serve/public/port", "/serve/admin/port", "/serve/public/host"];

/// Takes the operational keys out of every service's configuration and
/// says which were dropped, as `Warning` objects.
pub fn drop_operational(services: &mut Value) -> Vec<Value> {
    let mut warnings = Vec::new();
    let Some(services) = services.as_object_mut() else { return warnings };
    for (service, body) in services.iter_mut() {
        let Some(config) = body.get_mut("config") else { continue };
        for key in OPERATIONAL {
            let (parent, leaf) = key.rsplit_once('/').unwrap_or(("", key));
            let removed = config.pointer_mut(parent).and_then(Value::as_object_mut).and_then(|o| o.remove(leaf));
            if removed.is_some() {
                warnings.push(json!({
                    // UNVERIFIED: the spec gives `code` no meaning; 1 marks "not imported".
                    "code": 1,
                    "message": format!(
                        "/services/{service}/config{key} is an operational setting that Ory Network manages itself; it was not imported."
                    ),
                }));
            }
        }
    }
    warnings
}

/// The checks Ory's config validation would fail a document on, a few of
/// them: enough that a client's 400 path is testable. The reason names
/// the JSON pointer, in the project document, of what is wrong.
pub fn check(project: &Value) -> Result<(), ApiError> {
    for cors in ["cors_public", "cors_admin"] {
        check_cors(&project[cors], &format!("/{cors}"))?;
    }
    let smtp = "/services/identity/config/courier/smtp/connection_uri";
    if let Some(uri) = project.pointer(smtp) {
        // Ory's validator quotes the offending value, as this does.
        if !uri.as_str().is_some_and(|u| u.starts_with("smtp://") || u.starts_with("smtps://")) {
            return Err(invalid(smtp, format_args!("{uri} does not match pattern \"^smtps?://\"")));
        }
    }
    check_identity_schemas(
        &project["services"]["identity"]["config"]["identity"],
        "/services/identity/config/identity",
    )?;
    let oidc = "/services/identity/config/selfservice/methods/oidc/config/providers";
    check_oidc_providers(project.pointer(oidc).unwrap_or(&Value::Null), oidc)?;
    let saml = "/services/identity/config/selfservice/methods/saml/config/providers";
    check_saml_providers(project.pointer(saml).unwrap_or(&Value::Null), saml)?;
    check_hooks(&project["services"]["identity"]["config"], "/services/identity/config")?;
    namespaces(&project["services"]["permission"]["config"]["namespaces"]).map(drop)
}

/// Where Ory Keto's namespaces are in a project document.
pub const NAMESPACES: &str = "/services/permission/config/namespaces";

/// The namespaces Ory Keto's `namespaces` setting declares: a list of
/// `{id, name}` (the legacy form), or `{location}`, an OPL document given
/// inline as a `base64://` URL, which must parse. A URL of another scheme
/// is not fetched: it declares none here (UNVERIFIED what Ory does with one
/// it cannot load).
pub fn namespaces(setting: &Value) -> Result<Vec<String>, ApiError> {
    Ok(namespace_models(setting)?.iter().map(super::opl::name_of).collect())
}

/// The namespaces `setting` declares, with their relations and
/// permissions when it is an OPL document (a legacy list declares names
/// only).
pub fn namespace_models(setting: &Value) -> Result<Vec<super::opl::Namespace>, ApiError> {
    use base64::Engine;
    match setting {
        Value::Null => Ok(Vec::new()),
        Value::Array(list) => {
            let mut names = Vec::new();
            for (i, entry) in list.iter().enumerate() {
                let name = entry["name"].as_str().filter(|n| !n.is_empty());
                let name =
                    name.ok_or_else(|| invalid(&format!("{NAMESPACES}/{i}/name"), "a namespace needs a name"))?;
                if names.iter().any(|n| n == name) {
                    return Err(invalid(
                        &format!("{NAMESPACES}/{i}/name"),
                        format_args!("the namespace {name:?} is declared twice"),
                    ));
                }
                names.push(name.to_string());
            }
            Ok(names
                .into_iter()
                .map(|name| super::opl::Namespace { name: name.into_bytes(), relations: Vec::new() })
                .collect())
        }
        Value::Object(map) => {
            let at = format!("{NAMESPACES}/location");
            let location = map.get("location").and_then(Value::as_str);
            let location =
                location.ok_or_else(|| invalid(&at, "namespaces needs a location, the OPL document's URL"))?;
            let Some(encoded) = location.strip_prefix("base64://") else { return Ok(Vec::new()) };
            let source = base64::engine::general_purpose::STANDARD
                .decode(encoded)
                .ok()
                .and_then(|bytes| String::from_utf8(bytes).ok())
                .ok_or_else(|| invalid(&at, "the OPL document is not base64 of UTF-8 text"))?;
            super::opl::parse(source.as_bytes()).map_err(|errors| {
                let first = &errors[0];
                invalid(
                    &at,
                    format_args!("line {}, column {}: {}", first.start.line, first.start.column, first.message),
                )
            })
        }
        _ => Err(invalid(NAMESPACES, "namespaces is a list of namespaces or an object with a location")),
    }
}

/// Ory Kratos' social sign-in providers: each with a unique `id`, a
/// `provider`, a `client_id` and a `mapper_url` (what Kratos' configuration
/// schema requires), and a `generic` one with its `issuer_url`.
fn check_oidc_providers(providers: &Value, pointer: &str) -> Result<(), ApiError> {
    let mut ids = std::collections::BTreeSet::new();
    for (i, provider) in providers.as_array().map(Vec::as_slice).unwrap_or_default().iter().enumerate() {
        let at = format!("{pointer}/{i}");
        for key in ["id", "provider", "client_id", "mapper_url"] {
            if provider[key].as_str().is_none_or(str::is_empty) {
                return Err(invalid(&at, format_args!("missing properties: {key:?}")));
            }
        }
        let id = provider["id"].as_str().unwrap_or_default();
        if !ids.insert(id) {
            return Err(invalid(&format!("{at}/id"), format_args!("the provider id {id:?} is used twice")));
        }
        if provider["provider"] == "generic" && !provider["issuer_url"].is_string() {
            return Err(invalid(&at, "a generic provider needs issuer_url"));
        }
    }
    Ok(())
}

/// SAML providers: each with a unique `id`, a `mapper_url`, and metadata
/// that, when inline (`base64://`), describes the identity provider's
/// signing key and sign-on service (UNVERIFIED beyond what Ory's provider
/// documents).
fn check_saml_providers(providers: &Value, pointer: &str) -> Result<(), ApiError> {
    use base64::Engine;
    let mut ids = std::collections::BTreeSet::new();
    for (i, provider) in providers.as_array().map(Vec::as_slice).unwrap_or_default().iter().enumerate() {
        let at = format!("{pointer}/{i}");
        for key in ["id", "mapper_url", "raw_idp_metadata_xml"] {
            if provider[key].as_str().is_none_or(str::is_empty) {
                return Err(invalid(&at, format_args!("missing properties: {key:?}")));
            }
        }
        let id = provider["id"].as_str().unwrap_or_default();
        if !ids.insert(id) {
            return Err(invalid(&format!("{at}/id"), format_args!("the provider id {id:?} is used twice")));
        }
        let metadata = provider["raw_idp_metadata_xml"].as_str().unwrap_or_default();
        if let Some(encoded) = metadata.strip_prefix("base64://") {
            let xml = base64::engine::general_purpose::STANDARD
                .decode(encoded)
                .ok()
                .map(|b| String::from_utf8_lossy(&b).into_owned());
            let complete = xml.is_some_and(|x| {
                ["IDPSSODescriptor", "KeyDescriptor", "SingleSignOnService"].iter().all(|e| x.contains(e))
            });
            if !complete {
                return Err(invalid(
                    &format!("{at}/raw_idp_metadata_xml"),
                    "the IdP metadata lacks an IDPSSODescriptor with a KeyDescriptor and a SingleSignOnService",
                ));
            }
        }
    }
    Ok(())
}

/// Ory Kratos' `identity`: schemas with unique IDs whose `base64://` URLs
/// hold a JSON object (other URLs are not fetched: UNVERIFIED what Ory does
/// with one it cannot load), and a default that is one of them.
fn check_identity_schemas(identity: &Value, pointer: &str) -> Result<(), ApiError> {
    use base64::Engine;
    let schemas = identity["schemas"].as_array().map(Vec::as_slice).unwrap_or_default();
    let mut ids = std::collections::BTreeSet::new();
    for (i, schema) in schemas.iter().enumerate() {
        let at = format!("{pointer}/schemas/{i}");
        let id = schema["id"].as_str().filter(|id| !id.is_empty());
        let id = id.ok_or_else(|| invalid(&format!("{at}/id"), "an identity schema needs a non-empty string id"))?;
        if !ids.insert(id) {
            return Err(invalid(&format!("{at}/id"), format_args!("the identity schema id {id:?} is used twice")));
        }
        let url =
            schema["url"].as_str().ok_or_else(|| invalid(&format!("{at}/url"), "an identity schema needs a url"))?;
        if let Some(encoded) = url.strip_prefix("base64://") {
            let bytes = base64::engine::general_purpose::STANDARD.decode(encoded).unwrap_or_default();
            // The one depth bound of every body: the schema is parsed again
            // for each identity it checks.
            if super::json_depth(&bytes) > super::MAX_JSON_DEPTH {
                return Err(invalid(&format!("{at}/url"), super::too_deep("The identity schema").reason));
            }
            if !serde_json::from_slice::<Value>(&bytes).is_ok_and(|schema| schema.is_object()) {
                return Err(invalid(&format!("{at}/url"), "the identity schema is not a JSON object"));
            }
        }
    }
    match identity.get("default_schema_id") {
        Some(Value::String(default)) if ids.contains(default.as_str()) => Ok(()),
        None if schemas.is_empty() => Ok(()),
        other => Err(invalid(
            &format!("{pointer}/default_schema_id"),
            format_args!(
                "the default identity schema {} is not one of identity.schemas",
                other.unwrap_or(&Value::Null)
            ),
        )),
    }
}

fn invalid(pointer: &str, problem: impl std::fmt::Display) -> ApiError {
    ApiError::bad_request(format!("Unable to validate config: {pointer}: {problem}"))
}

fn check_cors(cors: &Value, pointer: &str) -> Result<(), ApiError> {
    match cors {
        Value::Null => return Ok(()),
        Value::Object(_) => {}
        _ => return Err(invalid(pointer, "expected an object with enabled and origins")),
    }
    if !matches!(cors.get("enabled"), None | Some(Value::Bool(_))) {
        return Err(invalid(&format!("{pointer}/enabled"), "expected a boolean"));
    }
    let Some(origins) = cors.get("origins") else { return Ok(()) };
    let Some(origins) = origins.as_array() else {
        return Err(invalid(&format!("{pointer}/origins"), "expected an array of origins"));
    };
    for (i, origin) in origins.iter().enumerate() {
        if !origin.as_str().is_some_and(is_origin) {
            return Err(invalid(
                &format!("{pointer}/origins/{i}"),
                format_args!(
                    "{origin} is not an origin: use *, or a URL such as https://example.com or https://*.example.com"
                ),
            ));
        }
    }
    Ok(())
}

/// `*`, or `scheme://host[:port]`, where the host may start with `*.`.
fn is_origin(origin: &str) -> bool {
    if origin == "*" {
        return true;
    }
    let Some((scheme, rest)) = origin.split_once("://") else { return false };
    let host = rest.strip_prefix("*.").unwrap_or(rest).trim_end_matches('/');
    matches!(scheme, "http" | "https")
        && !host.is_empty()
        && host.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'))
}

/// Every `hooks` list anywhere in the identity configuration: each entry
/// names its hook, and a `web_hook` has an http(s) `url`.
fn check_hooks(value: &Value, pointer: &str) -> Result<(), ApiError> {
    match value {
        Value::Object(map) => {
            for (key, inner) in map {
                let inner_pointer = format!("{pointer}/{}", key.replace('~', "~0").replace('/', "~1"));
                if key == "hooks" {
                    check_hook_list(inner, &inner_pointer)?;
                } else {
                    check_hooks(inner, &inner_pointer)?;
                }
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

fn check_hook_list(hooks: &Value, pointer: &str) -> Result<(), ApiError> {
    let Some(hooks) = hooks.as_array() else { return Err(invalid(pointer, "expected an array of hooks")) };
    for (i, hook) in hooks.iter().enumerate() {
        let at = format!("{pointer}/{i}");
        let Some(name) = hook.get("hook").and_then(Value::as_str) else {
            return Err(invalid(&at, "missing properties: \"hook\""));
        };
        // Kratos' configuration schema names each hook it runs.
        const HOOKS: [&str; 8] = [
            "web_hook",
            "session",
            "revoke_active_sessions",
            "require_verified_address",
            "verification",
            "show_verification_ui",
            "verify_new_address",
            "notify_previous_addresses",
        ];
        if !HOOKS.contains(&name) {
            return Err(invalid(&format!("{at}/hook"), format_args!("{name:?} is not a hook Kratos knows")));
        }
        if name == "notify_previous_addresses" {
            if let Some(recipients) = hook.pointer("/config/recipients") {
                if !matches!(recipients.as_str(), Some("removed" | "all_verified" | "all")) {
                    return Err(invalid(
                        &format!("{at}/config/recipients"),
                        "value must be one of \"removed\", \"all_verified\", \"all\"",
                    ));
                }
            }
        }
        if name != "web_hook" {
            continue;
        }
        let config = &hook["config"];
        match config.get("url").and_then(Value::as_str) {
            None => return Err(invalid(&format!("{at}/config"), "missing properties: \"url\"")),
            Some(url) if !(url.starts_with("https://") || url.starts_with("http://")) => {
                return Err(invalid(&format!("{at}/config/url"), format_args!("{url:?} is not an http(s) URL")))
            }
            Some(_) => {}
        }
        if !matches!(config.get("method"), None | Some(Value::String(_))) {
            return Err(invalid(&format!("{at}/config/method"), "expected a string"));
        }
        if let Some(kind) = config.pointer("/auth/type") {
            if !matches!(kind.as_str(), Some("api_key" | "basic_auth")) {
                return Err(invalid(&format!("{at}/config/auth/type"), "must be api_key or basic_auth"));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;
