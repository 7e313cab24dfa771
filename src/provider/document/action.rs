//! `ory_action`: one web hook in one of a project's hook lists
//! (`selfservice.flows.<flow>.<timing>[.<auth_method>].hooks`). It owns its
//! own entry, found by URL and HTTP method, and leaves the other entries of
//! the list where they are. Changes go through the project document engine.

use serde_json::{json, Map, Value as Json};

use crate::plugin::{AttributePath, Diagnostic, Diagnostics, Value};
use crate::provider::client::Setting;
use crate::provider::document::slice::{Entry, Part, Slice};
use crate::provider::document::{escape, inline};
use crate::provider::enums::{
    API_KEY_PLACES, AUTH_METHODS, HOOK_AUTH_METHODS, HOOK_FLOWS, HOOK_TIMINGS, WEBHOOK_AUTH_TYPES, WEBHOOK_METHODS,
};
use crate::provider::model::{attr, computed, model, optional, optional_computed, required, Fallback};
use crate::provider::typed::{Declared, Plan};
use crate::provider::validators;

const DEFAULT_METHOD: &str = "POST";

/// Which attribute writes which pointer of the hook entry, most specific first.
const ENTRY_ATTRIBUTES: &[(&str, &str)] = &[
    ("/config/url", "url"),
    ("/config/method", "method"),
    ("/config/body", "body"),
    ("/config/response/ignore", "response_ignore"),
    ("/config/response/parse", "response_parse"),
    ("/config/can_interrupt", "can_interrupt"),
    ("/config/auth/config/name", "webhook_auth_api_key_name"),
    ("/config/auth/config/in", "webhook_auth_api_key_in"),
    ("/config/auth/config/value", "webhook_auth_api_key_value"),
    ("/config/auth/config/user", "webhook_auth_basic_auth_user"),
    ("/config/auth/config/password", "webhook_auth_basic_auth_password"),
    ("/config/auth", "webhook_auth_type"),
];

model! {
    pub struct ActionModel {
        id: String = computed("The action's import ID: `<project_id>:<flow>:before:<method>:<url>`, or `<project_id>:<flow>:after:<auth_method>:<method>:<url>` with an empty `<auth_method>` for the flow's own after-hooks."),
        project_id: String = optional_computed(
            "The project. Defaults to the provider's `project_id`. Changing it replaces the action."
        )
        .check(validators::uuid)
        .default(Fallback::Provider(Setting::ProjectId))
        .force_new(),
        flow: String = required("The self-service flow whose hooks run this action. Changing it replaces the action.")
            .one_of(HOOK_FLOWS)
            .force_new(),
        timing: String = required("Whether the action runs before or after the flow. Changing it replaces the action.")
            .one_of(HOOK_TIMINGS)
            .force_new(),
        auth_method: String = optional(
            "For `after` hooks of `login`, `registration` and `settings`: run only after this method (the list `after.<auth_method>.hooks`). Left out, the action is in the flow's own `after.hooks` list and runs after every method. Changing it replaces the action."
        )
        .one_of(AUTH_METHODS)
        .force_new(),
        url: String = required("The URL the web hook calls. Changed in place: the entry keeps its place in the list.")
            .check(validators::web_hook_url),
        method: String = optional_computed(&format!("The HTTP method. Defaults to `{DEFAULT_METHOD}`."))
            .one_of(WEBHOOK_METHODS)
            .default(Fallback::Always(Value::string(DEFAULT_METHOD))),
        body: String = optional(
            "The request body's Jsonnet: its source (sent as a `base64://` URL), or a `base64://`, `https://` or `file://` URL, sent as it is."
        )
        .same_when(inline::same_body),
        response_ignore: bool = optional_computed("Run the hook without waiting for its answer. Defaults to false.")
            .default(Fallback::Always(Value::Bool(false))),
        response_parse: bool = optional_computed("Let the answer change the identity. Defaults to false.")
            .default(Fallback::Always(Value::Bool(false))),
        can_interrupt: bool = optional_computed("Let the answer stop the flow. Defaults to false.")
            .default(Fallback::Always(Value::Bool(false))),
        webhook_auth_type: String = optional("How the web hook authenticates; left out, it does not.")
            .one_of(WEBHOOK_AUTH_TYPES),
        webhook_auth_api_key_name: String = optional("For `api_key`: the header or cookie name.").check(validators::header_name),
        webhook_auth_api_key_in: String = optional("For `api_key`: where the key goes. Ory's default is `header`.")
            .one_of(API_KEY_PLACES),
        webhook_auth_api_key_value: String = optional(
            "For `api_key`: the key. Sensitive, and kept in the state; `webhook_auth_api_key_value_wo` keeps it out. Needed (in one form) to create the hook or change its `webhook_auth_type`; left out of an existing hook's configuration (as after an import), the key Ory holds is kept."
        )
        .sensitive(),
        webhook_auth_api_key_value_wo: String = optional(
            "For `api_key`: the key, write-only: never kept in the plan or the state (Terraform 1.11 or later). Change `webhook_auth_api_key_value_wo_version` to send a new one."
        )
        .write_only(),
        webhook_auth_api_key_value_wo_version: String = optional("Any text; changing it sends `webhook_auth_api_key_value_wo` again."),
        webhook_auth_basic_auth_user: String = optional("For `basic_auth`: the user."),
        webhook_auth_basic_auth_password: String = optional(
            "For `basic_auth`: the password. Sensitive, and kept in the state; `webhook_auth_basic_auth_password_wo` keeps it out. Needed (in one form) to create the hook or change its `webhook_auth_type`; left out of an existing hook's configuration (as after an import), the password Ory holds is kept."
        )
        .sensitive(),
        webhook_auth_basic_auth_password_wo: String = optional(
            "For `basic_auth`: the password, write-only: never kept in the plan or the state (Terraform 1.11 or later). Change `webhook_auth_basic_auth_password_wo_version` to send a new one."
        )
        .write_only(),
        webhook_auth_basic_auth_password_wo_version: String = optional("Any text; changing it sends `webhook_auth_basic_auth_password_wo` again."),
    }
}

