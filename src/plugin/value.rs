//! cty values and types: what Terraform's values are, and their three wire
//! forms (msgpack `DynamicValue`s, JSON stored state, JSON type constraints).
//!
//! A [`Value`] carries no type of its own; it is always encoded and decoded
//! against a [`Type`] (the schema's implied type), as Terraform does. The
//! only exception is `dynamic`, whose concrete type travels with the value.

use std::collections::BTreeMap;

use rmpv::Value as Mp;

/// A cty type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Type {
    /// Text.
    String,
    /// A number of any size and precision.
    Number,
    /// True or false.
    Bool,
    /// Any type, chosen by the value (an attribute of type `dynamic`).
    Dynamic,
    /// A list of elements of one type.
    List(Box<Type>),
    /// A set of elements of one type.
    Set(Box<Type>),
    /// A map of values of one type by string key.
    Map(Box<Type>),
    /// An object of attributes, each of its own type.
    Object(BTreeMap<String, Type>),
    /// A tuple of elements, each of its own type.
    Tuple(Vec<Type>),
}

/// A cty value. `Unknown` is a value Terraform will only know after apply.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// No value.
    Null,
    /// Not known until after apply.
    Unknown,
    /// True or false.
    Bool(bool),
    /// Decimal text, so that no precision is lost on the way through.
    Number(String),
    /// Text.
    String(String),
    /// A list's elements, in order.
    List(Vec<Value>),
    /// A set's elements.
    Set(Vec<Value>),
    /// A map's values by key.
    Map(BTreeMap<String, Value>),
    /// An object's attributes by name.
    Object(BTreeMap<String, Value>),
    /// A tuple's elements.
    Tuple(Vec<Value>),
    /// A value of a `dynamic` attribute, with the concrete type it arrived in.
    Dynamic(Type, Box<Value>),
}

/// Why a value could not be decoded.
#[derive(Debug, thiserror::Error)]
#[error("{path}: {message}")]
pub struct DecodeError {
    /// Where in the value: `(root)`, or a path such as `.services[0]`.
    pub path: String,
    /// What did not fit.
    pub message: String,
}

fn err(path: &str, message: impl Into<String>) -> DecodeError {
    DecodeError { path: if path.is_empty() { "(root)".into() } else { path.into() }, message: message.into() }
}

static NULL: Value = Value::Null;

impl Value {
    /// A string value.
    pub fn string(s: impl Into<String>) -> Value {
        Value::String(s.into())
    }

    /// An object from attribute names and values.
    pub fn object<'a>(attrs: impl IntoIterator<Item = (&'a str, Value)>) -> Value {
        Value::Object(attrs.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
    }

    /// A string value, or null for `None`.
    pub fn opt_string(s: Option<impl Into<String>>) -> Value {
        s.map_or(Value::Null, |s| Value::String(s.into()))
    }

    /// Whether it is null.
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// Whether it is unknown.
    pub fn is_unknown(&self) -> bool {
        matches!(self, Value::Unknown)
    }

    /// An object's attribute; null when absent or when this is not an object.
    pub fn attr(&self, name: &str) -> &Value {
        match self {
            Value::Object(m) => m.get(name).unwrap_or(&NULL),
            Value::Dynamic(_, v) => v.attr(name),
            _ => &NULL,
        }
    }

    /// Sets an object's attribute; does nothing to a value that is not an object.
    pub fn set_attr(&mut self, name: &str, value: Value) {
        if let Value::Object(m) = self {
            m.insert(name.to_string(), value);
        }
    }

    /// This object with one attribute replaced.
    pub fn with_attr(mut self, name: &str, value: Value) -> Value {
        self.set_attr(name, value);
        self
    }

    /// A string's text; `None` for any other value.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// A bool's value; `None` for any other value.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// A number as a whole number; `None` for any other value or a number that is not one.
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Value::Number(n) => n.parse().ok(),
            _ => None,
        }
    }

    /// Elements of a list, set or tuple.
    pub fn elements(&self) -> &[Value] {
        match self {
            Value::List(v) | Value::Set(v) | Value::Tuple(v) => v,
            _ => &[],
        }
    }

    /// Decodes a msgpack `DynamicValue` payload against `ty`.
    pub fn from_msgpack(bytes: &[u8], ty: &Type) -> Result<Value, DecodeError> {
        let mut rd = bytes;
        let mp = rmpv::decode::read_value(&mut rd).map_err(|e| err("", format!("malformed msgpack: {e}")))?;
        from_mp(mp, ty, "")
    }

    /// Encodes this value as msgpack against `ty`. Object attributes missing
    /// from the value are written as null: Terraform rejects incomplete objects.
    pub fn to_msgpack(&self, ty: &Type) -> Vec<u8> {
        let mut out = Vec::new();
        // Writing to a Vec cannot fail.
        let _ = rmpv::encode::write_value(&mut out, &to_mp(self, ty));
        out
    }

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

