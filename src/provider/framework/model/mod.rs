//! Models: each resource, data source and ephemeral resource declares its
//! attributes once, as a struct written with [`model!`]. One entry per
//! attribute carries its name (the field's), type (the field's), flags,
//! description, default, validator, allowed values and force-new; the
//! schema, decoding and encoding of Terraform's values, the planning of
//! defaults and unknowns, validation and the docs all come from it.
//!
//! Every field is an `Option`: null is `None`. A value Terraform does not
//! know yet (a plan) is `None` too, and its name is kept in the model's
//! `unknown` set, so that decoding and encoding give back exactly what came
//! in. Assigning `Some` to a field makes it known.

mod checks;
mod field;
mod values;

use std::collections::BTreeSet;

use crate::plugin::{AttributePath, Diagnostics, Schema, Value};
pub use field::{computed, optional, optional_computed, required, Check, Fallback, Field};
pub use values::{AttrValue, Number};

/// What a model is: its declaration, and the conversion to and from values.
pub trait Model: AttrValue + Default + Clone + Send + Sync + 'static {
    /// Every attribute, in declaration order.
    fn declared() -> Vec<Field>;
    fn from_value(v: &Value) -> Self;
    fn to_value(&self) -> Value;

    /// The attributes and nested blocks, as a schema.
    fn schema(description: &str) -> Schema {
        let (blocks, attributes): (Vec<Field>, Vec<Field>) = Self::declared().into_iter().partition(|f| f.block);
        Schema::new(description, attributes.iter().map(Field::attribute).collect())
            .with_blocks(blocks.iter().map(Field::nested_block).collect())
    }
}

/// The attribute name of a model's field, checked by the compiler:
/// `attr!(ProjectModel, timeouts)` is `"timeouts"`.
macro_rules! attr {
    ($model:ty, $field:ident) => {{
        let _ = |m: $model| m.$field;
        $crate::provider::model::name_of(stringify!($field))
    }};
}
pub(crate) use attr;

