//! `ory_action`: one web hook in one of a project's hook lists
//! (`selfservice.flows.<flow>.<timing>[.<auth_method>].hooks`). It owns its
//! own entry, found by URL and HTTP method, and leaves the other entries of
//! the list where they are. Changes go through the project document engine.

mod checks;
mod model;

pub use model::ActionModel;
use model::{parse_import, ENTRY_ATTRIBUTES};
use serde_json::Value as Json;

use crate::plugin::{Diagnostics, Value};
use crate::provider::adoption::{Finds, Found, InProject};
use crate::provider::document::slice::{Part, Slice};
use crate::provider::typed::{Declared, Plan};

pub struct ActionResource;

impl Declared for ActionResource {
    type Model = ActionModel;

    fn type_name(&self) -> &'static str {
        "ory_action"
    }

    fn summary(&self) -> &'static str {
        "one web hook of a flow"
    }

    fn description(&self) -> String {
        "An Ory Action: a web hook that a project's login, registration, settings, recovery or verification flow calls before or after it runs. The action owns its own entry in its hook list, found by URL and HTTP method, and leaves the other entries where they are. An `ory_project_config` of the same configuration that writes that list (it would write it whole) is refused at plan time, as is a second action for the same hook.".into()
    }

    fn noun(&self) -> &'static str {
        "action"
    }

    fn describe(&self, m: &ActionModel) -> String {
        format!("the {} web hook {} {} of project {}", m.list(), m.method(), ActionModel::text(&m.url), m.project())
    }

    fn validate(&self, c: &ActionModel, diags: &mut Diagnostics) {
        checks::validate(c, diags)
    }
}

/// Every web hook of every flow: `(flow, timing, auth method, hook)`.
fn web_hooks(doc: &Json) -> Vec<(String, &'static str, Option<String>, Json)> {
    let mut found = Vec::new();
    let Some(Json::Object(flows)) = doc.pointer(crate::provider::document::paths::FLOWS) else { return found };
    for (flow, config) in flows {
        for timing in ["before", "after"] {
            let stage = &config[timing];
            let is_hook = |h: &&Json| h["hook"] == "web_hook";
            for hook in stage["hooks"].as_array().into_iter().flatten().filter(is_hook) {
                found.push((flow.clone(), timing, None, hook.clone()));
            }
            if timing == "after" {
                for (method, lists) in stage.as_object().into_iter().flatten() {
                    for hook in lists["hooks"].as_array().into_iter().flatten().filter(is_hook) {
                        found.push((flow.clone(), timing, Some(method.clone()), hook.clone()));
                    }
                }
            }
        }
    }
    found
}

impl Slice for ActionResource {
    fn found(&self, at: &InProject<'_>, finds: &mut Finds) {
        for (flow, timing, method, hook) in web_hooks(at.document) {
            let Some(url) = hook["config"]["url"].as_str() else { continue };
            let verb = hook["config"]["method"].as_str().unwrap_or("POST");
            let import_id = match timing {
                "before" => format!("{}:{flow}:before:{verb}:{url}", at.id()),
                _ => format!("{}:{flow}:after:{}:{verb}:{url}", at.id(), method.as_deref().unwrap_or_default()),
            };
            let named = format!("{} {flow} {timing} {}", at.name(), method.as_deref().unwrap_or("hook"));
            finds.add(Found::new(named, import_id));
        }
    }

    const THE: &'static str = "the action";
    const PLACED_BY: &'static [&'static str] = &["project_id", "flow", "timing", "auth_method", "method", "url"];
    const ATTRIBUTES: &'static [(&'static str, &'static str)] = ENTRY_ATTRIBUTES;
    const IMPORT_FORM: &'static str = "<project_id>:<flow>:before:<method>:<url>, or <project_id>:<flow>:after:<auth_method>:<method>:<url> where <auth_method> may be empty (or _) for the flow's own after-hooks (the URL may contain colons)";

    const KEEP: &'static [&'static str] = &["/config/auth/config/value", "/config/auth/config/password"];

    fn parse_import(id: &str) -> Option<Value> {
        parse_import(id)
    }

    fn plan(&self, plan: &mut Plan<'_, ActionModel>) {
        let scheme_changes =
            plan.prior.as_ref().is_none_or(|prior| prior.webhook_auth_type != plan.config.webhook_auth_type);
        if scheme_changes {
            checks::needs_credential(&plan.config, &mut plan.notes);
        }
    }

    fn import_id(&self, m: &ActionModel) -> String {
        m.import_form()
    }

    fn part(&self, m: &ActionModel) -> Part {
        m.part()
    }

    fn value(&self, m: &ActionModel, _: Option<&ActionModel>) -> Json {
        m.entry()
    }

    fn shown(&self, m: &ActionModel, project: &str, entry: &Json, _: &Json) -> ActionModel {
        m.as_entry_shows(project, entry)
    }
}

#[cfg(test)]
mod tests;
