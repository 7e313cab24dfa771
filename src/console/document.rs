//! The project document engine: every change to a project's document
//! (configuration, CORS, name, organizations) goes through [`Document::edit`].
//!
//! - The caller computes its JSON Patch from the document as it is now.
//! - The patch is sent against that revision (`patchProjectWithRevision`).
//! - A 409 means someone changed the project meanwhile: read again, compute
//!   again, send again, up to [`MAX_CONFLICTS`] times.
//! - Inside this process one patch per project is in flight at a time, so
//!   that parallel callers never need the 409 path against each other; the
//!   edits that wait meanwhile are gathered into the next patch (`writers`).
//!
//! Resending a patch is safe: once it applied, the revision moved on, so a
//! resend is refused with 409, the caller recomputes against the new
//! document and finds nothing left to do.

use std::sync::Arc;

use reqwest::Method;
use serde::Deserialize;

use super::ids::ProjectId;
use super::patch::{PatchOp, Warning};
use super::projects::LIST_PATH;
use super::writers::{Batch, Gather, Outcome, Writer};
use super::{ApiError, Client, Error, Project, Projects};
use crate::http::segment;

/// How many stale-revision answers an edit takes before it gives up.
pub const MAX_CONFLICTS: u32 = 8;

impl Client {
    /// A project's document: its configuration, CORS, name and organizations.
    pub fn document<'c>(&'c self, project: &'c ProjectId) -> Document<'c> {
        Document::new(self, project)
    }
}

#[derive(Deserialize)]
struct Update {
    project: Project,
    #[serde(default)]
    warnings: Vec<Warning>,
}

/// What an edit did.
#[derive(Debug)]
pub struct Edited {
    /// The project after the edit (as read, when there was nothing to send),
    /// shared with the process's read of it ([`Projects::shared`]).
    pub project: Arc<Project>,
    pub warnings: Vec<Warning>,
}

/// The document of one project.
pub struct Document<'c> {
    client: &'c Client,
    project: &'c str,
}