fn join(path: &str, step: impl std::fmt::Display) -> String {
    if path.is_empty() {
        step.to_string()
    } else {
        format!("{path}.{step}")
    }
}

fn mp_number(mp: &Mp) -> Option<String> {
    match mp {
        Mp::Integer(i) => Some(i.to_string()),
        Mp::F32(f) => Some(f.to_string()),
        Mp::F64(f) => Some(f.to_string()),
        Mp::String(s) => s.as_str().map(str::to_string),
        _ => None,
    }
}

fn mp_str(mp: Mp, path: &str) -> Result<String, DecodeError> {
    match mp {
        Mp::String(s) => s.into_str().ok_or_else(|| err(path, "string is not valid UTF-8")),
        other => Err(err(path, format!("expected a string, got {other}"))),
    }
}

fn from_mp(mp: Mp, ty: &Type, path: &str) -> Result<Value, DecodeError> {
    match mp {
        Mp::Nil => return Ok(Value::Null),
        // Every extension is an unknown; refinements (type 12) narrow it, and
        // this provider has no use for them.
        Mp::Ext(..) => return Ok(Value::Unknown),
        _ => {}
    }
    match ty {
        Type::String => Ok(Value::String(mp_str(mp, path)?)),
        Type::Bool => match mp {
            Mp::Boolean(b) => Ok(Value::Bool(b)),
            other => Err(err(path, format!("expected a bool, got {other}"))),
        },
        Type::Number => {
            mp_number(&mp).map(Value::Number).ok_or_else(|| err(path, format!("expected a number, got {mp}")))
        }
        Type::List(elem) | Type::Set(elem) => {
            let Mp::Array(items) = mp else {
                return Err(err(path, "expected an array"));
            };
            let values = items
                .into_iter()
                .enumerate()
                .map(|(i, item)| from_mp(item, elem, &join(path, i)))
                .collect::<Result<Vec<_>, _>>()?;
            Ok(if matches!(ty, Type::List(_)) { Value::List(values) } else { Value::Set(values) })
        }
        Type::Tuple(elems) => {
            let Mp::Array(items) = mp else {
                return Err(err(path, "expected an array"));
            };
            if items.len() != elems.len() {
                return Err(err(path, format!("expected {} tuple elements, got {}", elems.len(), items.len())));
            }
            let values = items
                .into_iter()
                .zip(elems)
                .enumerate()
                .map(|(i, (item, t))| from_mp(item, t, &join(path, i)))
                .collect::<Result<Vec<_>, _>>()?;
            Ok(Value::Tuple(values))
        }
        Type::Map(elem) => {
            let Mp::Map(entries) = mp else {
                return Err(err(path, "expected a map"));
            };
            let mut out = BTreeMap::new();
            for (k, v) in entries {
                let key = mp_str(k, path)?;
                let value = from_mp(v, elem, &join(path, &key))?;
                out.insert(key, value);
            }
            Ok(Value::Map(out))
        }
        Type::Object(attrs) => {
            let Mp::Map(entries) = mp else {
                return Err(err(path, "expected an object"));
            };
            let mut out = BTreeMap::new();
            for (k, v) in entries {
                let key = mp_str(k, path)?;
                let Some(attr_ty) = attrs.get(&key) else {
                    return Err(err(path, format!("unexpected attribute {key:?}")));
                };
                let value = from_mp(v, attr_ty, &join(path, &key))?;
                out.insert(key, value);
            }
            for name in attrs.keys() {
                out.entry(name.clone()).or_insert(Value::Null);
            }
            Ok(Value::Object(out))
        }
        Type::Dynamic => {
            let Mp::Array(mut pair) = mp else {
                return Err(err(path, "expected a [type, value] pair for a dynamic value"));
            };
            if pair.len() != 2 {
                return Err(err(path, "expected a [type, value] pair for a dynamic value"));
            }
            let value = pair.pop().unwrap_or(Mp::Nil);
            let type_json = match pair.pop() {
                Some(Mp::Binary(b)) => b,
                Some(Mp::String(s)) => s.into_bytes(),
                _ => return Err(err(path, "dynamic value has no type")),
            };
            let json: serde_json::Value =
                serde_json::from_slice(&type_json).map_err(|e| err(path, format!("bad type JSON: {e}")))?;
            let concrete = Type::from_json(&json).map_err(|m| err(path, m))?;
            let inner = from_mp(value, &concrete, path)?;
            Ok(Value::Dynamic(concrete, Box::new(inner)))
        }
    }
}

