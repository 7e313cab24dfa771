//! `ory_project_config`: the keys of a project's configuration that a user
//! writes, and only those (see `document` for the rules). Every change goes
//! through the project document engine (`console::document`).

use std::collections::BTreeSet;

mod defaults;
mod import;
mod model;

use async_trait::async_trait;
use serde_json::Value as Json;

use crate::console::{self, ProjectId};
use crate::plugin::{AttributePath, Diagnostic, Diagnostics};
use crate::provider::adoption::{Finds, Found, Place};
use crate::provider::client::OryClient;
use crate::provider::document::flat::{self};
use crate::provider::document::slice::Part;
use crate::provider::document::{self, is_secret, secrets_in};
use crate::provider::errors::Error;
use crate::provider::model::attr;
use crate::provider::typed::{Declared, ImportId, Plan, TypedResource};
use import::{parse_import, IMPORT_FORM};
use model::{leaves, refused, secret_path_list};
pub use model::{CorsModel, ProjectConfigModel};

pub struct ProjectConfigResource;

impl ProjectConfigResource {
    /// Brings every wanted key to its value with the fewest operations.
    async fn apply(
        &self,
        client: &OryClient,
        planned: ProjectConfigModel,
        notes: &mut Diagnostics,
    ) -> Result<ProjectConfigModel, Error> {
        let project = planned.project().to_string();
        let wanted = planned.wanted(true)?;
        let edited = client
            .console
            .document(&ProjectId::from(&project))
            .edit(|live: &Json, _| {
                let mut wanted = wanted.clone();
                flat::against_live(&planned.extra, live, &mut wanted).map_err(console::Error::InvalidConfig)?;
                Ok::<_, console::Error>(document::patch(live, &wanted, ""))
            })
            .await
            .map_err(|e| refused(e, &project, &planned))?;
        report(&edited, &edited.project.document(), &wanted, notes);
        planned.with(&edited.project, true)
    }
}

/// Ory's import warnings, and any wanted key that the answer does not show.
fn report(edited: &console::Edited, after: &Json, wanted: &Json, notes: &mut Diagnostics) {
    document::warn(edited, notes);
    let missing: Vec<String> = document::patch(after, wanted, "").into_iter().map(|op| op.path).collect();
    if !missing.is_empty() {
        notes.warning(
            "Ory Network did not keep every key",
            format!(
                "The change was accepted, but the project does not show these keys as written: {}. The next plan shows them again.",
                missing.join(", ")
            ),
        );
    }
}

impl Declared for ProjectConfigResource {
    type Model = ProjectConfigModel;

    fn type_name(&self) -> &'static str {
        "ory_project_config"
    }

    fn summary(&self) -> &'static str {
        "the keys of a project's configuration it writes"
    }

    fn description(&self) -> String {
        "Keys of an Ory Network project's configuration: identity, OAuth2, permission and Account Experience settings, and CORS. Only the keys written here are managed; everything else in the project stays as it is, whoever changes it. Destroying this resource releases the keys and leaves the configuration as it is: nothing is reset.\n\nThe keys are written in the JSON attributes (`identity_config`, ...), or in the flat attributes of Ory's official provider (`session_lifespan`, `cors_enabled`, `enable_oidc`, ...), which each write one key; its deprecated names work too. Two attributes that write one key are refused at plan time.".into()
    }

    fn noun(&self) -> &'static str {
        "project configuration"
    }

    fn describe(&self, m: &ProjectConfigModel) -> String {
        format!("the configuration of project {}", m.project())
    }

    fn validate(&self, config: &ProjectConfigModel, diags: &mut Diagnostics) {
        for service in config.services() {
            let Some(parsed) = service.text.as_deref().and_then(|t| serde_json::from_str::<Json>(t).ok()) else {
                continue;
            };
            for pointer in secrets_in(&parsed, service.pointer) {
                diags.push(
                    Diagnostic::error(
                        "Secret in a configuration attribute",
                        format!(
                            "{} holds a secret at {pointer}, which would show in plans in clear. Set it in secrets (sensitive) or secrets_wo (write-only), keyed by {pointer:?}, and leave it out of {}.",
                            service.attr, service.attr
                        ),
                    )
                    .at(AttributePath::attr(service.attr)),
                );
            }
        }
        for (attr, pointer, _) in config.all_secrets() {
            if !is_secret(pointer) {
                diags.push(
                    Diagnostic::error(
                        "Not a secret path",
                        format!(
                            "{attr} key {pointer:?} is not one of the paths treated as secret ({}). Write other keys in the configuration attributes.",
                            secret_path_list()
                        ),
                    )
                    .at(AttributePath::attr(attr)),
                );
            }
        }
        let (kept, write_only) = (config.secrets.iter().flatten(), config.secrets_wo.iter().flatten());
        for (pointer, _) in kept.filter(|(k, _)| write_only.clone().any(|(w, _)| w == *k)) {
            diags.push(
                Diagnostic::error(
                    "Secret set twice",
                    format!("{pointer:?} is in both secrets and secrets_wo; set it in one."),
                )
                .at(AttributePath::attr(attr!(ProjectConfigModel, secrets_wo))),
            );
        }
        config.refuse_overlaps(diags);
        config.refuse_hook_config_without_hook(diags);
        if !diags.has_errors() {
            if let Err(Error::Refused(d)) = config.wanted(true) {
                diags.push(d);
            }
        }
    }
}

