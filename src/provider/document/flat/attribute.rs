//! One flat attribute: its schema field, and its value written to JSON
//! and read back from what Ory holds.

use std::collections::BTreeMap;

use serde_json::{Map, Value as Json};

use super::table::{FlatAttribute, Kind};
use crate::plugin::{Nesting, Type, Value};
use crate::provider::document;
use crate::provider::model::{optional, Field};
use crate::provider::validators;

fn leaf(name: &'static str, ty: Type) -> Field {
    Field::of::<String>(optional(""), name).typed(ty)
}

fn auth_fields() -> Vec<Field> {
    vec![
        leaf("type", Type::String),
        leaf("user", Type::String),
        leaf("password", Type::String).sensitive(),
        leaf("name", Type::String),
        leaf("value", Type::String).sensitive(),
        leaf("in", Type::String),
    ]
}

fn http_request_fields() -> Vec<Field> {
    let auth = auth_fields();
    vec![
        leaf("url", Type::String),
        leaf("method", Type::String),
        leaf("headers", Type::map(Type::String)),
        leaf("body", Type::String),
        leaf("auth", Type::String).nested_in(auth, Nesting::Single),
    ]
}

impl FlatAttribute {
    fn description(&self) -> String {
        let mut text = match (self.pointer, self.kind) {
            (Some(pointer), Kind::Hook(hook)) => format!("Whether the `{hook}` hook is in the list `{pointer}`"),
            (Some(pointer), Kind::HookConfig(hook, key)) => {
                format!("The `config.{key}` of the `{hook}` hook in the list `{pointer}`")
            }
            (Some(pointer), _) => format!("Sets `{pointer}` in the project's configuration"),
            (None, _) => "Any text; changing it sends `smtp_connection_uri_wo` again".to_string(),
        };
        if let Some(console) = self.console {
            text.push_str(&format!(" (`{console}` in Ory's API)"));
        }
        text.push('.');
        text.push_str(match self.kind {
            Kind::List => " Written whole; `[]` removes it.",
            Kind::Map => " Written whole: a key Ory holds beyond these is removed; `{}` removes the map.",
            Kind::TokenizerTemplates => {
                " Templates by name, each with `ttl`, `jwks_url`, `claims_mapper_url` and `subject_source`."
            }
            Kind::HttpRequest => {
                " `auth.type` is `basic_auth` (with `user`, `password`) or `api_key` (with `name`, `value`, `in`)."
            }
            Kind::Auth => " `type` is `api_key` (with `name`, `value`, `in`) or `basic_auth` (with `user`, `password`).",
            Kind::Channels => {
                " Each channel is an `id` and the HTTP `request_config` it is sent with; the list is written whole."
            }
            Kind::Namespaces => " Written as Keto's list of `{id, name}`.",
            Kind::MfaEnforcement => " `required` sets `highest_available`; `none` and `optional` set `aal1`.",
            Kind::NodeGroup => " Kratos stores `true` as `password` and `false` as `default`.",
            Kind::Hook(_) => " `true` puts the hook in the list, `false` takes it out; the list's other entries (such as web hooks of `ory_action`) stay.",
            Kind::HookConfig(..) => " Needs the hook's switch set to `true`.",
            Kind::String if self.pointer.is_some() => " `\"\"` removes it.",
            _ => "",
        });
        if self.write_only {
            text.push_str(" Write-only (Terraform 1.11 or later): never kept in the plan or the state; change `smtp_connection_uri_wo_version` to send it again.");
        } else if self.sensitive {
            text.push_str(" Sensitive, and kept in the state; see the `_wo` form where there is one.");
        }
        if let Some(instead) = self.deprecated {
            text.push_str(&format!(" Deprecated: use `{instead}`, which writes the same key."));
        }
        text.push_str(" Left out: not managed.");
        text
    }

