//! Issue 7: nothing shared, nothing orphaned. Applies whose answers are lost,
//! that are interrupted, or that run 50 creates at once; each ends checked
//! against the emulator's own listing, not Terraform's word.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use serde_json::json;

use crate::support::{assert_exactly, assert_no_changes, assert_state_is_remote, interrupt, Emulator, Tf};

/// Every fault the emulator can inject, drawn alike.
const MIXED: [&str; 7] = ["429", "500", "502", "503", "reset", "latency", "commit_then_drop"];

fn mixed(rate: f64, seed: Option<u64>) -> serde_json::Value {
    json!({"rate": rate, "kinds": MIXED, "latency_ms": 50, "seed": seed})
}

/// A whole number from the environment, for `make soak` to size runs up.
fn sized(var: &str, default: usize) -> usize {
    std::env::var(var).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// The size of a `crowd` configuration.
struct Crowd {
    projects: usize,
    keys_per_project: usize,
    https_per_project: usize,
    sns_per_project: usize,
    workspace_keys: usize,
}

impl Crowd {
    fn args(&self, command: &str, emulator: &Emulator, extra: &[&str]) -> Vec<String> {
        let mut args: Vec<String> = vec![command.into(), "-auto-approve".into(), "-input=false".into()];
        args.extend(extra.iter().map(|a| a.to_string()));
        args.push(format!("-var=workspace_id={}", emulator.workspace_id));
        for (name, value) in [
            ("projects", self.projects),
            ("keys_per_project", self.keys_per_project),
            ("https_per_project", self.https_per_project),
            ("sns_per_project", self.sns_per_project),
            ("workspace_keys", self.workspace_keys),
        ] {
            args.push(format!("-var={name}={value}"));
        }
        args
    }

    fn expected(&self) -> Vec<(&'static str, usize)> {
        vec![
            ("ory_project", self.projects),
            ("ory_project_api_key", self.projects * self.keys_per_project),
            ("ory_event_stream", self.projects * (self.https_per_project + self.sns_per_project)),
            ("ory_workspace_api_key", self.workspace_keys),
        ]
    }

    fn total(&self) -> usize {
        self.expected().iter().map(|(_, n)| n).sum()
    }
}

fn run(tf: &Tf, args: &[String]) {
    tf.run(&args.iter().map(String::as_str).collect::<Vec<_>>());
}

fn creates(emulator: &Emulator) -> u64 {
    emulator.requests().iter().filter(|(op, _)| op.starts_with("create")).map(|(_, n)| n).sum()
}

/// Issue 7, as reported: two HTTPS streams of one project that differ only in
/// their password ended up with one ID, under 20% mixed faults, seed 7. That
/// needs a stream create to lose its answer after taking effect while a
/// sibling's is in flight, which those odds give only now and then; so the
/// first six stream creates lose their answers that way, on top.
#[test]
fn issue_7_streams_that_differ_only_in_their_password_are_never_shared() {
    let emulator = Emulator::start();
    let tf = Tf::new(&emulator, "shared_streams");
    tf.init();
    let before = emulator.objects();
    let mut faults = mixed(0.2, Some(7));
    faults["script"] = json!((0..6)
        .map(|_| json!({"operation": "createEventStream", "kind": "commit_then_drop", "delay_ms": 20}))
        .collect::<Vec<_>>());
    emulator.faults(faults);
    let ws = format!("-var=workspace_id={}", emulator.workspace_id);
    tf.run(&["apply", "-auto-approve", "-input=false", &ws]);
    let expected =
        [("ory_project", 5), ("ory_project_api_key", 15), ("ory_event_stream", 10), ("ory_workspace_api_key", 3)];
    assert_exactly(&tf, &emulator, &before, &expected);
    // The refresh, under the same faults, finds nothing to change.
    assert_no_changes(&tf.plan(&[("workspace_id", &emulator.workspace_id)]));
    tf.run(&["destroy", "-auto-approve", "-input=false", &ws]);
    assert_exactly(&tf, &emulator, &before, &[]);
    eprintln!("faults injected: {:?} in {} requests", emulator.injected(), emulator.requests().values().sum::<u64>());
}

/// Issue 7, as reported: same-name keys at -parallelism=20 under 25% faults;
/// the recovery of one key deleted keys its siblings had made and recorded.
#[test]
fn issue_7_same_name_keys_are_never_deleted_for_a_sibling() {
    let emulator = Emulator::start();
    let tf = Tf::new(&emulator, "same_name_keys");
    tf.init();
    let before = emulator.objects();
    emulator.faults(mixed(0.25, None));
    let ws = format!("-var=workspace_id={}", emulator.workspace_id);
    tf.run(&["apply", "-auto-approve", "-input=false", "-parallelism=20", &ws]);
    let expected = [("ory_project", 1), ("ory_project_api_key", 12), ("ory_workspace_api_key", 4)];
    assert_exactly(&tf, &emulator, &before, &expected);
    assert_no_changes(&tf.plan(&[("workspace_id", &emulator.workspace_id)]));
    tf.run(&["destroy", "-auto-approve", "-input=false", "-parallelism=20", &ws]);
    assert_exactly(&tf, &emulator, &before, &[]);
    eprintln!("faults injected: {:?}", emulator.injected());
}

/// Ctrl-C during an apply of 40 objects, each request slowed down: whatever
/// was made is in the state, whatever is in the state exists, and the next
/// apply makes the rest without a duplicate. `ORY_INTERRUPT_RUNS` runs, each
/// interrupted after a different number of creates.
#[test]
fn an_interrupted_apply_loses_nothing() {
    let emulator = Emulator::start();
    let tf = Tf::new(&emulator, "crowd");
    tf.init();
    let crowd = Crowd { projects: 4, keys_per_project: 4, https_per_project: 2, sns_per_project: 1, workspace_keys: 8 };
    assert!(crowd.total() >= 40);
    let runs = sized("ORY_INTERRUPT_RUNS", 3);
    let before = emulator.objects();
    for run_no in 0..runs {
        emulator.reset();
        for file in ["terraform.tfstate", "terraform.tfstate.backup"] {
            let _ = std::fs::remove_file(tf.dir().join(file));
        }
        // Every request is slow, and some lose their answer after taking effect.
        emulator.faults(json!({"rate": 1.0, "kinds": ["latency", "latency", "latency", "latency", "commit_then_drop"], "latency_ms": 150}));
        // Early, midway and late in the apply, differently each run.
        let at = 1 + (run_no * 17 + 3) as u64 % (crowd.total() as u64 - 4);
        let args = crowd.args("apply", &emulator, &[]);
        let mut child = tf.spawn(&args.iter().map(String::as_str).collect::<Vec<_>>());
        let started = Instant::now();
        while creates(&emulator) < at && child.try_wait().unwrap().is_none() {
            std::thread::sleep(Duration::from_millis(10));
        }
        interrupt(&child);
        let status = child.wait().unwrap();
        let stopped_after = started.elapsed();
        emulator.faults(json!({"rate": 0}));
        let sent = creates(&emulator);
        let kept = assert_state_is_remote(&tf, &emulator, &before);
        let kept_total: usize = kept.values().sum();
        assert!(
            tf.spawned_output().contains("Interrupt received") || status.success(),
            "terraform did not see the interrupt:\n{}",
            tf.spawned_output()
        );
        run(&tf, &crowd.args("apply", &emulator, &[]));
        let made_after = creates(&emulator) - sent;
        assert_exactly(&tf, &emulator, &before, &crowd.expected());
        eprintln!(
            "interrupted run {}: Ctrl-C after {at} creates sent, terraform exited ({status}) {:.1}s in; {sent} create requests; \
             state = emulator with {kept_total} objects ({kept:?}), 0 orphans; the next apply made {made_after} more, total {}",
            run_no + 1,
            stopped_after.as_secs_f64(),
            crowd.total()
        );
    }
}

/// 200 objects that look alike, 50 creates at a time, under 20% mixed faults:
/// exactly the configured set, no shared ID, no orphan, an empty plan, and
/// a destroy that leaves nothing.
#[test]
fn two_hundred_look_alike_objects_at_parallelism_50_under_faults() {
    let emulator = Emulator::start();
    let tf = Tf::new(&emulator, "crowd");
    tf.init();
    let crowd =
        Crowd { projects: 16, keys_per_project: 4, https_per_project: 3, sns_per_project: 2, workspace_keys: 40 };
    assert_eq!(crowd.total(), 200);
    let before = emulator.objects();
    emulator.faults(mixed(0.2, None));
    run(&tf, &crowd.args("apply", &emulator, &["-parallelism=50"]));
    assert_exactly(&tf, &emulator, &before, &crowd.expected());
    let mut vars: Vec<(String, String)> = vec![("workspace_id".into(), emulator.workspace_id.clone())];
    for (name, value) in [
        ("projects", 16),
        ("keys_per_project", 4),
        ("https_per_project", 3),
        ("sns_per_project", 2),
        ("workspace_keys", 40),
    ] {
        vars.push((name.into(), value.to_string()));
    }
    let vars: Vec<(&str, &str)> = vars.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    assert_no_changes(&tf.plan(&vars));
    run(&tf, &crowd.args("destroy", &emulator, &["-parallelism=50"]));
    assert_exactly(&tf, &emulator, &before, &[]);
    eprintln!("faults injected: {:?} in {} requests", emulator.injected(), emulator.requests().values().sum::<u64>());
}

/// Apply and destroy, again and again, under faults: each apply holds exactly
/// the configuration, and each destroy leaves the workspace as it started.
/// `ORY_SOAK_CYCLES` and `ORY_SOAK_PROJECTS` size it (`make soak`).
#[test]
fn apply_destroy_cycles_under_faults_leave_the_workspace_as_it_started() {
    let emulator = Emulator::start();
    let tf = Tf::new(&emulator, "crowd");
    tf.init();
    let projects = sized("ORY_SOAK_PROJECTS", 2);
    let crowd = Crowd {
        projects,
        keys_per_project: 4,
        https_per_project: 3,
        sns_per_project: 2,
        workspace_keys: sized("ORY_SOAK_WORKSPACE_KEYS", 5),
    };
    let cycles = sized("ORY_SOAK_CYCLES", 10);
    let before = emulator.objects();
    // How many resources, over all cycles, held each ID: one, if nothing is shared.
    let mut holders: BTreeMap<String, usize> = BTreeMap::new();
    for cycle in 1..=cycles {
        emulator.faults(mixed(0.2, None));
        run(&tf, &crowd.args("apply", &emulator, &["-parallelism=50"]));
        assert_exactly(&tf, &emulator, &before, &crowd.expected());
        for id in tf.state_ids().into_values().flatten() {
            *holders.entry(id).or_default() += 1;
        }
        run(&tf, &crowd.args("destroy", &emulator, &["-parallelism=50"]));
        assert_exactly(&tf, &emulator, &before, &[]);
        assert_eq!(emulator.objects(), before, "cycle {cycle}: the workspace is not as it started");
        eprintln!(
            "soak cycle {cycle}/{cycles}: {} objects made and destroyed; faults {:?}",
            crowd.total(),
            emulator.injected()
        );
    }
    let shared: Vec<_> = holders.iter().filter(|(_, n)| **n > 1).collect();
    eprintln!(
        "soak: {} resources over {cycles} cycles held {} distinct IDs; most resources per ID: {}",
        cycles * crowd.total(),
        holders.len(),
        holders.values().max().unwrap_or(&0)
    );
    assert!(shared.is_empty(), "IDs held by more than one resource: {shared:?}");
    assert_eq!(holders.len(), cycles * crowd.total());
}

/// The orphans a run leaves: objects live in the emulator that were not
/// there before and that no resource in the state holds.
fn orphans(tf: &Tf, emulator: &Emulator, before: &BTreeMap<String, Vec<String>>) -> std::collections::BTreeSet<String> {
    let held: std::collections::BTreeSet<String> = tf.state_ids().into_values().flatten().collect();
    let old: std::collections::BTreeSet<&String> = before.values().flatten().collect();
    emulator.objects().into_values().flatten().filter(|id| !held.contains(id) && !old.contains(id)).collect()
}

/// Issue 20, finding 9: `kill -9` of the provider in the middle of an apply
/// of slow creates. The next run names, with their IDs, exactly the objects
/// the killed process made and no state holds, and says so until they are
/// dealt with; then it stops saying so and forgets the trace.
#[test]
fn a_killed_provider_s_creates_are_named_by_the_next_run() {
    let emulator = Emulator::start();
    let tf = Tf::new(&emulator, "crowd");
    tf.init();
    let crowd = Crowd { projects: 2, keys_per_project: 4, https_per_project: 2, sns_per_project: 1, workspace_keys: 6 };
    let before = emulator.objects();
    emulator.faults(json!({"rate": 1.0, "kinds": ["latency"], "latency_ms": 400}));
    let args = crowd.args("apply", &emulator, &[]);
    let mut child = tf.spawn(&args.iter().map(String::as_str).collect::<Vec<_>>());
    while creates(&emulator) < 12 && child.try_wait().unwrap().is_none() {
        std::thread::sleep(Duration::from_millis(10));
    }
    let group = child.id().to_string();
    let killed = std::process::Command::new("pkill")
        .args(["-KILL", "-g", &group, "-f", "terraform-provider-ory"])
        .status()
        .unwrap();
    assert!(killed.success(), "no provider process to kill");
    child.wait().unwrap();
    emulator.faults(json!({"rate": 0}));
    // Let the emulator finish what it was sent.
    std::thread::sleep(Duration::from_millis(600));
    let left = orphans(&tf, &emulator, &before);
    assert!(!left.is_empty(), "the kill left no object in doubt; nothing was tested");

    let plan_args = crowd.args("plan", &emulator, &[]);
    let plan_args: Vec<&str> = plan_args.iter().map(String::as_str).filter(|a| *a != "-auto-approve").collect();
    let text = tf.run(&plan_args).text();
    assert!(text.contains("Objects an earlier run may have made and no state holds"), "{text}");
    let named: std::collections::BTreeSet<String> =
        left.iter().filter(|id| text.contains(id.as_str())).cloned().collect();
    assert_eq!(named, left, "the warning names every orphan:\n{text}");
    let warning = &text[text.find("Warning: Objects an earlier run").unwrap()..];
    let held: Vec<String> =
        tf.state_ids().into_values().flatten().filter(|id| !warning.contains(&format!("project {id}"))).collect();
    assert!(
        held.iter().all(|id| !warning.contains(id.as_str())),
        "the warning names an object the state holds:\n{warning}"
    );
    eprintln!("killed mid-apply: {} orphans, all named by the next plan", left.len());

    // Dealt with (deleted in the console): the warning ends, and the trace with it.
    let objects: serde_json::Value =
        reqwest::blocking::get(format!("{}/__emulator/objects", emulator.url)).unwrap().json().unwrap();
    for (kind, path) in [
        ("project_api_keys", "/projects/{owner}/tokens/{id}"),
        ("workspace_api_keys", "/workspaces/{owner}/tokens/{id}"),
        ("event_streams", "/projects/{owner}/eventstreams/{id}"),
        ("projects", "/projects/{id}"),
    ] {
        for object in objects[kind].as_array().unwrap() {
            let id = object["id"].as_str().unwrap();
            if !left.contains(id) {
                continue;
            }
            let owner = object["project_id"].as_str().or(object["workspace_id"].as_str()).unwrap_or_default();
            let path = path.replace("{owner}", owner).replace("{id}", id);
            let (status, body) = emulator.call(reqwest::Method::DELETE, &path);
            assert!(status < 300, "DELETE {path}: {status} {body}");
        }
    }
    let text = tf.run(&plan_args).text();
    assert!(!text.contains("Objects an earlier run may have made"), "{text}");
    let traces = std::fs::read_dir(tf.dir().join(".terraform/ory-inflight")).map(|d| d.count()).unwrap_or(0);
    assert_eq!(traces, 0, "the trace outlived what it reported");
}
