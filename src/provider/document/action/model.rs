//! The action's model: its attributes, the hook entry they write, and its import ID.

use serde_json::{json, Map, Value as Json};

use crate::plugin::Value;
use crate::provider::client::Setting;
use crate::provider::document::slice::placed;
use crate::provider::document::slice::{Entry, KeyOf, Part};
use crate::provider::document::{escape, inline};
use crate::provider::enums::{
    ApiKeyPlace, AuthMethod, HookFlow, HookTiming, WebhookAuthType, WebhookMethod, HOOK_AUTH_METHODS,
};
use crate::provider::model::{computed, model, optional, optional_computed, required, Fallback};
use crate::provider::validators;

const DEFAULT_METHOD: &str = "POST";

/// A web hook entry's key: its method and URL, as an action's part has it.
fn web_hook_key(entry: &Json) -> Option<String> {
    if entry["hook"] != "web_hook" {
        return None;
    }
    let url = entry["config"]["url"].as_str()?;
    let method = entry["config"]["method"].as_str().unwrap_or(DEFAULT_METHOD);
    // A method is one word: with a space, it and the URL could pass for another pair.
    (!method.contains(' ')).then(|| format!("{method} {url}"))
}

/// Which attribute writes which pointer of the hook entry, most specific first.
pub(super) const ENTRY_ATTRIBUTES: &[(&str, &str)] = &[
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
            .one_of(HookFlow::NAMES)
            .force_new(),
        timing: String = required("Whether the action runs before or after the flow. Changing it replaces the action.")
            .one_of(HookTiming::NAMES)
            .force_new(),
        auth_method: String = optional(
            "For `after` hooks of `login`, `registration` and `settings`: run only after this method (the list `after.<auth_method>.hooks`). Left out, the action is in the flow's own `after.hooks` list and runs after every method. Changing it replaces the action."
        )
        .one_of(AuthMethod::NAMES)
        .force_new(),
        url: String = required("The URL the web hook calls. Changed in place: the entry keeps its place in the list.")
            .check(validators::web_hook_url),
        method: String = optional_computed(&format!("The HTTP method. Defaults to `{DEFAULT_METHOD}`."))
            .one_of(WebhookMethod::NAMES)
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
            .one_of(WebhookAuthType::NAMES),
        webhook_auth_api_key_name: String = optional("For `api_key`: the header or cookie name.").check(validators::header_name),
        webhook_auth_api_key_in: String = optional("For `api_key`: where the key goes. Ory's default is `header`.")
            .one_of(ApiKeyPlace::NAMES),
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

placed!(ActionModel);

impl ActionModel {
    pub(super) fn text(field: &Option<String>) -> &str {
        field.as_deref().unwrap_or_default()
    }

    pub(super) fn project(&self) -> &str {
        Self::text(&self.project_id)
    }

    pub(super) fn method(&self) -> &str {
        self.method.as_deref().unwrap_or(DEFAULT_METHOD)
    }

    /// The hook list this action lives in, as a JSON pointer.
    pub(super) fn list(&self) -> String {
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
    pub(super) fn part(&self) -> Part {
        let (method, url) = (self.method(), Self::text(&self.url));
        let entry = Entry {
            label: format!("a web hook calling {method} {url}"),
            key: format!("{method} {url}"),
            key_of: KeyOf::Made("web hook", web_hook_key),
        };
        Part::entry(self.list(), entry)
    }

    pub(super) fn import_form(&self) -> String {
        let (project, flow, method, url) =
            (self.project(), Self::text(&self.flow), self.method(), Self::text(&self.url));
        match self.timing.as_deref() {
            Some("before") => format!("{project}:{flow}:before:{method}:{url}"),
            _ => format!("{project}:{flow}:after:{}:{method}:{url}", Self::text(&self.auth_method)),
        }
    }

    /// The hook entry this action wants in its list.
    pub(super) fn entry(&self) -> Json {
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
    pub(super) fn as_entry_shows(&self, project: &str, entry: &Json) -> ActionModel {
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

pub(super) fn parse_import(id: &str) -> Option<Value> {
    let mut parts = id.splitn(4, ':');
    let (project, flow, timing, rest) = (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
    if !validators::is_uuid(project) || !HookFlow::NAMES.contains(&flow) {
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
    if auth_method.is_some_and(|a| !AuthMethod::NAMES.contains(&a)) {
        return None;
    }
    let (method, url) = rest.split_once(':')?;
    if !WebhookMethod::NAMES.contains(&method) || validators::web_hook_url(url).is_err() {
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
