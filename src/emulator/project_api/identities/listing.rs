//! Kratos's listing of identities: one filter at a time (`ids`,
//! `credentials_identifier`, `organization_id`), by page.

use std::sync::Arc;

use axum::extract::{Path, RawQuery, State};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::Value;
use uuid::Uuid;

use super::super::{page, respond, PageQuery, ProjectCaller, MAX_PAGE_SIZE};
use super::{has_identifier, identities_of, render_identity};
use crate::emulator::http::Shared;
use crate::emulator::store::Identity;
use crate::emulator::ApiError;

/// Kratos' filters of a listing, at most one of them at a time.
enum IdentityFilter {
    None,
    Ids(Vec<Uuid>),
    Identifier(String),
    Organization(Uuid),
}

/// Kratos' `parseListIdentitiesParameters`: `ids` (repeated, UUIDs, at
/// most 500), `credentials_identifier`, `organization_id`, one at a time.
fn identity_filter(pairs: &[(String, String)]) -> Result<IdentityFilter, ApiError> {
    fn values<'a>(pairs: &'a [(String, String)], key: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        pairs.iter().filter(move |(k, _)| k == key).map(|(_, v)| v.as_str())
    }
    let first = |key| values(pairs, key).next().filter(|v| !v.is_empty());
    let uuid = |v: &str, key: &str| {
        Uuid::parse_str(v)
            .map_err(|_| ApiError::bad_request(format!("Invalid UUID value `{v}` for parameter `{key}`.")))
    };
    let mut filters = Vec::new();
    let ids: Vec<Uuid> = values(pairs, "ids").map(|v| uuid(v, "ids")).collect::<Result<_, _>>()?;
    if ids.len() > 500 {
        return Err(ApiError::bad_request("The number of ids to filter must not exceed 500."));
    }
    if !ids.is_empty() {
        filters.push(IdentityFilter::Ids(ids));
    }
    if let Some(org) = first("organization_id") {
        filters.push(IdentityFilter::Organization(uuid(org, "organization_id")?));
    }
    if let Some(identifier) = first("credentials_identifier") {
        filters.push(IdentityFilter::Identifier(identifier.to_string()));
    }
    if filters.len() > 1 {
        return Err(ApiError::bad_request("You cannot combine multiple filters in this API"));
    }
    Ok(filters.pop().unwrap_or(IdentityFilter::None))
}

pub(super) async fn identities_list(
    State(shared): State<Arc<Shared>>,
    axum::Extension(caller): axum::Extension<ProjectCaller>,
    Path(slug): Path<String>,
    RawQuery(raw): RawQuery,
) -> Response {
    respond(shared.read(|s| {
        let pairs: Vec<(String, String)> = serde_urlencoded::from_str(raw.as_deref().unwrap_or_default())
            .map_err(|e| ApiError::bad_request(format!("The query is not one this API reads: {e}")))?;
        let query: PageQuery = serde_urlencoded::from_str(raw.as_deref().unwrap_or_default())
            .map_err(|e| ApiError::bad_request(format!("The query is not one this API reads: {e}")))?;
        let filter = identity_filter(&pairs)?;
        let path = format!("/project-api/{slug}/admin/identities");
        let mut all = identities_of(s, caller.project);
        match &filter {
            IdentityFilter::None => {}
            IdentityFilter::Ids(ids) => all.retain(|id| ids.contains(id)),
            IdentityFilter::Identifier(identifier) => all.retain(|id| has_identifier(&s.identities[id], identifier)),
            IdentityFilter::Organization(org) => {
                let org = org.to_string();
                all.retain(|id| s.identities[id].fields.get("organization_id").and_then(Value::as_str) == Some(&org))
            }
        }
        let (ids, headers) = match page(all, &query, MAX_PAGE_SIZE, &path, false) {
            Ok(page) => page,
            Err(refused) => return Ok(refused.into_response()),
        };
        // Kratos lists credentials only for a lookup by identifier.
        let by_identifier = matches!(filter, IdentityFilter::Identifier(_));
        let listed = |i: &Identity| {
            let mut shown = render_identity(&slug, i);
            if !by_identifier {
                shown.as_object_mut().map(|o| o.remove("credentials"));
            }
            shown
        };
        let shown: Vec<Value> = ids.iter().filter_map(|id| s.identities.get(id)).map(listed).collect();
        Ok((headers, Json(shown)).into_response())
    }))
}
