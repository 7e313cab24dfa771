//! `ory_trusted_oauth2_jwt_grant_issuer`: a project's trust in a JWT
//! issuer (Ory Hydra's RFC 7523 JWT bearer grant). Attribute names are
//! those of Ory's provider. Hydra has no update, so every setting replaces
//! the trust; Hydra never shows the key again (only its `kid`), so the
//! state keeps the configured one.

use async_trait::async_trait;

use crate::plugin::Diagnostics;
use crate::project_api::{Server, TrustId};
use crate::project_api::{Trust, TrustBody, JWK_PRIVATE_MEMBERS};
use crate::provider::adoption::{Finds, InProject, Place};
use crate::provider::client::{OryClient, Setting};
use crate::provider::errors::Error;
use crate::provider::framework::self_hosted::Reaches;
use crate::provider::model::{attr, computed, model, optional, optional_computed, required, Fallback};
use crate::provider::typed::{Declared, ImportId, Plan, TypedResource};
use crate::provider::validators;

model! {
    pub struct TrustModel {
        id: String = computed("The trust's ID."),
        project_id: String = optional_computed(
            "The project. Defaults to the provider's `project_id`; with neither, the provider's `project_slug` and `project_api_key`. Changing it replaces the trust."
        )
        .check(validators::uuid)
        .default(Fallback::ProviderIfSet(Setting::ProjectId))
        .force_new(),
        issuer: String = required("Who issues the JWTs (their `iss` claim), such as `https://jwt-idp.example.com`. Changing it replaces the trust.").force_new(),
        subject: String = optional("The one subject (`sub` claim) the issuer may assert; or set `allow_any_subject`. Changing it replaces the trust.").force_new(),
        allow_any_subject: bool = optional("Let the issuer assert any subject, instead of one `subject`. Changing it replaces the trust.").force_new(),
        scope: Vec<String> = required("The scopes a token from such a JWT may hold. Changing them replaces the trust.").distinct().force_new(),
        jwk: String = required(
            "The issuer's public key, as a JWK JSON object (`jsonencode({...})`) with `kty` and `kid`, and no private part. Ory never shows it again, so the state keeps this one. Changing it replaces the trust."
        )
        .check(validators::json_object)
        .force_new(),
        expires_at: String = required("When the trust ends (RFC 3339, in the future). Changing it replaces the trust.").check(validators::time).force_new(),
        key_id: String = computed("The `kid` of the trusted key, as Ory holds it."),
        created_at: String = computed("When the trust was made (RFC 3339)."),
    }
}

fn kid_of(jwk: &str) -> Option<String> {
    let value: serde_json::Value = serde_json::from_str(jwk).ok()?;
    value["kid"].as_str().map(str::to_string)
}

impl TrustModel {
    fn project(&self) -> Option<&str> {
        self.project_id.as_deref()
    }

    fn body(&self) -> TrustBody {
        TrustBody {
            issuer: self.issuer.clone().unwrap_or_default(),
            subject: self.subject.clone(),
            allow_any_subject: self.allow_any_subject,
            scope: self.scope.clone().unwrap_or_default(),
            jwk: self.jwk.as_deref().and_then(|j| serde_json::from_str(j).ok()).unwrap_or_default(),
            expires_at: self.expires_at.as_deref().map(validators::canonical_time).unwrap_or_default(),
        }
    }

    /// The state from Ory's trust: the key and the expiry as `self` spells
    /// them (Ory shows only the key's `kid`).
    fn with(&self, t: Trust) -> TrustModel {
        let expires_at = match (&self.expires_at, t.expires_at) {
            (Some(mine), Some(theirs)) if validators::same_instant(mine, &theirs) => Some(mine.clone()),
            (_, theirs) => theirs,
        };
        TrustModel {
            id: Some(t.id.to_string()),
            project_id: self.project_id.clone(),
            issuer: Some(t.issuer),
            subject: t.subject.filter(|s| !s.is_empty()),
            allow_any_subject: match (t.allow_any_subject, self.allow_any_subject) {
                // Left out of the configuration and false at Ory: the same.
                (Some(false), None) => None,
                (live, _) => live,
            },
            scope: Some(t.scope),
            jwk: self.jwk.clone(),
            expires_at,
            key_id: t.public_key.kid,
            created_at: t.created_at,
            ..TrustModel::default()
        }
    }
}

pub struct TrustResource;

impl Declared for TrustResource {
    fn reaches(&self) -> Reaches {
        Reaches::Servers(&[Server::HydraAdmin])
    }

    type Model = TrustModel;

