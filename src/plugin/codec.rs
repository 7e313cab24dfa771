//! Values between Terraform and a provider: decoded from and encoded to
//! msgpack (or JSON) against a schema's type, their sensitive strings
//! learnt on the way, and the rules of write-only attributes.

use crate::plugin::diag::{Diagnostic, Diagnostics};
use crate::plugin::schema::Schema;
use crate::plugin::value::{Type, Value};
use crate::proto::tfplugin6 as pb;

/// A state or plan as Terraform must receive it: write-only attributes null.
pub(super) fn forget_write_only(schema: &Schema, mut state: Value) -> Value {
    if matches!(state, Value::Object(_)) {
        for name in schema.write_only() {
            state.set_attr(name, Value::Null);
        }
    }
    state
}

/// Write-only attributes set in a configuration for a Terraform that would
/// store them (before 1.11 it ignores the flag): refused, one per attribute.
/// A value not known yet (`terraform validate`, and the validation Terraform
/// runs before planning, see variables as unknown) is judged when Terraform
/// validates the configuration again with the value, just before its plan:
/// a variable that turns out null is fine.
pub(super) fn write_only_refused(schema: &Schema, config: &Value, allowed: bool) -> Diagnostics {
    let mut diags = Diagnostics::new();
    if allowed {
        return diags;
    }
    let set = |name: &&str| {
        let value = config.attr(name);
        !value.is_null() && !value.is_unknown()
    };
    for name in schema.write_only().filter(set) {
        diags.push(
            Diagnostic::error(
                "Write-only attribute needs a newer Terraform",
                format!(
                    "{name} is write-only: its value must never be stored. This Terraform (or OpenTofu) does not support write-only attributes and would store it in the state. Use Terraform 1.11 or OpenTofu 1.11 or later, or leave {name} out."
                ),
            )
            .at(crate::plugin::AttributePath::attr(name)),
        );
    }
    diags
}

/// A value from Terraform, its sensitive strings learnt (see `secrets`).
pub(super) fn decode(dv: Option<&pb::DynamicValue>, ty: &Type, schema: &Schema) -> Result<Value, Diagnostic> {
    let value = decode_value(dv, ty)?;
    crate::plugin::secrets::learn_sensitive(schema, &value);
    Ok(value)
}

fn decode_value(dv: Option<&pb::DynamicValue>, ty: &Type) -> Result<Value, Diagnostic> {
    let Some(dv) = dv else { return Ok(Value::Null) };
    let result = if !dv.msgpack.is_empty() {
        Value::from_msgpack(&dv.msgpack, ty)
    } else if !dv.json.is_empty() {
        serde_json::from_slice(&dv.json)
            .map_err(|e| crate::plugin::value::DecodeError { path: "(root)".into(), message: e.to_string() })
            .and_then(|j| Value::from_json(&j, ty))
    } else {
        Ok(Value::Null)
    };
    result.map_err(|e| {
        Diagnostic::error("Malformed value from Terraform", format!("The provider could not decode a value: {e}"))
    })
}

/// A value for Terraform, its sensitive strings learnt: a key's value
/// made here is hidden from every later message of this process.
pub(super) fn encode(v: &Value, ty: &Type, schema: &Schema) -> Option<pb::DynamicValue> {
    crate::plugin::secrets::learn_sensitive(schema, v);
    Some(pb::DynamicValue { msgpack: v.to_msgpack(ty), json: Vec::new() })
}
