//! The project document as a JSON tree: its named paths, the partial
//! document's view and patch, and where its secrets are.

use std::borrow::Borrow;
use std::sync::Arc;

use serde_json::{Map, Value};

use crate::console::{self, Edited, PatchOp, Project, ProjectId};
use crate::plugin::Diagnostics;
use crate::provider::client::OryClient;
use crate::provider::errors::Error;
use crate::provider::validators::same;

/// Where things are in a project document: each path written once.
pub mod paths {
    /// The identity schemas: `[{"id", "url"}]`.
    pub const IDENTITY_SCHEMAS: &str = "/services/identity/config/identity/schemas";
    /// The ID of the schema new identities get.
    pub const IDENTITY_DEFAULT_SCHEMA: &str = "/services/identity/config/identity/default_schema_id";
    /// The social sign-in (OIDC) providers: `[{"id", "provider", ...}]`.
    pub const OIDC_PROVIDERS: &str = "/services/identity/config/selfservice/methods/oidc/config/providers";
    /// The SAML identity providers: `[{"id", "raw_idp_metadata_xml", ...}]`.
    pub const SAML_PROVIDERS: &str = "/services/identity/config/selfservice/methods/saml/config/providers";
    /// Whether the SAML sign-in method is on.
    pub const SAML_ENABLED: &str = "/services/identity/config/selfservice/methods/saml/enabled";
    /// The courier's email templates: `<type>/<valid|invalid>/email`.
    pub const COURIER_TEMPLATES: &str = "/services/identity/config/courier/templates";
    /// Whether the OIDC sign-in method is on.
    pub const OIDC_ENABLED: &str = "/services/identity/config/selfservice/methods/oidc/enabled";
    /// The B2B organizations: `[{"id", "label", "domains", ...}]`.
    pub const ORGANIZATIONS: &str = "/organizations";
    /// The SCIM clients: `[{"client_id", "label", "organization_id", ...}]`.
    pub const SCIM_CLIENTS: &str = "/scim_clients";
    /// The self-service flows, whose hook lists actions live in.
    pub const FLOWS: &str = "/services/identity/config/selfservice/flows";
}

/// Text that Kratos loads from a URL (a web hook's Jsonnet body, a claims
/// mapper, an email template): written as text, sent as a `base64://` URL.
pub mod inline {
    use base64::Engine;

    /// A body that is already a URL Kratos loads; anything else is Jsonnet source.
    pub fn is_url(body: &str) -> bool {
        ["base64://", "https://", "http://", "file://"].iter().any(|scheme| body.starts_with(scheme))
    }

    /// Whether two spellings send Ory the same text: source and the
    /// `base64://` URL of it (however padded), or one URL twice. An import
    /// reads a `base64://` body back as its source; a configuration that
    /// writes the URL then plans no change.
    pub fn same_body(a: &str, b: &str) -> bool {
        let text = |body: &str| -> Option<Vec<u8>> {
            match body.strip_prefix("base64://") {
                Some(encoded) => base64::engine::general_purpose::STANDARD
                    .decode(encoded)
                    .or_else(|_| base64::engine::general_purpose::STANDARD_NO_PAD.decode(encoded))
                    .ok(),
                None if is_url(body) => None,
                None => Some(body.as_bytes().to_vec()),
            }
        };
        a == b || matches!((text(a), text(b)), (Some(x), Some(y)) if x == y)
    }

    pub fn sent(body: &str) -> String {
        if is_url(body) {
            body.to_string()
        } else {
            format!("base64://{}", base64::engine::general_purpose::STANDARD.encode(body))
        }
    }

    /// The body as the user wrote it when Ory holds what it became. With
    /// nothing written yet (an import), a `base64://` body reads as its Jsonnet
    /// source, the spelling the docs recommend, so that such a configuration
    /// plans no change after an import; a configuration that writes the URL
    /// plans none either (see [`same_body`]).
    pub fn seen(mine: Option<&str>, theirs: Option<&str>) -> Option<String> {
        let theirs = theirs?;
        if let Some(mine) = mine.filter(|m| sent(m) == theirs) {
            return Some(mine.to_string());
        }
        let decoded = theirs
            .strip_prefix("base64://")
            .filter(|_| mine.is_none_or(|m| !is_url(m)))
            .and_then(|b| base64::engine::general_purpose::STANDARD.decode(b).ok())
            .and_then(|bytes| String::from_utf8(bytes).ok());
        Some(decoded.unwrap_or_else(|| theirs.to_string()))
    }

