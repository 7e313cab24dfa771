//! `terraform-provider-echo`: a provider built on `plugin` alone, for tests
//! of the protocol layer against the real terraform. Its resources store
//! their configuration as state, so every value Terraform sends comes back.
//!
//! - `echo_nested`: nested attributes (single, list, set, map) and nested
//!   blocks (list, single); accepts `echo_flat` moved into it.
//! - `echo_flat`: flat attributes only, so that it works with every Terraform
//!   from 1.0 on (1.0 crashes on some nested-attribute values): schema
//!   version 1, upgrading version-0 state (`name` became `title`); private
//!   state; and a switch that panics, to show no panic reaches Terraform.
//! - `echo_ory_*`: every Ory resource, data source and ephemeral resource,
//!   and the provider block, with Ory's schemas and handlers that do nothing:
//!   the baseline of `make bench`, which differs from Ory only in the
//!   handlers' work (Terraform decodes the same schemas from both).

use async_trait::async_trait;
use terraform_provider_ory::plugin::provider::MoveRequest;
use terraform_provider_ory::plugin::{
    log, serve, Attribute, Block, DataSource, Diagnostics, EphemeralResource, NestedBlock, Nesting, Opened,
    PlanRequest, Planned, Provider, Resource, Schema, Type, Value,
};
use terraform_provider_ory::provider::OryProvider;

struct Echo;
struct Nested;
struct Flat;

#[async_trait]
impl Provider for Echo {
    type Client = ();

    /// Ory's provider block, so that Terraform decodes the same schema from both.
    fn schema(&self) -> Schema {
        OryProvider::new().schema()
    }

    fn resources(&self) -> Vec<Box<dyn Resource<()>>> {
        let mut resources: Vec<Box<dyn Resource<()>>> = vec![Box::new(Nested), Box::new(Flat)];
        for ory in OryProvider::new().resources() {
            resources.push(Box::new(Mirror { name: echo_name(ory.type_name()), schema: ory.schema() }));
        }
        resources
    }

    fn data_sources(&self) -> Vec<Box<dyn DataSource<()>>> {
        let ory = OryProvider::new().data_sources();
        ory.iter().map(|d| Box::new(Mirror { name: echo_name(d.type_name()), schema: d.schema() }) as _).collect()
    }

    fn ephemeral_resources(&self) -> Vec<Box<dyn EphemeralResource<()>>> {
        let ory = OryProvider::new().ephemeral_resources();
        ory.iter().map(|e| Box::new(Mirror { name: echo_name(e.type_name()), schema: e.schema() }) as _).collect()
    }

    async fn configure(&self, _config: &Value, _tf: &str) -> Result<((), Diagnostics), Diagnostics> {
        Ok(((), Diagnostics::new()))
    }
}

/// Plans the configuration as state, with `id` unknown until created.
fn plan_echo(req: &PlanRequest<'_>) -> Planned {
    let mut planned = req.proposed.clone();
    if req.prior.is_null() {
        planned.set_attr("id", Value::Unknown);
    }
    let mut out = Planned::new(planned);
    out.private = Some(b"echo-private".to_vec());
    out
}

#[async_trait]
impl Resource<()> for Nested {
    fn type_name(&self) -> &'static str {
        "echo_nested"
    }

    fn schema(&self) -> Schema {
        Schema::new(
            "Echoes its configuration.",
            vec![
                Attribute::string("id").computed(),
                Attribute::string("title").optional(),
                Attribute::nested(
                    "single",
                    Nesting::Single,
                    vec![Attribute::string("a").required(), Attribute::number("b").optional()],
                )
                .optional(),
                Attribute::nested("list", Nesting::List, vec![Attribute::string("name").required()]).optional(),
                Attribute::nested("set", Nesting::Set, vec![Attribute::string("name").required()]).optional(),
                Attribute::nested("map", Nesting::Map, vec![Attribute::string("value").required()]).optional(),
                Attribute::typed("tags", Type::map(Type::String)).optional(),
            ],
        )
        .with_blocks(vec![
            NestedBlock::new(
                "rule",
                Nesting::List,
                Block {
                    attributes: vec![Attribute::number("port").required(), Attribute::string("proto").optional()],
                    ..Block::default()
                },
            ),
            NestedBlock::new(
                "settings",
                Nesting::Single,
                Block { attributes: vec![Attribute::bool("enabled").optional()], ..Block::default() },
            ),
        ])
    }

    async fn plan(&self, _client: &(), req: PlanRequest<'_>, _diags: &mut Diagnostics) -> Planned {
        plan_echo(&req)
    }

    async fn create(&self, _client: &(), planned: &Value, _config: &Value, _diags: &mut Diagnostics) -> Value {
        planned.clone().with_attr("id", Value::string("echo-1"))
    }

    async fn read(&self, _client: &(), state: &Value, _diags: &mut Diagnostics) -> Value {
        state.clone()
    }

    async fn update(
        &self,
        _client: &(),
        _prior: &Value,
        planned: &Value,
        _config: &Value,
        _diags: &mut Diagnostics,
    ) -> Value {
        planned.clone()
    }

    async fn delete(&self, _client: &(), _prior: &Value, _diags: &mut Diagnostics) {}

    fn move_state(&self, req: MoveRequest<'_>, diags: &mut Diagnostics) -> Value {
        if req.source_type_name != "echo_flat" {
            diags.error("Move not supported", format!("cannot move {}", req.source_type_name));
            return Value::Null;
        }
        Value::object([
            ("id", Value::opt_string(req.source_state["id"].as_str())),
            ("title", Value::opt_string(req.source_state["title"].as_str())),
            ("rule", Value::List(vec![])),
        ])
    }
}