    fn type_name(&self) -> &'static str {
        "ory_trusted_oauth2_jwt_grant_issuer"
    }

    fn summary(&self) -> &'static str {
        "trust in a JWT issuer"
    }

    fn description(&self) -> String {
        "Trusts a JWT issuer for the OAuth2 JWT bearer grant (RFC 7523, Ory Hydra): JWTs its key signs, for one subject or any, can be exchanged for tokens of the given scopes until `expires_at`. Ory cannot change a trust, so every setting replaces it. The provider reaches the project's own API with a key of that project (see the provider's `project_api_key` and `mint_project_api_keys`).".into()
    }

    fn noun(&self) -> &'static str {
        "trusted JWT issuer"
    }

    fn describe(&self, m: &TrustModel) -> String {
        match (&m.id, &m.issuer) {
            (Some(id), _) => format!("trusted JWT issuer {id}"),
            (None, Some(issuer)) => format!("trust in JWT issuer {issuer:?}"),
            (None, None) => "a trusted JWT issuer".into(),
        }
    }

    fn validate(&self, config: &TrustModel, diags: &mut Diagnostics) {
        let subject_set = config.subject.is_some();
        let any = config.allow_any_subject == Some(true);
        let known = !config.unknown.contains("subject") && !config.unknown.contains("allow_any_subject");
        if known && subject_set == any {
            diags.attr_error(
                attr!(TrustModel, subject),
                "Set subject or allow_any_subject",
                "Set either one subject the issuer may assert, or allow_any_subject = true: not both, and not neither.",
            );
        }
        if let Some(jwk) = config.jwk.as_deref().and_then(|j| serde_json::from_str::<serde_json::Value>(j).ok()) {
            let has = |m: &str| jwk[m].as_str().is_some_and(|v| !v.is_empty());
            if !has("kty") || !has("kid") {
                diags.attr_error(attr!(TrustModel, jwk), "Incomplete JWK", "The jwk needs kty and kid.");
            }
            if let Some(private) = JWK_PRIVATE_MEMBERS.iter().find(|m| jwk.get(**m).is_some()) {
                diags.attr_error(
                    attr!(TrustModel, jwk),
                    "A private key in jwk",
                    format!("The jwk holds {private:?}, a private member: give the issuer's public key only."),
                );
            }
        }
    }
}

#[async_trait]
impl TypedResource for TrustResource {
    /// None: Ory never shows an issuer's key, which the configuration needs.
    async fn find(&self, _: &OryClient, place: &Place<'_>, finds: &mut Finds) -> Result<(), crate::console::Error> {
        let Place::Project(at @ InProject { api: Some(api), .. }) = place else { return Ok(()) };
        let trusts = api.trusted_issuers().list().await?.len();
        if trusts > 0 {
            finds.leave_out(format!("{trusts} trusted JWT issuer(s) of {}: Ory never shows the issuer's key, which their configuration needs; import each with its jwk (see ory_trusted_oauth2_jwt_grant_issuer)", at.named()));
        }
        Ok(())
    }

    fn import_id(&self) -> ImportId {
        ImportId::Owned {
            id: attr!(TrustModel, id),
            owner: attr!(TrustModel, project_id),
            label: "trust_id",
            default: Some(Setting::ProjectId),
        }
    }

    /// A trust found after a lost answer is the user's to import.
    fn adoptable(&self) -> bool {
        false
    }

    /// What changes no trust at Ory changes the state alone: the key an
    /// import could not read, when the configuration's has the `kid` Ory
    /// holds, and the same expiry spelled otherwise. A trust to be made
    /// must not have expired.
    async fn plan(&self, _client: &OryClient, plan: &mut Plan<'_, TrustModel>) -> Result<(), Error> {
        if let Some(prior) = &plan.prior {
            let wanted_kid = plan.config.jwk.as_deref().and_then(kid_of);
            if prior.jwk.is_none() && wanted_kid.is_some() && wanted_kid == prior.key_id {
                plan.kept_in_place.push(attr!(TrustModel, jwk));
            }
            if let (Some(was), Some(wanted)) = (&prior.expires_at, &plan.config.expires_at) {
                if was != wanted && validators::same_instant(was, wanted) {
                    plan.kept_in_place.push(attr!(TrustModel, expires_at));
                }
            }
            let kept = plan.kept_in_place.clone();
            plan.replacing.retain(|a| !kept.contains(a));
            if plan.replacing.is_empty() {
                return Ok(());
            }
        }
        if let Some(expires_at) = plan.planned.expires_at.as_deref() {
            if let Err(problem) = validators::future_time(expires_at) {
                return Err(Error::on(
                    attr!(TrustModel, expires_at),
                    "Invalid expires_at",
                    format!("expires_at {problem}"),
                ));
            }
        }
        Ok(())
    }

    async fn create(&self, client: &OryClient, planned: TrustModel, _: &mut Diagnostics) -> Result<TrustModel, Error> {
        let api = client.project_api(planned.project()).await?;
        let made = api.trusted_issuers().create(&planned.body()).await?;
        Ok(planned.with(made))
    }

    async fn read(
        &self,
        client: &OryClient,
        state: TrustModel,
        _: &mut Diagnostics,
    ) -> Result<Option<TrustModel>, Error> {
        let api = client.project_api(state.project()).await?;
        let found = api.trusted_issuers().find(&TrustId::from(state.id.as_deref().unwrap_or_default())).await?;
        Ok(found.map(|t| state.with(t)))
    }

    /// Only what `plan` kept in place gets here: the state takes it.
    async fn update(
        &self,
        _client: &OryClient,
        prior: TrustModel,
        planned: TrustModel,
        _: &mut Diagnostics,
    ) -> Result<TrustModel, Error> {
        Ok(TrustModel { jwk: planned.jwk, expires_at: planned.expires_at, ..prior })
    }

    async fn delete(&self, client: &OryClient, prior: TrustModel, _: &mut Diagnostics) -> Result<(), Error> {
        let api = client.project_api(prior.project()).await?;
        Ok(api.trusted_issuers().delete(&TrustId::from(prior.id.as_deref().unwrap_or_default())).await?)
    }
}
