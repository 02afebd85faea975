//! The REST API under `/api/v1`. Each area adds its routes, each with an
//! access level, to the [`ApiRoutes`] table; [`api_router`] turns the table
//! into the router and adds the JSON 404 for unknown `/api/...` paths.

pub mod access_log;
pub mod admin;
mod analytics;
pub mod auth;
pub mod client_ip;
pub mod cookies;
mod dataset;
pub mod error;
pub mod extract;
mod health;
mod imports;
mod jobs;
mod me;
pub mod middleware;
pub mod probe;
pub mod routes;
pub mod session;
mod upstream;

use std::sync::Arc;

use axum::{
    extract::OriginalUri,
    http::{header, HeaderValue, StatusCode},
    middleware::from_fn_with_state,
    response::IntoResponse,
    Router,
};
use tower::ServiceBuilder;
use tower_http::{
    catch_panic::CatchPanicLayer, limit::RequestBodyLimitLayer, set_header::SetResponseHeaderLayer,
    timeout::TimeoutLayer,
};
use tower_sessions::{
    cookie::{time::Duration, SameSite},
    Expiry, SessionManagerLayer,
};

use self::{
    client_ip::client_ip,
    cookies::cookie_names,
    middleware::{csrf, render_key::RenderKey},
};
pub use self::{error::ApiError, routes::ApiRoutes};
use crate::{
    analytics::Analytics,
    audit::Audit,
    auth::{
        jwt::JwtKeys,
        limits::{Credential, CredentialLimits},
        principal_cache::PrincipalCache,
        session::IDLE_TIMEOUT,
    },
    config::{Config, HttpSettings},
    storage::{Db, DbSessionStore},
};

/// What every API handler can reach, behind one `Arc`: axum clones the
/// state for every middleware and extractor of every request, and a struct
/// of `Arc`s (plus the audit queue's sender, which counts its clones) made
/// each of those clones a dozen atomic updates on cache lines both cores
/// fight over: about 10 % of a cached answer's CPU in `perf`.
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

impl AppState {
    /// Shares `services` with every request.
    pub fn new(services: Shared) -> Self {
        Self(Arc::new(services))
    }
}

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

/// The services in [`AppState`].
pub struct Shared {
    /// The database.
    pub db: Db,
    /// The validated configuration.
    pub config: Arc<Config>,
    /// JWT signing and verification keys.
    pub keys: Arc<JwtKeys>,
    /// Brute-force limits for the credential endpoints.
    pub limits: Arc<CredentialLimits>,
    /// Dataset version and the shared query cache.
    pub analytics: Arc<Analytics>,
    /// Principals' current state, cached briefly.
    pub principals: Arc<PrincipalCache>,
    /// The audit log's recorder.
    pub audit: Audit,
    /// Proves an API call comes from this process's page renderer.
    pub render_key: RenderKey,
    /// The PostgreSQL warehouse source, when configured.
    pub source: Option<Arc<crate::source::Source>>,
    /// The upstream metrics service, when one is configured.
    pub upstream: Option<Arc<crate::upstream::Upstream>>,
}

impl AppState {
    /// Counts a `kind` credential attempt from this request's client
    /// against `account` (and, for passwords, against this instance's
    /// sign-in cap); 429 when a limit is exhausted.
    pub fn limit_attempt(
        &self,
        peer: std::net::SocketAddr,
        headers: &axum::http::HeaderMap,
        account: &str,
        kind: Credential,
    ) -> Result<(), ApiError> {
        let ip = client_ip(peer.ip(), headers, &self.config.trusted_proxies);
        self.limits.check(ip, account, kind).map_err(|wait| {
            tracing::warn!(%ip, "credential attempts rate limited");
            ApiError::RateLimited(wait)
        })
    }
}

/// Every `/api/v1` route with its access level.
pub fn routes() -> ApiRoutes {
    let routes = ApiRoutes::default();
    let routes = health::routes(routes);
    let routes = auth::routes(routes);
    let routes = me::routes(routes);
    let routes = analytics::routes(routes);
    let routes = dataset::routes(routes);
    let routes = jobs::routes(routes);
    let routes = imports::routes(routes);
    let routes = upstream::routes(routes);
    admin::routes(routes)
}

/// The API's `Cache-Control` unless a handler chose its own.
pub const API_CACHE_CONTROL: &str = "no-store";

/// All API routes, to be mounted at `/api` with `nest_service`.
///
/// The layers wrap the router as one service instead of each route
/// (`Router::layer`): axum clones a route's whole boxed layer stack for
/// every request, and those clones and drops were a sixth of a cached
/// answer's CPU.
pub fn api_router(state: AppState) -> Router {
    let v1 = routes().into_router(&state);
    let api = Router::new()
        .nest("/v1", v1)
        .fallback(not_found)
        .with_state(state.clone());
    // Each route has its body and time limits (`ApiRoutes::into_router`);
    // inside the audit layer, so a request ended by a limit is recorded too.
    let layered = ServiceBuilder::new()
        // Answers name users, roles, tokens: no cache may keep them, unless
        // the handler chose its own policy (analytics: `private, no-cache`
        // with an ETag).
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CACHE_CONTROL,
            HeaderValue::from_static(API_CACHE_CONTROL),
        ))
        .layer(from_fn_with_state(state.clone(), middleware::audit::record))
        .layer(CatchPanicLayer::custom(|_| {
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }))
        .layer(from_fn_with_state(state, csrf::check))
        .service(api);
    Router::new().fallback_service(layered)
}

/// The limits on one request: its body size (413), its time (503 once
/// `request_timeout` has passed) and a panic in its handler (500).
pub fn with_request_limits<S>(routes: Router<S>, http: &HttpSettings) -> Router<S>
where
    S: Clone + Send + Sync + 'static,
{
    routes
        .layer(RequestBodyLimitLayer::new(http.body_limit))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            http.request_timeout,
        ))
        .layer(CatchPanicLayer::custom(|_| {
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }))
}

/// Server-side sessions in the database, for the API and the pages.
pub fn session_layer(state: &AppState) -> SessionManagerLayer<DbSessionStore> {
    SessionManagerLayer::new(state.db.session_store())
        .with_name(cookie_names(state.config.secure_cookies()).session)
        .with_http_only(true)
        .with_same_site(SameSite::Strict)
        .with_secure(state.config.secure_cookies())
        .with_path("/")
        .with_expiry(Expiry::OnInactivity(Duration::seconds(
            i64::try_from(IDLE_TIMEOUT.as_secs()).unwrap_or(i64::MAX),
        )))
}

async fn not_found(OriginalUri(uri): OriginalUri) -> ApiError {
    ApiError::NotFound(format!("no API route at {}", uri.path()))
}
