//! Browser security headers: a Content-Security-Policy on every answer (for
//! HTML pages with a fresh nonce that the page's inline scripts carry), and
//! HSTS whenever the cookies are `Secure`.

use axum::{
    extract::Request,
    http::{header, HeaderName, HeaderValue},
    middleware::Next,
    response::Response,
    Router,
};
use leptos::{nonce::Nonce, prelude::provide_context};
use tower_http::set_header::SetResponseHeaderLayer;

/// The policy of answers that are not HTML pages (JSON, redirects, files):
/// nothing may load from them, and nobody may frame them.
pub const API_POLICY: &str = "default-src 'none'; frame-ancestors 'none'";

/// Headers every answer carries unless it set its own.
pub const EVERY_ANSWER: [(HeaderName, &str); 3] = [
    (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
    (header::X_FRAME_OPTIONS, "DENY"),
    (header::REFERRER_POLICY, "strict-origin-when-cross-origin"),
];

/// Two years of HTTPS only, subdomains included.
pub const HSTS: &str = "max-age=63072000; includeSubDomains";

/// The policy of an HTML page whose inline scripts carry `nonce`: only this
/// origin's files, the nonce'd inline scripts and the WASM bundle run; no
/// inline styles, no plugins, no framing, no foreign form targets.
pub fn page_policy(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data:; connect-src 'self'; \
         frame-ancestors 'none'; base-uri 'none'; object-src 'none'; form-action 'self'"
    )
}

/// Middleware for the page routes: makes a fresh nonce for this request,
/// hands it to the renderer (a request extension that
/// [`provide_page_nonce`] reads), and puts the page policy naming it on an
/// HTML answer.
pub async fn page_nonce(mut request: Request, next: Next) -> Response {
    let nonce = Nonce::new();
    request.extensions_mut().insert(nonce.clone());
    let mut response = next.run(request).await;
    let html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if html {
        if let Ok(policy) = HeaderValue::from_str(&page_policy(&nonce)) {
            response
                .headers_mut()
                .insert(header::CONTENT_SECURITY_POLICY, policy);
        }
    }
    response
}

/// For the renderer's context: the nonce [`page_nonce`] made for this
/// request, so that the shell's scripts and Leptos's own (hydration,
/// streamed resources) carry the value the CSP header names. Without a
/// request (static files) there is nothing to do.
pub fn provide_page_nonce() {
    let nonce = leptos::prelude::use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<Nonce>().cloned());
    if let Some(nonce) = nonce {
        provide_context(nonce);
    }
}

/// Adds [`API_POLICY`] to every answer that has no policy of its own, and
/// HSTS to every answer when `secure` (the cookies are `Secure`, so the
/// site is served over HTTPS).
pub fn with_security_headers(routes: Router, secure: bool) -> Router {
    // Around the router as one service (see `http::api_router`).
    let policy = SetResponseHeaderLayer::if_not_present(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(API_POLICY),
    );
    let hsts = secure.then(|| {
        SetResponseHeaderLayer::overriding(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static(HSTS),
        )
    });
    let layered = tower::ServiceBuilder::new()
        .option_layer(hsts)
        .layer(policy)
        .service(routes);
    Router::new().fallback_service(layered)
}
