//! Each project's own API (Ory Network serves it at
//! `https://{slug}.projects.oryapis.com`; the emulator at
//! `{url}/project-api/{slug}`): Ory Kratos' admin identities and Ory
//! Hydra's admin OAuth2 clients, JSON Web Keys and trusted issuers, Ory
//! Keto's relationships, and Hydra's public dynamic registration, one file
//! each; here what they share: the project key that opens them (only a live
//! key of that very project gets in), their error shapes and paging.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use base64::Engine;
use chrono::Utc;
use serde::Deserialize;
use serde_json::{json, Map, Value};
use uuid::Uuid;

mod client_metadata;
pub(crate) mod dynamic_clients;
pub(crate) mod identities;
pub(crate) mod jwks;
pub(crate) mod oauth2_clients;
pub(crate) mod permissions;
pub(crate) mod relationships;
pub(crate) mod trust;

use super::store::KeyScope;
use super::{bearer_key, ApiError, Shared};

/// Where the emulator serves a project's API, under its own URL.
pub const PREFIX: &str = "/project-api/{slug}";

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
            let Some(project) = s.live_project_by_slug(slug) else {
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

/// The size of a page that names none, and the most one page holds: Kratos
/// (`WithDefaultSize(250)`) and Hydra (`keysetpagination`'s `DefaultMaxSize`)
/// give a larger `page_size` the most, and a size of 0 or less the default,
/// rather than refusing either (UNVERIFIED: Hydra's default for clients,
/// 100 in its paginator, 250 in its spec).
const DEFAULT_PAGE_SIZE: usize = 250;
pub(crate) const MAX_PAGE_SIZE: usize = 500;

#[derive(Deserialize)]
pub(crate) struct PageQuery {
    page_size: Option<String>,
    page_token: Option<String>,
}

/// `text` read as Go's `strconv.Atoi` reads it, with its error's words.
fn go_atoi(text: &str) -> Result<i64, String> {
    let digits = text.strip_prefix(['+', '-']).unwrap_or(text);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("strconv.Atoi: parsing {text:?}: invalid syntax"));
    }
    text.parse::<i64>().map_err(|_| format!("strconv.Atoi: parsing {text:?}: value out of range"))
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
    let size = match query.page_size.as_deref().filter(|t| !t.is_empty()).map(go_atoi) {
        None => DEFAULT_PAGE_SIZE,
        Some(Ok(n)) if n <= 0 => DEFAULT_PAGE_SIZE,
        Some(Ok(n)) => usize::try_from(n).map_or(max, |n| n.min(max)),
        Some(Err(e)) if oauth => return Err(bad(true, format!("Unable to parse pagination parameters: {e}"))),
        Some(Err(e)) => return Err(bad(false, e)),
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

// Identities (Ory Kratos).

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_tokens_name_the_last_id_of_a_page() {
        let id = Uuid::new_v4();
        assert_eq!(token_id(&token_of(id)), Some(id));
        assert_eq!(token_id("not a token"), None);
    }
}
