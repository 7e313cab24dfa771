//! The slice resource's trait, and `Sliced`: any slice served as a typed
//! resource.

use serde_json::Value as Json;

use async_trait::async_trait;

use super::edit::{Owner, Write};
use crate::plugin::{Diagnostics, Value};
use crate::provider::adoption::{Finds, InProject, Place};
use crate::provider::client::OryClient;
use crate::provider::errors::Error;
use crate::provider::framework::ownership::Part;
use crate::provider::model::Model;
use crate::provider::typed::{Declared, ImportId, Plan, TypedResource};

/// The partial state of an import ID `<project_id>/<key>`, where `key` is
/// the attribute `key_attr` and passes `check`; `None` when it does not.
/// A bare import ID: the key alone, checked as its attribute is.
pub fn bare_key(id: &str, key_attr: &str, check: fn(&str) -> Result<(), String>) -> Option<crate::plugin::Value> {
    use crate::plugin::Value;
    check(id).ok()?;
    Some(Value::object([(key_attr, Value::string(id))]))
}

pub fn project_scoped(id: &str, key_attr: &str, check: fn(&str) -> Result<(), String>) -> Option<crate::plugin::Value> {
    use crate::plugin::Value;
    let (project, key) = id.split_once('/')?;
    if !crate::provider::validators::is_uuid(project) || check(key).is_err() {
        return None;
    }
    Some(Value::object([("project_id", Value::string(project)), (key_attr, Value::string(key))]))
}

/// A resource that owns one part of a project document, served to
/// Terraform by [`Sliced`]. It says where its part is, how its model becomes
/// that part and back, and what stops a write; `Sliced` does the rest the
/// same way for every such resource: claims at plan time, the edit, the
/// read of the owned part only, import, and the `id` attribute.
#[async_trait]
pub trait Slice: Declared {
    /// What errors call the part: "the SAML provider".
    const THE: &'static str;
    /// The attributes that place the part; it is claimed once all are known.
    const PLACED_BY: &'static [&'static str];
    /// `(pointer inside the part, attribute)`, most specific first: where a
    /// refused pointer is shown.
    const ATTRIBUTES: &'static [(&'static str, &'static str)];
    /// The import ID's form, for the error on a malformed one.
    const IMPORT_FORM: &'static str;
    /// An update writes the value's keys over the live object, keeping the
    /// keys the model does not know (see [`Write::over_live`]).
    const OVER_LIVE: bool = false;
    /// A switch the part needs on (a sign-in method), turned on by a
    /// create. Every part under it wants it on, so no one part owns it.
    const SWITCH: Option<&'static str> = None;
    /// Pointers inside the part an update keeps as Ory holds them when the
    /// model leaves them out (see [`Write::keep`]).
    const KEEP: &'static [&'static str] = &[];

    /// The partial state an import ID gives; `None` when it is malformed.
    fn parse_import(id: &str) -> Option<Value>;
    /// The form of a bare import ID, of a part of the provider's project
    /// (Ory's provider's import IDs), when the resource takes one.
    const BARE_FORM: Option<&'static str> = None;
    /// The partial state a bare import ID gives, `project_id` aside.
    fn parse_bare(_id: &str) -> Option<Value> {
        None
    }
    /// The import ID of the part `m` places.
    fn import_id(&self, m: &Self::Model) -> String;
    /// The parts of this type in a project's document, for `adopt`.
    fn found(&self, _at: &InProject<'_>, _finds: &mut Finds) {}

    /// The `id` attribute: the import ID, unless Ory's provider names it otherwise.
    fn id(&self, m: &Self::Model) -> String {
        self.import_id(m)
    }
    fn part(&self, m: &Self::Model) -> Part;
    /// What the part holds; `prior` is the state an update starts from.
    fn value(&self, m: &Self::Model, prior: Option<&Self::Model>) -> Json;
    /// Values elsewhere in the document that go with the part, which it
    /// owns too.
    fn also(&self, _m: &Self::Model) -> Vec<(Part, Json)> {
        Vec::new()
    }
    /// The state after `m`, when `value` is the part in the document `doc`
    /// of project `project`.
    fn shown(&self, m: &Self::Model, project: &str, value: &Json, doc: &Json) -> Self::Model;
    /// Plan rules of the resource's own, before its parts are claimed.
    fn plan(&self, _plan: &mut Plan<'_, Self::Model>) {}
    /// A check of the part that asks Ory (such as its validation of an OPL
    /// document): at plan time once the part is placed, and before every
    /// write, so that a value Ory would refuse changes nothing.
    async fn check(&self, _client: &OryClient, _m: &Self::Model) -> Result<(), Error> {
        Ok(())
    }
    /// A reason, in the live document, not to add the part.
    fn refuse_create(&self, _m: &Self::Model, _live: &Json) -> Option<Error> {
        None
    }
    /// Whether the part's live value is one Ory's defaults put there, which
    /// a create writes over rather than asking for an import.
    fn is_default(&self, _value: &Json) -> bool {
        false
    }
    /// A reason, in the live document, to leave the part at Ory when the
    /// resource is destroyed (it is removed from the state only): the
    /// warning that says so.
    fn kept_on_delete(&self, _m: &Self::Model, _live: &Json) -> Option<String> {
        None
    }
}

/// A [`Slice`] as a [`TypedResource`].
pub struct Sliced<S>(pub S);

/// A slice's model: the project it is in, and its `id`, read and set as
/// fields rather than through the model's whole value.
pub trait Placed {
    fn project_id(&self) -> &str;
    fn set_id(&mut self, id: String);
}

/// `Placed` for models with `project_id` and `id` fields, as every slice's has.
macro_rules! placed {
    ($model:ty) => {
        impl $crate::provider::document::slice::Placed for $model {
            fn project_id(&self) -> &str {
                self.project_id.as_deref().unwrap_or_default()
            }

            fn set_id(&mut self, id: String) {
                self.id = Some(id);
            }
        }
    };
}
pub(crate) use placed;

impl<S: Slice> Sliced<S>
where
    S::Model: Placed,
{
    fn owner(&self, m: &S::Model) -> Owner<'static> {
        Owner {
            noun: S::THE,
            attributes: S::ATTRIBUTES,
            import_hint: format!("terraform import <address> '{}'", self.0.import_id(m)),
        }
    }

    fn with_id(&self, mut m: S::Model) -> S::Model {
        m.set_id(self.0.id(&m));
        m
    }
}

