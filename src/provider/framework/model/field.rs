//! One attribute's declaration: its type, flags, description, default,
//! checks and allowed values, and the schema attribute it becomes.

use crate::plugin::{Attribute, Block, NestedBlock, Nesting, Type, Value};
use crate::provider::client::Setting;

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

    pub(super) fn attribute(&self) -> Attribute {
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

    pub(super) fn nested_block(&self) -> NestedBlock {
        let attributes = self.nested.iter().flatten().map(Field::attribute).collect();
        NestedBlock::new(
            self.name,
            Nesting::Single,
            Block { description: self.full_description(), attributes, ..Block::default() },
        )
    }
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
