//! `ory_workspace` end to end.

use reqwest::Method;

use crate::support::{actions, assert_no_changes, Emulator, Tf};

const W: &str = "ory_workspace.w";

#[test]
fn workspace_lifecycle() {
    let emulator = Emulator::start();
    let tf = Tf::new(&emulator, "workspace");
    tf.init();

    // 1. Create.
    assert_eq!(tf.apply(&[("name", "team-a")]), actions(&[(W, &["create"])]));
    let state = tf.state_of(W);
    let id = state["id"].as_str().unwrap().to_string();
    let (status, remote) = emulator.call(Method::GET, &format!("/workspaces/{id}"));
    assert_eq!((status, remote["name"].as_str()), (200, Some("team-a")));
    assert!(chrono::DateTime::parse_from_rfc3339(state["created_at"].as_str().unwrap()).is_ok());

    // 2. No changes.
    assert_no_changes(&tf.plan(&[("name", "team-a")]));

    // 3. A rename is in place; created_at stays known in the plan.
    assert_eq!(tf.plan(&[("name", "team-b")]), actions(&[(W, &["update"])]));
    assert_eq!(tf.saved_plan()["resource_changes"][0]["change"]["after"]["created_at"], state["created_at"]);
    tf.apply_saved();
    assert_eq!(emulator.call(Method::GET, &format!("/workspaces/{id}")).1["name"], "team-b");
    assert_eq!(tf.state_of(W)["id"], id.as_str());

    // 4. Nothing about a workspace forces a new one, so there is no replace step.
    // 5. Import, then nothing to do.
    let fresh = Tf::new(&emulator, "workspace");
    fresh.init();
    fresh.run(&["import", "-input=false", "-var=name=team-b", W, &id]);
    assert_no_changes(&fresh.plan(&[("name", "team-b")]));

    // 6. Deleted outside Terraform (in the console; the API cannot): planned again.
    assert_eq!(emulator.admin(Method::DELETE, &format!("/workspaces/{id}")), 204);
    assert_eq!(tf.plan(&[("name", "team-b")]), actions(&[(W, &["create"])]));
    tf.apply_saved();
    let id = tf.state_of(W)["id"].as_str().unwrap().to_string();

    // 7. Destroy only forgets it, and says so.
    let destroyed = tf.run(&["destroy", "-auto-approve", "-input=false", "-var=name=team-b"]);
    assert!(destroyed.text().contains("Workspace still exists in Ory Network"), "{}", destroyed.text());
    assert_eq!(emulator.call(Method::GET, &format!("/workspaces/{id}")).0, 200);
    let shown = tf.run(&["show", "-json"]);
    assert!(!shown.stdout.contains(&id), "the workspace is out of state");
}
