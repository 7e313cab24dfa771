//! What this process's creates made and are resolving, per gate: the
//! bookkeeping of create recovery (see `recover`), apart from the client
//! that holds one.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// How long after it was taken a gate's baseline may serve a new burst of
/// creates. At 500 objects over 50 projects, a new listing per create doubled
/// an apply's calls; this window is what an outsider's look-alike object
/// needs to fall into to be taken for one of ours (see "What it cannot see").
pub(crate) const BASELINE_REUSE: Duration = Duration::from_secs(30);

/// What this process's creates made and are resolving, per gate. One per
/// client, shared by its clones.
#[derive(Default)]
pub(crate) struct Ledger {
    gates: Mutex<HashMap<String, Arc<Gate>>>,
    pub(super) attempts: AtomicU64,
}

#[derive(Default)]
pub(super) struct Gate {
    /// Shared while creates are sent; exclusive while a baseline is taken or
    /// an unanswered create is resolved.
    pub(super) turn: tokio::sync::RwLock<()>,
    pub(super) book: Mutex<Book>,
}

#[derive(Default)]
pub(super) struct Book {
    /// Per source, the IDs listed before any create running now was sent,
    /// and when.
    pub(super) baselines: HashMap<String, Baseline>,
    /// Made or adopted by this process: never a candidate.
    pub(super) claimed: HashSet<String>,
    /// Creates of this gate in progress; a burst starts when it leaves 0.
    pub(super) running: usize,
    /// Attempts whose answer was lost and which are not resolved yet, with their fingerprints.
    pub(super) unresolved: HashMap<u64, String>,
}

pub(super) struct Baseline {
    pub(super) ids: HashSet<String>,
    pub(super) taken: Instant,
}

impl Gate {
    pub(super) fn book(&self) -> MutexGuard<'_, Book> {
        self.book.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl Ledger {
    pub(super) fn gate(&self, name: &str) -> Arc<Gate> {
        let mut gates = self.gates.lock().unwrap_or_else(|p| p.into_inner());
        gates.entry(name.to_string()).or_default().clone()
    }
}

/// A create in progress on a gate. The first of a burst drops baselines
/// older than [`BASELINE_REUSE`], so that the burst lists afresh.
pub(super) struct Running<'g>(&'g Gate);

impl<'g> Running<'g> {
    pub(super) fn enter(gate: &'g Gate) -> Running<'g> {
        let mut book = gate.book();
        if book.running == 0 {
            book.drop_stale_baselines(Instant::now());
        }
        book.running += 1;
        Running(gate)
    }
}

impl Book {
    pub(super) fn drop_stale_baselines(&mut self, now: Instant) {
        self.baselines.retain(|_, baseline| now.saturating_duration_since(baseline.taken) < BASELINE_REUSE);
    }
}

impl Drop for Running<'_> {
    fn drop(&mut self) {
        self.0.book().running -= 1;
    }
}

/// An attempt whose answer was lost, counted until it is resolved.
pub(super) struct Unresolved<'g>(pub(super) &'g Gate, pub(super) u64);

impl Drop for Unresolved<'_> {
    fn drop(&mut self) {
        self.0.book().unresolved.remove(&self.1);
    }
}
