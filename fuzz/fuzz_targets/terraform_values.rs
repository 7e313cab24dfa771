//! What the provider takes from Terraform: cty values (msgpack and JSON)
//! against the type of every resource, data source and the provider block,
//! then each one's plan-time validation, which decodes its model.
#![no_main]

use std::sync::LazyLock;

use terraform_provider_ory::plugin::{DataSource, Provider, Resource, Schema, Type, Value};
use terraform_provider_ory::provider::OryProvider;

struct Served {
    resources: Vec<(Type, Box<dyn Resource<<OryProvider as Provider>::Client>>)>,
    data_sources: Vec<(Type, Box<dyn DataSource<<OryProvider as Provider>::Client>>)>,
    provider: (Type, OryProvider),
}

static SERVED: LazyLock<Served> = LazyLock::new(|| {
    let provider = OryProvider::new();
    let implied = |s: Schema| s.implied_type();
    Served {
        resources: provider.resources().into_iter().map(|r| (implied(r.schema()), r)).collect(),
        data_sources: provider.data_sources().into_iter().map(|d| (implied(d.schema()), d)).collect(),
        provider: (implied(provider.schema()), provider),
    }
});

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Some((&pick, bytes)) = data.split_first() else { return };
    let served = &*SERVED;
    let kinds = served.resources.len() + served.data_sources.len() + 1;
    let which = usize::from(pick >> 1) % kinds;
    let ty = match which {
        n if n < served.resources.len() => &served.resources[n].0,
        n if n < kinds - 1 => &served.data_sources[n - served.resources.len()].0,
        _ => &served.provider.0,
    };
    let decoded = if pick & 1 == 0 {
        Value::from_msgpack(bytes, ty).ok()
    } else {
        serde_json::from_slice::<serde_json::Value>(bytes).ok().and_then(|json| Value::from_json(&json, ty).ok())
    };
    let Some(value) = decoded else { return };
    // What decodes encodes, and decodes again to the same value.
    let again = Value::from_msgpack(&value.to_msgpack(ty), ty).expect("an encoded value decodes");
    assert_eq!(again, value, "a value changed on its way through msgpack");
    match which {
        n if n < served.resources.len() => drop(served.resources[n].1.validate(&value)),
        n if n < kinds - 1 => drop(served.data_sources[n - served.resources.len()].1.validate(&value)),
        _ => drop(served.provider.1.validate(&value)),
    }
});
