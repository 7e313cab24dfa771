//! Registry-format Markdown generated from schemas, so that every
//! description is written once, in the schema.

use crate::plugin::schema::{Attribute, AttributeType, Nesting, Schema};
use crate::plugin::value::Type;

/// What a page documents.
pub enum Kind {
    /// The provider block's page (the index).
    Provider,
    /// A managed resource's page.
    Resource,
    /// A data source's page.
    DataSource,
    /// An ephemeral resource's page.
    EphemeralResource,
}

impl Kind {
    fn title(&self) -> &'static str {
        match self {
            Kind::Provider => "Provider",
            Kind::Resource => "Resource",
            Kind::DataSource => "Data Source",
            Kind::EphemeralResource => "Ephemeral Resource",
        }
    }
}

fn type_name(ty: &Type) -> String {
    match ty {
        Type::String => "String".into(),
        Type::Number => "Number".into(),
        Type::Bool => "Boolean".into(),
        Type::Dynamic => "Dynamic".into(),
        Type::List(e) => format!("List of {}", type_name(e)),
        Type::Set(e) => format!("Set of {}", type_name(e)),
        Type::Map(e) => format!("Map of {}", type_name(e)),
        Type::Object(_) => "Object".into(),
        Type::Tuple(_) => "Tuple".into(),
    }
}

fn attribute_type(a: &Attribute) -> String {
    match &a.ty {
        AttributeType::Type(t) => type_name(t),
        AttributeType::Nested(n, _) => match n {
            Nesting::Single | Nesting::Group => "Attributes".into(),
            Nesting::List => "Attributes List".into(),
            Nesting::Set => "Attributes Set".into(),
            Nesting::Map => "Attributes Map".into(),
        },
    }
}

fn attribute_line(a: &Attribute) -> String {
    let mut flags = attribute_type(a);
    if a.sensitive {
        flags.push_str(", Sensitive");
    }
    if a.write_only {
        flags.push_str(", Write-only");
    }
    let description = if a.description.is_empty() { String::new() } else { format!(" {}", a.description) };
    let mut line = format!("- `{}` ({flags}){description}\n", a.name);
    if let AttributeType::Nested(_, inner) = &a.ty {
        for nested in inner {
            line.push_str(&format!("  {}", attribute_line(nested)));
        }
    }
    line
}

fn section(out: &mut String, heading: &str, attrs: &[&Attribute]) {
    if attrs.is_empty() {
        return;
    }
    out.push_str(&format!("### {heading}\n\n"));
    for a in attrs {
        out.push_str(&attribute_line(a));
    }
    out.push('\n');
}

/// One page of `provider` (its binary's name, for the title): front matter,
/// description, example, schema, and import.
pub fn render(
    provider: &str,
    name: &str,
    kind: Kind,
    schema: &Schema,
    example: Option<&str>,
    import: Option<&str>,
) -> String {
    let description = schema.block.description.trim();
    let mut out = format!(
        "---\npage_title: \"{name} {} - {provider}\"\ndescription: |-\n  {}\n---\n\n# {name} ({})\n\n{description}\n\n",
        kind.title(),
        description.replace('\n', "\n  "),
        kind.title(),
    );
    if let Some(example) = example {
        out.push_str(&format!("## Example Usage\n\n```terraform\n{}\n```\n\n", example.trim_end()));
    }
    out.push_str("## Schema\n\n");
    let attrs = &schema.block.attributes;
    let required: Vec<_> = attrs.iter().filter(|a| a.required).collect();
    let optional: Vec<_> = attrs.iter().filter(|a| a.optional).collect();
    let read_only: Vec<_> = attrs.iter().filter(|a| a.computed && !a.optional).collect();
    section(&mut out, "Required", &required);
    section(&mut out, "Optional", &optional);
    section(&mut out, "Read-Only", &read_only);
    for block in &schema.block.blocks {
        out.push_str(&format!("### Block `{}`\n\n", block.type_name));
        if !block.block.description.is_empty() {
            out.push_str(&format!("{}\n\n", block.block.description));
        }
        for a in &block.block.attributes {
            out.push_str(&attribute_line(a));
        }
        out.push('\n');
    }
    if let Some(import) = import {
        out.push_str(&format!(
            "## Import\n\nImport is supported using the following syntax:\n\n```shell\n{}\n```\n",
            import.trim_end()
        ));
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}
