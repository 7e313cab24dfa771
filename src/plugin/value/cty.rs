//! The values and types themselves, with what builds and reads them.

use std::collections::BTreeMap;

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

pub(super) fn err(path: &str, message: impl Into<String>) -> DecodeError {
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
}

pub(super) fn join(path: &str, step: impl std::fmt::Display) -> String {
    if path.is_empty() {
        step.to_string()
    } else {
        format!("{path}.{step}")
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
}
