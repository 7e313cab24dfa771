//! What a resource, data source or ephemeral resource declares, and the
//! traits it implements.

use async_trait::async_trait;

use crate::console;
use crate::plugin::{Diagnostics, Resource, Schema, Value};
use crate::provider::client::{OryClient, Setting};
use crate::provider::errors::{Error, Subject};
use crate::provider::framework::adoption::{Finds, Place};
use crate::provider::framework::self_hosted::{self, Reaches};
use crate::provider::model::{self, Fallback, Model};

/// How an import ID names an object.
pub enum ImportId {
    /// The object's own ID, in attribute `id`: "by its <noun> ID".
    Own { id: &'static str, noun: &'static str },
    /// `<owner>/<id>`, where `label` names the ID in messages; with
    /// `default`, also `<id>` alone, in the provider's setting.
    Owned { id: &'static str, owner: &'static str, label: &'static str, default: Option<Setting> },
    /// An ID of the resource's own form: `parse` gives the partial state,
    /// `None` when the ID is malformed, and `help` says what the form is.
    Parsed { parse: fn(&str) -> Option<Value>, help: &'static str },
    /// `<owner>/<own form>`, or the own form alone in the provider's
    /// `default` owner: for objects whose ID is not a UUID (a relation
    /// tuple), `parse` giving the partial state of the own form.
    OwnedParsed { owner: &'static str, default: Setting, parse: fn(&str) -> Option<Value>, help: &'static str },
    /// An ID of the resource's own form (`parse`, `help`), or a bare one
    /// (`bare`, `bare_help`) of an object of the provider's `project_id`,
    /// as Ory's provider imports it (a social provider by its
    /// `provider_id` alone).
    ParsedOrBare {
        parse: fn(&str) -> Option<Value>,
        help: &'static str,
        bare: fn(&str) -> Option<Value>,
        bare_help: &'static str,
    },
}

impl ImportId {
    /// The import ID's main form, as the README's table shows it: the
    /// first form its help names.
    pub fn shape(&self) -> String {
        let first = |help: &str| help.split([',', '(']).next().unwrap_or_default().trim().to_string();
        match self {
            ImportId::Own { noun, .. } => format!("<{noun}_id>"),
            ImportId::Owned { owner, label, .. } => format!("<{owner}>/<{label}>"),
            ImportId::Parsed { help, .. } | ImportId::ParsedOrBare { help, .. } => first(help),
            ImportId::OwnedParsed { owner, help, .. } => format!("<{owner}>/{}", first(help)),
        }
    }
}

/// A plan, for the resource's own rules after the declared ones ran.
pub struct Plan<'a, M> {
    /// `None` when the object is new.
    pub prior: Option<M>,
    pub config: M,
    /// What will be planned; the declared defaults and unknowns are in.
    pub planned: M,
    pub prior_private: &'a [u8],
    /// Private state to plan; `None` keeps the prior private state.
    pub private: Option<Vec<u8>>,
    /// Force-new attributes whose value changes: the plan replaces the object.
    pub replacing: Vec<&'static str>,
    /// Force-new attributes whose change this plan makes in the state alone
    /// (a value Ory cannot show, now known from the configuration; the same
    /// instant spelled otherwise): they replace nothing. A hook that adds
    /// one takes it out of `replacing` too.
    pub kept_in_place: Vec<&'static str>,
    /// Warnings to show with the plan.
    pub notes: Diagnostics,
}

/// What every typed resource, data source and ephemeral resource declares.
pub trait Declared: Send + Sync + 'static {
    type Model: Model;

    fn type_name(&self) -> &'static str;
    /// What it manages or reads, in a few words: the README's tables.
    fn summary(&self) -> &'static str;
    fn description(&self) -> String;
    /// What the object is called in messages: "project API key".
    fn noun(&self) -> &'static str;
    /// The object as a user tells it apart: `project 3fa8...`, "the
    /// projects of workspace 3fa8...".
    fn describe(&self, m: &Self::Model) -> String;

    /// Checks across attributes; each attribute's own checks are declared.
    fn validate(&self, _config: &Self::Model, _diags: &mut Diagnostics) {}

    /// What it reaches: the console unless it says otherwise. A provider
    /// block for self-hosted Ory serves only what its servers reach.
    fn reaches(&self) -> Reaches {
        Reaches::Console
    }
}