impl<'c> Document<'c> {
    pub(super) fn new(client: &'c Client, project: &'c str) -> Document<'c> {
        Document { client, project }
    }

    /// Changes the document by the patch `change` computes from it (the
    /// project as one JSON document). `change` runs again on each fresh read
    /// after a 409, then told `retrying`: a patch of this edit was sent more
    /// than once (its answer lost), so it may have applied before a resend
    /// was refused. It may refuse with its own error.
    ///
    /// The first patch is computed from the document as this process last
    /// read or wrote it ([`Projects::shared`]). One patch of a project is in
    /// flight at a time; the edits that come meanwhile are gathered into the
    /// next one, each computed from the document the edits before it make
    /// (see `writers`). A revision someone else moved is refused with 409,
    /// and every edit of that patch reads again. A gathered patch Ory
    /// refuses is sent again edit by edit, so that each refusal is its own;
    /// Ory's import warnings of a gathered patch are given to each of its edits.
    pub async fn edit<E: From<Error>>(
        &self,
        mut change: impl FnMut(&serde_json::Value, bool) -> Result<Vec<PatchOp>, E>,
    ) -> Result<Edited, E> {
        self.client.check_project(self.project)?;
        let writer = self.client.writers.of(self.project);
        let http = self.client.http();
        let (projects, id) = (self.client.projects(), ProjectId::from(self.project));
        let mut conflicts = 0;
        let mut resent = false;
        let mut alone = false;
        loop {
            let turn = http.unless_stopped(writer.turn.lock()).await?;
            // The patch this edit's operations are in, and whether they are
            // all of it (then a refusal is about them).
            let (outcome, sent, sole) = match writer.open() {
                Some(batch) if !alone => {
                    let contributed = match batch.gather(&mut change, resent) {
                        Gather::Joined { contributed } => contributed,
                        Gather::Apart => {
                            alone = true;
                            continue;
                        }
                        Gather::Refused(e) => return Err(e),
                    };
                    drop(turn);
                    let outcome = self.sent(&writer, &batch).await?;
                    let sole = contributed && batch.contributors() == 1;
                    (outcome, Sent::Gathered(batch), sole)
                }
                _ => {
                    let base = projects.shared(&id).await?;
                    let ops = change(&base.document(), resent)?;
                    if ops.is_empty() {
                        return Ok(Edited { project: base, warnings: Vec::new() });
                    }
                    match alone {
                        false => {
                            let batch = Batch::open(base.clone(), ops);
                            writer.set_open(batch.clone());
                            drop(turn);
                            let outcome = self.sent(&writer, &batch).await?;
                            let sole = batch.contributors() == 1;
                            (outcome, Sent::Gathered(batch), sole)
                        }
                        // Sent now, in this turn, with no one else's operations.
                        true => (self.settled(self.patch(&base, &ops).await)?, Sent::Alone(ops), true),
                    }
                }
            };
            match outcome {
                Outcome::Applied { project, warnings } => return Ok(Edited { project, warnings }),
                Outcome::Conflict { error, resent: again } => {
                    self.conflict(&mut conflicts, error)?;
                    resent |= again;
                }
                Outcome::Rejected(error) if sole => {
                    let path = offending(&error, &sent.ops());
                    return Err(Error::Rejected { error, path }.into());
                }
                // Refused with others' operations: sent again alone, to know.
                Outcome::Rejected(_) => alone = true,
                Outcome::Failed => resent = true,
                Outcome::Unsent => {}
            }
        }
    }

    /// What became of `batch`, once the edits waiting for their turn have
    /// joined it: the first of its edits to have its turn again sends it.
    async fn sent(&self, writer: &Writer, batch: &Arc<Batch>) -> Result<Outcome, Error> {
        let waiting = Waiting { writer, batch };
        let _turn = self.client.http().unless_stopped(writer.turn.lock()).await?;
        std::mem::forget(waiting);
        if let Some(outcome) = batch.outcome() {
            return Ok(outcome);
        }
        if !writer.close(batch) {
            // Its sender was interrupted while sending: it may have applied.
            return Ok(Outcome::Failed);
        }
        let ops = batch.ops();
        let outcome = self.settled(self.patch(&batch.base, &ops).await);
        batch.settle(outcome.as_ref().map_or(Outcome::Failed, Outcome::clone));
        outcome
    }

    /// Sends `ops` against the revision of `base`, and keeps what it answers
    /// as the process's read of the project.
    async fn patch(&self, base: &Project, ops: &[PatchOp]) -> Result<Update, Error> {
        let revision = base.revision_id.clone().unwrap_or_default();
        let path = format!("/projects/{}/revision/{}", segment(self.project), segment(&revision));
        let sent = self.client.send::<_, Update>("patchProjectWithRevision", Method::PATCH, &path, Some(ops)).await;
        let projects = self.client.projects();
        // Whatever the answer, the document this process held may be stale now.
        projects.forget(&ProjectId::from(self.project));
        if sent.is_ok() {
            // A name is in the project listing too.
            self.client.http().forget_listing(LIST_PATH);
        }
        sent
    }

    /// What a sent patch's answer means to each edit in it; any failure
    /// but a conflict or a refusal is its sender's error.
    fn settled(&self, sent: Result<Update, Error>) -> Result<Outcome, Error> {
        match sent {
            Ok(update) => {
                let project = Arc::new(update.project);
                self.client.projects().remember(project.clone());
                Ok(Outcome::Applied { project, warnings: update.warnings })
            }
            Err(Error::Api(api)) if api.status == 409 => {
                let resent = api.attempts > 1;
                tracing::debug!(project = self.project, "project changed meanwhile; computing the patch again");
                Ok(Outcome::Conflict { error: api, resent })
            }
            Err(Error::Api(api)) if api.status == 400 => Ok(Outcome::Rejected(api)),
            Err(e) => Err(e),
        }
    }

    /// Counts a stale-revision answer; too many in a row is an error.
    fn conflict(&self, conflicts: &mut u32, last: Box<ApiError>) -> Result<(), Error> {
        *conflicts += 1;
        match *conflicts >= MAX_CONFLICTS {
            true => Err(Error::Contended { project: self.project.to_string(), attempts: *conflicts, last }),
            false => Ok(()),
        }
    }
}

