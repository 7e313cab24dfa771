//! The journal of creates in flight, kept on disk, so that a process killed in the middle
//! of one (`kill -9`, the OOM killer, a CI runner gone) leaves a trace that
//! the next process in the same working directory reads.
//!
//! Each process appends to its own file, `<dir>/<pid>.jsonl`: a `sent` line
//! before each create (what it makes, the listing it appears in, and that
//! listing's baseline, the IDs it held before), and a `done` line once the
//! create ended (the object's ID, or none). A process that ends normally
//! removes its file, or keeps its `done` IDs as `<pid>.done` while a dead
//! process's trace is still being reported.
//!
//! A later process finds the files of processes that no longer run. A
//! `sent` line without its `done` is a create whose outcome nobody learnt.
//! Its candidates are the objects of its listing now that were neither in
//! its baseline nor made by any create recorded here: nothing else can be
//! that create's object. They are reported, with their IDs, until none
//! remains; nothing is adopted or deleted, since another client may have
//! made them (the limit that remains: see the README).

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

use super::ids::{OrganizationId, ProjectId, WorkspaceId};

/// The listing a created object appears in, named so that a later process
/// can read it again.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Listing {
    ProjectKeys { project: ProjectId },
    WorkspaceKeys { workspace: WorkspaceId },
    EventStreams { project: ProjectId },
    CustomDomains { project: ProjectId },
    Projects { workspace: Option<WorkspaceId> },
    Workspaces,
    PortalLinks { project: ProjectId, organization: OrganizationId },
}

impl std::fmt::Display for Listing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Listing::ProjectKeys { project }
            | Listing::EventStreams { project }
            | Listing::CustomDomains { project } => write!(f, "in project {project}"),
            Listing::WorkspaceKeys { workspace } => write!(f, "in workspace {workspace}"),
            Listing::Projects { workspace: Some(workspace) } => write!(f, "in workspace {workspace}"),
            Listing::Projects { workspace: None } | Listing::Workspaces => write!(f, "of the workspace key"),
            Listing::PortalLinks { project, organization } => {
                write!(f, "of organization {organization} in project {project}")
            }
        }
    }
}

#[derive(Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub(super) enum Line {
    Sent { seq: u64, what: String, listing: Listing, baseline: Vec<String>, at: String },
    Done { seq: u64, id: Option<String> },
}

/// This process's journal.
pub(crate) struct Journal {
    dir: PathBuf,
    path: PathBuf,
    file: Mutex<Option<std::fs::File>>,
    next: std::sync::atomic::AtomicU64,
}

impl Journal {
    /// The journal in `dir`, created when the first create is sent.
    pub fn new(dir: PathBuf) -> Journal {
        let path = dir.join(format!("{}.jsonl", std::process::id()));
        Journal { dir, path, file: Mutex::new(None), next: Default::default() }
    }

    fn append(&self, line: &Line) {
        let mut file = self.file.lock().unwrap_or_else(|p| p.into_inner());
        if file.is_none() {
            *file = open_private(&self.dir, &self.path).ok();
        }
        if let (Some(f), Ok(mut text)) = (file.as_mut(), serde_json::to_vec(line)) {
            text.push(b'\n');
            // Written before the create is sent. Not synced: a killed process's
            // writes are the kernel's already; only a machine that loses power
            // can lose the line, and fsync per create would cost every apply.
            let _ = f.write_all(&text);
        }
    }

    /// Notes a create about to be sent; its number, for [`Journal::done`].
    pub fn sent(&self, what: &str, listing: &Listing, baseline: Vec<String>) -> u64 {
        let seq = self.next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let at = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        self.append(&Line::Sent { seq, what: what.to_string(), listing: listing.clone(), baseline, at });
        seq
    }

    /// Notes how a create ended: the object it made, or none.
    pub fn done(&self, seq: u64, id: Option<&str>) {
        self.append(&Line::Done { seq, id: id.map(str::to_string) });
    }
}

impl Drop for Journal {
    /// A normal end: nothing of this process is in doubt. Its IDs are kept
    /// while a dead process's trace is reported, so that they are never
    /// taken for that process's objects.
    fn drop(&mut self) {
        if !self.path.exists() {
            return;
        }
        if traces(&self.dir).is_empty() {
            let _ = std::fs::remove_file(&self.path);
        } else {
            let _ = std::fs::rename(&self.path, self.path.with_extension("done"));
        }
    }
}

fn open_private(dir: &Path, path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::create_dir_all(dir)?;
    std::fs::OpenOptions::new().create(true).append(true).mode(0o600).custom_flags(libc::O_NOFOLLOW).open(path)
}

/// A dead process's creates whose outcome nobody learnt.
#[derive(Debug)]
pub(super) struct Trace {
    pub file: PathBuf,
    pub pid: u32,
    /// By listing: what was being made, since when, how many, and the
    /// baseline none of them saw before.
    pub unresolved: BTreeMap<Listing, (String, String, usize, BTreeSet<String>)>,
}

pub(super) fn is_running(pid: u32) -> bool {
    // Signal 0 only asks whether the process exists.
    pid == std::process::id() || unsafe { libc::kill(pid as libc::pid_t, 0) } == 0
}

pub(super) fn lines(path: &Path) -> Vec<Line> {
    std::fs::read_to_string(path).unwrap_or_default().lines().filter_map(|l| serde_json::from_str(l).ok()).collect()
}

/// The journals of processes that no longer run and left creates unresolved.
pub(super) fn traces(dir: &Path) -> Vec<Trace> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut found = Vec::new();
    for entry in entries.flatten() {
        let path = entry.path();
        let Some(pid) = path
            .file_name()
            .and_then(|n| n.to_str())
            .and_then(|n| n.strip_suffix(".jsonl"))
            .and_then(|p| p.parse::<u32>().ok())
        else {
            continue;
        };
        if is_running(pid) {
            continue;
        }
        let mut sent = BTreeMap::new();
        for line in lines(&path) {
            match line {
                Line::Sent { seq, what, listing, baseline, at } => {
                    sent.insert(seq, (listing, what, at, baseline));
                }
                Line::Done { seq, .. } => {
                    sent.remove(&seq);
                }
            }
        }
        let mut unresolved: BTreeMap<Listing, (String, String, usize, BTreeSet<String>)> = BTreeMap::new();
        for (listing, what, at, baseline) in sent.into_values() {
            let first = !unresolved.contains_key(&listing);
            let entry = unresolved.entry(listing).or_insert_with(|| (what, at, 0, BTreeSet::new()));
            entry.2 += 1;
            // Several creates in one listing: only what none of them saw before.
            if first {
                entry.3 = baseline.into_iter().collect();
            } else {
                entry.3.retain(|id| baseline.contains(id));
            }
        }
        if unresolved.is_empty() {
            let _ = std::fs::remove_file(&path);
        } else {
            found.push(Trace { file: path, pid, unresolved });
        }
    }
    found
}

/// Every ID a create recorded in `dir` made.
pub(super) fn claimed(dir: &Path) -> BTreeSet<String> {
    let Ok(entries) = std::fs::read_dir(dir) else { return BTreeSet::new() };
    entries
        .flatten()
        .flat_map(|e| lines(&e.path()))
        .filter_map(|line| match line {
            Line::Done { id, .. } => id,
            Line::Sent { .. } => None,
        })
        .collect()
}

pub(super) fn remove_done(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        if entry.path().extension().is_some_and(|e| e == "done") {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}
