//! The API's one error type. Every error answers `{"code": …, "message": …}` with a stable,
//! machine-readable `code` (and `field` when one input was wrong), whatever went wrong.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;
use vigie_store::StoreError;

/// The body of every error response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize, ToSchema)]
pub struct ErrorBody {
    /// Stable: `not_found`, `unauthenticated`, `forbidden`, `invalid_request`, `conflict`,
    /// `csrf_failed`, `token_scope`, `throttled`, `invalid_credentials`, `internal`.
    pub code: String,
    pub message: String,
    /// The input field that was wrong, when one was: a path into the input (`title`,
    /// `regions[1]`, `advantages[0].score`, `rule.months`) or a query parameter.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// Why the field was refused, when a domain check said (`missing`, `too_long`,
    /// `out_of_range`, `unknown`, `malformed`, `duplicate`, `inconsistent`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<vigie_core::Code>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub status: StatusCode,
    pub body: ErrorBody,
}

impl ApiError {
    fn new(status: StatusCode, code: &str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            body: ErrorBody {
                code: code.to_string(),
                message: message.into(),
                field: None,
                reason: None,
            },
        }
    }

    /// The one answer for a record that does not exist *or* may not be seen: same status,
    /// same body, same headers.
    pub fn not_found() -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, "not_found", "not found")
    }

    pub fn unauthenticated() -> ApiError {
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            "unauthenticated",
            "sign in, or send an API token as `Authorization: Bearer …`",
        )
    }

    pub fn invalid_credentials() -> ApiError {
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            "invalid_credentials",
            "wrong user name or password",
        )
    }

    pub fn forbidden(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::FORBIDDEN, "forbidden", message)
    }

    pub fn csrf() -> ApiError {
        ApiError::new(
            StatusCode::FORBIDDEN,
            "csrf_failed",
            "a signed-in browser write must send the session's X-CSRF-Token header",
        )
    }

    pub fn token_scope() -> ApiError {
        ApiError::new(
            StatusCode::FORBIDDEN,
            "token_scope",
            "this API token is read-only",
        )
    }

    pub fn throttled(seconds: u64) -> ApiError {
        ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "throttled",
            format!("too many failed sign-ins; try again in {seconds} s"),
        )
    }

    /// A wrong input: names the field, the value and the reason.
    pub fn invalid(field: &str, message: impl Into<String>) -> ApiError {
        let mut e = ApiError::new(StatusCode::BAD_REQUEST, "invalid_request", message);
        e.body.field = Some(field.to_string());
        e
    }

    /// An input refused by a domain check: its field (a path), its reason code, and its
    /// words. A check of a lone value (a query parameter) says its field with
    /// [`vigie_core::CheckError::at`] first.
    pub fn check(e: vigie_core::CheckError) -> ApiError {
        let mut out = ApiError::invalid(e.field.as_str(), e.to_string());
        if e.field.is_root() {
            out.body.field = None;
        }
        out.body.reason = Some(e.code);
        out
    }

    pub fn bad_request(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, "invalid_request", message)
    }

    pub fn conflict(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::CONFLICT, "conflict", message)
    }

    pub fn internal() -> ApiError {
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "internal error; the server log has the details",
        )
    }
}

impl From<vigie_core::CheckError> for ApiError {
    fn from(e: vigie_core::CheckError) -> ApiError {
        ApiError::check(e)
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> ApiError {
        match e {
            StoreError::Conflict { .. } => ApiError::conflict(e.to_string()),
            StoreError::Missing { what, id } => {
                ApiError::bad_request(format!("{what} {id:?} does not exist"))
            }
            other => {
                tracing::error!(error = %other, "store error");
                ApiError::internal()
            }
        }
    }
}

impl From<vigie_app::error::AppError> for ApiError {
    fn from(e: vigie_app::error::AppError) -> ApiError {
        use vigie_app::error::AppError;
        match e {
            AppError::Check(c) => ApiError::check(c),
            AppError::Invalid { field, message } => ApiError::invalid(&field, message),
            AppError::Forbidden(m) => ApiError::forbidden(m),
            AppError::NotFound => ApiError::not_found(),
            AppError::BadRequest(m) => ApiError::bad_request(m),
            AppError::Internal(m) => {
                tracing::error!(error = %m, "internal error");
                ApiError::internal()
            }
            AppError::Store(s) => s.into(),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, axum::Json(self.body)).into_response()
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
