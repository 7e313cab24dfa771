//! The plan-time checks of an attribute's known value: nested attributes,
//! null and repeated elements, allowed values and the declared check.

use super::field::Field;
use crate::plugin::{AttributePath, Diagnostic, Diagnostics, Nesting, Value};

impl Field {
    /// The plan-time checks of this attribute's known value in `config`.
    pub(super) fn validate(&self, config: &Value, path: AttributePath, diags: &mut Diagnostics) {
        let value = config.attr(self.name);
        if let Some(nested) = &self.nested {
            let objects: Vec<(&Value, AttributePath)> = match (self.nesting, value) {
                (Nesting::List, Value::List(items)) => {
                    items.iter().enumerate().map(|(i, item)| (item, path.clone().then_index(i))).collect()
                }
                (Nesting::Map, Value::Map(items)) => {
                    items.iter().map(|(key, item)| (item, path.clone().then_key(key))).collect()
                }
                _ => vec![(value, path.clone())],
            };
            for (object, at) in objects {
                for inner in nested {
                    inner.validate(object, at.clone().then_attr(inner.name), diags);
                }
            }
            return;
        }
        let nulls = null_elements(value, &path);
        if !nulls.is_empty() {
            for element in nulls {
                diags.push(
                    Diagnostic::error(
                        format!("Null element in {path}"),
                        format!(
                            "{element} is null. Every element of {path} must have a value: remove the element, or give the variable it comes from a value."
                        ),
                    )
                    .at(element),
                );
            }
            return;
        }
        if let Value::List(items) = value {
            self.validate_entries(items, &path, diags);
            return;
        }
        let text = match value {
            Value::String(text) | Value::Number(text) => text,
            _ => return,
        };
        if let Some(problem) = self.problem(text) {
            diags.push(Diagnostic::error(format!("Invalid {path}"), format!("{path} {problem}")).at(path));
        }
    }

    /// A list's checks: entries that repeat (when they must not), and each entry's value.
    fn validate_entries(&self, items: &[Value], path: &AttributePath, diags: &mut Diagnostics) {
        if self.distinct {
            let mut seen = std::collections::BTreeSet::new();
            for (i, text) in items.iter().enumerate().filter_map(|(i, v)| Some((i, v.as_str()?))) {
                if !seen.insert(text) {
                    diags.push(
                        Diagnostic::error(
                            format!("Duplicate entry in {path}"),
                            format!("{path} holds {text:?} more than once; list each entry once."),
                        )
                        .at(path.clone().then_index(i)),
                    );
                }
            }
        }
        for text in items.iter().filter_map(Value::as_str) {
            if let Some(problem) = self.problem(text) {
                diags.push(
                    Diagnostic::error(format!("Invalid {path}"), format!("Every entry {problem}")).at(path.clone()),
                );
            }
        }
    }

    /// What is wrong with a known value, completing "<attribute> ...".
    fn problem(&self, text: &str) -> Option<String> {
        if !self.one_of.is_empty() && !self.one_of.contains(&text) {
            return Some(format!("must be one of {}; got {text:?}.", self.one_of.join(", ")));
        }
        self.check.and_then(|check| check(text).err())
    }
}

/// The null elements of a collection, each where it is.
///
/// A null element would decode as "the whole collection is unset":
/// a guard list would fail open and a plan would not match the
/// configuration. Refused on the element, whatever the collection.
fn null_elements(value: &Value, path: &AttributePath) -> Vec<AttributePath> {
    match value {
        Value::List(items) | Value::Tuple(items) => items
            .iter()
            .enumerate()
            .filter(|(_, item)| item.is_null())
            .map(|(i, _)| path.clone().then_index(i))
            .collect(),
        // A set's elements have no index to point at.
        Value::Set(items) if items.iter().any(Value::is_null) => vec![path.clone()],
        Value::Map(items) => {
            items.iter().filter(|(_, item)| item.is_null()).map(|(k, _)| path.clone().then_key(k)).collect()
        }
        _ => Vec::new(),
    }
}