    /// The attribute's declaration.
    pub fn field(&self) -> Field {
        let ty = match self.kind {
            Kind::Bool | Kind::NodeGroup | Kind::Hook(_) => Type::Bool,
            Kind::String | Kind::MfaEnforcement | Kind::HookConfig(..) => Type::String,
            Kind::Number => Type::Number,
            Kind::List | Kind::Namespaces => Type::list(Type::String),
            Kind::Map => Type::map(Type::String),
            Kind::TokenizerTemplates | Kind::HttpRequest | Kind::Channels | Kind::Auth => Type::String,
        };
        let mut field = Field::of::<String>(optional(&self.description()), self.name).typed(ty).one_of(self.one_of);
        field = match self.kind {
            Kind::TokenizerTemplates => field.nested_in(
                ["ttl", "jwks_url", "claims_mapper_url", "subject_source"].map(|n| leaf(n, Type::String)).to_vec(),
                Nesting::Map,
            ),
            Kind::HttpRequest => field.nested_in(http_request_fields(), Nesting::Single),
            Kind::Auth => field.nested_in(auth_fields(), Nesting::Single),
            Kind::Channels => field.nested_in(
                vec![
                    leaf("id", Type::String),
                    leaf("request_config", Type::String).nested_in(http_request_fields(), Nesting::Single),
                ],
                Nesting::List,
            ),
            _ => field,
        };
        if self.write_only {
            field = field.write_only();
        } else if self.sensitive {
            field = field.sensitive();
        }
        if self.deprecated.is_some() {
            field = field.deprecated();
        }
        field
    }

    /// What a known, non-null value writes at the pointer: `Null` for an
    /// empty one (the key absent).
    pub fn to_json(&self, value: &Value) -> Json {
        match (self.kind, value) {
            (Kind::String, Value::String(text)) if text.is_empty() => Json::Null,
            (Kind::Map | Kind::TokenizerTemplates, Value::Map(items)) if items.is_empty() => Json::Null,
            (Kind::List | Kind::Namespaces | Kind::Channels, Value::List(items)) if items.is_empty() => Json::Null,
            (Kind::NodeGroup, Value::Bool(on)) => Json::from(if *on { "password" } else { "default" }),
            (Kind::MfaEnforcement, Value::String(level)) => {
                Json::from(if level == "required" { "highest_available" } else { "aal1" })
            }
            (Kind::Namespaces, Value::List(names)) => Json::Array(
                names.iter().enumerate().map(|(id, name)| serde_json::json!({"id": id, "name": plain(name)})).collect(),
            ),
            (Kind::HttpRequest, request) => http_request(request),
            (Kind::Auth, auth) => auth_of(auth),
            (Kind::Channels, Value::List(channels)) => Json::Array(
                channels
                    .iter()
                    .map(|channel| {
                        serde_json::json!({
                            "id": plain(channel.attr("id")),
                            "type": "http",
                            "request_config": http_request(channel.attr("request_config")),
                        })
                    })
                    .collect(),
            ),
            _ => plain(value),
        }
    }

    /// What a read shows for `mine`, the value the state holds: `mine` when
    /// Ory holds what it writes, else Ory's value as this attribute's type
    /// (null when Ory holds none, or a value of another shape).
    pub fn read(&self, live: &Json, mine: &Value) -> Value {
        let Some(pointer) = self.pointer else { return mine.clone() };
        match self.kind {
            Kind::Hook(hook) => return Value::Bool(hook_in(live.pointer(pointer), hook)),
            Kind::HookConfig(hook, key) => {
                return match hook_config(live.pointer(pointer), hook, key) {
                    Some(theirs) => Value::string(theirs),
                    None if hook_in(live.pointer(pointer), hook) && mine.as_str() == Some("") => mine.clone(),
                    None => Value::Null,
                }
            }
            _ => {}
        }
        let wanted = self.to_json(mine);
        let theirs = live.pointer(pointer);
        let holds_it = match (&wanted, theirs) {
            (Json::Null, None | Some(Json::Null)) => true,
            (Json::Null, Some(_)) => false,
            (_, None) => false,
            (wanted, Some(theirs)) => {
                validators::same(&document::view(theirs, wanted), wanted)
                    && (!self.whole() || no_more_keys(theirs, wanted))
            }
        };
        if holds_it {
            return mine.clone();
        }
        theirs.map_or(Value::Null, |theirs| self.convert(Some(mine), theirs))
    }

    /// A value of this attribute's type, for an import ID that names it:
    /// the first read replaces it with Ory's ([`FlatAttribute::imported`]).
    pub fn placeholder(&self) -> Value {
        match self.kind {
            Kind::Bool | Kind::NodeGroup | Kind::Hook(_) => Value::Bool(false),
            Kind::String | Kind::MfaEnforcement | Kind::HookConfig(..) => Value::string(""),
            Kind::Number => Value::Number("0".into()),
            Kind::List | Kind::Namespaces | Kind::Channels => Value::List(Vec::new()),
            Kind::Map | Kind::TokenizerTemplates => Value::Map(BTreeMap::new()),
            Kind::HttpRequest => full_http_request(),
            Kind::Auth => full_auth(),
        }
    }