#[async_trait]
impl TypedResource for ProjectConfigResource {
    /// The settings of a project that differ from a new project's.
    async fn find(&self, _: &OryClient, place: &Place<'_>, finds: &mut Finds) -> Result<(), console::Error> {
        let Place::Project(at) = place else { return Ok(()) };
        let changed = defaults::changed_settings(at.document);
        if !changed.is_empty() {
            let import_id = format!("{}:{}", at.id(), changed.join(","));
            finds.add(Found::new(format!("{} config", at.name()), import_id));
        }
        Ok(())
    }

    fn import_id(&self) -> ImportId {
        ImportId::Parsed { parse: parse_import, help: IMPORT_FORM }
    }

    /// Warns when the apply would replace a hook list whose live entries it
    /// does not list: an `ory_action` may own them.
    async fn plan(&self, client: &OryClient, plan: &mut Plan<'_, ProjectConfigModel>) -> Result<(), Error> {
        if let Some(project) = plan.planned.project_id.clone() {
            plan.planned.id = Some(project.clone());
            plan.planned.unknown.remove(attr!(ProjectConfigModel, id));
            // What it writes, so that no action or other resource planned
            // in this run writes the same: each key it writes whole, and
            // each secret's place (write-only ones are in the configuration).
            if let Ok(wanted) = plan.planned.wanted(false) {
                let mut parts = Vec::new();
                leaves(&wanted, "", &mut parts);
                let secrets = [&plan.config.secrets, &plan.config.secrets_wo];
                parts.extend(secrets.into_iter().flatten().flat_map(|m| m.keys()).map(Part::at));
                let hidden = plan.config.extra.iter().filter(|(row, _)| row.sensitive || row.write_only);
                parts.extend(hidden.filter_map(|(row, _)| row.pointer).map(Part::at));
                let hooks: BTreeSet<(&str, &str)> = plan
                    .config
                    .extra
                    .iter()
                    .filter_map(|(row, _)| match (row.kind, row.pointer) {
                        (flat::Kind::Hook(hook) | flat::Kind::HookConfig(hook, _), Some(list)) => Some((list, hook)),
                        _ => None,
                    })
                    .collect();
                parts.extend(hooks.into_iter().map(|(list, hook)| Part::by_key(list, "hook", "hook", hook)));
                let by = format!("ory_project_config of project {project}");
                client.claims.claim_all(&project, &parts, &by, !plan.replacing.is_empty())?;
            }
        }
        let planned = &plan.planned;
        let unchanged = plan.prior.as_ref().is_some_and(|prior| {
            prior.identity_config == planned.identity_config && prior.project_id == planned.project_id
        });
        let (Some(project), Some(_)) = (&planned.project_id, &planned.identity_config) else { return Ok(()) };
        if unchanged {
            return Ok(());
        }
        let Ok(wanted) = planned.wanted(false) else { return Ok(()) };
        let Ok(live) = client.console.projects().get(&ProjectId::from(project)).await else { return Ok(()) };
        let live = live.document();
        for op in document::patch(&live, &wanted, "") {
            if !op.path.ends_with("/hooks") {
                continue;
            }
            let listed = op.value.as_ref().and_then(Json::as_array).cloned().unwrap_or_default();
            let dropped: Vec<String> = live
                .pointer(&op.path)
                .and_then(Json::as_array)
                .into_iter()
                .flatten()
                .filter(|hook| {
                    hook["hook"] == "web_hook" && !listed.iter().any(|l| l["config"]["url"] == hook["config"]["url"])
                })
                .filter_map(|hook| hook["config"]["url"].as_str().map(str::to_string))
                .collect();
            if !dropped.is_empty() {
                plan.notes.push(
                    Diagnostic::warning(
                        "A hook list is replaced whole",
                        format!(
                            "identity_config writes the whole list at {}, so the apply removes the web hooks it does not list: {}. If an ory_action manages one of them, the two resources undo each other at every apply; manage that list in one place.",
                            op.path,
                            dropped.join(", ")
                        ),
                    )
                    .at(AttributePath::attr(attr!(ProjectConfigModel, identity_config))),
                );
            }
        }
        Ok(())
    }

    async fn create(
        &self,
        client: &OryClient,
        planned: ProjectConfigModel,
        notes: &mut Diagnostics,
    ) -> Result<ProjectConfigModel, Error> {
        self.apply(client, planned, notes).await
    }

    async fn read(
        &self,
        client: &OryClient,
        state: ProjectConfigModel,
        _: &mut Diagnostics,
    ) -> Result<Option<ProjectConfigModel>, Error> {
        match document::read_project(client, state.project()).await? {
            Some(project) => state.with(&project, false).map(Some),
            None => Ok(None),
        }
    }

    async fn update(
        &self,
        client: &OryClient,
        _prior: ProjectConfigModel,
        planned: ProjectConfigModel,
        notes: &mut Diagnostics,
    ) -> Result<ProjectConfigModel, Error> {
        self.apply(client, planned, notes).await
    }

    /// Releases the keys: the configuration stays as it is.
    async fn delete(&self, _: &OryClient, _: ProjectConfigModel, _: &mut Diagnostics) -> Result<(), Error> {
        Ok(())
    }

    fn imported(&self, state: &mut ProjectConfigModel, _: &mut Diagnostics) {
        state.id = state.project_id.clone();
    }
}

#[cfg(test)]
mod tests;