    #[cfg(test)]
    mod tests {
        #[test]
        fn source_and_its_base64_url_are_one_body() {
            use super::same_body;
            assert!(same_body("<xml/>", "base64://PHhtbC8+"));
            assert!(same_body("base64://PHhtbC8+", "<xml/>"));
            assert!(same_body("base64://PHhtbD4", "<xml>"), "without padding");
            assert!(same_body("base64://PHhtbD4=", "<xml>"));
            assert!(!same_body("<xml/>", "base64://PHhtbC9+"));
            assert!(same_body("https://idp.example.com/meta", "https://idp.example.com/meta"));
            assert!(!same_body("https://idp.example.com/meta", "<xml/>"));
        }

        use super::*;

        #[test]
        fn text_reads_back_as_written() {
            let source = "function(ctx) { id: ctx.identity.id }";
            assert_eq!(seen(Some(source), Some(&sent(source))).as_deref(), Some(source));
            assert_eq!(seen(Some("base64://e30="), Some("base64://e30=")).as_deref(), Some("base64://e30="));
            assert_eq!(seen(Some("x"), Some("base64://e30=")).as_deref(), Some("{}"));
            assert_eq!(seen(None, Some("base64://e30=")).as_deref(), Some("{}"), "imported: the source");
            assert_eq!(seen(None, Some("https://x/b.jsonnet")).as_deref(), Some("https://x/b.jsonnet"));
        }
    }
}

/// Ory's import warnings of an edit, as Terraform warnings.
pub fn warn(edited: &Edited, notes: &mut Diagnostics) {
    for warning in &edited.warnings {
        notes.warning(
            "Ory Network did not import part of the configuration",
            warning.message.clone().unwrap_or_else(|| format!("warning code {}", warning.code.unwrap_or_default())),
        );
    }
}

/// The project as it is now, or `None` when it is gone (purged, or
/// unknown to the API): for data sources, which always read afresh.
pub async fn live_project(client: &OryClient, id: &str) -> Result<Option<Project>, Error> {
    gone_as_none(client.console.projects().get(&ProjectId::from(id)).await)
}

/// The project for a resource's read: the one read this process shares
/// until a write to the project (see `Projects::shared`), so a refresh of
/// many parts of one document reads it once.
pub async fn read_project(client: &OryClient, id: &str) -> Result<Option<Arc<Project>>, Error> {
    gone_as_none(client.console.projects().shared(&ProjectId::from(id)).await)
}

/// The document of the project for a resource's read ([`read_project`]),
/// the shared read's own: a refresh of 500 actions holds one document, not
/// 500 copies.
pub async fn read_document(client: &OryClient, id: &str) -> Result<Option<Arc<Value>>, Error> {
    let Some(project) = read_project(client, id).await? else { return Ok(None) };
    Ok(Some(project.document()))
}

fn gone_as_none<P: Borrow<Project>>(read: Result<P, console::Error>) -> Result<Option<P>, Error> {
    match read {
        Ok(p) if p.borrow().is_deleted() => Ok(None),
        Ok(p) => Ok(Some(p)),
        Err(e) if e.is_not_found() => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// One segment of a JSON pointer, escaped (RFC 6901).
pub fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// The live document as the partial document `wanted` sees it: each of
/// its keys with the live value, and nothing else. A key the live document
/// lacks is left out, unless it is wanted absent (then it shows as null).
pub fn view(live: &Value, wanted: &Value) -> Value {
    let Value::Object(wanted) = wanted else { return live.clone() };
    let mut seen = Map::new();
    for (key, want) in wanted {
        match (live.get(key), want) {
            (None, Value::Null) => {
                seen.insert(key.clone(), Value::Null);
            }
            (None, _) => {}
            (Some(have @ Value::Object(_)), Value::Object(_)) => {
                seen.insert(key.clone(), view(have, want));
            }
            (Some(have), _) => {
                seen.insert(key.clone(), have.clone());
            }
        }
    }
    Value::Object(seen)
}

/// The fewest RFC 6902 operations, at pointer `at`, that make `live` show
/// `wanted`: an `add` where a key is missing, a `replace` where a value
/// differs, a `remove` where a key is wanted absent. Nothing else is touched.
pub fn patch(live: &Value, wanted: &Value, at: &str) -> Vec<PatchOp> {
    let mut ops = Vec::new();
    walk(live, wanted, at, &mut ops);
    ops
}

fn walk(live: &Value, wanted: &Value, at: &str, ops: &mut Vec<PatchOp>) {
    let Value::Object(wanted) = wanted else { return };
    for (key, want) in wanted {
        let path = format!("{at}/{}", escape(key));
        match (live.get(key), want) {
            (None | Some(Value::Null), Value::Null) => {}
            (Some(_), Value::Null) => ops.push(PatchOp::remove(path)),
            (None, _) => ops.push(PatchOp::add(path, without_nulls(want))),
            (Some(have @ Value::Object(_)), Value::Object(_)) => walk(have, want, &path, ops),
            (Some(have), _) if !same(have, want) => ops.push(PatchOp::replace(path, without_nulls(want))),
            (Some(_), _) => {}
        }
    }
}

/// A wanted value as it is written: keys wanted absent are left out of
/// objects (inside arrays every element is a value and stays as it is).
fn without_nulls(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter().filter(|(_, v)| !v.is_null()).map(|(k, v)| (k.clone(), without_nulls(v))).collect(),
        ),
        other => other.clone(),
    }
}