fn unknown_mp() -> Mp {
    Mp::Ext(0, vec![0])
}

fn to_mp(value: &Value, ty: &Type) -> Mp {
    match (value, ty) {
        (Value::Null, _) => Mp::Nil,
        (Value::Unknown, _) => unknown_mp(),
        (Value::Dynamic(concrete, inner), Type::Dynamic) => {
            Mp::Array(vec![Mp::Binary(concrete.to_json().to_string().into_bytes()), to_mp(inner, concrete)])
        }
        (Value::Dynamic(_, inner), _) => to_mp(inner, ty),
        (Value::Bool(b), _) => Mp::Boolean(*b),
        (Value::Number(n), _) => match n.parse::<i64>() {
            Ok(i) => Mp::from(i),
            // cty accepts decimal text for any number, and it keeps full precision.
            Err(_) => Mp::from(n.as_str()),
        },
        (Value::String(s), _) => Mp::from(s.as_str()),
        (Value::List(items) | Value::Set(items), Type::List(elem) | Type::Set(elem)) => {
            Mp::Array(items.iter().map(|v| to_mp(v, elem)).collect())
        }
        (Value::Tuple(items) | Value::List(items), Type::Tuple(elems)) => {
            Mp::Array(items.iter().zip(elems).map(|(v, t)| to_mp(v, t)).collect())
        }
        (Value::Map(m) | Value::Object(m), Type::Map(elem)) => {
            Mp::Map(m.iter().map(|(k, v)| (Mp::from(k.as_str()), to_mp(v, elem))).collect())
        }
        (Value::Object(m), Type::Object(attrs)) => Mp::Map(
            attrs
                .iter()
                .map(|(name, t)| (Mp::from(name.as_str()), m.get(name).map_or(Mp::Nil, |v| to_mp(v, t))))
                .collect(),
        ),
        // A value that does not fit its type is a provider bug; null is the
        // answer Terraform reports most clearly.
        _ => Mp::Nil,
    }
}

