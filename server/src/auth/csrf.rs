//! CSRF defence for cookie-authenticated requests: a state-changing request
//! that carries Tessera's cookies must come from the same origin, judged by
//! `Sec-Fetch-Site` or else `Origin` against `Host`. Requests authenticated
//! with `Authorization: Bearer` carry no ambient credentials and pass.

use axum::{
    extract::Request,
    http::{header, HeaderMap, Method},
    middleware::Next,
    response::{IntoResponse, Response},
};

use super::cookies::{read, ACCESS_COOKIE, SESSION_COOKIE};
use crate::api::ApiError;

/// Middleware: 403 for cross-site state-changing requests with our cookies.
pub async fn check(request: Request, next: Next) -> Response {
    if is_cross_site_with_cookies(request.method(), request.headers()) {
        tracing::warn!("cross-site request with session cookies refused");
        return ApiError::Forbidden("cross-site request refused".into()).into_response();
    }
    next.run(request).await
}

fn is_cross_site_with_cookies(method: &Method, headers: &HeaderMap) -> bool {
    let safe = matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS);
    let has_cookies =
        read(headers, SESSION_COOKIE).is_some() || read(headers, ACCESS_COOKIE).is_some();
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.len() > 7 && v[..7].eq_ignore_ascii_case("bearer "));
    if safe || !has_cookies || bearer {
        return false;
    }
    !same_origin(headers)
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
    fn judges_cookie_requests_by_origin() {
        let cookie = ("cookie", "tessera_session=abc");
        let cases = [
            (vec![cookie, ("sec-fetch-site", "same-origin")], false),
            (vec![cookie, ("sec-fetch-site", "cross-site")], true),
            (vec![cookie, ("sec-fetch-site", "same-site")], true),
            (
                vec![
                    cookie,
                    ("origin", "http://app.local:3000"),
                    ("host", "app.local:3000"),
                ],
                false,
            ),
            (
                vec![
                    cookie,
                    ("origin", "https://evil.example"),
                    ("host", "app.local:3000"),
                ],
                true,
            ),
            (vec![cookie], true),
            (
                vec![
                    cookie,
                    ("authorization", "Bearer t"),
                    ("sec-fetch-site", "cross-site"),
                ],
                false,
            ),
            (vec![("sec-fetch-site", "cross-site")], false),
        ];
        for (pairs, refused) in cases {
            assert_eq!(
                is_cross_site_with_cookies(&Method::POST, &headers(&pairs)),
                refused,
                "{pairs:?}"
            );
        }
        let cross = headers(&[cookie, ("sec-fetch-site", "cross-site")]);
        assert!(
            !is_cross_site_with_cookies(&Method::GET, &cross),
            "safe methods pass"
        );
    }
}
