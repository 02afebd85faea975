//! Signing in: browser sessions and service tokens.

pub mod session;
mod token;

use super::ApiRoutes;

/// Adds the sign-in routes.
pub fn routes(routes: ApiRoutes) -> ApiRoutes {
    let routes = token::routes(routes);
    session::routes(routes)
}
