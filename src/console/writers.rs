//! The writer of each project's document within this process: one patch in
//! flight per project, so that parallel edits never meet each other's
//! revisions, and the edits that wait meanwhile gathered into the next
//! patch (see `document`): N edits that meet cost one round trip, not N in
//! a row.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use serde_json::Value;

use super::patch::{PatchOp, Warning};
use super::project::Project;
use crate::http::ApiError;

/// One writer per project, shared by every clone of a client.
#[derive(Default)]
pub(super) struct Writers(Mutex<HashMap<String, Arc<Writer>>>);

impl Writers {
    pub(super) fn of(&self, project: &str) -> Arc<Writer> {
        let mut writers = self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        writers.entry(project.to_string()).or_default().clone()
    }
}

/// The edits of one project.
#[derive(Default)]
pub(super) struct Writer {
    /// Held to gather an edit into a patch, and to send one. Fair (first
    /// come, first served): the edit that opened a patch asks for its turn
    /// again to send it, behind every edit already waiting, which join it.
    pub turn: tokio::sync::Mutex<()>,
    /// The patch being gathered, not sent yet.
    open: Mutex<Option<Arc<Batch>>>,
}

impl Writer {
    pub fn open(&self) -> Option<Arc<Batch>> {
        self.open.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    pub fn set_open(&self, batch: Arc<Batch>) {
        *self.open.lock().unwrap_or_else(|p| p.into_inner()) = Some(batch);
    }

    /// Closes `batch` to further edits, for its sender: false when it was
    /// closed already (sent, or being sent).
    pub fn close(&self, batch: &Arc<Batch>) -> bool {
        let mut open = self.open.lock().unwrap_or_else(|p| p.into_inner());
        let mine = open.as_ref().is_some_and(|o| Arc::ptr_eq(o, batch));
        if mine {
            *open = None;
        }
        mine
    }
}

/// One patch: the document it is made for, the operations of each edit
/// gathered into it, and what became of it.
pub(super) struct Batch {
    pub base: Arc<Project>,
    gathered: Mutex<Gathered>,
    outcome: OnceLock<Outcome>,
}

struct Gathered {
    /// The base's document with every gathered operation applied: what the
    /// next edit computes its own from. Made when a second edit comes:
    /// most patches have one.
    projected: Option<Value>,
    ops: Vec<PatchOp>,
    /// How many edits gave operations.
    contributors: usize,
}

/// What became of a sent patch, for each edit in it.
#[derive(Clone)]
pub(super) enum Outcome {
    Applied {
        project: Arc<Project>,
        warnings: Vec<Warning>,
    },
    /// Made for a revision someone else moved on; `resent`: it was sent
    /// more than once, so it may have applied before a resend was refused.
    Conflict {
        error: Box<ApiError>,
        resent: bool,
    },
    /// Ory refused it (400).
    Rejected(Box<ApiError>),
    /// Any other failure, which its sender reports; the other edits in it
    /// try again, not knowing whether it applied.
    Failed,
    /// Never sent: an edit in it was interrupted before it was.
    Unsent,
}

/// What gathering an edit into a batch gave.
pub(super) enum Gather<E> {
    Joined {
        contributed: bool,
    },
    /// Its operations do not apply to the gathered document: it goes alone,
    /// so that whatever Ory says of them is said to it.
    Apart,
    Refused(E),
}

impl Batch {
    /// A batch over `base`, opened by an edit with `ops`, which its sender
    /// finds to apply.
    pub fn open(base: Arc<Project>, ops: Vec<PatchOp>) -> Arc<Batch> {
        Arc::new(Batch {
            base,
            gathered: Mutex::new(Gathered { projected: None, ops, contributors: 1 }),
            outcome: OnceLock::new(),
        })
    }

    /// Adds the operations `change` computes from the gathered document.
    pub fn gather<E>(
        &self,
        change: &mut impl FnMut(&Value, bool) -> Result<Vec<PatchOp>, E>,
        retrying: bool,
    ) -> Gather<E> {
        let mut gathered = self.gathered.lock().unwrap_or_else(|p| p.into_inner());
        let Gathered { projected, ops: gathered, contributors } = &mut *gathered;
        let projected = match projected {
            Some(projected) => projected,
            None => {
                let mut made = Value::clone(&self.base.document());
                if !applied(&mut made, gathered) {
                    // What the opener sends does not apply as Ory would: no one joins it.
                    return Gather::Apart;
                }
                projected.insert(made)
            }
        };
        let ops = match change(projected, retrying) {
            Ok(ops) => ops,
            Err(e) => return Gather::Refused(e),
        };
        if ops.is_empty() {
            return Gather::Joined { contributed: false };
        }
        if !applied(projected, &ops) {
            return Gather::Apart;
        }
        gathered.extend(ops);
        *contributors += 1;
        Gather::Joined { contributed: true }
    }

    /// The operations to send.
    pub fn ops(&self) -> Vec<PatchOp> {
        self.gathered.lock().unwrap_or_else(|p| p.into_inner()).ops.clone()
    }

    /// How many edits gave operations.
    pub fn contributors(&self) -> usize {
        self.gathered.lock().unwrap_or_else(|p| p.into_inner()).contributors
    }

    pub fn outcome(&self) -> Option<Outcome> {
        self.outcome.get().cloned()
    }

    pub fn settle(&self, outcome: Outcome) {
        let _ = self.outcome.set(outcome);
    }
}

/// Applies `ops` to `document` as Ory would, all or nothing.
fn applied(document: &mut Value, ops: &[PatchOp]) -> bool {
    let Ok(patch) = serde_json::to_value(ops).and_then(serde_json::from_value::<json_patch::Patch>) else {
        return false;
    };
    json_patch::patch(document, &patch).is_ok()
}
