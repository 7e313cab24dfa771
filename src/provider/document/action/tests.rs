use super::*;
use crate::provider::model::Model;

#[test]
fn import_ids_keep_the_colons_of_the_url() {
    let p = "3fa85f64-5717-4562-b3fc-2c963f66afa6";
    let v = parse_import(&format!("{p}:login:after::POST:https://hooks.example.com:8443/a:b?c=d:e")).unwrap();
    assert_eq!(v.attr("url").as_str(), Some("https://hooks.example.com:8443/a:b?c=d:e"));
    assert!(v.attr("auth_method").is_null());
    let v = parse_import(&format!("{p}:registration:after:password:PATCH:http://x:1/")).unwrap();
    assert_eq!((v.attr("auth_method").as_str(), v.attr("method").as_str()), (Some("password"), Some("PATCH")));
    let v = parse_import(&format!("{p}:verification:after:password:POST:https://x/")).unwrap();
    assert!(v.attr("auth_method").is_null(), "verification has no per-method lists");
    let v = parse_import(&format!("{p}:login:before:GET:https://x/y")).unwrap();
    assert_eq!(v.attr("timing").as_str(), Some("before"));
    for bad in [
        format!("{p}:login:during:POST:https://x"),
        format!("{p}:login:after:POST:https://x"),
        "x:login:before:POST:https://x".into(),
    ] {
        assert!(parse_import(&bad).is_none(), "{bad}");
    }
    let model = ActionModel::from_value(&v);
    assert_eq!(model.import_form(), format!("{p}:login:before:GET:https://x/y"));
}
