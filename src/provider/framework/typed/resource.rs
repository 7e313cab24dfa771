//! A typed resource served as the plugin's resource: the declared
//! planning rules, and the one rule for errors and state.

use async_trait::async_trait;

use super::declared::{required_setting, Plan, Registered, Typed, TypedResource};
use crate::console;
use crate::plugin::{AttributePath, Diagnostics, PlanRequest, Planned, Resource, Schema, Value};
use crate::provider::client::OryClient;
use crate::provider::errors::{diagnose, Operation};
use crate::provider::framework::adoption::{Finds, Place};
use crate::provider::model::{Fallback, Field, Model};

#[async_trait]
impl<R: TypedResource> Registered for Typed<R> {
    fn import_shape(&self) -> String {
        self.0.import_id().shape()
    }

    async fn find(&self, client: &OryClient, place: &Place<'_>, finds: &mut Finds) -> Result<(), console::Error> {
        self.0.find(client, place, finds).await
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