impl ActionModel {
    fn text(field: &Option<String>) -> &str {
        field.as_deref().unwrap_or_default()
    }

    fn project(&self) -> &str {
        Self::text(&self.project_id)
    }

    fn method(&self) -> &str {
        self.method.as_deref().unwrap_or(DEFAULT_METHOD)
    }

    /// The hook list this action lives in, as a JSON pointer.
    fn list(&self) -> String {
        let mut pointer = format!(
            "{}/{}/{}",
            crate::provider::document::paths::FLOWS,
            escape(Self::text(&self.flow)),
            escape(Self::text(&self.timing))
        );
        if let Some(method) = &self.auth_method {
            pointer = format!("{pointer}/{}", escape(method));
        }
        format!("{pointer}/hooks")
    }

    /// The action's entry: the web hook in its list calling its method and URL.
    fn part(&self) -> Part {
        let (method, url) = (self.method().to_string(), Self::text(&self.url).to_string());
        let entry = Entry {
            label: format!("a web hook calling {method} {url}"),
            key: format!("{method} {url}"),
            is_it: Box::new(move |e: &Json| {
                e["hook"] == "web_hook"
                    && e["config"]["url"] == url.as_str()
                    && e["config"]["method"].as_str().unwrap_or(DEFAULT_METHOD) == method
            }),
        };
        Part::entry(self.list(), entry)
    }

    fn import_form(&self) -> String {
        let (project, flow, method, url) =
            (self.project(), Self::text(&self.flow), self.method(), Self::text(&self.url));
        match self.timing.as_deref() {
            Some("before") => format!("{project}:{flow}:before:{method}:{url}"),
            _ => format!("{project}:{flow}:after:{}:{method}:{url}", Self::text(&self.auth_method)),
        }
    }

    /// The hook entry this action wants in its list.
    fn entry(&self) -> Json {
        let mut config = Map::new();
        config.insert("url".into(), Self::text(&self.url).into());
        config.insert("method".into(), self.method().into());
        if let Some(body) = &self.body {
            config.insert("body".into(), inline::sent(body).into());
        }
        config.insert("can_interrupt".into(), self.can_interrupt.unwrap_or(false).into());
        config.insert(
            "response".into(),
            json!({ "ignore": self.response_ignore.unwrap_or(false), "parse": self.response_parse.unwrap_or(false) }),
        );
        let secret = |kept: &Option<String>, write_only: &Option<String>| kept.clone().or_else(|| write_only.clone());
        match self.webhook_auth_type.as_deref() {
            Some("api_key") => {
                let mut auth = Map::new();
                auth.insert("name".into(), Self::text(&self.webhook_auth_api_key_name).into());
                // Left out, an update keeps the one Ory holds (`KEEP`).
                if let Some(value) = secret(&self.webhook_auth_api_key_value, &self.webhook_auth_api_key_value_wo) {
                    auth.insert("value".into(), value.into());
                }
                if let Some(place) = &self.webhook_auth_api_key_in {
                    auth.insert("in".into(), place.clone().into());
                }
                config.insert("auth".into(), json!({ "type": "api_key", "config": auth }));
            }
            Some("basic_auth") => {
                let password =
                    secret(&self.webhook_auth_basic_auth_password, &self.webhook_auth_basic_auth_password_wo);
                let mut auth = Map::new();
                auth.insert("user".into(), Self::text(&self.webhook_auth_basic_auth_user).into());
                if let Some(password) = password {
                    auth.insert("password".into(), password.into());
                }
                config.insert("auth".into(), json!({ "type": "basic_auth", "config": auth }));
            }
            _ => {}
        }
        json!({ "hook": "web_hook", "config": config })
    }