    /// What an import that names this attribute reads: Ory's whole value.
    pub fn imported(&self, live: &Json) -> Value {
        let theirs = self.pointer.and_then(|pointer| live.pointer(pointer));
        match self.kind {
            Kind::Hook(hook) => return Value::Bool(hook_in(theirs, hook)),
            Kind::HookConfig(hook, key) => return hook_config(theirs, hook, key).map_or(Value::Null, Value::string),
            _ => {}
        }
        theirs.map_or(Value::Null, |theirs| self.convert(None, theirs))
    }

    /// Whether the attribute is an object written whole (its keys, not
    /// each key's attributes).
    pub(super) fn whole(&self) -> bool {
        matches!(self.kind, Kind::Map | Kind::TokenizerTemplates)
    }

    /// Ory's value as this attribute's type, with the keys and attributes
    /// of `mine` (all of Ory's without it); null for a value of another
    /// shape.
    fn convert(&self, mine: Option<&Value>, theirs: &Json) -> Value {
        match self.kind {
            Kind::Bool => theirs.as_bool().map_or(Value::Null, Value::Bool),
            Kind::String => theirs.as_str().map_or(Value::Null, Value::string),
            Kind::Number => theirs.as_number().map_or(Value::Null, |n| Value::Number(n.to_string())),
            Kind::List => strings(theirs),
            Kind::Map => {
                let Json::Object(theirs) = theirs else { return Value::Null };
                Value::Map(theirs.iter().map(|(key, value)| (key.clone(), Value::string(text_of(value)))).collect())
            }
            Kind::NodeGroup => match theirs.as_str() {
                Some("password") => Value::Bool(true),
                Some("default") => Value::Bool(false),
                _ => Value::Null,
            },
            Kind::Hook(hook) => Value::Bool(hook_in(Some(theirs), hook)),
            Kind::HookConfig(hook, key) => hook_config(Some(theirs), hook, key).map_or(Value::Null, Value::string),
            Kind::MfaEnforcement => match theirs.as_str() {
                Some("highest_available") => Value::string("required"),
                Some("aal1") => Value::string("optional"),
                _ => Value::Null,
            },
            Kind::Namespaces => match theirs {
                Json::Array(list) => Value::List(list.iter().map(|n| Value::string(text_of(&n["name"]))).collect()),
                _ => Value::Null,
            },
            Kind::TokenizerTemplates => {
                let Json::Object(theirs) = theirs else { return Value::Null };
                // Every template Ory holds; each with the attributes `mine` gives it.
                let whole = full_template();
                let shape = |name: &String| match mine {
                    Some(Value::Map(mine)) => mine.get(name).unwrap_or(&whole),
                    _ => &whole,
                };
                Value::Map(
                    theirs.iter().map(|(name, template)| (name.clone(), object_like(shape(name), template))).collect(),
                )
            }
            Kind::HttpRequest => http_request_read(mine.unwrap_or(&full_http_request()), theirs),
            Kind::Auth => object_like(mine.unwrap_or(&full_auth()), &flat_auth(theirs)),
            Kind::Channels => {
                let Json::Array(theirs) = theirs else { return Value::Null };
                let whole = Value::object([("id", Value::string("")), ("request_config", full_http_request())]);
                Value::List(
                    theirs
                        .iter()
                        .enumerate()
                        .map(|(i, channel)| {
                            let shape = match mine {
                                Some(Value::List(mine)) => mine.get(i).unwrap_or(&whole),
                                _ => &whole,
                            };
                            Value::object([
                                ("id", channel.get("id").map_or(Value::Null, |id| Value::string(text_of(id)))),
                                (
                                    "request_config",
                                    http_request_read(
                                        shape.attr("request_config"),
                                        channel.get("request_config").unwrap_or(&Json::Null),
                                    ),
                                ),
                            ])
                        })
                        .collect(),
                )
            }
        }
    }
}

/// Shapes with every attribute, for [`object_like`] to fill in whole.
fn full_template() -> Value {
    Value::object(["ttl", "jwks_url", "claims_mapper_url", "subject_source"].map(|n| (n, Value::string(""))))
}

fn full_auth() -> Value {
    Value::object(["type", "user", "password", "name", "value", "in"].map(|n| (n, Value::string(""))))
}

