//! Each project's JSON Web Key sets (Ory Hydra's `/admin/keys`). Keys are
//! made with real cryptography (RSA 2048, P-256, P-521, HMAC), so that what
//! a generated private key signs, its public half verifies.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use base64::Engine;
use serde_json::{json, Value};
use uuid::Uuid;

use super::{json_object, respond, ProjectCaller};
use crate::emulator::http::{Routes, Shared};
use crate::emulator::store::{JwkSet, Store};
use crate::emulator::ApiError;
use axum::http::Method;

const SET: &str = "/project-api/{slug}/admin/keys/{set}";
const KEY: &str = "/project-api/{slug}/admin/keys/{set}/{kid}";

pub fn routes() -> Routes {
    Routes::new()
        .op(Method::POST, SET, "createJsonWebKeySet", set_create)
        .op(Method::GET, SET, "getJsonWebKeySet", set_get)
        .op(Method::PUT, SET, "setJsonWebKeySet", set_put)
        .op(Method::DELETE, SET, "deleteJsonWebKeySet", set_delete)
        .op(Method::GET, KEY, "getJsonWebKey", key_get)
        .op(Method::PUT, KEY, "setJsonWebKey", key_put)
        .op(Method::DELETE, KEY, "deleteJsonWebKey", key_delete)
}

/// The algorithms `createJsonWebKeySet` makes keys for (the spec's list).
pub const ALGORITHMS: [&str; 5] = ["RS256", "ES256", "ES512", "HS256", "HS512"];
pub const USES: [&str; 2] = ["sig", "enc"];

/// The fields every key must have (the spec's `jsonWebKey`).
const REQUIRED: [&str; 4] = ["use", "kty", "kid", "alg"];

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

fn failed(_: impl std::fmt::Debug) -> ApiError {
    ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "The key could not be generated.")
}

/// A new key of `alg`, private parts included, as Hydra renders it.
pub fn generate(alg: &str, kid: &str, usage: &str) -> Result<Value, ApiError> {
    use aws_lc_rs::encoding::{AsBigEndian, AsDer};
    use aws_lc_rs::signature::{self, KeyPair};
    let mut key = json!({ "alg": alg, "kid": kid, "use": usage });
    match alg {
        "RS256" => {
            let pair = aws_lc_rs::rsa::KeyPair::generate(aws_lc_rs::rsa::KeySize::Rsa2048).map_err(failed)?;
            let der = pair.as_der().map_err(failed)?;
            let info = pkcs8::PrivateKeyInfo::try_from(der.as_ref()).map_err(failed)?;
            let rsa = pkcs1::RsaPrivateKey::try_from(info.private_key).map_err(failed)?;
            let parts = [
                ("n", rsa.modulus),
                ("e", rsa.public_exponent),
                ("d", rsa.private_exponent),
                ("p", rsa.prime1),
                ("q", rsa.prime2),
                ("dp", rsa.exponent1),
                ("dq", rsa.exponent2),
                ("qi", rsa.coefficient),
            ];
            key["kty"] = json!("RSA");
            for (name, value) in parts {
                key[name] = json!(b64(value.as_bytes()));
            }
        }
        "ES256" | "ES512" => {
            let (curve, crv) = if alg == "ES256" {
                (&signature::ECDSA_P256_SHA256_FIXED_SIGNING, "P-256")
            } else {
                (&signature::ECDSA_P521_SHA512_FIXED_SIGNING, "P-521")
            };
            let pair = signature::EcdsaKeyPair::generate(curve).map_err(failed)?;
            // An uncompressed point: 0x04, then x and y of equal length.
            let point = pair.public_key().as_ref();
            let half = (point.len() - 1) / 2;
            let d = pair.private_key().as_be_bytes().map_err(failed)?;
            key["kty"] = json!("EC");
            key["crv"] = json!(crv);
            key["x"] = json!(b64(&point[1..1 + half]));
            key["y"] = json!(b64(&point[1 + half..]));
            key["d"] = json!(b64(d.as_ref()));
        }
        "HS256" | "HS512" => {
            let mut secret = vec![0u8; if alg == "HS256" { 32 } else { 64 }];
            aws_lc_rs::rand::fill(&mut secret).map_err(failed)?;
            key["kty"] = json!("oct");
            key["k"] = json!(b64(&secret));
        }
        other => {
            return Err(ApiError::bad_request(format!(
                "alg {other:?} is not supported; use one of {}.",
                ALGORITHMS.join(", ")
            )))
        }
    }
    Ok(key)
}

