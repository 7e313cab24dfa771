//! Each project's own API (Ory Network serves it at
//! `https://{slug}.projects.oryapis.com`; the emulator at
//! `{url}/project-api/{slug}`): Ory Kratos' admin identities and Ory
//! Hydra's admin OAuth2 clients, as Ory's spec describes them. Only a live
//! key of that very project gets in.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, Query, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use base64::Engine;
use chrono::Utc;
use serde::Deserialize;
use serde_json::{json, Map, Value};
use uuid::Uuid;

use super::store::{Identity, KeyScope, OAuth2Client, Store};
use super::{bearer_key, ApiError, Method, Routes, Shared};

/// Where the emulator serves a project's API, under its own URL.
pub const PREFIX: &str = "/project-api/{slug}";

pub fn routes() -> Routes {
    Routes::new()
        .op(Method::GET, "/project-api/{slug}/admin/clients", "listOAuth2Clients", clients_list)
        .op(Method::POST, "/project-api/{slug}/admin/clients", "createOAuth2Client", client_create)
        .op(Method::GET, "/project-api/{slug}/admin/clients/{id}", "getOAuth2Client", client_get)
        .op(Method::PUT, "/project-api/{slug}/admin/clients/{id}", "setOAuth2Client", client_set)
        .op(Method::DELETE, "/project-api/{slug}/admin/clients/{id}", "deleteOAuth2Client", client_delete)
        .op(Method::GET, "/project-api/{slug}/admin/identities", "listIdentities", identities_list)
        .op(Method::POST, "/project-api/{slug}/admin/identities", "createIdentity", identity_create)
        .op(Method::GET, "/project-api/{slug}/admin/identities/{id}", "getIdentity", identity_get)
        .op(Method::PUT, "/project-api/{slug}/admin/identities/{id}", "updateIdentity", identity_update)
        .op(Method::DELETE, "/project-api/{slug}/admin/identities/{id}", "deleteIdentity", identity_delete)
}

/// The project a request's key opened.
#[derive(Clone, Copy, Debug)]
pub(crate) struct ProjectCaller {
    pub project: Uuid,
}

/// Lets in a live project API key of the project the path names, and
/// nothing else: a workspace key, another project's key, an expired or
/// deleted one get 401 (UNVERIFIED: Ory's status for a key of another
/// project; 401 tells no one whether the project exists).
pub(crate) async fn authenticate(State(shared): State<Arc<Shared>>, mut req: Request, next: Next) -> Response {
    let slug = req.uri().path().strip_prefix("/project-api/").and_then(|rest| rest.split('/').next()).unwrap_or("");
    let presented = bearer_key(req.headers()).map(str::to_string);
    let project = shared
        .read(|s| {
            let Some(project) = s.projects.values().find(|p| p.slug == slug && p.state != "deleted") else {
                return Ok(Err(ApiError::not_found(format!("No project has the slug {slug:?}."))));
            };
            let now = Utc::now();
            let opens = presented.as_deref().is_some_and(|key| {
                s.api_keys
                    .values()
                    .any(|k| k.value == key && k.scope == KeyScope::Project(project.id) && k.is_live(now))
            });
            Ok(if opens { Ok(project.id) } else { Err(unauthorized()) })
        })
        .and_then(|r| r);
    match project {
        Ok(project) => {
            req.extensions_mut().insert(ProjectCaller { project });
            next.run(req).await
        }
        Err(e) => e.into_response(),
    }
}

/// Answers every refusal of an operation (its own, the key check's, an
/// injected fault's) in the shape Ory's servers give it: Hydra's OAuth2
/// error (`error`, `error_description`; v2.3.0 leaves the spec's
/// `status_code` out) for the client, dynamic client and key-set operations,
/// the spec's flat `genericError` for `deleteOidcDynamicClient` and the
/// trusted issuers (UNVERIFIED against Hydra), and herodot's envelope, as
/// made, for identities.
pub(crate) async fn shaped_errors(req: Request, next: Next) -> Response {
    let operation = super::operation_of(&req);
    let response = next.run(req).await;
    let flat = operation == "deleteOidcDynamicClient" || operation.contains("OAuth2JwtGrantIssuer");
    let hydra = flat
        || operation.contains("OAuth2Client")
        || operation.contains("JsonWebKey")
        || operation.contains("OidcDynamicClient");
    if response.status().is_success() || !hydra {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, super::MAX_BODY_BYTES).await.unwrap_or_default();
    let answer: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    let status = parts.status;
    let status_text = status.canonical_reason().unwrap_or_default();
    let (name, description) = match &answer["error"] {
        Value::Object(herodot) => (
            status_text.to_lowercase().replace(' ', "_"),
            herodot.get("reason").or(herodot.get("message")).and_then(Value::as_str).unwrap_or_default().to_string(),
        ),
        Value::String(name) => (name.clone(), answer["error_description"].as_str().unwrap_or_default().to_string()),
        _ => (status_text.to_lowercase().replace(' ', "_"), String::new()),
    };
    let shaped = if flat {
        json!({ "code": status.as_u16(), "status": status_text, "message": name, "reason": description })
    } else {
        json!({ "error": name, "error_description": description })
    };
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    Response::from_parts(parts, axum::body::Body::from(shaped.to_string()))
}

fn unauthorized() -> ApiError {
    ApiError::new(
        StatusCode::UNAUTHORIZED,
        "A valid project API key (ory_pat_...) of this project is required, as \"Authorization: Bearer ory_pat_...\".",
    )
}

/// The most objects one page holds, and the size of a page that names none
/// (Kratos and Hydra: 250 by default; UNVERIFIED: Ory Network's bounds, 1000
/// for identities and 500 for clients).
const DEFAULT_PAGE_SIZE: usize = 250;
const MAX_IDENTITY_PAGE: usize = 1000;
const MAX_CLIENT_PAGE: usize = 500;

