//! The sign-in gate in front of server-rendered pages: an anonymous visitor
//! asking for a page that needs a role is redirected to the sign-in page
//! (with the page to return to); a signed-in user's identity is handed to
//! the renderer. When the access token has lapsed but the session lives, a
//! fresh token is issued on the way.

use api_types::access::{page_minimum, LOGIN_PATH};
use std::net::SocketAddr;

use axum::{
    extract::{ConnectInfo, Request, State},
    http::{header, HeaderValue, Method},
    middleware::Next,
    response::{IntoResponse, Redirect, Response},
};
use tower_sessions::Session;

use crate::{
    auth::session::SessionAuth,
    http::{
        auth::session::renew,
        client_ip::client_ip,
        cookies::{cookie_names, read},
        extract::auth::authenticate,
        middleware::audit::request_event,
        AppState,
    },
};
use api_types::AuditOutcome;

/// Middleware for page routes.
pub async fn gate(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    if !is_page(&request) {
        return next.run(request).await;
    }
    // The renderer calls the API for this browser (see `RenderKey`).
    if let Some(ConnectInfo(peer)) = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .copied()
    {
        let ip = client_ip(peer.ip(), request.headers(), &state.config.trusted_proxies);
        let browser = state.render_key.rendered_for(ip, request.headers());
        request.extensions_mut().insert(browser);
    }
    let session = request.extensions().get::<Session>().cloned();
    let mut fresh_cookie = None;
    let user = match authenticate(&state, request.headers(), session.as_ref()).await {
        Ok(principal) => Some(principal.me()),
        Err(_) => match &session {
            Some(session) => {
                let event = request_event(&state, &request);
                let renewed = renew_for_page(&state, session, event).await;
                renewed.map(|(me, cookie)| {
                    fresh_cookie = Some(cookie);
                    me
                })
            }
            None => None,
        },
    };
    let path = request.uri().path().to_owned();
    match user {
        Some(user) => {
            request.extensions_mut().insert(user);
            let mut response = next.run(request).await;
            // The page embeds the user: no cache may keep it.
            response
                .headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            if let Some(cookie) = fresh_cookie {
                response.headers_mut().append(header::SET_COOKIE, cookie);
            }
            response
        }
        None if page_minimum(&path).is_none() => next.run(request).await,
        None => {
            let access = cookie_names(state.config.secure_cookies()).access;
            let had_session = read(request.headers(), access).is_some();
            let target = request.uri().path_and_query().map_or("/", |pq| pq.as_str());
            let mut location = format!("{LOGIN_PATH}?next={}", encode(target));
            if had_session {
                location.push_str("&expired=1");
            }
            let mut response = Redirect::to(&location).into_response();
            response
                .headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            response
        }
    }
}

/// Renews the access cookie of a signed-in session whose token has
/// lapsed, and records the renewal like `POST /auth/refresh` does (an
/// `auth.refresh` row with `"via": "page"`; `denied` when the session had
/// to end because the account was disabled or its access changed).
async fn renew_for_page(
    state: &AppState,
    session: &Session,
    mut event: crate::audit::AuditEvent,
) -> Option<(api_types::Me, HeaderValue)> {
    let signed_in = matches!(SessionAuth::load(session).await, Ok(Some(_)));
    if !signed_in {
        return None;
    }
    let renewed = renew(state, session).await;
    event.action = "auth.refresh".into();
    event.context = serde_json::json!({"via": "page"});
    match &renewed {
        Ok(Some((me, _))) => {
            event.principal = Some(me.name.clone());
            event.role = Some(me.role);
        }
        Ok(None) => {
            event.outcome = AuditOutcome::Denied;
            event.status = Some(401);
        }
        Err(_) => {
            event.outcome = AuditOutcome::Error;
            event.status = Some(500);
        }
    }
    if let Err(error) = state.audit.record_durable(event).await {
        tracing::error!(%error, "page renewal not confirmed durable in the audit log");
    }
    renewed.ok().flatten()
}

/// A GET for an HTML page: not the API, not the compiled bundle, not a
/// static file (anything whose last segment has an extension).
fn is_page(request: &Request) -> bool {
    let path = request.uri().path();
    let method_ok = request.method() == Method::GET || request.method() == Method::HEAD;
    let last = path.rsplit('/').next().unwrap_or_default();
    method_ok && !path.starts_with("/api") && !path.starts_with("/pkg/") && !last.contains('.')
}

/// Percent-encodes a path and query for use as a query value.
fn encode(raw: &str) -> String {
    raw.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::encode;

    #[test]
    fn encodes_the_return_path() {
        assert_eq!(
            encode("/admin?tab=users&x=1"),
            "/admin%3Ftab%3Dusers%26x%3D1"
        );
    }
}
