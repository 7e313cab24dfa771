//! Creating without duplicates, orphans or sharing.
//!
//! A POST whose answer was lost (a 5xx, a connection broken after sending, an
//! answer that could not be read) may or may not have made its object. It is
//! never sent again blindly, and its object is never looked for by "looks
//! similar and is recent": a caller may create many look-alike objects at
//! once (Terraform at `-parallelism`), and a sibling's object looks just the
//! same.
//!
//! # The rule
//!
//! Creates are grouped by *gate*: the creates whose objects can appear in one
//! another's listings (the keys of one project, the streams of one project,
//! the projects, the workspaces). For each gate this process keeps:
//!
//! - a **baseline**: the IDs a listing showed before any create running now was
//!   sent. It is taken while no create of the gate is in flight, and kept
//!   while creates of the gate run. A burst of creates that starts within
//!   [`BASELINE_REUSE`] of the baseline being taken uses it too, so that
//!   creates that Terraform spreads over many projects (one key here, one
//!   there) do not each cost a listing;
//! - the **claimed** IDs: every object a create of this process made (its
//!   answer arrived) or adopted. They are never candidates again;
//! - the **unresolved** attempts: creates whose answer was lost, with the
//!   fields they asked for (their *fingerprint*: what a listing shows of
//!   them).
//!
//! Creates of a gate are sent concurrently (a shared turn). When an answer is
//! lost, the create waits for an exclusive turn: every create of the gate then
//! in flight has ended, its object claimed or its attempt unresolved, and no
//! new one is sent until this one is resolved. It then lists, and its
//! candidates are the listed objects that are not in the baseline, not
//! claimed, and have its fingerprint. By construction, each candidate was made
//! either by an unresolved attempt with the same fingerprint or by someone
//! outside this process:
//!
//! - no candidate: the attempt made nothing, and it is sent again;
//! - more candidates than unresolved attempts with this fingerprint: someone
//!   else is creating the same objects. Nothing is touched; the create fails
//!   with [`Error::Ambiguous`], which names the candidates;
//! - otherwise each candidate is one of the group's. Objects that are useful
//!   are adopted: the create takes the first candidate (by ID), claims it, and
//!   where the API hides a field that could tell the group's objects apart
//!   (an event stream's password), sets it to its own body. The objects of a
//!   group asked for the same visible fields, so once set they are the same
//!   in everything the resource manages: whichever one a create takes, each
//!   resource ends with exactly one object of its own. Objects that are of no
//!   use (an API key, whose value died with the answer) are all deleted, and
//!   the create is sent again.
//!
//! Which object is ours never depends on clocks or on how long anything
//! takes; time only bounds how long a baseline is reused.
//!
//! # What it cannot see
//!
//! The API has no idempotency key and no client-chosen ID, so another client
//! creating an object with the same fields in the same gate, between the
//! baseline and the resolution, looks exactly like one of ours. A gate's
//! baseline lives only as long as a burst of creates on it, or
//! [`BASELINE_REUSE`] if that is longer, which keeps that window short; when
//! such objects outnumber our attempts, the create stops and names them. Likewise a server that finishes a create after the listing
//! that resolves it (a gateway's 502 while the backend carries on) leaves an
//! object no listing of ours attributes; a later resolution in the same gate
//! may still adopt or delete it.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use futures::future::BoxFuture;

use super::{retry, Client, Error};

/// How long after it was taken a gate's baseline may serve a new burst of
/// creates. At 500 objects over 50 projects, a new listing per create doubled
/// an apply's calls; this window is what an outsider's look-alike object
/// needs to fall into to be taken for one of ours (see "What it cannot see").
pub(crate) const BASELINE_REUSE: Duration = Duration::from_secs(30);

/// One object of a listing, as recovery compares it.
pub(crate) struct Listed<L> {
    pub id: String,
    /// What the listing shows of the fields a create sets.
    pub fingerprint: String,
    pub item: L,
}

/// A call made while creating, boxed so that each area can hand over its own.
pub(crate) type Call<'a, T> = Box<dyn Fn() -> BoxFuture<'a, Result<T, Error>> + Send + Sync + 'a>;

