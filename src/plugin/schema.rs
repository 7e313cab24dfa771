//! Schemas: what a provider, resource or data source accepts, and the type
//! Terraform implies from it for every value on the wire.

use std::collections::BTreeMap;

use crate::plugin::value::Type;
use crate::proto::tfplugin6 as pb;

/// A versioned schema of one provider, resource, data source or ephemeral resource.
#[derive(Clone, Debug, Default)]
pub struct Schema {
    /// The state schema version; bump it when stored state needs upgrading.
    pub version: i64,
    /// What it manages or reads, in a few words, for tables of contents;
    /// Terraform is never sent it.
    pub summary: String,
    /// Its attributes and nested blocks.
    pub block: Block,
}

/// A block: attributes plus nested blocks.
#[derive(Clone, Debug, Default)]
pub struct Block {
    /// What it is, in Markdown, for the docs and language servers.
    pub description: String,
    /// Its attributes, in the order the docs list them.
    pub attributes: Vec<Attribute>,
    /// Its nested blocks.
    pub blocks: Vec<NestedBlock>,
    /// Whether Terraform warns that it is going away.
    pub deprecated: bool,
}

/// How a nested block or nested attribute repeats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Nesting {
    /// One object.
    Single,
    /// A list of objects, in order.
    List,
    /// A set of objects: no order, no duplicates.
    Set,
    /// A map of objects by key.
    Map,
    /// Blocks only: a single block that is always present.
    Group,
}

/// An attribute's type: a plain one, or nested attributes.
#[derive(Clone, Debug)]
pub enum AttributeType {
    /// A value of this type.
    Type(Type),
    /// A nested attribute (`nested_type`): an object, or a collection of objects.
    Nested(Nesting, Vec<Attribute>),
}

/// One attribute of a block, and the rules Terraform applies to it.
#[derive(Clone, Debug)]
pub struct Attribute {
    /// Its name in configurations.
    pub name: String,
    /// Its type.
    pub ty: AttributeType,
    /// What it is, in Markdown.
    pub description: String,
    /// A configuration must set it.
    pub required: bool,
    /// A configuration may set it.
    pub optional: bool,
    /// The provider sets it (beside optional: when the configuration does not).
    pub computed: bool,
    /// Terraform hides its value in plans and output.
    pub sensitive: bool,
    /// Sent by Terraform in the configuration only; the service nulls it in
    /// every state and plan it answers with. Top-level attributes only.
    pub write_only: bool,
    /// Whether Terraform warns that it is going away.
    pub deprecated: bool,
}

/// A nested block of a block.
#[derive(Clone, Debug)]
pub struct NestedBlock {
    /// Its name in configurations.
    pub type_name: String,
    /// How it repeats.
    pub nesting: Nesting,
    /// Its attributes and blocks.
    pub block: Block,
    /// The fewest a configuration may write (0: no bound).
    pub min_items: i64,
    /// The most a configuration may write (0: no bound).
    pub max_items: i64,
}

impl Schema {
    /// A schema of version 0 with `attributes` and no blocks.
    pub fn new(description: &str, attributes: Vec<Attribute>) -> Schema {
        Schema {
            version: 0,
            summary: String::new(),
            block: Block { description: description.to_string(), attributes, ..Block::default() },
        }
    }

    /// This schema with `blocks`.
    pub fn with_blocks(mut self, blocks: Vec<NestedBlock>) -> Schema {
        self.block.blocks = blocks;
        self
    }

    /// The type of a value of this schema, as Terraform encodes it.
    pub fn implied_type(&self) -> Type {
        self.block.implied_type()
    }

    /// The names of the write-only attributes.
    pub fn write_only(&self) -> impl Iterator<Item = &str> {
        self.block.attributes.iter().filter(|a| a.write_only).map(|a| a.name.as_str())
    }

    /// As the protocol carries it.
    pub fn to_proto(&self) -> pb::Schema {
        pb::Schema { version: self.version, block: Some(self.block.to_proto()) }
    }
}

impl Block {
    /// The type of a value of this block: an object of its attributes and blocks.
    pub fn implied_type(&self) -> Type {
        let mut attrs: BTreeMap<String, Type> =
            self.attributes.iter().map(|a| (a.name.clone(), a.implied_type())).collect();
        for b in &self.blocks {
            let obj = b.block.implied_type();
            let ty = match b.nesting {
                Nesting::Single | Nesting::Group => obj,
                Nesting::List => Type::list(obj),
                Nesting::Set => Type::set(obj),
                Nesting::Map => Type::map(obj),
            };
            attrs.insert(b.type_name.clone(), ty);
        }
        Type::Object(attrs)
    }

    fn to_proto(&self) -> pb::schema::Block {
        pb::schema::Block {
            version: 0,
            attributes: self.attributes.iter().map(Attribute::to_proto).collect(),
            block_types: self.blocks.iter().map(NestedBlock::to_proto).collect(),
            description: self.description.clone(),
            description_kind: pb::StringKind::Markdown as i32,
            deprecated: self.deprecated,
        }
    }
}

