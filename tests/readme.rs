//! The README's walk-through, "Write your own configuration", run as
//! written: its shell blocks in order, in one bash, from the clone's root.

use std::path::Path;
use std::process::Command;

use crate::support::{provider_bin, terraform_bin};

/// The `sh` blocks of the README's section `heading`, in order.
fn shell_blocks(readme: &str, heading: &str) -> String {
    let start = readme.find(heading).unwrap_or_else(|| panic!("the README has no {heading:?}"));
    let section = &readme[start + heading.len()..];
    let section = &section[..section.find("\n## ").unwrap_or(section.len())];
    let mut script = String::new();
    let mut lines = section.lines();
    while let Some(line) = lines.next() {
        if line.trim() == "```sh" {
            for code in lines.by_ref().take_while(|l| l.trim() != "```") {
                script.push_str(code);
                script.push('\n');
            }
        }
    }
    script
}

fn without_colors(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            chars.by_ref().take_while(|c| !c.is_ascii_alphabetic()).for_each(drop);
        } else {
            out.push(c);
        }
    }
    out
}

/// Runs `script` in one bash from the clone's root, as a newcomer's shell
/// would: a home of its own, this run's build standing for `make dev`'s.
/// Gives the output without colors, whether it succeeded, and the home.
fn as_a_newcomer(script: &str) -> (bool, String, tempfile::TempDir) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    // This run's build stands for `make dev`'s (a `cargo build` here would
    // swap the binaries under the tests running beside this one); a
    // target directory elsewhere stands for `target/debug`.
    let built = provider_bin().parent().unwrap().to_path_buf();
    let script = script.replace("target/debug/", &format!("{}/", built.display()));
    let home = tempfile::tempdir().unwrap();
    let terraform = Path::new(&terraform_bin()).parent().map(Path::to_path_buf).filter(|p| !p.as_os_str().is_empty());
    let path = std::env::var("PATH").unwrap_or_default();
    let path = match terraform {
        Some(dir) => format!("{}:{path}", dir.display()),
        None => path,
    };
    let mut bash = Command::new("bash");
    bash.arg("-c")
        .arg(format!("set -euo pipefail\n{script}"))
        .current_dir(root)
        .env("HOME", home.path())
        .env("PATH", path)
        .env("DEV_BIN", &built)
        .env("CHECKPOINT_DISABLE", "1");
    for var in [
        "TF_CLI_CONFIG_FILE",
        "ORY_CONSOLE_API_URL",
        "ORY_PROJECT_API_URL",
        "ORY_WORKSPACE_API_KEY",
        "ORY_WORKSPACE_ID",
        "TF_LOG",
    ] {
        bash.env_remove(var);
    }
    // Cargo and rustup keep their homes: only the walk-through's `~` moves.
    for (var, default) in [("CARGO_HOME", ".cargo"), ("RUSTUP_HOME", ".rustup")] {
        let real = std::env::var(var).unwrap_or_else(|_| format!("{}/{default}", std::env::var("HOME").unwrap()));
        bash.env(var, real);
    }
    let out = bash.output().unwrap();
    let text =
        without_colors(&format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr)));
    (out.status.success(), text, home)
}

#[test]
fn the_readme_walk_through_works_as_written() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let script = shell_blocks(&readme, "## Write your own configuration");
    assert!(script.contains("terraform apply") && script.contains("kill "), "{script}");
    let (ok, text, home) = as_a_newcomer(&script);
    let pid_file = home.path().join("ory-emulator.pid");
    if !ok {
        if let Ok(pid) = std::fs::read_to_string(&pid_file) {
            let _ = Command::new("kill").arg(pid.trim()).status();
        }
        panic!("the walk-through failed:\n{text}");
    }
    for expected in [
        "Plan: 1 to add, 0 to change, 0 to destroy.",
        "Apply complete! Resources: 1 added, 0 changed, 0 destroyed.",
        "No changes.",
        "~ name                = \"my-first-project\" -> \"my-renamed-project\"",
        "Apply complete! Resources: 0 added, 1 changed, 0 destroyed.",
        "Destroy complete! Resources: 1 destroyed.",
    ] {
        assert!(text.contains(expected), "{expected:?} is not in:\n{text}");
    }
    let pid = std::fs::read_to_string(&pid_file).unwrap();
    // SIGTERM lets the emulator finish what it serves; it then exits.
    let gone = (0..200).any(|_| {
        std::thread::sleep(std::time::Duration::from_millis(50));
        !Command::new("kill").args(["-0", pid.trim()]).stderr(std::process::Stdio::null()).status().unwrap().success()
    });
    assert!(gone, "the emulator still runs after the walk-through's kill");
}

/// The README's adopt command, in the set-up the walk-through makes
/// (`make dev` and the emulator's `--print-env`), from a folder of one's own.
#[test]
fn the_readme_adopt_command_works_after_make_dev() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let walk_through = shell_blocks(&readme, "## Write your own configuration");
    let set_up: Vec<&str> = walk_through.lines().filter(|l| l.starts_with("eval ")).collect();
    assert_eq!(set_up.len(), 2, "make dev and the emulator: {walk_through}");
    let adopt = shell_blocks(&readme, "## Adopt projects made in the Ory Console");
    let adopt_line = adopt.lines().next().unwrap();
    assert!(adopt_line.contains(" adopt "), "{adopt}");
    let script = format!(
        "{}\ntrap 'kill \"$(cat ~/ory-emulator.pid)\"' EXIT\ncd \"$(mktemp -d)\"\n{adopt_line}\ngrep -c '^import {{' imports.tf\ngrep -c '^  to = ory_workspace.' imports.tf",
        set_up.join("\n")
    );
    let (ok, text, _home) = as_a_newcomer(&script);
    assert!(ok, "the adopt command failed:\n{text}");
    let counts: Vec<&str> = text.lines().rev().take(2).collect();
    assert_eq!(counts, ["1", "1"], "one import block, the workspace's:\n{text}");
}