#[derive(Deserialize)]
pub(crate) struct PageQuery {
    page_size: Option<String>,
    page_token: Option<String>,
    /// Kratos' filter of identities by an identifier of their credentials.
    credentials_identifier: Option<String>,
}

/// One page of `ids` (in order) after the page token, and the `Link`
/// header that names the next one, as Kratos and Hydra send it.
pub(crate) fn page(
    ids: Vec<Uuid>,
    query: &PageQuery,
    max: usize,
    path: &str,
    oauth: bool,
) -> Result<(Vec<Uuid>, HeaderMap), Refused> {
    let size = match query.page_size.as_deref() {
        None => DEFAULT_PAGE_SIZE,
        Some(text) => match text.parse::<usize>() {
            Ok(n) if (1..=max).contains(&n) => n,
            _ => return Err(bad(oauth, format!("page_size must be a number from 1 to {max}; got {text:?}."))),
        },
    };
    let (rest, next) = cut(ids, size, query.page_token.as_deref()).map_err(|reason| bad(oauth, reason))?;
    let mut headers = HeaderMap::new();
    let first = format!("<{path}?page_size={size}&page_token=>; rel=\"first\"");
    let link = match next {
        Some(next) => format!("{first},<{path}?page_size={size}&page_token={next}>; rel=\"next\""),
        None => first,
    };
    if let Ok(value) = HeaderValue::from_str(&link) {
        headers.insert(header::LINK, value);
    }
    Ok((rest, headers))
}

/// The `size` IDs of `ids` (in order) after the one `token` names, and the
/// token of the page after them, if there is one.
pub(crate) fn cut(ids: Vec<Uuid>, size: usize, token: Option<&str>) -> Result<(Vec<Uuid>, Option<String>), String> {
    let after = match token {
        None | Some("") => None,
        Some(token) => match token_id(token) {
            Some(id) => Some(id),
            None => return Err("page_token is not one this API gave.".into()),
        },
    };
    let mut rest: Vec<Uuid> = ids.into_iter().filter(|id| after.is_none_or(|a| *id > a)).collect();
    let next = rest.get(size).map(|_| token_of(rest[size - 1]));
    rest.truncate(size);
    Ok((rest, next))
}

fn token_of(id: Uuid) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(id.as_bytes())
}

fn token_id(token: &str) -> Option<Uuid> {
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(token).ok()?;
    Uuid::from_slice(&bytes).ok()
}

