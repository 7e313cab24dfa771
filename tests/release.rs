//! `make release`: dist/ in the layout the Terraform Registry and a mirror
//! expect, installed from a filesystem mirror with a lock file whose hashes
//! are those of the zip.

use std::path::Path;
use std::process::Command;

use crate::support::{provider_bin, Emulator, Tf};

const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The hashes Terraform can record for a provider zip: `h1:` over its
/// files (Go's dirhash), and `zh:` over the zip itself.
fn hashes_of(zip: &Path) -> (String, String) {
    let script = r#"
import base64, hashlib, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
summary = "".join(f"{hashlib.sha256(z.read(n)).hexdigest()}  {n}\n" for n in sorted(z.namelist()))
print("h1:" + base64.b64encode(hashlib.sha256(summary.encode()).digest()).decode())
print("zh:" + hashlib.sha256(open(sys.argv[1], "rb").read()).hexdigest())
"#;
    let out = Command::new("python3").args(["-c", script]).arg(zip).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    let mut lines = text.lines().map(str::to_string);
    (lines.next().unwrap(), lines.next().unwrap())
}

/// The hashes of the lock file's one provider.
fn locked_hashes(tf: &Tf) -> Vec<String> {
    let lock = std::fs::read_to_string(tf.dir().join(".terraform.lock.hcl")).unwrap();
    assert!(lock.contains(&format!("version     = \"{VERSION}\"")), "{lock}");
    lock.split('"').filter(|s| s.starts_with("h1:") || s.starts_with("zh:")).map(str::to_string).collect()
}

#[test]
fn a_release_installs_from_a_mirror_with_the_zip_s_hashes_locked() {
    let dist = tempfile::tempdir().unwrap();
    // The binaries this test run built: a `cargo build` here would swap
    // target/debug's binaries under the tests running beside it.
    let built = provider_bin().parent().unwrap().to_path_buf();
    let made = Command::new("make")
        .arg("release")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("RELEASE_PREBUILT", &built)
        .env("RELEASE_DIST", dist.path())
        .output()
        .unwrap();
    assert!(
        made.status.success(),
        "{}{}",
        String::from_utf8_lossy(&made.stdout),
        String::from_utf8_lossy(&made.stderr)
    );

    let zip_name = format!("terraform-provider-ory_{VERSION}_linux_amd64.zip");
    let mut names: Vec<String> =
        std::fs::read_dir(dist.path()).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    names.sort();
    assert_eq!(
        names,
        [
            format!("ory-console-emulator_{VERSION}_SHA256SUMS"),
            format!("ory-console-emulator_{VERSION}_linux_amd64.tar.gz"),
            format!("terraform-provider-ory_{VERSION}_SHA256SUMS"),
            zip_name.clone(),
            format!("terraform-provider-ory_{VERSION}_manifest.json"),
        ]
    );
    let manifest: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dist.path().join(format!("terraform-provider-ory_{VERSION}_manifest.json"))).unwrap(),
    )
    .unwrap();
    assert_eq!(manifest, serde_json::json!({"version": 1, "metadata": {"protocol_versions": ["6.0"]}}));
    for sums in
        [format!("terraform-provider-ory_{VERSION}_SHA256SUMS"), format!("ory-console-emulator_{VERSION}_SHA256SUMS")]
    {
        let checked =
            Command::new("sha256sum").args(["--check", "--strict", &sums]).current_dir(dist.path()).output().unwrap();
        assert!(checked.status.success(), "{sums}: {}", String::from_utf8_lossy(&checked.stdout));
    }
    let (h1, zh) = hashes_of(&dist.path().join(&zip_name));
    let sums =
        std::fs::read_to_string(dist.path().join(format!("terraform-provider-ory_{VERSION}_SHA256SUMS"))).unwrap();
    assert!(sums.contains(&format!("{}  {zip_name}", zh.trim_start_matches("zh:"))), "{sums}");

    // The packed layout of a filesystem mirror: the zip as released.
    let mirror = tempfile::tempdir().unwrap();
    let package_dir = mirror.path().join("terraform.local/ory/ory");
    std::fs::create_dir_all(&package_dir).unwrap();
    std::fs::copy(dist.path().join(&zip_name), package_dir.join(&zip_name)).unwrap();

    let emulator = Emulator::start();
    let tf = Tf::from_mirror(&emulator, mirror.path(), "released");
    tf.init();
    let from_init = locked_hashes(&tf);
    assert!(from_init.contains(&h1), "terraform init locked {from_init:?}; the zip's h1 is {h1}");
    assert!(from_init.iter().all(|h| *h == h1 || *h == zh), "{from_init:?} holds a hash that is not the zip's");

    std::fs::remove_file(tf.dir().join(".terraform.lock.hcl")).unwrap();
    let mirror_arg = format!("-fs-mirror={}", mirror.path().display());
    tf.run(&["providers", "lock", &mirror_arg, "-platform=linux_amd64", "terraform.local/ory/ory"]);
    let from_lock = locked_hashes(&tf);
    assert!(from_lock.contains(&h1), "terraform providers lock locked {from_lock:?}; the zip's h1 is {h1}");
    assert!(from_lock.iter().all(|h| *h == h1 || *h == zh), "{from_lock:?} holds a hash that is not the zip's");

    // The lock file verifies the package, and the packaged binary serves.
    tf.init();
    tf.apply(&[]);
    assert_eq!(emulator.objects()["ory_project"].len(), 1);
}