impl<S: Slice> Declared for Sliced<S> {
    type Model = S::Model;

    fn type_name(&self) -> &'static str {
        self.0.type_name()
    }

    fn summary(&self) -> &'static str {
        self.0.summary()
    }

    fn description(&self) -> String {
        self.0.description()
    }

    fn noun(&self) -> &'static str {
        self.0.noun()
    }

    fn describe(&self, m: &S::Model) -> String {
        self.0.describe(m)
    }

    fn validate(&self, config: &S::Model, diags: &mut Diagnostics) {
        self.0.validate(config, diags)
    }
}

#[async_trait]
impl<S: Slice> TypedResource for Sliced<S>
where
    S::Model: Placed,
{
    async fn find(&self, _: &OryClient, place: &Place<'_>, finds: &mut Finds) -> Result<(), crate::console::Error> {
        if let Place::Project(at) = place {
            self.0.found(at, finds);
        }
        Ok(())
    }

    fn import_id(&self) -> ImportId {
        match S::BARE_FORM {
            Some(bare_help) => {
                ImportId::ParsedOrBare { parse: S::parse_import, help: S::IMPORT_FORM, bare: S::parse_bare, bare_help }
            }
            None => ImportId::Parsed { parse: S::parse_import, help: S::IMPORT_FORM },
        }
    }

    /// An entry found after a lost answer is never adopted: `create` tells
    /// its own resend from an entry that was there.
    fn adoptable(&self) -> bool {
        false
    }

    async fn plan(&self, client: &OryClient, plan: &mut Plan<'_, S::Model>) -> Result<(), Error> {
        self.0.plan(plan);
        let planned = plan.planned.to_value();
        let placed = S::PLACED_BY.iter().all(|name| !planned.attr(name).is_unknown());
        if !placed || planned.attr("project_id").is_null() {
            return Ok(());
        }
        plan.planned = self.with_id(plan.planned.clone());
        let project = plan.planned.project_id().to_string();
        let mut parts = vec![self.0.part(&plan.planned)];
        parts.extend(self.0.also(&plan.planned).into_iter().map(|(part, _)| part));
        parts.extend(S::SWITCH.map(Part::switch));
        let changes = plan.prior.as_ref().is_none_or(|prior| prior.to_value() != plan.planned.to_value());
        if changes {
            self.0.check(client, &plan.planned).await?;
        }
        let by = format!("{} {}", self.0.type_name(), self.0.import_id(&plan.planned));
        // After the resource's own rules: content that is the same JSON is no replacement.
        let replacing = plan.prior.as_ref().is_some_and(|prior| {
            let prior = prior.to_value();
            S::Model::declared().iter().any(|f| f.force_new && prior.attr(f.name) != planned.attr(f.name))
        });
        client.claims.claim_all(&project, &parts, &by, replacing)
    }

    async fn create(&self, client: &OryClient, planned: S::Model, notes: &mut Diagnostics) -> Result<S::Model, Error> {
        self.0.check(client, &planned).await?;
        let (project, part) = (planned.project_id().to_string(), self.0.part(&planned));
        let (value, mut also) = (self.0.value(&planned, None), self.0.also(&planned));
        also.extend(S::SWITCH.map(|pointer| (Part::at(pointer), Json::Bool(true))));
        let refuse = |live: &Json| self.0.refuse_create(&planned, live);
        let is_default = |value: &Json| self.0.is_default(value);
        let write = Write {
            value: &value,
            also: &also,
            over_live: false,
            unless: Some(&refuse),
            over_default: Some(&is_default),
            keep: &[],
        };
        let doc = self.owner(&planned).create(client, &project, &part, write, notes).await?;
        Ok(self.with_id(self.0.shown(&planned, &project, &value, &doc)))
    }

    async fn read(&self, client: &OryClient, state: S::Model, _: &mut Diagnostics) -> Result<Option<S::Model>, Error> {
        let (project, part) = (state.project_id().to_string(), self.0.part(&state));
        let Some((live, value)) = self.owner(&state).read(client, &project, &part).await? else { return Ok(None) };
        let shown = self.0.shown(&state, &project, &value, live.as_ref());
        Ok(Some(self.with_id(shown)))
    }

    async fn update(
        &self,
        client: &OryClient,
        prior: S::Model,
        planned: S::Model,
        notes: &mut Diagnostics,
    ) -> Result<S::Model, Error> {
        self.0.check(client, &planned).await?;
        let (project, old, new) = (planned.project_id().to_string(), self.0.part(&prior), self.0.part(&planned));
        let (value, also) = (self.0.value(&planned, Some(&prior)), self.0.also(&planned));
        let write = Write {
            value: &value,
            also: &also,
            over_live: S::OVER_LIVE,
            unless: None,
            over_default: None,
            keep: S::KEEP,
        };
        let doc = self.owner(&planned).update(client, &project, &old, &new, write, notes).await?;
        Ok(self.with_id(self.0.shown(&planned, &project, &value, &doc)))
    }

    async fn delete(&self, client: &OryClient, prior: S::Model, notes: &mut Diagnostics) -> Result<(), Error> {
        let (project, part) = (prior.project_id().to_string(), self.0.part(&prior));
        let kept = |live: &Json| self.0.kept_on_delete(&prior, live);
        self.owner(&prior).delete(client, &project, &part, kept, notes).await
    }

    fn imported(&self, state: &mut S::Model, _: &mut Diagnostics) {
        *state = self.with_id(state.clone());
    }
}
