//! The secrets Terraform marks: every string under a sensitive attribute of
//! any value the plugin layer decodes from Terraform or encodes for it
//! (configurations, plans, states, results), learned into the process's
//! registry (`crate::secrets`), which hides them from what it writes.

use crate::plugin::schema::{AttributeType, Block, Schema};
use crate::plugin::value::Value;
use crate::secrets::learn;

/// Remembers every string under a sensitive attribute of `value`.
pub fn learn_sensitive(schema: &Schema, value: &Value) {
    learn_block(&schema.block, value);
}

fn learn_block(block: &Block, value: &Value) {
    if !matches!(value, Value::Object(_)) {
        return;
    }
    for attribute in &block.attributes {
        let inner = value.attr(&attribute.name);
        if attribute.sensitive {
            learn_all(inner);
        } else if let AttributeType::Nested(_, attributes) = &attribute.ty {
            let nested = Block { attributes: attributes.clone(), ..Block::default() };
            each_object(inner, &mut |object| learn_block(&nested, object));
        }
    }
    for nested in &block.blocks {
        each_object(value.attr(&nested.type_name), &mut |object| learn_block(&nested.block, object));
    }
}

/// `visit` on an object, or on each object of a collection of them.
fn each_object(value: &Value, visit: &mut dyn FnMut(&Value)) {
    match value {
        Value::Object(_) => visit(value),
        Value::List(items) | Value::Set(items) | Value::Tuple(items) => items.iter().for_each(visit),
        Value::Map(items) => items.values().for_each(visit),
        _ => {}
    }
}

fn learn_all(value: &Value) {
    match value {
        Value::String(s) => learn(s),
        Value::List(items) | Value::Set(items) | Value::Tuple(items) => items.iter().for_each(learn_all),
        Value::Map(items) | Value::Object(items) => items.values().for_each(learn_all),
        Value::Dynamic(_, inner) => learn_all(inner),
        _ => {}
    }
}
