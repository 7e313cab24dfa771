use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value as Json;

use crate::plugin::Value;
use crate::provider::document;

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