/// A refusal in the shape of the API it comes from: Hydra's OAuth2 error
/// (`{"error", "error_description"}`) or Kratos' herodot envelope.
pub(crate) enum Refused {
    Hydra { status: StatusCode, error: &'static str, description: String },
    Kratos(ApiError),
}

impl IntoResponse for Refused {
    fn into_response(self) -> Response {
        match self {
            Refused::Hydra { status, error, description } => {
                (status, Json(json!({ "error": error, "error_description": description }))).into_response()
            }
            Refused::Kratos(error) => error.into_response(),
        }
    }
}

fn bad(oauth: bool, reason: String) -> Refused {
    if oauth {
        oauth_error(StatusCode::BAD_REQUEST, "invalid_request", reason)
    } else {
        Refused::Kratos(ApiError::bad_request(reason))
    }
}

fn oauth_error(status: StatusCode, error: &'static str, description: String) -> Refused {
    Refused::Hydra { status, error, description }
}

fn client_not_found() -> Refused {
    oauth_error(
        StatusCode::NOT_FOUND,
        "Unable to locate the resource",
        "The requested OAuth 2.0 client does not exist.".into(),
    )
}

fn body_object(body: &Bytes, oauth: bool) -> Result<Map<String, Value>, Refused> {
    json_object(body).map_err(|reason| bad(oauth, reason))
}

/// A request body that is a JSON object, or why it is not.
pub(crate) fn json_object(body: &Bytes) -> Result<Map<String, Value>, String> {
    match super::parse_json::<Value>(body)? {
        Value::Object(map) => Ok(map),
        _ => Err("The request body must be a JSON object.".into()),
    }
}

pub(crate) fn respond(result: Result<Response, ApiError>) -> Response {
    result.unwrap_or_else(IntoResponse::into_response)
}

// OAuth2 clients (Ory Hydra).

/// What a client may set, with its JSON type; anything else is refused.
const CLIENT_FIELDS: &[(&str, &str)] = &[
    ("access_token_strategy", "string"),
    ("allowed_cors_origins", "strings"),
    ("audience", "strings"),
    ("authorization_code_grant_access_token_lifespan", "duration"),
    ("authorization_code_grant_id_token_lifespan", "duration"),
    ("authorization_code_grant_refresh_token_lifespan", "duration"),
    ("backchannel_logout_session_required", "bool"),
    ("backchannel_logout_uri", "string"),
    ("client_credentials_grant_access_token_lifespan", "duration"),
    ("client_name", "string"),
    ("client_secret", "string"),
    ("client_uri", "string"),
    ("contacts", "strings"),
    ("device_authorization_grant_access_token_lifespan", "duration"),
    ("device_authorization_grant_id_token_lifespan", "duration"),
    ("device_authorization_grant_refresh_token_lifespan", "duration"),
    ("frontchannel_logout_session_required", "bool"),
    ("frontchannel_logout_uri", "string"),
    ("grant_types", "strings"),
    ("implicit_grant_access_token_lifespan", "duration"),
    ("implicit_grant_id_token_lifespan", "duration"),
    ("jwks", "object"),
    ("jwks_uri", "string"),
    ("jwt_bearer_grant_access_token_lifespan", "duration"),
    ("logo_uri", "string"),
    ("metadata", "any"),
    ("owner", "string"),
    ("policy_uri", "string"),
    ("post_logout_redirect_uris", "strings"),
    ("redirect_uris", "strings"),
    ("refresh_token_grant_access_token_lifespan", "duration"),
    ("refresh_token_grant_id_token_lifespan", "duration"),
    ("refresh_token_grant_refresh_token_lifespan", "duration"),
    ("request_object_signing_alg", "string"),
    ("request_uris", "strings"),
    ("response_types", "strings"),
    ("scope", "string"),
    ("sector_identifier_uri", "string"),
    ("skip_consent", "bool"),
    ("skip_logout_consent", "bool"),
    ("subject_type", "string"),
    ("token_endpoint_auth_method", "string"),
    ("token_endpoint_auth_signing_alg", "string"),
    ("tos_uri", "string"),
    ("userinfo_signed_response_alg", "string"),
];

/// Fields the server sets; a client sending them back is ignored for them,
/// as Hydra does with its own answer sent back to `setOAuth2Client`.
const CLIENT_SERVER_FIELDS: &[&str] = &[
    "client_id",
    "created_at",
    "updated_at",
    "client_secret_expires_at",
    "registration_access_token",
    "registration_client_uri",
];

const RESPONSE_TYPES: &[&str] =
    &["code", "token", "id_token", "code id_token", "code token", "id_token token", "code id_token token", "none"];
const AUTH_METHODS: &[&str] = &["client_secret_basic", "client_secret_post", "private_key_jwt", "none"];
const SUBJECT_TYPES: &[&str] = &["public", "pairwise"];
const TOKEN_STRATEGIES: &[&str] = &["jwt", "opaque"];

/// Hydra's checks of a client's metadata (`invalid_client_metadata` and
/// `invalid_redirect_uri`), and its defaults filled in.
pub(crate) fn checked_client(mut body: Map<String, Value>) -> Result<Map<String, Value>, Refused> {
    let metadata = |text: String| oauth_error(StatusCode::BAD_REQUEST, "invalid_client_metadata", text);
    for key in CLIENT_SERVER_FIELDS {
        body.remove(*key);
    }
    for (key, value) in &body {
        let Some((_, kind)) = CLIENT_FIELDS.iter().find(|(k, _)| k == key) else {
            return Err(metadata(format!("The field {key:?} is not a field of an OAuth 2.0 client.")));
        };
        let fits = match *kind {
            _ if value.is_null() => true,
            "string" => value.is_string(),
            "bool" => value.is_boolean(),
            "object" => value.is_object(),
            "strings" => value.as_array().is_some_and(|l| l.iter().all(Value::is_string)),
            "duration" => value.as_str().is_some_and(is_duration),
            _ => true,
        };
        if !fits {
            return Err(metadata(format!("The field {key:?} has the wrong type or form.")));
        }
    }
    let strings = |body: &Map<String, Value>, key: &str| -> Vec<String> {
        body.get(key)
            .and_then(Value::as_array)
            .map_or_else(Vec::new, |l| l.iter().filter_map(|v| v.as_str().map(str::to_string)).collect())
    };
    // Hydra v2.3.0 takes any grant type (`password-ish` made a client): no check.
    for kind in strings(&body, "response_types") {
        if !RESPONSE_TYPES.contains(&kind.as_str()) {
            return Err(metadata(format!("Field response_types contains the unknown response type {kind:?}.")));
        }
    }
    for (key, allowed) in [
        ("token_endpoint_auth_method", AUTH_METHODS),
        ("subject_type", SUBJECT_TYPES),
        ("access_token_strategy", TOKEN_STRATEGIES),
    ] {
        if let Some(value) = body.get(key).and_then(Value::as_str).filter(|v| !v.is_empty()) {
            if !allowed.contains(&value) {
                return Err(metadata(format!("Field {key} must be one of {}; got {value:?}.", allowed.join(", "))));
            }
        }
    }
    for key in ["redirect_uris", "post_logout_redirect_uris"] {
        for uri in strings(&body, key) {
            let fine = reqwest::Url::parse(&uri).is_ok_and(|u| u.fragment().is_none() && !u.cannot_be_a_base());
            if !fine {
                return Err(oauth_error(
                    StatusCode::BAD_REQUEST,
                    "invalid_redirect_uri",
                    format!("The redirect URI {uri:?} in {key} is not an absolute URI without a fragment."),
                ));
            }
        }
    }
    if body.get("jwks").is_some_and(|v| !v.is_null())
        && body.get("jwks_uri").is_some_and(|v| v.as_str().is_some_and(|s| !s.is_empty()))
    {
        return Err(metadata("Fields jwks and jwks_uri cannot both be set.".into()));
    }
    if let Some(secret) = body.get("client_secret").and_then(Value::as_str) {
        if !secret.is_empty() && secret.len() < 6 {
            return Err(metadata(
                "Field client_secret must contain a secret that is at least 6 characters long.".into(),
            ));
        }
    }
    let method = body.get("token_endpoint_auth_method").and_then(Value::as_str).filter(|m| !m.is_empty());
    let method = method.unwrap_or("client_secret_basic").to_string();
    body.insert("token_endpoint_auth_method".into(), json!(method));
    // Hydra v2.3.0's answers for what a create leaves out: lists it never
    // got are null, lifespans and `skip_logout_consent` null, `jwks` `{}`;
    // what its `Client` marks `omitempty` is left out when empty or false.
    for key in ["grant_types", "response_types", "redirect_uris", "contacts", "skip_logout_consent"] {
        body.entry(key).or_insert(Value::Null);
    }
    for key in HYDRA_LIFESPANS {
        body.entry(key).or_insert(Value::Null);
    }
    if body.get("jwks").is_none_or(Value::is_null) {
        body.insert("jwks".into(), json!({}));
    }
    for key in OMITTED_WHEN_EMPTY {
        if body.get(key).is_some_and(|v| v.is_null() || v == &json!("") || v == &json!([]) || v == &json!(false)) {
            body.remove(key);
        }
    }
    for (key, default) in [
        ("scope", json!("offline_access offline openid")),
        ("subject_type", json!("public")),
        ("skip_consent", json!(false)),
        ("audience", json!([])),
        ("allowed_cors_origins", json!([])),
        ("owner", json!("")),
        ("client_name", json!("")),
        ("client_uri", json!("")),
        ("logo_uri", json!("")),
        ("policy_uri", json!("")),
        ("tos_uri", json!("")),
        ("metadata", json!({})),
        ("userinfo_signed_response_alg", json!("none")),
    ] {
        if body.get(key).is_none_or(Value::is_null) {
            body.insert(key.into(), default);
        }
    }
    Ok(body)
}

/// The per-grant lifespans Hydra v2.3.0 answers, null when unset (the
/// device grant's, which Ory Network's newer Hydra adds, only when set).
const HYDRA_LIFESPANS: [&str; 10] = [
    "authorization_code_grant_access_token_lifespan",
    "authorization_code_grant_id_token_lifespan",
    "authorization_code_grant_refresh_token_lifespan",
    "client_credentials_grant_access_token_lifespan",
    "implicit_grant_access_token_lifespan",
    "implicit_grant_id_token_lifespan",
    "jwt_bearer_grant_access_token_lifespan",
    "refresh_token_grant_access_token_lifespan",
    "refresh_token_grant_id_token_lifespan",
    "refresh_token_grant_refresh_token_lifespan",
];

/// Fields Hydra's `Client` marks `omitempty`, left out of answers when
/// empty or false.
const OMITTED_WHEN_EMPTY: [&str; 6] = [
    "access_token_strategy",
    "request_uris",
    "post_logout_redirect_uris",
    "frontchannel_logout_session_required",
    "backchannel_logout_session_required",
    "jwks_uri",
];

/// A lifespan as Hydra takes it: a Go duration of hours, minutes and seconds, such as `1h30m`.
fn is_duration(text: &str) -> bool {
    let mut digits = false;
    let mut rest = text;
    if rest.is_empty() {
        return false;
    }
    while !rest.is_empty() {
        let number = rest.bytes().take_while(|b| b.is_ascii_digit() || *b == b'.').count();
        if number == 0 {
            return false;
        }
        rest = &rest[number..];
        let unit = ["ms", "h", "m", "s"].into_iter().find(|u| rest.starts_with(u));
        let Some(unit) = unit else { return false };
        rest = &rest[unit.len()..];
        digits = true;
    }
    digits
}

/// A client as answers show it: never its secret, but in the answer to its create.
pub(crate) fn render_client(c: &OAuth2Client) -> Value {
    let mut out = c.fields.clone();
    out.remove("client_secret");
    out.insert("client_id".into(), json!(c.public_id()));
    out.insert("created_at".into(), json!(c.created_at));
    out.insert("updated_at".into(), json!(c.updated_at));
    out.insert("client_secret_expires_at".into(), json!(0));
    Value::Object(out)
}

fn clients_of(s: &Store, project: Uuid) -> Vec<Uuid> {
    s.oauth2_clients.values().filter(|c| c.project_id == project).map(|c| c.id).collect()
}

async fn clients_list(
    State(shared): State<Arc<Shared>>,
    axum::Extension(caller): axum::Extension<ProjectCaller>,
    Path(slug): Path<String>,
    Query(query): Query<PageQuery>,
) -> Response {
    respond(shared.read(|s| {
        let path = format!("/project-api/{slug}/admin/clients");
        let (ids, headers) = match page(clients_of(s, caller.project), &query, MAX_CLIENT_PAGE, &path, true) {
            Ok(page) => page,
            Err(refused) => return Ok(refused.into_response()),
        };
        let clients: Vec<Value> = ids.iter().filter_map(|id| s.oauth2_clients.get(id)).map(render_client).collect();
        Ok((headers, Json(clients)).into_response())
    }))
}

async fn client_create(
    State(shared): State<Arc<Shared>>,
    axum::Extension(caller): axum::Extension<ProjectCaller>,
    body: Bytes,
) -> Response {
    let body = match body_object(&body, true) {
        Ok(body) => body,
        Err(refused) => return refused.into_response(),
    };
    // Ory Network takes a client ID the caller chooses (Ory's provider's
    // acceptance tests make clients so); Hydra refuses one in use.
    let chosen = match body.get("client_id") {
        None | Some(Value::Null) => None,
        Some(Value::String(id)) if !id.trim().is_empty() => Some(id.clone()),
        Some(_) => {
            return oauth_error(
                StatusCode::BAD_REQUEST,
                "invalid_client_metadata",
                "Field client_id must be a non-empty string.".into(),
            )
            .into_response()
        }
    };
    let mut fields = match checked_client(body) {
        Ok(fields) => fields,
        Err(refused) => return refused.into_response(),
    };
    let public = fields.get("token_endpoint_auth_method").and_then(Value::as_str) == Some("none");
    let secret = match fields.remove("client_secret").and_then(|v| v.as_str().map(str::to_string)) {
        _ if public => None,
        Some(secret) if !secret.is_empty() => Some(secret),
        _ => Some(random_secret()),
    };
    respond(shared.write(|s| {
        if let Some(chosen) = &chosen {
            if client_of(s, caller.project, chosen).is_some() {
                return Ok(oauth_error(
                    StatusCode::CONFLICT,
                    "resource_conflict",
                    "Unable to insert or update resource because a resource with that value exists already.".into(),
                )
                .into_response());
            }
        }
        let as_uuid = chosen.as_deref().and_then(|c| Uuid::parse_str(c).ok());
        let now = Utc::now();
        let client = OAuth2Client {
            id: as_uuid.unwrap_or_else(Uuid::new_v4),
            chosen_id: chosen.filter(|_| as_uuid.is_none()),
            project_id: caller.project,
            fields,
            secret_hash: secret.as_deref().map(hash_secret),
            registration_token_hash: None,
            created_at: now,
            updated_at: now,
        };
        let mut shown = render_client(&client);
        if let Some(secret) = &secret {
            shown["client_secret"] = json!(secret);
        }
        s.oauth2_clients.insert(client.id, client);
        Ok((StatusCode::CREATED, Json(shown)).into_response())
    }))
}

pub(crate) fn random_secret() -> String {
    use rand::Rng;
    let bytes: [u8; 24] = rand::rng().random();
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

fn client_of(s: &Store, project: Uuid, id: &str) -> Option<Uuid> {
    match Uuid::parse_str(id) {
        Ok(id) => s.oauth2_clients.get(&id).filter(|c| c.project_id == project).map(|c| c.id),
        Err(_) => s
            .oauth2_clients
            .values()
            .find(|c| c.project_id == project && c.chosen_id.as_deref() == Some(id))
            .map(|c| c.id),
    }
}

async fn client_get(
    State(shared): State<Arc<Shared>>,
    axum::Extension(caller): axum::Extension<ProjectCaller>,
    Path((_, id)): Path<(String, String)>,
) -> Response {
    respond(shared.read(|s| {
        Ok(match client_of(s, caller.project, &id) {
            Some(id) => Json(render_client(&s.oauth2_clients[&id])).into_response(),
            None => client_not_found().into_response(),
        })
    }))
}

/// `setOAuth2Client`: replaces what a client sets; a secret sent is the
/// new secret, one left out keeps the old one.
async fn client_set(
    State(shared): State<Arc<Shared>>,
    axum::Extension(caller): axum::Extension<ProjectCaller>,
    Path((_, id)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    let body = match body_object(&body, true) {
        Ok(body) => body,
        Err(refused) => return refused.into_response(),
    };
    if body.get("client_id").and_then(Value::as_str).is_some_and(|sent| sent != id) {
        return oauth_error(StatusCode::BAD_REQUEST, "invalid_request", "Field client_id cannot be changed.".into())
            .into_response();
    }
    let mut fields = match checked_client(body) {
        Ok(fields) => fields,
        Err(refused) => return refused.into_response(),
    };
    let secret = fields.remove("client_secret").and_then(|v| v.as_str().filter(|s| !s.is_empty()).map(str::to_string));
    respond(shared.write(|s| {
        let Some(id) = client_of(s, caller.project, &id) else { return Ok(client_not_found().into_response()) };
        let client = s.oauth2_clients.get_mut(&id).expect("found above");
        client.fields = fields;
        if let Some(secret) = &secret {
            client.secret_hash = Some(hash_secret(secret));
        }
        client.updated_at = Utc::now();
        let shown = render_client(client);
        Ok(Json(shown).into_response())
    }))
}

async fn client_delete(
    State(shared): State<Arc<Shared>>,
    axum::Extension(caller): axum::Extension<ProjectCaller>,
    Path((_, id)): Path<(String, String)>,
) -> Response {
    respond(shared.write(|s| {
        let Some(id) = client_of(s, caller.project, &id) else { return Ok(client_not_found().into_response()) };
        s.oauth2_clients.remove(&id);
        Ok(StatusCode::NO_CONTENT.into_response())
    }))
}

/// A secret as the emulator keeps it: PBKDF2-SHA256 in PHC form, never the secret.
pub(crate) fn hash_secret(secret: &str) -> String {
    use rand::Rng;
    const ROUNDS: u32 = 10_000;
    let salt: [u8; 16] = rand::rng().random();
    let mut hash = [0u8; 32];
    let rounds = std::num::NonZeroU32::new(ROUNDS).expect("not zero");
    aws_lc_rs::pbkdf2::derive(aws_lc_rs::pbkdf2::PBKDF2_HMAC_SHA256, rounds, &salt, secret.as_bytes(), &mut hash);
    let b64 = base64::engine::general_purpose::STANDARD_NO_PAD;
    format!("$pbkdf2-sha256$i={ROUNDS},l=32${}${}", b64.encode(salt), b64.encode(hash))
}

// Identities (Ory Kratos).

const IDENTITY_STATES: &[&str] = &["active", "inactive"];

fn identity_not_found() -> ApiError {
    ApiError::no_rows()
}

/// The JSON Schema of a project's identity schema `id`: its `base64://`
/// content, or Ory's preset. `None` for a schema the emulator cannot read
/// (an `https://` URL): such traits are taken as they are (UNVERIFIED).
fn schema_of(s: &Store, project: Uuid, id: &str) -> Result<Option<Value>, ApiError> {
    let config = &s.projects[&project].services["identity"]["config"]["identity"];
    let schemas = config["schemas"].as_array().cloned().unwrap_or_default();
    let Some(entry) = schemas.iter().find(|e| e["id"] == id) else {
        // Ory's presets are there for every project (Ory's provider's
        // acceptance tests make `preset://username` identities in projects
        // that list only `preset://email`). UNVERIFIED beyond those tests.
        if let Some(preset) = preset(id) {
            return Ok(Some(preset));
        }
        return Err(ApiError::bad_request(format!(
            "The identity schema {id:?} is not one of the project's identity schemas ({}).",
            schemas.iter().filter_map(|e| e["id"].as_str()).collect::<Vec<_>>().join(", ")
        )));
    };
    let url = entry["url"].as_str().unwrap_or_default();
    if let Some(preset) = preset(url) {
        return Ok(Some(preset));
    }
    let content = url
        .strip_prefix("base64://")
        .and_then(|b| base64::engine::general_purpose::STANDARD.decode(b).ok())
        .and_then(|bytes| serde_json::from_slice::<Value>(&bytes).ok());
    Ok(content)
}

/// Ory's preset schemas: an email, or a username, as the identifier. The
/// username preset is the one Ory serves (`identity.username.schema.json`).
pub(crate) fn preset(url: &str) -> Option<Value> {
    let (id, key, trait_schema) = match url {
        "preset://email" => (
            "identity.email.schema.json",
            "email",
            json!({"type": "string", "format": "email", "title": "E-Mail", "maxLength": 320,
            "ory.sh/kratos": {"credentials": {"password": {"identifier": true}, "code": {"identifier": true, "via": "email"}},
                "verification": {"via": "email"}, "recovery": {"via": "email"}}}),
        ),
        "preset://username" => (
            "identity.username.schema.json",
            "username",
            json!({"type": "string", "title": "Username", "maxLength": 100,
            "ory.sh/kratos": {"credentials": {"password": {"identifier": true}, "webauthn": {"identifier": true}, "totp": {"account_name": true}}}}),
        ),
        _ => return None,
    };
    Some(json!({
        "$id": format!("https://schemas.ory.sh/presets/kratos/{id}"),
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": "Person",
        "type": "object",
        "properties": {"traits": {"type": "object", "properties": {key: trait_schema}, "required": [key], "additionalProperties": false}},
    }))
}

/// Kratos' check of traits against the schema: 400 with the schema's
/// message and the trait's JSON pointer.
fn check_traits(schema: &Value, traits: &Value) -> Result<(), ApiError> {
    let Ok(validator) = jsonschema::validator_for(schema) else {
        return Err(ApiError::bad_request("The identity schema is not a valid JSON Schema."));
    };
    let document = json!({ "traits": traits });
    let errors: Vec<String> = validator
        .iter_errors(&document)
        .map(|e| format!("I[#{}] S[#{}] {}", e.instance_path(), e.schema_path(), e))
        .collect();
    if errors.is_empty() {
        return Ok(());
    }
    // No `id`: the spec allows only `feature_not_available` and `quota_exceeded`.
    Err(ApiError::bad_request(format!("The traits do not match the identity schema: {}", errors.join("; "))))
}

/// The addresses a schema marks for verification and recovery, from traits.
fn addresses(schema: &Value, traits: &Value, now: &str) -> (Vec<Value>, Vec<Value>) {
    let mut verifiable = Vec::new();
    let mut recovery = Vec::new();
    let properties = schema["properties"]["traits"]["properties"].as_object().cloned().unwrap_or_default();
    for (key, property) in properties {
        let Some(value) = traits[&key].as_str() else { continue };
        let kratos = &property["ory.sh/kratos"];
        if let Some(via) = kratos["verification"]["via"].as_str() {
            verifiable.push(json!({"id": Uuid::new_v4(), "value": value.to_lowercase(), "verified": false, "via": via,
                "status": "pending", "created_at": now, "updated_at": now}));
        }
        if let Some(via) = kratos["recovery"]["via"].as_str() {
            recovery.push(json!({"id": Uuid::new_v4(), "value": value.to_lowercase(), "via": via, "created_at": now, "updated_at": now}));
        }
    }
    (verifiable, recovery)
}

/// What a create or an update body sets of an identity, checked.
struct IdentityBody {
    schema_id: String,
    traits: Value,
    state: String,
    metadata_public: Value,
    metadata_admin: Value,
    external_id: Option<String>,
    organization_id: Option<String>,
    password: Option<String>,
}

fn identity_body(
    s: &Store,
    project: Uuid,
    body: &Map<String, Value>,
    updating: bool,
) -> Result<IdentityBody, ApiError> {
    let schema_id = match body.get("schema_id").and_then(Value::as_str) {
        Some(id) => id.to_string(),
        None => return Err(ApiError::bad_request("schema_id is required.")),
    };
    let Some(traits) = body.get("traits").filter(|t| t.is_object()).cloned() else {
        return Err(ApiError::bad_request("traits is required and must be an object."));
    };
    let state = match body.get("state").and_then(Value::as_str) {
        Some(state) if IDENTITY_STATES.contains(&state) => state.to_string(),
        Some(state) => return Err(ApiError::bad_request(format!("state must be active or inactive; got {state:?}."))),
        None if updating => return Err(ApiError::bad_request("state is required.")),
        None => "active".to_string(),
    };
    if let Some(schema) = schema_of(s, project, &schema_id)? {
        check_traits(&schema, &traits)?;
    }
    let password = match body.get("credentials").and_then(|c| c.get("password")).and_then(|p| p.get("config")) {
        Some(config) => match (
            config.get("password").and_then(Value::as_str),
            config.get("hashed_password").and_then(Value::as_str),
        ) {
            (Some(password), None) => Some(hash_secret(password)),
            (None, Some(hash)) if hash.starts_with('$') => Some(hash.to_string()),
            (None, Some(_)) => return Err(ApiError::bad_request("hashed_password must be a hash in PHC format.")),
            _ => {
                return Err(ApiError::bad_request("A password credential needs password or hashed_password, not both."))
            }
        },
        None => None,
    };
    let text = |key: &str| body.get(key).and_then(Value::as_str).filter(|v| !v.is_empty()).map(str::to_string);
    if let Some(org) = text("organization_id") {
        if Uuid::parse_str(&org).is_err() {
            return Err(ApiError::bad_request("organization_id must be a UUID."));
        }
    }
    Ok(IdentityBody {
        schema_id,
        traits,
        state,
        metadata_public: body.get("metadata_public").cloned().unwrap_or(Value::Null),
        metadata_admin: body.get("metadata_admin").cloned().unwrap_or(Value::Null),
        external_id: text("external_id"),
        organization_id: text("organization_id"),
        password,
    })
}

fn render_identity(slug: &str, i: &Identity) -> Value {
    let mut out = i.fields.clone();
    out.insert("id".into(), json!(i.id));
    let schema =
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(i.fields["schema_id"].as_str().unwrap_or_default());
    out.insert("schema_url".into(), json!(format!("/project-api/{slug}/schemas/{schema}")));
    out.insert("created_at".into(), json!(i.created_at));
    out.insert("updated_at".into(), json!(i.updated_at));
    Value::Object(out)
}

/// A create's or update's answer: Kratos answers from what it was sent,
/// where a metadata_admin left out is no bytes, and leaves it out
/// (omitempty); its reads show it as null.
fn answered(mut shown: Value) -> Value {
    if shown["metadata_admin"].is_null() {
        shown.as_object_mut().map(|o| o.remove("metadata_admin"));
    }
    shown
}

fn identities_of(s: &Store, project: Uuid) -> Vec<Uuid> {
    s.identities.values().filter(|i| i.project_id == project).map(|i| i.id).collect()
}

async fn identities_list(
    State(shared): State<Arc<Shared>>,
    axum::Extension(caller): axum::Extension<ProjectCaller>,
    Path(slug): Path<String>,
    Query(query): Query<PageQuery>,
) -> Response {
    respond(shared.read(|s| {
        let path = format!("/project-api/{slug}/admin/identities");
        let mut all = identities_of(s, caller.project);
        if let Some(identifier) = &query.credentials_identifier {
            all.retain(|id| has_identifier(&s.identities[id], identifier));
        }
        let (ids, headers) = match page(all, &query, MAX_IDENTITY_PAGE, &path, false) {
            Ok(page) => page,
            Err(refused) => return Ok(refused.into_response()),
        };
        // Kratos lists credentials only for a lookup by identifier.
        let listed = |i: &Identity| {
            let mut shown = render_identity(&slug, i);
            if query.credentials_identifier.is_none() {
                shown.as_object_mut().map(|o| o.remove("credentials"));
            }
            shown
        };
        let shown: Vec<Value> = ids.iter().filter_map(|id| s.identities.get(id)).map(listed).collect();
        Ok((headers, Json(shown)).into_response())
    }))
}

/// The identity fields a body sets, over `fields`, and the addresses it implies.
fn apply_identity(s: &Store, project: Uuid, fields: &mut Map<String, Value>, body: IdentityBody, now: &str) {
    let schema = schema_of(s, project, &body.schema_id).ok().flatten().unwrap_or_default();
    let (verifiable, recovery) = addresses(&schema, &body.traits, now);
    match credentials(&schema, &body.traits, now) {
        Some(shown) => fields.insert("credentials".into(), shown),
        None => fields.remove("credentials"),
    };
    if fields.get("state").and_then(Value::as_str) != Some(body.state.as_str()) {
        fields.insert("state_changed_at".into(), json!(now));
    }
    fields.insert("schema_id".into(), json!(body.schema_id));
    fields.insert("traits".into(), body.traits);
    fields.insert("state".into(), json!(body.state));
    fields.insert("metadata_public".into(), body.metadata_public);
    fields.insert("metadata_admin".into(), body.metadata_admin);
    fields.insert("verifiable_addresses".into(), json!(verifiable));
    fields.insert("recovery_addresses".into(), json!(recovery));
    fields.insert("organization_id".into(), json!(body.organization_id));
    match body.external_id {
        Some(id) => fields.insert("external_id".into(), json!(id)),
        None => fields.remove("external_id"),
    };
}

/// What Kratos shows of an identity's credentials, by type: the traits the
/// schema marks as that type's identifiers, never a secret. Kratos v1.3.1
/// keeps a password credential (version 0) and a one-time code one
/// (version 1) for every identity with such identifiers, a password set or
/// not. `None` when there is none: Kratos then leaves the field out.
fn credentials(schema: &Value, traits: &Value, now: &str) -> Option<Value> {
    let properties = schema["properties"]["traits"]["properties"].as_object().cloned().unwrap_or_default();
    let identifiers = |kind: &str| -> Vec<String> {
        properties
            .iter()
            .filter(|(_, p)| p["ory.sh/kratos"]["credentials"][kind]["identifier"] == true)
            .filter_map(|(key, _)| traits[key].as_str().map(|v| v.trim().to_lowercase()))
            .collect()
    };
    let shown = |kind: &str, identifiers: Vec<String>, version: u8| json!({"type": kind, "identifiers": identifiers, "version": version, "created_at": now, "updated_at": now});
    let mut out = Map::new();
    for (kind, version) in [("password", 0), ("code", 1)] {
        let identifiers = identifiers(kind);
        if !identifiers.is_empty() {
            out.insert(kind.into(), shown(kind, identifiers, version));
        }
    }
    (!out.is_empty()).then_some(Value::Object(out))
}

/// Whether an identity has `identifier` among its credentials' identifiers,
/// as Kratos' `credentials_identifier` filter finds it.
fn has_identifier(i: &Identity, identifier: &str) -> bool {
    let wanted = identifier.trim().to_lowercase();
    i.fields.get("credentials").and_then(Value::as_object).is_some_and(|all| {
        all.values().any(|c| {
            c["identifiers"].as_array().is_some_and(|ids| ids.iter().any(|id| id.as_str() == Some(wanted.as_str())))
        })
    })
}

/// The traits a schema marks as password identifiers, which no two
/// identities of a project share.
fn identifier_keys(s: &Store, project: Uuid, schema_id: &str) -> Vec<String> {
    let schema = schema_of(s, project, schema_id).ok().flatten().unwrap_or_default();
    let properties = schema["properties"]["traits"]["properties"].as_object().cloned().unwrap_or_default();
    properties
        .into_iter()
        .filter(|(_, p)| p["ory.sh/kratos"]["credentials"]["password"]["identifier"] == true)
        .map(|(key, _)| key)
        .collect()
}

/// A 409 when another identity of the project holds one of `body`'s
/// identifiers or its external ID. Each schema is read once per call, not
/// once per identity: a project's identities mostly share one.
fn taken(s: &Store, project: Uuid, except: Option<Uuid>, body: &IdentityBody) -> Option<ApiError> {
    let mut keys_of: std::collections::HashMap<String, Vec<String>> = std::collections::HashMap::new();
    let mut identifiers = |schema_id: &str, traits: &Value| -> Vec<String> {
        let keys = keys_of.entry(schema_id.to_string()).or_insert_with(|| identifier_keys(s, project, schema_id));
        keys.iter().filter_map(|key| traits[key].as_str().map(str::to_lowercase)).collect()
    };
    let mine = identifiers(&body.schema_id, &body.traits);
    let clashes = s.identities.values().filter(|i| i.project_id == project && Some(i.id) != except).any(|i| {
        let theirs = identifiers(i.fields["schema_id"].as_str().unwrap_or_default(), &i.fields["traits"]);
        theirs.iter().any(|t| mine.contains(t))
            || body.external_id.as_ref().is_some_and(|e| i.fields.get("external_id").and_then(Value::as_str) == Some(e))
    });
    clashes.then(|| ApiError::conflict("This identity conflicts with another identity that already exists."))
}

async fn identity_create(
    State(shared): State<Arc<Shared>>,
    axum::Extension(caller): axum::Extension<ProjectCaller>,
    Path(slug): Path<String>,
    body: Bytes,
) -> Response {
    let body = match body_object(&body, false) {
        Ok(body) => body,
        Err(refused) => return refused.into_response(),
    };
    respond(shared.write(|s| {
        let checked = identity_body(s, caller.project, &body, false)?;
        if let Some(conflict) = taken(s, caller.project, None, &checked) {
            return Err(conflict);
        }
        let now = Utc::now();
        let password = checked.password.clone();
        let mut fields = Map::new();
        apply_identity(s, caller.project, &mut fields, checked, &now.to_rfc3339());
        let identity = Identity {
            id: Uuid::new_v4(),
            project_id: caller.project,
            fields,
            password_hash: password,
            created_at: now,
            updated_at: now,
        };
        let shown = answered(render_identity(&slug, &identity));
        s.identities.insert(identity.id, identity);
        Ok((StatusCode::CREATED, Json(shown)).into_response())
    }))
}

fn identity_of(s: &Store, project: Uuid, id: &str) -> Result<Uuid, ApiError> {
    let id = Uuid::parse_str(id).map_err(|_| identity_not_found())?;
    s.identities.get(&id).filter(|i| i.project_id == project).map(|i| i.id).ok_or_else(identity_not_found)
}

async fn identity_get(
    State(shared): State<Arc<Shared>>,
    axum::Extension(caller): axum::Extension<ProjectCaller>,
    Path((slug, id)): Path<(String, String)>,
) -> Response {
    respond(shared.read(|s| {
        let id = identity_of(s, caller.project, &id)?;
        Ok(Json(render_identity(&slug, &s.identities[&id])).into_response())
    }))
}

/// `updateIdentity`: replaces what the body sets; a password sent replaces the old one.
async fn identity_update(
    State(shared): State<Arc<Shared>>,
    axum::Extension(caller): axum::Extension<ProjectCaller>,
    Path((slug, id)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    let body = match body_object(&body, false) {
        Ok(body) => body,
        Err(refused) => return refused.into_response(),
    };
    respond(shared.write(|s| {
        let id = identity_of(s, caller.project, &id)?;
        let checked = identity_body(s, caller.project, &body, true)?;
        if let Some(conflict) = taken(s, caller.project, Some(id), &checked) {
            return Err(conflict);
        }
        let now = Utc::now();
        let password = checked.password.clone();
        let mut fields = s.identities[&id].fields.clone();
        let organization = fields.get("organization_id").cloned().unwrap_or(Value::Null);
        apply_identity(s, caller.project, &mut fields, checked, &now.to_rfc3339());
        // The spec's updateIdentityBody has no organization_id, and Kratos'
        // decoder ignores fields it does not know: one sent changes nothing.
        fields.insert("organization_id".into(), organization);
        let identity = s.identities.get_mut(&id).expect("found above");
        identity.fields = fields;
        if password.is_some() {
            identity.password_hash = password;
        }
        identity.updated_at = now;
        Ok(Json(answered(render_identity(&slug, identity))).into_response())
    }))
}

async fn identity_delete(
    State(shared): State<Arc<Shared>>,
    axum::Extension(caller): axum::Extension<ProjectCaller>,
    Path((_, id)): Path<(String, String)>,
) -> Response {
    respond(shared.write(|s| {
        let id = identity_of(s, caller.project, &id)?;
        s.identities.remove(&id);
        Ok(StatusCode::NO_CONTENT.into_response())
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lifespans_are_go_durations() {
        for fine in ["1h", "1h30m", "90s", "0.5h", "100ms"] {
            assert!(is_duration(fine), "{fine}");
        }
        for bad in ["", "1", "1d", "h", "1h-", "-1h"] {
            assert!(!is_duration(bad), "{bad}");
        }
    }

    #[test]
    fn page_tokens_name_the_last_id_of_a_page() {
        let id = Uuid::new_v4();
        assert_eq!(token_id(&token_of(id)), Some(id));
        assert_eq!(token_id("not a token"), None);
    }

    #[test]
    fn the_email_preset_wants_an_email_and_marks_it_for_verification() {
        let schema = preset("preset://email").unwrap();
        assert!(check_traits(&schema, &json!({"email": "a@example.com"})).is_ok());
        let refused = check_traits(&schema, &json!({"email": 3})).unwrap_err();
        assert!(refused.reason.contains("/traits/email"), "{}", refused.reason);
        let (verifiable, recovery) = addresses(&schema, &json!({"email": "A@example.com"}), "now");
        assert_eq!((verifiable[0]["value"].as_str(), recovery.len()), (Some("a@example.com"), 1));
        assert!(hash_secret("pw").starts_with("$pbkdf2-sha256$i=10000,l=32$"));
    }
}
