//! The JSON forms: stored state, JSON `DynamicValue`s and type constraints.

use std::collections::BTreeMap;

use super::cty::{err, join, DecodeError, Type, Value};

impl Value {
    /// Decodes the JSON form (stored state, or a JSON `DynamicValue`) against `ty`.
    pub fn from_json(json: &serde_json::Value, ty: &Type) -> Result<Value, DecodeError> {
        from_json(json, ty, "")
    }

    /// An object's attributes decoded one by one: each that fits its type,
    /// or as text where a string belongs and the state holds a number or a
    /// switch; the names of those that fit neither way (left null). `None`
    /// when `json` is not an object.
    pub fn from_json_attribute_wise(json: &serde_json::Value, ty: &Type) -> Option<(Value, Vec<String>)> {
        let (serde_json::Value::Object(entries), Type::Object(attrs)) = (json, ty) else { return None };
        let mut dropped = Vec::new();
        let mut out = BTreeMap::new();
        for (name, t) in attrs {
            let value = match entries.get(name) {
                None => Value::Null,
                Some(v) => match (from_json(v, t, name), v, t) {
                    (Ok(value), _, _) => value,
                    (Err(_), serde_json::Value::Number(n), Type::String) => Value::String(n.to_string()),
                    (Err(_), serde_json::Value::Bool(b), Type::String) => Value::String(b.to_string()),
                    (Err(_), _, _) => {
                        dropped.push(name.clone());
                        Value::Null
                    }
                },
            };
            out.insert(name.clone(), value);
        }
        Some((Value::Object(out), dropped))
    }

    /// The JSON form of this value, as Terraform stores it in state. Unknowns
    /// have no JSON form and become null.
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value as J;
        match self {
            Value::Null | Value::Unknown => J::Null,
            Value::Bool(b) => J::Bool(*b),
            Value::Number(n) => serde_json::from_str(n).unwrap_or(J::Null),
            Value::String(s) => J::String(s.clone()),
            Value::List(v) | Value::Set(v) | Value::Tuple(v) => J::Array(v.iter().map(Value::to_json).collect()),
            Value::Map(m) | Value::Object(m) => J::Object(m.iter().map(|(k, v)| (k.clone(), v.to_json())).collect()),
            Value::Dynamic(ty, v) => {
                serde_json::json!({ "value": v.to_json(), "type": ty.to_json() })
            }
        }
    }
}

fn from_json(json: &serde_json::Value, ty: &Type, path: &str) -> Result<Value, DecodeError> {
    use serde_json::Value as J;
    if json.is_null() {
        return Ok(Value::Null);
    }
    match ty {
        Type::String | Type::Number | Type::Bool => scalar_from_json(json, ty, path),
        Type::List(elem) | Type::Set(elem) => {
            let J::Array(items) = json else {
                return Err(err(path, "expected an array"));
            };
            let values = items
                .iter()
                .enumerate()
                .map(|(i, item)| from_json(item, elem, &join(path, i)))
                .collect::<Result<Vec<_>, _>>()?;
            Ok(if matches!(ty, Type::List(_)) { Value::List(values) } else { Value::Set(values) })
        }
        Type::Tuple(elems) => {
            let J::Array(items) = json else {
                return Err(err(path, "expected an array"));
            };
            if items.len() != elems.len() {
                return Err(err(path, "tuple length does not match its type"));
            }
            let values = items
                .iter()
                .zip(elems)
                .enumerate()
                .map(|(i, (item, t))| from_json(item, t, &join(path, i)))
                .collect::<Result<Vec<_>, _>>()?;
            Ok(Value::Tuple(values))
        }
        Type::Map(elem) => {
            let J::Object(entries) = json else {
                return Err(err(path, "expected an object"));
            };
            let mut out = BTreeMap::new();
            for (k, v) in entries {
                out.insert(k.clone(), from_json(v, elem, &join(path, k))?);
            }
            Ok(Value::Map(out))
        }
        Type::Object(attrs) => {
            let J::Object(entries) = json else {
                return Err(err(path, "expected an object"));
            };
            // Stored state may hold attributes a later schema dropped; they are
            // left behind, as Terraform itself does when versions match.
            let mut out = BTreeMap::new();
            for (name, t) in attrs {
                let v = match entries.get(name) {
                    Some(v) => from_json(v, t, &join(path, name))?,
                    None => Value::Null,
                };
                out.insert(name.clone(), v);
            }
            Ok(Value::Object(out))
        }
        Type::Dynamic => {
            let (Some(v), Some(t)) = (json.get("value"), json.get("type")) else {
                return Err(err(path, "a dynamic value needs \"value\" and \"type\""));
            };
            let concrete = Type::from_json(t).map_err(|m| err(path, m))?;
            Ok(Value::Dynamic(concrete.clone(), Box::new(from_json(v, &concrete, path)?)))
        }
    }
}

