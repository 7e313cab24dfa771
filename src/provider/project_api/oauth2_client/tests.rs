use crate::project_api::OAuth2Client;

use super::*;

/// Ory Hydra v2.3.0's answer to `createOAuth2Client` with `{}` (its IDs,
/// secret and token made up): empty lists as null, and false switches
/// left out.
const HYDRA_EMPTY_CLIENT: &str = r#"{"client_id":"6c99b3b2-5fd3-42b0-bfc5-abd96be16d29","client_name":"","client_secret":"not-a-secret","redirect_uris":null,"grant_types":null,"response_types":null,"scope":"offline_access offline openid","audience":[],"owner":"","policy_uri":"","allowed_cors_origins":[],"tos_uri":"","client_uri":"","logo_uri":"","contacts":null,"client_secret_expires_at":0,"subject_type":"public","jwks":{},"token_endpoint_auth_method":"client_secret_basic","userinfo_signed_response_alg":"none","created_at":"2026-12-06T22:35:48Z","updated_at":"2026-12-06T22:35:47.567018Z","metadata":{},"registration_access_token":"not-a-token","registration_client_uri":"http://127.0.0.1:1/oauth2/register/","skip_consent":false,"skip_logout_consent":null,"authorization_code_grant_access_token_lifespan":null,"refresh_token_grant_refresh_token_lifespan":null}"#;

#[test]
fn hydra_s_empty_lists_and_left_out_switches_read_as_empty_and_false() {
    let client: OAuth2Client = serde_json::from_str(HYDRA_EMPTY_CLIENT).unwrap();
    let read = OAuth2ClientModel::default().with(client);
    let empty = Some(Vec::<String>::new());
    for (name, list) in [
        ("redirect_uris", &read.redirect_uris),
        ("post_logout_redirect_uris", &read.post_logout_redirect_uris),
        ("contacts", &read.contacts),
        ("request_uris", &read.request_uris),
    ] {
        assert_eq!(list, &empty, "{name}");
    }
    assert_eq!(read.grant_types, Some(Vec::new()), "grant_types");
    assert_eq!(read.response_types, Some(Vec::new()), "response_types");
    for (name, flag) in [
        ("skip_logout_consent", read.skip_logout_consent),
        ("frontchannel_logout_session_required", read.frontchannel_logout_session_required),
        ("backchannel_logout_session_required", read.backchannel_logout_session_required),
    ] {
        assert_eq!(flag, Some(false), "{name}");
    }
    assert_eq!(read.jwks, None, "an unset jwks is not read as {{}}");
    assert_eq!(read.jwks_uri, None);
    assert_eq!(read.authorization_code_grant_access_token_lifespan, None);
}