/// What to do with an object an unanswered create made.
pub(crate) enum Recovered<'a, T, L> {
    /// Use it: turn the listed object into what the create returns.
    Adopt(Box<dyn Fn(L) -> BoxFuture<'a, Result<T, Error>> + Send + Sync + 'a>),
    /// It is of no use (a key whose value died with the answer): delete it by
    /// ID (a 404 counts as done), then create again.
    Discard(Box<dyn Fn(String) -> BoxFuture<'a, Result<(), Error>> + Send + Sync + 'a>),
}

/// One create, as [`Client::create_once`] runs it.
pub(crate) struct Create<'a, T, L> {
    /// What is created, for messages: "event stream".
    pub what: &'static str,
    /// The creates whose objects can appear in one another's listings.
    pub gate: String,
    /// Which listing `list` reads; one gate may be read through several.
    pub source: String,
    /// What `list` will show of the object this create asks for.
    pub fingerprint: String,
    pub post: Call<'a, T>,
    pub id: fn(&T) -> &str,
    /// The listing. Recovery runs to its end even when the caller is
    /// interrupted, since an object may exist; so should this call.
    pub list: Call<'a, Vec<Listed<L>>>,
    /// The same listing, named for a later process (see `inflight`).
    pub listing: super::inflight::Listing,
    pub recovered: Recovered<'a, T, L>,
}

/// What this process's creates made and are resolving, per gate. One per
/// client, shared by its clones.
#[derive(Default)]
pub(crate) struct Ledger {
    gates: Mutex<HashMap<String, Arc<Gate>>>,
    attempts: AtomicU64,
}

#[derive(Default)]
struct Gate {
    /// Shared while creates are sent; exclusive while a baseline is taken or
    /// an unanswered create is resolved.
    turn: tokio::sync::RwLock<()>,
    book: Mutex<Book>,
}

#[derive(Default)]
struct Book {
    /// Per source, the IDs listed before any create running now was sent,
    /// and when.
    baselines: HashMap<String, Baseline>,
    /// Made or adopted by this process: never a candidate.
    claimed: HashSet<String>,
    /// Creates of this gate in progress; a burst starts when it leaves 0.
    running: usize,
    /// Attempts whose answer was lost and which are not resolved yet, with their fingerprints.
    unresolved: HashMap<u64, String>,
}

struct Baseline {
    ids: HashSet<String>,
    taken: Instant,
}

impl Gate {
    fn book(&self) -> MutexGuard<'_, Book> {
        self.book.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl Ledger {
    fn gate(&self, name: &str) -> Arc<Gate> {
        let mut gates = self.gates.lock().unwrap_or_else(|p| p.into_inner());
        gates.entry(name.to_string()).or_default().clone()
    }
}

/// A create in progress on a gate. The first of a burst drops baselines
/// older than [`BASELINE_REUSE`], so that the burst lists afresh.
struct Running<'g>(&'g Gate);

impl<'g> Running<'g> {
    fn enter(gate: &'g Gate) -> Running<'g> {
        let mut book = gate.book();
        if book.running == 0 {
            book.drop_stale_baselines(Instant::now());
        }
        book.running += 1;
        Running(gate)
    }
}

impl Book {
    fn drop_stale_baselines(&mut self, now: Instant) {
        self.baselines.retain(|_, baseline| now.saturating_duration_since(baseline.taken) < BASELINE_REUSE);
    }
}

impl Drop for Running<'_> {
    fn drop(&mut self) {
        self.0.book().running -= 1;
    }
}

/// An attempt whose answer was lost, counted until it is resolved.
struct Unresolved<'g>(&'g Gate, u64);

impl Drop for Unresolved<'_> {
    fn drop(&mut self) {
        self.0.book().unresolved.remove(&self.1);
    }
}

/// A create written down as sent; dropped, it writes down how it ended.
/// A process killed first never does: that is the trace.
struct InFlight {
    journal: Option<Arc<super::inflight::Journal>>,
    seq: u64,
    made: Option<String>,
}

impl InFlight {
    fn made(&mut self, id: &str) {
        self.made = Some(id.to_string());
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        if let Some(journal) = &self.journal {
            journal.done(self.seq, self.made.as_deref());
        }
    }
}

/// What resolving an unanswered attempt decided.
#[derive(Debug, PartialEq)]
enum Decision {
    /// Nothing of ours is there: send again.
    Nothing,
    /// These are the group's: adopt the first, or discard them all.
    Ours(Vec<String>),
    /// More than the group could have made.
    TooMany(Vec<String>),
}

