use super::*;
use crate::console::ledger::{Book, BASELINE_REUSE};
use crate::console::testbed::Bed;
use crate::console::{EventStreamBody, Owner};
use std::time::Duration;

fn https(password: &str) -> EventStreamBody {
    EventStreamBody {
        kind: Some("https".into()),
        https_endpoint: Some(format!("https://user:{password}@hooks.example.com/ory")),
        ..Default::default()
    }
}

fn distinct<T: std::hash::Hash + Eq>(ids: &[T]) -> bool {
    ids.iter().collect::<HashSet<_>>().len() == ids.len()
}

/// Issue 7: two streams that differ only in their password, one answer
/// lost after the stream was made. Each create ends with its own stream.
#[tokio::test]
async fn a_lost_answer_never_adopts_a_siblings_stream() {
    for lost_first in [true, false] {
        let bed = Bed::start().await;
        let project = bed.project().await;
        let (a, b) = (https("s3cr3t-4"), https("s3cr3t-9"));
        // Whichever POST arrives first (or second) commits and loses its answer.
        let faults = if lost_first {
            vec![("createEventStream", "commit_then_drop", 50)]
        } else {
            vec![("createEventStream", "latency", 0), ("createEventStream", "commit_then_drop", 50)]
        };
        bed.script(&faults).await;
        let streams = bed.client.event_streams(&project);
        let (x, y) = tokio::join!(streams.create(&a), streams.create(&b));
        let ids = vec![x.unwrap().id.to_string(), y.unwrap().id.to_string()];
        assert!(distinct(&ids), "two resources share {ids:?}");
        let listed: Vec<String> = streams.list().await.unwrap().into_iter().map(|s| s.id.into()).collect();
        assert_eq!(listed.len(), 2, "{listed:?}");
        assert!(ids.iter().all(|id| listed.contains(id)));
        assert_eq!(bed.count("createEventStream").await, 2, "nothing was sent twice");
        assert_eq!(bed.count("setEventStream").await, 1, "the adopted stream was set to its own body");
    }
}

/// Creates one after another in a gate, as Terraform sends them when it
/// spreads its parallelism over many projects, share one baseline.
#[tokio::test]
async fn creates_one_after_another_share_a_baseline() {
    let bed = Bed::start().await;
    let project = bed.project().await;
    let keys = bed.client.api_keys(Owner::Project(project.clone()));
    for i in 0..5 {
        keys.create(&format!("key-{i}"), None).await.unwrap();
    }
    assert_eq!(bed.count("createProjectApiKey").await, 5);
    assert_eq!(bed.count("listProjectApiKeys").await, 1);
}

#[test]
fn a_new_burst_lists_afresh_once_the_baseline_is_old() {
    let now = Instant::now();
    let mut book = Book::default();
    for (source, age) in [("fresh", 1), ("stale", BASELINE_REUSE.as_secs() + 1)] {
        let taken = now.checked_sub(Duration::from_secs(age)).unwrap();
        book.baselines.insert(source.into(), Baseline { ids: HashSet::new(), taken });
    }
    book.drop_stale_baselines(now);
    assert_eq!(book.baselines.keys().collect::<Vec<_>>(), ["fresh"]);
}

/// Issue 7: same-name keys made in parallel, some answers lost after the
/// key was made: the lost keys are deleted and made again, never a sibling's.
#[tokio::test]
async fn lost_keys_are_replaced_without_touching_siblings() {
    let bed = Bed::start().await;
    let project = bed.project().await;
    bed.script(&[
        ("createProjectApiKey", "commit_then_drop", 30),
        ("createProjectApiKey", "500", 0),
        ("createProjectApiKey", "commit_then_drop", 10),
        ("createWorkspaceApiKey", "commit_then_drop", 20),
        ("createWorkspaceApiKey", "reset", 0),
    ])
    .await;
    let project_keys = bed.client.api_keys(Owner::Project(project.clone()));
    let workspace_keys = bed.client.api_keys(Owner::Workspace(bed.workspace_id.clone()));
    let made = futures::future::join_all(
        (0..6).map(|_| project_keys.create("ci", None)).chain((0..4).map(|_| workspace_keys.create("ci", None))),
    )
    .await;
    let made: Vec<_> = made.into_iter().map(|k| k.unwrap()).collect();
    let ids: Vec<String> = made.iter().map(|k| k.id.to_string()).collect();
    assert!(distinct(&ids), "{ids:?}");
    assert!(made.iter().all(|k| k.value.is_some()), "every key has its value");
    let listed: Vec<String> = project_keys
        .list()
        .await
        .unwrap()
        .into_iter()
        .chain(workspace_keys.list().await.unwrap())
        .map(|k| k.id.into())
        .collect();
    assert_eq!(listed.len(), 10, "{listed:?}");
    assert!(ids.iter().all(|id| listed.contains(id)), "a recorded key was deleted");
}

