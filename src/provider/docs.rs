//! The provider's documentation pages, generated from its schemas and
//! `examples/`; `make docs` writes them and the test suite fails when the
//! committed pages are stale.

use std::path::{Path, PathBuf};

use crate::plugin::docs::{render, Kind};
use crate::plugin::Provider;

use crate::provider::OryProvider;

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