impl<D: Declared> Typed<D> {
    pub(super) fn declared_schema(&self) -> Schema {
        Schema { summary: self.0.summary().to_string(), ..D::Model::schema(&self.0.description()) }
    }

    pub(super) fn declared_checks(&self, config: &Value) -> Diagnostics {
        let mut diags = model::validate::<D::Model>(config);
        self.0.validate(&D::Model::from_value(config), &mut diags);
        diags
    }

    /// Whether this provider block serves it, with the errors that say why
    /// not (before any call): a self-hosted Ory without the servers it needs,
    /// or a configuration naming an Ory Network project there.
    pub(super) fn served(&self, client: &OryClient, config: &Value, diags: &mut Diagnostics) -> bool {
        let servers = client.self_hosted.as_ref();
        if let Some(refusal) = self_hosted::unreachable(servers, self.0.type_name(), self.0.reaches()) {
            diags.push(refusal);
            return false;
        }
        let mut named = self_hosted::network_attributes(servers, config);
        let served = !named.has_errors();
        diags.0.append(&mut named.0);
        served
    }

    pub(super) fn subject<'a>(
        &'a self,
        m: &D::Model,
        import_id: Option<&'a (dyn Fn(&str) -> String + Sync)>,
    ) -> Subject<'a> {
        Subject { noun: self.0.noun(), described: self.0.describe(m), import_id }
    }
}

#[async_trait]
pub trait TypedResource: Declared {
    fn import_id(&self) -> ImportId;

    /// Whether an object found after a lost create answer could serve this
    /// resource once imported (not a key: its value is lost with the answer).
    fn adoptable(&self) -> bool {
        true
    }

    /// The objects of this type that `adopt` imports from `place`; none
    /// unless the resource says how to find them.
    async fn find(&self, _client: &OryClient, _place: &Place<'_>, _finds: &mut Finds) -> Result<(), console::Error> {
        Ok(())
    }

    async fn plan(&self, _client: &OryClient, _plan: &mut Plan<'_, Self::Model>) -> Result<(), Error> {
        Ok(())
    }

    fn plan_destroy(&self, _prior: &Self::Model) -> Result<(), Error> {
        Ok(())
    }

    async fn create(
        &self,
        client: &OryClient,
        planned: Self::Model,
        notes: &mut Diagnostics,
    ) -> Result<Self::Model, Error>;

    async fn read(
        &self,
        client: &OryClient,
        state: Self::Model,
        notes: &mut Diagnostics,
    ) -> Result<Option<Self::Model>, Error>;

    async fn update(
        &self,
        client: &OryClient,
        prior: Self::Model,
        planned: Self::Model,
        notes: &mut Diagnostics,
    ) -> Result<Self::Model, Error>;

    async fn delete(&self, client: &OryClient, prior: Self::Model, notes: &mut Diagnostics) -> Result<(), Error>;

    /// Completes the state an import ID gave, before Terraform reads the rest.
    fn imported(&self, _state: &mut Self::Model, _notes: &mut Diagnostics) {}
}

/// A typed resource, data source or ephemeral resource, served through the plugin traits.
pub struct Typed<R>(pub R);

/// A resource as the provider registers it: what Terraform calls, and how
/// `adopt` finds its objects.
#[async_trait]
pub trait Registered: Resource<OryClient> {
    /// Its import ID's main form.
    fn import_shape(&self) -> String;
    async fn find(&self, client: &OryClient, place: &Place<'_>, finds: &mut Finds) -> Result<(), console::Error>;
}

/// The configuration with the provider's settings filled in where the
/// declaration names one and the configuration leaves it out.
pub(super) fn with_provider_defaults<M: Model>(client: &OryClient, config: &Value, diags: &mut Diagnostics) -> M {
    let mut filled = config.clone();
    for f in M::declared() {
        if let (Some(Fallback::Provider(setting)), true) = (&f.default, config.attr(f.name).is_null()) {
            if let Some(v) = required_setting(*setting, client, f.name, diags) {
                filled.set_attr(f.name, v);
            }
        }
    }
    M::from_value(&filled)
}

/// The provider's setting for attribute `attr` left out of a configuration,
/// or the error that says where to set it.
pub(super) fn required_setting(
    setting: Setting,
    client: &OryClient,
    attr: &'static str,
    diags: &mut Diagnostics,
) -> Option<Value> {
    let value = setting.of(client).map(Value::string);
    if value.is_none() {
        diags.push(setting.missing(attr));
    }
    value
}
