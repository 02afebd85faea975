//! The API's one error type and its JSON shape.
//!
//! Handlers return `Result<_, ApiError>`. 4xx errors say exactly what was
//! wrong; 5xx errors are opaque to the client and logged with their cause
//! (inside the request's span, so the log line carries the request id).

use std::collections::BTreeMap;

use api_types::{ErrorBody, ErrorEnvelope, UPSTREAM_MALFORMED, UPSTREAM_UNAVAILABLE};
use axum::{
    extract::rejection::JsonRejection,
    http::{header, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
    Json,
};

use crate::upstream::UpstreamError;

/// Everything an API handler can fail with.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// Input failed validation; the map says what is wrong with each field.
    #[error("validation failed")]
    Validation(BTreeMap<String, String>),
    /// The request is malformed in a way not tied to one field.
    #[error("{0}")]
    BadRequest(String),
    /// The JSON body could not be read.
    #[error(transparent)]
    JsonBody(#[from] JsonRejection),
    /// No valid credentials (missing, invalid, expired or revoked).
    #[error("{0}")]
    Unauthorized(String),
    /// Authenticated, but the role is not enough.
    #[error("{0}")]
    Forbidden(String),
    /// The request conflicts with the current state (code, message).
    #[error("{1}")]
    Conflict(&'static str, String),
    /// Too many attempts; try again after the given time.
    #[error("too many attempts")]
    RateLimited(std::time::Duration),
    /// Every password-hashing slot is taken; try again after the given time.
    #[error("too busy to check credentials")]
    Busy(std::time::Duration),
    /// Nothing here.
    #[error("{0}")]
    NotFound(String),
    /// It was here and is gone for good (an expired download).
    #[error("{0}")]
    Gone(String),
    /// A queue is full; try again after the given time.
    #[error("{0}")]
    QueueFull(String, std::time::Duration),
    /// A dependency (the database) is not answering right now.
    #[error("{0}")]
    Unavailable(String),
    /// The body is not of a type this route takes (an upload that is not
    /// CSV text, a request that is not multipart).
    #[error("{0}")]
    UnsupportedMediaType(String),
    /// The body is larger than this route takes.
    #[error("{0}")]
    PayloadTooLarge(String),
    /// An upload's rows were refused: status, code, message, the first
    /// problems and how many more.
    #[error("{2}")]
    Rows(
        StatusCode,
        &'static str,
        String,
        Vec<api_types::RowProblem>,
        i64,
    ),
    /// A feature this instance is not set up for (code, message): 404.
    #[error("{1}")]
    NotConfigured(&'static str, String),
    /// The upstream metrics service failed: 503, or 502 for a malformed
    /// answer. The cause is logged, never sent.
    #[error(transparent)]
    Upstream(#[from] UpstreamError),
    /// A database failure.
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    /// Any other failure. The cause is logged, never sent.
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl ApiError {
    /// The status code and the body shown to the client.
    pub fn to_parts(&self) -> (StatusCode, ErrorBody) {
        let (status, code, message) = match self {
            ApiError::Validation(fields) => {
                let body = ErrorBody {
                    code: "validation_failed".into(),
                    message: "some fields are invalid".into(),
                    request_id: None,
                    fields: Some(fields.clone()),
                    problems: None,
                    more_problems: None,
                };
                return (StatusCode::BAD_REQUEST, body);
            }
            ApiError::BadRequest(m) => (StatusCode::BAD_REQUEST, "bad_request", m.clone()),
            ApiError::Rows(status, code, message, problems, more) => {
                let mut body = body(code, message.clone());
                body.problems = Some(problems.clone());
                body.more_problems = Some(*more);
                return (*status, body);
            }
            ApiError::UnsupportedMediaType(m) => (
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                m.clone(),
            ),
            ApiError::PayloadTooLarge(m) => (
                StatusCode::PAYLOAD_TOO_LARGE,
                "payload_too_large",
                m.clone(),
            ),
            ApiError::JsonBody(rejection) => json_rejection(rejection),
            ApiError::Unauthorized(m) => (StatusCode::UNAUTHORIZED, "unauthorized", m.clone()),
            ApiError::Forbidden(m) => (StatusCode::FORBIDDEN, "forbidden", m.clone()),
            ApiError::Conflict(code, m) => (StatusCode::CONFLICT, *code, m.clone()),
            ApiError::RateLimited(wait) => (
                StatusCode::TOO_MANY_REQUESTS,
                "rate_limited",
                format!(
                    "too many attempts; try again in {} s",
                    wait.as_secs().max(1)
                ),
            ),
            ApiError::Busy(wait) => (
                StatusCode::SERVICE_UNAVAILABLE,
                "busy",
                format!(
                    "too many sign-ins are being checked; try again in {} s",
                    wait.as_secs().max(1)
                ),
            ),
            ApiError::NotFound(m) => (StatusCode::NOT_FOUND, "not_found", m.clone()),
            ApiError::Gone(m) => (StatusCode::GONE, "gone", m.clone()),
            ApiError::QueueFull(m, _) => (StatusCode::TOO_MANY_REQUESTS, "queue_full", m.clone()),
            ApiError::Unavailable(m) => (StatusCode::SERVICE_UNAVAILABLE, "unavailable", m.clone()),
            ApiError::NotConfigured(code, m) => (StatusCode::NOT_FOUND, *code, m.clone()),
            ApiError::Upstream(UpstreamError::Malformed(_)) => (
                StatusCode::BAD_GATEWAY,
                UPSTREAM_MALFORMED,
                "the upstream service answered something that is not a summary".into(),
            ),
            ApiError::Upstream(_) => (
                StatusCode::SERVICE_UNAVAILABLE,
                UPSTREAM_UNAVAILABLE,
                "the upstream service is not answering; try again shortly".into(),
            ),
            ApiError::Database(e) if is_connection_error(e) => (
                StatusCode::SERVICE_UNAVAILABLE,
                "database_unavailable",
                "the database is not answering; try again shortly".into(),
            ),
            ApiError::Database(_) | ApiError::Internal(_) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "internal error".into(),
            ),
        };
        (status, body(code, message))
    }
}

/// An error body with no field details.
pub fn body(code: &str, message: impl Into<String>) -> ErrorBody {
    ErrorBody {
        code: code.into(),
        message: message.into(),
        request_id: None,
        fields: None,
        problems: None,
        more_problems: None,
    }
}

fn json_rejection(rejection: &JsonRejection) -> (StatusCode, &'static str, String) {
    match rejection {
        JsonRejection::MissingJsonContentType(_) => (
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "expected a JSON body with Content-Type: application/json".into(),
        ),
        JsonRejection::JsonSyntaxError(e) => (
            StatusCode::BAD_REQUEST,
            "malformed_json",
            format!("the body is not valid JSON: {}", e.body_text()),
        ),
        JsonRejection::JsonDataError(e) => (
            StatusCode::BAD_REQUEST,
            "invalid_body",
            format!(
                "the JSON body does not match what this endpoint takes: {}",
                e.body_text()
            ),
        ),
        other if other.status() == StatusCode::PAYLOAD_TOO_LARGE => (
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
            "the request body is too large".into(),
        ),
        other => (other.status(), "bad_request", other.body_text()),
    }
}

fn is_connection_error(error: &sqlx::Error) -> bool {
    matches!(
        error,
        sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_)
    )
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, body) = self.to_parts();
        // Load shedding is expected under a flood: no error line per refusal.
        if status.is_server_error() && !matches!(self, ApiError::Busy(_)) {
            tracing::error!(error = ?self, "request failed");
        }
        let mut response = (
            status,
            Json(ErrorEnvelope {
                error: body.clone(),
            }),
        )
            .into_response();
        if let ApiError::RateLimited(wait)
        | ApiError::Busy(wait)
        | ApiError::QueueFull(_, wait)
        | ApiError::Upstream(UpstreamError::CircuitOpen(wait)) = &self
        {
            response.headers_mut().insert(
                header::RETRY_AFTER,
                HeaderValue::from(wait.as_secs().max(1)),
            );
        }
        if status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"tessera\""),
            );
        }
        // The error middleware adds the request id to the body it finds here.
        response.extensions_mut().insert(body);
        response
    }
}

mod from_domain;
pub mod layer;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_errors_never_leak_their_cause() {
        let err = ApiError::Internal(anyhow::anyhow!("password=hunter2 at /srv/db"));
        let (status, body) = err.to_parts();
        assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(body.message, "internal error");
        let db = ApiError::Database(sqlx::Error::Protocol("secret detail".into()));
        assert_eq!(db.to_parts().1.message, "internal error");
    }

    #[test]
    fn lost_database_connection_is_503() {
        let (status, body) = ApiError::Database(sqlx::Error::PoolTimedOut).to_parts();
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(body.code, "database_unavailable");
    }

    #[test]
    fn busy_is_503_with_retry_after() {
        let response = ApiError::from(crate::auth::password::Busy).into_response();
        assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(response.headers()[header::RETRY_AFTER], "1");
        let body = response.extensions().get::<ErrorBody>().expect("body");
        assert_eq!(body.code, "busy");
    }

    #[test]
    fn validation_errors_name_each_field() {
        let fields = BTreeMap::from([("from".to_owned(), "not a date".to_owned())]);
        let (status, body) = ApiError::Validation(fields.clone()).to_parts();
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(body.fields, Some(fields));
    }
}