fn set_of(s: &Store, project: Uuid, name: &str) -> Option<Uuid> {
    s.jwk_sets.values().find(|k| k.project_id == project && k.name == name).map(|k| k.id)
}

fn set_not_found(name: &str) -> ApiError {
    ApiError::not_found(format!("The JSON Web Key Set {name:?} does not exist."))
}

fn object(body: &Bytes) -> Result<serde_json::Map<String, Value>, ApiError> {
    json_object(body).map_err(ApiError::bad_request)
}

/// A key a client sends (`setJsonWebKeySet`, `setJsonWebKey`): the spec's
/// required fields, as strings.
fn checked_key(key: &Value) -> Result<Value, ApiError> {
    for field in REQUIRED {
        if key.get(field).and_then(Value::as_str).is_none_or(str::is_empty) {
            return Err(ApiError::bad_request(format!("Every key needs {field} (a non-empty string).")));
        }
    }
    if !USES.contains(&key["use"].as_str().unwrap_or_default()) {
        return Err(ApiError::bad_request("use must be sig or enc."));
    }
    Ok(key.clone())
}

fn set_body(keys: &[Value]) -> Value {
    json!({ "keys": keys })
}

/// `createJsonWebKeySet`: generates a key and adds it to the set, which is
/// made when it does not exist; answers the new key only, private parts
/// included.
async fn set_create(
    State(shared): State<Arc<Shared>>,
    axum::Extension(caller): axum::Extension<ProjectCaller>,
    Path((_, name)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    let made = object(&body).and_then(|body| {
        let text = |field: &str| body.get(field).and_then(Value::as_str).unwrap_or_default().to_string();
        let (alg, kid, usage) = (text("alg"), text("kid"), text("use"));
        if kid.is_empty() {
            return Err(ApiError::bad_request("kid is required."));
        }
        if !USES.contains(&usage.as_str()) {
            return Err(ApiError::bad_request("use must be sig or enc."));
        }
        generate(&alg, &kid, &usage)
    });
    let key = match made {
        Ok(key) => key,
        Err(e) => return e.into_response(),
    };
    respond(shared.write(|s| {
        let id = set_of(s, caller.project, &name);
        if let Some(id) = id {
            if s.jwk_sets[&id].keys.iter().any(|k| k["kid"] == key["kid"]) {
                // UNVERIFIED: Hydra's answer to a second key with one kid; refusing keeps kids unique.
                return Err(ApiError::new(StatusCode::CONFLICT, format!("The set already has a key {}.", key["kid"])));
            }
        }
        let mut set = match id {
            Some(id) => s.jwk_sets[&id].clone(),
            None => JwkSet { id: Uuid::new_v4(), project_id: caller.project, name: name.clone(), keys: Vec::new() },
        };
        set.keys.push(key.clone());
        s.jwk_sets.insert(set.id, set);
        Ok((StatusCode::CREATED, Json(set_body(std::slice::from_ref(&key)))).into_response())
    }))
}

async fn set_get(
    State(shared): State<Arc<Shared>>,
    axum::Extension(caller): axum::Extension<ProjectCaller>,
    Path((_, name)): Path<(String, String)>,
) -> Response {
    respond(shared.read(|s| {
        let id = set_of(s, caller.project, &name).ok_or_else(|| set_not_found(&name))?;
        Ok(Json(set_body(&s.jwk_sets[&id].keys)).into_response())
    }))
}

/// `setJsonWebKeySet`: the set becomes the keys sent.
async fn set_put(
    State(shared): State<Arc<Shared>>,
    axum::Extension(caller): axum::Extension<ProjectCaller>,
    Path((_, name)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    let keys = object(&body).and_then(|body| {
        let keys = body.get("keys").and_then(Value::as_array).cloned().unwrap_or_default();
        keys.iter().map(checked_key).collect::<Result<Vec<_>, _>>()
    });
    let keys = match keys {
        Ok(keys) => keys,
        Err(e) => return e.into_response(),
    };
    respond(shared.write(|s| {
        let id = set_of(s, caller.project, &name).unwrap_or_else(Uuid::new_v4);
        let set = JwkSet { id, project_id: caller.project, name: name.clone(), keys };
        let shown = set_body(&set.keys);
        s.jwk_sets.insert(id, set);
        Ok(Json(shown).into_response())
    }))
}

async fn set_delete(
    State(shared): State<Arc<Shared>>,
    axum::Extension(caller): axum::Extension<ProjectCaller>,
    Path((_, name)): Path<(String, String)>,
) -> Response {
    respond(shared.write(|s| {
        let id = set_of(s, caller.project, &name).ok_or_else(|| set_not_found(&name))?;
        s.jwk_sets.remove(&id);
        Ok(StatusCode::NO_CONTENT.into_response())
    }))
}

fn key_not_found(name: &str, kid: &str) -> ApiError {
    ApiError::not_found(format!("The JSON Web Key Set {name:?} has no key {kid:?}."))
}

async fn key_get(
    State(shared): State<Arc<Shared>>,
    axum::Extension(caller): axum::Extension<ProjectCaller>,
    Path((_, name, kid)): Path<(String, String, String)>,
) -> Response {
    respond(shared.read(|s| {
        let id = set_of(s, caller.project, &name).ok_or_else(|| set_not_found(&name))?;
        let key = s.jwk_sets[&id].keys.iter().find(|k| k["kid"] == kid.as_str());
        let key = key.ok_or_else(|| key_not_found(&name, &kid))?;
        Ok(Json(set_body(std::slice::from_ref(key))).into_response())
    }))
}

/// `setJsonWebKey`: puts one key in the set, over the one with its kid.
async fn key_put(
    State(shared): State<Arc<Shared>>,
    axum::Extension(caller): axum::Extension<ProjectCaller>,
    Path((_, name, kid)): Path<(String, String, String)>,
    body: Bytes,
) -> Response {
    let key = object(&body).and_then(|body| checked_key(&Value::Object(body)));
    let key = match key {
        Ok(key) if key["kid"] != kid.as_str() => {
            return ApiError::bad_request("The key's kid must be the one in the path.").into_response()
        }
        Ok(key) => key,
        Err(e) => return e.into_response(),
    };
    respond(shared.write(|s| {
        let id = set_of(s, caller.project, &name).ok_or_else(|| set_not_found(&name))?;
        let mut set = s.jwk_sets[&id].clone();
        match set.keys.iter_mut().find(|k| k["kid"] == kid.as_str()) {
            Some(slot) => *slot = key.clone(),
            None => set.keys.push(key.clone()),
        }
        s.jwk_sets.insert(id, set);
        Ok(Json(key).into_response())
    }))
}

async fn key_delete(
    State(shared): State<Arc<Shared>>,
    axum::Extension(caller): axum::Extension<ProjectCaller>,
    Path((_, name, kid)): Path<(String, String, String)>,
) -> Response {
    respond(shared.write(|s| {
        let id = set_of(s, caller.project, &name).ok_or_else(|| set_not_found(&name))?;
        let mut set = s.jwk_sets[&id].clone();
        let before = set.keys.len();
        set.keys.retain(|k| k["kid"] != kid.as_str());
        if set.keys.len() == before {
            return Err(key_not_found(&name, &kid));
        }
        // Hydra keeps keys, not sets: a set whose last key goes is gone
        // (its GetKeySet answers 404 for a set of no keys).
        if set.keys.is_empty() {
            s.jwk_sets.remove(&id);
        } else {
            s.jwk_sets.insert(id, set);
        }
        Ok(StatusCode::NO_CONTENT.into_response())
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_algorithm_makes_a_key_of_its_kind() {
        for (alg, kty, fields) in [
            ("RS256", "RSA", &["n", "e", "d", "p", "q", "dp", "dq", "qi"][..]),
            ("ES256", "EC", &["x", "y", "d"][..]),
            ("ES512", "EC", &["x", "y", "d"][..]),
            ("HS256", "oct", &["k"][..]),
            ("HS512", "oct", &["k"][..]),
        ] {
            let key = generate(alg, "k1", "sig").unwrap();
            assert_eq!((key["kty"].as_str(), key["alg"].as_str()), (Some(kty), Some(alg)));
            for field in fields {
                assert!(key[*field].as_str().is_some_and(|v| v.len() > 1), "{alg}: {field} in {key}");
            }
        }
        assert_eq!(generate("ES256", "k", "sig").unwrap()["x"].as_str().unwrap().len(), 43, "32 bytes");
        assert_eq!(generate("ES512", "k", "sig").unwrap()["x"].as_str().unwrap().len(), 88, "66 bytes");
        assert!(generate("RS512", "k", "sig").is_err());
    }
}
