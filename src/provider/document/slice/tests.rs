use serde_json::json;

use super::edit::{add, find, then_set, Found};
use super::*;
use crate::console::{self, PatchOp};
use crate::provider::errors::Error;
use crate::provider::framework::ownership::{within, Claims, KeyOf};

fn hook(url: &str) -> Entry {
    Entry {
        label: format!("a web hook calling {url}"),
        key: url.to_string(),
        key_of: KeyOf::Made("url", |e| e["config"]["url"].as_str().map(str::to_string)),
    }
}

#[test]
fn parts_are_found_and_added_where_the_project_has_nothing_yet() {
    let live = json!({"services": {"identity": {"config": {"selfservice": {"flows": {"login": {"after": {}}}}}}}});
    let list = "/services/identity/config/selfservice/flows/login/after/oidc/hooks";
    let part = Part::entry(list, hook("https://x"));
    assert!(matches!(find(&live, &part), Found::Absent));
    assert_eq!(
        add(&live, &part, json!(1)),
        PatchOp::add("/services/identity/config/selfservice/flows/login/after/oidc", json!({"hooks": [1]}))
    );
    let fixed = Part::at("/services/identity/config/courier/templates/recovery_code/valid");
    assert_eq!(
        add(&live, &fixed, json!({"email": {}})),
        PatchOp::add(
            "/services/identity/config/courier",
            json!({"templates": {"recovery_code": {"valid": {"email": {}}}}})
        )
    );
    let two = json!({"l": [{"config": {"url": "https://x"}}, {"config": {"url": "https://x"}}]});
    assert!(matches!(find(&two, &Part::entry("/l", hook("https://x"))), Found::Several(ref f) if f == &[0, 1]));
    assert!(matches!(find(&two, &Part::entry("/l", hook("https://y"))), Found::Absent));
}

#[test]
fn values_that_go_with_a_part_never_erase_the_parent_it_adds() {
    let live = json!({"methods": {}});
    let part = Part::entry("/methods/saml/config/providers", hook("https://x"));
    let ops = then_set(
        &live,
        vec![add(&live, &part, json!({"id": "x"}))],
        &[(Part::at("/methods/saml/enabled"), json!(true))],
    );
    let mut doc = live.clone();
    json_patch::patch(&mut doc, &serde_json::from_value::<json_patch::Patch>(json!(ops)).unwrap()).unwrap();
    assert_eq!(doc, json!({"methods": {"saml": {"enabled": true, "config": {"providers": [{"id": "x"}]}}}}));
}

#[test]
fn a_refused_pointer_is_shown_on_the_attribute_that_wrote_it() {
    let owner = Owner {
        noun: "the action",
        attributes: &[("/config/auth/config/value", "secret"), ("/config/auth", "auth_type"), ("/config/url", "url")],
        import_hint: String::new(),
    };
    let list = "/services/identity/config/selfservice/flows/login/after/hooks";
    let part = Part::entry(list, hook("https://x"));
    let refused = |path: &str| {
        let error = console::ApiError::from_response("patchProjectWithRevision", 400, br#"{"error":{"reason":"no"}}"#);
        let e = Error::Api {
            error: console::Error::Rejected { error: Box::new(error), path: Some(path.to_string()) },
            doing: None,
        };
        match owner.refusal("p", &part, e) {
            Error::Refused(d) => d.attribute.map(|a| format!("{a:?}")),
            other => panic!("{other:?}"),
        }
    };
    assert!(refused(&format!("{list}/3/config/auth/config/value")).unwrap().contains("secret"));
    assert!(refused(&format!("{list}/3/config/auth/type")).unwrap().contains("auth_type"));
    assert!(refused(&format!("{list}/0/config/url")).unwrap().contains("\"url\""));
    assert_eq!(refused(&format!("{list}/0/hook")), None, "a pointer no attribute writes: on the resource");
    assert_eq!(refused("/services/oauth2/config"), None, "outside the part: on the resource");
}

#[test]
fn two_resources_claiming_one_part_are_refused_naming_the_other() {
    let claims = Claims::default();
    let list = "/services/identity/config/selfservice/flows/login/after/hooks";
    claims.claim("p", &Part::entry(list, hook("https://a")), "ory_action A", false).unwrap();
    claims.claim("p", &Part::entry(list, hook("https://b")), "ory_action B", true).unwrap();
    claims.claim("q", &Part::entry(list, hook("https://a")), "ory_action C", false).unwrap();
    let again = claims.claim("p", &Part::entry(list, hook("https://a")), "ory_action D", false).unwrap_err();
    let text = format!("{again:?}");
    assert!(text.contains("ory_action A") && text.contains("ory_action D"), "{text}");
    // A configuration that writes the list whole, or a key above it.
    assert!(claims.claim("p", &Part::at(list), "ory_project_config p", false).is_err());
    let above = Part::at("/services/identity/config/selfservice");
    assert!(claims.claim("p", &above, "ory_project_config p", false).is_err());
    claims.claim("p", &Part::at("/services/identity/config/session/lifespan"), "ory_project_config p", false).unwrap();
    // A switch is shared by every part that needs it on, and refused to
    // a configuration that writes it otherwise, in either order.
    let enabled = "/services/identity/config/selfservice/methods/oidc/enabled";
    claims.claim("p", &Part::switch(enabled), "ory_social_provider google", false).unwrap();
    claims.claim("p", &Part::switch(enabled), "ory_social_provider github", false).unwrap();
    claims.claim("p", &Part::valued(enabled, json!(true)), "ory_project_config p", false).unwrap();
    let off = claims.claim("q", &Part::valued(enabled, json!(false)), "ory_project_config q", false);
    assert!(off.is_ok(), "another project");
    let off = claims.claim("q", &Part::switch(enabled), "ory_social_provider gitlab", false).unwrap_err();
    assert!(format!("{off:?}").contains("needs it true"), "{off:?}");
    let methods = "/services/identity/config/selfservice/methods";
    let whole = Part::valued(methods, json!({"oidc": {"enabled": false}}));
    assert!(claims.claim("p", &whole, "ory_project_config r", false).is_err());
    // A replacement is planned twice, once: a third plan of it is another resource.
    claims.claim("p", &Part::entry(list, hook("https://b")), "ory_action B", false).unwrap();
    assert!(claims.claim("p", &Part::entry(list, hook("https://b")), "ory_action B", false).is_err());
    assert!(within("/a/b", "/a") && !within("/ab", "/a"));
}