/// The patch an edit's operations went in.
enum Sent {
    Gathered(Arc<Batch>),
    Alone(Vec<PatchOp>),
}

impl Sent {
    fn ops(self) -> Vec<PatchOp> {
        match self {
            Sent::Gathered(batch) => batch.ops(),
            Sent::Alone(ops) => ops,
        }
    }
}

/// An edit in a patch not sent yet. Should the edit be dropped (its
/// caller interrupted), the patch is never sent with its operations: it is
/// closed, and the other edits in it compute theirs again.
struct Waiting<'w> {
    writer: &'w Writer,
    batch: &'w Arc<Batch>,
}

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        if self.writer.close(self.batch) {
            self.batch.settle(Outcome::Unsent);
        }
    }
}

/// The path of the operation a 400 is about: the one whose path shares the
/// most leading segments with a JSON pointer in Ory's reason (an `add` to
/// `.../hooks/-` is about `.../hooks/0/config`), or the only one. Ory's
/// validator may give pointers inside a service's config (`I[#/selfservice/...]`),
/// so each path is also compared without its `/services/<name>/config` prefix.
fn offending(api: &ApiError, ops: &[PatchOp]) -> Option<String> {
    let text = [api.reason.as_deref(), api.message.as_deref()].into_iter().flatten().collect::<Vec<_>>().join(" ");
    let pointers: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '(' | ')' | ',' | '[' | ']'))
        .map(|word| word.trim_start_matches('#').trim_end_matches([':', '.', ';']))
        .filter(|word| word.starts_with('/'))
        .collect();
    let shared = |pointer: &str, path: &str| {
        pointer.split('/').zip(path.split('/')).take_while(|(p, o)| p == o || *o == "-").count()
    };
    let within_service = |path: &str| -> Option<String> {
        let rest = path.strip_prefix("/services/")?;
        let (_, inner) = rest.split_once("/config")?;
        Some(inner.to_string())
    };
    let best = pointers
        .iter()
        .flat_map(|pointer| {
            ops.iter().map(move |op| {
                let inner = within_service(&op.path).map(|inner| shared(pointer, &inner)).unwrap_or_default();
                (shared(pointer, &op.path).max(inner), op)
            })
        })
        .filter(|(n, _)| *n > 1)
        .max_by_key(|(n, _)| *n)
        .map(|(_, op)| op.path.clone());
    best.or_else(|| (ops.len() == 1).then(|| ops[0].path.clone()))
}