/// The rule of the module docs, on plain data.
fn decide(
    listed: &[(String, String)],
    baseline: &HashSet<String>,
    claimed: &HashSet<String>,
    fingerprint: &str,
    attempts: usize,
) -> Decision {
    let mut candidates: Vec<String> = listed
        .iter()
        .filter(|(id, fp)| fp == fingerprint && !baseline.contains(id) && !claimed.contains(id))
        .map(|(id, _)| id.clone())
        .collect();
    candidates.sort();
    candidates.dedup();
    match candidates.len() {
        0 => Decision::Nothing,
        n if n > attempts => Decision::TooMany(candidates),
        _ => Decision::Ours(candidates),
    }
}

/// Resolves an unanswered attempt, holding the gate's exclusive turn:
/// `Some` when it adopted an object, `None` when nothing of it is left and
/// it may be sent again.
async fn resolve<T, L>(gate: &Gate, create: &Create<'_, T, L>) -> Result<Option<T>, Error> {
    let listed = (create.list)().await?;
    let (decision, attempts) = {
        let book = gate.book();
        let pairs: Vec<(String, String)> = listed.iter().map(|l| (l.id.clone(), l.fingerprint.clone())).collect();
        let empty = HashSet::new();
        let baseline = book.baselines.get(&create.source).map_or(&empty, |b| &b.ids);
        let attempts = book.unresolved.values().filter(|f| **f == create.fingerprint).count();
        (decide(&pairs, baseline, &book.claimed, &create.fingerprint, attempts), attempts)
    };
    match (decision, &create.recovered) {
        (Decision::Nothing, _) => Ok(None),
        (Decision::TooMany(candidates), _) => Err(Error::Ambiguous { what: create.what, candidates, attempts }),
        (Decision::Ours(candidates), Recovered::Adopt(adopt)) => {
            let chosen = listed.into_iter().find(|l| l.id == candidates[0]).expect("candidates come from the listing");
            let adopted = adopt(chosen.item).await?;
            gate.book().claimed.insert((create.id)(&adopted).to_string());
            tracing::info!(what = create.what, "adopted the object an unanswered create made");
            Ok(Some(adopted))
        }
        (Decision::Ours(candidates), Recovered::Discard(discard)) => {
            for id in candidates {
                tracing::info!(what = create.what, id, "deleting an object whose answer was lost");
                discard(id).await?;
            }
            Ok(None)
        }
    }
}

impl Error {
    /// Whether a create may have taken effect although no answer says so.
    pub fn is_ambiguous(&self) -> bool {
        match self {
            Error::Api(api) => api.status >= 500,
            Error::Transport { source, .. } => !source.is_connect(),
            // A 2xx whose body could not be read: the object was made.
            Error::Decode { .. } => true,
            // An answer too large to read may have been a 2xx.
            Error::TooLarge { .. } => true,
            _ => false,
        }
    }
}

impl Client {
    /// Runs a create by the rule of this module: sent once, and after a
    /// lost answer resolved by what is provably new before anything is sent
    /// again.
    pub(crate) async fn create_once<T, L>(&self, create: Create<'_, T, L>) -> Result<T, Error> {
        let gate = self.ledger.gate(&create.gate);
        let _running = Running::enter(&gate);
        let mut resent = 0;
        loop {
            let sending = self.sending_turn(&gate, &create).await?;
            let mut in_flight = self.in_flight(&gate, &create);
            let lost = match (create.post)().await {
                Ok(made) => {
                    gate.book().claimed.insert((create.id)(&made).to_string());
                    in_flight.made((create.id)(&made));
                    return Ok(made);
                }
                Err(e) if e.is_ambiguous() => e,
                Err(e) => return Err(e),
            };
            let attempt = self.ledger.attempts.fetch_add(1, Ordering::Relaxed);
            gate.book().unresolved.insert(attempt, create.fingerprint.clone());
            let unresolved = Unresolved(&gate, attempt);
            drop(sending);
            tracing::info!(what = create.what, error = %lost, "no answer to a create; reading back before anything is sent again");
            // Give a late answer time to land; an interrupt cuts the wait
            // short but not the resolution: an object may exist.
            let _ = self.pause(retry::wait(self.retry_base, resent, None)).await;
            let resolving = gate.turn.write().await;
            let resolved = resolve(&gate, &create).await;
            // The attempt stops counting before anyone else may resolve.
            drop(unresolved);
            drop(resolving);
            if let Some(made) = resolved? {
                in_flight.made((create.id)(&made));
                return Ok(made);
            }
            if self.is_stopped() {
                return Err(Error::Stopped);
            }
            if resent >= self.max_retries {
                return Err(lost);
            }
            resent += 1;
        }
    }

