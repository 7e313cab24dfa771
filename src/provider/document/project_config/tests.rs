use super::*;
use crate::provider::model::Model;

#[test]
fn an_import_id_lists_the_keys_to_manage_and_never_a_secret() {
    let p = "3fa85f64-5717-4562-b3fc-2c963f66afa6";
    let plain = ProjectConfigModel::from_value(&parse_import(p).unwrap());
    assert_eq!((plain.project_id.as_deref(), plain.identity_config), (Some(p), None));
    let keys = format!(
        "{p}:/services/identity/config/session/lifespan,/services/oauth2/config/ttl/access_token,/cors_public/origins"
    );
    let m = ProjectConfigModel::from_value(&parse_import(&keys).unwrap());
    assert_eq!(m.identity_config.as_deref(), Some(r#"{"session":{"lifespan":null}}"#));
    assert_eq!(m.oauth2_config.as_deref(), Some(r#"{"ttl":{"access_token":null}}"#));
    assert_eq!(m.cors_public.and_then(|c| c.origins), Some(Vec::new()));
    for bad in [
        format!("{p}:/services/identity/config/courier/smtp/connection_uri"),
        format!("{p}:/organizations"),
        format!("{p}:/cors_public/other"),
        "not-a-project:/services/identity/config/session/lifespan".to_string(),
    ] {
        assert!(parse_import(&bad).is_none(), "{bad}");
    }
}
