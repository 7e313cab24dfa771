//! `ory_json_web_key_set`: a key set of a project (Ory Hydra's admin keys)
//! holding one key Ory generates. Attribute names are those of Ory's
//! provider; beside its `keys` (the whole set, private parts included,
//! sensitive) it has `public_keys`, which a configuration can hand to
//! whoever verifies the signatures.

use async_trait::async_trait;

use crate::plugin::{Diagnostics, Value};
use crate::project_api::Server;
use crate::project_api::{JwkAlgorithm, JwkSet, JwkUse};
use crate::provider::adoption::{Finds, InProject, Place};
use crate::provider::client::ProjectTarget;
use crate::provider::client::{OryClient, Setting};
use crate::provider::errors::Error;
use crate::provider::framework::self_hosted::Reaches;
use crate::provider::model::{attr, computed, model, optional_computed, required, Fallback};
use crate::provider::typed::{Declared, ImportId, TypedResource};
use crate::provider::validators;

model! {
    pub struct JwkSetModel {
        id: String = computed("The set's ID, as `set_id`."),
        project_id: String = optional_computed(
            "The project. Defaults to the provider's `project_id`; with neither, the provider's `project_slug` and `project_api_key`. Changing it replaces the key."
        )
        .check(validators::uuid)
        .default(Fallback::ProviderIfSet(Setting::ProjectId))
        .force_new(),
        project_slug: String = crate::provider::framework::project_keys::slug_field(),
        project_api_key: String = crate::provider::framework::project_keys::key_field(),
        set_id: String = required("The set's name, such as `token-signing`: letters, digits, `.`, `_` and `-`. Changing it replaces the key.")
            .check(set_name)
            .force_new(),
        key_id: String = required("The `kid` of the key Ory generates. Changing it replaces the key.").check(set_name).force_new(),
        algorithm: String = required("The key's algorithm. Changing it replaces the key.").one_of(JwkAlgorithm::NAMES).force_new(),
        r#use: String = required("`sig` (signatures) or `enc` (encryption). Changing it replaces the key.").one_of(JwkUse::NAMES).force_new(),
        keys: String = computed(
            "This resource's key as Ory holds it, as a JWKS JSON document of one key, private parts included. Sensitive; never logged. Other keys of the set (another resource's, or anyone's) are never in it."
        )
        .sensitive(),
        public_keys: String = computed(
            "This resource's public key, as a JWKS JSON document (`{\"keys\": [...]}`) without private parts, for whoever verifies signatures. Empty for an HMAC key (`HS256`, `HS512`), which has no public half."
        ),
    }
}

crate::provider::client::project_target!(JwkSetModel);

/// Hydra's set and key names travel in paths: a plain name keeps them whole.
fn set_name(v: &str) -> Result<(), String> {
    let plain = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-');
    if v.is_empty() || v.len() > 200 || !v.chars().all(plain) {
        return Err(format!("must be 1 to 200 letters, digits, '.', '_' or '-'; got {v:?}"));
    }
    Ok(())
}

fn jwks_json(keys: &[serde_json::Value]) -> String {
    serde_json::json!({ "keys": keys }).to_string()
}

impl JwkSetModel {
    fn set(&self) -> &str {
        self.set_id.as_deref().or(self.id.as_deref()).unwrap_or_default()
    }

