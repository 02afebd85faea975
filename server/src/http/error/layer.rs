//! Gives every error under `/api/` the one JSON shape, whoever produced it:
//! handlers ([`ApiError`](super::ApiError)), the router (404, 405), and the
//! tower layers (413 body limit, 503 timeout, 500 panic).

use api_types::{ErrorBody, ErrorEnvelope};
use axum::{
    extract::Request,
    http::{header, HeaderValue, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
    Json,
};

use super::body;
use crate::http::middleware::request_id::RequestId;

/// Middleware: renders error responses of API paths as `{"error": {...}}`
/// carrying the request id. Page (HTML) responses pass through untouched.
pub async fn render(request: Request, next: Next) -> Response {
    if !request.uri().path().starts_with("/api/") && request.uri().path() != "/api" {
        return next.run(request).await;
    }
    let request_id = request.extensions().get::<RequestId>().cloned();
    let method = request.method().clone();
    let response = next.run(request).await;
    let status = response.status();
    if !status.is_client_error() && !status.is_server_error() {
        return response;
    }
    let mut error = match response.extensions().get::<ErrorBody>() {
        Some(error) => error.clone(),
        None => framework_error(status, &method, &response),
    };
    error.request_id = request_id.map(|id| id.0);
    let (mut parts, _) = response.into_parts();
    parts.extensions.remove::<ErrorBody>();
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.headers.remove(header::CONTENT_ENCODING);
    let rendered = Json(ErrorEnvelope { error }).into_response();
    let (rendered_parts, body) = rendered.into_parts();
    parts.headers.extend(rendered_parts.headers);
    Response::from_parts(parts, body)
}

fn framework_error(
    status: StatusCode,
    method: &axum::http::Method,
    response: &Response,
) -> ErrorBody {
    match status {
        StatusCode::METHOD_NOT_ALLOWED => {
            let allowed = response
                .headers()
                .get(header::ALLOW)
                .and_then(|v: &HeaderValue| v.to_str().ok())
                .unwrap_or("")
                .to_owned();
            body(
                "method_not_allowed",
                format!("{method} is not allowed on this path (allowed: {allowed})"),
            )
        }
        StatusCode::PAYLOAD_TOO_LARGE => body("payload_too_large", "the request body is too large"),
        StatusCode::NOT_FOUND => body("not_found", "no such API route"),
        StatusCode::SERVICE_UNAVAILABLE => body(
            "timeout",
            "the request took too long and was cancelled; try again",
        ),
        s if s.is_server_error() => body("internal", "internal error"),
        s => body("bad_request", s.canonical_reason().unwrap_or("bad request")),
    }
}