/// Where secrets sit in a project document. `*` is one segment, `**` any
/// number of them (hook lists sit at several depths).
pub const SECRET_PATHS: &[&str] = &[
    "/services/identity/config/courier/smtp/connection_uri",
    "/services/identity/config/courier/http/request_config/auth/config/password",
    "/services/identity/config/courier/http/request_config/auth/config/value",
    "/services/identity/config/courier/channels/*/request_config/auth/config/password",
    "/services/identity/config/courier/channels/*/request_config/auth/config/value",
    "/services/identity/config/selfservice/methods/oidc/config/providers/*/client_secret",
    "/services/identity/config/selfservice/methods/oidc/config/providers/*/apple_private_key",
    "/services/identity/config/selfservice/**/hooks/*/config/auth/config/password",
    "/services/identity/config/selfservice/**/hooks/*/config/auth/config/value",
    "/services/oauth2/config/oauth2/token_hook/auth/config/value",
];

/// Where secrets sit whose value is a list or an object rather than a
/// string: Kratos' and Hydra's signing and encryption secrets, and header
/// maps that carry credentials. Written in `secrets` as JSON text.
pub const SECRET_DOCUMENTS: &[&str] = &[
    "/services/identity/config/secrets/default",
    "/services/identity/config/secrets/cookie",
    "/services/identity/config/secrets/cipher",
    "/services/identity/config/secrets/pagination",
    "/services/identity/config/courier/http/request_config/headers",
    "/services/identity/config/courier/channels/*/request_config/headers",
    "/services/identity/config/oauth2_provider/headers",
    "/services/oauth2/config/secrets/system",
    "/services/oauth2/config/secrets/cookie",
];

fn matches_any(patterns: &[&str], pointer: &str) -> bool {
    let segments: Vec<&str> = pointer.split('/').skip(1).collect();
    patterns.iter().any(|pattern| {
        let pattern: Vec<&str> = pattern.split('/').skip(1).collect();
        matches(&pattern, &segments)
    })
}

/// Whether a JSON pointer is one of [`SECRET_PATHS`] or [`SECRET_DOCUMENTS`].
pub fn is_secret(pointer: &str) -> bool {
    matches_any(SECRET_PATHS, pointer) || is_secret_document(pointer)
}

/// Whether a JSON pointer is one of [`SECRET_DOCUMENTS`].
pub fn is_secret_document(pointer: &str) -> bool {
    matches_any(SECRET_DOCUMENTS, pointer)
}

fn matches(pattern: &[&str], segments: &[&str]) -> bool {
    match (pattern.first(), segments.first()) {
        (None, None) => true,
        (Some(&"**"), _) => {
            matches(&pattern[1..], segments) || (!segments.is_empty() && matches(pattern, &segments[1..]))
        }
        (Some(p), Some(s)) if *p == "*" || p == s => matches(&pattern[1..], &segments[1..]),
        _ => false,
    }
}

/// The pointers, under `at`, of every secret in `value`.
pub fn secrets_in(value: &Value, at: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut visit = |pointer: &str, _: &Value| {
        if is_secret(pointer) {
            found.push(pointer.to_string());
        }
    };
    each(value, at, &mut visit);
    found
}

fn each(value: &Value, at: &str, visit: &mut impl FnMut(&str, &Value)) {
    visit(at, value);
    match value {
        Value::Object(map) => map.iter().for_each(|(k, v)| each(v, &format!("{at}/{}", escape(k)), visit)),
        Value::Array(items) => items.iter().enumerate().for_each(|(i, v)| each(v, &format!("{at}/{i}"), visit)),
        _ => {}
    }
}