    /// The state from the set Ory holds, or `None` when it no longer holds
    /// this resource's key: that key alone, whatever else the set holds.
    /// An imported state without a key ID takes the set's only key; a set
    /// of several is an error naming them.
    fn with(&self, set: JwkSet) -> Result<Option<JwkSetModel>, Error> {
        let kid = match &self.key_id {
            Some(kid) => kid.clone(),
            None => match set.keys.as_slice() {
                [only] => only.kid().to_string(),
                keys => {
                    let kids: Vec<&str> = keys.iter().map(|k| k.kid()).collect();
                    return Err(Error::refused(
                        "The set holds more than one key",
                        format!(
                            "The JSON Web Key set {:?} holds {} keys ({}): an ory_json_web_key_set manages one key. Import it by {}/{}/<key_id>.",
                            self.set(),
                            kids.len(),
                            kids.join(", "),
                            self.project().unwrap_or("<project_id>"),
                            self.set()
                        ),
                    ));
                }
            },
        };
        let Some(key) = set.keys.iter().find(|k| k.kid() == kid) else { return Ok(None) };
        let own = [serde_json::Value::Object(key.0.clone())];
        let public: Vec<serde_json::Value> = key.public().map(|k| serde_json::Value::Object(k.0)).into_iter().collect();
        Ok(Some(JwkSetModel {
            id: Some(self.set().to_string()),
            project_id: self.project_id.clone(),
            project_slug: self.project_slug.clone(),
            project_api_key: self.project_api_key.clone(),
            set_id: Some(self.set().to_string()),
            key_id: Some(kid.clone()),
            algorithm: key.text("alg").map(str::to_string).or_else(|| self.algorithm.clone()),
            r#use: key.text("use").map(str::to_string).or_else(|| self.r#use.clone()),
            keys: Some(jwks_json(&own)),
            public_keys: Some(jwks_json(&public)),
            ..JwkSetModel::default()
        }))
    }
}

pub struct JwkSetResource;

impl Declared for JwkSetResource {
    fn reaches(&self) -> Reaches {
        Reaches::Servers(&[Server::HydraAdmin])
    }

    type Model = JwkSetModel;

    fn validate(&self, config: &JwkSetModel, diags: &mut Diagnostics) {
        crate::provider::framework::project_keys::check_credentials(
            &config.project_slug,
            &config.project_api_key,
            diags,
        );
    }

    fn type_name(&self) -> &'static str {
        "ory_json_web_key_set"
    }

    fn summary(&self) -> &'static str {
        "a key in a JSON Web Key set"
    }

    fn description(&self) -> String {
        "A key Ory generates in a JSON Web Key set of a project (Ory Hydra): RSA, EC or HMAC, for signatures or encryption. Every setting replaces the key. Several resources may hold keys of one set: each deletes its own key only, and the set goes with its last key. The private parts of this key are kept in the state as sensitive (`keys`); `public_keys` is what verifiers need. The provider reaches the project's own API with a key of that project (see the provider's `project_api_key` and `mint_project_api_keys`).".into()
    }

    fn noun(&self) -> &'static str {
        "JSON Web Key set"
    }

    fn describe(&self, m: &JwkSetModel) -> String {
        let project = m
            .project()
            .map_or_else(|| "the provider's project or self-hosted servers".to_string(), |p| format!("project {p}"));
        format!("JSON Web Key set {:?} of {project}", m.set())
    }
}

/// `[<project_id>/]<set_id>[/<key_id>]`: without a project, the provider's
/// own; without a key, the set's only one. Names hold no `/`.
fn parse_import(id: &str) -> Option<Value> {
    let mut parts: Vec<&str> = id.split('/').collect();
    let project = match parts.first() {
        Some(first) if validators::is_uuid(first) && parts.len() > 1 => Value::string(parts.remove(0)),
        _ => Value::Null,
    };
    let (set, kid) = match parts.as_slice() {
        [set] => (*set, Value::Null),
        [set, kid] => (*set, Value::string(*kid)),
        _ => return None,
    };
    set_name(set).ok()?;
    if let Some(kid) = kid.as_str() {
        set_name(kid).ok()?;
    }
    Some(Value::object([("id", Value::string(set)), ("project_id", project), ("key_id", kid)]))
}

#[async_trait]
impl TypedResource for JwkSetResource {
    /// None: Ory cannot list a project's key sets.
    async fn find(&self, _: &OryClient, place: &Place<'_>, finds: &mut Finds) -> Result<(), crate::console::Error> {
        if let Place::Project(at @ InProject { api: Some(_), .. }) = place {
            finds.leave_out(format!(
                "the JSON Web Key sets of {}: Ory cannot list them; import each by its set ID",
                at.named()
            ));
        }
        Ok(())
    }

    fn import_id(&self) -> ImportId {
        ImportId::Parsed {
            parse: parse_import,
            help: "<project_id>/<set_id>/<key_id>, or <project_id>/<set_id> for a set of one key; without <project_id>/, in the provider's own project (project_api_key)",
        }
    }