/// A string, number or bool; Terraform converts primitives to strings
/// where a string is expected, and numeric or `true`/`false` text back.
fn scalar_from_json(json: &serde_json::Value, ty: &Type, path: &str) -> Result<Value, DecodeError> {
    use serde_json::Value as J;
    match (ty, json) {
        (Type::String, J::String(s)) => Ok(Value::String(s.clone())),
        (Type::String, J::Number(n)) => Ok(Value::String(n.to_string())),
        (Type::String, J::Bool(b)) => Ok(Value::String(b.to_string())),
        (Type::Number, J::Number(n)) => Ok(Value::Number(n.to_string())),
        (Type::Number, J::String(s)) if s.parse::<f64>().is_ok() => Ok(Value::Number(s.clone())),
        (Type::Bool, J::Bool(b)) => Ok(Value::Bool(*b)),
        (Type::Bool, J::String(s)) if s == "true" || s == "false" => Ok(Value::Bool(s == "true")),
        _ => Err(err(path, format!("expected a {}", ty.to_json().as_str().unwrap_or("scalar")))),
    }
}

impl Type {
    /// The compact JSON form Terraform uses in schemas.
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::json;
        match self {
            Type::String => json!("string"),
            Type::Number => json!("number"),
            Type::Bool => json!("bool"),
            Type::Dynamic => json!("dynamic"),
            Type::List(e) => json!(["list", e.to_json()]),
            Type::Set(e) => json!(["set", e.to_json()]),
            Type::Map(e) => json!(["map", e.to_json()]),
            Type::Object(attrs) => {
                let m: serde_json::Map<_, _> = attrs.iter().map(|(k, t)| (k.clone(), t.to_json())).collect();
                json!(["object", m])
            }
            Type::Tuple(elems) => {
                json!(["tuple", elems.iter().map(Type::to_json).collect::<Vec<_>>()])
            }
        }
    }

    /// Parses the compact JSON form; the optional-attribute list of object
    /// types is accepted and ignored.
    pub fn from_json(json: &serde_json::Value) -> Result<Type, String> {
        use serde_json::Value as J;
        match json {
            J::String(s) => match s.as_str() {
                "string" => Ok(Type::String),
                "number" => Ok(Type::Number),
                "bool" => Ok(Type::Bool),
                "dynamic" => Ok(Type::Dynamic),
                other => Err(format!("unknown primitive type {other:?}")),
            },
            J::Array(parts) if parts.len() >= 2 => {
                let kind = parts[0].as_str().unwrap_or_default();
                match kind {
                    "list" => Ok(Type::list(Type::from_json(&parts[1])?)),
                    "set" => Ok(Type::set(Type::from_json(&parts[1])?)),
                    "map" => Ok(Type::map(Type::from_json(&parts[1])?)),
                    "object" => {
                        let J::Object(attrs) = &parts[1] else {
                            return Err("object type needs an attribute map".into());
                        };
                        let attrs = attrs
                            .iter()
                            .map(|(k, t)| Ok((k.clone(), Type::from_json(t)?)))
                            .collect::<Result<_, String>>()?;
                        Ok(Type::Object(attrs))
                    }
                    "tuple" => {
                        let J::Array(elems) = &parts[1] else {
                            return Err("tuple type needs an element list".into());
                        };
                        Ok(Type::Tuple(elems.iter().map(Type::from_json).collect::<Result<_, _>>()?))
                    }
                    other => Err(format!("unknown type kind {other:?}")),
                }
            }
            other => Err(format!("not a type: {other}")),
        }
    }
}