    /// The state from the entry Ory holds; secrets are read back only where
    /// the state keeps them.
    fn as_entry_shows(&self, project: &str, entry: &Json) -> ActionModel {
        let config = &entry["config"];
        let text = |pointer: &str| config.pointer(pointer).and_then(Json::as_str).map(str::to_string);
        let flag = |pointer: &str| Some(config.pointer(pointer).and_then(Json::as_bool).unwrap_or(false));
        let auth_type = text("/auth/type");
        let is = |kind: &str| auth_type.as_deref() == Some(kind);
        ActionModel {
            project_id: Some(project.to_string()),
            flow: self.flow.clone(),
            timing: self.timing.clone(),
            auth_method: self.auth_method.clone(),
            url: text("/url"),
            method: Some(text("/method").unwrap_or_else(|| DEFAULT_METHOD.to_string())),
            body: inline::seen(self.body.as_deref(), config.get("body").and_then(Json::as_str)),
            response_ignore: flag("/response/ignore"),
            response_parse: flag("/response/parse"),
            can_interrupt: flag("/can_interrupt"),
            webhook_auth_api_key_name: text("/auth/config/name").filter(|_| is("api_key")),
            webhook_auth_api_key_in: self.webhook_auth_api_key_in.as_ref().and(text("/auth/config/in")),
            webhook_auth_api_key_value: self.webhook_auth_api_key_value.as_ref().and(text("/auth/config/value")),
            webhook_auth_api_key_value_wo_version: self.webhook_auth_api_key_value_wo_version.clone(),
            webhook_auth_basic_auth_user: text("/auth/config/user").filter(|_| is("basic_auth")),
            webhook_auth_basic_auth_password: self
                .webhook_auth_basic_auth_password
                .as_ref()
                .and(text("/auth/config/password")),
            webhook_auth_basic_auth_password_wo_version: self.webhook_auth_basic_auth_password_wo_version.clone(),
            webhook_auth_type: auth_type,
            ..ActionModel::default()
        }
    }
}

