//! The liveness probe's fast path. Load balancers and orchestrators call
//! `GET /api/v1/health` every few seconds on every instance; it reads
//! nothing, records nothing and needs no session, so it is answered in
//! front of the router and its layers, with the same body and headers they
//! would have given it (request id, security headers, `no-store`). Every
//! other request, including other methods on the same path, goes to the
//! router.

use std::{
    convert::Infallible,
    future::{ready, Ready},
    task::{Context, Poll},
};

use axum::{
    body::Body,
    extract::Request,
    http::{header, HeaderMap, HeaderValue, Method, StatusCode},
    response::Response,
};
use futures_util::future::Either;
use tower::Service;

use super::{
    middleware::{
        request_id::{self, RequestId},
        security_headers::{API_POLICY, EVERY_ANSWER, HSTS},
    },
    API_CACHE_CONTROL,
};

/// The probe's path.
pub const HEALTH: &str = "/api/v1/health";
/// Its answer (`api_types::Health`).
const BODY: &str = r#"{"status":"ok"}"#;

/// `inner` with the probe answered in front of it.
#[derive(Clone)]
pub struct WithProbe<S> {
    inner: S,
    headers: HeaderMap,
}

impl<S> WithProbe<S> {
    /// Wraps `inner`; `secure` adds HSTS, as [`super::middleware::security_headers`] does.
    pub fn new(inner: S, secure: bool) -> Self {
        let mut headers = HeaderMap::new();
        let own = [
            (header::CONTENT_TYPE, "application/json"),
            (header::CACHE_CONTROL, API_CACHE_CONTROL),
            (header::CONTENT_SECURITY_POLICY, API_POLICY),
        ];
        for (name, value) in EVERY_ANSWER.into_iter().chain(own) {
            headers.insert(name, HeaderValue::from_static(value));
        }
        if secure {
            headers.insert(
                header::STRICT_TRANSPORT_SECURITY,
                HeaderValue::from_static(HSTS),
            );
        }
        Self { inner, headers }
    }

    fn health(&self, request: &Request) -> Response {
        let id = request
            .headers()
            .get(request_id::HEADER)
            .and_then(RequestId::from_header)
            .unwrap_or_else(RequestId::generate);
        let mut response = Response::new(Body::from(BODY));
        *response.status_mut() = StatusCode::OK;
        let headers = response.headers_mut();
        headers.clone_from(&self.headers);
        if let Ok(value) = HeaderValue::from_str(&id.0) {
            headers.insert(request_id::HEADER, value);
        }
        response
    }
}

impl<S> Service<Request> for WithProbe<S>
where
    S: Service<Request, Response = Response, Error = Infallible>,
{
    type Response = Response;
    type Error = Infallible;
    type Future = Either<Ready<Result<Response, Infallible>>, S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request) -> Self::Future {
        if request.method() == Method::GET && request.uri().path() == HEALTH {
            Either::Left(ready(Ok(self.health(&request))))
        } else {
            Either::Right(self.inner.call(request))
        }
    }
}
