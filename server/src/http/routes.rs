//! The API's route table. Routes can only be added with an explicit access
//! level, public or a minimum role, so no route is left unguarded by
//! omission; guarded routes sit behind [`auth::require`] as a route layer.
//! The table is inspectable, and a test walks it.

use api_types::Role;
use axum::{
    handler::Handler,
    http::Method,
    middleware::from_fn_with_state,
    routing::{on, MethodFilter, MethodRouter},
    Router,
};

use super::extract::auth;
use super::AppState;
use axum::{extract::DefaultBodyLimit, http::StatusCode};
use std::time::Duration;
use tower_http::{limit::RequestBodyLimitLayer, timeout::TimeoutLayer};

/// Who may call a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone. Keep this list short: health, readiness, login, token.
    Public,
    /// Authenticated principals with at least this role.
    AtLeast(Role),
}

/// One row of the route table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteInfo {
    /// HTTP method.
    pub method: Method,
    /// Path below `/api/v1`.
    pub path: &'static str,
    /// Who may call it.
    pub access: Access,
    /// Whether it takes an upload: the import size and time limits
    /// instead of the request body limit and timeout.
    pub upload: bool,
}

/// Routes with their access levels, turned into a router once the state exists.
#[derive(Default)]
pub struct ApiRoutes {
    routes: Vec<(RouteInfo, MethodRouter<AppState>)>,
}

impl ApiRoutes {
    /// Adds `GET path`.
    pub fn get<H, T>(self, path: &'static str, access: Access, handler: H) -> Self
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        self.add(Method::GET, path, access, on(MethodFilter::GET, handler))
    }

    /// Adds `POST path`.
    pub fn post<H, T>(self, path: &'static str, access: Access, handler: H) -> Self
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        self.add(Method::POST, path, access, on(MethodFilter::POST, handler))
    }

    /// Adds `POST path` taking an upload (see [`RouteInfo::upload`]).
    pub fn post_upload<H, T>(mut self, path: &'static str, access: Access, handler: H) -> Self
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        self = self.add(Method::POST, path, access, on(MethodFilter::POST, handler));
        if let Some((info, _)) = self.routes.last_mut() {
            info.upload = true;
        }
        self
    }

    /// Adds `PATCH path`.
    pub fn patch<H, T>(self, path: &'static str, access: Access, handler: H) -> Self
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        self.add(
            Method::PATCH,
            path,
            access,
            on(MethodFilter::PATCH, handler),
        )
    }

    /// Adds `DELETE path`.
    pub fn delete<H, T>(self, path: &'static str, access: Access, handler: H) -> Self
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        self.add(
            Method::DELETE,
            path,
            access,
            on(MethodFilter::DELETE, handler),
        )
    }

    fn add(
        mut self,
        method: Method,
        path: &'static str,
        access: Access,
        route: MethodRouter<AppState>,
    ) -> Self {
        self.routes.push((
            RouteInfo {
                method,
                path,
                access,
                upload: false,
            },
            route,
        ));
        self
    }

    /// The route table.
    pub fn table(&self) -> Vec<RouteInfo> {
        self.routes.iter().map(|(info, _)| info.clone()).collect()
    }

    /// The router, each guarded route behind the guard for its role and
    /// within its limits (body size, time).
    pub fn into_router(self, state: &AppState) -> Router<AppState> {
        let config = state.config.clone();
        self.routes
            .into_iter()
            .fold(Router::new(), |router, (info, route)| {
                let route = if info.upload {
                    limited(route, config.imports.max_bytes, config.imports.timeout)
                        .layer(DefaultBodyLimit::disable())
                } else {
                    limited(route, config.http.body_limit, config.http.request_timeout)
                };
                let route = match info.access {
                    Access::Public => route,
                    Access::AtLeast(role) => route.route_layer(from_fn_with_state(
                        state.clone(),
                        move |state, request, next| auth::require(state, role, request, next),
                    )),
                };
                router.route(info.path, route)
            })
    }
}

/// `route` within a body size (413 beyond it: at once when the
/// `Content-Length` says so, else as soon as the body passes it) and a
/// time (503).
fn limited(
    route: MethodRouter<AppState>,
    body_limit: usize,
    timeout: Duration,
) -> MethodRouter<AppState> {
    route
        .layer::<_, std::convert::Infallible>(RequestBodyLimitLayer::new(body_limit))
        .layer::<_, std::convert::Infallible>(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            timeout,
        ))
}
