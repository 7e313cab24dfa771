//! Creates in flight that a killed process left unresolved, reported with
//! the objects that may be theirs (the journal they are read from:
//! `journal`).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use super::journal::{claimed, remove_done, traces, Listing};
use super::{Client, Error, Owner};

impl Listing {
    /// The IDs it holds now.
    async fn ids(&self, client: &Client) -> Result<BTreeSet<String>, Error> {
        Ok(match self {
            Listing::ProjectKeys { project } => client
                .api_keys(Owner::Project(project.clone()))
                .list()
                .await?
                .into_iter()
                .map(|k| k.id.into())
                .collect(),
            Listing::WorkspaceKeys { workspace } => client
                .api_keys(Owner::Workspace(workspace.clone()))
                .list()
                .await?
                .into_iter()
                .map(|k| k.id.into())
                .collect(),
            Listing::EventStreams { project } => {
                client.event_streams(project).list().await?.into_iter().map(|s| s.id.into()).collect()
            }
            Listing::CustomDomains { project } => {
                client.custom_domains(project).list().await?.into_iter().map(|d| d.id.into()).collect()
            }
            Listing::Projects { workspace } => {
                let listed = match workspace {
                    Some(w) => client.projects().list_for_workspace(w).await?,
                    None => client.projects().list().await?,
                };
                listed.into_iter().filter(|p| p.state != super::ProjectState::Deleted).map(|p| p.id.into()).collect()
            }
            Listing::Workspaces => client.workspaces().list_all().await?.into_iter().map(|w| w.id.into()).collect(),
            Listing::PortalLinks { project, organization } => {
                client.organizations(project).links(organization).await?.into_iter().map(|l| l.id.into()).collect()
            }
        })
    }
}

/// What [`report`] found: a dead process's creates, and the objects that
/// may be theirs.
#[derive(Debug)]
pub struct Orphans {
    pub file: PathBuf,
    pub pid: u32,
    pub what: String,
    /// Where: "in project 3fa8...".
    pub place: String,
    pub since: String,
    pub creates: usize,
    pub candidates: Vec<String>,
}

/// The dead processes' creates in `dir` that may have made objects no
/// state holds, with those objects' IDs. A trace whose listings hold no
/// candidate any more is removed; once none is left, neither are the IDs
/// kept for it.
pub async fn report(client: &Client, dir: &Path) -> Vec<Orphans> {
    let dead = traces(dir);
    if dead.is_empty() {
        remove_done(dir);
        return Vec::new();
    }
    let claimed = claimed(dir);
    let mut found = Vec::new();
    for trace in dead {
        let mut left = false;
        for (listing, (what, since, creates, baseline)) in &trace.unresolved {
            let Ok(now) = listing.ids(client).await else {
                left = true;
                continue;
            };
            let candidates: Vec<String> =
                now.into_iter().filter(|id| !baseline.contains(id) && !claimed.contains(id)).collect();
            if candidates.is_empty() {
                continue;
            }
            left = true;
            found.push(Orphans {
                file: trace.file.clone(),
                pid: trace.pid,
                what: what.clone(),
                place: listing.to_string(),
                since: since.clone(),
                creates: *creates,
                candidates,
            });
        }
        if !left {
            let _ = std::fs::remove_file(&trace.file);
        }
    }
    if traces(dir).is_empty() {
        remove_done(dir);
    }
    found
}
