//! The flat attributes of Ory's official `ory_project_config`
//! (`cors_enabled`, `session_lifespan`, `enable_oidc`, ...): one row each in
//! `project_config_attributes.tsv`, naming the JSON pointer it writes. The
//! table drives the schema, the docs, what a plan writes and what a read
//! shows, through the same document engine as the JSON attributes: only
//! what is written is managed, compared as the engine compares.
//!
//! An empty value (`""`, `[]`) asks for the key to be absent: Ory drops
//! empty values from a stored configuration, so a read that finds no key
//! where the configuration wrote an empty one shows no change.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::LazyLock;

use serde_json::{Map, Value as Json};

use crate::plugin::{Nesting, Type, Value};
use crate::provider::document;
use crate::provider::model::{optional, Extra, Field};
use crate::provider::validators;

const TABLE: &str = include_str!("project_config_attributes.tsv");

/// How an attribute's value becomes JSON and back.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Kind {
    Bool,
    String,
    Number,
    /// A list of strings, written whole.
    List,
    /// A map of strings, written whole: keys Ory holds beyond it are removed.
    Map,
    /// Kratos' session tokenizer templates, by name.
    TokenizerTemplates,
    /// Kratos' courier HTTP request: `auth` holds `type` beside the
    /// credentials Kratos keeps under `auth.config`.
    HttpRequest,
    /// Kratos' courier channels, each an HTTP request with an `id`.
    Channels,
    /// A web hook's credentials (`type` beside what Ory keeps under `config`).
    Auth,
    /// Keto's namespaces by name, the legacy list of `{id, name}`.
    Namespaces,
    /// `none`, `optional` or `required`: whether a session must reach the
    /// highest assurance level its identity has (`required_aal`).
    MfaEnforcement,
    /// A switch Kratos stores as `password` (on) or `default` (off).
    NodeGroup,
    /// Whether Kratos' hook of this name is in the hook list at the
    /// pointer (`session`, `show_verification_ui`, ...); the list's other
    /// entries stay as they are.
    Hook(&'static str),
    /// A key of the `config` of Kratos' hook of this name in the hook list
    /// at the pointer (`notify_previous_addresses`'s `recipients`): the
    /// hook's switch puts the hook there.
    HookConfig(&'static str, &'static str),
}

impl Kind {
    fn parse(text: &'static str) -> Option<Kind> {
        if let Some(hook) = text.strip_prefix("hook:") {
            return Some(Kind::Hook(hook));
        }
        if let Some((hook, key)) = text.strip_prefix("hook_config:").and_then(|rest| rest.split_once('.')) {
            return Some(Kind::HookConfig(hook, key));
        }
        Some(match text {
            "bool" => Kind::Bool,
            "string" => Kind::String,
            "number" => Kind::Number,
            "list" => Kind::List,
            "map" => Kind::Map,
            "tokenizer_templates" => Kind::TokenizerTemplates,
            "http_request" => Kind::HttpRequest,
            "channels" => Kind::Channels,
            "auth" => Kind::Auth,
            "namespaces" => Kind::Namespaces,
            "mfa_enforcement" => Kind::MfaEnforcement,
            "node_group" => Kind::NodeGroup,
            _ => return None,
        })
    }
}

/// One row of the table.
#[derive(Debug)]
pub struct FlatAttribute {
    pub name: &'static str,
    pub kind: Kind,
    /// What it writes; `None` for a version that only triggers a resend.
    pub pointer: Option<&'static str>,
    /// The property of Ory's normalized project revision (the console's name).
    pub console: Option<&'static str>,
    pub sensitive: bool,
    pub write_only: bool,
    /// The attribute to use instead.
    pub deprecated: Option<&'static str>,
    pub one_of: &'static [&'static str],
}

/// Every flat attribute, in the table's order.
pub fn table() -> &'static [FlatAttribute] {
    static PARSED: LazyLock<Vec<FlatAttribute>> = LazyLock::new(|| {
        TABLE.lines().filter(|line| !line.is_empty() && !line.starts_with('#')).map(parse_row).collect()
    });
    &PARSED
}

pub fn find(name: &str) -> Option<&'static FlatAttribute> {
    table().iter().find(|a| a.name == name)
}

