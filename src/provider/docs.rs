//! The provider's documentation pages, generated from its schemas and
//! `examples/`, and the README's tables of resources, from the registry;
//! `make docs` writes them and the test suite fails when the committed
//! pages are stale.

use std::path::{Path, PathBuf};

use crate::plugin::docs::{render, Kind};
use crate::plugin::Provider;

use crate::provider::{registry, OryProvider};

/// The name page titles give the provider.
const BINARY: &str = env!("CARGO_PKG_NAME");

fn read(root: &Path, rel: &str) -> Option<String> {
    std::fs::read_to_string(root.join(rel)).ok()
}

/// Every page, as (path under the repository root, content).
pub fn pages(root: &Path) -> Vec<(PathBuf, String)> {
    let provider = OryProvider::new();
    let mut pages = vec![(
        PathBuf::from("docs/index.md"),
        render(
            BINARY,
            "ory",
            Kind::Provider,
            &provider.schema(),
            read(root, "examples/provider/provider.tf").as_deref(),
            None,
        ),
    )];
    // Without its markers the README's tables would silently go unchecked.
    let readme = read(root, "README.md").and_then(|text| with_tables(&text, &provider));
    pages.push((PathBuf::from("README.md"), readme.expect("README.md marks where its generated tables go")));
    for r in provider.resources() {
        let name = r.type_name();
        let example = read(root, &format!("examples/resources/{name}/resource.tf"));
        let import = read(root, &format!("examples/resources/{name}/import.sh"));
        let short = name.trim_start_matches("ory_");
        pages.push((
            PathBuf::from(format!("docs/resources/{short}.md")),
            render(BINARY, name, Kind::Resource, &r.schema(), example.as_deref(), import.as_deref()),
        ));
    }
    for d in provider.data_sources() {
        let name = d.type_name();
        let example = read(root, &format!("examples/data-sources/{name}/data-source.tf"));
        let short = name.trim_start_matches("ory_");
        pages.push((
            PathBuf::from(format!("docs/data-sources/{short}.md")),
            render(BINARY, name, Kind::DataSource, &d.schema(), example.as_deref(), None),
        ));
    }
    for e in provider.ephemeral_resources() {
        let name = e.type_name();
        let example = read(root, &format!("examples/ephemeral-resources/{name}/ephemeral-resource.tf"));
        let short = name.trim_start_matches("ory_");
        pages.push((
            PathBuf::from(format!("docs/ephemeral-resources/{short}.md")),
            render(BINARY, name, Kind::EphemeralResource, &e.schema(), example.as_deref(), None),
        ));
    }
    pages
}

/// Where the README's generated tables start and end.
const TABLES_START: &str =
    "<!-- The tables below are written by `make docs` from each type's summary and import ID. -->\n";
const TABLES_END: &str = "<!-- End of the generated tables. -->\n";

/// The README with its tables of resources, data sources and ephemeral
/// resources made anew; `None` when it has no place marked for them.
fn with_tables(readme: &str, provider: &OryProvider) -> Option<String> {
    let (before, rest) = readme.split_once(TABLES_START)?;
    let (_, after) = rest.split_once(TABLES_END)?;
    let mut tables = String::from("| resource | what it manages | import ID |\n|---|---|---|\n");
    for r in registry() {
        tables.push_str(&format!("| `{}` | {} | `{}` |\n", r.type_name(), r.schema().summary, r.import_shape()));
    }
    tables.push_str("\n| data source | what it reads |\n|---|---|\n");
    for d in provider.data_sources() {
        tables.push_str(&format!("| `{}` | {} |\n", d.type_name(), d.schema().summary));
    }
    tables.push_str("\n| ephemeral resource | what it opens |\n|---|---|\n");
    for e in provider.ephemeral_resources() {
        tables.push_str(&format!("| `{}` | {} |\n", e.type_name(), e.schema().summary));
    }
    Some(format!("{before}{TABLES_START}{tables}{TABLES_END}{after}"))
}
