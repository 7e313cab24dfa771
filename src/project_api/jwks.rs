//! A project's JSON Web Key sets (Ory Hydra's admin keys): `api.jwks()`.
//! A key set's private parts are secrets: they are never in a `Debug`
//! form, and every one read is hidden from the log from then on.

use reqwest::Method;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::{Endpoint, Error};
use crate::api_enum::api_enum;
use crate::http::segment;

const PATH: &str = "/admin/keys";

api_enum! {
    /// The algorithms Ory generates keys for.
    JwkAlgorithm {
        Rs256 = "RS256",
        Es256 = "ES256",
        Es512 = "ES512",
        Hs256 = "HS256",
        Hs512 = "HS512",
    }
}
api_enum! {
    /// What a key is for: signatures or encryption.
    JwkUse {
        Sig = "sig",
        Enc = "enc",
    }
}

/// The members of a JWK that are private: RSA's, EC's `d`, a symmetric `k`.
pub const JWK_PRIVATE_MEMBERS: &[&str] = &["d", "p", "q", "dp", "dq", "qi", "oth", "k"];

/// One JSON Web Key, as Ory renders it.
#[derive(Clone, Deserialize, Serialize, PartialEq)]
pub struct Jwk(pub Map<String, Value>);

impl Jwk {
    pub fn kid(&self) -> &str {
        self.0.get("kid").and_then(Value::as_str).unwrap_or_default()
    }

    pub fn text(&self, member: &str) -> Option<&str> {
        self.0.get(member).and_then(Value::as_str)
    }

    /// The key without its private members; `None` for a symmetric key,
    /// which has no public half.
    pub fn public(&self) -> Option<Jwk> {
        if self.text("kty") == Some("oct") {
            return None;
        }
        let mut public = self.0.clone();
        public.retain(|member, _| !JWK_PRIVATE_MEMBERS.contains(&member.as_str()));
        Some(Jwk(public))
    }

    fn learn_secrets(&self) {
        for member in JWK_PRIVATE_MEMBERS {
            if let Some(secret) = self.text(member) {
                crate::secrets::learn(secret);
            }
        }
    }
}

impl std::fmt::Debug for Jwk {
    /// Never the private members.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Jwk")
            .field("kid", &self.kid())
            .field("alg", &self.text("alg"))
            .field("use", &self.text("use"))
            .finish_non_exhaustive()
    }
}

#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct JwkSet {
    #[serde(default)]
    pub keys: Vec<Jwk>,
}

impl JwkSet {
    fn learned(self) -> JwkSet {
        self.keys.iter().for_each(Jwk::learn_secrets);
        self
    }
}

#[derive(Serialize)]
struct NewKey<'a> {
    alg: &'a str,
    kid: &'a str,
    #[serde(rename = "use")]
    usage: &'a str,
}

/// The key sets of one project.
pub struct Jwks<'a> {
    api: Endpoint<'a>,
}

impl<'a> Jwks<'a> {
    pub(super) fn new(api: Endpoint<'a>) -> Jwks<'a> {
        Jwks { api }
    }

    fn set_path(set: &str) -> String {
        format!("{PATH}/{}", segment(set))
    }

    /// Has Ory generate a key of `alg` in `set` (made if new); the answer
    /// holds that key, private parts included.
    pub async fn generate(&self, set: &str, kid: &str, alg: &str, usage: &str) -> Result<JwkSet, Error> {
        let body = NewKey { alg, kid, usage };
        let made: JwkSet =
            self.api.send("createJsonWebKeySet", Method::POST, &Self::set_path(set), Some(&body)).await?;
        Ok(made.learned())
    }

    /// The set, or `None` when it does not exist.
    pub async fn find(&self, set: &str) -> Result<Option<JwkSet>, Error> {
        match self.api.send::<(), JwkSet>("getJsonWebKeySet", Method::GET, &Self::set_path(set), None).await {
            Ok(found) => Ok(Some(found.learned())),
            Err(e) if e.is_not_found() => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Deletes the key `kid` of `set`, and no other: a set goes with its
    /// last key. One already gone is not an error.
    pub async fn delete_key(&self, set: &str, kid: &str) -> Result<(), Error> {
        let path = format!("{}/{}", Self::set_path(set), segment(kid));
        match self.api.send_empty("deleteJsonWebKey", Method::DELETE, &path).await {
            Err(e) if e.is_not_found() => Ok(()),
            other => other,
        }
    }
}