/// A field's identifier as an attribute name (`r#type` is `type`).
pub fn name_of(ident: &'static str) -> &'static str {
    ident.strip_prefix("r#").unwrap_or(ident)
}

/// Declares a model: `field: Type = spec,` where `spec` is a [`Field`].
/// A model may end with `extra: Type`, attributes declared elsewhere (a
/// table) and kept by that type, an [`Extra`].
macro_rules! model {
    ($(#[$meta:meta])* $vis:vis struct $name:ident { $($field:ident : $ty:ty = $spec:expr),* $(,)? }) => {
        $crate::provider::model::model! { $(#[$meta])* $vis struct $name { $($field : $ty = $spec),* } extra: () }
    };
    ($(#[$meta:meta])* $vis:vis struct $name:ident { $($field:ident : $ty:ty = $spec:expr),* $(,)? } extra: $extra:ty) => {
        $(#[$meta])*
        #[derive(Clone, Debug, Default, PartialEq)]
        $vis struct $name {
            $(pub $field: Option<$ty>,)*
            /// Attributes declared elsewhere.
            pub extra: $extra,
            /// Attributes not known until apply.
            pub unknown: std::collections::BTreeSet<&'static str>,
        }

        impl $crate::provider::model::Model for $name {
            fn declared() -> Vec<$crate::provider::model::Field> {
                let mut fields = vec![$($crate::provider::model::Field::of::<$ty>($spec, $crate::provider::model::name_of(stringify!($field)))),*];
                fields.extend(<$extra as $crate::provider::model::Extra>::declared());
                fields
            }
            fn from_value(v: &$crate::plugin::Value) -> Self {
                let mut unknown = std::collections::BTreeSet::new();
                $name {
                    $($field: $crate::provider::model::decode_attr(v, $crate::provider::model::name_of(stringify!($field)), &mut unknown),)*
                    extra: <$extra as $crate::provider::model::Extra>::decode(v, &mut unknown),
                    unknown,
                }
            }
            fn to_value(&self) -> $crate::plugin::Value {
                let mut attrs = vec![
                    $(($crate::provider::model::name_of(stringify!($field)),
                       $crate::provider::model::encode_attr(&self.$field, $crate::provider::model::name_of(stringify!($field)), &self.unknown)),)*
                ];
                attrs.extend($crate::provider::model::Extra::encode(&self.extra, &self.unknown));
                $crate::plugin::Value::object(attrs)
            }
        }

        impl $crate::provider::model::AttrValue for $name {
            fn ty() -> $crate::plugin::Type {
                $crate::plugin::Type::Object(
                    <$name as $crate::provider::model::Model>::declared().iter().map(|f| (f.name.to_string(), f.ty.clone())).collect(),
                )
            }
            fn fields() -> Option<Vec<$crate::provider::model::Field>> {
                Some(<$name as $crate::provider::model::Model>::declared())
            }
            fn decode(v: &$crate::plugin::Value) -> Option<Self> {
                (!v.is_null() && !v.is_unknown()).then(|| <$name as $crate::provider::model::Model>::from_value(v))
            }
            fn encode(&self) -> $crate::plugin::Value {
                <$name as $crate::provider::model::Model>::to_value(self)
            }
        }
    };
}
pub(crate) use model;

/// Attributes a model keeps beside its fields: declared by a table rather
/// than one field each. Decoding puts the names of unknown ones in the
/// model's `unknown` set; encoding gives every declared one a value.
pub trait Extra: Clone + std::fmt::Debug + Default + PartialEq + Send + Sync {
    fn declared() -> Vec<Field>;
    fn decode(v: &Value, unknown: &mut BTreeSet<&'static str>) -> Self;
    fn encode(&self, unknown: &BTreeSet<&'static str>) -> Vec<(&'static str, Value)>;
}

impl Extra for () {
    fn declared() -> Vec<Field> {
        Vec::new()
    }
    fn decode(_: &Value, _: &mut BTreeSet<&'static str>) -> Self {}
    fn encode(&self, _: &BTreeSet<&'static str>) -> Vec<(&'static str, Value)> {
        Vec::new()
    }
}

pub fn decode_attr<T: AttrValue>(v: &Value, name: &'static str, unknown: &mut BTreeSet<&'static str>) -> Option<T> {
    let value = v.attr(name);
    if value.is_unknown() {
        unknown.insert(name);
    }
    T::decode(value)
}

pub fn encode_attr<T: AttrValue>(field: &Option<T>, name: &'static str, unknown: &BTreeSet<&'static str>) -> Value {
    match field {
        Some(v) => v.encode(),
        None if unknown.contains(name) => Value::Unknown,
        None => Value::Null,
    }
}

/// The plan-time checks of every declared attribute of `config`.
pub fn validate<M: Model>(config: &Value) -> Diagnostics {
    let mut diags = Diagnostics::new();
    for f in M::declared() {
        f.validate(config, AttributePath::attr(f.name), &mut diags);
    }
    diags
}

/// The names of a model's attributes, for prose: "id, name, created_at".
pub fn names<M: Model>() -> String {
    M::declared().iter().map(|f| f.name).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    model! {
        struct Inner {
            create: String = optional("The limit.").check(|v| if v.ends_with('s') { Ok(()) } else { Err(format!("must end in s; got {v:?}.")) }),
        }
    }

    model! {
        struct Sample {
            id: String = computed("The ID."),
            r#type: String = required("The kind.").one_of(&["a", "b"]),
            on: bool = optional("Whether."),
            tags: Vec<String> = optional("Tags."),
            limits: Inner = optional("Limits.").block(),
        }
    }

    #[test]
    fn decoding_then_encoding_gives_back_nulls_unknowns_and_values() {
        let v = Value::object([
            ("id", Value::Unknown),
            ("type", Value::string("a")),
            ("on", Value::Null),
            ("tags", Value::List(vec![Value::string("x")])),
            ("limits", Value::object([("create", Value::string("5s"))])),
        ]);
        let m = Sample::from_value(&v);
        assert_eq!(m.r#type.as_deref(), Some("a"));
        assert!(m.unknown.contains("id"));
        assert_eq!(m.limits.as_ref().and_then(|l| l.create.as_deref()), Some("5s"));
        assert_eq!(m.to_value(), v);
    }

    #[test]
    fn the_schema_and_checks_come_from_the_declaration() {
        let schema = Sample::schema("A sample.");
        let names: Vec<_> = schema.block.attributes.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(names, ["id", "type", "on", "tags"]);
        assert_eq!(schema.block.attributes[1].description, "The kind. One of `a`, `b`.");
        assert_eq!(schema.block.blocks[0].type_name, "limits");
        let bad =
            Value::object([("type", Value::string("c")), ("limits", Value::object([("create", Value::string("5m"))]))]);
        let diags = validate::<Sample>(&bad);
        let details: Vec<_> = diags.0.iter().map(|d| d.detail.as_str()).collect();
        assert_eq!(details, ["type must be one of a, b; got \"c\".", "limits.create must end in s; got \"5m\"."]);
        assert_eq!(attr!(Sample, r#type), "type");
    }
}
