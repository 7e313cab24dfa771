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
//! - `echo_ory_project`, `echo_ory_project_api_key`, `echo_ory_event_stream`,
//!   `echo_ory_identity`, `echo_ory_oauth2_client`, `echo_ory_relationship`: the schemas of the Ory resources with handlers that do nothing, the
//!   baseline of `make bench` that differs from Ory only in the handlers' work.

use async_trait::async_trait;
use terraform_provider_ory::plugin::provider::MoveRequest;
use terraform_provider_ory::plugin::{
    log, serve, Attribute, Block, Diagnostics, NestedBlock, Nesting, PlanRequest, Planned, Provider, Resource, Schema,
    Type, Value,
};
use terraform_provider_ory::provider::OryProvider;

struct Echo;
struct Nested;
struct Flat;

#[async_trait]
impl Provider for Echo {
    type Client = ();

    fn schema(&self) -> Schema {
        Schema::new("A test provider.", vec![])
    }

    fn resources(&self) -> Vec<Box<dyn Resource<()>>> {
        let mut resources: Vec<Box<dyn Resource<()>>> = vec![Box::new(Nested), Box::new(Flat)];
        for ory in OryProvider::new().resources() {
            let name = match ory.type_name() {
                "ory_project" => "echo_ory_project",
                "ory_project_api_key" => "echo_ory_project_api_key",
                "ory_event_stream" => "echo_ory_event_stream",
                "ory_identity" => "echo_ory_identity",
                "ory_oauth2_client" => "echo_ory_oauth2_client",
                "ory_relationship" => "echo_ory_relationship",
                _ => continue,
            };
            resources.push(Box::new(Mirror { name, schema: ory.schema() }));
        }
        resources
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

/// An Ory resource's schema with handlers that do nothing: what is computed
/// is unknown in a plan to create and a placeholder once made.
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

#[tokio::main]
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
