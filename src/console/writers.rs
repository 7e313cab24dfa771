//! One document writer per project at a time, within this process: parallel
//! edits of one project then never meet each other's revisions.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// One lock per project, shared by every clone of a client.
#[derive(Default)]
pub(super) struct Writers(Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>);

impl Writers {
    pub(super) fn of(&self, project: &str) -> Arc<tokio::sync::Mutex<()>> {
        let mut writers = self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        writers.entry(project.to_string()).or_default().clone()
    }
}