impl Projects<'_> {
    /// Renames with a JSON Patch on `/name`, the way Ory's own tools do,
    /// through the document engine so that it never races a configuration
    /// change of the same project.
    pub async fn rename(&self, id: &ProjectId, name: &str) -> Result<Project, Error> {
        let edited = self
            .client
            .document(id)
            .edit(|p: &serde_json::Value, _| {
                Ok::<_, Error>(if p.get("name").and_then(serde_json::Value::as_str) == Some(name) {
                    Vec::new()
                } else {
                    vec![PatchOp::replace("/name", serde_json::Value::from(name))]
                })
            })
            .await?;
        Ok(Arc::unwrap_or_clone(edited.project))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::console::testbed::Bed;

    /// An edit adding `origin` to the public CORS origins, once.
    fn add_origin(origin: String) -> impl FnMut(&serde_json::Value, bool) -> Result<Vec<PatchOp>, Error> {
        move |doc, _| {
            let origins = doc.pointer("/cors_public/origins").and_then(serde_json::Value::as_array);
            Ok(match origins.is_some_and(|o| o.contains(&origin.as_str().into())) {
                true => Vec::new(),
                false => vec![PatchOp::add("/cors_public/origins/-", origin.as_str().into())],
            })
        }
    }

    async fn origins(bed: &Bed, project: &ProjectId) -> Vec<String> {
        let project = bed.outsider().projects().get(project).await.unwrap();
        let origins = project.document().pointer("/cors_public/origins").cloned().unwrap_or_default();
        serde_json::from_value(origins).unwrap()
    }

    #[tokio::test]
    async fn edits_waiting_for_a_patch_are_gathered_into_the_next_each_computed_after_the_ones_before() {
        let bed = Bed::start().await;
        let project = bed.project().await;
        let document = bed.client.document(&project);
        let before = bed.count("patchProjectWithRevision").await;
        // Thirty at once: the first opens a patch, the 29 waiting join it.
        let edits = (0..30).map(|n| document.edit(add_origin(format!("https://{n}.example.com"))));
        let edited = futures::future::join_all(edits).await;
        assert!(edited.iter().all(Result::is_ok), "{:?}", edited.iter().find(|e| e.is_err()));
        assert_eq!(bed.count("patchProjectWithRevision").await - before, 1, "one patch for all thirty");
        let mut seen = origins(&bed, &project).await;
        assert_eq!(seen.len(), 30, "each once: {seen:?}");
        seen.sort();
        seen.dedup();
        assert_eq!(seen.len(), 30);
        // Each edit is given the project the patch made.
        assert!(edited
            .iter()
            .flatten()
            .all(|e| e.project.document()["cors_public"]["origins"].as_array().map(Vec::len) == Some(30)));

        // A stale revision: every edit of the patch computes again, and each lands once.
        bed.script(&[("patchProjectWithRevision", "stale", 0)]).await;
        let edits = (30..40).map(|n| document.edit(add_origin(format!("https://{n}.example.com"))));
        assert!(futures::future::join_all(edits).await.iter().all(Result::is_ok));
        assert_eq!(origins(&bed, &project).await.len(), 40);
    }

    #[tokio::test]
    async fn a_gathered_patch_ory_refuses_is_sent_again_edit_by_edit_and_only_the_bad_one_fails() {
        let bed = Bed::start().await;
        let project = bed.project().await;
        let document = bed.client.document(&project);
        let bad = |_: &serde_json::Value, _| Ok::<_, Error>(vec![PatchOp::replace("/slug", "mine".into())]);
        let good = (0..5).map(|n| document.edit(add_origin(format!("https://{n}.example.com"))));
        let (refused, edited) = tokio::join!(document.edit(bad), futures::future::join_all(good));
        match refused {
            Err(Error::Rejected { path, .. }) => assert_eq!(path.as_deref(), Some("/slug")),
            other => panic!("the bad edit is refused on its own operation: {other:?}"),
        }
        assert!(edited.iter().all(Result::is_ok), "the others land: {edited:?}");
        assert_eq!(origins(&bed, &project).await.len(), 5);
    }

    fn rejected(reason: &str) -> ApiError {
        ApiError::from_response(
            "patchProjectWithRevision",
            400,
            serde_json::json!({"error": {"code": 400, "message": "The request was malformed or contained invalid parameters", "reason": reason}})
                .to_string()
                .as_bytes(),
        )
    }

    #[test]
    fn a_400_names_the_operation_its_pointer_falls_under() {
        let ops = vec![
            PatchOp::replace("/services/identity/config/session/lifespan", "1h".into()),
            PatchOp::add("/services/identity/config/selfservice/flows/login/after/hooks/-", serde_json::json!({})),
            PatchOp::replace("/cors_public/origins", serde_json::json!(["x"])),
        ];
        let api = rejected("Unable to validate config: /services/identity/config/selfservice/flows/login/after/hooks/0/config: missing properties: \"url\"");
        assert_eq!(
            offending(&api, &ops).as_deref(),
            Some("/services/identity/config/selfservice/flows/login/after/hooks/-")
        );
        let api = rejected("Unable to validate config: I[#/selfservice/flows/login/after/hooks/0/config] S[#/x] missing properties: \"url\"");
        assert_eq!(
            offending(&api, &ops).as_deref(),
            Some("/services/identity/config/selfservice/flows/login/after/hooks/-")
        );
        let api = rejected("Unable to validate config: #/cors_public/origins/0: bad origin");
        assert_eq!(offending(&api, &ops).as_deref(), Some("/cors_public/origins"));
        assert_eq!(
            offending(&rejected("no pointer"), &ops[..1]).as_deref(),
            Some("/services/identity/config/session/lifespan")
        );
        assert_eq!(offending(&rejected("no pointer"), &ops), None);
    }
}