fn from_json(json: &serde_json::Value, ty: &Type, path: &str) -> Result<Value, DecodeError> {
    use serde_json::Value as J;
    if json.is_null() {
        return Ok(Value::Null);
    }
    match ty {
        Type::String => match json {
            J::String(s) => Ok(Value::String(s.clone())),
            // Terraform converts primitives to strings where a string is expected.
            J::Number(n) => Ok(Value::String(n.to_string())),
            J::Bool(b) => Ok(Value::String(b.to_string())),
            _ => Err(err(path, "expected a string")),
        },
        Type::Number => match json {
            J::Number(n) => Ok(Value::Number(n.to_string())),
            J::String(s) if s.parse::<f64>().is_ok() => Ok(Value::Number(s.clone())),
            _ => Err(err(path, "expected a number")),
        },
        Type::Bool => match json {
            J::Bool(b) => Ok(Value::Bool(*b)),
            J::String(s) if s == "true" || s == "false" => Ok(Value::Bool(s == "true")),
            _ => Err(err(path, "expected a bool")),
        },
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

impl Type {
    /// A list of `elem`.
    pub fn list(elem: Type) -> Type {
        Type::List(Box::new(elem))
    }

    /// A set of `elem`.
    pub fn set(elem: Type) -> Type {
        Type::Set(Box::new(elem))
    }

    /// A map of `elem`.
    pub fn map(elem: Type) -> Type {
        Type::Map(Box::new(elem))
    }

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

#[cfg(test)]
mod tests {

    #[test]
    fn a_state_of_another_shape_keeps_what_fits_attribute_by_attribute() {
        let ty = Type::Object(
            [
                ("version", Type::String),
                ("flag", Type::String),
                ("names", Type::list(Type::String)),
                ("n", Type::Number),
            ]
            .into_iter()
            .map(|(k, t)| (k.to_string(), t))
            .collect(),
        );
        let stored = serde_json::json!({"version": 2, "flag": true, "names": "not a list", "n": 3, "gone": 1});
        assert!(Value::from_json(&stored, &ty).is_err());
        let (value, dropped) = Value::from_json_attribute_wise(&stored, &ty).unwrap();
        assert_eq!(value.attr("version"), &Value::string("2"));
        assert_eq!(value.attr("flag"), &Value::string("true"));
        assert_eq!(value.attr("names"), &Value::Null);
        assert_eq!(value.attr("n"), &Value::Number("3".into()));
        assert_eq!(dropped, ["names"]);
    }

    use super::*;

    fn obj_type() -> Type {
        Type::Object(BTreeMap::from([
            ("name".to_string(), Type::String),
            ("count".to_string(), Type::Number),
            ("tags".to_string(), Type::map(Type::String)),
            ("items".to_string(), Type::list(Type::Object(BTreeMap::from([("a".to_string(), Type::Bool)])))),
            ("any".to_string(), Type::Dynamic),
        ]))
    }

    #[test]
    fn msgpack_round_trips_nulls_and_unknowns_at_every_depth() {
        let ty = obj_type();
        let v = Value::object([
            ("name", Value::Unknown),
            ("count", Value::Number("0.1".into())),
            ("tags", Value::Map(BTreeMap::from([("k".into(), Value::Unknown), ("n".into(), Value::Null)]))),
            ("items", Value::List(vec![Value::object([("a", Value::Unknown)]), Value::object([("a", Value::Null)])])),
            ("any", Value::Dynamic(Type::String, Box::new(Value::string("x")))),
        ]);
        let bytes = v.to_msgpack(&ty);
        assert_eq!(Value::from_msgpack(&bytes, &ty).unwrap(), v);
    }

    #[test]
    fn unknown_is_written_as_terraforms_fixext1() {
        assert_eq!(Value::Unknown.to_msgpack(&Type::String), vec![0xd4, 0, 0]);
    }

    #[test]
    fn refined_unknowns_decode_as_unknown() {
        // A not-null unknown string, as Terraform >= 1.6 sends it.
        let bytes = [0xc7, 0x03, 0x0c, 0x81, 0x01, 0xc2];
        assert_eq!(Value::from_msgpack(&bytes, &Type::String).unwrap(), Value::Unknown);
    }

    #[test]
    fn objects_are_written_complete() {
        let ty = obj_type();
        let bytes = Value::object([("name", Value::string("n"))]).to_msgpack(&ty);
        let Mp::Map(entries) = rmpv::decode::read_value(&mut &bytes[..]).unwrap() else { panic!("not a map") };
        assert_eq!(entries.len(), 5);
    }

    #[test]
    fn numbers_keep_precision() {
        for n in ["100000000000000000000", "0.1", "-7"] {
            let bytes = Value::Number(n.into()).to_msgpack(&Type::Number);
            assert_eq!(Value::from_msgpack(&bytes, &Type::Number).unwrap(), Value::Number(n.into()));
        }
    }

    #[test]
    fn json_state_decodes_and_ignores_removed_attributes() {
        let ty = obj_type();
        let json = serde_json::json!({"name": "a", "count": 3, "gone": true, "any": {"value": [1], "type": ["list", "number"]}});
        let v = Value::from_json(&json, &ty).unwrap();
        assert_eq!(v.attr("name").as_str(), Some("a"));
        assert_eq!(v.attr("count").as_i64(), Some(3));
        assert!(v.attr("tags").is_null());
        assert_eq!(
            v.attr("any"),
            &Value::Dynamic(Type::list(Type::Number), Box::new(Value::List(vec![Value::Number("1".into())])))
        );
    }

    #[test]
    fn type_json_round_trips() {
        let ty = obj_type();
        assert_eq!(Type::from_json(&ty.to_json()).unwrap(), ty);
        assert!(Type::from_json(&serde_json::json!(["object", {"a": "string"}, ["a"]])).is_ok());
        assert!(Type::from_json(&serde_json::json!("strin")).is_err());
    }

    #[test]
    fn decode_errors_name_the_path() {
        let mut buf = Vec::new();
        let bad = Mp::Map(vec![(Mp::from("tags"), Mp::Map(vec![(Mp::from("k"), Mp::Boolean(true))]))]);
        rmpv::encode::write_value(&mut buf, &bad).unwrap();
        let e = Value::from_msgpack(&buf, &obj_type()).unwrap_err();
        assert_eq!(e.path, "tags.k");
    }
}
