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

use std::collections::BTreeSet;

use crate::plugin::{
    Attribute, AttributePath, Block, Diagnostic, Diagnostics, NestedBlock, Nesting, Schema, Type, Value,
};
use crate::provider::client::Setting;

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

/// Checks a known string; the error completes "<attribute> ...".
pub type Check = fn(&str) -> Result<(), String>;

/// Where the value of an attribute left out of the configuration comes from.
#[derive(Clone, Debug)]
pub enum Fallback {
    /// This value, always.
    Always(Value),
    /// This value for a new object; an existing one keeps its own.
    OnCreate(Value),
    /// The provider's setting for a new object, which is then required; an
    /// existing object keeps its own.
    Provider(Setting),
    /// The provider's setting for a new object when it has one; else the
    /// API chooses. An existing object keeps its own.
    ProviderIfSet(Setting),
}

/// One attribute's declaration. Built with [`required`], [`optional`],
/// [`computed`] or [`optional_computed`] and the methods below.
#[derive(Clone, Debug)]
pub struct Field {
    pub name: &'static str,
    pub ty: Type,
    /// For a nested block or a nested attribute (a model-typed field): its attributes.
    pub nested: Option<Vec<Field>>,
    pub required: bool,
    pub optional: bool,
    pub computed: bool,
    pub sensitive: bool,
    /// Only in the configuration, never in a plan or state (Terraform 1.11+).
    pub write_only: bool,
    pub description: String,
    pub default: Option<Fallback>,
    pub check: Option<Check>,
    pub one_of: &'static [&'static str],
    pub force_new: bool,
    /// Two spellings of one value, such as two ways to write an instant:
    /// an update keeps the prior spelling.
    pub same: Option<fn(&str, &str) -> bool>,
    /// A computed value that changes whenever the object does (`updated_at`).
    pub follows_changes: bool,
    /// A nested block rather than an attribute.
    pub block: bool,
    /// A model-typed field as an attribute of object type.
    pub object: bool,
    /// A list whose entries must differ from each other.
    pub distinct: bool,
    /// How a nested attribute holds its attributes: one object, a list or a map of them.
    pub nesting: Nesting,
    /// Terraform warns where a configuration sets it.
    pub deprecated: bool,
}

fn field(description: &str, required: bool, optional: bool, computed: bool) -> Field {
    Field {
        name: "",
        ty: Type::String,
        nested: None,
        required,
        optional,
        computed,
        sensitive: false,
        write_only: false,
        description: description.to_string(),
        default: None,
        check: None,
        one_of: &[],
        force_new: false,
        same: None,
        follows_changes: false,
        block: false,
        object: false,
        distinct: false,
        nesting: Nesting::Single,
        deprecated: false,
    }
}

pub fn required(description: &str) -> Field {
    field(description, true, false, false)
}

pub fn optional(description: &str) -> Field {
    field(description, false, true, false)
}

/// Set by the provider, never by the configuration.
pub fn computed(description: &str) -> Field {
    field(description, false, false, true)
}

/// Set by the configuration, or else by the provider (a default, or what the
/// API chose).
pub fn optional_computed(description: &str) -> Field {
    field(description, false, true, true)
}

impl Field {
    /// The declaration of field `name` of Rust type `T`.
    pub fn of<T: AttrValue>(spec: Field, name: &'static str) -> Field {
        let nested = if spec.object { None } else { T::fields() };
        Field { name, ty: T::ty(), nested, ..spec }
    }

    pub fn sensitive(mut self) -> Field {
        self.sensitive = true;
        self
    }

    /// Sent to the API, never kept: Terraform passes it in the configuration
    /// only. Pair it with a version attribute, since a change of it alone
    /// cannot be planned.
    pub fn write_only(mut self) -> Field {
        self.write_only = true;
        self.sensitive = true;
        self
    }

    pub fn force_new(mut self) -> Field {
        self.force_new = true;
        self
    }

    pub fn check(mut self, check: Check) -> Field {
        self.check = Some(check);
        self
    }

    /// The allowed values; the docs list them.
    pub fn one_of(mut self, values: &'static [&'static str]) -> Field {
        self.one_of = values;
        self
    }

    pub fn default(mut self, default: Fallback) -> Field {
        self.default = Some(default);
        self
    }

    pub fn same_when(mut self, same: fn(&str, &str) -> bool) -> Field {
        self.same = Some(same);
        self
    }

    pub fn follows_changes(mut self) -> Field {
        self.follows_changes = true;
        self
    }

    /// Entries of this list must not repeat.
    pub fn distinct(mut self) -> Field {
        self.distinct = true;
        self
    }

    pub fn deprecated(mut self) -> Field {
        self.deprecated = true;
        self
    }

    /// Of this type, for a field declared by a table rather than a Rust type.
    pub fn typed(mut self, ty: Type) -> Field {
        self.ty = ty;
        self
    }

    /// A nested attribute of these attributes: one object, or a list or a
    /// map of them.
    pub fn nested_in(mut self, fields: Vec<Field>, nesting: Nesting) -> Field {
        let object = Type::Object(fields.iter().map(|f| (f.name.to_string(), f.ty.clone())).collect());
        self.ty = match nesting {
            Nesting::List => Type::list(object),
            Nesting::Map => Type::map(object),
            _ => object,
        };
        self.nested = Some(fields);
        self.nesting = nesting;
        self
    }

    pub fn block(mut self) -> Field {
        self.block = true;
        self
    }

    /// A computed model-typed field as an attribute of object type rather
    /// than a nested attribute, which Terraform before 1.3 mishandles.
    pub fn object(mut self) -> Field {
        self.object = true;
        self
    }

    /// The description the schema shows: the declared one, and the allowed
    /// values from their constant.
    fn full_description(&self) -> String {
        if self.one_of.is_empty() {
            return self.description.clone();
        }
        let values = self.one_of.iter().map(|v| format!("`{v}`")).collect::<Vec<_>>().join(", ");
        format!("{} One of {values}.", self.description).trim_start().to_string()
    }

    fn attribute(&self) -> Attribute {
        let mut a = match &self.nested {
            Some(fields) => Attribute::nested(self.name, self.nesting, fields.iter().map(Field::attribute).collect()),
            None => Attribute::typed(self.name, self.ty.clone()),
        }
        .describe(&self.full_description());
        a.required = self.required;
        a.optional = self.optional;
        a.computed = self.computed;
        a.sensitive = self.sensitive;
        a.write_only = self.write_only;
        a.deprecated = self.deprecated;
        a
    }

    fn nested_block(&self) -> NestedBlock {
        let attributes = self.nested.iter().flatten().map(Field::attribute).collect();
        NestedBlock::new(
            self.name,
            Nesting::Single,
            Block { description: self.full_description(), attributes, ..Block::default() },
        )
    }

    /// The plan-time checks of this attribute's known value in `config`.
    fn validate(&self, config: &Value, path: AttributePath, diags: &mut Diagnostics) {
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
        // A null element would decode as "the whole collection is unset":
        // a guard list would fail open and a plan would not match the
        // configuration. Refused on the element, whatever the collection.
        let nulls: Vec<AttributePath> = match value {
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
        };
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

    /// What is wrong with a known value, completing "<attribute> ...".
    fn problem(&self, text: &str) -> Option<String> {
        if !self.one_of.is_empty() && !self.one_of.contains(&text) {
            return Some(format!("must be one of {}; got {text:?}.", self.one_of.join(", ")));
        }
        self.check.and_then(|check| check(text).err())
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
