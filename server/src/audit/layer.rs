//! The recording middleware and the one call handlers make.
//!
//! The middleware wraps every `/api` request: it gathers the request context
//! in one place (client IP, user agent, request id, hashed session id),
//! hands the handler an [`AuditNote`], and once the response is ready
//! records exactly one row: the action the handler noted, or a
//! `request.denied` row for a 401/403 nobody noted. Security events (all but
//! successful reads) are durable before the response leaves.

use std::{
    net::SocketAddr,
    sync::{Arc, Mutex},
};

use app::api::{AuditOutcome, Role};
use axum::{
    extract::{ConnectInfo, FromRequestParts, OriginalUri, Request, State},
    http::{header, request::Parts, StatusCode},
    middleware::Next,
    response::Response,
};
use serde_json::{json, Value};
use tower_sessions::Session;

use super::{chain::sha256_hex, now_micros, AuditEvent};
use crate::{
    api::{request_id::RequestId, AppState},
    auth::{limits::client_ip, principal::Principal},
};

/// Longest user agent kept.
const MAX_USER_AGENT: usize = 512;
/// Longest attempted principal name kept.
const MAX_PRINCIPAL: usize = 320;

#[derive(Debug, Default)]
struct Note {
    action: Option<&'static str>,
    context: Value,
    read: bool,
    principal: Option<String>,
    role: Option<Role>,
}

/// What the handler says about its request. Extract it and call
/// [`AuditNote::security`] or [`AuditNote::read`] once; outside the audit
/// middleware (or with auditing off) the calls do nothing.
#[derive(Debug, Clone, Default)]
pub struct AuditNote(Arc<Mutex<Note>>);

impl AuditNote {
    fn with<T>(&self, f: impl FnOnce(&mut Note) -> T) -> T {
        let mut note = self.0.lock().unwrap_or_else(|e| e.into_inner());
        f(&mut note)
    }

    /// This request is the security-relevant `action` (sign-in, admin
    /// change, …); recorded durably before the response is sent.
    pub fn security(&self, action: &'static str, context: Value) {
        self.with(|n| {
            n.action = Some(action);
            n.context = context;
            n.read = false;
        });
    }

    /// This request reads data (`action`, with its normalised parameters);
    /// recorded in the next batch.
    pub fn read(&self, action: &'static str, context: Value) {
        self.with(|n| {
            n.action = Some(action);
            n.context = context;
            n.read = true;
        });
    }

    /// Replaces the context (e.g. once the parameters are parsed).
    pub fn context(&self, context: Value) {
        self.with(|n| n.context = context);
    }

    /// The principal acting (or the name attempted, for failed sign-ins).
    pub fn principal(&self, name: &str, role: Option<Role>) {
        let name = shortened(name, MAX_PRINCIPAL);
        self.with(|n| {
            n.principal = Some(name);
            n.role = role;
        });
    }

    /// The authenticated caller.
    pub fn caller(&self, principal: &Principal) {
        self.principal(&principal.name, Some(principal.role));
    }
}

impl<S: Send + Sync> FromRequestParts<S> for AuditNote {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(parts
            .extensions
            .get::<AuditNote>()
            .cloned()
            .unwrap_or_default())
    }
}

/// The outcome an HTTP status stands for.
pub fn outcome_of(status: StatusCode) -> AuditOutcome {
    match status.as_u16() {
        401 | 403 | 429 => AuditOutcome::Denied,
        s if s < 400 => AuditOutcome::Ok,
        _ => AuditOutcome::Error,
    }
}

/// The first `max` characters of `text` (copied whole when it is shorter,
/// as nearly every value is).
fn shortened(text: &str, max: usize) -> String {
    if text.len() <= max {
        text.to_owned()
    } else {
        text.chars().take(max).collect()
    }
}

/// SHA-256 (hex) of a session id.
fn session_hash(id: tower_sessions::session::Id) -> String {
    sha256_hex(id.to_string().as_bytes())
}

/// Middleware: records one row per noted action and per unnoted denial.
pub async fn record(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    if !state.audit.enabled() {
        return next.run(request).await;
    }
    let note = AuditNote::default();
    request.extensions_mut().insert(note.clone());
    let mut base = AuditEvent::now("", AuditOutcome::Ok, Value::Null);
    let headers = request.headers();
    base.user_agent = headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .map(|ua| shortened(ua, MAX_USER_AGENT));
    // A page rendered on the server calls on behalf of a browser: record the
    // browser (whose user agent the renderer sent on), not the loopback peer.
    base.client_ip = state
        .render_key
        .browser_ip(headers)
        .or_else(|| {
            request
                .extensions()
                .get::<ConnectInfo<SocketAddr>>()
                .map(|ConnectInfo(peer)| {
                    client_ip(peer.ip(), headers, &state.config.trusted_proxies)
                })
        })
        .map(|ip| ip.to_string());
    base.request_id = request
        .extensions()
        .get::<RequestId>()
        .map(|id| id.0.clone());
    let session = request.extensions().get::<Session>().cloned();
    let session_before = session.as_ref().and_then(Session::id);
    // The full path, as the client sent it (the API router is nested).
    let path = request
        .extensions()
        .get::<OriginalUri>()
        .map_or_else(|| request.uri().path(), |uri| uri.path())
        .to_owned();
    let method = request.method().clone();

    let response = next.run(request).await;

    let status = response.status();
    let note = std::mem::take(&mut *note.0.lock().unwrap_or_else(|e| e.into_inner()));
    let outcome = outcome_of(status);
    let denied = matches!(status.as_u16(), 401 | 403);
    let (action, context, read) = match note.action {
        Some(action) => (action, note.context, note.read),
        None if denied => (
            "request.denied",
            json!({"method": method.as_str(), "path": path}),
            false,
        ),
        None => return response,
    };
    let event = AuditEvent {
        occurred_at: now_micros(),
        // After sign-in the session has a new id; after sign-out none.
        session_hash: session
            .as_ref()
            .and_then(Session::id)
            .or(session_before)
            .map(session_hash),
        principal: note.principal,
        role: note.role,
        action: action.to_owned(),
        context: if context.is_null() {
            json!({})
        } else {
            context
        },
        outcome,
        status: Some(status.as_u16()),
        ..base
    };
    if read && outcome == AuditOutcome::Ok {
        state.audit.record(event).await;
    } else if let Err(error) = state.audit.record_durable(event).await {
        tracing::error!(%error, action, "security event not confirmed durable");
    }
    response
}
