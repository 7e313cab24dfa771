//! Every example under `examples/` works as written.

use crate::support::{assert_no_changes, skip, terraform_version, Emulator, Tf};

const REQUIRED_PROVIDERS: &str =
    "terraform {\n  required_providers {\n    ory = {\n      source = \"terraform.local/ory/ory\"\n    }\n  }\n}\n";

#[test]
fn the_quickstart_applies_plans_clean_and_destroys() {
    let emulator = Emulator::start();
    let tf = Tf::new(&emulator, "examples/quickstart");
    tf.init();
    tf.run(&["apply", "-auto-approve", "-input=false"]);
    let out = tf.run(&["output", "-json"]);
    let outputs: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let id = outputs["project_id"]["value"].as_str().unwrap();
    let project = emulator.project(id);
    assert_eq!(project["name"], "quickstart");
    assert_eq!(project["services"]["identity"]["config"]["session"]["lifespan"], "24h");
    let hooks = &project["services"]["identity"]["config"]["selfservice"]["flows"]["login"]["after"]["hooks"];
    assert_eq!(hooks[0]["config"]["url"], "https://api.segment.io/v1/identify", "{hooks}");
    assert_no_changes(&tf.plan(&[]));
    tf.run(&["destroy", "-auto-approve", "-input=false"]);
    assert_eq!(emulator.project(id)["state"], "deleted");
}

fn dir_path(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/resources").join(name)
}

#[test]
fn resource_examples_are_valid() {
    let emulator = Emulator::start();
    for dir in std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/resources")).unwrap() {
        let name = dir.unwrap().file_name().into_string().unwrap();
        let config = std::fs::read_to_string(dir_path(&name).join("resource.tf")).unwrap();
        let version = terraform_version();
        if config.contains("_wo ") && version < (1, 11) {
            skip(
                &format!("resource_examples_are_valid ({name})"),
                &format!(
                    "it sets write-only attributes, which need Terraform 1.11 or later; this is {}.{}",
                    version.0, version.1
                ),
            );
            continue;
        }
        let tf = Tf::new(&emulator, &format!("examples/resources/{name}"));
        tf.write("versions.tf", REQUIRED_PROVIDERS);
        tf.init();
        tf.run(&["validate"]);
        // The import example names a resource the example declares.
        let import = std::fs::read_to_string(tf.dir().join("import.sh")).unwrap();
        let address =
            import.lines().find_map(|l| l.strip_prefix("terraform import ")).unwrap().split(' ').next().unwrap();
        let config = std::fs::read_to_string(tf.dir().join("resource.tf")).unwrap();
        let (ty, label) = address.split_once('.').unwrap();
        assert!(
            config.contains(&format!("resource \"{ty}\" \"{label}\"")),
            "{name}: import.sh imports {address}, which resource.tf lacks"
        );
    }
}

#[test]
fn the_provider_example_is_valid() {
    let emulator = Emulator::start();
    let tf = Tf::new(&emulator, "examples/provider");
    tf.init();
    tf.run(&["validate"]);
}

#[test]
fn data_source_examples_are_valid() {
    let emulator = Emulator::start();
    for dir in std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/data-sources")).unwrap() {
        let name = dir.unwrap().file_name().into_string().unwrap();
        let tf = Tf::new(&emulator, &format!("examples/data-sources/{name}"));
        tf.write("versions.tf", REQUIRED_PROVIDERS);
        tf.init();
        tf.run(&["validate"]);
    }
}

#[test]
fn ephemeral_resource_examples_are_valid() {
    if terraform_version() < (1, 10) {
        skip(
            "ephemeral_resource_examples_are_valid",
            &format!("ephemeral blocks need Terraform >= 1.10; this is {:?}", terraform_version()),
        );
        return;
    }
    let emulator = Emulator::start();
    for dir in std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/ephemeral-resources")).unwrap() {
        let name = dir.unwrap().file_name().into_string().unwrap();
        let tf = Tf::new(&emulator, &format!("examples/ephemeral-resources/{name}"));
        tf.write("versions.tf", REQUIRED_PROVIDERS);
        tf.init();
        tf.run(&["validate"]);
    }
}

/// examples/testing: its `terraform test` file passes against the emulator.
#[test]
fn the_testing_example_passes_terraform_test() {
    let version = terraform_version();
    if version < (1, 6) {
        skip(
            "the_testing_example_passes_terraform_test",
            &format!("terraform test needs Terraform 1.6 or later; this is {}.{}", version.0, version.1),
        );
        return;
    }
    let emulator = Emulator::start();
    let tf = Tf::new(&emulator, "examples/testing");
    tf.init();
    let run = tf.run(&["test"]);
    assert!(run.text().contains("Success! 3 passed, 0 failed."), "{}", run.text());
    // It applied for real, and destroyed what it made.
    assert_eq!(emulator.count("createProject"), 1);
    assert_eq!(emulator.count("setEventStream"), 1);
    assert_eq!(emulator.count("purgeProject"), 1);
}
