//! The identity schema presets Ory Network offers (Ory's docs, "Identity
//! schema", name five): `preset://email`, `preset://username`,
//! `preset://sms`, `preset://basic` and `preset://blank`. The email and
//! username presets are the schemas Ory serves; the other three follow the
//! docs' description of their traits and channels (UNVERIFIED: titles and
//! limits beyond that).

use serde_json::{json, Value};

fn email() -> Value {
    json!({"type": "string", "format": "email", "title": "E-Mail", "maxLength": 320,
        "ory.sh/kratos": {"credentials": {"password": {"identifier": true}, "code": {"identifier": true, "via": "email"}},
            "verification": {"via": "email"}, "recovery": {"via": "email"}}})
}

/// The preset's schema file, its traits' properties and the traits it requires.
fn traits_of(url: &str) -> Option<(&'static str, Value, Vec<&'static str>)> {
    Some(match url {
        "preset://email" => ("identity.email.schema.json", json!({"email": email()}), vec!["email"]),
        "preset://username" => (
            "identity.username.schema.json",
            json!({"username": {"type": "string", "title": "Username", "maxLength": 100,
                "ory.sh/kratos": {"credentials": {"password": {"identifier": true}, "webauthn": {"identifier": true}, "totp": {"account_name": true}}}}}),
            vec!["username"],
        ),
        // A phone number, the login identifier by SMS code, verified by SMS;
        // no recovery.
        "preset://sms" => (
            "identity.sms.schema.json",
            json!({"phone_number": {"type": "string", "format": "tel", "title": "Phone number", "maxLength": 32,
                "ory.sh/kratos": {"credentials": {"code": {"identifier": true, "via": "sms"}}, "verification": {"via": "sms"}}}}),
            vec!["phone_number"],
        ),
        // The email preset with a name and a newsletter opt-in.
        "preset://basic" => (
            "identity.basic.schema.json",
            json!({
                "email": email(),
                "name": {"type": "object", "properties": {
                    "first": {"type": "string", "title": "First name"},
                    "last": {"type": "string", "title": "Last name"},
                }},
                "newsletter": {"type": "boolean", "title": "Newsletter subscription"},
            }),
            vec!["email"],
        ),
        // No traits: a start for a schema of one's own.
        "preset://blank" => ("identity.blank.schema.json", json!({}), vec![]),
        _ => return None,
    })
}

/// Ory's preset schema at `url`, if it is one.
pub(crate) fn preset(url: &str) -> Option<Value> {
    let (id, properties, required) = traits_of(url)?;
    Some(json!({
        "$id": format!("https://schemas.ory.sh/presets/kratos/{id}"),
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": "Person",
        "type": "object",
        "properties": {"traits": {"type": "object", "properties": properties, "required": required, "additionalProperties": false}},
    }))
}
