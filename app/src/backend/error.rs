//! The one error type of the backend and its documented JSON body
//! `{code, message, request_id, details?}`.

use axum::response::{IntoResponse, Response};
use axum::Json;
use http::{header, HeaderValue, StatusCode};
use serde::Serialize;

use super::request_id;

/// One invalid field of a request, listed under `details`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        FieldError {
            field: field.into(),
            message: message.into(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The request is malformed in a way that has its own documented code.
    #[error("{message}")]
    BadRequest { code: &'static str, message: String },
    /// Some fields are invalid; each is listed.
    #[error("The request has invalid fields.")]
    Validation(Vec<FieldError>),
    #[error("Access token is missing or invalid.")]
    Unauthorized,
    #[error("The email or password is incorrect.")]
    InvalidCredentials,
    #[error("{message}")]
    Forbidden { code: &'static str, message: String },
    #[error("{message}")]
    NotFound { code: &'static str, message: String },
    #[error("This method is not allowed on this resource.")]
    MethodNotAllowed,
    #[error("{message}")]
    Conflict { code: &'static str, message: String },
    /// The thing existed but is no longer usable (an expired link).
    #[error("{message}")]
    Gone { code: &'static str, message: String },
    #[error("{message}")]
    Unprocessable { code: &'static str, message: String },
    /// `If-Match` names a version that is no longer current.
    #[error("This resource was changed by someone else since you read it; reload it and retry.")]
    PreconditionFailed,
    /// The resource documents `If-Match` and the request did not send it.
    #[error("This request needs an If-Match header with the ETag you read.")]
    PreconditionRequired,
    #[error("The request body is larger than this server accepts.")]
    PayloadTooLarge,
    #[error("The request body must be sent as {expected}.")]
    UnsupportedMediaType { expected: &'static str },
    #[error("Too many attempts; retry after {retry_after_secs} seconds.")]
    TooManyRequests { retry_after_secs: u64 },
    /// Anything we did not expect. The cause is logged, never sent.
    #[error("internal error: {0}")]
    Internal(String),
}

impl AppError {
    pub fn not_found(what: &str) -> Self {
        AppError::NotFound {
            code: "not_found",
            message: format!("{what} not found."),
        }
    }

    /// The documented error for a bare status produced outside our handlers (by the
    /// framework or a middleware), keeping its plain-text explanation when there is one.
    pub fn from_status(status: StatusCode, explanation: String) -> Self {
        let message = if explanation.is_empty() {
            status
                .canonical_reason()
                .unwrap_or("Request failed")
                .to_string()
        } else {
            explanation
        };
        match status {
            StatusCode::UNAUTHORIZED => AppError::Unauthorized,
            StatusCode::FORBIDDEN => AppError::Forbidden {
                code: "forbidden",
                message,
            },
            StatusCode::NOT_FOUND => AppError::NotFound {
                code: "not_found",
                message,
            },
            StatusCode::METHOD_NOT_ALLOWED => AppError::MethodNotAllowed,
            StatusCode::CONFLICT => AppError::Conflict {
                code: "conflict",
                message,
            },
            StatusCode::PAYLOAD_TOO_LARGE => AppError::PayloadTooLarge,
            StatusCode::UNSUPPORTED_MEDIA_TYPE => AppError::UnsupportedMediaType {
                expected: "application/json",
            },
            StatusCode::UNPROCESSABLE_ENTITY => AppError::Unprocessable {
                code: "invalid_body",
                message,
            },
            s if s.is_server_error() => AppError::Internal(message),
            _ => AppError::BadRequest {
                code: "bad_request",
                message,
            },
        }
    }

    pub fn internal(cause: impl std::fmt::Display) -> Self {
        AppError::Internal(cause.to_string())
    }

    pub fn status(&self) -> StatusCode {
        match self {
            AppError::BadRequest { .. } | AppError::Validation(_) => StatusCode::BAD_REQUEST,
            AppError::Unauthorized | AppError::InvalidCredentials => StatusCode::UNAUTHORIZED,
            AppError::Forbidden { .. } => StatusCode::FORBIDDEN,
            AppError::NotFound { .. } => StatusCode::NOT_FOUND,
            AppError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            AppError::Conflict { .. } => StatusCode::CONFLICT,
            AppError::Gone { .. } => StatusCode::GONE,
            AppError::Unprocessable { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::PreconditionFailed => StatusCode::PRECONDITION_FAILED,
            AppError::PreconditionRequired => StatusCode::PRECONDITION_REQUIRED,
            AppError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::UnsupportedMediaType { .. } => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            AppError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            AppError::BadRequest { code, .. }
            | AppError::Forbidden { code, .. }
            | AppError::NotFound { code, .. }
            | AppError::Conflict { code, .. }
            | AppError::Gone { code, .. }
            | AppError::Unprocessable { code, .. } => code,
            AppError::Validation(_) => "validation_error",
            // Kept verbatim from the subscriber document.
            AppError::Unauthorized => "UNAUTHORIZED",
            AppError::InvalidCredentials => "invalid_credentials",
            AppError::MethodNotAllowed => "method_not_allowed",
            AppError::PreconditionFailed => "precondition_failed",
            AppError::PreconditionRequired => "precondition_required",
            AppError::PayloadTooLarge => "payload_too_large",
            AppError::UnsupportedMediaType { .. } => "unsupported_media_type",
            AppError::TooManyRequests { .. } => "rate_limited",
            AppError::Internal(_) => "internal_error",
        }
    }

    /// What the client is told. Internal causes stay in the logs.
    fn public_message(&self) -> String {
        match self {
            AppError::Internal(_) => "Something went wrong on our side; it has been logged.".into(),
            other => other.to_string(),
        }
    }
}

impl From<sqlx::Error> for AppError {
    fn from(e: sqlx::Error) -> Self {
        AppError::internal(e)
    }
}

/// True when `e` is a unique-constraint violation (a concurrent duplicate insert).
pub fn is_unique_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(db) if db.is_unique_violation())
}

/// The body of every error response.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// Stable, machine-readable (`validation_error`, `handle_taken`, …).
    #[schema(example = "validation_error")]
    pub code: &'static str,
    /// For people; may change wording.
    pub message: String,
    /// Equals the `X-Request-Id` response header; quote it to support.
    pub request_id: String,
    /// One entry per invalid field (validation errors only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub details: Option<Vec<FieldError>>,
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let request_id = request_id::current().unwrap_or_default();
        if let AppError::Internal(cause) = &self {
            tracing::error!(%request_id, cause = %cause, "request failed");
        }
        let body = ErrorBody {
            code: self.code(),
            message: self.public_message(),
            request_id,
            details: match &self {
                AppError::Validation(fields) => Some(fields.clone()),
                _ => None,
            },
        };
        let mut response = (self.status(), Json(body)).into_response();
        if let AppError::TooManyRequests { retry_after_secs } = self {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(retry_after_secs));
        }
        response
    }
}
