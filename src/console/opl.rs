//! `validateOpl` (API 1.22.87): Ory's check of an Ory Permission Language
//! document, with the limits it applies when a project's configuration is
//! saved, before anything is saved.

use reqwest::Method;
use serde::Deserialize;

use super::ids::ProjectId;
use super::{Client, Error};
use crate::http::segment;
use crate::http::Payload;

/// One mistake in a document, where Ory places it.
#[derive(Clone, Debug, Deserialize, PartialEq)]
pub struct OplProblem {
    #[serde(default)]
    pub message: String,
    #[serde(default)]
    pub start: Option<OplPosition>,
    #[serde(default)]
    pub end: Option<OplPosition>,
}

#[derive(Clone, Copy, Debug, Deserialize, PartialEq)]
pub struct OplPosition {
    #[serde(default)]
    pub line: u64,
    #[serde(default)]
    pub column: u64,
}

impl Client {
    /// Checks of a project's Ory Permission Language documents.
    pub fn opl(&self, project: &ProjectId) -> Opl<'_> {
        Opl::new(self, project)
    }
}

impl std::fmt::Display for OplProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.start {
            Some(at) => write!(f, "line {}, column {}: {}", at.line, at.column, self.message),
            None => f.write_str(&self.message),
        }
    }
}

#[derive(Deserialize)]
struct Answer {
    #[serde(default)]
    errors: Vec<OplProblem>,
}

pub struct Opl<'c> {
    client: &'c Client,
    project: ProjectId,
}

impl<'c> Opl<'c> {
    pub(super) fn new(client: &'c Client, project: &ProjectId) -> Opl<'c> {
        Opl { client, project: project.clone() }
    }

    /// The mistakes Ory finds in `source`; none when it is valid.
    pub async fn validate(&self, source: &str) -> Result<Vec<OplProblem>, Error> {
        self.client.check_project(&self.project)?;
        let path = format!("/projects/{}/opl/validate", segment(&self.project));
        let body = Payload { bytes: source.as_bytes().to_vec(), media: "text/plain" };
        let answer = self.client.send_payload("validateOpl", Method::POST, &path, Some(body)).await?;
        let answer: Answer = crate::http::decode("validateOpl", &answer)?;
        Ok(answer.errors)
    }
}

#[cfg(test)]
mod tests {
    use super::super::testbed::Bed;
    use super::super::ProjectId;

    #[tokio::test]
    async fn ory_places_each_mistake_and_passes_a_valid_document() {
        let bed = Bed::start().await;
        let project = bed.project().await;
        let opl = bed.client.opl(&project);
        let valid = "class User implements Namespace {}\nclass Doc implements Namespace {\n  related: { viewers: User[] }\n  permits = { view: (ctx: Context) => this.related.viewers.includes(ctx.subject) }\n}\n";
        assert_eq!(opl.validate(valid).await.unwrap(), vec![]);
        let broken = valid.replace("viewers: User[]", "viewers: Usr[]");
        let problems = opl.validate(&broken).await.unwrap();
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].to_string(), "line 3, column 22: namespace \"Usr\" was not declared");
        let gone =
            bed.client.opl(&ProjectId::from("3fa85f64-5717-4562-b3fc-2c963f66afa6")).validate(valid).await.unwrap_err();
        assert!(gone.is_not_found(), "{gone}");
    }
}
