//! What Terraform was asked to do, as far as its command line tells. The
//! protocol does not say: `terraform destroy` first runs a normal plan to
//! refresh the state (hashicorp/terraform#32208), whose PlanResourceChange
//! calls look like any other plan's. A provider that judges a resource's
//! configuration there (asking the API whether its content is valid)
//! would block the destroy of a configuration it refuses.

use std::sync::OnceLock;

/// Whether this provider serves a destroy: `terraform destroy` (or
/// `tofu destroy`), or `plan`/`apply` with `-destroy`, read from the
/// command line of the process that started it. False where that cannot
/// be read (another system than Linux, a provider started by hand).
pub fn destroying() -> bool {
    static DESTROYING: OnceLock<bool> = OnceLock::new();
    *DESTROYING.get_or_init(|| parent_args().is_some_and(|args| is_destroy(&args)))
}

fn parent_args() -> Option<Vec<String>> {
    let parent = std::os::unix::process::parent_id();
    let raw = std::fs::read(format!("/proc/{parent}/cmdline")).ok()?;
    Some(raw.split(|b| *b == 0).filter(|a| !a.is_empty()).map(|a| String::from_utf8_lossy(a).into_owned()).collect())
}

/// Whether `args` (the program, then its arguments) run a destroy: the
/// first argument that is not a global option (`-chdir=...`) is the
/// command.
fn is_destroy(args: &[String]) -> bool {
    let mut rest = args.iter().skip(1).skip_while(|a| a.starts_with('-'));
    match rest.next().map(String::as_str) {
        Some("destroy") => true,
        Some("plan" | "apply") => rest.any(|a| a == "-destroy" || a == "--destroy"),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_destroy_is_told_by_its_command_and_nothing_else() {
        let args = |line: &str| line.split(' ').map(String::from).collect::<Vec<_>>();
        for destroy in [
            "terraform destroy -auto-approve",
            "tofu -chdir=infra destroy",
            "terraform plan -destroy -out=x",
            "terraform apply -input=false -destroy",
        ] {
            assert!(is_destroy(&args(destroy)), "{destroy}");
        }
        for other in [
            "terraform plan",
            "terraform apply -var=mode=destroy",
            "terraform test",
            "terraform import x destroy",
            "terraform",
        ] {
            assert!(!is_destroy(&args(other)), "{other}");
        }
    }
}
