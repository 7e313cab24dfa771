//! The table of flat attributes, one row each: name, kind, JSON pointer,
//! Ory's API name and flags.

use std::sync::LazyLock;

const TABLE: &str = include_str!("../project_config_attributes.tsv");

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
