//! The flat attributes a configuration writes, and what they write that
//! depends on what Ory holds now.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value as Json;

use super::table::{find, table, FlatAttribute, Kind};
use crate::plugin::Value;
use crate::provider::document;
use crate::provider::model::{Extra, Field};

/// What `values` write that depends on what Ory holds now (`live`): each
/// whole map's keys beyond the written ones removed, and each hook switch's
/// list with its hook added or taken out (a list is written only when it
/// changes).
pub fn against_live(values: &FlatValues, live: &Json, wanted: &mut Json) -> Result<(), String> {
    for (row, value) in values.iter().filter(|(row, _)| row.whole()) {
        let (Some(pointer), Value::Map(mine)) = (row.pointer, value) else { continue };
        if mine.is_empty() {
            continue;
        }
        if let Some(Json::Object(theirs)) = live.pointer(pointer) {
            for key in theirs.keys().filter(|k| !mine.contains_key(*k)) {
                document::put(wanted, &format!("{pointer}/{}", document::escape(key)), Json::Null)?;
            }
        }
    }
    place_hooks(values, live, wanted)
}

/// Puts each hook switch of `values` into `wanted`: the list at its pointer
/// as `live` holds it, with the hook added or taken out. Only a list that
/// changes is written.
fn place_hooks(values: &FlatValues, live: &Json, wanted: &mut Json) -> Result<(), String> {
    let mut lists: BTreeMap<&str, Vec<Json>> = BTreeMap::new();
    // In the table's order: the order the hooks join a list in.
    let mut switches: Vec<_> = values.iter().filter(|(row, _)| matches!(row.kind, Kind::Hook(_))).collect();
    switches.sort_by_key(|(row, _)| table().iter().position(|r| std::ptr::eq(r, *row)));
    for (row, value) in switches {
        let (Kind::Hook(hook), Some(pointer), Some(on)) = (row.kind, row.pointer, value.as_bool()) else { continue };
        let list = lists
            .entry(pointer)
            .or_insert_with(|| live.pointer(pointer).and_then(Json::as_array).cloned().unwrap_or_default());
        let present = list.iter().any(|entry| entry["hook"] == hook);
        if on && !present {
            list.push(serde_json::json!({ "hook": hook }));
        } else if !on && present {
            list.retain(|entry| entry["hook"] != hook);
        }
    }
    // Then each hook's config, in the entry its switch has placed.
    for (row, value) in values.iter() {
        let (Kind::HookConfig(hook, key), Some(pointer), Some(text)) = (row.kind, row.pointer, value.as_str()) else {
            continue;
        };
        let list = lists
            .entry(pointer)
            .or_insert_with(|| live.pointer(pointer).and_then(Json::as_array).cloned().unwrap_or_default());
        let Some(Json::Object(entry)) = list.iter_mut().find(|entry| entry["hook"] == hook) else { continue };
        let config = entry.entry("config").or_insert_with(|| serde_json::json!({}));
        let Some(config) = config.as_object_mut() else { continue };
        if text.is_empty() {
            config.remove(key);
        } else {
            config.insert(key.to_string(), Json::from(text));
        }
        if config.is_empty() {
            entry.remove("config");
        }
    }
    for (pointer, list) in lists {
        if live.pointer(pointer).and_then(Json::as_array) != Some(&list) {
            document::put(wanted, pointer, Json::Array(list))?;
        }
    }
    Ok(())
}

/// The flat attributes a configuration, plan or state sets (known and
/// not null), by name.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FlatValues(pub BTreeMap<&'static str, Value>);

impl FlatValues {
    /// Each set attribute with its row.
    pub fn iter(&self) -> impl Iterator<Item = (&'static FlatAttribute, &Value)> {
        self.0.iter().filter_map(|(name, value)| Some((find(name)?, value)))
    }
}

impl Extra for FlatValues {
    fn declared() -> Vec<Field> {
        table().iter().map(FlatAttribute::field).collect()
    }

    fn decode(v: &Value, unknown: &mut BTreeSet<&'static str>) -> Self {
        let mut values = BTreeMap::new();
        for attribute in table() {
            match v.attr(attribute.name) {
                Value::Null => {}
                Value::Unknown => {
                    unknown.insert(attribute.name);
                }
                value => {
                    values.insert(attribute.name, value.clone());
                }
            }
        }
        FlatValues(values)
    }

    fn encode(&self, unknown: &BTreeSet<&'static str>) -> Vec<(&'static str, Value)> {
        table()
            .iter()
            .map(|a| {
                let value = match self.0.get(a.name) {
                    Some(value) => value.clone(),
                    None if unknown.contains(a.name) => Value::Unknown,
                    None => Value::Null,
                };
                (a.name, value)
            })
            .collect()
    }
}
