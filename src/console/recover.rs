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
//!   [`BASELINE_REUSE`](super::ledger::BASELINE_REUSE) of the baseline being taken uses it too, so that
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
//! [`BASELINE_REUSE`](super::ledger::BASELINE_REUSE) if that is longer, which keeps that window short; when
//! such objects outnumber our attempts, the create stops and names them. Likewise a server that finishes a create after the listing
//! that resolves it (a gateway's 502 while the backend carries on) leaves an
//! object no listing of ours attributes; a later resolution in the same gate
//! may still adopt or delete it.

use std::collections::HashSet;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Instant;

use futures::future::BoxFuture;

use super::ledger::{Baseline, Gate, Running, Unresolved};
use super::{Client, Error};
use crate::http::retry;

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
    pub listing: super::journal::Listing,
    pub recovered: Recovered<'a, T, L>,
}

/// A create written down as sent; dropped, it writes down how it ended.
/// A process killed first never does: that is the trace.
struct InFlight {
    journal: Option<Arc<super::journal::Journal>>,
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
            let _ = self.http().pause(retry::wait(self.http().retries().1, resent, None)).await;
            let resolving = gate.turn.write().await;
            let resolved = resolve(&gate, &create).await;
            // The attempt stops counting before anyone else may resolve.
            drop(unresolved);
            drop(resolving);
            if let Some(made) = resolved? {
                in_flight.made((create.id)(&made));
                return Ok(made);
            }
            if self.http().is_stopped() {
                return Err(Error::Stopped);
            }
            if resent >= self.http().retries().0 {
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
        let shared = self.http().unless_stopped(gate.turn.read()).await?;
        if gate.book().baselines.contains_key(&create.source) {
            return Ok(shared);
        }
        drop(shared);
        let exclusive = self.http().unless_stopped(gate.turn.write()).await?;
        if !gate.book().baselines.contains_key(&create.source) {
            let taken = Instant::now();
            let listed = self.http().unless_stopped((create.list)()).await??;
            let ids = listed.into_iter().map(|l| l.id).collect();
            gate.book().baselines.insert(create.source.clone(), Baseline { ids, taken });
        }
        Ok(exclusive.downgrade())
    }
}

#[cfg(test)]
mod tests;
