//! No secret reaches a log, at any level, through a whole lifecycle.

use crate::support::{Emulator, Tf};

#[test]
fn a_full_run_at_trace_level_logs_no_secret() {
    let emulator = Emulator::start();
    let mut tf = Tf::new(&emulator, "secrets");
    tf.init();
    tf.set_env("TF_LOG", "trace");
    let password = "hunter2-endpoint-password";
    // Through the environment: Terraform itself logs its command line at trace level.
    tf.set_env("TF_VAR_hook", &format!("https://ory:{password}@hooks.example.com/ory"));
    let (smtp_password, hook_key) = ("hunter2-smtp-password", "hunter2-web-hook-key");
    tf.set_env("TF_VAR_smtp_password", smtp_password);
    tf.set_env("TF_VAR_hook_key", hook_key);
    let ws = format!("-var=workspace_id={}", emulator.workspace_id);
    let mut log = String::new();
    for args in [
        vec!["apply", "-auto-approve", "-input=false"],
        vec!["plan", "-input=false"],
        vec!["destroy", "-auto-approve", "-input=false"],
    ] {
        let mut args = args;
        args.push(ws.as_str());
        if args[0] == "destroy" {
            // The state is read before destroy; the values are still there.
            let pk = tf.state_of("ory_project_api_key.k")["value"].as_str().unwrap().to_string();
            let wk = tf.state_of("ory_workspace_api_key.k")["value"].as_str().unwrap().to_string();
            log.push_str(&format!("\n@@secrets {pk} {wk}\n"));
        }
        let run = tf.run(&args);
        log.push_str(&run.stdout);
        log.push_str(&run.stderr);
    }
    let secrets_line = log.lines().find(|l| l.starts_with("@@secrets")).unwrap().to_string();
    let log = log.replace(&secrets_line, "");
    let mut secrets: Vec<String> = secrets_line.split(' ').skip(1).map(str::to_string).collect();
    secrets.push(emulator.key.clone());
    secrets.extend([password, smtp_password, hook_key].map(str::to_string));
    assert!(log.contains("provider.terraform-provider-ory"), "the provider's own lines are in the log");
    for secret in &secrets {
        if let Some(line) = log.lines().find(|l| l.contains(secret.as_str())) {
            panic!(
                "a secret ({}...) is in the TF_LOG=trace output: {}",
                &secret[..6],
                line.replace(secret.as_str(), "<SECRET>")
            );
        }
    }
}
