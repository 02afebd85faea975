//! The access log: a span per request carrying its id, method and path
//! (so every line logged while serving it names them), and one line per
//! answer worth reading.

use std::time::Duration;

use axum::{
    body::Body,
    http::{Request, Response},
};

use super::middleware::request_id;

/// Answers slower than this are logged at `info` whatever their status.
const SLOW_REQUEST: Duration = Duration::from_secs(1);

/// The access log line of one answer (target `tessera::access`): at `info`
/// for refusals, errors and slow answers; at `debug` for the rest, which
/// the audit log records already (`TESSERA_LOG=info,tessera::access=debug`
/// logs every request). Formatting and writing a line for each of them cost
/// about 7 % of a probe's CPU and 5 % of a cached answer's in `perf`.
pub fn access_log<B>(response: &Response<B>, latency: Duration, _span: &tracing::Span) {
    let status = response.status().as_u16();
    let latency_ms = latency.as_secs_f64() * 1e3;
    if status >= 400 || latency >= SLOW_REQUEST {
        tracing::info!(target: "tessera::access", status, latency_ms, "answered");
    } else {
        tracing::debug!(target: "tessera::access", status, latency_ms, "answered");
    }
}

/// The span of one request.
pub fn request_span(request: &Request<Body>) -> tracing::Span {
    let id = request
        .extensions()
        .get::<request_id::RequestId>()
        .map_or("-", |id| id.0.as_str());
    tracing::info_span!(
        "request",
        request_id = %id,
        method = %request.method(),
        path = %request.uri().path(),
    )
}
