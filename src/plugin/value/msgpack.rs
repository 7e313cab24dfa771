//! The msgpack form: what Terraform sends and takes over gRPC.

use std::collections::BTreeMap;

use rmpv::Value as Mp;

use super::cty::{err, join, DecodeError, Type, Value};

impl Value {
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
        Type::Object(attrs) => object_from_mp(mp, attrs, path),
        Type::Dynamic => dynamic_from_mp(mp, path),
    }
}

fn object_from_mp(mp: Mp, attrs: &BTreeMap<String, Type>, path: &str) -> Result<Value, DecodeError> {
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

/// A `dynamic` value: a `[type JSON, value]` pair.
fn dynamic_from_mp(mp: Mp, path: &str) -> Result<Value, DecodeError> {
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
