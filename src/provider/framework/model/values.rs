//! The Rust side of an attribute's type: how each field type is declared
//! to Terraform, decoded and encoded.

use super::field::Field;
use crate::plugin::{Type, Value};

/// The Rust side of an attribute's type.
pub trait AttrValue: Sized {
    fn ty() -> Type;
    /// The attributes of an object type, for nested blocks.
    fn fields() -> Option<Vec<Field>> {
        None
    }
    /// `None` for null or unknown.
    fn decode(v: &Value) -> Option<Self>;
    fn encode(&self) -> Value;
}

impl AttrValue for String {
    fn ty() -> Type {
        Type::String
    }
    fn decode(v: &Value) -> Option<Self> {
        v.as_str().map(str::to_string)
    }
    fn encode(&self) -> Value {
        Value::String(self.clone())
    }
}

impl AttrValue for bool {
    fn ty() -> Type {
        Type::Bool
    }
    fn decode(v: &Value) -> Option<Self> {
        v.as_bool()
    }
    fn encode(&self) -> Value {
        Value::Bool(*self)
    }
}

/// A number, as the decimal text Terraform sent, so that no precision is lost.
#[derive(Clone, Debug, PartialEq)]
pub struct Number(pub String);

impl AttrValue for Number {
    fn ty() -> Type {
        Type::Number
    }
    fn decode(v: &Value) -> Option<Self> {
        match v {
            Value::Number(n) => Some(Number(n.clone())),
            _ => None,
        }
    }
    fn encode(&self) -> Value {
        Value::Number(self.0.clone())
    }
}

/// A list; one whose elements are not all known decodes as unknown.
impl<T: AttrValue> AttrValue for Vec<T> {
    fn ty() -> Type {
        Type::list(T::ty())
    }
    fn decode(v: &Value) -> Option<Self> {
        match v {
            Value::List(items) => items.iter().map(T::decode).collect(),
            _ => None,
        }
    }
    fn encode(&self) -> Value {
        Value::List(self.iter().map(T::encode).collect())
    }
}

/// A map of strings.
impl AttrValue for std::collections::BTreeMap<String, String> {
    fn ty() -> Type {
        Type::map(Type::String)
    }
    fn decode(v: &Value) -> Option<Self> {
        match v {
            Value::Map(items) => items.iter().map(|(k, v)| Some((k.clone(), v.as_str()?.to_string()))).collect(),
            _ => None,
        }
    }
    fn encode(&self) -> Value {
        Value::Map(self.iter().map(|(k, v)| (k.clone(), Value::string(v))).collect())
    }
}

impl Field {
    /// The declaration of field `name` of Rust type `T`.
    pub fn of<T: AttrValue>(spec: Field, name: &'static str) -> Field {
        let nested = if spec.object { None } else { T::fields() };
        Field { name, ty: T::ty(), nested, ..spec }
    }
}

/// An attribute that holds one of a closed set of values: text to
/// Terraform, its type in the model and the clients (`crate::api_enum`).
macro_rules! enum_attributes {
    ($($ty:ty),+ $(,)?) => {
        $(impl AttrValue for $ty {
            fn ty() -> Type {
                Type::String
            }
            fn decode(v: &Value) -> Option<Self> {
                v.as_str().map(<$ty>::from)
            }
            fn encode(&self) -> Value {
                Value::string(self.as_str())
            }
        })+
    };
}

enum_attributes!(
    crate::project_api::GrantType,
    crate::project_api::ResponseType,
    crate::project_api::TokenEndpointAuthMethod,
    crate::project_api::SubjectType,
    crate::project_api::AccessTokenStrategy,
    crate::project_api::IdentityState,
);
