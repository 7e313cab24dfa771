//! The committed docs match what the schemas generate (`make docs` rewrites them).

use std::path::Path;

#[test]
fn docs_are_generated_from_the_current_schemas() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let update = std::env::var_os("UPDATE_DOCS").is_some();
    let mut stale = Vec::new();
    for (path, content) in terraform_provider_ory::provider::docs::pages(root) {
        let full = root.join(&path);
        if update {
            std::fs::create_dir_all(full.parent().unwrap()).unwrap();
            std::fs::write(&full, &content).unwrap();
        } else if std::fs::read_to_string(&full).ok().as_deref() != Some(content.as_str()) {
            stale.push(path.display().to_string());
        }
    }
    assert!(stale.is_empty(), "stale docs, run `make docs` and commit: {stale:?}");
}
