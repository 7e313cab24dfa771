//! The project document engine: every change to a project's document
//! (configuration, CORS, name, organizations) goes through [`Document::edit`].
//!
//! - The caller computes its JSON Patch from the document as it is now.
//! - The patch is sent against that revision (`patchProjectWithRevision`).
//! - A 409 means someone changed the project meanwhile: read again, compute
//!   again, send again, up to [`MAX_CONFLICTS`] times.
//! - Inside this process one edit per project runs at a time, so that
//!   parallel callers never need the 409 path against each other.
//!
//! Resending a patch is safe: once it applied, the revision moved on, so a
//! resend is refused with 409, the caller recomputes against the new
//! document and finds nothing left to do.

use super::ids::ProjectId;
use super::PatchKind;

use reqwest::Method;
use serde::{Deserialize, Serialize};

use super::projects::LIST_PATH;
use super::{ApiError, Client, Error, Project, Projects};
use crate::http::segment;

/// How many stale-revision answers an edit takes before it gives up.
pub const MAX_CONFLICTS: u32 = 8;

/// One RFC 6902 operation.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PatchOp {
    pub op: PatchKind,
    pub path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<serde_json::Value>,
}

impl Client {
    /// A project's document: its configuration, CORS, name and organizations.
    pub fn document<'c>(&'c self, project: &'c ProjectId) -> Document<'c> {
        Document::new(self, project)
    }
}

impl PatchOp {
    pub fn add(path: impl Into<String>, value: serde_json::Value) -> PatchOp {
        PatchOp { op: PatchKind::Add, path: path.into(), value: Some(value) }
    }

    pub fn replace(path: impl Into<String>, value: serde_json::Value) -> PatchOp {
        PatchOp { op: PatchKind::Replace, path: path.into(), value: Some(value) }
    }

    pub fn remove(path: impl Into<String>) -> PatchOp {
        PatchOp { op: PatchKind::Remove, path: path.into(), value: None }
    }
}

/// An import warning of `successfulProjectUpdate`: a part of the
/// configuration Ory did not take.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
pub struct Warning {
    #[serde(default)]
    pub code: Option<i64>,
    #[serde(default)]
    pub message: Option<String>,
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
    /// The project after the edit (as read, when there was nothing to send).
    pub project: Project,
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

    /// Changes the document by the patch `change` computes from it. `change`
    /// runs again on each fresh read after a 409, then told `retrying`: a
    /// patch of this edit was sent more than once (its answer lost), so it
    /// may have applied before a resend was refused. It may refuse with its
    /// own error.
    ///
    /// The first patch is computed from the document as this process last
    /// read or wrote it ([`Projects::shared`]): edits of one project in a
    /// row (an apply of many actions) then cost one call each. A revision
    /// someone else moved meanwhile is refused with 409 and read again.
    pub async fn edit<E: From<Error>>(
        &self,
        mut change: impl FnMut(&Project, bool) -> Result<Vec<PatchOp>, E>,
    ) -> Result<Edited, E> {
        self.client.check_project(self.project)?;
        let writer = self.client.writers.of(self.project);
        let _turn = self.client.http().unless_stopped(writer.lock()).await?;
        let (projects, id) = (self.client.projects(), ProjectId::from(self.project));
        let mut conflicts = 0;
        let mut resent = false;
        loop {
            let project = match conflicts {
                0 => Project::clone(&*projects.shared(&id).await?),
                _ => projects.get(&id).await?,
            };
            let ops = change(&project, resent)?;
            if ops.is_empty() {
                return Ok(Edited { project, warnings: Vec::new() });
            }
            let revision = project.revision_id.clone().unwrap_or_default();
            let path = format!("/projects/{}/revision/{}", segment(self.project), segment(&revision));
            let sent =
                self.client.send::<_, Update>("patchProjectWithRevision", Method::PATCH, &path, Some(&ops)).await;
            // Whatever the answer, the document this process held may be stale now.
            projects.forget(&id);
            match sent {
                Ok(update) => {
                    // A name is in the project listing too.
                    self.client.http().forget_listing(LIST_PATH);
                    projects.remember(&update.project);
                    return Ok(Edited { project: update.project, warnings: update.warnings });
                }
                Err(Error::Api(api)) if api.status == 409 => {
                    conflicts += 1;
                    resent |= api.attempts > 1;
                    tracing::debug!(
                        project = self.project,
                        conflicts,
                        "project changed meanwhile; computing the patch again"
                    );
                    if conflicts >= MAX_CONFLICTS {
                        return Err(Error::Contended {
                            project: self.project.to_string(),
                            attempts: conflicts,
                            last: api,
                        }
                        .into());
                    }
                }
                Err(Error::Api(api)) if api.status == 400 => {
                    let path = offending(&api, &ops);
                    return Err(Error::Rejected { error: api, path }.into());
                }
                Err(e) => return Err(e.into()),
            }
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
            .edit(|p: &Project, _| {
                Ok::<_, Error>(if p.name == name {
                    Vec::new()
                } else {
                    vec![PatchOp::replace("/name", serde_json::Value::from(name))]
                })
            })
            .await?;
        Ok(edited.project)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
