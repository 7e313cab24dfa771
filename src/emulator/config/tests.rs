use super::*;

#[test]
fn the_default_has_the_guide_s_hook_list_and_passes_its_own_checks() {
    let services = default_services("s", "n");
    assert_eq!(services.pointer("/identity/config/selfservice/flows/login/after/hooks"), Some(&Value::Array(vec![])));
    let project = json!({ "services": services, "cors_public": default_cors(), "cors_admin": default_cors() });
    assert!(check(&project).is_ok());
}

#[test]
fn a_hook_without_url_and_a_bad_origin_are_refused_where_they_are() {
    let mut services = default_services("s", "n");
    services["identity"]["config"]["selfservice"]["flows"]["login"]["after"]["hooks"] =
        json!([{ "hook": "web_hook", "config": { "method": "POST" } }]);
    let project = json!({ "services": services, "cors_public": { "enabled": true, "origins": ["https://*.example.com", "example.com"] } });
    let e = check(&project).unwrap_err();
    assert!(e.reason.contains("/cors_public/origins/1"), "{}", e.reason);
    let project = json!({ "services": project["services"] });
    let e = check(&project).unwrap_err();
    assert_eq!(
        e.reason,
        "Unable to validate config: /services/identity/config/selfservice/flows/login/after/hooks/0/config: missing properties: \"url\""
    );
}

#[test]
fn a_hook_kratos_does_not_know_and_a_bad_recipient_scope_are_refused() {
    let with_hooks = |hooks: Value| {
        let mut services = default_services("s", "n");
        services["identity"]["config"]["selfservice"]["flows"]["settings"]["after"]["profile"] =
            json!({ "hooks": hooks });
        check(&json!({ "services": services })).map_err(|e| e.reason)
    };
    let at = "/services/identity/config/selfservice/flows/settings/after/profile/hooks/0";
    assert!(with_hooks(json!([{ "hook": "notify_previous_addresses", "config": { "recipients": "all" } }])).is_ok());
    assert!(with_hooks(json!([{ "hook": "verify_new_address" }])).is_ok());
    let e = with_hooks(json!([{ "hook": "verify_address" }])).unwrap_err();
    assert!(e.contains(&format!("{at}/hook")), "{e}");
    let e =
        with_hooks(json!([{ "hook": "notify_previous_addresses", "config": { "recipients": "old" } }])).unwrap_err();
    assert!(e.contains(&format!("{at}/config/recipients")), "{e}");
}

#[test]
fn operational_keys_are_dropped_with_a_warning_each() {
    let mut services = json!({ "identity": { "config": { "log": { "level": "debug" }, "serve": { "public": { "port": 4433, "base_url": "x" } } } } });
    let warnings = drop_operational(&mut services);
    assert_eq!(warnings.len(), 2);
    assert_eq!(services, json!({ "identity": { "config": { "serve": { "public": { "base_url": "x" } } } } }));
}