fn full_http_request() -> Value {
    let auth = full_auth();
    Value::object([
        ("url", Value::string("")),
        ("method", Value::string("")),
        ("headers", Value::Map(BTreeMap::new())),
        ("body", Value::string("")),
        ("auth", auth),
    ])
}

/// A value as JSON, objects without their null attributes.
fn plain(value: &Value) -> Json {
    match value {
        Value::Bool(b) => Json::Bool(*b),
        Value::Number(n) => serde_json::from_str(n).unwrap_or_else(|_| Json::String(n.clone())),
        Value::String(s) => Json::String(s.clone()),
        Value::List(items) | Value::Set(items) | Value::Tuple(items) => Json::Array(items.iter().map(plain).collect()),
        Value::Map(map) | Value::Object(map) => {
            Json::Object(map.iter().filter(|(_, v)| !v.is_null()).map(|(k, v)| (k.clone(), plain(v))).collect())
        }
        _ => Json::Null,
    }
}

fn text_of(value: &Json) -> String {
    match value {
        Json::String(text) => text.clone(),
        other => other.to_string(),
    }
}

fn strings(value: &Json) -> Value {
    match value {
        Json::Array(items) => Value::List(items.iter().map(|item| Value::string(text_of(item))).collect()),
        _ => Value::Null,
    }
}

/// Ory's credentials: `{type, config: {...credentials}}`.
fn auth_of(auth: &Value) -> Json {
    let Json::Object(written) = plain(auth) else { return Json::Null };
    let (mut json, credentials): (Map<String, Json>, Map<String, Json>) =
        written.into_iter().partition(|(k, _)| k == "type");
    if !credentials.is_empty() {
        json.insert("config".into(), Json::Object(credentials));
    }
    Json::Object(json)
}

/// Ory's credentials with their `config` beside `type`.
fn flat_auth(theirs: &Json) -> Json {
    let mut flat = theirs.clone();
    if let Some(auth) = flat.as_object_mut() {
        if let Some(Json::Object(config)) = auth.remove("config") {
            auth.extend(config);
        }
    }
    flat
}

/// Kratos' request, its `auth` as Ory keeps it.
fn http_request(request: &Value) -> Json {
    let mut json = plain(request);
    if json.get("auth").is_some() {
        json["auth"] = auth_of(request.attr("auth"));
    }
    json
}

fn http_request_read(mine: &Value, theirs: &Json) -> Value {
    let mut flat = theirs.clone();
    if let Some(auth) = flat.get_mut("auth") {
        *auth = flat_auth(auth);
    }
    object_like(mine, &flat)
}

/// Ory's object as an object value shaped like `mine`: its attributes
/// (nested ones recursively), each null where Ory holds none.
fn object_like(mine: &Value, theirs: &Json) -> Value {
    let Value::Object(attrs) = mine else { return Value::Null };
    Value::Object(
        attrs
            .iter()
            .map(|(name, shape)| {
                let value = match (shape, theirs.get(name)) {
                    (_, None | Some(Json::Null)) => Value::Null,
                    (Value::Object(_), Some(inner)) => object_like(shape, inner),
                    (Value::Map(_), Some(Json::Object(inner))) => {
                        Value::Map(inner.iter().map(|(k, v)| (k.clone(), Value::string(text_of(v)))).collect())
                    }
                    (Value::Null, Some(_)) => Value::Null,
                    (_, Some(inner)) => Value::string(text_of(inner)),
                };
                (name.clone(), value)
            })
            .collect(),
    )
}

/// Whether a hook list holds the hook of this name.
fn hook_in(list: Option<&Json>, hook: &str) -> bool {
    list.and_then(Json::as_array).is_some_and(|list| list.iter().any(|entry| entry["hook"] == hook))
}

/// The text at `config.<key>` of the hook of this name in a hook list.
fn hook_config(list: Option<&Json>, hook: &str, key: &str) -> Option<String> {
    let entry = list?.as_array()?.iter().find(|entry| entry["hook"] == hook)?;
    entry.get("config")?.get(key).map(text_of)
}

/// Whether `theirs` holds no key `wanted` does not.
fn no_more_keys(theirs: &Json, wanted: &Json) -> bool {
    match (theirs, wanted) {
        (Json::Object(theirs), Json::Object(wanted)) => theirs.keys().all(|k| wanted.contains_key(k)),
        _ => true,
    }
}