#[async_trait]
impl Resource<()> for Flat {
    fn type_name(&self) -> &'static str {
        "echo_flat"
    }

    fn schema(&self) -> Schema {
        let mut schema = Schema::new(
            "Echoes its configuration.",
            vec![
                Attribute::string("id").computed(),
                Attribute::string("title").optional(),
                Attribute::bool("panic_on_create").optional(),
            ],
        );
        schema.version = 1;
        schema
    }

    async fn plan(&self, _client: &(), req: PlanRequest<'_>, _diags: &mut Diagnostics) -> Planned {
        plan_echo(&req)
    }

    async fn create(&self, _client: &(), planned: &Value, _config: &Value, _diags: &mut Diagnostics) -> Value {
        if planned.attr("panic_on_create").as_bool() == Some(true) {
            panic!("echo_flat was asked to panic");
        }
        planned.clone().with_attr("id", Value::string("flat-1"))
    }

    async fn read(&self, _client: &(), state: &Value, _diags: &mut Diagnostics) -> Value {
        state.clone()
    }

    async fn update(
        &self,
        _client: &(),
        _prior: &Value,
        planned: &Value,
        _config: &Value,
        _diags: &mut Diagnostics,
    ) -> Value {
        planned.clone()
    }

    async fn delete(&self, _client: &(), _prior: &Value, _diags: &mut Diagnostics) {}

    fn upgrade_state(&self, version: i64, raw: &serde_json::Value, diags: &mut Diagnostics) -> Value {
        let mut raw = raw.clone();
        if version == 0 {
            if let Some(obj) = raw.as_object_mut() {
                let name = obj.remove("name").unwrap_or(serde_json::Value::Null);
                obj.insert("title".into(), name);
            }
        }
        match Value::from_json(&raw, &self.schema().implied_type()) {
            Ok(v) => v,
            Err(e) => {
                diags.error("Unreadable state", e.to_string());
                Value::Null
            }
        }
    }
}

/// `ory_x` served as `echo_ory_x`; the names live as long as the process.
fn echo_name(ory: &str) -> &'static str {
    Box::leak(format!("echo_{ory}").into_boxed_str())
}

/// An Ory resource's (or data source's) schema with handlers that do
/// nothing: what is computed is unknown in a plan to create and a
/// placeholder once made or read.
struct Mirror {
    name: &'static str,
    schema: Schema,
}

/// `value` with every unknown replaced by a placeholder of its type.
fn settled(value: &Value, ty: &Type) -> Value {
    match (value, ty) {
        (Value::Unknown, Type::String) => Value::string("echo"),
        (Value::Unknown, Type::Number) => Value::Number("0".into()),
        (Value::Unknown, Type::Bool) => Value::Bool(false),
        (Value::Unknown, Type::List(_)) => Value::List(vec![]),
        (Value::Unknown, Type::Set(_)) => Value::Set(vec![]),
        (Value::Unknown, Type::Map(_)) => Value::Map(Default::default()),
        (Value::Unknown, _) => Value::Null,
        (Value::Object(attrs), Type::Object(types)) => Value::Object(
            attrs
                .iter()
                .map(|(name, v)| (name.clone(), types.get(name).map_or(v.clone(), |t| settled(v, t))))
                .collect(),
        ),
        _ => value.clone(),
    }
}

#[async_trait]
impl Resource<()> for Mirror {
    fn type_name(&self) -> &'static str {
        self.name
    }

    fn schema(&self) -> Schema {
        self.schema.clone()
    }

    async fn plan(&self, _client: &(), req: PlanRequest<'_>, _diags: &mut Diagnostics) -> Planned {
        let mut planned = req.proposed.clone();
        if req.prior.is_null() {
            for attribute in self.schema.block.attributes.iter().filter(|a| a.computed) {
                if req.config.attr(&attribute.name).is_null() {
                    planned.set_attr(&attribute.name, Value::Unknown);
                }
            }
        }
        Planned::new(planned)
    }

    async fn create(&self, _client: &(), planned: &Value, _config: &Value, _diags: &mut Diagnostics) -> Value {
        settled(planned, &self.schema.implied_type())
    }

    async fn read(&self, _client: &(), state: &Value, _diags: &mut Diagnostics) -> Value {
        state.clone()
    }

    async fn update(
        &self,
        _client: &(),
        _prior: &Value,
        planned: &Value,
        _config: &Value,
        _diags: &mut Diagnostics,
    ) -> Value {
        settled(planned, &self.schema.implied_type())
    }

    async fn delete(&self, _client: &(), _prior: &Value, _diags: &mut Diagnostics) {}
}

/// One thread, as the provider runs: the baseline differs only in the handlers.
#[tokio::main(flavor = "current_thread")]
async fn main() -> std::process::ExitCode {
    log::init("provider.terraform-provider-echo");
    match serve::serve(Echo).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{e}");
            std::process::ExitCode::FAILURE
        }
    }
}

#[async_trait]
impl DataSource<()> for Mirror {
    fn type_name(&self) -> &'static str {
        self.name
    }

    fn schema(&self) -> Schema {
        self.schema.clone()
    }

    async fn read(&self, _client: &(), config: &Value, _diags: &mut Diagnostics) -> Value {
        settled(config, &self.schema.implied_type())
    }
}

#[async_trait]
impl EphemeralResource<()> for Mirror {
    fn type_name(&self) -> &'static str {
        self.name
    }

    fn schema(&self) -> Schema {
        self.schema.clone()
    }

    async fn open(&self, _client: &(), config: &Value, _diags: &mut Diagnostics) -> Opened {
        Opened { result: settled(config, &self.schema.implied_type()), private: Vec::new() }
    }

    async fn close(&self, _client: &(), _private: &[u8], _diags: &mut Diagnostics) {}
}