/// `value` without its secrets, so that it can be shown.
pub fn without_secrets(value: &Value, at: &str) -> Value {
    let mut clean = value.clone();
    let mut pointers = secrets_in(value, at);
    // Deepest first, so that removing one never shifts another.
    pointers.sort_by(|a, b| b.cmp(a));
    for pointer in pointers {
        let relative = &pointer[at.len()..];
        if let Some((parent, key)) = relative.rsplit_once('/') {
            if let Some(Value::Object(map)) = clean.pointer_mut(parent) {
                map.remove(&key.replace("~1", "/").replace("~0", "~"));
            }
        }
    }
    clean
}

/// Puts `secret` at `pointer` in a partial document, making the objects on
/// the way. An array on the way must be there already (arrays are whole
/// values, written by the user): the error says which.
pub fn put(document: &mut Value, pointer: &str, secret: Value) -> Result<(), String> {
    let segments: Vec<String> = pointer.split('/').skip(1).map(|s| s.replace("~1", "/").replace("~0", "~")).collect();
    let Some((last, parents)) = segments.split_last() else { return Err("the pointer is empty".into()) };
    let mut here = document;
    let mut walked = String::new();
    for segment in parents {
        walked = format!("{walked}/{}", escape(segment));
        if here.is_null() {
            if segment.parse::<usize>().is_ok() {
                return Err(format!("{walked} is not an element of a list written there"));
            }
            *here = Value::Object(Map::new());
        }
        here = match here {
            Value::Object(map) => map.entry(segment.clone()).or_insert(Value::Null),
            Value::Array(items) => match segment.parse::<usize>().ok().and_then(|i| items.get_mut(i)) {
                Some(item) => item,
                None => return Err(format!("{walked} is not an element of the list written there")),
            },
            _ => return Err(format!("{walked} is not an object or a list")),
        };
    }
    if here.is_null() {
        *here = Value::Object(Map::new());
    }
    match here {
        Value::Object(map) => {
            map.insert(last.clone(), secret);
            Ok(())
        }
        _ => Err(format!("{walked} is not an object")),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn a_patch_touches_only_the_wanted_keys_and_replaces_arrays_whole() {
        let live = json!({"a": {"b": 1, "c": [1, 2], "d": "keep"}, "e": "x", "f": true});
        let wanted = json!({"a": {"b": 1.0, "c": [1, 2, 3], "n": {"m": 1, "gone": null}}, "e": null, "g": null});
        let ops = patch(&live, &wanted, "/root");
        assert_eq!(
            serde_json::to_value(&ops).unwrap(),
            json!([
                {"op": "replace", "path": "/root/a/c", "value": [1, 2, 3]},
                {"op": "add", "path": "/root/a/n", "value": {"m": 1}},
                {"op": "remove", "path": "/root/e"},
            ])
        );
        assert_eq!(view(&live, &wanted), json!({"a": {"b": 1, "c": [1, 2]}, "e": "x", "g": null}));
        let applied = json!({"a": {"b": 1, "c": [1, 2, 3], "d": "keep", "n": {"m": 1}}, "f": true});
        assert!(patch(&applied, &wanted, "").is_empty());
        assert!(same(
            &view(&applied, &json!({"a": {"b": 1, "c": [1, 2, 3]}})),
            &json!({"a": {"b": 1.0, "c": [1, 2, 3]}})
        ));
    }

    #[test]
    fn secrets_are_found_removed_and_put_back() {
        let base = "/services/identity/config";
        let config = json!({
            "courier": {"smtp": {"connection_uri": "smtps://u:p@h", "from_name": "x"}},
            "selfservice": {"flows": {"login": {"after": {"hooks": [
                {"hook": "web_hook", "config": {"url": "https://x", "auth": {"type": "basic_auth", "config": {"user": "u", "password": "p"}}}}
            ]}}}},
        });
        let found = secrets_in(&config, base);
        assert_eq!(
            found,
            [
                "/services/identity/config/courier/smtp/connection_uri",
                "/services/identity/config/selfservice/flows/login/after/hooks/0/config/auth/config/password"
            ]
        );
        let clean = without_secrets(&config, base);
        assert!(secrets_in(&clean, base).is_empty());
        assert_eq!(clean["courier"]["smtp"]["from_name"], "x");

        let mut doc = json!({"services": {"identity": {"config": clean}}});
        for pointer in &found {
            put(&mut doc, pointer, json!("s")).unwrap();
        }
        assert_eq!(doc.pointer(&found[1]), Some(&json!("s")));
        let mut empty = json!({});
        assert!(put(&mut empty, &found[0], json!("s")).is_ok());
        let refused = put(&mut empty, &found[1], json!("s")).unwrap_err();
        assert!(refused.contains("hooks/0"), "{refused}");
        assert!(!is_secret("/services/identity/config/courier/smtp/from_name"));
    }
}
