//! JSON values: objects in text, identity schemas, SAML metadata, and
//! JSON compared as Ory compares it.

use super::urls::http_url;

/// How deeply a configuration may nest objects and arrays. Ory's own
/// configuration nests about ten levels; the bound keeps every document
/// this provider writes readable by it (and by the emulator) with room to
/// spare, instead of a project that can no longer be refreshed.
pub const MAX_JSON_DEPTH: usize = 32;

/// A JSON object, as `jsonencode({...})` writes one, at most
/// [`MAX_JSON_DEPTH`] levels deep.
pub fn json_object(v: &str) -> Result<(), String> {
    let mut de = serde_json::Deserializer::from_str(v);
    match serde::Deserialize::deserialize(&mut de).and_then(|value: serde_json::Value| de.end().map(|()| value)) {
        Ok(value) if json_depth(&value) > MAX_JSON_DEPTH => Err(format!(
            "must not nest objects and arrays more than {MAX_JSON_DEPTH} levels deep; Ory's configuration nests about ten."
        )),
        Err(e) if e.to_string().contains("recursion limit") => Err(format!(
            "must not nest objects and arrays more than {MAX_JSON_DEPTH} levels deep; Ory's configuration nests about ten."
        )),
        Ok(serde_json::Value::Object(_)) => Ok(()),
        Ok(_) => Err("must be a JSON object, as jsonencode({ ... }) writes one.".into()),
        Err(e) => Err(format!("must be JSON, as jsonencode({{ ... }}) writes it: {e}.")),
    }
}

/// Whether two JSON texts hold the same value, whatever their key order,
/// spacing or number spelling.
pub fn same_json(a: &str, b: &str) -> bool {
    match (serde_json::from_str(a), serde_json::from_str(b)) {
        (Ok(a), Ok(b)) => same(&a, &b),
        _ => a == b,
    }
}

/// A secret given either kept (sensitive, in the state) as `<name>`, or
/// write-only as `<name>_wo` with `<name>_wo_version` saying when to send
/// it again.
pub struct SecretPair(pub &'static str);

impl SecretPair {
    /// Refuses both forms set, and a version without the write-only form;
    /// whether a secret is, or may be (a value not known yet), given.
    pub fn check<M: crate::provider::model::Model>(&self, config: &M, diags: &mut crate::plugin::Diagnostics) -> bool {
        let (kept, write_only, version) =
            (self.0.to_string(), format!("{}_wo", self.0), format!("{}_wo_version", self.0));
        let value = config.to_value();
        // Unknown (a variable in `terraform validate`) may still be null.
        let may_be_set = |name: &str| !value.attr(name).is_null();
        let set = |name: &str| may_be_set(name) && !value.attr(name).is_unknown();
        if set(&kept) && set(&write_only) {
            diags.attr_error(
                &write_only,
                format!("Invalid {write_only}"),
                format!("Set {kept} or {write_only}, not both."),
            );
        }
        if set(&version) && !may_be_set(&write_only) {
            diags.attr_error(
                &version,
                format!("{version} does not apply"),
                format!("{version} only says when to send {write_only} again; set {write_only}, or remove it."),
            );
        }
        may_be_set(&kept) || may_be_set(&write_only)
    }
}

/// SAML metadata: the XML, a `base64://` URL of it, or an `http(s)://` URL.
/// Inline XML must hold what Ory requires of it: an `IDPSSODescriptor`,
/// a `KeyDescriptor` and a `SingleSignOnService`.
pub fn saml_metadata(v: &str) -> Result<(), String> {
    use base64::Engine;
    let xml = match v.strip_prefix("base64://") {
        Some(encoded) => match base64::engine::general_purpose::STANDARD.decode(encoded) {
            Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
            Err(_) => return Err("the base64:// URL does not hold base64.".into()),
        },
        None if v.starts_with("https://") || v.starts_with("http://") => return http_url(v),
        None => v.to_string(),
    };
    let missing: Vec<&str> = ["IDPSSODescriptor", "KeyDescriptor", "SingleSignOnService"]
        .into_iter()
        .filter(|element| !xml.contains(element))
        .collect();
    if !xml.trim_start().starts_with('<') {
        return Err("must be the metadata's XML, a base64:// URL of it, or an https:// URL serving it.".into());
    }
    if !missing.is_empty() {
        return Err(format!(
            "the metadata lacks {}, which Ory needs to check the identity provider's assertions.",
            missing.join(", ")
        ));
    }
    Ok(())
}

/// An identity schema: a JSON Schema document (checked against the
/// meta-schema it names, draft 7 when it names none) that describes the
/// identities' `traits`.
pub fn identity_schema(v: &str) -> Result<(), String> {
    let schema: serde_json::Value = serde_json::from_str(v).map_err(|e| format!("must be JSON: {e}."))?;
    if !schema.is_object() {
        return Err("must be a JSON object, a JSON Schema.".into());
    }
    let mut checked = schema.clone();
    if checked.get("$schema").is_none() {
        checked["$schema"] = "http://json-schema.org/draft-07/schema#".into();
    }
    if let Err(e) = jsonschema::meta::validate(&checked) {
        return Err(format!("is not a valid JSON Schema: at {:?}: {e}.", e.instance_path().to_string()));
    }
    if !schema.pointer("/properties/traits").is_some_and(serde_json::Value::is_object) {
        return Err("must describe the identities' traits, in properties.traits (an object schema).".into());
    }
    Ok(())
}

/// JSON equality where numbers compare by value (`1` and `1.0` are equal).
pub fn same(a: &serde_json::Value, b: &serde_json::Value) -> bool {
    use serde_json::Value as Json;
    match (a, b) {
        (Json::Number(x), Json::Number(y)) => x == y || x.as_f64() == y.as_f64(),
        (Json::Array(x), Json::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b)),
        (Json::Object(x), Json::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}

fn json_depth(v: &serde_json::Value) -> usize {
    match v {
        serde_json::Value::Array(items) => 1 + items.iter().map(json_depth).max().unwrap_or(0),
        serde_json::Value::Object(map) => 1 + map.values().map(json_depth).max().unwrap_or(0),
        _ => 0,
    }
}
