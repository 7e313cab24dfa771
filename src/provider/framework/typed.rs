//! The typed layer between `plugin` and each resource. A resource declares a
//! model and implements [`TypedResource`] on it; [`Typed`] turns that into
//! the plugin's traits. Everything that is the same for every resource lives
//! here: the schema, validation, declared planning rules, import-ID
//! parsing, and the one rule for errors and state:
//!
//! - a handler returns `Ok(model)`: that is the new state;
//! - a handler returns `Err`: its error becomes one diagnostic through
//!   [`diagnose`], and Terraform keeps the state from before the call (none
//!   after a failed create, the prior state after a failed update or delete,
//!   the current state after a failed read);
//! - `read` returns `Ok(None)`: the object is gone, and leaves the state;
//! - write-only attributes reach `create` and `update` from the
//!   configuration, and never a state: the plugin layer nulls them.
//!
//! A handler may add warnings to `notes`. It adds an error there only when
//! the object it returns must be kept anyway: a project that was created but
//! did not start in time is still a project Terraform has to know.

use async_trait::async_trait;

use crate::console;
use crate::plugin::{
    AttributePath, DataSource, Diagnostics, EphemeralResource, Opened, PlanRequest, Planned, Resource, Schema, Value,
};
use crate::provider::client::{OryClient, Setting};
use crate::provider::errors::{diagnose, Error, Operation, Subject};
use crate::provider::framework::adoption::{Finds, Place};
use crate::provider::framework::self_hosted::{self, Reaches};
use crate::provider::model::{self, Fallback, Field, Model};
use crate::provider::validators::is_uuid;

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
    fn declared_schema(&self) -> Schema {
        Schema { summary: self.0.summary().to_string(), ..D::Model::schema(&self.0.description()) }
    }

    fn declared_checks(&self, config: &Value) -> Diagnostics {
        let mut diags = model::validate::<D::Model>(config);
        self.0.validate(&D::Model::from_value(config), &mut diags);
        diags
    }

    /// Whether this provider block serves it, with the errors that say why
    /// not (before any call): a self-hosted Ory without the servers it needs,
    /// or a configuration naming an Ory Network project there.
    fn served(&self, client: &OryClient, config: &Value, diags: &mut Diagnostics) -> bool {
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

    fn subject<'a>(&'a self, m: &D::Model, import_id: Option<&'a (dyn Fn(&str) -> String + Sync)>) -> Subject<'a> {
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

#[async_trait]
impl<R: TypedResource> Registered for Typed<R> {
    fn import_shape(&self) -> String {
        self.0.import_id().shape()
    }

    async fn find(&self, client: &OryClient, place: &Place<'_>, finds: &mut Finds) -> Result<(), console::Error> {
        self.0.find(client, place, finds).await
    }
}

impl<R: TypedResource> Typed<R> {
    /// A candidate's ID as an import ID, for a create whose answer was lost.
    fn import_form(&self, planned: &Value, candidate: &str) -> String {
        match self.0.import_id() {
            ImportId::Own { .. } | ImportId::Parsed { .. } | ImportId::ParsedOrBare { .. } => candidate.to_string(),
            ImportId::Owned { owner, .. } | ImportId::OwnedParsed { owner, .. } => {
                format!("{}/{candidate}", planned.attr(owner).as_str().unwrap_or_default())
            }
        }
    }

    fn parse_import(&self, client: &OryClient, id: &str) -> Option<Value> {
        let data_plane = matches!(self.0.reaches(), Reaches::Servers(_));
        let bare_owner = |default| bare_owner(client, default, data_plane);
        match self.0.import_id() {
            ImportId::Own { id: attr, .. } => is_uuid(id).then(|| Value::object([(attr, Value::string(id))])),
            ImportId::Owned { id: attr, owner, default, .. } => {
                let (owner_id, object_id) = match id.split_once('/') {
                    Some((o, i)) => (Some(o.to_string()), i),
                    None => (bare_owner(default?)?, id),
                };
                (owner_id.as_deref().is_none_or(is_uuid) && is_uuid(object_id)).then(|| {
                    Value::object([
                        (attr, Value::string(object_id)),
                        (owner, owner_id.map_or(Value::Null, Value::String)),
                    ])
                })
            }
            ImportId::Parsed { parse, .. } => parse(id),
            ImportId::ParsedOrBare { parse, bare, .. } => parse(id).or_else(|| {
                let mut partial = bare(id)?;
                partial.set_attr("project_id", bare_owner(Setting::ProjectId)?.map_or(Value::Null, Value::String));
                Some(partial)
            }),
            ImportId::OwnedParsed { owner, default, parse, .. } => {
                let (owner_id, own) = match id.split_once('/') {
                    Some((o, rest)) if is_uuid(o) => (Some(o.to_string()), rest),
                    _ => (bare_owner(default)?, id),
                };
                let mut partial = parse(own)?;
                partial.set_attr(owner, owner_id.map_or(Value::Null, Value::String));
                Some(partial)
            }
        }
    }

    fn import_help(&self, id: &str) -> String {
        let type_name = self.0.type_name();
        let data_plane = matches!(self.0.reaches(), Reaches::Servers(_));
        let bare_when = |default| bare_when(default, data_plane);
        match self.0.import_id() {
            ImportId::Own { noun, .. } => format!(
                "Import an {type_name} by its {noun} ID, a UUID such as 3fa85f64-5717-4562-b3fc-2c963f66afa6; got {id:?}."
            ),
            ImportId::Owned { owner, label, default, .. } => {
                let alone = match default {
                    Some(s) => format!(", or as <{label}> alone {}", bare_when(s)),
                    None => String::new(),
                };
                format!(
                    "Import an {type_name} as <{owner}>/<{label}>, two UUIDs separated by a slash{alone}; got {id:?}."
                )
            }
            ImportId::Parsed { help, .. } => format!("Import an {type_name} as {help}; got {id:?}."),
            ImportId::ParsedOrBare { help, bare_help, .. } => format!(
                "Import an {type_name} as {help}, or as {bare_help} alone {}; got {id:?}.",
                bare_when(Setting::ProjectId)
            ),
            ImportId::OwnedParsed { owner, default, help, .. } => format!(
                "Import an {type_name} as <{owner}>/{help}, or as {help} alone {}; got {id:?}.",
                bare_when(default)
            ),
        }
    }
}

/// The owner of an object imported by its bare ID: the provider's
/// `default` setting; else, for an object of a project's own API (a
/// `data_plane` resource), none when the provider reaches such an API of
/// its own (its `project_api_key`, or self-hosted Ory), as a resource that
/// names no project does; `None` when the bare form cannot be used.
fn bare_owner(client: &OryClient, default: Setting, data_plane: bool) -> Option<Option<String>> {
    match default.of(client) {
        Some(id) => Some(Some(id.to_string())),
        None if default == Setting::ProjectId && data_plane && client.has_own_project_api() => Some(None),
        None => None,
    }
}

/// When the bare form of an import ID can be used, for messages: see
/// [`bare_owner`].
fn bare_when(default: Setting, data_plane: bool) -> String {
    match default {
        Setting::ProjectId if data_plane => {
            "when the provider sets project_id or project_api_key, or names self-hosted Ory servers".into()
        }
        other => format!("when the provider sets {}", other.attr()),
    }
}

/// Terraform's proposal with the declared rules applied: defaults, one
/// spelling per value, unknown computed values, and the force-new
/// attributes that change.
fn planned_by_declaration(
    fields: &[Field],
    client: &OryClient,
    req: &PlanRequest<'_>,
    diags: &mut Diagnostics,
) -> (Value, Vec<&'static str>) {
    let mut planned = req.proposed.clone();
    let creating = req.prior.is_null();
    // Never planned: a write-only value counts as no change.
    for f in fields.iter().filter(|f| f.write_only) {
        planned.set_attr(f.name, Value::Null);
    }
    for f in fields {
        if !req.config.attr(f.name).is_null() {
            if let (Some(same), Some(prior), Some(config)) =
                (f.same, req.prior.attr(f.name).as_str(), req.config.attr(f.name).as_str())
            {
                if same(prior, config) {
                    planned.set_attr(f.name, Value::string(prior));
                }
            }
            continue;
        }
        match &f.default {
            Some(Fallback::Always(v)) => planned.set_attr(f.name, v.clone()),
            Some(Fallback::OnCreate(v)) if creating => planned.set_attr(f.name, v.clone()),
            Some(Fallback::Provider(setting)) if creating => {
                if let Some(v) = required_setting(*setting, client, f.name, diags) {
                    planned.set_attr(f.name, v);
                }
            }
            Some(Fallback::ProviderIfSet(setting)) if creating => {
                if let Some(v) = setting.of(client) {
                    planned.set_attr(f.name, Value::string(v));
                }
            }
            _ => {}
        }
    }
    if creating {
        let unset: Vec<&str> =
            fields.iter().filter(|f| f.computed && planned.attr(f.name).is_null()).map(|f| f.name).collect();
        for name in unset {
            planned.set_attr(name, Value::Unknown);
        }
        return (planned, Vec::new());
    }
    let changed = fields.iter().any(|f| (f.required || f.optional) && planned.attr(f.name) != req.prior.attr(f.name));
    if changed {
        for f in fields.iter().filter(|f| f.follows_changes) {
            planned.set_attr(f.name, Value::Unknown);
        }
    }
    let replacing = fields
        .iter()
        .filter(|f| f.force_new && planned.attr(f.name) != req.prior.attr(f.name))
        .map(|f| f.name)
        .collect();
    (planned, replacing)
}

#[async_trait]
impl<R: TypedResource> Resource<OryClient> for Typed<R> {
    fn type_name(&self) -> &'static str {
        self.0.type_name()
    }

    fn schema(&self) -> Schema {
        self.declared_schema()
    }

    fn validate(&self, config: &Value) -> Diagnostics {
        self.declared_checks(config)
    }

    async fn plan(&self, client: &OryClient, req: PlanRequest<'_>, diags: &mut Diagnostics) -> Planned {
        if req.config.is_null() {
            let prior = R::Model::from_value(req.prior);
            if let Err(e) = self.0.plan_destroy(&prior) {
                diags.push(diagnose(e, Operation::Delete, &self.subject(&prior, None)));
            }
            return Planned::new(Value::Null);
        }
        if !self.served(client, req.config, diags) {
            return Planned::new(req.proposed.clone());
        }
        let fields = R::Model::declared();
        let (planned, replacing) = planned_by_declaration(&fields, client, &req, diags);
        let mut plan = Plan {
            prior: (!req.prior.is_null()).then(|| R::Model::from_value(req.prior)),
            config: R::Model::from_value(req.config),
            planned: R::Model::from_value(&planned),
            prior_private: req.prior_private,
            private: None,
            replacing,
            kept_in_place: Vec::new(),
            notes: Diagnostics::new(),
        };
        // A destroy's first plan only refreshes the state: what is being
        // destroyed is not judged by its configuration's content (the
        // resource's own rules may ask Ory about it), nor claimed.
        if !crate::plugin::invocation::destroying() {
            if let Err(e) = self.0.plan(client, &mut plan).await {
                let op = if plan.prior.is_some() { Operation::Update } else { Operation::Create };
                diags.push(diagnose(e, op, &self.subject(&plan.planned, None)));
            }
        }
        diags.0.append(&mut plan.notes.0);
        let mut out = Planned::new(plan.planned.to_value());
        out.private = plan.private;
        out.requires_replace = fields
            .iter()
            .filter(|f| f.force_new && !plan.kept_in_place.contains(&f.name))
            .map(|f| AttributePath::attr(f.name))
            .collect();
        out
    }

    async fn create(&self, client: &OryClient, planned: &Value, config: &Value, diags: &mut Diagnostics) -> Value {
        let model: R::Model = with_write_only(planned, config);
        match self.0.create(client, model.clone(), diags).await {
            Ok(created) => created.to_value(),
            Err(e) => {
                let import_id = |candidate: &str| self.import_form(planned, candidate);
                let import_id: Option<&(dyn Fn(&str) -> String + Sync)> = self.0.adoptable().then_some(&import_id);
                diags.push(diagnose(e, Operation::Create, &self.subject(&model, import_id)));
                Value::Null
            }
        }
    }

    async fn read(&self, client: &OryClient, state: &Value, diags: &mut Diagnostics) -> Value {
        let model = R::Model::from_value(state);
        match self.0.read(client, model.clone(), diags).await {
            Ok(Some(read)) => read.to_value(),
            Ok(None) => Value::Null,
            Err(e) => {
                diags.push(diagnose(e, Operation::Read, &self.subject(&model, None)));
                state.clone()
            }
        }
    }

    async fn update(
        &self,
        client: &OryClient,
        prior: &Value,
        planned: &Value,
        config: &Value,
        diags: &mut Diagnostics,
    ) -> Value {
        let prior_model = R::Model::from_value(prior);
        match self.0.update(client, prior_model.clone(), with_write_only(planned, config), diags).await {
            Ok(updated) => updated.to_value(),
            Err(e) => {
                diags.push(diagnose(e, Operation::Update, &self.subject(&prior_model, None)));
                prior.clone()
            }
        }
    }

    async fn delete(&self, client: &OryClient, prior: &Value, diags: &mut Diagnostics) {
        let model = R::Model::from_value(prior);
        if let Err(e) = self.0.delete(client, model.clone(), diags).await {
            diags.push(diagnose(e, Operation::Delete, &self.subject(&model, None)));
        }
    }

    async fn import(&self, client: &OryClient, id: &str, diags: &mut Diagnostics) -> Value {
        if !self.served(client, &Value::Null, diags) {
            return Value::Null;
        }
        let Some(parsed) = self.parse_import(client, id) else {
            diags.error("Invalid import ID", self.import_help(id));
            return Value::Null;
        };
        let mut state = R::Model::from_value(&parsed);
        self.0.imported(&mut state, diags);
        state.to_value()
    }
}

/// The plan with the write-only values of the configuration, which
/// Terraform never plans or stores: what a create or update sends. The
/// plugin layer nulls them again in every state it answers with.
fn with_write_only<M: Model>(planned: &Value, config: &Value) -> M {
    let mut sent = planned.clone();
    for f in M::declared().iter().filter(|f| f.write_only) {
        sent.set_attr(f.name, config.attr(f.name).clone());
    }
    M::from_value(&sent)
}

/// The configuration with the provider's settings filled in where the
/// declaration names one and the configuration leaves it out.
fn with_provider_defaults<M: Model>(client: &OryClient, config: &Value, diags: &mut Diagnostics) -> M {
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
fn required_setting(
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

#[async_trait]
pub trait TypedDataSource: Declared {
    async fn read(&self, client: &OryClient, config: Self::Model) -> Result<Self::Model, Error>;
}

#[async_trait]
impl<D: TypedDataSource> DataSource<OryClient> for Typed<D> {
    fn type_name(&self) -> &'static str {
        self.0.type_name()
    }

    fn schema(&self) -> Schema {
        self.declared_schema()
    }

    fn validate(&self, config: &Value) -> Diagnostics {
        self.declared_checks(config)
    }

    async fn read(&self, client: &OryClient, config: &Value, diags: &mut Diagnostics) -> Value {
        if !self.served(client, config, diags) {
            return Value::Null;
        }
        let config: D::Model = with_provider_defaults(client, config, diags);
        if diags.has_errors() {
            return Value::Null;
        }
        let subject = self.subject(&config, None);
        match self.0.read(client, config).await {
            Ok(read) => read.to_value(),
            Err(e) => {
                diags.push(diagnose(e, Operation::Read, &subject));
                Value::Null
            }
        }
    }
}

#[async_trait]
pub trait TypedEphemeral: Declared {
    /// The result, and what `close` will need.
    async fn open(&self, client: &OryClient, config: Self::Model) -> Result<(Self::Model, Vec<u8>), Error>;

    /// Errors say what they were doing: `close` has no model to describe.
    async fn close(&self, client: &OryClient, private: &[u8]) -> Result<(), Error>;
}

#[async_trait]
impl<E: TypedEphemeral> EphemeralResource<OryClient> for Typed<E> {
    fn type_name(&self) -> &'static str {
        self.0.type_name()
    }

    fn schema(&self) -> Schema {
        self.declared_schema()
    }

    fn validate(&self, config: &Value) -> Diagnostics {
        self.declared_checks(config)
    }

    async fn open(&self, client: &OryClient, config: &Value, diags: &mut Diagnostics) -> Opened {
        let nothing = Opened { result: Value::Null, private: Vec::new() };
        if !self.served(client, config, diags) {
            return nothing;
        }
        let config: E::Model = with_provider_defaults(client, config, diags);
        if diags.has_errors() {
            return nothing;
        }
        let subject = self.subject(&config, None);
        match self.0.open(client, config).await {
            Ok((result, private)) => Opened { result: result.to_value(), private },
            Err(e) => {
                diags.push(diagnose(e, Operation::Create, &subject));
                nothing
            }
        }
    }

    async fn close(&self, client: &OryClient, private: &[u8], diags: &mut Diagnostics) {
        if let Err(e) = self.0.close(client, private).await {
            let subject = Subject { noun: self.0.noun(), described: String::new(), import_id: None };
            diags.push(diagnose(e, Operation::Delete, &subject));
        }
    }
}