/// Objects that another client makes meanwhile are never guessed between.
#[tokio::test]
async fn more_candidates_than_lost_answers_stops_and_names_them() {
    let bed = Bed::start().await;
    let project = bed.project().await;
    // Our answer is lost after long enough for the outsider to finish.
    bed.script(&[("createEventStream", "500", 2000)]).await;
    let streams = bed.client.event_streams(&project);
    let body = https("ours");
    let ours = streams.create(&body);
    let theirs = async {
        bed.seen("createEventStream", 1).await;
        let other = bed.outsider();
        let mut made = Vec::new();
        for password in ["a", "b"] {
            made.push(other.event_streams(&project).create(&https(password)).await.unwrap().id.to_string());
        }
        made
    };
    let (ours, mut theirs) = tokio::join!(ours, theirs);
    match ours {
        Err(Error::Ambiguous { candidates, attempts, .. }) => {
            theirs.sort();
            assert_eq!(candidates, theirs);
            assert_eq!(attempts, 1);
        }
        other => panic!("expected an ambiguity error, got {other:?}"),
    }
    assert_eq!(streams.list().await.unwrap().len(), 2, "nothing was adopted, deleted or sent again");
}

/// Ctrl-C while a create is on its way: its answer is still awaited, and
/// one whose answer was lost is still resolved.
#[tokio::test]
async fn an_interrupt_never_abandons_a_sent_create() {
    let bed = Bed::start().await;
    let project = bed.project().await;
    bed.script(&[("createEventStream", "latency", 500), ("createEventStream", "commit_then_drop", 500)]).await;
    let streams = bed.client.event_streams(&project);
    let interrupt = async {
        bed.seen("createEventStream", 2).await;
        bed.stop.send_replace(true);
    };
    let (a, b) = (https("a"), https("b"));
    let (slow, lost, ()) = tokio::join!(streams.create(&a), streams.create(&b), interrupt);
    let ids = vec![slow.unwrap().id.to_string(), lost.unwrap().id.to_string()];
    assert!(distinct(&ids));
    let calm = bed.client.unstoppable();
    assert_eq!(calm.event_streams(&project).list().await.unwrap().len(), 2);
    // Once interrupted, nothing new is sent.
    let before = bed.count("createEventStream").await;
    assert!(matches!(streams.create(&https("c")).await, Err(Error::Stopped)));
    assert_eq!(bed.count("createEventStream").await, before);
}

/// A lost answer that made nothing, during an interrupt: not sent again.
#[tokio::test]
async fn an_interrupted_create_that_made_nothing_is_not_resent() {
    let bed = Bed::start().await;
    let project = bed.project().await;
    bed.script(&[("createProjectApiKey", "503", 500)]).await;
    let keys = bed.client.api_keys(Owner::Project(project.clone()));
    let interrupt = async {
        bed.seen("createProjectApiKey", 1).await;
        bed.stop.send_replace(true);
    };
    let (made, ()) = tokio::join!(keys.create("ci", None), interrupt);
    assert!(matches!(made, Err(Error::Stopped)), "{made:?}");
    assert_eq!(bed.count("createProjectApiKey").await, 1);
    assert!(bed.client.unstoppable().api_keys(Owner::Project(project.clone())).list().await.unwrap().is_empty());
}

fn listed(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
}

fn set(ids: &[&str]) -> HashSet<String> {
    ids.iter().map(|s| s.to_string()).collect()
}

#[test]
fn only_new_unclaimed_objects_with_the_fingerprint_are_candidates() {
    let now = listed(&[("a", "ci"), ("b", "ci"), ("c", "ci"), ("d", "other"), ("e", "ci")]);
    // a existed before, b is a sibling's, d asked for something else.
    let decision = decide(&now, &set(&["a"]), &set(&["b"]), "ci", 2);
    assert_eq!(decision, Decision::Ours(vec!["c".into(), "e".into()]));
}

#[test]
fn nothing_new_means_nothing_was_made() {
    let now = listed(&[("a", "ci"), ("b", "ci")]);
    assert_eq!(decide(&now, &set(&["a"]), &set(&["b"]), "ci", 1), Decision::Nothing);
}

#[test]
fn more_candidates_than_unanswered_attempts_is_never_guessed() {
    let now = listed(&[("x", "ci"), ("y", "ci")]);
    assert_eq!(decide(&now, &set(&[]), &set(&[]), "ci", 1), Decision::TooMany(vec!["x".into(), "y".into()]));
}
