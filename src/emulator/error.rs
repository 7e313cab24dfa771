//! Ory's error envelope, produced in one place.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;

/// An error answer in herodot's envelope:
/// `{"error":{"code","status","message","reason","request"}}`.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    /// Empty: none, as an error of Ory's database layer has.
    pub reason: String,
    /// What replaces herodot's standard message for the status.
    pub message: Option<&'static str>,
    pub id: Option<&'static str>,
    pub details: Option<serde_json::Value>,
}

impl ApiError {
    pub fn new(status: StatusCode, reason: impl Into<String>) -> ApiError {
        ApiError { status, reason: reason.into(), message: None, id: None, details: None }
    }

    /// An error of Ory's database layer (`ory/x/sqlcon`): its own message,
    /// no reason.
    pub fn database(status: StatusCode, message: &'static str) -> ApiError {
        ApiError { message: Some(message), ..ApiError::new(status, "") }
    }

    /// sqlcon's `ErrNoRows`, Kratos' answer for an identity that does not exist.
    pub fn no_rows() -> ApiError {
        ApiError::database(StatusCode::NOT_FOUND, "Unable to locate the resource")
    }

    pub fn bad_request(reason: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, reason)
    }

    pub fn not_found(reason: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, reason)
    }

    pub fn conflict(reason: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::CONFLICT, reason)
    }

    pub fn unauthorized() -> ApiError {
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            "A valid workspace API key is required: send it in one header, as \"Authorization: Bearer ory_wak_...\" (one space, nothing around the key).",
        )
    }
}

/// herodot's standard message for each status.
fn message(status: StatusCode) -> &'static str {
    match status.as_u16() {
        400 => "The request was malformed or contained invalid parameters",
        401 => "The request could not be authorized",
        403 => "The requested action was forbidden",
        404 => "The requested resource could not be found",
        405 => "The requested method is not allowed",
        406 => "The request was not acceptable",
        408 => "The request was not received in time",
        409 => "The resource could not be created due to a conflict",
        413 => "The request body is too large",
        415 => "The request body has an unsupported media type",
        429 => "Too many requests",
        431 => "The request headers are too large",
        _ => "An internal server error occurred, please contact the system administrator",
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut error = serde_json::json!({
            "code": self.status.as_u16(),
            "status": self.status.canonical_reason().unwrap_or("Error"),
            "message": self.message.unwrap_or(message(self.status)),
            "reason": self.reason,
            "request": uuid::Uuid::new_v4().to_string(),
        });
        if self.reason.is_empty() {
            error.as_object_mut().map(|e| e.remove("reason"));
        }
        if let Some(id) = self.id {
            error["id"] = id.into();
        }
        if let Some(details) = self.details {
            error["details"] = details;
        }
        (self.status, Json(serde_json::json!({ "error": error }))).into_response()
    }
}
