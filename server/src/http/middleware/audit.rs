//! The recording middleware and the one call handlers make.
//!
//! The middleware wraps every `/api` request, outside the limits that can
//! end one (timeout, body size, panic): it gathers the request context in
//! one place (client IP, user agent, request id, hashed session id), hands
//! the handler an [`AuditNote`], and once the response is ready records
//! exactly one row: the action the handler noted, or a `request.*` row for
//! a request no handler took. A request whose client goes away is recorded
//! too (status 499). Security events (all but successful reads) are
//! durable before the response leaves.

use std::{
    net::SocketAddr,
    sync::{Arc, Mutex},
};

use api_types::{AuditOutcome, Role};
use axum::{
    extract::{ConnectInfo, FromRequestParts, OriginalUri, Request, State},
    http::{header, request::Parts, StatusCode},
    middleware::Next,
    response::Response,
};
use serde_json::{json, Value};
use tower_sessions::Session;

use crate::{
    audit::{
        chain::sha256_hex,
        clean::{MAX_PRINCIPAL, MAX_USER_AGENT},
        now_micros, AuditEvent,
    },
    auth::principal::Principal,
    http::{client_ip::client_ip, middleware::request_id::RequestId, AppState},
};

#[derive(Debug, Default)]
struct Note {
    action: Option<&'static str>,
    context: Value,
    read: bool,
    principal: Option<String>,
    role: Option<Role>,
    /// The request's context, until the row is recorded.
    base: Option<AuditEvent>,
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

    /// A copy of this request's row as noted so far, as `action`: for work
    /// that goes on after the client has gone (see `POST /data/refresh`),
    /// to record how it ended. `None` outside the audit middleware.
    pub fn snapshot(&self, action: &str) -> Option<AuditEvent> {
        self.with(|n| {
            let base = n.base.as_ref()?;
            Some(AuditEvent {
                occurred_at: now_micros(),
                principal: n.principal.clone(),
                role: n.role,
                action: action.to_owned(),
                context: n.context.clone(),
                ..base.clone()
            })
        })
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
/// as nearly every value is). One more is kept than the cap, so that the
/// writer's cleaning ([`super::clean`]) marks the cut.
fn shortened(text: &str, max: usize) -> String {
    if text.len() <= max {
        text.to_owned()
    } else {
        text.chars().take(max + 1).collect()
    }
}

/// SHA-256 (hex) of a session id.
fn session_hash(id: tower_sessions::session::Id) -> String {
    sha256_hex(id.to_string().as_bytes())
}

/// An event for `request` with its context filled in: client IP (the
/// browser's for calls the page renderer makes on its behalf, the forwarded
/// one behind trusted proxies), user agent, request id and hashed session
/// id. The action, outcome and status are the caller's to set.
pub fn request_event(state: &AppState, request: &Request) -> AuditEvent {
    let mut event = AuditEvent::now("", AuditOutcome::Ok, Value::Null);
    let headers = request.headers();
    event.user_agent = headers
        .get(header::USER_AGENT)
        // Bytes that are not UTF-8 become U+FFFD: what the client sent is
        // kept (cleaned by the writer), not dropped.
        .map(|ua| shortened(&String::from_utf8_lossy(ua.as_bytes()), MAX_USER_AGENT));
    // A page rendered on the server calls on behalf of a browser: record the
    // browser (whose user agent the renderer sent on), not the loopback peer.
    event.client_ip = state
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
    event.request_id = request
        .extensions()
        .get::<RequestId>()
        .map(|id| id.0.clone());
    event.session_hash = request
        .extensions()
        .get::<Session>()
        .and_then(Session::id)
        .map(session_hash);
    event
}

/// Public routes that record nothing: probes that load balancers and
/// monitors call every few seconds, which do not act on anything.
pub const UNRECORDED: &[&str] = &["/api/v1/health", "/api/v1/ready"];

/// Status recorded for a request whose client went away before the answer
/// (nginx's "client closed request").
pub const CLIENT_CLOSED: u16 = 499;

/// A request being served. If its future is dropped before the answer (the
/// client disconnected), the row is still queued, with status 499.
struct InFlight {
    audit: crate::audit::Audit,
    note: AuditNote,
    method: axum::http::Method,
    path: String,
}

impl InFlight {
    /// The row for an answer with `status`, or `None` when there is nothing
    /// to record; whether it is a successful read (batched).
    fn finish(
        &mut self,
        status: StatusCode,
        session: Option<String>,
    ) -> Option<(AuditEvent, bool)> {
        let note = std::mem::take(&mut *self.note.0.lock().unwrap_or_else(|e| e.into_inner()));
        let base = note.base?;
        let outcome = if status.as_u16() == CLIENT_CLOSED {
            AuditOutcome::Error
        } else {
            outcome_of(status)
        };
        let (action, context, read) = match note.action {
            Some(action) => (action, note.context, note.read),
            // Refused before a handler said what it was: by the guard, the
            // CSRF check, the router or a layer (body limit, timeout, panic).
            None => {
                let action = match outcome {
                    AuditOutcome::Denied if status != StatusCode::TOO_MANY_REQUESTS => {
                        "request.denied"
                    }
                    AuditOutcome::Ok => "request.unnoted",
                    _ if status.is_server_error() || status.as_u16() == CLIENT_CLOSED => {
                        "request.failed"
                    }
                    _ => "request.rejected",
                };
                let context = json!({"method": self.method.as_str(), "path": self.path});
                (action, context, false)
            }
        };
        let event = AuditEvent {
            occurred_at: now_micros(),
            session_hash: session.or(base.session_hash),
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
        Some((event, read && outcome == AuditOutcome::Ok))
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        let status = StatusCode::from_u16(CLIENT_CLOSED).unwrap_or(StatusCode::BAD_REQUEST);
        if let Some((event, _)) = self.finish(status, None) {
            self.audit.record_detached(event);
        }
    }
}

/// Middleware: records one row per request to the API: the action the
/// handler noted, or for a request no handler took (refused by a guard or
/// a layer, or failed before it said what it was) a `request.*` row naming
/// the method and path. Only [`UNRECORDED`] probes leave none.
pub async fn record(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    // Probes record nothing whatever they answer: no context to gather.
    let path = request
        .extensions()
        .get::<OriginalUri>()
        .map_or_else(|| request.uri().path(), |uri| uri.path());
    if !state.audit.enabled() || UNRECORDED.contains(&path) {
        return next.run(request).await;
    }
    let path = path.to_owned();
    let note = AuditNote::default();
    note.with(|n| n.base = Some(request_event(&state, &request)));
    request.extensions_mut().insert(note.clone());
    let session = request.extensions().get::<Session>().cloned();
    let mut in_flight = InFlight {
        audit: state.audit.clone(),
        note,
        method: request.method().clone(),
        // The full path, as the client sent it (the API router is nested).
        path,
    };

    let response = next.run(request).await;

    // After sign-in the session has a new id; after sign-out none (then
    // the id it had is kept).
    let session = session.as_ref().and_then(Session::id).map(session_hash);
    let Some((event, read)) = in_flight.finish(response.status(), session) else {
        return response;
    };
    if read {
        state.audit.record(event).await;
    } else {
        let action = event.action.clone();
        if let Err(error) = state.audit.record_durable(event).await {
            tracing::error!(%error, action, "security event not confirmed durable");
        }
    }
    response
}