    /// A set found after a lost answer holds private parts Ory shows again,
    /// but whose key it is cannot be told: the user's to import.
    fn adoptable(&self) -> bool {
        false
    }

    async fn create(
        &self,
        client: &OryClient,
        planned: JwkSetModel,
        _: &mut Diagnostics,
    ) -> Result<JwkSetModel, Error> {
        let api = client.api_of(&planned).await?;
        let jwks = api.jwks();
        let set = planned.set();
        let kid = planned.key_id.as_deref().unwrap_or_default();
        // Hydra adds a generated key to a set that exists: a set with this
        // kid already is someone's key, never replaced silently.
        let mut whole = jwks.find(set).await?.unwrap_or(JwkSet { keys: Vec::new() });
        if whole.keys.iter().any(|k| k.kid() == kid) {
            return Err(Error::on(
                attr!(JwkSetModel, key_id),
                "The set already holds this key",
                format!(
                    "The JSON Web Key set {set:?} already holds a key {kid:?}. Import it (terraform import <address> <project_id>/{set}), or choose another key_id."
                ),
            ));
        }
        let alg = planned.algorithm.as_deref().unwrap_or_default();
        let usage = planned.r#use.as_deref().unwrap_or_default();
        // The answer holds the new key alone: with the set read above, the whole set.
        whole.keys.extend(jwks.generate(set, kid, alg, usage).await?.keys);
        planned.with(whole)?.ok_or_else(|| {
            Error::refused("The key is missing", format!("Ory did not keep the key {kid:?} it generated in {set:?}."))
        })
    }

    async fn read(
        &self,
        client: &OryClient,
        state: JwkSetModel,
        _: &mut Diagnostics,
    ) -> Result<Option<JwkSetModel>, Error> {
        let api = client.api_of(&state).await?;
        match api.jwks().find(state.set()).await? {
            Some(set) => state.with(set),
            None => Ok(None),
        }
    }

    /// Every setting replaces the key: nothing changes in place.
    async fn update(
        &self,
        _client: &OryClient,
        prior: JwkSetModel,
        _planned: JwkSetModel,
        _: &mut Diagnostics,
    ) -> Result<JwkSetModel, Error> {
        Ok(prior)
    }

    /// Deletes this resource's key alone: the set's other keys are other
    /// resources' (or anyone's), and the set goes with its last key.
    async fn delete(&self, client: &OryClient, prior: JwkSetModel, _: &mut Diagnostics) -> Result<(), Error> {
        let api = client.api_of(&prior).await?;
        let Some(kid) = prior.key_id.as_deref() else {
            return Err(Error::refused(
                "Which key?",
                format!("The state of JSON Web Key set {:?} names no key_id, so no key was deleted.", prior.set()),
            ));
        };
        Ok(api.jwks().delete_key(prior.set(), kid).await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn import_ids_name_a_set_with_or_without_its_project() {
        let with = parse_import("3fa85f64-5717-4562-b3fc-2c963f66afa6/token-signing").unwrap();
        assert_eq!(with.attr("id").as_str(), Some("token-signing"));
        assert_eq!(with.attr("project_id").as_str(), Some("3fa85f64-5717-4562-b3fc-2c963f66afa6"));
        assert!(parse_import("token-signing").unwrap().attr("project_id").is_null());
        let key = parse_import("3fa85f64-5717-4562-b3fc-2c963f66afa6/token-signing/team-a").unwrap();
        assert_eq!(key.attr("key_id").as_str(), Some("team-a"));
        assert_eq!(parse_import("token-signing/team-a").unwrap().attr("key_id").as_str(), Some("team-a"));
        for bad in
            ["3fa85f64-5717-4562-b3fc-2c963f66afa6/a b", "", "a/b/c", "3fa85f64-5717-4562-b3fc-2c963f66afa6/s/k/x"]
        {
            assert!(parse_import(bad).is_none(), "{bad}");
        }
        assert_eq!(attr!(JwkSetModel, set_id), "set_id");
    }
}