fn parse_import(id: &str) -> Option<Value> {
    let mut parts = id.splitn(4, ':');
    let (project, flow, timing, rest) = (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
    if !validators::is_uuid(project) || !HOOK_FLOWS.contains(&flow) {
        return None;
    }
    let (auth_method, rest) = match timing {
        "before" => (None, rest),
        "after" => {
            let (auth, rest) = rest.split_once(':')?;
            let has_methods = HOOK_AUTH_METHODS.iter().any(|(f, _)| *f == flow);
            // `_` is how Ory's provider writes "no method" (a flow's own
            // after-hooks), as empty is ours.
            (Some(auth).filter(|a| !a.is_empty() && *a != "_" && has_methods), rest)
        }
        _ => return None,
    };
    if auth_method.is_some_and(|a| !AUTH_METHODS.contains(&a)) {
        return None;
    }
    let (method, url) = rest.split_once(':')?;
    if !WEBHOOK_METHODS.contains(&method) || validators::web_hook_url(url).is_err() {
        return None;
    }
    Some(Value::object([
        ("project_id", Value::string(project)),
        ("flow", Value::string(flow)),
        ("timing", Value::string(timing)),
        ("auth_method", Value::opt_string(auth_method)),
        ("method", Value::string(method)),
        ("url", Value::string(url)),
    ]))
}

/// Which attributes of one kind of authentication a configuration sets.
type Given<'a> = &'a [(bool, &'static str)];

pub struct ActionResource;

impl Declared for ActionResource {
    type Model = ActionModel;

    fn type_name(&self) -> &'static str {
        "ory_action"
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
        let mut refuse = |attr: &str, detail: String| {
            diags.push(Diagnostic::error(format!("Invalid {attr}"), detail).at(AttributePath::attr(attr)));
        };
        if let (Some(method), Some(flow)) = (&c.auth_method, &c.flow) {
            let allowed = HOOK_AUTH_METHODS.iter().find(|(f, _)| f == flow).map(|(_, m)| *m).unwrap_or_default();
            if c.timing.as_deref() == Some("before") {
                refuse(
                    attr!(ActionModel, auth_method),
                    "auth_method applies to after hooks only; leave it out for timing = \"before\".".into(),
                );
            } else if allowed.is_empty() {
                refuse(
                    attr!(ActionModel, auth_method),
                    format!(
                        "The {flow} flow has no per-method hooks; leave auth_method out to run after every {flow}."
                    ),
                );
            } else if !allowed.contains(&method.as_str()) {
                refuse(
                    attr!(ActionModel, auth_method),
                    format!("auth_method for the {flow} flow must be one of {}; got {method:?}.", allowed.join(", ")),
                );
            }
        }
        if c.response_ignore == Some(true) && (c.response_parse == Some(true) || c.can_interrupt == Some(true)) {
            refuse(
                attr!(ActionModel, response_ignore),
                "An ignored answer can neither change the identity (response_parse) nor stop the flow (can_interrupt); set only one.".into(),
            );
        }
        let set = |field: &Option<String>, name: &str| field.is_some() || c.unknown.contains(name);
        let api_key = [
            (
                set(&c.webhook_auth_api_key_name, "webhook_auth_api_key_name"),
                attr!(ActionModel, webhook_auth_api_key_name),
            ),
            (set(&c.webhook_auth_api_key_in, "webhook_auth_api_key_in"), attr!(ActionModel, webhook_auth_api_key_in)),
            (
                set(&c.webhook_auth_api_key_value, "webhook_auth_api_key_value"),
                attr!(ActionModel, webhook_auth_api_key_value),
            ),
            (
                set(&c.webhook_auth_api_key_value_wo, "webhook_auth_api_key_value_wo"),
                attr!(ActionModel, webhook_auth_api_key_value_wo),
            ),
        ];
        let basic = [
            (
                set(&c.webhook_auth_basic_auth_user, "webhook_auth_basic_auth_user"),
                attr!(ActionModel, webhook_auth_basic_auth_user),
            ),
            (
                set(&c.webhook_auth_basic_auth_password, "webhook_auth_basic_auth_password"),
                attr!(ActionModel, webhook_auth_basic_auth_password),
            ),
            (
                set(&c.webhook_auth_basic_auth_password_wo, "webhook_auth_basic_auth_password_wo"),
                attr!(ActionModel, webhook_auth_basic_auth_password_wo),
            ),
        ];
        let kind = c.webhook_auth_type.as_deref();
        let (own, other): (Given, Given) = match kind {
            Some("api_key") => (&api_key, &basic),
            Some("basic_auth") => (&basic, &api_key),
            _ if c.unknown.contains("webhook_auth_type") => return,
            _ => (&[], &[]),
        };
        for (is_set, name) in api_key.iter().chain(&basic) {
            if *is_set && !own.iter().any(|(_, n)| n == name) {
                let why = match kind {
                    Some(kind) if other.iter().any(|(_, n)| n == name) => {
                        format!("{name} is for another webhook_auth_type than {kind:?}; leave it out.")
                    }
                    _ => format!("{name} needs webhook_auth_type to say how the hook authenticates."),
                };
                refuse(name, why);
            }
        }
        // Both forms of one secret are refused; neither is refused only
        // when the hook is made (see `plan`): Ory keeps an existing one.
        let not_both = |kept: usize, write_only: usize, refuse: &mut dyn FnMut(&str, String)| {
            if own[kept].0 && own[write_only].0 {
                refuse(own[write_only].1, format!("Set {} or {}, not both.", own[kept].1, own[write_only].1))
            }
        };
        match kind {
            Some("api_key") => {
                if !own[0].0 {
                    refuse(own[0].1, "webhook_auth_type \"api_key\" needs the header or cookie name.".into());
                }
                not_both(2, 3, &mut refuse);
            }
            Some("basic_auth") => {
                if !own[0].0 {
                    refuse(own[0].1, "webhook_auth_type \"basic_auth\" needs the user.".into());
                }
                not_both(1, 2, &mut refuse);
            }
            _ => {}
        }
    }
}

/// The credential a new hook, or one whose scheme changes, needs: an
/// existing one keeps the one Ory holds when the configuration leaves it
/// out (configuration generated from an import writes it null).
fn needs_credential(c: &ActionModel, diags: &mut Diagnostics) {
    let value = crate::provider::model::Model::to_value(c);
    let may_be_set = |name: &str| !value.attr(name).is_null();
    let (kind, kept, write_only) = match c.webhook_auth_type.as_deref() {
        Some("api_key") => ("api_key", "webhook_auth_api_key_value", "webhook_auth_api_key_value_wo"),
        Some("basic_auth") => ("basic_auth", "webhook_auth_basic_auth_password", "webhook_auth_basic_auth_password_wo"),
        _ => return,
    };
    if !may_be_set(kept) && !may_be_set(write_only) {
        diags.attr_error(
            kept,
            format!("Invalid {kept}"),
            format!("webhook_auth_type {kind:?} needs {kept} or {write_only}."),
        );
    }
}

impl Slice for ActionResource {
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
            needs_credential(&plan.config, &mut plan.notes);
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