/// A row; the table is part of the source, so a malformed row is a bug
/// that the unit tests catch.
fn parse_row(line: &'static str) -> FlatAttribute {
    let cols: Vec<&'static str> = line.split('\t').collect();
    let [name, kind, pointer, console, flags] = cols[..] else { panic!("a table row has five columns: {line:?}") };
    let mut row = FlatAttribute {
        name,
        kind: Kind::parse(kind).unwrap_or_else(|| panic!("unknown kind {kind:?} of {name}")),
        pointer: (pointer != "-").then_some(pointer),
        console: (console != "-").then_some(console),
        sensitive: false,
        write_only: false,
        deprecated: None,
        one_of: &[],
    };
    for flag in flags.split(',').filter(|f| *f != "-") {
        match flag.split_once(':') {
            None if flag == "sensitive" => row.sensitive = true,
            None if flag == "write_only" => row.write_only = true,
            Some(("deprecated", instead)) => row.deprecated = Some(instead),
            Some(("one_of", values)) => {
                row.one_of = Box::leak(values.split('|').collect::<Vec<_>>().into_boxed_slice())
            }
            _ => panic!("unknown flag {flag:?} of {name}"),
        }
    }
    row
}

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
    fn whole(&self) -> bool {
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

/// What `values` write that depends on what Ory holds now (`live`): each
/// whole map's keys beyond the written ones removed, and each hook switch's
/// list with its hook added or taken out (a list is written only when it
/// changes).
pub fn against_live(values: &FlatValues, live: &Json, wanted: &mut Json) -> Result<(), String> {
    for (row, value) in values.iter().filter(|(row, _)| row.whole()) {
        let (Some(pointer), Value::Map(mine)) = (row.pointer, value) else { continue };
        if mine.is_empty() {
            continue;
        }
        if let Some(Json::Object(theirs)) = live.pointer(pointer) {
            for key in theirs.keys().filter(|k| !mine.contains_key(*k)) {
                document::put(wanted, &format!("{pointer}/{}", document::escape(key)), Json::Null)?;
            }
        }
    }
    place_hooks(values, live, wanted)
}

/// Puts each hook switch of `values` into `wanted`: the list at its pointer
/// as `live` holds it, with the hook added or taken out. Only a list that
/// changes is written.
fn place_hooks(values: &FlatValues, live: &Json, wanted: &mut Json) -> Result<(), String> {
    let mut lists: BTreeMap<&str, Vec<Json>> = BTreeMap::new();
    // In the table's order: the order the hooks join a list in.
    let mut switches: Vec<_> = values.iter().filter(|(row, _)| matches!(row.kind, Kind::Hook(_))).collect();
    switches.sort_by_key(|(row, _)| table().iter().position(|r| std::ptr::eq(r, *row)));
    for (row, value) in switches {
        let (Kind::Hook(hook), Some(pointer), Some(on)) = (row.kind, row.pointer, value.as_bool()) else { continue };
        let list = lists
            .entry(pointer)
            .or_insert_with(|| live.pointer(pointer).and_then(Json::as_array).cloned().unwrap_or_default());
        let present = list.iter().any(|entry| entry["hook"] == hook);
        if on && !present {
            list.push(serde_json::json!({ "hook": hook }));
        } else if !on && present {
            list.retain(|entry| entry["hook"] != hook);
        }
    }
    // Then each hook's config, in the entry its switch has placed.
    for (row, value) in values.iter() {
        let (Kind::HookConfig(hook, key), Some(pointer), Some(text)) = (row.kind, row.pointer, value.as_str()) else {
            continue;
        };
        let list = lists
            .entry(pointer)
            .or_insert_with(|| live.pointer(pointer).and_then(Json::as_array).cloned().unwrap_or_default());
        let Some(Json::Object(entry)) = list.iter_mut().find(|entry| entry["hook"] == hook) else { continue };
        let config = entry.entry("config").or_insert_with(|| serde_json::json!({}));
        let Some(config) = config.as_object_mut() else { continue };
        if text.is_empty() {
            config.remove(key);
        } else {
            config.insert(key.to_string(), Json::from(text));
        }
        if config.is_empty() {
            entry.remove("config");
        }
    }
    for (pointer, list) in lists {
        if live.pointer(pointer).and_then(Json::as_array) != Some(&list) {
            document::put(wanted, pointer, Json::Array(list))?;
        }
    }
    Ok(())
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

/// The flat attributes a configuration, plan or state sets (known and
/// not null), by name.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FlatValues(pub BTreeMap<&'static str, Value>);

impl FlatValues {
    /// Each set attribute with its row.
    pub fn iter(&self) -> impl Iterator<Item = (&'static FlatAttribute, &Value)> {
        self.0.iter().filter_map(|(name, value)| Some((find(name)?, value)))
    }
}

impl Extra for FlatValues {
    fn declared() -> Vec<Field> {
        table().iter().map(FlatAttribute::field).collect()
    }

    fn decode(v: &Value, unknown: &mut BTreeSet<&'static str>) -> Self {
        let mut values = BTreeMap::new();
        for attribute in table() {
            match v.attr(attribute.name) {
                Value::Null => {}
                Value::Unknown => {
                    unknown.insert(attribute.name);
                }
                value => {
                    values.insert(attribute.name, value.clone());
                }
            }
        }
        FlatValues(values)
    }

    fn encode(&self, unknown: &BTreeSet<&'static str>) -> Vec<(&'static str, Value)> {
        table()
            .iter()
            .map(|a| {
                let value = match self.0.get(a.name) {
                    Some(value) => value.clone(),
                    None if unknown.contains(a.name) => Value::Unknown,
                    None => Value::Null,
                };
                (a.name, value)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_parses_and_its_names_are_unique_and_its_aliases_real() {
        let rows = table();
        assert!(rows.len() > 290, "{}", rows.len());
        let mut names = BTreeSet::new();
        for row in rows {
            assert!(names.insert(row.name), "{} twice", row.name);
            if let Some(instead) = row.deprecated {
                let target = find(instead).unwrap_or_else(|| panic!("{} names {instead}", row.name));
                assert_eq!(target.pointer, row.pointer, "{} and {instead}", row.name);
                assert!(target.deprecated.is_none());
            }
            if let Some(pointer) = row.pointer {
                assert!(pointer.starts_with("/services/") || pointer.starts_with("/cors_"), "{pointer}");
                // A secret never shows in a plan: its attribute hides it.
                if document::is_secret(pointer) || document::is_secret_document(pointer) {
                    assert!(row.sensitive || row.write_only, "{} holds a secret in clear", row.name);
                }
            }
        }
        // Two attributes write one pointer only as alias and name.
        let mut by_pointer: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        let hooks: Vec<String> = rows
            .iter()
            .filter_map(|r| match r.kind {
                Kind::Hook(hook) => Some(format!("{}#{hook}", r.pointer.unwrap_or_default())),
                _ => None,
            })
            .collect();
        for row in rows {
            if row.deprecated.is_some() || row.write_only || matches!(row.kind, Kind::Hook(_) | Kind::HookConfig(..)) {
                continue;
            }
            by_pointer.entry(row.pointer.unwrap_or(row.name)).or_default().push(row.name);
        }
        // Hook switches share their list, each with a hook of its own.
        let mut distinct = hooks.clone();
        distinct.sort();
        distinct.dedup();
        assert_eq!(distinct.len(), hooks.len(), "two switches of one hook in one list");
        let shared: Vec<_> = by_pointer.values().filter(|names| names.len() > 1).collect();
        assert_eq!(
            shared,
            [
                &vec!["selfservice_methods_oidc_config_base_redirect_uri", "oidc_base_redirect_uri"],
                &vec!["session_whoami_required_aal", "mfa_enforcement"],
            ]
        );
    }

    #[test]
    fn values_become_what_ory_stores_and_read_back_unchanged() {
        let write_and_read = |name: &str, value: Value| {
            let row = find(name).unwrap();
            let json = row.to_json(&value);
            let mut live = serde_json::json!({});
            if !json.is_null() {
                document::put(&mut live, row.pointer.unwrap(), json.clone()).unwrap();
            }
            (json, row.read(&live, &value))
        };
        let request = Value::object([
            ("url", Value::string("https://mail.example.com")),
            ("method", Value::Null),
            ("headers", Value::Null),
            ("body", Value::Null),
            (
                "auth",
                Value::object([
                    ("type", Value::string("basic_auth")),
                    ("user", Value::string("u")),
                    ("password", Value::string("p")),
                    ("name", Value::Null),
                    ("value", Value::Null),
                    ("in", Value::Null),
                ]),
            ),
        ]);
        let (json, read) = write_and_read("courier_http_request_config", request.clone());
        assert_eq!(
            json,
            serde_json::json!({"url": "https://mail.example.com", "auth": {"type": "basic_auth", "config": {"user": "u", "password": "p"}}})
        );
        assert_eq!(read, request);
        let (json, read) = write_and_read("keto_namespaces", Value::List(vec![Value::string("a"), Value::string("b")]));
        assert_eq!(json, serde_json::json!([{"id": 0, "name": "a"}, {"id": 1, "name": "b"}]));
        assert_eq!(read, Value::List(vec![Value::string("a"), Value::string("b")]));
        for (name, empty) in [
            ("oauth2_token_prefix", Value::string("")),
            ("allowed_return_urls", Value::List(vec![])),
            ("oauth2_provider_headers", Value::Map(BTreeMap::new())),
        ] {
            assert_eq!(write_and_read(name, empty.clone()).1, empty, "{name}");
        }
        let (json, read) = write_and_read("feature_flags_password_profile_registration_node_group", Value::Bool(true));
        assert_eq!((json, read), (Json::from("password"), Value::Bool(true)));
        // Removed outside Terraform: the read shows it gone.
        let row = find("session_lifespan").unwrap();
        assert_eq!(row.read(&serde_json::json!({}), &Value::string("24h")), Value::Null);
        let live = serde_json::json!({"services": {"identity": {"config": {"session": {"lifespan": "1h"}}}}});
        assert_eq!(row.read(&live, &Value::string("24h")), Value::string("1h"));
    }
}
