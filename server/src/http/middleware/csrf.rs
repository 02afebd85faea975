//! CSRF defence for cookie-authenticated requests: a state-changing request
//! that carries Tessera's cookies must come from the same origin, judged by
//! `Sec-Fetch-Site` or else `Origin` against `Host`. Only a request whose
//! `Authorization: Bearer` token actually verifies is let through without
//! that check (such a request carries its credentials explicitly, which a
//! cross-site page cannot make a browser do); sign-out and session refresh
//! act on the session cookie, so they are always checked.

use axum::{
    extract::{Request, State},
    http::{header, HeaderMap, Method},
    middleware::Next,
    response::{IntoResponse, Response},
};

use crate::http::{ApiError, AppState};
use crate::{
    auth::jwt::TokenKind,
    http::{cookies::carries_ours, extract::auth::bearer_token},
};

/// Paths that act on the session cookie whatever else the request carries.
const SESSION_PATHS: &[&str] = &["/api/v1/auth/logout", "/api/v1/auth/refresh"];

/// Middleware: 403 for cross-site state-changing requests with our cookies.
pub async fn check(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let headers = request.headers();
    let needs_check = !is_safe(request.method()) && carries_ours(headers);
    if needs_check && !same_origin(headers) {
        let path = request
            .extensions()
            .get::<axum::extract::OriginalUri>()
            .map_or_else(|| request.uri().path(), |uri| uri.path());
        let session_path = SESSION_PATHS.contains(&path);
        let bearer_verifies = bearer_token(headers)
            .is_some_and(|token| state.keys.verify(token, TokenKind::Access).is_ok());
        if session_path || !bearer_verifies {
            tracing::warn!("cross-site request with session cookies refused");
            return ApiError::Forbidden("cross-site request refused".into()).into_response();
        }
    }
    next.run(request).await
}

fn is_safe(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

fn same_origin(headers: &HeaderMap) -> bool {
    let text = |name| {
        headers
            .get(name)
            .and_then(|v: &axum::http::HeaderValue| v.to_str().ok())
    };
    if let Some(site) = text("sec-fetch-site") {
        return matches!(site, "same-origin" | "none");
    }
    match (text(header::ORIGIN.as_str()), text(header::HOST.as_str())) {
        (Some(origin), Some(host)) => origin
            .split_once("://")
            .is_some_and(|(_, authority)| authority.eq_ignore_ascii_case(host)),
        // No way to tell: refuse.
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (k, v) in pairs {
            map.append(*k, HeaderValue::from_static(v));
        }
        map
    }

    #[test]
    fn judges_origin() {
        let cases = [
            (vec![("sec-fetch-site", "same-origin")], true),
            (vec![("sec-fetch-site", "none")], true),
            (vec![("sec-fetch-site", "cross-site")], false),
            (vec![("sec-fetch-site", "same-site")], false),
            (
                vec![
                    ("origin", "http://app.local:3000"),
                    ("host", "app.local:3000"),
                ],
                true,
            ),
            (
                vec![
                    ("origin", "https://evil.example"),
                    ("host", "app.local:3000"),
                ],
                false,
            ),
            (vec![], false),
        ];
        for (pairs, same) in cases {
            assert_eq!(same_origin(&headers(&pairs)), same, "{pairs:?}");
        }
    }

    #[test]
    fn reads_the_bearer_token_and_safe_methods() {
        assert_eq!(
            bearer_token(&headers(&[("authorization", "Bearer t")])),
            Some("t")
        );
        assert_eq!(
            bearer_token(&headers(&[("authorization", "Basic t")])),
            None
        );
        assert!(is_safe(&Method::GET) && !is_safe(&Method::POST));
        assert!(carries_ours(&headers(&[("cookie", "tessera_session=abc")])));
        assert!(!carries_ours(&headers(&[("cookie", "other=abc")])));
    }
}