    /// Writes a create down before it is sent, with the baseline of its
    /// listing; what it made is written when the returned guard goes.
    fn in_flight<T, L>(&self, gate: &Gate, create: &Create<'_, T, L>) -> InFlight {
        let Some(journal) = self.journal.clone() else { return InFlight { journal: None, seq: 0, made: None } };
        let baseline = gate.book().baselines.get(&create.source).map(|b| b.ids.iter().cloned().collect());
        let seq = journal.sent(create.what, &create.listing, baseline.unwrap_or_default());
        InFlight { journal: Some(journal), seq, made: None }
    }

    /// A shared turn to send a create, once the gate has a baseline for its
    /// listing. Before anything is sent, an interrupt ends the wait.
    async fn sending_turn<'g, T, L>(
        &self,
        gate: &'g Gate,
        create: &Create<'_, T, L>,
    ) -> Result<tokio::sync::RwLockReadGuard<'g, ()>, Error> {
        let shared = self.unless_stopped(gate.turn.read()).await?;
        if gate.book().baselines.contains_key(&create.source) {
            return Ok(shared);
        }
        drop(shared);
        let exclusive = self.unless_stopped(gate.turn.write()).await?;
        if !gate.book().baselines.contains_key(&create.source) {
            let taken = Instant::now();
            let listed = self.unless_stopped((create.list)()).await??;
            let ids = listed.into_iter().map(|l| l.id).collect();
            gate.book().baselines.insert(create.source.clone(), Baseline { ids, taken });
        }
        Ok(exclusive.downgrade())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::console::testbed::Bed;
    use crate::console::{EventStreamBody, Owner};

    fn https(password: &str) -> EventStreamBody {
        EventStreamBody {
            kind: Some("https".into()),
            https_endpoint: Some(format!("https://user:{password}@hooks.example.com/ory")),
            ..Default::default()
        }
    }

    fn distinct(ids: &[String]) -> bool {
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
            let ids = vec![x.unwrap().id, y.unwrap().id];
            assert!(distinct(&ids), "two resources share {ids:?}");
            let listed: Vec<String> = streams.list().await.unwrap().into_iter().map(|s| s.id).collect();
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
        let keys = bed.client.api_keys(Owner::Project(&project));
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
        let project_keys = bed.client.api_keys(Owner::Project(&project));
        let workspace_keys = bed.client.api_keys(Owner::Workspace(&bed.workspace_id));
        let made = futures::future::join_all(
            (0..6).map(|_| project_keys.create("ci", None)).chain((0..4).map(|_| workspace_keys.create("ci", None))),
        )
        .await;
        let made: Vec<_> = made.into_iter().map(|k| k.unwrap()).collect();
        let ids: Vec<String> = made.iter().map(|k| k.id.clone()).collect();
        assert!(distinct(&ids), "{ids:?}");
        assert!(made.iter().all(|k| k.value.is_some()), "every key has its value");
        let listed: Vec<String> = project_keys
            .list()
            .await
            .unwrap()
            .into_iter()
            .chain(workspace_keys.list().await.unwrap())
            .map(|k| k.id)
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
                made.push(other.event_streams(&project).create(&https(password)).await.unwrap().id);
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
        let ids = vec![slow.unwrap().id, lost.unwrap().id];
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
        let keys = bed.client.api_keys(Owner::Project(&project));
        let interrupt = async {
            bed.seen("createProjectApiKey", 1).await;
            bed.stop.send_replace(true);
        };
        let (made, ()) = tokio::join!(keys.create("ci", None), interrupt);
        assert!(matches!(made, Err(Error::Stopped)), "{made:?}");
        assert_eq!(bed.count("createProjectApiKey").await, 1);
        assert!(bed.client.unstoppable().api_keys(Owner::Project(&project)).list().await.unwrap().is_empty());
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
}