impl Attribute {
    fn new(name: &str, ty: AttributeType) -> Attribute {
        Attribute {
            name: name.to_string(),
            ty,
            description: String::new(),
            required: false,
            optional: false,
            computed: false,
            sensitive: false,
            write_only: false,
            deprecated: false,
        }
    }

    /// A string attribute, neither required, optional nor computed yet.
    pub fn string(name: &str) -> Attribute {
        Attribute::new(name, AttributeType::Type(Type::String))
    }

    /// A bool attribute.
    pub fn bool(name: &str) -> Attribute {
        Attribute::new(name, AttributeType::Type(Type::Bool))
    }

    /// A number attribute.
    pub fn number(name: &str) -> Attribute {
        Attribute::new(name, AttributeType::Type(Type::Number))
    }

    /// An attribute of type `ty`.
    pub fn typed(name: &str, ty: Type) -> Attribute {
        Attribute::new(name, AttributeType::Type(ty))
    }

    /// A nested attribute of `attributes`, repeated as `nesting` says.
    pub fn nested(name: &str, nesting: Nesting, attributes: Vec<Attribute>) -> Attribute {
        Attribute::new(name, AttributeType::Nested(nesting, attributes))
    }

    /// Makes it required.
    pub fn required(mut self) -> Self {
        self.required = true;
        self
    }

    /// Makes it optional.
    pub fn optional(mut self) -> Self {
        self.optional = true;
        self
    }

    /// Makes it computed.
    pub fn computed(mut self) -> Self {
        self.computed = true;
        self
    }

    /// Makes it sensitive.
    pub fn sensitive(mut self) -> Self {
        self.sensitive = true;
        self
    }

    /// Makes it write-only (Terraform 1.11 and later).
    pub fn write_only(mut self) -> Self {
        self.write_only = true;
        self
    }

    /// Gives it its description.
    pub fn describe(mut self, description: &str) -> Self {
        self.description = description.to_string();
        self
    }

    /// The type of its value.
    pub fn implied_type(&self) -> Type {
        match &self.ty {
            AttributeType::Type(t) => t.clone(),
            AttributeType::Nested(nesting, attrs) => {
                let obj = Type::Object(attrs.iter().map(|a| (a.name.clone(), a.implied_type())).collect());
                match nesting {
                    Nesting::Single | Nesting::Group => obj,
                    Nesting::List => Type::list(obj),
                    Nesting::Set => Type::set(obj),
                    Nesting::Map => Type::map(obj),
                }
            }
        }
    }

    fn to_proto(&self) -> pb::schema::Attribute {
        let (ty, nested_type) = match &self.ty {
            AttributeType::Type(t) => (t.to_json().to_string().into_bytes(), None),
            AttributeType::Nested(nesting, attrs) => {
                use pb::schema::object::NestingMode as M;
                let mode = match nesting {
                    Nesting::Single | Nesting::Group => M::Single,
                    Nesting::List => M::List,
                    Nesting::Set => M::Set,
                    Nesting::Map => M::Map,
                };
                #[allow(deprecated)]
                let object = pb::schema::Object {
                    attributes: attrs.iter().map(Attribute::to_proto).collect(),
                    nesting: mode as i32,
                    min_items: 0,
                    max_items: 0,
                };
                (Vec::new(), Some(object))
            }
        };
        pb::schema::Attribute {
            name: self.name.clone(),
            r#type: ty,
            nested_type,
            description: self.description.clone(),
            required: self.required,
            optional: self.optional,
            computed: self.computed,
            sensitive: self.sensitive,
            description_kind: pb::StringKind::Markdown as i32,
            deprecated: self.deprecated,
            write_only: self.write_only,
        }
    }
}

impl NestedBlock {
    /// A block named `type_name`, repeated as `nesting` says, unbounded.
    pub fn new(type_name: &str, nesting: Nesting, block: Block) -> NestedBlock {
        NestedBlock { type_name: type_name.to_string(), nesting, block, min_items: 0, max_items: 0 }
    }

    fn to_proto(&self) -> pb::schema::NestedBlock {
        use pb::schema::nested_block::NestingMode as M;
        let nesting = match self.nesting {
            Nesting::Single => M::Single,
            Nesting::List => M::List,
            Nesting::Set => M::Set,
            Nesting::Map => M::Map,
            Nesting::Group => M::Group,
        };
        pb::schema::NestedBlock {
            type_name: self.type_name.clone(),
            block: Some(self.block.to_proto()),
            nesting: nesting as i32,
            min_items: self.min_items,
            max_items: self.max_items,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn implied_type_covers_nested_attributes_and_blocks() {
        let schema = Schema::new(
            "",
            vec![
                Attribute::string("id").computed(),
                Attribute::nested("tags", Nesting::Map, vec![Attribute::string("v").required()]),
            ],
        )
        .with_blocks(vec![NestedBlock::new(
            "rule",
            Nesting::List,
            Block { attributes: vec![Attribute::bool("on").optional()], ..Block::default() },
        )]);
        let expected = serde_json::json!(["object", {
            "id": "string",
            "tags": ["map", ["object", {"v": "string"}]],
            "rule": ["list", ["object", {"on": "bool"}]],
        }]);
        assert_eq!(schema.implied_type().to_json(), expected);
    }
}
